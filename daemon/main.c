/*
 * main.c: xenvirtd — options, directories, logging, the driver, the D-Bus
 * transport, and signals (SIGTERM: clean stop with state on disk; SIGHUP:
 * reload the configuration).
 */
#include "daemon/daemon.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "drivers/libxl/host-sim.h"

/* ---- logging ---------------------------------------------------------------- */

static GLogLevelFlags log_max_level = G_LOG_LEVEL_MESSAGE;   /* atomic enough: int */
static int log_to_journal = -1;                             /* set once at start */

static int
level_rank(GLogLevelFlags level)
{
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
        return 0;
    if (level & G_LOG_LEVEL_WARNING)
        return 1;
    if (level & G_LOG_LEVEL_MESSAGE)
        return 2;
    if (level & G_LOG_LEVEL_INFO)
        return 3;
    return 4;
}

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
    if (level_rank(level) > level_rank(g_atomic_int_get((gint *)&log_max_level)))
        return G_LOG_WRITER_HANDLED;
    if (log_to_journal == 1 &&
        g_log_writer_journald(level, fields, n_fields, data) == G_LOG_WRITER_HANDLED)
        return G_LOG_WRITER_HANDLED;
    {
        g_autofree char *line = g_log_writer_format_fields(level, fields, n_fields, FALSE);

        fprintf(stderr, "xenvirtd[%d]: %s\n", (int)getpid(), line);
        fflush(stderr);
    }
    return G_LOG_WRITER_HANDLED;
}

static void
apply_log_config(const XvDaemonConfig *cfg, gboolean verbose)
{
    g_atomic_int_set((gint *)&log_max_level, verbose ? G_LOG_LEVEL_DEBUG : cfg->log_level);
    if (g_str_equal(cfg->log_output, "journal"))
        log_to_journal = 1;
    else if (g_str_equal(cfg->log_output, "stderr"))
        log_to_journal = 0;
    else
        log_to_journal = g_log_writer_is_journald(fileno(stderr)) ? 1 : 0;
}

/* ---- signals ---------------------------------------------------------------- */

static gboolean opt_verbose;

static gboolean
drain_tick(gpointer data)
{
    XvDaemon *d = data;
    static gint64 deadline;
    gint64 now = g_get_monotonic_time();

    if (deadline == 0) {
        g_mutex_lock(&d->cfg_lock);
        deadline = now + (gint64)d->cfg.shutdown_wait_s * G_USEC_PER_SEC;
        g_mutex_unlock(&d->cfg_lock);
    }
    if (g_atomic_int_get(&d->n_inflight) == 0 || now >= deadline) {
        g_main_loop_quit(d->loop);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm(gpointer data)
{
    XvDaemon *d = data;

    if (g_atomic_int_get(&d->stopping))
        return G_SOURCE_CONTINUE;
    g_message(_("stopping: no new calls accepted, waiting for %d running calls"),
              g_atomic_int_get(&d->n_inflight));
    xv_daemon_stop_accepting(d);
    g_timeout_add(50, drain_tick, d);
    return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup(gpointer data)
{
    XvDaemon *d = data;
    g_autoptr(GError) error = NULL;
    XvDaemonConfig cfg;

    if (d->config_file == NULL) {
        g_message(_("SIGHUP: no configuration file to reload"));
        return G_SOURCE_CONTINUE;
    }
    g_mutex_lock(&d->cfg_lock);
    cfg = d->cfg;
    cfg.log_output = g_strdup(d->cfg.log_output);
    cfg.access_group = g_strdup(d->cfg.access_group);
    g_mutex_unlock(&d->cfg_lock);
    if (!xv_daemon_config_load(&cfg, d->config_file, &error)) {
        g_warning(_("SIGHUP: configuration not reloaded, keeping the current one: %s"),
                  error->message);
        xv_daemon_config_clear(&cfg);
        return G_SOURCE_CONTINUE;
    }
    g_mutex_lock(&d->cfg_lock);
    xv_daemon_config_clear(&d->cfg);
    d->cfg = cfg;
    g_mutex_unlock(&d->cfg_lock);
    xv_daemon_apply_config(d);
    apply_log_config(&cfg, opt_verbose);
    g_message(_("configuration reloaded from %s"), d->config_file);
    return G_SOURCE_CONTINUE;
}

/* ---- teardown -------------------------------------------------------------------- */

/* Everything the daemon holds, in reverse order of start.  Calls must be
 * over: the slow path's (n_inflight), and the fast path's, which run on
 * GDBus's worker threads and stop starting once d->stopping is set. */
static void
daemon_free(XvDaemon *d)
{
    if (d == NULL)
        return;
    xv_daemon_stop_accepting(d);   /* sets 'stopping', gives the names up */
    while (g_atomic_int_get(&d->n_fast) > 0)
        g_usleep(1000);
    if (d->progress_timer != 0)
        g_source_remove(d->progress_timer);
    if (d->workers != NULL)
        g_thread_pool_free(d->workers, FALSE, TRUE);
    if (d->priority != NULL)
        g_thread_pool_free(d->priority, FALSE, TRUE);
    if (d->drv != NULL)
        xv_driver_close(d->drv);
    if (d->host != NULL)
        xv_host_close(d->host);
    g_clear_object(&d->server);
    if (d->bus != NULL)
        g_dbus_connection_close_sync(d->bus, NULL, NULL);
    g_clear_object(&d->bus);
    g_clear_pointer(&d->conns, g_ptr_array_unref);
    xv_daemon_clear_dispatch(d);
    g_clear_pointer(&d->props, g_hash_table_unref);
    g_clear_pointer(&d->progress, g_hash_table_unref);
    g_clear_pointer(&d->os_types, g_hash_table_unref);
    g_clear_pointer(&d->loop, g_main_loop_unref);
    xv_daemon_config_clear(&d->cfg);
    g_free(d->config_file);
    g_free(d->bus_name);
    g_free(d->hostname);
    g_mutex_clear(&d->cfg_lock);
    g_mutex_clear(&d->conns_lock);
    g_mutex_clear(&d->clients_lock);
    g_mutex_clear(&d->events_lock);
    g_free(d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDaemon, daemon_free)

/* ---- main ---------------------------------------------------------------------- */

static char *
hostname_now(void)
{
    char buf[256] = "";

    if (gethostname(buf, sizeof(buf) - 1) != 0)
        return g_strdup("localhost");
    return g_strdup(buf);
}

int
main(int argc, char **argv)
{
    gboolean opt_system = FALSE, opt_session = FALSE, opt_dump_access = FALSE;
    gboolean opt_no_autostart = FALSE;
    g_autofree char *opt_listen = NULL, *opt_hypervisor = NULL, *opt_config = NULL;
    g_autofree char *opt_config_dir = NULL, *opt_state_dir = NULL, *opt_lib_dir = NULL;
    g_autofree char *opt_root = NULL, *opt_bus_name = NULL;
    GOptionEntry entries[] = {
        { "system", 0, 0, G_OPTION_ARG_NONE, &opt_system, N_("Serve on the system bus"), NULL },
        { "session", 0, 0, G_OPTION_ARG_NONE, &opt_session, N_("Serve on the session bus"), NULL },
        { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
          N_("Serve peer-to-peer D-Bus connections on ADDRESS (e.g. unix:path=/run/xenvirt/sock)"),
          N_("ADDRESS") },
        { "bus-name", 0, 0, G_OPTION_ARG_STRING, &opt_bus_name,
          N_("Bus name to own for the libvirt-dbus API (default org.libvirt); org.xenvirt is owned too"),
          N_("NAME") },
        { "hypervisor", 0, 0, G_OPTION_ARG_STRING, &opt_hypervisor,
          N_("Host backend: libxl, or sim:DIR for a simulated host in DIR"), N_("SPEC") },
        { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config,
          N_("Configuration file (default CONFIG_DIR/xenvirtd.conf when it exists)"), N_("FILE") },
        { "config-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_config_dir,
          N_("Domain definitions and autostart links"), N_("DIR") },
        { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_state_dir,
          N_("Status files, pid file and lock"), N_("DIR") },
        { "lib-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_lib_dir,
          N_("Managed-save images and core dumps"), N_("DIR") },
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &opt_root,
          N_("Put every directory under DIR (etc, run, lib; tests)"), N_("DIR") },
        { "no-autostart", 0, 0, G_OPTION_ARG_NONE, &opt_no_autostart,
          N_("Do not start autostart domains"), NULL },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, N_("Log debug messages"), NULL },
        { "dump-access", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_dump_access,
          "Print the access class of every method and exit", NULL },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *config_dir = NULL, *state_dir = NULL, *lib_dir = NULL, *sim_dir = NULL;
    gboolean privileged = geteuid() == 0;
    g_autoptr(XvDaemon) d = NULL;
    guint sig_ids[3];
    XvDriverOptions dopts;
    libxl_version_info ver;
    gboolean clean;

    setlocale(LC_ALL, "");
    /* XENVIRT_LOCALEDIR: catalogues from a build tree (tests, development). */
    bindtextdomain(GETTEXT_PACKAGE, g_getenv("XENVIRT_LOCALEDIR") != NULL
                                        ? g_getenv("XENVIRT_LOCALEDIR") : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, _("xenvirt management daemon: the libvirt-dbus API for Xen."));
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("xenvirtd: %s\n", error->message);
        return 2;
    }
    if (opt_system && opt_session) {
        g_printerr("xenvirtd: %s\n", _("--system and --session exclude each other"));
        return 2;
    }

    d = g_new0(XvDaemon, 1);
    g_mutex_init(&d->cfg_lock);
    g_mutex_init(&d->conns_lock);
    g_mutex_init(&d->clients_lock);
    g_mutex_init(&d->events_lock);
    xv_daemon_config_init(&d->cfg);
    d->conns = g_ptr_array_new_with_free_func(g_object_unref);
    d->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    d->progress = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    d->os_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    d->bus_name = g_strdup(opt_bus_name != NULL ? opt_bus_name : "org.libvirt");
    g_log_set_writer_func(log_writer, NULL, NULL);

    if (!xv_daemon_setup_dispatch(d, &error)) {
        g_printerr("xenvirtd: %s\n", error->message);
        return 1;
    }
    if (opt_dump_access) {
        xv_daemon_dump_access(d);
        return 0;
    }

    /* Directories: --root, then each override, then system or XDG defaults. */
    if (opt_root != NULL) {
        config_dir = g_build_filename(opt_root, "etc", NULL);
        state_dir = g_build_filename(opt_root, "run", NULL);
        lib_dir = g_build_filename(opt_root, "lib", NULL);
    } else if (privileged) {
        /* /etc/xenvirt, /run/xenvirt, /var/lib/xenvirt with prefix /usr:
         * where meson install puts xenvirtd.conf. */
        config_dir = g_build_filename(SYSCONFDIR, "xenvirt", NULL);
        state_dir = g_build_filename(RUNSTATEDIR, "xenvirt", NULL);
        lib_dir = g_build_filename(LOCALSTATEDIR, "lib", "xenvirt", NULL);
    } else {
        config_dir = g_build_filename(g_get_user_config_dir(), "xenvirt", NULL);
        state_dir = g_build_filename(g_get_user_runtime_dir(), "xenvirt", NULL);
        lib_dir = g_build_filename(g_get_user_data_dir(), "xenvirt", NULL);
    }
    if (opt_config_dir != NULL)
        g_free(config_dir), config_dir = g_strdup(opt_config_dir);
    if (opt_state_dir != NULL)
        g_free(state_dir), state_dir = g_strdup(opt_state_dir);
    if (opt_lib_dir != NULL)
        g_free(lib_dir), lib_dir = g_strdup(opt_lib_dir);

    if (opt_config != NULL) {
        d->config_file = g_strdup(opt_config);
    } else {
        g_autofree char *def = g_build_filename(config_dir, "xenvirtd.conf", NULL);

        if (g_file_test(def, G_FILE_TEST_EXISTS))
            d->config_file = g_steal_pointer(&def);
    }
    if (d->config_file != NULL && !xv_daemon_config_load(&d->cfg, d->config_file, &error)) {
        g_printerr("xenvirtd: %s\n", error->message);
        return 1;
    }
    apply_log_config(&d->cfg, opt_verbose);

    /* The host, then the driver (which takes the state-dir lock). */
    sim_dir = g_build_filename(lib_dir, "sim-host", NULL);
    d->host = xv_host_open(opt_hypervisor, sim_dir, &error);
    if (d->host == NULL) {
        g_critical(_("cannot open the hypervisor: %s"), error->message);
        return 1;
    }
    d->is_sim = xv_host_is_sim(d->host);
    d->hostname = hostname_now();
    if (xv_host_get_version(d->host, &ver, NULL) == 0) {
        d->hv_version = (guint64)ver.xen_version_major * 1000000 +
                        (guint64)ver.xen_version_minor * 1000;
        libxl_version_info_dispose(&ver);
    }

    xv_driver_options_init(&dopts);
    dopts.config_dir = config_dir;
    dopts.state_dir = state_dir;
    dopts.lib_dir = lib_dir;
    dopts.host = d->host;
    dopts.max_async_jobs = d->cfg.max_async_jobs;
    dopts.job_wait_us = d->cfg.job_wait_us;
    dopts.max_job_waiters = d->cfg.max_queued_per_domain;
    dopts.no_autostart = opt_no_autostart;
    dopts.listener = xv_daemon_on_driver_event;
    dopts.listener_data = d;
    d->drv = xv_driver_open(&dopts, &error);
    if (d->drv == NULL) {
        g_critical(_("cannot start: %s"), error->message);
        return 1;
    }
    {
        /* Prime the property cache so that changes, not the initial state,
         * become PropertiesChanged signals. */
        g_autoptr(GPtrArray) doms = xv_driver_list_domains(d->drv, 0, NULL);

        for (guint i = 0; doms != NULL && i < doms->len; i++)
            xv_daemon_domain_changed(d, g_ptr_array_index(doms, i));
    }

    d->workers = g_thread_pool_new(xv_daemon_pool_func, d, (int)d->cfg.worker_threads, FALSE,
                                   NULL);
    d->priority = g_thread_pool_new(xv_daemon_pool_func, d, (int)d->cfg.priority_threads,
                                    FALSE, NULL);
    xv_daemon_apply_config(d);

    d->loop = g_main_loop_new(NULL, FALSE);
    sig_ids[0] = g_unix_signal_add(SIGTERM, on_sigterm, d);
    sig_ids[1] = g_unix_signal_add(SIGINT, on_sigterm, d);
    sig_ids[2] = g_unix_signal_add(SIGHUP, on_sighup, d);

    if (opt_listen != NULL && !xv_daemon_start_listen(d, opt_listen, &error)) {
        g_critical("%s", error->message);
        return 1;
    }
    if (opt_system || opt_session || opt_listen == NULL) {
        GBusType type = opt_system ? G_BUS_TYPE_SYSTEM
                        : opt_session ? G_BUS_TYPE_SESSION
                        : privileged ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION;

        if (!xv_daemon_start_bus(d, type, &error)) {
            g_critical(_("cannot connect to the D-Bus %1$s bus: %2$s"),
                       type == G_BUS_TYPE_SYSTEM ? "system" : "session", error->message);
            return 1;
        }
    }
    g_message(_("xenvirtd %1$s started on the %2$s host (state in %3$s)"), PACKAGE_VERSION,
              d->is_sim ? "simulated" : "Xen", state_dir);

    g_main_loop_run(d->loop);

    /* Stopping: calls no longer accepted. */
    clean = g_atomic_int_get(&d->n_inflight) == 0;
    if (d->bus != NULL)
        g_dbus_connection_flush_sync(d->bus, NULL, NULL);
    if (!clean) {
        /* Jobs still running past shutdown_wait: their job records are in
         * the status files; the next start finishes or rolls them back. */
        g_warning(_("exiting with %d calls still running; their jobs are recorded in %s for recovery"),
                  g_atomic_int_get(&d->n_inflight), state_dir);
        _exit(0);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(sig_ids); i++)
        g_source_remove(sig_ids[i]);
    g_clear_pointer(&d, daemon_free);
    g_message(_("stopped; domains keep running"));
    return 0;
}
