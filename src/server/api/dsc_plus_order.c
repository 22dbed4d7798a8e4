/* DSC+ orders as the API shows them; see dsc_plus_order.h. */
#include "server/api/dsc_plus_order.h"

#include "server/http/body.h"

const char *sls_dsc_order_state_name(enum sls_dsc_order_state s)
{
    switch (s) {
    case SLS_DSC_ORDER_ORDERED:
        return "ordered";
    case SLS_DSC_ORDER_SHIPPED:
        return "shipped";
    case SLS_DSC_ORDER_SETTLED:
        return "settled";
    case SLS_DSC_ORDER__COUNT:
        break;
    }
    return "unknown";
}

json_t *sls_dsc_order_json(const struct sls_dsc_order_rec *o, const struct sls_device_rec *d,
                           enum sls_account_state account_state,
                           const struct sls_dsc_plus_policy *p)
{
    bool shipped = o->state != SLS_DSC_ORDER_ORDERED && d != NULL;
    enum sls_dsc_plus_hold hold =
        sls_dsc_plus_hold_state(shipped, d ? d->state : SLS_DEVSTATE_SHIPPED, account_state);
    char date[16];
    json_t *notices = json_array();
    json_t *o_json;

    if (sls_time_format_date(o->estimated_ship_at, date, sizeof(date)) != 0)
        date[0] = '\0';
    if (o->notices & SLS_DSC_PLUS_NOTICE_FIRST)
        json_array_append_new(notices, json_string("first"));
    if (o->notices & SLS_DSC_PLUS_NOTICE_LAST)
        json_array_append_new(notices, json_string("last"));
    o_json = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s}", "order_id", o->id, "state",
                       sls_dsc_order_state_name(o->state), "address", o->address, "deposit_account",
                       o->deposit_account, "hold_cents", (json_int_t)o->hold_cents, "hold",
                       sls_dsc_plus_hold_name(hold), "ordered_at", sls_time_json(o->ordered_at),
                       "estimated_ship_date", date);
    json_object_set_new(o_json, "device_id", shipped ? json_string(o->device_id) : json_null());
    json_object_set_new(o_json, "device_state",
                        shipped ? json_string(sls_device_state_name(d->state)) : json_null());
    json_object_set_new(o_json, "shipped_at", shipped ? sls_time_json(o->shipped_at) : json_null());
    json_object_set_new(o_json, "auto_activation_at",
                        o->state == SLS_DSC_ORDER_SHIPPED
                            ? sls_time_json(sls_dsc_plus_auto_activation_at(o->shipped_at, p))
                            : json_null());
    json_object_set_new(o_json, "activated_at",
                        shipped && d->activated_at ? sls_time_json(d->activated_at) : json_null());
    json_object_set_new(o_json, "notices_sent", notices);
    return o_json;
}
