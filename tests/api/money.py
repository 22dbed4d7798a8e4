"""Helpers of the money and settings scenarios (R3, R4, R30, R31, R33, R34):
step-up, sessions of users outside SLS, withdrawals and deposits."""

USD = 100


def step_up(srv, token, dev):
    """Answers a step-up challenge with dev; returns verified_until (text)."""
    st, js, raw = srv.pub("POST", "/v1/me/verify", {}, token=token)
    assert st == 200, (st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/verify", {"response": dev.answer(js["challenge"])},
                          token=token)
    assert st == 200, (st, raw)
    return js["verified_until"]


def outside_user(srv, username="olive", **fields):
    """Creates a user outside SLS (R30) and returns a session token."""
    srv.create_user(username, sls=False, **fields)
    return outside_login(srv, username)


def outside_login(srv, username="olive", platform="portal"):
    st, js, raw = srv.login(username, platform=platform)
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    assert js["session"]["factor"] == "none", js
    return js["session"]["token"]


def withdraw(srv, token, amount_cents):
    return srv.pub("POST", "/v1/me/withdrawals", {"amount_cents": amount_cents}, token=token)


def limits(srv, token):
    st, js, raw = srv.pub("GET", "/v1/me/limits", token=token)
    assert st == 200, (st, raw)
    return js


def deposit(srv, token, amount_cents, method):
    return srv.pub("POST", "/v1/me/deposits", {"amount_cents": amount_cents, "method": method},
                   token=token)
