/*
 * test-driver-events.c: metadata, balloon-change events, host events that
 * arrive while a job holds the domain, NOWAIT queries, autostart once per
 * host boot across a simulated host reboot, and adoption of a domain that
 * dies while being adopted.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "driver-test-util.h"
#include "drivers/libxl/domain-obj.h"
#include "drivers/libxl/libxl-conf.h"
#include "util/xv-error.h"

#define NS1 "http://example.org/app1/"
#define NS2 "http://example.org/app2/"

/* ---- metadata ------------------------------------------------------------ */

static void
test_metadata(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autofree char *got = NULL;
    g_autofree char *xml = NULL;
    TestEvent ev;

    /* absent: libvirt's error */
    g_assert_null(xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0,
                                                &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN_METADATA);
    g_assert_cmpstr(error->message, ==, "Requested metadata element is not present");
    g_clear_error(&error);

    /* title and description, live + config */
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_TITLE,
                                                "Web server", NULL, NULL,
                                                VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                                                &error));
    g_assert_no_error(error);
    got = xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_TITLE, NULL,
                                        VIR_DOMAIN_AFFECT_CONFIG, &error);
    g_assert_cmpstr(got, ==, "Web server");
    g_assert_true(fx_last_event(fx, "web1", VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, &ev));
    g_assert_cmpint(ev.metadata_type, ==, VIR_DOMAIN_METADATA_TITLE);
    g_assert_false(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_TITLE,
                                                 "two\nlines", NULL, NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_DESCRIPTION,
                                                "Serves & caches", NULL, NULL, 0, &error));
    g_clear_pointer(&got, g_free);
    got = xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL, 0,
                                        &error);
    g_assert_cmpstr(got, ==, "Serves & caches");
    /* live only: the config has none */
    g_assert_null(xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_DESCRIPTION,
                                                NULL, VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN_METADATA);
    g_clear_error(&error);
    g_assert_null(xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_TITLE, NULL,
                                                VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                                                &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);

    /* elements: one per namespace, replaced, removed */
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                "<owner id='7'>alice</owner>", "app1", NS1,
                                                VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_no_error(error);
    g_assert_true(fx_last_event(fx, "web1", VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, &ev));
    g_assert_cmpint(ev.metadata_type, ==, VIR_DOMAIN_METADATA_ELEMENT);
    {
        g_autofree char *uri = NULL;

        /* the URI is a copy-less field: look it up again by event */
        g_mutex_lock(&fx->ev_lock);
        for (guint i = fx->events->len; i > 0 && uri == NULL; i--) {
            TestEvent *e = g_ptr_array_index(fx->events, i - 1);

            if (e->event_id == VIR_DOMAIN_EVENT_ID_METADATA_CHANGE)
                uri = g_strdup(e->metadata_uri);
        }
        g_mutex_unlock(&fx->ev_lock);
        g_assert_cmpstr(uri, ==, NS1);
    }
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                "<tier>gold</tier>", "app2", NS2,
                                                VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_clear_pointer(&got, g_free);
    got = xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT, NS1,
                                        VIR_DOMAIN_AFFECT_CONFIG, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(got, "<app1:owner"));
    g_assert_nonnull(strstr(got, "xmlns:app1=\"" NS1 "\""));
    g_assert_nonnull(strstr(got, ">alice</app1:owner>"));
    /* replace */
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                "<owner>bob</owner>", "app1", NS1,
                                                VIR_DOMAIN_AFFECT_CONFIG, &error));
    xml = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, &error);
    g_assert_nonnull(strstr(xml, "bob"));
    g_assert_null(strstr(xml, "alice"));
    g_assert_nonnull(strstr(xml, "gold"));
    /* survives a driver restart (config file) */
    g_clear_pointer(&dom, xv_domain_obj_unref);
    fx_close_driver(fx);
    fx_open_driver(fx);
    dom = xv_driver_lookup_by_name(fx->drv, "web1", &error);
    g_clear_pointer(&got, g_free);
    got = xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT, NS2,
                                        VIR_DOMAIN_AFFECT_CONFIG, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(got, "gold"));
    /* remove */
    g_assert_true(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT, NULL,
                                                NULL, NS2, VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_null(xv_driver_domain_get_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT, NS2,
                                                VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN_METADATA);
    g_clear_error(&error);
    /* bad input */
    g_assert_false(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                 "<a>", "app1", NS1, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_XML_ERROR);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                 "<a/>", NULL, NS1, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_set_metadata(fx->drv, dom, VIR_DOMAIN_METADATA_ELEMENT,
                                                 "<a/>", "app1", NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_set_metadata(fx->drv, dom, 7, "x", NULL, NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    {
        g_autofree char *after = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE,
                                                          &error);

        g_assert_nonnull(strstr(after, "bob"));
    }
}

/* ---- balloon ------------------------------------------------------------- */

typedef struct {
    const char *name;
    guint64 kb;
} BalloonWant;

static gboolean
cond_balloon(Fixture *fx, gpointer data)
{
    BalloonWant *w = data;
    TestEvent ev;

    return fx_last_event(fx, w->name, VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, &ev) &&
           ev.actual_kb == w->kb;
}

static void
test_balloon_change(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 1024);
    BalloonWant want = { "web1", 512 * 1024 };
    XvDomainInfo info;

    /* 512 MiB at 1024 MiB/s of model time: the guest gives memory back over
     * a few polls; the last event reports the target. */
    xv_host_sim_set_speed(fx->host, 1.0);
    fx_clear_events(fx);
    g_assert_true(xv_driver_domain_set_memory(fx->drv, dom, 512 * 1024, VIR_DOMAIN_AFFECT_LIVE,
                                              &error));
    g_assert_no_error(error);
    fx_wait(fx, cond_balloon, &want);
    xv_host_sim_set_speed(fx->host, 0);
    g_assert_cmpuint(fx_count_events(fx, "web1", VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE), >=, 1);
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    g_assert_cmpuint(info.memory_kb, ==, 512 * 1024);

    /* config-only and maximum changes do not balloon */
    fx_clear_events(fx);
    g_assert_true(xv_driver_domain_set_memory(fx->drv, dom, 768 * 1024, VIR_DOMAIN_AFFECT_CONFIG,
                                              &error));
    want.kb = 1024 * 1024;
    g_assert_true(xv_driver_domain_set_memory(fx->drv, dom, 1024 * 1024, VIR_DOMAIN_AFFECT_LIVE,
                                              &error));
    fx_wait(fx, cond_balloon, &want);
    g_assert_cmpuint(fx_count_events(fx, "web1", VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE), >=, 1);
}

/* ---- a crash during a long save ------------------------------------------ */

typedef struct {
    Fixture *fx;
    XvDomainObj *dom;
    const char *path;
    gboolean ok;
    GError *error;
} SaveCall;

static gpointer
save_thread(gpointer data)
{
    SaveCall *c = data;

    c->ok = xv_driver_domain_save(c->fx->drv, c->dom, c->path, NULL, 0, &c->error);
    return NULL;
}

static gboolean
cond_saving(Fixture *fx, gpointer data)
{
    XvDomainObj *dom = data;
    XvJobInfo info;
    gboolean ok;

    xv_driver_domain_get_job_info(fx->drv, dom, FALSE, &info, NULL);
    ok = info.type == XV_ASYNC_JOB_SAVE && info.has_data && info.data_processed > 0;
    xv_job_info_clear(&info);
    return ok;
}

static gboolean
cond_crashed_off(Fixture *fx, gpointer data)
{
    int reason = -1;

    return fx_state(fx, data, &reason) == VIR_DOMAIN_SHUTOFF &&
           reason == VIR_DOMAIN_SHUTOFF_CRASHED;
}

static void
test_crash_during_save(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "big", 8192);
    g_autofree char *path = g_build_filename(fx->root, "big.save", NULL);
    g_autofree char *part = g_strdup_printf("%s.part", path);
    SaveCall call = { fx, dom, path, FALSE, NULL };
    int domid = xv_domain_obj_get_id(dom);
    GThread *t;

    /* A short job wait: the lifecycle handler must not give up on it. */
    xv_job_host_set_default_wait(xv_driver_get_job_host(fx->drv), 50 * G_TIME_SPAN_MILLISECOND);
    xv_host_sim_set_speed(fx->host, 1.0);
    t = g_thread_new("save", save_thread, &call);
    fx_wait(fx, cond_saving, dom);
    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)domid, &error), ==, 0);
    g_thread_join(t);
    xv_host_sim_set_speed(fx->host, 0);
    /* the save fails (the guest is gone), leaving no file */
    g_assert_false(call.ok);
    g_clear_error(&call.error);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(part, G_FILE_TEST_EXISTS));
    /* the crash was kept and applied once the save ended: on_crash=destroy */
    fx_wait(fx, cond_crashed_off, dom);
    g_assert_true(fx_has_event(fx, "big", VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CRASHED,
                               VIR_DOMAIN_EVENT_CRASHED_PANICKED));
    g_assert_true(fx_has_event(fx, "big", VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                               VIR_DOMAIN_EVENT_STOPPED_CRASHED));
    g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
    fx_settle(fx);
}

/* A read that meets the domain gone from the host while a job takes it down
 * (the end of a save) answers from the cached values instead of failing. */
static void
test_query_domain_gone_under_job(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "big", 8192);
    g_autofree char *path = g_build_filename(fx->root, "big.save", NULL);
    SaveCall call = { fx, dom, path, FALSE, NULL };
    int domid = xv_domain_obj_get_id(dom);
    XvDomainInfo info;
    GThread *t;

    xv_host_sim_set_speed(fx->host, 1.0);
    t = g_thread_new("save", save_thread, &call);
    fx_wait(fx, cond_saving, dom);
    g_assert_true(xv_host_sim_kill_at_step(fx->host, "domain-info", (uint32_t)domid, &error));
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, XV_DRIVER_INFO_REFRESH, &info, &error));
    g_assert_no_error(error);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_thread_join(t);
    xv_host_sim_set_speed(fx->host, 0);
    g_assert_false(call.ok);
    g_clear_error(&call.error);
    fx_settle(fx);
    /* without a job in the way the same situation is an error */
    {
        g_autoptr(XvDomainObj) other = fx_define_started(fx, "small", 256);
        int oid = xv_domain_obj_get_id(other);

        g_assert_true(xv_host_sim_kill_at_step(fx->host, "domain-info", (uint32_t)oid, &error));
        g_assert_false(xv_driver_domain_get_info(fx->drv, other, XV_DRIVER_INFO_REFRESH, &info,
                                                 &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    }
}

/* ---- NOWAIT --------------------------------------------------------------- */

static void
test_info_nowait(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autoptr(XvJobHold) hold = NULL;
    XvDomainInfo info;

    /* free: a fresh query */
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom,
                                            XV_DRIVER_INFO_REFRESH | XV_DRIVER_INFO_NOWAIT,
                                            &info, &error));
    g_assert_no_error(error);
    /* a MODIFY holds the domain: NOWAIT answers at once, busy */
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "test", 0, &error);
    g_assert_nonnull(hold);
    g_assert_false(xv_driver_domain_get_info(fx->drv, dom,
                                             XV_DRIVER_INFO_REFRESH | XV_DRIVER_INFO_NOWAIT,
                                             &info, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY);
    g_assert_nonnull(strstr(error->message, "web1"));
    g_clear_error(&error);
    /* the cached read still answers */
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
}

/* ---- autostart across a host reboot ------------------------------------- */

static void
test_autostart_host_reboot(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "auto", 256);
    FxNameState running = { "auto", VIR_DOMAIN_RUNNING };
    char *boot1 = NULL, *boot2 = NULL;

    g_assert_cmpint(xv_host_get_boot_id(fx->host, &boot1, &error), ==, 0);
    g_assert_true(xv_driver_domain_set_autostart(fx->drv, dom, TRUE, &error));
    g_clear_pointer(&dom, xv_domain_obj_unref);
    fx_close_driver(fx);
    fx->opts.no_autostart = FALSE;
    fx_open_driver(fx);
    fx_wait(fx, fx_cond_name_state, &running);
    dom = xv_driver_lookup_by_name(fx->drv, "auto", NULL);
    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_clear_pointer(&dom, xv_domain_obj_unref);
    /* the same boot: not again */
    fx_close_driver(fx);
    fx_open_driver(fx);
    fx_close_driver(fx);
    dom = NULL;
    /* the host reboots (daemon down): a new boot id, every guest gone */
    g_assert_cmpint(xv_host_sim_reboot_host(fx->host, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpint(xv_host_get_boot_id(fx->host, &boot2, &error), ==, 0);
    g_assert_cmpstr(boot1, !=, boot2);
    fx_open_driver(fx);
    fx_wait(fx, fx_cond_name_state, &running);
    g_assert_cmpuint(fx_host_count(fx, "auto"), ==, 1);
    g_free(boot1);
    g_free(boot2);
}

/* ---- rename-restart -------------------------------------------------------- */

typedef struct {
    XvDomainObj *dom;
    int old_id;
} NewIncarnation;

static gboolean
cond_new_incarnation(Fixture *fx, gpointer data)
{
    NewIncarnation *ni = data;
    int id = xv_domain_obj_get_id(ni->dom);

    return id >= 0 && id != ni->old_id && fx_state(fx, ni->dom, NULL) == VIR_DOMAIN_RUNNING;
}

static void
test_rename_restart(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "phoenix", NULL, 256, 1,
                                         "  <on_crash>rename-restart</on_crash>\n");
    g_autoptr(XvDomainObj) dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    g_autoptr(GPtrArray) foreign = NULL;
    g_autofree char *kept = NULL;
    NewIncarnation ni = { dom, -1 };
    const XvForeignDomain *f;

    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    ni.old_id = xv_domain_obj_get_id(dom);
    kept = g_strdup_printf("phoenix--incarnation-%d", ni.old_id);
    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)ni.old_id, &error), ==, 0);
    fx_wait(fx, cond_new_incarnation, &ni);
    /* the old incarnation stays on the host under its new name and uuid */
    g_assert_cmpuint(fx_host_count(fx, "phoenix"), ==, 1);
    g_assert_cmpuint(fx_host_count(fx, kept), ==, 1);
    foreign = xv_driver_list_foreign(fx->drv, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(foreign->len, ==, 1);
    f = g_ptr_array_index(foreign, 0);
    g_assert_cmpstr(f->name, ==, kept);
    g_assert_cmpint((int)f->domid, ==, ni.old_id);
    g_assert_true(memcmp(f->uuid, xv_domain_obj_get_uuid(dom), XV_UUID_BUFLEN) != 0);
    g_assert_true(fx_has_event(fx, "phoenix", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED));
    /* a daemon restart does not confuse the two */
    fx_close_driver(fx);
    fx_open_driver(fx);
    {
        g_autoptr(XvDomainObj) again = xv_driver_lookup_by_name(fx->drv, "phoenix", &error);

        g_assert_no_error(error);
        g_assert_cmpint(xv_domain_obj_get_id(again), !=, ni.old_id);
        g_assert_cmpint(fx_state(fx, again, NULL), ==, VIR_DOMAIN_RUNNING);
    }
    g_assert_cmpuint(fx_host_count(fx, kept), ==, 1);
}

/* ---- adoption of a dying domain ------------------------------------------ */

static uint32_t
make_foreign(Fixture *fx, const char *name)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, name, NULL, 256, 1, NULL);
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);
    libxl_domain_config cfg;
    uint32_t domid = 0;

    g_assert_no_error(error);
    g_assert_true(xv_libxl_config_from_def(def, NULL, &cfg, &error));
    g_assert_cmpint(xv_host_sim_create_foreign(fx->host, &cfg, &domid, &error), ==, 0);
    libxl_domain_config_dispose(&cfg);
    return domid;
}

static void
check_adopt_dies(Fixture *fx, const char *step)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GPtrArray) foreign = NULL;
    uint32_t domid = make_foreign(fx, "doomed");
    guint before = fx_dir_count(fx->state_dir);

    g_assert_true(xv_host_sim_kill_at_step(fx->host, step, domid, &error));
    fx_clear_events(fx);
    g_assert_null(xv_driver_adopt(fx->drv, domid, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_assert_nonnull(strstr(error->message, "cannot adopt domain"));
    g_assert_nonnull(strstr(error->message, "does not exist"));
    g_clear_error(&error);
    fx_settle(fx);
    /* no stale object, no status file, no event, gone from the host */
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "doomed", NULL));
    g_assert_null(xv_driver_lookup_by_id(fx->drv, (int)domid, NULL));
    g_assert_cmpuint(fx_dir_count(fx->state_dir), ==, before);
    g_assert_cmpuint(fx_count_events(fx, "doomed", VIR_DOMAIN_EVENT_ID_LIFECYCLE), ==, 0);
    list = xv_driver_list_domains(fx->drv, 0, &error);
    for (guint i = 0; i < list->len; i++)
        g_assert_cmpstr(xv_domain_obj_get_name(g_ptr_array_index(list, i)), !=, "doomed");
    foreign = xv_driver_list_foreign(fx->drv, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(foreign->len, ==, 0);
    g_assert_cmpuint(fx_host_count(fx, "doomed"), ==, 0);
}

static void
test_adopt_dies(Fixture *fx, gconstpointer data)
{
    /* dies between the info and the config retrieval */
    check_adopt_dies(fx, "retrieve-config");
    /* dies after its config was read, before the watch */
    check_adopt_dies(fx, "watch");
}

static void
test_adopt_dies_after_watch(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    uint32_t domid = make_foreign(fx, "shortlived");
    g_autoptr(XvDomainObj) dom = xv_driver_adopt(fx->drv, domid, 0, &error);

    /* adopted, then destroyed behind the driver's back: the death event
     * removes the transient object and its status file */
    g_assert_no_error(error);
    g_assert_cmpint(xv_host_destroy(fx->host, domid, &error), ==, 0);
    fx_settle(fx);
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "shortlived", NULL));
    g_assert_true(fx_has_event(fx, "shortlived", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED));
    {
        char uuid[XV_UUID_STRING_BUFLEN];
        g_autofree char *base = g_strdup_printf("%s.xml",
                                                xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid));

        g_assert_false(fx_file_exists(fx->state_dir, base));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    T("/driver/metadata/get-set", test_metadata);
    T("/driver/events/balloon-change", test_balloon_change);
    T("/driver/events/crash-during-save", test_crash_during_save);
    T("/driver/query/nowait", test_info_nowait);
    T("/driver/query/domain-gone-under-job", test_query_domain_gone_under_job);
    T("/driver/recovery/autostart-after-host-reboot", test_autostart_host_reboot);
    T("/driver/events/rename-restart", test_rename_restart);
    T("/driver/foreign/adopt-dies", test_adopt_dies);
    T("/driver/foreign/adopt-dies-after-watch", test_adopt_dies_after_watch);
#undef T
    return g_test_run();
}
