/*
 * domain-save.c: save, managed save, restore, save-image XML, core dump.
 *
 * Files are written as "<path>.part" and renamed into place only when
 * whole, so an abort, a host fault or a killed driver never leaves a partial
 * file under the final name; the job record names the .part file so that
 * recovery removes it (domain-persist.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"
#include "util/xv-file.h"

static gboolean
sync_dir_of(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    return xv_file_sync_dir(dir, NULL);
}

static gboolean
check_save_flags(guint flags, GError **error)
{
    if (!xv_driver_check_flags(flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                               VIR_DOMAIN_SAVE_PAUSED, error))
        return FALSE;
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("the flags 'running' and 'paused' exclude each other"));
        return FALSE;
    }
    return TRUE;
}

/* An alternative XML for an image must describe the same domain. */
static XvDomainDef *
parse_alt_xml(const XvDomainDef *orig, const char *dxml, GError **error)
{
    g_autoptr(XvDomainDef) def = xv_domain_def_parse(dxml, -1, XV_PARSE_INACTIVE, error);
    char a[XV_UUID_STRING_BUFLEN], b[XV_UUID_STRING_BUFLEN];

    if (def == NULL)
        return NULL;
    if (memcmp(def->uuid, orig->uuid, XV_UUID_BUFLEN) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("the alternative XML has uuid %1$s, the image is of domain uuid %2$s"),
                    xv_uuid_format(def->uuid, a), xv_uuid_format(orig->uuid, b));
        return NULL;
    }
    if (!g_str_equal(def->name, orig->name)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("the alternative XML names domain '%1$s', the image is of domain '%2$s'"),
                    def->name, orig->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* ---- save --------------------------------------------------------------- */

static gboolean
save_job(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, const char *path, const char *dxml,
         guint flags, gboolean managed, GError **error)
{
    g_auto(XvDomainSnap) s = { 0 };
    g_autoptr(XvDomainDef) alt = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *tmp = g_strdup_printf("%s.part", path);
    const XvDomainDef *def;
    gboolean was_running;
    XvHostOp *op;
    int fd, rc;

    xv_domain_obj_snap(dom, &s);
    if (s.domid < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("domain is not running"));
        return FALSE;
    }
    if (managed && !s.persistent) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("a transient domain has no managed save image"));
        return FALSE;
    }
    def = s.live_def->def;
    if (dxml != NULL) {
        alt = parse_alt_xml(def, dxml, error);
        if (alt == NULL)
            return FALSE;
        def = alt;
    }
    xml = xv_domain_def_format(def, XV_FORMAT_SECURE | XV_FORMAT_INACTIVE);
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        was_running = TRUE;
    else if (flags & VIR_DOMAIN_SAVE_PAUSED)
        was_running = FALSE;
    else
        was_running = s.state == VIR_DOMAIN_RUNNING;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot create %1$s: %2$s"), tmp,
                    g_strerror(e));
        return FALSE;
    }
    xv_job_set_record_data(ctx->hold, "path", path);
    xv_job_set_record_data(ctx->hold, "tmp", tmp);
    xv_job_set_record_data(ctx->hold, "managed", managed ? "1" : "0");
    xv_job_set_record_data(ctx->hold, "phase", "stream");
    xv_job_set_phase(ctx->hold, "saving");
    xv_persist_write_status_or_warn(drv, dom);

    op = xv_job_ctx_op(ctx);
    if (!xv_save_header_write(fd, xml, was_running, error)) {
        rc = ERROR_FAIL;
    } else {
        rc = xv_host_suspend(drv->host, (uint32_t)s.domid, fd, 0, op, error);
    }
    if (rc == 0 && fsync(fd) < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot write %1$s: %2$s"), tmp,
                    g_strerror(e));
        rc = ERROR_FAIL;
    }
    close(fd);
    if (rc == 0 && rename(tmp, path) < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot rename %1$s to %2$s: %3$s"), tmp,
                    path, g_strerror(e));
        rc = ERROR_FAIL;
    }
    if (rc != 0) {
        /* The domain keeps running; the host rolled back. */
        unlink(tmp);
        sync_dir_of(tmp);
        return FALSE;
    }
    sync_dir_of(path);
    /* Past the point of no return: the image is whole. */
    xv_job_set_mask(ctx->hold, xv_async_job_default_mask(XV_ASYNC_JOB_SAVE) &
                               ~XV_JOB_MASK(XV_JOB_ABORT));
    xv_job_set_record_data(ctx->hold, "phase", "complete");
    xv_persist_write_status_or_warn(drv, dom);
    if (managed) {
        g_mutex_lock(&dom->lock);
        dom->has_managed_save = TRUE;
        g_mutex_unlock(&dom->lock);
    }
    {
        g_autoptr(GError) local = NULL;

        if (!xv_domain_host_destroy(drv, dom, s.domid, &local))
            g_warning("domain '%s' was saved but cannot be destroyed: %s", dom->name,
                      local->message);
    }
    xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_SAVED, FALSE);
    xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                   VIR_DOMAIN_EVENT_STOPPED_SAVED);
    return TRUE;
}

static gboolean
do_save(XvDriver *drv, XvDomainObj *dom, const char *path, const char *dxml, guint flags,
        gboolean managed, GError **error)
{
    g_autofree char *mpath = NULL;
    XvJobCtx ctx;
    gboolean ok = FALSE;

    if (!check_save_flags(flags, error) || !xv_driver_check_dom(drv, dom, error))
        return FALSE;
    if (managed)
        path = mpath = xv_persist_managed_save_path(drv, dom);
    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_SAVE, managed ? "managed-save" : "save",
                         error) != NULL) {
        ok = xv_driver_check_dom(drv, dom, error) &&
             save_job(drv, dom, &ctx, path, dxml, flags, managed, error);
        xv_job_ctx_end(&ctx, ok, error != NULL ? *error : NULL);
    }
    xv_job_ctx_clear(&ctx);
    if (!ok)
        xv_error_prefix(error, _("cannot save domain '%s': "), dom->name);
    return ok;
}

gboolean
xv_driver_domain_save(XvDriver *drv, XvDomainObj *dom, const char *path, const char *dxml,
                      guint flags, GError **error)
{
    if (path == NULL || !g_path_is_absolute(path)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot save domain '%1$s': the path '%2$s' is not absolute"), dom->name,
                    path != NULL ? path : "");
        return FALSE;
    }
    return do_save(drv, dom, path, dxml, flags, FALSE, error);
}

gboolean
xv_driver_domain_managed_save(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    return do_save(drv, dom, NULL, NULL, flags, TRUE, error);
}

gboolean
xv_driver_domain_managed_save_remove(XvDriver *drv, XvDomainObj *dom, guint flags,
                                     GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autofree char *path = NULL;

    if (!xv_driver_check_flags(flags, 0, error) || !xv_driver_check_dom(drv, dom, error))
        return FALSE;
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "managed-save-remove", XV_JOB_WAIT_DEFAULT,
                        error);
    if (hold == NULL) {
        xv_error_prefix(error, _("cannot remove the managed save image of domain '%s': "),
                        dom->name);
        return FALSE;
    }
    path = xv_persist_managed_save_path(drv, dom);
    if (!xv_file_remove(path, error)) {
        xv_error_prefix(error, _("cannot remove the managed save image of domain '%s': "),
                        dom->name);
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    dom->has_managed_save = FALSE;
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

/* ---- restore ------------------------------------------------------------ */

static int
open_image(const char *path, char **xml, gboolean *was_running, GError **error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot open save image %1$s: %2$s"),
                    path, g_strerror(e));
        return -1;
    }
    if (!xv_save_header_read(fd, path, xml, was_running, error)) {
        close(fd);
        return -1;
    }
    return fd;
}

static XvDomainDef *
image_def(const char *path, const char *xml, GError **error)
{
    XvDomainDef *def = xv_domain_def_parse(xml, -1, XV_PARSE_INACTIVE, error);

    if (def == NULL)
        xv_error_prefix(error, _("save image %s holds an invalid definition: "), path);
    return def;
}

gboolean
xv_domain_restore_managed(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, guint flags,
                          GError **error)
{
    g_autofree char *path = xv_persist_managed_save_path(drv, dom);
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    gboolean was_running = TRUE, ok;
    int fd;

    fd = open_image(path, &xml, &was_running, error);
    if (fd < 0)
        return FALSE;
    def = image_def(path, xml, error);
    if (def == NULL) {
        close(fd);
        return FALSE;
    }
    if (!was_running)
        flags |= VIR_DOMAIN_START_PAUSED;
    ok = xv_domain_start_job(drv, dom, ctx, flags & VIR_DOMAIN_START_PAUSED, fd, def, error);
    close(fd);
    if (ok) {
        xv_file_remove(path, NULL);
        g_mutex_lock(&dom->lock);
        dom->has_managed_save = FALSE;
        g_mutex_unlock(&dom->lock);
    }
    return ok;
}

XvDomainObj *
xv_driver_restore(XvDriver *drv, const char *path, const char *dxml, guint flags,
                  GError **error)
{
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    gboolean was_running = TRUE, created = FALSE, ok = FALSE;
    XvJobCtx ctx;
    int fd;

    if (!check_save_flags(flags, error))
        return NULL;
    fd = open_image(path, &xml, &was_running, error);
    if (fd < 0)
        goto fail;
    def = image_def(path, xml, error);
    if (def != NULL && dxml != NULL) {
        XvDomainDef *alt = parse_alt_xml(def, dxml, error);

        xv_domain_def_free(g_steal_pointer(&def));
        def = alt;
    }
    if (def == NULL || !xv_driver_find_for_def(drv, def, &dom, error))
        goto fail;
    if (dom != NULL && xv_domain_obj_is_active(dom)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' is already running"), def->name);
        goto fail;
    }
    if (dom == NULL) {
        dom = xv_driver_add_new(drv, xv_domain_def_copy(def), FALSE, error);
        if (dom == NULL)
            goto fail;
        created = TRUE;
    }
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        was_running = TRUE;
    else if (flags & VIR_DOMAIN_SAVE_PAUSED)
        was_running = FALSE;
    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_RESTORE, "restore", error) != NULL) {
        xv_job_set_record_data(ctx.hold, "path", path);
        ok = xv_domain_start_job(drv, dom, &ctx, was_running ? 0 : VIR_DOMAIN_START_PAUSED, fd,
                                 def, error);
        xv_job_ctx_end(&ctx, ok, error != NULL ? *error : NULL);
    }
    xv_job_ctx_clear(&ctx);
    if (!ok && created && !xv_domain_obj_is_active(dom))
        xv_driver_remove(drv, dom);
 fail:
    if (fd >= 0)
        close(fd);
    if (!ok) {
        xv_error_prefix(error, _("cannot restore domain from %s: "), path);
        return NULL;
    }
    return g_steal_pointer(&dom);
}

char *
xv_driver_save_image_get_xml(XvDriver *drv, const char *path, guint flags, GError **error)
{
    g_autofree char *xml = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    int fd;

    if (!xv_driver_check_flags(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, error))
        return NULL;
    fd = open_image(path, &xml, NULL, error);
    if (fd < 0)
        return NULL;
    close(fd);
    def = image_def(path, xml, error);
    if (def == NULL)
        return NULL;
    return xv_domain_def_format(def, XV_FORMAT_INACTIVE |
                                     ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)
                                      ? XV_FORMAT_SECURE : 0));
}

gboolean
xv_driver_save_image_define_xml(XvDriver *drv, const char *path, const char *dxml,
                                guint flags, GError **error)
{
    g_autofree char *xml = NULL;
    g_autofree char *newxml = NULL;
    g_autofree char *tmp = g_strdup_printf("%s.part", path);
    g_autoptr(XvDomainDef) def = NULL;
    g_autoptr(XvDomainDef) alt = NULL;
    g_autofree guint8 *buf = g_malloc(1 << 20);
    gboolean was_running = TRUE, ok = FALSE;
    int in, out = -1;

    if (!check_save_flags(flags & ~VIR_DOMAIN_SAVE_BYPASS_CACHE, error))
        return FALSE;
    in = open_image(path, &xml, &was_running, error);
    if (in < 0)
        goto out;
    def = image_def(path, xml, error);
    if (def == NULL || (alt = parse_alt_xml(def, dxml, error)) == NULL)
        goto out;
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        was_running = TRUE;
    else if (flags & VIR_DOMAIN_SAVE_PAUSED)
        was_running = FALSE;
    newxml = xv_domain_def_format(alt, XV_FORMAT_SECURE | XV_FORMAT_INACTIVE);
    out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0 || !xv_save_header_write(out, newxml, was_running, error))
        goto io_fail;
    for (;;) {
        ssize_t n = read(in, buf, 1 << 20), w = 0;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto io_fail;
        if (n == 0)
            break;
        while (w < n) {
            ssize_t m = write(out, buf + w, (size_t)(n - w));

            if (m < 0 && errno == EINTR)
                continue;
            if (m < 0)
                goto io_fail;
            w += m;
        }
    }
    if (fsync(out) < 0 || rename(tmp, path) < 0)
        goto io_fail;
    sync_dir_of(path);
    ok = TRUE;
    goto out;
 io_fail:
    if (error != NULL && *error == NULL) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot rewrite %1$s: %2$s"), path,
                    g_strerror(e));
    }
    unlink(tmp);
 out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (!ok)
        xv_error_prefix(error, _("cannot update the definition in save image %s: "), path);
    return ok;
}

/* ---- core dump ---------------------------------------------------------- */

static gboolean
dump_job(XvDriver *drv, XvDomainObj *dom, XvJobCtx *ctx, const char *path, guint flags,
         GError **error)
{
    g_autofree char *tmp = g_strdup_printf("%s.part", path);
    gboolean paused_by_us = FALSE;
    int domid, state, rc;

    g_mutex_lock(&dom->lock);
    domid = dom->domid;
    state = dom->state;
    g_mutex_unlock(&dom->lock);
    if (domid < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("domain is not running"));
        return FALSE;
    }
    xv_job_set_record_data(ctx->hold, "path", path);
    xv_job_set_record_data(ctx->hold, "tmp", tmp);
    xv_job_set_phase(ctx->hold, "dumping");
    xv_persist_write_status_or_warn(drv, dom);
    /* Without LIVE the guest is paused for a consistent image (libvirt). */
    if (!(flags & VIR_DUMP_LIVE) && state == VIR_DOMAIN_RUNNING) {
        if (xv_host_pause(drv->host, (uint32_t)domid, error) != 0)
            return FALSE;
        paused_by_us = TRUE;
        g_mutex_lock(&dom->lock);
        dom->state = VIR_DOMAIN_PAUSED;
        dom->reason = VIR_DOMAIN_PAUSED_DUMP;
        g_mutex_unlock(&dom->lock);
    }
    rc = xv_host_core_dump(drv->host, (uint32_t)domid, tmp, xv_job_ctx_op(ctx), error);
    if (rc == 0 && rename(tmp, path) < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot rename %1$s to %2$s: %3$s"), tmp,
                    path, g_strerror(e));
        rc = ERROR_FAIL;
    }
    if (rc != 0) {
        unlink(tmp);
        sync_dir_of(tmp);
    } else {
        sync_dir_of(path);
    }
    if (rc == 0 && (flags & VIR_DUMP_CRASH)) {
        if (xv_domain_host_destroy(drv, dom, domid, error)) {
            xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_CRASHED, FALSE);
            xv_driver_emit(drv, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_STOPPED,
                           VIR_DOMAIN_EVENT_STOPPED_CRASHED);
            return TRUE;
        }
        rc = ERROR_FAIL;
    }
    if (paused_by_us) {
        if (xv_host_unpause(drv->host, (uint32_t)domid, NULL) == 0) {
            g_mutex_lock(&dom->lock);
            if (dom->domid == domid) {
                dom->state = VIR_DOMAIN_RUNNING;
                dom->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
            }
            g_mutex_unlock(&dom->lock);
        }
        xv_persist_write_status_or_warn(drv, dom);
    }
    return rc == 0;
}

gboolean
xv_driver_domain_core_dump(XvDriver *drv, XvDomainObj *dom, const char *path, guint flags,
                           GError **error)
{
    XvJobCtx ctx;
    gboolean ok = FALSE;

    if (!xv_driver_check_flags(flags, VIR_DUMP_LIVE | VIR_DUMP_CRASH | VIR_DUMP_BYPASS_CACHE,
                               error))
        return FALSE;
    if (path == NULL || !g_path_is_absolute(path)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot dump domain '%1$s': the path '%2$s' is not absolute"), dom->name,
                    path != NULL ? path : "");
        return FALSE;
    }
    if (!xv_driver_check_dom(drv, dom, error))
        return FALSE;
    xv_job_ctx_init(&ctx);
    if (xv_job_ctx_begin(&ctx, dom, XV_ASYNC_JOB_DUMP, "dump", error) != NULL) {
        ok = xv_driver_check_dom(drv, dom, error) && dump_job(drv, dom, &ctx, path, flags, error);
        xv_job_ctx_end(&ctx, ok, error != NULL ? *error : NULL);
    }
    xv_job_ctx_clear(&ctx);
    if (!ok)
        xv_error_prefix(error, _("cannot dump domain '%s': "), dom->name);
    return ok;
}
