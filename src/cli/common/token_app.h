/* `slstoken app`: the mobile authenticator (SPEC R20) emulated on the command
 * line. The app is one Ed25519 key pair; every user it activates gets a
 * device id and an OCRA secret from the server (several users per app, "add
 * user" reuses the key). Everything is kept in one state file (JSON, mode
 * 0600, replaced atomically). Requests to the device side of the API are
 * signed as SPEC §8 says (X-Device-Id, X-Timestamp, X-Signature over
 * METHOD\nPATH\nTIMESTAMP; approvals over PUSH_ID\nCHALLENGE\nDECISION).
 *
 * Each command prints its result (text, or JSON with json) and returns an
 * exit status of args.h. Uses src/crypto: call sls_crypto_init() first. */
#ifndef SLS_CLI_TOKEN_APP_H
#define SLS_CLI_TOKEN_APP_H

#include <stdbool.h>

#include "cli/common/args.h"

/* The state file: --state FILE, else $SLSTOKEN_APP_STATE, else
 * $HOME/.slstoken/app.json (the folder is created with mode 0700). */
#define SLS_TOKEN_APP_STATE_ENV    "SLSTOKEN_APP_STATE"
#define SLS_TOKEN_APP_STATE_DIR    ".slstoken"
#define SLS_TOKEN_APP_STATE_FILE   "app.json"
#define SLS_TOKEN_APP_PASSWORD_ENV "SLSTOKEN_PASSWORD"

/* app activate --user U [--server URL] [--password P] [--phone-country C
 * --phone-number N] [--mode pin|biometric] [--code CODE]: the whole
 * activation; without --code the SMS code is read from the server's dev
 * outbox. Without --password the password is $SLSTOKEN_PASSWORD or the
 * first line of standard input. When the server asks a security device of
 * the user to confirm it (SPEC §10.3), prints the challenge, keeps the
 * activation in the state and exits non-zero; the same command with
 * --device-response R (no password then) completes it. */
int sls_token_app_activate(const struct sls_args *a, bool json);

/* app pending: the push requests waiting for any user of the app. */
int sls_token_app_pending(const struct sls_args *a, bool json);

/* app approve|deny [PUSH_ID] [--auth pin|biometric] [--number N]: decides
 * the named push, or the only pending one (an error when there are none or
 * several). With number matching (SPEC §10.3: the push says
 * number_required) an approval needs --number, the two digits shown where
 * the login or step-up started, and signs it. */
int sls_token_app_decide(const struct sls_args *a, bool json, bool approve);

/* app respond CHALLENGE [--user U]: the OCRA response of the fallback. */
int sls_token_app_respond(const struct sls_args *a, bool json);

/* app users: the users the app holds. */
int sls_token_app_users(const struct sls_args *a, bool json);

#endif
