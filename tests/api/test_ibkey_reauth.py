"""R10: a trading session of the mobile authenticator is extended while the
user re-authenticates within its period: a new approved login with the same
app on the trading platform gives the live sessions of that device a new full
period from then (never a shorter one). At the second a session ends it is
over, and a later login does not bring it back."""

from client import unix
from test_ibkey import App, activate, events

HOUR = 3600


def push_session(srv, app, user="alice", platform="trading", auth="pin"):
    st, js, raw = srv.login(user, platform=platform)
    assert st == 200 and js["challenge"]["kind"] == "push", (st, raw)
    srv.advance(1)
    st, pend, raw = app.pending()
    assert st == 200, (st, raw)
    st, dec, raw = app.decide(pend[0], auth=auth)
    assert st == 200, (st, raw)
    st, js, raw = srv.pub("GET", "/v1/login/%s" % js["login_id"])
    assert js["status"] == "authenticated", js
    return js["session"]


def expires(srv, token):
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    return st, (unix(js["expires_at"]) if st == 200 else None)


def test_reauthentication_extends_the_trading_session(srv):
    srv.create_user("alice")
    app = App(srv)
    activate(srv, app, "alice")
    first = push_session(srv, app)
    t1 = srv.now()
    assert unix(first["expires_at"]) == t1 + 12 * HOUR
    # A portal login with the app does not extend a trading session.
    srv.advance(HOUR)
    push_session(srv, app, platform="portal")
    assert expires(srv, first["token"]) == (200, t1 + 12 * HOUR)
    # One second before the end: a biometric approval, 30 h from then.
    srv.set_clock(t1 + 12 * HOUR - 2)
    second = push_session(srv, app, auth="biometric")
    t2 = srv.now()
    assert t2 == t1 + 12 * HOUR - 1
    assert unix(second["expires_at"]) == t2 + 30 * HOUR
    assert expires(srv, first["token"]) == (200, t2 + 30 * HOUR)
    ev = events(srv, "alice", "session.extended")
    assert len(ev) == 1 and "sessions=1" in ev[0]["detail"], ev
    # A PIN approval later does not shorten the 30 h.
    srv.advance(HOUR - 1)
    third = push_session(srv, app)
    assert unix(third["expires_at"]) == srv.now() + 12 * HOUR
    assert expires(srv, first["token"]) == (200, t2 + 30 * HOUR)
    assert expires(srv, second["token"]) == (200, t2 + 30 * HOUR)


def test_an_ended_session_is_not_extended(srv):
    srv.create_user("alice")
    app = App(srv)
    activate(srv, app, "alice")
    first = push_session(srv, app)
    end = unix(first["expires_at"])
    srv.set_clock(end - 1)
    assert expires(srv, first["token"])[0] == 200
    srv.set_clock(end - 1)  # the login below is approved at the end second
    st, js, raw = srv.login("alice", platform="trading")
    srv.advance(1)
    st, pend, raw = app.pending()
    app.decide(pend[0])
    st, js2, raw = srv.pub("GET", "/v1/login/%s" % js["login_id"])
    assert js2["status"] == "authenticated", js2
    assert srv.now() == end
    assert expires(srv, first["token"])[0] == 401
    assert events(srv, "alice", "session.extended") == []
