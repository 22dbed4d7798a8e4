/* Tests of src/server/api/qr_svg.c: the SVG draws exactly the modules
 * libqrencode made (read back from its path), inside the quiet zone, and
 * carries none of the input's text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/qr_svg.h"

#define URI                                                                                        \
    "otpauth://totp/sls:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=sls"                  \
    "&algorithm=SHA1&digits=6&period=30"

static void test_path_is_the_modules(void **state)
{
    int width = 0, side = 0, side2 = 0, dark = 0, drawn = 0;
    bool *m = sls_qr_modules_new(URI, &width);
    char *svg = sls_qr_svg_new(URI);
    bool *seen;
    const char *p;

    (void)state;
    assert_non_null(m);
    assert_non_null(svg);
    assert_true(width >= 21 && (width - 17) % 4 == 0); /* a QR code's sizes */
    assert_int_equal(sscanf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"",
                            &side, &side2),
                     2);
    assert_int_equal(side, width + 8);
    assert_int_equal(side2, width + 8);
    assert_null(strstr(svg, "otpauth"));
    assert_null(strstr(svg, "GEZDGNBV"));
    seen = calloc((size_t)width * (size_t)width, sizeof(*seen));
    assert_non_null(seen);
    p = strstr(svg, " d=\"");
    assert_non_null(p);
    p += 4;
    while (*p == 'M') {
        int x, y, run, back, n = 0;

        assert_int_equal(sscanf(p, "M%d %dh%dv1H%dz%n", &x, &y, &run, &back, &n), 4);
        assert_true(n > 0);
        assert_int_equal(back, x);
        assert_true(x >= 4 && y >= 4 && run >= 1 && x - 4 + run <= width && y - 4 < width);
        for (int i = 0; i < run; i++) {
            assert_false(seen[(y - 4) * width + x - 4 + i]); /* drawn once */
            seen[(y - 4) * width + x - 4 + i] = true;
            drawn++;
        }
        p += n;
    }
    assert_string_equal(p, "\"/></svg>");
    for (int i = 0; i < width * width; i++) {
        assert_int_equal(seen[i], m[i]);
        dark += m[i];
    }
    assert_int_equal(drawn, dark);
    free(seen);
    free(m);
    free(svg);
}

static void test_refused(void **state)
{
    char *big = malloc(8000);

    (void)state;
    assert_null(sls_qr_svg_new(""));
    assert_null(sls_qr_svg_new(NULL));
    assert_non_null(big);
    memset(big, 'x', 7999); /* more than the largest QR code holds */
    big[7999] = '\0';
    assert_null(sls_qr_svg_new(big));
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_is_the_modules),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
