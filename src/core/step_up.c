/* R34 step-up verification: when a session counts as freshly verified, and
 * what a poll for a push step-up comes to. */
#include "step_up.h"

#include <string.h>

#include "challenge.h"

sls_time sls_step_up_until(sls_time answered_at, sls_time ttl)
{
    return answered_at + ttl;
}

enum sls_step_up_gate sls_step_up_gate(bool sls_member, enum sls_device_type factor,
                                       sls_time verified_until, sls_time now)
{
    if (!sls_member || factor == SLS_DEVICE_NONE)
        return SLS_STEP_UP_OUTSIDE_SLS;
    return now < verified_until ? SLS_STEP_UP_PASS : SLS_STEP_UP_REQUIRED;
}

bool sls_step_up_device_ok(enum sls_device_type type, enum sls_device_state state)
{
    return state == SLS_DEVSTATE_ACTIVE && type != SLS_DEVICE_NONE;
}

struct sls_step_up_poll sls_step_up_poll_decide(const struct sls_step_up_poll_facts *f)
{
    struct sls_step_up_poll p;
    bool live;

    memset(&p, 0, sizeof(p));
    if (!f->has_challenge) {
        if (sls_step_up_gate(f->sls_member, f->factor, f->verified_until, f->now) ==
            SLS_STEP_UP_PASS) {
            p.status = SLS_STEP_UP_POLL_VERIFIED;
            p.until = f->verified_until;
        } else {
            p.status = SLS_STEP_UP_POLL_NONE;
        }
        return p;
    }
    if (f->kind != SLS_CHALLENGE_PUSH) {
        p.status = SLS_STEP_UP_POLL_CHALLENGE;
        return p;
    }
    live = f->has_push && sls_push_live(f->push, f->push_created_at, f->now) &&
           sls_challenge_valid(f->issued_at, f->challenge_ttl, f->now);
    if (!f->has_push || (f->push_state == SLS_PUSH_PENDING && !live)) {
        /* Unanswered in time: gone, like a login push that expired. */
        p.status = SLS_STEP_UP_POLL_EXPIRED;
        p.write = SLS_STEP_UP_WRITE_DROP;
    } else if (f->push_state == SLS_PUSH_PENDING) {
        p.status = SLS_STEP_UP_POLL_PENDING;
    } else if (f->push_state == SLS_PUSH_DENIED && f->wrong_number) {
        /* §10.3: counted when the app denied it; only the challenge goes. */
        p.status = SLS_STEP_UP_POLL_WRONG_NUMBER;
        p.write = SLS_STEP_UP_WRITE_DROP;
    } else if (f->push_state == SLS_PUSH_DENIED) {
        p.status = SLS_STEP_UP_POLL_DENIED;
        p.write = SLS_STEP_UP_WRITE_FAIL;
        p.failure = sls_challenge_answer_denied();
    } else {
        /* Approved, even after the challenge's own lifetime: the app
         * decided while the push was live. */
        p.status = SLS_STEP_UP_POLL_APPROVED;
        p.write = SLS_STEP_UP_WRITE_VERIFY;
        p.until = sls_step_up_until(f->now, f->step_up_ttl);
    }
    return p;
}
