"""R8 lockout: ten consecutive failed attempts (stage 1 or 2) within 24 hours lock
the account; the lock lasts 24 hours after the last failed attempt, and attempts
during the lock extend it; a success resets the count. R40: the service desk
unlocks after an identity verification of the last 15 minutes."""

from client import PASSWORD, parse_time

DAY = 24 * 3600
WRONG = "Wrong1234"


def fail(srv, user="alice", expect=401):
    st, js, raw = srv.login(user, WRONG)
    assert st == expect, (st, raw)
    if expect == 401:
        assert js["error"] == "invalid_credentials", raw
    return js


def fail_stage2(srv, user="alice"):
    st, js, raw = srv.login(user)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, js2, raw = srv.respond(js["login_id"], "00000000" if
                               js["challenge"]["kind"] == "challenge_response" else "000000")
    return st, js2, raw


def assert_locked(st, js, raw, until=None):
    assert st == 403, (st, raw)
    assert js["error"] == "locked", raw
    assert "locked_until" in js, raw
    if until is not None:
        assert parse_time(js["locked_until"]) == until, (js, until)


def lock_account(srv, user="alice", at=None):
    """Nine failures, then the tenth (at server time `at` if given) answers 403 locked."""
    for _ in range(9):
        fail(srv, user)
    if at is not None:
        srv.set_clock(at)
    js = fail(srv, user, expect=403)
    assert js["error"] == "locked", js


def test_r8_tenth_failure_locks(srv):
    srv.sls_user("alice")
    t = srv.now()
    for i in range(9):
        fail(srv)
        assert srv.lock_state("alice")["failures"] == i + 1
    t = srv.set_clock(t + 60)
    st, js, raw = srv.login("alice", WRONG)
    assert_locked(st, js, raw, until=t + DAY)
    lock = srv.lock_state("alice")
    assert lock["locked"] is True and lock["failures"] >= 10
    assert parse_time(lock["locked_until"]) == t + DAY


def test_r8_locked_refuses_right_password(srv):
    srv.sls_user("alice")
    lock_account(srv)
    assert_locked(*srv.login("alice", PASSWORD))
    assert_locked(*srv.login("alice", PASSWORD, platform="trading"))


def test_r8_lock_extends_and_ends_24h_after_last_failure(srv):
    dev = srv.sls_user("alice")
    t0 = srv.set_clock(srv.now() + 1)
    lock_account(srv)
    # An attempt with the right password during the lock counts and extends it.
    t1 = srv.set_clock(t0 + 3600)
    assert_locked(*srv.login("alice", PASSWORD), until=t1 + DAY)
    srv.set_clock(t1 + DAY - 1)
    lock = srv.lock_state("alice")
    assert lock["locked"] is True, lock
    assert parse_time(lock["locked_until"]) == t1 + DAY, lock
    srv.set_clock(t1 + DAY)
    lock = srv.lock_state("alice")
    assert lock["locked"] is False, lock
    s = srv.full_login("alice", dev)
    assert s["access"] == "full"
    assert srv.lock_state("alice")["failures"] == 0


def test_r8_lock_ends_exactly_at_24h(srv):
    """With no attempt during the lock, it ends 24 h after the tenth failure."""
    dev = srv.sls_user("alice")
    t0 = srv.now() + 1
    lock_account(srv, at=t0)
    srv.set_clock(t0 + DAY - 1)
    assert srv.lock_state("alice")["locked"] is True
    srv.set_clock(t0 + DAY)
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, js2, raw = srv.respond(js["login_id"], dev.answer(js["challenge"]))
    assert st == 200, (st, raw)


def test_r8_success_resets_count(srv):
    dev = srv.sls_user("alice")
    for _ in range(9):
        fail(srv)
    srv.full_login("alice", dev)
    assert srv.lock_state("alice")["failures"] == 0
    for _ in range(9):
        fail(srv)
    lock = srv.lock_state("alice")
    assert lock["locked"] is False and lock["failures"] == 9, lock
    srv.full_login("alice", dev)


def test_r8_stage1_success_alone_does_not_reset(srv):
    """Only a login that passes both stages resets the count."""
    srv.sls_user("alice")
    for _ in range(9):
        fail(srv)
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor"
    assert srv.lock_state("alice")["failures"] == 9
    fail(srv, expect=403)


def test_r8_failures_24h_apart_do_not_lock(srv):
    srv.sls_user("alice")
    t0 = srv.set_clock(srv.now() + 1)
    fail(srv)
    srv.set_clock(t0 + 3600)
    for _ in range(8):
        fail(srv)
    srv.set_clock(t0 + DAY)
    fail(srv)  # the 10th: 24 h after the first -> no lock
    lock = srv.lock_state("alice")
    assert lock["locked"] is False, lock
    # Another failure makes ten within 23 h (the 2nd..11th) -> locked.
    srv.set_clock(t0 + DAY)
    st, js, raw = srv.login("alice", WRONG)
    assert_locked(st, js, raw, until=t0 + 2 * DAY)


def test_r8_window_just_under_24h_locks(srv):
    srv.sls_user("alice")
    t0 = srv.set_clock(srv.now() + 1)
    fail(srv)
    srv.set_clock(t0 + 60)
    for _ in range(8):
        fail(srv)
    t = srv.set_clock(t0 + DAY - 1)
    assert_locked(*srv.login("alice", WRONG), until=t + DAY)


def test_r8_stage2_failures_count(srv):
    """Wrong second-factor responses count toward the lock like wrong passwords."""
    srv.sls_user("alice")
    for _ in range(5):
        st, js, raw = fail_stage2(srv)
        assert st == 401 and js["error"] == "login_failed", (st, raw)
    for _ in range(4):
        fail(srv)
    assert srv.lock_state("alice")["failures"] == 9
    fail(srv, expect=403)
    assert srv.lock_state("alice")["locked"] is True


def test_r8_ten_stage2_failures_lock(srv):
    srv.sls_user("alice")
    for _ in range(9):
        st, js, raw = fail_stage2(srv)
        assert st == 401 and js["error"] == "login_failed", (st, raw)
    st, js, raw = fail_stage2(srv)
    assert (st, js["error"]) in [(401, "login_failed"), (403, "locked")], (st, raw)
    assert srv.lock_state("alice")["locked"] is True
    assert_locked(*srv.login("alice", PASSWORD))


def test_r8_locked_while_answering_stage2(srv):
    """A login whose stage 1 passed before the lock cannot finish while locked."""
    dev = srv.sls_user("alice")
    st, pending, raw = srv.login("alice")
    assert st == 200
    lock_account(srv)
    st, js, raw = srv.respond(pending["login_id"], dev.answer(pending["challenge"]))
    assert st in (401, 403) and js["error"] in ("login_failed", "locked"), (st, raw)
    assert srv.lock_state("alice")["locked"] is True


def test_r8_lock_is_per_user(srv):
    srv.sls_user("alice")
    bob = srv.sls_user("bob")
    lock_account(srv, "alice")
    srv.full_login("bob", bob)
    assert srv.lock_state("bob")["failures"] == 0


def test_r40_unlock_needs_identity_verification(srv):
    dev = srv.sls_user("alice")
    lock_account(srv)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    assert srv.lock_state("alice")["locked"] is True
    t = srv.set_clock(srv.now() + 5)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                          {"channel": "phone"})
    assert st == 201, (st, raw)
    assert parse_time(js["valid_until"]) == t + 900, js
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 200 and js["unlocked"] is True, (st, raw)
    lock = srv.lock_state("alice")
    assert lock["locked"] is False and lock["failures"] == 0, lock
    srv.full_login("alice", dev)


def test_r40_verification_valid_15min_minus_1s(srv):
    srv.sls_user("alice")
    lock_account(srv)
    t = srv.set_clock(srv.now() + 5)
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    srv.set_clock(t + 899)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 200 and js["unlocked"] is True, (st, raw)


def test_r40_verification_expires_at_15min(srv):
    srv.sls_user("alice")
    lock_account(srv)
    t = srv.set_clock(srv.now() + 5)
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    srv.set_clock(t + 900)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    assert srv.lock_state("alice")["locked"] is True


def test_r40_verification_is_per_user(srv):
    srv.sls_user("alice")
    srv.sls_user("bob")
    lock_account(srv, "alice")
    assert srv.adm("POST", "/v1/admin/users/bob/identity-verifications",
                   {"channel": "phone"})[0] == 201
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)


def test_r40_identity_verification_input(srv):
    srv.sls_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/nobody/identity-verifications",
                          {"channel": "phone"})
    assert st == 404 and js["error"] == "not_found", (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                          {"channel": "carrier pigeon"})
    assert st == 400, (st, raw)


def test_r40_unlock_needs_verification_by_the_same_agent(start_server):
    """R40: the verification must be the acting agent's own; actions are audited by name."""
    import hashlib
    import secrets
    carol = secrets.token_hex(24)
    srv = start_server(extra_ini="[agents]\ncarol = %s\n" % hashlib.sha256(
        carol.encode()).hexdigest())
    dev = srv.sls_user("alice")
    lock_account(srv)
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {}, token=carol)
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                          {"channel": "phone"}, token=carol)
    assert st == 201, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {}, token=carol)
    assert st == 200 and js["unlocked"] is True, (st, raw)
    srv.full_login("alice", dev)
    recs = srv.audit("?user=alice&limit=1000")
    assert [(r["actor"], r["outcome"]) for r in recs if r["event"] == "unlock"] == \
        [("agent:carol", "identity_not_verified"), ("agent:carol", "ok")], recs
    assert sorted(r["actor"] for r in recs if r["event"] == "identity.verify") == \
        ["agent:admin", "agent:carol"], recs


def test_r8_after_the_lock_ends_ten_new_failures_needed(srv):
    """Failures older than 24 h no longer count once the lock has ended."""
    srv.sls_user("alice")
    t0 = srv.now() + 1
    srv.set_clock(t0)
    for _ in range(9):
        fail(srv)
    srv.set_clock(t0)
    fail(srv, expect=403)
    srv.set_clock(t0 + DAY)
    for _ in range(9):
        fail(srv)
    assert srv.lock_state("alice")["locked"] is False
    t1 = srv.set_clock(t0 + DAY)
    st, js, raw = srv.login("alice", WRONG)
    assert_locked(st, js, raw, until=t1 + DAY)


def test_r40_after_unlock_ten_new_failures_needed(srv):
    srv.sls_user("alice")
    lock_account(srv)
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    assert srv.adm("POST", "/v1/admin/users/alice/unlock", {})[0] == 200
    for _ in range(9):
        fail(srv)
    assert srv.lock_state("alice")["locked"] is False
    fail(srv, expect=403)
