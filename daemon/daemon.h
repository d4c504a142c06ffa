/*
 * daemon.h: xenvirtd's internals shared by its files (not a public API).
 *
 * Contract
 * --------
 * One XvDaemon per process, created by main.c, alive until exit.  It owns
 * the driver (drivers/libxl/driver.h), the host it borrows to the driver,
 * the D-Bus transport (a bus connection or a peer-to-peer GDBusServer and
 * its connections) and the thread pools that run method calls.
 *
 * THREADS.  Reads of daemon state (XV_CALL_INLINE: GetState, properties,
 * ListDomains, GetXMLDesc, job info, lookups...) from a client whose uid is
 * known are answered on GDBus's worker thread, straight from a connection
 * filter (server.c "fast path"): no hop to the main thread, which is what a
 * Peer.Ping costs too.  Every other call arrives on the main thread, which
 * runs the GMainLoop (objects are registered from it); it is looked up in a
 * name -> handler table, admitted (access, limits, the domain) and then
 * either answered at once (reads) or handed to a thread:
 *   - 'workers'  GThreadPool, short calls that may wait for a domain's job
 *                (MODIFY, SUSPEND, definitions);
 *   - 'priority' GThreadPool reserved for DESTROY, ABORT and QUERY calls, so
 *                they always find a thread even when every worker waits;
 *   - long jobs (create, start, save, restore, managed save, dump): a thread
 *     of their own each, up to cfg.max_long_jobs, so they never hold a pool
 *     thread for their duration.
 * Both paths share one admission function and one reply wrapper.  Handlers
 * run with no daemon lock held; replies and signals are sent from whichever
 * thread finishes (GDBus is thread-safe for both).  INLINE handlers must be
 * quick and must only use the driver's read API (thread-safe, never waits).
 */
#pragma once

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "drivers/libxl/driver.h"
#include "util/xv-error.h"

G_BEGIN_DECLS

#define XV_DAEMON_PATH "/org/libvirt/Xen"
#define XV_DAEMON_DOMAIN_PATH "/org/libvirt/Xen/domain"
#define XV_DBUS_ERROR_NAME "org.libvirt.Error"
/* xenvirtd's own bus name, owned beside bus_name; D-Bus activation and the
 * systemd unit use it (data/org.xenvirt.service.in, docs/daemon.md). */
#define XV_DAEMON_OWN_NAME "org.xenvirt"

/* ---- configuration (config.c) ------------------------------------------ */

typedef struct {
    guint worker_threads;
    guint priority_threads;
    guint max_long_jobs;
    gint64 job_wait_us;
    guint max_async_jobs;
    guint max_queued_per_domain;
    guint max_clients;
    guint max_pending_calls;
    gsize max_message_size;
    GLogLevelFlags log_level;    /* most verbose level written */
    char *log_output;            /* "auto", "stderr", "journal" */
    char *access_group;          /* group whose members may modify */
    guint shutdown_wait_s;       /* SIGTERM: how long running jobs may take */
} XvDaemonConfig;

void xv_daemon_config_init(XvDaemonConfig *cfg);
void xv_daemon_config_clear(XvDaemonConfig *cfg);
/* Load 'path' over the defaults in 'cfg'.  Unknown groups or keys are
 * warnings; bad values are errors (naming file, group and key). */
gboolean xv_daemon_config_load(XvDaemonConfig *cfg, const char *path, GError **error);

/* ---- calls and handlers ------------------------------------------------ */

typedef enum {
    XV_CALL_INLINE = 0,   /* read of daemon state: answered where it arrives
                           * (GDBus's worker thread through the fast path,
                           * else the main thread); never waits */
    XV_CALL_WORKER,       /* short call, may wait for a job: worker pool */
    XV_CALL_PRIORITY,     /* destroy, abort, queries: reserved pool */
    XV_CALL_LONG,         /* async job: a thread of its own */
} XvCallClass;

typedef struct _XvDaemon XvDaemon;
typedef struct _XvCall XvCall;
typedef struct _XvClient XvClient;

/* A handler returns the reply tuple (floating or not) or NULL with 'error'
 * set; the dispatcher sends either (one reply wrapper for every method). */
typedef GVariant *(*XvMethodFunc)(XvCall *call, GError **error);

typedef struct {
    const char *name;
    XvMethodFunc func;
    XvCallClass klass;
    gboolean write;       /* needs write access (root or the access group, or
                           * polkit's org.xenvirt.domain.write: access.h) */
} XvMethod;

/* One method call, from admission to reply.  It arrives either through
 * GDBus's dispatch ('inv' set: the slow path, on the main thread) or through
 * the connection filter ('msg' set: the fast path for reads, on GDBus's
 * worker thread); either way it is admitted by the same checks and answered
 * by the same reply wrapper (server.c).  Owned by whichever thread runs it. */
struct _XvCall {
    XvDaemon *d;
    GDBusMethodInvocation *inv;    /* owned; slow path */
    GDBusMessage *msg;             /* owned; fast path: the request to answer */
    GDBusConnection *conn;         /* borrowed from inv, or from the filter */
    const char *path;              /* borrowed from inv or msg */
    const char *iface;
    const char *member;
    GVariant *params;              /* borrowed from inv or msg, or params_owned */
    GVariant *params_owned;        /* fast path with no body: "()" */
    const XvMethod *m;
    XvDomainObj *dom;              /* owned; domain objects only */
    XvClient *client;              /* owned ref */
    uid_t uid;
    gboolean privileged;
    gboolean counted;              /* counted in the client's pending calls */
    gboolean polkit_granted;       /* polkit authorized this call (access.h) */
};

/* Tables (iface-*.c). */
extern const XvMethod xv_connect_methods[];
extern const XvMethod xv_domain_methods[];
extern const XvMethod xv_host_methods[];
extern const XvMethod xv_sim_methods[];
extern const XvMethod xv_domain1_methods[];
extern const XvMethod xv_objmgr_methods[];
/* org.freedesktop.DBus.Properties on each object: Get, GetAll, Set. */
extern const XvMethod xv_connect_props_methods[];
extern const XvMethod xv_domain_props_methods[];

/* FALSE, with XV_ERROR_INVALID_ARG, when 'flags' has bits outside 'allowed'
 * (libvirt's virCheckFlags); 'api' names the function in the message. */
gboolean xv_daemon_check_flags(guint flags, guint allowed, const char *api, GError **error);

/* In a handler (a local 'error' in scope): return the error reply when
 * 'flags' has bits outside 'allowed'. */
#define XV_CHECK_FLAGS(flags, allowed, api)                                                \
    do {                                                                                   \
        if (!xv_daemon_check_flags((flags), (allowed), (api), error))                      \
            return NULL;                                                                   \
    } while (0)

/* ---- the daemon --------------------------------------------------------- */

typedef struct {
    gboolean active, persistent, autostart;
    guint32 id;
    gboolean known;
} XvDomProps;

struct _XvDaemon {
    GMainLoop *loop;
    XvDriver *drv;                 /* immutable after start */
    XvHost *host;                  /* immutable after start */
    gboolean is_sim;               /* immutable */

    GMutex cfg_lock;
    XvDaemonConfig cfg;            /* protected by cfg_lock (SIGHUP reload) */
    char *config_file;             /* immutable; NULL: none */

    GDBusConnection *bus;          /* bus mode; immutable after start */
    GDBusServer *server;           /* peer-to-peer mode */
    guint name_owner_id;           /* main thread: the compatible name, bus_name */
    guint own_name_owner_id;       /* main thread: XV_DAEMON_OWN_NAME */
    char *bus_name;                /* immutable: org.libvirt unless --bus-name */

    GMutex conns_lock;
    GPtrArray *conns;              /* GDBusConnection refs; protected by conns_lock */

    GMutex clients_lock;
    GHashTable *clients;           /* key -> XvClient; protected by clients_lock */

    GThreadPool *workers;          /* immutable after start */
    GThreadPool *priority;         /* immutable after start */
    gint n_long;                   /* atomic: long-job threads running */
    gint n_inflight;               /* atomic: calls handed to a thread */
    gint n_fast;                   /* atomic: fast-path calls running (server.c) */
    gint stopping;                 /* atomic: SIGTERM seen, refuse calls */

    GDBusNodeInfo *connect_info, *domain_info, *host_info, *sim_info, *domain1_info,
        *objmgr_info;              /* immutable */
    GHashTable *tables;            /* "iface" -> GHashTable(name -> XvMethod*); immutable */
    GHashTable *prop_tables;       /* "iface" -> props method table; immutable */

    GMutex events_lock;
    GHashTable *props;             /* uuid string -> XvDomProps*; protected by events_lock */
    GHashTable *progress;          /* uuid string -> last JobProgress key; events_lock */
    GHashTable *os_types;          /* uuid string -> OSType property value; events_lock */
    guint64 os_types_gen;          /* bumped when os_types loses an entry; events_lock */
    guint progress_timer;          /* main thread only */

    gid_t access_gid;              /* (gid_t)-1 when the group does not exist */
    gboolean system_bus;           /* on the system bus (polkit subjects); immutable */
    struct _XvAccessPolkit *polkit; /* NULL: built without polkit; main thread only */
    char *hostname;                /* immutable */
    guint64 hv_version;            /* immutable: libvirt-style number */
};

/* server.c */
gboolean xv_daemon_start_bus(XvDaemon *d, GBusType type, GError **error);
gboolean xv_daemon_start_listen(XvDaemon *d, const char *address, GError **error);
gboolean xv_daemon_setup_dispatch(XvDaemon *d, GError **error);
/* Frees what setup_dispatch made (no connection may still dispatch). */
void xv_daemon_clear_dispatch(XvDaemon *d);
void xv_daemon_stop_accepting(XvDaemon *d);
void xv_daemon_pool_func(gpointer data, gpointer user_data);
void xv_daemon_apply_config(XvDaemon *d);
/* Connections to signal on: a new array of refs. */
GPtrArray *xv_daemon_get_connections(XvDaemon *d);
void xv_daemon_emit(XvDaemon *d, const char *path, const char *iface, const char *signal,
                    GVariant *params);
/* Libvirt-style message for an XV_ERROR code ("Domain not found: ..."). */
char *xv_daemon_error_message(const GError *error);
/* xenvirtd --dump-access: "iface member read|write" lines. */
void xv_daemon_dump_access(XvDaemon *d);

/* paths (server.c) */
char *xv_daemon_domain_path(const guchar *uuid);
gboolean xv_daemon_path_to_uuid(const char *path, guchar uuid[XV_UUID_BUFLEN], GError **error);

/* events.c */
void xv_daemon_on_driver_event(XvDriver *drv, const XvDriverEvent *event, gpointer data);
void xv_daemon_progress_kick(XvDaemon *d);
void xv_daemon_domain_changed(XvDaemon *d, XvDomainObj *dom);
void xv_daemon_domain_props(XvDaemon *d, XvDomainObj *dom, XvDomProps *out);
GVariant *xv_daemon_domain_all_props(XvDaemon *d, XvDomainObj *dom);
GVariant *xv_daemon_job_info_to_params(const XvJobInfo *info, gboolean completed);
GVariant *xv_daemon_job_progress(const XvJobInfo *info);

/* iface-connect.c / iface-domain.c: property readers used by GetManagedObjects */
GVariant *xv_domain_get_property(XvDaemon *d, XvDomainObj *dom, const char *name,
                                 GError **error);
extern const char *const xv_domain_property_names[];

G_END_DECLS
