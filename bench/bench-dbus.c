/*
 * bench-dbus.c: D-Bus latency and throughput of xenvirtd (bench/run dbus).
 *
 * Starts a private dbus-daemon and the real xenvirtd on a simulated host
 * (tests/daemon/daemon-fixture.c), defines and starts 17 domains, then
 * measures with 1, 4 and 16 clients (one bus connection and thread each):
 * Peer.Ping (answered by GDBus itself: the floor), GetState, a property Get,
 * ListDomains and GetXMLDesc — idle, and again while 16 saves run (sim
 * speed slowed so that they last through the measurement).
 */
#include <gio/gio.h>
#include <math.h>

#include "tests/daemon/daemon-fixture.h"

#define WEB1 "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_1b2d3e4f5a61"

typedef struct {
    const char *name;
    const char *path, *iface, *method;
    const char *args;   /* GVariant text */
} Op;

static const Op ops[] = {
    { "dbus_ping", WEB1, "org.freedesktop.DBus.Peer", "Ping", "()" },
    { "getstate", WEB1, "org.libvirt.Domain", "GetState", "(uint32 0,)" },
    { "propget", WEB1, "org.freedesktop.DBus.Properties", "Get", "('org.libvirt.Domain', 'Name')" },
    { "listdomains", "/org/libvirt/Xen", "org.libvirt.Connect", "ListDomains", "(uint32 0,)" },
    { "getxmldesc", WEB1, "org.libvirt.Domain", "GetXMLDesc", "(uint32 0,)" },
};

typedef struct {
    GDBusConnection *conn;
    const Op *op;
    guint n;
    double *lat_us;   /* n entries */
    gboolean failed;
} Worker;

static gpointer
worker(gpointer data)
{
    Worker *w = data;
    g_autoptr(GVariant) args = g_variant_ref_sink(g_variant_parse(NULL, w->op->args, NULL, NULL, NULL));

    for (guint i = 0; i < w->n; i++) {
        gint64 t0 = g_get_monotonic_time();
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(w->conn, "org.libvirt", w->op->path,
                                                            w->op->iface, w->op->method, args,
                                                            NULL, 0, 60000, NULL, NULL);

        w->lat_us[i] = (double)(g_get_monotonic_time() - t0);
        if (r == NULL)
            w->failed = TRUE;
    }
    return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

typedef struct {
    double p50, p99, per_s;
} Result;

static Result
measure(GDBusConnection **conns, guint clients, const Op *op, guint total)
{
    Worker w[16];
    GThread *t[16];
    guint per = MAX(total / clients, 50u);
    g_autofree double *all = g_new(double, per * clients);
    gint64 t0, t1;
    Result res;

    for (guint c = 0; c < clients; c++) {
        w[c] = (Worker){ conns[c], op, per, all + c * per, FALSE };
    }
    /* warm-up */
    {
        Worker warm = { conns[0], op, 20, g_new(double, 20), FALSE };

        worker(&warm);
        g_free(warm.lat_us);
    }
    t0 = g_get_monotonic_time();
    for (guint c = 0; c < clients; c++)
        t[c] = g_thread_new("bench", worker, &w[c]);
    for (guint c = 0; c < clients; c++)
        g_thread_join(t[c]);
    t1 = g_get_monotonic_time();
    for (guint c = 0; c < clients; c++)
        if (w[c].failed)
            g_printerr("bench-dbus: some %s calls failed\n", op->method);
    qsort(all, per * clients, sizeof(double), cmp_double);
    res.p50 = all[(per * clients) / 2];
    res.p99 = all[(per * clients) * 99 / 100];
    res.per_s = (double)(per * clients) / ((double)(t1 - t0) / 1e6);
    return res;
}

static void
figure(const char *name, double value, const char *unit)
{
    g_print("figure %s %.*f %s\n", name, value < 10 ? 2 : 1, value, unit);
}

static char *
domain_xml(XvFixture *fx, guint i)
{
    g_autofree char *xml = xv_fixture_domain_xml(fx, "web1");
    g_autofree char *name = g_strdup_printf("<name>bench%02u</name>", i);
    g_autofree char *uuid = g_strdup_printf("<uuid>4f2a7c1e-5d3b-4a8e-9c6f-%012u</uuid>", i + 1);
    g_auto(GStrv) a = g_strsplit(xml, "<name>web1</name>", 2);
    g_autofree char *x1 = g_strjoinv(name, a);
    g_auto(GStrv) b = g_strsplit(x1, "<uuid>4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61</uuid>", 2);
    g_autofree char *x2 = g_strjoinv(uuid, b);
    g_auto(GStrv) c = g_strsplit(x2, "<mac address=", -1);

    /* distinct MACs: drop them, the driver generates them */
    if (g_strv_length(c) > 1) {
        GString *s = g_string_new(c[0]);

        for (guint k = 1; c[k] != NULL; k++) {
            const char *end = strstr(c[k], "/>");

            g_string_append(s, end != NULL ? end + 2 : c[k]);
        }
        return g_string_free(s, FALSE);
    }
    return g_steal_pointer(&x2);
}

int
main(int argc, char **argv)
{
    XvFixture fx;
    g_autofree char *why = NULL;
    g_autoptr(GError) error = NULL;
    GDBusConnection *conns[16];
    const guint nclients[] = { 1, 4, 16 };
    Result idle[G_N_ELEMENTS(ops)][3], load[G_N_ELEMENTS(ops)][3];
    char path[128];

    if (g_getenv("XV_BUILDDIR") == NULL)
        g_setenv("XV_BUILDDIR", XV_BENCH_BUILDDIR, TRUE);
    if (g_getenv("XV_SRCDIR") == NULL)
        g_setenv("XV_SRCDIR", XV_BENCH_SRCDIR, TRUE);
    g_setenv("XV_SIM_SPEED", "0", TRUE);
    if (!xv_fixture_setup(&fx, "[daemon]\nshutdown_wait=1\n", &why)) {
        g_print("bench-dbus: cannot run: %s\n", why);
        g_print("figure dbus_ping_p50_us nan us\nfigure getstate_p50_us nan us\n"
                "figure getstate_over_ping_ratio nan x\nfigure getstate_16c_calls_per_s nan calls/s\n"
                "figure getstate_p99_under_load_ratio nan x\n");
        return 0;
    }
    {
        g_autofree char *xml = xv_fixture_domain_xml(&fx, "web1");

        g_variant_unref(xv_fixture_call(&fx, "/org/libvirt/Xen", "org.libvirt.Connect",
                                        "DomainDefineXML", g_variant_new("(s)", xml), &error));
        g_assert_no_error(error);
        g_variant_unref(xv_fixture_call(&fx, WEB1, "org.libvirt.Domain", "Create",
                                        g_variant_new("(u)", 0), &error));
        g_assert_no_error(error);
    }
    for (guint i = 0; i < 16; i++) {
        g_autofree char *xml = domain_xml(&fx, i);

        g_snprintf(path, sizeof(path),
                   "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_%012u", i + 1);
        g_variant_unref(xv_fixture_call(&fx, "/org/libvirt/Xen", "org.libvirt.Connect",
                                        "DomainDefineXML", g_variant_new("(s)", xml), &error));
        g_assert_no_error(error);
        g_variant_unref(xv_fixture_call(&fx, path, "org.libvirt.Domain", "Create",
                                        g_variant_new("(u)", 0), &error));
        g_assert_no_error(error);
    }
    for (guint c = 0; c < 16; c++) {
        conns[c] = g_dbus_connection_new_for_address_sync(
            fx.bus_addr,
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
            NULL, NULL, &error);
        g_assert_no_error(error);
    }

    for (gsize o = 0; o < G_N_ELEMENTS(ops); o++)
        for (gsize k = 0; k < 3; k++)
            idle[o][k] = measure(conns, nclients[k], &ops[o], 4000);

    /* 16 long saves, slowed: 1 GiB at speed 200 lasts minutes. */
    g_variant_unref(xv_fixture_call(&fx, "/org/libvirt/Xen", "org.xenvirt.Sim1", "SimSetSpeed",
                                    g_variant_new("(d)", 200.0), &error));
    g_assert_no_error(error);
    for (guint i = 0; i < 16; i++) {
        g_autofree char *file = g_strdup_printf("%s/bench%02u.save", fx.tmp, i);
        g_autoptr(GDBusMessage) m = NULL;

        g_snprintf(path, sizeof(path),
                   "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_%012u", i + 1);
        m = g_dbus_message_new_method_call("org.libvirt", path, "org.libvirt.Domain", "Save");
        g_dbus_message_set_body(m, g_variant_new("(ssu)", file, "", 0));
        g_dbus_connection_send_message(fx.conn, m, 0, NULL, NULL);
    }
    {
        guint running = 0;

        for (int tries = 0; tries < 500 && running < 16; tries++) {
            g_autoptr(GVariant) r = xv_fixture_call(&fx, "/org/libvirt/Xen", "org.xenvirt.Host1",
                                                    "GetJobCounts", NULL, NULL);

            if (r != NULL)
                g_variant_get(r, "(uu)", &running, NULL);
            g_usleep(10000);
        }
        if (running < 16)
            g_print("bench-dbus: only %u of 16 save jobs running during the load phase\n", running);
    }
    for (gsize o = 0; o < G_N_ELEMENTS(ops); o++)
        for (gsize k = 0; k < 3; k++)
            load[o][k] = measure(conns, nclients[k], &ops[o], 4000);
    {
        g_autoptr(GVariant) r = xv_fixture_call(&fx, "/org/libvirt/Xen", "org.xenvirt.Host1",
                                                "GetJobCounts", NULL, NULL);
        guint running = 0;

        if (r != NULL)
            g_variant_get(r, "(uu)", &running, NULL);
        g_print("bench-dbus: %u save jobs still running at the end of the load phase\n", running);
    }

    for (gsize o = 0; o < G_N_ELEMENTS(ops); o++) {
        for (gsize k = 0; k < 3; k++) {
            g_autofree char *base = g_strdup_printf("%s_%uc", ops[o].name, nclients[k]);
            g_autofree char *n1 = g_strconcat(base, "_p50_us", NULL);
            g_autofree char *n2 = g_strconcat(base, "_p99_us", NULL);
            g_autofree char *n3 = g_strconcat(base, "_calls_per_s", NULL);
            g_autofree char *n4 = g_strconcat(base, "_load_p50_us", NULL);
            g_autofree char *n5 = g_strconcat(base, "_load_p99_us", NULL);
            g_autofree char *n6 = g_strconcat(base, "_load_calls_per_s", NULL);

            figure(n1, idle[o][k].p50, "us");
            figure(n2, idle[o][k].p99, "us");
            figure(n3, idle[o][k].per_s, "calls/s");
            figure(n4, load[o][k].p50, "us");
            figure(n5, load[o][k].p99, "us");
            figure(n6, load[o][k].per_s, "calls/s");
        }
    }
    figure("dbus_ping_p50_us", idle[0][0].p50, "us");
    figure("getstate_p50_us", idle[1][0].p50, "us");
    figure("getstate_over_ping_ratio", idle[1][0].p50 / idle[0][0].p50, "x");
    figure("getstate_16c_calls_per_s", idle[1][2].per_s, "calls/s");
    figure("getstate_p99_under_load_ratio", load[1][0].p99 / idle[1][0].p99, "x");
    figure("getstate_16c_p99_under_load_ratio", load[1][2].p99 / idle[1][2].p99, "x");

    /* Stop the saves: abort them (the domains keep running), then tear down. */
    for (guint i = 0; i < 16; i++) {
        g_snprintf(path, sizeof(path),
                   "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_%012u", i + 1);
        g_clear_pointer(&error, g_error_free);
        GVariant *r = xv_fixture_call(&fx, path, "org.libvirt.Domain", "AbortJob", NULL, &error);

        if (r != NULL)
            g_variant_unref(r);
    }
    for (guint c = 0; c < 16; c++) {
        g_dbus_connection_close_sync(conns[c], NULL, NULL);
        g_object_unref(conns[c]);
    }
    xv_fixture_teardown(&fx);
    return 0;
}
