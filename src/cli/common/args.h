/* Command-line parsing shared by slsctl and slstoken: long options from a
 * table ("--name value", "--name=value", flags, repeatable options),
 * positional arguments, bounded number parsing, "@FILE" values, and the
 * dispatch of subcommands from a table. Nothing here prints or exits. */
#ifndef SLS_CLI_ARGS_H
#define SLS_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLS_ARGS_MAX_OPTS   48 /* options known to one parse */
#define SLS_ARGS_MAX_REPEAT 16 /* values of one repeatable option */
#define SLS_ARGS_MAX_POS    16 /* positional arguments */
#define SLS_ARGS_MAX_FILE   (1024 * 1024)

/* Exit codes of both tools. */
#define SLS_EXIT_OK    0
#define SLS_EXIT_FAIL  1 /* the server refused, or a computation failed */
#define SLS_EXIT_USAGE 2 /* the command line was wrong */

enum sls_args_kind {
    SLS_ARGS_FLAG = 0, /* --name */
    SLS_ARGS_VALUE,    /* --name VALUE, at most once */
    SLS_ARGS_LIST,     /* --name VALUE, any number of times (up to SLS_ARGS_MAX_REPEAT) */
};

struct sls_args_opt {
    const char *name; /* without the leading "--" */
    enum sls_args_kind kind;
};

/* The result of a parse. Values point into argv (not copied). */
struct sls_args {
    const struct sls_args_opt *opts[SLS_ARGS_MAX_OPTS];
    size_t nopts;
    const char *values[SLS_ARGS_MAX_OPTS][SLS_ARGS_MAX_REPEAT];
    size_t counts[SLS_ARGS_MAX_OPTS];
    const char *pos[SLS_ARGS_MAX_POS];
    size_t npos;
};

/* Starts an empty parse result. */
void sls_args_init(struct sls_args *a);

/* Adds n option descriptions to those a knows. Returns 0, or -1 when there
 * would be more than SLS_ARGS_MAX_OPTS or a name is already known. */
int sls_args_add_opts(struct sls_args *a, const struct sls_args_opt *opts, size_t n);

/* Parses argc words of argv (not a program name) into a, after its options
 * were added. "--" ends the options; a lone "-" is positional. When
 * stop_at_positional is true, parsing stops at the first positional word (or
 * at "--", left unread) and *consumed tells how many words were read;
 * otherwise every word is read.
 * Returns 0, or -1 with a one-line reason in err (unknown option, missing
 * value, option given twice, too many values). */
int sls_args_parse(struct sls_args *a, int argc, char *const *argv, bool stop_at_positional,
                   int *consumed, char *err, size_t errlen);

/* The value of a VALUE option, the last one of a LIST, or NULL when absent. */
const char *sls_args_get(const struct sls_args *a, const char *name);
/* Whether the option was given (any kind). */
bool sls_args_has(const struct sls_args *a, const char *name);
/* How many times the option was given, and its i-th value (NULL past the end). */
size_t sls_args_count(const struct sls_args *a, const char *name);
const char *sls_args_nth(const struct sls_args *a, const char *name, size_t i);

/* Parses a decimal number made only of digits (no sign, no spaces, at most
 * 19 digits) within [min, max]. Returns 0 or -1. */
int sls_args_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* A value given inline or, when it starts with '@', the contents of the named
 * file (at most SLS_ARGS_MAX_FILE bytes, no NUL bytes). *out is a new
 * NUL-terminated string to free(). Returns 0, or -1 with a reason in err. */
int sls_args_load(const char *value, char **out, char *err, size_t errlen);

/* One entry of a subcommand table; each tool's entries start with one. */
struct sls_args_command {
    const char *name;    /* words separated by one space, e.g. "user add" */
    const char *usage;   /* what follows the name, for --help */
    const char *summary; /* one line */
};

/* How many words of name begin argv ("user add" and {"user", "add", ...}
 * gives 2), or 0 when argv does not begin with all of them. */
int sls_args_words(const char *name, int argc, char *const *argv);

/* Whether all argc words of argv are the leading words of name ("user" and
 * "user add" are leading words of "user add"; "use" is not). */
bool sls_args_prefix(const char *name, int argc, char *const *argv);

#endif
