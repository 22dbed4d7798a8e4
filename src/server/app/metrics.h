/* Counters and the request latency histogram served at GET /metrics in the
 * Prometheus text format. Lock-free; safe from any thread. */
#ifndef SLS_SERVER_METRICS_H
#define SLS_SERVER_METRICS_H

#include <stddef.h>

/* Login outcomes counted in sls_logins_total{outcome=...}. */
enum sls_login_outcome {
    SLS_OUTCOME_SUCCESS = 0,
    SLS_OUTCOME_INVALID_CREDENTIALS,
    SLS_OUTCOME_LOGIN_FAILED,
    SLS_OUTCOME_LOCKED,
    SLS_OUTCOME_PLATFORM_NOT_ALLOWED,
    SLS_OUTCOME_NO_ACTIVE_DEVICE,
    SLS_OUTCOME_SECOND_FACTOR, /* stage 1 passed, waiting for the device */
    SLS_OUTCOME__COUNT
};

/* Outcomes of message delivery attempts, in sls_delivery_attempts_total{outcome=...}. */
enum sls_delivery_metric {
    SLS_METRIC_DELIVERED = 0,    /* the receiver took the message */
    SLS_METRIC_DELIVERY_RETRY,   /* failed; tried again later */
    SLS_METRIC_DELIVERY_GAVE_UP, /* failed for the last allowed time */
    SLS_METRIC_DELIVERY__COUNT
};

/* Requests refused by SPEC §10.2 throttling, in sls_throttled_total{reason=...}. */
enum sls_throttle_metric {
    SLS_THROTTLED_PER_IP = 0,      /* [throttle] per_ip_per_minute: 429 */
    SLS_THROTTLED_HASHING,         /* [throttle] hashing and its queue full: 429 */
    SLS_THROTTLED_RESET_INTERVAL,  /* [throttle] reset_interval: no message sent */
    SLS_THROTTLED_WORKERS,         /* [http] workers busy and worker_queue full: 503 */
    SLS_THROTTLED_HEADER_DEADLINE, /* [http] header_timeout ran out: connection closed */
    SLS_THROTTLED_HASHING_PER_IP,  /* [throttle] hashing_per_ip: 429 */
    SLS_THROTTLED__COUNT
};

/* RADIUS requests dropped unanswered (SPEC §10.4), in
 * sls_radius_dropped_total{reason=...}. */
enum sls_radius_drop {
    SLS_RADIUS_DROP_UNKNOWN_CLIENT = 0, /* from an address of no [radius.client] */
    SLS_RADIUS_DROP_MALFORMED,          /* not a well-formed Access-Request */
    SLS_RADIUS_DROP_AUTHENTICATOR,      /* Message-Authenticator missing or wrong (RFC 3579) */
    SLS_RADIUS_DROP_BUSY,               /* the queue of requests to answer was full */
    SLS_RADIUS_DROP_STORE,              /* the store failed: the client asks again */
    SLS_RADIUS_DROP__COUNT
};

void sls_metrics_login(enum sls_login_outcome o);
void sls_metrics_radius_dropped(enum sls_radius_drop why);
void sls_metrics_throttled(enum sls_throttle_metric m);
void sls_metrics_delivery(enum sls_delivery_metric o);
void sls_metrics_lockout(void);
/* One HTTP request answered with `status` after `seconds`. */
void sls_metrics_request(int status, double seconds);

/* Renders all metrics; returns a malloc'd NUL-terminated string or NULL. */
char *sls_metrics_render(void);

#endif
