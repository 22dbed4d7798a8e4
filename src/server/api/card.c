/* R27 online security cards, from the account holder's side: requesting a
 * card from a session opened with a temporary passcode, reading it (JSON, a
 * printable HTML page, an SVG image) until it is activated, and activating it
 * with the values at two indexes.
 *
 * A card is a device record of type online_card whose secret is the 300
 * sealed digits. It waits in state "shipped" until activated; its activation
 * indexes are a challenge kept under "activate:<card id>". Requesting a new
 * card retires one still waiting; activating a card retires the card that was
 * active before it, with its sessions. Wrong activation values count toward
 * the lockout (R8) like wrong login answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/card.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/api/card_render.h"
#include "core/challenge_answer.h"
#include "core/error.h"
#include "core/online_card.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/online_card_tx.h"
#include "server/flows/session.h"

#define CELLS_LEN (SLS_ONLINE_CARD_CELLS * SLS_ONLINE_CARD_DIGITS)

#define MSG_NO_CARD "No such online security card"

/* The API shape of a card waiting for activation. */
static json_t *card_json(const char *card_id, const char *cells, const unsigned idx[2],
                         sls_time issued_at)
{
    json_t *o = json_object(), *c = json_object();
    char key[8], value[4];

    for (unsigned i = 1; i <= SLS_ONLINE_CARD_CELLS; i++) {
        snprintf(key, sizeof(key), "%u", i);
        memcpy(value, cells + 3 * (i - 1), 3);
        value[3] = '\0';
        json_object_set_new(c, key, json_string(value));
    }
    json_object_set_new(o, "card_id", json_string(card_id));
    json_object_set_new(o, "cells", c);
    json_object_set_new(o, "activation",
                        json_pack("{s:[II]}", "indexes", (json_int_t)idx[0], (json_int_t)idx[1]));
    json_object_set_new(o, "state", json_string("shipped"));
    json_object_set_new(o, "issued_at", sls_time_json(issued_at));
    return o;
}

/* ---- POST /v1/me/online-card ---- */

void sls_api_online_card_new(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_online_card_issue *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_device_rec *card = sls_req_alloc(rq, sizeof(*card));
    struct sls_secret_rec *act = sls_req_alloc(rq, sizeof(*act));
    char *cells = sls_req_alloc(rq, CELLS_LEN + 1); /* the card's secret: wiped with the arena */
    unsigned idx[2];
    int rc;

    if (t == NULL || card == NULL || act == NULL || cells == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    sls_random_digits(cells, CELLS_LEN);
    idx[0] = sls_random_uniform(SLS_ONLINE_CARD_CELLS) + 1;
    idx[1] = sls_random_uniform(SLS_ONLINE_CARD_CELLS - 1) + 1;
    if (idx[1] >= idx[0])
        idx[1]++;
    t->now = rq->now;
    t->username = u->username;
    t->user_id = u->id;
    t->passcode_id = s.device_id;
    t->card = card;
    t->act = act;
    sls_random_hex(card->id, SLS_ID_LEN / 2);
    card->user_id = u->id;
    card->type = SLS_DEVICE_ONLINE_CARD;
    card->state = SLS_DEVSTATE_SHIPPED;
    snprintf(card->label, sizeof(card->label), "Online security card");
    card->created_at = rq->now;
    card->state_changed_at = rq->now;
    if (sls_device_seal(rq->app, card, false, (const uint8_t *)cells, CELLS_LEN) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    sls_card_activation_key(act->key, sizeof(act->key), card->id);
    act->user_id = u->id;
    snprintf(act->device_id, sizeof(act->device_id), "%s", card->id);
    act->kind = SLS_CHALLENGE_CARD;
    snprintf(act->challenge, sizeof(act->challenge), "%u,%u", idx[0], idx[1]);
    act->issued_at = rq->now;
    rc = sls_online_card_tx_issue(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs,
                       rc == SLS_ERR_NOT_FOUND ? SLS_ERR_UNAUTHORIZED
                       : rc == SLS_ERR_NOMEM   ? SLS_ERR_NOMEM
                                               : SLS_ERR_STORE,
                       NULL);
        return;
    }
    if (t->refused) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "Too many online security cards were requested: please call the "
                           "service desk",
                           NULL);
        return;
    }
    sls_resp_json(rs, 201, card_json(card->id, cells, idx, rq->now));
}

/* ---- GET /v1/me/online-card/{id}[.svg|.html] ---- */

struct card_read {
    struct sls_device_rec card;
    struct sls_secret_rec act;
};

/* Reads the user's card named id; answers 404 / 409 and returns false when it
 * is not theirs, or no longer waiting for activation. */
static bool load_card(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u,
                      const char *id, struct card_read *r)
{
    bool kept;
    int rc;

    if (!sls_id_valid(id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_CARD, NULL);
        return false;
    }
    rc = sls_online_card_tx_read(rq->app, id, &r->card, &r->act, &kept);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    switch (rc == SLS_ERR_NOT_FOUND
                ? SLS_ONLINE_CARD_UNKNOWN
                : sls_online_card_status(r->card.user_id == u->id &&
                                             r->card.type == SLS_DEVICE_ONLINE_CARD,
                                         r->card.state, kept)) {
    case SLS_ONLINE_CARD_WAITING:
        return true;
    case SLS_ONLINE_CARD_UNKNOWN:
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_CARD, NULL);
        return false;
    case SLS_ONLINE_CARD_ALREADY_ACTIVE:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This card is already active: its values are not shown again",
                           "Request a new card if you no longer have it");
        return false;
    case SLS_ONLINE_CARD_RETIRED:
        break;
    }
    sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This card was replaced or revoked",
                       "Request a new card");
    return false;
}

enum card_format { FORMAT_JSON, FORMAT_SVG, FORMAT_HTML };

void sls_api_online_card_get(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct card_read *r = sls_req_alloc(rq, sizeof(*r));
    char *cells = sls_req_alloc(rq, CELLS_LEN + 1); /* the card's secret: wiped with the arena */
    char id[SLS_ID_LEN + 8], issued[32], *doc;
    const char *dot;
    enum card_format format = FORMAT_JSON;
    unsigned idx[2] = {0, 0};
    struct sls_card_view view;

    if (r == NULL || cells == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    snprintf(id, sizeof(id), "%s", rq->params[0]);
    dot = strchr(id, '.');
    if (dot != NULL) {
        if (strcmp(dot, ".svg") == 0)
            format = FORMAT_SVG;
        else if (strcmp(dot, ".html") == 0)
            format = FORMAT_HTML;
        else if (strcmp(dot, ".json") != 0)
            format = (enum card_format) - 1;
        id[dot - id] = '\0';
    }
    if ((int)format < 0) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "Formats are .json, .svg and .html", NULL);
        return;
    }
    if (!load_card(rq, rs, u, id, r))
        return;
    if (sls_device_secret_open(rq->app, &r->card, (uint8_t *)cells, CELLS_LEN) != CELLS_LEN ||
        sscanf(r->act.challenge, "%u,%u", &idx[0], &idx[1]) != 2) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    if (format == FORMAT_JSON) {
        sls_resp_json(rs, 200, card_json(r->card.id, cells, idx, r->card.created_at));
        return;
    }
    sls_time_text(r->card.created_at, issued);
    view.cells = cells;
    view.card_id = r->card.id;
    view.username = u->username;
    view.issued_at = issued;
    view.activation[0] = idx[0];
    view.activation[1] = idx[1];
    doc = format == FORMAT_SVG ? sls_card_svg(&view) : sls_card_html(&view);
    if (doc == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    /* The text is handed over as is: the response owns it from here. */
    sls_resp_bytes(
        rs, 200, format == FORMAT_SVG ? "image/svg+xml; charset=utf-8" : "text/html; charset=utf-8",
        (uint8_t *)doc, strlen(doc));
    rs->csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
}

/* ---- POST /v1/me/online-card/{id}/activate ---- */

/* A wrong answer (verdict v): counted toward R8 like a wrong login answer;
 * the card's indexes stay. */
static void activation_failed(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u,
                              const char *card_id, const struct sls_challenge_verdict *v)
{
    struct sls_attempt a;

    memset(&a, 0, sizeof(a));
    a.user_id = u->id;
    a.username = u->username;
    a.event = "online_card.activate";
    a.outcome = v->audit_outcome;
    a.client_token_hash = rq->client_token_hash; /* §10.3: the session's counter */
    a.detail = card_id;
    sls_login_answer_fail(rq->app, rs, &a, rq->now, v->err,
                          "Enter the values at the two indexes shown, 3 digits each, without "
                          "a space");
}

void sls_api_online_card_activate(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct card_read *r = sls_req_alloc(rq, sizeof(*r));
    struct sls_online_card_activation *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_challenge_facts f;
    struct sls_challenge_verdict v;
    const char *response;
    sls_time until;
    char msg[128], ts[32];
    int rc;

    if (r == NULL || t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "response", true, 64, &response) ||
        !load_card(rq, rs, u, rq->params[0], r))
        return;
    if (!sls_response_well_formed(SLS_DEVICE_ONLINE_CARD, response, strlen(response))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'response' must be the two 3-digit values, without a space "
                           "(6 digits)",
                           NULL);
        return;
    }
    memset(&f, 0, sizeof(f));
    f.now = rq->now;
    f.lockout = &u->lockout;
    f.kind = r->act.kind;
    f.issued_at = r->act.issued_at;
    f.lifelong = true;
    f.well_formed = true; /* checked above, with the card's own message */
    if (sls_challenge_answer_checkable(&f))
        f.right = sls_device_response_ok(rq->app, &r->card, r->act.challenge, response);
    v = sls_challenge_answer_decide(&f);
    if (v.outcome == SLS_CHALLENGE_LOCKED) {
        sls_login_answer_locked(rs, u->lockout.locked_until);
        return;
    }
    if (v.outcome != SLS_CHALLENGE_RIGHT) {
        activation_failed(rq, rs, u, r->card.id, &v);
        return;
    }
    t->now = rq->now;
    t->username = u->username;
    t->card_id = r->card.id;
    t->challenge = r->act.challenge;
    rc = sls_online_card_tx_activate(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc == SLS_ERR_NOMEM ? SLS_ERR_NOMEM : SLS_ERR_STORE, NULL);
        return;
    }
    if (t->changed) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This card was activated, replaced or revoked",
                           NULL);
        return;
    }
    until = sls_online_card_expires_at(rq->now, &rq->app->cfg.access);
    sls_time_text(until, ts);
    snprintf(msg, sizeof(msg), "Your online security card is active until %s", ts);
    sls_resp_json(rs, 200,
                  json_pack("{s:s, s:s, s:s, s:s}", "card_id", r->card.id, "state", "active",
                            "expires_at", ts, "message", msg));
}
