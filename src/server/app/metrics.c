/* Prometheus metrics: atomic counters and a fixed-bucket histogram. */
#include "server/app/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[SLS_OUTCOME__COUNT] = {
    "success",          "invalid_credentials", "login_failed", "locked", "platform_not_allowed",
    "no_active_device", "second_factor",
};

static const char *const delivery_names[SLS_METRIC_DELIVERY__COUNT] = {
    "delivered",
    "retry",
    "gave_up",
};

static const char *const throttle_names[SLS_THROTTLED__COUNT] = {
    "per_ip", "hashing", "reset_interval", "workers", "header_deadline", "hashing_per_ip",
};

static const char *const radius_drop_names[SLS_RADIUS_DROP__COUNT] = {
    "unknown_client", "malformed", "message_authenticator", "busy", "store",
};

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static atomic_ullong logins[SLS_OUTCOME__COUNT];
static atomic_ullong lockouts;
static atomic_ullong throttled[SLS_THROTTLED__COUNT];
static atomic_ullong deliveries[SLS_METRIC_DELIVERY__COUNT];
static atomic_ullong hist[NBUCKETS + 1];
static atomic_ullong hist_sum_us;
static atomic_ullong status_class[6];
static atomic_ullong radius_dropped[SLS_RADIUS_DROP__COUNT];

void sls_metrics_radius_dropped(enum sls_radius_drop why)
{
    if ((unsigned)why < SLS_RADIUS_DROP__COUNT)
        atomic_fetch_add(&radius_dropped[why], 1);
}

void sls_metrics_login(enum sls_login_outcome o)
{
    if ((unsigned)o < SLS_OUTCOME__COUNT)
        atomic_fetch_add(&logins[o], 1);
}

void sls_metrics_throttled(enum sls_throttle_metric m)
{
    if ((unsigned)m < SLS_THROTTLED__COUNT)
        atomic_fetch_add(&throttled[m], 1);
}

void sls_metrics_delivery(enum sls_delivery_metric o)
{
    if ((unsigned)o < SLS_METRIC_DELIVERY__COUNT)
        atomic_fetch_add(&deliveries[o], 1);
}

void sls_metrics_lockout(void)
{
    atomic_fetch_add(&lockouts, 1);
}

void sls_metrics_request(int status, double seconds)
{
    size_t i;

    for (i = 0; i < NBUCKETS; i++)
        if (seconds <= buckets[i])
            break;
    atomic_fetch_add(&hist[i], 1);
    atomic_fetch_add(&hist_sum_us, (unsigned long long)(seconds * 1e6));
    if (status >= 100 && status < 600)
        atomic_fetch_add(&status_class[status / 100], 1);
}

char *sls_metrics_render(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned long long cum = 0, total = 0;
    size_t i;

    if (f == NULL)
        return NULL;
    fputs("# HELP sls_logins_total Login attempts by outcome.\n"
          "# TYPE sls_logins_total counter\n",
          f);
    for (i = 0; i < SLS_OUTCOME__COUNT; i++)
        fprintf(f, "sls_logins_total{outcome=\"%s\"} %llu\n", outcome_names[i],
                atomic_load(&logins[i]));
    fprintf(f,
            "# HELP sls_lockouts_total Accounts locked after consecutive failures (R8).\n"
            "# TYPE sls_lockouts_total counter\nsls_lockouts_total %llu\n",
            atomic_load(&lockouts));
    fputs("# HELP sls_delivery_attempts_total Attempts to deliver a message, by outcome.\n"
          "# TYPE sls_delivery_attempts_total counter\n",
          f);
    for (i = 0; i < SLS_METRIC_DELIVERY__COUNT; i++)
        fprintf(f, "sls_delivery_attempts_total{outcome=\"%s\"} %llu\n", delivery_names[i],
                atomic_load(&deliveries[i]));
    fputs("# HELP sls_throttled_total Requests refused or left unsent by throttling "
          "(SPEC 10.2), by reason.\n"
          "# TYPE sls_throttled_total counter\n",
          f);
    for (i = 0; i < SLS_THROTTLED__COUNT; i++)
        fprintf(f, "sls_throttled_total{reason=\"%s\"} %llu\n", throttle_names[i],
                atomic_load(&throttled[i]));
    fputs("# HELP sls_radius_dropped_total RADIUS requests dropped unanswered (SPEC 10.4), by "
          "reason.\n"
          "# TYPE sls_radius_dropped_total counter\n",
          f);
    for (i = 0; i < SLS_RADIUS_DROP__COUNT; i++)
        fprintf(f, "sls_radius_dropped_total{reason=\"%s\"} %llu\n", radius_drop_names[i],
                atomic_load(&radius_dropped[i]));
    fputs("# HELP sls_http_requests_total HTTP requests by status class.\n"
          "# TYPE sls_http_requests_total counter\n",
          f);
    for (i = 1; i < 6; i++)
        fprintf(f, "sls_http_requests_total{class=\"%zuxx\"} %llu\n", i,
                atomic_load(&status_class[i]));
    fputs("# HELP sls_http_request_duration_seconds Time to answer a request.\n"
          "# TYPE sls_http_request_duration_seconds histogram\n",
          f);
    for (i = 0; i < NBUCKETS; i++) {
        cum += atomic_load(&hist[i]);
        fprintf(f, "sls_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i], cum);
    }
    total = cum + atomic_load(&hist[NBUCKETS]);
    fprintf(f, "sls_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", total);
    fprintf(f, "sls_http_request_duration_seconds_sum %.6f\n",
            (double)atomic_load(&hist_sum_us) / 1e6);
    fprintf(f, "sls_http_request_duration_seconds_count %llu\n", total);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
