/* Tests of src/cli/common/ctl.c: each slsctl command line becomes the exact
 * admin API request (method, escaped path, JSON body), bad command lines are
 * refused with a message, answers print as expected (a PIN slsctl chose is
 * shown once), answers that report a failure give exit status 1, and the
 * admin token and server URL are found where the help says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common/ctl.h"
#include "crypto/random.h"

#define MAX_WORDS 40

static size_t count_words(const char *const *argv)
{
    size_t n = 0;
    while (argv[n])
        n++;
    return n;
}

/* ---- building requests ---- */

struct build_case {
    const char *argv[MAX_WORDS]; /* after "slsctl", NULL-terminated */
    const char *method;          /* NULL when the command line is refused */
    const char *path;
    const char *body; /* JSON, or NULL for no body */
    int needs_token;
    const char *err; /* a part of the refusal message */
};

static const struct build_case build_cases[] = {
    {{"user", "add", "alice", "--password", "secret1", "--email", "a@example.com", NULL},
     "POST",
     "/v1/admin/users",
     "{\"username\":\"alice\",\"password\":\"secret1\",\"email\":\"a@example.com\","
     "\"phones\":[],\"primary\":true,\"sls\":true}",
     1,
     NULL},
    {{"user",
      "add",
      "bob",
      "--email",
      "b@example.com",
      "--password",
      "pw12345",
      "--phone",
      "US:5551234567",
      "--phone=GB:7700900123",
      "--account-id",
      "U1234567",
      "--state",
      "approved",
      "--equity-cents",
      "100000000",
      "--not-primary",
      "--no-sls",
      "--paper-of",
      "alice",
      "--dob",
      "1980-02-29",
      "--citizenship",
      "US",
      "--residence",
      "GB",
      "--id-type",
      "passport",
      "--id-number",
      "X123",
      NULL},
     "POST",
     "/v1/admin/users",
     "{\"username\":\"bob\",\"password\":\"pw12345\",\"email\":\"b@example.com\","
     "\"phones\":[{\"country\":\"US\",\"number\":\"5551234567\"},"
     "{\"country\":\"GB\",\"number\":\"7700900123\"}],\"account_id\":\"U1234567\","
     "\"account_state\":\"approved\",\"equity_cents\":100000000,\"primary\":false,"
     "\"sls\":false,\"paper_of\":\"alice\",\"identity\":{\"dob\":\"1980-02-29\","
     "\"citizenship\":\"US\",\"residence\":\"GB\",\"id_type\":\"passport\","
     "\"id_number\":\"X123\"}}",
     1,
     NULL},
    {{"user", "add", "bob", "--email", "b@x", NULL}, NULL, NULL, NULL, 0, "--password"},
    {{"user", "add", "bob", "--password", "p", NULL}, NULL, NULL, NULL, 0, "--email"},
    {{"user", "add", "--password", "p", "--email", "e", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"user", "add", "a", "b", "--password", "p", "--email", "e", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "usage"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--state", "open", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--state"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--equity-cents", "-5", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--equity-cents"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--equity-cents", "1.5", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--equity-cents"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--phone", "5551234", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "COUNTRY:NUMBER"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--phone", "US:", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "COUNTRY:NUMBER"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--dob", "1980-01-01", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "together"},
    {{"user", "add", "b", "--password", "p", "--email", "e", "--pin", "1234", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "unknown option --pin"},
    {{"user", "show", "alice", NULL}, "GET", "/v1/admin/users/alice", NULL, 1, NULL},
    {{"user", "show", "a b/c?d&e%", NULL},
     "GET",
     "/v1/admin/users/a%20b%2Fc%3Fd%26e%25",
     NULL,
     1,
     NULL},
    {{"user", "show", "", NULL}, NULL, NULL, NULL, 0, "empty username"},
    {{"user", "show", NULL}, NULL, NULL, NULL, 0, "usage: slsctl user show USERNAME"},
    {{"user", "import", "users.jsonl", NULL}, "POST", "/v1/admin/users/import", NULL, 1, NULL},
    {{"user", "import", "users.csv", "--batch", "10000", NULL},
     "POST",
     "/v1/admin/users/import",
     NULL,
     1,
     NULL},
    {{"user", "import", "users.jsonl", "--batch", "0", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--batch must be a number from 1 to 10000"},
    {{"user", "import", "users.jsonl", "--batch", "10001", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--batch must be a number from 1 to 10000"},
    {{"user", "import", NULL}, NULL, NULL, NULL, 0, "usage: slsctl user import FILE"},
    {{"device", "add", "alice", "--type", "dsc_plus", "--serial", "DSC-1", "--secret",
      "00112233445566778899aabbccddeeff01234567", "--pin", "1234", "--label", "desk", NULL},
     "POST",
     "/v1/admin/users/alice/devices",
     "{\"type\":\"dsc_plus\",\"serial\":\"DSC-1\","
     "\"secret_hex\":\"00112233445566778899aabbccddeeff01234567\",\"pin\":\"1234\","
     "\"state\":\"active\",\"label\":\"desk\"}",
     1,
     NULL},
    {{"device", "add", "alice", "--type", "scc", "--cells", "{\"1\":\"123\",\"2\":\"456\"}",
      "--state", "shipped", NULL},
     "POST",
     "/v1/admin/users/alice/devices",
     "{\"type\":\"scc\",\"cells\":{\"1\":\"123\",\"2\":\"456\"},\"state\":\"shipped\"}",
     1,
     NULL},
    {{"device", "add", "alice", NULL}, NULL, NULL, NULL, 0, "--type"},
    {{"device", "add", "alice", "--type", "yubikey", NULL}, NULL, NULL, NULL, 0, "yubikey"},
    {{"device", "add", "alice", "--type", "dsc", "--state", "lost", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--state"},
    {{"device", "add", "alice", "--type", "dsc", "--secret", "abc", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--secret"},
    {{"device", "add", "alice", "--type", "dsc", "--secret", "zz", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--secret"},
    {{"device", "add", "alice", "--type", "scc", "--cells", "[1,2]", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--cells"},
    {{"device", "add", "alice", "--type", "scc", "--cells", "{\"1\":", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--cells is not JSON"},
    {{"device", "add", "alice", "--type", "scc", "--cells", "@/nonexistent/cells.json", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "cannot open /nonexistent/cells.json"},
    {{"verify-identity", "alice", NULL},
     "POST",
     "/v1/admin/users/alice/identity-verifications",
     "{\"channel\":\"phone\"}",
     1,
     NULL},
    {{"verify-identity", "alice", "--channel", "phone", NULL},
     "POST",
     "/v1/admin/users/alice/identity-verifications",
     "{\"channel\":\"phone\"}",
     1,
     NULL},
    {{"unlock", "alice", NULL}, "POST", "/v1/admin/users/alice/unlock", "{}", 1, NULL},
    {{"unlock", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"account", "alice", "approve", NULL},
     "POST",
     "/v1/admin/users/alice/account",
     "{\"state\":\"approved\"}",
     1,
     NULL},
    {{"account", "alice", "pending", NULL},
     "POST",
     "/v1/admin/users/alice/account",
     "{\"state\":\"pending\"}",
     1,
     NULL},
    {{"account", "alice", "close", NULL},
     "POST",
     "/v1/admin/users/alice/account",
     "{\"state\":\"closed\"}",
     1,
     NULL},
    {{"account", "alice", "open", NULL}, NULL, NULL, NULL, 0, "approve, pending or close"},
    {{"account", "alice", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"audit", NULL}, "GET", "/v1/admin/audit", NULL, 1, NULL},
    {{"audit", "--limit", "50", NULL}, "GET", "/v1/admin/audit?limit=50", NULL, 1, NULL},
    {{"audit", "--since", "2026-11-20T10:00:00Z", "--user", "al ice", "--limit", "5", NULL},
     "GET",
     "/v1/admin/audit?user=al%20ice&since=2026-11-20T10%3A00%3A00Z&limit=5",
     NULL,
     1,
     NULL},
    {{"audit", "--limit", "0", NULL}, NULL, NULL, NULL, 0, "--limit"},
    {{"audit", "--limit", "ten", NULL}, NULL, NULL, NULL, 0, "--limit"},
    {{"audit", "alice", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"temp-passcode", "alice", NULL},
     "POST",
     "/v1/admin/users/alice/temporary-passcode",
     "{}",
     1,
     NULL},
    {{"temp-passcode", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"temp-passcode", "alice", "bob", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"temp-passcode", "", NULL}, NULL, NULL, NULL, 0, "empty username"},
    {{"device", "lost", "alice", "0123456789abcdef0123456789abcdef", NULL},
     "POST",
     "/v1/admin/users/alice/devices/0123456789abcdef0123456789abcdef/lost",
     "{}",
     1,
     NULL},
    {{"device", "lost", "al ice", "d/1?x", NULL},
     "POST",
     "/v1/admin/users/al%20ice/devices/d%2F1%3Fx/lost",
     "{}",
     1,
     NULL},
    {{"device", "lost", "alice", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"device", "lost", "alice", "", NULL}, NULL, NULL, NULL, 0, "empty device id"},
    {{"device", "lost", "", "d1", NULL}, NULL, NULL, NULL, 0, "empty username"},
    {{"pin-reset", "alice", "d1", "--pin", "0042", NULL},
     "POST",
     "/v1/admin/users/alice/devices/d1/pin-reset",
     "{\"pin\":\"0042\"}",
     1,
     NULL},
    {{"pin-reset", "alice", "d1", "--pin", "123", NULL}, NULL, NULL, NULL, 0, "--pin must be 4"},
    {{"pin-reset", "alice", "d1", "--pin", "12345", NULL}, NULL, NULL, NULL, 0, "--pin must be 4"},
    {{"pin-reset", "alice", "d1", "--pin", "12a4", NULL}, NULL, NULL, NULL, 0, "--pin must be 4"},
    {{"pin-reset", "alice", "d1", "--pin", "", NULL}, NULL, NULL, NULL, 0, "--pin must be 4"},
    {{"pin-reset", "alice", "--pin", "1234", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"pin-reset", "alice", "", "--pin", "1234", NULL}, NULL, NULL, NULL, 0, "empty device id"},
    {{"password-reset", "alice", NULL},
     "POST",
     "/v1/admin/users/alice/password-reset",
     "{}",
     1,
     NULL},
    {{"password-reset", "a+b", NULL},
     "POST",
     "/v1/admin/users/a%2Bb/password-reset",
     "{}",
     1,
     NULL},
    {{"password-reset", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"password-reset", "", NULL}, NULL, NULL, NULL, 0, "empty username"},
    {{"audit", "verify", NULL}, "GET", "/v1/admin/audit/verify", NULL, 1, NULL},
    {{"audit", "verify", "--json", NULL}, "GET", "/v1/admin/audit/verify", NULL, 1, NULL},
    {{"audit", "verify", "now", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"audit", "verify", "--user", "alice", NULL}, NULL, NULL, NULL, 0, "unknown option --user"},
    {{"health", NULL}, "GET", "/healthz", NULL, 0, NULL},
    {{"health", "--json", "--server", "http://h:1", NULL}, "GET", "/healthz", NULL, 0, NULL},
    {{"health", "--server", NULL}, NULL, NULL, NULL, 0, "option --server needs a value"},
    {{"device", "ship", "alice", "o1", "--serial", "DSCP1", "--secret-hex",
      "0123456789abcdef0123456789abcdef01234567", NULL},
     "POST",
     "/v1/admin/users/alice/devices",
     "{\"order_id\":\"o1\",\"serial\":\"DSCP1\",\"secret_hex\":"
     "\"0123456789abcdef0123456789abcdef01234567\"}",
     1,
     NULL},
    {{"device", "ship", "alice", "o1", "--serial", "DSCP1", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "--serial and --secret-hex are required"},
    {{"device", "ship", "alice", "o1", "--serial", "DSCP1", "--secret-hex", "abcd", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "20 bytes"},
    {{"device", "ship", "alice", "--serial", "S", "--secret-hex",
      "0123456789abcdef0123456789abcdef01234567", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "usage"},
    {{"device", "returned", "alice", "d1", NULL},
     "POST",
     "/v1/admin/users/alice/devices/d1/returned",
     "{}",
     1,
     NULL},
    {{"device", "returned", "alice", "", NULL}, NULL, NULL, NULL, 0, "empty device id"},
    {{"dsc-plus", "orders", NULL}, "GET", "/v1/admin/dsc-plus-orders", NULL, 1, NULL},
    {{"dsc-plus", "orders", "--user", "al ice", "--state", "shipped", NULL},
     "GET",
     "/v1/admin/dsc-plus-orders?user=al%20ice&state=shipped",
     NULL,
     1,
     NULL},
    {{"sharing", "list", NULL}, "GET", "/v1/admin/sharing-requests", NULL, 1, NULL},
    {{"sharing", "list", "--state", "pending_compliance", NULL},
     "GET",
     "/v1/admin/sharing-requests?state=pending_compliance",
     NULL,
     1,
     NULL},
    {{"sharing", "approve", "r1", NULL},
     "POST",
     "/v1/admin/sharing-requests/r1/approve",
     "{}",
     1,
     NULL},
    {{"sharing", "deny", "r/1", NULL},
     "POST",
     "/v1/admin/sharing-requests/r%2F1/deny",
     "{}",
     1,
     NULL},
    {{"sharing", "deny", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"review", "list", NULL}, "GET", "/v1/admin/reviews?state=pending", NULL, 1, NULL},
    {{"review", "list", "--state", "all", NULL},
     "GET",
     "/v1/admin/reviews?state=all",
     NULL,
     1,
     NULL},
    {{"review", "list", "--state", "maybe", NULL}, NULL, NULL, NULL, 0, "--state must be"},
    {{"review", "list", "7", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"review", "approve", "12", NULL}, "POST", "/v1/admin/reviews/12/approve", "{}", 1, NULL},
    {{"review", "deny", "3", "--json", NULL}, "POST", "/v1/admin/reviews/3/deny", "{}", 1, NULL},
    {{"review", "deny", "0", NULL}, NULL, NULL, NULL, 0, "must be a number"},
    {{"review", "approve", "1x", NULL}, NULL, NULL, NULL, 0, "must be a number"},
    {{"review", "approve", "../1", NULL}, NULL, NULL, NULL, 0, "must be a number"},
    {{"review", "approve", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"device", "stock", NULL}, "GET", "/v1/admin/device-stock", NULL, 1, NULL},
    {{"device", "stock", "--after", "A B&c", "--limit", "5", NULL},
     "GET",
     "/v1/admin/device-stock?after=A%20B%26c&limit=5",
     NULL,
     1,
     NULL},
    {{"device", "stock", "x", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"device", "import", NULL}, NULL, NULL, NULL, 0, "usage"},
    {{"device", "import", "/nonexistent/tokens.xml", NULL}, NULL, NULL, NULL, 0, "cannot open"},
    {{"device", "import", "/dev/null", "--key", "0011", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "32 characters"},
    {{"device", "import", "/dev/null", "--key", "zz112233445566778899aabbccddeeff", NULL},
     NULL,
     NULL,
     NULL,
     0,
     "32 characters"},
    {{"device", "import", "/dev/null", NULL}, NULL, NULL, NULL, 0, "is empty"},
};

static void test_build(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(build_cases) / sizeof(build_cases[0]); i++) {
        const struct build_case *c = &build_cases[i];
        int argc = (int)count_words(c->argv);
        char *const *argv = (char *const *)c->argv;
        int words = 0;
        struct sls_args a;
        struct sls_ctl_request req;
        char err[512] = "";

        const struct sls_ctl_command *cmd = sls_ctl_find(argc, argv, &words);
        assert_non_null(cmd);
        int rc = sls_ctl_parse(cmd, argc - words, argv + words, &a, err, sizeof(err));
        if (rc == 0)
            rc = sls_ctl_build(cmd, &a, &req, err, sizeof(err));
        if ((rc == 0) != (c->method != NULL))
            print_error("case %zu (%s): rc %d, err '%s'\n", i, sls_ctl_name(cmd), rc, err);
        if (c->method == NULL) {
            assert_int_equal(rc, -1);
            if (strstr(err, c->err) == NULL)
                print_error("case %zu: '%s' lacks '%s'\n", i, err, c->err);
            assert_non_null(strstr(err, c->err));
            assert_null(strchr(err, '\n'));
            continue;
        }
        assert_int_equal(rc, 0);
        assert_string_equal(req.method, c->method);
        assert_string_equal(req.path, c->path);
        assert_int_equal(req.needs_token, c->needs_token);
        if (c->body == NULL) {
            assert_null(req.body);
        } else {
            json_t *want = json_loads(c->body, 0, NULL);
            assert_non_null(want);
            if (!json_equal(want, req.body)) {
                char *got = json_dumps(req.body, JSON_COMPACT);
                print_error("case %zu: body %s\n", i, got ? got : "(null)");
                free(got);
            }
            assert_true(json_equal(want, req.body));
            json_decref(want);
        }
        sls_ctl_request_clear(&req);
        assert_null(req.body);
    }
}

/* Builds `device import` on argv (argc words); returns the build's rc. */
static int build_import(int argc, char **argv, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    struct sls_args a;
    int words;
    const struct sls_ctl_command *cmd = sls_ctl_find(argc, argv, &words);

    assert_non_null(cmd);
    assert_string_equal(sls_ctl_name(cmd), "device import");
    if (sls_ctl_parse(cmd, argc - words, argv + words, &a, err, errlen) != 0)
        return -1;
    return sls_ctl_build(cmd, &a, req, err, errlen);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The token file goes as is with its type; the protection as one header. */
static void test_device_import(void **state)
{
    (void)state;
    char file[] = "/tmp/sls_test_pskc_XXXXXX", pw[] = "/tmp/sls_test_pw_XXXXXX";
    static const char xml[] = "<KeyContainer/>";
    struct sls_ctl_request req;
    char err[256];
    int fd = mkstemp(file), fd2 = mkstemp(pw);

    assert_true(fd >= 0 && fd2 >= 0);
    close(fd);
    close(fd2);
    write_file(file, xml);
    write_file(pw, "s3cret pass\nsecond line\n");

    char *plain[] = {"device", "import", file};
    assert_int_equal(build_import(3, plain, &req, err, sizeof(err)), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.path, "/v1/admin/device-stock");
    assert_string_equal(req.raw_type, "application/pskc+xml");
    assert_int_equal(req.raw_len, sizeof(xml) - 1);
    assert_memory_equal(req.raw, xml, sizeof(xml) - 1);
    assert_null(req.body);
    assert_null(req.headers[0]);
    sls_ctl_request_clear(&req);

    char *key[] = {"device", "import", file, "--key", "000102030405060708090A0B0C0D0E0F"};
    assert_int_equal(build_import(5, key, &req, err, sizeof(err)), 0);
    assert_string_equal(req.headers[0], "X-PSKC-Key: 000102030405060708090A0B0C0D0E0F");
    assert_null(req.headers[1]);
    sls_ctl_request_clear(&req);

    char *pass[] = {"device", "import", file, "--password-file", pw};
    assert_int_equal(build_import(5, pass, &req, err, sizeof(err)), 0);
    assert_string_equal(req.headers[0], "X-PSKC-Password: s3cret pass");
    assert_null(req.headers[1]);
    sls_ctl_request_clear(&req);

    char *both[] = {"device",          "import", file, "--key", "000102030405060708090A0B0C0D0E0F",
                    "--password-file", pw};
    assert_int_equal(build_import(7, both, &req, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "one of"));

    /* The key from a file (not on the command line, where ps shows it). */
    char keyfile[] = "/tmp/sls_test_ctl_XXXXXX";
    int kfd = mkstemp(keyfile);
    assert_true(kfd >= 0);
    close(kfd);
    write_file(keyfile, "000102030405060708090A0B0C0D0E0F\n");
    char *kf[] = {"device", "import", file, "--key-file", keyfile};
    assert_int_equal(build_import(5, kf, &req, err, sizeof(err)), 0);
    assert_string_equal(req.headers[0], "X-PSKC-Key: 000102030405060708090A0B0C0D0E0F");
    assert_null(req.headers[1]);
    sls_ctl_request_clear(&req);
    write_file(keyfile, "0001020304050607\n");
    assert_int_equal(build_import(5, kf, &req, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "32 characters"));
    sls_ctl_request_clear(&req);
    write_file(keyfile, "zz0102030405060708090A0B0C0D0E0F\n");
    assert_int_equal(build_import(5, kf, &req, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "32 characters"));
    sls_ctl_request_clear(&req);
    char *kf_and_pass[] = {"device", "import", file, "--key-file", keyfile, "--password-file", pw};
    assert_int_equal(build_import(7, kf_and_pass, &req, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "one of"));
    unlink(keyfile);

    write_file(pw, "\n");
    assert_int_equal(build_import(5, pass, &req, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "empty"));
    unlink(file);
    unlink(pw);
}

static void test_cells_from_file(void **state)
{
    (void)state;
    char path[] = "/tmp/sls_test_ctl_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char cells[] = "{\"1\":\"111\",\"100\":\"999\"}\n";
    assert_int_equal(write(fd, cells, sizeof(cells) - 1), (ssize_t)(sizeof(cells) - 1));
    close(fd);
    char at[64];
    snprintf(at, sizeof(at), "@%s", path);
    char *argv[] = {"device", "add", "carol", "--type", "scc", "--cells", at};
    int words;
    struct sls_args a;
    struct sls_ctl_request req;
    char err[256];
    const struct sls_ctl_command *cmd = sls_ctl_find(7, argv, &words);
    assert_int_equal(words, 2);
    assert_int_equal(sls_ctl_parse(cmd, 5, argv + 2, &a, err, sizeof(err)), 0);
    assert_int_equal(sls_ctl_build(cmd, &a, &req, err, sizeof(err)), 0);
    json_t *want = json_loads("{\"1\":\"111\",\"100\":\"999\"}", 0, NULL);
    assert_true(json_equal(want, json_object_get(req.body, "cells")));
    json_decref(want);
    sls_ctl_request_clear(&req);
    unlink(path);
}

struct find_case {
    const char *argv[4];
    const char *name; /* NULL: no command */
    int words;
};

static const struct find_case find_cases[] = {
    {{"user", "add", "x", NULL}, "user add", 2},
    {{"user", "show", NULL}, "user show", 2},
    {{"user", "import", "f", NULL}, "user import", 2},
    {{"device", "add", NULL}, "device add", 2},
    {{"verify-identity", "x", NULL}, "verify-identity", 1},
    {{"unlock", NULL}, "unlock", 1},
    {{"account", NULL}, "account", 1},
    {{"audit", NULL}, "audit", 1},
    {{"health", NULL}, "health", 1},
    {{"temp-passcode", "x", NULL}, "temp-passcode", 1},
    {{"device", "lost", "x", NULL}, "device lost", 2},
    {{"pin-reset", NULL}, "pin-reset", 1},
    {{"password-reset", NULL}, "password-reset", 1},
    {{"audit", "verify", NULL}, "audit verify", 2},
    {{"audit", "verify", "x", NULL}, "audit verify", 2},
    {{"audit", "alice", NULL}, "audit", 1},
    {{"device", NULL}, NULL, 0},
    {{"user", NULL}, NULL, 0},
    {{"user", "delete", NULL}, NULL, 0},
    {{"frobnicate", NULL}, NULL, 0},
    {{NULL}, NULL, 0},
};

static void test_find(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(find_cases) / sizeof(find_cases[0]); i++) {
        const struct find_case *c = &find_cases[i];
        int words = -1;
        const struct sls_ctl_command *cmd =
            sls_ctl_find((int)count_words(c->argv), (char *const *)c->argv, &words);
        if (c->name == NULL) {
            assert_null(cmd);
        } else {
            assert_non_null(cmd);
            assert_string_equal(sls_ctl_name(cmd), c->name);
        }
        assert_int_equal(words, c->words);
    }
}

/* ---- printing answers ---- */

struct print_case {
    const char *argv[5];
    const char *answer; /* JSON, or NULL */
    const char *want;
};

static const struct print_case print_cases[] = {
    {{"user", "add", "alice", NULL},
     "{\"username\":\"alice\",\"account_id\":\"U1234567\",\"email\":\"a@x\"}",
     "created user alice (account U1234567)\n"},
    {{"user", "add", "alice", NULL}, "{}", "created user alice\n"},
    {{"user", "add", "alice", NULL}, NULL, "created user alice\n"},
    {{"device", "add", "alice", NULL}, "{\"id\":\"d-0123abcd\"}", "d-0123abcd\n"},
    {{"verify-identity", "alice", NULL},
     "{\"valid_until\":\"2026-11-20T10:15:00Z\"}",
     "identity of alice verified until 2026-11-20T10:15:00Z\n"},
    {{"unlock", "alice", NULL}, "{\"unlocked\":true}", "unlocked alice\n"},
    {{"account", "alice", "approve", NULL},
     "{\"account_state\":\"approved\",\"approved_at\":\"2026-11-20T09:00:00Z\"}",
     "account of alice: approved (approved at 2026-11-20T09:00:00Z)\n"},
    {{"account", "alice", "close", NULL},
     "{\"account_state\":\"closed\",\"approved_at\":null}",
     "account of alice: closed\n"},
    {{"health", NULL}, "{\"status\":\"ok\"}", "ok\n"},
    {{"temp-passcode", "alice", NULL},
     "{\"passcode\":\"K7Q2M9XA\",\"full_access_until\":\"2026-11-22T09:00:00Z\","
     "\"portal_until\":\"2026-12-02T09:00:00Z\",\"device_id\":\"d1\"}",
     "temporary passcode for alice: K7Q2M9XA\n"
     "  full access until:         2026-11-22T09:00:00Z\n"
     "  Client Portal only until:  2026-12-02T09:00:00Z\n"
     "Read the passcode to the caller once: it is not shown again.\n"},
    {{"temp-passcode", "alice", NULL},
     "{}",
     "temporary passcode for alice: ?\n"
     "  full access until:         ?\n"
     "  Client Portal only until:  ?\n"
     "Read the passcode to the caller once: it is not shown again.\n"},
    {{"device", "lost", "alice", "d1", NULL},
     "{\"device\":{\"id\":\"d1\",\"type\":\"dsc_plus\",\"state\":\"lost\"},"
     "\"sessions_revoked\":2}",
     "device d1 (dsc_plus) of alice marked lost; sessions revoked: 2\n"},
    {{"device", "lost", "alice", "d1", NULL}, NULL, "device d1 of alice marked lost\n"},
    {{"pin-reset", "alice", "d2", NULL},
     "{\"pin_reset\":true,\"device\":{\"id\":\"d2\",\"type\":\"dsc\"}}",
     "PIN of device d2 (dsc) of alice reset\n"},
    {{"password-reset", "alice", NULL},
     "{\"sent_to\":\"a***@example.com\",\"expires_at\":\"2026-11-20T10:00:00Z\"}",
     "password reset for alice sent to a***@example.com, valid until 2026-11-20T10:00:00Z\n"},
    {{"audit", "verify", NULL},
     "{\"ok\":true,\"records\":42,\"last_seq\":42,\"last_hash\":\"ab\"}",
     "audit chain ok: 42 records, last #42\n"},
    {{"audit", "verify", NULL},
     "{\"ok\":true,\"records\":0,\"last_seq\":0,\"last_hash\":\"00\"}",
     "audit chain ok: 0 records\n"},
    {{"audit", "verify", NULL},
     "{\"ok\":false,\"records_checked\":7,\"first_broken_seq\":7,"
     "\"reason\":\"hash mismatch\"}",
     "audit chain BROKEN at record #7: hash mismatch\n"},
    {{"audit", "verify", NULL},
     "{\"ok\":false,\"records_checked\":3,\"first_broken_seq\":4,"
     "\"reason\":\"previous hash mismatch\"}",
     "audit chain BROKEN at record #4: previous hash mismatch\n"},
    {{"audit", "verify", NULL}, "{}", "audit chain BROKEN at record #?: ?\n"},
    {{"health", NULL}, "{\"status\":\"ok\\u001b[2J\"}", "ok?[2J\n"},
    {{"audit", NULL}, "{\"records\":[]}", "no audit records\n"},
    {{"audit", NULL},
     "{\"records\":[{\"seq\":1,\"at\":\"2026-11-20T09:00:00Z\",\"actor\":\"admin\","
     "\"user\":\"alice\",\"event\":\"user_created\",\"outcome\":\"ok\",\"detail\":null,"
     "\"prev_hash\":\"00\",\"hash\":\"ab\"},"
     "{\"seq\":2,\"at\":\"2026-11-20T09:01:00Z\",\"actor\":\"alice\",\"user\":\"alice\","
     "\"event\":\"login\",\"outcome\":\"failure\",\"detail\":{\"reason\":\"bad password\"},"
     "\"prev_hash\":\"ab\",\"hash\":\"cd\"}]}",
     "SEQ  AT                    ACTOR  USER   EVENT         OUTCOME  DETAIL\n"
     "1    2026-11-20T09:00:00Z  admin  alice  user_created  ok\n"
     "2    2026-11-20T09:01:00Z  alice  alice  login         failure  {\"reason\":\"bad "
     "password\"}\n"},
    {{"user", "show", "alice", NULL},
     "{\"username\":\"alice\",\"email\":\"a@example.com\","
     "\"phones\":[{\"country\":\"US\",\"number\":\"5551234567\"},"
     "{\"country\":\"GB\",\"number\":\"7700900123\"}],\"account_id\":\"U1234567\","
     "\"account_state\":\"approved\",\"approved_at\":\"2026-11-20T09:00:00Z\","
     "\"equity_cents\":123456789,\"primary\":true,\"sls\":false,\"paper_of\":null,"
     "\"identity\":{\"dob\":\"1980-02-29\",\"citizenship\":\"US\"},"
     "\"devices\":[{\"id\":\"d1\",\"type\":\"dsc_plus\",\"label\":\"desk\",\"state\":\"active\","
     "\"strength\":5,\"serial\":\"DSC-1\"},{\"id\":\"d2\",\"type\":\"sms\",\"label\":null,"
     "\"state\":\"inactive\",\"strength\":2,\"serial\":null}],"
     "\"lock\":{\"locked\":true,\"locked_until\":\"2026-11-21T09:00:00Z\",\"failures\":10}}",
     "username:       alice\n"
     "email:          a@example.com\n"
     "phones:         US:5551234567, GB:7700900123\n"
     "account_id:     U1234567\n"
     "account_state:  approved\n"
     "approved_at:    2026-11-20T09:00:00Z\n"
     "equity:         USD 1,234,567.89\n"
     "primary:        yes\n"
     "sls:            no\n"
     "paper_of:       -\n"
     "identity:       dob 1980-02-29, citizenship US\n"
     "locked:         yes, until 2026-11-21T09:00:00Z (failures: 10)\n"
     "devices:\n"
     "ID  TYPE      LABEL  STATE     STRENGTH  SERIAL\n"
     "d1  dsc_plus  desk   active    5         DSC-1\n"
     "d2  sms              inactive  2\n"},
    {{"user", "show", "bob", NULL},
     "{\"username\":\"bob\",\"phones\":[],\"equity_cents\":5,\"devices\":[],"
     "\"lock\":{\"locked\":false,\"locked_until\":null,\"failures\":0}}",
     "username:  bob\n"
     "phones:    -\n"
     "equity:    USD 0.05\n"
     "locked:    no (failures: 0)\n"
     "devices: none\n"},
    /* SPEC §10.3 [lockout] mode client: unknown clients and the client tokens. */
    {{"user", "show", "carol", NULL},
     "{\"username\":\"carol\",\"devices\":[],"
     "\"lock\":{\"locked\":true,\"locked_until\":\"2026-11-21T09:00:00Z\",\"failures\":12,"
     "\"mode\":\"client\",\"counter\":\"unknown_clients\",\"client_tokens\":["
     "{\"id\":\"t1\",\"locked\":true,\"locked_until\":\"2026-11-21T10:00:00Z\","
     "\"failures\":10,\"expires_at\":\"2027-02-18T09:00:00Z\"},"
     "{\"id\":\"t2\",\"locked\":false,\"locked_until\":null,\"failures\":3,"
     "\"expires_at\":\"2027-02-19T09:00:00Z\"}]}}",
     "username:                carol\n"
     "unknown clients locked:  yes, until 2026-11-21T09:00:00Z (failures: 12)\n"
     "devices: none\n"
     "client tokens with failures:\n"
     "CLIENT TOKEN  LOCKED UNTIL          FAILURES  EXPIRES\n"
     "t1            2026-11-21T10:00:00Z  10        2027-02-18T09:00:00Z\n"
     "t2            -                     3         2027-02-19T09:00:00Z\n"},
    {{"user", "show", "dan", NULL},
     "{\"username\":\"dan\",\"devices\":[],"
     "\"lock\":{\"locked\":false,\"locked_until\":null,\"failures\":0,"
     "\"mode\":\"client\",\"counter\":\"unknown_clients\",\"client_tokens\":[]}}",
     "username:                dan\n"
     "unknown clients locked:  no (failures: 0)\n"
     "devices: none\n"
     "client tokens with failures: none\n"},
};

static void test_print(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(print_cases) / sizeof(print_cases[0]); i++) {
        const struct print_case *c = &print_cases[i];
        int argc = (int)count_words(c->argv);
        char *const *argv = (char *const *)c->argv;
        int words;
        struct sls_args a;
        char err[256];
        const struct sls_ctl_command *cmd = sls_ctl_find(argc, argv, &words);
        assert_non_null(cmd);
        assert_int_equal(sls_ctl_parse(cmd, argc - words, argv + words, &a, err, sizeof(err)), 0);
        json_t *answer = c->answer ? json_loads(c->answer, 0, NULL) : NULL;
        if (c->answer)
            assert_non_null(answer);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        struct sls_ctl_request req = {0};
        sls_ctl_print(cmd, &a, &req, answer, f);
        fclose(f);
        if (strcmp(buf, c->want) != 0)
            print_error("case %zu: got\n%s", i, buf);
        assert_string_equal(buf, c->want);
        free(buf);
        json_decref(answer);
    }
}

/* A source of random bytes whose successive 4-byte draws are the numbers
 * 13, 10, 17, 19, 13, ... (big-endian; small numbers below 2^32 mod 10 would
 * be rejected as biased), so the digits chosen are 3079. */
static size_t fixed_draws;

static void fixed_bytes(void *buf, size_t len)
{
    static const unsigned char draws[] = {13, 10, 17, 19};
    unsigned char *p = buf;
    memset(p, 0, len);
    if (len > 0)
        p[len - 1] = draws[fixed_draws++ % sizeof(draws)];
}

/* Parses and builds argv (after "slsctl"); the request must build. */
static const struct sls_ctl_command *build_ok(const char *const *argv, struct sls_args *a,
                                              struct sls_ctl_request *req)
{
    int argc = (int)count_words(argv), words;
    char err[256] = "";
    const struct sls_ctl_command *cmd = sls_ctl_find(argc, (char *const *)argv, &words);
    assert_non_null(cmd);
    assert_int_equal(
        sls_ctl_parse(cmd, argc - words, (char *const *)argv + words, a, err, sizeof(err)), 0);
    if (sls_ctl_build(cmd, a, req, err, sizeof(err)) != 0)
        print_error("build: %s\n", err);
    return cmd;
}

static char *print_to_text(const struct sls_ctl_command *cmd, const struct sls_args *a,
                           const struct sls_ctl_request *req, const char *answer_json)
{
    json_t *answer = json_loads(answer_json, 0, NULL);
    assert_non_null(answer);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sls_ctl_print(cmd, a, req, answer, f);
    fclose(f);
    json_decref(answer);
    return buf;
}

static void test_pin_reset_chooses_a_pin(void **state)
{
    (void)state;
    static const char answer[] =
        "{\"pin_reset\":true,\"device\":{\"id\":\"d1\",\"type\":\"dsc_plus\"}}";
    const char *argv[] = {"pin-reset", "alice", "d1", NULL};
    struct sls_args a;
    struct sls_ctl_request req;

    fixed_draws = 0;
    sls_random_set_source(fixed_bytes);
    const struct sls_ctl_command *cmd = build_ok(argv, &a, &req);
    sls_random_set_source(NULL);
    assert_string_equal(req.chosen_pin, "3079");
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.path, "/v1/admin/users/alice/devices/d1/pin-reset");
    assert_string_equal(json_string_value(json_object_get(req.body, "pin")), "3079");
    assert_int_equal(json_object_size(req.body), 1);
    char *text = print_to_text(cmd, &a, &req, answer);
    assert_string_equal(text, "PIN of device d1 (dsc_plus) of alice reset\n"
                              "new PIN: 3079\n"
                              "Read the PIN to the caller once: it is not shown again.\n");
    free(text);
    sls_ctl_request_clear(&req);
    assert_string_equal(req.chosen_pin, "");

    /* From the CSPRNG: four digits each time. */
    for (int i = 0; i < 20; i++) {
        build_ok(argv, &a, &req);
        const char *pin = json_string_value(json_object_get(req.body, "pin"));
        assert_non_null(pin);
        assert_int_equal(strlen(pin), 4);
        assert_int_equal(strspn(pin, "0123456789"), 4);
        assert_string_equal(pin, req.chosen_pin);
        sls_ctl_request_clear(&req);
    }

    /* A PIN the agent gave is sent and not printed back. */
    const char *given[] = {"pin-reset", "alice", "d1", "--pin", "0042", NULL};
    build_ok(given, &a, &req);
    assert_string_equal(req.chosen_pin, "");
    assert_string_equal(json_string_value(json_object_get(req.body, "pin")), "0042");
    text = print_to_text(cmd, &a, &req, answer);
    assert_string_equal(text, "PIN of device d1 (dsc_plus) of alice reset\n");
    assert_null(strstr(text, "0042"));
    free(text);
    sls_ctl_request_clear(&req);
}

struct status_case {
    const char *argv[3];
    const char *answer; /* JSON, or NULL */
    int want;
};

static const struct status_case status_cases[] = {
    {{"audit", "verify", NULL}, "{\"ok\":true,\"records\":3,\"last_seq\":3}", 0},
    {{"audit", "verify", NULL}, "{\"ok\":false,\"first_broken_seq\":2}", 1},
    {{"audit", "verify", NULL}, "{\"ok\":1}", 1},
    {{"audit", "verify", NULL}, "{}", 1},
    {{"audit", "verify", NULL}, NULL, 1},
    {{"audit", NULL}, "{\"records\":[]}", 0},
    {{"temp-passcode", NULL}, "{\"passcode\":\"ABCD1234\"}", 0},
    {{"health", NULL}, NULL, 0},
    {{"unlock", NULL}, "{\"ok\":false}", 0},
};

static void test_answer_status(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
        const struct status_case *c = &status_cases[i];
        int words;
        const struct sls_ctl_command *cmd =
            sls_ctl_find((int)count_words(c->argv), (char *const *)c->argv, &words);
        assert_non_null(cmd);
        json_t *answer = c->answer ? json_loads(c->answer, 0, NULL) : NULL;
        if (sls_ctl_answer_status(cmd, answer) != c->want)
            print_error("case %zu (%s)\n", i, sls_ctl_name(cmd));
        assert_int_equal(sls_ctl_answer_status(cmd, answer), c->want);
        json_decref(answer);
    }
}

static void test_help_names_every_command(void **state)
{
    (void)state;
    static const char *const names[] = {
        "user add",        "user show",     "user import",     "device add",   "verify-identity",
        "unlock",          "temp-passcode", "device lost",     "pin-reset",    "password-reset",
        "account",         "audit",         "audit verify",    "health",       "help",
        "--server",        "--token",       "--json",          "device ship",  "device returned",
        "dsc-plus orders", "sharing list",  "sharing approve", "sharing deny", "review list",
        "review approve",  "review deny"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sls_ctl_help(NULL, f);
    fclose(f);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strstr(buf, names[i]) == NULL)
            print_error("help lacks %s\n", names[i]);
        assert_non_null(strstr(buf, names[i]));
    }
    free(buf);
}

struct help_words_case {
    const char *argv[3];
    size_t want;
    const char *shows; /* a part of the help, or NULL */
};

static const struct help_words_case help_words_cases[] = {
    {{"user", NULL}, 3, "user import FILE [--batch N]"},
    {{"user", "add", NULL}, 1, "user add USERNAME --password P"},
    {{"device", NULL}, 6, "device add USERNAME --type TYPE"},
    {{"device", NULL}, 6, "device lost USERNAME DEVICE_ID"},
    {{"device", NULL}, 6, "device ship USERNAME ORDER_ID --serial S --secret-hex HEX"},
    {{"device", NULL}, 6, "device import FILE [--key HEX | --key-file F | --password-file F]"},
    {{"device", "stock", NULL}, 1, "device stock [--after SERIAL] [--limit N]"},
    {{"device", "returned", NULL}, 1, "device returned USERNAME DEVICE_ID"},
    {{"sharing", NULL}, 3, "sharing approve REQUEST_ID"},
    {{"dsc-plus", NULL}, 1, "dsc-plus orders"},
    {{"audit", NULL}, 2, "audit [--user U]"},
    {{"audit", NULL}, 2, "audit verify\n"},
    {{"audit", "verify", NULL}, 1, "audit verify\n"},
    {{"pin-reset", NULL}, 1, "pin-reset USERNAME DEVICE_ID [--pin NNNN]"},
    {{"use", NULL}, 0, NULL},
    {{"user", "remove", NULL}, 0, NULL},
};

static void test_help_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(help_words_cases) / sizeof(help_words_cases[0]); i++) {
        const struct help_words_case *c = &help_words_cases[i];
        int argc = (int)count_words(c->argv);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(sls_ctl_help_words(argc, (char *const *)c->argv, f), c->want);
        fclose(f);
        assert_int_equal(sls_ctl_help_words(argc, (char *const *)c->argv, NULL), c->want);
        if (c->shows)
            assert_non_null(strstr(buf, c->shows));
        else
            assert_string_equal(buf, "");
        free(buf);
    }
}

/* ---- token and server ---- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

struct token_case {
    const char *given, *env, *file_env, *file_text, *cwd_text;
    int rc;
    const char *want; /* the token, or a part of the message */
};

static const struct token_case token_cases[] = {
    {"opt-tok", "env-tok", NULL, NULL, "cwd-tok", 0, "opt-tok"},
    {NULL, "env-tok", "FILE", "file-tok", "cwd-tok", 0, "env-tok"},
    {NULL, "", "FILE", "file-tok\n", "cwd-tok", 0, "file-tok"},
    {NULL, NULL, "FILE", "file-tok \r\nsecond line\n", "cwd-tok", 0, "file-tok"},
    {NULL, NULL, NULL, NULL, "cwd-tok\n", 0, "cwd-tok"},
    {NULL, NULL, NULL, NULL, NULL, -1, "no admin token"},
    {NULL, NULL, "/nonexistent/token", NULL, "cwd-tok", -1, "cannot read admin token file"},
    {NULL, NULL, "FILE", "", "cwd-tok", -1, "is empty"},
    {NULL, NULL, "FILE", "\n", "cwd-tok", -1, "is empty"},
    {"", NULL, NULL, NULL, NULL, -1, "from --token is empty"},
    {"tok en", NULL, NULL, NULL, NULL, -1, "not allowed"},
    {NULL, "tok\r\nX-Evil: 1", NULL, NULL, NULL, -1, "not allowed"},
    {NULL, NULL, "FILE", "tok\x01", NULL, -1, "not allowed"},
};

static void test_token(void **state)
{
    (void)state;
    char dir[] = "/tmp/sls_test_ctl_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char old_cwd[4096];
    assert_non_null(getcwd(old_cwd, sizeof(old_cwd)));
    assert_int_equal(chdir(dir), 0);
    char file[256];
    snprintf(file, sizeof(file), "%s/tok.txt", dir);

    for (size_t i = 0; i < sizeof(token_cases) / sizeof(token_cases[0]); i++) {
        const struct token_case *c = &token_cases[i];
        unlink("admin.token");
        unlink(file);
        if (c->cwd_text)
            write_text("admin.token", c->cwd_text);
        if (c->file_text)
            write_text(file, c->file_text);
        if (c->env)
            setenv("SLS_ADMIN_TOKEN", c->env, 1);
        else
            unsetenv("SLS_ADMIN_TOKEN");
        if (c->file_env)
            setenv("SLS_ADMIN_TOKEN_FILE", strcmp(c->file_env, "FILE") == 0 ? file : c->file_env,
                   1);
        else
            unsetenv("SLS_ADMIN_TOKEN_FILE");

        char out[SLS_CTL_MAX_TOKEN] = "";
        char err[512] = "";
        int rc = sls_ctl_token(c->given, out, sizeof(out), err, sizeof(err));
        if (rc != c->rc)
            print_error("case %zu: rc %d err '%s' token '%s'\n", i, rc, err, out);
        assert_int_equal(rc, c->rc);
        if (rc == 0) {
            assert_string_equal(out, c->want);
        } else {
            if (strstr(err, c->want) == NULL)
                print_error("case %zu: '%s' lacks '%s'\n", i, err, c->want);
            assert_non_null(strstr(err, c->want));
            assert_null(strchr(err, '\n'));
        }
    }
    char big[SLS_CTL_MAX_TOKEN + 1];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    char out[SLS_CTL_MAX_TOKEN], err[256];
    assert_int_equal(sls_ctl_token(big, out, sizeof(out), err, sizeof(err)), -1);
    assert_non_null(strstr(err, "too long"));
    big[sizeof(big) - 2] = '\0';
    assert_int_equal(sls_ctl_token(big, out, sizeof(out), err, sizeof(err)), 0);

    unlink("admin.token");
    unlink(file);
    unsetenv("SLS_ADMIN_TOKEN");
    unsetenv("SLS_ADMIN_TOKEN_FILE");
    assert_int_equal(chdir(old_cwd), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_server(void **state)
{
    (void)state;
    unsetenv("SLS_ADMIN_URL");
    assert_string_equal(sls_ctl_server(NULL), "http://127.0.0.1:8081");
    assert_string_equal(sls_ctl_server("http://a:1"), "http://a:1");
    setenv("SLS_ADMIN_URL", "http://b:2", 1);
    assert_string_equal(sls_ctl_server(NULL), "http://b:2");
    assert_string_equal(sls_ctl_server("http://a:1"), "http://a:1");
    setenv("SLS_ADMIN_URL", "", 1);
    assert_string_equal(sls_ctl_server(NULL), "http://127.0.0.1:8081");
    unsetenv("SLS_ADMIN_URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),         cmocka_unit_test(test_cells_from_file),
        cmocka_unit_test(test_device_import), cmocka_unit_test(test_find),
        cmocka_unit_test(test_print),         cmocka_unit_test(test_pin_reset_chooses_a_pin),
        cmocka_unit_test(test_answer_status), cmocka_unit_test(test_help_names_every_command),
        cmocka_unit_test(test_help_words),    cmocka_unit_test(test_token),
        cmocka_unit_test(test_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
