/*
 * domain-device.c: device hotplug — attach, detach and update of disks,
 * network interfaces, PCI and USB host devices and USB controllers, live
 * (through the host port) and/or in the persistent definition.
 *
 * A device XML fragment is parsed by wrapping it into a minimal domain
 * document of the same OS type and running the model's own parser
 * (xv_domain_def_parse): the device gets exactly the defaults, checks and
 * generated values (MAC, drive address) it would get inside a domain.
 *
 * Every operation is a MODIFY job.  Both new definitions are built and
 * checked first; then the host is changed (live), then the config file is
 * written; a failed config write undoes the host change, so a failure
 * changes nothing.  A successful live attach / detach emits
 * DEVICE_ADDED / DEVICE_REMOVED with the device's name (xv_device_name()).
 */
#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"

typedef enum {
    DEV_DISK,
    DEV_NET,
    DEV_HOSTDEV,
    DEV_CONTROLLER,
} DevKind;

/* A parsed device fragment. */
typedef struct {
    DevKind kind;
    char *element;              /* root element name, for messages */
    gpointer dev;               /* XvDiskDef / XvNetDef / XvHostdevDef / XvControllerDef */
} DevFrag;

static void
dev_frag_clear(DevFrag *f)
{
    if (f->dev != NULL) {
        switch (f->kind) {
        case DEV_DISK: xv_disk_def_free(f->dev); break;
        case DEV_NET: xv_net_def_free(f->dev); break;
        case DEV_HOSTDEV: xv_hostdev_def_free(f->dev); break;
        case DEV_CONTROLLER: xv_controller_def_free(f->dev); break;
        }
        f->dev = NULL;
    }
    g_clear_pointer(&f->element, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DevFrag, dev_frag_clear)

typedef enum {
    OP_ATTACH,
    OP_DETACH,
    OP_UPDATE,
} DevOp;

static void
set_unsupported_type(DevOp op, const char *type, GError **error)
{
    /* libvirt's libxl driver says the same. */
    switch (op) {
    case OP_ATTACH:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("device type '%s' cannot be attached"), type);
        break;
    case OP_DETACH:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("device type '%s' cannot be detached"), type);
        break;
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("device type '%s' cannot be updated"), type);
        break;
    }
}

/* ---- parsing a fragment ------------------------------------------------ */

static gboolean
parse_fragment(const XvDomainDef *dom_def, const char *xml, DevOp op, DevFrag *out,
               GError **error)
{
    g_autoptr(XvDomainDef) holder = NULL;
    g_autoptr(GString) doc = NULL;
    g_autofree char *name = NULL;
    char uuid[XV_UUID_STRING_BUFLEN];
    xmlDocPtr xdoc;
    xmlNodePtr root;
    xmlBufferPtr buf;
    GPtrArray *arr = NULL;
    gsize len = strlen(xml);

    if (len == 0 || len > XV_DOMAIN_XML_MAX_BYTES) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("the device XML is empty or larger than %u bytes"),
                    XV_DOMAIN_XML_MAX_BYTES);
        return FALSE;
    }
    /* No network, no DTD, no entity substitution: untrusted input. */
    xdoc = xmlReadMemory(xml, (int)len, "device.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    root = xdoc != NULL ? xmlDocGetRootElement(xdoc) : NULL;
    if (root == NULL) {
        if (xdoc != NULL)
            xmlFreeDoc(xdoc);
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("the device XML is not a well-formed XML element"));
        return FALSE;
    }
    out->element = g_strdup((const char *)root->name);
    if (g_str_equal(out->element, "disk")) {
        out->kind = DEV_DISK;
    } else if (g_str_equal(out->element, "interface")) {
        out->kind = DEV_NET;
    } else if (g_str_equal(out->element, "hostdev")) {
        out->kind = DEV_HOSTDEV;
    } else if (g_str_equal(out->element, "controller")) {
        out->kind = DEV_CONTROLLER;
    } else {
        xmlFreeDoc(xdoc);
        set_unsupported_type(op, out->element, error);
        return FALSE;
    }
    if (op == OP_DETACH && out->kind == DEV_DISK) {
        /* A disk to detach is named by its target alone (libvirt skips
         * validation there): <disk><target dev='xvdb'/></disk> is enough. */
        for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
            xmlChar *dev;

            if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "target"))
                continue;
            dev = xmlGetProp(n, BAD_CAST "dev");
            if (dev != NULL) {
                XvDiskDef *disk = g_new0(XvDiskDef, 1);

                disk->dst = g_strdup((const char *)dev);
                xmlFree(dev);
                out->dev = disk;
                xmlFreeDoc(xdoc);
                return TRUE;
            }
        }
    }
    buf = xmlBufferCreate();
    xmlNodeDump(buf, xdoc, root, 0, 0);

    name = g_markup_escape_text(dom_def->name, -1);
    doc = g_string_new(NULL);
    g_string_append_printf(doc,
                           "<domain type='xen'><name>%s</name><uuid>%s</uuid>"
                           "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>"
                           "<vcpu>1</vcpu><os><type>%s</type>%s</os><devices>",
                           name, xv_uuid_format(dom_def->uuid, uuid),
                           MAX(dom_def->memory_kb, (guint64)1024),
                           xv_domain_def_os_type_xml(dom_def->os.type),
                           dom_def->os.type == XV_DOMAIN_OS_HVM ? ""
                                                                : "<kernel>/dev/null</kernel>");
    g_string_append(doc, (const char *)xmlBufferContent(buf));
    g_string_append(doc, "</devices></domain>");
    xmlBufferFree(buf);
    xmlFreeDoc(xdoc);

    holder = xv_domain_def_parse(doc->str, (gssize)doc->len, XV_PARSE_INACTIVE, error);
    if (holder == NULL)
        return FALSE;
    switch (out->kind) {
    case DEV_DISK: arr = holder->disks; break;
    case DEV_NET: arr = holder->nets; break;
    case DEV_HOSTDEV: arr = holder->hostdevs; break;
    case DEV_CONTROLLER:
        /* Post-parse adds the implicit xenbus controller: take the other. */
        for (guint i = 0; holder->controllers != NULL && i < holder->controllers->len; i++) {
            XvControllerDef *c = g_ptr_array_index(holder->controllers, i);

            if (c->type != XV_CONTROLLER_XENBUS) {
                out->dev = g_ptr_array_steal_index(holder->controllers, i);
                break;
            }
        }
        if (out->dev == NULL) {
            set_unsupported_type(op, "controller type='xenbus'", error);
            return FALSE;
        }
        return TRUE;
    }
    if (arr == NULL || arr->len != 1) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("the device XML must describe exactly one <%s>"), out->element);
        return FALSE;
    }
    out->dev = g_ptr_array_steal_index(arr, 0);
    return TRUE;
}

/* ---- names and lookups --------------------------------------------------- */

/* The name a device goes by in DeviceAdded / DeviceRemoved events (the model
 * has no aliases): a disk's target, an interface's MAC, "pci_D_B_S_F" /
 * "usb_BUS_DEV" / "usb_VENDOR_PRODUCT" for host devices (libvirt's node
 * device names), "usb<index>" for a USB controller. */
static char *
device_name(const DevFrag *f)
{
    switch (f->kind) {
    case DEV_DISK:
        return g_strdup(((XvDiskDef *)f->dev)->dst);
    case DEV_NET: {
        const XvNetDef *n = f->dev;

        if (n->type == XV_NET_TYPE_HOSTDEV)
            return g_strdup_printf("pci_%04x_%02x_%02x_%x", n->pci_domain, n->pci_bus,
                                   n->pci_slot, n->pci_function);
        return xv_mac_format(n->mac);
    }
    case DEV_HOSTDEV: {
        const XvHostdevDef *h = f->dev;

        if (h->type == XV_HOSTDEV_PCI)
            return g_strdup_printf("pci_%04x_%02x_%02x_%x", h->domain, h->bus, h->slot,
                                   h->function);
        if (h->usb_by_id)
            return g_strdup_printf("usb_%04x_%04x", h->usb_vendor, h->usb_product);
        return g_strdup_printf("usb_%u_%u", h->usb_bus, h->usb_device);
    }
    case DEV_CONTROLLER: {
        const XvControllerDef *c = f->dev;

        return g_strdup_printf("%s%u", xv_controller_type_to_string(c->type), c->index);
    }
    }
    return NULL;
}

static gboolean
hostdev_same(const XvHostdevDef *a, const XvHostdevDef *b)
{
    if (a->type != b->type)
        return FALSE;
    if (a->type == XV_HOSTDEV_PCI)
        return a->domain == b->domain && a->bus == b->bus && a->slot == b->slot &&
               a->function == b->function;
    if (a->usb_by_id || b->usb_by_id)
        return a->usb_by_id == b->usb_by_id && a->usb_vendor == b->usb_vendor &&
               a->usb_product == b->usb_product;
    return a->usb_bus == b->usb_bus && a->usb_device == b->usb_device;
}

/* Index of the device in 'def' that 'f' names, or -1 with 'error' set in
 * libvirt's words ("no target device xvdb"). */
static int
find_device(const XvDomainDef *def, const DevFrag *f, GError **error)
{
    switch (f->kind) {
    case DEV_DISK: {
        const XvDiskDef *want = f->dev;

        for (guint i = 0; def->disks != NULL && i < def->disks->len; i++)
            if (g_strcmp0(((XvDiskDef *)g_ptr_array_index(def->disks, i))->dst, want->dst) == 0)
                return (int)i;
        g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING, _("no target device %s"),
                    want->dst);
        return -1;
    }
    case DEV_NET: {
        const XvNetDef *want = f->dev;
        g_autofree char *mac = xv_mac_format(want->mac);
        guint n = def->nets != NULL ? def->nets->len : 0;

        if (want->mac_generated) {
            /* No <mac>: the only interface, as libvirt matches. */
            if (n == 1)
                return 0;
            if (n == 0)
                g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                            _("domain has no network interfaces"));
            else
                g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                            _("multiple devices matching MAC address %s found"),
                            _("(none given)"));
            return -1;
        }
        for (guint i = 0; i < n; i++)
            if (memcmp(((XvNetDef *)g_ptr_array_index(def->nets, i))->mac, want->mac, 6) == 0)
                return (int)i;
        g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                    _("no device matching MAC address %s found"), mac);
        return -1;
    }
    case DEV_HOSTDEV: {
        const XvHostdevDef *want = f->dev;

        for (guint i = 0; def->hostdevs != NULL && i < def->hostdevs->len; i++)
            if (hostdev_same(g_ptr_array_index(def->hostdevs, i), want))
                return (int)i;
        if (want->type == XV_HOSTDEV_PCI)
            g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                        _("host pci device %1$04x:%2$02x:%3$02x.%4$x not found"),
                        want->domain, want->bus, want->slot, want->function);
        else if (want->usb_by_id)
            g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                        _("host usb device %1$04x:%2$04x not found"), want->usb_vendor,
                        want->usb_product);
        else
            g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                        _("host usb device %1$03u.%2$03u not found"), want->usb_bus,
                        want->usb_device);
        return -1;
    }
    case DEV_CONTROLLER: {
        const XvControllerDef *want = f->dev;

        for (guint i = 0; def->controllers != NULL && i < def->controllers->len; i++) {
            const XvControllerDef *c = g_ptr_array_index(def->controllers, i);

            if (c->type == want->type && c->index == want->index)
                return (int)i;
        }
        g_set_error(error, XV_ERROR, XV_ERROR_DEVICE_MISSING,
                    _("no %1$s controller with index %2$u"),
                    xv_controller_type_to_string(want->type), want->index);
        return -1;
    }
    }
    return -1;
}

/* For attach: refuse a device the definition already has. */
static gboolean
check_absent(const XvDomainDef *def, const DevFrag *f, GError **error)
{
    g_autoptr(GError) local = NULL;
    const XvNetDef *net = f->dev;

    if (f->kind == DEV_NET && net->mac_generated)
        return TRUE;   /* a fresh MAC */
    if (find_device(def, f, &local) < 0)
        return TRUE;
    switch (f->kind) {
    case DEV_DISK:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("target %s already exists"),
                    ((XvDiskDef *)f->dev)->dst);
        break;
    case DEV_NET: {
        g_autofree char *mac = xv_mac_format(net->mac);

        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("network device with mac %s already exists"), mac);
        break;
    }
    case DEV_HOSTDEV:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("device is already in the domain configuration"));
        break;
    case DEV_CONTROLLER:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("a %1$s controller with index %2$u already exists"),
                    xv_controller_type_to_string(((XvControllerDef *)f->dev)->type),
                    ((XvControllerDef *)f->dev)->index);
        break;
    }
    return FALSE;
}

static GPtrArray **
device_array(XvDomainDef *def, DevKind kind)
{
    switch (kind) {
    case DEV_DISK: return &def->disks;
    case DEV_NET: return &def->nets;
    case DEV_HOSTDEV: return &def->hostdevs;
    default: return &def->controllers;
    }
}

static gpointer
device_copy(const DevFrag *f)
{
    switch (f->kind) {
    case DEV_DISK: return xv_disk_def_copy(f->dev);
    case DEV_NET: return xv_net_def_copy(f->dev);
    case DEV_HOSTDEV: return xv_hostdev_def_copy(f->dev);
    default: return xv_controller_def_copy(f->dev);
    }
}

static GDestroyNotify
device_free_func(DevKind kind)
{
    switch (kind) {
    case DEV_DISK: return (GDestroyNotify)xv_disk_def_free;
    case DEV_NET: return (GDestroyNotify)xv_net_def_free;
    case DEV_HOSTDEV: return (GDestroyNotify)xv_hostdev_def_free;
    default: return (GDestroyNotify)xv_controller_def_free;
    }
}

static void
def_add_device(XvDomainDef *def, const DevFrag *f)
{
    GPtrArray **arr = device_array(def, f->kind);

    if (*arr == NULL)
        *arr = g_ptr_array_new_with_free_func(device_free_func(f->kind));
    g_ptr_array_add(*arr, device_copy(f));
}

/* ---- the host side -------------------------------------------------------- */

/* What libxl can hotplug, in libvirt's libxl driver's words. */
static gboolean
check_live(const XvDomainDef *def, const DevFrag *f, DevOp op, GError **error)
{
    switch (f->kind) {
    case DEV_DISK: {
        const XvDiskDef *disk = f->dev;

        if (disk->device != XV_DISK_DEVICE_DISK) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_UNSUPPORTED,
                        _("cdrom/floppy device hotplug isn't supported; change the medium with update-device"));
            return FALSE;
        }
        if (disk->bus != XV_DISK_BUS_XEN) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("disk bus '%s' cannot be hotplugged"), xv_disk_bus_to_string(disk->bus));
            return FALSE;
        }
        return TRUE;
    }
    case DEV_NET:
        if (((XvNetDef *)f->dev)->type != XV_NET_TYPE_HOSTDEV)
            return TRUE;
        G_GNUC_FALLTHROUGH;
    case DEV_HOSTDEV:
        if (f->kind == DEV_HOSTDEV && ((XvHostdevDef *)f->dev)->type == XV_HOSTDEV_USB)
            return TRUE;
        if (op == OP_ATTACH && def->os.type == XV_DOMAIN_OS_XENPVH) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("PCI passthrough is not supported for PVH domains by libxl 4.17"));
            return FALSE;
        }
        if (op == OP_ATTACH && def->os.type == XV_DOMAIN_OS_HVM && def->current_memory_kb &&
            def->current_memory_kb < def->memory_kb) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("PCI passthrough cannot be combined with populate-on-demand memory (currentMemory below memory)"));
            return FALSE;
        }
        return TRUE;
    case DEV_CONTROLLER: {
        const XvControllerDef *c = f->dev;

        if (c->type != XV_CONTROLLER_USB) {
            if (op == OP_ATTACH)
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("'%s' controller cannot be hot plugged"),
                            xv_controller_type_to_string(c->type));
            else
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("'%s' controller cannot be hot unplugged"),
                            xv_controller_type_to_string(c->type));
            return FALSE;
        }
        if (op == OP_DETACH) {
            for (guint i = 0; def->hostdevs != NULL && i < def->hostdevs->len; i++) {
                if (((XvHostdevDef *)g_ptr_array_index(def->hostdevs, i))->type == XV_HOSTDEV_USB) {
                    g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                                _("cannot detach USB controller %u while USB devices are attached; detach them first"),
                                c->index);
                    return FALSE;
                }
            }
        }
        return TRUE;
    }
    }
    return TRUE;
}

/* The libxl device for 'f' on domain 'def'. */
static gboolean
host_device_from_frag(XvDriver *drv, const XvDomainDef *def, const DevFrag *f,
                      XvHostDevice *out, GError **error)
{
    XvLibxlConfOptions opts;

    xv_driver_conf_options(drv, &opts);
    switch (f->kind) {
    case DEV_DISK:
        out->kind = XV_HOST_DEVICE_DISK;
        return xv_libxl_device_disk_from_def(def, f->dev, &opts, &out->u.disk, error);
    case DEV_NET:
        if (((XvNetDef *)f->dev)->type == XV_NET_TYPE_HOSTDEV) {
            out->kind = XV_HOST_DEVICE_PCI;
            xv_libxl_device_pci_from_net(f->dev, &out->u.pci);
            return TRUE;
        }
        out->kind = XV_HOST_DEVICE_NIC;
        return xv_libxl_device_nic_from_def(def, f->dev, &opts, &out->u.nic, error);
    case DEV_HOSTDEV:
        if (((XvHostdevDef *)f->dev)->type == XV_HOSTDEV_PCI) {
            out->kind = XV_HOST_DEVICE_PCI;
            xv_libxl_device_pci_from_def(f->dev, &out->u.pci);
            return TRUE;
        }
        out->kind = XV_HOST_DEVICE_USBDEV;
        if (!xv_libxl_device_usbdev_from_def(def, f->dev, &opts, &out->u.usbdev, error))
            return FALSE;
        out->u.usbdev.ctrl = -1;   /* libxl picks the controller and port */
        return TRUE;
    case DEV_CONTROLLER:
        out->kind = XV_HOST_DEVICE_USBCTRL;
        return xv_libxl_device_usbctrl_from_def(def, f->dev, &out->u.usbctrl, error);
    }
    return FALSE;
}

/* The libxl device that identifies 'f' (the device as the domain has it)
 * for removal: host.h's device_remove keys. */
static gboolean
host_device_for_remove(XvDriver *drv, const XvDomainDef *def, const DevFrag *f,
                       XvHostDevice *out, GError **error)
{
    switch (f->kind) {
    case DEV_DISK:
        out->kind = XV_HOST_DEVICE_DISK;
        libxl_device_disk_init(&out->u.disk);
        out->u.disk.vdev = g_strdup(((XvDiskDef *)f->dev)->dst);
        return TRUE;
    case DEV_NET:
        if (((XvNetDef *)f->dev)->type == XV_NET_TYPE_HOSTDEV)
            break;
        out->kind = XV_HOST_DEVICE_NIC;
        libxl_device_nic_init(&out->u.nic);
        out->u.nic.devid = -1;   /* found by its MAC */
        memcpy(out->u.nic.mac, ((XvNetDef *)f->dev)->mac, 6);
        return TRUE;
    case DEV_CONTROLLER:
        out->kind = XV_HOST_DEVICE_USBCTRL;
        libxl_device_usbctrl_init(&out->u.usbctrl);
        out->u.usbctrl.devid = (libxl_devid)((XvControllerDef *)f->dev)->index;
        return TRUE;
    default:
        break;
    }
    return host_device_from_frag(drv, def, f, out, error);
}

static void
emit_device(XvDriver *drv, XvDomainObj *dom, int event_id, const DevFrag *f)
{
    g_autofree char *name = device_name(f);
    XvDriverEvent ev = { 0 };

    if (drv->listener == NULL)
        return;
    ev.event_id = event_id;
    ev.dom = dom;
    ev.name = dom->name;
    ev.uuid = dom->uuid;
    ev.id = xv_domain_obj_get_id(dom);
    ev.device = name;
    drv->listener(drv, &ev, drv->listener_data);
}

/* ---- the operations -------------------------------------------------------- */

#define ATTACH_FLAGS XV_AFFECT_FLAGS
#define UPDATE_FLAGS (XV_AFFECT_FLAGS | VIR_DOMAIN_DEVICE_MODIFY_FORCE)

/* Common start: flags, the job, the definitions to edit, the fragment. */
static XvJobHold *
device_begin(XvDriver *drv, XvDomainObj *dom, const char *xml, guint flags, guint allowed,
             DevOp op, gboolean *live, gboolean *config, XvDomainDef **live_def,
             XvDomainDef **config_def, DevFrag *frag, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    const XvDomainDef *ref;

    if (!xv_driver_check_flags(flags, allowed, error))
        return NULL;
    hold = xv_domain_begin_modify(drv, dom,
                                  op == OP_ATTACH ? "attach-device"
                                  : op == OP_DETACH ? "detach-device" : "update-device",
                                  flags, live, config, error);
    if (hold == NULL)
        return NULL;
    xv_domain_copy_defs(dom, *live, *config, live_def, config_def);
    ref = *live_def != NULL ? *live_def : *config_def;
    if (ref == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("the domain has no definition to change"));
        return NULL;
    }
    if (!parse_fragment(ref, xml, op, frag, error))
        return NULL;
    return g_steal_pointer(&hold);
}

static void
mark_updated(XvDomainObj *dom, gboolean config)
{
    if (!config)
        return;
    g_mutex_lock(&dom->lock);
    if (dom->domid >= 0)
        dom->updated = TRUE;
    g_mutex_unlock(&dom->lock);
}

/* The end of a successful attach or detach.  As in the lifecycle
 * operations, the job ends before the event goes out. */
static void
device_done(XvDriver *drv, XvDomainObj *dom, XvJobHold **hold, XvHostDevice *hdev,
            gboolean live, gboolean config, int event_id, const DevFrag *frag)
{
    xv_host_device_dispose(hdev);
    mark_updated(dom, config && live);
    g_clear_pointer(hold, xv_job_end);
    if (live)
        emit_device(drv, dom, event_id, frag);
}

gboolean
xv_driver_domain_attach_device(XvDriver *drv, XvDomainObj *dom, const char *xml, guint flags,
                               GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    g_auto(DevFrag) frag = { 0 };
    XvHostDevice hdev = { 0 };
    gboolean live = FALSE, config = FALSE, plugged = FALSE;
    int domid = -1;

    hold = device_begin(drv, dom, xml, flags, ATTACH_FLAGS, OP_ATTACH, &live, &config,
                        &live_def, &config_def, &frag, error);
    if (hold == NULL)
        goto fail;
    if (config_def != NULL) {
        if (!check_absent(config_def, &frag, error))
            goto fail;
        def_add_device(config_def, &frag);
        if (!xv_domain_def_validate(config_def, error))
            goto fail;
    }
    if (live_def != NULL) {
        if (!check_absent(live_def, &frag, error) || !check_live(live_def, &frag, OP_ATTACH, error))
            goto fail;
        def_add_device(live_def, &frag);
        if (!xv_domain_def_validate(live_def, error) ||
            !host_device_from_frag(drv, live_def, &frag, &hdev, error))
            goto fail_dev;
        domid = xv_domain_obj_get_id(dom);
        if (xv_host_device_add(drv->host, (uint32_t)domid, &hdev, error) != 0)
            goto fail_dev;
        plugged = TRUE;
    }
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def),
                               error)) {
        if (plugged) {
            g_autoptr(GError) undo = NULL;

            if (xv_host_device_remove(drv->host, (uint32_t)domid, &hdev, &undo) != 0)
                g_warning("cannot undo the attach of a device to domain '%s': %s", dom->name,
                          undo->message);
        }
        goto fail_dev;
    }
    device_done(drv, dom, &hold, &hdev, live, config, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, &frag);
    return TRUE;

 fail_dev:
    xv_host_device_dispose(&hdev);
 fail:
    xv_error_prefix(error, _("cannot attach a device to domain '%s': "), dom->name);
    return FALSE;
}

gboolean
xv_driver_domain_detach_device(XvDriver *drv, XvDomainObj *dom, const char *xml, guint flags,
                               GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    g_auto(DevFrag) frag = { 0 };
    XvHostDevice hdev = { 0 };
    gboolean live = FALSE, config = FALSE;
    int idx, domid;

    hold = device_begin(drv, dom, xml, flags, ATTACH_FLAGS, OP_DETACH, &live, &config,
                        &live_def, &config_def, &frag, error);
    if (hold == NULL)
        goto fail;
    if (config_def != NULL) {
        idx = find_device(config_def, &frag, error);
        if (idx < 0)
            goto fail;
        g_ptr_array_remove_index(*device_array(config_def, frag.kind), (guint)idx);
        if (!xv_domain_def_validate(config_def, error))
            goto fail;
    }
    if (live_def != NULL) {
        GPtrArray *arr = *device_array(live_def, frag.kind);
        DevFrag found = { .kind = frag.kind };

        idx = find_device(live_def, &frag, error);
        if (idx < 0)
            goto fail;
        /* The device as the domain has it (the fragment may be partial). */
        found.dev = g_ptr_array_index(arr, (guint)idx);
        if (!check_live(live_def, &found, OP_DETACH, error) ||
            !host_device_for_remove(drv, live_def, &found, &hdev, error))
            goto fail_dev;
        /* Swap the fragment for the full device: the event names it. */
        dev_frag_clear(&frag);
        frag.kind = found.kind;
        frag.dev = g_ptr_array_steal_index(arr, (guint)idx);
        if (!xv_domain_def_validate(live_def, error))
            goto fail_dev;
        domid = xv_domain_obj_get_id(dom);
        if (xv_host_device_remove(drv->host, (uint32_t)domid, &hdev, error) != 0)
            goto fail_dev;
    }
    /* A config write failing after the unplug leaves the live change done:
     * the device is gone from the guest, which cannot be undone reliably. */
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def),
                               error))
        goto fail_dev;
    device_done(drv, dom, &hold, &hdev, live, config, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, &frag);
    return TRUE;

 fail_dev:
    xv_host_device_dispose(&hdev);
 fail:
    xv_error_prefix(error, _("cannot detach a device from domain '%s': "), dom->name);
    return FALSE;
}

/* Replace a disk's medium (source) with the new one's; the rest stays. */
static void
disk_set_source(XvDiskDef *disk, const XvDiskDef *from)
{
    g_free(disk->src);
    disk->src = g_strdup(from->src);
    disk->type = from->type;
    if (from->driver_name != NULL) {
        g_free(disk->driver_name);
        disk->driver_name = g_strdup(from->driver_name);
    }
    if (from->driver_type != NULL) {
        g_free(disk->driver_type);
        disk->driver_type = g_strdup(from->driver_type);
    }
    disk->readonly = from->readonly;
}

static gboolean
update_config(XvDomainDef *def, const DevFrag *frag, GError **error)
{
    int idx;

    switch (frag->kind) {
    case DEV_DISK: {
        const XvDiskDef *want = frag->dev;
        XvDiskDef *disk;

        idx = find_device(def, frag, NULL);
        if (idx < 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, _("target %s doesn't exist."),
                        want->dst);
            return FALSE;
        }
        disk = g_ptr_array_index(def->disks, (guint)idx);
        if (disk->device != want->device) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("cannot change the device type of disk %s"), want->dst);
            return FALSE;
        }
        disk_set_source(disk, want);
        return TRUE;
    }
    case DEV_NET: {
        idx = find_device(def, frag, error);
        if (idx < 0)
            return FALSE;
        g_ptr_array_remove_index(def->nets, (guint)idx);
        g_ptr_array_insert(def->nets, idx, xv_net_def_copy(frag->dev));
        return TRUE;
    }
    default:
        set_unsupported_type(OP_UPDATE, frag->element, error);
        return FALSE;
    }
}

gboolean
xv_driver_domain_update_device(XvDriver *drv, XvDomainObj *dom, const char *xml, guint flags,
                               GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    g_auto(DevFrag) frag = { 0 };
    XvHostDevice hdev = { .kind = XV_HOST_DEVICE_DISK };
    gboolean live = FALSE, config = FALSE, inserted = FALSE;
    char *old_src = NULL;
    int idx;

    hold = device_begin(drv, dom, xml, flags, UPDATE_FLAGS, OP_UPDATE, &live, &config,
                        &live_def, &config_def, &frag, error);
    if (hold == NULL)
        goto fail;
    if (config_def != NULL && (!update_config(config_def, &frag, error) ||
                               !xv_domain_def_validate(config_def, error)))
        goto fail;
    libxl_device_disk_init(&hdev.u.disk);
    if (live_def != NULL) {
        XvDiskDef *disk;

        if (frag.kind != DEV_DISK) {
            set_unsupported_type(OP_UPDATE, frag.element, error);
            goto fail_dev;
        }
        idx = find_device(live_def, &frag, error);
        if (idx < 0)
            goto fail_dev;
        disk = g_ptr_array_index(live_def->disks, (guint)idx);
        if (disk->device != XV_DISK_DEVICE_CDROM ||
            ((XvDiskDef *)frag.dev)->device != XV_DISK_DEVICE_CDROM) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("disk bus '%s' cannot be updated."), xv_disk_bus_to_string(disk->bus));
            goto fail_dev;
        }
        if (live_def->os.type != XV_DOMAIN_OS_HVM) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("cdrom %s cannot change its medium: media change needs an HVM domain"),
                        disk->dst);
            goto fail_dev;
        }
        old_src = g_strdup(disk->src);
        disk_set_source(disk, frag.dev);
        if (!xv_domain_def_validate(live_def, error) ||
            !xv_libxl_device_disk_from_def(live_def, disk, NULL, &hdev.u.disk, error))
            goto fail_dev;
        /* libxl_cdrom_insert ejects whatever is in; FORCE changes nothing
         * more on Xen (no guest-side tray lock to break). */
        if (xv_host_cdrom_insert(drv->host, (uint32_t)xv_domain_obj_get_id(dom), &hdev.u.disk,
                                 error) != 0)
            goto fail_dev;
        inserted = TRUE;
    }
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def),
                               error)) {
        if (inserted) {
            g_autoptr(GError) undo = NULL;

            g_free(hdev.u.disk.pdev_path);
            hdev.u.disk.pdev_path = g_strdup(old_src);
            if (old_src == NULL)
                hdev.u.disk.format = LIBXL_DISK_FORMAT_EMPTY;
            if (xv_host_cdrom_insert(drv->host, (uint32_t)xv_domain_obj_get_id(dom),
                                     &hdev.u.disk, &undo) != 0)
                g_warning("cannot undo the media change of domain '%s': %s", dom->name,
                          undo->message);
        }
        goto fail_dev;
    }
    g_free(old_src);
    xv_host_device_dispose(&hdev);
    mark_updated(dom, config && live);
    return TRUE;

 fail_dev:
    g_free(old_src);
    xv_host_device_dispose(&hdev);
 fail:
    xv_error_prefix(error, _("cannot update a device of domain '%s': "), dom->name);
    return FALSE;
}
