/* Which device type a vendor token from stock may become; see stock_fit.h. */
#include "core/stock_fit.h"

#include <string.h>

#include "core/totp.h"

static const char *totp_fit(const struct sls_stock_token *t)
{
    if (t->kind != SLS_STOCK_KIND_TOTP)
        return "A totp device takes a TOTP token; this token is not one";
    if (t->digits != SLS_TOTP_DIGITS)
        return "A totp device shows 6 digits; this token shows another number";
    if (t->period != SLS_TOTP_PERIOD)
        return "A totp device moves every 30 seconds; this token has another time step";
    if (t->key_bytes < SLS_STOCK_TOTP_KEY_MIN || t->key_bytes > 64)
        return "This token's key is not 16 to 64 bytes long";
    return NULL;
}

static const char *card_fit(enum sls_device_type type, const struct sls_stock_token *t)
{
    const char *suite = sls_device_ocra_suite(type);

    if (t->kind == SLS_STOCK_KIND_HOTP)
        return "HOTP tokens (event-based codes) have no device type: they stay in stock";
    if (t->kind != SLS_STOCK_KIND_OCRA)
        return "This device type takes an OCRA token; this token is not one";
    if (t->suite == NULL || strcmp(t->suite, suite) != 0)
        return "This token's OCRA suite is not the one of this device type";
    if (t->key_bytes != SLS_STOCK_CARD_KEY_BYTES)
        return "The cards compute HMAC-SHA1 with 20-byte keys; this token's key is another size";
    return NULL;
}

const char *sls_stock_fit(enum sls_device_type type, const struct sls_stock_token *t)
{
    if (t == NULL)
        return "No token";
    if (type == SLS_DEVICE_TOTP)
        return t->kind == SLS_STOCK_KIND_HOTP
                   ? "HOTP tokens (event-based codes) have no device type: they stay in stock"
                   : totp_fit(t);
    switch (type) {
    case SLS_DEVICE_DSC_PLUS:
    case SLS_DEVICE_DSC:
    case SLS_DEVICE_PLATINUM:
    case SLS_DEVICE_GOLD:
        return card_fit(type, t);
    default:
        return "Tokens from stock become totp, dsc_plus, dsc, platinum or gold devices";
    }
}
