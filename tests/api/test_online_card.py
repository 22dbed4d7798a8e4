"""R27 online security cards: requested from a temporary passcode session,
read as JSON, printable HTML and SVG until activated, activated with the values
at two indexes, then a login device for 21 days; replacements; and how cards
count for R26 (never two temporary passcodes in a row)."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

from client import parse_time
from test_temporary import at, events, issue, session_of, temp_user, verify

DAY = 24 * 3600
SVG = "{http://www.w3.org/2000/svg}"
EXPIRED_CARD_HINT = "Online security card expired: please call the service desk"


def new_card(srv, token, expect=201):
    st, js, raw = srv.pub("POST", "/v1/me/online-card", {}, token=token)
    assert st == expect, (st, raw)
    return js


def activate(srv, token, card, values=None):
    if values is None:
        i, j = card["activation"]["indexes"]
        values = card["cells"][str(i)] + card["cells"][str(j)]
    return srv.pub("POST", "/v1/me/online-card/%s/activate" % card["card_id"],
                   {"response": values}, token=token)


def wrong_values(card):
    i, j = card["activation"]["indexes"]
    right = card["cells"][str(i)] + card["cells"][str(j)]
    return "%06d" % ((int(right) + 1) % 1000000)


def card_user(srv, user="alice"):
    """A user with a temporary passcode session and an activated card:
    (passcode answer, passcode session token, card)."""
    passcode = temp_user(srv, user)
    token = session_of(srv, passcode["passcode"], user)["token"]
    card = new_card(srv, token)
    st, js, raw = activate(srv, token, card)
    assert st == 200, (st, raw)
    return passcode, token, card


def card_login(srv, card, user="alice", platform="portal"):
    """Stage 1, the online card chosen, and its answer -> (status, JSON, raw)."""
    st, js, raw = srv.login(user, platform=platform)
    assert st == 200 and js["status"] == "second_factor", (st, raw)
    mine = [d for d in js["devices"] if d["type"] == "online_card"]
    assert [d["id"] for d in mine] == [card["card_id"]], js["devices"]
    st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                          {"device_id": card["card_id"]})
    assert st == 200 and sw["challenge"]["kind"] == "card", (st, raw)
    i, j = sw["challenge"]["indexes"]
    return srv.respond(js["login_id"], card["cells"][str(i)] + card["cells"][str(j)])


def device_state(srv, device_id, user="alice"):
    return {d["id"]: d["state"] for d in srv.user_view(user)["devices"]}[device_id]


# ---- requesting ----


def test_r27_card_has_100_cells_of_3_digits_and_two_activation_indexes(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    assert re.fullmatch(r"[0-9a-f]{32}", card["card_id"]), card
    assert sorted(card["cells"], key=int) == [str(i) for i in range(1, 101)]
    assert all(re.fullmatch(r"[0-9]{3}", v) for v in card["cells"].values()), card["cells"]
    i, j = card["activation"]["indexes"]
    assert 1 <= i <= 100 and 1 <= j <= 100 and i != j, card
    assert card["state"] == "shipped"
    # Waiting for activation: listed for the service desk, not offered at login.
    assert device_state(srv, card["card_id"]) == "shipped"
    st, js, raw = srv.login("alice")
    assert card["card_id"] not in [d["id"] for d in js["devices"]], js
    assert len(events(srv, "online_card.issue")) == 1


def test_r27_cards_are_random(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    a, b = new_card(srv, token), new_card(srv, token)
    assert a["cells"] != b["cells"] and a["card_id"] != b["card_id"]
    digits = "".join(a["cells"][str(i)] for i in range(1, 101))
    # 300 random digits: every digit shows up (fails with odds below 1e-12).
    assert set(digits) == set("0123456789"), digits


def test_r27_only_from_a_temporary_passcode_session(srv):
    dev = srv.sls_user("alice")
    token = srv.full_login("alice", dev)["token"]
    st, js, raw = srv.pub("POST", "/v1/me/online-card", {}, token=token)
    assert st == 403 and js["error"] == "forbidden", (st, raw)
    assert "temporary passcode" in js["message"], js
    st, js, raw = srv.pub("POST", "/v1/me/online-card", {})
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    # Nor from a session opened with an online card.
    _, _, card = card_user(srv, "bob")
    st, js, raw = card_login(srv, card, "bob")
    assert st == 200, (st, raw)
    assert srv.pub("POST", "/v1/me/online-card", {}, token=js["session"]["token"])[0] == 403


def test_r27_r11_requested_in_the_portal_only_window(srv):
    passcode = temp_user(srv)
    issued = parse_time(passcode["full_access_until"]) - 2 * DAY
    at(srv, issued + 2 * DAY)
    session = session_of(srv, passcode["passcode"])
    assert session["access"] == "online_card_only", session
    card = new_card(srv, session["token"])
    st, js, raw = activate(srv, session["token"], card)
    assert st == 200, (st, raw)
    # The rest of the account stays closed to that session.
    st, js, raw = srv.pub("GET", "/v1/me", token=session["token"])
    assert st == 403 and js["error"] == "online_card_only", (st, raw)
    # Until day 12; after it the passcode no longer opens a session at all.
    at(srv, issued + 12 * DAY)
    st, js, raw = srv.pub("POST", "/v1/me/online-card", {}, token=session["token"])
    assert st == 401, (st, raw)


# ---- reading: JSON, HTML, SVG ----


def test_r27_card_read_again_as_json_html_and_svg(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    base = "/v1/me/online-card/%s" % card["card_id"]
    for path in (base, base + ".json"):
        st, js, raw = srv.pub("GET", path, token=token)
        assert st == 200, (st, raw)
        assert js["cells"] == card["cells"] and js["activation"] == card["activation"], js

    st, _, html = srv.pub("GET", base + ".html", token=token)
    assert st == 200, (st, html)
    text = html.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    cells = re.findall(r'<span class="index">(\d+)</span><span class="value">(\d{3})</span>', text)
    assert dict(cells) == card["cells"], cells
    i, j = card["activation"]["indexes"]
    assert "indexes <strong>%d</strong> and <strong>%d</strong>" % (i, j) in text

    st, _, svg = srv.pub("GET", base + ".svg", token=token)
    assert st == 200, (st, svg)
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg", root.tag
    texts = [t.text for t in root.iter(SVG + "text")]
    pairs = dict(zip(texts[2:202:2], texts[3:203:2]))
    assert pairs == card["cells"], pairs


def test_r27_svg_renders_with_every_value(srv, tmp_path):
    rsvg = shutil.which("rsvg-convert")
    assert rsvg, "rsvg-convert is installed by scripts/deps.sh --test"
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    st, _, svg = srv.pub("GET", "/v1/me/online-card/%s.svg" % card["card_id"], token=token)
    assert st == 200
    src, png = tmp_path / "card.svg", tmp_path / "card.png"
    src.write_bytes(svg)
    subprocess.run([rsvg, "-o", str(png), str(src)], check=True, timeout=60)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, len(data)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 700 and height >= 500, (width, height)
    # Every value is drawn as text in the image.
    root = ET.fromstring(svg)
    values = [t.text for t in root.iter(SVG + "text") if t.get("text-anchor") == "end"]
    assert values == [card["cells"][str(i)] for i in range(1, 101)]


def test_r27_card_responses_carry_a_strict_policy(srv):
    from client import request
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    hdrs = {"Authorization": "Bearer " + token}
    st, _, _, rh = request(srv.port, "GET", "/v1/me/online-card/%s.html" % card["card_id"],
                           headers=hdrs)
    assert st == 200 and rh["content-type"].startswith("text/html"), rh
    assert "default-src 'none'" in rh["content-security-policy"], rh
    assert "script" not in rh["content-security-policy"], rh
    assert rh["cache-control"] == "no-store", rh
    st, _, _, rh = request(srv.port, "GET", "/v1/me/online-card/%s.svg" % card["card_id"],
                           headers=hdrs)
    assert st == 200 and rh["content-type"].startswith("image/svg+xml"), rh


def test_r27_card_read_refusals(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    base = "/v1/me/online-card/%s" % card["card_id"]
    assert srv.pub("GET", base + ".pdf", token=token)[0] == 404
    assert srv.pub("GET", "/v1/me/online-card/%s" % ("0" * 32), token=token)[0] == 404
    assert srv.pub("GET", "/v1/me/online-card/xyz", token=token)[0] == 404
    assert srv.pub("GET", base)[0] == 401
    # Another user's card is not found for this user.
    other = temp_user(srv, "bob")
    bob = session_of(srv, other["passcode"], "bob")["token"]
    st, js, raw = srv.pub("GET", base, token=bob)
    assert st == 404, (st, raw)
    st, js, raw = activate(srv, bob, card)
    assert st == 404, (st, raw)
    # Once active, the values are not shown again.
    st, js, raw = activate(srv, token, card)
    assert st == 200, (st, raw)
    for suffix in ("", ".html", ".svg"):
        st, js, raw = srv.pub("GET", base + suffix, token=token)
        assert st == 409 and "not shown again" in js["message"], (st, raw)


# ---- activation ----


def test_r27_activation_states_the_expiry_21_days_ahead(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    now = at(srv, srv.now() + 60)
    st, js, raw = activate(srv, token, card)
    assert st == 200, (st, raw)
    assert parse_time(js["expires_at"]) == now + 21 * DAY, js
    assert js["expires_at"] in js["message"] and js["state"] == "active", js
    assert device_state(srv, card["card_id"]) == "active"
    ev = events(srv, "online_card.activate")
    assert len(ev) == 1 and ev[0]["outcome"] == "ok" and card["card_id"] in ev[0]["detail"]


def test_r27_wrong_activation_values_count_toward_the_lockout(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    st, js, raw = activate(srv, token, card, wrong_values(card))
    assert st == 403 and js["error"] == "verification_failed", (st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    # Malformed answers change nothing.
    for bad in ("12345", "1234567", "123 456", "abcdef", ""):
        st, js, raw = activate(srv, token, card, bad)
        assert st == 400, (bad, st, raw)
    assert srv.lock_state("alice")["failures"] == 1
    assert device_state(srv, card["card_id"]) == "shipped"
    # The same indexes stay; the right values still activate it.
    st, js, raw = activate(srv, token, card)
    assert st == 200, (st, raw)
    st, js, raw = activate(srv, token, card)
    assert st == 409, (st, raw)


def test_r27_r8_ten_wrong_activations_lock_the_account(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    for i in range(9):
        st, js, raw = activate(srv, token, card, wrong_values(card))
        assert st == 403 and js["error"] == "verification_failed", (i, st, raw)
    st, js, raw = activate(srv, token, card, wrong_values(card))
    assert st == 403 and js["error"] == "locked" and "locked_until" in js, (st, raw)
    # Locked: even the right values are refused, and nothing more is counted.
    st, js, raw = activate(srv, token, card)
    assert st == 403 and js["error"] == "locked", (st, raw)
    assert srv.lock_state("alice")["failures"] == 10
    assert device_state(srv, card["card_id"]) == "shipped"


def test_r27_activation_needs_the_passcode_session(srv):
    passcode, token, card = card_user(srv)
    st, js, raw = card_login(srv, card)
    other = temp_user(srv, "bob")
    bob_token = session_of(srv, other["passcode"], "bob")["token"]
    bob_card = new_card(srv, bob_token)
    # A session opened with the card cannot activate (or request) cards.
    st, js2, raw = activate(srv, js["session"]["token"], bob_card)
    assert st == 403, (st, raw)


# ---- logging in with the card ----


def test_r27_login_with_the_card_on_both_platforms(srv):
    _, _, card = card_user(srv)
    for platform in ("portal", "trading"):
        st, js, raw = card_login(srv, card, platform=platform)
        assert st == 200 and js["status"] == "authenticated", (st, raw)
        s = js["session"]
        assert s["factor"] == "online_card" and s["access"] == "full", s
        assert srv.pub("GET", "/v1/me", token=s["token"])[0] == 200


def test_r27_r11_card_works_21_days_to_the_second(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    card = new_card(srv, token)
    start = at(srv, srv.now())
    st, js, raw = activate(srv, token, card)
    assert st == 200
    at(srv, start + 21 * DAY - 60)
    st, js, raw = card_login(srv, card, platform="trading")
    assert st == 200, (st, raw)
    session = js["session"]["token"]
    at(srv, start + 21 * DAY - 1)
    assert srv.pub("GET", "/v1/me", token=session)[0] == 200
    st, js, raw = card_login(srv, card, platform="trading")
    assert st == 200, (st, raw)
    at(srv, start + 21 * DAY)
    assert srv.pub("GET", "/v1/me", token=session)[0] == 401
    st, js, raw = card_login(srv, card)
    assert st == 401 and js["error"] == "login_failed", (st, raw)
    assert js["hint"] == EXPIRED_CARD_HINT, js


# ---- replacing ----


def test_r27_new_card_replaces_an_unactivated_one(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    first = new_card(srv, token)
    second = new_card(srv, token)
    assert device_state(srv, first["card_id"]) == "inactive"
    st, js, raw = srv.pub("GET", "/v1/me/online-card/%s" % first["card_id"], token=token)
    assert st == 409 and "replaced" in js["message"], (st, raw)
    st, js, raw = activate(srv, token, first)
    assert st == 409, (st, raw)
    st, js, raw = activate(srv, token, second)
    assert st == 200, (st, raw)
    ev = events(srv, "online_card.issue")
    assert "replaced=%s" % first["card_id"] in ev[-1]["detail"], ev


def test_r27_activating_a_new_card_retires_the_active_one_and_its_sessions(srv):
    passcode, token, old = card_user(srv)
    st, js, raw = card_login(srv, old)
    old_session = js["session"]["token"]
    new = new_card(srv, token)
    # Until the new card is activated, the old one keeps working.
    assert card_login(srv, old)[0] == 200
    st, js, raw = activate(srv, token, new)
    assert st == 200, (st, raw)
    assert device_state(srv, old["card_id"]) == "inactive"
    assert srv.pub("GET", "/v1/me", token=old_session)[0] == 401
    st, js, raw = card_login(srv, new)
    assert st == 200, (st, raw)
    ev = events(srv, "online_card.activate")
    assert "replaced=%s" % old["card_id"] in ev[-1]["detail"], ev


def test_r27_cards_per_passcode_are_bounded(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    for _ in range(10):
        new_card(srv, token)
    st, js, raw = srv.pub("POST", "/v1/me/online-card", {}, token=token)
    assert st == 409 and "service desk" in js["message"], (st, raw)


# ---- R26: how cards count for "never two passcodes in a row" ----


def test_r26_a_card_never_activated_does_not_allow_a_second_passcode(srv):
    passcode = temp_user(srv)
    token = session_of(srv, passcode["passcode"])["token"]
    new_card(srv, token)
    srv.advance(60)
    verify(srv)
    st, js, raw = issue(srv)
    assert st == 409, (st, raw)


def test_r26_an_activated_card_is_the_last_temporary_credential(srv):
    card_user(srv)
    srv.advance(60)
    verify(srv)
    st, js, raw = issue(srv)
    assert st == 201, (st, raw)


def test_r29_lost_card_stops_working(srv):
    _, _, card = card_user(srv)
    verify(srv)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices/%s/lost" % card["card_id"], {})
    assert st == 200, (st, raw)
    st, js, raw = srv.login("alice")
    assert card["card_id"] not in [d["id"] for d in js.get("devices", [])], js
    st, js, raw = card_login_refused(srv, card)


def card_login_refused(srv, card):
    """A lost card is no longer offered: choosing it by id fails."""
    st, js, raw = srv.login("alice")
    if st != 200 or js.get("status") != "second_factor":
        return st, js, raw
    st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % js["login_id"],
                          {"device_id": card["card_id"]})
    assert st == 400, (st, raw)
    return st, sw, raw
