/* A fuzz target of the document intake path (R50): parse (sls_mime_parse) and
 * decide (sls_intake_decide) on mutated messages, without HTTP or store.
 *
 *   fuzz_intake [--seed N] [--iterations N] CORPUS_DIR
 *
 * The seeds are the .eml files of CORPUS_DIR; each iteration takes one, applies
 * a few mutations from a deterministic generator (byte flips, insertions of
 * MIME syntax, deletions, duplications, splices with another seed, cuts) and
 * runs the path on it. The same seed gives the same run. It aborts when an
 * invariant of the verdict breaks; crashes, leaks and undefined behaviour are
 * the sanitizers' to report. Exit status 0 when every iteration passed. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/document_rules.h"
#include "core/error.h"
#include "intake/intake.h"
#include "intake/mime_message.h"

#define MAX_SEEDS      64
#define FUZZ_MAX_INPUT (256 * 1024)
#define MAX_DOC_BYTES  4096
#define EUROPE         "AT,BE,CH,DE,FR,GB"
#define EU_ADDRESS     "newaccounts.uk@example.co.uk"
#define WORLD_ADDRESS  "newaccounts@example.com"

/* The subject parser hands over account numbers of "U" and 7 digits only. */
#define CHECK_KEY(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_intake: account key '%s' is not U and 7 digits\n", key);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct buf {
    uint8_t *data;
    size_t len;
};

#include "fuzz_rng.h"

static const char *const tokens[] = {
    "\r\n",
    "\r\n\r\n",
    "--",
    "\r\n--Apple-Mail-8E4B2C1D-5A3F-4E7B-9C21-0F6D3A7B1E22\r\n",
    "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n",
    "Content-Type: message/rfc822\r\n\r\n",
    "Content-Type: image/jpeg; name=\"a.jpg\"\r\n",
    "Content-Type: application/octet-stream\r\n",
    "Content-Transfer-Encoding: base64\r\n\r\n",
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
    "Content-Disposition: attachment; filename*=UTF-8''%C3%A9%00.pdf\r\n",
    "=?UTF-8?B?w6k=?=",
    "=?ISO-8859-1?Q?=E9=?=",
    "=?x?q?",
    "Subject: PoRes PID U1234567 alice bob\r\n",
    "To: " WORLD_ADDRESS ", " EU_ADDRESS "\r\n",
    "To: undisclosed:;\r\n",
    "/9j/4AAQSkZJRgABAQ",
    "iVBORw0KGgo",
    "JVBERi0xLjQ",
    "=\r\n",
    "=0",
    "\xff\xfe\x00",
    "\xc3",
};

/* Replaces b with a mutated copy of it (at most FUZZ_MAX_INPUT bytes). */
static void mutate(struct buf *b, const struct buf *seeds, size_t nseeds)
{
    size_t n = 1 + below(8);

    while (n--) {
        size_t at = below(b->len + 1), len, i;
        uint8_t *grown, *piece;
        const uint8_t *src;
        size_t srclen;

        switch (below(7)) {
        case 0: /* flip bits of one byte */
            if (b->len)
                b->data[below(b->len)] ^= (uint8_t)(1u << below(8));
            continue;
        case 1: /* random bytes */
            srclen = 1 + below(16);
            src = NULL;
            break;
        case 2: /* MIME syntax */
            src = (const uint8_t *)tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
            srclen = strlen((const char *)src);
            break;
        case 3: /* delete a range */
            len = below(b->len - at + 1) % 256;
            memmove(b->data + at, b->data + at + len, b->len - at - len);
            b->len -= len;
            continue;
        case 4: /* duplicate a range */
            len = below(b->len - at + 1) % 512;
            src = b->data + at;
            srclen = len;
            at = below(b->len + 1);
            break;
        case 5: { /* splice a piece of another seed */
            const struct buf *o = &seeds[below(nseeds)];
            size_t from = below(o->len + 1);
            src = o->data + from;
            srclen = below(o->len - from + 1);
            break;
        }
        default: /* cut */
            b->len = at;
            continue;
        }
        if (b->len + srclen > FUZZ_MAX_INPUT)
            continue;
        /* The piece first: src may point into b, which realloc moves. */
        piece = malloc(srclen ? srclen : 1);
        if (piece == NULL)
            abort();
        for (i = 0; i < srclen; i++)
            piece[i] = src ? src[i] : (uint8_t)rnd();
        grown = realloc(b->data, b->len + srclen + 1);
        if (grown == NULL)
            abort();
        b->data = grown;
        memmove(b->data + at + srclen, b->data + at, b->len - at);
        memcpy(b->data + at, piece, srclen);
        free(piece);
        b->len += srclen;
    }
}

/* A made-up directory: every account number is an account (residence in
 * Europe when its last digit is even), and four user names exist, so that
 * most seeds get past the subject and mutations reach the attachments. */
static int find_user(void *arg, bool by_account, const char *key, struct sls_intake_user *out)
{
    static const char *const names[][2] = {
        {"alice", "US"}, {"bruno", "FR"}, {"chen", "SG"}, {"bob", "GB"}};
    size_t i;

    (void)arg;
    memset(out, 0, sizeof(*out));
    if (by_account) {
        CHECK_KEY(strlen(key) == 8 && key[0] == 'U');
        out->id = atoll(key + 1);
        snprintf(out->username, sizeof(out->username), "u%s", key + 1);
        snprintf(out->account_id, sizeof(out->account_id), "%s", key);
        snprintf(out->residence, sizeof(out->residence), "%s",
                 (key[7] - '0') % 2 == 0 ? "FR" : "US");
        return SLS_OK;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(key, names[i][0]) == 0) {
            out->id = 100000000 + (int64_t)i;
            snprintf(out->username, sizeof(out->username), "%s", names[i][0]);
            snprintf(out->account_id, sizeof(out->account_id), "U900000%zu", i);
            snprintf(out->residence, sizeof(out->residence), "%s", names[i][1]);
            return SLS_OK;
        }
    }
    return SLS_ERR_NOT_FOUND;
}

static bool valid_utf8(const char *s, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strnlen(s, cap), i = 0;

    if (n == cap)
        return false; /* not terminated */
    while (i < n) {
        size_t need = p[i] < 0x80 ? 0 : p[i] >= 0xF0 ? 3 : p[i] >= 0xE0 ? 2 : p[i] >= 0xC2 ? 1 : 9;
        if (need == 9 || i + need >= n + (need ? 0 : 1))
            return false;
        for (size_t k = 1; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += need + 1;
    }
    return true;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_intake: invariant broken at iteration %zu: %s\n", iter, #cond);  \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check(size_t iter, const struct sls_mime_message *m, const struct sls_intake_verdict *v)
{
    size_t i;

    CHECK(v->reason >= SLS_DOC_ACCEPTED && v->reason < SLS_DOC_REASON__COUNT);
    CHECK(valid_utf8(v->message, sizeof(v->message)));
    if (m != NULL) {
        CHECK(valid_utf8(m->subject, sizeof(m->subject)));
        CHECK(valid_utf8(m->from, sizeof(m->from)));
        CHECK(m->nto <= SLS_MIME_MAX_RECIPIENTS);
        CHECK(m->nparts <= SLS_MIME_MAX_PARTS);
        for (i = 0; i < m->nto; i++)
            CHECK(valid_utf8(m->to[i], sizeof(m->to[i])));
        for (i = 0; i < m->nparts; i++) {
            CHECK(valid_utf8(m->parts[i].filename, sizeof(m->parts[i].filename)));
            CHECK(m->parts[i].data != NULL);
        }
    }
    if (v->reason != SLS_DOC_ACCEPTED) {
        CHECK(v->ndocs == 0);
        CHECK(v->message[0] != '\0');
        return;
    }
    CHECK(m != NULL && v->user_found);
    CHECK(v->purpose == SLS_DOC_PURPOSE_PORES || v->purpose == SLS_DOC_PURPOSE_PID);
    CHECK(v->ndocs >= 1 && v->ndocs <= SLS_INTAKE_MAX_DOCUMENTS);
    for (i = 0; i < v->ndocs; i++) {
        const struct sls_intake_document *d = &v->docs[i];
        CHECK(d->part->len <= MAX_DOC_BYTES);
        CHECK(sls_doc_sniff(d->part->data, d->part->len) == d->detected);
        CHECK(d->detected != SLS_DOC_TYPE_NONE);
        CHECK(strlen(d->sha256) == 64);
    }
}

static int load_seeds(const char *dir, struct buf *seeds, size_t *nseeds)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];

    *nseeds = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL && *nseeds < MAX_SEEDS) {
        size_t n = strlen(e->d_name);
        FILE *f;
        long size;
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
            size > FUZZ_MAX_INPUT || fseek(f, 0, SEEK_SET) != 0) {
            if (f)
                fclose(f);
            continue;
        }
        seeds[*nseeds].data = malloc((size_t)size);
        if (seeds[*nseeds].data == NULL ||
            fread(seeds[*nseeds].data, 1, (size_t)size, f) != (size_t)size) {
            free(seeds[*nseeds].data);
            fclose(f);
            continue;
        }
        seeds[*nseeds].len = (size_t)size;
        (*nseeds)++;
        fclose(f);
    }
    closedir(d);
    return *nseeds > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const struct sls_intake_policy policy = {EU_ADDRESS, WORLD_ADDRESS, EUROPE, MAX_DOC_BYTES};
    struct buf seeds[MAX_SEEDS];
    size_t nseeds = 0, iterations = 2000, counts[SLS_DOC_REASON__COUNT] = {0}, unparsed = 0;
    unsigned long long seed = 1;
    const char *dir = NULL;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
            iterations = (size_t)strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] != '-' && dir == NULL)
            dir = argv[i];
        else {
            fprintf(stderr, "usage: fuzz_intake [--seed N] [--iterations N] CORPUS_DIR\n");
            return 2;
        }
    }
    if (dir == NULL || load_seeds(dir, seeds, &nseeds) != 0) {
        fprintf(stderr, "fuzz_intake: no .eml seeds in %s\n", dir ? dir : "(none given)");
        return 2;
    }
    rng_seed(seed);
    for (size_t iter = 0; iter < iterations + nseeds; iter++) {
        struct buf b;
        struct sls_mime_message *m = NULL;
        struct sls_intake_verdict *v = calloc(1, sizeof(*v));
        const struct buf *s = &seeds[iter < nseeds ? iter : below(nseeds)];
        int rc;

        b.data = malloc(s->len + 1);
        if (v == NULL || b.data == NULL)
            abort();
        memcpy(b.data, s->data, s->len);
        b.len = s->len;
        if (iter >= nseeds) /* the seeds themselves first, unchanged */
            mutate(&b, seeds, nseeds);
        rc = sls_mime_parse(b.data, b.len, &m);
        CHECK(rc == SLS_OK || rc == SLS_ERR_BAD_REQUEST);
        CHECK((rc == SLS_OK) == (m != NULL));
        if (m == NULL)
            unparsed++;
        CHECK(sls_intake_decide(&policy, m, find_user, NULL, v) == SLS_OK);
        check(iter, m, v);
        counts[v->reason]++;
        sls_mime_message_free(m);
        free(b.data);
        free(v);
    }
    printf("fuzz_intake: seed %llu, %zu seeds, %zu mutated messages, %zu not messages\n", seed,
           nseeds, iterations, unparsed);
    for (i = 0; i < SLS_DOC_REASON__COUNT; i++)
        printf("  %-22s %zu\n", sls_doc_reason_code((enum sls_doc_reason)i), counts[i]);
    for (size_t k = 0; k < nseeds; k++)
        free(seeds[k].data);
    return 0;
}
