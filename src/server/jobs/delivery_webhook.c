/* Delivering a message through a webhook: one libcurl POST of the message's
 * JSON, with the bearer token when one is configured; a 2xx answer means
 * delivered. The answer's body is read and thrown away. */
#include "server/jobs/delivery_webhook.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "crypto/secmem.h"

#define CONNECT_TIMEOUT 10 /* seconds */
#define USER_AGENT      "slsd"

static size_t discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * nmemb;
}

/* Called by libcurl while the transfer runs: non-zero abandons it. */
static int check_stop(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                      curl_off_t ulnow)
{
    const atomic_bool *stop = arg;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load(stop) ? 1 : 0;
}

/* Frees a header list after wiping every header (one holds the token). */
static void free_headers(struct curl_slist *list)
{
    for (struct curl_slist *h = list; h != NULL; h = h->next)
        sls_wipe(h->data, strlen(h->data));
    curl_slist_free_all(list);
}

static struct curl_slist *make_headers(const char *token)
{
    struct curl_slist *list = NULL, *next;
    char auth[600];

    next = curl_slist_append(list, "Content-Type: application/json");
    if (next == NULL)
        goto fail;
    list = next;
    /* No "Expect: 100-continue" round trip for a small body. */
    next = curl_slist_append(list, "Expect:");
    if (next == NULL)
        goto fail;
    list = next;
    if (token[0] != '\0') {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        next = curl_slist_append(list, auth);
        sls_wipe(auth, sizeof(auth));
        if (next == NULL)
            goto fail;
        list = next;
    }
    return list;
fail:
    free_headers(list);
    return NULL;
}

enum sls_send_outcome sls_send_webhook(const char *url, const char *token, const char *json,
                                       size_t len, sls_time timeout, const atomic_bool *stop,
                                       char *error, size_t errlen)
{
    enum sls_send_outcome ret = SLS_SEND_FAILED;
    char curl_error[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    CURL *h = NULL;
    long status = 0;
    CURLcode rc;

    error[0] = '\0';
    h = curl_easy_init();
    headers = make_headers(token);
    if (h == NULL || headers == NULL) {
        snprintf(error, errlen, "cannot prepare the request");
        goto out;
    }
    if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, json) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
                         (long)(timeout < CONNECT_TIMEOUT ? timeout : CONNECT_TIMEOUT)) !=
            CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, check_stop) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)stop) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error) != CURLE_OK) {
        snprintf(error, errlen, "cannot prepare the request");
        goto out;
    }
    rc = curl_easy_perform(h);
    if (rc == CURLE_ABORTED_BY_CALLBACK && atomic_load(stop)) {
        ret = SLS_SEND_STOPPED;
        goto out;
    }
    if (rc != CURLE_OK) {
        snprintf(error, errlen, "%s", curl_error[0] ? curl_error : curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
        ret = SLS_SEND_DELIVERED;
        goto out;
    }
    snprintf(error, errlen, "HTTP %ld", status);
out:
    curl_easy_cleanup(h);
    free_headers(headers);
    return ret;
}
