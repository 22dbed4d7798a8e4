/* The two ways a message leaves slsd (SPEC §9): a command that reads it on
 * standard input, or a webhook that receives it in a POST. Each call is one
 * attempt with one message; the deliverer (delivery.c) decides what follows.
 * Private to delivery.c and its tests. */
#ifndef SLS_SERVER_DELIVERY_SEND_H
#define SLS_SERVER_DELIVERY_SEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

#define SLS_SEND_ERROR_MAX   256 /* room for why an attempt failed */
#define SLS_COMMAND_ARGS_MAX 32  /* the program and its fixed arguments */

enum sls_send_outcome {
    SLS_SEND_DELIVERED = 0, /* exit status 0, or an HTTP 2xx answer */
    SLS_SEND_FAILED,        /* anything else; the reason is in error */
    SLS_SEND_STOPPED,       /* *stop was set: the attempt was abandoned, not failed */
};

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

/* POSTs json to url with Content-Type: application/json and, when token is
 * not empty, Authorization: Bearer token. Connecting may take at most 10 s
 * (or timeout, when shorter), the whole exchange at most timeout seconds;
 * redirects are not followed. Abandoned as soon as *stop is set. DELIVERED
 * on a 2xx answer. Needs curl_global_init. */
enum sls_send_outcome sls_send_webhook(const char *url, const char *token, const char *json,
                                       size_t len, sls_time timeout, const atomic_bool *stop,
                                       char *error, size_t errlen);

#endif
