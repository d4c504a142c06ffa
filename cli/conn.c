/*
 * conn.c: xvirsh's D-Bus connection, URI handling, call helpers.
 */
#include "cli/conn.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cli/xvirsh.h"
#include "util/xv-error.h"

typedef enum {
    XV_TRANSPORT_SYSTEM,
    XV_TRANSPORT_SESSION,
    XV_TRANSPORT_SOCKET,
} XvTransport;

static struct {
    GDBusConnection *conn;      /* owned; NULL until first use */
    char *uri;                  /* the URI in effect */
    char *bus_name;             /* NULL for peer-to-peer */
    char *where;                /* bus address or socket path, for messages */
    XvTransport transport;
    guint ncalls;
} conn_state;

const char *
xv_conn_uri(void)
{
    if (conn_state.uri == NULL) {
        const char *env = g_getenv("XENVIRT_DEFAULT_URI");

        if (xv_ctl.uri != NULL)
            conn_state.uri = g_strdup(xv_ctl.uri);
        else if (env != NULL && *env != '\0')
            conn_state.uri = g_strdup(env);
        else
            conn_state.uri = g_strdup("xen:///system");
    }
    return conn_state.uri;
}

gboolean
xv_conn_is_open(void)
{
    return conn_state.conn != NULL;
}

guint
xv_conn_call_count(void)
{
    return conn_state.ncalls;
}

void
xv_conn_close(void)
{
    if (conn_state.conn != NULL)
        g_dbus_connection_close_sync(conn_state.conn, NULL, NULL);
    g_clear_object(&conn_state.conn);
    g_clear_pointer(&conn_state.uri, g_free);
    g_clear_pointer(&conn_state.bus_name, g_free);
    g_clear_pointer(&conn_state.where, g_free);
}

/* Split "xen[+unix]:///system[?k=v&k=v]" into transport, bus name, socket. */
static gboolean
parse_uri(const char *uri, XvTransport *transport, char **bus_name, char **socket,
          GError **error)
{
    g_autofree char *scheme = NULL;
    g_autofree char *path = NULL;
    g_autofree char *query = NULL;
    g_autoptr(GUri) parsed = NULL;
    g_autoptr(GError) local = NULL;

    parsed = g_uri_parse(uri, G_URI_FLAGS_ENCODED_QUERY, &local);
    if (parsed == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("invalid connection URI '%1$s': %2$s"), uri, local->message);
        return FALSE;
    }
    scheme = g_strdup(g_uri_get_scheme(parsed));
    path = g_strdup(g_uri_get_path(parsed));
    *bus_name = g_strdup(XV_DBUS_NAME);
    *socket = NULL;
    if (g_uri_get_query(parsed) != NULL) {
        g_autoptr(GHashTable) params =
            g_uri_parse_params(g_uri_get_query(parsed), -1, "&", G_URI_PARAMS_NONE, &local);

        if (params == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("invalid connection URI '%1$s': %2$s"), uri, local->message);
            return FALSE;
        }
        if (g_hash_table_contains(params, "socket"))
            *socket = g_strdup(g_hash_table_lookup(params, "socket"));
        if (g_hash_table_contains(params, "name")) {
            g_free(*bus_name);
            *bus_name = g_strdup(g_hash_table_lookup(params, "name"));
        }
    }
    if ((g_uri_get_host(parsed) != NULL && *g_uri_get_host(parsed) != '\0') ||
        (!g_str_equal(path, "/system") && !g_str_equal(path, "/session"))) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported connection URI '%s': expected xen:///system, xen:///session "
                      "or xen+unix:///system?socket=PATH"), uri);
        return FALSE;
    }
    if (g_str_equal(scheme, "xen")) {
        *transport = g_str_equal(path, "/system") ? XV_TRANSPORT_SYSTEM : XV_TRANSPORT_SESSION;
    } else if (g_str_equal(scheme, "xen+unix")) {
        *transport = XV_TRANSPORT_SOCKET;
        if (*socket == NULL) {
            *socket = g_str_equal(path, "/system")
                ? g_strdup(RUNSTATEDIR "/xenvirt/xenvirtd-sock")
                : g_build_filename(g_get_user_runtime_dir(), "xenvirt", "xenvirtd-sock", NULL);
        }
    } else {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported connection URI '%s': expected xen:///system, xen:///session "
                      "or xen+unix:///system?socket=PATH"), uri);
        return FALSE;
    }
    return TRUE;
}

static const char *start_hint_fmt(void);

/* The hint, with the socket path filled in. */
static const char *
start_hint(void)
{
    static char *hint;

    g_free(hint);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    hint = g_strdup_printf(start_hint_fmt(), conn_state.where != NULL ? conn_state.where : "");
#pragma GCC diagnostic pop
    return hint;
}

static const char *
start_hint_fmt(void)
{
    switch (conn_state.transport) {
    case XV_TRANSPORT_SYSTEM:
        return _("start the daemon with 'systemctl start xenvirtd' (or run 'xenvirtd --system' as root)");
    case XV_TRANSPORT_SESSION:
        return _("start the daemon with 'xenvirtd --session'");
    case XV_TRANSPORT_SOCKET:
    default:
        /* TRANSLATORS: %s is the socket path */
        return _("start the daemon with 'xenvirtd --listen unix:path=%s'");
    }
}

GDBusConnection *
xv_conn_get(GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autofree char *socket = NULL;
    g_autofree char *bus_name = NULL;
    const char *uri = xv_conn_uri();

    if (conn_state.conn != NULL)
        return conn_state.conn;
    if (!parse_uri(uri, &conn_state.transport, &bus_name, &socket, error))
        return NULL;

    if (conn_state.transport == XV_TRANSPORT_SOCKET) {
        g_autofree char *address = NULL;
        g_autofree char *escaped = g_dbus_address_escape_value(socket);

        address = g_strdup_printf("unix:path=%s", escaped);
        g_free(conn_state.where);
        conn_state.where = g_strdup(socket);
        conn_state.conn = g_dbus_connection_new_for_address_sync(
            address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, NULL, &local);
        if (conn_state.conn == NULL) {
            g_dbus_error_strip_remote_error(local);
            g_set_error(error, XV_ERROR, XV_ERROR_NO_CONNECT,
                        _("failed to connect to the hypervisor at '%1$s': cannot connect to "
                          "socket '%2$s': %3$s; %4$s"),
                        uri, socket, local->message, start_hint());
            return NULL;
        }
    } else {
        GBusType type = conn_state.transport == XV_TRANSPORT_SYSTEM ? G_BUS_TYPE_SYSTEM
                                                                    : G_BUS_TYPE_SESSION;
        g_autofree char *address = g_dbus_address_get_for_bus_sync(type, NULL, NULL);

        g_free(conn_state.where);
        conn_state.where = g_strdup(address != NULL ? address : "?");
        conn_state.bus_name = g_steal_pointer(&bus_name);
        conn_state.conn = g_bus_get_sync(type, NULL, &local);
        if (conn_state.conn == NULL) {
            g_dbus_error_strip_remote_error(local);
            g_set_error(error, XV_ERROR, XV_ERROR_NO_CONNECT,
                        _("failed to connect to the hypervisor at '%1$s': cannot connect to "
                          "the %2$s bus at '%3$s': %4$s; %5$s"),
                        uri, type == G_BUS_TYPE_SYSTEM ? "system" : "session",
                        conn_state.where, local->message, start_hint());
            return NULL;
        }
    }
    g_dbus_connection_set_exit_on_close(conn_state.conn, FALSE);
    return conn_state.conn;
}

gboolean
xv_error_is_unreachable(const GError *error)
{
    return error != NULL &&
           (g_error_matches(error, XV_ERROR, XV_ERROR_NO_CONNECT) ||
            g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
            g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
            g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED));
}

void
xv_error_strip_remote(GError *error)
{
    if (error != NULL)
        g_dbus_error_strip_remote_error(error);
}

/* Rewrite an error from a call: strip the remote prefix; a missing daemon
 * becomes the connection failure message. */
static void
fix_call_error(GError **error)
{
    if (error == NULL || *error == NULL)
        return;
    if (g_error_matches(*error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
        g_error_matches(*error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
        GError *e = g_error_new(XV_ERROR, XV_ERROR_NO_CONNECT,
                                _("failed to connect to the hypervisor at '%1$s': no xenvirtd owns "
                                  "the name '%2$s' on the %3$s bus at '%4$s'; %5$s"),
                                xv_conn_uri(), conn_state.bus_name,
                                conn_state.transport == XV_TRANSPORT_SYSTEM ? "system" : "session",
                                conn_state.where, start_hint());
        g_error_free(*error);
        *error = e;
        return;
    }
    if (g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CLOSED)) {
        GError *e = g_error_new(XV_ERROR, XV_ERROR_NO_CONNECT,
                                _("failed to connect to the hypervisor at '%1$s': the connection "
                                  "to '%2$s' was closed; %3$s"),
                                xv_conn_uri(), conn_state.where, start_hint());
        g_error_free(*error);
        *error = e;
        return;
    }
    g_dbus_error_strip_remote_error(*error);
}

GVariant *
xv_call(const char *path, const char *iface, const char *method, GVariant *params,
        const GVariantType *reply_type, int timeout_ms, GError **error)
{
    GDBusConnection *c = xv_conn_get(error);
    GVariant *ret;

    if (c == NULL) {
        if (params != NULL)
            g_variant_unref(g_variant_ref_sink(params));
        return NULL;
    }
    conn_state.ncalls++;
    ret = g_dbus_connection_call_sync(c, conn_state.bus_name, path, iface, method, params,
                                      reply_type, G_DBUS_CALL_FLAGS_NONE, timeout_ms, NULL, error);
    if (ret == NULL)
        fix_call_error(error);
    return ret;
}

void
xv_call_async(const char *path, const char *iface, const char *method, GVariant *params,
              const GVariantType *reply_type, GAsyncReadyCallback cb, gpointer data)
{
    conn_state.ncalls++;
    g_dbus_connection_call(conn_state.conn, conn_state.bus_name, path, iface, method, params,
                           reply_type, G_DBUS_CALL_FLAGS_NONE, G_MAXINT, NULL, cb, data);
}

GVariant *
xv_call_finish(GAsyncResult *res, GError **error)
{
    GVariant *ret = g_dbus_connection_call_finish(conn_state.conn, res, error);

    if (ret == NULL)
        fix_call_error(error);
    return ret;
}

GVariant *
xv_get_property(const char *path, const char *iface, const char *prop, GError **error)
{
    g_autoptr(GVariant) reply =
        xv_call(path, "org.freedesktop.DBus.Properties", "Get", g_variant_new("(ss)", iface, prop),
                G_VARIANT_TYPE("(v)"), -1, error);
    GVariant *value = NULL;

    if (reply == NULL)
        return NULL;
    g_variant_get(reply, "(v)", &value);
    return value;
}

GVariant *
xv_get_all_properties(const char *path, const char *iface, GError **error)
{
    g_autoptr(GVariant) reply =
        xv_call(path, "org.freedesktop.DBus.Properties", "GetAll", g_variant_new("(s)", iface),
                G_VARIANT_TYPE("(a{sv})"), -1, error);

    if (reply == NULL)
        return NULL;
    return g_variant_get_child_value(reply, 0);
}

void
xv_domain_ref_free(XvDomainRef *ref)
{
    if (ref == NULL)
        return;
    g_free(ref->path);
    g_free(ref->name);
    g_free(ref->uuid);
    g_clear_pointer(&ref->props, g_variant_unref);
    g_free(ref);
}

char *
xv_domain_path_for_uuid(const char *uuid)
{
    g_autofree char *u = g_strdup(uuid);

    g_strdelimit(u, "-", '_');
    return g_strconcat(XV_DOMAIN_PATH_PREFIX, u, NULL);
}

XvDomainRef *
xv_domain_ref_from_path(const char *path, GError **error)
{
    g_autoptr(GVariant) props = xv_get_all_properties(path, XV_DOMAIN_IFACE, error);
    XvDomainRef *ref;

    if (props == NULL)
        return NULL;
    ref = g_new0(XvDomainRef, 1);
    ref->path = g_strdup(path);
    if (!g_variant_lookup(props, "Name", "s", &ref->name))
        ref->name = g_strdup("?");
    if (!g_variant_lookup(props, "UUID", "s", &ref->uuid))
        ref->uuid = g_strdup("");
    ref->props = g_variant_ref(props);
    return ref;
}

static gboolean
is_uuid(const char *s)
{
    return g_uuid_string_is_valid(s);
}

XvDomainRef *
xv_domain_lookup(const char *spec, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(GVariant) reply = NULL;
    const char *path = NULL;
    char *end = NULL;
    gint64 id;

    if (xv_conn_get(error) == NULL)
        return NULL;
    id = g_ascii_strtoll(spec, &end, 10);
    if (*spec != '\0' && end != NULL && *end == '\0' && id >= 0 && id <= G_MAXINT32) {
        reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainLookupByID",
                        g_variant_new("(i)", (gint32)id), G_VARIANT_TYPE("(o)"), -1, &local);
    }
    if (reply == NULL && local != NULL && xv_error_is_unreachable(local)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    g_clear_error(&local);
    if (reply == NULL && is_uuid(spec)) {
        reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainLookupByUUID",
                        g_variant_new("(s)", spec), G_VARIANT_TYPE("(o)"), -1, &local);
        g_clear_error(&local);
    }
    if (reply == NULL) {
        reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainLookupByName",
                        g_variant_new("(s)", spec), G_VARIANT_TYPE("(o)"), -1, &local);
        if (reply == NULL && xv_error_is_unreachable(local)) {
            g_propagate_error(error, g_steal_pointer(&local));
            return NULL;
        }
    }
    if (reply == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN, _("failed to get domain '%s'"), spec);
        return NULL;
    }
    g_variant_get(reply, "(&o)", &path);
    return xv_domain_ref_from_path(path, error);
}

gboolean
xv_domain_ref_bool(const XvDomainRef *ref, const char *prop)
{
    gboolean b = FALSE;

    if (ref->props != NULL)
        g_variant_lookup(ref->props, prop, "b", &b);
    return b;
}

guint32
xv_domain_ref_id(const XvDomainRef *ref)
{
    guint32 id = G_MAXUINT32;

    if (!xv_domain_ref_bool(ref, "Active"))
        return G_MAXUINT32;
    if (ref->props != NULL)
        g_variant_lookup(ref->props, "Id", "u", &id);
    return id;
}
