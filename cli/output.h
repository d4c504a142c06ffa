/*
 * output.h: xvirsh's output formats: virsh's tables, sizes, state names,
 * and JSON for --json.
 *
 * XvTable reproduces virsh's vshTable byte for byte: a leading space, cells
 * padded to the column's display width, three spaces between columns, the
 * last column unpadded, a dashed line as wide as all columns plus three per
 * column.  JSON is written from a GVariant (a{sv} dictionaries become
 * objects, other arrays and tuples arrays), so each read command builds one
 * value and prints it as text or as JSON.  Main thread only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XvTable XvTable;

XvTable *xv_table_new(const char *first_header, ...) G_GNUC_NULL_TERMINATED;
void xv_table_add_row(XvTable *table, const char *first_cell, ...) G_GNUC_NULL_TERMINATED;
/* Format; the caller frees the string.  Without the header (virsh -q), the
 * widths come from the rows only, as in virsh. */
char *xv_table_format(const XvTable *table, gboolean header);
void xv_table_free(XvTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvTable, xv_table_free)

/* virsh's vshPrettyCapacity: value scaled to B/KiB/MiB/GiB/TiB/PiB/EiB. */
double xv_pretty_capacity(guint64 bytes, const char **unit);

/* virsh's names of libvirt domain states and reasons. */
const char *xv_state_to_string(int state);
const char *xv_state_reason_to_string(int state, int reason);
/* Machine names for JSON ("running", "shut-off", ...). */
const char *xv_state_to_id(int state);

/* virsh's job type and operation names (domjobinfo). */
const char *xv_job_type_to_string(int type);
const char *xv_job_operation_to_string(int op);

/* JSON text for a GVariant (a{sv} and a{s*} become objects; maybe-nothing
 * and "v" of nothing become null).  Ends with a newline. */
char *xv_json_from_variant(GVariant *value);
/* Print (and sink) a value as JSON on stdout. */
void xv_json_print(GVariant *value);

/* Display width of a UTF-8 string (wide characters count two). */
gsize xv_display_width(const char *s);

G_END_DECLS
