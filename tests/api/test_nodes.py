"""Several slsd nodes on one store (SPEC §10.1), two at a time on one SQLite
file: what --dev shares through the store (the clock, the dev outbox), the
master key check at start, and one delivery of each message however many
deliverers run. The three-node suite with a load balancer is tests/multinode."""

import os
import signal
import sqlite3
import subprocess

import pytest

from conftest import BASE_TIME, PATHS, TEST_INI, free_port
from client import parse_time
from test_delivery import CommandReceiver, delivery_ini, stays, wait_for

BASE = parse_time(BASE_TIME)


def second_node(start_server, first, extra_ini=""):
    """Another node on the store and key file of `first`."""
    ini = "[server]\nkey_file = %s\n" % os.path.join(first.workdir, "sls.key")
    return start_server(base_time=False, extra_ini=ini + extra_ini, store=store_of(first))


def store_of(srv):
    return srv.store


def test_clock_moved_on_one_node_is_seen_by_another(start_server):
    a = start_server()
    b = second_node(start_server, a)
    assert b.now() == BASE
    b.advance(3600)
    assert a.now() == BASE + 3600
    a.set_clock(BASE + 86400)
    assert b.now() == BASE + 86400
    # A restarted node keeps the shared instant: it is the store's, not the process's.
    b.restart()
    assert b.now() == BASE + 86400


@pytest.mark.sqlite_only("reads the outbox rows with sqlite3")
def test_code_sent_by_one_node_is_read_from_the_dev_outbox_of_another(start_server, tmp_path):
    rx = CommandReceiver(tmp_path / "rx")
    a = start_server(extra_ini=delivery_ini(command=rx.path))
    b = second_node(start_server, a, delivery_ini(command=rx.path))
    a.sls_user("bob")
    st, js, raw = a.pub("POST", "/v1/password-reset", {"username": "bob"})
    assert st == 202, (st, raw)
    assert wait_for(lambda: any(m.get("code") for m in rx.messages()))
    sent = [m for m in rx.messages() if m.get("code")]
    assert len(sent) == 1 and sent[0]["to"] == "bob@example.com", sent
    # Two deliverers, one delivery of each message: each was claimed once.
    n = len(rx.calls())
    assert stays(lambda: len(rx.calls()) == n)
    ids = [m["id"] for m in rx.messages()]
    assert len(ids) == len(set(ids)), ids
    # Settled: bodies and codes are erased in the store (SPEC §10.3) ...
    con = sqlite3.connect(os.path.join(a.workdir, "sls.db"), timeout=10)
    try:
        rows = con.execute("SELECT state, body, code FROM outbox").fetchall()
    finally:
        con.close()
    assert rows == [(1, "", "")] * n, rows
    # ... yet the other node's dev outbox shows them as sent, the code included.
    for node in (b, a):
        st, js, raw = node.pub("GET", "/v1/dev/outbox?to=bob@example.com")
        assert st == 200, raw
        assert [(m.get("code", ""), m["body"]) for m in js] == \
            [(m.get("code", ""), m["body"]) for m in rx.messages()], js
        assert sent[0]["code"] in [m.get("code") for m in js]


def run_slsd(workdir, store, key_file, timeout=15):
    """Starts slsd --dev on store with key_file; returns (exit status or None
    when it is still running after `timeout` s, stderr). A running one is stopped."""
    with open(os.path.join(workdir, "sls.ini"), "w") as f:
        f.write(TEST_INI + "[server]\nkey_file = %s\n" % key_file)
    env = dict(os.environ, SLS_ADMIN_TOKEN="t" * 32)
    argv = [PATHS["slsd"], "--dev", "--config", "sls.ini",
            "--listen", "127.0.0.1:%d" % free_port(),
            "--admin-listen", "127.0.0.1:%d" % free_port(), "--store", store]
    proc = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
        return None, err.decode("utf-8", "replace")


@pytest.mark.sqlite_only("changes the key check value with sqlite3")
def test_a_node_with_another_master_key_refuses_to_start(start_server, tmp_path):
    a = start_server()
    dev = a.sls_user("alice")
    other = tmp_path / "other"
    other.mkdir()
    other_key = str(other / "other.key")
    seen = {}

    def with_key_b(workdir):
        # Key B does not exist yet: slsd creates it, then finds it is not the data's.
        seen["b"] = run_slsd(str(other), store_of(a), other_key, timeout=10)
        assert os.path.exists(other_key)
        # Key A again, from another folder: it runs.
        seen["a"] = run_slsd(str(other), store_of(a), os.path.join(workdir, "sls.key"),
                             timeout=3)

    a.restart(while_stopped=with_key_b)
    rc, err = seen["b"]
    assert rc is not None and rc != 0, (rc, err)
    assert ("the master key %s does not match the data of store %s" % (other_key, store_of(a))
            in err), err
    assert "every node must read the same key file" in err, err
    rc, err = seen["a"]
    assert rc is None, (rc, err)  # still running when stopped
    assert "does not match" not in err, err
    # And the node with key A serves the data sealed with it.
    a.full_login("alice", dev)


@pytest.mark.sqlite_only("removes the key check value with sqlite3")
def test_a_store_without_a_check_value_gets_one(start_server, tmp_path):
    a = start_server()
    other = tmp_path / "other"
    other.mkdir()
    seen = {}

    def forget_check(workdir):
        # As a store written before the check existed.
        con = sqlite3.connect(os.path.join(workdir, "sls.db"), timeout=10)
        with con:
            con.execute("DELETE FROM meta WHERE key = 'key_check'")
        con.close()

    a.restart(while_stopped=forget_check)
    assert "recorded the check value of the master key" in a.stderr_text()

    def with_key_b(workdir):
        seen["b"] = run_slsd(str(other), store_of(a), str(other / "b.key"), timeout=10)

    a.restart(while_stopped=with_key_b)
    rc, err = seen["b"]
    assert rc is not None and rc != 0 and "does not match" in err, (rc, err)
