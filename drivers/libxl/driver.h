/*
 * driver.h: the xenvirt driver — domains, their lifecycle through jobs,
 * persistence and recovery.  The daemon and the CLI are built on this API.
 *
 * Contract
 * --------
 * OBJECTS.  An XvDriver owns the domain list, the job host, the directories
 * (config, state, lib) and the lock on the state dir.  It BORROWS an XvHost
 * (xv_host_open / xv_host_sim_open) that must outlive it; the driver installs
 * the host's event handler.  Domains are XvDomainObj, reference counted:
 * every function returning one returns a NEW reference (release it with
 * xv_domain_obj_unref or g_autoptr(XvDomainObj)).  A reference keeps the
 * object's memory alive, not the domain: an undefined domain's object
 * answers XV_ERROR_NO_DOMAIN to every operation.  A domain's name and UUID
 * never change for the life of its object, so xv_domain_obj_get_name() and
 * _get_uuid() return pointers valid while the caller holds a reference.
 *
 * THREADS.  Every function may be called from any thread, concurrently, with
 * no lock held by the caller.  Functions never hold a lock across a
 * hypervisor call: the per-domain job (jobs/job.h) protects each operation.
 *  - Reads of daemon state never wait for a job and never call the
 *    hypervisor: list, lookups, get_state, get_info (unless
 *    XV_DRIVER_INFO_REFRESH), get_xml, get_job_info, get_autostart,
 *    has_managed_save, get_vcpu_pin_info, get_vcpus_flags.
 *  - QUERY operations ask the hypervisor and run alongside any async job:
 *    get_vcpus, get_scheduler_params, get_info with XV_DRIVER_INFO_REFRESH.
 *  - MODIFY operations (define, undefine, setmem, setvcpus, pin, schedparams,
 *    autostart, suspend/resume, shutdown, reboot, managed-save-remove) wait
 *    for the domain's sync side and fail with the named-holder
 *    XV_ERROR_OPERATION_TIMEOUT message after the configured wait.
 *  - Async operations (start, create, save, managed save, restore, dump)
 *    block the calling thread until done; call them from a worker thread.
 *    They are abortable through xv_driver_domain_abort_job() from any thread,
 *    and xv_driver_domain_destroy() interrupts them.
 *  - Host events (guest shutdown, crash, reboot, death) arrive in the host's
 *    event GMainContext (see host.h); the driver hands them at once to its
 *    own worker threads, so that context must be iterated for lifecycle
 *    actions to happen.
 *  - The event listener is called with no lock held, from the thread that
 *    caused the change (a caller's thread or a driver worker).  It must be
 *    quick and must not call back into blocking driver functions.
 *
 * ERRORS.  Every failing function returns FALSE/NULL/-1 and sets an
 * XV_ERROR with libvirt's code and a sentence naming the domain and the
 * reason.  A failed operation changes nothing: not the files, not the list,
 * not the host.  Domain-0 (id 0) is listed and readable but every operation
 * on it fails with XV_ERROR_OPERATION_INVALID.
 *
 * FLAGS are libvirt's bits (libvirt-domain.h) for the matching libvirt API;
 * unknown bits fail with XV_ERROR_INVALID_ARG.
 *
 * FILES (see ARCHITECTURE.md "State and files"):
 *   config_dir/domains/<uuid>.xml   persistent definitions
 *   config_dir/autostart/<uuid>     autostart markers
 *   state_dir/<uuid>.xml            status: live XML, domid, state, reason,
 *                                   job record (keyfile with embedded XML)
 *   state_dir/driver.pid, driver.lock, driver.boot
 *   lib_dir/save/<uuid>.save        managed-save images
 *   lib_dir/dump/                   default core-dump directory
 * Every write is atomic (util/xv-file.h).  One driver per state dir: a second
 * open fails with XV_ERROR_OPERATION_INVALID naming the holder's pid.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "drivers/libxl/host.h"
#include "jobs/job.h"
#include "util/xv-bitmap.h"
#include "util/xv-names.h"
#include "xmlconf/capabilities.h"

G_BEGIN_DECLS

typedef struct _XvDriver XvDriver;
typedef struct _XvDomainObj XvDomainObj;

XvDomainObj *xv_domain_obj_ref(XvDomainObj *dom);
void xv_domain_obj_unref(XvDomainObj *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDomainObj, xv_domain_obj_unref)

/* Immutable for the object's life. */
const char *xv_domain_obj_get_name(XvDomainObj *dom);
const guchar *xv_domain_obj_get_uuid(XvDomainObj *dom);   /* 16 bytes */
/* Current domid, -1 when inactive (a snapshot). */
int xv_domain_obj_get_id(XvDomainObj *dom);
gboolean xv_domain_obj_is_active(XvDomainObj *dom);
gboolean xv_domain_obj_is_persistent(XvDomainObj *dom);

/* ---- events ------------------------------------------------------------ */

typedef struct {
    int event_id;          /* VIR_DOMAIN_EVENT_ID_LIFECYCLE, _REBOOT, _JOB_COMPLETED,
                              _DEVICE_ADDED, _DEVICE_REMOVED, _BALLOON_CHANGE,
                              _METADATA_CHANGE */
    int event;             /* virDomainEventType (LIFECYCLE) */
    int detail;            /* the matching virDomainEvent*DetailType */
    XvDomainObj *dom;      /* borrowed for the call */
    const char *name;
    const guchar *uuid;
    int id;                /* domid at the time, -1 when inactive */
    const XvJobInfo *job;  /* JOB_COMPLETED only: the completed stats */
    const char *device;    /* DEVICE_ADDED / DEVICE_REMOVED: the device's name
                              (disk target, interface MAC, "pci_D_B_S_F",
                              "usb_BUS_DEV", "usb<index>" for a controller) */
    guint64 actual_kb;     /* BALLOON_CHANGE: the domain's current memory */
    int metadata_type;     /* METADATA_CHANGE: virDomainMetadataType */
    const char *metadata_uri; /* METADATA_CHANGE, ELEMENT only: its namespace */
} XvDriverEvent;

typedef void (*XvDriverEventFunc)(XvDriver *drv, const XvDriverEvent *event,
                                  gpointer user_data);

/* ---- open / close ------------------------------------------------------ */

typedef struct {
    const char *config_dir;     /* required */
    const char *state_dir;      /* required */
    const char *lib_dir;        /* required */
    XvHost *host;               /* required, borrowed; outlives the driver */
    guint max_async_jobs;       /* host-wide concurrent async jobs; 0 = no limit */
    gint64 job_wait_us;         /* default job wait; 0 = XV_JOB_DEFAULT_WAIT_US */
    guint max_job_waiters;      /* per domain; 0 = XV_JOB_DEFAULT_MAX_WAITERS */
    guint event_threads;        /* workers for host events; 0 = 4 */
    gboolean no_autostart;      /* skip autostart at open (tests, --no-autostart) */
    XvDriverEventFunc listener; /* may be NULL; set before recovery runs */
    gpointer listener_data;
} XvDriverOptions;

void xv_driver_options_init(XvDriverOptions *opts);

/* Creates missing directories, takes the state-dir lock, loads configs and
 * status files, reconciles with the host (recovery, see domain-persist.h),
 * then autostarts (once per host boot).  Recovery problems with a single
 * domain are logged, not fatal. */
XvDriver *xv_driver_open(const XvDriverOptions *opts, GError **error);
/* Waits for event workers and the autostart thread to finish, unwatches
 * domains, releases the lock.  Domains keep running.  No other driver call
 * may be in progress or made afterwards. */
void xv_driver_close(XvDriver *drv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDriver, xv_driver_close)

XvHost *xv_driver_get_host(XvDriver *drv);
XvJobHost *xv_driver_get_job_host(XvDriver *drv);
/* Waits until no host event is queued or being handled (tests, shutdown). */
void xv_driver_flush_events(XvDriver *drv);

/* ---- host -------------------------------------------------------------- */

gboolean xv_driver_node_get_info(XvDriver *drv, virNodeInfo *info, GError **error);
/* Free host memory in bytes (virNodeGetFreeMemory). */
gboolean xv_driver_node_get_free_memory(XvDriver *drv, guint64 *bytes, GError **error);
/* The host description behind the capabilities XML (and the domain
 * capabilities): a new value the caller owns.  The host's error unprefixed. */
XvCapsHost *xv_driver_get_caps_host(XvDriver *drv, GError **error);
char *xv_driver_get_capabilities(XvDriver *drv, GError **error);
/* "credit", "credit2", "rtds", ... */
char *xv_driver_get_scheduler_type(XvDriver *drv, GError **error);

/* ---- list and lookup (never wait) ------------------------------------- */

/* virConnectListAllDomainsFlags; returns XvDomainObj references, sorted by
 * name with Domain-0 first; the array frees them. */
GPtrArray *xv_driver_list_domains(XvDriver *drv, guint flags, GError **error);
XvDomainObj *xv_driver_lookup_by_uuid(XvDriver *drv, const guchar uuid[XV_UUID_BUFLEN],
                                      GError **error);
XvDomainObj *xv_driver_lookup_by_uuid_string(XvDriver *drv, const char *uuid,
                                             GError **error);
XvDomainObj *xv_driver_lookup_by_name(XvDriver *drv, const char *name, GError **error);
XvDomainObj *xv_driver_lookup_by_id(XvDriver *drv, int id, GError **error);

/* ---- reads (never wait) ------------------------------------------------ */

gboolean xv_driver_domain_get_state(XvDriver *drv, XvDomainObj *dom, int *state,
                                    int *reason, GError **error);

/* get_info flag: ask the host for the cpu time now (a QUERY job).  Without
 * it cpu_time_ns is the value cached at the last host query of this domain
 * (any QUERY, start, state change); 0 for an inactive domain. */
#define XV_DRIVER_INFO_REFRESH (1u << 0)
/* With REFRESH: do not wait for a job that holds the domain (libvirt's
 * GET_ALL_DOMAINS_STATS_NOWAIT); fails with XV_ERROR_RESOURCE_BUSY at once
 * when the QUERY cannot begin. */
#define XV_DRIVER_INFO_NOWAIT (1u << 1)

typedef struct {
    int state;                  /* virDomainState */
    guint64 max_mem_kb;
    guint64 memory_kb;
    guint nr_virt_cpu;
    guint64 cpu_time_ns;
} XvDomainInfo;
gboolean xv_driver_domain_get_info(XvDriver *drv, XvDomainObj *dom, guint flags,
                                   XvDomainInfo *info, GError **error);

/* flags: VIR_DOMAIN_XML_SECURE | _INACTIVE | _MIGRATABLE | _UPDATE_CPU.
 * The live definition when active unless INACTIVE (then the next-boot one). */
char *xv_driver_domain_get_xml(XvDriver *drv, XvDomainObj *dom, guint flags,
                               GError **error);

/* The current job (completed FALSE) or the last completed one (TRUE; the
 * info is zeroed, type NONE, when no job completed yet).  Fails only for a
 * domain that no longer exists.  Clear 'info' with xv_job_info_clear(). */
gboolean xv_driver_domain_get_job_info(XvDriver *drv, XvDomainObj *dom, gboolean completed,
                                       XvJobInfo *info, GError **error);
gboolean xv_driver_domain_get_autostart(XvDriver *drv, XvDomainObj *dom, gboolean *autostart,
                                        GError **error);
/* virDomainHasManagedSaveImage: 1 / 0, -1 on error. */
int xv_driver_domain_has_managed_save(XvDriver *drv, XvDomainObj *dom, guint flags,
                                      GError **error);

/* ---- definition -------------------------------------------------------- */

/* virDomainDefineXMLFlags (flags: VIR_DOMAIN_DEFINE_VALIDATE accepted). */
XvDomainObj *xv_driver_define_xml(XvDriver *drv, const char *xml, guint flags,
                                  GError **error);
/* virDomainUndefineFlags: MANAGED_SAVE, NVRAM, KEEP_NVRAM. */
gboolean xv_driver_domain_undefine(XvDriver *drv, XvDomainObj *dom, guint flags,
                                   GError **error);
gboolean xv_driver_domain_set_autostart(XvDriver *drv, XvDomainObj *dom, gboolean autostart,
                                        GError **error);

/* ---- lifecycle --------------------------------------------------------- */

/* virDomainCreateXML: transient.  flags: START_PAUSED, START_VALIDATE;
 * START_AUTODESTROY is refused (no connection to tie it to). */
XvDomainObj *xv_driver_create_xml(XvDriver *drv, const char *xml, guint flags,
                                  GError **error);
/* virDomainCreateWithFlags: START_PAUSED, START_FORCE_BOOT, START_BYPASS_CACHE.
 * Restores the managed-save image when there is one, unless FORCE_BOOT. */
gboolean xv_driver_domain_start(XvDriver *drv, XvDomainObj *dom, guint flags,
                                GError **error);
/* virDomainDestroyFlags (VIR_DOMAIN_DESTROY_GRACEFUL accepted).  Aborts a
 * running async job first and waits for it to unwind. */
gboolean xv_driver_domain_destroy(XvDriver *drv, XvDomainObj *dom, guint flags,
                                  GError **error);
/* Ask the guest; the state changes when the guest acts (host event). */
gboolean xv_driver_domain_shutdown(XvDriver *drv, XvDomainObj *dom, guint flags,
                                   GError **error);
gboolean xv_driver_domain_reboot(XvDriver *drv, XvDomainObj *dom, guint flags,
                                 GError **error);
gboolean xv_driver_domain_suspend(XvDriver *drv, XvDomainObj *dom, GError **error);
gboolean xv_driver_domain_resume(XvDriver *drv, XvDomainObj *dom, GError **error);

/* ---- jobs -------------------------------------------------------------- */

/* virDomainAbortJob: asks the running async job to stop. */
gboolean xv_driver_domain_abort_job(XvDriver *drv, XvDomainObj *dom, GError **error);

/* ---- save, restore, dump ----------------------------------------------- */

/* virDomainSaveFlags (dxml: optional alternative XML stored in the image;
 * flags: BYPASS_CACHE, RUNNING, PAUSED).  The domain is stopped on success
 * (event STOPPED/SAVED); on failure or abort it keeps running and no file
 * is left at 'path'. */
gboolean xv_driver_domain_save(XvDriver *drv, XvDomainObj *dom, const char *path,
                               const char *dxml, guint flags, GError **error);
/* virDomainRestoreFlags.  dxml may change the definition but not the name
 * or UUID.  Returns the restored domain. */
XvDomainObj *xv_driver_restore(XvDriver *drv, const char *path, const char *dxml,
                               guint flags, GError **error);
char *xv_driver_save_image_get_xml(XvDriver *drv, const char *path, guint flags,
                                   GError **error);
gboolean xv_driver_save_image_define_xml(XvDriver *drv, const char *path, const char *dxml,
                                         guint flags, GError **error);
gboolean xv_driver_domain_managed_save(XvDriver *drv, XvDomainObj *dom, guint flags,
                                       GError **error);
gboolean xv_driver_domain_managed_save_remove(XvDriver *drv, XvDomainObj *dom, guint flags,
                                              GError **error);
/* virDomainCoreDumpWithFormat: flags LIVE, CRASH, RESET, BYPASS_CACHE. */
gboolean xv_driver_domain_core_dump(XvDriver *drv, XvDomainObj *dom, const char *path,
                                    guint flags, GError **error);

/* ---- tuning ------------------------------------------------------------ */

typedef struct {
    guint number;
    int state;                  /* virVcpuState */
    guint64 cpu_time_ns;
    int cpu;                    /* physical cpu, -1 when offline */
    XvBitmap *affinity;         /* owned */
} XvVcpuInfo;
void xv_vcpu_info_clear(XvVcpuInfo *info);

/* virDomainPinVcpuFlags (AFFECT_LIVE/CONFIG/CURRENT). */
gboolean xv_driver_domain_pin_vcpu(XvDriver *drv, XvDomainObj *dom, guint vcpu,
                                   const XvBitmap *cpus, guint flags, GError **error);
/* virDomainGetVcpuPinInfo: one XvBitmap per vcpu (array frees them). */
GPtrArray *xv_driver_domain_get_vcpu_pin_info(XvDriver *drv, XvDomainObj *dom, guint flags,
                                              GError **error);
/* virDomainGetVcpus: a QUERY; GArray of XvVcpuInfo (cleared by the array). */
GArray *xv_driver_domain_get_vcpus(XvDriver *drv, XvDomainObj *dom, GError **error);
/* virDomainSetVcpusFlags / GetVcpusFlags (AFFECT_*, VCPU_MAXIMUM). */
gboolean xv_driver_domain_set_vcpus(XvDriver *drv, XvDomainObj *dom, guint nvcpus,
                                    guint flags, GError **error);
int xv_driver_domain_get_vcpus_flags(XvDriver *drv, XvDomainObj *dom, guint flags,
                                     GError **error);
/* virDomainSetMemoryFlags (AFFECT_*, MEM_MAXIMUM), KiB. */
gboolean xv_driver_domain_set_memory(XvDriver *drv, XvDomainObj *dom, guint64 kb,
                                     guint flags, GError **error);
/* virDomainGetSchedulerParametersFlags: a{sv} with "weight"/"cap" (credit,
 * credit2) or "period"/"budget" (rtds), all uint32 ("u"). */
GVariant *xv_driver_domain_get_scheduler_params(XvDriver *drv, XvDomainObj *dom, guint flags,
                                                GError **error);
gboolean xv_driver_domain_set_scheduler_params(XvDriver *drv, XvDomainObj *dom,
                                               GVariant *params, guint flags, GError **error);

/* ---- devices (MODIFY) ------------------------------------------------- */

/* virDomainAttachDeviceFlags / DetachDeviceFlags (AFFECT_LIVE/CONFIG/CURRENT)
 * and UpdateDeviceFlags (also VIR_DOMAIN_DEVICE_MODIFY_FORCE).  'xml' is one
 * <disk>, <interface>, <hostdev> or <controller type='usb'>.  Live: a disk
 * on the xen bus, an interface (a type='hostdev' one as PCI), PCI and USB
 * host devices, USB controllers; update changes a cdrom's medium (HVM) live,
 * and a disk's source or a whole interface (by MAC) in the config.  A live
 * attach / detach emits DEVICE_ADDED / DEVICE_REMOVED. */
gboolean xv_driver_domain_attach_device(XvDriver *drv, XvDomainObj *dom, const char *xml,
                                        guint flags, GError **error);
gboolean xv_driver_domain_detach_device(XvDriver *drv, XvDomainObj *dom, const char *xml,
                                        guint flags, GError **error);
gboolean xv_driver_domain_update_device(XvDriver *drv, XvDomainObj *dom, const char *xml,
                                        guint flags, GError **error);

/* ---- metadata ---------------------------------------------------------- */

/* virDomainGetMetadata (a read: never waits).  type: VIR_DOMAIN_METADATA_*;
 * 'uri' names the element's namespace (ELEMENT only).  flags: one of
 * AFFECT_LIVE / AFFECT_CONFIG, or CURRENT.  XV_ERROR_NO_DOMAIN_METADATA when
 * absent. */
char *xv_driver_domain_get_metadata(XvDriver *drv, XvDomainObj *dom, int type,
                                    const char *uri, guint flags, GError **error);
/* virDomainSetMetadata (MODIFY): 'metadata' NULL or "" removes; ELEMENT puts
 * the element into namespace 'uri' with prefix 'key', replacing the one
 * already there.  Emits METADATA_CHANGE. */
gboolean xv_driver_domain_set_metadata(XvDriver *drv, XvDomainObj *dom, int type,
                                       const char *metadata, const char *key,
                                       const char *uri, guint flags, GError **error);

/* ---- foreign domains --------------------------------------------------- */

typedef struct {
    guint32 domid;
    char *name;
    guchar uuid[XV_UUID_BUFLEN];
} XvForeignDomain;
void xv_foreign_domain_free(XvForeignDomain *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvForeignDomain, xv_foreign_domain_free)

/* Domains on the host that the driver does not manage (Domain-0 excluded). */
GPtrArray *xv_driver_list_foreign(XvDriver *drv, GError **error);
/* Adopt a foreign running domain: its config is retrieved from the host and
 * turned into a transient definition; the domain is watched from then on.
 * flags: 0.  Emits STARTED/BOOTED.  Define it to make it persistent. */
XvDomainObj *xv_driver_adopt(XvDriver *drv, guint32 domid, guint flags, GError **error);

G_END_DECLS
