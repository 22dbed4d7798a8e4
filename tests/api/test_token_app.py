"""slstoken app, the mobile authenticator emulator (R20), against a real server:
activation of two users on one app (one by the first phone on record, one by
another phone on record; §10.3: never a phone off the record), push logins
approved (typing the number shown, §10.3) or denied by `slstoken app
approve|deny` and seen by the front end's poll, the challenge/response
fallback answered by `slstoken app respond`, re-activation on another app,
an activation confirmed by the user's security device (--device-response),
the state file (mode 0600, refused when others may read it), and the
command-line errors."""

import json
import os
import stat
import subprocess

import pytest

from client import PASSWORD, PHONE, env_paths
from ocra import ocra

PATHS = env_paths()
OTHER_PHONE = {"country": "44", "number": "7700900123"}


def app_run(srv, state, *args, env=None, stdin=None):
    path = PATHS["slstoken"]
    if not os.path.exists(path):
        pytest.fail("slstoken not found at %s" % path)
    e = {k: v for k, v in os.environ.items()
         if k not in ("SLSTOKEN_PASSWORD", "SLSTOKEN_APP_STATE")}
    e.update(env or {})
    cmd = [path, "app"] + [str(a) for a in args] + ["--state", str(state)]
    if args and args[0] in ("activate", "pending", "approve", "deny"):
        cmd += ["--server", "http://127.0.0.1:%d" % srv.port]
    p = subprocess.run(cmd, capture_output=True, text=True, env=e, input=stdin, timeout=60)
    return p.returncode, p.stdout, p.stderr


def app_json(srv, state, *args, **kw):
    rc, out, err = app_run(srv, state, *args, "--json", **kw)
    assert rc == 0, (args, rc, out, err)
    return json.loads(out)


def activate(srv, state, user, *extra):
    return app_json(srv, state, "activate", "--user", user, "--password", PASSWORD, *extra)


def push_login(srv, user, platform="portal"):
    st, js, raw = srv.login(user, platform=platform)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    assert js["challenge"]["kind"] == "push", js
    return js


def poll(srv, login_id):
    st, js, raw = srv.pub("GET", "/v1/login/%s" % login_id)
    assert st == 200, (st, raw)
    return js


def number(login):
    return str(login["challenge"]["number"])


def test_two_users_on_one_app_and_a_push_approved(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.create_user("alice")
    srv.create_user("bob", phones=[dict(PHONE), dict(OTHER_PHONE)])
    # §10.3: a phone that is not on record gets no code.
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD,
                           "--phone-country", OTHER_PHONE["country"],
                           "--phone-number", OTHER_PHONE["number"])
    assert rc == 1 and "phone_not_on_record" in err, (rc, out, err)
    # alice: the first phone on record; bob: his second one, biometric.
    a = activate(srv, state, "alice")
    b = activate(srv, state, "bob", "--phone-country", OTHER_PHONE["country"],
                 "--phone-number", OTHER_PHONE["number"], "--mode", "biometric")
    assert a["username"] == "alice" and a["mode"] == "pin"
    assert b["username"] == "bob" and b["mode"] == "biometric"
    assert a["device_id"] != b["device_id"]
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    saved = json.loads(state.read_text())
    assert sorted(saved["users"]) == ["alice", "bob"]
    users = app_json(srv, state, "users")["users"]
    assert sorted((u["username"], u["device_id"]) for u in users) == \
        sorted([("alice", a["device_id"]), ("bob", b["device_id"])])
    # The phones on record are what they were.
    assert srv.user_view("bob")["phones"] == [PHONE, OTHER_PHONE]
    assert srv.user_view("alice")["phones"] == [PHONE]
    # Both users' pushes reach the one app.
    la = push_login(srv, "alice")
    lb = push_login(srv, "bob", platform="trading")
    pend = app_json(srv, state, "pending")["pending"]
    assert sorted(p["username"] for p in pend) == ["alice", "bob"]
    # The pending list says a number is needed, never which (§10.3).
    assert all(p["number_required"] is True and "number" not in p for p in pend), pend
    # Two pending: approve without an id is refused, with one it works.
    rc, out, err = app_run(srv, state, "approve", "--number", number(la))
    assert rc == 1 and "several push requests" in err, (rc, out, err)
    # Without the number the app refuses before asking the server.
    rc, out, err = app_run(srv, state, "approve", lb["challenge"]["push_id"])
    assert rc == 2 and "--number" in err, (rc, out, err)
    for bad in ("7", "100", "ab", "099"):
        rc, out, err = app_run(srv, state, "approve", lb["challenge"]["push_id"], "--number", bad)
        assert rc == 2 and "--number" in err, (bad, rc, out, err)
    got = app_json(srv, state, "approve", lb["challenge"]["push_id"], "--number", number(lb))
    assert got["status"] == "approved" and got["username"] == "bob", got
    js = poll(srv, lb["login_id"])
    assert js["status"] == "authenticated" and js["session"]["factor"] == "ibkey", js
    # bob was activated with biometrics: 30 h trading session (R10).
    assert js["session"]["platform"] == "trading"
    # The only one left: no id needed. Many signed requests within one
    # second of the (frozen) server clock are not refused as replays.
    rc, out, err = app_run(srv, state, "approve", "--number", number(la))
    assert rc == 0 and out.startswith("approved " + la["challenge"]["push_id"]), (rc, out, err)
    assert poll(srv, la["login_id"])["status"] == "authenticated"
    rc, out, err = app_run(srv, state, "pending")
    assert rc == 0 and "no push request is pending" in out, (rc, out, err)
    replays = [r for r in srv.audit("?user=alice")
               if r["event"] == "ibkey.request" and r["outcome"] == "replay"]
    assert replays == []


def test_deny_ends_the_login(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.create_user("alice")
    activate(srv, state, "alice")
    login = push_login(srv, "alice")
    rc, out, err = app_run(srv, state, "deny", login["challenge"]["push_id"], "--json")
    assert rc == 0, (rc, out, err)
    assert json.loads(out)["status"] == "denied"
    assert poll(srv, login["login_id"])["status"] == "denied"
    # Decided: there is nothing to approve any more.
    rc, out, err = app_run(srv, state, "approve", login["challenge"]["push_id"],
                           "--number", number(login))
    assert rc == 1 and "no pending push request" in err, (rc, out, err)
    rc, out, err = app_run(srv, state, "approve", "--number", number(login))
    assert rc == 1 and "no push request is pending" in err, (rc, out, err)


def test_wrong_number_denies_and_counts(srv, tmp_path):
    """§10.3: the app types a number that is not the one shown: the push is
    denied, its login with it, and the failure counts toward R8."""
    state = tmp_path / "app.json"
    srv.create_user("alice")
    activate(srv, state, "alice")
    login = push_login(srv, "alice")
    wrong = 10 + (login["challenge"]["number"] - 10 + 1) % 90
    rc, out, err = app_run(srv, state, "approve", "--number", wrong)
    assert rc == 1 and "wrong_number" in err, (rc, out, err)
    assert poll(srv, login["login_id"])["status"] == "denied"
    assert srv.lock_state("alice")["failures"] == 1, srv.lock_state("alice")


def test_fallback_challenge_answered_by_the_app(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.create_user("alice")
    a = activate(srv, state, "alice")
    login = push_login(srv, "alice")
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": a["device_id"], "mode": "challenge_response"})
    assert st == 200 and js["challenge"]["kind"] == "challenge_response", (st, raw)
    challenge = js["challenge"]["challenge"]
    rc, out, err = app_run(srv, state, "respond", challenge)
    assert rc == 0 and len(out.strip()) == 8, (rc, out, err)
    assert app_json(srv, state, "respond", challenge)["response"] == out.strip()
    st, js, raw = srv.respond(login["login_id"], out.strip())
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    # A wrong answer of the same app fails (the response is not a constant).
    login = push_login(srv, "alice")
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": a["device_id"], "mode": "challenge_response"})
    other = "000000" if js["challenge"]["challenge"] != "000000" else "000001"
    rc, out, err = app_run(srv, state, "respond", other)
    st, js, raw = srv.respond(login["login_id"], out.strip())
    assert st == 401, (st, raw)


def test_reactivation_on_a_new_app_revokes_the_old(srv, tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    srv.create_user("alice")
    first = activate(srv, old, "alice")
    # §10.3: the app in hand confirms the new one with its fallback answer.
    rc, out, err = app_run(srv, new, "activate", "--user", "alice", "--password", PASSWORD,
                           "--mode", "biometric")
    assert rc == 1 and "ibkey" in err, (rc, out, err)
    answer = app_json(srv, old, "respond", out.split("challenge: ")[1].split()[0])["response"]
    second = app_json(srv, new, "activate", "--user", "alice", "--mode", "biometric",
                      "--device-response", answer)
    assert first["device_id"] != second["device_id"]
    view = srv.user_view("alice")
    states = {d["id"]: d["state"] for d in view["devices"]}
    assert states[first["device_id"]] == "inactive" and states[second["device_id"]] == "active"
    login = push_login(srv, "alice")
    rc, out, err = app_run(srv, old, "pending")
    assert rc == 1 and "activate again" in err, (rc, out, err)
    pend = app_json(srv, new, "pending")["pending"]
    assert [p["push_id"] for p in pend] == [login["challenge"]["push_id"]]
    app_json(srv, new, "approve", "--number", number(login))
    assert poll(srv, login["login_id"])["status"] == "authenticated"


def test_activation_with_a_given_code_and_password_from_stdin_or_env(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.create_user("alice")
    srv.create_user("bob")
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--json",
                           stdin=PASSWORD + "\n")
    assert rc == 0, (rc, out, err)
    rc, out, err = app_run(srv, state, "activate", "--user", "bob", "--code", "000000",
                           env={"SLSTOKEN_PASSWORD": PASSWORD})
    # A wrong code is the server's refusal: exit 1 with its message.
    assert rc == 1 and "Invalid or expired code" in err, (rc, out, err)
    saved = json.loads(state.read_text())
    assert list(saved["users"]) == ["alice"]


def test_errors(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.create_user("alice")
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", "Wrong1234")
    assert rc == 1 and "Invalid user name password combination" in err, (rc, out, err)
    for number, words in (("02125550100", "trunk"), ("212 555 0100", "digits")):
        rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD,
                               "--phone-country", "1", "--phone-number", number)
        assert rc == 1 and "HTTP 400" in err, (number, rc, out, err)
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD,
                           "--mode", "face")
    assert rc == 2 and "--mode" in err, (rc, out, err)
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD,
                           "--phone-country", "1")
    assert rc == 2, (rc, out, err)
    # Nothing activated yet: no state file was left with keys in it, and the
    # commands that need a user say so.
    rc, out, err = app_run(srv, tmp_path / "none.json", "pending")
    assert rc == 1 and "activate a user first" in err, (rc, out, err)
    activate(srv, state, "alice")
    srv.create_user("bob")
    activate(srv, state, "bob")
    rc, out, err = app_run(srv, state, "respond", "123456")
    assert rc == 2 and "--user" in err, (rc, out, err)
    rc, out, err = app_run(srv, state, "respond", "12345", "--user", "alice")
    assert rc == 2, (rc, out, err)
    rc, out, err = app_run(srv, state, "respond", "123456", "--user", "carol")
    assert rc == 1 and "no user carol" in err, (rc, out, err)
    # A state file others may read is refused.
    os.chmod(state, 0o644)
    rc, out, err = app_run(srv, state, "users")
    assert rc == 1 and "chmod 600" in err, (rc, out, err)
    os.chmod(state, 0o600)
    rc, out, err = app_run(srv, state, "users")
    assert rc == 0 and "alice" in out and "bob" in out, (rc, out, err)
    rc, out, err = app_run(srv, state, "frobnicate")
    assert rc == 2, (rc, out, err)


def test_activation_confirmed_by_the_users_card(srv, tmp_path):
    """§10.3: alice holds a DSC+: the app prints its challenge and stops
    (exit 1); the same command with --device-response completes it."""
    state = tmp_path / "app.json"
    card = srv.sls_user("alice")
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD)
    assert rc == 1 and "--device-response" in err and "dsc_plus" in err, (rc, out, err)
    challenge = out.split("challenge: ")[1].split()[0]
    assert len(challenge) == 6 and challenge.isdigit(), out
    # Without a waiting activation the option is refused.
    rc2, out2, err2 = app_run(srv, tmp_path / "other.json", "activate", "--user", "alice",
                              "--device-response", "12345678")
    assert rc2 == 2 and "waits for a device response" in err2, (rc2, out2, err2)
    got = app_json(srv, state, "activate", "--user", "alice", "--device-response",
                   card.answer({"kind": "challenge_response", "challenge": challenge}))
    assert got["username"] == "alice", got
    types = {d["type"]: d["state"] for d in srv.user_view("alice")["devices"]}
    assert types == {"dsc_plus": "active", "ibkey": "active"}, types
    # Once done, nothing waits any more.
    assert "activation" not in json.loads(state.read_text())


def test_activation_with_a_wrong_device_response_fails(srv, tmp_path):
    state = tmp_path / "app.json"
    srv.sls_user("alice")
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--password", PASSWORD)
    assert rc == 1, (rc, out, err)
    rc, out, err = app_run(srv, state, "activate", "--user", "alice", "--device-response",
                           "00000000")
    assert rc == 1 and "verification_failed" in err, (rc, out, err)
    assert srv.lock_state("alice")["failures"] == 1, srv.lock_state("alice")
    assert [d["type"] for d in srv.user_view("alice")["devices"]] == ["dsc_plus"]


def test_no_phone_on_record_is_a_clear_error(srv, tmp_path):
    srv.create_user("alice", phones=[])
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": "alice", "password": PASSWORD})
    assert st == 403 and js["error"] == "phone_not_on_record", (st, raw)
    assert "No mobile number on record" in js["message"], (st, raw)
    # Without the right password the answer is the same as for anyone.
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": "alice", "password": "Wrong1234"})
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)
    # §10.3: a number off the record gets nothing, not even with the password.
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": "alice", "password": PASSWORD, "phone": PHONE})
    assert st == 403 and js["error"] == "phone_not_on_record", (st, raw)
    srv.create_user("bob")
    st, js, raw = srv.pub("POST", "/v1/ibkey/activation",
                          {"username": "bob", "password": PASSWORD, "phone": PHONE})
    assert st == 202 and js["sent_to"] == "+1********00", (st, raw)
