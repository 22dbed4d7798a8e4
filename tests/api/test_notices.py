"""Security notices (SPEC §10.3): every event that could mean someone else is
in the account sends an e-mail to the address on record, in the same
transaction as the event, saying what happened, when (UTC) and to call the
service desk if it was not them, and never carrying a secret.

Each test sets the frozen dev clock to an instant of its own before the event, so
that the notice's time is checked to the second, and keeps the secrets the
flow handled (codes, passcodes, card values, passwords) to show that none of
them is in any notice."""

import os
import re
import sqlite3

import pytest

from client import PASSWORD, rfc3339
from money import outside_user
from test_dsc_plus import step_up
from test_ibkey import App, activate as ibkey_activate, e164, enrol_sms, last_code
from test_lockout import fail, lock_account
from test_online_card import activate as card_activate, new_card
from test_password_reset import complete, sent_code
from test_reactivation import challenge_of, reactivate
from test_settings import BANK, post
from test_sharing import pair, share_ok
from test_temporary import issue_ok, mark_lost, session_of, verify

OTHER = {"country": "41", "number": "791234567"}


def outbox(srv, to):
    st, js, raw = srv.pub("GET", "/v1/dev/outbox?to=" + to.replace("+", "%2B"))
    assert st == 200, (st, raw)
    return js


def notices(srv, user="alice", kind=None):
    got = [m for m in outbox(srv, "%s@example.com" % user)
           if m.get("kind", "").startswith("notice.")]
    return got if kind is None else [m for m in got if m["kind"] == kind]


def check(m, kind, when, secrets=(), names=()):
    """m is a notice of `kind` sent at `when`: what, when, what to do, no secret."""
    assert m["kind"] == kind and m["channel"] == "email", m
    assert m["at"] == rfc3339(when), m
    body = m["body"]
    assert body.startswith("Security notice: "), body
    assert "When: %s (UTC)." % rfc3339(when) in body, body
    assert "If this was not you, call the service desk at once." in body, body
    assert "code" not in m, m
    for s in secrets:
        assert s and s not in body, (s, body)
    for n in names:
        assert n in body, (n, body)


def test_lock_sends_one_notice_when_the_lock_begins(srv):
    """R8 + §10.3: the tenth failure locks and tells the holder, once; the
    failures during the lock (which move its end) send nothing more."""
    srv.sls_user("alice")
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    lock_account(srv)
    [m] = notices(srv, kind="notice.account_locked")
    check(m, "notice.account_locked", T, secrets=[PASSWORD, "Wrong"], names=["locked"])
    srv.set_clock(T + 60)
    fail(srv, expect=403)
    assert len(notices(srv, kind="notice.account_locked")) == 1


def test_desk_passcode_lost_device_and_every_activation_path(srv):
    """Desk device add, temporary passcode (R26), online card activation (R27),
    reactivation (R28) and marking a device lost (R29) each send their notice,
    naming the device but never the passcode or card values."""
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    dev = srv.sls_user("alice")
    [m] = notices(srv)
    check(m, "notice.device_activated", T, names=["dsc_plus"])

    srv.set_clock(T + 10)
    passcode = issue_ok(srv)
    [m] = notices(srv, kind="notice.temporary_passcode")
    check(m, "notice.temporary_passcode", T + 10, secrets=[passcode["passcode"]])

    srv.set_clock(T + 20)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    assert len(notices(srv)) == 2  # a card not yet activated is no activation
    st, js, raw = card_activate(srv, token, card)
    assert st == 200, (st, raw)
    values = list(card["cells"].values())
    [m] = notices(srv, kind="notice.device_activated")[1:]
    check(m, "notice.device_activated", T + 20, secrets=[passcode["passcode"]],
          names=["Online security card"])
    # No card value: apart from its time the notice holds no digit at all.
    assert values and not re.search(r"[0-9]", m["body"].replace(rfc3339(T + 20), "")), m

    srv.set_clock(T + 30)
    ch = challenge_of(srv, token, dev.id)
    st, js, raw = reactivate(srv, token, dev.id, dev.answer(ch))
    assert st == 200, (st, raw)
    [m] = notices(srv, kind="notice.device_activated")[2:]
    check(m, "notice.device_activated", T + 30, secrets=[passcode["passcode"]])

    srv.set_clock(T + 40)
    verify(srv)
    st, js, raw = mark_lost(srv, dev.id)
    assert st == 200, (st, raw)
    [m] = notices(srv, kind="notice.device_lost")
    check(m, "notice.device_lost", T + 40)
    # One notice per event, nothing else.
    assert [n["kind"] for n in notices(srv)] == [
        "notice.device_activated", "notice.temporary_passcode", "notice.device_activated",
        "notice.device_activated", "notice.device_lost"]


def test_shipped_device_activated_by_its_challenge(srv):
    """R21/R28: a card the desk shipped is no activation; answering its
    challenge from a passcode session is, and is told."""
    srv.create_user("alice")
    card = srv.add_device("alice", state="shipped", label="Blue DSC+")
    assert notices(srv) == []
    passcode = issue_ok(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    ch = challenge_of(srv, token, card.id)
    st, js, raw = reactivate(srv, token, card.id, card.answer(ch))
    assert st == 200 and js["device"]["state"] == "active", (st, raw)
    [m] = notices(srv, kind="notice.device_activated")
    check(m, "notice.device_activated", T, secrets=[passcode["passcode"], card.answer(ch)],
          names=["Blue DSC+"])


def test_sms_enrolment_and_new_mobile_authenticator(srv):
    """R30 SMS enrolment activates a device; R20 a new mobile authenticator:
    each is told, without the code that was sent to the phone."""
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    enrol_sms(srv, token, OTHER, device=card)
    code = last_code(srv, e164(OTHER))["code"]
    [m] = notices(srv, kind="notice.device_activated")[1:]
    check(m, "notice.device_activated", T, secrets=[code])

    srv.set_clock(T + 100)
    app = App(srv)
    ibkey_activate(srv, app, "alice", phone=OTHER, device=card)
    code = last_code(srv, e164(OTHER))["code"]
    [m] = notices(srv, kind="notice.authenticator_activated")
    check(m, "notice.authenticator_activated", T + 100, secrets=[code])


def test_new_phone_on_record(srv):
    """§10.3: a number added with POST /v1/me/phones can receive activation
    codes from then on: the holder is told, the number masked, without the
    code that confirmed it; a refused confirmation sends nothing."""
    card = srv.sls_user("alice")
    token = srv.full_login("alice", card)["token"]
    srv.step_up(token, card)
    st, js, raw = srv.pub("POST", "/v1/me/phones", {"phone": OTHER}, token=token)
    assert st == 202, (st, raw)
    code = last_code(srv, e164(OTHER))["code"]
    wrong = "000000" if code != "000000" else "111111"
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": wrong}, token=token)
    assert st == 400, (st, raw)
    assert notices(srv, kind="notice.phone_added") == []
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    st, js, raw = srv.pub("POST", "/v1/me/phones/confirm", {"code": code}, token=token)
    assert st == 201, (st, raw)
    [m] = notices(srv, kind="notice.phone_added")
    check(m, "notice.phone_added", T, secrets=[code, OTHER["number"]], names=["+41*******67"])


def test_sharing_tells_both_users_when_it_takes_effect(srv):
    """R32 across accounts: nothing at the request, both users at the approval."""
    adev, token, bdev = pair(srv, same_account=False)
    before = {u: len(notices(srv, u)) for u in ("alice", "bob")}
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    js = share_ok(srv, token, bdev)
    assert js["status"] == "pending_compliance", js
    assert {u: len(notices(srv, u)) for u in ("alice", "bob")} == before
    srv.set_clock(T + 5)
    st, got, raw = srv.adm("POST", "/v1/admin/sharing-requests/%s/approve" % js["request_id"])
    assert st == 200, (st, raw)
    [m] = notices(srv, "bob", "notice.device_shared")
    check(m, "notice.device_shared", T + 5, names=["alice"])
    [m] = notices(srv, "alice", "notice.device_shared_with_you")
    check(m, "notice.device_shared_with_you", T + 5, names=["bob"])


def test_sharing_at_once_and_cancel_restores(srv):
    """R32 in one account: the sharing takes effect at once; the cancel brings
    alice's device back, an activation."""
    adev, token, bdev = pair(srv)
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    share_ok(srv, token, bdev)
    check(notices(srv, "bob", "notice.device_shared")[0], "notice.device_shared", T)
    check(notices(srv, "alice", "notice.device_shared_with_you")[0],
          "notice.device_shared_with_you", T)
    srv.set_clock(T + 7)
    st, js, raw = srv.pub("DELETE", "/v1/me/share-device", token=token)
    assert st == 200 and js["restored"] == [adev.id], (st, raw)
    m = notices(srv, "alice", "notice.device_activated")[-1]
    check(m, "notice.device_activated", T + 7)


def test_password_changes_every_way(srv):
    """Self-service (R3), the desk's reset by code (R29): each tells the holder,
    never with the password or the code."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    st, js, raw = post(srv, "/v1/me/password", token, current_password=PASSWORD,
                       new_password="NewPass99")
    assert st == 200, (st, raw)
    [m] = notices(srv, kind="notice.password_changed")
    check(m, "notice.password_changed", T, secrets=[PASSWORD, "NewPass99"])

    srv.set_clock(T + 50)
    _, code = sent_code(srv)
    st, js, raw = complete(srv, code, password="Another2026")
    assert st == 200, (st, raw)
    m = notices(srv, kind="notice.password_changed")[1]
    check(m, "notice.password_changed", T + 50, secrets=[code, "Another2026"])


def test_email_change_tells_the_old_address(srv):
    """R4: the notice goes to the OLD address (the one an attacker could not
    read), naming the new one; nothing to the new address."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       password=PASSWORD)
    assert st == 200 and js["status"] == "changed", (st, raw)
    [m] = notices(srv, kind="notice.email_changed")
    assert m["to"] == "alice@example.com"
    check(m, "notice.email_changed", T, secrets=[PASSWORD], names=["new@example.org"])
    assert outbox(srv, "new@example.org") == []


def test_review_approval_sends_the_notices(srv):
    """R4, R31: a change waiting for review sends nothing; the approval that
    applies it does (e-mail: to the old address)."""
    token = outside_user(srv)
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    st, js, raw = post(srv, "/v1/me/email", token, new_email="new@example.org",
                       password=PASSWORD)
    assert st == 202, (st, raw)
    st, js2, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 202, (st, raw)
    assert notices(srv, "olive") == []
    srv.set_clock(T + 3)
    assert srv.adm("POST", "/v1/admin/reviews/%d/approve" % js2["review_id"])[0] == 200
    [m] = notices(srv, "olive", "notice.bank_instructions_changed")
    check(m, "notice.bank_instructions_changed", T + 3, secrets=[BANK["account_number"]])
    srv.set_clock(T + 4)
    assert srv.adm("POST", "/v1/admin/reviews/%d/approve" % js["review_id"])[0] == 200
    [m] = notices(srv, "olive", "notice.email_changed")
    check(m, "notice.email_changed", T + 4, names=["new@example.org"])


def test_bank_instructions_at_once_and_leaving_sls(srv):
    """R4 bank instructions applied at once; R30 opt-out."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    step_up(srv, token, dev)
    T = srv.now() + 60  # the instant of the event, exact on the frozen clock
    srv.set_clock(T)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    assert st == 200, (st, raw)
    [m] = notices(srv, kind="notice.bank_instructions_changed")
    check(m, "notice.bank_instructions_changed", T, secrets=[BANK["account_number"]])
    srv.set_clock(T + 9)
    step_up(srv, token, dev)
    st, js, raw = post(srv, "/v1/me/sls", token, participate=False)
    assert st == 200 and js["changed"] is True, (st, raw)
    [m] = notices(srv, kind="notice.left_sls")
    check(m, "notice.left_sls", T + 9)


def test_refused_events_send_nothing(srv):
    """An attempt that changes nothing tells nobody: a wrong current password,
    a lost mark without a verification, a passcode without one."""
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    n = len(notices(srv))
    st, js, raw = post(srv, "/v1/me/password", token, current_password="Wrong1234",
                       new_password="NewPass99")
    assert st == 403, (st, raw)
    assert mark_lost(srv, dev.id)[0] == 403
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/temporary-passcode", {})
    assert st == 403, (st, raw)
    assert len(notices(srv)) == n


@pytest.mark.sqlite_only("blanks a user's e-mail address with sqlite3")
def test_no_address_on_record_no_notice(srv):
    """A user whose record holds no e-mail address gets no notice; the event
    itself still happens."""
    srv.sls_user("alice")
    con = sqlite3.connect(os.path.join(srv.workdir, "sls.db"), timeout=10)
    with con:
        con.execute("UPDATE users SET email = '' WHERE username = 'alice'")
    con.close()
    st, js, raw = srv.pub("GET", "/v1/dev/outbox")
    before = len(js)
    lock_account(srv)
    st, js, raw = srv.pub("GET", "/v1/dev/outbox")
    assert len(js) == before, js[before:]
    assert srv.lock_state("alice")["locked"] is True
