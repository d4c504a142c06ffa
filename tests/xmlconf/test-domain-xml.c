/*
 * test-domain-xml.c: golden round trips of the domain XML model.
 *
 * Iterates tests/xmlconfdata/:
 *   NAME.xml           parsed (XV_PARSE_LIVE when NAME contains "-live",
 *                      else XV_PARSE_INACTIVE) and formatted with
 *                      XV_FORMAT_SECURE (+ INACTIVE / MIGRATABLE when NAME
 *                      contains "-inactive" / "-migratable"); the text must
 *                      equal NAME.out.xml, and parse(format(x)) must format
 *                      to the same text.
 *   NAME-invalid.xml   must fail to parse with the message in
 *                      NAME-invalid.err (both stripped).
 * XV_TEST_REGENERATE=1 writes the .out.xml files instead of comparing them
 * (never the .err files).  Every XML this program gets from the formatter is
 * checked with `virt-xml-validate FILE domain` (libvirt-clients).
 *
 * Peer data (--suite=conformance): every domain XML in
 * $XV_SHARED_DIR/peer/{libxl-domconfig,xl-config} parses, and
 * parse -> format -> parse -> format is a fixed point; the xl-config cases
 * that libvirt itself wrote (MANIFEST direction other than xml-to-cfg) must
 * come out byte-identical.
 *
 * Bad input (unit suite): a 100 MB document, a billion-laughs document, an
 * external entity, and every truncation of a valid document.
 *
 * Options (before GTest's): --suite=unit | --suite=conformance selects the
 * part to register; without it, everything.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"

static char *data_dir;          /* tests/xmlconfdata */
static char *validate_dir;      /* temp dir for virt-xml-validate inputs */
static gboolean regenerate;
static guint validate_seq;

/* ---- helpers ----------------------------------------------------------- */

static char *
read_file_or_fail(const char *path)
{
    g_autoptr(GError) error = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &error))
        g_error("cannot read %s: %s", path, error->message);
    return contents;
}

/*
 * Check one formatter output against libvirt's RelaxNG schema.  The file is
 * kept in validate_dir under a unique name so that a failure can be
 * inspected.
 *
 * Known schema gap: Debian 12 ships libvirt 9.0, whose schema has no
 * <loader format=...> attribute; libvirt >= 9.2 writes format='raw' on the
 * hvmloader/OVMF loader, and so do libvirt's own files in ../shared/peer.
 * When validation fails, the same document without that one attribute is
 * validated again; if that passes, the case passes with a message saying so.
 * Any other schema error fails the test.
 */
static gboolean
run_validator(const char *path, char **errtext)
{
    const char *argv[] = { "virt-xml-validate", path, "domain", NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &err, &status, &error)) {
        if (g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
            g_error("virt-xml-validate not found: install libvirt-clients "
                    "(apt-get install -y libvirt-clients) to run this test");
        g_error("cannot run virt-xml-validate: %s", error->message);
    }
    if (errtext)
        *errtext = g_strconcat(out ? out : "", err ? err : "", NULL);
    return g_spawn_check_wait_status(status, NULL);
}

static void
assert_schema_valid(const char *label, const char *xml)
{
    g_autofree char *base = NULL;
    g_autofree char *path = NULL;
    g_autofree char *errtext = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GRegex) loader_format = NULL;
    g_autofree char *stripped = NULL;
    g_autofree char *stripped_path = NULL;
    g_autofree char *errtext2 = NULL;

    base = g_strdup_printf("%04u-%s.xml", validate_seq++, label);
    g_strdelimit(base, "/", '_');
    path = g_build_filename(validate_dir, base, NULL);
    if (!g_file_set_contents(path, xml, -1, &error))
        g_error("cannot write %s: %s", path, error->message);

    if (run_validator(path, &errtext))
        return;

    loader_format = g_regex_new("(<loader[^>]*) format='raw'", 0, 0, NULL);
    stripped = g_regex_replace(loader_format, xml, -1, 0, "\\1", 0, NULL);
    if (stripped && !g_str_equal(stripped, xml)) {
        stripped_path = g_strconcat(path, ".no-loader-format.xml", NULL);
        if (!g_file_set_contents(stripped_path, stripped, -1, &error))
            g_error("cannot write %s: %s", stripped_path, error->message);
        if (run_validator(stripped_path, &errtext2)) {
            g_test_message("%s: valid except <loader format='raw'>, which the "
                           "installed (libvirt 9.0) schema predates", label);
            return;
        }
    }
    g_test_message("virt-xml-validate %s domain:\n%s", path, errtext);
    g_test_fail_printf("%s: formatter output does not validate against libvirt's "
                       "domain schema (kept in %s):\n%s", label, path, errtext);
}

/* Parse; on failure the test fails with the parser's message. */
static XvDomainDef *
parse_or_fail(const char *label, const char *xml, XvParseFlags pflags)
{
    g_autoptr(GError) error = NULL;
    XvDomainDef *def = xv_domain_def_parse(xml, -1, pflags, &error);

    if (!def)
        g_test_fail_printf("%s: parse failed: %s", label,
                           error ? error->message : "(no error set)");
    else
        g_assert_no_error(error);
    return def;
}

static void
assert_same_text(const char *label, const char *expected, const char *actual)
{
    if (g_str_equal(expected, actual))
        return;
    g_test_message("%s: expected:\n%s\n%s: got:\n%s", label, expected, label, actual);
    g_test_fail_printf("%s: formatted XML differs from the expected text", label);
}

/*
 * format(def) with 'fflags', then parse and format again: the second text
 * must equal the first.  Returns the first text (validated) or NULL.
 */
static char *
format_fixed_point(const char *label, const XvDomainDef *def, XvParseFlags pflags,
                   XvFormatFlags fflags)
{
    g_autofree char *first = xv_domain_def_format(def, fflags);
    g_autoptr(XvDomainDef) again = NULL;
    g_autofree char *second = NULL;
    g_autofree char *fp_label = g_strconcat(label, " (fixed point)", NULL);

    g_assert_nonnull(first);
    assert_schema_valid(label, first);
    again = parse_or_fail(fp_label, first, pflags);
    if (!again)
        return NULL;
    second = xv_domain_def_format(again, fflags);
    assert_same_text(fp_label, first, second);
    return g_steal_pointer(&first);
}

/* ---- golden cases -------------------------------------------------------- */

static void
test_golden_valid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", data_dir, name);
    g_autofree char *out_path = g_strdup_printf("%s/%s.out.xml", data_dir, name);
    g_autofree char *input = read_file_or_fail(in_path);
    XvParseFlags pflags = strstr(name, "-live") ? XV_PARSE_LIVE : XV_PARSE_INACTIVE;
    XvFormatFlags fflags = XV_FORMAT_SECURE;
    g_autoptr(XvDomainDef) def = NULL;
    g_autofree char *actual = NULL;
    g_autofree char *insecure = NULL;
    g_autofree char *migratable = NULL;
    g_autoptr(XvDomainDef) migrated = NULL;
    g_autofree char *migrated_text = NULL;
    g_autofree char *label_mig = g_strconcat(name, "-as-migratable", NULL);
    g_autofree char *label_insecure = g_strconcat(name, "-not-secure", NULL);

    if (strstr(name, "-inactive"))
        fflags |= XV_FORMAT_INACTIVE;
    if (strstr(name, "-migratable"))
        fflags |= XV_FORMAT_MIGRATABLE;

    def = parse_or_fail(name, input, pflags);
    if (!def)
        return;

    actual = format_fixed_point(name, def, pflags, fflags);
    if (!actual)
        return;

    if (regenerate) {
        g_autoptr(GError) error = NULL;

        if (!g_file_set_contents(out_path, actual, -1, &error))
            g_error("cannot write %s: %s", out_path, error->message);
        g_test_message("XV_TEST_REGENERATE=1: wrote %s (review the diff)", out_path);
    } else {
        g_autofree char *expected = NULL;
        g_autoptr(GError) error = NULL;

        if (!g_file_get_contents(out_path, &expected, NULL, &error)) {
            g_test_fail_printf("%s: %s (run with XV_TEST_REGENERATE=1 to create it)",
                               name, error->message);
            return;
        }
        assert_same_text(name, expected, actual);
    }

    /* Without XV_FORMAT_SECURE no password is ever written. */
    insecure = xv_domain_def_format(def, fflags & ~XV_FORMAT_SECURE);
    g_assert_null(strstr(insecure, "passwd="));
    if (!g_str_equal(insecure, actual))
        assert_schema_valid(label_insecure, insecure);

    /* The migratable XML, read back on a destination, defines the same
     * domain: whatever it leaves out, post-parse puts back. */
    if (!(fflags & XV_FORMAT_MIGRATABLE)) {
        migratable = xv_domain_def_format(def, fflags | XV_FORMAT_MIGRATABLE);
        if (!g_str_equal(migratable, actual))
            assert_schema_valid(label_mig, migratable);
        migrated = parse_or_fail(label_mig, migratable, pflags);
        if (!migrated)
            return;
        migrated_text = xv_domain_def_format(migrated, fflags);
        assert_same_text(label_mig, actual, migrated_text);
    }
}

static void
test_golden_invalid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", data_dir, name);
    g_autofree char *err_path = g_strdup_printf("%s/%s.err", data_dir, name);
    g_autofree char *input = read_file_or_fail(in_path);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) read_error = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    XvParseFlags pflags = strstr(name, "-live") ? XV_PARSE_LIVE : XV_PARSE_INACTIVE;

    if (!g_file_get_contents(err_path, &expected, NULL, &read_error)) {
        g_test_fail_printf("%s: no expected error text: %s", name, read_error->message);
        return;
    }
    def = xv_domain_def_parse(input, -1, pflags, &error);
    if (def) {
        g_autofree char *xml = xv_domain_def_format(def, XV_FORMAT_SECURE);

        g_test_fail_printf("%s: parsed although it is invalid; formatted:\n%s", name, xml);
        return;
    }
    g_assert_nonnull(error);
    g_assert_true(error->domain == XV_ERROR);
    g_strstrip(expected);
    {
        g_autofree char *message = g_strstrip(g_strdup(error->message));

        if (!g_str_equal(expected, message))
            g_test_fail_printf("%s: error message\n  got:      %s\n  expected: %s",
                               name, message, expected);
    }
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of NAME for every NAME.xml (not NAME.out.xml) in 'dir'. */
static GPtrArray *
list_cases(const char *dir, GError **error)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, error);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    if (!d)
        return NULL;
    while ((entry = g_dir_read_name(d))) {
        if (!g_str_has_suffix(entry, ".xml") || g_str_has_suffix(entry, ".out.xml"))
            continue;
        g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(".xml")));
    }
    g_ptr_array_sort(names, compare_strings);
    return g_steal_pointer(&names);
}

static void
register_golden(GPtrArray *keep)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) names = list_cases(data_dir, &error);

    if (!names)
        g_error("cannot list %s: %s", data_dir, error->message);
    for (guint i = 0; i < names->len; i++) {
        char *name = g_strdup(g_ptr_array_index(names, i));
        g_autofree char *path = g_strdup_printf("/xmlconf/golden/%s", name);

        g_ptr_array_add(keep, name);
        if (g_str_has_suffix(name, "-invalid"))
            g_test_add_data_func(path, name, test_golden_invalid);
        else
            g_test_add_data_func(path, name, test_golden_valid);
    }
}

/* ---- peer data ------------------------------------------------------------ */

typedef struct {
    char *path;                 /* the peer XML */
    gboolean libvirt_output;    /* byte-identical output expected */
} PeerCase;

static void
peer_case_free(PeerCase *pc)
{
    g_free(pc->path);
    g_free(pc);
}

static void
test_peer(gconstpointer data)
{
    const PeerCase *pc = data;
    g_autofree char *input = read_file_or_fail(pc->path);
    g_autofree char *label = g_path_get_basename(pc->path);
    g_autoptr(XvDomainDef) def = NULL;
    g_autofree char *text = NULL;

    def = parse_or_fail(label, input, XV_PARSE_INACTIVE);
    if (!def)
        return;
    text = format_fixed_point(label, def, XV_PARSE_INACTIVE,
                              XV_FORMAT_SECURE | XV_FORMAT_INACTIVE);
    if (text && pc->libvirt_output) {
        g_test_message("%s: libvirt's own output: compared byte for byte", label);
        assert_same_text(label, input, text);
    }
}

static void
test_peer_absent(gconstpointer data)
{
    g_test_skip_printf("peer data %s is absent (../shared not available)",
                       (const char *)data);
}

/* Directions from xl-config/MANIFEST: NAME -> direction. */
static GHashTable *
read_manifest(const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "MANIFEST", NULL);
    g_autofree char *contents = NULL;
    GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(path, &contents, NULL, NULL))
        return map;
    lines = g_strsplit(contents, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_auto(GStrv) fields = NULL;

        if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
        fields = g_strsplit_set(lines[i], "\t ", 3);
        if (fields[0] && fields[1])
            g_hash_table_insert(map, g_strdup(fields[0]), g_strdup(fields[1]));
    }
    return map;
}

static void
register_peer(GPtrArray *keep, GPtrArray *keep_cases, const char *subdir)
{
    const char *shared = g_getenv("XV_SHARED_DIR");
    g_autofree char *dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GHashTable) manifest = NULL;
    gboolean xl = g_str_equal(subdir, "xl-config");

    dir = shared ? g_build_filename(shared, "peer", subdir, NULL) : g_strdup(subdir);
    names = g_file_test(dir, G_FILE_TEST_IS_DIR) ? list_cases(dir, NULL) : NULL;
    if (!names) {
        char *msg = g_strdup(dir);
        g_autofree char *path = g_strdup_printf("/xmlconf/peer/%s/absent", subdir);

        g_ptr_array_add(keep, msg);
        g_test_add_data_func(path, msg, test_peer_absent);
        return;
    }
    manifest = xl ? read_manifest(dir) : NULL;
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        PeerCase *pc = g_new0(PeerCase, 1);
        g_autofree char *path = g_strdup_printf("/xmlconf/peer/%s/%s", subdir, name);

        pc->path = g_strdup_printf("%s/%s.xml", dir, name);
        if (xl) {
            /* MANIFEST names cases without the "test-" prefix. */
            const char *key = g_str_has_prefix(name, "test-") ? name + 5 : name;
            const char *dirn = g_hash_table_lookup(manifest, key);

            pc->libvirt_output = dirn && !g_str_equal(dirn, "xml-to-cfg");
        }
        g_ptr_array_add(keep_cases, pc);
        g_test_add_data_func(path, pc, test_peer);
    }
}

/* ---- bad input ------------------------------------------------------------ */

/* A small valid PV domain named 'name' (inserted unescaped: it may be an
 * entity reference); 'prolog' goes before it (a DOCTYPE). */
static char *
minimal_domain(const char *prolog, const char *name)
{
    return g_strconcat(prolog,
                       "<domain type='xen'>\n"
                       "  <name>", name, "</name>\n"
                       "  <memory unit='KiB'>524288</memory>\n"
                       "  <vcpu>1</vcpu>\n"
                       "  <os>\n"
                       "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
                       "    <kernel>/boot/vmlinuz</kernel>\n"
                       "  </os>\n"
                       "</domain>\n", NULL);
}

static void
assert_parse_fails(const char *label, const char *xml, gssize len, const char *must_not_contain)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, len, XV_PARSE_INACTIVE, &error);

    if (def) {
        g_autofree char *out = xv_domain_def_format(def, XV_FORMAT_SECURE);

        if (must_not_contain)
            g_assert_null(strstr(out, must_not_contain));
        g_test_fail_printf("%s: parsed; formatted to %zu bytes", label, strlen(out));
        return;
    }
    g_assert_nonnull(error);
    g_assert_true(error->domain == XV_ERROR);
    g_assert_cmpstr(error->message, !=, "");
    if (must_not_contain)
        g_assert_null(strstr(error->message, must_not_contain));
    g_test_message("%s: %s", label, error->message);
}

static void
test_bad_sanity(void)
{
    /* The template the bad-input cases build on parses: a failure below is
     * about the attack, not about the template. */
    g_autofree char *xml = minimal_domain("", "ok");
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);

    g_assert_no_error(error);
    g_assert_nonnull(def);
    g_assert_cmpstr(def->name, ==, "ok");
}

static void
test_bad_huge(void)
{
    /* 100 MB: a valid document whose <description> is enormous. */
    const gsize target = 100u * 1024u * 1024u;
    GString *s = g_string_sized_new(target + 1024);
    g_autofree char *xml = NULL;
    gsize len;
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = NULL;

    g_string_append(s, "<domain type='xen'>\n  <name>huge</name>\n  <description>");
    while (s->len < target)
        g_string_append(s, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    g_string_append(s, "</description>\n  <memory unit='KiB'>524288</memory>\n"
                       "  <vcpu>1</vcpu>\n  <os>\n    <type>linux</type>\n"
                       "    <kernel>/boot/vmlinuz</kernel>\n  </os>\n</domain>\n");
    len = s->len;
    xml = g_string_free(s, FALSE);

    def = xv_domain_def_parse(xml, (gssize)len, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_nonnull(error);
    g_assert_true(error->domain == XV_ERROR);
    g_test_message("100 MB document: %s", error->message);
    /* The message has to say what is wrong: the size. */
    {
        g_autofree char *lower = g_ascii_strdown(error->message, -1);

        g_assert_true(strstr(lower, "size") || strstr(lower, "large") ||
                      strstr(lower, "bytes") || strstr(lower, "limit"));
    }
    /* Also as a NUL-terminated string of unknown length. */
    g_clear_error(&error);
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_nonnull(error);
}

static void
test_bad_billion_laughs(void)
{
    GString *s = g_string_new("<?xml version='1.0'?>\n<!DOCTYPE domain [\n"
                              "  <!ENTITY lol0 'lol'>\n");
    g_autofree char *prolog = NULL;
    g_autofree char *xml = NULL;

    for (guint i = 1; i <= 9; i++) {
        g_string_append_printf(s, "  <!ENTITY lol%u '", i);
        for (guint j = 0; j < 10; j++)
            g_string_append_printf(s, "&lol%u;", i - 1);
        g_string_append(s, "'>\n");
    }
    g_string_append(s, "]>\n");
    prolog = g_string_free(s, FALSE);
    xml = minimal_domain(prolog, "&lol9;");
    assert_parse_fails("billion laughs", xml, -1, "lollollol");
}

static void
test_bad_external_entity(void)
{
    g_autofree char *secret_path = g_build_filename(validate_dir, "secret.txt", NULL);
    g_autofree char *entity = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(GError) error = NULL;

    if (!g_file_set_contents(secret_path, "TOPSECRETCONTENT", -1, &error))
        g_error("cannot write %s: %s", secret_path, error->message);
    entity = g_strdup_printf("<?xml version='1.0'?>\n<!DOCTYPE domain [\n"
                             "  <!ENTITY xxe SYSTEM 'file://%s'>\n]>\n", secret_path);
    xml = minimal_domain(entity, "&xxe;");
    assert_parse_fails("external entity", xml, -1, "TOPSECRETCONTENT");

    /* A parameter entity pulling an external DTD: nothing may be fetched. */
    {
        g_autofree char *dtd_path = g_build_filename(validate_dir, "evil.dtd", NULL);
        g_autofree char *head = NULL;
        g_autofree char *doc = NULL;

        if (!g_file_set_contents(dtd_path, "<!ENTITY evil 'TOPSECRETCONTENT'>", -1, &error))
            g_error("cannot write %s: %s", dtd_path, error->message);
        head = g_strdup_printf("<?xml version='1.0'?>\n<!DOCTYPE domain [\n"
                               "  <!ENTITY %% ext SYSTEM 'file://%s'>\n  %%ext;\n]>\n",
                               dtd_path);
        doc = minimal_domain(head, "&evil;");
        assert_parse_fails("external parameter entity", doc, -1, "TOPSECRETCONTENT");
    }
}

/* A damaged document the parser accepted still formats to XML that parses
 * back and formats to the same text (no schema check: thousands of cases). */
static void
assert_reformat_stable(const XvDomainDef *def)
{
    g_autofree char *a = xv_domain_def_format(def, XV_FORMAT_SECURE);
    g_autoptr(XvDomainDef) again = xv_domain_def_parse(a, -1, XV_PARSE_INACTIVE, NULL);
    g_autofree char *b = NULL;

    g_assert_nonnull(again);
    b = xv_domain_def_format(again, XV_FORMAT_SECURE);
    g_assert_cmpstr(a, ==, b);
}

static void
test_bad_truncations(void)
{
    g_autofree char *path = g_strdup_printf("%s/hvm-kitchen-sink.xml", data_dir);
    g_autofree char *xml = read_file_or_fail(path);
    gsize len = strlen(xml);
    guint parsed = 0;

    /* Every proper prefix, from empty to all but the last byte. */
    for (gsize cut = 0; cut < len; cut++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, (gssize)cut,
                                                         XV_PARSE_INACTIVE, &error);

        if (def) {
            /* Only possible when what is cut off is trailing white space. */
            assert_reformat_stable(def);
            parsed++;
        } else {
            g_assert_nonnull(error);
            g_assert_true(error->domain == XV_ERROR);
        }
    }
    /* Random byte corruptions of the full document, reproducible. */
    for (guint round = 0; round < 2000; round++) {
        g_autofree char *copy = g_strdup(xml);
        g_autoptr(GError) error = NULL;
        g_autoptr(XvDomainDef) def = NULL;
        guint pos = (guint)g_test_rand_int_range(0, (gint32)len);
        static const char junk[] = "<>&'\"/=-x0 \n;#";

        copy[pos] = junk[g_test_rand_int_range(0, (gint32)sizeof(junk) - 1)];
        def = xv_domain_def_parse(copy, -1, XV_PARSE_INACTIVE, &error);
        if (def)
            assert_reformat_stable(def);
        else
            g_assert_nonnull(error);
    }
    g_test_message("%u of %zu prefixes parsed (trailing white space only)", parsed, len);
}

/* ---- main ------------------------------------------------------------------- */

int
main(int argc, char **argv)
{
    const char *srcdir = g_getenv("XV_SRCDIR");
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) keep_peer =
        g_ptr_array_new_with_free_func((GDestroyNotify)peer_case_free);
    g_autoptr(GError) error = NULL;
    gboolean unit = TRUE, conformance = TRUE;
    int ret;
    int j = 1;

    /* Our own option, removed before GTest sees the arguments. */
    for (int i = 1; i < argc; i++) {
        if (g_str_equal(argv[i], "--suite=unit")) {
            conformance = FALSE;
        } else if (g_str_equal(argv[i], "--suite=conformance")) {
            unit = FALSE;
        } else {
            argv[j++] = argv[i];
        }
    }
    argc = j;
    argv[argc] = NULL;

    g_test_init(&argc, &argv, NULL);

    data_dir = g_build_filename(srcdir ? srcdir : ".", "tests", "xmlconfdata", NULL);
    regenerate = g_strcmp0(g_getenv("XV_TEST_REGENERATE"), "1") == 0;
    validate_dir = g_dir_make_tmp("xv-domain-xml-XXXXXX", &error);
    if (!validate_dir)
        g_error("cannot create a temporary directory: %s", error->message);
    if (regenerate)
        g_test_message("XV_TEST_REGENERATE=1: writing %s/*.out.xml instead of comparing",
                       data_dir);

    if (unit) {
        register_golden(keep);
        g_test_add_func("/xmlconf/bad-input/template-parses", test_bad_sanity);
        g_test_add_func("/xmlconf/bad-input/100mb", test_bad_huge);
        g_test_add_func("/xmlconf/bad-input/billion-laughs", test_bad_billion_laughs);
        g_test_add_func("/xmlconf/bad-input/external-entity", test_bad_external_entity);
        g_test_add_func("/xmlconf/bad-input/truncations", test_bad_truncations);
    }
    if (conformance) {
        register_peer(keep, keep_peer, "libxl-domconfig");
        register_peer(keep, keep_peer, "xl-config");
    }

    ret = g_test_run();

    /* Keep the validator inputs of a failed run for inspection. */
    if (ret == 0) {
        g_autoptr(GDir) d = g_dir_open(validate_dir, 0, NULL);
        const char *entry;

        while (d && (entry = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(validate_dir, entry, NULL);
            g_unlink(p);
        }
        g_rmdir(validate_dir);
    } else {
        g_printerr("formatter outputs kept in %s\n", validate_dir);
    }
    g_free(validate_dir);
    g_free(data_dir);
    return ret;
}
