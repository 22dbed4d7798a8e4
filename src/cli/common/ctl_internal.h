/* What the files of slsctl's command table share: the shape of a command
 * and the helpers that build paths and print answers. ctl.c holds the
 * table's core and most commands; ctl_devices.c the DSC+ and device-sharing
 * commands (R21, R32); ctl_stock.c the vendor token stock (SPEC §10.4);
 * ctl_review.c the security review queue (R4). Private
 * to slsctl: slsctl.c sees commands only through ctl.h. */
#ifndef SLS_CLI_CTL_INTERNAL_H
#define SLS_CLI_CTL_INTERNAL_H

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

/* The commands of ctl_devices.c. */
extern const struct sls_ctl_command sls_ctl_device_commands[];
extern const size_t sls_ctl_device_ncommands;

/* The commands of ctl_stock.c. */
extern const struct sls_ctl_command sls_ctl_stock_commands[];
extern const size_t sls_ctl_stock_ncommands;

/* The commands of ctl_review.c. */
extern const struct sls_ctl_command sls_ctl_review_commands[];
extern const size_t sls_ctl_review_ncommands;

/* Writes "/v1/admin/users/ESCAPED(user)SUFFIX" to req->path. 0 or -1 (err). */
int sls_ctl_user_path(const char *user, const char *suffix, struct sls_ctl_request *req, char *err,
                      size_t errlen);
/* Writes "/v1/admin/users/ESCAPED(user)/devices/ESCAPED(device)SUFFIX". */
int sls_ctl_device_path(const char *user, const char *device, const char *suffix,
                        struct sls_ctl_request *req, char *err, size_t errlen);
/* Makes req a POST with an empty JSON object to the path already in req. */
int sls_ctl_empty_post(struct sls_ctl_request *req, char *err, size_t errlen);
/* Finishes a build whose body must have been made without failure (bad). */
int sls_ctl_body_done(struct sls_ctl_request *req, int bad, char *err, size_t errlen);
/* Prints a string that came from the server, control characters as '?'. */
void sls_ctl_put_clean(const char *s, FILE *out);
/* The string at key of obj, or fallback. */
const char *sls_ctl_str_or(const json_t *obj, const char *key, const char *fallback);
/* A new string for a JSON value ("-" for null); NULL when out of memory. */
char *sls_ctl_text_of(const json_t *v);

#endif
