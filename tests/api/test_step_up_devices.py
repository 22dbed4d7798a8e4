"""R34 step-up and R28 reactivation with the devices that do not answer a
challenge on a screen: an SMS device gets a code by SMS (bound to the
session, valid 300 s, single use); the mobile authenticator gets a push with
purpose step_up that the app approves, the front end polling GET
/v1/me/verify, or its challenge/response fallback on request."""

from client import unix
from test_ibkey import App, activate, e164, enrol_sms, events, last_code
from test_temporary import issue_ok, session_of

OTHER = {"country": "44", "number": "7911123456"}


def verify(srv, token, **body):
    return srv.pub("POST", "/v1/me/verify", body, token=token)


def poll(srv, token):
    return srv.pub("GET", "/v1/me/verify", token=token)


def sms_session(srv, user="alice"):
    """A dsc_plus user with an SMS device, logged in with the card.
    Returns (token, sms device)."""
    card = srv.sls_user(user)
    token = srv.full_login(user, card)["token"]
    return token, enrol_sms(srv, token, OTHER, device=card)


def ibkey_session(srv, user="alice"):
    """An ibkey user logged in by an approved push. Returns (token, app)."""
    srv.create_user(user)
    app = App(srv)
    activate(srv, app, user)
    st, js, raw = srv.login(user)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    srv.advance(1)
    st, pend, raw = app.pending()
    st, js2, raw = app.decide(pend[0])
    assert st == 200, (st, raw)
    st, js2, raw = srv.pub("GET", "/v1/login/%s" % js["login_id"])
    assert js2["status"] == "authenticated", js2
    return js2["session"]["token"], app


# ---- SMS ----

def test_sms_step_up_with_a_code(srv):
    token, dev = sms_session(srv)
    st, js, raw = verify(srv, token, device_id=dev["id"])
    assert st == 200 and js["challenge"] == {"kind": "code", "channel": "sms"}, (st, raw)
    assert unix(js["expires_at"]) == srv.now() + 300
    code = last_code(srv, e164(OTHER))["code"]
    srv.advance(300)
    st, js, raw = verify(srv, token, response=code)
    assert st == 200 and js["device_id"] == dev["id"], (st, raw)
    # Single use.
    st, js, raw = verify(srv, token, response=code)
    assert st == 409, (st, raw)


def test_sms_step_up_code_expires_and_wrong_codes_count(srv):
    token, dev = sms_session(srv)
    verify(srv, token, device_id=dev["id"])
    code = last_code(srv, e164(OTHER))["code"]
    srv.advance(301)
    st, js, raw = verify(srv, token, response=code)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    verify(srv, token, device_id=dev["id"])
    code = last_code(srv, e164(OTHER))["code"]
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    st, js, raw = verify(srv, token, response=wrong)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    # The challenge (and its code) went with the wrong answer.
    st, js, raw = verify(srv, token, response=code)
    assert st == 409, (st, raw)
    outcomes = [e["outcome"] for e in events(srv, "alice", "session.step_up")]
    # The first is the card's step-up before the SMS device was enrolled.
    assert outcomes == ["ok", "expired", "wrong_response"], outcomes
    assert srv.lock_state("alice")["failures"] == 2


def test_sms_reactivation_with_a_code(srv):
    """R28 with an SMS device: a passcode session gets a code by SMS."""
    token, dev = sms_session(srv)
    srv.advance(1)
    passcode = issue_ok(srv, "alice")
    ptoken = session_of(srv, passcode["passcode"], "alice")["token"]
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"], {}, token=ptoken)
    assert st == 200 and js["challenge"] == {"kind": "code", "channel": "sms"}, (st, raw)
    code = last_code(srv, e164(OTHER))["code"]
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"],
                          {"response": wrong}, token=ptoken)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    # Again: a new code, bound to this session, used once.
    srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"], {}, token=ptoken)
    new_code = last_code(srv, e164(OTHER))["code"]
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"],
                          {"response": new_code}, token=token)
    assert st == 409, (st, raw)  # another session has no challenge waiting
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"],
                          {"response": new_code}, token=ptoken)
    assert st == 200 and js["device"]["type"] == "sms", (st, raw)
    assert js["revoked"] == [passcode["device_id"]], js
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/reactivate" % dev["id"],
                          {"response": new_code}, token=ptoken)
    assert st == 409, (st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=ptoken)
    assert st == 200 and js["factor"] == "sms", (st, raw)


# ---- mobile authenticator ----

def test_push_step_up_approved_in_the_app(srv):
    token, app = ibkey_session(srv)
    st, js, raw = poll(srv, token)
    assert st == 200 and js == {"status": "none"}, (st, raw)
    st, js, raw = verify(srv, token)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    push_id = js["challenge"]["push_id"]
    # A push challenge is approved, not answered.
    st, js, raw = verify(srv, token, response="12345678")
    assert st == 409, (st, raw)
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "pending", (st, raw)
    srv.advance(1)
    st, pend, raw = app.pending()
    assert [(p["push_id"], p["purpose"]) for p in pend] == [(push_id, "step_up")], pend
    st, js, raw = app.decide(pend[0], auth="biometric")
    assert st == 200 and js["status"] == "approved", (st, raw)
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "verified", (st, raw)
    assert unix(js["verified_until"]) == srv.now() + 300
    st, s, raw = srv.pub("GET", "/v1/session", token=token)
    assert s["verified_until"] == js["verified_until"], s
    st, js2, raw = poll(srv, token)
    assert js2 == js, js2
    ev = events(srv, "alice", "session.step_up")
    assert [e["outcome"] for e in ev] == ["ok"], ev


def test_push_step_up_denied_counts_and_expired_does_not(srv):
    token, app = ibkey_session(srv)
    verify(srv, token)
    srv.advance(1)
    st, pend, raw = app.pending()
    app.decide(pend[0], decision="deny")
    st, js, raw = poll(srv, token)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "none", (st, raw)
    # Not decided within 300 s: expired, nothing counted.
    verify(srv, token)
    srv.advance(300)
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "pending", (st, raw)
    srv.advance(1)
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "expired", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    srv.advance(1)
    st, pend, raw = app.pending()
    assert pend == [], pend


def test_push_step_up_fallback_challenge(srv):
    token, app = ibkey_session(srv)
    st, js, raw = verify(srv, token, mode="challenge_response")
    assert st == 200 and js["challenge"]["kind"] == "challenge_response", (st, raw)
    srv.advance(1)
    st, pend, raw = app.pending()
    assert pend == [], pend
    st, js2, raw = verify(srv, token, response=app.respond("alice", js["challenge"]["challenge"]))
    assert st == 200 and "verified_until" in js2, (st, raw)
    st, js, raw = poll(srv, token)
    assert st == 200 and js["status"] == "verified", (st, raw)
    st, js, raw = verify(srv, token, mode="push")
    assert st == 400, (st, raw)
