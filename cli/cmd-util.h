/*
 * cmd-util.h: helpers shared by xvirsh's command files.  Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "cli/conn.h"
#include "cli/xvirsh.h"

G_BEGIN_DECLS

/* Read a whole file; error: "Failed to read file 'PATH': reason". */
gboolean xv_read_file(const char *path, char **contents, GError **error);

/* A boolean option and the flag it sets. */
typedef struct {
    const char *option;
    guint flag;
} XvFlagOption;

/* The flags of the boolean options given, from a table ending in { NULL }. */
guint xv_cmd_args_flags(XvCmdArgs *args, const XvFlagOption *table);

/* The domain named by the "domain" option (id, UUID or name). */
XvDomainRef *xv_get_domain(XvCmdArgs *args, GError **error);

/* Prefix *error with a line built from a translated one-%s format (a table
 * entry, hence not a literal): "FORMAT(arg)\n<old message>". */
void xv_error_prefix_line(GError **error, const char *format, const char *arg);
/* printf unless -q: virsh's vshPrintExtra, for success messages. */
void xv_print_extra(const char *format, ...) G_GNUC_PRINTF(1, 2);
/* printf(format, arg) and a newline (unless -q), for table-driven messages. */
void xv_print_line(const char *format, const char *arg);

/* An integer of any D-Bus integer type in an a{sv} (typed parameters). */
gboolean xv_dict_get_u64(GVariant *dict, const char *key, guint64 *value);
gboolean xv_dict_get_i64(GVariant *dict, const char *key, gint64 *value);

/* Properties of a domain's statistics record (GetStats): a{sv}. */
GVariant *xv_domain_get_stats(const XvDomainRef *dom, guint stats, GError **error);

/* TRUE when the daemon lacks the member called (libvirt-dbus, or an older
 * xenvirtd without one of xenvirt's extension methods): the caller may fall
 * back to what libvirt-dbus offers.  Any other error is a real failure. */
gboolean xv_error_is_unknown_member(const GError *error);

G_END_DECLS
