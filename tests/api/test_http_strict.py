"""SPEC §10.2 HTTP strictness: a request whose body length can be read two ways
(two Content-Length values, or Content-Length with Transfer-Encoding) and a
request line carrying %00 get 400 before anything runs; HEAD works wherever GET
does; GET /metrics needs the admin token.

Each refused request is shown to change nothing: the login it would have
started never counts toward R8.
"""

import json
import socket

import pytest

from client import raw_exchange


def login_body(password="Wrong1234"):
    return json.dumps({"username": "alice", "password": password,
                       "platform": "portal"}).encode()


def head(path, extra):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "%sConnection: close\r\n\r\n" % (path, extra)).encode()


def failures(srv):
    return srv.lock_state("alice")["failures"]


@pytest.fixture
def alice(srv):
    return srv.sls_user("alice")


@pytest.mark.parametrize("framing", [
    "Content-Length: {n}\r\nContent-Length: {n}\r\n",        # the same value twice
    "Content-Length: {n}\r\nContent-Length: 5\r\n",          # two different values
    "Content-Length: {n}, {n}\r\n",                          # a list in one header
    "Content-Length: {n}\r\nTransfer-Encoding: chunked\r\n",  # both framings
    "Transfer-Encoding: chunked\r\nContent-Length: {n}\r\n",  # both, the other order
    "Content-Length: +{n}\r\n",                              # not plain digits
])
def test_ambiguous_body_length_is_400_and_counts_nothing(srv, alice, framing):
    body = login_body()
    before = failures(srv)
    st, js, raw = raw_exchange(srv.port, head("/v1/login", framing.format(n=len(body))), body)
    assert st == 400, (st, raw)
    if js is not None:  # libmicrohttpd may refuse some framings itself, without JSON
        assert js["error"] == "bad_request", js
    assert failures(srv) == before


def test_one_content_length_still_works(srv, alice):
    body = login_body()
    st, js, raw = raw_exchange(srv.port, head("/v1/login", "Content-Length: %d\r\n" % len(body)),
                               body)
    assert st == 401 and js["error"] == "invalid_credentials", (st, raw)
    assert failures(srv) == 1


@pytest.mark.parametrize("path", [
    "/v1/login%00", "/v1/login%00/x", "/v1/lo%00gin", "/v1/login?x=%00",
])
def test_nul_in_request_line_is_400_and_counts_nothing(srv, alice, path):
    body = login_body()
    st, js, raw = raw_exchange(srv.port, head(path, "Content-Length: %d\r\n" % len(body)), body)
    assert st == 400, (st, raw)
    assert js["error"] == "bad_request" and "%00" in js["message"], js
    assert failures(srv) == 0


def test_nul_in_get_path_and_admin_path(srv, alice):
    st, js, raw = srv.pub("GET", "/healthz%00")
    assert st == 400 and js["error"] == "bad_request", (st, raw)
    st, js, raw = srv.adm("GET", "/v1/admin/users/alice%00")
    assert st == 400 and js["error"] == "bad_request", (st, raw)


def head_request(port, path, token=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    auth = "Authorization: Bearer %s\r\n" % token if token else ""
    try:
        s.sendall(("HEAD %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n"
                   % (path, auth)).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    headers, _, rest = data.partition(b"\r\n\r\n")
    lines = headers.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), fields, rest


@pytest.mark.parametrize("path", ["/", "/healthz", "/assets/portal.js"])
def test_head_answers_like_get_without_a_body(srv, path):
    st, fields, rest = head_request(srv.port, path)
    assert st == 200, (st, fields)
    assert rest == b""
    get_st, _, get_raw = srv.pub("GET", path)
    assert get_st == 200
    assert int(fields["content-length"]) == len(get_raw)


def test_head_needs_what_get_needs(srv, alice):
    st, _, rest = head_request(srv.port, "/v1/me")
    assert st == 401 and rest == b""
    st, _, rest = head_request(srv.admin_port, "/v1/admin/users/alice")
    assert st == 401 and rest == b""
    st, _, rest = head_request(srv.admin_port, "/v1/admin/users/alice", srv.admin_token)
    assert st == 200 and rest == b""
    st, _, rest = head_request(srv.port, "/v1/no-such-path")
    assert st == 404 and rest == b""


def test_head_of_a_post_only_path_is_405(srv):
    st, _, _ = head_request(srv.port, "/v1/login")
    assert st == 405


def test_metrics_needs_the_admin_token(srv, alice):
    st, js, raw = srv.adm("GET", "/metrics", token=None)
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    st, js, raw = srv.adm("GET", "/metrics", token="not-a-token")
    assert st == 401, (st, raw)
    st, _, raw = srv.adm("GET", "/metrics")
    assert st == 200 and b"sls_lockouts_total" in raw, (st, raw)
    st, _, raw = srv.pub("GET", "/metrics")
    assert st == 404, (st, raw)
    # /healthz stays open for load balancers.
    st, _, _ = srv.adm("GET", "/healthz", token=None)
    assert st == 200
