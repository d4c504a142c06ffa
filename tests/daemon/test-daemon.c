/*
 * test-daemon.c: integration tests of xenvirtd over D-Bus — a real private
 * dbus-daemon, the real xenvirtd on a fresh simulated host, driven with
 * GDBus: every member of the API, the signals with libvirt's event and
 * detail numbers, the peer-to-peer listener, access control, bad input,
 * limits, and SIGTERM with a restart.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon-fixture.h"

#define CONN "/org/libvirt/Xen"
#define WEB1 "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_1b2d3e4f5a61"
#define PVH1 "/org/libvirt/Xen/domain/_1b3c5d7e_9f0a_4b2c_8d4e_6f8091a2b3c4"
#define DOM0 "/org/libvirt/Xen/domain/_00000000_0000_0000_0000_000000000000"
#define IC "org.libvirt.Connect"
#define ID "org.libvirt.Domain"

static gboolean
fixture_or_skip(XvFixture *fx, const char *config)
{
    g_autofree char *why = NULL;

    if (!xv_fixture_setup(fx, config, &why)) {
        g_test_skip(why);
        return FALSE;
    }
    return TRUE;
}

static GVariant *
call_ok(XvFixture *fx, const char *path, const char *iface, const char *method, GVariant *args)
{
    g_autoptr(GError) error = NULL;
    GVariant *r = xv_fixture_call(fx, path, iface, method, args, &error);

    if (r == NULL)
        g_error("%s.%s on %s failed: %s", iface, method, path, error->message);
    return r;
}

#define CALL_OK(fx, path, iface, method, args) \
    g_variant_unref(call_ok(fx, path, iface, method, args))

/* The call fails with D-Bus error 'name' and a message containing 'text'. */
static void
call_err(XvFixture *fx, const char *path, const char *iface, const char *method, GVariant *args,
         const char *name, const char *text)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = xv_fixture_call(fx, path, iface, method, args, &error);
    g_autofree char *remote = NULL;

    if (r != NULL)
        g_error("%s.%s on %s succeeded, expected %s", iface, method, path, name);
    remote = g_dbus_error_get_remote_error(error);
    if (g_strcmp0(remote, name) != 0 || strstr(error->message, text) == NULL)
        g_error("%s.%s: expected %s containing '%s', got %s: %s", iface, method, name, text,
                remote, error->message);
}

/* Helpers on the first child of a reply tuple (e.g. the a{sv} of "(a{sv})");
 * they release what they take. */
static gsize
n_children0(GVariant *r)
{
    g_autoptr(GVariant) c = g_variant_get_child_value(r, 0);

    return g_variant_n_children(c);
}

static gboolean
lookup0(GVariant *r, const char *key, const char *format, ...)
{
    g_autoptr(GVariant) c = g_variant_get_child_value(r, 0);
    g_autoptr(GVariant) v = g_variant_lookup_value(c, key, NULL);
    va_list ap;

    if (v == NULL)
        return FALSE;
    va_start(ap, format);
    g_variant_get_va(v, format, NULL, &ap);
    va_end(ap);
    return TRUE;
}

static void
get_child0(GVariant *r, gsize index, const char *format, ...)
{
    g_autoptr(GVariant) c = g_variant_get_child_value(r, 0);
    g_autoptr(GVariant) v = g_variant_get_child_value(c, index);
    va_list ap;

    va_start(ap, format);
    g_variant_get_va(v, format, NULL, &ap);
    va_end(ap);
}

/* Pump the main context until a signal matches; FALSE after 30 s. */
static GVariant *
find_signal(XvFixture *fx, const char *member, const char *path, GVariant *params)
{
    for (guint i = 0; i < fx->signals->len; i++) {
        GVariant *s = g_ptr_array_index(fx->signals, i);
        const char *m, *p, *iface;
        g_autoptr(GVariant) args = NULL;

        g_variant_get(s, "(&s&o&s@*)", &m, &p, &iface, &args);
        if (g_str_equal(m, member) && (path == NULL || g_str_equal(p, path)) &&
            (params == NULL || g_variant_equal(args, params)))
            return s;
    }
    return NULL;
}

static GVariant *
wait_signal(XvFixture *fx, const char *member, const char *path, GVariant *params)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    GVariant *s = NULL;

    if (params != NULL)
        g_variant_ref_sink(params);
    while ((s = find_signal(fx, member, path, params)) == NULL &&
           g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE) || (g_usleep(5000), TRUE);
    if (s == NULL)
        g_error("no %s signal on %s%s%s", member, path ? path : "(any)",
                params ? " with " : "", params ? g_variant_print(params, TRUE) : "");
    if (params != NULL)
        g_variant_unref(params);
    return s;
}

static void
wait_event(XvFixture *fx, const char *path, int event, int detail)
{
    wait_signal(fx, "DomainEvent", CONN, g_variant_new("(oii)", path, event, detail));
}

static void
get_state(XvFixture *fx, const char *path, int *state, int *reason)
{
    g_autoptr(GVariant) r = call_ok(fx, path, ID, "GetState", g_variant_new("(u)", 0));

    g_variant_get(r, "((ii))", state, reason);
}

static GVariant *
get_prop(XvFixture *fx, const char *path, const char *iface, const char *name)
{
    g_autoptr(GVariant) r = call_ok(fx, path, "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new("(ss)", iface, name));
    GVariant *v;

    g_variant_get(r, "(v)", &v);
    return v;
}

static void
define(XvFixture *fx, const char *name)
{
    g_autofree char *xml = xv_fixture_domain_xml(fx, name);

    CALL_OK(fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", xml));
}

static void
wait_state(XvFixture *fx, const char *path, int want)
{
    int state = -1, reason;

    for (int i = 0; i < 3000 && state != want; i++) {
        get_state(fx, path, &state, &reason);
        if (state != want)
            g_usleep(10000);
    }
    g_assert_cmpint(state, ==, want);
}

/* ---- Connect ------------------------------------------------------------- */

static void
test_connect(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(GVariant) v = NULL;
    g_autoptr(GVariantIter) it = NULL;
    const char *s1, *s2;
    guint64 t;
    int n = 0;

    if (!fixture_or_skip(&fx, NULL))
        return;

    /* Properties */
    v = get_prop(&fx, CONN, IC, "Version");
    g_assert_cmpuint(g_variant_get_uint64(v), >=, 4000000);
    g_clear_pointer(&v, g_variant_unref);
    v = get_prop(&fx, CONN, IC, "Encrypted");
    g_assert_false(g_variant_get_boolean(v));
    g_clear_pointer(&v, g_variant_unref);
    r = call_ok(&fx, CONN, "org.freedesktop.DBus.Properties", "GetAll", g_variant_new("(s)", IC));
    {
        g_autoptr(GVariant) all = g_variant_get_child_value(r, 0);
        g_autoptr(GVariantDict) dict = g_variant_dict_new(all);

        g_assert_true(g_variant_dict_contains(dict, "Hostname"));
        g_assert_true(g_variant_dict_contains(dict, "LibVersion"));
        g_assert_true(g_variant_dict_contains(dict, "Secure"));
    }
    g_clear_pointer(&r, g_variant_unref);

    /* Lists and lookups: Domain-0 */
    r = call_ok(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
    g_variant_get(r, "(ao)", &it);
    while (g_variant_iter_next(it, "&o", &s1))
        n++;
    g_assert_cmpint(n, ==, 1);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "DomainLookupByID", g_variant_new("(i)", 0));
    g_variant_get(r, "(&o)", &s1);
    g_assert_cmpstr(s1, ==, DOM0);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "DomainLookupByName", g_variant_new("(s)", "Domain-0"));
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "DomainLookupByUUID",
                g_variant_new("(s)", "00000000-0000-0000-0000-000000000000"));
    g_variant_get(r, "(&o)", &s1);
    g_assert_cmpstr(s1, ==, DOM0);
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, CONN, IC, "DomainLookupByName", g_variant_new("(s)", "nosuch"),
             "org.libvirt.Error", "Domain not found");

    /* Host */
    r = call_ok(&fx, CONN, IC, "GetCapabilities", NULL);
    g_variant_get(r, "(&s)", &s1);
    g_assert_nonnull(strstr(s1, "<capabilities>"));
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "GetDomainCapabilities", g_variant_new("(ssssu)", "", "", "", "", 0));
    g_variant_get(r, "(&s)", &s1);
    g_assert_nonnull(strstr(s1, "<domainCapabilities>"));
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, CONN, IC, "GetDomainCapabilities",
             g_variant_new("(ssssu)", "", "", "", "kvm", 0), "org.libvirt.Error", "");
    r = call_ok(&fx, CONN, IC, "GetSysinfo", g_variant_new("(u)", 0));
    g_variant_get(r, "(&s)", &s1);
    g_assert_true(g_str_has_prefix(s1, "<sysinfo type='smbios'>"));
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "NodeGetCPUMap", g_variant_new("(u)", 0));
    g_assert_cmpuint(n_children0(r), >=, 1);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "NodeGetCPUStats", g_variant_new("(iu)", -1, 0));
    g_assert_true(lookup0(r, "idle", "t", &t));
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "NodeGetFreeMemory", NULL);
    g_variant_get(r, "(t)", &t);
    g_assert_cmpuint(t, >, 0);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "NodeGetMemoryStats", g_variant_new("(iu)", -1, 0));
    g_assert_true(lookup0(r, "total", "t", &t));
    g_assert_cmpuint(t, >, 0);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "NodeGetSecurityModel", NULL);
    g_variant_get(r, "((&s&s))", &s1, &s2);
    g_assert_cmpstr(s1, ==, "");
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "GetAllDomainStats", g_variant_new("(uu)", 0, 0));
    g_clear_pointer(&r, g_variant_unref);

    /* Members Xen cannot do: libvirt's message, as org.libvirt.Error. */
    call_err(&fx, CONN, IC, "BaselineCPU", g_variant_new("(asu)", NULL, 0), "org.libvirt.Error",
             "this function is not supported by the connection driver: virConnectBaselineCPU");
    call_err(&fx, CONN, IC, "ListNetworks", g_variant_new("(u)", 0), "org.libvirt.Error",
             "this function is not supported by the connection driver: virConnectListAllNetworks");

    /* Introspection serves the interface files from data/. */
    r = call_ok(&fx, CONN, "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
    g_variant_get(r, "(&s)", &s1);
    g_assert_nonnull(strstr(s1, "org.libvirt.Connect"));
    g_assert_nonnull(strstr(s1, "org.xenvirt.Host1"));
    g_assert_nonnull(strstr(s1, "org.xenvirt.Sim1"));
    g_assert_nonnull(strstr(s1, "DomainSaveImageGetXMLDesc"));
    g_clear_pointer(&r, g_variant_unref);

    xv_fixture_teardown(&fx);
}

/* ---- Domain lifecycle and events --------------------------------------- */

static void
test_lifecycle(void)
{
    XvFixture fx;
    g_autoptr(GVariant) v = NULL;
    g_autoptr(GVariant) r = NULL;
    int state, reason;
    guint32 id;

    if (!fixture_or_skip(&fx, NULL))
        return;

    define(&fx, "web1");
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    wait_signal(&fx, "InterfacesAdded", CONN, NULL);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    v = get_prop(&fx, WEB1, ID, "Id");
    g_assert_cmpuint(g_variant_get_uint32(v), ==, (guint32)-1);
    g_clear_pointer(&v, g_variant_unref);
    v = get_prop(&fx, WEB1, ID, "Name");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "web1");
    g_clear_pointer(&v, g_variant_unref);
    v = get_prop(&fx, WEB1, ID, "OSType");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xen");
    g_clear_pointer(&v, g_variant_unref);
    v = get_prop(&fx, WEB1, ID, "UUID");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61");
    g_clear_pointer(&v, g_variant_unref);

    /* ObjectManager: one round trip lists domains with their properties */
    r = call_ok(&fx, CONN, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL);
    {
        g_autoptr(GVariant) objs = g_variant_get_child_value(r, 0);
        g_autoptr(GVariant) ifaces = g_variant_lookup_value(objs, WEB1, G_VARIANT_TYPE("a{sa{sv}}"));
        g_autoptr(GVariant) props = NULL;
        const char *name;

        g_assert_nonnull(ifaces);
        props = g_variant_lookup_value(ifaces, ID, G_VARIANT_TYPE("a{sv}"));
        g_assert_true(g_variant_lookup(props, "Name", "&s", &name));
        g_assert_cmpstr(name, ==, "web1");
    }
    g_clear_pointer(&r, g_variant_unref);

    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    v = get_prop(&fx, WEB1, ID, "Active");
    g_assert_true(g_variant_get_boolean(v));
    g_clear_pointer(&v, g_variant_unref);
    v = get_prop(&fx, WEB1, ID, "Id");
    id = g_variant_get_uint32(v);
    g_assert_cmpuint(id, >, 0);
    g_clear_pointer(&v, g_variant_unref);
    wait_signal(&fx, "PropertiesChanged", WEB1, NULL);
    call_err(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0), "org.libvirt.Error",
             "Requested operation is not valid");

    CALL_OK(&fx, WEB1, ID, "Suspend", NULL);
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_PAUSED);
    CALL_OK(&fx, WEB1, ID, "Resume", NULL);
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);

    CALL_OK(&fx, WEB1, ID, "Reboot", g_variant_new("(u)", 0));
    wait_signal(&fx, "Reboot", WEB1, NULL);
    wait_state(&fx, WEB1, VIR_DOMAIN_RUNNING);

    CALL_OK(&fx, WEB1, ID, "Shutdown", g_variant_new("(u)", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    wait_state(&fx, WEB1, VIR_DOMAIN_SHUTOFF);

    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", VIR_DOMAIN_START_PAUSED));
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_PAUSED);
    CALL_OK(&fx, WEB1, ID, "Destroy", g_variant_new("(u)", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    v = get_prop(&fx, WEB1, ID, "Active");
    g_assert_false(g_variant_get_boolean(v));
    g_clear_pointer(&v, g_variant_unref);

    /* Autostart: writable property, PropertiesChanged */
    g_ptr_array_set_size(fx.signals, 0);
    CALL_OK(&fx, WEB1, "org.freedesktop.DBus.Properties", "Set",
            g_variant_new("(ssv)", ID, "Autostart", g_variant_new_boolean(TRUE)));
    v = get_prop(&fx, WEB1, ID, "Autostart");
    g_assert_true(g_variant_get_boolean(v));
    g_clear_pointer(&v, g_variant_unref);
    {
        GVariant *s = wait_signal(&fx, "PropertiesChanged", WEB1, NULL);

        g_autofree char *text = g_variant_print(s, FALSE);

        g_assert_nonnull(strstr(text, "Autostart"));
    }
    call_err(&fx, WEB1, "org.freedesktop.DBus.Properties", "Set",
             g_variant_new("(ssv)", ID, "Name", g_variant_new_string("x")),
             "org.freedesktop.DBus.Error.InvalidArgs", "not writable");

    CALL_OK(&fx, WEB1, ID, "Undefine", g_variant_new("(u)", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    wait_signal(&fx, "InterfacesRemoved", CONN, NULL);
    call_err(&fx, WEB1, ID, "GetState", g_variant_new("(u)", 0), "org.libvirt.Error",
             "Domain not found");

    /* Transient domain: CreateXML, gone after destroy */
    {
        g_autofree char *xml = xv_fixture_domain_xml(&fx, "pvh1");
        const char *path;

        r = call_ok(&fx, CONN, IC, "DomainCreateXML", g_variant_new("(su)", xml, 0));
        g_variant_get(r, "(&o)", &path);
        g_assert_cmpstr(path, ==, PVH1);
        wait_event(&fx, PVH1, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
        v = get_prop(&fx, PVH1, ID, "Persistent");
        g_assert_false(g_variant_get_boolean(v));
        g_clear_pointer(&v, g_variant_unref);
        v = get_prop(&fx, PVH1, ID, "OSType");
        g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xenpvh");
        g_clear_pointer(&v, g_variant_unref);
        CALL_OK(&fx, PVH1, ID, "Destroy", g_variant_new("(u)", 0));
        wait_event(&fx, PVH1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
        call_err(&fx, PVH1, ID, "GetState", g_variant_new("(u)", 0), "org.libvirt.Error",
                 "Domain not found");
        g_clear_pointer(&r, g_variant_unref);
    }

    /* Operations on Domain-0 are refused */
    call_err(&fx, DOM0, ID, "Destroy", g_variant_new("(u)", 0), "org.libvirt.Error",
             "Requested operation is not valid");

    xv_fixture_teardown(&fx);
}

/* ---- tuning and reads ----------------------------------------------------- */

static void
test_tuning(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    guint32 n;
    const char *xml;

    if (!fixture_or_skip(&fx, NULL))
        return;
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));

    r = call_ok(&fx, WEB1, ID, "GetVcpus", g_variant_new("(u)", 0));
    g_variant_get(r, "(u)", &n);
    g_assert_cmpuint(n, ==, 2);
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, WEB1, ID, "SetVcpus", g_variant_new("(uu)", 1, VIR_DOMAIN_AFFECT_LIVE));
    r = call_ok(&fx, WEB1, ID, "GetVcpus", g_variant_new("(u)", VIR_DOMAIN_AFFECT_LIVE));
    g_variant_get(r, "(u)", &n);
    g_assert_cmpuint(n, ==, 1);
    g_clear_pointer(&r, g_variant_unref);

    {
        GVariantBuilder mb;
        GVariant *map;
        g_autoptr(GVariant) rows = NULL;
        g_autoptr(GVariant) row = NULL;
        gboolean b0, b1;

        g_variant_builder_init(&mb, G_VARIANT_TYPE("ab"));
        g_variant_builder_add(&mb, "b", FALSE);
        g_variant_builder_add(&mb, "b", TRUE);
        map = g_variant_builder_end(&mb);
        CALL_OK(&fx, WEB1, ID, "PinVcpu",
                g_variant_new("(u@abu)", 0, map, VIR_DOMAIN_AFFECT_LIVE));
        r = call_ok(&fx, WEB1, ID, "GetVcpuPinInfo", g_variant_new("(u)", VIR_DOMAIN_AFFECT_LIVE));
        rows = g_variant_get_child_value(r, 0);
        row = g_variant_get_child_value(rows, 0);
        g_variant_get_child(row, 0, "b", &b0);
        g_variant_get_child(row, 1, "b", &b1);
        g_assert_false(b0);
        g_assert_true(b1);
        g_clear_pointer(&r, g_variant_unref);
    }

    CALL_OK(&fx, WEB1, ID, "SetMemory", g_variant_new("(tu)", (guint64)524288, VIR_DOMAIN_AFFECT_LIVE));
    r = call_ok(&fx, WEB1, ID, "MemoryStats", g_variant_new("(u)", 0));
    {
        g_autoptr(GVariant) stats = g_variant_get_child_value(r, 0);
        guint64 avail = 0;
        GVariantIter it;
        gint32 tag;
        guint64 val;

        g_variant_iter_init(&it, stats);
        while (g_variant_iter_next(&it, "{it}", &tag, &val))
            if (tag == VIR_DOMAIN_MEMORY_STAT_AVAILABLE)
                avail = val;
        g_assert_cmpuint(avail, ==, 1048576);
    }
    g_clear_pointer(&r, g_variant_unref);

    r = call_ok(&fx, WEB1, ID, "GetSchedulerParameters", g_variant_new("(u)", 0));
    {
        guint32 weight;

        g_assert_true(lookup0(r, "weight", "u", &weight));
        g_assert_cmpuint(weight, ==, 256);
    }
    g_clear_pointer(&r, g_variant_unref);
    {
        GVariantBuilder b;
        guint32 weight = 0;

        g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&b, "{sv}", "weight", g_variant_new_uint32(512));
        CALL_OK(&fx, WEB1, ID, "SetSchedulerParameters",
                g_variant_new("(a{sv}u)", &b, VIR_DOMAIN_AFFECT_LIVE));
        r = call_ok(&fx, WEB1, ID, "GetSchedulerParameters", g_variant_new("(u)", 0));
        g_assert_true(lookup0(r, "weight", "u", &weight));
        g_assert_cmpuint(weight, ==, 512);
        g_clear_pointer(&r, g_variant_unref);
    }

    r = call_ok(&fx, WEB1, ID, "GetStats", g_variant_new("(uu)", 0, 0));
    {
        gint32 st;

        g_assert_true(lookup0(r, "state.state", "i", &st));
        g_assert_cmpint(st, ==, VIR_DOMAIN_RUNNING);
    }
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, IC, "GetAllDomainStats",
                g_variant_new("(uu)", VIR_DOMAIN_STATS_STATE, VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING));
    g_assert_cmpuint(n_children0(r), ==, 1);
    g_clear_pointer(&r, g_variant_unref);

    r = call_ok(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", 0));
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<name>web1</name>"));
    g_assert_nonnull(strstr(xml, "<domain type='xen' id="));
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", VIR_DOMAIN_XML_INACTIVE));
    g_variant_get(r, "(&s)", &xml);
    g_assert_null(strstr(xml, " id="));
    g_clear_pointer(&r, g_variant_unref);

    r = call_ok(&fx, WEB1, ID, "GetJobInfo", NULL);
    {
        gint32 type;

        get_child0(r, 0, "i", &type);
        g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_NONE);
    }
    g_clear_pointer(&r, g_variant_unref);

    /* Members the driver does not offer answer libvirt's message. */
    call_err(&fx, WEB1, ID, "MigrateToURI3", g_variant_new("(sa{sv}u)", "", NULL, 0),
             "org.libvirt.Error", "virDomainMigrateToURI3");

    xv_fixture_teardown(&fx);
}

/* ---- devices, metadata, balloon ----------------------------------------- */

static void
test_devices_metadata(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *disk = NULL;
    g_autofree char *img = NULL;
    const char *xml;

    if (!fixture_or_skip(&fx, NULL))
        return;
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    img = g_build_filename(fx.images, "extra.img", NULL);
    g_assert_true(g_file_set_contents(img, "disk", -1, NULL));
    disk = g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
                           "<target dev='xvdc' bus='xen'/></disk>", img);

    /* attach live: the DeviceAdded signal names the target */
    g_ptr_array_set_size(fx.signals, 0);
    CALL_OK(&fx, WEB1, ID, "AttachDevice", g_variant_new("(su)", disk, VIR_DOMAIN_AFFECT_LIVE));
    wait_signal(&fx, "DeviceAdded", WEB1, g_variant_new("(s)", "xvdc"));
    r = call_ok(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", 0));
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<target dev='xvdc' bus='xen'/>"));
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, WEB1, ID, "AttachDevice", g_variant_new("(su)", disk, 0), "org.libvirt.Error",
             "Requested operation is not valid: cannot attach a device to domain 'web1': target xvdc already exists");
    call_err(&fx, WEB1, ID, "AttachDevice", g_variant_new("(su)", "<graphics type='vnc'/>", 0),
             "org.libvirt.Error", "unsupported configuration: cannot attach a device to domain 'web1': device type 'graphics' cannot be attached");
    call_err(&fx, WEB1, ID, "AttachDevice", g_variant_new("(su)", disk, 0x100), "org.libvirt.Error",
             "unsupported flags");
    /* update: a disk that is not a cdrom cannot change live */
    call_err(&fx, WEB1, ID, "UpdateDevice", g_variant_new("(su)", disk, VIR_DOMAIN_AFFECT_LIVE),
             "org.libvirt.Error", "cannot be updated");
    /* detach; an unknown target */
    CALL_OK(&fx, WEB1, ID, "DetachDevice",
            g_variant_new("(su)", "<disk type='file' device='disk'><target dev='xvdc'/></disk>", 0));
    wait_signal(&fx, "DeviceRemoved", WEB1, g_variant_new("(s)", "xvdc"));
    call_err(&fx, WEB1, ID, "DetachDevice",
             g_variant_new("(su)", "<disk type='file' device='disk'><target dev='xvdc'/></disk>", 0),
             "org.libvirt.Error", "device not found: cannot detach a device from domain 'web1': no target device xvdc");
    /* config only: no signal, the inactive XML has it */
    CALL_OK(&fx, WEB1, ID, "AttachDevice", g_variant_new("(su)", disk, VIR_DOMAIN_AFFECT_CONFIG));
    r = call_ok(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", VIR_DOMAIN_XML_INACTIVE));
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "xvdc"));
    g_clear_pointer(&r, g_variant_unref);

    /* metadata: absent, set, read, MetadataChange, remove */
    call_err(&fx, WEB1, ID, "GetMetadata",
             g_variant_new("(isu)", VIR_DOMAIN_METADATA_DESCRIPTION, "", 0), "org.libvirt.Error",
             "metadata not found: Requested metadata element is not present");
    r = call_ok(&fx, WEB1, ID, "GetMetadata",
                g_variant_new("(isu)", VIR_DOMAIN_METADATA_TITLE, "", 0));
    g_variant_get(r, "(&s)", &xml);
    g_assert_cmpstr(xml, ==, "Front-end web server");
    g_clear_pointer(&r, g_variant_unref);
    g_ptr_array_set_size(fx.signals, 0);
    CALL_OK(&fx, WEB1, ID, "SetMetadata",
            g_variant_new("(isssu)", VIR_DOMAIN_METADATA_TITLE, "The web server", "", "", 0));
    wait_signal(&fx, "MetadataChange", WEB1,
                g_variant_new("(is)", VIR_DOMAIN_METADATA_TITLE, ""));
    r = call_ok(&fx, WEB1, ID, "GetMetadata",
                g_variant_new("(isu)", VIR_DOMAIN_METADATA_TITLE, "", 0));
    g_variant_get(r, "(&s)", &xml);
    g_assert_cmpstr(xml, ==, "The web server");
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, WEB1, ID, "SetMetadata",
            g_variant_new("(isssu)", VIR_DOMAIN_METADATA_ELEMENT, "<ticket>42</ticket>", "ops",
                          "http://example.org/ops/", VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG));
    wait_signal(&fx, "MetadataChange", WEB1,
                g_variant_new("(is)", VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/ops/"));
    r = call_ok(&fx, WEB1, ID, "GetMetadata",
                g_variant_new("(isu)", VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/ops/",
                              VIR_DOMAIN_AFFECT_CONFIG));
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<ops:ticket xmlns:ops=\"http://example.org/ops/\">42</ops:ticket>"));
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, WEB1, ID, "SetMetadata",
             g_variant_new("(isssu)", VIR_DOMAIN_METADATA_ELEMENT, "<x/>", "", "http://a/", 0),
             "org.libvirt.Error", "invalid argument");

    /* balloon: SetMemory live, then BalloonChange with the new actual size */
    r = call_ok(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", 0));
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, WEB1, ID, "SetMemory", g_variant_new("(tu)", (guint64)256 * 1024,
                                                        VIR_DOMAIN_AFFECT_LIVE));
    wait_signal(&fx, "BalloonChange", WEB1, g_variant_new("(t)", (guint64)256 * 1024));

    xv_fixture_teardown(&fx);
}

/* ---- save, restore, managed save, dump, jobs ---------------------------- */

static void
test_save_restore(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *file = NULL, *dump = NULL;
    const char *xml;
    gboolean has;
    int state, reason;

    if (!fixture_or_skip(&fx, NULL))
        return;
    file = g_build_filename(fx.tmp, "web1.save", NULL);
    dump = g_build_filename(fx.tmp, "web1.core", NULL);
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));

    CALL_OK(&fx, WEB1, ID, "CoreDump", g_variant_new("(suu)", dump, 0, 0));
    g_assert_true(g_file_test(dump, G_FILE_TEST_IS_REGULAR));
    call_err(&fx, WEB1, ID, "CoreDump", g_variant_new("(suu)", dump, 3, 0), "org.libvirt.Error",
             "core dump format");

    CALL_OK(&fx, WEB1, ID, "Save", g_variant_new("(ssu)", file, "", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    wait_signal(&fx, "JobCompleted", WEB1, NULL);
    r = call_ok(&fx, WEB1, ID, "GetJobStats", g_variant_new("(u)", VIR_DOMAIN_JOB_STATS_COMPLETED));
    {
        gint32 type;
        g_autoptr(GVariant) params = NULL;
        gint32 op;

        g_variant_get(r, "((i@a{sv}))", &type, &params);
        g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_COMPLETED);
        g_assert_true(g_variant_lookup(params, VIR_DOMAIN_JOB_OPERATION, "i", &op));
        g_assert_cmpint(op, ==, VIR_DOMAIN_JOB_OPERATION_SAVE);
    }
    g_clear_pointer(&r, g_variant_unref);

    r = call_ok(&fx, CONN, IC, "DomainSaveImageGetXMLDesc", g_variant_new("(su)", file, 0));
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<name>web1</name>"));
    {
        g_auto(GStrv) parts = g_strsplit(xml, "<title>", 2);
        g_autofree char *edited = NULL;
        g_autoptr(GVariant) r2 = NULL;
        const char *xml2;

        /* A title is a harmless change the restore keeps */
        if (g_strv_length(parts) == 1) {
            g_strfreev(parts);
            parts = g_strsplit(xml, "</name>", 2);
            edited = g_strjoinv("</name>\n  <title>edited in the image</title>", parts);
        } else {
            edited = g_strjoinv("<title>edited in the image ", parts);
        }
        CALL_OK(&fx, CONN, IC, "DomainSaveImageDefineXML", g_variant_new("(ssu)", file, edited, 0));
        r2 = call_ok(&fx, CONN, IC, "DomainSaveImageGetXMLDesc", g_variant_new("(su)", file, 0));
        g_variant_get(r2, "(&s)", &xml2);
        g_assert_nonnull(strstr(xml2, "edited in the image"));
    }
    g_clear_pointer(&r, g_variant_unref);

    CALL_OK(&fx, CONN, IC, "DomainRestore", g_variant_new("(ssu)", file, "", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);

    CALL_OK(&fx, WEB1, ID, "ManagedSave", g_variant_new("(u)", 0));
    r = call_ok(&fx, WEB1, ID, "HasManagedSaveImage", g_variant_new("(u)", 0));
    g_variant_get(r, "(b)", &has);
    g_assert_true(has);
    g_clear_pointer(&r, g_variant_unref);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    CALL_OK(&fx, WEB1, ID, "ManagedSaveRemove", g_variant_new("(u)", 0));
    r = call_ok(&fx, WEB1, ID, "HasManagedSaveImage", g_variant_new("(u)", 0));
    g_variant_get(r, "(b)", &has);
    g_assert_false(has);
    g_clear_pointer(&r, g_variant_unref);

    xv_fixture_teardown(&fx);
}

/* A save slow enough to watch: reads answer during it, progress is
 * reported (GetJobInfo, GetJobProgress, the JobProgress signal), and
 * AbortJob stops it with the domain still running and no file left. */
static void
test_job_progress_abort(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *file = NULL;
    GVariant *msg_args;
    g_autoptr(GDBusMessage) msg = NULL;
    guint32 serial;
    const char *job = "";
    int state, reason;
    gint64 deadline;

    if (!fixture_or_skip(&fx, NULL))
        return;
    file = g_build_filename(fx.tmp, "slow.save", NULL);
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    /* 1 GiB guest: save ~1.1 model s; at speed 20, ~22 s real. */
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 20.0));

    msg = g_dbus_message_new_method_call("org.libvirt", WEB1, ID, "Save");
    msg_args = g_variant_new("(ssu)", file, "", 0);
    g_dbus_message_set_body(msg, msg_args);
    g_assert_true(g_dbus_connection_send_message(fx.conn, msg, G_DBUS_SEND_MESSAGE_FLAGS_NONE,
                                                 &serial, NULL));

    /* Wait until the job runs with data progress. */
    deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    for (;;) {
        guint64 processed;

        r = call_ok(&fx, WEB1, "org.xenvirt.Domain1", "GetJobProgress", NULL);
        g_variant_get(r, "(&s&sttttx)", &job, NULL, &processed, NULL, NULL, NULL, NULL);
        if (g_str_equal(job, "save") && processed > 0)
            break;
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_clear_pointer(&r, g_variant_unref);
        g_usleep(20000);
    }
    g_clear_pointer(&r, g_variant_unref);
    /* Reads during the job */
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    r = call_ok(&fx, WEB1, ID, "GetJobInfo", NULL);
    {
        gint32 type;
        guint64 total;

        get_child0(r, 0, "i", &type);
        get_child0(r, 3, "t", &total);
        g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_BOUNDED);
        g_assert_cmpuint(total, >, 0);
    }
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
    CALL_OK(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", 0));
    /* QUERYs run beside the save (never behind it): the vcpu stats, the
     * vcpus with their cpus, the host */
    r = call_ok(&fx, WEB1, ID, "GetStats", g_variant_new("(uu)", VIR_DOMAIN_STATS_VCPU, 0));
    {
        gint32 vstate = -1;

        g_assert_true(lookup0(r, "vcpu.0.state", "i", &vstate));
        g_assert_cmpint(vstate, !=, VIR_VCPU_OFFLINE);
    }
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, WEB1, "org.xenvirt.Domain1", "GetVcpuInfo", g_variant_new("(u)", 0));
    g_assert_cmpuint(n_children0(r), ==, 2);
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, CONN, "org.xenvirt.Host1", "NodeGetInfo", NULL);
    r = call_ok(&fx, WEB1, "org.xenvirt.Domain1", "GetJobProgress", NULL);
    g_variant_get(r, "(&s&sttttx)", &job, NULL, NULL, NULL, NULL, NULL, NULL);
    g_assert_cmpstr(job, ==, "save");    /* still saving: they did not wait for it */
    g_clear_pointer(&r, g_variant_unref);
    {
        GVariant *s = wait_signal(&fx, "JobProgress", WEB1, NULL);
        g_autoptr(GVariant) args = g_variant_get_child_value(s, 3);
        const char *sjob;

        g_variant_get(args, "(&s&sttttx)", &sjob, NULL, NULL, NULL, NULL, NULL, NULL);
        g_assert_cmpstr(sjob, ==, "save");
    }

    g_ptr_array_set_size(fx.signals, 0);
    CALL_OK(&fx, WEB1, ID, "AbortJob", NULL);
    wait_signal(&fx, "JobCompleted", WEB1, NULL);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
    r = call_ok(&fx, WEB1, ID, "GetJobStats", g_variant_new("(u)", VIR_DOMAIN_JOB_STATS_COMPLETED));
    {
        gint32 type;

        g_variant_get(r, "((i@a{sv}))", &type, NULL);
        g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_CANCELLED);
    }
    g_clear_pointer(&r, g_variant_unref);
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0));
    xv_fixture_teardown(&fx);
}

/* ---- xenvirt's own interfaces ------------------------------------------- */

static void
test_host_iface(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *xml = NULL;
    const char *out, *name, *path;
    guint32 domid, fdomid;
    g_autoptr(GVariantIter) it = NULL;
    gboolean found = FALSE;
    int state, reason;

    if (!fixture_or_skip(&fx, NULL))
        return;
    xml = xv_fixture_domain_xml(&fx, "web1");
    r = call_ok(&fx, CONN, "org.xenvirt.Host1", "DomainXMLToNative",
                g_variant_new("(ssu)", "xen-xl", xml, 0));
    g_variant_get(r, "(&s)", &out);
    g_assert_nonnull(strstr(out, "name = \"web1\""));
    {
        g_autofree char *cfg = g_strdup(out);
        g_autoptr(GVariant) r2 = call_ok(&fx, CONN, "org.xenvirt.Host1", "DomainXMLFromNative",
                                         g_variant_new("(ssu)", "xen-xl", cfg, 0));
        const char *back;

        g_variant_get(r2, "(&s)", &back);
        g_assert_nonnull(strstr(back, "<name>web1</name>"));
    }
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, "org.xenvirt.Host1", "DomainXMLToNative",
                g_variant_new("(ssu)", "libxl-json", xml, 0));
    g_variant_get(r, "(&s)", &out);
    g_assert_nonnull(strstr(out, "\"c_info\""));
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, CONN, "org.xenvirt.Host1", "DomainXMLToNative",
             g_variant_new("(ssu)", "qemu-argv", xml, 0), "org.libvirt.Error",
             "unsupported config type qemu-argv");

    /* A foreign domain, adopted */
    r = call_ok(&fx, CONN, "org.xenvirt.Sim1", "SimCreateForeign", g_variant_new("(su)", xml, 0));
    g_variant_get(r, "(u)", &fdomid);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, "org.xenvirt.Host1", "ListForeignDomains", NULL);
    g_variant_get(r, "(a(uss))", &it);
    while (g_variant_iter_next(it, "(u&s&s)", &domid, &name, NULL))
        if (domid == fdomid && g_str_equal(name, "web1"))
            found = TRUE;
    g_assert_true(found);
    g_clear_pointer(&r, g_variant_unref);
    r = call_ok(&fx, CONN, "org.xenvirt.Host1", "AdoptDomain", g_variant_new("(uu)", fdomid, 0));
    g_variant_get(r, "(&o)", &path);
    g_assert_cmpstr(path, ==, WEB1);
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_clear_pointer(&r, g_variant_unref);

    /* Sim control: behaviour and guest actions */
    {
        GVariantBuilder b;
        gint64 delay = 0;

        g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&b, "{sv}", "shutdown-delay-ms", g_variant_new_int64(1234));
        CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimSetBehaviour",
                g_variant_new("(ua{sv})", fdomid, &b));
        r = call_ok(&fx, CONN, "org.xenvirt.Sim1", "SimGetBehaviour", g_variant_new("(u)", fdomid));
        g_assert_true(lookup0(r, "shutdown-delay-ms", "x",
                                       &delay));
        g_assert_cmpint(delay, ==, 1234);
        g_clear_pointer(&r, g_variant_unref);
        g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&b, "{sv}", "bogus", g_variant_new_int64(1));
        call_err(&fx, CONN, "org.xenvirt.Sim1", "SimSetBehaviour",
                 g_variant_new("(ua{sv})", fdomid, &b), "org.libvirt.Error", "unknown guest behaviour");
    }
    g_ptr_array_set_size(fx.signals, 0);
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimGuestAction", g_variant_new("(us)", fdomid, "crash"));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    /* on_crash=restart: the driver boots it again (before any fault is armed) */
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    wait_state(&fx, WEB1, VIR_DOMAIN_RUNNING);
    r = call_ok(&fx, CONN, "org.xenvirt.Sim1", "SimListFaultSteps", NULL);
    g_assert_cmpuint(n_children0(r), >, 0);
    g_clear_pointer(&r, g_variant_unref);

    /* An injected fault: the start fails, nothing changes */
    define(&fx, "pvh1");
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimArmFault", g_variant_new("(s)", "create:alloc"));
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) rr = xv_fixture_call(&fx, PVH1, ID, "Create", g_variant_new("(u)", 0),
                                                 &error);

        g_autofree char *remote = NULL;

        g_assert_null(rr);
        remote = g_dbus_error_get_remote_error(error);
        g_assert_cmpstr(remote, ==, "org.libvirt.Error");
        g_assert_nonnull(strstr(error->message, "injected fault at step 'create:alloc'"));
        get_state(&fx, PVH1, &state, &reason);
        g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    }
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimClearFaults", NULL);
    call_err(&fx, CONN, "org.xenvirt.Sim1", "SimArmFault", g_variant_new("(s)", "no-such-step"),
             "org.libvirt.Error", "no-such-step");
    xv_fixture_teardown(&fx);
}

/* ---- virNodeGetInfo and virDomainGetVcpus (xenvirt's interfaces) --------- */

/* Host1.NodeGetInfo is virNodeInfo from the host's physinfo: the sim's
 * (8 cpus on one node, 64 GiB, cpu_khz 2400000), agreeing with the
 * libvirt-dbus members that see the same host; a physinfo failure is an
 * org.libvirt.Error naming what could not be read. */
static void
test_node_info(void)
{
    XvFixture fx;
    g_autoptr(GVariant) r = NULL;
    const char *model;
    guint64 memory, total = 0;
    guint32 cpus, mhz, nodes, sockets, cores, threads, online;

    if (!fixture_or_skip(&fx, NULL))
        return;
    r = call_ok(&fx, CONN, "org.xenvirt.Host1", "NodeGetInfo", NULL);
    g_assert_true(g_variant_is_of_type(r, G_VARIANT_TYPE("(stuuuuuu)")));
    g_variant_get(r, "(&stuuuuuu)", &model, &memory, &cpus, &mhz, &nodes, &sockets, &cores,
                  &threads);
    g_assert_cmpstr(model, ==, "x86_64");
    g_assert_cmpuint(mhz, ==, 2400);
    g_assert_cmpuint(cpus, ==, 8);
    g_assert_cmpuint(nodes, ==, 1);
    g_assert_cmpuint(sockets, ==, 1);
    g_assert_cmpuint(cores, ==, 8);
    g_assert_cmpuint(threads, ==, 1);
    g_assert_cmpuint(nodes * sockets * cores * threads, ==, cpus);
    g_assert_cmpuint(memory, ==, 64 * 1024 * 1024);
    {
        g_autoptr(GVariant) m = call_ok(&fx, CONN, IC, "NodeGetMemoryStats",
                                        g_variant_new("(iu)", -1, 0));

        g_assert_true(lookup0(m, "total", "t", &total));
        g_assert_cmpuint(memory, ==, total);
    }
    {
        g_autoptr(GVariant) c = call_ok(&fx, CONN, IC, "NodeGetCPUMap", g_variant_new("(u)", 0));
        g_autoptr(GVariantIter) it = NULL;
        gboolean on;

        online = 0;
        g_variant_get(c, "(ab)", &it);
        while (g_variant_iter_next(it, "b", &on))
            online += on ? 1 : 0;
        g_assert_cmpuint(online, ==, cpus);
    }
    g_clear_pointer(&r, g_variant_unref);

    /* the hypervisor cannot tell: an error, not zeros */
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimArmFault", g_variant_new("(s)", "physinfo"));
    call_err(&fx, CONN, "org.xenvirt.Host1", "NodeGetInfo", NULL, "org.libvirt.Error",
             "cannot read the host's node information");
    /* one failure only: the next call answers again */
    CALL_OK(&fx, CONN, "org.xenvirt.Host1", "NodeGetInfo", NULL);
    /* no arguments are taken */
    call_err(&fx, CONN, "org.xenvirt.Host1", "NodeGetInfo", g_variant_new("(u)", 0),
             "org.freedesktop.DBus.Error.InvalidArgs", "");
    xv_fixture_teardown(&fx);
}

/* Every key of a stats record is one libvirt documents for the groups the
 * Xen driver reports (virConnectGetAllDomainStats: state, cpu-total,
 * balloon, vcpu), with libvirt's typed-parameter type: a client written
 * for libvirt reads them unchanged, and nothing is invented beside them. */
static void
assert_libvirt_stats(GVariant *rec)
{
    static const struct {
        const char *re;
        const char *type;
    } keys[] = {
        { "^state\\.(state|reason)$", "i" },
        { "^cpu\\.(time|user|system)$", "t" },
        { "^balloon\\.(current|maximum|swap_in|swap_out|major_fault|minor_fault|unused|"
          "available|rss|usable|last-update|disk_caches|hugetlb_pgalloc|hugetlb_pgfail)$", "t" },
        { "^vcpu\\.(current|maximum)$", "u" },
        { "^vcpu\\.[0-9]+\\.state$", "i" },
        { "^vcpu\\.[0-9]+\\.(time|wait|delay)$", "t" },
        { "^vcpu\\.[0-9]+\\.halted$", "b" },
    };
    GVariantIter it;
    const char *key;
    GVariant *v;

    g_variant_iter_init(&it, rec);
    while (g_variant_iter_loop(&it, "{&sv}", &key, &v)) {
        gboolean known = FALSE;

        for (gsize i = 0; i < G_N_ELEMENTS(keys) && !known; i++) {
            if (!g_regex_match_simple(keys[i].re, key, 0, 0))
                continue;
            known = TRUE;
            if (!g_str_equal(g_variant_get_type_string(v), keys[i].type))
                g_error("stats key '%s' has type '%s', libvirt's is '%s'", key,
                        g_variant_get_type_string(v), keys[i].type);
        }
        if (!known)
            g_error("stats key '%s' is not one of libvirt's", key);
    }
}

static GVariant *
vcpu_stats(XvFixture *fx, const char *path)
{
    g_autoptr(GVariant) r = call_ok(fx, path, ID, "GetStats",
                                    g_variant_new("(uu)", VIR_DOMAIN_STATS_VCPU, 0));
    GVariant *rec = g_variant_get_child_value(r, 0);

    assert_libvirt_stats(rec);
    return rec;
}

/* Domain1.GetVcpuInfo entry for vcpu 'n' (virVcpuInfo). */
static void
vcpu_info(XvFixture *fx, const char *path, guint n, gint32 *state, guint64 *time_ns, gint32 *cpu)
{
    g_autoptr(GVariant) r = call_ok(fx, path, "org.xenvirt.Domain1", "GetVcpuInfo",
                                    g_variant_new("(u)", 0));
    g_autoptr(GVariant) list = g_variant_get_child_value(r, 0);
    guint32 number;

    g_assert_cmpuint(n, <, g_variant_n_children(list));
    g_variant_get_child(list, n, "(uiti)", &number, state, time_ns, cpu);
    g_assert_cmpuint(number, ==, n);
}

/* GetStats' vcpu group as libvirt's libxl driver reports it (vcpu.current,
 * vcpu.maximum, and for a running domain vcpu.<n>.state and .time from
 * libxl_list_vcpu), and Domain1.GetVcpuInfo with the physical cpu of each
 * vcpu, through start, vcpu hot-unplug, pinning and destroy. */
static void
test_vcpu_stats(void)
{
    XvFixture fx;
    g_autoptr(GVariant) rec = NULL;
    g_autoptr(GVariant) r = NULL;
    guint32 u = 0;
    gint32 i32 = -1, state, cpu;
    guint64 t0 = 0, t1 = 0, t;

    if (!fixture_or_skip(&fx, NULL))
        return;
    define(&fx, "web1");

    /* inactive: the counts from the definition, nothing per vcpu */
    rec = vcpu_stats(&fx, WEB1);
    g_assert_true(g_variant_lookup(rec, "vcpu.current", "u", &u));
    g_assert_cmpuint(u, ==, 2);
    g_assert_true(g_variant_lookup(rec, "vcpu.maximum", "u", &u));
    g_assert_cmpuint(u, ==, 2);
    g_assert_false(g_variant_lookup(rec, "vcpu.0.state", "i", &i32));
    g_assert_false(g_variant_lookup(rec, "vcpu.0.time", "t", &t));
    g_clear_pointer(&rec, g_variant_unref);
    call_err(&fx, WEB1, "org.xenvirt.Domain1", "GetVcpuInfo", g_variant_new("(u)", 0),
             "org.libvirt.Error", "domain is not running");

    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    rec = vcpu_stats(&fx, WEB1);
    g_assert_true(g_variant_lookup(rec, "vcpu.0.state", "i", &i32));
    g_assert_cmpint(i32, ==, VIR_VCPU_RUNNING);
    g_assert_true(g_variant_lookup(rec, "vcpu.1.state", "i", &i32));
    g_assert_cmpint(i32, ==, VIR_VCPU_RUNNING);
    g_assert_true(g_variant_lookup(rec, "vcpu.0.time", "t", &t0));
    g_assert_true(g_variant_lookup(rec, "vcpu.1.time", "t", &t));
    g_assert_false(g_variant_lookup(rec, "vcpu.2.state", "i", &i32));
    g_clear_pointer(&rec, g_variant_unref);

    /* the same vcpus through GetVcpuInfo, with the physical cpu: the sim
     * runs vcpu n on the nth cpu of its affinity (all 8 here) */
    vcpu_info(&fx, WEB1, 0, &state, &t1, &cpu);
    g_assert_cmpint(state, ==, VIR_VCPU_RUNNING);
    g_assert_cmpint(cpu, ==, 0);
    g_assert_cmpuint(t1, >=, t0);   /* cpu time only grows */
    g_assert_cmpuint(t1, >, 0);
    vcpu_info(&fx, WEB1, 1, &state, &t, &cpu);
    g_assert_cmpint(state, ==, VIR_VCPU_RUNNING);
    g_assert_cmpint(cpu, ==, 1);
    call_err(&fx, WEB1, "org.xenvirt.Domain1", "GetVcpuInfo", g_variant_new("(u)", 1),
             "org.libvirt.Error", "unsupported flags (0x1)");

    /* pinned to cpu 3: it runs there */
    {
        GVariantBuilder mb;

        g_variant_builder_init(&mb, G_VARIANT_TYPE("ab"));
        for (int c = 0; c < 8; c++)
            g_variant_builder_add(&mb, "b", c == 3);
        CALL_OK(&fx, WEB1, ID, "PinVcpu",
                g_variant_new("(uabu)", 0, &mb, VIR_DOMAIN_AFFECT_LIVE));
    }
    vcpu_info(&fx, WEB1, 0, &state, &t, &cpu);
    g_assert_cmpint(cpu, ==, 3);

    /* one vcpu unplugged: still listed up to the maximum, offline, no cpu */
    CALL_OK(&fx, WEB1, ID, "SetVcpus", g_variant_new("(uu)", 1, VIR_DOMAIN_AFFECT_LIVE));
    rec = vcpu_stats(&fx, WEB1);
    g_assert_true(g_variant_lookup(rec, "vcpu.current", "u", &u));
    g_assert_cmpuint(u, ==, 1);
    g_assert_true(g_variant_lookup(rec, "vcpu.maximum", "u", &u));
    g_assert_cmpuint(u, ==, 2);
    g_assert_true(g_variant_lookup(rec, "vcpu.0.state", "i", &i32));
    g_assert_cmpint(i32, ==, VIR_VCPU_RUNNING);
    g_assert_true(g_variant_lookup(rec, "vcpu.1.state", "i", &i32));
    g_assert_cmpint(i32, ==, VIR_VCPU_OFFLINE);
    g_clear_pointer(&rec, g_variant_unref);
    vcpu_info(&fx, WEB1, 1, &state, &t, &cpu);
    g_assert_cmpint(state, ==, VIR_VCPU_OFFLINE);
    g_assert_cmpint(cpu, ==, -1);

    /* every group at once (stats 0): still only libvirt's keys */
    r = call_ok(&fx, WEB1, ID, "GetStats", g_variant_new("(uu)", 0, 0));
    {
        g_autoptr(GVariant) all = g_variant_get_child_value(r, 0);

        assert_libvirt_stats(all);
        g_assert_true(g_variant_lookup(all, "cpu.time", "t", &t));
        g_assert_true(g_variant_lookup(all, "vcpu.0.time", "t", &t));
    }
    g_clear_pointer(&r, g_variant_unref);

    /* GetAllDomainStats: the same vcpu keys for the running domain, none
     * for a shut off one */
    define(&fx, "pvh1");
    r = call_ok(&fx, CONN, IC, "GetAllDomainStats", g_variant_new("(uu)", VIR_DOMAIN_STATS_VCPU, 0));
    {
        g_autoptr(GVariantIter) it = NULL;
        const char *path;
        GVariant *one;
        guint seen = 0;

        /* records named by the domain's object path (as a string) */
        g_variant_get(r, "(a(sa{sv}))", &it);
        while (g_variant_iter_loop(it, "(&s@a{sv})", &path, &one)) {
            gboolean running = g_str_equal(path, WEB1);

            g_assert_true(running || g_str_equal(path, PVH1));
            assert_libvirt_stats(one);
            g_assert_true(g_variant_lookup(one, "vcpu.current", "u", &u));
            g_assert_cmpint(g_variant_lookup(one, "vcpu.0.state", "i", &i32), ==, running);
            g_assert_cmpint(g_variant_lookup(one, "vcpu.0.time", "t", &t), ==, running);
            seen++;
        }
        g_assert_cmpuint(seen, ==, 2);
    }
    g_clear_pointer(&r, g_variant_unref);

    /* destroyed: back to the counts only */
    CALL_OK(&fx, WEB1, ID, "Destroy", g_variant_new("(u)", 0));
    rec = vcpu_stats(&fx, WEB1);
    g_assert_true(g_variant_lookup(rec, "vcpu.current", "u", &u));
    g_assert_false(g_variant_lookup(rec, "vcpu.0.state", "i", &i32));
    g_clear_pointer(&rec, g_variant_unref);
    call_err(&fx, WEB1, "org.xenvirt.Domain1", "GetVcpuInfo", g_variant_new("(u)", 0),
             "org.libvirt.Error", "domain is not running");
    xv_fixture_teardown(&fx);
}

/* ---- peer to peer --------------------------------------------------------- */

static void
p2p_signal(GDBusConnection *c, const char *sender, const char *path, const char *iface,
           const char *member, GVariant *params, gpointer data)
{
    if (g_str_equal(member, "DomainEvent"))
        (*(int *)data)++;
}

static void
test_p2p(void)
{
    XvFixture fx;
    g_autoptr(GError) error = NULL;
    g_autoptr(GDBusConnection) c = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *xml = NULL;
    int events = 0;
    gint64 deadline;

    if (!fixture_or_skip(&fx, NULL))
        return;
    c = g_dbus_connection_new_for_address_sync(fx.p2p_addr,
                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                               NULL, NULL, &error);
    g_assert_no_error(error);
    g_dbus_connection_signal_subscribe(c, NULL, "org.libvirt.Connect", "DomainEvent", CONN, NULL,
                                       G_DBUS_SIGNAL_FLAGS_NONE, p2p_signal, &events, NULL);
    r = g_dbus_connection_call_sync(c, NULL, CONN, IC, "ListDomains", g_variant_new("(u)", 0),
                                    G_VARIANT_TYPE("(ao)"), 0, -1, NULL, &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    xml = xv_fixture_domain_xml(&fx, "web1");
    r = g_dbus_connection_call_sync(c, NULL, CONN, IC, "DomainDefineXML", g_variant_new("(s)", xml),
                                    G_VARIANT_TYPE("(o)"), 0, -1, NULL, &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    r = g_dbus_connection_call_sync(c, NULL, WEB1, ID, "Create", g_variant_new("(u)", 0), NULL, 0,
                                    -1, NULL, &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    while (events < 2 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE) || (g_usleep(5000), TRUE);
    g_assert_cmpint(events, >=, 2);   /* DEFINED, STARTED */
    /* The bus client sees the same domain */
    {
        int state, reason;

        get_state(&fx, WEB1, &state, &reason);
        g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    }
    g_dbus_connection_close_sync(c, NULL, NULL);
    xv_fixture_teardown(&fx);
}

/* ---- access control ---------------------------------------------------- */

static void
test_access(void)
{
    XvFixture fx;
    g_autofree char *client = NULL, *out = NULL, *err = NULL;
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    g_autoptr(GError) error = NULL;
    int status = -1, state, reason;
    g_autoptr(GVariant) v = NULL;

    if (geteuid() != 0) {
        g_test_skip("needs root to run the client as 'nobody' (setpriv); CI runs as root");
        return;
    }
    if (setpriv == NULL) {
        g_test_skip("setpriv (util-linux) is not installed");
        return;
    }
    if (!fixture_or_skip(&fx, NULL))
        return;
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    {
        g_autofree char *sock = g_strdup(fx.p2p_addr + strlen("unix:path="));

        g_chmod(sock, 0777);
    }
    client = g_build_filename(g_getenv("XV_BUILDDIR"), "tests", "daemon", "xv-access-client", NULL);
    {
        char *argv[] = { setpriv, (char *)"--reuid=nobody", (char *)"--regid=nogroup",
                         (char *)"--clear-groups", client, fx.p2p_addr, NULL };

        g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                                   &status, &error));
    }
    g_test_message("client as nobody:\n%s%s", out, err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(out, "read ListDomains ok"));
    g_assert_nonnull(strstr(out, "write Destroy denied"));
    /* Nothing changed */
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    v = get_prop(&fx, WEB1, ID, "Autostart");
    g_assert_false(g_variant_get_boolean(v));
    {
        g_autoptr(GVariant) r = call_ok(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));

        g_assert_cmpuint(n_children0(r), ==, 2);
    }
    /* The same calls as root over the same listener succeed (root client). */
    {
        g_autofree char *rout = NULL;
        char *argv[] = { client, fx.p2p_addr, (char *)"--expect-privileged", NULL };

        g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &rout, NULL,
                                   &status, &error));
        g_test_message("client as root:\n%s", rout);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_assert_nonnull(strstr(rout, "write Destroy ok"));
    }
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    xv_fixture_teardown(&fx);
}

/* ---- bad input ------------------------------------------------------------- */

static void
test_bad_input(void)
{
    XvFixture fx;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *remote = NULL;
    GString *huge;

    if (!fixture_or_skip(&fx, "[limits]\nmax_message_size=65536\n"))
        return;
    define(&fx, "web1");

    /* Wrong argument types: GDBus's own clear error */
    r = xv_fixture_call(&fx, CONN, IC, "ListDomains", g_variant_new("(s)", "x"), &error);
    g_assert_null(r);
    remote = g_dbus_error_get_remote_error(error);
    g_assert_cmpstr(remote, ==, "org.freedesktop.DBus.Error.InvalidArgs");
    g_clear_error(&error);
    g_clear_pointer(&remote, g_free);
    r = xv_fixture_call(&fx, WEB1, ID, "SetMemory", g_variant_new("(su)", "1", 0), &error);
    g_assert_null(r);
    g_assert_nonnull(strstr(error->message, "(tu)"));
    g_clear_error(&error);

    /* Unknown object paths, invalid UUIDs */
    call_err(&fx, "/org/libvirt/Xen/domain/_bogus", ID, "GetState", g_variant_new("(u)", 0),
             "org.libvirt.Error", "is not a domain object path");
    call_err(&fx, "/org/libvirt/Xen/domain/_11111111_2222_3333_4444_555555555555", ID, "GetState",
             g_variant_new("(u)", 0), "org.libvirt.Error", "Domain not found");
    call_err(&fx, CONN, IC, "DomainLookupByUUID", g_variant_new("(s)", "not-a-uuid"),
             "org.libvirt.Error", "");
    call_err(&fx, CONN, IC, "DomainLookupByID", g_variant_new("(i)", -5), "org.libvirt.Error",
             "Domain not found");
    r = xv_fixture_call(&fx, "/org/libvirt/Nowhere", IC, "ListDomains", g_variant_new("(u)", 0),
                        &error);
    g_assert_null(r);
    g_clear_error(&error);

    /* Huge XML: refused before any work */
    huge = g_string_new("<domain type='xen'><name>big</name><description>");
    while (huge->len < 200000)
        g_string_append(huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    g_string_append(huge, "</description></domain>");
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", huge->str), "org.libvirt.Error",
             "max_message_size");
    g_string_free(huge, TRUE);
    /* Broken XML */
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", "<domain"), "org.libvirt.Error",
             "");

    /* Unknown flags */
    call_err(&fx, WEB1, ID, "GetState", g_variant_new("(u)", 1u << 20), "org.libvirt.Error",
             "unsupported flags");
    call_err(&fx, WEB1, ID, "Create", g_variant_new("(u)", 1u << 30), "org.libvirt.Error",
             "invalid argument");
    call_err(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 1u << 31), "org.libvirt.Error",
             "invalid argument");
    call_err(&fx, WEB1, ID, "GetXMLDesc", g_variant_new("(u)", 1u << 25), "org.libvirt.Error",
             "invalid argument");

    /* Unknown properties and interfaces */
    call_err(&fx, WEB1, "org.freedesktop.DBus.Properties", "Get",
             g_variant_new("(ss)", ID, "Nope"), "org.freedesktop.DBus.Error.InvalidArgs",
             "No such property");

    /* Still serving */
    {
        int state, reason;

        get_state(&fx, WEB1, &state, &reason);
        g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    }
    CALL_OK(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
    xv_fixture_teardown(&fx);
}

/* ---- limits -------------------------------------------------------------------- */

static void
test_limits(void)
{
    XvFixture fx;
    g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func(g_object_unref);
    gboolean refused = FALSE;

    if (!fixture_or_skip(&fx, "[limits]\nmax_clients=3\n"))
        return;
    /* fx.conn is client 1; open more until one is refused */
    CALL_OK(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
    for (int i = 0; i < 4; i++) {
        g_autoptr(GError) error = NULL;
        GDBusConnection *c = g_dbus_connection_new_for_address_sync(
            fx.bus_addr,
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
            NULL, NULL, &error);
        g_autoptr(GVariant) r = NULL;

        g_assert_no_error(error);
        g_ptr_array_add(extra, c);
        r = g_dbus_connection_call_sync(c, "org.libvirt", CONN, IC, "ListDomains",
                                        g_variant_new("(u)", 0), NULL, 0, -1, NULL, &error);
        if (r == NULL) {
            g_assert_nonnull(strstr(error->message, "too many clients"));
            refused = TRUE;
        }
    }
    CALL_OK(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
    g_assert_true(refused);
    /* Clients that leave free their place */
    for (guint i = 0; i < extra->len; i++)
        g_dbus_connection_close_sync(g_ptr_array_index(extra, i), NULL, NULL);
    g_ptr_array_set_size(extra, 0);
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = NULL;
        GDBusConnection *c = NULL;

        for (int i = 0; i < 200 && r == NULL; i++) {
            g_clear_error(&error);
            g_clear_object(&c);
            c = g_dbus_connection_new_for_address_sync(
                fx.bus_addr,
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                NULL, NULL, NULL);
            r = g_dbus_connection_call_sync(c, "org.libvirt", CONN, IC, "ListDomains",
                                            g_variant_new("(u)", 0), NULL, 0, -1, NULL, &error);
            if (r == NULL)
                g_usleep(20000);
        }
        g_assert_nonnull(r);
        g_dbus_connection_close_sync(c, NULL, NULL);
        g_object_unref(c);
    }
    xv_fixture_teardown(&fx);
}

/* ---- SIGTERM and restart ------------------------------------------------------ */

static void
test_sigterm(void)
{
    XvFixture fx;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) v = NULL;
    g_autofree char *status_file = NULL;
    guint32 id_before, id_after;
    int state, reason;

    if (!fixture_or_skip(&fx, NULL))
        return;
    define(&fx, "web1");
    CALL_OK(&fx, WEB1, ID, "Create", g_variant_new("(u)", 0));
    v = get_prop(&fx, WEB1, ID, "Id");
    id_before = g_variant_get_uint32(v);
    g_clear_pointer(&v, g_variant_unref);

    g_assert_cmpint(xv_fixture_stop_daemon(&fx, SIGTERM), ==, 0);
    status_file = g_build_filename(fx.tmp, "root", "run",
                                   "4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61.xml", NULL);
    g_assert_true(g_file_test(status_file, G_FILE_TEST_IS_REGULAR));

    g_assert_true(xv_fixture_start_daemon(&fx, &error));
    g_assert_no_error(error);
    get_state(&fx, WEB1, &state, &reason);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    v = get_prop(&fx, WEB1, ID, "Id");
    id_after = g_variant_get_uint32(v);
    g_assert_cmpuint(id_after, ==, id_before);
    /* and it is still managed */
    CALL_OK(&fx, WEB1, ID, "Destroy", g_variant_new("(u)", 0));
    wait_event(&fx, WEB1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    xv_fixture_teardown(&fx);
}

/* ---- pending calls per client ------------------------------------------------ */

static void
on_async_reply(GObject *source, GAsyncResult *res, gpointer data)
{
    GPtrArray *results = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);

    g_ptr_array_add(results, r != NULL ? g_strdup("ok") : g_strdup(error->message));
}

static GDBusConnection *
new_bus_client(XvFixture *fx)
{
    g_autoptr(GError) error = NULL;
    GDBusConnection *c = g_dbus_connection_new_for_address_sync(
        fx->bus_addr,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, &error);

    g_assert_no_error(error);
    return c;
}

/* The call from 'c' fails with a message containing 'text'. */
static void
client_call_err(GDBusConnection *c, const char *path, const char *iface, const char *method,
                GVariant *args, const char *text)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = g_dbus_connection_call_sync(c, "org.libvirt", path, iface, method,
                                                        args, NULL, 0, 60000, NULL, &error);

    if (r != NULL)
        g_error("%s.%s succeeded, expected an error containing '%s'", iface, method, text);
    if (strstr(error->message, text) == NULL)
        g_error("%s.%s: expected an error containing '%s', got: %s", iface, method, text,
                error->message);
}

/* Three saves from one client fill its max_pending_calls_per_client (3):
 * with max_async_jobs=1 one runs (slowed by the sim) and two wait in the
 * host queue, all observable through GetJobCounts, so nothing depends on
 * timing.  The client's next calls — fast-path reads and a slow-path
 * write alike — are refused with a clear error; other clients are served;
 * once the saves are aborted the client is served again. */
static void
test_pending_limit(void)
{
    XvFixture fx;
    g_autoptr(GDBusConnection) c = NULL;
    g_autoptr(GDBusConnection) other = NULL;
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *xml = NULL;
    guint running = 0, queued = 0;
    gint64 deadline;
    int state, reason;

    if (!fixture_or_skip(&fx, "[limits]\nmax_pending_calls_per_client=3\n"
                              "[jobs]\nmax_async_jobs=1\nwait_timeout=3600\n"))
        return;
    for (guint i = 1; i <= 3; i++) {
        g_autofree char *name = g_strdup_printf("hold%u", i);
        g_autofree char *path = xv_fixture_clone_path(i);
        g_autofree char *dxml = xv_fixture_clone_xml(&fx, name, i);

        CALL_OK(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", dxml));
        CALL_OK(&fx, path, ID, "Create", g_variant_new("(u)", 0));
    }
    /* 1 GiB guests at speed 1000: each save would last many minutes. */
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 1000.0));

    c = new_bus_client(&fx);
    for (guint i = 1; i <= 3; i++) {
        g_autofree char *path = xv_fixture_clone_path(i);
        g_autofree char *file = g_strdup_printf("%s/hold%u.save", fx.tmp, i);

        g_dbus_connection_call(c, "org.libvirt", path, ID, "Save",
                               g_variant_new("(ssu)", file, "", 0), NULL, 0, G_MAXINT, NULL,
                               on_async_reply, results);
    }
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (running != 1 || queued != 2) {
        g_autoptr(GVariant) r = call_ok(&fx, CONN, "org.xenvirt.Host1", "GetJobCounts", NULL);

        g_variant_get(r, "(uu)", &running, &queued);
        if (g_get_monotonic_time() > deadline)
            g_error("the three saves never showed up as 1 running + 2 queued (%u + %u)", running,
                    queued);
        g_main_context_iteration(NULL, FALSE);
        g_usleep(10000);
    }
    g_assert_cmpuint(results->len, ==, 0);

    /* The client is at its limit: reads (fast path) and writes are refused. */
    {
        g_autofree char *p1 = xv_fixture_clone_path(1);

        client_call_err(c, p1, ID, "GetState", g_variant_new("(u)", 0),
                        "too many pending calls from this client (limit 3");
    }
    client_call_err(c, CONN, IC, "ListDomains", g_variant_new("(u)", 0),
                    "max_pending_calls_per_client");
    xml = xv_fixture_clone_xml(&fx, "hold9", 9);
    client_call_err(c, CONN, IC, "DomainDefineXML", g_variant_new("(s)", xml),
                    "too many pending calls from this client");
    call_err(&fx, CONN, IC, "DomainLookupByName", g_variant_new("(s)", "hold9"),
             "org.libvirt.Error", "Domain not found");

    /* Other clients are unaffected. */
    {
        g_autofree char *p1 = xv_fixture_clone_path(1);
        g_autoptr(GVariant) r = NULL;

        get_state(&fx, p1, &state, &reason);
        g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
        CALL_OK(&fx, CONN, IC, "ListDomains", g_variant_new("(u)", 0));
        other = new_bus_client(&fx);
        r = g_dbus_connection_call_sync(other, "org.libvirt", p1, ID, "GetState",
                                        g_variant_new("(u)", 0), NULL, 0, 60000, NULL, NULL);
        g_assert_nonnull(r);
    }

    /* Abort the saves (the queued ones first): the client's calls end... */
    for (guint i = 3; i >= 1; i--) {
        g_autofree char *path = xv_fixture_clone_path(i);

        CALL_OK(&fx, path, ID, "AbortJob", NULL);
    }
    deadline = g_get_monotonic_time() + 120 * G_USEC_PER_SEC;
    while (results->len < 3 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE) || (g_usleep(5000), TRUE);
    g_assert_cmpuint(results->len, ==, 3);
    for (guint i = 0; i < results->len; i++) {
        const char *res = g_ptr_array_index(results, i);

        g_test_message("save %u: %s", i + 1, res);
        g_assert_nonnull(strstr(res, "abort"));
    }
    /* ...and it is served again. */
    {
        g_autofree char *p1 = xv_fixture_clone_path(1);
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(c, "org.libvirt", p1, ID, "GetState",
                                                            g_variant_new("(u)", 0), NULL, 0,
                                                            60000, NULL, NULL);

        g_assert_nonnull(r);
        g_variant_get(r, "((ii))", &state, &reason);
        g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    }
    CALL_OK(&fx, CONN, "org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0));
    g_dbus_connection_close_sync(c, NULL, NULL);
    g_dbus_connection_close_sync(other, NULL, NULL);
    xv_fixture_teardown(&fx);
}

/* ---- SIGHUP reloads the configuration ------------------------------------------ */

static char *
padded_domain_xml(XvFixture *fx, const char *name, guint n, gsize size)
{
    g_autofree char *xml = xv_fixture_clone_xml(fx, name, n);
    g_auto(GStrv) parts = g_strsplit(xml, "</name>", 2);
    GString *pad = g_string_new("</name>\n  <description>");

    while (pad->len < size)
        g_string_append(pad, "padding padding padding padding padding padding padding padding ");
    g_string_append(pad, "</description>");
    {
        g_autofree char *sep = g_string_free(pad, FALSE);

        return g_strjoinv(sep, parts);
    }
}

/* Wait until the daemon's log contains 'text' (FALSE after 30 s). */
static gboolean
wait_log(XvFixture *fx, const char *text, guint occurrence)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

    while (g_get_monotonic_time() < deadline) {
        g_autofree char *log = xv_fixture_daemon_log(fx);
        const char *p = log;
        guint n = 0;

        while ((p = strstr(p, text)) != NULL) {
            n++;
            p++;
        }
        if (n >= occurrence)
            return TRUE;
        g_usleep(10000);
    }
    return FALSE;
}

static void
test_sighup(void)
{
    XvFixture fx;
    g_autofree char *big = NULL, *huge = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!fixture_or_skip(&fx, "[limits]\nmax_message_size=65536\n"))
        return;
    big = padded_domain_xml(&fx, "big1", 1, 200 * 1024);
    huge = padded_domain_xml(&fx, "big2", 2, 2 * 1024 * 1024);
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", big), "org.libvirt.Error",
             "max_message_size");

    /* A larger limit, reloaded on SIGHUP: the same call now passes. */
    g_assert_true(g_file_set_contents(fx.config, "[limits]\nmax_message_size=1048576\n", -1, NULL));
    g_assert_cmpint(kill(fx.daemon_pid, SIGHUP), ==, 0);
    g_assert_true(wait_log(&fx, "configuration reloaded from", 1));
    r = call_ok(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", big));
    g_clear_pointer(&r, g_variant_unref);
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", huge), "org.libvirt.Error",
             "more than the limit of 1048576 (max_message_size)");

    /* A broken file: the daemon says so and keeps the configuration it has
     * (1 MiB, not the 4 MiB default: the huge call is still refused). */
    g_assert_true(g_file_set_contents(fx.config, "[limits]\nmax_message_size=banana\n", -1, NULL));
    g_assert_cmpint(kill(fx.daemon_pid, SIGHUP), ==, 0);
    g_assert_true(wait_log(&fx, "configuration not reloaded", 1));
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", huge), "org.libvirt.Error",
             "more than the limit of 1048576 (max_message_size)");
    CALL_OK(&fx, CONN, IC, "DomainLookupByName", g_variant_new("(s)", "big1"));

    /* Back to a small limit. */
    g_assert_true(g_file_set_contents(fx.config, "[limits]\nmax_message_size=65536\n", -1, NULL));
    g_assert_cmpint(kill(fx.daemon_pid, SIGHUP), ==, 0);
    g_assert_true(wait_log(&fx, "configuration reloaded from", 2));
    call_err(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", big), "org.libvirt.Error",
             "more than the limit of 65536 (max_message_size)");
    xv_fixture_teardown(&fx);
}

/* ---- OSType follows the definition (cached, dropped on redefinition) ----------- */

static void
test_ostype(void)
{
    XvFixture fx;
    g_autofree char *xml = NULL, *pvh = NULL;
    g_autoptr(GVariant) v = NULL;
    g_autoptr(GVariant) r = NULL;
    const char *os = NULL;

    if (!fixture_or_skip(&fx, NULL))
        return;
    xml = xv_fixture_domain_xml(&fx, "web1");
    CALL_OK(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", xml));
    for (int i = 0; i < 3; i++) {   /* the first read fills the cache, the others use it */
        v = get_prop(&fx, WEB1, ID, "OSType");
        g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xen");
        g_clear_pointer(&v, g_variant_unref);
    }

    /* Redefined as a PVH guest: the next read sees it at once. */
    {
        g_auto(GStrv) parts = g_strsplit(xml, "<type arch='x86_64' machine='xenpv'>linux</type>", 2);

        g_assert_cmpuint(g_strv_length(parts), ==, 2);
        pvh = g_strjoinv("<type arch='x86_64' machine='xenpvh'>xenpvh</type>", parts);
    }
    CALL_OK(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", pvh));
    v = get_prop(&fx, WEB1, ID, "OSType");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xenpvh");
    g_clear_pointer(&v, g_variant_unref);
    r = call_ok(&fx, WEB1, "org.freedesktop.DBus.Properties", "GetAll", g_variant_new("(s)", ID));
    g_assert_true(lookup0(r, "OSType", "&s", &os));
    g_assert_cmpstr(os, ==, "xenpvh");
    g_clear_pointer(&r, g_variant_unref);

    /* Undefined and defined again as it was. */
    CALL_OK(&fx, WEB1, ID, "Undefine", g_variant_new("(u)", 0));
    CALL_OK(&fx, CONN, IC, "DomainDefineXML", g_variant_new("(s)", xml));
    v = get_prop(&fx, WEB1, ID, "OSType");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xen");
    g_clear_pointer(&v, g_variant_unref);
    /* Domain-0 */
    v = get_prop(&fx, DOM0, ID, "OSType");
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, "xen");
    xv_fixture_teardown(&fx);
}

/* ---- the bus policy and the daemon agree ------------------------------------ */

static void
test_policy(void)
{
    g_autofree char *exe = NULL, *out = NULL, *policy = NULL, *file = NULL;
    g_auto(GStrv) lines = NULL;
    int status, reads = 0;

    if (g_getenv("XV_BUILDDIR") == NULL || g_getenv("XV_SRCDIR") == NULL) {
        g_test_skip("XV_BUILDDIR/XV_SRCDIR not set (run through meson test)");
        return;
    }
    exe = g_build_filename(g_getenv("XV_BUILDDIR"), "daemon", "xenvirtd", NULL);
    file = g_build_filename(g_getenv("XV_SRCDIR"), "data", "org.libvirt.xenvirt.conf", NULL);
    {
        char *argv[] = { exe, (char *)"--dump-access", NULL };

        g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                                   &status, NULL));
    }
    g_assert_true(g_file_get_contents(file, &policy, NULL, NULL));
    lines = g_strsplit(out, "\n", -1);
    for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", 3);
        g_autofree char *rule = g_strdup_printf("send_interface=\"%s\" send_member=\"%s\"", f[0],
                                                f[1]);
        gboolean in_policy = strstr(policy, rule) != NULL;

        if (g_str_equal(f[2], "read")) {
            reads++;
            if (!in_policy)
                g_error("read method %s.%s is missing from the bus policy", f[0], f[1]);
        } else if (in_policy) {
            g_error("write method %s.%s is allowed to everybody by the bus policy", f[0], f[1]);
        }
    }
    g_assert_cmpint(reads, >, 50);
}

/* ---- the installed bus policy on a system-type bus -------------------------- */

static const char policy_bus_conf[] =
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>system</type>\n"
    "  <listen>unix:path=%s/bus</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"   /* the defaults of Debian's system.conf */
    "    <allow user=\"*\"/>\n"
    "    <deny own=\"*\"/>\n"
    "    <deny send_type=\"method_call\"/>\n"
    "    <allow send_type=\"signal\"/>\n"
    "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
    "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
    "    <allow receive_type=\"method_call\"/>\n"
    "    <allow receive_type=\"method_return\"/>\n"
    "    <allow receive_type=\"error\"/>\n"
    "    <allow receive_type=\"signal\"/>\n"
    "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus\"/>\n"
    "  </policy>\n"
    "  <include>%s/data/org.libvirt.xenvirt.conf</include>\n"
    "</busconfig>\n";

/* gdbus call as 'nobody' (setpriv); returns its stdout+stderr. */
static char *
gdbus_as_nobody(const char *setpriv, const char *gdbus, const char *addr, const char *dest,
                const char *method, const char *arg)
{
    g_autofree char *env = g_strdup_printf("DBUS_SYSTEM_BUS_ADDRESS=%s", addr);
    char *argv[] = { (char *)"env", env, (char *)setpriv, (char *)"--reuid=nobody",
                     (char *)"--regid=nogroup", (char *)"--clear-groups", (char *)gdbus,
                     (char *)"call", (char *)"--system", (char *)"-d", (char *)dest, (char *)"-o",
                     (char *)CONN, (char *)"-m", (char *)method, (char *)arg, NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                               &status, NULL));
    return g_strconcat(out, err, NULL);
}

/* data/org.libvirt.xenvirt.conf on a system-type dbus-daemon: root owns
 * both names; 'nobody' reads and is refused writes by the bus itself,
 * whether it addresses org.libvirt or org.xenvirt (dbus-daemon matches
 * send_destination against every name the receiver owns). */
static void
test_system_policy(void)
{
    g_autofree char *dbus = g_find_program_in_path("dbus-daemon");
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    g_autofree char *gdbus = g_find_program_in_path("gdbus");
    g_autofree char *tmp = NULL, *conf = NULL, *conf_file = NULL, *addr = NULL, *sock = NULL;
    g_autofree char *exe = NULL, *root = NULL, *sim = NULL;
    g_autoptr(GDBusConnection) c = NULL;
    GPid bus_pid = 0, daemon_pid = 0;
    gboolean owned = FALSE;
    int status;

    if (geteuid() != 0) {
        g_test_skip("needs root to own the names and to run a client as 'nobody'");
        return;
    }
    if (dbus == NULL || setpriv == NULL || gdbus == NULL || g_getenv("XV_BUILDDIR") == NULL ||
        g_getenv("XV_SRCDIR") == NULL) {
        g_test_skip("needs dbus-daemon, setpriv, gdbus and XV_BUILDDIR/XV_SRCDIR (meson test)");
        return;
    }
    tmp = g_dir_make_tmp("xv-policy-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    g_chmod(tmp, 0755);
    conf = g_strdup_printf(policy_bus_conf, tmp, g_getenv("XV_SRCDIR"));
    conf_file = g_build_filename(tmp, "bus.conf", NULL);
    g_assert_true(g_file_set_contents(conf_file, conf, -1, NULL));
    addr = g_strdup_printf("unix:path=%s/bus", tmp);
    sock = g_build_filename(tmp, "bus", NULL);
    {
        g_autofree char *cf = g_strdup_printf("--config-file=%s", conf_file);
        char *argv[] = { dbus, cf, (char *)"--nofork", (char *)"--nopidfile", NULL };

        g_assert_true(g_spawn_async(NULL, argv, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                        G_SPAWN_STDERR_TO_DEV_NULL,
                                    NULL, NULL, &bus_pid, NULL));
    }
    for (int i = 0; i < 200 && c == NULL; i++) {
        c = g_dbus_connection_new_for_address_sync(
            addr, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                      G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, NULL);
        if (c == NULL)
            g_usleep(50000);
    }
    g_assert_nonnull(c);
    g_chmod(sock, 0777);

    exe = g_build_filename(g_getenv("XV_BUILDDIR"), "daemon", "xenvirtd", NULL);
    root = g_build_filename(tmp, "root", NULL);
    sim = g_strdup_printf("sim:%s/sim", tmp);
    {
        char *argv[] = { exe, (char *)"--session", (char *)"--root", root, (char *)"--hypervisor",
                         sim, (char *)"--no-autostart", NULL };
        g_auto(GStrv) envp = g_get_environ();

        envp = g_environ_setenv(envp, "DBUS_SESSION_BUS_ADDRESS", addr, TRUE);
        envp = g_environ_setenv(envp, "XV_SIM_SPEED", "0", TRUE);
        envp = g_environ_unsetenv(envp, "G_DEBUG");
        g_assert_true(g_spawn_async(NULL, argv, envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                    NULL, NULL, &daemon_pid, NULL));
    }
    for (int i = 0; i < 400 && !owned; i++) {
        g_autoptr(GVariant) a = g_dbus_connection_call_sync(
            c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", g_variant_new("(s)", "org.libvirt"), G_VARIANT_TYPE("(b)"), 0, -1,
            NULL, NULL);
        g_autoptr(GVariant) b = g_dbus_connection_call_sync(
            c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", g_variant_new("(s)", "org.xenvirt"), G_VARIANT_TYPE("(b)"), 0, -1,
            NULL, NULL);
        gboolean ha = FALSE, hb = FALSE;

        if (a != NULL && b != NULL) {
            g_variant_get(a, "(b)", &ha);
            g_variant_get(b, "(b)", &hb);
        }
        owned = ha && hb;
        if (!owned)
            g_usleep(25000);
    }
    g_assert_true(owned);

    for (guint i = 0; i < 2; i++) {
        const char *dest = i == 0 ? "org.libvirt" : "org.xenvirt";
        g_autofree char *rd = gdbus_as_nobody(setpriv, gdbus, addr, dest,
                                              "org.libvirt.Connect.ListDomains", "0");
        g_autofree char *wr = gdbus_as_nobody(setpriv, gdbus, addr, dest,
                                              "org.libvirt.Connect.DomainDefineXML", "<domain/>");

        g_test_message("%s: read -> %s; write -> %s", dest, rd, wr);
        g_assert_nonnull(strstr(rd, DOM0));
        g_assert_nonnull(strstr(wr, "org.freedesktop.DBus.Error.AccessDenied"));
    }
    {
        g_autofree char *ni = gdbus_as_nobody(setpriv, gdbus, addr, "org.libvirt",
                                              "org.xenvirt.Host1.NodeGetInfo", NULL);

        g_test_message("NodeGetInfo as nobody -> %s", ni);
        g_assert_nonnull(strstr(ni, "('x86_64', "));
    }
    /* root may write: the daemon itself answers (here: the XML is bad) */
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
            c, "org.xenvirt", CONN, IC, "DomainDefineXML", g_variant_new("(s)", "<domain/>"),
            NULL, 0, 30000, NULL, &error);
        g_autofree char *remote = NULL;

        g_assert_null(r);
        remote = g_dbus_error_get_remote_error(error);
        g_assert_cmpstr(remote, ==, "org.libvirt.Error");
    }

    kill(daemon_pid, SIGTERM);
    waitpid(daemon_pid, &status, 0);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    g_dbus_connection_close_sync(c, NULL, NULL);
    kill(bus_pid, SIGTERM);
    waitpid(bus_pid, &status, 0);
    if (g_getenv("XV_TEST_KEEP") == NULL) {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);

        g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon/connect/members", test_connect);
    g_test_add_func("/daemon/domain/lifecycle-events", test_lifecycle);
    g_test_add_func("/daemon/domain/tuning-reads", test_tuning);
    g_test_add_func("/daemon/domain/save-restore-dump", test_save_restore);
    g_test_add_func("/daemon/domain/devices-metadata-balloon", test_devices_metadata);
    g_test_add_func("/daemon/jobs/progress-and-abort", test_job_progress_abort);
    g_test_add_func("/daemon/host/native-foreign-sim", test_host_iface);
    g_test_add_func("/daemon/host/node-info", test_node_info);
    g_test_add_func("/daemon/domain/vcpu-stats", test_vcpu_stats);
    g_test_add_func("/daemon/transport/peer-to-peer", test_p2p);
    g_test_add_func("/daemon/access/unprivileged-read-only", test_access);
    g_test_add_func("/daemon/input/bad-input", test_bad_input);
    g_test_add_func("/daemon/limits/max-clients", test_limits);
    g_test_add_func("/daemon/limits/max-pending-calls", test_pending_limit);
    g_test_add_func("/daemon/lifecycle/sighup-reload", test_sighup);
    g_test_add_func("/daemon/domain/ostype-follows-definition", test_ostype);
    g_test_add_func("/daemon/lifecycle/sigterm-restart", test_sigterm);
    g_test_add_func("/daemon/policy/matches-daemon", test_policy);
    g_test_add_func("/daemon/policy/system-bus", test_system_policy);
    return g_test_run();
}
