"""HTTP client and scenario helpers for the API tests: requests to the public and
admin listeners, the dev clock, and short-hands to create users, register
devices and log in with both factors.
"""

import http.client
import json
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timezone

from ocra import device_response

PASSWORD = "Secret123"
PIN = "1234"
PHONE = {"country": "1", "number": "2125550100"}


def rfc3339(unix):
    """Unix seconds -> '2026-11-20T15:59:59Z'."""
    return datetime.fromtimestamp(unix, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """RFC 3339 UTC ('...Z' or '+00:00', optional fraction) -> Unix seconds (int)."""
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    return int(datetime.fromisoformat(text).timestamp())


def unix(text_or_int):
    return text_or_int if isinstance(text_or_int, int) else parse_time(text_or_int)


def request(port, method, path, body=None, raw=None, headers=None, timeout=30):
    """One HTTP request on a fresh connection to 127.0.0.1:port.

    body is encoded as JSON (Content-Type: application/json); raw is sent
    as is (also with that Content-Type unless headers says otherwise). A header
    whose value is None is left out. Returns (status, parsed JSON or None, raw bytes,
    response headers)."""
    hdrs = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
    if raw is not None:
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    for k, v in (headers or {}).items():
        hdrs[k] = v
    hdrs = {k: v for k, v in hdrs.items() if v is not None}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        status = resp.status
        rh = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    parsed = None
    if payload:
        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = None
    return status, parsed, payload, rh


def parallel(n, fn):
    """Runs fn(i) in n threads released together; returns the results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = []

    def run(i):
        try:
            barrier.wait(10)
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def raw_exchange(port, head, body=b"", timeout=30):
    """Sends head+body over a raw socket while reading the answer at the same
    time (so an early answer, e.g. 413 before the body is read, is not lost if
    the server then closes). Returns (status, parsed JSON or None, raw body)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)

    def send():
        try:
            sock.sendall(head)
            for i in range(0, len(body), 65536):
                sock.sendall(body[i:i + 65536])
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    chunks = []
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
            if _complete_response(b"".join(chunks)):
                break
    except OSError:
        pass
    finally:
        sock.close()
        sender.join(5)
    whole = b"".join(chunks)
    if not whole:
        return None, None, b""
    head_end = whole.find(b"\r\n\r\n")
    status_line = whole.split(b"\r\n", 1)[0].decode("latin-1")
    status = int(status_line.split()[1])
    payload = whole[head_end + 4:] if head_end >= 0 else b""
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = None
    return status, parsed, payload


def _complete_response(data):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    for line in data[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(data) - end - 4 >= int(value.strip())
    return False


class Device:
    """What the tests know about a device they registered: enough to answer it."""

    def __init__(self, type, secret_hex=None, pin=None, cells=None, id=None):
        self.type = type
        self.secret_hex = secret_hex
        self.pin = pin
        self.cells = cells
        self.id = id

    def answer(self, challenge):
        """The response to a `challenge` object of the login API."""
        if challenge["kind"] == "card":
            i, j = challenge["indexes"]
            return self.cells[str(i)] + self.cells[str(j)]
        assert challenge["kind"] == "challenge_response", challenge
        return device_response(self.type, self.secret_hex, challenge["challenge"], self.pin)


def new_cells(n=100):
    return {str(i): "%03d" % secrets.randbelow(1000) for i in range(1, n + 1)}


class Server:
    """A running slsd: its ports, admin token and process, plus request helpers."""

    def __init__(self, port, admin_port, admin_token, proc, workdir, stderr_path):
        self.port = port
        self.admin_port = admin_port
        self.admin_token = admin_token
        self.proc = proc
        self.workdir = workdir
        self.stderr_path = stderr_path
        # §10.3: the number of every push challenge the server showed, by
        # push id, as a user reads it off the login or step-up page.
        self.push_numbers = {}

    # ---- raw calls ----

    def pub(self, method, path, body=None, token=None, raw=None, headers=None):
        """A call on the public listener -> (status, JSON or None, raw bytes)."""
        hdrs = dict(headers or {})
        if token is not None:
            hdrs.setdefault("Authorization", "Bearer " + token)
        status, parsed, payload, _ = request(self.port, method, path, body, raw, hdrs)
        ch = parsed.get("challenge") if isinstance(parsed, dict) else None
        if isinstance(ch, dict) and ch.get("kind") == "push" and "number" in ch:
            self.push_numbers[ch["push_id"]] = ch["number"]
        return status, parsed, payload

    def adm(self, method, path, body=None, raw=None, headers=None, token=True):
        """A call on the admin listener with the admin token -> (status, JSON, raw)."""
        hdrs = {}
        if token is True:
            hdrs["Authorization"] = "Bearer " + self.admin_token
        elif token:
            hdrs["Authorization"] = "Bearer " + token
        hdrs.update(headers or {})
        status, parsed, payload, _ = request(self.admin_port, method, path, body, raw, hdrs)
        return status, parsed, payload

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    # ---- dev clock ----

    def set_clock(self, when):
        """Sets the server clock to `when` (Unix seconds or RFC 3339). Returns now_unix."""
        st, js, raw = self.pub("POST", "/v1/dev/clock", {"set": when})
        assert st == 200, (st, raw)
        assert js["now_unix"] == unix(when), js
        return js["now_unix"]

    def advance(self, seconds):
        st, js, raw = self.pub("POST", "/v1/dev/clock", {"advance_seconds": seconds})
        assert st == 200, (st, raw)
        return js["now_unix"]

    def now(self):
        st, js, raw = self.pub("GET", "/v1/dev/clock")
        assert st == 200, (st, raw)
        return js["now_unix"]

    # ---- admin short-hands ----

    def create_user(self, username, password=PASSWORD, expect=201, **fields):
        body = {"username": username, "password": password,
                "email": "%s@example.com" % username, "phones": [dict(PHONE)]}
        body.update(fields)
        st, js, raw = self.adm("POST", "/v1/admin/users", body)
        assert st == expect, (st, raw)
        return js

    def add_device(self, username, type="dsc_plus", state=None, label=None, expect=201,
                   secret_hex=None, pin=None, cells=None):
        """Registers a device of `type` for username and returns a Device that can answer it."""
        body = {"type": type, "serial": "SN" + secrets.token_hex(4).upper()}
        if type == "scc":
            cells = cells or new_cells()
            body["cells"] = cells
        else:
            secret_hex = secret_hex or secrets.token_hex(20)
            body["secret_hex"] = secret_hex
            if type in ("dsc_plus", "dsc"):
                pin = pin or PIN
            if pin is not None:
                body["pin"] = pin
        if state:
            body["state"] = state
        if label:
            body["label"] = label
        st, js, raw = self.adm("POST", "/v1/admin/users/%s/devices" % username, body)
        assert st == expect, (st, raw)
        if st != 201:
            return js
        assert isinstance(js.get("id"), str) and js["id"], js
        pin_for_answer = pin if type in ("dsc_plus", "dsc") else None
        return Device(type, secret_hex, pin_for_answer, cells, js["id"])

    def sls_user(self, username, type="dsc_plus", password=PASSWORD, **fields):
        """Creates an approved SLS user with one active device; returns its Device."""
        self.create_user(username, password, **fields)
        return self.add_device(username, type)

    def user_view(self, username):
        st, js, raw = self.adm("GET", "/v1/admin/users/%s" % username)
        assert st == 200, (st, raw)
        return js

    def lock_state(self, username):
        return self.user_view(username)["lock"]

    def audit(self, query=""):
        st, js, raw = self.adm("GET", "/v1/admin/audit" + query)
        assert st == 200, (st, raw)
        return js["records"]

    # ---- public short-hands ----

    def login(self, username, password=PASSWORD, platform="portal", paper=None):
        body = {"username": username, "password": password, "platform": platform}
        if paper is not None:
            body["paper"] = paper
        return self.pub("POST", "/v1/login", body)

    def respond(self, login_id, response):
        return self.pub("POST", "/v1/login/%s/response" % login_id, {"response": response})

    def full_login(self, username, device, password=PASSWORD, platform="portal"):
        """Both stages with `device`'s answer; returns the session object."""
        st, js, raw = self.login(username, password, platform)
        assert st == 200 and js["status"] == "second_factor", (st, raw)
        st, js2, raw = self.respond(js["login_id"], device.answer(js["challenge"]))
        assert st == 200 and js2["status"] == "authenticated", (st, raw)
        return js2["session"]

    def step_up(self, token, device):
        """R34: answers a step-up challenge of `device` in the session `token`."""
        st, js, raw = self.pub("POST", "/v1/me/verify", {"device_id": device.id}, token=token)
        assert st == 200, (st, raw)
        st, js, raw = self.pub("POST", "/v1/me/verify",
                               {"response": device.answer(js["challenge"])}, token=token)
        assert st == 200, (st, raw)
        return js["verified_until"]

    def healthy(self):
        st, _, _ = self.pub("GET", "/healthz")
        st2, _, _ = self.adm("GET", "/healthz", token=None)
        return st == 200 and st2 == 200


def wait_healthy(srv, deadline_s=10.0):
    """Waits until both listeners answer /healthz with 200; False if slsd exits or time runs out."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if srv.proc.poll() is not None:
            return False
        try:
            if srv.healthy():
                return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


def env_paths():
    """The binaries under test: $SLSD etc., else <repo>/build/... relative to this folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.path.normpath(os.path.join(here, "..", "..", "build"))
    return {name: os.environ.get(name.upper()) or os.path.join(build, name)
            for name in ("slsd", "slsctl", "slstoken")}
