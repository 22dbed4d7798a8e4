/* The verdict on a response typed inside a session; see challenge_answer.h. */
#include "challenge_answer.h"

#include "challenge.h"
#include "error.h"

#define HINT_RETRY "Ask for a new challenge and type the response your device shows"

sls_time sls_challenge_answer_ttl(enum sls_challenge_kind kind, sls_time challenge_ttl,
                                  sls_time sms_code_ttl)
{
    return kind == SLS_CHALLENGE_CODE ? sms_code_ttl : challenge_ttl;
}

static struct sls_challenge_verdict refused(enum sls_challenge_outcome o, int err)
{
    struct sls_challenge_verdict v = {o, err, NULL, NULL, false, false};
    return v;
}

static struct sls_challenge_verdict failed(enum sls_challenge_outcome o, const char *audit,
                                           const char *hint)
{
    struct sls_challenge_verdict v = {o, SLS_ERR_VERIFICATION_FAILED, audit, hint, true, true};
    return v;
}

/* The card's indexes stay: asking again would not change them. */
static struct sls_challenge_verdict kept(struct sls_challenge_verdict v)
{
    v.consume = false;
    v.hint = NULL;
    return v;
}

bool sls_challenge_answer_checkable(const struct sls_challenge_facts *f)
{
    struct sls_challenge_facts g = *f;

    g.right = true;
    return sls_challenge_answer_decide(&g).outcome == SLS_CHALLENGE_RIGHT;
}

struct sls_challenge_verdict sls_challenge_answer_decide(const struct sls_challenge_facts *f)
{
    struct sls_challenge_verdict right = {SLS_CHALLENGE_RIGHT, SLS_OK, NULL, NULL, false, true};

    if (sls_lockout_is_locked(f->lockout, f->now))
        return refused(SLS_CHALLENGE_LOCKED, SLS_ERR_LOCKED);
    if (f->kind == SLS_CHALLENGE_PUSH)
        return refused(SLS_CHALLENGE_NOT_TYPED, SLS_ERR_CONFLICT);
    if (!f->well_formed)
        return refused(SLS_CHALLENGE_MALFORMED, SLS_ERR_BAD_REQUEST);
    if (!f->lifelong && !sls_challenge_valid(f->issued_at, f->ttl, f->now))
        return failed(SLS_CHALLENGE_EXPIRED, "expired", HINT_RETRY);
    if (!f->right && f->lifelong)
        return kept(failed(SLS_CHALLENGE_WRONG, "wrong_response", NULL));
    if (!f->right)
        return failed(SLS_CHALLENGE_WRONG, "wrong_response", HINT_RETRY);
    return right;
}

struct sls_challenge_verdict sls_challenge_answer_denied(void)
{
    return failed(SLS_CHALLENGE_DENIED, "denied", "The request was denied in the app");
}
