"""R28 reactivation: a user back in possession of a device (or holding its
replacement) answers a challenge from it; from then on the temporary passcode
and online cards stop working and the sessions they opened are revoked, while
the session that reactivated goes on, now standing on the device."""

import threading

from test_online_card import activate, card_login, new_card
from test_temporary import at, events, issue, issue_ok, session_of, verify

DAY = 24 * 3600


def reactivate(srv, token, device_id, response=None):
    body = {} if response is None else {"response": response}
    return srv.pub("POST", "/v1/me/devices/%s/reactivate" % device_id, body, token=token)


def challenge_of(srv, token, device_id):
    st, js, raw = reactivate(srv, token, device_id)
    assert st == 200, (st, raw)
    assert js["device_id"] == device_id, js
    return js["challenge"]


def holder(srv, user="alice", type="dsc_plus"):
    """A user whose device is away: a passcode session and an activated card,
    plus a second session opened with the card. Returns (device, passcode,
    passcode token, card, card token)."""
    dev = srv.sls_user(user, type=type)
    srv.advance(1)
    passcode = issue_ok(srv, user)
    token = session_of(srv, passcode["passcode"], user)["token"]
    card = new_card(srv, token)
    st, js, raw = activate(srv, token, card)
    assert st == 200, (st, raw)
    st, js, raw = card_login(srv, card, user)
    assert st == 200, (st, raw)
    return dev, passcode, token, card, js["session"]["token"]


def states(srv, user="alice"):
    return {d["id"]: d["state"] for d in srv.user_view(user)["devices"]}


def test_r28_reactivation_ends_the_temporary_credentials(srv):
    dev, passcode, token, card, card_token = holder(srv)
    ch = challenge_of(srv, token, dev.id)
    assert ch["kind"] == "challenge_response" and len(ch["challenge"]) == 6, ch
    st, js, raw = reactivate(srv, token, dev.id, dev.answer(ch))
    assert st == 200, (st, raw)
    assert js["device"]["id"] == dev.id and js["device"]["state"] == "active", js
    assert sorted(js["revoked"]) == sorted([passcode["device_id"], card["card_id"]]), js
    assert js["sessions_revoked"] == 1, js
    s = states(srv)
    assert s[passcode["device_id"]] == "inactive" and s[card["card_id"]] == "inactive", s
    # The other session (opened with the card) is gone; this one goes on.
    assert srv.pub("GET", "/v1/me", token=card_token)[0] == 401
    st, js, raw = srv.pub("GET", "/v1/session", token=token)
    assert st == 200 and js["factor"] == "dsc_plus" and js["access"] == "full", (st, raw)
    # Neither temporary credential opens a login any more; the device does.
    st, js, raw = srv.login("alice")
    assert [d["type"] for d in js["devices"]] == ["dsc_plus"], js
    srv.full_login("alice", dev, platform="trading")
    ev = events(srv, "device.reactivate")
    assert len(ev) == 1 and ev[0]["outcome"] == "ok" and dev.id in ev[0]["detail"], ev
    assert "revoked=2 sessions_revoked=1" in ev[0]["detail"], ev


def test_r28_card_device_and_pending_card(srv):
    """An scc answers with two cells; an online card still waiting for
    activation is revoked too."""
    dev = srv.sls_user("alice", type="scc")
    srv.advance(1)
    passcode = issue_ok(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    pending = new_card(srv, token)
    ch = challenge_of(srv, token, dev.id)
    assert ch["kind"] == "card" and len(ch["indexes"]) == 2, ch
    st, js, raw = reactivate(srv, token, dev.id, dev.answer(ch))
    assert st == 200, (st, raw)
    assert sorted(js["revoked"]) == sorted([passcode["device_id"], pending["card_id"]]), js
    assert activate(srv, token, pending)[0] in (403, 409)


def test_r26_r28_passcode_allowed_again_after_a_reactivation(srv):
    # The last temporary credential is a passcode: refused until the device
    # is reactivated after it.
    dev = srv.sls_user("bob")
    srv.advance(1)
    first = issue_ok(srv, "bob")
    verify(srv, "bob")
    assert issue(srv, "bob")[0] == 409
    bob = session_of(srv, first["passcode"], "bob")["token"]
    srv.advance(1)
    ch = challenge_of(srv, bob, dev.id)
    assert reactivate(srv, bob, dev.id, dev.answer(ch))[0] == 200
    st, js, raw = issue(srv, "bob")
    assert st == 201, (st, raw)


def test_r28_wrong_response_consumes_the_challenge_and_counts(srv):
    dev, passcode, token, card, _ = holder(srv)
    ch = challenge_of(srv, token, dev.id)
    right = dev.answer(ch)
    wrong = "%08d" % ((int(right) + 1) % 100000000)
    st, js, raw = reactivate(srv, token, dev.id, wrong)
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    # Used once: the right answer to the same challenge no longer works.
    st, js, raw = reactivate(srv, token, dev.id, right)
    assert st == 409, (st, raw)
    assert states(srv)[passcode["device_id"]] == "active"
    # Malformed answers change nothing.
    challenge_of(srv, token, dev.id)
    st, js, raw = reactivate(srv, token, dev.id, "12 34")
    assert st == 400, (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    ev = [e for e in events(srv, "device.reactivate") if e["outcome"] == "wrong_response"]
    assert len(ev) == 1, ev


def test_r28_challenge_lives_five_minutes(srv):
    dev, passcode, token, card, _ = holder(srv)
    start = at(srv, srv.now())
    ch = challenge_of(srv, token, dev.id)
    at(srv, start + 300)
    assert reactivate(srv, token, dev.id, dev.answer(ch))[0] == 200
    srv.advance(1)
    # A second round (nothing left to revoke) to test the other side of the boundary.
    start = at(srv, srv.now())
    ch = challenge_of(srv, token, dev.id)
    at(srv, start + 301)
    st, js, raw = reactivate(srv, token, dev.id, dev.answer(ch))
    assert st == 403 and js["error"] == "verification_failed", (st, raw)


def test_r28_new_challenge_replaces_the_old_one(srv):
    dev, passcode, token, card, _ = holder(srv)
    first = challenge_of(srv, token, dev.id)
    second = challenge_of(srv, token, dev.id)
    if first != second:
        st, js, raw = reactivate(srv, token, dev.id, dev.answer(first))
        assert st == 403, (st, raw)
        second = challenge_of(srv, token, dev.id)
    assert reactivate(srv, token, dev.id, dev.answer(second))[0] == 200


def test_r28_refusals(srv):
    dev, passcode, token, card, card_token = holder(srv)
    other = srv.sls_user("bob")
    # Another user's device, unknown ids, malformed ids.
    assert reactivate(srv, token, other.id)[0] == 404
    assert reactivate(srv, token, "0" * 32)[0] == 404
    assert reactivate(srv, token, "nope")[0] == 404
    # Temporary credentials themselves.
    st, js, raw = reactivate(srv, token, passcode["device_id"])
    assert st == 409, (st, raw)
    assert reactivate(srv, token, card["card_id"])[0] == 409
    # No session.
    assert reactivate(srv, None, dev.id)[0] == 401
    # A response with no challenge asked first.
    st, js, raw = reactivate(srv, token, dev.id, "12345678")
    assert st == 409 and "challenge" in js["message"], (st, raw)
    # A lost device is never reactivated.
    verify(srv)
    assert srv.adm("POST", "/v1/admin/users/alice/devices/%s/lost" % dev.id, {})[0] == 200
    st, js, raw = reactivate(srv, token, dev.id)
    assert st == 409 and "lost" in js["message"], (st, raw)
    # Nothing changed for the temporary credentials.
    assert states(srv)[passcode["device_id"]] == "active"


def test_r28_not_from_an_online_card_only_session(srv):
    dev = srv.sls_user("alice")
    srv.advance(1)
    passcode = issue_ok(srv)
    at(srv, srv.now() + 2 * DAY)
    session = session_of(srv, passcode["passcode"])
    assert session["access"] == "online_card_only"
    st, js, raw = reactivate(srv, session["token"], dev.id)
    assert st == 403 and js["error"] == "online_card_only", (st, raw)


def test_r28_device_in_hand_without_temporary_credentials(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    ch = challenge_of(srv, token, dev.id)
    st, js, raw = reactivate(srv, token, dev.id, dev.answer(ch))
    assert st == 200 and js["revoked"] == [] and js["sessions_revoked"] == 0, (st, raw)


def test_r28_shipped_replacement_is_activated(srv):
    old = srv.sls_user("alice", type="scc")
    new = srv.add_device("alice", type="dsc_plus", state="shipped")
    token = srv.full_login("alice", old)["token"]
    ch = challenge_of(srv, token, new.id)
    st, js, raw = reactivate(srv, token, new.id, new.answer(ch))
    assert st == 200 and js["device"]["state"] == "active", (st, raw)
    st, js, raw = srv.login("alice")
    assert [d for d in js["devices"] if d["default"]][0]["id"] == new.id, js


def test_r28_two_answers_at_once_one_reactivation(srv):
    dev, passcode, token, card, _ = holder(srv)
    ch = challenge_of(srv, token, dev.id)
    answer = dev.answer(ch)
    results = []

    def run():
        results.append(reactivate(srv, token, dev.id, answer)[0])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409, 409, 409], results
    assert len([e for e in events(srv, "device.reactivate") if e["outcome"] == "ok"]) == 1
