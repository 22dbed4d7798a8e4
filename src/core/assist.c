/* The service desk's assistance rules; see assist.h. */
#include "assist.h"

enum sls_assist_verdict sls_assist_passcode_check(bool sls, enum sls_account_state account,
                                                  const struct sls_temp_device *devs, size_t n,
                                                  bool complete)
{
    if (!sls)
        return SLS_ASSIST_NOT_SLS;
    if (account == SLS_ACCOUNT_CLOSED)
        return SLS_ASSIST_ACCOUNT_CLOSED;
    if (!complete)
        return SLS_ASSIST_TOO_MANY_DEVICES;
    if (sls_temp_passcode_may_issue(devs, n, NULL) != SLS_TEMP_ALLOWED)
        return SLS_ASSIST_CONSECUTIVE;
    return SLS_ASSIST_ALLOWED;
}

enum sls_assist_verdict sls_assist_lost_check(enum sls_device_state state)
{
    if (state == SLS_DEVSTATE_LOST)
        return SLS_ASSIST_ALREADY_LOST;
    if (state == SLS_DEVSTATE_RETURNED)
        return SLS_ASSIST_RETURNED;
    return SLS_ASSIST_ALLOWED;
}

enum sls_assist_verdict sls_assist_pin_check(enum sls_device_type type, enum sls_device_state state)
{
    if (type == SLS_DEVICE_PLATINUM || type == SLS_DEVICE_GOLD)
        return SLS_ASSIST_PIN_ON_DEVICE;
    if (type == SLS_DEVICE_IBKEY)
        return SLS_ASSIST_PIN_IN_APP;
    if (!sls_device_pin_on_server(type))
        return SLS_ASSIST_NO_PIN;
    if (state == SLS_DEVSTATE_LOST)
        return SLS_ASSIST_PIN_DEVICE_LOST;
    if (state == SLS_DEVSTATE_RETURNED)
        return SLS_ASSIST_PIN_DEVICE_RETURNED;
    return SLS_ASSIST_ALLOWED;
}

const char *sls_assist_outcome(enum sls_assist_verdict v)
{
    switch (v) {
    case SLS_ASSIST_ALLOWED:
        return "ok";
    case SLS_ASSIST_NOT_SLS:
        return "not_sls";
    case SLS_ASSIST_ACCOUNT_CLOSED:
        return "account_closed";
    case SLS_ASSIST_TOO_MANY_DEVICES:
        return "too_many_devices";
    case SLS_ASSIST_CONSECUTIVE:
        return "consecutive";
    case SLS_ASSIST_ALREADY_LOST:
        return "already_lost";
    case SLS_ASSIST_RETURNED:
        return "returned";
    case SLS_ASSIST_PIN_ON_DEVICE:
    case SLS_ASSIST_PIN_IN_APP:
        return "pin_on_device";
    case SLS_ASSIST_NO_PIN:
        return "no_pin";
    case SLS_ASSIST_PIN_DEVICE_LOST:
    case SLS_ASSIST_PIN_DEVICE_RETURNED:
        return "device_not_held";
    }
    return "refused";
}

const char *sls_assist_message(enum sls_assist_verdict v)
{
    switch (v) {
    case SLS_ASSIST_ALLOWED:
        return "";
    case SLS_ASSIST_NOT_SLS:
        return "The user does not take part in the Secure Login System: no second factor is "
               "asked at login";
    case SLS_ASSIST_ACCOUNT_CLOSED:
        return "The account is closed: its Client Portal login asks no second factor";
    case SLS_ASSIST_TOO_MANY_DEVICES:
        return "Too many device records to decide whether a temporary passcode may be issued";
    case SLS_ASSIST_CONSECUTIVE:
        return "Temporary passcodes are never issued twice in a row: the last temporary "
               "credential was a temporary passcode and no security device has been activated "
               "since";
    case SLS_ASSIST_ALREADY_LOST:
        return "The device is already marked lost";
    case SLS_ASSIST_RETURNED:
        return "The device has been returned";
    case SLS_ASSIST_PIN_ON_DEVICE:
        return "The PIN is kept on the device: change it on the device";
    case SLS_ASSIST_PIN_IN_APP:
        return "The PIN is kept in the mobile app: change it in the app";
    case SLS_ASSIST_NO_PIN:
        return "This device has no PIN";
    case SLS_ASSIST_PIN_DEVICE_LOST:
        return "The device is marked lost";
    case SLS_ASSIST_PIN_DEVICE_RETURNED:
        return "The device has been returned";
    }
    return "Refused";
}
