"""Bad input of any kind (SPEC §9): malformed JSON, wrong types, NUL bytes, invalid
UTF-8, deep nesting, oversized bodies, wrong media types, unknown paths and wrong
methods each get a JSON 4xx, change nothing (the failure count stays 0) and leave
the server serving. Also admin input validation, admin authentication, the split
between the public and admin listeners, and /v1/dev/* without --dev."""

import json
import socket

import pytest

from client import PASSWORD, PIN, parse_time, raw_exchange

GOOD = {"username": "alice", "password": PASSWORD, "platform": "portal"}


def jbytes(obj):
    return json.dumps(obj).encode("utf-8")


@pytest.fixture
def alice(srv):
    return srv.sls_user("alice")


def still_serving(srv, dev):
    """The server answers /healthz, alice has no failures, and a normal login works."""
    assert srv.healthy()
    lock = srv.lock_state("alice")
    assert lock["failures"] == 0 and lock["locked"] is False, lock
    srv.full_login("alice", dev)


def assert_json_error(st, js, raw, status, code=None):
    assert st == status, (st, raw)
    assert isinstance(js, dict) and isinstance(js.get("error"), str), raw
    assert isinstance(js.get("message"), str), raw
    if code:
        assert js["error"] == code, raw


LOGIN_BODIES = [
    ("truncated", b'{"username": "alice", "password": "Secr'),
    ("truncated_after_brace", b"{"),
    ("invalid_json", b"{username: alice, password: Secret123}"),
    ("trailing_garbage", jbytes(GOOD) + b"xyz"),
    ("trailing_comma", b'{"username": "alice", "password": "Secret123", "platform": "portal",}'),
    ("single_quotes", b"{'username': 'alice'}"),
    ("empty_body", b""),
    ("array", b"[]"),
    ("array_of_object", b"[" + jbytes(GOOD) + b"]"),
    ("number", b"42"),
    ("string", b'"alice"'),
    ("null", b"null"),
    ("username_number", jbytes(dict(GOOD, username=42))),
    ("username_null", jbytes(dict(GOOD, username=None))),
    ("username_object", jbytes(dict(GOOD, username={"a": "alice"}))),
    ("password_array", jbytes(dict(GOOD, password=[PASSWORD]))),
    ("password_number", jbytes(dict(GOOD, password=123456))),
    ("platform_bool", jbytes(dict(GOOD, platform=True))),
    ("paper_string", jbytes(dict(GOOD, paper="yes"))),
    ("missing_username", jbytes({"password": PASSWORD, "platform": "portal"})),
    ("missing_password", jbytes({"username": "alice", "platform": "portal"})),
    ("missing_platform", jbytes({"username": "alice", "password": PASSWORD})),
    ("escaped_nul_in_username", b'{"username": "ali\\u0000ce", "password": "Secret123", '
                                b'"platform": "portal"}'),
    ("escaped_nul_in_password", b'{"username": "alice", "password": "Secret123\\u0000", '
                                b'"platform": "portal"}'),
    ("raw_nul_in_username", b'{"username": "alice\x00", "password": "Secret123", '
                            b'"platform": "portal"}'),
    ("raw_nul_in_password", b'{"username": "alice", "password": "Secret\x00123", '
                            b'"platform": "portal"}'),
    ("raw_nul_outside_string", b'{"username": "alice", \x00"password": "Secret123", '
                               b'"platform": "portal"}'),
    ("invalid_utf8_password", b'{"username": "alice", "password": "Secret123\xff\xfe", '
                              b'"platform": "portal"}'),
    ("invalid_utf8_username", b'{"username": "ali\xc3ce", "password": "Secret123", '
                              b'"platform": "portal"}'),
    ("overlong_utf8", b'{"username": "alice", "password": "Secret123\xc0\xaf", '
                      b'"platform": "portal"}'),
    ("utf16_surrogate_escape", b'{"username": "alice", "password": "Secret123\\ud800", '
                               b'"platform": "portal"}'),
    ("deep_array_open", b"[" * 10000),
    ("deep_array_closed", b"[" * 10000 + b"]" * 10000),
    ("deep_object", b'{"a":' * 10000 + b"1" + b"}" * 10000),
    ("deep_in_field", b'{"username": "alice", "password": "Secret123", "platform": "portal", '
                      b'"x": ' + b"[" * 10000 + b"]" * 10000 + b"}"),
]


@pytest.mark.parametrize("name,raw", LOGIN_BODIES, ids=[c[0] for c in LOGIN_BODIES])
def test_bad_login_body_400(srv, alice, name, raw):
    st, js, body = srv.pub("POST", "/v1/login", raw=raw)
    assert_json_error(st, js, body, 400)
    still_serving(srv, alice)


def test_invalid_platform_4xx(srv, alice):
    st, js, raw = srv.pub("POST", "/v1/login", dict(GOOD, platform="mobile"))
    assert 400 <= st < 500 and isinstance(js, dict) and "error" in js, (st, raw)
    still_serving(srv, alice)


def test_bad_response_body_keeps_login_pending(srv, alice):
    st, js, raw = srv.login("alice")
    assert st == 200
    lid = js["login_id"]
    for bad in [b'{"response": 12345678}', b'{"response": null}', b"{}", b"[]", b'{"resp',
                b'{"response": "1234\x005678"}', b'{"response": "\xff\xff"}']:
        st, body, raw = srv.pub("POST", "/v1/login/%s/response" % lid, raw=bad)
        assert_json_error(st, body, raw, 400)
    st, js2, raw = srv.respond(lid, alice.answer(js["challenge"]))
    assert st == 200 and js2["status"] == "authenticated", (st, raw)
    assert srv.lock_state("alice")["failures"] == 0


def test_body_2mib_too_large(srv, alice):
    body = b'{"username": "alice", "password": "' + b"a" * (2 * 1024 * 1024) + b'", ' \
           b'"platform": "portal"}'
    head = ("POST /v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)).encode()
    st, js, raw = raw_exchange(srv.port, head, body)
    assert_json_error(st, js, raw, 413, "too_large")
    still_serving(srv, alice)


def test_admin_body_2mib_too_large(srv, alice):
    body = jbytes({"username": "bob", "password": PASSWORD, "email": "b@example.com",
                   "phones": [], "x": "y" * (2 * 1024 * 1024)})
    head = ("POST /v1/admin/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            "\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (srv.admin_token, len(body))).encode()
    st, js, raw = raw_exchange(srv.admin_port, head, body)
    assert_json_error(st, js, raw, 413, "too_large")
    assert srv.adm("GET", "/v1/admin/users/bob")[0] == 404
    still_serving(srv, alice)


@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "application/xml", "multipart/form-data; boundary=x"])
def test_wrong_content_type_415(srv, alice, ctype):
    st, js, raw = srv.pub("POST", "/v1/login", raw=jbytes(GOOD), headers={"Content-Type": ctype})
    assert_json_error(st, js, raw, 415, "unsupported_media_type")
    still_serving(srv, alice)


def test_admin_wrong_content_type_415(srv, alice):
    st, js, raw = srv.adm("POST", "/v1/admin/users", raw=jbytes({
        "username": "bob", "password": PASSWORD, "email": "b@example.com", "phones": []}),
        headers={"Content-Type": "text/plain"})
    assert_json_error(st, js, raw, 415, "unsupported_media_type")
    assert srv.adm("GET", "/v1/admin/users/bob")[0] == 404


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/nope"), ("POST", "/v1/loginx"), ("GET", "/v1/login/abc/nope"),
    ("GET", "/v2/login"), ("GET", "/v1/me/nope/nope"), ("GET", "/v1/admin/users/alice"),
    ("GET", "/v1/" + "x" * 3000),
])
def test_unknown_public_path_404(srv, alice, method, path):
    st, js, raw = srv.pub(method, path)
    assert_json_error(st, js, raw, 404, "not_found")
    still_serving(srv, alice)


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/admin/nope"), ("GET", "/v1/login"), ("POST", "/v1/session"),
    ("GET", "/v1/admin/users/alice/nope"),
])
def test_unknown_admin_path_404(srv, alice, method, path):
    st, js, raw = srv.adm(method, path)
    assert_json_error(st, js, raw, 404, "not_found")


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/login"), ("PUT", "/v1/login"), ("DELETE", "/v1/login"),
    ("PATCH", "/v1/session"), ("POST", "/v1/session"), ("PUT", "/v1/me"),
    ("DELETE", "/v1/me"), ("GET", "/v1/login/abc/response"), ("PUT", "/v1/login/abc/device"),
    ("POST", "/healthz"),
])
def test_wrong_method_public_405(srv, alice, method, path):
    st, js, raw = srv.pub(method, path)
    assert_json_error(st, js, raw, 405, "method_not_allowed")
    still_serving(srv, alice)


@pytest.mark.parametrize("method,path", [
    ("PUT", "/v1/admin/users"), ("DELETE", "/v1/admin/users/alice"),
    ("GET", "/v1/admin/users/alice/unlock"), ("POST", "/v1/admin/audit"),
    ("POST", "/metrics"),
])
def test_wrong_method_admin_405(srv, alice, method, path):
    st, js, raw = srv.adm(method, path)
    assert_json_error(st, js, raw, 405, "method_not_allowed")
    assert srv.user_view("alice")["username"] == "alice"


def test_truncated_upload_and_junk_survived(srv, alice):
    """A body shorter than its Content-Length, a request line of junk, and a huge header."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    s.sendall(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 500\r\n\r\n{\"username\"")
    s.close()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 200 + b"\r\n\r\n")
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    head = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\nConnection: close\r\n\r\n"
            % ("a" * 200000)).encode()
    st, js, raw = raw_exchange(srv.port, head)
    assert st is None or 400 <= st < 500, (st, raw)
    still_serving(srv, alice)


# ---- admin input ----

def test_admin_requires_token(srv, alice):
    for token in [None, "wrong", srv.admin_token + "x", srv.admin_token[:-1]]:
        st, js, raw = srv.adm("GET", "/v1/admin/users/alice", token=token)
        assert_json_error(st, js, raw, 401, "unauthorized")
        st, js, raw = srv.adm("POST", "/v1/admin/users", {
            "username": "mallory", "password": PASSWORD, "email": "m@example.com",
            "phones": []}, token=token)
        assert_json_error(st, js, raw, 401, "unauthorized")
    assert srv.adm("GET", "/v1/admin/users/mallory")[0] == 404
    st, js, raw = srv.adm("GET", "/v1/admin/users/alice",
                          headers={"Authorization": "Basic " + srv.admin_token})
    assert_json_error(st, js, raw, 401, "unauthorized")


def test_admin_token_not_accepted_on_public_listener(srv, alice):
    st, js, raw = srv.pub("POST", "/v1/admin/users/alice/unlock", {}, token=srv.admin_token)
    assert_json_error(st, js, raw, 404, "not_found")


def test_public_calls_not_on_admin_listener(srv, alice):
    st, js, raw = srv.adm("POST", "/v1/login", GOOD)
    assert_json_error(st, js, raw, 404, "not_found")


@pytest.mark.parametrize("name,raw", [c for c in LOGIN_BODIES if c[0] in (
    "truncated", "invalid_json", "array", "number", "escaped_nul_in_username",
    "raw_nul_in_username", "invalid_utf8_username", "deep_array_open", "empty_body")])
def test_admin_create_user_bad_body(srv, alice, name, raw):
    st, js, body = srv.adm("POST", "/v1/admin/users", raw=raw)
    assert_json_error(st, js, body, 400)
    assert srv.healthy()


@pytest.mark.parametrize("field,value", [
    ("username", 7), ("password", None), ("email", ["a@example.com"]), ("phones", "1:555"),
    ("account_state", "open"), ("equity_cents", "100"), ("primary", "yes"), ("sls", 1),
    ("identity", "passport"),
])
def test_admin_create_user_wrong_types(srv, field, value):
    body = {"username": "bob", "password": PASSWORD, "email": "bob@example.com",
            "phones": [{"country": "1", "number": "2125550100"}]}
    body[field] = value
    st, js, raw = srv.adm("POST", "/v1/admin/users", body)
    assert_json_error(st, js, raw, 400)
    assert srv.adm("GET", "/v1/admin/users/bob")[0] == 404


BAD_DEVICES = [
    ("unknown_type", {"type": "rsa_token", "secret_hex": "00" * 20}),
    ("missing_type", {"secret_hex": "00" * 20, "pin": PIN}),
    ("dsc_plus_no_secret", {"type": "dsc_plus", "pin": PIN}),
    ("dsc_plus_short_secret", {"type": "dsc_plus", "secret_hex": "00" * 19, "pin": PIN}),
    ("dsc_plus_long_secret", {"type": "dsc_plus", "secret_hex": "00" * 21, "pin": PIN}),
    ("dsc_plus_odd_hex", {"type": "dsc_plus", "secret_hex": "0" * 39, "pin": PIN}),
    ("dsc_plus_not_hex", {"type": "dsc_plus", "secret_hex": "zz" * 20, "pin": PIN}),
    ("dsc_plus_no_pin", {"type": "dsc_plus", "secret_hex": "00" * 20}),
    ("dsc_plus_pin_5", {"type": "dsc_plus", "secret_hex": "00" * 20, "pin": "12345"}),
    ("dsc_plus_pin_3", {"type": "dsc_plus", "secret_hex": "00" * 20, "pin": "123"}),
    ("dsc_plus_pin_letters", {"type": "dsc_plus", "secret_hex": "00" * 20, "pin": "12a4"}),
    ("dsc_plus_pin_number", {"type": "dsc_plus", "secret_hex": "00" * 20, "pin": 1234}),
    ("dsc_pin_missing", {"type": "dsc", "secret_hex": "00" * 20}),
    ("platinum_no_secret", {"type": "platinum"}),
    ("gold_secret_number", {"type": "gold", "secret_hex": 1234}),
    ("bad_state", {"type": "platinum", "secret_hex": "00" * 20, "state": "lost"}),
    ("scc_no_cells", {"type": "scc"}),
    ("scc_cells_list", {"type": "scc", "cells": ["123", "456"]}),
    ("scc_gap", {"type": "scc", "cells": {"1": "123", "3": "456"}}),
    ("scc_starts_at_0", {"type": "scc", "cells": {"0": "123", "1": "456"}}),
    ("scc_two_digits", {"type": "scc", "cells": {"1": "123", "2": "45"}}),
    ("scc_four_digits", {"type": "scc", "cells": {"1": "123", "2": "4567"}}),
    ("scc_letters", {"type": "scc", "cells": {"1": "123", "2": "4a6"}}),
    ("scc_number_value", {"type": "scc", "cells": {"1": "123", "2": 456}}),
    ("scc_101_cells", {"type": "scc", "cells": {str(i): "123" for i in range(1, 102)}}),
    ("scc_index_text", {"type": "scc", "cells": {"1": "123", "two": "456"}}),
]


@pytest.mark.parametrize("name,body", BAD_DEVICES, ids=[c[0] for c in BAD_DEVICES])
def test_admin_device_invalid_400(srv, alice, name, body):
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices", body)
    assert_json_error(st, js, raw, 400)
    assert len(srv.user_view("alice")["devices"]) == 1


def test_admin_device_scc_100_cells_ok(srv, alice):
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/devices", {
        "type": "scc", "cells": {str(i): "%03d" % (i % 1000) for i in range(1, 101)}})
    assert st == 201 and js["id"], (st, raw)


def test_admin_identity_unknown_channel_changes_nothing(srv, alice):
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/identity-verifications", raw=b"{")
    assert_json_error(st, js, raw, 400)
    st, js, raw = srv.adm("POST", "/v1/admin/users/alice/unlock", {})
    assert_json_error(st, js, raw, 403, "identity_not_verified")


# ---- development endpoints ----

def test_dev_endpoints_absent_without_dev(start_server):
    prod = start_server(dev=False)
    for method, path, body in [("GET", "/v1/dev/clock", None),
                               ("POST", "/v1/dev/clock", {"advance_seconds": 3600}),
                               ("POST", "/v1/dev/clock", {"set": "2030-01-01T00:00:00Z"}),
                               ("GET", "/v1/dev/outbox", None)]:
        st, js, raw = prod.pub(method, path, body)
        assert_json_error(st, js, raw, 404, "not_found")
    assert prod.healthy()


@pytest.mark.parametrize("body", [{"advance_seconds": "60"}, {"set": "yesterday"}, {},
                                  {"set": "2026-13-45T99:00:00Z"}, [], {"advance_seconds": 1.5}])
def test_dev_clock_bad_input(srv, body):
    before = srv.now()
    st, js, raw = srv.pub("POST", "/v1/dev/clock", body)
    assert_json_error(st, js, raw, 400)
    assert abs(srv.now() - before) <= 2


def test_dev_clock_set_and_advance(srv):
    t = parse_time("2026-11-20T15:59:59Z")
    assert srv.set_clock("2026-11-20T15:59:59Z") == t
    st, js, raw = srv.pub("POST", "/v1/dev/clock", {"advance_seconds": 1})
    assert st == 200 and js["now_unix"] - t in (1, 2), (st, raw)
    assert parse_time(js["now"]) == js["now_unix"], js
    assert srv.set_clock(t - 86400) == t - 86400
    st, js, raw = srv.pub("GET", "/v1/dev/clock")
    assert st == 200 and js["now_unix"] - (t - 86400) in (0, 1), js
    assert js["now"].startswith("2026-11-19T15:59:5"), js


# ---- HTTP framing and URLs ----

def chunked(data, size=65536):
    out = b""
    for i in range(0, len(data), size):
        part = data[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def test_chunked_body_accepted(srv, alice):
    head = (b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    st, js, raw = raw_exchange(srv.port, head, chunked(jbytes(GOOD), 7))
    assert st == 200 and js["status"] == "second_factor", (st, raw)


def test_chunked_body_2mib_too_large(srv, alice):
    """The size limit holds without a Content-Length too."""
    body = b'{"username": "alice", "password": "' + b"a" * (2 * 1024 * 1024) + \
        b'", "platform": "portal"}'
    head = (b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    st, js, raw = raw_exchange(srv.port, head, chunked(body))
    assert_json_error(st, js, raw, 413, "too_large")
    still_serving(srv, alice)


def test_json_with_charset_parameter_accepted(srv, alice):
    st, js, raw = srv.pub("POST", "/v1/login", raw=jbytes(GOOD),
                          headers={"Content-Type": "application/json; charset=utf-8"})
    assert st == 200 and js["status"] == "second_factor", (st, raw)


def test_keep_alive_several_requests_one_connection(srv, alice):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        for _ in range(3):
            conn.request("POST", "/v1/login", body=b"{", headers={
                "Content-Type": "application/json"})
            r = conn.getresponse()
            assert r.status == 400 and json.loads(r.read())["error"], r.status
            conn.request("POST", "/v1/login", body=jbytes(GOOD), headers={
                "Content-Type": "application/json"})
            r = conn.getresponse()
            assert r.status == 200 and json.loads(r.read())["status"] == "second_factor"
    finally:
        conn.close()
    still_serving(srv, alice)


@pytest.mark.parametrize("path", [
    "/v1/admin/users/al%20ice", "/v1/admin/users/ali%00ce", "/v1/admin/users/%ff%fe",
    "/v1/admin/users/" + "a" * 5000, "/v1/admin/users/..%2f..%2fhealthz",
    "/v1/admin/users/alice%2Fdevices", "/v1/admin/users/ALICE",
])
def test_admin_odd_user_paths(srv, alice, path):
    st, js, raw = srv.adm("GET", path)
    assert 400 <= st < 500 and isinstance(js, dict) and js.get("error"), (st, raw)
    assert b"secret" not in raw.lower()
    still_serving(srv, alice)


@pytest.mark.parametrize("query", ["?limit=abc", "?limit=-1", "?limit=1e3",
                                   "?limit=99999999999999999999999", "?since=yesterday",
                                   "?since=2026-13-40T00:00:00Z"])
def test_admin_audit_bad_query(srv, alice, query):
    st, js, raw = srv.adm("GET", "/v1/admin/audit" + query)
    assert st == 400 and js.get("error"), (st, raw)


@pytest.mark.parametrize("path,body", [
    ("/v1/login/%s/device", {"device_id": 7}),
    ("/v1/login/%s/device", {}),
    ("/v1/login/%s/device", [1]),
])
def test_bad_device_switch_body_keeps_login(srv, alice, path, body):
    st, js, raw = srv.login("alice")
    assert st == 200
    st, err, raw = srv.pub("POST", path % js["login_id"], body)
    assert_json_error(st, err, raw, 400)
    st, js2, raw = srv.respond(js["login_id"], alice.answer(js["challenge"]))
    assert st == 200, (st, raw)


@pytest.mark.parametrize("field,value", [("equity_cents", 10 ** 30), ("equity_cents", -5),
                                         ("equity_cents", 1.5), ("account_id", "X123"),
                                         ("email", "no-at-sign"), ("email", ""),
                                         ("phones", [{"country": "1"}]),
                                         ("phones", [{"country": "1", "number": "555 0100"}])])
def test_admin_create_user_bad_values(srv, field, value):
    body = {"username": "bob", "password": PASSWORD, "email": "bob@example.com",
            "phones": [{"country": "1", "number": "2125550100"}]}
    body[field] = value
    st, js, raw = srv.adm("POST", "/v1/admin/users", body)
    assert_json_error(st, js, raw, 400)
    assert srv.adm("GET", "/v1/admin/users/bob")[0] == 404
