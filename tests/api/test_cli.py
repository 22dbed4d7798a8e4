"""The command-line tools against the tests' own OCRA and a real server: slstoken
(device emulator: challenge responses for R21-R23/R20, card cells for R24,
generated secrets and cards) and slsctl (service-desk CLI: user add/show, device
add, verify-identity, unlock (R40), account (R12), audit (R41), health), with
their exit codes and --json output."""

import json
import os
import re
import secrets
import subprocess

import pytest

from client import PASSWORD, PIN, env_paths, parse_time
from ocra import device_response

PATHS = env_paths()

CHALLENGES = ["000000", "000001", "123456", "999999", "012345", "500000"]


def run(tool, *args, env=None, cwd=None):
    path = PATHS[tool]
    if not os.path.exists(path):
        pytest.fail("%s not found at %s (set %s or build into <repo>/build)"
                    % (tool, path, tool.upper()))
    p = subprocess.run([path] + [str(a) for a in args], capture_output=True, text=True,
                       env=env, cwd=cwd, timeout=30)
    return p.returncode, p.stdout, p.stderr


def token(*args):
    return run("slstoken", *args)


def ctl_env(srv, token=True):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SLS_ADMIN_TOKEN", "SLS_ADMIN_TOKEN_FILE", "SLS_ADMIN_URL")}
    env["SLS_ADMIN_URL"] = "http://127.0.0.1:%d" % srv.admin_port
    if token is True:
        env["SLS_ADMIN_TOKEN"] = srv.admin_token
    elif token:
        env["SLS_ADMIN_TOKEN"] = token
    return env


def ctl(srv, *args, token=True):
    return run("slsctl", *args, env=ctl_env(srv, token), cwd=srv.workdir)


def ctl_json(srv, *args):
    rc, out, err = ctl(srv, *args, "--json")
    assert rc == 0, (args, rc, out, err)
    return json.loads(out)


# ---- slstoken ----

@pytest.mark.parametrize("kind,keylen,pin", [
    ("dsc_plus", 20, "1234"), ("dsc_plus", 20, "0000"), ("dsc", 20, "9876"),
    ("platinum", 20, None), ("gold", 20, None), ("ibkey", 32, None), ("ibkey", 20, None),
])
def test_slstoken_respond_matches_ocra(kind, keylen, pin):
    secret = secrets.token_hex(keylen)
    for ch in CHALLENGES:
        args = ["respond", "--type", kind, "--secret", secret]
        if pin:
            args += ["--pin", pin]
        rc, out, err = token(*(args + [ch]))
        assert rc == 0, (kind, ch, rc, out, err)
        assert out.strip() == device_response(kind, secret, ch, pin), (kind, secret, ch, out)


def test_slstoken_rfc_key_dsc_plus():
    """A fixed key, so that a mismatch can be reproduced by hand."""
    secret = b"12345678901234567890".hex()
    rc, out, err = token("respond", "--type", "dsc_plus", "--secret", secret, "--pin", "1234",
                         "123456")
    assert rc == 0, err
    assert out.strip() == device_response("dsc_plus", secret, "123456", "1234")


@pytest.mark.parametrize("args", [
    ["respond", "--type", "dsc_plus", "--secret", "00" * 20, "123456"],         # no PIN
    ["respond", "--type", "platinum", "--secret", "00" * 20, "12a456"],         # letters
    ["respond", "--type", "platinum", "--secret", "00" * 20, "1234567"],        # 7 digits
    ["respond", "--type", "platinum", "--secret", "xyz", "123456"],              # not hex
    ["respond", "--type", "rsa", "--secret", "00" * 20, "123456"],               # no such type
    ["respond", "--type", "platinum", "--secret", "00" * 20],                    # no challenge
    ["card", "--cells", '{"1":"123","2":"456"}', "1", "3"],                      # no cell 3
    ["card", "--cells", "not json", "1", "2"],
    ["frobnicate"],
    [],
])
def test_slstoken_errors_exit_nonzero(args):
    rc, out, err = token(*args)
    assert rc != 0, (args, out)
    assert err.strip(), "no message on stderr for %r" % (args,)


def test_slstoken_card_inline_and_file(tmp_path):
    cells = {str(i): "%03d" % ((i * 7) % 1000) for i in range(1, 101)}
    rc, out, err = token("card", "--cells", json.dumps(cells), "12", "47")
    assert rc == 0, err
    assert out.strip() == cells["12"] + cells["47"]
    f = tmp_path / "card.json"
    f.write_text(json.dumps(cells))
    rc, out, err = token("card", "--cells", "@%s" % f, "100", "1")
    assert rc == 0, err
    assert out.strip() == cells["100"] + cells["1"]


def test_slstoken_card_generate(tmp_path):
    rc, out, err = token("card", "--generate")
    assert rc == 0, err
    f = tmp_path / "card.json"
    f.write_text(out)
    rc, resp, err = token("card", "--cells", "@%s" % f, "1", "100")
    assert rc == 0, (out, err)
    assert re.fullmatch(r"\d{6}", resp.strip()), resp
    cells = json.loads(out)
    assert sorted(cells, key=int) == [str(i) for i in range(1, 101)]
    assert all(re.fullmatch(r"\d{3}", v) for v in cells.values())
    assert resp.strip() == cells["1"] + cells["100"]


def test_slstoken_secret_generate():
    outs = []
    for _ in range(2):
        rc, out, err = token("secret", "--generate")
        assert rc == 0, err
        assert re.fullmatch(r"[0-9a-fA-F]{40,}", out.strip()), out
        assert len(out.strip()) % 2 == 0
        outs.append(out.strip())
    assert outs[0] != outs[1]


@pytest.mark.parametrize("tool", ["slstoken", "slsctl"])
def test_help(tool):
    rc, out, err = run(tool, "--help")
    assert rc == 0, err
    assert out.strip()


# ---- slsctl against a server ----

def test_slsctl_health(srv):
    rc, out, err = ctl(srv, "health")
    assert rc == 0, (out, err)


def test_slsctl_user_device_login_flow(srv):
    rc, out, err = ctl(srv, "user", "add", "alice", "--password", PASSWORD, "--email",
                       "alice@example.com", "--phone", "1:2125550100", "--json")
    assert rc == 0, (out, err)
    created = json.loads(out)
    assert created["username"] == "alice" and "password" not in created
    assert created["phones"] == [{"country": "1", "number": "2125550100"}]
    secret = secrets.token_hex(20)
    rc, out, err = ctl(srv, "device", "add", "alice", "--type", "dsc_plus", "--secret", secret,
                       "--pin", PIN)
    assert rc == 0, (out, err)
    dev_id = out.strip()
    assert dev_id and "\n" not in dev_id, out
    shown = ctl_json(srv, "user", "show", "alice")
    assert [(d["id"], d["type"], d["state"]) for d in shown["devices"]] == \
        [(dev_id, "dsc_plus", "active")]
    assert shown["lock"]["locked"] is False
    rc, out, err = ctl(srv, "user", "show", "alice")
    assert rc == 0 and "alice" in out and dev_id in out, (out, err)
    # The login is answered with slstoken's response.
    st, js, raw = srv.login("alice")
    assert st == 200, (st, raw)
    rc, resp, err = token("respond", "--type", "dsc_plus", "--secret", secret, "--pin", PIN,
                          js["challenge"]["challenge"])
    assert rc == 0, err
    st, js2, raw = srv.respond(js["login_id"], resp.strip())
    assert st == 200 and js2["session"]["factor"] == "dsc_plus", (st, raw)


def test_slsctl_card_device_from_file(srv, tmp_path):
    ctl_json(srv, "user", "add", "alice", "--password", PASSWORD, "--email", "a@example.com",
             "--phone", "1:2125550100")
    cells = {str(i): "%03d" % ((i * 13) % 1000) for i in range(1, 51)}
    f = tmp_path / "cells.json"
    f.write_text(json.dumps(cells))
    rc, out, err = ctl(srv, "device", "add", "alice", "--type", "scc", "--cells", "@%s" % f)
    assert rc == 0, (out, err)
    st, js, raw = srv.login("alice")
    assert st == 200 and js["challenge"]["kind"] == "card", (st, raw)
    a, b = js["challenge"]["indexes"]
    rc, resp, err = token("card", "--cells", "@%s" % f, a, b)
    assert rc == 0, err
    st, js2, raw = srv.respond(js["login_id"], resp.strip())
    assert st == 200 and js2["session"]["factor"] == "scc", (st, raw)


def test_slsctl_user_add_options(srv):
    ctl_json(srv, "user", "add", "alice", "--password", PASSWORD, "--email", "a@example.com",
             "--phone", "1:2125550100")
    u = ctl_json(srv, "user", "add", "bob", "--password", PASSWORD, "--email", "b@example.com",
                 "--phone", "44:7700900123", "--state", "pending", "--no-sls")
    assert u["account_state"] == "pending" and u["sls"] is False
    p = ctl_json(srv, "user", "add", "alicepaper", "--password", PASSWORD, "--email",
                 "a@example.com", "--phone", "1:2125550100", "--no-sls", "--paper-of", "alice")
    assert p["paper_of"] == "alice"
    st, js, raw = srv.login("alicepaper", platform="trading", paper=True)
    assert st == 200 and js["status"] == "authenticated", (st, raw)


def test_slsctl_refusals_exit_nonzero(srv):
    rc, out, err = ctl(srv, "user", "show", "nobody")
    assert rc == 1 and err.strip(), (rc, out, err)
    rc, out, err = ctl(srv, "user", "add", "alice", "--password", "weak", "--email",
                       "a@example.com", "--phone", "1:2125550100")
    assert rc == 1 and err.strip(), (rc, out, err)
    rc, out, err = ctl(srv, "user", "add", "Alice", "--password", PASSWORD, "--email",
                       "a@example.com", "--phone", "1:2125550100", "--json")
    assert rc == 1, (rc, out, err)
    assert json.loads(out)["error"] == "invalid_username", out
    rc, out, err = ctl(srv, "device", "add", "nobody", "--type", "dsc_plus", "--secret",
                       "00" * 20, "--pin", PIN)
    assert rc == 1 and err.strip(), (rc, out, err)


def test_slsctl_usage_errors(srv):
    for args in (["frobnicate"], [], ["user", "add", "alice"], ["account", "alice", "explode"],
                 ["device", "add", "alice", "--type", "dsc_plus", "--secret", "xyz"]):
        rc, out, err = ctl(srv, *args)
        assert rc != 0 and err.strip(), (args, rc, out, err)
    assert srv.adm("GET", "/v1/admin/users/alice")[0] == 404


def test_slsctl_token_problems(srv):
    rc, out, err = ctl(srv, "user", "show", "alice", token=False)
    assert rc != 0 and err.strip(), (rc, out, err)
    rc, out, err = ctl(srv, "user", "show", "alice", token="not-the-token")
    assert rc == 1 and err.strip(), (rc, out, err)


def test_slsctl_unlock_verify_account_audit(srv):
    dev = srv.sls_user("alice")
    for _ in range(10):
        srv.login("alice", "Wrong1234")
    assert ctl_json(srv, "user", "show", "alice")["lock"]["locked"] is True
    rc, out, err = ctl(srv, "unlock", "alice", "--json")
    assert rc == 1, (rc, out, err)
    assert json.loads(out)["error"] == "identity_not_verified"
    now = srv.now()
    v = ctl_json(srv, "verify-identity", "alice")
    assert abs(parse_time(v["valid_until"]) - (now + 900)) <= 2, v
    u = ctl_json(srv, "unlock", "alice")
    assert u["unlocked"] is True
    srv.full_login("alice", dev)
    a = ctl_json(srv, "account", "alice", "close")
    assert a["account_state"] == "closed"
    assert ctl_json(srv, "user", "show", "alice")["account_state"] == "closed"
    rc, out, err = ctl(srv, "account", "alice", "approve")
    assert rc == 0, (out, err)
    assert ctl_json(srv, "user", "show", "alice")["account_state"] == "approved"
    recs = ctl_json(srv, "audit", "--user", "alice", "--limit", "1000")["records"]
    events = [r["event"] for r in recs]
    for ev in ("user.create", "device.add", "login.failure", "lock", "identity.verify",
               "unlock", "login.success", "account.state"):
        assert ev in events, (ev, events)
    assert all(r["user"] == "alice" for r in recs)
    two = ctl_json(srv, "audit", "--limit", "2")["records"]
    assert len(two) == 2
    rc, out, err = ctl(srv, "audit", "--user", "alice")
    assert rc == 0 and "login.failure" in out, (out, err)
