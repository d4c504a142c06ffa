/*
 * test-libxl-conf-peer.c: conformance of xv_libxl_config_from_def() with
 * libvirt's libxl driver, over libvirt's own test vectors in
 * ../shared/peer/libxl-domconfig/ (NAME.xml -> NAME.json).
 *
 * Both sides are normalised through libxl (expected: from_json + to_json;
 * actual: to_json) with a test-only libxl_ctx.  Every deliberate difference
 * is in the table below with its reason (docs/libxl-conformance.md explains
 * each); any other difference fails the test, with a diff.
 */
#include <glib.h>
#include <stdlib.h>
#include <time.h>

#include "tests/libxlconf/libxlconf-test-util.h"
#include "util/xv-error.h"

/* Cases that do not apply to the libxl this is built against. */
typedef struct {
    const char *suffix;
    const char *reason;
} PeerNotApplicable;

static const PeerNotApplicable not_applicable[] = {
#ifdef LIBXL_HAVE_BUILDINFO_NESTED_HVM
    { "-legacy-nest", "written for a libxl without LIBXL_HAVE_BUILDINFO_NESTED_HVM "
                      "(nested_hvm in u.hvm); this libxl has the b_info field" },
#endif
};

/* Deliberate differences.  'error_contains': xenvirt refuses the definition
 * with an error containing this text, where libvirt builds a config. */
typedef struct {
    const char *name;
    const char *error_contains;
    const char *reason;
} PeerDeviation;

static const PeerDeviation deviations[] = {
    { "vnuma-hvm", "the NUMA cells hold",
      "the NUMA cells add up to more memory than <memory>; libxl refuses such a "
      "config at creation (libxl__vnuma_config_check: \"Amount of memory "
      "mismatch\"), so xenvirt reports it before anything starts" },
};

typedef struct {
    char *dir;
    char *name;
} PeerCase;

static guint n_cases, n_match, n_deviation, n_mismatch;
static GString *mismatches;

static void
peer_case_free(gpointer data)
{
    PeerCase *pc = data;

    g_free(pc->dir);
    g_free(pc->name);
    g_free(pc);
}

static const PeerDeviation *
find_deviation(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(deviations); i++) {
        if (g_str_equal(deviations[i].name, name))
            return &deviations[i];
    }
    return NULL;
}

static void
record_mismatch(const char *name, const char *reason)
{
    n_mismatch++;
    g_string_append_printf(mismatches, "  %s: %s\n", name, reason);
}

static void
test_peer_case(gconstpointer data)
{
    const PeerCase *pc = data;
    g_autofree char *xml_path = g_strdup_printf("%s/%s.xml", pc->dir, pc->name);
    g_autofree char *json_path = g_strdup_printf("%s/%s.json", pc->dir, pc->name);
    g_autofree char *expected_raw = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *actual = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GError) error = NULL;
    const PeerDeviation *deviation = find_deviation(pc->name);
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    gboolean ok;

    n_cases++;
    xv_test_peer_options(&opts);

    g_assert_true(g_file_get_contents(json_path, &expected_raw, NULL, &error));
    expected = xv_test_normalise_json(expected_raw, &error);
    g_assert_no_error(error);

    def = xv_domain_def_parse_file(xml_path, XV_PARSE_INACTIVE, &error);
    if (!def) {
        g_autofree char *why = g_strdup_printf("xenvirt cannot parse the XML: %s",
                                               error->message);
        record_mismatch(pc->name, why);
        g_test_fail_printf("%s", why);
        return;
    }

    ok = xv_libxl_config_from_def(def, &opts, &cfg, &error);
    if (deviation && deviation->error_contains) {
        if (!ok && strstr(error->message, deviation->error_contains)) {
            n_deviation++;
            g_test_message("%s: known deviation: %s", pc->name, deviation->reason);
        } else {
            g_autofree char *why = g_strdup_printf(
                "expected the documented refusal ('%s'), got %s",
                deviation->error_contains, ok ? "a config" : error->message);
            record_mismatch(pc->name, why);
            g_test_fail_printf("%s", why);
        }
        libxl_domain_config_dispose(&cfg);
        return;
    }
    if (!ok) {
        g_autofree char *why = g_strdup_printf("xenvirt refuses the definition: %s",
                                               error->message);
        record_mismatch(pc->name, why);
        g_test_fail_printf("%s", why);
        libxl_domain_config_dispose(&cfg);
        return;
    }
    actual = xv_test_config_json(&cfg);
    libxl_domain_config_dispose(&cfg);

    if (g_str_equal(expected, actual)) {
        n_match++;
    } else {
        g_autofree char *diff = xv_test_diff(expected, actual);
        g_autofree char *why = g_strdup_printf("configs differ:\n%s", diff);

        record_mismatch(pc->name, why);
        g_test_fail_printf("%s: %s", pc->name, why);
    }
}

static void
test_peer_summary(void)
{
    g_print("# libxl-domconfig conformance: %u/%u cases match\n",
            n_match, n_cases - n_deviation);
    if (n_deviation)
        g_print("# %u case(s) differ deliberately, see docs/libxl-conformance.md\n",
                n_deviation);
    if (n_mismatch) {
        g_print("# mismatches:\n");
        {
            g_auto(GStrv) lines = g_strsplit(mismatches->str, "\n", -1);

            for (guint i = 0; lines[i]; i++) {
                if (*lines[i])
                    g_print("#   %s\n", lines[i]);
            }
        }
    }
    g_assert_cmpuint(n_mismatch, ==, 0);
}

static void
test_peer_absent(gconstpointer data)
{
    g_test_skip_printf("peer data %s is absent", (const char *)data);
}

int
main(int argc, char **argv)
{
    const char *shared = g_getenv("XV_SHARED_DIR");
    g_autofree char *dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(peer_case_free);
    g_autoptr(GError) error = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* The time zone libvirt's test data was produced in (variable clock with
     * a localtime basis). */
    g_setenv("TZ", "VIR00:30", TRUE);
    tzset();
    mismatches = g_string_new(NULL);

    dir = g_build_filename(shared ? shared : "../shared", "peer", "libxl-domconfig", NULL);
    names = xv_test_list_dir(dir, ".xml", &error);
    if (!names) {
        g_test_add_data_func("/libxlconf/peer/absent", dir, test_peer_absent);
        return g_test_run();
    }

    for (guint i = 0; i < names->len; i++) {
        const char *file = g_ptr_array_index(names, i);
        g_autofree char *name = g_strndup(file, strlen(file) - 4);
        g_autofree char *path = NULL;
        gboolean skip = FALSE;
        PeerCase *pc;

        for (gsize j = 0; j < G_N_ELEMENTS(not_applicable); j++) {
            if (g_str_has_suffix(name, not_applicable[j].suffix)) {
                g_test_message("%s: not applicable: %s", name, not_applicable[j].reason);
                skip = TRUE;
            }
        }
        if (skip)
            continue;
        pc = g_new0(PeerCase, 1);
        pc->dir = g_strdup(dir);
        pc->name = g_strdup(name);
        g_ptr_array_add(cases, pc);
        path = g_strdup_printf("/libxlconf/peer/%s", name);
        g_test_add_data_func(path, pc, test_peer_case);
    }
    g_test_add_func("/libxlconf/peer/~summary", test_peer_summary);

    ret = g_test_run();
    g_string_free(mismatches, TRUE);
    return ret;
}
