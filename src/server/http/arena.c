/* The request arena; see arena.h. A list of blocks, newest first, each a
 * malloc of its own with a small header: handlers allocate a few records per
 * request, so simplicity beats a bump allocator here. */
#include "server/http/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/secmem.h"

struct sls_arena_block {
    struct sls_arena_block *next;
    void (*release)(void *); /* NULL: the bytes after the header are the block */
    void *p;
    size_t size;
    max_align_t align[]; /* the caller's bytes */
};

void *sls_req_alloc(struct sls_req *rq, size_t n)
{
    struct sls_arena_block *b;

    if (n > SIZE_MAX - sizeof(*b))
        return NULL;
    b = calloc(1, sizeof(*b) + n);
    if (b == NULL)
        return NULL;
    b->size = n;
    b->next = rq->arena;
    rq->arena = b;
    return b->align;
}

char *sls_req_strdup(struct sls_req *rq, const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = sls_req_alloc(rq, n);

    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

static void drop_json(void *p)
{
    json_decref(p);
}

json_t *sls_req_json(struct sls_req *rq, json_t *j)
{
    if (j == NULL || !sls_req_defer(rq, drop_json, j))
        return NULL;
    return j;
}

bool sls_req_defer(struct sls_req *rq, void (*release)(void *), void *p)
{
    struct sls_arena_block *b;

    if (p == NULL)
        return true;
    b = calloc(1, sizeof(*b));
    if (b == NULL) {
        release(p);
        return false;
    }
    b->release = release;
    b->p = p;
    b->next = rq->arena;
    rq->arena = b;
    return true;
}

void sls_req_release(struct sls_req *rq)
{
    while (rq->arena != NULL) {
        struct sls_arena_block *b = rq->arena;

        rq->arena = b->next;
        if (b->release != NULL)
            b->release(b->p);
        else
            sls_wipe(b->align, b->size);
        free(b);
    }
}
