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
    GCond hook_done;                /* signalled when hook_calls drops */
    void (*abort_hook)(gpointer);   /* protected by lock */
    gpointer abort_data;            /* protected by lock */
    guint hook_calls;               /* protected by lock: hook calls in progress */
};

XvHostOp *
xv_host_op_new(XvHostProgressFunc progress, gpointer user_data)
{
    XvHostOp *op = g_new0(XvHostOp, 1);

    op->refs = 1;
    op->progress = progress;
    op->progress_data = user_data;
    g_mutex_init(&op->lock);
    g_cond_init(&op->hook_done);
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
    g_cond_clear(&op->hook_done);
    g_mutex_clear(&op->lock);
    g_free(op);
}

/* Call the installed hook, if any, without holding the lock; clearing the
 * hook waits for this call to return. */
static void
op_call_hook(XvHostOp *op)
{
    void (*hook)(gpointer);
    gpointer data;

    g_mutex_lock(&op->lock);
    hook = op->abort_hook;
    data = op->abort_data;
    if (hook != NULL)
        op->hook_calls++;
    g_mutex_unlock(&op->lock);
    if (hook == NULL)
        return;
    hook(data);
    g_mutex_lock(&op->lock);
    op->hook_calls--;
    g_cond_broadcast(&op->hook_done);
    g_mutex_unlock(&op->lock);
}

void
xv_host_op_abort(XvHostOp *op)
{
    g_atomic_int_set(&op->aborted, 1);
    op_call_hook(op);
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
    g_mutex_lock(&op->lock);
    while (op->hook_calls > 0)
        g_cond_wait(&op->hook_done, &op->lock);
    op->abort_hook = hook;
    op->abort_data = data;
    g_mutex_unlock(&op->lock);
    /* An abort that came before the hook was installed still reaches the
     * backend. */
    if (hook != NULL && g_atomic_int_get(&op->aborted))
        op_call_hook(op);
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

/* Shared between a host and the deliveries it queued: a delivery that runs
 * after the host closed finds host == NULL and drops the event. */
struct _XvHostEventSink {
    gint refs;                      /* atomic */
    GMutex lock;                    /* held while delivering: close waits */
    XvHost *host;                   /* protected by lock; NULL once closed */
};

static struct _XvHostEventSink *
event_sink_ref(struct _XvHostEventSink *sink)
{
    g_atomic_int_inc(&sink->refs);
    return sink;
}

static void
event_sink_unref(gpointer data)
{
    struct _XvHostEventSink *sink = data;

    if (sink == NULL || !g_atomic_int_dec_and_test(&sink->refs))
        return;
    g_mutex_clear(&sink->lock);
    g_free(sink);
}

void
xv_host_close(XvHost *host)
{
    GMainContext *ctx;
    struct _XvHostEventSink *sink;

    if (host == NULL)
        return;
    ctx = host->event_context;
    sink = host->event_sink;
    if (sink != NULL) {
        g_mutex_lock(&sink->lock);
        sink->host = NULL;
        g_mutex_unlock(&sink->lock);
    }
    host->ops->close(host);
    event_sink_unref(sink);
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
    struct _XvHostEventSink *sink;  /* owned reference */
    XvHostEvent event;
} HostEventDelivery;

static void
host_event_delivery_free(gpointer data)
{
    HostEventDelivery *d = data;

    event_sink_unref(d->sink);
    g_free(d);
}

static gboolean
host_event_deliver(gpointer data)
{
    HostEventDelivery *d = data;
    struct _XvHostEventSink *sink = d->sink;

    g_mutex_lock(&sink->lock);
    if (sink->host != NULL && sink->host->event_func != NULL)
        sink->host->event_func(sink->host, &d->event, sink->host->event_data);
    g_mutex_unlock(&sink->lock);
    return G_SOURCE_REMOVE;
}

void
xv_host_set_event_handler(XvHost *host, XvHostEventFunc func, gpointer user_data)
{
    if (host->event_sink == NULL) {
        host->event_sink = g_new0(struct _XvHostEventSink, 1);
        host->event_sink->refs = 1;
        g_mutex_init(&host->event_sink->lock);
        host->event_sink->host = host;
    }
    g_mutex_lock(&host->event_sink->lock);
    host->event_func = func;
    host->event_data = user_data;
    g_mutex_unlock(&host->event_sink->lock);
}

void
xv_host_emit_event(XvHost *host, const XvHostEvent *event)
{
    HostEventDelivery *d;
    GSource *source;

    /* No handler was ever set: nobody listens. */
    if (host->event_sink == NULL)
        return;
    d = g_new0(HostEventDelivery, 1);
    d->sink = event_sink_ref(host->event_sink);
    d->event = *event;
    /* Always queued, never called in place: the emitting backend may hold
     * its own locks, and the handler may call back into the host. */
    source = g_idle_source_new();
    g_source_set_priority(source, G_PRIORITY_DEFAULT);
    g_source_set_callback(source, host_event_deliver, d, host_event_delivery_free);
    g_source_set_static_name(source, "xenvirt host event");
    g_source_attach(source, host->event_context);
    g_source_unref(source);
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

/* ---- devices, rename, boot id ------------------------------------------- */

void
xv_host_device_dispose(XvHostDevice *dev)
{
    switch (dev->kind) {
    case XV_HOST_DEVICE_DISK:
        libxl_device_disk_dispose(&dev->u.disk);
        libxl_device_disk_init(&dev->u.disk);
        break;
    case XV_HOST_DEVICE_NIC:
        libxl_device_nic_dispose(&dev->u.nic);
        libxl_device_nic_init(&dev->u.nic);
        break;
    case XV_HOST_DEVICE_PCI:
        libxl_device_pci_dispose(&dev->u.pci);
        libxl_device_pci_init(&dev->u.pci);
        break;
    case XV_HOST_DEVICE_USBDEV:
        libxl_device_usbdev_dispose(&dev->u.usbdev);
        libxl_device_usbdev_init(&dev->u.usbdev);
        break;
    case XV_HOST_DEVICE_USBCTRL:
        libxl_device_usbctrl_dispose(&dev->u.usbctrl);
        libxl_device_usbctrl_init(&dev->u.usbctrl);
        break;
    }
}

int
xv_host_device_add(XvHost *host, uint32_t domid, XvHostDevice *dev, GError **error)
{
    return host->ops->device_add(host, domid, dev, error);
}

int
xv_host_device_remove(XvHost *host, uint32_t domid, const XvHostDevice *dev, GError **error)
{
    return host->ops->device_remove(host, domid, dev, error);
}

int
xv_host_cdrom_insert(XvHost *host, uint32_t domid, libxl_device_disk *disk, GError **error)
{
    return host->ops->cdrom_insert(host, domid, disk, error);
}

int
xv_host_domain_rename(XvHost *host, uint32_t domid, const char *old_name,
                      const char *new_name, GError **error)
{
    return host->ops->domain_rename(host, domid, old_name, new_name, error);
}

int
xv_host_domain_preserve(XvHost *host, uint32_t domid, const char *name, const char *suffix,
                        const libxl_uuid *new_uuid, GError **error)
{
    return host->ops->domain_preserve(host, domid, name, suffix, new_uuid, error);
}

int
xv_host_get_boot_id(XvHost *host, char **out, GError **error)
{
    return host->ops->get_boot_id(host, out, error);
}
