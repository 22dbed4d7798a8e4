/* Delivering a message through a command: posix_spawn of the configured
 * program with the message on a pipe to its standard input, waited for with a
 * time limit. See delivery_send.h for what the child gets. */
#include "server/jobs/delivery_command.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PATH "PATH=/usr/local/bin:/usr/bin:/bin"
#define WAIT_STEP_NS (20 * 1000 * 1000) /* how often a running child is looked at */

int sls_command_parse(struct sls_command *c, const char *line)
{
    size_t n = strlen(line);
    char *p, *save = NULL;

    memset(c, 0, sizeof(*c));
    if (n == 0 || n >= sizeof(c->buf))
        return -1;
    memcpy(c->buf, line, n + 1);
    for (p = strtok_r(c->buf, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save)) {
        if (c->argc == SLS_COMMAND_ARGS_MAX)
            return -1;
        c->argv[c->argc++] = p;
    }
    return c->argc > 0 ? 0 : -1;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Writes all of buf to fd; 0, or an errno value. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The environment of the command: slsd's PATH and nothing else (slsd's own
 * environment may hold SLS_ADMIN_TOKEN). */
static void command_env(char *path_var, size_t len, char **envp)
{
    const char *path = getenv("PATH");

    if (path != NULL && path[0] != '\0' && strlen(path) + 6 <= len)
        snprintf(path_var, len, "PATH=%s", path);
    else
        snprintf(path_var, len, "%s", DEFAULT_PATH);
    envp[0] = path_var;
    envp[1] = NULL;
}

static int spawn_setup(posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr, int stdin_fd)
{
    sigset_t none, defaults;

    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    if (posix_spawn_file_actions_adddup2(fa, stdin_fd, 0) != 0 ||
        posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addclosefrom_np(fa, 3) != 0)
        return -1;
    /* slsd blocks SIGINT and SIGTERM in every thread and ignores SIGPIPE: the
     * child starts with neither. Its own process group lets a timeout end
     * whatever it started too. */
    if (posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                           POSIX_SPAWN_SETPGROUP) != 0 ||
        posix_spawnattr_setsigmask(attr, &none) != 0 ||
        posix_spawnattr_setsigdefault(attr, &defaults) != 0 ||
        posix_spawnattr_setpgroup(attr, 0) != 0)
        return -1;
    return 0;
}

/* Waits for pid until it exits, the time limit passes or *stop is set; in the
 * last two cases kills its process group. Returns the outcome. */
static enum sls_send_outcome wait_child(pid_t pid, const struct timespec *t0, sls_time timeout,
                                        const atomic_bool *stop, char *error, size_t errlen)
{
    const struct timespec step = {0, WAIT_STEP_NS};
    int status = 0;
    bool stopped = false;
    pid_t r;

    for (;;) {
        r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            snprintf(error, errlen, "cannot wait for the command: %s", strerror(errno));
            return SLS_SEND_FAILED;
        }
        stopped = atomic_load(stop);
        if (stopped || seconds_since(t0) >= (double)timeout) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            if (stopped)
                return SLS_SEND_STOPPED;
            snprintf(error, errlen, "timed out after %lld s", (long long)timeout);
            return SLS_SEND_FAILED;
        }
        nanosleep(&step, NULL);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return SLS_SEND_DELIVERED;
    if (WIFEXITED(status))
        snprintf(error, errlen, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(error, errlen, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(error, errlen, "ended with status 0x%x", (unsigned)status);
    return SLS_SEND_FAILED;
}

enum sls_send_outcome sls_send_command(const struct sls_command *c, const char *json, size_t len,
                                       sls_time timeout, const atomic_bool *stop, char *error,
                                       size_t errlen)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    char path_var[4096], *envp[2];
    struct timespec t0;
    int fds[2] = {-1, -1};
    bool fa_init = false, attr_init = false;
    enum sls_send_outcome ret = SLS_SEND_FAILED;
    pid_t pid;
    int rc;

    error[0] = '\0';
    command_env(path_var, sizeof(path_var), envp);
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(error, errlen, "cannot make a pipe: %s", strerror(errno));
        goto out;
    }
    fa_init = posix_spawn_file_actions_init(&fa) == 0;
    attr_init = posix_spawnattr_init(&attr) == 0;
    if (!fa_init || !attr_init || spawn_setup(&fa, &attr, fds[0]) != 0) {
        snprintf(error, errlen, "cannot prepare the command");
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = posix_spawn(&pid, c->argv[0], &fa, &attr, c->argv, envp);
    if (rc != 0) {
        snprintf(error, errlen, "cannot start %s: %s", c->argv[0], strerror(rc));
        goto out;
    }
    close(fds[0]);
    fds[0] = -1;
    /* A message is a few KiB, well under a pipe's capacity: this does not
     * block even when the command never reads. EPIPE (the command exited
     * without reading) is left to its exit status. */
    rc = write_all(fds[1], json, len);
    close(fds[1]);
    fds[1] = -1;
    ret = wait_child(pid, &t0, timeout, stop, error, errlen);
    if (ret == SLS_SEND_DELIVERED && rc != 0 && rc != EPIPE) {
        snprintf(error, errlen, "cannot write the message to the command: %s", strerror(rc));
        ret = SLS_SEND_FAILED;
    }
out:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (fa_init)
        posix_spawn_file_actions_destroy(&fa);
    if (attr_init)
        posix_spawnattr_destroy(&attr);
    return ret;
}
