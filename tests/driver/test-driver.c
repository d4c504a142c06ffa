/*
 * test-driver.c: the driver on the sim host — open, Domain-0, definitions,
 * lifecycle, host events, reads, tuning, adoption.  Every bad input is
 * checked for a clear error AND for nothing having changed.
 */
#include <string.h>

#include <libxl_utils.h>

#include "driver-test-util.h"
#include "drivers/libxl/libxl-conf.h"
#include "util/xv-error.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "11111111-2222-3333-4444-666666666666"

static void
test_open_lock_held(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    XvDriver *second = xv_driver_open(&fx->opts, &error);

    g_assert_null(second);
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "in use by another xenvirt driver"));
}

static void
test_dom0(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom0 = xv_driver_lookup_by_id(fx->drv, 0, &error);
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *xml = NULL;
    XvDomainInfo info;

    g_assert_no_error(error);
    g_assert_cmpstr(xv_domain_obj_get_name(dom0), ==, "Domain-0");
    g_assert_cmpint(fx_state(fx, dom0, NULL), ==, VIR_DOMAIN_RUNNING);
    list = xv_driver_list_domains(fx->drv, 0, &error);
    g_assert_cmpuint(list->len, ==, 1);
    g_assert_true(g_ptr_array_index(list, 0) == dom0);
    xml = xv_driver_domain_get_xml(fx->drv, dom0, 0, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(xml, "<name>Domain-0</name>"));
    g_assert_nonnull(strstr(xml, "id='0'"));
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom0, XV_DRIVER_INFO_REFRESH, &info, &error));
    g_assert_cmpuint(info.memory_kb, >, 0);

    g_assert_false(xv_driver_domain_destroy(fx->drv, dom0, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "Domain-0"));
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_suspend(fx->drv, dom0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_undefine(fx->drv, dom0, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_set_memory(fx->drv, dom0, 1024 * 1024, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_cmpint(fx_state(fx, dom0, NULL), ==, VIR_DOMAIN_RUNNING);

    /* defining a domain called Domain-0 */
    {
        g_autofree char *bad = fx_domain_xml(fx, "Domain-0", UUID_A, 256, 1, NULL);

        g_assert_null(xv_driver_define_xml(fx->drv, bad, 0, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
        g_clear_error(&error);
    }
}

static void
test_define_new(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "web1", UUID_A, 512, 2, NULL);
    g_autoptr(XvDomainObj) dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    g_autoptr(XvDomainObj) by_name = NULL;
    g_autoptr(XvDomainObj) by_uuid = NULL;
    g_autoptr(GPtrArray) inactive = NULL;
    g_autofree char *out = NULL;
    int reason;

    g_assert_no_error(error);
    g_assert_true(fx_file_exists(fx->config_dir, "domains/" UUID_A ".xml"));
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED));
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(xv_domain_obj_get_id(dom), ==, -1);
    by_name = xv_driver_lookup_by_name(fx->drv, "web1", &error);
    by_uuid = xv_driver_lookup_by_uuid_string(fx->drv, UUID_A, &error);
    g_assert_true(by_name == dom && by_uuid == dom);
    inactive = xv_driver_list_domains(fx->drv, VIR_CONNECT_LIST_DOMAINS_INACTIVE, &error);
    g_assert_cmpuint(inactive->len, ==, 1);
    out = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    g_assert_nonnull(strstr(out, "<memory unit='KiB'>524288</memory>"));
    g_assert_null(strstr(out, " id="));

    /* unknown domains */
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "nope", &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_clear_error(&error);
    g_assert_null(xv_driver_lookup_by_id(fx->drv, 4242, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_clear_error(&error);
    g_assert_null(xv_driver_lookup_by_uuid_string(fx->drv, UUID_B, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
}

static void
test_define_clash(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "web1", UUID_A, 512, 2, NULL);
    g_autofree char *same_name = fx_domain_xml(fx, "web1", UUID_B, 512, 2, NULL);
    g_autofree char *same_uuid = fx_domain_xml(fx, "web2", UUID_A, 512, 2, NULL);
    g_autoptr(XvDomainObj) dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *cfg = g_build_filename(fx->config_dir, "domains", UUID_A ".xml", NULL);

    g_assert_no_error(error);
    g_assert_true(g_file_get_contents(cfg, &before, NULL, NULL));
    fx_clear_events(fx);

    g_assert_null(xv_driver_define_xml(fx->drv, same_name, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, "web1"));
    g_assert_nonnull(strstr(error->message, UUID_A));
    g_assert_nonnull(strstr(error->message, UUID_B));
    g_clear_error(&error);

    g_assert_null(xv_driver_define_xml(fx->drv, same_uuid, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, "web1"));
    g_assert_nonnull(strstr(error->message, "web2"));
    g_clear_error(&error);

    g_assert_null(xv_driver_define_xml(fx->drv, "<domain type='xen'><name>x</name>", 0, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);

    /* nothing changed */
    g_assert_null(xv_driver_create_xml(fx->drv, same_name, 0, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    list = xv_driver_list_domains(fx->drv, 0, &error);
    g_assert_cmpuint(list->len, ==, 2);   /* Domain-0 and web1 */
    g_assert_cmpuint(fx_dir_count(fx->config_dir), ==, 2);
    {
        g_autofree char *d = g_build_filename(fx->config_dir, "domains", NULL);

        g_assert_cmpuint(fx_dir_count(d), ==, 1);
    }
    g_assert_true(g_file_get_contents(cfg, &after, NULL, NULL));
    g_assert_cmpstr(before, ==, after);
    g_assert_cmpuint(fx->events->len, ==, 0);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
}

static void
test_define_update_running(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 512);
    g_autofree char *uuid = g_malloc(XV_UUID_STRING_BUFLEN);
    g_autofree char *xml2 = NULL;
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autoptr(XvDomainObj) again = NULL;

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    xml2 = fx_domain_xml(fx, "web1", uuid, 1024, 2, NULL);
    again = xv_driver_define_xml(fx->drv, xml2, 0, &error);
    g_assert_no_error(error);
    g_assert_true(again == dom);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_UPDATED));
    live = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    inactive = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, &error);
    g_assert_nonnull(strstr(live, "<memory unit='KiB'>524288</memory>"));
    g_assert_nonnull(strstr(inactive, "<memory unit='KiB'>1048576</memory>"));
    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_clear_pointer(&live, g_free);
    live = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    g_assert_nonnull(strstr(live, "<memory unit='KiB'>1048576</memory>"));
}

static void
test_start_destroy(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "web1", 512);
    g_autoptr(XvDomainObj) by_id = NULL;
    g_autofree char *status = NULL;
    g_autofree char *xml = NULL;
    char uuid[XV_UUID_STRING_BUFLEN];
    int reason, id;

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    status = g_strdup_printf("%s.xml", uuid);
    g_assert_false(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_start(fx->drv, dom, 0x1000, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);

    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    id = xv_domain_obj_get_id(dom);
    g_assert_cmpint(id, >, 0);
    by_id = xv_driver_lookup_by_id(fx->drv, id, &error);
    g_assert_true(by_id == dom);
    g_assert_true(fx_file_exists(fx->state_dir, status));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED));
    xml = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    g_assert_nonnull(strstr(xml, "id='"));

    /* wrong state */
    g_assert_false(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "already running"));
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_resume(fx->drv, dom, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, "web1"));
    g_clear_error(&error);
    g_assert_cmpint(xv_domain_obj_get_id(dom), ==, id);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);

    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED));
    g_assert_false(fx_file_exists(fx->state_dir, status));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
    g_assert_null(xv_driver_lookup_by_id(fx->drv, id, NULL));
}

static void
test_start_paused_suspend_resume(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "web1", 512);
    int reason;

    g_assert_true(xv_driver_domain_start(fx->drv, dom, VIR_DOMAIN_START_PAUSED, &error));
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_false(xv_driver_domain_suspend(fx->drv, dom, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_resume(fx->drv, dom, &error));
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED));
    g_assert_true(xv_driver_domain_suspend(fx->drv, dom, &error));
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_PAUSED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED));
    {
        libxl_dominfo info;

        g_assert_cmpint(xv_host_domain_info(fx->host, (uint32_t)xv_domain_obj_get_id(dom),
                                            &info, NULL), ==, 0);
        g_assert_true(info.paused);
        libxl_dominfo_dispose(&info);
    }
}

static void
test_start_no_memory(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define(fx, "huge", 200 * 1024);
    g_autofree char *xml_before = xv_driver_domain_get_xml(fx->drv, dom, 0, NULL);
    g_autofree char *xml_after = NULL;

    fx_clear_events(fx);
    g_assert_false(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "cannot start domain 'huge'"));
    g_test_message("error: %s", error->message);
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(xv_domain_obj_get_id(dom), ==, -1);
    g_assert_cmpuint(fx_host_count(fx, "huge"), ==, 0);
    g_assert_cmpuint(fx_dir_count(fx->state_dir), ==, 2);   /* driver.lock, driver.pid */
    xml_after = xv_driver_domain_get_xml(fx->drv, dom, 0, NULL);
    g_assert_cmpstr(xml_before, ==, xml_after);
    g_assert_false(fx_has_event(fx, "huge", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED));
    {
        XvJobInfo info;

        g_assert_true(xv_driver_domain_get_job_info(fx->drv, dom, TRUE, &info, NULL));
        g_assert_cmpint(info.type, ==, XV_ASYNC_JOB_START);
        g_assert_cmpint(info.result, ==, XV_JOB_RESULT_FAILED);
        xv_job_info_clear(&info);
    }
}

static void
test_create_transient(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "tmp1", UUID_B, 256, 1, NULL);
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(GPtrArray) transient = NULL;

    g_assert_null(xv_driver_create_xml(fx->drv, xml, VIR_DOMAIN_START_AUTODESTROY, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED);
    g_clear_error(&error);
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "tmp1", NULL));

    dom = xv_driver_create_xml(fx->drv, xml, 0, &error);
    g_assert_no_error(error);
    g_assert_false(xv_domain_obj_is_persistent(dom));
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_false(fx_file_exists(fx->config_dir, "domains/" UUID_B ".xml"));
    transient = xv_driver_list_domains(fx->drv, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, &error);
    g_assert_cmpuint(transient->len, ==, 1);
    g_assert_true(g_ptr_array_index(transient, 0) == dom);

    /* set autostart on a transient domain */
    g_assert_false(xv_driver_domain_set_autostart(fx->drv, dom, TRUE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);

    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "tmp1", NULL));
    g_assert_false(fx_file_exists(fx->state_dir, UUID_B ".xml"));
    g_assert_cmpuint(fx_host_count(fx, "tmp1"), ==, 0);
    /* the object answers NO_DOMAIN now */
    g_assert_false(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_clear_error(&error);

    /* paused create */
    g_clear_pointer(&dom, xv_domain_obj_unref);
    dom = xv_driver_create_xml(fx->drv, xml, VIR_DOMAIN_START_PAUSED, &error);
    g_assert_no_error(error);
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_PAUSED);
    /* a create failing at the host leaves no trace */
    {
        g_autofree char *big = fx_domain_xml(fx, "tmp2", NULL, 500 * 1024, 1, NULL);

        g_assert_null(xv_driver_create_xml(fx->drv, big, 0, &error));
        g_assert_nonnull(error);
        g_clear_error(&error);
        g_assert_null(xv_driver_lookup_by_name(fx->drv, "tmp2", NULL));
        g_assert_cmpuint(fx_host_count(fx, "tmp2"), ==, 0);
    }
}

static void
test_undefine(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) a = fx_define(fx, "a", 256);
    g_autoptr(XvDomainObj) b = fx_define_started(fx, "b", 256);
    char ua[XV_UUID_STRING_BUFLEN], ub[XV_UUID_STRING_BUFLEN];
    g_autofree char *fa = NULL;
    g_autofree char *fb = NULL;

    xv_uuid_format(xv_domain_obj_get_uuid(a), ua);
    xv_uuid_format(xv_domain_obj_get_uuid(b), ub);
    fa = g_strdup_printf("domains/%s.xml", ua);
    fb = g_strdup_printf("domains/%s.xml", ub);
    g_assert_true(xv_driver_domain_set_autostart(fx->drv, a, TRUE, &error));
    g_assert_no_error(error);
    g_assert_false(xv_driver_domain_undefine(fx->drv, a, VIR_DOMAIN_UNDEFINE_NVRAM |
                                             VIR_DOMAIN_UNDEFINE_KEEP_NVRAM, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_true(fx_file_exists(fx->config_dir, fa));

    g_assert_true(xv_driver_domain_undefine(fx->drv, a, 0, &error));
    g_assert_no_error(error);
    g_assert_false(fx_file_exists(fx->config_dir, fa));
    g_assert_cmpuint(fx_dir_count(fx->opts.config_dir), ==, 2);
    {
        g_autofree char *as = g_build_filename(fx->config_dir, "autostart", NULL);

        g_assert_cmpuint(fx_dir_count(as), ==, 0);
    }
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "a", NULL));
    g_assert_true(fx_has_event(fx, "a", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED));
    g_assert_false(xv_driver_domain_undefine(fx->drv, a, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN);
    g_clear_error(&error);

    /* running: becomes transient, keeps running */
    g_assert_true(xv_driver_domain_undefine(fx->drv, b, 0, &error));
    g_assert_false(fx_file_exists(fx->config_dir, fb));
    g_assert_false(xv_domain_obj_is_persistent(b));
    g_assert_cmpint(fx_state(fx, b, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_false(xv_driver_domain_undefine(fx->drv, b, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_destroy(fx->drv, b, 0, &error));
    g_assert_null(xv_driver_lookup_by_name(fx->drv, "b", NULL));
}

static void
test_undefine_nvram(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *nvram = g_build_filename(fx->root, "vars.fd", NULL);
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autofree char *os = NULL;

    g_assert_true(g_file_set_contents(nvram, "vars", -1, NULL));
    xml = g_strdup_printf("<domain type='xen'><name>efi</name><uuid>%s</uuid>"
                          "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                          "<os><type arch='x86_64' machine='xenfv'>hvm</type>"
                          "<loader readonly='yes' type='pflash'>/usr/lib/xen/boot/ovmf.bin</loader>"
                          "<nvram>%s</nvram></os></domain>", UUID_A, nvram);
    dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    g_assert_no_error(error);
    g_assert_false(xv_driver_domain_undefine(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_assert_nonnull(strstr(error->message, nvram));
    g_clear_error(&error);
    g_assert_true(fx_file_exists(fx->config_dir, "domains/" UUID_A ".xml"));
    g_assert_true(xv_driver_domain_undefine(fx->drv, dom, VIR_DOMAIN_UNDEFINE_KEEP_NVRAM, &error));
    g_assert_true(g_file_test(nvram, G_FILE_TEST_EXISTS));
    g_clear_pointer(&dom, xv_domain_obj_unref);
    dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    g_assert_true(xv_driver_domain_undefine(fx->drv, dom, VIR_DOMAIN_UNDEFINE_NVRAM, &error));
    g_assert_false(g_file_test(nvram, G_FILE_TEST_EXISTS));
}

/* ---- host events --------------------------------------------------------- */

typedef struct {
    XvDomainObj *dom;
    int state;
    int old_id;
} StateWait;

static gboolean
cond_state(Fixture *fx, gpointer data)
{
    StateWait *w = data;

    return fx_state(fx, w->dom, NULL) == w->state &&
           (w->old_id <= 0 || (xv_domain_obj_get_id(w->dom) != w->old_id &&
                               xv_domain_obj_get_id(w->dom) > 0));
}

static gboolean
cond_gone(Fixture *fx, gpointer data)
{
    g_autoptr(XvDomainObj) dom = xv_driver_lookup_by_name(fx->drv, data, NULL);

    return dom == NULL;
}

static void
test_shutdown_ack(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    StateWait w = { dom, VIR_DOMAIN_SHUTOFF, 0 };
    int reason;

    g_assert_true(xv_driver_domain_shutdown(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    fx_wait(fx, cond_state, &w);
    g_assert_cmpint(fx_state(fx, dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    fx_settle(fx);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED));
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
    g_assert_false(xv_driver_domain_shutdown(fx->drv, dom, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
}

static void
test_shutdown_ignored(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    XvHostSimBehaviour b;
    int id = xv_domain_obj_get_id(dom);

    xv_host_sim_behaviour_init(&b);
    b.shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, (uint32_t)id, &b, &error), ==, 0);
    g_assert_true(xv_driver_domain_shutdown(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    fx_settle(fx);
    /* at speed 0 an acknowledging guest would be down by now */
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(xv_domain_obj_get_id(dom), ==, id);
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);
    /* destroy still works */
    g_assert_true(xv_driver_domain_destroy(fx->drv, dom, 0, &error));
}

static void
test_crash_destroy(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    StateWait w = { dom, VIR_DOMAIN_SHUTOFF, 0 };
    int reason;

    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)xv_domain_obj_get_id(dom), &error), ==, 0);
    fx_wait(fx, cond_state, &w);
    fx_settle(fx);
    fx_state(fx, dom, &reason);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED));
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 0);
}

static XvDomainObj *
define_with(Fixture *fx, const char *name, const char *extra)
{
    g_autofree char *xml = fx_domain_xml(fx, name, NULL, 256, 1, extra);

    return fx_define_xml_started(fx, xml);
}

static void
test_reboot_restart(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    int id = xv_domain_obj_get_id(dom);
    StateWait w = { dom, VIR_DOMAIN_RUNNING, id };

    g_assert_true(xv_driver_domain_reboot(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    fx_wait(fx, cond_state, &w);
    fx_settle(fx);
    g_assert_cmpint(xv_domain_obj_get_id(dom), >, id);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0));
    g_assert_cmpuint(fx_host_count(fx, "web1"), ==, 1);
}

static void
test_crash_actions(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) r = define_with(fx, "restarts", "  <on_crash>restart</on_crash>\n");
    g_autoptr(XvDomainObj) p = define_with(fx, "preserved", "  <on_crash>preserve</on_crash>\n");
    g_autoptr(XvDomainObj) c = define_with(fx, "dumped", "  <on_crash>coredump-destroy</on_crash>\n");
    g_autoptr(XvDomainObj) o = define_with(fx, "poweroff", "  <on_poweroff>restart</on_poweroff>\n");
    int rid = xv_domain_obj_get_id(r), pid = xv_domain_obj_get_id(p);
    int oid = xv_domain_obj_get_id(o);
    StateWait wr = { r, VIR_DOMAIN_RUNNING, rid };
    StateWait wp = { p, VIR_DOMAIN_CRASHED, 0 };
    StateWait wc = { c, VIR_DOMAIN_SHUTOFF, 0 };
    StateWait wo = { o, VIR_DOMAIN_RUNNING, oid };
    g_autofree char *dumps = g_build_filename(fx->lib_dir, "dump", NULL);

    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)rid, NULL), ==, 0);
    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)pid, NULL), ==, 0);
    g_assert_cmpint(xv_host_sim_crash(fx->host, (uint32_t)xv_domain_obj_get_id(c), NULL), ==, 0);
    g_assert_cmpint(xv_host_sim_poweroff(fx->host, (uint32_t)oid, NULL), ==, 0);
    fx_wait(fx, cond_state, &wr);
    fx_wait(fx, cond_state, &wp);
    fx_wait(fx, cond_state, &wc);
    fx_wait(fx, cond_state, &wo);
    fx_settle(fx);
    g_assert_cmpuint(fx_host_count(fx, "restarts"), ==, 1);
    g_assert_cmpuint(fx_host_count(fx, "poweroff"), ==, 1);
    /* preserve: the crashed domain stays on the host, with its id */
    g_assert_cmpint(xv_domain_obj_get_id(p), ==, pid);
    g_assert_cmpuint(fx_host_count(fx, "preserved"), ==, 1);
    g_assert_true(xv_driver_domain_destroy(fx->drv, p, 0, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(fx_host_count(fx, "preserved"), ==, 0);
    /* coredump-destroy: a core file and no domain */
    g_assert_cmpuint(fx_dir_count(dumps), ==, 1);
    g_assert_cmpuint(fx_host_count(fx, "dumped"), ==, 0);
    g_assert_true(fx_has_event(fx, "poweroff", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED));
}

static void
test_external_death(Fixture *fx, gconstpointer data)
{
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    StateWait w = { dom, VIR_DOMAIN_SHUTOFF, 0 };

    /* `xl destroy` behind the driver's back */
    g_assert_cmpint(xv_host_destroy(fx->host, (uint32_t)xv_domain_obj_get_id(dom), NULL), ==, 0);
    fx_wait(fx, cond_state, &w);
    fx_settle(fx);
    g_assert_true(fx_has_event(fx, "web1", VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                               VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED));
}

/* ---- reads ------------------------------------------------------------- */

static void
test_list_flags(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) off = fx_define(fx, "off", 256);
    g_autoptr(XvDomainObj) run = fx_define_started(fx, "run", 256);
    g_autoptr(XvDomainObj) pau = fx_define_started(fx, "pau", 256);
    g_autofree char *txml = fx_domain_xml(fx, "trans", NULL, 256, 1, NULL);
    g_autoptr(XvDomainObj) trans = xv_driver_create_xml(fx->drv, txml, 0, &error);
    struct {
        guint flags;
        guint count;
    } cases[] = {
        { 0, 5 },
        { VIR_CONNECT_LIST_DOMAINS_ACTIVE, 4 },
        { VIR_CONNECT_LIST_DOMAINS_INACTIVE, 1 },
        { VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE, 5 },
        { VIR_CONNECT_LIST_DOMAINS_TRANSIENT, 1 },
        { VIR_CONNECT_LIST_DOMAINS_PERSISTENT, 4 },
        { VIR_CONNECT_LIST_DOMAINS_RUNNING, 3 },
        { VIR_CONNECT_LIST_DOMAINS_PAUSED, 1 },
        { VIR_CONNECT_LIST_DOMAINS_SHUTOFF, 1 },
        { VIR_CONNECT_LIST_DOMAINS_OTHER, 0 },
        { VIR_CONNECT_LIST_DOMAINS_AUTOSTART, 1 },
        { VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, 4 },
        { VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, 0 },
        { VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, 5 },
        { VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, 0 },
        { VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, 5 },
        { VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_AUTOSTART, 1 },
    };

    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_suspend(fx->drv, pau, &error));
    g_assert_true(xv_driver_domain_set_autostart(fx->drv, off, TRUE, &error));
    g_assert_no_error(error);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GPtrArray) l = xv_driver_list_domains(fx->drv, cases[i].flags, &error);

        g_assert_no_error(error);
        if (l->len != cases[i].count)
            g_error("flags 0x%x: %u domains, expected %u", cases[i].flags, l->len, cases[i].count);
    }
    {
        g_autoptr(GPtrArray) l = xv_driver_list_domains(fx->drv, 0, &error);

        /* Domain-0 first, then by name */
        g_assert_cmpstr(xv_domain_obj_get_name(g_ptr_array_index(l, 0)), ==, "Domain-0");
        g_assert_cmpstr(xv_domain_obj_get_name(g_ptr_array_index(l, 1)), ==, "off");
        g_assert_null(xv_driver_list_domains(fx->drv, 1u << 20, &error));
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    }
}

static void
test_info_xml(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "web1", NULL, 1024, 4,
                                         "  <devices><graphics type='vnc' port='5901' passwd='s3cret'/></devices>\n");
    g_autoptr(XvDomainObj) dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    XvDomainInfo info;
    g_autofree char *plain = NULL;
    g_autofree char *secure = NULL;

    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpuint(info.max_mem_kb, ==, 1024 * 1024);
    g_assert_cmpuint(info.nr_virt_cpu, ==, 4);
    g_assert_cmpuint(info.cpu_time_ns, ==, 0);
    plain = xv_driver_domain_get_xml(fx->drv, dom, 0, &error);
    secure = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_SECURE, &error);
    g_assert_null(strstr(plain, "s3cret"));
    g_assert_nonnull(strstr(secure, "s3cret"));
    g_assert_null(xv_driver_domain_get_xml(fx->drv, dom, 1u << 10, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);

    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, XV_DRIVER_INFO_REFRESH, &info, &error));
    g_assert_no_error(error);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.memory_kb, ==, 1024 * 1024);
    g_assert_cmpuint(info.nr_virt_cpu, ==, 4);
}

/* ---- tuning ------------------------------------------------------------- */

static void
test_pin(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autoptr(XvBitmap) cpus = xv_bitmap_parse("2-3", 8, NULL);
    g_autoptr(XvBitmap) bad = xv_bitmap_parse("9", 64, NULL);
    g_autoptr(XvBitmap) empty = xv_bitmap_new(8);
    g_autoptr(GPtrArray) live = NULL;
    g_autoptr(GPtrArray) config = NULL;
    g_autoptr(GArray) vcpus = NULL;
    g_autofree char *cfg_before = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, NULL);
    g_autofree char *cfg_after = NULL;

    g_assert_true(xv_driver_domain_pin_vcpu(fx->drv, dom, 1, cpus, VIR_DOMAIN_AFFECT_LIVE, &error));
    g_assert_no_error(error);
    live = xv_driver_domain_get_vcpu_pin_info(fx->drv, dom, VIR_DOMAIN_AFFECT_LIVE, &error);
    config = xv_driver_domain_get_vcpu_pin_info(fx->drv, dom, VIR_DOMAIN_AFFECT_CONFIG, &error);
    g_assert_cmpuint(live->len, ==, 2);
    g_assert_true(xv_bitmap_equal(g_ptr_array_index(live, 1), cpus));
    g_assert_cmpuint(xv_bitmap_count(g_ptr_array_index(config, 1)), ==, 8);
    vcpus = xv_driver_domain_get_vcpus(fx->drv, dom, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vcpus->len, ==, 2);
    g_assert_true(xv_bitmap_equal(g_array_index(vcpus, XvVcpuInfo, 1).affinity, cpus));
    cfg_after = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, NULL);
    g_assert_cmpstr(cfg_before, ==, cfg_after);

    /* invalid pinning: nothing changes */
    g_assert_false(xv_driver_domain_pin_vcpu(fx->drv, dom, 0, bad, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "8 cpus"));
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_pin_vcpu(fx->drv, dom, 0, empty, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_pin_vcpu(fx->drv, dom, 5, cpus, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    {
        g_autoptr(GArray) again = xv_driver_domain_get_vcpus(fx->drv, dom, &error);

        g_assert_cmpuint(xv_bitmap_count(g_array_index(again, XvVcpuInfo, 0).affinity), ==, 8);
    }

    /* config */
    g_assert_true(xv_driver_domain_pin_vcpu(fx->drv, dom, 0, cpus, VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_no_error(error);
    g_clear_pointer(&cfg_after, g_free);
    cfg_after = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, NULL);
    g_assert_nonnull(strstr(cfg_after, "<vcpupin vcpu='0' cpuset='2-3'/>"));
    {
        g_autofree char *path = g_build_filename(fx->config_dir, "domains", NULL);
        g_autofree char *uuid = g_malloc(XV_UUID_STRING_BUFLEN);
        g_autofree char *file = NULL;
        g_autofree char *text = NULL;

        xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
        file = g_strdup_printf("%s/%s.xml", path, uuid);
        g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
        g_assert_nonnull(strstr(text, "<vcpupin vcpu='0' cpuset='2-3'/>"));
    }
}

static void
test_vcpus_memory(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "web1", NULL, 1024, 4, NULL);
    g_autoptr(XvDomainObj) dom = xv_driver_define_xml(fx->drv, xml, 0, &error);
    XvDomainInfo info;

    /* inactive: config only */
    g_assert_false(xv_driver_domain_set_vcpus(fx->drv, dom, 2, VIR_DOMAIN_AFFECT_LIVE, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_set_vcpus(fx->drv, dom, 6, VIR_DOMAIN_VCPU_MAXIMUM, &error));
    g_assert_no_error(error);
    g_assert_cmpint(xv_driver_domain_get_vcpus_flags(fx->drv, dom, VIR_DOMAIN_VCPU_MAXIMUM, &error), ==, 6);
    g_assert_true(xv_driver_domain_set_vcpus(fx->drv, dom, 3, 0, &error));
    g_assert_cmpint(xv_driver_domain_get_vcpus_flags(fx->drv, dom, 0, &error), ==, 3);
    g_assert_false(xv_driver_domain_set_vcpus(fx->drv, dom, 7, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_cmpint(xv_driver_domain_get_vcpus_flags(fx->drv, dom, 0, &error), ==, 3);

    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_set_vcpus(fx->drv, dom, 2, VIR_DOMAIN_AFFECT_LIVE, &error));
    g_assert_no_error(error);
    g_assert_cmpint(xv_driver_domain_get_vcpus_flags(fx->drv, dom, VIR_DOMAIN_AFFECT_LIVE, &error), ==, 2);
    g_assert_cmpint(xv_driver_domain_get_vcpus_flags(fx->drv, dom, VIR_DOMAIN_AFFECT_CONFIG, &error), ==, 3);
    g_assert_false(xv_driver_domain_set_vcpus(fx->drv, dom, 4, VIR_DOMAIN_AFFECT_LIVE |
                                              VIR_DOMAIN_VCPU_MAXIMUM, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    {
        g_autoptr(GArray) v = xv_driver_domain_get_vcpus(fx->drv, dom, &error);
        guint online = 0;

        g_assert_no_error(error);
        for (guint i = 0; i < v->len; i++)
            online += g_array_index(v, XvVcpuInfo, i).state != VIR_VCPU_OFFLINE;
        g_assert_cmpuint(online, ==, 2);
    }

    /* memory */
    g_assert_true(xv_driver_domain_set_memory(fx->drv, dom, 512 * 1024, 0, &error));
    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    g_assert_cmpuint(info.memory_kb, ==, 512 * 1024);
    g_assert_false(xv_driver_domain_set_memory(fx->drv, dom, 2048 * 1024, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_true(xv_driver_domain_set_memory(fx->drv, dom, 768 * 1024,
                                              VIR_DOMAIN_MEM_MAXIMUM | VIR_DOMAIN_AFFECT_CONFIG,
                                              &error));
    g_assert_no_error(error);
    {
        g_autofree char *cfg = xv_driver_domain_get_xml(fx->drv, dom, VIR_DOMAIN_XML_INACTIVE, NULL);

        g_assert_nonnull(strstr(cfg, "<memory unit='KiB'>786432</memory>"));
    }
    g_assert_true(xv_driver_domain_get_info(fx->drv, dom, 0, &info, &error));
    g_assert_cmpuint(info.max_mem_kb, ==, 1024 * 1024);
}

static void
test_sched(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "web1", 256);
    g_autoptr(GVariant) params = NULL;
    g_autoptr(GVariant) set = NULL;
    g_autoptr(GVariant) bad = NULL;
    guint32 weight = 0;

    params = xv_driver_domain_get_scheduler_params(fx->drv, dom, 0, &error);
    g_assert_no_error(error);
    g_assert_true(g_variant_lookup(params, "weight", "u", &weight));
    g_assert_cmpuint(weight, ==, 256);
    set = g_variant_ref_sink(g_variant_new_parsed("{'weight': <uint32 512>, 'cap': <uint32 50>}"));
    g_assert_true(xv_driver_domain_set_scheduler_params(fx->drv, dom, set, 0, &error));
    g_assert_no_error(error);
    g_clear_pointer(&params, g_variant_unref);
    params = xv_driver_domain_get_scheduler_params(fx->drv, dom, 0, &error);
    g_assert_true(g_variant_lookup(params, "weight", "u", &weight));
    g_assert_cmpuint(weight, ==, 512);
    bad = g_variant_ref_sink(g_variant_new_parsed("{'period': <uint32 100>}"));
    g_assert_false(xv_driver_domain_set_scheduler_params(fx->drv, dom, bad, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_driver_domain_set_scheduler_params(fx->drv, dom, set,
                                                         VIR_DOMAIN_AFFECT_CONFIG, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED);
}

static void
test_sched_rtds(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = fx_define_started(fx, "rt", 256);
    g_autoptr(GVariant) params = NULL;
    g_autoptr(GVariant) set = NULL;
    g_autoptr(GVariant) credit = NULL;
    g_autofree char *type = xv_driver_get_scheduler_type(fx->drv, NULL);
    guint32 period = 0, budget = 0;

    g_assert_cmpstr(type, ==, "rtds");
    params = xv_driver_domain_get_scheduler_params(fx->drv, dom, 0, &error);
    g_assert_no_error(error);
    g_assert_true(g_variant_lookup(params, "period", "u", &period));
    g_assert_true(g_variant_lookup(params, "budget", "u", &budget));
    g_assert_false(g_variant_lookup(params, "weight", "u", &period));
    set = g_variant_ref_sink(g_variant_new_parsed("{'period': <uint32 20000>, 'budget': <uint32 5000>}"));
    g_assert_true(xv_driver_domain_set_scheduler_params(fx->drv, dom, set, 0, &error));
    g_assert_no_error(error);
    g_clear_pointer(&params, g_variant_unref);
    params = xv_driver_domain_get_scheduler_params(fx->drv, dom, 0, &error);
    g_assert_true(g_variant_lookup(params, "period", "u", &period));
    g_assert_true(g_variant_lookup(params, "budget", "u", &budget));
    g_assert_cmpuint(period, ==, 20000);
    g_assert_cmpuint(budget, ==, 5000);
    credit = g_variant_ref_sink(g_variant_new_parsed("{'weight': <uint32 100>}"));
    g_assert_false(xv_driver_domain_set_scheduler_params(fx->drv, dom, credit, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "weight"));
}

static void
test_node(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    virNodeInfo ni;
    guint64 free1 = 0, free2 = 0;
    g_autofree char *caps = NULL;
    g_autoptr(XvDomainObj) dom = NULL;

    g_assert_true(xv_driver_node_get_info(fx->drv, &ni, &error));
    g_assert_cmpuint(ni.cpus, ==, 8);
    g_assert_cmpuint(ni.memory, ==, 65536ul * 1024);
    g_assert_cmpuint(ni.nodes, ==, 1);
    g_assert_true(xv_driver_node_get_free_memory(fx->drv, &free1, &error));
    dom = fx_define_started(fx, "web1", 1024);
    g_assert_true(xv_driver_node_get_free_memory(fx->drv, &free2, &error));
    g_assert_cmpuint(free1 - free2, >=, 1024ull * 1024 * 1024);
    caps = xv_driver_get_capabilities(fx->drv, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(caps, "<capabilities>"));
    g_assert_nonnull(strstr(caps, "<cpus num='8'>"));
}

static void
test_adopt(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, "foreign1", UUID_B, 256, 1, NULL);
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);
    g_autoptr(GPtrArray) foreign = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(XvDomainObj) mine = fx_define_started(fx, "mine", 256);
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    uint32_t domid = 0;

    xv_libxl_conf_options_init(&opts);
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    g_assert_cmpint(xv_host_sim_create_foreign(fx->host, &cfg, &domid, &error), ==, 0);
    libxl_domain_config_dispose(&cfg);
    foreign = xv_driver_list_foreign(fx->drv, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(foreign->len, ==, 1);
    g_assert_cmpstr(((XvForeignDomain *)g_ptr_array_index(foreign, 0))->name, ==, "foreign1");
    g_assert_null(xv_driver_adopt(fx->drv, (guint32)xv_domain_obj_get_id(mine), 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);
    g_assert_null(xv_driver_adopt(fx->drv, 0, 0, &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID);
    g_clear_error(&error);

    dom = xv_driver_adopt(fx->drv, domid, 0, &error);
    g_assert_no_error(error);
    g_assert_cmpint(xv_domain_obj_get_id(dom), ==, (int)domid);
    g_assert_cmpint(fx_state(fx, dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_false(xv_domain_obj_is_persistent(dom));
    g_clear_pointer(&foreign, g_ptr_array_unref);
    foreign = xv_driver_list_foreign(fx->drv, &error);
    g_assert_cmpuint(foreign->len, ==, 0);
    /* it is watched: its shutdown is seen, and the transient domain goes */
    g_assert_true(xv_driver_domain_shutdown(fx->drv, dom, 0, &error));
    fx_wait(fx, cond_gone, (gpointer) "foreign1");
    g_assert_cmpuint(fx_host_count(fx, "foreign1"), ==, 0);
}

/* rename-restart on Xen leaves the kept incarnation with the restarted
 * domain's uuid in the hypervisor (libxl_domain_preserve changes it only in
 * xenstore): a host domain with a managed domain's uuid under another domid
 * is foreign, not the managed domain. */
static void
test_foreign_same_uuid(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) mine = fx_define_started(fx, "mine", 256);
    char uuid[XV_UUID_STRING_BUFLEN];
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GPtrArray) foreign = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    uint32_t domid = 0;
    XvForeignDomain *f;

    xv_uuid_format(xv_domain_obj_get_uuid(mine), uuid);
    xml = fx_domain_xml(fx, "mine--incarnation-1", uuid, 256, 1, NULL);
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, &error);
    g_assert_no_error(error);
    xv_libxl_conf_options_init(&opts);
    g_assert_true(xv_libxl_config_from_def(def, &opts, &cfg, &error));
    xv_host_sim_create_foreign(fx->host, &cfg, &domid, &error);
    g_assert_no_error(error);
    libxl_domain_config_dispose(&cfg);
    g_assert_cmpint((int)domid, !=, xv_domain_obj_get_id(mine));

    foreign = xv_driver_list_foreign(fx->drv, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(foreign->len, ==, 1);
    f = g_ptr_array_index(foreign, 0);
    g_assert_cmpuint(f->domid, ==, domid);
    g_assert_cmpstr(f->name, ==, "mine--incarnation-1");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
    T("/driver/open/lock-held", test_open_lock_held);
    T("/driver/adopt/foreign-same-uuid", test_foreign_same_uuid);
    T("/driver/dom0/read-only", test_dom0);
    T("/driver/define/new", test_define_new);
    T("/driver/define/clash-nothing-changed", test_define_clash);
    T("/driver/define/update-running", test_define_update_running);
    T("/driver/undefine/flags", test_undefine);
    T("/driver/undefine/nvram", test_undefine_nvram);
    T("/driver/start/start-destroy", test_start_destroy);
    T("/driver/start/paused-suspend-resume", test_start_paused_suspend_resume);
    T("/driver/start/not-enough-memory", test_start_no_memory);
    T("/driver/create/transient", test_create_transient);
    T("/driver/events/shutdown-ack", test_shutdown_ack);
    T("/driver/events/shutdown-ignored", test_shutdown_ignored);
    T("/driver/events/crash-destroy", test_crash_destroy);
    T("/driver/events/reboot-restart", test_reboot_restart);
    T("/driver/events/lifecycle-actions", test_crash_actions);
    T("/driver/events/external-death", test_external_death);
    T("/driver/read/list-flags", test_list_flags);
    T("/driver/read/info-xml", test_info_xml);
    T("/driver/tune/pin", test_pin);
    T("/driver/tune/vcpus-memory", test_vcpus_memory);
    T("/driver/tune/sched-credit", test_sched);
    T("/driver/host/node", test_node);
    g_test_add("/driver/tune/sched-rtds", Fixture, "[host]\nscheduler=rtds\n", fx_setup,
               test_sched_rtds, fx_teardown);
    T("/driver/foreign/adopt", test_adopt);
    return g_test_run();
}
