/*
 * cmd-adopt.c: foreign-list and adopt, xenvirt's commands for domains
 * started by another toolstack (e.g. `xl create`).
 *
 * Both go through org.xenvirt.Host1 (ListForeignDomains, AdoptDomain):
 * libvirt-dbus has no equivalent, so a daemon without that interface is
 * reported as such, never as "no foreign domains".
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd-util.h"
#include "cli/conn.h"
#include "cli/output.h"
#include "cli/xvirsh.h"
#include "util/xv-error.h"

#define XV_HOST1_IFACE "org.xenvirt.Host1"

typedef struct {
    guint32 domid;
    const char *name;           /* borrowed from the reply */
    const char *uuid;
} Foreign;

static int
foreign_cmp(gconstpointer a, gconstpointer b)
{
    const Foreign *x = a, *y = b;

    return x->domid < y->domid ? -1 : x->domid > y->domid;
}

/* A daemon that lacks xenvirt's host interface (libvirt-dbus, or a
 * xenvirtd from before adoption): say so instead of D-Bus's message. */
static void
explain_missing_interface(GError **error, const char *method)
{
    if (error == NULL || *error == NULL || !xv_error_is_unknown_member(*error))
        return;
    g_clear_error(error);
    g_set_error(error, XV_ERROR, XV_ERROR_NO_SUPPORT,
                _("the daemon at '%1$s' does not offer %2$s (it needs xenvirtd's "
                  "org.xenvirt.Host1 interface)"),
                xv_conn_uri(), method);
}

static gboolean
cmd_foreign_list(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GVariant) list = NULL;
    g_autoptr(GArray) doms = g_array_new(FALSE, FALSE, sizeof(Foreign));
    GVariantIter it;
    Foreign f;

    reply = xv_call(XV_CONNECT_PATH, XV_HOST1_IFACE, "ListForeignDomains", NULL,
                    G_VARIANT_TYPE("(a(uss))"), -1, error);
    if (reply == NULL) {
        explain_missing_interface(error, "ListForeignDomains");
        g_prefix_error(error, "%s\n", _("Failed to list foreign domains"));
        return FALSE;
    }
    list = g_variant_get_child_value(reply, 0);
    g_variant_iter_init(&it, list);
    while (g_variant_iter_next(&it, "(u&s&s)", &f.domid, &f.name, &f.uuid))
        g_array_append_val(doms, f);
    /* by domid, as `list` orders running domains */
    g_array_sort(doms, foreign_cmp);

    if (xv_cmd_args_get_bool(args, "json")) {
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
        for (guint i = 0; i < doms->len; i++) {
            const Foreign *d = &g_array_index(doms, Foreign, i);
            GVariantBuilder o;

            g_variant_builder_init(&o, G_VARIANT_TYPE("a{sv}"));
            g_variant_builder_add(&o, "{sv}", "id", g_variant_new_int64(d->domid));
            g_variant_builder_add(&o, "{sv}", "name", g_variant_new_string(d->name));
            g_variant_builder_add(&o, "{sv}", "uuid", g_variant_new_string(d->uuid));
            g_variant_builder_add(&b, "a{sv}", &o);
        }
        xv_json_print(g_variant_builder_end(&b));
        return TRUE;
    }
    {
        g_autoptr(XvTable) t = xv_table_new(_("Id"), _("Name"), _("UUID"), NULL);
        g_autofree char *out = NULL;

        for (guint i = 0; i < doms->len; i++) {
            const Foreign *d = &g_array_index(doms, Foreign, i);
            g_autofree char *id = g_strdup_printf("%u", d->domid);

            xv_table_add_row(t, id, d->name, d->uuid, NULL);
        }
        out = xv_table_format(t, !xv_ctl.quiet);
        fputs(out, stdout);
    }
    return TRUE;
}

static gboolean
cmd_adopt(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *spec = xv_cmd_args_get_string(args, "domid");
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(XvDomainRef) dom = NULL;
    const char *path;
    gint64 domid = -1;
    guint32 id;

    if (!xv_cmd_args_get_int(args, "domid", &domid, error))
        return FALSE;
    if (domid < 0 || domid > G_MAXUINT32) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Numeric value '%1$s' for <%2$s> option is malformed or out of range"),
                    spec, "domid");
        return FALSE;
    }
    reply = xv_call(XV_CONNECT_PATH, XV_HOST1_IFACE, "AdoptDomain",
                    g_variant_new("(uu)", (guint32)domid, 0), G_VARIANT_TYPE("(o)"), -1, error);
    if (reply == NULL) {
        explain_missing_interface(error, "AdoptDomain");
        xv_error_prefix_line(error, _("Failed to adopt domain %s"), spec);
        return FALSE;
    }
    g_variant_get(reply, "(&o)", &path);
    dom = xv_domain_ref_from_path(path, error);
    if (dom == NULL)
        return FALSE;
    /* the id the daemon now holds: the same domain, unless it already died */
    id = xv_domain_ref_id(dom);
    if (id == G_MAXUINT32)
        id = (guint32)domid;
    xv_print_extra(_("Domain '%1$s' adopted (id %2$u)\n"), dom->name, id);
    return TRUE;
}

static const XvOptDef opts_foreign_list[] = {
    { "json", XV_OPT_BOOL, FALSE, N_("print the result as JSON") },
    { NULL }
};

static const XvOptDef opts_adopt[] = {
    { "domid", XV_OPT_DATA, TRUE, N_("id of a running domain that xenvirt does not manage "
                                     "(see foreign-list)"), XV_COMPLETE_FOREIGN },
    { NULL }
};

const XvCmdDef xv_cmds_adopt[] = {
    { "adopt", "domain", N_("take a domain started by another toolstack under management"),
      opts_adopt, cmd_adopt },
    { "foreign-list", "domain", N_("list running domains that xenvirt does not manage"),
      opts_foreign_list, cmd_foreign_list },
    { NULL }
};
