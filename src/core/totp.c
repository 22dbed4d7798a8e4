/* The steps a TOTP code may come from; see totp.h. */
#include "totp.h"

int64_t sls_totp_step_of(sls_time now)
{
    int64_t q = now / SLS_TOTP_PERIOD;

    /* C division truncates toward zero: floor for negative times. */
    if (now % SLS_TOTP_PERIOD != 0 && now < 0)
        q--;
    return q;
}

size_t sls_totp_candidates(sls_time now, int64_t last_accepted,
                           int64_t out[SLS_TOTP_CANDIDATES_MAX])
{
    int64_t step = sls_totp_step_of(now);
    size_t n = 0;

    for (int64_t d = -SLS_TOTP_WINDOW; d <= SLS_TOTP_WINDOW; d++) {
        int64_t s = step + d;

        if (s > last_accepted && s > 0)
            out[n++] = s;
    }
    return n;
}
