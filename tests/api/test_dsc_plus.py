"""R21 Digital Security Card+: ordering (eligibility, address, PIN, deposit
account), shipment by the desk, activation by a challenge or by itself 21
days after shipment with notices 3 days and 1 day before, PIN change, and
the deposit hold released by a return or kept when the card is lost or the
account closes without it. Device changes need a step-up (R34)."""

import secrets
import time

from client import Device, PIN, rfc3339, unix
from test_temporary import events

DAY = 86400
MILLION = 100000000  # USD 1,000,000 in cents


def step_up(srv, token, dev):
    st, js, raw = srv.pub("POST", "/v1/me/verify", {}, token=token)
    assert st == 200, (st, raw)
    st, js2, raw = srv.pub("POST", "/v1/me/verify", {"response": dev.answer(js["challenge"])},
                           token=token)
    assert st == 200, (st, raw)


def rich_user(srv, name="alice", **fields):
    """An SLS user with USD 1,000,000 of equity, a legacy dsc card and a
    stepped-up portal session; returns (device, token, account_id)."""
    user = srv.create_user(name, equity_cents=MILLION, **fields)
    dev = srv.add_device(name, "dsc")
    token = srv.full_login(name, dev)["token"]
    step_up(srv, token, dev)
    return dev, token, user["account_id"]


def order(srv, token, **body):
    return srv.pub("POST", "/v1/me/dsc-plus", body, token=token)


def order_ok(srv, token, account, pin="4321", address="1 Main St, Springfield, US"):
    body = {"pin": pin, "deposit_account": account}
    if address is not None:
        body["address"] = address
    st, js, raw = order(srv, token, **body)
    assert st == 201, (st, raw)
    return js


def ship(srv, user, order_id, expect=201, **extra):
    secret = secrets.token_hex(20)
    body = {"order_id": order_id, "serial": "DSCP" + secrets.token_hex(3).upper(),
            "secret_hex": secret}
    body.update(extra)
    st, js, raw = srv.adm("POST", "/v1/admin/users/%s/devices" % user, body)
    assert st == expect, (st, raw)
    return js, secret


def my_orders(srv, token):
    st, js, raw = srv.pub("GET", "/v1/me/dsc-plus", token=token)
    assert st == 200, (st, raw)
    return js["orders"]


def desk_orders(srv, query=""):
    st, js, raw = srv.adm("GET", "/v1/admin/dsc-plus-orders" + query)
    assert st == 200, (st, raw)
    return js["orders"]


def device_state(srv, user, device_id):
    for d in srv.user_view(user)["devices"]:
        if d["id"] == device_id:
            return d["state"]
    raise AssertionError("no device %s" % device_id)


def mails(srv, user="alice"):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=%s@example.com" % user)
    assert st == 200, (st, raw)
    return [m for m in js if "Digital Security Card+" in m["body"]]


def wait_for(check, seconds=5.0):
    """Polls check() until it is truthy (the scheduler passes once a second)."""
    end = time.monotonic() + seconds
    while True:
        got = check()
        if got or time.monotonic() > end:
            return got
        time.sleep(0.1)


def settle():
    """Lets at least one scheduler pass run."""
    time.sleep(1.3)


# ---- ordering ----


def test_r21_order_with_equity_gives_order_id_ship_date_and_hold(srv):
    dev, token, account = rich_user(srv)
    js = order_ok(srv, token, account)
    assert len(js["order_id"]) == 32, js
    # Ordered on Friday 2026-11-20: ships on the next business day, Monday.
    assert js["estimated_ship_date"] == "2026-11-23", js
    assert js["hold_cents"] == 2000, js
    assert js["deposit_account"] == account and js["reason"] == "equity", js
    orders = my_orders(srv, token)
    assert len(orders) == 1 and orders[0]["state"] == "ordered", orders
    assert orders[0]["hold"] == "held" and orders[0]["device_id"] is None, orders
    ev = events(srv, "dsc_plus.order")
    assert len(ev) == 1 and ev[0]["outcome"] == "ok", ev
    # One order at a time.
    st, js2, raw = order(srv, token, pin="1111", deposit_account=account)
    assert st == 409 and js2["error"] == "conflict", (st, raw)


def test_r21_order_needs_step_up(srv):
    srv.create_user("alice", equity_cents=MILLION)
    dev = srv.add_device("alice", "dsc")
    token = srv.full_login("alice", dev)["token"]
    account = srv.user_view("alice")["account_id"]
    st, js, raw = order(srv, token, pin="4321", deposit_account=account, address="1 Main St")
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    assert my_orders(srv, token) == []


def test_r21_not_eligible_without_equity_or_replacement(srv):
    srv.create_user("alice", equity_cents=MILLION - 1)
    dev = srv.add_device("alice", "dsc")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    account = srv.user_view("alice")["account_id"]
    st, js, raw = order(srv, token, pin="4321", deposit_account=account, address="1 Main St")
    assert st == 403 and js["error"] == "not_eligible", (st, raw)
    assert my_orders(srv, token) == []


def mark_lost(srv, user, device_id):
    st, js, raw = srv.adm("POST", "/v1/admin/users/%s/identity-verifications" % user,
                          {"channel": "phone"})
    assert st == 201, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/%s/devices/%s/lost" % (user, device_id))
    assert st == 200, (st, raw)


def test_r21_replacing_a_lost_gold_or_dsc_plus_is_eligible(srv):
    for name, kind in (("alice", "gold"), ("bob", "dsc_plus"), ("carol", "platinum")):
        srv.create_user(name)
        old = srv.add_device(name, kind)
        dev = srv.add_device(name, "scc")
        mark_lost(srv, name, old.id)
        token = srv.full_login(name, dev)["token"]
        step_up(srv, token, dev)
        account = srv.user_view(name)["account_id"]
        js = order_ok(srv, token, account)
        assert js["reason"] == "replacement", js
    # A lost legacy dsc is not replaced by a DSC+ without the equity.
    srv.create_user("dave")
    old = srv.add_device("dave", "dsc")
    dev = srv.add_device("dave", "scc")
    mark_lost(srv, "dave", old.id)
    token = srv.full_login("dave", dev)["token"]
    step_up(srv, token, dev)
    st, js, raw = order(srv, token, pin="4321", deposit_account=srv.user_view("dave")["account_id"],
                        address="1 Main St")
    assert st == 403 and js["error"] == "not_eligible", (st, raw)


def test_r21_legacy_types_cannot_be_ordered(srv):
    dev, token, account = rich_user(srv)
    for legacy in ("dsc", "platinum", "gold", "scc"):
        st, js, raw = order(srv, token, pin="4321", deposit_account=account, address="1 Main St",
                            type=legacy)
        assert st == 400 and "legacy" in js["message"], (legacy, st, raw)
    st, js, raw = order(srv, token, pin="4321", deposit_account=account, address="1 Main St",
                        type="dsc_plus")
    assert st == 201, (st, raw)


def test_r21_order_bad_input_changes_nothing(srv):
    dev, token, account = rich_user(srv)
    bad = [
        {"pin": "123", "deposit_account": account, "address": "1 Main St"},
        {"pin": "12a4", "deposit_account": account, "address": "1 Main St"},
        {"pin": 1234, "deposit_account": account, "address": "1 Main St"},
        {"deposit_account": account, "address": "1 Main St"},
        {"pin": "1234", "deposit_account": "U12", "address": "1 Main St"},
        {"pin": "1234", "deposit_account": account, "address": "1\nMain"},
        {"pin": "1234", "deposit_account": account, "address": "x"},
        {"pin": "1234", "deposit_account": account, "address": "y" * 600},
        # No address given and none on record.
        {"pin": "1234", "deposit_account": account},
    ]
    for body in bad:
        st, js, raw = order(srv, token, **body)
        assert st == 400, (body, st, raw)
    assert my_orders(srv, token) == []


def test_r21_address_on_record_is_confirmed_and_reused(srv):
    dev, token, account = rich_user(srv)
    first = order_ok(srv, token, account, address="7 Harbour Road, Sydney, AU")
    js, secret = ship(srv, "alice", first["order_id"])
    # The user activates it; the next order (a replacement) reuses the address.
    mark_lost(srv, "alice", js["id"])
    second = order_ok(srv, token, account, address=None)
    assert second["address"] == "7 Harbour Road, Sydney, AU", second


def test_r21_deposit_account_must_be_one_of_the_users(srv):
    ident = {"dob": "1970-05-01", "citizenship": "US", "residence": "US",
             "id_type": "passport", "id_number": "X1"}
    dev, token, account = rich_user(srv, identity=ident)
    other = srv.create_user("bob", identity=dict(ident))
    stranger = srv.create_user("carl", identity=dict(ident, id_number="X2"))
    st, js, raw = order(srv, token, pin="4321", deposit_account=stranger["account_id"],
                        address="1 Main St")
    assert st == 400 and "deposit_account" in js["message"], (st, raw)
    st, js, raw = order(srv, token, pin="4321", deposit_account="U0000000", address="1 Main St")
    assert st == 400, (st, raw)
    js = order_ok(srv, token, other["account_id"])
    assert js["deposit_account"] == other["account_id"], js


# ---- shipment and activation ----


def test_r21_desk_ships_then_user_activates_with_a_challenge(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account, pin="4321")
    t0 = srv.now()
    js, secret = ship(srv, "alice", placed["order_id"])
    card = Device("dsc_plus", secret, "4321", id=js["id"])
    assert js["state"] == "shipped" and unix(js["auto_activation_at"]) == t0 + 21 * DAY, js
    assert device_state(srv, "alice", card.id) == "shipped"
    o = my_orders(srv, token)[0]
    assert o["state"] == "shipped" and o["device_id"] == card.id, o
    assert o["device_state"] == "shipped" and o["hold"] == "held", o
    assert o["activated_at"] is None, o
    ev = events(srv, "dsc_plus.ship")
    assert len(ev) == 1 and ev[0]["actor"] == "agent:admin", ev
    # Shipped once only.
    ship(srv, "alice", placed["order_id"], expect=409)
    # A shipped card does not answer logins yet.
    st, login, raw = srv.login("alice")
    assert card.id not in [d["id"] for d in login["devices"]], login
    # The user answers a challenge from it (with the PIN chosen with the order).
    path = "/v1/me/devices/%s/reactivate" % card.id
    st, ch, raw = srv.pub("POST", path, {}, token=token)
    assert st == 200, (st, raw)
    st, done, raw = srv.pub("POST", path, {"response": card.answer(ch["challenge"])}, token=token)
    assert st == 200 and done["device"]["state"] == "active", (st, raw)
    assert unix(my_orders(srv, token)[0]["activated_at"]) == t0, my_orders(srv, token)
    srv.full_login("alice", card)
    # The scheduler settles the order; no notice will ever come.
    assert wait_for(lambda: my_orders(srv, token)[0]["state"] == "settled")
    srv.advance(22 * DAY)
    settle()
    assert mails(srv) == []
    assert events(srv, "device.auto_activate") == []


def test_r21_ship_errors(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account)
    srv.create_user("bob")
    ship(srv, "bob", placed["order_id"], expect=404)  # not bob's order
    ship(srv, "alice", "f" * 32, expect=404)
    ship(srv, "alice", "not-an-id", expect=404)
    ship(srv, "nobody", placed["order_id"], expect=404)
    ship(srv, "alice", placed["order_id"], expect=400, type="gold")
    ship(srv, "alice", placed["order_id"], expect=400, pin="1111")
    ship(srv, "alice", placed["order_id"], expect=400, secret_hex="abcd")
    ship(srv, "alice", placed["order_id"], expect=400, serial="")
    assert my_orders(srv, token)[0]["state"] == "ordered"


def test_r21_auto_activation_21_days_after_shipment_with_two_notices(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account, pin="2468")
    t0 = srv.now()
    js, secret = ship(srv, "alice", placed["order_id"])
    card = Device("dsc_plus", secret, "2468", id=js["id"])

    srv.set_clock(t0 + 18 * DAY - 1)
    settle()
    assert mails(srv) == []
    srv.set_clock(t0 + 18 * DAY)
    got = wait_for(lambda: mails(srv))
    assert len(got) == 1 and "in 3 days" in got[0]["body"], got
    assert got[0]["channel"] == "email" and unix(got[0]["at"]) == t0 + 18 * DAY, got
    settle()
    assert len(mails(srv)) == 1  # never twice

    srv.set_clock(t0 + 20 * DAY - 1)
    settle()
    assert len(mails(srv)) == 1
    srv.set_clock(t0 + 20 * DAY)
    got = wait_for(lambda: len(mails(srv)) == 2 and mails(srv))
    assert got and "tomorrow" in got[1]["body"], got
    assert desk_orders(srv)[0]["notices_sent"] == ["first", "last"]

    srv.set_clock(t0 + 21 * DAY - 1)
    settle()
    assert device_state(srv, "alice", card.id) == "shipped"
    assert len(mails(srv)) == 2
    srv.set_clock(t0 + 21 * DAY)
    assert wait_for(lambda: device_state(srv, "alice", card.id) == "active")
    got = wait_for(lambda: len(mails(srv)) == 3 and mails(srv))
    assert got and "Digital Security Card+, serial" in got[2]["body"], got
    # The activation's e-mail is its security notice (§10.3).
    assert got[2]["kind"] == "notice.device_activated", got
    assert "When: %s (UTC)." % rfc3339(t0 + 21 * DAY) in got[2]["body"], got
    ev = events(srv, "device.auto_activate")
    assert len(ev) == 1 and ev[0]["actor"] == "system", ev
    assert [e["detail"].split("notice=")[1] for e in events(srv, "dsc_plus.notice")] == \
        ["first", "last"]
    o = desk_orders(srv)[0]
    assert o["state"] == "settled" and o["device_state"] == "active", o
    assert unix(o["activated_at"]) == t0 + 21 * DAY, o
    # The card answers logins from now on, with its PIN.
    srv.full_login("alice", card)
    settle()
    assert len(mails(srv)) == 3


def test_r21_server_down_over_the_first_notice_sends_only_the_last(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account)
    t0 = srv.now()
    js, secret = ship(srv, "alice", placed["order_id"])
    srv.set_clock(t0 + 20 * DAY + 5)
    got = wait_for(lambda: mails(srv))
    assert len(got) == 1 and "tomorrow" in got[0]["body"], got
    settle()
    assert len(mails(srv)) == 1
    assert desk_orders(srv)[0]["notices_sent"] == ["first", "last"]


def test_r21_scheduler_survives_restart_and_never_sends_twice(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account)
    t0 = srv.now()
    js, secret = ship(srv, "alice", placed["order_id"])
    srv.set_clock(t0 + 18 * DAY)
    assert wait_for(lambda: len(mails(srv)) == 1)
    srv.restart()
    srv.set_clock(t0 + 18 * DAY + 60)
    settle()
    assert len(mails(srv)) == 1
    srv.restart(__import__("signal").SIGKILL)
    srv.set_clock(t0 + 20 * DAY)
    assert wait_for(lambda: len(mails(srv)) == 2)
    srv.restart()
    srv.set_clock(t0 + 21 * DAY)
    assert wait_for(lambda: device_state(srv, "alice", js["id"]) == "active")
    settle()
    assert len(mails(srv)) == 3
    assert len(events(srv, "dsc_plus.notice")) == 2


# ---- PIN change ----


def pin_change(srv, token, device_id, current, new):
    return srv.pub("POST", "/v1/me/devices/%s/pin" % device_id,
                   {"current_pin": current, "new_pin": new}, token=token)


def test_r21_pin_change_current_and_new(srv):
    srv.create_user("alice")
    card = srv.add_device("alice", "dsc_plus", pin="1234")
    token = srv.full_login("alice", card)["token"]
    st, js, raw = pin_change(srv, token, card.id, "1234", "9876")
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    step_up(srv, token, card)
    st, js, raw = pin_change(srv, token, card.id, "1234", "9876")
    assert st == 200 and js["pin_changed"] is True, (st, raw)
    # The old PIN no longer gives the right responses; the new one does.
    st, login, raw = srv.login("alice")
    st, js, raw = srv.respond(login["login_id"], card.answer(login["challenge"]))
    assert st == 401, (st, raw)
    card.pin = "9876"
    srv.full_login("alice", card)
    ev = events(srv, "device.pin_change")
    assert len(ev) == 1 and ev[0]["outcome"] == "ok", ev


def test_r21_pin_change_wrong_current_counts_toward_lockout(srv):
    srv.create_user("alice")
    card = srv.add_device("alice", "dsc_plus", pin="1234")
    token = srv.full_login("alice", card)["token"]
    step_up(srv, token, card)
    st, js, raw = pin_change(srv, token, card.id, "1111", "9876")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    srv.full_login("alice", card)  # the PIN is unchanged


def test_r23_platinum_and_gold_change_the_pin_on_the_device(srv):
    for name, kind in (("alice", "platinum"), ("bob", "gold")):
        dev = srv.sls_user(name, kind)
        token = srv.full_login(name, dev)["token"]
        step_up(srv, token, dev)
        st, js, raw = pin_change(srv, token, dev.id, "1234", "9876")
        assert st == 409 and "change it on the device" in js["message"], (st, raw)


def test_r21_pin_change_bad_input_and_foreign_devices(srv):
    srv.create_user("alice")
    card = srv.add_device("alice", "dsc_plus", pin="1234")
    scc = srv.add_device("alice", "scc")
    bob = srv.sls_user("bob")
    token = srv.full_login("alice", card)["token"]
    step_up(srv, token, card)
    for cur, new in (("1234", "98765"), ("1234", "98a6"), ("12345", "9876"), ("1234", "")):
        st, js, raw = pin_change(srv, token, card.id, cur, new)
        assert st == 400, (cur, new, st, raw)
    st, js, raw = srv.pub("POST", "/v1/me/devices/%s/pin" % card.id, {"new_pin": "9876"},
                          token=token)
    assert st == 400, (st, raw)
    assert pin_change(srv, token, bob.id, "1234", "9876")[0] == 404
    assert pin_change(srv, token, "nope", "1234", "9876")[0] == 404
    st, js, raw = pin_change(srv, token, scc.id, "1234", "9876")
    assert st == 409 and "no PIN" in js["message"], (st, raw)
    assert srv.lock_state("alice")["failures"] == 0
    srv.full_login("alice", card)


# ---- return and the deposit hold ----


def shipped_card(srv, name="alice"):
    dev, token, account = rich_user(srv, name)
    placed = order_ok(srv, token, account)
    js, secret = ship(srv, name, placed["order_id"])
    return token, placed["order_id"], js["id"]


def test_r21_return_releases_the_hold(srv):
    token, order_id, card_id = shipped_card(srv)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/returned" % card_id)
    assert st == 200, (st, raw)
    assert js["device"]["state"] == "returned" and js["hold"] == "released", js
    assert js["order_id"] == order_id, js
    o = my_orders(srv, token)[0]
    assert o["hold"] == "released" and o["state"] == "settled", o
    assert desk_orders(srv, "?user=alice")[0]["hold"] == "released"
    ev = events(srv, "device.returned")
    assert len(ev) == 1 and ev[0]["actor"] == "agent:admin", ev
    # Twice: refused.
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/returned" % card_id)
    assert st == 409, (st, raw)


def test_r21_lost_keeps_the_hold_and_cannot_be_returned(srv):
    token, order_id, card_id = shipped_card(srv)
    mark_lost(srv, "alice", card_id)
    assert my_orders(srv, token)[0]["hold"] == "kept"
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/returned" % card_id)
    assert st == 409, (st, raw)
    assert my_orders(srv, token)[0]["hold"] == "kept"


def test_r21_account_closed_without_return_keeps_the_hold(srv):
    token, order_id, card_id = shipped_card(srv)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/account", {"state": "closed"})
    assert st == 200, (st, raw)
    assert desk_orders(srv, "?user=alice")[0]["hold"] == "kept"
    # Returned after all: released.
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/returned" % card_id)
    assert st == 200, (st, raw)
    assert desk_orders(srv, "?user=alice")[0]["hold"] == "released"


def test_r21_returned_errors(srv):
    token, order_id, card_id = shipped_card(srv)
    srv.create_user("bob")
    base = "/v1/admin/users/%s/devices/%s/returned"
    assert srv.adm("POST", base % ("bob", card_id))[0] == 404
    assert srv.adm("POST", base % ("nobody", card_id))[0] == 404
    assert srv.adm("POST", base % ("alice", "x" * 32))[0] == 404
    assert srv.adm("POST", base % ("alice", "0" * 32))[0] == 404
    assert device_state(srv, "alice", card_id) == "shipped"


def test_r21_returned_refusals_say_why(srv):
    token, order_id, card_id = shipped_card(srv)
    base = "/v1/admin/users/%s/devices/%s/returned"
    st, js, raw = srv.adm("POST", base % ("nobody", card_id))
    assert st == 404 and js["message"] == "No such user", (st, raw)
    st, js, raw = srv.adm("POST", base % ("alice", "0" * 32))
    assert st == 404 and js["message"] == "No such device for this user", (st, raw)
    st, js, raw = srv.adm("POST", base % ("alice", card_id))
    assert st == 200, (st, raw)
    st, js, raw = srv.adm("POST", base % ("alice", card_id))
    assert st == 409 and js["message"] == "The device was already returned", (st, raw)
    dev, token2, account2 = rich_user(srv, "bob")
    mark_lost(srv, "bob", dev.id)
    st, js, raw = srv.adm("POST", base % ("bob", dev.id))
    assert st == 409 and js["message"] == "The device is marked lost", (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/bob/devices",
                          {"order_id": order_id, "serial": "X1", "secret_hex": "00" * 20})
    assert st == 404 and js["message"] == "No such order for this user", (st, raw)


def test_r21_desk_lists_orders(srv):
    token, order_id, card_id = shipped_card(srv)
    dev2, token2, account2 = rich_user(srv, "bob")
    other = order_ok(srv, token2, account2)
    every = desk_orders(srv)
    assert sorted((o["username"], o["state"]) for o in every) == [("alice", "shipped"),
                                                                  ("bob", "ordered")], every
    assert [o["order_id"] for o in desk_orders(srv, "?state=ordered")] == [other["order_id"]]
    assert [o["order_id"] for o in desk_orders(srv, "?user=alice")] == [order_id]
    assert srv.adm("GET", "/v1/admin/dsc-plus-orders?state=bogus")[0] == 400
    assert srv.adm("GET", "/v1/admin/dsc-plus-orders?user=nobody")[0] == 404


def test_r21_parallel_orders_give_one_order(srv):
    from concurrent.futures import ThreadPoolExecutor
    dev, token, account = rich_user(srv)
    body = {"pin": "4321", "deposit_account": account, "address": "1 Main St"}
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: order(srv, token, **body), range(8)))
    assert sorted(st for st, js, raw in results) == [201] + [409] * 7, results
    assert len(my_orders(srv, token)) == 1
