"""R33 withdrawal limits by the strongest active permanent device, per
business day and per 5 business days; R31 the `none` row and the ACH/EFT
deposit cap outside SLS; R34 step-up before a withdrawal inside SLS."""

import subprocess
import threading

from client import env_paths
from money import USD, deposit, limits, outside_login, outside_user, step_up, withdraw
from test_me_reads import SPEC_ROWS
from test_temporary import at, events, session_of, temp_user


def test_r33_limits_shape_by_device(srv):
    dev = srv.sls_user("alice", type="dsc")
    token = srv.full_login("alice", dev)["token"]
    js = limits(srv, token)
    assert js == {"device": "dsc", "per_day_cents": 1000000 * USD,
                  "per_5_days_cents": 1500000 * USD, "used_today_cents": 0,
                  "used_5_days_cents": 0, "remaining_today_cents": 1000000 * USD,
                  "remaining_5_days_cents": 1500000 * USD,
                  "withdrawal_rows": SPEC_ROWS, "deposit_cap_cents": 20000 * USD}, js
    st, me, raw = srv.pub("GET", "/v1/me", token=token)
    assert st == 200 and me["limits"] == js, (st, raw)
    # A stronger device added later sets the limits: DSC+ is unlimited (null).
    srv.add_device("alice", "dsc_plus")
    js = limits(srv, token)
    assert js["device"] == "dsc_plus" and js["per_day_cents"] is None, js
    assert js["per_5_days_cents"] is None and js["remaining_today_cents"] is None, js
    st, js, raw = srv.pub("GET", "/v1/me/limits")
    assert st == 401, (st, raw)


def test_r33_rows_of_each_device(srv):
    for name, typ, day, five in (("sccu", "scc", 200000, 600000),
                                 ("dscu", "dsc", 1000000, 1500000),
                                 ("platu", "platinum", None, None)):
        dev = srv.sls_user(name, type=typ)
        token = srv.full_login(name, dev)["token"]
        js = limits(srv, token)
        want = (typ, day and day * USD, five and five * USD)
        assert (js["device"], js["per_day_cents"], js["per_5_days_cents"]) == want, js


def test_r31_r33_temporary_credentials_use_the_none_row(srv):
    js = temp_user(srv)
    srv.add_device("alice", "dsc_plus", state="shipped")
    token = session_of(srv, js["passcode"])["token"]
    lim = limits(srv, token)
    assert lim["device"] == "none", lim
    assert (lim["per_day_cents"], lim["per_5_days_cents"]) == (50000 * USD, 100000 * USD)


def test_r34_withdrawal_needs_step_up_inside_sls_299_vs_300(srv):
    dev = srv.sls_user("alice", type="dsc")
    token = srv.full_login("alice", dev, platform="trading")["token"]
    st, js, raw = withdraw(srv, token, 100 * USD)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    now = srv.now()
    step_up(srv, token, dev)
    at(srv, now + 299)
    st, js, raw = withdraw(srv, token, 100 * USD)
    assert st == 201, (st, raw)
    assert js["amount_cents"] == 100 * USD and isinstance(js["id"], int), js
    at(srv, now + 300)
    st, js, raw = withdraw(srv, token, 100 * USD)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    assert limits(srv, token)["used_today_cents"] == 100 * USD
    ev = events(srv, "withdrawal")
    assert [e["outcome"] for e in ev] == ["ok"], ev


def test_r33_per_day_limit_to_the_cent(srv):
    token = outside_user(srv)
    st, js, raw = withdraw(srv, token, 50000 * USD + 1)
    assert st == 403 and js["error"] == "limit_exceeded", (st, raw)
    assert js["remaining_today_cents"] == 50000 * USD, js
    assert js["remaining_5_days_cents"] == 100000 * USD, js
    st, js, raw = withdraw(srv, token, 30000 * USD)
    assert st == 201, (st, raw)
    st, js, raw = withdraw(srv, token, 20000 * USD + 1)
    assert st == 403 and js["error"] == "limit_exceeded", (st, raw)
    assert js["remaining_today_cents"] == 20000 * USD, js
    assert js["remaining_5_days_cents"] == 70000 * USD, js
    st, js, raw = withdraw(srv, token, 20000 * USD)
    assert st == 201, (st, raw)
    lim = limits(srv, token)
    assert lim["used_today_cents"] == 50000 * USD and lim["remaining_today_cents"] == 0, lim
    ev = events(srv, "withdrawal", "olive")
    assert [e["outcome"] for e in ev] == ["limit_exceeded", "ok", "limit_exceeded", "ok"], ev


def test_r33_saturday_counts_for_monday(srv):
    srv.create_user("olive", sls=False)
    at(srv, "2026-11-20T23:59:59Z")  # Friday
    token = outside_login(srv)
    st, js, raw = withdraw(srv, token, 50000 * USD)
    assert st == 201 and js["business_day"] == "2026-11-20", (st, raw)
    at(srv, "2026-11-21T00:00:00Z")  # Saturday: a new business day, Monday's
    st, js, raw = withdraw(srv, token, 1)
    assert st == 201 and js["business_day"] == "2026-11-23", (st, raw)
    lim = limits(srv, token)
    assert lim["used_today_cents"] == 1 and lim["used_5_days_cents"] == 50000 * USD + 1, lim
    # Sunday's and Monday's add up with Saturday's.
    at(srv, "2026-11-22T23:59:59Z")
    token = outside_login(srv)
    st, js, raw = withdraw(srv, token, 50000 * USD)
    assert st == 403 and js["remaining_today_cents"] == 50000 * USD - 1, (st, raw)
    at(srv, "2026-11-23T10:00:00Z")
    token = outside_login(srv)
    assert limits(srv, token)["used_today_cents"] == 1


def test_r33_five_business_day_window_edges(srv):
    srv.create_user("olive", sls=False)
    at(srv, "2026-11-20T10:00:00Z")  # Friday
    token = outside_login(srv, platform="trading")
    assert withdraw(srv, token, 50000 * USD)[0] == 201
    at(srv, "2026-11-23T10:00:00Z")  # Monday
    token = outside_login(srv, platform="trading")
    assert withdraw(srv, token, 50000 * USD)[0] == 201
    at(srv, "2026-11-26T23:59:59Z")  # Thursday: Friday is still in the window
    token = outside_login(srv, platform="trading")
    st, js, raw = withdraw(srv, token, 1)
    assert st == 403 and js["remaining_5_days_cents"] == 0, (st, raw)
    assert js["remaining_today_cents"] == 50000 * USD, js
    at(srv, "2026-11-27T00:00:00Z")  # next Friday: the last one fell out
    lim = limits(srv, token)
    assert lim["used_5_days_cents"] == 50000 * USD, lim
    assert lim["remaining_5_days_cents"] == 50000 * USD, lim
    assert withdraw(srv, token, 50000 * USD)[0] == 201


def test_r33_holiday_keeps_the_window_open_longer(start_server):
    srv = start_server(extra_ini="[policy]\nholidays = 2026-11-26\n")
    srv.create_user("olive", sls=False)
    at(srv, "2026-11-20T10:00:00Z")
    token = outside_login(srv, platform="trading")
    assert withdraw(srv, token, 50000 * USD)[0] == 201
    at(srv, "2026-11-23T10:00:00Z")
    token = outside_login(srv, platform="trading")
    assert withdraw(srv, token, 50000 * USD)[0] == 201
    # Thursday the 26th is a holiday: it counts for Friday the 27th, whose
    # window (Fri 20, Mon 23 ... Wed 25, Fri 27) still holds the 20th.
    at(srv, "2026-11-26T12:00:00Z")
    token = outside_login(srv, platform="trading")
    st, js, raw = withdraw(srv, token, 1)
    assert st == 403 and js["remaining_5_days_cents"] == 0, (st, raw)
    at(srv, "2026-11-30T00:00:00Z")  # Monday: the 20th fell out
    token = outside_login(srv, platform="trading")
    assert limits(srv, token)["remaining_5_days_cents"] == 50000 * USD


def test_r33_race_for_the_last_of_the_limit(srv):
    token = outside_user(srv)
    for amount in (30000 * USD, 20000 * USD):
        results = []

        def one():
            results.append(withdraw(srv, token, amount)[0])

        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [201, 403], results
    lim = limits(srv, token)
    assert lim["used_today_cents"] == 50000 * USD, lim


def test_r33_bad_amounts_change_nothing(srv):
    token = outside_user(srv)
    for body in ({}, {"amount_cents": 0}, {"amount_cents": -5}, {"amount_cents": "100"},
                 {"amount_cents": 1.5}, {"amount_cents": 10 ** 20}):
        st, js, raw = srv.pub("POST", "/v1/me/withdrawals", body, token=token)
        assert st == 400, (body, st, raw)
    assert limits(srv, token)["used_today_cents"] == 0
    st, js, raw = withdraw(srv, None, 100)
    assert st == 401, (st, raw)


def test_r31_deposit_cap_outside_sls(srv):
    token = outside_user(srv)
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert js["restricted_products"] is False, js
    st, js, raw = deposit(srv, token, 15000 * USD, "ach")
    assert st == 201 and js["method"] == "ach", (st, raw)
    st, js, raw = deposit(srv, token, 5000 * USD + 1, "eft")
    assert st == 403 and js["error"] == "deposit_limit", (st, raw)
    assert js["remaining_cents"] == 5000 * USD, js
    assert deposit(srv, token, 5000 * USD, "eft")[0] == 201
    st, js, raw = deposit(srv, token, 1, "ach")
    assert st == 403 and js["remaining_cents"] == 0, (st, raw)
    # Wires are not capped.
    assert deposit(srv, token, 500000 * USD, "wire")[0] == 201
    ev = events(srv, "deposit", "olive")
    assert [e["outcome"] for e in ev] == ["ok", "deposit_limit", "ok", "deposit_limit", "ok"]
    for body in ({"amount_cents": 5}, {"amount_cents": 5, "method": "cash"},
                 {"amount_cents": 0, "method": "ach"}, {"method": "ach"}):
        st, js, raw = srv.pub("POST", "/v1/me/deposits", body, token=token)
        assert st == 400, (body, st, raw)


def test_r31_no_deposit_cap_inside_sls(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = deposit(srv, token, 50000 * USD, "ach")
    assert st == 201, (st, raw)
    st, js, raw = deposit(srv, token, 50000 * USD, "eft")
    assert st == 201, (st, raw)


def test_r31_r33_configured_amounts(start_server):
    """[limits] changes the table and the deposit cap; rows not set keep the
    SPEC's defaults."""
    srv = start_server(extra_ini="[limits]\nnone_per_day = 700\nnone_per_5_days = 1000\n"
                                 "dsc_plus_per_day = 2500\nach_eft_deposit_cap = 300\n")
    token = outside_user(srv)
    lim = limits(srv, token)
    assert (lim["per_day_cents"], lim["per_5_days_cents"]) == (700 * USD, 1000 * USD), lim
    st, js, raw = withdraw(srv, token, 700 * USD + 1)
    assert st == 403 and js["error"] == "limit_exceeded", (st, raw)
    assert js["remaining_today_cents"] == 700 * USD, js
    assert withdraw(srv, token, 700 * USD)[0] == 201
    st, js, raw = deposit(srv, token, 300 * USD + 1, "ach")
    assert st == 403 and js["error"] == "deposit_limit" and js["remaining_cents"] == 300 * USD
    assert deposit(srv, token, 300 * USD, "eft")[0] == 201
    # A dsc_plus with a day limit, and its unlimited 5 days; dsc keeps its row.
    dev = srv.sls_user("alice")
    srv.add_device("alice", "dsc")
    lim = limits(srv, srv.full_login("alice", dev, platform="trading")["token"])
    assert lim["device"] == "dsc_plus", lim
    assert (lim["per_day_cents"], lim["per_5_days_cents"]) == (2500 * USD, None), lim
    dev = srv.sls_user("bob", type="dsc")
    lim = limits(srv, srv.full_login("bob", dev, platform="trading")["token"])
    assert (lim["per_day_cents"], lim["per_5_days_cents"]) == (1000000 * USD, 1500000 * USD)


def test_limits_config_is_checked_at_start(tmp_path):
    """slsd refuses a [limits] key it does not know, or a day limit above the
    5-day one, and says which."""
    slsd = env_paths()["slsd"]
    for text, says in (
            ("[limits]\nnone_per_weeks = 5\n", ":2: limits.none_per_weeks: unknown key"),
            ("[limits]\nsms_per_day = 700000\n",
             ":2: limits.sms_per_day: must not be larger than limits.sms_per_5_days")):
        ini = tmp_path / "sls.ini"
        ini.write_text(text)
        p = subprocess.run([slsd, "--config", str(ini), "--dev"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=20)
        assert p.returncode != 0 and says in p.stderr, (p.returncode, p.stderr)
