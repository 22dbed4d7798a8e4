"""SPEC §10.5: a passkey answers every in-session challenge its holder may be
given, not only login and step-up: reactivating the passkey after a temporary
passcode (R28) and vouching for a device shared with another user (R32). The
answer is {credential}, checked as a login's assertion (origin, RP ID, user
verification, the challenge of this session, used once); a typed {response}
or both fields are refused and change nothing. Credentials come from the
software authenticator in softauthn.py."""

from softauthn import ES256, Authenticator
from test_passkeys import origin, passkey_user, register
from test_reactivation import reactivate, states
from test_sharing import IDENT, requests, share
from test_temporary import issue_ok, session_of


def passkey_away(srv):
    """alice's card and passkey are away: a temporary passcode session.
    Returns (passkey authenticator, passkey device id, passcode, token)."""
    card, token, auth, dev = passkey_user(srv)
    srv.advance(1)
    passcode = issue_ok(srv, "alice")
    token = session_of(srv, passcode["passcode"])["token"]
    return auth, dev, passcode, token


def webauthn_challenge(srv, token, dev):
    st, js, raw = reactivate(srv, token, dev)
    assert st == 200 and js["device_id"] == dev, (st, raw)
    ch = js["challenge"]
    assert ch["kind"] == "webauthn" and ch["publicKey"]["challenge"], ch
    allowed = [c["id"] for c in ch["publicKey"].get("allowCredentials", [])]
    return ch["publicKey"]["challenge"], allowed


def test_reactivation_with_the_passkey_ends_the_passcode(srv):
    auth, dev, passcode, token = passkey_away(srv)
    challenge, allowed = webauthn_challenge(srv, token, dev)
    cred = auth.get(challenge, origin(srv))
    assert allowed == [cred["id"]], (allowed, cred["id"])
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": cred},
                          token=token)
    assert st == 200, (st, raw)
    assert js["device"]["id"] == dev and js["device"]["state"] == "active", js
    assert passcode["device_id"] in js["revoked"], js
    assert states(srv)[passcode["device_id"]] == "inactive"
    # The same assertion again: the challenge is used.
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": cred},
                          token=token)
    assert st == 409, (st, raw)


def test_reactivation_refuses_a_wrong_assertion_and_a_typed_answer(srv):
    auth, dev, passcode, token = passkey_away(srv)
    before = states(srv)
    # Another origin: a phishing page relaying the challenge. Refused and
    # counted; the challenge is gone with it.
    challenge, _ = webauthn_challenge(srv, token, dev)
    bad = auth.get(challenge, "https://evil.example")
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": bad},
                          token=token)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    # Another authenticator's assertion for the right challenge.
    challenge, _ = webauthn_challenge(srv, token, dev)
    other = Authenticator(ES256).get(challenge, origin(srv))
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": other},
                          token=token)
    assert st == 403, (st, raw)
    # Without user verification.
    challenge, _ = webauthn_challenge(srv, token, dev)
    no_uv = auth.get(challenge, origin(srv), uv=False)
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": no_uv},
                          token=token)
    assert st == 403, (st, raw)
    assert srv.lock_state("alice")["failures"] == 3
    # A typed answer cannot stand for a passkey: malformed, nothing counted.
    challenge, _ = webauthn_challenge(srv, token, dev)
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"response": "123456"},
                          token=token)
    assert st == 400, (st, raw)
    # Both fields, or a credential that is not an object: 400, nothing used.
    challenge, _ = webauthn_challenge(srv, token, dev)
    good = auth.get(challenge, origin(srv))
    for body in ({"credential": good, "response": "123456"}, {"credential": "text"},
                 {"credential": [good]}):
        st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, body, token=token)
        assert st == 400, (body, st, raw)
    assert states(srv) == before
    assert srv.lock_state("alice")["failures"] == 3
    # The challenge still waits: the good assertion reactivates.
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev, {"credential": good},
                          token=token)
    assert st == 200 and js["device"]["state"] == "active", (st, raw)


def test_a_passkey_vouches_for_the_device_it_shares(srv):
    """bob holds a card and a passkey; alice asks to share bob's passkey (both
    as strong as a DSC+). bob's assertion, with his password, completes it."""
    a = srv.create_user("alice", identity=dict(IDENT))
    srv.create_user("bob", identity=dict(IDENT), account_id=a["account_id"], primary=False)
    adev = srv.add_device("alice", "dsc_plus")
    bcard = srv.add_device("bob", "dsc_plus")
    btoken = srv.full_login("bob", bcard)["token"]
    srv.step_up(btoken, bcard)
    bauth = Authenticator(ES256)
    st, js, raw = register(srv, btoken, bauth)
    assert st == 201, (st, raw)
    bpass = js["device_id"]
    token = srv.full_login("alice", adev)["token"]
    srv.step_up(token, adev)
    st, js, raw = share(srv, token, device_id=bpass)
    assert st == 200 and js["device_id"] == bpass, (st, raw)
    assert js["challenge"]["kind"] == "webauthn", js
    challenge = js["challenge"]["publicKey"]["challenge"]
    # An assertion made for another origin: refused, nothing shared.
    st, js2, raw = share(srv, token, device_id=bpass,
                         credential=bauth.get(challenge, "https://evil.example"))
    assert st == 403, (st, raw)
    assert requests(srv) == []
    st, js, raw = share(srv, token, device_id=bpass)
    challenge = js["challenge"]["publicKey"]["challenge"]
    st, js, raw = share(srv, token, device_id=bpass,
                        credential=bauth.get(challenge, origin(srv)))
    assert st == 200 and js["status"] == "active", (st, raw)
    assert states(srv, "alice")[adev.id] == "inactive"
