/* Tests of src/server/card_render.c: the SVG and HTML drawings of an online
 * security card hold every cell once, in order, and refuse views holding
 * characters that would need escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/card_render.h"

static char cells[301];

static struct sls_card_view view(void)
{
    struct sls_card_view v;

    for (int i = 0; i < 100; i++)
        snprintf(cells + 3 * i, 4, "%03d", (i * 37 + 11) % 1000);
    v.cells = cells;
    v.card_id = "0123456789abcdef0123456789abcdef";
    v.username = "alice";
    v.issued_at = "2026-11-22T09:00:00Z";
    v.activation[0] = 12;
    v.activation[1] = 47;
    return v;
}

/* Counts occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_svg_holds_every_cell_in_order(void **state)
{
    (void)state;
    struct sls_card_view v = view();
    char *svg = sls_card_svg(&v);
    const char *at;
    char want[64];

    assert_non_null(svg);
    assert_int_equal(strncmp(svg, "<?xml", 5), 0);
    assert_non_null(strstr(svg, "</svg>"));
    assert_int_equal(count(svg, "<rect "), 101); /* background and 100 cells */
    at = svg;
    for (int i = 1; i <= 100; i++) {
        snprintf(want, sizeof want, ">%d</text>", i);
        at = strstr(at, want);
        assert_non_null(at);
        snprintf(want, sizeof want, ">%.3s</text>", cells + 3 * (i - 1));
        at = strstr(at, want);
        assert_non_null(at);
    }
    assert_non_null(strstr(svg, "indexes 12 and 47"));
    free(svg);
}

static void test_html_holds_every_cell_and_no_script(void **state)
{
    (void)state;
    struct sls_card_view v = view();
    char *html = sls_card_html(&v);
    char want[96];

    assert_non_null(html);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
    assert_null(strstr(html, "<script"));
    assert_int_equal(count(html, "<tr>"), 10);
    assert_int_equal(count(html, "<td>"), 100);
    for (int i = 1; i <= 100; i++) {
        snprintf(want, sizeof want,
                 "<span class=\"index\">%d</span><span class=\"value\">%.3s</span>", i,
                 cells + 3 * (i - 1));
        assert_int_equal(count(html, want), 1);
    }
    assert_non_null(strstr(html, "<strong>12</strong> and <strong>47</strong>"));
    free(html);
}

static void test_views_needing_escapes_are_refused(void **state)
{
    (void)state;
    struct sls_card_view v = view();

    v.username = "al<b>ice";
    assert_null(sls_card_svg(&v));
    assert_null(sls_card_html(&v));
    v = view();
    v.card_id = "\"><script>";
    assert_null(sls_card_html(&v));
    v = view();
    cells[150] = '&';
    assert_null(sls_card_svg(&v));
    v = view();
    cells[299] = '\0'; /* 299 digits */
    assert_null(sls_card_html(&v));
    v.cells = NULL;
    assert_null(sls_card_svg(&v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_holds_every_cell_in_order),
        cmocka_unit_test(test_html_holds_every_cell_and_no_script),
        cmocka_unit_test(test_views_needing_escapes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
