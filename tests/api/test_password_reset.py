"""R3, R29 password reset by the service desk: after an identity verification
(R40) the desk has a reset code sent to the e-mail on record; the user sets a
new password with it. Codes are single use, expire after 30 minutes, die after
five wrong guesses, and every refusal looks the same."""

import re
import threading

from client import PASSWORD, parse_time
from test_temporary import at, events, verify

NEW = "Fresh2026pw"


def desk_reset(srv, user="alice", token=True):
    return srv.adm("POST", "/v1/admin/users/%s/password-reset" % user, {}, token=token)


def mails(srv, to, notice=None):
    """The e-mails to `to`; security notices (§10.3, test_notices.py) only when
    `notice` names their kind."""
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=%s" % to)
    assert st == 200, (st, raw)
    if notice is not None:
        return [m for m in js if m.get("kind") == notice]
    return [m for m in js if not m.get("kind", "").startswith("notice.")]


def sent_code(srv, user="alice"):
    """Verifies, has a code sent, and returns (answer, code from the mailbox)."""
    verify(srv, user)
    st, js, raw = desk_reset(srv, user)
    assert st == 202, (st, raw)
    mail = mails(srv, "%s@example.com" % user)[-1]
    return js, mail["code"]


def complete(srv, code, user="alice", password=NEW):
    return srv.pub("POST", "/v1/password-reset/complete",
                   {"username": user, "code": code, "new_password": password})


def assert_invalid(st, js, raw):
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    assert js["message"] == "Invalid or expired code", js


def test_r29_desk_reset_needs_a_verification(srv):
    srv.sls_user("alice")
    st, js, raw = desk_reset(srv)
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    assert mails(srv, "alice@example.com") == []
    assert desk_reset(srv, "nobody")[0] == 404
    assert desk_reset(srv, token="wrong-token-000000000")[0] == 401


def test_r29_code_goes_to_the_mailbox_not_to_the_agent(srv):
    srv.sls_user("alice")
    now = at(srv, srv.now())
    js, code = sent_code(srv)
    assert js["sent_to"] == "a***@example.com", js
    assert parse_time(js["expires_at"]) == now + 30 * 60, js
    assert code not in str(js) and re.fullmatch(r"[0-9]{8}", code), (js, code)
    mail = mails(srv, "alice@example.com")[-1]
    assert mail["channel"] == "email" and code in mail["body"], mail
    ev = events(srv, "password_reset.issue")
    assert len(ev) == 1 and ev[0]["actor"] == "agent:admin" and code not in ev[0]["detail"], ev


def test_r3_new_password_with_the_code(srv):
    dev = srv.sls_user("alice")
    old_session = srv.full_login("alice", dev)["token"]
    _, code = sent_code(srv)
    st, js, raw = complete(srv, code)
    assert st == 200 and js["password_changed"] is True, (st, raw)
    assert js["sessions_revoked"] == 1, js
    assert srv.pub("GET", "/v1/me", token=old_session)[0] == 401
    assert srv.login("alice", PASSWORD)[0] == 401
    srv.full_login("alice", dev, password=NEW)
    notice = mails(srv, "alice@example.com", "notice.password_changed")[-1]
    assert "password" in notice["body"] and notice.get("code") in (None, ""), notice
    ev = events(srv, "password_reset.complete")
    assert [e["outcome"] for e in ev] == ["ok"], ev
    # Single use.
    st, js, raw = complete(srv, code, password="Another2026")
    assert_invalid(st, js, raw)


def test_r3_refusals_look_the_same(srv):
    srv.sls_user("alice")
    srv.sls_user("bob")
    _, code = sent_code(srv)
    wrong = "%08d" % ((int(code) + 1) % 100000000)
    answers = [complete(srv, wrong), complete(srv, code, user="bob"),
               complete(srv, code, user="nobody"), complete(srv, "1234"),
               complete(srv, "abcdefgh")]
    for st, js, raw in answers:
        assert_invalid(st, js, raw)
    assert len({raw for _, _, raw in answers}) == 1
    # Malformed user names and weak passwords say so, and use up nothing.
    st, js, raw = complete(srv, code, user="al ice")
    assert st == 400 and js["error"] == "bad_character", (st, raw)
    st, js, raw = complete(srv, code, password="short")
    assert st == 400 and js["error"] == "weak_password", (st, raw)
    assert complete(srv, code)[0] == 200


def test_r3_five_wrong_codes_void_it(srv):
    srv.sls_user("alice")
    _, code = sent_code(srv)
    wrong = "%08d" % ((int(code) + 1) % 100000000)
    for _ in range(5):
        assert_invalid(*complete(srv, wrong))
    assert_invalid(*complete(srv, code))
    assert srv.login("alice", NEW)[0] == 401
    outcomes = [e["outcome"] for e in events(srv, "password_reset.complete")]
    assert outcomes == ["wrong_code"] * 5 + ["too_many_attempts"], outcomes


def test_r3_code_expires_after_30_minutes_to_the_second(srv):
    srv.sls_user("alice")
    srv.sls_user("bob")
    start = at(srv, srv.now())
    _, code = sent_code(srv)
    at(srv, start + 30 * 60 - 1)
    assert complete(srv, code)[0] == 200
    start = at(srv, srv.now())
    _, code = sent_code(srv, "bob")
    at(srv, start + 30 * 60)
    assert_invalid(*complete(srv, code, user="bob"))
    assert [e["outcome"] for e in events(srv, "password_reset.complete", "bob")] == ["expired"]


def test_r3_a_new_code_replaces_the_old_one(srv):
    srv.sls_user("alice")
    _, first = sent_code(srv)
    _, second = sent_code(srv)
    if first != second:
        assert_invalid(*complete(srv, first))
    assert complete(srv, second)[0] == 200


def test_r3_two_completions_at_once_one_wins(srv):
    srv.sls_user("alice")
    _, code = sent_code(srv)
    results = []

    def run(i):
        results.append(complete(srv, code, password="Racer%d2026" % i)[0])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 400, 400, 400], results
