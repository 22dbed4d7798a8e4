"""R20 mobile authenticator: activation with an SMS code, push logins approved
or denied by the app's signed requests, the challenge/response fallback, two
users on one app, re-activation, forgery and replay, the push cap, and the R10
session lengths of PIN and biometric approvals."""

import base64
import os
import secrets
import sqlite3

import pytest

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

from client import PASSWORD, PHONE, parse_time
from ocra import ocra

SUITE = "OCRA-1:HOTP-SHA256-8:QN06"


def b64(b):
    return base64.b64encode(b).decode()


class App:
    """The phone app: one Ed25519 key, and per user its device id and OCRA secret."""

    def __init__(self, srv):
        self.srv = srv
        self.key = Ed25519PrivateKey.generate()
        self.users = {}

    def public_b64(self):
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)
        return b64(raw)

    def device_id(self):
        return next(iter(self.users.values()))["device_id"]

    def headers(self, method, path, ts=None, device_id=None, key=None):
        ts = self.srv.now() if ts is None else ts
        msg = ("%s\n%s\n%d" % (method, path, ts)).encode()
        sig = (key or self.key).sign(msg)
        return {"X-Device-Id": device_id or self.device_id(), "X-Timestamp": str(ts),
                "X-Signature": b64(sig)}

    def pending(self, **kw):
        return self.srv.pub("GET", "/v1/ibkey/pending",
                            headers=self.headers("GET", "/v1/ibkey/pending", **kw))

    def decide(self, push, decision="approve", auth="pin", key=None, ts=None, number="shown"):
        """Approves or denies push. §10.3: when the push asks for a number the
        approval types the one the page showed (number="shown"), or the
        number given; None types none; the signature covers it."""
        lines = [push["push_id"], push["challenge"], decision]
        if number == "shown":
            number = (self.srv.push_numbers.get(push["push_id"])
                      if push.get("number_required") and decision == "approve" else None)
        if push.get("number_required"):
            lines.append("" if number is None else str(number))
        text = "\n".join(lines).encode()
        body = {"push_id": push["push_id"], "decision": decision, "auth": auth,
                "signature": b64((key or self.key).sign(text))}
        if number is not None:
            body["number"] = number
        return self.srv.pub("POST", "/v1/ibkey/approve", body,
                            headers=self.headers("POST", "/v1/ibkey/approve", ts=ts))

    def respond(self, user, challenge):
        return ocra(SUITE, bytes.fromhex(self.users[user]["secret"]), challenge)


def last_code(srv, to):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=" + to.replace("+", "%2B"))
    assert st == 200, (st, raw)
    msgs = js["messages"] if isinstance(js, dict) else js
    return msgs[-1]


def e164(phone):
    return "+" + phone["country"] + phone["number"]


def device_answer(device, user, challenge):
    """The answer of `device` (a client Device, or an App holding `user`) to
    the challenge of an activation (§10.3)."""
    if isinstance(device, App):
        return device.respond(user, challenge["challenge"])
    return device.answer(challenge)


def activate(srv, app, user, phone=PHONE, mode="pin", expect=200, device=None):
    """Activates `app` for `user`. §10.3: a user holding a device other than
    SMS answers its challenge with `device`."""
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": user, "password": PASSWORD, "phone": phone})
    assert st == 202, (st, raw)
    assert ("challenge" in js) == (device is not None), js
    msg = last_code(srv, e164(phone))
    assert msg["channel"] == "sms" and len(msg["code"]) == 6, msg
    body = {"activation_id": js["activation_id"], "code": msg["code"],
            "public_key": app.public_b64(), "mode": mode}
    if device is not None:
        body["device_response"] = device_answer(device, user, js["challenge"])
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation/complete", body)
    assert st == expect, (st, raw)
    if st == 200:
        assert js["ocra_suite"] == SUITE, js
        assert len(js["ocra_secret_hex"]) == 64, js
        app.users[user] = {"device_id": js["device_id"], "secret": js["ocra_secret_hex"]}
    return js


def enrol_sms(srv, token, phone=PHONE, device=None):
    """Enrols an SMS device in session `token`, stepping up with `device`
    first when the user holds one (R34: adding a device is a device change)."""
    if device is not None:
        srv.step_up(token, device)
    st, js, raw = srv.pub("POST", "/v1/me/sms/enroll", {"phone": phone}, token=token)
    assert st == 202, (st, raw)
    code = last_code(srv, e164(phone))["code"]
    st, js, raw = srv.pub("POST", "/v1/me/sms/confirm", {"code": code}, token=token)
    assert st == 201, (st, raw)
    assert js["device"]["type"] == "sms" and js["device"]["state"] == "active", js
    return js["device"]


def ibkey_user(srv, user="alice", mode="pin", app=None):
    srv.create_user(user)
    app = app or App(srv)
    activate(srv, app, user, mode=mode)
    return app


def push_login(srv, user, platform="portal"):
    st, js, raw = srv.login(user, platform=platform)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    assert js["challenge"]["kind"] == "push", js
    return js


def poll(srv, login_id):
    return srv.pub("GET", "/v1/login/%s" % login_id)


def events(srv, user, event):
    return [r for r in srv.audit("?user=" + user) if r["event"] == event]


def test_activation_end_to_end_and_push_approval(srv):
    app = ibkey_user(srv)
    view = srv.user_view("alice")
    assert [d["type"] for d in view["devices"] if d["state"] == "active"] == ["ibkey"]
    login = push_login(srv, "alice")
    push_id = login["challenge"]["push_id"]
    st, js, raw = poll(srv, login["login_id"])
    assert st == 200 and js["status"] == "pending", (st, raw)
    # The notification went through the outbox.
    assert last_code(srv, "device:" + app.device_id())["channel"] == "push"
    st, pend, raw = app.pending()
    assert st == 200, (st, raw)
    assert [p["push_id"] for p in pend] == [push_id]
    assert pend[0]["username"] == "alice" and pend[0]["platform"] == "portal"
    srv.advance(1)
    st, js, raw = app.decide(pend[0])
    assert st == 200 and js["status"] == "approved", (st, raw)
    assert "token" not in raw.decode()
    # The first poll after the approval gets the session, later polls do not.
    st, js, raw = poll(srv, login["login_id"])
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    token = js["session"]["token"]
    assert js["session"]["factor"] == "ibkey"
    st, js, raw = poll(srv, login["login_id"])
    assert st == 200 and js == {"status": "authenticated"}, (st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200, (st, raw)
    # Decided already: a second approval is refused.
    srv.advance(1)
    st, js, raw = app.decide(pend[0])
    assert st in (404, 409), (st, raw)


def test_bad_phone_formats_are_refused(srv):
    srv.create_user("alice")
    cases = [
        {"country": "1", "number": "212 555 0100"},
        {"country": "44", "number": "07911123456"},
        {"country": "+44", "number": "7911123456"},
        {"country": "44", "number": "+447911123456"},
        {"country": "1", "number": "212-555-0100"},
        {"country": "1", "number": "12"},
        {"country": 1, "number": "2125550100"},
    ]
    for phone in cases:
        st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                              {"username": "alice", "password": PASSWORD, "phone": phone})
        assert st == 400, (phone, st, raw)
        assert js["error"] == "bad_request" and js["message"], js
    st, js, raw = srv.pub("GET", "/v1/dev/outbox")
    assert st == 200
    msgs = js["messages"] if isinstance(js, dict) else js
    assert msgs == []


def test_activation_code_wrong_five_times_and_single_use(srv):
    srv.create_user("alice")
    app = App(srv)
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": "alice", "password": PASSWORD, "phone": PHONE})
    assert st == 202
    aid = js["activation_id"]
    code = last_code(srv, e164(PHONE))["code"]
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    body = {"activation_id": aid, "code": wrong, "public_key": app.public_b64(), "mode": "pin"}
    for _ in range(5):
        st, js, raw = srv.pub("POST", "/v1/ibkey/activation/complete", body)
        assert st == 400 and js["error"] == "invalid_code", (st, raw)
    body["code"] = code
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation/complete", body)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)


def test_activation_wrong_password_is_invalid_credentials(srv):
    srv.create_user("alice")
    for user in ("alice", "nobody"):
        st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                              {"username": user, "password": "Wrong1234", "phone": PHONE})
        assert st == 401 and js["error"] == "invalid_credentials", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1 if "failures" in srv.lock_state("alice") \
        else True


def test_deny_ends_login_as_denied(srv):
    app = ibkey_user(srv)
    login = push_login(srv, "alice")
    st, pend, raw = app.pending()
    st, js, raw = app.decide(pend[0], "deny")
    assert st == 200 and js["status"] == "denied", (st, raw)
    st, js, raw = poll(srv, login["login_id"])
    assert js == {"status": "denied"}, js
    assert events(srv, "alice", "login.failure")[-1]["outcome"] == "denied"


def test_push_expires(srv):
    app = ibkey_user(srv)
    login = push_login(srv, "alice")
    st, pend, raw = app.pending()
    srv.advance(301)
    st, js, raw = app.pending()
    assert st == 200 and js == [], js
    st, js, raw = app.decide(pend[0])
    assert st == 409, (st, raw)
    st, js, raw = poll(srv, login["login_id"])
    assert js["status"] == "expired", js


def test_fallback_challenge_response(srv):
    app = ibkey_user(srv)
    login = push_login(srv, "alice")
    st, js, raw = srv.respond(login["login_id"], "12345678")
    assert st == 400, (st, raw)  # nothing to type for a push
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": app.device_id(), "mode": "challenge_response"})
    assert st == 200, (st, raw)
    ch = js["challenge"]
    assert ch["kind"] == "challenge_response" and len(ch["challenge"]) == 6, ch
    # The push of that login can no longer be approved.
    st, pend, raw = app.pending()
    srv.advance(1)
    st, js2, raw = app.decide(pend[0])
    assert st == 409, (st, raw)
    st, js, raw = srv.respond(login["login_id"], app.respond("alice", ch["challenge"]))
    assert st == 200 and js["status"] == "authenticated", (st, raw)


def test_wrong_fallback_response_counts_toward_lockout(srv):
    app = ibkey_user(srv)
    login = push_login(srv, "alice")
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": app.device_id(), "mode": "challenge_response"})
    good = app.respond("alice", js["challenge"]["challenge"])
    bad = "%08d" % ((int(good) + 1) % 100000000)
    st, js, raw = srv.respond(login["login_id"], bad)
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    assert events(srv, "alice", "login.failure")[-1]["outcome"] == "wrong_response"


def test_two_users_on_one_app(srv):
    app = ibkey_user(srv, "alice")
    ibkey_user(srv, "bob", app=app)
    la = push_login(srv, "alice")
    lb = push_login(srv, "bob")
    st, pend, raw = app.pending()
    assert sorted(p["username"] for p in pend) == ["alice", "bob"], pend
    for p in pend:
        srv.advance(1)  # each signed request has its own timestamp
        st, js, raw = app.decide(p)
        assert st == 200, (st, raw)
    for login in (la, lb):
        st, js, raw = poll(srv, login["login_id"])
        assert js["status"] == "authenticated", js


def test_reactivation_revokes_old_app_and_removes_sms(srv):
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    enrol_sms(srv, token, device=card)
    old = App(srv)
    activate(srv, old, "alice", device=card)
    view = srv.user_view("alice")
    assert {d["type"]: d["state"] for d in view["devices"]} == {
        "dsc_plus": "active", "sms": "inactive", "ibkey": "active"}
    new = App(srv)
    srv.advance(1)
    activate(srv, new, "alice", device=card)
    # R7: the card is stronger, so it is the default; the user switches to the app.
    st, js, raw = srv.login("alice")
    assert [d["type"] for d in js["devices"] if d["default"]] == ["dsc_plus"], js
    assert sorted(d["type"] for d in js["devices"]) == ["dsc_plus", "ibkey"], js
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                          {"device_id": new.device_id()})
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    st, js, raw = old.pending()
    assert st == 401, (st, raw)
    st, pend, raw = new.pending()
    assert st == 200 and len(pend) == 1, (st, raw)


def test_forged_replayed_stale_and_other_app(srv):
    app = ibkey_user(srv, "alice")
    mallory = ibkey_user(srv, "mallory")
    push_login(srv, "alice")
    # Forged request signature (another key, alice's device id).
    st, js, raw = app.pending(key=Ed25519PrivateKey.generate())
    assert st == 401, (st, raw)
    # Replay of the same signed request.
    h = app.headers("GET", "/v1/ibkey/pending")
    st, js, raw = srv.pub("GET", "/v1/ibkey/pending", headers=h)
    assert st == 200, (st, raw)
    pend = js
    st, js, raw = srv.pub("GET", "/v1/ibkey/pending", headers=h)
    assert st == 401, (st, raw)
    # Stale and future timestamps.
    now = srv.now()
    st, js, raw = app.pending(ts=now - 301)
    assert st == 401, (st, raw)
    st, js, raw = app.pending(ts=now + 301)
    assert st == 401, (st, raw)
    st, js, raw = app.pending(ts=now - 300)
    assert st == 200, (st, raw)
    # Forged approval signature.
    srv.advance(1)
    st, js, raw = app.decide(pend[0], key=Ed25519PrivateKey.generate())
    assert st == 401, (st, raw)
    # Another user's app cannot approve alice's push.
    srv.advance(1)
    st, js, raw = mallory.decide(pend[0])
    assert st == 404, (st, raw)
    outcomes = [r["outcome"] for r in srv.audit()
                if r["event"] in ("ibkey.request", "ibkey.push")]
    for o in ("bad_signature", "replay", "stale_timestamp", "other_app"):
        assert o in outcomes, outcomes


def test_push_cap_falls_back_to_challenge(srv):
    app = ibkey_user(srv)
    for _ in range(5):
        push_login(srv, "alice")
        srv.advance(1)
    st, js, raw = srv.login("alice")
    assert st == 200 and js["challenge"]["kind"] == "challenge_response", js
    st, pend, raw = app.pending()
    assert len(pend) == 5
    srv.advance(600)
    push_login(srv, "alice")


def trading_expiry(srv, mode):
    app = ibkey_user(srv, mode=mode)
    login = push_login(srv, "alice", "trading")
    st, pend, raw = app.pending()
    srv.advance(1)
    st, js, raw = app.decide(pend[0], auth=mode)
    now = srv.now()
    st, js, raw = poll(srv, login["login_id"])
    assert js["status"] == "authenticated", js
    return js["session"], now


def test_session_lengths_pin_and_biometric(srv):
    sess, now = trading_expiry(srv, "pin")
    assert parse_time(sess["expires_at"]) == now + 12 * 3600
    srv.advance(12 * 3600 - 1)
    st, js, raw = srv.pub("GET", "/v1/session", token=sess["token"])
    assert st == 200, (st, raw)
    srv.advance(1)
    st, js, raw = srv.pub("GET", "/v1/session", token=sess["token"])
    assert st == 401, (st, raw)


def test_session_length_biometric(srv):
    sess, now = trading_expiry(srv, "biometric")
    assert parse_time(sess["expires_at"]) == now + 30 * 3600


def test_ibkey_reactivation_with_the_fallback_challenge(srv):
    """R28: a user on a temporary passcode reactivates the app by its manual
    challenge/response."""
    from test_reactivation import challenge_of, reactivate
    from test_temporary import issue_ok, session_of
    app = ibkey_user(srv)
    srv.advance(1)
    passcode = issue_ok(srv, "alice")
    token = session_of(srv, passcode["passcode"], "alice")["token"]
    ch = challenge_of(srv, token, app.device_id())
    assert ch["kind"] == "challenge_response" and len(ch["challenge"]) == 6, ch
    st, js, raw = reactivate(srv, token, app.device_id(), app.respond("alice", ch["challenge"]))
    assert st == 200 and js["device"]["type"] == "ibkey", (st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200 and js["factor"] == "ibkey", (st, raw)



def closed_between_the_stages(srv, user):
    """A push login on trading whose account is closed before the app answers."""
    login = push_login(srv, user, "trading")
    st, _, raw = srv.adm("POST", "/v1/admin/users/%s/account" % user, {"state": "closed"})
    assert st == 200, (st, raw)
    return login


def assert_r12_refused(srv, user, st, js, raw, login_id):
    """R12 at stage 2: the reason, the login ended, no failed attempt (R8)."""
    assert st == 403 and js["error"] == "platform_not_allowed", (st, raw)
    assert js["message"] == "Account closed: Client Portal access only", raw
    assert srv.lock_state(user)["failures"] == 0
    assert events(srv, user, "login.failure") == []
    assert events(srv, user, "login.refused")[-1]["outcome"] == "platform_not_allowed"
    st, js, raw = poll(srv, login_id)
    assert st == 200 and js == {"status": "failed"}, (st, raw)


def test_r12_at_stage_two_one_answer_for_push_and_typed(srv):
    """The account's R12 re-check at the end of stage 2 answers the same whether
    the second factor was an approved push or a typed answer: 403
    platform_not_allowed, the login ended, nothing counted toward R8."""
    # An approved push, completed by the next poll.
    app = ibkey_user(srv, "alice")
    login = closed_between_the_stages(srv, "alice")
    st, pend, raw = app.pending()
    srv.advance(1)
    st, js, raw = app.decide(pend[0])
    assert st == 200 and js["status"] == "approved", (st, raw)
    st, js, raw = poll(srv, login["login_id"])
    assert_r12_refused(srv, "alice", st, js, raw, login["login_id"])
    # A typed answer: the app's challenge/response fallback.
    app = ibkey_user(srv, "bob")
    login = closed_between_the_stages(srv, "bob")
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": app.device_id(), "mode": "challenge_response"})
    assert st == 200, (st, raw)
    st, js, raw = srv.respond(login["login_id"], app.respond("bob", js["challenge"]["challenge"]))
    assert_r12_refused(srv, "bob", st, js, raw, login["login_id"])


@pytest.mark.sqlite_only("makes the audit table refuse writes with a SQLite trigger")
def test_denial_and_its_count_are_one_transaction(srv):
    """A denied push, its login ended as denied and the failure counted (R8) are
    written together: when the store refuses part of it, none of it is kept
    and the push can still be decided."""
    app = ibkey_user(srv)
    login = push_login(srv, "alice")
    st, pend, raw = app.pending()
    con = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    with con:
        con.execute("CREATE TRIGGER test_no_failure BEFORE INSERT ON audit "
                    "WHEN NEW.event = 'login.failure' BEGIN SELECT RAISE(ABORT, 'full'); END")
    st, js, raw = app.decide(pend[0], "deny")
    assert st == 500 and js["error"] == "store_error", (st, raw)
    srv.advance(1)
    st, js, raw = app.pending()
    assert st == 200 and [p["push_id"] for p in js] == [pend[0]["push_id"]], (st, raw)
    assert poll(srv, login["login_id"])[1] == {"status": "pending"}
    assert srv.lock_state("alice")["failures"] == 0
    with con:
        con.execute("DROP TRIGGER test_no_failure")
    con.close()
    srv.advance(1)
    st, js, raw = app.decide(pend[0], "deny")
    assert st == 200 and js["status"] == "denied", (st, raw)
    assert poll(srv, login["login_id"])[1] == {"status": "denied"}
    assert srv.lock_state("alice")["failures"] == 1
    assert [r["outcome"] for r in events(srv, "alice", "ibkey.push")][-1] == "denied"
