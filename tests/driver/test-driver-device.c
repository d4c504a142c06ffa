/*
 * test-driver-device.c: device hotplug on the sim host — attach, detach and
 * update of disks, interfaces, PCI and USB host devices and USB controllers,
 * live and in the config; every refusal leaves the definitions, the files
 * and the host as they were.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <libxl_utils.h>

#include "driver-test-util.h"
#include "util/xv-error.h"

#define AFFECT_LIVE VIR_DOMAIN_AFFECT_LIVE
#define AFFECT_CONFIG VIR_DOMAIN_AFFECT_CONFIG

/* A file the sim accepts as a disk source. */
static char *
make_image(Fixture *fx, const char *name)
{
    char *path = g_build_filename(fx->root, name, NULL);

    g_assert_true(g_file_set_contents(path, "disk", -1, NULL));
    return path;
}

static char *
disk_xml(const char *src, const char *dev)
{
    return g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
                           "<target dev='%s' bus='xen'/></disk>", src, dev);
}

static char *
live_xml(Fixture *fx, XvDomainObj *dom)
{
    g_autoptr(GError) error = NULL;
    char *xml = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);

    g_assert_no_error(error);
    return xml;
}

static char *
config_xml(Fixture *fx, XvDomainObj *dom)
{
    g_autoptr(GError) error = NULL;
    char *xml = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, &error);

    g_assert_no_error(error);
    return xml;
}

/* The host's view of the domain's config. */
static void
host_config(Fixture *fx, XvDomainObj *dom, libxl_domain_config *cfg)
{
    g_autoptr(GError) error = NULL;

    g_assert_cmpint(xv_host_retrieve_config(fx->host, (uint32_t)xv_domain_obj_get_id(dom), cfg,
                                            &error), ==, 0);
    g_assert_no_error(error);
}

static gboolean
host_has_disk(Fixture *fx, XvDomainObj *dom, const char *vdev, const char *src)
{
    libxl_domain_config cfg;
    gboolean found = FALSE;

    host_config(fx, dom, &cfg);
    for (int i = 0; i < cfg.num_disks; i++)
        if (g_strcmp0(cfg.disks[i].vdev, vdev) == 0 &&
            (src == NULL || g_strcmp0(cfg.disks[i].pdev_path, src) == 0))
            found = TRUE;
    libxl_domain_config_dispose(&cfg);
    return found;
}

static void
test_disk_live(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autofree char *img = make_image(fx, "data.img");
    g_autofree char *xml = disk_xml(img, "xvdb");
    g_autofree char *live = NULL;
    g_autofree char *cfg = NULL;
    g_autofree char *device = NULL;

    fx_clear_events(fx);
    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, xml, 0, &error));
    g_assert_no_error(error);
    live = live_xml(fx, dom);
    cfg = config_xml(fx, dom);
    g_assert_nonnull(strstr(live, "<target dev='xvdb' bus='xen'/>"));
    g_assert_null(strstr(cfg, "xvdb"));           /* CURRENT on a running domain = LIVE */
    g_assert_true(host_has_disk(fx, dom, "xvdb", img));
    device = fx_event_device(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED);
    g_assert_cmpstr(device, ==, "xvdb");

    /* The live definition survives a driver restart (status file). */
    fx_close_driver(fx);
    fx_open_driver(fx);
    {
        g_autoptr(XvDomainObj) again = xv_driver_lookup_by_name(fx->drv, "web1", &error);
        g_autofree char *x = NULL;

        g_assert_no_error(error);
        x = live_xml(fx, again);
        g_assert_nonnull(strstr(x, "<target dev='xvdb' bus='xen'/>"));

        /* duplicate target: libvirt's message, nothing changed */
        g_assert_false(xv_driver_domain_attach_device(fx->drv, again, xml, 0, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
        g_assert_nonnull(strstr(error->message, "target xvdb already exists"));
        g_clear_error(&error);

        /* detach */
        fx_clear_events(fx);
        g_assert_true(xv_driver_domain_detach_device(fx->drv, again,
                                                     "<disk type='file' device='disk'><target dev='xvdb'/></disk>",
                                                     AFFECT_LIVE, &error));
        g_assert_no_error(error);
        g_clear_pointer(&x, g_free);
        x = live_xml(fx, again);
        g_assert_null(strstr(x, "xvdb"));
        g_assert_false(host_has_disk(fx, again, "xvdb", NULL));
        g_clear_pointer(&device, g_free);
        device = fx_event_device(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED);
        g_assert_cmpstr(device, ==, "xvdb");

        /* detach of an unknown target */
        g_assert_false(xv_driver_domain_detach_device(fx->drv, again,
                                                      "<disk type='file' device='disk'><target dev='xvdz'/></disk>",
                                                      0, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
        g_assert_nonnull(strstr(error->message, "no target device xvdz"));
    }
}

static void
test_disk_refusals(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autoptr(XvDomainObj) off = fx_define(fx, "web2", 256);
    g_autofree char *img = make_image(fx, "data.img");
    g_autofree char *before = live_xml(fx, dom);
    g_autofree char *before_cfg = config_xml(fx, dom);
    g_autofree char *missing = disk_xml("/nonexistent/disk.img", "xvdc");
    g_autofree char *ide = g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
                                           "<target dev='hdb' bus='ide'/></disk>", img);
    g_autofree char *cdrom = g_strdup_printf("<disk type='file' device='cdrom'><source file='%s'/>"
                                             "<target dev='xvdd' bus='xen'/></disk>", img);
    g_autofree char *good = disk_xml(img, "xvde");
    g_autofree char *after = NULL;
    g_autofree char *after_cfg = NULL;

    /* the host refuses a missing source */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, missing, 0, &error));
    g_assert_nonnull(strstr(error->message, "does not exist"));
    g_assert_nonnull(strstr(error->message, "web1"));
    g_clear_error(&error);
    /* emulated buses cannot be hotplugged */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, ide, AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "disk bus 'ide' cannot be hotplugged"));
    g_clear_error(&error);
    /* cdroms are changed with update, not plugged */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, cdrom, AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_UNSUPPORTED);
    g_clear_error(&error);
    /* an unsupported device type */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom,
                                                  "<graphics type='vnc' port='-1'/>", 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "device type 'graphics' cannot be attached"));
    g_clear_error(&error);
    /* not XML */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, "<disk", 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_clear_error(&error);
    /* unknown flags */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, good, 1u << 20, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    /* live on an inactive domain */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, off, good, AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    /* an injected host fault */
    g_assert_true(xv_host_sim_fault_arm(fx->host, "device-add", ERROR_FAIL, 1, NULL));
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, good,
                                                  AFFECT_LIVE | AFFECT_CONFIG, &error));
    g_assert_nonnull(strstr(error->message, "injected fault at step 'device-add'"));
    g_clear_error(&error);

    after = live_xml(fx, dom);
    after_cfg = config_xml(fx, dom);
    g_assert_cmpstr(before, ==, after);
    g_assert_cmpstr(before_cfg, ==, after_cfg);
    g_assert_false(host_has_disk(fx, dom, "xvdc", NULL));
    g_assert_false(host_has_disk(fx, dom, "xvde", NULL));
    g_assert_cmpuint(fx_count_events(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED), ==, 0);
}

static void
test_disk_config(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autoptr(XvDomainObj) off = fx_define(fx, "web2", 256);
    g_autofree char *img = make_image(fx, "data.img");
    g_autofree char *xml = disk_xml(img, "xvdb");
    g_autofree char *live = NULL;
    g_autofree char *cfg = NULL;
    g_autofree char *path = NULL;
    g_autofree char *file = NULL;

    /* config only, on a running domain: the next boot gets it */
    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, xml, AFFECT_CONFIG, &error));
    g_assert_no_error(error);
    live = live_xml(fx, dom);
    cfg = config_xml(fx, dom);
    g_assert_null(strstr(live, "xvdb"));
    g_assert_nonnull(strstr(cfg, "xvdb"));
    g_assert_false(host_has_disk(fx, dom, "xvdb", NULL));
    g_assert_cmpuint(fx_count_events(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED), ==, 0);

    /* CURRENT on an inactive domain = CONFIG, written to its file */
    g_assert_true(xv_driver_domain_attach_device(fx->drv, off, xml, 0, &error));
    g_assert_no_error(error);
    {
        char uuid[XV_UUID_STRING_BUFLEN];
        g_autofree char *base = g_strdup_printf("%s.xml",
                                                xv_uuid_format(xv_domain_obj_get_uuid(off), uuid));

        path = g_build_filename(fx->config_dir, "domains", base, NULL);
    }
    g_assert_true(g_file_get_contents(path, &file, NULL, NULL));
    g_assert_nonnull(strstr(file, "xvdb"));

    /* both: live and config */
    g_assert_true(xv_driver_domain_detach_device(fx->drv, off, xml, 0, &error));
    g_assert_no_error(error);
    g_clear_pointer(&file, g_free);
    g_assert_true(g_file_get_contents(path, &file, NULL, NULL));
    g_assert_null(strstr(file, "xvdb"));
    {
        g_autofree char *xml2 = disk_xml(img, "xvdc");
        g_autofree char *l = NULL;
        g_autofree char *c = NULL;

        g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, xml2,
                                                     AFFECT_LIVE | AFFECT_CONFIG, &error));
        g_assert_no_error(error);
        l = live_xml(fx, dom);
        c = config_xml(fx, dom);
        g_assert_nonnull(strstr(l, "xvdc"));
        g_assert_nonnull(strstr(c, "xvdc"));
        g_assert_true(host_has_disk(fx, dom, "xvdc", img));
    }
    /* config detach of a device only the live domain has */
    g_assert_false(xv_driver_domain_detach_device(fx->drv, off, xml, AFFECT_CONFIG, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
}

static void
test_transient_config(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dxml = fx_domain_xml(fx, "tmp1", NULL, 256, 1, NULL);
    g_autoptr(XvDomainObj) dom = xv_driver_create_xml(fx->drv, dxml, 0, &error);
    g_autofree char *img = make_image(fx, "data.img");
    g_autofree char *xml = disk_xml(img, "xvdb");

    g_assert_no_error(error);
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, xml, AFFECT_CONFIG, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "transient"));
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, xml, 0, &error));
    g_assert_no_error(error);
    g_assert_true(host_has_disk(fx, dom, "xvdb", img));
}

static void
test_nic(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autofree char *before = live_xml(fx, dom);
    g_autofree char *live = NULL;
    g_autofree char *device = NULL;
    libxl_domain_config cfg;
    const char *nic = "<interface type='bridge'><mac address='00:16:3e:11:22:33'/>"
                      "<source bridge='xenbr0'/></interface>";

    /* unknown bridge: the host refuses, nothing changed */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom,
                                                  "<interface type='bridge'><source bridge='nobr'/></interface>",
                                                  0, &error));
    g_assert_nonnull(strstr(error->message, "nobr"));
    g_clear_error(&error);
    live = live_xml(fx, dom);
    g_assert_cmpstr(live, ==, before);
    /* an emulated model on a PV domain */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom,
                                                  "<interface type='bridge'><source bridge='xenbr0'/><model type='e1000'/></interface>",
                                                  0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_clear_error(&error);

    fx_clear_events(fx);
    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, nic, 0, &error));
    g_assert_no_error(error);
    device = fx_event_device(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED);
    g_assert_cmpstr(device, ==, "00:16:3e:11:22:33");
    host_config(fx, dom, &cfg);
    g_assert_cmpint(cfg.num_nics, ==, 1);
    g_assert_cmpint(cfg.nics[0].mac[5], ==, 0x33);
    g_assert_cmpstr(cfg.nics[0].bridge, ==, "xenbr0");
    libxl_domain_config_dispose(&cfg);
    /* the same MAC twice */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, nic, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "network device with mac 00:16:3e:11:22:33 already exists"));
    g_clear_error(&error);
    /* a second one with a generated MAC gets the next devid */
    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom,
                                                 "<interface type='bridge'><source bridge='br0'/></interface>",
                                                 0, &error));
    g_assert_no_error(error);
    host_config(fx, dom, &cfg);
    g_assert_cmpint(cfg.num_nics, ==, 2);
    g_assert_cmpint(cfg.nics[1].devid, ==, cfg.nics[0].devid + 1);
    libxl_domain_config_dispose(&cfg);
    /* detach by MAC */
    g_assert_false(xv_driver_domain_detach_device(fx->drv, dom,
                                                  "<interface type='bridge'><mac address='00:16:3e:99:99:99'/><source bridge='xenbr0'/></interface>",
                                                  0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
    g_assert_nonnull(strstr(error->message, "no device matching MAC address 00:16:3e:99:99:99 found"));
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_detach_device(fx->drv, dom, nic, 0, &error));
    g_assert_no_error(error);
    host_config(fx, dom, &cfg);
    g_assert_cmpint(cfg.num_nics, ==, 1);
    g_assert_cmpstr(cfg.nics[0].bridge, ==, "br0");
    libxl_domain_config_dispose(&cfg);
    g_clear_pointer(&live, g_free);
    live = live_xml(fx, dom);
    g_assert_null(strstr(live, "00:16:3e:11:22:33"));
    g_assert_nonnull(strstr(live, "br0"));
}

static void
test_hostdev(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) a = fx_define_started(fx, "web1", 256);
    g_autoptr(XvDomainObj) b = fx_define_started(fx, "web2", 256);
    const char *pci = "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                      "<address domain='0x0000' bus='0x03' slot='0x00' function='0x1'/>"
                      "</source></hostdev>";
    const char *usb = "<hostdev mode='subsystem' type='usb'><source>"
                      "<address bus='1' device='5'/></source></hostdev>";
    g_autofree char *device = NULL;
    g_autofree char *live = NULL;
    libxl_domain_config cfg;

    g_assert_true(xv_driver_domain_attach_device(fx->drv, a, pci, 0, &error));
    g_assert_no_error(error);
    device = fx_event_device(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED);
    g_assert_cmpstr(device, ==, "pci_0000_03_00_1");
    host_config(fx, a, &cfg);
    g_assert_cmpint(cfg.num_pcidevs, ==, 1);
    g_assert_cmpint(cfg.pcidevs[0].bus, ==, 3);
    g_assert_cmpint(cfg.pcidevs[0].func, ==, 1);
    libxl_domain_config_dispose(&cfg);
    /* the same function cannot go to a second domain */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, b, pci, 0, &error));
    g_assert_nonnull(strstr(error->message, "already assigned to domain 'web1'"));
    g_clear_error(&error);
    /* nor twice to the same one */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, a, pci, 0, &error));
    g_assert_nonnull(strstr(error->message, "device is already in the domain configuration"));
    g_clear_error(&error);

    /* USB: the host adds a controller for it */
    g_assert_true(xv_driver_domain_attach_device(fx->drv, a, usb, 0, &error));
    g_assert_no_error(error);
    host_config(fx, a, &cfg);
    g_assert_cmpint(cfg.num_usbdevs, ==, 1);
    g_assert_cmpint(cfg.num_usbctrls, ==, 1);
    g_assert_cmpint(cfg.usbdevs[0].u.hostdev.hostbus, ==, 1);
    g_assert_cmpint(cfg.usbdevs[0].u.hostdev.hostaddr, ==, 5);
    g_assert_cmpint(cfg.usbdevs[0].ctrl, ==, cfg.usbctrls[0].devid);
    libxl_domain_config_dispose(&cfg);
    live = live_xml(fx, a);
    g_assert_nonnull(strstr(live, "<address bus='1' device='5'/>"));

    /* detach both */
    g_assert_true(xv_driver_domain_detach_device(fx->drv, a, usb, 0, &error));
    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_detach_device(fx->drv, a, pci, 0, &error));
    g_assert_no_error(error);
    host_config(fx, a, &cfg);
    g_assert_cmpint(cfg.num_usbdevs, ==, 0);
    g_assert_cmpint(cfg.num_pcidevs, ==, 0);
    libxl_domain_config_dispose(&cfg);
    g_assert_false(xv_driver_domain_detach_device(fx->drv, a, pci, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
    g_assert_nonnull(strstr(error->message, "host pci device 0000:03:00.1 not found"));
    g_clear_error(&error);
    /* now free for the other domain */
    g_assert_true(xv_driver_domain_attach_device(fx->drv, b, pci, 0, &error));
    g_assert_no_error(error);
}

static void
test_usb_controller(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    const char *ctrl = "<controller type='usb' index='0' model='qusb2' ports='4'/>";
    g_autofree char *device = NULL;
    libxl_domain_config cfg;

    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom, ctrl, 0, &error));
    g_assert_no_error(error);
    device = fx_event_device(fx, "web1", VIR_DOMAIN_EVENT_ID_DEVICE_ADDED);
    g_assert_cmpstr(device, ==, "usb0");
    host_config(fx, dom, &cfg);
    g_assert_cmpint(cfg.num_usbctrls, ==, 1);
    g_assert_cmpint(cfg.usbctrls[0].ports, ==, 4);
    g_assert_cmpint(cfg.usbctrls[0].version, ==, 2);
    libxl_domain_config_dispose(&cfg);
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom, ctrl, 0, &error));
    g_assert_nonnull(strstr(error->message, "already exists"));
    g_clear_error(&error);
    /* other controllers cannot be plugged */
    g_assert_false(xv_driver_domain_attach_device(fx->drv, dom,
                                                  "<controller type='scsi' index='0'/>",
                                                  AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_detach_device(fx->drv, dom, ctrl, 0, &error));
    g_assert_no_error(error);
    host_config(fx, dom, &cfg);
    g_assert_cmpint(cfg.num_usbctrls, ==, 0);
    libxl_domain_config_dispose(&cfg);
}

static XvDomainObj *
define_hvm_with_cdrom(Fixture *fx, const char *name, const char *iso)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='xen'><name>%s</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='xenfv'>hvm</type></os>"
        "<devices><disk type='file' device='cdrom'><source file='%s'/>"
        "<target dev='hdc' bus='ide'/><readonly/></disk></devices></domain>", name, iso);

    return fx_define_xml_started(fx, xml);
}

static void
test_cdrom_update(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *iso1 = make_image(fx, "one.iso");
    g_autofree char *iso2 = make_image(fx, "two.iso");
    g_autoptr(XvDomainObj) dom = define_hvm_with_cdrom(fx, "hvm1", iso1);
    g_autoptr(XvDomainObj) pv = fx_define_started(fx, "pv1", 256);
    g_autofree char *change = g_strdup_printf("<disk type='file' device='cdrom'><source file='%s'/>"
                                              "<target dev='hdc' bus='ide'/><readonly/></disk>", iso2);
    g_autofree char *live = NULL;
    g_autofree char *cfg = NULL;

    g_assert_true(host_has_disk(fx, dom, "hdc", iso1));
    g_assert_true(xv_driver_domain_update_device(fx->drv, dom, change,
                                                 VIR_DOMAIN_DEVICE_MODIFY_FORCE, &error));
    g_assert_no_error(error);
    g_assert_true(host_has_disk(fx, dom, "hdc", iso2));
    live = live_xml(fx, dom);
    cfg = config_xml(fx, dom);
    g_assert_nonnull(strstr(live, iso2));
    g_assert_nonnull(strstr(cfg, iso1));    /* CURRENT = live only */

    /* eject (no source) */
    g_assert_true(xv_driver_domain_update_device(fx->drv, dom,
                                                 "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>",
                                                 AFFECT_LIVE | AFFECT_CONFIG, &error));
    g_assert_no_error(error);
    g_clear_pointer(&cfg, g_free);
    cfg = config_xml(fx, dom);
    g_assert_null(strstr(cfg, iso1));
    {
        libxl_domain_config c;

        host_config(fx, dom, &c);
        g_assert_cmpint(c.num_disks, ==, 1);
        g_assert_true(c.disks[0].pdev_path == NULL || c.disks[0].pdev_path[0] == '\0');
        libxl_domain_config_dispose(&c);
    }

    /* refusals */
    g_assert_false(xv_driver_domain_update_device(fx->drv, dom,
                                                  "<disk type='file' device='cdrom'><source file='/nonexistent.iso'/><target dev='hdc' bus='ide'/></disk>",
                                                  0, &error));
    g_assert_nonnull(strstr(error->message, "does not exist"));
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_update_device(fx->drv, dom,
                                                  "<interface type='bridge'><source bridge='xenbr0'/></interface>",
                                                  AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "device type 'interface' cannot be updated"));
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_update_device(fx->drv, dom, change, 1u << 20, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    {
        g_autofree char *pvcd = g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
                                                "<target dev='xvda' bus='xen'/></disk>", iso2);

        g_assert_false(xv_driver_domain_update_device(fx->drv, pv, pvcd, AFFECT_LIVE, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
        g_assert_nonnull(strstr(error->message, "no target device xvda"));
        g_clear_error(&error);
    }
}

static void
test_net_update_config(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "web1", 256);
    g_autofree char *cfg = NULL;

    g_assert_true(xv_driver_domain_attach_device(fx->drv, dom,
                                                 "<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/></interface>",
                                                 0, &error));
    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_update_device(fx->drv, dom,
                                                 "<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='br0'/></interface>",
                                                 0, &error));
    g_assert_no_error(error);
    cfg = config_xml(fx, dom);
    g_assert_nonnull(strstr(cfg, "<source bridge='br0'/>"));
    g_assert_null(strstr(cfg, "xenbr0"));
    g_assert_false(xv_driver_domain_update_device(fx->drv, dom,
                                                  "<interface type='bridge'><mac address='00:16:3e:00:00:02'/><source bridge='br0'/></interface>",
                                                  0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    ADD("/driver/device/disk/live", test_disk_live);
    ADD("/driver/device/disk/refusals", test_disk_refusals);
    ADD("/driver/device/disk/config", test_disk_config);
    ADD("/driver/device/disk/transient", test_transient_config);
    ADD("/driver/device/nic", test_nic);
    ADD("/driver/device/hostdev", test_hostdev);
    ADD("/driver/device/usb-controller", test_usb_controller);
    ADD("/driver/device/update/cdrom", test_cdrom_update);
    ADD("/driver/device/update/interface-config", test_net_update_config);
#undef ADD
    return g_test_run();
}
