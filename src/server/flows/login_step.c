/* A login step from its input to its verdict applied; see login_step.h. */
#include "server/flows/login_step.h"

#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/client_lockout.h"
#include "core/error.h"
#include "core/id.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "server/flows/device_auth.h"
#include "server/flows/one_time_code.h"
#include "server/flows/passkey.h"
#include "server/flows/phones_on_record.h"
#include "server/flows/session.h"

static bool usable(const struct sls_device_rec *d)
{
    return d->state == SLS_DEVSTATE_ACTIVE && d->type != SLS_DEVICE_NONE;
}

static struct sls_account_view account_view(const struct sls_user_rec *u)
{
    struct sls_account_view v;

    v.state = u->account_state;
    v.approved_at = u->approved_at;
    v.is_paper = u->paper_of != 0;
    v.sls = u->sls;
    return v;
}

bool sls_login_live(const struct sls_app *app, const struct sls_login_rec *l, sls_time now)
{
    return l->state == SLS_LOGIN_PENDING &&
           sls_challenge_valid(l->created_at, app->cfg.login_ttl, now);
}

/* Applies st->v with st->a, its audit detail naming the front end (st->via). */
static void apply(struct sls_app *app, struct sls_login_step *st, sls_time now)
{
    if (st->via != NULL) {
        /* A detail cut short still names the front end first. */
        if (snprintf(st->detail, sizeof(st->detail), "via %s%s%s", st->via, st->a.detail ? " " : "",
                     st->a.detail ? st->a.detail : "") < 0)
            st->detail[0] = '\0';
        st->a.detail = st->detail;
    }
    st->rc = sls_attempt_apply(app, &st->v, &st->a, now);
}

/* Prepares the session a session verdict opens, and in mode client the new
 * client token that goes with it (§10.3). */
static void prepare_session(struct sls_app *app, struct sls_login_step *st, const char *device_id,
                            enum sls_auth_mode mode, sls_time now)
{
    sls_session_new(app, &st->sess, st->token, &st->f.user, st->f.login.platform, st->v.factor,
                    device_id, st->v.access, mode, st->f.login.paper, now);
    st->a.session = &st->sess;
    if (app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT) {
        sls_client_token_new(app, &st->issue, st->issue_token, st->f.user.id, now);
        st->a.issue = &st->issue;
    }
}

bool sls_login_step_prepare_challenge(const struct sls_app *app, const struct sls_device_rec *d,
                                      const struct sls_user_rec *u, bool manual,
                                      struct sls_login_rec *l, char *to, size_t tolen)
{
    enum sls_challenge_kind kind = sls_device_challenge_kind(d->type);
    int rc = SLS_OK;

    if (manual)
        rc = sls_device_manual_challenge_new(app, d, l->challenge, sizeof(l->challenge), &l->kind);
    else if (kind == SLS_CHALLENGE_PUSH || kind == SLS_CHALLENGE_CODE)
        l->kind = kind;
    else
        rc = sls_device_challenge_new(app, d, l->challenge, sizeof(l->challenge), &l->kind);
    if (rc == SLS_OK && l->kind == SLS_CHALLENGE_CODE &&
        sls_sms_address(d, u->phones_json, to, tolen) != 0)
        rc = SLS_ERR_NO_ACTIVE_DEVICE;
    return rc == SLS_OK;
}

/* Stage 1 passed: the login is written with the challenge of the default
 * device (R7). */
static enum sls_login_step_result challenge(struct sls_app *app, struct sls_login_step *st,
                                            const struct sls_login_stage1_in *in, bool has_client,
                                            sls_time now)
{
    const struct sls_device_rec *d = &st->f.devices[st->v.device];
    struct sls_login_rec *l = &st->next;
    struct sls_login_challenge c;

    sls_random_id_time_ordered(l->id);
    l->user_id = st->f.user.id;
    l->platform = in->platform;
    l->paper = in->paper;
    l->created_at = now;
    l->state = SLS_LOGIN_PENDING;
    if (has_client)
        snprintf(l->client_token_hash, sizeof(l->client_token_hash), "%s", st->f.client_hash);
    snprintf(l->device_id, sizeof(l->device_id), "%s", d->id);
    l->challenge_at = now;
    if (!sls_login_step_prepare_challenge(app, d, &st->f.user, false, l, st->to, sizeof(st->to)))
        return SLS_LOGIN_STEP_NO_CHALLENGE;
    memset(&c, 0, sizeof(c));
    c.login = l;
    c.insert = true;
    c.user = &st->f.user;
    c.device = d;
    c.channel = "sms";
    c.to = st->to;
    if (sls_login_challenge_issue(app, &c, now) != SLS_OK)
        return SLS_LOGIN_STEP_STORE_ERROR;
    st->number = c.number;
    return SLS_LOGIN_STEP_CHALLENGED;
}

enum sls_login_step_result sls_login_step_stage1(struct sls_app *app, struct sls_login_step *st,
                                                 const struct sls_login_stage1_in *in, sls_time now)
{
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    struct sls_login_stage1 facts;
    struct sls_counters counters;
    size_t i, ulen = strlen(in->username);
    bool found = false, could_exist;
    int rc;

    st->f.username = in->username;
    /* §10.3: text that cannot be one of our tokens is no token, like an unknown one. */
    if (app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT && in->client_token != NULL)
        sls_client_token_hash(in->client_token, st->f.client_hash);
    could_exist = sls_username_could_exist(in->username, ulen);
    if (could_exist) {
        rc = sls_login_read_user(app, &st->f);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return SLS_LOGIN_STEP_STORE_ERROR;
        found = rc == SLS_OK;
    }
    /* R8, §10.3: the counter this login counts against. An unknown or
     * expired token, or another user's, is no token. */
    memset(&counters, 0, sizeof(counters));
    counters.user = st->f.user.lockout;
    counters.has_client =
        found && st->f.client_found &&
        sls_client_token_valid(st->f.client.user_id, st->f.client.expires_at, st->f.user.id, now);
    if (counters.has_client)
        counters.client = st->f.client.lockout;
    memset(&facts, 0, sizeof(facts));
    facts.user_found = found;
    /* R5: the same Argon2id work whether or not the user exists. */
    facts.password_ok = sls_password_verify(found ? st->f.user.password_hash : app->dummy_hash,
                                            in->password, strlen(in->password)) == 0 &&
                        found;
    facts.locked = found && sls_counters_locked(&counters, now, NULL);
    facts.account = account_view(&st->f.user);
    facts.platform = in->platform;
    facts.paper = in->paper;
    for (i = 0; i < st->f.ndevices; i++) {
        briefs[i].type = st->f.devices[i].type;
        briefs[i].state = usable(&st->f.devices[i]) ? SLS_DEVSTATE_ACTIVE : SLS_DEVSTATE_INACTIVE;
    }
    facts.devices = briefs;
    facts.ndevices = st->f.ndevices;
    sls_login_decide_stage1(&facts, &app->cfg.access, now, &st->v);
    if (st->v.outcome == SLS_LOGIN_OUT_SECOND_FACTOR)
        return challenge(app, st, in, counters.has_client, now);
    st->a.user_id = st->f.user.id;
    st->a.username = found ? st->f.user.username : could_exist ? in->username : "";
    st->a.client_token_hash = counters.has_client ? st->f.client_hash : NULL;
    st->a.detail = st->v.outcome == SLS_LOGIN_OUT_REFUSED ? st->v.message : NULL;
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION) {
        /* Stage 2 is skipped (closed accounts, SLS opt-out). */
        st->f.login.platform = in->platform;
        st->f.login.paper = in->paper;
        prepare_session(app, st, NULL, SLS_AUTH_NONE, now);
        st->a.detail = "factor=none";
    }
    apply(app, st, now);
    return SLS_LOGIN_STEP_APPLIED;
}

enum sls_login_step_result sls_login_step_load(struct sls_app *app, struct sls_login_step *st,
                                               const char *login_id, const char *device_id)
{
    int rc;

    if (!sls_id_valid(login_id))
        return SLS_LOGIN_STEP_NOT_FOUND;
    st->f.login_id = login_id;
    st->f.device_id = device_id;
    rc = sls_login_read_login(app, &st->f);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_LOGIN_STEP_NOT_FOUND;
    return rc == SLS_OK ? SLS_LOGIN_STEP_PENDING : SLS_LOGIN_STEP_STORE_ERROR;
}

/* The facts of stage 2 that do not depend on how the factor was given. */
static void stage2_facts(const struct sls_login_facts *f, enum sls_login_proof proof,
                         struct sls_login_stage2 *out)
{
    memset(out, 0, sizeof(*out));
    out->proof = proof;
    out->pending = f->login.state == SLS_LOGIN_PENDING;
    out->waits_for_push = f->login.kind == SLS_CHALLENGE_PUSH;
    out->created_at = f->login.created_at;
    out->challenge_at = f->login.challenge_at;
    out->is_code = f->login.kind == SLS_CHALLENGE_CODE;
    out->code_found = f->code_found;
    out->code_expires_at = f->code.expires_at;
    out->device_found = f->device_found;
    out->device_active = f->device_found && usable(&f->device);
    out->factor = f->device.type;
    out->factor_since = f->device.state_changed_at;
    out->account = account_view(&f->user);
    out->platform = f->login.platform;
    out->paper = f->login.paper;
}

/* The attempt that applies a stage-2 verdict to the login of st. */
static void stage2_attempt(struct sls_login_step *st, const char *detail)
{
    st->next = st->f.login;
    st->a.user_id = st->f.user.id;
    st->a.username = st->f.user.username;
    st->a.login = &st->next;
    st->a.login_seq = st->f.login.seq;
    st->a.detail = st->v.outcome == SLS_LOGIN_OUT_REFUSED ? st->v.message : detail;
}

/* §10.5: whether a passkey's assertion answers the login's challenge into
 * *right, without the store: its counter moves in the login's own
 * transaction (st->a.passkey; a counter found back there is a failure
 * too). Returns SLS_OK or SLS_ERR_NOMEM. */
static int passkey_answer_check(const struct sls_app *app, struct sls_login_step *st,
                                const char *credential, bool *right)
{
    struct sls_passkey_move *p = &st->passkey;
    enum sls_passkey_verdict v;
    uint32_t count = 0;
    int rc;

    *right = false;
    rc = sls_passkey_assertion_verify(app, &st->f.device, st->f.login.challenge, credential, &v,
                                      &count);
    if (rc != SLS_OK)
        return rc;
    memset(p, 0, sizeof(*p));
    p->device_id = st->f.device.id;
    p->count = (int64_t)count;
    p->move = !(count == 0 && st->f.device.passkey_count == 0);
    p->went_back_before = v == SLS_PASSKEY_COUNTER_BACK;
    if (v == SLS_PASSKEY_OK || v == SLS_PASSKEY_COUNTER_BACK)
        st->a.passkey = p;
    *right = v == SLS_PASSKEY_OK;
    return SLS_OK;
}

/* Whether the typed response answers the login's challenge (its code, R25,
 * its device's challenge, or an app's current code, whose step is spent when
 * right; a passkey's assertion) into *right. Returns SLS_OK or the store's error. */
static int typed_answer_check(const struct sls_app *app, struct sls_login_step *st,
                              const char *response, sls_time now, bool *right)
{
    const struct sls_login_facts *f = &st->f;

    if (f->login.kind == SLS_CHALLENGE_CODE) {
        *right = f->code.user_id == f->user.id && strcmp(f->code.data, f->device.id) == 0 &&
                 sls_response_well_formed(f->device.type, response, strlen(response)) &&
                 sls_code_matches(app, &f->code, response);
        return SLS_OK;
    }
    if (f->device.type == SLS_DEVICE_PASSKEY)
        return passkey_answer_check(app, st, response, right);
    return sls_device_answer_check(app, &f->device, f->login.challenge, response, now, right);
}

enum sls_login_step_result sls_login_step_answer(struct sls_app *app, struct sls_login_step *st,
                                                 const char *response, sls_time now)
{
    const struct sls_login_ttl ttl = {app->cfg.login_ttl, app->cfg.challenge_ttl};
    struct sls_login_stage2 facts;
    struct sls_login_verdict back; /* §10.5: the verdict if the passkey's counter went back */

    memset(&back, 0, sizeof(back));
    stage2_facts(&st->f, SLS_LOGIN_PROOF_TYPED, &facts);
    /* The answer is checked only when it could count. */
    facts.answer_ok = false;
    if (facts.pending && !facts.waits_for_push && facts.device_active &&
        !sls_login_answer_expired(&facts, &ttl, now)) {
        st->rc = typed_answer_check(app, st, response, now, &facts.answer_ok);
        if (st->rc != SLS_OK)
            return SLS_LOGIN_STEP_STORE_ERROR;
    }
    sls_login_decide_stage2(&facts, &ttl, &app->cfg.access, now, &st->v);
    if (st->a.passkey != NULL && facts.answer_ok) {
        /* Decided beforehand, as pure as the other: the transaction picks. */
        facts.answer_ok = false;
        sls_login_decide_stage2(&facts, &ttl, &app->cfg.access, now, &back);
        st->passkey.fail_event = back.audit_event;
        st->passkey.fail_outcome = back.audit_outcome;
    }
    st->rc = SLS_OK;
    if (st->v.outcome == SLS_LOGIN_OUT_REJECTED)
        return SLS_LOGIN_STEP_APPLIED;
    stage2_attempt(st, st->v.audit_outcome != NULL && strcmp(st->v.audit_outcome, "reused") == 0
                           ? NULL
                           : sls_device_type_name(st->f.device.type));
    if (facts.pending && facts.is_code) {
        /* R25: the code of this login is used once, whatever the answer. */
        sls_login_code_key(st->code_key, sizeof(st->code_key), st->f.login.id);
        st->a.code_key = st->code_key;
    }
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION)
        /* R10: the app's manual mode is unlocked like its approvals (its mode). */
        prepare_session(app, st, st->f.device.id,
                        st->f.device.type == SLS_DEVICE_IBKEY ? (enum sls_auth_mode)st->f.ibkey_mode
                                                              : SLS_AUTH_NONE,
                        now);
    apply(app, st, now);
    /* A passkey's counter that went back meanwhile: failed and counted in
     * the same transaction, answered as the failure it was. */
    if (st->rc == SLS_OK && st->a.passkey != NULL && st->passkey.went_back && !st->a.reused)
        st->v = back;
    return SLS_LOGIN_STEP_APPLIED;
}

/* A push approved in the app: the first poll after the approval opens the
 * session. The login is closed by compare-and-swap, so of two polls only
 * one opens it; the others find it decided (st->a.reused). */
static enum sls_login_step_result complete_push(struct sls_app *app, struct sls_login_step *st,
                                                sls_time now)
{
    const struct sls_login_ttl ttl = {app->cfg.login_ttl, app->cfg.challenge_ttl};
    struct sls_login_stage2 facts;

    stage2_facts(&st->f, SLS_LOGIN_PROOF_PUSH, &facts);
    facts.answer_ok = true; /* approved, signed by the app that holds the device */
    sls_login_decide_stage2(&facts, &ttl, &app->cfg.access, now, &st->v);
    stage2_attempt(st, "ibkey push");
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION)
        prepare_session(app, st, st->f.device.id, st->f.push.auth_mode, now);
    apply(app, st, now);
    return SLS_LOGIN_STEP_APPLIED;
}

enum sls_login_step_result sls_login_step_poll(struct sls_app *app, struct sls_login_step *st,
                                               sls_time now)
{
    const struct sls_login_facts *f = &st->f;

    if (f->login.state == SLS_LOGIN_PENDING && f->device_found &&
        f->login.kind == SLS_CHALLENGE_PUSH && f->push_found &&
        f->push.state == SLS_PUSH_APPROVED && strcmp(f->push.subject, f->login.id) == 0 &&
        sls_challenge_valid(f->push.decided_at, app->cfg.login_ttl, now))
        return complete_push(app, st, now);
    return SLS_LOGIN_STEP_PENDING;
}
