/* Tests of src/intake/intake.c (R50) over messages parsed by
 * src/intake/mime_message.c: the order of the checks (the first failing one
 * is the reason), how the subject picks its user, the region of a residence,
 * and the bounds on attachments. Users come from a fixed fake directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "intake/intake.h"
#include "intake/mime_message.h"

#define WORLD    "newaccounts@example.com"
#define EUROPE   "newaccounts.uk@example.co.uk"
#define JPEG_B64 "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q=="

static const struct sls_intake_policy policy = {EUROPE, WORLD, "FR,DE,GB", 1024};

/* alice: U1234567, lives in the US; bruno: U2345678, lives in France ("fr"
 * on record); nora: U3456789, no residence on record. */
static int find_user(void *arg, bool by_account, const char *key, struct sls_intake_user *out)
{
    static const struct {
        const char *name, *account, *residence;
    } users[] = {
        {"alice", "U1234567", "US"}, {"bruno", "U2345678", "fr"}, {"nora", "U3456789", ""}};
    int *calls = arg;

    (*calls)++;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        if (strcmp(key, by_account ? users[i].account : users[i].name) == 0) {
            out->id = (int64_t)i + 1;
            snprintf(out->username, sizeof(out->username), "%s", users[i].name);
            snprintf(out->account_id, sizeof(out->account_id), "%s", users[i].account);
            snprintf(out->residence, sizeof(out->residence), "%s", users[i].residence);
            return SLS_OK;
        }
    }
    return SLS_ERR_NOT_FOUND;
}

static int failing_find(void *arg, bool by_account, const char *key, struct sls_intake_user *out)
{
    (void)arg;
    (void)by_account;
    (void)key;
    (void)out;
    return SLS_ERR_STORE;
}

/* A message with From:, To:, Subject: and nparts JPEG attachments. */
static struct sls_mime_message *message(const char *from, const char *to, const char *subject,
                                        int nparts)
{
    char raw[16384];
    size_t n = 0;
    struct sls_mime_message *m = NULL;

    n += (size_t)snprintf(raw + n, sizeof(raw) - n,
                          "%s%s%sTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                          "Content-Type: text/plain\r\n\r\nhello\r\n",
                          from ? "From: " : "", from ? from : "", from ? "\r\n" : "", to, subject);
    for (int i = 0; i < nparts; i++)
        n += (size_t)snprintf(raw + n, sizeof(raw) - n,
                              "--b\r\nContent-Type: image/jpeg; name=p%d.jpg\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n" JPEG_B64 "\r\n",
                              i);
    n += (size_t)snprintf(raw + n, sizeof(raw) - n, "--b--\r\n");
    assert_int_equal(sls_mime_parse((const uint8_t *)raw, n, &m), SLS_OK);
    return m;
}

static enum sls_doc_reason decide(const char *to, const char *subject, int nparts,
                                  struct sls_intake_verdict *v)
{
    struct sls_mime_message *m = message("a@example.org", to, subject, nparts);
    int calls = 0;

    assert_int_equal(sls_intake_decide(&policy, m, find_user, &calls, v), SLS_OK);
    sls_mime_message_free(m);
    return v->reason;
}

static void test_accepted(void **state)
{
    (void)state;
    struct sls_intake_verdict *v = calloc(1, sizeof(*v));
    struct sls_mime_message *m = message("Alice <alice@example.org>", WORLD, "PID U1234567", 2);
    int calls = 0;

    assert_int_equal(sls_intake_decide(&policy, m, find_user, &calls, v), SLS_OK);
    assert_int_equal(v->reason, SLS_DOC_ACCEPTED);
    assert_true(v->user_found);
    assert_string_equal(v->user.username, "alice");
    assert_int_equal(v->purpose, SLS_DOC_PURPOSE_PID);
    assert_int_equal(v->ndocs, 2);
    assert_int_equal(v->docs[0].detected, SLS_DOC_TYPE_JPEG);
    assert_string_equal(v->docs[1].part->filename, "p1.jpg");
    assert_int_equal(strlen(v->docs[0].sha256), 64);
    assert_string_equal(v->docs[0].sha256, v->docs[1].sha256);
    assert_int_equal(calls, 1); /* the account number only */
    sls_mime_message_free(m);
    free(v);
}

static void test_subject_picks_the_user(void **state)
{
    (void)state;
    struct sls_intake_verdict *v = calloc(1, sizeof(*v));

    /* The account number wins over user names. */
    assert_int_equal(decide(WORLD, "PID U1234567 bruno", 1, v), SLS_DOC_ACCEPTED);
    assert_string_equal(v->user.username, "alice");
    /* A user name, any case, with unknown words around it. */
    assert_int_equal(decide(WORLD, "proof of identity PID Alice", 1, v), SLS_DOC_ACCEPTED);
    assert_string_equal(v->user.username, "alice");
    assert_int_equal(decide(WORLD, "PID alice bruno", 1, v), SLS_DOC_AMBIGUOUS_ACCOUNT);
    assert_false(v->user_found);
    assert_non_null(strstr(v->message, "alice"));
    assert_int_equal(decide(WORLD, "PID U1234567 U2345678", 1, v), SLS_DOC_AMBIGUOUS_ACCOUNT);
    assert_int_equal(decide(WORLD, "PID U7654321 alice", 1, v), SLS_DOC_UNKNOWN_ACCOUNT);
    assert_non_null(strstr(v->message, "U7654321"));
    assert_int_equal(decide(WORLD, "PID nobody", 1, v), SLS_DOC_UNKNOWN_ACCOUNT);
    free(v);
}

static void test_order_of_checks(void **state)
{
    (void)state;
    struct sls_intake_verdict *v = calloc(1, sizeof(*v));
    struct sls_mime_message *m = message(NULL, WORLD, "PID U1234567", 1);
    int calls = 0;

    /* No From: unreadable, before anything is looked up. */
    assert_int_equal(sls_intake_decide(&policy, m, find_user, &calls, v), SLS_OK);
    assert_int_equal(v->reason, SLS_DOC_UNREADABLE);
    assert_int_equal(calls, 0);
    sls_mime_message_free(m);
    assert_int_equal(sls_intake_decide(&policy, NULL, find_user, &calls, v), SLS_OK);
    assert_int_equal(v->reason, SLS_DOC_UNREADABLE);

    /* Everything wrong: the account is named first. */
    assert_int_equal(decide(EUROPE, "hello", 0, v), SLS_DOC_UNKNOWN_ACCOUNT);
    assert_int_equal(decide(EUROPE, "U1234567", 0, v), SLS_DOC_MISSING_PURPOSE);
    assert_int_equal(decide(EUROPE, "PoRes PID U1234567", 0, v), SLS_DOC_AMBIGUOUS_PURPOSE);
    assert_int_equal(decide(EUROPE, "PoRes U1234567", 0, v), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(v->ndocs, 0);
    assert_true(v->user_found); /* the rejection can name the user */
    assert_int_equal(decide(WORLD, "PoRes U1234567", 0, v), SLS_DOC_NO_ATTACHMENT);
    assert_int_equal(decide(WORLD, "PoRes U1234567", SLS_INTAKE_MAX_DOCUMENTS + 1, v),
                     SLS_DOC_TOO_MANY_ATTACHMENTS);
    assert_int_equal(decide(WORLD, "PoRes U1234567", SLS_INTAKE_MAX_DOCUMENTS, v),
                     SLS_DOC_ACCEPTED);
    assert_int_equal(v->ndocs, SLS_INTAKE_MAX_DOCUMENTS);

    /* An error of the directory stops the intake. */
    m = message("a@example.org", WORLD, "PID U1234567", 1);
    assert_int_equal(sls_intake_decide(&policy, m, failing_find, NULL, v), SLS_ERR_STORE);
    sls_mime_message_free(m);
    free(v);
}

static void test_region(void **state)
{
    (void)state;
    struct sls_intake_verdict *v = calloc(1, sizeof(*v));

    /* "fr" on record is France, in the list whatever its case. */
    assert_int_equal(decide(EUROPE, "PoRes U2345678", 1, v), SLS_DOC_ACCEPTED);
    assert_int_equal(decide(WORLD, "PoRes U2345678", 1, v), SLS_DOC_WRONG_ADDRESS);
    assert_non_null(strstr(v->message, EUROPE));
    /* No residence on record: outside Europe. */
    assert_int_equal(decide(WORLD, "PoRes U3456789", 1, v), SLS_DOC_ACCEPTED);
    assert_int_equal(decide(EUROPE, "PoRes U3456789", 1, v), SLS_DOC_WRONG_ADDRESS);
    /* Display names and case around the address do not matter; both addresses do. */
    assert_int_equal(decide("New Accounts <NewAccounts@Example.COM>", "PID alice", 1, v),
                     SLS_DOC_ACCEPTED);
    assert_int_equal(decide(WORLD ", " EUROPE, "PID alice", 1, v), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(decide("Team: " WORLD ";", "PID alice", 1, v), SLS_DOC_ACCEPTED);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_subject_picks_the_user),
        cmocka_unit_test(test_order_of_checks),
        cmocka_unit_test(test_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
