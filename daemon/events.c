/*
 * events.c: driver events -> D-Bus signals (DomainEvent, the per-domain
 * libvirt-dbus signals, PropertiesChanged, ObjectManager's
 * InterfacesAdded/Removed) and the JobProgress signal of org.xenvirt.Domain1.
 *
 * The driver calls xv_daemon_on_driver_event() from whichever thread made
 * the change, with no lock held; signals are emitted from that thread (GDBus
 * is thread-safe).  events_lock protects the property cache used to decide
 * what changed.
 */
#include "daemon/daemon.h"

/* ---- job info as libvirt typed parameters ------------------------------ */

static int
job_operation(XvAsyncJob type)
{
    switch (type) {
    case XV_ASYNC_JOB_START: return VIR_DOMAIN_JOB_OPERATION_START;
    case XV_ASYNC_JOB_SAVE: return VIR_DOMAIN_JOB_OPERATION_SAVE;
    case XV_ASYNC_JOB_RESTORE: return VIR_DOMAIN_JOB_OPERATION_RESTORE;
    case XV_ASYNC_JOB_MIGRATION_OUT: return VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT;
    case XV_ASYNC_JOB_MIGRATION_IN: return VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN;
    case XV_ASYNC_JOB_DUMP: return VIR_DOMAIN_JOB_OPERATION_DUMP;
    default: return VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
    }
}

/* a{sv} with libvirt's VIR_DOMAIN_JOB_* field names and types. */
GVariant *
xv_daemon_job_info_to_params(const XvJobInfo *info, gboolean completed)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
    if (info->type == XV_ASYNC_JOB_NONE)
        return g_variant_builder_end(&b);
    g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_OPERATION,
                          g_variant_new_int32(job_operation(info->type)));
    g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_TIME_ELAPSED,
                          g_variant_new_uint64((guint64)(info->elapsed_us / 1000)));
    if (!completed && info->has_eta)
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_TIME_REMAINING,
                              g_variant_new_uint64((guint64)(info->eta_us / 1000)));
    if (info->has_data) {
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_DATA_TOTAL,
                              g_variant_new_uint64(info->data_total));
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_DATA_PROCESSED,
                              g_variant_new_uint64(info->data_processed));
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_DATA_REMAINING,
                              g_variant_new_uint64(info->data_remaining));
    }
    if (info->has_mem) {
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_MEMORY_TOTAL,
                              g_variant_new_uint64(info->mem_total));
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_MEMORY_PROCESSED,
                              g_variant_new_uint64(info->mem_processed));
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_MEMORY_REMAINING,
                              g_variant_new_uint64(info->mem_remaining));
    }
    if (completed) {
        g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_SUCCESS,
                              g_variant_new_boolean(info->result == XV_JOB_RESULT_COMPLETED));
        if (info->error_message != NULL)
            g_variant_builder_add(&b, "{sv}", VIR_DOMAIN_JOB_ERRMSG,
                                  g_variant_new_string(info->error_message));
    }
    return g_variant_builder_end(&b);
}

/* The org.xenvirt.Domain1 GetJobProgress / JobProgress tuple. */
GVariant *
xv_daemon_job_progress(const XvJobInfo *info)
{
    if (info->type == XV_ASYNC_JOB_NONE)
        return g_variant_new("(ssttttx)", "none", "", (guint64)0, (guint64)0, (guint64)0,
                             (guint64)0, (gint64)-1);
    return g_variant_new("(ssttttx)", xv_async_job_to_string(info->type),
                         info->phase != NULL ? info->phase : "",
                         info->has_data ? info->data_processed : (guint64)0,
                         info->has_data ? info->data_total : (guint64)0,
                         info->has_data ? info->data_remaining : (guint64)0,
                         (guint64)(info->elapsed_us / 1000),
                         info->has_eta ? info->eta_us / 1000 : (gint64)-1);
}

/* ---- properties -------------------------------------------------------- */

void
xv_daemon_domain_props(XvDaemon *d, XvDomainObj *dom, XvDomProps *out)
{
    gboolean autostart = FALSE;
    int id = xv_domain_obj_get_id(dom);

    memset(out, 0, sizeof(*out));
    out->active = xv_domain_obj_is_active(dom);
    out->persistent = xv_domain_obj_is_persistent(dom);
    if (out->persistent)
        xv_driver_domain_get_autostart(d->drv, dom, &autostart, NULL);
    out->autostart = autostart;
    out->id = (guint32)id;   /* libvirt-dbus: (guint)-1 when inactive */
    out->known = TRUE;
}

GVariant *
xv_daemon_domain_all_props(XvDaemon *d, XvDomainObj *dom)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
    for (guint i = 0; xv_domain_property_names[i] != NULL; i++) {
        GVariant *v = xv_domain_get_property(d, dom, xv_domain_property_names[i], NULL);

        if (v != NULL)
            g_variant_builder_add(&b, "{sv}", xv_domain_property_names[i], v);
    }
    return g_variant_builder_end(&b);
}

static void
emit_interfaces_added(XvDaemon *d, XvDomainObj *dom, const char *path)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sa{sv}}"));
    g_variant_builder_add(&b, "{s@a{sv}}", "org.libvirt.Domain",
                          xv_daemon_domain_all_props(d, dom));
    g_variant_builder_add(&b, "{s@a{sv}}", "org.xenvirt.Domain1",
                          g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
    xv_daemon_emit(d, XV_DAEMON_PATH, "org.freedesktop.DBus.ObjectManager", "InterfacesAdded",
                   g_variant_new("(oa{sa{sv}})", path, &b));
}

static void
emit_interfaces_removed(XvDaemon *d, const char *path)
{
    const char *ifaces[] = { "org.libvirt.Domain", "org.xenvirt.Domain1", NULL };

    xv_daemon_emit(d, XV_DAEMON_PATH, "org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
                   g_variant_new("(o^as)", path, ifaces));
}

/* Compare with the cached properties, emit PropertiesChanged for the
 * difference, and InterfacesAdded/Removed when the object (dis)appears. */
static void
update_props(XvDaemon *d, XvDomainObj *dom, const char *path, gboolean gone)
{
    char uuid[XV_UUID_STRING_BUFLEN];
    XvDomProps now, old = { 0 };
    XvDomProps *cached;
    GVariantBuilder b;
    gboolean any = FALSE, appeared;

    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    if (!gone)
        xv_daemon_domain_props(d, dom, &now);

    g_mutex_lock(&d->events_lock);
    cached = g_hash_table_lookup(d->props, uuid);
    if (cached != NULL)
        old = *cached;
    if (gone) {
        g_hash_table_remove(d->props, uuid);
    } else if (cached != NULL) {
        *cached = now;
    } else {
        g_hash_table_insert(d->props, g_strdup(uuid), g_memdup2(&now, sizeof(now)));
    }
    g_mutex_unlock(&d->events_lock);

    appeared = !old.known && !gone;
    if (gone) {
        if (old.known)
            emit_interfaces_removed(d, path);
        return;
    }
    if (appeared) {
        emit_interfaces_added(d, dom, path);
        return;
    }
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
    if (now.active != old.active) {
        g_variant_builder_add(&b, "{sv}", "Active", g_variant_new_boolean(now.active));
        any = TRUE;
    }
    if (now.id != old.id) {
        g_variant_builder_add(&b, "{sv}", "Id", g_variant_new_uint32(now.id));
        any = TRUE;
    }
    if (now.persistent != old.persistent) {
        g_variant_builder_add(&b, "{sv}", "Persistent", g_variant_new_boolean(now.persistent));
        any = TRUE;
    }
    if (now.autostart != old.autostart) {
        g_variant_builder_add(&b, "{sv}", "Autostart", g_variant_new_boolean(now.autostart));
        any = TRUE;
    }
    if (!any) {
        g_variant_builder_clear(&b);
        return;
    }
    xv_daemon_emit(d, path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                   g_variant_new("(sa{sv}as)", "org.libvirt.Domain", &b, NULL));
}

/* Emit PropertiesChanged for what changed without a driver event. */
void
xv_daemon_domain_changed(XvDaemon *d, XvDomainObj *dom)
{
    g_autofree char *path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));

    update_props(d, dom, path, FALSE);
}

/* The definition may have changed: forget the cached OSType (iface-domain.c). */
static void
os_type_forget(XvDaemon *d, const guchar *uuid)
{
    char str[XV_UUID_STRING_BUFLEN];

    xv_uuid_format(uuid, str);
    g_mutex_lock(&d->events_lock);
    g_hash_table_remove(d->os_types, str);
    d->os_types_gen++;
    g_mutex_unlock(&d->events_lock);
}

void
xv_daemon_on_driver_event(XvDriver *drv, const XvDriverEvent *ev, gpointer data)
{
    XvDaemon *d = data;
    g_autofree char *path = NULL;
    gboolean gone = FALSE;

    if (ev->dom == NULL)
        return;
    path = xv_daemon_domain_path(ev->uuid);
    switch (ev->event_id) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        g_info("domain '%s': lifecycle event %d detail %d", ev->name, ev->event, ev->detail);
        os_type_forget(d, ev->uuid);
        /* The object goes when the domain stops being known to the driver:
         * undefined while inactive, or a transient domain stopped. */
        if ((ev->event == VIR_DOMAIN_EVENT_UNDEFINED && !xv_domain_obj_is_active(ev->dom)) ||
            (ev->event == VIR_DOMAIN_EVENT_STOPPED && !xv_domain_obj_is_persistent(ev->dom)))
            gone = TRUE;
        /* Cache first, so that a client reacting to DomainEvent reads the
         * new properties; added before the event, removed after. */
        if (!gone)
            update_props(d, ev->dom, path, FALSE);
        xv_daemon_emit(d, XV_DAEMON_PATH, "org.libvirt.Connect", "DomainEvent",
                       g_variant_new("(oii)", path, ev->event, ev->detail));
        if (gone)
            update_props(d, ev->dom, path, TRUE);
        break;
    case VIR_DOMAIN_EVENT_ID_REBOOT:
        xv_daemon_emit(d, path, "org.libvirt.Domain", "Reboot", g_variant_new("()"));
        update_props(d, ev->dom, path, FALSE);
        break;
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        if (ev->job != NULL)
            xv_daemon_emit(d, path, "org.libvirt.Domain", "JobCompleted",
                           g_variant_new("(@a{sv})", xv_daemon_job_info_to_params(ev->job, TRUE)));
        break;
    case VIR_DOMAIN_EVENT_ID_DEVICE_ADDED:
        xv_daemon_emit(d, path, "org.libvirt.Domain", "DeviceAdded",
                       g_variant_new("(s)", ev->device != NULL ? ev->device : ""));
        break;
    case VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED:
        xv_daemon_emit(d, path, "org.libvirt.Domain", "DeviceRemoved",
                       g_variant_new("(s)", ev->device != NULL ? ev->device : ""));
        break;
    case VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE:
        xv_daemon_emit(d, path, "org.libvirt.Domain", "BalloonChange",
                       g_variant_new("(t)", ev->actual_kb));
        break;
    case VIR_DOMAIN_EVENT_ID_METADATA_CHANGE:
        xv_daemon_emit(d, path, "org.libvirt.Domain", "MetadataChange",
                       g_variant_new("(is)", ev->metadata_type,
                                     ev->metadata_uri != NULL ? ev->metadata_uri : ""));
        break;
    default:
        g_debug("domain '%s': event id %d not forwarded", ev->name, ev->event_id);
        break;
    }
}

/* ---- job progress --------------------------------------------------------- */

static gboolean
progress_tick(gpointer data)
{
    XvDaemon *d = data;
    g_autoptr(GPtrArray) doms = xv_driver_list_domains(d->drv, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                                                 VIR_CONNECT_LIST_DOMAINS_INACTIVE,
                                                       NULL);
    gboolean any = FALSE;

    for (guint i = 0; doms != NULL && i < doms->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(doms, i);
        g_auto(XvJobInfo) info = { 0 };
        char uuid[XV_UUID_STRING_BUFLEN];
        g_autofree char *key = NULL;
        const char *last;
        gboolean changed;

        if (!xv_driver_domain_get_job_info(d->drv, dom, FALSE, &info, NULL) ||
            info.type == XV_ASYNC_JOB_NONE)
            continue;
        any = TRUE;
        xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
        key = g_strdup_printf("%d/%s/%" G_GUINT64_FORMAT "/%d", info.type,
                              info.phase != NULL ? info.phase : "", info.data_processed,
                              info.queued);
        g_mutex_lock(&d->events_lock);
        last = g_hash_table_lookup(d->progress, uuid);
        changed = last == NULL || !g_str_equal(last, key);
        if (changed)
            g_hash_table_insert(d->progress, g_strdup(uuid), g_steal_pointer(&key));
        g_mutex_unlock(&d->events_lock);
        if (changed) {
            g_autofree char *path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));

            xv_daemon_emit(d, path, "org.xenvirt.Domain1", "JobProgress",
                           xv_daemon_job_progress(&info));
        }
    }
    if (!any && g_atomic_int_get(&d->n_long) == 0) {
        g_mutex_lock(&d->events_lock);
        g_hash_table_remove_all(d->progress);
        g_mutex_unlock(&d->events_lock);
        d->progress_timer = 0;
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static gboolean
progress_start(gpointer data)
{
    XvDaemon *d = data;

    if (d->progress_timer == 0)
        d->progress_timer = g_timeout_add(250, progress_tick, d);
    return G_SOURCE_REMOVE;
}

/* A long job began: make sure the progress timer runs (any thread). */
void
xv_daemon_progress_kick(XvDaemon *d)
{
    g_main_context_invoke(NULL, progress_start, d);
}
