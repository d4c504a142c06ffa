/*
 * test-polkit.c: xenvirtd's authorization table (every build) and, in a
 * build with -Dpolkit=enabled run as root, the polkit path end to end: a
 * private system-type dbus-daemon with xenvirt's bus policies, the real
 * polkitd on it with a test rule granting org.xenvirt.domain.write to
 * 'nobody' and refusing it to 'daemon', the real xenvirtd --system on a
 * simulated host, and gdbus calls as those two users (setpriv).
 *
 * polkitd only reads fixed directories: the test writes its rule to
 * /etc/polkit-1/rules.d/49-xenvirt-test-PID.rules and its action file to
 * /usr/share/polkit-1/actions/org.xenvirt.test-PID.policy, and removes both
 * at teardown (and any left by an earlier run that crashed).
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/access.h"

#define CONN "/org/libvirt/Xen"
#define IC "org.libvirt.Connect"
#define ID "org.libvirt.Domain"
#define RULES_DIR "/etc/polkit-1/rules.d"
#define ACTIONS_DIR "/usr/share/polkit-1/actions"

/* ---- the decision table --------------------------------------------------- */

static void
test_table(void)
{
    /* reads: everybody, with or without polkit */
    for (int priv = 0; priv < 2; priv++)
        for (int pk = 0; pk < 2; pk++)
            g_assert_cmpint(xv_access_decide(FALSE, FALSE, priv, pk), ==, XV_ACCESS_ALLOW);
    /* root and the access group: everything */
    g_assert_cmpint(xv_access_decide(TRUE, FALSE, TRUE, FALSE), ==, XV_ACCESS_ALLOW);
    g_assert_cmpint(xv_access_decide(TRUE, FALSE, TRUE, TRUE), ==, XV_ACCESS_ALLOW);
    g_assert_cmpint(xv_access_decide(FALSE, TRUE, TRUE, TRUE), ==, XV_ACCESS_ALLOW);
    /* anybody else's write: refused without polkit, polkit's to decide with it */
    g_assert_cmpint(xv_access_decide(TRUE, FALSE, FALSE, FALSE), ==, XV_ACCESS_DENY);
    g_assert_cmpint(xv_access_decide(TRUE, FALSE, FALSE, TRUE), ==, XV_ACCESS_ASK_POLKIT);
    /* secure XML (passwords) is never delegated to polkit */
    g_assert_cmpint(xv_access_decide(FALSE, TRUE, FALSE, FALSE), ==, XV_ACCESS_DENY);
    g_assert_cmpint(xv_access_decide(FALSE, TRUE, FALSE, TRUE), ==, XV_ACCESS_DENY);
    g_assert_cmpint(xv_access_polkit_built(), ==, XV_WITH_POLKIT);
}

/* ---- polkit end to end ------------------------------------------------------ */

static const char bus_conf[] =
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>system</type>\n"
    "  <listen>unix:path=%s/bus</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"   /* the defaults of Debian's system.conf */
    "    <allow user=\"*\"/>\n"
    "    <deny own=\"*\"/>\n"
    "    <deny send_type=\"method_call\"/>\n"
    "    <allow send_type=\"signal\"/>\n"
    "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
    "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
    "    <allow receive_type=\"method_call\"/>\n"
    "    <allow receive_type=\"method_return\"/>\n"
    "    <allow receive_type=\"error\"/>\n"
    "    <allow receive_type=\"signal\"/>\n"
    "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus\"/>\n"
    "  </policy>\n"
    "  <include>%s/data/org.libvirt.xenvirt.conf</include>\n"
    "  <include>%s/data/org.libvirt.xenvirt-polkit.conf</include>\n"
    "  <include>%s</include>\n"
    "</busconfig>\n";

/* Grants the write action to 'nobody', refuses it to 'daemon'; anybody
 * else gets the action's default (auth_admin_keep: no, without an agent). */
static const char rules[] =
    "polkit.addRule(function(action, subject) {\n"
    "    if (action.id == \"org.xenvirt.domain.write\") {\n"
    "        if (subject.user == \"nobody\")\n"
    "            return polkit.Result.YES;\n"
    "        if (subject.user == \"daemon\")\n"
    "            return polkit.Result.NO;\n"
    "    }\n"
    "});\n";

typedef struct {
    char *tmp, *addr, *rules_file, *action_file;
    GPid bus_pid, polkitd_pid, daemon_pid;
    GDBusConnection *c;   /* root, on the private bus */
} PkFixture;

/* The running test's fixture, for the SIGABRT handler: a failed assertion
 * must not leave polkitd, the bus, xenvirtd or the files under /etc and
 * /usr/share behind.  Only async-signal-safe calls in the handler. */
static PkFixture *volatile current;

static void
on_abort(int sig)
{
    PkFixture *fx = current;

    if (fx != NULL) {
        if (fx->daemon_pid > 0)
            kill(fx->daemon_pid, SIGKILL);
        if (fx->polkitd_pid > 0)
            kill(fx->polkitd_pid, SIGKILL);
        if (fx->bus_pid > 0)
            kill(fx->bus_pid, SIGKILL);
        if (fx->rules_file != NULL)
            unlink(fx->rules_file);
        if (fx->action_file != NULL)
            unlink(fx->action_file);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static const char *
find_polkitd(void)
{
    static const char *const paths[] = { "/usr/lib/polkit-1/polkitd", "/usr/libexec/polkitd",
                                         "/usr/lib/policykit-1/polkitd" };

    for (gsize i = 0; i < G_N_ELEMENTS(paths); i++)
        if (g_file_test(paths[i], G_FILE_TEST_IS_EXECUTABLE))
            return paths[i];
    return NULL;
}

/* Remove the rule and action files of earlier runs that did not tear down. */
static void
remove_stale(void)
{
    const char *dirs[] = { RULES_DIR, ACTIONS_DIR };
    const char *prefixes[] = { "49-xenvirt-test-", "org.xenvirt.test-" };

    for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autoptr(GDir) dir = g_dir_open(dirs[i], 0, NULL);
        const char *name;

        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            if (g_str_has_prefix(name, prefixes[i])) {
                g_autofree char *f = g_build_filename(dirs[i], name, NULL);

                g_unlink(f);
            }
        }
    }
}

static gboolean
has_owner(GDBusConnection *c, const char *name)
{
    g_autoptr(GVariant) r = g_dbus_connection_call_sync(
        c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "NameHasOwner", g_variant_new("(s)", name), G_VARIANT_TYPE("(b)"), 0, -1, NULL, NULL);
    gboolean has = FALSE;

    if (r != NULL)
        g_variant_get(r, "(b)", &has);
    return has;
}

static void
wait_owner(PkFixture *fx, const char *name, const char *log)
{
    for (int i = 0; i < 400; i++) {
        if (has_owner(fx->c, name))
            return;
        g_usleep(25000);
    }
    {
        g_autofree char *f = g_build_filename(fx->tmp, log, NULL);
        g_autofree char *text = NULL;

        g_file_get_contents(f, &text, NULL, NULL);
        g_error("'%s' never appeared on the private bus; %s:\n%s", name, log,
                text != NULL ? text : "(empty)");
    }
}

/* Spawn 'argv' with DBUS_SYSTEM_BUS_ADDRESS set and stderr to TMP/'log'. */
static GPid
spawn_on_bus(PkFixture *fx, char **argv, const char *log)
{
    g_auto(GStrv) envp = g_get_environ();
    g_autofree char *logf = g_build_filename(fx->tmp, log, NULL);
    g_autofree char *cmd = NULL;
    g_autofree char *quoted = NULL;
    GString *line = g_string_new("exec");
    GPid pid = 0;

    for (guint i = 0; argv[i] != NULL; i++) {
        g_autofree char *q = g_shell_quote(argv[i]);

        g_string_append_printf(line, " %s", q);
    }
    quoted = g_shell_quote(logf);
    g_string_append_printf(line, " 2>%s", quoted);
    cmd = g_string_free(line, FALSE);
    envp = g_environ_setenv(envp, "DBUS_SYSTEM_BUS_ADDRESS", fx->addr, TRUE);
    envp = g_environ_setenv(envp, "XV_SIM_SPEED", "0", TRUE);
    envp = g_environ_unsetenv(envp, "G_DEBUG");
    {
        char *sh[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };

        g_assert_true(g_spawn_async(NULL, sh, envp,
                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                    NULL, NULL, &pid, NULL));
    }
    return pid;
}

/* gdbus call --system as 'user' (setpriv); stdout+stderr. */
static const char *self_exe;

static char *gdbus_as_at(PkFixture *fx, const char *user, const char *p2p, const char *path,
                         const char *method, const char *arg1);

static char *
gdbus_as(PkFixture *fx, const char *user, const char *path, const char *method,
         const char *arg1, const char *arg2)
{
    if (arg2 == NULL)
        return gdbus_as_at(fx, user, NULL, path, method, arg1);
    g_assert_not_reached();
}

/* gdbus call as 'user', on the private system bus (p2p NULL) or to the
 * peer-to-peer address 'p2p'; stdout+stderr. */
static char *
gdbus_as_at(PkFixture *fx, const char *user, const char *p2p, const char *path,
            const char *method, const char *arg1)
{
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    g_autofree char *gdbus = g_find_program_in_path("gdbus");
    g_autofree char *env = g_strdup_printf("DBUS_SYSTEM_BUS_ADDRESS=%s", fx->addr);
    g_autofree char *reuid = g_strdup_printf("--reuid=%s", user);
    g_autofree char *regid = g_strdup_printf("--regid=%s", g_str_equal(user, "nobody") ? "nogroup"
                                                                                         : user);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *out = NULL, *err = NULL;
    int status;

    for (const char *const *a = (const char *const[]){ "env", env, setpriv, reuid, regid,
                                                        "--clear-groups", gdbus, "call", NULL };
         *a != NULL; a++)
        g_ptr_array_add(argv, (char *)*a);
    if (p2p != NULL) {
        /* gdbus(1) insists on a message bus: this binary is the client */
        g_ptr_array_set_size(argv, 6);
        g_ptr_array_add(argv, (char *)self_exe);
        g_ptr_array_add(argv, (char *)"--p2p-call");
        g_ptr_array_add(argv, (char *)p2p);
        g_ptr_array_add(argv, (char *)path);
        g_ptr_array_add(argv, (char *)method);
        g_ptr_array_add(argv, (char *)arg1);
        g_ptr_array_add(argv, NULL);
        g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                                   NULL, &out, &err, &status, NULL));
        g_test_message("%s (peer-to-peer): %s -> %s%s", user, method, out, err);
        return g_strconcat(out, err, NULL);
    } else {
        g_ptr_array_add(argv, (char *)"--system");
        g_ptr_array_add(argv, (char *)"-d");
        g_ptr_array_add(argv, (char *)"org.libvirt");
    }
    for (const char *const *a = (const char *const[]){ "-o", path, "-m", method, arg1, NULL };
         *a != NULL; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
    g_test_message("%s%s: %s %s -> %s%s", user, p2p != NULL ? " (peer-to-peer)" : "", method,
                   arg1 != NULL ? arg1 : "", out, err);
    return g_strconcat(out, err, NULL);
}

static GVariant *
root_call(PkFixture *fx, const char *path, const char *iface, const char *method,
          GVariant *args, GError **error)
{
    return g_dbus_connection_call_sync(fx->c, "org.libvirt", path, iface, method, args, NULL, 0,
                                       30000, NULL, error);
}

static char *
domain_xml(const char *name)
{
    return g_strdup_printf("<domain type='xen'><name>%s</name><memory>65536</memory>"
                           "<os><type>hvm</type></os></domain>", name);
}

/* Path of domain 'name', or NULL when it is not defined. */
static char *
lookup(PkFixture *fx, const char *name)
{
    g_autoptr(GVariant) r = root_call(fx, CONN, IC, "DomainLookupByName",
                                      g_variant_new("(s)", name), NULL);
    char *path = NULL;

    if (r != NULL)
        g_variant_get(r, "(o)", &path);
    return path;
}

static gboolean
is_active(PkFixture *fx, const char *path)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = g_dbus_connection_call_sync(
        fx->c, "org.libvirt", path, "org.freedesktop.DBus.Properties", "Get",
        g_variant_new("(ss)", ID, "Active"), G_VARIANT_TYPE("(v)"), 0, 30000, NULL, &error);
    g_autoptr(GVariant) v = NULL;

    g_assert_no_error(error);
    g_variant_get(r, "(v)", &v);
    return g_variant_get_boolean(v);
}

static void
stop_pid(GPid pid, int *status)
{
    int st = 0;

    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    if (status != NULL)
        *status = st;
}

static void
test_polkit_e2e(void)
{
    PkFixture fx = { 0 };
    const char *polkitd = find_polkitd();
    g_autofree char *dbus = g_find_program_in_path("dbus-daemon");
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    g_autofree char *gdbus = g_find_program_in_path("gdbus");
    g_autofree char *conf = NULL, *conf_file = NULL, *sock = NULL, *policy = NULL;
    g_autofree char *pk_conf = NULL, *exe = NULL, *root = NULL, *sim = NULL;
    g_autofree char *run_path = NULL, *run_xml = NULL;
    const char *src = g_getenv("XV_SRCDIR");
    int status;

    if (!XV_WITH_POLKIT) {
        g_test_skip("xenvirtd was built without polkit (meson -Dpolkit=disabled)");
        return;
    }
    if (geteuid() != 0) {
        g_test_skip("needs root: runs polkitd, writes a polkit rule under " RULES_DIR
                    " and calls as 'nobody' and 'daemon' (setpriv); CI runs as root");
        return;
    }
    if (polkitd == NULL || dbus == NULL || setpriv == NULL || gdbus == NULL || src == NULL ||
        g_getenv("XV_BUILDDIR") == NULL || !g_file_test(RULES_DIR, G_FILE_TEST_IS_DIR) ||
        !g_file_test(ACTIONS_DIR, G_FILE_TEST_IS_DIR)) {
        g_test_skip("needs polkitd (Debian package polkitd), dbus-daemon, setpriv, gdbus, "
                    RULES_DIR ", " ACTIONS_DIR " and XV_SRCDIR/XV_BUILDDIR (meson test)");
        return;
    }
    pk_conf = g_strdup("/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf");
    if (!g_file_test(pk_conf, G_FILE_TEST_EXISTS)) {
        g_test_skip("polkitd's bus policy " "/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf is missing");
        return;
    }

    remove_stale();
    current = &fx;
    signal(SIGABRT, on_abort);
    fx.tmp = g_dir_make_tmp("xv-polkit-XXXXXX", NULL);
    g_assert_nonnull(fx.tmp);
    g_chmod(fx.tmp, 0755);

    /* polkit: the action file and the test rule, before polkitd starts */
    fx.rules_file = g_strdup_printf(RULES_DIR "/49-xenvirt-test-%d.rules", (int)getpid());
    fx.action_file = g_strdup_printf(ACTIONS_DIR "/org.xenvirt.test-%d.policy", (int)getpid());
    policy = g_build_filename(src, "data", "org.xenvirt.policy", NULL);
    {
        g_autofree char *text = NULL;

        g_assert_true(g_file_get_contents(policy, &text, NULL, NULL));
        g_assert_true(g_file_set_contents_full(fx.action_file, text, -1, G_FILE_SET_CONTENTS_NONE,
                                               0644, NULL));
        g_assert_true(g_file_set_contents_full(fx.rules_file, rules, -1, G_FILE_SET_CONTENTS_NONE,
                                               0644, NULL));
    }

    /* the bus */
    conf = g_strdup_printf(bus_conf, fx.tmp, src, src, pk_conf);
    conf_file = g_build_filename(fx.tmp, "bus.conf", NULL);
    g_assert_true(g_file_set_contents(conf_file, conf, -1, NULL));
    fx.addr = g_strdup_printf("unix:path=%s/bus", fx.tmp);
    sock = g_build_filename(fx.tmp, "bus", NULL);
    {
        g_autofree char *cf = g_strdup_printf("--config-file=%s", conf_file);
        char *argv[] = { dbus, cf, (char *)"--nofork", (char *)"--nopidfile", NULL };

        fx.bus_pid = spawn_on_bus(&fx, argv, "dbus-daemon.log");
    }
    for (int i = 0; i < 200 && fx.c == NULL; i++) {
        fx.c = g_dbus_connection_new_for_address_sync(
            fx.addr, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, NULL);
        if (fx.c == NULL)
            g_usleep(50000);
    }
    g_assert_nonnull(fx.c);
    g_chmod(sock, 0777);

    /* polkitd on it (it drops to user 'polkitd' itself) */
    {
        char *argv[] = { (char *)polkitd, (char *)"--no-debug", NULL };

        fx.polkitd_pid = spawn_on_bus(&fx, argv, "polkitd.log");
    }
    wait_owner(&fx, "org.freedesktop.PolicyKit1", "polkitd.log");

    /* xenvirtd --system on a fresh simulated host */
    exe = g_build_filename(g_getenv("XV_BUILDDIR"), "daemon", "xenvirtd", NULL);
    root = g_build_filename(fx.tmp, "root", NULL);
    sim = g_strdup_printf("sim:%s/sim", fx.tmp);
    {
        char *argv[] = { exe, (char *)"--system", (char *)"--root", root, (char *)"--hypervisor",
                         sim, (char *)"--no-autostart", NULL };

        fx.daemon_pid = spawn_on_bus(&fx, argv, "xenvirtd.log");
    }
    wait_owner(&fx, "org.libvirt", "xenvirtd.log");

    /* root (uid 0, no polkit involved) defines and starts a domain for the
     * destroys */
    run_xml = domain_xml("pk-run");
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r = root_call(&fx, CONN, IC, "DomainDefineXML",
                                          g_variant_new("(s)", run_xml), &error);
        g_autoptr(GVariant) c = NULL;

        g_assert_no_error(error);
        g_variant_get(r, "(o)", &run_path);
        c = root_call(&fx, run_path, ID, "Create", g_variant_new("(u)", 0), &error);
        g_assert_no_error(error);
    }
    g_assert_true(is_active(&fx, run_path));

    /* 'daemon' (uid 1): the rule says no; nothing changes */
    {
        g_autofree char *xml = domain_xml("pk-denied");
        g_autofree char *def = gdbus_as(&fx, "daemon", CONN, IC ".DomainDefineXML", xml, NULL);
        g_autofree char *des = gdbus_as(&fx, "daemon", run_path, ID ".Destroy", "0", NULL);
        g_autofree char *rd = gdbus_as(&fx, "daemon", CONN, IC ".ListDomains", "0", NULL);
        g_autofree char *p = NULL;

        g_assert_nonnull(strstr(def, "org.libvirt.Error"));
        g_assert_nonnull(strstr(def, "access denied"));
        g_assert_nonnull(strstr(def, "polkit refused action 'org.xenvirt.domain.write' to caller uid 1"));
        g_assert_nonnull(strstr(des, "access denied"));
        g_assert_nonnull(strstr(des, "org.libvirt.Domain.Destroy"));
        g_assert_nonnull(strstr(rd, run_path));   /* reads stay open */
        p = lookup(&fx, "pk-denied");
        g_assert_null(p);
        g_assert_true(is_active(&fx, run_path));
    }

    /* 'nobody' (uid 65534): the rule says yes */
    {
        g_autofree char *xml = domain_xml("pk-granted");
        g_autofree char *def = gdbus_as(&fx, "nobody", CONN, IC ".DomainDefineXML", xml, NULL);
        g_autofree char *p = lookup(&fx, "pk-granted");
        g_autofree char *des = NULL;

        g_assert_null(strstr(def, "Error"));
        g_assert_nonnull(p);
        g_assert_nonnull(strstr(def, p));
        des = gdbus_as(&fx, "nobody", run_path, ID ".Destroy", "0", NULL);
        g_assert_null(strstr(des, "Error"));
        g_assert_false(is_active(&fx, run_path));
        /* the secure XML (passwords) stays root's and the group's only */
        {
            g_autofree char *sec = gdbus_as(&fx, "nobody", p, ID ".GetXMLDesc", "1", NULL);

            g_assert_nonnull(strstr(sec, "access denied"));
        }
    }

    stop_pid(fx.daemon_pid, &status);
    fx.daemon_pid = 0;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        g_autofree char *f = g_build_filename(fx.tmp, "xenvirtd.log", NULL);
        g_autofree char *text = NULL;

        g_file_get_contents(f, &text, NULL, NULL);
        g_error("xenvirtd did not exit 0 on SIGTERM; its log:\n%s", text);
    }
    /* The same daemon state served peer-to-peer: polkit gets a unix-process
     * subject (pid and uid from the socket credentials). */
    {
        g_autofree char *p2p = g_strdup_printf("unix:path=%s/p2p", fx.tmp);
        g_autofree char *p2p_sock = g_build_filename(fx.tmp, "p2p", NULL);
        g_autofree char *xml_ok = domain_xml("pk-p2p-granted");
        g_autofree char *xml_no = domain_xml("pk-p2p-denied");
        g_autofree char *no = NULL, *ok = NULL;
        char *argv[] = { exe, (char *)"--listen", p2p, (char *)"--root", root,
                         (char *)"--hypervisor", sim, (char *)"--no-autostart", NULL };

        fx.daemon_pid = spawn_on_bus(&fx, argv, "xenvirtd-p2p.log");
        for (int i = 0; i < 400 && !g_file_test(p2p_sock, G_FILE_TEST_EXISTS); i++)
            g_usleep(25000);
        g_assert_true(g_file_test(p2p_sock, G_FILE_TEST_EXISTS));
        g_chmod(p2p_sock, 0777);
        no = gdbus_as_at(&fx, "daemon", p2p, CONN, IC ".DomainDefineXML", xml_no);
        ok = gdbus_as_at(&fx, "nobody", p2p, CONN, IC ".DomainDefineXML", xml_ok);
        g_assert_nonnull(strstr(no, "polkit refused action 'org.xenvirt.domain.write' to caller uid 1"));
        g_assert_nonnull(strstr(ok, "/org/libvirt/Xen/domain/_"));
        g_assert_null(strstr(ok, "Error"));
        stop_pid(fx.daemon_pid, &status);
        fx.daemon_pid = 0;
        g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    stop_pid(fx.polkitd_pid, NULL);
    fx.polkitd_pid = 0;
    g_dbus_connection_close_sync(fx.c, NULL, NULL);
    g_clear_object(&fx.c);
    stop_pid(fx.bus_pid, NULL);
    fx.bus_pid = 0;
    g_assert_cmpint(g_unlink(fx.rules_file), ==, 0);
    g_assert_cmpint(g_unlink(fx.action_file), ==, 0);
    current = NULL;
    signal(SIGABRT, SIG_DFL);
    if (g_getenv("XV_TEST_KEEP") == NULL) {
        g_autofree char *q = g_shell_quote(fx.tmp);
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", q);

        g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL));
    }
    g_free(fx.tmp);
    g_free(fx.addr);
    g_free(fx.rules_file);
    g_free(fx.action_file);
}

/* --p2p-call ADDRESS PATH IFACE.MEMBER STRING: one call with a string
 * argument over a peer-to-peer connection; prints the reply or the error. */
static int
p2p_call(char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GDBusConnection) c = g_dbus_connection_new_for_address_sync(
        argv[2], G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, NULL, &error);
    g_autofree char *iface = g_strdup(argv[4]);
    char *dot = strrchr(iface, '.');
    g_autoptr(GVariant) r = NULL;

    if (c == NULL || dot == NULL) {
        g_printerr("Error connecting: %s\n", error != NULL ? error->message : "bad method");
        return 1;
    }
    *dot = '\0';
    r = g_dbus_connection_call_sync(c, NULL, argv[3], iface, dot + 1,
                                    g_variant_new("(s)", argv[5]), NULL, 0, 30000, NULL, &error);
    if (r == NULL) {
        g_printerr("Error: %s\n", error->message);
        return 1;
    }
    {
        g_autofree char *text = g_variant_print(r, TRUE);

        g_print("%s\n", text);
    }
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 6 && g_str_equal(argv[1], "--p2p-call"))
        return p2p_call(argv);
    self_exe = argv[0];
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon/access/decision-table", test_table);
    g_test_add_func("/daemon/polkit/grant-and-deny", test_polkit_e2e);
    return g_test_run();
}
