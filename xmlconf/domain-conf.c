/*
 * domain-conf.c: the domain model's enum tables, constructors, destructors,
 * deep copies and MAC helpers.  Parsing lives in domain-parse.c, formatting
 * in domain-format.c.
 */
#include <string.h>

#include <glib/gi18n.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"
#include "xmlconf/domain-conf-priv.h"

/* ---- enum tables: the strings are libvirt's XML spellings ------------ */

XV_ENUM_IMPL(xv_tristate, XvTristate, XV_TRISTATE_LAST, "", "on", "off")
XV_ENUM_IMPL(xv_tristate_bool, XvTristate, XV_TRISTATE_LAST, "", "yes", "no")
XV_ENUM_IMPL(xv_domain_os_type, XvDomainOsType, XV_DOMAIN_OS_TYPE_LAST,
             "hvm", "xen", "xenpvh")
XV_ENUM_IMPL(xv_domain_lifecycle_action, XvDomainLifecycleAction, XV_DOMAIN_LIFECYCLE_LAST,
             "destroy", "restart", "rename-restart", "preserve",
             "coredump-destroy", "coredump-restart")
XV_ENUM_IMPL(xv_domain_placement, XvDomainPlacement, XV_DOMAIN_PLACEMENT_LAST,
             "", "static", "auto")
XV_ENUM_IMPL(xv_domain_boot_dev, XvDomainBootDev, XV_DOMAIN_BOOT_LAST,
             "fd", "cdrom", "hd", "network")
XV_ENUM_IMPL(xv_domain_loader_type, XvDomainLoaderType, XV_DOMAIN_LOADER_TYPE_LAST,
             "", "rom", "pflash")
XV_ENUM_IMPL(xv_domain_firmware, XvDomainFirmware, XV_DOMAIN_FIRMWARE_LAST,
             "", "bios", "efi")
XV_ENUM_IMPL(xv_domain_feature, XvDomainFeature, XV_DOMAIN_FEATURE_LAST,
             "pae", "acpi", "apic", "hap", "viridian", "hyperv", "xen")
XV_ENUM_IMPL(xv_domain_hyperv_feature, XvDomainHypervFeature, XV_DOMAIN_HYPERV_LAST,
             "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic",
             "stimer", "reset", "vendor_id", "frequencies", "reenlightenment",
             "tlbflush", "ipi", "evmcs")
XV_ENUM_IMPL(xv_domain_hyperv_mode, XvDomainHypervMode, XV_DOMAIN_HYPERV_MODE_LAST,
             "", "custom", "passthrough")
XV_ENUM_IMPL(xv_domain_xen_passthrough_mode, XvDomainXenPassthroughMode,
             XV_DOMAIN_XEN_PASSTHROUGH_MODE_LAST, "", "sync_pt", "share_pt")
XV_ENUM_IMPL(xv_cpu_mode, XvCpuMode, XV_CPU_MODE_LAST,
             "", "custom", "host-model", "host-passthrough", "maximum")
XV_ENUM_IMPL(xv_cpu_feature_policy, XvCpuFeaturePolicy, XV_CPU_FEATURE_POLICY_LAST,
             "force", "require", "optional", "disable", "forbid")
XV_ENUM_IMPL(xv_clock_offset, XvClockOffset, XV_CLOCK_OFFSET_LAST,
             "utc", "localtime", "variable", "timezone")
XV_ENUM_IMPL(xv_timer_name, XvTimerName, XV_TIMER_NAME_LAST,
             "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock",
             "armvtimer")
XV_ENUM_IMPL(xv_timer_mode, XvTimerMode, XV_TIMER_MODE_LAST,
             "", "auto", "native", "emulate", "paravirt", "smpsafe")
XV_ENUM_IMPL(xv_timer_tickpolicy, XvTimerTickPolicy, XV_TIMER_TICKPOLICY_LAST,
             "", "delay", "catchup", "merge", "discard")
XV_ENUM_IMPL(xv_numatune_mode, XvNumatuneMode, XV_NUMATUNE_MODE_LAST,
             "strict", "preferred", "interleave", "restrictive")
XV_ENUM_IMPL(xv_disk_type, XvDiskType, XV_DISK_TYPE_LAST, "file", "block", "network")
XV_ENUM_IMPL(xv_disk_device, XvDiskDevice, XV_DISK_DEVICE_LAST, "disk", "cdrom", "floppy")
XV_ENUM_IMPL(xv_disk_bus, XvDiskBus, XV_DISK_BUS_LAST,
             "", "ide", "scsi", "xen", "usb", "sata", "fdc")
XV_ENUM_IMPL(xv_net_type, XvNetType, XV_NET_TYPE_LAST,
             "bridge", "ethernet", "network", "hostdev")
XV_ENUM_IMPL(xv_graphics_type, XvGraphicsType, XV_GRAPHICS_TYPE_LAST, "vnc", "spice", "sdl")
XV_ENUM_IMPL(xv_video_type, XvVideoType, XV_VIDEO_TYPE_LAST,
             "default", "vga", "cirrus", "xen", "qxl", "none")
XV_ENUM_IMPL(xv_input_type, XvInputType, XV_INPUT_TYPE_LAST, "mouse", "tablet", "keyboard")
XV_ENUM_IMPL(xv_input_bus, XvInputBus, XV_INPUT_BUS_LAST, "ps2", "usb", "xen")
XV_ENUM_IMPL(xv_chr_device_kind, XvChrDeviceKind, XV_CHR_DEVICE_LAST,
             "serial", "console", "channel", "parallel")
XV_ENUM_IMPL(xv_chr_type, XvChrType, XV_CHR_TYPE_LAST,
             "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix")
XV_ENUM_IMPL(xv_hostdev_type, XvHostdevType, XV_HOSTDEV_TYPE_LAST, "pci", "usb")
XV_ENUM_IMPL(xv_controller_type, XvControllerType, XV_CONTROLLER_TYPE_LAST,
             "xenbus", "usb", "ide", "scsi", "sata", "fdc", "pci")

const char *
xv_domain_def_os_type_xml(XvDomainOsType type)
{
    switch (type) {
    case XV_DOMAIN_OS_HVM:
        return "hvm";
    case XV_DOMAIN_OS_XEN:
        return "linux";
    case XV_DOMAIN_OS_XENPVH:
        return "xenpvh";
    case XV_DOMAIN_OS_TYPE_LAST:
        break;
    }
    return NULL;
}

gboolean
xv_domain_def_is_hvm(const XvDomainDef *def)
{
    return def != NULL && def->os.type == XV_DOMAIN_OS_HVM;
}

/* ---- free ------------------------------------------------------------- */

void
xv_net_host_free(XvNetHost *host)
{
    if (host == NULL)
        return;
    g_free(host->name);
    g_free(host);
}

void
xv_disk_def_free(XvDiskDef *disk)
{
    if (disk == NULL)
        return;
    g_free(disk->driver_name);
    g_free(disk->driver_type);
    g_free(disk->driver_cache);
    g_free(disk->src);
    g_free(disk->protocol);
    g_clear_pointer(&disk->hosts, g_ptr_array_unref);
    g_free(disk->auth_username);
    g_free(disk->auth_secret_type);
    g_free(disk->auth_secret_usage);
    g_free(disk->auth_secret_uuid);
    g_free(disk->dst);
    g_free(disk->script);
    g_free(disk->backend_domain);
    g_free(disk->serial);
    g_free(disk);
}

void
xv_net_ip_free(XvNetIp *ip)
{
    if (ip == NULL)
        return;
    g_free(ip->address);
    g_free(ip->family);
    g_free(ip);
}

void
xv_net_def_free(XvNetDef *net)
{
    if (net == NULL)
        return;
    g_free(net->bridge);
    g_free(net->network);
    g_free(net->portgroup);
    g_free(net->script);
    g_free(net->model);
    g_free(net->ifname);
    g_free(net->backend_domain);
    g_clear_pointer(&net->ips, g_ptr_array_unref);
    g_clear_pointer(&net->vlan_tags, g_array_unref);
    g_free(net->virtualport_type);
    g_free(net);
}

void
xv_graphics_def_free(XvGraphicsDef *graphics)
{
    if (graphics == NULL)
        return;
    g_free(graphics->listen);
    if (graphics->passwd != NULL)
        memset(graphics->passwd, 0, strlen(graphics->passwd));
    g_free(graphics->passwd);
    g_free(graphics->keymap);
    g_free(graphics->display);
    g_free(graphics->xauth);
    g_free(graphics->mouse_mode);
    g_free(graphics->spice_image_compression);
    g_free(graphics->spice_streaming_mode);
    g_free(graphics);
}

void
xv_video_def_free(XvVideoDef *video)
{
    g_free(video);
}

void
xv_input_def_free(XvInputDef *input)
{
    g_free(input);
}

void
xv_chr_def_free(XvChrDef *chr)
{
    if (chr == NULL)
        return;
    g_free(chr->path);
    g_free(chr->mode);
    g_free(chr->host);
    g_free(chr->service);
    g_free(chr->connect_host);
    g_free(chr->connect_service);
    g_free(chr->protocol);
    g_free(chr->target_type);
    g_free(chr->target_name);
    g_free(chr);
}

XvChrDef *
xv_chr_def_new_xen_console(void)
{
    XvChrDef *con = g_new0(XvChrDef, 1);

    con->kind = XV_CHR_DEVICE_CONSOLE;
    con->type = XV_CHR_TYPE_PTY;
    con->target_type = g_strdup("xen");
    con->has_port = TRUE;
    con->port = 0;
    return con;
}

void
xv_hostdev_def_free(XvHostdevDef *hostdev)
{
    if (hostdev == NULL)
        return;
    g_free(hostdev->driver_name);
    g_free(hostdev);
}

void
xv_controller_def_free(XvControllerDef *controller)
{
    if (controller == NULL)
        return;
    g_free(controller->model);
    g_free(controller);
}

void
xv_sound_def_free(XvSoundDef *sound)
{
    if (sound == NULL)
        return;
    g_free(sound->model);
    g_free(sound);
}

void
xv_memballoon_def_free(XvMemballoonDef *memballoon)
{
    if (memballoon == NULL)
        return;
    g_free(memballoon->model);
    g_free(memballoon);
}

void
xv_timer_def_free(XvTimerDef *timer)
{
    g_free(timer);
}

void
xv_vcpu_pin_free(XvVcpuPin *pin)
{
    if (pin == NULL)
        return;
    g_clear_pointer(&pin->cpuset, xv_bitmap_free);
    g_free(pin);
}

void
xv_numa_cell_free(XvNumaCell *cell)
{
    if (cell == NULL)
        return;
    g_clear_pointer(&cell->cpus, xv_bitmap_free);
    g_clear_pointer(&cell->distances, g_array_unref);
    g_free(cell);
}

void
xv_cpu_feature_free(XvCpuFeature *feature)
{
    if (feature == NULL)
        return;
    g_free(feature->name);
    g_free(feature);
}

static void
xv_domain_os_def_clear(XvDomainOsDef *os)
{
    g_free(os->arch);
    g_free(os->machine);
    g_free(os->loader);
    g_free(os->loader_format);
    g_free(os->nvram);
    g_free(os->nvram_template);
    g_free(os->kernel);
    g_free(os->initrd);
    g_free(os->cmdline);
    g_free(os->dtb);
    g_free(os->bootloader);
    g_free(os->bootloader_args);
    g_free(os->acpi_table_type);
    g_free(os->acpi_table);
}

void
xv_domain_def_free(XvDomainDef *def)
{
    if (def == NULL)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->metadata_xml);
    g_clear_pointer(&def->cpuset, xv_bitmap_free);
    g_clear_pointer(&def->cputune.vcpupins, g_ptr_array_unref);
    g_clear_pointer(&def->numatune.nodeset, xv_bitmap_free);
    xv_domain_os_def_clear(&def->os);
    g_free(def->features.hyperv_vendor_id);
    g_free(def->cpu.match);
    g_free(def->cpu.check);
    g_free(def->cpu.model);
    g_free(def->cpu.vendor);
    g_clear_pointer(&def->cpu.features, g_ptr_array_unref);
    g_clear_pointer(&def->cpu.cells, g_ptr_array_unref);
    g_free(def->clock.basis);
    g_free(def->clock.timezone);
    g_clear_pointer(&def->clock.timers, g_ptr_array_unref);
    g_free(def->emulator);
    g_clear_pointer(&def->disks, g_ptr_array_unref);
    g_clear_pointer(&def->controllers, g_ptr_array_unref);
    g_clear_pointer(&def->nets, g_ptr_array_unref);
    g_clear_pointer(&def->hostdevs, g_ptr_array_unref);
    g_clear_pointer(&def->serials, g_ptr_array_unref);
    g_clear_pointer(&def->consoles, g_ptr_array_unref);
    g_clear_pointer(&def->channels, g_ptr_array_unref);
    g_clear_pointer(&def->inputs, g_ptr_array_unref);
    g_clear_pointer(&def->graphics, g_ptr_array_unref);
    g_clear_pointer(&def->videos, g_ptr_array_unref);
    g_clear_pointer(&def->sounds, g_ptr_array_unref);
    g_clear_pointer(&def->memballoon, xv_memballoon_def_free);
    g_clear_pointer(&def->xen_args, g_ptr_array_unref);
    g_free(def);
}

/* ---- new -------------------------------------------------------------- */

XvDomainDef *
xv_domain_def_new(void)
{
    XvDomainDef *def = g_new0(XvDomainDef, 1);

    def->id = -1;
    def->on_poweroff = XV_DOMAIN_LIFECYCLE_DESTROY;
    def->on_reboot = XV_DOMAIN_LIFECYCLE_RESTART;
    def->on_crash = XV_DOMAIN_LIFECYCLE_DESTROY;
    def->clock.offset = XV_CLOCK_OFFSET_UTC;
    def->cputune.vcpupins = g_ptr_array_new_with_free_func((GDestroyNotify)xv_vcpu_pin_free);
    def->cpu.features = g_ptr_array_new_with_free_func((GDestroyNotify)xv_cpu_feature_free);
    def->cpu.cells = g_ptr_array_new_with_free_func((GDestroyNotify)xv_numa_cell_free);
    def->clock.timers = g_ptr_array_new_with_free_func((GDestroyNotify)xv_timer_def_free);
    def->disks = g_ptr_array_new_with_free_func((GDestroyNotify)xv_disk_def_free);
    def->controllers = g_ptr_array_new_with_free_func((GDestroyNotify)xv_controller_def_free);
    def->nets = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_def_free);
    def->hostdevs = g_ptr_array_new_with_free_func((GDestroyNotify)xv_hostdev_def_free);
    def->serials = g_ptr_array_new_with_free_func((GDestroyNotify)xv_chr_def_free);
    def->consoles = g_ptr_array_new_with_free_func((GDestroyNotify)xv_chr_def_free);
    def->channels = g_ptr_array_new_with_free_func((GDestroyNotify)xv_chr_def_free);
    def->inputs = g_ptr_array_new_with_free_func((GDestroyNotify)xv_input_def_free);
    def->graphics = g_ptr_array_new_with_free_func((GDestroyNotify)xv_graphics_def_free);
    def->videos = g_ptr_array_new_with_free_func((GDestroyNotify)xv_video_def_free);
    def->sounds = g_ptr_array_new_with_free_func((GDestroyNotify)xv_sound_def_free);
    def->xen_args = g_ptr_array_new_with_free_func(g_free);
    return def;
}

/* ---- deep copies ------------------------------------------------------ */

static GPtrArray *
ptr_array_copy(const GPtrArray *src, GCopyFunc copy, GDestroyNotify free_func)
{
    GPtrArray *dst;

    if (src == NULL)
        return NULL;
    dst = g_ptr_array_new_full(src->len, free_func);
    for (guint i = 0; i < src->len; i++)
        g_ptr_array_add(dst, copy(g_ptr_array_index(src, i), NULL));
    return dst;
}

static GArray *
array_copy(const GArray *src)
{
    GArray *dst;

    if (src == NULL)
        return NULL;
    dst = g_array_sized_new(FALSE, TRUE, g_array_get_element_size((GArray *)src), src->len);
    g_array_append_vals(dst, src->data, src->len);
    return dst;
}

static gpointer
net_host_copy(gconstpointer src, gpointer unused)
{
    const XvNetHost *h = src;
    XvNetHost *c = g_new0(XvNetHost, 1);

    c->name = g_strdup(h->name);
    c->port = h->port;
    return c;
}

XvDiskDef *
xv_disk_def_copy(const XvDiskDef *disk)
{
    XvDiskDef *c = g_memdup2(disk, sizeof(*disk));

    c->driver_name = g_strdup(disk->driver_name);
    c->driver_type = g_strdup(disk->driver_type);
    c->driver_cache = g_strdup(disk->driver_cache);
    c->src = g_strdup(disk->src);
    c->protocol = g_strdup(disk->protocol);
    c->hosts = ptr_array_copy(disk->hosts, net_host_copy, (GDestroyNotify)xv_net_host_free);
    c->auth_username = g_strdup(disk->auth_username);
    c->auth_secret_type = g_strdup(disk->auth_secret_type);
    c->auth_secret_usage = g_strdup(disk->auth_secret_usage);
    c->auth_secret_uuid = g_strdup(disk->auth_secret_uuid);
    c->dst = g_strdup(disk->dst);
    c->script = g_strdup(disk->script);
    c->backend_domain = g_strdup(disk->backend_domain);
    c->serial = g_strdup(disk->serial);
    return c;
}

static gpointer
net_ip_copy(gconstpointer src, gpointer unused)
{
    const XvNetIp *ip = src;
    XvNetIp *c = g_new0(XvNetIp, 1);

    c->address = g_strdup(ip->address);
    c->prefix = ip->prefix;
    c->family = g_strdup(ip->family);
    return c;
}

XvNetDef *
xv_net_def_copy(const XvNetDef *net)
{
    XvNetDef *c = g_memdup2(net, sizeof(*net));

    c->bridge = g_strdup(net->bridge);
    c->network = g_strdup(net->network);
    c->portgroup = g_strdup(net->portgroup);
    c->script = g_strdup(net->script);
    c->model = g_strdup(net->model);
    c->ifname = g_strdup(net->ifname);
    c->backend_domain = g_strdup(net->backend_domain);
    c->ips = ptr_array_copy(net->ips, net_ip_copy, (GDestroyNotify)xv_net_ip_free);
    c->vlan_tags = array_copy(net->vlan_tags);
    c->virtualport_type = g_strdup(net->virtualport_type);
    return c;
}

XvGraphicsDef *
xv_graphics_def_copy(const XvGraphicsDef *graphics)
{
    XvGraphicsDef *c = g_memdup2(graphics, sizeof(*graphics));

    c->listen = g_strdup(graphics->listen);
    c->passwd = g_strdup(graphics->passwd);
    c->keymap = g_strdup(graphics->keymap);
    c->display = g_strdup(graphics->display);
    c->xauth = g_strdup(graphics->xauth);
    c->mouse_mode = g_strdup(graphics->mouse_mode);
    c->spice_image_compression = g_strdup(graphics->spice_image_compression);
    c->spice_streaming_mode = g_strdup(graphics->spice_streaming_mode);
    return c;
}

XvVideoDef *
xv_video_def_copy(const XvVideoDef *video)
{
    return g_memdup2(video, sizeof(*video));
}

XvInputDef *
xv_input_def_copy(const XvInputDef *input)
{
    return g_memdup2(input, sizeof(*input));
}

XvChrDef *
xv_chr_def_copy(const XvChrDef *chr)
{
    XvChrDef *c = g_memdup2(chr, sizeof(*chr));

    c->path = g_strdup(chr->path);
    c->mode = g_strdup(chr->mode);
    c->host = g_strdup(chr->host);
    c->service = g_strdup(chr->service);
    c->connect_host = g_strdup(chr->connect_host);
    c->connect_service = g_strdup(chr->connect_service);
    c->protocol = g_strdup(chr->protocol);
    c->target_type = g_strdup(chr->target_type);
    c->target_name = g_strdup(chr->target_name);
    return c;
}

XvHostdevDef *
xv_hostdev_def_copy(const XvHostdevDef *hostdev)
{
    XvHostdevDef *c = g_memdup2(hostdev, sizeof(*hostdev));

    c->driver_name = g_strdup(hostdev->driver_name);
    return c;
}

XvControllerDef *
xv_controller_def_copy(const XvControllerDef *controller)
{
    XvControllerDef *c = g_memdup2(controller, sizeof(*controller));

    c->model = g_strdup(controller->model);
    return c;
}

XvSoundDef *
xv_sound_def_copy(const XvSoundDef *sound)
{
    XvSoundDef *c = g_new0(XvSoundDef, 1);

    c->model = g_strdup(sound->model);
    return c;
}

static gpointer
vcpu_pin_copy(gconstpointer src, gpointer unused)
{
    const XvVcpuPin *pin = src;
    XvVcpuPin *c = g_new0(XvVcpuPin, 1);

    c->vcpu = pin->vcpu;
    c->cpuset = pin->cpuset ? xv_bitmap_copy(pin->cpuset) : NULL;
    return c;
}

static gpointer
numa_cell_copy(gconstpointer src, gpointer unused)
{
    const XvNumaCell *cell = src;
    XvNumaCell *c = g_new0(XvNumaCell, 1);

    c->id = cell->id;
    c->cpus = cell->cpus ? xv_bitmap_copy(cell->cpus) : NULL;
    c->memory_kb = cell->memory_kb;
    c->distances = array_copy(cell->distances);
    return c;
}

static gpointer
cpu_feature_copy(gconstpointer src, gpointer unused)
{
    const XvCpuFeature *f = src;
    XvCpuFeature *c = g_new0(XvCpuFeature, 1);

    c->name = g_strdup(f->name);
    c->policy = f->policy;
    return c;
}

static gpointer
string_copy(gconstpointer src, gpointer unused)
{
    return g_strdup(src);
}

static gpointer
timer_copy(gconstpointer src, gpointer unused)
{
    return g_memdup2(src, sizeof(XvTimerDef));
}

/* Adapters from the typed copy functions to GCopyFunc. */
#define XV_COPY_ADAPTER(fn, type) \
    static gpointer fn##_adapter(gconstpointer src, gpointer unused) \
    { \
        return fn((const type *)src); \
    }
XV_COPY_ADAPTER(xv_disk_def_copy, XvDiskDef)
XV_COPY_ADAPTER(xv_net_def_copy, XvNetDef)
XV_COPY_ADAPTER(xv_graphics_def_copy, XvGraphicsDef)
XV_COPY_ADAPTER(xv_video_def_copy, XvVideoDef)
XV_COPY_ADAPTER(xv_input_def_copy, XvInputDef)
XV_COPY_ADAPTER(xv_chr_def_copy, XvChrDef)
XV_COPY_ADAPTER(xv_hostdev_def_copy, XvHostdevDef)
XV_COPY_ADAPTER(xv_controller_def_copy, XvControllerDef)
XV_COPY_ADAPTER(xv_sound_def_copy, XvSoundDef)
#undef XV_COPY_ADAPTER

XvDomainDef *
xv_domain_def_copy(const XvDomainDef *def)
{
    XvDomainDef *c;

    g_return_val_if_fail(def != NULL, NULL);

    /* Scalars and fixed arrays by value, then every pointer replaced. */
    c = g_memdup2(def, sizeof(*def));
    c->name = g_strdup(def->name);
    c->title = g_strdup(def->title);
    c->description = g_strdup(def->description);
    c->metadata_xml = g_strdup(def->metadata_xml);
    c->cpuset = def->cpuset ? xv_bitmap_copy(def->cpuset) : NULL;

    c->cputune.vcpupins = ptr_array_copy(def->cputune.vcpupins, vcpu_pin_copy,
                                         (GDestroyNotify)xv_vcpu_pin_free);
    c->numatune.nodeset = def->numatune.nodeset ? xv_bitmap_copy(def->numatune.nodeset) : NULL;

    c->os.arch = g_strdup(def->os.arch);
    c->os.machine = g_strdup(def->os.machine);
    c->os.loader = g_strdup(def->os.loader);
    c->os.loader_format = g_strdup(def->os.loader_format);
    c->os.nvram = g_strdup(def->os.nvram);
    c->os.nvram_template = g_strdup(def->os.nvram_template);
    c->os.kernel = g_strdup(def->os.kernel);
    c->os.initrd = g_strdup(def->os.initrd);
    c->os.cmdline = g_strdup(def->os.cmdline);
    c->os.dtb = g_strdup(def->os.dtb);
    c->os.bootloader = g_strdup(def->os.bootloader);
    c->os.bootloader_args = g_strdup(def->os.bootloader_args);
    c->os.acpi_table_type = g_strdup(def->os.acpi_table_type);
    c->os.acpi_table = g_strdup(def->os.acpi_table);

    c->features.hyperv_vendor_id = g_strdup(def->features.hyperv_vendor_id);

    c->cpu.match = g_strdup(def->cpu.match);
    c->cpu.check = g_strdup(def->cpu.check);
    c->cpu.model = g_strdup(def->cpu.model);
    c->cpu.vendor = g_strdup(def->cpu.vendor);
    c->cpu.features = ptr_array_copy(def->cpu.features, cpu_feature_copy,
                                     (GDestroyNotify)xv_cpu_feature_free);
    c->cpu.cells = ptr_array_copy(def->cpu.cells, numa_cell_copy,
                                  (GDestroyNotify)xv_numa_cell_free);

    c->clock.basis = g_strdup(def->clock.basis);
    c->clock.timezone = g_strdup(def->clock.timezone);
    c->clock.timers = ptr_array_copy(def->clock.timers, timer_copy,
                                     (GDestroyNotify)xv_timer_def_free);

    c->emulator = g_strdup(def->emulator);
    c->disks = ptr_array_copy(def->disks, xv_disk_def_copy_adapter,
                              (GDestroyNotify)xv_disk_def_free);
    c->controllers = ptr_array_copy(def->controllers, xv_controller_def_copy_adapter,
                                    (GDestroyNotify)xv_controller_def_free);
    c->nets = ptr_array_copy(def->nets, xv_net_def_copy_adapter,
                             (GDestroyNotify)xv_net_def_free);
    c->hostdevs = ptr_array_copy(def->hostdevs, xv_hostdev_def_copy_adapter,
                                 (GDestroyNotify)xv_hostdev_def_free);
    c->serials = ptr_array_copy(def->serials, xv_chr_def_copy_adapter,
                                (GDestroyNotify)xv_chr_def_free);
    c->consoles = ptr_array_copy(def->consoles, xv_chr_def_copy_adapter,
                                 (GDestroyNotify)xv_chr_def_free);
    c->channels = ptr_array_copy(def->channels, xv_chr_def_copy_adapter,
                                 (GDestroyNotify)xv_chr_def_free);
    c->inputs = ptr_array_copy(def->inputs, xv_input_def_copy_adapter,
                               (GDestroyNotify)xv_input_def_free);
    c->graphics = ptr_array_copy(def->graphics, xv_graphics_def_copy_adapter,
                                 (GDestroyNotify)xv_graphics_def_free);
    c->videos = ptr_array_copy(def->videos, xv_video_def_copy_adapter,
                               (GDestroyNotify)xv_video_def_free);
    c->sounds = ptr_array_copy(def->sounds, xv_sound_def_copy_adapter,
                               (GDestroyNotify)xv_sound_def_free);
    if (def->memballoon != NULL) {
        c->memballoon = g_new0(XvMemballoonDef, 1);
        c->memballoon->model = g_strdup(def->memballoon->model);
        c->memballoon->period = def->memballoon->period;
    }
    c->xen_args = ptr_array_copy(def->xen_args, string_copy, g_free);
    return c;
}

/* ---- MAC addresses ---------------------------------------------------- */

gboolean
xv_mac_parse(const char *str, guchar mac[6], GError **error)
{
    const char *p = str;

    /* libvirt's virMacAddrParse: six groups of one or two hex digits,
     * separated by ':', nothing after. */
    for (int i = 0; p != NULL && i < 6; i++) {
        guint value = 0;
        int ndigits = 0;

        while (ndigits < 2 && g_ascii_isxdigit(*p)) {
            value = value * 16 + (guint)g_ascii_xdigit_value(*p);
            p++;
            ndigits++;
        }
        if (ndigits == 0)
            break;
        mac[i] = (guchar)value;
        if (i == 5) {
            if (*p == '\0')
                return TRUE;
            break;
        }
        if (*p != ':')
            break;
        p++;
    }
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_MAC,
                _("'%s' is not a valid MAC address."), str ? str : "");
    return FALSE;
}

char *
xv_mac_format(const guchar mac[6])
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x",
                           mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
xv_mac_generate(guchar mac[6])
{
    guint32 r = g_random_int();

    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = (r >> 16) & 0xff;
    mac[4] = (r >> 8) & 0xff;
    mac[5] = r & 0xff;
}

gboolean
xv_mac_is_multicast(const guchar mac[6])
{
    return (mac[0] & 0x01) != 0;
}
