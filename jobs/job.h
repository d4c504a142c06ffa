/*
 * job.h: the per-domain job state machine.
 *
 * Generic: GLib and util/ only; nothing here knows libxl, D-Bus or the driver.
 *
 * MODEL
 *
 * Every domain object embeds one XvJobSlot.  Work on a domain is bracketed by
 * a job taken on its slot:
 *
 *   - XV_JOB_NONE: reads of daemon state (state, info, XML, job info, list).
 *     They never touch the slot and never wait; xv_job_slot_get_info() is the
 *     job-info read and does not wait either.
 *   - sync jobs: XV_JOB_QUERY (asks the hypervisor; any number share),
 *     XV_JOB_MODIFY and XV_JOB_SUSPEND (exclusive), XV_JOB_DESTROY
 *     (exclusive, and first aborts the async job), XV_JOB_ABORT (never
 *     waits, never excludes anything).
 *   - async jobs (START, SAVE, RESTORE, MIGRATION_OUT, MIGRATION_IN, DUMP):
 *     at most one per domain, and at most xv_job_host's limit on the whole
 *     host, handed out in FIFO order across domains.
 *
 * At any time a slot holds at most one async job and either one exclusive
 * sync job or any number of QUERYs.  A sync job runs alongside the async job
 * only when the async job's mask (XV_JOB_MASK bits) allows its class; the
 * async job's owner may change the mask while it runs.  Default masks
 * (libvirt's qemu driver's choices; MODIFY during migration-out stands in for
 * its MIGRATION_OP class):
 *
 *   async job      | QUERY | MODIFY | SUSPEND | ABORT | DESTROY
 *   ---------------+-------+--------+---------+-------+---------------------
 *   start          |  yes  |   -    |    -    |  yes  | aborts it, then runs
 *   save           |  yes  |   -    |    -    |  yes  | aborts it, then runs
 *   restore        |  yes  |   -    |    -    |  yes  | aborts it, then runs
 *   migration-out  |  yes  |  yes   |   yes   |  yes  | aborts it, then runs
 *   migration-in   |  yes  |   -    |    -    |  yes  | aborts it, then runs
 *   dump           |  yes  |   -    |    -    |  yes  | aborts it, then runs
 *
 * QUERY is always allowed (the mask cannot remove it).  MODIFY during
 * migration-out stands for libvirt's MIGRATION_OP class (set speed, max
 * downtime, pause to converge): the driver must refuse device and
 * configuration changes itself while xv_job_slot_get_async() says
 * migration-out, or narrow the mask.  ABORT in the mask means "abortable": an
 * owner clears it when the job passes its point of no return.  DESTROY
 * ignores the mask: it marks the async job aborted, calls the owner's abort
 * callback (whether or not ABORT is in the mask: destroy is not a request),
 * waits for the owner to end the job and for the sync side to drain, and
 * then runs.  While a DESTROY waits, no other job starts on the slot (ABORT
 * excepted); the owner of an async job therefore never begins a sync job on
 * its own slot.
 *
 * An async job begins only when no async job is on the slot and every sync
 * job running is one its mask allows (QUERYs never block it).  Then it waits,
 * already visible on the slot as "queued", for host-wide capacity; an abort
 * or destroy in that state makes its begin fail with
 * XV_ERROR_OPERATION_ABORTED without calling the owner's callback.
 * DESTROY, ABORT and QUERY never need host-wide capacity.
 *
 * Waiters on one slot are served fairly: a waiter that could run yields to an
 * earlier waiter that could run and conflicts with it, so a stream of QUERYs
 * cannot starve a MODIFY; waiters that cannot run yet do not block others.
 *
 * WAITING
 *
 * Every begin takes timeout_us: XV_JOB_WAIT_DEFAULT (the host's configured
 * wait, 30 s unless changed), 0 (never wait), or a number of microseconds.
 * A waiter that gives up fails with XV_ERROR_OPERATION_TIMEOUT and a message
 * naming the job in its way, its label and for how long it has held the
 * domain: "cannot acquire state change lock (held by job 'save' for 12.3 s)".
 * The job named is, in this order: the async job when it is in the way, the
 * exclusive sync job, the oldest QUERY (for an exclusive waiter), a waiting
 * DESTROY, or the earlier waiter this one yields to.
 * Callers prefix the domain: xv_error_prefix(error, _("cannot ... '%s': "), name).
 * More than the host's per-domain waiter limit: XV_ERROR_RESOURCE_BUSY at
 * once (DESTROY and ABORT are exempt).
 *
 * Labels are the caller's description of the operation (a D-Bus method name,
 * "save", ...) and appear in messages and job info; NULL means the class name.
 *
 * THREADS, LOCKS, LIFETIMES
 *
 * Every function may be called from any thread; callers must hold nothing
 * (in particular not the domain's mutex) when calling a begin function,
 * because begins wait.  The other functions never wait for a job: they take
 * the slot's internal mutex for microseconds (a leaf lock; the only lock taken
 * under it is the host's), so they may be called with the domain mutex held.
 * Exception: xv_job_end_async() waits for an abort callback that is running
 * at that moment to return.
 *
 * The XvJobHost outlives every slot initialised with it.  xv_job_slot_dispose()
 * requires that no job is held or waited for on the slot.  An XvJobHold is
 * owned by the caller of the begin function until the matching end, which
 * frees it; it may be ended on a different thread than it was begun on.
 * The abort callback is called without locks on the thread that requested the
 * abort or destroy; it must be quick (set a flag, call xv_host_op_abort) and
 * must not end the job; after xv_job_end_async() returns it is not running
 * and will not be called again.  The listener is called without locks on the
 * thread that caused the event (an owner's xv_job_set_*() call, a begin, an
 * end); it may call the non-waiting functions here, and must not take a lock
 * that the thread reporting progress might hold (e.g. the domain mutex, if
 * the owner reports progress under it).
 */
#pragma once

#include <glib.h>

#include "util/xv-enum.h"

G_BEGIN_DECLS

/* Sync job classes. */
typedef enum {
    XV_JOB_NONE = 0,   /* no job: never passed to xv_job_begin() */
    XV_JOB_QUERY,
    XV_JOB_MODIFY,
    XV_JOB_SUSPEND,
    XV_JOB_DESTROY,
    XV_JOB_ABORT,
    XV_JOB_LAST
} XvJob;
XV_ENUM_DECL(xv_job, XvJob);   /* "none", "query", "modify", "suspend", "destroy", "abort" */

typedef enum {
    XV_ASYNC_JOB_NONE = 0,
    XV_ASYNC_JOB_START,
    XV_ASYNC_JOB_SAVE,
    XV_ASYNC_JOB_RESTORE,
    XV_ASYNC_JOB_MIGRATION_OUT,
    XV_ASYNC_JOB_MIGRATION_IN,
    XV_ASYNC_JOB_DUMP,
    XV_ASYNC_JOB_LAST
} XvAsyncJob;
/* "none", "start", "save", "restore", "migration-out", "migration-in", "dump" */
XV_ENUM_DECL(xv_async_job, XvAsyncJob);

/* How an async job ended (libvirt's COMPLETED / FAILED / CANCELLED). */
typedef enum {
    XV_JOB_RESULT_NONE = 0,       /* not ended (current job info) */
    XV_JOB_RESULT_COMPLETED,
    XV_JOB_RESULT_FAILED,
    XV_JOB_RESULT_CANCELLED,
    XV_JOB_RESULT_LAST
} XvJobResult;
XV_ENUM_DECL(xv_job_result, XvJobResult);   /* "none", "completed", "failed", "cancelled" */

typedef enum {
    XV_JOB_EVENT_STARTED = 0,     /* an async job began running (past the host queue) */
    XV_JOB_EVENT_PROGRESS,        /* phase, progress or mask changed */
    XV_JOB_EVENT_COMPLETED,       /* an async job ended; info is the completed stats */
    XV_JOB_EVENT_LAST
} XvJobEvent;
XV_ENUM_DECL(xv_job_event, XvJobEvent);   /* "started", "progress", "completed" */

#define XV_JOB_MASK(job) (1u << (job))
/* Bits of a mask that mean something: the classes that may run alongside. */
#define XV_JOB_MASK_VALID (XV_JOB_MASK(XV_JOB_QUERY) | XV_JOB_MASK(XV_JOB_MODIFY) | \
                           XV_JOB_MASK(XV_JOB_SUSPEND) | XV_JOB_MASK(XV_JOB_ABORT))

/* The default mask of each async job (the table above). */
guint xv_async_job_default_mask(XvAsyncJob type);

#define XV_JOB_WAIT_DEFAULT ((gint64)-1)
#define XV_JOB_DEFAULT_WAIT_US (30 * G_USEC_PER_SEC)
#define XV_JOB_DEFAULT_MAX_WAITERS 32u

/*
 * Snapshot of a job, a copy the reader owns (clear it with
 * xv_job_info_clear() or g_auto(XvJobInfo)).  Used for the current job
 * (xv_job_slot_get_info), the last completed one (xv_job_slot_get_completed)
 * and listener events.
 *
 * ETA estimator: each data progress update adds a sample (time, processed).
 * Once at least 250 ms of job time separate the current sample from the start
 * of the measuring window, the window's throughput (bytes / second) is folded
 * into an exponentially weighted moving average (weight 0.3 for the new
 * window, the first window taken as is) and a new window starts.  eta_us =
 * data_remaining / average; has_eta is FALSE until the first window closes
 * with a positive throughput.  A decrease of processed (a restarted pass)
 * restarts the window but keeps the average.
 */
typedef struct {
    XvAsyncJob type;             /* NONE: no async job (current info) */
    char *label;
    char *phase;                 /* NULL until the owner sets one */
    gboolean queued;             /* waiting for host-wide capacity */
    gboolean abortable;          /* ABORT in the mask */
    gboolean aborting;           /* abort or destroy requested */
    guint mask;
    gint64 started_wall_us;      /* g_get_real_time() at begin */
    gint64 elapsed_us;           /* monotonic; total duration for a completed job */
    gboolean has_data;
    guint64 data_total;
    guint64 data_processed;
    guint64 data_remaining;      /* total - processed, never below 0 */
    gboolean has_mem;
    guint64 mem_total;
    guint64 mem_processed;
    guint64 mem_remaining;
    gboolean has_eta;
    gint64 eta_us;               /* estimated time remaining */
    guint64 data_bps;            /* smoothed throughput, valid when has_eta */
    XvJobResult result;          /* completed stats only */
    char *error_message;         /* completed stats only; NULL unless failed/cancelled with a message */
    XvJob sync_job;              /* current info: exclusive sync job, or QUERY, or NONE */
    char *sync_label;            /* its label (the oldest QUERY's) */
    guint n_queries;
    guint n_waiters;             /* threads waiting in a begin on this slot */
} XvJobInfo;

void xv_job_info_clear(XvJobInfo *info);
void xv_job_info_copy(XvJobInfo *dst, const XvJobInfo *src);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(XvJobInfo, xv_job_info_clear)

/* ---- the host: shared by all slots ---- */

typedef struct _XvJobHost XvJobHost;
typedef struct _XvJobSlot XvJobSlot;
typedef struct _XvJobHold XvJobHold;

typedef gint64 (*XvJobClockFunc)(gpointer data);
typedef void (*XvJobListener)(XvJobSlot *slot, gpointer slot_owner, XvJobEvent event,
                              const XvJobInfo *info, gpointer user_data);
/* Asks the owner of an async job to stop (see the contract above). */
typedef void (*XvJobAbortFunc)(XvJobSlot *slot, gpointer user_data);

/* max_async: concurrent async jobs on the whole host, 0 for no limit. */
XvJobHost *xv_job_host_new(guint max_async);
void xv_job_host_free(XvJobHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvJobHost, xv_job_host_free)

/* Configuration.  The async limit, the default wait and the per-domain
 * waiter limit may change at any time (a config reload): a raised async limit
 * wakes the queue, the others apply to begins that start afterwards.  The
 * listener and the clock must be set before the first slot is initialised. */
void xv_job_host_set_max_async(XvJobHost *host, guint max_async);
void xv_job_host_set_default_wait(XvJobHost *host, gint64 wait_us);
void xv_job_host_set_max_waiters(XvJobHost *host, guint max_waiters);   /* per domain; 0: no limit */
void xv_job_host_set_listener(XvJobHost *host, XvJobListener listener, gpointer user_data);
/* The monotonic clock for elapsed times, "held for" durations and the ETA
 * (default g_get_monotonic_time).  Tests use it; deadlines of waits always
 * use the real monotonic clock. */
void xv_job_host_set_clock(XvJobHost *host, XvJobClockFunc clock, gpointer data);

/* Async jobs running (past the queue) and waiting in the host queue. */
void xv_job_host_get_counts(XvJobHost *host, guint *running, guint *queued);

/* ---- the slot: one per domain ---- */

struct _XvJobSlot {
    struct _XvJobSlotPriv *priv;   /* owned; set by init, freed by dispose */
};

/* owner: the domain object, handed to the listener; not referenced. */
void xv_job_slot_init(XvJobSlot *slot, XvJobHost *host, gpointer owner);
/* Idempotent.  No job may be held or waited for. */
void xv_job_slot_dispose(XvJobSlot *slot);

/* Begin a sync job (QUERY, MODIFY, SUSPEND, DESTROY, ABORT).
 * ABORT never waits: it fails with XV_ERROR_OPERATION_INVALID when no async
 * job is on the slot or it is not abortable, else it marks the async job
 * aborted, calls the owner's abort callback (once per job) and returns a hold
 * that blocks nothing; end it when the abort request is done.
 * DESTROY aborts the async job as described above before waiting. */
XvJobHold *xv_job_begin(XvJobSlot *slot, XvJob job, const char *label,
                        gint64 timeout_us, GError **error);

/* Begin an async job.  abort_func (may be NULL: the owner polls
 * xv_job_is_aborted()) is called on abort and destroy. */
XvJobHold *xv_job_begin_async(XvJobSlot *slot, XvAsyncJob type, const char *label,
                              XvJobAbortFunc abort_func, gpointer abort_data,
                              gint64 timeout_us, GError **error);

/* End a sync job and free the hold.  On an async hold it ends the job with
 * result "cancelled" when an abort was requested, else "failed" (a safety
 * net for g_autoptr: end async jobs with xv_job_end_async()). */
void xv_job_end(XvJobHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvJobHold, xv_job_end)

/* End an async job: keeps its stats as the last completed job (with error's
 * message, if any), releases host capacity, tells the listener, frees hold. */
void xv_job_end_async(XvJobHold *hold, XvJobResult result, const GError *error);

/* ---- the async job's owner, from any thread ---- */

XvJobSlot *xv_job_hold_get_slot(XvJobHold *hold);
gboolean xv_job_is_aborted(XvJobHold *hold);
void xv_job_set_phase(XvJobHold *hold, const char *phase);
/* Widens or narrows the mask for jobs that begin from now on (running ones
 * are not affected); QUERY is always kept. */
void xv_job_set_mask(XvJobHold *hold, guint mask);
void xv_job_set_data_progress(XvJobHold *hold, guint64 total, guint64 processed);
void xv_job_set_mem_progress(XvJobHold *hold, guint64 total, guint64 processed);
/* Owner data for the recovery record; key: [A-Za-z0-9_.-]+; value NULL removes. */
void xv_job_set_record_data(XvJobHold *hold, const char *key, const char *value);

/* ---- readers, from any thread, never waiting for a job ----
 * The XvJobInfo out-parameters are overwritten, not freed: pass a cleared or
 * uninitialised struct and clear it after use. */

/* Current async job (type NONE when none) and sync side. */
void xv_job_slot_get_info(XvJobSlot *slot, XvJobInfo *info);
/* The last completed async job; FALSE (info zeroed) when none ended yet. */
gboolean xv_job_slot_get_completed(XvJobSlot *slot, XvJobInfo *info);
void xv_job_slot_clear_completed(XvJobSlot *slot);
XvAsyncJob xv_job_slot_get_async(XvJobSlot *slot);
guint xv_job_slot_get_n_waiters(XvJobSlot *slot);

/* Convenience: begin an ABORT job and end it at once. */
gboolean xv_job_abort(XvJobSlot *slot, GError **error);

/* ---- the record kept in the status file for recovery ---- */

typedef struct {
    XvAsyncJob type;
    char *label;
    char *phase;                 /* may be NULL */
    gint64 started_wall_us;      /* g_get_real_time() at begin */
    GHashTable *data;            /* char* -> char*, owned */
} XvJobRecord;

XvJobRecord *xv_job_record_new(XvAsyncJob type, const char *label);
void xv_job_record_free(XvJobRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvJobRecord, xv_job_record_free)
gboolean xv_job_record_equal(const XvJobRecord *a, const XvJobRecord *b);

/* The running async job's record (also while queued); NULL when none. */
XvJobRecord *xv_job_slot_get_record(XvJobSlot *slot);

/* Recovery: a restarted daemon begins an async job of rec->type to finish or
 * roll back what the record describes, and adopts the record into it: phase,
 * owner data and the original start time (wall clock) are taken over, so the
 * status file keeps describing the same operation. */
void xv_job_adopt_record(XvJobHold *hold, const XvJobRecord *rec);

/* Keyfile group: type=save, label=..., phase=..., started=<ISO 8601 UTC with
 * microseconds>, and data.<key>=value for each owner datum. */
void xv_job_record_to_keyfile(const XvJobRecord *rec, GKeyFile *kf, const char *group);
XvJobRecord *xv_job_record_from_keyfile(GKeyFile *kf, const char *group, GError **error);
/* The same as keyfile text with a single group "[job]". */
char *xv_job_record_to_string(const XvJobRecord *rec);
XvJobRecord *xv_job_record_from_string(const char *text, GError **error);

G_END_DECLS
