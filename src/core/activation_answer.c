/* The verdict on an activation's device response; see activation_answer.h. */
#include "activation_answer.h"

#include "activation.h"
#include "challenge.h"

static struct sls_activation_verdict verdict(enum sls_activation_outcome o, const char *audit)
{
    struct sls_activation_verdict v = {o, audit};
    return v;
}

bool sls_activation_answer_checkable(const struct sls_activation_facts *f)
{
    struct sls_activation_facts g = *f;

    g.right = true;
    return sls_activation_answer_decide(&g).outcome == SLS_ACTIVATION_VOUCHED;
}

struct sls_activation_verdict sls_activation_answer_decide(const struct sls_activation_facts *f)
{
    if (!f->has_challenge)
        return sls_activation_needs_device(f->held, f->nheld)
                   ? verdict(SLS_ACTIVATION_START_AGAIN, NULL)
                   : verdict(SLS_ACTIVATION_CODE_ALONE, NULL);
    if (sls_lockout_is_locked(f->lockout, f->now))
        return verdict(SLS_ACTIVATION_FAILED, "locked");
    if (!f->has_response)
        return verdict(SLS_ACTIVATION_FAILED, "missing_device_response");
    if (!f->device_active)
        return verdict(SLS_ACTIVATION_FAILED, "device_not_active");
    if (!sls_challenge_valid(f->issued_at, f->ttl, f->now))
        return verdict(SLS_ACTIVATION_FAILED, "expired");
    if (!f->right)
        return verdict(SLS_ACTIVATION_FAILED, "wrong_device_response");
    return verdict(SLS_ACTIVATION_VOUCHED, NULL);
}
