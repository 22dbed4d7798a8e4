"""R3 self-service password reset: POST /v1/password-reset sends a code to the
e-mail on record (the same answer for every name); the code proves itself for
a challenge from the user's strongest device, and the code with the device's
response sets the new password. Codes given by the service desk keep working
without a device response."""

import re

from client import PASSWORD, parse_time
from test_ibkey import ibkey_user
from test_password_reset import assert_invalid, complete, mails, sent_code
from test_temporary import at, events

NEW = "Fresh2026pw"


def ask(srv, user="alice"):
    return srv.pub("POST", "/v1/password-reset", {"username": user})


def asked_code(srv, user="alice"):
    """Asks for a code and returns it from the mailbox."""
    st, js, raw = ask(srv, user)
    assert st == 202, (st, raw)
    mail = mails(srv, "%s@example.com" % user)[-1]
    assert re.fullmatch(r"[0-9]{8}", mail["code"]) and mail["code"] in mail["body"], mail
    return mail["code"]


def start(srv, code, user="alice"):
    """Step one: the code alone -> (status, json, raw) with the challenge."""
    return srv.pub("POST", "/v1/password-reset/complete", {"username": user, "code": code})


def finish(srv, code, response, user="alice", password=NEW):
    return srv.pub("POST", "/v1/password-reset/complete",
                   {"username": user, "code": code, "response": response,
                    "new_password": password})


def challenge_of(srv, code, user="alice"):
    st, js, raw = start(srv, code, user)
    assert st == 200 and js["response_required"] is True, (st, raw)
    return js


def wrong(code):
    return "%08d" % ((int(code) + 1) % 100000000)


def test_r3_request_answers_the_same_for_everyone(srv):
    srv.sls_user("alice")
    srv.create_user("carol", sls=False)
    answers = [ask(srv, "alice"), ask(srv, "nobody"), ask(srv, "carol"), ask(srv, "Alice"),
               ask(srv, "x" * 40)]
    for st, js, raw in answers:
        assert st == 202 and js["status"] == "requested", (st, raw)
    assert len({raw for _, _, raw in answers}) == 1
    # Only the SLS user with a device gets a code.
    assert len(mails(srv, "alice@example.com")) == 1
    assert mails(srv, "carol@example.com") == []
    outcomes = [e["outcome"] for e in events(srv, "password_reset.request", "carol")]
    assert outcomes == ["not_eligible"], outcomes
    assert [e["outcome"] for e in events(srv, "password_reset.request", "nobody")] == [
        "unknown_user"]
    # A malformed name says so and sends nothing; a missing one too.
    st, js, raw = ask(srv, "al ice")
    assert st == 400 and js["error"] == "bad_character", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/password-reset", {})
    assert st == 400 and js["error"] == "bad_request", (st, raw)


def test_r3_users_without_a_challengeable_device_get_no_code(srv):
    srv.create_user("alice")  # in SLS, no device
    srv.create_user("bob")
    srv.add_device("bob", "dsc_plus", state="shipped")
    assert ask(srv, "alice")[0] == 202 and ask(srv, "bob")[0] == 202
    assert mails(srv, "alice@example.com") == [] and mails(srv, "bob@example.com") == []


def full_flow(srv, dev, kind):
    old = srv.full_login("alice", dev)["token"]
    now = at(srv, srv.now())
    code = asked_code(srv)
    ev = events(srv, "password_reset.request")
    assert ev[-1]["outcome"] == "sent" and code not in ev[-1]["detail"], ev
    # The code alone does not set a password.
    st, js, raw = complete(srv, code)
    assert st == 400 and js["error"] == "bad_request", (st, raw)
    ch = challenge_of(srv, code)
    assert ch["device_id"] == dev.id and ch["challenge"]["kind"] == kind, ch
    assert parse_time(ch["expires_at"]) == now + 300, ch
    st, js, raw = finish(srv, code, dev.answer(ch["challenge"]))
    assert st == 200 and js["password_changed"] is True and js["sessions_revoked"] == 1, (st, raw)
    assert srv.pub("GET", "/v1/me", token=old)[0] == 401
    assert srv.login("alice", PASSWORD)[0] == 401
    notice = mails(srv, "alice@example.com", "notice.password_changed")[-1]
    assert "password" in notice["body"] and notice.get("code") in (None, ""), notice
    ev = events(srv, "password_reset.complete")
    assert [e["outcome"] for e in ev] == ["ok"] and dev.id in ev[0]["detail"], ev
    # Single use: neither step works again.
    assert_invalid(*start(srv, code))
    assert_invalid(*finish(srv, code, dev.answer(ch["challenge"]), password="Another2026"))
    return srv.full_login("alice", dev, password=NEW)


def test_r3_full_flow_with_a_dsc_plus(srv):
    dev = srv.sls_user("alice")
    full_flow(srv, dev, "challenge_response")


def test_r3_full_flow_with_a_security_code_card(srv):
    dev = srv.sls_user("alice", "scc")
    full_flow(srv, dev, "card")


def test_r3_the_strongest_device_answers(srv):
    srv.sls_user("alice", "scc")
    strong = srv.add_device("alice", "dsc_plus")
    srv.add_device("alice", "dsc")
    code = asked_code(srv)
    assert challenge_of(srv, code)["device_id"] == strong.id


def test_r3_ibkey_answers_by_its_challenge_response_fallback(srv):
    app = ibkey_user(srv)
    code = asked_code(srv)
    ch = challenge_of(srv, code)
    assert ch["device_id"] == app.device_id(), ch
    assert ch["challenge"]["kind"] == "challenge_response", ch
    st, js, raw = finish(srv, code, app.respond("alice", ch["challenge"]["challenge"]))
    assert st == 200 and js["password_changed"] is True, (st, raw)
    assert srv.login("alice", NEW)[0] == 200


def test_r3_five_wrong_codes_void_it_in_either_step(srv):
    dev = srv.sls_user("alice")
    code = asked_code(srv)
    for i in range(5):
        if i % 2:
            assert_invalid(*start(srv, wrong(code)))
        else:
            assert_invalid(*finish(srv, wrong(code), "12345678"))
    assert_invalid(*start(srv, code))
    outcomes = [e["outcome"] for e in events(srv, "password_reset.complete")]
    assert outcomes == ["wrong_code"] * 5 + ["too_many_attempts"], outcomes
    # Wrong codes are not device failures.
    assert srv.lock_state("alice")["failures"] == 0
    srv.full_login("alice", dev)


def test_r3_asking_again_keeps_the_wrong_guesses(srv):
    srv.sls_user("alice")
    first = asked_code(srv)
    for _ in range(3):
        assert_invalid(*start(srv, wrong(first)))
    second = asked_code(srv)
    if first != second:
        assert_invalid(*start(srv, first))  # replaced; the 4th guess
    else:
        assert_invalid(*start(srv, wrong(second)))
    assert_invalid(*start(srv, wrong(second)))  # the 5th
    assert_invalid(*start(srv, second))  # void: asking again bought nothing
    # Once the window has passed a new code starts afresh.
    srv.advance(30 * 60)
    third = asked_code(srv)
    assert challenge_of(srv, third)["response_required"] is True


def test_r3_wrong_device_response_counts_toward_lockout(srv):
    dev = srv.sls_user("alice")
    code = asked_code(srv)
    ch = challenge_of(srv, code)
    right = dev.answer(ch["challenge"])
    st, js, raw = finish(srv, code, wrong(right))
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    # The challenge is used up: even the right answer needs a new one.
    st, js, raw = finish(srv, code, right)
    assert st == 409, (st, raw)
    ev = events(srv, "password_reset.complete")
    assert [e["outcome"] for e in ev] == ["wrong_response"], ev
    # The code itself still works with a fresh challenge.
    ch = challenge_of(srv, code)
    st, js, raw = finish(srv, code, dev.answer(ch["challenge"]))
    assert st == 200, (st, raw)


def test_r3_r8_wrong_device_responses_lock_the_account(srv):
    srv.sls_user("alice")
    code = asked_code(srv)
    for _ in range(10):
        challenge_of(srv, code)
        st, js, raw = finish(srv, code, "00000000")
        assert st == 403, (st, raw)
    assert js["error"] == "locked" and "locked_until" in js, js
    assert srv.lock_state("alice")["locked"] is True


def test_r3_self_code_expires_after_30_minutes_to_the_second(srv):
    dev = srv.sls_user("alice")
    srv.sls_user("bob")
    begin = at(srv, srv.now())
    code = asked_code(srv)
    at(srv, begin + 30 * 60 - 1)
    ch = challenge_of(srv, code)
    st, js, raw = finish(srv, code, dev.answer(ch["challenge"]))
    assert st == 200, (st, raw)
    begin = at(srv, srv.now())
    code = asked_code(srv, "bob")
    at(srv, begin + 30 * 60)
    assert_invalid(*start(srv, code, "bob"))
    assert [e["outcome"] for e in events(srv, "password_reset.complete", "bob")] == ["expired"]


def test_r3_refusals_before_the_code_is_proven_look_the_same(srv):
    srv.sls_user("alice")
    srv.sls_user("bob")
    code = asked_code(srv)
    answers = [start(srv, wrong(code)), start(srv, code, "bob"), start(srv, code, "nobody"),
               start(srv, "1234"), finish(srv, code, "12345678", user="bob"),
               finish(srv, wrong(code), "12345678")]
    for st, js, raw in answers:
        assert_invalid(st, js, raw)
    assert len({raw for _, _, raw in answers}) == 1


def test_r3_desk_codes_need_no_device_response(srv):
    srv.sls_user("alice")
    _, code = sent_code(srv)
    st, js, raw = start(srv, code)
    assert st == 200 and js == {"response_required": False}, (st, raw)
    # A self-service request does not replace the desk's usable code.
    assert ask(srv)[0] == 202
    assert [m for m in mails(srv, "alice@example.com") if m.get("code")][-1]["code"] == code
    ev = events(srv, "password_reset.request")
    assert [e["outcome"] for e in ev] == ["desk_code_kept"], ev
    st, js, raw = complete(srv, code)
    assert st == 200 and js["password_changed"] is True, (st, raw)
    assert srv.login("alice", NEW)[0] == 200


def test_r3_response_needs_the_new_password(srv):
    srv.sls_user("alice")
    code = asked_code(srv)
    st, js, raw = srv.pub("POST", "/v1/password-reset/complete",
                          {"username": "alice", "code": code, "response": "12345678"})
    assert st == 400 and js["error"] == "bad_request", (st, raw)
    st, js, raw = finish(srv, code, "12345678", password="short")
    assert st == 400 and js["error"] == "weak_password", (st, raw)
    assert events(srv, "password_reset.complete") == []
