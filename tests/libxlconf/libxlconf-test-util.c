/*
 * libxlconf-test-util.c: the test-only libxl context and shared helpers.
 */
#include <glib/gstdio.h>

#include <stdio.h>
#include <string.h>

#include <xenctrl.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "tests/libxlconf/libxlconf-test-util.h"
#include "util/xv-error.h"

/* ---- the four symbols that make libxl_ctx_alloc() work without Xen ---- */

xc_interface *
xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
                  unsigned open_flags)
{
    static char dummy;

    return (xc_interface *)&dummy;
}

int
xc_interface_close(xc_interface *xch)
{
    return 0;
}

struct xs_handle *
xs_open(unsigned long flags)
{
    static char dummy;

    return (struct xs_handle *)&dummy;
}

void
xs_close(struct xs_handle *xsh)
{
}

/* ---- ctx and JSON ------------------------------------------------------- */

static libxl_ctx *test_ctx;
static xentoollog_logger_stdiostream *test_logger;

libxl_ctx *
xv_test_libxl_ctx(void)
{
    if (!test_ctx) {
        test_logger = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
        g_assert_nonnull(test_logger);
        g_assert_cmpint(libxl_ctx_alloc(&test_ctx, LIBXL_VERSION, 0,
                                        (xentoollog_logger *)test_logger), ==, 0);
    }
    return test_ctx;
}

char *
xv_test_normalise_json(const char *json, GError **error)
{
    libxl_domain_config cfg;
    char *out = NULL;
    char *tmp;

    libxl_domain_config_init(&cfg);
    if (libxl_domain_config_from_json(xv_test_libxl_ctx(), &cfg, json) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    "libxl cannot parse the JSON");
    } else {
        tmp = libxl_domain_config_to_json(xv_test_libxl_ctx(), &cfg);
        out = g_strdup(tmp);
        free(tmp);
    }
    libxl_domain_config_dispose(&cfg);
    return out;
}

char *
xv_test_config_json(libxl_domain_config *cfg)
{
    char *tmp = libxl_domain_config_to_json(xv_test_libxl_ctx(), cfg);
    char *out = g_strdup(tmp);

    free(tmp);
    return out;
}

char *
xv_test_diff(const char *expected, const char *actual)
{
    g_autofree char *dir = g_dir_make_tmp("xv-libxlconf-XXXXXX", NULL);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *out = NULL;
    const char *argv[] = { "diff", "-u", "--label", "libvirt/expected", "--label",
                           "xenvirt/actual", NULL, NULL, NULL };

    if (!dir)
        return g_strdup_printf("--- expected\n%s\n+++ actual\n%s\n", expected, actual);
    a = g_build_filename(dir, "expected.json", NULL);
    b = g_build_filename(dir, "actual.json", NULL);
    if (g_file_set_contents(a, expected, -1, NULL) &&
        g_file_set_contents(b, actual, -1, NULL)) {
        argv[6] = a;
        argv[7] = b;
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                          &out, NULL, NULL, NULL))
            g_clear_pointer(&out, g_free);
    }
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
    if (!out)
        return g_strdup_printf("--- expected\n%s\n+++ actual\n%s\n", expected, actual);
    return g_steal_pointer(&out);
}

/* ---- options ------------------------------------------------------------ */

static guint64
shadow_1234(guint64 max_memkb, guint max_vcpus)
{
    return 1234;
}

static int
port_5900(gpointer data, GError **error)
{
    return 5900;
}

static char *
fake_network_bridge(const char *network, gpointer data, GError **error)
{
    if (g_strcmp0(network, "missing") == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    "network '%s' not found", network);
        return NULL;
    }
    return g_strdup_printf("virbr-%s", network);
}

static char *
fake_disk_secret(const XvDiskDef *disk, gpointer data, GError **error)
{
    return g_strdup("QVFEMDlHeFdKbnJDSmhBQVRkYTlSWXFGV0VsSVZ5bVh2dz09");
}

static gboolean
fake_find_usb(guint vendor, guint product, guint *bus, guint *device,
              gpointer data, GError **error)
{
    *bus = 3;
    *device = product & 0x7f;
    return TRUE;
}

void
xv_test_golden_options(XvLibxlConfOptions *opts)
{
    xv_libxl_conf_options_init(opts);
    opts->host_numa_nodes = 6;
    opts->host_cpus = 8;
    opts->nested_hvm = TRUE;
    opts->host_vmx = TRUE;
    opts->shadow_memkb = shadow_1234;
    opts->default_bootloader = "pygrub";
    opts->channel_dir = "/run/xenvirt/channel";
    opts->has_utc_offset = TRUE;
    opts->utc_offset = -1800;
    opts->alloc_graphics_port = port_5900;
    opts->network_bridge = fake_network_bridge;
    opts->disk_secret = fake_disk_secret;
    opts->find_usb_device = fake_find_usb;
}

void
xv_test_peer_options(XvLibxlConfOptions *opts)
{
    xv_libxl_conf_options_init(opts);
    opts->host_numa_nodes = 6;
    opts->nested_hvm = TRUE;
    opts->host_vmx = TRUE;
    opts->shadow_memkb = shadow_1234;
    opts->default_bootloader = "pygrub";
    opts->channel_dir = "/var/lib/libvirt/libxl/channel";
    opts->alloc_graphics_port = port_5900;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
xv_test_list_dir(const char *path, const char *suffix, GError **error)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, error);
    GPtrArray *names;
    const char *name;

    if (!dir)
        return NULL;
    names = g_ptr_array_new_with_free_func(g_free);
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, suffix))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, compare_names);
    return names;
}
