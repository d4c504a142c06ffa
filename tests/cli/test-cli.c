/*
 * test-cli.c: xvirsh against the real xenvirtd on a simulated host.
 *
 * The tests run in registration order on one daemon: each step leaves the
 * host in the state the next expects (a domain defined, started, saved...).
 * Text output is compared with golden files in tests/clidata; layouts are
 * compared with what virsh prints for the same data in libvirt's test
 * driver; --json output is parsed by python3's json module.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-harness.h"

#define WEB1_UUID "4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61"
#define DB1_UUID "9c0d2e4b-7a1f-4c3e-8b5d-2e6f7a8b9c02"

/* Run, check the exit code, return stdout; stderr must be empty on success. */
static char *
run_ok(const char *args)
{
    char *out = NULL;
    g_autofree char *err = NULL;
    int rc = cli_run(args, &out, &err);

    if (rc != 0 || (err != NULL && *err != '\0'))
        g_error("xvirsh %s: exit %d\nstdout: %s\nstderr: %s", args, rc, out, err);
    return out;
}

static char *
run_fail(const char *args, char **out)
{
    char *err = NULL;
    int rc = cli_run(args, out, &err);

    if (rc != 1)
        g_error("xvirsh %s: expected exit 1, got %d (stderr: %s)", args, rc, err);
    return err;
}

static void
golden_cmd(const char *golden, const char *args)
{
    g_autofree char *out = run_ok(args);

    cli_assert_golden(golden, out);
}

static void
json_cmd(const char *args, const char *check)
{
    g_autofree char *out = run_ok(args);
    g_autofree char *why = NULL;

    if (!cli_json_valid(out, check, &why))
        g_error("xvirsh %s: JSON check '%s' failed: %s", args, check, why);
}

/* ---- offline ------------------------------------------------------------- */

static char **
offline_env(void)
{
    char **env = g_get_environ();

    env = g_environ_setenv(env, "XENVIRT_DEFAULT_URI", "xen+unix:///system?socket=/nonexistent/xv",
                           TRUE);
    env = g_environ_setenv(env, "LC_ALL", "C", TRUE);
    env = g_environ_unsetenv(env, "G_DEBUG");
    return env;
}

static void
test_offline_conversions(void)
{
    g_auto(GStrv) env = offline_env();
    g_autofree char *xml = g_build_filename(g_getenv("XV_SRCDIR"), "data", "domains", "web1.xml", NULL);
    g_autofree char *args = g_strdup_printf("-q domxml-to-native xen-xl %s", xml);
    g_autofree char *json_args = g_strdup_printf("-q domxml-to-native libxl-json %s", xml);
    g_autofree char *out = NULL, *err = NULL, *cfg = NULL, *back = NULL, *why = NULL;
    g_autofree char *cfgpath = NULL, *args2 = NULL;

    /* no daemon reachable, no -c: the built-in converter answers */
    g_assert_cmpint(cli_run_env(env, args, &cfg, &err), ==, 0);
    g_assert_cmpstr(err, ==, "");
    g_assert_nonnull(strstr(cfg, "name = \"web1\""));
    cfgpath = g_build_filename(g_get_tmp_dir(), "xv-cli-web1.cfg", NULL);
    g_assert_true(g_file_set_contents(cfgpath, cfg, -1, NULL));
    args2 = g_strdup_printf("-q domxml-from-native xen-xl %s", cfgpath);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(cli_run_env(env, args2, &back, &err), ==, 0);
    g_assert_nonnull(strstr(back, "<name>web1</name>"));
    g_assert_nonnull(strstr(back, "<uuid>" WEB1_UUID "</uuid>"));
    g_unlink(cfgpath);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(cli_run_env(env, json_args, &out, &err), ==, 0);
    if (!cli_json_valid(out, "d['c_info']['name']=='web1'", &why))
        g_error("libxl-json: %s", why);
}

static void
test_offline_explicit_uri_fails(void)
{
    g_auto(GStrv) env = offline_env();
    g_autofree char *xml = g_build_filename(g_getenv("XV_SRCDIR"), "data", "domains", "web1.xml", NULL);
    g_autofree char *args = g_strdup_printf(
        "-c xen+unix:///system?socket=/nonexistent/xv domxml-to-native xen-xl %s", xml);
    g_autofree char *out = NULL, *err = NULL;

    /* -c given: the daemon was asked for, its absence is an error */
    g_assert_cmpint(cli_run_env(env, args, &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, "error: failed to connect to the hypervisor at "
                                 "'xen+unix:///system?socket=/nonexistent/xv'"));
    g_assert_nonnull(strstr(err, "socket '/nonexistent/xv'"));
    g_assert_nonnull(strstr(err, "xenvirtd --listen unix:path=/nonexistent/xv"));
}

static void
test_usage_errors(void)
{
    g_auto(GStrv) env = offline_env();
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(cli_run_env(env, "nosuchcommand", &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, "error: unknown command: 'nosuchcommand'\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(cli_run_env(env, "dominfo", &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, "error: command 'dominfo' requires <domain> option\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(cli_run_env(env, "list --bogus", &out, &err), ==, 1);
    g_assert_cmpstr(err, ==, "error: command 'list' doesn't support option --bogus\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(cli_run_env(env, "-q help domstate", &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "domstate <domain> [--reason] [--json]"));
}

/* ---- connection ----------------------------------------------------------- */

static void
test_connect_no_owner(void)
{
    g_autofree char *out = NULL, *err = NULL;

    CLI_NEED_DAEMON();
    g_assert_cmpint(cli_run("-c xen:///session?name=org.xenvirt.Nobody list", &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, "error: failed to connect to the hypervisor at "
                                 "'xen:///session?name=org.xenvirt.Nobody': no xenvirtd owns the name "
                                 "'org.xenvirt.Nobody' on the session bus"));
    g_assert_nonnull(strstr(err, "xenvirtd --session"));
}

static void
test_uri(void)
{
    CLI_NEED_DAEMON();
    golden_cmd("uri.out", "uri");
    json_cmd("uri --json", "d['uri']=='xen:///session'");
}

static void
test_native_daemon_matches_offline(void)
{
    g_autofree char *xml = g_build_filename(g_getenv("XV_SRCDIR"), "data", "domains", "db1.xml", NULL);
    const char *formats[] = { "xen-xl", "libxl-json" };

    CLI_NEED_DAEMON();
    for (gsize i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_autofree char *a1 = g_strdup_printf("-q -c xen:///session domxml-to-native %s %s", formats[i], xml);
        g_autofree char *a2 = g_strdup_printf("-q domxml-to-native %s %s --offline", formats[i], xml);
        g_autofree char *via_daemon = run_ok(a1);
        g_autofree char *offline = run_ok(a2);

        g_assert_cmpstr(via_daemon, ==, offline);
        if (i == 0) {
            g_autofree char *cfg = g_build_filename(cli.tmpdir, "db1.cfg", NULL);
            g_autofree char *b1 = g_strdup_printf("-q -c xen:///session domxml-from-native xen-xl %s", cfg);
            g_autofree char *b2 = g_strdup_printf("-q domxml-from-native xen-xl %s --offline", cfg);
            g_autofree char *x1 = NULL, *x2 = NULL;

            g_assert_true(g_file_set_contents(cfg, via_daemon, -1, NULL));
            x1 = run_ok(b1);
            x2 = run_ok(b2);
            g_assert_cmpstr(x1, ==, x2);
            g_assert_nonnull(strstr(x1, "<name>db1</name>"));
        }
    }
}

/* ---- domains ---------------------------------------------------------------- */

static void
test_list_empty(void)
{
    CLI_NEED_DAEMON();
    golden_cmd("list-empty.out", "list --all");
    json_cmd("list --all --json", "len(d)==1 and d[0]['name']=='Domain-0' and d[0]['id']==0");
}

static void
test_define(void)
{
    g_autofree char *web1 = NULL, *db1 = NULL, *out = NULL;
    g_autofree char *args = NULL;

    CLI_NEED_DAEMON();
    web1 = cli_domain_xml("web1", WEB1_UUID, 2048, 2);
    db1 = cli_domain_xml("db1", DB1_UUID, 512, 1);
    args = g_strdup_printf("define %s", web1);
    golden_cmd("define.out", args);
    g_free(args);
    args = g_strdup_printf("define %s", db1);
    out = run_ok(args);
    golden_cmd("list-defined.out", "list --all");
    golden_cmd("list-inactive-name.out", "list --inactive --name");
    golden_cmd("list-uuid.out", "list --all --uuid");
    golden_cmd("list-title.out", "list --all --title");
    golden_cmd("dominfo-shutoff.out", "dominfo web1");
    golden_cmd("domstate-shutoff.out", "domstate web1 --reason");
    golden_cmd("domid-shutoff.out", "domid web1");
    /* inactive: nothing runs, so no physical cpu, state or time (N/A, as virsh) */
    golden_cmd("vcpuinfo-shutoff.out", "vcpuinfo web1");
    json_cmd("vcpuinfo web1 --json",
             "len(d)==2 and d[0]['cpu'] is None and d[0]['state']=='' and d[1]['affinity']=='yyyyyyyy'");
}

static void
test_start(void)
{
    CLI_NEED_DAEMON();
    golden_cmd("start.out", "start web1");
    golden_cmd("list-running.out", "list");
    golden_cmd("list-all.out", "list --all");
    golden_cmd("list-state-running.out", "list --state-running --name");
    golden_cmd("dominfo-running.out", "dominfo web1");
    golden_cmd("dominfo-by-uuid.out", "dominfo " WEB1_UUID);
    golden_cmd("domstate-running.out", "domstate web1");
    golden_cmd("domstate-reason.out", "domstate web1 --reason");
    golden_cmd("domid.out", "domid web1");
    golden_cmd("domname.out", "domname 1");
    golden_cmd("domuuid.out", "domuuid web1");
    golden_cmd("vcpuinfo.out", "vcpuinfo web1");
    golden_cmd("vcpupin.out", "vcpupin web1");
    golden_cmd("vcpucount.out", "vcpucount web1");
    golden_cmd("schedinfo.out", "schedinfo web1");
    golden_cmd("domjobinfo-none.out", "domjobinfo web1");
    golden_cmd("domstats.out", "domstats web1 --state --balloon");
    golden_cmd("nodeinfo.out", "nodeinfo");
    golden_cmd("freecell.out", "freecell");
}

static void
test_json(void)
{
    CLI_NEED_DAEMON();
    json_cmd("list --all --json",
             "[x['name'] for x in d]==['Domain-0','web1','db1'] and d[1]['state']=='running'"
             " and d[1]['id']==1 and d[2]['id'] is None and d[2]['state']=='shut-off'");
    json_cmd("dominfo web1 --json",
             "d['name']=='web1' and d['uuid']=='" WEB1_UUID "' and d['state']=='running'"
             " and d['cpus']==2 and d['max_memory_kib']==2097152 and d['persistent'] is True");
    json_cmd("domstate web1 --json", "d['state']=='running' and d['reason']=='booted'");
    json_cmd("domid web1 --json", "d['id']==1");
    json_cmd("domname 1 --json", "d['name']=='web1'");
    json_cmd("domuuid web1 --json", "d['uuid']=='" WEB1_UUID "'");
    /* the sim places vcpu N on the Nth cpu of its affinity: 0 and 1 */
    json_cmd("vcpuinfo web1 --json", "len(d)==2 and d[0]['state']=='running' and d[1]['vcpu']==1"
             " and d[0]['cpu']==0 and d[1]['cpu']==1 and d[0]['cpu_time_ns']>0");
    json_cmd("vcpupin web1 --json", "len(d)==2 and d[0]['affinity']=='0-7'");
    json_cmd("vcpucount web1 --json", "d['maximum_config']==2 and d['current_live']==2");
    json_cmd("dommemstat web1 --json", "d['actual']==2097152");
    json_cmd("schedinfo web1 --json", "d['scheduler']=='credit' and 'weight' in d['parameters']");
    json_cmd("domstats web1 --json", "d[0]['name']=='web1' and d[0]['stats']['state.state']==1");
    json_cmd("domjobinfo web1 --json", "d['type']=='none'");
    /* the sim's physinfo: cpu_khz 2400000, 8 cpus, 64 GiB */
    json_cmd("nodeinfo --json", "d['cpus']==8 and d['numa_cells']==1 and d['memory_kib']==67108864"
             " and d['cpu_mhz']==2400 and d['cpu_model']=='x86_64' and d['sockets']==1"
             " and d['cores_per_socket']==8 and d['threads_per_core']==1");
    json_cmd("freecell --json", "d['total_free_kib']>0");
    json_cmd("freecell --all --json", "d['total_free_kib']==sum(d['cells_free_kib'].values())");
    json_cmd("version --json", "d['client']=='" PACKAGE_VERSION "' and d['daemon']!=''");
    json_cmd("hostname --json", "len(d['hostname'])>0");
}

static void
test_errors(void)
{
    g_autofree char *err = NULL;
    g_autofree char *out = NULL;

    CLI_NEED_DAEMON();
    err = run_fail("dominfo nosuch", &out);
    g_assert_cmpstr(err, ==, "error: failed to get domain 'nosuch'\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    err = run_fail("start web1", &out);
    g_assert_cmpstr(err, ==, "error: Domain 'web1' is already active\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* the daemon's reason on the second line, remote D-Bus prefix stripped */
    err = run_fail("-r suspend web1", &out);
    g_assert_cmpstr(err, ==, "error: operation forbidden: read only access prevents 'suspend'\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    g_free(run_ok("-r -q dominfo web1"));
    err = run_fail("resume web1", &out);
    g_assert_true(g_str_has_prefix(err, "error: Failed to resume domain 'web1'\nerror: "));
    g_assert_null(strstr(err, "GDBus.Error"));
    g_assert_null(strstr(err, "org.libvirt.Error"));
    g_assert_nonnull(strstr(err, "web1"));
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* the hypervisor cannot tell the node's info: an error, not a made-up
     * table of zeros (nor a silent fall-back to the capabilities) */
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimArmFault", g_variant_new("(s)", "physinfo")));
    err = run_fail("nodeinfo", &out);
    g_assert_null(strstr(out, "CPU"));    /* no table (virsh's blank line only) */
    g_assert_true(g_str_has_prefix(err, "error: cannot read the host's node information: "));
    g_assert_nonnull(strstr(err, "physinfo"));
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimClearFaults", NULL));
    g_free(run_ok("-q nodeinfo"));
}

static void
test_lifecycle_messages(void)
{
    g_autofree char *save = NULL, *args = NULL;

    CLI_NEED_DAEMON();
    golden_cmd("suspend.out", "suspend web1");
    golden_cmd("list-paused.out", "list --state-paused");
    golden_cmd("resume.out", "resume web1");
    golden_cmd("vcpupin-set.out", "vcpupin web1 0 1-3");
    golden_cmd("vcpupin-after.out", "vcpupin web1");
    /* vcpu 0 now runs on the first cpu of its new affinity (1-3) */
    golden_cmd("vcpuinfo-pinned.out", "vcpuinfo web1");
    golden_cmd("setmem.out", "setmem web1 1G");
    golden_cmd("autostart.out", "autostart db1");
    golden_cmd("autostart-disable.out", "autostart db1 --disable");
    save = g_build_filename(cli.tmpdir, "web1.save", NULL);
    args = g_strdup_printf("save web1 %s", save);
    golden_cmd("save.out", args);
    golden_cmd("domjobinfo-completed.out", "domjobinfo web1 --completed");
    golden_cmd("list-after-save.out", "list --all");
    g_free(args);
    args = g_strdup_printf("save-image-dumpxml %s", save);
    {
        g_autofree char *xml = run_ok(args);

        g_assert_nonnull(strstr(xml, "<name>web1</name>"));
    }
    g_free(args);
    args = g_strdup_printf("restore %s", save);
    golden_cmd("restore.out", args);
    golden_cmd("domstate-restored.out", "domstate web1 --reason");
    golden_cmd("managedsave.out", "managedsave web1");
    golden_cmd("list-managed-save.out", "list --all --managed-save");
    golden_cmd("dominfo-managed-save.out", "dominfo web1");
    golden_cmd("start-from-managed-save.out", "start web1");
    golden_cmd("managedsave-remove-none.out", "managedsave-remove web1");
    g_free(args);
    args = g_strdup_printf("dump web1 %s/web1.core", cli.tmpdir);
    golden_cmd("dump.out", args);
    golden_cmd("destroy.out", "destroy web1");
    golden_cmd("undefine.out", "undefine db1");
    golden_cmd("list-final.out", "list --all");
}

static void
test_verbose_progress(void)
{
    g_autofree char *save = NULL, *args = NULL, *out = NULL, *err = NULL;

    CLI_NEED_DAEMON();
    golden_cmd("start-again.out", "start web1");
    /* slow the sim so a 2 GiB save takes about a second */
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.5)));
    save = g_build_filename(cli.tmpdir, "web1-verbose.save", NULL);
    args = g_strdup_printf("save web1 %s --verbose", save);
    g_assert_cmpint(cli_run(args, &out, &err), ==, 0);
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0)));
    /* not a terminal: virsh-style lines, ending at 100 % */
    g_assert_true(g_str_has_prefix(err, "Save: ["));
    g_assert_true(g_str_has_suffix(err, "Save: [100 %]\n"));
    {
        g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
        g_autoptr(GRegex) re = g_regex_new("^Save: \\[[ 0-9]{3} %\\]$", 0, 0, NULL);
        guint n = 0;

        for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++, n++)
            g_assert_true(g_regex_match(re, lines[i], 0, NULL));
        g_assert_cmpuint(n, >=, 2);
    }
    g_free(args);
    args = g_strdup_printf("restore %s", save);
    g_free(run_ok(args));
}

static void
test_edit(void)
{
    g_auto(GStrv) env = g_strdupv(cli.env);
    g_autofree char *out = NULL, *err = NULL, *xml = NULL;

    CLI_NEED_DAEMON();
    env = g_environ_setenv(env, "EDITOR", "sed -i s/guest/edited/", TRUE);
    env = g_environ_unsetenv(env, "VISUAL");
    g_assert_cmpint(cli_run_env(env, "edit web1", &out, &err), ==, 0);
    g_assert_cmpstr(out, ==, "Domain 'web1' XML configuration edited.\n\n");
    xml = run_ok("dumpxml web1 --inactive");
    g_assert_nonnull(strstr(xml, "<title>web1 edited</title>"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    env = g_environ_setenv(env, "EDITOR", "true", TRUE);
    g_assert_cmpint(cli_run_env(env, "edit web1", &out, &err), ==, 0);
    g_assert_cmpstr(out, ==, "Domain 'web1' XML configuration not changed.\n\n");
    /* an invalid result, no terminal to ask on: error, definition kept */
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    env = g_environ_setenv(env, "EDITOR", "sed -i s/domain/dommain/g", TRUE);
    g_assert_cmpint(cli_run_env(env, "edit web1", &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, "error: Domain 'web1' XML configuration not changed: "));
    g_free(run_ok("domuuid web1"));
}

static void
test_event(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GRegex) re = g_regex_new(
        "^event 'lifecycle' for domain 'web1': (Suspended Paused|Resumed Unpaused)\n"
        "events received: 1\n\n$", 0, 0, NULL);
    char *argv[] = { cli.xvirsh, "event", "--domain", "web1", "--event", "lifecycle",
                     "--timeout", "30", NULL };
    GString *out = g_string_new(NULL);
    GPid pid;
    int out_fd, status = -1;
    char buf[1024];
    ssize_t n;

    CLI_NEED_DAEMON();
    g_spawn_async_with_pipes(NULL, argv, cli.env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                             NULL, &out_fd, NULL, &error);
    g_assert_no_error(error);
    /* the listener subscribes asynchronously: cause events until it has one
     * (it exits after the first, without --loop) */
    for (int i = 0; i < 100; i++) {
        g_free(run_ok("-q suspend web1"));
        g_free(run_ok("-q resume web1"));
        g_usleep(100 * 1000);
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
    }
    if (status == -1) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        g_error("xvirsh event saw no event");
    }
    while ((n = read(out_fd, buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, n);
    close(out_fd);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!g_regex_match(re, out->str, 0, NULL))
        g_error("unexpected event output: '%s'", out->str);
    g_string_free(out, TRUE);
}

/* ---- layouts against virsh ---------------------------------------------- */

/* The column where the value starts on a "Label: value" line. */
static void
assert_same_labels(const char *what, const char *virsh, const char *ours, gboolean allow_extra_virsh)
{
    g_auto(GStrv) a = g_strsplit(virsh, "\n", -1);
    g_auto(GStrv) b = g_strsplit(ours, "\n", -1);
    guint j = 0;

    for (guint i = 0; a[i] != NULL; i++) {
        const char *colon = strchr(a[i], ':');
        gsize label_len, value_col;

        if (a[i][0] == '\0' || colon == NULL)
            continue;
        label_len = (gsize)(colon - a[i]) + 1;
        value_col = label_len + strspn(colon + 1, " ");
        while (b[j] != NULL && b[j][0] == '\0')
            j++;
        if (b[j] == NULL || strncmp(b[j], a[i], label_len) != 0) {
            if (allow_extra_virsh && g_str_has_prefix(a[i], "Security"))
                continue;    /* Xen has no security driver: virsh omits these too */
            g_error("%s: line '%s' of virsh has no counterpart at line %u of xvirsh:\n%s", what,
                    a[i], j, ours);
        }
        if (strlen(a[i]) > value_col)
            g_assert_cmpuint(label_len + strspn(b[j] + label_len, " "), ==, value_col);
        j++;
    }
}

static char *
virsh_run_full(const char *uri, const char *args, gboolean quiet)
{
    g_autofree char *cmd = g_strdup_printf("virsh %s-c %s %s", quiet ? "-q " : "", uri, args);
    g_autoptr(GError) error = NULL;
    char *out = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, &error));
    g_assert_no_error(error);
    return out;
}

static char *
virsh_run(const char *uri, const char *args)
{
    return virsh_run_full(uri, args, TRUE);
}

static void
test_layout_virsh(void)
{
    g_autofree char *node = NULL, *uri = NULL, *virsh_path = g_find_program_in_path("virsh");
    g_autofree char *start = NULL;

    CLI_NEED_DAEMON();
    if (virsh_path == NULL) {
        g_test_skip("virsh (libvirt-clients) is not installed: no layout comparison");
        return;
    }
    /* libvirt's test driver with the same domains as the sim host now:
     * Domain-0 and web1 running, a shut off db2. */
    node = g_build_filename(cli.tmpdir, "virsh-node.xml", NULL);
    g_assert_true(g_file_set_contents(node,
        "<node>\n"
        "  <cpu><mhz>2400</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
        "<cores>8</cores><threads>1</threads></cpu>\n"
        "  <memory>67108864</memory>\n"
        "  <domain type='test'><name>Domain-0</name><memory>4194304</memory><vcpu>8</vcpu>"
        "<os><type>hvm</type></os></domain>\n"
        "  <domain type='test'><name>web1</name><memory>2097152</memory><vcpu>2</vcpu>"
        "<os><type>hvm</type></os></domain>\n"
        "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
        "<name>db2</name><memory>524288</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
        "<test:runstate>5</test:runstate></domain>\n"
        "</node>\n", -1, NULL));
    uri = g_strdup_printf("test://%s", node);
    {
        g_autofree char *db2 = cli_domain_xml("db2", "0c0d2e4b-7a1f-4c3e-8b5d-2e6f7a8b9c03", 512, 1);
        g_autofree char *args = g_strdup_printf("define %s", db2);

        g_free(run_ok(args));
    }
    /* ids differ (the test driver numbers from 1, Xen's Domain-0 is 0) but
     * have the same width: compare with the ids masked */
    {
        g_autofree char *v = virsh_run(uri, "list --all");
        g_autofree char *o = NULL;
        g_autoptr(GRegex) re = g_regex_new("^ [0-9] ", G_REGEX_MULTILINE, 0, NULL);
        g_autofree char *vm = NULL, *om = NULL;

        o = run_ok("-q list --all");
        vm = g_regex_replace_literal(re, v, -1, 0, " # ", 0, NULL);
        om = g_regex_replace_literal(re, o, -1, 0, " # ", 0, NULL);
        g_assert_cmpstr(om, ==, vm);
    }
    {
        g_autofree char *v = virsh_run(uri, "list --all --name");
        g_autofree char *o = run_ok("-q list --all --name");

        g_assert_cmpstr(o, ==, v);
    }
    {
        /* the same host (the sim's physinfo: 2400 MHz, 8 cores, 64 GiB):
         * identical, frequency included */
        g_autofree char *v = virsh_run(uri, "nodeinfo");
        g_autofree char *o = run_ok("-q nodeinfo");

        assert_same_labels("nodeinfo", v, o, FALSE);
        g_assert_cmpstr(o, ==, v);
    }
    {
        g_autofree char *v = virsh_run(uri, "dominfo web1");
        g_autofree char *o = run_ok("-q dominfo web1");

        assert_same_labels("dominfo", v, o, TRUE);
    }
    {
        g_autofree char *v = virsh_run(uri, "vcpuinfo web1");
        g_autofree char *o = run_ok("-q vcpuinfo web1");

        assert_same_labels("vcpuinfo", v, o, FALSE);
    }
    {
        /* a shut off domain: same lines, N/A where nothing runs */
        g_autofree char *v = virsh_run(uri, "vcpuinfo db2");
        g_autofree char *o = run_ok("-q vcpuinfo db2");

        g_assert_cmpstr(o, ==, v);
    }
    {
        /* same host cpus (8), same affinity: identical */
        g_autofree char *v = virsh_run(uri, "vcpupin web1");
        g_autofree char *o = run_ok("-q vcpupin web1");

        g_assert_cmpstr(o, ==, v);
    }
    {
        g_autofree char *v = virsh_run(uri, "domstate web1 --reason");
        g_autofree char *o = run_ok("-q domstate web1");

        g_assert_cmpstr(o, ==, "running\n");
        g_assert_true(g_str_has_prefix(v, "running ("));
    }
    {
        g_autofree char *v = virsh_run(uri, "vcpucount web1");
        g_autofree char *o = run_ok("-q vcpucount web1");

        g_assert_cmpstr(o, ==, v);
    }
    {
        /* messages: same text with the same domain */
        g_autofree char *v = virsh_run_full(uri, "suspend web1", FALSE);
        g_autofree char *o = run_ok("suspend web1");

        g_assert_cmpstr(o, ==, v);
        g_free(v);
        g_free(o);
        v = virsh_run_full(uri, "'suspend web1; resume web1'", FALSE);
        o = run_ok("resume web1");
        g_assert_true(g_str_has_suffix(v, o));
        g_free(v);
        g_free(o);
        /* -q silences success messages in both */
        v = virsh_run(uri, "suspend web1");
        o = run_ok("-q suspend web1");
        g_assert_cmpstr(o, ==, v);
        g_assert_cmpstr(o, ==, "");
        g_free(run_ok("-q resume web1"));
    }
    g_free(run_ok("undefine db2"));
}

/* ---- devices and metadata ------------------------------------------------ */

static void
test_devices_metadata(void)
{
    g_autofree char *xml = NULL;
    g_autofree char *xmlpath = NULL;
    g_autofree char *img = g_build_filename(cli.tmpdir, "dev1-extra.img", NULL);
    g_autofree char *disk = g_build_filename(cli.tmpdir, "dev1-disk.xml", NULL);
    g_autofree char *args = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    CLI_NEED_DAEMON();
    xmlpath = cli_domain_xml("dev1", "9c0d2e4b-7a1f-4c3e-8b5d-2e6f7a8b9c77", 256, 1);
    g_assert_true(g_file_set_contents(img, "disk", -1, NULL));
    xml = g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
                          "<target dev='xvdf' bus='xen'/></disk>\n", img);
    g_assert_true(g_file_set_contents(disk, xml, -1, NULL));
    args = g_strdup_printf("define %s", xmlpath);
    g_free(run_ok(args));
    g_free(run_ok("start dev1"));

    g_clear_pointer(&args, g_free);
    args = g_strdup_printf("attach-device dev1 %s --live --config", disk);
    out = run_ok(args);
    g_assert_true(g_str_has_prefix(out, "Device attached successfully\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("dumpxml dev1");
    g_assert_nonnull(strstr(out, "<target dev='xvdf' bus='xen'/>"));
    g_clear_pointer(&out, g_free);
    out = run_ok("dumpxml dev1 --inactive");
    g_assert_nonnull(strstr(out, "<target dev='xvdf' bus='xen'/>"));
    g_clear_pointer(&out, g_free);
    /* twice: the daemon's message, virsh's prefix line */
    err = run_fail(args, &out);
    g_assert_nonnull(strstr(err, "error: Failed to attach device from "));
    g_assert_nonnull(strstr(err, "target xvdf already exists"));
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* update-device takes --force; a plain disk cannot change live */
    g_clear_pointer(&args, g_free);
    args = g_strdup_printf("update-device dev1 %s --live --force", disk);
    err = run_fail(args, &out);
    g_assert_nonnull(strstr(err, "cannot be updated"));
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&args, g_free);
    args = g_strdup_printf("detach-device dev1 %s --current", disk);
    out = run_ok(args);
    g_assert_true(g_str_has_prefix(out, "Device detached successfully\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("dumpxml dev1");
    g_assert_null(strstr(out, "xvdf"));
    g_clear_pointer(&out, g_free);
    err = run_fail("attach-device dev1 /nonexistent.xml --live --current", &out);
    g_assert_nonnull(strstr(err, "mutually exclusive"));
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);

    /* desc / metadata */
    out = run_ok("desc dev1");
    g_assert_true(g_str_has_prefix(out, "No description for domain: dev1\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("desc dev1 --config --new-desc 'A test domain'");
    g_assert_true(g_str_has_prefix(out, "Domain description updated successfully\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("desc dev1 --config");
    g_assert_true(g_str_has_prefix(out, "A test domain\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("desc dev1 --title --live --new-desc 'Dev one'");
    g_clear_pointer(&out, g_free);
    out = run_ok("list --title --name");
    g_clear_pointer(&out, g_free);
    out = run_ok("list --title");
    g_assert_nonnull(strstr(out, "Dev one"));
    g_clear_pointer(&out, g_free);
    out = run_ok("metadata dev1 http://example.org/x/ --key x --set '<tag>blue</tag>' --config");
    g_assert_true(g_str_has_prefix(out, "Metadata modified\n"));
    g_clear_pointer(&out, g_free);
    out = run_ok("metadata dev1 http://example.org/x/ --config");
    g_assert_nonnull(strstr(out, "<x:tag xmlns:x=\"http://example.org/x/\">blue</x:tag>"));
    g_clear_pointer(&out, g_free);
    out = run_ok("metadata dev1 http://example.org/x/ --remove --config");
    g_assert_true(g_str_has_prefix(out, "Metadata removed\n"));
    g_clear_pointer(&out, g_free);
    err = run_fail("metadata dev1 http://example.org/x/ --config", &out);
    g_assert_nonnull(strstr(err, "metadata not found"));
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);

    g_free(run_ok("destroy dev1"));
    g_free(run_ok("undefine dev1"));
}

/* ---- foreign domains and adoption ---------------------------------------- */

#define XL1_UUID "5a1d0c3e-8b2f-4d6a-9e7c-3f4b5c6d7e81"
#define XL2_UUID "5a1d0c3e-8b2f-4d6a-9e7c-3f4b5c6d7e82"

/* Start a domain behind the daemon's back, as `xl create` would. */
static guint32
create_foreign(const char *name, const char *uuid, guint mem_mib)
{
    g_autofree char *path = cli_domain_xml(name, uuid, mem_mib, 1);
    g_autofree char *xml = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    guint32 domid;

    g_assert_true(g_file_get_contents(path, &xml, NULL, NULL));
    r = cli_dbus_call_reply("org.xenvirt.Sim1", "SimCreateForeign", g_variant_new("(su)", xml, 0),
                            &error);
    g_assert_no_error(error);
    g_variant_get(r, "(u)", &domid);
    return domid;
}

/* The bash completion of data/completion/xvirsh for a command line that
 * ends with the word being completed ("" for a new word); one candidate
 * per line.  bash-completion's API (_init_completion, _filedir) is stubbed
 * so that the test does not depend on the package. */
static char *
bash_complete(const char *line)
{
    g_autofree char *script = g_build_filename(g_getenv("XV_SRCDIR"), "data", "completion",
                                               "xvirsh", NULL);
    g_autofree char *bindir = g_path_get_dirname(cli.xvirsh);
    g_autofree char *path = g_strdup_printf("%s:%s", bindir, g_getenv("PATH"));
    g_auto(GStrv) env = g_environ_setenv(g_strdupv(cli.env), "PATH", path, TRUE);
    g_autoptr(GError) error = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status;
    const char *code =
        "_init_completion() { words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD;"
        " cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }\n"
        "_filedir() { :; }\n"
        "source \"$1\"\n"
        "read -ra COMP_WORDS <<< \"$2\"\n"
        "[[ $2 == *' ' ]] && COMP_WORDS+=('')\n"
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        "_xvirsh\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    char *argv[] = { "bash", "-c", (char *)code, "bash", script, (char *)line, NULL };

    g_spawn_sync(cli.tmpdir, argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                 &error);
    g_assert_no_error(error);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("bash completion of '%s' failed: %s", line, err);
    return out;
}

static void
test_adopt(void)
{
    g_autofree char *out = NULL, *err = NULL, *args = NULL, *check = NULL, *expect = NULL;
    guint32 id1, id2;

    CLI_NEED_DAEMON();
    /* Domain-0 and the managed domains are never foreign */
    golden_cmd("foreign-list-empty.out", "foreign-list");
    json_cmd("foreign-list --json", "d==[]");

    id1 = create_foreign("xl1", XL1_UUID, 256);
    id2 = create_foreign("xl2", XL2_UUID, 128);
    g_assert_cmpuint(id2, >, id1);
    golden_cmd("foreign-list.out", "foreign-list");
    check = g_strdup_printf("d==[{'id':%u,'name':'xl1','uuid':'" XL1_UUID "'},"
                            "{'id':%u,'name':'xl2','uuid':'" XL2_UUID "'}]", id1, id2);
    json_cmd("foreign-list --json", check);
    /* not managed yet: invisible to list and to lookups */
    out = run_ok("list --all --name");
    g_assert_null(strstr(out, "xl1"));
    g_clear_pointer(&out, g_free);
    g_free(run_fail("dominfo xl1", NULL));

    args = g_strdup_printf("adopt %u", id1);
    out = run_ok(args);
    expect = g_strdup_printf("Domain 'xl1' adopted (id %u)\n\n", id1);
    g_assert_cmpstr(out, ==, expect);
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&check, g_free);
    /* managed now: a running transient domain with its retrieved config */
    check = g_strdup_printf("[x for x in d if x['name']=='xl1']==[{'id':%u,'name':'xl1',"
                            "'uuid':'" XL1_UUID "','state':'running','reason':'unknown',"
                            "'persistent':False,'autostart':False}]", id1);
    json_cmd("list --all --json", check);
    json_cmd("dominfo xl1 --json", "d['max_memory_kib']==262144 and d['persistent'] is False");
    g_clear_pointer(&check, g_free);
    check = g_strdup_printf("d==[{'id':%u,'name':'xl2','uuid':'" XL2_UUID "'}]", id2);
    json_cmd("foreign-list --json", check);
    /* bash completion offers the foreign ids (xl2's), not the managed xl1 */
    g_clear_pointer(&out, g_free);
    out = bash_complete("xvirsh adopt ");
    g_clear_pointer(&expect, g_free);
    expect = g_strdup_printf("%u\n", id2);
    g_assert_cmpstr(out, ==, expect);
    g_clear_pointer(&out, g_free);
    out = bash_complete("xvirsh forei");
    g_assert_cmpstr(out, ==, "foreign-list\n");
    g_clear_pointer(&out, g_free);
    out = bash_complete("xvirsh foreign-list --");
    g_assert_cmpstr(out, ==, "--json\n");
    /* -q: no header, no message */
    g_clear_pointer(&out, g_free);
    out = run_ok("-q foreign-list");
    g_clear_pointer(&expect, g_free);
    expect = g_strdup_printf(" %u   xl2   " XL2_UUID "\n", id2);
    g_assert_cmpstr(out, ==, expect);
    g_clear_pointer(&out, g_free);

    /* twice: the daemon says who manages it */
    err = run_fail(args, &out);
    g_clear_pointer(&expect, g_free);
    expect = g_strdup_printf("error: Failed to adopt domain %1$u\n"
                             "error: Requested operation is not valid: cannot adopt domain %1$u: it is already managed as 'xl1'\n",
                             id1);
    g_assert_cmpstr(err, ==, expect);
    g_assert_cmpstr(out, ==, "\n");    /* virsh's blank line only */
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);

    /* gone between foreign-list and adopt: xl2 adopted and destroyed, then
     * its id asked for again */
    g_free(args);
    args = g_strdup_printf("-q adopt %u", id2);
    g_free(run_ok(args));
    g_free(run_ok("-q destroy xl2"));
    err = run_fail(args, &out);
    g_clear_pointer(&expect, g_free);
    expect = g_strdup_printf("error: Failed to adopt domain %1$u\n"
                             "error: Domain not found: cannot adopt domain %1$u: Domain %1$u does not exist.\n", id2);
    g_assert_cmpstr(err, ==, expect);
    g_assert_cmpstr(out, ==, "");    /* -q: not even the blank line */
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* an id no domain ever had */
    err = run_fail("adopt 4000", &out);
    g_assert_cmpstr(err, ==, "error: Failed to adopt domain 4000\n"
                             "error: Domain not found: cannot adopt domain 4000: Domain 4000 does not exist.\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* Domain-0 and malformed ids */
    err = run_fail("adopt 0", &out);
    g_assert_cmpstr(err, ==, "error: Failed to adopt domain 0\n"
                             "error: Requested operation is not valid: Domain-0 cannot be adopted: it is always shown as a domain\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    err = run_fail("adopt xl1", &out);
    g_assert_cmpstr(err, ==, "error: Numeric value 'xl1' for <domid> option is malformed or out of range\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    err = run_fail("adopt -- -1", &out);
    g_assert_cmpstr(err, ==, "error: Numeric value '-1' for <domid> option is malformed or out of range\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    err = run_fail("adopt", &out);
    g_assert_cmpstr(err, ==, "error: command 'adopt' requires <domid> option\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);
    /* read-only connections cannot adopt, but can list */
    g_free(run_ok("-r -q foreign-list"));
    err = run_fail("-r adopt 4000", &out);
    g_assert_cmpstr(err, ==, "error: operation forbidden: read only access prevents 'adopt'\n");
    g_clear_pointer(&err, g_free);
    g_clear_pointer(&out, g_free);

    /* every operation works on the adopted domain */
    golden_cmd("adopt-suspend.out", "suspend xl1");
    g_free(run_ok("-q resume xl1"));
    g_free(run_ok("-q destroy xl1"));
    golden_cmd("foreign-list-empty.out", "foreign-list");
    out = run_ok("list --all --name");
    g_assert_null(strstr(out, "xl1"));
}

int
main(int argc, char **argv)
{
    g_autofree char *why = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!cli_harness_start(&why))
        g_test_message("no daemon: %s", why);

    g_test_add_func("/cli/offline/conversions", test_offline_conversions);
    g_test_add_func("/cli/offline/explicit-uri-needs-daemon", test_offline_explicit_uri_fails);
    g_test_add_func("/cli/offline/usage-errors", test_usage_errors);
    g_test_add_func("/cli/connect/no-owner", test_connect_no_owner);
    g_test_add_func("/cli/connect/uri", test_uri);
    g_test_add_func("/cli/native/daemon-matches-offline", test_native_daemon_matches_offline);
    g_test_add_func("/cli/domain/list-empty", test_list_empty);
    g_test_add_func("/cli/domain/define", test_define);
    g_test_add_func("/cli/domain/start-and-read", test_start);
    g_test_add_func("/cli/domain/json", test_json);
    g_test_add_func("/cli/domain/errors", test_errors);
    g_test_add_func("/cli/domain/lifecycle-messages", test_lifecycle_messages);
    g_test_add_func("/cli/domain/edit", test_edit);
    g_test_add_func("/cli/domain/verbose-progress", test_verbose_progress);
    g_test_add_func("/cli/domain/event", test_event);
    g_test_add_func("/cli/layout/virsh", test_layout_virsh);
    g_test_add_func("/cli/domain/devices-metadata", test_devices_metadata);
    g_test_add_func("/cli/adopt/foreign-list-and-adopt", test_adopt);
    ret = g_test_run();
    if (cli.started && !cli_harness_daemon_running())
        g_printerr("xenvirtd died during the tests (log in %s)\n", cli.tmpdir);
    cli_harness_stop();
    return ret;
}
