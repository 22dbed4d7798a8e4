/* The store side of R32 device sharing (POST and DELETE
 * /v1/me/share-device, the desk's /v1/admin/sharing-requests): the reads of
 * the owner and of both parties, and the transactions that record a request
 * once the owner's device answered, cancel one (bringing back exactly the
 * devices it made inactive) and approve or deny one waiting for compliance.
 * The rules are core/sharing.h's, asked again with fresh data inside each
 * transaction. */
#ifndef SLS_SERVER_SHARING_TX_H
#define SLS_SERVER_SHARING_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sharing.h"
#include "server/app/app.h"
#include "store/store.h"

/* Both users of a request and their own devices, read in one snapshot. */
struct sls_sharing_parties {
    struct sls_user_rec requester, owner;
    struct sls_device_rec rdev[SLS_DEVICE_VIEW_MAX], odev[SLS_DEVICE_VIEW_MAX];
    size_t nr, no;
};

/* Reads the user named owner_username into owner, and whether requester_id
 * has an open request (*has_open). SLS_OK, SLS_ERR_NOT_FOUND when there is
 * no such user, or the store's error. */
int sls_sharing_tx_owner_read(const struct sls_app *app, int64_t requester_id,
                              const char *owner_username, struct sls_user_rec *owner,
                              bool *has_open);

/* Reads the parties p->requester.id and p->owner.id with their devices into
 * p. SLS_OK or the store's error. */
int sls_sharing_tx_parties_read(const struct sls_app *app, struct sls_sharing_parties *p);

/* The step (core/sharing.h) for sharing the owner's device device_id
 * between the parties p as read. */
struct sls_sharing_step sls_sharing_tx_judge(const struct sls_sharing_parties *p,
                                             const char *device_id);

struct sls_sharing_request_tx {
    /* in */
    sls_time now;
    struct sls_sharing_parties *p;  /* ids set; read again inside */
    const struct sls_secret_rec *c; /* the challenge answered, for its device; taken */
    /* out */
    struct sls_sharing_rec req;
    struct sls_sharing_step step; /* device gone or a refusal: no request recorded */
    bool taken;                   /* the challenge was used meanwhile */
    bool open;                    /* a request was opened meanwhile */
};

/* In one transaction: takes t->c, judges the step again, and when it
 * accepts records the request; one that takes effect at once makes the
 * requester's active devices inactive (listed in the request) and tells
 * both users. Audits. Returns SLS_OK (see the out fields), SLS_ERR_CONFLICT
 * with t->open (nothing written), or the store's error. */
int sls_sharing_tx_request(const struct sls_app *app, struct sls_sharing_request_tx *t);

struct sls_sharing_cancel_tx {
    /* in */
    sls_time now;
    int64_t user_id;
    const char *username;
    /* out */
    struct sls_sharing_rec req;
    char restored[SLS_DEVICE_VIEW_MAX][SLS_ID_LEN + 1]; /* devices brought back */
    size_t nrestored;
    size_t nsessions; /* sessions standing on the owner's device, ended */
    bool none;        /* no open request */
};

/* In one transaction: cancels the user's open request; one in effect brings
 * back the devices it made inactive that still are, with a notice each, and
 * ends the sessions standing on the owner's device. Audits. Returns SLS_OK
 * (see t->none), SLS_ERR_CONFLICT when the request changed meanwhile, or the
 * store's error. */
int sls_sharing_tx_cancel(const struct sls_app *app, struct sls_sharing_cancel_tx *t);

/* A request with the names of its users, as the desk lists it. */
struct sls_sharing_listed {
    struct sls_sharing_rec req;
    char requester[sizeof(((struct sls_user_rec *)0)->username)];
    char owner[sizeof(((struct sls_user_rec *)0)->username)];
};

/* Reads up to max requests in that state (-1: any) into out; *n is how
 * many. SLS_OK or the store's error. */
int sls_sharing_tx_list(const struct sls_app *app, int state, struct sls_sharing_listed *out,
                        size_t max, size_t *n);

enum sls_sharing_decision {
    SLS_SHARING_DECIDED = 0,
    SLS_SHARING_NO_REQUEST,      /* no request of that id */
    SLS_SHARING_NOT_PENDING,     /* not waiting for compliance */
    SLS_SHARING_DEVICE_INACTIVE, /* approval: the owner's device is no longer active */
    SLS_SHARING_REFUSED,         /* approval: a condition fails now (see step) */
};

struct sls_sharing_decide_tx {
    /* in */
    sls_time now;
    const char *id;
    const char *actor; /* "agent:<name>" */
    bool approve;
    /* out */
    struct sls_sharing_rec req;
    struct sls_sharing_parties p;
    struct sls_sharing_step step;
    enum sls_sharing_decision result;
};

/* In one transaction: approves (the conditions judged again: it then takes
 * effect as above) or denies request t->id waiting for compliance. Audits,
 * refusals too. Returns SLS_OK (see t->result), SLS_ERR_CONFLICT when the
 * request changed meanwhile, or the store's error. */
int sls_sharing_tx_decide(const struct sls_app *app, struct sls_sharing_decide_tx *t);

#endif
