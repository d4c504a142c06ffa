/*
 * cmd-host.c: host and connection commands: nodeinfo, freecell,
 * capabilities, domcapabilities, sysinfo, version, uri, hostname.
 */
#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libxml/parser.h>
#include <math.h>
#include <libxml/xpath.h>
#include <stdio.h>

#include "cli/cmd-util.h"
#include "cli/conn.h"
#include "cli/output.h"
#include "cli/xvirsh.h"
#include "util/xv-error.h"

#define XV_HOST1_IFACE "org.xenvirt.Host1"
#define JSON_OPT { "json", XV_OPT_BOOL, FALSE, N_("print the result as JSON") }

static char *
get_string_call(const char *method, GVariant *params, GError **error)
{
    g_autoptr(GVariant) reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, method, params,
                                        G_VARIANT_TYPE("(s)"), -1, error);
    char *s = NULL;

    if (reply != NULL)
        g_variant_get(reply, "(s)", &s);
    return s;
}

static void
print_doc(const char *xml)
{
    fputs(xml, stdout);
    if (!g_str_has_suffix(xml, "\n"))
        fputc('\n', stdout);
}

/* Numbers from the capabilities XML (xpath count() or number()). */
static double
xpath_number(xmlXPathContextPtr ctx, const char *expr)
{
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    double v = 0;

    if (obj != NULL && obj->type == XPATH_NUMBER && !isnan(obj->floatval))
        v = obj->floatval;
    xmlXPathFreeObject(obj);
    return v;
}

static char *
xpath_string(xmlXPathContextPtr ctx, const char *expr)
{
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    char *s = NULL;

    if (obj != NULL && obj->type == XPATH_STRING && obj->stringval != NULL)
        s = g_strdup((const char *)obj->stringval);
    xmlXPathFreeObject(obj);
    return s;
}

typedef struct {
    char *model;
    guint cpus, mhz, sockets, cores, threads, nodes;
    guint64 memory_kib;
    GArray *cell_ids;           /* of int */
} NodeInfo;

static void
node_info_clear(NodeInfo *ni)
{
    g_free(ni->model);
    if (ni->cell_ids != NULL)
        g_array_unref(ni->cell_ids);
}

/* The host topology from the capabilities XML: what libvirt-dbus offers,
 * and the only source of the NUMA cell ids (freecell --all).  The memory
 * total is the cells' sum and the frequency the TSC counter's, when the host
 * publishes one. */
static gboolean
node_caps_read(NodeInfo *ni, GError **error)
{
    g_autofree char *caps = get_string_call("GetCapabilities", NULL, error);
    xmlDocPtr doc;
    xmlXPathContextPtr ctx;
    xmlXPathObjectPtr cells;

    if (caps == NULL)
        return FALSE;
    doc = xmlReadMemory(caps, (int)strlen(caps), "capabilities.xml", NULL, XML_PARSE_NONET);
    if (doc == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR, "%s",
                    _("the daemon sent capabilities that are not well-formed XML"));
        return FALSE;
    }
    ctx = xmlXPathNewContext(doc);
    ni->model = xpath_string(ctx, "string(/capabilities/host/cpu/arch)");
    ni->cpus = (guint)xpath_number(ctx, "count(/capabilities/host/topology/cells/cell/cpus/cpu)");
    ni->sockets = (guint)xpath_number(ctx, "number(/capabilities/host/cpu/topology/@sockets)");
    ni->cores = (guint)xpath_number(ctx, "number(/capabilities/host/cpu/topology/@cores)");
    ni->threads = (guint)xpath_number(ctx, "number(/capabilities/host/cpu/topology/@threads)");
    ni->nodes = (guint)xpath_number(ctx, "count(/capabilities/host/topology/cells/cell)");
    ni->mhz = (guint)xpath_number(ctx, "number(/capabilities/host/cpu/counter[@name='tsc']/@frequency)") / 1000000;
    ni->memory_kib = (guint64)xpath_number(ctx, "sum(/capabilities/host/topology/cells/cell/memory)");
    ni->cell_ids = g_array_new(FALSE, FALSE, sizeof(int));
    cells = xmlXPathEvalExpression((const xmlChar *)"/capabilities/host/topology/cells/cell/@id", ctx);
    if (cells != NULL && cells->nodesetval != NULL) {
        for (int i = 0; i < cells->nodesetval->nodeNr; i++) {
            xmlChar *v = xmlNodeGetContent(cells->nodesetval->nodeTab[i]);
            int id = (int)g_ascii_strtoll((const char *)v, NULL, 10);

            g_array_append_val(ni->cell_ids, id);
            xmlFree(v);
        }
    }
    xmlXPathFreeObject(cells);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    if (ni->model == NULL)
        ni->model = g_strdup("");
    if (ni->nodes == 0)
        ni->nodes = 1;
    return TRUE;
}

/* virNodeGetInfo over D-Bus: xenvirt's org.xenvirt.Host1.NodeGetInfo, the
 * driver's virNodeInfo (the CPU frequency is only known to the
 * hypervisor).  A daemon without it (libvirt-dbus, an older xenvirtd): the
 * capabilities XML and the memory total of NodeGetMemoryStats. */
static gboolean
node_get_info(NodeInfo *ni, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(GVariant) ext = xv_call(XV_CONNECT_PATH, XV_HOST1_IFACE, "NodeGetInfo", NULL,
                                      G_VARIANT_TYPE("(stuuuuuu)"), -1, &local);
    g_autoptr(GVariant) mem = NULL;

    if (ext != NULL) {
        g_variant_get(ext, "(stuuuuuu)", &ni->model, &ni->memory_kib, &ni->cpus, &ni->mhz,
                      &ni->nodes, &ni->sockets, &ni->cores, &ni->threads);
        return TRUE;
    }
    if (!xv_error_is_unknown_member(local)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    if (!node_caps_read(ni, error))
        return FALSE;
    mem = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "NodeGetMemoryStats",
                  g_variant_new("(iu)", VIR_NODE_MEMORY_STATS_ALL_CELLS, 0),
                  G_VARIANT_TYPE("(a{st})"), -1, NULL);
    if (mem != NULL) {
        g_autoptr(GVariant) d = g_variant_get_child_value(mem, 0);
        guint64 total;

        if (g_variant_lookup(d, VIR_NODE_MEMORY_STATS_TOTAL, "t", &total))
            ni->memory_kib = total;
    }
    return TRUE;
}

static gboolean
cmd_nodeinfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    NodeInfo ni = { 0 };

    if (!node_get_info(&ni, error)) {
        node_info_clear(&ni);
        return FALSE;
    }
    if (xv_cmd_args_get_bool(args, "json")) {
        GVariantBuilder o;

        g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&o, "{sv}", "cpu_model", g_variant_new_string(ni.model));
        g_variant_builder_add(&o, "{sv}", "cpus", g_variant_new_uint32(ni.cpus));
        g_variant_builder_add(&o, "{sv}", "cpu_mhz", g_variant_new_uint32(ni.mhz));
        g_variant_builder_add(&o, "{sv}", "sockets", g_variant_new_uint32(ni.sockets));
        g_variant_builder_add(&o, "{sv}", "cores_per_socket", g_variant_new_uint32(ni.cores));
        g_variant_builder_add(&o, "{sv}", "threads_per_core", g_variant_new_uint32(ni.threads));
        g_variant_builder_add(&o, "{sv}", "numa_cells", g_variant_new_uint32(ni.nodes));
        g_variant_builder_add(&o, "{sv}", "memory_kib", g_variant_new_uint64(ni.memory_kib));
        xv_json_print(g_variant_builder_end(&o));
    } else {
        printf("%-20s %s\n", _("CPU model:"), ni.model);
        printf("%-20s %d\n", _("CPU(s):"), ni.cpus);
        printf("%-20s %d MHz\n", _("CPU frequency:"), ni.mhz);
        printf("%-20s %d\n", _("CPU socket(s):"), ni.sockets);
        printf("%-20s %d\n", _("Core(s) per socket:"), ni.cores);
        printf("%-20s %d\n", _("Thread(s) per core:"), ni.threads);
        printf("%-20s %d\n", _("NUMA cell(s):"), ni.nodes);
        printf("%-20s %lu KiB\n", _("Memory size:"), (unsigned long)ni.memory_kib);
    }
    node_info_clear(&ni);
    return TRUE;
}

static gboolean
cell_free_kib(int cell, guint64 *kib, GError **error)
{
    g_autoptr(GVariant) reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "NodeGetMemoryStats",
                                        g_variant_new("(iu)", cell, 0), G_VARIANT_TYPE("(a{st})"),
                                        -1, error);
    g_autoptr(GVariant) d = NULL;

    if (reply == NULL)
        return FALSE;
    d = g_variant_get_child_value(reply, 0);
    if (!g_variant_lookup(d, VIR_NODE_MEMORY_STATS_FREE, "t", kib)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("the daemon reported no free memory for cell %d"), cell);
        return FALSE;
    }
    return TRUE;
}

static gboolean
cmd_freecell(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    gboolean json = xv_cmd_args_get_bool(args, "json");
    gint64 cellno = -1;

    if (!xv_cmd_args_get_int(args, "cellno", &cellno, error))
        return FALSE;
    if (xv_cmd_args_get_bool(args, "all")) {
        NodeInfo ni = { 0 };
        guint64 total = 0;
        GVariantBuilder o;

        if (!node_caps_read(&ni, error)) {
            node_info_clear(&ni);
            return FALSE;
        }
        g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
        for (guint i = 0; i < ni.cell_ids->len; i++) {
            int id = g_array_index(ni.cell_ids, int, i);
            guint64 kib;

            if (!cell_free_kib(id, &kib, error)) {
                g_variant_builder_clear(&o);
                node_info_clear(&ni);
                return FALSE;
            }
            total += kib;
            if (json) {
                g_autofree char *k = g_strdup_printf("%d", id);

                g_variant_builder_add(&o, "{sv}", k, g_variant_new_uint64(kib));
            } else {
                printf("%5d: %10" G_GUINT64_FORMAT " KiB\n", id, kib);
            }
        }
        node_info_clear(&ni);
        if (json) {
            xv_json_print(g_variant_new_parsed("{'cells_free_kib': <%@a{sv}>, 'total_free_kib': <%t>}",
                                               g_variant_builder_end(&o), total));
        } else {
            g_variant_builder_clear(&o);
            printf("%s\n", "--------------------");
            printf("%5s: %10" G_GUINT64_FORMAT " KiB\n", _("Total"), total);
        }
        return TRUE;
    }
    if (cellno >= 0) {
        guint64 kib;

        if (!cell_free_kib((int)cellno, &kib, error))
            return FALSE;
        if (json)
            xv_json_print(g_variant_new_parsed("{'cell': <%i>, 'free_kib': <%t>}", (gint32)cellno, kib));
        else
            printf("%d: %" G_GUINT64_FORMAT " KiB\n", (int)cellno, kib);
        return TRUE;
    }
    {
        g_autoptr(GVariant) reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "NodeGetFreeMemory",
                                            NULL, G_VARIANT_TYPE("(t)"), -1, error);
        guint64 bytes;

        if (reply == NULL)
            return FALSE;
        g_variant_get(reply, "(t)", &bytes);
        if (json)
            xv_json_print(g_variant_new_parsed("{'total_free_kib': <%t>}", bytes / 1024));
        else
            printf("%s: %" G_GUINT64_FORMAT " KiB\n", _("Total"), bytes / 1024);
    }
    return TRUE;
}

static gboolean
cmd_capabilities(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autofree char *xml = get_string_call("GetCapabilities", NULL, error);

    if (xml == NULL)
        return FALSE;
    print_doc(xml);
    return TRUE;
}

static gboolean
cmd_domcapabilities(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autofree char *xml = NULL;

#define OPT(n) (xv_cmd_args_get_string(args, n) != NULL ? xv_cmd_args_get_string(args, n) : "")
    xml = get_string_call("GetDomainCapabilities",
                          g_variant_new("(ssssu)", OPT("emulatorbin"), OPT("arch"), OPT("machine"),
                                        OPT("virttype"), 0),
                          error);
#undef OPT
    if (xml == NULL)
        return FALSE;
    print_doc(xml);
    return TRUE;
}

static gboolean
cmd_sysinfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autofree char *xml = get_string_call("GetSysinfo", g_variant_new("(u)", 0), error);

    if (xml == NULL)
        return FALSE;
    print_doc(xml);
    return TRUE;
}

static void
split_version(guint64 v, guint *major, guint *minor, guint *micro)
{
    *major = (guint)(v / 1000000);
    *minor = (guint)((v % 1000000) / 1000);
    *micro = (guint)(v % 1000);
}

static gboolean
cmd_version(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(GVariant) props = xv_get_all_properties(XV_CONNECT_PATH, XV_CONNECT_IFACE, error);
    g_autoptr(GVariant) daemon = NULL;
    guint64 lib = 0, hv = 0;
    guint a, b, c, d, e, f;
    const char *dver = NULL;

    if (props == NULL)
        return FALSE;
    g_variant_lookup(props, "LibVersion", "t", &lib);
    g_variant_lookup(props, "Version", "t", &hv);
    daemon = xv_get_property(XV_CONNECT_PATH, XV_HOST1_IFACE, "DaemonVersion", NULL);
    if (daemon != NULL && g_variant_is_of_type(daemon, G_VARIANT_TYPE_STRING))
        dver = g_variant_get_string(daemon, NULL);
    split_version(lib, &a, &b, &c);
    split_version(hv, &d, &e, &f);
    if (xv_cmd_args_get_bool(args, "json")) {
        g_autofree char *libs = g_strdup_printf("%u.%u.%u", a, b, c);
        g_autofree char *hvs = g_strdup_printf("%u.%u.%u", d, e, f);

        xv_json_print(g_variant_new_parsed(
            "{'client': <%s>, 'library': <%s>, 'hypervisor': <%s>, 'daemon': <%s>}",
            PACKAGE_VERSION, libs, hvs, dver != NULL ? dver : ""));
        return TRUE;
    }
    printf(_("Compiled against library: xenvirt %s\n"), PACKAGE_VERSION);
    printf(_("Using library: xenvirt %1$u.%2$u.%3$u\n"), a, b, c);
    printf(_("Using API: Xen %1$u.%2$u.%3$u\n"), a, b, c);
    printf(_("Running hypervisor: Xen %1$u.%2$u.%3$u\n"), d, e, f);
    if (dver != NULL)
        printf(_("Running against daemon: %s\n"), dver);
    return TRUE;
}

static gboolean
cmd_uri(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    if (xv_conn_get(error) == NULL)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "json"))
        xv_json_print(g_variant_new_parsed("{'uri': <%s>}", xv_conn_uri()));
    else
        printf("%s\n", xv_conn_uri());
    return TRUE;
}

static gboolean
cmd_hostname(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(GVariant) v = xv_get_property(XV_CONNECT_PATH, XV_CONNECT_IFACE, "Hostname", error);

    if (v == NULL)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "json"))
        xv_json_print(g_variant_new_parsed("{'hostname': %v}", v));
    else
        printf("%s\n", g_variant_get_string(v, NULL));
    return TRUE;
}

static const XvOptDef opts_json[] = {
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_none[] = {
    { NULL }
};
static const XvOptDef opts_freecell[] = {
    { "cellno", XV_OPT_DATA, FALSE, N_("NUMA cell number") },
    { "all", XV_OPT_BOOL, FALSE, N_("show free memory for all NUMA cells") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_domcaps[] = {
    { "virttype", XV_OPT_STRING, FALSE, N_("virtualization type (/domain/@type)") },
    { "emulatorbin", XV_OPT_STRING, FALSE, N_("path to emulator binary (/domain/devices/emulator)") },
    { "arch", XV_OPT_STRING, FALSE, N_("domain architecture (/domain/os/type/@arch)") },
    { "machine", XV_OPT_STRING, FALSE, N_("machine type (/domain/os/type/@machine)") },
    { NULL }
};

const XvCmdDef xv_cmds_host[] = {
    { "capabilities", "host", N_("capabilities"), opts_none, cmd_capabilities },
    { "domcapabilities", "host", N_("domain capabilities"), opts_domcaps, cmd_domcapabilities },
    { "freecell", "host", N_("NUMA free memory"), opts_freecell, cmd_freecell },
    { "hostname", "host", N_("print the hypervisor hostname"), opts_json, cmd_hostname },
    { "nodeinfo", "host", N_("node information"), opts_json, cmd_nodeinfo },
    { "sysinfo", "host", N_("print the hypervisor sysinfo"), opts_none, cmd_sysinfo },
    { "uri", "host", N_("print the hypervisor canonical URI"), opts_json, cmd_uri },
    { "version", "host", N_("show version"), opts_json, cmd_version },
    { NULL }
};
