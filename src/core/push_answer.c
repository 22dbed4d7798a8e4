/* The verdict on the app's answer to a push; see push_answer.h. */
#include "push_answer.h"

#include "challenge.h"

static struct sls_push_answer_verdict verdict(enum sls_push_answer_outcome o, const char *audit)
{
    struct sls_push_answer_verdict v = {o, audit};
    return v;
}

bool sls_push_answer_checkable(const struct sls_push_answer_facts *f)
{
    return f->found && f->same_key;
}

struct sls_push_answer_verdict sls_push_answer_decide(const struct sls_push_answer_facts *f)
{
    if (!f->found)
        return verdict(SLS_PUSH_ANSWER_UNKNOWN, "unknown_push");
    if (!f->same_key)
        return verdict(SLS_PUSH_ANSWER_OTHER_APP, "other_app");
    if (!f->signature_ok)
        return verdict(SLS_PUSH_ANSWER_BAD_SIGNATURE, "bad_signature");
    if (f->state != SLS_PUSH_PENDING)
        return verdict(SLS_PUSH_ANSWER_ALREADY_DECIDED, "already_decided");
    if (!sls_push_live(f->policy, f->created_at, f->now) ||
        (f->purpose == SLS_PUSH_LOGIN &&
         (!f->login_waits || !sls_challenge_valid(f->login_created_at, f->login_ttl, f->now))))
        return verdict(SLS_PUSH_ANSWER_EXPIRED, "expired");
    if (f->approve) {
        switch (sls_push_number_check(f->number, f->number_given, f->number_typed)) {
        case SLS_PUSH_NUMBER_MISSING:
            return verdict(SLS_PUSH_ANSWER_NUMBER_MISSING, NULL);
        case SLS_PUSH_NUMBER_WRONG:
            return verdict(SLS_PUSH_ANSWER_WRONG_NUMBER, NULL);
        case SLS_PUSH_NUMBER_OK:
            break;
        }
        return verdict(SLS_PUSH_ANSWER_DECIDE, NULL);
    }
    return verdict(
        f->purpose == SLS_PUSH_LOGIN ? SLS_PUSH_ANSWER_DENY_LOGIN : SLS_PUSH_ANSWER_DECIDE, NULL);
}
