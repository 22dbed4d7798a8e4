/* The Client Portal page "Settings → Secure Login System" (#/sls, R30,
 * R31): whether the user takes part; leaving it (a step-up first, then the
 * restrictions spelled out before the user confirms); coming back with a
 * response from a security device. Only the account's primary user may
 * change it: another user's attempt is refused by the server with the
 * primary user's name, which the page explains. */
'use strict';

(function () {
  const P = window.SLSPortal;
  const O = window.SLSOutside;
  const { h } = P;
  const TITLE = 'Secure Login System';

  /* A 403 not_primary_user: the server's words (naming the primary user)
   * and what they mean. */
  function notPrimaryBox(err) {
    const box = P.errorBox(err);
    box.id = 'not-primary';
    box.appendChild(h('p', {}, 'Security settings belong to the account, and only its primary user may change them. ' +
      'Ask the primary user to log in and make the change, or call the service desk.'));
    return box;
  }

  function refusal(slot, r) {
    slot.show(r.status === 403 && r.data.error === 'not_primary_user' ? notPrimaryBox(r.data) : P.errorBox(r.data));
  }

  /* Leaving (R30, R34): the step-up, then the restrictions and a confirm
   * button; the server asks for the step-up again if it expired meanwhile. */
  function optOut(me, devices, place, slot) {
    const send = async (confirm) => {
      if (confirm) confirm.disabled = true;
      const r = await P.authed('POST', '/v1/me/sls', { participate: false });
      if (confirm) confirm.disabled = false;
      if (!r) return;
      if (r.status === 200) {
        P.flash('ok', { message: 'You have left the Secure Login System. Your next login asks for no security device.' });
        P.render();
      } else if (r.status === 403 && r.data.error === 'step_up_required') {
        P.stepUp(place, devices, () => send(null));
      } else {
        refusal(slot, r);
      }
    };
    const ask = () => {
      const confirm = h('button', { type: 'submit', id: 'opt-out-confirm' }, 'Leave the Secure Login System');
      const stay = h('button', { type: 'button', class: 'secondary', onclick: () => P.render() }, 'Stay');
      const form = h('form', { class: 'panel', id: 'opt-out-consequences', 'aria-labelledby': 'h-opt-out' },
        h('h2', { id: 'h-opt-out' }, 'Before you leave'),
        h('p', {}, 'Your logins will no longer ask for a security device. In exchange, your account gets these restrictions:'),
        O.restrictions('opt-out-restrictions', me.limits),
        h('p', {}, 'Your devices stay on record: you can come back at any time with a response from one of them.'),
        h('div', { class: 'actions' }, confirm, stay));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        slot.show(null);
        send(confirm);
      });
      place.replaceChildren(form);
      confirm.focus();
    };
    slot.show(null);
    // Another user is refused whatever the step-up says: no device answer for nothing.
    if (me.primary) P.stepUp(place, devices, ask);
    else ask();
  }

  /* Coming back (R30): a challenge from the strongest active device, answered here. */
  async function optIn(devices, place, slot, button) {
    slot.show(null);
    button.disabled = true;
    const c = await P.authed('POST', '/v1/me/sls', { participate: true });
    button.disabled = false;
    if (!c) return;
    if (c.status !== 200) {
      refusal(slot, c);
      return;
    }
    if (!c.data.challenge) { // already in: nothing to answer
      P.render();
      return;
    }
    const current = devices.find((d) => d.id === c.data.device_id);
    const panel = h('section', { class: 'panel', id: 'opt-in-answer', 'aria-labelledby': 'h-opt-in' },
      h('h2', { id: 'h-opt-in' }, 'Answer with your security device'),
      h('p', { class: 'notice', id: 'opt-in-device' }, 'Security device: ' + (current ? P.deviceTitle(current) : 'your security device')));
    const cf = P.challengeForm(c.data.challenge, async (response, submit) => {
      submit.disabled = true;
      const r = await P.authed('POST', '/v1/me/sls', Object.assign({ participate: true }, P.responseBody(response)));
      submit.disabled = false;
      if (!r) return null;
      if (r.status === 200) {
        P.flash('ok', { message: 'You take part in the Secure Login System again. Your next login asks for your security device.' });
        P.render();
        return null;
      }
      // The challenge is used up: another try needs a new one.
      cf.form.remove();
      panel.appendChild(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => optIn(devices, place, slot, button) }, 'Get a new challenge')));
      return r.data;
    }, 'Opt in');
    panel.append(cf.slot, cf.form);
    place.replaceChildren(panel);
    const first = cf.form.querySelector('input');
    if (first) first.focus();
  }

  /* What a review is about, in words, from its listed fields only. */
  function reviewWhat(rv) {
    const c = rv.change || {};
    if (rv.kind === 'email') return 'E-mail address to ' + (c.new_email || '?');
    if (rv.kind === 'bank') return 'Bank instructions: ' + (c.bank_name || '?') + ', account ending in ' + (c.account_number_last4 || '?');
    return rv.kind;
  }

  const STATES = { pending: 'Waiting for review', approved: 'Approved', denied: 'Declined' };

  /* The user's own reviews (GET /v1/me/reviews) into `box`, newest first. */
  async function showReviews(box) {
    const r = await P.authed('GET', '/v1/me/reviews');
    if (!r || r.status !== 200 || !Array.isArray(r.data.reviews)) return;
    if (r.data.reviews.length === 0) {
      box.replaceChildren(h('p', { id: 'no-reviews' }, 'No change of yours is in review.'));
      return;
    }
    box.replaceChildren(h('table', { id: 'reviews-table' },
      h('caption', {}, 'Your changes in review'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, 'Asked'), h('th', { scope: 'col' }, 'State'))),
      h('tbody', {}, ...r.data.reviews.map((rv) => h('tr', {},
        h('td', {}, reviewWhat(rv)),
        h('td', {}, P.whenText(rv.created_at)),
        h('td', {}, (STATES[rv.state] || rv.state) + (rv.decided_at ? ' (' + P.whenText(rv.decided_at) + ')' : '')))))));
  }

  async function viewSls() {
    const page = await P.pageWithStepUp('/v1/me');
    if (!page) return;
    const { r, devices } = page;
    if (r.status !== 200) {
      P.show(TITLE, P.errorBox(r.data));
      return;
    }
    const me = r.data;
    const slot = P.statusSlot();
    const place = h('div', {});
    const status = h('section', { class: 'panel', 'aria-labelledby': 'h-sls-status' },
      h('h2', { id: 'h-sls-status' }, 'Participation'),
      h('p', { id: 'sls-status' }, me.sls
        ? 'You take part in the Secure Login System: every login asks for your security device.'
        : 'You do not take part in the Secure Login System: logins ask for your password only.'),
      me.primary ? null : h('p', { class: 'notice', id: 'primary-note' },
        'Only the primary user of account ' + me.account_id + ' may change this setting.'));
    const parts = [slot, status];
    if (me.sls) {
      const out = h('button', { type: 'button', id: 'opt-out' }, 'Opt out');
      out.addEventListener('click', () => optOut(me, devices, place, slot));
      parts.push(h('section', { class: 'panel', 'aria-labelledby': 'h-leave' },
        h('h2', { id: 'h-leave' }, 'Leave the Secure Login System'),
        h('p', {}, 'You will first confirm with your security device, then read what changes before you decide.'),
        h('div', { class: 'actions' }, out)));
    } else {
      const limits = me.limits || {};
      const reviewList = h('div', { id: 'my-reviews' });
      showReviews(reviewList);
      const join = h('button', { type: 'button', id: 'opt-in' }, 'Opt back in');
      join.addEventListener('click', () => optIn(devices, place, slot, join));
      parts.push(
        h('section', { class: 'panel', 'aria-labelledby': 'h-restrictions' },
          h('h2', { id: 'h-restrictions' }, 'Restrictions outside the Secure Login System'),
          O.restrictions('restrictions', me.limits),
          h('p', { id: 'current-limits' }, 'Your withdrawal limits now: ' + P.usd(limits.per_day_cents) + ' a business day, ' +
            P.usd(limits.per_5_days_cents) + ' over 5 business days.')),
        h('section', { class: 'panel', 'aria-labelledby': 'h-reviews' },
          h('h2', { id: 'h-reviews' }, 'Security reviews'),
          h('p', { id: 'review-expect' }, 'When you change your e-mail address or bank instructions, the change waits. ' + O.reviewText()),
          reviewList),
        h('section', { class: 'panel', 'aria-labelledby': 'h-join' },
          h('h2', { id: 'h-join' }, 'Take part again'),
          h('p', {}, devices.length
            ? 'Confirm with a response from one of your security devices; the restrictions end at once.'
            : 'You have no active security device. Call the service desk to get one.'),
          devices.length ? h('div', { class: 'actions' }, join) : null));
    }
    parts.push(place);
    P.show(TITLE, ...parts);
  }

  P.page('#/sls', 'Secure Login System', viewSls);
})();
