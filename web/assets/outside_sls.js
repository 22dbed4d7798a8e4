/* What being outside the Secure Login System means (R31, R4), said the same
 * way on every page of the Client Portal that needs it: the list of
 * restrictions shown before an opt-out and to users outside, and what
 * happens to a change that waits for a security review. The amounts are
 * the server's configured ones, read from the `limits` of GET /v1/me
 * (withdrawal_rows, deposit_cap_cents); SPEC's standard policy (R31, R33)
 * only when an answer lacks them. */
'use strict';

(function () {
  const P = window.SLSPortal;
  const { h } = P;

  const STANDARD = { per_day_cents: 5000000, per_5_days_cents: 10000000, deposit_cap_cents: 2000000 };

  /* The `none` row of the withdrawal table and the deposit cap outside SLS,
   * from the `limits` of GET /v1/me (may be missing). */
  function policy(limits) {
    const rows = (limits && Array.isArray(limits.withdrawal_rows)) ? limits.withdrawal_rows : [];
    const none = rows.find((row) => row && row.device === 'none');
    const cap = limits && Number.isInteger(limits.deposit_cap_cents) ? limits.deposit_cap_cents : STANDARD.deposit_cap_cents;
    return none ? { per_day_cents: none.per_day_cents, per_5_days_cents: none.per_5_days_cents, deposit_cap_cents: cap }
      : Object.assign({}, STANDARD, { deposit_cap_cents: cap });
  }

  /* An amount of the table; null is no limit. */
  function amount(cents) {
    return cents === null || cents === undefined ? 'no limit' : P.usd(cents);
  }

  /* The R31 restrictions as a list (id `id`), with the amounts of `limits`. */
  function restrictions(id, limits) {
    const p = policy(limits);
    return h('ul', { id, class: 'consequences' },
      h('li', {}, 'Withdrawals are limited to ' + amount(p.per_day_cents) + ' a business day and ' +
        amount(p.per_5_days_cents) + ' over 5 business days, the limits of an account without a security device.'),
      h('li', {}, 'You cannot trade restricted products (Pink Sheet and OTCBB securities).'),
      h('li', {}, 'ACH and EFT deposits are capped at ' + P.usd(p.deposit_cap_cents) + ' in total; wire transfers are not capped.'),
      h('li', {}, 'Changes of your e-mail address or bank instructions wait for a security review before they apply.'));
  }

  /* What a user outside SLS can expect of a change in review (their own
   * reviews are listed on the Secure Login System page). */
  function reviewText() {
    return 'Our security team reviews the change before it applies. ' +
      'You will get an e-mail at your address on record when it is approved or declined; until then nothing changes. ' +
      'If you did not ask for it, call the service desk.';
  }

  /* The box of a 202 pending_review answer about `what`. */
  function pendingReviewBox(what) {
    return P.successBox(what + ' is waiting for a security review.', reviewText());
  }

  window.SLSOutside = Object.freeze({ policy, restrictions, reviewText, pendingReviewBox });
})();
