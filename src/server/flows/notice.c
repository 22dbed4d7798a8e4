/* Security notices queued through the outbox; see notice.h. */
#include "server/flows/notice.h"

#include <stdio.h>
#include <string.h>

#include "core/device.h"
#include "core/error.h"

int sls_notice_queue_to(struct sls_db *db, const char *email, enum sls_notice_event ev,
                        const char *about, sls_time now)
{
    struct sls_outbox_rec m;

    /* No address on record (none, or not an address): no notice. */
    if (email == NULL || strchr(email, '@') == NULL)
        return SLS_OK;
    memset(&m, 0, sizeof(m));
    if (sls_notice_text(ev, about, now, m.body, sizeof(m.body)) != 0)
        return SLS_ERR_INTERNAL;
    snprintf(m.to, sizeof(m.to), "%s", email);
    snprintf(m.channel, sizeof(m.channel), "email");
    snprintf(m.kind, sizeof(m.kind), "%s", sls_notice_kind(ev));
    m.at = now;
    return SLS_DB(db, outbox_insert, &m);
}

int sls_notice_queue(struct sls_db *db, const struct sls_user_rec *u, enum sls_notice_event ev,
                     const char *about, sls_time now)
{
    return sls_notice_queue_to(db, u->email, ev, about, now);
}

int sls_notice_queue_id(struct sls_db *db, int64_t user_id, enum sls_notice_event ev,
                        const char *about, sls_time now)
{
    struct sls_user_rec u;
    int rc = SLS_DB(db, user_get_by_id, user_id, &u);

    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &u, ev, about, now);
    memset(&u, 0, sizeof(u));
    return rc;
}

int sls_notice_queue_name(struct sls_db *db, const char *username, enum sls_notice_event ev,
                          const char *about, sls_time now)
{
    struct sls_user_rec u;
    int rc = SLS_DB(db, user_get_by_name, username, &u);

    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &u, ev, about, now);
    memset(&u, 0, sizeof(u));
    return rc;
}

const char *sls_notice_device_name(const struct sls_device_rec *d)
{
    if (d->label[0] != '\0')
        return d->label;
    if (d->serial[0] != '\0')
        return d->serial;
    return sls_device_type_name(d->type);
}
