/* The schema of the SQLite store as numbered migrations.
 *
 * migrations[i] takes a database from version i to i + 1. Each runs in its own
 * transaction together with the bump of PRAGMA user_version (and the
 * "schema_version" row of meta), so a crash leaves the file at a whole
 * version. The list is append-only: never edit a migration that has shipped,
 * add a new one.
 *
 * Enums are stored as integers, times as Unix seconds, secrets as BLOBs. */
#include <stdio.h>

#include "../core/error.h"
#include "sqlite_store.h"

static const char *const migrations[] = {
    /* 1: the first schema. */
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"

    "CREATE TABLE users ("
    "  id            INTEGER PRIMARY KEY,"
    "  username      TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  email         TEXT NOT NULL,"
    "  account_id    TEXT NOT NULL,"
    "  account_state INTEGER NOT NULL,"
    "  approved_at   INTEGER NOT NULL,"
    "  equity_cents  INTEGER NOT NULL,"
    "  is_primary    INTEGER NOT NULL,"
    "  sls           INTEGER NOT NULL,"
    "  paper_of      INTEGER REFERENCES users(id)," /* NULL: a live user */
    "  identity_json TEXT NOT NULL,"
    "  phones_json   TEXT NOT NULL,"
    "  lockout       TEXT NOT NULL," /* sls_lockout_encode */
    "  lock_version  INTEGER NOT NULL,"
    "  created_at    INTEGER NOT NULL"
    ");"
    /* Several user names may share an account; one of its live users is primary. */
    "CREATE UNIQUE INDEX users_account_primary ON users(account_id)"
    "  WHERE is_primary = 1 AND paper_of IS NULL AND account_id <> '';"

    "CREATE TABLE devices ("
    "  id               TEXT PRIMARY KEY,"
    "  user_id          INTEGER NOT NULL REFERENCES users(id),"
    "  type             INTEGER NOT NULL,"
    "  state            INTEGER NOT NULL,"
    "  label            TEXT NOT NULL,"
    "  serial           TEXT NOT NULL,"
    "  secret           BLOB NOT NULL,"
    "  pin              BLOB NOT NULL,"
    "  created_at       INTEGER NOT NULL,"
    "  state_changed_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX devices_user ON devices(user_id, created_at);"

    "CREATE TABLE logins ("
    "  id           TEXT PRIMARY KEY,"
    "  user_id      INTEGER NOT NULL REFERENCES users(id),"
    "  platform     INTEGER NOT NULL,"
    "  paper        INTEGER NOT NULL,"
    "  created_at   INTEGER NOT NULL,"
    "  state        INTEGER NOT NULL,"
    "  seq          INTEGER NOT NULL,"
    "  device_id    TEXT NOT NULL,"
    "  kind         INTEGER NOT NULL,"
    "  challenge    TEXT NOT NULL,"
    "  challenge_at INTEGER NOT NULL,"
    "  session_hash TEXT NOT NULL"
    ") WITHOUT ROWID;"

    "CREATE TABLE sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id    INTEGER NOT NULL REFERENCES users(id),"
    "  platform   INTEGER NOT NULL,"
    "  factor     INTEGER NOT NULL,"
    "  device_id  TEXT NOT NULL,"
    "  access     INTEGER NOT NULL,"
    "  auth_mode  INTEGER NOT NULL,"
    "  paper      INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked    INTEGER NOT NULL"
    ") WITHOUT ROWID;"

    /* R41: never rewritten; each hash covers the previous one. */
    "CREATE TABLE audit ("
    "  seq       INTEGER PRIMARY KEY,"
    "  at        INTEGER NOT NULL,"
    "  actor     TEXT NOT NULL,"
    "  username  TEXT NOT NULL,"
    "  event     TEXT NOT NULL,"
    "  outcome   TEXT NOT NULL,"
    "  detail    TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash      TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_user ON audit(username, seq);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"

    /* R40: identity verifications by the service desk. */
    "CREATE TABLE identity_verifications ("
    "  id      INTEGER PRIMARY KEY,"
    "  agent   TEXT NOT NULL,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  channel TEXT NOT NULL,"
    "  at      INTEGER NOT NULL"
    ");"
    "CREATE INDEX identity_agent_user ON identity_verifications(agent, user_id, at);"

    "CREATE TABLE outbox ("
    "  id        INTEGER PRIMARY KEY,"
    "  recipient TEXT NOT NULL,"
    "  channel   TEXT NOT NULL,"
    "  body      TEXT NOT NULL,"
    "  code      TEXT NOT NULL,"
    "  at        INTEGER NOT NULL"
    ");"
    "CREATE INDEX outbox_recipient ON outbox(recipient, id);",

    /* 2: sessions found by the device that opened them (R28, R29 revoke them). */
    "CREATE INDEX sessions_user_device ON sessions(user_id, device_id);",

    /* 3: first activation of a device (R26 counts online cards only once
     * activated); challenges outside logins (R27 card activation, R28
     * reactivation); password reset codes (R3, R29). */
    "ALTER TABLE devices ADD COLUMN activated_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE devices SET activated_at = state_changed_at WHERE state = 0;"
    "CREATE INDEX sessions_user ON sessions(user_id, revoked);"
    "CREATE TABLE challenges ("
    "  key       TEXT PRIMARY KEY,"
    "  user_id   INTEGER NOT NULL REFERENCES users(id),"
    "  device_id TEXT NOT NULL,"
    "  kind      INTEGER NOT NULL,"
    "  challenge TEXT NOT NULL,"
    "  issued_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE password_resets ("
    "  user_id    INTEGER PRIMARY KEY REFERENCES users(id),"
    "  issued_by  TEXT NOT NULL,"
    "  code       BLOB NOT NULL,"
    "  issued_at  INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  attempts   INTEGER NOT NULL"
    ");",

    /* 4: delivery of the outbox (SPEC §9): state 0 pending, 1 delivered,
     * 2 failed (given up); a pending message is due at next_attempt_at.
     * Messages already there are pending and due at once. */
    "ALTER TABLE outbox ADD COLUMN state INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN done_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 0;",

    /* 5: R50 documents received by e-mail. Bytes are stored once per
     * SHA-256 (content addressing); a document row names its blob. Refused
     * messages keep their reason. */
    "CREATE TABLE document_blobs ("
    "  sha256  TEXT PRIMARY KEY,"
    "  size    INTEGER NOT NULL,"
    "  content BLOB NOT NULL"
    ");"
    "CREATE TABLE documents ("
    "  id            INTEGER PRIMARY KEY,"
    "  user_id       INTEGER NOT NULL REFERENCES users(id),"
    "  purpose       TEXT NOT NULL,"
    "  sender        TEXT NOT NULL,"
    "  received_at   INTEGER NOT NULL,"
    "  sha256        TEXT NOT NULL REFERENCES document_blobs(sha256),"
    "  detected_type TEXT NOT NULL,"
    "  declared_type TEXT NOT NULL,"
    "  filename      TEXT NOT NULL,"
    "  size          INTEGER NOT NULL"
    ");"
    "CREATE INDEX documents_user ON documents(user_id, id);"
    "CREATE TABLE document_rejections ("
    "  id          INTEGER PRIMARY KEY,"
    "  received_at INTEGER NOT NULL,"
    "  sender      TEXT NOT NULL,"
    "  subject     TEXT NOT NULL,"
    "  reason      TEXT NOT NULL,"
    "  message     TEXT NOT NULL,"
    "  username    TEXT NOT NULL"
    ");",

    /* 6: R34 step-up: a session verified by a fresh device response. */
    "ALTER TABLE sessions ADD COLUMN verified_until INTEGER NOT NULL DEFAULT 0;",

    /* 7: the mobile authenticator and one-time codes (R20, R25, R30).
     * ibkey_keys: the Ed25519 public key and mode of an ibkey device (one app
     * key may serve several users: several devices share it). pushes: a
     * request the app approves or denies, with its purpose (login now,
     * step-up later) and what it is for (subject: a login id). state 0
     * pending, 1 approved, 2 denied. signed_requests: the signatures the app
     * used, so none is accepted twice. one_time_codes: sealed codes sent by
     * SMS or voice, by key ("login:<id>", "activation:<id>", "sms-enroll:<user>"),
     * and the e-mail change confirmation numbers (R4, "email:<user>"). */
    "CREATE TABLE ibkey_keys ("
    "  device_id  TEXT PRIMARY KEY REFERENCES devices(id),"
    "  public_key BLOB NOT NULL,"
    "  mode       INTEGER NOT NULL"
    ");"
    "CREATE INDEX ibkey_keys_key ON ibkey_keys(public_key);"
    "CREATE TABLE pushes ("
    "  id         TEXT PRIMARY KEY,"
    "  purpose    INTEGER NOT NULL,"
    "  subject    TEXT NOT NULL,"
    "  user_id    INTEGER NOT NULL REFERENCES users(id),"
    "  device_id  TEXT NOT NULL REFERENCES devices(id),"
    "  platform   INTEGER NOT NULL,"
    "  challenge  TEXT NOT NULL,"
    "  state      INTEGER NOT NULL,"
    "  auth_mode  INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  decided_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX pushes_user ON pushes(user_id, created_at);"
    "CREATE INDEX pushes_device ON pushes(device_id, state);"
    "CREATE TABLE signed_requests ("
    "  device_id TEXT NOT NULL,"
    "  ts        INTEGER NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  PRIMARY KEY(device_id, ts, signature)"
    ");"
    "CREATE TABLE one_time_codes ("
    "  key        TEXT PRIMARY KEY,"
    "  user_id    INTEGER NOT NULL,"
    "  code       BLOB NOT NULL,"
    "  data       TEXT NOT NULL,"
    "  issued_at  INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  attempts   INTEGER NOT NULL"
    ");",

    /* 8: R33 withdrawals (per user, by the business day they count for),
     * R31 deposits, R4 security reviews and banking instructions. Review
     * state 0 pending, 1 approved, 2 denied. */
    "CREATE TABLE withdrawals ("
    "  id           INTEGER PRIMARY KEY,"
    "  user_id      INTEGER NOT NULL REFERENCES users(id),"
    "  amount_cents INTEGER NOT NULL,"
    "  at           INTEGER NOT NULL,"
    "  business_day INTEGER NOT NULL"
    ");"
    "CREATE INDEX withdrawals_user_day ON withdrawals(user_id, business_day);"
    "CREATE TABLE deposits ("
    "  id           INTEGER PRIMARY KEY,"
    "  user_id      INTEGER NOT NULL REFERENCES users(id),"
    "  amount_cents INTEGER NOT NULL,"
    "  method       TEXT NOT NULL,"
    "  capped       INTEGER NOT NULL,"
    "  at           INTEGER NOT NULL"
    ");"
    "CREATE INDEX deposits_user ON deposits(user_id, capped);"
    "CREATE TABLE reviews ("
    "  id         INTEGER PRIMARY KEY,"
    "  user_id    INTEGER NOT NULL REFERENCES users(id),"
    "  kind       TEXT NOT NULL,"
    "  payload    TEXT NOT NULL,"
    "  secret     BLOB NOT NULL,"
    "  state      INTEGER NOT NULL,"
    "  decided_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX reviews_state ON reviews(state, id);"
    "CREATE TABLE bank_instructions ("
    "  user_id        INTEGER PRIMARY KEY REFERENCES users(id),"
    "  bank_name      TEXT NOT NULL,"
    "  routing_number TEXT NOT NULL,"
    "  account_last4  TEXT NOT NULL,"
    "  account_sealed BLOB NOT NULL,"
    "  updated_at     INTEGER NOT NULL"
    ");",

    /* 9: R21 DSC+ orders (state 0 ordered, 1 shipped, 2 settled; notices a
     * bit mask of the auto-activation notices sent) and R32 sharing requests
     * (state 0 pending_compliance, 1 active, 2 denied, 3 cancelled; one open
     * request per requester). */
    "CREATE TABLE dsc_plus_orders ("
    "  id                TEXT PRIMARY KEY,"
    "  user_id           INTEGER NOT NULL REFERENCES users(id),"
    "  state             INTEGER NOT NULL,"
    "  address           TEXT NOT NULL,"
    "  deposit_account   TEXT NOT NULL,"
    "  hold_cents        INTEGER NOT NULL,"
    "  pin               BLOB NOT NULL,"
    "  ordered_at        INTEGER NOT NULL,"
    "  estimated_ship_at INTEGER NOT NULL,"
    "  device_id         TEXT NOT NULL,"
    "  shipped_at        INTEGER NOT NULL,"
    "  notices           INTEGER NOT NULL,"
    "  settled_at        INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX dsc_plus_orders_user ON dsc_plus_orders(user_id, ordered_at);"
    "CREATE INDEX dsc_plus_orders_state ON dsc_plus_orders(state, ordered_at);"
    "CREATE TABLE sharing_requests ("
    "  id           TEXT PRIMARY KEY,"
    "  requester_id INTEGER NOT NULL REFERENCES users(id),"
    "  owner_id     INTEGER NOT NULL REFERENCES users(id),"
    "  device_id    TEXT NOT NULL,"
    "  state        INTEGER NOT NULL,"
    "  created_at   INTEGER NOT NULL,"
    "  decided_at   INTEGER NOT NULL,"
    "  decided_by   TEXT NOT NULL,"
    "  inactivated  TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE UNIQUE INDEX sharing_requests_open ON sharing_requests(requester_id)"
    "  WHERE state IN (0, 1);"
    "CREATE INDEX sharing_requests_state ON sharing_requests(state, created_at);"
    "CREATE INDEX sharing_requests_device ON sharing_requests(device_id, state);",

    /* 10: SPEC §10.3 [lockout] mode client: client tokens (only their
     * SHA-256), each with its own R8 counter (sls_lockout_encode), and the
     * token whose counter a login's stage 2, and a session's own checks,
     * count against ("" for the user's). */
    "CREATE TABLE client_tokens ("
    "  token_hash   TEXT PRIMARY KEY,"
    "  id           TEXT NOT NULL UNIQUE,"
    "  user_id      INTEGER NOT NULL REFERENCES users(id),"
    "  created_at   INTEGER NOT NULL,"
    "  expires_at   INTEGER NOT NULL,"
    "  lockout      TEXT NOT NULL,"
    "  lock_version INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX client_tokens_user ON client_tokens(user_id, expires_at);"
    "ALTER TABLE logins ADD COLUMN client_token_hash TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessions ADD COLUMN client_token_hash TEXT NOT NULL DEFAULT '';",

    /* 11: no secrets at rest in messages (SPEC §10.3): what each message
     * is ("" for those written before), kept after its body and code are
     * erased; settled messages found by when they settled, for the purge
     * after [delivery] retention. */
    "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX outbox_settled ON outbox(done_at) WHERE state <> 0;",

    /* 12: §10.3 number matching. number: the two digits (10-99) the user
     * types into the app to approve the push, 0 when it was sent without
     * (matching off). wrong_number: 1 when the push was denied because a
     * wrong number was typed (that denial was counted toward R8 with it). */
    "ALTER TABLE pushes ADD COLUMN number INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE pushes ADD COLUMN wrong_number INTEGER NOT NULL DEFAULT 0;",

    /* 13: one table of one-time secrets by key replaces challenges,
     * one_time_codes and password_resets. Their live rows move (an upgrade
     * must not void a code being typed): a code kept under the key of a
     * challenge (an SMS device's challenge, an activation's device
     * challenge) joins it in one row; a reset code is keyed
     * "reset-code:<user id>". kind is that of the challenge (0 when none),
     * code an empty blob when none, expires_at 0 for a challenge alone. No
     * reference to users: the codes never had one. */
    "CREATE TABLE secrets ("
    "  key        TEXT PRIMARY KEY,"
    "  user_id    INTEGER NOT NULL,"
    "  device_id  TEXT NOT NULL,"
    "  kind       INTEGER NOT NULL,"
    "  challenge  TEXT NOT NULL,"
    "  code       BLOB NOT NULL,"
    "  data       TEXT NOT NULL,"
    "  issued_by  TEXT NOT NULL,"
    "  issued_at  INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  attempts   INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO secrets(key, user_id, device_id, kind, challenge, code, data, issued_by,"
    "  issued_at, expires_at, attempts)"
    "  SELECT key, user_id, device_id, kind, challenge, X'', '', '', issued_at, 0, 0"
    "  FROM challenges;"
    "INSERT INTO secrets(key, user_id, device_id, kind, challenge, code, data, issued_by,"
    "  issued_at, expires_at, attempts)"
    "  SELECT key, user_id, '', 0, '', code, data, '', issued_at, expires_at, attempts"
    "  FROM one_time_codes WHERE true"
    "  ON CONFLICT(key) DO UPDATE SET code = excluded.code, data = excluded.data,"
    "  expires_at = excluded.expires_at, attempts = excluded.attempts;"
    "INSERT INTO secrets(key, user_id, device_id, kind, challenge, code, data, issued_by,"
    "  issued_at, expires_at, attempts)"
    "  SELECT 'reset-code:' || user_id, user_id, '', 0, '', code, '', issued_by, issued_at,"
    "  expires_at, attempts FROM password_resets;"
    "DROP TABLE challenges;"
    "DROP TABLE one_time_codes;"
    "DROP TABLE password_resets;",

    /* 14: SPEC §10.4, the last time step a TOTP device accepted (0: none;
     * every other device keeps 0). */
    "ALTER TABLE devices ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;",

    /* 15: SPEC §10.4, the token stock delivered by vendors (PSKC files), each
     * key sealed with the master key, taken once by a device registration;
     * devices looked up by serial (a serial in use is not stocked again). */
    "CREATE TABLE device_stock ("
    "  serial      TEXT PRIMARY KEY,"
    "  algorithm   INTEGER NOT NULL,"
    "  suite       TEXT NOT NULL,"
    "  digits      INTEGER NOT NULL,"
    "  counter     INTEGER NOT NULL,"
    "  period      INTEGER NOT NULL,"
    "  secret      BLOB NOT NULL,"
    "  imported_at INTEGER NOT NULL,"
    "  device_id   TEXT NOT NULL,"
    "  assigned_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX devices_serial ON devices(serial) WHERE serial <> '';",

    /* 16: SPEC §10.5, passkeys: the credential id (base64url, unique across
     * all devices), the COSE algorithm and public key, the signature
     * counter; every other device keeps the defaults. */
    "ALTER TABLE devices ADD COLUMN passkey_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE devices ADD COLUMN passkey_alg INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE devices ADD COLUMN passkey_key BLOB NOT NULL DEFAULT X'';"
    "ALTER TABLE devices ADD COLUMN passkey_count INTEGER NOT NULL DEFAULT 0;"
    "CREATE UNIQUE INDEX devices_passkey ON devices(passkey_id) WHERE passkey_id <> '';",

    /* 17: sessions_user (user_id, revoked) finds a user's live sessions, and
     * the few of one device among them (R28, R29, R10): every query on
     * sessions by user asks for revoked = 0. The index by (user_id,
     * device_id) served nothing more and cost every login one more random
     * page in the write transaction. */
    "DROP INDEX sessions_user_device;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int sls_sqlite_schema_version(void)
{
    return NMIGRATIONS;
}

static int user_version(sqlite3 *h, int *out)
{
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *out = sqlite3_column_int(st, 0);
    ret = SLS_OK;
out:
    sqlite3_finalize(st);
    return ret;
}

/* Applies migration i (to version i + 1) in one transaction. */
static int apply(sqlite3 *h, int i)
{
    char bump[160];
    int ret = SLS_ERR_STORE;
    int version;
    bool began = false;

    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    began = true;
    /* Another process may have migrated while we waited for the lock. */
    if (user_version(h, &version) != SLS_OK)
        goto out;
    if (version > i) {
        ret = SLS_OK;
        goto out;
    }
    if (sqlite3_exec(h, migrations[i], NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    snprintf(bump, sizeof bump,
             "PRAGMA user_version = %d;"
             "INSERT INTO meta(key, value) VALUES('schema_version', '%d')"
             " ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
             i + 1, i + 1);
    if (sqlite3_exec(h, bump, NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    began = false;
    ret = SLS_OK;
out:
    if (began)
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}

int sls_sqlite_migrate(sqlite3 *h, char *why, size_t whylen)
{
    int version;

    if (user_version(h, &version) != SLS_OK)
        return sls_sqlite_report(h, "migrate: user_version", sqlite3_extended_errcode(h), why,
                                 whylen);
    if (version > NMIGRATIONS) {
        /* written by a newer sls: do not touch */
        snprintf(why, whylen,
                 "the store has schema version %d, newer than the %d of this slsd: run a newer "
                 "slsd",
                 version, NMIGRATIONS);
        return SLS_ERR_STORE;
    }
    for (int i = version; i < NMIGRATIONS; i++) {
        if (apply(h, i) != SLS_OK) {
            char op[40];

            snprintf(op, sizeof op, "migrate: to version %d", i + 1);
            return sls_sqlite_report(h, op, sqlite3_extended_errcode(h), why, whylen);
        }
    }
    return SLS_OK;
}

int sls_sqlite_is_sls(sqlite3 *h, bool *is_sls, int *tables)
{
    sqlite3_stmt *st = NULL;
    int version = 0, rc;

    *is_sls = false;
    *tables = 0;
    if (user_version(h, &version) != SLS_OK)
        return SLS_ERR_STORE;
    rc = sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", -1, &st,
                            NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *tables = sqlite3_column_int(st, 0);
    rc = sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return SLS_ERR_STORE;
    if (version == 0 || *tables == 0)
        return SLS_OK;
    /* sls bumps user_version and meta's schema_version together (apply). */
    st = NULL;
    rc =
        sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        /* No meta table of that shape: not ours. Anything else: cannot tell. */
        return rc == SQLITE_ERROR ? SLS_OK : SLS_ERR_STORE;
    }
    rc = sqlite3_step(st);
    /* A newer sls keeps the row too: sls_sqlite_migrate then says "newer". */
    if (rc == SQLITE_ROW)
        *is_sls = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SLS_OK : SLS_ERR_STORE;
}
