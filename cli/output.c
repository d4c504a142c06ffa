/*
 * output.c: virsh-compatible tables, capacities, state names; JSON.
 */
#include "cli/output.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <stdarg.h>
#include <stdio.h>

struct _XvTable {
    GPtrArray *rows;            /* of GPtrArray of char*; row 0 is the header */
};

static GPtrArray *
row_from_va(const char *first, va_list ap)
{
    GPtrArray *row = g_ptr_array_new_with_free_func(g_free);

    for (const char *c = first; c != NULL; c = va_arg(ap, const char *))
        g_ptr_array_add(row, g_strdup(c));
    return row;
}

XvTable *
xv_table_new(const char *first_header, ...)
{
    XvTable *t = g_new0(XvTable, 1);
    va_list ap;

    t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    va_start(ap, first_header);
    g_ptr_array_add(t->rows, row_from_va(first_header, ap));
    va_end(ap);
    return t;
}

void
xv_table_add_row(XvTable *table, const char *first_cell, ...)
{
    va_list ap;

    va_start(ap, first_cell);
    g_ptr_array_add(table->rows, row_from_va(first_cell, ap));
    va_end(ap);
}

void
xv_table_free(XvTable *table)
{
    if (table == NULL)
        return;
    g_ptr_array_unref(table->rows);
    g_free(table);
}

gsize
xv_display_width(const char *s)
{
    gsize w = 0;

    if (!g_utf8_validate(s, -1, NULL))
        return strlen(s);
    for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (g_unichar_iszerowidth(c))
            continue;
        w += g_unichar_iswide(c) ? 2 : 1;
    }
    return w;
}

char *
xv_table_format(const XvTable *table, gboolean with_header)
{
    GPtrArray *header = g_ptr_array_index(table->rows, 0);
    g_autofree gsize *widths = g_new0(gsize, header->len);
    GString *out = g_string_new(NULL);
    gsize dashes = 0;

    for (guint r = with_header ? 0 : 1; r < table->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index(table->rows, r);

        for (guint c = 0; c < row->len && c < header->len; c++)
            widths[c] = MAX(widths[c], xv_display_width(g_ptr_array_index(row, c)));
    }
    for (guint r = with_header ? 0 : 1; r < table->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index(table->rows, r);

        g_string_append_c(out, ' ');
        for (guint c = 0; c < row->len && c < header->len; c++) {
            const char *cell = g_ptr_array_index(row, c);

            g_string_append(out, cell);
            if (c + 1 < row->len) {
                for (gsize k = xv_display_width(cell); k < widths[c] + 3; k++)
                    g_string_append_c(out, ' ');
            }
        }
        g_string_append_c(out, '\n');
        if (r == 0) {
            for (guint c = 0; c < header->len; c++)
                dashes += widths[c] + 3;
            for (gsize k = 0; k < dashes; k++)
                g_string_append_c(out, '-');
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

double
xv_pretty_capacity(guint64 val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double limit = 1024;
    double v = (double)val;

    for (guint i = 0; i < G_N_ELEMENTS(units) - 1; i++) {
        if (v < limit) {
            *unit = units[i];
            return v / (limit / 1024);
        }
        limit *= 1024;
    }
    *unit = units[G_N_ELEMENTS(units) - 1];
    return v / (limit / 1024);
}

const char *
xv_state_to_string(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return _("running");
    case VIR_DOMAIN_BLOCKED: return _("idle");
    case VIR_DOMAIN_PAUSED: return _("paused");
    case VIR_DOMAIN_SHUTDOWN: return _("in shutdown");
    case VIR_DOMAIN_SHUTOFF: return _("shut off");
    case VIR_DOMAIN_CRASHED: return _("crashed");
    case VIR_DOMAIN_PMSUSPENDED: return _("pmsuspended");
    case VIR_DOMAIN_NOSTATE:
    default: return _("no state");
    }
}

const char *
xv_state_to_id(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "idle";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "in-shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shut-off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    default: return "no-state";
    }
}

const char *
xv_state_reason_to_string(int state, int reason)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        switch ((virDomainRunningReason)reason) {
        case VIR_DOMAIN_RUNNING_BOOTED: return _("booted");
        case VIR_DOMAIN_RUNNING_MIGRATED: return _("migrated");
        case VIR_DOMAIN_RUNNING_RESTORED: return _("restored");
        case VIR_DOMAIN_RUNNING_FROM_SNAPSHOT: return _("from snapshot");
        case VIR_DOMAIN_RUNNING_UNPAUSED: return _("unpaused");
        case VIR_DOMAIN_RUNNING_MIGRATION_CANCELED: return _("migration canceled");
        case VIR_DOMAIN_RUNNING_SAVE_CANCELED: return _("save canceled");
        case VIR_DOMAIN_RUNNING_WAKEUP: return _("event wakeup");
        case VIR_DOMAIN_RUNNING_CRASHED: return _("crashed");
        case VIR_DOMAIN_RUNNING_POSTCOPY: return _("post-copy");
        case VIR_DOMAIN_RUNNING_POSTCOPY_FAILED: return _("post-copy failed");
        default: return _("unknown");
        }
    case VIR_DOMAIN_PAUSED:
        switch ((virDomainPausedReason)reason) {
        case VIR_DOMAIN_PAUSED_USER: return _("user");
        case VIR_DOMAIN_PAUSED_MIGRATION: return _("migrating");
        case VIR_DOMAIN_PAUSED_SAVE: return _("saving");
        case VIR_DOMAIN_PAUSED_DUMP: return _("dumping");
        case VIR_DOMAIN_PAUSED_IOERROR: return _("I/O error");
        case VIR_DOMAIN_PAUSED_WATCHDOG: return _("watchdog");
        case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: return _("from snapshot");
        case VIR_DOMAIN_PAUSED_SHUTTING_DOWN: return _("shutting down");
        case VIR_DOMAIN_PAUSED_SNAPSHOT: return _("creating snapshot");
        case VIR_DOMAIN_PAUSED_CRASHED: return _("crashed");
        case VIR_DOMAIN_PAUSED_STARTING_UP: return _("starting up");
        case VIR_DOMAIN_PAUSED_POSTCOPY: return _("post-copy");
        case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: return _("post-copy failed");
        default: return _("unknown");
        }
    case VIR_DOMAIN_SHUTDOWN:
        return reason == VIR_DOMAIN_SHUTDOWN_USER ? _("user") : _("unknown");
    case VIR_DOMAIN_SHUTOFF:
        switch ((virDomainShutoffReason)reason) {
        case VIR_DOMAIN_SHUTOFF_SHUTDOWN: return _("shutdown");
        case VIR_DOMAIN_SHUTOFF_DESTROYED: return _("destroyed");
        case VIR_DOMAIN_SHUTOFF_CRASHED: return _("crashed");
        case VIR_DOMAIN_SHUTOFF_MIGRATED: return _("migrated");
        case VIR_DOMAIN_SHUTOFF_SAVED: return _("saved");
        case VIR_DOMAIN_SHUTOFF_FAILED: return _("failed");
        case VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT: return _("from snapshot");
        case VIR_DOMAIN_SHUTOFF_DAEMON: return _("daemon");
        default: return _("unknown");
        }
    case VIR_DOMAIN_CRASHED:
        return reason == VIR_DOMAIN_CRASHED_PANICKED ? _("panicked") : _("unknown");
    default:
        return _("unknown");
    }
}

const char *
xv_job_type_to_string(int type)
{
    switch (type) {
    case VIR_DOMAIN_JOB_NONE: return _("None");
    case VIR_DOMAIN_JOB_BOUNDED: return _("Bounded");
    case VIR_DOMAIN_JOB_UNBOUNDED: return _("Unbounded");
    case VIR_DOMAIN_JOB_COMPLETED: return _("Completed");
    case VIR_DOMAIN_JOB_FAILED: return _("Failed");
    case VIR_DOMAIN_JOB_CANCELLED: return _("Cancelled");
    default: return _("unknown");
    }
}

const char *
xv_job_operation_to_string(int op)
{
    switch (op) {
    case VIR_DOMAIN_JOB_OPERATION_START: return _("Start");
    case VIR_DOMAIN_JOB_OPERATION_SAVE: return _("Save");
    case VIR_DOMAIN_JOB_OPERATION_RESTORE: return _("Restore");
    case VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN: return _("Incoming migration");
    case VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT: return _("Outgoing migration");
    case VIR_DOMAIN_JOB_OPERATION_SNAPSHOT: return _("Snapshot");
    case VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT: return _("Snapshot revert");
    case VIR_DOMAIN_JOB_OPERATION_DUMP: return _("Dump");
    case VIR_DOMAIN_JOB_OPERATION_BACKUP: return _("Backup");
    case VIR_DOMAIN_JOB_OPERATION_UNKNOWN:
    default: return _("Unknown");
    }
}

static void
json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (*p < 0x20)
                g_string_append_printf(out, "\\u%04x", *p);
            else
                g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

static void
json_value(GString *out, GVariant *v, int indent)
{
    const GVariantType *t = g_variant_get_type(v);
    g_autofree char *pad = g_strnfill((gsize)(indent + 1) * 2, ' ');
    g_autofree char *endpad = g_strnfill((gsize)indent * 2, ' ');

    if (g_variant_type_equal(t, G_VARIANT_TYPE_BOOLEAN)) {
        g_string_append(out, g_variant_get_boolean(v) ? "true" : "false");
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_BYTE)) {
        g_string_append_printf(out, "%u", g_variant_get_byte(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_INT16)) {
        g_string_append_printf(out, "%d", g_variant_get_int16(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_UINT16)) {
        g_string_append_printf(out, "%u", g_variant_get_uint16(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_INT32)) {
        g_string_append_printf(out, "%d", g_variant_get_int32(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_UINT32)) {
        g_string_append_printf(out, "%u", g_variant_get_uint32(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_INT64)) {
        g_string_append_printf(out, "%" G_GINT64_FORMAT, g_variant_get_int64(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_UINT64)) {
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, g_variant_get_uint64(v));
    } else if (g_variant_type_equal(t, G_VARIANT_TYPE_DOUBLE)) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append(out, g_ascii_dtostr(buf, sizeof(buf), g_variant_get_double(v)));
    } else if (g_variant_type_is_basic(t)) {
        json_string(out, g_variant_get_string(v, NULL));
    } else if (g_variant_type_is_variant(t)) {
        g_autoptr(GVariant) inner = g_variant_get_variant(v);

        json_value(out, inner, indent);
    } else if (g_variant_type_is_maybe(t)) {
        g_autoptr(GVariant) inner = g_variant_get_maybe(v);

        if (inner == NULL)
            g_string_append(out, "null");
        else
            json_value(out, inner, indent);
    } else if (g_variant_type_is_array(t) &&
               g_variant_type_is_dict_entry(g_variant_type_element(t))) {
        gsize n = g_variant_n_children(v);

        g_string_append(out, n == 0 ? "{" : "{\n");
        for (gsize i = 0; i < n; i++) {
            g_autoptr(GVariant) entry = g_variant_get_child_value(v, i);
            g_autoptr(GVariant) key = g_variant_get_child_value(entry, 0);
            g_autoptr(GVariant) val = g_variant_get_child_value(entry, 1);

            g_string_append(out, pad);
            if (g_variant_is_of_type(key, G_VARIANT_TYPE_STRING)) {
                json_string(out, g_variant_get_string(key, NULL));
            } else {
                g_autofree char *k = g_variant_print(key, FALSE);

                json_string(out, k);
            }
            g_string_append(out, ": ");
            json_value(out, val, indent + 1);
            g_string_append(out, i + 1 < n ? ",\n" : "\n");
        }
        if (n > 0)
            g_string_append(out, endpad);
        g_string_append_c(out, '}');
    } else {
        /* arrays and tuples */
        gsize n = g_variant_n_children(v);

        g_string_append(out, n == 0 ? "[" : "[\n");
        for (gsize i = 0; i < n; i++) {
            g_autoptr(GVariant) child = g_variant_get_child_value(v, i);

            g_string_append(out, pad);
            json_value(out, child, indent + 1);
            g_string_append(out, i + 1 < n ? ",\n" : "\n");
        }
        if (n > 0)
            g_string_append(out, endpad);
        g_string_append_c(out, ']');
    }
}

char *
xv_json_from_variant(GVariant *value)
{
    GString *out = g_string_new(NULL);

    json_value(out, value, 0);
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

void
xv_json_print(GVariant *value)
{
    g_autoptr(GVariant) v = g_variant_ref_sink(value);
    g_autofree char *s = xv_json_from_variant(v);

    fputs(s, stdout);
}
