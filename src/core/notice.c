/* The texts of security notices and the masking of addresses; see notice.h. */
#include "notice.h"

#include <stdio.h>
#include <string.h>

#include "password_reset.h"

struct notice_text {
    const char *kind;
    const char *what;  /* what happened, without `about` */
    const char *about; /* words before `about` (then `)` when they open one), or NULL */
};

static const struct notice_text texts[SLS_NOTICE__COUNT] = {
    [SLS_NOTICE_ACCOUNT_LOCKED] = {"notice.account_locked",
                                   "Your account was locked after too many failed login attempts",
                                   NULL},
    [SLS_NOTICE_TEMPORARY_PASSCODE] = {"notice.temporary_passcode",
                                       "The service desk issued a temporary passcode for your "
                                       "account",
                                       NULL},
    [SLS_NOTICE_DEVICE_ACTIVATED] = {"notice.device_activated",
                                     "A security device was activated on your account", " ("},
    [SLS_NOTICE_DEVICE_LOST] = {"notice.device_lost",
                                "A security device of your account was marked lost", " ("},
    [SLS_NOTICE_DEVICE_SHARED] = {"notice.device_shared",
                                  "Your security device is now shared with another user", " ("},
    [SLS_NOTICE_DEVICE_SHARED_WITH_YOU] = {"notice.device_shared_with_you",
                                           "You now use the security device of another user", " ("},
    [SLS_NOTICE_AUTHENTICATOR_ACTIVATED] = {"notice.authenticator_activated",
                                            "A new mobile authenticator was activated on your "
                                            "account",
                                            " ("},
    [SLS_NOTICE_PHONE_ADDED] = {"notice.phone_added", "A phone number was added to your account",
                                " ("},
    [SLS_NOTICE_PASSWORD_CHANGED] = {"notice.password_changed",
                                     "The password of your account was changed", NULL},
    [SLS_NOTICE_BANK_CHANGED] = {"notice.bank_instructions_changed",
                                 "The bank instructions of your account were changed", NULL},
    [SLS_NOTICE_LEFT_SLS] = {"notice.left_sls", "Your account left the Secure Login System (SLS)",
                             NULL},
    [SLS_NOTICE_EMAIL_CHANGED] = {"notice.email_changed",
                                  "The e-mail address of your account was changed", " to "},
};

const char *sls_notice_kind(enum sls_notice_event ev)
{
    if ((int)ev < 0 || ev >= SLS_NOTICE__COUNT)
        return NULL;
    return texts[ev].kind;
}

int sls_notice_text(enum sls_notice_event ev, const char *about, sls_time at, char *out,
                    size_t outlen)
{
    char when[32], part[320] = "";
    const struct notice_text *t;
    int n;

    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if ((int)ev < 0 || ev >= SLS_NOTICE__COUNT || sls_time_format(at, when, sizeof(when)) != 0)
        return -1;
    t = &texts[ev];
    if (t->about != NULL && about != NULL && about[0] != '\0') {
        n = snprintf(part, sizeof(part), "%s%s%s", t->about, about,
                     strchr(t->about, '(') != NULL ? ")" : "");
        if (n < 0 || (size_t)n >= sizeof(part))
            return -1;
    }
    n = snprintf(out, outlen,
                 "Security notice: %s%s.\n"
                 "When: %s (UTC).\n"
                 "If this was not you, call the service desk at once.",
                 t->what, part, when);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* Writes s[0..keep) then `stars` asterisks then tail into out. */
static int masked(const char *s, size_t keep, size_t stars, const char *tail, char *out,
                  size_t outlen)
{
    size_t tl = strlen(tail);

    if (keep + stars + tl + 1 > outlen) {
        if (outlen > 0)
            out[0] = '\0';
        return -1;
    }
    memcpy(out, s, keep);
    memset(out + keep, '*', stars);
    memcpy(out + keep + stars, tail, tl + 1);
    return 0;
}

int sls_notice_mask(const char *address, char *out, size_t outlen)
{
    const char *at = strchr(address, '@');
    size_t len = strlen(address);

    if (at != NULL && at != address) {
        sls_email_mask(address, out, outlen); /* the desk's mask: "a***@example.com" */
        return out[0] != '\0' ? 0 : -1;
    }
    if (address[0] == '+' && len > 5) {
        /* "+", the first two digits, stars, the last two digits. */
        return masked(address, 3, len - 5, address + len - 2, out, outlen);
    }
    return masked(address, len < 3 ? len : 3, 3, "", out, outlen);
}
