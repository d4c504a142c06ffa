/*
 * xv-access-client.c: run by the access test (as 'nobody' through setpriv,
 * and as root): the same reads and writes against xenvirtd's peer-to-peer
 * listener.  Prints "read|write NAME ok|denied|error: MSG" per call and
 * exits 0 when every result is the expected one: reads succeed; writes are
 * denied with "access denied" unless --expect-privileged.
 */
#include <gio/gio.h>
#include <string.h>

#define CONN "/org/libvirt/Xen"
#define WEB1 "/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_1b2d3e4f5a61"

static int failures;

static void
try_call(GDBusConnection *c, gboolean write, gboolean privileged, const char *path,
         const char *iface, const char *method, GVariant *args)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = g_dbus_connection_call_sync(c, NULL, path, iface, method, args, NULL,
                                                        0, 30000, NULL, &error);
    const char *kind = write ? "write" : "read";

    if (r != NULL) {
        g_print("%s %s ok\n", kind, method);
        if (write && !privileged)
            failures++;
    } else if (strstr(error->message, "access denied") != NULL &&
               strstr(error->message, method) != NULL) {
        g_print("%s %s denied: %s\n", kind, method, error->message);
        if (!write || privileged)
            failures++;
    } else {
        g_print("%s %s error: %s\n", kind, method, error->message);
        failures++;
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GDBusConnection) c = NULL;
    gboolean priv = argc > 2 && g_str_equal(argv[2], "--expect-privileged");

    if (argc < 2) {
        g_printerr("usage: xv-access-client ADDRESS [--expect-privileged]\n");
        return 2;
    }
    c = g_dbus_connection_new_for_address_sync(argv[1],
                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                               NULL, NULL, &error);
    if (c == NULL) {
        g_printerr("cannot connect: %s\n", error->message);
        return 1;
    }
    try_call(c, FALSE, priv, CONN, "org.libvirt.Connect", "ListDomains", g_variant_new("(u)", 0));
    try_call(c, FALSE, priv, WEB1, "org.libvirt.Domain", "GetState", g_variant_new("(u)", 0));
    try_call(c, FALSE, priv, WEB1, "org.libvirt.Domain", "GetXMLDesc", g_variant_new("(u)", 0));
    try_call(c, FALSE, priv, WEB1, "org.freedesktop.DBus.Properties", "Get",
             g_variant_new("(ss)", "org.libvirt.Domain", "Name"));
    try_call(c, FALSE, priv, CONN, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL);
    try_call(c, FALSE, priv, WEB1, "org.xenvirt.Domain1", "GetJobProgress", NULL);
    try_call(c, FALSE, priv, WEB1, "org.xenvirt.Domain1", "GetVcpuInfo", g_variant_new("(u)", 0));
    try_call(c, FALSE, priv, WEB1, "org.libvirt.Domain", "GetStats", g_variant_new("(uu)", 0, 0));
    try_call(c, FALSE, priv, CONN, "org.xenvirt.Host1", "NodeGetInfo", NULL);
    try_call(c, TRUE, priv, CONN, "org.libvirt.Connect", "DomainDefineXML",
             g_variant_new("(s)", "<domain type='xen'><name>intruder</name><memory>65536</memory>"
                                  "<os><type>hvm</type></os></domain>"));
    try_call(c, TRUE, priv, WEB1, "org.freedesktop.DBus.Properties", "Set",
             g_variant_new("(ssv)", "org.libvirt.Domain", "Autostart", g_variant_new_boolean(priv)));
    try_call(c, TRUE, priv, CONN, "org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0));
    if (!priv)   /* secure XML carries passwords: privileged */
        try_call(c, TRUE, priv, WEB1, "org.libvirt.Domain", "GetXMLDesc", g_variant_new("(u)", 1));
    try_call(c, TRUE, priv, WEB1, "org.libvirt.Domain", "Destroy", g_variant_new("(u)", 0));
    g_print("%d unexpected results\n", failures);
    return failures == 0 ? 0 : 1;
}
