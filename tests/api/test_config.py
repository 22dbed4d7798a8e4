"""slsd's configuration file: every problem of a file is reported at once, each
as FILE:LINE: section.key: what is wrong, and slsd does not start; a good file
with command-line overrides starts."""
import os
import re
import socket
import subprocess

import pytest

from client import env_paths

BAD_INI = """; one problem of each kind, and good lines between them
[server]
max_body = 64k
colour = blue
listen = 127.0.0.1:1
listen = 127.0.0.1:2
this line has no equals sign
[policy
[bogus]
key = value
[policy]
temp_full_access = 13d
lockout_failure = 3
approval_cutoff = 16:00
[delivery]
webhook = https://example.com/hook
webhook_token = never shown
max_attempts = 0
"""

# (line, what the message says after "FILE:LINE: ")
EXPECTED = [
    (3, 'server.max_body: "64k" is not valid (expected a whole number from 1024 to 16777216)'),
    (4, "server.colour: unknown key"),
    (6, "server.listen: set twice in one [server] block (first at line 5)"),
    (7, "malformed line (expected [section], key = value or a comment)"),
    (8, "section line without ']' (expected [section])"),
    (9, "[bogus]: unknown section"),
    (13, "policy.lockout_failure: unknown key (did you mean lockout_failures?)"),
    (17, "delivery.webhook_token: the value (not shown) is not valid"),
    (18, 'delivery.max_attempts: "0" is out of range (expected a whole number from 1 to 1000)'),
    (12, "policy.temp_portal_access: must not be shorter than policy.temp_full_access"),
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_slsd(tmp_path, text, *args):
    path = tmp_path / "slsd.ini"
    path.write_text(text)
    return path, subprocess.run(
        [env_paths()["slsd"], "--config", str(path)] + list(args), cwd=str(tmp_path),
        capture_output=True, text=True, timeout=30,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SLS_ADMIN_TOKEN": "t" * 32})


@pytest.mark.sqlite_only("checks that no SQLite file is created")
def test_every_problem_reported_with_its_line_and_nothing_starts(tmp_path):
    port = free_port()
    path, r = run_slsd(tmp_path, BAD_INI, "--dev", "--listen", "127.0.0.1:%d" % port,
                       "--admin-listen", "127.0.0.1:%d" % free_port(),
                       "--store", "sqlite:" + str(tmp_path / "sls.db"))
    assert r.returncode == 1, r
    assert "slsd: %s: %d problems:" % (path, len(EXPECTED)) in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith(str(path) + ":")]
    said = [(int(m.group(1)), m.group(2)) for m in
            (re.match(re.escape(str(path)) + r":(\d+): (.*)$", line) for line in lines) if m]
    assert len(said) == len(EXPECTED), r.stderr
    for (line, text), (got_line, got) in zip(EXPECTED, said):
        assert got_line == line and got.startswith(text), (line, text, got_line, got)
    assert "never" not in r.stderr
    # Nothing was started: no store, no key, no listener.
    assert not (tmp_path / "sls.db").exists() and not (tmp_path / "sls.key").exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_check_says_the_same_and_a_good_file_passes(tmp_path):
    path, r = run_slsd(tmp_path, BAD_INI, "--check")
    assert r.returncode == 1 and "%d problems:" % len(EXPECTED) in r.stderr, r
    assert "%s:18: delivery.max_attempts" % path in r.stderr, r.stderr
    good = BAD_INI.replace("max_body = 64k\n", "max_body = 65536\n") \
        .replace("colour = blue\n", "").replace("listen = 127.0.0.1:2\n", "") \
        .replace("this line has no equals sign\n", "").replace("[policy\n", "") \
        .replace("[bogus]\nkey = value\n", "").replace("temp_full_access = 13d\n", "") \
        .replace("lockout_failure = 3\n", "").replace("webhook_token = never shown\n", "") \
        .replace("max_attempts = 0\n", "max_attempts = 3\n")
    _, r = run_slsd(tmp_path, good, "--check", "--listen", "127.0.0.1:9")
    assert r.returncode == 0 and "configuration OK" in r.stdout, r


def test_long_line_and_unreadable_file(tmp_path):
    long_value = "x" * 5000
    path, r = run_slsd(tmp_path, "[server]\nkey_file = %s\nmax_body = 1\n" % long_value,
                       "--check")
    assert r.returncode == 1, r
    assert "%s:2: line too long (expected at most 4096 characters)" % path in r.stderr, r.stderr
    assert "%s:3: server.max_body" % path in r.stderr, r.stderr
    r = subprocess.run([env_paths()["slsd"], "--config", str(tmp_path / "missing.ini"),
                        "--check"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "cannot read config file" in r.stderr, r
