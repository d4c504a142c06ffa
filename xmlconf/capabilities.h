/*
 * capabilities.h: the host's capabilities XML (virConnectGetCapabilities)
 * and the domain capabilities XML (virConnectGetDomainCapabilities), laid
 * out as libvirt's libxl driver prints them.
 *
 * Contract
 * --------
 * - Pure: no libxl calls, no global state, no I/O.  The input is an
 *   XvCapsHost that the driver fills from libxl_get_physinfo(),
 *   libxl_get_cpu_topology(), libxl_get_numainfo() and
 *   libxl_get_version_info(); tests build their own.  There is no built-in
 *   "default host": whatever the XML says comes from the struct.
 * - XvCapsHost is a plain value with no lock.  It owns every string and array
 *   in it (freed by xv_caps_host_free()).  The driver builds one, then
 *   publishes it read-only; any number of threads may then format from it
 *   concurrently, since formatting only reads.
 * - The guest types are derived from 'xen_caps' (libxl_version_info's
 *   'capabilities' string, e.g. "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p
 *   hvm-3.0-x86_64") exactly as libvirt's libxlCapsInitGuests() does: one
 *   <guest> per (arch, kind) in the order Xen lists them, "x86_32p" gives the
 *   pae feature and "x86_32" nonpae, an HVM arch brings acpi/apic/hap toggles,
 *   and on Xen >= 4.10 every HVM arch is followed by a PVH ('xenpvh') guest.
 *   HVM support, PAE and PVH are therefore not separate fields: Xen's own
 *   string is the single source.
 * - Output is libvirt's layout: two-space indent, libvirt's element and
 *   attribute order, the blank lines virsh shows in capabilities.  It
 *   validates against libvirt's capability.rng / domaincaps.rng, with one
 *   exception owed to libvirt 9.0's schema: it does not list os_type
 *   'xenpvh', which libvirt's libxl driver nevertheless emits (and so do we).
 *   Elements libvirt's libxl driver prints but the schema rejects
 *   (<netprefix>, uri_transport 'xenmigr') are not emitted.
 */
#pragma once

#include <glib.h>

#include "util/xv-names.h"

G_BEGIN_DECLS

/* A host CPU as placed in the NUMA topology.  The siblings='' attribute is
 * computed: the CPUs of the same cell with the same socket, die and core. */
typedef struct {
    guint id;
    guint socket_id;
    guint die_id;
    guint core_id;
} XvCapsCpu;

/* Pages of one size in a cell: <pages unit='KiB' size='4'>count</pages>. */
typedef struct {
    guint size_kib;
    guint64 count;
} XvCapsPages;

typedef struct {
    guint id;
    guint64 memory_kib;          /* 0 = not reported */
    GArray *pages;               /* XvCapsPages, may be empty */
    /* guint, indexed by sibling cell id (libxl_numainfo.dists).  Entries
     * outside 10..255 (libxl's INVALID_ENTRY, or 0) are not printed. */
    GArray *distances;
    GArray *cpus;                /* XvCapsCpu */
} XvCapsCell;

typedef struct {
    guchar uuid[XV_UUID_BUFLEN]; /* all zero = no <uuid> */
    char *arch;                  /* host arch, libvirt name: "x86_64" */

    /* host <cpu>: all optional */
    char *cpu_model;
    char *cpu_vendor;
    GPtrArray *cpu_features;     /* char *, feature names */
    /* <topology>, printed when all four are non-zero (libvirt: dies = 1) */
    guint sockets, dies, cores, threads;
    GArray *page_sizes_kib;      /* guint: <pages unit='KiB' size='N'/> */

    gboolean iommu;              /* physinfo.cap_hvm_directio */
    gboolean live_migration;     /* <migration_features><live/> */

    GPtrArray *cells;            /* XvCapsCell, may be empty */

    guint xen_major, xen_minor;  /* libxl_version_info */
    char *xen_caps;              /* libxl_version_info.capabilities */

    /* Paths advertised to guests and in domain capabilities. */
    char *emulator;              /* e.g. "/usr/lib/xen/bin/qemu-system-i386" */
    char *hvmloader;             /* e.g. "/usr/lib/xen/boot/hvmloader" */
    char *ovmf;                  /* e.g. "/usr/lib/xen/boot/ovmf.bin"; NULL = no EFI */
} XvCapsHost;

/* Largest vCPU counts libvirt's libxl driver reports (HVM_MAX_VCPUS and
 * PV_MAX_VCPUS in libvirt's libxl_capabilities.h). */
#define XV_CAPS_HVM_MAX_VCPUS 128u
#define XV_CAPS_PV_MAX_VCPUS 512u

/* A host with 'arch' and empty arrays; every other field zero/NULL. */
XvCapsHost *xv_caps_host_new(const char *arch);
void xv_caps_host_free(XvCapsHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvCapsHost, xv_caps_host_free)

/* Append a cell (owned by host->cells) and return it, borrowed. */
XvCapsCell *xv_caps_host_add_cell(XvCapsHost *host, guint id, guint64 memory_kib);
void xv_caps_cell_add_cpu(XvCapsCell *cell, guint id, guint socket_id, guint die_id,
                          guint core_id);
void xv_caps_cell_add_pages(XvCapsCell *cell, guint size_kib, guint64 count);
void xv_caps_cell_free(XvCapsCell *cell);

/* One guest type the host offers, parsed from xen_caps. */
typedef enum {
    XV_CAPS_GUEST_PV = 0,        /* os_type 'xen', machine 'xenpv' */
    XV_CAPS_GUEST_HVM,           /* os_type 'hvm', machine 'xenfv' */
    XV_CAPS_GUEST_PVH,           /* os_type 'xenpvh', machine 'xenpvh' */
    XV_CAPS_GUEST_KIND_LAST
} XvCapsGuestKind;

typedef struct {
    XvCapsGuestKind kind;
    const char *arch;            /* static libvirt arch name */
    gboolean pae, nonpae, ia64_be;
} XvCapsGuest;

/* The guest types, in libvirt's order; an array of XvCapsGuest (never NULL). */
GArray *xv_caps_host_guests(const XvCapsHost *host);

/* <capabilities>.  Never fails for a host with an arch. */
char *xv_caps_format(const XvCapsHost *host);

/* <domainCapabilities> for one (emulator, arch, machine, virttype), with
 * libvirt's libxl defaults for NULL arguments: the host's emulator, the
 * host's arch, machine 'xenpv', virttype 'xen'.  Fails (XV_ERROR_INVALID_ARG)
 * on an unknown arch, machine or virttype, or a relative emulator path, and
 * (XV_ERROR_CONFIG_UNSUPPORTED) when the host offers no guest of that machine
 * on that arch. */
char *xv_domain_caps_format(const XvCapsHost *host, const char *emulator, const char *arch,
                            const char *machine, const char *virttype, GError **error);

G_END_DECLS
