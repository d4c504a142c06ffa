/*
 * libxl-conf.c: XvDomainDef <-> libxl_domain_config.
 *
 * The forward conversion follows libvirt's libxl_conf.c
 * (libxlBuildDomainConfig and the libxlMake* helpers) closely, so that a
 * definition gives the config libvirt users already rely on; the places where
 * xenvirt deliberately differs are marked "xenvirt:" and listed in
 * docs/libxl-conformance.md.
 *
 * Memory handed to libxl structures comes from g_malloc/g_strdup, which are
 * malloc() since GLib 2.46, so libxl's *_dispose() frees it correctly.
 */
#include <glib/gi18n.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxl_utils.h>
/* libxl_json.h picks the yajl 1 or 2 API from this macro, which xenlight.pc
 * does not provide; Debian 12 ships yajl 2. */
#ifndef HAVE_YAJL_YAJL_VERSION_H
#define HAVE_YAJL_YAJL_VERSION_H 1
#endif
#include <libxl_json.h>
#include <yajl/yajl_gen.h>

#include "drivers/libxl/libxl-conf.h"
#include "util/xv-error.h"

#define XV_LIBXL_VNC_PORT_MIN 5900
#define XV_LIBXL_DEFAULT_BOOTLOADER "pygrub"
#define XV_LIBXL_LOCAL_DISTANCE 10
#define XV_LIBXL_REMOTE_DISTANCE 20

void
xv_libxl_conf_options_init(XvLibxlConfOptions *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* 'opts', or the defaults filled into 'buf' when the caller passed none. */
static const XvLibxlConfOptions *
options_or_defaults(const XvLibxlConfOptions *opts, XvLibxlConfOptions *buf)
{
    if (opts)
        return opts;
    xv_libxl_conf_options_init(buf);
    return buf;
}

/* ---- small helpers ------------------------------------------------------ */

/* A libxl_bitmap without a libxl_ctx: at least one byte, all clear. */
static void
bitmap_alloc(libxl_bitmap *map, guint nbits)
{
    guint bytes = MAX((nbits + 7) / 8, 1u);

    libxl_bitmap_dispose(map);
    libxl_bitmap_init(map);
    map->map = g_malloc0(bytes);
    map->size = bytes;
}

static void
bitmap_from_xv(libxl_bitmap *map, const XvBitmap *src, guint nbits)
{
    int bit = -1;
    int last = xv_bitmap_last(src);

    bitmap_alloc(map, MAX(nbits, (guint)(last + 1)));
    while ((bit = xv_bitmap_next(src, bit)) >= 0)
        libxl_bitmap_set(map, bit);
}

static XvBitmap *
bitmap_to_xv(const libxl_bitmap *map)
{
    guint nbits = map->size * 8;
    XvBitmap *out = xv_bitmap_new(MAX(nbits, 1u));

    for (guint i = 0; i < nbits && i < XV_BITMAP_MAX_BITS; i++) {
        if (libxl_bitmap_test(map, i))
            xv_bitmap_set(out, i);
    }
    return out;
}

static gboolean
bitmap_is_full(const libxl_bitmap *map)
{
    return map->size > 0 && libxl_bitmap_count_set(map) == (int)(map->size * 8);
}

static gboolean
is_pv(const XvDomainDef *def)
{
    return def->os.type == XV_DOMAIN_OS_XEN;
}

static gboolean
is_hvm(const XvDomainDef *def)
{
    return def->os.type == XV_DOMAIN_OS_HVM;
}

static const char *
os_type_label(const XvDomainDef *def)
{
    switch (def->os.type) {
    case XV_DOMAIN_OS_HVM:
        return "HVM";
    case XV_DOMAIN_OS_XENPVH:
        return "PVH";
    case XV_DOMAIN_OS_XEN:
    case XV_DOMAIN_OS_TYPE_LAST:
    default:
        return "PV";
    }
}

/* libvirt's CPU feature names where xl's differ (libvirt's
 * xenTranslateCPUFeature table). */
static const char *const cpu_feature_names[][2] = {
    { "cx16", "cmpxchg16" },
    { "cid", "cntxid" },
    { "ds_cpl", "dscpl" },
    { "pclmuldq", "pclmulqdq" },
    { "pni", "sse3" },
    { "ht", "htt" },
    { "pn", "psn" },
    { "clflush", "clfsh" },
    { "sep", "sysenter" },
    { "cx8", "cmpxchg8" },
    { "nodeid_msr", "nodeid" },
    { "cr8legacy", "altmovcr8" },
    { "lahf_lm", "lahfsahf" },
    { "cmp_legacy", "cmplegacy" },
    { "fxsr_opt", "ffxsr" },
    { "pdpe1gb", "page1gb" },
    { "spec-ctrl", "ibrsb" },
};

static const char *
cpu_feature_to_xl(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cpu_feature_names); i++) {
        if (g_str_equal(cpu_feature_names[i][0], name))
            return cpu_feature_names[i][1];
    }
    return name;
}

static libxl_action_on_shutdown
lifecycle_to_libxl(XvDomainLifecycleAction action)
{
    switch (action) {
    case XV_DOMAIN_LIFECYCLE_RESTART:
        return LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    case XV_DOMAIN_LIFECYCLE_RENAME_RESTART:
        return LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME;
    case XV_DOMAIN_LIFECYCLE_PRESERVE:
        return LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
    case XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY:
        return LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY;
    case XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART:
        return LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART;
    case XV_DOMAIN_LIFECYCLE_DESTROY:
    case XV_DOMAIN_LIFECYCLE_LAST:
    default:
        return LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    }
}

static XvDomainLifecycleAction
lifecycle_from_libxl(libxl_action_on_shutdown action)
{
    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        return XV_DOMAIN_LIFECYCLE_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        return XV_DOMAIN_LIFECYCLE_RENAME_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return XV_DOMAIN_LIFECYCLE_PRESERVE;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        return XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        return XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
    default:
        return XV_DOMAIN_LIFECYCLE_DESTROY;
    }
}

/* libvirt's libxlDomainGetEmulatorType, without running the emulator:
 * xenvirt: decided by name ("qemu-dm" is qemu-traditional). */
static libxl_device_model_version
emulator_type(const XvDomainDef *def, const char *emulator)
{
    if (is_hvm(def) && emulator) {
        g_autofree char *base = g_path_get_basename(emulator);

        if (strstr(base, "qemu-dm"))
            return LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
    }
    return LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
}

static const char *
def_emulator(const XvDomainDef *def, const XvLibxlConfOptions *opts)
{
    if (def->emulator)
        return def->emulator;
    if (is_hvm(def))
        return opts->default_emulator;
    return NULL;
}

/* ---- c_info ------------------------------------------------------------- */

static gboolean
make_create_info(const XvDomainDef *def, libxl_domain_create_info *c_info,
                 GError **error)
{
    switch (def->os.type) {
    case XV_DOMAIN_OS_HVM:
        c_info->type = LIBXL_DOMAIN_TYPE_HVM;
        if (def->features.state[XV_DOMAIN_FEATURE_HAP] == XV_TRISTATE_OFF)
            libxl_defbool_set(&c_info->hap, false);
        else if (def->features.state[XV_DOMAIN_FEATURE_HAP] == XV_TRISTATE_ON)
            libxl_defbool_set(&c_info->hap, true);
        break;
    case XV_DOMAIN_OS_XENPVH:
        c_info->type = LIBXL_DOMAIN_TYPE_PVH;
        break;
    case XV_DOMAIN_OS_XEN:
    case XV_DOMAIN_OS_TYPE_LAST:
    default:
        c_info->type = LIBXL_DOMAIN_TYPE_PV;
        break;
    }

    if (!is_hvm(def) && def->features.state[XV_DOMAIN_FEATURE_HAP] != XV_TRISTATE_ABSENT) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': the hap feature applies to HVM domains only, not to %2$s"),
                    def->name, os_type_label(def));
        return FALSE;
    }

    c_info->name = g_strdup(def->name);
    memcpy(libxl_uuid_bytearray(&c_info->uuid), def->uuid, 16);

    if (def->features.state[XV_DOMAIN_FEATURE_XEN] == XV_TRISTATE_ON) {
        switch (def->features.xen_passthrough) {
        case XV_TRISTATE_ON:
            switch (def->features.xen_passthrough_mode) {
            case XV_DOMAIN_XEN_PASSTHROUGH_MODE_SYNC_PT:
                c_info->passthrough = LIBXL_PASSTHROUGH_SYNC_PT;
                break;
            case XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT:
                c_info->passthrough = LIBXL_PASSTHROUGH_SHARE_PT;
                break;
            case XV_DOMAIN_XEN_PASSTHROUGH_MODE_DEFAULT:
            case XV_DOMAIN_XEN_PASSTHROUGH_MODE_LAST:
            default:
                c_info->passthrough = LIBXL_PASSTHROUGH_ENABLED;
                break;
            }
            break;
        case XV_TRISTATE_OFF:
            c_info->passthrough = LIBXL_PASSTHROUGH_DISABLED;
            break;
        case XV_TRISTATE_ABSENT:
        case XV_TRISTATE_LAST:
        default:
            break;
        }
        if (c_info->passthrough == LIBXL_PASSTHROUGH_SHARE_PT && is_pv(def)) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': passthrough mode 'share_pt' is not available for PV domains"),
                        def->name);
            return FALSE;
        }
    }
    return TRUE;
}

/* ---- b_info: vcpus, affinity, scheduling -------------------------------- */

static gboolean
make_vcpus(const XvDomainDef *def, const XvLibxlConfOptions *opts,
           libxl_domain_build_info *b_info, GError **error)
{
    guint ncpus = opts->host_cpus;
    GPtrArray *pins = def->cputune.vcpupins;

    b_info->max_vcpus = def->maxvcpus;
    bitmap_alloc(&b_info->avail_vcpus, def->maxvcpus);
    for (guint i = 0; i < def->vcpus && i < def->maxvcpus; i++)
        libxl_bitmap_set(&b_info->avail_vcpus, i);

    if (def->cputune.has_shares) {
        if (def->cputune.shares > G_MAXINT) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': cputune shares %2$llu exceed the scheduler's weight range"),
                        def->name, (unsigned long long)def->cputune.shares);
            return FALSE;
        }
        b_info->sched_params.weight = (int)def->cputune.shares;
    }
    /* xenvirt: quota/period become the credit scheduler's cap (percent of
     * one physical CPU); libvirt ignores them. */
    if (def->cputune.has_quota && def->cputune.quota > 0) {
        guint64 period = def->cputune.has_period && def->cputune.period ?
                         def->cputune.period : 100000;
        guint64 cap = ((guint64)def->cputune.quota * 100 + period - 1) / period;

        b_info->sched_params.cap = (int)MIN(cap, (guint64)G_MAXINT);
    }

    if (pins && pins->len > 0) {
        if (pins->len > def->maxvcpus) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': %2$u vcpupin elements for %3$u vCPUs"),
                        def->name, pins->len, def->maxvcpus);
            return FALSE;
        }
        for (guint i = 0; i < pins->len; i++) {
            const XvVcpuPin *pin = g_ptr_array_index(pins, i);

            if (pin->vcpu >= def->maxvcpus) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': vcpupin names vCPU %2$u but the domain has %3$u vCPUs"),
                            def->name, pin->vcpu, def->maxvcpus);
                return FALSE;
            }
            if (xv_bitmap_is_empty(pin->cpuset)) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': the cpuset of vCPU %2$u is empty"),
                            def->name, pin->vcpu);
                return FALSE;
            }
            ncpus = MAX(ncpus, (guint)(xv_bitmap_last(pin->cpuset) + 1));
        }
        if (def->cpuset && !xv_bitmap_is_empty(def->cpuset))
            ncpus = MAX(ncpus, (guint)(xv_bitmap_last(def->cpuset) + 1));

        /* xenvirt: libvirt pins after creation (libxlDomainSetVcpuAffinities);
         * putting the pins in the config has libxl apply them before the
         * guest runs.  vCPUs without a pin get <vcpu cpuset> or any CPU. */
        b_info->num_vcpu_hard_affinity = (int)def->maxvcpus;
        b_info->vcpu_hard_affinity = g_new0(libxl_bitmap, def->maxvcpus);
        for (guint v = 0; v < def->maxvcpus; v++) {
            const XvVcpuPin *found = NULL;

            libxl_bitmap_init(&b_info->vcpu_hard_affinity[v]);
            for (guint i = 0; i < pins->len; i++) {
                const XvVcpuPin *pin = g_ptr_array_index(pins, i);

                if (pin->vcpu == v)
                    found = pin;
            }
            if (found) {
                bitmap_from_xv(&b_info->vcpu_hard_affinity[v], found->cpuset, ncpus);
            } else if (def->cpuset && !xv_bitmap_is_empty(def->cpuset)) {
                bitmap_from_xv(&b_info->vcpu_hard_affinity[v], def->cpuset, ncpus);
            } else {
                bitmap_alloc(&b_info->vcpu_hard_affinity[v], ncpus);
                libxl_bitmap_set_any(&b_info->vcpu_hard_affinity[v]);
            }
        }
    }

    /* xenvirt: <vcpu cpuset> becomes the config's cpumap (all vCPUs), where
     * libvirt applies it after creation. */
    if (def->cpuset && !xv_bitmap_is_empty(def->cpuset))
        bitmap_from_xv(&b_info->cpumap, def->cpuset, opts->host_cpus);

    if (def->placement == XV_DOMAIN_PLACEMENT_AUTO ||
        (def->numatune.present && def->numatune.placement == XV_DOMAIN_PLACEMENT_AUTO))
        libxl_defbool_set(&b_info->numa_placement, true);

    if (def->numatune.present && def->numatune.nodeset) {
        if (def->numatune.mode != XV_NUMATUNE_MODE_STRICT &&
            def->numatune.mode != XV_NUMATUNE_MODE_PREFERRED) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': numatune mode '%2$s' is not available with Xen, use 'strict' or 'preferred'"),
                        def->name, xv_numatune_mode_to_string(def->numatune.mode));
            return FALSE;
        }
        if (opts->host_numa_nodes &&
            xv_bitmap_last(def->numatune.nodeset) >= (int)opts->host_numa_nodes) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': numatune names NUMA node %2$d but the host has %3$u nodes"),
                        def->name, xv_bitmap_last(def->numatune.nodeset),
                        opts->host_numa_nodes);
            return FALSE;
        }
        bitmap_from_xv(&b_info->nodemap, def->numatune.nodeset, opts->host_numa_nodes);
        libxl_defbool_set(&b_info->numa_placement, false);
    }
    return TRUE;
}

/* ---- clock -------------------------------------------------------------- */

static glong
local_utc_offset(const XvLibxlConfOptions *opts)
{
    time_t now;
    struct tm tm;

    if (opts->has_utc_offset)
        return opts->utc_offset;
    now = time(NULL);
    tzset();
    if (!localtime_r(&now, &tm))
        return 0;
    return tm.tm_gmtoff;
}

static gboolean
make_clock(const XvDomainDef *def, const XvLibxlConfOptions *opts,
           libxl_domain_build_info *b_info, GError **error)
{
    const XvClockDef *clock = &def->clock;

    switch (clock->offset) {
    case XV_CLOCK_OFFSET_VARIABLE: {
        gint64 offset = clock->has_adjustment ? clock->adjustment : 0;

        /* As libvirt: a localtime basis is turned into an offset from UTC
         * now, using the host's time zone. */
        if (clock->basis && g_str_equal(clock->basis, "localtime"))
            offset += local_utc_offset(opts);
        if (offset < G_MININT32 || offset > G_MAXINT32) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': clock adjustment %2$lld s is out of Xen's range"),
                        def->name, (long long)offset);
            return FALSE;
        }
        b_info->rtc_timeoffset = (uint32_t)(int32_t)offset;
        break;
    }
    case XV_CLOCK_OFFSET_LOCALTIME:
        libxl_defbool_set(&b_info->localtime, true);
        break;
    case XV_CLOCK_OFFSET_UTC:
        break;
    case XV_CLOCK_OFFSET_TIMEZONE:
    case XV_CLOCK_OFFSET_LAST:
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': clock offset '%2$s' is not available with Xen"),
                    def->name, xv_clock_offset_to_string(clock->offset));
        return FALSE;
    }

    for (guint i = 0; clock->timers && i < clock->timers->len; i++) {
        const XvTimerDef *timer = g_ptr_array_index(clock->timers, i);

        switch (timer->name) {
        case XV_TIMER_TSC:
            switch (timer->mode) {
            case XV_TIMER_MODE_NATIVE:
                b_info->tsc_mode = LIBXL_TSC_MODE_NATIVE;
                break;
            case XV_TIMER_MODE_PARAVIRT:
                b_info->tsc_mode = LIBXL_TSC_MODE_NATIVE_PARAVIRT;
                break;
            case XV_TIMER_MODE_EMULATE:
                b_info->tsc_mode = LIBXL_TSC_MODE_ALWAYS_EMULATE;
                break;
            case XV_TIMER_MODE_NONE:
            case XV_TIMER_MODE_AUTO:
            case XV_TIMER_MODE_SMPSAFE:
            case XV_TIMER_MODE_LAST:
            default:
                b_info->tsc_mode = LIBXL_TSC_MODE_DEFAULT;
                break;
            }
            break;
        case XV_TIMER_HPET:
            if (!is_hvm(def)) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': the hpet timer needs an HVM domain"),
                            def->name);
                return FALSE;
            }
            if (timer->present == XV_TRISTATE_ON)
                libxl_defbool_set(&b_info->u.hvm.hpet, true);
            else if (timer->present == XV_TRISTATE_OFF)
                libxl_defbool_set(&b_info->u.hvm.hpet, false);
            break;
        case XV_TIMER_PLATFORM:
        case XV_TIMER_PIT:
        case XV_TIMER_RTC:
        case XV_TIMER_KVMCLOCK:
        case XV_TIMER_HYPERVCLOCK:
        case XV_TIMER_ARMVTIMER:
        case XV_TIMER_NAME_LAST:
        default:
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': timer '%2$s' is not available with Xen"),
                        def->name, xv_timer_name_to_string(timer->name));
            return FALSE;
        }
    }
    return TRUE;
}

/* ---- CPU: nested HVM and cpuid ------------------------------------------ */

static gboolean
add_cpuid(const XvDomainDef *def, libxl_domain_build_info *b_info,
          const char *name, gboolean on, GError **error)
{
    g_autofree char *spec = g_strdup_printf("%s=%d", cpu_feature_to_xl(name), on ? 1 : 0);

    if (libxl_cpuid_parse_config(&b_info->cpuid, spec) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': CPU feature '%2$s' is not known to libxl"),
                    def->name, name);
        return FALSE;
    }
    return TRUE;
}

static gboolean
make_cpu(const XvDomainDef *def, const XvLibxlConfOptions *opts,
         libxl_domain_build_info *b_info, GError **error)
{
    const XvCpuDef *cpu = &def->cpu;
    gboolean passthrough = cpu->mode == XV_CPU_MODE_HOST_PASSTHROUGH;
    gboolean vmx = FALSE, svm = FALSE, hw_virt = FALSE;

    /* As libvirt: nested HVM only with host-passthrough, when the driver
     * allows it and the host has VMX or SVM. */
    if (passthrough && opts->nested_hvm) {
        vmx = opts->host_vmx;
        svm = opts->host_svm;
        hw_virt = vmx || svm;
    }

    /* xenvirt: feature policies apply in every CPU mode; libvirt applies
     * them only with host-passthrough. */
    for (guint i = 0; cpu->features && i < cpu->features->len; i++) {
        const XvCpuFeature *feature = g_ptr_array_index(cpu->features, i);
        gboolean is_hw_virt = (vmx && g_str_equal(feature->name, "vmx")) ||
                              (svm && g_str_equal(feature->name, "svm"));

        switch (feature->policy) {
        case XV_CPU_FEATURE_FORCE:
        case XV_CPU_FEATURE_REQUIRE:
            if (is_hw_virt)
                hw_virt = TRUE;
            else if (!add_cpuid(def, b_info, feature->name, TRUE, error))
                return FALSE;
            break;
        case XV_CPU_FEATURE_FORBID:
        case XV_CPU_FEATURE_DISABLE:
            if (is_hw_virt)
                hw_virt = FALSE;
            else if (!add_cpuid(def, b_info, feature->name, FALSE, error))
                return FALSE;
            break;
        case XV_CPU_FEATURE_OPTIONAL:
        case XV_CPU_FEATURE_POLICY_LAST:
        default:
            break;
        }
    }

    if (passthrough)
        libxl_defbool_set(&b_info->nested_hvm, hw_virt);
    return TRUE;
}

/* ---- vNUMA --------------------------------------------------------------- */

static gboolean
make_vnuma(const XvDomainDef *def, const XvLibxlConfOptions *opts,
           libxl_domain_build_info *b_info, GError **error)
{
    GPtrArray *cells = def->cpu.cells;
    guint ncells = cells ? cells->len : 0;
    gboolean simulate;
    guint64 total = 0;
    g_autoptr(XvBitmap) seen = NULL;

    if (ncells == 0)
        return TRUE;

    if (is_pv(def)) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': vNUMA (<numa> cells) needs an HVM or PVH domain"),
                    def->name);
        return FALSE;
    }

    seen = xv_bitmap_new(MAX(def->maxvcpus, 1u));
    for (guint i = 0; i < ncells; i++) {
        const XvNumaCell *cell = g_ptr_array_index(cells, i);
        int cpu = -1;

        total += cell->memory_kb;
        if (!cell->cpus || xv_bitmap_is_empty(cell->cpus)) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': NUMA cell %2$u has no vCPUs"),
                        def->name, cell->id);
            return FALSE;
        }
        while ((cpu = xv_bitmap_next(cell->cpus, cpu)) >= 0) {
            if ((guint)cpu >= def->maxvcpus || xv_bitmap_is_set(seen, cpu)) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': vCPU %2$d of NUMA cell %3$u is out of range or in two cells"),
                            def->name, cpu, cell->id);
                return FALSE;
            }
            xv_bitmap_set(seen, cpu);
        }
    }
    if (xv_bitmap_count(seen) != def->maxvcpus) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': the NUMA cells hold %2$u of the %3$u vCPUs; libxl needs every vCPU in a cell"),
                    def->name, xv_bitmap_count(seen), def->maxvcpus);
        return FALSE;
    }
    /* xenvirt: libxl refuses vNUMA whose cells do not add up to the
     * domain's memory ("Amount of memory mismatch"); libvirt passes it on. */
    if (total != def->memory_kb) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': the NUMA cells hold %2$llu KiB but the domain memory is %3$llu KiB; libxl needs them equal"),
                    def->name, (unsigned long long)total, (unsigned long long)def->memory_kb);
        return FALSE;
    }

    if (is_hvm(def) && def->current_memory_kb && def->current_memory_kb < def->memory_kb) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': vNUMA cannot be combined with populate-on-demand memory (currentMemory below memory)"),
                    def->name);
        return FALSE;
    }

    simulate = ncells > opts->host_numa_nodes;
    b_info->vnuma_nodes = g_new0(libxl_vnode_info, ncells);
    b_info->num_vnuma_nodes = (int)ncells;
    for (guint i = 0; i < ncells; i++) {
        const XvNumaCell *cell = g_ptr_array_index(cells, i);
        libxl_vnode_info *node = &b_info->vnuma_nodes[i];

        libxl_vnode_info_init(node);
        node->pnode = simulate ? 0 : i;
        node->memkb = cell->memory_kb;
        bitmap_from_xv(&node->vcpus, cell->cpus, def->maxvcpus);
        node->distances = g_new0(uint32_t, ncells);
        node->num_distances = (int)ncells;
        for (guint j = 0; j < ncells; j++) {
            guint d = 0;

            if (cell->distances && j < cell->distances->len)
                d = g_array_index(cell->distances, guint, j);
            if (d == 0)
                d = i == j ? XV_LIBXL_LOCAL_DISTANCE : XV_LIBXL_REMOTE_DISTANCE;
            node->distances[j] = d;
        }
    }
    return TRUE;
}

/* ---- HVM specifics ------------------------------------------------------- */

static gboolean
make_viridian(const XvDomainDef *def, libxl_domain_build_info *b_info,
              GError **error)
{
    const XvDomainFeatures *f = &def->features;
    static const struct {
        XvDomainHypervFeature feature;
        libxl_viridian_enlightenment group;
    } groups[] = {
        { XV_DOMAIN_HYPERV_VAPIC, LIBXL_VIRIDIAN_ENLIGHTENMENT_APIC_ASSIST },
        { XV_DOMAIN_HYPERV_FREQUENCIES, LIBXL_VIRIDIAN_ENLIGHTENMENT_FREQ },
        { XV_DOMAIN_HYPERV_TLBFLUSH, LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_REMOTE_TLB_FLUSH },
        { XV_DOMAIN_HYPERV_SYNIC, LIBXL_VIRIDIAN_ENLIGHTENMENT_SYNIC },
        { XV_DOMAIN_HYPERV_STIMER, LIBXL_VIRIDIAN_ENLIGHTENMENT_STIMER },
        { XV_DOMAIN_HYPERV_IPI, LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_IPI },
    };

    if (f->state[XV_DOMAIN_FEATURE_VIRIDIAN] == XV_TRISTATE_ON)
        libxl_defbool_set(&b_info->u.hvm.viridian, true);
    else if (f->state[XV_DOMAIN_FEATURE_VIRIDIAN] == XV_TRISTATE_OFF)
        libxl_defbool_set(&b_info->u.hvm.viridian, false);

    if (f->state[XV_DOMAIN_FEATURE_HYPERV] != XV_TRISTATE_ON)
        return TRUE;

    bitmap_alloc(&b_info->u.hvm.viridian_enable, LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH);
    bitmap_alloc(&b_info->u.hvm.viridian_disable, LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH);

    if (f->hyperv_mode == XV_DOMAIN_HYPERV_MODE_PASSTHROUGH) {
        libxl_bitmap_set_any(&b_info->u.hvm.viridian_enable);
        return TRUE;
    }

    /* Custom mode, as libvirt: the base group with the time reference
     * counter, reference TSC and crash control, plus one group per
     * enlightenment Xen has.  relaxed, vpindex and runtime are part of
     * Xen's base group. */
    libxl_bitmap_set(&b_info->u.hvm.viridian_enable, LIBXL_VIRIDIAN_ENLIGHTENMENT_BASE);
    libxl_bitmap_set(&b_info->u.hvm.viridian_enable, LIBXL_VIRIDIAN_ENLIGHTENMENT_TIME_REF_COUNT);
    libxl_bitmap_set(&b_info->u.hvm.viridian_enable, LIBXL_VIRIDIAN_ENLIGHTENMENT_REFERENCE_TSC);
    libxl_bitmap_set(&b_info->u.hvm.viridian_enable, LIBXL_VIRIDIAN_ENLIGHTENMENT_CRASH_CTL);
    for (gsize i = 0; i < G_N_ELEMENTS(groups); i++) {
        if (f->hyperv[groups[i].feature] == XV_TRISTATE_ON)
            libxl_bitmap_set(&b_info->u.hvm.viridian_enable, groups[i].group);
        else if (f->hyperv[groups[i].feature] == XV_TRISTATE_OFF)
            libxl_bitmap_set(&b_info->u.hvm.viridian_disable, groups[i].group);
    }
    if (f->hyperv[XV_DOMAIN_HYPERV_STIMER] == XV_TRISTATE_ON &&
        f->hyperv[XV_DOMAIN_HYPERV_SYNIC] != XV_TRISTATE_ON) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': the hyperv stimer enlightenment needs synic"),
                    def->name);
        return FALSE;
    }
    {
        static const XvDomainHypervFeature missing[] = {
            XV_DOMAIN_HYPERV_RESET, XV_DOMAIN_HYPERV_VENDOR_ID,
            XV_DOMAIN_HYPERV_REENLIGHTENMENT, XV_DOMAIN_HYPERV_EVMCS,
        };

        for (gsize i = 0; i < G_N_ELEMENTS(missing); i++) {
            if (f->hyperv[missing[i]] == XV_TRISTATE_ON) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': Xen has no hyperv '%2$s' enlightenment"),
                            def->name, xv_domain_hyperv_feature_to_string(missing[i]));
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* libvirt's libxlMakeChrdevStr. */
static gboolean
make_chrdev_str(const XvDomainDef *def, const XvChrDef *chr, char **out,
                GError **error)
{
    switch (chr->type) {
    case XV_CHR_TYPE_NULL:
    case XV_CHR_TYPE_STDIO:
    case XV_CHR_TYPE_VC:
    case XV_CHR_TYPE_PTY:
        *out = g_strdup(xv_chr_type_to_string(chr->type));
        return TRUE;
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
        *out = g_strdup_printf("%s:%s", xv_chr_type_to_string(chr->type),
                               chr->path ? chr->path : "");
        return TRUE;
    case XV_CHR_TYPE_DEV:
        *out = g_strdup(chr->path ? chr->path : "");
        return TRUE;
    case XV_CHR_TYPE_UDP:
        *out = g_strdup_printf("udp:%s:%s@%s:%s",
                               chr->connect_host ? chr->connect_host : "",
                               chr->connect_service ? chr->connect_service : "",
                               chr->host ? chr->host : "",
                               chr->service ? chr->service : "0");
        return TRUE;
    case XV_CHR_TYPE_TCP: {
        gboolean listen = chr->mode && g_str_equal(chr->mode, "bind");
        const char *prefix = chr->protocol && g_str_equal(chr->protocol, "telnet") ?
                             "telnet" : "tcp";

        *out = g_strdup_printf("%s:%s:%s%s", prefix, chr->host ? chr->host : "",
                               chr->service ? chr->service : "",
                               listen ? ",server,nowait" : "");
        return TRUE;
    }
    case XV_CHR_TYPE_UNIX: {
        gboolean listen = chr->mode && g_str_equal(chr->mode, "bind");

        *out = g_strdup_printf("unix:%s%s", chr->path ? chr->path : "",
                               listen ? ",server,nowait" : "");
        return TRUE;
    }
    case XV_CHR_TYPE_LAST:
    default:
        break;
    }
    g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                _("unsupported configuration for domain '%1$s': character device type '%2$s' is not available with Xen"),
                def->name, xv_chr_type_to_string(chr->type));
    return FALSE;
}

static gboolean
make_hvm(const XvDomainDef *def, libxl_domain_build_info *b_info, GError **error)
{
    const XvDomainFeatures *f = &def->features;
    GString *boot = g_string_new(NULL);
    guint nusb = 0;

    libxl_defbool_set(&b_info->u.hvm.pae, f->state[XV_DOMAIN_FEATURE_PAE] == XV_TRISTATE_ON);
    libxl_defbool_set(&b_info->apic, f->state[XV_DOMAIN_FEATURE_APIC] == XV_TRISTATE_ON);
    libxl_defbool_set(&b_info->acpi, f->state[XV_DOMAIN_FEATURE_ACPI] == XV_TRISTATE_ON);

    if (def->os.acpi_table)
        b_info->u.hvm.acpi_firmware = g_strdup(def->os.acpi_table);

    if (!make_viridian(def, b_info, error)) {
        g_string_free(boot, TRUE);
        return FALSE;
    }

    /* Firmware, as libvirt: a pflash loader (or firmware='efi') is OVMF. */
    if (def->os.loader && def->os.loader_type == XV_DOMAIN_LOADER_TYPE_PFLASH) {
        b_info->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
        b_info->u.hvm.system_firmware = g_strdup(def->os.loader);
    } else if (def->os.firmware == XV_DOMAIN_FIRMWARE_EFI) {
        b_info->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
    } else if (def->os.loader) {
        g_autofree char *base = g_path_get_basename(def->os.loader);

        /* xenvirt: a ROM loader other than hvmloader is passed to libxl as
         * the firmware; libvirt drops it. */
        if (!g_str_equal(base, "hvmloader"))
            b_info->u.hvm.firmware = g_strdup(def->os.loader);
    }

    for (guint i = 0; i < def->os.nboot && i < XV_DOMAIN_BOOT_LAST; i++) {
        switch (def->os.boot[i]) {
        case XV_DOMAIN_BOOT_FLOPPY:
            g_string_append_c(boot, 'a');
            break;
        case XV_DOMAIN_BOOT_CDROM:
            g_string_append_c(boot, 'd');
            break;
        case XV_DOMAIN_BOOT_NET:
            g_string_append_c(boot, 'n');
            break;
        case XV_DOMAIN_BOOT_DISK:
        case XV_DOMAIN_BOOT_LAST:
        default:
            g_string_append_c(boot, 'c');
            break;
        }
    }
    if (boot->len == 0)
        g_string_append_c(boot, 'c');
    b_info->u.hvm.boot = g_string_free(boot, FALSE);

    if (def->serials && def->serials->len == 1) {
        if (!make_chrdev_str(def, g_ptr_array_index(def->serials, 0),
                             &b_info->u.hvm.serial, error))
            return FALSE;
    } else if (def->serials && def->serials->len > 1) {
        b_info->u.hvm.serial_list = g_new0(char *, def->serials->len + 1);
        for (guint i = 0; i < def->serials->len; i++) {
            if (!make_chrdev_str(def, g_ptr_array_index(def->serials, i),
                                 &b_info->u.hvm.serial_list[i], error))
                return FALSE;
        }
    }

    /* Disable VNC and SDL until a graphics device enables them. */
    libxl_defbool_set(&b_info->u.hvm.vnc.enable, false);
    libxl_defbool_set(&b_info->u.hvm.sdl.enable, false);

    for (guint i = 0; def->inputs && i < def->inputs->len; i++) {
        const XvInputDef *input = g_ptr_array_index(def->inputs, i);
        const char *name;

        if (input->bus != XV_INPUT_BUS_USB)
            continue;
        switch (input->type) {
        case XV_INPUT_MOUSE:
            name = "mouse";
            break;
        case XV_INPUT_TABLET:
            name = "tablet";
            break;
        case XV_INPUT_KEYBOARD:
        case XV_INPUT_TYPE_LAST:
        default:
            name = "keyboard";
            break;
        }
        b_info->u.hvm.usbdevice_list = g_renew(char *, b_info->u.hvm.usbdevice_list, nusb + 2);
        b_info->u.hvm.usbdevice_list[nusb++] = g_strdup(name);
        b_info->u.hvm.usbdevice_list[nusb] = NULL;
    }

    if (def->sounds && def->sounds->len > 0) {
        const XvSoundDef *sound = g_ptr_array_index(def->sounds, 0);

        /* xenvirt: xl.cfg has a single soundhw; libvirt drops the others
         * silently. */
        if (def->sounds->len > 1) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': Xen supports one sound device, the domain has %2$u"),
                        def->name, def->sounds->len);
            return FALSE;
        }
        b_info->u.hvm.soundhw = g_strdup(sound->model);
    }
    return TRUE;
}

/* ---- b_info ------------------------------------------------------------- */

static gboolean
make_build_info(const XvDomainDef *def, const XvLibxlConfOptions *opts,
                libxl_domain_config *cfg, GError **error)
{
    libxl_domain_build_info *b_info = &cfg->b_info;
    const char *emulator = def_emulator(def, opts);

    libxl_domain_build_info_init_type(b_info, cfg->c_info.type);

    if (!make_vcpus(def, opts, b_info, error))
        return FALSE;

    b_info->max_memkb = def->memory_kb;
    b_info->target_memkb = def->current_memory_kb ? def->current_memory_kb : def->memory_kb;
    if (b_info->target_memkb > b_info->max_memkb) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': current memory %2$llu KiB is above the maximum %3$llu KiB"),
                    def->name, (unsigned long long)b_info->target_memkb,
                    (unsigned long long)b_info->max_memkb);
        return FALSE;
    }
    if (opts->shadow_memkb)
        b_info->shadow_memkb = opts->shadow_memkb(b_info->max_memkb, b_info->max_vcpus);
    else
        b_info->shadow_memkb = libxl_get_required_shadow_memory(b_info->max_memkb,
                                                                b_info->max_vcpus);

    if (!make_clock(def, opts, b_info, error))
        return FALSE;
    if (!make_cpu(def, opts, b_info, error))
        return FALSE;

    for (guint i = 0; def->controllers && i < def->controllers->len; i++) {
        const XvControllerDef *ctrl = g_ptr_array_index(def->controllers, i);

        if (ctrl->type != XV_CONTROLLER_XENBUS)
            continue;
        if (ctrl->max_grant_frames > 0)
            b_info->max_grant_frames = ctrl->max_grant_frames;
        if (ctrl->max_event_channels > 0)
            b_info->event_channels = ctrl->max_event_channels;
    }

    if (emulator) {
        if (opts->check_emulator && !g_file_test(emulator, G_FILE_TEST_IS_EXECUTABLE)) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': emulator '%2$s' is not an executable file"),
                        def->name, emulator);
            return FALSE;
        }
        b_info->device_model = g_strdup(emulator);
        b_info->device_model_version = emulator_type(def, emulator);
    }

    if (def->xen_args && def->xen_args->len > 0) {
        b_info->extra = g_new0(char *, def->xen_args->len + 1);
        for (guint i = 0; i < def->xen_args->len; i++)
            b_info->extra[i] = g_strdup(g_ptr_array_index(def->xen_args, i));
    }

    /* Kernel and boot parameters live at the top of b_info in libxl 4.17. */
    b_info->kernel = g_strdup(def->os.kernel);
    b_info->cmdline = g_strdup(def->os.cmdline);
    b_info->ramdisk = g_strdup(def->os.initrd);
    if (def->os.dtb) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': a device tree is only used on Arm, xenvirt manages x86 hosts"),
                    def->name);
        return FALSE;
    }

    if (def->features.xen_e820_host == XV_TRISTATE_ON &&
        def->features.state[XV_DOMAIN_FEATURE_XEN] == XV_TRISTATE_ON) {
        if (!is_pv(def)) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': e820_host is a PV feature, the domain is %2$s"),
                        def->name, os_type_label(def));
            return FALSE;
        }
        libxl_defbool_set(&b_info->u.pv.e820_host, true);
    }

    if (is_hvm(def)) {
        if (def->os.bootloader) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': a bootloader needs a PV or PVH domain"),
                        def->name);
            return FALSE;
        }
        if (!make_hvm(def, b_info, error))
            return FALSE;
    } else {
        char **args = NULL;

        if (def->os.bootloader_args) {
            /* xenvirt: split on any whitespace and drop empty words; libvirt
             * splits on the literal string " \t\n". */
            g_auto(GStrv) words = g_strsplit_set(def->os.bootloader_args, " \t\n", -1);
            GPtrArray *list = g_ptr_array_new();

            for (guint i = 0; words[i]; i++) {
                if (*words[i])
                    g_ptr_array_add(list, g_strdup(words[i]));
            }
            g_ptr_array_add(list, NULL);
            args = (char **)g_ptr_array_free(list, FALSE);
        }
        if (is_pv(def)) {
            /* As libvirt: u.pv (libxl copies it to the top-level field), and
             * pygrub when there is neither a kernel nor a bootloader. */
            if (def->os.bootloader)
                b_info->u.pv.bootloader = g_strdup(def->os.bootloader);
            else if (!def->os.kernel)
                b_info->u.pv.bootloader = g_strdup(opts->default_bootloader ?
                                                   opts->default_bootloader :
                                                   XV_LIBXL_DEFAULT_BOOTLOADER);
            b_info->u.pv.bootloader_args = args;
        } else {
            b_info->bootloader = g_strdup(def->os.bootloader);
            b_info->bootloader_args = args;
        }
        if (def->os.loader || def->os.firmware == XV_DOMAIN_FIRMWARE_EFI) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': a firmware loader needs an HVM domain"),
                        def->name);
            return FALSE;
        }
        if (def->sounds && def->sounds->len > 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': sound devices need an HVM domain"),
                        def->name);
            return FALSE;
        }
        if (def->serials && def->serials->len > 1) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': a %2$s domain has one serial console, the definition has %3$u serial devices"),
                        def->name, os_type_label(def), def->serials->len);
            return FALSE;
        }
        if (def->features.state[XV_DOMAIN_FEATURE_HYPERV] == XV_TRISTATE_ON ||
            def->features.state[XV_DOMAIN_FEATURE_VIRIDIAN] == XV_TRISTATE_ON) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': Hyper-V enlightenments need an HVM domain"),
                        def->name);
            return FALSE;
        }
    }

    if (!make_vnuma(def, opts, b_info, error))
        return FALSE;
    return TRUE;
}

/* ---- disks -------------------------------------------------------------- */

static gboolean
disk_format_error(const XvDomainDef *def, const XvDiskDef *disk, const char *driver,
                  GError **error)
{
    g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                _("unsupported configuration for domain '%1$s': disk '%2$s' has format '%3$s', which libxl does not support with driver '%4$s'"),
                def->name, disk->dst, disk->driver_type ? disk->driver_type : "",
                driver);
    return FALSE;
}

/* libvirt's libxlMakeNetworkDiskSrcStr, for RBD. */
static gboolean
make_rbd_target(const XvDomainDef *def, const XvDiskDef *disk,
                const XvLibxlConfOptions *opts, char **out, GError **error)
{
    g_autoptr(GString) buf = g_string_new("rbd:");

    if (!disk->protocol || !g_str_equal(disk->protocol, "rbd")) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': network disk '%2$s' uses protocol '%3$s'; libxl supports only 'rbd'"),
                    def->name, disk->dst, disk->protocol ? disk->protocol : "");
        return FALSE;
    }
    if (!disk->src || strchr(disk->src, ':')) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': RBD volume name '%2$s' of disk '%3$s' is missing or contains ':'"),
                    def->name, disk->src ? disk->src : "", disk->dst);
        return FALSE;
    }
    g_string_append(buf, disk->src);

    if (disk->auth_username) {
        g_autofree char *secret = NULL;

        if (!opts->disk_secret) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': disk '%2$s' needs a Ceph secret and no secret store is available"),
                        def->name, disk->dst);
            return FALSE;
        }
        if (!(secret = opts->disk_secret(disk, opts->data, error)))
            return FALSE;
        g_string_append(buf, ":id=");
        for (const char *p = disk->auth_username; *p; p++) {
            if (*p == ':')
                g_string_append_c(buf, '\\');
            g_string_append_c(buf, *p);
        }
        g_string_append(buf, ":key=");
        for (const char *p = secret; *p; p++) {
            if (*p == ':')
                g_string_append_c(buf, '\\');
            g_string_append_c(buf, *p);
        }
        g_string_append(buf, ":auth_supported=cephx\\;none");
    } else {
        g_string_append(buf, ":auth_supported=none");
    }

    if (disk->hosts && disk->hosts->len > 0) {
        g_string_append(buf, ":mon_host=");
        for (guint i = 0; i < disk->hosts->len; i++) {
            const XvNetHost *host = g_ptr_array_index(disk->hosts, i);

            if (i)
                g_string_append(buf, "\\;");
            if (strchr(host->name, ':')) {
                g_string_append_c(buf, '[');
                for (const char *p = host->name; *p; p++) {
                    if (*p == ':')
                        g_string_append_c(buf, '\\');
                    g_string_append_c(buf, *p);
                }
                g_string_append_c(buf, ']');
            } else {
                g_string_append(buf, host->name);
            }
            if (host->port)
                g_string_append_printf(buf, "\\:%d", host->port);
        }
    }
    *out = g_strdup(buf->str);
    return TRUE;
}

/* libvirt's libxlMakeDisk. */
static gboolean
make_disk(const XvDomainDef *def, const XvDiskDef *disk,
          const XvLibxlConfOptions *opts, libxl_device_disk *x_disk,
          GError **error)
{
    const char *driver = disk->driver_name;
    const char *format = disk->driver_type ? disk->driver_type : "raw";

    libxl_device_disk_init(x_disk);

    if (disk->type == XV_DISK_TYPE_NETWORK) {
        /* libvirt's post-parse makes 'qemu' the network disks' driver. */
        if (!driver)
            driver = "qemu";
        if (!g_str_equal(driver, "qemu")) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': network disk '%2$s' needs driver 'qemu', not '%3$s'"),
                        def->name, disk->dst, driver);
            return FALSE;
        }
        if (!make_rbd_target(def, disk, opts, &x_disk->pdev_path, error))
            return FALSE;
    } else {
        x_disk->pdev_path = g_strdup(disk->src);
    }
    x_disk->vdev = g_strdup(disk->dst);

    if (driver) {
        if (g_str_equal(driver, "tap") || g_str_equal(driver, "tap2")) {
            if (g_str_equal(format, "qcow")) {
                x_disk->format = LIBXL_DISK_FORMAT_QCOW;
                x_disk->backend = LIBXL_DISK_BACKEND_QDISK;
            } else if (g_str_equal(format, "qcow2")) {
                x_disk->format = LIBXL_DISK_FORMAT_QCOW2;
                x_disk->backend = LIBXL_DISK_BACKEND_QDISK;
            } else if (g_str_equal(format, "vhd")) {
                x_disk->format = LIBXL_DISK_FORMAT_VHD;
                x_disk->backend = LIBXL_DISK_BACKEND_TAP;
            } else if (g_str_equal(format, "raw") || g_str_equal(format, "aio")) {
                x_disk->format = LIBXL_DISK_FORMAT_RAW;
                x_disk->backend = LIBXL_DISK_BACKEND_TAP;
            } else {
                return disk_format_error(def, disk, driver, error);
            }
        } else if (g_str_equal(driver, "qemu")) {
            x_disk->backend = LIBXL_DISK_BACKEND_QDISK;
            if (g_str_equal(format, "qcow"))
                x_disk->format = LIBXL_DISK_FORMAT_QCOW;
            else if (g_str_equal(format, "qcow2"))
                x_disk->format = LIBXL_DISK_FORMAT_QCOW2;
            else if (g_str_equal(format, "vhd"))
                x_disk->format = LIBXL_DISK_FORMAT_VHD;
            else if (g_str_equal(format, "qed"))
                x_disk->format = LIBXL_DISK_FORMAT_QED;
            else if (g_str_equal(format, "raw"))
                x_disk->format = LIBXL_DISK_FORMAT_RAW;
            else
                return disk_format_error(def, disk, driver, error);
        } else if (g_str_equal(driver, "file")) {
            if (!g_str_equal(format, "raw"))
                return disk_format_error(def, disk, driver, error);
            x_disk->format = LIBXL_DISK_FORMAT_RAW;
            x_disk->backend = LIBXL_DISK_BACKEND_QDISK;
        } else if (g_str_equal(driver, "phy")) {
            if (!g_str_equal(format, "raw"))
                return disk_format_error(def, disk, driver, error);
            x_disk->format = LIBXL_DISK_FORMAT_RAW;
            x_disk->backend = LIBXL_DISK_BACKEND_PHY;
        } else {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': disk '%2$s' uses driver '%3$s', which libxl does not know"),
                        def->name, disk->dst, driver);
            return FALSE;
        }
    } else {
        /* No driver: raw, as xl-disk-configuration says; libxl picks the
         * backend. */
        if (!g_str_equal(format, "raw"))
            return disk_format_error(def, disk, "", error);
        x_disk->format = LIBXL_DISK_FORMAT_RAW;
        x_disk->backend = LIBXL_DISK_BACKEND_UNKNOWN;
    }

    x_disk->removable = 1;
    x_disk->readwrite = !disk->readonly;
    x_disk->is_cdrom = disk->device == XV_DISK_DEVICE_CDROM ? 1 : 0;
    if (x_disk->is_cdrom && !x_disk->pdev_path)
        x_disk->format = LIBXL_DISK_FORMAT_EMPTY;
    if (disk->device == XV_DISK_DEVICE_FLOPPY) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': disk '%2$s' is a floppy, which libxl does not support"),
                    def->name, disk->dst);
        return FALSE;
    }
    if (disk->transient) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': disk '%2$s' is transient, which libxl does not support"),
                    def->name, disk->dst);
        return FALSE;
    }
    x_disk->backend_domname = g_strdup(disk->backend_domain);
    x_disk->script = g_strdup(disk->script);
    return TRUE;
}

/* ---- nics --------------------------------------------------------------- */

/* libvirt's libxlMakeNic. */
static gboolean
make_nic(const XvDomainDef *def, const XvNetDef *net,
         const XvLibxlConfOptions *opts, libxl_device_nic *x_nic, GError **error)
{
    const char *script = net->script;

    libxl_device_nic_init(x_nic);

    if (net->script && net->type != XV_NET_TYPE_BRIDGE && net->type != XV_NET_TYPE_ETHERNET) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': an interface script is only supported with interface types bridge and ethernet"),
                    def->name);
        return FALSE;
    }

    memcpy(x_nic->mac, net->mac, 6);

    if (is_hvm(def)) {
        if (net->model && g_str_equal(net->model, "netfront")) {
            x_nic->nictype = LIBXL_NIC_TYPE_VIF;
        } else {
            x_nic->model = g_strdup(net->model);
            x_nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        }
    } else {
        if (net->model && !g_str_equal(net->model, "netfront")) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': interface model '%2$s' needs an HVM domain; %3$s domains have netfront only"),
                        def->name, net->model, os_type_label(def));
            return FALSE;
        }
        x_nic->nictype = LIBXL_NIC_TYPE_VIF;
    }

    x_nic->ifname = g_strdup(net->ifname);

    switch (net->type) {
    case XV_NET_TYPE_BRIDGE:
    case XV_NET_TYPE_NETWORK: {
        g_autoptr(GString) bridge = g_string_new(NULL);

        if (net->type == XV_NET_TYPE_NETWORK) {
            g_autofree char *name = NULL;

            if (!opts->network_bridge) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': interface on network '%2$s' cannot be resolved, no network driver is available"),
                            def->name, net->network ? net->network : "");
                return FALSE;
            }
            if (!(name = opts->network_bridge(net->network, opts->data, error)))
                return FALSE;
            g_string_append(bridge, name);
        } else {
            g_string_append(bridge, net->bridge ? net->bridge : "");
        }
        if (net->virtualport_type && g_str_equal(net->virtualport_type, "openvswitch")) {
            if (!script)
                script = "vif-openvswitch";
            /* BRIDGE_NAME[.VLAN][:TRUNK:TRUNK] */
            if (net->vlan_tags && net->vlan_tags->len > 0) {
                if (net->vlan_trunk) {
                    for (guint i = 0; i < net->vlan_tags->len; i++)
                        g_string_append_printf(bridge, ":%u", g_array_index(net->vlan_tags, guint, i));
                } else {
                    g_string_append_printf(bridge, ".%u", g_array_index(net->vlan_tags, guint, 0));
                }
            }
        } else if (net->vlan_tags && net->vlan_tags->len > 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': VLAN tags need an openvswitch virtualport"),
                        def->name);
            return FALSE;
        }
        x_nic->bridge = g_strdup(bridge->str);
        if (net->type == XV_NET_TYPE_NETWORK)
            break;
    }
        G_GNUC_FALLTHROUGH;
    case XV_NET_TYPE_ETHERNET:
        x_nic->script = g_strdup(script);
        if (net->ips && net->ips->len > 0) {
            g_autoptr(GString) ips = g_string_new(NULL);

            for (guint i = 0; i < net->ips->len; i++) {
                const XvNetIp *ip = g_ptr_array_index(net->ips, i);

                if (i)
                    g_string_append_c(ips, ' ');
                g_string_append(ips, ip->address);
            }
            x_nic->ip = g_strdup(ips->str);
        }
        break;
    case XV_NET_TYPE_HOSTDEV:
    case XV_NET_TYPE_LAST:
    default:
        g_assert_not_reached();
    }

    x_nic->backend_domname = g_strdup(net->backend_domain);
    if (net->mtu > 0)
        x_nic->mtu = net->mtu;

    /* Outbound average (KiB/s) over Xen's default 50 ms interval. */
    if (net->outbound.present && net->outbound.average) {
        guint64 bytes_per_sec = net->outbound.average * 1024;

        x_nic->rate_bytes_per_interval = bytes_per_sec * 50000 / 1000000;
        x_nic->rate_interval_usecs = 50000;
    }
    return TRUE;
}

/* ---- graphics ----------------------------------------------------------- */

static gboolean
graphics_display(const XvDomainDef *def, const XvGraphicsDef *g,
                 const XvLibxlConfOptions *opts, libxl_vnc_info *vnc,
                 GError **error)
{
    int port = g->port;

    libxl_defbool_set(&vnc->enable, true);
    if (g->autoport || port < 0) {
        if (!opts->alloc_graphics_port) {
            /* xenvirt: without a port allocator QEMU finds a free display. */
            libxl_defbool_set(&vnc->findunused, true);
            return TRUE;
        }
        if ((port = opts->alloc_graphics_port(opts->data, error)) < 0)
            return FALSE;
    }
    if (port < XV_LIBXL_VNC_PORT_MIN) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': VNC port %2$d is below %3$d"),
                    def->name, port, XV_LIBXL_VNC_PORT_MIN);
        return FALSE;
    }
    libxl_defbool_set(&vnc->findunused, false);
    vnc->display = port - XV_LIBXL_VNC_PORT_MIN;
    return TRUE;
}

static gboolean
make_graphics(const XvDomainDef *def, const XvLibxlConfOptions *opts,
              libxl_domain_config *cfg, GError **error)
{
    libxl_domain_build_info *b_info = &cfg->b_info;
    const XvGraphicsDef *spice = NULL;
    guint n = def->graphics ? def->graphics->len : 0;

    if (n == 0)
        return TRUE;

    cfg->vfbs = g_new0(libxl_device_vfb, n);
    cfg->vkbs = g_new0(libxl_device_vkb, n);
    for (guint i = 0; i < n; i++) {
        const XvGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        libxl_device_vfb *vfb;

        if (g->type == XV_GRAPHICS_SPICE) {
            if (!is_hvm(def)) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': SPICE graphics need an HVM domain"),
                            def->name);
                return FALSE;
            }
            if (spice) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': libxl supports one SPICE display"),
                            def->name);
                return FALSE;
            }
            spice = g;
            continue;
        }
        if (!is_hvm(def) && cfg->num_vfbs > 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': a %2$s domain has one framebuffer, the definition has %3$u graphics devices"),
                        def->name, os_type_label(def), n);
            return FALSE;
        }

        vfb = &cfg->vfbs[cfg->num_vfbs];
        libxl_device_vfb_init(vfb);
        libxl_device_vkb_init(&cfg->vkbs[cfg->num_vkbs]);
        cfg->num_vfbs++;
        cfg->num_vkbs++;

        if (g->type == XV_GRAPHICS_SDL) {
            libxl_defbool_set(&vfb->sdl.enable, true);
            libxl_defbool_set(&vfb->vnc.enable, false);
            libxl_defbool_set(&vfb->sdl.opengl, g->gl == XV_TRISTATE_ON);
            vfb->sdl.display = g_strdup(g->display);
            vfb->sdl.xauthority = g_strdup(g->xauth);
        } else {
            libxl_defbool_set(&vfb->sdl.enable, false);
            if (!graphics_display(def, g, opts, &vfb->vnc, error))
                return FALSE;
            vfb->vnc.listen = g_strdup(g->listen);
            vfb->vnc.passwd = g_strdup(g->passwd);
            vfb->keymap = g_strdup(g->keymap);
        }
    }

    if (!is_hvm(def))
        return TRUE;

    if (!spice) {
        /* The first framebuffer is the emulated display; SDL wins over VNC
         * since xl enables VNC by default. */
        const libxl_device_vfb *vfb = NULL;

        for (int i = 0; i < cfg->num_vfbs && !vfb; i++) {
            if (libxl_defbool_val(cfg->vfbs[i].sdl.enable))
                vfb = &cfg->vfbs[i];
        }
        if (!vfb && cfg->num_vfbs > 0)
            vfb = &cfg->vfbs[0];
        if (!vfb)
            return TRUE;
        if (libxl_defbool_val(vfb->sdl.enable)) {
            libxl_defbool_set(&b_info->u.hvm.sdl.enable, true);
            libxl_defbool_set(&b_info->u.hvm.sdl.opengl, libxl_defbool_val(vfb->sdl.opengl));
            b_info->u.hvm.sdl.display = g_strdup(vfb->sdl.display);
            b_info->u.hvm.sdl.xauthority = g_strdup(vfb->sdl.xauthority);
        } else {
            libxl_defbool_set(&b_info->u.hvm.vnc.enable, true);
            b_info->u.hvm.vnc.display = vfb->vnc.display;
            b_info->u.hvm.vnc.listen = g_strdup(vfb->vnc.listen);
            b_info->u.hvm.vnc.passwd = g_strdup(vfb->vnc.passwd);
            libxl_defbool_set(&b_info->u.hvm.vnc.findunused,
                              libxl_defbool_val(vfb->vnc.findunused));
        }
        b_info->u.hvm.keymap = g_strdup(vfb->keymap);
        return TRUE;
    }

    libxl_defbool_set(&b_info->u.hvm.spice.enable, true);
    if (spice->autoport || spice->port < 0) {
        int port;

        if (!opts->alloc_graphics_port) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': SPICE autoport needs a port allocator; give the port"),
                        def->name);
            return FALSE;
        }
        if ((port = opts->alloc_graphics_port(opts->data, error)) < 0)
            return FALSE;
        b_info->u.hvm.spice.port = port;
    } else {
        b_info->u.hvm.spice.port = spice->port;
    }
    if (spice->tls_port > 0)
        b_info->u.hvm.spice.tls_port = spice->tls_port;
    b_info->u.hvm.spice.host = g_strdup(spice->listen);
    if (spice->passwd) {
        b_info->u.hvm.spice.passwd = g_strdup(spice->passwd);
        libxl_defbool_set(&b_info->u.hvm.spice.disable_ticketing, false);
    } else {
        libxl_defbool_set(&b_info->u.hvm.spice.disable_ticketing, true);
    }
    libxl_defbool_set(&b_info->u.hvm.spice.agent_mouse,
                      !(spice->mouse_mode && g_str_equal(spice->mouse_mode, "server")));
    libxl_defbool_set(&b_info->u.hvm.spice.vdagent,
                      spice->clipboard_copypaste == XV_TRISTATE_ON);
    libxl_defbool_set(&b_info->u.hvm.spice.clipboard_sharing,
                      spice->clipboard_copypaste == XV_TRISTATE_ON);
    b_info->u.hvm.spice.image_compression = g_strdup(spice->spice_image_compression);
    b_info->u.hvm.spice.streaming_video = g_strdup(spice->spice_streaming_mode);
    b_info->u.hvm.keymap = g_strdup(spice->keymap);
    return TRUE;
}

/* libvirt's libxlMakeVideo. */
static gboolean
make_video(const XvDomainDef *def, const XvLibxlConfOptions *opts,
           libxl_domain_config *cfg, GError **error)
{
    libxl_domain_build_info *b_info = &cfg->b_info;
    const XvVideoDef *video;
    libxl_device_model_version dm = emulator_type(def, def_emulator(def, opts));
    gboolean upstream = dm == LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
    guint vram, min;
    const char *label;

    if (!is_hvm(def))
        return TRUE;

    video = def->videos && def->videos->len > 0 ? g_ptr_array_index(def->videos, 0) : NULL;
    if (!video || video->type == XV_VIDEO_NONE) {
        libxl_defbool_set(&b_info->u.hvm.nographic, true);
        b_info->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
        return TRUE;
    }

    vram = video->vram_kb;
    switch (video->type) {
    case XV_VIDEO_VGA:
    case XV_VIDEO_XEN:
        b_info->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
        min = upstream ? 16 * 1024 : 8 * 1024;
        label = "VGA";
        break;
    case XV_VIDEO_DEFAULT:
    case XV_VIDEO_CIRRUS:
        b_info->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
        min = upstream ? 8 * 1024 : 4 * 1024;
        label = "CIRRUS";
        break;
    case XV_VIDEO_QXL:
        b_info->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_QXL;
        min = 128 * 1024;
        label = "QXL";
        break;
    case XV_VIDEO_NONE:
    case XV_VIDEO_TYPE_LAST:
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': video type '%2$s' is not supported by libxl"),
                    def->name, xv_video_type_to_string(video->type));
        return FALSE;
    }
    /* libvirt's post-parse: no vram given means the minimum. */
    if (vram == 0)
        vram = min;
    if (vram < min) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': videoram must be at least %2$u MiB for %3$s, the definition has %4$u KiB"),
                    def->name, min / 1024, label, vram);
        return FALSE;
    }
    b_info->video_memkb = vram;
    return TRUE;
}

/* ---- hostdevs, USB, channels --------------------------------------------- */

static void
make_pci(const XvHostdevDef *hostdev, libxl_device_pci *pci)
{
    libxl_device_pci_init(pci);
    pci->domain = (int)hostdev->domain;
    pci->bus = (uint8_t)hostdev->bus;
    pci->dev = (uint8_t)hostdev->slot;
    pci->func = (uint8_t)hostdev->function;
    pci->permissive = hostdev->write_filtering == XV_TRISTATE_OFF;
    /* xenvirt: a guest address becomes the virtual slot/function. */
    if (hostdev->has_guest_address)
        pci->vdevfn = ((hostdev->guest_slot & 0x1f) << 3) | (hostdev->guest_function & 0x7);
}

static gboolean
make_usbdev(const XvDomainDef *def, const XvHostdevDef *hostdev, const XvLibxlConfOptions *opts,
            libxl_device_usbdev *usb, GError **error)
{
    guint bus = hostdev->usb_bus, device = hostdev->usb_device;

    libxl_device_usbdev_init(usb);
    libxl_device_usbdev_init_type(usb, LIBXL_USBDEV_TYPE_HOSTDEV);
    if (hostdev->usb_by_id || bus == 0 || device == 0) {
        if (!opts->find_usb_device) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': USB device %2$04x:%3$04x cannot be looked up on this host"),
                        def->name, hostdev->usb_vendor, hostdev->usb_product);
            return FALSE;
        }
        if (!opts->find_usb_device(hostdev->usb_vendor, hostdev->usb_product,
                                   &bus, &device, opts->data, error))
            return FALSE;
    }
    if (bus > G_MAXUINT8 || device > G_MAXUINT8) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': USB address %2$u.%3$u is out of range"),
                    def->name, bus, device);
        return FALSE;
    }
    usb->u.hostdev.hostbus = (uint8_t)bus;
    usb->u.hostdev.hostaddr = (uint8_t)device;
    return TRUE;
}

static gboolean
make_hostdevs(const XvDomainDef *def, const XvLibxlConfOptions *opts,
              libxl_domain_config *cfg, GError **error)
{
    guint nhost = def->hostdevs ? def->hostdevs->len : 0;
    guint nnet = def->nets ? def->nets->len : 0;

    if (nhost + nnet == 0)
        return TRUE;
    cfg->pcidevs = g_new0(libxl_device_pci, nhost + nnet);
    cfg->usbdevs = g_new0(libxl_device_usbdev, nhost);

    for (guint i = 0; i < nhost; i++) {
        const XvHostdevDef *hostdev = g_ptr_array_index(def->hostdevs, i);

        if (hostdev->type == XV_HOSTDEV_PCI) {
            make_pci(hostdev, &cfg->pcidevs[cfg->num_pcidevs++]);
        } else if (!make_usbdev(def, hostdev, opts, &cfg->usbdevs[cfg->num_usbdevs++], error)) {
            return FALSE;
        }
    }
    /* <interface type='hostdev'> is a PCI device, as in libvirt. */
    for (guint i = 0; i < nnet; i++) {
        const XvNetDef *net = g_ptr_array_index(def->nets, i);
        libxl_device_pci *pci;

        if (net->type != XV_NET_TYPE_HOSTDEV)
            continue;
        pci = &cfg->pcidevs[cfg->num_pcidevs++];
        libxl_device_pci_init(pci);
        pci->domain = (int)net->pci_domain;
        pci->bus = (uint8_t)net->pci_bus;
        pci->dev = (uint8_t)net->pci_slot;
        pci->func = (uint8_t)net->pci_function;
    }

    if (cfg->num_pcidevs > 0) {
        if (def->os.type == XV_DOMAIN_OS_XENPVH) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': PCI passthrough is not supported for PVH domains by libxl 4.17"),
                        def->name);
            return FALSE;
        }
        if (is_hvm(def) && def->current_memory_kb && def->current_memory_kb < def->memory_kb) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': PCI passthrough cannot be combined with populate-on-demand memory (currentMemory below memory)"),
                        def->name);
            return FALSE;
        }
        if (cfg->c_info.passthrough == LIBXL_PASSTHROUGH_DISABLED) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': PCI devices are assigned but passthrough is turned off"),
                        def->name);
            return FALSE;
        }
    }
    if (cfg->num_pcidevs == 0)
        g_clear_pointer(&cfg->pcidevs, g_free);
    if (cfg->num_usbdevs == 0)
        g_clear_pointer(&cfg->usbdevs, g_free);
    return TRUE;
}

static gboolean
make_usbctrl(const XvDomainDef *def, const XvControllerDef *ctrl, libxl_device_usbctrl *usb,
             GError **error)
{
    libxl_device_usbctrl_init(usb);
    usb->type = LIBXL_USBCTRL_TYPE_QUSB;
    if (!ctrl->model || g_str_equal(ctrl->model, "qusb2")) {
        usb->version = 2;
    } else if (g_str_equal(ctrl->model, "qusb1")) {
        usb->version = 1;
    } else {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': USB controller model '%2$s' is not supported by libxl, use 'qusb1' or 'qusb2'"),
                    def->name, ctrl->model);
        return FALSE;
    }
    usb->ports = ctrl->ports ? (int)ctrl->ports : 8;
    usb->devid = (libxl_devid)ctrl->index;
    return TRUE;
}

/* libvirt's libxlMakeUSBController. */
static gboolean
make_usb_controllers(const XvDomainDef *def, libxl_domain_config *cfg, GError **error)
{
    guint n = def->controllers ? def->controllers->len : 0;

    for (guint i = 0; i < n; i++) {
        const XvControllerDef *ctrl = g_ptr_array_index(def->controllers, i);
        libxl_device_usbctrl *usb;

        if (ctrl->type != XV_CONTROLLER_USB || (ctrl->model && g_str_equal(ctrl->model, "none")))
            continue;
        if (!cfg->usbctrls)
            cfg->usbctrls = g_new0(libxl_device_usbctrl, n);
        usb = &cfg->usbctrls[cfg->num_usbctrls++];
        if (!make_usbctrl(def, ctrl, usb, error))
            return FALSE;
    }
    return TRUE;
}

/* libvirt's libxlPrepareChannel + libxlMakeChannel. */
static gboolean
make_channels(const XvDomainDef *def, const XvLibxlConfOptions *opts,
              libxl_domain_config *cfg, GError **error)
{
    guint n = def->channels ? def->channels->len : 0;

    if (n == 0)
        return TRUE;
    cfg->channels = g_new0(libxl_device_channel, n);
    for (guint i = 0; i < n; i++) {
        const XvChrDef *chr = g_ptr_array_index(def->channels, i);
        libxl_device_channel *ch = &cfg->channels[cfg->num_channels++];

        libxl_device_channel_init(ch);
        if (chr->target_type && !g_str_equal(chr->target_type, "xen")) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': channel target type '%2$s' is not supported by libxl, use 'xen'"),
                        def->name, chr->target_type);
            return FALSE;
        }
        if (!chr->target_name) {
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': a Xen channel needs a target name"),
                        def->name);
            return FALSE;
        }
        switch (chr->type) {
        case XV_CHR_TYPE_PTY:
            libxl_device_channel_init_connection(ch, LIBXL_CHANNEL_CONNECTION_PTY);
            break;
        case XV_CHR_TYPE_UNIX:
            libxl_device_channel_init_connection(ch, LIBXL_CHANNEL_CONNECTION_SOCKET);
            if (chr->path) {
                ch->u.socket.path = g_strdup(chr->path);
            } else if (opts->channel_dir) {
                ch->u.socket.path = g_strdup_printf("%s/%s-%s", opts->channel_dir,
                                                    def->name, chr->target_name);
            } else {
                g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                            _("unsupported configuration for domain '%1$s': channel '%2$s' has no socket path"),
                            def->name, chr->target_name);
                return FALSE;
            }
            break;
        default:
            g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                        _("unsupported configuration for domain '%1$s': channel '%2$s' has source type '%3$s'; libxl supports 'pty' and 'unix'"),
                        def->name, chr->target_name, xv_chr_type_to_string(chr->type));
            return FALSE;
        }
        ch->name = g_strdup(chr->target_name);
        ch->devid = (libxl_devid)i;
    }
    return TRUE;
}

/* ---- the whole config ---------------------------------------------------- */

gboolean
xv_libxl_config_from_def(const XvDomainDef *def, const XvLibxlConfOptions *opts,
                         libxl_domain_config *out, GError **error)
{
    XvLibxlConfOptions defaults;
    guint nnets = def->nets ? def->nets->len : 0;
    guint ndisks = def->disks ? def->disks->len : 0;

    g_return_val_if_fail(def != NULL, FALSE);
    g_return_val_if_fail(out != NULL, FALSE);

    opts = options_or_defaults(opts, &defaults);

    libxl_domain_config_init(out);

    if (!make_create_info(def, &out->c_info, error) ||
        !make_build_info(def, opts, out, error))
        goto fail;

    if (ndisks > 0) {
        out->disks = g_new0(libxl_device_disk, ndisks);
        for (guint i = 0; i < ndisks; i++) {
            if (!make_disk(def, g_ptr_array_index(def->disks, i), opts,
                           &out->disks[out->num_disks++], error))
                goto fail;
        }
    }

    if (nnets > 0) {
        out->nics = g_new0(libxl_device_nic, nnets);
        for (guint i = 0; i < nnets; i++) {
            const XvNetDef *net = g_ptr_array_index(def->nets, i);
            libxl_device_nic *nic;

            if (net->type == XV_NET_TYPE_HOSTDEV)
                continue;
            nic = &out->nics[out->num_nics];
            out->num_nics++;
            if (!make_nic(def, net, opts, nic, error))
                goto fail;
            /* libxl does not set devids at setup time, but the device model
             * needs them. */
            nic->devid = out->num_nics - 1;
        }
        if (out->num_nics == 0)
            g_clear_pointer(&out->nics, g_free);
    }

    if (!make_graphics(def, opts, out, error) ||
        !make_hostdevs(def, opts, out, error) ||
        !make_usb_controllers(def, out, error) ||
        !make_channels(def, opts, out, error) ||
        !make_video(def, opts, out, error))
        goto fail;

    if (out->num_vfbs == 0) {
        g_clear_pointer(&out->vfbs, g_free);
        g_clear_pointer(&out->vkbs, g_free);
        out->num_vkbs = 0;
    }

    out->on_reboot = lifecycle_to_libxl(def->on_reboot);
    out->on_poweroff = lifecycle_to_libxl(def->on_poweroff);
    out->on_crash = lifecycle_to_libxl(def->on_crash);
    return TRUE;

 fail:
    libxl_domain_config_dispose(out);
    libxl_domain_config_init(out);
    return FALSE;
}

/* ---- JSON without a ctx --------------------------------------------------- */

char *
xv_libxl_config_to_json(libxl_domain_config *cfg, GError **error)
{
    yajl_gen gen;
    const unsigned char *buf = NULL;
    size_t len = 0;
    char *out = NULL;

    gen = yajl_gen_alloc(NULL);
    if (!gen) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_MEMORY,
                    _("cannot print the libxl configuration: out of memory"));
        return NULL;
    }
    /* What libxl__object_to_json() does: beautify, four-space indent. */
    yajl_gen_config(gen, yajl_gen_beautify, 1);
    yajl_gen_config(gen, yajl_gen_indent_string, "    ");
    if (libxl_domain_config_gen_json(gen, cfg) != yajl_gen_status_ok ||
        yajl_gen_get_buf(gen, &buf, &len) != yajl_gen_status_ok) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("cannot print the libxl configuration of domain '%1$s' as JSON"),
                    cfg->c_info.name ? cfg->c_info.name : "");
    } else {
        out = g_strndup((const char *)buf, len);
    }
    yajl_gen_free(gen);
    return out;
}

/* ---- the reverse: adopting a domain ------------------------------------- */

static GPtrArray *
ensure_array(GPtrArray **array, GDestroyNotify free_func)
{
    if (!*array)
        *array = g_ptr_array_new_with_free_func(free_func);
    return *array;
}

static char *
join_string_list(char *const *list)
{
    if (!list || !list[0])
        return NULL;
    return g_strjoinv(" ", (char **)list);
}

static gboolean
defbool_is(libxl_defbool b, gboolean value)
{
    return !libxl_defbool_is_default(b) && !!libxl_defbool_val(b) == !!value;
}

static XvTristate
defbool_tristate(libxl_defbool b)
{
    if (libxl_defbool_is_default(b))
        return XV_TRISTATE_ABSENT;
    return libxl_defbool_val(b) ? XV_TRISTATE_ON : XV_TRISTATE_OFF;
}

static XvChrDef *
chr_from_string(XvChrDeviceKind kind, const char *spec)
{
    XvChrDef *chr = g_new0(XvChrDef, 1);
    int type;

    chr->kind = kind;
    if (g_str_has_prefix(spec, "/dev/")) {
        chr->type = XV_CHR_TYPE_DEV;
        chr->path = g_strdup(spec);
    } else if (g_str_has_prefix(spec, "file:") || g_str_has_prefix(spec, "pipe:")) {
        chr->type = spec[1] == 'i' ? XV_CHR_TYPE_FILE : XV_CHR_TYPE_PIPE;
        chr->path = g_strdup(spec + 5);
    } else if (g_str_has_prefix(spec, "unix:")) {
        const char *comma = strchr(spec + 5, ',');

        chr->type = XV_CHR_TYPE_UNIX;
        chr->path = comma ? g_strndup(spec + 5, comma - (spec + 5)) : g_strdup(spec + 5);
        chr->mode = g_strdup(comma && strstr(comma, "server") ? "bind" : "connect");
    } else if (g_str_has_prefix(spec, "tcp:") || g_str_has_prefix(spec, "telnet:")) {
        const char *rest = strchr(spec, ':') + 1;
        g_auto(GStrv) parts = NULL;
        const char *comma = strchr(rest, ',');
        g_autofree char *hostport = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);

        chr->type = XV_CHR_TYPE_TCP;
        chr->protocol = g_strdup(spec[1] == 'e' ? "telnet" : "raw");
        parts = g_strsplit(hostport, ":", 2);
        chr->host = g_strdup(parts[0]);
        chr->service = g_strdup(parts[0] ? parts[1] : NULL);
        chr->mode = g_strdup(comma && strstr(comma, "server") ? "bind" : "connect");
    } else if (g_str_has_prefix(spec, "udp:") && strchr(spec, '@')) {
        /* udp:CONNECT_HOST:CONNECT_SERVICE@BIND_HOST:BIND_SERVICE */
        g_auto(GStrv) sides = g_strsplit(spec + 4, "@", 2);
        g_auto(GStrv) conn = g_strsplit(sides[0], ":", 2);
        g_auto(GStrv) bind = g_strsplit(sides[1], ":", 2);

        chr->type = XV_CHR_TYPE_UDP;
        chr->connect_host = conn[0] && *conn[0] ? g_strdup(conn[0]) : NULL;
        chr->connect_service = conn[0] && conn[1] ? g_strdup(conn[1]) : NULL;
        chr->host = bind[0] && *bind[0] ? g_strdup(bind[0]) : NULL;
        chr->service = bind[0] && bind[1] ? g_strdup(bind[1]) : NULL;
    } else if ((type = xv_chr_type_from_string(spec)) >= 0 &&
               (type == XV_CHR_TYPE_PTY || type == XV_CHR_TYPE_NULL ||
                type == XV_CHR_TYPE_VC || type == XV_CHR_TYPE_STDIO)) {
        chr->type = type;
    } else {
        chr->type = XV_CHR_TYPE_PTY;
    }
    chr->target_type = g_strdup("isa-serial");
    return chr;
}

/* Split a QEMU option string at unescaped 'sep', removing the backslashes
 * that escape 'sep' and keeping the others. */
static GPtrArray *
split_escaped(const char *str, char sep)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);

    for (const char *p = str; *p; p++) {
        if (*p == '\\' && p[1]) {
            /* keep escapes of the other level for the next split */
            if (p[1] != sep)
                g_string_append_c(cur, *p);
            g_string_append_c(cur, *++p);
        } else if (*p == sep) {
            g_ptr_array_add(parts, g_string_free(cur, FALSE));
            cur = g_string_new(NULL);
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_ptr_array_add(parts, g_string_free(cur, FALSE));
    return parts;
}

static XvDiskDef *
disk_from_libxl(const libxl_device_disk *x)
{
    XvDiskDef *disk = g_new0(XvDiskDef, 1);

    disk->dst = g_strdup(x->vdev);
    disk->device = x->is_cdrom ? XV_DISK_DEVICE_CDROM : XV_DISK_DEVICE_DISK;
    disk->readonly = !x->readwrite;
    disk->backend_domain = g_strdup(x->backend_domname);
    disk->script = g_strdup(x->script);

    if (x->pdev_path && g_str_has_prefix(x->pdev_path, "rbd:")) {
        g_autoptr(GPtrArray) opts = split_escaped(x->pdev_path + 4, ':');

        disk->type = XV_DISK_TYPE_NETWORK;
        disk->protocol = g_strdup("rbd");
        disk->src = g_strdup(g_ptr_array_index(opts, 0));
        disk->hosts = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_host_free);
        for (guint i = 1; i < opts->len; i++) {
            const char *opt = g_ptr_array_index(opts, i);
            g_auto(GStrv) hosts = NULL;

            if (g_str_has_prefix(opt, "id=")) {
                disk->auth_username = g_strdup(opt + 3);
                continue;
            }
            if (!g_str_has_prefix(opt, "mon_host="))
                continue;
            /* hosts are separated by an escaped ';' */
            hosts = g_strsplit(opt + 9, "\\;", -1);
            for (guint j = 0; hosts[j]; j++) {
                const char *spec = hosts[j];
                XvNetHost *host = g_new0(XvNetHost, 1);
                const char *port = NULL;

                if (spec[0] == '[') {
                    const char *end = strchr(spec, ']');

                    host->name = g_strndup(spec + 1, end ? (gsize)(end - spec - 1) : strlen(spec + 1));
                    port = end && end[1] == ':' ? end + 2 : NULL;
                } else {
                    const char *colon = strrchr(spec, ':');

                    host->name = colon ? g_strndup(spec, colon - spec) : g_strdup(spec);
                    port = colon ? colon + 1 : NULL;
                }
                if (port)
                    host->port = atoi(port);
                g_ptr_array_add(disk->hosts, host);
            }
        }
        disk->driver_name = g_strdup("qemu");
        disk->driver_type = g_strdup("raw");
        return disk;
    }

    disk->src = g_strdup(x->pdev_path);
    switch (x->backend) {
    case LIBXL_DISK_BACKEND_PHY:
        disk->driver_name = g_strdup("phy");
        break;
    case LIBXL_DISK_BACKEND_TAP:
        disk->driver_name = g_strdup("tap");
        break;
    case LIBXL_DISK_BACKEND_QDISK:
        disk->driver_name = g_strdup("qemu");
        break;
    case LIBXL_DISK_BACKEND_UNKNOWN:
    case LIBXL_DISK_BACKEND_STANDALONE:
    default:
        break;
    }
    switch (x->format) {
    case LIBXL_DISK_FORMAT_QCOW:
        disk->driver_type = g_strdup("qcow");
        break;
    case LIBXL_DISK_FORMAT_QCOW2:
        disk->driver_type = g_strdup("qcow2");
        break;
    case LIBXL_DISK_FORMAT_VHD:
        disk->driver_type = g_strdup("vhd");
        break;
    case LIBXL_DISK_FORMAT_QED:
        disk->driver_type = g_strdup("qed");
        break;
    case LIBXL_DISK_FORMAT_RAW:
        disk->driver_type = g_strdup("raw");
        break;
    case LIBXL_DISK_FORMAT_EMPTY:
    case LIBXL_DISK_FORMAT_UNKNOWN:
    default:
        break;
    }
    if (x->backend == LIBXL_DISK_BACKEND_PHY ||
        (x->pdev_path && g_str_has_prefix(x->pdev_path, "/dev/")))
        disk->type = XV_DISK_TYPE_BLOCK;
    else
        disk->type = XV_DISK_TYPE_FILE;
    return disk;
}

static XvNetDef *
net_from_libxl(const libxl_device_nic *x, gboolean hvm)
{
    XvNetDef *net = g_new0(XvNetDef, 1);

    memcpy(net->mac, x->mac, 6);
    if (x->bridge) {
        const char *sep = strpbrk(x->bridge, ".:");

        net->type = XV_NET_TYPE_BRIDGE;
        net->bridge = sep ? g_strndup(x->bridge, sep - x->bridge) : g_strdup(x->bridge);
        if (sep) {
            g_auto(GStrv) tags = g_strsplit_set(sep + 1, ".:", -1);

            net->virtualport_type = g_strdup("openvswitch");
            net->vlan_trunk = *sep == ':';
            net->vlan_tags = g_array_new(FALSE, FALSE, sizeof(guint));
            for (guint i = 0; tags[i]; i++) {
                guint tag = (guint)g_ascii_strtoull(tags[i], NULL, 10);

                if (*tags[i])
                    g_array_append_val(net->vlan_tags, tag);
            }
        }
    } else {
        net->type = XV_NET_TYPE_ETHERNET;
    }
    net->script = g_strdup(x->script);
    if (hvm && x->nictype == LIBXL_NIC_TYPE_VIF)
        net->model = g_strdup("netfront");
    else
        net->model = g_strdup(x->model);
    net->ifname = g_strdup(x->ifname);
    net->backend_domain = g_strdup(x->backend_domname);
    net->mtu = x->mtu > 0 && x->mtu != 1500 ? x->mtu : 0;
    if (x->ip) {
        g_auto(GStrv) ips = g_strsplit(x->ip, " ", -1);

        net->ips = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_ip_free);
        for (guint i = 0; ips[i]; i++) {
            XvNetIp *ip;

            if (!*ips[i])
                continue;
            ip = g_new0(XvNetIp, 1);
            ip->address = g_strdup(ips[i]);
            ip->family = g_strdup(strchr(ips[i], ':') ? "ipv6" : "ipv4");
            g_ptr_array_add(net->ips, ip);
        }
    }
    if (x->rate_bytes_per_interval && x->rate_interval_usecs) {
        net->outbound.present = TRUE;
        guint64 bytes_per_sec = x->rate_bytes_per_interval * 1000000 / x->rate_interval_usecs;

        /* Nearest KiB/s: the forward conversion rounds the credit down. */
        net->outbound.average = (bytes_per_sec + 512) / 1024;
    }
    return net;
}

static XvGraphicsDef *
vnc_from_libxl(const libxl_vnc_info *vnc, const char *keymap)
{
    XvGraphicsDef *g = g_new0(XvGraphicsDef, 1);

    g->type = XV_GRAPHICS_VNC;
    if (libxl_defbool_is_default(vnc->findunused) || libxl_defbool_val(vnc->findunused)) {
        g->autoport = TRUE;
        g->port = -1;
    } else {
        g->port = XV_LIBXL_VNC_PORT_MIN + vnc->display;
    }
    g->listen = g_strdup(vnc->listen);
    g->passwd = g_strdup(vnc->passwd);
    g->keymap = g_strdup(keymap);
    return g;
}

static XvGraphicsDef *
sdl_from_libxl(const libxl_sdl_info *sdl)
{
    XvGraphicsDef *g = g_new0(XvGraphicsDef, 1);

    g->type = XV_GRAPHICS_SDL;
    g->display = g_strdup(sdl->display);
    g->xauth = g_strdup(sdl->xauthority);
    if (!libxl_defbool_is_default(sdl->opengl))
        g->gl = libxl_defbool_val(sdl->opengl) ? XV_TRISTATE_ON : XV_TRISTATE_OFF;
    return g;
}

XvDomainDef *
xv_libxl_config_to_def(const libxl_domain_config *cfg, GError **error)
{
    g_autoptr(XvDomainDef) def = xv_domain_def_new();
    const libxl_domain_create_info *c_info = &cfg->c_info;
    const libxl_domain_build_info *b_info = &cfg->b_info;
    gboolean hvm = c_info->type == LIBXL_DOMAIN_TYPE_HVM;
    const char *bootloader = NULL;
    char *const *bootloader_args = NULL;

    if (!c_info->name) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("cannot adopt a domain whose libxl configuration has no name"));
        return NULL;
    }
    g_free(def->name);
    def->name = g_strdup(c_info->name);
    memcpy(def->uuid, libxl_uuid_bytearray_const(&c_info->uuid), 16);

    if (c_info->passthrough != LIBXL_PASSTHROUGH_DEFAULT) {
        def->features.state[XV_DOMAIN_FEATURE_XEN] = XV_TRISTATE_ON;
        def->features.xen_passthrough = c_info->passthrough == LIBXL_PASSTHROUGH_DISABLED ?
                                        XV_TRISTATE_OFF : XV_TRISTATE_ON;
        if (c_info->passthrough == LIBXL_PASSTHROUGH_SYNC_PT)
            def->features.xen_passthrough_mode = XV_DOMAIN_XEN_PASSTHROUGH_MODE_SYNC_PT;
        else if (c_info->passthrough == LIBXL_PASSTHROUGH_SHARE_PT)
            def->features.xen_passthrough_mode = XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT;
    }

    switch (c_info->type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        def->os.type = XV_DOMAIN_OS_HVM;
        break;
    case LIBXL_DOMAIN_TYPE_PVH:
        def->os.type = XV_DOMAIN_OS_XENPVH;
        break;
    case LIBXL_DOMAIN_TYPE_PV:
        def->os.type = XV_DOMAIN_OS_XEN;
        break;
    case LIBXL_DOMAIN_TYPE_INVALID:
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("cannot adopt domain '%1$s': its libxl configuration has no domain type"),
                    c_info->name);
        return NULL;
    }

    /* memory */
    def->memory_kb = b_info->max_memkb != LIBXL_MEMKB_DEFAULT ? b_info->max_memkb : 0;
    def->current_memory_kb = b_info->target_memkb != LIBXL_MEMKB_DEFAULT ?
                             b_info->target_memkb : def->memory_kb;
    if (def->memory_kb == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("cannot adopt domain '%1$s': its libxl configuration has no memory size"),
                    c_info->name);
        return NULL;
    }

    /* vcpus and affinity */
    def->maxvcpus = b_info->max_vcpus > 0 ? (guint)b_info->max_vcpus : 1;
    def->vcpus = def->maxvcpus;
    if (b_info->avail_vcpus.size > 0) {
        int avail = libxl_bitmap_count_set(&b_info->avail_vcpus);

        if (avail > 0 && (guint)avail < def->maxvcpus)
            def->vcpus = (guint)avail;
    }
    if (b_info->cpumap.size > 0 && !bitmap_is_full(&b_info->cpumap) &&
        libxl_bitmap_count_set(&b_info->cpumap) > 0)
        def->cpuset = bitmap_to_xv(&b_info->cpumap);
    for (int i = 0; i < b_info->num_vcpu_hard_affinity && (guint)i < def->maxvcpus; i++) {
        const libxl_bitmap *map = &b_info->vcpu_hard_affinity[i];
        XvVcpuPin *pin;

        if (map->size == 0 || bitmap_is_full(map) || libxl_bitmap_count_set(map) == 0)
            continue;
        pin = g_new0(XvVcpuPin, 1);
        pin->vcpu = (guint)i;
        pin->cpuset = bitmap_to_xv(map);
        g_ptr_array_add(ensure_array(&def->cputune.vcpupins, (GDestroyNotify)xv_vcpu_pin_free), pin);
    }
    if (b_info->sched_params.cap != LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT &&
        b_info->sched_params.cap > 0) {
        def->cputune.has_period = TRUE;
        def->cputune.period = 100000;
        def->cputune.has_quota = TRUE;
        def->cputune.quota = (gint64)b_info->sched_params.cap * 1000;
    }
    if (b_info->nodemap.size > 0 && libxl_bitmap_count_set(&b_info->nodemap) > 0) {
        def->numatune.present = TRUE;
        def->numatune.mode = XV_NUMATUNE_MODE_STRICT;
        def->numatune.nodeset = bitmap_to_xv(&b_info->nodemap);
    } else if (defbool_is(b_info->numa_placement, TRUE)) {
        def->placement = XV_DOMAIN_PLACEMENT_AUTO;
    }
    if (b_info->sched_params.weight != LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT &&
        b_info->sched_params.weight > 0) {
        def->cputune.has_shares = TRUE;
        def->cputune.shares = (guint64)b_info->sched_params.weight;
    }

    /* boot */
    def->os.kernel = g_strdup(b_info->kernel);
    def->os.cmdline = g_strdup(b_info->cmdline);
    def->os.initrd = g_strdup(b_info->ramdisk);
    bootloader = b_info->bootloader;
    bootloader_args = b_info->bootloader_args;
    if (c_info->type == LIBXL_DOMAIN_TYPE_PV) {
        if (!def->os.kernel)
            def->os.kernel = g_strdup(b_info->u.pv.kernel);
        if (!def->os.cmdline)
            def->os.cmdline = g_strdup(b_info->u.pv.cmdline);
        if (!def->os.initrd)
            def->os.initrd = g_strdup(b_info->u.pv.ramdisk);
        if (!bootloader)
            bootloader = b_info->u.pv.bootloader;
        if (!bootloader_args)
            bootloader_args = b_info->u.pv.bootloader_args;
        if (defbool_is(b_info->u.pv.e820_host, TRUE)) {
            def->features.state[XV_DOMAIN_FEATURE_XEN] = XV_TRISTATE_ON;
            def->features.xen_e820_host = XV_TRISTATE_ON;
        }
    }
    def->os.bootloader = g_strdup(bootloader);
    def->os.bootloader_args = join_string_list(bootloader_args);

    /* features */
    if (hvm) {
        def->features.state[XV_DOMAIN_FEATURE_PAE] = defbool_is(b_info->u.hvm.pae, TRUE) ?
                                                     XV_TRISTATE_ON : XV_TRISTATE_ABSENT;
        def->features.state[XV_DOMAIN_FEATURE_APIC] =
            defbool_is(b_info->apic, TRUE) || defbool_is(b_info->u.hvm.apic, TRUE) ?
            XV_TRISTATE_ON : XV_TRISTATE_ABSENT;
        def->features.state[XV_DOMAIN_FEATURE_ACPI] =
            defbool_is(b_info->acpi, TRUE) || defbool_is(b_info->u.hvm.acpi, TRUE) ?
            XV_TRISTATE_ON : XV_TRISTATE_ABSENT;
        def->features.state[XV_DOMAIN_FEATURE_HAP] = defbool_tristate(c_info->hap);
        if (defbool_is(b_info->u.hvm.viridian, TRUE))
            def->features.state[XV_DOMAIN_FEATURE_VIRIDIAN] = XV_TRISTATE_ON;
        if (b_info->u.hvm.viridian_enable.size > 0 &&
            libxl_bitmap_count_set(&b_info->u.hvm.viridian_enable) > 0) {
            const libxl_bitmap *en = &b_info->u.hvm.viridian_enable;

            def->features.state[XV_DOMAIN_FEATURE_HYPERV] = XV_TRISTATE_ON;
            if (bitmap_is_full(en)) {
                def->features.hyperv_mode = XV_DOMAIN_HYPERV_MODE_PASSTHROUGH;
            } else {
                static const struct {
                    XvDomainHypervFeature feature;
                    int group;
                } groups[] = {
                    { XV_DOMAIN_HYPERV_VAPIC, LIBXL_VIRIDIAN_ENLIGHTENMENT_APIC_ASSIST },
                    { XV_DOMAIN_HYPERV_FREQUENCIES, LIBXL_VIRIDIAN_ENLIGHTENMENT_FREQ },
                    { XV_DOMAIN_HYPERV_TLBFLUSH, LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_REMOTE_TLB_FLUSH },
                    { XV_DOMAIN_HYPERV_SYNIC, LIBXL_VIRIDIAN_ENLIGHTENMENT_SYNIC },
                    { XV_DOMAIN_HYPERV_STIMER, LIBXL_VIRIDIAN_ENLIGHTENMENT_STIMER },
                    { XV_DOMAIN_HYPERV_IPI, LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_IPI },
                };

                const libxl_bitmap *dis = &b_info->u.hvm.viridian_disable;

                def->features.hyperv_mode = XV_DOMAIN_HYPERV_MODE_CUSTOM;
                for (gsize i = 0; i < G_N_ELEMENTS(groups); i++) {
                    if ((guint)groups[i].group < en->size * 8 &&
                        libxl_bitmap_test(en, groups[i].group))
                        def->features.hyperv[groups[i].feature] = XV_TRISTATE_ON;
                    else if ((guint)groups[i].group < dis->size * 8 &&
                             libxl_bitmap_test(dis, groups[i].group))
                        def->features.hyperv[groups[i].feature] = XV_TRISTATE_OFF;
                }
            }
        }
        if (b_info->u.hvm.bios == LIBXL_BIOS_TYPE_OVMF) {
            if (b_info->u.hvm.system_firmware) {
                def->os.loader = g_strdup(b_info->u.hvm.system_firmware);
                def->os.loader_type = XV_DOMAIN_LOADER_TYPE_PFLASH;
                def->os.loader_readonly = XV_TRISTATE_ON;
            } else {
                def->os.firmware = XV_DOMAIN_FIRMWARE_EFI;
            }
        } else if (b_info->u.hvm.firmware) {
            def->os.loader = g_strdup(b_info->u.hvm.firmware);
            def->os.loader_type = XV_DOMAIN_LOADER_TYPE_ROM;
        }
        def->os.acpi_table = g_strdup(b_info->u.hvm.acpi_firmware);
        if (def->os.acpi_table)
            def->os.acpi_table_type = g_strdup("slic");
        for (const char *p = b_info->u.hvm.boot; p && *p && def->os.nboot < XV_DOMAIN_BOOT_LAST; p++) {
            XvDomainBootDev dev;

            switch (*p) {
            case 'a':
                dev = XV_DOMAIN_BOOT_FLOPPY;
                break;
            case 'd':
                dev = XV_DOMAIN_BOOT_CDROM;
                break;
            case 'n':
                dev = XV_DOMAIN_BOOT_NET;
                break;
            default:
                dev = XV_DOMAIN_BOOT_DISK;
                break;
            }
            def->os.boot[def->os.nboot++] = dev;
        }
        for (guint i = 0; b_info->u.hvm.usbdevice_list && b_info->u.hvm.usbdevice_list[i]; i++) {
            const char *dev = b_info->u.hvm.usbdevice_list[i];
            XvInputDef *input = g_new0(XvInputDef, 1);

            input->bus = XV_INPUT_BUS_USB;
            input->type = g_str_equal(dev, "tablet") ? XV_INPUT_TABLET :
                          g_str_equal(dev, "mouse") ? XV_INPUT_MOUSE : XV_INPUT_KEYBOARD;
            g_ptr_array_add(ensure_array(&def->inputs, (GDestroyNotify)xv_input_def_free), input);
        }
        if (b_info->u.hvm.soundhw) {
            XvSoundDef *sound = g_new0(XvSoundDef, 1);

            sound->model = g_strdup(b_info->u.hvm.soundhw);
            g_ptr_array_add(ensure_array(&def->sounds, (GDestroyNotify)xv_sound_def_free), sound);
        }
        if (b_info->u.hvm.serial) {
            g_ptr_array_add(ensure_array(&def->serials, (GDestroyNotify)xv_chr_def_free),
                            chr_from_string(XV_CHR_DEVICE_SERIAL, b_info->u.hvm.serial));
        }
        for (guint i = 0; b_info->u.hvm.serial_list && b_info->u.hvm.serial_list[i]; i++) {
            XvChrDef *chr = chr_from_string(XV_CHR_DEVICE_SERIAL, b_info->u.hvm.serial_list[i]);

            chr->has_port = TRUE;
            chr->port = i;
            g_ptr_array_add(ensure_array(&def->serials, (GDestroyNotify)xv_chr_def_free), chr);
        }
        if (!libxl_defbool_is_default(b_info->u.hvm.hpet)) {
            XvTimerDef *timer = g_new0(XvTimerDef, 1);

            timer->name = XV_TIMER_HPET;
            timer->present = defbool_is(b_info->u.hvm.hpet, TRUE) ? XV_TRISTATE_ON : XV_TRISTATE_OFF;
            g_ptr_array_add(ensure_array(&def->clock.timers, (GDestroyNotify)xv_timer_def_free), timer);
        }
    }
    if (!libxl_defbool_is_default(b_info->nested_hvm) ||
        (hvm && !libxl_defbool_is_default(b_info->u.hvm.nested_hvm))) {
        gboolean nested = defbool_is(b_info->nested_hvm, TRUE) ||
                          (hvm && defbool_is(b_info->u.hvm.nested_hvm, TRUE));

        def->cpu.mode = XV_CPU_MODE_HOST_PASSTHROUGH;
        if (!nested) {
            /* host-passthrough without nested HVM: the virtualization
             * extension is forbidden. */
            XvCpuFeature *feature = g_new0(XvCpuFeature, 1);

            feature->name = g_strdup("vmx");
            feature->policy = XV_CPU_FEATURE_FORBID;
            g_ptr_array_add(ensure_array(&def->cpu.features, (GDestroyNotify)xv_cpu_feature_free), feature);
        }
    }

    /* clock */
    if (defbool_is(b_info->localtime, TRUE)) {
        def->clock.offset = XV_CLOCK_OFFSET_LOCALTIME;
    } else if (b_info->rtc_timeoffset) {
        def->clock.offset = XV_CLOCK_OFFSET_VARIABLE;
        def->clock.has_adjustment = TRUE;
        def->clock.adjustment = (gint32)b_info->rtc_timeoffset;
        def->clock.basis = g_strdup("utc");
    }
    if (b_info->tsc_mode != LIBXL_TSC_MODE_DEFAULT) {
        XvTimerDef *timer = g_new0(XvTimerDef, 1);

        timer->name = XV_TIMER_TSC;
        switch (b_info->tsc_mode) {
        case LIBXL_TSC_MODE_NATIVE:
            timer->mode = XV_TIMER_MODE_NATIVE;
            break;
        case LIBXL_TSC_MODE_NATIVE_PARAVIRT:
            timer->mode = XV_TIMER_MODE_PARAVIRT;
            break;
        case LIBXL_TSC_MODE_ALWAYS_EMULATE:
            timer->mode = XV_TIMER_MODE_EMULATE;
            break;
        case LIBXL_TSC_MODE_DEFAULT:
        default:
            timer->mode = XV_TIMER_MODE_AUTO;
            break;
        }
        g_ptr_array_add(ensure_array(&def->clock.timers, (GDestroyNotify)xv_timer_def_free), timer);
    }

    /* vNUMA */
    for (int i = 0; i < b_info->num_vnuma_nodes; i++) {
        const libxl_vnode_info *node = &b_info->vnuma_nodes[i];
        XvNumaCell *cell = g_new0(XvNumaCell, 1);

        cell->id = (guint)i;
        cell->memory_kb = node->memkb;
        cell->cpus = bitmap_to_xv(&node->vcpus);
        if (node->num_distances > 0) {
            cell->distances = g_array_new(FALSE, TRUE, sizeof(guint));
            for (int j = 0; j < node->num_distances; j++) {
                guint d = node->distances[j];

                g_array_append_val(cell->distances, d);
            }
        }
        g_ptr_array_add(ensure_array(&def->cpu.cells, (GDestroyNotify)xv_numa_cell_free), cell);
    }

    /* emulator and extra arguments */
    def->emulator = g_strdup(b_info->device_model);
    for (guint i = 0; b_info->extra && b_info->extra[i]; i++)
        g_ptr_array_add(ensure_array(&def->xen_args, g_free), g_strdup(b_info->extra[i]));

    /* LIBXL_MAX_GRANT_DEFAULT (what a retrieved config carries when nobody
     * set a limit) means "Xen's default", not a value to write back. */
    if ((b_info->max_grant_frames && b_info->max_grant_frames != LIBXL_MAX_GRANT_DEFAULT) ||
        b_info->event_channels) {
        XvControllerDef *ctrl = NULL;

        for (guint i = 0; def->controllers && i < def->controllers->len; i++) {
            XvControllerDef *c = g_ptr_array_index(def->controllers, i);

            if (c->type == XV_CONTROLLER_XENBUS)
                ctrl = c;
        }
        if (!ctrl) {
            ctrl = g_new0(XvControllerDef, 1);
            ctrl->type = XV_CONTROLLER_XENBUS;
            g_ptr_array_add(ensure_array(&def->controllers, (GDestroyNotify)xv_controller_def_free), ctrl);
        }
        ctrl->max_grant_frames = b_info->max_grant_frames != LIBXL_MAX_GRANT_DEFAULT
                                 ? b_info->max_grant_frames : 0;
        ctrl->max_event_channels = b_info->event_channels;
    }

    /* lifecycle */
    def->on_poweroff = lifecycle_from_libxl(cfg->on_poweroff);
    def->on_reboot = lifecycle_from_libxl(cfg->on_reboot);
    def->on_crash = lifecycle_from_libxl(cfg->on_crash);

    /* devices */
    for (int i = 0; i < cfg->num_disks; i++)
        g_ptr_array_add(ensure_array(&def->disks, (GDestroyNotify)xv_disk_def_free),
                        disk_from_libxl(&cfg->disks[i]));
    for (int i = 0; i < cfg->num_nics; i++)
        g_ptr_array_add(ensure_array(&def->nets, (GDestroyNotify)xv_net_def_free),
                        net_from_libxl(&cfg->nics[i], hvm));

    if (hvm && defbool_is(b_info->u.hvm.spice.enable, TRUE)) {
        XvGraphicsDef *g = g_new0(XvGraphicsDef, 1);

        g->type = XV_GRAPHICS_SPICE;
        g->port = b_info->u.hvm.spice.port;
        g->tls_port = b_info->u.hvm.spice.tls_port;
        g->listen = g_strdup(b_info->u.hvm.spice.host);
        g->passwd = g_strdup(b_info->u.hvm.spice.passwd);
        g->keymap = g_strdup(b_info->u.hvm.keymap);
        if (defbool_is(b_info->u.hvm.spice.agent_mouse, FALSE))
            g->mouse_mode = g_strdup("server");
        if (defbool_is(b_info->u.hvm.spice.vdagent, TRUE))
            g->clipboard_copypaste = XV_TRISTATE_ON;
        g->spice_image_compression = g_strdup(b_info->u.hvm.spice.image_compression);
        g->spice_streaming_mode = g_strdup(b_info->u.hvm.spice.streaming_video);
        g_ptr_array_add(ensure_array(&def->graphics, (GDestroyNotify)xv_graphics_def_free), g);
    }
    for (int i = 0; i < cfg->num_vfbs; i++) {
        const libxl_device_vfb *vfb = &cfg->vfbs[i];
        XvGraphicsDef *g = NULL;

        if (defbool_is(vfb->sdl.enable, TRUE))
            g = sdl_from_libxl(&vfb->sdl);
        else if (!defbool_is(vfb->vnc.enable, FALSE))
            g = vnc_from_libxl(&vfb->vnc, vfb->keymap);
        if (g)
            g_ptr_array_add(ensure_array(&def->graphics, (GDestroyNotify)xv_graphics_def_free), g);
    }
    if (hvm && cfg->num_vfbs == 0) {
        /* xl puts the HVM display in b_info only. */
        XvGraphicsDef *g = NULL;

        if (defbool_is(b_info->u.hvm.sdl.enable, TRUE))
            g = sdl_from_libxl(&b_info->u.hvm.sdl);
        else if (defbool_is(b_info->u.hvm.vnc.enable, TRUE))
            g = vnc_from_libxl(&b_info->u.hvm.vnc, b_info->u.hvm.keymap);
        if (g)
            g_ptr_array_add(ensure_array(&def->graphics, (GDestroyNotify)xv_graphics_def_free), g);
    }
    if (hvm && !defbool_is(b_info->u.hvm.nographic, TRUE) &&
        b_info->u.hvm.vga.kind != LIBXL_VGA_INTERFACE_TYPE_NONE &&
        def->graphics && def->graphics->len > 0) {
        XvVideoDef *video = g_new0(XvVideoDef, 1);

        switch (b_info->u.hvm.vga.kind) {
        case LIBXL_VGA_INTERFACE_TYPE_STD:
            video->type = XV_VIDEO_VGA;
            break;
        case LIBXL_VGA_INTERFACE_TYPE_QXL:
            video->type = XV_VIDEO_QXL;
            break;
        case LIBXL_VGA_INTERFACE_TYPE_CIRRUS:
        case LIBXL_VGA_INTERFACE_TYPE_UNKNOWN:
        default:
            video->type = XV_VIDEO_CIRRUS;
            break;
        }
        video->vram_kb = b_info->video_memkb != LIBXL_MEMKB_DEFAULT ? (guint)b_info->video_memkb : 0;
        video->primary = TRUE;
        g_ptr_array_add(ensure_array(&def->videos, (GDestroyNotify)xv_video_def_free), video);
    }

    for (int i = 0; i < cfg->num_pcidevs; i++) {
        const libxl_device_pci *pci = &cfg->pcidevs[i];
        XvHostdevDef *hostdev = g_new0(XvHostdevDef, 1);

        hostdev->type = XV_HOSTDEV_PCI;
        hostdev->managed = pci->seize;
        hostdev->domain = (guint)pci->domain;
        hostdev->bus = pci->bus;
        hostdev->slot = pci->dev;
        hostdev->function = pci->func;
        if (pci->permissive)
            hostdev->write_filtering = XV_TRISTATE_OFF;
        if (pci->vdevfn) {
            hostdev->has_guest_address = TRUE;
            hostdev->guest_slot = (pci->vdevfn >> 3) & 0x1f;
            hostdev->guest_function = pci->vdevfn & 0x7;
        }
        g_ptr_array_add(ensure_array(&def->hostdevs, (GDestroyNotify)xv_hostdev_def_free), hostdev);
    }
    for (int i = 0; i < cfg->num_usbdevs; i++) {
        const libxl_device_usbdev *usb = &cfg->usbdevs[i];
        XvHostdevDef *hostdev;

        if (usb->type != LIBXL_USBDEV_TYPE_HOSTDEV)
            continue;
        hostdev = g_new0(XvHostdevDef, 1);
        hostdev->type = XV_HOSTDEV_USB;
        hostdev->usb_bus = usb->u.hostdev.hostbus;
        hostdev->usb_device = usb->u.hostdev.hostaddr;
        g_ptr_array_add(ensure_array(&def->hostdevs, (GDestroyNotify)xv_hostdev_def_free), hostdev);
    }
    for (int i = 0; i < cfg->num_usbctrls; i++) {
        const libxl_device_usbctrl *usb = &cfg->usbctrls[i];
        XvControllerDef *ctrl = g_new0(XvControllerDef, 1);

        ctrl->type = XV_CONTROLLER_USB;
        ctrl->index = usb->devid >= 0 ? (guint)usb->devid : (guint)i;
        ctrl->model = g_strdup(usb->version == 1 ? "qusb1" : "qusb2");
        ctrl->ports = usb->ports > 0 ? (guint)usb->ports : 0;
        g_ptr_array_add(ensure_array(&def->controllers, (GDestroyNotify)xv_controller_def_free), ctrl);
    }
    for (int i = 0; i < cfg->num_channels; i++) {
        const libxl_device_channel *ch = &cfg->channels[i];
        XvChrDef *chr = g_new0(XvChrDef, 1);

        chr->kind = XV_CHR_DEVICE_CHANNEL;
        chr->target_type = g_strdup("xen");
        chr->target_name = g_strdup(ch->name);
        if (ch->connection == LIBXL_CHANNEL_CONNECTION_SOCKET) {
            chr->type = XV_CHR_TYPE_UNIX;
            chr->path = g_strdup(ch->u.socket.path);
            chr->mode = g_strdup("bind");
        } else {
            chr->type = XV_CHR_TYPE_PTY;
        }
        g_ptr_array_add(ensure_array(&def->channels, (GDestroyNotify)xv_chr_def_free), chr);
    }

    if (!hvm) {
        /* The PV console every Xen PV/PVH guest has. */
        XvChrDef *console = g_new0(XvChrDef, 1);

        console->kind = XV_CHR_DEVICE_CONSOLE;
        console->type = XV_CHR_TYPE_PTY;
        console->target_type = g_strdup("xen");
        g_ptr_array_add(ensure_array(&def->consoles, (GDestroyNotify)xv_chr_def_free), console);
    }

    if (!xv_domain_def_post_parse(def, error) || !xv_domain_def_validate(def, error)) {
        xv_error_prefix(error, _("cannot adopt domain '%s': "), c_info->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* ---- single devices (hotplug) -------------------------------------------- */

gboolean
xv_libxl_device_disk_from_def(const XvDomainDef *def, const XvDiskDef *disk,
                              const XvLibxlConfOptions *opts, libxl_device_disk *out,
                              GError **error)
{
    XvLibxlConfOptions defaults;

    opts = options_or_defaults(opts, &defaults);
    if (!make_disk(def, disk, opts, out, error)) {
        libxl_device_disk_dispose(out);
        libxl_device_disk_init(out);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_libxl_device_nic_from_def(const XvDomainDef *def, const XvNetDef *net,
                             const XvLibxlConfOptions *opts, libxl_device_nic *out,
                             GError **error)
{
    XvLibxlConfOptions defaults;

    opts = options_or_defaults(opts, &defaults);
    if (net->type == XV_NET_TYPE_HOSTDEV) {
        libxl_device_nic_init(out);
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%s': an interface of type 'hostdev' is a PCI device, not a network interface"),
                    def->name);
        return FALSE;
    }
    if (!make_nic(def, net, opts, out, error)) {
        libxl_device_nic_dispose(out);
        libxl_device_nic_init(out);
        return FALSE;
    }
    /* libxl chooses the devid of a hotplugged nic. */
    out->devid = -1;
    return TRUE;
}

void
xv_libxl_device_pci_from_def(const XvHostdevDef *hostdev, libxl_device_pci *out)
{
    make_pci(hostdev, out);
}

void
xv_libxl_device_pci_from_net(const XvNetDef *net, libxl_device_pci *out)
{
    libxl_device_pci_init(out);
    out->domain = (int)net->pci_domain;
    out->bus = (uint8_t)net->pci_bus;
    out->dev = (uint8_t)net->pci_slot;
    out->func = (uint8_t)net->pci_function;
}

gboolean
xv_libxl_device_usbdev_from_def(const XvDomainDef *def, const XvHostdevDef *hostdev,
                                const XvLibxlConfOptions *opts, libxl_device_usbdev *out,
                                GError **error)
{
    XvLibxlConfOptions defaults;

    opts = options_or_defaults(opts, &defaults);
    if (!make_usbdev(def, hostdev, opts, out, error)) {
        libxl_device_usbdev_dispose(out);
        libxl_device_usbdev_init(out);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_libxl_device_usbctrl_from_def(const XvDomainDef *def, const XvControllerDef *ctrl,
                                 libxl_device_usbctrl *out, GError **error)
{
    if (ctrl->type != XV_CONTROLLER_USB || (ctrl->model && g_str_equal(ctrl->model, "none"))) {
        libxl_device_usbctrl_init(out);
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("unsupported configuration for domain '%1$s': a %2$s controller cannot be given to libxl"),
                    def->name, xv_controller_type_to_string(ctrl->type));
        return FALSE;
    }
    if (!make_usbctrl(def, ctrl, out, error)) {
        libxl_device_usbctrl_dispose(out);
        libxl_device_usbctrl_init(out);
        return FALSE;
    }
    return TRUE;
}
