/* Delivering a message through a webhook (SPEC §9): one attempt, one POST.
 * Private to the deliverer and its tests. */
#ifndef SLS_SERVER_DELIVERY_WEBHOOK_H
#define SLS_SERVER_DELIVERY_WEBHOOK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"

#include "server/jobs/delivery_send.h"

/* POSTs json to url with Content-Type: application/json and, when token is
 * not empty, Authorization: Bearer token. Connecting may take at most 10 s
 * (or timeout, when shorter), the whole exchange at most timeout seconds;
 * redirects are not followed. Abandoned as soon as *stop is set. DELIVERED
 * on a 2xx answer. Needs curl_global_init. */
enum sls_send_outcome sls_send_webhook(const char *url, const char *token, const char *json,
                                       size_t len, sls_time timeout, const atomic_bool *stop,
                                       char *error, size_t errlen);

#endif
