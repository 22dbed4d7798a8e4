"""The security review queue through slsctl against a real server (R4, R31):
`review list` shows the changes of users outside SLS that wait for an agent,
`review approve` applies one and `review deny` drops it, each once. Exit
status 0 done, 1 refused by the server, 2 bad command line."""

import json

from client import PASSWORD
from money import outside_user
from test_cli import ctl, ctl_json
from test_settings import BANK


def queue_two(srv):
    """An e-mail change and a banking change of olive waiting for review."""
    token = outside_user(srv)
    st, js, raw = srv.pub("POST", "/v1/me/email", {"new_email": "new@example.org",
                                                  "password": PASSWORD}, token=token)
    assert st == 202, (st, raw)
    email_id = js["review_id"]
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 202, (st, raw)
    return email_id, js["review_id"]


def test_review_list_approve_deny(srv):
    rc, out, err = ctl(srv, "review", "list")
    assert rc == 0 and out == "no reviews (pending)\n", (rc, out, err)
    email_id, bank_id = queue_two(srv)
    rc, out, err = ctl(srv, "review", "list")
    assert rc == 0, (rc, out, err)
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["ID", "KIND", "USER", "STATE", "CHANGE"], out
    rows = {int(l.split()[0]): l for l in lines[1:]}
    assert set(rows) == {email_id, bank_id}, out
    assert "email" in rows[email_id] and "olive" in rows[email_id], out
    assert "new_email=new@example.org" in rows[email_id], out
    assert "bank" in rows[bank_id] and "account_number_last4=6789" in rows[bank_id], out
    listed = ctl_json(srv, "review", "list")["reviews"]
    assert sorted(r["id"] for r in listed) == sorted([email_id, bank_id]), listed

    rc, out, err = ctl(srv, "review", "approve", str(email_id))
    assert rc == 0, (rc, out, err)
    assert out.startswith("review %d approved by agent:admin: email change of olive ("
                          % email_id), out
    assert "new_email=new@example.org" in out and out.endswith(")\n"), out
    assert srv.user_view("olive")["email"] == "new@example.org"
    js = ctl_json(srv, "review", "deny", str(bank_id))
    assert js["id"] == bank_id and js["state"] == "denied", js

    # Decided once: the server refuses, exit status 1 with its message.
    rc, out, err = ctl(srv, "review", "deny", str(email_id))
    assert rc == 1 and out == "" and "already decided" in err, (rc, out, err)
    rc, out, err = ctl(srv, "review", "approve", "99999", "--json")
    assert rc == 1 and json.loads(out)["error"] == "not_found", (rc, out, err)

    assert ctl(srv, "review", "list")[1] == "no reviews (pending)\n"
    assert [r["id"] for r in ctl_json(srv, "review", "list", "--state", "approved")["reviews"]] \
        == [email_id]
    assert [r["id"] for r in ctl_json(srv, "review", "list", "--state", "denied")["reviews"]] \
        == [bank_id]
    rc, out, err = ctl(srv, "review", "list", "--state", "all")
    assert rc == 0 and len(out.splitlines()) == 3, (rc, out, err)
    actors = [r["actor"] for r in srv.audit("?user=olive")
              if r["event"] in ("review.approve", "review.deny")]
    assert actors == ["agent:admin", "agent:admin"], actors


def test_review_bad_command_lines(srv):
    for args in (("review", "approve"), ("review", "approve", "abc"), ("review", "deny", "0"),
                 ("review", "list", "--state", "maybe"), ("review", "list", "extra")):
        rc, out, err = ctl(srv, *args)
        assert rc == 2 and out == "" and err, (args, rc, out, err)
    rc, out, err = ctl(srv, "review", "list", token="wrong-token-000000000")
    assert rc == 1 and "unauthorized" in err, (rc, out, err)
    rc, out, err = ctl(srv, "help", "review", "deny")
    assert rc == 0 and "review deny ID" in out, (rc, out, err)
