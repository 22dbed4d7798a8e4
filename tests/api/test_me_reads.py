"""What the account holder reads of their own: the configured R33 table and
R31 deposit cap in GET /v1/me/limits, the banking instructions on record
(GET /v1/me/bank-instructions, the account number by its last 4 digits
only) and their own security reviews (GET /v1/me/reviews), never another
user's."""

import os
import sqlite3

import pytest

from client import PASSWORD, parse_time
from money import USD, limits, outside_user, step_up
from test_settings import BANK
from test_temporary import at, issue_ok, session_of

DAY = 24 * 3600
SPEC_ROWS = [
    {"device": "none", "per_day_cents": 50000 * USD, "per_5_days_cents": 100000 * USD},
    {"device": "sms", "per_day_cents": 200000 * USD, "per_5_days_cents": 600000 * USD},
    {"device": "ibkey", "per_day_cents": 1000000 * USD, "per_5_days_cents": 1000000 * USD},
    {"device": "scc", "per_day_cents": 200000 * USD, "per_5_days_cents": 600000 * USD},
    {"device": "dsc", "per_day_cents": 1000000 * USD, "per_5_days_cents": 1500000 * USD},
    {"device": "dsc_plus", "per_day_cents": None, "per_5_days_cents": None},
    # SPEC §10.4: authenticator apps
    {"device": "totp", "per_day_cents": 200000 * USD, "per_5_days_cents": 600000 * USD},
    # SPEC §10.5: passkeys
    {"device": "passkey", "per_day_cents": None, "per_5_days_cents": None},
]
OTHER_BANK = {"bank_name": "Second Bank", "routing_number": "011000015",
              "account_number": "99887766554433"}


def online_card_only_token(srv, user="cora"):
    srv.create_user(user)
    passcode = issue_ok(srv, user)
    at(srv, srv.now() + 2 * DAY)
    session = session_of(srv, passcode["passcode"], user)
    assert session["access"] == "online_card_only", session
    return session["token"]


def get(srv, path, token):
    return srv.pub("GET", path, token=token)


# ---- the configured amounts (R31, R33) ----

def test_limits_show_the_spec_table_and_deposit_cap_by_default(srv):
    dev = srv.sls_user("alice", type="dsc")
    token = srv.full_login("alice", dev)["token"]
    lim = limits(srv, token)
    assert lim["withdrawal_rows"] == SPEC_ROWS, lim
    assert lim["deposit_cap_cents"] == 20000 * USD, lim
    assert lim["device"] == "dsc" and lim["per_day_cents"] == 1000000 * USD, lim
    st, me, raw = srv.pub("GET", "/v1/me", token=token)
    assert st == 200 and me["limits"] == lim, (st, raw)
    # Outside SLS the `none` row applies, and it is the first row shown.
    olive = outside_user(srv)
    lim = limits(srv, olive)
    assert lim["device"] == "none" and lim["withdrawal_rows"][0]["device"] == "none", lim
    assert lim["per_day_cents"] == lim["withdrawal_rows"][0]["per_day_cents"], lim


def test_limits_show_the_configured_amounts(start_server):
    srv = start_server(extra_ini="[limits]\nnone_per_day = 700\nnone_per_5_days = 1000\n"
                                 "dsc_plus_per_day = 2500\nach_eft_deposit_cap = 300\n")
    token = outside_user(srv)
    lim = limits(srv, token)
    rows = {r["device"]: (r["per_day_cents"], r["per_5_days_cents"])
            for r in lim["withdrawal_rows"]}
    assert rows["none"] == (700 * USD, 1000 * USD), lim
    assert rows["dsc_plus"] == (2500 * USD, None), lim
    assert rows["sms"] == (200000 * USD, 600000 * USD), lim
    assert lim["deposit_cap_cents"] == 300 * USD, lim
    assert (lim["per_day_cents"], lim["per_5_days_cents"]) == rows["none"], lim


# ---- the banking instructions on record (R4) ----

def test_bank_instructions_read_back_without_the_account_number(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 404 and js["error"] == "not_found", (st, raw)
    step_up(srv, token, dev)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 200, (st, raw)
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 200, (st, raw)
    assert set(js) == {"bank_name", "routing_number", "account_number_last4", "updated_at"}, js
    assert (js["bank_name"], js["routing_number"], js["account_number_last4"]) == (
        "First Bank", "021000021", "6789"), js
    assert parse_time(js["updated_at"]) == srv.now(), js
    assert BANK["account_number"] not in raw.decode() and "12345" not in raw.decode()
    # A later change replaces them.
    srv.advance(60)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", OTHER_BANK, token=token)
    assert st == 200, (st, raw)
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 200 and js["account_number_last4"] == "4433", (st, raw)
    assert js["bank_name"] == "Second Bank" and parse_time(js["updated_at"]) == srv.now(), js
    assert OTHER_BANK["account_number"] not in raw.decode()
    # Another user never sees them.
    bdev = srv.sls_user("bob")
    btoken = srv.full_login("bob", bdev)["token"]
    st, js, raw = get(srv, "/v1/me/bank-instructions", btoken)
    assert st == 404 and js["error"] == "not_found", (st, raw)
    assert "Bank" not in raw.decode() and "4433" not in raw.decode()


def test_bank_instructions_waiting_for_review_are_not_on_record(srv):
    token = outside_user(srv)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 202 and js["status"] == "pending_review", (st, raw)
    rid = js["review_id"]
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 404, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/approve" % rid)
    assert st == 200, (st, raw)
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 200 and js["account_number_last4"] == "6789", (st, raw)
    assert BANK["account_number"] not in raw.decode()


def test_bank_instructions_need_a_full_session(srv):
    st, js, raw = srv.pub("GET", "/v1/me/bank-instructions")
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    token = online_card_only_token(srv)
    st, js, raw = get(srv, "/v1/me/bank-instructions", token)
    assert st == 403 and js["error"] == "online_card_only", (st, raw)


# ---- the user's own security reviews (R4, R31) ----

def test_reviews_list_only_the_users_own_and_no_secrets(srv):
    olive = outside_user(srv, "olive")
    oscar = outside_user(srv, "oscar")
    st, js, raw = get(srv, "/v1/me/reviews", olive)
    assert st == 200 and js == {"reviews": []}, (st, raw)
    t0 = srv.now()
    st, js, raw = srv.pub("POST", "/v1/me/email", {"new_email": "new@example.org",
                                                  "password": PASSWORD}, token=olive)
    assert st == 202, (st, raw)
    email_id = js["review_id"]
    srv.advance(30)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=olive)
    assert st == 202, (st, raw)
    bank_id = js["review_id"]
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", OTHER_BANK, token=oscar)
    assert st == 202, (st, raw)
    oscar_id = js["review_id"]

    st, js, raw = get(srv, "/v1/me/reviews", olive)
    assert st == 200, (st, raw)
    text = raw.decode()
    assert BANK["account_number"] not in text and "olive@example.com" not in text, text
    assert "Second Bank" not in text and "4433" not in text, text
    mine = js["reviews"]
    assert [r["id"] for r in mine] == [bank_id, email_id], mine
    bank, email = mine
    assert set(bank) == {"id", "kind", "state", "change", "created_at", "decided_at"}, bank
    assert bank["kind"] == "bank" and bank["state"] == "pending", bank
    assert bank["change"] == {"bank_name": "First Bank", "routing_number": "021000021",
                              "account_number_last4": "6789"}, bank
    assert parse_time(bank["created_at"]) == t0 + 30 and bank["decided_at"] is None, bank
    assert email["kind"] == "email" and email["change"] == {"new_email": "new@example.org"}
    assert parse_time(email["created_at"]) == t0, email

    # Decided: the state and the time show, never the agent.
    srv.advance(60)
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/deny" % email_id)
    assert st == 200, (st, raw)
    st, js, raw = get(srv, "/v1/me/reviews", olive)
    assert st == 200 and "agent" not in raw.decode(), (st, raw)
    email = js["reviews"][1]
    assert email["id"] == email_id and email["state"] == "denied", js
    assert parse_time(email["decided_at"]) == t0 + 90, email
    assert js["reviews"][0]["state"] == "pending", js

    # Oscar sees his own only.
    st, js, raw = get(srv, "/v1/me/reviews", oscar)
    assert st == 200 and [r["id"] for r in js["reviews"]] == [oscar_id], (st, raw)
    assert js["reviews"][0]["change"]["account_number_last4"] == "4433", js
    assert "First Bank" not in raw.decode() and "new@example.org" not in raw.decode()
    assert OTHER_BANK["account_number"] not in raw.decode()


def test_reviews_need_a_full_session(srv):
    st, js, raw = srv.pub("GET", "/v1/me/reviews")
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    token = online_card_only_token(srv)
    st, js, raw = get(srv, "/v1/me/reviews", token)
    assert st == 403 and js["error"] == "online_card_only", (st, raw)


@pytest.mark.sqlite_only("damages tables in the SQLite file under the running server")
def test_reads_on_a_damaged_store_are_503_not_none(start_server):
    """A store that cannot be read answers 503, never "none on record" (404)
    or an empty list."""
    from test_store_failures import damage_page, table_pages

    srv = start_server()
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    assert srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)[0] == 200
    olive = outside_user(srv)
    assert srv.pub("POST", "/v1/me/bank-instructions", BANK, token=olive)[0] == 202
    path = os.path.join(srv.workdir, "sls.db")
    h = sqlite3.connect(path, timeout=10)
    busy, _, _ = h.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    pages = table_pages(path, "bank_instructions") + table_pages(path, "reviews")
    h.close()
    for p in pages:
        damage_page(path, p)
    srv.create_user("bob")  # a write elsewhere: the readers drop the pages they hold

    for tok, route in ((token, "/v1/me/bank-instructions"), (olive, "/v1/me/reviews")):
        st, js, raw = get(srv, route, tok)
        assert st == 503 and js["error"] == "store_unavailable", (route, st, raw)
    srv.restart.__self__.stopped = True
    srv.proc.kill()
    srv.proc.wait()
