/* R1: checks of user names, at login (characters only) and at creation. */
#include "username.h"

#include <stdbool.h>

#include "error.h"

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int sls_username_check_chars(const char *name, size_t len)
{
    if (name == NULL || len == 0) {
        return SLS_ERR_BAD_CHARACTER;
    }
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!is_lower(c) && !is_upper(c) && !is_digit(c)) {
            return SLS_ERR_BAD_CHARACTER;
        }
    }
    return SLS_OK;
}

static bool has_upper(const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (is_upper(name[i])) {
            return true;
        }
    }
    return false;
}

int sls_username_check_new(const char *name, size_t len)
{
    /* An empty name is a length problem here, not a character one. */
    if (name == NULL || len == 0) {
        return SLS_ERR_INVALID_USERNAME;
    }
    if (sls_username_check_chars(name, len) != SLS_OK) {
        return SLS_ERR_BAD_CHARACTER;
    }
    if (len < SLS_USERNAME_MIN || len > SLS_USERNAME_MAX || has_upper(name, len)) {
        return SLS_ERR_INVALID_USERNAME;
    }
    return SLS_OK;
}

int sls_username_could_exist(const char *name, size_t len)
{
    return sls_username_check_new(name, len) == SLS_OK;
}
