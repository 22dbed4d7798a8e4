"""R32 device sharing: a logged-in user (the requester) shares the device of
another of their user names (the owner) with the owner's password and a
response from the owner's device. Every condition and its error, immediate
sharing within one account and compliance approval across accounts, the
requester's own devices inactive while shared and back on cancel, and the
shared device answering logins for both user names."""

import os
import sqlite3

import pytest

from test_dsc_plus import step_up
from test_temporary import events, issue_ok

IDENT = {"dob": "1975-03-04", "citizenship": "DE", "residence": "DE", "id_type": "passport",
         "id_number": "C01X00T47"}


def pair(srv, owner_kind="dsc_plus", requester_kind="scc", same_account=True,
         owner_identity=None):
    """alice (requester, logged in and stepped up) and bob (owner); returns
    (alice's device, alice's token, bob's device)."""
    a = srv.create_user("alice", identity=dict(IDENT))
    fields = {"identity": dict(owner_identity or IDENT)}
    if same_account:
        fields.update(account_id=a["account_id"], primary=False)
    srv.create_user("bob", **fields)
    adev = srv.add_device("alice", requester_kind)
    bdev = srv.add_device("bob", owner_kind)
    token = srv.full_login("alice", adev)["token"]
    step_up(srv, token, adev)
    return adev, token, bdev


def share(srv, token, **body):
    body.setdefault("owner_username", "bob")
    body.setdefault("owner_password", "Secret123")
    return srv.pub("POST", "/v1/me/share-device", body, token=token)


def share_ok(srv, token, bdev, **body):
    st, js, raw = share(srv, token, **body)
    assert st == 200, (st, raw)
    assert js["device_id"] == bdev.id, js
    st, js2, raw = share(srv, token, response=bdev.answer(js["challenge"]), **body)
    assert st == 200, (st, raw)
    return js2


def cancel(srv, token):
    return srv.pub("DELETE", "/v1/me/share-device", token=token)


def states(srv, user):
    return {d["id"]: d["state"] for d in srv.user_view(user)["devices"]}


def login_devices(srv, user):
    st, js, raw = srv.login(user)
    assert st == 200, (st, raw)
    return [d["id"] for d in js["devices"]]


def requests(srv, query=""):
    st, js, raw = srv.adm("GET", "/v1/admin/sharing-requests" + query)
    assert st == 200, (st, raw)
    return js["requests"]


def test_r32_same_account_shares_at_once_and_cancel_restores(srv):
    adev, token, bdev = pair(srv)
    js = share_ok(srv, token, bdev)
    assert js["status"] == "active" and len(js["request_id"]) == 32, js
    # alice's own device is inactive; bob's device answers for both.
    assert states(srv, "alice")[adev.id] == "inactive"
    assert login_devices(srv, "alice") == [bdev.id]
    session = srv.full_login("alice", bdev)
    assert session["factor"] == "dsc_plus", session
    srv.full_login("bob", bdev)
    st, me, raw = srv.pub("GET", "/v1/me", token=session["token"])
    shared = [d for d in me["devices"] if d["id"] == bdev.id]
    assert shared and shared[0].get("shared") is True, me
    ev = events(srv, "sharing.request")
    assert len(ev) == 1 and ev[0]["outcome"] == "active", ev
    # Cancel: exactly alice's device comes back; bob's no longer answers for her.
    st, js2, raw = cancel(srv, token)
    assert st == 200 and js2["status"] == "cancelled", (st, raw)
    assert js2["restored"] == [adev.id], js2
    assert states(srv, "alice")[adev.id] == "active"
    assert login_devices(srv, "alice") == [adev.id]
    srv.full_login("alice", adev)
    srv.full_login("bob", bdev)
    # The session alice opened with bob's device ended with the sharing.
    assert srv.pub("GET", "/v1/me", token=session["token"])[0] == 401
    assert cancel(srv, token)[0] == 404
    assert [e["outcome"] for e in events(srv, "sharing.cancel")] == ["ok"]


def test_r32_step_up_on_the_shared_device(srv):
    adev, token, bdev = pair(srv)
    share_ok(srv, token, bdev)
    session = srv.full_login("alice", bdev)
    st, js, raw = srv.pub("DELETE", "/v1/me/share-device", token=session["token"])
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    step_up(srv, session["token"], bdev)
    assert cancel(srv, session["token"])[0] == 200


def test_r32_across_accounts_waits_for_compliance(srv):
    adev, token, bdev = pair(srv, same_account=False)
    js = share_ok(srv, token, bdev)
    assert js["status"] == "pending_compliance", js
    # Nothing changes before the approval.
    assert states(srv, "alice")[adev.id] == "active"
    assert login_devices(srv, "alice") == [adev.id]
    pending = requests(srv, "?state=pending_compliance")
    assert [(r["request_id"], r["requester"], r["owner"]) for r in pending] == \
        [(js["request_id"], "alice", "bob")], pending
    # A second request while one is open.
    st, js2, raw = share(srv, token)
    assert st == 409, (st, raw)
    st, got, raw = srv.adm("POST", "/v1/admin/sharing-requests/%s/approve" % js["request_id"])
    assert st == 200 and got["state"] == "active" and got["decided_by"] == "agent:admin", (st, raw)
    assert states(srv, "alice")[adev.id] == "inactive"
    srv.full_login("alice", bdev)
    # Decided once only.
    assert srv.adm("POST", "/v1/admin/sharing-requests/%s/deny" % js["request_id"])[0] == 409
    assert srv.adm("POST", "/v1/admin/sharing-requests/%s/approve" % js["request_id"])[0] == 409
    assert [e["outcome"] for e in events(srv, "sharing.approve")] == ["ok", "not_pending"]
    assert cancel(srv, token)[1]["restored"] == [adev.id]


def test_r32_compliance_denies(srv):
    adev, token, bdev = pair(srv, same_account=False)
    js = share_ok(srv, token, bdev)
    st, got, raw = srv.adm("POST", "/v1/admin/sharing-requests/%s/deny" % js["request_id"])
    assert st == 200 and got["state"] == "denied", (st, raw)
    assert states(srv, "alice")[adev.id] == "active"
    assert login_devices(srv, "alice") == [adev.id]
    assert cancel(srv, token)[0] == 404
    # A new request may follow.
    assert share_ok(srv, token, bdev)["status"] == "pending_compliance"
    assert srv.adm("POST", "/v1/admin/sharing-requests/%s/deny" % ("0" * 32))[0] == 404
    assert srv.adm("POST", "/v1/admin/sharing-requests/nope/approve")[0] == 404
    assert srv.adm("GET", "/v1/admin/sharing-requests?state=bogus")[0] == 400


def test_r32_pending_cancelled_by_the_requester(srv):
    adev, token, bdev = pair(srv, same_account=False)
    js = share_ok(srv, token, bdev)
    st, js2, raw = cancel(srv, token)
    assert st == 200 and js2["restored"] == [], (st, raw)
    assert requests(srv)[0]["state"] == "cancelled"
    assert srv.adm("POST", "/v1/admin/sharing-requests/%s/approve" % js["request_id"])[0] == 409


def test_r32_different_identification(srv):
    adev, token, bdev = pair(srv, owner_identity=dict(IDENT, id_number="OTHER"))
    st, js, raw = share(srv, token)
    assert st == 403 and js["error"] == "different_identification", (st, raw)
    assert requests(srv) == []


def test_r32_no_identification_on_record_never_matches(srv):
    srv.create_user("alice")
    srv.create_user("bob")
    adev = srv.add_device("alice", "scc")
    srv.add_device("bob", "dsc_plus")
    token = srv.full_login("alice", adev)["token"]
    step_up(srv, token, adev)
    st, js, raw = share(srv, token)
    assert st == 403 and js["error"] == "different_identification", (st, raw)


def test_r32_temporary_device_assigned_on_either_side(srv):
    adev, token, bdev = pair(srv)
    issue_ok(srv, "bob")
    st, js, raw = share(srv, token)
    assert st == 409 and js["error"] == "temporary_device_assigned", (st, raw)
    assert states(srv, "alice")[adev.id] == "active"


def test_r32_less_secure_device(srv):
    adev, token, bdev = pair(srv, owner_kind="scc", requester_kind="dsc_plus")
    st, js, raw = share(srv, token)
    assert st == 409 and js["error"] == "less_secure_device", (st, raw)
    # The owner's weaker device named explicitly while a stronger one exists.
    gold = srv.add_device("bob", "gold")
    st, js, raw = share(srv, token, device_id=bdev.id)
    assert st == 409 and js["error"] == "less_secure_device", (st, raw)
    # Equal strength (gold = dsc_plus) is enough.
    st, js, raw = share(srv, token, device_id=gold.id)
    assert st == 200 and js["device_id"] == gold.id, (st, raw)


@pytest.mark.sqlite_only("turns a card into a mobile authenticator with sqlite3 while slsd is stopped")
def test_r32_ibkey_not_shareable(srv):
    adev, token, bdev = pair(srv, owner_kind="dsc")

    def make_ibkey(workdir):
        # The mobile authenticator has no registration route in this version:
        # the owner's card becomes one in the store while slsd is stopped.
        db = sqlite3.connect(os.path.join(str(workdir), "sls.db"))
        db.execute("UPDATE devices SET type = 3 WHERE id = ?", (bdev.id,))  # 3: ibkey
        db.commit()
        db.close()

    srv = srv.restart(while_stopped=make_ibkey)
    token = srv.full_login("alice", adev)["token"]
    step_up(srv, token, adev)
    st, js, raw = share(srv, token)
    assert st == 409 and js["error"] == "ibkey_not_shareable", (st, raw)
    assert requests(srv) == []


def test_r32_owner_credentials_and_response_are_checked(srv):
    adev, token, bdev = pair(srv)
    st, js, raw = share(srv, token, owner_password="Wrong123")
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)
    assert srv.lock_state("bob")["failures"] == 1
    st, js2, raw = share(srv, token, owner_username="nobody")
    assert st == 401 and js2["message"] == js["message"], (st, raw)
    st, js, raw = share(srv, token, owner_username="alice")
    assert st == 400, (st, raw)
    st, js, raw = share(srv, token, device_id="f" * 32)
    assert st == 404, (st, raw)
    st, js, raw = share(srv, token, device_id=adev.id)  # not bob's
    assert st == 404, (st, raw)
    # A wrong response from bob's device counts toward bob's lockout.
    st, ch, raw = share(srv, token)
    assert st == 200, (st, raw)
    st, js, raw = share(srv, token, response="00000000")
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("bob")["failures"] == 2
    assert srv.lock_state("alice")["failures"] == 0
    # The challenge is used up.
    st, js, raw = share(srv, token, response=bdev.answer(ch["challenge"]))
    assert st == 409, (st, raw)
    st, js, raw = share(srv, token, response="1234 5678")
    assert st in (400, 409), (st, raw)
    assert requests(srv) == []
    assert states(srv, "alice")[adev.id] == "active"


def test_r32_needs_step_up_and_sls(srv):
    srv.create_user("alice", identity=dict(IDENT))
    srv.create_user("bob", identity=dict(IDENT))
    adev = srv.add_device("alice", "scc")
    srv.add_device("bob", "dsc_plus")
    token = srv.full_login("alice", adev)["token"]
    st, js, raw = share(srv, token)
    assert st == 403 and js["error"] == "step_up_required", (st, raw)
    assert cancel(srv, token)[1]["error"] == "step_up_required"
    srv.create_user("carol", identity=dict(IDENT), sls=False)
    st, login, raw = srv.login("carol")
    assert st == 200 and login["status"] == "authenticated", (st, raw)
    st, js, raw = share(srv, login["session"]["token"])
    assert st == 403 and js["error"] == "forbidden", (st, raw)


def test_r32_bad_input_changes_nothing(srv):
    adev, token, bdev = pair(srv)
    for body in ({"owner_username": 5}, {"owner_password": None}, {"device_id": "x"},
                 {"response": 12345678}):
        st, js, raw = share(srv, token, **body)
        assert 400 <= st < 500, (body, st, raw)
    assert requests(srv) == []
    assert srv.lock_state("bob")["failures"] == 0


def test_r32_owner_device_lost_ends_the_requesters_sessions_too(srv):
    adev, token, bdev = pair(srv)
    share_ok(srv, token, bdev)
    session = srv.full_login("alice", bdev)
    st, js, raw = srv.adm("POST", "/v1/admin/users/bob/identity-verifications",
                          {"channel": "phone"})
    assert st == 201, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/bob/devices/%s/lost" % bdev.id)
    assert st == 200 and js["sessions_revoked"] == 1, (st, raw)
    assert srv.pub("GET", "/v1/me", token=session["token"])[0] == 401
    # The lost device answers for nobody; alice cancels and gets her card back.
    st, login, raw = srv.login("alice")
    assert st == 403 and login["error"] == "no_active_device", (st, raw)
    assert cancel(srv, token)[1]["restored"] == [adev.id]
    srv.full_login("alice", adev)


def test_r32_devices_inactive_by_sharing_are_not_reactivated(srv):
    adev, token, bdev = pair(srv, requester_kind="dsc")
    share_ok(srv, token, bdev)
    path = "/v1/me/devices/%s/reactivate" % adev.id
    st, js, raw = srv.pub("POST", path, {}, token=token)
    assert st == 409 and "share" in js["message"], (st, raw)
    assert states(srv, "alice")[adev.id] == "inactive"
    assert cancel(srv, token)[0] == 200
    assert states(srv, "alice")[adev.id] == "active"


def test_r32_parallel_completions_record_one_request(srv):
    from concurrent.futures import ThreadPoolExecutor
    adev, token, bdev = pair(srv)
    st, ch, raw = share(srv, token)
    assert st == 200, (st, raw)
    answer = bdev.answer(ch["challenge"])
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: share(srv, token, response=answer), range(8)))
    ok = [js for st, js, raw in results if st == 200]
    assert len(ok) == 1, results
    assert all(st == 409 for st, js, raw in results if st != 200), results
    assert len(requests(srv)) == 1
    assert states(srv, "alice")[adev.id] == "inactive"


def open_request(srv, token):
    return srv.pub("GET", "/v1/me/share-device", token=token)


def test_r32_open_request_read_back_pending_then_active(srv):
    """GET /v1/me/share-device shows the requester's open request on every
    visit: waiting for compliance, then active after the desk's approval,
    then nothing once cancelled."""
    adev, token, bdev = pair(srv, same_account=False)
    st, js, raw = open_request(srv, token)
    assert st == 404 and js["error"] == "not_found", (st, raw)
    js = share_ok(srv, token, bdev)
    requested = srv.pub("GET", "/v1/dev/clock")[1]
    st, got, raw = open_request(srv, token)
    assert st == 200, (st, raw)
    assert got["request_id"] == js["request_id"] and got["status"] == "pending_compliance", got
    assert got["owner_username"] == "bob", got
    assert got["device"]["id"] == bdev.id and got["device"]["type"] == "dsc_plus", got
    assert got["device"]["state"] == "active", got
    assert got["approved_at"] is None, got
    assert got["requested_at"].startswith(requested["now"][:16]), (got, requested)
    srv.advance(60)
    st, _, raw = srv.adm("POST", "/v1/admin/sharing-requests/%s/approve" % js["request_id"])
    assert st == 200, (st, raw)
    # alice's own device is inactive now: bob's answers her logins.
    token = srv.full_login("alice", bdev)["token"]
    st, got2, raw = open_request(srv, token)
    assert st == 200 and got2["status"] == "active", (st, raw)
    assert got2["request_id"] == js["request_id"] and got2["requested_at"] == got["requested_at"]
    assert got2["approved_at"] is not None and got2["approved_at"] > got2["requested_at"], got2
    step_up(srv, token, bdev)
    assert cancel(srv, token)[0] == 200
    token = srv.full_login("alice", adev)["token"]
    step_up(srv, token, adev)
    assert open_request(srv, token)[0] == 404
    # A denied request is not open either.
    share_ok(srv, token, bdev)
    req = requests(srv, "?state=pending_compliance")[0]["request_id"]
    assert srv.adm("POST", "/v1/admin/sharing-requests/%s/deny" % req)[0] == 200
    assert open_request(srv, token)[0] == 404


def test_r32_open_request_tells_nothing_more_of_the_owner(srv):
    """The read names only what the requester typed (the owner's user name)
    and the shared device: not the owner's e-mail, phones, account, other
    devices or serials; neither the owner nor another user sees it."""
    adev, token, bdev = pair(srv, same_account=False)
    other = srv.add_device("bob", "gold", label="bobs-spare-card")
    share_ok(srv, token, bdev)
    st, got, raw = open_request(srv, token)
    assert st == 200, (st, raw)
    assert set(got) == {"request_id", "status", "owner_username", "device", "requested_at",
                        "approved_at"}, got
    assert set(got["device"]) == {"id", "type", "label", "state"}, got
    bob = srv.user_view("bob")
    spare = [d for d in bob["devices"] if d["id"] == other.id][0]
    assert spare["serial"], spare
    # The shared device's label is shown (the requester holds that device);
    # nothing of the owner's other device is.
    for secret in ("bob@example.com", bob["account_id"], other.id, "bobs-spare-card",
                   spare["serial"], "2125550100", "gold"):
        assert secret not in raw.decode(), (secret, raw)
    # The owner has no request of theirs to see; a third user neither.
    bob_token = srv.full_login("bob", bdev)["token"]
    st, js, raw = open_request(srv, bob_token)
    assert st == 404, (st, raw)
    srv.create_user("carol", identity=dict(IDENT))
    cdev = srv.add_device("carol", "dsc_plus")
    carol = srv.full_login("carol", cdev)["token"]
    st, js, raw = open_request(srv, carol)
    assert st == 404 and "bob" not in raw.decode(), (st, raw)
    # Without a session: nothing.
    assert srv.pub("GET", "/v1/me/share-device")[0] == 401
