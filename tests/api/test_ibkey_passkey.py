"""§10.3 with §10.5: a passkey vouches for a new mobile authenticator. When
the user's strongest device is a passkey, the activation's challenge is the
webauthn challenge of login (kind "webauthn" with its request options), and
the completion carries the passkey's assertion as device_credential. What is
refused, each ending the activation and counting toward R8: an assertion
for another challenge, one from another origin, a typed response in its
place, none at all; a replayed assertion finds its activation used up."""

from client import PASSWORD, PHONE
from softauthn import Authenticator
from test_ibkey import App, e164, events, last_code
from test_passkeys import origin, passkey_login, passkey_user


def vouched_by_passkey(srv, user="alice"):
    """A user holding an older DSC and a passkey (the stronger): returns
    (authenticator, passkey device id)."""
    card, token, auth, dev = passkey_user(srv, user, card_type="dsc")
    return auth, dev


def start(srv, user="alice"):
    """Stage one of the activation: (activation id, its code, its challenge)."""
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": user, "password": PASSWORD, "phone": PHONE})
    assert st == 202, (st, raw)
    return js["activation_id"], last_code(srv, e164(PHONE))["code"], js.get("challenge")


def complete(srv, app, activation_id, code, **answer):
    body = {"activation_id": activation_id, "code": code, "public_key": app.public_b64(),
            "mode": "pin"}
    body.update(answer)
    return srv.pub("POST", "/v1/ibkey/activation/complete", body)


def failures(srv, user="alice"):
    return srv.lock_state(user)["failures"]


def test_the_challenge_is_the_webauthn_one_and_the_assertion_vouches(srv):
    auth, dev = vouched_by_passkey(srv)
    activation_id, code, ch = start(srv)
    assert ch["kind"] == "webauthn", ch
    assert ch["device"]["id"] == dev and ch["device"]["type"] == "passkey", ch
    pk = ch["publicKey"]
    assert pk["rpId"] == "localhost" and pk["userVerification"] == "required", pk
    assert pk["allowCredentials"] == [{"type": "public-key", "id": auth.get(".", ".")["id"]}], pk
    assert len(pk["challenge"]) == 43, pk
    app = App(srv)
    st, js, raw = complete(srv, app, activation_id, code,
                           device_credential=auth.get(pk["challenge"], origin(srv)))
    assert st == 200, (st, raw)
    types = {d["type"]: d["state"] for d in srv.user_view("alice")["devices"]}
    assert types["ibkey"] == "active" and types["passkey"] == "active", types
    assert [r["outcome"] for r in events(srv, "alice", "ibkey.activation")][-1] == "ok"
    # The counter moved: the same count again at a login is refused.
    login_id, lpk = passkey_login(srv, "alice", dev)
    stale = auth.get(lpk["challenge"], origin(srv), count=auth.sign_count)
    st, js, raw = srv.pub("POST", "/v1/login/%s/response" % login_id, {"credential": stale})
    assert st == 401, (st, raw)


def test_an_assertion_for_another_challenge_is_refused_and_counted(srv):
    auth, dev = vouched_by_passkey(srv)
    before = failures(srv)
    # Signed properly, but over a login's challenge instead of the activation's.
    login_id, lpk = passkey_login(srv, "alice", dev)
    activation_id, code, ch = start(srv)
    assert lpk["challenge"] != ch["publicKey"]["challenge"]
    other = auth.get(lpk["challenge"], origin(srv))
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=other)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert failures(srv) == before + 1
    # The activation is over: its code and challenge are used up.
    good = auth.get(ch["publicKey"]["challenge"], origin(srv))
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=good)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    assert "ibkey" not in [d["type"] for d in srv.user_view("alice")["devices"]]


def test_a_replayed_assertion_is_refused(srv):
    auth, dev = vouched_by_passkey(srv)
    activation_id, code, ch = start(srv)
    cred = auth.get(ch["publicKey"]["challenge"], origin(srv))
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
    assert st == 200, (st, raw)
    first = js["device_id"]
    # Again into the same activation: nothing waits any more.
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    # Into a new activation: its challenge is another.
    before = failures(srv)
    activation_id, code, ch = start(srv)
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert failures(srv) == before + 1
    ibkeys = [d for d in srv.user_view("alice")["devices"] if d["type"] == "ibkey"]
    assert [d["id"] for d in ibkeys if d["state"] == "active"] == [first], ibkeys


def test_wrong_origin_rp_id_and_no_user_verification_are_refused(start_server):
    # Five refusals in a row: the lock waits further off.
    srv = start_server(extra_ini="[policy]\nlockout_failures = 50\n")
    auth, dev = vouched_by_passkey(srv)
    for kw in (dict(origin="https://evil.example"), dict(rp_id="evil.example"), dict(uv=False),
               dict(kind="webauthn.create")):
        activation_id, code, ch = start(srv)
        o = kw.pop("origin", origin(srv))
        cred = auth.get(ch["publicKey"]["challenge"], o, **kw)
        st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
        assert st == 403 and js["error"] == "verification_failed", (kw, st, raw)
    # Another authenticator than the passkey's, signing the right challenge.
    activation_id, code, ch = start(srv)
    cred = Authenticator().get(ch["publicKey"]["challenge"], origin(srv))
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
    assert st == 403, (st, raw)
    assert "ibkey" not in [d["type"] for d in srv.user_view("alice")["devices"]]
    outcomes = [r["outcome"] for r in events(srv, "alice", "ibkey.activation")]
    assert "ok" not in outcomes, outcomes


def test_a_typed_response_none_or_both_are_refused(srv):
    auth, dev = vouched_by_passkey(srv)
    # Nothing from the passkey: refused, counted, the activation over.
    before = failures(srv)
    activation_id, code, ch = start(srv)
    st, js, raw = complete(srv, App(srv), activation_id, code)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert "device_credential" in js["hint"], js
    assert failures(srv) == before + 1
    # A typed response is no assertion.
    activation_id, code, ch = start(srv)
    st, js, raw = complete(srv, App(srv), activation_id, code, device_response="12345678")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    # Both fields, or a credential that is no object: a 400 that uses nothing.
    activation_id, code, ch = start(srv)
    cred = auth.get(ch["publicKey"]["challenge"], origin(srv))
    for answer in (dict(device_credential=cred, device_response="12345678"),
                   dict(device_credential="x"), dict(device_credential=["x"])):
        st, js, raw = complete(srv, App(srv), activation_id, code, **answer)
        assert st == 400 and js["error"] == "bad_request", (answer, st, raw)
    st, js, raw = complete(srv, App(srv), activation_id, code, device_credential=cred)
    assert st == 200, (st, raw)
