/* QR codes drawn as SVG; see qr_svg.h. */
#include "server/api/qr_svg.h"

#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUIET 4 /* modules of white around the code */

static QRcode *encode(const char *text)
{
    if (text == NULL || text[0] == '\0')
        return NULL;
    return QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
}

bool *sls_qr_modules_new(const char *text, int *width)
{
    QRcode *q = encode(text);
    bool *dark;

    if (q == NULL)
        return NULL;
    dark = calloc((size_t)q->width * (size_t)q->width, sizeof(*dark));
    if (dark != NULL) {
        for (int i = 0; i < q->width * q->width; i++)
            dark[i] = (q->data[i] & 1) != 0;
        *width = q->width;
    }
    QRcode_free(q);
    return dark;
}

struct out {
    char *p;
    size_t len, cap;
};

/* Appends the formatted text; false when memory ran out. */
__attribute__((format(printf, 2, 3))) static bool append(struct out *o, const char *fmt, ...)
{
    va_list ap, again;
    int n;

    va_start(ap, fmt);
    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && o->len + (size_t)n + 1 > o->cap) {
        size_t cap = (o->cap + (size_t)n + 1) * 2;
        char *p = realloc(o->p, cap);

        if (p == NULL)
            n = -1;
        else {
            o->p = p;
            o->cap = cap;
        }
    }
    if (n >= 0) {
        vsnprintf(o->p + o->len, o->cap - o->len, fmt, again);
        o->len += (size_t)n;
    }
    va_end(again);
    return n >= 0;
}

char *sls_qr_svg_new(const char *text)
{
    QRcode *q = encode(text);
    struct out o = {NULL, 0, 0};
    bool ok;
    int w, side;

    if (q == NULL)
        return NULL;
    w = q->width;
    side = w + 2 * QUIET;
    ok = append(&o,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                "shape-rendering=\"crispEdges\">",
                side, side, side * 4) &&
         append(&o, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                side, side);
    for (int y = 0; ok && y < w; y++) {
        for (int x = 0; ok && x < w;) {
            int run = 0;

            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            if (run > 0)
                ok = append(&o, "M%d %dh%dv1H%dz", x + QUIET, y + QUIET, run, x + QUIET);
            x += run > 0 ? run : 1;
        }
    }
    ok = ok && append(&o, "\"/></svg>");
    QRcode_free(q);
    if (!ok) {
        free(o.p);
        return NULL;
    }
    return o.p;
}
