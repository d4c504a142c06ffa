/*
 * test-xl-conf.c: xl.cfg <-> domain XML conversion.
 *
 * /xlconf/golden/NAME      tests/xlconfigdata/, one case per MANIFEST line:
 *                          NAME.cfg + NAME.xml, direction both/cfg-to-xml/
 *                          xml-to-cfg; NAME.warn (optional) lists the
 *                          warnings the cfg must produce, one per line.
 *                          NAME-invalid.cfg + NAME-invalid.err: the exact
 *                          diagnostic; NAME-invalid.xml + NAME-invalid.err:
 *                          the formatter's refusal.
 *                          XV_TEST_REGENERATE=1 rewrites the expected files.
 * /xlconf/conformance/...  ../shared/peer/xl-config/ (libvirt's own vectors),
 *                          following its MANIFEST; prints how many match and
 *                          a unified diff for each mismatch.  Differences
 *                          that are deliberate are listed in
 *                          'deliberate_differences' below and documented in
 *                          docs/xl-conformance.md; any other one fails.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"
#include "xmlconf/xl-conf.h"

#define FORMAT_FLAGS (XV_FORMAT_INACTIVE | XV_FORMAT_SECURE)

typedef enum {
    DIR_BOTH,
    DIR_CFG_TO_XML,
    DIR_XML_TO_CFG,
    DIR_INVALID_CFG,
    DIR_INVALID_XML,
} Direction;

typedef struct {
    char *dir;
    char *name;
    Direction direction;
} Case;

static void
case_free(gpointer data)
{
    Case *c = data;

    if (c == NULL)
        return;
    g_free(c->dir);
    g_free(c->name);
    g_free(c);
}

static gboolean
regenerate(void)
{
    return g_strcmp0(g_getenv("XV_TEST_REGENERATE"), "1") == 0;
}

static char *
read_file(const char *path)
{
    char *data = NULL;
    g_autoptr(GError) error = NULL;

    if (!g_file_get_contents(path, &data, NULL, &error))
        g_error("cannot read %s: %s", path, error->message);
    return data;
}

static char *
read_file_opt(const char *path)
{
    char *data = NULL;

    if (!g_file_get_contents(path, &data, NULL, NULL))
        return NULL;
    return data;
}

static void
write_file(const char *path, const char *data)
{
    g_autoptr(GError) error = NULL;

    if (!g_file_set_contents(path, data, -1, &error))
        g_error("cannot write %s: %s", path, error->message);
    g_test_message("regenerated %s", path);
}

/* A unified diff of two texts, for the report. */
static char *
unified_diff(const char *expected, const char *actual, const char *label)
{
    g_autofree char *tmpdir = g_dir_make_tmp("xlconf-diff-XXXXXX", NULL);
    g_autofree char *a = NULL, *b = NULL, *out = NULL;
    const char *argv[] = { "diff", "-u", "--label", NULL, "--label", "actual", NULL, NULL, NULL };
    g_autofree char *exp_label = g_strdup_printf("expected %s", label);

    if (tmpdir == NULL)
        return g_strdup("(cannot create a temporary directory for the diff)");
    a = g_build_filename(tmpdir, "expected", NULL);
    b = g_build_filename(tmpdir, "actual", NULL);
    g_file_set_contents(a, expected, -1, NULL);
    g_file_set_contents(b, actual, -1, NULL);
    argv[3] = exp_label;
    argv[6] = a;
    argv[7] = b;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, NULL, NULL))
        out = g_strdup("(diff(1) is not available)");
    g_unlink(a);
    g_unlink(b);
    g_rmdir(tmpdir);
    return g_steal_pointer(&out);
}

/* cfg text -> XML text; NULL with *error on failure. */
static char *
cfg_to_xml(const char *cfg, const char *filename, GPtrArray *warnings, GError **error)
{
    g_autoptr(XvDomainDef) def = xv_xl_config_parse(cfg, strlen(cfg), filename, warnings, error);

    if (def == NULL)
        return NULL;
    return xv_domain_def_format(def, FORMAT_FLAGS);
}

static char *
xml_to_cfg(const char *xml, GError **error)
{
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);

    if (def == NULL)
        return NULL;
    return xv_xl_config_format(def, error);
}

static char *
join_warnings(GPtrArray *warnings)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < warnings->len; i++)
        g_string_append_printf(s, "%s\n", (char *)g_ptr_array_index(warnings, i));
    return g_string_free(s, FALSE);
}

/* ---- golden cases ----------------------------------------------------- */

static void
check_text(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate()) {
        write_file(path, actual);
        return;
    }
    expected = read_file(path);
    if (g_strcmp0(expected, actual) != 0) {
        g_autofree char *diff = unified_diff(expected, actual, path);
        g_test_message("%s differs:\n%s", path, diff);
        g_test_fail();
    }
}

static void
test_golden(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *base = g_build_filename(c->dir, c->name, NULL);
    g_autofree char *cfg_path = g_strconcat(base, ".cfg", NULL);
    g_autofree char *xml_path = g_strconcat(base, ".xml", NULL);
    g_autofree char *err_path = g_strconcat(base, ".err", NULL);
    g_autofree char *warn_path = g_strconcat(base, ".warn", NULL);
    g_autofree char *cfg_name = g_strconcat(c->name, ".cfg", NULL);

    switch (c->direction) {
    case DIR_INVALID_CFG: {
        g_autofree char *cfg = read_file(cfg_path);
        g_autoptr(GError) error = NULL;
        g_autofree char *xml = cfg_to_xml(cfg, cfg_name, NULL, &error);
        g_autofree char *msg = NULL;

        g_assert_null(xml);
        g_assert_nonnull(error);
        if (error == NULL)
            return;
        g_assert_true(error->domain == XV_ERROR);
        msg = g_strconcat(error->message, "\n", NULL);
        check_text(err_path, msg);
        return;
    }
    case DIR_INVALID_XML: {
        g_autofree char *xml = read_file(xml_path);
        g_autoptr(GError) error = NULL;
        g_autofree char *cfg = xml_to_cfg(xml, &error);
        g_autofree char *msg = NULL;

        g_assert_null(cfg);
        g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
        if (error == NULL)
            return;
        msg = g_strconcat(error->message, "\n", NULL);
        check_text(err_path, msg);
        return;
    }
    default:
        break;
    }

    if (c->direction == DIR_BOTH || c->direction == DIR_CFG_TO_XML) {
        g_autofree char *cfg = read_file(cfg_path);
        g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) error = NULL;
        g_autofree char *xml = cfg_to_xml(cfg, cfg_name, warnings, &error);
        g_autofree char *warn_text = NULL;
        g_autofree char *expected_warn = NULL;

        g_assert_no_error(error);
        g_assert_nonnull(xml);
        if (xml == NULL)
            return;
        check_text(xml_path, xml);

        warn_text = join_warnings(warnings);
        expected_warn = read_file_opt(warn_path);
        if (regenerate()) {
            if (warnings->len > 0)
                write_file(warn_path, warn_text);
            else
                g_unlink(warn_path);
        } else {
            g_assert_cmpstr(warn_text, ==, expected_warn ? expected_warn : "");
        }

        /* the XML we emit is a fixed point of the domain parser */
        {
            g_autoptr(XvDomainDef) again = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);
            g_autofree char *xml2 = NULL;
            g_assert_no_error(error);
            if (again == NULL)
                return;
            xml2 = xv_domain_def_format(again, FORMAT_FLAGS);
            g_assert_cmpstr(xml2, ==, xml);
        }
    }

    if (c->direction == DIR_BOTH || c->direction == DIR_XML_TO_CFG) {
        g_autofree char *xml = read_file(xml_path);
        g_autoptr(GError) error = NULL;
        g_autofree char *cfg = xml_to_cfg(xml, &error);

        g_assert_no_error(error);
        g_assert_nonnull(cfg);
        if (cfg == NULL)
            return;
        check_text(cfg_path, cfg);

        /* and what we write, xl (libxlutil) reads back to the same domain */
        {
            g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
            g_autofree char *xml2 = cfg_to_xml(cfg, cfg_name, warnings, &error);
            g_assert_no_error(error);
            g_assert_cmpuint(warnings->len, ==, 0);
            if (c->direction == DIR_BOTH)
                g_assert_cmpstr(xml2, ==, xml);
        }
    }
}

static gboolean
parse_direction(const char *word, Direction *out)
{
    if (g_str_equal(word, "both"))
        *out = DIR_BOTH;
    else if (g_str_equal(word, "cfg-to-xml"))
        *out = DIR_CFG_TO_XML;
    else if (g_str_equal(word, "xml-to-cfg"))
        *out = DIR_XML_TO_CFG;
    else
        return FALSE;
    return TRUE;
}

/* MANIFEST lines: "NAME<ws>DIRECTION[ anything]"; '#' starts a comment. */
static GPtrArray *
read_manifest(const char *dir, const char *prefix)
{
    g_autofree char *path = g_build_filename(dir, "MANIFEST", NULL);
    g_autofree char *text = read_file(path);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GPtrArray *cases = g_ptr_array_new_with_free_func(case_free);

    for (guint i = 0; lines[i]; i++) {
        g_auto(GStrv) words = NULL;
        char *line = g_strstrip(lines[i]);
        Case *c;

        if (*line == '\0' || *line == '#')
            continue;
        words = g_regex_split_simple("\\s+", line, 0, 0);
        c = g_new0(Case, 1);
        c->dir = g_strdup(dir);
        c->name = g_strconcat(prefix, words[0], NULL);
        if (words[1] == NULL || !parse_direction(words[1], &c->direction))
            g_error("%s: bad direction on line %u", path, i + 1);
        g_ptr_array_add(cases, c);
    }
    return cases;
}

static void
add_golden_tests(void)
{
    const char *srcdir = g_getenv("XV_SRCDIR");
    g_autofree char *dir = g_build_filename(srcdir ? srcdir : ".", "tests", "xlconfigdata", NULL);
    g_autoptr(GPtrArray) cases = read_manifest(dir, "");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    g_assert_nonnull(d);
    for (guint i = 0; i < cases->len; i++) {
        Case *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/xlconf/golden/%s", c->name);
        g_test_add_data_func_full(path, g_steal_pointer(&cases->pdata[i]), test_golden, case_free);
    }
    /* -invalid cases are found by name */
    while ((entry = g_dir_read_name(d))) {
        Case *c;
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(entry, "-invalid.err"))
            continue;
        c = g_new0(Case, 1);
        c->dir = g_strdup(dir);
        c->name = g_strndup(entry, strlen(entry) - strlen(".err"));
        {
            g_autofree char *cfg = g_strdup_printf("%s/%s.cfg", dir, c->name);
            c->direction = g_file_test(cfg, G_FILE_TEST_EXISTS) ? DIR_INVALID_CFG : DIR_INVALID_XML;
        }
        path = g_strdup_printf("/xlconf/golden/%s", c->name);
        g_test_add_data_func_full(path, c, test_golden, case_free);
    }
}

/* ---- focused unit tests ----------------------------------------------- */

static void
test_unknown_keys_warn(void)
{
    const char *cfg =
        "name = \"w\"\n"
        "memory = 256\n"
        "cpu_cap = 50   # no equivalent\n"
        "vif = [ 'mac=00:16:3e:00:00:01,bridge=br0,gatewaydev=eth0' ]\n"
        "on_watchdog = 'destroy'\n";
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_xl_config_parse(cfg, strlen(cfg), "w.cfg", warnings, &error);

    g_assert_no_error(error);
    g_assert_nonnull(def);
    g_assert_cmpuint(warnings->len, ==, 3);
    g_assert_cmpstr(g_ptr_array_index(warnings, 0), ==,
                    "xl.cfg key 'on_watchdog' has no domain XML equivalent and was ignored");
    g_assert_cmpstr(g_ptr_array_index(warnings, 1), ==,
                    "xl.cfg key 'vif' option 'gatewaydev' has no domain XML equivalent and was ignored");
    g_assert_cmpstr(g_ptr_array_index(warnings, 2), ==,
                    "xl.cfg key 'cpu_cap' has no domain XML equivalent and was ignored");

    /* the warnings array is optional */
    g_autoptr(XvDomainDef) def2 = xv_xl_config_parse(cfg, strlen(cfg), "w.cfg", NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(def2);
}

static void
test_missing_name(void)
{
    const char *cfg = "memory = 256\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_xl_config_parse(cfg, strlen(cfg), "n.cfg", NULL, &error);

    g_assert_null(def);
    g_assert_nonnull(error);
    g_assert_cmpstr(error->message, ==, "n.cfg: domain name must be specified (key 'name')");
}

static void
test_generated_uuid_and_mac(void)
{
    const char *cfg = "name = 'g'\nvif = [ 'bridge=xenbr0' ]\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_xl_config_parse(cfg, strlen(cfg), "g.cfg", NULL, &error);
    XvNetDef *net;

    g_assert_no_error(error);
    g_assert_false(xv_uuid_is_null(def->uuid));
    g_assert_cmpuint(def->nets->len, ==, 1);
    net = g_ptr_array_index(def->nets, 0);
    g_assert_cmphex(net->mac[0], ==, 0x00);
    g_assert_cmphex(net->mac[1], ==, 0x16);
    g_assert_cmphex(net->mac[2], ==, 0x3e);
}

static void
test_format_escapes(void)
{
    /* quotes and backslashes survive a round trip through libxlutil */
    const char *cfg = "name = 'q'\nkernel = '/k'\ncmdline = 'a=\"b c\" d\\\\e'\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_xl_config_parse(cfg, strlen(cfg), "q.cfg", NULL, &error);
    g_autofree char *out = NULL;
    g_autoptr(XvDomainDef) again = NULL;

    g_assert_no_error(error);
    g_assert_cmpstr(def->os.cmdline, ==, "a=\"b c\" d\\e");
    out = xv_xl_config_format(def, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(out, "cmdline = 'a=\"b c\" d\\\\e'\n"));
    again = xv_xl_config_parse(out, strlen(out), "q2.cfg", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(again->os.cmdline, ==, def->os.cmdline);
}

/* ---- conformance ------------------------------------------------------ */

/* Differences from libvirt's output that are deliberate, each explained in
 * docs/xl-conformance.md.  Key: "CASE:direction". */
static const struct {
    const char *key;
    const char *reason;
} deliberate_differences[] = {
    { NULL, NULL },
};

static const char *
deliberate_reason(const char *name, const char *direction)
{
    g_autofree char *key = g_strdup_printf("%s:%s", name, direction);

    for (gsize i = 0; i < G_N_ELEMENTS(deliberate_differences); i++)
        if (deliberate_differences[i].key && g_str_equal(deliberate_differences[i].key, key))
            return deliberate_differences[i].reason;
    return NULL;
}

static char *
peer_dir(void)
{
    const char *shared = g_getenv("XV_SHARED_DIR");

    if (shared == NULL)
        return NULL;
    return g_build_filename(shared, "peer", "xl-config", NULL);
}

static char *
firmware_fixup(const char *text)
{
    g_auto(GStrv) parts = g_strsplit(text, "/LIBXL_FIRMWARE_DIR", -1);

    return g_strjoinv(XV_XEN_FIRMWARE_DIR, parts);
}

static void
test_conformance(void)
{
    g_autofree char *dir = peer_dir();
    g_autofree char *manifest = NULL;
    g_autoptr(GPtrArray) cases = NULL;
    guint total = 0, matched = 0, unexpected = 0;
    GString *report = g_string_new(NULL);

    if (dir == NULL || !g_file_test((manifest = g_build_filename(dir, "MANIFEST", NULL)),
                                    G_FILE_TEST_EXISTS)) {
        g_string_free(report, TRUE);
        g_test_skip("../shared/peer/xl-config is absent: no libvirt conformance vectors to compare with");
        return;
    }
    cases = read_manifest(dir, "test-");

    for (guint i = 0; i < cases->len; i++) {
        Case *c = g_ptr_array_index(cases, i);
        const char *name = c->name + strlen("test-");
        g_autofree char *base = g_build_filename(dir, c->name, NULL);
        g_autofree char *cfg_path = g_strconcat(base, ".cfg", NULL);
        g_autofree char *xml_path = g_strconcat(base, ".xml", NULL);
        g_autofree char *cfg_text = NULL, *xml_text = NULL;
        g_autofree char *cfg_name = g_strconcat(c->name, ".cfg", NULL);
        gboolean ok = TRUE;

        {
            g_autofree char *raw_cfg = read_file(cfg_path);
            g_autofree char *raw_xml = read_file(xml_path);
            cfg_text = firmware_fixup(raw_cfg);
            xml_text = firmware_fixup(raw_xml);
        }
        total++;

        for (int pass = 0; pass < 2; pass++) {
            const char *direction = pass == 0 ? "cfg-to-xml" : "xml-to-cfg";
            g_autoptr(GError) error = NULL;
            g_autofree char *actual = NULL;
            const char *expected = pass == 0 ? xml_text : cfg_text;
            const char *reason;

            if (pass == 0 && c->direction == DIR_XML_TO_CFG)
                continue;
            if (pass == 1 && c->direction == DIR_CFG_TO_XML)
                continue;
            actual = pass == 0 ? cfg_to_xml(cfg_text, cfg_name, NULL, &error)
                               : xml_to_cfg(xml_text, &error);
            if (actual != NULL && g_strcmp0(actual, expected) == 0)
                continue;
            ok = FALSE;
            reason = deliberate_reason(name, direction);
            g_string_append_printf(report, "MISMATCH %s (%s)%s%s\n", name, direction,
                                   reason ? ": deliberate: " : "", reason ? reason : "");
            if (actual == NULL) {
                g_string_append_printf(report, "  error: %s\n", error ? error->message : "(none)");
            } else {
                g_autofree char *diff = unified_diff(expected, actual, c->name);
                g_string_append(report, diff);
            }
            if (!reason)
                unexpected++;
        }
        if (ok)
            matched++;
    }

    g_test_message("xl-config conformance: %u/%u cases match", matched, total);
    if (report->len)
        g_test_message("%s", report->str);
    if (g_getenv("XV_CONFORMANCE_VERBOSE"))
        g_printerr("xl-config conformance: %u/%u cases match\n%s", matched, total, report->str);
    g_string_free(report, TRUE);
    g_assert_cmpuint(unexpected, ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    add_golden_tests();
    g_test_add_func("/xlconf/parse/unknown-keys-warn", test_unknown_keys_warn);
    g_test_add_func("/xlconf/parse/missing-name", test_missing_name);
    g_test_add_func("/xlconf/parse/generated-uuid-and-mac", test_generated_uuid_and_mac);
    g_test_add_func("/xlconf/format/escapes", test_format_escapes);
    g_test_add_func("/xlconf/conformance/peer-xl-config", test_conformance);

    return g_test_run();
}
