"""R41 audit log: the events recorded for admin actions and logins (with reasons),
the filters of GET /v1/admin/audit, and the hash chain that links the records.
Also the Prometheus counters and histogram on the admin listener's /metrics (admin token)."""

import hashlib
import re
import urllib.parse

from client import parse_time, rfc3339

ZERO_HASH = "0" * 64


def canonical(r):
    user = r["user"] if r.get("user") is not None else ""
    detail = r["detail"] if r.get("detail") is not None else ""
    return "%d\n%d\n%s\n%s\n%s\n%s\n%s" % (r["seq"], parse_time(r["at"]), r["actor"], user,
                                           r["event"], r["outcome"], detail)


def verify_chain(records, start_prev=ZERO_HASH):
    prev = start_prev
    for r in records:
        assert r["prev_hash"] == prev, r
        want = hashlib.sha256((prev + canonical(r)).encode("utf-8")).hexdigest()
        assert r["hash"] == want, (r, canonical(r))
        prev = r["hash"]


def scenario(srv):
    """user.create, device.add, failures, success, lock, identity.verify, unlock, account.state."""
    dev = srv.sls_user("alice")
    srv.sls_user("bob")
    srv.login("nobody", "Wrong1234")
    srv.login("alice", "Wrong1234")
    srv.full_login("alice", dev)
    st, js, raw = srv.login("alice")
    srv.respond(js["login_id"], "00000000")
    for _ in range(10):
        srv.login("bob", "Wrong1234")
    srv.login("bob")
    assert srv.adm("POST", "/v1/admin/users/bob/identity-verifications",
                   {"channel": "phone"})[0] == 201
    assert srv.adm("POST", "/v1/admin/users/bob/unlock", {})[0] == 200
    assert srv.adm("POST", "/v1/admin/users/alice/account", {"state": "closed"})[0] == 200
    return dev


def test_r41_chain_verifies(srv):
    scenario(srv)
    recs = srv.audit("?limit=1000")
    assert len(recs) >= 20
    assert recs[0]["prev_hash"] == ZERO_HASH
    seqs = [r["seq"] for r in recs]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs
    assert seqs[0] == 1
    verify_chain(recs)
    for r in recs:
        assert re.fullmatch(r"[0-9a-f]{64}", r["hash"]), r
        parse_time(r["at"])


def test_r41_events_recorded(srv):
    scenario(srv)
    recs = srv.audit("?limit=1000")
    def have(**kw):
        return [r for r in recs if all(r.get(k) == v for k, v in kw.items())]
    assert have(event="user.create", user="alice", actor="agent:admin")
    assert have(event="device.add", user="alice", actor="agent:admin")
    assert have(event="login.failure", user="alice", outcome="wrong_password")
    assert have(event="login.failure", outcome="unknown_user")
    assert have(event="login.failure", user="alice", outcome="wrong_response")
    assert len(have(event="login.success", user="alice")) == 1
    assert len(have(event="lock", user="bob")) >= 1
    assert have(event="login.failure", user="bob", outcome="locked")
    assert have(event="identity.verify", user="bob", actor="agent:admin")
    assert have(event="unlock", user="bob", actor="agent:admin")
    assert have(event="account.state", user="alice", actor="agent:admin")
    assert len(have(event="login.failure", user="bob")) >= 10
    for r in recs:
        assert "Wrong1234" not in (r.get("detail") or ""), r
        assert "Secret123" not in (r.get("detail") or ""), r


def test_r41_expired_response_audited(srv):
    dev = srv.sls_user("alice")
    t = srv.set_clock(srv.now() + 1)
    st, js, raw = srv.login("alice")
    srv.set_clock(t + 301)
    srv.respond(js["login_id"], dev.answer(js["challenge"]))
    recs = srv.audit("?user=alice&limit=1000")
    assert [r for r in recs if r["event"] == "login.failure" and r["outcome"] == "expired"], recs


def test_r41_filter_by_user(srv):
    scenario(srv)
    recs = srv.audit("?user=bob&limit=1000")
    assert recs and all(r["user"] == "bob" for r in recs), recs
    seqs = [r["seq"] for r in recs]
    assert seqs == sorted(seqs)


def test_r41_filter_since_and_limit(srv):
    srv.sls_user("alice")
    t = srv.set_clock(srv.now() + 3600)
    srv.login("alice", "Wrong1234")
    srv.login("alice", "Wrong1234")
    srv.login("alice", "Wrong1234")
    recs = srv.audit("?since=%s&limit=1000" % urllib.parse.quote(rfc3339(t)))
    assert all(parse_time(r["at"]) >= t for r in recs), recs
    assert [r["outcome"] for r in recs if r["event"] == "login.failure"] == \
        ["wrong_password"] * 3, recs
    assert not [r for r in recs if r["event"] in ("user.create", "device.add")], recs
    everything = srv.audit("?limit=1000")
    assert len(everything) >= 5
    assert [r["seq"] for r in everything] == sorted(r["seq"] for r in everything)
    two = srv.audit("?limit=2")
    assert len(two) == 2
    assert all(r in everything for r in two)


def test_r41_audit_needs_admin_token(srv):
    st, js, raw = srv.adm("GET", "/v1/admin/audit", token=None)
    assert st == 401 and js["error"] == "unauthorized", (st, raw)
    st, js, raw = srv.pub("GET", "/v1/admin/audit", token=srv.admin_token)
    assert st == 404, (st, raw)


# ---- metrics ----

def metric(text, name, labels=None):
    """The value of a sample `name{labels}` (labels: dict that must match), or None."""
    total = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?", line)
        assert m, "malformed metrics line: %r" % line
        if m.group(1) != name:
            continue
        got = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        if labels and any(got.get(k) != v for k, v in labels.items()):
            continue
        total = (total or 0) + float(m.group(4))
    return total


def get_metrics(srv):
    st, _, raw = srv.adm("GET", "/metrics")
    assert st == 200, (st, raw)
    return raw.decode("utf-8")


def test_metrics_count_logins_and_lockouts(srv):
    dev = srv.sls_user("alice")
    srv.sls_user("bob")
    srv.full_login("alice", dev)
    srv.login("alice", "Wrong1234")
    srv.login("alice", "Wrong1234")
    for _ in range(10):
        srv.login("bob", "Wrong1234")
    text = get_metrics(srv)
    assert metric(text, "sls_logins_total", {"outcome": "success"}) == 1, text
    # Failure outcomes are labelled by the API error the client saw: nine wrong passwords for
    # bob and two for alice answered invalid_credentials, bob's tenth already answered locked.
    assert metric(text, "sls_logins_total", {"outcome": "invalid_credentials"}) == 11, text
    assert metric(text, "sls_logins_total", {"outcome": "locked"}) == 1, text
    # The audit log keeps the finer reason of each of the twelve failures.
    failures = [r for r in srv.audit("?limit=1000") if r["event"] == "login.failure"]
    assert len(failures) == 12, failures
    assert {r["outcome"] for r in failures} == {"wrong_password"}, failures
    assert metric(text, "sls_lockouts_total") == 1, text
    buckets = [line for line in text.splitlines()
               if line.startswith("sls_http_request_duration_seconds_bucket{")]
    assert buckets, text
    assert any('le="+Inf"' in b for b in buckets), buckets


def test_metrics_need_the_admin_token_and_not_on_public_listener(srv):
    """SPEC §10.2: GET /metrics needs the admin token."""
    st, _, raw = srv.adm("GET", "/metrics", token=None)
    assert st == 401, (st, raw)
    st, _, raw = srv.adm("GET", "/metrics")
    assert st == 200 and b"sls_lockouts_total" in raw, (st, raw)
    st, _, raw = srv.pub("GET", "/metrics")
    assert st == 404, (st, raw)


def test_metrics_histogram_well_formed(srv):
    srv.sls_user("alice")
    for _ in range(5):
        srv.login("alice", "Wrong1234")
    text = get_metrics(srv)
    series = {}
    counts = {}
    for line in text.splitlines():
        m = re.fullmatch(r"sls_http_request_duration_seconds_(bucket|count)\{?(.*?)\}?\s+(\S+)",
                         line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        le = labels.pop("le", None)
        key = tuple(sorted(labels.items()))
        if m.group(1) == "bucket":
            series.setdefault(key, []).append((float(le), float(m.group(3))))
        else:
            counts[key] = float(m.group(3))
    assert series, text
    for key, buckets in series.items():
        values = [v for _, v in buckets]
        assert [b for b, _ in buckets] == sorted(b for b, _ in buckets), (key, buckets)
        assert values == sorted(values), (key, buckets)
        assert buckets[-1][0] == float("inf"), (key, buckets)
        if key in counts:
            assert counts[key] == buckets[-1][1], (key, buckets, counts[key])
    assert sum(b[-1][1] for b in series.values()) >= 5


def test_content_types(srv):
    from client import request
    srv.sls_user("alice")
    st, js, raw, hdrs = request(srv.port, "POST", "/v1/login", {
        "username": "alice", "password": "Wrong1234", "platform": "portal"})
    assert st == 401 and hdrs["content-type"].startswith("application/json"), hdrs
    st, js, raw, hdrs = request(srv.port, "GET", "/v1/nope")
    assert st == 404 and hdrs["content-type"].startswith("application/json"), hdrs
    st, js, raw, hdrs = request(srv.admin_port, "GET", "/metrics",
                                headers={"Authorization": "Bearer " + srv.admin_token})
    assert st == 200 and hdrs["content-type"].startswith("text/plain"), hdrs
