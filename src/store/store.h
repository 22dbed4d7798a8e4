/* The store: every record sls keeps, behind one interface.
 *
 * A backend (SQLite now, PostgreSQL later) implements struct sls_db_ops for a
 * connection and struct sls_store_backend for opening and running work.
 * Callers never see SQL. All work happens inside a callback:
 *
 *   sls_store_read(store, fn, arg)   fn sees one consistent snapshot;
 *   sls_store_write(store, fn, arg)  fn runs as ONE atomic transaction: if fn
 *                                    returns non-zero nothing it did is kept
 *                                    and that value is returned; otherwise the
 *                                    change is durable when the call returns.
 *
 * The SQLite backend runs write callbacks on a single writer thread and
 * commits them in groups (group commit), each callback inside its own
 * savepoint. The PostgreSQL backend runs each in a SERIALIZABLE transaction
 * and runs it again from the start when PostgreSQL could not serialize it
 * (pg_store.c). So a write callback may run more than once: it must only
 * write its outputs (in arg, overwritten on each run), never act outside the
 * db (send, log an event, count) before the call returned. A callback must
 * be short, must not block on anything but the db, and must not call
 * sls_store_read/write itself. A primitive that failed ends the
 * transaction on PostgreSQL: the callback should return its error (going on
 * and returning SLS_OK answers SLS_ERR_STORE, nothing kept).
 *
 * Updates that race (lockout counters, single-use challenges) are
 * compare-and-swap: the update names the version or state it expects and
 * answers SLS_ERR_CONFLICT when someone else changed it first.
 *
 * Users, devices and sessions each have one update naming the field groups
 * it writes (SLS_USER_SET_*, ...): it never writes a field of a group it was
 * not given. Each record is described once as a table of columns shared by
 * every backend (columns.h).
 *
 * Primitives return SLS_OK, SLS_ERR_NOT_FOUND, SLS_ERR_CONFLICT (unique
 * key taken, or CAS lost), SLS_ERR_STORE_UNAVAILABLE (the store cannot write
 * or cannot be reached: full disk, I/O error, damaged file, lock held past
 * the timeout; worth retrying later) or SLS_ERR_STORE (any other failure).
 * The backend logs each of the last two where it happens, with its own
 * message and the operation. */
#ifndef SLS_STORE_STORE_H
#define SLS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/access.h"
#include "../core/audit.h"
#include "../core/device.h"
#include "../core/id.h"
#include "../core/sharing.h"
#include "../core/lockout.h"
#include "../core/push.h"
#include "../core/session_policy.h"
#include "../core/time.h"

#define SLS_BLOB_MAX 1024 /* sealed secrets, card cells */
/* A passkey's credential id in base64url without padding: 1023 bytes at most
 * (SLS_PASSKEY_MAX_CREDENTIAL_ID) take 1364 characters. */
#define SLS_PASSKEY_ID_MAX  1364
#define SLS_JSON_FIELD_MAX  2048 /* identity / phones stored as JSON text */
#define SLS_DEVICE_VIEW_MAX 64   /* device records a login or profile view reads */

struct sls_user_rec {
    int64_t id; /* assigned by user_insert */
    char username[33];
    char password_hash[128];
    char email[256];
    char account_id[16]; /* "U" + 7 digits */
    enum sls_account_state account_state;
    sls_time approved_at; /* 0 if never approved */
    int64_t equity_cents;
    bool primary;
    bool sls;         /* participates in SLS */
    int64_t paper_of; /* id of the live user this paper user belongs to; 0 if none */
    char identity_json[SLS_JSON_FIELD_MAX]; /* {"dob":..,...} or "" */
    char phones_json[SLS_JSON_FIELD_MAX];   /* [{"country":..,"number":..}] or "" */
    struct sls_lockout_state lockout;
    int64_t version; /* compared and bumped by every user_update */
    sls_time created_at;
};

/* The fields user_update writes, by group: it never writes a field of a
 * group it was not given. */
enum {
    SLS_USER_SET_LOCKOUT = 1u << 0,  /* lockout */
    SLS_USER_SET_STATE = 1u << 1,    /* account_state, approved_at */
    SLS_USER_SET_PASSWORD = 1u << 2, /* password_hash */
    SLS_USER_SET_SLS = 1u << 3,      /* sls */
    SLS_USER_SET_EMAIL = 1u << 4,    /* email */
    SLS_USER_SET_PHONES = 1u << 5,   /* phones_json */
};

struct sls_device_rec {
    char id[SLS_ID_LEN + 1];
    int64_t user_id;
    enum sls_device_type type;
    enum sls_device_state state;
    char label[64];
    char serial[64];
    uint8_t secret[SLS_BLOB_MAX]; /* sealed: OCRA key, card cells, passcode hash */
    size_t secret_len;
    uint8_t pin[128]; /* sealed PIN for dsc/dsc_plus; empty otherwise */
    size_t pin_len;
    sls_time created_at;
    sls_time state_changed_at; /* activation, shipment, loss ... */
    sls_time activated_at;     /* first time it became active; 0 if never */
    /* A TOTP device (SPEC §10.4): the last time step whose code it accepted,
     * 0 when none; moved only forward (device_totp_step_cas). */
    int64_t totp_step;
    /* A passkey (SPEC §10.5): its credential id as base64url without
     * padding (unique across all devices, "" on every other kind), the COSE
     * algorithm and raw public key (passkey_sig.h; public, not sealed), and
     * the authenticator's signature counter, moved only forward
     * (device_passkey_count_cas). */
    char passkey_id[SLS_PASSKEY_ID_MAX + 1];
    int passkey_alg;
    uint8_t passkey_key[64];
    size_t passkey_key_len;
    int64_t passkey_count;
};

/* The fields device_update writes, by group. */
enum {
    /* state and state_changed_at; the first write of the active state also
     * sets activated_at = state_changed_at (the store keeps activated_at). */
    SLS_DEVICE_SET_STATE = 1u << 0,
    SLS_DEVICE_SET_PIN = 1u << 1,       /* pin, pin_len (sealed PIN, pin_len <= sizeof pin) */
    SLS_DEVICE_SET_TOTP_STEP = 1u << 2, /* totp_step (device_totp_step_cas only) */
    /* passkey_count (device_passkey_count_cas only) */
    SLS_DEVICE_SET_PASSKEY_COUNT = 1u << 3,
};

enum sls_login_state {
    SLS_LOGIN_PENDING = 0, /* waiting for the second factor */
    SLS_LOGIN_AUTHENTICATED,
    SLS_LOGIN_FAILED,
    SLS_LOGIN_DENIED,
    SLS_LOGIN__COUNT
};

struct sls_login_rec {
    char id[SLS_ID_LEN + 1];
    int64_t user_id;
    enum sls_platform platform;
    bool paper;
    sls_time created_at;
    enum sls_login_state state;
    int seq; /* bumped by every change; the CAS token */
    char device_id[SLS_ID_LEN + 1];
    enum sls_challenge_kind kind;
    char challenge[64]; /* "123456", "12,47", push id, "" */
    sls_time challenge_at;
    char session_hash[65]; /* set when authenticated (push polling) */
    /* SPEC §10.3 [lockout] mode client: the SHA-256 hex of the valid client
     * token presented at stage 1, whose counter stage 2 counts against; ""
     * for the user's counter (the account, or unknown clients). */
    char client_token_hash[65];
};

/* SPEC §10.3 [lockout] mode client: a client token, issued with a session,
 * bound to one user, with its own R8 counter. Only its hash is stored. */
struct sls_client_token_rec {
    char token_hash[65];     /* SHA-256 hex of the token */
    char id[SLS_ID_LEN + 1]; /* random, names it to the service desk */
    int64_t user_id;
    sls_time created_at;
    sls_time expires_at; /* valid while now < expires_at */
    struct sls_lockout_state lockout;
    int64_t lock_version; /* bumped by every client_token_lockout_cas */
};

struct sls_session_rec {
    char token_hash[65]; /* SHA-256 hex of the bearer token */
    int64_t user_id;
    enum sls_platform platform;
    enum sls_device_type factor; /* SLS_DEVICE_NONE for no second factor */
    char device_id[SLS_ID_LEN + 1];
    enum sls_access access;
    enum sls_auth_mode auth_mode;
    bool paper;
    sls_time created_at;
    sls_time expires_at;
    bool revoked;
    sls_time verified_until; /* R34: step-up verified until then (0: never) */
    /* §10.3 [lockout] mode client: the SHA-256 hex of the client token issued
     * with this session, whose counter its own checks count against; "" none. */
    char client_token_hash[65];
};

/* The fields session_update writes, by group. */
enum {
    SLS_SESSION_SET_EXPIRY = 1u << 0,   /* expires_at */
    SLS_SESSION_SET_REVOKED = 1u << 1,  /* revoked */
    SLS_SESSION_SET_VERIFIED = 1u << 2, /* verified_until (R34 step-up) */
    SLS_SESSION_SET_FACTOR = 1u << 3,   /* factor, device_id, access (R28 rebinding) */
};

/* Where a message of the outbox stands in its delivery (SPEC §9). */
enum sls_outbox_state {
    SLS_OUTBOX_PENDING = 0, /* to be tried at next_attempt_at */
    SLS_OUTBOX_DELIVERED,   /* the receiver took it */
    SLS_OUTBOX_FAILED,      /* given up after the last allowed attempt */
    SLS_OUTBOX__COUNT
};

struct sls_outbox_rec {
    int64_t id;
    char to[256];
    char channel[16]; /* "sms", "voice", "email", "push" */
    char body[1024];
    char code[32]; /* the code the message carries, or "" */
    char kind[40]; /* what it is, e.g. "code.login", "notice.password_changed" */
    sls_time at;
    /* Delivery: set by the store, ignored by outbox_insert (a new message is
     * PENDING with no attempts and due at once). */
    enum sls_outbox_state state;
    int attempts;             /* attempts made, successful or not */
    sls_time next_attempt_at; /* PENDING: not tried before this instant */
    sls_time done_at;         /* DELIVERED or FAILED: when; 0 while PENDING */
    char last_error[256];     /* why the last attempt failed, or "" */
};

/* R20: a request the mobile authenticator approves or denies. */
struct sls_push_rec {
    char id[SLS_ID_LEN + 1];
    enum sls_push_purpose purpose;
    char subject[SLS_ID_LEN + 1]; /* what it is for: the login id (purpose login) */
    int64_t user_id;
    char device_id[SLS_ID_LEN + 1]; /* the ibkey device the push went to */
    enum sls_platform platform;
    char challenge[16]; /* shown by the app and signed with the decision */
    enum sls_push_state state;
    enum sls_auth_mode auth_mode; /* how the app unlocked the approval */
    sls_time created_at;
    sls_time expires_at;
    sls_time decided_at; /* 0 while pending */
    int number;          /* §10.3: the number to type into the app (10-99), 0: none */
    bool wrong_number;   /* denied because a wrong number was typed (counted, R8) */
};

/* R50: one document received by e-mail; its bytes are a blob keyed by sha256. */
struct sls_document_rec {
    int64_t id; /* assigned by document_insert */
    int64_t user_id;
    char purpose[8]; /* "PoRes" or "PID" */
    char sender[256];
    sls_time received_at;
    char sha256[65];         /* hex of the bytes: the key of the blob */
    char detected_type[32];  /* "image/jpeg", from the bytes */
    char declared_type[128]; /* the part's Content-Type as sent */
    char filename[256];
    int64_t size;
};

/* R50: a message refused, with the reason a reply can give. */
struct sls_document_rejection_rec {
    int64_t id; /* assigned by document_rejection_insert */
    sls_time received_at;
    char sender[256];
    char subject[512];
    char reason[32]; /* "wrong_address", ... */
    char message[512];
    char username[33]; /* the user the subject named, "" when none */
};

/* R33: one withdrawal, counted for a business day (a day number, see
 * core/business_days.h). Limits are per user: they follow the user's device. */
struct sls_withdrawal_rec {
    int64_t id; /* assigned by withdrawal_insert */
    int64_t user_id;
    int64_t amount_cents;
    sls_time at;
    int64_t business_day;
};

/* R31: one deposit; `capped` when it counts toward the cap outside SLS (ACH, EFT). */
struct sls_deposit_rec {
    int64_t id; /* assigned by deposit_insert */
    int64_t user_id;
    int64_t amount_cents;
    char method[8]; /* "ach", "eft", "wire" */
    bool capped;
    sls_time at;
};

/* R4: where a change waiting for security review stands. */
enum sls_review_state {
    SLS_REVIEW_PENDING = 0,
    SLS_REVIEW_APPROVED,
    SLS_REVIEW_DENIED,
    SLS_REVIEW__COUNT
};

/* R4, R31: an e-mail or banking change by a user outside SLS, waiting for an
 * agent. payload is JSON safe to show (no full account number); secret holds
 * what must not be shown, sealed (the account number of a bank change). */
struct sls_review_rec {
    int64_t id; /* assigned by review_insert */
    int64_t user_id;
    char kind[16]; /* "email", "bank" */
    char payload[1024];
    uint8_t secret[256];
    size_t secret_len;
    enum sls_review_state state;
    char decided_by[80]; /* "agent:<name>", "" while pending */
    sls_time created_at;
    sls_time decided_at; /* 0 while pending */
};

/* R4: the banking instructions of a user; the account number sealed. */
struct sls_bank_rec {
    int64_t user_id;
    char bank_name[128];
    char routing_number[16];
    char account_last4[8];
    uint8_t account_sealed[256];
    size_t account_sealed_len;
    sls_time updated_at;
};

/* R21: where a DSC+ order stands. Once shipped, the card's own state (shipped,
 * active, lost, returned) tells the rest; the order is settled when the card
 * left the shipped state, by the user's activation or by auto-activation. */
enum sls_dsc_order_state {
    SLS_DSC_ORDER_ORDERED = 0, /* waiting for the desk to ship it */
    SLS_DSC_ORDER_SHIPPED,     /* card out, waiting for activation */
    SLS_DSC_ORDER_SETTLED,     /* the card left the shipped state */
    SLS_DSC_ORDER__COUNT
};

/* R21: one DSC+ order. */
struct sls_dsc_order_rec {
    char id[SLS_ID_LEN + 1];
    int64_t user_id;
    enum sls_dsc_order_state state;
    char address[512];        /* shipping address */
    char deposit_account[16]; /* account holding the deposit, "U" + 7 digits */
    int64_t hold_cents;
    uint8_t pin[128]; /* sealed PIN chosen with the order, copied to the card at shipment */
    size_t pin_len;
    sls_time ordered_at;
    sls_time estimated_ship_at;
    char device_id[SLS_ID_LEN + 1]; /* the card, once shipped; "" before */
    sls_time shipped_at;            /* 0 before */
    unsigned notices;               /* sls_dsc_plus_notice bits already sent */
    sls_time settled_at;            /* 0 while not settled */
};

#define SLS_SHARING_INACTIVATED_MAX (SLS_DEVICE_VIEW_MAX * (SLS_ID_LEN + 1))

/* R32: one request to share another user's device. */
struct sls_sharing_rec {
    char id[SLS_ID_LEN + 1];
    int64_t requester_id;
    int64_t owner_id;
    char device_id[SLS_ID_LEN + 1]; /* the owner's device shared */
    enum sls_sharing_state state;
    sls_time created_at;
    sls_time decided_at; /* approval, denial or cancellation; 0 before */
    char decided_by[80]; /* "agent:<name>", "user:<name>" or "" */
    /* ids of the requester's devices made inactive by this sharing, separated
     * by spaces: exactly those come back when it is cancelled */
    char inactivated[SLS_SHARING_INACTIVATED_MAX];
};

/* A one-time secret, one per key: the key names what it is for and whom
 * (the schemes are the server's, server/flows/secret_key.h). It holds a
 * device challenge waiting for its answer (R27 card activation, R28
 * reactivation, R34 step-up, R3 reset, ...), a sealed code sent to the user
 * (R20, R25, R30 by SMS or voice, R4 by e-mail, R3/R29 password reset), or
 * both (an SMS device's challenge is its code). Used once: taking it deletes
 * it. */
struct sls_secret_rec {
    char key[128];
    int64_t user_id;
    char device_id[SLS_ID_LEN + 1]; /* the device challenged; "" when no challenge */
    enum sls_challenge_kind kind;   /* of the challenge (with device_id) */
    char challenge[64];             /* as in a login: "123456", "12,47", a push id, "sms" */
    uint8_t code[128];              /* sealed code (or sealed digest); code_len 0: none */
    size_t code_len;
    char data[512];     /* what the code confirms, e.g. the phone as JSON */
    char issued_by[80]; /* a reset code: "agent:<name>" or "user"; else "" */
    sls_time issued_at;
    sls_time expires_at; /* the code's end; 0 for a challenge alone (its TTL is the kind's) */
    int attempts;        /* wrong codes so far */
};

/* SPEC §10.4 token stock: one token a vendor delivered in a PSKC file,
 * kept until a device registration names its serial. */
enum sls_stock_algorithm {
    SLS_STOCK_HOTP = 0, /* RFC 4226 event-based codes */
    SLS_STOCK_TOTP,     /* RFC 6238 time-based codes */
    SLS_STOCK_OCRA,     /* RFC 6287 challenge/response */
    SLS_STOCK__COUNT
};

#define SLS_STOCK_SECRET_MAX 256 /* a sealed key of up to 64 bytes */

struct sls_stock_rec {
    char serial[64]; /* the vendor's serial number, unique */
    enum sls_stock_algorithm algorithm;
    char suite[64];                       /* OCRA: the suite; "" otherwise */
    int digits;                           /* digits of a code or response */
    int64_t counter;                      /* HOTP: the moving factor at delivery */
    int64_t period;                       /* TOTP: seconds per step */
    uint8_t secret[SLS_STOCK_SECRET_MAX]; /* sealed with the master key */
    size_t secret_len;
    sls_time imported_at;
    char device_id[SLS_ID_LEN + 1]; /* the device that took it; "" while in stock */
    sls_time assigned_at;           /* when it was taken; 0 while in stock */
};

struct sls_db;

struct sls_db_ops {
    int (*user_insert)(struct sls_db *db, struct sls_user_rec *u);
    int (*user_get_by_name)(struct sls_db *db, const char *username, struct sls_user_rec *out);
    int (*user_get_by_id)(struct sls_db *db, int64_t id, struct sls_user_rec *out);
    /* The primary live (not paper) user of account_id; NOT_FOUND if none. */
    int (*user_get_by_account)(struct sls_db *db, const char *account_id, struct sls_user_rec *out);

    /* An active device inserted with activated_at 0 gets state_changed_at. */
    int (*device_insert)(struct sls_db *db, const struct sls_device_rec *d);
    int (*device_get)(struct sls_db *db, const char *id, struct sls_device_rec *out);
    /* Devices of a user, oldest first, at most max; *n is how many were written. */
    int (*device_list)(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                       size_t *n);

    int (*login_insert)(struct sls_db *db, const struct sls_login_rec *l);
    int (*login_get)(struct sls_db *db, const char *id, struct sls_login_rec *out);
    /* CAS: when the stored login has seq == expected_seq and state PENDING,
     * writes every mutable field of `l` (state, device_id, kind, challenge,
     * challenge_at, session_hash) and sets seq = expected_seq + 1.
     * SLS_ERR_CONFLICT otherwise (already used, changed, or missing). */
    int (*login_update_cas)(struct sls_db *db, const struct sls_login_rec *l, int expected_seq);

    int (*session_insert)(struct sls_db *db, const struct sls_session_rec *s);
    int (*session_get)(struct sls_db *db, const char *token_hash, struct sls_session_rec *out);
    /* Revokes every session of user_id opened with device device_id that is
     * not revoked yet; *n is how many were (0 is not an error). */
    int (*session_revoke_by_device)(struct sls_db *db, int64_t user_id, const char *device_id,
                                    size_t *n);
    /* Revokes every live session of user_id except the one with except_hash
     * (NULL: none spared); *n is how many were. */
    int (*session_revoke_by_user)(struct sls_db *db, int64_t user_id, const char *except_hash,
                                  size_t *n);
    /* R10 re-authentication: sets expires_at to `until` on every session of
     * user_id opened with device_id on `platform` that is not revoked, still
     * valid at now (now < expires_at) and would end before until, except the
     * one with except_hash; *n is how many were (0 is not an error). The
     * same verdict as sls_session_expiry_reauth, in one statement. */
    int (*session_extend_by_device)(struct sls_db *db, int64_t user_id, const char *device_id,
                                    enum sls_platform platform, sls_time now, sls_time until,
                                    const char *except_hash, size_t *n);

    /* Appends r: assigns seq, prev_hash and hash (SHA-256 over prev_hash and
     * sls_audit_canonical) and writes them back into *r. */
    int (*audit_append)(struct sls_db *db, struct sls_audit_rec *r);
    /* Calls cb for each record in seq order with seq > after_seq, filtered by
     * username (NULL: all) and at >= since (0: all), at most limit (0: no
     * limit). A non-zero return from cb stops the walk and is returned. */
    int (*audit_scan)(struct sls_db *db, int64_t after_seq, const char *username, sls_time since,
                      size_t limit, int (*cb)(const struct sls_audit_rec *r, void *arg), void *arg);

    int (*identity_insert)(struct sls_db *db, const char *agent, int64_t user_id,
                           const char *channel, sls_time at);
    /* Time of the latest verification of user_id by agent; NOT_FOUND if none. */
    int (*identity_latest)(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at);

    int (*outbox_insert)(struct sls_db *db, struct sls_outbox_rec *m);
    /* Messages, oldest first, filtered by `to` (NULL: all), at most max. */
    int (*outbox_list)(struct sls_db *db, const char *to, struct sls_outbox_rec *out, size_t max,
                       size_t *n);
    /* PENDING messages with next_attempt_at <= now, the earliest due first
     * (then by id), at most max; *n is how many were written. */
    int (*outbox_due)(struct sls_db *db, sls_time now, struct sls_outbox_rec *out, size_t max,
                      size_t *n);
    /* SPEC §10.3: delivered and failed messages keep only id, kind, channel,
     * the masked recipient (core/notice.h) and times; their body and code
     * are erased by the statement that settles them. outbox_purge deletes
     * the settled messages with done_at <= cutoff; *n is how many. */
    int (*outbox_purge)(struct sls_db *db, sls_time cutoff, size_t *n);

    /* Stores len bytes under sha256 (64 hex chars) once: putting a hash that
     * is already stored changes nothing and answers SLS_OK. */
    int (*document_blob_put)(struct sls_db *db, const char *sha256, const uint8_t *data,
                             size_t len);
    /* The bytes stored under sha256 in a malloc'd buffer (*data, *len) that
     * the caller frees; NOT_FOUND if absent. */
    int (*document_blob_get)(struct sls_db *db, const char *sha256, uint8_t **data, size_t *len);
    /* Inserts d and assigns d->id; its blob must be stored (NOT_FOUND
     * otherwise), as must its user. */
    int (*document_insert)(struct sls_db *db, struct sls_document_rec *d);
    int (*document_get)(struct sls_db *db, int64_t id, struct sls_document_rec *out);
    /* Documents of user_id, oldest first, at most max; *n is how many. */
    int (*document_list)(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                         size_t max, size_t *n);
    /* Inserts r and assigns r->id. */
    int (*document_rejection_insert)(struct sls_db *db, struct sls_document_rejection_rec *r);
    /* The newest rejections first, at most max; *n is how many. */
    int (*document_rejection_list)(struct sls_db *db, struct sls_document_rejection_rec *out,
                                   size_t max, size_t *n);

    /* The Ed25519 public key and approval mode (an sls_auth_mode) of an ibkey device. */
    int (*ibkey_key_put)(struct sls_db *db, const char *device_id, const uint8_t public_key[32],
                         int mode);
    int (*ibkey_key_get)(struct sls_db *db, const char *device_id, uint8_t public_key[32],
                         int *mode);
    int (*push_insert)(struct sls_db *db, const struct sls_push_rec *p);
    int (*push_get)(struct sls_db *db, const char *id, struct sls_push_rec *out);
    /* CAS on the state: decides push id while it is PENDING, writing state,
     * auth_mode, wrong_number (true only with SLS_PUSH_DENIED: denied
     * because a wrong number was typed, §10.3) and decided_at = at;
     * SLS_ERR_CONFLICT when it is decided already or missing. A row lock
     * backend: UPDATE ... WHERE id = $1 AND state = PENDING, one row or
     * conflict. */
    int (*push_decide_cas)(struct sls_db *db, const char *id, enum sls_push_state state,
                           enum sls_auth_mode auth_mode, bool wrong_number, sls_time at);
    /* PENDING pushes with expires_at >= now sent to any device holding
     * public_key, oldest first, at most max. */
    int (*push_list_for_key)(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                             struct sls_push_rec *out, size_t max, size_t *n);
    /* How many pushes of user_id were created at or after since. */
    int (*push_count_since)(struct sls_db *db, int64_t user_id, sls_time since, size_t *n);
    /* Records that a signed request (device, timestamp, signature) was used,
     * forgetting those with ts < prune_before; SLS_ERR_CONFLICT when it was
     * used already (a replay). */
    int (*signed_request_mark)(struct sls_db *db, const char *device_id, sls_time ts,
                               const char *signature, sls_time prune_before);

    /* R33: inserts w and assigns w->id. */
    int (*withdrawal_insert)(struct sls_db *db, struct sls_withdrawal_rec *w);
    /* R33: the sum of user_id's withdrawals counted for business days
     * from_day..to_day (inclusive); 0 when none. */
    int (*withdrawal_sum)(struct sls_db *db, int64_t user_id, int64_t from_day, int64_t to_day,
                          int64_t *sum);
    /* R31: inserts d and assigns d->id. */
    int (*deposit_insert)(struct sls_db *db, struct sls_deposit_rec *d);
    /* R31: the sum of user_id's capped deposits (ACH, EFT); 0 when none. */
    int (*deposit_sum_capped)(struct sls_db *db, int64_t user_id, int64_t *sum);

    /* R4: inserts r (state pending) and assigns r->id. */
    int (*review_insert)(struct sls_db *db, struct sls_review_rec *r);
    int (*review_get)(struct sls_db *db, int64_t id, struct sls_review_rec *out);
    /* Reviews of user_id (0: every user) in `state` (-1: any), by id,
     * oldest first or newest_first, at most max (the first max in that
     * order); *n is how many were written. */
    int (*review_list)(struct sls_db *db, int64_t user_id, int state, bool newest_first,
                       struct sls_review_rec *out, size_t max, size_t *n);
    /* CAS: pending -> state (approved or denied) by `by` at `at`; NOT_FOUND
     * for an unknown id, CONFLICT when already decided. */
    int (*review_decide)(struct sls_db *db, int64_t id, enum sls_review_state state, const char *by,
                         sls_time at);

    /* R4: writes b, replacing the user's previous banking instructions. */
    int (*bank_put)(struct sls_db *db, const struct sls_bank_rec *b);
    int (*bank_get)(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out);

    /* R21 DSC+ orders. */
    int (*dsc_order_insert)(struct sls_db *db, const struct sls_dsc_order_rec *o);
    int (*dsc_order_get)(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out);
    /* Orders, oldest first, of user_id (0: every user) in `state` (-1: any),
     * at most max; *n is how many were written. */
    int (*dsc_order_list)(struct sls_db *db, int64_t user_id, int state,
                          struct sls_dsc_order_rec *out, size_t max, size_t *n);

    /* R32 sharing requests. At most one request per requester is open
     * (pending or active): a second insert answers CONFLICT. */
    int (*sharing_insert)(struct sls_db *db, const struct sls_sharing_rec *r);
    int (*sharing_get)(struct sls_db *db, const char *id, struct sls_sharing_rec *out);
    /* The open (pending or active) request of requester_id; NOT_FOUND if none. */
    int (*sharing_get_open)(struct sls_db *db, int64_t requester_id, struct sls_sharing_rec *out);
    /* Requests, oldest first, in `state` (-1: any) sharing device_id (NULL:
     * any), at most max. */
    int (*sharing_list)(struct sls_db *db, int state, const char *device_id,
                        struct sls_sharing_rec *out, size_t max, size_t *n);
    /* CAS: when request r->id is in expected, writes r's state, decided_at,
     * decided_by and inactivated; CONFLICT otherwise. */
    int (*sharing_update_cas)(struct sls_db *db, const struct sls_sharing_rec *r,
                              enum sls_sharing_state expected);

    /* SPEC §10.3 client tokens. Inserts t, first forgetting the tokens of
     * t->user_id that expired at or before t->created_at. */
    int (*client_token_insert)(struct sls_db *db, const struct sls_client_token_rec *t);
    int (*client_token_get)(struct sls_db *db, const char *token_hash,
                            struct sls_client_token_rec *out);
    /* CAS on lock_version: writes `next` and bumps the version when the stored
     * version equals expected_version; SLS_ERR_CONFLICT otherwise. */
    int (*client_token_lockout_cas)(struct sls_db *db, const char *token_hash,
                                    int64_t expected_version, const struct sls_lockout_state *next);
    /* Deletes a token; NOT_FOUND when there is none. */
    int (*client_token_delete)(struct sls_db *db, const char *token_hash);
    /* Tokens of user_id not expired at now that hold failures or a lock,
     * newest first, at most max; *n is how many were written. */
    int (*client_token_list_counted)(struct sls_db *db, int64_t user_id, sls_time now,
                                     struct sls_client_token_rec *out, size_t max, size_t *n);
    /* Clears the failures and lock of every token of user_id (bumping each
     * changed version); *n is how many were cleared. */
    int (*client_token_unlock_user)(struct sls_db *db, int64_t user_id, size_t *n);

    /* Small named values (e.g. "schema_version"). */
    int (*meta_get)(struct sls_db *db, const char *key, char *out, size_t outlen);
    int (*meta_set)(struct sls_db *db, const char *key, const char *value);

    /* One-time secrets, by key. secret_put writes s, replacing the secret
     * with the same key whole (attempts as given). */
    int (*secret_put)(struct sls_db *db, const struct sls_secret_rec *s);
    int (*secret_get)(struct sls_db *db, const char *key, struct sls_secret_rec *out);
    /* CAS on attempts: attempts + 1 when the stored attempts equal
     * expected_attempts; SLS_ERR_CONFLICT otherwise, also when there is no
     * secret under key (a racing request counted or took it first). A row
     * lock backend: UPDATE ... SET attempts = attempts + 1 WHERE key = $1
     * AND attempts = $2, one row changed or conflict. */
    int (*secret_fail_cas)(struct sls_db *db, const char *key, int expected_attempts);
    /* Deletes the secret of key: SLS_OK when this call deleted it,
     * SLS_ERR_NOT_FOUND when there was none, so of two requests taking one
     * secret only one succeeds (a DELETE that must change one row). Nothing
     * is compared: a caller that must take exactly what it checked reads it
     * first in the same transaction. */
    int (*secret_take)(struct sls_db *db, const char *key);

    /* SPEC §9: how one attempt at message id ended. A CAS on the attempt
     * count: applies only while the message is PENDING with attempts ==
     * expected_attempts, sets attempts = expected_attempts + 1, and answers
     * SLS_ERR_CONFLICT otherwise (unknown id, settled, or tried by someone
     * else meanwhile). `state` is where it goes: PENDING (retry) due again
     * at `at`; DELIVERED or FAILED (never tried again) settled at `at`
     * (done_at), its body and code erased and its recipient masked
     * (core/notice.h) in the same write. error (NULL: "", cut to fit
     * last_error) says why the attempt failed. A row lock backend: one
     * UPDATE ... WHERE id = $1 AND state = PENDING AND attempts = $2. */
    int (*outbox_settle)(struct sls_db *db, int64_t id, int expected_attempts,
                         enum sls_outbox_state state, sls_time at, const char *error);
    /* SPEC §10.1: takes message id for one attempt, so that of several
     * deliverers (nodes) only one sends it. A CAS: applies only while the
     * message is PENDING with attempts == expected_attempts and due
     * (next_attempt_at <= now), and then sets next_attempt_at = lease_until
     * and nothing else, so no other deliverer sees it due before the lease
     * ends; SLS_ERR_CONFLICT otherwise (taken, tried or settled by someone
     * else, or unknown). The claimer then sends and settles it with
     * outbox_settle(id, expected_attempts, ...). A claimer that dies before
     * settling leaves it due again at lease_until: at least once on a crash,
     * never twice without one (the lease must outlast a send). A row lock
     * backend: UPDATE outbox SET next_attempt_at = $4 WHERE id = $1 AND
     * state = PENDING AND attempts = $2 AND next_attempt_at <= $3, one row
     * changed or conflict. */
    int (*outbox_claim)(struct sls_db *db, int64_t id, int expected_attempts, sls_time now,
                        sls_time lease_until);
    /* Gives back a claim whose attempt was abandoned before it ended (the
     * node is stopping): when message id is still PENDING with attempts ==
     * expected_attempts and next_attempt_at == lease_until (the claim this
     * caller took), makes it due at `at`; SLS_ERR_CONFLICT otherwise. A row
     * lock backend: UPDATE outbox SET next_attempt_at = $4 WHERE id = $1 AND
     * state = PENDING AND attempts = $2 AND next_attempt_at = $3. */
    int (*outbox_release)(struct sls_db *db, int64_t id, int expected_attempts,
                          sls_time lease_until, sls_time at);

    /* R21: writes the mutable fields of order o (state, device_id,
     * shipped_at, notices, settled_at) when the stored order o->id is still
     * in expected_state with expected_notices, i.e. unchanged since the
     * caller read it; SLS_ERR_CONFLICT otherwise (missing, or shipped,
     * settled or notified by someone else meanwhile). Which moves are
     * allowed is the caller's (core/dsc_plus.h): shipping (ORDERED ->
     * SHIPPED with the card and shipped_at), recording notices sent, and
     * settling (SHIPPED -> SETTLED with settled_at). A row lock backend:
     * UPDATE ... WHERE id = $1 AND state = $2 AND notices = $3. */
    int (*dsc_order_update)(struct sls_db *db, const struct sls_dsc_order_rec *o,
                            enum sls_dsc_order_state expected_state, unsigned expected_notices);
    /* The one update of a user. Compare-and-swap on the user's version:
     * when the row of u->id has version == expected_version, writes the
     * fields of the groups in `fields` (SLS_USER_SET_*) from u, and only
     * those, and sets version = expected_version + 1; u->version is not
     * read. SLS_ERR_NOT_FOUND when there is no user u->id, SLS_ERR_CONFLICT
     * when its version differs (someone else changed it since it was read).
     * Callers read the user in the same write transaction and pass the
     * version they read. With row locks: lock the row (SELECT ... FOR
     * UPDATE), compare, write, bump. */
    int (*user_update)(struct sls_db *db, const struct sls_user_rec *u, unsigned fields,
                       int64_t expected_version);
    /* The one update of a device: writes the fields of the groups in `fields`
     * (SLS_DEVICE_SET_*) from d to the device d->id, and only those. With
     * SLS_DEVICE_SET_STATE, activated_at becomes d->state_changed_at when d is
     * active and the stored activated_at is 0 (the first activation), and is
     * kept otherwise; d->activated_at is not read. Not versioned: the last
     * write wins. SLS_ERR_NOT_FOUND when there is no device d->id. */
    int (*device_update)(struct sls_db *db, const struct sls_device_rec *d, unsigned fields);
    /* The one update of a session: writes the fields of the groups in
     * `fields` (SLS_SESSION_SET_*) from s to the session s->token_hash, and
     * only those. Not versioned: the last write wins (revoking sets revoked
     * from s, so pass s->revoked = true). SLS_ERR_NOT_FOUND when there is no
     * session s->token_hash. */
    int (*session_update)(struct sls_db *db, const struct sls_session_rec *s, unsigned fields);
    /* SPEC §10.4: each TOTP step accepted once. Moves the device's totp_step
     * to `step` when the stored one is smaller, in one statement: SLS_OK when
     * this call moved it, SLS_ERR_CONFLICT when the stored step is already
     * >= step (the code of that step, or of a later one, was accepted first:
     * of two racing calls with one step only one succeeds) or there is no
     * device device_id. UPDATE devices SET totp_step = $2 WHERE id = $1 AND
     * totp_step < $2, which must change one row. */
    int (*device_totp_step_cas)(struct sls_db *db, const char *device_id, int64_t step);
    /* SPEC §10.5: the device whose passkey_id is `passkey_id` (of any user),
     * into out; SLS_ERR_NOT_FOUND when none (or passkey_id is ""). A
     * credential id is registered once: device_insert of a second device
     * with the same non-empty passkey_id answers SLS_ERR_CONFLICT. */
    int (*device_by_passkey)(struct sls_db *db, const char *passkey_id, struct sls_device_rec *out);
    /* SPEC §10.5: a passkey's signature counter moves only forward. Moves
     * the device's passkey_count to `count` when the stored one is smaller,
     * in one statement: SLS_OK when this call moved it, SLS_ERR_CONFLICT when
     * the stored counter is already >= count or there is no device
     * device_id (of two racing calls with one counter only one succeeds). */
    int (*device_passkey_count_cas)(struct sls_db *db, const char *device_id, int64_t count);
    /* SPEC §10.4 token stock. Inserts t; SLS_ERR_CONFLICT (and nothing
     * written, the transaction still usable) when its serial is in stock
     * already or is the serial of a registered device. */
    int (*stock_insert)(struct sls_db *db, const struct sls_stock_rec *t);
    int (*stock_get)(struct sls_db *db, const char *serial, struct sls_stock_rec *out);
    /* CAS: marks the token `serial` taken by device_id at `at` while it is
     * still in stock; SLS_ERR_CONFLICT when it is taken already or there is
     * none, so of racing registrations only one takes it. A row lock
     * backend: UPDATE ... WHERE serial = $1 AND device_id = '', one row. */
    int (*stock_assign)(struct sls_db *db, const char *serial, const char *device_id, sls_time at);
    /* Tokens by serial, at most max, those with a serial > after (NULL or
     * "": from the first); *n is how many were written. */
    int (*stock_list)(struct sls_db *db, const char *after, struct sls_stock_rec *out, size_t max,
                      size_t *n);
    /* How many tokens are stored, and how many of them are assigned. */
    int (*stock_count)(struct sls_db *db, int64_t *total, int64_t *assigned);
};

struct sls_db {
    const struct sls_db_ops *ops;
};

typedef int (*sls_store_fn)(struct sls_db *db, void *arg);

struct sls_store;

/* How a store is opened. */
struct sls_store_options {
    /* An existing empty file (0 bytes) is refused unless this is set; it
     * then becomes a new store. A file that is a database of something else
     * is always refused. A missing file is always created. */
    bool init_empty;
    /* Largest size of the store in bytes, 0 for no cap. Past it, writes
     * answer SLS_ERR_STORE_UNAVAILABLE as on a full disk. (SQLite) */
    int64_t max_size;
    /* Most connections open at once, 0 for the default (8). (PostgreSQL) */
    int pool;
    /* Seconds: to connect, for one statement or lock wait, and for a free
     * connection; past it the call answers SLS_ERR_STORE_UNAVAILABLE. 0 for
     * the default (2, SPEC §10.1). (PostgreSQL) */
    int timeout;
};

struct sls_store_backend {
    const char *scheme; /* "sqlite", "postgresql" */
    /* open() gets the whole URL (a libpq connection URL), not what follows
     * the scheme. */
    bool whole_url;
    int (*open)(const char *location, const struct sls_store_options *opts, struct sls_store **out,
                char *why, size_t whylen);
    void (*close)(struct sls_store *s);
    int (*read)(struct sls_store *s, sls_store_fn fn, void *arg);
    int (*write)(struct sls_store *s, sls_store_fn fn, void *arg);
    /* Makes what was overwritten unreadable in the backend's own files (a
     * write-ahead log); NULL when there is nothing to do. */
    int (*scrub)(struct sls_store *s);
    /* SLS_OK while the store can write, else SLS_ERR_STORE_UNAVAILABLE with
     * the reason (see sls_store_health); NULL: always SLS_OK. */
    int (*health)(struct sls_store *s, int64_t now, char *reason, size_t reasonlen);
};

struct sls_store {
    const struct sls_store_backend *backend;
};

/* Opens a store by URL: "sqlite:PATH" (PATH may be relative), a bare path
 * (taken as SQLite), or "postgresql://..." / "postgres://..." (any libpq
 * connection URL; a socket folder as ?host=/path). Creates and migrates the schema. Returns SLS_OK,
 * SLS_ERR_BAD_REQUEST for an unknown scheme, or SLS_ERR_STORE /
 * SLS_ERR_STORE_UNAVAILABLE. With the default options. */
int sls_store_open(const char *url, struct sls_store **out);
/* As sls_store_open with options (NULL: the defaults), and on failure the
 * reason in why (whylen bytes, may be 0): an empty file refused, a database
 * that is not an sls store, a damaged file (the first lines of PRAGMA
 * quick_check), or SQLite's message when the file cannot be opened. */
int sls_store_open_with(const char *url, const struct sls_store_options *opts,
                        struct sls_store **out, char *why, size_t whylen);
/* The store URL as it may be logged: a password in it (postgresql://USER:PASSWORD@HOST/...
 * or a password=... parameter) replaced by "***". Always NUL-terminated; cut
 * to outlen - 1 bytes. */
void sls_store_url_for_log(const char *url, char *out, size_t outlen);
/* Whether the store can write now: SLS_OK, or SLS_ERR_STORE_UNAVAILABLE while
 * the last write failed because the store could not write, with that reason.
 * In that state a probe write is tried at most every few seconds (now is a
 * monotonic clock in seconds), so the state clears once the store can write
 * again even without other traffic. */
int sls_store_health(struct sls_store *s, int64_t now, char *reason, size_t reasonlen);
/* The error of this thread's last sls_store_read/write that failed with
 * SLS_ERR_STORE_UNAVAILABLE or SLS_ERR_STORE (SLS_ERR_STORE when the last
 * call succeeded): for answering a store failure whose code was not kept. */
int sls_store_last_error(void);
/* Closes; NULL is a no-op. Waits for queued writes. */
void sls_store_close(struct sls_store *s);
int sls_store_read(struct sls_store *s, sls_store_fn fn, void *arg);
int sls_store_write(struct sls_store *s, sls_store_fn fn, void *arg);
/* After secrets were erased (SPEC §10.3): leaves no older copy of them in
 * the store's files beside the database (SQLite: checkpoints the WAL into
 * the database and truncates it to nothing; PostgreSQL: nothing, its WAL and
 * VACUUM are the operator's). Waits for readers of older
 * snapshots up to the store's busy timeout. Returns SLS_OK or SLS_ERR_STORE
 * (try again later). */
int sls_store_scrub(struct sls_store *s);

/* Shorthands for db->ops->X(db, ...). */
#define SLS_DB(db, op, ...) ((db)->ops->op((db), __VA_ARGS__))

#endif
