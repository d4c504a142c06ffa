/*
 * cli-harness.c: private bus + xenvirtd on a sim host + the real xvirsh.
 */
#include "cli-harness.h"
#include "tests/host-sim/test-fs.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

CliHarness cli;

/* Children die with the test process, even when an assertion aborts it. */
static void
die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static char *
read_line_from_fd(int fd, guint timeout_ms)
{
    GString *s = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (g_get_monotonic_time() < deadline) {
        char c;
        ssize_t n = read(fd, &c, 1);

        if (n == 1) {
            if (c == '\n')
                return g_string_free(s, FALSE);
            g_string_append_c(s, c);
        } else if (n == 0) {
            break;
        } else {
            g_usleep(10000);
        }
    }
    g_string_free(s, TRUE);
    return NULL;
}

static gboolean
wait_for_name(guint timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_autoptr(GDBusConnection) c = g_dbus_connection_new_for_address_sync(
        cli.bus_address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, NULL);

    if (c == NULL)
        return FALSE;
    while (g_get_monotonic_time() < deadline) {
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
            c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", g_variant_new("(s)", "org.libvirt"), G_VARIANT_TYPE("(b)"),
            G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
        gboolean has = FALSE;

        if (r != NULL)
            g_variant_get(r, "(b)", &has);
        if (has)
            return TRUE;
        if (!cli_harness_daemon_running())
            return FALSE;
        g_usleep(50000);
    }
    return FALSE;
}

gboolean
cli_harness_daemon_running(void)
{
    int status;

    return cli.daemon_pid > 0 && waitpid(cli.daemon_pid, &status, WNOHANG) == 0;
}

gboolean
cli_harness_start(char **why)
{
    const char *builddir = g_getenv("XV_BUILDDIR");
    g_autofree char *simdir = NULL, *rootdir = NULL, *log = NULL, *bus_arg = NULL;
    g_autoptr(GError) error = NULL;
    int out_fd = -1, log_fd;
    char **env;

    if (builddir == NULL) {
        *why = g_strdup("XV_BUILDDIR is not set (run through meson test)");
        return FALSE;
    }
    /* absolute: children run in the tmp dir */
    {
        g_autofree char *abs = g_canonicalize_filename(builddir, NULL);

        cli.xvirsh = g_build_filename(abs, "cli", "xvirsh", NULL);
        cli.xenvirtd = g_build_filename(abs, "daemon", "xenvirtd", NULL);
    }
    if (!g_file_test(cli.xvirsh, G_FILE_TEST_IS_EXECUTABLE)) {
        *why = g_strdup_printf("%s is not built", cli.xvirsh);
        return FALSE;
    }
    if (!g_file_test(cli.xenvirtd, G_FILE_TEST_IS_EXECUTABLE)) {
        *why = g_strdup_printf("%s is not built yet", cli.xenvirtd);
        return FALSE;
    }
    {
        g_autofree char *dbus = g_find_program_in_path("dbus-daemon");

        if (dbus == NULL) {
            *why = g_strdup("dbus-daemon is not installed");
            return FALSE;
        }
    }
    cli.tmpdir = g_dir_make_tmp("xv-cli-XXXXXX", &error);
    g_assert_no_error(error);
    bus_arg = g_strdup_printf("--address=unix:path=%s/bus", cli.tmpdir);
    {
        char *argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1", bus_arg,
                         NULL };

        g_spawn_async_with_pipes(NULL, argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                     G_SPAWN_STDERR_TO_DEV_NULL,
                                 die_with_parent, NULL, &cli.bus_pid, NULL, &out_fd, NULL, &error);
        g_assert_no_error(error);
    }
    cli.bus_address = read_line_from_fd(out_fd, 5000);
    close(out_fd);
    if (cli.bus_address == NULL) {
        *why = g_strdup("dbus-daemon did not print its address");
        return FALSE;
    }

    simdir = g_build_filename(cli.tmpdir, "sim", NULL);
    rootdir = g_build_filename(cli.tmpdir, "root", NULL);
    log = g_build_filename(cli.tmpdir, "xenvirtd.log", NULL);
    env = g_get_environ();
    env = g_environ_setenv(env, "DBUS_SESSION_BUS_ADDRESS", cli.bus_address, TRUE);
    env = g_environ_setenv(env, "XV_SIM_SPEED", "0", TRUE);
    env = g_environ_unsetenv(env, "G_DEBUG");
    log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    {
        g_autofree char *hv = g_strdup_printf("sim:%s", simdir);
        char *argv[] = { cli.xenvirtd, "--session", "--hypervisor", hv, "--root", rootdir,
                         "--no-autostart", NULL };

        g_spawn_async_with_fds(NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL,
                               &cli.daemon_pid, -1, log_fd, log_fd, &error);
        g_assert_no_error(error);
    }
    close(log_fd);
    g_strfreev(env);
    if (!wait_for_name(10000)) {
        g_autofree char *contents = NULL;

        g_file_get_contents(log, &contents, NULL, NULL);
        *why = g_strdup_printf("xenvirtd did not come up on the private bus: %s",
                               contents != NULL ? contents : "(no log)");
        return FALSE;
    }

    cli.env = g_get_environ();
    cli.env = g_environ_setenv(cli.env, "DBUS_SESSION_BUS_ADDRESS", cli.bus_address, TRUE);
    cli.env = g_environ_setenv(cli.env, "XENVIRT_DEFAULT_URI", "xen:///session", TRUE);
    cli.env = g_environ_setenv(cli.env, "LC_ALL", "C", TRUE);
    cli.env = g_environ_setenv(cli.env, "XDG_CACHE_HOME", cli.tmpdir, TRUE);
    /* xvirsh runs with G_DEBUG=fatal-warnings from the test environment:
     * a GLib critical in it fails the test */
    cli.started = TRUE;
    return TRUE;
}

void
cli_harness_stop(void)
{
    int status;

    if (cli.daemon_pid > 0) {
        kill(cli.daemon_pid, SIGTERM);
        waitpid(cli.daemon_pid, &status, 0);
        cli.daemon_pid = 0;
    }
    if (cli.bus_pid > 0) {
        kill(cli.bus_pid, SIGTERM);
        waitpid(cli.bus_pid, &status, 0);
        cli.bus_pid = 0;
    }
    if (cli.tmpdir != NULL && g_getenv("XV_TEST_KEEP") == NULL)
        xv_test_rm_rf(cli.tmpdir);
    cli.started = FALSE;
    g_clear_pointer(&cli.tmpdir, g_free);
    g_clear_pointer(&cli.bus_address, g_free);
    g_clear_pointer(&cli.xvirsh, g_free);
    g_clear_pointer(&cli.xenvirtd, g_free);
    g_clear_pointer(&cli.env, g_strfreev);
}

int
cli_run_env(char **env, const char *args, char **out, char **err)
{
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) words = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    char *o = NULL, *e = NULL;
    int status = 0;

    if (!g_shell_parse_argv(args, NULL, &words, &error))
        g_error("bad test arguments '%s': %s", args, error->message);
    g_ptr_array_add(argv, cli.xvirsh);
    for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add(argv, words[i]);
    g_ptr_array_add(argv, NULL);
    g_spawn_sync(cli.tmpdir, (char **)argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &o, &e,
                 &status, &error);
    g_assert_no_error(error);
    if (out != NULL)
        *out = o;
    else
        g_free(o);
    if (err != NULL)
        *err = e;
    else
        g_free(e);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
cli_run(const char *args, char **out, char **err)
{
    return cli_run_env(cli.env, args, out, err);
}

GVariant *
cli_dbus_call_reply(const char *iface, const char *method, GVariant *params, GError **error)
{
    g_autoptr(GDBusConnection) c = g_dbus_connection_new_for_address_sync(
        cli.bus_address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, error);

    if (c == NULL) {
        if (params != NULL)
            g_variant_unref(g_variant_ref_sink(params));
        return NULL;
    }
    return g_dbus_connection_call_sync(c, "org.libvirt", "/org/libvirt/Xen", iface, method, params,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
}

gboolean
cli_dbus_call(const char *iface, const char *method, GVariant *params)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = cli_dbus_call_reply(iface, method, params, &error);

    if (r == NULL)
        g_test_message("%s.%s: %s", iface, method, error->message);
    return r != NULL;
}

char *
cli_domain_xml(const char *name, const char *uuid, guint mem_mib, guint vcpus)
{
    g_autofree char *kernel = g_build_filename(cli.tmpdir, "vmlinuz", NULL);
    g_autofree char *xml = NULL;
    g_autofree char *file = g_strdup_printf("%s.xml", name);
    char *path = g_build_filename(cli.tmpdir, file, NULL);

    g_file_set_contents(kernel, "kernel", -1, NULL);
    xml = g_strdup_printf("<domain type='xen'>\n"
                          "  <name>%s</name>\n"
                          "  <uuid>%s</uuid>\n"
                          "  <title>%s guest</title>\n"
                          "  <memory unit='MiB'>%u</memory>\n"
                          "  <vcpu>%u</vcpu>\n"
                          "  <os>\n"
                          "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
                          "    <kernel>%s</kernel>\n"
                          "  </os>\n"
                          "</domain>\n",
                          name, uuid, name, mem_mib, vcpus, kernel);
    g_assert_true(g_file_set_contents(path, xml, -1, NULL));
    return path;
}

char *
cli_normalise(const char *text)
{
    static const struct {
        const char *re, *repl;
    } rules[] = {
        { "(CPU time:\\s+)[0-9.]+s", "\\1N.Ns" },
        { "(Time elapsed:\\s+)[0-9]+(\\s+)ms", "\\1N ms" },
        { "(cpu\\.time=|vcpu\\.[0-9]+\\.time=)[0-9]+", "\\1N" },
        { "(\"cpu_time_ns\": )[0-9]+", "\\1N" },
    };
    char *s = g_strdup(text);

    for (gsize i = 0; i < G_N_ELEMENTS(rules); i++) {
        g_autoptr(GRegex) re = g_regex_new(rules[i].re, G_REGEX_MULTILINE, 0, NULL);
        char *n = g_regex_replace(re, s, -1, 0, rules[i].repl, 0, NULL);

        g_free(s);
        s = n;
    }
    {
        /* the tmp dir differs per run */
        g_autoptr(GString) g = g_string_new(s);

        g_string_replace(g, cli.tmpdir, "TMP", 0);
        g_free(s);
        s = g_string_free(g_steal_pointer(&g), FALSE);
    }
    return s;
}

void
cli_assert_golden(const char *name, const char *actual)
{
    g_autofree char *path = g_build_filename(g_getenv("XV_SRCDIR"), "tests", "clidata", name, NULL);
    g_autofree char *norm = cli_normalise(actual);
    g_autofree char *expected = NULL;

    if (g_strcmp0(g_getenv("XV_TEST_REGENERATE"), "1") == 0) {
        g_assert_true(g_file_set_contents(path, norm, -1, NULL));
        return;
    }
    if (!g_file_get_contents(path, &expected, NULL, NULL))
        g_error("golden file %s is missing (XV_TEST_REGENERATE=1 creates it); output was:\n%s",
                path, norm);
    if (!g_str_equal(expected, norm))
        g_error("output differs from %s\n--- expected\n%s--- actual\n%s", path, expected, norm);
}

gboolean
cli_json_valid(const char *text, const char *check, char **why)
{
    g_autofree char *script = g_strdup_printf(
        "import json,sys\nd=json.load(sys.stdin)\nassert %s, repr(d)\n", check != NULL ? check : "True");
    g_autoptr(GSubprocess) p = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *err = NULL;

    p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                         "python3", "-c", script, NULL);
    if (p == NULL) {
        *why = g_strdup(error->message);
        return FALSE;
    }
    if (!g_subprocess_communicate_utf8(p, text, NULL, NULL, &err, &error)) {
        *why = g_strdup(error->message);
        return FALSE;
    }
    if (!g_subprocess_get_successful(p)) {
        *why = g_strdup_printf("%s\n(input: %s)", err, text);
        return FALSE;
    }
    return TRUE;
}
