/* Readable tables for the CLI tools: rows of text cells printed in aligned
 * columns. Cells are copied; control characters in them are shown as '?' so
 * that data from a server cannot drive the terminal. */
#ifndef SLS_CLI_TABLE_H
#define SLS_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define SLS_TABLE_MAX_COLS 16
#define SLS_TABLE_MAX_ROWS 100000

struct sls_table;

/* A table of ncols columns (1..SLS_TABLE_MAX_COLS), or NULL. */
struct sls_table *sls_table_new(size_t ncols);
/* Frees t; NULL is a no-op. */
void sls_table_free(struct sls_table *t);

/* Appends a row of ncols cells (NULL cells print as empty). Returns 0, or -1
 * when out of memory or full. */
int sls_table_add_row(struct sls_table *t, const char *const *cells);

/* Prints the rows, each column padded to its widest cell (in UTF-8
 * characters) plus two spaces; the last column is not padded and trailing
 * spaces are never printed. */
void sls_table_print(const struct sls_table *t, FILE *out);

#endif
