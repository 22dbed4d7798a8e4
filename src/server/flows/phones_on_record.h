/* A user's mobile numbers on record (SPEC §10.3), kept as JSON text
 * [{"country":..,"number":..}] in the user record: reading that list and
 * adding a number to it. */
#ifndef SLS_SERVER_PHONES_ON_RECORD_H
#define SLS_SERVER_PHONES_ON_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct sls_phone {
    char country[8];
    char number[24];
    char e164[40]; /* "+<country><number>" */
};

/* Writes phones_json with p appended into out (len bytes) unless it is there
 * already. Returns 1 when added, 0 when already on record, -1 when the
 * result would not fit. */
int sls_phones_add(const char *phones_json, const struct sls_phone *p, char *out, size_t len);

/* The first well-formed phone of phones_json (the user's phones on record)
 * into out. Returns 0, or -1 when there is none. */
int sls_phone_on_record(const char *phones_json, struct sls_phone *out);

/* §10.3: whether p is one of the phones of phones_json (same country and
 * national number). */
bool sls_phone_is_on_record(const char *phones_json, const struct sls_phone *p);

/* How many phones phones_json holds (0 when it is not a JSON array). */
size_t sls_phones_count(const char *phones_json);

/* Where the codes of SMS device d go: its own number (kept as its serial,
 * "+<country><number>"), else the first phone of phones_json on record.
 * Returns 0, or -1 when there is none. */
int sls_sms_address(const struct sls_device_rec *d, const char *phones_json, char *out, size_t len);

#endif
