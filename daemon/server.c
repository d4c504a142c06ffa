/*
 * server.c: the D-Bus side of xenvirtd — transports, object registration,
 * dispatch through name -> handler tables (GDBus's dispatch on the main
 * thread, and the fast path for reads on GDBus's worker thread), the one
 * admission function (authorization, limits) and the one reply wrapper
 * that turns a GError into org.libvirt.Error.
 */
#include "daemon/daemon.h"
#include "daemon/access.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "drivers/libxl/host-sim.h"

/* ---- clients -------------------------------------------------------------- */

/* One D-Bus peer: a unique bus name, or a peer-to-peer connection. */
struct _XvClient {
    gint refs;                 /* atomic */
    char *key;                 /* immutable */
    uid_t uid;                 /* immutable once 'known' */
    gboolean known;            /* uid resolved; protected by clients_lock */
    gboolean privileged;       /* immutable once known */
    gboolean over_limit;       /* refused: more than max_clients; immutable */
    guint pending;             /* calls in flight; protected by clients_lock */
    GPtrArray *waiting;        /* calls waiting for the uid; clients_lock */
};

static XvClient *
client_ref(XvClient *c)
{
    g_atomic_int_inc(&c->refs);
    return c;
}

static void
client_unref(XvClient *c)
{
    if (c == NULL || !g_atomic_int_dec_and_test(&c->refs))
        return;
    g_free(c->key);
    if (c->waiting != NULL)
        g_ptr_array_unref(c->waiting);
    g_free(c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvClient, client_unref)

static gboolean
uid_is_privileged(XvDaemon *d, uid_t uid)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    gid_t groups[256];
    int ngroups = G_N_ELEMENTS(groups);

    if (uid == 0)
        return TRUE;
    if (uid == (uid_t)-1 || d->access_gid == (gid_t)-1)
        return FALSE;
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
        return FALSE;
    if (pw.pw_gid == d->access_gid)
        return TRUE;
    if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &ngroups) < 0)
        return FALSE;
    for (int i = 0; i < ngroups; i++)
        if (groups[i] == d->access_gid)
            return TRUE;
    return FALSE;
}

static void
call_free(XvCall *call)
{
    if (call == NULL)
        return;
    g_clear_object(&call->inv);
    g_clear_object(&call->msg);
    g_clear_pointer(&call->params_owned, g_variant_unref);
    g_clear_pointer(&call->dom, xv_domain_obj_unref);
    g_clear_pointer(&call->client, client_unref);
    g_free(call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvCall, call_free)

/* ---- errors ------------------------------------------------------------- */

/* libvirt's virErrorMsg() prefixes, so that clients see the same text as
 * from libvirt-dbus ("Domain not found: ..."). */
static const char *
error_prefix(int code)
{
    switch (code) {
    case VIR_ERR_INTERNAL_ERROR: return _("internal error: ");
    case VIR_ERR_NO_SUPPORT: return _("this function is not supported by the connection driver: ");
    case VIR_ERR_INVALID_ARG: return _("invalid argument: ");
    case VIR_ERR_OPERATION_FAILED: return _("operation failed: ");
    case VIR_ERR_XML_ERROR: return _("XML error: ");
    case VIR_ERR_CONF_SYNTAX: return _("configuration file syntax error: ");
    case VIR_ERR_OPERATION_DENIED: return _("operation forbidden: ");
    case VIR_ERR_NO_DOMAIN: return _("Domain not found: ");
    case VIR_ERR_INVALID_MAC: return _("invalid MAC address: ");
    case VIR_ERR_OPERATION_INVALID: return _("Requested operation is not valid: ");
    case VIR_ERR_CONFIG_UNSUPPORTED: return _("unsupported configuration: ");
    case VIR_ERR_OPERATION_TIMEOUT: return _("Timed out during operation: ");
    case VIR_ERR_ARGUMENT_UNSUPPORTED: return _("argument unsupported: ");
    case VIR_ERR_OPERATION_ABORTED: return _("operation aborted: ");
    case VIR_ERR_NO_DOMAIN_METADATA: return _("metadata not found: ");
    case VIR_ERR_OPERATION_UNSUPPORTED: return _("Operation not supported: ");
    case VIR_ERR_RESOURCE_BUSY: return _("resource busy: ");
    case VIR_ERR_ACCESS_DENIED: return _("access denied: ");
    case VIR_ERR_XML_INVALID_SCHEMA: return _("XML document failed to validate against schema: ");
    case VIR_ERR_DEVICE_MISSING: return _("device not found: ");
    case VIR_ERR_DOM_EXIST: return _("operation failed: ");
    default: return "";
    }
}

char *
xv_daemon_error_message(const GError *error)
{
    const char *prefix = error->domain == XV_ERROR ? error_prefix(error->code) : "";

    if (*prefix == '\0' || g_str_has_prefix(error->message, prefix))
        return g_strdup(error->message);
    return g_strconcat(prefix, error->message, NULL);
}

/* Fast path: the reply message, sent from the filter's thread. */
static void
call_send_message(XvCall *call, GVariant *reply, const char *error_text)
{
    g_autoptr(GDBusMessage) out = NULL;
    g_autoptr(GError) error = NULL;

    if (g_dbus_message_get_flags(call->msg) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED)
        return;
    if (reply != NULL) {
        out = g_dbus_message_new_method_reply(call->msg);
        g_dbus_message_set_body(out, reply);
    } else {
        out = g_dbus_message_new_method_error_literal(call->msg, XV_DBUS_ERROR_NAME, error_text);
    }
    if (!g_dbus_connection_send_message(call->conn, out, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
                                        &error))
        g_debug("cannot send the reply to %s.%s: %s", call->iface, call->member, error->message);
}

/* The one reply wrapper: every handler's result and every refusal goes out
 * through here, whichever path the call took. */
static void
call_reply(XvCall *call, GVariant *reply, GError *error)
{
    g_autofree char *msg = NULL;

    if (reply == NULL) {
        if (error == NULL) {
            g_critical("handler for %s.%s returned neither a reply nor an error", call->iface,
                       call->member);
            msg = g_strdup(_("internal error: the call produced no reply"));
        } else {
            msg = xv_daemon_error_message(error);
        }
        g_debug("%s.%s failed: %s", call->iface, call->member, msg);
    }
    if (call->msg != NULL) {
        /* kept until call_free: path, iface and member point into it */
        call_send_message(call, reply, msg);
    } else if (call->inv != NULL) {
        if (reply != NULL)
            g_dbus_method_invocation_return_value(call->inv, reply);
        else
            g_dbus_method_invocation_return_dbus_error(call->inv, XV_DBUS_ERROR_NAME, msg);
        g_clear_object(&call->inv);
    }
}

gboolean
xv_daemon_check_flags(guint flags, guint allowed, const char *api, GError **error)
{
    if ((flags & ~allowed) == 0)
        return TRUE;
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("unsupported flags (0x%1$x) in function %2$s"), flags & ~allowed, api);
    return FALSE;
}

static void
reply_error(GDBusMethodInvocation *inv, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
reply_error(GDBusMethodInvocation *inv, int code, const char *fmt, ...)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error = g_error_new_literal(XV_ERROR, code, text);
    msg = xv_daemon_error_message(error);
    g_dbus_method_invocation_return_dbus_error(inv, XV_DBUS_ERROR_NAME, msg);
}

/* ---- running calls ------------------------------------------------------- */

static void
call_finish(XvCall *call)
{
    XvDaemon *d = call->d;

    if (call->counted) {
        g_mutex_lock(&d->clients_lock);
        g_assert(call->client->pending > 0);
        call->client->pending--;
        g_mutex_unlock(&d->clients_lock);
    }
    call_free(call);
}

static void
call_run(XvCall *call)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = NULL;

    reply = call->m->func(call, &error);
    if (reply != NULL)
        g_variant_ref_sink(reply);
    call_reply(call, reply, error);
}

void
xv_daemon_pool_func(gpointer data, gpointer user_data)
{
    XvCall *call = data;
    XvDaemon *d = call->d;

    call_run(call);
    call_finish(call);
    g_atomic_int_dec_and_test(&d->n_inflight);
}

static gpointer
long_thread(gpointer data)
{
    XvCall *call = data;
    XvDaemon *d = call->d;

    call_run(call);
    call_finish(call);
    g_atomic_int_dec_and_test(&d->n_long);
    g_atomic_int_dec_and_test(&d->n_inflight);
    return NULL;
}

static void
call_schedule(XvCall *call)
{
    XvDaemon *d = call->d;
    g_autoptr(GError) error = NULL;
    guint max_long;

    switch (call->m->klass) {
    case XV_CALL_INLINE:
        call_run(call);
        call_finish(call);
        return;
    case XV_CALL_WORKER:
    case XV_CALL_PRIORITY:
        g_atomic_int_inc(&d->n_inflight);
        if (!g_thread_pool_push(call->m->klass == XV_CALL_WORKER ? d->workers : d->priority,
                                call, &error)) {
            g_atomic_int_dec_and_test(&d->n_inflight);
            call_reply(call, NULL, error);
            call_finish(call);
        }
        return;
    case XV_CALL_LONG:
        g_mutex_lock(&d->cfg_lock);
        max_long = d->cfg.max_long_jobs;
        g_mutex_unlock(&d->cfg_lock);
        if ((guint)g_atomic_int_add(&d->n_long, 1) >= max_long) {
            g_atomic_int_dec_and_test(&d->n_long);
            error = g_error_new(XV_ERROR, XV_ERROR_RESOURCE_BUSY,
                                _("cannot run '%1$s': the daemon already runs %2$u long jobs (limit max_long_jobs)"),
                                call->member, max_long);
            call_reply(call, NULL, error);
            call_finish(call);
            return;
        }
        g_atomic_int_inc(&d->n_inflight);
        xv_daemon_progress_kick(d);
        {
            GThread *t = g_thread_try_new("xv-job", long_thread, call, &error);

            if (t == NULL) {
                g_atomic_int_dec_and_test(&d->n_long);
                g_atomic_int_dec_and_test(&d->n_inflight);
                call_reply(call, NULL, error);
                call_finish(call);
                return;
            }
            g_thread_unref(t);
        }
        return;
    }
}

/* ---- admission: authorization and limits, then the handler ------------- */

/* The one place that decides whether a call may run, before any work:
 * client limit, message size, access (root or the access group for writes,
 * and for the one flag that turns a read into a privileged one: the table
 * in access.c), the client's pending calls, and the domain the object path
 * names.  On success the call is counted in the client's pending calls and,
 * on a domain object, holds the domain.  In a polkit build, a write from
 * anybody else returns TRUE with *ask_polkit set and nothing counted: the
 * caller asks polkit and admits the call again once it said yes. */
static gboolean
call_admit(XvCall *call, gboolean *ask_polkit, GError **error)
{
    XvDaemon *d = call->d;
    guint max_pending;
    gsize size_limit;
    g_autofree char *group = NULL;
    gboolean over;
    gboolean secure = FALSE;

    call->uid = call->client->uid;
    call->privileged = call->client->privileged;
    if (call->client->over_limit) {
        g_set_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY,
                    _("too many clients are connected to the daemon (limit max_clients); call %1$s.%2$s refused"),
                    call->iface, call->member);
        return FALSE;
    }

    g_mutex_lock(&d->cfg_lock);
    size_limit = d->cfg.max_message_size;
    max_pending = d->cfg.max_pending_calls;
    group = g_strdup(d->cfg.access_group);
    g_mutex_unlock(&d->cfg_lock);
    if (g_variant_get_size(call->params) > size_limit) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("the arguments of %1$s.%2$s are %3$zu bytes, more than the limit of %4$zu (max_message_size)"),
                    call->iface, call->member, g_variant_get_size(call->params), size_limit);
        return FALSE;
    }

    /* Secure XML carries passwords: a privileged read. */
    if (g_str_equal(call->member, "GetXMLDesc") &&
        g_variant_is_of_type(call->params, G_VARIANT_TYPE("(u)"))) {
        guint32 flags = 0;

        g_variant_get(call->params, "(u)", &flags);
        secure = (flags & VIR_DOMAIN_XML_SECURE) != 0;
    }
    switch (xv_access_decide(call->m->write, secure, call->privileged || call->polkit_granted,
                             d->polkit != NULL)) {
    case XV_ACCESS_ALLOW:
        break;
    case XV_ACCESS_ASK_POLKIT:
        /* Decided by polkit (call_authorized); nothing is counted yet. */
        *ask_polkit = TRUE;
        return TRUE;
    case XV_ACCESS_DENY:
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_ACCESS_DENIED,
                    _("'%1$s.%2$s' needs write access (root or group '%3$s'); caller uid %4$d may only read"),
                    call->iface, call->member, group, (int)call->uid);
        return FALSE;
    }

    g_mutex_lock(&d->clients_lock);
    over = call->client->pending >= max_pending;
    if (!over)
        call->client->pending++;
    g_mutex_unlock(&d->clients_lock);
    if (over) {
        g_set_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY,
                    _("too many pending calls from this client (limit %1$u, max_pending_calls_per_client); call %2$s.%3$s refused, wait for replies first"),
                    max_pending, call->iface, call->member);
        return FALSE;
    }
    call->counted = TRUE;

    if (g_str_has_prefix(call->path, XV_DAEMON_DOMAIN_PATH "/")) {
        guchar uuid[XV_UUID_BUFLEN];

        if (!xv_daemon_path_to_uuid(call->path, uuid, error) ||
            (call->dom = xv_driver_lookup_by_uuid(d->drv, uuid, error)) == NULL)
            return FALSE;
    }
    return TRUE;
}

static gboolean polkit_start(gpointer data);

static void
call_authorized(XvCall *call)
{
    g_autoptr(GError) error = NULL;
    gboolean ask_polkit = FALSE;

    if (!call_admit(call, &ask_polkit, &error)) {
        call_reply(call, NULL, error);
        call_finish(call);
        return;
    }
    if (ask_polkit) {
        /* polkit's answer arrives on the main thread, whichever thread
         * admitted the call (the fast path runs on GDBus's worker). */
        g_main_context_invoke(NULL, polkit_start, call);
        return;
    }
    call_schedule(call);
}

/* Polkit said yes (the call is admitted again, now as granted) or no. */
static void
on_polkit_answer(gboolean authorized, const GError *error, gpointer data)
{
    XvCall *call = data;

    if (!authorized) {
        g_debug("polkit refused %s.%s to uid %d: %s", call->iface, call->member,
                (int)call->uid, error->message);
        call_reply(call, NULL, (GError *)error);
        call_finish(call);
        return;
    }
    call->polkit_granted = TRUE;
    call_authorized(call);
}

/* Main thread: ask polkit about a write from a caller that is neither
 * root nor in the access group.  Subject: the caller's unique name on the
 * system bus; its process (pid, uid, start time) on a peer-to-peer
 * connection.  A session-bus name means nothing to polkit: refused. */
static gboolean
polkit_start(gpointer data)
{
    XvCall *call = data;
    XvDaemon *d = call->d;
    XvAccessSubject subject = { NULL, 0, call->uid };
    g_autofree char *what = g_strdup_printf("%s.%s", call->iface, call->member);
    GDBusMessage *msg = call->inv != NULL ? g_dbus_method_invocation_get_message(call->inv)
                                          : call->msg;
    const char *sender = g_dbus_message_get_sender(msg);
    gboolean interactive = (g_dbus_message_get_flags(msg) &
                            G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;

    if (sender != NULL && !d->system_bus) {
        g_autoptr(GError) error = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                                              _("'%1$s' needs write access (root or the access group): polkit only answers for system-bus and peer-to-peer callers, and caller uid %2$d is on a session bus"),
                                              what, (int)call->uid);

        call_reply(call, NULL, error);
        call_finish(call);
        return G_SOURCE_REMOVE;
    }
    if (sender != NULL) {
        subject.bus_name = sender;
    } else {
        GCredentials *cred = g_dbus_connection_get_peer_credentials(call->conn);

        if (cred != NULL)
            subject.pid = g_credentials_get_unix_pid(cred, NULL);
        if (subject.pid < 0)
            subject.pid = 0;
    }
    xv_access_polkit_check(d->polkit, &subject, what, interactive, on_polkit_answer, call);
    return G_SOURCE_REMOVE;
}

static void
on_unix_user(GObject *source, GAsyncResult *res, gpointer data)
{
    XvClient *client = data;
    XvDaemon *d = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) ret = NULL;
    g_autoptr(GPtrArray) waiting = NULL;
    guint32 uid = (guint32)-1;

    ret = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
    if (ret != NULL)
        g_variant_get(ret, "(u)", &uid);
    else
        g_warning(_("cannot find the uid of D-Bus client %1$s: %2$s"), client->key,
                  error->message);

    g_assert(client->waiting != NULL && client->waiting->len > 0);
    d = ((XvCall *)g_ptr_array_index(client->waiting, 0))->d;
    client->uid = (uid_t)uid;
    client->privileged = uid_is_privileged(d, client->uid);
    g_mutex_lock(&d->clients_lock);
    client->known = TRUE;
    waiting = g_steal_pointer(&client->waiting);
    g_mutex_unlock(&d->clients_lock);
    for (guint i = 0; i < waiting->len; i++)
        call_authorized(g_ptr_array_index(waiting, i));
    client_unref(client);
}

/* The client for a call: found or created, its uid known or being asked. */
static XvClient *
client_for(XvDaemon *d, GDBusConnection *conn, const char *sender)
{
    g_autofree char *key = sender != NULL ? g_strdup(sender) : g_strdup_printf("p2p:%p", conn);
    XvClient *c;
    guint max_clients;

    g_mutex_lock(&d->clients_lock);
    c = g_hash_table_lookup(d->clients, key);
    if (c != NULL) {
        client_ref(c);
        g_mutex_unlock(&d->clients_lock);
        return c;
    }
    g_mutex_lock(&d->cfg_lock);
    max_clients = d->cfg.max_clients;
    g_mutex_unlock(&d->cfg_lock);

    c = g_new0(XvClient, 1);
    c->refs = 1;
    c->key = g_steal_pointer(&key);
    c->uid = (uid_t)-1;
    c->over_limit = g_hash_table_size(d->clients) >= max_clients;
    if (sender == NULL) {
        GCredentials *cred = g_dbus_connection_get_peer_credentials(conn);

        if (cred != NULL)
            c->uid = g_credentials_get_unix_user(cred, NULL);
        c->privileged = uid_is_privileged(d, c->uid);
        c->known = TRUE;
    }
    if (!c->over_limit)
        g_hash_table_insert(d->clients, c->key, client_ref(c));
    g_mutex_unlock(&d->clients_lock);
    return c;
}

static void
client_forget(XvDaemon *d, const char *key)
{
    g_mutex_lock(&d->clients_lock);
    g_hash_table_remove(d->clients, key);
    g_mutex_unlock(&d->clients_lock);
}

/* ---- dispatch -------------------------------------------------------------- */

/* libvirt's API name for a member, from the libvirt-dbus DocString ("See
 * https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainBlockCommit"). */
static char *
member_api_name(GDBusInterfaceInfo *iface, const char *member)
{
    GDBusMethodInfo *mi = g_dbus_interface_info_lookup_method(iface, member);
    const char *doc = mi != NULL ? g_dbus_annotation_info_lookup(mi->annotations,
                                                                 "org.gtk.GDBus.DocString")
                                 : NULL;
    const char *hash = doc != NULL ? strchr(doc, '#') : NULL;
    gsize len = 0;

    if (hash == NULL)
        return g_strdup(member);
    hash++;
    while (g_ascii_isalnum(hash[len]) || hash[len] == '_')
        len++;
    return g_strndup(hash, len);
}

static GDBusInterfaceInfo *
iface_info(XvDaemon *d, const char *name)
{
    GDBusNodeInfo *nodes[] = { d->connect_info, d->domain_info, d->host_info, d->sim_info,
                               d->domain1_info, d->objmgr_info };

    for (gsize i = 0; i < G_N_ELEMENTS(nodes); i++) {
        GDBusInterfaceInfo *ii = g_dbus_node_info_lookup_interface(nodes[i], name);

        if (ii != NULL)
            return ii;
    }
    return NULL;
}

static void
method_call(GDBusConnection *conn, const char *sender, const char *path, const char *iface,
            const char *member, GVariant *params, GDBusMethodInvocation *inv, gpointer data)
{
    XvDaemon *d = data;
    g_autoptr(XvCall) call = NULL;
    GHashTable *table;
    const XvMethod *m;
    XvClient *client;

    if (g_atomic_int_get(&d->stopping)) {
        reply_error(inv, XV_ERROR_OPERATION_INVALID,
                    _("the daemon is shutting down; call %1$s.%2$s refused"), iface, member);
        return;
    }

    if (g_str_equal(iface, "org.freedesktop.DBus.Properties")) {
        /* Get/GetAll/Set(interface_name, ...): the first argument names the
         * interface whose properties are meant. */
        const char *target = NULL;

        g_variant_get_child(params, 0, "&s", &target);
        if (strchr(path + strlen(XV_DAEMON_PATH), '/') != NULL)
            table = g_hash_table_lookup(d->prop_tables, "org.libvirt.Domain");
        else
            table = g_hash_table_lookup(d->prop_tables, "org.libvirt.Connect");
        if (target[0] != '\0' && iface_info(d, target) == NULL) {
            g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE,
                                                  _("No such interface '%s'"), target);
            return;
        }
    } else {
        table = g_hash_table_lookup(d->tables, iface);
    }
    m = table != NULL ? g_hash_table_lookup(table, member) : NULL;
    if (m == NULL) {
        GDBusInterfaceInfo *ii = iface_info(d, iface);
        g_autofree char *api = ii != NULL ? member_api_name(ii, member) : g_strdup(member);

        /* In the interface XML but not something Xen can do: libvirt's answer. */
        reply_error(inv, XV_ERROR_NO_SUPPORT, "%s", api);
        return;
    }

    call = g_new0(XvCall, 1);
    call->d = d;
    call->inv = g_object_ref(inv);
    call->conn = conn;
    call->path = g_dbus_method_invocation_get_object_path(inv);
    call->iface = g_dbus_method_invocation_get_interface_name(inv);
    call->member = g_dbus_method_invocation_get_method_name(inv);
    call->params = params;
    call->m = m;
    client = client_for(d, conn, sender);
    call->client = client;

    g_mutex_lock(&d->clients_lock);
    if (!client->known) {
        gboolean first = client->waiting == NULL;

        if (first)
            client->waiting = g_ptr_array_new();
        g_ptr_array_add(client->waiting, g_steal_pointer(&call));
        g_mutex_unlock(&d->clients_lock);
        if (first)
            g_dbus_connection_call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "GetConnectionUnixUser",
                                   g_variant_new("(s)", sender), G_VARIANT_TYPE("(u)"),
                                   G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_unix_user,
                                   client_ref(client));
        return;
    }
    g_mutex_unlock(&d->clients_lock);
    call_authorized(g_steal_pointer(&call));
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

/* ---- the fast path for reads ------------------------------------------------ */

/*
 * GDBus answers Peer.Ping on its worker thread, but hands every call to a
 * registered object to the thread that registered it (here the main thread):
 * a thread hop and a main-loop wake-up per call.  Reads of daemon state need
 * neither, so a connection filter answers them on the worker thread as
 * they arrive, through the same admission (call_admit) and reply wrapper
 * (call_reply) as every other call.  The filter only takes a call it can
 * answer exactly as the slow path would: a member with an INLINE handler,
 * on an object and interface that are registered, with the arguments the
 * interface XML declares, from a client whose uid is already known.  Any
 * other message goes on unchanged to GDBus's own dispatch.
 */

/* TRUE when 'params' has the in-arguments of 'mi'. */
static gboolean
args_match(GDBusMethodInfo *mi, GVariant *params)
{
    char sig[256];
    gsize len = 0;

    sig[len++] = '(';
    for (guint i = 0; mi->in_args != NULL && mi->in_args[i] != NULL; i++) {
        gsize n = strlen(mi->in_args[i]->signature);

        if (len + n + 2 > sizeof(sig))
            return FALSE;
        memcpy(sig + len, mi->in_args[i]->signature, n);
        len += n;
    }
    sig[len++] = ')';
    sig[len] = '\0';
    return g_str_equal(g_variant_get_type_string(params), sig);
}

/* Is 'iface' registered on 'path' (server.c register_objects / subtree)? */
static gboolean
iface_on_path(XvDaemon *d, const char *path, gboolean domain, const char *iface)
{
    if (domain)
        return g_str_equal(iface, "org.libvirt.Domain") || g_str_equal(iface, "org.xenvirt.Domain1");
    return g_str_equal(iface, "org.libvirt.Connect") || g_str_equal(iface, "org.xenvirt.Host1") ||
           g_str_equal(iface, "org.freedesktop.DBus.ObjectManager") ||
           (d->is_sim && g_str_equal(iface, "org.xenvirt.Sim1"));
}

/* The INLINE handler GDBus would dispatch this call to, or NULL. */
static const XvMethod *
fast_method(XvDaemon *d, const char *path, const char *iface, const char *member,
            GVariant *params)
{
    gboolean domain;
    GHashTable *table;
    const XvMethod *m;
    GDBusInterfaceInfo *ii;

    if (g_str_equal(path, XV_DAEMON_PATH)) {
        domain = FALSE;
    } else if (g_str_has_prefix(path, XV_DAEMON_DOMAIN_PATH "/") &&
               path[strlen(XV_DAEMON_DOMAIN_PATH "/")] != '\0' &&
               strchr(path + strlen(XV_DAEMON_DOMAIN_PATH "/"), '/') == NULL) {
        domain = TRUE;   /* a node of the subtree (GDBus dispatches unenumerated ones) */
    } else {
        return NULL;
    }

    if (g_str_equal(iface, "org.freedesktop.DBus.Properties")) {
        const char *target, *name;
        GDBusPropertyInfo *pi;

        table = g_hash_table_lookup(d->prop_tables,
                                    domain ? "org.libvirt.Domain" : "org.libvirt.Connect");
        m = g_hash_table_lookup(table, member);
        if (m == NULL || m->klass != XV_CALL_INLINE)
            return NULL;
        if (g_str_equal(member, "Get") && g_variant_is_of_type(params, G_VARIANT_TYPE("(ss)"))) {
            g_variant_get(params, "(&s&s)", &target, &name);
            /* GDBus's own checks first: the property exists and is readable. */
            if (!iface_on_path(d, path, domain, target) ||
                (ii = iface_info(d, target)) == NULL ||
                (pi = g_dbus_interface_info_lookup_property(ii, name)) == NULL ||
                !(pi->flags & G_DBUS_PROPERTY_INFO_FLAGS_READABLE))
                return NULL;
            return m;
        }
        if (g_str_equal(member, "GetAll") && g_variant_is_of_type(params, G_VARIANT_TYPE("(s)"))) {
            g_variant_get(params, "(&s)", &target);
            return iface_on_path(d, path, domain, target) ? m : NULL;
        }
        return NULL;
    }

    if (!iface_on_path(d, path, domain, iface) ||
        (table = g_hash_table_lookup(d->tables, iface)) == NULL ||
        (m = g_hash_table_lookup(table, member)) == NULL || m->klass != XV_CALL_INLINE ||
        (ii = iface_info(d, iface)) == NULL)
        return NULL;
    {
        GDBusMethodInfo *mi = g_dbus_interface_info_lookup_method(ii, member);

        if (mi == NULL || !args_match(mi, params))
            return NULL;
    }
    return m;
}

/* A known client (uid resolved, within max_clients), or NULL. */
static XvClient *
fast_client(XvDaemon *d, GDBusConnection *conn, const char *sender)
{
    char key[64];
    XvClient *c;

    if (sender != NULL)
        g_strlcpy(key, sender, sizeof(key));
    else
        g_snprintf(key, sizeof(key), "p2p:%p", conn);
    g_mutex_lock(&d->clients_lock);
    c = g_hash_table_lookup(d->clients, key);
    if (c != NULL && c->known && !c->over_limit)
        client_ref(c);
    else
        c = NULL;
    g_mutex_unlock(&d->clients_lock);
    return c;
}

/* Runs on GDBus's worker thread for every message of the connection. */
static gboolean fast_answer(XvDaemon *d, GDBusConnection *conn, GDBusMessage *msg);

static GDBusMessage *
fast_filter(GDBusConnection *conn, GDBusMessage *msg, gboolean incoming, gpointer data)
{
    XvDaemon *d = data;

    if (!incoming || g_dbus_message_get_message_type(msg) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
        return msg;
    /* Counted before 'stopping' is read: the daemon's teardown waits for
     * n_fast to reach 0 after setting 'stopping'. */
    g_atomic_int_inc(&d->n_fast);
    if (g_atomic_int_get(&d->stopping) || !fast_answer(d, conn, msg)) {
        g_atomic_int_dec_and_test(&d->n_fast);
        return msg;
    }
    g_atomic_int_dec_and_test(&d->n_fast);
    return NULL;
}

/* TRUE when the call was answered (the message is then consumed). */
static gboolean
fast_answer(XvDaemon *d, GDBusConnection *conn, GDBusMessage *msg)
{
    const char *path, *iface, *member;
    GVariant *body;
    g_autoptr(GVariant) empty = NULL;
    const XvMethod *m;
    XvClient *client;
    XvCall *call;

    path = g_dbus_message_get_path(msg);
    iface = g_dbus_message_get_interface(msg);
    member = g_dbus_message_get_member(msg);
    if (path == NULL || iface == NULL || member == NULL)
        return FALSE;
    body = g_dbus_message_get_body(msg);
    if (body == NULL)
        body = empty = g_variant_ref_sink(g_variant_new("()"));
    if (!g_variant_is_of_type(body, G_VARIANT_TYPE_TUPLE) ||
        (m = fast_method(d, path, iface, member, body)) == NULL ||
        (client = fast_client(d, conn, g_dbus_message_get_sender(msg))) == NULL)
        return FALSE;

    call = g_new0(XvCall, 1);
    call->d = d;
    call->msg = msg;   /* the filter's reference: the message stops here */
    call->conn = conn;
    call->path = path;
    call->iface = iface;
    call->member = member;
    call->params = body;
    call->params_owned = g_steal_pointer(&empty);
    call->m = m;
    call->client = client;
    call_authorized(call);
    return TRUE;
}

/* Install the fast path on a connection (before it processes messages). */
static void
fast_path_install(XvDaemon *d, GDBusConnection *conn)
{
    g_dbus_connection_add_filter(conn, fast_filter, d, NULL);
}

/* ---- domain subtree -------------------------------------------------------- */

char *
xv_daemon_domain_path(const guchar *uuid)
{
    char buf[XV_UUID_STRING_BUFLEN];

    xv_uuid_format(uuid, buf);
    g_strdelimit(buf, "-", '_');
    return g_strconcat(XV_DAEMON_DOMAIN_PATH "/_", buf, NULL);
}

gboolean
xv_daemon_path_to_uuid(const char *path, guchar uuid[XV_UUID_BUFLEN], GError **error)
{
    const char *node = path + strlen(XV_DAEMON_DOMAIN_PATH "/");
    g_autofree char *str = NULL;

    if (!g_str_has_prefix(path, XV_DAEMON_DOMAIN_PATH "/") || node[0] != '_' ||
        strlen(node) != XV_UUID_STRING_BUFLEN) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("'%s' is not a domain object path (expected /org/libvirt/Xen/domain/_UUID with '_' for '-')"),
                    path);
        return FALSE;
    }
    str = g_strdup(node + 1);
    g_strdelimit(str, "_", '-');
    if (!xv_uuid_parse(str, uuid, NULL)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("'%s' is not a domain object path: the node is not a UUID"), path);
        return FALSE;
    }
    return TRUE;
}

static char **
subtree_enumerate(GDBusConnection *conn, const char *sender, const char *path, gpointer data)
{
    XvDaemon *d = data;
    g_autoptr(GPtrArray) doms = xv_driver_list_domains(d->drv, 0, NULL);
    GPtrArray *names = g_ptr_array_new();

    for (guint i = 0; doms != NULL && i < doms->len; i++) {
        g_autofree char *p = xv_daemon_domain_path(
            xv_domain_obj_get_uuid(g_ptr_array_index(doms, i)));

        g_ptr_array_add(names, g_strdup(strrchr(p, '/') + 1));
    }
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}

static GDBusInterfaceInfo **
subtree_introspect(GDBusConnection *conn, const char *sender, const char *path,
                   const char *node, gpointer data)
{
    XvDaemon *d = data;
    GDBusInterfaceInfo **ret;

    if (node == NULL)
        return NULL;
    ret = g_new0(GDBusInterfaceInfo *, 3);
    ret[0] = g_dbus_interface_info_ref(d->domain_info->interfaces[0]);
    ret[1] = g_dbus_interface_info_ref(d->domain1_info->interfaces[0]);
    return ret;
}

static const GDBusInterfaceVTable *
subtree_dispatch(GDBusConnection *conn, const char *sender, const char *path,
                 const char *iface, const char *node, gpointer *out_data, gpointer data)
{
    *out_data = data;
    if (node == NULL)
        return NULL;
    return &vtable;
}

static const GDBusSubtreeVTable subtree_vtable = {
    subtree_enumerate, subtree_introspect, subtree_dispatch, { 0 }
};

/* ---- registration ----------------------------------------------------------- */

static gboolean
register_objects(XvDaemon *d, GDBusConnection *conn, GError **error)
{
    GDBusNodeInfo *root[] = { d->connect_info, d->host_info, d->objmgr_info,
                              d->is_sim ? d->sim_info : NULL };

    for (gsize i = 0; i < G_N_ELEMENTS(root); i++) {
        if (root[i] == NULL)
            continue;
        if (g_dbus_connection_register_object(conn, XV_DAEMON_PATH, root[i]->interfaces[0],
                                              &vtable, d, NULL, error) == 0)
            return FALSE;
    }
    if (g_dbus_connection_register_subtree(conn, XV_DAEMON_DOMAIN_PATH, &subtree_vtable,
                                           G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES,
                                           d, NULL, error) == 0)
        return FALSE;
    g_mutex_lock(&d->conns_lock);
    g_ptr_array_add(d->conns, g_object_ref(conn));
    g_mutex_unlock(&d->conns_lock);
    return TRUE;
}

GPtrArray *
xv_daemon_get_connections(XvDaemon *d)
{
    GPtrArray *ret = g_ptr_array_new_with_free_func(g_object_unref);

    g_mutex_lock(&d->conns_lock);
    for (guint i = 0; i < d->conns->len; i++)
        g_ptr_array_add(ret, g_object_ref(g_ptr_array_index(d->conns, i)));
    g_mutex_unlock(&d->conns_lock);
    return ret;
}

void
xv_daemon_emit(XvDaemon *d, const char *path, const char *iface, const char *signal,
               GVariant *params)
{
    g_autoptr(GPtrArray) conns = xv_daemon_get_connections(d);

    g_variant_ref_sink(params);
    for (guint i = 0; i < conns->len; i++)
        g_dbus_connection_emit_signal(g_ptr_array_index(conns, i), NULL, path, iface, signal,
                                      params, NULL);
    g_variant_unref(params);
}

/* ---- bus ------------------------------------------------------------------- */

static void
on_name_owner_changed(GDBusConnection *conn, const char *sender, const char *path,
                      const char *iface, const char *signal, GVariant *params, gpointer data)
{
    XvDaemon *d = data;
    const char *name, *old_owner, *new_owner;

    g_variant_get(params, "(&s&s&s)", &name, &old_owner, &new_owner);
    if (name[0] == ':' && new_owner[0] == '\0')
        client_forget(d, name);
}

static void
on_name_lost(GDBusConnection *conn, const char *name, gpointer data)
{
    XvDaemon *d = data;

    if (g_atomic_int_get(&d->stopping))
        return;
    g_critical(_("lost or could not own the bus name '%s' (is another xenvirtd or libvirt-dbus running?)"),
               name);
    g_main_loop_quit(d->loop);
}

static void
on_name_acquired(GDBusConnection *conn, const char *name, gpointer data)
{
    g_message(_("serving the D-Bus API as '%s'"), name);
}

gboolean
xv_daemon_start_bus(XvDaemon *d, GBusType type, GError **error)
{
    d->bus = g_bus_get_sync(type, NULL, error);
    if (d->bus == NULL)
        return FALSE;
    d->system_bus = type == G_BUS_TYPE_SYSTEM;
    g_dbus_connection_set_exit_on_close(d->bus, FALSE);
    g_dbus_connection_signal_subscribe(d->bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                       "NameOwnerChanged", "/org/freedesktop/DBus", NULL,
                                       G_DBUS_SIGNAL_FLAGS_NONE, on_name_owner_changed, d, NULL);
    if (!register_objects(d, d->bus, error))
        return FALSE;
    fast_path_install(d, d->bus);
    d->name_owner_id = g_bus_own_name_on_connection(d->bus, d->bus_name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    on_name_acquired, on_name_lost, d, NULL);
    if (!g_str_equal(d->bus_name, XV_DAEMON_OWN_NAME))
        d->own_name_owner_id = g_bus_own_name_on_connection(d->bus, XV_DAEMON_OWN_NAME,
                                                            G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                            on_name_acquired, on_name_lost, d,
                                                            NULL);
    return TRUE;
}

/* ---- peer to peer ------------------------------------------------------- */

static void
on_conn_closed(GDBusConnection *conn, gboolean remote_peer_vanished, GError *error,
               gpointer data)
{
    XvDaemon *d = data;
    g_autofree char *key = g_strdup_printf("p2p:%p", conn);

    client_forget(d, key);
    g_mutex_lock(&d->conns_lock);
    g_ptr_array_remove(d->conns, conn);
    g_mutex_unlock(&d->conns_lock);
}

static gboolean
on_new_connection(GDBusServer *server, GDBusConnection *conn, gpointer data)
{
    XvDaemon *d = data;
    g_autoptr(GError) error = NULL;

    if (g_atomic_int_get(&d->stopping))
        return FALSE;
    g_signal_connect(conn, "closed", G_CALLBACK(on_conn_closed), d);
    if (!register_objects(d, conn, &error)) {
        g_warning(_("cannot serve a new peer-to-peer connection: %s"), error->message);
        return FALSE;
    }
    fast_path_install(d, conn);
    g_debug("new peer-to-peer connection %p", conn);
    return TRUE;
}

static gboolean
on_authorize(GDBusAuthObserver *obs, GIOStream *stream, GCredentials *cred, gpointer data)
{
    /* Everybody may connect; what they may call is decided per call. */
    return TRUE;
}

gboolean
xv_daemon_start_listen(XvDaemon *d, const char *address, GError **error)
{
    g_autofree char *guid = g_dbus_generate_guid();
    g_autoptr(GDBusAuthObserver) obs = g_dbus_auth_observer_new();

    g_signal_connect(obs, "authorize-authenticated-peer", G_CALLBACK(on_authorize), d);
    d->server = g_dbus_server_new_sync(address, G_DBUS_SERVER_FLAGS_NONE, guid, obs, NULL, error);
    if (d->server == NULL) {
        xv_error_prefix(error, _("cannot listen on '%s': "), address);
        return FALSE;
    }
    g_signal_connect(d->server, "new-connection", G_CALLBACK(on_new_connection), d);
    g_dbus_server_start(d->server);
    g_message(_("listening for peer-to-peer D-Bus connections on %s"),
              g_dbus_server_get_client_address(d->server));
    return TRUE;
}

void
xv_daemon_stop_accepting(XvDaemon *d)
{
    g_atomic_int_set(&d->stopping, 1);
    if (d->server != NULL)
        g_dbus_server_stop(d->server);
    if (d->name_owner_id != 0) {
        g_bus_unown_name(d->name_owner_id);
        d->name_owner_id = 0;
    }
    if (d->own_name_owner_id != 0) {
        g_bus_unown_name(d->own_name_owner_id);
        d->own_name_owner_id = 0;
    }
}

/* ---- tables ------------------------------------------------------------------ */

static const char objmgr_xml[] =
    "<node>"
    " <interface name='org.freedesktop.DBus.ObjectManager'>"
    "  <method name='GetManagedObjects'>"
    "   <arg type='a{oa{sa{sv}}}' name='object_paths_interfaces_and_properties' direction='out'/>"
    "  </method>"
    "  <signal name='InterfacesAdded'>"
    "   <arg type='o' name='object_path'/>"
    "   <arg type='a{sa{sv}}' name='interfaces_and_properties'/>"
    "  </signal>"
    "  <signal name='InterfacesRemoved'>"
    "   <arg type='o' name='object_path'/>"
    "   <arg type='as' name='interfaces'/>"
    "  </signal>"
    " </interface>"
    "</node>";

static GDBusNodeInfo *
load_iface(const char *resource, GError **error)
{
    g_autoptr(GBytes) bytes = g_resources_lookup_data(resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                      error);

    if (bytes == NULL)
        return NULL;
    return g_dbus_node_info_new_for_xml(g_bytes_get_data(bytes, NULL), error);
}

static GHashTable *
make_table(const XvMethod *methods, GDBusInterfaceInfo *ii)
{
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);

    for (const XvMethod *m = methods; m->name != NULL; m++) {
        /* A handler for a member the interface does not have is a bug. */
        if (ii != NULL && g_dbus_interface_info_lookup_method(ii, m->name) == NULL)
            g_error("handler table of %s names unknown member %s", ii->name, m->name);
        g_hash_table_insert(t, (gpointer)m->name, (gpointer)m);
    }
    return t;
}

gboolean
xv_daemon_setup_dispatch(XvDaemon *d, GError **error)
{
    if ((d->connect_info = load_iface("/org/xenvirt/daemon/org.libvirt.Connect.xml", error)) == NULL ||
        (d->domain_info = load_iface("/org/xenvirt/daemon/org.libvirt.Domain.xml", error)) == NULL ||
        (d->host_info = load_iface("/org/xenvirt/daemon/org.xenvirt.Host1.xml", error)) == NULL ||
        (d->sim_info = load_iface("/org/xenvirt/daemon/org.xenvirt.Sim1.xml", error)) == NULL ||
        (d->domain1_info = load_iface("/org/xenvirt/daemon/org.xenvirt.Domain1.xml", error)) == NULL ||
        (d->objmgr_info = g_dbus_node_info_new_for_xml(objmgr_xml, error)) == NULL)
        return FALSE;

    for (GDBusNodeInfo **n = (GDBusNodeInfo *[]){ d->connect_info, d->domain_info, d->host_info,
                                                  d->sim_info, d->domain1_info, d->objmgr_info,
                                                  NULL };
         *n != NULL; n++)
        g_dbus_interface_info_cache_build((*n)->interfaces[0]);
    d->clients = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify)client_unref);
    d->tables = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify)g_hash_table_unref);
    g_hash_table_insert(d->tables, "org.libvirt.Connect",
                        make_table(xv_connect_methods, d->connect_info->interfaces[0]));
    g_hash_table_insert(d->tables, "org.libvirt.Domain",
                        make_table(xv_domain_methods, d->domain_info->interfaces[0]));
    g_hash_table_insert(d->tables, "org.xenvirt.Host1",
                        make_table(xv_host_methods, d->host_info->interfaces[0]));
    g_hash_table_insert(d->tables, "org.xenvirt.Sim1",
                        make_table(xv_sim_methods, d->sim_info->interfaces[0]));
    g_hash_table_insert(d->tables, "org.xenvirt.Domain1",
                        make_table(xv_domain1_methods, d->domain1_info->interfaces[0]));
    g_hash_table_insert(d->tables, "org.freedesktop.DBus.ObjectManager",
                        make_table(xv_objmgr_methods, d->objmgr_info->interfaces[0]));
    d->prop_tables = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify)g_hash_table_unref);
    g_hash_table_insert(d->prop_tables, "org.libvirt.Connect",
                        make_table(xv_connect_props_methods, NULL));
    g_hash_table_insert(d->prop_tables, "org.libvirt.Domain",
                        make_table(xv_domain_props_methods, NULL));
    d->polkit = xv_access_polkit_new();   /* NULL unless built with polkit */
    return TRUE;
}

void
xv_daemon_clear_dispatch(XvDaemon *d)
{
    g_clear_pointer(&d->polkit, xv_access_polkit_free);
    g_clear_pointer(&d->tables, g_hash_table_unref);
    g_clear_pointer(&d->prop_tables, g_hash_table_unref);
    g_clear_pointer(&d->clients, g_hash_table_unref);
    g_clear_pointer(&d->connect_info, g_dbus_node_info_unref);
    g_clear_pointer(&d->domain_info, g_dbus_node_info_unref);
    g_clear_pointer(&d->host_info, g_dbus_node_info_unref);
    g_clear_pointer(&d->sim_info, g_dbus_node_info_unref);
    g_clear_pointer(&d->domain1_info, g_dbus_node_info_unref);
    g_clear_pointer(&d->objmgr_info, g_dbus_node_info_unref);
}

void
xv_daemon_dump_access(XvDaemon *d)
{
    GDBusNodeInfo *nodes[] = { d->connect_info, d->domain_info, d->host_info, d->sim_info,
                               d->domain1_info };

    for (gsize i = 0; i < G_N_ELEMENTS(nodes); i++) {
        GDBusInterfaceInfo *ii = nodes[i]->interfaces[0];
        GHashTable *t = g_hash_table_lookup(d->tables, ii->name);

        for (guint j = 0; ii->methods[j] != NULL; j++) {
            const XvMethod *m = g_hash_table_lookup(t, ii->methods[j]->name);

            /* Unsupported members are harmless (they only answer an error):
             * reads, so that the bus lets the libvirt error through. */
            g_print("%s %s %s\n", ii->name, ii->methods[j]->name,
                    m != NULL && m->write ? "write" : "read");
        }
    }
}

void
xv_daemon_apply_config(XvDaemon *d)
{
    struct group *gr;

    g_mutex_lock(&d->cfg_lock);
    if (d->workers != NULL)
        g_thread_pool_set_max_threads(d->workers, (int)d->cfg.worker_threads, NULL);
    if (d->priority != NULL)
        g_thread_pool_set_max_threads(d->priority, (int)d->cfg.priority_threads, NULL);
    if (d->drv != NULL) {
        XvJobHost *jobs = xv_driver_get_job_host(d->drv);

        xv_job_host_set_max_async(jobs, d->cfg.max_async_jobs);
        xv_job_host_set_default_wait(jobs, d->cfg.job_wait_us);
        xv_job_host_set_max_waiters(jobs, d->cfg.max_queued_per_domain);
    }
    gr = getgrnam(d->cfg.access_group);
    d->access_gid = gr != NULL ? gr->gr_gid : (gid_t)-1;
    g_mutex_unlock(&d->cfg_lock);
}
