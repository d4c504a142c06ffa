/*
 * test-driver-save.c: save, restore, managed save, save-image XML, core
 * dump; aborts, destroy during the job and injected host faults at each
 * step: the domain keeps running and no partial file remains.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "driver-test-util.h"
#include "util/xv-error.h"

typedef enum { OP_SAVE, OP_DUMP, OP_MANAGED_SAVE, OP_START, OP_RESTORE } AsyncOp;

typedef struct {
    Fixture *fx;
    XvDomainObj *dom;
    AsyncOp op;
    const char *path;
    gboolean ok;
    GError *error;
} AsyncCall;

static gpointer
async_thread(gpointer data)
{
    AsyncCall *c = data;

    switch (c->op) {
    case OP_SAVE:
        c->ok = xv_driver_domain_save(c->fx->drv, c->dom, c->path, NULL, 0, &c->error);
        break;
    case OP_MANAGED_SAVE:
        c->ok = xv_driver_domain_managed_save(c->fx->drv, c->dom, 0, &c->error);
        break;
    case OP_DUMP:
        c->ok = xv_driver_domain_core_dump(c->fx->drv, c->dom, c->path, VIR_DUMP_LIVE, &c->error);
        break;
    case OP_START:
        c->ok = xv_driver_domain_start(c->fx->drv, c->dom, 0, &c->error);
        break;
    case OP_RESTORE: {
        XvDomainObj *d = xv_driver_restore(c->fx->drv, c->path, NULL, 0, &c->error);

        c->ok = d != NULL;
        if (d != NULL)
            xv_domain_obj_unref(d);
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

    xv_driver_domain_get_job_info(fx->drv, dom, FALSE, &info, NULL);
    ok = info.type != XV_ASYNC_JOB_NONE && info.has_data && info.data_processed > 0;
    xv_job_info_clear(&info);
    return ok;
}

static char *
path_in(Fixture *fx, const char *name)
{
    return g_build_filename(fx->root, name, NULL);
}

static gboolean
exists(const char *path)
{
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static gboolean
part_exists(const char *path)
{
    g_autofree char *p = g_strdup_printf("%s.part", path);

    return exists(p);
}

static void
test_save_restore(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    g_autofree char *path = path_in(fx, "web1.save");
    g_autofree char *content = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainObj) back = NULL;
    gsize len;
    int reason;

    g_assert_true(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, &error));
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SAVED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
    g_assert_false(part_exists(path));
    g_assert_true(g_file_get_contents(path, &content, &len, NULL));
    g_assert_cmpmem(content, 15, "XenvirtSave-v1\n", 15);
    g_assert_nonnull(memmem(content, MIN(len, 4096), "<name>web1</name>", 17));
    {
        XvJobInfo info;

        g_assert_true(xv_driver_domain_get_job_info(fx->drv, dom, TRUE, &info, &error));
        g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_SAVE);
        g_assert_cmpint(info.result, ==, XV_JOB_RESULT_COMPLETED);
        g_assert_true(info.has_data);
        g_assert_cmpuint(info.data_processed, ==, info.data_total);
        xv_job_info_clear(&info);
    }

    xml = xv_driver_save_image_get_xml(fx->drv, path, 0, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(xml, "<name>web1</name>"));

    fx_clear_events(fx);
    back = xv_driver_restore(fx->drv, path, NULL, 0, &error);
    g_assert_no_error(error);
    g_assert_true(back == dom);
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_RESTORED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);

    /* restore over a running domain */
    g_assert_null(xv_driver_restore(fx->drv, path, NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);
}

static void
test_save_bad_input(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "web1", 512);
    g_autofree char *path = path_in(fx, "web1.save");
    g_autofree char *junk = path_in(fx, "junk");

    g_assert_false(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "web1"));
    g_clear_error(&error);
    g_assert_false(exists(path) || part_exists(path));
    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_false(xv_driver_domain_save(fx->drv, dom, "relative.save", NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_save(fx->drv, dom, path, NULL, VIR_DOMAIN_SAVE_RUNNING |
                                         VIR_DOMAIN_SAVE_PAUSED, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    /* an alternative XML for another domain */
    {
        g_autofree char *other = fx_domain_xml(fx, "other", NULL, 512, 2, NULL);

        g_assert_false(xv_driver_domain_save(fx->drv, dom, path, other, 0, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
        g_clear_error(&error);
    }
    g_assert_false(exists(path) || part_exists(path));
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    /* not an image */
    g_assert_true(g_file_set_contents(junk, "hello", -1, NULL));
    g_assert_null(xv_driver_restore(fx->drv, junk, NULL, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED);
    g_clear_error(&error);
    g_assert_null(xv_driver_save_image_get_xml(fx->drv, junk, 0, &error));
    g_assert_nonnull(error);
}

static void
test_restore_dxml(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    g_autofree char *path = path_in(fx, "web1.save");
    char uuid[XV_UUID_STRING_BUFLEN];
    g_autofree char *alt = NULL;
    g_autofree char *renamed = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainObj) back = NULL;

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    alt = fx_domain_xml(fx, "web1", uuid, 512, 2, "  <description>edited</description>\n");
    renamed = fx_domain_xml(fx, "web2", uuid, 512, 2, NULL);
    g_assert_true(xv_driver_domain_save(fx->drv, dom, path, NULL, VIR_DOMAIN_SAVE_PAUSED, &error));
    g_assert_no_error(error);

    g_assert_null(xv_driver_restore(fx->drv, path, renamed, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_save_image_define_xml(fx->drv, path, renamed, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "web2", NULL));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);

    g_assert_true(xv_driver_save_image_define_xml(fx->drv, path, alt, VIR_DOMAIN_SAVE_RUNNING,
                                                  &error));
    g_assert_no_error(error);
    xml = xv_driver_save_image_get_xml(fx->drv, path, 0, &error);
    g_assert_nonnull(strstr(xml, "<description>edited</description>"));
    back = xv_driver_restore(fx->drv, path, NULL, 0, &error);
    g_assert_no_error(error);
    /* the image now says "running" */
    g_assert_cmpint(fx_state(fx, back, NULL), ==, VIR_DOMAIN_RUNNING);
    g_clear_pointer(&xml, g_free);
    xml = xv_driver_domain_get_xml(fx->drv, back, 0, &error);
    g_assert_nonnull(strstr(xml, "<description>edited</description>"));

    /* the PAUSED flag */
    g_assert_true(xv_driver_domain_save(fx->drv, back, path, NULL, 0, &error));
    g_clear_pointer(&back, xv_domain_obj_unref);
    back = xv_driver_restore(fx->drv, path, NULL, VIR_DOMAIN_SAVE_PAUSED, &error);
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, back, NULL), ==, VIR_DOMAIN_PAUSED);
}

static void
test_restore_transient(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "tmp", NULL, 256, 1, NULL);
    g_autoptr(XvDomainObj) dom = xv_driver_create_xml(fx->drv, xml, 0, &error);
    g_autofree char *path = path_in(fx, "tmp.save");
    g_autoptr(XvDomainObj) back = NULL;

    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, &error));
    g_assert_no_error(error);
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "tmp", NULL));
    /* a host fault during restore: no domain appears */
    g_assert_true(xv_host_sim_fault_arm(fx->host, "restore:read-memory", ERROR_FAIL, 1, NULL));
    g_assert_null(xv_driver_restore(fx->drv, path, NULL, 0, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "tmp", NULL));
    g_assert_cmpuint(fx_host_count(fx, "tmp"), ==, 0);
    g_assert_true(exists(path));
    back = xv_driver_restore(fx->drv, path, NULL, 0, &error);
    g_assert_no_error(error);
    g_assert_false(xv_domain_obj_is_persistent(back));
    g_assert_cmpint(fx_state(fx, back, NULL), ==, VIR_DOMAIN_RUNNING);
}

static void
test_save_faults(Fixture *fx, gconstpointer data)
{
    const char *steps[] = { "suspend:start", "suspend:write-memory", "suspend:finish" };
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    g_autofree char *path = path_in(fx, "web1.save");
    char uuid[XV_UUID_STRING_BUFLEN];
    g_autofree char *status = NULL;
    int id = xv_domain_obj_get_id(dom);

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    status = g_strdup_printf("%s/%s.xml", fx->state_dir, uuid);
    for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;

        g_assert_true(xv_host_sim_fault_arm(fx->host, steps[i], ERROR_FAIL, 1, NULL));
        g_assert_false(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, &error));
        g_assert_nonnull(error);
        g_test_message("%s: %s", steps[i], error->message);
        g_assert_nonnull(strstr(error->message, "cannot save domain 'web1'"));
        g_assert_false(exists(path));
        g_assert_false(part_exists(path));
        g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
        g_assert_cmpint(xv_domain_obj_get_id(dom), ==, id);
        g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);
        g_assert_true(g_file_get_contents(status, &text, NULL, NULL));
        g_assert_null(strstr(text, "<job>"));
    }
    /* and then it works */
    g_assert_true(xv_driver_domain_save(fx->drv, dom, path, NULL, 0, NULL));
    g_assert_true(exists(path));
}

static void
run_interrupted(Fixture *fx, AsyncOp op, gboolean use_destroy)
{
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "big", 8192);
    g_autofree char *path = path_in(fx, op == OP_DUMP ? "big.core" : "big.save");
    g_autoptr(GError) error = NULL;
    AsyncCall call = { fx, dom, op, path, FALSE, NULL };
    GThread *t;
    int id = xv_domain_obj_get_id(dom);
    XvJobInfo info;

    xv_host_sim_set_speed(fx->host, 1.0);
    t = g_thread_new("async", async_thread, &call);
    fx_wait(fx, cond_progress, dom);
    if (use_destroy)
        g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    else
        g_assert_true(xv_driver_domain_abort_job(fx->drv, dom, &error));
    g_assert_no_error(error);
    g_thread_join(t);
    xv_host_sim_set_speed(fx->host, 0);
    g_assert_false(call.ok);
    g_assert_error(call.error, XV_ERROR, XV_ERROR_OPERATION_ABORTED);
    g_clear_error(&call.error);
    g_assert_false(exists(path));
    g_assert_false(part_exists(path));
    if (op == OP_MANAGED_SAVE)
        g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, dom, 0, NULL), ==, 0);
    g_assert_true(xv_driver_domain_get_job_info(fx->drv, dom, TRUE, &info, NULL));
    g_assert_cmpint(info.result, ==, XV_JOB_RESULT_CANCELLED);
    xv_job_info_clear(&info);
    if (use_destroy) {
        g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
        g_assert_cmpuint(fx_host_count(fx, "big"), ==, 0);
    } else {
        g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
        g_assert_cmpint(xv_domain_obj_get_id(dom), ==, id);
        g_assert_cmpuint(fx_host_count(fx, "big"), ==, 1);
    }
}

static void
test_save_abort(Fixture *fx, gconstpointer data)
{
    run_interrupted(fx, OP_SAVE, FALSE);
}

static void
test_save_destroy(Fixture *fx, gconstpointer data)
{
    run_interrupted(fx, OP_SAVE, TRUE);
}

static void
test_managed_save_abort(Fixture *fx, gconstpointer data)
{
    run_interrupted(fx, OP_MANAGED_SAVE, FALSE);
}

static void
test_dump_abort(Fixture *fx, gconstpointer data)
{
    run_interrupted(fx, OP_DUMP, FALSE);
}

static void
test_dump_destroy(Fixture *fx, gconstpointer data)
{
    run_interrupted(fx, OP_DUMP, TRUE);
}

static void
test_managed_save(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    char uuid[XV_UUID_STRING_BUFLEN];
    g_autofree char *image = NULL;
    int reason;

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    image = g_strdup_printf("%s/save/%s.save", fx->lib_dir, uuid);
    g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, dom, 0, &error), ==, 0);
    g_assert_true(xv_driver_domain_managed_save(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    g_assert_true(exists(image));
    g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, dom, 0, &error), ==, 1);
    {
        g_autoptr(GPtrArray) l = xv_driver_list_domains(fx->drv,
                                                        VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, NULL);

        g_assert_cmpuint(l->len, ==, 1);
    }
    /* undefine refuses without the flag, and nothing changes */
    g_assert_false(xv_driver_domain_undefine(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "managed save"));
    g_clear_error(&error);
    g_assert_true(exists(image));
    g_assert_true(xv_domain_obj_is_persistent(dom));

    /* start restores it */
    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    fx_state(fx, dom, &reason);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_RESTORED);
    g_assert_false(exists(image));
    g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, dom, 0, &error), ==, 0);

    /* removal */
    g_assert_true(xv_driver_domain_managed_save(fx->drv, dom, 0, &error));
    g_assert_true(xv_driver_domain_managed_save_remove(fx->drv, dom, 0, &error));
    g_assert_false(exists(image));
    g_assert_cmpint(xv_driver_domain_has_managed_save(fx->drv, dom, 0, &error), ==, 0);

    /* FORCE_BOOT boots and discards the image */
    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_true(xv_driver_domain_managed_save(fx->drv, dom, 0, &error));
    g_assert_true(xv_driver_domain_start(fx->drv, dom, VIR_DOMAIN_START_FORCE_BOOT, &error));
    fx_state(fx, dom, &reason);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_false(exists(image));

    /* undefine with the flag removes the image */
    g_assert_true(xv_driver_domain_managed_save(fx->drv, dom, 0, &error));
    g_assert_true(xv_driver_domain_undefine(fx->drv, dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE, &error));
    g_assert_no_error(error);
    g_assert_false(exists(image));
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "web1", NULL));

    /* transient domains have no managed save */
    {
        g_autofree char *xml = fx_domain_xml(fx, "tmp", NULL, 256, 1, NULL);
        g_autoptr(XvDomainObj) t = xv_driver_create_xml(fx->drv, xml, 0, &error);

        g_assert_false(xv_driver_domain_managed_save(fx->drv, t, 0, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
        g_assert_cmpint(fx_state(fx, t, NULL), ==, VIR_DOMAIN_RUNNING);
    }
}

static void
test_dump(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    g_autofree char *path = path_in(fx, "web1.core");
    g_autofree char *content = NULL;
    gsize len;
    int reason;

    g_assert_true(xv_driver_domain_core_dump(fx->drv, dom, path, 0, &error));
    g_assert_no_error(error);
    g_assert_true(g_file_get_contents(path, &content, &len, NULL));
    g_assert_cmpmem(content, 4, "\177ELF", 4);
    g_assert_false(part_exists(path));
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_RUNNING);
    {
        libxl_dominfo info;

        g_assert_cmpint(xv_host_domain_info(fx->host, (uint32_t)xv_domain_obj_get_id(dom),
                                            &info, NULL), ==, 0);
        g_assert_false(info.paused);
        libxl_dominfo_dispose(&info);
    }
    /* a fault: no file, still running */
    g_unlink(path);
    g_assert_true(xv_host_sim_fault_arm(fx->host, "dump:write", ERROR_FAIL, 1, NULL));
    g_assert_false(xv_driver_domain_core_dump(fx->drv, dom, path, VIR_DUMP_LIVE, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    g_assert_false(exists(path) || part_exists(path));
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    /* flags */
    g_assert_false(xv_driver_domain_core_dump(fx->drv, dom, path, VIR_DUMP_RESET, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_core_dump(fx->drv, dom, path, VIR_DUMP_CRASH, &error));
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
    g_assert_false(xv_driver_domain_core_dump(fx->drv, dom, path, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    T("/driver/save/round-trip", test_save_restore);
    T("/driver/save/bad-input", test_save_bad_input);
    T("/driver/save/faults-at-each-step", test_save_faults);
    T("/driver/save/abort", test_save_abort);
    T("/driver/save/destroy-interrupts", test_save_destroy);
    T("/driver/restore/alternative-xml", test_restore_dxml);
    T("/driver/restore/transient-and-fault", test_restore_transient);
    T("/driver/managed-save/lifecycle", test_managed_save);
    T("/driver/managed-save/abort", test_managed_save_abort);
    T("/driver/dump/basic-flags-fault", test_dump);
    T("/driver/dump/abort", test_dump_abort);
    T("/driver/dump/destroy-interrupts", test_dump_destroy);
    return g_test_run();
}
