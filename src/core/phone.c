/* Mobile number rules; see phone.h. */
#include "phone.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NUMBER_MIN 4
#define NUMBER_MAX 14
#define E164_MAX   15

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
    }
    return true;
}

enum sls_phone_verdict sls_phone_check(const char *country, const char *number)
{
    size_t clen, nlen;

    if (country == NULL || number == NULL)
        return SLS_PHONE_COUNTRY_BAD;
    clen = strlen(country);
    if (clen < 1 || clen > 3 || !all_digits(country) || country[0] == '0')
        return SLS_PHONE_COUNTRY_BAD;
    if (strchr(number, ' ') != NULL || strchr(number, '\t') != NULL)
        return SLS_PHONE_SPACES;
    if (strchr(number, '+') != NULL)
        return SLS_PHONE_PLUS;
    if (!all_digits(number))
        return *number == '\0' ? SLS_PHONE_LENGTH : SLS_PHONE_NOT_DIGITS;
    if (number[0] == '0')
        return SLS_PHONE_TRUNK_PREFIX;
    nlen = strlen(number);
    if (nlen < NUMBER_MIN || nlen > NUMBER_MAX || clen + nlen > E164_MAX)
        return SLS_PHONE_LENGTH;
    return SLS_PHONE_OK;
}

const char *sls_phone_message(enum sls_phone_verdict v)
{
    switch (v) {
    case SLS_PHONE_OK:
        return "";
    case SLS_PHONE_COUNTRY_BAD:
        return "Country must be the calling code in digits, such as 1 or 44, without +";
    case SLS_PHONE_SPACES:
        return "Phone number must not contain spaces";
    case SLS_PHONE_PLUS:
        return "Phone number must not contain +: give the calling code in country";
    case SLS_PHONE_NOT_DIGITS:
        return "Phone number must contain digits only";
    case SLS_PHONE_TRUNK_PREFIX:
        return "Phone number must not start with the trunk prefix 0";
    case SLS_PHONE_LENGTH:
        return "Phone number must have 4 to 14 digits, at most 15 with the country code";
    case SLS_PHONE__COUNT:
        break;
    }
    return "Invalid phone number";
}

int sls_phone_e164(const char *country, const char *number, char *out, size_t len)
{
    int n = snprintf(out, len, "+%s%s", country, number);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

enum sls_phone_add_verdict sls_phone_add_check(size_t count, bool on_record)
{
    if (on_record)
        return SLS_PHONE_ADD_ON_RECORD;
    return count >= SLS_PHONES_MAX ? SLS_PHONE_ADD_FULL : SLS_PHONE_ADD_OK;
}
