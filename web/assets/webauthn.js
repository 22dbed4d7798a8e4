/* The browser's side of passkeys (SPEC §10.5) for the Client Portal: the
 * server's creation and request options (base64url fields) turned into what
 * navigator.credentials.create() and .get() take, the credential they give
 * turned back into the JSON the API reads ({id, rawId, type, response} with
 * base64url fields), and every refusal of the browser put into a sentence a
 * customer understands. window.SLSWebAuthn.create(publicKey) and
 * .get(publicKey) resolve to {credential} or to {error: {message, hint}};
 * they never reject, so no caller is left waiting. */
'use strict';

(function () {
  function toBytes(b64url) {
    const b64 = String(b64url).replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toText(buffer) {
    const bytes = new Uint8Array(buffer);
    let bin = '';
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map((c) => Object.assign({}, c, { id: toBytes(c.id) }));
  }

  function creationOptions(pk) {
    return Object.assign({}, pk, {
      challenge: toBytes(pk.challenge),
      user: Object.assign({}, pk.user, { id: toBytes(pk.user.id) }),
      excludeCredentials: descriptors(pk.excludeCredentials)
    });
  }

  function requestOptions(pk) {
    return Object.assign({}, pk, {
      challenge: toBytes(pk.challenge),
      allowCredentials: descriptors(pk.allowCredentials)
    });
  }

  function credentialJson(cred) {
    const r = cred.response;
    const response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      if (typeof r.getTransports === 'function') response.transports = r.getTransports();
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      if (r.userHandle) response.userHandle = toText(r.userHandle);
    }
    return { id: cred.id, rawId: toText(cred.rawId), type: cred.type, response };
  }

  const AGAIN = 'Try again, or choose another security device.';

  /* What a refusal of the browser means, for `creating` a passkey or using one. */
  function refusal(e, creating) {
    const name = e && e.name;
    if (name === 'NotAllowedError') {
      return {
        message: 'The passkey was not used: the request was cancelled or timed out, or your device could not confirm that it is you.',
        hint: creating ? 'Try again when you are ready to confirm on your device.' : AGAIN
      };
    }
    if (name === 'AbortError') return { message: 'The passkey request was stopped before it finished.', hint: creating ? 'Try again.' : AGAIN };
    if (name === 'InvalidStateError') {
      return creating
        ? { message: 'This passkey is registered already: your device holds a passkey for this account.', hint: 'Use another device or security key to add a second passkey.' }
        : { message: 'Your device cannot use this passkey now.', hint: AGAIN };
    }
    if (name === 'SecurityError') {
      return {
        message: 'Your browser refused the passkey because this page\'s address is not the one the passkeys belong to.',
        hint: 'Open the Client Portal at its usual address and try again, or choose another security device.'
      };
    }
    if (name === 'NotSupportedError') {
      return { message: 'Your device does not support the kind of passkey this service uses.', hint: creating ? 'Use another device or security key.' : AGAIN };
    }
    return { message: 'The passkey could not be used.', hint: creating ? 'Try again.' : AGAIN };
  }

  function supported() {
    return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials &&
      typeof navigator.credentials.create === 'function' && typeof navigator.credentials.get === 'function';
  }

  const UNSUPPORTED = {
    message: 'This browser cannot use passkeys.',
    hint: 'Use an up-to-date browser, or choose another security device.'
  };

  async function ceremony(creating, pk) {
    if (!supported()) return { error: UNSUPPORTED };
    let cred;
    try {
      cred = creating
        ? await navigator.credentials.create({ publicKey: creationOptions(pk) })
        : await navigator.credentials.get({ publicKey: requestOptions(pk) });
    } catch (e) {
      return { error: refusal(e, creating) };
    }
    if (!cred) return { error: refusal(null, creating) };
    try {
      return { credential: credentialJson(cred) };
    } catch (e) {
      return { error: refusal(e, creating) };
    }
  }

  window.SLSWebAuthn = Object.freeze({
    supported,
    UNSUPPORTED,
    create: (pk) => ceremony(true, pk),
    get: (pk) => ceremony(false, pk)
  });
})();
