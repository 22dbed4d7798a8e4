"""The gates declared on the routes (src/server/api/routes.c, checked once
before the handler by src/server/api/gates.c): read from the route table and
tried on every route that declares them, so that each declared flag is
enforced and a route added without its flag does not slip by. A session
gate answers before the body is looked at; a store that cannot be read is an
error of the server, never "not logged in"."""

import os
import re
import secrets
import sqlite3

import pytest

from client import PASSWORD, parse_time
from test_temporary import at, issue_ok, session_of

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DAY = 24 * 3600

SESSION_GATES = {"SLS_ROUTE_SESSION", "SLS_ROUTE_FULL_SESSION"}
# Public routes that are meant to be served without a session: the login
# itself, the mobile app's signed requests, the password reset, the portal's
# files, the health check and the development clock and outbox. A new public
# route is either gated or added here on purpose.
UNGATED = {
    ("POST", "/v1/login"),
    ("POST", "/v1/login/{}/device"),
    ("POST", "/v1/login/{}/response"),
    ("GET", "/v1/login/{}"),
    ("POST", "/v1/ibkey/activation"),
    ("POST", "/v1/ibkey/activation/complete"),
    ("GET", "/v1/ibkey/pending"),
    ("POST", "/v1/ibkey/approve"),
    ("POST", "/v1/password-reset"),
    ("POST", "/v1/password-reset/complete"),
    ("GET", "/"),
    ("GET", "/assets/{}"),
    ("GET", "/healthz"),
    ("GET", "/v1/dev/clock"),
    ("POST", "/v1/dev/clock"),
    ("GET", "/v1/dev/outbox"),
}
# The routes an online_card_only session may use (R11, R27): its own session,
# and getting and activating an online card. Every other session route needs
# a full session.
CARD_ONLY_OK = {
    ("GET", "/v1/session"),
    ("DELETE", "/v1/session"),
    ("POST", "/v1/me/online-card"),
    ("GET", "/v1/me/online-card/{}"),
    ("POST", "/v1/me/online-card/{}/activate"),
}
# The sensitive requests of R34: withdrawals, banking and e-mail changes,
# opting out, device changes (adding a phone or an SMS device, a PIN, a DSC+
# order, sharing a device and ending the sharing, adding an authenticator
# app, SPEC §10.4).
STEP_UP = {
    ("POST", "/v1/me/withdrawals"),
    ("POST", "/v1/me/bank-instructions"),
    ("POST", "/v1/me/email"),
    ("POST", "/v1/me/sls"),
    ("POST", "/v1/me/sms/enroll"),
    ("POST", "/v1/me/phones"),
    ("POST", "/v1/me/devices/{}/pin"),
    ("POST", "/v1/me/dsc-plus"),
    ("POST", "/v1/me/share-device"),
    ("DELETE", "/v1/me/share-device"),
    ("POST", "/v1/me/totp"),
    ("POST", "/v1/me/passkeys/options"),
}
# Bodies that make a request sensitive on the routes whose step-up depends on
# the request (sls_route.sensitive); every other route is tried with {}.
SENSITIVE_BODY = {
    ("POST", "/v1/me/sls"): {"participate": False},
    ("POST", "/v1/me/email"): {"new_email": "new@example.com", "password": PASSWORD},
}
SOME_ID = "0123456789abcdef0123456789abcdef"


def table():
    """[(method, pattern, handler, set of SLS_ROUTE_* flags, sensitive)] of routes.c."""
    text = open(os.path.join(ROOT, "src", "server", "api", "routes.c")).read()
    macros = {}
    for name, value in re.findall(r"^#define\s+(\w+)\s+(\(?[\w |]+\)?)", text, re.M):
        macros[name] = value
    def expand(expr):
        out = set()
        for word in re.findall(r"\w+", expr):
            if word.startswith("SLS_ROUTE_"):
                out.add(word)
            else:
                assert word in macros, (word, expr)
                out |= expand(macros[word])
        return out
    rows = []
    for m in re.finditer(r'\{"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*([\w |()]+),\s*(\w+)\}', text):
        rows.append((m.group(1), m.group(2), m.group(3), expand(m.group(4)), m.group(5)))
    # Every entry of the table was read (the NULL one ends it).
    assert len(rows) == text.count('{"'), "an entry of routes.c was not understood"
    assert len(rows) > 40, rows
    return rows


ROUTES = table()


def routes_with(*flags):
    return [(m, p) for m, p, _, f, _ in ROUTES if set(flags) & f]


def path_of(pattern):
    return pattern.replace("{}", SOME_ID)


def body_of(method, pattern):
    if method == "GET":
        return None
    return SENSITIVE_BODY.get((method, pattern), {})


def ident(route):
    return "%s %s" % route


# ---- the table itself ----

def test_every_me_and_session_route_declares_a_session_gate():
    for method, pattern, _, flags, _ in ROUTES:
        if pattern == "/v1/session" or pattern == "/v1/me" or pattern.startswith("/v1/me/"):
            assert flags & SESSION_GATES, "%s %s has no session gate" % (method, pattern)


def test_every_gate_stands_on_a_session_gate():
    for method, pattern, _, flags, sensitive in ROUTES:
        gates = flags & {"SLS_ROUTE_PASSCODE", "SLS_ROUTE_PRIMARY", "SLS_ROUTE_STEP_UP"}
        if gates:
            assert flags & SESSION_GATES, (method, pattern, flags)
        if sensitive != "NULL":
            assert "SLS_ROUTE_STEP_UP" in flags, (method, pattern)
            assert (method, pattern) in SENSITIVE_BODY, (method, pattern)


def test_public_routes_without_a_session_are_the_known_ones():
    open_public = {(m, p) for m, p, _, f, _ in ROUTES
                   if "SLS_ROUTE_PUBLIC" in f and not f & SESSION_GATES}
    assert open_public == UNGATED, (sorted(open_public - UNGATED), sorted(UNGATED - open_public))


def test_only_the_known_routes_serve_an_online_card_only_session():
    served = {(m, p) for m, p, _, f, _ in ROUTES
              if f & SESSION_GATES and "SLS_ROUTE_FULL_SESSION" not in f}
    assert served == CARD_ONLY_OK, (sorted(served - CARD_ONLY_OK), sorted(CARD_ONLY_OK - served))


def test_the_sensitive_routes_declare_the_step_up():
    declared = set(routes_with("SLS_ROUTE_STEP_UP"))
    assert declared == STEP_UP, (sorted(declared - STEP_UP), sorted(STEP_UP - declared))


def test_no_gate_on_the_admin_listener():
    # Admin routes authenticate agents in the HTTP layer; a session gate there
    # would be a mistake of the table.
    for method, pattern, _, flags, _ in ROUTES:
        if "SLS_ROUTE_ADMIN" in flags:
            assert not flags & (SESSION_GATES | {"SLS_ROUTE_STEP_UP"}), (method, pattern)


# ---- the gates, on every route that declares them ----

def test_session_gates_refuse_requests_without_a_live_session(srv):
    """No token, a malformed one, an unknown one, a revoked one: 401, before
    the body is judged (a body that is wrong in every way changes nothing)."""
    dev = srv.sls_user("alice")
    revoked = srv.full_login("alice", dev)["token"]
    st, _, raw = srv.pub("DELETE", "/v1/session", token=revoked)
    assert st == 200, (st, raw)
    tokens = [None, "x", secrets.token_hex(31), secrets.token_hex(32), revoked]
    gated = routes_with(*SESSION_GATES)
    assert len(gated) >= 26, gated
    for method, pattern in gated:
        for token in tokens:
            for body in ([None] if method == "GET" else [{}, {"participate": "maybe", "x": [1]}]):
                st, js, raw = srv.pub(method, path_of(pattern), body, token=token)
                assert st == 401 and js["error"] == "unauthorized", (method, pattern, token, st, raw)
    assert srv.lock_state("alice")["failures"] == 0


def test_full_session_routes_refuse_an_online_card_only_session(srv):
    srv.create_user("alice")
    passcode = issue_ok(srv)
    at(srv, srv.now() + 2 * DAY)
    session = session_of(srv, passcode["passcode"])
    assert session["access"] == "online_card_only", session
    token = session["token"]
    full = routes_with("SLS_ROUTE_FULL_SESSION")
    for method, pattern in full:
        st, js, raw = srv.pub(method, path_of(pattern), body_of(method, pattern), token=token)
        assert st == 403 and js["error"] == "online_card_only", (method, pattern, st, raw)
    # The routes that serve such a session let it through (R27).
    for method, pattern, _, flags, _ in ROUTES:
        if flags & SESSION_GATES and "SLS_ROUTE_FULL_SESSION" not in flags and method == "GET":
            st, js, raw = srv.pub(method, path_of(pattern), token=token)
            assert st not in (401, 403), (method, pattern, st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200 and js["access"] == "online_card_only", (st, raw)


def test_passcode_routes_refuse_a_session_of_another_factor(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    srv.step_up(token, dev)
    routes = routes_with("SLS_ROUTE_PASSCODE")
    assert len(routes) == 3, routes
    for method, pattern in routes:
        st, js, raw = srv.pub(method, path_of(pattern), body_of(method, pattern), token=token)
        assert st == 403 and js["error"] == "forbidden", (method, pattern, st, raw)
        assert "temporary passcode" in js["message"], js


def test_step_up_routes_refuse_a_session_without_a_fresh_step_up(srv):
    """Inside SLS, every step-up route answers 403 step_up_required to a full
    session that has not stepped up (or whose step-up has gone stale), before
    its body is judged; once stepped up the gate lets the request through."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    routes = routes_with("SLS_ROUTE_STEP_UP")
    assert len(routes) >= 9, routes

    def refused_everywhere():
        for method, pattern in routes:
            st, js, raw = srv.pub(method, path_of(pattern), body_of(method, pattern), token=token)
            assert st == 403 and js["error"] == "step_up_required", (method, pattern, st, raw)
            assert "/v1/me/verify" in js["hint"], js

    refused_everywhere()
    srv.step_up(token, dev)
    for method, pattern in routes:
        if method == "GET":
            continue
        # {} is not a valid body anywhere but where every field is optional
        # (adding an authenticator app, a passkey's options): the handler,
        # not the gate, answers.
        st, js, raw = srv.pub(method, path_of(pattern), {}, token=token)
        assert not (st == 403 and js["error"] == "step_up_required"), (method, pattern, st, raw)
        if (method, pattern) == ("POST", "/v1/me/totp"):
            assert st == 201, (method, pattern, st, raw)
        elif (method, pattern) == ("POST", "/v1/me/passkeys/options"):
            assert st == 200, (method, pattern, st, raw)
        else:
            assert st in (400, 404), (method, pattern, st, raw)
    srv.advance(300)
    refused_everywhere()


def test_conditional_step_up_cannot_be_talked_around(srv):
    """The e-mail change skips the step-up only for a confirmation number,
    and opting out of SLS always needs one: look-alike bodies do not pass."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    for body in ({"new_email": "new@example.com", "password": PASSWORD, "confirmation": None},
                 {"new_email": "new@example.com", "password": PASSWORD, "confirmation": 123456},
                 {"new_email": "new@example.com", "method": "old_email"}):
        st, js, raw = srv.pub("POST", "/v1/me/email", body, token=token)
        if "confirmation" in body:
            # A confirmation that is not a string is a bad request, never a
            # way around the step-up.
            assert st in (400, 403), (body, st, raw)
            assert st == 400 or js["error"] == "step_up_required", (body, st, raw)
        else:
            assert st == 403 and js["error"] == "step_up_required", (body, st, raw)
    assert srv.user_view("alice")["email"] != "new@example.com"
    st, js, raw = srv.pub("POST", "/v1/me/sls", {"participate": False}, token=token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/sls", {"participate": "false"}, token=token)
    assert st == 400, (st, raw)
    # Asking for what one has is no change, and needs no step-up.
    st, js, raw = srv.pub("POST", "/v1/me/sls", {"participate": True}, token=token)
    assert st == 200 and js == {"sls": True, "changed": False}, (st, raw)
    assert srv.user_view("alice")["sls"] is True


def test_primary_gate_comes_before_the_body(srv):
    srv.create_user("alice", account_id="U1234567", primary=True)
    srv.add_device("alice")
    srv.create_user("bob", account_id="U1234567", primary=False)
    bdev = srv.add_device("bob")
    token = srv.full_login("bob", bdev)["token"]
    for body in ({"participate": False}, {"participate": True}, {}, {"participate": "no"}):
        st, js, raw = srv.pub("POST", "/v1/me/sls", body, token=token)
        assert st == 403 and js["error"] == "not_primary_user", (body, st, raw)
        assert "alice" in js["message"], js


def db_path(srv):
    return os.path.join(srv.workdir, "sls.db")


@pytest.mark.sqlite_only("renames a table in the SQLite file under the running server")
def test_a_store_that_cannot_be_read_is_an_error_not_a_logout(srv):
    """The session lookup failing in the store answers 5xx: a client told
    401 would throw a good session away."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = srv.pub("GET", "/v1/me", token=token)
    assert st == 200, (st, raw)
    con = sqlite3.connect(db_path(srv), timeout=10)
    try:
        con.execute("ALTER TABLE sessions RENAME TO sessions_away")
        con.commit()
        for method, pattern in (("GET", "/v1/me"), ("GET", "/v1/session"),
                                ("POST", "/v1/me/withdrawals")):
            st, js, raw = srv.pub(method, pattern, body_of(method, pattern), token=token)
            assert 500 <= st < 600, (method, pattern, st, raw)
            assert js["error"] != "unauthorized", raw
        # Without a token there is nothing to look up: still 401.
        st, js, raw = srv.pub("GET", "/v1/me")
        assert st == 401, (st, raw)
    finally:
        con.execute("ALTER TABLE sessions_away RENAME TO sessions")
        con.commit()
        con.close()
    st, js, raw = srv.pub("GET", "/v1/me", token=token)
    assert st == 200 and js["username"] == "alice", (st, raw)


def test_a_refused_request_does_not_slide_the_portal_session(srv):
    """The portal's idle expiry (30 minutes) slides on requests the session is
    let in for; an online_card_only session knocking on a full-session route
    does not keep itself alive that way."""
    srv.create_user("alice")
    passcode = issue_ok(srv)
    at(srv, srv.now() + 2 * DAY)
    token = session_of(srv, passcode["passcode"])["token"]
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200, (st, raw)
    assert parse_time(js["expires_at"]) == srv.now() + 30 * 60, js
    srv.advance(20 * 60)
    st, js, raw = srv.pub("GET", "/v1/me", token=token)
    assert st == 403 and js["error"] == "online_card_only", (st, raw)
    srv.advance(15 * 60)
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 401, (st, raw)
