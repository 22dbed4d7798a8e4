"""Concurrency: parallel wrong passwords are all counted (R8: exactly ten failures and
a lock, never lost updates), and a challenge answered many times at once is
accepted exactly once (R9 single use)."""

from client import parallel, request


def test_r8_parallel_wrong_passwords_all_count(srv):
    srv.sls_user("alice")
    body = {"username": "alice", "password": "Wrong1234", "platform": "portal"}
    res = parallel(10, lambda i: request(srv.port, "POST", "/v1/login", body)[:3])
    statuses = sorted(st for st, _, _ in res)
    assert statuses == [401] * 9 + [403], [(st, raw) for st, _, raw in res]
    assert [js["error"] for st, js, _ in res if st == 403] == ["locked"]
    lock = srv.lock_state("alice")
    assert lock["failures"] == 10 and lock["locked"] is True, lock


def test_r8_parallel_failures_of_two_users(srv):
    srv.sls_user("alice")
    srv.sls_user("bob")

    def attempt(i):
        user = "alice" if i % 2 else "bob"
        body = {"username": user, "password": "Wrong1234", "platform": "portal"}
        return request(srv.port, "POST", "/v1/login", body)[0]

    res = parallel(16, attempt)
    assert all(st == 401 for st in res), res
    assert srv.lock_state("alice")["failures"] == 8
    assert srv.lock_state("bob")["failures"] == 8


def test_r9_parallel_same_response_accepted_once(srv):
    dev = srv.sls_user("alice")
    st, js, raw = srv.login("alice")
    assert st == 200, (st, raw)
    path = "/v1/login/%s/response" % js["login_id"]
    body = {"response": dev.answer(js["challenge"])}
    res = parallel(20, lambda i: request(srv.port, "POST", path, body)[:3])
    ok = [r for r in res if r[0] == 200]
    assert len(ok) == 1, [(st, raw) for st, _, raw in res]
    assert ok[0][1]["status"] == "authenticated" and ok[0][1]["session"]["token"]
    rest = [r for r in res if r[0] != 200]
    assert len(rest) == 19
    assert all(st == 401 and js["error"] == "login_failed" for st, js, _ in rest), rest
    st, me, raw = srv.pub("GET", "/v1/session", token=ok[0][1]["session"]["token"])
    assert st == 200 and me["username"] == "alice", (st, raw)


def test_r9_parallel_logins_each_get_own_challenge(srv):
    dev = srv.sls_user("alice")

    def one(i):
        st, js, raw, _ = request(srv.port, "POST", "/v1/login",
                                 {"username": "alice", "password": "Secret123",
                                  "platform": "portal"})
        assert st == 200, (st, raw)
        st, js2, raw, _ = request(srv.port, "POST", "/v1/login/%s/response" % js["login_id"],
                                  {"response": dev.answer(js["challenge"])})
        return st, js["login_id"]

    res = parallel(8, one)
    assert all(st == 200 for st, _ in res), res
    assert len({lid for _, lid in res}) == 8


def test_parallel_create_same_user_once(srv):
    body = {"username": "carol", "password": "Secret123", "email": "c@example.com",
            "phones": [{"country": "1", "number": "2125550100"}]}
    hdr = {"Authorization": "Bearer " + srv.admin_token}
    res = parallel(10, lambda i: request(srv.admin_port, "POST", "/v1/admin/users", body,
                                         headers=hdr)[:3])
    statuses = sorted(st for st, _, _ in res)
    assert statuses == [201] + [409] * 9, [(st, raw) for st, _, raw in res]
    assert srv.user_view("carol")["username"] == "carol"


def test_r41_chain_intact_after_parallel_writes(srv):
    from test_audit import verify_chain
    devs = {u: srv.sls_user(u) for u in ("alice", "bob", "carol")}

    def work(i):
        user = ("alice", "bob", "carol")[i % 3]
        if i % 2:
            return request(srv.port, "POST", "/v1/login",
                           {"username": user, "password": "Wrong1234", "platform": "portal"})[0]
        st, js, raw, _ = request(srv.port, "POST", "/v1/login",
                                 {"username": user, "password": "Secret123",
                                  "platform": "portal"})
        if st != 200:
            return st
        return request(srv.port, "POST", "/v1/login/%s/response" % js["login_id"],
                       {"response": devs[user].answer(js["challenge"])})[0]

    res = parallel(24, work)
    assert all(st in (200, 401, 403) for st in res), res
    recs = srv.audit("?limit=10000")
    assert [r["seq"] for r in recs] == list(range(1, len(recs) + 1))
    verify_chain(recs)
    assert len([r for r in recs if r["event"] in ("login.success", "login.failure")]) == 24
