/*
 * cmd-native.c: domxml-from-native and domxml-to-native.
 *
 * These work offline, with no daemon: the conversions are pure (xmlconf/ and
 * the libxl config builder), so an administrator can convert a directory of
 * xl.cfg files on any machine.
 *
 * Which converter runs (decision recorded in docs/xvirsh.1):
 *   - --offline: always the built-in one, no connection attempted;
 *   - -c URI given: the daemon's (org.xenvirt.Host1.DomainXML{From,To}Native),
 *     and a daemon that cannot be reached is an error, as for every command;
 *   - otherwise: the daemon's when one answers at the default URI, else the
 *     built-in one (same code as the daemon's, so the output is the same).
 */
#include <glib/gi18n.h>
#include <stdio.h>

#include "cli/conn.h"
#include "cli/xvirsh.h"
#include "drivers/libxl/libxl-conf.h"
#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"
#include "xmlconf/xl-conf.h"

static gboolean
read_input(const char *path, char **data, gsize *len, GError **error)
{
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(path, data, len, &local)) {
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Failed to read file '%1$s': %2$s"), path, local->message);
        return FALSE;
    }
    return TRUE;
}

#define XV_HOST1_IFACE "org.xenvirt.Host1"

/* Convert through the daemon.  Returns TRUE with *out set, or TRUE with
 * *out NULL when the built-in converter should run instead, or FALSE. */
static gboolean
daemon_convert(XvCmdArgs *args, const char *method, const char *format, const char *input,
               char **out, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(GVariant) reply = NULL;

    *out = NULL;
    if (xv_cmd_args_get_bool(args, "offline"))
        return TRUE;
    reply = xv_call(XV_CONNECT_PATH, XV_HOST1_IFACE, method,
                    g_variant_new("(ssu)", format, input, 0), G_VARIANT_TYPE("(s)"), -1, &local);
    if (reply != NULL) {
        g_variant_get(reply, "(s)", out);
        return TRUE;
    }
    if (!xv_ctl.uri_explicit && xv_error_is_unreachable(local))
        return TRUE;
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
}

static void
put_doc(const char *s)
{
    fputs(s, stdout);
    if (!g_str_has_suffix(s, "\n"))
        fputc('\n', stdout);
}

static gboolean
cmd_domxml_from_native(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *format = xv_cmd_args_get_string(args, "format");
    const char *path = xv_cmd_args_get_string(args, "config");
    g_autofree char *data = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    gsize len = 0;

    if (!g_str_equal(format, "xen-xl")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported config type %s"), format);
        return FALSE;
    }
    if (!read_input(path, &data, &len, error))
        return FALSE;
    if (!daemon_convert(args, "DomainXMLFromNative", format, data, &xml, error))
        return FALSE;
    if (xml != NULL) {
        put_doc(xml);
        return TRUE;
    }
    def = xv_xl_config_parse(data, len, path, warnings, error);
    if (def == NULL)
        return FALSE;
    for (guint i = 0; i < warnings->len; i++)
        fprintf(stderr, "warning: %s\n", (const char *)g_ptr_array_index(warnings, i));
    xml = xv_domain_def_format(def, XV_FORMAT_INACTIVE | XV_FORMAT_SECURE);
    fputs(xml, stdout);
    return TRUE;
}

static gboolean
cmd_domxml_to_native(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *format = xv_cmd_args_get_string(args, "format");
    const char *path = xv_cmd_args_get_string(args, "xml");
    g_autofree char *data = NULL;
    g_autofree char *out = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    gsize len = 0;

    if (path == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("command 'domxml-to-native' requires <xml> option"));
        return FALSE;
    }
    if (!g_str_equal(format, "xen-xl") && !g_str_equal(format, "libxl-json")) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported config type %s"), format);
        return FALSE;
    }
    if (!read_input(path, &data, &len, error))
        return FALSE;
    if (!daemon_convert(args, "DomainXMLToNative", format, data, &out, error))
        return FALSE;
    if (out != NULL) {
        put_doc(out);
        return TRUE;
    }
    def = xv_domain_def_parse(data, (gssize)len, XV_PARSE_INACTIVE, error);
    if (def == NULL)
        return FALSE;

    if (g_str_equal(format, "xen-xl")) {
        out = xv_xl_config_format(def, error);
    } else {
        libxl_domain_config config;
        XvLibxlConfOptions opts;

        xv_libxl_conf_options_init(&opts);
        libxl_domain_config_init(&config);
        if (xv_libxl_config_from_def(def, &opts, &config, error))
            out = xv_libxl_config_to_json(&config, error);
        libxl_domain_config_dispose(&config);
    }
    if (out == NULL)
        return FALSE;
    fputs(out, stdout);
    if (!g_str_has_suffix(out, "\n"))
        fputc('\n', stdout);
    return TRUE;
}

static const XvOptDef opts_from_native[] = {
    { "format", XV_OPT_DATA, TRUE, N_("source config data format") },
    { "config", XV_OPT_DATA, TRUE, N_("config data file to import from"), XV_COMPLETE_FILE },
    { "offline", XV_OPT_BOOL, FALSE, N_("convert here, without asking the daemon") },
    { NULL }
};

static const XvOptDef opts_to_native[] = {
    { "format", XV_OPT_DATA, TRUE, N_("target config data type format (xen-xl, libxl-json)") },
    { "xml", XV_OPT_DATA, FALSE, N_("xml data file to export from"), XV_COMPLETE_FILE },
    { "offline", XV_OPT_BOOL, FALSE, N_("convert here, without asking the daemon") },
    { NULL }
};

const XvCmdDef xv_cmds_native[] = {
    { "domxml-from-native", "domain", N_("Convert native config to domain XML"),
      opts_from_native, cmd_domxml_from_native, TRUE },
    { "domxml-to-native", "domain", N_("Convert domain XML to native config"),
      opts_to_native, cmd_domxml_to_native, TRUE },
    { NULL }
};
