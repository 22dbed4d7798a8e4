/* R27: an online security card drawn for printing and saving, as an SVG
 * image and as a printable HTML page that fits one A4 or Letter sheet. Both
 * hold every cell, so they are as secret as the card itself. */
#ifndef SLS_SERVER_CARD_RENDER_H
#define SLS_SERVER_CARD_RENDER_H

#include <stddef.h>

struct sls_card_view {
    const char *cells; /* SLS_ONLINE_CARD_CELLS * 3 digits */
    const char *card_id;
    const char *username;  /* letters and digits only (R1) */
    const char *issued_at; /* RFC 3339 */
    unsigned activation[2];
};

/* A malloc'd SVG document (UTF-8), or NULL when out of memory. */
char *sls_card_svg(const struct sls_card_view *v);

/* A malloc'd HTML page (UTF-8) with the card as a 10 x 10 table and the
 * activation instructions, or NULL when out of memory. No script. */
char *sls_card_html(const struct sls_card_view *v);

#endif
