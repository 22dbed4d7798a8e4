/* A QR code as a small SVG (SPEC §10.4: the otpauth:// URI an authenticator
 * app scans). libqrencode makes the modules (error correction M, 8-bit
 * mode); this draws each row's runs of dark modules as one path on a white
 * square with the 4-module quiet zone, scaled by the viewer (viewBox in
 * modules). No text of the input appears in the SVG. */
#ifndef SLS_SERVER_API_QR_SVG_H
#define SLS_SERVER_API_QR_SVG_H

#include <stdbool.h>
#include <stddef.h>

/* The SVG of the QR code of text, malloc'ed (free it), or NULL when text is
 * empty, too long for a QR code, or memory ran out. */
char *sls_qr_svg_new(const char *text);

/* The modules of the QR code of text, as libqrencode makes them, for tests:
 * *width modules a side, dark[y * width + x]; malloc'ed (free it) or NULL. */
bool *sls_qr_modules_new(const char *text, int *width);

#endif
