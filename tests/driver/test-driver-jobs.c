/*
 * test-driver-jobs.c: the concurrency matrix.  For each async job (start,
 * save, restore, dump, and a migration-out stand-in taken on the job slot)
 * held open by the sim, every other operation is run on the same domain and
 * on another one, and its outcome checked: answers at once, waits then
 * succeeds, or fails with the error that names the job holding the domain.
 * Finally destroy interrupts the job.
 *
 * Holding a job open: the sim paces long operations by a speed factor read
 * when the operation starts; the test starts the job at a slow speed, waits
 * until it has reported progress, then sets speed 0 so that everything else
 * runs instantly.  Outcomes are decided by job state (progress reported,
 * waiter counts), never by measuring time; the job wait is 3 s so that the
 * operations expected to give up do so while the job still runs.
 */
#include <string.h>

#include "driver-test-util.h"
#include "drivers/libxl/domain-obj.h"
#include "util/xv-error.h"

#define BIG_MIB (24 * 1024)

typedef enum { J_START, J_SAVE, J_RESTORE, J_DUMP, J_MIGRATION_OUT } HeldJob;

static const char *const held_labels[] = { "start", "save", "restore", "dump", "migration" };

typedef struct {
    Fixture *fx;
    XvDomainObj *dom;
    HeldJob kind;
    char *path;
    gboolean ok;
    GError *error;
    XvDomainObj *restored;
} Held;

static gpointer
held_thread(gpointer data)
{
    Held *h = data;

    switch (h->kind) {
    case J_START:
        h->ok = xv_driver_domain_start(h->fx->drv, h->dom, 0, &h->error);
        break;
    case J_SAVE:
        h->ok = xv_driver_domain_save(h->fx->drv, h->dom, h->path, NULL, 0, &h->error);
        break;
    case J_RESTORE:
        h->restored = xv_driver_restore(h->fx->drv, h->path, NULL, 0, &h->error);
        h->ok = h->restored != NULL;
        break;
    case J_DUMP:
        h->ok = xv_driver_domain_core_dump(h->fx->drv, h->dom, h->path, VIR_DUMP_LIVE, &h->error);
        break;
    case J_MIGRATION_OUT: {
        /* A stand-in owner: holds the job with progress until aborted. */
        XvJobHold *hold = xv_job_begin_async(&h->dom->job, XV_ASYNC_JOB_MIGRATION_OUT,
                                             "migration", NULL, NULL, XV_JOB_WAIT_DEFAULT,
                                             &h->error);
        guint64 done = 0;

        if (hold == NULL)
            break;
        while (!xv_job_is_aborted(hold)) {
            xv_job_set_data_progress(hold, 1u << 30, MIN(done += 4096, (guint64)1 << 30));
            g_usleep(1000);
        }
        g_set_error(&h->error, XV_ERROR, XV_ERROR_OPERATION_ABORTED, "migration aborted");
        xv_job_end_async(hold, XV_JOB_RESULT_CANCELLED, h->error);
        h->ok = FALSE;
        break;
    }
    }
    return NULL;
}

static gboolean
cond_progress(Fixture *fx, gpointer data)
{
    XvDomainObj *dom = data;
    XvJobInfo info;
    gboolean ok;

    xv_job_slot_get_info(&dom->job, &info);
    ok = info.type != XV_ASYNC_JOB_NONE && !info.queued && info.has_data &&
         info.data_processed > 0;
    xv_job_info_clear(&info);
    return ok;
}

static gboolean
cond_waiter(Fixture *fx, gpointer data)
{
    XvDomainObj *dom = data;

    return xv_job_slot_get_n_waiters(&dom->job) > 0;
}

/* ---- operations run against the held domain ----------------------------- */

typedef enum { OP_SETMEM, OP_SUSPEND, OP_PIN, OP_AUTOSTART, OP_SAVE, OP_DEFINE } Op;

typedef struct {
    Fixture *fx;
    XvDomainObj *dom;
    Op op;
    gboolean ok;
    GError *error;
} OpCall;

static gpointer
op_thread(gpointer data)
{
    OpCall *c = data;
    XvDriver *drv = c->fx->drv;

    switch (c->op) {
    case OP_SETMEM:
        c->ok = xv_driver_domain_set_memory(drv, c->dom, 200 * 1024, VIR_DOMAIN_AFFECT_CONFIG,
                                            &c->error);
        break;
    case OP_SUSPEND:
        c->ok = xv_driver_domain_suspend(drv, c->dom, &c->error);
        break;
    case OP_PIN: {
        g_autoptr(XvBitmap) cpus = xv_bitmap_parse("1", 8, NULL);

        c->ok = xv_driver_domain_pin_vcpu(drv, c->dom, 0, cpus, VIR_DOMAIN_AFFECT_CONFIG,
                                          &c->error);
        break;
    }
    case OP_AUTOSTART:
        c->ok = xv_driver_domain_set_autostart(drv, c->dom, TRUE, &c->error);
        break;
    case OP_SAVE: {
        g_autofree char *p = g_build_filename(c->fx->root, "second.save", NULL);

        c->ok = xv_driver_domain_save(drv, c->dom, p, NULL, 0, &c->error);
        break;
    }
    case OP_DEFINE: {
        g_autofree char *xml = xv_driver_domain_get_xml(drv, c->dom, VIR_DOMAIN_XML_INACTIVE |
                                                        VIR_DOMAIN_XML_SECURE, NULL);
        g_autoptr(XvDomainObj) d = xv_driver_define_xml(drv, xml, 0, &c->error);

        c->ok = d != NULL;
        break;
    }
    }
    return NULL;
}

/* Reads and QUERYs: they answer while the job runs. */
static void
check_reads(Fixture *fx, XvDomainObj *dom, gboolean active)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(GPtrArray) list = NULL;
    XvDomainInfo info;
    XvJobInfo job;
    int state;

    g_assert_true(xv_driver_domain_get_state(fx->drv, dom, &state, NULL, &error));
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    xml = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    g_assert_nonnull(xml);
    list = xv_driver_list_domains(fx->drv, 0, &error);
    g_assert_nonnull(list);
    g_assert_true(xv_driver_domain_get_job_info(fx->drv, dom, FALSE, &job, &error));
    xv_job_info_clear(&job);
    g_assert_no_error(error);
    if (active) {
        g_autoptr(GArray) vcpus = xv_driver_domain_get_vcpus(fx->drv, dom, &error);
        g_autoptr(GVariant) sched = NULL;

        g_assert_no_error(error);
        g_assert_nonnull(vcpus);
        g_assert_true(xv_driver_domain_get_info(fx->drv, dom, XV_DRIVER_INFO_REFRESH, &info,
                                                &error));
        g_assert_no_error(error);
        sched = xv_driver_domain_get_scheduler_params(fx->drv, dom, 0, &error);
        g_assert_no_error(error);
    }
}

/* Everything on another domain works at once. */
static void
check_other(Fixture *fx, XvDomainObj *other)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvBitmap) cpus = xv_bitmap_parse("0-1", 8, NULL);
    g_autofree char *path = g_build_filename(fx->root, "other.save", NULL);
    g_autoptr(XvDomainObj) back = NULL;

    check_reads(fx, other, TRUE);
    g_assert_true(xv_driver_domain_set_memory(fx->drv, other, 128 * 1024, 0, &error));
    g_assert_true(xv_driver_domain_pin_vcpu(fx->drv, other, 0, cpus, 0, &error));
    g_assert_true(xv_driver_domain_suspend(fx->drv, other, &error));
    g_assert_true(xv_driver_domain_resume(fx->drv, other, &error));
    g_assert_true(xv_driver_domain_save(fx->drv, other, path, NULL, 0, &error));
    g_assert_no_error(error);
    back = xv_driver_restore(fx->drv, path, NULL, 0, &error);
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, other, NULL), ==, VIR_DOMAIN_RUNNING);
}

static void
expect_named_holder(OpCall *c, const char *label)
{
    g_autofree char *needle = g_strdup_printf("held by job '%s'", label);

    g_assert_false(c->ok);
    g_assert_error(c->error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT);
    if (strstr(c->error->message, needle) == NULL)
        g_error("'%s' does not name the holder (%s)", c->error->message, needle);
    g_assert_nonnull(strstr(c->error->message, xv_domain_obj_get_name(c->dom)));
    g_clear_error(&c->error);
}

static void
run_matrix(Fixture *fx, HeldJob kind, gboolean end_with_destroy)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(XvDomainObj) other = fx_define_started(fx, "other", 256);
    const char *label = held_labels[kind];
    Held h = { fx, NULL, kind, NULL, FALSE, NULL, NULL };
    g_autofree char *file = g_build_filename(fx->root, kind == J_DUMP ? "big.core" : "big.save",
                                             NULL);
    Op blocked[] = { OP_SETMEM, OP_SUSPEND, OP_PIN, OP_SAVE, OP_DEFINE };
    OpCall calls[G_N_ELEMENTS(blocked)];
    GThread *threads[G_N_ELEMENTS(blocked)];
    GThread *t;
    OpCall waiter;
    GThread *wt;

    h.path = g_strdup(file);
    if (kind == J_START) {
        dom = fx_define(fx, "big", BIG_MIB);
    } else {
        dom = fx_define_started(fx, "big", BIG_MIB);
        if (kind == J_RESTORE) {
            g_assert_true(xv_driver_domain_save(fx->drv, dom, file, NULL, 0, &error));
            g_assert_no_error(error);
        }
    }
    h.dom = dom;
    xv_host_sim_set_speed(fx->host, kind == J_START ? 12.0 : 1.5);
    t = g_thread_new("held", held_thread, &h);
    fx_wait(fx, cond_progress, dom);
    xv_host_sim_set_speed(fx->host, 0);

    /* answers at once */
    check_reads(fx, dom, kind != J_START && kind != J_RESTORE);
    check_other(fx, other);

    /* fails with the named holder (all at once, each after the job wait) */
    for (guint i = 0; i < G_N_ELEMENTS(blocked); i++) {
        calls[i] = (OpCall){ fx, dom, blocked[i], FALSE, NULL };
        if (kind == J_MIGRATION_OUT && blocked[i] == OP_SUSPEND) {
            threads[i] = NULL;
            continue;
        }
        threads[i] = g_thread_new("op", op_thread, &calls[i]);
    }
    for (guint i = 0; i < G_N_ELEMENTS(blocked); i++) {
        if (threads[i] == NULL)
            continue;
        g_thread_join(threads[i]);
        if (kind == J_MIGRATION_OUT && blocked[i] != OP_SAVE) {
            /* MODIFY runs alongside a migration, but the driver refuses
             * configuration changes while it migrates. */
            g_assert_false(calls[i].ok);
            g_assert_error(calls[i].error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
            g_assert_nonnull(strstr(calls[i].error->message, "migrating"));
            g_clear_error(&calls[i].error);
        } else {
            expect_named_holder(&calls[i], label);
        }
    }
    if (kind == J_MIGRATION_OUT) {
        /* SUSPEND is allowed during migration-out */
        g_assert_true(xv_driver_domain_suspend(fx->drv, dom, &error));
        g_assert_no_error(error);
        g_assert_true(xv_driver_domain_resume(fx->drv, dom, &error));
        g_assert_no_error(error);
    }
    /* the job is still there, untouched */
    g_assert_true(cond_progress(fx, dom));
    g_assert_cmpint(xv_job_slot_get_async(&dom->job), !=, XV_ASYNC_JOB_NONE);

    if (end_with_destroy) {
        g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
        g_assert_no_error(error);
        g_thread_join(t);
        g_assert_false(h.ok);
        g_assert_error(h.error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
        g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
        g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
    } else {
        /* waits, then succeeds once the job is aborted (MODIFY runs
         * alongside a migration: there, another async job waits) */
        waiter = (OpCall){ fx, dom, kind == J_MIGRATION_OUT ? OP_SAVE : OP_AUTOSTART, FALSE,
                           NULL };
        wt = g_thread_new("waiter", op_thread, &waiter);
        fx_wait(fx, cond_waiter, dom);
        g_assert_true(xv_driver_domain_abort_job(fx->drv, dom, &error));
        g_assert_no_error(error);
        g_thread_join(t);
        g_thread_join(wt);
        g_assert_no_error(waiter.error);
        g_assert_true(waiter.ok);
        g_assert_false(h.ok);
        g_assert_error(h.error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
        /* rolled back as the architecture says */
        if (kind == J_START || kind == J_RESTORE || kind == J_MIGRATION_OUT) {
            /* (after a migration stand-in, the waiting save ran) */
            g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
            g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
        } else {
            g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
            g_assert_cmpuint(fx_host_count(fx, "big"), ==, 1);
        }
    }
    if (kind != J_RESTORE)
        g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
    {
        g_autofree char *part = g_strdup_printf("%s.part", file);

        g_assert_false(g_file_test(part, G_FILE_TEST_EXISTS));
    }
    g_clear_error(&h.error);
    g_clear_pointer(&h.restored, xv_domain_obj_unref);
    g_free(h.path);
    /* the other domain was never disturbed */
    g_assert_cmpint(fx_state(fx, other, NULL), ==, VIR_DOMAIN_RUNNING);
}

static void
setup_matrix(Fixture *fx, gconstpointer data)
{
    fx_setup(fx, data);
    fx_close_driver(fx);
    fx->opts.job_wait_us = 3 * G_USEC_PER_SEC;
    fx_open_driver(fx);
}

#define MATRIX(name, kind)                                                   \
    static void test_##name##_abort(Fixture *fx, gconstpointer d)            \
    { run_matrix(fx, kind, FALSE); }                                         \
    static void test_##name##_destroy(Fixture *fx, gconstpointer d)          \
    { run_matrix(fx, kind, TRUE); }
MATRIX(start, J_START)
MATRIX(save, J_SAVE)
MATRIX(restore, J_RESTORE)
MATRIX(dump, J_DUMP)
MATRIX(migration, J_MIGRATION_OUT)

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, setup_matrix, fn, fx_teardown)
    T("/driver/jobs/matrix/start/abort", test_start_abort);
    T("/driver/jobs/matrix/start/destroy", test_start_destroy);
    T("/driver/jobs/matrix/save/abort", test_save_abort);
    T("/driver/jobs/matrix/save/destroy", test_save_destroy);
    T("/driver/jobs/matrix/restore/abort", test_restore_abort);
    T("/driver/jobs/matrix/restore/destroy", test_restore_destroy);
    T("/driver/jobs/matrix/dump/abort", test_dump_abort);
    T("/driver/jobs/matrix/dump/destroy", test_dump_destroy);
    T("/driver/jobs/matrix/migration-out/abort", test_migration_abort);
    T("/driver/jobs/matrix/migration-out/destroy", test_migration_destroy);
    return g_test_run();
}
