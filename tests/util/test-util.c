/* test-util.c: bitmaps, names, UUIDs, atomic files. */
#include <glib.h>
#include <glib/gstdio.h>

#include "util/xv-bitmap.h"
#include "util/xv-error.h"
#include "util/xv-file.h"
#include "util/xv-names.h"

static void
test_bitmap_parse_format(void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "0", "0" },
        { "0-3", "0-3" },
        { "0-3,^2", "0-1,3" },
        { "3,1,2", "1-3" },
        { "0-1, 4-5", "0-1,4-5" },
        { "0-7,^0-1", NULL },   /* a negated range is rejected, as libvirt does */
        { "7,^7,1", "1" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(XvBitmap) map = xv_bitmap_parse(cases[i].in, 64, &error);

        if (cases[i].out == NULL) {
            g_assert_null(map);
            g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
        } else {
            g_autofree char *s = NULL;

            g_assert_no_error(error);
            s = xv_bitmap_format(map);
            g_assert_cmpstr(s, ==, cases[i].out);
        }
    }
}

static void
test_bitmap_invalid(void)
{
    const char *bad[] = { "", "a", "1-", "-1", "3-1", "1,,2", "1,", "^1", "64" };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(XvBitmap) map = xv_bitmap_parse(bad[i], 64, &error);

        g_assert_null(map);
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
        g_assert_nonnull(error->message);
    }
}

static void
test_bitmap_ops(void)
{
    g_autoptr(XvBitmap) a = xv_bitmap_new(130);
    g_autoptr(XvBitmap) b = NULL;

    g_assert_true(xv_bitmap_is_empty(a));
    g_assert_cmpint(xv_bitmap_last(a), ==, -1);
    g_assert_true(xv_bitmap_set(a, 129));
    g_assert_false(xv_bitmap_set(a, 130));
    g_assert_true(xv_bitmap_set(a, 64));
    g_assert_cmpuint(xv_bitmap_count(a), ==, 2);
    g_assert_cmpint(xv_bitmap_next(a, -1), ==, 64);
    g_assert_cmpint(xv_bitmap_next(a, 64), ==, 129);
    g_assert_cmpint(xv_bitmap_last(a), ==, 129);
    b = xv_bitmap_copy(a);
    g_assert_true(xv_bitmap_equal(a, b));
    xv_bitmap_clear(b, 64);
    g_assert_false(xv_bitmap_equal(a, b));
}

static void
test_names(void)
{
    const char *good[] = { "web1", "a", "db-primary_02", "Gäste", "with space" };
    const char *bad[] = { "", "a/b", ".hidden", " lead", "trail ", "tab\there",
                          "0123456789012345678901234567890123456789012345678901234567890123456789" };

    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autoptr(GError) error = NULL;

        g_assert_true(xv_domain_name_validate(good[i], &error));
        g_assert_no_error(error);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;

        g_assert_false(xv_domain_name_validate(bad[i], &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    }
    g_assert_false(xv_domain_name_validate(NULL, NULL));
}

static void
test_uuid(void)
{
    guchar uuid[XV_UUID_BUFLEN];
    char buf[XV_UUID_STRING_BUFLEN];
    g_autoptr(GError) error = NULL;

    g_assert_true(xv_uuid_parse("2147d599-9cc6-c0dc-92ab-4064b5446e9b", uuid, &error));
    g_assert_cmpstr(xv_uuid_format(uuid, buf), ==, "2147d599-9cc6-c0dc-92ab-4064b5446e9b");
    g_assert_true(xv_uuid_parse("2147D5999CC6C0DC92AB4064B5446E9B", uuid, &error));
    g_assert_cmpstr(xv_uuid_format(uuid, buf), ==, "2147d599-9cc6-c0dc-92ab-4064b5446e9b");
    g_assert_false(xv_uuid_parse("2147d599-9cc6-c0dc-92ab-4064b5446e9", uuid, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_uuid_parse("2147d599-9cc6-c0dc-92ab-4064b5446e9bXX", uuid, &error));
    g_clear_error(&error);
    xv_uuid_generate(uuid);
    g_assert_false(xv_uuid_is_null(uuid));
}

static void
test_file_atomic(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("xv-util-XXXXXX", &error);
    g_autofree char *path = g_build_filename(dir, "f.xml", NULL);
    g_autofree char *bad = g_build_filename(dir, "missing", "f.xml", NULL);
    g_autofree char *content = NULL;
    GDir *d;
    int n = 0;

    g_assert_no_error(error);
    g_assert_true(xv_file_write_atomic(path, "one", -1, 0600, &error));
    g_assert_true(xv_file_write_atomic(path, "two", -1, 0600, &error));
    g_assert_true(g_file_get_contents(path, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, "two");
    g_assert_false(xv_file_write_atomic(bad, "x", -1, 0600, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_SYSTEM);
    g_clear_error(&error);

    /* no temporary file left behind */
    d = g_dir_open(dir, 0, NULL);
    while (g_dir_read_name(d) != NULL)
        n++;
    g_dir_close(d);
    g_assert_cmpint(n, ==, 1);

    g_assert_true(xv_file_remove(path, &error));
    g_assert_true(xv_file_remove(path, &error));
    g_assert_no_error(error);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/bitmap/parse-format", test_bitmap_parse_format);
    g_test_add_func("/util/bitmap/invalid", test_bitmap_invalid);
    g_test_add_func("/util/bitmap/ops", test_bitmap_ops);
    g_test_add_func("/util/names/domain", test_names);
    g_test_add_func("/util/names/uuid", test_uuid);
    g_test_add_func("/util/file/atomic", test_file_atomic);
    return g_test_run();
}
