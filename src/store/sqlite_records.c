/* The sls_db_ops of the SQLite store for users, devices, logins and sessions:
 * each primitive is one cached statement, rows are mapped to the fixed-size
 * records (strings cut to fit and always NUL-terminated), and the racy updates
 * are single compare-and-swap statements. The log-like tables (audit,
 * identity verifications, meta) live in sqlite_log.c, the outbox of messages
 * in sqlite_outbox.c. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

int sls_sqlite_bind_field(sqlite3_stmt *st, int i, const char *s, size_t cap)
{
    return sqlite3_bind_text(st, i, s, (int)strnlen(s, cap), SQLITE_STATIC);
}

void sls_sqlite_column_field(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    size_t n = v ? (size_t)sqlite3_column_bytes(st, col) : 0;

    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, v, n);
    dst[n] = '\0';
}

int sls_sqlite_column_blob(sqlite3_stmt *st, int col, uint8_t *dst, size_t cap, size_t *len)
{
    const void *v = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);

    *len = 0;
    if (n > cap)
        return SLS_ERR_STORE;
    if (n)
        memcpy(dst, v, n);
    *len = n;
    return SLS_OK;
}

#define PLATFORM_COUNT (SLS_PLATFORM_TRADING + 1)
#define ACCESS_COUNT   (SLS_ACCESS_READ_ONLY + 1)
#define AUTH_COUNT     (SLS_AUTH_BIOMETRIC + 1)

/* An enum read back must be one of its values. */
static int column_enum(sqlite3_stmt *st, int col, int count, int *out)
{
    int64_t v = sqlite3_column_int64(st, col);

    if (v < 0 || v >= count)
        return SLS_ERR_STORE;
    *out = (int)v;
    return SLS_OK;
}

int sls_sqlite_step_done(struct sls_sqlite_conn *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_DONE)
        return SLS_OK;
    return sls_sqlite_error(c, rc);
}

int sls_sqlite_step_changed(struct sls_sqlite_conn *c, sqlite3_stmt *st, int none)
{
    int ret = sls_sqlite_step_done(c, st);

    if (ret == SLS_OK && sqlite3_changes(c->h) == 0)
        ret = none;
    return ret;
}

int sls_sqlite_get_row(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st,
                       int (*row)(sqlite3_stmt *, void *), void *out)
{
    int rc = sqlite3_step(st);
    int ret;

    if (rc == SQLITE_ROW)
        ret = row(st, out);
    else if (rc == SQLITE_DONE)
        ret = SLS_ERR_NOT_FOUND;
    else
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_get_rows(struct sls_sqlite_conn *c, sqlite3_stmt *st,
                        int (*row)(sqlite3_stmt *, void *), void *out, size_t size, size_t max,
                        size_t *n)
{
    int rc = SQLITE_DONE, ret;

    *n = 0;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = row(st, (char *)out + *n * size);
        if (ret != SLS_OK)
            return ret;
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE)
        return sls_sqlite_error(c, rc);
    return SLS_OK;
}

int64_t sls_sqlite_limit(size_t max)
{
    return max > INT64_MAX ? INT64_MAX : (int64_t)max;
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "id, username, password_hash, email, account_id, account_state, approved_at, equity_cents, "   \
    "is_primary, sls, paper_of, identity_json, phones_json, lockout, lock_version, created_at"

static int row_user(sqlite3_stmt *st, void *out)
{
    struct sls_user_rec *u = out;
    int state;

    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    COLUMN_FIELD(st, 1, u->username);
    COLUMN_FIELD(st, 2, u->password_hash);
    COLUMN_FIELD(st, 3, u->email);
    COLUMN_FIELD(st, 4, u->account_id);
    if (column_enum(st, 5, SLS_ACCOUNT__COUNT, &state) != SLS_OK)
        return SLS_ERR_STORE;
    u->account_state = (enum sls_account_state)state;
    u->approved_at = sqlite3_column_int64(st, 6);
    u->equity_cents = sqlite3_column_int64(st, 7);
    u->primary = sqlite3_column_int(st, 8) != 0;
    u->sls = sqlite3_column_int(st, 9) != 0;
    u->paper_of = sqlite3_column_int64(st, 10); /* NULL reads as 0 */
    COLUMN_FIELD(st, 11, u->identity_json);
    COLUMN_FIELD(st, 12, u->phones_json);
    if (sls_lockout_decode((const char *)sqlite3_column_text(st, 13), &u->lockout) != 0)
        return SLS_ERR_STORE;
    u->lock_version = sqlite3_column_int64(st, 14);
    u->created_at = sqlite3_column_int64(st, 15);
    return SLS_OK;
}

static int user_insert(struct sls_db *db, struct sls_user_rec *u)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char lockout[SLS_SQLITE_LOCKOUT_TEXT];
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (sls_lockout_encode(&u->lockout, lockout, sizeof lockout) != 0)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_USER_INSERT,
                             "INSERT INTO users(username, password_hash, email, account_id, "
                             "account_state, approved_at, equity_cents, is_primary, sls, paper_of, "
                             "identity_json, phones_json, lockout, lock_version, created_at) "
                             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                             "?15)");
    if (!st)
        goto out;
    BIND_FIELD(st, 1, u->username);
    BIND_FIELD(st, 2, u->password_hash);
    BIND_FIELD(st, 3, u->email);
    BIND_FIELD(st, 4, u->account_id);
    sqlite3_bind_int(st, 5, (int)u->account_state);
    sqlite3_bind_int64(st, 6, u->approved_at);
    sqlite3_bind_int64(st, 7, u->equity_cents);
    sqlite3_bind_int(st, 8, u->primary);
    sqlite3_bind_int(st, 9, u->sls);
    if (u->paper_of)
        sqlite3_bind_int64(st, 10, u->paper_of);
    else
        sqlite3_bind_null(st, 10);
    BIND_FIELD(st, 11, u->identity_json);
    BIND_FIELD(st, 12, u->phones_json);
    sqlite3_bind_text(st, 13, lockout, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, u->lock_version);
    sqlite3_bind_int64(st, 15, u->created_at);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        u->id = sqlite3_last_insert_rowid(c->h);
out:
    sls_sqlite_stmt_put(c, SQ_USER_INSERT, st);
    return ret;
}

static int user_get_by_name(struct sls_db *db, const char *username, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_USER_BY_NAME,
                                           "SELECT " USER_COLS " FROM users WHERE username = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_USER_BY_NAME, st, row_user, out);
}

static int user_get_by_id(struct sls_db *db, int64_t id, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_USER_BY_ID, "SELECT " USER_COLS " FROM users WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_get_row(c, SQ_USER_BY_ID, st, row_user, out);
}

static int user_get_by_account(struct sls_db *db, const char *account_id, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    /* The conditions of the partial index users_account_primary. */
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_USER_BY_ACCOUNT,
                                           "SELECT " USER_COLS " FROM users WHERE account_id = ?1 "
                                           "AND is_primary = 1 AND paper_of IS NULL "
                                           "AND account_id <> ''");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_USER_BY_ACCOUNT, st, row_user, out);
}

static int user_lockout_cas(struct sls_db *db, int64_t user_id, int64_t expected_version,
                            const struct sls_lockout_state *next)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char lockout[SLS_SQLITE_LOCKOUT_TEXT];
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (sls_lockout_encode(next, lockout, sizeof lockout) != 0)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_USER_LOCKOUT_CAS,
                             "UPDATE users SET lockout = ?1, lock_version = lock_version + 1 "
                             "WHERE id = ?2 AND lock_version = ?3");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, lockout, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, expected_version);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
out:
    sls_sqlite_stmt_put(c, SQ_USER_LOCKOUT_CAS, st);
    return ret;
}

static int user_set_account_state(struct sls_db *db, int64_t user_id, enum sls_account_state state,
                                  sls_time approved_at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_USER_SET_STATE,
                            "UPDATE users SET account_state = ?1, approved_at = ?2 WHERE id = ?3");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int(st, 1, (int)state);
    sqlite3_bind_int64(st, 2, approved_at);
    sqlite3_bind_int64(st, 3, user_id);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_USER_SET_STATE, st);
    return ret;
}

static int user_set_password(struct sls_db *db, int64_t user_id, const char *password_hash)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_USER_SET_PASSWORD,
                                           "UPDATE users SET password_hash = ?1 WHERE id = ?2");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, password_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_USER_SET_PASSWORD, st);
    return ret;
}

/* ---- devices ---- */

#define DEVICE_COLS                                                                                \
    "id, user_id, type, state, label, serial, secret, pin, created_at, state_changed_at, "         \
    "activated_at"

static int row_device(sqlite3_stmt *st, void *out)
{
    struct sls_device_rec *d = out;
    int type, state;

    memset(d, 0, sizeof *d);
    COLUMN_FIELD(st, 0, d->id);
    d->user_id = sqlite3_column_int64(st, 1);
    if (column_enum(st, 2, SLS_DEVICE__COUNT, &type) != SLS_OK ||
        column_enum(st, 3, SLS_DEVSTATE__COUNT, &state) != SLS_OK)
        return SLS_ERR_STORE;
    d->type = (enum sls_device_type)type;
    d->state = (enum sls_device_state)state;
    COLUMN_FIELD(st, 4, d->label);
    COLUMN_FIELD(st, 5, d->serial);
    if (sls_sqlite_column_blob(st, 6, d->secret, sizeof d->secret, &d->secret_len) != SLS_OK ||
        sls_sqlite_column_blob(st, 7, d->pin, sizeof d->pin, &d->pin_len) != SLS_OK)
        return SLS_ERR_STORE;
    d->created_at = sqlite3_column_int64(st, 8);
    d->state_changed_at = sqlite3_column_int64(st, 9);
    d->activated_at = sqlite3_column_int64(st, 10);
    return SLS_OK;
}

static int device_insert(struct sls_db *db, const struct sls_device_rec *d)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (d->secret_len > sizeof d->secret || d->pin_len > sizeof d->pin)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_DEVICE_INSERT,
                             "INSERT INTO devices(" DEVICE_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st)
        goto out;
    BIND_FIELD(st, 1, d->id);
    sqlite3_bind_int64(st, 2, d->user_id);
    sqlite3_bind_int(st, 3, (int)d->type);
    sqlite3_bind_int(st, 4, (int)d->state);
    BIND_FIELD(st, 5, d->label);
    BIND_FIELD(st, 6, d->serial);
    sqlite3_bind_blob(st, 7, d->secret, (int)d->secret_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, d->pin, (int)d->pin_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, d->created_at);
    sqlite3_bind_int64(st, 10, d->state_changed_at);
    sqlite3_bind_int64(st, 11,
                       d->state == SLS_DEVSTATE_ACTIVE && d->activated_at == 0 ? d->state_changed_at
                                                                               : d->activated_at);
    ret = sls_sqlite_step_done(c, st);
out:
    sls_sqlite_stmt_put(c, SQ_DEVICE_INSERT, st);
    return ret;
}

static int device_get(struct sls_db *db, const char *id, struct sls_device_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_DEVICE_GET, "SELECT " DEVICE_COLS " FROM devices WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_DEVICE_GET, st, row_device, out);
}

static int device_list(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                       size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_DEVICE_LIST,
                             "SELECT " DEVICE_COLS " FROM devices WHERE user_id = ?1 "
                             "ORDER BY created_at, rowid LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_get_rows(c, st, row_device, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_DEVICE_LIST, st);
    return ret;
}

static int device_set_state(struct sls_db *db, const char *id, enum sls_device_state state,
                            sls_time at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_DEVICE_SET_STATE,
                            "UPDATE devices SET state = ?1, state_changed_at = ?2, "
                            "activated_at = CASE WHEN ?1 = 0 AND activated_at = 0 THEN ?2 "
                            "ELSE activated_at END WHERE id = ?3");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int(st, 1, (int)state);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_DEVICE_SET_STATE, st);
    return ret;
}

static int device_set_pin(struct sls_db *db, const char *id, const uint8_t *pin, size_t pin_len)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (pin_len > sizeof(((struct sls_device_rec *)0)->pin))
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_DEVICE_SET_PIN, "UPDATE devices SET pin = ?1 WHERE id = ?2");
    if (!st)
        goto out;
    sqlite3_bind_blob(st, 1, pin, (int)pin_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
out:
    sls_sqlite_stmt_put(c, SQ_DEVICE_SET_PIN, st);
    return ret;
}

/* ---- logins ---- */

#define LOGIN_COLS                                                                                 \
    "id, user_id, platform, paper, created_at, state, seq, device_id, kind, challenge, "           \
    "challenge_at, session_hash, client_token_hash"

static int row_login(sqlite3_stmt *st, void *out)
{
    struct sls_login_rec *l = out;
    int platform, state, kind;

    memset(l, 0, sizeof *l);
    COLUMN_FIELD(st, 0, l->id);
    l->user_id = sqlite3_column_int64(st, 1);
    if (column_enum(st, 2, PLATFORM_COUNT, &platform) != SLS_OK ||
        column_enum(st, 5, SLS_LOGIN__COUNT, &state) != SLS_OK ||
        column_enum(st, 8, SLS_CHALLENGE__COUNT, &kind) != SLS_OK)
        return SLS_ERR_STORE;
    l->platform = (enum sls_platform)platform;
    l->paper = sqlite3_column_int(st, 3) != 0;
    l->created_at = sqlite3_column_int64(st, 4);
    l->state = (enum sls_login_state)state;
    l->seq = sqlite3_column_int(st, 6);
    COLUMN_FIELD(st, 7, l->device_id);
    l->kind = (enum sls_challenge_kind)kind;
    COLUMN_FIELD(st, 9, l->challenge);
    l->challenge_at = sqlite3_column_int64(st, 10);
    COLUMN_FIELD(st, 11, l->session_hash);
    COLUMN_FIELD(st, 12, l->client_token_hash);
    return SLS_OK;
}

static int login_insert(struct sls_db *db, const struct sls_login_rec *l)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_LOGIN_INSERT,
                            "INSERT INTO logins(" LOGIN_COLS
                            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, l->id);
    sqlite3_bind_int64(st, 2, l->user_id);
    sqlite3_bind_int(st, 3, (int)l->platform);
    sqlite3_bind_int(st, 4, l->paper);
    sqlite3_bind_int64(st, 5, l->created_at);
    sqlite3_bind_int(st, 6, (int)l->state);
    sqlite3_bind_int(st, 7, l->seq);
    BIND_FIELD(st, 8, l->device_id);
    sqlite3_bind_int(st, 9, (int)l->kind);
    BIND_FIELD(st, 10, l->challenge);
    sqlite3_bind_int64(st, 11, l->challenge_at);
    BIND_FIELD(st, 12, l->session_hash);
    BIND_FIELD(st, 13, l->client_token_hash);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_LOGIN_INSERT, st);
    return ret;
}

static int login_get(struct sls_db *db, const char *id, struct sls_login_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_LOGIN_GET, "SELECT " LOGIN_COLS " FROM logins WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_LOGIN_GET, st, row_login, out);
}

static int login_update_cas(struct sls_db *db, const struct sls_login_rec *l, int expected_seq)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_LOGIN_CAS,
        "UPDATE logins SET state = ?1, device_id = ?2, kind = ?3, challenge = ?4, "
        "challenge_at = ?5, session_hash = ?6, seq = ?8 + 1 "
        "WHERE id = ?7 AND seq = ?8 AND state = 0");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int(st, 1, (int)l->state);
    BIND_FIELD(st, 2, l->device_id);
    sqlite3_bind_int(st, 3, (int)l->kind);
    BIND_FIELD(st, 4, l->challenge);
    sqlite3_bind_int64(st, 5, l->challenge_at);
    BIND_FIELD(st, 6, l->session_hash);
    BIND_FIELD(st, 7, l->id);
    sqlite3_bind_int(st, 8, expected_seq);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_LOGIN_CAS, st);
    return ret;
}

/* ---- sessions ---- */

#define SESSION_COLS                                                                               \
    "token_hash, user_id, platform, factor, device_id, access, auth_mode, paper, created_at, "     \
    "expires_at, revoked, verified_until, client_token_hash"

static int row_session(sqlite3_stmt *st, void *out)
{
    struct sls_session_rec *s = out;
    int platform, factor, access, mode;

    memset(s, 0, sizeof *s);
    COLUMN_FIELD(st, 0, s->token_hash);
    s->user_id = sqlite3_column_int64(st, 1);
    if (column_enum(st, 2, PLATFORM_COUNT, &platform) != SLS_OK ||
        column_enum(st, 3, SLS_DEVICE__COUNT, &factor) != SLS_OK ||
        column_enum(st, 5, ACCESS_COUNT, &access) != SLS_OK ||
        column_enum(st, 6, AUTH_COUNT, &mode) != SLS_OK)
        return SLS_ERR_STORE;
    s->platform = (enum sls_platform)platform;
    s->factor = (enum sls_device_type)factor;
    COLUMN_FIELD(st, 4, s->device_id);
    s->access = (enum sls_access)access;
    s->auth_mode = (enum sls_auth_mode)mode;
    s->paper = sqlite3_column_int(st, 7) != 0;
    s->created_at = sqlite3_column_int64(st, 8);
    s->expires_at = sqlite3_column_int64(st, 9);
    s->revoked = sqlite3_column_int(st, 10) != 0;
    s->verified_until = sqlite3_column_int64(st, 11);
    COLUMN_FIELD(st, 12, s->client_token_hash);
    return SLS_OK;
}

static int session_insert(struct sls_db *db, const struct sls_session_rec *s)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_SESSION_INSERT,
                            "INSERT INTO sessions(" SESSION_COLS
                            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, s->token_hash);
    sqlite3_bind_int64(st, 2, s->user_id);
    sqlite3_bind_int(st, 3, (int)s->platform);
    sqlite3_bind_int(st, 4, (int)s->factor);
    BIND_FIELD(st, 5, s->device_id);
    sqlite3_bind_int(st, 6, (int)s->access);
    sqlite3_bind_int(st, 7, (int)s->auth_mode);
    sqlite3_bind_int(st, 8, s->paper);
    sqlite3_bind_int64(st, 9, s->created_at);
    sqlite3_bind_int64(st, 10, s->expires_at);
    sqlite3_bind_int(st, 11, s->revoked);
    sqlite3_bind_int64(st, 12, s->verified_until);
    BIND_FIELD(st, 13, s->client_token_hash);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_SESSION_INSERT, st);
    return ret;
}

static int session_get(struct sls_db *db, const char *token_hash, struct sls_session_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SESSION_GET, "SELECT " SESSION_COLS " FROM sessions WHERE token_hash = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_SESSION_GET, st, row_session, out);
}

static int session_set_expiry(struct sls_db *db, const char *token_hash, sls_time expires_at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SESSION_SET_EXPIRY, "UPDATE sessions SET expires_at = ?1 WHERE token_hash = ?2");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, expires_at);
    sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SESSION_SET_EXPIRY, st);
    return ret;
}

static int session_revoke(struct sls_db *db, const char *token_hash)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SESSION_REVOKE,
                                           "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SESSION_REVOKE, st);
    return ret;
}

static int session_revoke_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SESSION_REVOKE_DEVICE,
                                           "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 "
                                           "AND device_id = ?2 AND revoked = 0");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_REVOKE_DEVICE, st);
    return ret;
}

static int session_extend_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    enum sls_platform platform, sls_time now, sls_time until,
                                    const char *except_hash, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SESSION_EXTEND_DEVICE,
        "UPDATE sessions SET expires_at = ?5 WHERE user_id = ?1 AND device_id = ?2 "
        "AND platform = ?3 AND revoked = 0 AND expires_at > ?4 AND expires_at < ?5 "
        "AND token_hash <> ?6");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)platform);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, until);
    sqlite3_bind_text(st, 6, except_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_EXTEND_DEVICE, st);
    return ret;
}

static int session_revoke_by_user(struct sls_db *db, int64_t user_id, const char *except_hash,
                                  size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SESSION_REVOKE_USER,
                                           "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 "
                                           "AND revoked = 0 AND token_hash <> ?2");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, except_hash ? except_hash : "", -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_REVOKE_USER, st);
    return ret;
}

static int session_set_verified(struct sls_db *db, const char *token_hash, sls_time until)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_SESSION_SET_VERIFIED,
                            "UPDATE sessions SET verified_until = ?1 WHERE token_hash = ?2");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, until);
    sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SESSION_SET_VERIFIED, st);
    return ret;
}

static int session_rebind(struct sls_db *db, const char *token_hash, enum sls_device_type factor,
                          const char *device_id, enum sls_access access)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SESSION_REBIND,
        "UPDATE sessions SET factor = ?1, device_id = ?2, access = ?3 WHERE token_hash = ?4");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int(st, 1, (int)factor);
    sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)access);
    sqlite3_bind_text(st, 4, token_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SESSION_REBIND, st);
    return ret;
}

const struct sls_db_ops sls_sqlite_ops = {
    .user_insert = user_insert,
    .user_get_by_name = user_get_by_name,
    .user_get_by_id = user_get_by_id,
    .user_get_by_account = user_get_by_account,
    .user_lockout_cas = user_lockout_cas,
    .user_set_account_state = user_set_account_state,
    .user_set_password = user_set_password,
    .device_insert = device_insert,
    .device_get = device_get,
    .device_list = device_list,
    .device_set_state = device_set_state,
    .device_set_pin = device_set_pin,
    .login_insert = login_insert,
    .login_get = login_get,
    .login_update_cas = login_update_cas,
    .session_insert = session_insert,
    .session_get = session_get,
    .session_set_expiry = session_set_expiry,
    .session_revoke = session_revoke,
    .session_revoke_by_device = session_revoke_by_device,
    .session_extend_by_device = session_extend_by_device,
    .session_revoke_by_user = session_revoke_by_user,
    .session_rebind = session_rebind,
    .session_set_verified = session_set_verified,
    .audit_append = sls_sqlite_audit_append,
    .audit_scan = sls_sqlite_audit_scan,
    .identity_insert = sls_sqlite_identity_insert,
    .identity_latest = sls_sqlite_identity_latest,
    .outbox_insert = sls_sqlite_outbox_insert,
    .outbox_list = sls_sqlite_outbox_list,
    .outbox_due = sls_sqlite_outbox_due,
    .outbox_purge = sls_sqlite_outbox_purge,
    .document_blob_put = sls_sqlite_document_blob_put,
    .document_blob_get = sls_sqlite_document_blob_get,
    .document_insert = sls_sqlite_document_insert,
    .document_get = sls_sqlite_document_get,
    .document_list = sls_sqlite_document_list,
    .document_rejection_insert = sls_sqlite_document_rejection_insert,
    .document_rejection_list = sls_sqlite_document_rejection_list,
    .user_set_phones = sls_sqlite_user_set_phones,
    .ibkey_key_put = sls_sqlite_ibkey_key_put,
    .ibkey_key_get = sls_sqlite_ibkey_key_get,
    .push_insert = sls_sqlite_push_insert,
    .push_get = sls_sqlite_push_get,
    .push_decide_cas = sls_sqlite_push_decide_cas,
    .push_list_for_key = sls_sqlite_push_list_for_key,
    .push_count_since = sls_sqlite_push_count_since,
    .signed_request_mark = sls_sqlite_signed_request_mark,
    .user_set_sls = sls_sqlite_user_set_sls,
    .user_set_email = sls_sqlite_user_set_email,
    .withdrawal_insert = sls_sqlite_withdrawal_insert,
    .withdrawal_sum = sls_sqlite_withdrawal_sum,
    .deposit_insert = sls_sqlite_deposit_insert,
    .deposit_sum_capped = sls_sqlite_deposit_sum_capped,
    .review_insert = sls_sqlite_review_insert,
    .review_get = sls_sqlite_review_get,
    .review_list = sls_sqlite_review_list,
    .review_decide = sls_sqlite_review_decide,
    .bank_put = sls_sqlite_bank_put,
    .bank_get = sls_sqlite_bank_get,
    .dsc_order_insert = sls_sqlite_dsc_order_insert,
    .dsc_order_get = sls_sqlite_dsc_order_get,
    .dsc_order_list = sls_sqlite_dsc_order_list,
    .sharing_insert = sls_sqlite_sharing_insert,
    .sharing_get = sls_sqlite_sharing_get,
    .sharing_get_open = sls_sqlite_sharing_get_open,
    .sharing_list = sls_sqlite_sharing_list,
    .sharing_update_cas = sls_sqlite_sharing_update_cas,
    .client_token_insert = sls_sqlite_client_token_insert,
    .client_token_get = sls_sqlite_client_token_get,
    .client_token_lockout_cas = sls_sqlite_client_token_lockout_cas,
    .client_token_delete = sls_sqlite_client_token_delete,
    .client_token_list_counted = sls_sqlite_client_token_list_counted,
    .client_token_unlock_user = sls_sqlite_client_token_unlock_user,
    .meta_get = sls_sqlite_meta_get,
    .meta_set = sls_sqlite_meta_set,
    .secret_put = sls_sqlite_secret_put,
    .secret_get = sls_sqlite_secret_get,
    .secret_fail_cas = sls_sqlite_secret_fail_cas,
    .secret_take = sls_sqlite_secret_take,
    .outbox_settle = sls_sqlite_outbox_settle,
    .dsc_order_update = sls_sqlite_dsc_order_update,
};
