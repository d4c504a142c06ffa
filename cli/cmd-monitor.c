/*
 * cmd-monitor.c: read commands: list, dominfo, domstate, domid, domname,
 * domuuid, vcpuinfo, vcpupin, vcpucount, dommemstat, schedinfo, domstats,
 * domjobinfo, event.  Text layouts are virsh's; --json prints one value.
 */
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd-util.h"
#include "cli/conn.h"
#include "cli/output.h"
#include "cli/xvirsh.h"
#include "util/xv-bitmap.h"
#include "util/xv-error.h"

#define XV_DOMAIN1_IFACE "org.xenvirt.Domain1"
#define JSON_OPT { "json", XV_OPT_BOOL, FALSE, N_("print the result as JSON") }

/* ---- list -------------------------------------------------------------- */

typedef struct {
    char *path;
    char *name;
    char *uuid;
    guint32 id;                 /* G_MAXUINT32 when inactive */
    gboolean active, persistent, autostart;
    int state, reason;
    gboolean managed_save;
    char *title;
} ListEntry;

static void
list_entry_free(gpointer p)
{
    ListEntry *e = p;

    g_free(e->path);
    g_free(e->name);
    g_free(e->uuid);
    g_free(e->title);
    g_free(e);
}

static int
list_entry_cmp(gconstpointer a, gconstpointer b)
{
    const ListEntry *x = *(ListEntry *const *)a;
    const ListEntry *y = *(ListEntry *const *)b;

    /* virsh: running domains by id, then inactive ones by name */
    if (x->id != G_MAXUINT32 && y->id != G_MAXUINT32)
        return x->id < y->id ? -1 : x->id > y->id;
    if (x->id != G_MAXUINT32)
        return -1;
    if (y->id != G_MAXUINT32)
        return 1;
    return g_ascii_strcasecmp(x->name, y->name);
}

static ListEntry *
entry_from_props(const char *path, GVariant *props)
{
    ListEntry *e = g_new0(ListEntry, 1);

    e->path = g_strdup(path);
    if (!g_variant_lookup(props, "Name", "s", &e->name))
        e->name = g_strdup("");
    if (!g_variant_lookup(props, "UUID", "s", &e->uuid))
        e->uuid = g_strdup("");
    g_variant_lookup(props, "Active", "b", &e->active);
    g_variant_lookup(props, "Persistent", "b", &e->persistent);
    g_variant_lookup(props, "Autostart", "b", &e->autostart);
    e->id = G_MAXUINT32;
    if (e->active)
        g_variant_lookup(props, "Id", "u", &e->id);
    e->state = e->active ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_SHUTOFF;
    return e;
}

/* All domains in a constant number of round trips: the ObjectManager for
 * the properties, GetAllDomainStats for the states. */
static GPtrArray *
collect_domains(GError **error)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(list_entry_free);
    g_autoptr(GVariant) objs = NULL;
    g_autoptr(GVariant) stats = NULL;
    g_autoptr(GVariantIter) it = NULL;
    g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GError) local = NULL;
    const char *path;
    GVariant *ifaces;

    objs = xv_call(XV_CONNECT_PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                   NULL, G_VARIANT_TYPE("(a{oa{sa{sv}}})"), -1, &local);
    if (objs != NULL) {
        g_variant_get(objs, "(a{oa{sa{sv}}})", &it);
        while (g_variant_iter_next(it, "{&o@a{sa{sv}}}", &path, &ifaces)) {
            g_autoptr(GVariant) props = g_variant_lookup_value(ifaces, XV_DOMAIN_IFACE,
                                                               G_VARIANT_TYPE("a{sv}"));

            if (props != NULL)
                g_ptr_array_add(list, entry_from_props(path, props));
            g_variant_unref(ifaces);
        }
    } else if (xv_error_is_unreachable(local) ||
               !g_error_matches(local, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    } else {
        /* a libvirt-dbus without ObjectManager: one call per domain */
        g_autoptr(GVariant) paths = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "ListDomains",
                                            g_variant_new("(u)", 0), G_VARIANT_TYPE("(ao)"), -1,
                                            error);
        g_autoptr(GVariantIter) pit = NULL;

        if (paths == NULL)
            return NULL;
        g_variant_get(paths, "(ao)", &pit);
        while (g_variant_iter_next(pit, "&o", &path)) {
            g_autoptr(GVariant) props = xv_get_all_properties(path, XV_DOMAIN_IFACE, error);

            if (props == NULL)
                return NULL;
            g_ptr_array_add(list, entry_from_props(path, props));
        }
    }
    for (guint i = 0; i < list->len; i++) {
        ListEntry *e = g_ptr_array_index(list, i);

        g_hash_table_insert(by_name, e->name, e);
        g_hash_table_insert(by_name, e->path, e);
    }
    stats = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "GetAllDomainStats",
                    g_variant_new("(uu)", VIR_DOMAIN_STATS_STATE, 0),
                    G_VARIANT_TYPE("(a(sa{sv}))"), -1, error);
    if (stats == NULL)
        return NULL;
    {
        g_autoptr(GVariantIter) sit = NULL;
        const char *name;
        GVariant *rec;

        g_variant_get(stats, "(a(sa{sv}))", &sit);
        while (g_variant_iter_next(sit, "(&s@a{sv})", &name, &rec)) {
            /* libvirt-dbus names each record by the domain's object path */
            ListEntry *e = g_hash_table_lookup(by_name, name);
            gint64 v;

            if (e != NULL) {
                if (xv_dict_get_i64(rec, "state.state", &v))
                    e->state = (int)v;
                if (xv_dict_get_i64(rec, "state.reason", &v))
                    e->reason = (int)v;
            }
            g_variant_unref(rec);
        }
    }
    g_ptr_array_sort(list, list_entry_cmp);
    return g_steal_pointer(&list);
}

static gboolean
list_filter(XvCmdArgs *args, const ListEntry *e)
{
    gboolean all = xv_cmd_args_get_bool(args, "all");
    gboolean inactive = xv_cmd_args_get_bool(args, "inactive");
    gboolean st_run = xv_cmd_args_get_bool(args, "state-running");
    gboolean st_paused = xv_cmd_args_get_bool(args, "state-paused");
    gboolean st_off = xv_cmd_args_get_bool(args, "state-shutoff");
    gboolean st_other = xv_cmd_args_get_bool(args, "state-other");

    if (st_run || st_paused || st_off || st_other) {
        gboolean other = e->state != VIR_DOMAIN_RUNNING && e->state != VIR_DOMAIN_PAUSED &&
                         e->state != VIR_DOMAIN_SHUTOFF;

        if (!((st_run && e->state == VIR_DOMAIN_RUNNING) ||
              (st_paused && e->state == VIR_DOMAIN_PAUSED) ||
              (st_off && e->state == VIR_DOMAIN_SHUTOFF) || (st_other && other)))
            return FALSE;
    } else if (!all) {
        if (inactive && e->active)
            return FALSE;
        if (!inactive && !e->active)
            return FALSE;
    }
    if (xv_cmd_args_get_bool(args, "persistent") && !e->persistent)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "transient") && e->persistent)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "autostart") && !e->autostart)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "no-autostart") && e->autostart)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "with-managed-save") && !e->managed_save)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "without-managed-save") && e->managed_save)
        return FALSE;
    return TRUE;
}

static char *
xml_title(const char *xml)
{
    const char *a = strstr(xml, "<title>");
    const char *b = a != NULL ? strstr(a, "</title>") : NULL;
    g_autofree char *raw = NULL;
    GString *s;

    if (b == NULL)
        return NULL;
    raw = g_strndup(a + 7, (gsize)(b - a - 7));
    s = g_string_new(raw);
    g_string_replace(s, "&lt;", "<", 0);
    g_string_replace(s, "&gt;", ">", 0);
    g_string_replace(s, "&quot;", "\"", 0);
    g_string_replace(s, "&apos;", "'", 0);
    g_string_replace(s, "&amp;", "&", 0);
    return g_string_free(s, FALSE);
}

static gboolean
cmd_list(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(GPtrArray) all = collect_domains(error);
    g_autoptr(GPtrArray) shown = g_ptr_array_new();
    gboolean need_ms = xv_cmd_args_get_bool(args, "managed-save") ||
                       xv_cmd_args_get_bool(args, "with-managed-save") ||
                       xv_cmd_args_get_bool(args, "without-managed-save");
    gboolean title = xv_cmd_args_get_bool(args, "title");
    gboolean opt_name = xv_cmd_args_get_bool(args, "name");
    gboolean opt_uuid = xv_cmd_args_get_bool(args, "uuid");
    gboolean opt_table = xv_cmd_args_get_bool(args, "table");

    if (all == NULL)
        return FALSE;
    if (opt_table && (opt_name || opt_uuid)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("Options --table and --name/--uuid are mutually exclusive"));
        return FALSE;
    }
    for (guint i = 0; i < all->len; i++) {
        ListEntry *e = g_ptr_array_index(all, i);

        /* per-domain calls only for the columns that need them, as virsh */
        if (need_ms && !e->active) {
            g_autoptr(GVariant) r = xv_call(e->path, XV_DOMAIN_IFACE, "HasManagedSaveImage",
                                            g_variant_new("(u)", 0), G_VARIANT_TYPE("(b)"), -1,
                                            NULL);

            if (r != NULL)
                g_variant_get(r, "(b)", &e->managed_save);
        }
        if (!list_filter(args, e))
            continue;
        if (title) {
            g_autoptr(GVariant) r =
                xv_call(e->path, XV_DOMAIN_IFACE, "GetMetadata",
                        g_variant_new("(isu)", VIR_DOMAIN_METADATA_TITLE, "", 0),
                        G_VARIANT_TYPE("(s)"), -1, NULL);

            if (r != NULL) {
                g_variant_get(r, "(s)", &e->title);
            } else {
                /* a daemon without GetMetadata: the <title> of the XML */
                g_autoptr(GVariant) x = xv_call(e->path, XV_DOMAIN_IFACE, "GetXMLDesc",
                                                g_variant_new("(u)", 0), G_VARIANT_TYPE("(s)"),
                                                -1, NULL);
                const char *xml;

                if (x != NULL) {
                    g_variant_get(x, "(&s)", &xml);
                    e->title = xml_title(xml);
                }
            }
        }
        g_ptr_array_add(shown, e);
    }

    if (xv_cmd_args_get_bool(args, "json")) {
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
        for (guint i = 0; i < shown->len; i++) {
            ListEntry *e = g_ptr_array_index(shown, i);
            GVariantBuilder o;

            g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
            g_variant_builder_add(&o, "{sv}", "id",
                                  e->id == G_MAXUINT32 ? g_variant_new_maybe(G_VARIANT_TYPE_INT64, NULL)
                                                       : g_variant_new_int64(e->id));
            g_variant_builder_add(&o, "{sv}", "name", g_variant_new_string(e->name));
            g_variant_builder_add(&o, "{sv}", "uuid", g_variant_new_string(e->uuid));
            g_variant_builder_add(&o, "{sv}", "state",
                                  g_variant_new_string(xv_state_to_id(e->state)));
            g_variant_builder_add(&o, "{sv}", "reason",
                                  g_variant_new_string(xv_state_reason_to_string(e->state, e->reason)));
            g_variant_builder_add(&o, "{sv}", "persistent", g_variant_new_boolean(e->persistent));
            g_variant_builder_add(&o, "{sv}", "autostart", g_variant_new_boolean(e->autostart));
            if (need_ms)
                g_variant_builder_add(&o, "{sv}", "managed_save",
                                      g_variant_new_boolean(e->managed_save));
            if (title)
                g_variant_builder_add(&o, "{sv}", "title",
                                      g_variant_new_string(e->title != NULL ? e->title : ""));
            g_variant_builder_add(&b, "a{sv}", &o);
        }
        xv_json_print(g_variant_builder_end(&b));
        return TRUE;
    }

    if (opt_name || opt_uuid) {
        for (guint i = 0; i < shown->len; i++) {
            ListEntry *e = g_ptr_array_index(shown, i);

            if (opt_name && opt_uuid)
                printf("%-36s %s\n", e->uuid, e->name);
            else
                printf("%s\n", opt_uuid ? e->uuid : e->name);
        }
        return TRUE;
    }
    {
        g_autoptr(XvTable) t = title ? xv_table_new(_("Id"), _("Name"), _("State"), _("Title"), NULL)
                                     : xv_table_new(_("Id"), _("Name"), _("State"), NULL);
        g_autofree char *out = NULL;

        for (guint i = 0; i < shown->len; i++) {
            ListEntry *e = g_ptr_array_index(shown, i);
            g_autofree char *id = e->id == G_MAXUINT32 ? g_strdup("-")
                                                       : g_strdup_printf("%u", e->id);
            const char *state = (need_ms && e->managed_save && !e->active)
                                    ? _("saved") : xv_state_to_string(e->state);

            if (title)
                xv_table_add_row(t, id, e->name, state, e->title != NULL ? e->title : "", NULL);
            else
                xv_table_add_row(t, id, e->name, state, NULL);
        }
        out = xv_table_format(t, !xv_ctl.quiet);
        fputs(out, stdout);
    }
    return TRUE;
}

/* ---- dominfo / domstate / domid / domname / domuuid -------------------- */

static gboolean
cmd_dominfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) stats = NULL;
    g_autoptr(GVariant) ms = NULL;
    g_autoptr(GVariant) sec = NULL;
    const char *ostype = NULL;
    const char *secmodel = "", *secdoi = "";
    gint64 state = VIR_DOMAIN_NOSTATE;
    guint64 cputime = 0, maxmem = 0, mem = 0, vcpus = 0;
    gboolean managed = FALSE;
    gboolean have_ms;
    guint32 id;

    if (dom == NULL)
        return FALSE;
    stats = xv_domain_get_stats(dom, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL |
                                    VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU,
                                error);
    if (stats == NULL)
        return FALSE;
    xv_dict_get_i64(stats, "state.state", &state);
    xv_dict_get_u64(stats, "cpu.time", &cputime);
    xv_dict_get_u64(stats, "balloon.maximum", &maxmem);
    xv_dict_get_u64(stats, "balloon.current", &mem);
    xv_dict_get_u64(stats, "vcpu.current", &vcpus);
    ms = xv_call(dom->path, XV_DOMAIN_IFACE, "HasManagedSaveImage", g_variant_new("(u)", 0),
                 G_VARIANT_TYPE("(b)"), -1, NULL);
    have_ms = ms != NULL;
    if (ms != NULL)
        g_variant_get(ms, "(b)", &managed);
    sec = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "NodeGetSecurityModel", NULL,
                  G_VARIANT_TYPE("((ss))"), -1, NULL);
    if (sec != NULL)
        g_variant_get(sec, "((&s&s))", &secmodel, &secdoi);
    g_variant_lookup(dom->props, "OSType", "&s", &ostype);
    id = xv_domain_ref_id(dom);

    if (xv_cmd_args_get_bool(args, "json")) {
        GVariantBuilder o;

        g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&o, "{sv}", "id",
                              id == G_MAXUINT32 ? g_variant_new_maybe(G_VARIANT_TYPE_INT64, NULL)
                                                : g_variant_new_int64(id));
        g_variant_builder_add(&o, "{sv}", "name", g_variant_new_string(dom->name));
        g_variant_builder_add(&o, "{sv}", "uuid", g_variant_new_string(dom->uuid));
        g_variant_builder_add(&o, "{sv}", "os_type", g_variant_new_string(ostype ? ostype : ""));
        g_variant_builder_add(&o, "{sv}", "state", g_variant_new_string(xv_state_to_id((int)state)));
        g_variant_builder_add(&o, "{sv}", "cpus", g_variant_new_uint64(vcpus));
        g_variant_builder_add(&o, "{sv}", "cpu_time_ns", g_variant_new_uint64(cputime));
        g_variant_builder_add(&o, "{sv}", "max_memory_kib", g_variant_new_uint64(maxmem));
        g_variant_builder_add(&o, "{sv}", "used_memory_kib", g_variant_new_uint64(mem));
        g_variant_builder_add(&o, "{sv}", "persistent",
                              g_variant_new_boolean(xv_domain_ref_bool(dom, "Persistent")));
        g_variant_builder_add(&o, "{sv}", "autostart",
                              g_variant_new_boolean(xv_domain_ref_bool(dom, "Autostart")));
        g_variant_builder_add(&o, "{sv}", "managed_save", g_variant_new_boolean(managed));
        xv_json_print(g_variant_builder_end(&o));
        return TRUE;
    }
    if (id == G_MAXUINT32)
        printf("%-15s %s\n", _("Id:"), "-");
    else
        printf("%-15s %u\n", _("Id:"), id);
    printf("%-15s %s\n", _("Name:"), dom->name);
    printf("%-15s %s\n", _("UUID:"), dom->uuid);
    if (ostype != NULL)
        printf("%-15s %s\n", _("OS Type:"), ostype);
    printf("%-15s %s\n", _("State:"), xv_state_to_string((int)state));
    printf("%-15s %d\n", _("CPU(s):"), (int)vcpus);
    if (cputime != 0)
        printf("%-15s %.1lfs\n", _("CPU time:"), (double)cputime / 1000000000.0);
    printf("%-15s %lu KiB\n", _("Max memory:"), (unsigned long)maxmem);
    printf("%-15s %lu KiB\n", _("Used memory:"), (unsigned long)mem);
    printf("%-15s %s\n", _("Persistent:"), xv_domain_ref_bool(dom, "Persistent") ? _("yes") : _("no"));
    printf("%-15s %s\n", _("Autostart:"),
           xv_domain_ref_bool(dom, "Autostart") ? _("enable") : _("disable"));
    printf("%-15s %s\n", _("Managed save:"), !have_ms ? _("unknown") : managed ? _("yes") : _("no"));
    if (secmodel[0] != '\0') {
        printf("%-15s %s\n", _("Security model:"), secmodel);
        printf("%-15s %s\n", _("Security DOI:"), secdoi);
    }
    return TRUE;
}

static gboolean
cmd_domstate(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    int state, reason;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetState", g_variant_new("(u)", 0),
                    G_VARIANT_TYPE("((ii))"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "((ii))", &state, &reason);
    if (xv_cmd_args_get_bool(args, "json")) {
        GVariantBuilder o;

        g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&o, "{sv}", "state", g_variant_new_string(xv_state_to_id(state)));
        g_variant_builder_add(&o, "{sv}", "reason",
                              g_variant_new_string(xv_state_reason_to_string(state, reason)));
        g_variant_builder_add(&o, "{sv}", "state_code", g_variant_new_int32(state));
        g_variant_builder_add(&o, "{sv}", "reason_code", g_variant_new_int32(reason));
        xv_json_print(g_variant_builder_end(&o));
    } else if (xv_cmd_args_get_bool(args, "reason")) {
        printf("%s (%s)\n", xv_state_to_string(state), xv_state_reason_to_string(state, reason));
    } else {
        printf("%s\n", xv_state_to_string(state));
    }
    return TRUE;
}

static gboolean
cmd_domid(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    guint32 id;

    if (dom == NULL)
        return FALSE;
    id = xv_domain_ref_id(dom);
    if (xv_cmd_args_get_bool(args, "json")) {
        xv_json_print(g_variant_new_parsed("{'id': %v}",
                                           id == G_MAXUINT32
                                               ? g_variant_new_maybe(G_VARIANT_TYPE_INT64, NULL)
                                               : g_variant_new_int64(id)));
    } else if (id == G_MAXUINT32) {
        printf("%s\n", "-");
    } else {
        printf("%u\n", id);
    }
    return TRUE;
}

static gboolean
cmd_domname(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);

    if (dom == NULL)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "json"))
        xv_json_print(g_variant_new_parsed("{'name': %s}", dom->name));
    else
        printf("%s\n", dom->name);
    return TRUE;
}

static gboolean
cmd_domuuid(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);

    if (dom == NULL)
        return FALSE;
    if (xv_cmd_args_get_bool(args, "json"))
        xv_json_print(g_variant_new_parsed("{'uuid': %s}", dom->uuid));
    else
        printf("%s\n", dom->uuid);
    return TRUE;
}

/* ---- vcpus ------------------------------------------------------------- */

static GVariant *
get_pin_info(const XvDomainRef *dom, guint flags, GError **error)
{
    g_autoptr(GVariant) reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetVcpuPinInfo",
                                        g_variant_new("(u)", flags), G_VARIANT_TYPE("(aab)"), -1,
                                        error);

    return reply != NULL ? g_variant_get_child_value(reply, 0) : NULL;
}

static char *
cpumap_to_string(GVariant *map, gboolean pretty)
{
    gsize n = g_variant_n_children(map);
    GString *s = g_string_new(NULL);

    if (!pretty) {
        for (gsize i = 0; i < n; i++) {
            gboolean b;

            g_variant_get_child(map, i, "b", &b);
            g_string_append_c(s, b ? 'y' : '-');
        }
        return g_string_free(s, FALSE);
    }
    {
        g_autoptr(XvBitmap) bm = xv_bitmap_new((guint)MAX(n, 1));

        for (gsize i = 0; i < n; i++) {
            gboolean b;

            g_variant_get_child(map, i, "b", &b);
            if (b)
                xv_bitmap_set(bm, (guint)i);
        }
        g_string_free(s, TRUE);
        return xv_bitmap_format(bm);
    }
}

static const char *
vcpu_state_to_string(int state)
{
    switch (state) {
    case VIR_VCPU_OFFLINE: return _("offline");
    case VIR_VCPU_BLOCKED: return _("blocked");
    case VIR_VCPU_RUNNING: return _("running");
    default: return _("no state");
    }
}

/* virDomainGetVcpus through xenvirt's org.xenvirt.Domain1.GetVcpuInfo:
 * a(uiti) of (number, state, cpu time, physical cpu).  NULL with no error
 * when the daemon lacks it (libvirt-dbus): the caller falls back to the
 * vcpu.<num>.* statistics, which have no physical cpu. */
static GVariant *
get_vcpu_info(const XvDomainRef *dom, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(GVariant) reply = xv_call(dom->path, XV_DOMAIN1_IFACE, "GetVcpuInfo",
                                        g_variant_new("(u)", 0), G_VARIANT_TYPE("(a(uiti))"), -1,
                                        &local);

    if (reply != NULL)
        return g_variant_get_child_value(reply, 0);
    if (!xv_error_is_unknown_member(local))
        g_propagate_error(error, g_steal_pointer(&local));
    return NULL;
}

typedef struct {
    gboolean have_state, have_time, have_cpu;
    gint64 state, cpu;
    guint64 time_ns;
} VcpuRow;

/* vcpu 'n' from GetVcpuInfo when the daemon has it, else from the stats. */
static void
vcpu_row(GVariant *vinfo, GVariant *stats, guint64 n, VcpuRow *row)
{
    memset(row, 0, sizeof(*row));
    row->state = row->cpu = -1;
    if (vinfo != NULL) {
        GVariantIter it;
        guint32 number;
        gint32 state, cpu;
        guint64 t;

        g_variant_iter_init(&it, vinfo);
        while (g_variant_iter_next(&it, "(uiti)", &number, &state, &t, &cpu)) {
            if (number != n)
                continue;
            row->have_state = row->have_time = row->have_cpu = TRUE;
            row->state = state;
            row->time_ns = t;
            row->cpu = cpu;
            return;
        }
        return;
    }
    {
        g_autofree char *kstate = g_strdup_printf("vcpu.%" G_GUINT64_FORMAT ".state", n);
        g_autofree char *ktime = g_strdup_printf("vcpu.%" G_GUINT64_FORMAT ".time", n);

        row->have_state = xv_dict_get_i64(stats, kstate, &row->state);
        row->have_time = xv_dict_get_u64(stats, ktime, &row->time_ns);
    }
}

static gboolean
cmd_vcpuinfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) stats = NULL;
    g_autoptr(GVariant) pins = NULL;
    g_autoptr(GVariant) vinfo = NULL;
    gboolean pretty = xv_cmd_args_get_bool(args, "pretty");
    gboolean json = xv_cmd_args_get_bool(args, "json");
    gboolean active;
    guint64 n = 0;
    GVariantBuilder arr;

    if (dom == NULL)
        return FALSE;
    active = xv_domain_ref_bool(dom, "Active");
    stats = xv_domain_get_stats(dom, VIR_DOMAIN_STATS_VCPU, error);
    if (stats == NULL)
        return FALSE;
    pins = get_pin_info(dom, active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG, error);
    if (pins == NULL)
        return FALSE;
    if (active) {
        g_autoptr(GError) local = NULL;

        vinfo = get_vcpu_info(dom, &local);
        if (local != NULL) {
            g_propagate_error(error, g_steal_pointer(&local));
            return FALSE;
        }
    }
    xv_dict_get_u64(stats, "vcpu.current", &n);
    g_variant_builder_init(&arr, G_VARIANT_TYPE("aa{sv}"));
    for (guint64 i = 0; i < n; i++) {
        g_autofree char *aff = NULL;
        VcpuRow row;

        vcpu_row(vinfo, stats, i, &row);
        if (i < g_variant_n_children(pins)) {
            g_autoptr(GVariant) map = g_variant_get_child_value(pins, i);

            aff = cpumap_to_string(map, pretty);
        } else {
            aff = g_strdup("");
        }
        if (json) {
            GVariantBuilder o;

            g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
            g_variant_builder_add(&o, "{sv}", "vcpu", g_variant_new_uint64(i));
            g_variant_builder_add(&o, "{sv}", "cpu",
                                  row.cpu >= 0 ? g_variant_new_int64(row.cpu)
                                               : g_variant_new_maybe(G_VARIANT_TYPE_INT64, NULL));
            g_variant_builder_add(&o, "{sv}", "state",
                                  g_variant_new_string(row.have_state ? vcpu_state_to_string((int)row.state) : ""));
            g_variant_builder_add(&o, "{sv}", "cpu_time_ns", g_variant_new_uint64(row.time_ns));
            g_variant_builder_add(&o, "{sv}", "affinity", g_variant_new_string(aff));
            g_variant_builder_add(&arr, "a{sv}", &o);
            continue;
        }
        if (i > 0)
            printf("\n");
        printf("%-15s %d\n", _("VCPU:"), (int)i);
        /* as virsh: N/A where the value is unknown (an inactive domain, or a
         * daemon that cannot tell the physical cpu) */
        if (row.cpu >= 0)
            printf("%-15s %d\n", _("CPU:"), (int)row.cpu);
        else if (row.have_cpu)
            printf("%-15s %s\n", _("CPU:"), "-");    /* offline vcpu */
        else
            printf("%-15s %s\n", _("CPU:"), _("N/A"));
        if (row.have_state)
            printf("%-15s %s\n", _("State:"), vcpu_state_to_string((int)row.state));
        else
            printf("%-15s %s\n", _("State:"), _("N/A"));
        if (row.have_time)
            printf("%-15s %.1lfs\n", _("CPU time:"), (double)row.time_ns / 1000000000.0);
        else if (!active)
            /* TRANSLATORS: no colon, exactly as virsh prints it for an inactive domain */
            printf("%-15s %s\n", _("CPU time"), _("N/A"));
        printf("%-15s %s\n", _("CPU Affinity:"), aff);
    }
    if (json)
        xv_json_print(g_variant_builder_end(&arr));
    else
        g_variant_builder_clear(&arr);
    return TRUE;
}

static guint
affect_flags_of(XvCmdArgs *args)
{
    static const XvFlagOption opts[] = {
        { "config", VIR_DOMAIN_AFFECT_CONFIG },
        { "live", VIR_DOMAIN_AFFECT_LIVE },
        { NULL, 0 },
    };

    return VIR_DOMAIN_AFFECT_CURRENT | xv_cmd_args_flags(args, opts);
}

static gboolean
cmd_vcpupin(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    const char *cpulist = xv_cmd_args_get_string(args, "cpulist");
    gint64 vcpu = -1;
    guint flags = affect_flags_of(args);

    if (dom == NULL || !xv_cmd_args_get_int(args, "vcpu", &vcpu, error))
        return FALSE;
    if (xv_cmd_args_get_bool(args, "current") && flags != VIR_DOMAIN_AFFECT_CURRENT) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("Options --current and --live/--config are mutually exclusive"));
        return FALSE;
    }
    if (cpulist == NULL) {
        g_autoptr(GVariant) pins = get_pin_info(dom, flags, error);
        g_autoptr(XvTable) t = NULL;
        g_autofree char *out = NULL;
        GVariantBuilder arr;

        if (pins == NULL)
            return FALSE;
        t = xv_table_new(_("VCPU"), _("CPU Affinity"), NULL);
        g_variant_builder_init(&arr, G_VARIANT_TYPE("aa{sv}"));
        for (gsize i = 0; i < g_variant_n_children(pins); i++) {
            g_autoptr(GVariant) map = g_variant_get_child_value(pins, i);
            g_autofree char *aff = cpumap_to_string(map, TRUE);
            g_autofree char *num = g_strdup_printf("%zu", i);

            if (vcpu >= 0 && (gsize)vcpu != i)
                continue;
            xv_table_add_row(t, num, aff, NULL);
            g_variant_builder_add_parsed(&arr, "{'vcpu': <%t>, 'affinity': <%s>}", (guint64)i, aff);
        }
        if (vcpu >= 0 && (gsize)vcpu >= g_variant_n_children(pins)) {
            g_variant_builder_clear(&arr);
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("vcpu %1$d is out of range for domain '%2$s'"), (int)vcpu, dom->name);
            return FALSE;
        }
        if (xv_cmd_args_get_bool(args, "json")) {
            xv_json_print(g_variant_builder_end(&arr));
            return TRUE;
        }
        g_variant_builder_clear(&arr);
        out = xv_table_format(t, !xv_ctl.quiet);
        fputs(out, stdout);
        return TRUE;
    }
    if (vcpu < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("vcpupin: Missing vCPU number in pin mode."));
        return FALSE;
    }
    {
        g_autoptr(GVariant) reply = NULL;
        g_autoptr(GVariant) node = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "NodeGetCPUMap",
                                           g_variant_new("(u)", 0), G_VARIANT_TYPE("(ab)"), -1,
                                           error);
        g_autoptr(XvBitmap) bm = NULL;
        GVariantBuilder map;
        gsize ncpus;

        if (node == NULL)
            return FALSE;
        {
            g_autoptr(GVariant) arr = g_variant_get_child_value(node, 0);

            ncpus = g_variant_n_children(arr);
        }
        if (g_str_equal(cpulist, "r")) {
            g_autofree char *allcpus = g_strdup_printf("0-%zu", ncpus - 1);

            bm = xv_bitmap_parse(allcpus, (guint)ncpus, error);
        } else {
            bm = xv_bitmap_parse(cpulist, (guint)ncpus, error);
        }
        if (bm == NULL) {
            g_prefix_error(error, _("Physical CPU list '%s' is invalid: "), cpulist);
            return FALSE;
        }
        g_variant_builder_init(&map, G_VARIANT_TYPE("ab"));
        for (gsize i = 0; i < ncpus; i++)
            g_variant_builder_add(&map, "b", xv_bitmap_is_set(bm, (guint)i));
        reply = xv_call(dom->path, XV_DOMAIN_IFACE, "PinVcpu",
                        g_variant_new("(uabu)", (guint32)vcpu, &map, flags), NULL, -1, error);
        return reply != NULL;
    }
}

static gboolean
cmd_vcpucount(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    gboolean want_max = xv_cmd_args_get_bool(args, "maximum");
    gboolean want_cur = xv_cmd_args_get_bool(args, "active");
    gboolean want_cfg = xv_cmd_args_get_bool(args, "config");
    gboolean want_live = xv_cmd_args_get_bool(args, "live");
    gboolean json = xv_cmd_args_get_bool(args, "json");
    gboolean active;
    GVariantBuilder o;
    static const struct {
        const char *kind, *where;
        guint flags;
    } rows[] = {
        { "maximum", "config", VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_CONFIG },
        { "maximum", "live", VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_LIVE },
        { "current", "config", VIR_DOMAIN_AFFECT_CONFIG },
        { "current", "live", VIR_DOMAIN_AFFECT_LIVE },
    };

    if (dom == NULL)
        return FALSE;
    active = xv_domain_ref_bool(dom, "Active");
    if (!want_max && !want_cur) {
        want_max = want_cur = TRUE;
    }
    if (!want_cfg && !want_live) {
        if (xv_cmd_args_get_bool(args, "current")) {
            want_cfg = !active;
            want_live = active;
        } else {
            want_cfg = TRUE;
            want_live = active;
        }
    }
    g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
    for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_autoptr(GVariant) reply = NULL;
        gboolean is_max = g_str_equal(rows[i].kind, "maximum");
        gboolean is_live = g_str_equal(rows[i].where, "live");
        guint32 count;

        if ((is_max && !want_max) || (!is_max && !want_cur) || (is_live && !want_live) ||
            (!is_live && !want_cfg))
            continue;
        if (is_live && !active)
            continue;
        reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetVcpus", g_variant_new("(u)", rows[i].flags),
                        G_VARIANT_TYPE("(u)"), -1, error);
        if (reply == NULL) {
            g_variant_builder_clear(&o);
            return FALSE;
        }
        g_variant_get(reply, "(u)", &count);
        if (json) {
            g_autofree char *key = g_strdup_printf("%s_%s", rows[i].kind, rows[i].where);

            g_variant_builder_add(&o, "{sv}", key, g_variant_new_uint32(count));
        } else {
            printf("%-12s %-12s %3d\n", rows[i].kind, rows[i].where, (int)count);
        }
    }
    if (json)
        xv_json_print(g_variant_builder_end(&o));
    else
        g_variant_builder_clear(&o);
    return TRUE;
}

/* ---- memory, scheduler, stats ------------------------------------------ */

static gboolean
cmd_dommemstat(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const char *const tags[] = {
        [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
        [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
        [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
        [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
        [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
        [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
        [VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = "actual",
        [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
        [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
        [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last_update",
        [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
        [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
        [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GVariant) dict = NULL;
    gboolean json = xv_cmd_args_get_bool(args, "json");
    GVariantBuilder o;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "MemoryStats", g_variant_new("(u)", 0),
                    G_VARIANT_TYPE("(a{it})"), -1, error);
    if (reply == NULL)
        return FALSE;
    dict = g_variant_get_child_value(reply, 0);
    g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
    /* virsh prints in the order the driver reports; xenvirt reports by tag */
    for (gsize tag = 0; tag < G_N_ELEMENTS(tags); tag++) {
        GVariantIter it;
        gint32 k;
        guint64 x, v = 0;
        gboolean found = FALSE;

        g_variant_iter_init(&it, dict);
        while (g_variant_iter_next(&it, "{it}", &k, &x)) {
            if (k >= 0 && (gsize)k == tag) {
                v = x;
                found = TRUE;
            }
        }
        if (!found || tags[tag] == NULL)
            continue;
        if (json)
            g_variant_builder_add(&o, "{sv}", tags[tag], g_variant_new_uint64(v));
        else
            printf("%s %" G_GUINT64_FORMAT "\n", tags[tag], v);
    }
    if (json)
        xv_json_print(g_variant_builder_end(&o));
    else
        g_variant_builder_clear(&o);
    return TRUE;
}

static char *
param_to_string(GVariant *v)
{
    g_autoptr(GVariant) inner = g_variant_is_of_type(v, G_VARIANT_TYPE_VARIANT)
                                    ? g_variant_get_variant(v) : g_variant_ref(v);

    switch (g_variant_classify(inner)) {
    case G_VARIANT_CLASS_STRING:
        return g_strdup(g_variant_get_string(inner, NULL));
    case G_VARIANT_CLASS_BOOLEAN:
        return g_strdup(g_variant_get_boolean(inner) ? "yes" : "no");
    case G_VARIANT_CLASS_DOUBLE:
        return g_strdup_printf("%f", g_variant_get_double(inner));
    case G_VARIANT_CLASS_INT32:
        return g_strdup_printf("%d", g_variant_get_int32(inner));
    case G_VARIANT_CLASS_UINT32:
        return g_strdup_printf("%u", g_variant_get_uint32(inner));
    case G_VARIANT_CLASS_INT64:
        return g_strdup_printf("%" G_GINT64_FORMAT, g_variant_get_int64(inner));
    case G_VARIANT_CLASS_UINT64:
        return g_strdup_printf("%" G_GUINT64_FORMAT, g_variant_get_uint64(inner));
    default:
        return g_variant_print(inner, FALSE);
    }
}

static gboolean
cmd_schedinfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    const char *set = xv_cmd_args_get_string(args, "set");
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GVariant) params = NULL;
    g_autoptr(GVariant) sched = NULL;
    const char *type = "";
    guint flags = affect_flags_of(args);
    GVariantIter it;
    const char *key;
    GVariant *val;

    if (dom == NULL)
        return FALSE;
    sched = g_variant_lookup_value(dom->props, "SchedulerType", G_VARIANT_TYPE("(si)"));
    if (sched != NULL)
        g_variant_get(sched, "(&si)", &type, NULL);
    if (set != NULL) {
        g_auto(GStrv) kv = g_strsplit(set, "=", 2);
        g_autoptr(GVariant) cur = NULL;
        g_autoptr(GVariant) curval = NULL;
        g_autoptr(GVariant) setreply = NULL;
        GVariant *newval;
        gint64 n;
        char *end = NULL;

        if (kv[0] == NULL || kv[1] == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("Invalid syntax for --set, expecting name=value"));
            return FALSE;
        }
        cur = xv_call(dom->path, XV_DOMAIN_IFACE, "GetSchedulerParameters",
                      g_variant_new("(u)", flags), G_VARIANT_TYPE("(a{sv})"), -1, error);
        if (cur == NULL)
            return FALSE;
        {
            g_autoptr(GVariant) d = g_variant_get_child_value(cur, 0);

            curval = g_variant_lookup_value(d, kv[0], NULL);
        }
        if (curval == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("invalid scheduler option: %s"), kv[0]);
            return FALSE;
        }
        n = g_ascii_strtoll(kv[1], &end, 10);
        if (end == kv[1] || *end != '\0') {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("invalid value '%1$s' for scheduler parameter '%2$s'"), kv[1], kv[0]);
            return FALSE;
        }
        switch (g_variant_classify(curval)) {
        case G_VARIANT_CLASS_UINT32: newval = g_variant_new_uint32((guint32)n); break;
        case G_VARIANT_CLASS_UINT64: newval = g_variant_new_uint64((guint64)n); break;
        case G_VARIANT_CLASS_INT64: newval = g_variant_new_int64(n); break;
        default: newval = g_variant_new_int32((gint32)n); break;
        }
        setreply = xv_call(dom->path, XV_DOMAIN_IFACE, "SetSchedulerParameters",
                           g_variant_new_parsed("(@a{sv} {%s: %v}, %u)", kv[0], newval, flags),
                           NULL, -1, error);
        if (setreply == NULL)
            return FALSE;
    }
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetSchedulerParameters",
                    g_variant_new("(u)", flags), G_VARIANT_TYPE("(a{sv})"), -1, error);
    if (reply == NULL)
        return FALSE;
    params = g_variant_get_child_value(reply, 0);
    if (xv_cmd_args_get_bool(args, "json")) {
        xv_json_print(g_variant_new_parsed("{'scheduler': <%s>, 'parameters': <%@a{sv}>}", type,
                                           params));
        return TRUE;
    }
    printf("%-15s: %s\n", _("Scheduler"), type);
    g_variant_iter_init(&it, params);
    while (g_variant_iter_next(&it, "{&sv}", &key, &val)) {
        g_autofree char *s = param_to_string(val);

        printf("%-15s: %s\n", key, s);
        g_variant_unref(val);
    }
    return TRUE;
}

static const struct {
    const char *opt;
    guint bit;
} stat_groups[] = {
    { "state", VIR_DOMAIN_STATS_STATE },
    { "cpu-total", VIR_DOMAIN_STATS_CPU_TOTAL },
    { "balloon", VIR_DOMAIN_STATS_BALLOON },
    { "vcpu", VIR_DOMAIN_STATS_VCPU },
    { "interface", VIR_DOMAIN_STATS_INTERFACE },
    { "block", VIR_DOMAIN_STATS_BLOCK },
};

static void
print_stats_record(const char *name, GVariant *rec, GVariantBuilder *json)
{
    GVariantIter it;
    const char *key;
    GVariant *val;

    if (json != NULL) {
        g_variant_builder_add_parsed(json, "{'name': <%s>, 'stats': <%@a{sv}>}", name, rec);
        return;
    }
    printf("Domain: '%s'\n", name);
    g_variant_iter_init(&it, rec);
    while (g_variant_iter_next(&it, "{&sv}", &key, &val)) {
        g_autofree char *s = param_to_string(val);

        printf("  %s=%s\n", key, s);
        g_variant_unref(val);
    }
}

static gboolean
cmd_domstats(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *const *doms = xv_cmd_args_get_argv(args, "domain");
    gboolean json = xv_cmd_args_get_bool(args, "json");
    GVariantBuilder arr;
    guint stats = 0;
    gboolean first = TRUE;

    for (gsize i = 0; i < G_N_ELEMENTS(stat_groups); i++) {
        if (xv_cmd_args_get_bool(args, stat_groups[i].opt))
            stats |= stat_groups[i].bit;
    }
    g_variant_builder_init(&arr, G_VARIANT_TYPE("aa{sv}"));
    if (doms != NULL && doms[0] != NULL) {
        for (gsize i = 0; doms[i] != NULL; i++) {
            g_autoptr(XvDomainRef) dom = xv_domain_lookup(doms[i], error);
            g_autoptr(GVariant) rec = NULL;

            if (dom == NULL || (rec = xv_domain_get_stats(dom, stats, error)) == NULL) {
                g_variant_builder_clear(&arr);
                return FALSE;
            }
            if (!json && !first)
                printf("\n");
            first = FALSE;
            print_stats_record(dom->name, rec, json ? &arr : NULL);
        }
    } else {
        static const XvFlagOption opts[] = {
            { "list-active", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE },
            { "list-inactive", VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE },
            { NULL, 0 },
        };
        g_autoptr(GVariant) reply = NULL;
        g_autoptr(GVariantIter) it = NULL;
        const char *name;
        GVariant *rec;
        guint flags = xv_cmd_args_flags(args, opts);

        reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "GetAllDomainStats",
                        g_variant_new("(uu)", stats, flags), G_VARIANT_TYPE("(a(sa{sv}))"), -1,
                        error);
        if (reply == NULL) {
            g_variant_builder_clear(&arr);
            return FALSE;
        }
        g_variant_get(reply, "(a(sa{sv}))", &it);
        while (g_variant_iter_next(it, "(&s@a{sv})", &name, &rec)) {
            g_autoptr(XvDomainRef) dom = NULL;

            /* libvirt-dbus names records by object path */
            if (g_variant_is_object_path(name))
                dom = xv_domain_ref_from_path(name, NULL);
            if (!json && !first)
                printf("\n");
            first = FALSE;
            print_stats_record(dom != NULL ? dom->name : name, rec, json ? &arr : NULL);
            g_variant_unref(rec);
        }
    }
    if (json)
        xv_json_print(g_variant_builder_end(&arr));
    else
        g_variant_builder_clear(&arr);
    return TRUE;
}

/* ---- domjobinfo -------------------------------------------------------- */

static gboolean
cmd_domjobinfo(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GVariant) params = NULL;
    guint flags = xv_cmd_args_get_bool(args, "completed") ? VIR_DOMAIN_JOB_STATS_COMPLETED : 0;
    gint32 type;
    gint64 op = VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
    guint64 v, processed = 0, remaining = 0, total = 0;
    const char *unit;
    double val;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetJobStats", g_variant_new("(u)", flags),
                    G_VARIANT_TYPE("((ia{sv}))"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "((i@a{sv}))", &type, &params);
    if (xv_cmd_args_get_bool(args, "json")) {
        g_autofree char *tname = g_ascii_strdown(xv_job_type_to_string(type), -1);

        xv_dict_get_i64(params, VIR_DOMAIN_JOB_OPERATION, &op);
        xv_json_print(g_variant_new_parsed(
            "{'type': <%s>, 'operation': <%s>, 'stats': <%@a{sv}>}", tname,
            xv_job_operation_to_string((int)op), params));
        return TRUE;
    }
    printf("%-17s %-12s\n", _("Job type:"), xv_job_type_to_string(type));
    if (type == VIR_DOMAIN_JOB_NONE)
        return TRUE;
    xv_dict_get_i64(params, VIR_DOMAIN_JOB_OPERATION, &op);
    printf("%-17s %-12s\n", _("Operation:"), xv_job_operation_to_string((int)op));
    if (xv_dict_get_u64(params, VIR_DOMAIN_JOB_TIME_ELAPSED, &v))
        printf("%-17s %-12" G_GUINT64_FORMAT " ms\n", _("Time elapsed:"), v);
    if (xv_dict_get_u64(params, VIR_DOMAIN_JOB_TIME_ELAPSED_NET, &v))
        printf("%-17s %-12" G_GUINT64_FORMAT " ms\n", _("Time elapsed w/o network:"), v);
    if (type == VIR_DOMAIN_JOB_BOUNDED && xv_dict_get_u64(params, VIR_DOMAIN_JOB_TIME_REMAINING, &v))
        printf("%-17s %-12" G_GUINT64_FORMAT " ms\n", _("Time remaining:"), v);
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_DATA_PROCESSED, &processed);
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_DATA_REMAINING, &remaining);
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_DATA_TOTAL, &total);
    if (processed || remaining || total) {
        val = xv_pretty_capacity(processed, &unit);
        printf("%-17s %-.3lf %s\n", _("Data processed:"), val, unit);
        val = xv_pretty_capacity(remaining, &unit);
        printf("%-17s %-.3lf %s\n", _("Data remaining:"), val, unit);
        val = xv_pretty_capacity(total, &unit);
        printf("%-17s %-.3lf %s\n", _("Data total:"), val, unit);
    }
    processed = remaining = total = 0;
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_MEMORY_PROCESSED, &processed);
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_MEMORY_REMAINING, &remaining);
    xv_dict_get_u64(params, VIR_DOMAIN_JOB_MEMORY_TOTAL, &total);
    if (processed || remaining || total) {
        val = xv_pretty_capacity(processed, &unit);
        printf("%-17s %-.3lf %s\n", _("Memory processed:"), val, unit);
        val = xv_pretty_capacity(remaining, &unit);
        printf("%-17s %-.3lf %s\n", _("Memory remaining:"), val, unit);
        val = xv_pretty_capacity(total, &unit);
        printf("%-17s %-.3lf %s\n", _("Memory total:"), val, unit);
    }
    if (xv_dict_get_u64(params, VIR_DOMAIN_JOB_MEMORY_BPS, &v) && v) {
        val = xv_pretty_capacity(v, &unit);
        printf("%-17s %-.3lf %s/s\n", _("Memory bandwidth:"), val, unit);
    }
    if (xv_dict_get_u64(params, VIR_DOMAIN_JOB_DOWNTIME, &v))
        printf("%-17s %-12" G_GUINT64_FORMAT " ms\n",
               type == VIR_DOMAIN_JOB_COMPLETED ? _("Total downtime:") : _("Expected downtime:"), v);
    return TRUE;
}

/* ---- event ------------------------------------------------------------- */

static const char *
lifecycle_event_to_string(int event)
{
    switch (event) {
    case VIR_DOMAIN_EVENT_DEFINED: return _("Defined");
    case VIR_DOMAIN_EVENT_UNDEFINED: return _("Undefined");
    case VIR_DOMAIN_EVENT_STARTED: return _("Started");
    case VIR_DOMAIN_EVENT_SUSPENDED: return _("Suspended");
    case VIR_DOMAIN_EVENT_RESUMED: return _("Resumed");
    case VIR_DOMAIN_EVENT_STOPPED: return _("Stopped");
    case VIR_DOMAIN_EVENT_SHUTDOWN: return _("Shutdown");
    case VIR_DOMAIN_EVENT_PMSUSPENDED: return _("PMSuspended");
    case VIR_DOMAIN_EVENT_CRASHED: return _("Crashed");
    default: return _("unknown");
    }
}

static const char *
lifecycle_detail_to_string(int event, int detail)
{
    static const char *const defined[] = { N_("Added"), N_("Updated"), N_("Renamed"), N_("Snapshot") };
    static const char *const undefined[] = { N_("Removed"), N_("Renamed") };
    static const char *const started[] = { N_("Booted"), N_("Migrated"), N_("Restored"),
                                           N_("Snapshot"), N_("Event wakeup") };
    static const char *const suspended[] = { N_("Paused"), N_("Migrated"), N_("I/O Error"),
                                             N_("Watchdog"), N_("Restored"), N_("Snapshot"),
                                             N_("API error"), N_("Post-copy"),
                                             N_("Post-copy Error") };
    static const char *const resumed[] = { N_("Unpaused"), N_("Migrated"), N_("Snapshot"),
                                           N_("Post-copy"), N_("Post-copy Error") };
    static const char *const stopped[] = { N_("Shutdown"), N_("Destroyed"), N_("Crashed"),
                                           N_("Migrated"), N_("Saved"), N_("Failed"),
                                           N_("Snapshot") };
    static const char *const shutdown[] = { N_("Finished"), N_("Finished after guest request"),
                                            N_("Finished after host request") };
    static const char *const crashed[] = { N_("Panicked"), N_("Crashloaded") };
    const char *const *t = NULL;
    gsize n = 0;

#define PICK(a) do { t = a; n = G_N_ELEMENTS(a); } while (0)
    switch (event) {
    case VIR_DOMAIN_EVENT_DEFINED: PICK(defined); break;
    case VIR_DOMAIN_EVENT_UNDEFINED: PICK(undefined); break;
    case VIR_DOMAIN_EVENT_STARTED: PICK(started); break;
    case VIR_DOMAIN_EVENT_SUSPENDED: PICK(suspended); break;
    case VIR_DOMAIN_EVENT_RESUMED: PICK(resumed); break;
    case VIR_DOMAIN_EVENT_STOPPED: PICK(stopped); break;
    case VIR_DOMAIN_EVENT_SHUTDOWN: PICK(shutdown); break;
    case VIR_DOMAIN_EVENT_CRASHED: PICK(crashed); break;
    default: break;
    }
#undef PICK
    if (t == NULL || detail < 0 || (gsize)detail >= n)
        return _("unknown");
    return _(t[detail]);
}

typedef struct {
    GMainLoop *loop;
    const char *only_path;      /* --domain: only this object */
    gboolean loop_forever;
    gboolean timestamp;
    gboolean json;
    guint count;
    GHashTable *names;          /* path -> name cache */
} EventWatch;

static const char *
event_domain_name(EventWatch *w, const char *path)
{
    const char *name = g_hash_table_lookup(w->names, path);

    if (name == NULL) {
        g_autoptr(GVariant) v = xv_get_property(path, XV_DOMAIN_IFACE, "Name", NULL);

        /* an undefined domain's object is gone: show its path's UUID */
        name = v != NULL ? g_variant_get_string(v, NULL) : path;
        g_hash_table_insert(w->names, g_strdup(path), g_strdup(name));
        name = g_hash_table_lookup(w->names, path);
    }
    return name;
}

static void
on_domain_event(GDBusConnection *c, const char *sender, const char *path, const char *iface,
                const char *signal, GVariant *params, gpointer data)
{
    EventWatch *w = data;
    const char *dpath;
    int event, detail;
    const char *name;

    g_variant_get(params, "(&oii)", &dpath, &event, &detail);
    if (w->only_path != NULL && !g_str_equal(dpath, w->only_path))
        return;
    name = event_domain_name(w, dpath);
    if (w->json) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *ts = g_date_time_format_iso8601(now);

        xv_json_print(g_variant_new_parsed(
            "{'timestamp': <%s>, 'event': <'lifecycle'>, 'domain': <%s>, 'type': <%s>, "
            "'detail': <%s>}",
            ts, name, lifecycle_event_to_string(event), lifecycle_detail_to_string(event, detail)));
    } else {
        if (w->timestamp) {
            g_autoptr(GDateTime) now = g_date_time_new_now_local();
            g_autofree char *ts = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f%z");

            /* virsh: milliseconds */
            if (ts != NULL && strlen(ts) > 26)
                memmove(ts + 23, ts + 26, strlen(ts + 26) + 1);
            printf("%s: ", ts);
        }
        printf(_("event 'lifecycle' for domain '%1$s': %2$s %3$s\n"), name,
               lifecycle_event_to_string(event), lifecycle_detail_to_string(event, detail));
    }
    fflush(stdout);
    w->count++;
    if (!w->loop_forever)
        g_main_loop_quit(w->loop);
}

static gboolean
on_event_timeout(gpointer data)
{
    EventWatch *w = data;

    printf("%s\n", _("event loop timed out"));
    g_main_loop_quit(w->loop);
    return G_SOURCE_REMOVE;
}

static gboolean
on_event_sigint(gpointer data)
{
    EventWatch *w = data;

    g_main_loop_quit(w->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean
cmd_event(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *ev = xv_cmd_args_get_string(args, "event");
    g_autoptr(XvDomainRef) dom = NULL;
    GDBusConnection *c;
    EventWatch w = { 0 };
    gint64 timeout = 0;
    guint sub, tid = 0, sid;

    if (xv_cmd_args_get_bool(args, "list")) {
        printf("lifecycle\n");
        return TRUE;
    }
    if (ev != NULL && !g_str_equal(ev, "lifecycle")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unknown event type %s: xvirsh supports 'lifecycle'"), ev);
        return FALSE;
    }
    if (ev == NULL && !xv_cmd_args_get_bool(args, "all")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("one of --list, --all, or --event <type> is required"));
        return FALSE;
    }
    if (!xv_cmd_args_get_int(args, "timeout", &timeout, error))
        return FALSE;
    if (xv_cmd_args_get_string(args, "domain") != NULL) {
        dom = xv_get_domain(args, error);
        if (dom == NULL)
            return FALSE;
        w.only_path = dom->path;
    }
    c = xv_conn_get(error);
    if (c == NULL)
        return FALSE;
    w.loop = g_main_loop_new(NULL, FALSE);
    w.loop_forever = xv_cmd_args_get_bool(args, "loop");
    w.timestamp = xv_cmd_args_get_bool(args, "timestamp");
    w.json = xv_cmd_args_get_bool(args, "json");
    w.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (dom != NULL)
        g_hash_table_insert(w.names, g_strdup(dom->path), g_strdup(dom->name));
    sub = g_dbus_connection_signal_subscribe(c, NULL, XV_CONNECT_IFACE, "DomainEvent",
                                             XV_CONNECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                             on_domain_event, &w, NULL);
    /* a round trip so the match rule is in place before we say we wait */
    g_dbus_connection_call_sync(c, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
    if (timeout > 0)
        tid = g_timeout_add_seconds((guint)timeout, on_event_timeout, &w);
    sid = g_unix_signal_add(SIGINT, on_event_sigint, &w);
    g_main_loop_run(w.loop);
    g_source_remove(sid);
    if (tid != 0 && g_main_context_find_source_by_id(NULL, tid) != NULL)
        g_source_remove(tid);
    g_dbus_connection_signal_unsubscribe(c, sub);
    g_main_loop_unref(w.loop);
    g_hash_table_unref(w.names);
    if (!w.json)
        printf(_("events received: %u\n"), w.count);
    return TRUE;
}

/* ---- table ------------------------------------------------------------- */

#define DOMAIN_OPT { "domain", XV_OPT_DATA, TRUE, N_("domain name, id or uuid"), XV_COMPLETE_DOMAIN }

static const XvOptDef opts_list[] = {
    { "inactive", XV_OPT_BOOL, FALSE, N_("list inactive domains") },
    { "all", XV_OPT_BOOL, FALSE, N_("list inactive & active domains") },
    { "transient", XV_OPT_BOOL, FALSE, N_("list transient domains") },
    { "persistent", XV_OPT_BOOL, FALSE, N_("list persistent domains") },
    { "state-running", XV_OPT_BOOL, FALSE, N_("list domains in running state") },
    { "state-paused", XV_OPT_BOOL, FALSE, N_("list domains in paused state") },
    { "state-shutoff", XV_OPT_BOOL, FALSE, N_("list domains in shutoff state") },
    { "state-other", XV_OPT_BOOL, FALSE, N_("list domains in other states") },
    { "autostart", XV_OPT_BOOL, FALSE, N_("list domains with autostart enabled") },
    { "no-autostart", XV_OPT_BOOL, FALSE, N_("list domains with autostart disabled") },
    { "with-managed-save", XV_OPT_BOOL, FALSE, N_("list domains with managed save state") },
    { "without-managed-save", XV_OPT_BOOL, FALSE, N_("list domains without managed save") },
    { "uuid", XV_OPT_BOOL, FALSE, N_("list uuid's only") },
    { "name", XV_OPT_BOOL, FALSE, N_("list domain names only") },
    { "table", XV_OPT_BOOL, FALSE, N_("list table (default)") },
    { "managed-save", XV_OPT_BOOL, FALSE, N_("mark inactive domains with managed save state") },
    { "title", XV_OPT_BOOL, FALSE, N_("show domain title") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_dom_json[] = {
    DOMAIN_OPT,
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_domstate[] = {
    DOMAIN_OPT,
    { "reason", XV_OPT_BOOL, FALSE, N_("also print reason for the state") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_vcpuinfo[] = {
    DOMAIN_OPT,
    { "pretty", XV_OPT_BOOL, FALSE, N_("return human readable output") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_vcpupin[] = {
    DOMAIN_OPT,
    { "vcpu", XV_OPT_DATA, FALSE, N_("vcpu number") },
    { "cpulist", XV_OPT_DATA, FALSE, N_("host cpu number(s) to set, or omit option to query") },
    { "config", XV_OPT_BOOL, FALSE, N_("affect next boot") },
    { "live", XV_OPT_BOOL, FALSE, N_("affect running domain") },
    { "current", XV_OPT_BOOL, FALSE, N_("affect current domain") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_vcpucount[] = {
    DOMAIN_OPT,
    { "maximum", XV_OPT_BOOL, FALSE, N_("get maximum count of vcpus") },
    { "active", XV_OPT_BOOL, FALSE, N_("get number of currently active vcpus") },
    { "live", XV_OPT_BOOL, FALSE, N_("get value from running domain") },
    { "config", XV_OPT_BOOL, FALSE, N_("get value to be used on next boot") },
    { "current", XV_OPT_BOOL, FALSE, N_("get value according to current domain state") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_schedinfo[] = {
    DOMAIN_OPT,
    { "set", XV_OPT_STRING, FALSE, N_("parameter=value") },
    { "config", XV_OPT_BOOL, FALSE, N_("affect next boot") },
    { "live", XV_OPT_BOOL, FALSE, N_("affect running domain") },
    { "current", XV_OPT_BOOL, FALSE, N_("affect current domain") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_domstats[] = {
    { "state", XV_OPT_BOOL, FALSE, N_("report domain state") },
    { "cpu-total", XV_OPT_BOOL, FALSE, N_("report domain physical cpu usage") },
    { "balloon", XV_OPT_BOOL, FALSE, N_("report domain balloon statistics") },
    { "vcpu", XV_OPT_BOOL, FALSE, N_("report domain virtual cpu information") },
    { "interface", XV_OPT_BOOL, FALSE, N_("report domain network interface information") },
    { "block", XV_OPT_BOOL, FALSE, N_("report domain block device statistics") },
    { "list-active", XV_OPT_BOOL, FALSE, N_("list only active domains") },
    { "list-inactive", XV_OPT_BOOL, FALSE, N_("list only inactive domains") },
    JSON_OPT,
    { "domain", XV_OPT_ARGV, FALSE, N_("list of domains to get stats for"), XV_COMPLETE_DOMAIN },
    { NULL }
};
static const XvOptDef opts_domjobinfo[] = {
    DOMAIN_OPT,
    { "completed", XV_OPT_BOOL, FALSE, N_("return statistics of a recently completed job") },
    JSON_OPT,
    { NULL }
};
static const XvOptDef opts_event[] = {
    { "domain", XV_OPT_STRING, FALSE, N_("filter by domain name, id or uuid"), XV_COMPLETE_DOMAIN },
    { "event", XV_OPT_DATA, FALSE, N_("which event type to wait for") },
    { "all", XV_OPT_BOOL, FALSE, N_("wait for all events instead of just one type") },
    { "loop", XV_OPT_BOOL, FALSE, N_("loop until timeout or interrupt, rather than one-shot") },
    { "timeout", XV_OPT_STRING, FALSE, N_("timeout seconds") },
    { "list", XV_OPT_BOOL, FALSE, N_("list valid event types") },
    { "timestamp", XV_OPT_BOOL, FALSE, N_("show timestamp for each printed event") },
    JSON_OPT,
    { NULL }
};

const XvCmdDef xv_cmds_monitor[] = {
    { "dominfo", "monitor", N_("domain information"), opts_dom_json, cmd_dominfo },
    { "domid", "monitor", N_("convert a domain name or UUID to domain id"), opts_dom_json, cmd_domid },
    { "domjobinfo", "monitor", N_("domain job information"), opts_domjobinfo, cmd_domjobinfo },
    { "dommemstat", "monitor", N_("get memory statistics for a domain"), opts_dom_json, cmd_dommemstat },
    { "domname", "monitor", N_("convert a domain id or UUID to domain name"), opts_dom_json, cmd_domname },
    { "domstate", "monitor", N_("domain state"), opts_domstate, cmd_domstate },
    { "domstats", "monitor", N_("get statistics about one or multiple domains"), opts_domstats, cmd_domstats },
    { "domuuid", "monitor", N_("convert a domain name or id to domain UUID"), opts_dom_json, cmd_domuuid },
    { "event", "monitor", N_("Domain Events"), opts_event, cmd_event },
    { "list", "monitor", N_("list domains"), opts_list, cmd_list },
    { "schedinfo", "monitor", N_("show/set scheduler parameters"), opts_schedinfo, cmd_schedinfo },
    { "vcpucount", "monitor", N_("domain vcpu counts"), opts_vcpucount, cmd_vcpucount },
    { "vcpuinfo", "monitor", N_("detailed domain vcpu information"), opts_vcpuinfo, cmd_vcpuinfo },
    { "vcpupin", "monitor", N_("control or query domain vcpu affinity"), opts_vcpupin, cmd_vcpupin },
    { NULL }
};
