/* Asking for a password reset without the service desk (R3): POST
 * /v1/password-reset {username}. When the user takes part in SLS, holds an
 * active device that can answer a challenge and has an e-mail address on
 * record, an 8-digit code goes to that address through the outbox; it is kept
 * only as a sealed digest, marked as issued by the user, and completing the
 * reset with it also needs a response from that device.
 *
 * The answer is the same 202 whoever asks, and the work behind it is the
 * same too: a code is drawn and sealed and one store transaction runs,
 * whether or not the user exists or may reset. At most one code is sent per
 * user per [throttle] reset_interval (SPEC §10.2); a request sooner than that
 * sends nothing and is audited as too_soon. A request while a code is
 * still live replaces it but hands on its wrong guesses, and a usable code
 * the service desk sent is kept, so asking again never buys more guesses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/password_reset_request.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/password_reset.h"
#include "core/username.h"
#include "crypto/random.h"
#include "server/flows/reset_request_tx.h"

void sls_api_password_reset_request(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_reset_request_tx *t;
    const char *username;
    char *code;
    size_t ulen;
    int rc;

    if (!sls_body_str(rq, rs, "username", true, 256, &username))
        return;
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    t = sls_req_alloc(rq, sizeof(*t));
    code = sls_req_alloc(rq, SLS_RESET_CODE_LEN + 1); /* wiped with the arena */
    if (t == NULL || code == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    sls_random_digits(code, SLS_RESET_CODE_LEN);
    t->now = rq->now;
    t->username = sls_username_could_exist(username, ulen) ? username : "";
    t->code = code;
    snprintf(t->reset.issued_by, sizeof(t->reset.issued_by), "user");
    t->reset.issued_at = rq->now;
    t->reset.expires_at = rq->now + rq->app->cfg.password_reset_ttl;
    rc = sls_reset_request_tx_apply(rq->app, t);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_json(rs, 202,
                      json_pack("{s:s, s:s}", "status", "requested", "message",
                                "If the user can reset the password this way, a code is on its "
                                "way to the e-mail address on record"));
}
