/*
 * cmd-domain.c: domain management commands (lifecycle, definitions, save
 * and restore, devices, tuning).  Messages and layouts follow virsh.
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd-util.h"
#include "cli/conn.h"
#include "cli/job.h"
#include "cli/output.h"
#include "cli/xvirsh.h"
#include "util/xv-error.h"

/* ---- define / undefine / create / start -------------------------------- */

static gboolean
cmd_define(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *file = xv_cmd_args_get_string(args, "file");
    g_autofree char *xml = NULL;
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(XvDomainRef) dom = NULL;
    const char *path;

    if (!xv_read_file(file, &xml, error))
        return FALSE;
    reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainDefineXML",
                    g_variant_new("(s)", xml), G_VARIANT_TYPE("(o)"), -1, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to define domain from %s\n"), file);
        return FALSE;
    }
    g_variant_get(reply, "(&o)", &path);
    dom = xv_domain_ref_from_path(path, error);
    if (dom == NULL)
        return FALSE;
    xv_print_extra(_("Domain '%1$s' defined from %2$s\n"), dom->name, file);
    return TRUE;
}

static gboolean
cmd_undefine(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
        { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
        { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
        { NULL, 0 },
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    guint flags = 0;

    if (dom == NULL)
        return FALSE;
    flags |= xv_cmd_args_flags(args, opts);
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "Undefine", g_variant_new("(u)", flags), NULL, -1,
                    error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to undefine domain '%s'\n"), dom->name);
        return FALSE;
    }
    xv_print_extra(_("Domain '%s' has been undefined\n"), dom->name);
    return TRUE;
}

/* The <uuid> and <name> of a domain XML, by text search (the daemon parses
 * it for real; this is only to follow the job's progress). */
static char *
xml_element_text(const char *xml, const char *elem)
{
    g_autofree char *open = g_strdup_printf("<%s>", elem);
    g_autofree char *close = g_strdup_printf("</%s>", elem);
    const char *a = strstr(xml, open);
    const char *b;

    if (a == NULL)
        return NULL;
    a += strlen(open);
    b = strstr(a, close);
    if (b == NULL)
        return NULL;
    return g_strstrip(g_strndup(a, (gsize)(b - a)));
}

/* The object path and name of the domain an XML describes (each NULL when
 * the text search finds none). */
static void
xml_domain_target(const char *xml, char **dpath, char **name)
{
    g_autofree char *uuid = xml_element_text(xml, "uuid");

    *name = xml_element_text(xml, "name");
    if (uuid != NULL && g_uuid_string_is_valid(uuid))
        *dpath = xv_domain_path_for_uuid(uuid);
}

/* Which domain the job's progress follows (path and name may be NULL: not
 * known in advance), and the --verbose option. */
static void
job_spec_target(XvJobSpec *spec, XvCmdArgs *args, const char *dom_path, const char *dom_name)
{
    spec->dom_path = dom_path;
    spec->dom_name = dom_name;
    spec->verbose = xv_cmd_args_get_bool(args, "verbose");
}

static gboolean
cmd_create(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "paused", VIR_DOMAIN_START_PAUSED },
        { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
        { NULL, 0 },
    };
    const char *file = xv_cmd_args_get_string(args, "file");
    g_autofree char *xml = NULL;
    g_autofree char *name = NULL;
    g_autofree char *dpath = NULL;
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(XvDomainRef) dom = NULL;
    XvJobSpec spec = { .label = _("Create"), .kind = XV_JOB_KIND_START };
    const char *path;
    guint flags = 0;

    if (!xv_read_file(file, &xml, error))
        return FALSE;
    flags |= xv_cmd_args_flags(args, opts);
    xml_domain_target(xml, &dpath, &name);
    job_spec_target(&spec, args, dpath, name);
    reply = xv_job_run(&spec, XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainCreateXML",
                       g_variant_new("(su)", xml, flags), G_VARIANT_TYPE("(o)"), error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to create domain from %s\n"), file);
        return FALSE;
    }
    g_variant_get(reply, "(&o)", &path);
    dom = xv_domain_ref_from_path(path, error);
    if (dom == NULL)
        return FALSE;
    xv_print_extra(_("Domain '%1$s' created from %2$s\n"), dom->name, file);
    return TRUE;
}

static gboolean
cmd_start(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "paused", VIR_DOMAIN_START_PAUSED },
        { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
        { "bypass-cache", VIR_DOMAIN_START_BYPASS_CACHE },
        { "force-boot", VIR_DOMAIN_START_FORCE_BOOT },
        { NULL, 0 },
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    XvJobSpec spec = { .label = _("Start"), .kind = XV_JOB_KIND_START };
    guint flags = 0;

    if (dom == NULL)
        return FALSE;
    if (xv_domain_ref_bool(dom, "Active")) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("Domain '%s' is already active"), dom->name);
        return FALSE;
    }
    flags |= xv_cmd_args_flags(args, opts);
    job_spec_target(&spec, args, dom->path, dom->name);
    reply = xv_job_run(&spec, dom->path, XV_DOMAIN_IFACE, "Create", g_variant_new("(u)", flags),
                       NULL, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to start domain '%s'\n"), dom->name);
        return FALSE;
    }
    xv_print_extra(_("Domain '%s' started\n"), dom->name);
    return TRUE;
}

/* ---- simple lifecycle -------------------------------------------------- */

typedef struct {
    const char *method;
    const char *fail;           /* "Failed to ... domain '%s'" */
    const char *done;           /* "Domain '%s' ..." */
    gboolean has_flags;
} SimpleOp;

static gboolean
simple_op(XvCmdArgs *args, const SimpleOp *op, guint flags, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, op->method,
                    op->has_flags ? g_variant_new("(u)", flags) : NULL, NULL, -1, error);
    if (reply == NULL) {
        xv_error_prefix_line(error, _(op->fail), dom->name);
        return FALSE;
    }
    xv_print_line(_(op->done), dom->name);
    return TRUE;
}

static guint
shutdown_mode_flags(const char *mode, gboolean reboot, GError **error)
{
    guint flags = 0;

    if (mode == NULL)
        return 0;
    for (g_auto(GStrv) modes = g_strsplit(mode, ",", -1), m = modes; *m != NULL; m++) {
        if (g_str_equal(*m, "acpi"))
            flags |= reboot ? VIR_DOMAIN_REBOOT_ACPI_POWER_BTN : VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;
        else if (g_str_equal(*m, "agent"))
            flags |= reboot ? VIR_DOMAIN_REBOOT_GUEST_AGENT : VIR_DOMAIN_SHUTDOWN_GUEST_AGENT;
        else if (g_str_equal(*m, "paravirt"))
            flags |= reboot ? VIR_DOMAIN_REBOOT_PARAVIRT : VIR_DOMAIN_SHUTDOWN_PARAVIRT;
        else if (g_str_equal(*m, "signal"))
            flags |= reboot ? VIR_DOMAIN_REBOOT_SIGNAL : VIR_DOMAIN_SHUTDOWN_SIGNAL;
        else if (g_str_equal(*m, "initctl"))
            flags |= reboot ? VIR_DOMAIN_REBOOT_INITCTL : VIR_DOMAIN_SHUTDOWN_INITCTL;
        else {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, _("Unknown mode %s value, expecting "
                        "'acpi', 'agent', 'initctl', 'signal' or 'paravirt'"), *m);
            return G_MAXUINT;
        }
    }
    return flags;
}

static gboolean
cmd_shutdown(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const SimpleOp op = { "Shutdown", N_("Failed to shutdown domain '%s'"),
                                 N_("Domain '%s' is being shutdown"), TRUE };
    guint flags = shutdown_mode_flags(xv_cmd_args_get_string(args, "mode"), FALSE, error);

    return flags != G_MAXUINT && simple_op(args, &op, flags, error);
}

static gboolean
cmd_reboot(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const SimpleOp op = { "Reboot", N_("Failed to reboot domain '%s'"),
                                 N_("Domain '%s' is being rebooted"), TRUE };
    guint flags = shutdown_mode_flags(xv_cmd_args_get_string(args, "mode"), TRUE, error);

    return flags != G_MAXUINT && simple_op(args, &op, flags, error);
}

static gboolean
cmd_destroy(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const SimpleOp op = { "Destroy", N_("Failed to destroy domain '%s'"),
                                 N_("Domain '%s' destroyed"), TRUE };

    return simple_op(args, &op,
                     xv_cmd_args_get_bool(args, "graceful") ? VIR_DOMAIN_DESTROY_GRACEFUL : 0,
                     error);
}

static gboolean
cmd_suspend(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const SimpleOp op = { "Suspend", N_("Failed to suspend domain '%s'"),
                                 N_("Domain '%s' suspended"), FALSE };

    return simple_op(args, &op, 0, error);
}

static gboolean
cmd_resume(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const SimpleOp op = { "Resume", N_("Failed to resume domain '%s'"),
                                 N_("Domain '%s' resumed"), FALSE };

    return simple_op(args, &op, 0, error);
}

/* ---- save / restore / managed save / dump ------------------------------ */

static guint
save_flags(XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "bypass-cache", VIR_DOMAIN_SAVE_BYPASS_CACHE },
        { "running", VIR_DOMAIN_SAVE_RUNNING },
        { "paused", VIR_DOMAIN_SAVE_PAUSED },
        { NULL, 0 },
    };
    guint flags = xv_cmd_args_flags(args, opts);

    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Options --running and --paused are mutually exclusive"));
        return G_MAXUINT;
    }
    return flags;
}

static gboolean
cmd_save(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    const char *to = xv_cmd_args_get_string(args, "file");
    const char *xmlfile = xv_cmd_args_get_string(args, "xml");
    g_autofree char *xml = NULL;
    g_autoptr(GVariant) reply = NULL;
    XvJobSpec spec = { .label = _("Save"), .kind = XV_JOB_KIND_SAVE };
    guint flags;

    if (dom == NULL)
        return FALSE;
    flags = save_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    if (xmlfile != NULL && !xv_read_file(xmlfile, &xml, error))
        return FALSE;
    job_spec_target(&spec, args, dom->path, dom->name);
    reply = xv_job_run(&spec, dom->path, XV_DOMAIN_IFACE, "Save",
                       g_variant_new("(ssu)", to, xml != NULL ? xml : "", flags), NULL, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to save domain '%1$s' to %2$s\n"), dom->name, to);
        return FALSE;
    }
    xv_print_extra(_("\nDomain '%1$s' saved to %2$s\n"), dom->name, to);
    return TRUE;
}

static gboolean
cmd_managedsave(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    XvJobSpec spec = { .label = _("Managedsave"), .kind = XV_JOB_KIND_SAVE };
    guint flags;

    if (dom == NULL)
        return FALSE;
    flags = save_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    job_spec_target(&spec, args, dom->path, dom->name);
    reply = xv_job_run(&spec, dom->path, XV_DOMAIN_IFACE, "ManagedSave",
                       g_variant_new("(u)", flags), NULL, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to save domain '%s' state\n"), dom->name);
        return FALSE;
    }
    xv_print_extra(_("\nDomain '%s' state saved by libvirt\n"), dom->name);
    return TRUE;
}

static gboolean
cmd_managedsave_remove(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) has = NULL;
    g_autoptr(GVariant) reply = NULL;
    gboolean present = FALSE;

    if (dom == NULL)
        return FALSE;
    has = xv_call(dom->path, XV_DOMAIN_IFACE, "HasManagedSaveImage", g_variant_new("(u)", 0),
                  G_VARIANT_TYPE("(b)"), -1, error);
    if (has == NULL) {
        g_prefix_error(error, "%s\n", _("Failed to check for domain managed save image"));
        return FALSE;
    }
    g_variant_get(has, "(b)", &present);
    if (!present) {
        xv_print_extra(_("Domain '%s' has no manage save image; removal skipped\n"), dom->name);
        return TRUE;
    }
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "ManagedSaveRemove", g_variant_new("(u)", 0),
                    NULL, -1, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to remove managed save image for domain '%s'\n"),
                       dom->name);
        return FALSE;
    }
    xv_print_extra(_("Removed managedsave image for domain '%s'\n"), dom->name);
    return TRUE;
}

static gboolean
cmd_restore(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *from = xv_cmd_args_get_string(args, "file");
    const char *xmlfile = xv_cmd_args_get_string(args, "xml");
    g_autofree char *xml = NULL;
    g_autofree char *name = NULL;
    g_autofree char *dpath = NULL;
    g_autoptr(GVariant) image = NULL;
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) local = NULL;
    XvJobSpec spec = { .label = _("Restore"), .kind = XV_JOB_KIND_RESTORE };
    guint flags = save_flags(args, error);

    if (flags == G_MAXUINT)
        return FALSE;
    if (xmlfile != NULL && !xv_read_file(xmlfile, &xml, error))
        return FALSE;
    /* Which domain the image holds, to follow its progress (best effort:
     * the restore itself reports a bad image). */
    image = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainSaveImageGetXMLDesc",
                    g_variant_new("(su)", from, 0), G_VARIANT_TYPE("(s)"), -1, &local);
    if (image == NULL && xv_error_is_unreachable(local)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    if (image != NULL) {
        const char *ixml;

        g_variant_get(image, "(&s)", &ixml);
        xml_domain_target(ixml, &dpath, &name);
    }
    job_spec_target(&spec, args, dpath, name);
    reply = xv_job_run(&spec, XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainRestore",
                       g_variant_new("(ssu)", from, xml != NULL ? xml : "", flags), NULL, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to restore domain from %s\n"), from);
        return FALSE;
    }
    xv_print_extra(_("Domain restored from %s\n"), from);
    return TRUE;
}

static gboolean
cmd_save_image_dumpxml(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *file = xv_cmd_args_get_string(args, "file");
    g_autoptr(GVariant) reply = NULL;
    guint flags = xv_cmd_args_get_bool(args, "security-info") ? VIR_DOMAIN_SAVE_IMAGE_XML_SECURE : 0;
    const char *xml;

    reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainSaveImageGetXMLDesc",
                    g_variant_new("(su)", file, flags), G_VARIANT_TYPE("(s)"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "(&s)", &xml);
    fputs(xml, stdout);
    if (!g_str_has_suffix(xml, "\n"))
        fputc('\n', stdout);
    return TRUE;
}

static gboolean
cmd_save_image_define(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *file = xv_cmd_args_get_string(args, "file");
    const char *xmlfile = xv_cmd_args_get_string(args, "xml");
    g_autofree char *xml = NULL;
    g_autoptr(GVariant) reply = NULL;
    guint flags = save_flags(args, error);

    if (flags == G_MAXUINT || !xv_read_file(xmlfile, &xml, error))
        return FALSE;
    reply = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainSaveImageDefineXML",
                    g_variant_new("(ssu)", file, xml, flags), NULL, -1, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to update %s\n"), file);
        return FALSE;
    }
    xv_print_extra(_("State file %s updated.\n"), file);
    return TRUE;
}

static gboolean
cmd_dump(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "live", VIR_DUMP_LIVE },
        { "crash", VIR_DUMP_CRASH },
        { "bypass-cache", VIR_DUMP_BYPASS_CACHE },
        { "reset", VIR_DUMP_RESET },
        { "memory-only", VIR_DUMP_MEMORY_ONLY },
        { NULL, 0 },
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    const char *to = xv_cmd_args_get_string(args, "file");
    const char *format = xv_cmd_args_get_string(args, "format");
    g_autoptr(GVariant) reply = NULL;
    XvJobSpec spec = { .label = _("Dump"), .kind = XV_JOB_KIND_DUMP };
    guint flags = 0;
    guint dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;

    if (dom == NULL)
        return FALSE;
    flags |= xv_cmd_args_flags(args, opts);
    if (format != NULL) {
        if (!(flags & VIR_DUMP_MEMORY_ONLY)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                        _("--format only works with --memory-only"));
            return FALSE;
        }
        if (g_str_equal(format, "elf"))
            dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;
        else if (g_str_equal(format, "kdump-zlib"))
            dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB;
        else if (g_str_equal(format, "kdump-lzo"))
            dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO;
        else if (g_str_equal(format, "kdump-snappy"))
            dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY;
        else if (g_str_equal(format, "win-dmp"))
            dumpformat = VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP;
        else {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("format '%s' is not supported, expecting 'kdump-zlib', 'kdump-lzo', "
                          "'kdump-snappy', 'win-dmp' or 'elf'"), format);
            return FALSE;
        }
    }
    job_spec_target(&spec, args, dom->path, dom->name);
    reply = xv_job_run(&spec, dom->path, XV_DOMAIN_IFACE, "CoreDump",
                       g_variant_new("(suu)", to, dumpformat, flags), NULL, error);
    if (reply == NULL) {
        g_prefix_error(error, _("Failed to core dump domain '%1$s' to %2$s\n"), dom->name, to);
        return FALSE;
    }
    xv_print_extra(_("\nDomain '%1$s' dumped to %2$s\n"), dom->name, to);
    return TRUE;
}

/* ---- XML: dumpxml, edit, devices --------------------------------------- */

static gboolean
cmd_dumpxml(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "inactive", VIR_DOMAIN_XML_INACTIVE },
        { "security-info", VIR_DOMAIN_XML_SECURE },
        { "migratable", VIR_DOMAIN_XML_MIGRATABLE },
        { "update-cpu", VIR_DOMAIN_XML_UPDATE_CPU },
        { NULL, 0 },
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    const char *xml;
    guint flags = 0;

    if (dom == NULL)
        return FALSE;
    flags |= xv_cmd_args_flags(args, opts);
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetXMLDesc", g_variant_new("(u)", flags),
                    G_VARIANT_TYPE("(s)"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "(&s)", &xml);
    fputs(xml, stdout);
    if (!g_str_has_suffix(xml, "\n"))
        fputc('\n', stdout);
    return TRUE;
}

static gboolean
run_editor(const char *path, GError **error)
{
    const char *editor = g_getenv("VISUAL");
    g_autofree char *cmdline = NULL;
    g_autofree char *quoted = g_shell_quote(path);
    int status = 0;

    if (editor == NULL || *editor == '\0')
        editor = g_getenv("EDITOR");
    if (editor == NULL || *editor == '\0')
        editor = "vi";
    cmdline = g_strdup_printf("%s %s", editor, quoted);
    if (!g_spawn_sync(NULL, (char *[]){ "/bin/sh", "-c", cmdline, NULL }, NULL,
                      G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status, error))
        return FALSE;
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("editor '%1$s' on %2$s failed"), editor, path);
        return FALSE;
    }
    return TRUE;
}

/* Ask "Failed. Try again? [y,n,i,f,?]:" on the terminal; 'y' re-edits. */
static char
ask_reedit(void)
{
    char line[64];

    if (!isatty(STDIN_FILENO))
        return 'n';
    for (;;) {
        xv_print_extra("%s", _("Failed. Try again? [y,n,f,?]:"));
        fflush(stdout);
        if (fgets(line, sizeof(line), stdin) == NULL)
            return 'n';
        if (line[0] == 'y' || line[0] == 'n' || line[0] == 'f')
            return line[0];
        xv_print_extra("%s", _("y - yes, start editor again\n"
                       "n - no, throw away my changes\n"
                       "f - force, try to redefine again\n"
                       "? - print this help\n"));
    }
}

static gboolean
cmd_edit(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    g_autofree char *tmp = NULL;
    const char *orig;
    int fd;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetXMLDesc",
                    g_variant_new("(u)", VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE),
                    G_VARIANT_TYPE("(s)"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "(&s)", &orig);
    fd = g_file_open_tmp("xvirshXXXXXX.xml", &tmp, error);
    if (fd < 0)
        return FALSE;
    close(fd);
    if (!g_file_set_contents(tmp, orig, -1, error))
        goto fail;
    for (;;) {
        g_autofree char *edited = NULL;
        g_autoptr(GVariant) defined = NULL;
        g_autoptr(GError) local = NULL;
        char answer;

        if (!run_editor(tmp, error) || !g_file_get_contents(tmp, &edited, NULL, error))
            goto fail;
        if (g_str_equal(edited, orig)) {
            xv_print_extra(_("Domain '%s' XML configuration not changed.\n"), dom->name);
            g_unlink(tmp);
            return TRUE;
        }
        defined = xv_call(XV_CONNECT_PATH, XV_CONNECT_IFACE, "DomainDefineXML",
                          g_variant_new("(s)", edited), G_VARIANT_TYPE("(o)"), -1, &local);
        if (defined != NULL) {
            xv_print_extra(_("Domain '%s' XML configuration edited.\n"), dom->name);
            g_unlink(tmp);
            return TRUE;
        }
        fprintf(stderr, "error: %s\n", local->message);
        answer = ask_reedit();
        if (answer == 'y' || answer == 'f')
            continue;
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Domain '%1$s' XML configuration not changed: %2$s"), dom->name,
                    local->message);
        goto fail;
    }
fail:
    g_unlink(tmp);
    return FALSE;
}

static guint
affect_flags(XvCmdArgs *args, GError **error)
{
    guint flags = VIR_DOMAIN_AFFECT_CURRENT;
    gboolean current = xv_cmd_args_get_bool(args, "current");

    if (xv_cmd_args_get_bool(args, "config") || xv_cmd_args_get_bool(args, "persistent"))
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (xv_cmd_args_get_bool(args, "live"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (current && flags != VIR_DOMAIN_AFFECT_CURRENT) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("Options --current and --live/--config are mutually exclusive"));
        return G_MAXUINT;
    }
    return flags;
}

typedef struct {
    const char *method;
    const char *fail;
    const char *done;
    gboolean force_opt;     /* has --force (update-device) */
} DeviceOp;

static gboolean
device_op(XvCmdArgs *args, const DeviceOp *op, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    const char *file = xv_cmd_args_get_string(args, "file");
    g_autofree char *xml = NULL;
    g_autoptr(GVariant) reply = NULL;
    guint flags;

    if (dom == NULL)
        return FALSE;
    flags = affect_flags(args, error);
    if (flags == G_MAXUINT || !xv_read_file(file, &xml, error))
        return FALSE;
    if (xv_cmd_args_get_bool(args, "persistent") && xv_domain_ref_bool(dom, "Active"))
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (op->force_opt && xv_cmd_args_get_bool(args, "force"))
        flags |= VIR_DOMAIN_DEVICE_MODIFY_FORCE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, op->method, g_variant_new("(su)", xml, flags),
                    NULL, -1, error);
    if (reply == NULL) {
        xv_error_prefix_line(error, _(op->fail), file);
        return FALSE;
    }
    xv_print_extra("%s\n", _(op->done));
    return TRUE;
}

static gboolean
cmd_attach_device(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const DeviceOp op = { "AttachDevice", N_("Failed to attach device from %s"),
                                 N_("Device attached successfully") };

    return device_op(args, &op, error);
}

static gboolean
cmd_detach_device(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const DeviceOp op = { "DetachDevice", N_("Failed to detach device from %s"),
                                 N_("Device detached successfully") };

    return device_op(args, &op, error);
}

static gboolean
cmd_update_device(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const DeviceOp op = { "UpdateDevice", N_("Failed to update device from %s"),
                                 N_("Device updated successfully"), TRUE };

    return device_op(args, &op, error);
}

/* ---- metadata ---------------------------------------------------------- */

/* Affect flags for GetMetadata: one of --live / --config, else CURRENT. */
static guint
metadata_flags(XvCmdArgs *args, GError **error)
{
    guint flags = affect_flags(args, error);

    if (flags == G_MAXUINT)
        return flags;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("Options --live and --config are mutually exclusive when reading"));
        return G_MAXUINT;
    }
    return flags;
}

static gboolean
cmd_desc(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) local = NULL;
    const char *new_desc = xv_cmd_args_get_string(args, "new-desc");
    gboolean title = xv_cmd_args_get_bool(args, "title");
    int type = title ? VIR_DOMAIN_METADATA_TITLE : VIR_DOMAIN_METADATA_DESCRIPTION;
    guint flags;
    const char *text;

    if (dom == NULL)
        return FALSE;
    if (new_desc != NULL) {
        flags = affect_flags(args, error);
        if (flags == G_MAXUINT)
            return FALSE;
        reply = xv_call(dom->path, XV_DOMAIN_IFACE, "SetMetadata",
                        g_variant_new("(isssu)", type, new_desc, "", "", flags), NULL, -1, error);
        if (reply == NULL) {
            g_prefix_error(error, "%s\n", title ? _("Failed to set new domain title")
                                                : _("Failed to set new domain description"));
            return FALSE;
        }
        xv_print_extra("%s\n", title ? _("Domain title updated successfully")
                                     : _("Domain description updated successfully"));
        return TRUE;
    }
    flags = metadata_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetMetadata",
                    g_variant_new("(isu)", type, "", flags), G_VARIANT_TYPE("(s)"), -1, &local);
    if (reply == NULL) {
        if (strstr(local->message, "Requested metadata element is not present") != NULL) {
            /* virsh prints this on stdout and succeeds */
            if (title)
                xv_print_extra(_("No title for domain: %s\n"), dom->name);
            else
                xv_print_extra(_("No description for domain: %s\n"), dom->name);
            return TRUE;
        }
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    g_variant_get(reply, "(&s)", &text);
    printf("%s\n", text);
    return TRUE;
}

static gboolean
cmd_metadata(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    const char *uri = xv_cmd_args_get_string(args, "uri");
    const char *key = xv_cmd_args_get_string(args, "key");
    const char *set = xv_cmd_args_get_string(args, "set");
    gboolean remove = xv_cmd_args_get_bool(args, "remove");
    guint flags;
    const char *text;

    if (dom == NULL)
        return FALSE;
    if (set != NULL || remove) {
        if (set != NULL && remove) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                        _("Options --set and --remove are mutually exclusive"));
            return FALSE;
        }
        if (set != NULL && key == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                        _("namespace key is required when modifying metadata"));
            return FALSE;
        }
        flags = affect_flags(args, error);
        if (flags == G_MAXUINT)
            return FALSE;
        reply = xv_call(dom->path, XV_DOMAIN_IFACE, "SetMetadata",
                        g_variant_new("(isssu)", VIR_DOMAIN_METADATA_ELEMENT,
                                      set != NULL ? set : "", key != NULL ? key : "", uri, flags),
                        NULL, -1, error);
        if (reply == NULL)
            return FALSE;
        xv_print_extra("%s\n", remove ? _("Metadata removed") : _("Metadata modified"));
        return TRUE;
    }
    flags = metadata_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "GetMetadata",
                    g_variant_new("(isu)", VIR_DOMAIN_METADATA_ELEMENT, uri, flags),
                    G_VARIANT_TYPE("(s)"), -1, error);
    if (reply == NULL)
        return FALSE;
    g_variant_get(reply, "(&s)", &text);
    printf("%s\n", text);
    return TRUE;
}

/* ---- vcpus and memory -------------------------------------------------- */

static gboolean
cmd_setvcpus(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    static const XvFlagOption opts[] = {
        { "maximum", VIR_DOMAIN_VCPU_MAXIMUM },
        { "guest", VIR_DOMAIN_VCPU_GUEST },
        { NULL, 0 },
    };
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    gint64 count = -1;
    guint flags;

    if (dom == NULL || !xv_cmd_args_get_int(args, "count", &count, error))
        return FALSE;
    if (count <= 0 || count > G_MAXINT32) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, _("Invalid number of virtual CPUs"));
        return FALSE;
    }
    flags = affect_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    flags |= xv_cmd_args_flags(args, opts);
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "SetVcpus",
                    g_variant_new("(uu)", (guint32)count, flags), NULL, -1, error);
    return reply != NULL;
}

static gboolean
set_memory(XvCmdArgs *args, guint extra_flags, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    guint64 kib = 0;
    guint flags;

    if (dom == NULL || !xv_cmd_args_get_scaled_kib(args, "size", &kib, error))
        return FALSE;
    flags = affect_flags(args, error);
    if (flags == G_MAXUINT)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "SetMemory",
                    g_variant_new("(tu)", kib, flags | extra_flags), NULL, -1, error);
    return reply != NULL;
}

static gboolean
cmd_setmem(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    return set_memory(args, 0, error);
}

static gboolean
cmd_setmaxmem(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    return set_memory(args, VIR_DOMAIN_MEM_MAXIMUM, error);
}

static gboolean
cmd_autostart(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;
    gboolean disable = xv_cmd_args_get_bool(args, "disable");

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, "org.freedesktop.DBus.Properties", "Set",
                    g_variant_new("(ssv)", XV_DOMAIN_IFACE, "Autostart",
                                  g_variant_new_boolean(!disable)),
                    NULL, -1, error);
    if (reply == NULL) {
        if (disable)
            g_prefix_error(error, _("Failed to unmark domain '%s' as autostarted\n"), dom->name);
        else
            g_prefix_error(error, _("Failed to mark domain '%s' as autostarted\n"), dom->name);
        return FALSE;
    }
    if (disable)
        xv_print_extra(_("Domain '%s' unmarked as autostarted\n"), dom->name);
    else
        xv_print_extra(_("Domain '%s' marked as autostarted\n"), dom->name);
    return TRUE;
}

static gboolean
cmd_domjobabort(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    g_autoptr(XvDomainRef) dom = xv_get_domain(args, error);
    g_autoptr(GVariant) reply = NULL;

    if (dom == NULL)
        return FALSE;
    reply = xv_call(dom->path, XV_DOMAIN_IFACE, "AbortJob", NULL, NULL, -1, error);
    return reply != NULL;
}

/* ---- table ------------------------------------------------------------- */

#define DOMAIN_OPT { "domain", XV_OPT_DATA, TRUE, N_("domain name, id or uuid"), XV_COMPLETE_DOMAIN }
#define FILE_OPT(h) { "file", XV_OPT_DATA, TRUE, h, XV_COMPLETE_FILE }
#define AFFECT_OPTS \
    { "config", XV_OPT_BOOL, FALSE, N_("affect next boot") }, \
    { "live", XV_OPT_BOOL, FALSE, N_("affect running domain") }, \
    { "current", XV_OPT_BOOL, FALSE, N_("affect current domain") }

static const XvOptDef opts_define[] = {
    FILE_OPT(N_("file containing an XML domain description")),
    { "validate", XV_OPT_BOOL, FALSE, N_("validate the XML against the schema") },
    { NULL }
};
static const XvOptDef opts_undefine[] = {
    DOMAIN_OPT,
    { "managed-save", XV_OPT_BOOL, FALSE, N_("remove domain managed state file") },
    { "nvram", XV_OPT_BOOL, FALSE, N_("remove nvram file") },
    { "keep-nvram", XV_OPT_BOOL, FALSE, N_("keep nvram file") },
    { NULL }
};
static const XvOptDef opts_create[] = {
    FILE_OPT(N_("file containing an XML domain description")),
    { "paused", XV_OPT_BOOL, FALSE, N_("leave the guest paused after creation") },
    { "autodestroy", XV_OPT_BOOL, FALSE, N_("automatically destroy the guest when virsh disconnects") },
    { "validate", XV_OPT_BOOL, FALSE, N_("validate the XML against the schema") },
    { "verbose", XV_OPT_BOOL, FALSE, N_("display the progress of creation") },
    { NULL }
};
static const XvOptDef opts_start[] = {
    DOMAIN_OPT,
    { "paused", XV_OPT_BOOL, FALSE, N_("leave the guest paused after start") },
    { "autodestroy", XV_OPT_BOOL, FALSE, N_("automatically destroy the guest when virsh disconnects") },
    { "bypass-cache", XV_OPT_BOOL, FALSE, N_("avoid file system cache when loading") },
    { "force-boot", XV_OPT_BOOL, FALSE, N_("force fresh boot by discarding any managed save") },
    { "verbose", XV_OPT_BOOL, FALSE, N_("display the progress of start") },
    { NULL }
};
static const XvOptDef opts_shutdown[] = {
    DOMAIN_OPT,
    { "mode", XV_OPT_STRING, FALSE, N_("shutdown mode: acpi|agent|initctl|signal|paravirt") },
    { NULL }
};
static const XvOptDef opts_destroy[] = {
    DOMAIN_OPT,
    { "graceful", XV_OPT_BOOL, FALSE, N_("terminate gracefully") },
    { NULL }
};
static const XvOptDef opts_domain[] = {
    DOMAIN_OPT,
    { NULL }
};
#define SAVE_OPTS \
    { "bypass-cache", XV_OPT_BOOL, FALSE, N_("avoid file system cache when saving") }, \
    { "running", XV_OPT_BOOL, FALSE, N_("set domain to be running on restore") }, \
    { "paused", XV_OPT_BOOL, FALSE, N_("set domain to be paused on restore") }, \
    { "verbose", XV_OPT_BOOL, FALSE, N_("display the progress of save") }
static const XvOptDef opts_save[] = {
    DOMAIN_OPT,
    FILE_OPT(N_("where to save the data")),
    { "xml", XV_OPT_STRING, FALSE, N_("filename containing updated XML for the target"), XV_COMPLETE_FILE },
    SAVE_OPTS,
    { NULL }
};
static const XvOptDef opts_managedsave[] = {
    DOMAIN_OPT,
    SAVE_OPTS,
    { NULL }
};
static const XvOptDef opts_restore[] = {
    FILE_OPT(N_("the state to restore")),
    { "xml", XV_OPT_STRING, FALSE, N_("filename containing updated XML for the target"), XV_COMPLETE_FILE },
    SAVE_OPTS,
    { NULL }
};
static const XvOptDef opts_save_image_dumpxml[] = {
    FILE_OPT(N_("saved state file to read")),
    { "security-info", XV_OPT_BOOL, FALSE, N_("include security sensitive information in XML dump") },
    { NULL }
};
static const XvOptDef opts_save_image_define[] = {
    FILE_OPT(N_("saved state file to modify")),
    { "xml", XV_OPT_DATA, TRUE, N_("filename containing updated XML for the target"), XV_COMPLETE_FILE },
    { "running", XV_OPT_BOOL, FALSE, N_("set domain to be running on restore") },
    { "paused", XV_OPT_BOOL, FALSE, N_("set domain to be paused on restore") },
    { NULL }
};
static const XvOptDef opts_dump[] = {
    DOMAIN_OPT,
    FILE_OPT(N_("where to dump the core")),
    { "live", XV_OPT_BOOL, FALSE, N_("perform a live core dump if supported") },
    { "crash", XV_OPT_BOOL, FALSE, N_("crash the domain after core dump") },
    { "bypass-cache", XV_OPT_BOOL, FALSE, N_("avoid file system cache when dumping") },
    { "reset", XV_OPT_BOOL, FALSE, N_("reset the domain after core dump") },
    { "verbose", XV_OPT_BOOL, FALSE, N_("display the progress of dump") },
    { "memory-only", XV_OPT_BOOL, FALSE, N_("dump domain's memory only") },
    { "format", XV_OPT_STRING, FALSE, N_("specify the format of memory-only dump") },
    { NULL }
};
static const XvOptDef opts_dumpxml[] = {
    DOMAIN_OPT,
    { "inactive", XV_OPT_BOOL, FALSE, N_("show inactive defined XML") },
    { "security-info", XV_OPT_BOOL, FALSE, N_("include security sensitive information in XML dump") },
    { "update-cpu", XV_OPT_BOOL, FALSE, N_("update guest CPU according to host CPU") },
    { "migratable", XV_OPT_BOOL, FALSE, N_("provide XML suitable for migrations") },
    { NULL }
};
static const XvOptDef opts_device[] = {
    DOMAIN_OPT,
    FILE_OPT(N_("XML file")),
    { "persistent", XV_OPT_BOOL, FALSE, N_("make live change persistent") },
    AFFECT_OPTS,
    { NULL }
};
static const XvOptDef opts_update_device[] = {
    DOMAIN_OPT,
    FILE_OPT(N_("XML file")),
    { "persistent", XV_OPT_BOOL, FALSE, N_("make live change persistent") },
    AFFECT_OPTS,
    { "force", XV_OPT_BOOL, FALSE, N_("force device update") },
    { NULL }
};
static const XvOptDef opts_desc[] = {
    DOMAIN_OPT,
    AFFECT_OPTS,
    { "title", XV_OPT_BOOL, FALSE, N_("modify/get the title instead of description") },
    { "new-desc", XV_OPT_STRING, FALSE, N_("message") },
    { NULL }
};
static const XvOptDef opts_metadata[] = {
    DOMAIN_OPT,
    { "uri", XV_OPT_DATA, TRUE, N_("URI of the namespace") },
    AFFECT_OPTS,
    { "key", XV_OPT_STRING, FALSE, N_("key to be used as a namespace identifier") },
    { "set", XV_OPT_STRING, FALSE, N_("new metadata to set") },
    { "remove", XV_OPT_BOOL, FALSE, N_("remove the metadata corresponding to an uri") },
    { NULL }
};
static const XvOptDef opts_setvcpus[] = {
    DOMAIN_OPT,
    { "count", XV_OPT_DATA, TRUE, N_("number of virtual CPUs") },
    { "maximum", XV_OPT_BOOL, FALSE, N_("set maximum limit on next boot") },
    AFFECT_OPTS,
    { "guest", XV_OPT_BOOL, FALSE, N_("modify cpu state in the guest") },
    { NULL }
};
static const XvOptDef opts_setmem[] = {
    DOMAIN_OPT,
    { "size", XV_OPT_DATA, TRUE, N_("new memory size, as scaled integer (default KiB)") },
    AFFECT_OPTS,
    { NULL }
};
static const XvOptDef opts_autostart[] = {
    DOMAIN_OPT,
    { "disable", XV_OPT_BOOL, FALSE, N_("disable autostarting") },
    { NULL }
};

const XvCmdDef xv_cmds_domain[] = {
    { "attach-device", "domain", N_("attach device from an XML file"), opts_device, cmd_attach_device },
    { "autostart", "domain", N_("autostart a domain"), opts_autostart, cmd_autostart },
    { "create", "domain", N_("create a domain from an XML file"), opts_create, cmd_create },
    { "define", "domain", N_("define (but don't start) a domain from an XML file"), opts_define, cmd_define },
    { "desc", "domain", N_("show or set domain's description or title"), opts_desc, cmd_desc },
    { "destroy", "domain", N_("destroy (stop) a domain"), opts_destroy, cmd_destroy },
    { "detach-device", "domain", N_("detach device from an XML file"), opts_device, cmd_detach_device },
    { "domjobabort", "domain", N_("abort active domain job"), opts_domain, cmd_domjobabort },
    { "dump", "domain", N_("dump the core of a domain to a file for analysis"), opts_dump, cmd_dump },
    { "dumpxml", "domain", N_("domain information in XML"), opts_dumpxml, cmd_dumpxml },
    { "edit", "domain", N_("edit XML configuration for a domain"), opts_domain, cmd_edit },
    { "managedsave", "domain", N_("managed save of a domain state"), opts_managedsave, cmd_managedsave },
    { "managedsave-remove", "domain", N_("Remove managed save of a domain"), opts_domain, cmd_managedsave_remove },
    { "metadata", "domain", N_("show or set domain's custom XML metadata"), opts_metadata, cmd_metadata },
    { "reboot", "domain", N_("reboot a domain"), opts_shutdown, cmd_reboot },
    { "restore", "domain", N_("restore a domain from a saved state in a file"), opts_restore, cmd_restore },
    { "resume", "domain", N_("resume a domain"), opts_domain, cmd_resume },
    { "save", "domain", N_("save a domain state to a file"), opts_save, cmd_save },
    { "save-image-define", "domain", N_("redefine the XML for a domain's saved state file"), opts_save_image_define, cmd_save_image_define },
    { "save-image-dumpxml", "domain", N_("saved state domain information in XML"), opts_save_image_dumpxml, cmd_save_image_dumpxml },
    { "setmaxmem", "domain", N_("change maximum memory limit"), opts_setmem, cmd_setmaxmem },
    { "setmem", "domain", N_("change memory allocation"), opts_setmem, cmd_setmem },
    { "setvcpus", "domain", N_("change number of virtual CPUs"), opts_setvcpus, cmd_setvcpus },
    { "shutdown", "domain", N_("gracefully shutdown a domain"), opts_shutdown, cmd_shutdown },
    { "start", "domain", N_("start a (previously defined) inactive domain"), opts_start, cmd_start },
    { "suspend", "domain", N_("suspend a domain"), opts_domain, cmd_suspend },
    { "undefine", "domain", N_("undefine a domain"), opts_undefine, cmd_undefine },
    { "update-device", "domain", N_("update device from an XML file"), opts_update_device, cmd_update_device },
    { NULL }
};
