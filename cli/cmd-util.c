/*
 * cmd-util.c: helpers shared by xvirsh's command files.
 */
#include "cli/cmd-util.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdarg.h>
#include <stdio.h>

#include "util/xv-error.h"

gboolean
xv_read_file(const char *path, char **contents, GError **error)
{
    g_autoptr(GError) local = NULL;

    if (g_str_equal(path, "-")) {
        g_autoptr(GInputStream) in = g_unix_input_stream_new(0, FALSE);
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();

        if (g_output_stream_splice(out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &local) < 0)
            goto fail;
        g_output_stream_write(out, "", 1, NULL, NULL);
        *contents = g_memory_output_stream_steal_data(G_MEMORY_OUTPUT_STREAM(out));
        return TRUE;
    }
    if (g_file_get_contents(path, contents, NULL, &local))
        return TRUE;
fail:
    g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("Failed to read file '%1$s': %2$s"), path,
                local->message);
    return FALSE;
}

guint
xv_cmd_args_flags(XvCmdArgs *args, const XvFlagOption *table)
{
    guint flags = 0;

    for (const XvFlagOption *o = table; o->option != NULL; o++)
        if (xv_cmd_args_get_bool(args, o->option))
            flags |= o->flag;
    return flags;
}

XvDomainRef *
xv_get_domain(XvCmdArgs *args, GError **error)
{
    const char *spec = xv_cmd_args_get_string(args, "domain");

    if (spec == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("command requires <domain> option"));
        return NULL;
    }
    return xv_domain_lookup(spec, error);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void
xv_error_prefix_line(GError **error, const char *format, const char *arg)
{
    g_autofree char *line = g_strdup_printf(format, arg);

    g_prefix_error(error, "%s\n", line);
}

void
xv_print_line(const char *format, const char *arg)
{
    if (xv_ctl.quiet)
        return;
    printf(format, arg);
    printf("\n");
}
#pragma GCC diagnostic pop

static gboolean
variant_to_i64(GVariant *v, gint64 *out)
{
    if (g_variant_is_of_type(v, G_VARIANT_TYPE_VARIANT)) {
        g_autoptr(GVariant) inner = g_variant_get_variant(v);

        return variant_to_i64(inner, out);
    }
    switch (g_variant_classify(v)) {
    case G_VARIANT_CLASS_BOOLEAN: *out = g_variant_get_boolean(v); return TRUE;
    case G_VARIANT_CLASS_BYTE: *out = g_variant_get_byte(v); return TRUE;
    case G_VARIANT_CLASS_INT16: *out = g_variant_get_int16(v); return TRUE;
    case G_VARIANT_CLASS_UINT16: *out = g_variant_get_uint16(v); return TRUE;
    case G_VARIANT_CLASS_INT32: *out = g_variant_get_int32(v); return TRUE;
    case G_VARIANT_CLASS_UINT32: *out = g_variant_get_uint32(v); return TRUE;
    case G_VARIANT_CLASS_INT64: *out = g_variant_get_int64(v); return TRUE;
    case G_VARIANT_CLASS_UINT64: *out = (gint64)g_variant_get_uint64(v); return TRUE;
    case G_VARIANT_CLASS_DOUBLE: *out = (gint64)g_variant_get_double(v); return TRUE;
    default: return FALSE;
    }
}

gboolean
xv_dict_get_i64(GVariant *dict, const char *key, gint64 *value)
{
    g_autoptr(GVariant) v = NULL;

    if (dict == NULL)
        return FALSE;
    v = g_variant_lookup_value(dict, key, NULL);
    return v != NULL && variant_to_i64(v, value);
}

gboolean
xv_dict_get_u64(GVariant *dict, const char *key, guint64 *value)
{
    gint64 v;

    if (!xv_dict_get_i64(dict, key, &v))
        return FALSE;
    *value = (guint64)v;
    return TRUE;
}

GVariant *
xv_domain_get_stats(const XvDomainRef *dom, guint stats, GError **error)
{
    g_autoptr(GVariant) reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetStats",
                                        g_variant_new("(uu)", stats, 0),
                                        G_VARIANT_TYPE("(a{sv})"), -1, error);

    if (reply == NULL)
        return NULL;
    return g_variant_get_child_value(reply, 0);
}

gboolean
xv_error_is_unknown_member(const GError *error)
{
    return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT);
}

void
xv_print_extra(const char *format, ...)
{
    va_list ap;

    if (xv_ctl.quiet)
        return;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
}
