/*
 * test-driver-recovery.c: a driver torn down without a clean stop — a
 * child process running the driver is SIGKILLed in the middle of a job —
 * and a fresh driver on the same directories and sim host recovers: no lost
 * definition, no orphaned or duplicated domain, no stale "running", no
 * partial file.  Also: re-attach after a clean restart, domains that died
 * while no driver ran, autostart once per host boot.
 *
 * The child is this binary re-executed with "--child MODE ROOT" (no fork
 * of a threaded process).  It prints "PROGRESS" once its job has reported
 * progress; the parent then kills it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver-test-util.h"
#include "util/xv-error.h"

/* ---- the child ----------------------------------------------------------- */

typedef struct {
    XvDriver *drv;
    XvDomainObj *dom;
    const char *mode;
    char *path;
} ChildJob;

static gpointer
child_job(gpointer data)
{
    ChildJob *j = data;
    g_autoptr(GError) error = NULL;

    if (g_str_equal(j->mode, "save"))
        xv_driver_domain_save(j->drv, j->dom, j->path, NULL, 0, &error);
    else if (g_str_equal(j->mode, "managed-save"))
        xv_driver_domain_managed_save(j->drv, j->dom, 0, &error);
    else if (g_str_equal(j->mode, "dump"))
        xv_driver_domain_core_dump(j->drv, j->dom, j->path, VIR_DUMP_LIVE, &error);
    else if (g_str_equal(j->mode, "start"))
        xv_driver_domain_start(j->drv, j->dom, 0, &error);
    /* Finishing is a test failure: the parent kills us first. */
    g_printerr("child job ended: %s\n", error != NULL ? error->message : "ok");
    return NULL;
}

static int
child_main(const char *mode, const char *root)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *sim = g_build_filename(root, "sim", NULL);
    g_autofree char *etc = g_build_filename(root, "etc", NULL);
    g_autofree char *run = g_build_filename(root, "run", NULL);
    g_autofree char *lib = g_build_filename(root, "lib", NULL);
    XvHost *host = xv_host_sim_open(sim, &error);
    XvDriverOptions opts;
    XvDriver *drv;
    ChildJob job = { 0 };

    if (host == NULL)
        g_error("child: %s", error->message);
    xv_driver_options_init(&opts);
    opts.config_dir = etc;
    opts.state_dir = run;
    opts.lib_dir = lib;
    opts.host = host;
    opts.no_autostart = TRUE;
    drv = xv_driver_open(&opts, &error);
    if (drv == NULL)
        g_error("child: %s", error->message);
    job.drv = drv;
    job.mode = mode;
    job.dom = xv_driver_lookup_by_name(drv, "big", &error);
    if (job.dom == NULL)
        g_error("child: %s", error->message);
    job.path = g_build_filename(root, g_str_equal(mode, "dump") ? "big.core" : "big.save", NULL);
    xv_host_sim_set_speed(host, 1.0);
    g_thread_new("job", child_job, &job);
    for (;;) {
        XvJobInfo info;
        gboolean progressed;

        xv_driver_domain_get_job_info(drv, job.dom, FALSE, &info, NULL);
        progressed = info.type != XV_ASYNC_JOB_NONE && info.has_data && info.data_processed > 0;
        xv_job_info_clear(&info);
        if (progressed)
            break;
        g_usleep(1000);
    }
    printf("PROGRESS\n");
    fflush(stdout);
    for (;;)
        pause();
    return 0;
}

/* ---- the parent ---------------------------------------------------------- */

static void
kill_child_mid_job(Fixture *fx, const char *mode)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    const char *argv[] = { self, "--child", mode, fx->root, NULL };
    GPid pid;
    int out_fd, status;
    char buf[64] = { 0 };
    gsize got = 0;

    fx_close_driver(fx);
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
    g_assert_no_error(error);
    while (got < 9) {
        ssize_t n = read(out_fd, buf + got, sizeof(buf) - 1 - got);

        g_assert_cmpint(n, >, 0);   /* the child died before progress */
        got += (gsize)n;
    }
    g_assert_nonnull(strstr(buf, "PROGRESS"));
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
    close(out_fd);
    g_spawn_close_pid(pid);
    /* the killed driver's status file names the job */
    {
        g_autoptr(GDir) d = g_dir_open(fx->state_dir, 0, NULL);
        const char *ent;
        gboolean job = FALSE;

        while ((ent = g_dir_read_name(d)) != NULL) {
            g_autofree char *p = g_build_filename(fx->state_dir, ent, NULL);
            g_autofree char *text = NULL;

            if (g_str_has_suffix(ent, ".xml") && g_file_get_contents(p, &text, NULL, NULL))
                job |= strstr(text, "<job>") != NULL;
        }
        g_assert_true(job);
    }
    fx_open_driver(fx);
}

static gboolean
no_job_in_status(Fixture *fx)
{
    g_autoptr(GDir) d = g_dir_open(fx->state_dir, 0, NULL);
    const char *ent;

    while ((ent = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(fx->state_dir, ent, NULL);
        g_autofree char *text = NULL;

        if (g_str_has_suffix(ent, ".xml") && g_file_get_contents(p, &text, NULL, NULL) &&
            strstr(text, "<job>") != NULL)
            return FALSE;
    }
    return TRUE;
}

static void
check_partial_gone(Fixture *fx, const char *name)
{
    g_autofree char *path = g_build_filename(fx->root, name, NULL);
    g_autofree char *part = g_strdup_printf("%s.part", path);

    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(part, G_FILE_TEST_EXISTS));
}

static void
check_running_once(Fixture *fx, const char *name, int old_id)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = xv_driver_lookup_by_name(fx->drv, name, &error);

    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    if (old_id > 0)
        g_assert_cmpint(xv_domain_obj_get_id(dom), ==, old_id);
    g_assert_cmpuint(fx_host_count(fx, name), ==, 1);
    g_assert_true(xv_domain_obj_is_persistent(dom));
}

static void
test_killed_mid_save(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) big = fx_define_started(fx, "big", 8192);
    g_autoptr(XvDomainObj) other = fx_define_started(fx, "other", 256);
    int big_id = xv_domain_obj_get_id(big), other_id = xv_domain_obj_get_id(other);

    g_clear_pointer(&big, xv_domain_obj_unref);
    g_clear_pointer(&other, xv_domain_obj_unref);
    kill_child_mid_job(fx, "save");
    check_partial_gone(fx, "big.save");
    check_running_once(fx, "big", big_id);
    check_running_once(fx, "other", other_id);
    g_assert_true(no_job_in_status(fx));
    /* and it is fully usable */
    {
        g_autoptr(XvDomainObj) dom = xv_driver_lookup_by_name(fx->drv, "big", NULL);
        g_autofree char *path = g_build_filename(fx->root, "big.save", NULL);
        g_autoptr(GError) error = NULL;

        g_assert_true(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
    }
}

static void
test_killed_mid_managed_save(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) big = fx_define_started(fx, "big", 8192);
    int big_id = xv_domain_obj_get_id(big);
    g_autofree char *save_dir = g_build_filename(fx->lib_dir, "save", NULL);

    g_clear_pointer(&big, xv_domain_obj_unref);
    kill_child_mid_job(fx, "managed-save");
    g_assert_cmpuint(fx_dir_count(save_dir), ==, 0);
    check_running_once(fx, "big", big_id);
    big = xv_driver_lookup_by_name(fx->drv, "big", NULL);
    g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, big, 0, NULL), ==, 0);
}

static void
test_killed_mid_dump(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) big = fx_define_started(fx, "big", 8192);
    int big_id = xv_domain_obj_get_id(big);

    g_clear_pointer(&big, xv_domain_obj_unref);
    kill_child_mid_job(fx, "dump");
    check_partial_gone(fx, "big.core");
    check_running_once(fx, "big", big_id);
    g_assert_true(no_job_in_status(fx));
}

static void
test_killed_mid_start(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) big = fx_define(fx, "big", 16384);
    g_autoptr(XvDomainObj) other = fx_define_started(fx, "other", 256);
    int other_id = xv_domain_obj_get_id(other);

    g_clear_pointer(&big, xv_domain_obj_unref);
    g_clear_pointer(&other, xv_domain_obj_unref);
    kill_child_mid_job(fx, "start");
    big = xv_driver_lookup_by_name(fx->drv, "big", NULL);
    g_assert_nonnull(big);
    g_assert_cmpint(fx_state(fx, big, NULL), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(xv_domain_obj_get_id(big), ==, -1);
    g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
    check_running_once(fx, "other", other_id);
    g_assert_true(no_job_in_status(fx));
    /* it starts again normally */
    g_assert_true(xv_driver_domain_start(fx->drv, big, 0, NULL));
    g_assert_cmpuint(fx_host_count(fx, "big"), ==, 1);
}

/* ---- clean restarts -------------------------------------------------------- */

static void
test_reattach(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) a = fx_define_started(fx, "a", 256);
    g_autofree char *txml = fx_domain_xml(fx, "t", NULL, 256, 1, NULL);
    g_autoptr(XvDomainObj) t = xv_driver_create_xml(fx->drv, txml, 0, &error);
    g_autoptr(XvDomainObj) off = fx_define(fx, "off", 256);
    int aid = xv_domain_obj_get_id(a), tid = xv_domain_obj_get_id(t);
    g_autoptr(GPtrArray) all = NULL;

    g_assert_true(xv_driver_domain_suspend(fx->drv, a, &error));
    g_clear_pointer(&a, xv_domain_obj_unref);
    g_clear_pointer(&t, xv_domain_obj_unref);
    g_clear_pointer(&off, xv_domain_obj_unref);
    fx_close_driver(fx);
    fx_open_driver(fx);
    all = xv_driver_list_domains(fx->drv, 0, &error);
    g_assert_cmpuint(all->len, ==, 4);
    a = xv_driver_lookup_by_name(fx->drv, "a", &error);
    t = xv_driver_lookup_by_name(fx->drv, "t", &error);
    g_assert_no_error(error);
    g_assert_cmpint(xv_domain_obj_get_id(a), ==, aid);
    g_assert_cmpint(fx_state(fx, a, NULL), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(xv_domain_obj_get_id(t), ==, tid);
    g_assert_false(xv_domain_obj_is_persistent(t));
    g_assert_cmpuint(fx_host_count(fx, "a"), ==, 1);
    /* events for re-attached domains still arrive */
    g_assert_true(xv_driver_domain_shutdown(fx->drv, t, 0, &error));
    g_assert_no_error(error);
    {
        FxNameState w = { "t", -1 };

        fx_wait(fx, fx_cond_name_state, &w);
    }
    g_assert_cmpuint(fx_host_count(fx, "t"), ==, 0);
}

static void
test_died_while_down(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) crashed = fx_define_started(fx, "crashed", 256);
    g_autoptr(XvDomainObj) rebooted = fx_define_started(fx, "rebooted", 256);
    g_autoptr(XvDomainObj) gone = fx_define_started(fx, "gone", 256);
    guint32 cid = (guint32)xv_domain_obj_get_id(crashed);
    guint32 rid = (guint32)xv_domain_obj_get_id(rebooted);
    guint32 gid = (guint32)xv_domain_obj_get_id(gone);
    int reason;

    g_clear_pointer(&crashed, xv_domain_obj_unref);
    g_clear_pointer(&rebooted, xv_domain_obj_unref);
    g_clear_pointer(&gone, xv_domain_obj_unref);
    fx_close_driver(fx);
    g_assert_cmpint(xv_host_sim_crash(fx->host, cid, NULL), ==, 0);
    g_assert_cmpint(xv_host_sim_guest_shutdown(fx->host, rid, LIBXL_SHUTDOWN_REASON_REBOOT, NULL), ==, 0);
    g_assert_cmpint(xv_host_destroy(fx->host, gid, NULL), ==, 0);
    fx_settle(fx);
    fx_open_driver(fx);
    fx_settle(fx);
    crashed = xv_driver_lookup_by_name(fx->drv, "crashed", NULL);
    rebooted = xv_driver_lookup_by_name(fx->drv, "rebooted", NULL);
    gone = xv_driver_lookup_by_name(fx->drv, "gone", NULL);
    g_assert_cmpint(fx_state(fx, crashed, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_cmpuint(fx_host_count(fx, "crashed"), ==, 0);
    g_assert_cmpint(fx_state(fx, rebooted, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(xv_domain_obj_get_id(rebooted), !=, (int)rid);
    g_assert_cmpuint(fx_host_count(fx, "rebooted"), ==, 1);
    g_assert_cmpint(fx_state(fx, gone, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_true(no_job_in_status(fx));
}

static void
test_autostart_once(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "auto", 256);
    FxNameState running = { "auto", VIR_DOMAIN_RUNNING };

    g_assert_true(xv_driver_domain_set_autostart(fx->drv, dom, TRUE, &error));
    g_assert_true(fx_file_exists(fx->config_dir, "autostart"));
    g_clear_pointer(&dom, xv_domain_obj_unref);
    fx_close_driver(fx);
    fx->opts.no_autostart = FALSE;
    fx_open_driver(fx);
    fx_wait(fx, fx_cond_name_state, &running);
    dom = xv_driver_lookup_by_name(fx->drv, "auto", NULL);
    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_clear_pointer(&dom, xv_domain_obj_unref);
    /* the same host boot: not again */
    fx_close_driver(fx);
    fx_open_driver(fx);
    fx_close_driver(fx);   /* joins the autostart thread, if any */
    fx_open_driver(fx);
    dom = xv_driver_lookup_by_name(fx->drv, "auto", NULL);
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpuint(fx_host_count(fx, "auto"), ==, 0);
    {
        gboolean as = FALSE;

        g_assert_true(xv_driver_domain_get_autostart(fx->drv, dom, &as, NULL));
        g_assert_true(as);
    }
}

int
main(int argc, char **argv)
{
    if (argc == 4 && g_str_equal(argv[1], "--child"))
        return child_main(argv[2], argv[3]);
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    T("/driver/recovery/killed-mid-save", test_killed_mid_save);
    T("/driver/recovery/killed-mid-managed-save", test_killed_mid_managed_save);
    T("/driver/recovery/killed-mid-dump", test_killed_mid_dump);
    T("/driver/recovery/killed-mid-start", test_killed_mid_start);
    T("/driver/recovery/reattach", test_reattach);
    T("/driver/recovery/died-while-down", test_died_while_down);
    T("/driver/recovery/autostart-once-per-boot", test_autostart_once);
    return g_test_run();
}
