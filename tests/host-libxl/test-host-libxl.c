/*
 * test-host-libxl.c: the libxl backend's parts that need no hypervisor.
 *
 * This binary defines xc_interface_open / xs_open (and their closes) so that
 * libxl_ctx_alloc succeeds on a machine without Xen: such a "fake" ctx is
 * good for JSON, copies and libxl's osevent/childproc machinery; anything
 * that reaches the hypervisor or xenstore would crash, so no test calls it.
 * The event-loop hooks are driven both directly (real pipes, timeouts,
 * children, other threads) and by libxl itself (its SIGCHLD self-pipe).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <libxl.h>
#include <libxl_event.h>
#include <libxl_utils.h>

#include "drivers/libxl/host-libxl.h"
#include "util/xv-error.h"

/* ---- the fake Xen handles (test binary only) ----------------------------- */

struct xc_interface_core;
struct xs_handle;
struct xc_interface_core *xc_interface_open(xentoollog_logger *logger,
                                            xentoollog_logger *dombuild_logger,
                                            unsigned open_flags);
int xc_interface_close(struct xc_interface_core *xch);
struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *xsh);

static int fake_handle;

struct xc_interface_core *
xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
                  unsigned open_flags)
{
    return (struct xc_interface_core *)&fake_handle;
}

int
xc_interface_close(struct xc_interface_core *xch)
{
    return 0;
}

struct xs_handle *
xs_open(unsigned long flags)
{
    return (struct xs_handle *)&fake_handle;
}

void
xs_close(struct xs_handle *xsh)
{
}

/* ---- a log writer that records the backend's messages ------------------- */

typedef struct {
    GLogLevelFlags level;
    char *context;
    char *xen_level;
    char *message;
} LogRecord;

static GMutex log_lock;
static GPtrArray *log_records;      /* LogRecord*, protected by log_lock */

static void
log_record_free(gpointer p)
{
    LogRecord *r = p;

    g_free(r->context);
    g_free(r->xen_level);
    g_free(r->message);
    g_free(r);
}

static char *
log_field(const GLogField *fields, gsize n_fields, const char *key)
{
    for (gsize i = 0; i < n_fields; i++) {
        if (g_str_equal(fields[i].key, key))
            return fields[i].length < 0 ? g_strdup(fields[i].value)
                                        : g_strndup(fields[i].value, fields[i].length);
    }
    return NULL;
}

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
    g_autofree char *domain = log_field(fields, n_fields, "GLIB_DOMAIN");

    if (g_strcmp0(domain, XV_HOST_LIBXL_LOG_DOMAIN) == 0) {
        LogRecord *r = g_new0(LogRecord, 1);

        r->level = level & G_LOG_LEVEL_MASK;
        r->context = log_field(fields, n_fields, "XEN_CONTEXT");
        r->xen_level = log_field(fields, n_fields, "XEN_LEVEL");
        r->message = log_field(fields, n_fields, "MESSAGE");
        g_mutex_lock(&log_lock);
        g_ptr_array_add(log_records, r);
        g_mutex_unlock(&log_lock);
        return G_LOG_WRITER_HANDLED;
    }
    return g_log_writer_default(level, fields, n_fields, data);
}

static void
log_reset(void)
{
    g_mutex_lock(&log_lock);
    g_ptr_array_set_size(log_records, 0);
    g_mutex_unlock(&log_lock);
}

/* The first record whose message contains 'needle' (borrowed), or NULL. */
static const LogRecord *
log_find(const char *needle)
{
    const LogRecord *found = NULL;

    g_mutex_lock(&log_lock);
    for (guint i = 0; i < log_records->len && found == NULL; i++) {
        const LogRecord *r = log_records->pdata[i];

        if (r->message != NULL && strstr(r->message, needle) != NULL)
            found = r;
    }
    g_mutex_unlock(&log_lock);
    return found;
}

static void log_through(xentoollog_logger *lg, xentoollog_level level, int errnoval,
                        const char *context, const char *format, ...) G_GNUC_PRINTF(5, 6);

static void
log_through(xentoollog_logger *lg, xentoollog_level level, int errnoval,
            const char *context, const char *format, ...)
{
    va_list ap;

    va_start(ap, format);
    lg->vmessage(lg, level, errnoval, context, format, ap);
    va_end(ap);
}

static libxl_ctx *
fake_ctx_new(xentoollog_logger *lg)
{
    libxl_ctx *ctx = NULL;

    g_assert_cmpint(libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg), ==, 0);
    g_assert_nonnull(ctx);
    return ctx;
}

/* ---- a GLib loop to drive the hooks ------------------------------------ */

typedef struct {
    GMutex lock;
    guint fd_calls;             /* protected by lock */
    void *fd_for_libxl;         /* protected by lock */
    int fd_fd;                  /* protected by lock */
    short fd_events;            /* protected by lock */
    short fd_revents;           /* protected by lock */
    guint timeout_calls;        /* protected by lock */
    GHashTable *timeouts_seen;  /* for_libxl -> count, protected by lock */
    guint child_calls;          /* protected by lock */
    pid_t child_pid;            /* protected by lock */
    int child_status;           /* protected by lock */
    GMutex *libxl_lock;         /* emulates libxl's lock when set */
    gboolean drain;             /* read what is readable */
} Rec;

static void
rec_fd(gpointer data, void *for_libxl, int fd, short events, short revents)
{
    Rec *rec = data;

    if (rec->drain && (revents & POLLIN)) {
        char buf[64];

        g_assert_cmpint(read(fd, buf, sizeof(buf)), >=, 0);
    }
    g_mutex_lock(&rec->lock);
    rec->fd_calls++;
    rec->fd_for_libxl = for_libxl;
    rec->fd_fd = fd;
    rec->fd_events = events;
    rec->fd_revents = revents;
    g_mutex_unlock(&rec->lock);
}

static void
rec_timeout(gpointer data, void *for_libxl)
{
    Rec *rec = data;

    if (rec->libxl_lock != NULL)
        g_mutex_lock(rec->libxl_lock);
    g_mutex_lock(&rec->lock);
    rec->timeout_calls++;
    g_hash_table_insert(rec->timeouts_seen, for_libxl,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(
                            g_hash_table_lookup(rec->timeouts_seen, for_libxl)) + 1));
    g_mutex_unlock(&rec->lock);
    if (rec->libxl_lock != NULL)
        g_mutex_unlock(rec->libxl_lock);
}

static void
rec_child(gpointer data, pid_t pid, int status)
{
    Rec *rec = data;

    g_mutex_lock(&rec->lock);
    rec->child_calls++;
    rec->child_pid = pid;
    rec->child_status = status;
    g_mutex_unlock(&rec->lock);
}

static const XvLibxlLoopFuncs rec_funcs = {
    .fd_occurred = rec_fd,
    .timeout_occurred = rec_timeout,
    .child_reaped = rec_child,
};

typedef struct {
    GMainContext *context;
    XvLibxlLoop *loop;
    Rec rec;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    f->context = g_main_context_new();
    g_main_context_push_thread_default(f->context);
    g_mutex_init(&f->rec.lock);
    f->rec.timeouts_seen = g_hash_table_new(NULL, NULL);
    f->rec.drain = TRUE;
    f->loop = xv_libxl_loop_new(f->context, &rec_funcs, &f->rec);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    xv_libxl_loop_free(f->loop);
    g_hash_table_destroy(f->rec.timeouts_seen);
    g_mutex_clear(&f->rec.lock);
    g_main_context_pop_thread_default(f->context);
    /* Leave nothing pending behind. */
    while (g_main_context_iteration(f->context, FALSE))
        ;
    g_main_context_unref(f->context);
}

static guint
rec_get(Rec *rec, guint *field)
{
    guint v;

    g_mutex_lock(&rec->lock);
    v = *field;
    g_mutex_unlock(&rec->lock);
    return v;
}

static gboolean
hang_guard(gpointer data)
{
    *(gboolean *)data = TRUE;
    return G_SOURCE_REMOVE;
}

/* Iterate until *field >= want.  The guard only stops a broken test from
 * hanging the suite; nothing here measures time. */
static void
iterate_until(Fixture *f, guint *field, guint want)
{
    gboolean hung = FALSE;
    GSource *guard = g_timeout_source_new_seconds(30);

    g_source_set_callback(guard, hang_guard, &hung, NULL);
    g_source_attach(guard, f->context);
    while (rec_get(&f->rec, field) < want && !hung)
        g_main_context_iteration(f->context, TRUE);
    g_source_destroy(guard);
    g_source_unref(guard);
    g_assert_false(hung);
}

/* Run whatever is ready now, without blocking. */
static void
iterate_ready(Fixture *f)
{
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(f->context, FALSE);
}

/* ======================================================================
 * Errors
 * ====================================================================== */

static void
test_errors_table(void)
{
    static const struct {
        int rc;
        int code;
    } cases[] = {
        { ERROR_DOMAIN_NOTFOUND, XV_ERROR_NO_DOMAIN },
        { ERROR_ABORTED, XV_ERROR_OPERATION_ABORTED },
        { ERROR_NOMEM, XV_ERROR_NO_MEMORY },
        { ERROR_INVAL, XV_ERROR_INVALID_ARG },
        { ERROR_NI, XV_ERROR_NO_SUPPORT },
        { ERROR_TIMEDOUT, XV_ERROR_OPERATION_TIMEOUT },
        { ERROR_GUEST_TIMEDOUT, XV_ERROR_OPERATION_TIMEOUT },
        { ERROR_NOPARAVIRT, XV_ERROR_OPERATION_UNSUPPORTED },
        { ERROR_LOCK_FAIL, XV_ERROR_RESOURCE_BUSY },
        { ERROR_DOMAIN_DESTROYED, XV_ERROR_NO_DOMAIN },
        { ERROR_VNUMA_CONFIG_INVALID, XV_ERROR_CONFIG_UNSUPPORTED },
        { ERROR_FAIL, XV_ERROR_XEN_CALL },
        { ERROR_NONSPECIFIC, XV_ERROR_XEN_CALL },
        { -1000, XV_ERROR_XEN_CALL },   /* unknown: the generic Xen failure */
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpint(xv_host_libxl_error_code(cases[i].rc), ==, cases[i].code);

    /* Every libxl error code has a reason of its own. */
    for (int rc = ERROR_NONSPECIFIC; rc >= ERROR_QEMU_API; rc--) {
        const char *reason = xv_host_libxl_error_reason(rc);

        g_assert_nonnull(reason);
        g_assert_cmpstr(reason, !=, "");
        g_assert_nonnull(libxl_error_to_string(rc));
    }
    g_assert_cmpstr(xv_host_libxl_error_reason(ERROR_DOMAIN_NOTFOUND), ==,
                    "the domain does not exist");
}

static void
test_errors_message(void)
{
    g_autoptr(GError) plain = NULL;
    g_autoptr(GError) detailed = NULL;
    g_autoptr(GError) unknown = NULL;

    xv_host_libxl_set_error(&plain, ERROR_DOMAIN_NOTFOUND, NULL);
    g_assert_error(plain, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_assert_cmpstr(plain->message, ==,
                    "the domain does not exist (libxl: ERROR_DOMAIN_NOTFOUND)");

    xv_host_libxl_set_error(&detailed, ERROR_ABORTED, "libxl_save.c:42: stream aborted");
    g_assert_error(detailed, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_assert_cmpstr(detailed->message, ==,
                    "the operation was aborted (libxl: ERROR_ABORTED: libxl_save.c:42: stream aborted)");

    xv_host_libxl_set_error(&unknown, -1000, "");
    g_assert_error(unknown, XV_ERROR, XV_ERROR_XEN_CALL);
    g_assert_nonnull(strstr(unknown->message, "-1000"));

    xv_host_libxl_set_error(NULL, ERROR_FAIL, NULL);  /* NULL error is allowed */
}

/* ======================================================================
 * Logging
 * ====================================================================== */

static void
test_log_levels(void)
{
    g_assert_cmpint(xv_host_libxl_log_level(XTL_DEBUG), ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_VERBOSE), ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_DETAIL), ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_PROGRESS), ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_INFO), ==, G_LOG_LEVEL_INFO);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_NOTICE), ==, G_LOG_LEVEL_MESSAGE);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_WARN), ==, G_LOG_LEVEL_WARNING);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_ERROR), ==, G_LOG_LEVEL_WARNING);
    g_assert_cmpint(xv_host_libxl_log_level(XTL_CRITICAL), ==, G_LOG_LEVEL_CRITICAL);
}

static void
test_log_logger(void)
{
    xentoollog_logger *lg = xv_host_libxl_logger_new();
    const LogRecord *r;
    g_autofree char *first = NULL;

    log_reset();
    log_through(lg, XTL_NOTICE, -1, "libxl", "domain %d has %s", 7, "news");
    r = log_find("domain 7 has news");
    g_assert_nonnull(r);
    g_assert_cmpint(r->level, ==, G_LOG_LEVEL_MESSAGE);
    g_assert_cmpstr(r->context, ==, "libxl");
    g_assert_cmpstr(r->xen_level, ==, "notice");

    log_through(lg, XTL_DETAIL, ENOENT, "xc", "cannot open %s", "/dev/xen/privcmd");
    r = log_find("cannot open /dev/xen/privcmd");
    g_assert_nonnull(r);
    g_assert_cmpint(r->level, ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpstr(r->message, ==, "cannot open /dev/xen/privcmd: No such file or directory");
    g_assert_cmpstr(r->context, ==, "xc");

    log_through(lg, XTL_WARN, -1, NULL, "no context");
    r = log_find("no context");
    g_assert_nonnull(r);
    g_assert_cmpint(r->level, ==, G_LOG_LEVEL_WARNING);
    g_assert_cmpstr(r->context, ==, "");

    lg->progress(lg, "xc", "Saving memory", 40, 400, 1000);
    r = log_find("Saving memory");
    g_assert_nonnull(r);
    g_assert_cmpint(r->level, ==, G_LOG_LEVEL_DEBUG);
    g_assert_cmpstr(r->message, ==, "Saving memory: 40% (400 of 1000)");
    g_assert_cmpstr(r->xen_level, ==, "progress");

    /* Capture: nothing without begin; the first error only; per thread. */
    log_through(lg, XTL_ERROR, -1, "libxl", "uncaptured");
    g_assert_null(xv_host_libxl_log_capture_end());
    xv_host_libxl_log_capture_begin();
    log_through(lg, XTL_WARN, -1, "libxl", "only a warning");
    log_through(lg, XTL_ERROR, -1, "libxl", "first error");
    log_through(lg, XTL_CRITICAL - 0, -1, "libxl", "second error");
    first = xv_host_libxl_log_capture_end();
    g_assert_cmpstr(first, ==, "first error");
    g_assert_null(xv_host_libxl_log_capture_end());
    r = log_find("second error");
    g_assert_nonnull(r);
    g_assert_cmpint(r->level, ==, G_LOG_LEVEL_CRITICAL);

    xv_host_libxl_log_capture_begin();
    g_assert_null(xv_host_libxl_log_capture_end());   /* begun, nothing logged */

    lg->destroy(lg);
    log_reset();
}

/* libxl's own messages arrive in the GLib log, at the mapped level. */
static void
test_log_from_libxl(void)
{
    xentoollog_logger *lg = xv_host_libxl_logger_new();
    libxl_ctx *ctx = fake_ctx_new(lg);
    libxl_domain_config config;
    gboolean found = FALSE;
    g_autofree char *captured = NULL;

    log_reset();
    libxl_domain_config_init(&config);
    xv_host_libxl_log_capture_begin();
    g_assert_cmpint(libxl_domain_config_from_json(ctx, &config, "{ \"c_info\": [1, "), !=, 0);
    captured = xv_host_libxl_log_capture_end();
    libxl_domain_config_dispose(&config);

    g_mutex_lock(&log_lock);
    for (guint i = 0; i < log_records->len; i++) {
        const LogRecord *r = log_records->pdata[i];

        if (g_strcmp0(r->context, "libxl") == 0 && g_strcmp0(r->xen_level, "error") == 0) {
            g_assert_cmpint(r->level, ==, G_LOG_LEVEL_WARNING);
            found = TRUE;
        }
    }
    g_mutex_unlock(&log_lock);
    g_assert_true(found);
    g_assert_nonnull(captured);

    libxl_ctx_free(ctx);
    lg->destroy(lg);
    log_reset();
}

/* ======================================================================
 * The event loop, driven directly
 * ====================================================================== */

static void
test_loop_ready_time(void)
{
    const gint64 real = G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC;
    const gint64 mono = G_GINT64_CONSTANT(5000) * G_USEC_PER_SEC;
    struct timeval zero = { 0, 0 };
    struct timeval past = { 1600000000, 0 };
    struct timeval soon = { 1700000000, 250000 };
    struct timeval later = { 1700000010, 0 };

    g_assert_cmpint(xv_libxl_loop_ready_time(zero, real, mono), ==, 0);
    g_assert_cmpint(xv_libxl_loop_ready_time(past, real, mono), ==, 0);
    g_assert_cmpint(xv_libxl_loop_ready_time(soon, real, mono), ==, mono + 250000);
    g_assert_cmpint(xv_libxl_loop_ready_time(later, real, mono), ==, mono + 10 * G_USEC_PER_SEC);
}

static void
test_loop_fd(Fixture *f, gconstpointer data)
{
    const libxl_osevent_hooks *hooks = xv_libxl_loop_osevent_hooks();
    int p[2];
    void *reg = NULL;
    char token = 'x';
    void *const for_libxl = GINT_TO_POINTER(0x1234);

    g_assert_cmpint(pipe(p), ==, 0);
    g_assert_cmpint(hooks->fd_register(f->loop, p[0], &reg, POLLIN, for_libxl), ==, 0);
    g_assert_nonnull(reg);
    g_assert_cmpuint(xv_libxl_loop_n_fds(f->loop), ==, 1);

    /* Nothing readable: no call. */
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.fd_calls), ==, 0);

    g_assert_cmpint(write(p[1], &token, 1), ==, 1);
    iterate_until(f, &f->rec.fd_calls, 1);
    g_assert_true(f->rec.fd_for_libxl == for_libxl);
    g_assert_cmpint(f->rec.fd_fd, ==, p[0]);
    g_assert_cmpint(f->rec.fd_events, ==, POLLIN);
    g_assert_cmpint(f->rec.fd_revents & POLLIN, ==, POLLIN);
    /* Drained by the callback: no more calls. */
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.fd_calls), ==, 1);

    /* Modified to no events: data waits, nobody is called. */
    f->rec.drain = FALSE;
    g_assert_cmpint(hooks->fd_modify(f->loop, p[0], &reg, 0), ==, 0);
    g_assert_cmpint(write(p[1], &token, 1), ==, 1);
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.fd_calls), ==, 1);

    /* And back: the pending byte is reported. */
    f->rec.drain = TRUE;
    g_assert_cmpint(hooks->fd_modify(f->loop, p[0], &reg, POLLIN | POLLPRI), ==, 0);
    iterate_until(f, &f->rec.fd_calls, 2);
    g_assert_cmpint(f->rec.fd_events, ==, POLLIN | POLLPRI);

    /* A write end registered for POLLOUT is writable at once. */
    {
        void *wreg = NULL;

        g_assert_cmpint(hooks->fd_register(f->loop, p[1], &wreg, POLLOUT, NULL), ==, 0);
        iterate_until(f, &f->rec.fd_calls, 3);
        g_assert_cmpint(f->rec.fd_fd, ==, p[1]);
        g_assert_cmpint(f->rec.fd_revents & POLLOUT, ==, POLLOUT);
        hooks->fd_deregister(f->loop, p[1], wreg);
    }
    iterate_ready(f);

    /* Deregistered: no more delivery. */
    hooks->fd_deregister(f->loop, p[0], reg);
    g_assert_cmpuint(xv_libxl_loop_n_fds(f->loop), ==, 0);
    {
        guint before = rec_get(&f->rec, &f->rec.fd_calls);

        g_assert_cmpint(write(p[1], &token, 1), ==, 1);
        iterate_ready(f);
        g_assert_cmpuint(rec_get(&f->rec, &f->rec.fd_calls), ==, before);
    }
    close(p[0]);
    close(p[1]);
}

/* A hung-up peer is reported even when only POLLIN was asked for; an fd
 * registered for no events does not spin the loop on POLLHUP. */
static void
test_loop_fd_hup(Fixture *f, gconstpointer data)
{
    const libxl_osevent_hooks *hooks = xv_libxl_loop_osevent_hooks();
    int p[2];
    void *reg = NULL;

    g_assert_cmpint(pipe(p), ==, 0);
    g_assert_cmpint(hooks->fd_register(f->loop, p[0], &reg, 0, NULL), ==, 0);
    close(p[1]);
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.fd_calls), ==, 0);

    g_assert_cmpint(hooks->fd_modify(f->loop, p[0], &reg, POLLIN), ==, 0);
    iterate_until(f, &f->rec.fd_calls, 1);
    g_assert_cmpint(f->rec.fd_revents & POLLHUP, ==, POLLHUP);

    hooks->fd_deregister(f->loop, p[0], reg);
    close(p[0]);
}

static void
test_loop_timeout(Fixture *f, gconstpointer data)
{
    const libxl_osevent_hooks *hooks = xv_libxl_loop_osevent_hooks();
    struct timeval now, zero = { 0, 0 }, soon, far;
    void *reg_soon = NULL, *reg_far = NULL, *reg_now = NULL;
    gint64 t = g_get_real_time();

    now.tv_sec = t / G_USEC_PER_SEC;
    now.tv_usec = t % G_USEC_PER_SEC;
    soon = now;
    soon.tv_usec += 20000;
    if (soon.tv_usec >= 1000000) {
        soon.tv_sec++;
        soon.tv_usec -= 1000000;
    }
    far = now;
    far.tv_sec += 3600;

    g_assert_cmpint(hooks->timeout_register(f->loop, &reg_soon, soon, GINT_TO_POINTER(1)), ==, 0);
    g_assert_cmpint(hooks->timeout_register(f->loop, &reg_far, far, GINT_TO_POINTER(2)), ==, 0);
    g_assert_cmpuint(xv_libxl_loop_n_timeouts(f->loop), ==, 2);

    /* The near one fires, once; the far one does not. */
    iterate_until(f, &f->rec.timeout_calls, 1);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(f->rec.timeouts_seen,
                                                          GINT_TO_POINTER(1))), ==, 1);
    g_assert_null(g_hash_table_lookup(f->rec.timeouts_seen, GINT_TO_POINTER(2)));
    g_assert_cmpuint(xv_libxl_loop_n_timeouts(f->loop), ==, 1);

    /* timeout_modify to {0,0} makes the far one fire at once. */
    g_assert_cmpint(hooks->timeout_modify(f->loop, &reg_far, zero), ==, 0);
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.timeout_calls), ==, 2);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(f->rec.timeouts_seen,
                                                          GINT_TO_POINTER(2))), ==, 1);

    /* Registered with abs={0,0}: at once. */
    g_assert_cmpint(hooks->timeout_register(f->loop, &reg_now, zero, GINT_TO_POINTER(3)), ==, 0);
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.timeout_calls), ==, 3);
    g_assert_cmpuint(xv_libxl_loop_n_timeouts(f->loop), ==, 0);

    /* Deregistered (libxl never does, the hook exists): never fires. */
    reg_now = NULL;
    g_assert_cmpint(hooks->timeout_register(f->loop, &reg_now, zero, GINT_TO_POINTER(4)), ==, 0);
    hooks->timeout_deregister(f->loop, reg_now);
    iterate_ready(f);
    g_assert_cmpuint(rec_get(&f->rec, &f->rec.timeout_calls), ==, 3);
    g_assert_cmpuint(xv_libxl_loop_n_timeouts(f->loop), ==, 0);
}

/* ---- hooks called from other threads ---- */

#define THREAD_TIMEOUTS 200

typedef struct {
    Fixture *f;
    GMutex libxl_lock;          /* what libxl's ctx lock is to the hooks */
    void *regs[THREAD_TIMEOUTS];
    int pipe[2];
} ThreadTest;

static gpointer
thread_hooks(gpointer data)
{
    ThreadTest *tt = data;
    const libxl_osevent_hooks *hooks = xv_libxl_loop_osevent_hooks();
    struct timeval far = { 0, 0 }, zero = { 0, 0 };
    void *fd_reg = NULL;
    char token = 'y';

    far.tv_sec = g_get_real_time() / G_USEC_PER_SEC + 3600;

    /* Half fire at once, half are pulled forward by modify, which races
     * with their dispatch; each must fire exactly once. */
    for (int i = 0; i < THREAD_TIMEOUTS; i++) {
        g_mutex_lock(&tt->libxl_lock);
        g_assert_cmpint(hooks->timeout_register(tt->f->loop, &tt->regs[i],
                                                i % 2 ? far : zero,
                                                GINT_TO_POINTER(i + 1)), ==, 0);
        g_mutex_unlock(&tt->libxl_lock);
    }
    for (int i = 0; i < THREAD_TIMEOUTS; i++) {
        for (int k = 0; k < 3; k++) {
            gboolean fired;

            /* As libxl does: modify only what has not occurred yet. */
            g_mutex_lock(&tt->libxl_lock);
            g_mutex_lock(&tt->f->rec.lock);
            fired = g_hash_table_contains(tt->f->rec.timeouts_seen, GINT_TO_POINTER(i + 1));
            g_mutex_unlock(&tt->f->rec.lock);
            if (!fired)
                g_assert_cmpint(hooks->timeout_modify(tt->f->loop, &tt->regs[i], zero), ==, 0);
            g_mutex_unlock(&tt->libxl_lock);
        }
    }

    /* An fd registered here is served by the loop's thread. */
    g_mutex_lock(&tt->libxl_lock);
    g_assert_cmpint(hooks->fd_register(tt->f->loop, tt->pipe[0], &fd_reg, POLLIN,
                                       GINT_TO_POINTER(77)), ==, 0);
    g_mutex_unlock(&tt->libxl_lock);
    g_assert_cmpint(write(tt->pipe[1], &token, 1), ==, 1);
    while (rec_get(&tt->f->rec, &tt->f->rec.fd_calls) < 1)
        g_usleep(1000);
    g_mutex_lock(&tt->libxl_lock);
    hooks->fd_deregister(tt->f->loop, tt->pipe[0], fd_reg);
    g_mutex_unlock(&tt->libxl_lock);
    return NULL;
}

static void
test_loop_threads(Fixture *f, gconstpointer data)
{
    ThreadTest tt = { .f = f };
    GThread *thread;

    g_mutex_init(&tt.libxl_lock);
    f->rec.libxl_lock = &tt.libxl_lock;
    g_assert_cmpint(pipe(tt.pipe), ==, 0);

    thread = g_thread_new("hooks", thread_hooks, &tt);
    iterate_until(f, &f->rec.timeout_calls, THREAD_TIMEOUTS);
    iterate_until(f, &f->rec.fd_calls, 1);
    g_thread_join(thread);
    iterate_ready(f);

    g_assert_cmpuint(f->rec.timeout_calls, ==, THREAD_TIMEOUTS);
    for (int i = 0; i < THREAD_TIMEOUTS; i++)
        g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(f->rec.timeouts_seen,
                                                              GINT_TO_POINTER(i + 1))), ==, 1);
    g_assert_true(f->rec.fd_for_libxl == GINT_TO_POINTER(77));
    g_assert_cmpuint(xv_libxl_loop_n_timeouts(f->loop), ==, 0);
    g_assert_cmpuint(xv_libxl_loop_n_fds(f->loop), ==, 0);

    f->rec.libxl_lock = NULL;
    g_mutex_clear(&tt.libxl_lock);
    close(tt.pipe[0]);
    close(tt.pipe[1]);
}

/* libxl's fork goes through the hook; GLib reaps the child in the loop and
 * the status reaches the 'child_reaped' function. */
static void
test_loop_child(Fixture *f, gconstpointer data)
{
    const libxl_childproc_hooks *hooks = xv_libxl_loop_childproc_hooks();
    pid_t pid;

    g_assert_cmpint(hooks->chldowner, ==, libxl_sigchld_owner_mainloop);
    g_assert_null(hooks->reaped_callback);
    g_assert_nonnull(hooks->fork_replacement);

    pid = hooks->fork_replacement(f->loop);
    if (pid == 0)
        _exit(7);
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpuint(xv_libxl_loop_n_children(f->loop), ==, 1);
    iterate_until(f, &f->rec.child_calls, 1);
    g_assert_cmpint(f->rec.child_pid, ==, pid);
    g_assert_true(WIFEXITED(f->rec.child_status));
    g_assert_cmpint(WEXITSTATUS(f->rec.child_status), ==, 7);
    g_assert_cmpuint(xv_libxl_loop_n_children(f->loop), ==, 0);
    /* Reaped: nothing left to wait for. */
    g_assert_cmpint(waitpid(pid, NULL, WNOHANG), ==, -1);
}

/* Freeing the loop destroys what is still registered (ASan checks leaks). */
static void
test_loop_free_registered(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    const libxl_osevent_hooks *hooks = xv_libxl_loop_osevent_hooks();
    Rec rec = { 0 };
    XvLibxlLoop *loop;
    void *reg1 = NULL, *reg2 = NULL;
    struct timeval far = { 0, 0 };
    int p[2];
    char token = 'z';

    far.tv_sec = g_get_real_time() / G_USEC_PER_SEC + 3600;
    g_mutex_init(&rec.lock);
    rec.timeouts_seen = g_hash_table_new(NULL, NULL);
    g_assert_cmpint(pipe(p), ==, 0);
    loop = xv_libxl_loop_new(context, &rec_funcs, &rec);
    g_assert_cmpint(hooks->fd_register(loop, p[0], &reg1, POLLIN, NULL), ==, 0);
    g_assert_cmpint(hooks->timeout_register(loop, &reg2, far, NULL), ==, 0);
    xv_libxl_loop_free(loop);

    g_assert_cmpint(write(p[1], &token, 1), ==, 1);
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(context, FALSE);
    g_assert_cmpuint(rec.fd_calls, ==, 0);
    g_hash_table_destroy(rec.timeouts_seen);
    g_mutex_clear(&rec.lock);
    close(p[0]);
    close(p[1]);
}

/* ======================================================================
 * The event loop, driven by libxl itself
 * ====================================================================== */

typedef struct {
    libxl_ctx *ctx;
    guint fd_calls;
} RealLoop;

static void
real_fd(gpointer data, void *for_libxl, int fd, short events, short revents)
{
    RealLoop *r = data;

    r->fd_calls++;
    libxl_osevent_occurred_fd(r->ctx, for_libxl, fd, events, revents);
}

static void
real_timeout(gpointer data, void *for_libxl)
{
    libxl_osevent_occurred_timeout(((RealLoop *)data)->ctx, for_libxl);
}

static void
real_child(gpointer data, pid_t pid, int status)
{
    libxl_childproc_reaped(((RealLoop *)data)->ctx, pid, status);
}

static const XvLibxlLoopFuncs real_funcs = {
    .fd_occurred = real_fd,
    .timeout_occurred = real_timeout,
    .child_reaped = real_child,
};

/* In a subprocess (it installs libxl's SIGCHLD handler): in the
 * libxl_always_selective_reap mode libxl registers its SIGCHLD self-pipe
 * through our fd hook; a SIGCHLD makes it readable, our GSource calls
 * libxl_osevent_occurred_fd, libxl drains the pipe, and the loop goes
 * quiet; libxl_ctx_free deregisters the fd through our hook. */
static void
test_libxl_drives_loop_child(void)
{
    static const libxl_childproc_hooks selective = {
        .chldowner = libxl_sigchld_owner_libxl_always_selective_reap,
    };
    xentoollog_logger *lg = xv_host_libxl_logger_new();
    g_autoptr(GMainContext) context = g_main_context_new();
    RealLoop r = { 0 };
    XvLibxlLoop *loop;
    guint after;

    r.ctx = fake_ctx_new(lg);
    loop = xv_libxl_loop_new(context, &real_funcs, &r);
    libxl_osevent_register_hooks(r.ctx, xv_libxl_loop_osevent_hooks(), loop);
    libxl_childproc_setmode(r.ctx, &selective, NULL);
    g_assert_cmpuint(xv_libxl_loop_n_fds(loop), >=, 1);

    for (int i = 0; i < 5; i++)
        g_main_context_iteration(context, FALSE);
    g_assert_cmpuint(r.fd_calls, ==, 0);

    g_assert_cmpint(kill(getpid(), SIGCHLD), ==, 0);
    while (r.fd_calls == 0)
        g_main_context_iteration(context, TRUE);
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(context, FALSE);
    after = r.fd_calls;
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(context, FALSE);
    g_assert_cmpuint(r.fd_calls, ==, after);    /* drained by libxl */

    libxl_ctx_free(r.ctx);
    g_assert_cmpuint(xv_libxl_loop_n_fds(loop), ==, 0);
    xv_libxl_loop_free(loop);
    lg->destroy(lg);
    g_print("ok\n");
}

static void
test_libxl_drives_loop(void)
{
    const char *srcdir = g_getenv("XV_SRCDIR");
    gboolean set_lsan = srcdir != NULL && g_getenv("LSAN_OPTIONS") == NULL;

    /* Under LeakSanitizer, excuse libxl's own leak at ctx_free (see the
     * suppressions file), in the subprocess only. */
    if (set_lsan) {
        g_autofree char *opts = g_strdup_printf(
            "suppressions=%s/tests/host-libxl/lsan-libxl.supp:print_suppressions=0", srcdir);

        g_setenv("LSAN_OPTIONS", opts, TRUE);
    }
    g_test_trap_subprocess("/host-libxl/libxl/sigchld-self-pipe/subprocess", 60 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (set_lsan)
        g_unsetenv("LSAN_OPTIONS");
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("*ok*");
}

/* ======================================================================
 * The backend on a fake ctx
 * ====================================================================== */

static void
test_open_fake(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) again_error = NULL;
    XvHost *host, *again;
    const XvHostOps *ops;
    const gpointer *members;

    g_main_context_push_thread_default(context);
    host = xv_host_libxl_open(&error);
    g_assert_no_error(error);
    g_assert_nonnull(host);
    g_assert_true(host->event_context == context);
    g_assert_cmpstr(xv_host_name(host), ==, "libxl");
    g_assert_nonnull(xv_host_libxl_get_ctx(host));

    /* Every member of the vtable is filled in. */
    ops = host->ops;
    g_assert_nonnull(ops->name);
    members = (const gpointer *)&ops->close;
    for (gsize i = 0; i < (sizeof(XvHostOps) - G_STRUCT_OFFSET(XvHostOps, close)) / sizeof(gpointer); i++)
        g_assert_nonnull(members[i]);

    /* libxl was put in mainloop child mode: only then does it accept
     * libxl_childproc_reaped (another mode would assert). */
    g_assert_cmpint(libxl_childproc_reaped(xv_host_libxl_get_ctx(host), 999999, 0), ==,
                    ERROR_UNKNOWN_CHILD);

    /* One ctx per process. */
    again = xv_host_libxl_open(&again_error);
    g_assert_null(again);
    g_assert_error(again_error, XV_ERROR, XV_ERROR_OPERATION_INVALID);

    xv_host_close(host);
    g_main_context_pop_thread_default(context);

    /* Closed: it can be opened again. */
    host = xv_host_libxl_open(&error);
    g_assert_no_error(error);
    xv_host_close(host);
}

static void
progress_never(XvHostOp *op, guint64 processed, guint64 total, gpointer user_data)
{
    g_assert_not_reached();
}

/* An operation aborted before it starts fails with ERROR_ABORTED and never
 * reaches libxl (which, on a fake ctx, would crash); so do argument
 * errors. */
static void
test_ops_early_failures(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(XvHostOp) op = xv_host_op_new(progress_never, NULL);
    XvHost *host;
    libxl_domain_config config;
    uint32_t domid = 0;

    g_main_context_push_thread_default(context);
    host = xv_host_libxl_open(&error);
    g_assert_no_error(error);
    xv_host_op_abort(op);

    libxl_domain_config_init(&config);
    config.c_info.name = strdup("web1");
    g_assert_cmpint(xv_host_create_new(host, &config, FALSE, &domid, op, &error), ==, ERROR_ABORTED);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_assert_true(g_str_has_prefix(error->message, "cannot create domain 'web1': the operation was aborted"));
    g_assert_cmpuint(domid, ==, (uint32_t)INVALID_DOMID);
    g_clear_error(&error);

    g_assert_cmpint(xv_host_create_restore(host, &config, FALSE, 0, &domid, op, &error), ==,
                    ERROR_ABORTED);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_assert_true(g_str_has_prefix(error->message, "cannot restore domain 'web1': "));
    g_clear_error(&error);

    g_assert_cmpint(xv_host_create_restore(host, &config, FALSE, -1, &domid, NULL, &error), ==,
                    ERROR_INVAL);
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    libxl_domain_config_dispose(&config);

    g_assert_cmpint(xv_host_suspend(host, 5, 1, LIBXL_SUSPEND_LIVE, op, &error), ==, ERROR_ABORTED);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_assert_true(g_str_has_prefix(error->message, "cannot save domain 5: "));
    g_clear_error(&error);

    g_assert_cmpint(xv_host_suspend(host, 5, 1, 0x100, NULL, &error), ==, ERROR_INVAL);
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);

    g_assert_cmpint(xv_host_core_dump(host, 5, "/nonexistent/core", op, &error), ==, ERROR_ABORTED);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_clear_error(&error);

    g_assert_cmpint(xv_host_set_memory_target(host, 5, G_MAXUINT64, &error), ==, ERROR_INVAL);
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);

    xv_host_close(host);
    g_main_context_pop_thread_default(context);
}

/* ======================================================================
 * The runner of long operations, on a fake ctx
 * ====================================================================== */

typedef struct {
    XvHostOp *op;
    libxl_ctx *ctx;
    libxl_asyncop_how how;
    GThread *thread;
    GThread *caller;
    int start_rc;           /* what start returns */
    gboolean until_abort;   /* complete only once aborted */
    gint polls;             /* atomic */
    gint polls_elsewhere;   /* atomic: polls not in the caller's thread */
    gint progress_calls;    /* atomic */
    guint64 last_processed; /* written by the caller's thread only */
    guint64 last_total;
} FakeAo;

static gpointer
fake_ao_thread(gpointer data)
{
    FakeAo *a = data;

    if (a->until_abort) {
        while (!xv_host_op_is_aborted(a->op))
            g_usleep(1000);
    } else {
        while (g_atomic_int_get(&a->polls) < 2)
            g_usleep(1000);
    }
    /* libxl calls completion callbacks from whatever thread it runs in. */
    a->how.callback(a->ctx, a->until_abort ? ERROR_ABORTED : 0, a->how.u.for_callback);
    return NULL;
}

static int
fake_ao_start(libxl_ctx *ctx, const libxl_asyncop_how *how, gpointer data)
{
    FakeAo *a = data;

    g_assert_nonnull(how);
    g_assert_nonnull(how->callback);
    a->ctx = ctx;
    a->how = *how;
    if (a->start_rc != 0)
        return a->start_rc;
    if (a->until_abort && xv_host_op_is_aborted(a->op)) {
        /* Completes inside its initiating call, as libxl may. */
        how->callback(ctx, ERROR_ABORTED, how->u.for_callback);
        return 0;
    }
    a->thread = g_thread_new("fake-ao", fake_ao_thread, a);
    return 0;
}

static void
fake_ao_poll(gpointer data, XvHostOp *op)
{
    FakeAo *a = data;

    if (g_thread_self() != a->caller)
        g_atomic_int_inc(&a->polls_elsewhere);
    g_atomic_int_inc(&a->polls);
    xv_host_op_report(op, (guint64)g_atomic_int_get(&a->polls) * 100, 1000);
}

static void
fake_ao_progress(XvHostOp *op, guint64 processed, guint64 total, gpointer user_data)
{
    FakeAo *a = user_data;

    g_atomic_int_inc(&a->progress_calls);
    a->last_processed = processed;
    a->last_total = total;
}

static gpointer
abort_after_first_poll(gpointer data)
{
    FakeAo *a = data;

    while (g_atomic_int_get(&a->polls) < 1)
        g_usleep(1000);
    xv_host_op_abort(a->op);
    return NULL;
}

static XvHost *
fake_host_open(GMainContext *context)
{
    g_autoptr(GError) error = NULL;
    XvHost *host;

    g_main_context_push_thread_default(context);
    host = xv_host_libxl_open(&error);
    g_assert_no_error(error);
    g_main_context_pop_thread_default(context);
    return host;
}

static void
test_async_complete(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    XvHost *host = fake_host_open(context);
    FakeAo a = { .caller = g_thread_self() };
    int rc;

    a.op = xv_host_op_new(fake_ao_progress, &a);
    rc = xv_host_libxl_run_async(host, a.op, fake_ao_start, fake_ao_poll, &a);
    g_assert_cmpint(rc, ==, 0);
    g_thread_join(a.thread);
    /* Progress came from the waiting (job) thread, and reached the op. */
    g_assert_cmpint(g_atomic_int_get(&a.polls), >=, 2);
    g_assert_cmpint(g_atomic_int_get(&a.polls_elsewhere), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&a.progress_calls), >=, 2);
    g_assert_cmpuint(a.last_total, ==, 1000);
    g_assert_cmpuint(a.last_processed, >=, 200);
    xv_host_op_unref(a.op);
    xv_host_close(host);
}

static void
test_async_abort(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    XvHost *host = fake_host_open(context);
    FakeAo a = { .caller = g_thread_self(), .until_abort = TRUE };
    GThread *aborter;
    int rc;

    log_reset();
    a.op = xv_host_op_new(NULL, NULL);
    aborter = g_thread_new("aborter", abort_after_first_poll, &a);
    rc = xv_host_libxl_run_async(host, a.op, fake_ao_start, fake_ao_poll, &a);
    g_thread_join(aborter);
    g_thread_join(a.thread);
    g_assert_cmpint(rc, ==, ERROR_ABORTED);
    /* The abort hook reached libxl_ao_abort with the running ao_how (libxl
     * knows no such operation here: ERROR_NOTFOUND). */
    g_assert_nonnull(log_find("returned -23"));
    /* The hook is gone: a late abort touches nothing (ASan would see it). */
    xv_host_op_abort(a.op);
    xv_host_op_unref(a.op);
    xv_host_close(host);
    log_reset();
}

static void
test_async_abort_before_start(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    XvHost *host = fake_host_open(context);
    FakeAo a = { .caller = g_thread_self(), .until_abort = TRUE };

    a.op = xv_host_op_new(NULL, NULL);
    xv_host_op_abort(a.op);
    g_assert_cmpint(xv_host_libxl_run_async(host, a.op, fake_ao_start, NULL, &a), ==,
                    ERROR_ABORTED);
    g_assert_null(a.thread);
    xv_host_op_unref(a.op);
    xv_host_close(host);
}

static void
test_async_start_fails(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    XvHost *host = fake_host_open(context);
    FakeAo a = { .caller = g_thread_self(), .start_rc = ERROR_INVAL };

    a.op = xv_host_op_new(fake_ao_progress, &a);
    g_assert_cmpint(xv_host_libxl_run_async(host, a.op, fake_ao_start, fake_ao_poll, &a), ==,
                    ERROR_INVAL);
    g_assert_cmpint(g_atomic_int_get(&a.polls), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&a.progress_calls), ==, 0);
    /* No operation without an op handle either. */
    a.start_rc = ERROR_FAIL;
    g_assert_cmpint(xv_host_libxl_run_async(host, NULL, fake_ao_start, NULL, &a), ==,
                    ERROR_FAIL);
    xv_host_op_unref(a.op);
    xv_host_close(host);
}

/* ======================================================================
 * Pure helpers of the operations
 * ====================================================================== */

static void
test_ops_restore_params(void)
{
    libxl_domain_restore_params params;

    xv_host_libxl_restore_params_init(&params);
    g_assert_cmpuint(params.stream_version, ==, 2);
    g_assert_cmpint(params.checkpointed_stream, ==, LIBXL_CHECKPOINTED_STREAM_NONE);
    g_assert_null(params.colo_proxy_script);
    g_assert_false(libxl_defbool_val(params.userspace_colo_proxy));
    libxl_domain_restore_params_dispose(&params);
}

static void
test_ops_suspend_flags(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_cmpint(xv_host_libxl_suspend_flags(3, 0, &error), ==, 0);
    g_assert_cmpint(xv_host_libxl_suspend_flags(3, LIBXL_SUSPEND_LIVE, &error), ==,
                    LIBXL_SUSPEND_LIVE);
    g_assert_cmpint(xv_host_libxl_suspend_flags(3, LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_DEBUG,
                                                &error), ==,
                    LIBXL_SUSPEND_LIVE | LIBXL_SUSPEND_DEBUG);
    g_assert_no_error(error);
    g_assert_cmpint(xv_host_libxl_suspend_flags(3, LIBXL_SUSPEND_LIVE | 0x40, &error), ==, -1);
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_assert_cmpstr(error->message, ==, "cannot save domain 3: unsupported suspend flags 0x40");
}

static void
test_ops_copy_version(void)
{
    libxl_version_info in, out;

    libxl_version_info_init(&in);
    in.xen_version_major = 4;
    in.xen_version_minor = 17;
    in.xen_version_extra = strdup(".3");
    in.compiler = strdup("gcc (Debian 12.2.0-14) 12.2.0");
    in.compile_by = strdup("pkg-xen-devel");
    in.compile_domain = NULL;
    in.compile_date = strdup("Tue Jan 30 2024");
    in.capabilities = strdup("xen-3.0-x86_64 hvm-3.0-x86_32");
    in.changeset = strdup("");
    in.virt_start = 0xffff800000000000ULL;
    in.pagesize = 4096;
    in.commandline = strdup("dom0_mem=1024M");
    in.build_id = strdup("abcdef");

    xv_host_libxl_copy_version(&out, &in);
    g_assert_cmpint(out.xen_version_major, ==, 4);
    g_assert_cmpint(out.xen_version_minor, ==, 17);
    g_assert_cmpstr(out.xen_version_extra, ==, ".3");
    g_assert_true(out.xen_version_extra != in.xen_version_extra);
    g_assert_cmpstr(out.compiler, ==, in.compiler);
    g_assert_cmpstr(out.compile_by, ==, in.compile_by);
    g_assert_null(out.compile_domain);
    g_assert_cmpstr(out.compile_date, ==, in.compile_date);
    g_assert_cmpstr(out.capabilities, ==, in.capabilities);
    g_assert_cmpstr(out.changeset, ==, "");
    g_assert_cmpuint(out.virt_start, ==, in.virt_start);
    g_assert_cmpint(out.pagesize, ==, 4096);
    g_assert_cmpstr(out.commandline, ==, in.commandline);
    g_assert_cmpstr(out.build_id, ==, in.build_id);
    /* Independent storage: both dispose without double frees (ASan). */
    libxl_version_info_dispose(&in);
    libxl_version_info_dispose(&out);
}

static void
test_events_translate(void)
{
    static const libxl_shutdown_reason reasons[] = {
        LIBXL_SHUTDOWN_REASON_POWEROFF, LIBXL_SHUTDOWN_REASON_REBOOT,
        LIBXL_SHUTDOWN_REASON_SUSPEND, LIBXL_SHUTDOWN_REASON_CRASH,
        LIBXL_SHUTDOWN_REASON_WATCHDOG, LIBXL_SHUTDOWN_REASON_SOFT_RESET,
    };
    libxl_event ev;
    XvHostEvent out;

    for (gsize i = 0; i < G_N_ELEMENTS(reasons); i++) {
        libxl_event_init(&ev);
        libxl_event_init_type(&ev, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
        ev.domid = 12;
        ev.u.domain_shutdown.shutdown_reason = reasons[i];
        g_assert_true(xv_host_libxl_translate_event(&ev, &out));
        g_assert_cmpint(out.type, ==, XV_HOST_EVENT_SHUTDOWN);
        g_assert_cmpuint(out.domid, ==, 12);
        g_assert_cmpint(out.reason, ==, reasons[i]);
        libxl_event_dispose(&ev);
    }

    libxl_event_init(&ev);
    libxl_event_init_type(&ev, LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    ev.domid = 13;
    g_assert_true(xv_host_libxl_translate_event(&ev, &out));
    g_assert_cmpint(out.type, ==, XV_HOST_EVENT_DEATH);
    g_assert_cmpuint(out.domid, ==, 13);
    libxl_event_dispose(&ev);

    libxl_event_init(&ev);
    libxl_event_init_type(&ev, LIBXL_EVENT_TYPE_OPERATION_COMPLETE);
    g_assert_false(xv_host_libxl_translate_event(&ev, &out));
    libxl_event_dispose(&ev);
}

int
main(int argc, char **argv)
{
    log_records = g_ptr_array_new_with_free_func(log_record_free);
    g_log_set_writer_func(log_writer, NULL, NULL);
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/host-libxl/errors/table", test_errors_table);
    g_test_add_func("/host-libxl/errors/message", test_errors_message);
    g_test_add_func("/host-libxl/log/levels", test_log_levels);
    g_test_add_func("/host-libxl/log/logger", test_log_logger);
    g_test_add_func("/host-libxl/log/from-libxl", test_log_from_libxl);
    g_test_add_func("/host-libxl/loop/ready-time", test_loop_ready_time);
    g_test_add("/host-libxl/loop/fd", Fixture, NULL, fixture_setup, test_loop_fd, fixture_teardown);
    g_test_add("/host-libxl/loop/fd-hup", Fixture, NULL, fixture_setup, test_loop_fd_hup,
               fixture_teardown);
    g_test_add("/host-libxl/loop/timeout", Fixture, NULL, fixture_setup, test_loop_timeout,
               fixture_teardown);
    g_test_add("/host-libxl/loop/threads", Fixture, NULL, fixture_setup, test_loop_threads,
               fixture_teardown);
    g_test_add("/host-libxl/loop/child", Fixture, NULL, fixture_setup, test_loop_child,
               fixture_teardown);
    g_test_add_func("/host-libxl/loop/free-registered", test_loop_free_registered);
    g_test_add_func("/host-libxl/libxl/sigchld-self-pipe", test_libxl_drives_loop);
    g_test_add_func("/host-libxl/libxl/sigchld-self-pipe/subprocess", test_libxl_drives_loop_child);
    g_test_add_func("/host-libxl/open/fake-ctx", test_open_fake);
    g_test_add_func("/host-libxl/ops/early-failures", test_ops_early_failures);
    g_test_add_func("/host-libxl/async/complete", test_async_complete);
    g_test_add_func("/host-libxl/async/abort", test_async_abort);
    g_test_add_func("/host-libxl/async/abort-before-start", test_async_abort_before_start);
    g_test_add_func("/host-libxl/async/start-fails", test_async_start_fails);
    g_test_add_func("/host-libxl/ops/restore-params", test_ops_restore_params);
    g_test_add_func("/host-libxl/ops/suspend-flags", test_ops_suspend_flags);
    g_test_add_func("/host-libxl/ops/copy-version", test_ops_copy_version);
    g_test_add_func("/host-libxl/events/translate", test_events_translate);

    return g_test_run();
}
