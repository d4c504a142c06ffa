/*
 * host.h: the host port.  The only way xenvirt's driver talks to Xen.
 *
 * One vtable (XvHostOps), two backends: the real libxenlight (host-libxl.c)
 * and a simulated Xen host (host-sim.c).  The driver never calls libxl
 * directly; it calls xv_host_*() below, which dispatch to the backend chosen
 * at start-up.  The vocabulary is libxl's own: libxl_domain_config,
 * libxl_dominfo, libxl_physinfo, libxl_vcpuinfo, libxl_bitmap,
 * libxl_domain_sched_params and libxl's ERROR_* codes.
 *
 * Threads
 * -------
 * - Every operation may be called from any thread, concurrently, including
 *   concurrently on different domains and (where Xen allows it) on the same
 *   domain: a destroy may run while a suspend of the same domain is in
 *   progress, and makes it fail.  Backends do their own locking; callers hold
 *   no lock of theirs across a call (the driver's *job* protects the
 *   operation, never a mutex).
 * - Long operations (create_new, create_restore, suspend, core_dump) block the
 *   calling thread until done; call them from a job thread, never from the
 *   main loop.  They take an XvHostOp, through which another thread may abort
 *   them (xv_host_op_abort()) and through which they report progress.
 * - Events (domain shutdown with its reason, domain death) are delivered by
 *   calling the XvHostEventFunc in the GMainContext that was the thread-default
 *   context of the thread that called xv_host_open().  The handler must be
 *   quick: hand real work to a thread.  Events are delivered only for domains
 *   passed to xv_host_watch_domain(); a death is delivered once.
 *
 * Memory
 * ------
 * - In-parameters are borrowed for the duration of the call.
 * - Out-parameters of libxl types are initialised by the callee (the caller
 *   passes storage, possibly uninitialised) and must be disposed by the
 *   caller with the matching libxl_*_dispose(); arrays are freed with libxl's
 *   libxl_dominfo_list_free() / libxl_vcpuinfo_list_free().  Backends
 *   allocate with malloc()-compatible allocators so libxl's dispose functions
 *   free them correctly.
 * - libxl_bitmap values passed in and out may be built without a libxl_ctx
 *   through xv_host_bitmap_alloc().
 *
 * Errors
 * ------
 * Every operation returns 0 or a negative libxl ERROR_* code, and on failure
 * also sets 'error' (may be NULL) to an XV_ERROR whose message says what
 * failed on which domain and why ("domain 12 needs 2048 MiB, the host has
 * 512 MiB free").  A failed operation leaves the host as it was: no
 * half-built domain, memory returned.
 */
#pragma once

#include <glib.h>
#include <libxl.h>

G_BEGIN_DECLS

typedef struct _XvHost XvHost;
typedef struct _XvHostOps XvHostOps;
typedef struct _XvHostOp XvHostOp;

/* ---- long operations: progress and abort ------------------------------ */

/* Progress of a long operation, in bytes of guest memory (or dump data).
 * Called from the thread running the operation. */
typedef void (*XvHostProgressFunc)(XvHostOp *op, guint64 processed, guint64 total,
                                   gpointer user_data);

/* An XvHostOp is created by the caller for one long operation and may be
 * shared with another thread that wants to abort it.  Thread-safe. */
XvHostOp *xv_host_op_new(XvHostProgressFunc progress, gpointer user_data);
XvHostOp *xv_host_op_ref(XvHostOp *op);
void xv_host_op_unref(XvHostOp *op);
/* Ask the operation to stop.  The operation then fails with ERROR_ABORTED
 * and leaves no trace (a suspend leaves the domain running; a create or
 * restore leaves no domain).  May be called before, during or after. */
void xv_host_op_abort(XvHostOp *op);
gboolean xv_host_op_is_aborted(XvHostOp *op);
/* For backends: report progress; install the hook that forwards an abort to
 * the backend (e.g. libxl_ao_abort) while the operation runs.  The hook runs
 * in the aborting thread, without the op's lock, and must be thread-safe.
 * Replacing or clearing the hook (set_abort_hook(op, NULL, NULL)) waits for a
 * hook call in progress to return, so the backend may free the hook's data
 * right after clearing it. */
void xv_host_op_report(XvHostOp *op, guint64 processed, guint64 total);
void xv_host_op_set_abort_hook(XvHostOp *op, void (*hook)(gpointer data), gpointer data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvHostOp, xv_host_op_unref)

/* ---- events ------------------------------------------------------------ */

typedef enum {
    XV_HOST_EVENT_SHUTDOWN = 0,  /* the guest shut down; 'reason' says why */
    XV_HOST_EVENT_DEATH,         /* the domain is gone */
} XvHostEventType;

typedef struct {
    XvHostEventType type;
    uint32_t domid;
    libxl_shutdown_reason reason; /* SHUTDOWN only: poweroff, reboot, crash,
                                     suspend, watchdog, soft_reset */
} XvHostEvent;

typedef void (*XvHostEventFunc)(XvHost *host, const XvHostEvent *event, gpointer user_data);

/* ---- devices (hotplug) ------------------------------------------------- */

/* One device of a running domain, in libxl's own type for its kind.  The
 * caller initialises the member for 'kind' (libxl_device_*_init) and
 * disposes it with xv_host_device_dispose(). */
typedef enum {
    XV_HOST_DEVICE_DISK = 0,
    XV_HOST_DEVICE_NIC,
    XV_HOST_DEVICE_PCI,
    XV_HOST_DEVICE_USBDEV,
    XV_HOST_DEVICE_USBCTRL,
} XvHostDeviceKind;

typedef struct {
    XvHostDeviceKind kind;
    union {
        libxl_device_disk disk;
        libxl_device_nic nic;
        libxl_device_pci pci;
        libxl_device_usbdev usbdev;
        libxl_device_usbctrl usbctrl;
    } u;
} XvHostDevice;

/* Disposes the member for dev->kind (idempotent: leaves it re-initialised). */
void xv_host_device_dispose(XvHostDevice *dev);

/* ---- the vtable ------------------------------------------------------- */

struct _XvHostOps {
    const char *name;                     /* "libxl" or "sim" */
    void (*close)(XvHost *host);

    int (*get_physinfo)(XvHost *host, libxl_physinfo *out, GError **error);
    /* 'out' is filled with strdup'ed strings; libxl_version_info_dispose frees. */
    int (*get_version)(XvHost *host, libxl_version_info *out, GError **error);
    /* Host scheduler of cpupool 0 (LIBXL_SCHEDULER_CREDIT, _CREDIT2, _RTDS, ...). */
    int (*get_scheduler)(XvHost *host, libxl_scheduler *out, GError **error);

    int (*list_domains)(XvHost *host, libxl_dominfo **out, int *n_out, GError **error);
    /* ERROR_DOMAIN_NOTFOUND when the domain does not exist. */
    int (*domain_info)(XvHost *host, uint32_t domid, libxl_dominfo *out, GError **error);

    /* Build and start a domain from 'config' (defaults libxl fills in are
     * written back into it).  The domain is left paused when 'paused' is TRUE
     * (libvirt's START_PAUSED), else it runs. */
    int (*create_new)(XvHost *host, libxl_domain_config *config, gboolean paused,
                      uint32_t *domid_out, XvHostOp *op, GError **error);
    /* Create from a save/migration stream read from 'fd' (stream v2). */
    int (*create_restore)(XvHost *host, libxl_domain_config *config, gboolean paused,
                          int fd, uint32_t *domid_out, XvHostOp *op, GError **error);

    int (*destroy)(XvHost *host, uint32_t domid, GError **error);
    /* Ask the guest to shut down / reboot (PV control node or ACPI event). */
    int (*shutdown)(XvHost *host, uint32_t domid, GError **error);
    int (*reboot)(XvHost *host, uint32_t domid, GError **error);
    int (*pause)(XvHost *host, uint32_t domid, GError **error);
    int (*unpause)(XvHost *host, uint32_t domid, GError **error);

    /* Write the domain's save stream to 'fd'.  flags: LIBXL_SUSPEND_LIVE for
     * live migration (the guest keeps running during the copy).  On success
     * the domain is suspended (shut down with reason suspend) and the caller
     * destroys it; on failure or abort it keeps running. */
    int (*suspend)(XvHost *host, uint32_t domid, int fd, int flags,
                   XvHostOp *op, GError **error);
    /* Write an ELF core of the domain to 'path'.  The domain's state is not
     * changed. */
    int (*core_dump)(XvHost *host, uint32_t domid, const char *path,
                     XvHostOp *op, GError **error);

    int (*set_vcpu_affinity)(XvHost *host, uint32_t domid, uint32_t vcpu,
                             const libxl_bitmap *hard, GError **error);
    int (*list_vcpus)(XvHost *host, uint32_t domid, libxl_vcpuinfo **out,
                      int *nr_vcpus_out, GError **error);
    int (*set_vcpus_online)(XvHost *host, uint32_t domid, const libxl_bitmap *online,
                            GError **error);

    /* Balloon target (the guest moves towards it over time). */
    int (*set_memory_target)(XvHost *host, uint32_t domid, uint64_t target_kb,
                             GError **error);
    int (*set_max_memory)(XvHost *host, uint32_t domid, uint64_t max_kb,
                          GError **error);

    int (*sched_params_get)(XvHost *host, uint32_t domid,
                            libxl_domain_sched_params *out, GError **error);
    int (*sched_params_set)(XvHost *host, uint32_t domid,
                            const libxl_domain_sched_params *params, GError **error);

    /* The configuration of a running domain (for adoption of foreign domains
     * and for the live XML).  'out' is initialised by the callee. */
    int (*retrieve_config)(XvHost *host, uint32_t domid, libxl_domain_config *out,
                           GError **error);

    /* Enable / disable shutdown and death events for a domain. */
    int (*watch_domain)(XvHost *host, uint32_t domid, GError **error);
    void (*unwatch_domain)(XvHost *host, uint32_t domid);

    /* Hotplug a device into a running domain (libxl_device_<kind>_add).
     * Defaults the backend chooses (nic devid and MAC, usbdev controller and
     * port, usbctrl devid) are written back into 'dev'.  ERROR_DEVICE_EXISTS
     * for a duplicate vdev / MAC / PCI function / USB device. */
    int (*device_add)(XvHost *host, uint32_t domid, XvHostDevice *dev, GError **error);
    /* Unplug (libxl_device_<kind>_remove).  The device is identified by:
     * disk vdev; nic devid, or its MAC when devid < 0; pci domain:bus:dev.func;
     * usbdev ctrl+port, or hostbus+hostaddr when ctrl < 0; usbctrl devid.
     * ERROR_NOTFOUND when the domain has no such device. */
    int (*device_remove)(XvHost *host, uint32_t domid, const XvHostDevice *dev,
                         GError **error);
    /* Change the medium of the emulated cdrom disk->vdev (libxl_cdrom_insert);
     * an empty pdev_path (format EMPTY) ejects. */
    int (*cdrom_insert)(XvHost *host, uint32_t domid, libxl_device_disk *disk,
                        GError **error);
    /* Rename a domain (libxl_domain_rename); 'old_name' must match. */
    int (*domain_rename)(XvHost *host, uint32_t domid, const char *old_name,
                         const char *new_name, GError **error);
    /* xl's rename-restart (libxl_domain_preserve): the domain is renamed to
     * name + suffix and gets 'new_uuid', and is otherwise left as it is (shut
     * down, for inspection), so that a new incarnation can start under the
     * original name and uuid. */
    int (*domain_preserve)(XvHost *host, uint32_t domid, const char *name,
                           const char *suffix, const libxl_uuid *new_uuid, GError **error);
    /* An identifier of the hypervisor's current boot: changes exactly when the
     * host reboots.  '*out' is g_free()-able. */
    int (*get_boot_id)(XvHost *host, char **out, GError **error);
};

/* Common header of every backend's host object (backends embed it first). */
struct _XvHost {
    const XvHostOps *ops;           /* immutable after open */
    GMainContext *event_context;    /* immutable after open; NULL = global default */
    XvHostEventFunc event_func;     /* set before the first watch_domain */
    gpointer event_data;
    /* host.c's event sink: lets deliveries still queued in the event context
     * outlive the host safely.  Created by xv_host_set_event_handler(),
     * detached and released by xv_host_close(); backends never touch it. */
    struct _XvHostEventSink *event_sink;
};

/* Open a backend.  'spec' is "libxl", "sim:DIR", or NULL for the default:
 * libxl when /dev/xen/privcmd or /proc/xen/privcmd exists, else
 * "sim:<default_sim_dir>". */
XvHost *xv_host_open(const char *spec, const char *default_sim_dir, GError **error);
void xv_host_close(XvHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvHost, xv_host_close)

void xv_host_set_event_handler(XvHost *host, XvHostEventFunc func, gpointer user_data);
/* For backends: post an event to the host's event context. */
void xv_host_emit_event(XvHost *host, const XvHostEvent *event);

/* libxl_bitmap without a libxl_ctx: storage calloc'ed, freed by
 * libxl_bitmap_dispose(). */
void xv_host_bitmap_alloc(libxl_bitmap *map, guint nbits);

/* Dispatchers: xv_host_get_physinfo(host, ...) == host->ops->get_physinfo(host, ...). */
int xv_host_get_physinfo(XvHost *host, libxl_physinfo *out, GError **error);
int xv_host_get_version(XvHost *host, libxl_version_info *out, GError **error);
int xv_host_get_scheduler(XvHost *host, libxl_scheduler *out, GError **error);
int xv_host_list_domains(XvHost *host, libxl_dominfo **out, int *n_out, GError **error);
int xv_host_domain_info(XvHost *host, uint32_t domid, libxl_dominfo *out, GError **error);
int xv_host_create_new(XvHost *host, libxl_domain_config *config, gboolean paused,
                       uint32_t *domid_out, XvHostOp *op, GError **error);
int xv_host_create_restore(XvHost *host, libxl_domain_config *config, gboolean paused,
                           int fd, uint32_t *domid_out, XvHostOp *op, GError **error);
int xv_host_destroy(XvHost *host, uint32_t domid, GError **error);
int xv_host_shutdown(XvHost *host, uint32_t domid, GError **error);
int xv_host_reboot(XvHost *host, uint32_t domid, GError **error);
int xv_host_pause(XvHost *host, uint32_t domid, GError **error);
int xv_host_unpause(XvHost *host, uint32_t domid, GError **error);
int xv_host_suspend(XvHost *host, uint32_t domid, int fd, int flags, XvHostOp *op,
                    GError **error);
int xv_host_core_dump(XvHost *host, uint32_t domid, const char *path, XvHostOp *op,
                      GError **error);
int xv_host_set_vcpu_affinity(XvHost *host, uint32_t domid, uint32_t vcpu,
                              const libxl_bitmap *hard, GError **error);
int xv_host_list_vcpus(XvHost *host, uint32_t domid, libxl_vcpuinfo **out,
                       int *nr_vcpus_out, GError **error);
int xv_host_set_vcpus_online(XvHost *host, uint32_t domid, const libxl_bitmap *online,
                             GError **error);
int xv_host_set_memory_target(XvHost *host, uint32_t domid, uint64_t target_kb,
                              GError **error);
int xv_host_set_max_memory(XvHost *host, uint32_t domid, uint64_t max_kb, GError **error);
int xv_host_sched_params_get(XvHost *host, uint32_t domid, libxl_domain_sched_params *out,
                             GError **error);
int xv_host_sched_params_set(XvHost *host, uint32_t domid,
                             const libxl_domain_sched_params *params, GError **error);
int xv_host_retrieve_config(XvHost *host, uint32_t domid, libxl_domain_config *out,
                            GError **error);
int xv_host_watch_domain(XvHost *host, uint32_t domid, GError **error);
void xv_host_unwatch_domain(XvHost *host, uint32_t domid);

int xv_host_device_add(XvHost *host, uint32_t domid, XvHostDevice *dev, GError **error);
int xv_host_device_remove(XvHost *host, uint32_t domid, const XvHostDevice *dev,
                          GError **error);
int xv_host_cdrom_insert(XvHost *host, uint32_t domid, libxl_device_disk *disk,
                         GError **error);
int xv_host_domain_rename(XvHost *host, uint32_t domid, const char *old_name,
                          const char *new_name, GError **error);
int xv_host_domain_preserve(XvHost *host, uint32_t domid, const char *name,
                            const char *suffix, const libxl_uuid *new_uuid, GError **error);
int xv_host_get_boot_id(XvHost *host, char **out, GError **error);

const char *xv_host_name(XvHost *host);

G_END_DECLS
