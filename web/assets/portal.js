/* The Client Portal: a single-page application over the public API of slsd.
 *
 * Routes are URL fragments (#/login, #/reset, #/factor, #/devices, #/card,
 * #/reactivate, #/password, #/limits, #/phones); pages kept in their own
 * files under assets/ add theirs, and sections of the devices page, through
 * window.SLSPortal (see the end of this file), before the first page is
 * drawn. The session's bearer token lives in sessionStorage (one tab, gone
 * when it closes) and goes out in an Authorization header; there are no
 * cookies. The client token a login hands out in [lockout] mode client
 * (SPEC §10.3) is kept per user name in localStorage, so that it outlives
 * the tab and the logout, and is sent with the next login of that user
 * name. Everything the server says is put into the page with textContent,
 * never parsed as HTML. */
'use strict';

(function () {
  const SESSION_KEY = 'sls.session';
  const LOGIN_KEY = 'sls.login';
  const FLASH_KEY = 'sls.flash';
  const CLIENT_TOKENS_KEY = 'sls.client_tokens';
  const POLL_MS = 1000;

  const DEVICE_NAMES = {
    dsc_plus: 'Digital Security Card+',
    dsc: 'Digital Security Card',
    platinum: 'Platinum card',
    gold: 'Gold card',
    scc: 'Security Code Card',
    ibkey: 'Mobile authenticator',
    sms: 'SMS code',
    totp: 'Authenticator app',
    temporary_passcode: 'Temporary passcode',
    online_card: 'Online security card',
    passkey: 'Passkey',
    none: 'None'
  };
  const TEMPORARY = ['temporary_passcode', 'online_card'];

  let main;
  let nav;
  let pollTimer = null;
  /* Nav links of the pages other files add (full sessions only). */
  const MORE_LINKS = [];
  /* Sections other files add to the devices page: fn(me, session) → node(s). */
  const DEVICE_PARTS = [];

  /* ---- small helpers ---- */

  /* An element with attributes (strings, or functions for on* events) and
   * children (nodes, or strings added as text). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return el;
  }

  let uid = 0;
  /* A labelled input field; returns {wrap, input}. */
  function field(label, attrs, help) {
    const id = 'f' + (++uid);
    const helpId = help ? id + '-help' : null;
    const input = h('input', Object.assign({ id: id, type: 'text', 'aria-describedby': helpId }, attrs));
    const wrap = h('div', { class: 'field' },
      h('label', { for: id }, label), input,
      help ? h('span', { class: 'help', id: helpId }, help) : null);
    return { wrap, input };
  }

  function deviceName(type) {
    return DEVICE_NAMES[type] || type;
  }

  function deviceTitle(d) {
    const name = deviceName(d.type);
    return d.label && d.label !== d.type && d.label !== name ? name + ' (' + d.label + ')' : name;
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  /* "2026-11-21 09:00 UTC" and the same instant in the browser's time zone. */
  function utcText(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' UTC';
  }

  function localText(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function whenText(iso) {
    return localText(iso) + ' (' + utcText(iso) + ')';
  }

  function usd(cents) {
    if (cents === null || cents === undefined) return 'Unlimited';
    return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  }

  const AMOUNT_HELP = 'Enter an amount in US dollars, such as 2500 or 2500.50.';

  /* Cents of an amount typed in US dollars ("2500", "2500.50"), or null. */
  function usdCents(text) {
    const t = String(text).trim();
    if (!/^[0-9]{1,12}(\.[0-9]{1,2})?$/.test(t) || Number(t) <= 0) return null;
    return Math.round(Number(t) * 100);
  }

  /* ---- storage ---- */

  function load(key) {
    try {
      return JSON.parse(sessionStorage.getItem(key) || 'null');
    } catch (e) {
      return null;
    }
  }

  function save(key, value) {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  }

  /* SPEC §10.3: the client token of each user name, in localStorage. */
  function clientTokens() {
    try {
      const all = JSON.parse(localStorage.getItem(CLIENT_TOKENS_KEY) || '{}');
      return all && typeof all === 'object' && !Array.isArray(all) ? all : {};
    } catch (e) {
      return {};
    }
  }

  function clientToken(username) {
    const t = clientTokens()[username];
    return typeof t === 'string' ? t : null;
  }

  function keepClientToken(username, token) {
    if (!username || typeof token !== 'string') return;
    const all = clientTokens();
    all[username] = token;
    try {
      localStorage.setItem(CLIENT_TOKENS_KEY, JSON.stringify(all));
    } catch (e) {
      /* storage full or refused: the next login counts as an unknown client */
    }
  }

  /* A message for the next page shown (after a redirect). */
  function flash(kind, body) {
    save(FLASH_KEY, { kind, body });
  }

  function takeFlash() {
    const f = load(FLASH_KEY);
    save(FLASH_KEY, null);
    return f;
  }

  /* ---- the API ---- */

  /* One call; resolves to {status, data} (data: parsed JSON or null). A
   * network failure becomes status 0 with a message of ours. */
  async function api(method, path, body, opts) {
    const headers = {};
    const session = load(SESSION_KEY);
    if (session && session.token && !(opts && opts.noAuth)) headers.Authorization = 'Bearer ' + session.token;
    const init = { method, headers, credentials: 'omit', cache: 'no-store', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, init);
    } catch (e) {
      return { status: 0, data: { error: 'network', message: 'The server cannot be reached. Please try again.' } };
    }
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
    if (!resp.ok && (!data || typeof data.message !== 'string')) {
      data = { error: 'http_' + resp.status, message: 'The server answered ' + resp.status + '.' };
    }
    return { status: resp.status, data };
  }

  /* A signed-in call: a 401 ends the session and goes back to the login,
   * unless it is about credentials the call carried (another user name's
   * password, R32), not about the session. */
  async function authed(method, path, body) {
    const r = await api(method, path, body);
    if (r.status === 401 && !['invalid_credentials', 'login_failed'].includes(r.data.error)) {
      save(SESSION_KEY, null);
      flash('error', { message: 'Your session has ended. Please log in again.' });
      go('#/login');
      return null;
    }
    return r;
  }

  /* After a change that may have ended this very session (cancelling a
   * sharing ends the sessions opened with the shared device, R32): when it
   * did, back to the login with `message` (true); else false. */
  async function sessionEndedBy(message) {
    const r = await api('GET', '/v1/session');
    if (r.status !== 401) return false;
    save(SESSION_KEY, null);
    flash('ok', { message });
    go('#/login');
    return true;
  }

  /* What answers a challenge: a passkey's credential (an object, SPEC
   * §10.5) goes as {credential}, every typed answer as {response}. */
  function responseBody(response) {
    return response !== null && typeof response === 'object' ? { credential: response } : { response };
  }

  /* ---- messages ---- */

  /* The box of an error answer: the server's message, its hint, and for a
   * locked account when the lock ends. */
  function errorBox(err) {
    const box = h('div', { class: 'alert', role: 'alert' },
      h('p', { class: 'message' }, err.message || 'Something went wrong.'));
    if (err.error === 'locked' && err.locked_until) {
      box.appendChild(h('p', { class: 'detail', 'data-locked-until': err.locked_until },
        'Locked until ' + whenText(err.locked_until) + '.'));
    }
    if (err.hint) box.appendChild(h('p', { class: 'hint' }, err.hint));
    if (err.error === 'limit_exceeded') {
      if ('remaining_today_cents' in err) box.appendChild(h('p', { class: 'detail' }, 'Remaining today: ' + usd(err.remaining_today_cents)));
      if ('remaining_5_days_cents' in err) box.appendChild(h('p', { class: 'detail' }, 'Remaining over 5 business days: ' + usd(err.remaining_5_days_cents)));
    }
    return box;
  }

  function successBox(...lines) {
    return h('div', { class: 'success', role: 'status' }, lines.map((l) => h('p', {}, l)));
  }

  /* A slot where a form shows its latest error or success. */
  function statusSlot() {
    const slot = h('div', { 'aria-live': 'polite' });
    slot.show = (node) => {
      slot.replaceChildren();
      if (node) slot.appendChild(node);
    };
    return slot;
  }

  /* ---- page frame ---- */

  function stopPolling() {
    if (pollTimer !== null) {
      clearTimeout(pollTimer);
      pollTimer = null;
    }
  }

  function go(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  function setNav(session) {
    nav.replaceChildren();
    if (!session) {
      nav.hidden = true;
      return;
    }
    const here = location.hash || '#/devices';
    const links = session.access === 'online_card_only'
      ? [['#/card', 'Online card']]
      : [['#/devices', 'Devices'], ['#/card', 'Online card'], ['#/reactivate', 'Reactivate device'],
          ['#/phones', 'Mobile numbers'], ['#/password', 'Password'], ['#/limits', 'Limits and withdrawals']].concat(MORE_LINKS);
    for (const [href, text] of links) {
      nav.appendChild(h('a', { href, 'aria-current': here === href ? 'page' : null }, text));
    }
    nav.appendChild(h('button', { type: 'button', class: 'link', id: 'logout', onclick: logout }, 'Log out'));
    nav.hidden = false;
  }

  function show(title, ...content) {
    document.title = title + ' — Client Portal';
    main.classList.remove('wide');
    main.replaceChildren(h('h1', {}, title), ...content.filter((c) => c !== null && c !== undefined));
    const f = takeFlash();
    if (f) main.insertBefore(f.kind === 'error' ? errorBox(f.body) : successBox(f.body.message), main.children[1] || null);
    const first = main.querySelector('input:not([type=hidden]):not([disabled]), button:not([disabled])');
    if (first && first.closest('form')) first.focus();
    else main.focus();
  }

  async function logout() {
    stopPolling();
    await api('DELETE', '/v1/session');
    save(SESSION_KEY, null);
    save(LOGIN_KEY, null);
    flash('ok', { message: 'You have logged out.' });
    go('#/login');
  }

  /* ---- login, stage 1 ---- */

  function viewLogin() {
    setNav(null);
    const user = field('User name', { name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
    const pass = field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const portal = h('input', { type: 'radio', name: 'platform', value: 'portal', id: 'platform-portal', checked: true });
    const trading = h('input', { type: 'radio', name: 'platform', value: 'trading', id: 'platform-trading' });
    const paper = h('input', { type: 'checkbox', name: 'paper', id: 'paper' });
    const slot = statusSlot();
    const submit = h('button', { type: 'submit' }, 'Log in');
    const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Log in' },
      user.wrap, pass.wrap,
      h('fieldset', {},
        h('legend', {}, 'Log in to'),
        h('div', { class: 'choices-inline' },
          h('div', { class: 'choice' }, portal, h('label', { for: 'platform-portal' }, 'Client Portal')),
          h('div', { class: 'choice' }, trading, h('label', { for: 'platform-trading' }, 'Trading Platform')))),
      h('div', { class: 'choice field' }, paper, h('label', { for: 'paper' }, 'Paper trading account')),
      h('div', { class: 'actions' }, submit, h('a', { href: '#/reset', id: 'forgot' }, 'Forgot password?')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      if (!user.input.value || !pass.input.value) {
        slot.show(errorBox({ message: 'Please enter your user name and password.' }));
        return;
      }
      const body = {
        username: user.input.value,
        password: pass.input.value,
        platform: trading.checked ? 'trading' : 'portal'
      };
      if (paper.checked) body.paper = true;
      const kept = clientToken(body.username);
      if (kept) body.client_token = kept;
      submit.disabled = true;
      const r = await api('POST', '/v1/login', body, { noAuth: true });
      submit.disabled = false;
      if (r.status !== 200) {
        pass.input.value = '';
        slot.show(errorBox(r.data));
        return;
      }
      startedLogin(r.data, body.platform, body.username);
    });
    show('Log in', slot, form);
  }

  function startedLogin(data, platform, username) {
    if (data.status === 'authenticated') {
      signedIn(data.session, username);
      return;
    }
    const dflt = (data.devices || []).find((d) => d.default) || (data.devices || [])[0] || {};
    save(LOGIN_KEY, {
      login_id: data.login_id,
      devices: data.devices || [],
      device_id: dflt.id,
      challenge: data.challenge,
      platform,
      username
    });
    go('#/factor');
  }

  /* The client token goes to localStorage only; the session to sessionStorage. */
  function signedIn(session, username) {
    const login = load(LOGIN_KEY);
    keepClientToken(username || (login && login.username), session.client_token);
    delete session.client_token;
    save(LOGIN_KEY, null);
    save(SESSION_KEY, session);
    go(session.access === 'online_card_only' ? '#/card' : '#/devices');
  }

  /* ---- login, stage 2 ---- */

  /* A login that failed at stage 2 is over (R9): back to stage 1 with why. */
  function loginOver(err) {
    stopPolling();
    save(LOGIN_KEY, null);
    flash('error', err);
    go('#/login');
  }

  async function answer(login, response, submit) {
    if (submit) submit.disabled = true;
    const r = await api('POST', '/v1/login/' + encodeURIComponent(login.login_id) + '/response', responseBody(response), { noAuth: true });
    if (submit) submit.disabled = false;
    if (r.status === 200 && r.data.status === 'authenticated') {
      signedIn(r.data.session);
      return null;
    }
    if (r.status === 401 || r.status === 403) {
      loginOver(r.data);
      return null;
    }
    return r.data;
  }

  /* Switches the login to device_id (optionally a mode or channel). */
  async function switchDevice(login, extra, slot) {
    const r = await api('POST', '/v1/login/' + encodeURIComponent(login.login_id) + '/device',
      Object.assign({ device_id: login.device_id }, extra), { noAuth: true });
    if (r.status !== 200) {
      if (r.status === 401 || r.status === 403) loginOver(r.data);
      else slot.show(errorBox(r.data));
      return;
    }
    login.device_id = r.data.device_id || login.device_id;
    login.challenge = r.data.challenge;
    save(LOGIN_KEY, login);
    render();
  }

  /* A passkey's challenge: the button asks the browser for the passkey
   * (window.SLSWebAuthn, webauthn.js) and gives its credential, or shows why
   * the browser refused and gives null, leaving the button for another try. */
  function passkeyPart(challenge, parts) {
    const note = statusSlot();
    note.id = 'passkey-status';
    const waiting = h('div', { class: 'waiting', role: 'status', id: 'passkey-waiting', hidden: true },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', {}, 'Follow your browser\'s prompt: confirm with your fingerprint, face, screen lock or security key.'));
    parts.push(h('p', { id: 'passkey-intro' }, 'Use your passkey: press the button, then confirm on this device or with your security key.'), note, waiting);
    if (!window.SLSWebAuthn.supported()) note.show(errorBox(window.SLSWebAuthn.UNSUPPORTED));
    return async () => {
      note.show(null);
      waiting.hidden = false;
      const r = await window.SLSWebAuthn.get(challenge.publicKey);
      waiting.hidden = true;
      if (r.error) {
        note.show(errorBox(r.error));
        return null;
      }
      return r.credential;
    };
  }

  /* The form of one challenge kind (and `extra` fields); calls back with the
   * response to send (a passkey's: its credential object). */
  function challengeForm(challenge, onResponse, label, extra) {
    const slot = statusSlot();
    const webauthn = challenge.kind === 'webauthn' && challenge.publicKey && window.SLSWebAuthn;
    const submit = h('button', { type: 'submit', id: webauthn ? 'use-passkey' : null }, webauthn ? 'Use my passkey' : (label || 'Continue'));
    const parts = [];
    let read;
    if (webauthn) {
      read = passkeyPart(challenge, parts);
    } else if (challenge.kind === 'challenge_response') {
      const resp = field('Response', { name: 'response', class: 'short', inputmode: 'numeric', autocomplete: 'one-time-code', required: true },
        'Enter the challenge into your device and type the response it shows, without spaces.');
      parts.push(h('p', {}, 'Challenge'), h('output', { class: 'challenge', id: 'challenge' }, challenge.challenge), resp.wrap);
      read = () => resp.input.value;
    } else if (challenge.kind === 'card') {
      const [a, b] = challenge.indexes || [];
      const first = field('Value at index ' + a, { name: 'value1', class: 'short', inputmode: 'numeric', maxlength: 3, required: true, 'data-index': a });
      const second = field('Value at index ' + b, { name: 'value2', class: 'short', inputmode: 'numeric', maxlength: 3, required: true, 'data-index': b });
      parts.push(h('p', { id: 'card-indexes' }, 'Look up the values at index ', h('strong', {}, String(a)), ' and index ', h('strong', {}, String(b)), ' on your card.'),
        h('div', { class: 'indexes' }, first.wrap, second.wrap));
      read = () => first.input.value + second.input.value;
    } else if (challenge.kind === 'code') {
      const code = field('Code', { name: 'code', class: 'short', inputmode: 'numeric', autocomplete: 'one-time-code', required: true });
      parts.push(h('p', { id: 'code-channel' }, challenge.channel === 'voice'
        ? 'We are calling your phone. Enter the 6-digit code you hear.'
        : challenge.channel === 'app'
          ? 'Open your authenticator app and enter the 6-digit code it shows now for this account.'
          : 'We sent a 6-digit code by SMS to your mobile phone. Enter it below.'), code.wrap);
      read = () => code.input.value;
    } else if (challenge.kind === 'static') {
      const pc = field('Temporary passcode', { name: 'passcode', class: 'short', autocapitalize: 'characters', autocomplete: 'off', spellcheck: 'false', required: true },
        'The passcode the service desk gave you: 8 upper-case letters and digits.');
      parts.push(pc.wrap);
      read = () => pc.input.value;
    } else {
      parts.push(errorBox({ message: 'This page cannot answer this kind of challenge. Please choose another device.' }));
      submit.disabled = true;
      read = () => '';
    }
    const form = h('form', { novalidate: true, 'aria-label': 'Second factor' }, ...parts, extra || null, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      submit.disabled = true;
      const response = await read();
      submit.disabled = false;
      if (response === null) return; // the browser refused the passkey: shown, the button tries again
      const err = await onResponse(response, submit);
      if (err) slot.show(errorBox(err));
    });
    return { form, slot, submit };
  }

  function devicePicker(login, slot) {
    if (login.devices.length < 2) return null;
    const radios = login.devices.map((d) => {
      const id = 'dev-' + d.id;
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'device', id, value: d.id, checked: d.id === login.device_id }),
        h('label', { for: id }, deviceTitle(d)));
    });
    const form = h('form', { class: 'panel', 'aria-label': 'Choose a device' },
      h('fieldset', {}, h('legend', {}, 'Use another security device'), radios),
      h('button', { type: 'submit', class: 'secondary' }, 'Use this device'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const picked = form.querySelector('input[name=device]:checked');
      if (!picked || picked.value === login.device_id) return;
      login.device_id = picked.value;
      switchDevice(login, {}, slot);
    });
    return form;
  }

  /* Number matching (SPEC §10.3): the two digits to type into the app,
   * shown large; nothing when the server does not match numbers. */
  function pushNumber(ch, id) {
    if (typeof ch.number !== 'number') return h('span', { hidden: true });
    return h('div', { class: 'push-number-box' },
      h('p', { id: id + '-label' }, 'Type this number in your mobile authenticator to approve:'),
      h('output', { class: 'push-number', id, 'aria-labelledby': id + '-label' }, String(ch.number)),
      h('p', { class: 'help' }, 'If you did not start this, deny the request in the app.'));
  }

  function viewFactor() {
    setNav(null);
    const login = load(LOGIN_KEY);
    if (!login || !login.challenge) {
      go('#/login');
      return;
    }
    const current = login.devices.find((d) => d.id === login.device_id) || { type: '' };
    const slot = statusSlot();
    const panel = h('div', { class: 'panel' }, h('p', { class: 'notice', id: 'device-name' }, 'Security device: ' + deviceTitle(current)));
    const ch = login.challenge;
    if (ch.kind === 'push') {
      panel.appendChild(pushNumber(ch, 'push-number'));
      panel.appendChild(h('div', { class: 'waiting', role: 'status', id: 'push-waiting' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', {}, 'We sent a notification to your mobile authenticator. Approve the login there; this page continues by itself.')));
      panel.appendChild(h('p', {}, h('button', {
        type: 'button', class: 'link', id: 'push-fallback',
        onclick: () => {
          stopPolling();
          switchDevice(login, { mode: 'challenge_response' }, slot);
        }
      }, 'Click here if you do not receive the notification')));
      pollPush(login, slot);
    } else {
      const cf = challengeForm(ch, (response, submit) => answer(login, response, submit), 'Log in');
      panel.appendChild(cf.slot);
      panel.appendChild(cf.form);
      if (ch.kind === 'code' && ch.channel === 'sms') {
        panel.appendChild(h('p', {}, h('button', {
          type: 'button', class: 'link', id: 'call-me',
          onclick: () => switchDevice(login, { channel: 'voice' }, slot)
        }, 'Call me instead')));
      }
    }
    const picker = devicePicker(login, slot);
    show('Second factor', slot, panel, picker);
  }

  function pollPush(login, slot) {
    stopPolling();
    const tick = async () => {
      pollTimer = null;
      if (location.hash !== '#/factor') return;
      const r = await api('GET', '/v1/login/' + encodeURIComponent(login.login_id), undefined, { noAuth: true });
      if (location.hash !== '#/factor') return;
      if (r.status === 200 && r.data.status === 'authenticated' && r.data.session) {
        signedIn(r.data.session);
      } else if (r.status === 200 && r.data.status === 'denied') {
        loginOver({ message: 'The login was denied on your mobile authenticator.' });
      } else if (r.status === 200 && (r.data.status === 'expired' || r.data.status === 'failed')) {
        loginOver({ message: 'The login request expired. Please log in again.' });
      } else if (r.status === 200) {
        pollTimer = setTimeout(tick, POLL_MS);
      } else {
        slot.show(errorBox(r.data));
        pollTimer = setTimeout(tick, POLL_MS * 3);
      }
    };
    pollTimer = setTimeout(tick, POLL_MS);
  }

  /* ---- signed in ---- */

  /* The session, refreshed from the server; null (and a redirect) when there is none. */
  async function currentSession(needFull) {
    const stored = load(SESSION_KEY);
    if (!stored || !stored.token) {
      go('#/login');
      return null;
    }
    const r = await authed('GET', '/v1/session');
    if (!r) return null;
    if (r.status !== 200) {
      show('Client Portal', errorBox(r.data));
      return null;
    }
    const session = Object.assign({}, r.data, { token: stored.token });
    save(SESSION_KEY, session);
    if (needFull && session.access === 'online_card_only') {
      go('#/card');
      return null;
    }
    setNav(session);
    return session;
  }

  function deviceRow(d) {
    let until = '';
    if (d.type === 'temporary_passcode' && d.portal_until) {
      until = 'Full access until ' + whenText(d.full_access_until) + '; online card only until ' + whenText(d.portal_until);
    } else if (d.expires_at) {
      until = 'Expires ' + whenText(d.expires_at);
    }
    return h('tr', { 'data-device-id': d.id, 'data-type': d.type },
      h('td', {}, deviceTitle(d)),
      h('td', {}, h('span', { class: 'state' }, d.state)),
      h('td', {}, until));
  }

  async function viewDevices() {
    const session = await currentSession(true);
    if (!session) return;
    const r = await authed('GET', '/v1/me');
    if (!r) return;
    if (r.status !== 200) {
      show('Security devices', errorBox(r.data));
      return;
    }
    const me = r.data;
    const temporary = me.devices.filter((d) => TEMPORARY.includes(d.type));
    const permanent = me.devices.filter((d) => !TEMPORARY.includes(d.type));
    const table = (rows) => h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Valid'))),
      h('tbody', {}, rows.map(deviceRow))));
    const parts = [];
    for (const part of DEVICE_PARTS) parts.push(await part(me, session));
    if (location.hash !== '#/devices') return; // left meanwhile
    show('Security devices',
      h('section', { class: 'panel', 'aria-labelledby': 'h-account' },
        h('h2', { id: 'h-account' }, 'Account'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'User name'), h('dd', { id: 'username' }, me.username),
          h('dt', {}, 'Account'), h('dd', {}, me.account_id + ' (' + me.account_state + ')'),
          h('dt', {}, 'Signed in with'), h('dd', { id: 'factor' }, deviceName(session.factor) + ' — ' + (session.platform === 'trading' ? 'Trading Platform' : 'Client Portal')),
          h('dt', {}, 'Session ends'), h('dd', {}, whenText(session.expires_at)),
          h('dt', {}, 'Secure Login System'), h('dd', {}, me.sls ? 'Participating' : 'Not participating'))),
      h('section', { class: 'panel', 'aria-labelledby': 'h-devices' },
        h('h2', { id: 'h-devices' }, 'Security devices'),
        permanent.length ? table(permanent) : h('p', { class: 'notice' }, 'No security device.')),
      h('section', { class: 'panel', 'aria-labelledby': 'h-temp' },
        h('h2', { id: 'h-temp' }, 'Temporary credentials'),
        temporary.length ? table(temporary) : h('p', { class: 'notice' }, 'No temporary credential.')),
      ...parts.flat());
  }

  /* ---- online security card (R27) ---- */

  function cardSheet(card) {
    const cells = [];
    for (let i = 1; i <= 100; i++) {
      cells.push(h('div', { class: 'cell', 'data-index': i },
        h('span', { class: 'idx' }, String(i)),
        h('span', { class: 'val' }, card.cells[String(i)] || '')));
    }
    return h('div', { class: 'card-sheet', id: 'card-sheet' },
      h('div', { class: 'card-head' },
        h('span', { class: 'card-title' }, 'Online Security Card'),
        h('span', { class: 'card-meta' }, 'Card ' + card.card_id.slice(0, 8).toUpperCase())),
      h('div', { class: 'card-grid', role: 'grid', 'aria-label': 'Card values by index' }, cells),
      h('p', { class: 'card-meta print-only' }, 'Keep this card private. At login you will be asked for the values at two indexes.'));
  }

  async function saveImage(card, slot) {
    const r = await fetch('/v1/me/online-card/' + encodeURIComponent(card.card_id) + '.svg', {
      headers: { Authorization: 'Bearer ' + load(SESSION_KEY).token }, credentials: 'omit', cache: 'no-store'
    }).catch(() => null);
    if (!r || !r.ok) {
      let err = { message: 'The card image could not be fetched.' };
      try {
        if (r) err = await r.json();
      } catch (e) { /* keep ours */ }
      slot.show(errorBox(err));
      return;
    }
    const url = URL.createObjectURL(await r.blob());
    const a = h('a', { href: url, download: 'online-security-card.svg', class: 'no-print', hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function activationForm(card, slot) {
    const [a, b] = card.activation.indexes;
    const cf = challengeForm({ kind: 'card', indexes: [a, b] }, async (response, submit) => {
      submit.disabled = true;
      const r = await authed('POST', '/v1/me/online-card/' + encodeURIComponent(card.card_id) + '/activate', { response });
      submit.disabled = false;
      if (!r) return null;
      if (r.status !== 200) return r.data;
      save('sls.card', null);
      slot.show(successBox(
        'Your online security card is active until ' + whenText(r.data.expires_at) + '.',
        'From your next login, choose "Online security card" and enter the values at the two indexes shown.'));
      cf.form.remove();
      return null;
    }, 'Activate card');
    return cf;
  }

  async function viewCard() {
    const session = await currentSession(false);
    if (!session) return;
    const slot = statusSlot();
    const request = h('button', { type: 'button', id: 'request-card' }, 'Create my online security card');
    const intro = h('section', { class: 'panel no-print' },
      h('p', {}, 'An online security card replaces your security device for 21 days after you activate it. ' +
        'Print it or save it as an image, then activate it with the values at the two indexes we ask for.'),
      session.access === 'online_card_only'
        ? h('p', { class: 'notice' }, 'Your temporary passcode now opens this page only.')
        : null,
      h('div', { class: 'actions' }, request));
    const holder = h('div', {});
    const showCard = (card) => {
      const actionsSlot = statusSlot();
      const act = activationForm(card, actionsSlot);
      holder.replaceChildren(
        cardSheet(card),
        h('div', { class: 'actions no-print' },
          h('button', { type: 'button', id: 'print-card', onclick: () => window.print() }, 'Print'),
          h('button', { type: 'button', class: 'secondary', id: 'save-card', onclick: () => saveImage(card, actionsSlot) }, 'Save as image')),
        h('section', { class: 'panel no-print', 'aria-labelledby': 'h-activate' },
          h('h2', { id: 'h-activate' }, 'Activate the card'),
          actionsSlot, act.slot, act.form));
      intro.remove();
    };
    request.addEventListener('click', async () => {
      request.disabled = true;
      slot.show(null);
      const r = await authed('POST', '/v1/me/online-card', {});
      request.disabled = false;
      if (!r) return;
      if (r.status !== 201 && r.status !== 200) {
        slot.show(errorBox(r.data));
        return;
      }
      showCard(r.data);
    });
    show('Online security card', slot, intro, holder);
    main.classList.add('wide');
  }

  /* ---- reactivation (R28) ---- */

  async function viewReactivate() {
    const session = await currentSession(true);
    if (!session) return;
    const r = await authed('GET', '/v1/me');
    if (!r) return;
    if (r.status !== 200) {
      show('Reactivate a security device', errorBox(r.data));
      return;
    }
    const devices = r.data.devices.filter((d) => !TEMPORARY.includes(d.type) && d.state !== 'lost' && d.state !== 'returned');
    const slot = statusSlot();
    const step = h('div', {});
    if (!devices.length) {
      show('Reactivate a security device', h('p', { class: 'notice' }, 'You have no security device to reactivate. Please call the service desk.'));
      return;
    }
    // A card that arrived (shipped, R21) is the one to activate first.
    const shipped = devices.findIndex((d) => d.state === 'shipped');
    const radios = devices.map((d, i) => h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'device', id: 'react-' + d.id, value: d.id, checked: i === Math.max(shipped, 0) }),
      h('label', { for: 'react-' + d.id }, deviceTitle(d) + ' — ' + d.state)));
    const pick = h('form', { class: 'panel', 'aria-label': 'Choose the device' },
      h('p', {}, 'Have your security device back, or its replacement? Answer a challenge from it: ' +
        'your temporary passcode and online card stop working and other sessions opened with them end.'),
      h('fieldset', {}, h('legend', {}, 'Device'), radios),
      h('button', { type: 'submit', id: 'react-start' }, 'Get a challenge'));
    pick.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      const id = pick.querySelector('input[name=device]:checked').value;
      const path = '/v1/me/devices/' + encodeURIComponent(id) + '/reactivate';
      const c = await authed('POST', path, {});
      if (!c) return;
      if (c.status !== 200) {
        slot.show(errorBox(c.data));
        return;
      }
      const cf = challengeForm(c.data.challenge, async (response, submit) => {
        submit.disabled = true;
        const done = await authed('POST', path, responseBody(response));
        submit.disabled = false;
        if (!done) return null;
        if (done.status !== 200) {
          step.replaceChildren();
          pick.hidden = false;
          return done.data;
        }
        const was = devices.find((d) => d.id === id);
        step.replaceChildren(was && was.state === 'shipped'
          ? successBox(deviceTitle(done.data.device) + ' is active: it answers your logins and confirmations from now on.')
          : successBox(deviceTitle(done.data.device) + ' is active again.',
            'Your temporary passcode and online card no longer work.'));
        pick.remove();
        return null;
      }, 'Reactivate');
      pick.hidden = true;
      step.replaceChildren(h('section', { class: 'panel' }, cf.slot, cf.form));
      (cf.form.querySelector('input') || cf.submit).focus(); // a passkey's form has only its button
    });
    show('Reactivate a security device', slot, pick, step);
  }

  /* ---- password (R3) ---- */

  async function viewPassword() {
    const session = await currentSession(true);
    if (!session) return;
    const cur = field('Current password', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
    const next = field('New password', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true },
      '6 to 40 characters with at least one letter and one digit.');
    const again = field('New password again', { type: 'password', name: 'new_password_again', autocomplete: 'new-password', required: true });
    const slot = statusSlot();
    const submit = h('button', { type: 'submit' }, 'Change password');
    const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Change password' }, cur.wrap, next.wrap, again.wrap, h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      if (next.input.value !== again.input.value) {
        slot.show(errorBox({ message: 'The two new passwords differ.' }));
        return;
      }
      submit.disabled = true;
      const r = await authed('POST', '/v1/me/password', { current_password: cur.input.value, new_password: next.input.value });
      submit.disabled = false;
      if (!r) return;
      for (const f of [cur, next, again]) f.input.value = '';
      slot.show(r.status === 200 || r.status === 204 ? successBox('Your password was changed.') : errorBox(r.data));
    });
    show('Change password', slot, form);
  }

  /* ---- forgotten password (R3 reset) ---- */

  /* R2, checked before the server does so that a used challenge is not
   * wasted on a password it would refuse anyway. */
  function passwordProblem(pw, again) {
    if (pw.length < 6 || pw.length > 40 || !/[A-Za-z]/.test(pw) || !/[0-9]/.test(pw)) {
      return 'The new password needs 6 to 40 characters with at least one letter and one digit.';
    }
    if (pw !== again) return 'The two new passwords differ.';
    return null;
  }

  function newPasswordFields() {
    const next = field('New password', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true },
      '6 to 40 characters with at least one letter and one digit.');
    const again = field('New password again', { type: 'password', name: 'new_password_again', autocomplete: 'new-password', required: true });
    return { next, again, wrap: h('div', {}, next.wrap, again.wrap) };
  }

  /* Not signed in: a code by e-mail, then the code with an answer from the
   * security device and the new password (a code from the service desk
   * needs no device). Every session of the user ends. */
  function viewReset() {
    setNav(null);
    const slot = statusSlot();
    const step = h('div', {});
    const user = field('User name', { name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
    const ask = h('button', { type: 'submit' }, 'Send me a code');
    const askForm = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Request a code' },
      h('p', {}, 'We send a reset code to the e-mail address on record. You will also need your security device. ' +
        'If you cannot use either, please call the service desk.'),
      user.wrap,
      h('div', { class: 'actions' }, ask, h('a', { href: '#/login' }, 'Back to log in')));
    const done = () => {
      flash('ok', { message: 'Your password was changed. Please log in with the new one.' });
      go('#/login');
    };
    const codeStep = (username, note) => {
      const code = field('Reset code', { name: 'reset_code', class: 'short', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 8, required: true },
        'The 8-digit code from the e-mail.');
      const submit = h('button', { type: 'submit' }, 'Continue');
      const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Enter the code' },
        note ? h('p', { id: 'reset-requested' }, note) : null, code.wrap, h('div', { class: 'actions' }, submit));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.show(null);
        submit.disabled = true;
        const r = await api('POST', '/v1/password-reset/complete', { username, code: code.input.value }, { noAuth: true });
        submit.disabled = false;
        if (r.status !== 200) {
          slot.show(errorBox(r.data));
          return;
        }
        passwordStep(username, code.input.value, r.data);
      });
      step.replaceChildren(form);
      askForm.hidden = true;
      code.input.focus();
    };
    const passwordStep = (username, code, data) => {
      const pw = newPasswordFields();
      const finish = async (response, submit) => {
        const problem = passwordProblem(pw.next.input.value, pw.again.input.value);
        if (problem) return { message: problem };
        const body = { username, code, new_password: pw.next.input.value };
        if (response !== null) body.response = response;
        submit.disabled = true;
        const r = await api('POST', '/v1/password-reset/complete', body, { noAuth: true });
        submit.disabled = false;
        if (r.status === 200 && r.data.password_changed) {
          done();
          return null;
        }
        // The device's challenge is used up: start again from the code.
        codeStep(username, null);
        slot.show(errorBox(r.data));
        return null;
      };
      if (!data.response_required) {
        const submit = h('button', { type: 'submit' }, 'Set new password');
        const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'New password' }, pw.wrap, h('div', { class: 'actions' }, submit));
        const formSlot = statusSlot();
        form.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          formSlot.show(null);
          const err = await finish(null, submit);
          if (err) formSlot.show(errorBox(err));
        });
        step.replaceChildren(formSlot, form);
      } else {
        const cf = challengeForm(data.challenge, (response, submit) => finish(response, submit), 'Set new password', pw.wrap);
        step.replaceChildren(h('section', { class: 'panel', 'aria-labelledby': 'h-reset-device' },
          h('h2', { id: 'h-reset-device' }, 'Answer with your security device'), cf.slot, cf.form));
      }
      const first = step.querySelector('input');
      if (first) first.focus();
    };
    askForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      if (!user.input.value) {
        slot.show(errorBox({ message: 'Please enter your user name.' }));
        return;
      }
      ask.disabled = true;
      const r = await api('POST', '/v1/password-reset', { username: user.input.value }, { noAuth: true });
      ask.disabled = false;
      if (r.status !== 202) {
        slot.show(errorBox(r.data));
        return;
      }
      codeStep(user.input.value, r.data.message + '.');
    });
    show('Reset your password', slot, askForm, step);
  }

  /* ---- limits and withdrawals (R33, R34) ---- */

  function limitsTable(l) {
    const row = (label, day, five) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, usd(day)), h('td', { class: 'num' }, usd(five)));
    return h('div', { class: 'table-wrap' }, h('table', { id: 'limits' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col', class: 'num' }, 'Per business day'), h('th', { scope: 'col', class: 'num' }, 'Per 5 business days'))),
      h('tbody', {},
        row('Limit', l.per_day_cents, l.per_5_days_cents),
        row('Used', l.used_today_cents, l.used_5_days_cents),
        row('Remaining', l.remaining_today_cents, l.remaining_5_days_cents))));
  }

  /* Step-up (R34): a fresh answer from one of the user's active devices
   * (`devices`; the server picks the strongest unless one is named), then
   * `then()`. A push to the mobile authenticator waits and polls
   * GET /v1/me/verify; its link asks for the app's challenge instead. An SMS
   * device gets its code by SMS. Outside SLS there is no step-up (409). */
  async function stepUp(place, devices, then, pick) {
    stopPolling();
    const body = {};
    if (pick && pick.device_id) body.device_id = pick.device_id;
    if (pick && pick.mode) body.mode = pick.mode;
    const c = await authed('POST', '/v1/me/verify', body);
    if (!c) return;
    if (c.status === 409) {
      place.replaceChildren();
      then();
      return;
    }
    const slot = statusSlot();
    const panel = h('section', { class: 'panel', id: 'step-up', 'aria-labelledby': 'h-step-up' },
      h('h2', { id: 'h-step-up' }, 'Confirm with your security device'), slot);
    place.replaceChildren(panel);
    if (c.status !== 200 || !c.data.challenge) {
      slot.show(errorBox(c.data || {}));
      panel.appendChild(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => stepUp(place, devices, then, pick) }, 'Try again')));
      return;
    }
    const deviceId = c.data.device_id;
    const current = devices.find((d) => d.id === deviceId);
    panel.appendChild(h('p', { class: 'notice', id: 'step-up-device' }, 'Security device: ' + (current ? deviceTitle(current) : 'your security device')));
    const done = () => {
      stopPolling();
      place.replaceChildren();
      then();
    };
    const ch = c.data.challenge;
    if (ch.kind === 'push') {
      panel.appendChild(pushNumber(ch, 'step-up-number'));
      panel.appendChild(h('div', { class: 'waiting', role: 'status', id: 'step-up-waiting' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', {}, 'We sent a notification to your mobile authenticator. Approve it there; this page continues by itself.')));
      panel.appendChild(h('p', {}, h('button', {
        type: 'button', class: 'link', id: 'step-up-fallback',
        onclick: () => stepUp(place, devices, then, { device_id: deviceId, mode: 'challenge_response' })
      }, 'Click here if you do not receive the notification')));
      pollStepUp(panel, slot, done, () => stepUp(place, devices, then, { device_id: deviceId }));
    } else {
      const cf = challengeForm(ch, async (response, submit) => {
        submit.disabled = true;
        const v = await authed('POST', '/v1/me/verify', responseBody(response));
        submit.disabled = false;
        if (!v) return null;
        if (v.status !== 200) {
          // The challenge is used up: a new one is needed for another try.
          cf.form.remove();
          panel.appendChild(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => stepUp(place, devices, then, { device_id: deviceId }) }, 'Get a new challenge')));
          slot.show(errorBox(v.data));
          return null;
        }
        done();
        return null;
      }, 'Confirm');
      panel.appendChild(cf.form);
      const first = cf.form.querySelector('input');
      if (first) first.focus();
    }
    const others = devices.filter((d) => d.id !== deviceId);
    if (others.length) {
      const radios = others.map((d) => h('div', { class: 'choice' },
        h('input', { type: 'radio', name: 'step-up-device', id: 'su-' + d.id, value: d.id }),
        h('label', { for: 'su-' + d.id }, deviceTitle(d))));
      const form = h('form', { class: 'subpanel', 'aria-label': 'Confirm with another device' },
        h('fieldset', {}, h('legend', {}, 'Use another security device'), radios),
        h('button', { type: 'submit', class: 'secondary' }, 'Use this device'));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const picked = form.querySelector('input[name=step-up-device]:checked');
        if (picked) stepUp(place, devices, then, { device_id: picked.value });
      });
      panel.appendChild(form);
    }
  }

  /* Polls a push step-up until the app approves it (then `done`), denies it,
   * or it expires (then a button to send another). */
  function pollStepUp(panel, slot, done, again) {
    stopPolling();
    const over = (err) => {
      stopPolling();
      const waiting = panel.querySelector('#step-up-waiting');
      if (waiting) waiting.remove();
      slot.show(errorBox(err));
      panel.insertBefore(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: again }, 'Send another notification')),
        panel.querySelector('#step-up-fallback') ? panel.querySelector('#step-up-fallback').parentNode : null);
    };
    const tick = async () => {
      pollTimer = null;
      if (!panel.isConnected) return;
      const r = await authed('GET', '/v1/me/verify');
      if (!r || !panel.isConnected) return;
      if (r.status === 200 && r.data.status === 'verified') done();
      else if (r.status === 200 && r.data.status === 'pending') pollTimer = setTimeout(tick, POLL_MS);
      else if (r.status === 200 && r.data.status === 'expired') over({ message: 'The notification expired before it was approved.' });
      else if (r.status === 200) over({ message: 'No confirmation is waiting any more.' });
      else if (r.status === 403) over(r.data);
      else {
        slot.show(errorBox(r.data));
        pollTimer = setTimeout(tick, POLL_MS * 3);
      }
    };
    pollTimer = setTimeout(tick, POLL_MS);
  }

  /* A full session's page that reads `path` and may ask for a step-up: the
   * answer of GET path and the user's active devices, or null when the page
   * was left (no session, or signed out on the way). */
  async function pageWithStepUp(path) {
    const session = await currentSession(true);
    if (!session) return null;
    const r = await authed('GET', path);
    if (!r) return null;
    const me = await authed('GET', '/v1/me');
    if (!me) return null;
    const devices = me.status === 200 ? me.data.devices.filter((d) => d.state === 'active') : [];
    return { r, devices };
  }

  async function viewLimits() {
    const page = await pageWithStepUp('/v1/me/limits');
    if (!page) return;
    const { r, devices } = page;
    const slot = statusSlot();
    const place = h('div', {});
    const limitsPanel = h('section', { class: 'panel', 'aria-labelledby': 'h-limits' }, h('h2', { id: 'h-limits' }, 'Withdrawal limits'));
    if (r.status === 200) {
      limitsPanel.appendChild(h('p', {}, 'Set by your strongest security device: ' + deviceName(r.data.device) + '.'));
      limitsPanel.appendChild(limitsTable(r.data));
    } else {
      limitsPanel.appendChild(errorBox(r.data));
    }
    const amount = field('Amount (USD)', { name: 'amount', inputmode: 'decimal', class: 'short', required: true });
    const submit = h('button', { type: 'submit' }, 'Withdraw');
    const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'h-withdraw' },
      h('h2', { id: 'h-withdraw' }, 'Withdraw funds'), amount.wrap, h('div', { class: 'actions' }, submit));
    const withdraw = async (cents) => {
      const w = await authed('POST', '/v1/me/withdrawals', { amount_cents: cents });
      if (!w) return;
      if (w.status === 201 || w.status === 200) {
        amount.input.value = '';
        flash('ok', { message: 'Withdrawal of ' + usd(w.data.amount_cents) + ' accepted.' });
        render();
      } else if (w.status === 403 && w.data.error === 'step_up_required') {
        stepUp(place, devices, () => withdraw(cents));
      } else {
        slot.show(errorBox(w.data));
      }
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      const cents = usdCents(amount.input.value);
      if (cents === null) {
        slot.show(errorBox({ message: AMOUNT_HELP }));
        return;
      }
      submit.disabled = true;
      await withdraw(cents);
      submit.disabled = false;
    });
    show('Limits and withdrawals', slot, limitsPanel, form, place);
  }

  /* ---- mobile numbers on record (SPEC §10.3) ---- */

  /* The numbers the mobile authenticator's activation code may go to, and a
   * form to add one: step-up first when the user holds a device (R34), then
   * a code by SMS to the new number, typed here. */
  async function viewPhones() {
    const page = await pageWithStepUp('/v1/me/phones');
    if (!page) return;
    const { r, devices } = page;
    const slot = statusSlot();
    const place = h('div', {});
    const list = h('section', { class: 'panel', 'aria-labelledby': 'h-phones' }, h('h2', { id: 'h-phones' }, 'Mobile numbers on record'));
    if (r.status === 200) {
      list.appendChild(r.data.phones.length
        ? h('ul', { id: 'phones' }, ...r.data.phones.map((p) => h('li', {}, p.masked)))
        : h('p', { id: 'phones' }, 'No mobile number is on record.'));
      list.appendChild(h('p', { class: 'help' }, 'The activation code of a new mobile authenticator goes only to one of these numbers (at most ' + r.data.max + ').'));
    } else {
      list.appendChild(errorBox(r.data));
    }
    const country = field('Country calling code', { name: 'country', inputmode: 'numeric', class: 'short', autocomplete: 'tel-country-code', required: true }, 'Digits only, such as 1 or 44.');
    const number = field('Mobile number', { name: 'number', inputmode: 'numeric', autocomplete: 'tel-national', required: true }, 'Digits only, without the leading 0 and without spaces.');
    const send = h('button', { type: 'submit' }, 'Send a code');
    const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'h-add-phone', id: 'add-phone' },
      h('h2', { id: 'h-add-phone' }, 'Add a mobile number'), country.wrap, number.wrap, h('div', { class: 'actions' }, send));
    const askCode = (to) => {
      const code = field('Code sent to ' + to, { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', class: 'short', required: true });
      const confirm = h('button', { type: 'submit' }, 'Confirm number');
      const cform = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Confirm the new number', id: 'confirm-phone' }, code.wrap, h('div', { class: 'actions' }, confirm));
      cform.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        slot.show(null);
        confirm.disabled = true;
        const c = await authed('POST', '/v1/me/phones/confirm', { code: code.input.value.trim() });
        confirm.disabled = false;
        if (!c) return;
        if (c.status === 201) {
          flash('ok', { message: 'The number ' + to + ' is now on record.' });
          render();
        } else {
          slot.show(errorBox(c.data));
        }
      });
      place.replaceChildren(cform);
      code.input.focus();
    };
    const add = async (phone) => {
      const a = await authed('POST', '/v1/me/phones', { phone });
      if (!a) return;
      if (a.status === 202) askCode(a.data.to);
      else if (a.status === 403 && a.data.error === 'step_up_required') stepUp(place, devices, () => add(phone));
      else slot.show(errorBox(a.data));
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.show(null);
      place.replaceChildren();
      send.disabled = true;
      await add({ country: country.input.value.trim(), number: number.input.value.trim() });
      send.disabled = false;
    });
    show('Mobile numbers', slot, list, form, place);
  }

  /* ---- router ---- */

  const ROUTES = {
    '#/login': viewLogin,
    '#/reset': viewReset,
    '#/factor': viewFactor,
    '#/devices': viewDevices,
    '#/card': viewCard,
    '#/reactivate': viewReactivate,
    '#/password': viewPassword,
    '#/limits': viewLimits,
    '#/phones': viewPhones
  };

  /* What the page files (loaded after this one, before DOMContentLoaded)
   * build on: the helpers, the API, the step-up, and page(hash, link text,
   * view) to add a page for full sessions, devicesPart(fn) to add sections
   * to the devices page (fn(me, session) gives nodes, or a promise of them). */
  window.SLSPortal = Object.freeze({
    h, field, deviceName, deviceTitle, whenText, usd, usdCents, AMOUNT_HELP, errorBox, successBox, statusSlot, responseBody,
    authed, sessionEndedBy, flash, render, show, challengeForm, stepUp, pageWithStepUp, currentSession,
    page(hash, link, view) {
      ROUTES[hash] = view;
      MORE_LINKS.push([hash, link]);
    },
    devicesPart(fn) {
      DEVICE_PARTS.push(fn);
    }
  });

  function render() {
    stopPolling();
    const hash = location.hash || '';
    const view = ROUTES[hash];
    if (!view) {
      go(load(SESSION_KEY) ? '#/devices' : '#/login');
      return;
    }
    const open = ['#/login', '#/factor', '#/reset'].includes(hash);
    if (!open && !load(SESSION_KEY)) {
      go('#/login');
      return;
    }
    if (open && load(SESSION_KEY)) {
      go('#/devices');
      return;
    }
    view();
  }

  document.addEventListener('DOMContentLoaded', () => {
    main = document.getElementById('main');
    nav = document.getElementById('nav');
    window.addEventListener('hashchange', render);
    render();
  });
})();
