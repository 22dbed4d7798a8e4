"""SPEC §10.4 token stock: a vendor's RFC 6030 PSKC file posted to
POST /v1/admin/device-stock (application/pskc+xml, its protection in the
headers X-PSKC-Key and X-PSKC-Password) stocks every key it can trust and
names every entry it skipped and why; a device registered with a stock
serial and no secret takes that token, once. The RFC's own example files
(tests/unit/pskc/) are imported in plaintext, under the pre-shared key and
under the PBKDF2 password; codes come from oathtool and the OCRA reference
(ocra.py), never from the server."""

import base64
import os
import re
import subprocess

from client import Device, parallel, raw_exchange
from test_cli import ctl, ctl_json

PSKC_DIR = os.path.join(os.path.dirname(__file__), "..", "unit", "pskc")
CT = {"Content-Type": "application/pskc+xml"}
RFC_PSK = "12345678901234567890123456789012"
RFC_PASSWORD = "qwerty"
RFC_SERIAL = "987654321"
RFC_SECRET = b"12345678901234567890"
STOCK = "/v1/admin/device-stock"


def pskc_file(name):
    with open(os.path.join(PSKC_DIR, name), "rb") as f:
        return f.read()


def plain_file(*packages):
    """A plaintext container of our own: each package (serial, algorithm URI,
    parameters XML, data XML)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">']
    for serial, alg, params, data in packages:
        out.append('<KeyPackage><DeviceInfo><SerialNo>%s</SerialNo></DeviceInfo>'
                   '<Key Id="k-%s" Algorithm="%s"><AlgorithmParameters>%s</AlgorithmParameters>'
                   '<Data>%s</Data></Key></KeyPackage>' % (serial, serial, alg, params, data))
    out.append("</KeyContainer>")
    return "\n".join(out).encode()


def secret_xml(secret):
    return "<Secret><PlainValue>%s</PlainValue></Secret>" % base64.b64encode(secret).decode()


def totp_package(serial, secret=RFC_SECRET, digits=6, period=30):
    return (serial, "urn:ietf:params:xml:ns:keyprov:pskc:totp",
            '<ResponseFormat Length="%d" Encoding="DECIMAL"/>' % digits,
            secret_xml(secret) + "<TimeInterval><PlainValue>%d</PlainValue></TimeInterval>"
            % period)


def ocra_package(serial, suite, secret=RFC_SECRET):
    return (serial, "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1",
            '<Suite>%s</Suite><ResponseFormat Length="8" Encoding="DECIMAL"/>' % suite,
            secret_xml(secret))


def hotp_package(serial, secret=RFC_SECRET):
    return (serial, "urn:ietf:params:xml:ns:keyprov:pskc:hotp",
            '<ResponseFormat Length="8" Encoding="DECIMAL"/>',
            secret_xml(secret) + "<Counter><PlainValue>0</PlainValue></Counter>")


def post_file(srv, data, headers=None, expect=200):
    hdrs = dict(CT)
    hdrs.update(headers or {})
    st, js, raw = srv.adm("POST", STOCK, raw=data, headers=hdrs)
    assert st == expect, (st, raw)
    return js


def stock(srv, query=""):
    st, js, raw = srv.adm("GET", STOCK + query)
    assert st == 200, (st, raw)
    return js


def register(srv, user, type, serial, **fields):
    body = {"type": type, "serial": serial}
    body.update(fields)
    return srv.adm("POST", "/v1/admin/users/%s/devices" % user, body)


def oath(secret, at):
    b32 = base64.b32encode(secret).decode().rstrip("=")
    out = subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % at, b32],
                         check=True, capture_output=True, text=True).stdout.strip()
    assert re.fullmatch(r"\d{6}", out), out
    return out


def import_events(srv):
    return [r for r in srv.audit() if r["event"] == "device_stock.import"]


# ---- importing ----

def test_rfc_plaintext_file(srv):
    js = post_file(srv, pskc_file("rfc6030-figure2-plain.xml"))
    assert js == {"imported": 1, "skipped": []}, js
    got = stock(srv)
    assert got["total"] == 1 and got["assigned"] == 0, got
    (tok,) = got["tokens"]
    assert tok["serial"] == RFC_SERIAL and tok["algorithm"] == "hotp" and tok["digits"] == 8, tok
    assert tok["assigned"] is False and tok["device_id"] is None, tok
    # Never a key, in any form.
    text = repr(got)
    for k in ("secret", "key"):
        assert k not in tok, tok
    assert RFC_SECRET.hex() not in text and base64.b64encode(RFC_SECRET).decode() not in text
    ev = import_events(srv)
    assert len(ev) == 1 and ev[0]["detail"] == "imported 1 skipped 0", ev
    assert ev[0]["actor"].startswith("agent:"), ev


def test_rfc_pre_shared_key_file(srv):
    js = post_file(srv, pskc_file("rfc6030-figure5-psk.xml"), {"X-PSKC-Key": RFC_PSK})
    assert js == {"imported": 1, "skipped": []}, js
    assert [t["serial"] for t in stock(srv)["tokens"]] == [RFC_SERIAL]


def test_rfc_pbkdf2_file(srv):
    js = post_file(srv, pskc_file("rfc6030-figure7-pbkdf2.xml"), {"X-PSKC-Password": RFC_PASSWORD})
    assert js == {"imported": 1, "skipped": []}, js
    assert stock(srv)["total"] == 1
    # The secrets never reach the log.
    assert RFC_PASSWORD not in srv.stderr_text()


def test_wrong_protection_skips_and_stocks_nothing(srv):
    wrong_key = "00" * 16
    js = post_file(srv, pskc_file("rfc6030-figure5-psk.xml"), {"X-PSKC-Key": wrong_key})
    assert js["imported"] == 0 and len(js["skipped"]) == 1, js
    assert js["skipped"][0]["serial"] == RFC_SERIAL, js
    assert js["skipped"][0]["reason"] in ("wrong_key", "bad_mac"), js
    js = post_file(srv, pskc_file("rfc6030-figure7-pbkdf2.xml"), {"X-PSKC-Password": "qwertz"})
    assert js["imported"] == 0 and js["skipped"][0]["reason"] in ("wrong_key", "bad_mac"), js
    # No protection given at all: the encrypted entry cannot be opened.
    js = post_file(srv, pskc_file("rfc6030-figure5-psk.xml"))
    assert js["imported"] == 0 and js["skipped"][0]["serial"] == RFC_SERIAL, js
    assert stock(srv)["total"] == 0
    assert [e["detail"] for e in import_events(srv)] == ["imported 0 skipped 1"] * 3


def test_bad_mac_skipped(srv):
    data = pskc_file("rfc6030-figure5-psk.xml")
    good_mac = b"Su+NvtQfmvfJzF6bmQiJqoLRExc="
    assert good_mac in data
    bad = data.replace(good_mac, base64.b64encode(b"\x00" * 20))
    js = post_file(srv, bad, {"X-PSKC-Key": RFC_PSK})
    assert js == {"imported": 0, "skipped": [{"serial": RFC_SERIAL, "reason": "bad_mac"}]}, js
    assert stock(srv)["total"] == 0


def test_mixed_file_skips_with_reasons(srv):
    """One good key of each algorithm; an unknown algorithm, a serial twice
    and no serial skipped, each with its reason."""
    js = post_file(srv, pskc_file("mixed-plain.xml"))
    assert js["imported"] == 2, js
    reasons = sorted((s["serial"], s["reason"]) for s in js["skipped"])
    assert ("AES-0001", "unknown_algorithm") in reasons, reasons
    assert ("DUP-0001", "duplicate_serial") in reasons, reasons
    assert ("", "no_serial") in reasons, reasons
    got = stock(srv)
    assert sorted(t["serial"] for t in got["tokens"]) == ["OCRA-0001", "TOTP-0001"], got
    ocra = [t for t in got["tokens"] if t["serial"] == "OCRA-0001"][0]
    assert ocra["algorithm"] == "ocra" and ocra["suite"] == "OCRA-1:HOTP-SHA1-8:QN06", ocra
    totp = [t for t in got["tokens"] if t["serial"] == "TOTP-0001"][0]
    assert totp["algorithm"] == "totp" and totp["period"] == 30 and totp["digits"] == 6, totp


def test_serial_in_stock_or_on_device_never_overwritten(srv):
    post_file(srv, plain_file(totp_package("T-1")))
    srv.create_user("alice")
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices",
                          {"type": "platinum", "serial": "CARD-1", "secret_hex": "ab" * 20})
    assert st == 201, (st, raw)
    other = b"ABCDEFGHIJKLMNOPQRST"
    js = post_file(srv, plain_file(totp_package("T-1", other), totp_package("CARD-1", other),
                                   totp_package("T-2", other)))
    assert js["imported"] == 1, js
    assert sorted((s["serial"], s["reason"]) for s in js["skipped"]) == [
        ("CARD-1", "serial_on_device"), ("T-1", "already_in_stock")], js
    assert sorted(t["serial"] for t in stock(srv)["tokens"]) == ["T-1", "T-2"]
    # T-1 kept its first key: a device made of it answers with RFC_SECRET.
    st, js, raw = register(srv, "alice", "totp", "T-1")
    assert st == 201, (st, raw)
    now = srv.now()
    st, lg, raw = srv.login("alice")
    assert st == 200, (st, raw)
    st, sw, raw = srv.pub("POST", "/v1/login/%s/device" % lg["login_id"], {"device_id": js["id"]})
    assert st == 200, (st, raw)
    st, res, raw = srv.respond(lg["login_id"], oath(RFC_SECRET, now))
    assert st == 200 and res["status"] == "authenticated", (st, raw)


def test_refused_requests_change_nothing(srv):
    data = pskc_file("rfc6030-figure2-plain.xml")
    # no admin token
    st, js, raw = srv.adm("POST", STOCK, raw=data, headers=CT, token=False)
    assert st == 401, (st, raw)
    st, js, raw = srv.adm("POST", STOCK, raw=data, headers=CT, token="not-the-token")
    assert st == 401, (st, raw)
    st, js, raw = srv.adm("GET", STOCK, token=False)
    assert st == 401, (st, raw)
    # wrong content type
    for ctype in ("application/json", "application/xml", "text/plain", None):
        st, js, raw = srv.adm("POST", STOCK, raw=data, headers={"Content-Type": ctype})
        assert st == 415 and "application/pskc+xml" in js["message"], (ctype, st, raw)
    # over 1 MiB: refused from its Content-Length, before the body is read
    big = padded(data, 1024 * 1024 + 1)
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/pskc+xml\r\nContent-Length: %d\r\n\r\n"
            % (STOCK, srv.admin_token, len(big))).encode()
    st, js, _ = raw_exchange(srv.admin_port, head, big)
    assert st == 413 and js["error"] == "too_large", (st, js)
    # not PSKC, not XML, a DTD, empty
    for body in (b"", b"not xml at all", b"<a/>",
                 b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>' + data[38:]):
        st, js, raw = srv.adm("POST", STOCK, raw=body, headers=CT)
        assert st == 400 and js["error"] == "bad_request", (body[:40], st, raw)
    # a malformed key header
    for key in ("xyz", "00" * 15, "00" * 17):
        st, js, raw = srv.adm("POST", STOCK, raw=data, headers=dict(CT, **{"X-PSKC-Key": key}))
        assert st == 400 and "X-PSKC-Key" in js["message"], (key, st, raw)
    st, js, raw = srv.adm("GET", STOCK + "?limit=0")
    assert st == 400, (st, raw)
    assert stock(srv)["total"] == 0
    assert import_events(srv) == []


def padded(data, size):
    """data grown to exactly size bytes by an XML comment."""
    pad = size - len(data) - len(b"<!---->")
    assert pad >= 0
    return data.replace(b"<KeyPackage>", b"<!--" + b"x" * pad + b"--><KeyPackage>", 1)


def test_file_of_exactly_one_mib_is_read(srv):
    js = post_file(srv, padded(pskc_file("rfc6030-figure2-plain.xml"), 1024 * 1024))
    assert js == {"imported": 1, "skipped": []}, js
    # JSON routes keep their own, smaller limit.
    st, js, raw = srv.adm("POST", "/v1/admin/users", raw=b'{"pad":"' + b"x" * 200000 + b'"}')
    assert st == 413, (st, raw)


def test_listing_pages(srv):
    post_file(srv, plain_file(*[hotp_package("H-%02d" % i) for i in range(7)]))
    first = stock(srv, "?limit=3")
    assert [t["serial"] for t in first["tokens"]] == ["H-00", "H-01", "H-02"], first
    assert first["total"] == 7 and first["next_after"] == "H-02", first
    rest = stock(srv, "?limit=5&after=H-02")
    assert [t["serial"] for t in rest["tokens"]] == ["H-03", "H-04", "H-05", "H-06"], rest
    assert rest["next_after"] is None, rest


# ---- registering by serial ----

def test_totp_token_registered_by_serial_then_login(srv):
    post_file(srv, plain_file(totp_package("TOTP-77")))
    srv.create_user("alice")
    st, js, raw = register(srv, "alice", "totp", "TOTP-77")
    assert st == 201, (st, raw)
    dev_id = js["id"]
    view = srv.user_view("alice")
    (dev,) = view["devices"]
    assert dev["id"] == dev_id and dev["type"] == "totp" and dev["serial"] == "TOTP-77", dev
    assert dev["state"] == "active", dev
    got = stock(srv)
    assert got["assigned"] == 1 and got["tokens"][0]["device_id"] == dev_id, got
    now = srv.now()
    st, lg, raw = srv.login("alice")
    assert st == 200 and lg["status"] == "second_factor", (st, raw)
    assert lg["challenge"] == {"kind": "code", "channel": "app"}, lg
    st, res, raw = srv.respond(lg["login_id"], oath(RFC_SECRET, now))
    assert st == 200 and res["status"] == "authenticated", (st, raw)
    adds = [r for r in srv.audit() if r["event"] == "device.add"]
    assert adds and "TOTP-77" in adds[-1]["detail"], adds


def test_ocra_card_registered_by_serial_then_login(srv):
    secret = os.urandom(20)
    post_file(srv, plain_file(ocra_package("PLAT-1", "OCRA-1:HOTP-SHA1-8:QN06", secret),
                              ocra_package("DSCP-1", "OCRA-1:HOTP-SHA1-8:QN06-PSHA1", secret)))
    srv.create_user("alice")
    # The suite must be the type's.
    st, js, raw = register(srv, "alice", "dsc_plus", "PLAT-1", pin="1234")
    assert st == 409 and "suite" in js["message"], (st, raw)
    st, js, raw = register(srv, "alice", "platinum", "PLAT-1")
    assert st == 201, (st, raw)
    card = Device("platinum", secret.hex(), id=js["id"])
    srv.full_login("alice", card)
    # A PIN card from stock: its PIN is given at registration.
    srv.create_user("bob")
    st, js, raw = register(srv, "bob", "dsc_plus", "DSCP-1")
    assert st == 400 and "pin" in js["message"], (st, raw)
    st, js, raw = register(srv, "bob", "dsc_plus", "DSCP-1", pin="2468")
    assert st == 201, (st, raw)
    srv.full_login("bob", Device("dsc_plus", secret.hex(), "2468", id=js["id"]))


def test_registration_refusals(srv):
    post_file(srv, plain_file(hotp_package("H-1"), totp_package("T8", digits=8),
                              totp_package("T60", period=60), totp_package("T-OK")))
    srv.create_user("alice")
    srv.create_user("bob")
    # HOTP tokens have no device type.
    st, js, raw = register(srv, "alice", "totp", "H-1")
    assert st == 409 and "HOTP" in js["message"], (st, raw)
    st, js, raw = register(srv, "alice", "platinum", "H-1")
    assert st == 409 and "HOTP" in js["message"], (st, raw)
    # A TOTP token that is not SHA-1 / 6 digits / 30 s.
    st, js, raw = register(srv, "alice", "totp", "T8")
    assert st == 409 and "6 digits" in js["message"], (st, raw)
    st, js, raw = register(srv, "alice", "totp", "T60")
    assert st == 409 and "30 seconds" in js["message"], (st, raw)
    # A TOTP token is no card; types that never take stock.
    st, js, raw = register(srv, "alice", "gold", "T-OK")
    assert st == 409, (st, raw)
    for ty in ("scc", "sms", "ibkey", "nonsense"):
        st, js, raw = register(srv, "alice", ty, "T-OK")
        assert st == 400, (ty, st, raw)
    # Unknown serial: 404, the same whether the serial is on someone's device or nowhere.
    st, js, raw = srv.adm("POST", "/v1/admin/users/bob/devices",
                          {"type": "platinum", "serial": "BOBS-CARD", "secret_hex": "cd" * 20})
    assert st == 201, (st, raw)
    st, js1, raw1 = register(srv, "alice", "platinum", "BOBS-CARD")
    st2, js2, raw2 = register(srv, "alice", "platinum", "NO-SUCH")
    assert st == st2 == 404 and js1 == js2, (raw1, raw2)
    assert "bob" not in raw1.decode(), raw1
    # Assigned once: the second registration is refused.
    st, js, raw = register(srv, "alice", "totp", "T-OK")
    assert st == 201, (st, raw)
    st, js, raw = register(srv, "bob", "totp", "T-OK")
    assert st == 409 and "assigned" in js["message"], (st, raw)
    assert "alice" not in raw.decode(), raw
    # Nothing of the refusals is left behind.
    assert [d["serial"] for d in srv.user_view("alice")["devices"]] == ["T-OK"]
    assert [d["serial"] for d in srv.user_view("bob")["devices"]] == ["BOBS-CARD"]
    got = stock(srv)
    assert got["assigned"] == 1 and got["total"] == 4, got


def test_twenty_registrations_race_for_one_token(srv):
    post_file(srv, plain_file(totp_package("RACE-1")))
    users = ["racer%02d" % i for i in range(20)]
    for u in users:
        srv.create_user(u)

    def go(i):
        st, js, raw = register(srv, users[i], "totp", "RACE-1")
        return st

    results = parallel(20, go)
    assert sorted(results) == [201] + [409] * 19, results
    holders = [u for u in users if srv.user_view(u)["devices"]]
    assert len(holders) == 1, holders
    (dev,) = srv.user_view(holders[0])["devices"]
    got = stock(srv)
    assert got["assigned"] == 1 and got["tokens"][0]["device_id"] == dev["id"], got


# ---- slsctl ----

def test_slsctl_imports_the_rfc_files(srv, tmp_path):
    plain = os.path.join(PSKC_DIR, "rfc6030-figure2-plain.xml")
    rc, out, err = ctl(srv, "device", "import", plain)
    assert rc == 0 and out == "imported 1, skipped 0\n", (rc, out, err)
    # In stock already: skipped with its reason, listed as a table.
    rc, out, err = ctl(srv, "device", "import", plain)
    assert rc == 0 and out.startswith("imported 0, skipped 1\n"), (rc, out, err)
    assert re.search(r"^987654321\s+already_in_stock$", out, re.M), out

    # The pre-shared key (a fresh server's worth: the serial is the same).
    psk_file = os.path.join(PSKC_DIR, "rfc6030-figure5-psk.xml")
    rc, out, err = ctl(srv, "device", "import", psk_file, "--key", "00" * 16)
    assert rc == 0 and out.startswith("imported 0, skipped 1\n"), (rc, out, err)
    assert re.search(r"^987654321\s+(wrong_key|bad_mac)$", out, re.M), out
    js = ctl_json(srv, "device", "import", psk_file, "--key", RFC_PSK)
    assert js == {"imported": 0, "skipped": [{"serial": RFC_SERIAL,
                                              "reason": "already_in_stock"}]}, js
    keyfile = tmp_path / "pskc.key"
    keyfile.write_text("00" * 16 + "\n")
    rc, out, err = ctl(srv, "device", "import", psk_file, "--key-file", str(keyfile))
    assert rc == 0 and re.search(r"^987654321\s+(wrong_key|bad_mac)$", out, re.M), (rc, out, err)
    keyfile.write_text(RFC_PSK + "\n")
    js = ctl_json(srv, "device", "import", psk_file, "--key-file", str(keyfile))
    assert js["skipped"] == [{"serial": RFC_SERIAL, "reason": "already_in_stock"}], js

    pw = tmp_path / "pskc.password"
    pw.write_text(RFC_PASSWORD + "\n")
    pbkdf2 = os.path.join(PSKC_DIR, "rfc6030-figure7-pbkdf2.xml")
    js = ctl_json(srv, "device", "import", pbkdf2, "--password-file", str(pw))
    assert js["skipped"] == [{"serial": RFC_SERIAL, "reason": "already_in_stock"}], js
    pw.write_text("not-the-password\n")
    js = ctl_json(srv, "device", "import", pbkdf2, "--password-file", str(pw))
    assert js["skipped"][0]["reason"] in ("wrong_key", "bad_mac"), js

    rc, out, err = ctl(srv, "device", "stock")
    assert rc == 0, (rc, out, err)
    assert re.search(r"^987654321\s+hotp\s+8\s+\S+\s+-$", out, re.M), out
    assert "1 in stock, 0 assigned" in out, out


def test_slsctl_import_new_keys_and_register(srv, tmp_path):
    f = tmp_path / "vendor.xml"
    f.write_bytes(plain_file(totp_package("CLI-T1"), hotp_package("CLI-H1"),
                             hotp_package("CLI-H2")))
    rc, out, err = ctl(srv, "device", "import", str(f))
    assert rc == 0 and out == "imported 3, skipped 0\n", (rc, out, err)
    srv.create_user("alice")
    rc, out, err = ctl(srv, "device", "add", "alice", "--type", "totp", "--serial", "CLI-T1")
    assert rc == 0 and re.fullmatch(r"[0-9a-f]{32}\n", out), (rc, out, err)
    dev_id = out.strip()
    rc, out, err = ctl(srv, "device", "add", "alice", "--type", "totp", "--serial", "CLI-H1")
    assert rc == 1 and "HOTP" in err, (rc, out, err)
    rc, out, err = ctl(srv, "device", "stock", "--limit", "2")
    assert rc == 0 and "3 in stock, 1 assigned" in out and "more: --after CLI-H2" in out, out
    js = ctl_json(srv, "device", "stock", "--after", "CLI-H2")
    assert [t["serial"] for t in js["tokens"]] == ["CLI-T1"], js
    assert js["tokens"][0]["device_id"] == dev_id and js["tokens"][0]["assigned"], js


def test_slsctl_import_refusals(srv, tmp_path):
    plain = os.path.join(PSKC_DIR, "rfc6030-figure2-plain.xml")
    pw = tmp_path / "pw"
    pw.write_text("x\n")
    rc, out, err = ctl(srv, "device", "import", plain, "--key", "00" * 16, "--password-file",
                       str(pw))
    assert rc == 2, (rc, out, err)
    rc, out, err = ctl(srv, "device", "import", plain, "--key", "abc")
    assert rc == 2, (rc, out, err)
    rc, out, err = ctl(srv, "device", "import", str(tmp_path / "missing.xml"))
    assert rc == 2, (rc, out, err)
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    rc, out, err = ctl(srv, "device", "import", str(big))
    assert rc == 2 and "1 MiB" in err, (rc, out, err)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<not-pskc/>")
    rc, out, err = ctl(srv, "device", "import", str(bad))
    assert rc == 1 and "bad_request" in err, (rc, out, err)
    rc, out, err = ctl(srv, "device", "import", plain, token="wrong")
    assert rc == 1 and "401" in err, (rc, out, err)
    assert stock(srv)["total"] == 0
