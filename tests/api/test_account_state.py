"""R12 account state and platform: pending accounts and accounts approved after the
16:00 UTC cut-off reach the Client Portal only (trading opens the next day); closed
accounts reach the portal read-only with the password alone; paper-trading
credentials work only with `paper: true`. Also the admin account-state call."""

import os
import sqlite3

import pytest

from client import PASSWORD, parse_time


def refused(st, js, raw, message=None):
    assert st == 403, (st, raw)
    assert js["error"] == "platform_not_allowed", raw
    if message is not None:
        assert js["message"] == message, raw


def second_factor(st, js, raw):
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    return js


def test_r12_pending_account_portal_only(srv):
    dev = srv.sls_user("alice", account_state="pending")
    refused(*srv.login("alice", platform="trading"),
            message="Account not approved: Client Portal access only")
    s = srv.full_login("alice", dev, platform="portal")
    assert s["platform"] == "portal" and s["access"] == "full"


def test_r12_pending_account_wrong_password_is_invalid_credentials(srv):
    srv.sls_user("alice", account_state="pending")
    st, js, raw = srv.login("alice", "Wrong1234", platform="trading")
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)


def test_r12_approved_before_cutoff_trades_same_day(srv):
    srv.set_clock("2026-11-20T15:59:59Z")
    dev = srv.sls_user("alice")
    assert parse_time(srv.user_view("alice")["approved_at"]) == parse_time("2026-11-20T15:59:59Z")
    s = srv.full_login("alice", dev, platform="trading")
    assert s["platform"] == "trading"


def test_r12_approved_at_cutoff_trades_next_day(srv):
    srv.set_clock("2026-11-20T16:00:00Z")
    dev = srv.sls_user("alice")
    refused(*srv.login("alice", platform="trading"), message="Trading access opens 2026-11-21")
    second_factor(*srv.login("alice", platform="portal"))
    srv.set_clock("2026-11-20T23:59:59Z")
    refused(*srv.login("alice", platform="trading"), message="Trading access opens 2026-11-21")
    srv.set_clock("2026-11-21T00:00:00Z")
    assert srv.full_login("alice", dev, platform="trading")["platform"] == "trading"


def test_r12_approval_later_records_approval_time(srv):
    srv.set_clock("2026-11-20T10:00:00Z")
    dev = srv.sls_user("alice", account_state="pending")
    srv.set_clock("2026-11-20T17:30:00Z")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "approved"})
    assert st == 200, (st, raw)
    assert js["account_state"] == "approved"
    assert parse_time(js["approved_at"]) == parse_time("2026-11-20T17:30:00Z")
    view = srv.user_view("alice")
    assert view["account_state"] == "approved"
    assert parse_time(view["approved_at"]) == parse_time("2026-11-20T17:30:00Z")
    refused(*srv.login("alice", platform="trading"), message="Trading access opens 2026-11-21")
    srv.set_clock("2026-11-21T08:00:00Z")
    srv.full_login("alice", dev, platform="trading")


def test_r12_approval_before_cutoff_via_account_call(srv):
    srv.set_clock("2026-11-20T10:00:00Z")
    dev = srv.sls_user("alice", account_state="pending")
    srv.set_clock("2026-11-20T11:00:00Z")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "approved"})
    assert st == 200, (st, raw)
    srv.full_login("alice", dev, platform="trading")


def test_r12_closed_account_portal_read_only_without_device(srv):
    srv.sls_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "closed"})
    assert st == 200 and js["account_state"] == "closed", (st, raw)
    st, js, raw = srv.login("alice", platform="portal")
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    s = js["session"]
    assert s["access"] == "read_only" and s["factor"] == "none", s
    # R31: no second factor, so no restricted products, even for an SLS member.
    assert s["restricted_products"] is False, s
    st, me, raw = srv.pub("GET", "/v1/session", token=s["token"])
    assert st == 200 and me["access"] == "read_only", (st, raw)


def test_r12_closed_account_no_trading(srv):
    srv.sls_user("alice", account_state="closed")
    refused(*srv.login("alice", platform="trading"),
            message="Account closed: Client Portal access only")


def test_r12_closed_account_still_needs_password(srv):
    srv.sls_user("alice", account_state="closed")
    st, js, raw = srv.login("alice", "Wrong1234", platform="portal")
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)


def test_r12_reopen_closed_account(srv):
    dev = srv.sls_user("alice", account_state="closed")
    srv.set_clock("2026-11-20T12:00:00Z")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "approved"})
    assert st == 200 and js["account_state"] == "approved", (st, raw)
    assert parse_time(js["approved_at"]) == parse_time("2026-11-20T12:00:00Z")
    s = srv.full_login("alice", dev, platform="portal")
    assert s["access"] == "full" and s["factor"] == "dsc_plus"


def test_r12_back_to_pending(srv):
    srv.sls_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "pending"})
    assert st == 200 and js["account_state"] == "pending", (st, raw)
    refused(*srv.login("alice", platform="trading"),
            message="Account not approved: Client Portal access only")


@pytest.mark.parametrize("body", [{"state": "open"}, {"state": ""}, {"state": 1}, {}])
def test_account_state_bad_input(srv, body):
    srv.sls_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", body)
    assert st == 400 and "error" in js, (st, raw)
    assert srv.user_view("alice")["account_state"] == "approved"


def test_account_state_unknown_user(srv):
    st, js, raw = srv.adm("POST", "/v1/admin/users/nobody/account", {"state": "closed"})
    assert st == 404 and js["error"] == "not_found", (st, raw)


# ---- paper trading ----

def make_paper(srv):
    dev = srv.sls_user("alice")
    srv.create_user("alicepaper", sls=False, paper_of="alice")
    return dev


def test_r12_paper_credentials_need_paper_flag(srv):
    make_paper(srv)
    st, js, raw = srv.login("alicepaper", platform="trading", paper=True)
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    refused(*srv.login("alicepaper", platform="trading"))
    refused(*srv.login("alicepaper", platform="trading", paper=False))


def test_r12_live_credentials_refused_with_paper_flag(srv):
    dev = make_paper(srv)
    refused(*srv.login("alice", platform="trading", paper=True))
    srv.full_login("alice", dev, platform="trading")


def test_r12_paper_mismatch_checks_password_first(srv):
    make_paper(srv)
    st, js, raw = srv.login("alicepaper", "Wrong1234", platform="trading")
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)
    st, js, raw = srv.login("alice", "Wrong1234", platform="trading", paper=True)
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)


def test_r12_paper_of_unknown_user_refused(srv):
    st, js, raw = srv.adm("POST", "/v1/admin/users", {
        "username": "ghostpaper", "password": PASSWORD, "email": "g@example.com",
        "phones": [{"country": "1", "number": "2125550100"}], "paper_of": "ghost"})
    assert 400 <= st < 500 and "error" in js, (st, raw)
    assert srv.adm("GET", "/v1/admin/users/ghostpaper")[0] == 404


def test_r12_cutoff_at_year_end(srv):
    srv.set_clock("2026-12-31T23:59:59Z")
    dev = srv.sls_user("alice")
    refused(*srv.login("alice", platform="trading"), message="Trading access opens 2027-01-01")
    srv.set_clock("2027-01-01T00:00:00Z")
    srv.full_login("alice", dev, platform="trading")


def test_r12_account_closed_between_the_stages(srv):
    """Stage 2 re-checks R12: the right answer after the account was closed gets the
    reason (403 platform_not_allowed), ends the login, and is no failed attempt (R8)."""
    dev = srv.sls_user("alice")
    js = second_factor(*srv.login("alice", platform="trading"))
    st, _, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "closed"})
    assert st == 200, (st, raw)
    refused(*srv.respond(js["login_id"], dev.answer(js["challenge"])),
            message="Account closed: Client Portal access only")
    assert srv.lock_state("alice")["failures"] == 0
    st, js2, raw = srv.respond(js["login_id"], dev.answer(js["challenge"]))
    assert st == 401 and js2["error"] == "login_failed", (st, raw)


def audit_refused(srv, event, refused=True):
    """Makes the store refuse (or again accept) audit records of `event`, as a
    full or failing disk would."""
    con = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    try:
        with con:
            con.execute("DROP TRIGGER IF EXISTS test_audit_refused")
            if refused:
                con.execute("CREATE TRIGGER test_audit_refused BEFORE INSERT ON audit "
                            "WHEN NEW.event = '%s' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                            % event)
    finally:
        con.close()


@pytest.mark.sqlite_only("makes the audit table refuse writes with a SQLite trigger")
def test_r12_refusal_not_audited_is_not_answered(srv):
    """A refusal whose audit record cannot be written fails the request (5xx)
    instead of dropping the record; at stage 2 the login stays as it was, so
    the same answer is refused properly once the audit works again."""
    dev = srv.sls_user("alice")
    js = second_factor(*srv.login("alice", platform="trading"))
    st, _, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "closed"})
    assert st == 200, (st, raw)
    audit_refused(srv, "login.refused")
    st, js1, raw = srv.login("alice", platform="trading")
    assert st == 500 and js1["error"] == "store_error", (st, raw)
    st, js2, raw = srv.respond(js["login_id"], dev.answer(js["challenge"]))
    assert st == 500 and js2["error"] == "store_error", (st, raw)
    st, js2, raw = srv.pub("GET", "/v1/login/%s" % js["login_id"])
    assert st == 200 and js2 == {"status": "pending"}, (st, raw)
    audit_refused(srv, "login.refused", refused=False)
    refused(*srv.respond(js["login_id"], dev.answer(js["challenge"])),
            message="Account closed: Client Portal access only")
    refused(*srv.login("alice", platform="trading"),
            message="Account closed: Client Portal access only")
    assert srv.lock_state("alice")["failures"] == 0
    assert [r["outcome"] for r in srv.audit("?user=alice") if r["event"] == "login.refused"] \
        == ["platform_not_allowed", "platform_not_allowed"]
