"""R26 temporary passcodes issued by the service desk (after an R40 identity
verification), logging in with them (R6 hint, static challenge), their R11
windows at login and on every request (full 2 days, then the Client Portal for
the online card only until 12 days), and never two in a row."""

import hashlib
import os
import re
import secrets
import threading
import time

import pytest

from client import PASSWORD, parse_time

DAY = 24 * 3600
CASE_HINT = "Temporary passcodes are case sensitive and upper case"
EXPIRED_HINT = "Temporary passcode expired: please call the service desk"


def at(srv, when):
    """Sets the server clock to `when` early in a wall-clock second: the server
    clock keeps ticking, and the requests that follow (well under 0.3 s) must
    still see `when` at a boundary second."""
    frac = time.time() % 1
    if frac > 0.7:
        time.sleep(1.02 - frac)
    return srv.set_clock(when)


def verify(srv, user="alice", token=True):
    """Records a verification; returns when it stops being valid (Unix seconds)."""
    st, js, raw = srv.adm("POST", "/v1/admin/users/%s/identity-verifications" % user,
                          {"channel": "phone"}, token=token)
    assert st == 201, (st, raw)
    return parse_time(js["valid_until"])


def issue(srv, user="alice", token=True):
    return srv.adm("POST", "/v1/admin/users/%s/temporary-passcode" % user, {}, token=token)


def issue_ok(srv, user="alice", token=True):
    verify(srv, user, token)
    st, js, raw = issue(srv, user, token)
    assert st == 201, (st, raw)
    return js


def temp_user(srv, user="alice"):
    """An SLS user without any device, holding a fresh temporary passcode."""
    srv.create_user(user)
    return issue_ok(srv, user)


def issued_at(js):
    """The issue time of a passcode, from the answer that issued it."""
    return parse_time(js["full_access_until"]) - 2 * DAY


def start_passcode_login(srv, user="alice", platform="portal"):
    """Stage 1, then the temporary passcode chosen; returns the login id."""
    st, js, raw = srv.login(user, platform=platform)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    temp = [d for d in js["devices"] if d["type"] == "temporary_passcode"]
    assert len(temp) == 1, js["devices"]
    if not temp[0]["default"]:
        st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                              {"device_id": temp[0]["id"]})
        assert st == 200, (st, raw)
        assert sw["challenge"] == {"kind": "static"}, sw
    else:
        assert js["challenge"] == {"kind": "static"}, js
    return js["login_id"]


def passcode_login(srv, passcode, user="alice", platform="portal"):
    return srv.respond(start_passcode_login(srv, user, platform), passcode)


def session_of(srv, passcode, user="alice", platform="portal"):
    st, js, raw = passcode_login(srv, passcode, user, platform)
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    return js["session"]


def assert_login_failed(st, js, raw, hint):
    assert st == 401, (st, raw)
    assert js["error"] == "login_failed" and js["message"] == "Login failed", raw
    assert js.get("hint") == hint, raw


def events(srv, name, user="alice"):
    return [r for r in srv.audit("?user=%s&limit=1000" % user) if r["event"] == name]


# ---- issuing ----


def test_r26_r40_issue_needs_a_verification_of_the_last_15_minutes(srv):
    srv.create_user("alice")
    st, js, raw = issue(srv)
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    t = at(srv, srv.now())
    until = verify(srv)
    assert until == t + 15 * 60
    at(srv, until)
    st, js, raw = issue(srv)
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    at(srv, until - 1)
    st, js, raw = issue(srv)
    assert st == 201, (st, raw)
    assert [(r["actor"], r["outcome"]) for r in events(srv, "temporary_passcode.issue")] == [
        ("agent:admin", "identity_not_verified"), ("agent:admin", "identity_not_verified"),
        ("agent:admin", "ok")]


@pytest.mark.sqlite_only("reads the SQLite file's bytes for the passcode")
def test_r26_issue_answer_and_device_record(srv):
    srv.create_user("alice")
    t = at(srv, srv.now())
    js = issue_ok(srv)
    assert re.fullmatch(r"[A-Z0-9]{8}", js["passcode"]), js
    assert parse_time(js["full_access_until"]) == t + 2 * DAY, js
    assert parse_time(js["portal_until"]) == t + 12 * DAY, js
    devs = srv.user_view("alice")["devices"]
    assert [(d["type"], d["state"], d["id"]) for d in devs] == [
        ("temporary_passcode", "active", js["device_id"])], devs
    assert parse_time(devs[0]["state_changed_at"]) == t
    # Shown once: neither the audit log nor the store holds the passcode itself.
    recs = srv.audit("?user=alice&limit=1000")
    assert js["passcode"] not in repr(recs)
    assert [r["outcome"] for r in recs if r["event"] == "temporary_passcode.issue"] == ["ok"]
    for name in os.listdir(srv.workdir):
        if name.startswith("sls.db"):
            with open(os.path.join(srv.workdir, name), "rb") as f:
                assert js["passcode"].encode() not in f.read(), name


def test_r26_passcodes_are_random(srv):
    srv.create_user("alice")
    srv.create_user("bob")
    a = issue_ok(srv, "alice")["passcode"]
    b = issue_ok(srv, "bob")["passcode"]
    assert a != b


def test_r26_issue_unknown_user_and_non_participants(srv):
    verify_needed = issue(srv, "nobody")
    assert verify_needed[0] == 404, verify_needed
    st, js, raw = issue(srv, "A" * 300)
    assert st == 404, (st, raw)
    srv.create_user("optout", sls=False)
    verify(srv, "optout")
    st, js, raw = issue(srv, "optout")
    assert st == 409 and js["error"] == "conflict", (st, raw)
    assert "Secure Login System" in js["message"], js
    srv.create_user("gone", account_state="closed")
    verify(srv, "gone")
    st, js, raw = issue(srv, "gone")
    assert st == 409 and "closed" in js["message"], (st, raw)
    assert srv.user_view("optout")["devices"] == []


def test_r26_issue_needs_admin_token(srv):
    srv.create_user("alice")
    st, js, raw = issue(srv, token=None)
    assert st == 401, (st, raw)
    st, js, raw = srv.pub("POST", "/v1/admin/users/alice/temporary-passcode", {})
    assert st == 404, (st, raw)


# ---- logging in with it ----


def test_r26_login_with_the_passcode(srv):
    code = temp_user(srv)["passcode"]
    st, js, raw = srv.login("alice")
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    assert [(d["type"], d["default"]) for d in js["devices"]] == [("temporary_passcode", True)]
    assert js["challenge"] == {"kind": "static"}, js
    st, js, raw = srv.respond(js["login_id"], code)
    assert st == 200 and js["status"] == "authenticated", (st, raw)
    sess = js["session"]
    assert sess["factor"] == "temporary_passcode" and sess["access"] == "full", sess
    st, me, raw = srv.pub("GET", "/v1/me", token=sess["token"])
    assert st == 200 and me["username"] == "alice", (st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=sess["token"])
    assert st == 200 and js["access"] == "full", (st, raw)
    # Single use per login, like every answer (R9).
    assert events(srv, "login.success")[-1]["detail"] == "temporary_passcode"


def test_r26_choose_the_passcode_beside_a_device(srv):
    """Temporarily without the card: the card stays the default, the passcode is offered."""
    srv.sls_user("alice")
    code = issue_ok(srv)["passcode"]
    st, js, raw = srv.login("alice")
    assert st == 200, (st, raw)
    assert [(d["type"], d["default"]) for d in js["devices"]] == [
        ("dsc_plus", True), ("temporary_passcode", False)], js
    sess = session_of(srv, code)
    assert sess["factor"] == "temporary_passcode", sess


def test_r6_lower_case_or_spaced_passcode_fails_with_the_hint(srv):
    code = temp_user(srv)["passcode"]
    mangled = [code[:4] + " " + code[4:], " " + code, code + "\n", code[:7], code + "A"]
    if code.lower() != code:
        mangled.append(code.lower())
    for bad in mangled:
        st, js, raw = passcode_login(srv, bad)
        assert_login_failed(st, js, raw, CASE_HINT)
    wrong = "".join("A" if c != "A" else "B" for c in code)
    assert_login_failed(*passcode_login(srv, wrong), CASE_HINT)
    # The right one still works (the failures did not lock the account).
    session_of(srv, code)


def test_r26_passcode_of_another_user_fails(srv):
    a = temp_user(srv, "alice")["passcode"]
    b = temp_user(srv, "bob")["passcode"]
    assert_login_failed(*passcode_login(srv, b, "alice"), CASE_HINT)
    session_of(srv, a, "alice")


# ---- R11 windows ----


def test_r11_full_access_until_two_days(srv):
    js = temp_user(srv)
    t0, code = issued_at(js), js["passcode"]
    at(srv, t0 + 2 * DAY - 1)
    sess = session_of(srv, code, platform="trading")
    assert sess["access"] == "full", sess
    sess = session_of(srv, code)
    assert sess["access"] == "full", sess
    assert srv.pub("GET", "/v1/me", token=sess["token"])[0] == 200


def test_r11_after_two_days_portal_for_the_online_card_only(srv):
    js = temp_user(srv)
    t0, code = issued_at(js), js["passcode"]
    at(srv, t0 + 2 * DAY)
    st, js, raw = passcode_login(srv, code, platform="trading")
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    assert "Client Portal" in js["hint"] and "service desk" in js["hint"], js
    sess = session_of(srv, code)
    assert sess["access"] == "online_card_only", sess
    st, js, raw = srv.pub("GET", "/v1/me", token=sess["token"])
    assert st == 403 and js["error"] == "online_card_only", (st, raw)
    assert "online security card" in js["message"], js
    st, js, raw = srv.pub("GET", "/v1/session", token=sess["token"])
    assert st == 200 and js["access"] == "online_card_only", (st, raw)
    assert js["factor"] == "temporary_passcode", js
    st, js, raw = srv.pub("DELETE", "/v1/session", token=sess["token"])
    assert st == 200, (st, raw)
    assert srv.pub("GET", "/v1/session", token=sess["token"])[0] == 401
    recs = events(srv, "login.failure")
    assert [(r["outcome"], r["detail"]) for r in recs] == [
        ("factor_refused", "temporary_passcode")], recs


def test_r11_portal_until_twelve_days_then_expired(srv):
    js = temp_user(srv)
    t0, code = issued_at(js), js["passcode"]
    at(srv, t0 + 12 * DAY - 1)
    assert session_of(srv, code)["access"] == "online_card_only"
    at(srv, t0 + 12 * DAY)
    assert_login_failed(*passcode_login(srv, code), EXPIRED_HINT)
    assert_login_failed(*passcode_login(srv, code, platform="trading"), EXPIRED_HINT)
    # A wrong code says nothing about the expiry.
    assert_login_failed(*passcode_login(srv, "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"),
                        CASE_HINT)


def test_r11_open_sessions_follow_the_windows(srv):
    js = temp_user(srv)
    t0, code = issued_at(js), js["passcode"]
    # A trading session (24 h) opened before day 2 ends with the full window.
    srv.set_clock(t0 + 2 * DAY - 3600)
    trading = session_of(srv, code, platform="trading")["token"]
    # A portal session (30 min idle) opened full becomes card-only at day 2.
    srv.set_clock(t0 + 2 * DAY - 600)
    portal = session_of(srv, code)["token"]
    at(srv, t0 + 2 * DAY - 1)
    assert srv.pub("GET", "/v1/me", token=trading)[0] == 200
    assert srv.pub("GET", "/v1/me", token=portal)[0] == 200
    at(srv, t0 + 2 * DAY)
    st, js, raw = srv.pub("GET", "/v1/me", token=trading)
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    assert srv.pub("GET", "/v1/session", token=trading)[0] == 401
    st, js, raw = srv.pub("GET", "/v1/me", token=portal)
    assert st == 403 and js["error"] == "online_card_only", (st, raw)
    st, js, raw = srv.pub("GET", "/v1/session", token=portal)
    assert st == 200 and js["access"] == "online_card_only", (st, raw)
    # A card-only portal session ends at day 12, with the hint.
    srv.set_clock(t0 + 12 * DAY - 600)
    late = session_of(srv, code)["token"]
    at(srv, t0 + 12 * DAY - 1)
    assert srv.pub("GET", "/v1/session", token=late)[0] == 200
    at(srv, t0 + 12 * DAY)
    st, js, raw = srv.pub("GET", "/v1/session", token=late)
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    assert js.get("hint") == EXPIRED_HINT, js


def test_r11_permanent_device_sessions_unchanged(srv):
    dev = srv.sls_user("alice")
    sess = srv.full_login("alice", dev, platform="trading")
    at(srv, parse_time(sess["expires_at"]) - 1)
    assert srv.pub("GET", "/v1/me", token=sess["token"])[0] == 200


# ---- never two in a row ----


def test_r26_never_two_in_a_row(srv):
    srv.sls_user("alice")
    first = issue_ok(srv)
    st, js, raw = issue(srv)
    assert st == 409 and js["error"] == "conflict", (st, raw)
    assert "never issued twice in a row" in js["message"], js
    # Still refused days later, when the first one has expired.
    srv.advance(20 * DAY)
    verify(srv)
    st, js, raw = issue(srv)
    assert st == 409, (st, raw)
    # A device that is only shipped is not an activation.
    srv.add_device("alice", state="shipped")
    st, js, raw = issue(srv)
    assert st == 409, (st, raw)
    assert [r["outcome"] for r in events(srv, "temporary_passcode.issue")] == [
        "ok", "consecutive", "consecutive", "consecutive"]
    assert first["device_id"] in [d["id"] for d in srv.user_view("alice")["devices"]]


def test_r26_allowed_again_after_a_device_was_activated(srv):
    srv.create_user("alice")
    at(srv, srv.now())
    first = issue_ok(srv)
    # Activated in the very second of the issue: not after it.
    srv.add_device("alice")
    st, js, raw = issue(srv)
    assert st == 409, (st, raw)
    old = session_of(srv, first["passcode"])["token"]
    srv.advance(1)
    srv.add_device("alice", type="dsc")
    st, second, raw = issue(srv)
    assert st == 201, (st, raw)
    assert second["passcode"] != first["passcode"] or second["device_id"] != first["device_id"]
    # The new one replaces the old one: its logins and its sessions end.
    states = {d["id"]: d["state"] for d in srv.user_view("alice")["devices"]}
    assert states[first["device_id"]] == "inactive" and states[second["device_id"]] == "active"
    assert srv.pub("GET", "/v1/session", token=old)[0] == 401
    st, js, raw = srv.login("alice")
    assert [d["id"] for d in js["devices"] if d["type"] == "temporary_passcode"] == [
        second["device_id"]], js
    session_of(srv, second["passcode"])
    revoked = events(srv, "temporary_passcode.revoke")
    assert len(revoked) == 1 and first["device_id"] in revoked[0]["detail"], revoked
    assert "sessions_revoked=1" in revoked[0]["detail"], revoked


def test_r26_two_agents_at_once_exactly_one_passcode(start_server):
    bob = secrets.token_hex(24)
    srv = start_server(extra_ini="[agents]\nbob = %s\n" % hashlib.sha256(bob.encode()).hexdigest())
    srv.sls_user("alice")
    verify(srv, token=True)
    verify(srv, token=bob)
    tokens = [True, bob] * 4
    barrier = threading.Barrier(len(tokens))
    results = [None] * len(tokens)

    def run(i):
        barrier.wait(10)
        results[i] = issue(srv, token=tokens[i])[:2]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = sorted(r[0] for r in results)
    assert statuses == [201] + [409] * (len(tokens) - 1), results
    devs = srv.user_view("alice")["devices"]
    assert [d["type"] for d in devs].count("temporary_passcode") == 1, devs
    outcomes = [r["outcome"] for r in events(srv, "temporary_passcode.issue")]
    assert sorted(outcomes) == ["consecutive"] * (len(tokens) - 1) + ["ok"], outcomes
    winner = [r[1] for r in results if r[0] == 201][0]
    session_of(srv, winner["passcode"])


# ---- R29 a device marked lost ----


def mark_lost(srv, device_id, user="alice", token=True):
    return srv.adm("POST", "/v1/admin/users/%s/devices/%s/lost" % (user, device_id), {},
                   token=token)


def test_r29_mark_lost_needs_a_verification(srv):
    dev = srv.sls_user("alice")
    st, js, raw = mark_lost(srv, dev.id)
    assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
    assert srv.user_view("alice")["devices"][0]["state"] == "active"
    until = verify(srv)
    at(srv, until)
    assert mark_lost(srv, dev.id)[0] == 403
    at(srv, until - 1)
    st, js, raw = mark_lost(srv, dev.id)
    assert st == 200, (st, raw)
    recs = events(srv, "device.lost")
    assert [(r["actor"], r["user"], r["outcome"]) for r in recs] == [
        ("agent:admin", "alice", "identity_not_verified"),
        ("agent:admin", "alice", "identity_not_verified"), ("agent:admin", "alice", "ok")], recs
    assert all(dev.id in r["detail"] for r in recs), recs


def test_r29_lost_device_stops_working_at_once(srv):
    dev = srv.sls_user("alice")
    card = srv.add_device("alice", type="scc")
    portal = srv.full_login("alice", dev)["token"]
    trading = srv.full_login("alice", dev, platform="trading")["token"]
    st, js, raw = srv.login("alice")
    assert js["challenge"]["kind"] == "challenge_response", js
    st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"], {"device_id": card.id})
    other = srv.respond(js["login_id"], card.answer(sw["challenge"]))[1]["session"]["token"]
    st, pending, raw = srv.login("alice")
    assert pending["challenge"]["kind"] == "challenge_response", pending
    t = at(srv, srv.now())
    verify(srv)
    st, js, raw = mark_lost(srv, dev.id)
    assert st == 200, (st, raw)
    assert js["device"]["id"] == dev.id and js["device"]["state"] == "lost", js
    assert js["device"]["type"] == "dsc_plus" and parse_time(js["device"]["state_changed_at"]) == t
    assert js["sessions_revoked"] == 2, js
    # Its sessions are over; the other device's session is not.
    for token in (portal, trading):
        st, js, raw = srv.pub("GET", "/v1/me", token=token)
        assert st == 401 and js["error"] == "unauthorized", (st, raw)
    assert srv.pub("GET", "/v1/me", token=other)[0] == 200
    # A login waiting for it fails even with the right answer.
    st, js, raw = srv.respond(pending["login_id"], dev.answer(pending["challenge"]))
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    assert events(srv, "login.failure")[-1]["outcome"] == "device_not_active"
    # Logins no longer offer it.
    st, js, raw = srv.login("alice")
    assert [d["id"] for d in js["devices"]] == [card.id], js
    st, js, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"], {"device_id": dev.id})
    assert st == 400, (st, raw)
    assert [d["state"] for d in srv.user_view("alice")["devices"]] == ["lost", "active"]
    rec = events(srv, "device.lost")[-1]
    assert (rec["actor"], rec["outcome"]) == ("agent:admin", "ok"), rec
    assert dev.id in rec["detail"] and "sessions_revoked=2" in rec["detail"], rec


def test_r29_lost_then_temporary_passcode(srv):
    """The desk marks the card lost and issues a passcode; the user goes on with it."""
    dev = srv.sls_user("alice")
    verify(srv)
    assert mark_lost(srv, dev.id)[0] == 200
    st, js, raw = srv.login("alice")
    assert st == 403 and js["error"] == "no_active_device", (st, raw)
    st, code, raw = issue(srv)
    assert st == 201, (st, raw)
    st, js, raw = srv.login("alice")
    assert [(d["type"], d["default"]) for d in js["devices"]] == [("temporary_passcode", True)]
    st, js, raw = srv.respond(js["login_id"], code["passcode"])
    assert st == 200 and js["session"]["access"] == "full", (st, raw)


def test_r29_lost_passcode_stops_working(srv):
    js = temp_user(srv)
    sess = session_of(srv, js["passcode"])["token"]
    st, body, raw = mark_lost(srv, js["device_id"])
    assert st == 200 and body["sessions_revoked"] == 1, (st, raw)
    assert srv.pub("GET", "/v1/session", token=sess)[0] == 401
    st, body, raw = srv.login("alice")
    assert st == 403 and body["error"] == "no_active_device", (st, raw)
    # A lost passcode is still the last temporary credential: no second one.
    st, body, raw = issue(srv)
    assert st == 409, (st, raw)


def test_r29_mark_lost_refusals(srv):
    dev = srv.sls_user("alice")
    bobs = srv.sls_user("bob")
    verify(srv)
    for bad in (bobs.id, "0" * 32, "zz", dev.id.upper(), dev.id + "0"):
        st, js, raw = mark_lost(srv, bad)
        assert st == 404 and js["error"] == "not_found", (bad, st, raw)
    st, js, raw = mark_lost(srv, dev.id, user="nobody")
    assert st == 404, (st, raw)
    assert mark_lost(srv, dev.id)[0] == 200
    st, js, raw = mark_lost(srv, dev.id)
    assert st == 409 and js["error"] == "conflict" and "already" in js["message"], (st, raw)
    st, js, raw = mark_lost(srv, dev.id, token=None)
    assert st == 401, (st, raw)
    assert [d["state"] for d in srv.user_view("bob")["devices"]] == ["active"]
    outcomes = [r["outcome"] for r in events(srv, "device.lost")]
    assert outcomes == ["unknown_device", "unknown_device", "ok", "already_lost"], outcomes


# ---- a forgotten PIN reset by the service desk (R21, R22) ----


def pin_reset(srv, device_id, pin="9876", user="alice", token=True):
    body = {} if pin is None else {"pin": pin}
    return srv.adm("POST", "/v1/admin/users/%s/devices/%s/pin-reset" % (user, device_id), body,
                   token=token)


def test_pin_reset_for_dsc_plus_and_dsc(srv):
    for kind in ("dsc_plus", "dsc"):
        user = "u" + kind.replace("_", "")
        dev = srv.sls_user(user, type=kind)
        st, js, raw = pin_reset(srv, dev.id, user=user)
        assert st == 403 and js["error"] == "identity_not_verified", (st, raw)
        verify(srv, user)
        st, js, raw = pin_reset(srv, dev.id, "9876", user=user)
        assert st == 200 and js["pin_reset"] is True, (st, raw)
        assert js["device"]["id"] == dev.id and js["device"]["state"] == "active", js
        # The old PIN no longer answers; the new one does.
        st, lg, raw = srv.login(user)
        st, js, raw = srv.respond(lg["login_id"], dev.answer(lg["challenge"]))
        assert st == 401 and js["error"] == "login_failed", (st, raw)
        dev.pin = "9876"
        srv.full_login(user, dev)
        recs = events(srv, "device.pin_reset", user)
        assert [(r["actor"], r["outcome"]) for r in recs] == [
            ("agent:admin", "identity_not_verified"), ("agent:admin", "ok")], recs
        assert all(dev.id in r["detail"] and "9876" not in r["detail"] for r in recs), recs


def test_pin_reset_refused_where_the_server_knows_no_pin(srv):
    srv.create_user("alice")
    verify(srv)
    for kind in ("platinum", "gold"):
        dev = srv.add_device("alice", type=kind)
        st, js, raw = pin_reset(srv, dev.id)
        assert st == 409 and js["error"] == "conflict", (st, raw)
        assert "kept on the device" in js["message"], js
    card = srv.add_device("alice", type="scc")
    st, js, raw = pin_reset(srv, card.id)
    assert st == 409 and "no PIN" in js["message"], (st, raw)
    code = issue_ok(srv)
    st, js, raw = pin_reset(srv, code["device_id"])
    assert st == 409, (st, raw)
    lost = srv.add_device("alice")
    assert mark_lost(srv, lost.id)[0] == 200
    st, js, raw = pin_reset(srv, lost.id)
    assert st == 409 and "lost" in js["message"], (st, raw)
    outcomes = [r["outcome"] for r in events(srv, "device.pin_reset")]
    assert outcomes == ["pin_on_device", "pin_on_device", "no_pin", "no_pin",
                        "device_not_held"], outcomes


def test_pin_reset_bad_input(srv):
    dev = srv.sls_user("alice")
    other = srv.sls_user("bob")
    verify(srv)
    for bad in ("123", "12345", "12a4", "", " 123", "１２３４"):
        st, js, raw = pin_reset(srv, dev.id, bad)
        assert st == 400 and js["error"] == "bad_request", (bad, st, raw)
    st, js, raw = pin_reset(srv, dev.id, None)
    assert st == 400, (st, raw)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/pin-reset" % dev.id,
                          {"pin": 1234})
    assert st == 400, (st, raw)
    for bad_id in (other.id, "0" * 32, "nope"):
        st, js, raw = pin_reset(srv, bad_id)
        assert st == 404, (bad_id, st, raw)
    assert pin_reset(srv, dev.id, user="nobody")[0] == 404
    # Nothing changed: the old PIN still answers.
    srv.full_login("alice", dev)
