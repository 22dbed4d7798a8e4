/* R32 device sharing rules; see sharing.h. */
#include "sharing.h"

#include <string.h>

#include "error.h"

static bool temporary(const struct sls_sharing_party *p)
{
    for (size_t i = 0; p->devices != NULL && i < p->ndevices; i++) {
        enum sls_device_type t = p->devices[i].type;
        enum sls_device_state s = p->devices[i].state;
        if ((t == SLS_DEVICE_TEMP_PASSCODE || t == SLS_DEVICE_ONLINE_CARD) &&
            (s == SLS_DEVSTATE_ACTIVE || s == SLS_DEVSTATE_SHIPPED))
            return true;
    }
    return false;
}

/* The strength of the strongest permanent device p still holds. */
static int strongest(const struct sls_sharing_party *p)
{
    int best = 0;

    for (size_t i = 0; p->devices != NULL && i < p->ndevices; i++) {
        enum sls_device_state s = p->devices[i].state;
        int strength = sls_device_strength(p->devices[i].type);
        if (!sls_device_is_permanent(p->devices[i].type) || s == SLS_DEVSTATE_LOST ||
            s == SLS_DEVSTATE_RETURNED)
            continue;
        if (strength > best)
            best = strength;
    }
    return best;
}

static bool same_identity(const char *a, const char *b)
{
    return a != NULL && b != NULL && a[0] != '\0' && strcmp(a, b) == 0;
}

enum sls_sharing_verdict sls_sharing_check(const struct sls_sharing_party *requester,
                                           const struct sls_sharing_party *owner,
                                           enum sls_device_type shared)
{
    int need;

    if (!same_identity(requester->identity, owner->identity))
        return SLS_SHARING_DIFFERENT_IDENTIFICATION;
    if (temporary(requester) || temporary(owner))
        return SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED;
    if (shared == SLS_DEVICE_IBKEY)
        return SLS_SHARING_IBKEY_NOT_SHAREABLE;
    need = strongest(requester);
    if (strongest(owner) > need)
        need = strongest(owner);
    if (!sls_device_is_permanent(shared) || sls_device_strength(shared) < need)
        return SLS_SHARING_LESS_SECURE_DEVICE;
    if (requester->account_id == NULL || owner->account_id == NULL ||
        strcmp(requester->account_id, owner->account_id) != 0)
        return SLS_SHARING_PENDING_COMPLIANCE;
    return SLS_SHARING_IMMEDIATE;
}

const char *sls_sharing_error_code(enum sls_sharing_verdict v)
{
    switch (v) {
    case SLS_SHARING_DIFFERENT_IDENTIFICATION:
        return "different_identification";
    case SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED:
        return "temporary_device_assigned";
    case SLS_SHARING_IBKEY_NOT_SHAREABLE:
        return "ibkey_not_shareable";
    case SLS_SHARING_LESS_SECURE_DEVICE:
        return "less_secure_device";
    case SLS_SHARING_IMMEDIATE:
    case SLS_SHARING_PENDING_COMPLIANCE:
        break;
    }
    return NULL;
}

const char *sls_sharing_error_message(enum sls_sharing_verdict v)
{
    switch (v) {
    case SLS_SHARING_DIFFERENT_IDENTIFICATION:
        return "Different identification information: the two users' identification data do "
               "not match";
    case SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED:
        return "A temporary passcode or online security card is assigned to one of the users";
    case SLS_SHARING_IBKEY_NOT_SHAREABLE:
        return "The mobile authenticator is not shared this way: add the user in its app";
    case SLS_SHARING_LESS_SECURE_DEVICE:
        return "Less secure device: share the most secure device of the two users";
    case SLS_SHARING_IMMEDIATE:
    case SLS_SHARING_PENDING_COMPLIANCE:
        break;
    }
    return NULL;
}

bool sls_sharing_device_shareable(enum sls_device_type type, enum sls_device_state state)
{
    return state == SLS_DEVSTATE_ACTIVE && sls_device_is_permanent(type);
}

int sls_sharing_error(enum sls_sharing_verdict v)
{
    switch (v) {
    case SLS_SHARING_DIFFERENT_IDENTIFICATION:
        return SLS_ERR_DIFFERENT_IDENTIFICATION;
    case SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED:
        return SLS_ERR_TEMPORARY_DEVICE_ASSIGNED;
    case SLS_SHARING_IBKEY_NOT_SHAREABLE:
        return SLS_ERR_IBKEY_NOT_SHAREABLE;
    case SLS_SHARING_LESS_SECURE_DEVICE:
        return SLS_ERR_LESS_SECURE_DEVICE;
    case SLS_SHARING_IMMEDIATE:
    case SLS_SHARING_PENDING_COMPLIANCE:
        break;
    }
    return SLS_OK;
}

struct sls_sharing_step sls_sharing_decide(const struct sls_sharing_party *requester,
                                           const struct sls_sharing_party *owner,
                                           const struct sls_device_brief *shared)
{
    struct sls_sharing_step s = {false, SLS_SHARING_IMMEDIATE, SLS_OK, SLS_SHARING_STATE_ACTIVE};

    if (shared == NULL || shared->state != SLS_DEVSTATE_ACTIVE) {
        s.device_gone = true;
        s.err = SLS_ERR_CONFLICT;
        return s;
    }
    s.verdict = sls_sharing_check(requester, owner, shared->type);
    s.err = sls_sharing_error(s.verdict);
    s.state =
        s.verdict == SLS_SHARING_IMMEDIATE ? SLS_SHARING_STATE_ACTIVE : SLS_SHARING_STATE_PENDING;
    return s;
}

static const char *const state_names[SLS_SHARING_STATE__COUNT] = {
    [SLS_SHARING_STATE_PENDING] = "pending_compliance",
    [SLS_SHARING_STATE_ACTIVE] = "active",
    [SLS_SHARING_STATE_DENIED] = "denied",
    [SLS_SHARING_STATE_CANCELLED] = "cancelled",
};

const char *sls_sharing_state_name(enum sls_sharing_state s)
{
    return (int)s >= 0 && s < SLS_SHARING_STATE__COUNT ? state_names[s] : "unknown";
}

int sls_sharing_state_parse(const char *name, enum sls_sharing_state *out)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < SLS_SHARING_STATE__COUNT; i++) {
        if (strcmp(name, state_names[i]) == 0) {
            *out = (enum sls_sharing_state)i;
            return 0;
        }
    }
    return -1;
}
