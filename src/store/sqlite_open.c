/* The checks of an existing file before the store writes to it: that it is
 * an sls store (never migrate someone else's database) and that its pages
 * are sound (PRAGMA quick_check), each refusal with its reason. */
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "sqlite_store.h"

#define CHECK_LINES 3 /* lines of quick_check quoted in the reason */

/* PRAGMA quick_check: SLS_OK when it answers "ok", else its first lines. */
static int quick_check(sqlite3 *h, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    size_t used;
    int rc, lines = 0;
    bool ok = false;

    rc = sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return sls_sqlite_report(h, "open: quick_check", rc, why, whylen);
    }
    used = (size_t)snprintf(why, whylen, "the store is damaged (PRAGMA quick_check):");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);

        if (lines == 0 && line && strcmp(line, "ok") == 0)
            ok = true;
        if (lines < CHECK_LINES && used < whylen)
            used += (size_t)snprintf(why + used, whylen - used, "%s %s", lines ? ";" : "",
                                     line ? line : "");
        lines++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sls_sqlite_report(h, "open: quick_check", rc, why, whylen);
    if (ok && lines == 1) {
        if (whylen > 0)
            why[0] = '\0';
        return SLS_OK;
    }
    if (lines > CHECK_LINES && used < whylen)
        snprintf(why + used, whylen - used, "; and %d more", lines - CHECK_LINES);
    /* One line of log: quick_check puts line breaks inside an answer. */
    for (char *p = why; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    return SLS_ERR_STORE_UNAVAILABLE;
}

int sls_sqlite_check_existing(sqlite3 *h, char *why, size_t whylen)
{
    bool is_sls;
    int tables, ret;

    ret = sls_sqlite_is_sls(h, &is_sls, &tables);
    if (ret != SLS_OK)
        return sls_sqlite_report(h, "open: schema", sqlite3_extended_errcode(h), why, whylen);
    if (!is_sls && tables > 0) {
        snprintf(why, whylen,
                 "the file is a SQLite database with %d table%s but not an sls store (no sls "
                 "schema version): refusing to change it",
                 tables, tables == 1 ? "" : "s");
        return SLS_ERR_STORE;
    }
    return quick_check(h, why, whylen);
}
