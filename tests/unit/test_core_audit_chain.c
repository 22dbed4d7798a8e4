/* Tests of src/core/audit_chain.c: an intact chain passes, and each kind of
 * tampering (a field, a hash, a prev_hash, a missing or repeated record, a
 * record rewritten with a fresh hash) is found at the exact record, with
 * the reason. The core does no cryptography, so the chain here is built and
 * checked with a small test hash; the server checks with SHA-256. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/audit_chain.h"

#define N_RECORDS 8
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* A stand-in for SHA-256: four FNV-1a 64-bit hashes with different offsets,
 * as 64 hex characters. Any change of the input changes it. */
static void test_hash(const void *data, size_t len, char out[65])
{
    const unsigned char *p = data;
    for (int part = 0; part < 4; part++) {
        uint64_t h = 14695981039346656037ULL ^ (uint64_t)(part + 1) * 0x9e3779b97f4a7c15ULL;
        for (size_t i = 0; i < len; i++) {
            h ^= p[i];
            h *= 1099511628211ULL;
        }
        snprintf(out + 16 * part, 17, "%016llx", (unsigned long long)h);
    }
}

/* Sets r->hash from its prev_hash and fields, as the store does. */
static void seal(struct sls_audit_rec *r)
{
    char input[SLS_AUDIT_HASH_INPUT_MAX];
    int len = sls_audit_hash_input(r, input, sizeof(input));
    assert_true(len > 64);
    test_hash(input, (size_t)len, r->hash);
}

/* A log of N_RECORDS chained records, seq 1..N_RECORDS. */
static void make_log(struct sls_audit_rec log[N_RECORDS])
{
    memset(log, 0, N_RECORDS * sizeof(log[0]));
    for (int i = 0; i < N_RECORDS; i++) {
        struct sls_audit_rec *r = &log[i];
        r->seq = i + 1;
        r->at = 1795165200 + 60 * i;
        snprintf(r->actor, sizeof(r->actor), i % 2 ? "agent:admin" : "user:alice");
        snprintf(r->username, sizeof(r->username), "alice");
        snprintf(r->event, sizeof(r->event), i % 3 ? "login.failure" : "login.success");
        snprintf(r->outcome, sizeof(r->outcome), i % 3 ? "wrong_password" : "ok");
        snprintf(r->detail, sizeof(r->detail), "{\"n\":%d}", i);
        memcpy(r->prev_hash, i == 0 ? ZERO_HASH : log[i - 1].hash, 65);
        seal(r);
    }
}

/* Feeds n records; returns the verdict after the last. */
static enum sls_audit_chain_verdict check(struct sls_audit_chain *c,
                                          const struct sls_audit_rec *recs, size_t n)
{
    enum sls_audit_chain_verdict v = SLS_AUDIT_CHAIN_OK;
    sls_audit_chain_init(c, test_hash);
    for (size_t i = 0; i < n; i++)
        v = sls_audit_chain_add(c, &recs[i]);
    return v;
}

static void assert_broken(const struct sls_audit_chain *c, enum sls_audit_chain_verdict want,
                          int64_t seq, int64_t records, int64_t last_seq)
{
    assert_false(sls_audit_chain_intact(c));
    assert_int_equal(c->verdict, want);
    assert_int_equal(c->broken_seq, seq);
    assert_int_equal(c->records, records);
    assert_int_equal(c->last_seq, last_seq);
}

static void test_good_chain(void **state)
{
    (void)state;
    struct sls_audit_rec log[N_RECORDS];
    struct sls_audit_chain c;
    make_log(log);
    sls_audit_chain_init(&c, test_hash);
    for (int i = 0; i < N_RECORDS; i++) {
        assert_int_equal(sls_audit_chain_add(&c, &log[i]), SLS_AUDIT_CHAIN_OK);
        assert_int_equal(c.records, i + 1);
        assert_int_equal(c.last_seq, i + 1);
        assert_string_equal(c.last_hash, log[i].hash);
    }
    assert_true(sls_audit_chain_intact(&c));
    assert_int_equal(c.broken_seq, 0);
}

static void test_empty_log(void **state)
{
    (void)state;
    struct sls_audit_chain c;
    sls_audit_chain_init(&c, test_hash);
    assert_true(sls_audit_chain_intact(&c));
    assert_int_equal(c.records, 0);
    assert_int_equal(c.last_seq, 0);
    assert_string_equal(c.last_hash, ZERO_HASH);
}

static void test_altered_fields(void **state)
{
    (void)state;
    for (int field = 0; field < 7; field++) {
        for (int k = 0; k < N_RECORDS; k++) {
            struct sls_audit_rec log[N_RECORDS];
            struct sls_audit_chain c;
            make_log(log);
            struct sls_audit_rec *r = &log[k];
            switch (field) {
            case 0:
                r->detail[2] = 'm';
                break;
            case 1:
                r->at += 1;
                break;
            case 2:
                snprintf(r->actor, sizeof(r->actor), "agent:mallory");
                break;
            case 3:
                snprintf(r->username, sizeof(r->username), "bob");
                break;
            case 4:
                snprintf(r->event, sizeof(r->event), "unlock");
                break;
            case 5:
                snprintf(r->outcome, sizeof(r->outcome), "ok ");
                break;
            case 6:
                r->detail[0] = '\0'; /* emptied */
                break;
            }
            assert_int_equal(check(&c, log, N_RECORDS), SLS_AUDIT_CHAIN_HASH_MISMATCH);
            assert_broken(&c, SLS_AUDIT_CHAIN_HASH_MISMATCH, k + 1, k + 1, k);
        }
    }
}

static void test_altered_hash(void **state)
{
    (void)state;
    for (int k = 0; k < N_RECORDS; k++) {
        struct sls_audit_rec log[N_RECORDS];
        struct sls_audit_chain c;
        make_log(log);
        log[k].hash[10] = log[k].hash[10] == 'a' ? 'b' : 'a';
        check(&c, log, N_RECORDS);
        /* The record itself is found out, not only its successor. */
        assert_broken(&c, SLS_AUDIT_CHAIN_HASH_MISMATCH, k + 1, k + 1, k);
    }
    /* Upper case, truncated and over-long hashes are not the hash. */
    for (int variant = 0; variant < 3; variant++) {
        struct sls_audit_rec log[N_RECORDS];
        struct sls_audit_chain c;
        make_log(log);
        struct sls_audit_rec *r = &log[3];
        if (variant == 0) {
            size_t i = strcspn(r->hash, "abcdef");
            assert_true(i < 64);
            r->hash[i] = (char)(r->hash[i] - 'a' + 'A');
        } else if (variant == 1) {
            r->hash[63] = '\0';
        } else {
            r->hash[64] = '0'; /* no NUL after 64 characters */
        }
        check(&c, log, N_RECORDS);
        assert_broken(&c, SLS_AUDIT_CHAIN_HASH_MISMATCH, 4, 4, 3);
    }
}

static void test_altered_prev_hash(void **state)
{
    (void)state;
    for (int k = 0; k < N_RECORDS; k++) {
        struct sls_audit_rec log[N_RECORDS];
        struct sls_audit_chain c;
        make_log(log);
        log[k].prev_hash[0] = log[k].prev_hash[0] == 'f' ? 'e' : 'f';
        check(&c, log, N_RECORDS);
        assert_broken(&c, SLS_AUDIT_CHAIN_PREV_MISMATCH, k + 1, k + 1, k);
    }
}

static void test_record_rewritten_and_rehashed(void **state)
{
    (void)state;
    /* Someone changes record 5 and recomputes its hash: record 5 holds, the
     * chain breaks at record 6, whose prev_hash is the old hash. */
    struct sls_audit_rec log[N_RECORDS];
    struct sls_audit_chain c;
    make_log(log);
    snprintf(log[4].outcome, sizeof(log[4].outcome), "ok");
    seal(&log[4]);
    check(&c, log, N_RECORDS);
    assert_broken(&c, SLS_AUDIT_CHAIN_PREV_MISMATCH, 6, 6, 5);
    assert_string_equal(c.last_hash, log[4].hash);
}

static void test_gap(void **state)
{
    (void)state;
    /* Record k missing: the next one is where the chain breaks. */
    for (int k = 0; k < N_RECORDS - 1; k++) {
        struct sls_audit_rec log[N_RECORDS], cut[N_RECORDS];
        struct sls_audit_chain c;
        make_log(log);
        size_t n = 0;
        for (int i = 0; i < N_RECORDS; i++)
            if (i != k)
                cut[n++] = log[i];
        check(&c, cut, n);
        assert_broken(&c, SLS_AUDIT_CHAIN_SEQUENCE_GAP, k + 2, k + 1, k);
    }
    /* A record given twice. */
    struct sls_audit_rec log[N_RECORDS], twice[N_RECORDS + 1];
    struct sls_audit_chain c;
    make_log(log);
    memcpy(twice, log, 4 * sizeof(log[0]));
    twice[4] = log[3];
    memcpy(twice + 5, log + 4, (N_RECORDS - 4) * sizeof(log[0]));
    check(&c, twice, N_RECORDS + 1);
    assert_broken(&c, SLS_AUDIT_CHAIN_SEQUENCE_GAP, 4, 5, 4);
    /* A gap is reported before the hashes: seq 0 and a negative seq. */
    make_log(log);
    log[2].seq = 0;
    check(&c, log, N_RECORDS);
    assert_broken(&c, SLS_AUDIT_CHAIN_SEQUENCE_GAP, 0, 3, 2);
    make_log(log);
    log[0].seq = -1;
    check(&c, log, N_RECORDS);
    assert_broken(&c, SLS_AUDIT_CHAIN_SEQUENCE_GAP, -1, 1, 0);
}

static void test_first_break_is_kept(void **state)
{
    (void)state;
    struct sls_audit_rec log[N_RECORDS];
    struct sls_audit_chain c;
    make_log(log);
    log[2].hash[0] = log[2].hash[0] == '1' ? '2' : '1';
    log[5].seq = 99;
    sls_audit_chain_init(&c, test_hash);
    for (int i = 0; i < N_RECORDS; i++)
        sls_audit_chain_add(&c, &log[i]);
    assert_broken(&c, SLS_AUDIT_CHAIN_HASH_MISMATCH, 3, 3, 2);
    /* Later records change nothing, good or bad. */
    assert_int_equal(sls_audit_chain_add(&c, &log[0]), SLS_AUDIT_CHAIN_HASH_MISMATCH);
    assert_broken(&c, SLS_AUDIT_CHAIN_HASH_MISMATCH, 3, 3, 2);
}

static void test_reasons(void **state)
{
    (void)state;
    assert_string_equal(sls_audit_chain_reason(SLS_AUDIT_CHAIN_OK), "ok");
    assert_string_equal(sls_audit_chain_reason(SLS_AUDIT_CHAIN_HASH_MISMATCH), "hash mismatch");
    assert_string_equal(sls_audit_chain_reason(SLS_AUDIT_CHAIN_PREV_MISMATCH),
                        "previous hash mismatch");
    assert_string_equal(sls_audit_chain_reason(SLS_AUDIT_CHAIN_SEQUENCE_GAP), "sequence gap");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_chain),
        cmocka_unit_test(test_empty_log),
        cmocka_unit_test(test_altered_fields),
        cmocka_unit_test(test_altered_hash),
        cmocka_unit_test(test_altered_prev_hash),
        cmocka_unit_test(test_record_rewritten_and_rehashed),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_first_break_is_kept),
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
