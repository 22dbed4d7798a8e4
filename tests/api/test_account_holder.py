"""SPEC §10.3, protecting the account holder (the mobile authenticator's
activation and number matching), against the real server: the activation
code goes only to a number on record (403 phone_not_on_record); numbers are
added from a full session with a step-up (R34) and a code by SMS; a user
holding a device other than SMS confirms a new app with a response from it
(missing or wrong: refused and counted toward R8); Ed25519 keys that are not
valid points are refused; every push carries a two-digit number that the
app must type and sign, a wrong one denying the push and counting toward R8
([push] number_matching). The attack of the issue is replayed end to end."""

import base64
import threading

from client import PASSWORD, PHONE
from test_ibkey import App, activate, b64, e164, events, last_code
from test_sharing import pair, share_ok
from test_temporary import at, issue_ok, session_of

ATTACKER_PHONE = {"country": "44", "number": "7700900666"}
NEW_PHONE = {"country": "41", "number": "791234567"}
DAY = 86400


def start_activation(srv, user, phone=PHONE, password=PASSWORD):
    return srv.pub("POST", "/v1/ibkey/activation",
                   {"username": user, "password": password, "phone": phone})


def complete(srv, activation_id, code, app, **extra):
    body = {"activation_id": activation_id, "code": code, "public_key": app.public_b64(),
            "mode": "pin"}
    body.update(extra)
    return srv.pub("POST", "/v1/ibkey/activation/complete", body)


def failures(srv, user="alice"):
    return srv.lock_state(user)["failures"]


def active_types(srv, user="alice"):
    return sorted(d["type"] for d in srv.user_view(user)["devices"] if d["state"] == "active")


def sms_to(srv, phone):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=" + e164(phone).replace("+", "%2B"))
    assert st == 200, (st, raw)
    return js["messages"] if isinstance(js, dict) else js


def other_number(n):
    """A two-digit number that is not n."""
    return 10 + (n - 10 + 1) % 90


# ---- activation only to a number on record ----

def test_activation_to_a_number_off_the_record_is_refused(srv):
    srv.create_user("alice")
    st, js, raw = start_activation(srv, "alice", ATTACKER_PHONE)
    assert st == 403 and js["error"] == "phone_not_on_record", (st, raw)
    assert js["message"], js
    assert sms_to(srv, ATTACKER_PHONE) == []
    # Refused after the password was checked: not a failed login (R8).
    assert failures(srv) == 0
    assert events(srv, "alice", "ibkey.activation")[-1]["outcome"] == "phone_not_on_record"
    # The number on record works.
    st, js, raw = start_activation(srv, "alice", PHONE)
    assert st == 202 and "challenge" not in js, (st, raw)


def test_wrong_password_reveals_nothing_about_phones_and_counts(srv):
    """R5/R8: a wrong password answers as before whatever the phone, and counts."""
    srv.create_user("alice")
    answers = []
    for phone in (ATTACKER_PHONE, PHONE):
        st, js, raw = start_activation(srv, "alice", phone, password="Wrong1234")
        answers.append((st, js))
    st, js, raw = start_activation(srv, "nobody", ATTACKER_PHONE)
    answers.append((st, js))
    assert all(a == (401, {"error": "invalid_credentials",
                           "message": "Invalid user name password combination"})
               for a in answers), answers
    assert failures(srv) == 2
    assert sms_to(srv, ATTACKER_PHONE) == [] and sms_to(srv, PHONE) == []


# ---- the device confirms a new app ----

def test_activation_needs_the_card_response(srv):
    card = srv.sls_user("alice")
    app = App(srv)
    st, js, raw = start_activation(srv, "alice")
    assert st == 202, (st, raw)
    ch = js["challenge"]
    assert ch["kind"] == "challenge_response" and len(ch["challenge"]) == 6, ch
    assert ch["device"]["type"] == "dsc_plus" and ch["device"]["id"] == card.id, ch
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, app,
                            device_response=card.answer(ch))
    assert st == 200 and got["device_id"], (st, raw)
    assert active_types(srv) == ["dsc_plus", "ibkey"]
    assert failures(srv) == 0
    # Single use: the same code and response again are refused.
    st, js2, raw = complete(srv, js["activation_id"], code, App(srv),
                            device_response=card.answer(ch))
    assert st == 400 and js2["error"] == "invalid_code", (st, raw)


def test_missing_device_response_ends_the_activation_and_counts(srv):
    card = srv.sls_user("alice")
    st, js, raw = start_activation(srv, "alice")
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, App(srv))
    assert st == 403 and got["error"] == "verification_failed", (st, raw)
    assert "device_response" in got["hint"], got
    assert failures(srv) == 1
    assert events(srv, "alice", "ibkey.activation")[-1]["outcome"] == "missing_device_response"
    # The activation is over: even the right response cannot complete it now.
    st, got, raw = complete(srv, js["activation_id"], code, App(srv),
                            device_response=card.answer(js["challenge"]))
    assert st == 400 and got["error"] == "invalid_code", (st, raw)
    assert active_types(srv) == ["dsc_plus"]


def test_wrong_device_response_counts_and_locks(srv):
    """R8: ten wrong responses lock the account; the 11th is refused as locked."""
    srv.sls_user("alice")
    for i in range(10):
        st, js, raw = start_activation(srv, "alice")
        assert st == 202, (st, raw)
        code = last_code(srv, e164(PHONE))["code"]
        right = js["challenge"]["challenge"]
        st, got, raw = complete(srv, js["activation_id"], code, App(srv),
                                device_response="12345678" if right != "12345678" else "87654321")
        assert st == 403, (i, st, raw)
        assert got["error"] == ("locked" if i == 9 else "verification_failed"), (i, got)
        assert failures(srv) == i + 1
    st, js, raw = start_activation(srv, "alice")
    assert st == 403 and js["error"] == "locked", (st, raw)
    assert active_types(srv) == ["dsc_plus"]


def test_completion_race_and_oversized_response(srv):
    """Six completions at once with the right code and response: one app is
    activated. An oversized device_response is a 400 that uses nothing."""
    card = srv.sls_user("alice")
    st, js, raw = start_activation(srv, "alice")
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, App(srv), device_response="1" * 65)
    assert st == 400, (st, raw)
    assert failures(srv) == 0
    results = []

    def go():
        results.append(complete(srv, js["activation_id"], code, App(srv),
                                device_response=card.answer(js["challenge"]))[0])

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The losers find the code gone (400) or, read in between, the challenge
    # gone (409): either way refused.
    assert results.count(200) == 1 and all(r in (400, 409) for r in results if r != 200), results
    assert active_types(srv) == ["dsc_plus", "ibkey"]
    assert failures(srv) == 0


def test_device_response_expires_with_the_activation(srv):
    """The challenge lives as long as the activation code (10 minutes)."""
    card = srv.sls_user("alice")
    st, js, raw = start_activation(srv, "alice")
    code = last_code(srv, e164(PHONE))["code"]
    srv.advance(601)
    st, got, raw = complete(srv, js["activation_id"], code, App(srv),
                            device_response=card.answer(js["challenge"]))
    assert st == 400 and got["error"] == "invalid_code", (st, raw)
    assert active_types(srv) == ["dsc_plus"]


def test_card_index_and_ibkey_fallback_challenges(srv):
    """The challenge shapes of login: an SCC answers two cells; an ibkey
    answers its typed OCRA fallback, never a push."""
    scc = srv.sls_user("carol", type="scc")
    old = App(srv)
    st, js, raw = start_activation(srv, "carol")
    assert js["challenge"]["kind"] == "card" and len(js["challenge"]["indexes"]) == 2, js
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, old,
                            device_response=scc.answer(js["challenge"]))
    assert st == 200, (st, raw)
    assert active_types(srv, "carol") == ["ibkey", "scc"]
    # carol now holds an app: the next activation asks it for its fallback.
    old.users["carol"] = {"device_id": got["device_id"], "secret": got["ocra_secret_hex"]}
    srv.advance(1)
    st, js, raw = start_activation(srv, "carol")
    # R7: the card index card is weaker than the app; the app is asked.
    assert js["challenge"]["kind"] == "challenge_response", js
    assert js["challenge"]["device"]["type"] == "ibkey", js
    st, pend, raw = old.pending()
    assert st == 200 and pend == [], pend  # no push went out for it
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, App(srv),
                            device_response=old.respond("carol", js["challenge"]["challenge"]))
    assert st == 200, (st, raw)


def test_users_without_a_vouching_device_keep_the_code_alone(srv):
    """No active device other than SMS (here a card not yet activated): the
    code alone, as before."""
    srv.create_user("alice")
    card = srv.add_device("alice", "dsc_plus", state="shipped")  # not active: does not vouch
    assert card.id
    app = App(srv)
    activate(srv, app, "alice")  # asserts there is no challenge
    assert "ibkey" in active_types(srv)


def test_temporary_passcode_vouches(srv):
    """A user whose card was lost holds a temporary passcode from the desk
    (R40): it confirms the new app."""
    srv.create_user("alice")
    passcode = issue_ok(srv)["passcode"]
    st, js, raw = start_activation(srv, "alice")
    assert js["challenge"]["kind"] == "static", js
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, App(srv), device_response=passcode)
    assert st == 200, (st, raw)


def test_shared_device_vouches_for_the_requester(srv):
    """R32: alice's own SCC gave way to bob's shared DSC+: it answers for her."""
    adev, token, bdev = pair(srv)
    share_ok(srv, token, bdev)
    st, js, raw = start_activation(srv, "alice")
    assert st == 202, (st, raw)
    assert js["challenge"]["device"]["id"] == bdev.id, js
    code = last_code(srv, e164(PHONE))["code"]
    # alice's own inactive card does not answer; bob's card does.
    st, got, raw = complete(srv, js["activation_id"], code, App(srv),
                            device_response=bdev.answer(js["challenge"]))
    assert st == 200, (st, raw)


def test_invalid_public_keys_are_refused(srv):
    """Keys that are not valid Ed25519 points: 400, and the activation stays usable."""
    srv.create_user("alice")
    st, js, raw = start_activation(srv, "alice")
    code = last_code(srv, e164(PHONE))["code"]
    bad = ["00" * 32, "01" + "00" * 31, "ec" + "ff" * 30 + "7f",
           "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
           "ed" + "ff" * 30 + "7f", "02" + "00" * 31]
    for hex_key in bad:
        body = {"activation_id": js["activation_id"], "code": code, "mode": "pin",
                "public_key": base64.b64encode(bytes.fromhex(hex_key)).decode()}
        st, got, raw = srv.pub("POST", "/v1/ibkey/activation/complete", body)
        assert st == 400 and "not a valid Ed25519 public key" in got["message"], (hex_key, raw)
    assert "ibkey" not in active_types(srv)
    st, got, raw = complete(srv, js["activation_id"], code, App(srv))
    assert st == 200, (st, raw)


# ---- adding a number on record ----

def add_phone(srv, token, phone=NEW_PHONE):
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": phone}, token=token)
    assert st == 202 and js["to"] == e164(phone), (st, raw)
    code = last_code(srv, e164(phone))["code"]
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=token)
    assert st == 201, (st, raw)
    return js


def test_add_a_phone_with_step_up_then_activate_to_it(srv):
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    # R34: the user holds a device: step up first.
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    assert sms_to(srv, NEW_PHONE) == []
    srv.step_up(token, card)
    got = add_phone(srv, token)
    assert got["phone"] == NEW_PHONE, got
    assert [p["masked"] for p in got["phones"]] == ["+1********00", "+41*******67"], got
    assert srv.user_view("alice")["phones"] == [PHONE, NEW_PHONE]
    st, js, raw = srv.pub("GET", "/v1/me/phones", token=token)
    assert st == 200 and js["phones"] == got["phones"] and js["max"] == 5, (st, raw)
    assert events(srv, "alice", "phone.add")[-1]["outcome"] == "ok"
    # The new number now receives the activation code (still with the card).
    st, js, raw = start_activation(srv, "alice", NEW_PHONE)
    assert st == 202 and js["challenge"]["device"]["type"] == "dsc_plus", (st, raw)


def test_add_phone_rules(srv):
    srv.create_user("alice", sls=False)  # a new applicant: no device to step up with
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    token = js["session"]["token"]
    # A number on record: refused before any SMS.
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": PHONE}, token=token)
    assert st == 409 and "on record already" in js["message"], (st, raw)
    assert sms_to(srv, PHONE) == []
    # Malformed numbers: the phone rules' 400 (R20).
    for bad in ({"country": "1", "number": "02125550100"}, {"country": "1", "number": "212 555"},
                {"country": "+1", "number": "2125550100"}, {"country": "1"}, "12125550100",
                {"country": "1", "number": "1" * 30}):
        st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": bad}, token=token)
        assert st == 400, (bad, st, raw)
    # No session, no number.
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE})
    assert st == 401, (st, raw)
    # Up to five numbers.
    for i in range(4):
        add_phone(srv, token, {"country": "41", "number": "79123456%d" % i})
    assert len(srv.user_view("alice")["phones"]) == 5
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=token)
    assert st == 409 and "At most 5" in js["message"], (st, raw)


def test_phone_code_single_use_tries_and_owner(srv):
    srv.create_user("alice", sls=False)
    srv.create_user("bob", sls=False)
    ta = srv.login("alice")[1]["session"]["token"]
    tb = srv.login("bob")[1]["session"]["token"]
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=ta)
    assert st == 202, (st, raw)
    code = last_code(srv, e164(NEW_PHONE))["code"]
    # Another user's session cannot use alice's code.
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=tb)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    # Wrong codes: five tries, then the code is gone (even the right one).
    wrong = "000000" if code != "000000" else "111111"
    for i in range(5):
        st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": wrong}, token=ta)
        assert st == 400, (i, st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=ta)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    assert srv.user_view("alice")["phones"] == [PHONE]
    # A fresh code, used once: the replay is refused.
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=ta)
    code = last_code(srv, e164(NEW_PHONE))["code"]
    assert srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=ta)[0] == 201
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=ta)
    assert st == 400, (st, raw)
    assert srv.user_view("alice")["phones"] == [PHONE, NEW_PHONE]
    assert srv.user_view("bob")["phones"] == [PHONE]


def test_phone_code_expires_after_ten_minutes(srv):
    srv.create_user("alice", sls=False)
    token = srv.login("alice")[1]["session"]["token"]
    srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=token)
    code = last_code(srv, e164(NEW_PHONE))["code"]
    srv.advance(600)
    srv.pub("GET", "/v1/me/phones", token=token)  # keeps the portal session alive
    srv.advance(1)
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=token)
    assert st in (400, 401), (st, raw)
    assert srv.user_view("alice")["phones"] == [PHONE]


def test_phone_confirm_race_adds_once(srv):
    srv.create_user("alice", sls=False)
    token = srv.login("alice")[1]["session"]["token"]
    srv.pub("POST", "/v1/me/phones", {"phone": NEW_PHONE}, token=token)
    code = last_code(srv, e164(NEW_PHONE))["code"]
    results = []

    def go():
        results.append(srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=token)[0])

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count(201) == 1, results
    assert srv.user_view("alice")["phones"] == [PHONE, NEW_PHONE]


def test_no_phone_from_an_online_card_only_session(srv):
    srv.create_user("alice")
    passcode = issue_ok(srv)
    at(srv, srv.now() + 2 * DAY)
    session = session_of(srv, passcode["passcode"])
    assert session["access"] == "online_card_only"
    for method, path, body in (("POST", "/v1/me/phones", {"phone": NEW_PHONE}),
                               ("POST", "/v1/me/phones/confirm", {"code": "123456"}),
                               ("GET", "/v1/me/phones", None)):
        st, js, raw = srv.pub(method, path, body, token=session["token"])
        assert st == 403 and js["error"] == "online_card_only", (path, st, raw)
    assert sms_to(srv, NEW_PHONE) == []


# ---- number matching ----

def ibkey_user(srv, user="alice"):
    srv.create_user(user)
    app = App(srv)
    activate(srv, app, user)
    return app


def push_login(srv, user="alice"):
    st, js, raw = srv.login(user)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    return js


def test_push_login_shows_a_number_the_app_must_type(srv):
    app = ibkey_user(srv)
    seen = set()
    for _ in range(4):
        login = push_login(srv)
        n = login["challenge"]["number"]
        assert isinstance(n, int) and 10 <= n <= 99, login
        seen.add(n)
        st, pend, raw = app.pending()
        p = [x for x in pend if x["push_id"] == login["challenge"]["push_id"]][0]
        assert "number" not in p and p["number_required"] is True, p
        # The notification does not carry it either.
        assert str(n) not in last_code(srv, "device:" + app.device_id())["body"].split()
        srv.advance(1)
        st, js, raw = app.decide(p)
        assert st == 200 and js["status"] == "approved", (st, raw)
        st, js, raw = srv.pub("GET", "/v1/login/%s" % login["login_id"])
        assert js["status"] == "authenticated", js
        srv.advance(301)  # past the push cap's window share
    assert failures(srv) == 0


def test_approval_without_the_number_changes_nothing(srv):
    app = ibkey_user(srv)
    login = push_login(srv)
    st, pend, raw = app.pending()
    st, js, raw = app.decide(pend[0], number=None)
    assert st == 400 and "number" in js["message"], (st, raw)
    for i, bad in enumerate((9, 100, "42", 4.2, True)):
        st, js, raw = app.decide(pend[0], number=bad, ts=srv.now() + i + 1)
        assert st == 400 and "number" in js["message"], (bad, st, raw)
    assert failures(srv) == 0
    st, js, raw = srv.pub("GET", "/v1/login/%s" % login["login_id"])
    assert js["status"] == "pending", js
    srv.advance(10)
    assert app.decide(pend[0])[0] == 200


def test_signature_must_cover_the_number(srv):
    """The old text (without NUMBER) or another number than the one sent
    does not verify: nothing is decided."""
    app = ibkey_user(srv)
    login = push_login(srv)
    n = login["challenge"]["number"]
    st, pend, raw = app.pending()
    p = pend[0]
    text = ("%s\n%s\napprove" % (p["push_id"], p["challenge"])).encode()
    body = {"push_id": p["push_id"], "decision": "approve", "auth": "pin", "number": n,
            "signature": b64(app.key.sign(text))}
    st, js, raw = srv.pub("POST", "/v1/ibkey/approve", body,
                          headers=app.headers("POST", "/v1/ibkey/approve"))
    assert st == 401, (st, raw)
    text = ("%s\n%s\napprove\n%d" % (p["push_id"], p["challenge"], other_number(n))).encode()
    body["signature"] = b64(app.key.sign(text))
    srv.advance(1)
    st, js, raw = srv.pub("POST", "/v1/ibkey/approve", body,
                          headers=app.headers("POST", "/v1/ibkey/approve"))
    assert st == 401, (st, raw)
    assert failures(srv) == 0
    assert srv.pub("GET", "/v1/login/%s" % login["login_id"])[1]["status"] == "pending"


def test_wrong_number_denies_and_counts_once(srv):
    app = ibkey_user(srv)
    login = push_login(srv)
    n = login["challenge"]["number"]
    st, pend, raw = app.pending()
    st, js, raw = app.decide(pend[0], number=other_number(n))
    assert st == 403 and js["error"] == "wrong_number", (st, raw)
    assert failures(srv) == 1
    st, js, raw = srv.pub("GET", "/v1/login/%s" % login["login_id"])
    assert js["status"] == "denied", js
    pushes = [e for e in events(srv, "alice", "ibkey.push") if e["outcome"] == "wrong_number"]
    assert len(pushes) == 1 and pushes[0]["detail"] == pend[0]["push_id"], pushes
    # Decided: the right number no longer approves it; nothing more is counted.
    srv.advance(1)
    st, js, raw = app.decide(pend[0], number=n)
    assert st == 409, (st, raw)
    st, js, raw = srv.pub("GET", "/v1/login/%s" % login["login_id"])
    assert js["status"] == "denied" and "session" not in js, js
    assert failures(srv) == 1


def test_wrong_number_race_counts_once(srv):
    app = ibkey_user(srv)
    login = push_login(srv)
    n = login["challenge"]["number"]
    st, pend, raw = app.pending()
    results = []

    def go(i):
        ts = srv.now() + i  # distinct signed requests
        results.append(app.decide(pend[0], number=other_number(n), ts=ts)[0])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(403) == 1 and results.count(409) == 4, results
    assert failures(srv) == 1


def test_ten_wrong_numbers_lock_the_account(srv):
    app = ibkey_user(srv)
    for i in range(10):
        login = push_login(srv)
        st, pend, raw = app.pending()
        p = [x for x in pend if x["push_id"] == login["challenge"]["push_id"]][0]
        st, js, raw = app.decide(p, number=other_number(login["challenge"]["number"]))
        assert st == 403 and js["error"] == ("locked" if i == 9 else "wrong_number"), (i, raw)
        srv.advance(121)  # the push cap (5 per 10 minutes) is not what is tested
    st, js, raw = srv.login("alice")
    assert st == 403 and js["error"] == "locked", (st, raw)


def test_a_denial_needs_no_number(srv):
    app = ibkey_user(srv)
    login = push_login(srv)
    st, pend, raw = app.pending()
    st, js, raw = app.decide(pend[0], decision="deny")
    assert st == 200 and js["status"] == "denied", (st, raw)
    assert srv.pub("GET", "/v1/login/%s" % login["login_id"])[1]["status"] == "denied"


def test_step_up_push_carries_a_number_and_counts_a_wrong_one_once(srv):
    app = ibkey_user(srv)
    login = push_login(srv)
    st, pend, raw = app.pending()
    srv.advance(1)
    app.decide(pend[0])
    token = srv.pub("GET", "/v1/login/%s" % login["login_id"])[1]["session"]["token"]
    st, js, raw = srv.pub("POST", "/v1/me/verify", {}, token=token)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    n = js["challenge"]["number"]
    assert 10 <= n <= 99
    st, pend, raw = app.pending()
    p = [x for x in pend if x["purpose"] == "step_up"][0]
    assert p["number_required"] is True and "number" not in p
    srv.advance(1)
    st, js, raw = app.decide(p, number=other_number(n))
    assert st == 403 and js["error"] == "wrong_number", (st, raw)
    assert failures(srv) == 1
    st, js, raw = srv.pub("GET", "/v1/me/verify", token=token)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert failures(srv) == 1  # the poll does not count it again
    # The right number on a fresh step-up verifies.
    st, js, raw = srv.pub("POST", "/v1/me/verify", {}, token=token)
    st, pend, raw = app.pending()
    p = [x for x in pend if x["purpose"] == "step_up"][0]
    srv.advance(1)
    assert app.decide(p)[0] == 200
    st, js, raw = srv.pub("GET", "/v1/me/verify", token=token)
    assert st == 200 and js["status"] == "verified", (st, raw)


def test_number_matching_off(start_server):
    """[push] number_matching = false: no number shown, none required, the
    signature over the old text."""
    srv = start_server(extra_ini="[push]\nnumber_matching = false\n")
    app = ibkey_user(srv)
    login = push_login(srv)
    assert "number" not in login["challenge"], login
    st, pend, raw = app.pending()
    assert pend[0]["number_required"] is False, pend
    st, js, raw = app.decide(pend[0], number=None)
    assert st == 200 and js["status"] == "approved", (st, raw)


# ---- the attack of the issue, end to end ----

def test_attack_password_only_cannot_add_a_second_factor(srv):
    """Issue 12: with only alice's user name and password, Mallory tries to
    activate her own app on her own phone, then on alice's number, then to
    get a push approved by alice without the number."""
    card = srv.sls_user("alice")
    mallory = App(srv)
    # 1. Her own phone: 403, no SMS.
    st, js, raw = start_activation(srv, "alice", ATTACKER_PHONE)
    assert st == 403 and js["error"] == "phone_not_on_record", (st, raw)
    assert sms_to(srv, ATTACKER_PHONE) == []
    # 2. Alice's number on record: the code goes to alice's phone, and
    #    completion needs a response from alice's DSC+. Mallory guesses.
    st, js, raw = start_activation(srv, "alice", PHONE)
    assert st == 202 and js["challenge"]["device"]["type"] == "dsc_plus", (st, raw)
    code = last_code(srv, e164(PHONE))["code"]
    guess = "000000" if code != "000000" else "000001"
    st, got, raw = complete(srv, js["activation_id"], guess, mallory, device_response="12345678")
    assert st == 400 and got["error"] == "invalid_code", (st, raw)
    # Even with the code (read off alice's phone) but no card response.
    st, js, raw = start_activation(srv, "alice", PHONE)
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, mallory, device_response="12345678")
    assert st == 403 and got["error"] == "verification_failed", (st, raw)
    # The DSC+ stays the only device; the attempts counted toward R8.
    assert active_types(srv) == ["dsc_plus"]
    assert failures(srv) >= 1
    # 3. A push alice approves with a number she did not see is denied and counted.
    victim = App(srv)
    token = srv.full_login("alice", card)["token"]
    assert token
    st, js, raw = start_activation(srv, "alice", PHONE)
    code = last_code(srv, e164(PHONE))["code"]
    st, got, raw = complete(srv, js["activation_id"], code, victim,
                            device_response=card.answer(js["challenge"]))
    assert st == 200, (st, raw)
    victim.users["alice"] = {"device_id": got["device_id"], "secret": got["ocra_secret_hex"]}
    before = failures(srv)
    st, js, raw = srv.login("alice")
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                          {"device_id": got["device_id"]})
    assert js["challenge"]["kind"] == "push", js
    n = js["challenge"]["number"]
    st, pend, raw = victim.pending()
    srv.advance(1)
    st, res, raw = victim.decide(pend[0], number=other_number(n))
    assert st == 403 and res["error"] == "wrong_number", (st, raw)
    assert failures(srv) == before + 1
    # Mallory's forged key never became a device.
    assert sum(1 for d in srv.user_view("alice")["devices"] if d["type"] == "ibkey") == 1
