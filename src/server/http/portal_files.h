/* The Client Portal's files (web/), built into slsd by cmake/embed_web.cmake:
 * a table of names relative to web/ and their bytes, ended by a NULL name. */
#ifndef SLS_SERVER_PORTAL_FILES_H
#define SLS_SERVER_PORTAL_FILES_H

#include <stddef.h>

struct sls_portal_file {
    const char *name;          /* "index.html", "assets/portal.js" */
    const unsigned char *data; /* len bytes (and a NUL after them) */
    size_t len;
};

extern const struct sls_portal_file sls_portal_files[];

#endif
