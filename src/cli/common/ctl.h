/* The commands of slsctl, the service-desk client of the admin API (SPEC
 * §6, §8): each turns its command line into one admin API request and the
 * answer into readable text. No I/O besides printing to the given stream,
 * reading the admin token file and "@FILE" values, and reading the e-mail
 * that `documents ingest` sends and the token file (and its password file)
 * that `device import` sends; slsctl.c sends the requests. */
#ifndef SLS_CLI_CTL_H
#define SLS_CLI_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/common/args.h"

#define SLS_CTL_DEFAULT_URL "http://127.0.0.1:8081"
#define SLS_CTL_TOKEN_FILE  "admin.token"
#define SLS_CTL_MAX_TOKEN   512
#define SLS_CTL_MAX_PATH    2048
#define SLS_CTL_MAX_MESSAGE (256 * 1024 * 1024) /* bytes of an e-mail to ingest */

struct sls_ctl_command; /* one entry of the command table */

/* An admin API request built from a command line. */
struct sls_ctl_request {
    const char *method; /* "GET" or "POST" */
    char path[SLS_CTL_MAX_PATH];
    json_t *body; /* NULL for none; owned, freed by sls_ctl_request_clear */
    bool needs_token;
    /* A PIN slsctl chose for the request (pin-reset without --pin), to show
     * once with the answer; "" for none. Wiped by sls_ctl_request_clear. */
    char chosen_pin[8];
    /* A body that is not JSON (instead of body): raw_len bytes of raw_type;
     * owned, freed by sls_ctl_request_clear. */
    char *raw;
    size_t raw_len;
    const char *raw_type;
    /* Extra header lines of a raw request ("X-PSKC-Key: ..."), ended by
     * NULL; owned, wiped and freed by sls_ctl_request_clear. */
    char *headers[3];
    /* user import: the file whose users go in batches of import_batch
     * requests (ctl_import.h) instead of one request; NULL otherwise. */
    const char *import_path;
    size_t import_batch;
};

/* The options every command accepts: --server, --token, --json, --help. */
int sls_ctl_add_global_opts(struct sls_args *a);

/* The command whose words begin argv, with their count in *words; or NULL. */
const struct sls_ctl_command *sls_ctl_find(int argc, char *const *argv, int *words);

/* Parses what follows the command words (options, global ones included, and
 * positional arguments) into a. Returns 0, or -1 with a reason in err. */
int sls_ctl_parse(const struct sls_ctl_command *cmd, int argc, char *const *argv,
                  struct sls_args *a, char *err, size_t errlen);

/* Builds the request of cmd from its parsed arguments. Returns 0, or -1 with
 * a usage error in err (req is then clear). */
int sls_ctl_build(const struct sls_ctl_command *cmd, const struct sls_args *a,
                  struct sls_ctl_request *req, char *err, size_t errlen);

/* Frees the body of req and wipes what it holds. */
void sls_ctl_request_clear(struct sls_ctl_request *req);

/* Prints the readable form of a successful answer (which may be NULL) to
 * the request req built from a. */
void sls_ctl_print(const struct sls_ctl_command *cmd, const struct sls_args *a,
                   const struct sls_ctl_request *req, const json_t *answer, FILE *out);

/* The exit status a successful answer (which may be NULL) calls for:
 * SLS_EXIT_OK, or SLS_EXIT_FAIL when the answer reports a failure although
 * the request succeeded (an audit chain found broken). */
int sls_ctl_answer_status(const struct sls_ctl_command *cmd, const json_t *answer);

/* Prints the help of all commands (cmd NULL) or of one. */
void sls_ctl_help(const struct sls_ctl_command *cmd, FILE *out);

/* Prints (when out is not NULL) the help of the commands whose names begin
 * with the argc words ("user": user add, user show); returns how many. */
size_t sls_ctl_help_words(int argc, char *const *argv, FILE *out);

/* The full name of a command ("user add"). */
const char *sls_ctl_name(const struct sls_ctl_command *cmd);

/* The admin token: given (from --token) if not NULL, else $SLS_ADMIN_TOKEN,
 * else the first line of the file $SLS_ADMIN_TOKEN_FILE, else of
 * ./admin.token. Only printable ASCII without spaces is accepted. Writes it to
 * out (the caller wipes it). Returns 0, or -1 with a reason in err. */
int sls_ctl_token(const char *given, char *out, size_t outlen, char *err, size_t errlen);

/* The admin API URL: given (from --server) if not NULL, else $SLS_ADMIN_URL,
 * else SLS_CTL_DEFAULT_URL. */
const char *sls_ctl_server(const char *given);

#endif
