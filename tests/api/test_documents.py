"""R50 document intake by e-mail, through `POST /v1/admin/documents` and
`slsctl documents ingest`: a corpus of real-shaped messages (tests/api/mail/)
each with its expected outcome, the bytes kept compared with what Python's own
MIME decoder makes of the message, content addressing (the same photo twice is
stored once), rejections that store nothing but the rejection, size limits at
their exact boundary, the body rules of the route, and the CLI."""

import email
import email.policy
import hashlib
import json
import os
import sqlite3
import subprocess

import pytest

from client import env_paths, raw_exchange

PATHS = env_paths()
MAIL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mail")
WORLD = "newaccounts@example.com"
EUROPE = "newaccounts.uk@example.co.uk"
RFC822 = {"Content-Type": "message/rfc822"}

# Users the corpus writes to: (user name, account number, country of residence).
USERS = [("alice", "U1234567", "US"), ("bruno", "U2345678", "FR"), ("chen", "U3456789", "SG")]

# Every message of the corpus and what must come of it: accepted for (user,
# purpose, [(detected type, file name), ...]) or rejected with a reason.
ACCEPTED = {
    "ios_mail_pid.eml": ("alice", "PID", [("image/jpeg", "IMG_0421.jpeg")]),
    "gmail_android_pores.eml": ("bruno", "PoRes", [("image/jpeg", "IMG_20261120_095512.jpg")]),
    "forwarded_inline.eml": ("alice", "PoRes", [("application/pdf", "bill-2026-11.pdf")]),
    "forwarded_as_attachment.eml": ("alice", "PID", [("image/jpeg", "IMG_0399.jpeg")]),
    "multiple_attachments.eml": ("chen", "PID", [("image/jpeg", "IMG_1001.jpeg"),
                                                 ("image/jpeg", "IMG_1002.jpeg"),
                                                 ("application/pdf", "passport.pdf")]),
    "french_subject_utf8.eml": ("bruno", "PoRes", [("image/png", "bail sign\u00e9.png")]),
    "latin1_subject.eml": ("bruno", "PID", [("image/jpeg", "20261120_103955.jpg")]),
    "ios_heic.eml": ("chen", "PoRes", [("image/heic", "IMG_2044.HEIC")]),
    "pdf_quoted_printable.eml": ("bruno", "PoRes", [("application/pdf", "taxe-2026.pdf")]),
}
REJECTED = {
    "missing_purpose.eml": "missing_purpose",
    "both_purposes.eml": "ambiguous_purpose",
    "wrong_address.eml": "wrong_address",
    "both_addresses.eml": "wrong_address",
    "unknown_account.eml": "unknown_account",
    "two_users.eml": "ambiguous_account",
    "no_attachment.eml": "no_attachment",
    "executable_renamed_jpg.eml": "not_a_document",
    "photo_and_executable.eml": "not_a_document",
    "type_mismatch.eml": "type_mismatch",
}


def read_mail(name):
    with open(os.path.join(MAIL, name), "rb") as f:
        return f.read()


def python_attachments(raw):
    """The decoded non-text leaf parts of a message, in order, by Python's decoder."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return [p.get_payload(decode=True) for p in msg.walk()
            if not p.is_multipart() and p.get_content_maintype() not in ("text", "message")]


def python_sender(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)["From"].addresses[0].addr_spec


def add_users(srv):
    for name, account, country in USERS:
        srv.create_user(name, account_id=account, sls=False,
                        identity={"residence": country, "citizenship": country})


def ingest(srv, raw, headers=RFC822):
    return srv.adm("POST", "/v1/admin/documents", raw=raw, headers=headers)


def documents(srv, user):
    st, js, raw = srv.adm("GET", "/v1/admin/documents?user=" + user)
    assert st == 200, (st, raw)
    assert js["user"] == user
    return js["documents"]


def all_documents(srv):
    return {name: documents(srv, name) for name, _, _ in USERS}


def rejections(srv):
    st, js, raw = srv.adm("GET", "/v1/admin/documents/rejections")
    assert st == 200, (st, raw)
    return js["rejections"]


def blob_count(srv):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(srv.workdir, "sls.db"), uri=True)
    try:
        return db.execute("SELECT count(*) FROM document_blobs").fetchone()[0]
    finally:
        db.close()


def test_corpus_has_an_outcome_for_every_message():
    files = {f for f in os.listdir(MAIL) if f.endswith(".eml")}
    assert files == set(ACCEPTED) | set(REJECTED)
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(ACCEPTED))
@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_corpus_accepted(srv, name):
    user, purpose, expected = ACCEPTED[name]
    raw = read_mail(name)
    add_users(srv)
    st, js, body = ingest(srv, raw)
    assert st == 201, (st, body)
    assert js["user"] == user and js["purpose"] == purpose
    assert js["account_id"] == dict((u, a) for u, a, _ in USERS)[user]
    got = [(d["type"], d["filename"]) for d in js["documents"]]
    assert got == expected

    # The bytes kept are what an independent MIME decoder finds in the message.
    parts = python_attachments(raw)
    assert len(parts) == len(expected)
    for doc, part in zip(js["documents"], parts):
        assert doc["size"] == len(part)
        assert doc["sha256"] == hashlib.sha256(part).hexdigest()
        assert doc["sender"] == python_sender(raw)
        assert doc["purpose"] == purpose
        assert doc["received_at"] == "2026-11-20T09:00:00Z"
        st, _, content = srv.adm("GET", "/v1/admin/documents/%d" % doc["id"])
        assert st == 200 and content == part

    # Listed against the user, nobody else; audited once.
    listed = all_documents(srv)
    assert [d["id"] for d in listed[user]] == [d["id"] for d in js["documents"]]
    assert all(not docs for name2, docs in listed.items() if name2 != user)
    records = [r for r in srv.audit("?user=" + user) if r["event"].startswith("document.")]
    assert [(r["event"], r["outcome"]) for r in records] == [("document.accept", "ok")]
    assert rejections(srv) == []


@pytest.mark.parametrize("name", sorted(REJECTED))
@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_corpus_rejected(srv, name):
    raw = read_mail(name)
    add_users(srv)
    st, js, body = ingest(srv, raw)
    assert st == 422, (st, body)
    assert js["error"] == "rejected" and js["reason"] == REJECTED[name]
    assert isinstance(js["message"], str) and len(js["message"]) > 10

    # Nothing half-stored: no document anywhere, no blob; the rejection recorded.
    assert all(not docs for docs in all_documents(srv).values())
    assert blob_count(srv) == 0
    [rec] = rejections(srv)
    assert rec["reason"] == REJECTED[name] and rec["message"] == js["message"]
    assert rec["sender"] == python_sender(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert rec["subject"] == str(msg["subject"])
    events = [r for r in srv.audit() if r["event"].startswith("document.")]
    assert [(r["event"], r["outcome"]) for r in events] == [("document.reject", REJECTED[name])]


def test_rejection_reasons_say_what_to_do(srv):
    add_users(srv)
    _, js, _ = ingest(srv, read_mail("wrong_address.eml"))
    assert EUROPE in js["message"]
    _, js, _ = ingest(srv, read_mail("missing_purpose.eml"))
    assert "PoRes" in js["message"] and "PID" in js["message"]
    _, js, _ = ingest(srv, read_mail("unknown_account.eml"))
    assert "U9999999" in js["message"]
    _, js, _ = ingest(srv, read_mail("executable_renamed_jpg.eml"))
    assert "passport.jpg" in js["message"]
    # Newest first, one per message.
    assert [r["reason"] for r in rejections(srv)] == [
        "not_a_document", "unknown_account", "missing_purpose", "wrong_address"]


@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_same_photo_twice_is_stored_once(srv):
    add_users(srv)
    raw = read_mail("ios_mail_pid.eml")
    st1, first, _ = ingest(srv, raw)
    st2, second, _ = ingest(srv, raw)
    assert st1 == st2 == 201
    a, b = first["documents"][0], second["documents"][0]
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    assert [d["id"] for d in documents(srv, "alice")] == [a["id"], b["id"]]
    assert blob_count(srv) == 1
    # The same bytes in another message of another user: still one blob.
    other = raw.replace(b"Subject: PID U1234567", b"Subject: PID U3456789")
    st, js, body = ingest(srv, other)
    assert st == 201 and js["user"] == "chen", body
    assert blob_count(srv) == 1
    # A different photo is a second blob.
    assert ingest(srv, read_mail("multiple_attachments.eml"))[0] == 201
    assert blob_count(srv) == 4


def jpeg_of_size(size):
    """A JPEG of exactly `size` bytes: signature, a comment segment filled up, end."""
    head, tail = b"\xff\xd8", b"\xff\xd9"
    out = bytearray(head)
    left = size - len(head) - len(tail)
    while left > 0:
        seg = min(left, 65535 + 2)
        if left - seg in (1, 2, 3):  # leave room for a whole segment header
            seg -= 4
        payload = seg - 4
        out += b"\xff\xfe" + (payload + 2).to_bytes(2, "big") + b"s" * payload
        left -= seg
    out += tail
    assert len(out) == size
    return bytes(out)


def message_with(attachment, subject="PID U1234567", to=WORLD, name="IMG_0001.jpeg"):
    import base64
    b64 = base64.encodebytes(attachment).decode().replace("\n", "\r\n")
    return ("From: Alice Martin <alice.m@icloud.example>\r\n"
            "To: %s\r\nSubject: %s\r\nMime-Version: 1.0 (1.0)\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            "--b1\r\nContent-Type: image/jpeg; name=%s\r\n"
            "Content-Disposition: inline; filename=%s\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b1--\r\n"
            % (to, subject, name, name, b64)).encode()


@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_oversized_attachment_at_the_boundary(start_server):
    srv = start_server(extra_ini="[documents]\nmax_document_bytes = 64KiB\n")
    add_users(srv)
    st, js, body = ingest(srv, message_with(jpeg_of_size(65537)))
    assert st == 422 and js["reason"] == "too_large", body
    assert "65536" in js["message"]
    assert documents(srv, "alice") == [] and blob_count(srv) == 0
    st, js, body = ingest(srv, message_with(jpeg_of_size(65536)))
    assert st == 201, body
    assert js["documents"][0]["size"] == 65536


def test_message_beyond_the_limit_is_refused_before_it_is_read(start_server):
    srv = start_server(extra_ini="[documents]\nmax_message_bytes = 128KiB\n"
                                 "max_document_bytes = 128KiB\n")
    add_users(srv)
    big = message_with(jpeg_of_size(120000))
    assert len(big) > 128 * 1024
    head = ("POST /v1/admin/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: message/rfc822\r\nContent-Length: %d\r\n\r\n"
            % (srv.admin_token, len(big))).encode()
    st, js, _ = raw_exchange(srv.admin_port, head, big)
    assert st == 413 and js["error"] == "too_large"
    # Without a token the server does not even read a large body.
    head = ("POST /v1/admin/documents HTTP/1.1\r\nHost: x\r\nContent-Type: message/rfc822\r\n"
            "Content-Length: %d\r\n\r\n" % (100 * 1024 * 1024)).encode()
    st, js, _ = raw_exchange(srv.admin_port, head, b"")
    assert st == 401 and js["error"] == "unauthorized"
    assert documents(srv, "alice") == [] and rejections(srv) == []
    # A message under the limit but over the 64 KiB of JSON bodies goes through.
    ok = message_with(jpeg_of_size(80000))
    assert 64 * 1024 < len(ok) <= 128 * 1024
    st, js, body = ingest(srv, ok)
    assert st == 201, body


def test_json_routes_keep_their_limit(srv):
    add_users(srv)
    big = json.dumps({"username": "zed", "password": "Secret123", "email": "z@example.com",
                      "pad": "x" * (70 * 1024)})
    st, js, _ = srv.adm("POST", "/v1/admin/users", raw=big)
    assert st == 413
    # And the documents route takes no JSON, nor any other type.
    raw = read_mail("ios_mail_pid.eml")
    for ctype in ("application/json", "text/plain", None):
        st, js, _ = ingest(srv, raw, headers={"Content-Type": ctype})
        assert st == 415, ctype
    st, js, _ = ingest(srv, b"")
    assert st == 400
    st, js, _ = srv.adm("POST", "/v1/admin/documents", raw=raw, headers=RFC822, token=None)
    assert st == 401
    st, js, _ = srv.adm("POST", "/v1/admin/documents", raw=raw, headers=RFC822, token="x" * 40)
    assert st == 401
    assert documents(srv, "alice") == [] and rejections(srv) == []


@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_not_a_message_is_rejected_and_recorded(srv):
    add_users(srv)
    for junk in (b"hello", b"\x00\x01\x02\xff", b"\r\n\r\n"):
        st, js, body = ingest(srv, junk)
        assert st == 422 and js["reason"] == "unreadable", body
    assert [r["reason"] for r in rejections(srv)] == ["unreadable"] * 3
    assert blob_count(srv) == 0


@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_lists_and_reads(srv):
    add_users(srv)
    st, js, _ = srv.adm("GET", "/v1/admin/documents")
    assert st == 400
    st, js, _ = srv.adm("GET", "/v1/admin/documents?user=nobody")
    assert st == 404
    for bad in ("abc", "0", "99999", "1x", "-1", "9" * 30):
        st, js, _ = srv.adm("GET", "/v1/admin/documents/" + bad)
        assert st == 404, bad
    st, js, _ = srv.adm("GET", "/v1/admin/documents/rejections?limit=0")
    assert st == 400
    assert ingest(srv, read_mail("ios_heic.eml"))[0] == 201
    [doc] = documents(srv, "chen")
    st, _, raw, headers = __import__("client").request(
        srv.admin_port, "GET", "/v1/admin/documents/%d" % doc["id"],
        headers={"Authorization": "Bearer " + srv.admin_token})
    assert st == 200 and headers["content-type"] == "image/heic"
    assert raw == python_attachments(read_mail("ios_heic.eml"))[0]
    # Reading needs the admin token.
    st, _, _ = srv.adm("GET", "/v1/admin/documents?user=chen", token=None)
    assert st == 401


def test_residence_outside_the_list_is_non_european(start_server):
    """The country list is configuration: with FR taken off, a French resident
    writes to the non-European address."""
    srv = start_server(extra_ini="[documents]\neuropean_countries = DE,GB\n")
    add_users(srv)
    st, js, _ = ingest(srv, read_mail("gmail_android_pores.eml"))
    assert st == 422 and js["reason"] == "wrong_address"
    st, js, body = ingest(srv, read_mail("wrong_address.eml"))
    assert st == 201 and js["user"] == "bruno", body


def test_configured_addresses(start_server):
    srv = start_server(extra_ini="[documents]\nnon_european_address = docs@broker.example\n")
    add_users(srv)
    st, js, _ = ingest(srv, read_mail("ios_mail_pid.eml"))
    assert st == 422 and js["reason"] == "wrong_address"
    assert "docs@broker.example" in js["message"]
    raw = read_mail("ios_mail_pid.eml").replace(b"To: " + WORLD.encode(),
                                                b"To: Docs <DOCS@broker.example>")
    st, js, body = ingest(srv, raw)
    assert st == 201, body


# ---- slsctl ----

def ctl(srv, *args, stdin=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SLS_ADMIN_TOKEN", "SLS_ADMIN_TOKEN_FILE", "SLS_ADMIN_URL")}
    env["SLS_ADMIN_URL"] = "http://127.0.0.1:%d" % srv.admin_port
    env["SLS_ADMIN_TOKEN"] = srv.admin_token
    p = subprocess.run([PATHS["slsctl"]] + list(args), input=stdin, capture_output=True,
                       env=env, cwd=srv.workdir, timeout=30)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


@pytest.mark.sqlite_only("counts the stored blobs with sqlite3")
def test_slsctl_documents(srv):
    add_users(srv)
    rc, out, err = ctl(srv, "documents", "ingest", stdin=read_mail("multiple_attachments.eml"))
    assert rc == 0, err
    assert out.startswith("accepted 3 documents for chen (U3456789), purpose PID\n")
    assert "IMG_1002.jpeg" in out and "passport.pdf" in out

    # From a file, refused: exit 1 with the reason for the reply.
    rc, out, err = ctl(srv, "documents", "ingest", os.path.join(MAIL, "wrong_address.eml"))
    assert rc == 1
    assert EUROPE in err and "rejected" in err and out == ""

    rc, out, err = ctl(srv, "documents", "ingest", "--json",
                       stdin=read_mail("french_subject_utf8.eml"))
    assert rc == 0, err
    js = json.loads(out)
    assert js["user"] == "bruno" and js["documents"][0]["filename"] == "bail sign\u00e9.png"

    rc, out, err = ctl(srv, "documents", "list", "--user", "chen")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "RECEIVED", "PURPOSE", "TYPE", "SIZE", "FILE", "SENDER"]
    assert len(lines) == 4 and "chen.wei@mail.example" in lines[1]
    rc, out, err = ctl(srv, "documents", "list", "--user", "chen", "--json")
    assert rc == 0 and len(json.loads(out)["documents"]) == 3
    rc, out, err = ctl(srv, "documents", "list", "--user", "alice")
    assert rc == 0 and out == "no documents for alice\n"

    rc, out, err = ctl(srv, "documents", "rejections")
    assert rc == 0 and "wrong_address" in out and "bruno" in out

    # Usage errors: exit 2.
    assert ctl(srv, "documents", "list")[0] == 2
    assert ctl(srv, "documents", "ingest", "a", "b")[0] == 2
    assert ctl(srv, "documents", "ingest", stdin=b"")[0] == 2
    assert ctl(srv, "documents", "ingest", "/nonexistent/message.eml")[0] == 2
    assert ctl(srv, "documents", "list", "--user", "nobody")[0] == 1
    rc, out, _ = ctl(srv, "documents", "ingest", "--help")
    assert rc == 0 and "ingest" in out
    assert blob_count(srv) == 4
