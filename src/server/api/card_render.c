/* Drawing an online security card (R27) as SVG and as printable HTML; see
 * card_render.h. The texts written here are digits, hex ids, user names
 * (letters and digits) and RFC 3339 times, so nothing needs escaping; the
 * view is checked before drawing to keep it that way. */
#include "server/api/card_render.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/online_card.h"

#define COLS 10

/* A growing string; out of memory sticks and makes the result NULL. */
struct buf {
    char *s;
    size_t len, cap;
    bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2 + (size_t)n + 1;
        char *s = realloc(b->s, cap);
        if (s == NULL) {
            b->failed = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

static bool buf_init(struct buf *b)
{
    b->cap = 16384;
    b->len = 0;
    b->failed = false;
    b->s = malloc(b->cap);
    return b->s != NULL;
}

static char *buf_finish(struct buf *b)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* Only the characters the drawings may hold unescaped. */
static bool plain(const char *s)
{
    return s != NULL && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789-:TZ.") == strlen(s);
}

static bool view_ok(const struct sls_card_view *v)
{
    return v->cells != NULL &&
           sls_online_card_cells_valid(v->cells,
                                       strnlen(v->cells, SLS_ONLINE_CARD_CELLS * 3 + 1)) &&
           plain(v->card_id) && plain(v->username) && plain(v->issued_at);
}

/* The value at index i (1-based) as a 3-character string. */
static void cell(const struct sls_card_view *v, unsigned i, char out[4])
{
    memcpy(out, v->cells + 3 * (i - 1), 3);
    out[3] = '\0';
}

char *sls_card_svg(const struct sls_card_view *v)
{
    const int cw = 72, ch = 44, left = 20, top = 92;
    const int width = left * 2 + COLS * cw;
    const int height = top + (SLS_ONLINE_CARD_CELLS / COLS) * ch + 56;
    struct buf b;
    char value[4];

    if (!view_ok(v) || !buf_init(&b))
        return NULL;
    put(&b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
        "<title>Online security card %s</title>\n"
        "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
        "<text x=\"%d\" y=\"36\" font-size=\"22\" font-weight=\"bold\" fill=\"#1a2b3c\">"
        "Online security card</text>\n"
        "<text x=\"%d\" y=\"62\" font-size=\"13\" fill=\"#333333\">User %s \xc2\xb7 card %s "
        "\xc2\xb7 issued %s</text>\n",
        width, height, width, height, v->card_id, width, height, left, left, v->username,
        v->card_id, v->issued_at);
    for (unsigned i = 1; i <= SLS_ONLINE_CARD_CELLS; i++) {
        int x = left + (int)((i - 1) % COLS) * cw, y = top + (int)((i - 1) / COLS) * ch;
        cell(v, i, value);
        put(&b,
            "<g><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
            "stroke=\"#8899aa\" stroke-width=\"1\"/>"
            "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#556677\">%u</text>"
            "<text x=\"%d\" y=\"%d\" font-size=\"18\" font-family=\"DejaVu Sans Mono, monospace\" "
            "text-anchor=\"end\" fill=\"#000000\">%s</text></g>\n",
            x, y, cw, ch, ((i - 1) / COLS) % 2 ? "#f2f5f8" : "#ffffff", x + 5, y + 14, i,
            x + cw - 8, y + ch - 10, value);
    }
    put(&b,
        "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#333333\">To activate it, enter the "
        "values at indexes %u and %u. Keep this card private.</text>\n</svg>\n",
        left, height - 22, v->activation[0], v->activation[1]);
    return buf_finish(&b);
}

char *sls_card_html(const struct sls_card_view *v)
{
    struct buf b;
    char value[4];

    if (!view_ok(v) || !buf_init(&b))
        return NULL;
    put(&b,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Online security card %s</title>\n<style>\n"
        "@page { size: auto; margin: 12mm; }\n"
        "body { font-family: \"DejaVu Sans\", Arial, sans-serif; color: #1a2b3c; margin: 1.5rem; "
        "}\n"
        "h1 { font-size: 1.4rem; margin: 0 0 .25rem; }\n"
        "p { margin: .25rem 0; }\n"
        "table.card { border-collapse: collapse; margin: 1rem 0; page-break-inside: avoid; }\n"
        "table.card td { border: 1px solid #8899aa; width: 4.2rem; height: 2.4rem; "
        "padding: 0 .35rem; vertical-align: top; }\n"
        "table.card tr:nth-child(even) td { background: #f2f5f8; }\n"
        "span.index { display: block; font-size: .65rem; color: #556677; }\n"
        "span.value { display: block; text-align: right; font: 1.15rem \"DejaVu Sans Mono\", "
        "monospace; }\n"
        "@media print { body { margin: 0; } p.screen { display: none; } "
        "table.card tr:nth-child(even) td { background: #ffffff; } }\n"
        "</style>\n</head>\n<body>\n<main>\n<h1>Online security card</h1>\n"
        "<p>User <strong>%s</strong> &middot; card <code>%s</code> &middot; issued %s</p>\n"
        "<p class=\"screen\">Print this page or save it, then activate the card.</p>\n"
        "<table class=\"card\" aria-label=\"Online security card values\">\n",
        v->card_id, v->username, v->card_id, v->issued_at);
    for (unsigned i = 1; i <= SLS_ONLINE_CARD_CELLS; i++) {
        if ((i - 1) % COLS == 0)
            put(&b, "<tr>");
        cell(v, i, value);
        put(&b, "<td><span class=\"index\">%u</span><span class=\"value\">%s</span></td>", i,
            value);
        if (i % COLS == 0)
            put(&b, "</tr>\n");
    }
    put(&b,
        "</table>\n<p>To activate the card, enter the values at indexes <strong>%u</strong> and "
        "<strong>%u</strong>, without a space.</p>\n"
        "<p>At login you will be asked for the values at two indexes. Keep this card private: "
        "anyone holding it and your password can log in.</p>\n</main>\n</body>\n</html>\n",
        v->activation[0], v->activation[1]);
    return buf_finish(&b);
}
