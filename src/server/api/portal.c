/* The web Client Portal: GET / answers the portal's page and GET /assets/NAME
 * its style sheet, script and images, all built into slsd from web/. The page
 * is a single-page application that calls the public API with a bearer token
 * kept in sessionStorage (no cookies); every answer here carries a strict
 * Content-Security-Policy that allows scripts and styles from this origin only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/portal.h"
#include "server/app/app.h"
#include "core/error.h"
#include "server/http/portal_files.h"

/* What the portal may load: its own files and API, images it draws itself
 * (data: and blob: URLs for the saved card), and nothing inline. */
#define PORTAL_CSP                                                                                 \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "        \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

struct media {
    const char *suffix;
    const char *type;
};

static const struct media media_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {NULL, NULL},
};

/* The media type of a file name by its suffix, or NULL when the portal does not serve it. */
static const char *media_type(const char *name)
{
    size_t n = strlen(name);
    size_t i;

    for (i = 0; media_types[i].suffix != NULL; i++) {
        size_t k = strlen(media_types[i].suffix);
        if (n > k && strcmp(name + n - k, media_types[i].suffix) == 0)
            return media_types[i].type;
    }
    return NULL;
}

static const struct sls_portal_file *find_file(const char *name)
{
    size_t i;

    for (i = 0; sls_portal_files[i].name != NULL; i++)
        if (strcmp(sls_portal_files[i].name, name) == 0)
            return &sls_portal_files[i];
    return NULL;
}

/* Answers the built-in file `name`, or 404 when there is none of a served type. */
static void answer_file(struct sls_resp *rs, const char *name)
{
    const struct sls_portal_file *f = find_file(name);
    const char *type = media_type(name);
    uint8_t *copy;

    if (f == NULL || type == NULL) {
        sls_resp_error(rs, SLS_ERR_NOT_FOUND, NULL);
        return;
    }
    copy = malloc(f->len ? f->len : 1);
    if (copy == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    memcpy(copy, f->data, f->len);
    sls_resp_bytes(rs, 200, type, copy, f->len);
    rs->csp = PORTAL_CSP;
    /* Small files that change with the binary: always revalidated, never stale. */
    rs->cache_control = "no-cache";
}

void sls_api_portal_page(struct sls_req *rq, struct sls_resp *rs)
{
    (void)rq;
    answer_file(rs, "index.html");
}

void sls_api_portal_asset(struct sls_req *rq, struct sls_resp *rs)
{
    char name[128];
    int n = snprintf(name, sizeof(name), "assets/%s", rq->params[0]);

    if (n < 0 || (size_t)n >= sizeof(name)) {
        sls_resp_error(rs, SLS_ERR_NOT_FOUND, NULL);
        return;
    }
    answer_file(rs, name);
}
