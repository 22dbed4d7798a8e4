/* One-time codes by SMS or voice; see one_time_code.h. */
#include "server/flows/one_time_code.h"
#include "server/app/app.h"

#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/error.h"
#include "crypto/random.h"
#include "crypto/seal.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"

/* Opens the sealed code of c into out (SLS_CODE_DIGITS + 1 bytes). */
static int open_code(const struct sls_app *app, const struct sls_secret_rec *c,
                     char out[SLS_CODE_DIGITS + 1])
{
    size_t n = 0;

    if (sls_unseal(&app->key, c->code, c->code_len, (uint8_t *)out, SLS_CODE_DIGITS, &n) != 0 ||
        n != SLS_CODE_DIGITS)
        return -1;
    out[SLS_CODE_DIGITS] = '\0';
    return 0;
}

/* Copies the device challenge of ch (its device, kind, text and issue) into
 * the secret c. */
static void with_challenge(struct sls_secret_rec *c, const struct sls_secret_rec *ch)
{
    c->issued_at = ch->issued_at;
    snprintf(c->device_id, sizeof(c->device_id), "%s", ch->device_id);
    c->kind = ch->kind;
    snprintf(c->challenge, sizeof(c->challenge), "%s", ch->challenge);
}

bool sls_code_usable(const struct sls_secret_rec *c, int tries, sls_time now)
{
    return now <= c->expires_at && (tries <= 0 || c->attempts < tries);
}

int sls_code_send(const struct sls_app *app, struct sls_db *db, const struct sls_code_send *s,
                  sls_time now, sls_time *expires_at)
{
    struct sls_secret_rec c;
    struct sls_outbox_rec m;
    char code[SLS_CODE_DIGITS + 1];
    bool reused = false;
    int rc;

    memset(&m, 0, sizeof(m));
    if (s->reuse) {
        rc = SLS_DB(db, secret_get, s->key, &c);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        reused = rc == SLS_OK && c.user_id == s->user_id && sls_code_usable(&c, 0, now) &&
                 open_code(app, &c, code) == 0;
        if (reused && s->challenge != NULL)
            with_challenge(&c, s->challenge);
        if (reused && s->challenge != NULL && (rc = SLS_DB(db, secret_put, &c)) != SLS_OK)
            goto out;
    }
    if (!reused) {
        memset(&c, 0, sizeof(c));
        snprintf(c.key, sizeof(c.key), "%s", s->key);
        c.user_id = s->user_id;
        c.issued_at = now;
        if (s->challenge != NULL)
            with_challenge(&c, s->challenge);
        snprintf(c.data, sizeof(c.data), "%s", s->data != NULL ? s->data : "");
        c.expires_at = now + s->ttl;
        sls_random_digits(code, SLS_CODE_DIGITS);
        code[SLS_CODE_DIGITS] = '\0';
        if (sls_seal(&app->key, (const uint8_t *)code, SLS_CODE_DIGITS, c.code, sizeof(c.code),
                     &c.code_len) != 0) {
            rc = SLS_ERR_INTERNAL;
            goto out;
        }
        rc = SLS_DB(db, secret_put, &c);
        if (rc != SLS_OK)
            goto out;
    }
    snprintf(m.to, sizeof(m.to), "%s", s->to);
    snprintf(m.channel, sizeof(m.channel), "%s", s->channel);
    snprintf(m.body, sizeof(m.body), "Your %s is %s. It is valid for %lld minutes.", s->purpose,
             code, (long long)((c.expires_at - now + 59) / 60));
    snprintf(m.code, sizeof(m.code), "%s", code);
    /* "code.<what the key is for>", e.g. "code.login". */
    snprintf(m.kind, sizeof(m.kind), "code.%.*s", (int)strcspn(s->key, ":"), s->key);
    m.at = now;
    rc = SLS_DB(db, outbox_insert, &m);
    *expires_at = c.expires_at;
out:
    sls_wipe(code, sizeof(code));
    sls_wipe(&m, sizeof(m));
    sls_wipe(&c, sizeof(c));
    return rc;
}

bool sls_code_matches(const struct sls_app *app, const struct sls_secret_rec *c, const char *typed)
{
    char code[SLS_CODE_DIGITS + 1];
    bool ok;

    if (open_code(app, c, code) != 0)
        return false;
    ok = sls_ct_streq(typed, strlen(typed), code, SLS_CODE_DIGITS);
    sls_wipe(code, sizeof(code));
    return ok;
}

struct send_tx {
    const struct sls_app *app;
    const struct sls_code_send *cs;
    const struct sls_secret_rec *challenge;
    const char *username;
    const char *event;
    sls_time now;
    sls_time expires_at;
};

static int send_fn(struct sls_db *db, void *arg)
{
    struct send_tx *t = arg;
    struct sls_code_send cs = *t->cs;
    int rc;

    cs.challenge = t->challenge;
    rc = sls_code_send(t->app, db, &cs, t->now, &t->expires_at);
    if (rc == SLS_OK)
        rc = sls_audit_write_user(db, t->now, t->username, t->event, "code_sent", t->cs->to);
    return rc;
}

int sls_code_send_tx(const struct sls_app *app, const struct sls_code_send *s,
                     const struct sls_secret_rec *challenge, const char *username,
                     const char *event, sls_time now, sls_time *expires_at)
{
    struct send_tx t = {app, s, challenge, username, event, now, 0};
    int rc = sls_store_write(app->store, send_fn, &t);

    *expires_at = t.expires_at;
    return rc;
}
