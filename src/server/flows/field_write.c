/* Single-field writes of users and devices by name; see field_write.h. */
#include "server/flows/field_write.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define USER_WRITE_TRIES 8

int sls_field_write_user(struct sls_db *db, const struct sls_user_rec *u, unsigned fields)
{
    struct sls_user_rec *cur = malloc(sizeof(*cur));
    int rc = SLS_ERR_CONFLICT;

    if (cur == NULL)
        return SLS_ERR_NOMEM;
    for (int i = 0; i < USER_WRITE_TRIES && rc == SLS_ERR_CONFLICT; i++) {
        rc = SLS_DB(db, user_get_by_id, u->id, cur);
        if (rc == SLS_OK)
            rc = SLS_DB(db, user_update, u, fields, cur->version);
    }
    free(cur);
    return rc;
}

int sls_field_write_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap);

    if (n >= cap)
        return SLS_ERR_STORE;
    memcpy(dst, src, n + 1);
    return SLS_OK;
}

int sls_field_write_session_key(struct sls_session_rec *s, const char *token_hash)
{
    memset(s, 0, sizeof(*s));
    if (sls_field_write_text(s->token_hash, sizeof(s->token_hash), token_hash) != SLS_OK)
        return SLS_ERR_NOT_FOUND;
    return SLS_OK;
}

int sls_field_write_device_state(struct sls_db *db, const char *id, enum sls_device_state state,
                                 sls_time at)
{
    struct sls_device_rec d;
    int rc;

    memset(&d, 0, sizeof(d));
    rc = sls_field_write_text(d.id, sizeof(d.id), id);
    if (rc != SLS_OK)
        return rc == SLS_ERR_STORE ? SLS_ERR_NOT_FOUND : rc;
    d.state = state;
    d.state_changed_at = at;
    return SLS_DB(db, device_update, &d, SLS_DEVICE_SET_STATE);
}
