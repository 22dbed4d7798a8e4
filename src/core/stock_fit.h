/* Which device type a vendor token from stock may become (SPEC §10.4): a
 * TOTP token an authenticator-app device (`totp`: SHA-1, 6 digits, 30 s),
 * an OCRA token the card whose suite it computes; HOTP tokens have no
 * device type and stay in stock. A pure rule: the caller reads the token. */
#ifndef SLS_CORE_STOCK_FIT_H
#define SLS_CORE_STOCK_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/device.h"

enum sls_stock_kind {
    SLS_STOCK_KIND_HOTP = 0, /* RFC 4226 event-based codes */
    SLS_STOCK_KIND_TOTP,     /* RFC 6238 time-based codes */
    SLS_STOCK_KIND_OCRA,     /* RFC 6287 challenge/response */
};

/* What is known of a stock token without opening its key. */
struct sls_stock_token {
    enum sls_stock_kind kind;
    const char *suite; /* OCRA: the suite; ignored otherwise */
    int digits;
    int64_t period;   /* TOTP: seconds per step */
    size_t key_bytes; /* length of its key */
};

/* Bytes of the key a card or a TOTP token from stock must have: the cards
 * compute HMAC-SHA1 with 20-byte keys (RFC 6287 App. C), and an RFC 4226
 * key is at least 16 bytes. */
#define SLS_STOCK_CARD_KEY_BYTES 20
#define SLS_STOCK_TOTP_KEY_MIN   16

/* NULL when token t may become a device of type `type`, else why not, in
 * words for the desk. */
const char *sls_stock_fit(enum sls_device_type type, const struct sls_stock_token *t);

#endif
