"""R10 sessions: the bearer token of a login, /v1/session and /v1/me, logout, the
portal's 30-minute sliding idle timeout and the 24-hour trading lifetime, checked
at the boundary second."""

import pytest

from client import parse_time


def session_of(srv, platform="portal", at=None):
    dev = srv.sls_user("alice")
    st, js, raw = srv.login("alice", platform=platform)
    assert st == 200, (st, raw)
    t = srv.set_clock(at if at is not None else srv.now() + 1)
    st, js2, raw = srv.respond(js["login_id"], dev.answer(js["challenge"]))
    assert st == 200, (st, raw)
    return js2["session"], t, dev


def get_session(srv, token):
    return srv.pub("GET", "/v1/session", token=token)


def assert_unauthorized(st, js, raw):
    assert st == 401, (st, raw)
    assert js["error"] == "unauthorized", raw


def test_r10_session_view(srv):
    s, t, dev = session_of(srv)
    assert parse_time(s["expires_at"]) == t + 1800, s
    st, js, raw = get_session(srv, s["token"])
    assert st == 200, (st, raw)
    assert js["username"] == "alice" and js["platform"] == "portal"
    assert js["factor"] == "dsc_plus" and js["access"] == "full"
    assert js["restricted_products"] is True
    assert "token" not in js or js["token"] == s["token"]


def test_r10_me_profile(srv):
    s, t, dev = session_of(srv)
    st, js, raw = srv.pub("GET", "/v1/me", token=s["token"])
    assert st == 200, (st, raw)
    assert js["username"] == "alice" and js["email"] == "alice@example.com"
    assert js["account_state"] == "approved" and js["account_id"].startswith("U")
    assert js["sls"] is True and js["primary"] is True
    assert [(d["id"], d["type"], d["state"]) for d in js["devices"]] == \
        [(dev.id, "dsc_plus", "active")]
    assert isinstance(js["devices"][0]["strength"], int)
    assert "label" in js["devices"][0]
    assert "secret_hex" not in js["devices"][0] and "password" not in js


def test_r10_tokens_are_distinct_and_long(srv):
    dev = srv.sls_user("alice")
    tokens = {srv.full_login("alice", dev)["token"] for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(t) >= 22 for t in tokens), tokens


def test_r10_logout_revokes(srv):
    s, t, dev = session_of(srv)
    other = srv.full_login("alice", dev)
    st, js, raw = srv.pub("DELETE", "/v1/session", token=s["token"])
    assert st == 200 and js["logged_out"] is True, (st, raw)
    assert_unauthorized(*get_session(srv, s["token"]))
    assert_unauthorized(*srv.pub("GET", "/v1/me", token=s["token"]))
    assert_unauthorized(*srv.pub("DELETE", "/v1/session", token=s["token"]))
    # Only that session ends.
    assert get_session(srv, other["token"])[0] == 200


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer nonsense", "Basic YWxpY2U6eA==",
                                    "Bearer " + "0" * 64, "bearer"])
def test_r10_missing_or_bad_token(srv, header):
    srv.sls_user("alice")
    st, js, raw = srv.pub("GET", "/v1/session", headers={"Authorization": header})
    assert_unauthorized(st, js, raw)
    st, js, raw = srv.pub("GET", "/v1/me", headers={"Authorization": header})
    assert_unauthorized(st, js, raw)


def test_r10_admin_token_is_not_a_session(srv):
    srv.sls_user("alice")
    assert_unauthorized(*get_session(srv, srv.admin_token))


def test_r10_portal_idle_timeout_slides(srv):
    s, t, dev = session_of(srv)
    last = srv.set_clock(t + 1799)
    st, js, raw = get_session(srv, s["token"])
    assert st == 200, (st, raw)
    assert parse_time(js["expires_at"]) == last + 1800, js
    last = srv.set_clock(last + 1799)
    assert srv.pub("GET", "/v1/me", token=s["token"])[0] == 200
    srv.set_clock(last + 1800)
    assert_unauthorized(*get_session(srv, s["token"]))


def test_r10_portal_idle_timeout_at_30_minutes(srv):
    s, t, dev = session_of(srv)
    srv.set_clock(t + 1800)
    assert_unauthorized(*get_session(srv, s["token"]))
    assert_unauthorized(*srv.pub("GET", "/v1/me", token=s["token"]))


def test_r10_trading_session_24h(srv):
    s, t, dev = session_of(srv, platform="trading")
    assert s["platform"] == "trading"
    assert parse_time(s["expires_at"]) == t + 86400, s
    srv.set_clock(t + 12 * 3600)
    st, js, raw = get_session(srv, s["token"])
    assert st == 200 and parse_time(js["expires_at"]) == t + 86400, (st, raw)
    srv.set_clock(t + 86399)
    assert get_session(srv, s["token"])[0] == 200
    srv.set_clock(t + 86400)
    assert_unauthorized(*get_session(srv, s["token"]))


def test_r10_trading_session_not_extended_by_use(srv):
    s, t, dev = session_of(srv, platform="trading")
    for h in (1, 6, 23):
        srv.set_clock(t + h * 3600)
        assert get_session(srv, s["token"])[0] == 200
    srv.set_clock(t + 86400)
    assert_unauthorized(*get_session(srv, s["token"]))


def test_r10_logout_without_token(srv):
    st, js, raw = srv.pub("DELETE", "/v1/session")
    assert_unauthorized(st, js, raw)


def test_expiry_past_year_9999_reads_as_the_last_second(srv):
    """A session whose end falls past 9999-12-31T23:59:59Z (the last second RFC 3339
    can write) answers that second as its expires_at, a valid time, never garbage."""
    srv.set_clock("9999-12-31T23:50:00Z")
    dev = srv.sls_user("alice")
    session = srv.full_login("alice", dev, platform="portal")
    assert session["expires_at"] == "9999-12-31T23:59:59Z", session
    st, js, raw = get_session(srv, session["token"])
    assert st == 200 and js["expires_at"] == "9999-12-31T23:59:59Z", (st, raw)
