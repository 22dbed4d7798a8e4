/* The Client Portal's passkeys (SPEC §10.5): the section "Passkeys" of the
 * devices page adds one. POST /v1/me/passkeys/options (after a step-up when
 * the server asks for one, R34) gives the creation options; the browser
 * makes the passkey (window.SLSWebAuthn, webauthn.js) and its credential
 * goes to POST /v1/me/passkeys with the label typed here; the devices page
 * is then drawn again with the new device in its list. Logins and step-ups
 * answered with a passkey are portal.js's (the challenge form). */
'use strict';

(function () {
  const P = window.SLSPortal;
  const W = window.SLSWebAuthn;
  const { h } = P;

  /* The server's rule for a device label (as for other devices). */
  const LABEL_RULE = /^[A-Za-z0-9 ._-]{1,40}$/;

  function passkeysPart(me) {
    const active = me.devices.filter((d) => d.state === 'active');
    const slot = P.statusSlot();
    const place = h('div', {});
    const label = P.field('Name for the passkey', { name: 'passkey_label', maxlength: 40, autocomplete: 'off', value: 'Passkey' },
      'Up to 40 letters, digits, spaces, dots, dashes or underscores, such as "Laptop" or "Blue key".');
    const add = h('button', { type: 'submit', id: 'add-passkey' }, 'Add a passkey');
    const waiting = h('div', { class: 'waiting', role: 'status', id: 'passkey-create-waiting', hidden: true },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', {}, 'Follow your browser\'s prompt to create the passkey on this device or on your security key.'));
    const form = h('form', { class: 'subpanel', novalidate: true, id: 'passkey-form', 'aria-label': 'Add a passkey' },
      label.wrap, waiting, h('div', { class: 'actions' }, add));
    const enrol = async (name) => {
      const o = await P.authed('POST', '/v1/me/passkeys/options', {});
      if (!o) return;
      if (o.status === 403 && o.data.error === 'step_up_required') {
        P.stepUp(place, active, () => enrol(name));
        return;
      }
      if (o.status !== 200 || !o.data.publicKey) {
        slot.show(P.errorBox(o.data || {}));
        return;
      }
      waiting.hidden = false;
      const made = await W.create(o.data.publicKey);
      waiting.hidden = true;
      if (made.error) {
        slot.show(P.errorBox(made.error));
        return;
      }
      const r = await P.authed('POST', '/v1/me/passkeys', { credential: made.credential, label: name });
      if (!r) return;
      if (r.status !== 201) {
        slot.show(P.errorBox(r.data));
        return;
      }
      P.flash('ok', { message: 'Your passkey "' + name + '" is added: your logins and confirmations can now use it.' });
      P.render();
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const name = label.input.value.trim();
      if (!LABEL_RULE.test(name)) {
        slot.show(P.errorBox({ message: 'The name of the passkey holds 1 to 40 letters, digits, spaces, dots, dashes or underscores.' }));
        return;
      }
      if (!W.supported()) {
        slot.show(P.errorBox(W.UNSUPPORTED));
        return;
      }
      add.disabled = true;
      await enrol(name);
      add.disabled = false;
    });
    return h('section', { class: 'panel', id: 'passkeys', 'aria-labelledby': 'h-passkeys' },
      h('h2', { id: 'h-passkeys' }, 'Passkeys'),
      h('p', {}, 'A passkey lives on this computer or phone, or on a security key, and you confirm it with your fingerprint, ' +
        'face, screen lock or the key\'s PIN. It then answers your logins and confirmations instead of typing a code.'),
      W.supported() ? null : P.errorBox(W.UNSUPPORTED),
      slot, form, place);
  }

  P.devicesPart(passkeysPart);
})();
