/*
 * bench-cli.c: `xvirsh list --all` with 1,000 defined domains (bench/run cli).
 *
 * Starts a private dbus-daemon and the real xenvirtd on a simulated host
 * (tests/cli/cli-harness.c), defines 10 then 1,000 domains over D-Bus and
 * measures the real xvirsh binary: wall time (median of 7 runs, process
 * start included) and the D-Bus round trips it makes, counted by
 * dbus-monitor on the bus (method calls addressed to org.libvirt).  Beside
 * it, `virsh list --all` on 1,000 domains in libvirt's test driver.
 */
#include <gio/gio.h>
#include <math.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/cli/cli-harness.h"

#define RUNS 7

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Median wall time of a command line, in ms; NAN when it fails. */
static double
time_cmd(char **argv, char **env)
{
    double t[RUNS];

    for (int i = 0; i < RUNS; i++) {
        gint64 t0 = g_get_monotonic_time();
        int status = 0;

        if (!g_spawn_sync(NULL, argv, env, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_SEARCH_PATH,
                          NULL, NULL, NULL, NULL, &status, NULL) ||
            !g_spawn_check_wait_status(status, NULL))
            return NAN;
        t[i] = (double)(g_get_monotonic_time() - t0) / 1000.0;
    }
    qsort(t, RUNS, sizeof(double), cmp_double);
    return t[RUNS / 2];
}

static gboolean
define_domains(GDBusConnection *c, guint from, guint to)
{
    g_autofree char *kernel = g_build_filename(cli.tmpdir, "vmlinuz", NULL);

    g_file_set_contents(kernel, "kernel", -1, NULL);
    for (guint i = from; i < to; i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='xen'><name>bench%04u</name>"
            "<uuid>00000000-0000-4000-8000-%012u</uuid>"
            "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64' machine='xenpv'>linux</type><kernel>%s</kernel></os>"
            "</domain>", i, i + 1, kernel);
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = g_dbus_connection_call_sync(
            c, "org.libvirt", "/org/libvirt/Xen", "org.libvirt.Connect", "DomainDefineXML",
            g_variant_new("(s)", xml), NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

        if (r == NULL) {
            printf("# defining domain %u failed: %s\n", i, error->message);
            return FALSE;
        }
    }
    return TRUE;
}

/* Round trips of one `xvirsh list --all`, seen by dbus-monitor. */
static int
count_roundtrips(void)
{
    g_autofree char *match = g_strdup("type='method_call',destination='org.libvirt'");
    char *argv[] = { "dbus-monitor", "--address", cli.bus_address, "--profile", match, NULL };
    g_autoptr(GError) error = NULL;
    GPid pid;
    int out_fd, status;
    GString *s = g_string_new(NULL);
    char buf[4096];
    ssize_t n;
    int count = 0;
    g_autofree char *marker = NULL;

    if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                  NULL, NULL, &pid, NULL, &out_fd, NULL, &error)) {
        printf("# dbus-monitor: %s\n", error->message);
        return -1;
    }
    g_usleep(300 * 1000);
    /* a marker call, so we know the monitor is listening */
    cli_dbus_call("org.freedesktop.DBus.Peer", "Ping", NULL);
    g_usleep(200 * 1000);
    if (cli_run("list --all", NULL, NULL) != 0)
        count = -1;
    g_usleep(300 * 1000);
    kill(pid, SIGTERM);
    while ((n = read(out_fd, buf, sizeof(buf))) > 0)
        g_string_append_len(s, buf, n);
    close(out_fd);
    waitpid(pid, &status, 0);
    if (count < 0)
        return -1;
    marker = g_strdup("\tPing");
    if (strstr(s->str, "org.freedesktop.DBus.Peer") == NULL && strstr(s->str, marker) == NULL) {
        printf("# dbus-monitor did not see the marker call\n");
        g_string_free(s, TRUE);
        return -1;
    }
    {
        g_auto(GStrv) lines = g_strsplit(s->str, "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++) {
            if (g_str_has_prefix(lines[i], "mc\t") && strstr(lines[i], "\tPing") == NULL)
                count++;
        }
    }
    g_string_free(s, TRUE);
    return count;
}

static double
virsh_list_ms(guint n)
{
    g_autofree char *path = g_build_filename(cli.tmpdir != NULL ? cli.tmpdir : g_get_tmp_dir(),
                                             "xv-bench-virsh-1000.xml", NULL);
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    g_autofree char *virsh = g_find_program_in_path("virsh");
    GString *x = g_string_new("<node>\n");
    char *argv[] = { "virsh", "-c", uri, "list", "--all", NULL };

    if (virsh == NULL) {
        printf("# virsh (libvirt-clients) is not installed\n");
        return NAN;
    }
    for (guint i = 0; i < n; i++)
        g_string_append_printf(x, "<domain type='test'><name>bench%04u</name>"
                                  "<memory>65536</memory><vcpu>1</vcpu>"
                                  "<os><type>hvm</type></os></domain>\n", i);
    g_string_append(x, "</node>\n");
    g_file_set_contents(path, x->str, -1, NULL);
    g_string_free(x, TRUE);
    return time_cmd(argv, NULL);
}

int
main(int argc, char **argv)
{
    g_autofree char *why = NULL;
    g_autoptr(GDBusConnection) c = NULL;
    char *list_argv[] = { NULL, "list", "--all", NULL };
    int rt10 = -1, rt1000 = -1;
    double ms = NAN, vms;

    if (g_getenv("XV_BUILDDIR") == NULL)
        g_setenv("XV_BUILDDIR", XV_BENCH_BUILDDIR, TRUE);
    if (g_getenv("XV_SRCDIR") == NULL)
        g_setenv("XV_SRCDIR", XV_BENCH_SRCDIR, TRUE);
    if (!cli_harness_start(&why)) {
        printf("# cli bench: %s\nfigure cli_list_1000_ms nan ms\n", why);
        printf("# cli bench: %s\nfigure cli_list_1000_roundtrips nan calls\n", why);
        goto virsh;
    }
    c = g_dbus_connection_new_for_address_sync(
        cli.bus_address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, NULL);
    list_argv[0] = cli.xvirsh;
    if (c != NULL && define_domains(c, 0, 10))
        rt10 = count_roundtrips();
    if (c != NULL && define_domains(c, 10, 1000)) {
        rt1000 = count_roundtrips();
        ms = time_cmd(list_argv, cli.env);
    }
    if (rt10 >= 0)
        printf("figure cli_list_10_roundtrips %d calls\n", rt10);
    else
        printf("# round trips with 10 domains could not be counted\nfigure cli_list_10_roundtrips nan calls\n");
    if (isnan(ms))
        printf("# xvirsh list --all failed with 1,000 domains\n");
    printf("figure cli_list_1000_ms %.1f ms\n", ms);
    if (rt1000 >= 0)
        printf("figure cli_list_1000_roundtrips %d calls\n", rt1000);
    else
        printf("# round trips with 1,000 domains could not be counted\nfigure cli_list_1000_roundtrips nan calls\n");
virsh:
    vms = virsh_list_ms(1000);
    printf("figure virsh_list_1000_ms %.1f ms\n", vms);
    {
        g_autofree char *p = g_build_filename(cli.tmpdir != NULL ? cli.tmpdir : g_get_tmp_dir(),
                                              "xv-bench-virsh-1000.xml", NULL);

        g_unlink(p);
    }
    cli_harness_stop();
    return 0;
}
