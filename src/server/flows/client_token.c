/* Client tokens of [lockout] mode client (SPEC §10.3); see client_token.h. */
#include "server/flows/client_token.h"
#include "server/app/app.h"

#include <stdio.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/random.h"

void sls_client_token_new(const struct sls_app *app, struct sls_client_token_rec *rec,
                          char token[SLS_CLIENT_TOKEN_LEN + 1], int64_t user_id, sls_time now)
{
    memset(rec, 0, sizeof(*rec));
    sls_random_hex(token, SLS_CLIENT_TOKEN_LEN / 2);
    sls_sha256_hex(token, SLS_CLIENT_TOKEN_LEN, rec->token_hash);
    sls_random_hex(rec->id, SLS_ID_LEN / 2);
    rec->user_id = user_id;
    rec->created_at = now;
    rec->expires_at = now + app->cfg.client_token_ttl;
}

bool sls_client_token_hash(const char *token, char out[65])
{
    size_t i;

    out[0] = '\0';
    if (token == NULL || strlen(token) != SLS_CLIENT_TOKEN_LEN)
        return false;
    for (i = 0; i < SLS_CLIENT_TOKEN_LEN; i++)
        if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
            return false;
    sls_sha256_hex(token, SLS_CLIENT_TOKEN_LEN, out);
    return true;
}
