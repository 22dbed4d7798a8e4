/* The computations of slstoken, the device emulator: the response a
 * challenge/response device shows (OCRA, SPEC R20-R23), any OCRA suite, the
 * two cells a security code card gives (R24, R27), and fresh random cards and
 * secrets. Nothing here prints; errors are codes with a message each.
 * Uses src/crypto: call sls_crypto_init() first. */
#ifndef SLS_CLI_TOKEN_H
#define SLS_CLI_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SLS_TOKEN_MAX_SECRET    128  /* bytes of an OCRA key */
#define SLS_TOKEN_RESPONSE_LEN  8    /* digits a device shows */
#define SLS_TOKEN_CHALLENGE_LEN 6    /* digits a device takes */
#define SLS_TOKEN_PIN_LEN       4    /* digits of a dsc / dsc_plus PIN */
#define SLS_TOKEN_CELL_LEN      3    /* digits of one card cell */
#define SLS_TOKEN_MAX_CELLS     1000 /* cells of a generated card */
#define SLS_TOKEN_CARD_CELLS    100  /* cells of a card by default (R27) */

enum sls_token_err {
    SLS_TOKEN_OK = 0,
    SLS_TOKEN_ERR_TYPE,      /* not a challenge/response device type */
    SLS_TOKEN_ERR_SECRET,    /* secret not even-length hex, empty or too long */
    SLS_TOKEN_ERR_PIN,       /* PIN missing where the suite needs one */
    SLS_TOKEN_ERR_PIN_FORM,  /* device PIN not exactly 4 digits */
    SLS_TOKEN_ERR_CHALLENGE, /* device challenge not exactly 6 digits */
    SLS_TOKEN_ERR_SESSION,   /* session information missing where the suite needs it */
    SLS_TOKEN_ERR_OCRA,      /* malformed suite, or question not matching it */
    SLS_TOKEN_ERR_CELLS,     /* cells not a JSON object of 3-digit strings */
    SLS_TOKEN_ERR_INDEX,     /* card index not a number present on the card */
    SLS_TOKEN_ERR_COUNT,     /* card size out of range */
    SLS_TOKEN_ERR_BYTES,     /* secret size not 20, 32 or 64 */
    SLS_TOKEN_ERR_BUFFER,    /* output buffer too small */
    SLS_TOKEN_ERR_NOMEM,
    SLS_TOKEN_ERR__COUNT
};

/* One-line message of an error code. Never NULL. */
const char *sls_token_err_message(int err);

/* The 8-digit response a device of type (API name: "dsc_plus", "dsc",
 * "platinum", "gold", "ibkey") with the key secret_hex shows for a 6-digit
 * challenge. dsc and dsc_plus hash their 4-digit pin into the response and
 * need it; the others check a PIN on the device only and ignore pin.
 * Writes the response and a NUL to out (outlen > 8). Returns 0 or an error. */
int sls_token_respond(const char *type, const char *secret_hex, const char *pin,
                      const char *challenge, char *out, size_t outlen);

struct sls_token_ocra_req {
    const char *suite;      /* e.g. "OCRA-1:HOTP-SHA1-6:QN08" */
    const char *secret_hex; /* the key */
    const char *question;   /* the challenge */
    const char *pin;        /* plaintext PIN for P suites, or NULL */
    uint64_t counter;       /* for C suites */
    const char *session;    /* for S suites, or NULL */
    uint64_t timesteps;     /* for T suites: time steps since the epoch */
};

/* The response of any OCRA suite (RFC 6287). Returns 0 or an error. */
int sls_token_ocra(const struct sls_token_ocra_req *req, char *out, size_t outlen);

/* The length in seconds of the suite's time step when it has a T part
 * ("T30S", "T1M", "T1H"): 0 with *seconds set; 1 when the suite has no T;
 * SLS_TOKEN_ERR_OCRA when it is malformed. */
int sls_token_time_step(const char *suite, uint64_t *seconds);

/* The two 3-digit cells at index1 and index2 (decimal, 1 and up) of a card
 * given as a JSON object {"1":"123",...}, joined without a space: 6 digits
 * and a NUL into out (outlen > 6). Returns 0 or an error. */
int sls_token_card_lookup(const char *cells_json, const char *index1, const char *index2, char *out,
                          size_t outlen);

/* A new card of count cells (1..SLS_TOKEN_MAX_CELLS) from the CSPRNG, as a
 * JSON object {"1":"123",...} with keys "1".."count" in *out (json_decref it).
 * Returns 0 or an error. */
int sls_token_card_generate(size_t count, json_t **out);

/* A random secret of nbytes (20, 32 or 64) as lower-case hex and a NUL into
 * out (outlen > 2 * nbytes). Returns 0 or an error. */
int sls_token_secret_generate(size_t nbytes, char *out, size_t outlen);

#endif
