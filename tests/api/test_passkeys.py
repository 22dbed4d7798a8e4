"""SPEC §10.5: passkeys (device type passkey, WebAuthn). Registration from a
session (step-up when the user holds a device) with a challenge bound to the
session and used once; login and step-up with the passkey; what is refused
(another origin or RP ID, no user verification, a replayed assertion, a
counter that went back, a credential id registered already); a wrong
assertion counts toward R8. Credentials come from the software authenticator
in softauthn.py, never from the server."""

from client import parallel
from softauthn import ED25519, ES256, Authenticator
from test_ibkey import events


def origin(srv):
    """With --dev and no [webauthn] origins: the portal on localhost."""
    return "http://localhost:%d" % srv.port


def options(srv, token):
    st, js, raw = srv.pub("POST", "/v1/me/passkeys/options", {}, token=token)
    assert st == 200, (st, raw)
    return js["publicKey"]


def register(srv, token, auth, **kw):
    pk = options(srv, token)
    cred = auth.create(pk["challenge"], kw.pop("origin", origin(srv)), **kw)
    return srv.pub("POST", "/v1/me/passkeys", {"credential": cred}, token=token)


def passkey_user(srv, user="alice", alg=ES256, card_type="dsc_plus"):
    """A card holder (a DSC+ unless told) who adds a passkey after a step-up.
    Returns (card, token, authenticator, passkey device id)."""
    card = srv.sls_user(user, card_type)
    token = srv.full_login(user, card)["token"]
    srv.step_up(token, card)
    auth = Authenticator(alg)
    st, js, raw = register(srv, token, auth)
    assert st == 201, (st, raw)
    assert js["device"]["type"] == "passkey" and js["device"]["state"] == "active", js
    return card, token, auth, js["device_id"]


def passkey_login(srv, user, device_id):
    """Stage 1 switched to the passkey: (login id, request options)."""
    st, js, raw = srv.login(user)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                          {"device_id": device_id})
    assert st == 200 and sw["challenge"]["kind"] == "webauthn", (st, raw)
    return js["login_id"], sw["challenge"]["publicKey"]


def answer(srv, login_id, cred):
    return srv.pub("POST", "/v1/login/%s/response" % login_id, {"credential": cred})


def test_creation_options(srv):
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    srv.step_up(token, card)
    pk = options(srv, token)
    assert len(pk["challenge"]) == 43, pk
    assert pk["rp"]["id"] == "localhost", pk
    assert pk["user"]["name"] == "alice" and pk["user"]["id"], pk
    assert pk["pubKeyCredParams"] == [{"type": "public-key", "alg": -7},
                                      {"type": "public-key", "alg": -8}], pk
    assert pk["authenticatorSelection"] == {"userVerification": "required",
                                            "residentKey": "preferred"}, pk
    assert pk["attestation"] == "none" and pk["excludeCredentials"] == [], pk
    assert pk["timeout"] == 300000, pk
    # Each call a new challenge.
    assert options(srv, token)["challenge"] != pk["challenge"]


def test_register_and_login_es256_and_ed25519(srv):
    for user, alg in (("alice", ES256), ("bob", ED25519)):
        card, token, auth, dev = passkey_user(srv, user, alg)
        assert [r["outcome"] for r in events(srv, user, "passkey.register")][-1] == "ok"
        # The registered passkey is excluded from the next registration.
        srv.step_up(token, card)
        assert options(srv, token)["excludeCredentials"] == [
            {"type": "public-key", "id": auth.get(".", ".")["id"]}]
        login_id, pk = passkey_login(srv, user, dev)
        assert pk["rpId"] == "localhost" and pk["userVerification"] == "required", pk
        assert pk["allowCredentials"] == [{"type": "public-key",
                                           "id": auth.get(".", ".")["id"]}], pk
        st, js, raw = answer(srv, login_id, auth.get(pk["challenge"], origin(srv)))
        assert st == 200 and js["status"] == "authenticated", (st, raw)
        assert js["session"]["factor"] == "passkey" and js["session"]["access"] == "full", js


def test_step_up_with_the_passkey(srv):
    card, token, auth, dev = passkey_user(srv)
    token = srv.full_login("alice", card)["token"]
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"device_id": dev}, token=token)
    assert st == 200 and js["challenge"]["kind"] == "webauthn", (st, raw)
    pk = js["challenge"]["publicKey"]
    # A wrong origin: refused, and the challenge is gone with it.
    bad = auth.get(pk["challenge"], "https://evil.example")
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"credential": bad}, token=token)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"device_id": dev}, token=token)
    pk = js["challenge"]["publicKey"]
    good = auth.get(pk["challenge"], origin(srv))
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"credential": good}, token=token)
    assert st == 200 and js["device_id"] == dev, (st, raw)
    # Verified: a device change passes the gate.
    assert options(srv, token)["challenge"]
    # The same assertion again: no challenge waits.
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"credential": good}, token=token)
    assert st == 409, (st, raw)


def test_registration_refusals_use_the_challenge(srv):
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    srv.step_up(token, card)
    auth = Authenticator(ES256)
    cases = [dict(origin="https://evil.example"), dict(rp_id="evil.example"), dict(uv=False),
             dict(up=False), dict(fmt="packed"), dict(kind="webauthn.get"),
             dict(cross_origin=True)]
    for kw in cases:
        st, js, raw = register(srv, token, auth, **kw)
        assert st == 403 and js["error"] == "verification_failed", (kw, st, raw)
    # A challenge is used once, also by a refusal.
    pk = options(srv, token)
    bad = auth.create(pk["challenge"], "https://evil.example")
    st, js, raw = srv.pub("POST", "/v1/me/passkeys", {"credential": bad}, token=token)
    assert st == 403, (st, raw)
    good = auth.create(pk["challenge"], origin(srv))
    st, js, raw = srv.pub("POST", "/v1/me/passkeys", {"credential": good}, token=token)
    assert st == 409 and js["error"] == "conflict", (st, raw)
    # A challenge the server never issued.
    options(srv, token)
    other = auth.create("A" * 43, origin(srv))
    st, js, raw = srv.pub("POST", "/v1/me/passkeys", {"credential": other}, token=token)
    assert st == 403, (st, raw)
    # Bad shapes: a clear 4xx, nothing made.
    for body in ({}, {"credential": "x"}, {"credential": {}},
                 {"credential": {"type": "public-key", "rawId": "!!", "response": {}}}):
        options(srv, token)
        st, js, raw = srv.pub("POST", "/v1/me/passkeys", body, token=token)
        assert 400 <= st < 500, (body, st, raw)
    assert "passkey" not in [d["type"] for d in srv.user_view("alice")["devices"]]
    outcomes = [r["outcome"] for r in events(srv, "alice", "passkey.register")]
    assert "wrong_origin" in outcomes and "no_user_verification" in outcomes, outcomes


def test_challenge_is_bound_to_the_session_and_expires(srv):
    card = srv.sls_user("alice")
    t1 = srv.full_login("alice", card)["token"]
    t2 = srv.full_login("alice", card)["token"]
    srv.step_up(t1, card)
    auth = Authenticator(ES256)
    pk = options(srv, t1)
    cred = auth.create(pk["challenge"], origin(srv))
    st, js, raw = srv.pub("POST", "/v1/me/passkeys", {"credential": cred}, token=t2)
    assert st == 409, (st, raw)
    srv.advance(301)
    st, js, raw = srv.pub("POST", "/v1/me/passkeys", {"credential": cred}, token=t1)
    assert st == 409, (st, raw)


def test_login_refusals(srv):
    card, token, auth, dev = passkey_user(srv)
    for kw in (dict(origin="https://evil.example"), dict(rp_id="evil.example"), dict(uv=False),
               dict(up=False), dict(kind="webauthn.create")):
        login_id, pk = passkey_login(srv, "alice", dev)
        o = kw.pop("origin", origin(srv))
        st, js, raw = answer(srv, login_id, auth.get(pk["challenge"], o, **kw))
        assert st == 401 and js["error"] == "login_failed", (kw, st, raw)
    # Another credential than the device's.
    login_id, pk = passkey_login(srv, "alice", dev)
    st, js, raw = answer(srv, login_id, Authenticator(ES256).get(pk["challenge"], origin(srv)))
    assert st == 401, (st, raw)
    assert len([r for r in events(srv, "alice", "login.failure")
                if r["outcome"] == "wrong_response"]) == 6


def test_replayed_assertion_is_refused(srv):
    card, token, auth, dev = passkey_login_ready(srv)
    login_id, pk = passkey_login(srv, "alice", dev)
    cred = auth.get(pk["challenge"], origin(srv))
    st, js, raw = answer(srv, login_id, cred)
    assert st == 200, (st, raw)
    st, js, raw = answer(srv, login_id, cred)
    assert st == 401, (st, raw)
    # At a new login, its challenge is another.
    login_id, pk = passkey_login(srv, "alice", dev)
    st, js, raw = answer(srv, login_id, cred)
    assert st == 401, (st, raw)


def passkey_login_ready(srv):
    return passkey_user(srv)


def test_counter_going_back_is_refused_counted_and_audited(srv):
    card, token, auth, dev = passkey_user(srv)
    login_id, pk = passkey_login(srv, "alice", dev)
    st, js, raw = answer(srv, login_id, auth.get(pk["challenge"], origin(srv), count=5))
    assert st == 200, (st, raw)
    failures = len(events(srv, "alice", "login.failure"))
    for count in (5, 4):
        login_id, pk = passkey_login(srv, "alice", dev)
        st, js, raw = answer(srv, login_id, auth.get(pk["challenge"], origin(srv), count=count))
        assert st == 401 and js["error"] == "login_failed", (count, st, raw)
    assert len(events(srv, "alice", "login.failure")) == failures + 2
    back = events(srv, "alice", "passkey.counter")
    assert [r["outcome"] for r in back] == ["went_back", "went_back"], back
    # Forward again: accepted.
    login_id, pk = passkey_login(srv, "alice", dev)
    st, js, raw = answer(srv, login_id, auth.get(pk["challenge"], origin(srv), count=6))
    assert st == 200, (st, raw)


def test_a_credential_registered_to_another_user_is_refused(srv):
    card, token, auth, dev = passkey_user(srv, "alice")
    bcard = srv.sls_user("bob")
    btoken = srv.full_login("bob", bcard)["token"]
    srv.step_up(btoken, bcard)
    st, js, raw = register(srv, btoken, auth)
    assert st == 409 and js["error"] == "conflict", (st, raw)
    assert "passkey" not in [d["type"] for d in srv.user_view("bob")["devices"]]
    assert "credential_taken" in [r["outcome"] for r in events(srv, "bob", "passkey.register")]


def test_password_only_attacker_cannot_register(srv):
    card = srv.sls_user("alice")
    # The password alone gives no session.
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/passkeys/options", {})
    assert st == 401, (st, raw)
    # A session without a fresh step-up is refused too.
    token = srv.full_login("alice", card)["token"]
    st, js, raw = srv.pub("POST", "/v1/me/passkeys/options", {}, token=token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/passkeys",
                          {"credential": Authenticator().create("A" * 43, origin(srv))},
                          token=token)
    assert st == 409, (st, raw)


def test_twenty_concurrent_answers_of_one_assertion_one_session(start_server):
    srv = start_server(extra_ini="[policy]\nlockout_failures = 50\n")
    card, token, auth, dev = passkey_user(srv)
    login_id, pk = passkey_login(srv, "alice", dev)
    cred = auth.get(pk["challenge"], origin(srv))
    results = parallel(20, lambda i: answer(srv, login_id, cred))
    codes = sorted(r[0] for r in results)
    assert codes.count(200) == 1, codes
    assert codes.count(401) == 19, codes
    tokens = [r[1]["session"]["token"] for r in results if r[0] == 200]
    assert len(tokens) == 1


def test_strength_and_limits_row(srv):
    card, token, auth, dev = passkey_user(srv)
    view = {d["type"]: d for d in srv.user_view("alice")["devices"]}
    assert view["passkey"]["strength"] == view["dsc_plus"]["strength"], view
    st, lim, raw = srv.pub("GET", "/v1/me/limits", token=token)
    rows = {r["device"]: r for r in lim["withdrawal_rows"]}
    assert rows["passkey"]["per_day_cents"] is None, rows


def test_a_counter_overtaken_meanwhile_fails_in_the_logins_own_transaction(start_server):
    """Two logins answered at once by two assertions of one authenticator:
    the later counter always opens its session; the earlier one either came
    first (both open) or finds the counter past it — seen by the check before
    the transaction, or by the counter's compare-and-swap inside the login's
    transaction — and is then a counted failure audited went_back, never a
    session."""
    srv = start_server(extra_ini="[policy]\nlockout_failures = 50\n")
    card, token, auth, dev = passkey_user(srv)
    refused = 0
    for round in range(8):
        (high_id, high_pk), (low_id, low_pk) = (passkey_login(srv, "alice", dev),
                                                passkey_login(srv, "alice", dev))
        base = auth.sign_count
        creds = {high_id: auth.get(high_pk["challenge"], origin(srv), count=base + 2),
                 low_id: auth.get(low_pk["challenge"], origin(srv), count=base + 1)}
        auth.sign_count = base + 2
        order = [high_id, low_id]
        results = dict(zip(order, parallel(2, lambda i: answer(srv, order[i], creds[order[i]]))))
        st, js, raw = results[high_id]
        assert st == 200 and js["status"] == "authenticated", (round, st, raw)
        st, js, raw = results[low_id]
        assert st in (200, 401), (round, st, raw)
        if st == 401:
            assert js["error"] == "login_failed", js
            refused += 1
    back = events(srv, "alice", "passkey.counter")
    assert [r["outcome"] for r in back] == ["went_back"] * refused, (refused, back)
    wrong = [r for r in events(srv, "alice", "login.failure") if r["outcome"] == "wrong_response"]
    assert len(wrong) == refused, (refused, wrong)
