"""Bulk user import (POST /v1/admin/users/import, slsctl user import): a
JSON-lines body, one user a line with a ready Argon2id hash or a plain
password and devices, written in one transaction: every line or none, the
bad lines named with their reasons; the bounds (lines, bytes, passwords);
the admin token; password hashes that are not Argon2id refused."""

import ctypes
import ctypes.util
import json
import os
import secrets

from client import PASSWORD, PIN, Device, env_paths, raw_exchange, request
from test_cli import ctl

PATHS = env_paths()
NDJSON = {"Content-Type": "application/x-ndjson"}


def argon2id_hash(password, ops=1, mem_kib=8):
    """An encoded Argon2id hash as libsodium (and so slsd) makes them."""
    lib = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert lib.sodium_init() >= 0
    out = ctypes.create_string_buffer(128)
    pw = password.encode()
    assert lib.crypto_pwhash_str_alg(out, pw, ctypes.c_ulonglong(len(pw)),
                                     ctypes.c_ulonglong(ops), ctypes.c_size_t(mem_kib * 1024),
                                     ctypes.c_int(2)) == 0  # crypto_pwhash_ALG_ARGON2ID13
    return out.value.decode()


HASH = argon2id_hash(PASSWORD)


def user_line(name, devices=None, **fields):
    line = {"username": name, "password_hash": HASH, "email": "%s@example.com" % name}
    if devices is not None:
        line["devices"] = devices
    line.update(fields)
    return line


def dsc_plus():
    """A dsc_plus device line and the Device that answers it."""
    key = secrets.token_hex(20)
    return ({"type": "dsc_plus", "secret_hex": key, "pin": PIN,
             "serial": "SN" + secrets.token_hex(4).upper()},
            Device("dsc_plus", key, PIN))


def body_of(lines):
    return "".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines)


def post_import(srv, lines, token=True, headers=NDJSON):
    raw = lines if isinstance(lines, (bytes, str)) else body_of(lines)
    return srv.adm("POST", "/v1/admin/users/import", raw=raw, headers=headers, token=token)


def absent(srv, name):
    st, _, _ = srv.adm("GET", "/v1/admin/users/%s" % name)
    return st == 404


def test_batch_imported_and_each_user_logs_in_with_password_and_device(srv):
    users = []
    lines = []
    for i in range(20):
        dev, device = dsc_plus()
        name = "imp%02d" % i
        users.append((name, device))
        lines.append(user_line(name, [dev], phone={"country": "1", "number": "2125550100"}))
    st, js, raw = post_import(srv, lines)
    assert st == 201, raw
    assert js["imported"] == 20 and js["devices"] == 20 and js["errors"] == [], js
    for name, device in users[:5] + users[-2:]:
        view = srv.user_view(name)
        assert view["account_state"] == "approved" and view["primary"] and view["sls"], view
        assert view["phones"] == [{"country": "1", "number": "2125550100"}], view
        assert [d["type"] for d in view["devices"]] == ["dsc_plus"], view
        session = srv.full_login(name, device)
        assert session["factor"] == "dsc_plus", session
    # distinct generated account ids, one audit record for the batch
    ids = {srv.user_view(n)["account_id"] for n, _ in users}
    assert len(ids) == 20
    records = [r for r in srv.audit() if r["event"] == "user.import"]
    assert len(records) == 1 and records[0]["detail"] == "20 users, 20 devices", records
    assert records[0]["actor"].startswith("agent:"), records


def test_plain_password_is_hashed_by_the_server(srv):
    dev, device = dsc_plus()
    st, js, raw = post_import(srv, [{"username": "plainpw", "password": PASSWORD,
                                     "devices": [dev]}])
    assert st == 201, raw
    srv.full_login("plainpw", device)
    st, js, _ = srv.login("plainpw", "Wrong1234")
    assert st == 401, js


def test_a_bad_line_anywhere_imports_nothing_and_is_named(srv):
    dev, _ = dsc_plus()
    lines = [user_line("good%02d" % i) for i in range(10)]
    lines[6] = user_line("bad06", [{"type": "dsc_plus", "secret_hex": "abcd", "pin": PIN}])
    lines.insert(3, "")          # a blank line counts as a line but is no user
    lines.append("{not json")    # line 12
    st, js, raw = post_import(srv, lines)
    assert st == 422, raw
    assert js["error"] == "rejected" and js["imported"] == 0, js
    got = [(e["line"], e["error"]) for e in js["errors"]]
    assert got == [(8, "bad_request"), (12, "bad_json")], js
    assert "secret_hex" in js["errors"][0]["message"], js
    for i in range(10):
        assert absent(srv, "good%02d" % i)
    assert not [r for r in srv.audit() if r["event"] == "user.import"]


def test_each_rule_of_user_creation_holds_per_line(srv):
    cases = [
        (user_line("AB"), "invalid_username"),
        (user_line("okname", email="no-at-sign"), "bad_request"),
        (user_line("okname2", account_id="X1234567"), "bad_request"),
        ({"username": "nopw"}, "bad_request"),
        ({"username": "twopw", "password": PASSWORD, "password_hash": HASH}, "bad_request"),
        ({"username": "weakpw", "password": "short"}, "weak_password"),
        (user_line("typo", pasword="x"), "bad_request"),
        (user_line("dev5", [dsc_plus()[0] for _ in range(5)]), "bad_request"),
        (user_line("devtype", [{"type": "ibkey"}]), "bad_request"),
        (user_line("phonebad", phone={"country": "1", "number": "12 34"}), "bad_request"),
        ("[1, 2]", "bad_request"),
    ]
    st, js, raw = post_import(srv, [c[0] for c in cases])
    assert st == 422, raw
    assert [(e["line"], e["error"]) for e in js["errors"]] == \
        [(i + 1, c[1]) for i, c in enumerate(cases)], js


def test_password_hash_must_be_argon2id_with_sane_parameters(srv):
    good_salt_hash = HASH.split("$", 4)[4]
    bad = [
        "$argon2i$v=19$m=8,t=1,p=1$" + good_salt_hash,            # Argon2i
        HASH.replace("$v=19$", "$v=16$"),                         # another version
        HASH.replace("p=1", "p=2"),                               # more lanes
        HASH.replace("m=8,", "m=8388608,"),                       # 8 GiB
        HASH.replace("t=1,", "t=101,"),                           # cost beyond the config's
        "$2b$12$abcdefghijklmnopqrstuuNpLmCq3WmvmO0uLxGpSTlqwqGHcPy",  # bcrypt
        HASH[:-10],                                               # cut short
        HASH + "$",
        "plain-text",
        "",
    ]
    st, js, raw = post_import(srv, [user_line("hash%02d" % i, password_hash=h)
                                    for i, h in enumerate(bad)])
    assert st == 422, raw
    assert [e["line"] for e in js["errors"]] == list(range(1, len(bad) + 1)), js
    assert all("Argon2id" in e["message"] for e in js["errors"]), js
    # the production cost and the cheapest one are both fine
    st, js, raw = post_import(srv, [user_line("hashprod", password_hash=argon2id_hash(
        PASSWORD, ops=2, mem_kib=65536))])
    assert st == 201, raw


def test_duplicates_within_the_batch_and_against_the_store(srv):
    srv.create_user("taken1")
    lines = [user_line("fresh1"), user_line("taken1"), user_line("twice"), user_line("fresh2"),
             user_line("twice"), user_line("acct1", account_id="U1234567"),
             user_line("acct2", account_id="U1234567"),
             user_line("acct3", account_id="U1234567", primary=False)]
    st, js, raw = post_import(srv, lines)
    assert st == 422, raw
    # the batch's own repeats are found before the store is asked
    assert [(e["line"], e["error"], e.get("also_line")) for e in js["errors"]] == \
        [(5, "conflict", 3), (7, "conflict", 6)], js
    lines = [l for i, l in enumerate(lines) if i not in (4, 6)]
    st, js, raw = post_import(srv, lines)
    assert st == 422, raw
    assert [(e["line"], e["error"]) for e in js["errors"]] == [(2, "conflict")], js
    assert "already exists" in js["errors"][0]["message"], js
    assert absent(srv, "fresh1") and absent(srv, "acct1")
    del lines[1]
    st, js, raw = post_import(srv, lines)
    assert st == 201, raw
    assert js["imported"] == 5
    assert srv.user_view("acct3")["account_id"] == "U1234567"
    # a second import of the same users is refused line by line
    st, js, raw = post_import(srv, lines)
    assert st == 422 and len(js["errors"]) == 5, raw


def test_bounds(srv):
    st, js, raw = post_import(srv, [user_line("u%05d" % i) for i in range(10001)])
    assert st == 413 and "10000" in js["message"], raw
    big = b"x" * (16 * 1024 * 1024 + 1)
    for token in (srv.admin_token, "wrong-token-0123456789"):
        head = ("POST /v1/admin/users/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n"
                % (token, len(big))).encode()
        st, js, _ = raw_exchange(srv.admin_port, head, big)
        # refused before the body is read: too large, or no agent at all
        assert (st, js["error"]) == ((413, "too_large") if token == srv.admin_token
                                     else (401, "unauthorized")), js
    long_line = user_line("longline", devices=[{"type": "dsc_plus", "label": "x" * 17000}])
    st, js, raw = post_import(srv, [long_line])
    assert st == 422 and js["errors"][0]["error"] == "too_large", raw
    st, js, raw = post_import(srv, "\n\n  \n")
    assert st == 400, raw
    st, js, raw = post_import(srv, [{"username": "pw%02d" % i, "password": PASSWORD}
                                    for i in range(17)])
    assert st == 422 and [e["line"] for e in js["errors"]] == [17], raw
    st, js, raw = post_import(srv, [user_line("ctype")], headers={"Content-Type":
                                                                 "application/json"})
    assert st == 415, raw
    assert absent(srv, "ctype") and absent(srv, "pw00")


def test_the_full_bounds_are_accepted(srv):
    """10,000 users in one request, each with a device."""
    key = secrets.token_hex(20)
    lines = [user_line("bulk%05d" % i, [{"type": "dsc_plus", "secret_hex": key, "pin": PIN}])
             for i in range(10000)]
    st, js, raw = post_import(srv, lines)
    assert st == 201 and js["imported"] == 10000 and js["devices"] == 10000, raw
    srv.full_login("bulk09999", Device("dsc_plus", key, PIN))


def test_admin_token_needed(srv):
    body = body_of([user_line("notoken")])
    st, js, raw = post_import(srv, body, token=None)
    assert st == 401, raw
    st, js, raw = post_import(srv, body, token="wrong-token-0123456789")
    assert st == 401, raw
    # and on the public listener the route does not exist
    st, _, _, _ = request(srv.port, "POST", "/v1/admin/users/import", raw=body, headers=NDJSON)
    assert st == 404
    assert absent(srv, "notoken")


# ---- slsctl user import ----

def write(srv, name, text):
    path = os.path.join(str(srv.workdir), name)
    with open(path, "w") as f:
        f.write(text)
    return path


def test_slsctl_imports_json_lines_in_batches(srv):
    dev, device = dsc_plus()
    lines = [user_line("cli%03d" % i) for i in range(25)]
    lines[24]["devices"] = [dev]
    path = write(srv, "users.jsonl", body_of(lines))
    rc, out, err = ctl(srv, "user", "import", path, "--batch", "10")
    assert rc == 0, (out, err)
    assert "lines 1-10: 10 users imported (10 so far)" in out, out
    assert "lines 21-25: 5 users imported (25 so far)" in out, out
    assert out.rstrip().endswith("imported 25 users with 1 devices in 3 batches"), out
    srv.full_login("cli024", device)


def test_slsctl_stops_at_the_first_refused_batch_naming_file_lines(srv):
    lines = [user_line("stop%02d" % i) for i in range(12)]
    lines[7] = user_line("stop03")      # file line 8 repeats line 4 (same batch)
    path = write(srv, "users.jsonl", body_of(lines))
    rc, out, err = ctl(srv, "user", "import", path, "--batch", "5")
    assert rc == 1, (out, err)
    assert "lines 1-5: 5 users imported" in out, out
    assert "batch of lines 6-10 was refused" in err, err
    assert "users.jsonl:8: conflict: repeats line 4" not in err  # other batch: store check
    assert "users.jsonl:8: conflict:" in err, err
    assert "imported 5 users" in out and "stopped" in out, out
    assert not absent(srv, "stop04") and absent(srv, "stop05") and absent(srv, "stop11")


def test_slsctl_imports_csv(srv):
    key = secrets.token_hex(20)
    text = ("username,password_hash,email,phone,device_type,device_secret_hex,device_pin\n"
            "csvone,\"%s\",csvone@example.com,1:2125550100,dsc_plus,%s,%s\n"
            "\"csvtwo\",\"%s\",,,,,\n" % (HASH, key, PIN, HASH))
    path = write(srv, "users.csv", text)
    rc, out, err = ctl(srv, "user", "import", path)
    assert rc == 0, (out, err)
    assert "imported 2 users with 1 devices in 1 batches" in out, out
    srv.full_login("csvone", Device("dsc_plus", key, PIN))
    assert srv.user_view("csvtwo")["devices"] == []
    bad = write(srv, "bad.csv", "username,password_hash,colour\nx,y,z\n")
    rc, out, err = ctl(srv, "user", "import", bad)
    assert rc == 1 and "unknown column 'colour'" in err, (out, err)
    bad = write(srv, "bad2.csv", "username,password_hash\ncsvthree,\"%s\"\ncsvfour\n" % HASH)
    rc, out, err = ctl(srv, "user", "import", bad)
    assert rc == 1 and "bad2.csv:3: 1 fields, the header has 2" in err, (out, err)
    bad = write(srv, "bad3.csv", "username,password_hash\ncsvfive,\"%s\n" % HASH)
    rc, out, err = ctl(srv, "user", "import", bad)
    assert rc == 1 and "bad3.csv:2: a quoted field" in err, (out, err)
    # an unquoted hash splits at its commas: the row has too many fields
    bad = write(srv, "bad4.csv", "username,password_hash\ncsvsix,%s\n" % HASH)
    rc, out, err = ctl(srv, "user", "import", bad)
    assert rc == 1 and "bad4.csv:2: 4 fields" in err, (out, err)
    assert absent(srv, "csvthree") and absent(srv, "csvfive") and absent(srv, "csvsix")


def test_slsctl_import_usage(srv):
    rc, out, err = ctl(srv, "user", "import", "x.jsonl", "--batch", "0")
    assert rc == 2, (out, err)
    rc, out, err = ctl(srv, "user", "import", "x.jsonl", "--batch", "10001")
    assert rc == 2, (out, err)
    rc, out, err = ctl(srv, "user", "import", "/nonexistent/users.jsonl")
    assert rc == 1 and "cannot open" in err, (out, err)
