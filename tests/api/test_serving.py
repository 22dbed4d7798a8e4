"""SPEC §10.2 serving under hostile load, driven as an attacker would.

The public listener is event-driven: idle or byte-at-a-time connections cost
a descriptor and a little memory, not a thread; a complete request is run by
one of [http] workers threads, and when they are all busy and [http]
worker_queue requests already wait, the answer is 503 too_busy with
Retry-After at once. A connection that has not sent its whole request head
within [http] header_timeout of its accept is closed however slowly it keeps
sending. The admin listener has its own daemon and threads.

Attackers come from other loopback addresses (127.0.3.x and up: Linux routes
all of 127/8 to lo); the legitimate client is 127.0.0.1.
"""

import re
import resource
import select
import signal
import socket
import threading
import time

from client import parallel
from test_throttle import SLOW_HASH, call_from, login_from, throttled


def open_idle(source, port, n):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks


def threads_of(srv):
    with open("/proc/%d/status" % srv.proc.pid) as f:
        return int(re.search(r"^Threads:\s+(\d+)$", f.read(), re.M).group(1))


def closed_by_peer(s, wait):
    """True when the server closed s (end of stream or reset) within wait seconds."""
    r, _, _ = select.select([s], [], [], wait)
    if not r:
        return False
    try:
        return s.recv(4096) == b""
    except OSError:
        return True


def test_answers_do_not_wait_for_the_event_loop(srv):
    """A request run by a worker is answered as soon as it is done: the
    worker wakes the event loop (otherwise each answer would wait for the
    loop's next tick, 0.2 s)."""
    t0 = time.monotonic()
    for _ in range(20):
        assert srv.pub("GET", "/healthz")[0] == 200
    for _ in range(10):
        st, js, _ = srv.pub("POST", "/v1/login/no-such-login/response", {"response": "1"})
        assert st in (400, 401, 404), (st, js)
    assert time.monotonic() - t0 < 1.5


def test_two_thousand_idle_connections_cost_no_thread_and_stop_no_login(start_server):
    """2,000 idle connections (34 addresses, at most 59 each, under
    connections_per_ip 64) while 127.0.0.1 logs in, both stages, and the
    admin port answers; each login stays under 2 s and slsd keeps a handful of
    threads (a thread per connection would be 2,000)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2400:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    srv = start_server()
    device = srv.sls_user("alice")
    socks = []
    try:
        for a in range(34):
            socks += open_idle("127.0.3.%d" % (a + 1), srv.port, 59)
        assert len(socks) >= 2000
        time.sleep(0.5)
        assert threads_of(srv) < 100
        for _ in range(4):
            t0 = time.monotonic()
            assert srv.full_login("alice", device)["token"]
            assert time.monotonic() - t0 < 2
            t0 = time.monotonic()
            assert srv.adm("GET", "/healthz", token=None)[0] == 200
            assert time.monotonic() - t0 < 2
        # The idle connections are still open (nothing closed them to make room).
        assert not any(closed_by_peer(s, 0) for s in socks[:50])
    finally:
        for s in socks:
            s.close()


def test_trickled_request_head_is_cut_at_the_header_deadline(start_server):
    """A byte every 0.2 s never lets the idle timeout (30 s) fire; the header
    deadline (2 s here) closes it anyway, while a slow client that completes
    its head within the deadline is served."""
    srv = start_server(extra_ini="[http]\nheader_timeout = 2s\n")
    before = throttled(srv, "header_deadline")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.4.1", 0))
    s.connect(("127.0.0.1", srv.port))
    t0 = time.monotonic()
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 1000
    closed_at = None
    try:
        for i in range(len(head)):
            try:
                s.sendall(head[i:i + 1])
            except OSError:
                closed_at = time.monotonic() - t0
                break
            if closed_by_peer(s, 0.2):
                closed_at = time.monotonic() - t0
                break
            if time.monotonic() - t0 > 8:
                break
    finally:
        s.close()
    assert closed_at is not None, "the trickling connection was never closed"
    assert 1.5 <= closed_at <= 4, closed_at
    assert throttled(srv, "header_deadline") == before + 1

    # A slow but honest client: its head in pieces over about 1 s.
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.4.2", 0))
    s.connect(("127.0.0.1", srv.port))
    try:
        for piece in (b"GET /hea", b"lthz HTTP/1.1\r\n", b"Host: x\r\n", b"Connection: close\r\n",
                      b"\r\n"):
            s.sendall(piece)
            time.sleep(0.2)
        s.settimeout(5)
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
    assert throttled(srv, "header_deadline") == before + 1


def test_kept_alive_connection_owes_each_head_in_time(start_server):
    """The deadline starts again after each answer: a kept-alive connection
    that then trickles its second request is cut too."""
    srv = start_server(extra_ini="[http]\nheader_timeout = 2s\n")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.4.3", 0))
    s.connect(("127.0.0.1", srv.port))
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        assert s.recv(4096).startswith(b"HTTP/1.1 200")
        t0 = time.monotonic()
        closed_at = None
        for b in b"GET /healthz HTTP/1.1\r\nX-Pad: " + b"a" * 100:
            try:
                s.sendall(bytes([b]))
            except OSError:
                closed_at = time.monotonic() - t0
                break
            if closed_by_peer(s, 0.2):
                closed_at = time.monotonic() - t0
                break
        assert closed_at is not None and 1.5 <= closed_at <= 4, closed_at
    finally:
        s.close()


def test_stage_one_flood_gets_the_429s_and_the_real_client_logs_in(start_server):
    """64 concurrent stage-1 requests from 8 other addresses, for about 3 s,
    while 127.0.0.1 logs in (both stages) several times: every one of its
    logins succeeds; the flood's requests past their budget are 429."""
    srv = start_server(extra_ini="[throttle]\nper_ip_per_minute = 5\nhashing = 4\n"
                                 "hashing_queue = 4\n")
    device = srv.sls_user("alice")
    stop = threading.Event()
    statuses = []
    lock = threading.Lock()

    def flood(i):
        source = "127.0.5.%d" % (i % 8 + 1)
        while not stop.is_set():
            st, _, _ = login_from(srv, source, username="mallory%d" % i)
            with lock:
                statuses.append(st)

    threads = [threading.Thread(target=flood, args=(i,)) for i in range(64)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        for _ in range(4):
            t0 = time.monotonic()
            assert srv.full_login("alice", device)["token"]
            assert time.monotonic() - t0 < 2
    finally:
        time.sleep(max(0.0, 3 - 0.3))
        stop.set()
        for t in threads:
            t.join(30)
    assert statuses.count(429) > 0, set(statuses)
    assert set(statuses) <= {401, 429, 503}, set(statuses)
    # 8 addresses with 5 tokens each: at most 40 of the flood ever hashed.
    assert statuses.count(401) <= 40, statuses.count(401)


FULL_POOL = SLOW_HASH.replace("argon2_ops = 3", "argon2_ops = 6") + \
    "[throttle]\nhashing = 4\nhashing_queue = 4\n[http]\nworkers = 1\nworker_queue = 1\n"


def test_full_worker_queue_answers_503_with_retry_after_at_once(start_server):
    """One worker and room for one waiting request: of 6 slow logins sent
    together, one runs, one waits and the others are answered 503 too_busy
    with Retry-After at once, counted in sls_throttled_total{reason="workers"};
    the admin port answers all along."""
    srv = start_server(extra_ini=FULL_POOL)
    srv.sls_user("alice")
    before = throttled(srv, "workers")

    def one(i):
        t0 = time.monotonic()
        r = login_from(srv, "127.0.6.%d" % (i + 1))
        return r + (time.monotonic() - t0,)

    results = parallel(6, one)
    codes = sorted(r[0] for r in results)
    busy = [r for r in results if r[0] == 503]
    assert len(busy) >= 3 and codes.count(401) >= 1, codes
    assert set(codes) <= {401, 503}, codes
    slowest_hash = max(r[3] for r in results if r[0] == 401)
    for st, js, rh, secs in busy:
        assert js["error"] == "too_busy" and js["message"], js
        assert js["retry_after"] == 1 and rh["retry-after"] == "1", (js, rh)
        assert secs < slowest_hash, (secs, slowest_hash)
    assert throttled(srv, "workers") == before + len(busy)
    assert srv.adm("GET", "/healthz", token=None)[0] == 200
    # Refused requests changed nothing: only those that ran count as failures.
    assert srv.lock_state("alice")["failures"] == codes.count(401)


def test_sigterm_with_requests_queued_and_running_exits_cleanly(start_server):
    """SIGTERM while a worker hashes, a request waits for it and idle and
    half-sent connections are open: slsd finishes the requests it holds, closes
    the rest and exits 0 (the fixture fails the test otherwise)."""
    srv = start_server(extra_ini=FULL_POOL.replace("worker_queue = 1", "worker_queue = 4"))
    srv.sls_user("alice")
    idle = open_idle("127.0.7.1", srv.port, 20)
    idle[0].sendall(b"GET /heal")
    results = []

    def one(i):
        try:
            results.append(login_from(srv, "127.0.7.%d" % (i + 2))[0])
        except OSError:
            results.append("closed")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    srv.restart()  # SIGTERM; asserts exit status 0, then starts again on the same store
    for t in threads:
        t.join(15)
    for s in idle:
        s.close()
    assert len(results) == 3, results
    assert srv.adm("GET", "/healthz", token=None)[0] == 200


def test_hashing_refusals_come_at_once_without_a_worker(start_server):
    """[throttle] hashing + hashing_queue bounds the hashing requests let in
    (queued for a worker or running); the rest are answered 429 by the event
    loop at once, sooner than any admitted request, and never wait in the
    worker queue (SPEC §10.2)."""
    srv = start_server(extra_ini=SLOW_HASH.replace("argon2_ops = 3", "argon2_ops = 6") +
                       "[throttle]\nhashing = 1\nhashing_queue = 1\nqueue_wait = 30s\n"
                       "[http]\nworkers = 1\nworker_queue = 64\n")
    srv.sls_user("alice")
    before = throttled(srv, "hashing")

    def one(i):
        t0 = time.monotonic()
        r = login_from(srv, "127.0.8.%d" % (i + 1))
        return r + (time.monotonic() - t0,)

    results = parallel(8, one)
    codes = sorted(r[0] for r in results)
    assert codes == [401, 401] + [429] * 6, codes
    fastest_hash = min(r[3] for r in results if r[0] == 401)
    for st, js, rh, secs in results:
        if st == 429:
            assert js["error"] == "too_many_requests" and rh["retry-after"] == "1", js
            assert secs < fastest_hash, (secs, fastest_hash)
    assert throttled(srv, "hashing") == before + 6
    assert throttled(srv, "workers") == 0
