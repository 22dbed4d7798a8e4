"""Harness of the API scenario tests: starts a fresh `slsd --dev` per test on two
free loopback ports with its own store and admin token, waits until it is
healthy, and on teardown stops it with SIGTERM and fails the test if the server
crashed, died on its own, or exited non-zero. Its stderr is printed so that a
failing test shows the server's log.

The store is a new SQLite file per server, or with SLS_TEST_STORE=pg a new
database per server on the PostgreSQL cluster SLS_TEST_STORE_URL names (as
tests/pg/with_cluster.sh starts it), dropped after the test. Tests that reach
into the SQLite file itself are marked `sqlite_only("why")` and skipped on
PostgreSQL; tests of PostgreSQL alone are marked `pg_only` (see pgstore.py).
"""

import os
import secrets
import signal
import socket
import subprocess

import pytest

import pgstore
from client import Server, env_paths, wait_healthy

# Cheap Argon2id parameters keep the suite fast; the algorithm is the same.
# The scenarios log in far more often than a person would, from one address and
# many threads at once, so the hashing throttle of SPEC §10.2 is opened wide
# here; test_throttle.py sets its own numbers (a later section wins).
TEST_INI = ("[security]\nargon2_ops = 1\nargon2_mem_kib = 64\n"
            "[throttle]\nper_ip_per_minute = 1000000\nhashing = 64\nhashing_queue = 256\n"
            "hashing_per_ip = 320\n")

# Every test starts with the server clock at this instant (a Friday, before the
# 16:00 UTC approval cut-off of R12), so that results never depend on the wall clock.
BASE_TIME = "2026-11-20T09:00:00Z"

PATHS = env_paths()

# The backend every server of this run uses: "sqlite" or "pg".
STORE_KIND = pgstore.store_kind()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test reaches into the SQLite file itself "
        "(the reason says how); skipped when the suite runs on PostgreSQL")
    config.addinivalue_line(
        "markers", "pg_only: a property of the PostgreSQL backend; skipped on SQLite")


def pytest_collection_modifyitems(config, items):
    for item in items:
        only = item.get_closest_marker("sqlite_only")
        if only is not None and STORE_KIND != "sqlite":
            why = only.args[0] if only.args else only.kwargs.get("reason", "")
            assert why, "%s: sqlite_only needs a reason" % item.nodeid
            item.add_marker(pytest.mark.skip(reason="SQLite only: " + why))
        if item.get_closest_marker("pg_only") is not None and STORE_KIND != "pg":
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only (SLS_TEST_STORE=pg)"))


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _tail(path, limit=20000):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    return data[-limit:].decode("utf-8", "replace")


class ServerProcess:
    """Starts and stops one slsd; collects problems to report at teardown."""

    def __init__(self, workdir, dev=True, extra_ini="", store=None):
        self.workdir = str(workdir)
        self.dev = dev
        self.extra_ini = extra_ini
        # The store URL: a fresh SQLite file in workdir or a fresh PostgreSQL
        # database, unless one is given (several nodes on one store, SPEC §10.1).
        # A database made here is dropped when the server stops for good.
        self.own_db = None
        if store is None and STORE_KIND == "pg":
            self.own_db = pgstore.create_database()
            store = pgstore.database_url(self.own_db)
        self.store = store or "sqlite:" + os.path.join(self.workdir, "sls.db")
        self.srv = None
        self.stopped = False
        self.token = secrets.token_hex(32)

    def start(self):
        slsd = PATHS["slsd"]
        if not os.path.exists(slsd):
            pytest.fail("slsd not found at %s (set SLSD or build into <repo>/build)" % slsd)
        with open(os.path.join(self.workdir, "sls.ini"), "w") as f:
            f.write(TEST_INI + self.extra_ini)
        stderr_path = os.path.join(self.workdir, "slsd.stderr")
        # A port found free can be taken again before slsd binds it (the many
        # client connections of the load tests use the same ephemeral range):
        # when slsd says it cannot listen, it is started again on other ports.
        for attempt in range(5):
            before = os.path.getsize(stderr_path) if os.path.exists(stderr_path) else 0
            proc = self._spawn(slsd, stderr_path)
            if wait_healthy(self.srv):
                return self.srv
            rc = proc.poll()
            if rc is None:
                proc.kill()
                proc.wait()
            with open(stderr_path, "rb") as f:
                f.seek(before)
                said = f.read().decode("utf-8", "replace")
            if rc is None or "cannot listen on" not in said or attempt == 4:
                break
        self.dump()
        pytest.fail("slsd did not become healthy within 10 s (exit status %r)" % rc)

    def _spawn(self, slsd, stderr_path):
        """Starts slsd on two newly chosen free ports; returns the process."""
        port = free_port()
        admin_port = free_port()
        while admin_port == port:
            admin_port = free_port()
        token = self.token
        env = dict(os.environ)
        env["SLS_ADMIN_TOKEN"] = token
        argv = [slsd]
        if self.dev:
            argv.append("--dev")
        argv += ["--config", "sls.ini", "--listen", "127.0.0.1:%d" % port,
                 "--admin-listen", "127.0.0.1:%d" % admin_port,
                 "--store", self.store]
        stdout_path = os.path.join(self.workdir, "slsd.stdout")
        with open(stderr_path, "ab") as err, open(stdout_path, "ab") as out:
            proc = subprocess.Popen(argv, cwd=self.workdir, env=env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL)
        if self.srv is None:
            self.srv = Server(port, admin_port, token, proc, self.workdir, stderr_path)
        else:  # a restart or a retry: the same Server object talks to the new process
            self.srv.port, self.srv.admin_port, self.srv.proc = port, admin_port, proc
        self.srv.restart = self.restart
        self.srv.store = self.store
        return proc

    def restart(self, sig=signal.SIGTERM, while_stopped=None):
        """Stops slsd with `sig` (SIGKILL: an abrupt crash) and starts it again on the
        same store, key and token. A SIGTERM stop must exit with status 0.
        `while_stopped(workdir)`, when given, runs between the stop and the start
        (to change the store's files while no server has them open)."""
        proc = self.srv.proc
        assert proc.poll() is None, "slsd died on its own before the restart"
        proc.send_signal(sig)
        rc = proc.wait(15)
        if sig == signal.SIGTERM:
            assert rc == 0, "slsd exited with %d on SIGTERM" % rc
        if while_stopped is not None:
            while_stopped(self.workdir)
        return self.start()

    def dump(self):
        print("---- slsd stderr (%s) ----" % self.workdir)
        print(_tail(self.srv.stderr_path))
        out = _tail(os.path.join(self.workdir, "slsd.stdout"))
        if out:
            print("---- slsd stdout ----")
            print(out)

    def stop(self):
        """Stops slsd; returns a problem description or None. Drops the
        database it made for the server, if any."""
        try:
            return self._stop()
        finally:
            if self.own_db is not None and (self.srv is None or self.srv.proc.poll() is not None):
                pgstore.drop_database(self.own_db)
                self.own_db = None

    def _stop(self):
        if self.srv is None or self.stopped:
            return None
        self.stopped = True
        proc = self.srv.proc
        died = proc.poll()
        if died is not None:
            self.dump()
            return "slsd died on its own during the test (exit status %d%s)" % (
                died, ", signal %d" % -died if died < 0 else "")
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.dump()
            return "slsd did not exit within 15 s of SIGTERM"
        self.dump()
        if rc < 0:
            return "slsd was killed by signal %d at shutdown" % -rc
        if rc != 0:
            return "slsd exited with status %d at shutdown" % rc
        return None


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(dev=True) -> Server; each one is stopped and checked at teardown.
    `store` (a URL) starts it on that store instead of a fresh one of its own."""
    procs = []

    def start(dev=True, base_time=True, extra_ini="", store=None):
        workdir = tmp_path / ("slsd%d" % len(procs))
        workdir.mkdir()
        p = ServerProcess(workdir, dev=dev, extra_ini=extra_ini, store=store)
        procs.append(p)
        srv = p.start()
        if dev and base_time:
            srv.set_clock(BASE_TIME)
        return srv

    yield start
    problems = [msg for msg in (p.stop() for p in procs) if msg]
    if problems:
        pytest.fail("; ".join(problems))


@pytest.fixture
def srv(start_server):
    """A fresh `slsd --dev` with its clock at BASE_TIME."""
    return start_server()
