/*
 * libxl-conf.h: XvDomainDef <-> libxl_domain_config.
 *
 * Contract
 * --------
 * - xv_libxl_config_from_def() builds the libxl_domain_config that xenvirt
 *   hands to libxl (through the host port) for a domain definition.  It is
 *   modelled on libvirt's libxlBuildDomainConfig(): the same input gives the
 *   same config, except for the deliberate differences listed in
 *   docs/libxl-conformance.md.  Every combination libxl or Xen would refuse
 *   (or silently drop) fails here, with XV_ERROR_CONFIG_UNSUPPORTED and a
 *   message naming the domain and the reason, before anything is started.
 * - It never talks to the hypervisor and needs no libxl_ctx.  The host facts
 *   libvirt's driver looks up (NUMA node count, nested HVM, shadow memory,
 *   ports, networks, secrets, USB devices) come in XvLibxlConfOptions; the
 *   callbacks there are the only way it reaches outside its arguments, and
 *   are called synchronously from the calling thread.
 * - Memory: 'def' and 'opts' are borrowed.  'out' is storage owned by the
 *   caller: the function initialises it (libxl_domain_config_init), fills it
 *   with malloc()-allocated memory, and on failure leaves it disposed and
 *   re-initialised.  The caller always calls libxl_domain_config_dispose().
 * - xv_libxl_config_to_def() is the reverse, for adopting domains another
 *   toolstack started: it reads what the model can express, runs
 *   xv_domain_def_post_parse() and xv_domain_def_validate(), and returns a
 *   new def (NULL + error when the config cannot be represented).
 * - xv_libxl_config_to_json() prints a config exactly as
 *   libxl_domain_config_to_json() does, without a libxl_ctx (so that
 *   `xvirsh domxml-to-native libxl-json` works offline).  Returns a
 *   g_free()-able string.
 * - All functions are pure with respect to xenvirt's state and may be called
 *   from any thread; they take no locks.  The clock conversion reads the
 *   process's local-time zone (TZ) unless the options give the offset.
 */
#pragma once

#include <glib.h>
#include <libxl.h>

#include "xmlconf/domain-conf.h"

G_BEGIN_DECLS

/* Host facts and driver settings.  Initialise with
 * xv_libxl_conf_options_init() and override what you know. */
typedef struct {
    /* Host NUMA nodes.  vNUMA cell i is placed on host node i, unless the
     * domain has more cells than the host has nodes: then every cell is
     * simulated on node 0 (libvirt's rule).  0 = unknown (simulate). */
    guint host_numa_nodes;
    /* Host CPUs, to size affinity bitmaps; 0 = unknown (sized from the
     * highest CPU the definition names). */
    guint host_cpus;
    /* The driver allows nested HVM (libvirt's libxl.conf nested_hvm) and the
     * host CPU has VMX / SVM: <cpu mode='host-passthrough'> then turns nested
     * HVM on unless the vmx/svm feature is forbidden. */
    gboolean nested_hvm;
    gboolean host_vmx;
    gboolean host_svm;
    /* Shadow memory for a domain; NULL = libxl_get_required_shadow_memory(). */
    guint64 (*shadow_memkb)(guint64 max_memkb, guint max_vcpus);
    /* PV domain with neither <kernel> nor <bootloader>: this bootloader
     * (libvirt's LIBXL_BOOTLOADER_PATH).  NULL = "pygrub". */
    const char *default_bootloader;
    /* HVM domain without <emulator>: this device model; NULL = libxl's. */
    const char *default_emulator;
    /* Reject an <emulator> that is not an executable file (libvirt does). */
    gboolean check_emulator;
    /* Directory for unix-socket Xen channels without a source path
     * (libvirt's channelDir); NULL = such channels are rejected. */
    const char *channel_dir;
    /* Offset of local time from UTC in seconds (east positive), used for
     * <clock offset='variable' basis='localtime'>.  When has_utc_offset is
     * FALSE it is computed from the process's time zone at call time. */
    gboolean has_utc_offset;
    glong utc_offset;
    /* Callbacks; any may be NULL (the feature that needs it is rejected). */
    /* A free VNC/SPICE port for autoport graphics (libvirt's port
     * allocator).  NULL: VNC lets QEMU find an unused display. */
    int (*alloc_graphics_port)(gpointer data, GError **error);
    /* Bridge of a virtual network (<interface type='network'>). */
    char *(*network_bridge)(const char *network, gpointer data, GError **error);
    /* Ceph key (base64) for an RBD disk with <auth>. */
    char *(*disk_secret)(const XvDiskDef *disk, gpointer data, GError **error);
    /* Bus and device number of a USB device given by vendor/product. */
    gboolean (*find_usb_device)(guint vendor, guint product, guint *bus,
                                guint *device, gpointer data, GError **error);
    gpointer data;
} XvLibxlConfOptions;

/* Defaults: nothing known about the host, nested HVM not allowed. */
void xv_libxl_conf_options_init(XvLibxlConfOptions *opts);

gboolean xv_libxl_config_from_def(const XvDomainDef *def,
                                  const XvLibxlConfOptions *opts,
                                  libxl_domain_config *out,
                                  GError **error);

XvDomainDef *xv_libxl_config_to_def(const libxl_domain_config *cfg,
                                    GError **error);

char *xv_libxl_config_to_json(libxl_domain_config *cfg, GError **error);

/* One device of 'def' as libxl gets it inside xv_libxl_config_from_def()
 * (for hotplug).  'def' gives the domain's name and type.  'out' is storage
 * the function initialises; on failure it is left initialised and empty.
 * The caller disposes it (libxl_device_*_dispose).  A nic's devid is left
 * -1 (libxl chooses one at hotplug); an <interface type='hostdev'> is a PCI
 * device (xv_libxl_device_pci_from_net). */
gboolean xv_libxl_device_disk_from_def(const XvDomainDef *def, const XvDiskDef *disk,
                                       const XvLibxlConfOptions *opts,
                                       libxl_device_disk *out, GError **error);
gboolean xv_libxl_device_nic_from_def(const XvDomainDef *def, const XvNetDef *net,
                                      const XvLibxlConfOptions *opts,
                                      libxl_device_nic *out, GError **error);
void xv_libxl_device_pci_from_def(const XvHostdevDef *hostdev, libxl_device_pci *out);
void xv_libxl_device_pci_from_net(const XvNetDef *net, libxl_device_pci *out);
gboolean xv_libxl_device_usbdev_from_def(const XvDomainDef *def, const XvHostdevDef *hostdev,
                                         const XvLibxlConfOptions *opts,
                                         libxl_device_usbdev *out, GError **error);
gboolean xv_libxl_device_usbctrl_from_def(const XvDomainDef *def, const XvControllerDef *ctrl,
                                          libxl_device_usbctrl *out, GError **error);

G_END_DECLS
