/* A session as the API shows it. */
#include "server/api/session_json.h"

#include "server/http/body.h"
#include "core/access.h"
#include "core/time.h"

json_t *sls_session_json(const struct sls_session_rec *s, const char *token, bool sls_member)
{
    char exp[32];
    json_t *o = json_object();

    if (token != NULL)
        json_object_set_new(o, "token", json_string(token));
    json_object_set_new(o, "platform", json_string(sls_platform_name(s->platform)));
    json_object_set_new(o, "factor", json_string(sls_device_type_name(s->factor)));
    json_object_set_new(o, "access", json_string(sls_access_name(s->access)));
    sls_time_text(s->expires_at, exp);
    json_object_set_new(o, "expires_at", json_string(exp));
    /* R31: trading of restricted products is open only inside SLS, that is to
     * sessions opened with a second factor. */
    json_object_set_new(o, "restricted_products",
                        json_boolean(sls_member && s->factor != SLS_DEVICE_NONE));
    json_object_set_new(o, "paper", json_boolean(s->paper));
    /* R34: until when a step-up verification lets sensitive requests through. */
    json_object_set_new(o, "verified_until",
                        s->verified_until != 0 ? sls_time_json(s->verified_until) : json_null());
    return o;
}
