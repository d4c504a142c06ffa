/* host.c: backend selection, dispatch, long-operation handles and events. */
#include "drivers/libxl/host.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "drivers/libxl/host-sim.h"
#if WITH_LIBXL_BACKEND
#include "drivers/libxl/host-libxl.h"
#endif
#include "util/xv-error.h"

/* ---- XvHostOp ----------------------------------------------------------- */

struct _XvHostOp {
    gint refs;                      /* atomic */
    gint aborted;                   /* atomic */
    XvHostProgressFunc progress;    /* immutable */
    gpointer progress_data;         /* immutable */
    GMutex lock;
    void (*abort_hook)(gpointer);   /* protected by lock */
    gpointer abort_data;            /* protected by lock */
};

XvHostOp *
xv_host_op_new(XvHostProgressFunc progress, gpointer user_data)
{
    XvHostOp *op = g_new0(XvHostOp, 1);

    op->refs = 1;
    op->progress = progress;
    op->progress_data = user_data;
    g_mutex_init(&op->lock);
    return op;
}

XvHostOp *
xv_host_op_ref(XvHostOp *op)
{
    g_atomic_int_inc(&op->refs);
    return op;
}

void
xv_host_op_unref(XvHostOp *op)
{
    if (op == NULL || !g_atomic_int_dec_and_test(&op->refs))
        return;
    g_mutex_clear(&op->lock);
    g_free(op);
}

void
xv_host_op_abort(XvHostOp *op)
{
    void (*hook)(gpointer) = NULL;
    gpointer data = NULL;

    g_atomic_int_set(&op->aborted, 1);
    g_mutex_lock(&op->lock);
    hook = op->abort_hook;
    data = op->abort_data;
    g_mutex_unlock(&op->lock);
    if (hook != NULL)
        hook(data);
}

gboolean
xv_host_op_is_aborted(XvHostOp *op)
{
    return op != NULL && g_atomic_int_get(&op->aborted);
}

void
xv_host_op_report(XvHostOp *op, guint64 processed, guint64 total)
{
    if (op != NULL && op->progress != NULL)
        op->progress(op, processed, total, op->progress_data);
}

void
xv_host_op_set_abort_hook(XvHostOp *op, void (*hook)(gpointer data), gpointer data)
{
    gboolean fire;

    g_mutex_lock(&op->lock);
    op->abort_hook = hook;
    op->abort_data = data;
    fire = hook != NULL && g_atomic_int_get(&op->aborted);
    g_mutex_unlock(&op->lock);
    /* An abort that came before the hook was installed still reaches the
     * backend. */
    if (fire)
        hook(data);
}

/* ---- opening ------------------------------------------------------------ */

static gboolean
host_is_xen_dom0(void)
{
    return g_file_test("/dev/xen/privcmd", G_FILE_TEST_EXISTS) ||
           g_file_test("/proc/xen/privcmd", G_FILE_TEST_EXISTS);
}

XvHost *
xv_host_open(const char *spec, const char *default_sim_dir, GError **error)
{
    XvHost *host = NULL;

    if (spec == NULL)
        spec = host_is_xen_dom0() ? "libxl" : NULL;

    if (spec == NULL) {
        if (default_sim_dir == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("No hypervisor was found and no directory was given for a simulated host."));
            return NULL;
        }
        host = xv_host_sim_open(default_sim_dir, error);
    } else if (g_str_has_prefix(spec, "sim:")) {
        if (spec[4] == '\0') {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("The hypervisor 'sim:' needs a directory, as in 'sim:/var/lib/xenvirt/sim'."));
            return NULL;
        }
        host = xv_host_sim_open(spec + 4, error);
    } else if (g_str_equal(spec, "libxl")) {
#if WITH_LIBXL_BACKEND
        host = xv_host_libxl_open(error);
#else
        g_set_error(error, XV_ERROR, XV_ERROR_NO_SUPPORT,
                    _("This xenvirt was built without the libxl backend."));
        return NULL;
#endif
    } else {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Unknown hypervisor '%s': use 'libxl' or 'sim:DIR'."), spec);
        return NULL;
    }
    if (host != NULL && host->event_context == NULL)
        host->event_context = g_main_context_ref_thread_default();
    return host;
}

void
xv_host_close(XvHost *host)
{
    GMainContext *ctx;

    if (host == NULL)
        return;
    ctx = host->event_context;
    host->ops->close(host);
    if (ctx != NULL)
        g_main_context_unref(ctx);
}

const char *
xv_host_name(XvHost *host)
{
    return host->ops->name;
}

/* ---- events ------------------------------------------------------------- */

typedef struct {
    XvHost *host;
    XvHostEvent event;
} HostEventDelivery;

static gboolean
host_event_deliver(gpointer data)
{
    HostEventDelivery *d = data;

    if (d->host->event_func != NULL)
        d->host->event_func(d->host, &d->event, d->host->event_data);
    return G_SOURCE_REMOVE;
}

void
xv_host_set_event_handler(XvHost *host, XvHostEventFunc func, gpointer user_data)
{
    host->event_func = func;
    host->event_data = user_data;
}

void
xv_host_emit_event(XvHost *host, const XvHostEvent *event)
{
    HostEventDelivery *d = g_new0(HostEventDelivery, 1);

    d->host = host;
    d->event = *event;
    g_main_context_invoke_full(host->event_context, G_PRIORITY_DEFAULT,
                               host_event_deliver, d, g_free);
}

/* ---- helpers ------------------------------------------------------------ */

void
xv_host_bitmap_alloc(libxl_bitmap *map, guint nbits)
{
    guint bytes = MAX(1u, (nbits + 7) / 8);

    libxl_bitmap_init(map);
    map->map = calloc(bytes, 1);
    if (map->map == NULL)
        g_error("out of memory allocating a %u-bit map", nbits);
    map->size = bytes;
}

/* ---- dispatch ----------------------------------------------------------- */

int
xv_host_get_physinfo(XvHost *host, libxl_physinfo *out, GError **error)
{
    return host->ops->get_physinfo(host, out, error);
}

int
xv_host_get_version(XvHost *host, libxl_version_info *out, GError **error)
{
    return host->ops->get_version(host, out, error);
}

int
xv_host_get_scheduler(XvHost *host, libxl_scheduler *out, GError **error)
{
    return host->ops->get_scheduler(host, out, error);
}

int
xv_host_list_domains(XvHost *host, libxl_dominfo **out, int *n_out, GError **error)
{
    return host->ops->list_domains(host, out, n_out, error);
}

int
xv_host_domain_info(XvHost *host, uint32_t domid, libxl_dominfo *out, GError **error)
{
    return host->ops->domain_info(host, domid, out, error);
}

int
xv_host_create_new(XvHost *host, libxl_domain_config *config, gboolean paused,
                   uint32_t *domid_out, XvHostOp *op, GError **error)
{
    return host->ops->create_new(host, config, paused, domid_out, op, error);
}

int
xv_host_create_restore(XvHost *host, libxl_domain_config *config, gboolean paused,
                       int fd, uint32_t *domid_out, XvHostOp *op, GError **error)
{
    return host->ops->create_restore(host, config, paused, fd, domid_out, op, error);
}

int
xv_host_destroy(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->destroy(host, domid, error);
}

int
xv_host_shutdown(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->shutdown(host, domid, error);
}

int
xv_host_reboot(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->reboot(host, domid, error);
}

int
xv_host_pause(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->pause(host, domid, error);
}

int
xv_host_unpause(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->unpause(host, domid, error);
}

int
xv_host_suspend(XvHost *host, uint32_t domid, int fd, int flags, XvHostOp *op,
                GError **error)
{
    return host->ops->suspend(host, domid, fd, flags, op, error);
}

int
xv_host_core_dump(XvHost *host, uint32_t domid, const char *path, XvHostOp *op,
                  GError **error)
{
    return host->ops->core_dump(host, domid, path, op, error);
}

int
xv_host_set_vcpu_affinity(XvHost *host, uint32_t domid, uint32_t vcpu,
                          const libxl_bitmap *hard, GError **error)
{
    return host->ops->set_vcpu_affinity(host, domid, vcpu, hard, error);
}

int
xv_host_list_vcpus(XvHost *host, uint32_t domid, libxl_vcpuinfo **out,
                   int *nr_vcpus_out, GError **error)
{
    return host->ops->list_vcpus(host, domid, out, nr_vcpus_out, error);
}

int
xv_host_set_vcpus_online(XvHost *host, uint32_t domid, const libxl_bitmap *online,
                         GError **error)
{
    return host->ops->set_vcpus_online(host, domid, online, error);
}

int
xv_host_set_memory_target(XvHost *host, uint32_t domid, uint64_t target_kb, GError **error)
{
    return host->ops->set_memory_target(host, domid, target_kb, error);
}

int
xv_host_set_max_memory(XvHost *host, uint32_t domid, uint64_t max_kb, GError **error)
{
    return host->ops->set_max_memory(host, domid, max_kb, error);
}

int
xv_host_sched_params_get(XvHost *host, uint32_t domid, libxl_domain_sched_params *out,
                         GError **error)
{
    return host->ops->sched_params_get(host, domid, out, error);
}

int
xv_host_sched_params_set(XvHost *host, uint32_t domid,
                         const libxl_domain_sched_params *params, GError **error)
{
    return host->ops->sched_params_set(host, domid, params, error);
}

int
xv_host_retrieve_config(XvHost *host, uint32_t domid, libxl_domain_config *out,
                        GError **error)
{
    return host->ops->retrieve_config(host, domid, out, error);
}

int
xv_host_watch_domain(XvHost *host, uint32_t domid, GError **error)
{
    return host->ops->watch_domain(host, domid, error);
}

void
xv_host_unwatch_domain(XvHost *host, uint32_t domid)
{
    host->ops->unwatch_domain(host, domid);
}
