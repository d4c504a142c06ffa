/*
 * test-domain-parse.c: parser details that golden files do not show well:
 * unit conversion, post-parse defaults and implicit devices, MAC
 * generation, deep copies, error codes, files, peer data and size limits.
 * Everything is checked through the model's fields, not through the
 * formatter.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"

/* A minimal document around a few substitutions. */
static char *
make_domain(const char *os_type, const char *memory, const char *extra_top,
            const char *devices)
{
    return g_strdup_printf("<domain type='xen'>\n"
                           "  <name>unit1</name>\n"
                           "  %s\n"
                           "  %s\n"
                           "  <os>\n"
                           "    <type>%s</type>\n"
                           "  </os>\n"
                           "  <devices>\n%s\n  </devices>\n"
                           "</domain>\n",
                           memory ? memory : "<memory unit='MiB'>512</memory>",
                           extra_top ? extra_top : "", os_type, devices ? devices : "");
}

static XvDomainDef *
parse_ok(const char *xml)
{
    g_autoptr(GError) error = NULL;
    XvDomainDef *def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);

    if (def == NULL)
        g_test_message("input:\n%s", xml);
    g_assert_no_error(error);
    g_assert_nonnull(def);
    return def;
}

static GError *
parse_fail(const char *xml)
{
    GError *error = NULL;
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);

    g_assert_null(def);
    g_assert_nonnull(error);
    g_assert_true(error->domain == XV_ERROR);
    return error;
}

/* ---- units ------------------------------------------------------------ */

static void
test_units(void)
{
    static const struct {
        const char *unit;
        const char *value;
        guint64 kib;
    } cases[] = {
        { NULL, "524288", 524288 },
        { "KiB", "524288", 524288 },
        { "k", "1024", 1024 },
        { "K", "1024", 1024 },
        { "KB", "1024000", 1000000 },
        { "b", "1048576", 1024 },
        { "bytes", "1048577", 1025 },      /* rounded up to whole KiB */
        { "B", "1000", 1 },
        { "MiB", "512", 524288 },
        { "M", "512", 524288 },
        { "MB", "1000", 976563 },          /* 10^9 bytes, rounded up */
        { "GiB", "2", 2097152 },
        { "G", "2", 2097152 },
        { "GB", "2", 1953125 },
        { "TiB", "1", 1073741824 },
        { "T", "1", 1073741824 },
        { "TB", "1", 976562500 },
        { "mib", "1", 1024 },              /* case-insensitive, as libvirt */
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *mem = cases[i].unit
            ? g_strdup_printf("<memory unit='%s'>%s</memory>", cases[i].unit, cases[i].value)
            : g_strdup_printf("<memory>%s</memory>", cases[i].value);
        g_autofree char *xml = make_domain("hvm", mem, NULL, NULL);
        g_autoptr(XvDomainDef) def = parse_ok(xml);

        g_test_message("unit %s value %s", cases[i].unit ? cases[i].unit : "(none)", cases[i].value);
        g_assert_cmpuint(def->memory_kb, ==, cases[i].kib);
        g_assert_cmpuint(def->current_memory_kb, ==, cases[i].kib);
    }
}

static void
test_units_invalid(void)
{
    static const char *const bad[] = {
        "<memory unit='furlongs'>1</memory>",
        "<memory unit='KiBs'>1</memory>",
        "<memory>-1</memory>",
        "<memory>1.5</memory>",
        "<memory>0x100</memory>",
        "<memory unit='EiB'>100</memory>",
        "<memory></memory>",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *xml = make_domain("hvm", bad[i], NULL, NULL);
        g_autoptr(GError) error = parse_fail(xml);

        g_test_message("%s -> %s", bad[i], error->message);
        g_assert_cmpint(error->code, ==, XV_ERROR_XML_ERROR);
        g_assert_nonnull(strstr(error->message, "'unit1'"));
    }
}

/* ---- post-parse defaults ---------------------------------------------- */

static XvControllerDef *
find_controller(const XvDomainDef *def, XvControllerType type, guint index)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        XvControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == type && c->index == index)
            return c;
    }
    return NULL;
}

static void
test_defaults_hvm(void)
{
    g_autofree char *xml = make_domain("hvm", NULL, NULL, NULL);
    g_autoptr(XvDomainDef) def = parse_ok(xml);
    XvInputDef *in;

    g_assert_false(xv_uuid_is_null(def->uuid));
    g_assert_cmpint(def->id, ==, -1);
    g_assert_cmpuint(def->memory_kb, ==, 524288);
    g_assert_cmpuint(def->current_memory_kb, ==, 524288);
    g_assert_cmpuint(def->maxvcpus, ==, 1);
    g_assert_cmpuint(def->vcpus, ==, 1);
    g_assert_cmpint(def->placement, ==, XV_DOMAIN_PLACEMENT_STATIC);
    g_assert_true(xv_domain_def_is_hvm(def));
    g_assert_cmpstr(def->os.arch, ==, "x86_64");
    g_assert_cmpstr(def->os.machine, ==, "xenfv");
    g_assert_cmpuint(def->os.nboot, ==, 1);
    g_assert_cmpint(def->os.boot[0], ==, XV_DOMAIN_BOOT_DISK);
    g_assert_cmpint(def->features.state[XV_DOMAIN_FEATURE_PAE], ==, XV_TRISTATE_ON);
    g_assert_cmpint(def->on_poweroff, ==, XV_DOMAIN_LIFECYCLE_DESTROY);
    g_assert_cmpint(def->on_reboot, ==, XV_DOMAIN_LIFECYCLE_RESTART);
    g_assert_cmpint(def->on_crash, ==, XV_DOMAIN_LIFECYCLE_DESTROY);
    g_assert_cmpint(def->clock.offset, ==, XV_CLOCK_OFFSET_UTC);

    g_assert_nonnull(def->memballoon);
    g_assert_cmpstr(def->memballoon->model, ==, "xen");
    g_assert_cmpuint(def->controllers->len, ==, 1);
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_XENBUS, 0));
    g_assert_cmpuint(def->inputs->len, ==, 2);
    in = g_ptr_array_index(def->inputs, 0);
    g_assert_cmpint(in->type, ==, XV_INPUT_MOUSE);
    g_assert_cmpint(in->bus, ==, XV_INPUT_BUS_PS2);
    in = g_ptr_array_index(def->inputs, 1);
    g_assert_cmpint(in->type, ==, XV_INPUT_KEYBOARD);
    g_assert_cmpint(in->bus, ==, XV_INPUT_BUS_PS2);
    /* HVM without serial: no console; no graphics: no video. */
    g_assert_cmpuint(def->consoles->len, ==, 0);
    g_assert_cmpuint(def->videos->len, ==, 0);
}

static void
test_defaults_hvm_graphics(void)
{
    g_autofree char *xml = make_domain("hvm", NULL, NULL,
                                       "<graphics type='vnc'/>"
                                       "<video><model type='vga'/></video>");
    g_autofree char *xml2 = make_domain("hvm", NULL, NULL, "<graphics type='vnc' listen='0.0.0.0'/>");
    g_autoptr(XvDomainDef) def = parse_ok(xml);
    g_autoptr(XvDomainDef) def2 = parse_ok(xml2);
    XvVideoDef *video;
    XvGraphicsDef *g;

    video = g_ptr_array_index(def->videos, 0);
    g_assert_cmpint(video->type, ==, XV_VIDEO_VGA);
    g_assert_cmpuint(video->vram_kb, ==, 16384);
    g_assert_cmpuint(video->heads, ==, 1);
    g_assert_true(video->primary);
    g = g_ptr_array_index(def->graphics, 0);
    g_assert_cmpint(g->port, ==, -1);
    g_assert_true(g->autoport);

    /* No <video>: libvirt's Cirrus, 8 MiB with qemu-xen. */
    g_assert_cmpuint(def2->videos->len, ==, 1);
    video = g_ptr_array_index(def2->videos, 0);
    g_assert_cmpint(video->type, ==, XV_VIDEO_CIRRUS);
    g_assert_cmpuint(video->vram_kb, ==, 8192);
    g_assert_cmpuint(video->heads, ==, 1);
    g_assert_true(video->primary);
}

static void
test_defaults_pv(void)
{
    g_autofree char *xml = make_domain("linux", NULL, "<bootloader>pygrub</bootloader>",
                                       "<graphics type='vnc' port='5901' autoport='no'/>");
    g_autoptr(XvDomainDef) def = parse_ok(xml);
    XvChrDef *con;
    XvVideoDef *video;
    XvInputDef *in;
    XvGraphicsDef *g;

    g_assert_cmpint(def->os.type, ==, XV_DOMAIN_OS_XEN);
    g_assert_false(xv_domain_def_is_hvm(def));
    g_assert_cmpstr(xv_domain_def_os_type_xml(def->os.type), ==, "linux");
    g_assert_cmpstr(def->os.machine, ==, "xenpv");
    g_assert_cmpuint(def->os.nboot, ==, 0);
    g_assert_cmpstr(def->os.bootloader, ==, "pygrub");
    g_assert_cmpint(def->features.state[XV_DOMAIN_FEATURE_PAE], ==, XV_TRISTATE_ABSENT);

    g_assert_cmpuint(def->consoles->len, ==, 1);
    con = g_ptr_array_index(def->consoles, 0);
    g_assert_cmpint(con->type, ==, XV_CHR_TYPE_PTY);
    g_assert_cmpstr(con->target_type, ==, "xen");
    g_assert_true(con->has_port);
    g_assert_cmpuint(con->port, ==, 0);

    g_assert_cmpuint(def->inputs->len, ==, 2);
    in = g_ptr_array_index(def->inputs, 0);
    g_assert_cmpint(in->bus, ==, XV_INPUT_BUS_XEN);
    g_assert_cmpuint(def->videos->len, ==, 1);
    video = g_ptr_array_index(def->videos, 0);
    g_assert_cmpint(video->type, ==, XV_VIDEO_XEN);
    g_assert_true(video->primary);
    g = g_ptr_array_index(def->graphics, 0);
    g_assert_cmpint(g->port, ==, 5901);
    g_assert_false(g->autoport);
}

static void
test_defaults_pv_without_os_type(void)
{
    /* libvirt: a bootloader and no <os><type> means PV. */
    const char *xml = "<domain type='xen'><name>pv0</name><memory>262144</memory>"
                      "<bootloader>pygrub</bootloader></domain>";
    g_autoptr(XvDomainDef) def = parse_ok(xml);

    g_assert_cmpint(def->os.type, ==, XV_DOMAIN_OS_XEN);
    g_assert_cmpstr(def->os.machine, ==, "xenpv");
}

static void
test_defaults_pvh(void)
{
    g_autofree char *xml = make_domain("xenpvh", NULL, NULL, NULL);
    g_autoptr(XvDomainDef) def = parse_ok(xml);

    g_assert_cmpint(def->os.type, ==, XV_DOMAIN_OS_XENPVH);
    g_assert_cmpstr(def->os.machine, ==, "xenpvh");
    g_assert_cmpuint(def->consoles->len, ==, 1);
}

typedef struct {
    const char *dst;
    XvDiskBus bus;
    gboolean has_address;
    guint controller, bus_no, unit;
} DiskExpect;

static void
test_defaults_disk_addresses(void)
{
    static const DiskExpect expect[] = {
        { "hda", XV_DISK_BUS_IDE, TRUE, 0, 0, 0 },
        { "hdb", XV_DISK_BUS_IDE, TRUE, 0, 0, 1 },
        { "hdc", XV_DISK_BUS_IDE, TRUE, 0, 1, 0 },
        { "hdd", XV_DISK_BUS_IDE, TRUE, 0, 1, 1 },
        { "hde", XV_DISK_BUS_IDE, TRUE, 1, 0, 0 },
        { "sda", XV_DISK_BUS_SCSI, TRUE, 0, 0, 0 },
        { "sdg", XV_DISK_BUS_SCSI, TRUE, 0, 0, 6 },
        { "sdh", XV_DISK_BUS_SCSI, TRUE, 1, 0, 0 },
        { "sdb", XV_DISK_BUS_SATA, TRUE, 0, 0, 1 },
        { "fda", XV_DISK_BUS_FDC, TRUE, 0, 0, 0 },
        { "xvda", XV_DISK_BUS_XEN, FALSE, 0, 0, 0 },
        { "xvdaa", XV_DISK_BUS_XEN, FALSE, 0, 0, 0 },
    };
    GString *devs = g_string_new(NULL);
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(expect); i++) {
        gboolean floppy = g_str_has_prefix(expect[i].dst, "fd");
        gboolean sata = expect[i].bus == XV_DISK_BUS_SATA;

        g_string_append_printf(devs,
                               "<disk type='file' device='%s'><source file='/img/%s'/>"
                               "<target dev='%s'%s/></disk>\n",
                               floppy ? "floppy" : (i == 2 ? "cdrom" : "disk"),
                               expect[i].dst, expect[i].dst, sata ? " bus='sata'" : "");
    }
    xml = make_domain("hvm", NULL, NULL, devs->str);
    g_string_free(devs, TRUE);
    def = parse_ok(xml);

    g_assert_cmpuint(def->disks->len, ==, G_N_ELEMENTS(expect));
    for (gsize i = 0; i < G_N_ELEMENTS(expect); i++) {
        XvDiskDef *disk = g_ptr_array_index(def->disks, i);

        g_test_message("disk %s", expect[i].dst);
        g_assert_cmpstr(disk->dst, ==, expect[i].dst);
        g_assert_cmpint(disk->bus, ==, expect[i].bus);
        g_assert_cmpint(disk->has_drive_address, ==, expect[i].has_address);
        g_assert_cmpstr(disk->driver_type, ==, "raw");
        if (expect[i].has_address) {
            g_assert_cmpuint(disk->addr_controller, ==, expect[i].controller);
            g_assert_cmpuint(disk->addr_bus, ==, expect[i].bus_no);
            g_assert_cmpuint(disk->addr_target, ==, 0);
            g_assert_cmpuint(disk->addr_unit, ==, expect[i].unit);
        }
    }
    /* hdc is a CD-ROM: always read-only. */
    g_assert_true(((XvDiskDef *)g_ptr_array_index(def->disks, 2))->readonly);
    g_assert_false(((XvDiskDef *)g_ptr_array_index(def->disks, 0))->readonly);

    /* The controllers those addresses need, after the xenbus one. */
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_XENBUS, 0));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_IDE, 0));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_IDE, 1));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_SCSI, 0));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_SCSI, 1));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_SATA, 0));
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_FDC, 0));
    g_assert_cmpuint(def->controllers->len, ==, 7);
    g_assert_cmpint(((XvControllerDef *)g_ptr_array_index(def->controllers, 0))->type, ==,
                    XV_CONTROLLER_XENBUS);
    /* Same-type controllers stay together and in index order. */
    for (guint i = 1; i < def->controllers->len; i++) {
        XvControllerDef *prev = g_ptr_array_index(def->controllers, i - 1);
        XvControllerDef *cur = g_ptr_array_index(def->controllers, i);

        if (prev->type == cur->type)
            g_assert_cmpuint(prev->index, <, cur->index);
    }
}

static void
test_defaults_serial_console(void)
{
    g_autofree char *xml_serial = make_domain("hvm", NULL, NULL,
                                              "<serial type='pty'/><serial type='file'>"
                                              "<source path='/var/log/s1'/></serial>");
    g_autofree char *xml_console = make_domain("hvm", NULL, NULL,
                                               "<console type='tcp'><source mode='bind' host='0.0.0.0' service='2445'/>"
                                               "<protocol type='telnet'/></console>");
    g_autoptr(XvDomainDef) def = parse_ok(xml_serial);
    g_autoptr(XvDomainDef) def2 = parse_ok(xml_console);
    XvChrDef *chr;

    g_assert_cmpuint(def->serials->len, ==, 2);
    chr = g_ptr_array_index(def->serials, 1);
    g_assert_cmpuint(chr->port, ==, 1);
    g_assert_cmpstr(chr->path, ==, "/var/log/s1");
    g_assert_cmpuint(def->consoles->len, ==, 1);
    chr = g_ptr_array_index(def->consoles, 0);
    g_assert_cmpint(chr->type, ==, XV_CHR_TYPE_PTY);
    g_assert_cmpstr(chr->target_type, ==, "serial");
    g_assert_cmpuint(chr->port, ==, 0);

    /* An HVM console alone describes serial 0. */
    g_assert_cmpuint(def2->serials->len, ==, 1);
    chr = g_ptr_array_index(def2->serials, 0);
    g_assert_cmpint(chr->type, ==, XV_CHR_TYPE_TCP);
    g_assert_cmpstr(chr->host, ==, "0.0.0.0");
    g_assert_cmpstr(chr->service, ==, "2445");
    g_assert_cmpstr(chr->protocol, ==, "telnet");
    g_assert_null(chr->target_type);
    chr = g_ptr_array_index(def2->consoles, 0);
    g_assert_cmpint(chr->type, ==, XV_CHR_TYPE_TCP);
    g_assert_cmpstr(chr->target_type, ==, "serial");
}

/* ---- field comparison (copy, idempotence) ----------------------------- */

static void
assert_bitmap_equal(const XvBitmap *a, const XvBitmap *b)
{
    g_assert_true((a == NULL) == (b == NULL));
    if (a != NULL) {
        g_assert_true(a != b);
        g_assert_true(xv_bitmap_equal(a, b));
    }
}

static void
assert_str_copy(const char *a, const char *b)
{
    g_assert_cmpstr(a, ==, b);
    if (a != NULL)
        g_assert_true(a != b);   /* deep: never shared */
}

static void
assert_defs_equal(const XvDomainDef *a, const XvDomainDef *b)
{
    g_assert_true(a != b);
    assert_str_copy(a->name, b->name);
    g_assert_cmpmem(a->uuid, XV_UUID_BUFLEN, b->uuid, XV_UUID_BUFLEN);
    assert_str_copy(a->title, b->title);
    assert_str_copy(a->description, b->description);
    assert_str_copy(a->metadata_xml, b->metadata_xml);
    g_assert_cmpint(a->id, ==, b->id);
    g_assert_cmpuint(a->memory_kb, ==, b->memory_kb);
    g_assert_cmpuint(a->current_memory_kb, ==, b->current_memory_kb);
    g_assert_cmpuint(a->max_memory_kb, ==, b->max_memory_kb);
    g_assert_cmpuint(a->maxvcpus, ==, b->maxvcpus);
    g_assert_cmpuint(a->vcpus, ==, b->vcpus);
    g_assert_cmpint(a->placement, ==, b->placement);
    assert_bitmap_equal(a->cpuset, b->cpuset);

    g_assert_cmpint(a->cputune.has_shares, ==, b->cputune.has_shares);
    g_assert_cmpuint(a->cputune.shares, ==, b->cputune.shares);
    g_assert_cmpuint(a->cputune.vcpupins->len, ==, b->cputune.vcpupins->len);
    for (guint i = 0; i < a->cputune.vcpupins->len; i++) {
        XvVcpuPin *pa = g_ptr_array_index(a->cputune.vcpupins, i);
        XvVcpuPin *pb = g_ptr_array_index(b->cputune.vcpupins, i);

        g_assert_cmpuint(pa->vcpu, ==, pb->vcpu);
        assert_bitmap_equal(pa->cpuset, pb->cpuset);
    }
    g_assert_cmpint(a->numatune.present, ==, b->numatune.present);
    g_assert_cmpint(a->numatune.mode, ==, b->numatune.mode);
    assert_bitmap_equal(a->numatune.nodeset, b->numatune.nodeset);

    g_assert_cmpint(a->os.type, ==, b->os.type);
    assert_str_copy(a->os.arch, b->os.arch);
    assert_str_copy(a->os.machine, b->os.machine);
    assert_str_copy(a->os.loader, b->os.loader);
    assert_str_copy(a->os.nvram, b->os.nvram);
    assert_str_copy(a->os.kernel, b->os.kernel);
    assert_str_copy(a->os.cmdline, b->os.cmdline);
    assert_str_copy(a->os.bootloader, b->os.bootloader);
    g_assert_cmpuint(a->os.nboot, ==, b->os.nboot);
    g_assert_cmpmem(a->os.boot, sizeof(a->os.boot), b->os.boot, sizeof(b->os.boot));

    g_assert_cmpmem(a->features.state, sizeof(a->features.state),
                    b->features.state, sizeof(b->features.state));
    g_assert_cmpmem(a->features.hyperv, sizeof(a->features.hyperv),
                    b->features.hyperv, sizeof(b->features.hyperv));
    assert_str_copy(a->features.hyperv_vendor_id, b->features.hyperv_vendor_id);

    g_assert_cmpint(a->cpu.mode, ==, b->cpu.mode);
    assert_str_copy(a->cpu.model, b->cpu.model);
    g_assert_cmpuint(a->cpu.features->len, ==, b->cpu.features->len);
    for (guint i = 0; i < a->cpu.features->len; i++) {
        XvCpuFeature *fa = g_ptr_array_index(a->cpu.features, i);
        XvCpuFeature *fb = g_ptr_array_index(b->cpu.features, i);

        assert_str_copy(fa->name, fb->name);
        g_assert_cmpint(fa->policy, ==, fb->policy);
    }
    g_assert_cmpuint(a->cpu.cells->len, ==, b->cpu.cells->len);
    for (guint i = 0; i < a->cpu.cells->len; i++) {
        XvNumaCell *ca = g_ptr_array_index(a->cpu.cells, i);
        XvNumaCell *cb = g_ptr_array_index(b->cpu.cells, i);

        g_assert_cmpuint(ca->id, ==, cb->id);
        g_assert_cmpuint(ca->memory_kb, ==, cb->memory_kb);
        assert_bitmap_equal(ca->cpus, cb->cpus);
        g_assert_true((ca->distances == NULL) == (cb->distances == NULL));
        if (ca->distances != NULL)
            g_assert_cmpmem(ca->distances->data, ca->distances->len * sizeof(guint),
                            cb->distances->data, cb->distances->len * sizeof(guint));
    }

    g_assert_cmpint(a->clock.offset, ==, b->clock.offset);
    g_assert_cmpint(a->clock.adjustment, ==, b->clock.adjustment);
    assert_str_copy(a->clock.basis, b->clock.basis);
    g_assert_cmpuint(a->clock.timers->len, ==, b->clock.timers->len);
    g_assert_cmpint(a->on_poweroff, ==, b->on_poweroff);
    g_assert_cmpint(a->on_reboot, ==, b->on_reboot);
    g_assert_cmpint(a->on_crash, ==, b->on_crash);
    assert_str_copy(a->emulator, b->emulator);

    g_assert_cmpuint(a->disks->len, ==, b->disks->len);
    for (guint i = 0; i < a->disks->len; i++) {
        XvDiskDef *da = g_ptr_array_index(a->disks, i);
        XvDiskDef *db = g_ptr_array_index(b->disks, i);

        g_assert_true(da != db);
        assert_str_copy(da->src, db->src);
        assert_str_copy(da->dst, db->dst);
        assert_str_copy(da->driver_name, db->driver_name);
        assert_str_copy(da->driver_type, db->driver_type);
        assert_str_copy(da->auth_username, db->auth_username);
        g_assert_cmpint(da->bus, ==, db->bus);
        g_assert_cmpint(da->readonly, ==, db->readonly);
        g_assert_cmpint(da->has_drive_address, ==, db->has_drive_address);
        g_assert_cmpuint(da->addr_unit, ==, db->addr_unit);
        g_assert_true((da->hosts == NULL) == (db->hosts == NULL));
        if (da->hosts != NULL) {
            g_assert_cmpuint(da->hosts->len, ==, db->hosts->len);
            for (guint j = 0; j < da->hosts->len; j++) {
                XvNetHost *ha = g_ptr_array_index(da->hosts, j);
                XvNetHost *hb = g_ptr_array_index(db->hosts, j);

                assert_str_copy(ha->name, hb->name);
                g_assert_cmpint(ha->port, ==, hb->port);
            }
        }
    }
    g_assert_cmpuint(a->nets->len, ==, b->nets->len);
    for (guint i = 0; i < a->nets->len; i++) {
        XvNetDef *na = g_ptr_array_index(a->nets, i);
        XvNetDef *nb = g_ptr_array_index(b->nets, i);

        g_assert_cmpmem(na->mac, 6, nb->mac, 6);
        g_assert_cmpint(na->mac_generated, ==, nb->mac_generated);
        assert_str_copy(na->bridge, nb->bridge);
        assert_str_copy(na->script, nb->script);
        assert_str_copy(na->model, nb->model);
        g_assert_cmpuint(na->outbound.average, ==, nb->outbound.average);
        g_assert_true((na->ips == NULL) == (nb->ips == NULL));
        if (na->ips != NULL) {
            g_assert_cmpuint(na->ips->len, ==, nb->ips->len);
            for (guint j = 0; j < na->ips->len; j++)
                assert_str_copy(((XvNetIp *)g_ptr_array_index(na->ips, j))->address,
                                ((XvNetIp *)g_ptr_array_index(nb->ips, j))->address);
        }
        g_assert_true((na->vlan_tags == NULL) == (nb->vlan_tags == NULL));
        if (na->vlan_tags != NULL) {
            g_assert_true(na->vlan_tags != nb->vlan_tags);
            g_assert_cmpmem(na->vlan_tags->data, na->vlan_tags->len * sizeof(guint),
                            nb->vlan_tags->data, nb->vlan_tags->len * sizeof(guint));
        }
    }
    g_assert_cmpuint(a->controllers->len, ==, b->controllers->len);
    for (guint i = 0; i < a->controllers->len; i++) {
        XvControllerDef *ca = g_ptr_array_index(a->controllers, i);
        XvControllerDef *cb = g_ptr_array_index(b->controllers, i);

        g_assert_cmpint(ca->type, ==, cb->type);
        g_assert_cmpuint(ca->index, ==, cb->index);
        assert_str_copy(ca->model, cb->model);
    }
    g_assert_cmpuint(a->hostdevs->len, ==, b->hostdevs->len);
    g_assert_cmpuint(a->serials->len, ==, b->serials->len);
    g_assert_cmpuint(a->consoles->len, ==, b->consoles->len);
    for (guint i = 0; i < a->consoles->len; i++) {
        XvChrDef *ca = g_ptr_array_index(a->consoles, i);
        XvChrDef *cb = g_ptr_array_index(b->consoles, i);

        g_assert_cmpint(ca->type, ==, cb->type);
        assert_str_copy(ca->target_type, cb->target_type);
        g_assert_cmpuint(ca->port, ==, cb->port);
    }
    g_assert_cmpuint(a->channels->len, ==, b->channels->len);
    g_assert_cmpuint(a->inputs->len, ==, b->inputs->len);
    g_assert_cmpuint(a->graphics->len, ==, b->graphics->len);
    for (guint i = 0; i < a->graphics->len; i++) {
        XvGraphicsDef *ga = g_ptr_array_index(a->graphics, i);
        XvGraphicsDef *gb = g_ptr_array_index(b->graphics, i);

        g_assert_cmpint(ga->type, ==, gb->type);
        g_assert_cmpint(ga->port, ==, gb->port);
        assert_str_copy(ga->listen, gb->listen);
        assert_str_copy(ga->passwd, gb->passwd);
    }
    g_assert_cmpuint(a->videos->len, ==, b->videos->len);
    for (guint i = 0; i < a->videos->len; i++) {
        XvVideoDef *va = g_ptr_array_index(a->videos, i);
        XvVideoDef *vb = g_ptr_array_index(b->videos, i);

        g_assert_cmpint(va->type, ==, vb->type);
        g_assert_cmpuint(va->vram_kb, ==, vb->vram_kb);
        g_assert_cmpint(va->primary, ==, vb->primary);
    }
    g_assert_cmpuint(a->sounds->len, ==, b->sounds->len);
    g_assert_true((a->memballoon == NULL) == (b->memballoon == NULL));
    if (a->memballoon != NULL) {
        g_assert_true(a->memballoon != b->memballoon);
        assert_str_copy(a->memballoon->model, b->memballoon->model);
    }
    g_assert_cmpuint(a->xen_args->len, ==, b->xen_args->len);
    for (guint i = 0; i < a->xen_args->len; i++)
        assert_str_copy(g_ptr_array_index(a->xen_args, i), g_ptr_array_index(b->xen_args, i));
}

static const char rich_xml[] =
    "<domain type='xen' xmlns:xen='http://libvirt.org/schemas/domain/xen/1.0'\n"
    "        xmlns:app='http://example.org/app/1'>\n"
    "  <name>rich</name>\n"
    "  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>\n"
    "  <title>A rich domain</title>\n"
    "  <description>Has &lt;everything&gt;</description>\n"
    "  <metadata><app:data key='1'>value</app:data></metadata>\n"
    "  <memory unit='GiB'>4</memory>\n"
    "  <currentMemory unit='MiB'>3072</currentMemory>\n"
    "  <vcpu placement='static' cpuset='0-3' current='2'>4</vcpu>\n"
    "  <cputune><shares>512</shares><period>100000</period><quota>-1</quota>\n"
    "    <vcpupin vcpu='3' cpuset='3'/><vcpupin vcpu='0' cpuset='0-1'/></cputune>\n"
    "  <numatune><memory mode='interleave' nodeset='0-1'/></numatune>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenfv'>hvm</type>\n"
    "    <loader readonly='yes' type='pflash'>/usr/share/ovmf/OVMF.fd</loader>\n"
    "    <nvram template='/usr/share/ovmf/VARS.fd'>/var/lib/xen/nvram/rich.fd</nvram>\n"
    "    <boot dev='cdrom'/><boot dev='hd'/><boot dev='network'/>\n"
    "    <bootmenu enable='yes'/>\n"
    "  </os>\n"
    "  <features><acpi/><apic/><hap state='on'/><viridian/>\n"
    "    <hyperv mode='custom'><relaxed state='on'/><spinlocks state='on' retries='4096'/>\n"
    "      <vendor_id state='on' value='XenXenXen'/></hyperv>\n"
    "    <xen><e820_host state='on'/><passthrough state='on' mode='share_pt'/></xen>\n"
    "  </features>\n"
    "  <cpu mode='host-passthrough' check='none'>\n"
    "    <topology sockets='1' dies='1' cores='2' threads='2'/>\n"
    "    <feature policy='disable' name='vmx'/>\n"
    "    <numa>\n"
    "      <cell id='0' cpus='0-1' memory='2' unit='GiB'><distances><sibling id='1' value='20'/></distances></cell>\n"
    "      <cell id='1' cpus='2-3' memory='2' unit='GiB'/>\n"
    "    </numa>\n"
    "  </cpu>\n"
    "  <clock offset='variable' adjustment='-3600' basis='localtime'>\n"
    "    <timer name='hpet' present='no'/><timer name='tsc' mode='native' frequency='1000000'/>\n"
    "  </clock>\n"
    "  <on_poweroff>preserve</on_poweroff>\n"
    "  <on_reboot>rename-restart</on_reboot>\n"
    "  <on_crash>coredump-restart</on_crash>\n"
    "  <devices>\n"
    "    <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>\n"
    "    <disk type='network' device='disk'>\n"
    "      <driver name='qemu' type='raw' cache='none'/>\n"
    "      <source protocol='rbd' name='pool/image'>\n"
    "        <host name='mon1' port='6789'/><host name='mon2'/>\n"
    "      </source>\n"
    "      <auth username='admin'><secret type='ceph' usage='ceph-admin'/></auth>\n"
    "      <target dev='xvda' bus='xen'/>\n"
    "      <alias name='ua-disk0'/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='hdc'/></disk>\n"
    "    <controller type='usb' model='qusb2' ports='6'/>\n"
    "    <controller type='xenbus' maxGrantFrames='64' maxEventChannels='2047'/>\n"
    "    <interface type='bridge'>\n"
    "      <mac address='00:16:3E:AA:bb:01'/>\n"
    "      <source bridge='br0'/>\n"
    "      <script path='vif-bridge'/>\n"
    "      <model type='e1000'/>\n"
    "      <target dev='vif-rich'/>\n"
    "      <ip address='10.0.0.2' prefix='24' family='ipv4'/>\n"
    "      <ip address='fe80::2'/>\n"
    "      <bandwidth><inbound average='1000' peak='2000' burst='512'/><outbound average='10240'/></bandwidth>\n"
    "      <vlan trunk='yes'><tag id='42'/><tag id='43'/></vlan>\n"
    "      <virtualport type='openvswitch'/>\n"
    "      <mtu size='9000'/>\n"
    "    </interface>\n"
    "    <interface type='network'><source network='default' portgroup='pg'/></interface>\n"
    "    <interface type='hostdev' managed='yes'>\n"
    "      <source><address type='pci' domain='0x0000' bus='0x03' slot='0x1a' function='0x1'/></source>\n"
    "    </interface>\n"
    "    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
    "      <source writeFiltering='no'><address domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></source>\n"
    "      <driver name='xen'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
    "    </hostdev>\n"
    "    <hostdev mode='subsystem' type='usb'>\n"
    "      <source><vendor id='0x1234'/><product id='0xbeef'/></source>\n"
    "    </hostdev>\n"
    "    <serial type='udp'><source mode='bind' host='0.0.0.0' service='2222'/>\n"
    "      <source mode='connect' host='10.0.0.1' service='3333'/><target port='0'/></serial>\n"
    "    <channel type='unix'><source mode='bind' path='/run/rich.sock'/>\n"
    "      <target type='xen' name='org.qemu.guest_agent.0'/></channel>\n"
    "    <input type='tablet' bus='usb'/>\n"
    "    <graphics type='spice' port='5900' tlsPort='5901' autoport='no' listen='127.0.0.1' passwd='s3cret'>\n"
    "      <listen type='address' address='192.168.0.1'/>\n"
    "      <mouse mode='client'/><clipboard copypaste='no'/><image compression='auto_glz'/>\n"
    "      <streaming mode='filter'/><filetransfer enable='no'/>\n"
    "    </graphics>\n"
    "    <video><model type='qxl' heads='1'/></video>\n"
    "    <sound model='ac97'/>\n"
    "    <memballoon model='xen'><stats period='10'/></memballoon>\n"
    "  </devices>\n"
    "  <xen:commandline><xen:arg value='-debugcon'/><xen:arg value='file:/tmp/d.log'/></xen:commandline>\n"
    "</domain>\n";

static void
test_rich_fields(void)
{
    g_autoptr(XvDomainDef) def = parse_ok(rich_xml);
    XvDiskDef *disk;
    XvNetDef *net;
    XvHostdevDef *hd;
    XvChrDef *chr;
    XvGraphicsDef *g;
    XvNumaCell *cell;
    XvVcpuPin *pin;
    XvControllerDef *ctrl;
    char uuid[XV_UUID_STRING_BUFLEN];

    g_assert_cmpstr(xv_uuid_format(def->uuid, uuid), ==, "c7a5fdb2-cdaf-9455-926a-d65c16db1809");
    g_assert_cmpstr(def->description, ==, "Has <everything>");
    g_assert_true(g_str_has_prefix(def->metadata_xml, "<metadata"));
    g_assert_true(g_str_has_suffix(def->metadata_xml, "</metadata>"));
    /* The namespace declared on <domain> travels with the metadata. */
    g_assert_nonnull(strstr(def->metadata_xml, "xmlns:app=\"http://example.org/app/1\""));
    g_assert_nonnull(strstr(def->metadata_xml, "<app:data"));
    g_assert_cmpuint(def->memory_kb, ==, 4194304);
    g_assert_cmpuint(def->current_memory_kb, ==, 3145728);
    g_assert_cmpuint(def->maxvcpus, ==, 4);
    g_assert_cmpuint(def->vcpus, ==, 2);
    g_assert_cmpuint(xv_bitmap_count(def->cpuset), ==, 4);
    g_assert_cmpuint(def->cputune.shares, ==, 512);
    g_assert_cmpint(def->cputune.quota, ==, -1);
    /* vcpupins sorted by vcpu */
    pin = g_ptr_array_index(def->cputune.vcpupins, 0);
    g_assert_cmpuint(pin->vcpu, ==, 0);
    g_assert_cmpint(def->numatune.mode, ==, XV_NUMATUNE_MODE_INTERLEAVE);
    g_assert_cmpint(def->numatune.placement, ==, XV_DOMAIN_PLACEMENT_STATIC);

    g_assert_cmpint(def->os.loader_type, ==, XV_DOMAIN_LOADER_TYPE_PFLASH);
    g_assert_cmpint(def->os.loader_readonly, ==, XV_TRISTATE_ON);
    g_assert_cmpstr(def->os.nvram_template, ==, "/usr/share/ovmf/VARS.fd");
    g_assert_cmpuint(def->os.nboot, ==, 3);
    g_assert_cmpint(def->os.boot[0], ==, XV_DOMAIN_BOOT_CDROM);
    g_assert_cmpint(def->os.boot[2], ==, XV_DOMAIN_BOOT_NET);
    g_assert_cmpint(def->os.bootmenu, ==, XV_TRISTATE_ON);

    g_assert_cmpint(def->features.state[XV_DOMAIN_FEATURE_HAP], ==, XV_TRISTATE_ON);
    g_assert_cmpint(def->features.state[XV_DOMAIN_FEATURE_VIRIDIAN], ==, XV_TRISTATE_ON);
    g_assert_cmpint(def->features.hyperv_mode, ==, XV_DOMAIN_HYPERV_MODE_CUSTOM);
    g_assert_cmpint(def->features.hyperv[XV_DOMAIN_HYPERV_RELAXED], ==, XV_TRISTATE_ON);
    g_assert_cmpuint(def->features.hyperv_spinlocks_retries, ==, 4096);
    g_assert_cmpstr(def->features.hyperv_vendor_id, ==, "XenXenXen");
    g_assert_cmpint(def->features.xen_e820_host, ==, XV_TRISTATE_ON);
    g_assert_cmpint(def->features.xen_passthrough_mode, ==, XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT);

    g_assert_cmpint(def->cpu.mode, ==, XV_CPU_MODE_HOST_PASSTHROUGH);
    g_assert_cmpuint(def->cpu.threads, ==, 2);
    g_assert_cmpuint(def->cpu.cells->len, ==, 2);
    /* Distances completed symmetrically, local distance 10. */
    cell = g_ptr_array_index(def->cpu.cells, 1);
    g_assert_nonnull(cell->distances);
    g_assert_cmpuint(g_array_index(cell->distances, guint, 0), ==, 20);
    g_assert_cmpuint(g_array_index(cell->distances, guint, 1), ==, 10);
    cell = g_ptr_array_index(def->cpu.cells, 0);
    g_assert_cmpuint(g_array_index(cell->distances, guint, 0), ==, 10);
    g_assert_cmpuint(cell->memory_kb, ==, 2097152);
    /* vNUMA implies ACPI for x86_64 HVM, as libvirt's libxl driver does */
    g_assert_cmpint(def->features.state[XV_DOMAIN_FEATURE_ACPI], ==, XV_TRISTATE_ON);

    g_assert_cmpint(def->clock.offset, ==, XV_CLOCK_OFFSET_VARIABLE);
    g_assert_cmpint(def->clock.adjustment, ==, -3600);
    g_assert_cmpstr(def->clock.basis, ==, "localtime");
    g_assert_cmpuint(((XvTimerDef *)g_ptr_array_index(def->clock.timers, 1))->frequency, ==, 1000000);
    g_assert_cmpint(def->on_reboot, ==, XV_DOMAIN_LIFECYCLE_RENAME_RESTART);
    g_assert_cmpint(def->on_crash, ==, XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART);

    disk = g_ptr_array_index(def->disks, 0);
    g_assert_cmpint(disk->type, ==, XV_DISK_TYPE_NETWORK);
    g_assert_cmpstr(disk->protocol, ==, "rbd");
    g_assert_cmpstr(disk->src, ==, "pool/image");
    g_assert_cmpuint(disk->hosts->len, ==, 2);
    g_assert_cmpint(((XvNetHost *)g_ptr_array_index(disk->hosts, 0))->port, ==, 6789);
    g_assert_cmpstr(disk->auth_secret_usage, ==, "ceph-admin");
    g_assert_cmpstr(disk->driver_cache, ==, "none");

    net = g_ptr_array_index(def->nets, 0);
    g_assert_false(net->mac_generated);
    g_assert_cmpuint(net->mac[3], ==, 0xaa);
    g_assert_cmpuint(net->ips->len, ==, 2);
    g_assert_cmpuint(((XvNetIp *)g_ptr_array_index(net->ips, 0))->prefix, ==, 24);
    g_assert_cmpuint(net->inbound.peak, ==, 2000);
    g_assert_true(net->outbound.present);
    g_assert_true(net->vlan_trunk);
    g_assert_cmpuint(net->vlan_tags->len, ==, 2);
    g_assert_cmpstr(net->virtualport_type, ==, "openvswitch");
    g_assert_cmpint(net->mtu, ==, 9000);
    net = g_ptr_array_index(def->nets, 1);
    g_assert_cmpstr(net->portgroup, ==, "pg");
    g_assert_true(net->mac_generated);
    net = g_ptr_array_index(def->nets, 2);
    g_assert_cmpuint(net->pci_bus, ==, 3);
    g_assert_cmpuint(net->pci_slot, ==, 0x1a);

    hd = g_ptr_array_index(def->hostdevs, 0);
    g_assert_true(hd->managed);
    g_assert_cmpuint(hd->bus, ==, 2);
    g_assert_cmpint(hd->write_filtering, ==, XV_TRISTATE_OFF);
    g_assert_cmpstr(hd->driver_name, ==, "xen");
    g_assert_true(hd->has_guest_address);
    g_assert_cmpuint(hd->guest_slot, ==, 5);
    hd = g_ptr_array_index(def->hostdevs, 1);
    g_assert_true(hd->usb_by_id);
    g_assert_cmpuint(hd->usb_product, ==, 0xbeef);

    chr = g_ptr_array_index(def->serials, 0);
    g_assert_cmpint(chr->type, ==, XV_CHR_TYPE_UDP);
    g_assert_cmpstr(chr->host, ==, "0.0.0.0");
    g_assert_cmpstr(chr->connect_host, ==, "10.0.0.1");
    g_assert_cmpstr(chr->connect_service, ==, "3333");
    chr = g_ptr_array_index(def->channels, 0);
    g_assert_cmpstr(chr->mode, ==, "bind");
    g_assert_cmpstr(chr->target_name, ==, "org.qemu.guest_agent.0");

    g = g_ptr_array_index(def->graphics, 0);
    g_assert_cmpint(g->type, ==, XV_GRAPHICS_SPICE);
    g_assert_cmpint(g->tls_port, ==, 5901);
    g_assert_cmpstr(g->listen, ==, "192.168.0.1");   /* the <listen> child wins */
    g_assert_cmpstr(g->passwd, ==, "s3cret");
    g_assert_cmpstr(g->mouse_mode, ==, "client");
    g_assert_cmpint(g->clipboard_copypaste, ==, XV_TRISTATE_OFF);
    g_assert_cmpstr(g->spice_streaming_mode, ==, "filter");

    g_assert_cmpuint(((XvVideoDef *)g_ptr_array_index(def->videos, 0))->vram_kb, ==, 131072);
    g_assert_nonnull(find_controller(def, XV_CONTROLLER_USB, 0));
    ctrl = find_controller(def, XV_CONTROLLER_XENBUS, 0);
    g_assert_nonnull(ctrl);
    g_assert_cmpuint(ctrl ? ctrl->max_event_channels : 0, ==, 2047);
    g_assert_cmpuint(ctrl ? ctrl->max_grant_frames : 0, ==, 64);
    /* explicit xenbus kept: no second one */
    g_assert_null(find_controller(def, XV_CONTROLLER_XENBUS, 1));
    g_assert_cmpuint(def->memballoon->period, ==, 10);
    g_assert_cmpuint(def->xen_args->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(def->xen_args, 1), ==, "file:/tmp/d.log");
}

static void
test_copy(void)
{
    g_autoptr(XvDomainDef) def = parse_ok(rich_xml);
    g_autoptr(XvDomainDef) copy = xv_domain_def_copy(def);
    g_autoptr(XvDomainDef) copy2 = NULL;
    g_autoptr(GError) error = NULL;

    assert_defs_equal(def, copy);
    g_assert_true(xv_domain_def_validate(copy, &error));
    g_assert_no_error(error);
    /* The copy outlives the original (ASan catches any shared pointer). */
    g_clear_pointer(&def, xv_domain_def_free);
    copy2 = xv_domain_def_copy(copy);
    assert_defs_equal(copy, copy2);
}

static void
test_post_parse_idempotent(void)
{
    g_autofree char *xml = make_domain("hvm", NULL, NULL,
                                       "<disk type='file' device='disk'><source file='/a'/><target dev='hda'/></disk>"
                                       "<interface type='bridge'><source bridge='br0'/></interface>"
                                       "<serial type='pty'/><graphics type='vnc'/>");
    const char *const others[] = { rich_xml, NULL };
    g_autoptr(XvDomainDef) def = parse_ok(xml);
    g_autoptr(XvDomainDef) before = xv_domain_def_copy(def);
    g_autoptr(GError) error = NULL;

    g_assert_true(xv_domain_def_post_parse(def, &error));
    g_assert_no_error(error);
    assert_defs_equal(before, def);

    for (gsize i = 0; others[i] != NULL; i++) {
        g_autoptr(XvDomainDef) d = parse_ok(others[i]);
        g_autoptr(XvDomainDef) b = xv_domain_def_copy(d);

        g_assert_true(xv_domain_def_post_parse(d, &error));
        g_assert_no_error(error);
        assert_defs_equal(b, d);
    }
}

static void
test_hand_built(void)
{
    g_autoptr(XvDomainDef) def = xv_domain_def_new();
    g_autoptr(GError) error = NULL;
    XvDiskDef *disk;

    def->name = g_strdup("byhand");
    def->memory_kb = 262144;
    def->maxvcpus = 2;
    def->os.type = XV_DOMAIN_OS_XEN;
    def->os.kernel = g_strdup("/boot/vmlinuz");
    for (int i = 0; i < 2; i++) {
        disk = g_new0(XvDiskDef, 1);
        disk->src = g_strdup("/img");
        disk->dst = g_strdup("xvda");
        g_ptr_array_add(def->disks, disk);
    }
    g_assert_true(xv_domain_def_post_parse(def, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(def->vcpus, ==, 2);
    g_assert_cmpuint(def->current_memory_kb, ==, 262144);
    g_assert_false(xv_domain_def_validate(def, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_assert_nonnull(strstr(error->message, "'xvda'"));
    g_assert_nonnull(strstr(error->message, "'byhand'"));
    g_clear_error(&error);

    g_free(((XvDiskDef *)g_ptr_array_index(def->disks, 1))->dst);
    ((XvDiskDef *)g_ptr_array_index(def->disks, 1))->dst = g_strdup("xvdb");
    g_assert_true(xv_domain_def_validate(def, &error));
    g_assert_no_error(error);

    def->vcpus = 3;
    g_assert_false(xv_domain_def_validate(def, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
}

/* ---- MACs ------------------------------------------------------------- */

static void
test_mac(void)
{
    static const char *const bad[] = {
        "", "00:16:3e:00:00", "00:16:3e:00:00:00:00", "00-16-3e-00-00-00",
        "0016.3e00.0000", "00:16:3e:00:00:0g", "000:16:3e:00:00:00", NULL
    };
    guchar mac[6];
    g_autofree char *s = NULL;

    g_assert_true(xv_mac_parse("00:16:3E:0a:B:ff", mac, NULL));
    s = xv_mac_format(mac);
    g_assert_cmpstr(s, ==, "00:16:3e:0a:0b:ff");
    g_assert_false(xv_mac_is_multicast(mac));
    g_assert_true(xv_mac_parse("01:00:5e:00:00:01", mac, NULL));
    g_assert_true(xv_mac_is_multicast(mac));

    for (gsize i = 0; bad[i] != NULL; i++) {
        g_autoptr(GError) error = NULL;

        g_assert_false(xv_mac_parse(bad[i], mac, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_MAC);
    }

    for (int i = 0; i < 1000; i++) {
        xv_mac_generate(mac);
        g_assert_cmpuint(mac[0], ==, 0x00);
        g_assert_cmpuint(mac[1], ==, 0x16);
        g_assert_cmpuint(mac[2], ==, 0x3e);
        g_assert_false(xv_mac_is_multicast(mac));
    }
}

static void
test_mac_generated_unique(void)
{
    GString *devs = g_string_new(NULL);
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (int i = 0; i < 64; i++)
        g_string_append(devs, "<interface type='bridge'><source bridge='br0'/></interface>");
    xml = make_domain("hvm", NULL, NULL, devs->str);
    g_string_free(devs, TRUE);
    def = parse_ok(xml);
    g_assert_cmpuint(def->nets->len, ==, 64);
    for (guint i = 0; i < def->nets->len; i++) {
        XvNetDef *net = g_ptr_array_index(def->nets, i);
        char *s = xv_mac_format(net->mac);

        g_assert_true(net->mac_generated);
        g_assert_true(g_str_has_prefix(s, "00:16:3e:"));
        g_assert_true(g_hash_table_add(seen, s));
    }
}

/* ---- errors ----------------------------------------------------------- */

static void
test_error_codes(void)
{
    static const struct {
        const char *devices;
        const char *top;
        int code;
        const char *needle;
    } cases[] = {
        { "<watchdog model='i6300esb'/>", NULL, XV_ERROR_CONFIG_UNSUPPORTED, "<watchdog>" },
        { "<interface type='bridge'><mac address='zz'/><source bridge='b'/></interface>", NULL,
          XV_ERROR_INVALID_MAC, "'zz'" },
        { "<interface type='user'/>", NULL, XV_ERROR_CONFIG_UNSUPPORTED, "'user'" },
        { "<interface type='bridge'/>", NULL, XV_ERROR_XML_ERROR, "source bridge" },
        { "<disk type='volume'><source pool='p' volume='v'/><target dev='xvda'/></disk>", NULL,
          XV_ERROR_CONFIG_UNSUPPORTED, "'volume'" },
        { "<disk type='file'><source file='/a'/></disk>", NULL, XV_ERROR_XML_ERROR, "target" },
        { "<disk type='file'><target dev='xvda'/></disk>", NULL, XV_ERROR_XML_ERROR, "no source" },
        { "<disk type='network'><source protocol='iscsi' name='x'/><target dev='xvda'/></disk>", NULL,
          XV_ERROR_CONFIG_UNSUPPORTED, "'iscsi'" },
        { "<disk type='file'><source file='/a'/><target dev='xvda'/><boot order='1'/></disk>", NULL,
          XV_ERROR_CONFIG_UNSUPPORTED, "boot order" },
        { "<graphics type='rdp'/>", NULL, XV_ERROR_CONFIG_UNSUPPORTED, "'rdp'" },
        { "<graphics type='vnc'><listen type='network' network='default'/></graphics>", NULL,
          XV_ERROR_CONFIG_UNSUPPORTED, "'network'" },
        { "<channel type='pty'><target type='virtio' name='x'/></channel>", NULL,
          XV_ERROR_CONFIG_UNSUPPORTED, "'virtio'" },
        { "<memballoon model='virtio'/>", NULL, XV_ERROR_CONFIG_UNSUPPORTED, "'virtio'" },
        { "<hostdev mode='capabilities' type='storage'/>", NULL, XV_ERROR_CONFIG_UNSUPPORTED, "'capabilities'" },
        { "<controller type='xenbus' index='0'/><controller type='xenbus' index='0'/>", NULL,
          XV_ERROR_XML_ERROR, "index 0" },
        { NULL, "<sysinfo type='smbios'/>", XV_ERROR_CONFIG_UNSUPPORTED, "<sysinfo>" },
        { NULL, "<features><smm state='on'/></features>", XV_ERROR_CONFIG_UNSUPPORTED, "<smm>" },
        { NULL, "<clock offset='martian'/>", XV_ERROR_XML_ERROR, "'martian'" },
        { NULL, "<clock offset='timezone'/>", XV_ERROR_XML_ERROR, "timezone" },
        { NULL, "<title>two\nlines</title>", XV_ERROR_XML_ERROR, "newline" },
        { NULL, "<maxMemory slots='4' unit='MiB'>256</maxMemory>", XV_ERROR_XML_ERROR, "<maxMemory>" },
        { NULL, "<cputune><emulatorpin cpuset='0'/></cputune>", XV_ERROR_CONFIG_UNSUPPORTED, "<emulatorpin>" },
        { NULL, "<vcpu current='0'>2</vcpu>", XV_ERROR_XML_ERROR, "at least one" },
        { NULL, "<vcpu>two</vcpu>", XV_ERROR_XML_ERROR, "'two'" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = make_domain("hvm", NULL, cases[i].top, cases[i].devices);
        g_autoptr(GError) error = parse_fail(xml);

        g_test_message("case %" G_GSIZE_FORMAT ": %s", i, error->message);
        g_assert_cmpint(error->code, ==, cases[i].code);
        g_assert_nonnull(strstr(error->message, cases[i].needle));
        g_assert_nonnull(strstr(error->message, "'unit1'"));
    }
}

static void
test_ignored_elements(void)
{
    /* Host-side or QEMU-only elements that cannot change a Xen guest. */
    g_autofree char *xml = make_domain("hvm", NULL,
                                       "<resource><partition>/machine</partition></resource>"
                                       "<seclabel type='none'/>",
                                       "<disk type='file'><source file='/a'/><target dev='xvda'/>"
                                       "<alias name='ua-x'/><backingStore/></disk>"
                                       "<lease><lockspace>x</lockspace><key>k</key>"
                                       "<target path='/p'/></lease>");
    g_autoptr(XvDomainDef) def = parse_ok(xml);

    g_assert_cmpuint(def->disks->len, ==, 1);
}

static void
test_live_id(void)
{
    const char *xml = "<domain type='xen' id='7'><name>live</name><memory>262144</memory>"
                      "<os><type>hvm</type></os></domain>";
    g_autoptr(XvDomainDef) live = NULL;
    g_autoptr(XvDomainDef) inactive = NULL;
    g_autoptr(GError) error = NULL;

    live = xv_domain_def_parse(xml, -1, XV_PARSE_LIVE, &error);
    g_assert_no_error(error);
    g_assert_cmpint(live->id, ==, 7);
    inactive = xv_domain_def_parse(xml, (gssize)strlen(xml), XV_PARSE_INACTIVE, &error);
    g_assert_no_error(error);
    g_assert_cmpint(inactive->id, ==, -1);
}

static void
test_clock_adjustment(void)
{
    g_autofree char *xml = make_domain("hvm", NULL, "<clock offset='localtime' adjustment='120'/>", NULL);
    g_autofree char *xml2 = make_domain("hvm", NULL, "<clock offset='utc' adjustment='reset'/>", NULL);
    g_autoptr(XvDomainDef) def = parse_ok(xml);
    g_autoptr(XvDomainDef) def2 = parse_ok(xml2);

    /* libvirt: a numeric adjustment turns localtime into variable. */
    g_assert_cmpint(def->clock.offset, ==, XV_CLOCK_OFFSET_VARIABLE);
    g_assert_cmpstr(def->clock.basis, ==, "localtime");
    g_assert_cmpint(def->clock.adjustment, ==, 120);
    g_assert_cmpint(def2->clock.offset, ==, XV_CLOCK_OFFSET_UTC);
    g_assert_true(def2->clock.adjustment_reset);
}

static void
test_not_nul_terminated(void)
{
    g_autofree char *xml = make_domain("hvm", NULL, NULL, NULL);
    gsize len = strlen(xml);
    g_autofree char *buf = g_malloc(len);
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GError) error = NULL;

    memcpy(buf, xml, len);   /* no NUL: the parser must honour 'len' */
    def = xv_domain_def_parse(buf, (gssize)len, XV_PARSE_INACTIVE, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(def->name, ==, "unit1");
}

/* ---- files ------------------------------------------------------------ */

static void
test_file(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("xv-parse-XXXXXX", &error);
    g_autofree char *path = NULL;
    g_autofree char *missing = NULL;
    g_autofree char *empty = NULL;
    g_autofree char *xml = make_domain("hvm", NULL, NULL, NULL);
    g_autoptr(XvDomainDef) def = NULL;
    XvDomainDef *none;

    g_assert_no_error(error);
    path = g_build_filename(dir, "unit1.xml", NULL);
    missing = g_build_filename(dir, "missing.xml", NULL);
    empty = g_build_filename(dir, "empty.xml", NULL);
    g_assert_true(g_file_set_contents(path, xml, -1, &error));
    g_assert_true(g_file_set_contents(empty, "", 0, &error));

    def = xv_domain_def_parse_file(path, XV_PARSE_INACTIVE, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(def->name, ==, "unit1");

    none = xv_domain_def_parse_file(missing, XV_PARSE_INACTIVE, &error);
    g_assert_null(none);
    g_assert_error(error, XV_ERROR, XV_ERROR_SYSTEM);
    g_assert_nonnull(strstr(error->message, missing));
    g_clear_error(&error);

    none = xv_domain_def_parse_file(empty, XV_PARSE_INACTIVE, &error);
    g_assert_null(none);
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_clear_error(&error);

    none = xv_domain_def_parse_file(dir, XV_PARSE_INACTIVE, &error);
    g_assert_null(none);
    g_assert_nonnull(error);
    g_clear_error(&error);

    g_unlink(path);
    g_unlink(empty);
    g_rmdir(dir);
}

static void
test_peer(void)
{
    const char *shared = g_getenv("XV_SHARED_DIR");
    const char *const subdirs[] = { "libxl-domconfig", "xl-config" };
    guint parsed = 0;

    if (shared == NULL || !g_file_test(shared, G_FILE_TEST_IS_DIR)) {
        g_test_skip("XV_SHARED_DIR is unset or absent: no peer data to parse");
        return;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(subdirs); i++) {
        g_autofree char *dirpath = g_build_filename(shared, "peer", subdirs[i], NULL);
        g_autoptr(GDir) dir = g_dir_open(dirpath, 0, NULL);
        const char *name;

        if (dir == NULL)
            continue;
        while ((name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *path = NULL;
            g_autoptr(GError) error = NULL;
            g_autoptr(XvDomainDef) def = NULL;

            if (!g_str_has_suffix(name, ".xml"))
                continue;
            path = g_build_filename(dirpath, name, NULL);
            def = xv_domain_def_parse_file(path, XV_PARSE_INACTIVE, &error);
            if (def == NULL)
                g_test_message("%s: %s", path, error->message);
            g_assert_no_error(error);
            g_assert_nonnull(def->memballoon);
            parsed++;
        }
    }
    if (parsed == 0) {
        g_test_skip("no peer XML files found under XV_SHARED_DIR/peer");
        return;
    }
    g_test_message("%u peer files parsed", parsed);
}

/* ---- size limits ------------------------------------------------------ */

static void
test_size_limit(void)
{
    const gsize size = 100u * 1024 * 1024;
    g_autofree char *big = g_malloc(size + 1);
    const char *head = "<domain type='xen'><name>big</name><description>";
    g_autoptr(GError) error = NULL;
    XvDomainDef *def;

    memset(big, 'x', size);
    memcpy(big, head, strlen(head));
    big[size] = '\0';

    def = xv_domain_def_parse(big, (gssize)size, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_assert_nonnull(strstr(error->message, "larger than the limit"));
    g_clear_error(&error);

    def = xv_domain_def_parse(big, -1, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_assert_nonnull(strstr(error->message, "larger than the limit"));
    g_clear_error(&error);

    /* One byte over the cap is refused, the cap itself is read by libxml2
     * (and fails there, as it is not a domain). */
    def = xv_domain_def_parse(big, XV_DOMAIN_XML_MAX_BYTES + 1, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_nonnull(strstr(error->message, "larger than the limit"));
    g_clear_error(&error);
    def = xv_domain_def_parse(big, XV_DOMAIN_XML_MAX_BYTES, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_null(strstr(error->message, "larger than the limit"));
}

static void
test_dtd_rejected(void)
{
    static const char *const docs[] = {
        "<!DOCTYPE domain><domain type='xen'><name>d</name></domain>",
        "<!DOCTYPE domain SYSTEM \"http://example.org/domain.dtd\"><domain type='xen'><name>d</name></domain>",
        "<?xml version='1.0'?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n<domain/>",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(docs); i++) {
        g_autoptr(GError) error = parse_fail(docs[i]);

        g_assert_cmpint(error->code, ==, XV_ERROR_XML_ERROR);
        g_assert_cmpstr(error->message, ==, "DTDs and entity declarations are not allowed in domain XML.");
    }
}

static void
test_malformed_line(void)
{
    g_autoptr(GError) error = parse_fail("<domain type='xen'>\n  <name>x</name>\n  <memory>1</memroy>\n</domain>");

    g_assert_cmpint(error->code, ==, XV_ERROR_XML_ERROR);
    g_assert_true(g_str_has_prefix(error->message, "Cannot parse domain XML at line 3: "));
}

/* Hostile input: too many devices is refused before any pairwise check. */
static void
test_device_limit(void)
{
    g_autoptr(GString) xml = g_string_new("<domain type='xen'><name>many</name>"
                                          "<memory>524288</memory><vcpu>1</vcpu>"
                                          "<os><type>linux</type></os><devices>");
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = NULL;

    for (guint i = 0; i <= XV_DOMAIN_MAX_DEVICES; i++)
        g_string_append_printf(xml, "<disk type='file'><source file='/d%u'/>"
                                    "<target dev='xvd%c%c'/></disk>",
                               i, 'a' + (i / 26) % 26, 'a' + i % 26);
    g_string_append(xml, "</devices></domain>");
    def = xv_domain_def_parse(xml->str, -1, XV_PARSE_INACTIVE, &error);
    g_assert_null(def);
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_assert_cmpstr(error->message, ==,
                    "The domain 'many' has 4097 devices; the limit is 4096.");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/xmlconf/parse/units/scales", test_units);
    g_test_add_func("/xmlconf/parse/units/invalid", test_units_invalid);
    g_test_add_func("/xmlconf/parse/defaults/hvm", test_defaults_hvm);
    g_test_add_func("/xmlconf/parse/defaults/hvm-graphics", test_defaults_hvm_graphics);
    g_test_add_func("/xmlconf/parse/defaults/pv", test_defaults_pv);
    g_test_add_func("/xmlconf/parse/defaults/pv-without-os-type", test_defaults_pv_without_os_type);
    g_test_add_func("/xmlconf/parse/defaults/pvh", test_defaults_pvh);
    g_test_add_func("/xmlconf/parse/defaults/disk-addresses", test_defaults_disk_addresses);
    g_test_add_func("/xmlconf/parse/defaults/serial-console", test_defaults_serial_console);
    g_test_add_func("/xmlconf/parse/defaults/idempotent", test_post_parse_idempotent);
    g_test_add_func("/xmlconf/parse/fields/rich", test_rich_fields);
    g_test_add_func("/xmlconf/parse/fields/clock-adjustment", test_clock_adjustment);
    g_test_add_func("/xmlconf/parse/fields/live-id", test_live_id);
    g_test_add_func("/xmlconf/parse/fields/ignored-elements", test_ignored_elements);
    g_test_add_func("/xmlconf/parse/fields/not-nul-terminated", test_not_nul_terminated);
    g_test_add_func("/xmlconf/parse/copy/deep-equal", test_copy);
    g_test_add_func("/xmlconf/parse/validate/hand-built", test_hand_built);
    g_test_add_func("/xmlconf/parse/mac/helpers", test_mac);
    g_test_add_func("/xmlconf/parse/mac/generated-unique", test_mac_generated_unique);
    g_test_add_func("/xmlconf/parse/errors/codes", test_error_codes);
    g_test_add_func("/xmlconf/parse/errors/dtd", test_dtd_rejected);
    g_test_add_func("/xmlconf/parse/errors/malformed-line", test_malformed_line);
    g_test_add_func("/xmlconf/parse/file/read", test_file);
    g_test_add_func("/xmlconf/parse/peer/all-parse", test_peer);
    g_test_add_func("/xmlconf/parse/size/100mb-rejected", test_size_limit);
    g_test_add_func("/xmlconf/parse/size/device-limit", test_device_limit);

    return g_test_run();
}
