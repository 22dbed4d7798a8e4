"""The failure paths of the store: what slsd does when the store file is not one it
should touch (empty, another program's database, damaged), when the store cannot
write (a full disk, here the [store] max_size cap reached, which SQLite answers as
it answers a full disk), and when a session lookup meets a damaged page. Each
failure answers 503 store_unavailable with Retry-After, is logged once with
SQLite's own message and the operation, and /healthz says so."""

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter

import pytest

import pgstore
from client import PASSWORD, env_paths, request
from conftest import TEST_INI, free_port

PATHS = env_paths()


def run_slsd(workdir, store, *extra):
    """Starts slsd on `store`: returns (True, stderr) when it came up to serving (it is
    then stopped with SIGTERM), (False, stderr) when it exited by itself."""
    ini = os.path.join(workdir, "sls.ini")
    with open(ini, "w") as f:
        f.write(TEST_INI)
    env = dict(os.environ)
    env["SLS_ADMIN_TOKEN"] = "t" * 64
    errpath = os.path.join(workdir, "run.stderr")
    argv = [os.path.abspath(PATHS["slsd"]), "--dev", "--config", ini, "--listen", "127.0.0.1:%d" % free_port(),
            "--admin-listen", "127.0.0.1:%d" % free_port(), "--store", "sqlite:" + store]
    with open(errpath, "wb") as err:
        p = subprocess.Popen(argv + list(extra), cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 20
    served = False
    while time.monotonic() < deadline and p.poll() is None:
        with open(errpath, "rb") as f:
            if b"serving the public API" in f.read():
                served = True
                break
        time.sleep(0.05)
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        assert p.wait(15) == 0
    else:
        assert p.returncode != 0
    with open(errpath, "rb") as f:
        return served, f.read().decode("utf-8", "replace")


def tables(path):
    h = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in h.execute("SELECT name FROM sqlite_schema WHERE type='table'"))
    finally:
        h.close()


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_empty_file_is_refused_unless_init_store(tmp_path):
    store = str(tmp_path / "empty.db")
    open(store, "wb").close()
    served, err = run_slsd(str(tmp_path), store)
    assert not served, err
    assert "cannot open store" in err and "empty (0 bytes)" in err and "--init-store" in err, err
    assert os.path.getsize(store) == 0  # left as it was

    # With --init-store, the empty file becomes a store.
    served, err = run_slsd(str(tmp_path), store, "--init-store")
    assert served, err
    assert "meta" in tables(store) and "users" in tables(store)
    # A store made that way is an sls store: the next start needs no flag.
    served, err = run_slsd(str(tmp_path), store)
    assert served, err


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_foreign_database_is_refused_even_with_init_store(tmp_path):
    store = str(tmp_path / "other.db")
    h = sqlite3.connect(store)
    h.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount INTEGER)")
    h.execute("INSERT INTO invoices(amount) VALUES (42)")
    h.commit()
    h.close()
    for extra in ([], ["--init-store"]):
        served, err = run_slsd(str(tmp_path), store, *extra)
        assert not served, err
        assert "not an sls store" in err and "1 table" in err, err
        assert tables(store) == ["invoices"]  # nothing added beside the stranger's table


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_not_a_database_says_sqlites_reason(tmp_path):
    store = str(tmp_path / "junk.db")
    with open(store, "wb") as f:
        f.write(b"this is not a database, just text " * 200)
    served, err = run_slsd(str(tmp_path), store)
    assert not served, err
    assert "cannot open store" in err and "file is not a database" in err, err
    assert "SQLITE_NOTADB" in err, err


def make_store(start_server):
    """A real store with a few users in it, its server stopped; returns its path."""
    srv = start_server()
    for i in range(20):
        srv.sls_user("user%02d" % i)
    workdir = srv.workdir
    srv.restart.__self__.stop()
    return os.path.join(workdir, "sls.db")


def table_pages(path, name):
    """The page numbers (1-based) of the b-tree of table `name`."""
    h = sqlite3.connect(path)
    try:
        return [r[0] for r in h.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))]
    except sqlite3.OperationalError:
        root = h.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (name,)).fetchone()
        return [root[0]]
    finally:
        h.close()


def damage_page(path, pageno, page_size=4096):
    """Overwrites the cell area of one page with garbage, keeping its header."""
    with open(path, "r+b") as f:
        f.seek((pageno - 1) * page_size + 8)
        f.write(b"\xa5" * (page_size - 8))


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_damaged_store_is_refused_at_start_with_quick_checks_reason(tmp_path, start_server):
    store = make_store(start_server)
    # slsd runs in tmp_path: with the store's own master key (SPEC §10.1), or
    # it would refuse the store for that.
    shutil.copyfile(os.path.join(os.path.dirname(store), "sls.key"), str(tmp_path / "sls.key"))
    os.chmod(str(tmp_path / "sls.key"), 0o600)
    copy = str(tmp_path / "damaged.db")
    with open(store, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    assert not os.path.exists(store + "-wal") or os.path.getsize(store + "-wal") == 0
    # Garbage in the pages of the users table: the schema still reads, so the
    # store would open and fail at the first login without the check.
    for p in table_pages(copy, "users"):
        damage_page(copy, p)
    served, err = run_slsd(str(tmp_path), copy)
    assert not served, err
    assert "cannot open store" in err and ("damaged" in err or "malformed" in err), err
    # The original (undamaged) store still starts.
    served, err = run_slsd(str(tmp_path), store)
    assert served, err


def fill(srv, prefix, limit=3000):
    """Creates users until the store refuses; returns (status, json, headers) of that answer."""
    for i in range(limit):
        body = {"username": "%s%04d" % (prefix, i), "password": PASSWORD,
                "email": "%s%04d@example.com" % (prefix, i)}
        st, js, _, hdrs = request(srv.admin_port, "POST", "/v1/admin/users", body,
                                  headers={"Authorization": "Bearer " + srv.admin_token})
        if st != 201:
            return st, js, hdrs
    raise AssertionError("the store never filled up")


def full_lines(srv):
    return [line for line in srv.stderr_text().splitlines()
            if line.startswith("store: ") and "SQLITE_FULL" in line]


@pytest.mark.sqlite_only("fills the store to its [store] max_size cap, a SQLite setting")
def test_full_store_answers_503_logs_once_and_healthz_says_it_cannot_write(start_server):
    srv = start_server(extra_ini="[store]\nmax_size = 400KiB\n")
    dev = srv.sls_user("alice")
    session = srv.full_login("alice", dev)
    assert srv.pub("GET", "/healthz")[0] == 200

    st, js, hdrs = fill(srv, "filler")
    assert st == 503 and js["error"] == "store_unavailable", (st, js)
    assert js["message"] and int(hdrs["retry-after"]) > 0, hdrs
    lines = full_lines(srv)
    assert lines and "database or disk is full" in lines[0], srv.stderr_text()[-2000:]
    assert "filler" not in "\n".join(lines)  # no user input in the log

    # A burst of the same failure logs one line per operation.
    for i in range(10):
        st, js, _ = srv.adm("POST", "/v1/admin/users",
                            {"username": "more%02d" % i, "password": PASSWORD,
                             "email": "m%02d@example.com" % i})
        assert st == 503 and js["error"] == "store_unavailable", (st, js)
    ops = Counter(line.split(":")[1].strip() for line in full_lines(srv))
    assert ops and max(ops.values()) == 1, full_lines(srv)

    for port_call in (srv.pub, lambda m, p: srv.adm(m, p, token=None)):
        st, js, _ = port_call("GET", "/healthz")
        assert st == 503 and js["status"] == "store_unavailable", (st, js)
        assert js["store"] == "cannot_write" and js["error"] == "store_unavailable", js
    # The cause is the operators': the admin listener says it, the public one
    # (the internet, through the proxy) does not.
    assert "reason" not in srv.pub("GET", "/healthz")[1]
    assert "SQLITE_FULL" in srv.adm("GET", "/healthz", token=None)[1]["reason"]
    # slsctl health fails, and says why.
    env = dict(os.environ, SLS_ADMIN_URL="http://127.0.0.1:%d" % srv.admin_port)
    env.pop("SLS_ADMIN_TOKEN", None)
    out = subprocess.run([env_paths()["slsctl"], "health"], env=env, capture_output=True,
                         text=True, timeout=30)
    assert out.returncode != 0, out
    assert "The store cannot write" in out.stderr and "SQLITE_FULL" in out.stderr, out.stderr

    # Reads still work: the session is still valid, not a 401 or a 5xx.
    st, js, raw = srv.pub("GET", "/v1/session", token=session["token"])
    assert st == 200, (st, raw)

    # More room (a larger cap, after a restart): the same store writes again,
    # healthy, with everything written before the cap still there.
    server = srv.restart.__self__
    server.extra_ini = "[store]\nmax_size = 4MiB\n"
    srv.restart()
    assert srv.pub("GET", "/healthz")[0] == 200
    srv.create_user("afterwards")
    assert srv.user_view("alice")["username"] == "alice"


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_healthz_recovers_by_itself_once_writes_succeed(start_server):
    srv = start_server(extra_ini="[store]\nmax_size = 400KiB\n")
    st, js, _ = fill(srv, "filler")
    assert st == 503, (st, js)
    assert srv.pub("GET", "/healthz")[0] == 503
    # Space comes back without a restart: the operator deletes data. Here a
    # second connection frees pages (the users just made); the probe of
    # /healthz then succeeds and the state clears.
    h = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    h.execute("PRAGMA secure_delete=ON")
    h.execute("DELETE FROM users WHERE username LIKE 'filler%'")
    h.commit()
    h.close()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if srv.pub("GET", "/healthz")[0] == 200:
            break
        time.sleep(0.5)
    assert srv.pub("GET", "/healthz")[0] == 200
    srv.create_user("afterwards")


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_session_lookup_on_a_damaged_page_is_5xx_not_401(start_server):
    srv = start_server()
    dev = srv.sls_user("alice")
    session = srv.full_login("alice", dev)
    assert srv.pub("GET", "/v1/session", token=session["token"])[0] == 200
    path = os.path.join(srv.workdir, "sls.db")
    # Everything into the database file, then garbage into the pages of the
    # sessions table and its index, as a failing disk would leave them.
    h = sqlite3.connect(path, timeout=10)
    busy, _, _ = h.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    pages = table_pages(path, "sessions") + table_pages(path, "sqlite_autoindex_sessions_1")
    h.close()
    for p in pages:
        damage_page(path, p)
    # A write elsewhere, so that the readers of slsd drop the pages they hold.
    srv.create_user("bob")

    st, js, raw = srv.pub("GET", "/v1/session", token=session["token"])
    assert st != 401, (st, raw)
    assert st == 503 and js["error"] == "store_unavailable", (st, raw)
    lines = [line for line in srv.stderr_text().splitlines() if line.startswith("store: ")]
    assert any("session_get" in line and "SQLITE_CORRUPT" in line for line in lines), lines
    # The file is damaged: put a good copy back before the harness stops the server.
    srv.restart.__self__.stopped = True
    srv.proc.kill()
    srv.proc.wait()


@pytest.mark.sqlite_only("damages, empties or replaces the SQLite file (test_store_outage_is_503_and_recovers_pg is the PostgreSQL outage)")
def test_app_refusal_that_cannot_be_audited_is_503_not_401(start_server):
    """Every refused request of the mobile app is audited: a refusal whose audit
    record the store cannot take is answered 503, never as a 401 without its record."""
    srv = start_server(extra_ini="[store]\nmax_size = 400KiB\n")
    st, js, _ = fill(srv, "filler")
    assert st == 503, (st, js)
    # A request without its signature headers: refused (401), and audited. The
    # audit records take what room is left; the refusal after the last one fits
    # is the store's error.
    answers = []
    for _ in range(1000):
        st, js, raw = srv.pub("GET", "/v1/ibkey/pending")
        answers.append(st)
        if st != 401:
            break
    assert answers[-1] == 503 and js["error"] == "store_unavailable", (answers[-3:], raw)
    # Each 401 answered has its record.
    h = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    try:
        n = h.execute("SELECT COUNT(*) FROM audit WHERE event = 'ibkey.request' "
                      "AND outcome = 'malformed'").fetchone()[0]
    finally:
        h.close()
    assert n == len(answers) - 1, (n, len(answers))


@pytest.fixture
def own_cluster():
    """A PostgreSQL cluster of the test's own (requested before start_server, so
    that it is stopped after the test's servers)."""
    own = pgstore.PrivateCluster()
    yield own
    own.stop()


@pytest.mark.pg_only
def test_store_outage_is_503_and_recovers_pg(own_cluster, start_server):
    """The PostgreSQL server stops under a running slsd: writes and reads answer
    503 store_unavailable (never a 401 or a crash) and /healthz says 503; once
    it is back, slsd serves again by itself, without a restart, with what was
    written before. On a cluster of the test's own: the other tests' servers
    keep theirs."""
    own = own_cluster
    srv = start_server(store=own.new_database_url())
    dev = srv.sls_user("alice")
    session = srv.full_login("alice", dev)
    assert srv.pub("GET", "/healthz")[0] == 200
    own.control("pause")
    try:
        st, js, raw = srv.adm("POST", "/v1/admin/users",
                              {"username": "during", "password": PASSWORD,
                               "email": "during@example.com"})
        assert st == 503 and js["error"] == "store_unavailable", (st, raw)
        st, js, raw = srv.pub("GET", "/v1/session", token=session["token"])
        assert st == 503 and js["error"] == "store_unavailable", (st, raw)
        st, js, raw = srv.login("alice")
        assert st == 503 and js["error"] == "store_unavailable", (st, raw)
        st, js, _ = srv.pub("GET", "/healthz")
        assert st == 503 and js["status"] == "store_unavailable", (st, js)
    finally:
        own.control("resume")
    end = time.monotonic() + 20
    while srv.pub("GET", "/healthz")[0] != 200:
        assert time.monotonic() < end, "healthz did not recover within 20 s"
        time.sleep(0.1)
    assert srv.pub("GET", "/v1/session", token=session["token"])[0] == 200
    srv.create_user("afterwards")
    assert srv.user_view("alice")["username"] == "alice"
    assert srv.adm("GET", "/v1/admin/users/during")[0] == 404
