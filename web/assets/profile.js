/* The Client Portal page "Profile" (#/profile, R4, R31, R34): the e-mail
 * address (changed by a confirmation number sent to the old address, or by
 * the password), the bank instructions (only the last 4 digits of the
 * account number are ever shown) and deposits by ACH, EFT or wire. Inside
 * the Secure Login System e-mail and bank changes ask for a step-up inline;
 * outside it they wait for a security review (202 pending_review), and
 * ACH/EFT deposits are capped. */
'use strict';

(function () {
  const P = window.SLSPortal;
  const O = window.SLSOutside;
  const { h } = P;
  const TITLE = 'Profile';
  const METHODS = [['ach', 'ACH'], ['eft', 'EFT'], ['wire', 'Wire transfer']];

  /* Radio buttons `name` of [value, label] pairs, the first checked. */
  function radios(name, legend, choices) {
    const inputs = [];
    const rows = choices.map(([value, label], i) => {
      const id = name + '-' + value;
      const input = h('input', { type: 'radio', name, id, value, checked: i === 0 });
      inputs.push(input);
      return h('div', { class: 'choice' }, input, h('label', { for: id }, label));
    });
    const set = h('fieldset', {}, h('legend', {}, legend), rows);
    set.picked = () => (inputs.find((x) => x.checked) || inputs[0]).value;
    return set;
  }

  /* R4: the new address, and the proof: the number sent to the old one, or the password. */
  function emailSection(me, devices, place, slot) {
    const onRecord = h('p', {}, 'E-mail on record: ', h('strong', { id: 'email-on-record' }, me.email));
    const address = P.field('New e-mail address', { name: 'new_email', type: 'email', autocomplete: 'email', required: true });
    const how = radios('email-proof', 'How you confirm', [
      ['old_email', 'A confirmation number sent to my current address'],
      ['password', 'My password (I cannot read my current address)']]);
    const pass = P.field('Password', { name: 'password', type: 'password', autocomplete: 'current-password' });
    pass.wrap.hidden = true;
    how.addEventListener('change', () => {
      pass.wrap.hidden = how.picked() !== 'password';
    });
    const submit = h('button', { type: 'submit' }, 'Change e-mail');
    const form = h('form', { class: 'panel', novalidate: true, id: 'email-form', 'aria-labelledby': 'h-email' },
      h('h2', { id: 'h-email' }, 'E-mail address'), onRecord, address.wrap, how, pass.wrap, h('div', { class: 'actions' }, submit));

    const done = (r, newEmail) => {
      if (r.status === 202 && r.data.status === 'pending_review') {
        place.replaceChildren();
        slot.show(O.pendingReviewBox('The change of your e-mail address to ' + newEmail));
      } else if (r.status === 200) {
        P.flash('ok', { message: 'Your e-mail address is now ' + r.data.email + '. A notice went to your old address.' });
        P.render();
      } else {
        slot.show(P.errorBox(r.data));
      }
    };
    const askNumber = (newEmail, sentTo) => {
      const number = P.field('Confirmation number sent to ' + sentTo, { name: 'confirmation', class: 'short', inputmode: 'numeric', autocomplete: 'one-time-code', required: true });
      const confirm = h('button', { type: 'submit' }, 'Confirm new e-mail');
      const cform = h('form', { class: 'panel', novalidate: true, id: 'email-confirm', 'aria-label': 'Confirm the new e-mail address' },
        h('p', {}, 'We sent a confirmation number to ' + sentTo + '. Type it here to make ' + newEmail + ' your address.'),
        number.wrap, h('div', { class: 'actions' }, confirm));
      cform.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.show(null);
        confirm.disabled = true;
        const r = await P.authed('POST', '/v1/me/email', { new_email: newEmail, confirmation: number.input.value.trim() });
        confirm.disabled = false;
        if (r) done(r, newEmail);
      });
      place.replaceChildren(cform);
      number.input.focus();
    };
    const send = async (body) => {
      const r = await P.authed('POST', '/v1/me/email', body);
      if (!r) return;
      if (r.status === 403 && r.data.error === 'step_up_required') P.stepUp(place, devices, () => send(body));
      else if (r.status === 202 && r.data.status === 'confirmation_sent') askNumber(body.new_email, r.data.sent_to);
      else done(r, body.new_email);
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const newEmail = address.input.value.trim();
      if (!newEmail) {
        slot.show(P.errorBox({ message: 'Please enter the new e-mail address.' }));
        return;
      }
      const body = { new_email: newEmail };
      if (how.picked() === 'password') {
        if (!pass.input.value) {
          slot.show(P.errorBox({ message: 'Please enter your password.' }));
          return;
        }
        body.password = pass.input.value;
        pass.input.value = '';
      } else {
        body.method = 'old_email';
      }
      submit.disabled = true;
      await send(body);
      submit.disabled = false;
    });
    return form;
  }

  /* R4: new bank instructions; the answer shows the account's last 4 digits only. */
  function bankSection(devices, place, slot) {
    const bank = P.field('Bank name', { name: 'bank_name', autocomplete: 'off', required: true });
    const routing = P.field('Routing number', { name: 'routing_number', inputmode: 'numeric', class: 'short', maxlength: 9, autocomplete: 'off', required: true }, '9 digits.');
    const account = P.field('Account number', { name: 'account_number', inputmode: 'numeric', maxlength: 17, autocomplete: 'off', required: true }, '4 to 17 digits.');
    const submit = h('button', { type: 'submit' }, 'Save bank instructions');
    const onRecord = h('p', { id: 'bank-on-record', hidden: true });
    const form = h('form', { class: 'panel', novalidate: true, id: 'bank-form', 'aria-labelledby': 'h-bank' },
      h('h2', { id: 'h-bank' }, 'Bank instructions'), onRecord, bank.wrap, routing.wrap, account.wrap,
      h('div', { class: 'actions' }, submit));
    const showOnRecord = (b) => {
      onRecord.replaceChildren('On record: ' + b.bank_name + ', routing number ' + b.routing_number +
        ', account ending in ' + b.account_number_last4 + '.');
      onRecord.hidden = false;
    };
    /* What is on record now (GET /v1/me/bank-instructions; 404: none yet). */
    P.authed('GET', '/v1/me/bank-instructions').then((r) => {
      if (r && r.status === 200) showOnRecord(r.data);
    });
    const send = async (body) => {
      const r = await P.authed('POST', '/v1/me/bank-instructions', body);
      if (!r) return;
      if (r.status === 403 && r.data.error === 'step_up_required') {
        P.stepUp(place, devices, () => send(body));
        return;
      }
      if (r.status === 202 && r.data.status === 'pending_review') {
        slot.show(O.pendingReviewBox('The change of your bank instructions (account ending in ' + body.account_number.slice(-4) + ')'));
      } else if (r.status === 200) {
        showOnRecord(r.data);
        slot.show(P.successBox('Your bank instructions are saved. A notice went to your e-mail address.'));
      } else {
        slot.show(P.errorBox(r.data));
        return;
      }
      for (const f of [bank, routing, account]) f.input.value = '';
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const body = { bank_name: bank.input.value.trim(), routing_number: routing.input.value.trim(), account_number: account.input.value.trim() };
      if (!body.bank_name || !/^[0-9]{9}$/.test(body.routing_number) || !/^[0-9]{4,17}$/.test(body.account_number)) {
        slot.show(P.errorBox({ message: 'Enter the bank name, a 9-digit routing number and an account number of 4 to 17 digits.' }));
        return;
      }
      submit.disabled = true;
      await send(body);
      submit.disabled = false;
    });
    return form;
  }

  /* R31: a deposit by ACH, EFT or wire; outside SLS the ACH/EFT cap is shown. */
  function depositSection(me, slot) {
    const amount = P.field('Amount (USD)', { name: 'deposit_amount', inputmode: 'decimal', class: 'short', required: true });
    const method = radios('deposit-method', 'Method', METHODS);
    const submit = h('button', { type: 'submit' }, 'Deposit');
    const form = h('form', { class: 'panel', novalidate: true, id: 'deposit-form', 'aria-labelledby': 'h-deposit' },
      h('h2', { id: 'h-deposit' }, 'Deposit funds'),
      me.sls ? null : h('p', { class: 'notice', id: 'deposit-cap' }, 'Outside the Secure Login System, ACH and EFT deposits are capped at ' +
        P.usd(O.policy(me.limits).deposit_cap_cents) + ' in total. Wire transfers are not capped.'),
      amount.wrap, method, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      const cents = P.usdCents(amount.input.value);
      if (cents === null) {
        slot.show(P.errorBox({ message: P.AMOUNT_HELP }));
        return;
      }
      const how = method.picked();
      submit.disabled = true;
      const r = await P.authed('POST', '/v1/me/deposits', { amount_cents: cents, method: how });
      submit.disabled = false;
      if (!r) return;
      if (r.status === 201) {
        amount.input.value = '';
        const name = (METHODS.find(([v]) => v === r.data.method) || [null, r.data.method])[1];
        slot.show(P.successBox('Deposit of ' + P.usd(r.data.amount_cents) + ' by ' + name + ' recorded.'));
      } else {
        const box = P.errorBox(r.data);
        if (r.data.error === 'deposit_limit' && typeof r.data.remaining_cents === 'number') {
          box.appendChild(h('p', { class: 'detail', id: 'deposit-remaining' }, 'You can still deposit ' + P.usd(r.data.remaining_cents) +
            ' by ACH or EFT. A wire transfer is not capped.'));
        }
        slot.show(box);
      }
    });
    return form;
  }

  async function viewProfile() {
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
    const bankSlot = P.statusSlot();
    const bankPlace = h('div', {});
    const depositSlot = P.statusSlot();
    P.show(TITLE,
      me.sls ? null : h('p', { class: 'notice', id: 'review-note' },
        'You do not take part in the Secure Login System: changes of your e-mail address and bank instructions wait for a security review.'),
      slot, emailSection(me, devices, place, slot), place,
      bankSlot, bankSection(devices, bankPlace, bankSlot), bankPlace,
      depositSlot, depositSection(me, depositSlot));
  }

  P.page('#/profile', 'Profile', viewProfile);
})();
