/* Tests of src/cli/common/args.c: option and positional parsing, refusals
 * with their messages, bounded numbers, "@FILE" values and subcommand words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common/args.h"

static const struct sls_args_opt opts[] = {
    {"json", SLS_ARGS_FLAG},
    {"type", SLS_ARGS_VALUE},
    {"phone", SLS_ARGS_LIST},
    {"pin", SLS_ARGS_VALUE},
};

#define MAX_WORDS 20

struct parse_case {
    const char *argv[MAX_WORDS]; /* NULL-terminated */
    int rc;
    const char *err;    /* expected message when rc is -1 */
    const char *pos;    /* positional words joined by '|' */
    const char *type;   /* value of --type, or NULL */
    const char *phones; /* values of --phone joined by '|' */
    int json;
};

static const struct parse_case parse_cases[] = {
    {{NULL}, 0, NULL, "", NULL, "", 0},
    {{"a", "b", NULL}, 0, NULL, "a|b", NULL, "", 0},
    {{"--json", "x", NULL}, 0, NULL, "x", NULL, "", 1},
    {{"x", "--json", NULL}, 0, NULL, "x", NULL, "", 1},
    {{"--type", "dsc", "123456", NULL}, 0, NULL, "123456", "dsc", "", 0},
    {{"--type=dsc", "123456", NULL}, 0, NULL, "123456", "dsc", "", 0},
    {{"--type=", NULL}, 0, NULL, "", "", "", 0},
    {{"--type=a=b", NULL}, 0, NULL, "", "a=b", "", 0},
    {{"--type", "--json", NULL}, 0, NULL, "", "--json", "", 0},
    {{"--phone", "US:1", "--phone=GB:2", "u", NULL}, 0, NULL, "u", NULL, "US:1|GB:2", 0},
    {{"--", "--json", "-x", NULL}, 0, NULL, "--json|-x", NULL, "", 0},
    {{"-", NULL}, 0, NULL, "-", NULL, "", 0},
    {{"--bogus", NULL}, -1, "unknown option --bogus", "", NULL, "", 0},
    {{"--bogus=1", NULL}, -1, "unknown option --bogus", "", NULL, "", 0},
    {{"--jso", NULL}, -1, "unknown option --jso", "", NULL, "", 0},
    {{"-j", NULL}, -1, "unknown option -j (options are long: --name)", "", NULL, "", 0},
    {{"--type", NULL}, -1, "option --type needs a value", "", NULL, "", 0},
    {{"--json=1", NULL}, -1, "option --json takes no value", "", NULL, "", 0},
    {{"--type", "a", "--type", "b", NULL},
     -1,
     "option --type given more than once",
     "",
     NULL,
     "",
     0},
    {{"--json", "--json", NULL}, -1, "option --json given more than once", "", NULL, "", 0},
    {{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
      NULL},
     -1,
     "too many arguments",
     "",
     NULL,
     "",
     0},
};

static size_t count_words(const char *const *argv)
{
    size_t n = 0;
    while (argv[n])
        n++;
    return n;
}

static void join(char *out, size_t outlen, const char *const *words, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strncat(out, "|", outlen - strlen(out) - 1);
        strncat(out, words[i] ? words[i] : "(null)", outlen - strlen(out) - 1);
    }
}

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct sls_args a;
        char err[128] = "";
        char got[256];
        sls_args_init(&a);
        assert_int_equal(sls_args_add_opts(&a, opts, sizeof(opts) / sizeof(opts[0])), 0);
        int rc = sls_args_parse(&a, (int)count_words(c->argv), (char *const *)c->argv, false, NULL,
                                err, sizeof(err));
        if (rc != c->rc)
            print_error("case %zu: rc %d (%s)\n", i, rc, err);
        assert_int_equal(rc, c->rc);
        if (rc != 0) {
            assert_string_equal(err, c->err);
            continue;
        }
        join(got, sizeof(got), a.pos, a.npos);
        assert_string_equal(got, c->pos);
        if (c->type)
            assert_string_equal(sls_args_get(&a, "type"), c->type);
        else
            assert_null(sls_args_get(&a, "type"));
        const char *phones[SLS_ARGS_MAX_REPEAT];
        size_t n = sls_args_count(&a, "phone");
        for (size_t k = 0; k < n; k++)
            phones[k] = sls_args_nth(&a, "phone", k);
        join(got, sizeof(got), phones, n);
        assert_string_equal(got, c->phones);
        assert_int_equal(sls_args_has(&a, "json"), c->json);
        assert_null(sls_args_nth(&a, "phone", n));
        assert_false(sls_args_has(&a, "nosuch"));
        assert_null(sls_args_get(&a, "nosuch"));
    }
}

static void test_parse_repeat_limit(void **state)
{
    (void)state;
    char *argv[2 * (SLS_ARGS_MAX_REPEAT + 1)];
    for (int i = 0; i < SLS_ARGS_MAX_REPEAT + 1; i++) {
        argv[2 * i] = "--phone";
        argv[2 * i + 1] = "US:1";
    }
    struct sls_args a;
    char err[128] = "";
    sls_args_init(&a);
    assert_int_equal(sls_args_add_opts(&a, opts, 4), 0);
    assert_int_equal(
        sls_args_parse(&a, 2 * SLS_ARGS_MAX_REPEAT, argv, false, NULL, err, sizeof(err)), 0);
    assert_int_equal(sls_args_count(&a, "phone"), SLS_ARGS_MAX_REPEAT);

    sls_args_init(&a);
    assert_int_equal(sls_args_add_opts(&a, opts, 4), 0);
    assert_int_equal(
        sls_args_parse(&a, 2 * (SLS_ARGS_MAX_REPEAT + 1), argv, false, NULL, err, sizeof(err)), -1);
    assert_string_equal(err, "option --phone given too many times");
}

struct stop_case {
    const char *argv[6];
    int consumed;
    int json;
};

static const struct stop_case stop_cases[] = {
    {{"--json", "user", "add", NULL}, 1, 1},
    {{"user", "--json", NULL}, 0, 0},
    {{"--type", "x", "--json", NULL}, 3, 1},
    {{"--", "user", NULL}, 0, 0},
    {{NULL}, 0, 0},
};

static void test_parse_stop_at_positional(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(stop_cases) / sizeof(stop_cases[0]); i++) {
        struct sls_args a;
        char err[128];
        int consumed = -1;
        sls_args_init(&a);
        assert_int_equal(sls_args_add_opts(&a, opts, 4), 0);
        assert_int_equal(sls_args_parse(&a, (int)count_words(stop_cases[i].argv),
                                        (char *const *)stop_cases[i].argv, true, &consumed, err,
                                        sizeof(err)),
                         0);
        assert_int_equal(consumed, stop_cases[i].consumed);
        assert_int_equal(sls_args_has(&a, "json"), stop_cases[i].json);
        assert_int_equal(a.npos, 0);
    }
}

static void test_add_opts_refuses_duplicates_and_overflow(void **state)
{
    (void)state;
    struct sls_args a;
    sls_args_init(&a);
    assert_int_equal(sls_args_add_opts(&a, opts, 4), 0);
    assert_int_equal(sls_args_add_opts(&a, &opts[1], 1), -1);

    static struct sls_args_opt many[SLS_ARGS_MAX_OPTS + 1];
    static char names[SLS_ARGS_MAX_OPTS + 1][8];
    for (int i = 0; i <= SLS_ARGS_MAX_OPTS; i++) {
        snprintf(names[i], sizeof(names[i]), "o%d", i);
        many[i].name = names[i];
        many[i].kind = SLS_ARGS_FLAG;
    }
    sls_args_init(&a);
    assert_int_equal(sls_args_add_opts(&a, many, SLS_ARGS_MAX_OPTS), 0);
    assert_int_equal(sls_args_add_opts(&a, &many[SLS_ARGS_MAX_OPTS], 1), -1);
}

struct u64_case {
    const char *s;
    uint64_t min, max;
    int rc;
    uint64_t want;
};

static const struct u64_case u64_cases[] = {
    {"0", 0, 10, 0, 0},
    {"10", 0, 10, 0, 10},
    {"11", 0, 10, -1, 0},
    {"0", 1, 10, -1, 0},
    {"007", 0, 10, 0, 7},
    {"9223372036854775807", 0, INT64_MAX, 0, INT64_MAX},
    {"9223372036854775808", 0, INT64_MAX, -1, 0},
    {"9999999999999999999", 0, UINT64_MAX, 0, 9999999999999999999ULL},
    {"18446744073709551616", 0, UINT64_MAX, -1, 0},
    {"", 0, 10, -1, 0},
    {"-1", 0, 10, -1, 0},
    {"+1", 0, 10, -1, 0},
    {" 1", 0, 10, -1, 0},
    {"1 ", 0, 10, -1, 0},
    {"1e3", 0, 10000, -1, 0},
    {"0x10", 0, 10000, -1, 0},
    {NULL, 0, 10, -1, 0},
};

static void test_u64(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(u64_cases) / sizeof(u64_cases[0]); i++) {
        const struct u64_case *c = &u64_cases[i];
        uint64_t v = 424242;
        int rc = sls_args_u64(c->s, c->min, c->max, &v);
        if (rc != c->rc)
            print_error("case %zu: '%s' rc %d\n", i, c->s ? c->s : "(null)", rc);
        assert_int_equal(rc, c->rc);
        assert_int_equal(v, rc == 0 ? c->want : 424242);
    }
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_load(void **state)
{
    (void)state;
    char *out = NULL;
    char err[256] = "";
    char path[] = "/tmp/sls_test_args_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char at[64];
    snprintf(at, sizeof(at), "@%s", path);

    assert_int_equal(sls_args_load("{\"1\":\"123\"}", &out, err, sizeof(err)), 0);
    assert_string_equal(out, "{\"1\":\"123\"}");
    free(out);

    write_file(path, "{\"2\":\"456\"}\n", 12);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), 0);
    assert_string_equal(out, "{\"2\":\"456\"}\n");
    free(out);

    write_file(path, "", 0);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), 0);
    assert_string_equal(out, "");
    free(out);

    write_file(path, "ab\0cd", 5);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), -1);
    assert_null(out);
    assert_non_null(strstr(err, "NUL byte"));

    char *big = malloc(SLS_ARGS_MAX_FILE + 1);
    assert_non_null(big);
    memset(big, 'a', SLS_ARGS_MAX_FILE + 1);
    write_file(path, big, SLS_ARGS_MAX_FILE);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), 0);
    assert_int_equal(strlen(out), SLS_ARGS_MAX_FILE);
    free(out);
    write_file(path, big, SLS_ARGS_MAX_FILE + 1);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), -1);
    assert_null(out);
    assert_non_null(strstr(err, "larger than"));
    free(big);

    unlink(path);
    assert_int_equal(sls_args_load(at, &out, err, sizeof(err)), -1);
    assert_null(out);
    assert_non_null(strstr(err, "cannot open"));
    assert_non_null(strstr(err, path));
}

struct words_case {
    const char *name;
    const char *argv[4];
    int want;
};

static const struct words_case words_cases[] = {
    {"user add", {"user", "add", "alice", NULL}, 2},
    {"user add", {"user", "add", NULL}, 2},
    {"user add", {"user", "show", NULL}, 0},
    {"user add", {"user", NULL}, 0},
    {"user add", {"users", "add", NULL}, 0},
    {"user add", {"use", "add", NULL}, 0},
    {"health", {"health", NULL}, 1},
    {"health", {"healthz", NULL}, 0},
    {"health", {NULL}, 0},
    {"verify-identity", {"verify-identity", "bob", NULL}, 1},
};

static void test_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(words_cases) / sizeof(words_cases[0]); i++) {
        const struct words_case *c = &words_cases[i];
        assert_int_equal(sls_args_words(c->name, (int)count_words(c->argv), (char *const *)c->argv),
                         c->want);
    }
}

struct prefix_case {
    const char *name;
    const char *argv[4];
    bool want;
};

static const struct prefix_case prefix_cases[] = {
    {"user add", {"user", NULL}, true},
    {"user add", {"user", "add", NULL}, true},
    {"user add", {NULL}, true},
    {"user add", {"use", NULL}, false},
    {"user add", {"user", "ad", NULL}, false},
    {"user add", {"user", "add", "x", NULL}, false},
    {"user add", {"", NULL}, false},
    {"user add", {"user add", NULL}, false},
    {"app activate", {"app", NULL}, true},
    {"health", {"healthz", NULL}, false},
};

static void test_prefix(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
        const struct prefix_case *c = &prefix_cases[i];
        if (sls_args_prefix(c->name, (int)count_words(c->argv), (char *const *)c->argv) != c->want)
            print_error("case %zu\n", i);
        assert_int_equal(
            sls_args_prefix(c->name, (int)count_words(c->argv), (char *const *)c->argv), c->want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_repeat_limit),
        cmocka_unit_test(test_parse_stop_at_positional),
        cmocka_unit_test(test_add_opts_refuses_duplicates_and_overflow),
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
