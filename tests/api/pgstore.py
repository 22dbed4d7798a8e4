"""The PostgreSQL side of the API tests: which backend this run uses, a new
database per server on the run's throwaway cluster, SQL and pg_dump against
it, and stopping and starting the cluster itself (a store outage).

The run is on PostgreSQL when SLS_TEST_STORE=pg; SLS_TEST_STORE_URL is then
the cluster's libpq URL (tests/pg/with_cluster.sh sets it, together with
SLS_TEST_PG_DIR and SLS_TEST_PG_CLUSTER, the cluster's folder and
scripts/pg-cluster.sh). Databases are reached with psql and pg_dump, the
clients that come with the server, over the cluster's private Unix socket.
"""

import os
import secrets
import shutil
import subprocess
import tempfile
import urllib.parse


def store_kind():
    """"sqlite" (the default) or "pg"; a "pg" run without a cluster URL is an error."""
    kind = os.environ.get("SLS_TEST_STORE", "sqlite")
    if kind not in ("sqlite", "pg"):
        raise RuntimeError("SLS_TEST_STORE must be sqlite or pg, not %r" % kind)
    if kind == "pg" and not cluster_url().startswith("postgresql:"):
        raise RuntimeError("SLS_TEST_STORE=pg needs SLS_TEST_STORE_URL, the cluster's "
                           "postgresql:// URL (run the suite through tests/pg/with_cluster.sh)")
    return kind


def cluster_url():
    return os.environ.get("SLS_TEST_STORE_URL", "")


def _params():
    """The cluster URL's connection parameters: host (the socket folder), port, user."""
    u = urllib.parse.urlsplit(cluster_url())
    q = dict(urllib.parse.parse_qsl(u.query))
    return q.get("host", ""), q.get("port", "5432"), q.get("user", "")


def _client(name):
    """psql or pg_dump: the one next to the server's initdb when there is one."""
    bindir = os.environ.get("PG_BINDIR")
    if bindir and os.path.exists(os.path.join(bindir, name)):
        return os.path.join(bindir, name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError("%s not found (it comes with PostgreSQL's client package)" % name)
    return found


def database_url(name):
    """The cluster URL with its database replaced by `name`."""
    u = urllib.parse.urlsplit(cluster_url())
    # Not urlunsplit: it drops the empty host of postgresql:///NAME?host=...
    return "%s://%s/%s%s" % (u.scheme, u.netloc, name, "?" + u.query if u.query else "")


def _conn_args(dbname):
    host, port, user = _params()
    return ["--host", host, "--port", port, "--username", user, "--dbname", dbname]


def sql(dbname, statement, timeout=60):
    """Runs one SQL statement in database `dbname`; returns its rows as lists of text."""
    argv = [_client("psql"), "--no-psqlrc", "--quiet", "--no-align", "--tuples-only",
            "--field-separator=\x1f", "--set", "ON_ERROR_STOP=1",
            "--command", statement] + _conn_args(dbname)
    res = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError("psql failed (%d): %s" % (res.returncode,
                                                    res.stderr.decode("utf-8", "replace")))
    out = res.stdout.decode("utf-8", "replace")
    return [line.split("\x1f") for line in out.splitlines() if line != ""]


def dump(dbname, timeout=60):
    """pg_dump of database `dbname` (schema and data, plain SQL) as bytes."""
    argv = [_client("pg_dump"), "--no-owner", "--no-privileges"] + _conn_args(dbname)
    res = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError("pg_dump failed (%d): %s" % (res.returncode,
                                                       res.stderr.decode("utf-8", "replace")))
    return res.stdout


def database_of(store_url):
    """The database name in a postgresql:// store URL."""
    return urllib.parse.urlsplit(store_url).path.lstrip("/")


def create_database():
    """Creates a new empty database on the cluster; returns its name."""
    name = "sls_t_" + secrets.token_hex(6)
    sql("postgres", "CREATE DATABASE %s" % name)
    return name


def drop_database(name):
    """Drops a database made by create_database, closing any session still in it."""
    sql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)


def _cluster_script():
    script = os.environ.get("SLS_TEST_PG_CLUSTER", "")
    if not script:
        raise RuntimeError("SLS_TEST_PG_CLUSTER is not set "
                           "(run the suite through tests/pg/with_cluster.sh)")
    return script


def _run_cluster(action, folder):
    res = subprocess.run(["sh", _cluster_script(), action, folder], capture_output=True,
                         timeout=120, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise RuntimeError("pg-cluster.sh %s failed (%d): %s" % (
            action, res.returncode, res.stderr.decode("utf-8", "replace")))
    return res.stdout.decode("utf-8", "replace").strip()


def cluster(action):
    """Stops ("pause"), starts ("resume") or restarts ("restart", fast mode) the
    run's cluster, its folder and data kept. Every server of the run sees it:
    a test that does this must run alone (the API suite's tests run in several
    processes at once; they use private_cluster instead)."""
    folder = os.environ.get("SLS_TEST_PG_DIR", "")
    if not folder:
        raise RuntimeError("SLS_TEST_PG_DIR is not set "
                           "(run the suite through tests/pg/with_cluster.sh)")
    _run_cluster(action, folder)


class PrivateCluster:
    """A throwaway cluster of one test's own, next to the run's: it can be
    stopped and started without touching the servers of other tests.
    `url` is the cluster's libpq URL (database "postgres"); `database_url(name)`
    names another; `control(action)` pauses, resumes or restarts it."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="sls-pg.", dir=os.environ.get("TMPDIR", "/tmp"))
        try:
            self.url = _run_cluster("start", self.folder)
        except Exception:
            os.rmdir(self.folder)
            raise

    def control(self, action):
        _run_cluster(action, self.folder)

    def new_database_url(self):
        """Creates an empty database on this cluster; returns its store URL."""
        name = "sls_p_" + secrets.token_hex(6)
        u = urllib.parse.urlsplit(self.url)
        q = dict(urllib.parse.parse_qsl(u.query))
        argv = [_client("psql"), "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1",
                "--command", "CREATE DATABASE %s" % name, "--host", q.get("host", ""),
                "--port", q.get("port", "5432"), "--username", q.get("user", ""),
                "--dbname", "postgres"]
        res = subprocess.run(argv, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            raise RuntimeError("psql failed (%d): %s" % (res.returncode,
                                                        res.stderr.decode("utf-8", "replace")))
        return "%s://%s/%s%s" % (u.scheme, u.netloc, name, "?" + u.query if u.query else "")

    def stop(self):
        try:
            _run_cluster("stop", self.folder)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
