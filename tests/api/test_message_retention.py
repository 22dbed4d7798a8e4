"""No secrets at rest in messages (SPEC §10.3).

Once a message is delivered or given up, the store keeps only its id, kind,
channel, masked recipient and times: body and code are erased by the update
that settles it, the freed bytes are zeroed (secure_delete) and the WAL is
checkpointed and truncated, so a copy of the database file and its WAL holds
no code that was sent. Settled messages are deleted [delivery] retention
(30 days by default) after they settled, by the app clock. In --dev the dev
outbox still shows what was sent, codes included (kept in memory only).

The attack: read the database file (a backup, a stolen disk) and collect every
reset, SMS and activation code ever sent. Each test runs slsd --dev with a
delivery command that records what it receives."""

import os
import re
import sqlite3

import pytest

from test_delivery import CommandReceiver, delivery_ini, delivery_rows, put_message, stays, \
    wait_for
from test_dsc_plus import step_up
from test_ibkey import App, activate as ibkey_activate, e164, enrol_sms
from test_temporary import verify

DAY = 86400
OTHER = {"country": "44", "number": "7911123456"}


def db_path(srv):
    return os.path.join(srv.workdir, "sls.db")


def store_bytes(srv):
    """The database file and its write-ahead log, as a thief would copy them."""
    data = b""
    for suffix in ("", "-wal", "-journal"):
        try:
            with open(db_path(srv) + suffix, "rb") as f:
                data += f.read()
        except FileNotFoundError:
            pass
    return data


def rows(srv):
    con = sqlite3.connect(db_path(srv), timeout=10)
    try:
        return con.execute("SELECT id, recipient, channel, body, code, state, kind, at, done_at "
                           "FROM outbox ORDER BY id").fetchall()
    finally:
        con.close()


def dev_outbox(srv, to=None):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox" + ("?to=" + to.replace("+", "%2B") if to
                                                     else ""))
    assert st == 200, (st, raw)
    return js


def delivered_code(receiver, to, channel):
    """The code of the last message to `to` on `channel` the receiver got."""
    got = [m for m in receiver.messages() if m["to"] == to and m["channel"] == channel]
    assert got and got[-1].get("code"), receiver.messages()
    return got[-1]["code"]


def start(start_server, tmp_path, **keys):
    receiver = CommandReceiver(tmp_path / "receiver")
    srv = start_server(extra_ini=delivery_ini(command=receiver.path, **keys))
    return srv, receiver


@pytest.mark.sqlite_only("reads the SQLite file's bytes, WAL included")
def test_codes_are_gone_from_the_database_file_after_delivery(start_server, tmp_path):
    srv, receiver = start(start_server, tmp_path)
    sent = []  # every code the test had sent, as delivered

    def settled():
        return all(r[5] == 1 for r in rows(srv))

    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    # An SMS enrolment code (R30), then an SMS login code and its voice repeat (R25).
    enrol_sms(srv, token, OTHER, device=dev)
    assert wait_for(lambda: any(m.get("code") for m in receiver.messages()))
    sent.append(delivered_code(receiver, e164(OTHER), "sms"))
    st, login, raw = srv.login("alice")
    sms = [d for d in login["devices"] if d["type"] == "sms"][0]
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": sms["id"]})
    assert st == 200, (st, raw)
    assert wait_for(lambda: delivered_code(receiver, e164(OTHER), "sms") != sent[0])
    sent.append(delivered_code(receiver, e164(OTHER), "sms"))
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % login["login_id"],
                          {"device_id": sms["id"], "channel": "voice"})
    assert st == 200, (st, raw)
    assert wait_for(lambda: any(m["channel"] == "voice" for m in receiver.messages()))
    assert delivered_code(receiver, e164(OTHER), "voice") == sent[1]
    st, js, raw = srv.respond(login["login_id"], sent[1])
    assert st == 200, (st, raw)
    # A mobile authenticator's activation code (R20) to the same phone.
    n = len(receiver.messages())
    ibkey_activate(srv, App(srv), "alice", phone=OTHER, device=dev)
    assert wait_for(lambda: len(receiver.messages()) > n)
    sent.append([m for m in receiver.messages() if m.get("code")][-1]["code"])
    # The desk's password reset code (R29) and the self-service one (R3), by e-mail.
    verify(srv)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/password-reset", {})
    assert st == 202, (st, raw)
    srv.sls_user("bob")
    st, js, raw = srv.pub("POST", "/v1/password-reset", {"username": "bob"})
    assert st == 202, (st, raw)
    # An e-mail change confirmation number (R4).
    carol = srv.sls_user("carol")
    ctoken = srv.full_login("carol", carol)["token"]
    step_up(srv, ctoken, carol)
    st, js, raw = srv.pub("POST", "/v1/me/email", {"new_email": "c2@example.org",
                                                   "method": "old_email"}, token=ctoken)
    assert st == 202, (st, raw)
    for to in ("alice@example.com", "bob@example.com", "carol@example.com"):
        assert wait_for(lambda: any(m["to"] == to and m.get("code")
                                    for m in receiver.messages())), to
        sent.append(delivered_code(receiver, to, "email"))
    assert len(set(sent)) == len(sent) == 6, sent  # (the voice call repeated the SMS code)
    assert all(re.fullmatch(r"[0-9]{6,8}", c) for c in sent), sent

    # Every message delivered; each kept as id, kind, channel, masked recipient, times.
    assert wait_for(settled, timeout=15), rows(srv)
    for mid, to, channel, body, code, state, kind, at, done_at in rows(srv):
        assert body == "" and code == "", (mid, to, body, code)
        assert "***" in to and kind and channel and at and done_at, (mid, to, kind)
    assert not any("alice@" in r[1] or "7911123456" in r[1] for r in rows(srv))

    # The attack: no code in the database file or its WAL.
    def clean():
        data = store_bytes(srv)
        return not any(c.encode() in data for c in sent)
    assert wait_for(clean, timeout=15), [c for c in sent if c.encode() in store_bytes(srv)]

    # The receiver got every code, and --dev still shows them (from memory).
    got = {m.get("code") for m in receiver.messages()}
    assert set(sent) <= got, (sent, got)
    shown = {m.get("code") for m in dev_outbox(srv)}
    assert set(sent) <= shown, (sent, shown)
    assert delivered_code(receiver, "alice@example.com", "email") in \
        [m.get("code") for m in dev_outbox(srv, "alice@example.com")]
    # And after a restart (memory gone) still no code anywhere on disk.
    srv.restart()
    assert wait_for(clean, timeout=15)


@pytest.mark.sqlite_only("reads the SQLite file's bytes and its secure_delete")
def test_a_message_given_up_is_erased_too(start_server, tmp_path):
    srv, receiver = start(start_server, tmp_path, max_attempts=1)
    receiver.set_mode("fail")
    mid = put_message(srv, "+41791234567", "sms", "Your code is 864213", "864213")
    assert wait_for(lambda: delivery_rows(srv).get(mid, (0,))[0] == 2)
    [row] = [r for r in rows(srv) if r[0] == mid]
    assert row[1] == "+41*******67" and row[3] == "" and row[4] == "", row
    assert wait_for(lambda: b"864213" not in store_bytes(srv), timeout=15)
    assert [m["code"] for m in receiver.messages()] == ["864213"]


@pytest.mark.sqlite_only("reads the outbox with sqlite3")
def test_retention_to_the_second_on_the_dev_clock(start_server, tmp_path):
    """[delivery] retention = 30d: a message delivered at T is kept at
    T + 29 d 23:59:59 and deleted at T + 30 d; a pending one is never deleted."""
    srv, receiver = start(start_server, tmp_path)
    t = srv.now()
    mid = put_message(srv, "+41791234567", "sms", "Your code is 246801", "246801", at=t)
    assert wait_for(lambda: delivery_rows(srv).get(mid, (0,))[0] == 1)
    [row] = [r for r in rows(srv) if r[0] == mid]
    assert row[8] == t, row  # done_at: the frozen dev clock
    receiver.set_mode("fail")
    pending = put_message(srv, "+41791234567", "sms", "Your code is 975310", "975310", at=t)
    srv.set_clock(t + 30 * DAY - 1)
    assert stays(lambda: mid in delivery_rows(srv))
    srv.set_clock(t + 30 * DAY)
    assert wait_for(lambda: mid not in delivery_rows(srv))
    assert pending in delivery_rows(srv)


@pytest.mark.sqlite_only("reads the outbox with sqlite3")
def test_retention_is_configurable(start_server, tmp_path):
    srv, receiver = start(start_server, tmp_path, retention="1h")
    t = srv.now()
    mid = put_message(srv, "+41791234567", "sms", "Hello", at=t)
    assert wait_for(lambda: delivery_rows(srv).get(mid, (0,))[0] == 1)
    srv.set_clock(t + 3599)
    assert stays(lambda: mid in delivery_rows(srv))
    srv.set_clock(t + 3600)
    assert wait_for(lambda: mid not in delivery_rows(srv))
