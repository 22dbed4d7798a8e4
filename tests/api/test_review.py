"""R4, R31 security review: e-mail and banking changes of users outside SLS
wait for an agent, who approves (the change applies) or denies them, once."""

from client import PASSWORD
from money import outside_user
from test_settings import BANK


def reviews(srv, state=None):
    st, js, raw = srv.adm("GET", "/v1/admin/reviews" + ("?state=" + state if state else ""))
    assert st == 200, (st, raw)
    return js["reviews"]


def test_r4_approve_email_change_applies_it(srv):
    token = outside_user(srv)
    st, js, raw = srv.pub("POST", "/v1/me/email", {"new_email": "new@example.org",
                                                  "password": PASSWORD}, token=token)
    rid = js["review_id"]
    pend = reviews(srv)
    assert len(pend) == 1 and pend[0]["id"] == rid, pend
    assert pend[0]["kind"] == "email" and pend[0]["username"] == "olive"
    assert pend[0]["change"]["new_email"] == "new@example.org"
    assert pend[0]["state"] == "pending" and pend[0]["decided_by"] is None
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/approve" % rid)
    assert st == 200 and js["state"] == "approved" and js["decided_by"] == "agent:admin", raw
    assert srv.user_view("olive")["email"] == "new@example.org"
    assert reviews(srv) == []
    assert len(reviews(srv, "approved")) == 1
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/deny" % rid)
    assert st == 409, (st, raw)
    ev = [r for r in srv.audit("?user=olive") if r["event"] == "review.approve"]
    assert len(ev) == 1 and ev[0]["actor"] == "agent:admin", ev


def test_r4_deny_bank_change_changes_nothing(srv):
    token = outside_user(srv)
    st, js, raw = srv.pub("POST", "/v1/me/bank-instructions", BANK, token=token)
    rid = js["review_id"]
    pend = reviews(srv)
    assert pend[0]["change"] == {"bank_name": "First Bank", "routing_number": "021000021",
                                 "account_number_last4": "6789"}, pend
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/deny" % rid)
    assert st == 200 and js["state"] == "denied", raw
    assert len(reviews(srv, "denied")) == 1 and len(reviews(srv, "all")) == 1
    st, js, raw = srv.adm("POST", "/v1/admin/reviews/%d/approve" % rid)
    assert st == 409, (st, raw)


def test_r4_review_bad_input(srv):
    for rid in ("0", "abc", "99999", "-1", "1x"):
        st, js, raw = srv.adm("POST", "/v1/admin/reviews/%s/approve" % rid)
        assert st == 404, (rid, st, raw)
    st, js, raw = srv.adm("GET", "/v1/admin/reviews?state=maybe")
    assert st == 400, (st, raw)
    st, js, raw = srv.adm("GET", "/v1/admin/reviews", token=None)
    assert st == 401, (st, raw)
