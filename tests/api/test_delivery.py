"""Message delivery (SPEC §9): slsd sends each message of its outbox to the
[delivery] command (the message as JSON on its standard input) or webhook (a
POST of the same JSON), retries failures with a doubling delay on the app
clock, gives up after max_attempts, and loses nothing across a kill -9.

Most tests put messages into the store's outbox table with sqlite3 while slsd
runs, as a flow's transaction would (slsd reads the outbox every second, whoever
wrote it), so that each retry case is set up exactly; one test follows a real
flow, the service desk's password reset, from the API to the webhook.
"""

import http.server
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import threading
import time

import pytest

from client import parse_time, rfc3339
from conftest import BASE_TIME, PATHS, free_port
from test_audit import get_metrics, metric

BASE = parse_time(BASE_TIME)

# A delivery command written by the tests: appends what it received (stdin,
# arguments, environment names, inherited descriptors) as one JSON line to
# received.jsonl, then exits with the status named in the file `mode`
# ("ok" -> 0, "fail" -> 1, "hang" -> sleeps first).
COMMAND = r'''#!/usr/bin/python3
import json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
data = sys.stdin.read()
leaked = []
for fd in os.listdir("/proc/self/fd"):
    if int(fd) > 2:
        try:
            leaked.append(os.readlink("/proc/self/fd/" + fd))
        except OSError:
            pass  # the descriptor listdir itself used
with open(os.path.join(here, "mode")) as f:
    mode = f.read().strip()
with open(os.path.join(here, "received.jsonl"), "a") as f:
    f.write(json.dumps({"stdin": data, "argv": sys.argv[1:], "env": sorted(os.environ),
                        "leaked": leaked, "pid": os.getpid()}) + "\n")
if mode == "hang":
    time.sleep(60)
sys.exit(0 if mode == "ok" else 1)
'''


class CommandReceiver:
    """The delivery command in a folder of its own, and what it has received."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.folder = str(folder)
        self.path = os.path.join(self.folder, "send.py")
        with open(self.path, "w") as f:
            f.write(COMMAND)
        os.chmod(self.path, stat.S_IRWXU)
        self.set_mode("ok")

    def set_mode(self, mode):
        with open(os.path.join(self.folder, "mode"), "w") as f:
            f.write(mode)

    def calls(self):
        try:
            with open(os.path.join(self.folder, "received.jsonl")) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def messages(self):
        return [json.loads(c["stdin"]) for c in self.calls()]


class WebhookReceiver:
    """A tiny HTTP server on a loopback port that records every POST and answers
    with the next status of `statuses` (then 200)."""

    def __init__(self, port=None, statuses=()):
        self.requests = []
        self.statuses = list(statuses)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received(self):
        with self.lock:
            return list(self.requests)

    def messages(self):
        return [json.loads(r["body"]) for r in self.received()]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    made = []

    def make(**kw):
        r = WebhookReceiver(**kw)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def put_message(srv, to, channel, body, code="", at=BASE):
    """Adds a message to the outbox of srv's store, as a sending flow would. Returns its id."""
    con = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    try:
        with con:
            cur = con.execute("INSERT INTO outbox(recipient, channel, body, code, at) "
                              "VALUES(?, ?, ?, ?, ?)", (to, channel, body, code, at))
        return cur.lastrowid
    finally:
        con.close()


def delivery_rows(srv):
    """id -> (state, attempts) of every outbox row (0 pending, 1 delivered, 2 failed)."""
    con = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    try:
        return {r[0]: (r[1], r[2])
                for r in con.execute("SELECT id, state, attempts FROM outbox ORDER BY id")}
    finally:
        con.close()


def attempts(srv, outcome):
    return metric(get_metrics(srv), "sls_delivery_attempts_total", {"outcome": outcome}) or 0


def wait_for(what, timeout=8.0):
    """Polls what() until it is true; returns its last value."""
    end = time.monotonic() + timeout
    value = what()
    while not value and time.monotonic() < end:
        time.sleep(0.05)
        value = what()
    return value


def stays(what, seconds=1.6):
    """True when what() holds for `seconds`: longer than one pass of the deliverer."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not what():
            return False
        time.sleep(0.1)
    return what()


def delivery_ini(**keys):
    return "[delivery]\n" + "".join("%s = %s\n" % kv for kv in keys.items())


def expected_json(mid, to, channel, body, code="", at=BASE):
    m = {"id": mid, "to": to, "channel": channel, "body": body, "at": rfc3339(at)}
    if code:
        m["code"] = code
    return m


# ---- the command ----

@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_command_receives_each_message_once(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    srv = start_server(extra_ini=delivery_ini(command=rx.path + " --via  test"))
    sent = [
        ("+41791234567", "sms", "Your code is 123456", "123456"),
        ("alice@example.com", "email", 'Quotes " and \\ and \u00e9, a\nnew line', ""),
        ("alice", "push", "Approve the login?", ""),
    ]
    ids = [put_message(srv, *m) for m in sent]
    assert wait_for(lambda: len(rx.calls()) >= 3), rx.calls()
    assert wait_for(lambda: attempts(srv, "delivered") == 3)

    got = sorted(rx.messages(), key=lambda m: m["id"])
    assert got == [expected_json(i, *m) for i, m in zip(ids, sent)]
    for call in rx.calls():
        # Split on spaces, no shell: the double space makes no empty argument.
        assert call["argv"] == ["--via", "test"]
        # Nothing of slsd's but PATH: SLS_ADMIN_TOKEN is not handed over.
        assert "PATH" in call["env"] and "SLS_ADMIN_TOKEN" not in call["env"], call["env"]
        assert set(call["env"]) <= {"PATH", "LC_CTYPE"}, call["env"]
        # Only stdin, stdout and stderr: no store file, socket or pipe of slsd.
        assert call["leaked"] == [], call["leaked"]

    # Each exactly once: delivered rows are not tried again, the clock may move.
    srv.advance(86400)
    assert stays(lambda: len(rx.calls()) == 3)
    assert delivery_rows(srv) == {i: (1, 1) for i in ids}
    # The dev outbox still lists every message, delivered or not.
    st, js, raw = srv.pub("GET", "/v1/dev/outbox")
    assert st == 200, raw
    assert [m["body"] for m in js] == [m[2] for m in sent], js

    # A message written later goes out without a restart or a clock move.
    late = put_message(srv, "+41791234567", "voice", "Your code is 654321", "654321")
    assert wait_for(lambda: len(rx.calls()) == 4)
    assert rx.messages()[-1] == expected_json(late, "+41791234567", "voice",
                                              "Your code is 654321", "654321")
    assert attempts(srv, "retry") == 0 and attempts(srv, "gave_up") == 0


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_failing_command_retried_with_backoff(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    rx.set_mode("fail")
    srv = start_server(extra_ini=delivery_ini(command=rx.path, retry_initial="10s",
                                              retry_max="40s", max_attempts=10))
    mid = put_message(srv, "+41791234567", "sms", "Your code is 111222", "111222")
    assert wait_for(lambda: attempts(srv, "retry") == 1)
    assert len(rx.calls()) == 1

    # Delays 10 s, 20 s, 40 s on the app clock: never a second early.
    for n, delay in ((1, 10), (2, 20), (3, 40), (4, 40)):
        if n == 4:
            rx.set_mode("ok")
        srv.advance(delay - 1)
        assert stays(lambda: len(rx.calls()) == n), "attempt %d came early" % (n + 1)
        srv.advance(1)
        assert wait_for(lambda: len(rx.calls()) == n + 1), "attempt %d did not come" % (n + 1)
        if n < 4:
            assert wait_for(lambda: attempts(srv, "retry") == n + 1)
    assert wait_for(lambda: attempts(srv, "delivered") == 1)
    assert attempts(srv, "retry") == 4
    assert rx.messages() == [expected_json(mid, "+41791234567", "sms", "Your code is 111222",
                                           "111222")] * 5
    assert delivery_rows(srv) == {mid: (1, 5)}
    assert "message %d (sms): attempt 1 failed: exit status 1; next in 10 s" % mid \
        in srv.stderr_text()
    srv.advance(86400)
    assert stays(lambda: len(rx.calls()) == 5)


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_gives_up_after_max_attempts(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    rx.set_mode("fail")
    srv = start_server(extra_ini=delivery_ini(command=rx.path, retry_initial="5s",
                                              retry_max="5s", max_attempts=3))
    mid = put_message(srv, "bob@example.com", "email", "Your confirmation number is 42")
    other = None
    for n in (1, 2):
        assert wait_for(lambda: attempts(srv, "retry") == n)
        if n == 2:
            # Another message is not held up by the one that keeps failing.
            rx.set_mode("ok")
            other = put_message(srv, "carol@example.com", "email", "Welcome")
            assert wait_for(lambda: attempts(srv, "delivered") == 1)
            rx.set_mode("fail")
        srv.advance(5)
    assert wait_for(lambda: attempts(srv, "gave_up") == 1)
    assert [m["id"] for m in rx.messages()] == [mid, mid, other, mid]
    assert delivery_rows(srv) == {mid: (2, 3), other: (1, 1)}

    recs = [r for r in wait_for(lambda: [r for r in srv.audit("?limit=1000")
                                         if r["event"] == "message.delivery"])]
    assert len(recs) == 1, recs
    assert recs[0]["outcome"] == "gave_up" and recs[0]["actor"] == "system", recs
    assert json.loads(recs[0]["detail"]) == {"message": mid, "channel": "email", "attempts": 3,
                                             "error": "exit status 1"}
    assert "message %d (email): gave up after 3 attempts: exit status 1" % mid \
        in srv.stderr_text()

    # Given up means never tried again, however far the clock moves or slsd restarts.
    srv.advance(30 * 86400)
    assert stays(lambda: len(rx.calls()) == 4)
    srv.restart(signal.SIGTERM)
    assert stays(lambda: len(rx.calls()) == 4)


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_hanging_command_killed_at_timeout(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    rx.set_mode("hang")
    srv = start_server(extra_ini=delivery_ini(command=rx.path, timeout="1s"))
    mid = put_message(srv, "+41791234567", "sms", "Your code is 999000", "999000")
    assert wait_for(lambda: attempts(srv, "retry") == 1, timeout=10)
    pid = rx.calls()[0]["pid"]
    assert not os.path.exists("/proc/%d" % pid), "the hanging command was not killed"
    assert "message %d (sms): attempt 1 failed: timed out after 1 s" % mid in srv.stderr_text()


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_sigterm_abandons_an_attempt_in_progress(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    rx.set_mode("hang")
    srv = start_server(extra_ini=delivery_ini(command=rx.path, timeout="5m"))
    mid = put_message(srv, "+41791234567", "sms", "Your code is 246810", "246810")
    assert wait_for(lambda: len(rx.calls()) == 1)
    pid = rx.calls()[0]["pid"]
    rx.set_mode("ok")
    t0 = time.monotonic()
    srv.restart(signal.SIGTERM)  # must exit 0, without waiting for the command
    assert time.monotonic() - t0 < 5
    assert not os.path.exists("/proc/%d" % pid), "the command outlived slsd"
    # Not an attempt: the message is tried again after the restart, and delivered.
    assert wait_for(lambda: len(rx.calls()) == 2)
    assert wait_for(lambda: delivery_rows(srv) == {mid: (1, 1)})


# ---- the webhook ----

@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_webhook_receives_json_with_bearer_token(start_server, webhook):
    hook = webhook()
    token = "hook-token-0123456789abcdef"
    srv = start_server(extra_ini=delivery_ini(
        webhook="http://127.0.0.1:%d/sls/messages" % hook.port, webhook_token=token))
    mid = put_message(srv, "+41791234567", "sms", "Your code is 135790", "135790",
                      at=BASE + 61)
    assert wait_for(lambda: attempts(srv, "delivered") == 1)
    reqs = hook.received()
    assert len(reqs) == 1, reqs
    r = reqs[0]
    assert r["path"] == "/sls/messages"
    assert r["headers"]["Content-Type"] == "application/json"
    assert r["headers"]["Authorization"] == "Bearer " + token
    assert json.loads(r["body"]) == expected_json(mid, "+41791234567", "sms",
                                                  "Your code is 135790", "135790", BASE + 61)
    assert token not in srv.stderr_text()
    assert stays(lambda: len(hook.received()) == 1)


def test_password_reset_mail_reaches_the_webhook(start_server, webhook):
    """A real flow end to end: the desk's reset code leaves through delivery,
    and the code it carries completes the reset."""
    hook = webhook()
    srv = start_server(extra_ini=delivery_ini(webhook="http://127.0.0.1:%d/m" % hook.port))
    srv.sls_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                          {"channel": "phone"})
    assert st == 201, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/password-reset", {})
    assert st == 202, (st, raw)
    # The first message is the notice of alice's device (§10.3), then the code.
    assert wait_for(lambda: attempts(srv, "delivered") == 2)
    [msg] = [m for m in hook.messages() if "code" in m]
    assert msg["to"] == "alice@example.com" and msg["channel"] == "email", msg
    assert msg["code"] in msg["body"], msg
    st, js, raw = srv.pub("POST", "/v1/password-reset/complete",
                          {"username": "alice", "code": msg["code"],
                           "new_password": "Delivered2026"})
    assert st == 200, (st, raw)
    # The confirmation of the change follows the same way.
    assert wait_for(lambda: attempts(srv, "delivered") == 3)
    assert "password of your account was changed" in hook.messages()[2]["body"]


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_webhook_500_then_200_is_retried(start_server, webhook):
    hook = webhook(statuses=[500, 503])
    srv = start_server(extra_ini=delivery_ini(webhook="http://127.0.0.1:%d/" % hook.port,
                                              retry_initial="30s", retry_max="1h"))
    mid = put_message(srv, "dave@example.com", "email", "Your reset code is AB12CD", "AB12CD")
    assert wait_for(lambda: attempts(srv, "retry") == 1)
    assert "Authorization" not in hook.received()[0]["headers"]  # no token configured
    srv.advance(29)
    assert stays(lambda: len(hook.received()) == 1)
    srv.advance(1)
    assert wait_for(lambda: attempts(srv, "retry") == 2)
    srv.advance(60)
    assert wait_for(lambda: attempts(srv, "delivered") == 1)
    assert hook.messages() == [expected_json(mid, "dave@example.com", "email",
                                             "Your reset code is AB12CD", "AB12CD")] * 3
    err = srv.stderr_text()
    assert "attempt 1 failed: HTTP 500; next in 30 s" in err
    assert "attempt 2 failed: HTTP 503; next in 60 s" in err


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_undelivered_messages_survive_kill_9(start_server, webhook):
    # The receiver is down: its port is held by a socket that does not listen,
    # so connections are refused and no other listener can take the port.
    down = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    down.bind(("127.0.0.1", 0))
    port = down.getsockname()[1]
    srv = start_server(extra_ini=delivery_ini(webhook="http://127.0.0.1:%d/in" % port,
                                              retry_initial="1m"))
    ids = [put_message(srv, "+4179123456%d" % i, "sms", "Your code is 00000%d" % i,
                       "00000%d" % i) for i in range(3)]
    assert wait_for(lambda: attempts(srv, "retry") == 3)
    assert delivery_rows(srv) == {i: (0, 1) for i in ids}

    # The receiver comes back; slsd's clock stands at BASE, so it does not try
    # again before it crashes with the messages waiting for their retry.
    down.close()
    hook = webhook(port=port)
    srv.restart(signal.SIGKILL)
    # The restarted clock is wall time; from BASE + 60 on the retries are due.
    if srv.now() < BASE + 60:
        srv.set_clock(BASE + 60)
    assert wait_for(lambda: len(hook.received()) == 3)
    assert sorted(m["id"] for m in hook.messages()) == ids
    assert wait_for(lambda: delivery_rows(srv) == {i: (1, 2) for i in ids})
    assert stays(lambda: len(hook.received()) == 3)


# ---- configuration and modes ----

@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_dev_mode_without_delivery_keeps_messages(srv):
    mid = put_message(srv, "+41791234567", "sms", "Your code is 123123", "123123")
    assert stays(lambda: delivery_rows(srv) == {mid: (0, 0)})
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=%2B41791234567")
    assert st == 200 and [m["code"] for m in js] == ["123123"], raw
    assert attempts(srv, "delivered") == 0 and attempts(srv, "retry") == 0
    assert "stay undelivered" not in srv.stderr_text()


def run_slsd(tmp_path, ini, *args):
    path = tmp_path / "check.ini"
    path.write_text(ini)
    return subprocess.run([PATHS["slsd"], "--config", str(path)] + list(args),
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=30,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})


@pytest.mark.sqlite_only("puts messages into the outbox and reads their state with sqlite3")
def test_bad_delivery_settings_refused(tmp_path):
    r = run_slsd(tmp_path, delivery_ini(command="/bin/true", webhook="https://example.com/"),
                 "--check")
    assert r.returncode == 1 and "both command and webhook" in r.stderr, r
    r = run_slsd(tmp_path, delivery_ini(webhook="http://example.com/hook"), "--check")
    assert r.returncode == 1 and ": delivery.webhook: \"http://example.com/hook\" is not valid" \
        in r.stderr, r
    r = run_slsd(tmp_path, delivery_ini(webhook="https://example.com/hook",
                                        webhook_token="secret token"), "--check")
    assert r.returncode == 1 and "secret" not in r.stderr, r
    r = run_slsd(tmp_path, delivery_ini(webhook="https://example.com/hook",
                                        webhook_token="tok123", max_attempts=3), "--check")
    assert r.returncode == 0, r

    # A command that is not an executable file is found at start, not at the first message.
    (tmp_path / "notexec.sh").write_text("#!/bin/sh\nexit 0\n")
    r = run_slsd(tmp_path, "[security]\nargon2_ops = 1\nargon2_mem_kib = 64\n" +
                 delivery_ini(command="./notexec.sh"),
                 "--listen", "127.0.0.1:%d" % free_port(),
                 "--admin-listen", "127.0.0.1:%d" % free_port(),
                 "--store", "sqlite:" + str(tmp_path / "sls.db"))
    assert r.returncode == 1 and "./notexec.sh is not an executable file" in r.stderr, r
