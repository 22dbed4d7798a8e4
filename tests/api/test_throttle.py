"""SPEC §10.2 throttling and connection limits, driven as an attacker would.

Work that costs a password hash (stage 1, activation, password and e-mail
changes, sharing, reset completion) is admitted under [throttle]
per_ip_per_minute per client address and at most [throttle] hashing at once
with a short queue; past either the answer is 429 too_many_requests with
Retry-After, before any hashing, and it never counts toward R8. A self-service
password reset sends at most one message per user per [throttle]
reset_interval, answering the same 202. [http] trusted_proxies says whose
X-Forwarded-For names the client; [http] connections_per_ip caps the
connections one address holds open.

Requests come from other loopback addresses (127.0.0.2 and up: Linux routes
all of 127/8 to lo) so that each "client" has an address of its own.
"""

import http.client
import json
import re
import socket
import time


from client import PASSWORD, parallel, raw_exchange



def call_from(source, port, method, path, body=None, headers=None, timeout=30):
    """One request on a fresh connection from the loopback address `source`.
    Returns (status, JSON or None, response headers in lower case)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0))
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        rh = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
    finally:
        conn.close()
    try:
        js = json.loads(raw) if raw else None
    except ValueError:
        js = None
    return status, js, rh


def login_from(srv, source, password="Wrong1234", username="alice", headers=None):
    return call_from(source, srv.port, "POST", "/v1/login",
                     {"username": username, "password": password, "platform": "portal"},
                     headers=headers)


def assert_429(st, js, rh):
    assert st == 429, (st, js)
    assert js["error"] == "too_many_requests" and js["message"], js
    assert isinstance(js["retry_after"], int) and js["retry_after"] >= 1, js
    assert rh["retry-after"] == str(js["retry_after"]), rh
    return js["retry_after"]


def failures(srv, user="alice"):
    return srv.lock_state(user)["failures"]


def throttled(srv, reason):
    st, _, raw = srv.adm("GET", "/metrics")
    assert st == 200
    m = re.search(r'^sls_throttled_total\{reason="%s"\} (\d+)$' % reason, raw.decode(), re.M)
    assert m, raw
    return int(m.group(1))


def throttle_server(start_server, ini):
    return start_server(extra_ini=ini)


# ---- per client address ----

def test_per_ip_rate_429_before_hashing_and_never_counted(start_server):
    srv = throttle_server(start_server, "[throttle]\nper_ip_per_minute = 5\n")
    srv.sls_user("alice")
    for _ in range(5):
        st, js, _ = login_from(srv, "127.0.0.2")
        assert st == 401 and js["error"] == "invalid_credentials", (st, js)
    assert failures(srv) == 5
    # The sixth from the same address is refused before any hashing: not counted
    # toward R8, not even with the right password.
    wait = assert_429(*login_from(srv, "127.0.0.2"))
    assert_429(*login_from(srv, "127.0.0.2", password=PASSWORD))
    assert failures(srv) == 5
    assert throttled(srv, "per_ip") == 2
    # Another address still gets its own minute.
    st, js, _ = login_from(srv, "127.0.0.3")
    assert st == 401, (st, js)
    assert failures(srv) == 6
    # 5 a minute refill one every 12 s: after Retry-After the address may try again.
    assert wait <= 12
    srv.advance(wait)
    st, js, _ = login_from(srv, "127.0.0.2", password=PASSWORD)
    assert st == 200 and js["status"] == "second_factor", (st, js)
    assert_429(*login_from(srv, "127.0.0.2"))


def test_every_hashing_route_shares_the_address_budget(start_server):
    srv = throttle_server(start_server, "[throttle]\nper_ip_per_minute = 2\n")
    srv.sls_user("alice")
    for _ in range(2):
        assert login_from(srv, "127.0.0.4")[0] == 401
    calls = [
        ("POST", "/v1/login", {"username": "alice", "password": PASSWORD, "platform": "portal"}),
        ("POST", "/v1/ibkey/activation", {"username": "alice", "password": PASSWORD,
                                          "phone": {"country": "1", "number": "2125550100"}}),
        ("POST", "/v1/password-reset/complete", {"username": "alice", "code": "12345678",
                                                 "new_password": "Newpass123"}),
        ("POST", "/v1/me/password", {"current_password": PASSWORD, "new_password": "Newpass123"}),
        ("POST", "/v1/me/email", {"new_email": "a@example.com", "password": PASSWORD}),
        ("POST", "/v1/me/share-device", {"owner_username": "alice", "owner_password": PASSWORD}),
    ]
    for method, path, body in calls:
        assert_429(*call_from("127.0.0.4", srv.port, method, path, body))
    # Work that does not hash is not throttled.
    st, _, _ = call_from("127.0.0.4", srv.port, "GET", "/healthz")
    assert st == 200
    st, js, _ = call_from("127.0.0.4", srv.port, "POST", "/v1/password-reset",
                          {"username": "alice"})
    assert st == 202, (st, js)
    assert failures(srv) == 2


# ---- at most [throttle] hashing at once ----

def concurrent_logins(srv, n):
    """n stage-1 logins with a wrong password, each from its own address, released
    together. Returns the list of (status, JSON, headers)."""
    return parallel(n, lambda i: login_from(srv, "127.0.1.%d" % (i + 1)))


SLOW_HASH = "[security]\nargon2_ops = 3\nargon2_mem_kib = 32768\n"


def test_hashing_cap_without_queue_answers_429_and_counts_only_what_ran(start_server):
    srv = throttle_server(start_server, SLOW_HASH + "[throttle]\nhashing = 1\nhashing_queue = 0\n")
    srv.sls_user("alice")
    results = concurrent_logins(srv, 8)
    refused = [r for r in results if r[0] == 429]
    ran = [r for r in results if r[0] == 401]
    assert len(refused) + len(ran) == 8, [r[0] for r in results]
    assert refused and ran, [r[0] for r in results]
    for r in refused:
        assert assert_429(*r) == 1
    assert failures(srv) == len(ran)
    assert throttled(srv, "hashing") == len(refused)


def test_hashing_queue_lets_a_burst_wait_its_turn(start_server):
    srv = throttle_server(start_server, SLOW_HASH +
                          "[throttle]\nhashing = 1\nhashing_queue = 8\nqueue_wait = 30s\n")
    srv.sls_user("alice")
    results = concurrent_logins(srv, 6)
    assert [r[0] for r in results] == [401] * 6, [r[0] for r in results]
    assert failures(srv) == 6
    assert throttled(srv, "hashing") == 0


# ---- one address cannot hold every place ([throttle] hashing_per_ip) ----

def test_one_address_holds_its_share_and_another_is_answered(start_server):
    """Five stage-1 requests from one address released together with one from
    another address: the flood holds at most its one place (hashing_per_ip),
    so the other address is admitted and answered, whatever the order."""
    srv = throttle_server(start_server, SLOW_HASH + "[throttle]\nhashing = 1\n"
                          "hashing_queue = 1\nhashing_per_ip = 1\nqueue_wait = 30s\n")
    srv.sls_user("alice")
    srv.sls_user("bert")

    def one(i):
        if i == 0:
            return login_from(srv, "127.0.3.2", username="bert", password=PASSWORD)
        return login_from(srv, "127.0.3.1")

    results = parallel(6, one)
    st, js, _ = results[0]
    assert st == 200 and js["status"] == "second_factor", (st, js)
    flood = results[1:]
    ran = [r for r in flood if r[0] == 401]
    refused = [r for r in flood if r[0] == 429]
    assert len(ran) + len(refused) == 5, [r[0] for r in flood]
    assert ran and refused, [r[0] for r in flood]
    for r in refused:
        assert assert_429(*r) == 1
    assert throttled(srv, "hashing_per_ip") == len(refused)
    assert throttled(srv, "hashing") == 0
    assert failures(srv) == len(ran)


def test_per_address_cap_is_429_and_never_counts_toward_r8(start_server):
    """Rounds of concurrent wrong passwords from one address: what the cap
    refuses is not counted, so the user is not locked by them."""
    srv = throttle_server(start_server, SLOW_HASH + "[throttle]\nhashing = 4\n"
                          "hashing_queue = 4\nhashing_per_ip = 1\nqueue_wait = 30s\n")
    device = srv.sls_user("alice")
    ran = refused = 0
    for _ in range(3):
        results = parallel(8, lambda i: login_from(srv, "127.0.3.3"))
        for r in results:
            if r[0] == 429:
                assert_429(*r)
                refused += 1
            else:
                assert r[0] == 401 and r[1]["error"] == "invalid_credentials", r[:2]
                ran += 1
    assert ran + refused == 24 and refused > 0 and ran < 10, (ran, refused)
    assert failures(srv) == ran
    assert throttled(srv, "hashing_per_ip") == refused
    # Not locked: the right password still logs in, from that address too.
    assert srv.full_login("alice", device)["token"]
    st, js, _ = login_from(srv, "127.0.3.3", password=PASSWORD)
    assert st == 200 and js["status"] == "second_factor", (st, js)


def test_per_address_cap_follows_the_trusted_proxy(start_server):
    """Behind a trusted proxy the address is the one it names: two clients
    behind it each get their place, one client twice does not."""
    srv = throttle_server(start_server, SLOW_HASH + "[throttle]\nhashing = 1\n"
                          "hashing_queue = 4\nhashing_per_ip = 1\nqueue_wait = 30s\n"
                          "[http]\ntrusted_proxies = 127.0.0.1/32\n")
    srv.sls_user("alice")
    names = ["198.51.100.7", "198.51.100.8", "198.51.100.8", "198.51.100.8"]
    results = parallel(4, lambda i: login_from(srv, "127.0.0.1",
                                               headers={"X-Forwarded-For": names[i]}))
    assert results[0][0] == 401, results[0][:2]
    second = [r[0] for r in results[1:]]
    assert sorted(second)[0] == 401 and 429 in second, second
    assert throttled(srv, "hashing_per_ip") == second.count(429)


# ---- one reset message per user per interval ----

def reset_mails(srv):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=alice@example.com")
    assert st == 200, (st, raw)
    return [m for m in js if "reset code" in m["body"]]


def test_reset_request_sends_one_message_per_interval(srv):
    srv.sls_user("alice")
    answers = set()
    for _ in range(100):
        st, js, raw = srv.pub("POST", "/v1/password-reset", {"username": "alice"})
        assert st == 202, (st, raw)
        answers.add(raw)
    assert len(answers) == 1
    assert len(reset_mails(srv)) == 1
    srv.advance(5 * 60 - 1)
    assert srv.pub("POST", "/v1/password-reset", {"username": "alice"})[0] == 202
    assert len(reset_mails(srv)) == 1
    srv.advance(1)
    assert srv.pub("POST", "/v1/password-reset", {"username": "alice"})[0] == 202
    assert len(reset_mails(srv)) == 2
    too_soon = [r for r in srv.audit("?user=alice") if r["event"] == "password_reset.request"
                and r["outcome"] == "too_soon"]
    assert len(too_soon) == 100, too_soon[:3]
    assert throttled(srv, "reset_interval") == 100


def test_reset_interval_is_a_setting(start_server):
    srv = throttle_server(start_server, "[throttle]\nreset_interval = 30s\n")
    srv.sls_user("alice")
    srv.pub("POST", "/v1/password-reset", {"username": "alice"})
    srv.advance(29)
    srv.pub("POST", "/v1/password-reset", {"username": "alice"})
    assert len(reset_mails(srv)) == 1
    srv.advance(1)
    srv.pub("POST", "/v1/password-reset", {"username": "alice"})
    assert len(reset_mails(srv)) == 2


# ---- whose X-Forwarded-For counts ----

def test_trusted_proxy_names_the_client_and_forgeries_do_not(start_server):
    srv = throttle_server(start_server, "[throttle]\nper_ip_per_minute = 2\n"
                                        "[http]\ntrusted_proxies = 127.0.0.1/32, ::1\n")
    srv.sls_user("alice")
    via = {"X-Forwarded-For": "198.51.100.7"}
    for _ in range(2):
        assert login_from(srv, "127.0.0.1", headers=via)[0] == 401
    assert_429(*login_from(srv, "127.0.0.1", headers=via))
    # Another client behind the same proxy has its own budget.
    assert login_from(srv, "127.0.0.1", headers={"X-Forwarded-For": "198.51.100.8"})[0] == 401
    # A client that is not a trusted proxy cannot choose its address by the header.
    for i in range(2):
        fake = {"X-Forwarded-For": "203.0.113.%d" % (i + 1)}
        assert login_from(srv, "127.0.0.5", headers=fake)[0] == 401
    assert_429(*login_from(srv, "127.0.0.5", headers={"X-Forwarded-For": "203.0.113.99"}))
    # A forged entry to the left of the proxy's own is ignored as well.
    forged = {"X-Forwarded-For": "203.0.113.50, 198.51.100.7"}
    assert_429(*login_from(srv, "127.0.0.1", headers=forged))
    # ... also when it comes as a header line of its own: a proxy that adds its
    # line (HAProxy's option forwardfor) leaves the client's in front of it.
    # The lines are one list (RFC 9110 5.3), read from the right.
    body = json.dumps({"username": "alice", "password": "Wrong1234",
                       "platform": "portal"}).encode()
    head = ("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nX-Forwarded-For: 203.0.113.51\r\n"
            "X-Forwarded-For: 198.51.100.7\r\nConnection: close\r\n\r\n" % len(body))
    st, js, raw = raw_exchange(srv.port, head.encode(), body)
    assert st == 429, (st, raw)


# ---- connections ----

def open_idle(source, port, n):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks


def refused_or_closed(source, port):
    """True when a connection from source is refused, reset or closed without an answer."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(100)
        s.close()
        return data == b""
    except OSError:
        return True


def test_connections_per_ip_cap_leaves_others_and_the_admin_port_alone(start_server):
    srv = throttle_server(start_server, "[http]\nconnections_per_ip = 8\n")
    device = srv.sls_user("alice")
    socks = open_idle("127.0.0.6", srv.port, 8)
    try:
        time.sleep(0.2)
        assert refused_or_closed("127.0.0.6", srv.port)
        st, _, _ = call_from("127.0.0.7", srv.port, "GET", "/healthz")
        assert st == 200
        assert srv.full_login("alice", device)["token"]
        assert srv.user_view("alice")["username"] == "alice"
    finally:
        for s in socks:
            s.close()
    time.sleep(0.2)
    st, _, _ = call_from("127.0.0.6", srv.port, "GET", "/healthz")
    assert st == 200


def test_slow_connections_from_many_addresses_do_not_stop_a_login(start_server):
    """A few hundred byte-at-a-time connections from other loopback addresses
    (bounded: 5 addresses x 50, a few seconds); the admin port and a legitimate
    login from 127.0.0.1 keep answering."""
    srv = throttle_server(start_server, "")
    device = srv.sls_user("alice")
    socks = []
    try:
        for a in range(5):
            socks += open_idle("127.0.2.%d" % (a + 1), srv.port, 50)
        for s in socks:
            s.sendall(b"P")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            for s in socks:
                try:
                    s.sendall(b"O")
                except OSError:
                    pass
            t0 = time.monotonic()
            assert srv.full_login("alice", device)["token"]
            assert time.monotonic() - t0 < 5
            assert srv.adm("GET", "/healthz", token=None)[0] == 200
            assert srv.user_view("alice")["username"] == "alice"
            time.sleep(0.3)
        # Past connections_per_ip (64) one address is refused, the others are not.
        more = open_idle("127.0.2.1", srv.port, 14)
        socks += more
        time.sleep(0.2)
        assert refused_or_closed("127.0.2.1", srv.port)
    finally:
        for s in socks:
            s.close()
