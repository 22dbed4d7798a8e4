/* Delivering a message through a command (SPEC §9): one attempt, the message
 * on the program's standard input. Private to the deliverer and its tests. */
#ifndef SLS_SERVER_DELIVERY_COMMAND_H
#define SLS_SERVER_DELIVERY_COMMAND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

#include "server/jobs/delivery_send.h"

/* A command line split on spaces into argv, without any shell
 * interpretation: no quotes, escapes, variables or globbing. */
struct sls_command {
    char buf[1024];
    char *argv[SLS_COMMAND_ARGS_MAX + 1]; /* NULL-terminated, pointing into buf */
    int argc;
};

/* Splits line into c. Returns 0, or -1 when it is empty, too long, or has
 * more than SLS_COMMAND_ARGS_MAX words. */
int sls_command_parse(struct sls_command *c, const char *line);

/* Runs the command once with json on its standard input (stdout goes to
 * /dev/null, stderr is slsd's, no other descriptor is inherited, the
 * environment is PATH only, the signal mask and dispositions are reset, and
 * it leads its own process group). Waits for it at most timeout seconds,
 * then kills its process group; does the same as soon as *stop is set.
 * DELIVERED when it exits with status 0. */
enum sls_send_outcome sls_send_command(const struct sls_command *c, const char *json, size_t len,
                                       sls_time timeout, const atomic_bool *stop, char *error,
                                       size_t errlen);

#endif
