"""SPEC §10.4 pam_sls.so against a real server, driven by Debian's `pamtester`
through a PAM service file written under /etc/pam.d for the test and removed
after it (the tests run as root, as CI does). pamtester runs in a
pseudo-terminal, as a person would type: the password, then the answer to the
challenge shown as the prompt; a push is approved with `slstoken app approve`
while the module waits. Each outcome has its PAM code: PAM_SUCCESS,
PAM_AUTH_ERR, PAM_MAXTRIES (locked), PAM_AUTHINFO_UNAVAIL (no server)."""

import os
import pty
import re
import secrets
import select
import shutil
import subprocess
import time

import pytest

from client import PASSWORD, PHONE, env_paths
from test_ibkey import e164, enrol_sms, last_code
from test_temporary import temp_user
from test_token_app import activate as app_activate, app_run

PATHS = env_paths()
MODULE = os.path.join(os.path.dirname(PATHS["slsd"]), "pam_sls.so")

# What pamtester prints for each PAM code (pam_strerror).
SUCCESS = "successfully authenticated"
AUTH_ERR = "Authentication failure"
MAXTRIES = "Have exhausted maximum number of retries for service"
AUTHINFO_UNAVAIL = "Authentication service cannot retrieve authentication info"


@pytest.fixture
def service():
    """A PAM service using pam_sls.so; service(url) -> its name. Removed after the test."""
    if shutil.which("pamtester") is None:
        pytest.fail("pamtester not found (scripts/deps.sh --test installs it)")
    if not os.path.exists(MODULE):
        pytest.fail("pam_sls.so not found at %s (libpam0g-dev missing at build time?)" % MODULE)
    made = []

    def make(url, *args):
        name = "sls-test-" + secrets.token_hex(4)
        path = os.path.join("/etc/pam.d", name)
        with open(path, "w") as f:
            f.write("auth required %s url=%s %s\n" % (MODULE, url, " ".join(args)))
        made.append(path)
        return name

    yield make
    for p in made:
        os.unlink(p)


def pamtester(service_name, user, answer, timeout=60):
    """Runs pamtester in a pseudo-terminal; answer(output so far) gives what to
    type at each prompt (None: nothing yet). Returns (exit status, output)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(["pamtester", service_name, user, "authenticate"], stdin=slave,
                         stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out, typed, deadline = "", 0, time.time() + timeout
    try:
        while time.time() < deadline:
            r, _, _ = select.select([master], [], [], 0.2)
            if r:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                out += data.decode("utf-8", "replace")
            # A prompt ends with ": " and waits; each is answered once.
            if out.endswith(": ") and typed < out.count(": "):
                text = answer(out)
                if text is not None:
                    os.write(master, (text + "\n").encode())
                    typed = out.count(": ")
            if p.poll() is not None and not r:
                break
        else:
            p.kill()
            pytest.fail("pamtester did not finish: %r" % out)
        return p.wait(10), out
    finally:
        os.close(master)


def typing(*answers):
    """Types answers[i] at the i-th prompt."""
    state = {"n": 0}

    def answer(out):
        i = state["n"]
        state["n"] += 1
        return answers[i] if i < len(answers) else ""
    return answer


def url(srv):
    return "http://127.0.0.1:%d" % srv.port


def test_password_only_user(srv, service):
    srv.create_user("alice", sls=False)
    rc, out = pamtester(service(url(srv)), "alice", typing(PASSWORD))
    assert rc == 0 and SUCCESS in out, out


def test_card_with_the_indexes_as_prompt(srv, service):
    card = srv.sls_user("alice", "scc")

    def answer(out):
        m = re.search(r"indexes (\d+) and (\d+): $", out)
        if m:
            return card.cells[m.group(1)] + card.cells[m.group(2)]
        return PASSWORD
    rc, out = pamtester(service(url(srv)), "alice", answer)
    assert rc == 0 and SUCCESS in out, out
    ok = [r for r in srv.audit("?user=alice") if r["event"] == "login.success"]
    assert len(ok) == 1, ok


def test_ocra_challenge_as_prompt(srv, service):
    dev = srv.sls_user("alice", "dsc_plus")

    def answer(out):
        m = re.search(r"Challenge (\d{6}), response: $", out)
        if m:
            return dev.answer({"kind": "challenge_response", "challenge": m.group(1)})
        return PASSWORD
    rc, out = pamtester(service(url(srv), "platform=trading"), "alice", answer)
    assert rc == 0 and SUCCESS in out, out


def test_push_waits_for_the_approval(srv, service, tmp_path):
    app = tmp_path / "app.json"
    srv.create_user("alice")
    app_activate(srv, app, "alice")
    master, slave = pty.openpty()
    p = subprocess.Popen(["pamtester", service(url(srv)), "alice", "authenticate"],
                         stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out, approved, deadline = "", False, time.time() + 60
    try:
        while time.time() < deadline and p.poll() is None:
            r, _, _ = select.select([master], [], [], 0.2)
            if r:
                try:
                    out += os.read(master, 4096).decode("utf-8", "replace")
                except OSError:
                    break
            if out.endswith("Password: "):
                os.write(master, (PASSWORD + "\n").encode())
                out += "\n"
            m = re.search(r"with the number (\d+)", out)
            if m and not approved:
                rc, aout, err = app_run(srv, app, "approve", "--number", m.group(1))
                assert rc == 0, (rc, aout, err)
                approved = True
        rc = p.wait(30)
        try:
            out += os.read(master, 4096).decode("utf-8", "replace")
        except OSError:
            pass
    finally:
        os.close(master)
    assert approved and rc == 0 and SUCCESS in out, out


def test_sms_code_and_temporary_passcode(srv, service):
    js = temp_user(srv)
    name = service(url(srv))
    rc, out = pamtester(name, "alice", typing(PASSWORD, js["passcode"]))
    assert rc == 0 and SUCCESS in out and "Temporary passcode: " in out, out
    # Enrol SMS in a passcode session (with its step-up): SMS is then challenged.
    st, login, raw = srv.login("alice")
    st, sess, raw = srv.respond(login["login_id"], js["passcode"])
    token = sess["session"]["token"]
    for body in ({"device_id": js["device_id"]}, {"response": js["passcode"]}):
        st, _, raw = srv.pub("POST", "/v1/me/verify", body, token=token)
        assert st == 200, (st, raw)
    enrol_sms(srv, token)

    def answer(out):
        if out.endswith("Code sent to your phone: "):
            return last_code(srv, e164(PHONE))["code"]
        return PASSWORD
    rc, out = pamtester(name, "alice", answer)
    assert rc == 0 and SUCCESS in out, out


def test_wrong_answer_is_auth_err(srv, service):
    srv.sls_user("alice", "scc")
    name = service(url(srv))
    rc, out = pamtester(name, "alice", typing(PASSWORD, "000000"))
    assert rc != 0 and AUTH_ERR in out and "Login failed" in out, out
    rc, out = pamtester(name, "alice", typing("Wrong-passw0rd"))
    assert rc != 0 and AUTH_ERR in out and "Invalid user name password combination" in out, out


def test_locked_account_is_maxtries(srv, service):
    srv.sls_user("alice", "scc")
    for _ in range(10):
        st, js, raw = srv.login("alice", "Wrong-passw0rd")
        assert st in (401, 403), (st, raw)
    assert srv.lock_state("alice")["locked"] is True
    rc, out = pamtester(service(url(srv)), "alice", typing(PASSWORD))
    assert rc != 0 and MAXTRIES in out, out


def test_unreachable_server_is_authinfo_unavail(service):
    s = __import__("socket").socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    rc, out = pamtester(service("http://127.0.0.1:%d" % port, "timeout=2"), "alice",
                        typing(PASSWORD))
    assert rc != 0 and AUTHINFO_UNAVAIL in out, out
