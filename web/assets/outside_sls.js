/* What being outside the Secure Login System means (R31, R4), said the same
 * way on every page of the Client Portal that needs it: the list of
 * restrictions shown before an opt-out and to users outside, and what
 * happens to a change that waits for a security review. The amounts are
 * the server's standard policy (R31, R33); the server may be configured
 * otherwise, and its answers (limits, deposit refusals) always win. */
'use strict';

(function () {
  const P = window.SLSPortal;
  const { h } = P;

  const NONE_PER_DAY_CENTS = 5000000;
  const NONE_PER_5_DAYS_CENTS = 10000000;
  const DEPOSIT_CAP_CENTS = 2000000;

  /* The R31 restrictions as a list (id `id`). */
  function restrictions(id) {
    return h('ul', { id, class: 'consequences' },
      h('li', {}, 'Withdrawals are limited to ' + P.usd(NONE_PER_DAY_CENTS) + ' a business day and ' +
        P.usd(NONE_PER_5_DAYS_CENTS) + ' over 5 business days, the limits of an account without a security device.'),
      h('li', {}, 'You cannot trade restricted products (Pink Sheet and OTCBB securities).'),
      h('li', {}, 'ACH and EFT deposits are capped at ' + P.usd(DEPOSIT_CAP_CENTS) + ' in total; wire transfers are not capped.'),
      h('li', {}, 'Changes of your e-mail address or bank instructions wait for a security review before they apply.'));
  }

  /* What a user outside SLS can expect of a change in review (the portal
   * has no list of reviews to show). */
  function reviewText() {
    return 'Our security team reviews the change before it applies. ' +
      'You will get an e-mail at your address on record when it is approved or declined; until then nothing changes. ' +
      'If you did not ask for it, call the service desk.';
  }

  /* The box of a 202 pending_review answer about `what`. */
  function pendingReviewBox(what) {
    return P.successBox(what + ' is waiting for a security review.', reviewText());
  }

  window.SLSOutside = Object.freeze({ DEPOSIT_CAP_CENTS, restrictions, reviewText, pendingReviewBox });
})();
