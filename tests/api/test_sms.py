"""R25 SMS login codes (6 digits, 5 minutes, single use, bound to the login),
the voice callback with the same code, and R30 SMS enrolment."""

from client import PHONE
from test_ibkey import e164, enrol_sms, events, last_code

OTHER = {"country": "44", "number": "7911123456"}


def sms_login(srv, user="alice"):
    """A dsc_plus user with an enrolled SMS device: a login switched to SMS.
    Returns (login, sms device)."""
    card = srv.sls_user(user)
    token = srv.full_login(user, card)["token"]
    dev = enrol_sms(srv, token, OTHER, device=card)
    st, js, raw = srv.login(user)
    assert st == 200, (st, raw)
    ids = {d["type"]: d for d in js["devices"]}
    assert ids["dsc_plus"]["default"] and not ids["sms"]["default"], js
    login = js
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": dev["id"]})
    assert st == 200, (st, raw)
    assert js["challenge"] == {"kind": "code", "channel": "sms"}, js
    return login, dev


def test_sms_code_logs_in_once(srv):
    login, dev = sms_login(srv)
    msg = last_code(srv, e164(OTHER))
    assert msg["channel"] == "sms" and len(msg["code"]) == 6
    st, js, raw = srv.respond(login["login_id"], msg["code"])
    assert st == 200 and js["session"]["factor"] == "sms", (st, raw)
    st, js, raw = srv.respond(login["login_id"], msg["code"])
    assert st == 401 and js["error"] == "login_failed", (st, raw)


def test_sms_code_expires_after_300_seconds(srv):
    login, dev = sms_login(srv)
    code = last_code(srv, e164(OTHER))["code"]
    srv.advance(300)
    st, js, raw = srv.respond(login["login_id"], code)
    assert st == 200, (st, raw)
    login, dev = sms_login(srv, "bob")
    code = last_code(srv, e164(OTHER))["code"]
    srv.advance(301)
    st, js, raw = srv.respond(login["login_id"], code)
    assert st == 401, (st, raw)
    assert events(srv, "bob", "login.failure")[-1]["outcome"] == "expired"


def test_voice_repeats_the_same_code_with_its_expiry(srv):
    login, dev = sms_login(srv)
    code = last_code(srv, e164(OTHER))["code"]
    srv.advance(200)
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": dev["id"], "channel": "voice"})
    assert st == 200 and js["challenge"] == {"kind": "code", "channel": "voice"}, (st, raw)
    msg = last_code(srv, e164(OTHER))
    assert msg["channel"] == "voice" and msg["code"] == code, msg
    srv.advance(101)  # 301 s after the first send: the resend did not extend it
    st, js, raw = srv.respond(login["login_id"], code)
    assert st == 401, (st, raw)


def test_wrong_sms_code_counts_toward_lockout(srv):
    login, dev = sms_login(srv)
    code = last_code(srv, e164(OTHER))["code"]
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    st, js, raw = srv.respond(login["login_id"], wrong)
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1 or \
        events(srv, "alice", "login.failure")[-1]["outcome"] == "wrong_response"
    # The login is over: the right code no longer works.
    st, js, raw = srv.respond(login["login_id"], code)
    assert st == 401, (st, raw)


def test_channel_and_bad_enrolment_input(srv):
    login, dev = sms_login(srv)
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": dev["id"], "channel": "fax"})
    assert st == 400, (st, raw)
    card = srv.sls_user("bob")
    token = srv.full_login("bob", card)["token"]
    # R34: a user with a device steps up before adding one.
    third = {"country": "44", "number": "7911123457"}
    st, js, raw = srv.pub("POST", "/v1/me/sms/enroll", {"phone": third}, token=token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=" + e164(third).replace("+", "%2B"))
    assert st == 200 and not (js["messages"] if isinstance(js, dict) else js), (st, raw)
    srv.step_up(token, card)
    st, js, raw = srv.pub("POST", "/v1/me/sms/enroll",
                          {"phone": {"country": "1", "number": "0212555"}}, token=token)
    assert st == 400 and "trunk" in js["message"], (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/sms/confirm", {"code": "123456"}, token=token)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/sms/enroll", {"phone": PHONE})
    assert st == 401, (st, raw)
