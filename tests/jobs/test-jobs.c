/* test-jobs.c: the per-domain job state machine.
 *
 * Deterministic: threads meet through explicit synchronisation (the slot's
 * waiter count, the host queue length, GAsyncQueue hand-offs); a fake clock
 * drives elapsed times, "held for" durations and the ETA.  Small deadlines
 * (50 ms) appear only where the outcome is a certain timeout. */
#include <glib.h>
#include <string.h>

#include "jobs/job.h"
#include "util/xv-error.h"

#define SHORT_US (50 * G_TIME_SPAN_MILLISECOND)
#define LONG_US (60 * G_USEC_PER_SEC)

/* ---- fake clock ---- */

static GMutex clock_lock;
static gint64 clock_now;

static gint64
fake_clock(gpointer data)
{
    gint64 v;

    g_mutex_lock(&clock_lock);
    v = clock_now;
    g_mutex_unlock(&clock_lock);
    return v;
}

static void
clock_set(gint64 v)
{
    g_mutex_lock(&clock_lock);
    clock_now = v;
    g_mutex_unlock(&clock_lock);
}

static XvJobHost *
fake_host(guint max_async)
{
    XvJobHost *host = xv_job_host_new(max_async);

    clock_set(1000 * G_USEC_PER_SEC);
    xv_job_host_set_clock(host, fake_clock, NULL);
    return host;
}

/* ---- a begin on another thread ---- */

typedef struct {
    XvJobSlot *slot;
    gboolean is_async;
    XvJob job;
    XvAsyncJob type;
    const char *label;
    gint64 timeout;
    XvJobAbortFunc abort_func;
    gpointer abort_data;
    XvJobHold *hold;
    GError *error;
    gint done;
    GThread *thread;
} Attempt;

static gpointer
attempt_thread(gpointer data)
{
    Attempt *a = data;

    if (a->is_async)
        a->hold = xv_job_begin_async(a->slot, a->type, a->label, a->abort_func,
                                     a->abort_data, a->timeout, &a->error);
    else
        a->hold = xv_job_begin(a->slot, a->job, a->label, a->timeout, &a->error);
    g_atomic_int_set(&a->done, TRUE);
    return NULL;
}

static void
attempt_start_sync(Attempt *a, XvJobSlot *slot, XvJob job, const char *label)
{
    memset(a, 0, sizeof(*a));
    a->slot = slot;
    a->job = job;
    a->label = label;
    a->timeout = LONG_US;
    a->thread = g_thread_new("attempt", attempt_thread, a);
}

static void
attempt_start_async(Attempt *a, XvJobSlot *slot, XvAsyncJob type, const char *label,
                    XvJobAbortFunc func, gpointer data)
{
    memset(a, 0, sizeof(*a));
    a->slot = slot;
    a->is_async = TRUE;
    a->type = type;
    a->label = label;
    a->timeout = LONG_US;
    a->abort_func = func;
    a->abort_data = data;
    a->thread = g_thread_new("attempt", attempt_thread, a);
}

static void
attempt_join(Attempt *a)
{
    g_thread_join(a->thread);
    a->thread = NULL;
}

/* Polls a state predicate: no timing is assumed, only that it becomes true.
 * The bound only turns a bug into a failure instead of a hang. */
#define POLL_BOUND_US (30 * G_USEC_PER_SEC)

static void
wait_for_waiters(XvJobSlot *slot, guint n)
{
    gint64 end = g_get_monotonic_time() + POLL_BOUND_US;

    while (xv_job_slot_get_n_waiters(slot) < n) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(200);
    }
}

static void
wait_for_host_queued(XvJobHost *host, guint n)
{
    gint64 end = g_get_monotonic_time() + POLL_BOUND_US;
    guint queued = 0;

    for (;;) {
        xv_job_host_get_counts(host, NULL, &queued);
        if (queued >= n)
            return;
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(200);
    }
}

/* ---- abort callbacks ---- */

typedef struct {
    gint calls;
    GAsyncQueue *signal;   /* optional: gets a token per call */
} AbortProbe;

static void
probe_abort(XvJobSlot *slot, gpointer data)
{
    AbortProbe *p = data;

    g_atomic_int_inc(&p->calls);
    if (p->signal != NULL)
        g_async_queue_push(p->signal, GINT_TO_POINTER(1));
}

static void
assert_timeout_msg(const GError *error, const char *label, const char *secs)
{
    g_autofree char *want = g_strdup_printf(
        "cannot acquire state change lock (held by job '%s' for %s s)", label, secs);

    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT);
    g_assert_cmpstr(error->message, ==, want);
}

/* A sync job that must start at once; it is ended straight away. */
static void
assert_begins_at_once(XvJobSlot *slot, XvJob job)
{
    g_autoptr(GError) error = NULL;
    XvJobHold *hold = xv_job_begin(slot, job, NULL, 0, &error);

    g_assert_no_error(error);
    xv_job_end(hold);
}

/* A sync job that must give up, naming the holder's label and its time. */
static void
assert_begin_times_out(XvJobSlot *slot, XvJob job, const char *label, gint64 timeout_us,
                       const char *holder, const char *secs)
{
    g_autoptr(GError) error = NULL;
    XvJobHold *hold = xv_job_begin(slot, job, label, timeout_us, &error);

    g_assert_null(hold);
    assert_timeout_msg(error, holder, secs);
}

/* ---- enums ---- */

static void
test_enums(void)
{
    static const char *const sync[] = { "none", "query", "modify", "suspend", "destroy", "abort" };
    static const char *const async[] = { "none", "start", "save", "restore",
                                         "migration-out", "migration-in", "dump" };

    for (int i = 0; i < XV_JOB_LAST; i++) {
        g_assert_cmpstr(xv_job_to_string(i), ==, sync[i]);
        g_assert_cmpint(xv_job_from_string(sync[i]), ==, i);
    }
    for (int i = 0; i < XV_ASYNC_JOB_LAST; i++) {
        g_assert_cmpstr(xv_async_job_to_string(i), ==, async[i]);
        g_assert_cmpint(xv_async_job_from_string(async[i]), ==, i);
    }
    g_assert_null(xv_job_to_string(XV_JOB_LAST));
    g_assert_cmpint(xv_async_job_from_string("migrate"), ==, -1);
    g_assert_cmpstr(xv_job_result_to_string(XV_JOB_RESULT_CANCELLED), ==, "cancelled");
    g_assert_cmpstr(xv_job_event_to_string(XV_JOB_EVENT_COMPLETED), ==, "completed");
}

/* ---- the compatibility matrix ---- */

static gboolean
expected_alongside(XvAsyncJob type, XvJob job)
{
    /* The documented table, spelled out independently of the code. */
    if (job == XV_JOB_QUERY)
        return TRUE;
    return type == XV_ASYNC_JOB_MIGRATION_OUT && (job == XV_JOB_MODIFY || job == XV_JOB_SUSPEND);
}

static void
test_matrix_sync(void)
{
    static const XvJob classes[] = { XV_JOB_QUERY, XV_JOB_MODIFY, XV_JOB_SUSPEND };

    for (int type = XV_ASYNC_JOB_START; type < XV_ASYNC_JOB_LAST; type++) {
        for (gsize c = 0; c < G_N_ELEMENTS(classes); c++) {
            g_autoptr(XvJobHost) host = fake_host(4);
            XvJobSlot slot;
            g_autoptr(GError) error = NULL;
            g_autofree char *label = g_strdup_printf("%s-op", xv_async_job_to_string(type));
            XvJobHold *async;
            XvJobHold *hold;
            Attempt a;

            g_test_message("async %s, sync %s", xv_async_job_to_string(type),
                           xv_job_to_string(classes[c]));
            g_assert_cmpuint(xv_async_job_default_mask(type) & XV_JOB_MASK(classes[c]) ? 1 : 0,
                             ==, expected_alongside(type, classes[c]) ? 1 : 0);
            xv_job_slot_init(&slot, host, NULL);
            async = xv_job_begin_async(&slot, type, label, NULL, NULL, 0, &error);
            g_assert_no_error(error);
            g_assert_nonnull(async);
            clock_set(1000 * G_USEC_PER_SEC + 12300 * G_TIME_SPAN_MILLISECOND);

            if (expected_alongside(type, classes[c])) {
                /* allowed at once */
                hold = xv_job_begin(&slot, classes[c], "op", 0, &error);
                g_assert_no_error(error);
                g_assert_nonnull(hold);
                xv_job_end(hold);
                xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
            } else {
                /* fails, naming the holder, whether trying or waiting */
                assert_begin_times_out(&slot, classes[c], "op", 0, label, "12.3");
                assert_begin_times_out(&slot, classes[c], "op", SHORT_US, label, "12.3");
                /* waits, then succeeds once the async job ends */
                attempt_start_sync(&a, &slot, classes[c], "op");
                wait_for_waiters(&slot, 1);
                g_assert_false(g_atomic_int_get(&a.done));
                xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
                attempt_join(&a);
                g_assert_no_error(a.error);
                g_assert_nonnull(a.hold);
                xv_job_end(a.hold);
            }
            g_assert_cmpuint(xv_job_slot_get_n_waiters(&slot), ==, 0);
            xv_job_slot_dispose(&slot);
        }
    }
}

static void
test_matrix_abort(void)
{
    for (int type = XV_ASYNC_JOB_START; type < XV_ASYNC_JOB_LAST; type++) {
        g_autoptr(XvJobHost) host = fake_host(4);
        XvJobSlot slot;
        g_autoptr(GError) error = NULL;
        g_auto(XvJobInfo) info = { 0 };
        AbortProbe probe = { 0 };
        XvJobHold *async;

        xv_job_slot_init(&slot, host, NULL);
        async = xv_job_begin_async(&slot, type, NULL, probe_abort, &probe, 0, &error);
        g_assert_no_error(error);
        g_assert_false(xv_job_is_aborted(async));
        g_assert_true(xv_job_abort(&slot, &error));
        g_assert_no_error(error);
        g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 1);
        g_assert_true(xv_job_is_aborted(async));
        /* a second request is accepted but does not call the owner again */
        g_assert_true(xv_job_abort(&slot, &error));
        g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 1);
        xv_job_slot_get_info(&slot, &info);
        g_assert_true(info.aborting);
        g_assert_cmpint(info.type, ==, type);
        xv_job_end_async(async, XV_JOB_RESULT_CANCELLED, NULL);
        xv_job_info_clear(&info);
        g_assert_true(xv_job_slot_get_completed(&slot, &info));
        g_assert_cmpint(info.result, ==, XV_JOB_RESULT_CANCELLED);
        g_assert_cmpstr(info.label, ==, xv_async_job_to_string(type));
        xv_job_slot_dispose(&slot);
    }
}

static void
test_matrix_destroy(void)
{
    for (int type = XV_ASYNC_JOB_START; type < XV_ASYNC_JOB_LAST; type++) {
        g_autoptr(XvJobHost) host = fake_host(4);
        XvJobSlot slot;
        g_autoptr(GError) error = NULL;
        g_autoptr(GAsyncQueue) signal = g_async_queue_new();
        AbortProbe probe = { 0, signal };
        XvJobHold *async;
        XvJobHold *hold;
        Attempt d;

        xv_job_slot_init(&slot, host, NULL);
        async = xv_job_begin_async(&slot, type, NULL, probe_abort, &probe, 0, &error);
        g_assert_no_error(error);
        /* destroy ignores "abortable": the owner makes the job non-abortable */
        xv_job_set_mask(async, XV_JOB_MASK(XV_JOB_QUERY));
        attempt_start_sync(&d, &slot, XV_JOB_DESTROY, "Destroy");
        /* the owner is asked to stop (bounded only so that a bug fails, not hangs) */
        g_assert_nonnull(g_async_queue_timeout_pop(signal, LONG_US));
        g_assert_true(xv_job_is_aborted(async));
        wait_for_waiters(&slot, 1);
        g_assert_false(g_atomic_int_get(&d.done));  /* it waits for the unwind */
        /* while destroy waits, nothing else starts on the domain */
        hold = xv_job_begin(&slot, XV_JOB_QUERY, "GetStats", 0, &error);
        g_assert_null(hold);
        g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT);
        g_assert_nonnull(strstr(error->message, "held by job 'Destroy'"));
        g_clear_error(&error);
        xv_job_end_async(async, XV_JOB_RESULT_CANCELLED, NULL);
        attempt_join(&d);
        g_assert_no_error(d.error);
        g_assert_nonnull(d.hold);
        g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 1);
        g_assert_cmpint(xv_job_slot_get_async(&slot), ==, XV_ASYNC_JOB_NONE);
        /* destroy is exclusive */
        hold = xv_job_begin(&slot, XV_JOB_QUERY, NULL, 0, &error);
        assert_timeout_msg(error, "Destroy", "0.0");
        g_clear_error(&error);
        xv_job_end(d.hold);
        xv_job_slot_dispose(&slot);
    }
}

/* ---- sync rules ---- */

static void
test_query_shared(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *q[3];
    XvJobHold *hold;
    Attempt m;

    xv_job_slot_init(&slot, host, NULL);
    for (int i = 0; i < 3; i++) {
        g_autofree char *label = g_strdup_printf("GetVcpus%d", i);

        clock_set(1000 * G_USEC_PER_SEC + i * G_USEC_PER_SEC);
        q[i] = xv_job_begin(&slot, XV_JOB_QUERY, label, 0, &error);
        g_assert_no_error(error);
    }
    xv_job_slot_get_info(&slot, &info);
    g_assert_cmpuint(info.n_queries, ==, 3);
    g_assert_cmpint(info.sync_job, ==, XV_JOB_QUERY);
    g_assert_cmpstr(info.sync_label, ==, "GetVcpus0");
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_NONE);
    /* the oldest query is named */
    assert_begin_times_out(&slot, XV_JOB_MODIFY, "SetMemory", 0, "GetVcpus0", "2.0");
    /* an async job does not wait for queries */
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_end_async(hold, XV_JOB_RESULT_COMPLETED, NULL);

    /* a waiting MODIFY is not starved by new queries */
    attempt_start_sync(&m, &slot, XV_JOB_MODIFY, "SetMemory");
    wait_for_waiters(&slot, 1);
    assert_begin_times_out(&slot, XV_JOB_QUERY, "late", 0, "SetMemory", "0.0");
    for (int i = 0; i < 3; i++)
        xv_job_end(q[i]);
    attempt_join(&m);
    g_assert_no_error(m.error);
    xv_job_end(m.hold);
    xv_job_slot_dispose(&slot);
}

static void
test_modify_excludes(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *m;
    XvJobHold *hold;
    Attempt w;

    xv_job_slot_init(&slot, host, NULL);
    m = xv_job_begin(&slot, XV_JOB_MODIFY, "PinVcpu", 0, &error);
    g_assert_no_error(error);
    clock_set(1000 * G_USEC_PER_SEC + 1500 * G_TIME_SPAN_MILLISECOND);
    for (XvJob j = XV_JOB_QUERY; j <= XV_JOB_SUSPEND; j++) {
        assert_begin_times_out(&slot, j, NULL, 0, "PinVcpu", "1.5");
    }
    /* a save cannot start beside a MODIFY ... */
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, 0, &error);
    g_assert_null(hold);
    assert_timeout_msg(error, "PinVcpu", "1.5");
    g_clear_error(&error);
    /* ... a migration-out can: its mask allows MODIFY */
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_MIGRATION_OUT, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_end_async(hold, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_slot_get_info(&slot, &info);
    g_assert_cmpint(info.sync_job, ==, XV_JOB_MODIFY);
    g_assert_cmpstr(info.sync_label, ==, "PinVcpu");

    attempt_start_sync(&w, &slot, XV_JOB_MODIFY, "SetVcpus");
    wait_for_waiters(&slot, 1);
    g_assert_false(g_atomic_int_get(&w.done));
    xv_job_end(m);
    attempt_join(&w);
    g_assert_no_error(w.error);
    xv_job_end(w.hold);
    xv_job_slot_dispose(&slot);
}

static void
test_async_excludes_async(void)
{
    g_autoptr(XvJobHost) host = fake_host(0);
    XvJobSlot slot;
    XvJobSlot other;
    g_autoptr(GError) error = NULL;
    XvJobHold *save;
    XvJobHold *hold;

    xv_job_slot_init(&slot, host, NULL);
    xv_job_slot_init(&other, host, NULL);
    save = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, "Save", NULL, NULL, 0, &error);
    g_assert_no_error(error);
    clock_set(1000 * G_USEC_PER_SEC + 42 * G_USEC_PER_SEC);
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_DUMP, "CoreDump", NULL, NULL, SHORT_US, &error);
    g_assert_null(hold);
    assert_timeout_msg(error, "Save", "42.0");
    g_clear_error(&error);
    /* another domain is not affected */
    hold = xv_job_begin_async(&other, XV_ASYNC_JOB_DUMP, "CoreDump", NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_end_async(hold, XV_JOB_RESULT_COMPLETED, NULL);
    assert_begins_at_once(&other, XV_JOB_MODIFY);
    xv_job_end_async(save, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_slot_dispose(&slot);
    xv_job_slot_dispose(&other);
}

/* ---- destroy ---- */

static void
test_destroy_idle_and_timeout(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    AbortProbe probe = { 0 };
    XvJobHold *async;

    xv_job_slot_init(&slot, host, NULL);
    /* no job: destroy runs at once */
    assert_begins_at_once(&slot, XV_JOB_DESTROY);

    /* the owner never unwinds: destroy gives up, naming the async job */
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_RESTORE, "Restore", probe_abort, &probe, 0, &error);
    g_assert_no_error(error);
    clock_set(1000 * G_USEC_PER_SEC + 7 * G_USEC_PER_SEC);
    assert_begin_times_out(&slot, XV_JOB_DESTROY, "Destroy", SHORT_US, "Restore", "7.0");
    g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 1);
    g_assert_true(xv_job_is_aborted(async));
    g_assert_cmpuint(xv_job_slot_get_n_waiters(&slot), ==, 0);
    /* the gave-up destroy no longer blocks queries */
    assert_begins_at_once(&slot, XV_JOB_QUERY);
    /* ended without an explicit result after an abort: cancelled */
    xv_job_end(async);
    {
        g_auto(XvJobInfo) info = { 0 };

        g_assert_true(xv_job_slot_get_completed(&slot, &info));
        g_assert_cmpint(info.result, ==, XV_JOB_RESULT_CANCELLED);
    }
    xv_job_slot_dispose(&slot);
}

static void
test_destroy_queued_async(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot a, b;
    g_autoptr(GError) error = NULL;
    AbortProbe probe = { 0 };
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *holder;
    XvJobHold *hold;
    Attempt q;
    guint running, queued;

    xv_job_slot_init(&a, host, NULL);
    xv_job_slot_init(&b, host, NULL);
    holder = xv_job_begin_async(&a, XV_ASYNC_JOB_START, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    attempt_start_async(&q, &b, XV_ASYNC_JOB_START, "Create", probe_abort, &probe);
    wait_for_host_queued(host, 1);
    /* queued jobs are visible on their domain */
    xv_job_slot_get_info(&b, &info);
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_START);
    g_assert_true(info.queued);
    g_assert_cmpstr(info.label, ==, "Create");
    xv_job_info_clear(&info);
    /* QUERY and DESTROY on B never wait for host capacity */
    assert_begins_at_once(&b, XV_JOB_QUERY);
    hold = xv_job_begin(&b, XV_JOB_DESTROY, NULL, LONG_US, &error);
    g_assert_no_error(error);
    attempt_join(&q);
    g_assert_null(q.hold);
    g_assert_error(q.error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_assert_nonnull(strstr(q.error->message, "'Create'"));
    g_clear_error(&q.error);
    g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 0);  /* never started */
    xv_job_end(hold);
    g_assert_false(xv_job_slot_get_completed(&b, &info));
    xv_job_host_get_counts(host, &running, &queued);
    g_assert_cmpuint(running, ==, 1);
    g_assert_cmpuint(queued, ==, 0);
    xv_job_end_async(holder, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_slot_dispose(&a);
    xv_job_slot_dispose(&b);
}

/* ---- abort ---- */

static void
test_abort_errors(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    AbortProbe probe = { 0 };
    XvJobHold *async;
    XvJobHold *hold;

    xv_job_slot_init(&slot, host, NULL);
    g_assert_false(xv_job_abort(&slot, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_cmpstr(error->message, ==, "no job is active on the domain");
    g_clear_error(&error);
    /* a sync job alone is not abortable */
    hold = xv_job_begin(&slot, XV_JOB_MODIFY, NULL, 0, &error);
    g_assert_false(xv_job_abort(&slot, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    xv_job_end(hold);

    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_START, NULL, probe_abort, &probe, 0, &error);
    xv_job_set_mask(async, xv_async_job_default_mask(XV_ASYNC_JOB_START) & ~XV_JOB_MASK(XV_JOB_ABORT));
    g_assert_false(xv_job_abort(&slot, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_cmpstr(error->message, ==, "job 'start' cannot be aborted at this point");
    g_clear_error(&error);
    xv_job_set_phase(async, "unpausing");
    g_assert_false(xv_job_abort(&slot, &error));
    g_assert_cmpstr(error->message, ==, "job 'start' cannot be aborted in phase 'unpausing'");
    g_clear_error(&error);
    g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 0);
    g_assert_false(xv_job_is_aborted(async));
    /* abortable again */
    xv_job_set_mask(async, xv_async_job_default_mask(XV_ASYNC_JOB_START));
    hold = xv_job_begin(&slot, XV_JOB_ABORT, "AbortJob", LONG_US, &error);
    g_assert_no_error(error);
    g_assert_cmpint(g_atomic_int_get(&probe.calls), ==, 1);
    /* an ABORT hold blocks nothing */
    {
        XvJobHold *m = xv_job_begin(&slot, XV_JOB_QUERY, NULL, 0, &error);

        g_assert_no_error(error);
        xv_job_end(m);
    }
    xv_job_end(hold);
    xv_job_end_async(async, XV_JOB_RESULT_CANCELLED, NULL);
    xv_job_slot_dispose(&slot);
}

typedef struct {
    GAsyncQueue *entered;
    GAsyncQueue *release;
} SlowAbort;

static void
slow_abort(XvJobSlot *slot, gpointer data)
{
    SlowAbort *s = data;

    g_async_queue_push(s->entered, GINT_TO_POINTER(1));
    g_async_queue_pop(s->release);
}

typedef struct {
    XvJobHold *hold;
    gint done;
} EndArgs;

static gpointer
end_thread(gpointer data)
{
    EndArgs *e = data;

    xv_job_end_async(e->hold, XV_JOB_RESULT_CANCELLED, NULL);
    g_atomic_int_set(&e->done, TRUE);
    return NULL;
}

static gpointer
abort_thread(gpointer data)
{
    g_autoptr(GError) error = NULL;

    g_assert_true(xv_job_abort(data, &error));
    return NULL;
}

static void
test_abort_end_waits_for_callback(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    SlowAbort s = { g_async_queue_new(), g_async_queue_new() };
    EndArgs e = { 0 };
    GThread *ab, *en;

    xv_job_slot_init(&slot, host, NULL);
    e.hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_DUMP, NULL, slow_abort, &s, 0, &error);
    g_assert_no_error(error);
    ab = g_thread_new("abort", abort_thread, &slot);
    g_assert_nonnull(g_async_queue_timeout_pop(s.entered, LONG_US));   /* the callback runs now */
    en = g_thread_new("end", end_thread, &e);
    /* end cannot return while the callback runs, however long we wait: the
     * pause only gives a broken implementation the chance to show itself */
    g_usleep(SHORT_US);
    g_assert_false(g_atomic_int_get(&e.done));
    g_assert_cmpint(xv_job_slot_get_async(&slot), ==, XV_ASYNC_JOB_DUMP);
    g_async_queue_push(s.release, GINT_TO_POINTER(1));
    g_thread_join(ab);
    g_thread_join(en);
    g_assert_true(g_atomic_int_get(&e.done));
    g_async_queue_unref(s.entered);
    g_async_queue_unref(s.release);
    xv_job_slot_dispose(&slot);
}

/* ---- host-wide limit ---- */

typedef struct {
    XvJobSlot *slot;
    XvJobHost *host;
    int index;
    GMutex *lock;
    GArray *order;
    gint *max_running_seen;
} FifoArgs;

static gpointer
fifo_thread(gpointer data)
{
    FifoArgs *f = data;
    g_autoptr(GError) error = NULL;
    XvJobHold *hold;
    guint running;

    hold = xv_job_begin_async(f->slot, XV_ASYNC_JOB_START, NULL, NULL, NULL, LONG_US, &error);
    g_assert_no_error(error);
    xv_job_host_get_counts(f->host, &running, NULL);
    g_mutex_lock(f->lock);
    g_array_append_val(f->order, f->index);
    if ((gint)running > *f->max_running_seen)
        *f->max_running_seen = (gint)running;
    g_mutex_unlock(f->lock);
    xv_job_end_async(hold, XV_JOB_RESULT_COMPLETED, NULL);
    return NULL;
}

static void
test_host_fifo(void)
{
    enum { N = 6 };
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slots[N];
    FifoArgs args[N];
    GThread *threads[N];
    GMutex lock;
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GError) error = NULL;
    gint max_running = 0;
    XvJobHold *first;

    g_mutex_init(&lock);
    for (int i = 0; i < N; i++)
        xv_job_slot_init(&slots[i], host, NULL);
    first = xv_job_begin_async(&slots[0], XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    /* queue the others one at a time, in a known order (reverse slot order) */
    for (int k = 1; k < N; k++) {
        int i = N - k;

        args[i] = (FifoArgs){ &slots[i], host, i, &lock, order, &max_running };
        threads[i] = g_thread_new("fifo", fifo_thread, &args[i]);
        wait_for_host_queued(host, (guint)k);
    }
    xv_job_end_async(first, XV_JOB_RESULT_COMPLETED, NULL);
    for (int i = 1; i < N; i++)
        g_thread_join(threads[i]);
    g_assert_cmpuint(order->len, ==, N - 1);
    for (int k = 1; k < N; k++)
        g_assert_cmpint(g_array_index(order, int, k - 1), ==, N - k);
    g_assert_cmpint(max_running, ==, 1);
    for (int i = 0; i < N; i++)
        xv_job_slot_dispose(&slots[i]);
    g_mutex_clear(&lock);
}

static void
test_host_limit_timeout_and_raise(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot a, b;
    g_autoptr(GError) error = NULL;
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *first;
    XvJobHold *hold;
    Attempt q;
    guint running;

    xv_job_slot_init(&a, host, NULL);
    xv_job_slot_init(&b, host, NULL);
    first = xv_job_begin_async(&a, XV_ASYNC_JOB_MIGRATION_IN, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    clock_set(1000 * G_USEC_PER_SEC + 2 * G_USEC_PER_SEC);
    hold = xv_job_begin_async(&b, XV_ASYNC_JOB_SAVE, "Save", NULL, NULL, SHORT_US, &error);
    g_assert_null(hold);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT);
    g_assert_cmpstr(error->message, ==,
                    "cannot start job 'Save': the host-wide limit of 1 concurrent jobs is reached (waited 0.0 s)");
    g_clear_error(&error);
    /* the failed job left nothing behind on its slot */
    xv_job_slot_get_info(&b, &info);
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_NONE);
    xv_job_info_clear(&info);
    g_assert_false(xv_job_slot_get_completed(&b, &info));
    assert_begins_at_once(&b, XV_JOB_MODIFY);

    /* raising the limit lets a queued job go */
    attempt_start_async(&q, &b, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL);
    wait_for_host_queued(host, 1);
    xv_job_host_set_max_async(host, 2);
    attempt_join(&q);
    g_assert_no_error(q.error);
    xv_job_host_get_counts(host, &running, NULL);
    g_assert_cmpuint(running, ==, 2);
    xv_job_end_async(q.hold, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_end_async(first, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_host_get_counts(host, &running, NULL);
    g_assert_cmpuint(running, ==, 0);
    xv_job_slot_dispose(&a);
    xv_job_slot_dispose(&b);
}

/* ---- per-domain queue limit ---- */

static void
test_queue_limit(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    XvJobHold *m;
    XvJobHold *hold;
    Attempt w[2];

    xv_job_host_set_max_waiters(host, 2);
    xv_job_slot_init(&slot, host, NULL);
    m = xv_job_begin(&slot, XV_JOB_MODIFY, "AttachDevice", 0, &error);
    g_assert_no_error(error);
    attempt_start_sync(&w[0], &slot, XV_JOB_MODIFY, NULL);
    wait_for_waiters(&slot, 1);
    attempt_start_sync(&w[1], &slot, XV_JOB_QUERY, NULL);
    wait_for_waiters(&slot, 2);
    /* a third waiter fails at once, whatever its deadline */
    hold = xv_job_begin(&slot, XV_JOB_SUSPEND, NULL, LONG_US, &error);
    g_assert_null(hold);
    g_assert_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY);
    g_assert_cmpstr(error->message, ==,
                    "cannot acquire state change lock: the limit of 2 jobs waiting for the domain is reached");
    g_clear_error(&error);
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, LONG_US, &error);
    g_assert_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY);
    g_clear_error(&error);
    /* a try that would not wait reports the holder instead */
    hold = xv_job_begin(&slot, XV_JOB_SUSPEND, NULL, 0, &error);
    assert_timeout_msg(error, "AttachDevice", "0.0");
    g_clear_error(&error);
    /* destroy is exempt: it waits (and here times out) */
    assert_begin_times_out(&slot, XV_JOB_DESTROY, NULL, SHORT_US, "AttachDevice", "0.0");
    xv_job_end(m);
    /* fairness: the earlier MODIFY goes first, then the query */
    attempt_join(&w[0]);
    g_assert_no_error(w[0].error);
    g_assert_false(g_atomic_int_get(&w[1].done));
    xv_job_end(w[0].hold);
    attempt_join(&w[1]);
    g_assert_no_error(w[1].error);
    xv_job_end(w[1].hold);
    xv_job_slot_dispose(&slot);
}

/* ---- progress and stats ---- */

static void
test_progress(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    XvJobHold *async;
    const gint64 t0 = 1000 * G_USEC_PER_SEC;
    gint64 last_elapsed;

    xv_job_slot_init(&slot, host, NULL);
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, "Save", NULL, NULL, 0, &error);
    g_assert_no_error(error);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_SAVE);
        g_assert_cmpstr(info.label, ==, "Save");
        g_assert_null(info.phase);
        g_assert_false(info.queued);
        g_assert_true(info.abortable);
        g_assert_cmpint(info.elapsed_us, ==, 0);
        g_assert_false(info.has_data);
        g_assert_false(info.has_eta);
        g_assert_cmpint(info.started_wall_us, >, 0);
    }
    xv_job_set_phase(async, "transfer");
    xv_job_set_data_progress(async, 1000, 0);
    clock_set(t0 + 100 * G_TIME_SPAN_MILLISECOND);
    xv_job_set_data_progress(async, 1000, 100);
    xv_job_set_mem_progress(async, 4096, 1024);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpstr(info.phase, ==, "transfer");
        g_assert_cmpint(info.elapsed_us, ==, 100 * G_TIME_SPAN_MILLISECOND);
        g_assert_true(info.has_data);
        g_assert_cmpuint(info.data_total, ==, 1000);
        g_assert_cmpuint(info.data_processed, ==, 100);
        g_assert_cmpuint(info.data_remaining, ==, 900);
        g_assert_true(info.has_mem);
        g_assert_cmpuint(info.mem_remaining, ==, 3072);
        g_assert_false(info.has_eta);       /* the first window is still open */
        last_elapsed = info.elapsed_us;
    }
    clock_set(t0 + G_USEC_PER_SEC);
    xv_job_set_data_progress(async, 1000, 500);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpint(info.elapsed_us, >=, last_elapsed);
        g_assert_cmpuint(info.data_remaining, ==, info.data_total - info.data_processed);
        g_assert_true(info.has_eta);
        g_assert_cmpuint(info.data_bps, ==, 500);      /* 500 bytes in 1 s */
        g_assert_cmpint(info.eta_us, ==, G_USEC_PER_SEC);
        last_elapsed = info.elapsed_us;
    }
    clock_set(t0 + 2 * G_USEC_PER_SEC);
    xv_job_set_data_progress(async, 1000, 900);
    {
        g_auto(XvJobInfo) info = { 0 };
        double rate = 0.3 * 400 + 0.7 * 500;

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpint(info.elapsed_us, >=, last_elapsed);
        g_assert_cmpuint(info.data_bps, ==, (guint64)rate);
        g_assert_cmpint(info.eta_us, ==, (gint64)(100 / rate * G_USEC_PER_SEC));
    }
    /* a restarted pass (processed going down) keeps the estimate */
    clock_set(t0 + 3 * G_USEC_PER_SEC);
    xv_job_set_data_progress(async, 1200, 50);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_true(info.has_eta);
        g_assert_cmpuint(info.data_remaining, ==, 1150);
    }
    /* processed beyond total: remaining stays 0 */
    xv_job_set_data_progress(async, 1000, 1200);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpuint(info.data_remaining, ==, 0);
        g_assert_cmpint(info.eta_us, ==, 0);
    }
    xv_job_set_data_progress(async, 1000, 1000);
    clock_set(t0 + 5 * G_USEC_PER_SEC);
    xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
    {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_NONE);
        g_assert_false(info.has_data);
    }
    xv_job_slot_dispose(&slot);
}

static void
test_progress_real_clock(void)
{
    g_autoptr(XvJobHost) host = xv_job_host_new(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_auto(XvJobInfo) a = { 0 };
    g_auto(XvJobInfo) b = { 0 };
    XvJobHold *async;

    xv_job_slot_init(&slot, host, NULL);
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_DUMP, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_slot_get_info(&slot, &a);
    xv_job_set_data_progress(async, 10, 5);
    xv_job_slot_get_info(&slot, &b);
    g_assert_cmpint(a.elapsed_us, >=, 0);
    g_assert_cmpint(b.elapsed_us, >=, a.elapsed_us);
    g_assert_cmpuint(b.data_remaining, ==, 5);
    xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_slot_dispose(&slot);
}

static void
test_completed_stats(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) failure = NULL;
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *async;

    xv_job_slot_init(&slot, host, NULL);
    g_assert_false(xv_job_slot_get_completed(&slot, &info));
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_NONE);

    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, "Save", NULL, NULL, 0, &error);
    xv_job_set_phase(async, "writing");
    xv_job_set_data_progress(async, 4096, 1024);
    clock_set(1000 * G_USEC_PER_SEC + 3 * G_USEC_PER_SEC);
    failure = g_error_new_literal(XV_ERROR, XV_ERROR_SYSTEM, "No space left on device");
    xv_job_end_async(async, XV_JOB_RESULT_FAILED, failure);
    g_assert_true(xv_job_slot_get_completed(&slot, &info));
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_SAVE);
    g_assert_cmpint(info.result, ==, XV_JOB_RESULT_FAILED);
    g_assert_cmpstr(info.label, ==, "Save");
    g_assert_cmpstr(info.phase, ==, "writing");
    g_assert_cmpstr(info.error_message, ==, "No space left on device");
    g_assert_cmpint(info.elapsed_us, ==, 3 * G_USEC_PER_SEC);
    g_assert_cmpuint(info.data_total, ==, 4096);
    g_assert_cmpuint(info.data_processed, ==, 1024);
    g_assert_cmpuint(info.data_remaining, ==, 3072);
    xv_job_info_clear(&info);

    /* the next job replaces it; the safety-net end says "failed" */
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_DUMP, NULL, NULL, NULL, 0, &error);
    xv_job_end(async);
    g_assert_true(xv_job_slot_get_completed(&slot, &info));
    g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_DUMP);
    g_assert_cmpint(info.result, ==, XV_JOB_RESULT_FAILED);
    g_assert_null(info.error_message);
    g_assert_cmpint(info.elapsed_us, ==, 0);
    xv_job_info_clear(&info);
    xv_job_slot_clear_completed(&slot);
    g_assert_false(xv_job_slot_get_completed(&slot, &info));
    xv_job_slot_dispose(&slot);
}

/* ---- mask ---- */

static void
test_mask_change(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_auto(XvJobInfo) info = { 0 };
    XvJobHold *save;
    XvJobHold *hold;
    Attempt w;

    xv_job_slot_init(&slot, host, NULL);
    save = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    attempt_start_sync(&w, &slot, XV_JOB_MODIFY, "SetMemory");
    wait_for_waiters(&slot, 1);
    /* widening the mask lets the waiter in while the save still runs */
    xv_job_set_mask(save, xv_async_job_default_mask(XV_ASYNC_JOB_SAVE) | XV_JOB_MASK(XV_JOB_MODIFY));
    attempt_join(&w);
    g_assert_no_error(w.error);
    g_assert_cmpint(xv_job_slot_get_async(&slot), ==, XV_ASYNC_JOB_SAVE);
    /* narrowing affects new jobs only */
    xv_job_set_mask(save, 0);
    xv_job_slot_get_info(&slot, &info);
    g_assert_cmpuint(info.mask, ==, XV_JOB_MASK(XV_JOB_QUERY));   /* QUERY is kept */
    g_assert_false(info.abortable);
    g_assert_cmpint(info.sync_job, ==, XV_JOB_MODIFY);
    xv_job_end(w.hold);
    hold = xv_job_begin(&slot, XV_JOB_MODIFY, NULL, 0, &error);
    g_assert_null(hold);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT);
    g_clear_error(&error);
    assert_begins_at_once(&slot, XV_JOB_QUERY);
    g_assert_false(xv_job_abort(&slot, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    xv_job_end_async(save, XV_JOB_RESULT_COMPLETED, NULL);
    xv_job_slot_dispose(&slot);
}

/* ---- listener ---- */

typedef struct {
    GMutex lock;
    GPtrArray *events;   /* "event:type:phase:result" */
    gpointer owner;
} Events;

static void
record_event(XvJobSlot *slot, gpointer owner, XvJobEvent event, const XvJobInfo *info,
             gpointer data)
{
    Events *ev = data;

    g_assert_true(owner == ev->owner);
    g_mutex_lock(&ev->lock);
    g_ptr_array_add(ev->events,
                    g_strdup_printf("%s:%s:%s:%s", xv_job_event_to_string(event),
                                    xv_async_job_to_string(info->type),
                                    info->phase != NULL ? info->phase : "-",
                                    xv_job_result_to_string(info->result)));
    g_mutex_unlock(&ev->lock);
}

static void
test_listener(void)
{
    static const char *const want[] = {
        "started:migration-out:-:none",
        "progress:migration-out:memory:none",
        "progress:migration-out:memory:none",
        "completed:migration-out:memory:completed",
    };
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    Events ev = { .events = g_ptr_array_new_with_free_func(g_free), .owner = &slot };
    XvJobHold *async;

    g_mutex_init(&ev.lock);
    xv_job_host_set_listener(host, record_event, &ev);
    xv_job_slot_init(&slot, host, &slot);
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_MIGRATION_OUT, NULL, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_set_phase(async, "memory");
    xv_job_set_data_progress(async, 10, 1);
    xv_job_set_record_data(async, "uri", "xen+ssh://b");   /* not an event */
    xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
    g_assert_cmpuint(ev.events->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < ev.events->len; i++)
        g_assert_cmpstr(ev.events->pdata[i], ==, want[i]);
    g_ptr_array_unref(ev.events);
    g_mutex_clear(&ev.lock);
    xv_job_slot_dispose(&slot);
}

/* ---- record ---- */

static void
test_record_roundtrip(void)
{
    g_autoptr(XvJobRecord) rec = xv_job_record_new(XV_ASYNC_JOB_SAVE, "ManagedSave");
    g_autoptr(XvJobRecord) back = NULL;
    g_autoptr(XvJobRecord) back2 = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *text = NULL;
    g_autofree char *text2 = NULL;

    rec->phase = g_strdup("writing image");
    rec->started_wall_us = G_GINT64_CONSTANT(1700000000123456);
    g_hash_table_insert(rec->data, g_strdup("path"), g_strdup("/var/lib/xenvirt/save/a b\n.save"));
    g_hash_table_insert(rec->data, g_strdup("domid"), g_strdup("17"));
    g_hash_table_insert(rec->data, g_strdup("empty"), g_strdup(""));
    text = xv_job_record_to_string(rec);
    g_assert_nonnull(strstr(text, "type=save\n"));
    g_assert_nonnull(strstr(text, "started=2023-11-14T22:13:20.123456Z\n"));
    g_assert_nonnull(strstr(text, "data.domid=17\n"));
    back = xv_job_record_from_string(text, &error);
    g_assert_no_error(error);
    g_assert_true(xv_job_record_equal(rec, back));
    text2 = xv_job_record_to_string(back);
    g_assert_cmpstr(text, ==, text2);

    /* into a status keyfile beside other groups */
    g_key_file_set_string(kf, "domain", "state", "running");
    xv_job_record_to_keyfile(rec, kf, "job");
    back2 = xv_job_record_from_keyfile(kf, "job", &error);
    g_assert_no_error(error);
    g_assert_true(xv_job_record_equal(rec, back2));
    g_hash_table_replace(back2->data, g_strdup("domid"), g_strdup("18"));
    g_assert_false(xv_job_record_equal(rec, back2));

    /* a minimal record: no phase, no data, pre-1970 never happens but works */
    {
        g_autoptr(XvJobRecord) m = xv_job_record_new(XV_ASYNC_JOB_MIGRATION_IN, NULL);
        g_autoptr(XvJobRecord) mb = NULL;
        g_autofree char *mt = NULL;

        m->started_wall_us = -1500000;
        mt = xv_job_record_to_string(m);
        mb = xv_job_record_from_string(mt, &error);
        g_assert_no_error(error);
        g_assert_true(xv_job_record_equal(m, mb));
        g_assert_cmpstr(mb->label, ==, "migration-in");
        g_assert_null(mb->phase);
    }
}

static void
test_record_bad(void)
{
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        { "", "the group 'job' is missing" },
        { "garbage", "invalid job record: " },
        { "[domain]\nstate=running\n", "the group 'job' is missing" },
        { "[job]\nlabel=x\n", "the key 'type' is missing" },
        { "[job]\ntype=none\n", "unknown job type 'none'" },
        { "[job]\ntype=migrate\n", "unknown job type 'migrate'" },
        { "[job]\ntype=save\nstarted=yesterday\n", "'yesterday' is not an ISO 8601" },
        { "[job]\ntype=save\ndata.a b=1\n", "the data key 'data.a b' is not valid" },
        { "[job]\ntype=save\ndata.=1\n", "the data key 'data.' is not valid" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(XvJobRecord) rec = xv_job_record_from_string(bad[i].text, &error);

        g_test_message("case %zu: %s", i, bad[i].text);
        g_assert_null(rec);
        g_assert_error(error, XV_ERROR, XV_ERROR_INTERNAL);
        g_assert_nonnull(strstr(error->message, bad[i].msg));
    }
    /* unknown keys from a newer daemon are ignored */
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(XvJobRecord) rec =
            xv_job_record_from_string("[job]\ntype=dump\nfuture=1\n", &error);

        g_assert_no_error(error);
        g_assert_cmpint(rec->type, ==, XV_ASYNC_JOB_DUMP);
        g_assert_cmpuint(g_hash_table_size(rec->data), ==, 0);
    }
}

static void
test_record_from_slot(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    g_autoptr(XvJobRecord) rec = NULL;
    g_autoptr(XvJobRecord) back = NULL;
    g_autofree char *text = NULL;
    XvJobHold *async;
    gint64 before = g_get_real_time();

    xv_job_slot_init(&slot, host, NULL);
    g_assert_null(xv_job_slot_get_record(&slot));
    async = xv_job_begin_async(&slot, XV_ASYNC_JOB_RESTORE, "Restore", NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_set_phase(async, "creating");
    xv_job_set_record_data(async, "path", "/tmp/x.save");
    xv_job_set_record_data(async, "domid", "4");
    xv_job_set_record_data(async, "domid", "5");
    xv_job_set_record_data(async, "gone", "1");
    xv_job_set_record_data(async, "gone", NULL);
    rec = xv_job_slot_get_record(&slot);
    g_assert_nonnull(rec);
    g_assert_cmpint(rec->type, ==, XV_ASYNC_JOB_RESTORE);
    g_assert_cmpstr(rec->label, ==, "Restore");
    g_assert_cmpstr(rec->phase, ==, "creating");
    g_assert_cmpint(rec->started_wall_us, >=, before);
    g_assert_cmpuint(g_hash_table_size(rec->data), ==, 2);
    g_assert_cmpstr(g_hash_table_lookup(rec->data, "domid"), ==, "5");
    text = xv_job_record_to_string(rec);
    back = xv_job_record_from_string(text, &error);
    g_assert_no_error(error);
    g_assert_true(xv_job_record_equal(rec, back));
    xv_job_end_async(async, XV_JOB_RESULT_COMPLETED, NULL);
    g_assert_null(xv_job_slot_get_record(&slot));

    /* a restarted daemon adopts the parsed record into a new job */
    async = xv_job_begin_async(&slot, back->type, back->label, NULL, NULL, 0, &error);
    g_assert_no_error(error);
    xv_job_adopt_record(async, back);
    {
        g_autoptr(XvJobRecord) again = xv_job_slot_get_record(&slot);
        g_auto(XvJobInfo) info = { 0 };

        g_assert_true(xv_job_record_equal(again, rec));
        xv_job_slot_get_info(&slot, &info);
        g_assert_cmpstr(info.phase, ==, "creating");
        g_assert_cmpint(info.started_wall_us, ==, rec->started_wall_us);
    }
    xv_job_end_async(async, XV_JOB_RESULT_CANCELLED, NULL);
    xv_job_slot_dispose(&slot);
}

static void
test_default_wait(void)
{
    g_autoptr(XvJobHost) host = fake_host(1);
    XvJobSlot slot;
    g_autoptr(GError) error = NULL;
    XvJobHold *m;
    XvJobHold *hold;

    /* a holder that never releases: the configured default wait must expire */
    xv_job_host_set_default_wait(host, SHORT_US);
    xv_job_slot_init(&slot, host, NULL);
    m = xv_job_begin(&slot, XV_JOB_SUSPEND, "Suspend", XV_JOB_WAIT_DEFAULT, &error);
    g_assert_no_error(error);
    assert_begin_times_out(&slot, XV_JOB_MODIFY, NULL, XV_JOB_WAIT_DEFAULT, "Suspend", "0.0");
    hold = xv_job_begin_async(&slot, XV_ASYNC_JOB_SAVE, NULL, NULL, NULL, XV_JOB_WAIT_DEFAULT, &error);
    g_assert_null(hold);
    assert_timeout_msg(error, "Suspend", "0.0");
    xv_job_end(m);
    xv_job_slot_dispose(&slot);
}

/* ---- stress ---- */

enum { STRESS_SLOTS = 4, STRESS_THREADS = 12, STRESS_HOST_LIMIT = 2 };

typedef struct {
    XvJobSlot slot;
    gint excl;           /* exclusive sync jobs held (tracked) */
    gint excl_job;       /* its class */
    gint queries;
    gint async;
    gint async_type;
} StressSlot;

typedef struct {
    XvJobHost *host;
    StressSlot slots[STRESS_SLOTS];
    gint host_running;
    gint iterations;
    gint acquired;
    gint violations;
    gint aborts_called;
} Stress;

typedef struct {
    Stress *s;
    guint32 seed;
} StressArgs;

static void
stress_check(Stress *s, gboolean ok, const char *what)
{
    if (!ok) {
        g_atomic_int_inc(&s->violations);
        g_test_message("invariant broken: %s", what);
    }
}

static void
stress_abort(XvJobSlot *slot, gpointer data)
{
    g_atomic_int_inc(&((Stress *)data)->aborts_called);
}

static gboolean
stress_error_ok(const GError *error)
{
    return error->domain == XV_ERROR &&
           (error->code == XV_ERROR_OPERATION_TIMEOUT ||
            error->code == XV_ERROR_RESOURCE_BUSY ||
            error->code == XV_ERROR_OPERATION_ABORTED ||
            error->code == XV_ERROR_OPERATION_INVALID);
}

static gpointer
stress_thread(gpointer data)
{
    StressArgs *args = data;
    Stress *s = args->s;
    g_autoptr(GRand) rand = g_rand_new_with_seed(args->seed);
    int n = g_atomic_int_get(&s->iterations);

    for (int i = 0; i < n; i++) {
        StressSlot *ss = &s->slots[g_rand_int_range(rand, 0, STRESS_SLOTS)];
        int op = g_rand_int_range(rand, 0, 11);
        gint64 timeout = g_rand_boolean(rand) ? 0 : 20 * G_TIME_SPAN_MILLISECOND;
        g_autoptr(GError) error = NULL;
        XvJobHold *hold;

        if (op >= 5) {
            XvAsyncJob type = (XvAsyncJob)(op - 4);

            hold = xv_job_begin_async(&ss->slot, type, NULL, stress_abort, s, timeout, &error);
            if (hold == NULL) {
                stress_check(s, stress_error_ok(error), error->message);
                continue;
            }
            g_atomic_int_inc(&s->acquired);
            stress_check(s, g_atomic_int_add(&ss->async, 1) == 0, "two async jobs on a slot");
            g_atomic_int_set(&ss->async_type, type);
            stress_check(s, g_atomic_int_add(&s->host_running, 1) < STRESS_HOST_LIMIT,
                         "host limit exceeded");
            if (g_atomic_int_get(&ss->excl) > 0) {
                int j = g_atomic_int_get(&ss->excl_job);

                stress_check(s, j == XV_JOB_NONE ||
                             (xv_async_job_default_mask(type) & XV_JOB_MASK(j)) != 0,
                             "async job beside a sync job it excludes");
            }
            for (guint64 p = 0; p <= 4 && !xv_job_is_aborted(hold); p++) {
                xv_job_set_data_progress(hold, 4, p);
                g_thread_yield();
            }
            g_atomic_int_add(&s->host_running, -1);
            g_atomic_int_set(&ss->async_type, XV_ASYNC_JOB_NONE);
            g_atomic_int_add(&ss->async, -1);
            xv_job_end_async(hold, xv_job_is_aborted(hold) ? XV_JOB_RESULT_CANCELLED
                                                           : XV_JOB_RESULT_COMPLETED, NULL);
            continue;
        }

        switch (op) {
        case 0:
        case 1:
            hold = xv_job_begin(&ss->slot, XV_JOB_QUERY, NULL, timeout, &error);
            if (hold == NULL)
                break;
            g_atomic_int_inc(&ss->queries);
            stress_check(s, g_atomic_int_get(&ss->excl) == 0, "query beside an exclusive job");
            g_thread_yield();
            g_atomic_int_add(&ss->queries, -1);
            xv_job_end(hold);
            break;
        case 2:
        case 3:
        case 4: {
            XvJob job = op == 2 ? XV_JOB_MODIFY : op == 3 ? XV_JOB_SUSPEND : XV_JOB_DESTROY;
            int a;

            if (op == 4 && g_rand_int_range(rand, 0, 3) == 0) {
                xv_job_abort(&ss->slot, &error);
                break;
            }
            hold = xv_job_begin(&ss->slot, job, NULL, timeout, &error);
            if (hold == NULL)
                break;
            stress_check(s, g_atomic_int_add(&ss->excl, 1) == 0, "two exclusive sync jobs");
            g_atomic_int_set(&ss->excl_job, job);
            stress_check(s, g_atomic_int_get(&ss->queries) == 0, "exclusive job beside a query");
            a = g_atomic_int_get(&ss->async_type);
            stress_check(s, a == XV_ASYNC_JOB_NONE ||
                         (job != XV_JOB_DESTROY &&
                          (xv_async_job_default_mask((XvAsyncJob)a) & XV_JOB_MASK(job)) != 0),
                         "sync job beside an async job that excludes it");
            g_thread_yield();
            g_atomic_int_set(&ss->excl_job, XV_JOB_NONE);
            g_atomic_int_add(&ss->excl, -1);
            xv_job_end(hold);
            break;
        }
        default:
            g_assert_not_reached();
        }
        if (error != NULL)
            stress_check(s, stress_error_ok(error), error->message);
        else
            g_atomic_int_inc(&s->acquired);
    }
    return NULL;
}

static void
test_stress(void)
{
    g_autofree Stress *s = g_new0(Stress, 1);
    StressArgs args[STRESS_THREADS];
    GThread *threads[STRESS_THREADS];
    guint running, queued;

    s->host = xv_job_host_new(STRESS_HOST_LIMIT);
    xv_job_host_set_max_waiters(s->host, 6);
    s->iterations = g_test_slow() ? 3000 : 300;
    for (int i = 0; i < STRESS_SLOTS; i++)
        xv_job_slot_init(&s->slots[i].slot, s->host, &s->slots[i]);
    for (int i = 0; i < STRESS_THREADS; i++) {
        args[i] = (StressArgs){ s, (guint32)(1234 + i) };
        threads[i] = g_thread_new("stress", stress_thread, &args[i]);
    }
    for (int i = 0; i < STRESS_THREADS; i++)
        g_thread_join(threads[i]);
    g_test_message("acquired %d jobs, %d abort callbacks", s->acquired, s->aborts_called);
    g_assert_cmpint(s->violations, ==, 0);
    g_assert_cmpint(s->acquired, >, 0);
    xv_job_host_get_counts(s->host, &running, &queued);
    g_assert_cmpuint(running, ==, 0);
    g_assert_cmpuint(queued, ==, 0);
    for (int i = 0; i < STRESS_SLOTS; i++) {
        g_auto(XvJobInfo) info = { 0 };

        xv_job_slot_get_info(&s->slots[i].slot, &info);
        g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_NONE);
        g_assert_cmpint(info.sync_job, ==, XV_JOB_NONE);
        g_assert_cmpuint(info.n_waiters, ==, 0);
        xv_job_slot_dispose(&s->slots[i].slot);
    }
    xv_job_host_free(s->host);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/jobs/enum/strings", test_enums);
    g_test_add_func("/jobs/matrix/sync-classes", test_matrix_sync);
    g_test_add_func("/jobs/matrix/abort", test_matrix_abort);
    g_test_add_func("/jobs/matrix/destroy", test_matrix_destroy);
    g_test_add_func("/jobs/sync/queries-share", test_query_shared);
    g_test_add_func("/jobs/sync/modify-excludes", test_modify_excludes);
    g_test_add_func("/jobs/async/excludes-async", test_async_excludes_async);
    g_test_add_func("/jobs/destroy/idle-and-timeout", test_destroy_idle_and_timeout);
    g_test_add_func("/jobs/destroy/queued-async", test_destroy_queued_async);
    g_test_add_func("/jobs/abort/errors", test_abort_errors);
    g_test_add_func("/jobs/abort/end-waits-for-callback", test_abort_end_waits_for_callback);
    g_test_add_func("/jobs/host/fifo", test_host_fifo);
    g_test_add_func("/jobs/host/timeout-and-raise", test_host_limit_timeout_and_raise);
    g_test_add_func("/jobs/queue/limit", test_queue_limit);
    g_test_add_func("/jobs/progress/eta", test_progress);
    g_test_add_func("/jobs/progress/real-clock", test_progress_real_clock);
    g_test_add_func("/jobs/progress/completed", test_completed_stats);
    g_test_add_func("/jobs/mask/change", test_mask_change);
    g_test_add_func("/jobs/listener/events", test_listener);
    g_test_add_func("/jobs/record/roundtrip", test_record_roundtrip);
    g_test_add_func("/jobs/record/bad", test_record_bad);
    g_test_add_func("/jobs/record/from-slot", test_record_from_slot);
    g_test_add_func("/jobs/queue/default-wait", test_default_wait);
    g_test_add_func("/jobs/stress/invariants", test_stress);
    return g_test_run();
}
