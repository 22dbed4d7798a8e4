/* A user's mobile numbers on record; see phones_on_record.h. */
#include "server/flows/phones_on_record.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"

int sls_phones_add(const char *phones_json, const struct sls_phone *p, char *out, size_t len)
{
    json_error_t jerr;
    json_t *arr = phones_json[0] ? json_loads(phones_json, 0, &jerr) : json_array();
    json_t *e;
    char *text = NULL;
    size_t i;
    int ret = -1;

    if (!json_is_array(arr)) {
        json_decref(arr);
        arr = json_array();
    }
    json_array_foreach(arr, i, e)
    {
        const char *c = json_string_value(json_object_get(e, "country"));
        const char *n = json_string_value(json_object_get(e, "number"));
        if (c != NULL && n != NULL && strcmp(c, p->country) == 0 && strcmp(n, p->number) == 0) {
            ret = 0;
            goto out;
        }
    }
    json_array_append_new(arr, json_pack("{s:s, s:s}", "country", p->country, "number", p->number));
    text = json_dumps(arr, JSON_COMPACT);
    if (text != NULL && strlen(text) < len) {
        snprintf(out, len, "%s", text);
        ret = 1;
    }
out:
    free(text);
    json_decref(arr);
    return ret;
}

int sls_phone_on_record(const char *phones_json, struct sls_phone *out)
{
    json_error_t jerr;
    json_t *arr = phones_json[0] ? json_loads(phones_json, 0, &jerr) : NULL;
    json_t *e;
    size_t i;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    json_array_foreach(arr, i, e)
    {
        const char *c = json_string_value(json_object_get(e, "country"));
        const char *n = json_string_value(json_object_get(e, "number"));
        if (c == NULL || n == NULL || strlen(c) >= sizeof(out->country) ||
            strlen(n) >= sizeof(out->number) || sls_phone_check(c, n) != SLS_PHONE_OK)
            continue;
        snprintf(out->country, sizeof(out->country), "%s", c);
        snprintf(out->number, sizeof(out->number), "%s", n);
        if (sls_phone_e164(out->country, out->number, out->e164, sizeof(out->e164)) == 0) {
            ret = 0;
            break;
        }
    }
    json_decref(arr);
    return ret;
}

bool sls_phone_is_on_record(const char *phones_json, const struct sls_phone *p)
{
    json_error_t jerr;
    json_t *arr = phones_json[0] ? json_loads(phones_json, 0, &jerr) : NULL;
    json_t *e;
    size_t i;
    bool found = false;

    json_array_foreach(arr, i, e)
    {
        const char *c = json_string_value(json_object_get(e, "country"));
        const char *n = json_string_value(json_object_get(e, "number"));
        if (c != NULL && n != NULL && strcmp(c, p->country) == 0 && strcmp(n, p->number) == 0) {
            found = true;
            break;
        }
    }
    json_decref(arr);
    return found;
}

size_t sls_phones_count(const char *phones_json)
{
    json_error_t jerr;
    json_t *arr = phones_json[0] ? json_loads(phones_json, 0, &jerr) : NULL;
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;

    json_decref(arr);
    return n;
}

int sls_sms_address(const struct sls_device_rec *d, const char *phones_json, char *out, size_t len)
{
    struct sls_phone p;

    if (d->serial[0] == '+')
        return snprintf(out, len, "%s", d->serial) < (int)len ? 0 : -1;
    if (sls_phone_on_record(phones_json, &p) != 0)
        return -1;
    return snprintf(out, len, "%s", p.e164) < (int)len ? 0 : -1;
}
