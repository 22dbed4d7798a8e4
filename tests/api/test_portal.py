"""The web Client Portal's files (SPEC §8 `GET /`): served on the public
listener only, each with its media type, a strict Content-Security-Policy and
the other protective headers, no cookie; unknown names answer 404. The pages
themselves are tested in a browser by tests/browser/portal.test.js."""

import re

from client import request

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

FILES = {
    "/": "text/html; charset=utf-8",
    "/assets/portal.css": "text/css; charset=utf-8",
    "/assets/portal.js": "text/javascript; charset=utf-8",
    "/assets/favicon.svg": "image/svg+xml",
}


def get(port, path, method="GET"):
    return request(port, method, path)


def test_portal_files_have_their_type_and_strict_headers(srv):
    for path, ctype in FILES.items():
        st, _, raw, h = get(srv.port, path)
        assert st == 200 and raw, path
        assert h["content-type"] == ctype, (path, h)
        assert h["content-security-policy"] == CSP, (path, h)
        assert h["x-frame-options"] == "DENY", path
        assert h["x-content-type-options"] == "nosniff", path
        assert h["referrer-policy"] == "no-referrer", path
        assert h["cache-control"] == "no-cache", path
        assert "set-cookie" not in h, path


def test_portal_page_loads_only_its_own_files(srv):
    st, _, raw, _ = get(srv.port, "/")
    html = raw.decode("utf-8")
    assert st == 200
    # No inline script, style or event handler: the CSP would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I), html
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html, re.I), html
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(r.startswith("/assets/") for r in refs), refs
    for ref in refs:
        assert get(srv.port, ref)[0] == 200, ref


def test_unknown_portal_paths_answer_404(srv):
    for path in ("/assets/missing.js", "/assets/", "/assets/x/portal.js", "/index.html",
                 "/assets/..%2Findex.html", "/assets/portal.js.map", "/portal"):
        st, js, _, h = get(srv.port, path)
        assert st == 404 and js["error"] == "not_found", path
        assert h["content-type"] == "application/json", path
    st, js, _, _ = get(srv.port, "/", method="POST")
    assert st == 405 and js["error"] == "method_not_allowed"


def test_portal_not_served_on_the_admin_listener(srv):
    for path in FILES:
        assert get(srv.admin_port, path)[0] == 404, path


def test_api_answers_also_refuse_framing(srv):
    st, _, _, h = get(srv.port, "/v1/session")
    assert st == 401
    assert h["x-frame-options"] == "DENY" and h["cache-control"] == "no-store", h
