/* Tests of src/server/delivery.c and delivery_command.c: the JSON a receiver
 * gets, the command line split without a shell, and one run of a command
 * (exit status, standard input, time limit, abandoning on stop). The webhook
 * and the thread are exercised against a real slsd by tests/api. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/jobs/delivery.h"
#include "server/jobs/delivery_command.h"
#include "server/jobs/delivery_webhook.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/sls-delivery-test-XXXXXX");
    signal(SIGPIPE, SIG_IGN); /* as in slsd: a command that does not read is not fatal */
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes an executable shell script named name in dir; its path goes to path. */
static void script(char *path, size_t len, const char *name, const char *body)
{
    FILE *f;

    snprintf(path, len, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0700), 0);
}

static enum sls_send_outcome run(const char *line, const char *json, sls_time timeout,
                                 atomic_bool *stop, char *error)
{
    struct sls_command c;

    assert_int_equal(sls_command_parse(&c, line), 0);
    return sls_send_command(&c, json, strlen(json), timeout, stop, error, SLS_SEND_ERROR_MAX);
}

static double elapsed(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_command_parse(void **state)
{
    struct sls_command c;
    char many[200] = "/bin/x";

    (void)state;
    assert_int_equal(sls_command_parse(&c, "/usr/bin/send  --to 'a b' $HOME *"), 0);
    assert_int_equal(c.argc, 6);
    assert_string_equal(c.argv[0], "/usr/bin/send");
    assert_string_equal(c.argv[1], "--to");
    assert_string_equal(c.argv[2], "'a"); /* quotes are characters like any other */
    assert_string_equal(c.argv[3], "b'");
    assert_string_equal(c.argv[4], "$HOME");
    assert_string_equal(c.argv[5], "*");
    assert_null(c.argv[6]);

    assert_int_equal(sls_command_parse(&c, ""), -1);
    assert_int_equal(sls_command_parse(&c, "   "), -1);
    for (int i = 1; i < SLS_COMMAND_ARGS_MAX; i++)
        strcat(many, " a");
    assert_int_equal(sls_command_parse(&c, many), 0);
    assert_int_equal(c.argc, SLS_COMMAND_ARGS_MAX);
    strcat(many, " a");
    assert_int_equal(sls_command_parse(&c, many), -1);
}

static void test_message_json(void **state)
{
    struct sls_outbox_rec m = {.id = 42, .at = 1795305600}; /* 2026-11-22T00:00:00Z */
    json_error_t jerr;
    json_t *o;
    size_t len = 0;
    char *text;

    (void)state;
    snprintf(m.to, sizeof(m.to), "+41791234567");
    snprintf(m.channel, sizeof(m.channel), "sms");
    snprintf(m.body, sizeof(m.body), "Code \"123456\"\n\\ é");
    snprintf(m.code, sizeof(m.code), "123456");
    snprintf(m.last_error, sizeof(m.last_error), "not for the receiver");
    m.attempts = 3;
    text = sls_delivery_message_json(&m, &len);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    o = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 6);
    assert_int_equal(json_integer_value(json_object_get(o, "id")), 42);
    assert_string_equal(json_string_value(json_object_get(o, "to")), "+41791234567");
    assert_string_equal(json_string_value(json_object_get(o, "channel")), "sms");
    assert_string_equal(json_string_value(json_object_get(o, "body")), m.body);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "123456");
    assert_string_equal(json_string_value(json_object_get(o, "at")), "2026-11-22T00:00:00Z");
    json_decref(o);
    free(text);

    /* No code: no "code" field. */
    m.code[0] = '\0';
    text = sls_delivery_message_json(&m, &len);
    assert_non_null(text);
    o = json_loads(text, 0, &jerr);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 5);
    assert_null(json_object_get(o, "code"));
    json_decref(o);
    free(text);
}

static void test_command_exit_status_and_stdin(void **state)
{
    atomic_bool stop = false;
    char ok[128], fail[128], line[300], error[SLS_SEND_ERROR_MAX], got[64] = "";
    FILE *f;

    (void)state;
    script(ok, sizeof(ok), "ok.sh", "cat > \"$1\"; exit 0");
    script(fail, sizeof(fail), "fail.sh", "exit 3");
    snprintf(line, sizeof(line), "%s %s/stdin.txt", ok, dir);
    assert_int_equal(run(line, "{\"id\":1}", 10, &stop, error), SLS_SEND_DELIVERED);
    snprintf(line, sizeof(line), "%s/stdin.txt", dir);
    f = fopen(line, "r");
    assert_non_null(f);
    assert_non_null(fgets(got, sizeof(got), f));
    fclose(f);
    assert_string_equal(got, "{\"id\":1}");

    assert_int_equal(run(fail, "{}", 10, &stop, error), SLS_SEND_FAILED);
    assert_string_equal(error, "exit status 3");

    snprintf(line, sizeof(line), "%s/missing.sh", dir);
    assert_int_equal(run(line, "{}", 10, &stop, error), SLS_SEND_FAILED);
    assert_non_null(strstr(error, "cannot start"));
}

static void test_command_timeout_and_stop(void **state)
{
    atomic_bool stop = false;
    char slow[128], error[SLS_SEND_ERROR_MAX];
    struct timespec t0;

    (void)state;
    script(slow, sizeof(slow), "slow.sh", "sleep 30");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run(slow, "{}", 1, &stop, error), SLS_SEND_FAILED);
    assert_string_equal(error, "timed out after 1 s");
    assert_true(elapsed(&t0) < 5.0);

    /* Stopping abandons the attempt at once: not a failure. */
    atomic_store(&stop, true);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run(slow, "{}", 30, &stop, error), SLS_SEND_STOPPED);
    assert_true(elapsed(&t0) < 5.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_parse),
        cmocka_unit_test(test_message_json),
        cmocka_unit_test(test_command_exit_status_and_stdin),
        cmocka_unit_test(test_command_timeout_and_stop),
    };

    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
