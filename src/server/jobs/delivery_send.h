/* The two ways a message leaves slsd (SPEC §9): a command that reads it on
 * standard input, or a webhook that receives it in a POST. This header holds
 * what both share: the outcome of one attempt (delivery_command.h and
 * delivery_webhook.h make the attempts; the deliverer, delivery.c, decides
 * what follows). */
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

#endif
