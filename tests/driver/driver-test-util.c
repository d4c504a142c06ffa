#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "driver-test-util.h"
#include "tests/host-sim/test-fs.h"

static void
test_event_free(TestEvent *ev)
{
    g_free(ev->name);
    g_free(ev->device);
    g_free(ev->metadata_uri);
    g_free(ev);
}

static void
on_event(XvDriver *drv, const XvDriverEvent *event, gpointer user_data)
{
    Fixture *fx = user_data;
    TestEvent *ev = g_new0(TestEvent, 1);

    ev->event_id = event->event_id;
    ev->event = event->event;
    ev->detail = event->detail;
    ev->name = g_strdup(event->name);
    ev->id = event->id;
    ev->device = g_strdup(event->device);
    ev->actual_kb = event->actual_kb;
    ev->metadata_type = event->metadata_type;
    ev->metadata_uri = g_strdup(event->metadata_uri);
    g_mutex_lock(&fx->ev_lock);
    g_ptr_array_add(fx->events, ev);
    g_mutex_unlock(&fx->ev_lock);
}

void
fx_open_driver(Fixture *fx)
{
    g_autoptr(GError) error = NULL;

    fx->opts.host = fx->host;
    fx->drv = xv_driver_open(&fx->opts, &error);
    g_assert_no_error(error);
    g_assert_nonnull(fx->drv);
}

void
fx_close_driver(Fixture *fx)
{
    fx_settle(fx);
    g_clear_pointer(&fx->drv, xv_driver_close);
}

void
fx_setup(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    const char *host_conf = data;

    fx->root = g_dir_make_tmp("xv-driver-XXXXXX", &error);
    g_assert_no_error(error);
    fx->sim_dir = g_build_filename(fx->root, "sim", NULL);
    fx->config_dir = g_build_filename(fx->root, "etc", NULL);
    fx->state_dir = g_build_filename(fx->root, "run", NULL);
    fx->lib_dir = g_build_filename(fx->root, "lib", NULL);
    fx->kernel = g_build_filename(fx->root, "vmlinuz", NULL);
    g_assert_true(g_file_set_contents(fx->kernel, "kernel", -1, NULL));
    g_mutex_init(&fx->ev_lock);
    fx->events = g_ptr_array_new_with_free_func((GDestroyNotify)test_event_free);
    if (host_conf != NULL) {
        g_autofree char *conf = g_build_filename(fx->sim_dir, "host.conf", NULL);

        g_assert_cmpint(g_mkdir_with_parents(fx->sim_dir, 0700), ==, 0);
        g_assert_true(g_file_set_contents(conf, host_conf, -1, NULL));
    }
    fx->host = xv_host_sim_open(fx->sim_dir, &error);
    g_assert_no_error(error);
    xv_host_sim_set_speed(fx->host, 0);
    xv_driver_options_init(&fx->opts);
    fx->opts.config_dir = fx->config_dir;
    fx->opts.state_dir = fx->state_dir;
    fx->opts.lib_dir = fx->lib_dir;
    fx->opts.listener = on_event;
    fx->opts.listener_data = fx;
    fx->opts.no_autostart = TRUE;
    fx_open_driver(fx);
}

void
fx_teardown(Fixture *fx, gconstpointer data)
{
    if (fx->drv != NULL)
        fx_close_driver(fx);
    g_clear_pointer(&fx->host, xv_host_close);
    /* Drain events the host posted after the driver went away. */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    xv_test_rm_rf(fx->root);
    g_ptr_array_unref(fx->events);
    g_mutex_clear(&fx->ev_lock);
    g_free(fx->root);
    g_free(fx->sim_dir);
    g_free(fx->config_dir);
    g_free(fx->state_dir);
    g_free(fx->lib_dir);
    g_free(fx->kernel);
}

char *
fx_domain_xml(Fixture *fx, const char *name, const char *uuid, guint64 mem_mib, guint vcpus,
              const char *extra)
{
    g_autofree char *uuid_elem = uuid != NULL ? g_strdup_printf("  <uuid>%s</uuid>\n", uuid)
                                              : g_strdup("");

    return g_strdup_printf("<domain type='xen'>\n"
                           "  <name>%s</name>\n"
                           "%s"
                           "  <memory unit='MiB'>%" G_GUINT64_FORMAT "</memory>\n"
                           "  <vcpu>%u</vcpu>\n"
                           "  <os>\n"
                           "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
                           "    <kernel>%s</kernel>\n"
                           "  </os>\n"
                           "%s"
                           "</domain>\n",
                           name, uuid_elem, mem_mib, vcpus, fx->kernel,
                           extra != NULL ? extra : "");
}

XvDomainObj *
fx_define(Fixture *fx, const char *name, guint64 mem_mib)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = fx_domain_xml(fx, name, NULL, mem_mib, 2, NULL);
    XvDomainObj *dom = xv_driver_define_xml(fx->drv, xml, 0, &error);

    g_assert_no_error(error);
    g_assert_nonnull(dom);
    return dom;
}

XvDomainObj *
fx_define_started(Fixture *fx, const char *name, guint64 mem_mib)
{
    g_autoptr(GError) error = NULL;
    XvDomainObj *dom = fx_define(fx, name, mem_mib);

    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    return dom;
}

XvDomainObj *
fx_define_xml_started(Fixture *fx, const char *xml)
{
    g_autoptr(GError) error = NULL;
    XvDomainObj *dom = xv_driver_define_xml(fx->drv, xml, 0, &error);

    g_assert_no_error(error);
    g_assert_true(xv_driver_domain_start(fx->drv, dom, 0, &error));
    g_assert_no_error(error);
    return dom;
}

gboolean
fx_cond_name_state(Fixture *fx, gpointer data)
{
    FxNameState *w = data;
    g_autoptr(XvDomainObj) dom = xv_driver_lookup_by_name(fx->drv, w->name, NULL);

    if (dom == NULL)
        return w->state < 0;
    return fx_state(fx, dom, NULL) == w->state;
}

void
fx_settle(Fixture *fx)
{
    /* Iterate until the context is idle and the driver's workers are done. */
    for (guint round = 0; round < 3; round++) {
        while (g_main_context_iteration(NULL, FALSE))
            ;
        if (fx->drv != NULL)
            xv_driver_flush_events(fx->drv);
    }
}

void
fx_wait(Fixture *fx, FxCond cond, gpointer data)
{
    gint64 deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;

    while (!cond(fx, data)) {
        if (g_get_monotonic_time() > deadline)
            g_error("condition not reached (hang guard)");
        while (g_main_context_iteration(NULL, FALSE))
            ;
        if (fx->drv != NULL)
            xv_driver_flush_events(fx->drv);
        g_usleep(1000);
    }
}

int
fx_state(Fixture *fx, XvDomainObj *dom, int *reason)
{
    g_autoptr(GError) error = NULL;
    int state = -1;

    g_assert_true(xv_driver_domain_get_state(fx->drv, dom, &state, reason, &error));
    g_assert_no_error(error);
    return state;
}

gboolean
fx_has_event(Fixture *fx, const char *name, int event_id, int event, int detail)
{
    gboolean found = FALSE;

    g_mutex_lock(&fx->ev_lock);
    for (guint i = 0; i < fx->events->len && !found; i++) {
        TestEvent *ev = g_ptr_array_index(fx->events, i);

        found = g_strcmp0(ev->name, name) == 0 && ev->event_id == event_id &&
                (event_id != VIR_DOMAIN_EVENT_ID_LIFECYCLE ||
                 (ev->event == event && ev->detail == detail));
    }
    g_mutex_unlock(&fx->ev_lock);
    return found;
}

void
fx_clear_events(Fixture *fx)
{
    g_mutex_lock(&fx->ev_lock);
    g_ptr_array_set_size(fx->events, 0);
    g_mutex_unlock(&fx->ev_lock);
}

gboolean
fx_file_exists(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);

    return g_file_test(p, G_FILE_TEST_EXISTS);
}

guint
fx_dir_count(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    guint n = 0;

    if (d == NULL)
        return 0;
    while (g_dir_read_name(d) != NULL)
        n++;
    return n;
}

guint
fx_host_count(Fixture *fx, const char *name)
{
    libxl_dominfo *infos = NULL;
    int n = 0;
    guint count = 0;

    g_assert_cmpint(xv_host_list_domains(fx->host, &infos, &n, NULL), ==, 0);
    for (int i = 0; i < n; i++) {
        libxl_domain_config cfg;

        if (infos[i].domid == 0)
            continue;
        if (xv_host_retrieve_config(fx->host, infos[i].domid, &cfg, NULL) == 0) {
            if (g_strcmp0(cfg.c_info.name, name) == 0)
                count++;
            libxl_domain_config_dispose(&cfg);
        }
    }
    libxl_dominfo_list_free(infos, n);
    return count;
}

char *
fx_event_device(Fixture *fx, const char *name, int event_id)
{
    char *out = NULL;

    g_mutex_lock(&fx->ev_lock);
    for (guint i = 0; i < fx->events->len && out == NULL; i++) {
        TestEvent *ev = g_ptr_array_index(fx->events, i);

        if (g_strcmp0(ev->name, name) == 0 && ev->event_id == event_id)
            out = g_strdup(ev->device != NULL ? ev->device : "");
    }
    g_mutex_unlock(&fx->ev_lock);
    return out;
}

guint
fx_count_events(Fixture *fx, const char *name, int event_id)
{
    guint n = 0;

    g_mutex_lock(&fx->ev_lock);
    for (guint i = 0; i < fx->events->len; i++) {
        TestEvent *ev = g_ptr_array_index(fx->events, i);

        if (g_strcmp0(ev->name, name) == 0 && ev->event_id == event_id)
            n++;
    }
    g_mutex_unlock(&fx->ev_lock);
    return n;
}

gboolean
fx_last_event(Fixture *fx, const char *name, int event_id, TestEvent *out)
{
    gboolean found = FALSE;

    memset(out, 0, sizeof(*out));
    g_mutex_lock(&fx->ev_lock);
    for (guint i = fx->events->len; i > 0 && !found; i--) {
        TestEvent *ev = g_ptr_array_index(fx->events, i - 1);

        if (g_strcmp0(ev->name, name) == 0 && ev->event_id == event_id) {
            *out = *ev;
            out->name = NULL;
            out->device = NULL;
            out->metadata_uri = NULL;
            found = TRUE;
        }
    }
    g_mutex_unlock(&fx->ev_lock);
    return found;
}
