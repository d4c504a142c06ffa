/*
 * host-sim.c: a simulated Xen host behind the host port.
 *
 * See host-sim.h for the files, the timing model and fault injection.  The
 * shape of every operation:
 *
 *   txn = sim_txn_begin()     mutex + flock, re-read every domain file, and
 *                             "settle": apply what time did since the files
 *                             were written (pending shutdowns, crashes,
 *                             dying domains that are gone)
 *   ... check, mutate SimDom records (marking them dirty) ...
 *   sim_txn_end()             write dirty records atomically, delete removed
 *                             ones, post events to watchers, unlock
 *
 * Long operations (create, restore, suspend, dump, destroy) split into
 * several transactions with the sleeping and the stream I/O between them,
 * outside every lock.  A domain being built is in state "building" (listed
 * as paused, its memory reserved); any failure removes it again.
 *
 * Domain configs are kept as libxl's own JSON (libxl_domain_config_gen_json,
 * which needs no libxl_ctx) and parsed back with yajl's tree API into the
 * fields the driver needs (sim_config_from_json): c_info, the memory, vcpu,
 * scheduler, kernel/bootloader, PV/PVH/HVM boot fields, disks, nics, vfbs
 * and lifecycle actions.  Everything else stays in the stored JSON only.
 */
#include "drivers/libxl/host-sim.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <libxl_utils.h>
#include <yajl/yajl_version.h>
#include <libxl_json.h>
#include <yajl/yajl_tree.h>

#include "util/xv-bitmap.h"
#include "util/xv-error.h"
#include "util/xv-file.h"

#define SIM_KIB_PER_MIB 1024ull
#define SIM_KIB_PER_GIB (1024ull * 1024ull)
#define SIM_DEFAULT_BRIDGES "xenbr0;br0;virbr0"
#define SIM_VCPU_LIMIT 128u
/* A stream carries one byte per SIM_STREAM_RATIO bytes of guest memory. */
#define SIM_STREAM_RATIO 256ull
#define SIM_CHUNK_BYTES (64u * 1024u)
#define SIM_STREAM_MAGIC "XVSIMSV\n"
#define SIM_STREAM_END_MAGIC "XVSIMEND"
#define SIM_STREAM_VERSION 1u
#define SIM_REC_PAGES 1u
#define SIM_REC_END 2u
#define SIM_LIVE_ROUNDS 4u
#define SIM_DUMP_HEADER_BYTES 4096u
/* Model rates (seconds at speed 1). */
#define SIM_CREATE_FIXED_S 0.3
#define SIM_CREATE_PER_GIB_S 0.1
#define SIM_SAVE_FIXED_S 0.1
#define SIM_STREAM_PER_GIB_S 1.0
#define SIM_DESTROY_FIXED_S 0.02
#define SIM_DESTROY_PER_GIB_S 0.02
/* Share of a vcpu a running guest uses, for cpu_time. */
#define SIM_GUEST_LOAD 0.1
/* How often the timer thread looks for changes made by other processes. */
#define SIM_POLL_US (200 * G_TIME_SPAN_MILLISECOND)

/* ---- step table --------------------------------------------------------- */

static const char *const sim_steps[] = {
    "physinfo", "version", "scheduler", "list-domains", "domain-info",
    "create:validate", "create:alloc", "create:build", "create:unpause",
    "restore:read-header", "restore:validate", "restore:alloc",
    "restore:read-memory", "restore:unpause",
    "destroy", "shutdown", "reboot", "pause", "unpause",
    "suspend:start", "suspend:write-memory", "suspend:finish",
    "dump:write",
    "vcpu-affinity", "list-vcpus", "vcpus-online",
    "setmem", "setmaxmem", "sched-get", "sched-set",
    "retrieve-config", "watch",
    "device-add", "device-remove", "cdrom-insert", "rename", "boot-id",
    NULL,
};

const char *const *
xv_host_sim_fault_steps(void)
{
    return sim_steps;
}

static gboolean
sim_step_known(const char *step)
{
    for (guint i = 0; sim_steps[i] != NULL; i++)
        if (g_str_equal(sim_steps[i], step))
            return TRUE;
    return FALSE;
}

static const struct {
    int code;
    const char *name;
} sim_error_names[] = {
    { ERROR_NONSPECIFIC, "ERROR_NONSPECIFIC" },
    { ERROR_VERSION, "ERROR_VERSION" },
    { ERROR_FAIL, "ERROR_FAIL" },
    { ERROR_NI, "ERROR_NI" },
    { ERROR_NOMEM, "ERROR_NOMEM" },
    { ERROR_INVAL, "ERROR_INVAL" },
    { ERROR_BADFAIL, "ERROR_BADFAIL" },
    { ERROR_GUEST_TIMEDOUT, "ERROR_GUEST_TIMEDOUT" },
    { ERROR_TIMEDOUT, "ERROR_TIMEDOUT" },
    { ERROR_NOPARAVIRT, "ERROR_NOPARAVIRT" },
    { ERROR_NOT_READY, "ERROR_NOT_READY" },
    { ERROR_LOCK_FAIL, "ERROR_LOCK_FAIL" },
    { ERROR_DEVICE_EXISTS, "ERROR_DEVICE_EXISTS" },
    { ERROR_DOMAIN_NOTFOUND, "ERROR_DOMAIN_NOTFOUND" },
    { ERROR_ABORTED, "ERROR_ABORTED" },
    { ERROR_NOTFOUND, "ERROR_NOTFOUND" },
    { ERROR_DOMAIN_DESTROYED, "ERROR_DOMAIN_DESTROYED" },
    { ERROR_FEATURE_REMOVED, "ERROR_FEATURE_REMOVED" },
};

const char *
xv_host_sim_error_name(int libxl_error)
{
    for (guint i = 0; i < G_N_ELEMENTS(sim_error_names); i++)
        if (sim_error_names[i].code == libxl_error)
            return sim_error_names[i].name;
    return NULL;
}

int
xv_host_sim_error_from_name(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(sim_error_names); i++) {
        if (g_ascii_strcasecmp(sim_error_names[i].name, name) == 0 ||
            g_ascii_strcasecmp(sim_error_names[i].name + strlen("ERROR_"), name) == 0)
            return sim_error_names[i].code;
    }
    return 0;
}

/* ---- errors ------------------------------------------------------------- */

static XvErrorCode
sim_error_code(int rc)
{
    switch (rc) {
    case ERROR_DOMAIN_NOTFOUND:
    case ERROR_DOMAIN_DESTROYED:
        return XV_ERROR_NO_DOMAIN;
    case ERROR_INVAL:
        return XV_ERROR_INVALID_ARG;
    case ERROR_ABORTED:
        return XV_ERROR_OPERATION_ABORTED;
    case ERROR_NOMEM:
        return XV_ERROR_OPERATION_FAILED;
    case ERROR_NI:
    case ERROR_FEATURE_REMOVED:
        return XV_ERROR_NO_SUPPORT;
    case ERROR_TIMEDOUT:
    case ERROR_GUEST_TIMEDOUT:
        return XV_ERROR_OPERATION_TIMEOUT;
    default:
        return XV_ERROR_XEN_CALL;
    }
}

/* Set 'error' (code from the libxl error 'rc') and return rc. */
static int G_GNUC_PRINTF(3, 4)
sim_fail(GError **error, int rc, const char *format, ...)
{
    va_list ap;

    if (error != NULL && *error == NULL) {
        va_start(ap, format);
        *error = g_error_new_valist(XV_ERROR, sim_error_code(rc), format, ap);
        va_end(ap);
    }
    return rc;
}

/* ---- host object -------------------------------------------------------- */

typedef struct {
    char *step;
    int rc;
    guint nth;          /* passages left until it fires (1: next one) */
} SimFault;

typedef struct {
    gboolean shutdown_posted;
} SimWatch;

typedef struct {
    char *step;
    guint32 domid;
} SimKill;

static void
sim_kill_free(gpointer p)
{
    SimKill *k = p;

    g_free(k->step);
    g_free(k);
}

typedef struct {
    XvHost parent;

    /* immutable after open */
    char *dir;
    char *domains_dir;
    char *state_path;
    char *faults_path;
    guint cpus;
    guint nodes;
    guint max_vcpus;
    guint64 memory_kb;
    guint64 dom0_memory_kb;
    guint dom0_vcpus;
    libxl_scheduler sched;
    char **bridges;
    GKeyFile *conf;        /* host.conf ([guest] sections), read-only */
    char *env_guest;       /* XV_SIM_GUEST */

    GMutex lock;           /* serialises this object's transactions; protects: */
    int lock_fd;           /* flock'ed while a transaction runs */
    double speed;
    GPtrArray *faults;     /* SimFault */
    GPtrArray *kills;      /* SimKill: domains that die at a step */
    GHashTable *watched;   /* domid -> SimWatch */
    gint64 next_due;       /* real time of the next change to a watched domain */
    gboolean stopping;
    GCond timer_cond;      /* signalled on watch changes and close */
    GThread *timer;        /* immutable after open */
} XvHostSim;

static const XvHostOps sim_ops;

gboolean
xv_host_is_sim(XvHost *host)
{
    return host != NULL && host->ops == &sim_ops;
}

static XvHostSim *
sim_from_host(XvHost *host)
{
    if (!xv_host_is_sim(host))
        g_error("a simulated-host function was called on a '%s' host",
                host != NULL ? host->ops->name : "NULL");
    return (XvHostSim *)host;
}

static void
sim_fault_free(gpointer p)
{
    SimFault *f = p;

    g_free(f->step);
    g_free(f);
}

/* ---- domains ------------------------------------------------------------ */

typedef enum {
    SIM_BUILDING = 0,
    SIM_ACTIVE,
    SIM_SHUTDOWN,
    SIM_DYING,
} SimState;

static const char *const sim_state_names[] = { "building", "active", "shutdown", "dying" };

typedef struct {
    guint32 domid;
    char *name;
    libxl_uuid uuid;
    libxl_domain_type type;
    SimState state;
    gboolean paused;
    libxl_shutdown_reason reason;
    gint64 created;             /* real time, us */

    guint64 max_kb;
    guint64 target_kb;
    guint64 mem_kb;             /* actual memory at mem_at */
    gint64 mem_at;
    double balloon_kb_per_us;   /* real rate; 0: instant; < 0: no driver */

    guint max_vcpus;
    XvBitmap *online;
    XvBitmap **affinity;        /* max_vcpus maps of sim->cpus bits */
    guint64 cpu_ns;             /* at run_since (or total when not running) */
    gint64 run_since;           /* 0 when not running */

    int weight, cap, period, budget, extratime;

    /* behaviour */
    XvHostSimShutdownMode shutdown_mode;
    gint64 shutdown_delay_ms;
    gint64 balloon_mib_per_s;
    gint64 crash_after_ms, poweroff_after_ms, reboot_after_ms;   /* as set */
    gint64 crash_at, poweroff_at, reboot_at;                      /* real us; 0: none */
    int pending;                /* libxl_shutdown_reason requested, -1: none */
    gint64 pending_at;          /* real us; 0: waits for unpause */
    gint64 dying_until;

    char *config_json;
    gboolean dirty;
} SimDom;

static void
sim_dom_free(SimDom *d)
{
    if (d == NULL)
        return;
    g_free(d->name);
    xv_bitmap_free(d->online);
    if (d->affinity != NULL) {
        for (guint i = 0; i < d->max_vcpus; i++)
            xv_bitmap_free(d->affinity[i]);
        g_free(d->affinity);
    }
    g_free(d->config_json);
    g_free(d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimDom, sim_dom_free)

static gboolean
sim_dom_is_running(const SimDom *d)
{
    return d->state == SIM_ACTIVE && !d->paused;
}

static guint64
sim_dom_mem_now(const SimDom *d, gint64 now)
{
    double moved;

    if (!sim_dom_is_running(d) || d->balloon_kb_per_us < 0 || d->mem_kb == d->target_kb)
        return d->mem_kb;
    if (d->balloon_kb_per_us == 0)
        return d->target_kb;
    moved = d->balloon_kb_per_us * (double)MAX(0, now - d->mem_at);
    if (d->target_kb > d->mem_kb)
        return moved >= (double)(d->target_kb - d->mem_kb) ? d->target_kb
                                                            : d->mem_kb + (guint64)moved;
    return moved >= (double)(d->mem_kb - d->target_kb) ? d->target_kb
                                                        : d->mem_kb - (guint64)moved;
}

/* Memory the domain holds in the host's accounting: what it has, or its
 * target when it balloons up (reserved so that nothing else takes it). */
static guint64
sim_dom_accounted_kb(const SimDom *d, gint64 now)
{
    guint64 mem = sim_dom_mem_now(d, now);

    if (d->state == SIM_ACTIVE && d->balloon_kb_per_us >= 0)
        return MAX(mem, d->target_kb);
    return mem;
}

static guint64
sim_dom_cpu_ns(const SimDom *d, gint64 now)
{
    if (d->run_since == 0)
        return d->cpu_ns;
    return d->cpu_ns + (guint64)((double)MAX(0, now - d->run_since) * 1000.0 *
                                 SIM_GUEST_LOAD * xv_bitmap_count(d->online));
}

/* Fold time-derived values into the stored ones at 'now' (before a change of
 * state, target or online vcpus). */
static void
sim_dom_materialise(SimDom *d, gint64 now)
{
    d->mem_kb = sim_dom_mem_now(d, now);
    d->mem_at = now;
    d->cpu_ns = sim_dom_cpu_ns(d, now);
    d->run_since = sim_dom_is_running(d) ? now : 0;
    d->dirty = TRUE;
}

/* After a change to state or paused: restart the running clock. */
static void
sim_dom_state_changed(SimDom *d, gint64 now)
{
    d->run_since = sim_dom_is_running(d) ? now : 0;
    d->mem_at = now;
    d->dirty = TRUE;
}

static void
sim_dom_enter_shutdown(SimDom *d, libxl_shutdown_reason reason, gint64 at)
{
    sim_dom_materialise(d, at);
    d->state = SIM_SHUTDOWN;
    d->paused = FALSE;
    d->reason = reason;
    d->crash_at = d->poweroff_at = d->reboot_at = 0;
    d->pending = -1;
    d->pending_at = 0;
    sim_dom_state_changed(d, at);
}

/* ---- domain files ------------------------------------------------------- */

static char *
sim_dom_path(XvHostSim *sim, guint32 domid)
{
    return g_strdup_printf("%s/%u.dom", sim->domains_dir, domid);
}

static char *
sim_uuid_string(const libxl_uuid *uuid)
{
    return g_strdup_printf(LIBXL_UUID_FMT, LIBXL__UUID_BYTES(libxl_uuid_bytearray_const(uuid)));
}

static char *
sim_dom_to_data(XvHostSim *sim, const SimDom *d, gsize *len)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *uuid = sim_uuid_string(&d->uuid);
    g_autofree char *online = xv_bitmap_format(d->online);
    const char *g = "domain";

    g_key_file_set_uint64(kf, g, "domid", d->domid);
    g_key_file_set_string(kf, g, "name", d->name);
    g_key_file_set_string(kf, g, "uuid", uuid);
    g_key_file_set_string(kf, g, "type", libxl_domain_type_to_string(d->type));
    g_key_file_set_string(kf, g, "state", sim_state_names[d->state]);
    g_key_file_set_boolean(kf, g, "paused", d->paused);
    g_key_file_set_integer(kf, g, "shutdown-reason", d->reason);
    g_key_file_set_int64(kf, g, "created", d->created);
    g_key_file_set_uint64(kf, g, "max-kb", d->max_kb);
    g_key_file_set_uint64(kf, g, "target-kb", d->target_kb);
    g_key_file_set_uint64(kf, g, "mem-kb", d->mem_kb);
    g_key_file_set_int64(kf, g, "mem-at", d->mem_at);
    g_key_file_set_double(kf, g, "balloon-kb-per-us", d->balloon_kb_per_us);
    g_key_file_set_uint64(kf, g, "max-vcpus", d->max_vcpus);
    g_key_file_set_string(kf, g, "online", online);
    for (guint i = 0; i < d->max_vcpus; i++) {
        g_autofree char *key = g_strdup_printf("affinity-%u", i);
        g_autofree char *val = xv_bitmap_format(d->affinity[i]);

        g_key_file_set_string(kf, g, key, val);
    }
    g_key_file_set_uint64(kf, g, "cpu-ns", d->cpu_ns);
    g_key_file_set_int64(kf, g, "run-since", d->run_since);
    g_key_file_set_integer(kf, g, "weight", d->weight);
    g_key_file_set_integer(kf, g, "cap", d->cap);
    g_key_file_set_integer(kf, g, "period", d->period);
    g_key_file_set_integer(kf, g, "budget", d->budget);
    g_key_file_set_integer(kf, g, "extratime", d->extratime);
    g_key_file_set_string(kf, g, "shutdown-mode",
                          d->shutdown_mode == XV_HOST_SIM_SHUTDOWN_IGNORE ? "ignore" : "ack");
    g_key_file_set_int64(kf, g, "shutdown-delay-ms", d->shutdown_delay_ms);
    g_key_file_set_int64(kf, g, "balloon-mib-per-s", d->balloon_mib_per_s);
    g_key_file_set_int64(kf, g, "crash-after-ms", d->crash_after_ms);
    g_key_file_set_int64(kf, g, "poweroff-after-ms", d->poweroff_after_ms);
    g_key_file_set_int64(kf, g, "reboot-after-ms", d->reboot_after_ms);
    g_key_file_set_int64(kf, g, "crash-at", d->crash_at);
    g_key_file_set_int64(kf, g, "poweroff-at", d->poweroff_at);
    g_key_file_set_int64(kf, g, "reboot-at", d->reboot_at);
    g_key_file_set_integer(kf, g, "pending", d->pending);
    g_key_file_set_int64(kf, g, "pending-at", d->pending_at);
    g_key_file_set_int64(kf, g, "dying-until", d->dying_until);
    g_key_file_set_string(kf, g, "config-json", d->config_json != NULL ? d->config_json : "");
    return g_key_file_to_data(kf, len, NULL);
}

static SimDom *
sim_dom_from_file(XvHostSim *sim, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(SimDom) d = g_new0(SimDom, 1);
    g_autofree char *uuid = NULL;
    g_autofree char *type = NULL;
    g_autofree char *state = NULL;
    g_autofree char *online = NULL;
    g_autofree char *mode = NULL;
    GError *e = NULL;
    const char *g = "domain";

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
        return NULL;
#define GET(fn, key) g_key_file_get_##fn(kf, g, key, &e); if (e != NULL) goto bad
    d->domid = (guint32)GET(uint64, "domid");
    d->name = GET(string, "name");
    uuid = GET(string, "uuid");
    type = GET(string, "type");
    state = GET(string, "state");
    d->paused = GET(boolean, "paused");
    d->reason = GET(integer, "shutdown-reason");
    d->created = GET(int64, "created");
    d->max_kb = GET(uint64, "max-kb");
    d->target_kb = GET(uint64, "target-kb");
    d->mem_kb = GET(uint64, "mem-kb");
    d->mem_at = GET(int64, "mem-at");
    d->balloon_kb_per_us = GET(double, "balloon-kb-per-us");
    d->max_vcpus = (guint)GET(uint64, "max-vcpus");
    online = GET(string, "online");
    d->cpu_ns = GET(uint64, "cpu-ns");
    d->run_since = GET(int64, "run-since");
    d->weight = GET(integer, "weight");
    d->cap = GET(integer, "cap");
    d->period = GET(integer, "period");
    d->budget = GET(integer, "budget");
    d->extratime = GET(integer, "extratime");
    mode = GET(string, "shutdown-mode");
    d->shutdown_delay_ms = GET(int64, "shutdown-delay-ms");
    d->balloon_mib_per_s = GET(int64, "balloon-mib-per-s");
    d->crash_after_ms = GET(int64, "crash-after-ms");
    d->poweroff_after_ms = GET(int64, "poweroff-after-ms");
    d->reboot_after_ms = GET(int64, "reboot-after-ms");
    d->crash_at = GET(int64, "crash-at");
    d->poweroff_at = GET(int64, "poweroff-at");
    d->reboot_at = GET(int64, "reboot-at");
    d->pending = GET(integer, "pending");
    d->pending_at = GET(int64, "pending-at");
    d->dying_until = GET(int64, "dying-until");
    d->config_json = GET(string, "config-json");
#undef GET
    if (libxl_uuid_from_string(&d->uuid, uuid) != 0 ||
        libxl_domain_type_from_string(type, &d->type) != 0 ||
        d->max_vcpus < 1 || d->max_vcpus > SIM_VCPU_LIMIT)
        goto bad;
    d->state = G_N_ELEMENTS(sim_state_names);
    for (guint i = 0; i < G_N_ELEMENTS(sim_state_names); i++)
        if (g_str_equal(state, sim_state_names[i]))
            d->state = i;
    if (d->state >= G_N_ELEMENTS(sim_state_names))
        goto bad;
    d->shutdown_mode = g_str_equal(mode, "ignore") ? XV_HOST_SIM_SHUTDOWN_IGNORE
                                                   : XV_HOST_SIM_SHUTDOWN_ACK;
    d->online = xv_bitmap_parse(online, d->max_vcpus, &e);
    if (d->online == NULL)
        goto bad;
    d->affinity = g_new0(XvBitmap *, d->max_vcpus);
    for (guint i = 0; i < d->max_vcpus; i++) {
        g_autofree char *key = g_strdup_printf("affinity-%u", i);
        g_autofree char *val = g_key_file_get_string(kf, g, key, &e);

        if (val == NULL)
            goto bad;
        d->affinity[i] = xv_bitmap_parse(val, sim->cpus, &e);
        if (d->affinity[i] == NULL)
            goto bad;
    }
    return g_steal_pointer(&d);

 bad:
    g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                _("The simulated host's domain file '%1$s' is damaged: %2$s"), path,
                e != NULL ? e->message : _("a value is out of range."));
    g_clear_error(&e);
    return NULL;
}

/* ---- transactions ------------------------------------------------------- */

typedef struct {
    XvHostSim *sim;
    gint64 now;
    GHashTable *doms;       /* domid -> SimDom */
    GArray *removed;        /* guint32 domids whose files go */
    guint32 next_domid;
    gboolean host_dirty;
    gboolean locked;
} SimTxn;

static void
sim_lock(XvHostSim *sim)
{
    g_mutex_lock(&sim->lock);
    while (flock(sim->lock_fd, LOCK_EX) < 0 && errno == EINTR)
        ;
}

static void
sim_unlock(XvHostSim *sim)
{
    flock(sim->lock_fd, LOCK_UN);
    g_mutex_unlock(&sim->lock);
}

static gboolean
sim_load_host_state(XvHostSim *sim, guint32 *next_domid, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    GError *e = NULL;
    guint64 v;

    if (!g_key_file_load_from_file(kf, sim->state_path, G_KEY_FILE_NONE, error))
        return FALSE;
    v = g_key_file_get_uint64(kf, "host", "next-domid", &e);
    if (e != NULL || v < 1 || v > 0x7FF0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("The simulated host's state file '%1$s' is damaged: %2$s"),
                    sim->state_path, e != NULL ? e->message : _("bad domain id counter."));
        g_clear_error(&e);
        return FALSE;
    }
    *next_domid = (guint32)v;
    return TRUE;
}

static gboolean
sim_write_host_state(XvHostSim *sim, guint32 next_domid, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *data = NULL;
    gsize len;

    g_key_file_set_comment(kf, NULL, NULL,
                           " xenvirt simulated Xen host: do not edit while in use", NULL);
    g_key_file_set_uint64(kf, "host", "next-domid", next_domid);
    data = g_key_file_to_data(kf, &len, NULL);
    return xv_file_write_atomic(sim->state_path, data, (gssize)len, 0644, error);
}

static void sim_settle(SimTxn *t);

static void
sim_txn_free(SimTxn *t)
{
    if (t == NULL)
        return;
    if (t->locked)
        sim_unlock(t->sim);
    g_clear_pointer(&t->doms, g_hash_table_unref);
    g_clear_pointer(&t->removed, g_array_unref);
    g_free(t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTxn, sim_txn_free)

/* Lock the host and read its whole state.  NULL (error set, rc in *rc) when
 * the state cannot be read. */
static SimTxn *
sim_txn_begin(XvHostSim *sim, GError **error)
{
    g_autoptr(SimTxn) t = g_new0(SimTxn, 1);
    g_autoptr(GDir) dir = NULL;
    const char *ent;

    t->sim = sim;
    t->doms = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)sim_dom_free);
    t->removed = g_array_new(FALSE, FALSE, sizeof(guint32));
    sim_lock(sim);
    t->locked = TRUE;
    t->now = g_get_real_time();
    if (!sim_load_host_state(sim, &t->next_domid, error))
        return NULL;
    dir = g_dir_open(sim->domains_dir, 0, error);
    if (dir == NULL)
        return NULL;
    while ((ent = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = NULL;
        SimDom *d;

        if (!g_str_has_suffix(ent, ".dom") || ent[0] == '.')
            continue;
        path = g_build_filename(sim->domains_dir, ent, NULL);
        d = sim_dom_from_file(sim, path, error);
        if (d == NULL)
            return NULL;
        g_hash_table_replace(t->doms, GUINT_TO_POINTER(d->domid), d);
    }
    sim_settle(t);
    return g_steal_pointer(&t);
}

static SimDom *
sim_txn_lookup(SimTxn *t, guint32 domid)
{
    return g_hash_table_lookup(t->doms, GUINT_TO_POINTER(domid));
}

static void
sim_txn_remove(SimTxn *t, guint32 domid)
{
    g_hash_table_remove(t->doms, GUINT_TO_POINTER(domid));
    g_array_append_val(t->removed, domid);
}

static guint64
sim_txn_free_kb(SimTxn *t)
{
    GHashTableIter it;
    gpointer v;
    guint64 used = 0;

    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, NULL, &v))
        used += sim_dom_accounted_kb(v, t->now);
    return used >= t->sim->memory_kb ? 0 : t->sim->memory_kb - used;
}

/* Apply what time did: guests acknowledging shutdowns, crashing, powering
 * off; dying domains disappearing. */
static void
sim_settle(SimTxn *t)
{
    GHashTableIter it;
    gpointer v;
    g_autoptr(GArray) gone = g_array_new(FALSE, FALSE, sizeof(guint32));

    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        SimDom *d = v;
        gint64 due = 0;
        libxl_shutdown_reason reason = LIBXL_SHUTDOWN_REASON_POWEROFF;

        if (d->state == SIM_DYING && t->now >= d->dying_until) {
            g_array_append_val(gone, d->domid);
            continue;
        }
        if (!sim_dom_is_running(d))
            continue;
#define CONSIDER(at, why) \
        if ((at) > 0 && (at) <= t->now && (due == 0 || (at) < due)) { due = (at); reason = (why); }
        CONSIDER(d->crash_at, LIBXL_SHUTDOWN_REASON_CRASH);
        CONSIDER(d->poweroff_at, LIBXL_SHUTDOWN_REASON_POWEROFF);
        CONSIDER(d->reboot_at, LIBXL_SHUTDOWN_REASON_REBOOT);
        if (d->pending >= 0)
            CONSIDER(d->pending_at, (libxl_shutdown_reason)d->pending);
#undef CONSIDER
        if (due > 0)
            sim_dom_enter_shutdown(d, reason, due);
    }
    for (guint i = 0; i < gone->len; i++)
        sim_txn_remove(t, g_array_index(gone, guint32, i));
}

/* Earliest real time at which a watched domain changes by itself; 0: none. */
static gint64
sim_txn_next_due(SimTxn *t)
{
    GHashTableIter it;
    gpointer k, v;
    gint64 due = 0;

    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        SimDom *d = v;
        gint64 c[5] = { 0 };

        if (!g_hash_table_contains(t->sim->watched, k))
            continue;
        if (d->state == SIM_DYING) {
            c[0] = d->dying_until;
        } else if (sim_dom_is_running(d)) {
            c[1] = d->crash_at;
            c[2] = d->poweroff_at;
            c[3] = d->reboot_at;
            c[4] = d->pending >= 0 ? d->pending_at : 0;
        }
        for (guint i = 0; i < G_N_ELEMENTS(c); i++)
            if (c[i] > 0 && (due == 0 || c[i] < due))
                due = c[i];
    }
    return due;
}

/* Post events for watched domains whose state the transaction shows changed.
 * Called with the lock held. */
static void
sim_txn_post_events(SimTxn *t)
{
    XvHostSim *sim = t->sim;
    GHashTableIter it;
    gpointer k, v;
    g_autoptr(GArray) dead = g_array_new(FALSE, FALSE, sizeof(guint32));

    g_hash_table_iter_init(&it, sim->watched);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        SimWatch *w = v;
        guint32 domid = GPOINTER_TO_UINT(k);
        SimDom *d = sim_txn_lookup(t, domid);
        XvHostEvent ev = { 0 };

        ev.domid = domid;
        if (d == NULL || d->state == SIM_DYING) {
            ev.type = XV_HOST_EVENT_DEATH;
            ev.reason = LIBXL_SHUTDOWN_REASON_UNKNOWN;
            xv_host_emit_event(&sim->parent, &ev);
            g_array_append_val(dead, domid);
        } else if (d->state == SIM_SHUTDOWN && !w->shutdown_posted) {
            ev.type = XV_HOST_EVENT_SHUTDOWN;
            ev.reason = d->reason;
            w->shutdown_posted = TRUE;
            xv_host_emit_event(&sim->parent, &ev);
        }
    }
    for (guint i = 0; i < dead->len; i++)
        g_hash_table_remove(sim->watched, GUINT_TO_POINTER(g_array_index(dead, guint32, i)));
}

/* Write what changed, post events, unlock. */
static gboolean
sim_txn_commit(SimTxn *t, GError **error)
{
    XvHostSim *sim = t->sim;
    GHashTableIter it;
    gpointer v;
    gboolean ok = TRUE;

    /* What is due now (a request the guest answers at once) happens now. */
    sim_settle(t);
    if (t->host_dirty && !sim_write_host_state(sim, t->next_domid, error))
        ok = FALSE;
    g_hash_table_iter_init(&it, t->doms);
    while (ok && g_hash_table_iter_next(&it, NULL, &v)) {
        SimDom *d = v;
        g_autofree char *path = NULL;
        g_autofree char *data = NULL;
        gsize len;

        if (!d->dirty)
            continue;
        path = sim_dom_path(sim, d->domid);
        data = sim_dom_to_data(sim, d, &len);
        if (!xv_file_write_atomic(path, data, (gssize)len, 0644, error))
            ok = FALSE;
        d->dirty = FALSE;
    }
    for (guint i = 0; ok && i < t->removed->len; i++) {
        g_autofree char *path = sim_dom_path(sim, g_array_index(t->removed, guint32, i));

        if (!xv_file_remove(path, error))
            ok = FALSE;
    }
    g_array_set_size(t->removed, 0);
    sim_txn_post_events(t);
    {
        gint64 due = sim_txn_next_due(t);

        if (due != sim->next_due) {
            sim->next_due = due;
            g_cond_signal(&sim->timer_cond);
        }
    }
    sim_unlock(sim);
    t->locked = FALSE;
    return ok;
}

/* Commit the settling of a transaction the operation did not change (a
 * read, or a refused request); errors from writing are logged only, the
 * operation's own result stands. */
static void
sim_txn_finish(SimTxn *t)
{
    g_autoptr(GError) e = NULL;

    if (t->locked && !sim_txn_commit(t, &e))
        g_warning("simulated host %s: %s", t->sim->dir, e->message);
}

/* ---- fault injection ---------------------------------------------------- */

static gboolean
sim_fault_parse(const char *spec, char **step_out, int *rc_out, guint *nth_out, GError **error)
{
    g_autofree char *s = g_strstrip(g_strdup(spec));
    char *at, *eq;
    int rc = ERROR_FAIL;
    guint64 nth = 1;

    at = strchr(s, '@');
    if (at != NULL) {
        *at++ = '\0';
        if (!g_ascii_string_to_unsigned(at, 10, 1, G_MAXUINT, &nth, NULL)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("Bad fault count in '%1$s': '%2$s' is not a number from 1."), spec, at);
            return FALSE;
        }
    }
    eq = strchr(s, '=');
    if (eq != NULL) {
        *eq++ = '\0';
        rc = xv_host_sim_error_from_name(eq);
        if (rc == 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("Bad fault '%1$s': '%2$s' is not a libxl error name."), spec, eq);
            return FALSE;
        }
    }
    if (!sim_step_known(s)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Bad fault '%1$s': the simulated host has no step '%2$s'."), spec, s);
        return FALSE;
    }
    *step_out = g_strdup(s);
    *rc_out = rc;
    *nth_out = (guint)nth;
    return TRUE;
}

/* The faults control file: decrement or consume the first spec for 'step'.
 * Returns the error to inject, 0 for none.  Lock held. */
static int
sim_fault_file_hit(XvHostSim *sim, const char *step)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    int fire = 0;
    gboolean changed = FALSE;

    if (!g_file_get_contents(sim->faults_path, &data, NULL, NULL))
        return 0;
    lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        g_autofree char *fstep = NULL;
        g_autoptr(GError) e = NULL;
        const char *line = g_strstrip(lines[i]);
        int rc;
        guint nth;

        if (*line == '\0' || *line == '#') {
            if (*line != '\0')
                g_string_append_printf(out, "%s\n", line);
            continue;
        }
        if (!sim_fault_parse(line, &fstep, &rc, &nth, &e)) {
            g_warning("simulated host %s: ignoring fault: %s", sim->dir, e->message);
            g_string_append_printf(out, "%s\n", line);
            continue;
        }
        if (changed || !g_str_equal(fstep, step)) {
            g_string_append_printf(out, "%s\n", line);
            continue;
        }
        changed = TRUE;
        if (nth <= 1) {
            fire = rc;
        } else {
            const char *name = xv_host_sim_error_name(rc);

            g_string_append_printf(out, "%s=%s@%u\n", fstep, name, nth - 1);
        }
    }
    if (changed) {
        g_autoptr(GError) e = NULL;

        if (!xv_file_write_atomic(sim->faults_path, out->str, (gssize)out->len, 0644, &e))
            g_warning("simulated host %s: %s", sim->dir, e->message);
    }
    return fire;
}

/* Pass through 'step': 0, or the injected error (set).  Lock held. */
static int
sim_fault_check_locked(XvHostSim *sim, const char *step, GError **error)
{
    int fire = 0;

    g_assert(sim_step_known(step));
    for (guint i = 0; i < sim->faults->len; i++) {
        SimFault *f = g_ptr_array_index(sim->faults, i);

        if (!g_str_equal(f->step, step))
            continue;
        if (f->nth > 1) {
            f->nth--;
            break;
        }
        fire = f->rc;
        g_ptr_array_remove_index(sim->faults, i);
        break;
    }
    if (fire == 0)
        fire = sim_fault_file_hit(sim, step);
    if (fire == 0)
        return 0;
    /* TRANSLATORS: the step is a name from the simulator's step table. */
    return sim_fail(error, fire, _("injected fault at step '%s'"), step);
}

/* Pass through 'step' outside a transaction. */
static int
sim_fault_check(XvHostSim *sim, const char *step, GError **error)
{
    int rc;

    sim_lock(sim);
    rc = sim_fault_check_locked(sim, step, error);
    sim_unlock(sim);
    return rc;
}

gboolean
xv_host_sim_fault_arm(XvHost *host, const char *step, int libxl_error, guint nth,
                      GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    SimFault *f;

    if (!sim_step_known(step)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("The simulated host has no step '%s'."), step);
        return FALSE;
    }
    if (libxl_error >= 0 || nth < 1) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("A fault at step '%s' needs a negative libxl error and a count from 1."),
                    step);
        return FALSE;
    }
    f = g_new0(SimFault, 1);
    f->step = g_strdup(step);
    f->rc = libxl_error;
    f->nth = nth;
    g_mutex_lock(&sim->lock);
    g_ptr_array_add(sim->faults, f);
    g_mutex_unlock(&sim->lock);
    return TRUE;
}

gboolean
xv_host_sim_fault_arm_spec(XvHost *host, const char *spec, GError **error)
{
    g_autofree char *step = NULL;
    int rc;
    guint nth;

    if (!sim_fault_parse(spec, &step, &rc, &nth, error))
        return FALSE;
    return xv_host_sim_fault_arm(host, step, rc, nth, error);
}

void
xv_host_sim_fault_clear(XvHost *host)
{
    XvHostSim *sim = sim_from_host(host);

    g_mutex_lock(&sim->lock);
    g_ptr_array_set_size(sim->faults, 0);
    g_mutex_unlock(&sim->lock);
}

/* ---- speed and pacing --------------------------------------------------- */

void
xv_host_sim_set_speed(XvHost *host, double speed)
{
    XvHostSim *sim = sim_from_host(host);

    g_mutex_lock(&sim->lock);
    sim->speed = MAX(0.0, speed);
    g_mutex_unlock(&sim->lock);
}

double
xv_host_sim_get_speed(XvHost *host)
{
    XvHostSim *sim = sim_from_host(host);
    double s;

    g_mutex_lock(&sim->lock);
    s = sim->speed;
    g_mutex_unlock(&sim->lock);
    return s;
}

const char *
xv_host_sim_get_dir(XvHost *host)
{
    return sim_from_host(host)->dir;
}

/* Real microseconds for 'model_s' model seconds. */
static gint64
sim_scale(double speed, double model_s)
{
    return (gint64)(model_s * speed * (double)G_USEC_PER_SEC);
}

/* Sleep until 'start' + model_s x speed, in short slices, returning
 * ERROR_ABORTED as soon as 'op' is aborted.  No lock may be held. */
static int
sim_pace(XvHostOp *op, gint64 start, double speed, double model_s)
{
    gint64 until = start + sim_scale(speed, model_s);

    for (;;) {
        gint64 now;

        if (xv_host_op_is_aborted(op))
            return ERROR_ABORTED;
        now = g_get_monotonic_time();
        if (now >= until)
            return 0;
        g_usleep((gulong)MIN(until - now, 20 * G_TIME_SPAN_MILLISECOND));
    }
}

static double
sim_gib(guint64 kb)
{
    return (double)kb / (double)SIM_KIB_PER_GIB;
}

/* ---- guest behaviours --------------------------------------------------- */

void
xv_host_sim_behaviour_init(XvHostSimBehaviour *b)
{
    b->shutdown = XV_HOST_SIM_SHUTDOWN_ACK;
    b->shutdown_delay_ms = 500;
    b->crash_after_ms = -1;
    b->poweroff_after_ms = -1;
    b->reboot_after_ms = -1;
    b->balloon_mib_per_s = 1024;
}

static gboolean
sim_behaviour_set_key(XvHostSimBehaviour *b, const char *key, const char *value, GError **error)
{
    gint64 v;
    char *end = NULL;

    if (g_str_equal(key, "shutdown")) {
        if (g_str_equal(value, "ack"))
            b->shutdown = XV_HOST_SIM_SHUTDOWN_ACK;
        else if (g_str_equal(value, "ignore"))
            b->shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
        else
            goto bad;
        return TRUE;
    }
    v = g_ascii_strtoll(value, &end, 10);
    if (end == value || *end != '\0' || v < -1)
        goto bad;
    if (g_str_equal(key, "shutdown-delay-ms") && v >= 0)
        b->shutdown_delay_ms = v;
    else if (g_str_equal(key, "crash-after-ms"))
        b->crash_after_ms = v;
    else if (g_str_equal(key, "poweroff-after-ms"))
        b->poweroff_after_ms = v;
    else if (g_str_equal(key, "reboot-after-ms"))
        b->reboot_after_ms = v;
    else if (g_str_equal(key, "balloon-mib-per-s"))
        b->balloon_mib_per_s = v;
    else
        goto bad;
    return TRUE;

 bad:
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("Bad guest behaviour '%1$s=%2$s' for the simulated host."), key, value);
    return FALSE;
}

static void
sim_behaviour_from_group(XvHostSim *sim, XvHostSimBehaviour *b, const char *group)
{
    g_auto(GStrv) keys = g_key_file_get_keys(sim->conf, group, NULL, NULL);

    for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
        g_autofree char *val = g_key_file_get_value(sim->conf, group, keys[i], NULL);
        g_autoptr(GError) e = NULL;

        if (val != NULL && !sim_behaviour_set_key(b, keys[i], g_strstrip(val), &e))
            g_warning("simulated host %s: host.conf [%s]: %s", sim->dir, group, e->message);
    }
}

/* XV_SIM_GUEST="NAME:key=value,key=value;*:key=value" */
static void
sim_behaviour_from_env(XvHostSim *sim, XvHostSimBehaviour *b, const char *name)
{
    g_auto(GStrv) entries = NULL;

    if (sim->env_guest == NULL)
        return;
    entries = g_strsplit(sim->env_guest, ";", -1);
    for (guint pass = 0; pass < 2; pass++) {
        for (guint i = 0; entries[i] != NULL; i++) {
            const char *colon = strchr(entries[i], ':');
            g_autofree char *who = NULL;
            g_auto(GStrv) kvs = NULL;

            if (colon == NULL)
                continue;
            who = g_strndup(entries[i], (gsize)(colon - entries[i]));
            if (pass == 0 ? !g_str_equal(who, "*") : !g_str_equal(who, name))
                continue;
            kvs = g_strsplit(colon + 1, ",", -1);
            for (guint j = 0; kvs[j] != NULL; j++) {
                g_auto(GStrv) kv = g_strsplit(kvs[j], "=", 2);
                g_autoptr(GError) e = NULL;

                if (kv[0] == NULL || kv[1] == NULL ||
                    !sim_behaviour_set_key(b, g_strstrip(kv[0]), g_strstrip(kv[1]), &e))
                    g_warning("simulated host %s: XV_SIM_GUEST: %s", sim->dir,
                              e != NULL ? e->message : kvs[j]);
            }
        }
    }
}

static void
sim_behaviour_for_name(XvHostSim *sim, const char *name, XvHostSimBehaviour *b)
{
    g_autofree char *group = g_strdup_printf("guest:%s", name);

    xv_host_sim_behaviour_init(b);
    sim_behaviour_from_group(sim, b, "guest");
    sim_behaviour_from_group(sim, b, group);
    sim_behaviour_from_env(sim, b, name);
}

static gint64
sim_timer_at(gint64 start, double speed, gint64 after_ms)
{
    if (after_ms < 0)
        return 0;
    return MAX(1, start + sim_scale(speed, (double)after_ms / 1000.0));
}

/* Install a behaviour in a domain; its timers count from 'start'. */
static void
sim_dom_apply_behaviour(SimDom *d, const XvHostSimBehaviour *b, gint64 start, double speed)
{
    d->shutdown_mode = b->shutdown;
    d->shutdown_delay_ms = b->shutdown_delay_ms;
    d->balloon_mib_per_s = b->balloon_mib_per_s;
    d->crash_after_ms = b->crash_after_ms;
    d->poweroff_after_ms = b->poweroff_after_ms;
    d->reboot_after_ms = b->reboot_after_ms;
    if (b->balloon_mib_per_s < 0)
        d->balloon_kb_per_us = -1;
    else if (b->balloon_mib_per_s == 0 || speed <= 0)
        d->balloon_kb_per_us = 0;
    else
        d->balloon_kb_per_us = (double)b->balloon_mib_per_s * (double)SIM_KIB_PER_MIB /
                               ((double)G_USEC_PER_SEC * speed);
    d->crash_at = sim_timer_at(start, speed, b->crash_after_ms);
    d->poweroff_at = sim_timer_at(start, speed, b->poweroff_after_ms);
    d->reboot_at = sim_timer_at(start, speed, b->reboot_after_ms);
    d->dirty = TRUE;
}

/* ---- libxl_domain_config <-> JSON --------------------------------------- */

static char *
sim_config_to_json(libxl_domain_config *c)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    const unsigned char *buf;
    size_t len;
    char *out;

    libxl_domain_config_gen_json(g, c);
    yajl_gen_get_buf(g, &buf, &len);
    out = g_strndup((const char *)buf, len);
    yajl_gen_free(g);
    return out;
}

static yajl_val
sim_j(yajl_val obj, const char *key)
{
    if (obj == NULL || !YAJL_IS_OBJECT(obj))
        return NULL;
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (g_str_equal(obj->u.object.keys[i], key))
            return obj->u.object.values[i];
    return NULL;
}

/* Setters: leave the target untouched when the key is absent (libxl omits
 * defaults from its JSON). */
static void
sim_j_str(yajl_val obj, const char *key, char **out)
{
    yajl_val v = sim_j(obj, key);

    if (v != NULL && YAJL_IS_STRING(v)) {
        free(*out);
        *out = g_strdup(YAJL_GET_STRING(v));
    }
}

static void
sim_j_int(yajl_val obj, const char *key, int *out)
{
    yajl_val v = sim_j(obj, key);

    if (v != NULL && YAJL_IS_INTEGER(v))
        *out = (int)YAJL_GET_INTEGER(v);
}

static void
sim_j_u32(yajl_val obj, const char *key, uint32_t *out)
{
    yajl_val v = sim_j(obj, key);

    if (v != NULL && YAJL_IS_INTEGER(v))
        *out = (uint32_t)YAJL_GET_INTEGER(v);
}

static void
sim_j_u64(yajl_val obj, const char *key, uint64_t *out)
{
    yajl_val v = sim_j(obj, key);

    /* yajl parses numbers above INT64_MAX as doubles only. */
    if (v != NULL && YAJL_IS_NUMBER(v))
        *out = g_ascii_strtoull(YAJL_GET_NUMBER(v), NULL, 10);
}

static void
sim_j_bool(yajl_val obj, const char *key, bool *out)
{
    yajl_val v = sim_j(obj, key);

    if (v != NULL && (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)))
        *out = YAJL_IS_TRUE(v);
}

static void
sim_j_defbool(yajl_val obj, const char *key, libxl_defbool *out)
{
    yajl_val v = sim_j(obj, key);

    if (v == NULL || !YAJL_IS_STRING(v))
        return;
    if (g_ascii_strcasecmp(YAJL_GET_STRING(v), "true") == 0)
        libxl_defbool_set(out, true);
    else if (g_ascii_strcasecmp(YAJL_GET_STRING(v), "false") == 0)
        libxl_defbool_set(out, false);
}

#define SIM_J_ENUM(obj, key, type, out) \
    do { \
        yajl_val v_ = sim_j((obj), (key)); \
        type e_; \
        if (v_ != NULL && YAJL_IS_STRING(v_) && type##_from_string(YAJL_GET_STRING(v_), &e_) == 0) \
            *(out) = e_; \
    } while (0)

static void
sim_j_bitmap(yajl_val v, libxl_bitmap *out, guint min_bits)
{
    guint nbits = min_bits;

    if (v == NULL || !YAJL_IS_ARRAY(v))
        return;
    for (size_t i = 0; i < v->u.array.len; i++)
        if (YAJL_IS_INTEGER(v->u.array.values[i]))
            nbits = MAX(nbits, (guint)YAJL_GET_INTEGER(v->u.array.values[i]) + 1);
    libxl_bitmap_dispose(out);
    xv_host_bitmap_alloc(out, nbits);
    for (size_t i = 0; i < v->u.array.len; i++)
        if (YAJL_IS_INTEGER(v->u.array.values[i]))
            libxl_bitmap_set(out, (int)YAJL_GET_INTEGER(v->u.array.values[i]));
}

static void
sim_j_string_list(yajl_val obj, const char *key, libxl_string_list *out)
{
    yajl_val v = sim_j(obj, key);
    char **list;

    if (v == NULL || !YAJL_IS_ARRAY(v))
        return;
    libxl_string_list_dispose(out);
    list = calloc(v->u.array.len + 1, sizeof(char *));
    for (size_t i = 0, n = 0; i < v->u.array.len; i++)
        if (YAJL_IS_STRING(v->u.array.values[i]))
            list[n++] = g_strdup(YAJL_GET_STRING(v->u.array.values[i]));
    *out = list;
}

static void
sim_j_mac(yajl_val obj, const char *key, libxl_mac *out)
{
    yajl_val v = sim_j(obj, key);
    unsigned int b[6];

    if (v != NULL && YAJL_IS_STRING(v) &&
        sscanf(YAJL_GET_STRING(v), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5]) == 6)
        for (guint i = 0; i < 6; i++)
            (*out)[i] = (uint8_t)b[i];
}

static void
sim_j_vnc(yajl_val v, libxl_vnc_info *vnc)
{
    if (v == NULL)
        return;
    sim_j_defbool(v, "enable", &vnc->enable);
    sim_j_str(v, "listen", &vnc->listen);
    sim_j_str(v, "passwd", &vnc->passwd);
    sim_j_int(v, "display", &vnc->display);
    sim_j_defbool(v, "findunused", &vnc->findunused);
}

static void
sim_j_sched(yajl_val v, libxl_domain_sched_params *p)
{
    if (v == NULL)
        return;
    SIM_J_ENUM(v, "sched", libxl_scheduler, &p->sched);
    sim_j_int(v, "weight", &p->weight);
    sim_j_int(v, "cap", &p->cap);
    sim_j_int(v, "period", &p->period);
    sim_j_int(v, "budget", &p->budget);
    sim_j_int(v, "extratime", &p->extratime);
    sim_j_int(v, "slice", &p->slice);
    sim_j_int(v, "latency", &p->latency);
}

/* Parses one element of a JSON array into 'item' (initialising it first). */
typedef void (*SimJItemFunc)(yajl_val o, gpointer item, gconstpointer data);

/* The array 'key' of 'obj' as a calloc'd array of 'size'-byte items, each
 * filled by 'parse'; *n gets the count.  NULL, and *n untouched, when the
 * array is absent or empty. */
static gpointer
sim_j_items(yajl_val obj, const char *key, gsize size, SimJItemFunc parse, gconstpointer data,
            int *n)
{
    yajl_val arr = sim_j(obj, key);
    guint8 *items;

    if (arr == NULL || !YAJL_IS_ARRAY(arr) || arr->u.array.len == 0)
        return NULL;
    *n = (int)arr->u.array.len;
    items = calloc(arr->u.array.len, size);
    for (size_t i = 0; i < arr->u.array.len; i++)
        parse(arr->u.array.values[i], items + i * size, data);
    return items;
}

/* 'data' points at the host's CPU count. */
static void
sim_j_affinity_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_bitmap_init(item);
    sim_j_bitmap(o, item, *(const guint *)data);
}

static void
sim_j_disk_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_disk *dk = item;
    uint32_t bd = 0;

    libxl_device_disk_init(dk);
    sim_j_u32(o, "backend_domid", &bd);
    dk->backend_domid = bd;
    sim_j_str(o, "backend_domname", &dk->backend_domname);
    sim_j_str(o, "pdev_path", &dk->pdev_path);
    sim_j_str(o, "vdev", &dk->vdev);
    SIM_J_ENUM(o, "backend", libxl_disk_backend, &dk->backend);
    SIM_J_ENUM(o, "format", libxl_disk_format, &dk->format);
    sim_j_str(o, "script", &dk->script);
    sim_j_int(o, "removable", &dk->removable);
    sim_j_int(o, "readwrite", &dk->readwrite);
    sim_j_int(o, "is_cdrom", &dk->is_cdrom);
    sim_j_bool(o, "direct_io_safe", &dk->direct_io_safe);
    sim_j_defbool(o, "discard_enable", &dk->discard_enable);
}

static void
sim_j_nic_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_nic *n = item;
    uint32_t bd = 0;

    libxl_device_nic_init(n);
    sim_j_u32(o, "backend_domid", &bd);
    n->backend_domid = bd;
    sim_j_str(o, "backend_domname", &n->backend_domname);
    sim_j_int(o, "devid", &n->devid);
    sim_j_int(o, "mtu", &n->mtu);
    sim_j_str(o, "model", &n->model);
    sim_j_mac(o, "mac", &n->mac);
    sim_j_str(o, "ip", &n->ip);
    sim_j_str(o, "bridge", &n->bridge);
    sim_j_str(o, "ifname", &n->ifname);
    sim_j_str(o, "script", &n->script);
    SIM_J_ENUM(o, "nictype", libxl_nic_type, &n->nictype);
    sim_j_u64(o, "rate_bytes_per_interval", &n->rate_bytes_per_interval);
    sim_j_u32(o, "rate_interval_usecs", &n->rate_interval_usecs);
}

static void
sim_j_vfb_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_vfb *fb = item;

    libxl_device_vfb_init(fb);
    sim_j_int(o, "devid", &fb->devid);
    sim_j_vnc(sim_j(o, "vnc"), &fb->vnc);
    sim_j_defbool(sim_j(o, "sdl"), "enable", &fb->sdl.enable);
    sim_j_str(o, "keymap", &fb->keymap);
}

static void
sim_j_vkb_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_vkb *kb = item;

    libxl_device_vkb_init(kb);
    sim_j_int(o, "devid", &kb->devid);
}

static void
sim_j_pci_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_pci *pci = item;
    uint32_t bus = 0, dev = 0, func = 0;

    libxl_device_pci_init(pci);
    sim_j_int(o, "domain", &pci->domain);
    sim_j_u32(o, "bus", &bus);
    sim_j_u32(o, "dev", &dev);
    sim_j_u32(o, "func", &func);
    pci->bus = (uint8_t)bus;
    pci->dev = (uint8_t)dev;
    pci->func = (uint8_t)func;
    sim_j_u32(o, "vdevfn", &pci->vdevfn);
    sim_j_bool(o, "permissive", &pci->permissive);
}

static void
sim_j_usbctrl_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_usbctrl *uc = item;

    libxl_device_usbctrl_init(uc);
    SIM_J_ENUM(o, "type", libxl_usbctrl_type, &uc->type);
    sim_j_int(o, "devid", &uc->devid);
    sim_j_int(o, "version", &uc->version);
    sim_j_int(o, "ports", &uc->ports);
}

static void
sim_j_usbdev_item(yajl_val o, gpointer item, gconstpointer data)
{
    libxl_device_usbdev *ud = item;
    yajl_val h = sim_j(o, "type.hostdev");
    uint32_t v = 0;

    libxl_device_usbdev_init(ud);
    libxl_device_usbdev_init_type(ud, LIBXL_USBDEV_TYPE_HOSTDEV);
    sim_j_int(o, "ctrl", &ud->ctrl);
    sim_j_int(o, "port", &ud->port);
    if (h != NULL) {
        sim_j_u32(h, "hostbus", &v);
        ud->u.hostdev.hostbus = (uint8_t)v;
        v = 0;
        sim_j_u32(h, "hostaddr", &v);
        ud->u.hostdev.hostaddr = (uint8_t)v;
    }
}

/* Parse the subset of libxl's JSON the driver needs (see the top of the
 * file) into 'c', which the caller has initialised.  FALSE on bad JSON. */
static gboolean
sim_config_from_json(const char *json, libxl_domain_config *c, guint host_cpus)
{
    char errbuf[256];
    yajl_val root = yajl_tree_parse(json, errbuf, sizeof(errbuf));
    yajl_val ci, bi, u;

    if (root == NULL || !YAJL_IS_OBJECT(root)) {
        if (root != NULL)
            yajl_tree_free(root);
        return FALSE;
    }
    ci = sim_j(root, "c_info");
    SIM_J_ENUM(ci, "type", libxl_domain_type, &c->c_info.type);
    sim_j_str(ci, "name", &c->c_info.name);
    {
        yajl_val v = sim_j(ci, "uuid");

        if (v != NULL && YAJL_IS_STRING(v))
            libxl_uuid_from_string(&c->c_info.uuid, YAJL_GET_STRING(v));
    }
    sim_j_defbool(ci, "hap", &c->c_info.hap);
    sim_j_defbool(ci, "oos", &c->c_info.oos);
    sim_j_u32(ci, "ssidref", &c->c_info.ssidref);
    sim_j_u32(ci, "poolid", &c->c_info.poolid);
    sim_j_str(ci, "pool_name", &c->c_info.pool_name);
    SIM_J_ENUM(ci, "passthrough", libxl_passthrough, &c->c_info.passthrough);

    bi = sim_j(root, "b_info");
    libxl_domain_build_info_init_type(&c->b_info, c->c_info.type);
    sim_j_int(bi, "max_vcpus", &c->b_info.max_vcpus);
    sim_j_bitmap(sim_j(bi, "avail_vcpus"), &c->b_info.avail_vcpus,
                 (guint)MAX(1, c->b_info.max_vcpus));
    sim_j_bitmap(sim_j(bi, "cpumap"), &c->b_info.cpumap, host_cpus);
    c->b_info.vcpu_hard_affinity =
        sim_j_items(bi, "vcpu_hard_affinity", sizeof(libxl_bitmap), sim_j_affinity_item, &host_cpus,
                    &c->b_info.num_vcpu_hard_affinity);
    sim_j_defbool(bi, "numa_placement", &c->b_info.numa_placement);
    SIM_J_ENUM(bi, "tsc_mode", libxl_tsc_mode, &c->b_info.tsc_mode);
    sim_j_u64(bi, "max_memkb", &c->b_info.max_memkb);
    sim_j_u64(bi, "target_memkb", &c->b_info.target_memkb);
    sim_j_u64(bi, "video_memkb", &c->b_info.video_memkb);
    sim_j_u64(bi, "shadow_memkb", &c->b_info.shadow_memkb);
    sim_j_u32(bi, "rtc_timeoffset", &c->b_info.rtc_timeoffset);
    sim_j_defbool(bi, "localtime", &c->b_info.localtime);
    sim_j_defbool(bi, "disable_migrate", &c->b_info.disable_migrate);
    sim_j_u32(bi, "max_grant_frames", &c->b_info.max_grant_frames);
    sim_j_u32(bi, "max_maptrack_frames", &c->b_info.max_maptrack_frames);
    sim_j_u32(bi, "event_channels", &c->b_info.event_channels);
    SIM_J_ENUM(bi, "device_model_version", libxl_device_model_version,
               &c->b_info.device_model_version);
    sim_j_str(bi, "device_model", &c->b_info.device_model);
    sim_j_sched(sim_j(bi, "sched_params"), &c->b_info.sched_params);
    sim_j_str(bi, "kernel", &c->b_info.kernel);
    sim_j_str(bi, "cmdline", &c->b_info.cmdline);
    sim_j_str(bi, "ramdisk", &c->b_info.ramdisk);
    sim_j_str(bi, "bootloader", &c->b_info.bootloader);
    sim_j_string_list(bi, "bootloader_args", &c->b_info.bootloader_args);
    sim_j_defbool(bi, "acpi", &c->b_info.acpi);
    sim_j_defbool(bi, "apic", &c->b_info.apic);
    sim_j_defbool(bi, "nested_hvm", &c->b_info.nested_hvm);
    sim_j_defbool(bi, "vpmu", &c->b_info.vpmu);
    switch (c->c_info.type) {
    case LIBXL_DOMAIN_TYPE_PV:
        u = sim_j(bi, "type.pv");
        sim_j_str(u, "kernel", &c->b_info.u.pv.kernel);
        sim_j_u64(u, "slack_memkb", &c->b_info.u.pv.slack_memkb);
        sim_j_str(u, "bootloader", &c->b_info.u.pv.bootloader);
        sim_j_string_list(u, "bootloader_args", &c->b_info.u.pv.bootloader_args);
        sim_j_str(u, "cmdline", &c->b_info.u.pv.cmdline);
        sim_j_str(u, "ramdisk", &c->b_info.u.pv.ramdisk);
        sim_j_defbool(u, "e820_host", &c->b_info.u.pv.e820_host);
        break;
    case LIBXL_DOMAIN_TYPE_HVM:
        u = sim_j(bi, "type.hvm");
        sim_j_str(u, "firmware", &c->b_info.u.hvm.firmware);
        SIM_J_ENUM(u, "bios", libxl_bios_type, &c->b_info.u.hvm.bios);
        sim_j_defbool(u, "pae", &c->b_info.u.hvm.pae);
        sim_j_defbool(u, "apic", &c->b_info.u.hvm.apic);
        sim_j_defbool(u, "acpi", &c->b_info.u.hvm.acpi);
        sim_j_defbool(u, "nx", &c->b_info.u.hvm.nx);
        sim_j_defbool(u, "viridian", &c->b_info.u.hvm.viridian);
        sim_j_str(u, "timeoffset", &c->b_info.u.hvm.timeoffset);
        sim_j_defbool(u, "hpet", &c->b_info.u.hvm.hpet);
        sim_j_defbool(u, "nested_hvm", &c->b_info.u.hvm.nested_hvm);
        sim_j_str(u, "system_firmware", &c->b_info.u.hvm.system_firmware);
        sim_j_defbool(u, "nographic", &c->b_info.u.hvm.nographic);
        SIM_J_ENUM(sim_j(u, "vga"), "kind", libxl_vga_interface_type, &c->b_info.u.hvm.vga.kind);
        sim_j_vnc(sim_j(u, "vnc"), &c->b_info.u.hvm.vnc);
        sim_j_str(u, "keymap", &c->b_info.u.hvm.keymap);
        sim_j_defbool(sim_j(u, "sdl"), "enable", &c->b_info.u.hvm.sdl.enable);
        sim_j_str(u, "serial", &c->b_info.u.hvm.serial);
        sim_j_str(u, "boot", &c->b_info.u.hvm.boot);
        sim_j_defbool(u, "usb", &c->b_info.u.hvm.usb);
        sim_j_int(u, "usbversion", &c->b_info.u.hvm.usbversion);
        sim_j_str(u, "usbdevice", &c->b_info.u.hvm.usbdevice);
        sim_j_str(u, "soundhw", &c->b_info.u.hvm.soundhw);
        sim_j_defbool(u, "xen_platform_pci", &c->b_info.u.hvm.xen_platform_pci);
        sim_j_string_list(u, "serial_list", &c->b_info.u.hvm.serial_list);
        break;
    case LIBXL_DOMAIN_TYPE_PVH:
        u = sim_j(bi, "type.pvh");
        sim_j_defbool(u, "pvshim", &c->b_info.u.pvh.pvshim);
        sim_j_str(u, "pvshim_path", &c->b_info.u.pvh.pvshim_path);
        sim_j_str(u, "pvshim_cmdline", &c->b_info.u.pvh.pvshim_cmdline);
        break;
    default:
        break;
    }

    c->disks = sim_j_items(root, "disks", sizeof(*c->disks), sim_j_disk_item, NULL, &c->num_disks);
    c->nics = sim_j_items(root, "nics", sizeof(*c->nics), sim_j_nic_item, NULL, &c->num_nics);
    c->vfbs = sim_j_items(root, "vfbs", sizeof(*c->vfbs), sim_j_vfb_item, NULL, &c->num_vfbs);
    c->vkbs = sim_j_items(root, "vkbs", sizeof(*c->vkbs), sim_j_vkb_item, NULL, &c->num_vkbs);
    c->pcidevs = sim_j_items(root, "pcidevs", sizeof(*c->pcidevs), sim_j_pci_item, NULL, &c->num_pcidevs);
    c->usbctrls = sim_j_items(root, "usbctrls", sizeof(*c->usbctrls), sim_j_usbctrl_item, NULL, &c->num_usbctrls);
    c->usbdevs = sim_j_items(root, "usbdevs", sizeof(*c->usbdevs), sim_j_usbdev_item, NULL, &c->num_usbdevs);
    SIM_J_ENUM(root, "on_poweroff", libxl_action_on_shutdown, &c->on_poweroff);
    SIM_J_ENUM(root, "on_reboot", libxl_action_on_shutdown, &c->on_reboot);
    SIM_J_ENUM(root, "on_watchdog", libxl_action_on_shutdown, &c->on_watchdog);
    SIM_J_ENUM(root, "on_crash", libxl_action_on_shutdown, &c->on_crash);
    SIM_J_ENUM(root, "on_soft_reset", libxl_action_on_shutdown, &c->on_soft_reset);
    yajl_tree_free(root);
    return TRUE;
}

/* ---- config validation (what libxl and Xen refuse) ---------------------- */

/* NULL when a bit at or above 'nbits' is set (*bad gets it). */
static XvBitmap *
sim_bitmap_from_libxl(const libxl_bitmap *m, guint nbits, int *bad)
{
    g_autoptr(XvBitmap) out = xv_bitmap_new(nbits);

    for (guint i = 0; i < m->size * 8; i++) {
        if (!libxl_bitmap_test(m, (int)i))
            continue;
        if (i >= nbits) {
            *bad = (int)i;
            return NULL;
        }
        xv_bitmap_set(out, i);
    }
    return g_steal_pointer(&out);
}

static gboolean
sim_bridge_known(XvHostSim *sim, const char *bridge)
{
    return g_strv_contains((const char *const *)sim->bridges, bridge);
}

static gboolean
sim_disk_is_remote(const libxl_device_disk *dk)
{
    /* qemu-handled network targets ("rbd:pool/img", "nbd:host:port"...) */
    return dk->backend == LIBXL_DISK_BACKEND_QDISK && dk->pdev_path != NULL &&
           strchr(dk->pdev_path, ':') != NULL && dk->pdev_path[0] != '/';
}

/* Fill libxl's defaults into 'c' and refuse what libxl or Xen would refuse.
 * Lock held (names are checked against the domains in 't'). */
static int
sim_config_check(XvHostSim *sim, SimTxn *t, libxl_domain_config *c, GError **error)
{
    libxl_domain_build_info *b = &c->b_info;
    const char *name = c->c_info.name;
    guint vcpu_limit = MIN(SIM_VCPU_LIMIT, sim->max_vcpus);
    GHashTableIter it;
    gpointer v;
    int bad = -1;

    if (name == NULL || *name == '\0')
        return sim_fail(error, ERROR_INVAL, _("The domain configuration has no name."));
    if (c->c_info.type != LIBXL_DOMAIN_TYPE_PV && c->c_info.type != LIBXL_DOMAIN_TYPE_HVM &&
        c->c_info.type != LIBXL_DOMAIN_TYPE_PVH)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%s' has no valid type (pv, pvh or hvm)."), name);
    if (b->type != c->c_info.type)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' is of type %2$s but its build information is for type %3$s."),
                        name, libxl_domain_type_to_string(c->c_info.type),
                        libxl_domain_type_to_string(b->type) ? libxl_domain_type_to_string(b->type)
                                                             : "invalid");
    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        SimDom *d = v;

        if (d->state == SIM_DYING)
            continue;
        /* Names are unique (libxl refuses a duplicate); UUIDs are not: Xen
         * keeps whatever handle it is given, and a domain kept by
         * rename-restart shares the restarted domain's. */
        if (g_str_equal(d->name, name))
            return sim_fail(error, ERROR_INVAL,
                            _("A domain named '%1$s' already exists (domain %2$u)."), name, d->domid);
    }

    /* vcpus */
    if (b->max_vcpus == 0)
        b->max_vcpus = 1;
    if (b->max_vcpus < 0 || (guint)b->max_vcpus > vcpu_limit)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' has %2$d vcpus; the host allows at most %3$u."),
                        name, b->max_vcpus, vcpu_limit);
    if (b->avail_vcpus.size == 0) {
        xv_host_bitmap_alloc(&b->avail_vcpus, (guint)b->max_vcpus);
        for (int i = 0; i < b->max_vcpus; i++)
            libxl_bitmap_set(&b->avail_vcpus, i);
    } else {
        g_autoptr(XvBitmap) avail = sim_bitmap_from_libxl(&b->avail_vcpus, (guint)b->max_vcpus, &bad);

        if (avail == NULL)
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%1$s' marks vcpu %2$d online but has only %3$d vcpus."),
                            name, bad, b->max_vcpus);
        if (xv_bitmap_is_empty(avail))
            return sim_fail(error, ERROR_INVAL, _("Domain '%s' has no online vcpu."), name);
    }
    if (b->num_vcpu_hard_affinity > b->max_vcpus)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' pins %2$d vcpus but has only %3$d."),
                        name, b->num_vcpu_hard_affinity, b->max_vcpus);
    for (int i = 0; i < b->num_vcpu_hard_affinity; i++) {
        g_autoptr(XvBitmap) m = sim_bitmap_from_libxl(&b->vcpu_hard_affinity[i], sim->cpus, &bad);

        if (m == NULL)
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%1$s' pins vcpu %2$d to cpu %3$d; the host has %4$u cpus."),
                            name, i, bad, sim->cpus);
        if (xv_bitmap_is_empty(m))
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%1$s' pins vcpu %2$d to no cpu at all."), name, i);
    }
    if (b->cpumap.size > 0 && !libxl_bitmap_is_empty(&b->cpumap)) {
        g_autoptr(XvBitmap) m = sim_bitmap_from_libxl(&b->cpumap, sim->cpus, &bad);

        if (m == NULL)
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%1$s' is restricted to cpu %2$d; the host has %3$u cpus."),
                            name, bad, sim->cpus);
    }

    /* memory */
    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = 32 * SIM_KIB_PER_MIB;
    if (b->target_memkb == LIBXL_MEMKB_DEFAULT)
        b->target_memkb = b->max_memkb;
    if (b->target_memkb > b->max_memkb)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' has a memory target of %2$llu KiB above its maximum of %3$llu KiB."),
                        name, (unsigned long long)b->target_memkb,
                        (unsigned long long)b->max_memkb);
    if (b->target_memkb < SIM_KIB_PER_MIB)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' has %2$llu KiB of memory; a domain needs at least 1 MiB."),
                        name, (unsigned long long)b->target_memkb);
    if (b->max_memkb > 16ull * 1024 * SIM_KIB_PER_GIB)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s' has a maximum memory of %2$llu KiB, more than Xen supports."),
                        name, (unsigned long long)b->max_memkb);

    /* boot files */
    {
        const char *kernel = b->kernel;
        const char *ramdisk = b->ramdisk;
        const char *bootloader = b->bootloader;

        if (c->c_info.type == LIBXL_DOMAIN_TYPE_PV) {
            kernel = kernel != NULL ? kernel : b->u.pv.kernel;
            ramdisk = ramdisk != NULL ? ramdisk : b->u.pv.ramdisk;
            bootloader = bootloader != NULL ? bootloader : b->u.pv.bootloader;
        }
        if (c->c_info.type != LIBXL_DOMAIN_TYPE_HVM && kernel == NULL && bootloader == NULL)
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%s' has neither a kernel nor a bootloader."), name);
        if (kernel != NULL && !g_file_test(kernel, G_FILE_TEST_IS_REGULAR))
            return sim_fail(error, ERROR_INVAL,
                            _("Cannot start domain '%1$s': kernel '%2$s' does not exist."),
                            name, kernel);
        if (ramdisk != NULL && !g_file_test(ramdisk, G_FILE_TEST_IS_REGULAR))
            return sim_fail(error, ERROR_INVAL,
                            _("Cannot start domain '%1$s': ramdisk '%2$s' does not exist."),
                            name, ramdisk);
    }

    /* disks */
    for (int i = 0; i < c->num_disks; i++) {
        libxl_device_disk *dk = &c->disks[i];
        gboolean empty = dk->pdev_path == NULL || dk->pdev_path[0] == '\0' ||
                         dk->format == LIBXL_DISK_FORMAT_EMPTY;

        if (dk->vdev == NULL || dk->vdev[0] == '\0')
            return sim_fail(error, ERROR_INVAL,
                            _("Disk %1$d of domain '%2$s' has no virtual device name."), i, name);
        for (int j = 0; j < i; j++)
            if (g_str_equal(c->disks[j].vdev, dk->vdev))
                return sim_fail(error, ERROR_INVAL,
                                _("Domain '%1$s' has two disks named '%2$s'."), name, dk->vdev);
        if (empty) {
            if (!dk->is_cdrom)
                return sim_fail(error, ERROR_INVAL,
                                _("Disk '%1$s' of domain '%2$s' has no source; only a cdrom may be empty."),
                                dk->vdev, name);
            if (dk->format == LIBXL_DISK_FORMAT_UNKNOWN)
                dk->format = LIBXL_DISK_FORMAT_EMPTY;
            continue;
        }
        if (dk->backend_domid != 0 || dk->backend_domname != NULL || sim_disk_is_remote(dk))
            continue;
        if (!g_file_test(dk->pdev_path, G_FILE_TEST_EXISTS))
            return sim_fail(error, ERROR_INVAL,
                            _("Cannot start domain '%1$s': disk '%2$s' source '%3$s' does not exist."),
                            name, dk->vdev, dk->pdev_path);
        if (dk->format == LIBXL_DISK_FORMAT_UNKNOWN)
            dk->format = LIBXL_DISK_FORMAT_RAW;
    }

    /* nics */
    for (int i = 0; i < c->num_nics; i++) {
        libxl_device_nic *n = &c->nics[i];
        static const uint8_t zero[6];

        if (n->bridge == NULL)
            n->bridge = strdup("xenbr0");
        if (n->backend_domid == 0 && n->backend_domname == NULL && !sim_bridge_known(sim, n->bridge))
            return sim_fail(error, ERROR_INVAL,
                            _("Cannot start domain '%1$s': interface %2$d uses bridge '%3$s', which does not exist on the host."),
                            name, i, n->bridge);
        if (n->devid < 0) {
            int devid = 0;

            for (int j = 0; j < c->num_nics; j++)
                if (j != i && c->nics[j].devid >= devid)
                    devid = c->nics[j].devid + 1;
            n->devid = devid;
        }
        if (memcmp(n->mac, zero, sizeof(zero)) == 0) {
            n->mac[0] = 0x00;
            n->mac[1] = 0x16;
            n->mac[2] = 0x3e;
            n->mac[3] = (uint8_t)g_random_int_range(0, 128);
            n->mac[4] = (uint8_t)g_random_int_range(0, 256);
            n->mac[5] = (uint8_t)g_random_int_range(0, 256);
        }
        if (n->nictype == LIBXL_NIC_TYPE_UNKNOWN)
            n->nictype = c->c_info.type == LIBXL_DOMAIN_TYPE_HVM ? LIBXL_NIC_TYPE_VIF_IOEMU
                                                                 : LIBXL_NIC_TYPE_VIF;
    }

    if (libxl_uuid_is_nil(&c->c_info.uuid))
        libxl_uuid_generate(&c->c_info.uuid);
    return 0;
}

/* A new record for a domain being built from 'c' (already checked). */
static SimDom *
sim_dom_new(XvHostSim *sim, guint32 domid, libxl_domain_config *c, gint64 now)
{
    libxl_domain_build_info *b = &c->b_info;
    SimDom *d = g_new0(SimDom, 1);
    int bad;

    d->domid = domid;
    d->name = g_strdup(c->c_info.name);
    memcpy(&d->uuid, &c->c_info.uuid, sizeof(d->uuid));
    d->type = c->c_info.type;
    d->state = SIM_BUILDING;
    d->paused = TRUE;
    d->reason = LIBXL_SHUTDOWN_REASON_UNKNOWN;
    d->created = now;
    d->max_kb = b->max_memkb;
    d->target_kb = b->target_memkb;
    d->mem_kb = b->target_memkb;
    d->mem_at = now;
    d->max_vcpus = (guint)b->max_vcpus;
    d->online = sim_bitmap_from_libxl(&b->avail_vcpus, d->max_vcpus, &bad);
    d->affinity = g_new0(XvBitmap *, d->max_vcpus);
    for (guint i = 0; i < d->max_vcpus; i++) {
        if ((int)i < b->num_vcpu_hard_affinity)
            d->affinity[i] = sim_bitmap_from_libxl(&b->vcpu_hard_affinity[i], sim->cpus, &bad);
        else if (b->cpumap.size > 0 && !libxl_bitmap_is_empty(&b->cpumap))
            d->affinity[i] = sim_bitmap_from_libxl(&b->cpumap, sim->cpus, &bad);
        if (d->affinity[i] == NULL) {
            d->affinity[i] = xv_bitmap_new(sim->cpus);
            for (guint cpu = 0; cpu < sim->cpus; cpu++)
                xv_bitmap_set(d->affinity[i], cpu);
        }
    }
    d->weight = b->sched_params.weight > 0 ? b->sched_params.weight : 256;
    d->cap = b->sched_params.cap >= 0 ? b->sched_params.cap : 0;
    d->period = b->sched_params.period > 0 ? b->sched_params.period : 10000;
    d->budget = b->sched_params.budget > 0 ? b->sched_params.budget : 4000;
    d->extratime = b->sched_params.extratime >= 0 ? b->sched_params.extratime : 1;
    d->pending = -1;
    d->crash_after_ms = d->poweroff_after_ms = d->reboot_after_ms = -1;
    d->config_json = sim_config_to_json(c);
    d->dirty = TRUE;
    return d;
}

/* ---- building domains (create and restore) ------------------------------ */

typedef struct {
    const char *validate;
    const char *alloc;
    const char *unpause;
    const char *verb;       /* for messages */
} SimBuildSteps;

static const SimBuildSteps sim_create_steps = {
    "create:validate", "create:alloc", "create:unpause", "create",
};
static const SimBuildSteps sim_restore_steps = {
    "restore:validate", "restore:alloc", "restore:unpause", "restore",
};

/* Check the config, reserve the memory and a domid: the domain exists in
 * state "building".  'mem_kb' overrides the config's target (restore). */
static int
sim_build_begin(XvHostSim *sim, const SimBuildSteps *steps, libxl_domain_config *c,
                guint64 mem_kb, double *speed_out, guint32 *domid_out, GError **error)
{
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    guint64 free_kb, need_kb;
    SimDom *d;
    int rc;

    if (t == NULL)
        return ERROR_FAIL;
    *speed_out = sim->speed;
    if ((rc = sim_fault_check_locked(sim, steps->validate, error)) != 0 ||
        (rc = sim_config_check(sim, t, c, error)) != 0 ||
        (rc = sim_fault_check_locked(sim, steps->alloc, error)) != 0) {
        sim_txn_finish(t);
        return rc;
    }
    need_kb = mem_kb != 0 ? mem_kb : c->b_info.target_memkb;
    free_kb = sim_txn_free_kb(t);
    if (need_kb > free_kb) {
        sim_txn_finish(t);
        return sim_fail(error, ERROR_NOMEM,
                        _("Cannot start domain '%1$s': host has %2$llu MiB free, domain needs %3$llu MiB."),
                        c->c_info.name, (unsigned long long)(free_kb / SIM_KIB_PER_MIB),
                        (unsigned long long)((need_kb + SIM_KIB_PER_MIB - 1) / SIM_KIB_PER_MIB));
    }
    if (t->next_domid >= 0x7FF0) {
        sim_txn_finish(t);
        return sim_fail(error, ERROR_FAIL, _("The host has used up its domain ids."));
    }
    d = sim_dom_new(sim, t->next_domid, c, t->now);
    if (mem_kb != 0) {
        d->mem_kb = d->target_kb = mem_kb;
        d->max_kb = MAX(d->max_kb, mem_kb);
    }
    t->next_domid++;
    t->host_dirty = TRUE;
    g_hash_table_replace(t->doms, GUINT_TO_POINTER(d->domid), d);
    *domid_out = d->domid;
    if (!sim_txn_commit(t, error))
        return ERROR_FAIL;
    return 0;
}

/* Remove a domain that failed to build (if it is still there). */
static void
sim_build_rollback(XvHostSim *sim, guint32 domid)
{
    g_autoptr(GError) e = NULL;
    g_autoptr(SimTxn) t = sim_txn_begin(sim, &e);

    if (t == NULL) {
        g_warning("simulated host %s: cannot remove half-built domain %u: %s",
                  sim->dir, domid, e->message);
        return;
    }
    if (sim_txn_lookup(t, domid) != NULL)
        sim_txn_remove(t, domid);
    sim_txn_finish(t);
}

/* The build is done: the domain runs (or stays paused). */
static int
sim_build_finish(XvHostSim *sim, const SimBuildSteps *steps, guint32 domid, gboolean paused,
                 guint64 cpu_ns, GError **error)
{
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    XvHostSimBehaviour b;
    SimDom *d;
    int rc;

    if (t == NULL)
        return ERROR_FAIL;
    d = sim_txn_lookup(t, domid);
    if (d == NULL || d->state != SIM_BUILDING) {
        sim_txn_finish(t);
        return sim_fail(error, ERROR_DOMAIN_DESTROYED,
                        _("Domain %u was destroyed while it was being built."), domid);
    }
    if ((rc = sim_fault_check_locked(sim, steps->unpause, error)) != 0) {
        sim_txn_remove(t, domid);
        sim_txn_finish(t);
        return rc;
    }
    d->state = SIM_ACTIVE;
    d->paused = paused;
    d->cpu_ns = cpu_ns;
    sim_behaviour_for_name(sim, d->name, &b);
    sim_dom_apply_behaviour(d, &b, t->now, sim->speed);
    sim_dom_state_changed(d, t->now);
    if (!sim_txn_commit(t, error))
        return ERROR_FAIL;
    return 0;
}

static int
sim_create_new(XvHost *host, libxl_domain_config *config, gboolean paused,
               uint32_t *domid_out, XvHostOp *op, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    gint64 start = g_get_monotonic_time();
    double speed;
    guint32 domid;
    int rc;

    rc = sim_build_begin(sim, &sim_create_steps, config, 0, &speed, &domid, error);
    if (rc != 0)
        return rc;
    /* Allocating and scrubbing the guest's memory, building, hotplug. */
    {
        double total_s = SIM_CREATE_FIXED_S + SIM_CREATE_PER_GIB_S * sim_gib(config->b_info.target_memkb);
        guint64 total = config->b_info.target_memkb * 1024;
        guint steps = 10;

        for (guint i = 1; i <= steps && rc == 0; i++) {
            rc = sim_pace(op, start, speed, total_s * i / steps);
            if (rc == 0)
                xv_host_op_report(op, total * i / steps, total);
        }
    }
    if (rc == ERROR_ABORTED)
        sim_fail(error, rc, _("Creation of domain '%s' was aborted."), config->c_info.name);
    if (rc == 0)
        rc = sim_fault_check(sim, "create:build", error);
    if (rc == 0)
        rc = sim_build_finish(sim, &sim_create_steps, domid, paused, 0, error);
    if (rc != 0) {
        sim_build_rollback(sim, domid);
        return rc;
    }
    if (domid_out != NULL)
        *domid_out = domid;
    return 0;
}

int
xv_host_sim_create_foreign(XvHost *host, libxl_domain_config *config, uint32_t *domid_out,
                           GError **error)
{
    return sim_create_new(host, config, FALSE, domid_out, NULL, error);
}

/* ---- streams ------------------------------------------------------------ */

static int
sim_write_all(int fd, const void *buf, gsize len, const char *what, GError **error)
{
    const guint8 *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };

            poll(&pfd, 1, 100);
            continue;
        }
        if (n < 0)
            return sim_fail(error, ERROR_FAIL, _("Cannot write the %1$s: %2$s."), what,
                            g_strerror(errno));
        p += n;
        len -= (gsize)n;
    }
    return 0;
}

/* 0 when all 'len' bytes were read; ERROR_FAIL (error set) on EOF or error. */
static int
sim_read_all(int fd, void *buf, gsize len, GError **error)
{
    guint8 *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = { .fd = fd, .events = POLLIN };

            poll(&pfd, 1, 100);
            continue;
        }
        if (n < 0)
            return sim_fail(error, ERROR_FAIL, _("Cannot read the save image: %s."),
                            g_strerror(errno));
        if (n == 0)
            return sim_fail(error, ERROR_FAIL, _("The save image is truncated."));
        p += n;
        len -= (gsize)n;
    }
    return 0;
}

static guint64
sim_mix(guint64 x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static guint64
sim_seed(const libxl_uuid *uuid)
{
    guint64 s;

    memcpy(&s, libxl_uuid_bytearray_const(uuid), sizeof(s));
    return s;
}

/* The "guest memory" bytes of a stream: generated, so that a restore can
 * verify every byte without anything stored. */
static void
sim_fill(guint8 *buf, gsize len, guint64 seed, guint32 round, guint64 offset)
{
    for (gsize i = 0; i < len; i += 8) {
        guint64 w = GUINT64_TO_LE(sim_mix(seed ^ ((guint64)round << 56) ^ (offset + i)));

        memcpy(buf + i, &w, MIN(8, len - i));
    }
}

typedef struct {
    guint32 type;
    guint32 round;
    guint64 offset;
    guint64 length;
} SimRecord;

static void
sim_record_encode(guint8 out[24], guint32 type, guint32 round, guint64 offset, guint64 length)
{
    guint32 t = GUINT32_TO_LE(type), r = GUINT32_TO_LE(round);
    guint64 o = GUINT64_TO_LE(offset), l = GUINT64_TO_LE(length);

    memcpy(out, &t, 4);
    memcpy(out + 4, &r, 4);
    memcpy(out + 8, &o, 8);
    memcpy(out + 16, &l, 8);
}

static void
sim_record_decode(const guint8 in[24], SimRecord *rec)
{
    guint32 t, r;
    guint64 o, l;

    memcpy(&t, in, 4);
    memcpy(&r, in + 4, 4);
    memcpy(&o, in + 8, 8);
    memcpy(&l, in + 16, 8);
    rec->type = GUINT32_FROM_LE(t);
    rec->round = GUINT32_FROM_LE(r);
    rec->offset = GUINT64_FROM_LE(o);
    rec->length = GUINT64_FROM_LE(l);
}

/* Stream bytes of round 'r' for a guest of mem_kb: 1/256 of the memory
 * dirtied in that round (all of it, then a quarter each pre-copy round). */
static guint64
sim_round_bytes(guint64 mem_kb, guint r)
{
    return (mem_kb * 1024 / SIM_STREAM_RATIO) >> (2 * r);
}

/* What a stream header carries: enough to rebuild the domain in the sim. */
typedef struct {
    char *name;
    libxl_uuid uuid;
    libxl_domain_type type;
    guint64 max_kb, target_kb, mem_kb;
    guint max_vcpus;
    char *online;
    guint64 cpu_ns;
    guint rounds;
    guint64 guest_bytes;
    char *config_json;
} SimImage;

static void
sim_image_clear(SimImage *im)
{
    g_free(im->name);
    g_free(im->online);
    g_free(im->config_json);
    memset(im, 0, sizeof(*im));
}

static char *
sim_image_encode(const SimImage *im, gsize *len)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *uuid = sim_uuid_string(&im->uuid);

    g_key_file_set_string(kf, "image", "name", im->name);
    g_key_file_set_string(kf, "image", "uuid", uuid);
    g_key_file_set_string(kf, "image", "type", libxl_domain_type_to_string(im->type));
    g_key_file_set_uint64(kf, "image", "max-kb", im->max_kb);
    g_key_file_set_uint64(kf, "image", "target-kb", im->target_kb);
    g_key_file_set_uint64(kf, "image", "mem-kb", im->mem_kb);
    g_key_file_set_uint64(kf, "image", "max-vcpus", im->max_vcpus);
    g_key_file_set_string(kf, "image", "online", im->online);
    g_key_file_set_uint64(kf, "image", "cpu-ns", im->cpu_ns);
    g_key_file_set_uint64(kf, "image", "rounds", im->rounds);
    g_key_file_set_uint64(kf, "image", "guest-bytes", im->guest_bytes);
    g_key_file_set_string(kf, "image", "config-json", im->config_json);
    return g_key_file_to_data(kf, len, NULL);
}

static gboolean
sim_image_decode(const char *data, gsize len, SimImage *im)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *uuid = NULL;
    g_autofree char *type = NULL;
    GError *e = NULL;

    if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, NULL))
        return FALSE;
#define GET(fn, key) g_key_file_get_##fn(kf, "image", key, &e); if (e != NULL) goto bad
    im->name = GET(string, "name");
    uuid = GET(string, "uuid");
    type = GET(string, "type");
    im->max_kb = GET(uint64, "max-kb");
    im->target_kb = GET(uint64, "target-kb");
    im->mem_kb = GET(uint64, "mem-kb");
    im->max_vcpus = (guint)GET(uint64, "max-vcpus");
    im->online = GET(string, "online");
    im->cpu_ns = GET(uint64, "cpu-ns");
    im->rounds = (guint)GET(uint64, "rounds");
    im->guest_bytes = GET(uint64, "guest-bytes");
    im->config_json = GET(string, "config-json");
#undef GET
    if (libxl_uuid_from_string(&im->uuid, uuid) != 0 ||
        libxl_domain_type_from_string(type, &im->type) != 0 ||
        im->mem_kb < SIM_KIB_PER_MIB || im->mem_kb > 16ull * 1024 * SIM_KIB_PER_GIB ||
        im->rounds < 1 || im->rounds > SIM_LIVE_ROUNDS || im->max_vcpus < 1 ||
        im->max_vcpus > SIM_VCPU_LIMIT)
        return FALSE;
    return TRUE;

 bad:
    g_clear_error(&e);
    return FALSE;
}

/* Is the domain still there and alive (for long operations, which check
 * between chunks without taking the lock: files are replaced atomically)? */
static gboolean
sim_dom_peek_state(XvHostSim *sim, guint32 domid, SimState want)
{
    g_autofree char *path = sim_dom_path(sim, domid);
    g_autoptr(SimDom) d = sim_dom_from_file(sim, path, NULL);

    return d != NULL && d->state == want;
}

static int
sim_suspend(XvHost *host, uint32_t domid, int fd, int flags, XvHostOp *op, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    g_autofree guint8 *chunk = g_malloc(SIM_CHUNK_BYTES);
    g_autofree char *hdr = NULL;
    gint64 start = g_get_monotonic_time();
    gboolean live = (flags & LIBXL_SUSPEND_LIVE) != 0;
    SimImage im = { 0 };
    guint8 pre[16], rec[24];
    guint64 processed = 0, seed, data_total = 0;
    gsize hdr_len;
    double speed;
    SimDom *d;
    int rc;

    if (t == NULL)
        return ERROR_FAIL;
    if ((rc = sim_fault_check_locked(sim, "suspend:start", error)) != 0)
        goto refuse;
    d = sim_txn_lookup(t, domid);
    if (d == NULL) {
        rc = sim_fail(error, ERROR_DOMAIN_NOTFOUND, _("Domain %u does not exist."), domid);
        goto refuse;
    }
    if (domid == 0) {
        rc = sim_fail(error, ERROR_INVAL, _("Domain-0 cannot be saved or migrated."));
        goto refuse;
    }
    if (d->state != SIM_ACTIVE) {
        rc = sim_fail(error, ERROR_INVAL, _("Cannot save domain '%1$s' (%2$u): it is %3$s."),
                      d->name, domid, sim_state_names[d->state]);
        goto refuse;
    }
    speed = sim->speed;
    im.name = g_strdup(d->name);
    im.uuid = d->uuid;
    im.type = d->type;
    im.max_kb = d->max_kb;
    im.target_kb = d->target_kb;
    im.mem_kb = MAX(SIM_KIB_PER_MIB, sim_dom_mem_now(d, t->now));
    im.max_vcpus = d->max_vcpus;
    im.online = xv_bitmap_format(d->online);
    im.cpu_ns = sim_dom_cpu_ns(d, t->now);
    im.rounds = live ? SIM_LIVE_ROUNDS : 1;
    for (guint r = 0; r < im.rounds; r++)
        data_total += sim_round_bytes(im.mem_kb, r);
    im.guest_bytes = data_total * SIM_STREAM_RATIO;
    im.config_json = g_strdup(d->config_json);
    sim_txn_finish(t);
    g_clear_pointer(&t, sim_txn_free);

    /* header */
    hdr = sim_image_encode(&im, &hdr_len);
    memcpy(pre, SIM_STREAM_MAGIC, 8);
    {
        guint32 v = GUINT32_TO_LE(SIM_STREAM_VERSION), l = GUINT32_TO_LE((guint32)hdr_len);

        memcpy(pre + 8, &v, 4);
        memcpy(pre + 12, &l, 4);
    }
    if ((rc = sim_write_all(fd, pre, sizeof(pre), _("save image"), error)) != 0 ||
        (rc = sim_write_all(fd, hdr, hdr_len, _("save image"), error)) != 0)
        goto out;
    /* The suspend handshake with the guest (non-live: before the copy;
     * live: the final pause, modelled up front too). */
    if ((rc = sim_pace(op, start, speed, SIM_SAVE_FIXED_S)) != 0)
        goto out;
    xv_host_op_report(op, 0, im.guest_bytes);
    seed = sim_seed(&im.uuid);
    for (guint r = 0; r < im.rounds; r++) {
        guint64 total = sim_round_bytes(im.mem_kb, r);
        gboolean fault_checked = r > 0;

        for (guint64 off = 0; off < total; off += SIM_CHUNK_BYTES) {
            gsize len = (gsize)MIN((guint64)SIM_CHUNK_BYTES, total - off);

            if (xv_host_op_is_aborted(op)) {
                rc = ERROR_ABORTED;
                goto out;
            }
            if (!fault_checked && off >= total / 2) {
                fault_checked = TRUE;
                if ((rc = sim_fault_check(sim, "suspend:write-memory", error)) != 0)
                    goto out;
            }
            if (!sim_dom_peek_state(sim, domid, SIM_ACTIVE)) {
                rc = sim_fail(error, ERROR_DOMAIN_DESTROYED,
                              _("Domain '%1$s' (%2$u) stopped while it was being saved."),
                              im.name, domid);
                goto out;
            }
            sim_fill(chunk, len, seed, r, off);
            sim_record_encode(rec, SIM_REC_PAGES, r, off, len);
            if ((rc = sim_write_all(fd, rec, sizeof(rec), _("save image"), error)) != 0 ||
                (rc = sim_write_all(fd, chunk, len, _("save image"), error)) != 0)
                goto out;
            processed += len * SIM_STREAM_RATIO;
            if ((rc = sim_pace(op, start, speed, SIM_SAVE_FIXED_S +
                               SIM_STREAM_PER_GIB_S * (double)processed /
                               (double)(SIM_KIB_PER_GIB * 1024))) != 0)
                goto out;
            xv_host_op_report(op, processed, im.guest_bytes);
        }
    }
    sim_record_encode(rec, SIM_REC_END, im.rounds, data_total, 0);
    if ((rc = sim_write_all(fd, rec, sizeof(rec), _("save image"), error)) != 0)
        goto out;

    /* The guest is now suspended: shut down with reason suspend. */
    t = sim_txn_begin(sim, error);
    if (t == NULL) {
        rc = ERROR_FAIL;
        goto out;
    }
    if ((rc = sim_fault_check_locked(sim, "suspend:finish", error)) != 0)
        goto refuse;
    d = sim_txn_lookup(t, domid);
    if (d == NULL || d->state != SIM_ACTIVE) {
        rc = sim_fail(error, ERROR_DOMAIN_DESTROYED,
                      _("Domain '%1$s' (%2$u) stopped while it was being saved."), im.name, domid);
        goto refuse;
    }
    sim_dom_enter_shutdown(d, LIBXL_SHUTDOWN_REASON_SUSPEND, t->now);
    if (!sim_txn_commit(t, error))
        rc = ERROR_FAIL;
    goto out;

 refuse:
    sim_txn_finish(t);
 out:
    if (rc == ERROR_ABORTED)
        sim_fail(error, rc, _("Saving domain '%1$s' (%2$u) was aborted."), im.name, domid);
    sim_image_clear(&im);
    return rc;
}

static int
sim_create_restore(XvHost *host, libxl_domain_config *config, gboolean paused, int fd,
                   uint32_t *domid_out, XvHostOp *op, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autofree guint8 *chunk = g_malloc(SIM_CHUNK_BYTES);
    g_autofree guint8 *expect = g_malloc(SIM_CHUNK_BYTES);
    g_autofree char *hdr = NULL;
    gint64 start = g_get_monotonic_time();
    SimImage im = { 0 };
    guint8 pre[16], raw[24];
    guint64 processed = 0, seed, data_total = 0;
    guint32 ver, hlen, domid = 0;
    guint round = 0;
    guint64 round_off = 0;
    gboolean built = FALSE, fault_checked = FALSE;
    double speed;
    int rc;

    if ((rc = sim_fault_check(sim, "restore:read-header", error)) != 0 ||
        (rc = sim_read_all(fd, pre, sizeof(pre), error)) != 0)
        goto out;
    memcpy(&ver, pre + 8, 4);
    memcpy(&hlen, pre + 12, 4);
    ver = GUINT32_FROM_LE(ver);
    hlen = GUINT32_FROM_LE(hlen);
    if (memcmp(pre, SIM_STREAM_MAGIC, 8) != 0) {
        rc = sim_fail(error, ERROR_FAIL, _("The file is not a save image of a simulated Xen host."));
        goto out;
    }
    if (ver != SIM_STREAM_VERSION || hlen == 0 || hlen > 16 * 1024 * 1024) {
        rc = sim_fail(error, ERROR_FAIL,
                      _("The save image has version %1$u; this simulated host reads version %2$u."),
                      ver, SIM_STREAM_VERSION);
        goto out;
    }
    hdr = g_malloc(hlen);
    if ((rc = sim_read_all(fd, hdr, hlen, error)) != 0)
        goto out;
    if (!sim_image_decode(hdr, hlen, &im)) {
        rc = sim_fail(error, ERROR_FAIL, _("The save image's header is corrupt."));
        goto out;
    }
    if (config->b_info.max_vcpus != 0 && (guint)config->b_info.max_vcpus != im.max_vcpus) {
        rc = sim_fail(error, ERROR_INVAL,
                      _("Cannot restore domain '%1$s': the image has %2$u vcpus, the configuration %3$d."),
                      config->c_info.name ? config->c_info.name : im.name, im.max_vcpus,
                      config->b_info.max_vcpus);
        goto out;
    }
    if (config->b_info.max_memkb != LIBXL_MEMKB_DEFAULT && config->b_info.max_memkb < im.mem_kb) {
        rc = sim_fail(error, ERROR_INVAL,
                      _("Cannot restore domain '%1$s': the image holds %2$llu KiB of memory, the configuration allows %3$llu KiB."),
                      config->c_info.name ? config->c_info.name : im.name,
                      (unsigned long long)im.mem_kb,
                      (unsigned long long)config->b_info.max_memkb);
        goto out;
    }
    rc = sim_build_begin(sim, &sim_restore_steps, config, im.mem_kb, &speed, &domid, error);
    if (rc != 0)
        goto out;
    built = TRUE;
    /* Building the empty domain, then the memory as it arrives. */
    if ((rc = sim_pace(op, start, speed, SIM_CREATE_FIXED_S)) != 0)
        goto out;
    xv_host_op_report(op, 0, im.guest_bytes);
    seed = sim_seed(&im.uuid);
    for (;;) {
        SimRecord r;

        if (xv_host_op_is_aborted(op)) {
            rc = ERROR_ABORTED;
            goto out;
        }
        if ((rc = sim_read_all(fd, raw, sizeof(raw), error)) != 0)
            goto out;
        sim_record_decode(raw, &r);
        if (r.type == SIM_REC_END) {
            if (r.round != im.rounds || r.offset != data_total || round != im.rounds - 1 ||
                round_off != sim_round_bytes(im.mem_kb, round)) {
                rc = sim_fail(error, ERROR_FAIL, _("The save image is corrupt: its end record does not match its content."));
                goto out;
            }
            break;
        }
        if (r.type != SIM_REC_PAGES || r.length == 0 || r.length > SIM_CHUNK_BYTES) {
            rc = sim_fail(error, ERROR_FAIL, _("The save image is corrupt: bad record at byte %llu."),
                          (unsigned long long)(data_total));
            goto out;
        }
        if (r.round == round + 1 && round_off == sim_round_bytes(im.mem_kb, round) &&
            r.round < im.rounds) {
            round = r.round;
            round_off = 0;
        }
        if (r.round != round || r.offset != round_off ||
            r.offset + r.length > sim_round_bytes(im.mem_kb, round)) {
            rc = sim_fail(error, ERROR_FAIL, _("The save image is corrupt: records out of order."));
            goto out;
        }
        if ((rc = sim_read_all(fd, chunk, (gsize)r.length, error)) != 0)
            goto out;
        sim_fill(expect, (gsize)r.length, seed, r.round, r.offset);
        if (memcmp(chunk, expect, (gsize)r.length) != 0) {
            rc = sim_fail(error, ERROR_FAIL, _("The save image is corrupt: guest memory does not verify."));
            goto out;
        }
        round_off += r.length;
        data_total += r.length;
        processed += r.length * SIM_STREAM_RATIO;
        if (!fault_checked && round == 0 && round_off >= sim_round_bytes(im.mem_kb, 0) / 2) {
            fault_checked = TRUE;
            if ((rc = sim_fault_check(sim, "restore:read-memory", error)) != 0)
                goto out;
        }
        if (!sim_dom_peek_state(sim, domid, SIM_BUILDING)) {
            rc = sim_fail(error, ERROR_DOMAIN_DESTROYED,
                          _("Domain %u was destroyed while it was being restored."), domid);
            goto out;
        }
        if ((rc = sim_pace(op, start, speed, SIM_CREATE_FIXED_S +
                           SIM_STREAM_PER_GIB_S * (double)processed /
                           (double)(SIM_KIB_PER_GIB * 1024))) != 0)
            goto out;
        xv_host_op_report(op, processed, im.guest_bytes);
    }
    rc = sim_build_finish(sim, &sim_restore_steps, domid, paused, im.cpu_ns, error);

 out:
    if (rc == ERROR_ABORTED)
        sim_fail(error, rc, _("Restoring domain '%s' was aborted."),
                 config->c_info.name ? config->c_info.name : (im.name ? im.name : "?"));
    if (rc != 0 && built)
        sim_build_rollback(sim, domid);
    if (rc == 0 && domid_out != NULL)
        *domid_out = domid;
    sim_image_clear(&im);
    return rc;
}

/* An ELF core: the headers and a note naming the domain in the first 4096
 * bytes, then one PT_LOAD segment of guest memory / 256 generated bytes. */
static int
sim_core_dump(XvHost *host, uint32_t domid, const char *path, XvHostOp *op, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    g_autofree guint8 *chunk = g_malloc0(MAX(SIM_CHUNK_BYTES, SIM_DUMP_HEADER_BYTES));
    g_autofree char *name = NULL;
    g_autofree char *desc = NULL;
    gint64 start = g_get_monotonic_time();
    libxl_uuid uuid;
    guint64 mem_kb, total, done = 0;
    double speed;
    SimDom *d;
    int fd = -1, rc;

    if (t == NULL)
        return ERROR_FAIL;
    if ((rc = sim_fault_check_locked(sim, "dump:write", error)) != 0) {
        sim_txn_finish(t);
        return rc;
    }
    d = sim_txn_lookup(t, domid);
    if (d == NULL) {
        sim_txn_finish(t);
        return sim_fail(error, ERROR_DOMAIN_NOTFOUND, _("Domain %u does not exist."), domid);
    }
    if (domid == 0 || d->state == SIM_DYING || d->state == SIM_BUILDING) {
        rc = sim_fail(error, ERROR_INVAL, _("Cannot dump the core of domain '%1$s' (%2$u): it is %3$s."),
                      d->name, domid, domid == 0 ? _("Domain-0") : sim_state_names[d->state]);
        sim_txn_finish(t);
        return rc;
    }
    name = g_strdup(d->name);
    uuid = d->uuid;
    mem_kb = sim_dom_mem_now(d, t->now);
    speed = sim->speed;
    sim_txn_finish(t);

    total = mem_kb * 1024 / SIM_STREAM_RATIO;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return sim_fail(error, ERROR_FAIL, _("Cannot create core file '%1$s': %2$s."), path,
                        g_strerror(errno));
    {
        Elf64_Ehdr eh = { 0 };
        Elf64_Phdr ph[2] = { { 0 } };
        Elf64_Nhdr nh = { 0 };
        g_autofree char *uuid_str = sim_uuid_string(&uuid);
        gsize off = sizeof(eh) + sizeof(ph);

        desc = g_strdup_printf("name=%s\nuuid=%s\ndomid=%u\nmemory_kb=%llu\n", name, uuid_str,
                               domid, (unsigned long long)mem_kb);
        memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS64;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        eh.e_type = ET_CORE;
        eh.e_machine = EM_X86_64;
        eh.e_version = EV_CURRENT;
        eh.e_phoff = sizeof(eh);
        eh.e_ehsize = sizeof(eh);
        eh.e_phentsize = sizeof(Elf64_Phdr);
        eh.e_phnum = 2;
        nh.n_namesz = 8;   /* "XenSim\0" padded */
        nh.n_descsz = (Elf64_Word)strlen(desc) + 1;
        nh.n_type = 1;
        ph[0].p_type = PT_NOTE;
        ph[0].p_offset = off;
        ph[0].p_filesz = sizeof(nh) + 8 + ((nh.n_descsz + 3) & ~3u);
        ph[1].p_type = PT_LOAD;
        ph[1].p_offset = SIM_DUMP_HEADER_BYTES;
        ph[1].p_filesz = total;
        ph[1].p_memsz = mem_kb * 1024;
        ph[1].p_flags = PF_R | PF_W | PF_X;
        memcpy(chunk, &eh, sizeof(eh));
        memcpy(chunk + sizeof(eh), ph, sizeof(ph));
        memcpy(chunk + off, &nh, sizeof(nh));
        memcpy(chunk + off + sizeof(nh), "XenSim", 7);
        if (off + ph[0].p_filesz <= SIM_DUMP_HEADER_BYTES)
            memcpy(chunk + off + sizeof(nh) + 8, desc, nh.n_descsz);
        rc = sim_write_all(fd, chunk, SIM_DUMP_HEADER_BYTES, _("core file"), error);
    }
    while (rc == 0 && done < total) {
        gsize len = (gsize)MIN((guint64)SIM_CHUNK_BYTES, total - done);

        if (xv_host_op_is_aborted(op)) {
            rc = sim_fail(error, ERROR_ABORTED, _("Dumping the core of domain '%1$s' (%2$u) was aborted."),
                          name, domid);
            break;
        }
        if (done >= total / 2 && done < total / 2 + len &&
            (rc = sim_fault_check(sim, "dump:write", error)) != 0)
            break;
        sim_fill(chunk, len, sim_seed(&uuid), 0, done);
        if ((rc = sim_write_all(fd, chunk, len, _("core file"), error)) != 0)
            break;
        done += len;
        if ((rc = sim_pace(op, start, speed, SIM_STREAM_PER_GIB_S * (double)done *
                           SIM_STREAM_RATIO / (double)(SIM_KIB_PER_GIB * 1024))) != 0) {
            sim_fail(error, rc, _("Dumping the core of domain '%1$s' (%2$u) was aborted."),
                     name, domid);
            break;
        }
        xv_host_op_report(op, done * SIM_STREAM_RATIO, total * SIM_STREAM_RATIO);
    }
    if (rc == 0 && fsync(fd) < 0 && errno != EINVAL)
        rc = sim_fail(error, ERROR_FAIL, _("Cannot write core file '%1$s': %2$s."), path,
                      g_strerror(errno));
    if (close(fd) < 0 && rc == 0)
        rc = sim_fail(error, ERROR_FAIL, _("Cannot write core file '%1$s': %2$s."), path,
                      g_strerror(errno));
    if (rc != 0)
        g_unlink(path);
    return rc;
}

/* ---- operations on one domain ------------------------------------------- */

/* Start a transaction for 'step' on 'domid': the fault check (none for a
 * NULL step: the control API) and the lookup.  NULL (rc and error set, nothing held) when either fails. */
static SimTxn *
sim_op_begin(XvHostSim *sim, const char *step, guint32 domid, SimDom **d_out, int *rc,
             GError **error)
{
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);

    if (t == NULL) {
        *rc = ERROR_FAIL;
        return NULL;
    }
    if (step != NULL && (*rc = sim_fault_check_locked(sim, step, error)) != 0) {
        sim_txn_finish(t);
        return NULL;
    }
    for (guint i = 0; step != NULL && i < sim->kills->len; i++) {
        SimKill *k = g_ptr_array_index(sim->kills, i);

        if (k->domid == domid && g_str_equal(k->step, step)) {
            /* Gone at once, as if another toolstack destroyed it just now. */
            g_ptr_array_remove_index(sim->kills, i);
            if (sim_txn_lookup(t, domid) != NULL)
                sim_txn_remove(t, domid);
            break;
        }
    }
    *d_out = sim_txn_lookup(t, domid);
    if (*d_out == NULL) {
        *rc = sim_fail(error, ERROR_DOMAIN_NOTFOUND, _("Domain %u does not exist."), domid);
        sim_txn_finish(t);
        return NULL;
    }
    return g_steal_pointer(&t);
}

/* Finish an operation: commit when rc == 0, else only settle. */
static int
sim_op_end(SimTxn *t, int rc, GError **error)
{
    if (rc != 0) {
        sim_txn_finish(t);
        return rc;
    }
    if (!sim_txn_commit(t, error))
        return ERROR_FAIL;
    return 0;
}

static int
sim_refuse_state(SimDom *d, const char *action, GError **error)
{
    /* TRANSLATORS: %1$s is an action ("pause"), %4$s a state ("shutdown"). */
    return sim_fail(error, ERROR_INVAL, _("Cannot %1$s domain '%2$s' (%3$u): it is %4$s."),
                    action, d->name, d->domid,
                    d->state == SIM_ACTIVE ? (d->paused ? "paused" : "running")
                                           : sim_state_names[d->state]);
}

static int
sim_destroy(XvHost *host, uint32_t domid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    gint64 until;
    int rc = 0;

    t = sim_op_begin(sim, "destroy", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (domid == 0)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL, _("Domain-0 cannot be destroyed.")), error);
    if (d->state != SIM_DYING) {
        /* Scrubbing its memory takes a moment; the domain is dying meanwhile. */
        sim_dom_materialise(d, t->now);
        d->state = SIM_DYING;
        d->paused = FALSE;
        d->pending = -1;
        d->dying_until = t->now + sim_scale(sim->speed, SIM_DESTROY_FIXED_S +
                                            SIM_DESTROY_PER_GIB_S * sim_gib(d->mem_kb));
        sim_dom_state_changed(d, t->now);
    }
    until = d->dying_until;
    if (until <= t->now)
        sim_txn_remove(t, domid);   /* frees d */
    if ((rc = sim_op_end(t, 0, error)) != 0)
        return rc;
    g_clear_pointer(&t, sim_txn_free);
    /* Wait for the domain to be gone, as libxl_domain_destroy does. */
    while (g_get_real_time() < until)
        g_usleep((gulong)MIN(until - g_get_real_time() + 1, 50 * G_TIME_SPAN_MILLISECOND));
    t = sim_txn_begin(sim, error);
    if (t == NULL)
        return ERROR_FAIL;
    sim_txn_finish(t);
    return 0;
}

static int
sim_request_shutdown(XvHost *host, uint32_t domid, libxl_shutdown_reason reason,
                     const char *step, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, step, domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (domid == 0)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Domain-0 cannot be shut down or rebooted through the toolstack.")),
                          error);
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, reason == LIBXL_SHUTDOWN_REASON_REBOOT
                                                 ? "reboot" : "shut down", error), error);
    if (d->shutdown_mode == XV_HOST_SIM_SHUTDOWN_IGNORE)
        return sim_op_end(t, 0, error);     /* the guest never answers */
    d->pending = reason;
    if (d->paused) {
        d->pending_at = 0;                  /* counts from the unpause */
    } else {
        gint64 at = MAX(1, t->now + sim_scale(sim->speed, (double)d->shutdown_delay_ms / 1000.0));

        if (d->pending_at == 0 || at < d->pending_at)
            d->pending_at = at;
        if (d->pending_at <= t->now)
            sim_dom_enter_shutdown(d, reason, t->now);
    }
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

static int
sim_shutdown(XvHost *host, uint32_t domid, GError **error)
{
    return sim_request_shutdown(host, domid, LIBXL_SHUTDOWN_REASON_POWEROFF, "shutdown", error);
}

static int
sim_reboot(XvHost *host, uint32_t domid, GError **error)
{
    return sim_request_shutdown(host, domid, LIBXL_SHUTDOWN_REASON_REBOOT, "reboot", error);
}

static int
sim_pause(XvHost *host, uint32_t domid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "pause", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (domid == 0)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL, _("Domain-0 cannot be paused.")), error);
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, "pause", error), error);
    if (!d->paused) {
        sim_dom_materialise(d, t->now);
        d->paused = TRUE;
        sim_dom_state_changed(d, t->now);
    }
    return sim_op_end(t, 0, error);
}

static int
sim_unpause(XvHost *host, uint32_t domid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "unpause", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, "unpause", error), error);
    if (!d->paused)
        return sim_op_end(t, sim_fail(error, ERROR_FAIL,
                                      _("Cannot unpause domain '%1$s' (%2$u): it is not paused."),
                                      d->name, domid), error);
    sim_dom_materialise(d, t->now);
    d->paused = FALSE;
    sim_dom_state_changed(d, t->now);
    if (d->pending >= 0 && d->pending_at == 0) {
        d->pending_at = MAX(1, t->now + sim_scale(sim->speed, (double)d->shutdown_delay_ms / 1000.0));
        if (d->pending_at <= t->now)
            sim_dom_enter_shutdown(d, (libxl_shutdown_reason)d->pending, t->now);
    }
    return sim_op_end(t, 0, error);
}

static int
sim_set_vcpu_affinity(XvHost *host, uint32_t domid, uint32_t vcpu, const libxl_bitmap *hard,
                      GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    g_autoptr(XvBitmap) map = NULL;
    SimDom *d = NULL;
    int rc = 0, bad = -1;

    t = sim_op_begin(sim, "vcpu-affinity", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state == SIM_DYING)
        return sim_op_end(t, sim_refuse_state(d, "pin the vcpus of", error), error);
    if (vcpu >= d->max_vcpus)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Domain '%1$s' has no vcpu %2$u (it has %3$u)."),
                                      d->name, vcpu, d->max_vcpus), error);
    map = sim_bitmap_from_libxl(hard, sim->cpus, &bad);
    if (map == NULL)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot pin vcpu %1$u of domain '%2$s' to cpu %3$d: the host has %4$u cpus."),
                                      vcpu, d->name, bad, sim->cpus), error);
    if (xv_bitmap_is_empty(map))
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot pin vcpu %1$u of domain '%2$s' to no cpu at all."),
                                      vcpu, d->name), error);
    xv_bitmap_free(d->affinity[vcpu]);
    d->affinity[vcpu] = g_steal_pointer(&map);
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

static void
sim_bitmap_to_libxl(const XvBitmap *in, guint nbits, libxl_bitmap *out)
{
    xv_host_bitmap_alloc(out, nbits);
    for (int i = xv_bitmap_next(in, -1); i >= 0; i = xv_bitmap_next(in, i))
        libxl_bitmap_set(out, i);
}

static int
sim_list_vcpus(XvHost *host, uint32_t domid, libxl_vcpuinfo **out, int *nr_out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    libxl_vcpuinfo *list;
    guint64 cpu_ns;
    guint online;
    int rc = 0;

    *out = NULL;
    *nr_out = 0;
    t = sim_op_begin(sim, "list-vcpus", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    cpu_ns = sim_dom_cpu_ns(d, t->now);
    online = MAX(1u, xv_bitmap_count(d->online));
    list = calloc(d->max_vcpus, sizeof(*list));
    if (list == NULL)
        g_error("out of memory listing %u vcpus", d->max_vcpus);
    for (guint i = 0; i < d->max_vcpus; i++) {
        libxl_vcpuinfo *vi = &list[i];
        guint nth = i % MAX(1u, xv_bitmap_count(d->affinity[i]));
        int cpu = xv_bitmap_next(d->affinity[i], -1);

        libxl_vcpuinfo_init(vi);
        while (nth-- > 0 && cpu >= 0)
            cpu = xv_bitmap_next(d->affinity[i], cpu);
        vi->vcpuid = i;
        vi->cpu = (uint32_t)MAX(0, cpu);
        vi->online = xv_bitmap_is_set(d->online, i);
        vi->running = vi->online && sim_dom_is_running(d);
        vi->blocked = vi->online && !vi->running && d->state == SIM_ACTIVE;
        vi->vcpu_time = vi->online ? cpu_ns / online : 0;
        sim_bitmap_to_libxl(d->affinity[i], sim->cpus, &vi->cpumap);
        xv_host_bitmap_alloc(&vi->cpumap_soft, sim->cpus);
        for (guint c = 0; c < sim->cpus; c++)
            libxl_bitmap_set(&vi->cpumap_soft, (int)c);
    }
    *out = list;
    *nr_out = (int)d->max_vcpus;
    return sim_op_end(t, 0, error);
}

static int
sim_set_vcpus_online(XvHost *host, uint32_t domid, const libxl_bitmap *online, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    g_autoptr(XvBitmap) map = NULL;
    SimDom *d = NULL;
    int rc = 0, bad = -1;

    t = sim_op_begin(sim, "vcpus-online", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, "change the vcpus of", error), error);
    map = sim_bitmap_from_libxl(online, d->max_vcpus, &bad);
    if (map == NULL)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot bring vcpu %1$d of domain '%2$s' online: its maximum is %3$u vcpus."),
                                      bad, d->name, d->max_vcpus), error);
    if (xv_bitmap_is_empty(map))
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Domain '%s' needs at least one online vcpu."), d->name),
                          error);
    sim_dom_materialise(d, t->now);
    xv_bitmap_free(d->online);
    d->online = g_steal_pointer(&map);
    return sim_op_end(t, 0, error);
}

static int
sim_set_memory_target(XvHost *host, uint32_t domid, uint64_t target_kb, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    guint64 held, free_kb;
    int rc = 0;

    t = sim_op_begin(sim, "setmem", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, "set the memory of", error), error);
    if (target_kb > d->max_kb)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot set the memory of domain '%1$s' to %2$llu KiB: its maximum is %3$llu KiB."),
                                      d->name, (unsigned long long)target_kb,
                                      (unsigned long long)d->max_kb), error);
    if (target_kb < SIM_KIB_PER_MIB)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot set the memory of domain '%1$s' to %2$llu KiB: a domain needs at least 1 MiB."),
                                      d->name, (unsigned long long)target_kb), error);
    held = sim_dom_accounted_kb(d, t->now);
    free_kb = sim_txn_free_kb(t);
    if (target_kb > held && target_kb - held > free_kb)
        return sim_op_end(t, sim_fail(error, ERROR_NOMEM,
                                      _("Cannot grow domain '%1$s' to %2$llu MiB: host has %3$llu MiB free, domain needs %4$llu MiB more."),
                                      d->name, (unsigned long long)(target_kb / SIM_KIB_PER_MIB),
                                      (unsigned long long)(free_kb / SIM_KIB_PER_MIB),
                                      (unsigned long long)((target_kb - held) / SIM_KIB_PER_MIB)),
                          error);
    sim_dom_materialise(d, t->now);
    d->target_kb = target_kb;
    return sim_op_end(t, 0, error);
}

static int
sim_set_max_memory(XvHost *host, uint32_t domid, uint64_t max_kb, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "setmaxmem", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state == SIM_DYING)
        return sim_op_end(t, sim_refuse_state(d, "set the maximum memory of", error), error);
    if (max_kb < d->target_kb)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot set the maximum memory of domain '%1$s' to %2$llu KiB: it is below its target of %3$llu KiB."),
                                      d->name, (unsigned long long)max_kb,
                                      (unsigned long long)d->target_kb), error);
    if (max_kb > 16ull * 1024 * SIM_KIB_PER_GIB)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot set the maximum memory of domain '%1$s' to %2$llu KiB: more than Xen supports."),
                                      d->name, (unsigned long long)max_kb), error);
    d->max_kb = max_kb;
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

static int
sim_sched_params_get(XvHost *host, uint32_t domid, libxl_domain_sched_params *out,
                     GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    libxl_domain_sched_params_init(out);
    t = sim_op_begin(sim, "sched-get", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    out->sched = sim->sched;
    if (sim->sched == LIBXL_SCHEDULER_RTDS) {
        out->period = d->period;
        out->budget = d->budget;
        out->extratime = d->extratime;
    } else {
        out->weight = d->weight;
        out->cap = d->cap;
    }
    return sim_op_end(t, 0, error);
}

static int
sim_sched_params_set(XvHost *host, uint32_t domid, const libxl_domain_sched_params *p,
                     GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "sched-set", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state == SIM_DYING)
        return sim_op_end(t, sim_refuse_state(d, "set the scheduler parameters of", error), error);
    if (p->sched != LIBXL_SCHEDULER_UNKNOWN && p->sched != sim->sched)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot set %1$s parameters on domain '%2$s': the host runs the %3$s scheduler."),
                                      libxl_scheduler_to_string(p->sched), d->name,
                                      libxl_scheduler_to_string(sim->sched)), error);
    if (sim->sched == LIBXL_SCHEDULER_RTDS) {
        int period = p->period != LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT ? p->period : d->period;
        int budget = p->budget != LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT ? p->budget : d->budget;

        if (period < 10 || budget < 10 || budget > period)
            return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                          _("Domain '%1$s': an rtds budget of %2$d us in a period of %3$d us is not valid (10 us <= budget <= period)."),
                                          d->name, budget, period), error);
        d->period = period;
        d->budget = budget;
        if (p->extratime != LIBXL_DOMAIN_SCHED_PARAM_EXTRATIME_DEFAULT)
            d->extratime = p->extratime != 0;
    } else {
        if (p->weight != LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT && (p->weight < 1 || p->weight > 65535))
            return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                          _("Domain '%1$s': a weight of %2$d is out of range (1 to 65535)."),
                                          d->name, p->weight), error);
        if (p->cap != LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT &&
            (p->cap < 0 || p->cap > 100 * (int)d->max_vcpus))
            return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                          _("Domain '%1$s': a cap of %2$d is out of range (0 to %3$u)."),
                                          d->name, p->cap, 100 * d->max_vcpus), error);
        if (p->weight != LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT)
            d->weight = p->weight;
        if (p->cap != LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT)
            d->cap = p->cap;
    }
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

static int
sim_retrieve_config(XvHost *host, uint32_t domid, libxl_domain_config *out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    libxl_domain_build_info *b = &out->b_info;
    SimDom *d = NULL;
    gboolean pinned = FALSE;
    int rc = 0;

    libxl_domain_config_init(out);
    t = sim_op_begin(sim, "retrieve-config", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->config_json == NULL || !sim_config_from_json(d->config_json, out, sim->cpus)) {
        libxl_domain_config_dispose(out);
        libxl_domain_config_init(out);
        return sim_op_end(t, sim_fail(error, ERROR_FAIL,
                                      _("The stored configuration of domain '%1$s' (%2$u) is damaged."),
                                      d->name, domid), error);
    }
    /* What changed since the domain was built. */
    memcpy(&out->c_info.uuid, &d->uuid, sizeof(d->uuid));
    b->max_memkb = d->max_kb;
    b->target_memkb = d->target_kb;
    libxl_bitmap_dispose(&b->avail_vcpus);
    sim_bitmap_to_libxl(d->online, d->max_vcpus, &b->avail_vcpus);
    for (guint i = 0; i < d->max_vcpus; i++)
        if (xv_bitmap_count(d->affinity[i]) != sim->cpus)
            pinned = TRUE;
    if (pinned || b->num_vcpu_hard_affinity > 0) {
        for (int i = 0; i < b->num_vcpu_hard_affinity; i++)
            libxl_bitmap_dispose(&b->vcpu_hard_affinity[i]);
        free(b->vcpu_hard_affinity);
        b->num_vcpu_hard_affinity = (int)d->max_vcpus;
        b->vcpu_hard_affinity = calloc(d->max_vcpus, sizeof(libxl_bitmap));
        for (guint i = 0; i < d->max_vcpus; i++)
            sim_bitmap_to_libxl(d->affinity[i], sim->cpus, &b->vcpu_hard_affinity[i]);
    }
    return sim_op_end(t, 0, error);
}

/* ---- devices (hotplug), rename ------------------------------------------ */

/* Re-emit a parsed JSON value verbatim. */
static void
sim_json_emit(yajl_gen g, yajl_val v)
{
    if (v == NULL) {
        yajl_gen_null(g);
        return;
    }
    switch (v->type) {
    case yajl_t_string:
        yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
        break;
    case yajl_t_number:
        yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
        break;
    case yajl_t_object:
        yajl_gen_map_open(g);
        for (size_t i = 0; i < v->u.object.len; i++) {
            yajl_gen_string(g, (const unsigned char *)v->u.object.keys[i],
                            strlen(v->u.object.keys[i]));
            sim_json_emit(g, v->u.object.values[i]);
        }
        yajl_gen_map_close(g);
        break;
    case yajl_t_array:
        yajl_gen_array_open(g);
        for (size_t i = 0; i < v->u.array.len; i++)
            sim_json_emit(g, v->u.array.values[i]);
        yajl_gen_array_close(g);
        break;
    case yajl_t_true:
        yajl_gen_bool(g, 1);
        break;
    case yajl_t_false:
        yajl_gen_bool(g, 0);
        break;
    default:
        yajl_gen_null(g);
        break;
    }
}

static const char *const sim_device_keys[] = { "disks", "nics", "pcidevs", "usbctrls", "usbdevs" };

static void
sim_json_emit_devices(yajl_gen g, const char *key, libxl_domain_config *c)
{
    yajl_gen_string(g, (const unsigned char *)key, strlen(key));
    yajl_gen_array_open(g);
    if (g_str_equal(key, "disks"))
        for (int i = 0; i < c->num_disks; i++)
            libxl_device_disk_gen_json(g, &c->disks[i]);
    else if (g_str_equal(key, "nics"))
        for (int i = 0; i < c->num_nics; i++)
            libxl_device_nic_gen_json(g, &c->nics[i]);
    else if (g_str_equal(key, "pcidevs"))
        for (int i = 0; i < c->num_pcidevs; i++)
            libxl_device_pci_gen_json(g, &c->pcidevs[i]);
    else if (g_str_equal(key, "usbctrls"))
        for (int i = 0; i < c->num_usbctrls; i++)
            libxl_device_usbctrl_gen_json(g, &c->usbctrls[i]);
    else
        for (int i = 0; i < c->num_usbdevs; i++)
            libxl_device_usbdev_gen_json(g, &c->usbdevs[i]);
    yajl_gen_array_close(g);
}

/* The stored JSON 'json' with its device arrays (and c_info's name) taken
 * from 'c'; every other field stays as stored.  NULL on bad JSON. */
static char *
sim_config_json_update(const char *json, libxl_domain_config *c)
{
    char errbuf[256];
    yajl_val root = yajl_tree_parse(json, errbuf, sizeof(errbuf));
    yajl_gen g;
    const unsigned char *buf;
    size_t len;
    char *out;

    if (root == NULL || !YAJL_IS_OBJECT(root)) {
        if (root != NULL)
            yajl_tree_free(root);
        return NULL;
    }
    g = yajl_gen_alloc(NULL);
    yajl_gen_map_open(g);
    for (size_t i = 0; i < root->u.object.len; i++) {
        const char *key = root->u.object.keys[i];
        yajl_val v = root->u.object.values[i];

        gboolean device = FALSE;

        for (guint k = 0; k < G_N_ELEMENTS(sim_device_keys); k++)
            device |= g_str_equal(sim_device_keys[k], key);
        if (device)
            continue;
        yajl_gen_string(g, (const unsigned char *)key, strlen(key));
        if (g_str_equal(key, "c_info") && YAJL_IS_OBJECT(v)) {
            yajl_gen_map_open(g);
            for (size_t j = 0; j < v->u.object.len; j++) {
                const char *k = v->u.object.keys[j];

                yajl_gen_string(g, (const unsigned char *)k, strlen(k));
                if (g_str_equal(k, "name") && c->c_info.name != NULL)
                    yajl_gen_string(g, (const unsigned char *)c->c_info.name,
                                    strlen(c->c_info.name));
                else
                    sim_json_emit(g, v->u.object.values[j]);
            }
            yajl_gen_map_close(g);
        } else {
            sim_json_emit(g, v);
        }
    }
    for (guint i = 0; i < G_N_ELEMENTS(sim_device_keys); i++)
        sim_json_emit_devices(g, sim_device_keys[i], c);
    yajl_gen_map_close(g);
    yajl_gen_get_buf(g, &buf, &len);
    out = g_strndup((const char *)buf, len);
    yajl_gen_free(g);
    yajl_tree_free(root);
    return out;
}

/* Begin a device transaction on a live domain: its config parsed into 'c'
 * (initialised here, disposed by the caller). */
static SimTxn *
sim_device_begin(XvHostSim *sim, const char *step, guint32 domid, const char *action,
                 SimDom **d_out, libxl_domain_config *c, int *rc, GError **error)
{
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;

    libxl_domain_config_init(c);
    t = sim_op_begin(sim, step, domid, &d, rc, error);
    if (t == NULL)
        return NULL;
    if (domid == 0) {
        *rc = sim_fail(error, ERROR_INVAL, _("Cannot %s Domain-0 through the toolstack."), action);
        sim_txn_finish(t);
        return NULL;
    }
    if (d->state != SIM_ACTIVE) {
        *rc = sim_refuse_state(d, action, error);
        sim_txn_finish(t);
        return NULL;
    }
    if (d->config_json == NULL || !sim_config_from_json(d->config_json, c, sim->cpus)) {
        *rc = sim_fail(error, ERROR_FAIL,
                       _("The stored configuration of domain '%1$s' (%2$u) is damaged."),
                       d->name, domid);
        sim_txn_finish(t);
        return NULL;
    }
    *d_out = d;
    return g_steal_pointer(&t);
}

/* Store 'c' back into the domain and commit. */
static int
sim_device_commit(SimTxn *t, SimDom *d, libxl_domain_config *c, GError **error)
{
    char *json = sim_config_json_update(d->config_json, c);

    if (json == NULL)
        return sim_op_end(t, sim_fail(error, ERROR_FAIL,
                                      _("The stored configuration of domain '%1$s' (%2$u) is damaged."),
                                      d->name, d->domid), error);
    g_free(d->config_json);
    d->config_json = json;
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

/* Append one zero-initialised element to a libxl device array. */
#define SIM_APPEND(arr, num) \
    ((arr) = realloc((arr), sizeof(*(arr)) * (size_t)((num) + 1)), &(arr)[(num)++])

/* Is PCI function / USB device already given to a domain on the host? */
static SimDom *
sim_find_device_owner(XvHostSim *sim, SimTxn *t, const XvHostDevice *dev)
{
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        SimDom *o = v;
        libxl_domain_config c;
        gboolean found = FALSE;

        if (o->state == SIM_DYING || o->config_json == NULL)
            continue;
        libxl_domain_config_init(&c);
        if (sim_config_from_json(o->config_json, &c, sim->cpus)) {
            if (dev->kind == XV_HOST_DEVICE_PCI) {
                for (int i = 0; i < c.num_pcidevs && !found; i++)
                    found = c.pcidevs[i].domain == dev->u.pci.domain &&
                            c.pcidevs[i].bus == dev->u.pci.bus &&
                            c.pcidevs[i].dev == dev->u.pci.dev &&
                            c.pcidevs[i].func == dev->u.pci.func;
            } else {
                for (int i = 0; i < c.num_usbdevs && !found; i++)
                    found = c.usbdevs[i].u.hostdev.hostbus == dev->u.usbdev.u.hostdev.hostbus &&
                            c.usbdevs[i].u.hostdev.hostaddr == dev->u.usbdev.u.hostdev.hostaddr;
            }
        }
        libxl_domain_config_dispose(&c);
        if (found)
            return o;
    }
    return NULL;
}

static int
sim_add_disk(XvHostSim *sim, SimDom *d, libxl_domain_config *c, libxl_device_disk *dk,
             GError **error)
{
    gboolean empty = dk->pdev_path == NULL || dk->pdev_path[0] == '\0' ||
                     dk->format == LIBXL_DISK_FORMAT_EMPTY;
    libxl_device_disk *slot;

    if (dk->vdev == NULL || dk->vdev[0] == '\0')
        return sim_fail(error, ERROR_INVAL,
                        _("Cannot attach a disk to domain '%s': it has no virtual device name."),
                        d->name);
    for (int i = 0; i < c->num_disks; i++)
        if (g_strcmp0(c->disks[i].vdev, dk->vdev) == 0)
            return sim_fail(error, ERROR_DEVICE_EXISTS,
                            _("Domain '%1$s' already has a disk '%2$s'."), d->name, dk->vdev);
    if (empty) {
        if (!dk->is_cdrom)
            return sim_fail(error, ERROR_INVAL,
                            _("Disk '%1$s' of domain '%2$s' has no source; only a cdrom may be empty."),
                            dk->vdev, d->name);
        dk->format = LIBXL_DISK_FORMAT_EMPTY;
    } else if (dk->backend_domid == 0 && dk->backend_domname == NULL && !sim_disk_is_remote(dk)) {
        if (!g_file_test(dk->pdev_path, G_FILE_TEST_EXISTS))
            return sim_fail(error, ERROR_INVAL,
                            _("Cannot attach disk '%1$s' to domain '%2$s': source '%3$s' does not exist."),
                            dk->vdev, d->name, dk->pdev_path);
        if (dk->format == LIBXL_DISK_FORMAT_UNKNOWN)
            dk->format = LIBXL_DISK_FORMAT_RAW;
    }
    slot = SIM_APPEND(c->disks, c->num_disks);
    libxl_device_disk_init(slot);
    slot->vdev = g_strdup(dk->vdev);
    slot->pdev_path = g_strdup(dk->pdev_path);
    slot->backend = dk->backend;
    slot->format = dk->format;
    slot->script = g_strdup(dk->script);
    slot->removable = dk->removable;
    slot->readwrite = dk->readwrite;
    slot->is_cdrom = dk->is_cdrom;
    slot->backend_domid = dk->backend_domid;
    slot->backend_domname = g_strdup(dk->backend_domname);
    return 0;
}

static int
sim_add_nic(XvHostSim *sim, SimDom *d, libxl_domain_config *c, libxl_device_nic *n,
            GError **error)
{
    static const uint8_t zero[6];
    libxl_device_nic *slot;
    int devid = 0;

    if (n->bridge == NULL)
        n->bridge = strdup("xenbr0");
    if (n->backend_domid == 0 && n->backend_domname == NULL && !sim_bridge_known(sim, n->bridge))
        return sim_fail(error, ERROR_INVAL,
                        _("Cannot attach an interface to domain '%1$s': bridge '%2$s' does not exist on the host."),
                        d->name, n->bridge);
    if (memcmp(n->mac, zero, sizeof(zero)) == 0) {
        n->mac[0] = 0x00;
        n->mac[1] = 0x16;
        n->mac[2] = 0x3e;
        n->mac[3] = (uint8_t)g_random_int_range(0, 128);
        n->mac[4] = (uint8_t)g_random_int_range(0, 256);
        n->mac[5] = (uint8_t)g_random_int_range(0, 256);
    }
    for (int i = 0; i < c->num_nics; i++) {
        if (memcmp(c->nics[i].mac, n->mac, 6) == 0) {
            g_autofree char *mac = g_strdup_printf(LIBXL_MAC_FMT, LIBXL_MAC_BYTES(n->mac));

            return sim_fail(error, ERROR_DEVICE_EXISTS,
                            _("Domain '%1$s' already has an interface with MAC %2$s."),
                            d->name, mac);
        }
        if (n->devid >= 0 && c->nics[i].devid == n->devid)
            return sim_fail(error, ERROR_DEVICE_EXISTS,
                            _("Domain '%1$s' already has an interface with devid %2$d."),
                            d->name, n->devid);
        if (c->nics[i].devid >= devid)
            devid = c->nics[i].devid + 1;
    }
    if (n->devid < 0)
        n->devid = devid;
    if (n->nictype == LIBXL_NIC_TYPE_UNKNOWN)
        n->nictype = d->type == LIBXL_DOMAIN_TYPE_HVM ? LIBXL_NIC_TYPE_VIF_IOEMU
                                                       : LIBXL_NIC_TYPE_VIF;
    slot = SIM_APPEND(c->nics, c->num_nics);
    libxl_device_nic_init(slot);
    slot->devid = n->devid;
    memcpy(slot->mac, n->mac, 6);
    slot->bridge = g_strdup(n->bridge);
    slot->ip = g_strdup(n->ip);
    slot->ifname = g_strdup(n->ifname);
    slot->script = g_strdup(n->script);
    slot->model = g_strdup(n->model);
    slot->nictype = n->nictype;
    slot->mtu = n->mtu;
    slot->backend_domid = n->backend_domid;
    slot->backend_domname = g_strdup(n->backend_domname);
    slot->rate_bytes_per_interval = n->rate_bytes_per_interval;
    slot->rate_interval_usecs = n->rate_interval_usecs;
    return 0;
}

static int
sim_add_usbctrl(SimDom *d, libxl_domain_config *c, libxl_device_usbctrl *u, GError **error)
{
    libxl_device_usbctrl *slot;
    int devid = 0;

    for (int i = 0; i < c->num_usbctrls; i++) {
        if (u->devid >= 0 && c->usbctrls[i].devid == u->devid)
            return sim_fail(error, ERROR_DEVICE_EXISTS,
                            _("Domain '%1$s' already has a USB controller with devid %2$d."),
                            d->name, u->devid);
        if (c->usbctrls[i].devid >= devid)
            devid = c->usbctrls[i].devid + 1;
    }
    if (u->devid < 0)
        u->devid = devid;
    if (u->version <= 0)
        u->version = 2;
    if (u->version != 1 && u->version != 2 && u->version != 3)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s': USB version %2$d is not supported."), d->name, u->version);
    if (u->ports <= 0)
        u->ports = 8;
    if (u->ports > 31)
        return sim_fail(error, ERROR_INVAL,
                        _("Domain '%1$s': a USB controller has at most 31 ports, not %2$d."),
                        d->name, u->ports);
    if (u->type == LIBXL_USBCTRL_TYPE_AUTO)
        u->type = d->type == LIBXL_DOMAIN_TYPE_HVM ? LIBXL_USBCTRL_TYPE_DEVICEMODEL
                                                    : LIBXL_USBCTRL_TYPE_QUSB;
    slot = SIM_APPEND(c->usbctrls, c->num_usbctrls);
    libxl_device_usbctrl_init(slot);
    slot->type = u->type;
    slot->devid = u->devid;
    slot->version = u->version;
    slot->ports = u->ports;
    return 0;
}

static int
sim_add_usbdev(XvHostSim *sim, SimTxn *t, SimDom *d, libxl_domain_config *c,
               libxl_device_usbdev *u, GError **error)
{
    XvHostDevice probe = { .kind = XV_HOST_DEVICE_USBDEV };
    libxl_device_usbdev *slot;
    SimDom *owner;
    int rc;

    probe.u.usbdev = *u;
    owner = sim_find_device_owner(sim, t, &probe);
    if (owner != NULL)
        return sim_fail(error, ERROR_DEVICE_EXISTS,
                        _("USB device %1$u.%2$u is already assigned to domain '%3$s' (%4$u)."),
                        u->u.hostdev.hostbus, u->u.hostdev.hostaddr, owner->name, owner->domid);
    if (u->ctrl < 0) {
        /* As libxl: the first controller with a free port, else a new one. */
        for (int i = 0; i < c->num_usbctrls && u->ctrl < 0; i++) {
            for (int port = 1; port <= c->usbctrls[i].ports && u->ctrl < 0; port++) {
                gboolean used = FALSE;

                for (int j = 0; j < c->num_usbdevs; j++)
                    used |= c->usbdevs[j].ctrl == c->usbctrls[i].devid &&
                            c->usbdevs[j].port == port;
                if (!used) {
                    u->ctrl = c->usbctrls[i].devid;
                    u->port = port;
                }
            }
        }
        if (u->ctrl < 0) {
            libxl_device_usbctrl ctrl;

            libxl_device_usbctrl_init(&ctrl);
            rc = sim_add_usbctrl(d, c, &ctrl, error);
            u->ctrl = ctrl.devid;
            u->port = 1;
            libxl_device_usbctrl_dispose(&ctrl);
            if (rc != 0)
                return rc;
        }
    } else {
        gboolean known = FALSE;

        for (int i = 0; i < c->num_usbctrls; i++)
            known |= c->usbctrls[i].devid == u->ctrl &&
                     u->port >= 1 && u->port <= c->usbctrls[i].ports;
        if (!known)
            return sim_fail(error, ERROR_INVAL,
                            _("Domain '%1$s' has no USB controller %2$d with port %3$d."),
                            d->name, u->ctrl, u->port);
        for (int j = 0; j < c->num_usbdevs; j++)
            if (c->usbdevs[j].ctrl == u->ctrl && c->usbdevs[j].port == u->port)
                return sim_fail(error, ERROR_DEVICE_EXISTS,
                                _("Port %1$d of USB controller %2$d of domain '%3$s' is in use."),
                                u->port, u->ctrl, d->name);
    }
    slot = SIM_APPEND(c->usbdevs, c->num_usbdevs);
    libxl_device_usbdev_init(slot);
    libxl_device_usbdev_init_type(slot, LIBXL_USBDEV_TYPE_HOSTDEV);
    slot->ctrl = u->ctrl;
    slot->port = u->port;
    slot->u.hostdev.hostbus = u->u.hostdev.hostbus;
    slot->u.hostdev.hostaddr = u->u.hostdev.hostaddr;
    return 0;
}

static int
sim_device_add(XvHost *host, uint32_t domid, XvHostDevice *dev, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    libxl_domain_config c;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_device_begin(sim, "device-add", domid, "attach a device to", &d, &c, &rc, error);
    if (t == NULL) {
        libxl_domain_config_dispose(&c);
        return rc;
    }
    switch (dev->kind) {
    case XV_HOST_DEVICE_DISK:
        rc = sim_add_disk(sim, d, &c, &dev->u.disk, error);
        break;
    case XV_HOST_DEVICE_NIC:
        rc = sim_add_nic(sim, d, &c, &dev->u.nic, error);
        break;
    case XV_HOST_DEVICE_PCI: {
        SimDom *owner;

        if (d->type == LIBXL_DOMAIN_TYPE_PVH) {
            rc = sim_fail(error, ERROR_INVAL,
                          _("Cannot assign a PCI device to domain '%s': PVH domains do not support PCI passthrough."),
                          d->name);
            break;
        }
        owner = sim_find_device_owner(sim, t, dev);
        if (owner != NULL) {
            rc = sim_fail(error, ERROR_DEVICE_EXISTS,
                          _("PCI device %1$04x:%2$02x:%3$02x.%4$x is already assigned to domain '%5$s' (%6$u)."),
                          (guint)dev->u.pci.domain, dev->u.pci.bus, dev->u.pci.dev,
                          dev->u.pci.func, owner->name, owner->domid);
            break;
        }
        {
            libxl_device_pci *slot = SIM_APPEND(c.pcidevs, c.num_pcidevs);

            libxl_device_pci_init(slot);
            slot->domain = dev->u.pci.domain;
            slot->bus = dev->u.pci.bus;
            slot->dev = dev->u.pci.dev;
            slot->func = dev->u.pci.func;
            slot->vdevfn = dev->u.pci.vdevfn;
            slot->permissive = dev->u.pci.permissive;
        }
        break;
    }
    case XV_HOST_DEVICE_USBDEV:
        rc = sim_add_usbdev(sim, t, d, &c, &dev->u.usbdev, error);
        break;
    case XV_HOST_DEVICE_USBCTRL:
        rc = sim_add_usbctrl(d, &c, &dev->u.usbctrl, error);
        break;
    }
    if (rc == 0)
        rc = sim_device_commit(t, d, &c, error);
    else
        sim_op_end(t, rc, NULL);
    libxl_domain_config_dispose(&c);
    return rc;
}

/* Remove element i of a libxl device array (disposing it). */
#define SIM_REMOVE(arr, num, i, dispose) \
    do { \
        dispose(&(arr)[(i)]); \
        memmove(&(arr)[(i)], &(arr)[(i) + 1], sizeof(*(arr)) * (size_t)((num) - (i) - 1)); \
        (num)--; \
    } while (0)

static int
sim_device_remove(XvHost *host, uint32_t domid, const XvHostDevice *dev, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    libxl_domain_config c;
    SimDom *d = NULL;
    int rc = 0, found = -1;

    t = sim_device_begin(sim, "device-remove", domid, "detach a device from", &d, &c, &rc, error);
    if (t == NULL) {
        libxl_domain_config_dispose(&c);
        return rc;
    }
    switch (dev->kind) {
    case XV_HOST_DEVICE_DISK:
        for (int i = 0; i < c.num_disks && found < 0; i++)
            if (g_strcmp0(c.disks[i].vdev, dev->u.disk.vdev) == 0)
                found = i;
        if (found >= 0)
            SIM_REMOVE(c.disks, c.num_disks, found, libxl_device_disk_dispose);
        break;
    case XV_HOST_DEVICE_NIC:
        for (int i = 0; i < c.num_nics && found < 0; i++)
            if (dev->u.nic.devid >= 0 ? c.nics[i].devid == dev->u.nic.devid
                                      : memcmp(c.nics[i].mac, dev->u.nic.mac, 6) == 0)
                found = i;
        if (found >= 0)
            SIM_REMOVE(c.nics, c.num_nics, found, libxl_device_nic_dispose);
        break;
    case XV_HOST_DEVICE_PCI:
        for (int i = 0; i < c.num_pcidevs && found < 0; i++)
            if (c.pcidevs[i].domain == dev->u.pci.domain && c.pcidevs[i].bus == dev->u.pci.bus &&
                c.pcidevs[i].dev == dev->u.pci.dev && c.pcidevs[i].func == dev->u.pci.func)
                found = i;
        if (found >= 0)
            SIM_REMOVE(c.pcidevs, c.num_pcidevs, found, libxl_device_pci_dispose);
        break;
    case XV_HOST_DEVICE_USBDEV:
        for (int i = 0; i < c.num_usbdevs && found < 0; i++)
            if (dev->u.usbdev.ctrl >= 0
                ? (c.usbdevs[i].ctrl == dev->u.usbdev.ctrl && c.usbdevs[i].port == dev->u.usbdev.port)
                : (c.usbdevs[i].u.hostdev.hostbus == dev->u.usbdev.u.hostdev.hostbus &&
                   c.usbdevs[i].u.hostdev.hostaddr == dev->u.usbdev.u.hostdev.hostaddr))
                found = i;
        if (found >= 0)
            SIM_REMOVE(c.usbdevs, c.num_usbdevs, found, libxl_device_usbdev_dispose);
        break;
    case XV_HOST_DEVICE_USBCTRL:
        for (int i = 0; i < c.num_usbctrls && found < 0; i++)
            if (c.usbctrls[i].devid == dev->u.usbctrl.devid)
                found = i;
        if (found >= 0) {
            /* libxl unplugs the devices on the controller first. */
            for (int j = c.num_usbdevs - 1; j >= 0; j--)
                if (c.usbdevs[j].ctrl == dev->u.usbctrl.devid)
                    SIM_REMOVE(c.usbdevs, c.num_usbdevs, j, libxl_device_usbdev_dispose);
            SIM_REMOVE(c.usbctrls, c.num_usbctrls, found, libxl_device_usbctrl_dispose);
        }
        break;
    }
    if (found < 0) {
        rc = sim_fail(error, ERROR_NOTFOUND,
                      _("Domain '%1$s' (%2$u) has no such device."), d->name, domid);
        sim_op_end(t, rc, NULL);
    } else {
        rc = sim_device_commit(t, d, &c, error);
    }
    libxl_domain_config_dispose(&c);
    return rc;
}

static int
sim_cdrom_insert(XvHost *host, uint32_t domid, libxl_device_disk *disk, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    libxl_domain_config c;
    SimDom *d = NULL;
    libxl_device_disk *cd = NULL;
    gboolean empty = disk->pdev_path == NULL || disk->pdev_path[0] == '\0' ||
                     disk->format == LIBXL_DISK_FORMAT_EMPTY;
    int rc = 0;

    t = sim_device_begin(sim, "cdrom-insert", domid, "change a cdrom of", &d, &c, &rc, error);
    if (t == NULL) {
        libxl_domain_config_dispose(&c);
        return rc;
    }
    for (int i = 0; i < c.num_disks && cd == NULL; i++)
        if (g_strcmp0(c.disks[i].vdev, disk->vdev) == 0)
            cd = &c.disks[i];
    if (d->type != LIBXL_DOMAIN_TYPE_HVM)
        rc = sim_fail(error, ERROR_INVAL,
                      _("Cannot change the medium of domain '%s': cdrom media change is only supported for HVM domains."),
                      d->name);
    else if (cd == NULL || !cd->is_cdrom)
        rc = sim_fail(error, ERROR_NOTFOUND, _("Domain '%1$s' has no cdrom '%2$s'."), d->name,
                      disk->vdev != NULL ? disk->vdev : "");
    else if (!empty && !g_file_test(disk->pdev_path, G_FILE_TEST_EXISTS))
        rc = sim_fail(error, ERROR_INVAL,
                      _("Cannot insert '%1$s' into cdrom '%2$s' of domain '%3$s': it does not exist."),
                      disk->pdev_path, disk->vdev, d->name);
    if (rc != 0) {
        sim_op_end(t, rc, NULL);
        libxl_domain_config_dispose(&c);
        return rc;
    }
    g_free(cd->pdev_path);
    cd->pdev_path = empty ? NULL : g_strdup(disk->pdev_path);
    cd->format = empty ? LIBXL_DISK_FORMAT_EMPTY
                       : (disk->format != LIBXL_DISK_FORMAT_UNKNOWN ? disk->format
                                                                     : LIBXL_DISK_FORMAT_RAW);
    rc = sim_device_commit(t, d, &c, error);
    libxl_domain_config_dispose(&c);
    return rc;
}

static int
sim_domain_rename(XvHost *host, uint32_t domid, const char *old_name, const char *new_name,
                  GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    libxl_domain_config c;
    GHashTableIter it;
    gpointer v;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "rename", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (domid == 0)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL, _("Domain-0 cannot be renamed.")), error);
    if (old_name != NULL && !g_str_equal(d->name, old_name))
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot rename domain %1$u: it is named '%2$s', not '%3$s'."),
                                      domid, d->name, old_name), error);
    if (new_name == NULL || *new_name == '\0')
        return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                      _("Cannot rename domain '%s' to an empty name."), d->name),
                          error);
    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        SimDom *o = v;

        if (o != d && o->state != SIM_DYING && g_str_equal(o->name, new_name))
            return sim_op_end(t, sim_fail(error, ERROR_INVAL,
                                          _("Cannot rename domain '%1$s': a domain named '%2$s' already exists (domain %3$u)."),
                                          d->name, new_name, o->domid), error);
    }
    libxl_domain_config_init(&c);
    if (d->config_json != NULL && sim_config_from_json(d->config_json, &c, sim->cpus)) {
        g_autofree char *json = NULL;

        g_free(c.c_info.name);
        c.c_info.name = g_strdup(new_name);
        json = sim_config_json_update(d->config_json, &c);
        if (json != NULL) {
            g_free(d->config_json);
            d->config_json = g_steal_pointer(&json);
        }
    }
    libxl_domain_config_dispose(&c);
    g_free(d->name);
    d->name = g_strdup(new_name);
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

static int
sim_domain_preserve(XvHost *host, uint32_t domid, const char *name, const char *suffix,
                    const libxl_uuid *new_uuid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autofree char *new_name = g_strconcat(name, suffix, NULL);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc;

    /* The rename (its own transaction, step "rename"), then the new uuid. */
    rc = sim_domain_rename(host, domid, name, new_name, error);
    if (rc != 0)
        return rc;
    t = sim_op_begin(sim, NULL, domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    memcpy(&d->uuid, new_uuid, sizeof(d->uuid));
    d->dirty = TRUE;
    return sim_op_end(t, 0, error);
}

/* ---- the host's boot ---------------------------------------------------- */

static int
sim_get_boot_id(XvHost *host, char **out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autofree char *path = g_build_filename(sim->dir, "boot-id", NULL);
    g_autofree char *id = NULL;
    int rc;

    *out = NULL;
    if ((rc = sim_fault_check(sim, "boot-id", error)) != 0)
        return rc;
    sim_lock(sim);
    if (!g_file_get_contents(path, &id, NULL, NULL)) {
        id = g_uuid_string_random();
        if (!xv_file_write_atomic(path, id, -1, 0644, error)) {
            sim_unlock(sim);
            return ERROR_FAIL;
        }
    }
    sim_unlock(sim);
    *out = g_strdup(g_strstrip(id));
    return 0;
}

gboolean
xv_host_sim_kill_at_step(XvHost *host, const char *step, uint32_t domid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    SimKill *k;

    if (!sim_step_known(step)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("The simulated host has no step '%s'."), step);
        return FALSE;
    }
    k = g_new0(SimKill, 1);
    k->step = g_strdup(step);
    k->domid = domid;
    g_mutex_lock(&sim->lock);
    g_ptr_array_add(sim->kills, k);
    g_mutex_unlock(&sim->lock);
    return TRUE;
}

int
xv_host_sim_reboot_host(XvHost *host, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    g_autofree char *path = g_build_filename(sim->dir, "boot-id", NULL);
    g_autofree char *id = g_uuid_string_random();
    g_autoptr(GArray) gone = g_array_new(FALSE, FALSE, sizeof(guint32));
    GHashTableIter it;
    gpointer k;

    if (t == NULL)
        return ERROR_FAIL;
    /* Every guest goes with the hypervisor; Domain-0 comes back. */
    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        guint32 domid = GPOINTER_TO_UINT(k);

        if (domid != 0)
            g_array_append_val(gone, domid);
    }
    for (guint i = 0; i < gone->len; i++)
        sim_txn_remove(t, g_array_index(gone, guint32, i));
    if (!xv_file_write_atomic(path, id, -1, 0644, error)) {
        sim_txn_finish(t);
        return ERROR_FAIL;
    }
    return sim_txn_commit(t, error) ? 0 : ERROR_FAIL;
}

/* ---- host-wide queries -------------------------------------------------- */

static void
sim_fill_dominfo(SimDom *d, gint64 now, libxl_dominfo *out)
{
    libxl_dominfo_init(out);
    memcpy(&out->uuid, &d->uuid, sizeof(d->uuid));
    out->domid = d->domid;
    out->running = sim_dom_is_running(d);
    out->blocked = FALSE;
    out->paused = d->state == SIM_BUILDING || (d->state == SIM_ACTIVE && d->paused);
    out->shutdown = d->state == SIM_SHUTDOWN;
    out->dying = d->state == SIM_DYING;
    out->shutdown_reason = d->state == SIM_SHUTDOWN ? d->reason : LIBXL_SHUTDOWN_REASON_UNKNOWN;
    out->current_memkb = sim_dom_mem_now(d, now);
    out->max_memkb = d->max_kb;
    out->cpu_time = sim_dom_cpu_ns(d, now);
    out->vcpu_max_id = d->max_vcpus - 1;
    out->vcpu_online = xv_bitmap_count(d->online);
    out->cpupool = 0;
    out->gpaddr_bits = 52;
    out->domain_type = d->type;
}

static int
sim_domain_info(XvHost *host, uint32_t domid, libxl_dominfo *out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    libxl_dominfo_init(out);
    t = sim_op_begin(sim, "domain-info", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    sim_fill_dominfo(d, t->now, out);
    return sim_op_end(t, 0, error);
}

static gint
sim_cmp_domid(gconstpointer a, gconstpointer b)
{
    guint32 x = GPOINTER_TO_UINT(*(gpointer *)a), y = GPOINTER_TO_UINT(*(gpointer *)b);

    return x < y ? -1 : x > y;
}

static int
sim_list_domains(XvHost *host, libxl_dominfo **out, int *n_out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    g_autoptr(GPtrArray) ids = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    libxl_dominfo *list;
    int rc;

    *out = NULL;
    *n_out = 0;
    if (t == NULL)
        return ERROR_FAIL;
    if ((rc = sim_fault_check_locked(sim, "list-domains", error)) != 0) {
        sim_txn_finish(t);
        return rc;
    }
    g_hash_table_iter_init(&it, t->doms);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(ids, k);
    g_ptr_array_sort(ids, sim_cmp_domid);
    list = calloc(MAX(1u, ids->len), sizeof(*list));
    if (list == NULL)
        g_error("out of memory listing %u domains", ids->len);
    for (guint i = 0; i < ids->len; i++)
        sim_fill_dominfo(sim_txn_lookup(t, GPOINTER_TO_UINT(ids->pdata[i])), t->now, &list[i]);
    *out = list;
    *n_out = (int)ids->len;
    sim_txn_finish(t);
    return 0;
}

static int
sim_get_physinfo(XvHost *host, libxl_physinfo *out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = sim_txn_begin(sim, error);
    int rc;

    libxl_physinfo_init(out);
    if (t == NULL)
        return ERROR_FAIL;
    if ((rc = sim_fault_check_locked(sim, "physinfo", error)) != 0) {
        sim_txn_finish(t);
        return rc;
    }
    out->threads_per_core = 1;
    out->cores_per_socket = sim->cpus / sim->nodes;
    out->max_cpu_id = sim->cpus - 1;
    out->nr_cpus = sim->cpus;
    out->cpu_khz = 2400000;
    out->total_pages = sim->memory_kb / 4;
    out->free_pages = sim_txn_free_kb(t) / 4;
    out->max_possible_mfn = out->total_pages;
    out->nr_nodes = sim->nodes;
    out->cap_hvm = TRUE;
    out->cap_pv = TRUE;
    out->cap_hvm_directio = TRUE;
    out->cap_hap = TRUE;
    out->cap_shadow = TRUE;
    out->cap_iommu_hap_pt_share = TRUE;
    out->cap_gnttab_v1 = TRUE;
    out->cap_gnttab_v2 = FALSE;
    sim_txn_finish(t);
    return 0;
}

static int
sim_get_version(XvHost *host, libxl_version_info *out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    int rc;

    libxl_version_info_init(out);
    if ((rc = sim_fault_check(sim, "version", error)) != 0)
        return rc;
    out->xen_version_major = 4;
    out->xen_version_minor = 17;
    out->xen_version_extra = strdup(".0-sim");
    out->compiler = strdup("gcc (Debian 12.2.0-14) 12.2.0");
    out->compile_by = strdup("xenvirt");
    out->compile_domain = strdup("simulated");
    out->compile_date = strdup("Thu Jan  1 00:00:00 UTC 2025");
    out->capabilities = strdup("xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64");
    out->changeset = strdup("simulated");
    out->virt_start = 0xffff800000000000ull;
    out->pagesize = 4096;
    out->commandline = g_strdup_printf("placeholder dom0_mem=%lluM,max:%lluM dom0_max_vcpus=%u",
                                       (unsigned long long)(sim->dom0_memory_kb / SIM_KIB_PER_MIB),
                                       (unsigned long long)(sim->dom0_memory_kb / SIM_KIB_PER_MIB),
                                       sim->dom0_vcpus);
    out->build_id = strdup("");
    return 0;
}

static int
sim_get_scheduler(XvHost *host, libxl_scheduler *out, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    int rc;

    if ((rc = sim_fault_check(sim, "scheduler", error)) != 0)
        return rc;
    *out = sim->sched;
    return 0;
}

/* ---- events ------------------------------------------------------------- */

static int
sim_watch_domain(XvHost *host, uint32_t domid, GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, "watch", domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (!g_hash_table_contains(sim->watched, GUINT_TO_POINTER(domid)))
        g_hash_table_insert(sim->watched, GUINT_TO_POINTER(domid), g_new0(SimWatch, 1));
    /* The commit posts what is already true (shut down, dying). */
    g_cond_signal(&sim->timer_cond);
    return sim_op_end(t, 0, error);
}

static void
sim_unwatch_domain(XvHost *host, uint32_t domid)
{
    XvHostSim *sim = sim_from_host(host);

    g_mutex_lock(&sim->lock);
    g_hash_table_remove(sim->watched, GUINT_TO_POINTER(domid));
    g_mutex_unlock(&sim->lock);
}

/* Posts what time does to watched domains while nobody calls the host:
 * wakes at the next due event and every SIM_POLL_US for changes made by
 * other processes. */
static gpointer
sim_timer_main(gpointer data)
{
    XvHostSim *sim = data;

    g_mutex_lock(&sim->lock);
    while (!sim->stopping) {
        gint64 wake;

        if (g_hash_table_size(sim->watched) == 0) {
            g_cond_wait(&sim->timer_cond, &sim->lock);
            continue;
        }
        wake = g_get_monotonic_time() + SIM_POLL_US;
        if (sim->next_due > 0)
            wake = MIN(wake, g_get_monotonic_time() + MAX(0, sim->next_due - g_get_real_time()) + 1000);
        if (g_cond_wait_until(&sim->timer_cond, &sim->lock, wake) || sim->stopping)
            continue;   /* signalled: something changed, recompute */
        g_mutex_unlock(&sim->lock);
        {
            g_autoptr(GError) e = NULL;
            g_autoptr(SimTxn) t = sim_txn_begin(sim, &e);

            if (t == NULL)
                g_warning("simulated host %s: %s", sim->dir, e->message);
            else
                sim_txn_finish(t);
        }
        g_mutex_lock(&sim->lock);
    }
    g_mutex_unlock(&sim->lock);
    return NULL;
}

/* ---- control API -------------------------------------------------------- */

int
xv_host_sim_set_behaviour(XvHost *host, uint32_t domid, const XvHostSimBehaviour *b,
                          GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, NULL, domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (d->state == SIM_ACTIVE) {
        sim_dom_materialise(d, t->now);
        sim_dom_apply_behaviour(d, b, t->now, sim->speed);
    } else {
        /* Timers start when the build finishes. */
        d->shutdown_mode = b->shutdown;
        d->shutdown_delay_ms = b->shutdown_delay_ms;
        d->balloon_mib_per_s = b->balloon_mib_per_s;
        d->dirty = TRUE;
    }
    return sim_op_end(t, 0, error);
}

int
xv_host_sim_get_behaviour(XvHost *host, uint32_t domid, XvHostSimBehaviour *out,
                          GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, NULL, domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    out->shutdown = d->shutdown_mode;
    out->shutdown_delay_ms = d->shutdown_delay_ms;
    out->crash_after_ms = d->crash_after_ms;
    out->poweroff_after_ms = d->poweroff_after_ms;
    out->reboot_after_ms = d->reboot_after_ms;
    out->balloon_mib_per_s = d->balloon_mib_per_s;
    return sim_op_end(t, 0, error);
}

int
xv_host_sim_guest_shutdown(XvHost *host, uint32_t domid, libxl_shutdown_reason reason,
                           GError **error)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(SimTxn) t = NULL;
    SimDom *d = NULL;
    int rc = 0;

    t = sim_op_begin(sim, NULL, domid, &d, &rc, error);
    if (t == NULL)
        return rc;
    if (domid == 0)
        return sim_op_end(t, sim_fail(error, ERROR_INVAL, _("Domain-0 cannot shut down in the simulation.")),
                          error);
    if (d->state != SIM_ACTIVE)
        return sim_op_end(t, sim_refuse_state(d, "shut down", error), error);
    sim_dom_enter_shutdown(d, reason, t->now);
    return sim_op_end(t, 0, error);
}

int
xv_host_sim_crash(XvHost *host, uint32_t domid, GError **error)
{
    return xv_host_sim_guest_shutdown(host, domid, LIBXL_SHUTDOWN_REASON_CRASH, error);
}

int
xv_host_sim_poweroff(XvHost *host, uint32_t domid, GError **error)
{
    return xv_host_sim_guest_shutdown(host, domid, LIBXL_SHUTDOWN_REASON_POWEROFF, error);
}

guint64
xv_host_sim_free_memory_kb(XvHost *host)
{
    XvHostSim *sim = sim_from_host(host);
    g_autoptr(GError) e = NULL;
    g_autoptr(SimTxn) t = sim_txn_begin(sim, &e);
    guint64 free_kb;

    if (t == NULL) {
        g_warning("simulated host %s: %s", sim->dir, e->message);
        return 0;
    }
    free_kb = sim_txn_free_kb(t);
    sim_txn_finish(t);
    return free_kb;
}

/* ---- open and close ----------------------------------------------------- */

static void
sim_close(XvHost *host)
{
    XvHostSim *sim = (XvHostSim *)host;

    if (sim->timer != NULL) {
        g_mutex_lock(&sim->lock);
        sim->stopping = TRUE;
        g_cond_signal(&sim->timer_cond);
        g_mutex_unlock(&sim->lock);
        g_thread_join(sim->timer);
    }
    if (sim->lock_fd >= 0)
        close(sim->lock_fd);
    g_clear_pointer(&sim->faults, g_ptr_array_unref);
    g_clear_pointer(&sim->kills, g_ptr_array_unref);
    g_clear_pointer(&sim->watched, g_hash_table_unref);
    g_clear_pointer(&sim->conf, g_key_file_unref);
    g_strfreev(sim->bridges);
    g_free(sim->env_guest);
    g_free(sim->dir);
    g_free(sim->domains_dir);
    g_free(sim->state_path);
    g_free(sim->faults_path);
    g_mutex_clear(&sim->lock);
    g_cond_clear(&sim->timer_cond);
    g_free(sim);
}

static gboolean
sim_conf_uint(XvHostSim *sim, const char *key, guint64 def, guint64 min, guint64 max,
              guint64 *out, GError **error)
{
    g_autofree char *val = g_key_file_get_value(sim->conf, "host", key, NULL);
    guint64 v;

    if (val == NULL) {
        *out = def;
        return TRUE;
    }
    if (!g_ascii_string_to_unsigned(g_strstrip(val), 10, min, max, &v, NULL)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Bad %1$s '%2$s' in '%3$s/host.conf': expected a number from %4$llu to %5$llu."),
                    key, val, sim->dir, (unsigned long long)min, (unsigned long long)max);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

static gboolean
sim_parse_speed(const char *text, double *out)
{
    char *end = NULL;
    double v = g_ascii_strtod(text, &end);

    if (end == text || *end != '\0' || !(v >= 0) || v > 1000)
        return FALSE;
    *out = v;
    return TRUE;
}

static gboolean
sim_load_conf(XvHostSim *sim, GError **error)
{
    g_autofree char *path = g_build_filename(sim->dir, "host.conf", NULL);
    g_autofree char *sched = NULL;
    g_autofree char *speed = NULL;
    g_autoptr(GError) e = NULL;
    guint64 v, mem_mib, dom0_mib;

    sim->conf = g_key_file_new();
    if (!g_key_file_load_from_file(sim->conf, path, G_KEY_FILE_NONE, &e) &&
        !g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Cannot read the simulated host's configuration '%1$s': %2$s"), path,
                    e->message);
        return FALSE;
    }
    if (!sim_conf_uint(sim, "cpus", 8, 1, XV_BITMAP_MAX_BITS, &v, error))
        return FALSE;
    sim->cpus = (guint)v;
    if (!sim_conf_uint(sim, "nodes", 1, 1, sim->cpus, &v, error))
        return FALSE;
    sim->nodes = (guint)v;
    if (!sim_conf_uint(sim, "memory_mib", 65536, 256, 16ull * 1024 * 1024, &mem_mib, error))
        return FALSE;
    sim->memory_kb = mem_mib * SIM_KIB_PER_MIB;
    if (!sim_conf_uint(sim, "dom0_memory_mib", MIN(4096, mem_mib / 4), 64, mem_mib, &dom0_mib, error))
        return FALSE;
    sim->dom0_memory_kb = dom0_mib * SIM_KIB_PER_MIB;
    if (!sim_conf_uint(sim, "dom0_vcpus", MIN(sim->cpus, SIM_VCPU_LIMIT), 1, SIM_VCPU_LIMIT, &v, error))
        return FALSE;
    sim->dom0_vcpus = (guint)v;
    if (!sim_conf_uint(sim, "max_vcpus", SIM_VCPU_LIMIT, 1, SIM_VCPU_LIMIT, &v, error))
        return FALSE;
    sim->max_vcpus = (guint)v;
    sched = g_key_file_get_string(sim->conf, "host", "scheduler", NULL);
    sim->sched = LIBXL_SCHEDULER_CREDIT;
    if (sched != NULL) {
        g_strstrip(sched);
        if (g_str_equal(sched, "credit"))
            sim->sched = LIBXL_SCHEDULER_CREDIT;
        else if (g_str_equal(sched, "credit2"))
            sim->sched = LIBXL_SCHEDULER_CREDIT2;
        else if (g_str_equal(sched, "rtds"))
            sim->sched = LIBXL_SCHEDULER_RTDS;
        else {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("Bad scheduler '%1$s' in '%2$s': use credit, credit2 or rtds."), sched, path);
            return FALSE;
        }
    }
    sim->speed = 1.0;
    speed = g_key_file_get_value(sim->conf, "host", "speed", NULL);
    if (speed != NULL && !sim_parse_speed(g_strstrip(speed), &sim->speed)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Bad speed '%1$s' in '%2$s': expected a number from 0 to 1000."), speed, path);
        return FALSE;
    }
    sim->bridges = g_key_file_get_string_list(sim->conf, "host", "bridges", NULL, NULL);
    if (sim->bridges == NULL)
        sim->bridges = g_strsplit(SIM_DEFAULT_BRIDGES, ";", -1);
    return TRUE;
}

static gboolean
sim_load_env(XvHostSim *sim, GError **error)
{
    const char *speed = g_getenv("XV_SIM_SPEED");
    const char *faults = g_getenv("XV_SIM_FAULT");

    if (speed != NULL && !sim_parse_speed(speed, &sim->speed)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("Bad XV_SIM_SPEED '%s': expected a number from 0 to 1000."), speed);
        return FALSE;
    }
    sim->env_guest = g_strdup(g_getenv("XV_SIM_GUEST"));
    if (faults != NULL) {
        g_auto(GStrv) specs = g_strsplit_set(faults, ", \n", -1);

        for (guint i = 0; specs[i] != NULL; i++) {
            if (*specs[i] == '\0')
                continue;
            if (!xv_host_sim_fault_arm_spec(&sim->parent, specs[i], error)) {
                xv_error_prefix(error, "XV_SIM_FAULT: ");
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* A new host: the domid counter and Domain-0.  Lock held. */
static gboolean
sim_init_host(XvHostSim *sim, GError **error)
{
    libxl_domain_config c;
    XvHostSimBehaviour b;
    g_autoptr(SimDom) d = NULL;
    g_autofree char *path = sim_dom_path(sim, 0);
    g_autofree char *data = NULL;
    gint64 now = g_get_real_time();
    gsize len;
    gboolean ok;

    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c.c_info.name = strdup("Domain-0");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PV);
    c.b_info.max_vcpus = (int)sim->dom0_vcpus;
    xv_host_bitmap_alloc(&c.b_info.avail_vcpus, sim->dom0_vcpus);
    for (guint i = 0; i < sim->dom0_vcpus; i++)
        libxl_bitmap_set(&c.b_info.avail_vcpus, (int)i);
    c.b_info.max_memkb = sim->dom0_memory_kb;
    c.b_info.target_memkb = sim->dom0_memory_kb;
    d = sim_dom_new(sim, 0, &c, now);
    libxl_domain_config_dispose(&c);
    d->state = SIM_ACTIVE;
    d->paused = FALSE;
    xv_host_sim_behaviour_init(&b);
    b.shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
    sim_dom_apply_behaviour(d, &b, now, sim->speed);
    sim_dom_state_changed(d, now);
    data = sim_dom_to_data(sim, d, &len);
    ok = xv_file_write_atomic(path, data, (gssize)len, 0644, error) &&
         sim_write_host_state(sim, 1, error);
    return ok;
}

XvHost *
xv_host_sim_open(const char *dir, GError **error)
{
    XvHostSim *sim = g_new0(XvHostSim, 1);
    g_autoptr(XvHost) host = &sim->parent;
    g_autofree char *lock_path = NULL;
    gboolean ok = TRUE;

    sim->parent.ops = &sim_ops;
    sim->lock_fd = -1;
    g_mutex_init(&sim->lock);
    g_cond_init(&sim->timer_cond);
    sim->faults = g_ptr_array_new_with_free_func(sim_fault_free);
    sim->kills = g_ptr_array_new_with_free_func(sim_kill_free);
    sim->watched = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    sim->dir = g_canonicalize_filename(dir, NULL);
    sim->domains_dir = g_build_filename(sim->dir, "domains", NULL);
    sim->state_path = g_build_filename(sim->dir, "host.state", NULL);
    sim->faults_path = g_build_filename(sim->dir, "faults", NULL);
    lock_path = g_build_filename(sim->dir, "lock", NULL);

    if (!xv_file_mkdir(sim->domains_dir, 0755, error) || !sim_load_conf(sim, error) ||
        !sim_load_env(sim, error))
        goto fail;
    sim->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (sim->lock_fd < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot open the simulated host's lock file '%1$s': %2$s."), lock_path,
                    g_strerror(errno));
        goto fail;
    }
    sim_lock(sim);
    if (!g_file_test(sim->state_path, G_FILE_TEST_EXISTS))
        ok = sim_init_host(sim, error);
    sim_unlock(sim);
    if (!ok)
        goto fail;
    {
        /* Check now that the state can be read. */
        g_autoptr(SimTxn) t = sim_txn_begin(sim, error);

        if (t == NULL) {
            xv_error_prefix(error, _("Cannot open the simulated host in '%s': "), sim->dir);
            goto fail;
        }
        sim_txn_finish(t);
    }
    sim->timer = g_thread_new("xv-sim-timer", sim_timer_main, sim);
    return g_steal_pointer(&host);

 fail:
    return NULL;
}

static const XvHostOps sim_ops = {
    .name = "sim",
    .close = sim_close,
    .get_physinfo = sim_get_physinfo,
    .get_version = sim_get_version,
    .get_scheduler = sim_get_scheduler,
    .list_domains = sim_list_domains,
    .domain_info = sim_domain_info,
    .create_new = sim_create_new,
    .create_restore = sim_create_restore,
    .destroy = sim_destroy,
    .shutdown = sim_shutdown,
    .reboot = sim_reboot,
    .pause = sim_pause,
    .unpause = sim_unpause,
    .suspend = sim_suspend,
    .core_dump = sim_core_dump,
    .set_vcpu_affinity = sim_set_vcpu_affinity,
    .list_vcpus = sim_list_vcpus,
    .set_vcpus_online = sim_set_vcpus_online,
    .set_memory_target = sim_set_memory_target,
    .set_max_memory = sim_set_max_memory,
    .sched_params_get = sim_sched_params_get,
    .sched_params_set = sim_sched_params_set,
    .retrieve_config = sim_retrieve_config,
    .watch_domain = sim_watch_domain,
    .unwatch_domain = sim_unwatch_domain,
    .device_add = sim_device_add,
    .device_remove = sim_device_remove,
    .cdrom_insert = sim_cdrom_insert,
    .domain_rename = sim_domain_rename,
    .domain_preserve = sim_domain_preserve,
    .get_boot_id = sim_get_boot_id,
};
