"""SPEC §10.3 [lockout] mode client: a lockout an attacker cannot aim. Every
successful login's session carries a client token; a failure that presents a
valid one counts against that token alone (R8's numbers), other failures count
against the user's "unknown clients" counter. A login with a valid, unlocked
token proceeds while unknown clients are locked out. Unknown, expired and other
users' tokens are no token (the same answers). The desk sees both kinds of lock
and its unlock (R40) clears both. Mode account (the default) stays R8 as
written: tests/api/test_lockout.py."""

import os
import re

import pytest

import pgstore

from client import PASSWORD, parallel, parse_time, request

DAY = 24 * 3600
WRONG = "Wrong1234"
CLIENT_INI = "[lockout]\nmode = client\n"


def client_server(start_server):
    return start_server(extra_ini=CLIENT_INI)


def login(srv, user="alice", password=PASSWORD, client_token=None):
    body = {"username": user, "password": password, "platform": "portal"}
    if client_token is not None:
        body["client_token"] = client_token
    return srv.pub("POST", "/v1/login", body)


def full_login(srv, dev, user="alice", client_token=None):
    """Both stages; returns the session (with its client_token in mode client)."""
    st, js, raw = login(srv, user, client_token=client_token)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, js2, raw = srv.respond(js["login_id"], dev.answer(js["challenge"]))
    assert st == 200 and js2["status"] == "authenticated", (st, raw)
    return js2["session"]


def wrong(srv, user="alice", client_token=None, expect=401):
    st, js, raw = login(srv, user, WRONG, client_token)
    assert st == expect, (st, raw)
    return js


def token_counters(srv, user="alice"):
    return srv.lock_state(user)["client_tokens"]


def assert_locked(st, js, raw, until=None):
    assert st == 403 and js["error"] == "locked" and "locked_until" in js, (st, raw)
    if until is not None:
        assert parse_time(js["locked_until"]) == until, (js, until)


def test_session_carries_a_new_client_token(start_server):
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    s1 = full_login(srv, dev)
    tok = s1["client_token"]
    assert re.fullmatch(r"[0-9a-f]{64}", tok), s1
    # Presented again, it is replaced by a new one (and forgotten).
    s2 = full_login(srv, dev, client_token=tok)
    assert re.fullmatch(r"[0-9a-f]{64}", s2["client_token"]) and s2["client_token"] != tok
    # The old one is now no token: its failure counts against unknown clients.
    wrong(srv, client_token=tok)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 1 and lock["client_tokens"] == [], lock
    assert lock["mode"] == "client" and lock["counter"] == "unknown_clients", lock


def test_account_mode_issues_no_client_token_and_ignores_one(srv):
    """Mode account (the default) is R8 as written: no token, one counter."""
    dev = srv.sls_user("alice")
    s = full_login(srv, dev)
    assert "client_token" not in s, s
    wrong(srv, client_token="ab" * 32)
    lock = srv.lock_state("alice")
    assert lock["mode"] == "account" and lock["failures"] == 1, lock
    assert lock["client_tokens"] == [], lock


@pytest.mark.sqlite_only("reads the SQLite file's bytes (test_client_token_stored_only_as_hash_pg is the PostgreSQL one)")
def test_client_token_stored_only_as_hash(start_server):
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    srv.restart()  # everything written and checkpointed to the files
    data = b""
    for name in os.listdir(srv.workdir):
        if name.startswith("sls.db"):
            with open(os.path.join(srv.workdir, name), "rb") as f:
                data += f.read()
    assert data, "no database file"
    assert tok.encode() not in data


@pytest.mark.pg_only
def test_client_token_stored_only_as_hash_pg(start_server):
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    data = pgstore.dump(pgstore.database_of(srv.store))
    assert b"CREATE TABLE" in data, "no schema in the dump"
    assert tok.encode() not in data
    assert tok.upper().encode() not in data


def test_token_failures_count_against_that_token_alone(start_server):
    """§10.3: ten failures with a token lock the token; unknown clients are untouched,
    so a fresh client with the right password still gets to stage 2."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    t0 = srv.set_clock(srv.now() + 1)
    for i in range(9):
        wrong(srv, client_token=tok)
        lock = srv.lock_state("alice")
        assert lock["failures"] == 0, lock
        assert [c["failures"] for c in lock["client_tokens"]] == [i + 1], lock
    t = srv.set_clock(t0 + 60)
    assert_locked(*login(srv, "alice", WRONG, tok), until=t + DAY)
    # The right password with the locked token is refused and counts (R8).
    t2 = srv.set_clock(t + 5)
    assert_locked(*login(srv, client_token=tok), until=t2 + DAY)
    lock = srv.lock_state("alice")
    assert lock["locked"] is False and lock["failures"] == 0, lock
    [c] = lock["client_tokens"]
    assert c["locked"] is True and parse_time(c["locked_until"]) == t2 + DAY, c
    assert c["failures"] == 10 and re.fullmatch(r"[0-9a-f]{32}", c["id"]), c
    # Unknown clients are not locked: a fresh client proceeds.
    s = full_login(srv, dev)
    assert s["access"] == "full"
    # The token's lock ends exactly 24 h after its last failure.
    srv.set_clock(t2 + DAY - 1)
    assert_locked(*login(srv, client_token=tok), until=t2 + 2 * DAY - 1)
    srv.set_clock(t2 + 2 * DAY - 1)
    s = full_login(srv, dev, client_token=tok)
    assert s["client_token"] != tok


def test_motivating_scenario_attacker_cannot_lock_out_the_owner(start_server):
    """§10.3: an attacker with 100 wrong passwords from a new client; the victim logs
    in from their own client (token from an earlier login) and gets in; unknown
    clients are locked; a fresh client with the right password is refused."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    victim_token = full_login(srv, dev)["client_token"]
    t = srv.set_clock(srv.now() + 3600)
    statuses = [login(srv, "alice", WRONG)[0] for _ in range(100)]
    assert statuses == [401] * 9 + [403] * 91, statuses
    lock = srv.lock_state("alice")
    assert lock["locked"] is True and parse_time(lock["locked_until"]) == t + DAY, lock
    # The victim, from their own browser.
    s = full_login(srv, dev, client_token=victim_token)
    assert s["access"] == "full" and s["client_token"] != victim_token
    st, me, raw = srv.pub("GET", "/v1/session", token=s["token"])
    assert st == 200, (st, raw)
    # Unknown clients stay locked: the victim's success did not reset them.
    lock = srv.lock_state("alice")
    assert lock["locked"] is True and lock["failures"] == 10, lock
    # A fresh client with the right password: refused, locked.
    st, js, raw = login(srv)
    assert_locked(st, js, raw, until=t + DAY)
    # The attacker presenting a made-up token is still an unknown client.
    assert_locked(*login(srv, "alice", WRONG, "0" * 64))
    # And the victim's next login with the token just issued works again.
    s2 = full_login(srv, dev, client_token=s["client_token"])
    assert s2["access"] == "full"


def test_unknown_expired_or_foreign_token_is_no_token(start_server):
    """§10.3: no enumeration — the same answers as without a token, counted against
    unknown clients."""
    srv = client_server(start_server)
    dev_a = srv.sls_user("alice")
    dev_b = srv.sls_user("bob")
    tok_a = full_login(srv, dev_a, "alice")["client_token"]
    tok_b = full_login(srv, dev_b, "bob")["client_token"]
    plain = login(srv, "alice", WRONG)
    assert plain[0] == 401
    for presented in ("f" * 64, tok_b, "not-a-token", "A" * 64, ""):
        st, js, raw = login(srv, "alice", WRONG, presented)
        assert (st, js) == plain[:2], (presented, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 6 and lock["client_tokens"] == [], lock
    assert srv.lock_state("bob")["client_tokens"] == [] and srv.lock_state("bob")["failures"] == 0
    # An unknown user with any token: the same answer as without one.
    assert login(srv, "nobody", WRONG, tok_a)[:2] == login(srv, "nobody", WRONG)[:2]
    # Expired: 90 days after issue it is no token.
    t = srv.now()
    srv.set_clock(t + 90 * DAY)
    wrong(srv, client_token=tok_a)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 7 and lock["client_tokens"] == [], lock


def test_token_expires_at_90_days_not_before(start_server):
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    t0 = srv.now()
    tok = full_login(srv, dev)["client_token"]
    srv.set_clock(t0 + 90 * DAY - 1)
    wrong(srv, client_token=tok)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0 and len(lock["client_tokens"]) == 1, lock
    assert parse_time(lock["client_tokens"][0]["expires_at"]) == t0 + 90 * DAY, lock


def test_client_token_input_is_bounded(start_server):
    srv = client_server(start_server)
    srv.sls_user("alice")
    for bad in (123, ["a"], {"t": 1}, "a" * 257):
        st, js, raw = login(srv, "alice", WRONG, bad)
        assert st == 400, (bad, st, raw)
    assert srv.lock_state("alice")["failures"] == 0


def test_stage2_failure_counts_against_the_login_counter(start_server):
    """The login remembers the counter of stage 1: a wrong answer at stage 2 counts
    against the token presented then, or against unknown clients without one."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    st, js, raw = login(srv, client_token=tok)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    st, js2, raw = srv.respond(js["login_id"], "00000000")
    assert st == 401 and js2["error"] == "login_failed", (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0 and [c["failures"] for c in lock["client_tokens"]] == [1], lock
    st, js, raw = login(srv)
    st, js2, raw = srv.respond(js["login_id"], "00000000")
    assert st == 401, (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 1 and [c["failures"] for c in lock["client_tokens"]] == [1], lock
    # Nine more at stage 2 with the token lock it; the tenth answers locked.
    for _ in range(8):
        st, js, raw = login(srv, client_token=tok)
        assert srv.respond(js["login_id"], "00000000")[0] == 401
    st, js, raw = login(srv, client_token=tok)
    assert_locked(*srv.respond(js["login_id"], "00000000"))
    assert srv.lock_state("alice")["failures"] == 1


def test_locked_token_stage2_answer_is_refused(start_server):
    """A token locked between stage 1 and stage 2 refuses even the right answer."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    st, pending, raw = login(srv, client_token=tok)
    assert st == 200, (st, raw)
    for _ in range(10):
        login(srv, "alice", WRONG, tok)
    st, js, raw = srv.respond(pending["login_id"], dev.answer(pending["challenge"]))
    assert_locked(st, js, raw)


def test_success_resets_only_its_counter(start_server):
    """Decided: a success clears the counter it counted against — with a token, that
    token's (it is replaced); without one, unknown clients'."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    for _ in range(5):
        wrong(srv)
    for _ in range(3):
        wrong(srv, client_token=tok)
    tok2 = full_login(srv, dev, client_token=tok)["client_token"]
    lock = srv.lock_state("alice")
    assert lock["failures"] == 5 and lock["client_tokens"] == [], lock
    for _ in range(2):
        wrong(srv, client_token=tok2)
    full_login(srv, dev)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0, lock
    assert [c["failures"] for c in lock["client_tokens"]] == [2], lock


def test_r40_desk_sees_and_unlocks_both(start_server):
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    for _ in range(10):
        login(srv, "alice", WRONG)
    for _ in range(10):
        login(srv, "alice", WRONG, tok)
    lock = srv.lock_state("alice")
    assert lock["locked"] is True and lock["counter"] == "unknown_clients", lock
    [c] = lock["client_tokens"]
    assert c["locked"] is True and c["locked_until"], c
    recs = srv.audit("?user=alice&limit=1000")
    assert sorted(r["detail"] for r in recs if r["event"] == "lock") == \
        sorted(["unknown_clients", "client_token " + c["id"]]), recs
    # Unlock without a verified identity changes nothing.
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    assert srv.lock_state("alice")["client_tokens"][0]["locked"] is True
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert st == 200 and js["unlocked"] is True and js["client_tokens"] == 1, (st, raw)
    lock = srv.lock_state("alice")
    assert lock["locked"] is False and lock["failures"] == 0, lock
    assert lock["client_tokens"] == [], lock
    recs = srv.audit("?user=alice&limit=1000")
    assert [(r["actor"], r["outcome"], r["detail"]) for r in recs if r["event"] == "unlock"] == \
        [("agent:admin", "identity_not_verified", ""), ("agent:admin", "ok", "client_tokens=1")]
    full_login(srv, dev, client_token=tok)
    full_login(srv, dev)


def test_parallel_failures_across_both_counters_all_count(start_server):
    """R8 / §10.3: concurrent failures against a token and against unknown clients
    are never lost — exactly ten each, one lock each."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]

    def attempt(i):
        body = {"username": "alice", "password": WRONG, "platform": "portal"}
        if i % 2:
            body["client_token"] = tok
        return i % 2, request(srv.port, "POST", "/v1/login", body)[0]

    res = parallel(20, attempt)
    for kind in (0, 1):
        statuses = sorted(st for k, st in res if k == kind)
        assert statuses == [401] * 9 + [403], (kind, res)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 10 and lock["locked"] is True, lock
    [c] = lock["client_tokens"]
    assert c["failures"] == 10 and c["locked"] is True, c


def test_push_denial_counts_against_the_login_counter(start_server):
    """A denied push fails the login (R8) against the counter of its stage 1; an
    approved push's session carries a client token too."""
    from test_ibkey import ibkey_user, poll
    srv = client_server(start_server)
    app = ibkey_user(srv)
    st, js, raw = login(srv)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    srv.advance(1)  # each signed request of the app is used once (its second)
    st, pend, raw = app.pending()
    srv.advance(1)
    assert app.decide(pend[0], "approve")[0] == 200
    st, done, raw = poll(srv, js["login_id"])
    assert st == 200 and done["status"] == "authenticated", (st, raw)
    tok = done["session"]["client_token"]
    assert re.fullmatch(r"[0-9a-f]{64}", tok), done
    st, js, raw = login(srv, client_token=tok)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    srv.advance(1)
    st, pend, raw = app.pending()
    srv.advance(1)
    st, res, raw = app.decide(pend[0], "deny")
    assert st == 200 and res["status"] == "denied", (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0 and [c["failures"] for c in lock["client_tokens"]] == [1], lock


def test_session_checks_count_against_its_client_token(start_server):
    """§10.3: inside a session opened with a client token, the step-up (R34) and the
    current password of a settings change count against that session's token, so
    an attacker who locks unknown clients does not lock the owner's session."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    for _ in range(10):
        login(srv, "alice", WRONG)
    assert srv.lock_state("alice")["locked"] is True
    s = full_login(srv, dev, client_token=tok)
    # A right step-up passes while unknown clients are locked.
    srv.step_up(s["token"], dev)
    # A wrong one counts against the session's token, not unknown clients.
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"device_id": dev.id}, token=s["token"])
    assert st == 200, (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"response": "00000000"}, token=s["token"])
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/password",
                          {"current_password": WRONG, "new_password": "Another123"},
                          token=s["token"])
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 10, lock
    [c] = lock["client_tokens"]
    assert c["failures"] == 2 and c["locked"] is False, c
    # Every session of mode client counts against the token issued with it: one
    # opened by an unknown client (after the desk's unlock) gets a token of its own.
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                          {"channel": "phone"})
    assert st == 201, (st, raw)
    assert srv.adm("POST", "/v1/admin/users/alice/unlock", {})[0] == 200
    s2 = full_login(srv, dev)
    st, js, raw = srv.pub("POST", "/v1/me/password",
                          {"current_password": WRONG, "new_password": "Another123"},
                          token=s2["token"])
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0, lock
    [c2] = lock["client_tokens"]
    assert c2["failures"] == 1 and c2["id"] != c["id"], lock


def test_session_of_a_forgotten_token_counts_against_unknown_clients(start_server):
    """A session whose token was replaced by a later login (or expired) is an unknown
    client for its checks: it never escapes R8."""
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    s1 = full_login(srv, dev)
    full_login(srv, dev, client_token=s1["client_token"])  # replaces s1's token
    st, js, raw = srv.pub("POST", "/v1/me/password",
                          {"current_password": WRONG, "new_password": "Another123"},
                          token=s1["token"])
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    lock = srv.lock_state("alice")
    assert lock["failures"] == 1 and lock["client_tokens"] == [], lock


def test_slsctl_user_show_prints_both_kinds_of_lock(start_server):
    """§10.3, R40: the desk's CLI shows the unknown-clients lock and the locked
    client tokens with their end, and its unlock clears both."""
    from test_cli import ctl
    srv = client_server(start_server)
    dev = srv.sls_user("alice")
    tok = full_login(srv, dev)["client_token"]
    for _ in range(10):
        login(srv, "alice", WRONG)
        login(srv, "alice", WRONG, tok)
    [c] = srv.lock_state("alice")["client_tokens"]
    rc, out, err = ctl(srv, "user", "show", "alice")
    assert rc == 0, (out, err)
    assert re.search(r"^unknown clients locked: +yes, until \S+Z \(failures: 10\)$", out, re.M), out
    assert re.search(r"^%s +%s +10 +\S+Z$" % (c["id"], re.escape(c["locked_until"])), out, re.M), out
    assert srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                   {"channel": "phone"})[0] == 201
    rc, out, err = ctl(srv, "unlock", "alice")
    assert rc == 0, (out, err)
    rc, out, err = ctl(srv, "user", "show", "alice")
    assert re.search(r"^unknown clients locked: +no \(failures: 0\)$", out, re.M), out
    assert "client tokens with failures: none" in out, out
