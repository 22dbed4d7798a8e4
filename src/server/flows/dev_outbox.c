/* The --dev copies of settled messages, kept in the store's meta values; see
 * dev_outbox.h. */
#include "server/flows/dev_outbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/encoding.h"
#include "crypto/secmem.h"

/* A copy: at most a body, a code and a few short fields, escaped (JSON_MAX),
 * then sealed and in base64 (VALUE_MAX). */
#define JSON_MAX  4096
#define VALUE_MAX 8192

static const struct sls_seal_key *key_of_copies; /* NULL: not --dev, nothing kept */

void sls_dev_outbox_enable(const struct sls_seal_key *key)
{
    key_of_copies = key;
}

static void slot_key(int64_t id, char *key, size_t keylen)
{
    snprintf(key, keylen, "dev_outbox/%lld", (long long)(id % SLS_DEV_OUTBOX_KEPT));
}

static int copy_text(char *dst, size_t cap, json_t *o, const char *name)
{
    const char *v = json_string_value(json_object_get(o, name));

    if (v == NULL || strlen(v) >= cap)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* Opens and decodes a kept copy into m; -1 when it is not one. */
static int decode(const char *value, struct sls_outbox_rec *m)
{
    uint8_t sealed[VALUE_MAX], text[JSON_MAX + 1];
    size_t slen = 0, tlen = 0;
    json_t *o = NULL;
    int ret = -1;

    memset(m, 0, sizeof(*m));
    if (sls_base64_decode(value, strlen(value), 0, sealed, sizeof(sealed), &slen) != 0 ||
        sls_unseal(key_of_copies, sealed, slen, text, sizeof(text) - 1, &tlen) != 0)
        goto out;
    text[tlen] = '\0';
    o = json_loads((const char *)text, 0, NULL);
    if (o == NULL)
        goto out;
    if (!json_is_integer(json_object_get(o, "id")) || !json_is_integer(json_object_get(o, "at")))
        goto out;
    m->id = json_integer_value(json_object_get(o, "id"));
    m->at = json_integer_value(json_object_get(o, "at"));
    if (copy_text(m->to, sizeof(m->to), o, "to") ||
        copy_text(m->channel, sizeof(m->channel), o, "channel") ||
        copy_text(m->body, sizeof(m->body), o, "body") ||
        copy_text(m->code, sizeof(m->code), o, "code") ||
        copy_text(m->kind, sizeof(m->kind), o, "kind"))
        goto out;
    ret = 0;
out:
    json_decref(o);
    sls_wipe(text, sizeof(text));
    return ret;
}

/* Seals text and writes it in base64 into value (VALUE_MAX). */
static int seal_text(const char *text, char *value)
{
    uint8_t sealed[JSON_MAX + SLS_SEAL_OVERHEAD];
    size_t len = strlen(text), slen = 0;
    int ret = -1;

    if (len > JSON_MAX)
        return -1;
    if (sls_seal(key_of_copies, (const uint8_t *)text, len, sealed, sizeof(sealed), &slen) == 0 &&
        sls_base64_encode(sealed, slen, 0, value, VALUE_MAX) == 0)
        ret = 0;
    return ret;
}

int sls_dev_outbox_keep(struct sls_db *db, const struct sls_outbox_rec *m)
{
    char key[48];
    char *value = NULL, *text = NULL;
    struct sls_outbox_rec old;
    json_t *o = NULL;
    int rc;

    if (key_of_copies == NULL)
        return SLS_OK;
    value = calloc(1, VALUE_MAX);
    if (value == NULL)
        return SLS_ERR_NOMEM;
    slot_key(m->id, key, sizeof(key));
    rc = SLS_DB(db, meta_get, key, value, VALUE_MAX);
    if (rc == SLS_OK && decode(value, &old) == 0 && old.id > m->id) {
        rc = SLS_OK; /* the slot holds a newer message */
        goto out;
    }
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
        goto out;
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)m->id, "to", m->to,
                  "channel", m->channel, "body", m->body, "code", m->code, "kind", m->kind, "at",
                  (json_int_t)m->at);
    text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (text == NULL || seal_text(text, value) != 0) {
        rc = SLS_ERR_INTERNAL;
        goto out;
    }
    rc = SLS_DB(db, meta_set, key, value);
out:
    if (text != NULL) {
        sls_wipe(text, strlen(text));
        free(text);
    }
    json_decref(o);
    sls_wipe(value, VALUE_MAX);
    free(value);
    return rc;
}

static int by_id(const void *a, const void *b)
{
    const struct sls_outbox_rec *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

int sls_dev_outbox_kept(struct sls_db *db, const char *to, struct sls_outbox_rec *out, size_t max,
                        size_t *n)
{
    char key[48];
    char *value = calloc(1, VALUE_MAX);
    int rc = SLS_OK;

    *n = 0;
    if (value == NULL)
        return SLS_ERR_NOMEM;
    if (key_of_copies == NULL)
        goto out; /* not --dev: nothing was kept */
    for (int64_t slot = 0; slot < SLS_DEV_OUTBOX_KEPT && *n < max; slot++) {
        slot_key(slot, key, sizeof(key));
        rc = SLS_DB(db, meta_get, key, value, VALUE_MAX);
        if (rc == SLS_ERR_NOT_FOUND) {
            rc = SLS_OK;
            continue;
        }
        if (rc != SLS_OK)
            break;
        if (decode(value, &out[*n]) != 0)
            continue;
        if (to == NULL || strcmp(out[*n].to, to) == 0)
            (*n)++;
    }
out:
    sls_wipe(value, VALUE_MAX);
    free(value);
    qsort(out, *n, sizeof(*out), by_id);
    return rc;
}
