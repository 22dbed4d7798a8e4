/* The column tables of the store's records (columns.h): one description of
 * each record shared by every backend, and the checks of a table against its
 * struct. */
#include <string.h>

#include "../core/error.h"
#include "columns.h"

#define PLATFORM_COUNT (SLS_PLATFORM_TRADING + 1)
#define ACCESS_COUNT   (SLS_ACCESS_READ_ONLY + 1)
#define AUTH_COUNT     (SLS_AUTH_BIOMETRIC + 1)

/* login_update_cas writes every one of these at once. */
#define LOGIN_PROGRESS 1u

#define U struct sls_user_rec
static const struct sls_column user_cols[] = {
    SLS_COL(U, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(U, username, "username", SLS_COL_TEXT, 0, 0),
    SLS_COL(U, password_hash, "password_hash", SLS_COL_TEXT, 0, SLS_USER_SET_PASSWORD),
    SLS_COL(U, email, "email", SLS_COL_TEXT, 0, SLS_USER_SET_EMAIL),
    SLS_COL(U, account_id, "account_id", SLS_COL_TEXT, 0, 0),
    SLS_COL_ENUM_OF(U, account_state, "account_state", SLS_ACCOUNT__COUNT, 0, SLS_USER_SET_STATE),
    SLS_COL(U, approved_at, "approved_at", SLS_COL_TIME, 0, SLS_USER_SET_STATE),
    SLS_COL(U, equity_cents, "equity_cents", SLS_COL_INT64, 0, 0),
    SLS_COL(U, primary, "is_primary", SLS_COL_BOOL, 0, 0),
    SLS_COL(U, sls, "sls", SLS_COL_BOOL, 0, SLS_USER_SET_SLS),
    SLS_COL(U, paper_of, "paper_of", SLS_COL_INT64, SLS_COL_ZERO_NULL, 0),
    SLS_COL(U, identity_json, "identity_json", SLS_COL_TEXT, 0, 0),
    SLS_COL(U, phones_json, "phones_json", SLS_COL_TEXT, 0, SLS_USER_SET_PHONES),
    SLS_COL(U, lockout, "lockout", SLS_COL_LOCKOUT, 0, SLS_USER_SET_LOCKOUT),
    /* The user's version; the column keeps the name it had when only the
     * lockout was compared. */
    SLS_COL(U, version, "lock_version", SLS_COL_INT64, SLS_COL_VERSION, 0),
    SLS_COL(U, created_at, "created_at", SLS_COL_TIME, 0, 0),
};
#undef U

#define D struct sls_device_rec
static const struct sls_column device_cols[] = {
    SLS_COL(D, id, "id", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(D, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL_ENUM_OF(D, type, "type", SLS_DEVICE__COUNT, 0, 0),
    SLS_COL_ENUM_OF(D, state, "state", SLS_DEVSTATE__COUNT, 0, SLS_DEVICE_SET_STATE),
    SLS_COL(D, label, "label", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, serial, "serial", SLS_COL_TEXT, 0, 0),
    SLS_COL_BLOB_OF(D, secret, secret_len, "secret", 0, 0),
    SLS_COL_BLOB_OF(D, pin, pin_len, "pin", 0, SLS_DEVICE_SET_PIN),
    SLS_COL(D, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(D, state_changed_at, "state_changed_at", SLS_COL_TIME, 0, SLS_DEVICE_SET_STATE),
    SLS_COL(D, activated_at, "activated_at", SLS_COL_TIME, SLS_COL_ONCE, SLS_DEVICE_SET_STATE),
    SLS_COL(D, totp_step, "totp_step", SLS_COL_INT64, 0, SLS_DEVICE_SET_TOTP_STEP),
    SLS_COL(D, passkey_id, "passkey_id", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, passkey_alg, "passkey_alg", SLS_COL_INT, 0, 0),
    SLS_COL_BLOB_OF(D, passkey_key, passkey_key_len, "passkey_key", 0, 0),
    SLS_COL(D, passkey_count, "passkey_count", SLS_COL_INT64, 0, SLS_DEVICE_SET_PASSKEY_COUNT),
};
#undef D

#define L struct sls_login_rec
static const struct sls_column login_cols[] = {
    SLS_COL(L, id, "id", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(L, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL_ENUM_OF(L, platform, "platform", PLATFORM_COUNT, 0, 0),
    SLS_COL(L, paper, "paper", SLS_COL_BOOL, 0, 0),
    SLS_COL(L, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL_ENUM_OF(L, state, "state", SLS_LOGIN__COUNT, 0, LOGIN_PROGRESS),
    SLS_COL(L, seq, "seq", SLS_COL_INT, SLS_COL_VERSION, 0),
    SLS_COL(L, device_id, "device_id", SLS_COL_TEXT, 0, LOGIN_PROGRESS),
    SLS_COL_ENUM_OF(L, kind, "kind", SLS_CHALLENGE__COUNT, 0, LOGIN_PROGRESS),
    SLS_COL(L, challenge, "challenge", SLS_COL_TEXT, 0, LOGIN_PROGRESS),
    SLS_COL(L, challenge_at, "challenge_at", SLS_COL_TIME, 0, LOGIN_PROGRESS),
    SLS_COL(L, session_hash, "session_hash", SLS_COL_TEXT, 0, LOGIN_PROGRESS),
    SLS_COL(L, client_token_hash, "client_token_hash", SLS_COL_TEXT, 0, 0),
};
#undef L

#define S struct sls_session_rec
static const struct sls_column session_cols[] = {
    SLS_COL(S, token_hash, "token_hash", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(S, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL_ENUM_OF(S, platform, "platform", PLATFORM_COUNT, 0, 0),
    SLS_COL_ENUM_OF(S, factor, "factor", SLS_DEVICE__COUNT, 0, SLS_SESSION_SET_FACTOR),
    SLS_COL(S, device_id, "device_id", SLS_COL_TEXT, 0, SLS_SESSION_SET_FACTOR),
    SLS_COL_ENUM_OF(S, access, "access", ACCESS_COUNT, 0, SLS_SESSION_SET_FACTOR),
    SLS_COL_ENUM_OF(S, auth_mode, "auth_mode", AUTH_COUNT, 0, 0),
    SLS_COL(S, paper, "paper", SLS_COL_BOOL, 0, 0),
    SLS_COL(S, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(S, expires_at, "expires_at", SLS_COL_TIME, 0, SLS_SESSION_SET_EXPIRY),
    SLS_COL(S, revoked, "revoked", SLS_COL_BOOL, 0, SLS_SESSION_SET_REVOKED),
    SLS_COL(S, verified_until, "verified_until", SLS_COL_TIME, 0, SLS_SESSION_SET_VERIFIED),
    SLS_COL(S, client_token_hash, "client_token_hash", SLS_COL_TEXT, 0, 0),
};
#undef S

#define T struct sls_client_token_rec
static const struct sls_column client_token_cols[] = {
    SLS_COL(T, token_hash, "token_hash", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(T, id, "id", SLS_COL_TEXT, 0, 0),
    SLS_COL(T, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(T, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(T, expires_at, "expires_at", SLS_COL_TIME, 0, 0),
    SLS_COL(T, lockout, "lockout", SLS_COL_LOCKOUT, 0, SLS_CLIENT_TOKEN_SET_LOCKOUT),
    SLS_COL(T, lock_version, "lock_version", SLS_COL_INT64, SLS_COL_VERSION, 0),
};
#undef T

#define P struct sls_push_rec
static const struct sls_column push_cols[] = {
    SLS_COL(P, id, "id", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL_ENUM_OF(P, purpose, "purpose", SLS_PUSH_PURPOSE__COUNT, 0, 0),
    SLS_COL(P, subject, "subject", SLS_COL_TEXT, 0, 0),
    SLS_COL(P, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(P, device_id, "device_id", SLS_COL_TEXT, 0, 0),
    SLS_COL_ENUM_OF(P, platform, "platform", PLATFORM_COUNT, 0, 0),
    SLS_COL(P, challenge, "challenge", SLS_COL_TEXT, 0, 0),
    SLS_COL_ENUM_OF(P, state, "state", SLS_PUSH__COUNT, 0, SLS_PUSH_SET_DECISION),
    SLS_COL_ENUM_OF(P, auth_mode, "auth_mode", AUTH_COUNT, 0, SLS_PUSH_SET_DECISION),
    SLS_COL(P, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(P, expires_at, "expires_at", SLS_COL_TIME, 0, 0),
    SLS_COL(P, decided_at, "decided_at", SLS_COL_TIME, 0, SLS_PUSH_SET_DECISION),
    SLS_COL(P, number, "number", SLS_COL_INT, 0, 0),
    SLS_COL(P, wrong_number, "wrong_number", SLS_COL_BOOL, 0, SLS_PUSH_SET_DECISION),
};
#undef P

/* The notices sent, a mask of eight bits: checked as the values 0..255. */
#define DSC_NOTICES_COUNT 0x100

#define O struct sls_dsc_order_rec
static const struct sls_column dsc_order_cols[] = {
    SLS_COL(O, id, "id", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(O, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL_ENUM_OF(O, state, "state", SLS_DSC_ORDER__COUNT, 0, SLS_DSC_ORDER_SET_PROGRESS),
    SLS_COL(O, address, "address", SLS_COL_TEXT, 0, 0),
    SLS_COL(O, deposit_account, "deposit_account", SLS_COL_TEXT, 0, 0),
    SLS_COL(O, hold_cents, "hold_cents", SLS_COL_INT64, 0, 0),
    SLS_COL_BLOB_OF(O, pin, pin_len, "pin", 0, 0),
    SLS_COL(O, ordered_at, "ordered_at", SLS_COL_TIME, 0, 0),
    SLS_COL(O, estimated_ship_at, "estimated_ship_at", SLS_COL_TIME, 0, 0),
    SLS_COL(O, device_id, "device_id", SLS_COL_TEXT, 0, SLS_DSC_ORDER_SET_PROGRESS),
    SLS_COL(O, shipped_at, "shipped_at", SLS_COL_TIME, 0, SLS_DSC_ORDER_SET_PROGRESS),
    SLS_COL_ENUM_OF(O, notices, "notices", DSC_NOTICES_COUNT, 0, SLS_DSC_ORDER_SET_PROGRESS),
    SLS_COL(O, settled_at, "settled_at", SLS_COL_TIME, 0, SLS_DSC_ORDER_SET_PROGRESS),
};
#undef O

#define R struct sls_sharing_rec
static const struct sls_column sharing_cols[] = {
    SLS_COL(R, id, "id", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(R, requester_id, "requester_id", SLS_COL_INT64, 0, 0),
    SLS_COL(R, owner_id, "owner_id", SLS_COL_INT64, 0, 0),
    SLS_COL(R, device_id, "device_id", SLS_COL_TEXT, 0, 0),
    SLS_COL_ENUM_OF(R, state, "state", SLS_SHARING_STATE__COUNT, 0, SLS_SHARING_SET_DECISION),
    SLS_COL(R, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(R, decided_at, "decided_at", SLS_COL_TIME, 0, SLS_SHARING_SET_DECISION),
    SLS_COL(R, decided_by, "decided_by", SLS_COL_TEXT, 0, SLS_SHARING_SET_DECISION),
    SLS_COL(R, inactivated, "inactivated", SLS_COL_TEXT, 0, SLS_SHARING_SET_DECISION),
};
#undef R

#define V struct sls_review_rec
static const struct sls_column review_cols[] = {
    SLS_COL(V, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(V, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(V, kind, "kind", SLS_COL_TEXT, 0, 0),
    SLS_COL(V, payload, "payload", SLS_COL_TEXT, 0, 0),
    SLS_COL_BLOB_OF(V, secret, secret_len, "secret", 0, 0),
    SLS_COL_ENUM_OF(V, state, "state", SLS_REVIEW__COUNT, 0, SLS_REVIEW_SET_DECISION),
    SLS_COL(V, decided_by, "decided_by", SLS_COL_TEXT, 0, SLS_REVIEW_SET_DECISION),
    SLS_COL(V, created_at, "created_at", SLS_COL_TIME, 0, 0),
    SLS_COL(V, decided_at, "decided_at", SLS_COL_TIME, 0, SLS_REVIEW_SET_DECISION),
};
#undef V

#define B struct sls_bank_rec
static const struct sls_column bank_cols[] = {
    SLS_COL(B, user_id, "user_id", SLS_COL_INT64, SLS_COL_KEY, 0),
    SLS_COL(B, bank_name, "bank_name", SLS_COL_TEXT, 0, 0),
    SLS_COL(B, routing_number, "routing_number", SLS_COL_TEXT, 0, 0),
    SLS_COL(B, account_last4, "account_last4", SLS_COL_TEXT, 0, 0),
    SLS_COL_BLOB_OF(B, account_sealed, account_sealed_len, "account_sealed", 0, 0),
    SLS_COL(B, updated_at, "updated_at", SLS_COL_TIME, 0, 0),
};
#undef B

#define K struct sls_secret_rec
static const struct sls_column secret_cols[] = {
    SLS_COL(K, key, "key", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL(K, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(K, device_id, "device_id", SLS_COL_TEXT, 0, 0),
    SLS_COL_ENUM_OF(K, kind, "kind", SLS_CHALLENGE__COUNT, 0, 0),
    SLS_COL(K, challenge, "challenge", SLS_COL_TEXT, 0, 0),
    SLS_COL_BLOB_OF(K, code, code_len, "code", 0, 0),
    SLS_COL(K, data, "data", SLS_COL_TEXT, 0, 0),
    SLS_COL(K, issued_by, "issued_by", SLS_COL_TEXT, 0, 0),
    SLS_COL(K, issued_at, "issued_at", SLS_COL_TIME, 0, 0),
    SLS_COL(K, expires_at, "expires_at", SLS_COL_TIME, 0, 0),
    /* The wrong codes so far: secret_fail_cas compares and bumps them. */
    SLS_COL(K, attempts, "attempts", SLS_COL_INT, SLS_COL_VERSION, 0),
};
#undef K

#define M struct sls_outbox_rec
static const struct sls_column outbox_cols[] = {
    SLS_COL(M, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(M, to, "recipient", SLS_COL_TEXT, 0, 0),
    SLS_COL(M, channel, "channel", SLS_COL_TEXT, 0, 0),
    SLS_COL(M, body, "body", SLS_COL_TEXT, 0, 0),
    SLS_COL(M, code, "code", SLS_COL_TEXT, 0, 0),
    SLS_COL(M, at, "at", SLS_COL_TIME, 0, 0),
    SLS_COL_ENUM_OF(M, state, "state", SLS_OUTBOX__COUNT, 0, SLS_OUTBOX_SET_SETTLE),
    SLS_COL(M, attempts, "attempts", SLS_COL_INT, 0, 0),
    SLS_COL(M, next_attempt_at, "next_attempt_at", SLS_COL_TIME, 0, SLS_OUTBOX_SET_SETTLE),
    SLS_COL(M, done_at, "done_at", SLS_COL_TIME, 0, 0),
    SLS_COL(M, last_error, "last_error", SLS_COL_TEXT, 0, SLS_OUTBOX_SET_SETTLE),
    SLS_COL(M, kind, "kind", SLS_COL_TEXT, 0, 0),
};
#undef M

#define W struct sls_withdrawal_rec
static const struct sls_column withdrawal_cols[] = {
    SLS_COL(W, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(W, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(W, amount_cents, "amount_cents", SLS_COL_INT64, 0, 0),
    SLS_COL(W, at, "at", SLS_COL_TIME, 0, 0),
    SLS_COL(W, business_day, "business_day", SLS_COL_INT64, 0, 0),
};
#undef W

#define E struct sls_deposit_rec
static const struct sls_column deposit_cols[] = {
    SLS_COL(E, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(E, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(E, amount_cents, "amount_cents", SLS_COL_INT64, 0, 0),
    SLS_COL(E, method, "method", SLS_COL_TEXT, 0, 0),
    SLS_COL(E, capped, "capped", SLS_COL_BOOL, 0, 0),
    SLS_COL(E, at, "at", SLS_COL_TIME, 0, 0),
};
#undef E

#define D struct sls_document_rec
static const struct sls_column document_cols[] = {
    SLS_COL(D, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(D, user_id, "user_id", SLS_COL_INT64, 0, 0),
    SLS_COL(D, purpose, "purpose", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, sender, "sender", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, received_at, "received_at", SLS_COL_TIME, 0, 0),
    SLS_COL(D, sha256, "sha256", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, detected_type, "detected_type", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, declared_type, "declared_type", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, filename, "filename", SLS_COL_TEXT, 0, 0),
    SLS_COL(D, size, "size", SLS_COL_INT64, 0, 0),
};
#undef D

#define J struct sls_document_rejection_rec
static const struct sls_column rejection_cols[] = {
    SLS_COL(J, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(J, received_at, "received_at", SLS_COL_TIME, 0, 0),
    SLS_COL(J, sender, "sender", SLS_COL_TEXT, 0, 0),
    SLS_COL(J, subject, "subject", SLS_COL_TEXT, 0, 0),
    SLS_COL(J, reason, "reason", SLS_COL_TEXT, 0, 0),
    SLS_COL(J, message, "message", SLS_COL_TEXT, 0, 0),
    SLS_COL(J, username, "username", SLS_COL_TEXT, 0, 0),
};
#undef J

#define K struct sls_stock_rec
static const struct sls_column stock_cols[] = {
    SLS_COL(K, serial, "serial", SLS_COL_TEXT, SLS_COL_KEY, 0),
    SLS_COL_ENUM_OF(K, algorithm, "algorithm", SLS_STOCK__COUNT, 0, 0),
    SLS_COL(K, suite, "suite", SLS_COL_TEXT, 0, 0),
    SLS_COL(K, digits, "digits", SLS_COL_INT, 0, 0),
    SLS_COL(K, counter, "counter", SLS_COL_INT64, 0, 0),
    SLS_COL(K, period, "period", SLS_COL_INT64, 0, 0),
    SLS_COL_BLOB_OF(K, secret, secret_len, "secret", 0, 0),
    SLS_COL(K, imported_at, "imported_at", SLS_COL_TIME, 0, 0),
    SLS_COL(K, device_id, "device_id", SLS_COL_TEXT, 0, SLS_STOCK_SET_ASSIGNED),
    SLS_COL(K, assigned_at, "assigned_at", SLS_COL_TIME, 0, SLS_STOCK_SET_ASSIGNED),
};
#undef K

#define TABLE(nm, rec, cols)                                                                       \
    {                                                                                              \
        (nm), sizeof(rec), (cols), sizeof(cols) / sizeof((cols)[0])                                \
    }
const struct sls_columns sls_columns_user = TABLE("users", struct sls_user_rec, user_cols);
const struct sls_columns sls_columns_device = TABLE("devices", struct sls_device_rec, device_cols);
const struct sls_columns sls_columns_login = TABLE("logins", struct sls_login_rec, login_cols);
const struct sls_columns sls_columns_session =
    TABLE("sessions", struct sls_session_rec, session_cols);
const struct sls_columns sls_columns_client_token =
    TABLE("client_tokens", struct sls_client_token_rec, client_token_cols);
const struct sls_columns sls_columns_push = TABLE("pushes", struct sls_push_rec, push_cols);
const struct sls_columns sls_columns_dsc_order =
    TABLE("dsc_plus_orders", struct sls_dsc_order_rec, dsc_order_cols);
const struct sls_columns sls_columns_sharing =
    TABLE("sharing_requests", struct sls_sharing_rec, sharing_cols);
const struct sls_columns sls_columns_review = TABLE("reviews", struct sls_review_rec, review_cols);
const struct sls_columns sls_columns_bank =
    TABLE("bank_instructions", struct sls_bank_rec, bank_cols);
const struct sls_columns sls_columns_secret = TABLE("secrets", struct sls_secret_rec, secret_cols);
const struct sls_columns sls_columns_outbox = TABLE("outbox", struct sls_outbox_rec, outbox_cols);
const struct sls_columns sls_columns_withdrawal =
    TABLE("withdrawals", struct sls_withdrawal_rec, withdrawal_cols);
const struct sls_columns sls_columns_deposit =
    TABLE("deposits", struct sls_deposit_rec, deposit_cols);
const struct sls_columns sls_columns_document =
    TABLE("documents", struct sls_document_rec, document_cols);
const struct sls_columns sls_columns_document_rejection =
    TABLE("document_rejections", struct sls_document_rejection_rec, rejection_cols);
const struct sls_columns sls_columns_stock =
    TABLE("device_stock", struct sls_stock_rec, stock_cols);

int sls_columns_find(const struct sls_columns *t, unsigned flag)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->cols[i].flags & flag)
            return (int)i;
    return -1;
}

/* The size a field of this type has in the struct (0: any, TEXT and BLOB). */
static size_t type_size(enum sls_column_type type)
{
    switch (type) {
    case SLS_COL_INT64:
        return sizeof(int64_t);
    case SLS_COL_INT:
    case SLS_COL_ENUM:
        return sizeof(int);
    case SLS_COL_BOOL:
        return sizeof(bool);
    case SLS_COL_TIME:
        return sizeof(sls_time);
    case SLS_COL_LOCKOUT:
        return sizeof(struct sls_lockout_state);
    case SLS_COL_TEXT:
    case SLS_COL_BLOB:
        return 0;
    }
    return 0;
}

int sls_columns_check(const struct sls_columns *t)
{
    size_t keys = 0, versions = 0;

    if (!t->table || !t->cols || t->n == 0)
        return SLS_ERR_STORE;
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *c = &t->cols[i];
        size_t want = type_size(c->type);

        if (!c->name || !c->name[0] || c->size == 0 || c->offset + c->size > t->size)
            return SLS_ERR_STORE;
        if (want != 0 && c->size != want)
            return SLS_ERR_STORE;
        if (c->type == SLS_COL_ENUM && c->count <= 0)
            return SLS_ERR_STORE;
        if (c->type == SLS_COL_BLOB && c->len_offset + sizeof(size_t) > t->size)
            return SLS_ERR_STORE;
        if ((c->flags & SLS_COL_GENERATED) && c->type != SLS_COL_INT64)
            return SLS_ERR_STORE;
        if ((c->flags & SLS_COL_VERSION) &&
            (c->group != 0 || (c->type != SLS_COL_INT64 && c->type != SLS_COL_INT)))
            return SLS_ERR_STORE;
        if ((c->flags & SLS_COL_KEY) && c->group != 0)
            return SLS_ERR_STORE;
        if ((c->flags & SLS_COL_ZERO_NULL) && c->type != SLS_COL_INT64)
            return SLS_ERR_STORE;
        keys += (c->flags & SLS_COL_KEY) != 0;
        versions += (c->flags & SLS_COL_VERSION) != 0;
    }
    return keys == 1 && versions <= 1 ? SLS_OK : SLS_ERR_STORE;
}

bool sls_columns_text_fits(const struct sls_column *col, const void *rec)
{
    const char *s = (const char *)rec + col->offset;

    return memchr(s, '\0', col->size) != NULL;
}

void sls_columns_device_activation(struct sls_device_rec *d, bool update)
{
    if (update)
        d->activated_at = d->state == SLS_DEVSTATE_ACTIVE ? d->state_changed_at : 0;
    else if (d->state == SLS_DEVSTATE_ACTIVE && d->activated_at == 0)
        d->activated_at = d->state_changed_at;
}
