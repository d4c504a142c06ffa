/*
 * domain-lifecycle.c: start, create, destroy, shutdown, reboot, suspend,
 * resume, and the host's lifecycle events (on_poweroff/on_reboot/on_crash).
 *
 * Host events are handed by driver.c to worker threads; each is handled
 * under a MODIFY job on the domain, after checking that the event is about
 * the domid the domain has now (a stale or duplicate event does nothing).
 */
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <libxl_utils.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"
#include "util/xv-file.h"

/* ---- the async job context --------------------------------------------- */

void
xv_job_ctx_init(XvJobCtx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    g_mutex_init(&ctx->lock);
}

void
xv_job_ctx_clear(XvJobCtx *ctx)
{
    g_clear_pointer(&ctx->op, xv_host_op_unref);
    g_mutex_clear(&ctx->lock);
}

static void
job_ctx_abort_cb(XvJobSlot *slot, gpointer data)
{
    XvJobCtx *ctx = data;
    g_autoptr(XvHostOp) op = NULL;

    g_mutex_lock(&ctx->lock);
    ctx->aborted = TRUE;
    if (ctx->op != NULL)
        op = xv_host_op_ref(ctx->op);
    g_mutex_unlock(&ctx->lock);
    if (op != NULL)
        xv_host_op_abort(op);
}

static void
job_ctx_progress(XvHostOp *op, guint64 processed, guint64 total, gpointer user_data)
{
    XvJobCtx *ctx = user_data;

    if (ctx->hold != NULL)
        xv_job_set_data_progress(ctx->hold, total, processed);
}

XvJobHold *
xv_job_ctx_begin(XvJobCtx *ctx, XvDomainObj *dom, XvAsyncJob type, const char *label,
                 GError **error)
{
    ctx->hold = xv_job_begin_async(&dom->job, type, label, job_ctx_abort_cb, ctx,
                                   XV_JOB_WAIT_DEFAULT, error);
    return ctx->hold;
}

XvHostOp *
xv_job_ctx_op(XvJobCtx *ctx)
{
    XvHostOp *op = xv_host_op_new(job_ctx_progress, ctx);

    g_mutex_lock(&ctx->lock);
    g_clear_pointer(&ctx->op, xv_host_op_unref);
    ctx->op = op;
    if (ctx->aborted)
        xv_host_op_abort(op);
    g_mutex_unlock(&ctx->lock);
    return op;
}

void
xv_job_ctx_end(XvJobCtx *ctx, gboolean ok, const GError *error)
{
    XvJobResult result = XV_JOB_RESULT_COMPLETED;

    if (!ok)
        result = xv_job_is_aborted(ctx->hold) ? XV_JOB_RESULT_CANCELLED : XV_JOB_RESULT_FAILED;
    xv_job_end_async(g_steal_pointer(&ctx->hold), result, ok ? NULL : error);
}

/* ---- state transitions -------------------------------------------------- */

void
xv_domain_mark_active(XvDriver *drv, XvDomainObj *dom, int domid, XvDomainDef *live,
                      int state, int reason)
{
    XvDefRef *old;

    live->id = domid;
    g_rw_lock_writer_lock(&drv->list.lock);
    g_mutex_lock(&dom->lock);
    if (!dom->removed) {
        if (dom->domid >= 0)
            g_hash_table_remove(drv->list.by_id, GINT_TO_POINTER(dom->domid));
        g_hash_table_insert(drv->list.by_id, GINT_TO_POINTER(domid), dom);
    }
    dom->domid = domid;
    old = dom->live_def;
    dom->max_mem_kb = live->memory_kb;
    dom->cur_mem_kb = live->current_memory_kb;
    dom->cur_vcpus = live->vcpus;
    dom->cpu_time_ns = 0;
    dom->live_def = xv_def_ref_new(live);
    dom->state = state;
    dom->reason = reason;
    dom->updated = FALSE;
    g_mutex_unlock(&dom->lock);
    g_rw_lock_writer_unlock(&drv->list.lock);
    xv_def_ref_release(old);
    xv_persist_write_status_or_warn(drv, dom);
}

void
xv_domain_mark_inactive(XvDriver *drv, XvDomainObj *dom, int reason, gboolean keep_listed)
{
    gboolean transient;

    g_rw_lock_writer_lock(&drv->list.lock);
    g_mutex_lock(&dom->lock);
    if (dom->domid >= 0 && !dom->removed &&
        g_hash_table_lookup(drv->list.by_id, GINT_TO_POINTER(dom->domid)) == dom)
        g_hash_table_remove(drv->list.by_id, GINT_TO_POINTER(dom->domid));
    dom->domid = -1;
    dom->state = VIR_DOMAIN_SHUTOFF;
    dom->reason = reason;
    dom->updated = FALSE;
    dom->cpu_time_ns = 0;
    transient = !dom->persistent;
    /* A persistent domain reads its persistent definition from now on; a
     * transient one keeps its last live one until it is unlisted. */
    if (!transient)
        g_clear_pointer(&dom->live_def, xv_def_ref_release);
    g_mutex_unlock(&dom->lock);
    if (transient && !keep_listed)
        xv_domain_list_remove_locked(&drv->list, dom);
    g_rw_lock_writer_unlock(&drv->list.lock);
    xv_persist_write_status_or_warn(drv, dom);
}

gboolean
xv_domain_host_destroy(XvDriver *drv, XvDomainObj *dom, int domid, GError **error)
{
    g_autoptr(GError) local = NULL;
    int rc;

    xv_host_unwatch_domain(drv->host, (uint32_t)domid);
    rc = xv_host_destroy(drv->host, (uint32_t)domid, &local);
    if (rc == 0 || rc == ERROR_DOMAIN_NOTFOUND)
        return TRUE;
    /* Still there: keep watching it. */
    xv_host_watch_domain(drv->host, (uint32_t)domid, NULL);
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
}

/* ---- start -------------------------------------------------------------- */

gboolean
xv_domain_start_job(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, guint flags,
                    int restore_fd, const XvDomainDef *boot_def, GError **error)
{
    g_autoptr(XvDefRef) ref = NULL;
    g_autoptr(XvDomainDef) live = NULL;
    XvLibxlConfOptions opts;
    libxl_domain_config cfg;
    gboolean paused = (flags & VIR_DOMAIN_START_PAUSED) != 0;
    gboolean restore = restore_fd >= 0;
    uint32_t domid = 0;
    XvHostOp *op;
    int rc;

    if (xv_domain_obj_is_active(dom)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' is already running"), dom->name);
        return FALSE;
    }
    if (boot_def == NULL) {
        g_mutex_lock(&dom->lock);
        ref = xv_domain_obj_boot_def_locked(dom);
        g_mutex_unlock(&dom->lock);
        boot_def = ref->def;
    }
    live = xv_domain_def_copy(boot_def);
    xv_driver_conf_options(drv, &opts);
    if (!xv_libxl_config_from_def(live, &opts, &cfg, error)) {
        libxl_domain_config_dispose(&cfg);
        return FALSE;
    }
    xv_job_set_record_data(ctx->hold, "op", restore ? "restore" : "start");
    xv_job_set_phase(ctx->hold, restore ? "restoring" : "building");
    xv_persist_write_status_or_warn(drv, dom);

    op = xv_job_ctx_op(ctx);
    if (restore)
        rc = xv_host_create_restore(drv->host, &cfg, paused, restore_fd, &domid, op, error);
    else
        rc = xv_host_create_new(drv->host, &cfg, paused, &domid, op, error);
    libxl_domain_config_dispose(&cfg);
    if (rc != 0)
        return FALSE;

    /* Aborted after the host finished: roll back to no domain. */
    if (xv_job_is_aborted(ctx->hold)) {
        xv_host_destroy(drv->host, domid, NULL);
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                    _("starting domain '%s' was aborted"), dom->name);
        return FALSE;
    }
    if (xv_host_watch_domain(drv->host, domid, error) != 0) {
        xv_host_destroy(drv->host, domid, NULL);
        return FALSE;
    }
    xv_domain_mark_active(drv, dom, (int)domid, g_steal_pointer(&live),
                          paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                          paused ? VIR_DOMAIN_PAUSED_USER
                                 : (restore ? VIR_DOMAIN_RUNNING_RESTORED
                                            : VIR_DOMAIN_RUNNING_BOOTED));
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STARTED,
                   restore ? VIR_DOMAIN_EVENT_STARTED_RESTORED : VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused)
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_SUSPENDED,
                       VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return TRUE;
}


gboolean
xv_driver_domain_start(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    XvJobCtx ctx;
    gboolean ok = FALSE, has_ms;

    if (!xv_driver_check_flags(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_FORCE_BOOT |
                               VIR_DOMAIN_START_BYPASS_CACHE, error))
        return FALSE;
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_START, "start", error) == NULL) {
        xv_error_prefix(error, _("cannot start domain '%s': "), dom->name);
        xv_job_ctx_clear(&ctx);
        return FALSE;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        goto out;
    g_mutex_lock(&dom->lock);
    has_ms = dom->has_managed_save;
    g_mutex_unlock(&dom->lock);
    if (has_ms && !(flags & VIR_DOMAIN_START_FORCE_BOOT) && !xv_domain_obj_is_active(dom)) {
        ok = xv_domain_restore_managed(drv, dom, &ctx, flags, error);
    } else {
        ok = xv_domain_start_job(drv, dom, &ctx, flags, -1, NULL, error);
        if (ok && has_ms) {
            /* FORCE_BOOT discards the image (libvirt does the same). */
            g_autofree char *path = xv_persist_managed_save_path(drv, dom);

            xv_file_remove(path, NULL);
            g_mutex_lock(&dom->lock);
            dom->has_managed_save = FALSE;
            g_mutex_unlock(&dom->lock);
        }
    }
 out:
    if (!ok)
        xv_error_prefix(error, _("cannot start domain '%s': "), dom->name);
    xv_job_ctx_end(&ctx, ok, error != NULL ? *error : NULL);
    xv_job_ctx_clear(&ctx);
    return ok;
}

XvDomainObj *
xv_driver_create_xml(XvDriver *drv, const char *xml, guint flags, GError **error)
{
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    g_autoptr(XvDomainObj) existing = NULL;
    XvJobCtx ctx;
    gboolean ok;

    if ((flags & VIR_DOMAIN_START_AUTODESTROY) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED,
                    _("cannot create a domain that is destroyed with the connection: xenvirt has no connection to tie it to"));
        return NULL;
    }
    if (!xv_driver_check_flags(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_VALIDATE |
                               VIR_DOMAIN_START_BYPASS_CACHE, error))
        return NULL;
    def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);
    if (def == NULL)
        return NULL;
    if (g_str_equal(def->name, "Domain-0") || xv_uuid_is_null(def->uuid)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' would clash with Domain-0, the host's control domain"),
                    def->name);
        return NULL;
    }
    if (!xv_driver_find_for_def(drv, def, &existing, error))
        return NULL;
    if (existing != NULL) {
        /* libvirt: create of a defined, inactive domain starts it with this
         * definition as its live one; an active one is refused. */
        if (xv_domain_obj_is_active(existing)) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("cannot create domain '%s': it is already running"), def->name);
            return NULL;
        }
        dom = g_steal_pointer(&existing);
    } else {
        dom = xv_driver_add_new(drv, xv_domain_def_copy(def), FALSE, error);
        if (dom == NULL)
            return NULL;
    }
    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_START, "create", error) == NULL) {
        ok = FALSE;
    } else {
        ok = xv_domain_start_job(drv, dom, &ctx, flags, -1, def, error);
        xv_job_ctx_end(&ctx, ok, error != NULL ? *error : NULL);
    }
    xv_job_ctx_clear(&ctx);
    if (!ok) {
        if (!xv_domain_obj_is_persistent(dom) && !xv_domain_obj_is_active(dom))
            xv_driver_remove(drv, dom);
        xv_error_prefix(error, _("cannot create domain '%s': "), def->name);
        return NULL;
    }
    return g_steal_pointer(&dom);
}

/* ---- destroy ------------------------------------------------------------ */

gboolean
xv_driver_domain_destroy(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    gboolean interrupted;
    int domid;

    if (!xv_driver_check_flags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, error))
        return FALSE;
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    interrupted = xv_job_slot_get_async(&dom->job) != XV_ASYNC_JOB_NONE;
    hold = xv_job_begin(&dom->job, XV_JOB_DESTROY, "destroy", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL) {
        xv_error_prefix(error, _("cannot destroy domain '%s': "), dom->name);
        return FALSE;
    }
    domid = xv_domain_obj_get_id(dom);
    if (domid < 0) {
        /* The async job we interrupted rolled back to no domain. */
        if (interrupted)
            return TRUE;
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("cannot destroy domain '%s': it is not running"), dom->name);
        return FALSE;
    }
    if (!xv_domain_host_destroy(drv, dom, domid, error)) {
        xv_error_prefix(error, _("cannot destroy domain '%s': "), dom->name);
        return FALSE;
    }
    xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_DESTROYED, FALSE);
    g_clear_pointer(&hold, xv_job_end);
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                   VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    return TRUE;
}

/* ---- shutdown, reboot, suspend, resume ---------------------------------- */

typedef int (*HostDomFunc)(XvHost *host, uint32_t domid, GError **error);

/* A sync job on an active domain around one host call.  want_state: the
 * state the domain must be in (-1: any active state). */
static gboolean
simple_op(XvDriver *drv, XvDomainObj *dom, XvJob job, const char *label, const char *what,
          int want_state, HostDomFunc func, int new_state, int new_reason, int event,
          int detail, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    int domid, state;

    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    hold = xv_job_begin(&dom->job, job, label, XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL)
        goto fail;
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    domid = dom->domid;
    state = dom->state;
    g_mutex_unlock(&dom->lock);
    if (domid < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain is not running"));
        goto fail;
    }
    if (want_state >= 0 && state != want_state) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    want_state == VIR_DOMAIN_PAUSED ? _("domain is not paused")
                                                    : _("domain is not running"));
        goto fail;
    }
    if (func(drv->host, (uint32_t)domid, error) != 0)
        goto fail;
    if (new_state >= 0) {
        g_mutex_lock(&dom->lock);
        if (dom->domid == domid) {
            dom->state = new_state;
            dom->reason = new_reason;
        }
        g_mutex_unlock(&dom->lock);
        xv_persist_write_status_or_warn(drv, dom);
    }
    g_clear_pointer(&hold, xv_job_end);
    if (event >= 0)
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
    return TRUE;
 fail:
    /* TRANSLATORS: %1$s is a verb ("shut down", "pause"), %2$s the domain. */
    xv_error_prefix(error, _("cannot %1$s domain '%2$s': "), what, dom->name);
    return FALSE;
}

#define SHUTDOWN_FLAGS (VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_PARAVIRT)
#define REBOOT_FLAGS (VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_PARAVIRT)

gboolean
xv_driver_domain_shutdown(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    if (!xv_driver_check_flags(flags, SHUTDOWN_FLAGS, error))
        return FALSE;
    return simple_op(drv, dom, XV_JOB_MODIFY, "shutdown", _("shut down"), VIR_DOMAIN_RUNNING,
                     xv_host_shutdown, -1, 0, -1, 0, error);
}

gboolean
xv_driver_domain_reboot(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    if (!xv_driver_check_flags(flags, REBOOT_FLAGS, error))
        return FALSE;
    return simple_op(drv, dom, XV_JOB_MODIFY, "reboot", _("reboot"), VIR_DOMAIN_RUNNING,
                     xv_host_reboot, -1, 0, -1, 0, error);
}

gboolean
xv_driver_domain_suspend(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    return simple_op(drv, dom, XV_JOB_SUSPEND, "suspend", _("suspend"), VIR_DOMAIN_RUNNING,
                     xv_host_pause, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER,
                     VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, error);
}

gboolean
xv_driver_domain_resume(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    return simple_op(drv, dom, XV_JOB_SUSPEND, "resume", _("resume"), VIR_DOMAIN_PAUSED,
                     xv_host_unpause, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED,
                     VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, error);
}

/* ---- host events: lifecycle actions ------------------------------------- */

static void
restart_domain(XvDriver *drv, XvDomainObj *dom, XvDefRef *boot)
{
    g_autoptr(GError) error = NULL;
    XvJobCtx ctx;
    gboolean ok = FALSE;

    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_START, "restart", &error) != NULL) {
        ok = xv_domain_start_job(drv, dom, &ctx, 0, -1, boot->def, &error);
        xv_job_ctx_end(&ctx, ok, error);
    }
    xv_job_ctx_clear(&ctx);
    if (!ok) {
        g_warning("cannot restart domain '%s': %s", dom->name, error->message);
        if (!xv_domain_obj_is_active(dom)) {
            xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_FAILED, FALSE);
            xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                           VIR_DOMAIN_EVENT_STOPPED_FAILED);
        }
    }
}

static void
auto_core_dump(XvDriver *drv, XvDomainObj *dom, guint32 domid)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d-%H:%M:%S");
    g_autofree char *base = g_strdup_printf("%s-%s.core", dom->name, stamp);
    g_autofree char *path = g_build_filename(drv->dump_dir, base, NULL);
    g_autoptr(XvHostOp) op = xv_host_op_new(NULL, NULL);
    g_autoptr(GError) error = NULL;

    if (xv_host_core_dump(drv->host, domid, path, op, &error) != 0) {
        g_warning("cannot dump the core of crashed domain '%s': %s", dom->name, error->message);
        unlink(path);
    }
}

gboolean
xv_domain_handle_shutdown(XvDriver *drv, XvDomainObj *dom, guint32 domid,
                          libxl_shutdown_reason reason)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDefRef) boot = NULL;
    XvDomainLifecycleAction action;
    int stop_reason, stop_detail;
    gboolean restart = FALSE, transient, preserved = FALSE;

    /* While an async job (a save, a dump...) holds the domain, do not tie a
     * worker up waiting for it: the caller keeps the event and hands it back
     * when the job ends (driver.c). */
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "lifecycle",
                        xv_job_slot_get_async(&dom->job) != XV_ASYNC_JOB_NONE
                        ? 0 : XV_JOB_WAIT_DEFAULT, &error);
    if (hold == NULL) {
        if (xv_domain_obj_get_id(dom) != (int)domid)
            return TRUE;   /* the job that was in the way dealt with it */
        g_info("the shutdown of domain '%s' waits for its job: %s", dom->name, error->message);
        return FALSE;
    }
    if (xv_domain_obj_get_id(dom) != (int)domid)
        return TRUE;   /* already handled, or a new incarnation */

    if ((int)reason == -1) {
        /* Gone without the driver destroying it (e.g. `xl destroy`). */
        xv_host_unwatch_domain(drv->host, domid);
        xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_DESTROYED, FALSE);
        g_clear_pointer(&hold, xv_job_end);
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                       VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
        return TRUE;
    }

    g_mutex_lock(&dom->lock);
    boot = xv_domain_obj_boot_def_locked(dom);
    transient = !dom->persistent;
    g_mutex_unlock(&dom->lock);

    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_SUSPEND:
        return TRUE;   /* a save owns it */
    case LIBXL_SHUTDOWN_REASON_CRASH:
    case LIBXL_SHUTDOWN_REASON_WATCHDOG:
        action = boot->def->on_crash;
        stop_reason = VIR_DOMAIN_SHUTOFF_CRASHED;
        stop_detail = VIR_DOMAIN_EVENT_STOPPED_CRASHED;
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CRASHED,
                       VIR_DOMAIN_EVENT_CRASHED_PANICKED);
        break;
    case LIBXL_SHUTDOWN_REASON_REBOOT:
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET:
        action = boot->def->on_reboot;
        stop_reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        stop_detail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
        break;
    default:
        action = boot->def->on_poweroff;
        stop_reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        stop_detail = VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_SHUTDOWN,
                       VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED);
        break;
    }

    switch (action) {
    case XV_DOMAIN_LIFECYCLE_PRESERVE:
        /* Left on the host as it is, for inspection; destroy removes it. */
        g_mutex_lock(&dom->lock);
        if (stop_reason == VIR_DOMAIN_SHUTOFF_CRASHED) {
            dom->state = VIR_DOMAIN_CRASHED;
            dom->reason = VIR_DOMAIN_CRASHED_PANICKED;
        } else {
            dom->state = VIR_DOMAIN_SHUTDOWN;
            dom->reason = VIR_DOMAIN_SHUTDOWN_USER;
        }
        g_mutex_unlock(&dom->lock);
        xv_persist_write_status_or_warn(drv, dom);
        return TRUE;
    case XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY:
    case XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART:
        auto_core_dump(drv, dom, domid);
        restart = action == XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART;
        break;
    case XV_DOMAIN_LIFECYCLE_RENAME_RESTART:
        /* As xl does: the incarnation that stopped is kept on the host,
         * renamed "<name>--incarnation-<domid>" with a new uuid (so that it
         * is a foreign domain from now on: inspect it, dump it, `xl destroy`
         * it), and the domain restarts under its own name and uuid. */
        {
            g_autofree char *suffix = g_strdup_printf("--incarnation-%u", domid);
            libxl_uuid fresh;

            libxl_uuid_generate(&fresh);
            xv_host_unwatch_domain(drv->host, domid);
            if (xv_host_domain_preserve(drv->host, domid, dom->name, suffix, &fresh,
                                        &error) == 0) {
                g_message("domain '%s': the stopped incarnation %u is kept as '%s%s'",
                          dom->name, domid, dom->name, suffix);
                preserved = TRUE;
            } else {
                g_warning("domain '%s': cannot keep the stopped incarnation, restarting without it: %s",
                          dom->name, error->message);
                g_clear_error(&error);
                xv_host_watch_domain(drv->host, domid, NULL);
            }
        }
        restart = TRUE;
        break;
    case XV_DOMAIN_LIFECYCLE_RESTART:
        restart = TRUE;
        break;
    default:
        break;
    }

    if (!preserved && !xv_domain_host_destroy(drv, dom, (int)domid, &error)) {
        g_warning("cannot clean up domain '%s' after it shut down: %s", dom->name,
                  error->message);
        return TRUE;
    }
    xv_domain_mark_inactive(drv, dom, stop_reason, restart);
    g_clear_pointer(&hold, xv_job_end);
    if (restart && reason == LIBXL_SHUTDOWN_REASON_REBOOT) {
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0);
    } else {
        xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                       stop_detail);
    }
    if (restart) {
        restart_domain(drv, dom, boot);
        if (transient && !xv_domain_obj_is_active(dom))
            xv_driver_remove(drv, dom);
    }
    return TRUE;
}
