/*
 * daemon-fixture.c: see daemon-fixture.h.
 */
#include "daemon-fixture.h"
#include "tests/host-sim/test-fs.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* In the child: die with the test process, so that a test that fails
 * half-way (g_error, an assertion) leaves no dbus-daemon or xenvirtd behind. */
static void
child_die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static void
on_signal(GDBusConnection *conn, const char *sender, const char *path, const char *iface,
          const char *member, GVariant *params, gpointer data)
{
    XvFixture *fx = data;

    g_ptr_array_add(fx->signals, g_variant_ref_sink(g_variant_new("(sos@*)", member, path, iface,
                                                                  params)));
}

static gboolean
wait_bus(XvFixture *fx)
{
    for (int i = 0; i < 200; i++) {
        fx->conn = g_dbus_connection_new_for_address_sync(
            fx->bus_addr,
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
            NULL, NULL, NULL);
        if (fx->conn != NULL)
            return TRUE;
        g_usleep(50000);
    }
    return FALSE;
}

gboolean
xv_fixture_start_daemon(XvFixture *fx, GError **error)
{
    const char *builddir = g_getenv("XV_BUILDDIR");
    g_autofree char *exe = g_build_filename(builddir, "daemon", "xenvirtd", NULL);
    g_autofree char *root = g_build_filename(fx->tmp, "root", NULL);
    g_autofree char *sim = g_strdup_printf("sim:%s/sim", fx->tmp);
    g_autofree char *log = g_build_filename(fx->tmp, "xenvirtd.log", NULL);
    g_autoptr(GStrvBuilder) ab = g_strv_builder_new();
    g_auto(GStrv) argv = NULL;
    g_auto(GStrv) envp = g_get_environ();
    int logfd;

    g_strv_builder_add_many(ab, exe, "--session", "--root", root, "--hypervisor", sim,
                            "--listen", fx->p2p_addr, "--no-autostart", NULL);
    if (fx->config != NULL)
        g_strv_builder_add_many(ab, "--config", fx->config, NULL);
    if (g_getenv("XV_TEST_VERBOSE") != NULL)
        g_strv_builder_add(ab, "--verbose");
    argv = g_strv_builder_end(ab);
    envp = g_environ_setenv(envp, "DBUS_SESSION_BUS_ADDRESS", fx->bus_addr, TRUE);
    if (g_environ_getenv(envp, "XV_SIM_SPEED") == NULL)
        envp = g_environ_setenv(envp, "XV_SIM_SPEED", "0", TRUE);
    envp = g_environ_unsetenv(envp, "G_DEBUG");   /* the daemon's warnings are not test failures */
    logfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (!g_spawn_async_with_fds(NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                child_die_with_parent, NULL, &fx->daemon_pid, -1, logfd, logfd,
                                error)) {
        close(logfd);
        return FALSE;
    }
    close(logfd);
    for (int i = 0; i < 400; i++) {
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
            fx->conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", g_variant_new("(s)", "org.libvirt"), G_VARIANT_TYPE("(b)"),
            G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
        gboolean has = FALSE;
        int status;

        if (r != NULL)
            g_variant_get(r, "(b)", &has);
        if (has)
            return TRUE;
        if (waitpid(fx->daemon_pid, &status, WNOHANG) == fx->daemon_pid) {
            g_autofree char *text = NULL;

            g_file_get_contents(log, &text, NULL, NULL);
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "xenvirtd exited at start: %s",
                        text != NULL ? text : "");
            fx->daemon_pid = 0;
            return FALSE;
        }
        g_usleep(25000);
    }
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "xenvirtd did not own org.libvirt");
    return FALSE;
}

int
xv_fixture_stop_daemon(XvFixture *fx, int sig)
{
    int status = 0;

    if (fx->daemon_pid == 0)
        return -1;
    kill(fx->daemon_pid, sig);
    for (int i = 0; i < 600; i++) {
        if (waitpid(fx->daemon_pid, &status, WNOHANG) == fx->daemon_pid) {
            fx->daemon_pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        g_usleep(50000);
    }
    kill(fx->daemon_pid, SIGKILL);
    waitpid(fx->daemon_pid, &status, 0);
    fx->daemon_pid = 0;
    return -1;
}

static gboolean
touch(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);

    return g_file_set_contents(p, "xenvirt test image\n", -1, NULL);
}

gboolean
xv_fixture_setup(XvFixture *fx, const char *config, char **skip_reason)
{
    g_autofree char *dbus = g_find_program_in_path("dbus-daemon");
    g_autofree char *exe = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *bus_path = NULL;
    const char *names[] = { "vmlinuz", "initrd.img", "web1.img", "zephyr.elf", "pvh1.img",
                            "db1.img" };
    char *argv[6];

    memset(fx, 0, sizeof(*fx));
    if (g_getenv("XV_BUILDDIR") == NULL) {
        *skip_reason = g_strdup("XV_BUILDDIR is not set (run through meson test)");
        return FALSE;
    }
    exe = g_build_filename(g_getenv("XV_BUILDDIR"), "daemon", "xenvirtd", NULL);
    if (dbus == NULL) {
        *skip_reason = g_strdup("dbus-daemon is not installed (Debian package dbus)");
        return FALSE;
    }
    if (!g_file_test(exe, G_FILE_TEST_IS_EXECUTABLE)) {
        *skip_reason = g_strdup_printf("%s is not built", exe);
        return FALSE;
    }
    fx->tmp = g_dir_make_tmp("xv-daemon-XXXXXX", NULL);
    g_assert_nonnull(fx->tmp);
    g_chmod(fx->tmp, 0755);   /* the access test's unprivileged client reaches the socket */
    fx->images = g_build_filename(fx->tmp, "images", NULL);
    g_mkdir(fx->images, 0755);
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
        g_assert_true(touch(fx->images, names[i]));
    bus_path = g_build_filename(fx->tmp, "bus", NULL);
    fx->bus_addr = g_strdup_printf("unix:path=%s", bus_path);
    fx->p2p_addr = g_strdup_printf("unix:path=%s/p2p", fx->tmp);
    if (config != NULL) {
        fx->config = g_build_filename(fx->tmp, "xenvirtd.conf", NULL);
        g_assert_true(g_file_set_contents(fx->config, config, -1, NULL));
    }
    fx->signals = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);

    argv[0] = dbus;
    argv[1] = (char *)"--session";
    argv[2] = (char *)"--nofork";
    argv[3] = g_strdup_printf("--address=%s", fx->bus_addr);
    argv[4] = (char *)"--nopidfile";
    argv[5] = NULL;
    g_assert_true(g_spawn_async(NULL, argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                    G_SPAWN_STDERR_TO_DEV_NULL,
                                child_die_with_parent, NULL, &fx->bus_pid, &error));
    g_free(argv[3]);
    g_assert_true(wait_bus(fx));
    fx->sub_id = g_dbus_connection_signal_subscribe(fx->conn, "org.libvirt", NULL, NULL, NULL,
                                                    NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_signal,
                                                    fx, NULL);
    if (!xv_fixture_start_daemon(fx, &error))
        g_error("cannot start xenvirtd: %s", error->message);
    return TRUE;
}

void
xv_fixture_teardown(XvFixture *fx)
{
    int status;

    if (fx->daemon_pid != 0) {
        /* A clean stop exits 0; anything else (a crash, a sanitizer's
         * report in an ASan build: leaks make it abort) fails the test. */
        int rc = xv_fixture_stop_daemon(fx, SIGTERM);

        if (rc != 0) {
            g_autofree char *log = g_build_filename(fx->tmp, "xenvirtd.log", NULL);
            g_autofree char *text = NULL;

            g_file_get_contents(log, &text, NULL, NULL);
            g_error("xenvirtd did not stop cleanly on SIGTERM (exit status %d); its log:\n%s", rc,
                    text != NULL ? text : "(none)");
        }
    }
    if (fx->conn != NULL) {
        g_dbus_connection_signal_unsubscribe(fx->conn, fx->sub_id);
        g_dbus_connection_close_sync(fx->conn, NULL, NULL);
        g_clear_object(&fx->conn);
    }
    if (fx->bus_pid != 0) {
        kill(fx->bus_pid, SIGTERM);
        waitpid(fx->bus_pid, &status, 0);
    }
    if (fx->tmp != NULL && g_getenv("XV_TEST_KEEP") == NULL)
        xv_test_rm_rf(fx->tmp);
    g_clear_pointer(&fx->signals, g_ptr_array_unref);
    g_free(fx->tmp);
    g_free(fx->bus_addr);
    g_free(fx->p2p_addr);
    g_free(fx->images);
    g_free(fx->config);
    /* Let GDBus's worker drop what it held for the closed connection. */
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

char *
xv_fixture_domain_xml(XvFixture *fx, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s/data/domains/%s.xml", g_getenv("XV_SRCDIR"), name);
    g_autofree char *xml = NULL;
    g_auto(GStrv) parts = NULL;
    g_autofree char *dir = g_strconcat(fx->images, "/", NULL);

    g_assert_true(g_file_get_contents(file, &xml, NULL, NULL));
    parts = g_strsplit(xml, "/var/lib/xen/images/", -1);
    return g_strjoinv(dir, parts);
}

char *
xv_fixture_clone_xml(XvFixture *fx, const char *name, guint n)
{
    g_autofree char *xml = xv_fixture_domain_xml(fx, "web1");
    g_autofree char *name_el = g_strdup_printf("<name>%s</name>", name);
    g_autofree char *uuid_el = g_strdup_printf("<uuid>4f2a7c1e-5d3b-4a8e-9c6f-%012u</uuid>", n);
    g_auto(GStrv) a = g_strsplit(xml, "<name>web1</name>", 2);
    g_autofree char *x1 = g_strjoinv(name_el, a);
    g_auto(GStrv) b = g_strsplit(x1, "<uuid>4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61</uuid>", 2);
    g_autofree char *x2 = g_strjoinv(uuid_el, b);
    g_auto(GStrv) c = g_strsplit(x2, "<mac address=", -1);
    GString *s = g_string_new(c[0]);

    for (guint k = 1; c[k] != NULL; k++) {
        const char *end = strstr(c[k], "/>");

        g_string_append(s, end != NULL ? end + 2 : c[k]);
    }
    return g_string_free(s, FALSE);
}

char *
xv_fixture_clone_path(guint n)
{
    return g_strdup_printf("/org/libvirt/Xen/domain/_4f2a7c1e_5d3b_4a8e_9c6f_%012u", n);
}

char *
xv_fixture_daemon_log(XvFixture *fx)
{
    g_autofree char *log = g_build_filename(fx->tmp, "xenvirtd.log", NULL);
    char *text = NULL;

    if (!g_file_get_contents(log, &text, NULL, NULL))
        return g_strdup("");
    return text;
}

GVariant *
xv_fixture_call(XvFixture *fx, const char *path, const char *iface, const char *method,
                GVariant *args, GError **error)
{
    return g_dbus_connection_call_sync(fx->conn, "org.libvirt", path, iface, method, args, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 120000, NULL, error);
}
