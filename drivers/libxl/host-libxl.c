/*
 * host-libxl.c: the real libxenlight backend of the host port.
 *
 * Read host-libxl.h first: it states the threading, event-loop, child
 * process and abort rules this file implements.  Order of the file: errors,
 * logging, the GLib event loop under libxl (fds, timeouts, children), the
 * runner of asynchronous libxl operations, the port operations in the order
 * of XvHostOps, events, open/close.
 */
#define G_LOG_DOMAIN "xenvirt-libxl"

#include "drivers/libxl/host-libxl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxl_utils.h>

#include "util/xv-error.h"

/* How often a job thread waiting for a long operation reports progress. */
#define HOST_PROGRESS_INTERVAL_US (250 * G_TIME_SPAN_MILLISECOND)

/* ======================================================================
 * Errors
 * ====================================================================== */

static const struct {
    int rc;
    int code;
    const char *reason;
} host_errors[] = {
    { ERROR_NONSPECIFIC, XV_ERROR_XEN_CALL, N_("libxl reported an unspecified failure") },
    { ERROR_VERSION, XV_ERROR_INTERNAL, N_("xenvirt and libxl disagree on the libxl API version") },
    { ERROR_FAIL, XV_ERROR_XEN_CALL, N_("the Xen toolstack call failed") },
    { ERROR_NI, XV_ERROR_NO_SUPPORT, N_("libxl does not implement this operation") },
    { ERROR_NOMEM, XV_ERROR_NO_MEMORY, N_("libxl ran out of memory") },
    { ERROR_INVAL, XV_ERROR_INVALID_ARG, N_("libxl rejected an argument as invalid") },
    { ERROR_BADFAIL, XV_ERROR_XEN_CALL, N_("the Xen toolstack failed badly") },
    { ERROR_GUEST_TIMEDOUT, XV_ERROR_OPERATION_TIMEOUT, N_("the guest did not respond in time") },
    { ERROR_TIMEDOUT, XV_ERROR_OPERATION_TIMEOUT, N_("the operation timed out") },
    { ERROR_NOPARAVIRT, XV_ERROR_OPERATION_UNSUPPORTED,
      N_("the guest has no paravirtualised drivers to receive the request") },
    { ERROR_NOT_READY, XV_ERROR_OPERATION_INVALID, N_("the domain is not ready for this operation") },
    { ERROR_OSEVENT_REG_FAIL, XV_ERROR_INTERNAL, N_("an event source could not be registered with the main loop") },
    { ERROR_BUFFERFULL, XV_ERROR_INTERNAL, N_("an internal libxl buffer was too small") },
    { ERROR_UNKNOWN_CHILD, XV_ERROR_INTERNAL, N_("libxl was told about a child process it did not start") },
    { ERROR_LOCK_FAIL, XV_ERROR_RESOURCE_BUSY,
      N_("a libxl lock could not be taken (another toolstack may be working on the domain)") },
    { ERROR_JSON_CONFIG_EMPTY, XV_ERROR_OPERATION_FAILED, N_("libxl holds no configuration for the domain") },
    { ERROR_DEVICE_EXISTS, XV_ERROR_OPERATION_INVALID, N_("the device already exists") },
    { ERROR_CHECKPOINT_DEVOPS_DOES_NOT_MATCH, XV_ERROR_NO_SUPPORT,
      N_("the checkpoint device operations do not match") },
    { ERROR_CHECKPOINT_DEVICE_NOT_SUPPORTED, XV_ERROR_NO_SUPPORT,
      N_("a device does not support checkpointing") },
    { ERROR_VNUMA_CONFIG_INVALID, XV_ERROR_CONFIG_UNSUPPORTED, N_("the vNUMA configuration is invalid") },
    { ERROR_DOMAIN_NOTFOUND, XV_ERROR_NO_DOMAIN, N_("the domain does not exist") },
    { ERROR_ABORTED, XV_ERROR_OPERATION_ABORTED, N_("the operation was aborted") },
    { ERROR_NOTFOUND, XV_ERROR_DEVICE_MISSING, N_("the object was not found") },
    { ERROR_DOMAIN_DESTROYED, XV_ERROR_NO_DOMAIN, N_("the domain was destroyed while the operation ran") },
    { ERROR_FEATURE_REMOVED, XV_ERROR_NO_SUPPORT, N_("the feature was removed from Xen") },
    { ERROR_PROTOCOL_ERROR_QMP, XV_ERROR_OPERATION_FAILED, N_("the device model (QEMU) broke the QMP protocol") },
    { ERROR_UNKNOWN_QMP_ERROR, XV_ERROR_OPERATION_FAILED, N_("the device model (QEMU) reported an unknown error") },
    { ERROR_QMP_GENERIC_ERROR, XV_ERROR_OPERATION_FAILED, N_("the device model (QEMU) reported an error") },
    { ERROR_QMP_COMMAND_NOT_FOUND, XV_ERROR_NO_SUPPORT,
      N_("the device model (QEMU) does not know the command") },
    { ERROR_QMP_DEVICE_NOT_ACTIVE, XV_ERROR_OPERATION_INVALID,
      N_("the device model (QEMU) says the device is not active") },
    { ERROR_QMP_DEVICE_NOT_FOUND, XV_ERROR_DEVICE_MISSING,
      N_("the device model (QEMU) does not know the device") },
    { ERROR_QEMU_API, XV_ERROR_NO_SUPPORT, N_("the device model (QEMU) does not support the request") },
};

int
xv_host_libxl_error_code(int rc)
{
    for (gsize i = 0; i < G_N_ELEMENTS(host_errors); i++) {
        if (host_errors[i].rc == rc)
            return host_errors[i].code;
    }
    return XV_ERROR_XEN_CALL;
}

const char *
xv_host_libxl_error_reason(int rc)
{
    for (gsize i = 0; i < G_N_ELEMENTS(host_errors); i++) {
        if (host_errors[i].rc == rc)
            return _(host_errors[i].reason);
    }
    return _("the Xen toolstack call failed");
}

void
xv_host_libxl_set_error(GError **error, int rc, const char *detail)
{
    const char *lower = libxl_error_to_string((libxl_error)rc);
    g_autofree char *name = NULL;

    /* libxl's symbolic name as its headers spell it: ERROR_DOMAIN_NOTFOUND. */
    if (lower != NULL) {
        g_autofree char *upper = g_ascii_strup(lower, -1);

        name = g_strconcat("ERROR_", upper, NULL);
    } else {
        name = g_strdup_printf("%d", rc);
    }
    if (detail != NULL && *detail != '\0') {
        /* TRANSLATORS: %1$s says what went wrong, %2$s is libxl's name for
         * its error code (ERROR_DOMAIN_NOTFOUND), %3$s libxl's own log
         * message. */
        g_set_error(error, XV_ERROR, xv_host_libxl_error_code(rc),
                    _("%1$s (libxl: %2$s: %3$s)"),
                    xv_host_libxl_error_reason(rc), name, detail);
    } else {
        g_set_error(error, XV_ERROR, xv_host_libxl_error_code(rc),
                    _("%1$s (libxl: %2$s)"), xv_host_libxl_error_reason(rc), name);
    }
}

/* ======================================================================
 * Logging: a xentoollog_logger writing to GLib's structured log
 * ====================================================================== */

/* Per thread: NULL when not capturing, "" while capturing and nothing was
 * logged yet, else the first error message. */
static GPrivate host_log_capture = G_PRIVATE_INIT(g_free);

void
xv_host_libxl_log_capture_begin(void)
{
    g_private_replace(&host_log_capture, g_strdup(""));
}

char *
xv_host_libxl_log_capture_end(void)
{
    char *first = g_private_get(&host_log_capture);

    if (first == NULL)
        return NULL;
    g_private_set(&host_log_capture, NULL);
    if (*first == '\0') {
        g_free(first);
        return NULL;
    }
    return first;
}

GLogLevelFlags
xv_host_libxl_log_level(xentoollog_level level)
{
    switch (level) {
    case XTL_NONE:
    case XTL_DEBUG:
    case XTL_VERBOSE:
    case XTL_DETAIL:
    case XTL_PROGRESS:
        return G_LOG_LEVEL_DEBUG;
    case XTL_INFO:
        return G_LOG_LEVEL_INFO;
    case XTL_NOTICE:
        return G_LOG_LEVEL_MESSAGE;
    case XTL_WARN:
    case XTL_ERROR:
        /* libxl's errors are the failures of operations whose callers get
         * them as a GError too: a warning in the daemon's log, not a bug. */
        return G_LOG_LEVEL_WARNING;
    case XTL_CRITICAL:
    case XTL_NUM_LEVELS:
        break;
    }
    return G_LOG_LEVEL_CRITICAL;
}

static const char *
host_log_level_name(xentoollog_level level)
{
    static const char *const names[XTL_NUM_LEVELS] = {
        "none", "debug", "verbose", "detail", "progress",
        "info", "notice", "warn", "error", "critical",
    };

    return (unsigned)level < XTL_NUM_LEVELS ? names[level] : "unknown";
}

static void host_logger_vmessage(xentoollog_logger *logger, xentoollog_level level,
                                 int errnoval, const char *context,
                                 const char *format, va_list al) G_GNUC_PRINTF(5, 0);

static void
host_logger_vmessage(xentoollog_logger *logger, xentoollog_level level, int errnoval,
                     const char *context, const char *format, va_list al)
{
    g_autofree char *text = g_strdup_vprintf(format, al);
    g_autofree char *message = NULL;

    if (errnoval >= 0)
        message = g_strdup_printf("%s: %s", text, g_strerror(errnoval));
    else
        message = g_steal_pointer(&text);

    g_log_structured(G_LOG_DOMAIN, xv_host_libxl_log_level(level),
                     "XEN_CONTEXT", context != NULL ? context : "",
                     "XEN_LEVEL", host_log_level_name(level),
                     "MESSAGE", "%s", message);

    if (level >= XTL_ERROR) {
        const char *captured = g_private_get(&host_log_capture);

        if (captured != NULL && *captured == '\0')
            g_private_replace(&host_log_capture, g_steal_pointer(&message));
    }
}

static void
host_logger_progress(xentoollog_logger *logger, const char *context,
                     const char *doing_what, int percent, unsigned long done,
                     unsigned long total)
{
    g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG,
                     "XEN_CONTEXT", context != NULL ? context : "",
                     "XEN_LEVEL", "progress",
                     "MESSAGE", "%s: %d%% (%lu of %lu)",
                     doing_what != NULL ? doing_what : "", percent, done, total);
}

static void
host_logger_destroy(xentoollog_logger *logger)
{
    g_free(logger);
}

xentoollog_logger *
xv_host_libxl_logger_new(void)
{
    xentoollog_logger *logger = g_new0(xentoollog_logger, 1);

    logger->vmessage = host_logger_vmessage;
    logger->progress = host_logger_progress;
    logger->destroy = host_logger_destroy;
    return logger;
}

/* ======================================================================
 * The GLib event loop under libxl
 * ====================================================================== */

struct _XvLibxlLoop {
    GMainContext *context;          /* immutable */
    const XvLibxlLoopFuncs *funcs;  /* immutable */
    gpointer data;                  /* immutable */
    /* Taken inside libxl's hooks (libxl's lock held): never held while
     * calling libxl or 'funcs'. */
    GMutex lock;
    GHashTable *fds;                /* LoopFd (owning ref), protected by lock */
    GHashTable *timeouts;           /* LoopTimeout (owning ref), protected by lock */
    GHashTable *children;           /* pid -> GSource (owning ref), protected by lock */
};

typedef struct {
    GSource source;
    XvLibxlLoop *loop;      /* immutable; outlives the source's dispatch */
    int fd;                 /* immutable */
    void *for_libxl;        /* immutable */
    short events;           /* protected by loop->lock */
    gpointer tag;           /* protected by loop->lock; NULL while events == 0 */
} LoopFd;

typedef struct {
    GSource source;
    XvLibxlLoop *loop;      /* immutable */
    void *for_libxl;        /* immutable */
    gboolean fired;         /* protected by loop->lock */
} LoopTimeout;

static GIOCondition
loop_poll_to_gio(short events)
{
    GIOCondition cond = 0;

    if (events & POLLIN)
        cond |= G_IO_IN;
    if (events & POLLPRI)
        cond |= G_IO_PRI;
    if (events & POLLOUT)
        cond |= G_IO_OUT;
    if (events & POLLERR)
        cond |= G_IO_ERR;
    if (events & POLLHUP)
        cond |= G_IO_HUP;
    if (events & POLLNVAL)
        cond |= G_IO_NVAL;
    return cond;
}

static short
loop_gio_to_poll(GIOCondition cond)
{
    short events = 0;

    if (cond & G_IO_IN)
        events |= POLLIN;
    if (cond & G_IO_PRI)
        events |= POLLPRI;
    if (cond & G_IO_OUT)
        events |= POLLOUT;
    if (cond & G_IO_ERR)
        events |= POLLERR;
    if (cond & G_IO_HUP)
        events |= POLLHUP;
    if (cond & G_IO_NVAL)
        events |= POLLNVAL;
    return events;
}

/* ---- fds ---- */

static gboolean
loop_fd_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
    LoopFd *f = (LoopFd *)source;
    XvLibxlLoop *loop = f->loop;
    short events;
    short revents = 0;

    g_mutex_lock(&loop->lock);
    events = f->events;
    if (f->tag != NULL)
        revents = loop_gio_to_poll(g_source_query_unix_fd(source, f->tag));
    g_mutex_unlock(&loop->lock);

    /* libxl polls the fd again itself and ignores stale registrations, so a
     * race with fd_modify / fd_deregister in another thread is harmless. */
    if (revents & (events | POLLERR | POLLHUP | POLLNVAL))
        loop->funcs->fd_occurred(loop->data, f->for_libxl, f->fd, events, revents);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs loop_fd_funcs = {
    .dispatch = loop_fd_dispatch,
};

static int
loop_fd_register(void *user, int fd, void **registration_out, short events,
                 void *for_libxl)
{
    XvLibxlLoop *loop = user;
    GSource *source = g_source_new(&loop_fd_funcs, sizeof(LoopFd));
    LoopFd *f = (LoopFd *)source;

    f->loop = loop;
    f->fd = fd;
    f->for_libxl = for_libxl;
    g_source_set_static_name(source, "libxl fd");

    g_mutex_lock(&loop->lock);
    f->events = events;
    if (events != 0)
        f->tag = g_source_add_unix_fd(source, fd, loop_poll_to_gio(events));
    g_hash_table_add(loop->fds, f);
    g_source_attach(source, loop->context);
    g_mutex_unlock(&loop->lock);

    *registration_out = f;
    return 0;
}

static int
loop_fd_modify(void *user, int fd, void **registration_update, short events)
{
    XvLibxlLoop *loop = user;
    LoopFd *f = *registration_update;

    g_mutex_lock(&loop->lock);
    f->events = events;
    if (events == 0) {
        /* Out of the poll set, or poll() would still report POLLHUP/POLLERR
         * and spin the loop. */
        if (f->tag != NULL)
            g_source_remove_unix_fd(&f->source, f->tag);
        f->tag = NULL;
    } else if (f->tag != NULL) {
        g_source_modify_unix_fd(&f->source, f->tag, loop_poll_to_gio(events));
    } else {
        f->tag = g_source_add_unix_fd(&f->source, f->fd, loop_poll_to_gio(events));
    }
    g_mutex_unlock(&loop->lock);
    return 0;
}

static void
loop_fd_deregister(void *user, int fd, void *registration)
{
    XvLibxlLoop *loop = user;
    LoopFd *f = registration;
    gboolean owned;

    g_mutex_lock(&loop->lock);
    owned = g_hash_table_steal(loop->fds, f);
    g_mutex_unlock(&loop->lock);
    if (owned) {
        g_source_destroy(&f->source);
        g_source_unref(&f->source);
    }
}

/* ---- timeouts ---- */

gint64
xv_libxl_loop_ready_time(struct timeval abs, gint64 now_real, gint64 now_mono)
{
    gint64 deadline = (gint64)abs.tv_sec * G_USEC_PER_SEC + abs.tv_usec;

    if (abs.tv_sec == 0 && abs.tv_usec == 0)
        return 0;               /* libxl's "as soon as possible" */
    if (deadline <= now_real)
        return 0;               /* already due */
    return now_mono + (deadline - now_real);
}

static gboolean
loop_timeout_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
    LoopTimeout *t = (LoopTimeout *)source;
    XvLibxlLoop *loop = t->loop;
    gboolean fire;

    g_mutex_lock(&loop->lock);
    fire = !t->fired && g_hash_table_contains(loop->timeouts, t);
    t->fired = TRUE;
    g_mutex_unlock(&loop->lock);
    if (!fire)
        return G_SOURCE_REMOVE;

    /* From here libxl considers the timeout deregistered.  A timeout_modify
     * racing with us (libxl's lock is taken inside occurred_timeout, so it
     * can only come before) saw 'fired' and did nothing. */
    loop->funcs->timeout_occurred(loop->data, t->for_libxl);

    g_mutex_lock(&loop->lock);
    fire = g_hash_table_steal(loop->timeouts, t);
    g_mutex_unlock(&loop->lock);
    if (fire)
        g_source_unref(source);   /* the registry's ref; dispatch holds one */
    return G_SOURCE_REMOVE;
}

static GSourceFuncs loop_timeout_funcs = {
    .dispatch = loop_timeout_dispatch,
};

static int
loop_timeout_register(void *user, void **registration_out, struct timeval abs,
                      void *for_libxl)
{
    XvLibxlLoop *loop = user;
    GSource *source = g_source_new(&loop_timeout_funcs, sizeof(LoopTimeout));
    LoopTimeout *t = (LoopTimeout *)source;

    t->loop = loop;
    t->for_libxl = for_libxl;
    g_source_set_static_name(source, "libxl timeout");
    g_source_set_ready_time(source, xv_libxl_loop_ready_time(abs, g_get_real_time(),
                                                             g_get_monotonic_time()));
    g_mutex_lock(&loop->lock);
    g_hash_table_add(loop->timeouts, t);
    g_source_attach(source, loop->context);
    g_mutex_unlock(&loop->lock);

    *registration_out = t;
    return 0;
}

static int
loop_timeout_modify(void *user, void **registration_update, struct timeval abs)
{
    XvLibxlLoop *loop = user;
    LoopTimeout *t = *registration_update;

    g_mutex_lock(&loop->lock);
    if (!t->fired)
        g_source_set_ready_time(&t->source,
                                xv_libxl_loop_ready_time(abs, g_get_real_time(),
                                                         g_get_monotonic_time()));
    g_mutex_unlock(&loop->lock);
    return 0;
}

/* Never called by libxl 4.17 (deprecated mode); correct anyway. */
static void
loop_timeout_deregister(void *user, void *registration)
{
    XvLibxlLoop *loop = user;
    LoopTimeout *t = registration;
    gboolean owned;

    g_mutex_lock(&loop->lock);
    t->fired = TRUE;
    owned = g_hash_table_steal(loop->timeouts, t);
    g_mutex_unlock(&loop->lock);
    if (owned) {
        g_source_destroy(&t->source);
        g_source_unref(&t->source);
    }
}

static const libxl_osevent_hooks loop_osevent_hooks = {
    .fd_register = loop_fd_register,
    .fd_modify = loop_fd_modify,
    .fd_deregister = loop_fd_deregister,
    .timeout_register = loop_timeout_register,
    .timeout_modify = loop_timeout_modify,
    .timeout_deregister = loop_timeout_deregister,
};

const libxl_osevent_hooks *
xv_libxl_loop_osevent_hooks(void)
{
    return &loop_osevent_hooks;
}

/* ---- child processes ---- */

static void
loop_child_exited(GPid pid, gint status, gpointer data)
{
    XvLibxlLoop *loop = data;
    GSource *source = NULL;

    g_mutex_lock(&loop->lock);
    g_hash_table_steal_extended(loop->children, GINT_TO_POINTER(pid), NULL,
                                (gpointer *)&source);
    g_mutex_unlock(&loop->lock);
    if (source != NULL)
        g_source_unref(source);   /* dispatch holds its own ref */
    loop->funcs->child_reaped(loop->data, pid, status);
}

/* libxl's fork_replacement: fork, and in the parent have GLib watch (and
 * reap) the child in the event context.  Must not call libxl. */
static pid_t
loop_fork(void *user)
{
    XvLibxlLoop *loop = user;
    pid_t pid = fork();

    if (pid > 0) {
        int saved_errno = errno;
        GSource *source = g_child_watch_source_new(pid);

        g_source_set_callback(source, G_SOURCE_FUNC(loop_child_exited), loop, NULL);
        g_mutex_lock(&loop->lock);
        g_hash_table_insert(loop->children, GINT_TO_POINTER(pid), source);
        g_source_attach(source, loop->context);
        g_mutex_unlock(&loop->lock);
        errno = saved_errno;
    }
    return pid;
}

static const libxl_childproc_hooks loop_childproc_hooks = {
    .chldowner = libxl_sigchld_owner_mainloop,
    .fork_replacement = loop_fork,
    .reaped_callback = NULL,    /* not permitted with _owner_mainloop */
};

const libxl_childproc_hooks *
xv_libxl_loop_childproc_hooks(void)
{
    return &loop_childproc_hooks;
}

/* ---- the loop object ---- */

static void
loop_source_destroy_unref(gpointer data)
{
    GSource *source = data;

    g_source_destroy(source);
    g_source_unref(source);
}

XvLibxlLoop *
xv_libxl_loop_new(GMainContext *context, const XvLibxlLoopFuncs *funcs, gpointer data)
{
    XvLibxlLoop *loop = g_new0(XvLibxlLoop, 1);

    loop->context = g_main_context_ref(context);
    loop->funcs = funcs;
    loop->data = data;
    g_mutex_init(&loop->lock);
    loop->fds = g_hash_table_new_full(NULL, NULL, loop_source_destroy_unref, NULL);
    loop->timeouts = g_hash_table_new_full(NULL, NULL, loop_source_destroy_unref, NULL);
    loop->children = g_hash_table_new_full(NULL, NULL, NULL, loop_source_destroy_unref);
    return loop;
}

void
xv_libxl_loop_free(XvLibxlLoop *loop)
{
    GHashTable *fds, *timeouts, *children;

    if (loop == NULL)
        return;
    g_mutex_lock(&loop->lock);
    fds = g_steal_pointer(&loop->fds);
    timeouts = g_steal_pointer(&loop->timeouts);
    children = g_steal_pointer(&loop->children);
    g_mutex_unlock(&loop->lock);
    /* Destroying the sources drops their callbacks' references to 'loop'. */
    g_hash_table_destroy(fds);
    g_hash_table_destroy(timeouts);
    g_hash_table_destroy(children);
    g_mutex_clear(&loop->lock);
    g_main_context_unref(loop->context);
    g_free(loop);
}

static guint
loop_count(XvLibxlLoop *loop, GHashTable **table)
{
    guint n;

    g_mutex_lock(&loop->lock);
    n = g_hash_table_size(*table);
    g_mutex_unlock(&loop->lock);
    return n;
}

guint
xv_libxl_loop_n_fds(XvLibxlLoop *loop)
{
    return loop_count(loop, &loop->fds);
}

guint
xv_libxl_loop_n_timeouts(XvLibxlLoop *loop)
{
    return loop_count(loop, &loop->timeouts);
}

guint
xv_libxl_loop_n_children(XvLibxlLoop *loop)
{
    return loop_count(loop, &loop->children);
}

/* ======================================================================
 * The backend object
 * ====================================================================== */

typedef struct {
    XvHost parent;
    libxl_ctx *ctx;                 /* immutable after open; thread-safe */
    xentoollog_logger *logger;      /* immutable after open; outlives ctx */
    XvLibxlLoop *loop;              /* immutable after open */
    GMutex watch_lock;
    /* domid -> libxl_evgen_domain_death* (NULL while being enabled);
     * protected by watch_lock, never held across a libxl call. */
    GHashTable *watches;
} XvHostLibxl;

#define HOST_LIBXL(h) ((XvHostLibxl *)(h))

/* One libxl_ctx per process. */
static GMutex host_singleton_lock;
static XvHostLibxl *host_singleton;     /* protected by host_singleton_lock */

static const XvHostOps host_libxl_ops;

libxl_ctx *
xv_host_libxl_get_ctx(XvHost *host)
{
    g_return_val_if_fail(host != NULL && host->ops == &host_libxl_ops, NULL);
    return HOST_LIBXL(host)->ctx;
}

/* Finish a port operation: on rc == 0 drop what libxl logged, else set
 * 'error' to 'format' (a translated prefix ending in ": ") followed by the
 * reason for rc and the first error libxl logged in this thread. */
static int host_result(int rc, GError **error, const char *format, ...) G_GNUC_PRINTF(3, 4);

static int
host_result(int rc, GError **error, const char *format, ...)
{
    g_autofree char *detail = xv_host_libxl_log_capture_end();
    g_autofree char *prefix = NULL;
    va_list ap;

    if (rc == 0)
        return 0;
    if (error == NULL)
        return rc;
    va_start(ap, format);
    prefix = g_strdup_vprintf(format, ap);
    va_end(ap);
    xv_host_libxl_set_error(error, rc, detail);
    g_prefix_error(error, "%s", prefix);
    return rc;
}

/* ======================================================================
 * Asynchronous libxl operations, waited for by the job thread
 * ====================================================================== */

typedef struct {
    guint64 serial;                 /* immutable */
    libxl_ctx *ctx;                 /* immutable */
    libxl_asyncop_how how;          /* immutable while registered */
    GMutex lock;
    GCond cond;
    gboolean done;                  /* protected by lock */
    int rc;                         /* protected by lock */
} HostAo;

/* Running operations, so that an abort hook (which may run after its
 * operation finished: host.c calls it outside the op's lock) finds its
 * operation by serial number or finds nothing. */
static GMutex host_ao_lock;
static GHashTable *host_aos;            /* serial -> HostAo*, protected by host_ao_lock */
static guint64 host_ao_next_serial = 1; /* protected by host_ao_lock */

/* libxl's completion callback: any thread (usually the event context's). */
static void
host_ao_complete(libxl_ctx *ctx, int rc, void *for_callback)
{
    HostAo *ao = for_callback;

    g_mutex_lock(&ao->lock);
    ao->rc = rc;
    ao->done = TRUE;
    g_cond_broadcast(&ao->cond);
    g_mutex_unlock(&ao->lock);
}

static void
host_ao_abort_hook(gpointer data)
{
    guint64 serial = GPOINTER_TO_SIZE(data);
    HostAo *ao;

    /* libxl_ao_abort is called with host_ao_lock held; no libxl hook or
     * callback takes it, so lock order is safe. */
    g_mutex_lock(&host_ao_lock);
    ao = host_aos != NULL ? g_hash_table_lookup(host_aos, &serial) : NULL;
    if (ao != NULL) {
        int rc = libxl_ao_abort(ao->ctx, &ao->how);

        g_debug("libxl_ao_abort of operation %" G_GUINT64_FORMAT " returned %d", serial, rc);
    }
    g_mutex_unlock(&host_ao_lock);
}

int
xv_host_libxl_run_async(XvHost *host, XvHostOp *op, XvHostLibxlAoStart start,
                        XvHostLibxlAoPoll poll, gpointer data)
{
    HostAo ao = { 0 };
    int rc;

    ao.ctx = HOST_LIBXL(host)->ctx;
    ao.how.callback = host_ao_complete;
    ao.how.u.for_callback = &ao;
    g_mutex_init(&ao.lock);
    g_cond_init(&ao.cond);

    g_mutex_lock(&host_ao_lock);
    if (host_aos == NULL)
        host_aos = g_hash_table_new(g_int64_hash, g_int64_equal);
    ao.serial = host_ao_next_serial++;
    g_hash_table_insert(host_aos, &ao.serial, &ao);
    g_mutex_unlock(&host_ao_lock);
    if (op != NULL)
        xv_host_op_set_abort_hook(op, host_ao_abort_hook, GSIZE_TO_POINTER(ao.serial));

    rc = start(ao.ctx, &ao.how, data);
    if (rc == 0) {
        /* An abort between the hook's installation and the start found no
         * operation in libxl: repeat it now that there is one. */
        if (xv_host_op_is_aborted(op))
            host_ao_abort_hook(GSIZE_TO_POINTER(ao.serial));

        g_mutex_lock(&ao.lock);
        while (!ao.done) {
            gint64 deadline = g_get_monotonic_time() + HOST_PROGRESS_INTERVAL_US;

            if (!g_cond_wait_until(&ao.cond, &ao.lock, deadline) && !ao.done && poll != NULL) {
                g_mutex_unlock(&ao.lock);
                poll(data, op);
                g_mutex_lock(&ao.lock);
            }
        }
        rc = ao.rc;
        g_mutex_unlock(&ao.lock);
    }

    if (op != NULL)
        xv_host_op_set_abort_hook(op, NULL, NULL);
    g_mutex_lock(&host_ao_lock);
    g_hash_table_remove(host_aos, &ao.serial);
    g_mutex_unlock(&host_ao_lock);
    g_cond_clear(&ao.cond);
    g_mutex_clear(&ao.lock);
    return rc;
}

static guint64
host_domain_memory_bytes(XvHostLibxl *h, uint32_t domid)
{
    libxl_dominfo info;
    guint64 bytes = 0;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(h->ctx, &info, domid) == 0)
        bytes = (guint64)info.current_memkb * 1024;
    libxl_dominfo_dispose(&info);
    return bytes;
}

/* ======================================================================
 * Pure helpers of the operations
 * ====================================================================== */

void
xv_host_libxl_restore_params_init(libxl_domain_restore_params *params)
{
    libxl_domain_restore_params_init(params);
    params->checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
    /* libxl_domain_suspend writes stream v2; with v1 libxl would run the
     * Python converter (convert-legacy-stream), which Debian lacks. */
    params->stream_version = 2;
    libxl_defbool_set(&params->userspace_colo_proxy, false);
}

int
xv_host_libxl_suspend_flags(uint32_t domid, int flags, GError **error)
{
    const int known = LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_DEBUG;

    if ((flags & ~known) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot save domain %1$u: unsupported suspend flags 0x%2$x"),
                    domid, (unsigned)(flags & ~known));
        return -1;
    }
    return flags & known;
}

void
xv_host_libxl_copy_version(libxl_version_info *out, const libxl_version_info *in)
{
    libxl_version_info_init(out);
    out->xen_version_major = in->xen_version_major;
    out->xen_version_minor = in->xen_version_minor;
    /* strdup, not g_strdup: libxl_version_info_dispose() free()s them. */
#define COPY_STR(f) out->f = in->f != NULL ? strdup(in->f) : NULL
    COPY_STR(xen_version_extra);
    COPY_STR(compiler);
    COPY_STR(compile_by);
    COPY_STR(compile_domain);
    COPY_STR(compile_date);
    COPY_STR(capabilities);
    COPY_STR(changeset);
    COPY_STR(commandline);
    COPY_STR(build_id);
#undef COPY_STR
    out->virt_start = in->virt_start;
    out->pagesize = in->pagesize;
}

gboolean
xv_host_libxl_translate_event(const libxl_event *event, XvHostEvent *out)
{
    memset(out, 0, sizeof(*out));
    out->domid = event->domid;
    switch (event->type) {
    case LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN:
        out->type = XV_HOST_EVENT_SHUTDOWN;
        out->reason = (libxl_shutdown_reason)event->u.domain_shutdown.shutdown_reason;
        return TRUE;
    case LIBXL_EVENT_TYPE_DOMAIN_DEATH:
        out->type = XV_HOST_EVENT_DEATH;
        out->reason = LIBXL_SHUTDOWN_REASON_UNKNOWN;
        return TRUE;
    default:
        return FALSE;
    }
}

/* ======================================================================
 * Port operations
 * ====================================================================== */

static int
host_get_physinfo(XvHost *host, libxl_physinfo *out, GError **error)
{
    libxl_physinfo_init(out);
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_get_physinfo(HOST_LIBXL(host)->ctx, out), error,
                       _("cannot get the host's physical information: "));
}

static int
host_get_version(XvHost *host, libxl_version_info *out, GError **error)
{
    const libxl_version_info *info;

    libxl_version_info_init(out);
    xv_host_libxl_log_capture_begin();
    info = libxl_get_version_info(HOST_LIBXL(host)->ctx);
    if (info == NULL)
        return host_result(ERROR_FAIL, error, _("cannot get the Xen version: "));
    xv_host_libxl_copy_version(out, info);
    return host_result(0, error, "%s", "");
}

static int
host_get_scheduler(XvHost *host, libxl_scheduler *out, GError **error)
{
    int r;

    xv_host_libxl_log_capture_begin();
    r = libxl_get_scheduler(HOST_LIBXL(host)->ctx);
    if (r < 0)
        return host_result(r, error, _("cannot get the host's scheduler: "));
    *out = (libxl_scheduler)r;
    return host_result(0, error, "%s", "");
}

static int
host_list_domains(XvHost *host, libxl_dominfo **out, int *n_out, GError **error)
{
    int n = 0;
    libxl_dominfo *list;

    *out = NULL;
    *n_out = 0;
    xv_host_libxl_log_capture_begin();
    list = libxl_list_domain(HOST_LIBXL(host)->ctx, &n);
    if (list == NULL)
        return host_result(ERROR_FAIL, error, _("cannot list the host's domains: "));
    *out = list;
    *n_out = n;
    return host_result(0, error, "%s", "");
}

static int
host_domain_info(XvHost *host, uint32_t domid, libxl_dominfo *out, GError **error)
{
    libxl_dominfo_init(out);
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_info(HOST_LIBXL(host)->ctx, out, domid), error,
                       _("cannot get information on domain %u: "), domid);
}

/* ---- create (new and from a stream) ---- */

typedef struct {
    libxl_domain_config *config;
    uint32_t domid;                 /* written by libxl when it completes */
    int fd;                         /* restore only, else -1 */
    libxl_domain_restore_params params;
    off_t start;                    /* restore: the stream's offset at start, or -1 */
    off_t end;                      /* restore: the file's size, or -1 */
} HostCreate;

static int
host_create_new_start(libxl_ctx *ctx, const libxl_asyncop_how *how, gpointer data)
{
    HostCreate *c = data;

    return libxl_domain_create_new(ctx, c->config, &c->domid, how, NULL);
}

static int
host_create_restore_start(libxl_ctx *ctx, const libxl_asyncop_how *how, gpointer data)
{
    HostCreate *c = data;

    return libxl_domain_create_restore(ctx, c->config, &c->domid, c->fd, -1,
                                       &c->params, how, NULL);
}

/* The restore helper reads through the same file description: its offset
 * is the progress. */
static void
host_create_restore_poll(gpointer data, XvHostOp *op)
{
    HostCreate *c = data;
    off_t pos;

    if (c->start < 0 || c->end <= c->start)
        return;
    pos = lseek(c->fd, 0, SEEK_CUR);
    if (pos >= c->start)
        xv_host_op_report(op, (guint64)(MIN(pos, c->end) - c->start),
                          (guint64)(c->end - c->start));
}

/* Destroy what a failed create left behind, if it is still the domain we
 * created (same UUID). */
static void
host_destroy_leftover(XvHostLibxl *h, uint32_t domid, const libxl_uuid *uuid)
{
    libxl_dominfo info;

    if (domid == (uint32_t)INVALID_DOMID || domid == 0)
        return;
    libxl_dominfo_init(&info);
    if (libxl_domain_info(h->ctx, &info, domid) == 0 &&
        (libxl_uuid_is_nil(uuid) || libxl_uuid_compare(&info.uuid, uuid) == 0)) {
        int rc = libxl_domain_destroy(h->ctx, domid, NULL);

        if (rc != 0)
            g_warning("cannot destroy half-built domain %u: libxl error %d", domid, rc);
    }
    libxl_dominfo_dispose(&info);
}

static int
host_create(XvHostLibxl *h, libxl_domain_config *config, gboolean paused, int fd,
            uint32_t *domid_out, XvHostOp *op, GError **error)
{
    HostCreate c = { .config = config, .domid = INVALID_DOMID, .fd = fd,
                     .start = -1, .end = -1 };
    const char *name = config->c_info.name != NULL ? config->c_info.name : "";
    int rc;

    *domid_out = INVALID_DOMID;
    xv_host_libxl_log_capture_begin();
    if (xv_host_op_is_aborted(op)) {
        rc = ERROR_ABORTED;
        goto fail;
    }

    if (fd >= 0) {
        struct stat st;

        xv_host_libxl_restore_params_init(&c.params);
        c.start = lseek(fd, 0, SEEK_CUR);
        if (c.start >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
            c.end = st.st_size;
        rc = xv_host_libxl_run_async(&h->parent, op, host_create_restore_start, host_create_restore_poll, &c);
        libxl_domain_restore_params_dispose(&c.params);
    } else {
        rc = xv_host_libxl_run_async(&h->parent, op, host_create_new_start, NULL, &c);
    }
    if (rc == 0 && !paused)
        rc = libxl_domain_unpause(h->ctx, c.domid, NULL);
    /* Aborted while libxl was finishing: roll back all the same. */
    if (rc == 0 && xv_host_op_is_aborted(op))
        rc = ERROR_ABORTED;
    if (rc == 0) {
        *domid_out = c.domid;
        return host_result(0, error, "%s", "");
    }

 fail:
    if (fd >= 0)
        rc = host_result(rc, error, _("cannot restore domain '%s': "), name);
    else
        rc = host_result(rc, error, _("cannot create domain '%s': "), name);
    host_destroy_leftover(h, c.domid, &config->c_info.uuid);
    return rc;
}

static int
host_create_new(XvHost *host, libxl_domain_config *config, gboolean paused,
                uint32_t *domid_out, XvHostOp *op, GError **error)
{
    return host_create(HOST_LIBXL(host), config, paused, -1, domid_out, op, error);
}

static int
host_create_restore(XvHost *host, libxl_domain_config *config, gboolean paused, int fd,
                    uint32_t *domid_out, XvHostOp *op, GError **error)
{
    const char *name = config->c_info.name != NULL ? config->c_info.name : "";

    if (fd < 0) {
        *domid_out = INVALID_DOMID;
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot restore domain '%s': no stream to read from"), name);
        return ERROR_INVAL;
    }
    return host_create(HOST_LIBXL(host), config, paused, fd, domid_out, op, error);
}

/* ---- simple lifecycle ---- */

static int
host_destroy(XvHost *host, uint32_t domid, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_destroy(HOST_LIBXL(host)->ctx, domid, NULL), error,
                       _("cannot destroy domain %u: "), domid);
}

static int
host_shutdown(XvHost *host, uint32_t domid, GError **error)
{
    libxl_ctx *ctx = HOST_LIBXL(host)->ctx;
    int rc;

    xv_host_libxl_log_capture_begin();
    rc = libxl_domain_shutdown(ctx, domid, NULL);
    if (rc == ERROR_NOPARAVIRT) {
        /* An HVM guest without PV drivers: press its ACPI power button, as
         * 'xl shutdown -F' does. */
        g_free(xv_host_libxl_log_capture_end());
        xv_host_libxl_log_capture_begin();
        rc = libxl_send_trigger(ctx, domid, LIBXL_TRIGGER_POWER, 0, NULL);
    }
    return host_result(rc, error, _("cannot shut down domain %u: "), domid);
}

static int
host_reboot(XvHost *host, uint32_t domid, GError **error)
{
    /* No ACPI fallback: the only trigger is a hard reset, not a reboot. */
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_reboot(HOST_LIBXL(host)->ctx, domid, NULL), error,
                       _("cannot reboot domain %u: "), domid);
}

static int
host_pause(XvHost *host, uint32_t domid, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_pause(HOST_LIBXL(host)->ctx, domid, NULL), error,
                       _("cannot pause domain %u: "), domid);
}

static int
host_unpause(XvHost *host, uint32_t domid, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_unpause(HOST_LIBXL(host)->ctx, domid, NULL), error,
                       _("cannot resume domain %u: "), domid);
}

/* ---- suspend ---- */

typedef struct {
    uint32_t domid;
    int fd;
    int flags;
    off_t start;            /* the fd's offset at start, or -1 (pipe, socket) */
    guint64 total;          /* estimate: the domain's memory */
} HostSuspend;

static int
host_suspend_start(libxl_ctx *ctx, const libxl_asyncop_how *how, gpointer data)
{
    HostSuspend *s = data;

    return libxl_domain_suspend(ctx, s->domid, s->fd, s->flags, how);
}

/* The save helper writes through the same file description: its offset is
 * the progress (a live save writes some pages more than once). */
static void
host_suspend_poll(gpointer data, XvHostOp *op)
{
    HostSuspend *s = data;
    off_t pos;
    guint64 done;

    if (s->start < 0)
        return;
    pos = lseek(s->fd, 0, SEEK_CUR);
    if (pos < s->start)
        return;
    done = (guint64)(pos - s->start);
    s->total = MAX(s->total, done);
    xv_host_op_report(op, done, s->total);
}

/* A failed save may leave the guest suspended: resume it. */
static void
host_resume_if_suspended(XvHostLibxl *h, uint32_t domid)
{
    libxl_dominfo info;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(h->ctx, &info, domid) == 0 && info.shutdown &&
        info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND) {
        int rc = libxl_domain_resume(h->ctx, domid, 1, NULL);

        if (rc != 0)
            g_warning("cannot resume domain %u after a failed save: libxl error %d",
                      domid, rc);
    }
    libxl_dominfo_dispose(&info);
}

static int
host_suspend(XvHost *host, uint32_t domid, int fd, int flags, XvHostOp *op,
             GError **error)
{
    XvHostLibxl *h = HOST_LIBXL(host);
    HostSuspend s = { .domid = domid, .fd = fd };
    int rc;

    s.flags = xv_host_libxl_suspend_flags(domid, flags, error);
    if (s.flags < 0)
        return ERROR_INVAL;
    xv_host_libxl_log_capture_begin();
    if (xv_host_op_is_aborted(op))
        return host_result(ERROR_ABORTED, error, _("cannot save domain %u: "), domid);
    rc = libxl_domain_info(h->ctx, NULL, domid);
    if (rc != 0)
        return host_result(rc, error, _("cannot save domain %u: "), domid);
    s.total = host_domain_memory_bytes(h, domid);
    s.start = lseek(fd, 0, SEEK_CUR);

    rc = xv_host_libxl_run_async(&h->parent, op, host_suspend_start, host_suspend_poll, &s);
    if (rc == 0 && xv_host_op_is_aborted(op))
        rc = ERROR_ABORTED;
    if (rc != 0) {
        rc = host_result(rc, error, _("cannot save domain %u: "), domid);
        host_resume_if_suspended(h, domid);
        return rc;
    }
    host_suspend_poll(&s, op);
    return host_result(0, error, "%s", "");
}

/* ---- core dump ---- */

typedef struct {
    libxl_ctx *ctx;
    uint32_t domid;
    const char *path;
    libxl_asyncop_how how;  /* copy of the runner's, to signal completion */
    GThread *thread;
    guint64 total;
} HostDump;

static gpointer
host_dump_thread(gpointer data)
{
    HostDump *d = data;
    int rc;

    xv_host_libxl_log_capture_begin();
    rc = libxl_domain_core_dump(d->ctx, d->domid, d->path, NULL);
    g_free(xv_host_libxl_log_capture_end());
    d->how.callback(d->ctx, rc, d->how.u.for_callback);
    return NULL;
}

/* libxl_domain_core_dump completes inside its initiating call and cannot be
 * aborted: run it on a helper thread so that the job thread reports
 * progress meanwhile. */
static int
host_dump_start(libxl_ctx *ctx, const libxl_asyncop_how *how, gpointer data)
{
    HostDump *d = data;

    d->how = *how;
    d->thread = g_thread_new("xv-core-dump", host_dump_thread, d);
    return 0;
}

static void
host_dump_poll(gpointer data, XvHostOp *op)
{
    HostDump *d = data;
    GStatBuf st;

    if (g_stat(d->path, &st) == 0) {
        guint64 done = (guint64)st.st_size;

        d->total = MAX(d->total, done);
        xv_host_op_report(op, done, d->total);
    }
}

static int
host_core_dump(XvHost *host, uint32_t domid, const char *path, XvHostOp *op,
               GError **error)
{
    XvHostLibxl *h = HOST_LIBXL(host);
    HostDump d = { .ctx = h->ctx, .domid = domid, .path = path };
    int rc;

    xv_host_libxl_log_capture_begin();
    if (xv_host_op_is_aborted(op))
        return host_result(ERROR_ABORTED, error, _("cannot dump the core of domain %u: "), domid);
    rc = libxl_domain_info(h->ctx, NULL, domid);
    if (rc != 0)
        return host_result(rc, error, _("cannot dump the core of domain %u: "), domid);
    d.total = host_domain_memory_bytes(h, domid);

    rc = xv_host_libxl_run_async(&h->parent, op, host_dump_start, host_dump_poll, &d);
    if (d.thread != NULL)
        g_thread_join(d.thread);
    if (rc == 0 && xv_host_op_is_aborted(op))
        rc = ERROR_ABORTED;
    if (rc != 0) {
        /* No partial core file is left behind. */
        if (g_unlink(path) < 0 && errno != ENOENT)
            g_warning("cannot remove partial core file '%s': %s", path, g_strerror(errno));
        return host_result(rc, error, _("cannot dump the core of domain %1$u to '%2$s': "),
                           domid, path);
    }
    host_dump_poll(&d, op);
    return host_result(0, error, "%s", "");
}

/* ---- vcpus, memory, scheduler ---- */

static int
host_set_vcpu_affinity(XvHost *host, uint32_t domid, uint32_t vcpu,
                       const libxl_bitmap *hard, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_set_vcpuaffinity(HOST_LIBXL(host)->ctx, domid, vcpu, hard, NULL),
                       error, _("cannot pin vcpu %1$u of domain %2$u: "), vcpu, domid);
}

static int
host_list_vcpus(XvHost *host, uint32_t domid, libxl_vcpuinfo **out, int *nr_vcpus_out,
                GError **error)
{
    libxl_ctx *ctx = HOST_LIBXL(host)->ctx;
    int nr_vcpus = 0, nr_cpus = 0;
    libxl_vcpuinfo *list;

    *out = NULL;
    *nr_vcpus_out = 0;
    xv_host_libxl_log_capture_begin();
    list = libxl_list_vcpu(ctx, domid, &nr_vcpus, &nr_cpus);
    if (list == NULL) {
        int rc = libxl_domain_info(ctx, NULL, domid);

        return host_result(rc == ERROR_DOMAIN_NOTFOUND ? rc : ERROR_FAIL, error,
                           _("cannot list the vcpus of domain %u: "), domid);
    }
    *out = list;
    *nr_vcpus_out = nr_vcpus;
    return host_result(0, error, "%s", "");
}

static int
host_set_vcpus_online(XvHost *host, uint32_t domid, const libxl_bitmap *online,
                      GError **error)
{
    libxl_bitmap map;
    int rc;

    /* libxl takes a non-const map; give it a copy rather than cast. */
    xv_host_bitmap_alloc(&map, online->size * 8);
    if (online->size > 0)
        memcpy(map.map, online->map, online->size);
    xv_host_libxl_log_capture_begin();
    rc = libxl_set_vcpuonline(HOST_LIBXL(host)->ctx, domid, &map, NULL);
    libxl_bitmap_dispose(&map);
    return host_result(rc, error, _("cannot set the online vcpus of domain %u: "), domid);
}

static int
host_set_memory_target(XvHost *host, uint32_t domid, uint64_t target_kb, GError **error)
{
    if (target_kb > G_MAXINT64) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot set the memory of domain %1$u: %2$llu KiB is out of range"),
                    domid, (unsigned long long)target_kb);
        return ERROR_INVAL;
    }
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_set_memory_target(HOST_LIBXL(host)->ctx, domid,
                                               (int64_t)target_kb, 0, 1),
                       error, _("cannot set the memory of domain %u: "), domid);
}

static int
host_set_max_memory(XvHost *host, uint32_t domid, uint64_t max_kb, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_setmaxmem(HOST_LIBXL(host)->ctx, domid, max_kb),
                       error, _("cannot set the maximum memory of domain %u: "), domid);
}

static int
host_sched_params_get(XvHost *host, uint32_t domid, libxl_domain_sched_params *out,
                      GError **error)
{
    libxl_domain_sched_params_init(out);
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_sched_params_get(HOST_LIBXL(host)->ctx, domid, out),
                       error, _("cannot get the scheduler parameters of domain %u: "), domid);
}

static int
host_sched_params_set(XvHost *host, uint32_t domid, const libxl_domain_sched_params *params,
                      GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_sched_params_set(HOST_LIBXL(host)->ctx, domid, params),
                       error, _("cannot set the scheduler parameters of domain %u: "), domid);
}

static int
host_retrieve_config(XvHost *host, uint32_t domid, libxl_domain_config *out, GError **error)
{
    libxl_domain_config_init(out);
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_retrieve_domain_configuration(HOST_LIBXL(host)->ctx, domid,
                                                           out, NULL),
                       error, _("cannot get the configuration of domain %u: "), domid);
}

/* ======================================================================
 * Devices (hotplug), rename, boot id
 * ====================================================================== */

/* The usbdev of 'domid' on host bus/address, as libxl lists it (ctrl and
 * port filled), for removal by host address. */
static int
host_find_usbdev(libxl_ctx *ctx, uint32_t domid, const libxl_device_usbdev *want,
                 libxl_device_usbdev *out)
{
    libxl_device_usbdev *list;
    int n = 0, rc = ERROR_NOTFOUND;

    list = libxl_device_usbdev_list(ctx, domid, &n);
    for (int i = 0; i < n; i++) {
        if (list[i].type == LIBXL_USBDEV_TYPE_HOSTDEV &&
            list[i].u.hostdev.hostbus == want->u.hostdev.hostbus &&
            list[i].u.hostdev.hostaddr == want->u.hostdev.hostaddr) {
            libxl_device_usbdev_copy(ctx, out, &list[i]);
            rc = 0;
            break;
        }
    }
    libxl_device_usbdev_list_free(list, n);
    return rc;
}

static int
host_device_add(XvHost *host, uint32_t domid, XvHostDevice *dev, GError **error)
{
    libxl_ctx *ctx = HOST_LIBXL(host)->ctx;
    int rc = ERROR_INVAL;

    /* Synchronous (ao_how NULL), as host_destroy: the caller is a job thread. */
    xv_host_libxl_log_capture_begin();
    switch (dev->kind) {
    case XV_HOST_DEVICE_DISK:
        rc = libxl_device_disk_add(ctx, domid, &dev->u.disk, NULL);
        break;
    case XV_HOST_DEVICE_NIC:
        rc = libxl_device_nic_add(ctx, domid, &dev->u.nic, NULL);
        break;
    case XV_HOST_DEVICE_PCI:
        rc = libxl_device_pci_add(ctx, domid, &dev->u.pci, NULL);
        break;
    case XV_HOST_DEVICE_USBDEV:
        rc = libxl_device_usbdev_add(ctx, domid, &dev->u.usbdev, NULL);
        break;
    case XV_HOST_DEVICE_USBCTRL:
        rc = libxl_device_usbctrl_add(ctx, domid, &dev->u.usbctrl, NULL);
        break;
    }
    return host_result(rc, error, _("cannot attach a device to domain %u: "), domid);
}

static int
host_device_remove(XvHost *host, uint32_t domid, const XvHostDevice *dev, GError **error)
{
    libxl_ctx *ctx = HOST_LIBXL(host)->ctx;
    XvHostDevice found = { .kind = dev->kind };
    int rc = ERROR_INVAL;

    xv_host_libxl_log_capture_begin();
    switch (dev->kind) {
    case XV_HOST_DEVICE_DISK:
        libxl_device_disk_init(&found.u.disk);
        rc = libxl_vdev_to_device_disk(ctx, domid, dev->u.disk.vdev, &found.u.disk);
        if (rc == 0)
            rc = libxl_device_disk_remove(ctx, domid, &found.u.disk, NULL);
        else
            rc = ERROR_NOTFOUND;
        break;
    case XV_HOST_DEVICE_NIC:
        libxl_device_nic_init(&found.u.nic);
        if (dev->u.nic.devid >= 0) {
            rc = libxl_devid_to_device_nic(ctx, domid, dev->u.nic.devid, &found.u.nic);
        } else {
            char mac[18];

            g_snprintf(mac, sizeof(mac), LIBXL_MAC_FMT, LIBXL_MAC_BYTES(dev->u.nic.mac));
            rc = libxl_mac_to_device_nic(ctx, domid, mac, &found.u.nic);
        }
        if (rc == 0)
            rc = libxl_device_nic_remove(ctx, domid, &found.u.nic, NULL);
        else
            rc = ERROR_NOTFOUND;
        break;
    case XV_HOST_DEVICE_PCI:
        libxl_device_pci_init(&found.u.pci);
        libxl_device_pci_copy(ctx, &found.u.pci, &dev->u.pci);
        rc = libxl_device_pci_remove(ctx, domid, &found.u.pci, NULL);
        break;
    case XV_HOST_DEVICE_USBDEV:
        libxl_device_usbdev_init(&found.u.usbdev);
        if (dev->u.usbdev.ctrl >= 0)
            libxl_device_usbdev_copy(ctx, &found.u.usbdev, &dev->u.usbdev);
        else
            rc = host_find_usbdev(ctx, domid, &dev->u.usbdev, &found.u.usbdev);
        if (dev->u.usbdev.ctrl >= 0 || rc == 0)
            rc = libxl_device_usbdev_remove(ctx, domid, &found.u.usbdev, NULL);
        break;
    case XV_HOST_DEVICE_USBCTRL:
        libxl_device_usbctrl_init(&found.u.usbctrl);
        libxl_device_usbctrl_copy(ctx, &found.u.usbctrl, &dev->u.usbctrl);
        rc = libxl_device_usbctrl_remove(ctx, domid, &found.u.usbctrl, NULL);
        break;
    }
    xv_host_device_dispose(&found);
    return host_result(rc, error, _("cannot detach a device from domain %u: "), domid);
}

static int
host_cdrom_insert(XvHost *host, uint32_t domid, libxl_device_disk *disk, GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_cdrom_insert(HOST_LIBXL(host)->ctx, domid, disk, NULL), error,
                       _("cannot change the medium of cdrom %1$s of domain %2$u: "),
                       disk->vdev != NULL ? disk->vdev : "", domid);
}

static int
host_domain_rename(XvHost *host, uint32_t domid, const char *old_name, const char *new_name,
                   GError **error)
{
    xv_host_libxl_log_capture_begin();
    return host_result(libxl_domain_rename(HOST_LIBXL(host)->ctx, domid, old_name, new_name),
                       error, _("cannot rename domain %1$u to '%2$s': "), domid, new_name);
}

static int
host_domain_preserve(XvHost *host, uint32_t domid, const char *name, const char *suffix,
                     const libxl_uuid *new_uuid, GError **error)
{
    libxl_domain_create_info info;
    int rc;

    libxl_domain_create_info_init(&info);
    info.name = g_strdup(name);
    xv_host_libxl_log_capture_begin();
    rc = libxl_domain_preserve(HOST_LIBXL(host)->ctx, domid, &info, suffix, *new_uuid);
    libxl_domain_create_info_dispose(&info);
    return host_result(rc, error, _("cannot preserve domain %1$u as '%2$s%3$s': "), domid,
                       name, suffix);
}

/* Xen boots with its dom0: dom0's kernel boot id changes exactly when the
 * host (hypervisor included) reboots. */
static int
host_get_boot_id(XvHost *host, char **out, GError **error)
{
    g_autofree char *id = NULL;

    if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &id, NULL, error)) {
        g_prefix_error(error, _("cannot read the host's boot id: "));
        return ERROR_FAIL;
    }
    *out = g_strdup(g_strstrip(id));
    return 0;
}

/* ======================================================================
 * Events
 * ====================================================================== */

static int
host_watch_domain(XvHost *host, uint32_t domid, GError **error)
{
    XvHostLibxl *h = HOST_LIBXL(host);
    libxl_evgen_domain_death *gen = NULL;
    gboolean still_wanted;
    int rc;

    /* Enter the domid first (with no handle) so that an event arriving while
     * libxl enables the watch is not dropped. */
    g_mutex_lock(&h->watch_lock);
    if (g_hash_table_contains(h->watches, GUINT_TO_POINTER(domid))) {
        g_mutex_unlock(&h->watch_lock);
        return 0;
    }
    g_hash_table_insert(h->watches, GUINT_TO_POINTER(domid), NULL);
    g_mutex_unlock(&h->watch_lock);

    xv_host_libxl_log_capture_begin();
    rc = libxl_evenable_domain_death(h->ctx, domid, domid, &gen);

    g_mutex_lock(&h->watch_lock);
    still_wanted = g_hash_table_contains(h->watches, GUINT_TO_POINTER(domid));
    if (rc != 0)
        g_hash_table_remove(h->watches, GUINT_TO_POINTER(domid));
    else if (still_wanted)
        g_hash_table_insert(h->watches, GUINT_TO_POINTER(domid), gen);
    g_mutex_unlock(&h->watch_lock);

    if (rc == 0 && !still_wanted)       /* unwatched meanwhile */
        libxl_evdisable_domain_death(h->ctx, gen);
    return host_result(rc, error, _("cannot watch domain %u for shutdown and death: "), domid);
}

static void
host_unwatch_domain(XvHost *host, uint32_t domid)
{
    XvHostLibxl *h = HOST_LIBXL(host);
    gpointer gen = NULL;

    g_mutex_lock(&h->watch_lock);
    g_hash_table_steal_extended(h->watches, GUINT_TO_POINTER(domid), NULL, &gen);
    g_mutex_unlock(&h->watch_lock);
    if (gen != NULL)
        libxl_evdisable_domain_death(h->ctx, gen);
}

/* libxl's event callback: any thread that runs libxl (usually the event
 * context's).  Posts to the event context; never blocks. */
static void
host_event_occurs(void *user, libxl_event *event)
{
    XvHostLibxl *h = user;
    XvHostEvent out;
    gboolean watched;

    g_mutex_lock(&h->watch_lock);
    watched = g_hash_table_contains(h->watches, GUINT_TO_POINTER(event->domid));
    g_mutex_unlock(&h->watch_lock);
    if (watched && xv_host_libxl_translate_event(event, &out))
        xv_host_emit_event(&h->parent, &out);
    libxl_event_free(h->ctx, event);
}

/* Must not call libxl.  libxl has already logged at XTL_CRITICAL. */
static void
host_event_disaster(void *user, libxl_event_type type, const char *msg, int errnoval)
{
    g_critical("libxl can no longer deliver %s events (%s: %s); restart xenvirtd",
               type != 0 ? libxl_event_type_to_string(type) : "any",
               msg != NULL ? msg : "", errnoval >= 0 ? g_strerror(errnoval) : "");
}

static const libxl_event_hooks host_event_hooks = {
    .event_occurs_mask = (1UL << LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) |
                         (1UL << LIBXL_EVENT_TYPE_DOMAIN_DEATH),
    .event_occurs = host_event_occurs,
    .disaster = host_event_disaster,
};

/* ---- the loop's calls into libxl ---- */

static void
host_fd_occurred(gpointer data, void *for_libxl, int fd, short events, short revents)
{
    libxl_osevent_occurred_fd(HOST_LIBXL(data)->ctx, for_libxl, fd, events, revents);
}

static void
host_timeout_occurred(gpointer data, void *for_libxl)
{
    libxl_osevent_occurred_timeout(HOST_LIBXL(data)->ctx, for_libxl);
}

static void
host_child_reaped(gpointer data, pid_t pid, int status)
{
    int rc = libxl_childproc_reaped(HOST_LIBXL(data)->ctx, pid, status);

    if (rc != 0)
        g_debug("child %d reaped, libxl did not know it (%d)", (int)pid, rc);
}

static const XvLibxlLoopFuncs host_loop_funcs = {
    .fd_occurred = host_fd_occurred,
    .timeout_occurred = host_timeout_occurred,
    .child_reaped = host_child_reaped,
};

/* ======================================================================
 * Open and close
 * ====================================================================== */

static void
host_libxl_close(XvHost *host)
{
    XvHostLibxl *h = HOST_LIBXL(host);
    GHashTableIter iter;
    gpointer gen;
    g_autoptr(GHashTable) watches = NULL;

    g_mutex_lock(&h->watch_lock);
    watches = g_steal_pointer(&h->watches);
    h->watches = g_hash_table_new(NULL, NULL);
    g_mutex_unlock(&h->watch_lock);
    g_hash_table_iter_init(&iter, watches);
    while (g_hash_table_iter_next(&iter, NULL, &gen)) {
        if (gen != NULL)
            libxl_evdisable_domain_death(h->ctx, gen);
    }

    libxl_ctx_free(h->ctx);        /* deregisters its fds through the hooks */
    xv_libxl_loop_free(h->loop);
    h->logger->destroy(h->logger);
    g_hash_table_destroy(h->watches);
    g_mutex_clear(&h->watch_lock);

    g_mutex_lock(&host_singleton_lock);
    if (host_singleton == h)
        host_singleton = NULL;
    g_mutex_unlock(&host_singleton_lock);
    g_free(h);
}

static const XvHostOps host_libxl_ops = {
    .name = "libxl",
    .close = host_libxl_close,
    .get_physinfo = host_get_physinfo,
    .get_version = host_get_version,
    .get_scheduler = host_get_scheduler,
    .list_domains = host_list_domains,
    .domain_info = host_domain_info,
    .create_new = host_create_new,
    .create_restore = host_create_restore,
    .destroy = host_destroy,
    .shutdown = host_shutdown,
    .reboot = host_reboot,
    .pause = host_pause,
    .unpause = host_unpause,
    .suspend = host_suspend,
    .core_dump = host_core_dump,
    .set_vcpu_affinity = host_set_vcpu_affinity,
    .list_vcpus = host_list_vcpus,
    .set_vcpus_online = host_set_vcpus_online,
    .set_memory_target = host_set_memory_target,
    .set_max_memory = host_set_max_memory,
    .sched_params_get = host_sched_params_get,
    .sched_params_set = host_sched_params_set,
    .retrieve_config = host_retrieve_config,
    .watch_domain = host_watch_domain,
    .unwatch_domain = host_unwatch_domain,
    .device_add = host_device_add,
    .device_remove = host_device_remove,
    .cdrom_insert = host_cdrom_insert,
    .domain_rename = host_domain_rename,
    .domain_preserve = host_domain_preserve,
    .get_boot_id = host_get_boot_id,
};

XvHost *
xv_host_libxl_open(GError **error)
{
    XvHostLibxl *h;
    xentoollog_logger *logger;
    libxl_ctx *ctx = NULL;
    int rc;

    g_mutex_lock(&host_singleton_lock);
    if (host_singleton != NULL) {
        g_mutex_unlock(&host_singleton_lock);
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot open the Xen hypervisor: this process has it open already"));
        return NULL;
    }

    /* Never a NULL logger: libxl dereferences it on its error paths. */
    logger = xv_host_libxl_logger_new();
    xv_host_libxl_log_capture_begin();
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, logger);
    if (rc != 0) {
        g_autofree char *detail = xv_host_libxl_log_capture_end();
        g_autofree char *reason = NULL;

        if (detail == NULL) {
            const char *name = libxl_error_to_string((libxl_error)rc);

            reason = g_strdup_printf(_("libxl_ctx_alloc failed with error %s"),
                                     name != NULL ? name : "?");
        }
        g_mutex_unlock(&host_singleton_lock);
        logger->destroy(logger);
        g_set_error(error, XV_ERROR, XV_ERROR_NO_SUPPORT,
                    _("cannot open the Xen hypervisor: %s: is this machine a Xen dom0?"),
                    detail != NULL ? detail : reason);
        return NULL;
    }
    g_free(xv_host_libxl_log_capture_end());

    h = g_new0(XvHostLibxl, 1);
    h->parent.ops = &host_libxl_ops;
    h->parent.event_context = g_main_context_ref_thread_default();
    h->ctx = ctx;
    h->logger = logger;
    g_mutex_init(&h->watch_lock);
    h->watches = g_hash_table_new(NULL, NULL);
    h->loop = xv_libxl_loop_new(h->parent.event_context, &host_loop_funcs, h);

    /* Order matters: hooks before anything that may register an fd, and
     * all three before any event generation is enabled. */
    libxl_osevent_register_hooks(ctx, xv_libxl_loop_osevent_hooks(), h->loop);
    libxl_childproc_setmode(ctx, xv_libxl_loop_childproc_hooks(), h->loop);
    libxl_event_register_callbacks(ctx, &host_event_hooks, h);

    host_singleton = h;
    g_mutex_unlock(&host_singleton_lock);
    return &h->parent;
}
