/*
 * domain-priv.h: the driver's internal state, shared by driver.c and the
 * domain-*.c files.  Not for use outside drivers/libxl/.
 *
 * Locking: fields marked "immutable" are set in xv_driver_open() before any
 * other thread can see the driver.  The list has its own lock
 * (domain-obj.h); each object's fields are under obj->lock; the event
 * counters under ev_lock.  The driver holds no lock across a host call.
 */
#pragma once

#include <glib.h>
#include <libxl.h>

#include "drivers/libxl/domain-obj.h"
#include "drivers/libxl/driver.h"
#include "drivers/libxl/libxl-conf.h"
#include "xmlconf/capabilities.h"

G_BEGIN_DECLS

struct _XvDriver {
    /* immutable after open */
    char *config_dir, *state_dir, *lib_dir;
    char *domains_dir, *autostart_dir, *save_dir, *dump_dir;
    XvHost *host;
    XvJobHost *jobs;
    int lock_fd;
    XvDriverEventFunc listener;
    gpointer listener_data;
    guint host_cpus;
    guint host_nodes;
    libxl_scheduler scheduler;
    XvDomainObj *dom0;            /* listed; its fields under its lock */

    XvDomainList list;            /* own lock */

    GThreadPool *event_pool;      /* host events; thread-safe */
    GMutex ev_lock;
    GCond ev_cond;
    guint ev_pending;             /* ev_lock: events queued or running */
    gboolean closing;             /* ev_lock */
    GThread *autostart_thread;    /* joined by close */
    GPtrArray *deferred;          /* ev_lock: XvHostEvent* waiting for the
                                     domain's async job to end (still counted
                                     in ev_pending) */

    /* The balloon watcher (driver.c): after a live setmem, polls the host's
     * domain info (no job: it never waits) until the balloon reaches the
     * target or XV_BALLOON_WATCH_US passed, and emits BALLOON_CHANGE each time
     * the current memory it sees changes. */
    GMutex bw_lock;
    GCond bw_cond;
    GHashTable *bw_pending;       /* bw_lock: XvDomainObj* (ref) -> BalloonWatch* */
    GThread *bw_thread;           /* bw_lock; started on first use, joined by close */
    gboolean bw_stop;             /* bw_lock */
};

#define XV_BALLOON_WATCH_US (120 * G_USEC_PER_SEC)
#define XV_BALLOON_POLL_US (100 * G_TIME_SPAN_MILLISECOND)

/* ---- driver.c ---- */

/* A live balloon target was set for 'dom' (running as domid). */
void xv_driver_balloon_watch(XvDriver *drv, XvDomainObj *dom, int domid, guint64 target_kb);
void xv_driver_balloon_stop(XvDriver *drv);

void xv_driver_emit(XvDriver *drv, XvDomainObj *dom, int event_id, int event, int detail);
/* Fails for Domain-0 and removed objects (XV_ERROR_OPERATION_INVALID /
 * XV_ERROR_NO_DOMAIN).  'what' is a verb for the message ("start"). */
gboolean xv_driver_check_dom(XvDriver *drv, XvDomainObj *dom, GError **error);
void xv_driver_conf_options(XvDriver *drv, XvLibxlConfOptions *opts);
/* Unknown flag bits -> XV_ERROR_INVALID_ARG. */
gboolean xv_driver_check_flags(guint flags, guint allowed, GError **error);
/* Resolve AFFECT_CURRENT/LIVE/CONFIG against the domain's state: sets
 * *live and *config, errors when LIVE on an inactive domain or CONFIG on a
 * transient one. */
gboolean xv_driver_resolve_affect(XvDomainObj *dom, guint flags, gboolean *live,
                                  gboolean *config, GError **error);

/* The existing object for def's uuid (new ref), or NULL when none; errors
 * for a uuid under another name or a name under another uuid. */
gboolean xv_driver_find_for_def(XvDriver *drv, const XvDomainDef *def, XvDomainObj **out,
                                GError **error);
/* Add a new inactive object for 'def' (owned) to the list; new reference. */
XvDomainObj *xv_driver_add_new(XvDriver *drv, XvDomainDef *def, gboolean persistent,
                               GError **error);
void xv_driver_remove(XvDriver *drv, XvDomainObj *dom);

/* ---- async job context: the abort callback reaches the host op ---- */

typedef struct {
    GMutex lock;
    XvHostOp *op;          /* lock */
    gboolean aborted;      /* lock */
    XvJobHold *hold;       /* set once begun; used by the op's progress */
} XvJobCtx;

void xv_job_ctx_init(XvJobCtx *ctx);
void xv_job_ctx_clear(XvJobCtx *ctx);
XvJobHold *xv_job_ctx_begin(XvJobCtx *ctx, XvDomainObj *dom, XvAsyncJob type,
                            const char *label, GError **error);
/* A new host op for the job (replaces the previous one); borrowed. */
XvHostOp *xv_job_ctx_op(XvJobCtx *ctx);
/* End the job: result from 'ok' and the abort flag. */
void xv_job_ctx_end(XvJobCtx *ctx, gboolean ok, const GError *error);

/* ---- domain-lifecycle.c ---- */

/* The domain became active with 'domid' running 'live' (owned). */
void xv_domain_mark_active(XvDriver *drv, XvDomainObj *dom, int domid, XvDomainDef *live,
                           int state, int reason);
/* The domain stopped: drops the live def, sets SHUTOFF/reason, forgets the
 * domid, writes status; a transient domain is removed from the list. */
void xv_domain_mark_inactive(XvDriver *drv, XvDomainObj *dom, int reason,
                             gboolean keep_listed);
/* Start the domain on the host inside the caller's START/RESTORE job:
 * boot_def (NULL: the domain's boot definition), from 'restore_fd' when
 * >= 0.  flags: VIR_DOMAIN_START_PAUSED.  Emits STARTED. */
gboolean xv_domain_start_job(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, guint flags,
                             int restore_fd, const XvDomainDef *boot_def, GError **error);
/* Destroy on the host (unwatching first); NOTFOUND counts as success. */
gboolean xv_domain_host_destroy(XvDriver *drv, XvDomainObj *dom, int domid, GError **error);
void xv_driver_on_host_event(XvHost *host, const XvHostEvent *event, gpointer user_data);
/* Apply the lifecycle action for a domain that shut down (reason) or died
 * (reason -1).  FALSE when a job holds the domain and the event must wait
 * for it (driver.c keeps it and retries when the domain's async job ends);
 * TRUE when handled or no longer relevant. */
gboolean xv_domain_handle_shutdown(XvDriver *drv, XvDomainObj *dom, guint32 domid,
                                   libxl_shutdown_reason reason);

/* ---- domain-tune.c: the MODIFY pattern shared with domain-device.c ---- */

#define XV_AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

/* Begin a MODIFY job on a manageable domain and resolve the affect flags
 * (xv_driver_resolve_affect); refuses a migrating domain. */
XvJobHold *xv_domain_begin_modify(XvDriver *drv, XvDomainObj *dom, const char *label,
                                  guint flags, gboolean *live, gboolean *config,
                                  GError **error);
/* Copies of the definitions a change will edit (NULL when not affected). */
void xv_domain_copy_defs(XvDomainObj *dom, gboolean live, gboolean config,
                         XvDomainDef **live_out, XvDomainDef **config_out);
/* Publish edited definitions (owned; either may be NULL): the config one is
 * written first; the status file follows a live change. */
gboolean xv_domain_commit_defs(XvDriver *drv, XvDomainObj *dom, XvDomainDef *live,
                               XvDomainDef *config, GError **error);

/* ---- domain-save.c ---- */

/* Restore the managed-save image inside the caller's START job; the image
 * is removed once the domain runs. */
gboolean xv_domain_restore_managed(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, guint flags,
                                   GError **error);

/* ---- domain-persist.c ---- */

char *xv_persist_config_path(XvDriver *drv, XvDomainObj *dom);
char *xv_persist_status_path(XvDriver *drv, XvDomainObj *dom);
char *xv_persist_autostart_path(XvDriver *drv, XvDomainObj *dom);
char *xv_persist_managed_save_path(XvDriver *drv, XvDomainObj *dom);
gboolean xv_persist_write_config(XvDriver *drv, const XvDomainDef *def, GError **error);
gboolean xv_persist_remove_config(XvDriver *drv, XvDomainObj *dom, GError **error);
/* Write (active or a job running) or remove the status file. */
gboolean xv_persist_write_status(XvDriver *drv, XvDomainObj *dom, GError **error);
void xv_persist_write_status_or_warn(XvDriver *drv, XvDomainObj *dom);
gboolean xv_persist_lock_state_dir(XvDriver *drv, GError **error);
gboolean xv_persist_load_and_recover(XvDriver *drv, GError **error);
void xv_persist_autostart(XvDriver *drv);
char *xv_persist_host_boot_id(XvDriver *drv);

/* Save image: header + XML, then the host stream.  write returns the fd
 * positioned after the header. */
#define XV_SAVE_MAGIC "XenvirtSave-v1\n"
#define XV_SAVE_VERSION 1u
gboolean xv_save_header_write(int fd, const char *xml, gboolean was_running, GError **error);
/* Reads the header and XML; the fd is left positioned at the stream. */
gboolean xv_save_header_read(int fd, const char *path, char **xml_out, gboolean *was_running,
                             GError **error);

G_END_DECLS
