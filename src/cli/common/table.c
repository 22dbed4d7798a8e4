/* Aligned text tables for the readable output of slsctl. */
#include "cli/common/table.h"

#include <stdlib.h>
#include <string.h>

struct sls_table {
    size_t ncols;
    size_t nrows;
    size_t cap;
    char **cells; /* nrows * ncols, row major */
};

struct sls_table *sls_table_new(size_t ncols)
{
    if (ncols == 0 || ncols > SLS_TABLE_MAX_COLS)
        return NULL;
    struct sls_table *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->ncols = ncols;
    return t;
}

void sls_table_free(struct sls_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

/* A copy of s with control characters (C0, DEL) replaced by '?'. */
static char *clean_copy(const char *s)
{
    if (s == NULL)
        s = "";
    char *c = strdup(s);
    if (c == NULL)
        return NULL;
    for (char *p = c; *p; p++) {
        unsigned char u = (unsigned char)*p;
        if (u < 0x20 || u == 0x7f)
            *p = '?';
    }
    return c;
}

int sls_table_add_row(struct sls_table *t, const char *const *cells)
{
    if (t->nrows >= SLS_TABLE_MAX_ROWS)
        return -1;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof(*grown));
        if (grown == NULL)
            return -1;
        t->cells = grown;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t j = 0; j < t->ncols; j++) {
        row[j] = clean_copy(cells[j]);
        if (row[j] == NULL) {
            for (size_t k = 0; k < j; k++)
                free(row[k]);
            return -1;
        }
    }
    t->nrows++;
    return 0;
}

/* Width in characters of UTF-8 text: bytes that do not continue a sequence. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

void sls_table_print(const struct sls_table *t, FILE *out)
{
    size_t width[SLS_TABLE_MAX_COLS] = {0};
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->ncols; j++) {
            size_t w = text_width(t->cells[i * t->ncols + j]);
            if (w > width[j])
                width[j] = w;
        }
    for (size_t i = 0; i < t->nrows; i++) {
        char *const *row = t->cells + i * t->ncols;
        /* Columns up to the last non-empty one, so no trailing spaces. */
        size_t last = t->ncols;
        while (last > 0 && row[last - 1][0] == '\0')
            last--;
        for (size_t j = 0; j < last; j++) {
            fputs(row[j], out);
            if (j + 1 < last)
                for (size_t pad = text_width(row[j]); pad < width[j] + 2; pad++)
                    fputc(' ', out);
        }
        fputc('\n', out);
    }
}
