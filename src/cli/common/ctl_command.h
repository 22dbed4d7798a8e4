/* The shape of one slsctl command, shared by the files that hold the
 * command tables (ctl.c, ctl_review.c), and the text helpers they share.
 * Internal to the ctl*.c files: slsctl.c sees commands only through ctl.h. */
#ifndef SLS_CLI_CTL_COMMAND_H
#define SLS_CLI_CTL_COMMAND_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/common/args.h"
#include "cli/common/ctl.h"

typedef int (*sls_ctl_build_fn)(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                                size_t errlen);
typedef void (*sls_ctl_print_fn)(const struct sls_args *a, const struct sls_ctl_request *req,
                                 const json_t *answer, FILE *out);
/* SLS_EXIT_OK or SLS_EXIT_FAIL for a successful answer; NULL: always OK. */
typedef int (*sls_ctl_status_fn)(const json_t *answer);

struct sls_ctl_command {
    struct sls_args_command cmd;
    const struct sls_args_opt *opts;
    size_t nopts;
    size_t min_pos, max_pos;
    sls_ctl_build_fn build;
    sls_ctl_print_fn print;
    sls_ctl_status_fn status;
};

/* The security review queue commands (ctl_review.c). */
extern const struct sls_ctl_command sls_ctl_review_commands[];
extern const size_t sls_ctl_review_ncommands;

/* A new string for a value: strings as they are, null as "-", true/false as
 * yes/no, others as compact JSON. NULL only when out of memory. */
char *sls_ctl_text_of(const json_t *v);

/* Prints a string that came from the server, control characters as '?'. */
void sls_ctl_put_clean(const char *s, FILE *out);

#endif
