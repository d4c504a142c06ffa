/*
 * test-host-libxl-open.c: opening the libxl backend on a machine that is
 * not a Xen dom0 fails cleanly.
 *
 * Unlike test-host-libxl, this binary links the real Xen libraries with no
 * fake handles, so libxl_ctx_alloc really tries to open the hypervisor.
 */
#include <string.h>

#include <glib.h>

#include "drivers/libxl/host-libxl.h"
#include "util/xv-error.h"

static GMutex log_lock;
static guint libxl_warnings;        /* protected by log_lock */
static char *first_libxl_message;   /* protected by log_lock */

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
    const char *domain = NULL, *message = NULL;

    for (gsize i = 0; i < n_fields; i++) {
        if (g_str_equal(fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
        else if (g_str_equal(fields[i].key, "MESSAGE"))
            message = fields[i].value;
    }
    if (g_strcmp0(domain, XV_HOST_LIBXL_LOG_DOMAIN) == 0) {
        /* libxl's errors are warnings in the daemon's log; recorded here
         * rather than made fatal by G_DEBUG=fatal-warnings. */
        g_mutex_lock(&log_lock);
        if (level & G_LOG_LEVEL_WARNING)
            libxl_warnings++;
        if (first_libxl_message == NULL && message != NULL)
            first_libxl_message = g_strdup(message);
        g_mutex_unlock(&log_lock);
        return G_LOG_WRITER_HANDLED;
    }
    return g_log_writer_default(level, fields, n_fields, data);
}

static gboolean
machine_is_dom0(void)
{
    return g_file_test("/dev/xen/privcmd", G_FILE_TEST_EXISTS) ||
           g_file_test("/proc/xen/privcmd", G_FILE_TEST_EXISTS);
}

static void
test_open_not_dom0(void)
{
    if (machine_is_dom0()) {
        g_test_skip("this machine is a Xen dom0: opening the hypervisor would succeed");
        return;
    }
    /* Twice: a failed open leaves nothing behind that blocks the next. */
    for (int i = 0; i < 2; i++) {
        g_autoptr(GError) error = NULL;
        XvHost *host = xv_host_libxl_open(&error);

        g_assert_null(host);
        g_assert_error(error, XV_ERROR, XV_ERROR_NO_SUPPORT);
        g_assert_true(g_str_has_prefix(error->message, "cannot open the Xen hypervisor: "));
        g_assert_true(g_str_has_suffix(error->message, ": is this machine a Xen dom0?"));
        /* libxl's (or libxc's) own reason is in the middle. */
        g_assert_cmpuint(strlen(error->message), >,
                         strlen("cannot open the Xen hypervisor: : is this machine a Xen dom0?"));
        g_test_message("%s", error->message);
    }
    g_mutex_lock(&log_lock);
    g_assert_cmpuint(libxl_warnings, >=, 1);
    g_assert_nonnull(first_libxl_message);
    g_mutex_unlock(&log_lock);
}

/* Through the port's selector, the same clean error. */
static void
test_open_port(void)
{
    g_autoptr(GError) error = NULL;
    XvHost *host;

    if (machine_is_dom0()) {
        g_test_skip("this machine is a Xen dom0: opening the hypervisor would succeed");
        return;
    }
    host = xv_host_open("libxl", NULL, &error);
    g_assert_null(host);
    g_assert_error(error, XV_ERROR, XV_ERROR_NO_SUPPORT);
    g_assert_nonnull(strstr(error->message, "is this machine a Xen dom0?"));
}

int
main(int argc, char **argv)
{
    g_log_set_writer_func(log_writer, NULL, NULL);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-libxl/open/not-dom0", test_open_not_dom0);
    g_test_add_func("/host-libxl/open/port", test_open_port);
    return g_test_run();
}
