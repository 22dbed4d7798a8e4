/* Passkey ceremonies read (libcbor, jansson) and checked; see passkey.h. */
#include "passkey.h"

#include <string.h>

#include <cbor.h>
#include <jansson.h>

#include "../crypto/encoding.h"
#include "../crypto/hash.h"
#include "../crypto/secmem.h"

/* COSE_Key labels and values (RFC 9052, RFC 9053). */
#define COSE_KTY         1
#define COSE_ALG         3
#define COSE_CRV         (-1)
#define COSE_X           (-2)
#define COSE_Y           (-3)
#define COSE_KTY_OKP     1
#define COSE_KTY_EC2     2
#define COSE_CRV_P256    1
#define COSE_CRV_ED25519 6

#define AUTH_DATA_HEADER 37 /* rpIdHash, flags, signCount */

const char *sls_passkey_verdict_name(enum sls_passkey_verdict v)
{
    switch (v) {
    case SLS_PASSKEY_OK:
        return "ok";
    case SLS_PASSKEY_MALFORMED:
        return "malformed";
    case SLS_PASSKEY_WRONG_TYPE:
        return "wrong_type";
    case SLS_PASSKEY_WRONG_CHALLENGE:
        return "wrong_challenge";
    case SLS_PASSKEY_WRONG_ORIGIN:
        return "wrong_origin";
    case SLS_PASSKEY_WRONG_RP:
        return "wrong_rp_id";
    case SLS_PASSKEY_NO_PRESENCE:
        return "no_user_presence";
    case SLS_PASSKEY_NO_VERIFICATION:
        return "no_user_verification";
    case SLS_PASSKEY_ATTESTATION:
        return "attestation_not_none";
    case SLS_PASSKEY_ALGORITHM:
        return "unsupported_key";
    case SLS_PASSKEY_BAD_SIGNATURE:
        return "bad_signature";
    case SLS_PASSKEY_COUNTER_BACK:
        return "counter_back";
    }
    return "unknown";
}

/* The integer value of an integer item into *out; -1 when it is not one or
 * does not fit. */
static int cbor_int_value(const cbor_item_t *item, int64_t *out)
{
    if (cbor_isa_uint(item)) {
        uint64_t v = cbor_get_int(item);
        if (v > (uint64_t)INT64_MAX) {
            return -1;
        }
        *out = (int64_t)v;
        return 0;
    }
    if (cbor_isa_negint(item)) {
        uint64_t v = cbor_get_int(item); /* the value is -1 - v */
        if (v > (uint64_t)INT64_MAX) {
            return -1;
        }
        *out = -1 - (int64_t)v;
        return 0;
    }
    return -1;
}

/* The value of the integer label of map; NULL when absent. *dup is set when
 * the label occurs more than once. */
static cbor_item_t *map_int_get(const cbor_item_t *map, int64_t label, bool *dup)
{
    cbor_item_t *found = NULL;
    struct cbor_pair *pairs = cbor_map_handle(map);
    size_t n = cbor_map_size(map);
    for (size_t i = 0; i < n; i++) {
        int64_t k;
        if (cbor_int_value(pairs[i].key, &k) == 0 && k == label) {
            if (found) {
                *dup = true;
            }
            found = pairs[i].value;
        }
    }
    return found;
}

/* The value of the text label of map; NULL when absent. */
static cbor_item_t *map_text_get(const cbor_item_t *map, const char *label, bool *dup)
{
    cbor_item_t *found = NULL;
    size_t llen = strlen(label);
    struct cbor_pair *pairs = cbor_map_handle(map);
    size_t n = cbor_map_size(map);
    for (size_t i = 0; i < n; i++) {
        const cbor_item_t *k = pairs[i].key;
        if (cbor_isa_string(k) && cbor_string_is_definite(k) && cbor_string_length(k) == llen &&
            memcmp(cbor_string_handle(k), label, llen) == 0) {
            if (found) {
                *dup = true;
            }
            found = pairs[i].value;
        }
    }
    return found;
}

static bool definite_bytes(const cbor_item_t *item)
{
    return item && cbor_isa_bytestring(item) && cbor_bytestring_is_definite(item);
}

static bool int_is(const cbor_item_t *item, int64_t want)
{
    int64_t v;
    return item && cbor_int_value(item, &v) == 0 && v == want;
}

/* Copies the coordinate item (a definite byte string of 32 bytes) to out. */
static bool coordinate(const cbor_item_t *item, uint8_t *out)
{
    if (!definite_bytes(item) || cbor_bytestring_length(item) != 32) {
        return false;
    }
    memcpy(out, cbor_bytestring_handle(item), 32);
    return true;
}

/* The bytes after the head being decoded, and whether a head declared more
 * entries than those bytes could hold. */
struct length_walk {
    size_t left;
    bool too_long;
};

static void array_fits(void *ctx, size_t entries)
{
    struct length_walk *w = ctx;
    if (entries > w->left) {
        w->too_long = true;
    }
}

static void map_fits(void *ctx, size_t pairs)
{
    struct length_walk *w = ctx;
    if (pairs > w->left / 2) {
        w->too_long = true;
    }
}

/* Whether every head of data (all of it, item after item) declares no more
 * array entries or map pairs than the bytes left could hold, and data is
 * well-formed CBOR heads throughout. libcbor 0.8's cbor_load allocates a
 * container's declared size before reading it, so this walk (the streaming
 * decoder, which allocates nothing) comes first; strings longer than the
 * bytes left are refused by the decoder itself. */
static bool declared_lengths_fit(const uint8_t *data, size_t len)
{
    struct cbor_callbacks cb = cbor_empty_callbacks;
    cb.array_start = array_fits;
    cb.map_start = map_fits;
    size_t pos = 0;
    while (pos < len) {
        struct length_walk w = {len - pos, false};
        struct cbor_decoder_result r = cbor_stream_decode(data + pos, len - pos, &cb, &w);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0 || w.too_long) {
            return false;
        }
        pos += r.read;
    }
    return true;
}

/* One CBOR item at the start of data (at most len bytes); NULL when none is
 * well-formed. *used gets its length. */
static cbor_item_t *load_item(const uint8_t *data, size_t len, size_t *used)
{
    if (!data || len == 0 || !declared_lengths_fit(data, len)) {
        return NULL;
    }
    struct cbor_load_result res;
    cbor_item_t *item = cbor_load(data, len, &res);
    if (!item || res.error.code != CBOR_ERR_NONE || res.read == 0 || res.read > len) {
        if (item) {
            cbor_decref(&item);
        }
        return NULL;
    }
    *used = res.read;
    return item;
}

static enum sls_passkey_verdict cose_key_read(const cbor_item_t *map,
                                              struct sls_passkey_public_key *out)
{
    if (!cbor_isa_map(map) || !cbor_map_is_definite(map)) {
        return SLS_PASSKEY_MALFORMED;
    }
    bool dup = false;
    cbor_item_t *kty = map_int_get(map, COSE_KTY, &dup);
    cbor_item_t *alg = map_int_get(map, COSE_ALG, &dup);
    cbor_item_t *crv = map_int_get(map, COSE_CRV, &dup);
    cbor_item_t *x = map_int_get(map, COSE_X, &dup);
    cbor_item_t *y = map_int_get(map, COSE_Y, &dup);
    if (dup || !kty || !alg) {
        return SLS_PASSKEY_MALFORMED;
    }
    memset(out, 0, sizeof *out);
    if (int_is(kty, COSE_KTY_EC2) && int_is(alg, SLS_PASSKEY_ALG_ES256)) {
        if (!int_is(crv, COSE_CRV_P256) || !coordinate(x, out->key) ||
            !coordinate(y, out->key + 32)) {
            return SLS_PASSKEY_ALGORITHM;
        }
        out->alg = SLS_PASSKEY_ALG_ES256;
        out->key_len = SLS_PASSKEY_ES256_KEY_BYTES;
    } else if (int_is(kty, COSE_KTY_OKP) && int_is(alg, SLS_PASSKEY_ALG_ED25519)) {
        if (!int_is(crv, COSE_CRV_ED25519) || !coordinate(x, out->key) || y) {
            return SLS_PASSKEY_ALGORITHM;
        }
        out->alg = SLS_PASSKEY_ALG_ED25519;
        out->key_len = SLS_PASSKEY_ED25519_KEY_BYTES;
    } else {
        return SLS_PASSKEY_ALGORITHM;
    }
    if (sls_passkey_key_check(out->alg, out->key, out->key_len) != 0) {
        return SLS_PASSKEY_ALGORITHM;
    }
    return SLS_PASSKEY_OK;
}

enum sls_passkey_verdict sls_passkey_cose_key_parse(const uint8_t *data, size_t len,
                                                    struct sls_passkey_public_key *out,
                                                    size_t *used)
{
    size_t n = 0;
    cbor_item_t *item = load_item(data, len, &n);
    if (!item) {
        return SLS_PASSKEY_MALFORMED;
    }
    enum sls_passkey_verdict v = cose_key_read(item, out);
    cbor_decref(&item);
    if (v == SLS_PASSKEY_OK) {
        *used = n;
    }
    return v;
}

enum sls_passkey_verdict sls_passkey_auth_data_parse(const uint8_t *data, size_t len,
                                                     struct sls_passkey_auth_data *out)
{
    memset(out, 0, sizeof *out);
    if (!data || len < AUTH_DATA_HEADER || len > SLS_PASSKEY_MAX_AUTH_DATA) {
        return SLS_PASSKEY_MALFORMED;
    }
    memcpy(out->rp_id_hash, data, SLS_PASSKEY_RP_ID_HASH_BYTES);
    out->flags = data[32];
    out->sign_count = ((uint32_t)data[33] << 24) | ((uint32_t)data[34] << 16) |
                      ((uint32_t)data[35] << 8) | (uint32_t)data[36];
    size_t at = AUTH_DATA_HEADER;
    if (out->flags & SLS_PASSKEY_FLAG_AT) {
        if (len - at < 18) {
            return SLS_PASSKEY_MALFORMED;
        }
        memcpy(out->aaguid, data + at, 16);
        size_t id_len = ((size_t)data[at + 16] << 8) | data[at + 17];
        at += 18;
        if (id_len == 0 || id_len > SLS_PASSKEY_MAX_CREDENTIAL_ID || len - at < id_len) {
            return SLS_PASSKEY_MALFORMED;
        }
        memcpy(out->credential_id, data + at, id_len);
        out->credential_id_len = id_len;
        at += id_len;
        size_t used = 0;
        enum sls_passkey_verdict v =
            sls_passkey_cose_key_parse(data + at, len - at, &out->public_key, &used);
        if (v != SLS_PASSKEY_OK) {
            return v;
        }
        at += used;
        out->has_credential = true;
    }
    if (out->flags & SLS_PASSKEY_FLAG_ED) {
        size_t used = 0;
        cbor_item_t *ext = load_item(data + at, len - at, &used);
        bool is_map = ext && cbor_isa_map(ext);
        if (ext) {
            cbor_decref(&ext);
        }
        if (!is_map) {
            return SLS_PASSKEY_MALFORMED;
        }
        at += used;
    }
    return at == len ? SLS_PASSKEY_OK : SLS_PASSKEY_MALFORMED;
}

/* The client data JSON checked: type, challenge, origin, crossOrigin. */
static enum sls_passkey_verdict client_data_check(const struct sls_passkey_expect *expect,
                                                  const uint8_t *cd, size_t cd_len,
                                                  const char *type)
{
    if (!cd || cd_len == 0 || cd_len > SLS_PASSKEY_MAX_CLIENT_DATA) {
        return SLS_PASSKEY_MALFORMED;
    }
    json_error_t err;
    json_t *root = json_loadb((const char *)cd, cd_len, JSON_REJECT_DUPLICATES, &err);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return SLS_PASSKEY_MALFORMED;
    }
    enum sls_passkey_verdict v = SLS_PASSKEY_OK;
    json_t *jtype = json_object_get(root, "type");
    json_t *jchallenge = json_object_get(root, "challenge");
    json_t *jorigin = json_object_get(root, "origin");
    json_t *jcross = json_object_get(root, "crossOrigin");
    if (!json_is_string(jtype) || !json_is_string(jchallenge) || !json_is_string(jorigin) ||
        (jcross && !json_is_boolean(jcross))) {
        v = SLS_PASSKEY_MALFORMED;
        goto done;
    }
    if (strcmp(json_string_value(jtype), type) != 0) {
        v = SLS_PASSKEY_WRONG_TYPE;
        goto done;
    }
    uint8_t got[SLS_PASSKEY_CHALLENGE_BYTES * 2];
    size_t got_len = 0;
    const char *c = json_string_value(jchallenge);
    if (sls_base64_decode(c, json_string_length(jchallenge), 1, got, sizeof got, &got_len) != 0 ||
        !expect->challenge || got_len != expect->challenge_len ||
        !sls_ct_equal(got, expect->challenge, got_len)) {
        v = SLS_PASSKEY_WRONG_CHALLENGE;
        goto done;
    }
    const char *origin = json_string_value(jorigin);
    bool known = false;
    for (size_t i = 0; i < expect->norigins; i++) {
        if (expect->origins[i] && strcmp(origin, expect->origins[i]) == 0 &&
            strlen(origin) == json_string_length(jorigin)) {
            known = true;
        }
    }
    if (!known || json_is_true(jcross)) {
        v = SLS_PASSKEY_WRONG_ORIGIN;
        goto done;
    }
done:
    json_decref(root);
    return v;
}

/* The RP ID hash and the UP and UV flags of parsed authenticator data. */
static enum sls_passkey_verdict auth_data_check(const struct sls_passkey_expect *expect,
                                                const struct sls_passkey_auth_data *ad)
{
    uint8_t want[SLS_PASSKEY_RP_ID_HASH_BYTES];
    if (!expect->rp_id ||
        sls_hash(SLS_HASH_SHA256, expect->rp_id, strlen(expect->rp_id), want) != 0) {
        return SLS_PASSKEY_MALFORMED;
    }
    if (!sls_ct_equal(want, ad->rp_id_hash, sizeof want)) {
        return SLS_PASSKEY_WRONG_RP;
    }
    if (!(ad->flags & SLS_PASSKEY_FLAG_UP)) {
        return SLS_PASSKEY_NO_PRESENCE;
    }
    if (!(ad->flags & SLS_PASSKEY_FLAG_UV)) {
        return SLS_PASSKEY_NO_VERIFICATION;
    }
    return SLS_PASSKEY_OK;
}

/* The attestation object: a map of fmt "none", an empty attStmt map and the
 * authData bytes, read into *ad. */
static enum sls_passkey_verdict attestation_read(const uint8_t *att, size_t att_len,
                                                 struct sls_passkey_auth_data *ad)
{
    if (!att || att_len == 0 || att_len > SLS_PASSKEY_MAX_ATTESTATION) {
        return SLS_PASSKEY_MALFORMED;
    }
    size_t used = 0;
    cbor_item_t *root = load_item(att, att_len, &used);
    if (!root) {
        return SLS_PASSKEY_MALFORMED;
    }
    enum sls_passkey_verdict v = SLS_PASSKEY_MALFORMED;
    if (used != att_len || !cbor_isa_map(root) || !cbor_map_is_definite(root)) {
        goto done;
    }
    bool dup = false;
    cbor_item_t *fmt = map_text_get(root, "fmt", &dup);
    cbor_item_t *stmt = map_text_get(root, "attStmt", &dup);
    cbor_item_t *auth = map_text_get(root, "authData", &dup);
    if (dup || !fmt || !stmt || !definite_bytes(auth) || !cbor_isa_string(fmt) ||
        !cbor_string_is_definite(fmt) || !cbor_isa_map(stmt)) {
        goto done;
    }
    if (cbor_string_length(fmt) != 4 || memcmp(cbor_string_handle(fmt), "none", 4) != 0 ||
        cbor_map_size(stmt) != 0) {
        v = SLS_PASSKEY_ATTESTATION;
        goto done;
    }
    v = sls_passkey_auth_data_parse(cbor_bytestring_handle(auth), cbor_bytestring_length(auth), ad);
done:
    cbor_decref(&root);
    return v;
}

enum sls_passkey_verdict
sls_passkey_registration_check(const struct sls_passkey_expect *expect, const uint8_t *client_data,
                               size_t client_data_len, const uint8_t *attestation,
                               size_t attestation_len, const uint8_t *credential_id,
                               size_t credential_id_len, struct sls_passkey_auth_data *out)
{
    memset(out, 0, sizeof *out);
    enum sls_passkey_verdict v =
        client_data_check(expect, client_data, client_data_len, "webauthn.create");
    if (v != SLS_PASSKEY_OK) {
        return v;
    }
    v = attestation_read(attestation, attestation_len, out);
    if (v != SLS_PASSKEY_OK) {
        return v;
    }
    if (!out->has_credential || !credential_id || credential_id_len != out->credential_id_len ||
        memcmp(credential_id, out->credential_id, credential_id_len) != 0) {
        return SLS_PASSKEY_MALFORMED;
    }
    return auth_data_check(expect, out);
}

enum sls_passkey_verdict sls_passkey_assertion_check(
    const struct sls_passkey_expect *expect, const uint8_t *client_data, size_t client_data_len,
    const uint8_t *auth_data, size_t auth_data_len, const uint8_t *signature, size_t signature_len,
    const struct sls_passkey_public_key *key, uint32_t stored_count, uint32_t *new_count)
{
    enum sls_passkey_verdict v =
        client_data_check(expect, client_data, client_data_len, "webauthn.get");
    if (v != SLS_PASSKEY_OK) {
        return v;
    }
    struct sls_passkey_auth_data ad;
    v = sls_passkey_auth_data_parse(auth_data, auth_data_len, &ad);
    if (v != SLS_PASSKEY_OK) {
        return v;
    }
    if (ad.has_credential) {
        return SLS_PASSKEY_MALFORMED;
    }
    v = auth_data_check(expect, &ad);
    if (v != SLS_PASSKEY_OK) {
        return v;
    }
    if (!signature || signature_len == 0 || signature_len > SLS_PASSKEY_MAX_SIG_BYTES) {
        return SLS_PASSKEY_BAD_SIGNATURE;
    }
    /* The signed message: authenticatorData || SHA-256(clientDataJSON). */
    uint8_t msg[SLS_PASSKEY_MAX_AUTH_DATA + 32];
    memcpy(msg, auth_data, auth_data_len);
    if (sls_hash(SLS_HASH_SHA256, client_data, client_data_len, msg + auth_data_len) != 0) {
        return SLS_PASSKEY_MALFORMED;
    }
    if (sls_passkey_sig_verify(key->alg, key->key, key->key_len, msg, auth_data_len + 32, signature,
                               signature_len) != 0) {
        return SLS_PASSKEY_BAD_SIGNATURE;
    }
    *new_count = ad.sign_count;
    if ((stored_count != 0 || ad.sign_count != 0) && ad.sign_count <= stored_count) {
        return SLS_PASSKEY_COUNTER_BACK;
    }
    return SLS_PASSKEY_OK;
}
