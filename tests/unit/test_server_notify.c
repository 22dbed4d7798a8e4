/* Tests of src/server/app/notify.c: the datagram reaches a socket named by
 * NOTIFY_SOCKET, as a path and as an abstract name; no variable is no work;
 * a malformed one or a socket nobody listens on is an error. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "server/app/notify.h"

/* A datagram socket bound to name ("@..." abstract, else a path). */
static int listen_on(const char *name)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(name);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    assert_true(len < sizeof(addr.sun_path));
    memcpy(addr.sun_path, name, len);
    if (name[0] == '@')
        addr.sun_path[0] = '\0';
    assert_int_equal(bind(fd, (struct sockaddr *)&addr,
                          (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)),
                     0);
    return fd;
}

static void expect_datagram(int fd, const char *want)
{
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

    assert_true(n >= 0);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

static void test_path_socket(void **state)
{
    const char *dir = getenv("TMPDIR");
    char path[108];
    int fd;

    (void)state;
    snprintf(path, sizeof(path), "%s/sls-notify-%ld", dir && dir[0] ? dir : "/tmp", (long)getpid());
    unlink(path);
    fd = listen_on(path);
    setenv("NOTIFY_SOCKET", path, 1);
    assert_int_equal(sls_notify_send("READY=1\nSTATUS=serving"), 1);
    expect_datagram(fd, "READY=1\nSTATUS=serving");
    assert_int_equal(sls_notify_send("STOPPING=1"), 1);
    expect_datagram(fd, "STOPPING=1");
    close(fd);
    /* Nobody listens any more. */
    unlink(path);
    assert_int_equal(sls_notify_send("READY=1"), -1);
    unsetenv("NOTIFY_SOCKET");
}

static void test_abstract_socket(void **state)
{
    char name[64];
    int fd;

    (void)state;
    snprintf(name, sizeof(name), "@sls-notify-test-%ld", (long)getpid());
    fd = listen_on(name);
    setenv("NOTIFY_SOCKET", name, 1);
    assert_int_equal(sls_notify_send("READY=1"), 1);
    expect_datagram(fd, "READY=1");
    close(fd);
    unsetenv("NOTIFY_SOCKET");
}

static void test_no_service_manager(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(sls_notify_send("READY=1"), 0);
    setenv("NOTIFY_SOCKET", "", 1);
    assert_int_equal(sls_notify_send("READY=1"), 0);
    unsetenv("NOTIFY_SOCKET");
}

static void test_malformed_variable(void **state)
{
    char longname[200];

    (void)state;
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    assert_int_equal(sls_notify_send("READY=1"), -1);
    setenv("NOTIFY_SOCKET", "@", 1);
    assert_int_equal(sls_notify_send("READY=1"), -1);
    memset(longname, 'a', sizeof(longname) - 1);
    longname[0] = '/';
    longname[sizeof(longname) - 1] = '\0';
    setenv("NOTIFY_SOCKET", longname, 1);
    assert_int_equal(sls_notify_send("READY=1"), -1);
    unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_socket),
        cmocka_unit_test(test_abstract_socket),
        cmocka_unit_test(test_no_service_manager),
        cmocka_unit_test(test_malformed_variable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
