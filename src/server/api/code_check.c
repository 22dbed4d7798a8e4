/* Checking a typed 6-digit code (one_time_code.h) for a handler: the code
 * read with its user, the tries counted on a wrong one, the 400 answered. */
#include "server/api/code_check.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/secmem.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/flows/one_time_code.h"
#include "server/http/arena.h"

struct code_read {
    const char *key;
    struct sls_code_rec c;
    struct sls_user_rec u;
};

static int code_read_fn(struct sls_db *db, void *arg)
{
    struct code_read *r = arg;
    int rc = SLS_DB(db, code_get, r->key, &r->c);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, r->c.user_id, &r->u);
    return rc;
}

struct code_fail_io {
    const char *key;
    int attempts;
    int tries;
    const char *username;
    const char *event;
    sls_time now;
};

static int code_fail_fn(struct sls_db *db, void *arg)
{
    struct code_fail_io *f = arg;
    int rc = SLS_DB(db, code_fail_cas, f->key, f->attempts);

    /* The last allowed try used: the code is gone. */
    if (rc == SLS_OK && f->attempts + 1 >= f->tries)
        rc = SLS_DB(db, code_delete, f->key);
    if (rc == SLS_ERR_CONFLICT)
        rc = SLS_OK; /* a racing request counted first: still refused */
    if (rc == SLS_OK)
        rc = sls_audit_write_user(db, f->now, f->username, f->event, "wrong_code", NULL);
    return rc;
}

int sls_code_check_answer(struct sls_req *rq, struct sls_resp *rs, const char *key,
                          const char *code, const char *event, const char *hint,
                          struct sls_code_rec *out, struct sls_user_rec *user)
{
    struct code_read *r = sls_req_alloc(rq, sizeof(*r));
    struct code_fail_io f;
    int rc;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return -1;
    }
    r->key = key;
    rc = sls_store_read(rq->app->store, code_read_fn, r);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return -1;
    }
    if (rc == SLS_ERR_NOT_FOUND || !sls_code_usable(&r->c, rq->app->cfg.code_tries, rq->now)) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", hint);
        return -1;
    }
    if (strlen(code) != SLS_CODE_DIGITS || !sls_code_matches(rq->app, &r->c, code)) {
        f.key = key;
        f.attempts = r->c.attempts;
        f.tries = rq->app->cfg.code_tries;
        f.username = r->u.username;
        f.event = event;
        f.now = rq->now;
        rc = sls_store_write(rq->app->store, code_fail_fn, &f);
        if (rc != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code",
                               r->c.attempts + 1 >= f.tries ? hint : "Check the code and retry");
        return -1;
    }
    *out = r->c;
    if (user != NULL)
        *user = r->u;
    return 0;
}
