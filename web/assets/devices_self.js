/* The Client Portal's self-service for security devices (R21, R23, R29,
 * R30, R32, R34): on the devices page, what the user can do with each
 * device (change a card's PIN, report it lost, follow a DSC+ order, its
 * return and deposit hold); and the pages "Order a DSC+" (#/dsc-plus),
 * "SMS device" (#/sms) and "Share a device" (#/share). Every change asks
 * for the step-up inline when the server wants one (403 step_up_required)
 * and then sends the same call again. */
'use strict';

(function () {
  const P = window.SLSPortal;
  const { h } = P;

  const TEMPORARY = ['temporary_passcode', 'online_card'];
  /* Cards whose PIN the portal may be asked to change; Platinum and Gold
   * check it on the card, which the server answers with a 409. */
  const PIN_CARDS = ['dsc_plus', 'dsc', 'platinum', 'gold'];
  const CARD_ONLY = ['platinum', 'gold'];
  const GONE = ['lost', 'returned'];
  /* Legacy cards are discarded, not returned (R21). */
  const NO_RETURN = ['dsc', 'platinum', 'gold', 'scc'];
  const STATE_WORDS = {
    active: 'Active',
    shipped: 'Shipped, not activated yet',
    inactive: 'Inactive',
    lost: 'Reported lost: it no longer works',
    returned: 'Returned: we received it back'
  };
  const HOLD_WORDS = {
    held: 'held while you have the card; released when you return it',
    released: 'released: we received the card back',
    kept: 'kept: the card was reported lost, or the account closed without it'
  };

  /* What the service desk asks before it marks a device lost (R40, R29). */
  function lostHelp(d) {
    return h('div', { class: 'subpanel', id: 'lost-' + d.id },
      h('p', {}, 'Call the service desk. They first confirm who you are: have at hand your user name, your date of birth, ' +
        'your citizenship and country of residence, and the type and number of the identity document on record.'),
      h('p', {}, 'They mark the ' + P.deviceName(d.type) + ' lost (it stops working at once) and give you a temporary passcode. ' +
        'With it you log in, create an online security card, and order a replacement.'),
      d.type === 'dsc_plus' ? h('p', {}, 'The USD 20 deposit of a Digital Security Card+ is kept when the card is reported lost.') : null,
      NO_RETURN.includes(d.type) ? h('p', {}, 'A broken ' + P.deviceName(d.type) + ' needs no return: once it is replaced, discard it.') : null);
  }

  /* A form changing the PIN of card `d`; its step-up and answers go to `place` and `slot`. */
  function pinForm(d, active, place, slot) {
    const cur = P.field('Current PIN', { type: 'password', name: 'current_pin', inputmode: 'numeric', maxlength: 4, class: 'short', autocomplete: 'off', required: true });
    const next = P.field('New PIN', { type: 'password', name: 'new_pin', inputmode: 'numeric', maxlength: 4, class: 'short', autocomplete: 'off', required: true }, '4 digits.');
    const again = P.field('New PIN again', { type: 'password', name: 'new_pin_again', inputmode: 'numeric', maxlength: 4, class: 'short', autocomplete: 'off', required: true });
    const submit = h('button', { type: 'submit' }, 'Save new PIN');
    const form = h('form', { class: 'subpanel', novalidate: true, id: 'pin-form-' + d.id, 'aria-label': 'Change the PIN of ' + P.deviceTitle(d) },
      cur.wrap, next.wrap, again.wrap, h('div', { class: 'actions' }, submit));
    const send = async (body) => {
      const r = await P.authed('POST', '/v1/me/devices/' + encodeURIComponent(d.id) + '/pin', body);
      if (!r) return;
      if (r.status === 403 && r.data.error === 'step_up_required') {
        P.stepUp(place, active, () => send(body));
        return;
      }
      for (const f of [cur, next, again]) f.input.value = '';
      if (r.status === 200) {
        form.remove();
        slot.show(P.successBox('The PIN of your ' + P.deviceTitle(d) + ' is changed. Use the new PIN from now on.'));
        return;
      }
      const box = P.errorBox(r.data);
      if (r.data.error === 'verification_failed') {
        box.appendChild(h('p', { class: 'detail', id: 'pin-wrong' }, 'The current PIN is not the one your ' + P.deviceName(d.type) +
          ' uses now; the PIN stays as it was. Wrong PINs count toward locking your user name.'));
      }
      if (r.status === 409) form.remove(); // this device's PIN is not changed here
      if (r.status === 409 && CARD_ONLY.includes(d.type)) {
        box.appendChild(h('p', { class: 'detail', id: 'pin-on-card' }, 'Your ' + P.deviceName(d.type) +
          ' checks its PIN itself: change it on the card, as its instructions say. The portal cannot change it.'));
      }
      slot.show(box);
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const body = { current_pin: cur.input.value.trim(), new_pin: next.input.value.trim() };
      if (!/^[0-9]{4}$/.test(body.current_pin) || !/^[0-9]{4}$/.test(body.new_pin)) {
        slot.show(P.errorBox({ message: 'A PIN is 4 digits.' }));
        return;
      }
      if (body.new_pin !== again.input.value.trim()) {
        slot.show(P.errorBox({ message: 'The two new PINs differ.' }));
        return;
      }
      submit.disabled = true;
      await send(body);
      submit.disabled = false;
    });
    return form;
  }

  /* ordered → shipped → active, with the dates the order answer gives. */
  function orderSteps(o) {
    const activated = o.device_state === 'active' || o.device_state === 'inactive' || o.state === 'settled';
    const step = (done, text) => h('li', { class: done ? 'done' : 'todo' }, (done ? '✓ ' : '○ ') + text);
    const items = [step(true, 'Ordered ' + P.whenText(o.ordered_at) + '.')];
    if (o.shipped_at) {
      items.push(step(true, 'Shipped ' + P.whenText(o.shipped_at) + '. Delivery takes about 2 days in the US and 2 weeks elsewhere.'));
    } else {
      items.push(step(false, 'Ships by ' + o.estimated_ship_date + ' (estimated).'));
    }
    if (o.state === 'settled' || activated) {
      items.push(step(true, o.device_state === 'lost' ? 'Reported lost.' : o.device_state === 'returned' ? 'Returned.'
        : 'Activated' + (o.activated_at ? ' ' + P.whenText(o.activated_at) : '') + '.'));
    } else if (o.auto_activation_at) {
      items.push(h('li', { class: 'todo' }, '○ Once it arrives, activate it on the ', h('a', { href: '#/reactivate' }, 'Reactivate device'),
        ' page by answering a challenge from it; otherwise it activates by itself on ' + P.whenText(o.auto_activation_at) + '.'));
    } else {
      items.push(step(false, 'Activated by you at your first login with it, or by itself 21 days after shipment.'));
    }
    return h('ol', { class: 'order-steps' }, items);
  }

  function orderPanel(o) {
    const hold = o.hold_cents
      ? 'Deposit of ' + P.usd(o.hold_cents) + ' on account ' + o.deposit_account + ': ' + (HOLD_WORDS[o.hold] || o.hold) + '.'
      : 'No deposit is held for this order.';
    return h('article', { class: 'subpanel', 'data-order-id': o.order_id },
      h('h3', {}, 'Digital Security Card+ order ' + o.order_id.slice(0, 8).toUpperCase()),
      orderSteps(o),
      h('p', {}, 'Shipping address: ' + o.address),
      h('p', { class: 'hold' }, hold));
  }

  /* One device: its state, and what the user can do with it. */
  function deviceCard(d, active, orders) {
    const slot = P.statusSlot();
    const place = h('div', {});
    const body = h('div', {});
    const actions = h('div', { class: 'actions' });
    const card = h('article', { class: 'subpanel device-actions', 'data-device-id': d.id, 'aria-labelledby': 'h-dev-' + d.id },
      h('h3', { id: 'h-dev-' + d.id }, P.deviceTitle(d)),
      h('p', { class: 'device-state' }, STATE_WORDS[d.state] || d.state),
      d.shared ? h('p', { class: 'notice' }, 'Shared with you by its owner: its PIN and its loss are the owner\'s to handle.') : null,
      slot, actions, body, place);
    const order = orders.find((o) => o.device_id === d.id);
    if (order && order.hold_cents) {
      card.appendChild(h('p', { class: 'hold' }, 'Deposit of ' + P.usd(order.hold_cents) + ': ' + (HOLD_WORDS[order.hold] || order.hold) + '.'));
    }
    if (d.shared || GONE.includes(d.state)) return card;
    if (d.state === 'shipped') {
      actions.appendChild(h('a', { class: 'button secondary', href: '#/reactivate', id: 'activate-' + d.id }, 'Activate it'));
    }
    if (PIN_CARDS.includes(d.type)) {
      actions.appendChild(h('button', {
        type: 'button', class: 'secondary', id: 'pin-' + d.id,
        onclick: () => {
          slot.show(null);
          body.replaceChildren(pinForm(d, active, place, slot));
          body.querySelector('input').focus();
        }
      }, 'Change PIN'));
    }
    actions.appendChild(h('button', {
      type: 'button', class: 'secondary', id: 'report-lost-' + d.id,
      onclick: () => {
        slot.show(null);
        body.replaceChildren(lostHelp(d));
      }
    }, 'Report it lost'));
    return card;
  }

  async function devicesPart(me) {
    const o = await P.authed('GET', '/v1/me/dsc-plus');
    const orders = o && o.status === 200 ? o.data.orders : [];
    const active = me.devices.filter((d) => d.state === 'active');
    const own = me.devices.filter((d) => !TEMPORARY.includes(d.type));
    const open = orders.filter((x) => x.state !== 'settled');
    return [
      h('section', { class: 'panel', id: 'device-actions', 'aria-labelledby': 'h-device-actions' },
        h('h2', { id: 'h-device-actions' }, 'What you can do with each device'),
        own.length ? own.map((d) => deviceCard(d, active, orders)) : h('p', {}, 'You hold no security device. ',
          h('a', { href: '#/dsc-plus' }, 'Order a Digital Security Card+'), ' or ', h('a', { href: '#/sms' }, 'add an SMS device'), '.'),
        h('p', {}, h('a', { href: '#/totp', id: 'add-totp' }, 'Add an authenticator app'),
          ' (Google Authenticator, FreeOTP, Aegis and the like) as a security device.')),
      h('section', { class: 'panel', id: 'dsc-orders', 'aria-labelledby': 'h-orders' },
        h('h2', { id: 'h-orders' }, 'Digital Security Card+ orders'),
        o && o.status !== 200 ? P.errorBox(o.data) : null,
        orders.length ? [...open, ...orders.filter((x) => x.state === 'settled')].map(orderPanel)
          : h('p', {}, 'No order. ', h('a', { href: '#/dsc-plus' }, 'Order a Digital Security Card+'), '.'))
    ];
  }

  /* ---- Order a DSC+ (R21) ---- */

  /* Words for a refusal of the order, beside the server's message and hint. */
  function orderRefusal(r) {
    const box = P.errorBox(r.data);
    if (r.data.error === 'not_eligible') {
      box.id = 'not-eligible';
      box.appendChild(h('p', {}, 'A Digital Security Card+ is sent to clients with equity of USD 1,000,000 or more, or to replace a ' +
        'Digital Security Card+, Platinum or Gold card that was reported lost or returned broken. Until then, the mobile authenticator ' +
        'is the strongest device you can use.'));
    } else if (r.status === 409) {
      box.id = 'order-open';
      box.appendChild(h('p', {}, 'Only one card is on order at a time. Follow the open order on the ',
        h('a', { href: '#/devices' }, 'Security devices'), ' page.'));
    } else if (r.status === 400 && /deposit_account/.test(r.data.message || '')) {
      box.id = 'deposit-refused';
      box.appendChild(h('p', {}, 'The USD 20 deposit is held on your own account, or on another account in your name ' +
        '(opened with the same identification data). Enter one of those.'));
    }
    return box;
  }

  async function viewOrder() {
    const page = await P.pageWithStepUp('/v1/me');
    if (!page) return;
    const { r, devices } = page;
    if (r.status !== 200) {
      P.show('Order a Digital Security Card+', P.errorBox(r.data));
      return;
    }
    const me = r.data;
    const slot = P.statusSlot();
    const place = h('div', {});
    const address = P.field('Shipping address', { name: 'address', autocomplete: 'street-address', maxlength: 500, required: true },
      'Street, city, postal code and country.');
    const pin = P.field('PIN for the card', { type: 'password', name: 'pin', inputmode: 'numeric', maxlength: 4, class: 'short', autocomplete: 'off', required: true },
      '4 digits. You type it into the card before each use.');
    const again = P.field('PIN again', { type: 'password', name: 'pin_again', inputmode: 'numeric', maxlength: 4, class: 'short', autocomplete: 'off', required: true });
    const account = P.field('Account for the deposit', { name: 'deposit_account', class: 'short', autocapitalize: 'characters', autocomplete: 'off', required: true, value: me.account_id },
      'Holds a USD 20 deposit: this account or another account of yours (U and 7 digits).');
    const submit = h('button', { type: 'submit' }, 'Order the card');
    const form = h('form', { class: 'panel', novalidate: true, id: 'order-form', 'aria-labelledby': 'h-order' },
      h('h2', { id: 'h-order' }, 'Your order'),
      h('p', {}, 'The card is shipped on the next business day and activates itself 21 days after shipment unless you activate it sooner.'),
      address.wrap, pin.wrap, again.wrap, account.wrap, h('div', { class: 'actions' }, submit));
    const send = async (body) => {
      const o = await P.authed('POST', '/v1/me/dsc-plus', body);
      if (!o) return;
      if (o.status === 403 && o.data.error === 'step_up_required') {
        P.stepUp(place, devices, () => send(body));
        return;
      }
      pin.input.value = '';
      again.input.value = '';
      if (o.status !== 201) {
        slot.show(orderRefusal(o));
        return;
      }
      form.remove();
      slot.show(h('div', { class: 'success', role: 'status', id: 'order-placed' },
        h('p', {}, 'Your Digital Security Card+ is ordered.'),
        h('p', {}, 'Order id: ', h('strong', { id: 'order-id' }, o.data.order_id)),
        h('p', {}, 'Estimated ship date: ', h('strong', { id: 'order-ship-date' }, o.data.estimated_ship_date)),
        h('p', {}, 'Deposit of ' + P.usd(o.data.hold_cents) + ' held on account ' + o.data.deposit_account + '.'),
        h('p', {}, 'Follow it on the ', h('a', { href: '#/devices' }, 'Security devices'), ' page.')));
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const body = { address: address.input.value.trim(), pin: pin.input.value.trim(), deposit_account: account.input.value.trim().toUpperCase() };
      if (body.address.length < 5) {
        slot.show(P.errorBox({ message: 'Please enter the shipping address.' }));
        return;
      }
      if (!/^[0-9]{4}$/.test(body.pin)) {
        slot.show(P.errorBox({ message: 'The PIN is 4 digits.' }));
        return;
      }
      if (body.pin !== again.input.value.trim()) {
        slot.show(P.errorBox({ message: 'The two PINs differ.' }));
        return;
      }
      if (!/^U[0-9]{7}$/.test(body.deposit_account)) {
        slot.show(P.errorBox({ message: 'The account for the deposit is U followed by 7 digits.' }));
        return;
      }
      submit.disabled = true;
      await send(body);
      submit.disabled = false;
    });
    P.show('Order a Digital Security Card+', slot, form, place);
  }

  /* ---- SMS device (R30 enrolment) ---- */

  async function viewSms() {
    const page = await P.pageWithStepUp('/v1/me');
    if (!page) return;
    const { r, devices } = page;
    const slot = P.statusSlot();
    const place = h('div', {});
    const has = r.status === 200 && r.data.devices.some((d) => d.type === 'sms' && d.state === 'active');
    const country = P.field('Country calling code', { name: 'country', inputmode: 'numeric', class: 'short', autocomplete: 'tel-country-code', required: true }, 'Digits only, such as 1 or 44.');
    const number = P.field('Mobile number', { name: 'number', inputmode: 'numeric', autocomplete: 'tel-national', required: true }, 'Digits only, without the leading 0 and without spaces.');
    const send = h('button', { type: 'submit' }, 'Send a code');
    const form = h('form', { class: 'panel', novalidate: true, id: 'sms-form', 'aria-labelledby': 'h-sms' },
      h('h2', { id: 'h-sms' }, 'Receive login codes by SMS'),
      h('p', {}, has
        ? 'You already receive codes by SMS. A new number replaces the one in use.'
        : 'Each login then sends a 6-digit code to this mobile phone. If the SMS does not arrive, we can call you with the same code.'),
      country.wrap, number.wrap, h('div', { class: 'actions' }, send));
    const askCode = (to) => {
      const code = P.field('Code sent to ' + to, { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', class: 'short', maxlength: 6, required: true });
      const confirm = h('button', { type: 'submit' }, 'Confirm');
      const cform = h('form', { class: 'panel', novalidate: true, id: 'sms-confirm', 'aria-label': 'Confirm the SMS code' },
        h('p', {}, 'We sent a 6-digit code to ' + to + '. It is valid for 10 minutes.'), code.wrap, h('div', { class: 'actions' }, confirm));
      cform.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.show(null);
        confirm.disabled = true;
        const c = await P.authed('POST', '/v1/me/sms/confirm', { code: code.input.value.trim() });
        confirm.disabled = false;
        if (!c) return;
        if (c.status === 201) {
          place.replaceChildren();
          form.remove();
          slot.show(P.successBox('Your SMS device is active: your logins can now ask for a code sent to ' + to + '.'));
        } else {
          slot.show(P.errorBox(c.data));
        }
      });
      place.replaceChildren(cform);
      code.input.focus();
    };
    const enrol = async (phone) => {
      const a = await P.authed('POST', '/v1/me/sms/enroll', { phone });
      if (!a) return;
      if (a.status === 202) askCode(a.data.to);
      else if (a.status === 403 && a.data.error === 'step_up_required') P.stepUp(place, devices, () => enrol(phone));
      else slot.show(P.errorBox(a.data));
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      send.disabled = true;
      await enrol({ country: country.input.value.trim(), number: number.input.value.trim() });
      send.disabled = false;
    });
    P.show('SMS device', r.status === 200 ? null : P.errorBox(r.data), slot, form, place);
  }

  /* ---- Share a device (R32) ---- */

  /* What each refusal of R32 means and what the user can do. */
  const SHARE_REFUSALS = {
    different_identification: 'Both user names must belong to the same person: the identification data on record ' +
      '(date of birth, citizenship, residence, identity document) differ or are missing. Call the service desk to correct them.',
    temporary_device_assigned: 'One of the two user names uses a temporary passcode or an online security card. ' +
      'Reactivate its security device first (page "Reactivate device"), then share.',
    ibkey_not_shareable: 'A mobile authenticator is not shared here: open the app on the owner\'s phone and add this user name to it.',
    less_secure_device: 'Only the most secure device of the two user names can be shared. Share the stronger device, ' +
      'or let the owner share yours the other way round.',
    verification_failed: 'The response is not the one the owner\'s device shows for this challenge. Ask for a new challenge ' +
      'and type exactly what the owner\'s device shows: wrong answers count toward locking the owner\'s user name.'
  };

  function shareRefusal(err) {
    const box = P.errorBox(err);
    if (SHARE_REFUSALS[err.error]) {
      box.id = 'share-refusal';
      box.setAttribute('data-error', err.error);
      box.appendChild(h('p', { class: 'explain' }, SHARE_REFUSALS[err.error]));
    }
    return box;
  }

  /* The open request, as GET /v1/me/share-device tells it: waiting for
   * compliance or in effect, with the owner's user name and the device. */
  function shareState(open, cancel) {
    const device = P.deviceTitle(open.device);
    const lines = open.status === 'pending_compliance'
      ? [h('p', { id: 'share-pending' }, 'Your request to use the device of ' + open.owner_username +
          ' is waiting for compliance.'),
        h('p', {}, 'The two user names belong to different accounts: our compliance team reviews the request. ' +
          'Until it is approved, nothing changes and you log in with your own devices.')]
      : [h('p', { id: 'share-active' }, 'You use the device of ' + open.owner_username + ': from now on it answers ' +
          'your logins and confirmations. Your own devices are inactive until you cancel sharing.')];
    if (open.device.state !== 'active') {
      // Lost or returned by its owner: it answers for nobody, and cancelling brings back the user's own devices.
      const why = { lost: 'was reported lost', returned: 'was returned' }[open.device.state] || 'is not active';
      lines.push(h('p', { class: 'notice', id: 'share-device-gone' }, 'The shared device ' + why +
        ': it answers for nobody now. Cancel sharing to use your own devices again.'));
    }
    const facts = h('dl', { class: 'facts', id: 'share-facts' },
      h('dt', {}, 'Device'), h('dd', { id: 'shared-now' }, device),
      h('dt', {}, 'Requested'), h('dd', {}, P.whenText(open.requested_at)));
    if (open.approved_at) facts.append(h('dt', {}, 'In effect since'), h('dd', {}, P.whenText(open.approved_at)));
    return h('section', { class: 'panel', id: 'share-state', 'data-status': open.status, 'aria-labelledby': 'h-share-state' },
      h('h2', { id: 'h-share-state' }, open.status === 'pending_compliance' ? 'Waiting for compliance' : 'Device shared with you'),
      ...lines, facts,
      h('p', {}, open.status === 'pending_compliance' ? 'Cancel the request if you no longer want it.'
        : 'Cancel sharing to use your own devices again.'),
      h('div', { class: 'actions' }, cancel));
  }

  async function viewShare() {
    const page = await P.pageWithStepUp('/v1/me');
    if (!page) return;
    const { r, devices } = page;
    const o = await P.authed('GET', '/v1/me/share-device');
    if (!o) return;
    const open = o.status === 200 ? o.data : null;
    const slot = P.statusSlot();
    const place = h('div', {});
    const step = h('div', {});
    const owner = P.field('Owner\'s user name', { name: 'owner_username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true },
      'Your other user name, whose security device you want to use.');
    const pass = P.field('Owner\'s password', { type: 'password', name: 'owner_password', autocomplete: 'off', required: true });
    const submit = h('button', { type: 'submit' }, 'Get a challenge');
    const form = h('form', { class: 'panel', novalidate: true, id: 'share-form', 'aria-labelledby': 'h-share' },
      h('h2', { id: 'h-share' }, 'Use the device of your other user name'),
      h('p', {}, 'Instead of keeping a device for each of your user names, this user name can use the device of another one. ' +
        'Your own devices become inactive while you share, and come back when you cancel. ' +
        'Between different accounts, the request waits for our compliance team.'),
      owner.wrap, pass.wrap, h('div', { class: 'actions' }, submit));
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'share-cancel' }, 'Cancel sharing');
    const start = async (body) => {
      const c = await P.authed('POST', '/v1/me/share-device', body);
      if (!c) return;
      if (c.status === 403 && c.data.error === 'step_up_required') {
        P.stepUp(place, devices, () => start(body));
        return;
      }
      if (c.status !== 200 || !c.data.challenge) {
        slot.show(shareRefusal(c.data));
        return;
      }
      const cf = P.challengeForm(c.data.challenge, async (response, button) => {
        button.disabled = true;
        const a = await P.authed('POST', '/v1/me/share-device', Object.assign(P.responseBody(response), body));
        button.disabled = false;
        if (!a) return null;
        if (a.status === 200 && a.data.status) {
          pass.input.value = '';
          // Shown as every later visit shows it, from the server's record.
          P.render();
          return null;
        }
        if (a.status === 403 && a.data.error === 'step_up_required') {
          P.stepUp(place, devices, () => start(body));
          step.replaceChildren();
          return null;
        }
        // The challenge is used up: another try starts with a new one.
        step.replaceChildren();
        slot.show(shareRefusal(a.data));
        return null;
      }, 'Share the device');
      step.replaceChildren(h('section', { class: 'panel', id: 'share-answer', 'aria-labelledby': 'h-share-answer' },
        h('h2', { id: 'h-share-answer' }, 'Answer with the owner\'s device'),
        h('p', {}, 'Enter this challenge into the security device of ' + body.owner_username + '.'),
        cf.slot, cf.form));
      const first = cf.form.querySelector('input');
      if (first) first.focus();
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      step.replaceChildren();
      const body = { owner_username: owner.input.value.trim(), owner_password: pass.input.value };
      if (!body.owner_username || !body.owner_password) {
        slot.show(P.errorBox({ message: 'Please enter the owner\'s user name and password.' }));
        return;
      }
      submit.disabled = true;
      await start(body);
      submit.disabled = false;
    });
    const stop = async () => {
      const d = await P.authed('DELETE', '/v1/me/share-device');
      if (!d) return;
      if (d.status === 403 && d.data.error === 'step_up_required') {
        P.stepUp(place, devices, stop);
        return;
      }
      if (d.status !== 200) {
        slot.show(P.errorBox(d.data));
        return;
      }
      const done = 'Sharing is cancelled.' + (d.data.restored && d.data.restored.length
        ? ' Your own devices are active again (' + d.data.restored.length + ').' : '');
      if (d.data.sessions_revoked && await P.sessionEndedBy(done +
        ' You were logged in with the shared device: please log in again with your own.')) return;
      P.flash('ok', { message: done });
      P.render();
    };
    cancel.addEventListener('click', async () => {
      slot.show(null);
      cancel.disabled = true;
      await stop();
      cancel.disabled = false;
    });
    const failed = r.status !== 200 ? r.data : (o.status !== 200 && o.status !== 404 ? o.data : null);
    P.show('Share a device', failed ? P.errorBox(failed) : null, slot,
      open ? shareState(open, cancel) : form, step, place);
  }

  /* ---- Add an authenticator app (SPEC §10.4) ---- */

  /* POST /v1/me/totp (after a step-up when the server asks for one) shows
   * the QR code and the secret, then the app's first code confirms it. */
  async function viewTotp() {
    const page = await P.pageWithStepUp('/v1/me');
    if (!page) return;
    const { r, devices } = page;
    const slot = P.statusSlot();
    const place = h('div', {});
    const start = h('button', { type: 'button', id: 'totp-start' }, 'Show the QR code');
    const intro = h('section', { class: 'panel', id: 'totp-intro', 'aria-labelledby': 'h-totp' },
      h('h2', { id: 'h-totp' }, 'Add an authenticator app'),
      h('p', {}, 'Your app then shows a new 6-digit code every 30 seconds; a login asks for the code it shows. ' +
        'Each code works once.'), h('div', { class: 'actions' }, start));
    const askCode = (e) => {
      const img = h('img', {
        id: 'totp-qr', alt: 'QR code to scan with your authenticator app', width: 240, height: 240,
        src: 'data:image/svg+xml;base64,' + btoa(e.qr_svg)
      });
      const code = P.field('Code the app shows now', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', class: 'short', maxlength: 6, required: true });
      const confirm = h('button', { type: 'submit' }, 'Confirm');
      const cform = h('form', { class: 'panel', novalidate: true, id: 'totp-confirm', 'aria-label': 'Confirm the authenticator app' },
        h('p', {}, 'Scan this QR code with your authenticator app, or type the key below into it ' +
          '(time-based, 6 digits, 30 seconds). Then enter the code it shows. Do this within 10 minutes.'),
        img, h('p', {}, 'Key: ', h('code', { id: 'totp-secret' }, e.secret)), code.wrap, h('div', { class: 'actions' }, confirm));
      cform.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.show(null);
        confirm.disabled = true;
        const c = await P.authed('POST', '/v1/me/totp/' + encodeURIComponent(e.device_id) + '/confirm', { code: code.input.value.trim() });
        confirm.disabled = false;
        if (!c) return;
        if (c.status === 201) {
          place.replaceChildren();
          intro.remove();
          slot.show(P.successBox('Your authenticator app is active: your logins can now ask for the code it shows.'));
        } else {
          slot.show(P.errorBox(c.data));
        }
      });
      place.replaceChildren(cform);
      code.input.focus();
    };
    const enrol = async () => {
      const a = await P.authed('POST', '/v1/me/totp', {});
      if (!a) return;
      if (a.status === 201) askCode(a.data);
      else if (a.status === 403 && a.data.error === 'step_up_required') P.stepUp(place, devices, enrol);
      else slot.show(P.errorBox(a.data));
    };
    start.addEventListener('click', async () => {
      slot.show(null);
      place.replaceChildren();
      start.disabled = true;
      await enrol();
      start.disabled = false;
    });
    P.show('Authenticator app', r.status === 200 ? null : P.errorBox(r.data), slot, intro, place);
  }

  P.devicesPart(devicesPart);
  P.page('#/dsc-plus', 'Order a DSC+', viewOrder);
  P.page('#/sms', 'SMS device', viewSms);
  P.page('#/totp', 'Authenticator app', viewTotp);
  P.page('#/share', 'Share a device', viewShare);
})();
