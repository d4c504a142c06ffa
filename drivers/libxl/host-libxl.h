/*
 * host-libxl.h: the real libxenlight backend of the host port.
 *
 * xv_host_libxl_open() opens THE libxl_ctx of the process (libxl's contexts
 * share process-wide state, notably SIGCHLD handling, so xenvirt keeps one;
 * a second open while one is open fails with XV_ERROR_OPERATION_INVALID).
 * Every XvHostOps member is implemented with real libxl 4.17 calls; see
 * host.h for the port contract.  What this backend adds to it:
 *
 * Threads and the event context
 * -----------------------------
 * - The libxl_ctx is thread-safe; every operation may be called from any
 *   thread.  Short operations (pause, info, ...) are synchronous libxl calls
 *   (ao_how NULL) in the calling thread.
 * - The GMainContext that is the thread-default of the thread calling
 *   xv_host_libxl_open() (the "event context") carries libxl's fds, timers
 *   and child processes (libxl_osevent_register_hooks, see "Event loop"
 *   below) and delivers XvHost events.  IT MUST BE ITERATED for as long as
 *   the host is open: the long operations (create_new, create_restore,
 *   suspend) are started as asynchronous libxl operations whose progress is
 *   driven by that loop, and the job thread that called them waits (on a
 *   GCond) for their completion callback.  Never call a long operation from
 *   the thread that iterates the event context: it would wait for itself.
 * - xv_host_close() must be called from the thread that iterates the event
 *   context (or while nobody iterates it), after every operation returned.
 *
 * Long operations, progress and abort
 * -----------------------------------
 * - create_new / create_restore / suspend run as libxl asynchronous
 *   operations with a libxl_asyncop_how whose callback signals the waiting
 *   job thread.  The XvHostOp's abort hook calls libxl_ao_abort() with that
 *   same ao_how (each one unique while it runs); libxl then completes the
 *   operation early with ERROR_ABORTED.  An abort that arrives before the
 *   operation started makes it fail with ERROR_ABORTED without calling libxl.
 * - After a failed or aborted create/restore, a domain that libxl left behind
 *   (libxl reports its domid; the UUID is checked) is destroyed.  After a
 *   failed or aborted suspend, a guest left suspended is resumed
 *   (libxl_domain_resume, cooperative), so it keeps running.
 * - core_dump: libxl_domain_core_dump() is synchronous inside libxl and
 *   cannot be cut short; it runs on a helper thread while the job thread
 *   reports progress.  An abort makes the call fail with ERROR_ABORTED after
 *   libxl returns, and the partial core file is removed.
 * - Progress (reported from the job thread, every 250 ms): libxl reports no
 *   byte progress for these operations through libxl_asyncprogress_how, so
 *   the backend observes the stream itself: suspend reports the write offset
 *   of 'fd' (the save helper shares the file description) against the
 *   domain's memory; create_restore the read offset against the file size;
 *   core_dump the size of the core file against the domain's memory.  On a
 *   pipe or socket (migration) no byte progress is available and none is
 *   reported.  libxl's own xentoollog progress messages go to the debug log.
 *
 * Event loop (libxl_osevent_register_hooks)
 * -----------------------------------------
 * Each fd libxl registers becomes a GSource (g_source_add_unix_fd) attached
 * to the event context, each timeout a GSource with a ready time; their
 * dispatch functions call libxl_osevent_occurred_fd / _timeout, never the
 * hooks themselves.  The hooks run in any thread, with libxl's lock held;
 * they take only the loop's own mutex, which is never held while calling
 * libxl (libxl_event.h's lock rule (a)).  A timeout fires once: a
 * timeout_modify to abs={0,0} makes it ready at once, and one that races
 * with the timeout's dispatch is ignored.  An fd registered for no events is
 * kept out of the poll set until modified.
 *
 * Child processes (libxl_childproc_setmode)
 * -----------------------------------------
 * libxl_sigchld_owner_mainloop, with a fork_replacement hook: libxl never
 * installs a SIGCHLD handler; for each child it forks, the backend attaches a
 * GLib child watch to the event context, and its callback hands the exit
 * status to libxl_childproc_reaped().  GLib owns SIGCHLD, so the daemon's
 * own GSubprocess / g_child_watch children and libxl's never fight.  (The
 * libxl_always modes make libxl install its own SIGCHLD handler, which
 * asserts that none is installed and is silently replaced by GLib's first
 * child watch, after which libxl's children are never reaped.)
 *
 * Events
 * ------
 * watch_domain enables libxl's domain-death events for one domid
 * (libxl_evenable_domain_death, handle kept in a table under a mutex;
 * watching twice is a no-op); DOMAIN_SHUTDOWN (with its reason) and
 * DOMAIN_DEATH arrive in libxl's event_occurs callback in any thread and
 * are posted with xv_host_emit_event() to the event context.  Events for a
 * domain no longer watched are dropped.
 *
 * Logging
 * -------
 * libxl's xentoollog output goes to GLib structured logging, log domain
 * "xenvirt-libxl", fields XEN_CONTEXT ("libxl", "xc", ...) and XEN_LEVEL:
 * debug/verbose/detail/progress -> G_LOG_LEVEL_DEBUG, info -> INFO,
 * notice -> MESSAGE, warn and error -> WARNING, critical -> CRITICAL.
 * The first error libxl logs during a failed operation becomes part of the
 * operation's error message.
 *
 * Errors
 * ------
 * Operations return libxl's rc; the GError's code is mapped from it by
 * xv_host_libxl_error_code() (ERROR_DOMAIN_NOTFOUND -> XV_ERROR_NO_DOMAIN,
 * ERROR_ABORTED -> XV_ERROR_OPERATION_ABORTED, ...) and the message names
 * the operation, the domid and the reason.
 *
 * The rest of this header exposes the backend's pure building blocks, for
 * the tests (tests/host-libxl) and nothing else.
 */
#pragma once

#include <sys/types.h>
#include <libxl_event.h>
#include <xentoollog.h>

#include "drivers/libxl/host.h"

G_BEGIN_DECLS

/* Open the process's libxl_ctx, with libxl's fds, timers and children
 * integrated into the thread-default GMainContext.  Fails cleanly (no crash)
 * with XV_ERROR_NO_SUPPORT when the machine is not a Xen dom0. */
XvHost *xv_host_libxl_open(GError **error);

/* The host's libxl_ctx (borrowed; valid until xv_host_close()), for the
 * few callers that need a ctx for libxl's pure functions (JSON, copy). */
libxl_ctx *xv_host_libxl_get_ctx(XvHost *host);

/* ---- errors ------------------------------------------------------------ */

/* The XvErrorCode for a libxl ERROR_* code (XV_ERROR_XEN_CALL when there is
 * no closer one). */
int xv_host_libxl_error_code(int rc);
/* A translated phrase saying what a libxl ERROR_* code means
 * ("the domain does not exist"). */
const char *xv_host_libxl_error_reason(int rc);
/* Set 'error' to the reason for 'rc', followed by libxl's name for the code
 * and 'detail' (libxl's own log message; may be NULL). */
void xv_host_libxl_set_error(GError **error, int rc, const char *detail);

/* ---- logging ----------------------------------------------------------- */

#define XV_HOST_LIBXL_LOG_DOMAIN "xenvirt-libxl"

/* A xentoollog_logger that writes to GLib's structured log.  Thread-safe.
 * Freed with xtl_logger_destroy() semantics: call logger->destroy(logger). */
xentoollog_logger *xv_host_libxl_logger_new(void);
GLogLevelFlags xv_host_libxl_log_level(xentoollog_level level);
/* Per calling thread: start capturing the first error-level message libxl
 * logs; take it (transfer full, NULL if none) and stop capturing. */
void xv_host_libxl_log_capture_begin(void);
char *xv_host_libxl_log_capture_end(void);

/* ---- the event loop ---------------------------------------------------- */

typedef struct _XvLibxlLoop XvLibxlLoop;

/* What the loop calls, from the event context's dispatch (never from inside
 * a hook, never with the loop's mutex held).  For the backend these call
 * libxl_osevent_occurred_fd / _timeout and libxl_childproc_reaped. */
typedef struct {
    void (*fd_occurred)(gpointer data, void *for_libxl, int fd, short events,
                        short revents);
    void (*timeout_occurred)(gpointer data, void *for_libxl);
    void (*child_reaped)(gpointer data, pid_t pid, int status);
} XvLibxlLoopFuncs;

/* 'funcs' is borrowed and must outlive the loop. */
XvLibxlLoop *xv_libxl_loop_new(GMainContext *context, const XvLibxlLoopFuncs *funcs,
                               gpointer data);
/* Destroys every source still registered.  Call it after libxl_ctx_free()
 * (which deregisters through the hooks), from the event context's thread. */
void xv_libxl_loop_free(XvLibxlLoop *loop);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvLibxlLoop, xv_libxl_loop_free)

/* The hook tables to pass to libxl_osevent_register_hooks() and
 * libxl_childproc_setmode() with the loop as 'user'.  Static storage. */
const libxl_osevent_hooks *xv_libxl_loop_osevent_hooks(void);
const libxl_childproc_hooks *xv_libxl_loop_childproc_hooks(void);

/* Live registrations (for tests and leak checks). */
guint xv_libxl_loop_n_fds(XvLibxlLoop *loop);
guint xv_libxl_loop_n_timeouts(XvLibxlLoop *loop);
guint xv_libxl_loop_n_children(XvLibxlLoop *loop);

/* The monotonic ready time (g_source_set_ready_time) for libxl's absolute
 * wall-clock deadline 'abs', given the current real and monotonic times in
 * microseconds; abs={0,0} means "now" (0, ready at once). */
gint64 xv_libxl_loop_ready_time(struct timeval abs, gint64 now_real, gint64 now_mono);

/* ---- the runner of the long operations ----------------------------------- */

/* Starts one asynchronous libxl operation with the ao_how it is given
 * (returning libxl's rc for the start); called once. */
typedef int (*XvHostLibxlAoStart)(libxl_ctx *ctx, const libxl_asyncop_how *how,
                                  gpointer data);
/* Reports progress (xv_host_op_report) from the waiting thread. */
typedef void (*XvHostLibxlAoPoll)(gpointer data, XvHostOp *op);

/* Run 'start' and wait in the calling thread until libxl calls the ao_how's
 * completion callback (from any thread); return the operation's rc.  While
 * it runs, 'op' (may be NULL) has an abort hook that calls libxl_ao_abort()
 * with that ao_how; 'poll' (may be NULL) is called every 250 ms.  The hook is
 * gone when this returns. */
int xv_host_libxl_run_async(XvHost *host, XvHostOp *op, XvHostLibxlAoStart start,
                            XvHostLibxlAoPoll poll, gpointer data);

/* ---- pure helpers of the operations ------------------------------------ */

/* Restore parameters for a stream written by libxl_domain_suspend: stream
 * version 2 (else libxl runs a Python converter for v1 streams), no
 * checkpointing.  Dispose with libxl_domain_restore_params_dispose(). */
void xv_host_libxl_restore_params_init(libxl_domain_restore_params *params);
/* Validate the port's suspend flags (LIBXL_SUSPEND_LIVE, LIBXL_SUSPEND_DEBUG)
 * and return the flags for libxl_domain_suspend, or -1 with 'error' set. */
int xv_host_libxl_suspend_flags(uint32_t domid, int flags, GError **error);
/* Deep copy with strdup'ed strings; 'out' is initialised here. */
void xv_host_libxl_copy_version(libxl_version_info *out, const libxl_version_info *in);
/* Translate a libxl event; FALSE for event types the port does not carry. */
gboolean xv_host_libxl_translate_event(const libxl_event *event, XvHostEvent *out);

G_END_DECLS
