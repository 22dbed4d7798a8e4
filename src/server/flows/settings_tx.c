/* Helpers of the settings handlers: the primary-user rule (R30), e-mails in
 * the outbox and the shape of an e-mail address. */
#include "server/flows/settings_tx.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int primary_fn(struct sls_db *db, void *arg)
{
    struct sls_user_rec *p = arg;
    return SLS_DB(db, user_get_by_account, p->account_id, p);
}

bool sls_settings_is_primary(const struct sls_user_rec *u)
{
    return u->primary && u->paper_of == 0;
}

int sls_settings_primary_read(const struct sls_app *app, const char *account_id,
                              struct sls_user_rec *p)
{
    memset(p, 0, sizeof(*p));
    if (account_id[0] == '\0')
        return SLS_ERR_NOT_FOUND;
    snprintf(p->account_id, sizeof(p->account_id), "%s", account_id);
    return sls_store_read(app->store, primary_fn, p);
}

int sls_settings_mail(struct sls_db *db, sls_time now, const char *to, const char *kind,
                      const char *body, const char *code)
{
    struct sls_outbox_rec m;

    memset(&m, 0, sizeof(m));
    snprintf(m.to, sizeof(m.to), "%s", to);
    snprintf(m.channel, sizeof(m.channel), "email");
    snprintf(m.body, sizeof(m.body), "%s", body);
    snprintf(m.kind, sizeof(m.kind), "%s", kind);
    if (code != NULL)
        snprintf(m.code, sizeof(m.code), "%s", code);
    m.at = now;
    return SLS_DB(db, outbox_insert, &m);
}

bool sls_settings_email_ok(const char *email)
{
    const char *at = strchr(email, '@');
    const unsigned char *p;

    if (at == NULL || at == email || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
        strlen(email) > 254)
        return false;
    for (p = (const unsigned char *)email; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}
