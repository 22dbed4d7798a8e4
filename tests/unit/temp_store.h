/* A temporary folder for a store under test, shared by the store's unit
 * tests: made fresh for each test (mkdtemp under /tmp), with the path and
 * URL of a file in it, and removed with everything the store left there
 * (its -wal, -shm and -journal files, and any other the test made). */
#ifndef SLS_TESTS_TEMP_STORE_H
#define SLS_TESTS_TEMP_STORE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct temp_store {
    char dir[64];
    char path[128]; /* the store's file in dir */
    char url[160];  /* "sqlite:" path */
};

/* Makes /tmp/sls-NAME-test-XXXXXX with path = dir/FILE. 0, or -1. */
static inline int temp_store_make(struct temp_store *t, const char *name, const char *file)
{
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sls-%s-test-XXXXXX", name);
    if (!mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, file);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
    return 0;
}

/* Removes the files of the folder (it has no subfolders), then the folder. */
static inline void temp_store_remove(struct temp_store *t)
{
    DIR *d = opendir(t->dir);
    struct dirent *e;
    char p[sizeof t->dir + 258];

    if (d) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(t->dir);
}

/* cmocka fixtures: *state is a struct temp_store for sls.db. */
static inline int temp_store_setup(void **state, const char *name)
{
    struct temp_store *t = malloc(sizeof *t);

    if (!t || temp_store_make(t, name, "sls.db") != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static inline int temp_store_teardown(void **state)
{
    temp_store_remove(*state);
    free(*state);
    return 0;
}

#endif
