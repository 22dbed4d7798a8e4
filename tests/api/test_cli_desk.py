"""The service desk's login assistance through slsctl against a real server:
temporary passcodes (R26), devices marked lost (R29) and PIN resets, each only
after an identity verification by telephone (R40), and the audit chain check
(R41) on a busy log and on a store tampered with while slsd was stopped. Exit
status 0 done, 1 refused by the server or chain broken, 2 bad command line."""

import hashlib
import json
import os
import re
import sqlite3
import pytest

from concurrent.futures import ThreadPoolExecutor


from client import parse_time, rfc3339
from test_cli import ctl, ctl_json

DAY = 24 * 3600


def db_path(workdir):
    return os.path.join(workdir, "sls.db")


def login_with(srv, device_type, answer):
    """Stage 1, then stage 2 with answer(challenge) -> (status, JSON, raw)."""
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    assert js["devices"][0]["type"] == device_type, js
    return srv.respond(js["login_id"], answer(js["challenge"]))


# ---- temp-passcode ----

def test_temp_passcode_needs_a_verified_identity(srv):
    srv.create_user("alice")
    rc, out, err = ctl(srv, "temp-passcode", "alice")
    assert rc == 1, (rc, out, err)
    assert out == "", out
    assert "identity_not_verified" in err and "Verify the caller by telephone first" in err, err
    rc, out, err = ctl(srv, "temp-passcode", "alice", "--json")
    assert rc == 1 and json.loads(out)["error"] == "identity_not_verified", (rc, out, err)
    assert srv.user_view("alice")["devices"] == []


def test_temp_passcode_after_verification_logs_in(srv):
    srv.create_user("alice")
    assert ctl(srv, "verify-identity", "alice")[0] == 0
    now = srv.now()
    rc, out, err = ctl(srv, "temp-passcode", "alice")
    assert rc == 0, (rc, out, err)
    lines = out.splitlines()
    m = re.fullmatch(r"temporary passcode for alice: ([A-Z0-9]{8})", lines[0])
    assert m, out
    code = m.group(1)
    full = re.fullmatch(r"  full access until: +(\S+)", lines[1])
    portal = re.fullmatch(r"  Client Portal only until: +(\S+)", lines[2])
    assert full and portal, out
    assert parse_time(full.group(1)) == now + 2 * DAY, out
    assert parse_time(portal.group(1)) == now + 12 * DAY, out
    assert "read the passcode to the caller once" in lines[3].lower(), out
    assert len(lines) == 4, out
    st, js, raw = login_with(srv, "temporary_passcode", lambda ch: code)
    assert st == 200 and js["session"]["factor"] == "temporary_passcode", (st, raw)
    # Never two in a row: the server refuses, slsctl says why and exits 1.
    rc, out, err = ctl(srv, "temp-passcode", "alice")
    assert rc == 1 and "twice in a row" in err, (rc, out, err)


def test_temp_passcode_json_and_usage(srv):
    srv.create_user("alice")
    ctl_json(srv, "verify-identity", "alice")
    js = ctl_json(srv, "temp-passcode", "alice")
    assert re.fullmatch(r"[A-Z0-9]{8}", js["passcode"]), js
    assert parse_time(js["portal_until"]) - parse_time(js["full_access_until"]) == 10 * DAY
    for args in (["temp-passcode"], ["temp-passcode", "alice", "bob"]):
        rc, out, err = ctl(srv, *args)
        assert rc == 2 and "usage" in err, (args, rc, out, err)
    rc, out, err = ctl(srv, "temp-passcode", "nobody")
    assert rc == 1 and "not_found" in err, (rc, out, err)


# ---- device lost ----

def test_device_lost_stops_the_device(srv):
    dev = srv.sls_user("alice")
    # Refused without a verification: the device keeps working.
    rc, out, err = ctl(srv, "device", "lost", "alice", dev.id)
    assert rc == 1 and "identity_not_verified" in err, (rc, out, err)
    assert [d["state"] for d in srv.user_view("alice")["devices"]] == ["active"]
    session = srv.full_login("alice", dev)
    st, pending, raw = srv.login("alice")
    assert st == 200, (st, raw)
    ctl_json(srv, "verify-identity", "alice")
    rc, out, err = ctl(srv, "device", "lost", "alice", dev.id)
    assert rc == 0, (rc, out, err)
    assert out == "device %s (dsc_plus) of alice marked lost; sessions revoked: 1\n" % dev.id, out
    # It no longer works: its session ended, a login waiting for it fails even
    # with the right answer, and new logins find no active device.
    assert srv.pub("GET", "/v1/session", token=session["token"])[0] == 401
    st, js, raw = srv.respond(pending["login_id"], dev.answer(pending["challenge"]))
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    st, js, raw = srv.login("alice")
    assert st == 403 and js["error"] == "no_active_device", (st, raw)
    # Twice: refused with the server's reason.
    rc, out, err = ctl(srv, "device", "lost", "alice", dev.id, "--json")
    assert rc == 1 and json.loads(out)["error"] == "conflict", (rc, out, err)


def test_device_lost_refusals_and_usage(srv):
    dev = srv.sls_user("alice")
    bobs = srv.sls_user("bob")
    ctl_json(srv, "verify-identity", "alice")
    for bad in (bobs.id, "0" * 32, "not-an-id"):
        rc, out, err = ctl(srv, "device", "lost", "alice", bad)
        assert rc == 1 and "No such device" in err, (bad, rc, out, err)
    for args in (["device", "lost", "alice"], ["device", "lost", "alice", dev.id, "x"],
                 ["device", "lost", "alice", ""]):
        rc, out, err = ctl(srv, *args)
        assert rc == 2 and err.strip(), (args, rc, out, err)
    assert [d["state"] for d in srv.user_view("alice")["devices"]] == ["active"]
    assert [d["state"] for d in srv.user_view("bob")["devices"]] == ["active"]


# ---- pin-reset ----

def test_pin_reset_with_a_given_pin(srv):
    dev = srv.sls_user("alice")
    rc, out, err = ctl(srv, "pin-reset", "alice", dev.id, "--pin", "4321")
    assert rc == 1 and "identity_not_verified" in err, (rc, out, err)
    ctl_json(srv, "verify-identity", "alice")
    rc, out, err = ctl(srv, "pin-reset", "alice", dev.id, "--pin", "4321")
    assert rc == 0, (rc, out, err)
    assert out == "PIN of device %s (dsc_plus) of alice reset\n" % dev.id, out
    # The old PIN's answer fails, the new one's works.
    st, js, raw = login_with(srv, "dsc_plus", dev.answer)
    assert st == 401, (st, raw)
    dev.pin = "4321"
    st, js, raw = login_with(srv, "dsc_plus", dev.answer)
    assert st == 200 and js["status"] == "authenticated", (st, raw)


def test_pin_reset_chooses_a_pin_when_none_is_given(srv):
    dev = srv.sls_user("alice")
    ctl_json(srv, "verify-identity", "alice")
    rc, out, err = ctl(srv, "pin-reset", "alice", dev.id)
    assert rc == 0, (rc, out, err)
    m = re.search(r"^new PIN: (\d{4})$", out, re.M)
    assert m and "read the pin to the caller once" in out.lower(), out
    dev.pin = m.group(1)
    st, js, raw = login_with(srv, "dsc_plus", dev.answer)
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    # The PIN is never in the audit log.
    resets = [r for r in srv.audit("?user=alice") if r["event"] == "device.pin_reset"]
    assert [r["outcome"] for r in resets] == ["ok"], resets
    assert m.group(1) not in resets[0]["detail"], resets


def test_pin_reset_refusals_and_usage(srv):
    dev = srv.sls_user("alice")
    plat = srv.add_device("alice", "platinum")
    ctl_json(srv, "verify-identity", "alice")
    rc, out, err = ctl(srv, "pin-reset", "alice", plat.id, "--pin", "1111")
    assert rc == 1 and "kept on the device" in err, (rc, out, err)
    for args in (["pin-reset", "alice", dev.id, "--pin", "123"],
                 ["pin-reset", "alice", dev.id, "--pin", "12345"],
                 ["pin-reset", "alice", dev.id, "--pin", "abcd"],
                 ["pin-reset", "alice", "--pin", "1234"],
                 ["pin-reset", "alice", dev.id, "--pin"]):
        rc, out, err = ctl(srv, *args)
        assert rc == 2 and err.strip(), (args, rc, out, err)
    # Nothing changed: the original PIN still answers.
    st, js, raw = login_with(srv, "dsc_plus", dev.answer)
    assert st == 200, (st, raw)


# ---- verify-identity, unlock, audit --user --since ----

def test_unlock_and_audit_filters(srv):
    dev = srv.sls_user("alice")
    srv.sls_user("bob")
    for _ in range(10):
        srv.login("alice", "Wrong1234")
    rc, out, err = ctl(srv, "unlock", "alice")
    assert rc == 1 and "identity_not_verified" in err, (rc, out, err)
    rc, out, err = ctl(srv, "verify-identity", "alice")
    assert rc == 0 and out.startswith("identity of alice verified until "), (rc, out, err)
    srv.advance(60)
    since = srv.now()
    rc, out, err = ctl(srv, "unlock", "alice")
    assert rc == 0 and out == "unlocked alice\n", (rc, out, err)
    srv.full_login("alice", dev)
    srv.login("bob", "Wrong1234")
    recs = ctl_json(srv, "audit", "--user", "alice", "--since", rfc3339(since))["records"]
    assert [r["event"] for r in recs] == ["unlock", "login.success"], recs
    assert all(r["at_unix"] >= since for r in recs)
    rc, out, err = ctl(srv, "audit", "--since", rfc3339(since))
    assert rc == 0, (rc, out, err)
    assert "unlock" in out and "login.success" in out and "bob" in out, out
    assert "identity.verify" not in out, out
    rc, out, err = ctl(srv, "audit", "--since", "yesterday")
    assert rc == 1 and "RFC 3339" in err, (rc, out, err)


# ---- audit verify ----

def busy_log(srv, records_at_least):
    """Fills the audit log with logins, failures, a lock and desk actions until it
    holds at least records_at_least records; returns the number it holds."""
    dev = srv.sls_user("alice")
    srv.sls_user("bob")
    for _ in range(3):
        srv.full_login("alice", dev)
    for _ in range(10):
        srv.login("bob", "Wrong1234")
    ctl_json(srv, "verify-identity", "bob")
    ctl_json(srv, "unlock", "bob")
    ctl_json(srv, "temp-passcode", "bob")
    have = len(srv.audit("?limit=10000"))
    # Identity verifications are audited and cheap: fill the rest with them,
    # several at a time as a busy desk would.
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: srv.adm(
            "POST", "/v1/admin/users/alice/identity-verifications", {"channel": "phone"}),
            range(max(0, records_at_least - have))))
    return len(srv.audit("?limit=10000"))


def test_audit_verify_ok_on_a_busy_log(srv):
    # More than one page of the server's walk (1000 records).
    n = busy_log(srv, 2100)
    assert n >= 2100
    records = srv.audit("?limit=10000")
    assert [r["seq"] for r in records] == list(range(1, n + 1))
    rc, out, err = ctl(srv, "audit", "verify")
    assert rc == 0, (rc, out, err)
    assert out == "audit chain ok: %d records, last #%d\n" % (n, n), out
    js = ctl_json(srv, "audit", "verify")
    assert js == {"ok": True, "records": n, "last_seq": n, "last_hash": records[-1]["hash"]}, js
    # Reading the log is not itself audited.
    assert len(srv.audit("?limit=10000")) == n


def test_audit_verify_recomputes_sha256(srv):
    """The chain the server keeps is SHA-256 over the previous hash and the canonical
    text (seq, at, actor, user, event, outcome, detail on lines), so that anyone can
    check it without slsd."""
    busy_log(srv, 0)
    prev = "0" * 64
    for r in srv.audit("?limit=10000"):
        text = "\n".join([str(r["seq"]), str(r["at_unix"]), r["actor"], r["user"], r["event"],
                          r["outcome"], r["detail"]])
        assert r["prev_hash"] == prev, r
        assert r["hash"] == hashlib.sha256((prev + text).encode()).hexdigest(), r
        prev = r["hash"]
    assert ctl_json(srv, "audit", "verify")["last_hash"] == prev


def canonical_hash(row):
    seq, at, actor, user, event, outcome, detail, prev_hash = row
    text = "\n".join([str(seq), str(at), actor, user, event, outcome, detail])
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def tamper(sql, *params):
    """A change made to the store while slsd is stopped, past the triggers that
    keep the audit table append-only."""
    def change(workdir):
        db = sqlite3.connect(db_path(workdir))
        try:
            db.execute("DROP TRIGGER IF EXISTS audit_no_update")
            db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            cur = db.execute(sql, params)
            assert cur.rowcount == 1, sql
            db.commit()
        finally:
            db.close()
    return change


def rehash(seq):
    """Changes record seq's detail and gives it the hash that fits its new text,
    as a forger who knows the scheme would."""
    def change(workdir):
        db = sqlite3.connect(db_path(workdir))
        try:
            db.execute("DROP TRIGGER IF EXISTS audit_no_update")
            row = db.execute("SELECT seq, at, actor, username, event, outcome, "
                             "detail || ' (edited)', prev_hash FROM audit WHERE seq = ?",
                             (seq,)).fetchone()
            db.execute("UPDATE audit SET detail = ?, hash = ? WHERE seq = ?",
                       (row[6], canonical_hash(row), seq))
            db.commit()
        finally:
            db.close()
    return change


@pytest.mark.parametrize("case,broken_at,reason", [
    ("detail", 7, "hash mismatch"),
    ("hash", 12, "hash mismatch"),
    ("prev_hash", 9, "previous hash mismatch"),
    ("delete", 5, "sequence gap"),
    ("rehash", 8, "previous hash mismatch"),
])
@pytest.mark.sqlite_only("tampers with the audit rows in the SQLite file while slsd is stopped")
def test_audit_verify_finds_tampering(srv, case, broken_at, reason):
    n = busy_log(srv, 40)
    assert n >= 20
    assert ctl(srv, "audit", "verify")[0] == 0
    change = {
        "detail": tamper("UPDATE audit SET detail = detail || ' (edited)' WHERE seq = ?", 7),
        "hash": tamper("UPDATE audit SET hash = ? WHERE seq = ?",
                       hashlib.sha256(b"forged").hexdigest(), 12),
        "prev_hash": tamper("UPDATE audit SET prev_hash = ? WHERE seq = ?", "0" * 64, 9),
        "delete": tamper("DELETE FROM audit WHERE seq = ?", 4),
        "rehash": rehash(7),  # record 7 holds now; 8 no longer follows it
    }[case]
    srv.restart(while_stopped=change)
    rc, out, err = ctl(srv, "audit", "verify")
    assert rc == 1, (rc, out, err)
    assert out == "audit chain BROKEN at record #%d: %s\n" % (broken_at, reason), out
    rc, out, err = ctl(srv, "audit", "verify", "--json")
    assert rc == 1, (rc, out, err)
    js = json.loads(out)
    checked = broken_at - 1 if case == "delete" else broken_at
    assert js == {"ok": False, "records_checked": checked, "first_broken_seq": broken_at,
                  "reason": reason}, js
    # The server goes on appending after the damaged part, and the check keeps
    # pointing at the first break.
    ctl_json(srv, "verify-identity", "alice")
    assert json.loads(ctl(srv, "audit", "verify", "--json")[1])["first_broken_seq"] == broken_at


def test_audit_verify_usage_and_token(srv):
    rc, out, err = ctl(srv, "audit", "verify", "extra")
    assert rc == 2 and "usage" in err, (rc, out, err)
    rc, out, err = ctl(srv, "audit", "verify", token="not-the-token")
    assert rc == 1 and "unauthorized" in err, (rc, out, err)
    st, js, raw = srv.adm("GET", "/v1/admin/audit/verify", token=None)
    assert st == 401, (st, raw)
    st, js, raw = srv.pub("GET", "/v1/admin/audit/verify")
    assert st == 404, (st, raw)
