"""The desk's DSC+ and sharing commands through slsctl against a real server:
shipping an order (R21), recording a returned card (its deposit hold
released), listing orders, and approving or denying sharing requests that
wait for compliance (R32). Exit status 0 done, 1 refused, 2 bad command line."""

import json
import re
import secrets

from client import Device
from test_cli import ctl, ctl_json
from test_dsc_plus import order_ok, rich_user
from test_sharing import pair, share_ok, states


def test_device_ship_returned_and_orders(srv):
    dev, token, account = rich_user(srv)
    placed = order_ok(srv, token, account, pin="1357")
    secret = secrets.token_hex(20)
    rc, out, err = ctl(srv, "device", "ship", "alice", placed["order_id"], "--serial", "DSCP42",
                       "--secret-hex", secret)
    assert rc == 0, (rc, out, err)
    m = re.match(r"order %s shipped to alice: device ([0-9a-f]{32}) \(dsc_plus, shipped\)"
                 % placed["order_id"], out)
    assert m and "activates by itself at: 2026-12-11T09:00:00Z" in out, out
    card = Device("dsc_plus", secret, "1357", id=m.group(1))
    # Shipped once: the second time the server refuses.
    rc, out, err = ctl(srv, "device", "ship", "alice", placed["order_id"], "--serial", "X",
                       "--secret-hex", secret)
    assert rc == 1 and "already been shipped" in err, (rc, out, err)
    rc, out, err = ctl(srv, "device", "ship", "alice", placed["order_id"], "--serial", "X")
    assert rc == 2, (rc, out, err)

    rc, out, err = ctl(srv, "dsc-plus", "orders", "--user", "alice")
    assert rc == 0 and placed["order_id"] in out and "shipped" in out and "held" in out, out
    orders = ctl_json(srv, "dsc-plus", "orders", "--state", "shipped")["orders"]
    assert [o["device_id"] for o in orders] == [card.id], orders

    rc, out, err = ctl(srv, "device", "returned", "alice", card.id)
    assert rc == 0, (rc, out, err)
    assert out == "device %s of alice recorded returned; deposit hold of order %s released\n" % (
        card.id, placed["order_id"]), out
    assert ctl_json(srv, "dsc-plus", "orders")["orders"][0]["hold"] == "released"
    rc, out, err = ctl(srv, "device", "returned", "alice", card.id, "--json")
    assert rc == 1 and json.loads(out)["error"] == "conflict", (rc, out, err)


def test_sharing_list_approve_deny(srv):
    adev, token, bdev = pair(srv, same_account=False)
    req = share_ok(srv, token, bdev)["request_id"]
    rc, out, err = ctl(srv, "sharing", "list", "--state", "pending_compliance")
    assert rc == 0 and req in out and "alice" in out and "bob" in out, out
    rc, out, err = ctl(srv, "sharing", "approve", req)
    assert rc == 0, (rc, out, err)
    assert out == "sharing request %s (alice shares a device of bob): active\n" % req, out
    assert states(srv, "alice")[adev.id] == "inactive"
    rc, out, err = ctl(srv, "sharing", "deny", req)
    assert rc == 1 and "not waiting for compliance" in err, (rc, out, err)
    assert ctl_json(srv, "sharing", "list")["requests"][0]["state"] == "active"
    rc, out, err = ctl(srv, "sharing", "list", "--state", "denied")
    assert rc == 0 and out == "no sharing requests\n", out
    rc, out, err = ctl(srv, "sharing", "approve", "0" * 32)
    assert rc == 1 and "No such sharing request" in err, (rc, out, err)
