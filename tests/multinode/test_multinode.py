"""Three slsd nodes on one store behind HAProxy (SPEC §10.1): every rule holds
across nodes as on one, background work is done once, a node killed under load
loses no acknowledged write, and the proxy takes a stopped node out while logins
keep succeeding.

The store is $SLS_MULTINODE_STORE (a store URL; it must be new and empty, as the
nodes make it theirs with a fresh master key), by default a fresh SQLite file,
or with SLS_TEST_STORE=pg a new database on the run's PostgreSQL cluster
(tests/pg/with_cluster.sh); there a last test restarts the cluster under load.
Races are repeated $SLS_MULTINODE_TRIALS times (default 200, as the issue
asks: about a minute on SQLite on a two-core machine; lower it on a slower one). The nodes run --dev (a shared clock and dev outbox) with the API tests'
cheap password hashing; HAProxy runs deploy/haproxy.cfg as shipped. Figures are
printed (run pytest with -s to see them)."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "api"))

from client import PASSWORD, PHONE, Server, parallel, request  # noqa: E402
import pgstore  # noqa: E402
from conftest import BASE_TIME, STORE_KIND, ServerProcess, free_port  # noqa: E402
from money import USD, limits, outside_user, withdraw  # noqa: E402
from test_dsc_plus import DAY, mails, order_ok, rich_user, ship  # noqa: E402
from test_ibkey import App, ibkey_user, poll, push_login  # noqa: E402

NODES = 3
TRIALS = int(os.environ.get("SLS_MULTINODE_TRIALS", "200"))
# Failures of logins through the proxy while one node stops (SIGTERM, not taken
# out of the proxy first): requests the stopping node had already taken, or sent
# on a kept-alive connection it was closing, answer 502 (HAProxy never sends a
# request twice once a node may have it). Four login loops with two requests
# each: at most one of each per loop, and none once the node is marked down.
LOGIN_LOOPS = 4
SWITCH_FAILURES_MAX = 2 * LOGIN_LOOPS

FIGURES = []


def figure(text):
    FIGURES.append(text)
    print("multinode: " + text)


class Cluster:
    def __init__(self, root):
        self.root = str(root)
        self.own_db = None
        self.store = os.environ.get("SLS_MULTINODE_STORE")
        if not self.store and STORE_KIND == "pg":
            self.own_db = pgstore.create_database()
            self.store = pgstore.database_url(self.own_db)
        if not self.store:
            self.store = "sqlite:" + os.path.join(self.root, "sls.db")
        self.key = os.path.join(self.root, "sls.key")
        self.procs = []
        self.nodes = []
        self.haproxy = None
        self.lb = None

    def ini(self):
        return ("[server]\nkey_file = %s\n[http]\ntrusted_proxies = 127.0.0.1\n" % self.key)

    def start(self):
        for i in range(NODES):
            workdir = os.path.join(self.root, "node%d" % (i + 1))
            os.mkdir(workdir)
            p = ServerProcess(workdir, dev=True, extra_ini=self.ini(), store=self.store)
            self.procs.append(p)
            self.nodes.append(p.start())
        self.nodes[0].set_clock(BASE_TIME)
        self.start_haproxy()

    def start_haproxy(self):
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not os.path.exists(haproxy):
            pytest.fail("haproxy not found (scripts/deps.sh --test installs it)")
        port = free_port()
        env = dict(os.environ, SLS_LB_BIND="127.0.0.1:%d" % port)
        for i, n in enumerate(self.nodes):
            env["SLS_NODE%d" % (i + 1)] = "127.0.0.1:%d" % n.port
        log = open(os.path.join(self.root, "haproxy.log"), "ab")
        self.haproxy = subprocess.Popen(
            [haproxy, "-db", "-f", os.path.join(REPO, "deploy", "haproxy.cfg")],
            env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        n0 = self.nodes[0]
        self.lb = Server(port, n0.admin_port, n0.admin_token, self.haproxy, self.root,
                         os.path.join(self.root, "haproxy.log"))
        end = time.monotonic() + 10
        while time.monotonic() < end:
            assert self.haproxy.poll() is None, "haproxy exited: see haproxy.log"
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail("haproxy did not answer within 10 s")

    def stop(self):
        if self.haproxy is not None and self.haproxy.poll() is None:
            self.haproxy.terminate()
            self.haproxy.wait(10)
        problems = [m for m in (p.stop() for p in self.procs) if m]
        if self.own_db is not None:
            pgstore.drop_database(self.own_db)
        return problems


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    t0 = time.monotonic()
    c = Cluster(tmp_path_factory.mktemp("multinode"))
    c.start()
    figure("3 nodes and HAProxy on store %s, %d trials per race" % (c.store, TRIALS))
    yield c
    problems = c.stop()
    figure("suite took %.1f s" % (time.monotonic() - t0))
    print("multinode: " + " | ".join(FIGURES))
    if problems:
        pytest.fail("; ".join(problems))


def on(nodes, i):
    return nodes[i % len(nodes)]


# ---- rules across nodes ----

def test_wrong_passwords_round_robin_lock_with_no_count_lost(cluster):
    nodes = cluster.nodes
    t0 = time.monotonic()
    for trial in range(TRIALS):
        user = "lock%d" % trial
        nodes[trial % NODES].sls_user(user)
        body = {"username": user, "password": "Wrong1234", "platform": "portal"}
        res = parallel(10, lambda i: request(on(nodes, i).port, "POST", "/v1/login", body)[:3])
        statuses = sorted(st for st, _, _ in res)
        assert statuses == [401] * 9 + [403], (trial, [(st, raw) for st, _, raw in res])
        lock = nodes[(trial + 1) % NODES].lock_state(user)
        assert lock["failures"] == 10 and lock["locked"] is True, (trial, lock)
    figure("R8: %d trials x 10 wrong passwords over 3 nodes: all locked at exactly 10 "
           "(%.1f s)" % (TRIALS, time.monotonic() - t0))


def test_one_response_to_all_nodes_opens_one_session(cluster):
    nodes = cluster.nodes
    t0 = time.monotonic()
    for trial in range(TRIALS):
        user = "once%d" % trial
        dev = nodes[trial % NODES].sls_user(user)
        st, js, raw = nodes[(trial + 1) % NODES].login(user)
        assert st == 200, (st, raw)
        path = "/v1/login/%s/response" % js["login_id"]
        body = {"response": dev.answer(js["challenge"])}
        res = parallel(2 * NODES, lambda i: request(on(nodes, i).port, "POST", path, body)[:3])
        ok = [r for r in res if r[0] == 200]
        assert len(ok) == 1, (trial, [(st, raw) for st, _, raw in res])
        assert all(st == 401 for st, _, _ in res if st != 200), res
    figure("R9: %d trials x %d answers at once over 3 nodes: one session each (%.1f s)"
           % (TRIALS, 2 * NODES, time.monotonic() - t0))


def test_racing_withdrawals_never_pass_the_limit(cluster):
    nodes = cluster.nodes
    t0 = time.monotonic()
    amount = 20000 * USD  # the day's limit outside SLS is 50,000: two fit, three do not
    for trial in range(TRIALS):
        token = outside_user(nodes[trial % NODES], "cash%d" % trial)
        res = parallel(NODES, lambda i: withdraw(nodes[i], token, amount)[0])
        assert sorted(res) == [201, 201, 403], (trial, res)
        used = limits(nodes[(trial + 2) % NODES], token)["used_today_cents"]
        assert used == 2 * amount, (trial, used)
    figure("R33: %d trials x 3 withdrawals at once: never past the limit (%.1f s)"
           % (TRIALS, time.monotonic() - t0))


def test_push_approved_on_one_node_is_seen_by_a_poll_on_another(cluster):
    a, b, c = cluster.nodes
    app = ibkey_user(a, "pushy")
    js = push_login(a, "pushy")
    # The app talks to node B; the number is the one node A showed the user.
    app.srv = b
    b.push_numbers.update(a.push_numbers)
    st, pending, raw = app.pending()
    assert st == 200, (st, raw)
    push = [p for p in pending if p["push_id"] == js["challenge"]["push_id"]][0]
    st, _, raw = app.decide(push)
    assert st == 200, (st, raw)
    st, got, raw = poll(c, js["login_id"])
    assert st == 200 and got["status"] == "authenticated", (st, raw)
    figure("push: approved through node 2, authenticated on a poll of node 3")


def test_dsc_plus_notice_sent_once_with_three_schedulers(cluster):
    a, b, c = cluster.nodes
    dev, token, account = rich_user(a, "carded")
    placed = order_ok(b, token, account)
    t0 = c.now()
    ship(c, "carded", placed["order_id"])
    a.set_clock(t0 + 18 * DAY)
    end = time.monotonic() + 10
    while not mails(b, "carded") and time.monotonic() < end:
        time.sleep(0.1)
    time.sleep(3.5)  # three more passes of each scheduler
    got = mails(c, "carded")
    assert len(got) == 1 and "in 3 days" in got[0]["body"], got
    a.set_clock(t0)
    figure("DSC+: first notice sent once by three schedulers")


# ---- failures ----

def test_kill_9_under_load_loses_no_acknowledged_write(cluster):
    nodes = cluster.nodes
    victim = 2
    acked, failed = [], []
    lock = threading.Lock()
    stop = threading.Event()
    after_kill = {"ok": 0}
    killed = threading.Event()

    def writer(w):
        i = 0
        while not stop.is_set():
            user = "load%dx%d" % (w, i)
            node = nodes[(w + i) % NODES]
            try:
                st, _, _ = node.adm("POST", "/v1/admin/users",
                                    {"username": user, "password": PASSWORD,
                                     "email": "%s@example.com" % user,
                                     "phones": [dict(PHONE)]})
            except OSError:
                st = None
            with lock:
                if st == 201:
                    acked.append(user)
                    if killed.is_set():
                        after_kill["ok"] += 1
                else:
                    failed.append((user, st))
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    nodes[victim].proc.send_signal(signal.SIGKILL)
    nodes[victim].proc.wait(10)
    killed.set()
    time.sleep(2.0)
    stop.set()
    for t in threads:
        t.join(30)
    assert after_kill["ok"] > 0, ("the other nodes stopped serving", len(acked), failed[-5:])
    # Every acknowledged user is there, read through a surviving node.
    missing = [u for u in acked
               if nodes[0].adm("GET", "/v1/admin/users/%s" % u)[0] != 200]
    assert missing == [], missing
    # Only requests to the killed node failed.
    assert all(st is None or st >= 500 for _, st in failed), failed
    cluster.procs[victim].start()  # back for the next test, on the same store
    assert nodes[victim].adm("GET", "/v1/admin/users/%s" % acked[-1])[0] == 200
    figure("kill -9 of node 3 under load: %d writes acknowledged (%d after the kill), none "
           "lost; %d refused by the dead node" % (len(acked), after_kill["ok"], len(failed)))


def test_proxy_takes_a_stopped_node_out_and_logins_go_on(cluster):
    lb = cluster.lb
    victim = 1
    users = ["viaproxy%d" % i for i in range(LOGIN_LOOPS)]
    devs = {u: cluster.nodes[0].sls_user(u) for u in users}
    ok, bad = [0], []
    lock = threading.Lock()
    stop = threading.Event()
    stopped_at = [None]

    def one_login(u):
        st, js, raw = lb.login(u)
        if st != 200:
            return "stage 1: %s %s" % (st, raw[:80])
        st, js2, raw = lb.respond(js["login_id"], devs[u].answer(js["challenge"]))
        if st != 200 or js2.get("status") != "authenticated":
            return "stage 2: %s %s" % (st, raw[:80])
        return None

    def loop(u):
        while not stop.is_set():
            try:
                why = one_login(u)
            except OSError as e:
                why = "connection: %s" % e
            with lock:
                if why is None:
                    ok[0] += 1
                else:
                    bad.append((time.monotonic(), why))

    threads = [threading.Thread(target=loop, args=(u,)) for u in users]
    for t in threads:
        t.start()
    time.sleep(2.0)
    before = ok[0]
    node = cluster.nodes[victim]
    node.proc.send_signal(signal.SIGTERM)
    stopped_at[0] = time.monotonic()
    assert node.proc.wait(15) == 0
    time.sleep(4.0)  # past HAProxy's two failed checks (1 s apart)
    late_from = time.monotonic() - 1.0
    with lock:
        n_late = ok[0]
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(30)
    late_ok = ok[0] - n_late
    failures = [why for _, why in bad]
    late_failures = [why for at, why in bad if at >= late_from]
    figure("HAProxy: %d logins before the stop, %d in all, %d failed during the switch "
           "(bound %d: %s), %d in the last second"
           % (before, ok[0], len(failures), SWITCH_FAILURES_MAX,
              "; ".join(sorted(set(w[:40] for w in failures))) or "none", late_ok))
    assert len(failures) <= SWITCH_FAILURES_MAX, failures
    assert late_failures == [], late_failures
    assert late_ok > 0
    cluster.procs[victim].start()


# ---- PostgreSQL restarted under load (PostgreSQL only) ----

def test_postgresql_restart_under_load_loses_no_acknowledged_write(cluster):
    """Withdrawals and wrong passwords through HAProxy from load threads while
    the cluster restarts (pg_ctl restart -m fast): 503 store_unavailable during
    the outage, the nodes serve again without a restart of slsd, and every
    acknowledged write is in the store afterwards."""
    if STORE_KIND != "pg":
        pytest.skip("PostgreSQL only (SLS_TEST_STORE=pg)")
    lb = cluster.lb
    amount = 1 * USD
    tokens = [outside_user(cluster.nodes[w % NODES], "pgload%d" % w) for w in range(3)]
    lock = threading.Lock()
    stop = threading.Event()
    acked_withdrawals = [0] * len(tokens)
    acked_failures = {}  # user -> wrong passwords answered 401
    unknown = {}  # user or token index -> answers that were neither 2xx/401 nor 503
    unavailable = [0]
    other = []
    last_503 = [None]
    restarted = [None]

    def note_503():
        unavailable[0] += 1
        last_503[0] = time.monotonic()

    def withdrawer(w):
        while not stop.is_set():
            try:
                st, js, raw = withdraw(lb, tokens[w], amount)
            except OSError as e:
                st, js, raw = None, None, str(e)
            with lock:
                if st == 201:
                    acked_withdrawals[w] += 1
                elif st == 503 and js and js.get("error") == "store_unavailable":
                    note_503()
                    unknown[w] = unknown.get(w, 0) + 1
                else:
                    other.append(("withdrawal", st, raw[:120] if raw else raw))
                    unknown[w] = unknown.get(w, 0) + 1

    def guesser(g):
        n = 0
        user = None
        while not stop.is_set():
            if user is None or acked_failures[user] + unknown.get(user, 0) >= 5:
                name = "pgguess%dx%d" % (g, n)
                try:
                    st = cluster.nodes[n % NODES].adm(
                        "POST", "/v1/admin/users", {"username": name, "password": PASSWORD,
                                                    "email": name + "@example.com",
                                                    "phones": [dict(PHONE)]})[0]
                except OSError:
                    st = None
                if st not in (201, 409):  # 409: made by an answer lost in the outage
                    time.sleep(0.05)
                    continue
                user = name
                n += 1
                with lock:
                    acked_failures[user] = 0
            try:
                st, js, raw = lb.login(user, password="Wrong1234")
            except OSError as e:
                st, js, raw = None, None, str(e)
            with lock:
                if st == 401:
                    acked_failures[user] += 1
                elif st == 503 and js and js.get("error") == "store_unavailable":
                    note_503()
                    unknown[user] = unknown.get(user, 0) + 1
                else:
                    other.append(("login", st, raw[:120] if raw else raw))
                    unknown[user] = unknown.get(user, 0) + 1

    probe = outside_user(cluster.nodes[0], "pgprobe")
    threads = [threading.Thread(target=withdrawer, args=(w,)) for w in range(len(tokens))]
    threads += [threading.Thread(target=guesser, args=(g,)) for g in range(2)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    before = sum(acked_withdrawals)
    t0 = time.monotonic()
    pgstore.cluster("restart")
    restarted[0] = time.monotonic()
    # Serving again: a withdrawal through the proxy succeeds.
    recovered = None
    end = time.monotonic() + 30
    while time.monotonic() < end:
        st = withdraw(lb, probe, amount)[0]
        if st == 201:
            recovered = time.monotonic()
            break
        time.sleep(0.05)
    time.sleep(2.0)
    stop.set()
    for t in threads:
        t.join(30)
    assert recovered is not None, ("no withdrawal succeeded within 30 s of the restart",
                                   other[-5:])
    after = sum(acked_withdrawals) - before
    assert after > 0, "the load got no write through after the restart"
    # Nothing acknowledged is lost: each user's used limit covers every 201 (and
    # at most also the writes whose answer was lost in the outage).
    for w, token in enumerate(tokens):
        used = limits(cluster.nodes[(w + 1) % NODES], token)["used_today_cents"]
        assert acked_withdrawals[w] * amount <= used <= \
            (acked_withdrawals[w] + unknown.get(w, 0)) * amount, (w, used, acked_withdrawals[w])
    for user, n in acked_failures.items():
        failures = cluster.nodes[1].lock_state(user)["failures"]
        assert n <= failures <= n + unknown.get(user, 0), (user, failures, n)
    # Only the outage's answers failed, and they said so.
    assert other == [] or all(st in (502, None) for _, st, _ in other), other[:10]
    figure("PostgreSQL restart under load: %d withdrawals and %d wrong passwords acknowledged "
           "(%d withdrawals after the restart), none lost; %d answers 503 store_unavailable, "
           "%d others; restart took %.1f s, serving again %.1f s after it began"
           % (sum(acked_withdrawals), sum(acked_failures.values()), after, unavailable[0],
              len(other), restarted[0] - t0, recovered - t0))

