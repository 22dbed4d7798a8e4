"""R34 step-up: inside a session, a fresh response from one of the user's
devices marks the session verified for 5 minutes. A wrong or expired answer
uses up the challenge and counts toward the lockout (R8)."""

from client import parse_time, unix
from test_temporary import at, events, issue_ok, session_of


def verify(srv, token, **body):
    return srv.pub("POST", "/v1/me/verify", body, token=token)


def challenge(srv, token, **body):
    st, js, raw = verify(srv, token, **body)
    assert st == 200, (st, raw)
    return js


def verified_until(srv, token):
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200, (st, raw)
    return js["verified_until"]


def test_r34_correct_response_verifies_the_session_for_five_minutes(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    assert verified_until(srv, token) is None
    js = challenge(srv, token)
    assert js["device_id"] == dev.id, js
    assert js["challenge"]["kind"] == "challenge_response", js
    assert unix(js["expires_at"]) == srv.now() + 300 or unix(js["expires_at"]) == srv.now() + 299
    srv.advance(10)
    st, js2, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 200, (st, raw)
    now = srv.now()
    assert unix(js2["verified_until"]) in (now + 300, now + 299), (js2, now)
    assert js2["device_id"] == dev.id
    assert verified_until(srv, token) == js2["verified_until"]
    ev = events(srv, "session.step_up")
    assert len(ev) == 1 and ev[0]["outcome"] == "ok" and ev[0]["detail"] == dev.id, ev
    # The challenge is used once.
    st, js3, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 409, (st, raw)
    # Another session of the same user is not verified by it.
    other = srv.full_login("alice", dev)["token"]
    assert verified_until(srv, other) is None


def test_r34_wrong_response_counts_toward_the_lockout(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    challenge(srv, token)
    st, js, raw = verify(srv, token, response="00000000")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    assert verified_until(srv, token) is None
    # The wrong answer used the challenge up.
    st, js, raw = verify(srv, token, response="00000000")
    assert st == 409, (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    ev = events(srv, "session.step_up")
    assert [e["outcome"] for e in ev] == ["wrong_response"], ev


def test_r34_badly_shaped_response_changes_nothing(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    js = challenge(srv, token)
    for bad in ("1234 5678", "1234567", "abcdefgh", ""):
        st, body, raw = verify(srv, token, response=bad)
        assert st == 400, (bad, st, raw)
    assert srv.lock_state("alice")["failures"] == 0
    st, body, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 200, (st, raw)


def test_r34_challenge_expires_after_300_seconds(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    t0 = srv.now()
    at(srv, t0)
    js = challenge(srv, token)
    at(srv, t0 + 300)
    st, body, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 200, (st, raw)
    js = challenge(srv, token)
    t1 = srv.now()
    at(srv, t1 + 301)
    # A portal session idles out after 30 minutes; 301 s is well inside.
    st, body, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 403 and body["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1


def test_r34_verification_lasts_five_minutes_to_the_second(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    js = challenge(srv, token)
    t0 = srv.now()
    at(srv, t0)
    st, body, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 200, (st, raw)
    assert unix(body["verified_until"]) == t0 + 300


def test_r34_device_choice(srv):
    """Default is the strongest active device; device_id picks another; a
    device of someone else, an unknown or inactive one is not found."""
    strong = srv.sls_user("alice")
    card = srv.add_device("alice", type="scc")
    srv.add_device("alice", type="dsc", state="shipped")
    bob = srv.sls_user("bob")
    token = srv.full_login("alice", strong)["token"]
    assert challenge(srv, token)["device_id"] == strong.id
    js = challenge(srv, token, device_id=card.id)
    assert js["device_id"] == card.id and js["challenge"]["kind"] == "card", js
    # The newest challenge replaced the first: the scc answers it.
    st, body, raw = verify(srv, token, response=card.answer(js["challenge"]))
    assert st == 200, (st, raw)
    shipped = [d for d in srv.user_view("alice")["devices"] if d["state"] == "shipped"][0]
    for other in (bob.id, shipped["id"], "f" * 32, "not-an-id!"):
        st, body, raw = verify(srv, token, device_id=other)
        assert st == 404, (other, st, raw)
    # The response must be for the device the challenge came from.
    challenge(srv, token, device_id=card.id)
    st, body, raw = verify(srv, token, device_id=strong.id, response="12345678")
    assert st == 409, (st, raw)
    assert srv.lock_state("alice")["failures"] == 0


def test_r34_temporary_passcode_session_steps_up_with_the_passcode(srv):
    srv.sls_user("alice")
    srv.advance(1)
    passcode = issue_ok(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    # The device is not marked lost here, so it stays the default.
    assert challenge(srv, token)["challenge"]["kind"] == "challenge_response"
    js = challenge(srv, token, device_id=passcode["device_id"])
    assert js["challenge"]["kind"] == "static" and js["device_id"] == passcode["device_id"], js
    st, body, raw = verify(srv, token, response=passcode["passcode"])
    assert st == 200, (st, raw)


def test_r34_locked_account_cannot_step_up(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    for _ in range(10):
        st, js, raw = srv.login("alice", password="wrong1234")
        assert st in (401, 403), (st, raw)
    js = challenge(srv, token)
    st, body, raw = verify(srv, token, response=dev.answer(js["challenge"]))
    assert st == 403 and body["error"] == "locked", (st, raw)
    assert verified_until(srv, token) is None


def test_r34_locked_account_learns_nothing_from_its_answers(srv):
    """While the account is locked a stolen session gets the same answer for a
    right and a wrong response (no oracle), nothing is counted or audited as a
    failure, and the challenge is not used up by the refusals."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    for _ in range(10):
        st, js, raw = srv.login("alice", password="wrong1234")
        assert st in (401, 403), (st, raw)
    before = srv.lock_state("alice")
    js = challenge(srv, token)
    answers = [verify(srv, token, response=r)
               for r in ("00000000", dev.answer(js["challenge"]), "11111111")]
    assert all(st == 403 and body["error"] == "locked" for st, body, _ in answers), answers
    assert len({raw for _, _, raw in answers}) == 1, answers
    assert srv.lock_state("alice") == before
    assert events(srv, "session.step_up") == []
    # The challenge still waits: the poll says so, nothing was consumed.
    st, body, raw = srv.pub("GET", "/v1/me/verify", token=token)
    assert st == 200 and body["status"] == "challenge", (st, raw)
    assert verified_until(srv, token) is None


def test_r34_outside_sls_there_is_no_step_up(srv):
    srv.create_user("olga", sls=False)
    st, js, raw = srv.login("olga")
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    st, body, raw = verify(srv, js["session"]["token"])
    assert st == 409 and "security review" in body["message"], (st, raw)


def test_r34_needs_a_session(srv):
    st, body, raw = srv.pub("POST", "/v1/me/verify", {})
    assert st == 401, (st, raw)
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    for bad in ({"response": 12345678}, {"device_id": ["x"]}):
        st, body, raw = srv.pub("POST", "/v1/me/verify", bad, token=token)
        assert st == 400, (bad, st, raw)
