/*
 * iface-connect.c: org.libvirt.Connect on /org/libvirt/Xen, its properties,
 * and org.freedesktop.DBus.ObjectManager.GetManagedObjects.
 */
#include "daemon/daemon.h"

#include <unistd.h>

#include "drivers/libxl/host-sim.h"
#include "xmlconf/capabilities.h"

static GVariant *
dom_path_reply(XvDomainObj *dom)
{
    g_autofree char *path = NULL;

    if (dom == NULL)
        return NULL;
    path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));
    xv_domain_obj_unref(dom);
    return g_variant_new("(o)", path);
}

static GVariant *
list_domains(XvCall *call, GError **error)
{
    guint32 flags;
    g_autoptr(GPtrArray) doms = NULL;
    GVariantBuilder b;

    g_variant_get(call->params, "(u)", &flags);
    doms = xv_driver_list_domains(call->d->drv, flags, error);
    if (doms == NULL)
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("ao"));
    for (guint i = 0; i < doms->len; i++) {
        g_autofree char *p = xv_daemon_domain_path(
            xv_domain_obj_get_uuid(g_ptr_array_index(doms, i)));

        g_variant_builder_add(&b, "o", p);
    }
    return g_variant_new("(ao)", &b);
}

static GVariant *
domain_create_xml(XvCall *call, GError **error)
{
    const char *xml;
    guint32 flags;

    g_variant_get(call->params, "(&su)", &xml, &flags);
    return dom_path_reply(xv_driver_create_xml(call->d->drv, xml, flags, error));
}

static GVariant *
domain_define_xml(XvCall *call, GError **error)
{
    const char *xml;

    g_variant_get(call->params, "(&s)", &xml);
    return dom_path_reply(xv_driver_define_xml(call->d->drv, xml, 0, error));
}

static GVariant *
lookup_by_id(XvCall *call, GError **error)
{
    gint32 id;

    g_variant_get(call->params, "(i)", &id);
    return dom_path_reply(xv_driver_lookup_by_id(call->d->drv, id, error));
}

static GVariant *
lookup_by_name(XvCall *call, GError **error)
{
    const char *name;

    g_variant_get(call->params, "(&s)", &name);
    return dom_path_reply(xv_driver_lookup_by_name(call->d->drv, name, error));
}

static GVariant *
lookup_by_uuid(XvCall *call, GError **error)
{
    const char *uuid;

    g_variant_get(call->params, "(&s)", &uuid);
    return dom_path_reply(xv_driver_lookup_by_uuid_string(call->d->drv, uuid, error));
}

static GVariant *
domain_restore(XvCall *call, GError **error)
{
    const char *from, *xml;
    guint32 flags;
    g_autoptr(XvDomainObj) dom = NULL;

    g_variant_get(call->params, "(&s&su)", &from, &xml, &flags);
    dom = xv_driver_restore(call->d->drv, from, xml[0] != '\0' ? xml : NULL, flags, error);
    return dom != NULL ? g_variant_new("()") : NULL;
}

static GVariant *
save_image_define_xml(XvCall *call, GError **error)
{
    const char *file, *xml;
    guint32 flags;

    g_variant_get(call->params, "(&s&su)", &file, &xml, &flags);
    if (!xv_driver_save_image_define_xml(call->d->drv, file, xml, flags, error))
        return NULL;
    return g_variant_new("()");
}

static GVariant *
save_image_get_xml(XvCall *call, GError **error)
{
    const char *file;
    guint32 flags;
    g_autofree char *xml = NULL;

    g_variant_get(call->params, "(&su)", &file, &flags);
    xml = xv_driver_save_image_get_xml(call->d->drv, file, flags, error);
    return xml != NULL ? g_variant_new("(s)", xml) : NULL;
}

/* ---- stats (shared with Domain.GetStats) --------------------------------- */

#define SUPPORTED_STATS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                         VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU)

GVariant *xv_daemon_domain_stats(XvDaemon *d, XvDomainObj *dom, guint stats, gboolean nowait,
                                 GError **error);

/* nowait (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT): when a job holds the
 * domain so that a QUERY cannot begin at once, report what daemon state
 * knows (state, the cached cpu time and balloon, vcpu counts) and skip what
 * needs the hypervisor (per-vcpu stats), as libvirt does. */
GVariant *
xv_daemon_domain_stats(XvDaemon *d, XvDomainObj *dom, guint stats, gboolean nowait,
                       GError **error)
{
    g_autoptr(GError) busy = NULL;
    GVariantBuilder b;
    XvDomainInfo info = { 0 };
    int state = 0, reason = 0;
    gboolean active = xv_domain_obj_is_active(dom);

    if (stats == 0)
        stats = SUPPORTED_STATS;
    /* A QUERY when the domain runs (fresh cpu time); daemon state otherwise. */
    if (active && nowait &&
        !xv_driver_domain_get_info(d->drv, dom, XV_DRIVER_INFO_REFRESH | XV_DRIVER_INFO_NOWAIT,
                                   &info, &busy)) {
        if (!g_error_matches(busy, XV_ERROR, XV_ERROR_RESOURCE_BUSY)) {
            g_propagate_error(error, g_steal_pointer(&busy));
            return NULL;
        }
        active = FALSE;   /* no host query for this one */
        if (!xv_driver_domain_get_info(d->drv, dom, 0, &info, error))
            return NULL;
    } else if (!(active && nowait) &&
               !xv_driver_domain_get_info(d->drv, dom, active ? XV_DRIVER_INFO_REFRESH : 0,
                                          &info, error)) {
        return NULL;
    }
    if (!xv_driver_domain_get_state(d->drv, dom, &state, &reason, error))
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
    if (stats & VIR_DOMAIN_STATS_STATE) {
        g_variant_builder_add(&b, "{sv}", "state.state", g_variant_new_int32(state));
        g_variant_builder_add(&b, "{sv}", "state.reason", g_variant_new_int32(reason));
    }
    if (stats & VIR_DOMAIN_STATS_CPU_TOTAL)
        g_variant_builder_add(&b, "{sv}", "cpu.time", g_variant_new_uint64(info.cpu_time_ns));
    if (stats & VIR_DOMAIN_STATS_BALLOON) {
        g_variant_builder_add(&b, "{sv}", "balloon.current", g_variant_new_uint64(info.memory_kb));
        g_variant_builder_add(&b, "{sv}", "balloon.maximum", g_variant_new_uint64(info.max_mem_kb));
    }
    if (stats & VIR_DOMAIN_STATS_VCPU) {
        int cur = xv_driver_domain_get_vcpus_flags(d->drv, dom, VIR_DOMAIN_AFFECT_CURRENT, NULL);
        int max = xv_driver_domain_get_vcpus_flags(d->drv, dom,
                                                   VIR_DOMAIN_AFFECT_CURRENT | VIR_DOMAIN_VCPU_MAXIMUM,
                                                   NULL);

        if (cur >= 0)
            g_variant_builder_add(&b, "{sv}", "vcpu.current", g_variant_new_uint32((guint)cur));
        if (max >= 0)
            g_variant_builder_add(&b, "{sv}", "vcpu.maximum", g_variant_new_uint32((guint)max));
        /* libvirt's keys and types, the ones its libxl driver reports:
         * vcpu.<n>.state (int, virVcpuState) and vcpu.<n>.time (ullong, ns)
         * for each vcpu the host lists (libxl_list_vcpu: up to the maximum,
         * an unplugged one as offline); only while the domain runs (a QUERY,
         * so beside any async job).  libvirt has no stats key for the
         * physical cpu: that is org.xenvirt.Domain1.GetVcpuInfo
         * (virDomainGetVcpus). */
        if (active) {
            g_autoptr(GArray) vcpus = xv_driver_domain_get_vcpus(d->drv, dom, NULL);

            for (guint i = 0; vcpus != NULL && i < vcpus->len; i++) {
                const XvVcpuInfo *v = &g_array_index(vcpus, XvVcpuInfo, i);
                g_autofree char *k1 = g_strdup_printf("vcpu.%u.state", v->number);
                g_autofree char *k2 = g_strdup_printf("vcpu.%u.time", v->number);

                g_variant_builder_add(&b, "{sv}", k1, g_variant_new_int32(v->state));
                g_variant_builder_add(&b, "{sv}", k2, g_variant_new_uint64(v->cpu_time_ns));
            }
        }
    }
    return g_variant_builder_end(&b);
}

static GVariant *
get_all_domain_stats(XvCall *call, GError **error)
{
    guint32 stats, flags;
    g_autoptr(GPtrArray) doms = NULL;
    GVariantBuilder b;
    const guint list_bits = 0xff;

    g_variant_get(call->params, "(uu)", &stats, &flags);
    XV_CHECK_FLAGS(flags, list_bits | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                              VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                              VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                   "virConnectGetAllDomainStats");
    if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) && (stats & ~SUPPORTED_STATS)) {
        g_set_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED,
                    _("requested stats 0x%x are not supported by the Xen driver (supported: state, cpu-total, balloon, vcpu)"),
                    stats & ~SUPPORTED_STATS);
        return NULL;
    }
    doms = xv_driver_list_domains(call->d->drv, flags & list_bits, error);
    if (doms == NULL)
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a(sa{sv})"));
    for (guint i = 0; i < doms->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(doms, i);
        g_autofree char *path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));
        GVariant *rec;

        if (xv_domain_obj_get_id(dom) == 0)
            continue;   /* Domain-0: no stats through the driver */
        rec = xv_daemon_domain_stats(call->d, dom, stats & SUPPORTED_STATS,
                                     (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT) != 0,
                                     NULL);
        if (rec != NULL)   /* undefined meanwhile: skipped, as libvirt does */
            g_variant_builder_add(&b, "(s@a{sv})", path, rec);
    }
    return g_variant_new("(a(sa{sv}))", &b);
}

/* ---- host ---------------------------------------------------------------- */

static GVariant *
get_capabilities(XvCall *call, GError **error)
{
    g_autofree char *caps = xv_driver_get_capabilities(call->d->drv, error);

    return caps != NULL ? g_variant_new("(s)", caps) : NULL;
}

static GVariant *
get_domain_capabilities(XvCall *call, GError **error)
{
    const char *emu, *arch, *machine, *virttype;
    guint32 flags;
    g_autoptr(XvCapsHost) caps = NULL;
    g_autofree char *xml = NULL;

    g_variant_get(call->params, "(&s&s&s&su)", &emu, &arch, &machine, &virttype, &flags);
    XV_CHECK_FLAGS(flags, 0, "virConnectGetDomainCapabilities");
    if ((caps = xv_driver_get_caps_host(call->d->drv, error)) == NULL)
        return NULL;
    xml = xv_domain_caps_format(caps, emu[0] ? emu : NULL, arch[0] ? arch : NULL,
                                machine[0] ? machine : NULL, virttype[0] ? virttype : NULL, error);
    return xml != NULL ? g_variant_new("(s)", xml) : NULL;
}

static char *
dmi_value(const char *name)
{
    g_autofree char *path = g_build_filename("/sys/class/dmi/id", name, NULL);
    g_autofree char *val = NULL;
    g_autofree char *esc = NULL;

    if (!g_file_get_contents(path, &val, NULL, NULL))
        return NULL;
    g_strstrip(val);
    if (val[0] == '\0')
        return NULL;
    esc = g_markup_escape_text(val, -1);
    return g_steal_pointer(&esc);
}

static void
sysinfo_entry(GString *s, const char *entry, const char *file)
{
    g_autofree char *v = dmi_value(file);

    if (v != NULL)
        g_string_append_printf(s, "    <entry name='%s'>%s</entry>\n", entry, v);
}

/* libvirt's host sysinfo (SMBIOS from sysfs, as virSysinfoRead does). */
static GVariant *
get_sysinfo(XvCall *call, GError **error)
{
    guint32 flags;
    g_autoptr(GString) s = g_string_new("<sysinfo type='smbios'>\n");

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, 0, "virConnectGetSysinfo");
    g_string_append(s, "  <bios>\n");
    sysinfo_entry(s, "vendor", "bios_vendor");
    sysinfo_entry(s, "version", "bios_version");
    sysinfo_entry(s, "date", "bios_date");
    sysinfo_entry(s, "release", "bios_release");
    g_string_append(s, "  </bios>\n  <system>\n");
    sysinfo_entry(s, "manufacturer", "sys_vendor");
    sysinfo_entry(s, "product", "product_name");
    sysinfo_entry(s, "version", "product_version");
    sysinfo_entry(s, "family", "product_family");
    g_string_append(s, "  </system>\n</sysinfo>\n");
    return g_variant_new("(s)", s->str);
}

static GVariant *
node_get_cpu_map(XvCall *call, GError **error)
{
    guint32 flags;
    virNodeInfo ni;
    GVariantBuilder b;

    g_variant_get(call->params, "(u)", &flags);
    XV_CHECK_FLAGS(flags, 0, "virNodeGetCPUMap");
    if (!xv_driver_node_get_info(call->d->drv, &ni, error))
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("ab"));
    for (guint i = 0; i < ni.cpus; i++)
        g_variant_builder_add(&b, "b", TRUE);
    return g_variant_new("(ab)", &b);
}

/* Domain-0's /proc/stat, as libvirt's libxl driver reports (virHostCPUGetStats). */
static GVariant *
node_get_cpu_stats(XvCall *call, GError **error)
{
    gint32 cpu;
    guint32 flags;
    g_autofree char *data = NULL;
    g_autofree char *want = NULL;
    g_auto(GStrv) lines = NULL;
    double tick_ns = 1e9 / (double)sysconf(_SC_CLK_TCK);

    g_variant_get(call->params, "(iu)", &cpu, &flags);
    XV_CHECK_FLAGS(flags, 0, "virNodeGetCPUStats");
    if (cpu < -1) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cpuNum %d is not a cpu number (use -1 for the total)"), cpu);
        return NULL;
    }
    if (!g_file_get_contents("/proc/stat", &data, NULL, error))
        return NULL;
    want = cpu == VIR_NODE_CPU_STATS_ALL_CPUS ? g_strdup("cpu ") : g_strdup_printf("cpu%d ", cpu);
    lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        guint64 user, nice, sys, idle, iowait;
        GVariantBuilder b;

        if (!g_str_has_prefix(lines[i], want))
            continue;
        if (sscanf(lines[i] + strlen(want), "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                   " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                   &user, &nice, &sys, &idle, &iowait) != 5)
            break;
        g_variant_builder_init(&b, G_VARIANT_TYPE("a{st}"));
        g_variant_builder_add(&b, "{st}", VIR_NODE_CPU_STATS_KERNEL, (guint64)(sys * tick_ns));
        g_variant_builder_add(&b, "{st}", VIR_NODE_CPU_STATS_USER,
                              (guint64)((user + nice) * tick_ns));
        g_variant_builder_add(&b, "{st}", VIR_NODE_CPU_STATS_IDLE, (guint64)(idle * tick_ns));
        g_variant_builder_add(&b, "{st}", VIR_NODE_CPU_STATS_IOWAIT, (guint64)(iowait * tick_ns));
        return g_variant_new("(a{st})", &b);
    }
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("Invalid cpuNum in virHostCPUGetStats: cpu %d does not exist"), cpu);
    return NULL;
}

static GVariant *
node_get_free_memory(XvCall *call, GError **error)
{
    guint64 bytes;

    if (!xv_driver_node_get_free_memory(call->d->drv, &bytes, error))
        return NULL;
    return g_variant_new("(t)", bytes);
}

static GVariant *
node_get_memory_stats(XvCall *call, GError **error)
{
    gint32 cell;
    guint32 flags;
    virNodeInfo ni;
    guint64 free_bytes;
    GVariantBuilder b;

    g_variant_get(call->params, "(iu)", &cell, &flags);
    XV_CHECK_FLAGS(flags, 0, "virNodeGetMemoryStats");
    if (!xv_driver_node_get_info(call->d->drv, &ni, error) ||
        !xv_driver_node_get_free_memory(call->d->drv, &free_bytes, error))
        return NULL;
    if (cell != VIR_NODE_MEMORY_STATS_ALL_CELLS && !(cell == 0 && ni.nodes <= 1)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cellNum %d: per-cell memory stats are not available on this host (use -1 for the whole host)"),
                    cell);
        return NULL;
    }
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{st}"));
    g_variant_builder_add(&b, "{st}", VIR_NODE_MEMORY_STATS_TOTAL, (guint64)ni.memory);
    g_variant_builder_add(&b, "{st}", VIR_NODE_MEMORY_STATS_FREE, free_bytes / 1024);
    return g_variant_new("(a{st})", &b);
}

static GVariant *
node_get_security_model(XvCall *call, GError **error)
{
    /* No security driver on Xen: libvirt's libxl driver answers empty strings. */
    return g_variant_new("((ss))", "", "");
}

const XvMethod xv_connect_methods[] = {
    { "ListDomains", list_domains, XV_CALL_INLINE, FALSE },
    { "DomainCreateXML", domain_create_xml, XV_CALL_LONG, TRUE },
    { "DomainDefineXML", domain_define_xml, XV_CALL_WORKER, TRUE },
    { "DomainLookupByID", lookup_by_id, XV_CALL_INLINE, FALSE },
    { "DomainLookupByName", lookup_by_name, XV_CALL_INLINE, FALSE },
    { "DomainLookupByUUID", lookup_by_uuid, XV_CALL_INLINE, FALSE },
    { "DomainRestore", domain_restore, XV_CALL_LONG, TRUE },
    { "DomainSaveImageDefineXML", save_image_define_xml, XV_CALL_WORKER, TRUE },
    /* Reads a file of the caller's choosing as root: privileged. */
    { "DomainSaveImageGetXMLDesc", save_image_get_xml, XV_CALL_WORKER, TRUE },
    { "GetAllDomainStats", get_all_domain_stats, XV_CALL_PRIORITY, FALSE },
    { "GetCapabilities", get_capabilities, XV_CALL_PRIORITY, FALSE },
    { "GetDomainCapabilities", get_domain_capabilities, XV_CALL_PRIORITY, FALSE },
    { "GetSysinfo", get_sysinfo, XV_CALL_PRIORITY, FALSE },
    { "NodeGetCPUMap", node_get_cpu_map, XV_CALL_PRIORITY, FALSE },
    { "NodeGetCPUStats", node_get_cpu_stats, XV_CALL_PRIORITY, FALSE },
    { "NodeGetFreeMemory", node_get_free_memory, XV_CALL_PRIORITY, FALSE },
    { "NodeGetMemoryStats", node_get_memory_stats, XV_CALL_PRIORITY, FALSE },
    { "NodeGetSecurityModel", node_get_security_model, XV_CALL_INLINE, FALSE },
    { NULL, NULL, 0, FALSE }
};

/* ---- properties of the connection object ------------------------------- */

static GVariant *
connect_property(XvDaemon *d, const char *name, GError **error)
{
    if (g_str_equal(name, "Encrypted"))
        return g_variant_new_boolean(FALSE);
    if (g_str_equal(name, "Secure"))
        return g_variant_new_boolean(TRUE);   /* local transports only */
    if (g_str_equal(name, "Hostname"))
        return g_variant_new_string(d->hostname);
    if (g_str_equal(name, "LibVersion")) {
        guint major = 0, minor = 0, micro = 0;

        sscanf(PACKAGE_VERSION, "%u.%u.%u", &major, &minor, &micro);
        return g_variant_new_uint64((guint64)major * 1000000 + minor * 1000 + micro);
    }
    if (g_str_equal(name, "Version"))
        return g_variant_new_uint64(d->hv_version);
    if (g_str_equal(name, "Backend"))
        return g_variant_new_string(d->is_sim ? "sim" : "libxl");
    if (g_str_equal(name, "DaemonVersion"))
        return g_variant_new_string(PACKAGE_VERSION);
    if (g_str_equal(name, "Directory") && d->is_sim)
        return g_variant_new_string(xv_host_sim_get_dir(d->host));
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, _("No such property '%s'"),
                name);
    return NULL;
}

static const char *const connect_props[] = { "Encrypted", "Hostname", "LibVersion", "Secure",
                                             "Version", NULL };
static const char *const host_props[] = { "Backend", "DaemonVersion", NULL };
static const char *const sim_props[] = { "Directory", NULL };

static const char *const *
props_of(XvDaemon *d, const char *iface)
{
    if (g_str_equal(iface, "org.libvirt.Connect"))
        return connect_props;
    if (g_str_equal(iface, "org.xenvirt.Host1"))
        return host_props;
    if (g_str_equal(iface, "org.xenvirt.Sim1") && d->is_sim)
        return sim_props;
    return NULL;
}

static GVariant *
connect_props_get(XvCall *call, GError **error)
{
    const char *iface, *name;
    const char *const *names;
    GVariant *v;

    g_variant_get(call->params, "(&s&s)", &iface, &name);
    names = props_of(call->d, iface);
    if (names == NULL || !g_strv_contains(names, name)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("no property '%1$s' on interface '%2$s' of /org/libvirt/Xen"), name, iface);
        return NULL;
    }
    v = connect_property(call->d, name, error);
    return v != NULL ? g_variant_new("(v)", v) : NULL;
}

static GVariant *
connect_props_get_all(XvCall *call, GError **error)
{
    const char *iface;
    const char *const *names;
    GVariantBuilder b;

    g_variant_get(call->params, "(&s)", &iface);
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
    names = props_of(call->d, iface);
    for (guint i = 0; names != NULL && names[i] != NULL; i++)
        g_variant_builder_add(&b, "{sv}", names[i], connect_property(call->d, names[i], NULL));
    return g_variant_new("(a{sv})", &b);
}

static GVariant *
connect_props_set(XvCall *call, GError **error)
{
    const char *iface, *name;

    g_variant_get(call->params, "(&s&sv)", &iface, &name, NULL);
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("property '%1$s' of '%2$s' is read-only"), name, iface);
    return NULL;
}

const XvMethod xv_connect_props_methods[] = {
    { "Get", connect_props_get, XV_CALL_INLINE, FALSE },
    { "GetAll", connect_props_get_all, XV_CALL_INLINE, FALSE },
    { "Set", connect_props_set, XV_CALL_INLINE, TRUE },
    { NULL, NULL, 0, FALSE }
};

/* ---- ObjectManager ------------------------------------------------------ */

static GVariant *
get_managed_objects(XvCall *call, GError **error)
{
    g_autoptr(GPtrArray) doms = xv_driver_list_domains(call->d->drv, 0, error);
    GVariantBuilder b;

    if (doms == NULL)
        return NULL;
    g_variant_builder_init(&b, G_VARIANT_TYPE("a{oa{sa{sv}}}"));
    for (guint i = 0; i < doms->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(doms, i);
        g_autofree char *path = xv_daemon_domain_path(xv_domain_obj_get_uuid(dom));
        GVariantBuilder ifaces;

        g_variant_builder_init(&ifaces, G_VARIANT_TYPE("a{sa{sv}}"));
        g_variant_builder_add(&ifaces, "{s@a{sv}}", "org.libvirt.Domain",
                              xv_daemon_domain_all_props(call->d, dom));
        g_variant_builder_add(&ifaces, "{s@a{sv}}", "org.xenvirt.Domain1",
                              g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
        g_variant_builder_add(&b, "{oa{sa{sv}}}", path, &ifaces);
    }
    return g_variant_new("(a{oa{sa{sv}}})", &b);
}

const XvMethod xv_objmgr_methods[] = {
    { "GetManagedObjects", get_managed_objects, XV_CALL_INLINE, FALSE },
    { NULL, NULL, 0, FALSE }
};
