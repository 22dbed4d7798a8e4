"""`slsctl password-reset USER` against a real server: the service desk sends the
user a password reset message after an identity verification by telephone
(R40). The server answers `202 {sent_to, expires_at}` with the address masked."""

import json
import re

from client import parse_time
from test_cli import ctl, ctl_json


def test_password_reset_needs_a_verified_identity(srv):
    srv.sls_user("alice")
    rc, out, err = ctl(srv, "password-reset", "alice")
    assert rc == 1, (rc, out, err)
    assert "identity_not_verified" in err, err
    assert out == "", out


def test_password_reset_sends_the_message(srv):
    srv.sls_user("alice")
    ctl_json(srv, "verify-identity", "alice")
    now = srv.now()
    rc, out, err = ctl(srv, "password-reset", "alice")
    assert rc == 0, (rc, out, err)
    m = re.fullmatch(r"password reset for alice sent to (\S+), valid until (\S+)\n", out)
    assert m, out
    sent_to, expires_at = m.groups()
    assert sent_to.startswith("a") and sent_to.endswith("@example.com"), sent_to
    assert "alice@" not in sent_to, sent_to
    assert parse_time(expires_at) > now, expires_at
    st, outbox, raw = srv.pub("GET", "/v1/dev/outbox?to=alice@example.com")
    assert st == 200, (st, raw)
    # The notice of alice's device (§10.3) came first; then the reset code.
    assert [(msg["channel"], msg.get("kind")) for msg in outbox] == \
        [("email", "notice.device_activated"), ("email", "code.password_reset")], outbox


def test_password_reset_json_and_refusals(srv):
    srv.sls_user("alice")
    ctl_json(srv, "verify-identity", "alice")
    js = ctl_json(srv, "password-reset", "alice")
    assert set(js) >= {"sent_to", "expires_at"}, js
    assert js["sent_to"].endswith("@example.com") and "alice" not in js["sent_to"], js
    rc, out, err = ctl(srv, "password-reset", "nobody", "--json")
    assert rc == 1 and json.loads(out)["error"] == "not_found", (rc, out, err)
    rc, out, err = ctl(srv, "password-reset")
    assert rc == 2 and "usage" in err, (rc, out, err)
