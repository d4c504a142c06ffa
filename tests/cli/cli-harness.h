/*
 * cli-harness.h: start a private dbus-daemon and the real xenvirtd on a
 * fresh simulated host, run the real xvirsh, compare with golden files.
 *
 * One harness per test process (cli_harness_start() in main, stopped by
 * cli_harness_stop(), every child killed by its PID).  Main thread only.
 * Binaries come from $XV_BUILDDIR (daemon/xenvirtd, cli/xvirsh); golden
 * files from $XV_SRCDIR/tests/clidata; XV_TEST_REGENERATE=1 rewrites them.
 */
#pragma once

#include <glib.h>

typedef struct {
    char *tmpdir;               /* removed at stop */
    char *bus_address;
    GPid bus_pid;
    GPid daemon_pid;
    char *xvirsh;               /* path of the binary */
    char *xenvirtd;
    char **env;                 /* environment for xvirsh */
    gboolean started;           /* cli_harness_start() succeeded */
} CliHarness;

extern CliHarness cli;

/* FALSE (with a message in *why) when a binary is missing. */
gboolean cli_harness_start(char **why);
void cli_harness_stop(void);
gboolean cli_harness_daemon_running(void);

/* In a test function: skip it when the harness could not start. */
#define CLI_NEED_DAEMON()                                                   \
    do {                                                                    \
        if (!cli.started) {                                                 \
            g_test_skip("xenvirtd could not be started (see the first message)"); \
            return;                                                         \
        }                                                                   \
    } while (0)

/* Run xvirsh with a shell-like argument string (after "-c xen:///session"
 * unless args starts with "-c" or offline is requested via env).  Returns
 * the exit status; *out / *err may be NULL. */
int cli_run(const char *args, char **out, char **err);
int cli_run_env(char **env, const char *args, char **out, char **err);

/* Call the daemon directly: gdbus-style method on /org/libvirt/Xen. */
gboolean cli_dbus_call(const char *iface, const char *method, GVariant *params);
/* The same, returning the reply (NULL with *error set on failure). */
GVariant *cli_dbus_call_reply(const char *iface, const char *method, GVariant *params,
                              GError **error);

/* Write a domain XML to the tmp dir (kernel: an existing file). */
char *cli_domain_xml(const char *name, const char *uuid, guint mem_mib, guint vcpus);

/* Normalise values that change from run to run (CPU times, elapsed ms). */
char *cli_normalise(const char *text);

/* Compare `actual` (normalised) with tests/clidata/NAME; regenerates the
 * file when XV_TEST_REGENERATE=1. */
void cli_assert_golden(const char *name, const char *actual);

/* Parse with python3's json module; returns FALSE with the parser's message. */
gboolean cli_json_valid(const char *text, const char *python_check, char **why);
