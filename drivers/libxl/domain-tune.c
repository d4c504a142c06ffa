/*
 * domain-tune.c: vcpu pinning and counts, memory, scheduler parameters.
 *
 * Every change builds a new definition (copy, edit, validate) and swaps it
 * in: live changes after the host accepted them, config changes after the
 * config file was written.  Reads of pinning and counts answer from the
 * definitions without waiting; vcpu info and scheduler reads are QUERYs.
 */
#include <string.h>

#include <glib/gi18n.h>
#include <libxl_utils.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"

#define AFFECT_FLAGS (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

/* Begin a MODIFY job on a manageable domain and resolve the affect flags. */
XvJobHold *
xv_domain_begin_modify(XvDriver *drv, XvDomainObj *dom, const char *label, guint flags,
                       gboolean *live, gboolean *config, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;

    if (!xv_driver_check_dom(drv, dom, error))
        return NULL;
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, label, XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL || !xv_driver_check_dom(drv, dom, error) ||
        !xv_driver_resolve_affect(dom, flags, live, config, error))
        return NULL;
    if (xv_job_slot_get_async(&dom->job) == XV_ASYNC_JOB_MIGRATION_OUT) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("domain is migrating"));
        return NULL;
    }
    return g_steal_pointer(&hold);
}

/* Copies of the definitions a change will edit (NULL when not affected). */
void
xv_domain_copy_defs(XvDomainObj *dom, gboolean live, gboolean config, XvDomainDef **live_out,
                    XvDomainDef **config_out)
{
    g_mutex_lock(&dom->lock);
    *live_out = live && dom->live_def != NULL ? xv_domain_def_copy(dom->live_def->def) : NULL;
    *config_out = config && dom->persistent_def != NULL
                  ? xv_domain_def_copy(dom->persistent_def->def) : NULL;
    g_mutex_unlock(&dom->lock);
}

/* Publish edited definitions: the config one is written first. */
gboolean
xv_domain_commit_defs(XvDriver *drv, XvDomainObj *dom, XvDomainDef *live, XvDomainDef *config,
                      GError **error)
{
    XvDefRef *old_live = NULL, *old_config = NULL;

    if (config != NULL && !xv_persist_write_config(drv, config, error)) {
        xv_domain_def_free(live);
        xv_domain_def_free(config);
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    if (live != NULL) {
        old_live = dom->live_def;
        dom->live_def = xv_def_ref_new(live);
    }
    if (config != NULL) {
        old_config = dom->persistent_def;
        dom->persistent_def = xv_def_ref_new(config);
    }
    g_mutex_unlock(&dom->lock);
    xv_def_ref_release(old_live);
    xv_def_ref_release(old_config);
    if (live != NULL)
        xv_persist_write_status_or_warn(drv, dom);
    return TRUE;
}

/* ---- pinning ------------------------------------------------------------ */

static void
def_set_pin(XvDomainDef *def, guint vcpu, const XvBitmap *cpus)
{
    XvVcpuPin *pin;
    guint i;

    for (i = 0; i < def->cputune.vcpupins->len; i++) {
        pin = g_ptr_array_index(def->cputune.vcpupins, i);
        if (pin->vcpu == vcpu) {
            xv_bitmap_free(pin->cpuset);
            pin->cpuset = xv_bitmap_copy(cpus);
            return;
        }
        if (pin->vcpu > vcpu)
            break;
    }
    pin = g_new0(XvVcpuPin, 1);
    pin->vcpu = vcpu;
    pin->cpuset = xv_bitmap_copy(cpus);
    g_ptr_array_insert(def->cputune.vcpupins, (gint)i, pin);
}

static gboolean
check_cpus(XvDriver *drv, XvDomainObj *dom, const XvBitmap *cpus, GError **error)
{
    int last = cpus != NULL ? xv_bitmap_last(cpus) : -1;

    if (last < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot pin a vcpu of domain '%s' to an empty set of cpus"), dom->name);
        return FALSE;
    }
    if ((guint)last >= drv->host_cpus) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot pin a vcpu of domain '%1$s' to cpu %2$d: the host has %3$u cpus"),
                    dom->name, last, drv->host_cpus);
        return FALSE;
    }
    return TRUE;
}

static gboolean
check_vcpu(XvDomainObj *dom, const XvDomainDef *def, guint vcpu, GError **error)
{
    if (def != NULL && vcpu >= def->maxvcpus) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("domain '%1$s' has no vcpu %2$u (it has %3$u)"), dom->name, vcpu,
                    def->maxvcpus);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_driver_domain_pin_vcpu(XvDriver *drv, XvDomainObj *dom, guint vcpu, const XvBitmap *cpus,
                          guint flags, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    gboolean live, config;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS, error))
        return FALSE;
    hold = xv_domain_begin_modify(drv, dom, "pin-vcpu", flags, &live, &config, error);
    if (hold == NULL || !check_cpus(drv, dom, cpus, error))
        goto fail;
    xv_domain_copy_defs(dom, live, config, &live_def, &config_def);
    if (!check_vcpu(dom, live_def, vcpu, error) || !check_vcpu(dom, config_def, vcpu, error))
        goto fail;
    if (live_def != NULL) {
        libxl_bitmap map;
        int rc;

        xv_host_bitmap_alloc(&map, drv->host_cpus);
        for (int b = xv_bitmap_next(cpus, -1); b >= 0; b = xv_bitmap_next(cpus, b))
            libxl_bitmap_set(&map, b);
        rc = xv_host_set_vcpu_affinity(drv->host, (uint32_t)xv_domain_obj_get_id(dom), vcpu,
                                       &map, error);
        libxl_bitmap_dispose(&map);
        if (rc != 0)
            goto fail;
        def_set_pin(live_def, vcpu, cpus);
    }
    if (config_def != NULL) {
        def_set_pin(config_def, vcpu, cpus);
        if (!xv_domain_def_validate(config_def, error))
            goto fail;
    }
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def), error))
        goto fail;
    return TRUE;
 fail:
    xv_error_prefix(error, _("cannot pin vcpu %1$u of domain '%2$s': "), vcpu, dom->name);
    return FALSE;
}

/* The definition a read with AFFECT flags looks at. */
static XvDefRef *
read_def(XvDomainObj *dom, guint flags, GError **error)
{
    XvDefRef *ref = NULL;
    gboolean live, config;

    if (!xv_driver_resolve_affect(dom, flags, &live, &config, error))
        return NULL;
    if (live && config) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("live and config flags exclude each other for a read"));
        return NULL;
    }
    g_mutex_lock(&dom->lock);
    ref = xv_def_ref_acquire(live ? dom->live_def : dom->persistent_def);
    g_mutex_unlock(&dom->lock);
    return ref;
}

GPtrArray *
xv_driver_domain_get_vcpu_pin_info(XvDriver *drv, XvDomainObj *dom, guint flags,
                                   GError **error)
{
    g_autoptr(XvDefRef) ref = NULL;
    GPtrArray *out;
    const XvDomainDef *def;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS, error) ||
        !xv_driver_check_dom(drv, dom, error) || (ref = read_def(dom, flags, error)) == NULL)
        return NULL;
    def = ref->def;
    out = g_ptr_array_new_with_free_func((GDestroyNotify)xv_bitmap_free);
    for (guint v = 0; v < def->maxvcpus; v++) {
        XvBitmap *map = NULL;

        for (guint i = 0; i < def->cputune.vcpupins->len; i++) {
            XvVcpuPin *pin = g_ptr_array_index(def->cputune.vcpupins, i);

            if (pin->vcpu == v)
                map = xv_bitmap_copy(pin->cpuset);
        }
        if (map == NULL && def->cpuset != NULL)
            map = xv_bitmap_copy(def->cpuset);
        if (map == NULL) {
            map = xv_bitmap_new(drv->host_cpus);
            for (guint c = 0; c < drv->host_cpus; c++)
                xv_bitmap_set(map, c);
        }
        g_ptr_array_add(out, map);
    }
    return out;
}

void
xv_vcpu_info_clear(XvVcpuInfo *info)
{
    g_clear_pointer(&info->affinity, xv_bitmap_free);
}

GArray *
xv_driver_domain_get_vcpus(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    libxl_vcpuinfo *vi = NULL;
    int n = 0, domid;
    GArray *out;

    if (!xv_driver_check_dom(drv, dom, error))
        return NULL;
    hold = xv_job_begin(&dom->job, XV_JOB_QUERY, "vcpu-info", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL)
        goto fail;
    domid = xv_domain_obj_get_id(dom);
    if (domid < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID, _("domain is not running"));
        goto fail;
    }
    if (xv_host_list_vcpus(drv->host, (uint32_t)domid, &vi, &n, error) != 0)
        goto fail;
    out = g_array_sized_new(FALSE, TRUE, sizeof(XvVcpuInfo), (guint)n);
    g_array_set_clear_func(out, (GDestroyNotify)xv_vcpu_info_clear);
    for (int i = 0; i < n; i++) {
        XvVcpuInfo info = { 0 };

        info.number = vi[i].vcpuid;
        info.state = !vi[i].online ? VIR_VCPU_OFFLINE
                     : vi[i].running ? VIR_VCPU_RUNNING : VIR_VCPU_BLOCKED;
        info.cpu_time_ns = vi[i].vcpu_time;
        info.cpu = vi[i].online ? (int)vi[i].cpu : -1;
        info.affinity = xv_bitmap_new(drv->host_cpus);
        for (guint c = 0; c < drv->host_cpus && c < vi[i].cpumap.size * 8; c++)
            if (libxl_bitmap_test(&vi[i].cpumap, (int)c))
                xv_bitmap_set(info.affinity, c);
        g_array_append_val(out, info);
    }
    libxl_vcpuinfo_list_free(vi, n);
    return out;
 fail:
    xv_error_prefix(error, _("cannot read the vcpus of domain '%s': "), dom->name);
    return NULL;
}

/* ---- vcpu counts -------------------------------------------------------- */

gboolean
xv_driver_domain_set_vcpus(XvDriver *drv, XvDomainObj *dom, guint nvcpus, guint flags,
                           GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    gboolean live, config, maximum = (flags & VIR_DOMAIN_VCPU_MAXIMUM) != 0;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM, error))
        return FALSE;
    if (nvcpus == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot set the vcpus of domain '%s' to 0"), dom->name);
        return FALSE;
    }
    hold = xv_domain_begin_modify(drv, dom, "set-vcpus", flags, &live, &config, error);
    if (hold == NULL)
        goto fail;
    if (maximum && live) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("the maximum vcpu count of a running domain cannot change"));
        goto fail;
    }
    xv_domain_copy_defs(dom, live, config, &live_def, &config_def);
    if (maximum) {
        if (nvcpus > XV_DOMAIN_MAX_VCPUS) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("%1$u vcpus exceed the limit of %2$u"), nvcpus, XV_DOMAIN_MAX_VCPUS);
            goto fail;
        }
        config_def->maxvcpus = nvcpus;
        config_def->vcpus = MIN(config_def->vcpus, nvcpus);
        for (guint i = config_def->cputune.vcpupins->len; i > 0; i--) {
            XvVcpuPin *pin = g_ptr_array_index(config_def->cputune.vcpupins, i - 1);

            if (pin->vcpu >= nvcpus)
                g_ptr_array_remove_index(config_def->cputune.vcpupins, i - 1);
        }
    } else {
        const XvDomainDef *defs[2] = { live_def, config_def };

        for (guint i = 0; i < 2; i++) {
            if (defs[i] != NULL && nvcpus > defs[i]->maxvcpus) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("requested %1$u vcpus, the maximum for domain '%2$s' is %3$u"),
                            nvcpus, dom->name, defs[i]->maxvcpus);
                goto fail;
            }
        }
        if (live_def != NULL) {
            libxl_bitmap map;
            int rc;

            xv_host_bitmap_alloc(&map, live_def->maxvcpus);
            for (guint v = 0; v < nvcpus; v++)
                libxl_bitmap_set(&map, (int)v);
            rc = xv_host_set_vcpus_online(drv->host, (uint32_t)xv_domain_obj_get_id(dom), &map,
                                          error);
            libxl_bitmap_dispose(&map);
            if (rc != 0)
                goto fail;
            live_def->vcpus = nvcpus;
        }
        if (config_def != NULL)
            config_def->vcpus = nvcpus;
    }
    if (config_def != NULL && !xv_domain_def_validate(config_def, error))
        goto fail;
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def), error))
        goto fail;
    if (live) {
        g_mutex_lock(&dom->lock);
        dom->cur_vcpus = nvcpus;
        g_mutex_unlock(&dom->lock);
    }
    return TRUE;
 fail:
    xv_error_prefix(error, _("cannot set the vcpus of domain '%s': "), dom->name);
    return FALSE;
}

int
xv_driver_domain_get_vcpus_flags(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    g_autoptr(XvDefRef) ref = NULL;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS | VIR_DOMAIN_VCPU_MAXIMUM, error))
        return -1;
    if (!dom->is_dom0 && !xv_driver_check_dom(drv, dom, error))
        return -1;
    ref = read_def(dom, flags & AFFECT_FLAGS, error);
    if (ref == NULL)
        return -1;
    return (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? ref->def->maxvcpus : ref->def->vcpus);
}

/* ---- memory ------------------------------------------------------------- */

gboolean
xv_driver_domain_set_memory(XvDriver *drv, XvDomainObj *dom, guint64 kb, guint flags,
                            GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    gboolean live, config, maximum = (flags & VIR_DOMAIN_MEM_MAXIMUM) != 0, balloon = FALSE;
    int domid;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS | VIR_DOMAIN_MEM_MAXIMUM, error))
        return FALSE;
    if (kb == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot set the memory of domain '%s' to 0"), dom->name);
        return FALSE;
    }
    hold = xv_domain_begin_modify(drv, dom, "set-memory", flags, &live, &config, error);
    if (hold == NULL)
        goto fail;
    xv_domain_copy_defs(dom, live, config, &live_def, &config_def);
    domid = xv_domain_obj_get_id(dom);
    if (maximum) {
        if (live_def != NULL) {
            if (xv_host_set_max_memory(drv->host, (uint32_t)domid, kb, error) != 0)
                goto fail;
            live_def->memory_kb = kb;
            live_def->current_memory_kb = MIN(live_def->current_memory_kb, kb);
        }
        if (config_def != NULL) {
            config_def->memory_kb = kb;
            config_def->current_memory_kb = MIN(config_def->current_memory_kb, kb);
        }
    } else {
        const XvDomainDef *defs[2] = { live_def, config_def };

        for (guint i = 0; i < 2; i++) {
            if (defs[i] != NULL && kb > defs[i]->memory_kb) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("%1$llu KiB is more than the maximum memory of %2$llu KiB"),
                            (unsigned long long)kb, (unsigned long long)defs[i]->memory_kb);
                goto fail;
            }
        }
        if (live_def != NULL) {
            if (xv_host_set_memory_target(drv->host, (uint32_t)domid, kb, error) != 0)
                goto fail;
            live_def->current_memory_kb = kb;
            balloon = TRUE;
        }
        if (config_def != NULL)
            config_def->current_memory_kb = kb;
    }
    if (config_def != NULL && !xv_domain_def_validate(config_def, error))
        goto fail;
    if (live_def != NULL) {
        g_mutex_lock(&dom->lock);
        dom->max_mem_kb = live_def->memory_kb;
        dom->cur_mem_kb = MIN(dom->cur_mem_kb, live_def->memory_kb);
        if (!maximum)
            dom->cur_mem_kb = kb;   /* the target; REFRESH reads the balloon */
        g_mutex_unlock(&dom->lock);
    }
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def), error))
        goto fail;
    if (balloon)
        xv_driver_balloon_watch(drv, dom, domid, kb);
    return TRUE;
 fail:
    xv_error_prefix(error, _("cannot set the memory of domain '%s': "), dom->name);
    return FALSE;
}

/* ---- scheduler ---------------------------------------------------------- */

static gboolean
sched_is_rtds(XvDriver *drv)
{
    return drv->scheduler == LIBXL_SCHEDULER_RTDS;
}

static int
sched_check(XvDriver *drv, XvDomainObj *dom, guint flags, GError **error)
{
    int domid;

    if (!xv_driver_check_flags(flags, AFFECT_FLAGS, error) || !xv_driver_check_dom(drv, dom, error))
        return -1;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        g_set_error(error, XV_ERROR, XV_ERROR_ARGUMENT_UNSUPPORTED,
                    _("scheduler parameters of domain '%s' can only be changed live: the domain XML has no place for them"),
                    dom->name);
        return -1;
    }
    domid = xv_domain_obj_get_id(dom);
    if (domid < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("domain '%s' is not running"), dom->name);
        return -1;
    }
    if (drv->scheduler != LIBXL_SCHEDULER_CREDIT && drv->scheduler != LIBXL_SCHEDULER_CREDIT2 &&
        !sched_is_rtds(drv)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_UNSUPPORTED,
                    _("the host scheduler '%s' has no parameters xenvirt can show"),
                    libxl_scheduler_to_string(drv->scheduler));
        return -1;
    }
    return domid;
}

GVariant *
xv_driver_domain_get_scheduler_params(XvDriver *drv, XvDomainObj *dom, guint flags,
                                      GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    libxl_domain_sched_params p;
    GVariantBuilder b;
    int domid = sched_check(drv, dom, flags, error);

    if (domid < 0)
        return NULL;
    hold = xv_job_begin(&dom->job, XV_JOB_QUERY, "scheduler", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL || xv_host_sched_params_get(drv->host, (uint32_t)domid, &p, error) != 0) {
        xv_error_prefix(error, _("cannot read the scheduler parameters of domain '%s': "),
                        dom->name);
        return NULL;
    }
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    if (sched_is_rtds(drv)) {
        g_variant_builder_add(&b, "{sv}", "period", g_variant_new_uint32((guint32)p.period));
        g_variant_builder_add(&b, "{sv}", "budget", g_variant_new_uint32((guint32)p.budget));
    } else {
        g_variant_builder_add(&b, "{sv}", "weight", g_variant_new_uint32((guint32)p.weight));
        g_variant_builder_add(&b, "{sv}", "cap", g_variant_new_uint32((guint32)p.cap));
    }
    libxl_domain_sched_params_dispose(&p);
    return g_variant_ref_sink(g_variant_builder_end(&b));
}

gboolean
xv_driver_domain_set_scheduler_params(XvDriver *drv, XvDomainObj *dom, GVariant *params,
                                      guint flags, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    libxl_domain_sched_params p;
    GVariantIter it;
    const char *key;
    GVariant *value;
    int domid, rc;

    if (!g_variant_is_of_type(params, G_VARIANT_TYPE_VARDICT)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("scheduler parameters must be a dictionary of names to values"));
        return FALSE;
    }
    domid = sched_check(drv, dom, flags, error);
    if (domid < 0)
        return FALSE;
    libxl_domain_sched_params_init(&p);
    p.sched = drv->scheduler;
    g_variant_iter_init(&it, params);
    while (g_variant_iter_next(&it, "{&sv}", &key, &value)) {
        g_autoptr(GVariant) v = value;
        gboolean rtds_key = g_str_equal(key, "period") || g_str_equal(key, "budget");
        gboolean credit_key = g_str_equal(key, "weight") || g_str_equal(key, "cap");

        if (!(sched_is_rtds(drv) ? rtds_key : credit_key)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("the scheduler '%1$s' has no parameter '%2$s'"),
                        libxl_scheduler_to_string(drv->scheduler), key);
            goto fail;
        }
        if (!g_variant_is_of_type(v, G_VARIANT_TYPE_UINT32)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("the scheduler parameter '%s' must be an unsigned 32-bit integer"), key);
            goto fail;
        }
        if (g_str_equal(key, "weight")) {
            p.weight = (int)g_variant_get_uint32(v);
            if (p.weight < 1 || p.weight > 65535) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("the weight %d is outside 1..65535"), p.weight);
                goto fail;
            }
        } else if (g_str_equal(key, "cap")) {
            p.cap = (int)g_variant_get_uint32(v);
        } else if (g_str_equal(key, "period")) {
            p.period = (int)g_variant_get_uint32(v);
        } else {
            p.budget = (int)g_variant_get_uint32(v);
        }
    }
    hold = xv_job_begin(&dom->job, XV_JOB_MODIFY, "scheduler", XV_JOB_WAIT_DEFAULT, error);
    if (hold == NULL)
        goto fail;
    rc = xv_host_sched_params_set(drv->host, (uint32_t)domid, &p, error);
    libxl_domain_sched_params_dispose(&p);
    if (rc != 0)
        goto fail_noclear;
    return TRUE;
 fail:
    libxl_domain_sched_params_dispose(&p);
 fail_noclear:
    xv_error_prefix(error, _("cannot set the scheduler parameters of domain '%s': "), dom->name);
    return FALSE;
}
