/*
 * iface-domain.c: org.libvirt.Domain on /org/libvirt/Xen/domain/_UUID and
 * its properties.  Members of the interface XML without an entry here
 * answer libvirt's "not supported" error (server.c).
 */
#include "daemon/daemon.h"

#include "xmlconf/domain-conf.h"

#define OK_OR_NULL(expr) ((expr) ? g_variant_new("()") : NULL)

GVariant *xv_daemon_domain_stats(XvDaemon *d, XvDomainObj *dom, guint stats, gboolean nowait,
                                 GError **error);

static GVariant *
abort_job(XvCall *call, GError **error)
{
    return OK_OR_NULL(xv_driver_domain_abort_job(call->d->drv, call->dom, error));
}

static GVariant *
core_dump(XvCall *call, GError **error)
{
    const char *to;
    guint32 format, flags;

    g_variant_get(call->params, "(&suu)", &to, &format, &flags);
    if (format != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW) {
        g_set_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED,
                    _("core dump format %u is not supported by the Xen driver (only raw, 0)"),
                    format);
        return NULL;
    }
    return OK_OR_NULL(xv_driver_domain_core_dump(call->d->drv, call->dom, to, flags, error));
}

static GVariant *
create(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_start(call->d->drv, call->dom, flags, error));
}

static GVariant *
destroy(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_destroy(call->d->drv, call->dom, flags, error));
}

static GVariant *
shutdown_(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_shutdown(call->d->drv, call->dom, flags, error));
}

static GVariant *
reboot_(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_reboot(call->d->drv, call->dom, flags, error));
}

static GVariant *
suspend(XvCall *call, GError **error)
{
    return OK_OR_NULL(xv_driver_domain_suspend(call->d->drv, call->dom, error));
}

static GVariant *
resume(XvCall *call, GError **error)
{
    return OK_OR_NULL(xv_driver_domain_resume(call->d->drv, call->dom, error));
}

static GVariant *
undefine(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_undefine(call->d->drv, call->dom, flags, error));
}

static GVariant *
save(XvCall *call, GError **error)
{
    const char *to, *xml;
    guint32 flags;

    g_variant_get(call->params, "(&s&su)", &to, &xml, &flags);
    return OK_OR_NULL(xv_driver_domain_save(call->d->drv, call->dom, to,
                                            xml[0] != '\0' ? xml : NULL, flags, error));
}

static GVariant *
managed_save(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_managed_save(call->d->drv, call->dom, flags, error));
}

static GVariant *
managed_save_remove(XvCall *call, GError **error)
{
    guint32 flags;

    g_variant_get(call->params, "(u)", &flags);
    return OK_OR_NULL(xv_driver_domain_managed_save_remove(call->d->drv, call->dom, flags, error));
}

static GVariant *
has_managed_save(XvCall *call, GError **error)
{
    guint32 flags;
    int r;

    g_variant_get(call->params, "(u)", &flags);
    r = xv_driver_domain_has_managed_save(call->d->drv, call->dom, flags, error);
    return r < 0 ? NULL : g_variant_new("(b)", r > 0);
}

static GVariant *
get_state(XvCall *call, GError **error)
{
    guint32 flags;
    int state, reason;

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, 0, "virDomainGetState");
    if (!xv_driver_domain_get_state(call->d->drv, call->dom, &state, &reason, error))
        return NULL;
    return g_variant_new("((ii))", state, reason);
}

static GVariant *
get_stats(XvCall *call, GError **error)
{
    guint32 stats, flags;
    GVariant *rec;

    g_variant_get(call->params, "(uu)", &stats, &flags);
    XV_CHECK_FLAGS(flags, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                              VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                              VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                   "virDomainListGetStats");
    rec = xv_daemon_domain_stats(call->d, call->dom, stats,
                                 (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) != 0, error);
    return rec != NULL ? g_variant_new("(@a{sv})", rec) : NULL;
}

static GVariant *
get_xml_desc(XvCall *call, GError **error)
{
    guint32 flags;
    g_autofree char *xml = NULL;

    g_variant_get(call->params, "(u)", &flags);
    xml = xv_driver_domain_get_xml(call->d->drv, call->dom, flags, error);
    return xml != NULL ? g_variant_new("(s)", xml) : NULL;
}

static GVariant *
get_vcpus(XvCall *call, GError **error)
{
    guint32 flags;
    int n;

    g_variant_get(call->params, "(u)", &flags);
    n = xv_driver_domain_get_vcpus_flags(call->d->drv, call->dom, flags, error);
    return n < 0 ? NULL : g_variant_new("(u)", (guint32)n);
}

static GVariant *
set_vcpus(XvCall *call, GError **error)
{
    guint32 n, flags;

    g_variant_get(call->params, "(uu)", &n, &flags);
    return OK_OR_NULL(xv_driver_domain_set_vcpus(call->d->drv, call->dom, n, flags, error));
}

static GVariant *
pin_vcpu(XvCall *call, GError **error)
{
    guint32 vcpu, flags;
    g_autoptr(GVariantIter) it = NULL;
    g_autoptr(XvBitmap) map = NULL;
    gboolean bit;
    guint n = 0, i = 0;

    g_variant_get(call->params, "(uabu)", &vcpu, &it, &flags);
    n = (guint)g_variant_iter_n_children(it);
    if (n == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("the cpumap for vcpu %u is empty"), vcpu);
        return NULL;
    }
    map = xv_bitmap_new(n);
    while (g_variant_iter_next(it, "b", &bit)) {
        if (bit)
            xv_bitmap_set(map, i);
        i++;
    }
    return OK_OR_NULL(xv_driver_domain_pin_vcpu(call->d->drv, call->dom, vcpu, map, flags, error));
}

static GVariant *
get_vcpu_pin_info(XvCall *call, GError **error)
{
    guint32 flags;
    g_autoptr(GPtrArray) pins = NULL;
    virNodeInfo ni;
    GVariantBuilder b;

    g_variant_get(call->params, "(u)", &flags);
    pins = xv_driver_domain_get_vcpu_pin_info(call->d->drv, call->dom, flags, error);
    if (pins == NULL || !xv_driver_node_get_info(call->d->drv, &ni, error))
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("aab"));
    for (guint v = 0; v < pins->len; v++) {
        const XvBitmap *map = g_ptr_array_index(pins, v);

        g_variant_builder_open(&b, G_VARIANT_TYPE("ab"));
        for (guint c = 0; c < ni.cpus; c++)
            g_variant_builder_add(&b, "b", c < xv_bitmap_size(map) && xv_bitmap_is_set(map, c));
        g_variant_builder_close(&b);
    }
    return g_variant_new("(aab)", &b);
}

static GVariant *
set_memory(XvCall *call, GError **error)
{
    guint64 kb;
    guint32 flags;

    g_variant_get(call->params, "(tu)", &kb, &flags);
    return OK_OR_NULL(xv_driver_domain_set_memory(call->d->drv, call->dom, kb, flags, error));
}

/* libvirt's libxl driver reports the balloon target and the maximum. */
static GVariant *
memory_stats(XvCall *call, GError **error)
{
    guint32 flags;
    XvDomainInfo info;
    GVariantBuilder b;

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, 0, "virDomainMemoryStats");
    if (!xv_domain_obj_is_active(call->dom)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("domain '%s' is not running"),
                    xv_domain_obj_get_name(call->dom));
        return NULL;
    }
    if (!xv_driver_domain_get_info(call->d->drv, call->dom, XV_DRIVER_INFO_REFRESH, &info, error))
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{it}"));
    g_variant_builder_add(&b, "{it}", VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, info.memory_kb);
    g_variant_builder_add(&b, "{it}", VIR_DOMAIN_MEMORY_STAT_AVAILABLE, info.max_mem_kb);
    return g_variant_new("(a{it})", &b);
}

static GVariant *
get_sched_params(XvCall *call, GError **error)
{
    guint32 flags;
    GVariant *params;

    g_variant_get(call->params, "(u)", &flags);
    params = xv_driver_domain_get_scheduler_params(call->d->drv, call->dom, flags, error);
    return params != NULL ? g_variant_new("(@a{sv})", params) : NULL;
}

static GVariant *
set_sched_params(XvCall *call, GError **error)
{
    g_autoptr(GVariant) params = NULL;
    guint32 flags;

    g_variant_get(call->params, "(@a{sv}u)", &params, &flags);
    return OK_OR_NULL(xv_driver_domain_set_scheduler_params(call->d->drv, call->dom, params, flags,
                                                            error));
}

static GVariant *
attach_device(XvCall *call, GError **error)
{
    const char *xml;
    guint32 flags;

    g_variant_get(call->params, "(&su)", &xml, &flags);
    return OK_OR_NULL(xv_driver_domain_attach_device(call->d->drv, call->dom, xml, flags, error));
}

static GVariant *
detach_device(XvCall *call, GError **error)
{
    const char *xml;
    guint32 flags;

    g_variant_get(call->params, "(&su)", &xml, &flags);
    return OK_OR_NULL(xv_driver_domain_detach_device(call->d->drv, call->dom, xml, flags, error));
}

static GVariant *
update_device(XvCall *call, GError **error)
{
    const char *xml;
    guint32 flags;

    g_variant_get(call->params, "(&su)", &xml, &flags);
    return OK_OR_NULL(xv_driver_domain_update_device(call->d->drv, call->dom, xml, flags, error));
}

/* libvirt-dbus: an empty string stands for NULL (uri, key). */
static GVariant *
get_metadata(XvCall *call, GError **error)
{
    const char *uri;
    gint32 type;
    guint32 flags;
    g_autofree char *out = NULL;

    g_variant_get(call->params, "(i&su)", &type, &uri, &flags);
    out = xv_driver_domain_get_metadata(call->d->drv, call->dom, type, *uri ? uri : NULL, flags,
                                        error);
    return out != NULL ? g_variant_new("(s)", out) : NULL;
}

static GVariant *
set_metadata(XvCall *call, GError **error)
{
    const char *metadata, *key, *uri;
    gint32 type;
    guint32 flags;

    g_variant_get(call->params, "(i&s&s&su)", &type, &metadata, &key, &uri, &flags);
    return OK_OR_NULL(xv_driver_domain_set_metadata(call->d->drv, call->dom, type, metadata,
                                                    *key ? key : NULL, *uri ? uri : NULL, flags,
                                                    error));
}

static int
job_type(const XvJobInfo *info, gboolean completed)
{
    if (info->type == XV_ASYNC_JOB_NONE)
        return VIR_DOMAIN_JOB_NONE;
    if (completed) {
        switch (info->result) {
        case XV_JOB_RESULT_COMPLETED: return VIR_DOMAIN_JOB_COMPLETED;
        case XV_JOB_RESULT_CANCELLED: return VIR_DOMAIN_JOB_CANCELLED;
        default: return VIR_DOMAIN_JOB_FAILED;
        }
    }
    return info->has_data ? VIR_DOMAIN_JOB_BOUNDED : VIR_DOMAIN_JOB_UNBOUNDED;
}

static GVariant *
get_job_info(XvCall *call, GError **error)
{
    g_auto(XvJobInfo) info = { 0 };

    if (!xv_driver_domain_get_job_info(call->d->drv, call->dom, FALSE, &info, error))
        return NULL;
    return g_variant_new("((ittttttttttt))", job_type(&info, FALSE),
                         (guint64)(info.elapsed_us / 1000),
                         info.has_eta ? (guint64)(info.eta_us / 1000) : (guint64)0,
                         info.data_total, info.data_processed, info.data_remaining,
                         info.mem_total, info.mem_processed, info.mem_remaining,
                         (guint64)0, (guint64)0, (guint64)0);
}

static GVariant *
get_job_stats(XvCall *call, GError **error)
{
    guint32 flags;
    gboolean completed;
    g_auto(XvJobInfo) info = { 0 };

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED,
                   "virDomainGetJobStats");
    completed = (flags & VIR_DOMAIN_JOB_STATS_COMPLETED) != 0;
    if (!xv_driver_domain_get_job_info(call->d->drv, call->dom, completed, &info, error))
        return NULL;
    return g_variant_new("((i@a{sv}))", job_type(&info, completed),
                         xv_daemon_job_info_to_params(&info, completed));
}

const XvMethod xv_domain_methods[] = {
    { "AbortJob", abort_job, XV_CALL_PRIORITY, TRUE },
    { "AttachDevice", attach_device, XV_CALL_WORKER, TRUE },
    { "CoreDump", core_dump, XV_CALL_LONG, TRUE },
    { "Create", create, XV_CALL_LONG, TRUE },
    { "Destroy", destroy, XV_CALL_PRIORITY, TRUE },
    { "DetachDevice", detach_device, XV_CALL_WORKER, TRUE },
    { "GetJobInfo", get_job_info, XV_CALL_INLINE, FALSE },
    { "GetJobStats", get_job_stats, XV_CALL_INLINE, FALSE },
    { "GetMetadata", get_metadata, XV_CALL_INLINE, FALSE },
    { "GetSchedulerParameters", get_sched_params, XV_CALL_PRIORITY, FALSE },
    { "GetState", get_state, XV_CALL_INLINE, FALSE },
    { "GetStats", get_stats, XV_CALL_PRIORITY, FALSE },
    { "GetVcpuPinInfo", get_vcpu_pin_info, XV_CALL_INLINE, FALSE },
    { "GetVcpus", get_vcpus, XV_CALL_INLINE, FALSE },
    { "GetXMLDesc", get_xml_desc, XV_CALL_INLINE, FALSE },
    { "HasManagedSaveImage", has_managed_save, XV_CALL_INLINE, FALSE },
    { "ManagedSave", managed_save, XV_CALL_LONG, TRUE },
    { "ManagedSaveRemove", managed_save_remove, XV_CALL_WORKER, TRUE },
    { "MemoryStats", memory_stats, XV_CALL_PRIORITY, FALSE },
    { "PinVcpu", pin_vcpu, XV_CALL_WORKER, TRUE },
    { "Reboot", reboot_, XV_CALL_WORKER, TRUE },
    { "Resume", resume, XV_CALL_WORKER, TRUE },
    { "Save", save, XV_CALL_LONG, TRUE },
    { "SetMemory", set_memory, XV_CALL_WORKER, TRUE },
    { "SetMetadata", set_metadata, XV_CALL_WORKER, TRUE },
    { "SetSchedulerParameters", set_sched_params, XV_CALL_WORKER, TRUE },
    { "SetVcpus", set_vcpus, XV_CALL_WORKER, TRUE },
    { "Shutdown", shutdown_, XV_CALL_WORKER, TRUE },
    { "Suspend", suspend, XV_CALL_WORKER, TRUE },
    { "Undefine", undefine, XV_CALL_WORKER, TRUE },
    { "UpdateDevice", update_device, XV_CALL_WORKER, TRUE },
    { NULL, NULL, 0, FALSE }
};

/* ---- properties ------------------------------------------------------------ */

const char *const xv_domain_property_names[] = {
    "Active", "Autostart", "Id", "Name", "OSType", "Persistent", "SchedulerType", "Updated",
    "UUID", NULL
};

/* OSType: the next-boot definition's <os><type>.  The driver offers no
 * accessor, so it comes from the definition's XML, parsed once per
 * definition: the answer is cached in d->os_types until a lifecycle event
 * of the domain (define, start, stop, undefine...) drops it (events.c).  A
 * reader that raced with such an event (os_types_gen moved on) answers
 * what it parsed but does not cache it. */
static char *
os_type(XvDaemon *d, XvDomainObj *dom)
{
    char uuid[XV_UUID_STRING_BUFLEN];
    const char *cached;
    char *ret = NULL;
    guint64 gen;
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;

    if (xv_domain_obj_get_id(dom) == 0)
        return g_strdup("xen");
    xv_uuid_format(xv_domain_obj_get_uuid(dom), uuid);
    g_mutex_lock(&d->events_lock);
    cached = g_hash_table_lookup(d->os_types, uuid);
    if (cached != NULL)
        ret = g_strdup(cached);
    gen = d->os_types_gen;
    g_mutex_unlock(&d->events_lock);
    if (ret != NULL)
        return ret;

    xml = xv_driver_domain_get_xml(d->drv, dom, VIR_DOMAIN_XML_INACTIVE, NULL);
    if (xml != NULL)
        def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, NULL);
    if (def == NULL)
        return g_strdup("");
    ret = g_strdup(xv_domain_os_type_to_string(def->os.type));
    g_mutex_lock(&d->events_lock);
    if (gen == d->os_types_gen)
        g_hash_table_replace(d->os_types, g_strdup(uuid), g_strdup(ret));
    g_mutex_unlock(&d->events_lock);
    return ret;
}

GVariant *
xv_domain_get_property(XvDaemon *d, XvDomainObj *dom, const char *name, GError **error)
{
    if (g_str_equal(name, "Active"))
        return g_variant_new_boolean(xv_domain_obj_is_active(dom));
    if (g_str_equal(name, "Autostart")) {
        gboolean a = FALSE;

        if (xv_domain_obj_is_persistent(dom) &&
            !xv_driver_domain_get_autostart(d->drv, dom, &a, error))
            return NULL;
        return g_variant_new_boolean(a);
    }
    if (g_str_equal(name, "Id"))
        return g_variant_new_uint32((guint32)xv_domain_obj_get_id(dom));
    if (g_str_equal(name, "Name"))
        return g_variant_new_string(xv_domain_obj_get_name(dom));
    if (g_str_equal(name, "OSType"))
        return g_variant_new_take_string(os_type(d, dom));
    if (g_str_equal(name, "Persistent"))
        return g_variant_new_boolean(xv_domain_obj_is_persistent(dom));
    if (g_str_equal(name, "SchedulerType")) {
        g_autofree char *s = xv_driver_get_scheduler_type(d->drv, NULL);

        /* libvirt's libxl driver: XEN_SCHED_CREDIT_NPARAM (2) for every scheduler. */
        return g_variant_new("(si)", s != NULL ? s : "", 2);
    }
    if (g_str_equal(name, "Updated"))
        return g_variant_new_boolean(FALSE);
    if (g_str_equal(name, "UUID")) {
        char buf[XV_UUID_STRING_BUFLEN];

        return g_variant_new_string(xv_uuid_format(xv_domain_obj_get_uuid(dom), buf));
    }
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("no property '%s' on interface 'org.libvirt.Domain'"), name);
    return NULL;
}

static GVariant *
domain_props_get(XvCall *call, GError **error)
{
    const char *iface, *name;
    GVariant *v;

    g_variant_get(call->params, "(&s&s)", &iface, &name);
    if (!g_str_equal(iface, "org.libvirt.Domain")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("no property '%1$s' on interface '%2$s' of domain objects"), name, iface);
        return NULL;
    }
    v = xv_domain_get_property(call->d, call->dom, name, error);
    return v != NULL ? g_variant_new("(v)", v) : NULL;
}

static GVariant *
domain_props_get_all(XvCall *call, GError **error)
{
    const char *iface;

    g_variant_get(call->params, "(&s)", &iface);
    if (iface[0] != '\0' && !g_str_equal(iface, "org.libvirt.Domain"))
        return g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
    return g_variant_new("(@a{sv})", xv_daemon_domain_all_props(call->d, call->dom));
}

static GVariant *
domain_props_set(XvCall *call, GError **error)
{
    const char *iface, *name;
    g_autoptr(GVariant) value = NULL;

    g_variant_get(call->params, "(&s&sv)", &iface, &name, &value);
    if (!g_str_equal(iface, "org.libvirt.Domain") || !g_str_equal(name, "Autostart")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("property '%1$s' of '%2$s' is not writable (only org.libvirt.Domain Autostart is)"),
                    name, iface);
        return NULL;
    }
    if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("property Autostart takes a boolean ('b'), not '%s'"),
                    g_variant_get_type_string(value));
        return NULL;
    }
    if (!xv_driver_domain_set_autostart(call->d->drv, call->dom, g_variant_get_boolean(value),
                                        error))
        return NULL;
    /* The driver has no event for autostart: announce the change here. */
    xv_daemon_domain_changed(call->d, call->dom);
    return g_variant_new("()");
}

const XvMethod xv_domain_props_methods[] = {
    { "Get", domain_props_get, XV_CALL_INLINE, FALSE },
    { "GetAll", domain_props_get_all, XV_CALL_INLINE, FALSE },
    { "Set", domain_props_set, XV_CALL_WORKER, TRUE },
    { NULL, NULL, 0, FALSE }
};
