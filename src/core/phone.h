/* Mobile numbers as the API takes them (R20 activation, R30 SMS enrolment):
 * {country, number}. country is the international calling code in digits
 * ("1", "41", "44"; 1 to 3 digits, no leading 0, no "+"); number is the
 * national number in digits only, without the trunk prefix 0 and without
 * spaces (4 to 14 digits; with the country at most 15 digits, E.164). */
#ifndef SLS_CORE_PHONE_H
#define SLS_CORE_PHONE_H

#include <stdbool.h>
#include <stddef.h>

enum sls_phone_verdict {
    SLS_PHONE_OK = 0,
    SLS_PHONE_COUNTRY_BAD,  /* not 1-3 digits, or a leading 0 or "+" */
    SLS_PHONE_SPACES,       /* a space anywhere in the number */
    SLS_PHONE_PLUS,         /* a "+" in the number: the country goes in country */
    SLS_PHONE_NOT_DIGITS,   /* any other character than a digit */
    SLS_PHONE_TRUNK_PREFIX, /* the number starts with 0 */
    SLS_PHONE_LENGTH,       /* too short, or too long with its country */
    SLS_PHONE__COUNT
};

/* Checks a phone; country and number are NUL-terminated. */
enum sls_phone_verdict sls_phone_check(const char *country, const char *number);

/* The message a 400 answer gives for a verdict ("" for OK). Never NULL. */
const char *sls_phone_message(enum sls_phone_verdict v);

/* Writes "+<country><number>" (the address of SMS and voice messages) into
 * out; returns 0, or -1 when it does not fit. Only for checked phones. */
int sls_phone_e164(const char *country, const char *number, char *out, size_t len);

/* §10.3 phones on record, added by the user from a session (POST
 * /v1/me/phones): at most SLS_PHONES_MAX, and a number already on record is
 * not sent a code again. */
#define SLS_PHONES_MAX 5

enum sls_phone_add_verdict {
    SLS_PHONE_ADD_OK = 0,
    SLS_PHONE_ADD_ON_RECORD, /* the number is on record already */
    SLS_PHONE_ADD_FULL,      /* the user has SLS_PHONES_MAX numbers */
};

/* Whether a number may be added to `count` numbers on record; on_record
 * tells that it is one of them (checked first: nothing to add). */
enum sls_phone_add_verdict sls_phone_add_check(size_t count, bool on_record);

#endif
