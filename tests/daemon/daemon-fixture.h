/*
 * daemon-fixture.h: a private dbus-daemon and the real xenvirtd (from
 * XV_BUILDDIR) on a fresh simulated host in a temporary directory, torn
 * down by PID; shared by the daemon integration tests and bench-dbus.
 *
 * Single-threaded: one fixture per test, used from the test's thread.
 */
#pragma once

#include <gio/gio.h>

typedef struct {
    char *tmp;            /* temp dir, removed at teardown */
    char *bus_addr;       /* unix:path=TMP/bus */
    char *p2p_addr;       /* unix:path=TMP/p2p */
    char *images;         /* TMP/images: kernels and disks of the samples */
    char *config;         /* TMP/xenvirtd.conf or NULL */
    GPid bus_pid;
    GPid daemon_pid;
    GDBusConnection *conn;    /* to the private bus */
    GPtrArray *signals;       /* GVariant (sos@*) member, path, params */
    guint sub_id;
} XvFixture;

/* FALSE (with a message for g_test_skip) when dbus-daemon or xenvirtd is
 * missing. 'config' (may be NULL): xenvirtd.conf contents.  Teardown stops
 * xenvirtd with SIGTERM and fails (printing its log) unless it exits 0. */
gboolean xv_fixture_setup(XvFixture *fx, const char *config, char **skip_reason);
void xv_fixture_teardown(XvFixture *fx);
/* Start / stop xenvirtd alone (the bus stays).  stop: signal, then wait;
 * returns the exit status (or -1 if it had to be killed). */
gboolean xv_fixture_start_daemon(XvFixture *fx, GError **error);
int xv_fixture_stop_daemon(XvFixture *fx, int sig);

/* Sample domain XML from data/domains with its files under fx->images. */
char *xv_fixture_domain_xml(XvFixture *fx, const char *name);
/* web1's XML as another domain: name 'name', UUID 4f2a7c1e-5d3b-4a8e-9c6f-N
 * (N: 12 decimal digits), no MAC addresses (the driver makes them). */
char *xv_fixture_clone_xml(XvFixture *fx, const char *name, guint n);
/* The object path of that clone. */
char *xv_fixture_clone_path(guint n);
/* The daemon's log so far (stderr of every start in this fixture). */
char *xv_fixture_daemon_log(XvFixture *fx);

GVariant *xv_fixture_call(XvFixture *fx, const char *path, const char *iface,
                          const char *method, GVariant *args, GError **error);
