/* Command-line parsing for the CLI tools: long options from a table,
 * positional words, bounded numbers, "@FILE" values and subcommand words. */
#include "cli/common/args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sls_args_init(struct sls_args *a)
{
    memset(a, 0, sizeof(*a));
}

static int find_opt(const struct sls_args *a, const char *name, size_t namelen)
{
    for (size_t i = 0; i < a->nopts; i++) {
        const char *n = a->opts[i]->name;
        if (strlen(n) == namelen && memcmp(n, name, namelen) == 0)
            return (int)i;
    }
    return -1;
}

int sls_args_add_opts(struct sls_args *a, const struct sls_args_opt *opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a->nopts >= SLS_ARGS_MAX_OPTS)
            return -1;
        if (find_opt(a, opts[i].name, strlen(opts[i].name)) >= 0)
            return -1;
        a->opts[a->nopts++] = &opts[i];
    }
    return 0;
}

static int add_positional(struct sls_args *a, const char *word, char *err, size_t errlen)
{
    if (a->npos >= SLS_ARGS_MAX_POS) {
        snprintf(err, errlen, "too many arguments");
        return -1;
    }
    a->pos[a->npos++] = word;
    return 0;
}

/* Reads the option at argv[*i] (which starts with "--"); advances *i past
 * its value when the value is the next word. */
static int take_option(struct sls_args *a, int argc, char *const *argv, int *i, char *err,
                       size_t errlen)
{
    const char *word = argv[*i] + 2;
    const char *eq = strchr(word, '=');
    size_t namelen = eq ? (size_t)(eq - word) : strlen(word);
    int k = find_opt(a, word, namelen);
    if (k < 0) {
        snprintf(err, errlen, "unknown option --%.*s", (int)namelen, word);
        return -1;
    }
    const struct sls_args_opt *o = a->opts[k];
    const char *value = NULL;
    if (o->kind == SLS_ARGS_FLAG) {
        if (eq) {
            snprintf(err, errlen, "option --%s takes no value", o->name);
            return -1;
        }
    } else if (eq) {
        value = eq + 1;
    } else if (*i + 1 < argc) {
        value = argv[++*i];
    } else {
        snprintf(err, errlen, "option --%s needs a value", o->name);
        return -1;
    }
    if (o->kind != SLS_ARGS_LIST && a->counts[k] > 0) {
        snprintf(err, errlen, "option --%s given more than once", o->name);
        return -1;
    }
    if (a->counts[k] >= SLS_ARGS_MAX_REPEAT) {
        snprintf(err, errlen, "option --%s given too many times", o->name);
        return -1;
    }
    a->values[k][a->counts[k]++] = value;
    return 0;
}

int sls_args_parse(struct sls_args *a, int argc, char *const *argv, bool stop_at_positional,
                   int *consumed, char *err, size_t errlen)
{
    int i = 0;
    bool options_done = false;
    for (; i < argc; i++) {
        const char *w = argv[i];
        if (!options_done && strcmp(w, "--") == 0) {
            if (stop_at_positional)
                break;
            options_done = true;
            continue;
        }
        if (!options_done && w[0] == '-' && w[1] == '-') {
            if (take_option(a, argc, argv, &i, err, errlen) != 0)
                return -1;
            continue;
        }
        if (!options_done && w[0] == '-' && w[1] != '\0') {
            snprintf(err, errlen, "unknown option %s (options are long: --name)", w);
            return -1;
        }
        if (stop_at_positional)
            break;
        if (add_positional(a, w, err, errlen) != 0)
            return -1;
    }
    if (consumed)
        *consumed = i;
    return 0;
}

const char *sls_args_nth(const struct sls_args *a, const char *name, size_t i)
{
    int k = find_opt(a, name, strlen(name));
    if (k < 0 || i >= a->counts[k])
        return NULL;
    return a->values[k][i];
}

size_t sls_args_count(const struct sls_args *a, const char *name)
{
    int k = find_opt(a, name, strlen(name));
    return k < 0 ? 0 : a->counts[k];
}

const char *sls_args_get(const struct sls_args *a, const char *name)
{
    size_t n = sls_args_count(a, name);
    return n == 0 ? NULL : sls_args_nth(a, name, n - 1);
}

bool sls_args_has(const struct sls_args *a, const char *name)
{
    return sls_args_count(a, name) > 0;
}

int sls_args_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (s == NULL || s[0] == '\0')
        return -1;
    size_t len = strlen(s);
    if (len > 19)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0'); /* 19 digits cannot overflow */
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int sls_args_load(const char *value, char **out, char *err, size_t errlen)
{
    int rc = -1;
    FILE *f = NULL;
    char *buf = NULL;

    *out = NULL;
    if (value[0] != '@') {
        buf = strdup(value);
        if (buf == NULL) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        *out = buf;
        buf = NULL;
        rc = 0;
        goto out;
    }
    const char *path = value + 1;
    f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    buf = malloc(SLS_ARGS_MAX_FILE + 1);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    size_t n = fread(buf, 1, SLS_ARGS_MAX_FILE + 1, f);
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        goto out;
    }
    if (n > SLS_ARGS_MAX_FILE) {
        snprintf(err, errlen, "%s is larger than %d bytes", path, SLS_ARGS_MAX_FILE);
        goto out;
    }
    if (memchr(buf, '\0', n) != NULL) {
        snprintf(err, errlen, "%s holds a NUL byte", path);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

int sls_args_words(const char *name, int argc, char *const *argv)
{
    int words = 0;
    const char *p = name;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        if (words >= argc || strlen(argv[words]) != len || memcmp(argv[words], p, len) != 0)
            return 0;
        words++;
        p += len;
        while (*p == ' ')
            p++;
    }
    return words;
}

bool sls_args_prefix(const char *name, int argc, char *const *argv)
{
    const char *p = name;
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (len == 0 || strchr(argv[i], ' ') != NULL || strncmp(p, argv[i], len) != 0 ||
            (p[len] != ' ' && p[len] != '\0'))
            return false;
        p += len;
        while (*p == ' ')
            p++;
    }
    return true;
}
