/*
 * test-libxl-conf.c: golden tests of xv_libxl_config_from_def()
 * (tests/libxlconfdata/NAME.xml -> NAME.json), refusals
 * (NAME-invalid.xml -> NAME-invalid.err, the exact message), the reverse
 * conversion (def -> config -> def -> config is a fixed point and keeps the
 * fields) and the ctx-free JSON printer.
 *
 * XV_TEST_REGENERATE=1 rewrites the expected .json files from the actual
 * output (review every diff before committing it).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/libxlconf/libxlconf-test-util.h"
#include <libxl_utils.h>

#include "util/xv-error.h"

static char *data_dir;

static XvDomainDef *
parse_case(const char *file)
{
    g_autofree char *path = g_build_filename(data_dir, file, NULL);
    g_autoptr(GError) error = NULL;
    XvDomainDef *def = xv_domain_def_parse_file(path, XV_PARSE_INACTIVE, &error);

    g_assert_no_error(error);
    g_assert_nonnull(def);
    return def;
}

static char *
convert_to_json(const XvDomainDef *def)
{
    g_autoptr(GError) error = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    char *json;

    xv_test_golden_options(&opts);
    if (!xv_libxl_config_from_def(def, &opts, &cfg, &error))
        g_error("conversion of '%s' failed: %s", def->name, error->message);
    json = xv_test_config_json(&cfg);
    libxl_domain_config_dispose(&cfg);
    return json;
}

/* ---- golden ------------------------------------------------------------- */

static void
test_golden(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xml = g_strdup_printf("%s.xml", name);
    g_autofree char *json_path = g_strdup_printf("%s/%s.json", data_dir, name);
    g_autoptr(XvDomainDef) def = parse_case(xml);
    g_autofree char *actual = convert_to_json(def);
    g_autofree char *expected_raw = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;

    if (g_getenv("XV_TEST_REGENERATE")) {
        g_autofree char *text = g_strdup_printf("%s\n", actual);

        g_assert_true(g_file_set_contents(json_path, text, -1, &error));
        g_assert_no_error(error);
    }
    g_assert_true(g_file_get_contents(json_path, &expected_raw, NULL, &error));
    g_assert_no_error(error);
    expected = xv_test_normalise_json(expected_raw, &error);
    g_assert_no_error(error);
    if (!g_str_equal(expected, actual)) {
        g_autofree char *diff = xv_test_diff(expected, actual);

        g_test_fail_printf("%s: config differs from %s.json:\n%s", name, name, diff);
    }
}

/* ---- invalid ------------------------------------------------------------ */

static void
test_invalid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xml = g_strdup_printf("%s.xml", name);
    g_autofree char *err_path = g_strdup_printf("%s/%s.err", data_dir, name);
    g_autoptr(XvDomainDef) def = parse_case(xml);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    gboolean ok;

    g_assert_true(g_file_get_contents(err_path, &expected, NULL, NULL));
    g_strchomp(expected);
    xv_test_golden_options(&opts);
    /* Cases about missing host services run without them. */
    if (strstr(name, "-nohost")) {
        opts.network_bridge = NULL;
        opts.disk_secret = NULL;
        opts.find_usb_device = NULL;
        opts.channel_dir = NULL;
    }
    ok = xv_libxl_config_from_def(def, &opts, &cfg, &error);
    /* On failure the config is left initialised and empty. */
    g_assert_cmpint(cfg.num_disks, ==, 0);
    g_assert_null(cfg.c_info.name);
    libxl_domain_config_dispose(&cfg);
    g_assert_false(ok);
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_cmpstr(error->message, ==, expected);
}


/* ---- ctx-free JSON ------------------------------------------------------ */

/* xv_libxl_config_to_json() prints exactly what libxl_domain_config_to_json()
 * prints. */
static void
test_json(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xml = g_strdup_printf("%s.xml", name);
    g_autoptr(XvDomainDef) def = parse_case(xml);
    g_autoptr(GError) error = NULL;
    g_autofree char *ours = NULL;
    g_autofree char *libxls = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;

    xv_test_golden_options(&opts);
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_no_error(error);
    ours = xv_libxl_config_to_json(&cfg, &error);
    g_assert_no_error(error);
    libxls = xv_test_config_json(&cfg);
    g_assert_cmpstr(ours, ==, libxls);
    libxl_domain_config_dispose(&cfg);
}

/* ---- reverse ------------------------------------------------------------ */

/* What an adopted domain cannot get back, with the reason. */
static const struct {
    const char *name;
    const char *reason;
} reverse_exclusions[] = {
    { "cpuid-pv", "libxl_cpuid_policy_list is opaque: cpuid cannot be read back" },
    { "nested-hvm-cpuid", "libxl_cpuid_policy_list is opaque: cpuid cannot be read back" },
    { "disk-rbd-auth", "the Ceph key in the target string is not turned back into a secret" },
};

/* def -> config -> def -> config gives the same config. */
static void
test_reverse(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xml = g_strdup_printf("%s.xml", name);
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainDef) back = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg, cfg2;

    for (gsize i = 0; i < G_N_ELEMENTS(reverse_exclusions); i++) {
        if (g_str_equal(reverse_exclusions[i].name, name)) {
            g_test_skip(reverse_exclusions[i].reason);
            return;
        }
    }
    def = parse_case(xml);
    xv_test_golden_options(&opts);
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    first = xv_test_config_json(&cfg);
    back = xv_libxl_config_to_def(&cfg, &error);
    libxl_domain_config_dispose(&cfg);
    if (!back) {
        g_test_fail_printf("%s: to_def failed: %s", name, error->message);
        return;
    }
    g_assert_true(xv_libxl_config_from_def(back, &opts, &cfg2, &error));
    g_assert_no_error(error);
    second = xv_test_config_json(&cfg2);
    libxl_domain_config_dispose(&cfg2);
    if (!g_str_equal(first, second)) {
        g_autofree char *diff = xv_test_diff(first, second);

        g_test_fail_printf("%s: the adopted definition gives another config:\n%s", name, diff);
    }
}

/* The fields an adopted domain keeps, checked one by one. */
static void
test_reverse_fields(void)
{
    g_autoptr(XvDomainDef) def = parse_case("vcpupin.xml");
    g_autoptr(XvDomainDef) hvm = parse_case("nic-models-hvm.xml");
    g_autoptr(XvDomainDef) back = NULL;
    g_autoptr(XvDomainDef) hvm_back = NULL;
    g_autoptr(GError) error = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    const XvVcpuPin *pin;
    const XvNetDef *net;
    const XvDiskDef *disk;

    xv_test_golden_options(&opts);
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    back = xv_libxl_config_to_def(&cfg, &error);
    g_assert_no_error(error);
    libxl_domain_config_dispose(&cfg);

    g_assert_cmpstr(back->name, ==, def->name);
    g_assert_cmpmem(back->uuid, 16, def->uuid, 16);
    g_assert_cmpint(back->os.type, ==, XV_DOMAIN_OS_XEN);
    g_assert_cmpuint(back->memory_kb, ==, def->memory_kb);
    g_assert_cmpuint(back->current_memory_kb, ==, def->current_memory_kb);
    g_assert_cmpuint(back->maxvcpus, ==, def->maxvcpus);
    g_assert_cmpuint(back->vcpus, ==, def->vcpus);
    g_assert_cmpstr(back->os.kernel, ==, def->os.kernel);
    g_assert_cmpstr(back->os.initrd, ==, def->os.initrd);
    g_assert_cmpstr(back->os.cmdline, ==, def->os.cmdline);
    g_assert_nonnull(back->cpuset);
    g_assert_true(xv_bitmap_equal(back->cpuset, def->cpuset));
    g_assert_nonnull(back->cputune.vcpupins);
    /* vCPUs 1 and 3 follow <vcpu cpuset>; 0 and 2 have their own pins. */
    pin = g_ptr_array_index(back->cputune.vcpupins, 0);
    g_assert_cmpuint(pin->vcpu, ==, 0);
    g_assert_cmpint(xv_bitmap_last(pin->cpuset), ==, 0);
    g_assert_cmpuint(back->on_reboot, ==, def->on_reboot);
    g_assert_cmpuint(back->on_crash, ==, def->on_crash);
    g_assert_cmpuint(back->disks->len, ==, 1);
    disk = g_ptr_array_index(back->disks, 0);
    g_assert_cmpstr(disk->src, ==, "/var/lib/xen/images/guest.img");
    g_assert_cmpstr(disk->dst, ==, "xvda");
    g_assert_cmpstr(disk->driver_name, ==, "qemu");
    g_assert_cmpstr(disk->driver_type, ==, "raw");

    g_assert_true(xv_libxl_config_from_def(hvm, &opts, &cfg, &error));
    hvm_back = xv_libxl_config_to_def(&cfg, &error);
    g_assert_no_error(error);
    libxl_domain_config_dispose(&cfg);
    g_assert_cmpint(hvm_back->os.type, ==, XV_DOMAIN_OS_HVM);
    g_assert_cmpint(hvm_back->features.state[XV_DOMAIN_FEATURE_ACPI], ==, XV_TRISTATE_ON);
    g_assert_cmpint(hvm_back->features.state[XV_DOMAIN_FEATURE_PAE], ==, XV_TRISTATE_ON);
    g_assert_cmpstr(hvm_back->emulator, ==, hvm->emulator);
    g_assert_cmpuint(hvm_back->nets->len, ==, 3);
    net = g_ptr_array_index(hvm_back->nets, 0);
    g_assert_cmpstr(net->model, ==, "e1000");
    g_assert_cmpstr(net->bridge, ==, "xenbr0");
    g_assert_cmpstr(net->ifname, ==, "vif-web.0");
    net = g_ptr_array_index(hvm_back->nets, 1);
    g_assert_cmpstr(net->backend_domain, ==, "netback");
    net = g_ptr_array_index(hvm_back->nets, 2);
    g_assert_true(net->outbound.present);
    g_assert_cmpuint(net->outbound.average, ==, 1024);
    g_assert_cmpint(net->mtu, ==, 9000);
}

/* An adopted config without a name or type is refused. */
static void
test_reverse_refuses(void)
{
    g_autoptr(GError) error = NULL;
    libxl_domain_config cfg;
    XvDomainDef *def;

    libxl_domain_config_init(&cfg);
    def = xv_libxl_config_to_def(&cfg, &error);
    g_assert_null(def);
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_clear_error(&error);

    cfg.c_info.name = strdup("nameless-type");
    def = xv_libxl_config_to_def(&cfg, &error);
    g_assert_null(def);
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "nameless-type"));
    libxl_domain_config_dispose(&cfg);
}

/* A config retrieved from a running domain carries LIBXL_MAX_GRANT_DEFAULT
 * when nobody set a limit: that is "Xen's default", not a limit to write
 * into the adopted definition (xl rejects 4294967295). */
static void
test_reverse_grant_default(void)
{
    g_autoptr(XvDomainDef) def = parse_case("hvm-basic.xml");
    g_autoptr(XvDomainDef) back = NULL;
    g_autoptr(GError) error = NULL;
    libxl_domain_config cfg;

    g_assert_true(xv_libxl_config_from_def(def, NULL, &cfg, &error));
    cfg.b_info.max_grant_frames = LIBXL_MAX_GRANT_DEFAULT;
    cfg.b_info.event_channels = 0;
    back = xv_libxl_config_to_def(&cfg, &error);
    g_assert_no_error(error);
    g_assert_nonnull(back);
    for (guint i = 0; i < back->controllers->len; i++) {
        XvControllerDef *c = g_ptr_array_index(back->controllers, i);

        if (c->type == XV_CONTROLLER_XENBUS)
            g_assert_cmpuint(c->max_grant_frames, ==, 0);
    }
    libxl_domain_config_dispose(&cfg);
}

/* ---- options ------------------------------------------------------------ */

/* Without a shadow-memory override, libxl's own formula is used; without a
 * port allocator, VNC asks QEMU for an unused display. */
static void
test_default_options(void)
{
    g_autoptr(XvDomainDef) def = parse_case("hvm-basic.xml");
    g_autoptr(GError) error = NULL;
    libxl_domain_config cfg;

    g_assert_true(xv_libxl_config_from_def(def, NULL, &cfg, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(cfg.b_info.shadow_memkb, ==,
                     libxl_get_required_shadow_memory(def->memory_kb, def->maxvcpus));
    g_assert_cmpint(cfg.num_vfbs, ==, 1);
    g_assert_true(libxl_defbool_val(cfg.vfbs[0].vnc.findunused));
    g_assert_true(libxl_defbool_val(cfg.b_info.u.hvm.vnc.findunused));
    /* nested HVM is not allowed by default */
    g_assert_true(libxl_defbool_is_default(cfg.b_info.nested_hvm));
    libxl_domain_config_dispose(&cfg);
}

/* A variable clock with a localtime basis follows TZ when the options do
 * not give the offset. */
static void
test_clock_tz(void)
{
    g_autoptr(XvDomainDef) def = parse_case("clock-variable-localtime.xml");
    g_autoptr(GError) error = NULL;
    g_autofree char *old_tz = g_strdup(g_getenv("TZ"));
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;

    xv_test_golden_options(&opts);
    opts.has_utc_offset = FALSE;
    g_setenv("TZ", "XEN-02:00", TRUE);      /* two hours east of UTC */
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_cmpint((int32_t)cfg.b_info.rtc_timeoffset, ==, 100 + 7200);
    libxl_domain_config_dispose(&cfg);
    if (old_tz)
        g_setenv("TZ", old_tz, TRUE);
    else
        g_unsetenv("TZ");
}

/* A port allocator that fails stops the conversion with its error. */
static int
failing_port(gpointer data, GError **error)
{
    g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED, "no free port");
    return -1;
}

static void
test_port_allocator_error(void)
{
    g_autoptr(XvDomainDef) def = parse_case("hvm-basic.xml");
    g_autoptr(GError) error = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;

    xv_test_golden_options(&opts);
    opts.alloc_graphics_port = failing_port;
    g_assert_false(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED);
    g_assert_cmpint(cfg.num_disks, ==, 0);
    libxl_domain_config_dispose(&cfg);
}

/* check_emulator refuses a device model that is not an executable file. */
static void
test_check_emulator(void)
{
    g_autoptr(XvDomainDef) def = parse_case("hvm-basic.xml");
    g_autoptr(GError) error = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;

    xv_test_golden_options(&opts);
    opts.check_emulator = TRUE;
    g_free(def->emulator);
    def->emulator = g_strdup("/nonexistent/qemu-system-i386");
    g_assert_false(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "/nonexistent/qemu-system-i386"));
    libxl_domain_config_dispose(&cfg);
    g_clear_error(&error);

    g_free(def->emulator);
    def->emulator = g_strdup("/bin/true");
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_cmpstr(cfg.b_info.device_model, ==, "/bin/true");
    libxl_domain_config_dispose(&cfg);
}

int
main(int argc, char **argv)
{
    const char *srcdir = g_getenv("XV_SRCDIR");
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;

    g_test_init(&argc, &argv, NULL);
    data_dir = g_build_filename(srcdir ? srcdir : ".", "tests", "libxlconfdata", NULL);
    names = xv_test_list_dir(data_dir, ".xml", &error);
    g_assert_no_error(error);

    for (guint i = 0; i < names->len; i++) {
        const char *file = g_ptr_array_index(names, i);
        char *name = g_strndup(file, strlen(file) - 4);
        g_autofree char *path = NULL;

        g_ptr_array_add(keep, name);
        if (g_str_has_suffix(name, "-invalid")) {
            path = g_strdup_printf("/libxlconf/invalid/%s", name);
            g_test_add_data_func(path, name, test_invalid);
        } else {
            g_autofree char *json = g_strdup_printf("/libxlconf/json/%s", name);
            g_autofree char *rev = g_strdup_printf("/libxlconf/reverse/%s", name);

            path = g_strdup_printf("/libxlconf/golden/%s", name);
            g_test_add_data_func(path, name, test_golden);
            g_test_add_data_func(json, name, test_json);
            g_test_add_data_func(rev, name, test_reverse);
        }
    }
    g_test_add_func("/libxlconf/reverse-fields/pins-disks-nics", test_reverse_fields);
    g_test_add_func("/libxlconf/reverse-fields/refuses-incomplete", test_reverse_refuses);
    g_test_add_func("/libxlconf/reverse-fields/grant-frames-default", test_reverse_grant_default);
    g_test_add_func("/libxlconf/options/defaults", test_default_options);
    g_test_add_func("/libxlconf/options/clock-follows-tz", test_clock_tz);
    g_test_add_func("/libxlconf/options/port-allocator-error", test_port_allocator_error);
    g_test_add_func("/libxlconf/options/check-emulator", test_check_emulator);
    {
        int ret = g_test_run();

        g_free(data_dir);
        return ret;
    }
}
