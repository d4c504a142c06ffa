/*
 * driver.c: the driver object, host information, the domain list and the
 * reads that never wait, definitions, autostart, job info, adoption.
 *
 * Lifecycle operations live in domain-lifecycle.c, save/restore/dump in
 * domain-save.c, tuning in domain-tune.c, files and recovery in
 * domain-persist.c.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"
#include "util/xv-file.h"

/* ---- helpers shared by the domain-*.c files ----------------------------- */

void
xv_driver_emit(XvDriver *drv, XvDomainObj *dom, int event_id, int event, int detail)
{
    XvDriverEvent ev = { 0 };

    if (drv->listener == NULL)
        return;
    ev.event_id = event_id;
    ev.event = event;
    ev.detail = detail;
    ev.dom = dom;
    ev.name = dom->name;
    ev.uuid = dom->uuid;
    ev.id = xv_domain_obj_get_id(dom);
    drv->listener(drv, &ev, drv->listener_data);
}

/* FALSE when 'removed' (read under dom->lock) says the domain has gone. */
static gboolean
check_listed(XvDomainObj *dom, gboolean removed, GError **error)
{
    if (removed) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN,
                    _("domain '%1$s' (uuid %2$s) no longer exists"), dom->name, dom->uuid_str);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_driver_check_dom(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    gboolean removed;

    if (dom->is_dom0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("Domain-0 is the host's control domain and cannot be managed through xenvirt"));
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    removed = dom->removed;
    g_mutex_unlock(&dom->lock);
    return check_listed(dom, removed, error);
}

gboolean
xv_driver_check_flags(guint flags, guint allowed, GError **error)
{
    if ((flags & ~allowed) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("unsupported flags (0x%x)"), flags & ~allowed);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_driver_resolve_affect(XvDomainObj *dom, guint flags, gboolean *live, gboolean *config,
                         GError **error)
{
    gboolean active, persistent;

    g_mutex_lock(&dom->lock);
    active = dom->domid >= 0;
    persistent = dom->persistent;
    g_mutex_unlock(&dom->lock);

    *live = (flags & VIR_DOMAIN_AFFECT_LIVE) != 0;
    *config = (flags & VIR_DOMAIN_AFFECT_CONFIG) != 0;
    if (!*live && !*config) {
        if (active)
            *live = TRUE;
        else
            *config = TRUE;
    }
    if (*live && !active) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' is not running"), dom->name);
        return FALSE;
    }
    if (*config && !persistent) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot change the persistent configuration of transient domain '%s'"),
                    dom->name);
        return FALSE;
    }
    return TRUE;
}

void
xv_driver_conf_options(XvDriver *drv, XvLibxlConfOptions *opts)
{
    xv_libxl_conf_options_init(opts);
    opts->host_cpus = drv->host_cpus;
    opts->host_numa_nodes = drv->host_nodes;
}

/* ---- the job listener --------------------------------------------------- */

static void requeue_deferred(XvDriver *drv);

static void
on_job_event(XvJobSlot *slot, gpointer owner, XvJobEvent event, const XvJobInfo *info,
             gpointer user_data)
{
    XvDriver *drv = user_data;
    XvDomainObj *dom = owner;

    if (event == XV_JOB_EVENT_PROGRESS)
        return;
    /* The record (or its absence) goes to the status file at once, so that
     * a driver killed from here on knows what was in flight. */
    xv_persist_write_status_or_warn(drv, dom);
    if (event == XV_JOB_EVENT_COMPLETED)
        requeue_deferred(drv);
    if (event == XV_JOB_EVENT_COMPLETED && drv->listener != NULL) {
        XvDriverEvent ev = { 0 };

        ev.event_id = VIR_DOMAIN_EVENT_ID_JOB_COMPLETED;
        ev.dom = dom;
        ev.name = dom->name;
        ev.uuid = dom->uuid;
        ev.id = xv_domain_obj_get_id(dom);
        ev.job = info;
        drv->listener(drv, &ev, drv->listener_data);
    }
}

/* ---- open / close ------------------------------------------------------- */

void
xv_driver_options_init(XvDriverOptions *opts)
{
    memset(opts, 0, sizeof(*opts));
}

static XvDomainDef *
dom0_def_new(const libxl_dominfo *info)
{
    XvDomainDef *def = xv_domain_def_new();

    def->name = g_strdup("Domain-0");
    def->id = 0;
    def->os.type = XV_DOMAIN_OS_XEN;
    def->memory_kb = info->max_memkb != 0 && info->max_memkb != G_MAXUINT64 &&
                     info->max_memkb >= info->current_memkb
                     ? info->max_memkb : info->current_memkb;
    def->current_memory_kb = info->current_memkb;
    def->maxvcpus = info->vcpu_max_id + 1;
    def->vcpus = MAX(1u, info->vcpu_online);
    xv_domain_def_post_parse(def, NULL);
    return def;
}

static gboolean
driver_add_dom0(XvDriver *drv, GError **error)
{
    libxl_dominfo info;
    guchar uuid[XV_UUID_BUFLEN] = { 0 };
    XvDomainObj *dom;
    XvDomainDef *def;
    gboolean ok;

    if (xv_host_domain_info(drv->host, 0, &info, error) != 0) {
        xv_error_prefix(error, _("cannot read Domain-0: "));
        return FALSE;
    }
    def = dom0_def_new(&info);
    dom = xv_domain_obj_new("Domain-0", uuid, drv->jobs);
    dom->is_dom0 = TRUE;
    dom->live_def = xv_def_ref_new(def);
    dom->persistent = TRUE;
    dom->state = VIR_DOMAIN_RUNNING;
    dom->reason = VIR_DOMAIN_RUNNING_BOOTED;
    dom->cpu_time_ns = info.cpu_time;
    dom->cur_mem_kb = info.current_memkb;
    dom->max_mem_kb = def->memory_kb;
    dom->cur_vcpus = def->vcpus;
    dom->domid = 0;
    libxl_dominfo_dispose(&info);
    g_rw_lock_writer_lock(&drv->list.lock);
    ok = xv_domain_list_add_locked(&drv->list, dom, error);
    g_rw_lock_writer_unlock(&drv->list.lock);
    drv->dom0 = dom;   /* the list holds a reference; this one is ours */
    return ok;
}

static gboolean
driver_probe_host(XvDriver *drv, GError **error)
{
    libxl_physinfo phys;

    if (xv_host_get_physinfo(drv->host, &phys, error) != 0) {
        xv_error_prefix(error, _("cannot read the host's physical information: "));
        return FALSE;
    }
    drv->host_cpus = phys.nr_cpus;
    drv->host_nodes = phys.nr_nodes;
    libxl_physinfo_dispose(&phys);
    if (xv_host_get_scheduler(drv->host, &drv->scheduler, error) != 0) {
        xv_error_prefix(error, _("cannot read the host's scheduler: "));
        return FALSE;
    }
    return TRUE;
}

static void event_worker(gpointer data, gpointer user_data);

XvDriver *
xv_driver_open(const XvDriverOptions *opts, GError **error)
{
    g_autoptr(XvDriver) drv = NULL;
    const char *dirs[6];

    g_return_val_if_fail(opts->config_dir != NULL && opts->state_dir != NULL &&
                         opts->lib_dir != NULL && opts->host != NULL, NULL);

    drv = g_new0(XvDriver, 1);
    drv->lock_fd = -1;
    g_mutex_init(&drv->ev_lock);
    g_cond_init(&drv->ev_cond);
    drv->deferred = g_ptr_array_new_with_free_func(g_free);
    g_mutex_init(&drv->bw_lock);
    g_cond_init(&drv->bw_cond);
    drv->bw_pending = g_hash_table_new_full(NULL, NULL, (GDestroyNotify)xv_domain_obj_unref,
                                            g_free);
    xv_domain_list_init(&drv->list);
    drv->config_dir = g_strdup(opts->config_dir);
    drv->state_dir = g_strdup(opts->state_dir);
    drv->lib_dir = g_strdup(opts->lib_dir);
    drv->domains_dir = g_build_filename(opts->config_dir, "domains", NULL);
    drv->autostart_dir = g_build_filename(opts->config_dir, "autostart", NULL);
    drv->save_dir = g_build_filename(opts->lib_dir, "save", NULL);
    drv->dump_dir = g_build_filename(opts->lib_dir, "dump", NULL);
    drv->host = opts->host;
    drv->listener = opts->listener;
    drv->listener_data = opts->listener_data;

    dirs[0] = drv->domains_dir;
    dirs[1] = drv->autostart_dir;
    dirs[2] = drv->state_dir;
    dirs[3] = drv->save_dir;
    dirs[4] = drv->dump_dir;
    dirs[5] = NULL;
    for (guint i = 0; dirs[i] != NULL; i++) {
        if (!xv_file_mkdir(dirs[i], 0700, error))
            return NULL;
    }
    if (!xv_persist_lock_state_dir(drv, error))
        return NULL;

    drv->jobs = xv_job_host_new(opts->max_async_jobs);
    xv_job_host_set_default_wait(drv->jobs, opts->job_wait_us > 0 ? opts->job_wait_us
                                                                   : XV_JOB_DEFAULT_WAIT_US);
    xv_job_host_set_max_waiters(drv->jobs, opts->max_job_waiters > 0
                                           ? opts->max_job_waiters
                                           : XV_JOB_DEFAULT_MAX_WAITERS);
    xv_job_host_set_listener(drv->jobs, on_job_event, drv);

    drv->event_pool = g_thread_pool_new(event_worker, drv,
                                        opts->event_threads > 0 ? (int)opts->event_threads : 4,
                                        FALSE, NULL);

    if (!driver_probe_host(drv, error) || !driver_add_dom0(drv, error))
        return NULL;
    xv_host_set_event_handler(drv->host, xv_driver_on_host_event, drv);
    if (!xv_persist_load_and_recover(drv, error))
        return NULL;
    if (!opts->no_autostart)
        xv_persist_autostart(drv);
    return g_steal_pointer(&drv);
}

void
xv_driver_close(XvDriver *drv)
{
    g_autoptr(GPtrArray) all = NULL;

    if (drv == NULL)
        return;
    g_mutex_lock(&drv->ev_lock);
    drv->closing = TRUE;
    g_mutex_unlock(&drv->ev_lock);
    if (drv->autostart_thread != NULL)
        g_thread_join(g_steal_pointer(&drv->autostart_thread));
    xv_driver_balloon_stop(drv);
    if (drv->deferred != NULL) {
        /* Events waiting for a job that is still running (no call is in
         * progress any more, so only a stuck one): dropped, recovery at the
         * next open applies them. */
        g_mutex_lock(&drv->ev_lock);
        drv->ev_pending -= drv->deferred->len;
        g_ptr_array_set_size(drv->deferred, 0);
        g_mutex_unlock(&drv->ev_lock);
    }
    if (drv->event_pool != NULL) {
        xv_driver_flush_events(drv);
        g_thread_pool_free(drv->event_pool, FALSE, TRUE);
    }
    if (drv->host != NULL && drv->host->event_data == drv)
        xv_host_set_event_handler(drv->host, NULL, NULL);
    if (drv->list.by_uuid != NULL) {
        all = xv_domain_list_all(&drv->list);
        for (guint i = 0; i < all->len; i++) {
            XvDomainObj *dom = g_ptr_array_index(all, i);
            int id = xv_domain_obj_get_id(dom);

            if (id > 0)
                xv_host_unwatch_domain(drv->host, (uint32_t)id);
        }
        g_clear_pointer(&all, g_ptr_array_unref);
        /* Break the list's references first, then ours. */
        xv_domain_list_dispose(&drv->list);
    }
    g_clear_pointer(&drv->dom0, xv_domain_obj_unref);
    g_clear_pointer(&drv->jobs, xv_job_host_free);
    if (drv->lock_fd >= 0) {
        g_autofree char *pid = g_build_filename(drv->state_dir, "driver.pid", NULL);

        unlink(pid);
        close(drv->lock_fd);
    }
    g_clear_pointer(&drv->deferred, g_ptr_array_unref);
    g_clear_pointer(&drv->bw_pending, g_hash_table_unref);
    g_mutex_clear(&drv->bw_lock);
    g_cond_clear(&drv->bw_cond);
    g_mutex_clear(&drv->ev_lock);
    g_cond_clear(&drv->ev_cond);
    g_free(drv->config_dir);
    g_free(drv->state_dir);
    g_free(drv->lib_dir);
    g_free(drv->domains_dir);
    g_free(drv->autostart_dir);
    g_free(drv->save_dir);
    g_free(drv->dump_dir);
    g_free(drv);
}

XvHost *
xv_driver_get_host(XvDriver *drv)
{
    return drv->host;
}

XvJobHost *
xv_driver_get_job_host(XvDriver *drv)
{
    return drv->jobs;
}

/* ---- host events: handed to the pool at once ---------------------------- */

void
xv_driver_on_host_event(XvHost *host, const XvHostEvent *event, gpointer user_data)
{
    XvDriver *drv = user_data;

    g_mutex_lock(&drv->ev_lock);
    if (drv->closing) {
        g_mutex_unlock(&drv->ev_lock);
        return;
    }
    drv->ev_pending++;
    g_mutex_unlock(&drv->ev_lock);
    g_thread_pool_push(drv->event_pool, g_memdup2(event, sizeof(*event)), NULL);
}

/* Hand the deferred events whose domain has no async job any more back to
 * the pool.  Called when an async job ends, and after deferring (the job
 * may have ended in between). */
static void
requeue_deferred(XvDriver *drv)
{
    g_autoptr(GPtrArray) ready = g_ptr_array_new();

    g_mutex_lock(&drv->ev_lock);
    for (guint i = 0; i < drv->deferred->len;) {
        XvHostEvent *ev = g_ptr_array_index(drv->deferred, i);
        g_autoptr(XvDomainObj) dom = NULL;

        /* Lock order: list->lock is never taken under ev_lock elsewhere,
         * and lookups take it only for reading. */
        dom = xv_domain_list_find_id(&drv->list, (int)ev->domid);
        if (dom == NULL || xv_job_slot_get_async(&dom->job) == XV_ASYNC_JOB_NONE) {
            g_ptr_array_add(ready, g_ptr_array_steal_index(drv->deferred, i));
            continue;
        }
        i++;
    }
    if (drv->closing) {
        /* Recovery at the next open applies the lifecycle actions. */
        drv->ev_pending -= ready->len;
        g_ptr_array_set_free_func(ready, g_free);
        g_cond_broadcast(&drv->ev_cond);
        g_mutex_unlock(&drv->ev_lock);
        return;
    }
    g_mutex_unlock(&drv->ev_lock);
    for (guint i = 0; i < ready->len; i++)
        g_thread_pool_push(drv->event_pool, g_ptr_array_index(ready, i), NULL);
}

static void
event_worker(gpointer data, gpointer user_data)
{
    g_autofree XvHostEvent *event = data;
    XvDriver *drv = user_data;
    g_autoptr(XvDomainObj) dom = xv_domain_list_find_id(&drv->list, (int)event->domid);
    gboolean done = TRUE;

    if (dom != NULL && !dom->is_dom0) {
        if (event->type == XV_HOST_EVENT_SHUTDOWN)
            done = xv_domain_handle_shutdown(drv, dom, event->domid, event->reason);
        else
            done = xv_domain_handle_shutdown(drv, dom, event->domid, (libxl_shutdown_reason)-1);
    }
    if (!done) {
        /* A job holds the domain: keep the event (still counted pending)
         * until the job ends; a guest that crashes during a long save still
         * gets its lifecycle action. */
        g_mutex_lock(&drv->ev_lock);
        g_ptr_array_add(drv->deferred, g_steal_pointer(&event));
        g_mutex_unlock(&drv->ev_lock);
        if (xv_job_slot_get_async(&dom->job) == XV_ASYNC_JOB_NONE) {
            /* A sync job was in the way (the wait ran out) or the waiter
             * limit was reached: retry, but not in a tight loop. */
            g_usleep(50 * G_TIME_SPAN_MILLISECOND);
            requeue_deferred(drv);
        }
        return;
    }
    g_mutex_lock(&drv->ev_lock);
    drv->ev_pending--;
    g_cond_broadcast(&drv->ev_cond);
    g_mutex_unlock(&drv->ev_lock);
}

void
xv_driver_flush_events(XvDriver *drv)
{
    g_mutex_lock(&drv->ev_lock);
    while (drv->ev_pending > 0)
        g_cond_wait(&drv->ev_cond, &drv->ev_lock);
    g_mutex_unlock(&drv->ev_lock);
}

/* ---- the balloon watcher ------------------------------------------------- */

typedef struct {
    int domid;
    guint64 target_kb;
    guint64 last_kb;         /* last value reported; 0: none yet */
    gint64 deadline;         /* monotonic */
} BalloonWatch;

static void
balloon_emit(XvDriver *drv, XvDomainObj *dom, int domid, guint64 actual_kb)
{
    XvDriverEvent ev = { 0 };

    if (drv->listener == NULL)
        return;
    ev.event_id = VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE;
    ev.dom = dom;
    ev.name = dom->name;
    ev.uuid = dom->uuid;
    ev.id = domid;
    ev.actual_kb = actual_kb;
    drv->listener(drv, &ev, drv->listener_data);
}

/* One look at a watched domain: FALSE when the watch is over. */
static gboolean
balloon_check(XvDriver *drv, XvDomainObj *dom, BalloonWatch *w)
{
    libxl_dominfo info;
    guint64 actual;
    gboolean same;

    if (xv_domain_obj_get_id(dom) != w->domid ||
        xv_host_domain_info(drv->host, (uint32_t)w->domid, &info, NULL) != 0)
        return FALSE;
    actual = info.current_memkb;
    libxl_dominfo_dispose(&info);
    g_mutex_lock(&dom->lock);
    same = dom->domid == w->domid;
    if (same)
        dom->cur_mem_kb = actual;
    g_mutex_unlock(&dom->lock);
    if (!same)
        return FALSE;
    if (actual != w->last_kb) {
        w->last_kb = actual;
        balloon_emit(drv, dom, w->domid, actual);
    }
    return actual != w->target_kb && g_get_monotonic_time() < w->deadline;
}

static gpointer
balloon_thread(gpointer data)
{
    XvDriver *drv = data;

    g_mutex_lock(&drv->bw_lock);
    while (!drv->bw_stop) {
        g_autoptr(GPtrArray) doms = NULL;
        GHashTableIter it;
        gpointer k;

        if (g_hash_table_size(drv->bw_pending) == 0) {
            g_cond_wait(&drv->bw_cond, &drv->bw_lock);
            continue;
        }
        doms = g_ptr_array_new_with_free_func((GDestroyNotify)xv_domain_obj_unref);
        g_hash_table_iter_init(&it, drv->bw_pending);
        while (g_hash_table_iter_next(&it, &k, NULL))
            g_ptr_array_add(doms, xv_domain_obj_ref(k));
        for (guint i = 0; i < doms->len; i++) {
            XvDomainObj *dom = g_ptr_array_index(doms, i);
            BalloonWatch *w = g_hash_table_lookup(drv->bw_pending, dom);
            BalloonWatch copy;
            gboolean more;

            if (w == NULL)
                continue;
            copy = *w;
            /* No lock across the host call. */
            g_mutex_unlock(&drv->bw_lock);
            more = balloon_check(drv, dom, &copy);
            g_mutex_lock(&drv->bw_lock);
            w = g_hash_table_lookup(drv->bw_pending, dom);
            if (w == NULL)
                continue;
            if (w->target_kb != copy.target_kb || w->domid != copy.domid)
                continue;   /* a new setmem came in meanwhile: keep it */
            w->last_kb = copy.last_kb;
            if (!more)
                g_hash_table_remove(drv->bw_pending, dom);
        }
        if (!drv->bw_stop && g_hash_table_size(drv->bw_pending) > 0)
            g_cond_wait_until(&drv->bw_cond, &drv->bw_lock,
                              g_get_monotonic_time() + XV_BALLOON_POLL_US);
    }
    g_mutex_unlock(&drv->bw_lock);
    return NULL;
}

void
xv_driver_balloon_watch(XvDriver *drv, XvDomainObj *dom, int domid, guint64 target_kb)
{
    BalloonWatch *w = g_new0(BalloonWatch, 1);

    w->domid = domid;
    w->target_kb = target_kb;
    w->deadline = g_get_monotonic_time() + XV_BALLOON_WATCH_US;
    g_mutex_lock(&drv->bw_lock);
    if (!drv->bw_stop) {
        BalloonWatch *old = g_hash_table_lookup(drv->bw_pending, dom);

        if (old != NULL && old->domid == domid)
            w->last_kb = old->last_kb;
        g_hash_table_replace(drv->bw_pending, xv_domain_obj_ref(dom), w);
        w = NULL;
        if (drv->bw_thread == NULL)
            drv->bw_thread = g_thread_new("xv-balloon", balloon_thread, drv);
        g_cond_broadcast(&drv->bw_cond);
    }
    g_mutex_unlock(&drv->bw_lock);
    g_free(w);
}

void
xv_driver_balloon_stop(XvDriver *drv)
{
    GThread *thread;

    g_mutex_lock(&drv->bw_lock);
    drv->bw_stop = TRUE;
    thread = g_steal_pointer(&drv->bw_thread);
    g_cond_broadcast(&drv->bw_cond);
    g_mutex_unlock(&drv->bw_lock);
    if (thread != NULL)
        g_thread_join(thread);
    g_mutex_lock(&drv->bw_lock);
    if (drv->bw_pending != NULL)
        g_hash_table_remove_all(drv->bw_pending);
    g_mutex_unlock(&drv->bw_lock);
}

/* ---- host information --------------------------------------------------- */

gboolean
xv_driver_node_get_info(XvDriver *drv, virNodeInfo *info, GError **error)
{
    libxl_physinfo phys;

    if (xv_host_get_physinfo(drv->host, &phys, error) != 0) {
        xv_error_prefix(error, _("cannot read the host's node information: "));
        return FALSE;
    }
    memset(info, 0, sizeof(*info));
    g_strlcpy(info->model, "x86_64", sizeof(info->model));
    info->memory = (unsigned long)(phys.total_pages * (guint64)4);   /* 4 KiB pages */
    info->cpus = phys.nr_cpus;
    info->mhz = phys.cpu_khz / 1000;
    info->nodes = MAX(1u, phys.nr_nodes);
    info->threads = MAX(1u, phys.threads_per_core);
    info->cores = MAX(1u, phys.cores_per_socket);
    info->sockets = MAX(1u, phys.nr_cpus / (info->cores * info->threads) / info->nodes);
    libxl_physinfo_dispose(&phys);
    return TRUE;
}

gboolean
xv_driver_node_get_free_memory(XvDriver *drv, guint64 *bytes, GError **error)
{
    libxl_physinfo phys;

    if (xv_host_get_physinfo(drv->host, &phys, error) != 0) {
        xv_error_prefix(error, _("cannot read the host's free memory: "));
        return FALSE;
    }
    *bytes = phys.free_pages * (guint64)4096;
    libxl_physinfo_dispose(&phys);
    return TRUE;
}

char *
xv_driver_get_scheduler_type(XvDriver *drv, GError **error)
{
    return g_strdup(libxl_scheduler_to_string(drv->scheduler));
}

XvCapsHost *
xv_driver_get_caps_host(XvDriver *drv, GError **error)
{
    g_autoptr(XvCapsHost) caps = xv_caps_host_new("x86_64");
    libxl_physinfo phys;
    libxl_version_info ver;
    guint cpus_per_node;

    if (xv_host_get_physinfo(drv->host, &phys, error) != 0)
        return NULL;
    if (xv_host_get_version(drv->host, &ver, error) != 0) {
        libxl_physinfo_dispose(&phys);
        return NULL;
    }
    caps->xen_major = (guint)ver.xen_version_major;
    caps->xen_minor = (guint)ver.xen_version_minor;
    caps->xen_caps = g_strdup(ver.capabilities);
    caps->iommu = phys.cap_hvm_directio;
    caps->live_migration = TRUE;
    caps->threads = MAX(1u, phys.threads_per_core);
    caps->cores = MAX(1u, phys.cores_per_socket);
    caps->dies = 1;
    caps->sockets = MAX(1u, phys.nr_cpus / (caps->cores * caps->threads));
    cpus_per_node = MAX(1u, phys.nr_cpus / MAX(1u, phys.nr_nodes));
    for (guint n = 0; n < MAX(1u, phys.nr_nodes); n++) {
        XvCapsCell *cell = xv_caps_host_add_cell(caps, n, phys.total_pages * 4 /
                                                          MAX(1u, phys.nr_nodes));

        for (guint c = n * cpus_per_node; c < (n + 1) * cpus_per_node && c < phys.nr_cpus; c++)
            xv_caps_cell_add_cpu(cell, c, c / (caps->cores * caps->threads), 0,
                                 (c / caps->threads) % caps->cores);
    }
    caps->emulator = g_strdup("/usr/lib/xen/bin/qemu-system-i386");
    caps->hvmloader = g_strdup("/usr/lib/xen/boot/hvmloader");
    libxl_physinfo_dispose(&phys);
    libxl_version_info_dispose(&ver);
    return g_steal_pointer(&caps);
}

char *
xv_driver_get_capabilities(XvDriver *drv, GError **error)
{
    g_autoptr(XvCapsHost) caps = xv_driver_get_caps_host(drv, error);

    if (caps == NULL) {
        xv_error_prefix(error, _("cannot build the host capabilities: "));
        return NULL;
    }
    return xv_caps_format(caps);
}

/* ---- list and lookup ---------------------------------------------------- */

static gint
compare_dom(gconstpointer a, gconstpointer b)
{
    XvDomainObj *x = *(XvDomainObj **)a, *y = *(XvDomainObj **)b;

    if (x->is_dom0 != y->is_dom0)
        return x->is_dom0 ? -1 : 1;
    return g_strcmp0(x->name, y->name);
}

#define LIST_ALL_FLAGS 0xffffu

static gboolean
list_match(XvDomainObj *dom, guint flags)
{
    g_auto(XvDomainSnap) s = { 0 };
    gboolean active;

    xv_domain_obj_snap(dom, &s);
    if (s.removed)
        return FALSE;
    active = s.domid >= 0;
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE)) &&
        !((flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE && active) ||
          (flags & VIR_CONNECT_LIST_DOMAINS_INACTIVE && !active)))
        return FALSE;
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)) &&
        !((flags & VIR_CONNECT_LIST_DOMAINS_PERSISTENT && s.persistent) ||
          (flags & VIR_CONNECT_LIST_DOMAINS_TRANSIENT && !s.persistent)))
        return FALSE;
    if (flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)) {
        gboolean ok = FALSE;

        if (flags & VIR_CONNECT_LIST_DOMAINS_RUNNING)
            ok |= s.state == VIR_DOMAIN_RUNNING;
        if (flags & VIR_CONNECT_LIST_DOMAINS_PAUSED)
            ok |= s.state == VIR_DOMAIN_PAUSED;
        if (flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF)
            ok |= s.state == VIR_DOMAIN_SHUTOFF;
        if (flags & VIR_CONNECT_LIST_DOMAINS_OTHER)
            ok |= s.state != VIR_DOMAIN_RUNNING && s.state != VIR_DOMAIN_PAUSED &&
                  s.state != VIR_DOMAIN_SHUTOFF;
        if (!ok)
            return FALSE;
    }
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE |
                  VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)) &&
        !((flags & VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE && s.has_managed_save) ||
          (flags & VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE && !s.has_managed_save)))
        return FALSE;
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)) &&
        !((flags & VIR_CONNECT_LIST_DOMAINS_AUTOSTART && s.autostart) ||
          (flags & VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART && !s.autostart)))
        return FALSE;
    /* No snapshots or checkpoints exist in xenvirt. */
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)) &&
        !(flags & VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT))
        return FALSE;
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT |
                  VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)) &&
        !(flags & VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT))
        return FALSE;
    return TRUE;
}

GPtrArray *
xv_driver_list_domains(XvDriver *drv, guint flags, GError **error)
{
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *out;

    if (!xv_driver_check_flags(flags, LIST_ALL_FLAGS, error))
        return NULL;
    all = xv_domain_list_all(&drv->list);
    out = g_ptr_array_new_with_free_func((GDestroyNotify)xv_domain_obj_unref);
    for (guint i = 0; i < all->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(all, i);

        if (list_match(dom, flags))
            g_ptr_array_add(out, xv_domain_obj_ref(dom));
    }
    g_ptr_array_sort(out, compare_dom);
    return out;
}

XvDomainObj *
xv_driver_lookup_by_uuid(XvDriver *drv, const guchar uuid[XV_UUID_BUFLEN], GError **error)
{
    XvDomainObj *dom = xv_domain_list_find_uuid(&drv->list, uuid);

    if (dom == NULL) {
        char buf[XV_UUID_STRING_BUFLEN];

        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN,
                    _("no domain with matching uuid '%s'"), xv_uuid_format(uuid, buf));
    }
    return dom;
}

XvDomainObj *
xv_driver_lookup_by_uuid_string(XvDriver *drv, const char *uuid, GError **error)
{
    guchar raw[XV_UUID_BUFLEN];

    if (!xv_uuid_parse(uuid, raw, error))
        return NULL;
    return xv_driver_lookup_by_uuid(drv, raw, error);
}

XvDomainObj *
xv_driver_lookup_by_name(XvDriver *drv, const char *name, GError **error)
{
    XvDomainObj *dom = xv_domain_list_find_name(&drv->list, name);

    if (dom == NULL)
        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN,
                    _("no domain with matching name '%s'"), name);
    return dom;
}

XvDomainObj *
xv_driver_lookup_by_id(XvDriver *drv, int id, GError **error)
{
    XvDomainObj *dom = xv_domain_list_find_id(&drv->list, id);

    if (dom == NULL)
        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN,
                    _("no domain with matching id %d"), id);
    return dom;
}

/* ---- reads -------------------------------------------------------------- */

gboolean
xv_driver_domain_get_state(XvDriver *drv, XvDomainObj *dom, int *state, int *reason,
                           GError **error)
{
    gboolean removed;

    g_mutex_lock(&dom->lock);
    removed = dom->removed;
    *state = dom->state;
    if (reason != NULL)
        *reason = dom->reason;
    g_mutex_unlock(&dom->lock);
    return check_listed(dom, removed, error);
}

static gboolean
refresh_dominfo(XvDriver *drv, XvDomainObj *dom, gboolean nowait, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autoptr(XvJobHold) hold = xv_job_begin(&dom->job, XV_JOB_QUERY, "info",
                                             nowait ? 0 : XV_JOB_WAIT_DEFAULT, &local);
    libxl_dominfo info;
    int domid;

    if (hold == NULL) {
        if (nowait && g_error_matches(local, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT)) {
            g_set_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY,
                        _("cannot query domain '%1$s' without waiting: %2$s"), dom->name,
                        local->message);
            return FALSE;
        }
        g_propagate_error(error, g_steal_pointer(&local));
        xv_error_prefix(error, _("cannot query domain '%s': "), dom->name);
        return FALSE;
    }
    domid = xv_domain_obj_get_id(dom);
    if (domid < 0)
        return TRUE;
    if (xv_host_domain_info(drv->host, (uint32_t)domid, &info, &local) != 0) {
        /* Gone under a job that is taking it down (the end of a save or a
         * migration) or already replaced: the cached values stand, a read
         * does not fail for a state change in flight. */
        if (g_error_matches(local, XV_ERROR, XV_ERROR_NO_DOMAIN) &&
            (xv_job_slot_get_async(&dom->job) != XV_ASYNC_JOB_NONE ||
             xv_domain_obj_get_id(dom) != domid))
            return TRUE;
        g_propagate_error(error, g_steal_pointer(&local));
        xv_error_prefix(error, _("cannot query domain '%s': "), dom->name);
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    if (dom->domid == domid) {
        dom->cpu_time_ns = info.cpu_time;
        dom->cur_mem_kb = info.current_memkb;
    }
    g_mutex_unlock(&dom->lock);
    libxl_dominfo_dispose(&info);
    return TRUE;
}

gboolean
xv_driver_domain_get_info(XvDriver *drv, XvDomainObj *dom, guint flags, XvDomainInfo *info,
                          GError **error)
{
    g_auto(XvDomainSnap) s = { 0 };
    const XvDomainDef *def;

    if (!xv_driver_check_flags(flags, XV_DRIVER_INFO_REFRESH | XV_DRIVER_INFO_NOWAIT, error))
        return FALSE;
    if ((flags & XV_DRIVER_INFO_REFRESH) &&
        !refresh_dominfo(drv, dom, (flags & XV_DRIVER_INFO_NOWAIT) != 0, error))
        return FALSE;
    xv_domain_obj_snap(dom, &s);
    if (!check_listed(dom, s.removed, error))
        return FALSE;
    memset(info, 0, sizeof(*info));
    info->state = s.state;
    if (s.domid >= 0 && s.live_def != NULL) {
        info->max_mem_kb = s.max_mem_kb;
        info->memory_kb = s.cur_mem_kb;
        info->nr_virt_cpu = s.cur_vcpus;
        info->cpu_time_ns = s.cpu_time_ns;
    } else {
        def = s.persistent_def != NULL ? s.persistent_def->def : s.live_def->def;
        info->max_mem_kb = def->memory_kb;
        info->memory_kb = def->current_memory_kb;
        info->nr_virt_cpu = def->vcpus;
    }
    return TRUE;
}

#define XML_FLAGS (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | \
                   VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE)

char *
xv_driver_domain_get_xml(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    g_auto(XvDomainSnap) s = { 0 };
    XvDefRef *ref;

    if (!xv_driver_check_flags(flags, XML_FLAGS, error))
        return NULL;
    xv_domain_obj_snap(dom, &s);
    if (!check_listed(dom, s.removed, error))
        return NULL;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) && s.persistent_def != NULL)
        ref = s.persistent_def;
    else
        ref = s.live_def != NULL ? s.live_def : s.persistent_def;
    /* XV_FORMAT_* are libvirt's bits. */
    return xv_domain_def_format(ref->def, flags);
}

gboolean
xv_driver_domain_get_job_info(XvDriver *drv, XvDomainObj *dom, gboolean completed,
                              XvJobInfo *info, GError **error)
{
    gboolean removed;

    g_mutex_lock(&dom->lock);
    removed = dom->removed;
    g_mutex_unlock(&dom->lock);
    if (!check_listed(dom, removed, error))
        return FALSE;
    if (completed)
        xv_job_slot_get_completed(&dom->job, info);
    else
        xv_job_slot_get_info(&dom->job, info);
    return TRUE;
}

gboolean
xv_driver_domain_get_autostart(XvDriver *drv, XvDomainObj *dom, gboolean *autostart,
                               GError **error)
{
    gboolean removed;

    g_mutex_lock(&dom->lock);
    removed = dom->removed;
    *autostart = dom->autostart;
    g_mutex_unlock(&dom->lock);
    return check_listed(dom, removed, error);
}

int
xv_driver_domain_has_managed_save(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    gboolean removed, has;

    if (!xv_driver_check_flags(flags, 0, error))
        return -1;
    g_mutex_lock(&dom->lock);
    removed = dom->removed;
    has = dom->has_managed_save;
    g_mutex_unlock(&dom->lock);
    if (!check_listed(dom, removed, error))
        return -1;
    return has ? 1 : 0;
}

gboolean
xv_driver_domain_abort_job(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    if (!xv_job_abort(&dom->job, error)) {
        xv_error_prefix(error, _("cannot abort the job of domain '%s': "), dom->name);
        return FALSE;
    }
    return TRUE;
}

/* ---- define / undefine / autostart -------------------------------------- */

static gboolean
check_new_def(XvDriver *drv, const XvDomainDef *def, GError **error)
{
    if (g_str_equal(def->name, "Domain-0") || xv_uuid_is_null(def->uuid)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' would clash with Domain-0, the host's control domain"),
                    def->name);
        return FALSE;
    }
    return TRUE;
}

/* The existing object for def's uuid, or NULL when none; errors for a uuid
 * with another name or a name with another uuid (libvirt's rules). */
gboolean
xv_driver_find_for_def(XvDriver *drv, const XvDomainDef *def, XvDomainObj **out,
                       GError **error)
{
    g_autoptr(XvDomainObj) by_uuid = xv_domain_list_find_uuid(&drv->list, def->uuid);
    g_autoptr(XvDomainObj) by_name = xv_domain_list_find_name(&drv->list, def->name);
    char buf[XV_UUID_STRING_BUFLEN];

    *out = NULL;
    if (by_uuid != NULL && !g_str_equal(by_uuid->name, def->name)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("domain '%1$s' is already defined with uuid %2$s, cannot define '%3$s' with the same uuid"),
                    by_uuid->name, by_uuid->uuid_str, def->name);
        return FALSE;
    }
    if (by_name != NULL && by_uuid == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("domain '%1$s' already exists with uuid %2$s, cannot define it with uuid %3$s"),
                    by_name->name, by_name->uuid_str, xv_uuid_format(def->uuid, buf));
        return FALSE;
    }
    *out = g_steal_pointer(&by_uuid);
    return TRUE;
}

/* Add a new object for 'def' to the list (inactive). */
XvDomainObj *
xv_driver_add_new(XvDriver *drv, XvDomainDef *def, gboolean persistent, GError **error)
{
    g_autoptr(XvDomainObj) dom = xv_domain_obj_new(def->name, def->uuid, drv->jobs);
    gboolean ok;

    if (persistent) {
        dom->persistent_def = xv_def_ref_new(def);
        dom->persistent = TRUE;
    } else {
        dom->live_def = xv_def_ref_new(def);   /* until the start replaces it */
    }
    g_rw_lock_writer_lock(&drv->list.lock);
    ok = xv_domain_list_add_locked(&drv->list, dom, error);
    g_rw_lock_writer_unlock(&drv->list.lock);
    return ok ? g_steal_pointer(&dom) : NULL;
}

void
xv_driver_remove(XvDriver *drv, XvDomainObj *dom)
{
    g_rw_lock_writer_lock(&drv->list.lock);
    xv_domain_list_remove_locked(&drv->list, dom);
    g_rw_lock_writer_unlock(&drv->list.lock);
}

XvDomainObj *
xv_driver_define_xml(XvDriver *drv, const char *xml, guint flags, GError **error)
{
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(XvJobHold) hold = NULL;
    XvDefRef *old;
    gboolean active;

    if (!xv_driver_check_flags(flags, VIR_DOMAIN_DEFINE_VALIDATE, error))
        return NULL;
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);
    if (def == NULL)
        return NULL;
    if (!check_new_def(drv, def, error) || !xv_driver_find_for_def(drv, def, &dom, error))
        return NULL;

    if (dom == NULL) {
        /* A new domain: listed first, then its file; removed again if the
         * file cannot be written. */
        dom = xv_driver_add_new(drv, xv_domain_def_copy(def), TRUE, error);
        if (dom == NULL)
            return NULL;
        hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "define", XV_JOB_WAIT_DEFAULT, error);
        if (hold == NULL || !xv_persist_write_config(drv, def, error)) {
            xv_driver_remove(drv, dom);
            xv_error_prefix(error, _("cannot define domain '%s': "), def->name);
            return NULL;
        }
        g_clear_pointer(&hold, xv_job_end);
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_DEFINED,
                       VIR_DOMAIN_EVENT_DEFINED_ADDED);
        return g_steal_pointer(&dom);
    }

    if (!xv_driver_check_dom(drv, dom, error))
        return NULL;
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "define", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL) {
        xv_error_prefix(error, _("cannot define domain '%s': "), def->name);
        return NULL;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        return NULL;
    if (xv_job_slot_get_async(&dom->job) == XV_ASYNC_JOB_MIGRATION_OUT) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot define domain '%s': it is migrating"), def->name);
        return NULL;
    }
    if (!xv_persist_write_config(drv, def, error)) {
        xv_error_prefix(error, _("cannot define domain '%s': "), def->name);
        return NULL;
    }
    g_mutex_lock(&dom->lock);
    old = dom->persistent_def;
    dom->persistent_def = xv_def_ref_new(g_steal_pointer(&def));
    dom->persistent = TRUE;
    active = dom->domid >= 0;
    if (active)
        dom->updated = TRUE;
    g_mutex_unlock(&dom->lock);
    xv_def_ref_release(old);
    if (active)
        xv_persist_write_status_or_warn(drv, dom);
    g_clear_pointer(&hold, xv_job_end);
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_DEFINED,
                   old != NULL ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return g_steal_pointer(&dom);
}

gboolean
xv_driver_domain_undefine(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_auto(XvDomainSnap) s = { 0 };
    g_autofree char *ms_path = NULL;
    g_autofree char *as_path = NULL;
    const char *nvram;

    if (!xv_driver_check_flags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                               VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                               VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
                               VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM, error))
        return FALSE;
    if ((flags & VIR_DOMAIN_UNDEFINE_NVRAM) && (flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot undefine domain '%s': the flags NVRAM and KEEP_NVRAM exclude each other"),
                    dom->name);
        return FALSE;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "undefine", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL) {
        xv_error_prefix(error, _("cannot undefine domain '%s': "), dom->name);
        return FALSE;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    xv_domain_obj_snap(dom, &s);
    if (!s.persistent) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot undefine transient domain '%s'"), dom->name);
        return FALSE;
    }
    ms_path = xv_persist_managed_save_path(drv, dom);
    if (s.has_managed_save && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot undefine domain '%1$s': it has a managed save image (%2$s); remove it or pass the managed-save flag"),
                    dom->name, ms_path);
        return FALSE;
    }
    nvram = s.persistent_def->def->os.nvram;
    if (nvram != NULL && g_file_test(nvram, G_FILE_TEST_EXISTS) &&
        !(flags & (VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM))) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot undefine domain '%1$s': it has an NVRAM file (%2$s); pass the nvram or keep-nvram flag"),
                    dom->name, nvram);
        return FALSE;
    }
    if (!xv_persist_remove_config(drv, dom, error)) {
        xv_error_prefix(error, _("cannot undefine domain '%s': "), dom->name);
        return FALSE;
    }
    /* The definition is gone: what follows is cleanup that must not undo it. */
    as_path = xv_persist_autostart_path(drv, dom);
    if (!xv_file_remove(as_path, NULL))
        g_warning("cannot remove %s", as_path);
    if (s.has_managed_save && !xv_file_remove(ms_path, NULL))
        g_warning("cannot remove %s", ms_path);
    if (nvram != NULL && (flags & VIR_DOMAIN_UNDEFINE_NVRAM) && !xv_file_remove(nvram, NULL))
        g_warning("cannot remove %s", nvram);

    g_mutex_lock(&dom->lock);
    g_clear_pointer(&dom->persistent_def, xv_def_ref_release);
    dom->persistent = FALSE;
    dom->updated = FALSE;
    dom->autostart = FALSE;
    dom->has_managed_save = FALSE;
    g_mutex_unlock(&dom->lock);
    if (s.domid >= 0) {
        xv_persist_write_status_or_warn(drv, dom);   /* running on, transient */
    } else {
        xv_driver_remove(drv, dom);
        xv_persist_write_status_or_warn(drv, dom);   /* removes a stale one */
    }
    g_clear_pointer(&hold, xv_job_end);
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_UNDEFINED,
                   VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    return TRUE;
}

gboolean
xv_driver_domain_set_autostart(XvDriver *drv, XvDomainObj *dom, gboolean autostart,
                               GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autofree char *path = NULL;

    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "autostart", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL) {
        xv_error_prefix(error, _("cannot change autostart of domain '%s': "), dom->name);
        return FALSE;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    if (!xv_domain_obj_is_persistent(dom)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot set autostart for transient domain '%s'"), dom->name);
        return FALSE;
    }
    path = xv_persist_autostart_path(drv, dom);
    if (autostart) {
        g_autofree char *text = g_strdup_printf("%s\n", dom->name);

        if (!xv_file_write_atomic(path, text, -1, 0644, error))
            return FALSE;
    } else if (!xv_file_remove(path, error)) {
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    dom->autostart = autostart;
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

/* ---- foreign domains ---------------------------------------------------- */

void
xv_foreign_domain_free(XvForeignDomain *f)
{
    if (f == NULL)
        return;
    g_free(f->name);
    g_free(f);
}

GPtrArray *
xv_driver_list_foreign(XvDriver *drv, GError **error)
{
    libxl_dominfo *infos = NULL;
    int n = 0;
    GPtrArray *out;

    if (xv_host_list_domains(drv->host, &infos, &n, error) != 0) {
        xv_error_prefix(error, _("cannot list the host's domains: "));
        return NULL;
    }
    out = g_ptr_array_new_with_free_func((GDestroyNotify)xv_foreign_domain_free);
    for (int i = 0; i < n; i++) {
        g_autoptr(XvDomainObj) dom = NULL;
        libxl_domain_config cfg;
        XvForeignDomain *f;

        if (infos[i].domid == 0 || infos[i].dying)
            continue;
        dom = xv_domain_list_find_id(&drv->list, (int)infos[i].domid);
        if (dom != NULL)
            continue;
        /* Being started by the driver right now: its uuid is ours and it
         * has no domid yet.  A host domain with the uuid of a managed domain
         * that runs under another domid is an earlier incarnation kept by
         * rename-restart (libxl_domain_preserve renames it and gives it a new
         * uuid in xenstore, but the hypervisor's handle stays): foreign. */
        dom = xv_domain_list_find_uuid(&drv->list, infos[i].uuid.uuid);
        if (dom != NULL && xv_domain_obj_get_id(dom) < 0)
            continue;
        f = g_new0(XvForeignDomain, 1);
        f->domid = infos[i].domid;
        memcpy(f->uuid, infos[i].uuid.uuid, XV_UUID_BUFLEN);
        if (xv_host_retrieve_config(drv->host, infos[i].domid, &cfg, NULL) == 0) {
            f->name = g_strdup(cfg.c_info.name);
            libxl_domain_config_dispose(&cfg);
        }
        if (f->name == NULL)
            f->name = g_strdup_printf("domain-%u", infos[i].domid);
        g_ptr_array_add(out, f);
    }
    libxl_dominfo_list_free(infos, n);
    return out;
}

XvDomainObj *
xv_driver_adopt(XvDriver *drv, guint32 domid, guint flags, GError **error)
{
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(XvDomainObj) other = NULL;
    libxl_domain_config cfg;
    libxl_dominfo info;
    gboolean paused;

    if (!xv_driver_check_flags(flags, 0, error))
        return NULL;
    if (domid == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("Domain-0 cannot be adopted: it is always shown as a domain"));
        return NULL;
    }
    other = xv_domain_list_find_id(&drv->list, (int)domid);
    if (other != NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot adopt domain %1$u: it is already managed as '%2$s'"), domid,
                    other->name);
        return NULL;
    }
    if (xv_host_domain_info(drv->host, domid, &info, error) != 0) {
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    paused = info.paused;
    libxl_dominfo_dispose(&info);
    if (xv_host_retrieve_config(drv->host, domid, &cfg, error) != 0) {
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    def = xv_libxl_config_to_def(&cfg, error);
    libxl_domain_config_dispose(&cfg);
    if (def == NULL) {
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    if (!xv_driver_find_for_def(drv, def, &other, error)) {
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    if (other != NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot adopt domain %1$u: its uuid belongs to defined domain '%2$s'"),
                    domid, other->name);
        return NULL;
    }
    dom = xv_driver_add_new(drv, xv_domain_def_copy(def), FALSE, error);
    if (dom == NULL) {
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    if (xv_host_watch_domain(drv->host, domid, error) != 0) {
        xv_driver_remove(drv, dom);
        xv_error_prefix(error, _("cannot adopt domain %u: "), domid);
        return NULL;
    }
    def->id = (int)domid;
    xv_domain_mark_active(drv, dom, (int)domid, g_steal_pointer(&def),
                          paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                          paused ? VIR_DOMAIN_PAUSED_UNKNOWN : VIR_DOMAIN_RUNNING_UNKNOWN);
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STARTED,
                   VIR_DOMAIN_EVENT_STARTED_BOOTED);
    return g_steal_pointer(&dom);
}
