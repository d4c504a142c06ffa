/*
 * conn.h: xvirsh's connection to xenvirtd over D-Bus.
 *
 * URIs: xen:///system (system bus), xen:///session (session bus),
 * xen+unix:///system?socket=PATH (peer-to-peer with the daemon's listener).
 * The default is $XENVIRT_DEFAULT_URI, else xen:///system.  On a bus the
 * daemon's well-known name is org.libvirt, or ?name=NAME in the URI.
 *
 * The API is libvirt-dbus's: org.libvirt.Connect on /org/libvirt/Xen and
 * org.libvirt.Domain on /org/libvirt/Xen/domain/_<uuid, '-' as '_'>, plus
 * xenvirt's extension interfaces (XV_EXT_*).
 *
 * Ownership: the connection is a process-wide singleton opened on first use
 * and closed by xv_conn_close().  Every call helper returns a new reference
 * (or NULL with a GError whose message has the D-Bus remote prefix removed).
 * Main thread only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define XV_DBUS_NAME "org.libvirt"
#define XV_CONNECT_PATH "/org/libvirt/Xen"
#define XV_CONNECT_IFACE "org.libvirt.Connect"
#define XV_DOMAIN_IFACE "org.libvirt.Domain"
#define XV_DOMAIN_PATH_PREFIX "/org/libvirt/Xen/domain/_"

/* Open the connection (once).  On failure the error says which URI and
 * which bus or socket were tried and how to start the daemon. */
GDBusConnection *xv_conn_get(GError **error);
gboolean xv_conn_is_open(void);
void xv_conn_close(void);
/* The URI in effect (the given one, or the default). */
const char *xv_conn_uri(void);

/* A method call with the remote error prefix stripped.  `reply_type` may be
 * NULL.  Timeout: infinite for jobs (timeout_ms = -1 means the default 25 s,
 * G_MAXINT means none). */
GVariant *xv_call(const char *path, const char *iface, const char *method, GVariant *params,
                  const GVariantType *reply_type, int timeout_ms, GError **error);
/* Start an asynchronous call; the callback gets the raw result. */
void xv_call_async(const char *path, const char *iface, const char *method, GVariant *params,
                   const GVariantType *reply_type, GAsyncReadyCallback cb, gpointer data);
GVariant *xv_call_finish(GAsyncResult *res, GError **error);

/* Number of method calls made so far (for the round-trip benchmark). */
guint xv_conn_call_count(void);

/* A property of the connection object or a domain object. */
GVariant *xv_get_property(const char *path, const char *iface, const char *prop, GError **error);
/* All properties of an interface (a{sv}). */
GVariant *xv_get_all_properties(const char *path, const char *iface, GError **error);

/* Turn a GDBus error into a plain message: strip "GDBus.Error:name: ". */
void xv_error_strip_remote(GError *error);
/* TRUE when the error means "no daemon at the other end". */
gboolean xv_error_is_unreachable(const GError *error);

/* A resolved domain: object path plus its name, for messages. */
typedef struct {
    char *path;
    char *name;
    char *uuid;
    GVariant *props;            /* a{sv}: org.libvirt.Domain properties at lookup */
} XvDomainRef;

/* Typed reads of the properties with defaults. */
gboolean xv_domain_ref_bool(const XvDomainRef *ref, const char *prop);
guint32 xv_domain_ref_id(const XvDomainRef *ref);   /* G_MAXUINT32 when inactive */

void xv_domain_ref_free(XvDomainRef *ref);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDomainRef, xv_domain_ref_free)

/* Find a domain by id, UUID or name, in that order, as virsh does.  Error:
 * "failed to get domain 'NAME'". */
XvDomainRef *xv_domain_lookup(const char *spec, GError **error);
/* The domain for an object path (reads its Name and UUID). */
XvDomainRef *xv_domain_ref_from_path(const char *path, GError **error);

/* Convert a UUID to the object path and back. */
char *xv_domain_path_for_uuid(const char *uuid);

G_END_DECLS
