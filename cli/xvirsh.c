/*
 * xvirsh.c: entry point, option parsing in virsh's style, dispatch.
 */
#include "cli/xvirsh.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "util/xv-error.h"

struct _XvCmdArgs {
    GHashTable *values;         /* option name -> value ("" for booleans) */
};

const char *
xv_cmd_args_get_string(XvCmdArgs *args, const char *name)
{
    return g_hash_table_lookup(args->values, name);
}

gboolean
xv_cmd_args_get_bool(XvCmdArgs *args, const char *name)
{
    return g_hash_table_contains(args->values, name);
}

static gboolean cmd_help(const XvCmdDef *cmd, XvCmdArgs *args, GError **error);

static const XvOptDef opts_help[] = {
    { "command", XV_OPT_DATA, FALSE, N_("Prints detailed information about the command.") },
    { NULL }
};

static const XvCmdDef cmds_builtin[] = {
    { "help", "virsh", N_("print help"), opts_help, cmd_help, TRUE },
    { NULL }
};

static const XvCmdDef *const cmd_groups[] = {
    cmds_builtin,
    xv_cmds_native,
};

static const XvCmdDef *
cmd_lookup(const char *name)
{
    for (gsize g = 0; g < G_N_ELEMENTS(cmd_groups); g++) {
        for (const XvCmdDef *c = cmd_groups[g]; c->name != NULL; c++) {
            if (g_str_equal(c->name, name))
                return c;
        }
    }
    return NULL;
}

static const XvOptDef *
opt_lookup(const XvCmdDef *cmd, const char *name)
{
    for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
        if (g_str_equal(o->name, name))
            return o;
    }
    return NULL;
}

static void
print_cmd_help(const XvCmdDef *cmd)
{
    GString *synopsis = g_string_new(cmd->name);

    for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
        const char *fmt;

        if (o->type == XV_OPT_BOOL)
            fmt = " [--%s]";
        else if (o->type == XV_OPT_DATA)
            fmt = o->required ? " [--%s] <string>" : " [[--%s] <string>]";
        else
            fmt = o->required ? " --%s <string>" : " [--%s <string>]";
        g_string_append_printf(synopsis, fmt, o->name);
    }
    printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s\n\n", cmd->name, _(cmd->summary),
           synopsis->str);
    if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
        printf("  OPTIONS\n");
        for (const XvOptDef *o = cmd->opts; o->name != NULL; o++) {
            g_autofree char *lhs =
                o->type == XV_OPT_BOOL ? g_strdup_printf("--%s", o->name)
                : o->type == XV_OPT_DATA ? g_strdup_printf("[--%s] <string>", o->name)
                : g_strdup_printf("--%s <string>", o->name);

            printf("    %-20s %s\n", lhs, _(o->help));
        }
        printf("\n");
    }
    g_string_free(synopsis, TRUE);
}

static gboolean
cmd_help(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *name = xv_cmd_args_get_string(args, "command");
    const char *last_group = NULL;

    if (name != NULL) {
        const XvCmdDef *c = cmd_lookup(name);

        if (c == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("command '%s' doesn't exist"), name);
            return FALSE;
        }
        print_cmd_help(c);
        return TRUE;
    }
    printf("%s", _("Grouped commands:\n\n"));
    for (gsize g = 0; g < G_N_ELEMENTS(cmd_groups); g++) {
        for (const XvCmdDef *c = cmd_groups[g]; c->name != NULL; c++) {
            if (last_group == NULL || !g_str_equal(last_group, c->group)) {
                if (last_group != NULL)
                    printf("\n");
                printf(" %s (help keyword '%s'):\n", c->group, c->group);
                last_group = c->group;
            }
            printf("    %-30s %s\n", c->name, _(c->summary));
        }
    }
    printf("\n");
    return TRUE;
}

/* Parse argv for one command, virsh style: "--opt value", "--opt=value",
 * "--flag", bare words fill DATA options in declaration order. */
static gboolean
cmd_parse_args(const XvCmdDef *cmd, int argc, char **argv, XvCmdArgs *args, GError **error)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const XvOptDef *o = NULL;
        const char *value = NULL;

        if (g_str_has_prefix(a, "--") && a[2] != '\0') {
            g_autofree char *name = g_strdup(a + 2);
            char *eq = strchr(name, '=');

            if (eq != NULL) {
                *eq = '\0';
                value = a + 2 + (eq - name) + 1;
            }
            o = opt_lookup(cmd, name);
            if (o == NULL) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("command '%1$s' doesn't support option --%2$s"), cmd->name, name);
                return FALSE;
            }
            if (o->type == XV_OPT_BOOL) {
                if (value != NULL) {
                    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                                _("option --%s takes no value"), o->name);
                    return FALSE;
                }
                value = "";
            } else if (value == NULL) {
                if (i + 1 >= argc) {
                    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                                _("expected syntax: --%s <string>"), o->name);
                    return FALSE;
                }
                value = argv[++i];
            }
        } else {
            for (const XvOptDef *d = cmd->opts; d != NULL && d->name != NULL; d++) {
                if (d->type == XV_OPT_DATA && !g_hash_table_contains(args->values, d->name)) {
                    o = d;
                    break;
                }
            }
            if (o == NULL) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("unexpected data '%s'"), a);
                return FALSE;
            }
            value = a;
        }
        if (g_hash_table_contains(args->values, o->name)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("option --%s already seen"), o->name);
            return FALSE;
        }
        g_hash_table_insert(args->values, g_strdup(o->name), g_strdup(value));
    }
    for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
        if (o->required && !g_hash_table_contains(args->values, o->name)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("command '%1$s' requires <%2$s> option"), cmd->name, o->name);
            return FALSE;
        }
    }
    return TRUE;
}

static void
print_error(const GError *error)
{
    fprintf(stderr, "error: %s\n", error->message);
}

static void
usage(FILE *out)
{
    fprintf(out, "%s",
            _("\n"
              "xvirsh [options]... [<command_string>]\n"
              "xvirsh [options]... <command> [args...]\n"
              "\n"
              "  options:\n"
              "    -c | --connect=URI      hypervisor connection URI\n"
              "    -h | --help             this help\n"
              "    -r | --readonly         connect readonly\n"
              "    -v | --version          short version\n"
              "\n"
              "  commands (non interactive mode):\n"
              "\n"
              "    See 'xvirsh help' for the list of commands.\n"
              "\n"));
}

int
main(int argc, char **argv)
{
    const XvCmdDef *cmd;
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) values = NULL;
    XvCmdArgs args;
    int i = 1;

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    /* Global options stop at the first non-option word: the command. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];

        if (g_str_equal(a, "-h") || g_str_equal(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (g_str_equal(a, "-v") || g_str_equal(a, "--version")) {
            printf("%s\n", PACKAGE_VERSION);
            return 0;
        } else if (g_str_equal(a, "-r") || g_str_equal(a, "--readonly")) {
            continue;
        } else if (g_str_equal(a, "-c") || g_str_equal(a, "--connect")) {
            if (++i >= argc) {
                fprintf(stderr, "error: %s\n", _("option '-c' requires an argument"));
                return 1;
            }
        } else if (g_str_has_prefix(a, "--connect=")) {
            continue;
        } else {
            fprintf(stderr, _("error: unsupported option '%s'. See --help.\n"), a);
            return 1;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 1;
    }

    cmd = cmd_lookup(argv[i]);
    if (cmd == NULL) {
        fprintf(stderr, _("error: unknown command: '%s'\n"), argv[i]);
        return 1;
    }
    values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    args.values = values;
    if (!cmd_parse_args(cmd, argc - i - 1, argv + i + 1, &args, &error) ||
        !cmd->func(cmd, &args, &error)) {
        print_error(error);
        return 1;
    }
    return 0;
}
