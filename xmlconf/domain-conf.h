/*
 * domain-conf.h: xenvirt's domain model (XvDomainDef) and libvirt domain XML.
 *
 * Contract
 * --------
 * - XvDomainDef is a plain value: no locks, no references.  Whoever holds a
 *   pointer owns it or borrows it from an owner that guarantees its lifetime
 *   (the driver keeps definitions immutable once published and swaps whole
 *   definitions instead of editing shared ones).  xv_domain_def_copy() gives
 *   an independent deep copy.
 * - Every string field is owned by the struct (g_free'd by
 *   xv_domain_def_free()); every array is a GPtrArray that owns its elements
 *   through their _free function.  NULL string means "absent".
 * - Memory sizes are KiB, as in libvirt's XML after unit conversion.
 * - xv_domain_def_parse() parses, fills defaults and implicit devices the way
 *   libvirt's post-parse does (console for the first serial, xenbus
 *   controller, memballoon, MACs in 00:16:3e, input and video for graphics),
 *   then validates.  A def it returns always passes
 *   xv_domain_def_validate().  On error it returns NULL and sets an XV_ERROR
 *   whose message names the element and the reason; nothing is half-built.
 * - xv_domain_def_format() emits canonical libvirt XML: element order, indent
 *   (two spaces) and attribute order as libvirt's virDomainDefFormat, so the
 *   output validates with `virt-xml-validate FILE domain` and diffs cleanly
 *   against libvirt's own.  Format(parse(x)) is a fixed point.
 * - The parser is safe for untrusted input: no network, no DTD, no external
 *   entities, no entity expansion, and at most XV_DOMAIN_XML_MAX_BYTES.
 * - Pure: no daemon, no libxl calls, no global state; callable from any
 *   thread.
 */
#pragma once

#include <glib.h>

#include "util/xv-bitmap.h"
#include "util/xv-enum.h"
#include "util/xv-names.h"

G_BEGIN_DECLS

#define XV_DOMAIN_XML_MAX_BYTES (10u * 1024u * 1024u)
#define XV_DOMAIN_MAX_VCPUS 4096u
/* Hostile-input bounds: devices in one <devices>, and the highest disk
 * controller index (drive addresses, explicit or derived from a target). */
#define XV_DOMAIN_MAX_DEVICES 4096u
#define XV_DOMAIN_MAX_DISK_CONTROLLER 31u
#define XV_DOMAIN_XEN_NS "http://libvirt.org/schemas/domain/xen/1.0"

/* Tristate for <feature state='on|off'> and attributes that may be absent. */
typedef enum {
    XV_TRISTATE_ABSENT = 0,
    XV_TRISTATE_ON,
    XV_TRISTATE_OFF,
    XV_TRISTATE_LAST
} XvTristate;
XV_ENUM_DECL(xv_tristate, XvTristate);            /* "", "on", "off" */
XV_ENUM_DECL(xv_tristate_bool, XvTristate);       /* "", "yes", "no" */

typedef enum {
    XV_DOMAIN_OS_HVM = 0,
    XV_DOMAIN_OS_XEN,          /* PV; written as "linux" in XML */
    XV_DOMAIN_OS_XENPVH,
    XV_DOMAIN_OS_TYPE_LAST
} XvDomainOsType;
XV_ENUM_DECL(xv_domain_os_type, XvDomainOsType);  /* "hvm", "xen", "xenpvh" */

typedef enum {
    XV_DOMAIN_LIFECYCLE_DESTROY = 0,
    XV_DOMAIN_LIFECYCLE_RESTART,
    XV_DOMAIN_LIFECYCLE_RENAME_RESTART,
    XV_DOMAIN_LIFECYCLE_PRESERVE,
    XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    XV_DOMAIN_LIFECYCLE_LAST
} XvDomainLifecycleAction;
XV_ENUM_DECL(xv_domain_lifecycle_action, XvDomainLifecycleAction);

typedef enum {
    XV_DOMAIN_PLACEMENT_DEFAULT = 0,   /* attribute absent */
    XV_DOMAIN_PLACEMENT_STATIC,
    XV_DOMAIN_PLACEMENT_AUTO,
    XV_DOMAIN_PLACEMENT_LAST
} XvDomainPlacement;
XV_ENUM_DECL(xv_domain_placement, XvDomainPlacement); /* "", "static", "auto" */

typedef enum {
    XV_DOMAIN_BOOT_FLOPPY = 0,
    XV_DOMAIN_BOOT_CDROM,
    XV_DOMAIN_BOOT_DISK,
    XV_DOMAIN_BOOT_NET,
    XV_DOMAIN_BOOT_LAST
} XvDomainBootDev;
XV_ENUM_DECL(xv_domain_boot_dev, XvDomainBootDev); /* "fd", "cdrom", "hd", "network" */

typedef enum {
    XV_DOMAIN_LOADER_TYPE_NONE = 0,
    XV_DOMAIN_LOADER_TYPE_ROM,
    XV_DOMAIN_LOADER_TYPE_PFLASH,
    XV_DOMAIN_LOADER_TYPE_LAST
} XvDomainLoaderType;
XV_ENUM_DECL(xv_domain_loader_type, XvDomainLoaderType); /* "", "rom", "pflash" */

/* <os firmware='...'> */
typedef enum {
    XV_DOMAIN_FIRMWARE_NONE = 0,
    XV_DOMAIN_FIRMWARE_BIOS,
    XV_DOMAIN_FIRMWARE_EFI,
    XV_DOMAIN_FIRMWARE_LAST
} XvDomainFirmware;
XV_ENUM_DECL(xv_domain_firmware, XvDomainFirmware); /* "", "bios", "efi" */

typedef struct {
    XvDomainOsType type;
    char *arch;                 /* "x86_64", "i686", NULL = host default */
    char *machine;              /* "xenfv", "xenpv", "xenpvh", NULL */
    XvDomainFirmware firmware;
    char *loader;               /* path */
    XvDomainLoaderType loader_type;
    XvTristate loader_readonly; /* readonly='yes|no' */
    XvTristate loader_secure;
    char *loader_format;        /* format='raw' as libvirt writes it, or NULL */
    char *nvram;                /* path */
    char *nvram_template;
    char *kernel;
    char *initrd;
    char *cmdline;
    char *dtb;
    XvDomainBootDev boot[XV_DOMAIN_BOOT_LAST];
    guint nboot;
    XvTristate bootmenu;        /* <bootmenu enable='yes|no'/> */
    char *bootloader;           /* top-level <bootloader> (PV) */
    char *bootloader_args;      /* top-level <bootloader_args> */
    /* <os><acpi><table type='slic'>PATH</table></acpi> (xl: acpi_firmware) */
    char *acpi_table_type;      /* "slic" (the only type Xen takes), or NULL */
    char *acpi_table;           /* path, or NULL */
} XvDomainOsDef;

/* <features> */
typedef enum {
    XV_DOMAIN_FEATURE_PAE = 0,
    XV_DOMAIN_FEATURE_ACPI,
    XV_DOMAIN_FEATURE_APIC,
    XV_DOMAIN_FEATURE_HAP,
    XV_DOMAIN_FEATURE_VIRIDIAN,
    XV_DOMAIN_FEATURE_HYPERV,
    XV_DOMAIN_FEATURE_XEN,
    XV_DOMAIN_FEATURE_LAST
} XvDomainFeature;
XV_ENUM_DECL(xv_domain_feature, XvDomainFeature);
/* "pae", "acpi", "apic", "hap", "viridian", "hyperv", "xen" */

typedef enum {
    XV_DOMAIN_HYPERV_RELAXED = 0,
    XV_DOMAIN_HYPERV_VAPIC,
    XV_DOMAIN_HYPERV_SPINLOCKS,
    XV_DOMAIN_HYPERV_VPINDEX,
    XV_DOMAIN_HYPERV_RUNTIME,
    XV_DOMAIN_HYPERV_SYNIC,
    XV_DOMAIN_HYPERV_STIMER,
    XV_DOMAIN_HYPERV_RESET,
    XV_DOMAIN_HYPERV_VENDOR_ID,
    XV_DOMAIN_HYPERV_FREQUENCIES,
    XV_DOMAIN_HYPERV_REENLIGHTENMENT,
    XV_DOMAIN_HYPERV_TLBFLUSH,
    XV_DOMAIN_HYPERV_IPI,
    XV_DOMAIN_HYPERV_EVMCS,
    XV_DOMAIN_HYPERV_LAST
} XvDomainHypervFeature;
XV_ENUM_DECL(xv_domain_hyperv_feature, XvDomainHypervFeature);

typedef enum {
    XV_DOMAIN_HYPERV_MODE_NONE = 0,
    XV_DOMAIN_HYPERV_MODE_CUSTOM,
    XV_DOMAIN_HYPERV_MODE_PASSTHROUGH,
    XV_DOMAIN_HYPERV_MODE_LAST
} XvDomainHypervMode;
XV_ENUM_DECL(xv_domain_hyperv_mode, XvDomainHypervMode); /* "", "custom", "passthrough" */

typedef enum {
    XV_DOMAIN_XEN_PASSTHROUGH_MODE_DEFAULT = 0,
    XV_DOMAIN_XEN_PASSTHROUGH_MODE_SYNC_PT,
    XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT,
    XV_DOMAIN_XEN_PASSTHROUGH_MODE_LAST
} XvDomainXenPassthroughMode;
XV_ENUM_DECL(xv_domain_xen_passthrough_mode, XvDomainXenPassthroughMode); /* "", "sync_pt", "share_pt" */

typedef struct {
    /* Indexed by XvDomainFeature.  For pae/acpi/apic/viridian a bare element
     * is ON; hap and others may carry state='on|off'. */
    XvTristate state[XV_DOMAIN_FEATURE_LAST];
    XvDomainHypervMode hyperv_mode;
    XvTristate hyperv[XV_DOMAIN_HYPERV_LAST];
    guint hyperv_spinlocks_retries;
    char *hyperv_vendor_id;
    /* <xen><e820_host state=/><passthrough state= mode=/></xen> */
    XvTristate xen_e820_host;
    XvTristate xen_passthrough;
    XvDomainXenPassthroughMode xen_passthrough_mode;
} XvDomainFeatures;

/* <cpu> */
typedef enum {
    XV_CPU_MODE_NONE = 0,        /* no mode attribute */
    XV_CPU_MODE_CUSTOM,
    XV_CPU_MODE_HOST_MODEL,
    XV_CPU_MODE_HOST_PASSTHROUGH,
    XV_CPU_MODE_MAXIMUM,
    XV_CPU_MODE_LAST
} XvCpuMode;
XV_ENUM_DECL(xv_cpu_mode, XvCpuMode);

typedef enum {
    XV_CPU_FEATURE_FORCE = 0,
    XV_CPU_FEATURE_REQUIRE,
    XV_CPU_FEATURE_OPTIONAL,
    XV_CPU_FEATURE_DISABLE,
    XV_CPU_FEATURE_FORBID,
    XV_CPU_FEATURE_POLICY_LAST
} XvCpuFeaturePolicy;
XV_ENUM_DECL(xv_cpu_feature_policy, XvCpuFeaturePolicy);

typedef struct {
    char *name;
    XvCpuFeaturePolicy policy;
} XvCpuFeature;

typedef struct {
    guint id;
    XvBitmap *cpus;
    guint64 memory_kb;
    /* guint, indexed by sibling cell id, length = number of cells; 0 means
     * "no <sibling> for that cell".  The parser completes the matrix
     * symmetrically and sets the local distance to 10 as libvirt does.
     * NULL when the cell has no <distances>. */
    GArray *distances;
} XvNumaCell;

typedef struct {
    XvCpuMode mode;
    char *match;                /* "exact", "minimum", "strict" or NULL */
    char *check;                /* "none", "partial", "full" or NULL */
    char *model;                /* custom model name, or NULL */
    char *vendor;
    guint sockets, dies, cores, threads;   /* <topology>, 0 = absent */
    GPtrArray *features;        /* XvCpuFeature */
    GPtrArray *cells;           /* XvNumaCell, vNUMA; ids 0..n-1 */
} XvCpuDef;

/* <clock> */
typedef enum {
    XV_CLOCK_OFFSET_UTC = 0,
    XV_CLOCK_OFFSET_LOCALTIME,
    XV_CLOCK_OFFSET_VARIABLE,
    XV_CLOCK_OFFSET_TIMEZONE,
    XV_CLOCK_OFFSET_LAST
} XvClockOffset;
XV_ENUM_DECL(xv_clock_offset, XvClockOffset);

typedef enum {
    XV_TIMER_PLATFORM = 0,
    XV_TIMER_PIT,
    XV_TIMER_RTC,
    XV_TIMER_HPET,
    XV_TIMER_TSC,
    XV_TIMER_KVMCLOCK,
    XV_TIMER_HYPERVCLOCK,
    XV_TIMER_ARMVTIMER,
    XV_TIMER_NAME_LAST
} XvTimerName;
XV_ENUM_DECL(xv_timer_name, XvTimerName);

typedef enum {
    XV_TIMER_MODE_NONE = 0,
    XV_TIMER_MODE_AUTO,
    XV_TIMER_MODE_NATIVE,
    XV_TIMER_MODE_EMULATE,
    XV_TIMER_MODE_PARAVIRT,
    XV_TIMER_MODE_SMPSAFE,
    XV_TIMER_MODE_LAST
} XvTimerMode;
XV_ENUM_DECL(xv_timer_mode, XvTimerMode);

typedef enum {
    XV_TIMER_TICKPOLICY_NONE = 0,
    XV_TIMER_TICKPOLICY_DELAY,
    XV_TIMER_TICKPOLICY_CATCHUP,
    XV_TIMER_TICKPOLICY_MERGE,
    XV_TIMER_TICKPOLICY_DISCARD,
    XV_TIMER_TICKPOLICY_LAST
} XvTimerTickPolicy;
XV_ENUM_DECL(xv_timer_tickpolicy, XvTimerTickPolicy);

typedef struct {
    XvTimerName name;
    XvTristate present;          /* present='yes|no' */
    XvTimerMode mode;
    XvTimerTickPolicy tickpolicy;
    guint64 frequency;           /* 0 = absent */
} XvTimerDef;

typedef struct {
    XvClockOffset offset;
    /* variable: adjustment seconds and basis ("utc"/"localtime") */
    gboolean has_adjustment;
    gint64 adjustment;
    char *basis;
    /* utc/localtime: adjustment='reset' */
    gboolean adjustment_reset;
    char *timezone;
    GPtrArray *timers;           /* XvTimerDef */
} XvClockDef;

/* <cputune> */
typedef struct {
    guint vcpu;
    XvBitmap *cpuset;
} XvVcpuPin;

typedef struct {
    gboolean has_shares;
    guint64 shares;
    gboolean has_period;
    guint64 period;
    gboolean has_quota;
    gint64 quota;
    GPtrArray *vcpupins;         /* XvVcpuPin, sorted by vcpu, unique */
} XvCputuneDef;

/* <numatune> */
typedef enum {
    XV_NUMATUNE_MODE_STRICT = 0,
    XV_NUMATUNE_MODE_PREFERRED,
    XV_NUMATUNE_MODE_INTERLEAVE,
    XV_NUMATUNE_MODE_RESTRICTIVE,
    XV_NUMATUNE_MODE_LAST
} XvNumatuneMode;
XV_ENUM_DECL(xv_numatune_mode, XvNumatuneMode);

typedef struct {
    gboolean present;            /* <numatune><memory .../></numatune> given */
    XvNumatuneMode mode;
    XvDomainPlacement placement;
    XvBitmap *nodeset;           /* NULL when placement='auto' */
} XvNumatuneDef;

/* ---- devices ---------------------------------------------------------- */

typedef enum {
    XV_DISK_TYPE_FILE = 0,
    XV_DISK_TYPE_BLOCK,
    XV_DISK_TYPE_NETWORK,
    XV_DISK_TYPE_LAST
} XvDiskType;
XV_ENUM_DECL(xv_disk_type, XvDiskType);

typedef enum {
    XV_DISK_DEVICE_DISK = 0,
    XV_DISK_DEVICE_CDROM,
    XV_DISK_DEVICE_FLOPPY,
    XV_DISK_DEVICE_LAST
} XvDiskDevice;
XV_ENUM_DECL(xv_disk_device, XvDiskDevice);

typedef enum {
    XV_DISK_BUS_NONE = 0,        /* absent: derived from the target prefix */
    XV_DISK_BUS_IDE,
    XV_DISK_BUS_SCSI,
    XV_DISK_BUS_XEN,
    XV_DISK_BUS_USB,
    XV_DISK_BUS_SATA,
    XV_DISK_BUS_FDC,
    XV_DISK_BUS_LAST
} XvDiskBus;
XV_ENUM_DECL(xv_disk_bus, XvDiskBus);

typedef struct {
    char *name;
    int port;                    /* 0 = absent */
} XvNetHost;

typedef struct {
    XvDiskType type;
    XvDiskDevice device;
    char *driver_name;           /* "qemu", "phy", "tap", "tap2", "file" or NULL */
    char *driver_type;           /* "raw", "qcow", "qcow2", "qed", "vhd", "aio" or NULL */
    char *driver_cache;
    char *src;                   /* file path, block device, or rbd "pool/image" */
    char *protocol;              /* network: "rbd" */
    GPtrArray *hosts;            /* XvNetHost, network disks */
    char *auth_username;         /* network: <auth username=>, secret usage/uuid */
    char *auth_secret_type;
    char *auth_secret_usage;
    char *auth_secret_uuid;
    char *dst;                   /* target dev: "xvda", "hda", "sdb" */
    XvDiskBus bus;
    gboolean readonly;
    gboolean shareable;
    gboolean transient;
    char *script;                /* <script path=> block script */
    char *backend_domain;        /* <backenddomain name=> */
    char *serial;
    /* <address type='drive' controller= bus= target= unit=>, filled for
     * ide/scsi/sata/fdc disks as libvirt's post-parse assigns them */
    gboolean has_drive_address;
    guint addr_controller, addr_bus, addr_target, addr_unit;
} XvDiskDef;

typedef enum {
    XV_NET_TYPE_BRIDGE = 0,
    XV_NET_TYPE_ETHERNET,
    XV_NET_TYPE_NETWORK,
    XV_NET_TYPE_HOSTDEV,
    XV_NET_TYPE_LAST
} XvNetType;
XV_ENUM_DECL(xv_net_type, XvNetType);

typedef struct {
    char *address;               /* "192.168.1.2" or "fe80::1" */
    guint prefix;                /* 0 = absent */
    char *family;                /* "ipv4"/"ipv6" or NULL */
} XvNetIp;

typedef struct {
    gboolean present;
    guint64 average;             /* kbytes/s, 0 = absent */
    guint64 peak;
    guint64 burst;               /* kbytes */
} XvNetBandwidthRate;

typedef struct {
    XvNetType type;
    guchar mac[6];
    gboolean mac_generated;      /* no <mac> given: formatted all the same */
    char *bridge;                /* bridge source */
    char *network;               /* network source */
    char *portgroup;
    char *script;
    char *model;                 /* "netfront", "e1000", "rtl8139", ... */
    char *ifname;                /* <target dev=> */
    char *backend_domain;
    GPtrArray *ips;              /* XvNetIp */
    XvNetBandwidthRate inbound;
    XvNetBandwidthRate outbound;
    GArray *vlan_tags;           /* guint: every <vlan><tag id=> in order; NULL = none */
    gboolean vlan_trunk;
    char *virtualport_type;      /* "openvswitch" or NULL */
    int mtu;                     /* 0 = absent */
    /* <source><address> for type='hostdev' */
    guint pci_domain, pci_bus, pci_slot, pci_function;
} XvNetDef;

typedef enum {
    XV_GRAPHICS_VNC = 0,
    XV_GRAPHICS_SPICE,
    XV_GRAPHICS_SDL,
    XV_GRAPHICS_TYPE_LAST
} XvGraphicsType;
XV_ENUM_DECL(xv_graphics_type, XvGraphicsType);

typedef struct {
    XvGraphicsType type;
    int port;                    /* -1 = auto; with autoport, the port a
                                    running guest got (XV_PARSE_LIVE only) */
    int tls_port;                /* spice, 0 = absent */
    gboolean autoport;
    char *listen;                /* address */
    char *passwd;                /* secure: omitted unless XV_FORMAT_SECURE */
    char *keymap;
    char *display;               /* sdl */
    char *xauth;                 /* sdl */
    gboolean fullscreen;         /* sdl */
    char *mouse_mode;            /* spice <mouse mode=> */
    XvTristate clipboard_copypaste; /* spice <clipboard copypaste=> */
    char *spice_image_compression;
    char *spice_streaming_mode;
    XvTristate spice_filetransfer;
    XvTristate gl;               /* sdl/spice <gl enable=> */
} XvGraphicsDef;

typedef enum {
    XV_VIDEO_DEFAULT = 0,
    XV_VIDEO_VGA,
    XV_VIDEO_CIRRUS,
    XV_VIDEO_XEN,
    XV_VIDEO_QXL,
    XV_VIDEO_NONE,
    XV_VIDEO_TYPE_LAST
} XvVideoType;
XV_ENUM_DECL(xv_video_type, XvVideoType); /* "default","vga","cirrus","xen","qxl","none" */

typedef struct {
    XvVideoType type;
    guint vram_kb;               /* 0 = absent */
    guint heads;                 /* 0 = absent */
    gboolean primary;
} XvVideoDef;

typedef enum {
    XV_INPUT_MOUSE = 0,
    XV_INPUT_TABLET,
    XV_INPUT_KEYBOARD,
    XV_INPUT_TYPE_LAST
} XvInputType;
XV_ENUM_DECL(xv_input_type, XvInputType);

typedef enum {
    XV_INPUT_BUS_PS2 = 0,
    XV_INPUT_BUS_USB,
    XV_INPUT_BUS_XEN,
    XV_INPUT_BUS_LAST
} XvInputBus;
XV_ENUM_DECL(xv_input_bus, XvInputBus);

typedef struct {
    XvInputType type;
    XvInputBus bus;
} XvInputDef;

/* serial / console / channel */
typedef enum {
    XV_CHR_DEVICE_SERIAL = 0,
    XV_CHR_DEVICE_CONSOLE,
    XV_CHR_DEVICE_CHANNEL,
    XV_CHR_DEVICE_PARALLEL,
    XV_CHR_DEVICE_LAST
} XvChrDeviceKind;
XV_ENUM_DECL(xv_chr_device_kind, XvChrDeviceKind);

typedef enum {
    XV_CHR_TYPE_NULL = 0,
    XV_CHR_TYPE_VC,
    XV_CHR_TYPE_PTY,
    XV_CHR_TYPE_DEV,
    XV_CHR_TYPE_FILE,
    XV_CHR_TYPE_PIPE,
    XV_CHR_TYPE_STDIO,
    XV_CHR_TYPE_UDP,
    XV_CHR_TYPE_TCP,
    XV_CHR_TYPE_UNIX,
    XV_CHR_TYPE_LAST
} XvChrType;
XV_ENUM_DECL(xv_chr_type, XvChrType);

typedef struct {
    XvChrDeviceKind kind;
    XvChrType type;
    char *path;                  /* dev/file/pipe/unix source path; for pty
                                    the allocated /dev/pts/N (live data: only
                                    read with XV_PARSE_LIVE) */
    char *mode;                  /* unix/tcp: "bind"/"connect" */
    char *host;                  /* tcp/udp */
    char *service;               /* tcp/udp port */
    char *connect_host;          /* udp connect side */
    char *connect_service;
    char *protocol;              /* tcp: "raw"/"telnet" */
    char *target_type;           /* serial: "isa-serial"/"usb-serial"/...; console:
                                    "serial"/"xen"; channel: "xen" */
    char *target_name;           /* channel name */
    gboolean has_port;
    guint port;                  /* target port */
} XvChrDef;

typedef enum {
    XV_HOSTDEV_PCI = 0,
    XV_HOSTDEV_USB,
    XV_HOSTDEV_TYPE_LAST
} XvHostdevType;
XV_ENUM_DECL(xv_hostdev_type, XvHostdevType);

typedef struct {
    XvHostdevType type;
    gboolean managed;
    /* PCI source address */
    guint domain, bus, slot, function;
    XvTristate write_filtering;  /* <source writeFiltering=> */
    char *driver_name;           /* <driver name='xen'/> */
    /* USB: either bus/device or vendor/product */
    guint usb_bus, usb_device;
    guint usb_vendor, usb_product;
    gboolean usb_by_id;
    /* guest address for PCI (<address type='pci' .../>), when given */
    gboolean has_guest_address;
    guint guest_domain, guest_bus, guest_slot, guest_function;
} XvHostdevDef;

typedef enum {
    XV_CONTROLLER_XENBUS = 0,
    XV_CONTROLLER_USB,
    XV_CONTROLLER_IDE,
    XV_CONTROLLER_SCSI,
    XV_CONTROLLER_SATA,
    XV_CONTROLLER_FDC,
    XV_CONTROLLER_PCI,
    XV_CONTROLLER_TYPE_LAST
} XvControllerType;
XV_ENUM_DECL(xv_controller_type, XvControllerType);

typedef struct {
    XvControllerType type;
    guint index;
    char *model;                 /* usb: "qusb1", "qusb2", "nec-xhci", ...; pci: "pci-root" */
    guint ports;                 /* usb, 0 = absent */
    guint max_grant_frames;      /* xenbus, 0 = absent */
    guint max_event_channels;    /* xenbus, 0 = absent */
} XvControllerDef;

typedef struct {
    char *model;                 /* "sb16", "es1370", "ac97", "ich6", "ich9", ... */
} XvSoundDef;

typedef struct {
    char *model;                 /* "xen", "none" */
    guint period;                /* <stats period=>, 0 = absent */
} XvMemballoonDef;

/* ---- the domain ------------------------------------------------------- */

typedef struct _XvDomainDef XvDomainDef;
struct _XvDomainDef {
    /* <domain type='xen'> is the only virt type xenvirt accepts. */
    char *name;
    guchar uuid[XV_UUID_BUFLEN];
    char *title;
    char *description;
    char *metadata_xml;          /* the <metadata> element, verbatim, or NULL */
    gint id;                     /* <domain id=>: live XML only, -1 otherwise */

    guint64 memory_kb;           /* <memory>: maximum at boot */
    guint64 current_memory_kb;   /* <currentMemory>: balloon target */
    guint64 max_memory_kb;       /* <maxMemory>: hotplug limit, 0 = absent */
    guint max_memory_slots;

    guint maxvcpus;              /* <vcpu>N</vcpu> */
    guint vcpus;                 /* <vcpu current=>; == maxvcpus when absent */
    XvDomainPlacement placement;
    XvBitmap *cpuset;            /* <vcpu cpuset=>, NULL = any */

    XvCputuneDef cputune;
    XvNumatuneDef numatune;

    XvDomainOsDef os;
    XvDomainFeatures features;
    XvCpuDef cpu;
    XvClockDef clock;

    XvDomainLifecycleAction on_poweroff;
    XvDomainLifecycleAction on_reboot;
    XvDomainLifecycleAction on_crash;

    char *emulator;
    GPtrArray *disks;            /* XvDiskDef */
    GPtrArray *controllers;      /* XvControllerDef */
    GPtrArray *nets;             /* XvNetDef */
    GPtrArray *hostdevs;         /* XvHostdevDef */
    GPtrArray *serials;          /* XvChrDef, kind SERIAL */
    GPtrArray *consoles;         /* XvChrDef, kind CONSOLE */
    GPtrArray *channels;         /* XvChrDef, kind CHANNEL */
    GPtrArray *inputs;           /* XvInputDef */
    GPtrArray *graphics;         /* XvGraphicsDef */
    GPtrArray *videos;           /* XvVideoDef */
    GPtrArray *sounds;           /* XvSoundDef */
    XvMemballoonDef *memballoon; /* NULL only before post-parse */

    /* <xen:commandline><xen:arg value=/></xen:commandline> */
    GPtrArray *xen_args;         /* char*, passed to the device model */
};

/* Flags for parsing. */
typedef enum {
    XV_PARSE_INACTIVE = 0,
    XV_PARSE_LIVE = 1 << 0,      /* accept <domain id=> and live-only data */
} XvParseFlags;

/* Flags for formatting: the same bits as libvirt's virDomainXMLFlags, so
 * that D-Bus callers' flags pass straight through. */
typedef enum {
    XV_FORMAT_SECURE = 1 << 0,      /* VIR_DOMAIN_XML_SECURE: include passwords */
    XV_FORMAT_INACTIVE = 1 << 1,    /* VIR_DOMAIN_XML_INACTIVE: no id, no live data */
    XV_FORMAT_UPDATE_CPU = 1 << 2,  /* VIR_DOMAIN_XML_UPDATE_CPU: accepted, no-op */
    XV_FORMAT_MIGRATABLE = 1 << 3,  /* VIR_DOMAIN_XML_MIGRATABLE: drop implicit
                                       devices the target adds back */
} XvFormatFlags;

XvDomainDef *xv_domain_def_new(void);
void xv_domain_def_free(XvDomainDef *def);
XvDomainDef *xv_domain_def_copy(const XvDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDomainDef, xv_domain_def_free)

/* Parse a whole document.  'len' may be -1 for a NUL-terminated string. */
XvDomainDef *xv_domain_def_parse(const char *xml, gssize len, XvParseFlags flags,
                                 GError **error);
XvDomainDef *xv_domain_def_parse_file(const char *path, XvParseFlags flags,
                                      GError **error);
/* Semantic checks (required fields, ranges, unique targets and MACs, pins
 * within maxvcpus, os type vs. machine, ...).  Run by the parser; callers
 * that build or edit a def by hand run it too. */
gboolean xv_domain_def_validate(const XvDomainDef *def, GError **error);
/* Fill implicit devices and defaults as libvirt's post-parse does.
 * Idempotent.  Run by the parser. */
gboolean xv_domain_def_post_parse(XvDomainDef *def, GError **error);

char *xv_domain_def_format(const XvDomainDef *def, XvFormatFlags flags);

/* Device helpers, for attach/detach and converters. */
void xv_disk_def_free(XvDiskDef *disk);
void xv_net_def_free(XvNetDef *net);
void xv_graphics_def_free(XvGraphicsDef *graphics);
void xv_video_def_free(XvVideoDef *video);
void xv_input_def_free(XvInputDef *input);
void xv_chr_def_free(XvChrDef *chr);
void xv_hostdev_def_free(XvHostdevDef *hostdev);
void xv_controller_def_free(XvControllerDef *controller);
void xv_sound_def_free(XvSoundDef *sound);
void xv_timer_def_free(XvTimerDef *timer);
void xv_vcpu_pin_free(XvVcpuPin *pin);
void xv_numa_cell_free(XvNumaCell *cell);
void xv_cpu_feature_free(XvCpuFeature *feature);
void xv_net_ip_free(XvNetIp *ip);
void xv_net_host_free(XvNetHost *host);
void xv_memballoon_def_free(XvMemballoonDef *memballoon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDiskDef, xv_disk_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvNetDef, xv_net_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvGraphicsDef, xv_graphics_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvVideoDef, xv_video_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvInputDef, xv_input_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvChrDef, xv_chr_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvHostdevDef, xv_hostdev_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvControllerDef, xv_controller_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvSoundDef, xv_sound_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvTimerDef, xv_timer_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvVcpuPin, xv_vcpu_pin_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvNumaCell, xv_numa_cell_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvCpuFeature, xv_cpu_feature_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvNetIp, xv_net_ip_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvNetHost, xv_net_host_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvMemballoonDef, xv_memballoon_def_free)

/* Deep copies of single devices (attach/detach, converters).  Never NULL. */
XvDiskDef *xv_disk_def_copy(const XvDiskDef *disk);
XvNetDef *xv_net_def_copy(const XvNetDef *net);
XvGraphicsDef *xv_graphics_def_copy(const XvGraphicsDef *graphics);
XvVideoDef *xv_video_def_copy(const XvVideoDef *video);
XvInputDef *xv_input_def_copy(const XvInputDef *input);
XvChrDef *xv_chr_def_copy(const XvChrDef *chr);
XvHostdevDef *xv_hostdev_def_copy(const XvHostdevDef *hostdev);
XvControllerDef *xv_controller_def_copy(const XvControllerDef *controller);
XvSoundDef *xv_sound_def_copy(const XvSoundDef *sound);

/* MAC helpers: "00:16:3e:12:34:56". */
gboolean xv_mac_parse(const char *str, guchar mac[6], GError **error);
char *xv_mac_format(const guchar mac[6]);
/* A random MAC in Xen's 00:16:3e OUI. */
void xv_mac_generate(guchar mac[6]);
/* TRUE for a multicast (group) address: bit 0 of the first byte. */
gboolean xv_mac_is_multicast(const guchar mac[6]);

/* Convenience */
const char *xv_domain_def_os_type_xml(XvDomainOsType type); /* "hvm", "linux", "xenpvh" */
gboolean xv_domain_def_is_hvm(const XvDomainDef *def);

G_END_DECLS
