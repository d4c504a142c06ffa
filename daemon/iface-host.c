/*
 * iface-host.c: xenvirt's own interfaces — org.xenvirt.Host1 (native config
 * conversion, foreign domains, virNodeGetInfo), org.xenvirt.Sim1 (simulated
 * host control, only served with the sim backend) and org.xenvirt.Domain1
 * (job progress, virDomainGetVcpus).
 */
#include "daemon/daemon.h"

#include <math.h>

#include "drivers/libxl/host-sim.h"
#include "drivers/libxl/libxl-conf.h"
#include "xmlconf/domain-conf.h"
#include "xmlconf/xl-conf.h"

/* ---- org.xenvirt.Host1 ------------------------------------------------- */

static GVariant *
xml_from_native(XvCall *call, GError **error)
{
    const char *format, *config;
    guint32 flags;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *xml = NULL;

    g_variant_get(call->params, "(&s&su)", &format, &config, &flags);
    XV_CHECK_FLAGS(flags, 0, "DomainXMLFromNative");
    if (!g_str_equal(format, "xen-xl")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported config type %s (supported: xen-xl)"), format);
        return NULL;
    }
    def = xv_xl_config_parse(config, strlen(config), "config", warnings, error);
    if (def == NULL)
        return NULL;
    for (guint i = 0; i < warnings->len; i++)
        g_info("DomainXMLFromNative: %s", (const char *)g_ptr_array_index(warnings, i));
    xml = xv_domain_def_format(def, XV_FORMAT_INACTIVE);
    return g_variant_new("(s)", xml);
}

static GVariant *
xml_to_native(XvCall *call, GError **error)
{
    const char *format, *xml;
    guint32 flags;
    g_autoptr(XvDomainDef) def = NULL;
    g_autofree char *out = NULL;

    g_variant_get(call->params, "(&s&su)", &format, &xml, &flags);
    XV_CHECK_FLAGS(flags, 0, "DomainXMLToNative");
    if (!g_str_equal(format, "xen-xl") && !g_str_equal(format, "libxl-json")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported config type %s (supported: xen-xl, libxl-json)"), format);
        return NULL;
    }
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);
    if (def == NULL)
        return NULL;
    if (g_str_equal(format, "xen-xl")) {
        out = xv_xl_config_format(def, error);
    } else {
        XvLibxlConfOptions opts;
        libxl_domain_config config;

        xv_libxl_conf_options_init(&opts);
        libxl_domain_config_init(&config);
        if (xv_libxl_config_from_def(def, &opts, &config, error))
            out = xv_libxl_config_to_json(&config, error);
        libxl_domain_config_dispose(&config);
    }
    return out != NULL ? g_variant_new("(s)", out) : NULL;
}

static GVariant *
list_foreign(XvCall *call, GError **error)
{
    g_autoptr(GPtrArray) list = xv_driver_list_foreign(call->d->drv, error);
    GVariantBuilder b;

    if (list == NULL)
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a(uss)"));
    for (guint i = 0; i < list->len; i++) {
        const XvForeignDomain *f = g_ptr_array_index(list, i);
        char uuid[XV_UUID_STRING_BUFLEN];

        g_variant_builder_add(&b, "(uss)", f->domid, f->name != NULL ? f->name : "",
                              xv_uuid_format(f->uuid, uuid));
    }
    return g_variant_new("(a(uss))", &b);
}

static GVariant *
adopt(XvCall *call, GError **error)
{
    guint32 domid, flags;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autofree char *path = NULL;

    g_variant_get(call->params, "(uu)", &domid, &flags);
    dom = xv_driver_adopt(call->d->drv, domid, flags, error);
    if (dom == NULL)
        return NULL;
    path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));
    return g_variant_new("(o)", path);
}

static GVariant *
job_counts(XvCall *call, GError **error)
{
    guint running = 0, queued = 0;

    xv_job_host_get_counts(xv_driver_get_job_host(call->d->drv), &running, &queued);
    return g_variant_new("(uu)", running, queued);
}

/* virNodeGetInfo, which libvirt-dbus lacks: the driver's virNodeInfo (from
 * libxl_physinfo, as libvirt's libxl driver fills it), so that clients see
 * the CPU frequency, which the capabilities XML does not carry. */
static GVariant *
node_get_info(XvCall *call, GError **error)
{
    virNodeInfo info;

    if (!xv_driver_node_get_info(call->d->drv, &info, error))
        return NULL;
    return g_variant_new("(stuuuuuu)", info.model, (guint64)info.memory, info.cpus, info.mhz,
                         info.nodes, info.sockets, info.cores, info.threads);
}

const XvMethod xv_host_methods[] = {
    { "DomainXMLFromNative", xml_from_native, XV_CALL_WORKER, FALSE },
    { "DomainXMLToNative", xml_to_native, XV_CALL_WORKER, FALSE },
    { "ListForeignDomains", list_foreign, XV_CALL_PRIORITY, FALSE },
    { "AdoptDomain", adopt, XV_CALL_WORKER, TRUE },
    { "GetJobCounts", job_counts, XV_CALL_INLINE, FALSE },
    /* asks the hypervisor (physinfo): the reserved pool, like NodeGetFreeMemory */
    { "NodeGetInfo", node_get_info, XV_CALL_PRIORITY, FALSE },
    { NULL, NULL, 0, FALSE }
};

/* ---- org.xenvirt.Sim1 -------------------------------------------------- */

static GVariant *
sim_set_speed(XvCall *call, GError **error)
{
    double speed;

    g_variant_get(call->params, "(d)", &speed);
    if (!isfinite(speed) || speed < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("simulation speed must be a finite number >= 0, not %g"), speed);
        return NULL;
    }
    xv_host_sim_set_speed(call->d->host, speed);
    return g_variant_new("()");
}

static GVariant *
sim_get_speed(XvCall *call, GError **error)
{
    return g_variant_new("(d)", xv_host_sim_get_speed(call->d->host));
}

static const struct {
    const char *key;
    gsize offset;
} behaviour_keys[] = {
    { "shutdown-delay-ms", G_STRUCT_OFFSET(XvHostSimBehaviour, shutdown_delay_ms) },
    { "crash-after-ms", G_STRUCT_OFFSET(XvHostSimBehaviour, crash_after_ms) },
    { "poweroff-after-ms", G_STRUCT_OFFSET(XvHostSimBehaviour, poweroff_after_ms) },
    { "reboot-after-ms", G_STRUCT_OFFSET(XvHostSimBehaviour, reboot_after_ms) },
    { "balloon-mib-per-s", G_STRUCT_OFFSET(XvHostSimBehaviour, balloon_mib_per_s) },
};

static GVariant *
sim_set_behaviour(XvCall *call, GError **error)
{
    guint32 domid;
    g_autoptr(GVariantIter) it = NULL;
    XvHostSimBehaviour b;
    const char *key;
    GVariant *value;

    g_variant_get(call->params, "(ua{sv})", &domid, &it);
    if (xv_host_sim_get_behaviour(call->d->host, domid, &b, error) != 0)
        return NULL;
    while (g_variant_iter_loop(it, "{&sv}", &key, &value)) {
        gboolean done = FALSE;

        if (g_str_equal(key, "shutdown")) {
            const char *mode = g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)
                                   ? g_variant_get_string(value, NULL) : "";

            if (g_str_equal(mode, "ack")) {
                b.shutdown = XV_HOST_SIM_SHUTDOWN_ACK;
            } else if (g_str_equal(mode, "ignore")) {
                b.shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
            } else {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("behaviour 'shutdown' must be the string 'ack' or 'ignore'"));
                g_variant_unref(value);
                return NULL;
            }
            continue;
        }
        for (gsize i = 0; i < G_N_ELEMENTS(behaviour_keys); i++) {
            if (!g_str_equal(key, behaviour_keys[i].key))
                continue;
            if (!g_variant_is_of_type(value, G_VARIANT_TYPE_INT64)) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("behaviour '%1$s' takes an int64 ('x'), not '%2$s'"), key,
                            g_variant_get_type_string(value));
                g_variant_unref(value);
                return NULL;
            }
            G_STRUCT_MEMBER(gint64, &b, behaviour_keys[i].offset) = g_variant_get_int64(value);
            done = TRUE;
        }
        if (!done) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("unknown guest behaviour '%s'"), key);
            g_variant_unref(value);
            return NULL;
        }
    }
    if (xv_host_sim_set_behaviour(call->d->host, domid, &b, error) != 0)
        return NULL;
    return g_variant_new("()");
}

static GVariant *
sim_get_behaviour(XvCall *call, GError **error)
{
    guint32 domid;
    XvHostSimBehaviour b;
    GVariantBuilder vb;

    g_variant_get(call->params, "(u)", &domid);
    if (xv_host_sim_get_behaviour(call->d->host, domid, &b, error) != 0)
        return NULL;
    g_variant_builder_init(&vb, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&vb, "{sv}", "shutdown",
                          g_variant_new_string(b.shutdown == XV_HOST_SIM_SHUTDOWN_ACK ? "ack"
                                                                                       : "ignore"));
    for (gsize i = 0; i < G_N_ELEMENTS(behaviour_keys); i++)
        g_variant_builder_add(&vb, "{sv}", behaviour_keys[i].key,
                              g_variant_new_int64(G_STRUCT_MEMBER(gint64, &b,
                                                                  behaviour_keys[i].offset)));
    return g_variant_new("(a{sv})", &vb);
}

static GVariant *
sim_guest_action(XvCall *call, GError **error)
{
    guint32 domid;
    const char *action;
    int r;

    g_variant_get(call->params, "(u&s)", &domid, &action);
    if (g_str_equal(action, "poweroff"))
        r = xv_host_sim_poweroff(call->d->host, domid, error);
    else if (g_str_equal(action, "crash"))
        r = xv_host_sim_crash(call->d->host, domid, error);
    else if (g_str_equal(action, "reboot"))
        r = xv_host_sim_guest_shutdown(call->d->host, domid, LIBXL_SHUTDOWN_REASON_REBOOT, error);
    else {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unknown guest action '%s' (poweroff, reboot or crash)"), action);
        return NULL;
    }
    return r == 0 ? g_variant_new("()") : NULL;
}

static GVariant *
sim_arm_fault(XvCall *call, GError **error)
{
    const char *spec;

    g_variant_get(call->params, "(&s)", &spec);
    if (!xv_host_sim_fault_arm_spec(call->d->host, spec, error))
        return NULL;
    return g_variant_new("()");
}

static GVariant *
sim_clear_faults(XvCall *call, GError **error)
{
    xv_host_sim_fault_clear(call->d->host);
    return g_variant_new("()");
}

static GVariant *
sim_list_fault_steps(XvCall *call, GError **error)
{
    return g_variant_new("(^as)", (char **)xv_host_sim_fault_steps());
}

static GVariant *
sim_create_foreign(XvCall *call, GError **error)
{
    const char *xml;
    guint32 flags, domid = 0;
    g_autoptr(XvDomainDef) def = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config config;
    gboolean ok;

    g_variant_get(call->params, "(&su)", &xml, &flags);
    XV_CHECK_FLAGS(flags, 0, "SimCreateForeign");
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);
    if (def == NULL)
        return NULL;
    xv_libxl_conf_options_init(&opts);
    libxl_domain_config_init(&config);
    ok = xv_libxl_config_from_def(def, &opts, &config, error) &&
         xv_host_sim_create_foreign(call->d->host, &config, &domid, error) == 0;
    libxl_domain_config_dispose(&config);
    return ok ? g_variant_new("(u)", domid) : NULL;
}

static GVariant *
sim_free_memory(XvCall *call, GError **error)
{
    return g_variant_new("(t)", xv_host_sim_free_memory_kb(call->d->host));
}

const XvMethod xv_sim_methods[] = {
    { "SimSetSpeed", sim_set_speed, XV_CALL_WORKER, TRUE },
    { "SimGetSpeed", sim_get_speed, XV_CALL_INLINE, FALSE },
    { "SimSetBehaviour", sim_set_behaviour, XV_CALL_WORKER, TRUE },
    { "SimGetBehaviour", sim_get_behaviour, XV_CALL_PRIORITY, FALSE },
    { "SimGuestAction", sim_guest_action, XV_CALL_WORKER, TRUE },
    { "SimArmFault", sim_arm_fault, XV_CALL_WORKER, TRUE },
    { "SimClearFaults", sim_clear_faults, XV_CALL_WORKER, TRUE },
    { "SimListFaultSteps", sim_list_fault_steps, XV_CALL_INLINE, FALSE },
    { "SimCreateForeign", sim_create_foreign, XV_CALL_WORKER, TRUE },
    { "SimGetFreeMemory", sim_free_memory, XV_CALL_PRIORITY, FALSE },
    { NULL, NULL, 0, FALSE }
};

/* ---- org.xenvirt.Domain1 ----------------------------------------------- */

static GVariant *
get_job_progress(XvCall *call, GError **error)
{
    g_auto(XvJobInfo) info = { 0 };

    if (!xv_driver_domain_get_job_info(call->d->drv, call->dom, FALSE, &info, error))
        return NULL;
    return xv_daemon_job_progress(&info);
}

/* virDomainGetVcpus, which libvirt-dbus lacks: a QUERY (the driver's job
 * rules let it run alongside an async job). */
static GVariant *
get_vcpu_info(XvCall *call, GError **error)
{
    guint32 flags;
    g_autoptr(GArray) vcpus = NULL;
    GVariantBuilder b;

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, 0, "virDomainGetVcpus");
    vcpus = xv_driver_domain_get_vcpus(call->d->drv, call->dom, error);
    if (vcpus == NULL)
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a(uiti)"));
    for (guint i = 0; i < vcpus->len; i++) {
        const XvVcpuInfo *v = &g_array_index(vcpus, XvVcpuInfo, i);

        g_variant_builder_add(&b, "(uiti)", v->number, v->state, v->cpu_time_ns, v->cpu);
    }
    return g_variant_new("(a(uiti))", &b);
}

const XvMethod xv_domain1_methods[] = {
    { "GetJobProgress", get_job_progress, XV_CALL_INLINE, FALSE },
    { "GetVcpuInfo", get_vcpu_info, XV_CALL_PRIORITY, FALSE },
    { NULL, NULL, 0, FALSE }
};
