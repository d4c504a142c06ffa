/*
 * xvirsh.c: entry point, option parsing in virsh's style, dispatch, and the
 * interactive shell (GNU readline when built with it: history, line editing,
 * completion of commands, options and domain names).
 */
#include "cli/xvirsh.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef WITH_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "cli/conn.h"
#include "util/xv-error.h"

XvCtl xv_ctl;

struct _XvCmdArgs {
    GHashTable *values;         /* option name -> value ("" for booleans) */
    GHashTable *argvs;          /* option name -> GPtrArray of words (NULL-terminated) */
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

const char *const *
xv_cmd_args_get_argv(XvCmdArgs *args, const char *name)
{
    GPtrArray *a = g_hash_table_lookup(args->argvs, name);

    return a != NULL ? (const char *const *)a->pdata : NULL;
}

gboolean
xv_cmd_args_get_int(XvCmdArgs *args, const char *name, gint64 *value, GError **error)
{
    const char *s = xv_cmd_args_get_string(args, name);
    char *end = NULL;
    gint64 v;

    if (s == NULL)
        return TRUE;
    errno = 0;
    v = g_ascii_strtoll(s, &end, 10);
    if (*s == '\0' || end == NULL || *end != '\0' || errno != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Numeric value '%1$s' for <%2$s> option is malformed or out of range"), s,
                    name);
        return FALSE;
    }
    *value = v;
    return TRUE;
}

gboolean
xv_cmd_args_get_scaled_kib(XvCmdArgs *args, const char *name, guint64 *kib, GError **error)
{
    static const struct {
        const char *suffix;
        guint64 scale;          /* bytes */
    } units[] = {
        { "", 1024 }, { "b", 1 }, { "bytes", 1 },
        { "k", 1024 }, { "kib", 1024 }, { "kb", 1000 },
        { "m", 1024 * 1024 }, { "mib", 1024 * 1024 }, { "mb", 1000 * 1000 },
        { "g", 1024ULL * 1024 * 1024 }, { "gib", 1024ULL * 1024 * 1024 }, { "gb", 1000ULL * 1000 * 1000 },
        { "t", 1024ULL * 1024 * 1024 * 1024 }, { "tib", 1024ULL * 1024 * 1024 * 1024 },
        { "tb", 1000ULL * 1000 * 1000 * 1000 },
    };
    const char *s = xv_cmd_args_get_string(args, name);
    char *end = NULL;
    guint64 v;

    if (s == NULL)
        return TRUE;
    errno = 0;
    v = g_ascii_strtoull(s, &end, 10);
    if (end != s && errno == 0 && *s != '-') {
        g_autofree char *suffix = g_ascii_strdown(end, -1);

        for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
            if (g_str_equal(suffix, units[i].suffix) && v <= G_MAXUINT64 / units[i].scale) {
                *kib = v * units[i].scale / 1024;
                return TRUE;
            }
        }
    }
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("Numeric value '%1$s' for <%2$s> option is malformed or out of range"), s, name);
    return FALSE;
}

static gboolean cmd_help(const XvCmdDef *cmd, XvCmdArgs *args, GError **error);
static gboolean cmd_quit(const XvCmdDef *cmd, XvCmdArgs *args, GError **error);
static gboolean cmd_connect(const XvCmdDef *cmd, XvCmdArgs *args, GError **error);

static const XvOptDef opts_help[] = {
    { "command", XV_OPT_DATA, FALSE, N_("Prints detailed information about the command.") },
    { NULL }
};
static const XvOptDef opts_none[] = {
    { NULL }
};
static const XvOptDef opts_connect[] = {
    { "name", XV_OPT_DATA, FALSE, N_("hypervisor connection URI") },
    { "readonly", XV_OPT_BOOL, FALSE, N_("read-only connection") },
    { NULL }
};

static const XvCmdDef cmds_builtin[] = {
    { "connect", "virsh", N_("(re)connect to hypervisor"), opts_connect, cmd_connect, TRUE },
    { "exit", "virsh", N_("quit this interactive terminal"), opts_none, cmd_quit, TRUE },
    { "help", "virsh", N_("print help"), opts_help, cmd_help, TRUE },
    { "quit", "virsh", N_("quit this interactive terminal"), opts_none, cmd_quit, TRUE },
    { NULL }
};

static const XvCmdDef *const cmd_groups[] = {
    xv_cmds_domain,
    xv_cmds_native,
    xv_cmds_adopt,
    xv_cmds_monitor,
    xv_cmds_host,
    cmds_builtin,
};

const XvCmdDef *
xv_cmd_next(guint *group, guint *idx)
{
    while (*group < G_N_ELEMENTS(cmd_groups)) {
        const XvCmdDef *c = &cmd_groups[*group][*idx];

        if (c->name != NULL) {
            (*idx)++;
            return c;
        }
        (*group)++;
        *idx = 0;
    }
    return NULL;
}

const XvCmdDef *
xv_cmd_lookup(const char *name)
{
    guint g = 0, i = 0;

    for (const XvCmdDef *c; (c = xv_cmd_next(&g, &i)) != NULL;) {
        if (g_str_equal(c->name, name))
            return c;
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

static const char *
opt_value_name(const XvOptDef *o)
{
    switch (o->complete) {
    case XV_COMPLETE_DOMAIN: return "domain";
    case XV_COMPLETE_FOREIGN: return "domid";
    default: return "string";
    }
}

static void
print_cmd_help(const XvCmdDef *cmd)
{
    GString *synopsis = g_string_new(cmd->name);
    gsize width = 0;

    for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
        switch (o->type) {
        case XV_OPT_BOOL:
            g_string_append_printf(synopsis, " [--%s]", o->name);
            break;
        case XV_OPT_DATA:
            g_string_append_printf(synopsis, o->required ? " <%s>" : " [<%s>]", o->name);
            break;
        case XV_OPT_ARGV:
            g_string_append_printf(synopsis, " [<%s>]...", o->name);
            break;
        case XV_OPT_STRING:
        default:
            g_string_append_printf(synopsis, o->required ? " --%s <%s>" : " [--%s <%s>]",
                                   o->name, opt_value_name(o));
            break;
        }
    }
    printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s\n\n", cmd->name, _(cmd->summary),
           synopsis->str);
    g_string_free(synopsis, TRUE);
    if (cmd->opts == NULL || cmd->opts[0].name == NULL)
        return;
    for (const XvOptDef *o = cmd->opts; o->name != NULL; o++)
        width = MAX(width, strlen(o->name) + 20);
    printf("  OPTIONS\n");
    for (const XvOptDef *o = cmd->opts; o->name != NULL; o++) {
        g_autofree char *lhs = NULL;

        switch (o->type) {
        case XV_OPT_BOOL:
            lhs = g_strdup_printf("--%s", o->name);
            break;
        case XV_OPT_DATA:
            lhs = g_strdup_printf("[--%s] <%s>", o->name, opt_value_name(o));
            break;
        case XV_OPT_ARGV:
            lhs = g_strdup_printf("<%s>...", o->name);
            break;
        case XV_OPT_STRING:
        default:
            lhs = g_strdup_printf("--%s <%s>", o->name, opt_value_name(o));
            break;
        }
        printf("    %-*s  %s\n", (int)MIN(width, 30), lhs, _(o->help));
    }
    printf("\n");
}

static gboolean
cmd_help(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *name = xv_cmd_args_get_string(args, "command");
    const char *last_group = NULL;
    guint g = 0, i = 0;

    if (name != NULL) {
        const XvCmdDef *c = xv_cmd_lookup(name);

        if (c == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("command or command group '%s' doesn't exist"), name);
            return FALSE;
        }
        print_cmd_help(c);
        return TRUE;
    }
    printf("%s", _("Grouped commands:\n\n"));
    for (const XvCmdDef *c; (c = xv_cmd_next(&g, &i)) != NULL;) {
        if (last_group == NULL || !g_str_equal(last_group, c->group)) {
            if (last_group != NULL)
                printf("\n");
            printf(_(" %1$s (help keyword '%2$s'):\n"), c->group, c->group);
            last_group = c->group;
        }
        printf("    %-30s %s\n", c->name, _(c->summary));
    }
    return TRUE;
}

static gboolean quit_requested;

static gboolean
cmd_quit(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    quit_requested = TRUE;
    return TRUE;
}

static gboolean
cmd_connect(const XvCmdDef *cmd, XvCmdArgs *args, GError **error)
{
    const char *name = xv_cmd_args_get_string(args, "name");

    xv_conn_close();
    if (name != NULL) {
        g_free(xv_ctl.uri);
        xv_ctl.uri = g_strdup(name);
        xv_ctl.uri_explicit = TRUE;
    }
    if (xv_cmd_args_get_bool(args, "readonly"))
        xv_ctl.readonly = TRUE;
    return xv_conn_get(error) != NULL;
}

/* Parse argv for one command, virsh style: "--opt value", "--opt=value",
 * "--flag", bare words fill DATA options in declaration order, "--" ends
 * the options. */
static gboolean
cmd_parse_args(const XvCmdDef *cmd, int argc, char **argv, XvCmdArgs *args, GError **error)
{
    gboolean opts_done = FALSE;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const XvOptDef *o = NULL;
        const char *value = NULL;

        if (!opts_done && g_str_equal(a, "--")) {
            opts_done = TRUE;
            continue;
        }
        if (!opts_done && g_str_has_prefix(a, "--") && a[2] != '\0') {
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
                                _("expected syntax: --%1$s <%2$s>"), o->name, opt_value_name(o));
                    return FALSE;
                }
                value = argv[++i];
            }
        } else {
            for (const XvOptDef *d = cmd->opts; d != NULL && d->name != NULL; d++) {
                if ((d->type == XV_OPT_DATA && !g_hash_table_contains(args->values, d->name)) ||
                    d->type == XV_OPT_ARGV) {
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
        if (o->type == XV_OPT_ARGV) {
            GPtrArray *arr = g_hash_table_lookup(args->argvs, o->name);

            if (arr == NULL) {
                arr = g_ptr_array_new_with_free_func(g_free);
                g_ptr_array_add(arr, NULL);
                g_hash_table_insert(args->argvs, g_strdup(o->name), arr);
            }
            arr->pdata[arr->len - 1] = g_strdup(value);
            g_ptr_array_add(arr, NULL);
            continue;
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

/* "error: " before every line: a failed action reports "Failed to ..." and
 * then the daemon's reason, as virsh does. */
static void
print_error(const GError *error)
{
    g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);

    fflush(stdout);
    for (guint i = 0; lines[i] != NULL; i++) {
        if (lines[i][0] != '\0' || lines[i + 1] == NULL)
            fprintf(stderr, "error: %s\n", lines[i]);
    }
}

/* Commands that change something: refused on a read-only connection (-r),
 * as libvirt refuses them on a read-only virConnect. */
static const char *const write_commands[] = {
    "adopt", "attach-device", "autostart", "create", "define", "destroy", "detach-device",
    "domjobabort", "dump", "edit", "managedsave", "managedsave-remove", "reboot", "restore",
    "resume", "save", "save-image-define", "setmaxmem", "setmem", "setvcpus", "shutdown",
    "start", "suspend", "undefine", "update-device", NULL
};

static gboolean
cmd_is_write(const XvCmdDef *cmd, XvCmdArgs *args)
{
    if (g_strv_contains(write_commands, cmd->name))
        return TRUE;
    /* query forms of these are reads */
    if (g_str_equal(cmd->name, "vcpupin"))
        return xv_cmd_args_get_string(args, "cpulist") != NULL;
    if (g_str_equal(cmd->name, "schedinfo"))
        return xv_cmd_args_get_string(args, "set") != NULL;
    return FALSE;
}

/* Run one command line (already split into words).  Returns TRUE on success. */
static gboolean
run_command(int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) values = NULL;
    g_autoptr(GHashTable) argvs = NULL;
    const XvCmdDef *cmd;
    XvCmdArgs args;
    gboolean ok;

    if (argc == 0)
        return TRUE;
    cmd = xv_cmd_lookup(argv[0]);
    if (cmd == NULL) {
        fprintf(stderr, _("error: unknown command: '%s'\n"), argv[0]);
        return FALSE;
    }
    values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    argvs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify)g_ptr_array_unref);
    args.values = values;
    args.argvs = argvs;
    ok = cmd_parse_args(cmd, argc - 1, argv + 1, &args, &error);
    if (ok && xv_ctl.readonly && cmd_is_write(cmd, &args)) {
        g_set_error(&error, XV_ERROR, XV_ERROR_OPERATION_DENIED,
                    _("operation forbidden: read only access prevents '%s'"), cmd->name);
        ok = FALSE;
    }
    ok = ok && cmd->func(cmd, &args, &error);
    if (!ok && error != NULL)
        print_error(error);
    /* virsh ends every command's output with an empty line unless --quiet;
     * JSON output stays a clean document */
    if (!xv_ctl.quiet && !g_hash_table_contains(values, "json") &&
        !g_str_equal(cmd->name, "quit") && !g_str_equal(cmd->name, "exit"))
        printf("\n");
    fflush(stdout);
    return ok;
}

/* Split a command string into commands (at unquoted ';') and words
 * (whitespace, with '' "" and \ quoting).  Returns an array of GStrv. */
static GPtrArray *
split_commands(const char *line, GError **error)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) word = g_string_new(NULL);
    gboolean in_word = FALSE;
    char quote = 0;

    for (const char *p = line;; p++) {
        char c = *p;

        if (quote != 0) {
            if (c == '\0') {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                            _("missing \" or ' at the end of the command"));
                return NULL;
            }
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && p[1] != '\0')
                g_string_append_c(word, *++p);
            else
                g_string_append_c(word, c);
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            in_word = TRUE;
            continue;
        }
        if (c == '\\' && p[1] != '\0') {
            g_string_append_c(word, *++p);
            in_word = TRUE;
            continue;
        }
        if (c == '\0' || c == ';' || c == '\n' || g_ascii_isspace(c) || c == '#') {
            if (in_word) {
                g_ptr_array_add(words, g_strdup(word->str));
                g_string_truncate(word, 0);
                in_word = FALSE;
            }
            if (c == '#' ) {
                while (p[1] != '\0' && p[1] != '\n')
                    p++;
                continue;
            }
            if (c == '\0' || c == ';' || c == '\n') {
                if (words->len > 0) {
                    g_ptr_array_add(words, NULL);
                    g_ptr_array_add(cmds, g_ptr_array_free(g_steal_pointer(&words), FALSE));
                    words = g_ptr_array_new_with_free_func(g_free);
                }
                if (c == '\0')
                    break;
            }
            continue;
        }
        g_string_append_c(word, c);
        in_word = TRUE;
    }
    return g_steal_pointer(&cmds);
}

static gboolean
run_command_string(const char *line)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) cmds = split_commands(line, &error);
    gboolean ok = TRUE;

    if (cmds == NULL) {
        print_error(error);
        return FALSE;
    }
    for (guint i = 0; i < cmds->len && !quit_requested; i++) {
        char **words = g_ptr_array_index(cmds, i);

        ok = run_command((int)g_strv_length(words), words);
    }
    return ok;
}

/* ---- interactive shell --------------------------------------------------- */

static char *
history_path(void)
{
    const char *env = g_getenv("XVIRSH_HISTFILE");

    if (env != NULL && *env != '\0')
        return g_strdup(env);
    return g_build_filename(g_get_user_cache_dir(), "xvirsh", "history", NULL);
}

#ifdef WITH_READLINE
static GPtrArray *completion_matches;   /* candidates for the current word */

static char *
completion_generator(const char *text, int state)
{
    static guint next;

    if (state == 0)
        next = 0;
    while (completion_matches != NULL && next < completion_matches->len) {
        const char *m = g_ptr_array_index(completion_matches, next++);

        if (g_str_has_prefix(m, text))
            return strdup(m);
    }
    return NULL;
}

static void
add_domain_names(GPtrArray *out)
{
    g_autoptr(GVariant) objs = NULL;
    g_autoptr(GVariantIter) it = NULL;
    GVariant *ifaces;
    const char *path;

    objs = xv_call(XV_CONNECT_PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                   NULL, G_VARIANT_TYPE("(a{oa{sa{sv}}})"), -1, NULL);
    if (objs == NULL)
        return;
    g_variant_get(objs, "(a{oa{sa{sv}}})", &it);
    while (g_variant_iter_next(it, "{&o@a{sa{sv}}}", &path, &ifaces)) {
        g_autoptr(GVariant) props = g_variant_lookup_value(ifaces, XV_DOMAIN_IFACE,
                                                           G_VARIANT_TYPE("a{sv}"));
        const char *name;

        if (props != NULL && g_variant_lookup(props, "Name", "&s", &name))
            g_ptr_array_add(out, g_strdup(name));
        g_variant_unref(ifaces);
    }
}

/* adopt: the ids of the host's domains that the daemon does not manage */
static void
add_foreign_domids(GPtrArray *out)
{
    g_autoptr(GVariant) reply = xv_call(XV_CONNECT_PATH, "org.xenvirt.Host1", "ListForeignDomains",
                                        NULL, G_VARIANT_TYPE("(a(uss))"), -1, NULL);
    g_autoptr(GVariantIter) it = NULL;
    guint32 domid;

    if (reply == NULL)
        return;
    g_variant_get(reply, "(a(uss))", &it);
    while (g_variant_iter_next(it, "(u&s&s)", &domid, NULL, NULL))
        g_ptr_array_add(out, g_strdup_printf("%u", domid));
}

static char **
shell_completion(const char *text, int start, int end)
{
    g_autofree char *before = g_strndup(rl_line_buffer, (gsize)start);
    g_autoptr(GPtrArray) cmds = NULL;
    char **words;
    guint nwords;
    const XvCmdDef *cmd;
    const XvOptDef *want = NULL;
    const char *last_cmd_sep = strrchr(before, ';');

    rl_attempted_completion_over = 1;
    g_clear_pointer(&completion_matches, g_ptr_array_unref);
    completion_matches = g_ptr_array_new_with_free_func(g_free);
    cmds = split_commands(last_cmd_sep != NULL ? last_cmd_sep + 1 : before, NULL);
    if (cmds == NULL)
        return NULL;
    words = cmds->len > 0 ? g_ptr_array_index(cmds, cmds->len - 1) : NULL;
    nwords = words != NULL ? g_strv_length(words) : 0;
    if (nwords == 0) {
        guint g = 0, i = 0;

        for (const XvCmdDef *c; (c = xv_cmd_next(&g, &i)) != NULL;)
            g_ptr_array_add(completion_matches, g_strdup(c->name));
        return rl_completion_matches(text, completion_generator);
    }
    cmd = xv_cmd_lookup(words[0]);
    if (cmd == NULL)
        return NULL;
    if (g_str_has_prefix(text, "-")) {
        for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
            gboolean seen = FALSE;

            for (guint w = 1; w < nwords; w++)
                seen |= g_str_equal(words[w] + (g_str_has_prefix(words[w], "--") ? 2 : 0),
                                    o->name) && g_str_has_prefix(words[w], "--");
            if (!seen || o->type == XV_OPT_ARGV)
                g_ptr_array_add(completion_matches, g_strdup_printf("--%s", o->name));
        }
        return rl_completion_matches(text, completion_generator);
    }
    /* the value of the previous "--opt", or the next positional option */
    if (g_str_has_prefix(words[nwords - 1], "--")) {
        const XvOptDef *o = opt_lookup(cmd, words[nwords - 1] + 2);

        if (o != NULL && o->type != XV_OPT_BOOL)
            want = o;
    }
    if (want == NULL) {
        guint filled = 0;

        for (guint w = 1; w < nwords; w++) {
            if (g_str_has_prefix(words[w], "--")) {
                const XvOptDef *o = opt_lookup(cmd, words[w] + 2);

                if (o != NULL && o->type != XV_OPT_BOOL && w + 1 < nwords)
                    w++;
                continue;
            }
            filled++;
        }
        for (const XvOptDef *o = cmd->opts; o != NULL && o->name != NULL; o++) {
            if (o->type != XV_OPT_DATA && o->type != XV_OPT_ARGV)
                continue;
            if (o->type == XV_OPT_ARGV || filled == 0) {
                want = o;
                break;
            }
            filled--;
        }
    }
    if (want == NULL)
        return NULL;
    if (want->complete == XV_COMPLETE_DOMAIN) {
        add_domain_names(completion_matches);
        return rl_completion_matches(text, completion_generator);
    }
    if (want->complete == XV_COMPLETE_FOREIGN) {
        add_foreign_domids(completion_matches);
        return rl_completion_matches(text, completion_generator);
    }
    if (want->complete == XV_COMPLETE_FILE) {
        rl_attempted_completion_over = 0;
        return NULL;
    }
    return NULL;
}
#endif

static void
shell_banner(void)
{
    printf(_("Welcome to %s, the virtualization interactive terminal.\n\n"), "xvirsh");
    printf("%s", _("Type:  'help' for help with commands\n"
                   "       'quit' to quit\n\n"));
}

static int
run_shell(void)
{
    g_autofree char *hist = history_path();
    const char *prompt = geteuid() == 0 ? "xvirsh # " : "xvirsh > ";
    gboolean ok = TRUE;

    xv_ctl.interactive = TRUE;
    shell_banner();
#ifdef WITH_READLINE
    rl_readline_name = "xvirsh";
    rl_attempted_completion_function = shell_completion;
    rl_basic_word_break_characters = (char *)" \t\n\"\\'`@$><=;|&{(";
    using_history();
    stifle_history(500);
    read_history(hist);
#endif
    while (!quit_requested) {
        char *line;

#ifdef WITH_READLINE
        line = readline(prompt);
#else
        {
            char buf[4096];

            fputs(prompt, stdout);
            fflush(stdout);
            line = fgets(buf, sizeof(buf), stdin) != NULL ? strdup(buf) : NULL;
        }
#endif
        if (line == NULL) {
            printf("\n");
            break;
        }
        if (*g_strstrip(line) != '\0') {
#ifdef WITH_READLINE
            add_history(line);
#endif
            ok = run_command_string(line);
        }
        free(line);
    }
#ifdef WITH_READLINE
    {
        g_autofree char *dir = g_path_get_dirname(hist);

        if (g_mkdir_with_parents(dir, 0755) == 0)
            write_history(hist);
    }
    g_clear_pointer(&completion_matches, g_ptr_array_unref);
#endif
    return ok ? 0 : 1;
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
              "                            (xen:///system, xen:///session,\n"
              "                             xen+unix:///system?socket=PATH)\n"
              "    -h | --help             this help\n"
              "    -q | --quiet            quiet mode\n"
              "    -r | --readonly         connect readonly\n"
              "    -v                      short version\n"
              "    -V                      long version\n"
              "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
              "\n"
              "  commands (non interactive mode):\n"
              "\n"
              "    See 'xvirsh help' for the list of commands.\n"
              "\n"));
}

int
main(int argc, char **argv)
{
    int i = 1;
    gboolean ok;

    setlocale(LC_ALL, "");
    /* XENVIRT_LOCALEDIR: catalogues from a build tree (tests, development). */
    bindtextdomain(GETTEXT_PACKAGE, g_getenv("XENVIRT_LOCALEDIR") != NULL
                                        ? g_getenv("XENVIRT_LOCALEDIR") : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
    /* a closed pipe (xvirsh list | head) is not an error worth a signal */
    signal(SIGPIPE, SIG_IGN);

    /* Global options stop at the first non-option word: the command. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];

        if (g_str_equal(a, "-h") || g_str_equal(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (g_str_equal(a, "-v") || g_str_equal(a, "--version") ||
                   g_str_equal(a, "--version=short")) {
            printf("%s\n", PACKAGE_VERSION);
            return 0;
        } else if (g_str_equal(a, "-V") || g_str_equal(a, "--version=long")) {
            printf(_("xvirsh %s (xenvirt)\n"), PACKAGE_VERSION);
#ifdef WITH_READLINE
            printf("%s\n", _(" Interactive shell: readline"));
#else
            printf("%s\n", _(" Interactive shell: plain"));
#endif
            return 0;
        } else if (g_str_equal(a, "-r") || g_str_equal(a, "--readonly")) {
            xv_ctl.readonly = TRUE;
        } else if (g_str_equal(a, "-q") || g_str_equal(a, "--quiet")) {
            xv_ctl.quiet = TRUE;
        } else if (g_str_equal(a, "-c") || g_str_equal(a, "--connect")) {
            if (++i >= argc) {
                fprintf(stderr, "error: %s\n", _("option '-c' requires an argument"));
                return 1;
            }
            g_free(xv_ctl.uri);
            xv_ctl.uri = g_strdup(argv[i]);
            xv_ctl.uri_explicit = TRUE;
        } else if (g_str_has_prefix(a, "--connect=")) {
            g_free(xv_ctl.uri);
            xv_ctl.uri = g_strdup(a + strlen("--connect="));
            xv_ctl.uri_explicit = TRUE;
        } else if (g_str_has_prefix(a, "-c") && a[2] != '\0') {
            g_free(xv_ctl.uri);
            xv_ctl.uri = g_strdup(a + 2);
            xv_ctl.uri_explicit = TRUE;
        } else {
            fprintf(stderr, _("error: unsupported option '%s'. See --help.\n"), a);
            return 1;
        }
    }

    if (i >= argc) {
        if (!isatty(STDIN_FILENO)) {
            /* commands on stdin, as virsh < script */
            g_autoptr(GString) all = g_string_new(NULL);
            char buf[4096];

            while (fgets(buf, sizeof(buf), stdin) != NULL)
                g_string_append(all, buf);
            ok = run_command_string(all->str);
        } else {
            ok = run_shell() == 0;
        }
    } else if (argc - i == 1 && strpbrk(argv[i], " \t;") != NULL) {
        ok = run_command_string(argv[i]);
    } else {
        ok = run_command(argc - i, argv + i);
    }
    xv_conn_close();
    g_free(xv_ctl.uri);
    return ok ? 0 : 1;
}
