/*
 * test-cli-tty.c: xvirsh on a terminal (a pty): the interactive shell's
 * completion and history, the progress bar of a save on the sim host, and
 * Ctrl-C aborting the save.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-harness.h"

#define BIG_UUID "7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5"

typedef struct {
    pid_t pid;
    int fd;
    GString *buf;               /* everything read so far */
    gsize pos;                  /* expect() searches from here */
} Pty;

static Pty *
pty_spawn(const char *args)
{
    Pty *p = g_new0(Pty, 1);
    struct winsize ws = { .ws_row = 24, .ws_col = 100 };
    g_auto(GStrv) words = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();

    g_assert_true(g_shell_parse_argv(args[0] != '\0' ? args : "\"\"", NULL, &words, NULL));
    g_ptr_array_add(argv, cli.xvirsh);
    for (guint i = 0; words[i] != NULL; i++) {
        if (words[i][0] != '\0')
            g_ptr_array_add(argv, words[i]);
    }
    g_ptr_array_add(argv, NULL);
    p->buf = g_string_new(NULL);
    p->pid = forkpty(&p->fd, NULL, NULL, &ws);
    g_assert_cmpint(p->pid, >=, 0);
    if (p->pid == 0) {
        char **env = g_strdupv(cli.env);

        env = g_environ_setenv(env, "TERM", "xterm", TRUE);
        env = g_environ_setenv(env, "INPUTRC", "/dev/null", TRUE);
        execve(cli.xvirsh, (char **)argv->pdata, env);
        _exit(127);
    }
    fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
    return p;
}

static void
pty_read(Pty *p, int timeout_ms)
{
    struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
    char chunk[4096];

    if (poll(&pfd, 1, timeout_ms) <= 0)
        return;
    for (;;) {
        ssize_t n = read(p->fd, chunk, sizeof(chunk));

        if (n <= 0)
            break;
        g_string_append_len(p->buf, chunk, n);
    }
}

static gboolean
pty_expect(Pty *p, const char *needle, guint timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    for (;;) {
        const char *hit = strstr(p->buf->str + p->pos, needle);

        if (hit != NULL) {
            p->pos = (gsize)(hit - p->buf->str) + strlen(needle);
            return TRUE;
        }
        if (g_get_monotonic_time() > deadline)
            return FALSE;
        pty_read(p, 50);
    }
}

static void
pty_send(Pty *p, const char *s)
{
    g_assert_cmpint(write(p->fd, s, strlen(s)), ==, (ssize_t)strlen(s));
}

/* Exit status; reads the rest of the output. */
static int
pty_finish(Pty *p, guint timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    int status = 0;

    for (;;) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);

        pty_read(p, 20);
        if (r == p->pid)
            break;
        if (g_get_monotonic_time() > deadline) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
            g_error("xvirsh did not exit; output so far:\n%s", p->buf->str);
        }
    }
    pty_read(p, 50);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void
pty_free(Pty *p)
{
    close(p->fd);
    g_string_free(p->buf, TRUE);
    g_free(p);
}

static char *
run_ok(const char *args)
{
    char *out = NULL;
    g_autofree char *err = NULL;
    int rc = cli_run(args, &out, &err);

    if (rc != 0)
        g_error("xvirsh %s: exit %d\nstdout: %s\nstderr: %s", args, rc, out, err);
    return out;
}

static void
test_shell_completion_history(void)
{
    g_autofree char *xml = NULL, *args = NULL, *hist = NULL, *contents = NULL;
    Pty *p;

    CLI_NEED_DAEMON();
    xml = cli_domain_xml("web1", "4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61", 256, 1);
    args = g_strdup_printf("define %s", xml);
    g_free(run_ok(args));

    p = pty_spawn("");
    if (!pty_expect(p, "xvirsh ", 5000))
        g_error("no prompt:\n%s", p->buf->str);
    /* "domin<TAB>" completes the command, "we<TAB>" the domain name */
    pty_send(p, "domin\t");
    pty_read(p, 200);
    pty_send(p, "we\t");
    pty_read(p, 300);
    pty_send(p, "\r");
    if (!pty_expect(p, "Name:           web1", 5000))
        g_error("completion did not produce 'dominfo web1':\n%s", p->buf->str);
    /* option completion: "--rea<TAB>" on domstate */
    pty_send(p, "domstate web1 --rea\t\r");
    if (!pty_expect(p, "shut off (unknown)", 5000))
        g_error("option completion failed:\n%s", p->buf->str);
    pty_send(p, "quit\r");
    g_assert_cmpint(pty_finish(p, 5000), ==, 0);
    pty_free(p);

    hist = g_build_filename(cli.tmpdir, "xvirsh", "history", NULL);
    g_assert_true(g_file_get_contents(hist, &contents, NULL, NULL));
    g_assert_nonnull(strstr(contents, "dominfo web1\ndomstate web1 --reason\nquit\n"));

    /* a new shell recalls the history (quit, the completed domstate line,
     * dominfo): Up Up Enter runs "domstate web1 --reason" again */
    p = pty_spawn("");
    g_assert_true(pty_expect(p, "xvirsh ", 5000));
    pty_send(p, "\033[A\033[A\r");
    if (!pty_expect(p, "shut off (unknown)", 5000))
        g_error("history recall failed:\n%s", p->buf->str);
    pty_send(p, "exit\r");
    g_assert_cmpint(pty_finish(p, 5000), ==, 0);
    pty_free(p);
    g_free(run_ok("undefine web1"));
}

/* The shell completes adopt's argument with the ids of foreign domains. */
static void
test_adopt_completion(void)
{
    g_autofree char *xmlpath = NULL, *xml = NULL, *expect = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    guint32 domid;
    Pty *p;

    CLI_NEED_DAEMON();
    xmlpath = cli_domain_xml("xl9", "5a1d0c3e-8b2f-4d6a-9e7c-3f4b5c6d7e89", 128, 1);
    g_assert_true(g_file_get_contents(xmlpath, &xml, NULL, NULL));
    r = cli_dbus_call_reply("org.xenvirt.Sim1", "SimCreateForeign", g_variant_new("(su)", xml, 0),
                            &error);
    g_assert_no_error(error);
    g_variant_get(r, "(u)", &domid);

    p = pty_spawn("");
    if (!pty_expect(p, "xvirsh ", 5000))
        g_error("no prompt:\n%s", p->buf->str);
    /* the only candidate: "adop<TAB>" then "<TAB>" give "adopt ID" */
    pty_send(p, "adop\t");
    pty_read(p, 200);
    pty_send(p, "\t");
    pty_read(p, 300);
    pty_send(p, "\r");
    expect = g_strdup_printf("Domain 'xl9' adopted (id %u)", domid);
    if (!pty_expect(p, expect, 5000))
        g_error("completion did not produce 'adopt %u':\n%s", domid, p->buf->str);
    pty_send(p, "quit\r");
    g_assert_cmpint(pty_finish(p, 5000), ==, 0);
    pty_free(p);
    g_free(run_ok("destroy xl9"));
}

static void
start_big(void)
{
    g_autofree char *xml = cli_domain_xml("big", BIG_UUID, 2048, 2);
    g_autofree char *args = g_strdup_printf("define %s", xml);
    g_autofree char *out = NULL;

    if (cli_run("domstate big", &out, NULL) != 0) {
        g_free(run_ok(args));
    }
    g_clear_pointer(&out, g_free);
    out = run_ok("-q domstate big");
    if (!g_str_has_prefix(out, "running"))
        g_free(run_ok("start big"));
}

static void
test_progress_bar(void)
{
    g_autofree char *save = NULL, *args = NULL;
    g_autoptr(GRegex) bar = g_regex_new("Save: \\[[#.]+\\] +[0-9]+ % +[0-9.]+ [KMG]?i?B/s ETA [0-9-]{2}:[0-9-]{2}",
                                        0, 0, NULL);
    Pty *p;

    CLI_NEED_DAEMON();
    start_big();
    save = g_build_filename(cli.tmpdir, "big.save", NULL);
    args = g_strdup_printf("save big %s", save);
    /* 2 GiB at speed 0.75: about 1.6 s */
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.75)));
    p = pty_spawn(args);
    g_assert_cmpint(pty_finish(p, 20000), ==, 0);
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0)));
    if (!g_regex_match(bar, p->buf->str, 0, NULL))
        g_error("no progress bar on the terminal:\n%s", p->buf->str);
    g_assert_nonnull(strstr(p->buf->str, "100 %"));
    g_assert_nonnull(strstr(p->buf->str, "Domain 'big' saved to "));
    pty_free(p);
    g_assert_true(g_file_test(save, G_FILE_TEST_EXISTS));
    g_free(args);
    args = g_strdup_printf("restore %s", save);
    g_free(run_ok(args));
    g_unlink(save);
}

static void
test_ctrl_c_aborts_save(void)
{
    g_autofree char *save = NULL, *args = NULL, *state = NULL;
    Pty *p;
    int rc;

    CLI_NEED_DAEMON();
    start_big();
    save = g_build_filename(cli.tmpdir, "big-abort.save", NULL);
    args = g_strdup_printf("save big %s", save);
    /* 2 GiB at speed 2: about 4 s, time enough to press Ctrl-C */
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 2.0)));
    p = pty_spawn(args);
    if (!pty_expect(p, "Save: [", 10000))
        g_error("no progress before Ctrl-C:\n%s", p->buf->str);
    pty_send(p, "\003");
    rc = pty_finish(p, 20000);
    g_assert_true(cli_dbus_call("org.xenvirt.Sim1", "SimSetSpeed", g_variant_new("(d)", 0.0)));
    g_assert_cmpint(rc, ==, 1);
    if (strstr(p->buf->str, "error: Failed to save domain 'big' to ") == NULL ||
        strstr(p->buf->str, "error: Save of domain 'big' was aborted: the domain is unchanged and "
                            "still running, no image was written") == NULL)
        g_error("abort not reported:\n%s", p->buf->str);
    pty_free(p);
    state = run_ok("-q domstate big");
    g_assert_cmpstr(state, ==, "running\n");
    g_assert_false(g_file_test(save, G_FILE_TEST_EXISTS));
    g_free(run_ok("destroy big"));
    g_free(run_ok("undefine big"));
}

int
main(int argc, char **argv)
{
    g_autofree char *why = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!cli_harness_start(&why))
        g_test_message("no daemon: %s", why);
    g_test_add_func("/cli/tty/shell-completion-history", test_shell_completion_history);
    g_test_add_func("/cli/tty/adopt-completion", test_adopt_completion);
    g_test_add_func("/cli/tty/progress-bar", test_progress_bar);
    g_test_add_func("/cli/tty/ctrl-c-aborts-save", test_ctrl_c_aborts_save);
    ret = g_test_run();
    cli_harness_stop();
    return ret;
}
