/* Passkey ceremonies on the server; see passkey.h. */
#include "server/flows/passkey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/notice.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/seal.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/notice.h"
#include "server/flows/secret_key.h"

void sls_passkey_origins_of(const struct sls_app *app, struct sls_passkey_origins *o)
{
    const struct sls_webauthn_config *w = &app->cfg.webauthn;
    char *p, *save = NULL;

    memset(o, 0, sizeof(*o));
    if (w->origins[0] != '\0') {
        snprintf(o->text, sizeof(o->text), "%s", w->origins);
    } else {
        const char *port = strrchr(app->cfg.listen, ':');
        int n = snprintf(o->text, sizeof(o->text), "https://%s", w->rp_id);

        if (app->cfg.dev && port != NULL && n > 0 && (size_t)n < sizeof(o->text))
            snprintf(o->text + n, sizeof(o->text) - (size_t)n, " http://localhost%s", port);
    }
    for (p = strtok_r(o->text, ", ", &save); p != NULL && o->n < SLS_PASSKEY_ORIGINS;
         p = strtok_r(NULL, ", ", &save))
        o->list[o->n++] = p;
}

void sls_passkey_challenge_new(uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES],
                               char text[SLS_PASSKEY_CHALLENGE_TEXT])
{
    sls_random_bytes(raw, SLS_PASSKEY_CHALLENGE_BYTES);
    if (sls_base64_encode(raw, SLS_PASSKEY_CHALLENGE_BYTES, 1, text, SLS_PASSKEY_CHALLENGE_TEXT) !=
        0)
        text[0] = '\0'; /* cannot happen: the buffer holds 43 characters */
}

/* ---- the browser's credential ---- */

/* The decoded fields of a PublicKeyCredential. */
struct credential {
    uint8_t id[SLS_PASSKEY_MAX_CREDENTIAL_ID];
    size_t id_len;
    char id_text[SLS_PASSKEY_ID_MAX + 1]; /* rawId as sent */
    uint8_t client_data[SLS_PASSKEY_MAX_CLIENT_DATA];
    size_t client_data_len;
    uint8_t attestation[SLS_PASSKEY_MAX_ATTESTATION]; /* a registration */
    size_t attestation_len;
    uint8_t auth_data[SLS_PASSKEY_MAX_AUTH_DATA]; /* an assertion */
    size_t auth_data_len;
    uint8_t signature[SLS_PASSKEY_MAX_SIG_BYTES];
    size_t signature_len;
};

/* The base64url string member key of o decoded into out (cap bytes). */
static bool field(const json_t *o, const char *key, uint8_t *out, size_t cap, size_t *len)
{
    const json_t *v = json_object_get(o, key);

    *len = 0;
    return json_is_string(v) && json_string_length(v) > 0 &&
           sls_base64_decode(json_string_value(v), json_string_length(v), 1, out, cap, len) == 0;
}

/* Reads credential text into c: type "public-key", rawId (id equal to it when
 * given) and the response's fields of a registration or an assertion. */
static bool credential_read(const char *text, bool registration, struct credential *c)
{
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    const json_t *resp, *raw, *id;
    bool ok = false;

    memset(c, 0, sizeof(*c));
    if (!json_is_object(root))
        goto out;
    resp = json_object_get(root, "response");
    raw = json_object_get(root, "rawId");
    id = json_object_get(root, "id");
    if (!json_is_object(resp) || !json_is_string(raw) ||
        !json_is_string(json_object_get(root, "type")) ||
        strcmp(json_string_value(json_object_get(root, "type")), "public-key") != 0 ||
        json_string_length(raw) > SLS_PASSKEY_ID_MAX ||
        (id != NULL && (!json_is_string(id) || !json_equal(id, raw))))
        goto out;
    snprintf(c->id_text, sizeof(c->id_text), "%s", json_string_value(raw));
    if (!field(root, "rawId", c->id, sizeof(c->id), &c->id_len) ||
        !field(resp, "clientDataJSON", c->client_data, sizeof(c->client_data), &c->client_data_len))
        goto out;
    if (registration)
        ok = field(resp, "attestationObject", c->attestation, sizeof(c->attestation),
                   &c->attestation_len);
    else
        ok = field(resp, "authenticatorData", c->auth_data, sizeof(c->auth_data),
                   &c->auth_data_len) &&
             field(resp, "signature", c->signature, sizeof(c->signature), &c->signature_len);
out:
    json_decref(root);
    return ok;
}

/* ---- registration ---- */

static void enrol_key(char *out, size_t len, const char *token_hash)
{
    sls_secret_key(out, len, SLS_SECRET_PASSKEY_ENROL, token_hash);
}

struct begin_tx {
    const struct sls_secret_rec *s;
    const struct sls_user_rec *u;
    struct sls_device_rec *devices;
    size_t *ndevices;
    sls_time now;
};

static int begin_fn(struct sls_db *db, void *arg)
{
    const struct begin_tx *t = arg;
    int rc = SLS_DB(db, device_list, t->u->id, t->devices, SLS_DEVICE_VIEW_MAX, t->ndevices);

    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_put, t->s);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->u->username, SLS_PASSKEY_EVENT, "started", NULL);
}

int sls_passkey_enrol_begin(const struct sls_app *app, const char *token_hash,
                            const struct sls_user_rec *u, sls_time now,
                            char challenge[SLS_PASSKEY_CHALLENGE_TEXT],
                            struct sls_device_rec *devices, size_t *ndevices)
{
    uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES];
    struct sls_secret_rec s;
    struct begin_tx t = {&s, u, devices, ndevices, now};
    int rc;

    memset(&s, 0, sizeof(s));
    enrol_key(s.key, sizeof(s.key), token_hash);
    s.user_id = u->id;
    s.kind = SLS_CHALLENGE_WEBAUTHN;
    s.issued_at = now;
    s.expires_at = now + SLS_PASSKEY_ENROL_TTL;
    sls_passkey_challenge_new(raw, challenge);
    if (sls_seal(&app->key, raw, sizeof(raw), s.code, sizeof(s.code), &s.code_len) != 0)
        rc = SLS_ERR_INTERNAL;
    else
        rc = sls_store_write(app->store, begin_fn, &t);
    sls_wipe(raw, sizeof(raw));
    sls_wipe(&s, sizeof(s));
    return rc;
}

struct register_tx {
    struct sls_passkey_register *r;
    const char *key;
};

static int register_fn(struct sls_db *db, void *arg)
{
    struct register_tx *t = arg;
    struct sls_passkey_register *r = t->r;
    struct sls_device_rec *held;
    const char *detail;
    int rc = SLS_DB(db, secret_take, t->key);

    if (rc == SLS_ERR_NOT_FOUND) {
        r->outcome = SLS_PASSKEY_NO_CHALLENGE; /* used by a racing request */
        return SLS_OK;
    }
    if (rc != SLS_OK)
        return rc;
    if (r->outcome == SLS_PASSKEY_REFUSED)
        return sls_audit_write_user(db, r->now, r->user->username, SLS_PASSKEY_EVENT,
                                    sls_passkey_verdict_name(r->verdict), NULL);
    held = calloc(1, sizeof(*held));
    if (held == NULL)
        return SLS_ERR_NOMEM;
    rc = SLS_DB(db, device_by_passkey, r->device.passkey_id, held);
    free(held);
    if (rc == SLS_OK) {
        r->outcome = SLS_PASSKEY_TAKEN;
        return sls_audit_write_user(db, r->now, r->user->username, SLS_PASSKEY_EVENT,
                                    "credential_taken", NULL);
    }
    if (rc != SLS_ERR_NOT_FOUND)
        return rc;
    rc = SLS_DB(db, device_insert, &r->device);
    if (rc == SLS_ERR_CONFLICT) {
        r->outcome = SLS_PASSKEY_TAKEN;
        return SLS_ERR_CONFLICT; /* registered meanwhile: nothing of this one is kept */
    }
    if (rc == SLS_OK)
        rc = sls_notice_queue(db, r->user, SLS_NOTICE_DEVICE_ACTIVATED,
                              sls_notice_device_name(&r->device), r->now);
    if (rc != SLS_OK)
        return rc;
    r->outcome = SLS_PASSKEY_REGISTERED;
    detail = r->device.id;
    return sls_audit_write_user(db, r->now, r->user->username, SLS_PASSKEY_EVENT, "ok", detail);
}

static int read_fn(struct sls_db *db, void *arg)
{
    struct sls_secret_rec *s = arg;
    return SLS_DB(db, secret_get, s->key, s);
}

/* The device a checked registration becomes. */
static void make_device(struct sls_passkey_register *r, const struct credential *c,
                        const struct sls_passkey_auth_data *ad)
{
    struct sls_device_rec *d = &r->device;

    memset(d, 0, sizeof(*d));
    sls_random_hex(d->id, SLS_ID_LEN / 2);
    d->user_id = r->user->id;
    d->type = SLS_DEVICE_PASSKEY;
    d->state = SLS_DEVSTATE_ACTIVE;
    snprintf(d->label, sizeof(d->label), "%s", r->label);
    d->created_at = r->now;
    d->state_changed_at = r->now;
    d->activated_at = r->now;
    snprintf(d->passkey_id, sizeof(d->passkey_id), "%s", c->id_text);
    d->passkey_alg = ad->public_key.alg;
    memcpy(d->passkey_key, ad->public_key.key, ad->public_key.key_len);
    d->passkey_key_len = ad->public_key.key_len;
    d->passkey_count = ad->sign_count;
}

int sls_passkey_register(const struct sls_app *app, struct sls_passkey_register *r)
{
    struct sls_secret_rec s;
    struct credential *c = calloc(1, sizeof(*c));
    struct sls_passkey_auth_data *ad = calloc(1, sizeof(*ad));
    struct sls_passkey_origins o;
    struct register_tx t = {r, s.key};
    uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES];
    size_t rawlen = 0;
    int rc = SLS_OK;

    r->outcome = SLS_PASSKEY_NO_CHALLENGE;
    r->verdict = SLS_PASSKEY_MALFORMED;
    memset(&s, 0, sizeof(s));
    memset(raw, 0, sizeof(raw));
    if (c == NULL || ad == NULL) {
        rc = SLS_ERR_NOMEM;
        goto out;
    }
    enrol_key(s.key, sizeof(s.key), r->token_hash);
    rc = sls_store_read(app->store, read_fn, &s);
    if (rc == SLS_ERR_NOT_FOUND) {
        rc = SLS_OK;
        goto out;
    }
    if (rc != SLS_OK)
        goto out;
    if (s.user_id != r->user->id || s.kind != SLS_CHALLENGE_WEBAUTHN || r->now > s.expires_at)
        goto out;
    if (sls_unseal(&app->key, s.code, s.code_len, raw, sizeof(raw), &rawlen) != 0 ||
        rawlen != sizeof(raw)) {
        rc = SLS_ERR_INTERNAL;
        goto out;
    }
    sls_passkey_origins_of(app, &o);
    if (credential_read(r->credential, true, c)) {
        struct sls_passkey_expect e = {app->cfg.webauthn.rp_id, o.list, o.n, raw, sizeof(raw)};

        r->verdict =
            sls_passkey_registration_check(&e, c->client_data, c->client_data_len, c->attestation,
                                           c->attestation_len, c->id, c->id_len, ad);
    }
    if (r->verdict == SLS_PASSKEY_OK)
        make_device(r, c, ad);
    else
        r->outcome = SLS_PASSKEY_REFUSED;
    rc = sls_store_write(app->store, register_fn, &t);
    if (rc == SLS_ERR_CONFLICT && r->outcome == SLS_PASSKEY_TAKEN)
        rc = SLS_OK; /* registered by a racing request: nothing of this one is kept */
out:
    sls_wipe(raw, sizeof(raw));
    sls_wipe(&s, sizeof(s));
    free(c);
    free(ad);
    return rc;
}

/* ---- an assertion ---- */

struct count_io {
    const char *device_id;
    int64_t count;
    struct sls_device_rec *now_stored; /* read when the move was refused */
    int64_t user_id;
    sls_time at;
};

static int count_fn(struct sls_db *db, void *arg)
{
    struct count_io *io = arg;
    return SLS_DB(db, device_passkey_count_cas, io->device_id, io->count);
}

static int stored_fn(struct sls_db *db, void *arg)
{
    struct count_io *io = arg;
    return SLS_DB(db, device_get, io->device_id, io->now_stored);
}

static int counter_back_fn(struct sls_db *db, void *arg)
{
    struct count_io *io = arg;
    struct sls_user_rec *u = calloc(1, sizeof(*u));
    char detail[96];
    int rc;

    if (u == NULL)
        return SLS_ERR_NOMEM;
    rc = SLS_DB(db, user_get_by_id, io->user_id, u);
    snprintf(detail, sizeof(detail), "%s counter %lld", io->device_id, (long long)io->count);
    if (rc == SLS_OK)
        rc = sls_audit_write_user(db, io->at, u->username, "passkey.counter", "went_back", detail);
    sls_wipe(u, sizeof(*u));
    free(u);
    return rc;
}

/* The counter of d moved to count (or kept at zero): *forward, else *back. */
static int counter_move(const struct sls_app *app, const struct sls_device_rec *d, uint32_t count,
                        bool *forward)
{
    struct count_io io = {d->id, (int64_t)count, NULL, 0, 0};
    int rc;

    *forward = false;
    if (count == 0 && d->passkey_count == 0) {
        *forward = true; /* an authenticator without a counter */
        return SLS_OK;
    }
    rc = sls_store_write(app->store, count_fn, &io);
    if (rc == SLS_OK) {
        *forward = true;
        return SLS_OK;
    }
    if (rc != SLS_ERR_CONFLICT)
        return rc;
    /* Moved meanwhile: by this very assertion racing with itself (the
     * login's or the challenge's own compare-and-swap lets one through),
     * or by a later one, and then this one went back. */
    io.now_stored = calloc(1, sizeof(*io.now_stored));
    if (io.now_stored == NULL)
        return SLS_ERR_NOMEM;
    rc = sls_store_read(app->store, stored_fn, &io);
    if (rc == SLS_OK)
        *forward = io.now_stored->passkey_count == (int64_t)count;
    free(io.now_stored);
    return rc;
}

int sls_passkey_assertion_verify(const struct sls_app *app, const struct sls_device_rec *d,
                                 const char *challenge, const char *credential,
                                 enum sls_passkey_verdict *verdict, uint32_t *count)
{
    struct credential *c = calloc(1, sizeof(*c));
    struct sls_passkey_public_key key;
    struct sls_passkey_origins o;
    uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES];
    size_t rawlen = 0;

    *verdict = SLS_PASSKEY_MALFORMED;
    *count = 0;
    if (c == NULL)
        return SLS_ERR_NOMEM;
    if (d->type != SLS_DEVICE_PASSKEY || d->passkey_key_len > sizeof(key.key) ||
        sls_base64_decode(challenge, strlen(challenge), 1, raw, sizeof(raw), &rawlen) != 0 ||
        rawlen != sizeof(raw) || !credential_read(credential, false, c) ||
        strcmp(c->id_text, d->passkey_id) != 0)
        goto out;
    memset(&key, 0, sizeof(key));
    key.alg = d->passkey_alg;
    memcpy(key.key, d->passkey_key, d->passkey_key_len);
    key.key_len = d->passkey_key_len;
    sls_passkey_origins_of(app, &o);
    {
        struct sls_passkey_expect e = {app->cfg.webauthn.rp_id, o.list, o.n, raw, sizeof(raw)};

        *verdict = sls_passkey_assertion_check(
            &e, c->client_data, c->client_data_len, c->auth_data, c->auth_data_len, c->signature,
            c->signature_len, &key,
            d->passkey_count > UINT32_MAX ? UINT32_MAX : (uint32_t)d->passkey_count, count);
    }
out:
    sls_wipe(raw, sizeof(raw));
    free(c);
    return SLS_OK;
}

int sls_passkey_answer_check(const struct sls_app *app, const struct sls_device_rec *d,
                             const char *challenge, const char *credential, sls_time now,
                             bool *right)
{
    enum sls_passkey_verdict v;
    uint32_t count = 0;
    int rc;

    *right = false;
    rc = sls_passkey_assertion_verify(app, d, challenge, credential, &v, &count);
    if (rc != SLS_OK)
        return rc;
    if (v == SLS_PASSKEY_OK) {
        bool forward;

        rc = counter_move(app, d, count, &forward);
        if (rc == SLS_OK && !forward)
            v = SLS_PASSKEY_COUNTER_BACK;
        else
            *right = rc == SLS_OK;
    }
    if (v == SLS_PASSKEY_COUNTER_BACK && rc == SLS_OK) {
        struct count_io io = {d->id, (int64_t)count, NULL, d->user_id, now};

        rc = sls_store_write(app->store, counter_back_fn, &io);
    }
    return rc;
}
