/* The otpauth:// URI an authenticator app reads from a QR code (the Key
 * Uri Format of Google Authenticator, which the other apps follow): type
 * totp, the label "ISSUER:ACCOUNT", and the parameters secret (base32
 * without padding), issuer, algorithm SHA1, digits 6 and period 30 (SPEC
 * §10.4). Issuer and account are percent-encoded (RFC 3986: every byte
 * but the unreserved A-Z a-z 0-9 - . _ ~), so that no name can add a
 * parameter, a path or a fragment of its own. */
#ifndef SLS_CORE_OTPAUTH_H
#define SLS_CORE_OTPAUTH_H

#include <stddef.h>

/* Writes the URI into out (outlen bytes, NUL included). secret_b32 must be
 * base32 (A-Z 2-7, no padding); issuer and account non-empty. Returns 0, or
 * -1 (out then "") for a bad argument or an out too small. */
int sls_otpauth_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                    size_t outlen);

#endif
