"""SPEC §10.4 RADIUS against a real server, driven mostly by FreeRADIUS's
`radclient` (freeradius-utils): stage 1 and the Access-Challenge of every
device kind (security code card, OCRA challenge/response answered by
slstoken, push approved by `slstoken app approve`, SMS code from the dev
outbox, temporary passcode), password-only users, wrong passwords and
responses, R8 lockout over RADIUS seen by the HTTP API, R12 by the client's
platform, and the audit naming the client. Requests radclient cannot make
(no or a wrong Message-Authenticator, another source address, a byte-exact
retransmission, a forged State) are built here from RFC 2865 and RFC 3579."""

import hashlib
import hmac
import re
import secrets
import shutil
import socket
import struct
import subprocess

import pytest

from client import PASSWORD, PHONE, env_paths
from test_ibkey import e164, enrol_sms, last_code
from test_token_app import activate as app_activate, app_run
from test_temporary import temp_user

PATHS = env_paths()
SECRET = "radius-test-secret-0123"
TRADING_SECRET = "radius-trading-secret-4567"

ACCESS_REQUEST, ACCESS_ACCEPT, ACCESS_REJECT, ACCESS_CHALLENGE = 1, 2, 3, 11
USER_NAME, USER_PASSWORD, REPLY_MESSAGE, STATE, SESSION_TIMEOUT = 1, 2, 18, 24, 27
MESSAGE_AUTHENTICATOR = 80



def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


class Radius:
    """The RADIUS side of one slsd: radclient runs and hand-made packets."""

    def __init__(self, srv, port):
        self.srv = srv
        self.port = port

    # ---- radclient ----

    def radclient(self, user, password, state=None, secret=SECRET):
        """One Access-Request by radclient -> (code name or None, [(attr, value)])."""
        lines = ['User-Name = "%s"' % user,
                 'User-Password = "%s"' % password.replace("\\", "\\\\").replace('"', '\\"')]
        if state is not None:
            lines.append("State = 0x" + state.hex())
        lines.append("Message-Authenticator = 0x00")  # computed by radclient
        p = subprocess.run(["radclient", "-x", "-r", "1", "-t", "5",
                            "127.0.0.1:%d" % self.port, "auth", secret],
                           input="\n".join(lines) + "\n", capture_output=True, text=True,
                           timeout=30)
        code, attrs, seen = None, [], False
        for line in p.stdout.splitlines():
            m = re.match(r"Received (Access-\w+) Id", line)
            if m:
                code, seen = m.group(1), True
                continue
            m = re.match(r"\s+([\w-]+) = (.*)$", line)
            if seen and m:
                v = m.group(2)
                if v.startswith('"') and v.endswith('"'):
                    v = v[1:-1]
                attrs.append((m.group(1), v))
        return code, attrs

    def login(self, user, password=PASSWORD):
        return self.radclient(user, password)

    # ---- hand-made packets ----

    def request(self, attrs, secret=SECRET, ident=None, auth=None, ma="good"):
        """An Access-Request with (type, bytes) attributes; User-Password given
        in clear is hidden here (RFC 2865 §5.2). ma: "good", "none", "wrong"."""
        ident = secrets.randbelow(256) if ident is None else ident
        auth = auth or secrets.token_bytes(16)
        body = b""
        for t, v in attrs:
            if t == USER_PASSWORD:
                v = hide(v, secret.encode(), auth)
            body += bytes([t, len(v) + 2]) + v
        if ma != "none":
            at = 20 + len(body) + 2
            body += bytes([MESSAGE_AUTHENTICATOR, 18]) + bytes(16)
        pkt = bytearray(struct.pack("!BBH", ACCESS_REQUEST, ident, 20 + len(body)) + auth + body)
        if ma != "none":
            mac = hmac.new(secret.encode(), bytes(pkt), hashlib.md5).digest()
            if ma == "wrong":
                mac = bytes([mac[0] ^ 1]) + mac[1:]
            pkt[at:at + 16] = mac
        return bytes(pkt)

    def send(self, pkt, source="127.0.0.1", timeout=3.0):
        """Sends pkt from `source`; the answer's bytes, or None after timeout."""
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((source, 0))
            s.settimeout(timeout)
            s.sendto(pkt, ("127.0.0.1", self.port))
            try:
                return s.recvfrom(8192)[0]
            except socket.timeout:
                return None
        finally:
            s.close()

    def send_twice(self, pkt, timeout=3.0):
        """Sends pkt, then the same bytes again from the same address and
        port (a retransmission); the two answers."""
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", 0))
            s.settimeout(timeout)
            got = []
            for _ in range(2):
                s.sendto(pkt, ("127.0.0.1", self.port))
                try:
                    got.append(s.recvfrom(8192)[0])
                except socket.timeout:
                    got.append(None)
            return got
        finally:
            s.close()

    def exchange(self, pkt, source="127.0.0.1", secret=SECRET):
        """Sends pkt and checks the answer's authenticators -> (code, [(type, bytes)])."""
        got = self.send(pkt, source)
        assert got is not None, "no answer"
        return parse_answer(got, pkt[4:20], secret)

    def metric(self, reason):
        st, _, raw = self.srv.adm("GET", "/metrics")
        assert st == 200, (st, raw)
        m = re.search(r'sls_radius_dropped_total\{reason="%s"\} (\d+)' % reason, raw.decode())
        assert m, raw
        return int(m.group(1))


def hide(password, secret, auth):
    p = password + bytes(-len(password) % 16 or (16 if not password else 0))
    out, prev = b"", auth
    for i in range(0, len(p), 16):
        b = hashlib.md5(secret + prev).digest()
        c = bytes(x ^ y for x, y in zip(p[i:i + 16], b))
        out += c
        prev = c
    return out


def parse_answer(pkt, req_auth, secret):
    """The code and attributes of an answer, after checking its Response
    Authenticator and Message-Authenticator against our request."""
    code, ident, length = struct.unpack("!BBH", pkt[:4])
    assert length == len(pkt)
    expect = hashlib.md5(pkt[:4] + req_auth + pkt[20:] + secret.encode()).digest()
    assert pkt[4:20] == expect, "bad Response Authenticator"
    attrs, off, ma_at = [], 20, None
    while off < length:
        t, n = pkt[off], pkt[off + 1]
        attrs.append((t, pkt[off + 2:off + n]))
        if t == MESSAGE_AUTHENTICATOR:
            ma_at = off + 2
        off += n
    assert ma_at is not None, "no Message-Authenticator on the answer"
    zeroed = pkt[:4] + req_auth + pkt[20:ma_at] + bytes(16) + pkt[ma_at + 16:]
    assert hmac.new(secret.encode(), zeroed, hashlib.md5).digest() == pkt[ma_at:ma_at + 16]
    return code, attrs


def first(attrs, name):
    for k, v in attrs:
        if k == name:
            return v
    return None


def messages(attrs):
    return [v for k, v in attrs if k == "Reply-Message"]


@pytest.fixture
def rad(start_server):
    if shutil.which("radclient") is None:
        pytest.fail("radclient not found (scripts/deps.sh --test installs freeradius-utils)")
    port = free_udp_port()
    ini = ("[radius]\nlisten = 127.0.0.1:%d\n"
           "[radius.client gw-portal]\naddress = 127.0.0.1\nsecret = %s\n"
           "[radius.client gw-trading]\naddress = 127.0.0.2/32\nsecret = %s\n"
           "platform = trading\n" % (port, SECRET, TRADING_SECRET))
    srv = start_server(extra_ini=ini)
    return Radius(srv, port)


def challenge_of(rad, user, password=PASSWORD):
    code, attrs = rad.login(user, password)
    assert code == "Access-Challenge", (code, attrs)
    state = first(attrs, "State")
    assert state and state.startswith("0x"), attrs
    return bytes.fromhex(state[2:]), messages(attrs)


def slstoken(*args):
    p = subprocess.run([PATHS["slstoken"]] + [str(a) for a in args], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p.stdout.strip()


def accepted(code, attrs, timeout=1800):
    assert code == "Access-Accept", (code, attrs)
    assert first(attrs, "Session-Timeout") == str(timeout), attrs


def audit_via(rad, user, event):
    return [r for r in rad.srv.audit("?user=%s" % user) if r["event"] == event]


# ---- every device kind ----

def test_card_indexes_challenge_then_accept(rad):
    card = rad.srv.sls_user("alice", "scc")
    state, msgs = challenge_of(rad, "alice")
    m = re.search(r"indexes (\d+) and (\d+), without spaces", msgs[0])
    assert m, msgs
    answer = slstoken("card", "--cells", __import__("json").dumps(card.cells), m.group(1),
                      m.group(2))
    accepted(*rad.radclient("alice", answer, state))
    ok = audit_via(rad, "alice", "login.success")
    assert len(ok) == 1 and ok[0]["detail"] == "via radius client gw-portal scc", ok
    # The session is the HTTP API's: a portal session (R10), its factor the card.
    assert rad.srv.user_view("alice")["lock"]["failures"] == 0


def test_ocra_challenge_answered_by_slstoken(rad):
    dev = rad.srv.sls_user("alice", "dsc_plus")
    state, msgs = challenge_of(rad, "alice")
    m = re.match(r"Challenge (\d{6}): enter the response of your security device", msgs[0])
    assert m, msgs
    resp = slstoken("respond", "--type", "dsc_plus", "--secret", dev.secret_hex, "--pin", dev.pin,
                    m.group(1))
    accepted(*rad.radclient("alice", resp, state))


def test_push_approved_in_the_app(rad, tmp_path):
    app = tmp_path / "app.json"
    rad.srv.create_user("alice")
    app_activate(rad.srv, app, "alice")
    state, msgs = challenge_of(rad, "alice")
    m = re.match(r"Approve the notification in the app with the number (\d+), then press Enter",
                 msgs[0])
    assert m, msgs
    # Not approved yet: Enter polls, and the same State comes back.
    code, attrs = rad.radclient("alice", "", state)
    assert code == "Access-Challenge" and first(attrs, "State") == "0x" + state.hex(), attrs
    rc, out, err = app_run(rad.srv, app, "approve", "--number", m.group(1))
    assert rc == 0, (rc, out, err)
    accepted(*rad.radclient("alice", "", state))
    ok = audit_via(rad, "alice", "login.success")
    assert ok and ok[-1]["detail"] == "via radius client gw-portal ibkey push", ok


def test_push_denied_is_rejected(rad, tmp_path):
    app = tmp_path / "app.json"
    rad.srv.create_user("alice")
    app_activate(rad.srv, app, "alice")
    state, msgs = challenge_of(rad, "alice")
    rc, out, err = app_run(rad.srv, app, "deny")
    assert rc == 0, (rc, out, err)
    code, attrs = rad.radclient("alice", "", state)
    assert code == "Access-Reject" and messages(attrs)[0] == "Login failed", attrs


def test_sms_code_from_the_outbox(rad):
    # An SMS device enrolled in the session of a temporary passcode; SMS is
    # then the strongest device, challenged by default (R7).
    js = temp_user(rad.srv)
    st, login, raw = rad.srv.login("alice")
    assert st == 200, (st, raw)
    st, sess, raw = rad.srv.respond(login["login_id"], js["passcode"])
    assert st == 200, (st, raw)
    token = sess["session"]["token"]
    st, ch, raw = rad.srv.pub("POST", "/v1/me/verify", {"device_id": js["device_id"]}, token=token)
    assert st == 200, (st, raw)
    st, ch, raw = rad.srv.pub("POST", "/v1/me/verify", {"response": js["passcode"]}, token=token)
    assert st == 200, (st, raw)
    enrol_sms(rad.srv, token)
    state, msgs = challenge_of(rad, "alice")
    assert msgs == ["Enter the code sent to your phone"], msgs
    code = last_code(rad.srv, e164(PHONE))["code"]
    accepted(*rad.radclient("alice", code, state))
    # R25: the code and its login are used once.
    c, attrs = rad.radclient("alice", code, state)
    assert c == "Access-Reject" and messages(attrs)[0] == "Login failed", attrs


def test_temporary_passcode(rad):
    js = temp_user(rad.srv)
    state, msgs = challenge_of(rad, "alice")
    assert msgs == ["Enter your temporary passcode"], msgs
    # R6: a lower-case passcode is not fixed up; it fails with the hint.
    code, attrs = rad.radclient("alice", js["passcode"].lower(), state)
    assert code == "Access-Reject" and messages(attrs)[0] == "Login failed", attrs
    assert "upper case" in messages(attrs)[1], attrs
    state, _ = challenge_of(rad, "alice")
    accepted(*rad.radclient("alice", js["passcode"], state))


def test_password_only_user_accepted_at_stage_1(rad):
    rad.srv.create_user("alice", sls=False)
    accepted(*rad.login("alice"))


# ---- refusals ----

def test_wrong_password_and_unknown_user_say_the_same(rad):
    rad.srv.sls_user("alice", "scc")
    wrong = rad.login("alice", "Wrong-passw0rd")
    unknown = rad.login("nobody", PASSWORD)
    case = rad.login("Alice", PASSWORD)
    for code, attrs in (wrong, unknown, case):
        assert code == "Access-Reject", attrs
        assert messages(attrs) == ["Invalid user name password combination"], attrs
    bad = rad.login("al ice", PASSWORD)
    assert bad[0] == "Access-Reject" and messages(bad[1])[0] == "BAD CHARACTER", bad
    fails = audit_via(rad, "alice", "login.failure")
    assert fails and all(r["detail"].startswith("via radius client gw-portal") for r in fails)


def test_wrong_response_fails_and_ends_the_login(rad):
    card = rad.srv.sls_user("alice", "scc")
    state, msgs = challenge_of(rad, "alice")
    i, j = re.search(r"indexes (\d+) and (\d+)", msgs[0]).groups()
    right = card.cells[i] + card.cells[j]
    wrong = "%06d" % ((int(right) + 1) % 1000000)
    code, attrs = rad.radclient("alice", wrong, state)
    assert code == "Access-Reject", attrs
    assert messages(attrs)[0] == "Login failed" and "no spaces" in messages(attrs)[1], attrs
    # R9: single use, even with the right answer now.
    code, attrs = rad.radclient("alice", right, state)
    assert code == "Access-Reject" and messages(attrs)[0] == "Login failed", attrs
    assert rad.srv.lock_state("alice")["failures"] == 1


def test_lockout_over_radius_is_the_accounts(rad):
    rad.srv.sls_user("alice", "scc")
    for _ in range(10):
        code, attrs = rad.login("alice", "Wrong-passw0rd")
        assert code == "Access-Reject", attrs
    code, attrs = rad.login("alice", PASSWORD)
    assert code == "Access-Reject", attrs
    msgs = messages(attrs)
    assert msgs[0] == "Account locked after too many failed login attempts", msgs
    assert msgs[1] == "Please call the service desk" and msgs[2].startswith("Locked until "), msgs
    # The HTTP API sees the same lock.
    st, js, raw = rad.srv.login("alice")
    assert st == 403 and js["error"] == "locked", (st, raw)
    assert msgs[2] == "Locked until " + js["locked_until"], (msgs, js)
    assert rad.srv.lock_state("alice")["locked"] is True


def test_r12_platform_of_the_client(rad):
    # Approved after the cut-off: the portal at once, trading the next day.
    rad.srv.set_clock("2026-11-20T16:30:00Z")
    rad.srv.create_user("alice", sls=False)
    accepted(*rad.login("alice"))
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())],
                      secret=TRADING_SECRET)
    code, attrs = rad.exchange(pkt, source="127.0.0.2", secret=TRADING_SECRET)
    assert code == ACCESS_REJECT, attrs
    assert [v for t, v in attrs if t == REPLY_MESSAGE][0] == b"Trading access opens 2026-11-21"
    rad.srv.set_clock("2026-11-21T00:00:00Z")
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())],
                      secret=TRADING_SECRET)
    code, attrs = rad.exchange(pkt, source="127.0.0.2", secret=TRADING_SECRET)
    assert code == ACCESS_ACCEPT, attrs
    # Trading sessions last 24 h (R10).
    assert dict(attrs)[SESSION_TIMEOUT] == struct.pack("!I", 24 * 3600)


# ---- what is dropped, retransmitted or forged ----

def test_message_authenticator_required_and_checked(rad):
    rad.srv.create_user("alice", sls=False)
    attrs = [(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())]
    before = rad.metric("message_authenticator")
    assert rad.send(rad.request(attrs, ma="none"), timeout=1.5) is None
    assert rad.send(rad.request(attrs, ma="wrong"), timeout=1.5) is None
    # Made with another secret: the same.
    assert rad.send(rad.request(attrs, secret="not-the-secret-0000"), timeout=1.5) is None
    assert rad.metric("message_authenticator") == before + 3
    # The same request, well made, is answered.
    code, got = rad.exchange(rad.request(attrs))
    assert code == ACCESS_ACCEPT, got
    # Nothing of the dropped ones reached the login.
    assert [r["outcome"] for r in audit_via(rad, "alice", "login.success")] == ["ok"]


def test_unknown_client_address_dropped(rad):
    rad.srv.create_user("alice", sls=False)
    before = rad.metric("unknown_client")
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())])
    assert rad.send(pkt, source="127.0.0.3", timeout=1.5) is None
    assert rad.metric("unknown_client") == before + 1
    assert audit_via(rad, "alice", "login.success") == []


def test_malformed_packet_dropped(rad):
    before = rad.metric("malformed")
    pkt = bytearray(rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, b"x")]))
    pkt[21] = 200  # User-Name runs past the end
    assert rad.send(bytes(pkt), timeout=1.5) is None
    assert rad.send(b"\x01\x02\x00\x14", timeout=1.5) is None
    assert rad.metric("malformed") == before + 2


def test_retransmission_answered_with_the_same_bytes(rad):
    rad.srv.sls_user("alice", "scc")
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, b"Wrong-passw0rd")])
    a, b = rad.send_twice(pkt)
    assert a is not None and a == b
    assert rad.srv.lock_state("alice")["failures"] == 1  # run once, counted once
    # From another port it is another request (RFC 5080): run again.
    c = rad.send(pkt)
    assert c is not None and c[0] == ACCESS_REJECT
    assert rad.srv.lock_state("alice")["failures"] == 2
    # A challenge too: the same State, not a second login.
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())])
    a, b = rad.send_twice(pkt)
    assert a is not None and a == b and a[0] == ACCESS_CHALLENGE
    # Another Identifier is another request.
    pkt2 = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, PASSWORD.encode())],
                       ident=(pkt[1] + 1) % 256, auth=pkt[4:20])
    c = rad.send(pkt2)
    assert c is not None and c[0] == ACCESS_CHALLENGE and c != a


def test_forged_or_foreign_state_refused(rad):
    card = rad.srv.sls_user("alice", "scc")
    rad.srv.sls_user("bob", "scc")
    state, msgs = challenge_of(rad, "alice")
    i, j = re.search(r"indexes (\d+) and (\d+)", msgs[0]).groups()
    right = card.cells[i] + card.cells[j]
    forged = state[:-1] + (b"0" if state[-1:] != b"0" else b"1")
    code, attrs = rad.radclient("alice", right, forged)
    assert code == "Access-Reject" and messages(attrs)[0] == "Login failed", attrs
    # Made-up States, and one naming the login under another user name.
    for st in (b"S1" + b"0" * 64, b"x", state + b"0"):
        code, attrs = rad.radclient("alice", right, st)
        assert code == "Access-Reject", (st, attrs)
    code, attrs = rad.radclient("bob", right, state)
    assert code == "Access-Reject", attrs
    # The State of another client is not this client's.
    pkt = rad.request([(USER_NAME, b"alice"), (USER_PASSWORD, right.encode()), (STATE, state)],
                      secret=TRADING_SECRET)
    code, got = rad.exchange(pkt, source="127.0.0.2", secret=TRADING_SECRET)
    assert code == ACCESS_REJECT, got
    # None of that touched the login: the right answer still opens it.
    accepted(*rad.radclient("alice", right, state))


def test_passkey_only_user_gets_a_clear_reject(rad):
    # SPEC §10.5: RADIUS carries no WebAuthn ceremony.
    from test_passkeys import passkey_user
    card, token, auth, dev = passkey_user(rad.srv)
    st, js, raw = rad.srv.adm("POST", "/v1/admin/users/alice/identity-verifications",
                              {"channel": "phone"})
    assert st in (200, 201), (st, raw)
    st, js, raw = rad.srv.adm("POST", "/v1/admin/users/alice/devices/%s/lost" % card.id, {})
    assert st == 200, (st, raw)
    code, attrs = rad.login("alice")
    assert code == "Access-Reject", (code, attrs)
    assert any("passkey" in m for m in messages(attrs)), attrs
