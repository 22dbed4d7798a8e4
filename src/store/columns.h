/* Column tables: each record of the store described once, for every backend.
 *
 * A record (struct sls_user_rec, ...) is a table of columns: the column's
 * name in storage, its type, where it lives in the C struct (offsetof) and
 * how big it is there, and what the store may do with it (key, id assigned
 * by the store, which update writes it, version). A backend reads and writes
 * records through the table: it binds the columns to its statements, reads a
 * row back with every bound checked, and builds its SQL text from the names.
 * Nothing here knows SQL or a backend; sqlite_columns.c is the SQLite side.
 *
 * Checked bounds, never cut: a text that does not fit its field (capacity
 * counting the NUL), a blob longer than its capacity, an enum outside
 * 0..count-1 or a lockout state that does not decode is an error of the
 * store (SLS_ERR_STORE), both on the way in and on the way out. */
#ifndef SLS_STORE_COLUMNS_H
#define SLS_STORE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum sls_column_type {
    SLS_COL_INT64,   /* int64_t */
    SLS_COL_INT,     /* int */
    SLS_COL_BOOL,    /* bool, stored 0 or 1 */
    SLS_COL_ENUM,    /* a C enum (int-sized) with values 0..count-1 */
    SLS_COL_TIME,    /* sls_time, seconds */
    SLS_COL_TEXT,    /* char[cap], NUL-terminated, at most cap - 1 bytes */
    SLS_COL_BLOB,    /* uint8_t[cap] with its length in the size_t at len_offset */
    SLS_COL_LOCKOUT, /* struct sls_lockout_state, stored as sls_lockout_encode text */
};

/* What the store may do with a column. */
enum {
    SLS_COL_KEY = 1u << 0,       /* the record's key: updates find the row by it */
    SLS_COL_GENERATED = 1u << 1, /* assigned by the store on insert (not written) */
    SLS_COL_VERSION = 1u << 2,   /* compared by a versioned update, bumped by every update */
    SLS_COL_ONCE = 1u << 3,      /* an update writes it only while the stored value is 0 */
    SLS_COL_ZERO_NULL = 1u << 4, /* INT64: 0 is stored as NULL (an optional reference) */
};

struct sls_column {
    const char *name;
    enum sls_column_type type;
    size_t offset;     /* of the field in the record */
    size_t size;       /* sizeof the field: the capacity of TEXT and BLOB */
    size_t len_offset; /* BLOB: of its size_t length */
    int count;         /* ENUM: how many values */
    unsigned flags;    /* SLS_COL_* */
    unsigned group;    /* the update field flags that write it; 0: no update does */
};

struct sls_columns {
    const char *table; /* name of the table (or relation) in storage */
    size_t size;       /* sizeof the record */
    const struct sls_column *cols;
    size_t n;
};

/* The records of users, devices, logins, sessions, client tokens, push
 * requests, DSC+ orders, sharing requests, security reviews, banking
 * instructions, one-time secrets, the outbox's messages, withdrawals,
 * deposits, documents, refused documents and the token stock (store.h). */
extern const struct sls_columns sls_columns_user;
extern const struct sls_columns sls_columns_device;
extern const struct sls_columns sls_columns_login;
extern const struct sls_columns sls_columns_session;
extern const struct sls_columns sls_columns_client_token;
extern const struct sls_columns sls_columns_push;
extern const struct sls_columns sls_columns_dsc_order;
extern const struct sls_columns sls_columns_sharing;
extern const struct sls_columns sls_columns_review;
extern const struct sls_columns sls_columns_bank;
extern const struct sls_columns sls_columns_secret;
extern const struct sls_columns sls_columns_outbox;
extern const struct sls_columns sls_columns_withdrawal;
extern const struct sls_columns sls_columns_deposit;
extern const struct sls_columns sls_columns_document;
extern const struct sls_columns sls_columns_document_rejection;
extern const struct sls_columns sls_columns_stock;

/* The field groups of the records whose one update in store.h takes no set
 * of fields: each names what that update writes. */
enum {
    SLS_CLIENT_TOKEN_SET_LOCKOUT = 1u << 0, /* lockout (client_token_lockout_cas) */
    /* state, auth_mode, decided_at, wrong_number (push_decide_cas) */
    SLS_PUSH_SET_DECISION = 1u << 0,
    /* state, device_id, shipped_at, notices, settled_at (dsc_order_update) */
    SLS_DSC_ORDER_SET_PROGRESS = 1u << 0,
    /* state, decided_at, decided_by, inactivated (sharing_update_cas) */
    SLS_SHARING_SET_DECISION = 1u << 0,
    /* state, decided_by, decided_at (review_decide) */
    SLS_REVIEW_SET_DECISION = 1u << 0,
    /* state, next_attempt_at (the instant of the attempt), last_error: the
     * parameters of outbox_settle's own statement */
    SLS_OUTBOX_SET_SETTLE = 1u << 0,
    /* device_id, assigned_at (stock_assign) */
    SLS_STOCK_SET_ASSIGNED = 1u << 0,
};

/* Index of the column flagged `flag` (the first one), or -1. */
int sls_columns_find(const struct sls_columns *t, unsigned flag);

/* Checks a table against its struct: every field inside the record, sizes
 * matching their types, one key, at most one version, a length field for
 * each blob, a count for each enum. SLS_OK or SLS_ERR_STORE. */
int sls_columns_check(const struct sls_columns *t);

/* Whether the text of column col of rec fits its field (a NUL inside it). */
bool sls_columns_text_fits(const struct sls_column *col, const void *rec);

/* One field of a record read or written through its column, for every
 * backend (columns_fields.c). The setters check the column's bounds and
 * answer SLS_ERR_STORE, never cut: an int outside int32, an enum outside
 * 0..count-1, a text of n bytes that does not fit with its NUL or holds a
 * NUL. */
int64_t sls_columns_get_int64(const void *rec, const struct sls_column *col);
int sls_columns_get_int(const void *rec, const struct sls_column *col);
bool sls_columns_get_bool(const void *rec, const struct sls_column *col);
void sls_columns_set_int64(void *rec, const struct sls_column *col, int64_t v);
int sls_columns_set_int(void *rec, const struct sls_column *col, int64_t v);
void sls_columns_set_bool(void *rec, const struct sls_column *col, bool v);
int sls_columns_set_text(void *rec, const struct sls_column *col, const char *v, size_t n);
void sls_columns_set_blob_len(void *rec, const struct sls_column *col, size_t len);

/* When a device became active, as every backend keeps it; applied by the
 * backend to the copy of the record it writes. Inserted active with no
 * activated_at: activated_at = state_changed_at. Updated (update true):
 * activated_at = state_changed_at when the new state is active, else 0; the
 * column is SLS_COL_ONCE, so only the first activation is kept. */
void sls_columns_device_activation(struct sls_device_rec *d, bool update);

#define SLS_FIELD_SIZE(rec, field) sizeof(((rec *)0)->field)

/* Table entries. */
#define SLS_COL(rec, field, nm, ty, fl, gr)                                                        \
    {                                                                                              \
        .name = (nm), .type = (ty), .offset = offsetof(rec, field),                                \
        .size = SLS_FIELD_SIZE(rec, field), .flags = (fl), .group = (gr)                           \
    }
#define SLS_COL_ENUM_OF(rec, field, nm, cnt, fl, gr)                                               \
    {                                                                                              \
        .name = (nm), .type = SLS_COL_ENUM, .offset = offsetof(rec, field),                        \
        .size = SLS_FIELD_SIZE(rec, field), .count = (cnt), .flags = (fl), .group = (gr)           \
    }
#define SLS_COL_BLOB_OF(rec, field, len, nm, fl, gr)                                               \
    {                                                                                              \
        .name = (nm), .type = SLS_COL_BLOB, .offset = offsetof(rec, field),                        \
        .size = SLS_FIELD_SIZE(rec, field), .len_offset = offsetof(rec, len), .flags = (fl),       \
        .group = (gr)                                                                              \
    }

#endif
