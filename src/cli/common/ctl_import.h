/* slsctl user import: loads users with their devices from a file of JSON
 * lines, or of CSV with a header line, in batches of POST
 * /v1/admin/users/import (each batch all or nothing), printing progress and
 * a total, and stopping at the first batch the server refuses. */
#ifndef SLS_CLI_CTL_IMPORT_H
#define SLS_CLI_CTL_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "cli/common/http_client.h"

#define SLS_CTL_IMPORT_BATCH     1000  /* lines a request by default */
#define SLS_CTL_IMPORT_MAX_BATCH 10000 /* the server's bound */

/* Sends the users of path ("-": standard input) through client, batch lines
 * a request; progress and the total go to out, the refused lines of a batch
 * to err_out. Returns SLS_EXIT_OK when every user was imported, else
 * SLS_EXIT_FAIL (the batches before the refused one stay imported). */
int sls_ctl_import_run(struct sls_http_client *client, const char *path, size_t batch, FILE *out,
                       FILE *err_out);

#endif
