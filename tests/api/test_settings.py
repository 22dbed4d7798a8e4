"""R30 opt-out and opt-in (primary user only, step-up / device response),
R3 password change, R4 e-mail change (confirmation number to the old
address, or the current password) and banking instructions; outside SLS the
last two wait for security review."""

from client import PASSWORD
from money import outside_login, outside_user, step_up
from test_temporary import events


def post(srv, path, token, **body):
    return srv.pub("POST", path, body, token=token)


def mails(srv, to, notice=None):
    """The e-mails to `to`, or only the security notices of kind `notice` (§10.3)."""
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=" + to)
    assert st == 200, (st, raw)
    js = js if isinstance(js, list) else js["messages"]
    return js if notice is None else [m for m in js if m.get("kind") == notice]


# ---- R30 ----

def test_r30_opt_out_needs_step_up_then_logins_need_no_device(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = post(srv, "/v1/me/sls", token, participate=False)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    step_up(srv, token, dev)
    st, js, raw = post(srv, "/v1/me/sls", token, participate=False)
    assert st == 200 and js == {"sls": False, "changed": True}, (st, raw)
    assert srv.user_view("alice")["sls"] is False
    # Devices stay recorded; the next login needs no second factor, with R31 restrictions.
    assert any(d["id"] == dev.id for d in srv.user_view("alice")["devices"])
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    assert js["session"]["factor"] == "none" and js["session"]["restricted_products"] is False
    assert [e["outcome"] for e in events(srv, "sls.opt_out")] == ["ok"]


def test_r30_opt_in_needs_a_device_response(srv):
    srv.create_user("alice", sls=False)
    dev = srv.add_device("alice", "dsc")
    token = outside_login(srv, "alice")
    st, js, raw = post(srv, "/v1/me/sls", token, participate=True)
    assert st == 200 and js["device_id"] == dev.id, (st, raw)
    st, bad, raw = post(srv, "/v1/me/sls", token, participate=True, response="00000000")
    assert st == 403 and bad["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    assert srv.user_view("alice")["sls"] is False
    st, js, raw = post(srv, "/v1/me/sls", token, participate=True)
    st, js, raw = post(srv, "/v1/me/sls", token, participate=True,
                       response=dev.answer(js["challenge"]))
    assert st == 200 and js == {"sls": True, "changed": True}, (st, raw)
    assert srv.user_view("alice")["sls"] is True
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    # Without any active device there is nothing to answer with.
    srv.create_user("bob", sls=False)
    token = outside_login(srv, "bob")
    st, js, raw = post(srv, "/v1/me/sls", token, participate=True)
    assert st == 403 and js["error"] == "no_active_device", (st, raw)


def test_r30_only_the_primary_user(srv):
    srv.create_user("alice", account_id="U1234567", primary=True)
    dev = srv.add_device("alice")
    srv.create_user("bob", account_id="U1234567", primary=False)
    bdev = srv.add_device("bob")
    token = srv.full_login("bob", bdev)["token"]
    step_up(srv, token, bdev)
    st, js, raw = post(srv, "/v1/me/sls", token, participate=False)
    assert st == 403 and js["error"] == "not_primary_user", (st, raw)
    assert "alice" in js["message"], js
    assert srv.user_view("bob")["sls"] is True
    assert dev.id


def test_r30_bad_input(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    for body in ({}, {"participate": "no"}, {"participate": 0}):
        st, js, raw = srv.pub("POST", "/v1/me/sls", body, token=token)
        assert st == 400, (body, st, raw)
    st, js, raw = post(srv, "/v1/me/sls", token, participate=True)
    assert st == 200 and js["changed"] is False, (st, raw)
    st, js, raw = post(srv, "/v1/me/sls", None, participate=False)
    assert st == 401


# ---- R3 password change ----

def test_r3_password_change(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    other = srv.full_login("alice", dev)["token"]
    st, js, raw = post(srv, "/v1/me/password", token, current_password=PASSWORD,
                       new_password="short")
    assert st == 400 and js["error"] == "weak_password", (st, raw)
    st, js, raw = post(srv, "/v1/me/password", token, current_password="Wrong1234",
                       new_password="NewPass99")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    st, js, raw = post(srv, "/v1/me/password", token, current_password=PASSWORD,
                       new_password="NewPass99")
    assert st == 200 and js["sessions_revoked"] == 1, (st, raw)
    assert srv.pub("GET", "/v1/session", token=token)[0] == 200
    assert srv.pub("GET", "/v1/session", token=other)[0] == 401
    assert srv.login("alice")[0] == 401
    st, js, raw = srv.login("alice", "NewPass99")
    assert st == 200, (st, raw)
    assert any("password" in m["body"]
               for m in mails(srv, "alice@example.com", "notice.password_changed"))
    assert [e["outcome"] for e in events(srv, "password.change")] == ["wrong_password", "ok"]


# ---- R4 e-mail change ----

def test_r4_email_by_confirmation_to_the_old_address(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       method="old_email")
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    step_up(srv, token, dev)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       method="old_email")
    assert st == 202 and js["status"] == "confirmation_sent", (st, raw)
    assert js["sent_to"] == "a***@example.com", js
    code = [m for m in mails(srv, "alice@example.com") if m.get("code")][-1]["code"]
    # Another new address, or a wrong number, is refused and counted.
    st, js, raw = post(srv, "/v1/me/email", token, new_email="evil@example.org",
                       confirmation=code)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    wrong = "00000000" if code != "00000000" else "11111111"
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       confirmation=wrong)
    assert st == 400 and js["error"] == "invalid_code", (st, raw)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       confirmation=code)
    assert st == 200 and js["email"] == "new@example.org", (st, raw)
    assert srv.user_view("alice")["email"] == "new@example.org"
    # Used once.
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new2@example.org",
                       confirmation=code)
    assert st == 400, (st, raw)


def test_r4_email_confirmation_dies_after_five_wrong_numbers(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    post(srv, "/v1/me/email", token, new_email="new@example.org", method="old_email")
    code = [m for m in mails(srv, "alice@example.com") if m.get("code")][-1]["code"]
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(5):
        assert post(srv, "/v1/me/email", token, new_email="new@example.org",
                    confirmation=wrong)[0] == 400
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       confirmation=code)
    assert st == 400, (st, raw)
    assert srv.user_view("alice")["email"] == "alice@example.com"


def test_r4_email_by_password(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       password="Wrong1234")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       password=PASSWORD)
    assert st == 200 and js["email"] == "new@example.org", (st, raw)
    assert any("new@example.org" in m["body"]
               for m in mails(srv, "alice@example.com", "notice.email_changed"))


def test_r4_email_bad_input(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    for body in ({"new_email": "nope", "password": PASSWORD},
                 {"new_email": "a b@example.org", "password": PASSWORD},
                 {"new_email": "x@example.org"},
                 {"new_email": "x@example.org", "method": "sms"},
                 {"new_email": "x@example.org", "password": PASSWORD, "method": "old_email"}):
        st, js, raw = srv.pub("POST", "/v1/me/email", body, token=token)
        assert st == 400, (body, st, raw)
    assert srv.user_view("alice")["email"] == "alice@example.com"


def test_r4_outside_sls_email_goes_to_review(srv):
    token = outside_user(srv)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       password=PASSWORD)
    assert st == 202 and js["status"] == "pending_review", (st, raw)
    assert isinstance(js["review_id"], int)
    assert srv.user_view("olive")["email"] == "olive@example.com"
    # By confirmation number too: sent without step-up, then queued.
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new2@example.org",
                       method="old_email")
    assert st == 202 and js["status"] == "confirmation_sent", (st, raw)
    code = [m for m in mails(srv, "olive@example.com") if m.get("code")][-1]["code"]
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new2@example.org",
                       confirmation=code)
    assert st == 202 and js["status"] == "pending_review", (st, raw)


# ---- R4 banking instructions ----

BANK = {"bank_name": "First Bank", "routing_number": "021000021", "account_number": "123456789"}


def test_r4_bank_instructions_need_step_up(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    step_up(srv, token, dev)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 200 and js["account_number_last4"] == "6789", (st, raw)
    assert "123456789" not in raw.decode()
    assert [e["outcome"] for e in events(srv, "bank.change")] == ["ok"]
    for bad in ({**BANK, "routing_number": "12345"}, {**BANK, "account_number": "12a4"},
                {**BANK, "bank_name": ""}, {"bank_name": "X"}):
        st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", bad, token=token)
        assert st == 400, (bad, st, raw)


def test_r4_outside_sls_bank_goes_to_review(srv):
    token = outside_user(srv)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 202 and js["status"] == "pending_review", (st, raw)
    assert [e["outcome"] for e in events(srv, "bank.change", "olive")] == ["pending_review"]
