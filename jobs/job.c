/* job.c: the per-domain job state machine (contract in job.h). */
#include "jobs/job.h"

#include <glib/gi18n.h>
#include <string.h>

#include "util/xv-error.h"

XV_ENUM_IMPL(xv_job, XvJob, XV_JOB_LAST,
             "none", "query", "modify", "suspend", "destroy", "abort")
XV_ENUM_IMPL(xv_async_job, XvAsyncJob, XV_ASYNC_JOB_LAST,
             "none", "start", "save", "restore", "migration-out", "migration-in", "dump")
XV_ENUM_IMPL(xv_job_result, XvJobResult, XV_JOB_RESULT_LAST,
             "none", "completed", "failed", "cancelled")
XV_ENUM_IMPL(xv_job_event, XvJobEvent, XV_JOB_EVENT_LAST,
             "started", "progress", "completed")

/* The throughput estimator's window and smoothing weight (see job.h). */
#define ETA_WINDOW_US (250 * G_TIME_SPAN_MILLISECOND)
#define ETA_WEIGHT 0.3

guint
xv_async_job_default_mask(XvAsyncJob type)
{
    guint mask = XV_JOB_MASK(XV_JOB_QUERY) | XV_JOB_MASK(XV_JOB_ABORT);

    if (type == XV_ASYNC_JOB_MIGRATION_OUT)
        mask |= XV_JOB_MASK(XV_JOB_MODIFY) | XV_JOB_MASK(XV_JOB_SUSPEND);
    return mask;
}

/* ---- host ---- */

struct _XvJobHost {
    GMutex lock;
    GCond cond;                  /* broadcast when capacity or the queue changes */
    guint max_async;             /* lock; 0: no limit */
    guint running;               /* lock */
    GQueue tickets;              /* lock; FIFO of waiters' stack links */
    gint64 default_wait_us;      /* atomic: may change while jobs run (SIGHUP) */
    guint max_waiters;           /* atomic: likewise */
    /* immutable once a slot uses the host: */
    XvJobListener listener;
    gpointer listener_data;
    XvJobClockFunc clock;
    gpointer clock_data;
};

static gint64
default_clock(gpointer data)
{
    return g_get_monotonic_time();
}

XvJobHost *
xv_job_host_new(guint max_async)
{
    XvJobHost *host = g_new0(XvJobHost, 1);

    g_mutex_init(&host->lock);
    g_cond_init(&host->cond);
    g_queue_init(&host->tickets);
    host->max_async = max_async;
    host->default_wait_us = XV_JOB_DEFAULT_WAIT_US;
    host->max_waiters = XV_JOB_DEFAULT_MAX_WAITERS;
    host->clock = default_clock;
    return host;
}

void
xv_job_host_free(XvJobHost *host)
{
    if (host == NULL)
        return;
    g_warn_if_fail(host->running == 0 && host->tickets.length == 0);
    g_mutex_clear(&host->lock);
    g_cond_clear(&host->cond);
    g_free(host);
}

void
xv_job_host_set_max_async(XvJobHost *host, guint max_async)
{
    g_mutex_lock(&host->lock);
    host->max_async = max_async;
    g_cond_broadcast(&host->cond);
    g_mutex_unlock(&host->lock);
}

void
xv_job_host_set_default_wait(XvJobHost *host, gint64 wait_us)
{
    g_return_if_fail(wait_us >= 0);
    __atomic_store_n(&host->default_wait_us, wait_us, __ATOMIC_RELAXED);
}

void
xv_job_host_set_max_waiters(XvJobHost *host, guint max_waiters)
{
    g_atomic_int_set(&host->max_waiters, max_waiters);
}

void
xv_job_host_set_listener(XvJobHost *host, XvJobListener listener, gpointer user_data)
{
    host->listener = listener;
    host->listener_data = user_data;
}

void
xv_job_host_set_clock(XvJobHost *host, XvJobClockFunc clock, gpointer data)
{
    host->clock = clock != NULL ? clock : default_clock;
    host->clock_data = data;
}

void
xv_job_host_get_counts(XvJobHost *host, guint *running, guint *queued)
{
    g_mutex_lock(&host->lock);
    if (running != NULL)
        *running = host->running;
    if (queued != NULL)
        *queued = host->tickets.length;
    g_mutex_unlock(&host->lock);
}

static gint64
host_now(XvJobHost *host)
{
    return host->clock(host->clock_data);
}

typedef enum {
    HOST_GRANTED,
    HOST_ABORTED,
    HOST_TIMEOUT,
} HostWait;

/* Waits in FIFO order for a unit of async capacity.  *aborted is the slot's
 * abort flag: set (atomically) by an abort, which then kicks the host cond. */
static HostWait
host_acquire(XvJobHost *host, gint *aborted, gint64 deadline)
{
    GList ticket = { NULL, NULL, NULL };
    gboolean timed_out = FALSE;
    HostWait res;

    g_mutex_lock(&host->lock);
    g_queue_push_tail_link(&host->tickets, &ticket);
    for (;;) {
        if (g_atomic_int_get(aborted)) {
            res = HOST_ABORTED;
            break;
        }
        if (host->tickets.head == &ticket &&
            (host->max_async == 0 || host->running < host->max_async)) {
            host->running++;
            res = HOST_GRANTED;
            break;
        }
        if (timed_out) {
            res = HOST_TIMEOUT;
            break;
        }
        if (!g_cond_wait_until(&host->cond, &host->lock, deadline))
            timed_out = TRUE;
    }
    g_queue_unlink(&host->tickets, &ticket);
    /* The head changed: the next ticket may be able to go. */
    g_cond_broadcast(&host->cond);
    g_mutex_unlock(&host->lock);
    return res;
}

static void
host_release(XvJobHost *host)
{
    g_mutex_lock(&host->lock);
    g_warn_if_fail(host->running > 0);
    host->running--;
    g_cond_broadcast(&host->cond);
    g_mutex_unlock(&host->lock);
}

static void
host_kick(XvJobHost *host)
{
    g_mutex_lock(&host->lock);
    g_cond_broadcast(&host->cond);
    g_mutex_unlock(&host->lock);
}

/* ---- slot ---- */

typedef enum {
    ASYNC_IDLE,
    ASYNC_QUEUED,      /* owns the slot's async position, waits for the host */
    ASYNC_RUNNING,
} AsyncState;

struct _XvJobHold {
    XvJobSlot *slot;             /* immutable */
    gboolean is_async;           /* immutable */
    XvJob job;                   /* immutable; sync holds */
    XvAsyncJob async_type;       /* immutable; async holds */
    char *label;                 /* immutable */
    gint64 started;              /* immutable; host clock */
    GList link;                  /* QUERY holds: in priv->queries (slot lock) */
};

/* A thread waiting in a begin; lives on that thread's stack. */
typedef struct {
    GList link;                  /* in priv->waiters; data = the waiter */
    gboolean is_async;
    XvJob job;
    XvAsyncJob async_type;
    const char *label;
    gint64 since;                /* host clock */
} Waiter;

typedef struct _XvJobSlotPriv {
    XvJobSlot *slot;             /* immutable */
    XvJobHost *host;             /* immutable */
    gpointer owner;              /* immutable */
    GMutex lock;                 /* leaf lock; held for microseconds */
    GCond cond;                  /* broadcast on every change of the fields below */

    /* All fields below are protected by lock. */
    GQueue waiters;              /* Waiter links, oldest first */
    guint n_destroy_waiting;
    XvJobHold *excl;             /* MODIFY, SUSPEND or DESTROY holder */
    GQueue queries;              /* QUERY holds, oldest first */
    guint n_aborts;              /* ABORT holds */

    XvJobHold *async;            /* NULL when async_state == ASYNC_IDLE */
    AsyncState async_state;
    guint mask;
    gint aborted;                /* written under lock; read atomically by host_acquire */
    gboolean abort_func_called;
    XvJobAbortFunc abort_func;
    gpointer abort_data;
    guint abort_inflight;        /* abort callbacks running now */
    char *phase;
    gint64 started_wall;
    gboolean has_data;
    guint64 data_total;
    guint64 data_processed;
    gboolean has_mem;
    guint64 mem_total;
    guint64 mem_processed;
    gboolean win_started;        /* ETA estimator window */
    gint64 win_time;
    guint64 win_processed;
    gboolean has_rate;
    double rate;                 /* bytes per second, smoothed */
    GHashTable *record_data;     /* char* -> char*; while an async job is on the slot */

    gboolean has_completed;
    XvJobInfo completed;
} XvJobSlotPriv;

void
xv_job_slot_init(XvJobSlot *slot, XvJobHost *host, gpointer owner)
{
    XvJobSlotPriv *priv;

    g_return_if_fail(slot != NULL && host != NULL);
    priv = g_new0(XvJobSlotPriv, 1);
    priv->slot = slot;
    priv->host = host;
    priv->owner = owner;
    g_mutex_init(&priv->lock);
    g_cond_init(&priv->cond);
    g_queue_init(&priv->waiters);
    g_queue_init(&priv->queries);
    slot->priv = priv;
}

void
xv_job_slot_dispose(XvJobSlot *slot)
{
    XvJobSlotPriv *priv = slot->priv;

    if (priv == NULL)
        return;
    g_warn_if_fail(priv->waiters.length == 0 && priv->excl == NULL &&
                   priv->queries.length == 0 && priv->async == NULL &&
                   priv->n_aborts == 0);
    xv_job_info_clear(&priv->completed);
    g_clear_pointer(&priv->record_data, g_hash_table_unref);
    g_free(priv->phase);
    g_mutex_clear(&priv->lock);
    g_cond_clear(&priv->cond);
    g_free(priv);
    slot->priv = NULL;
}

static const char *
hold_label(const XvJobHold *hold)
{
    return hold->label;
}

static XvJobHold *
hold_new(XvJobSlot *slot, gboolean is_async, XvJob job, XvAsyncJob async_type,
         const char *label)
{
    XvJobHold *hold = g_new0(XvJobHold, 1);

    hold->slot = slot;
    hold->is_async = is_async;
    hold->job = job;
    hold->async_type = async_type;
    if (label == NULL)
        label = is_async ? xv_async_job_to_string(async_type) : xv_job_to_string(job);
    hold->label = g_strdup(label);
    hold->started = host_now(slot->priv->host);
    hold->link.data = hold;
    return hold;
}

static void
hold_free(XvJobHold *hold)
{
    g_free(hold->label);
    g_free(hold);
}

/* ---- who may go ---- */

/* The state allows w to run now (fairness between waiters aside).  With
 * ignore_queries, running QUERYs do not count: used to judge earlier waiters,
 * so that new QUERYs queue behind an exclusive job waiting for old ones. */
static gboolean
waiter_ready(XvJobSlotPriv *priv, const Waiter *w, gboolean ignore_queries)
{
    gboolean no_queries = ignore_queries || priv->queries.length == 0;

    if (priv->n_destroy_waiting > 0 && (w->is_async || w->job != XV_JOB_DESTROY))
        return FALSE;
    if (w->is_async) {
        if (priv->async != NULL)
            return FALSE;
        return priv->excl == NULL ||
               (xv_async_job_default_mask(w->async_type) & XV_JOB_MASK(priv->excl->job)) != 0;
    }
    switch (w->job) {
    case XV_JOB_QUERY:
        return priv->excl == NULL;
    case XV_JOB_MODIFY:
    case XV_JOB_SUSPEND:
        return priv->excl == NULL && no_queries &&
               (priv->async == NULL || (priv->mask & XV_JOB_MASK(w->job)) != 0);
    case XV_JOB_DESTROY:
        return priv->excl == NULL && no_queries && priv->async == NULL;
    case XV_JOB_NONE:
    case XV_JOB_ABORT:
    case XV_JOB_LAST:
    default:
        break;
    }
    g_return_val_if_reached(FALSE);
}

static gboolean
waiters_conflict(const Waiter *a, const Waiter *b)
{
    if (a->is_async != b->is_async)
        return FALSE;
    if (a->is_async)
        return TRUE;
    return !(a->job == XV_JOB_QUERY && b->job == XV_JOB_QUERY);
}

/* An earlier waiter that could run now and conflicts with w, or NULL. */
static const Waiter *
earlier_rival(XvJobSlotPriv *priv, const Waiter *w)
{
    for (GList *l = priv->waiters.head; l != NULL && l != &w->link; l = l->next) {
        const Waiter *e = l->data;

        if (waiter_ready(priv, e, TRUE) && waiters_conflict(e, w))
            return e;
    }
    return NULL;
}

static gboolean
waiter_may_go(XvJobSlotPriv *priv, const Waiter *w)
{
    return waiter_ready(priv, w, FALSE) && earlier_rival(priv, w) == NULL;
}

/* The job in w's way: its label and since when it holds the domain. */
static void
find_blocker(XvJobSlotPriv *priv, const Waiter *w, const char **label, gint64 *since)
{
    gboolean exclusive = !w->is_async && w->job != XV_JOB_QUERY;
    const Waiter *rival;

    if (priv->async != NULL &&
        (w->is_async || w->job == XV_JOB_DESTROY ||
         (exclusive && (priv->mask & XV_JOB_MASK(w->job)) == 0))) {
        *label = hold_label(priv->async);
        *since = priv->async->started;
        return;
    }
    if (priv->excl != NULL) {
        *label = hold_label(priv->excl);
        *since = priv->excl->started;
        return;
    }
    if (exclusive && priv->queries.length > 0) {
        const XvJobHold *oldest = priv->queries.head->data;

        *label = hold_label(oldest);
        *since = oldest->started;
        return;
    }
    for (GList *l = priv->waiters.head; l != NULL; l = l->next) {
        const Waiter *d = l->data;

        if (l != &w->link && !d->is_async && d->job == XV_JOB_DESTROY) {
            *label = d->label;
            *since = d->since;
            return;
        }
    }
    rival = earlier_rival(priv, w);
    if (rival != NULL) {
        *label = rival->label;
        *since = rival->since;
        return;
    }
    *label = w->label;
    *since = host_now(priv->host);
}

static void
set_busy_error(XvJobSlotPriv *priv, const Waiter *w, GError **error)
{
    const char *label;
    gint64 since;
    gint64 held;

    find_blocker(priv, w, &label, &since);
    held = MAX(host_now(priv->host) - since, 0);
    g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT,
                /* TRANSLATORS: %1$s is the label of the job holding the domain
                 * (e.g. 'save'), %2$.1f the seconds it has held it. */
                _("cannot acquire state change lock (held by job '%1$s' for %2$.1f s)"),
                label, (double)held / G_USEC_PER_SEC);
}

static gint64
deadline_for(XvJobHost *host, gint64 timeout_us)
{
    gint64 now = g_get_monotonic_time();

    if (timeout_us < 0)
        timeout_us = __atomic_load_n(&host->default_wait_us, __ATOMIC_RELAXED);
    if (timeout_us > G_MAXINT64 - now)
        return G_MAXINT64;
    return now + timeout_us;
}

/* w is in priv->waiters.  Waits until w may go or the deadline passes;
 * removes w either way.  Called and returns with priv->lock held. */
static gboolean
wait_queued_locked(XvJobSlotPriv *priv, Waiter *w, gint64 deadline, GError **error)
{
    gboolean timed_out = FALSE;
    gboolean ok;

    for (;;) {
        if (waiter_may_go(priv, w)) {
            ok = TRUE;
            break;
        }
        if (timed_out) {
            set_busy_error(priv, w, error);
            ok = FALSE;
            break;
        }
        if (!g_cond_wait_until(&priv->cond, &priv->lock, deadline))
            timed_out = TRUE;
    }
    g_queue_unlink(&priv->waiters, &w->link);
    if (!w->is_async && w->job == XV_JOB_DESTROY)
        priv->n_destroy_waiting--;
    g_cond_broadcast(&priv->cond);
    return ok;
}

/* Called and returns with priv->lock held. */
static gboolean
wait_turn_locked(XvJobSlotPriv *priv, Waiter *w, gint64 timeout_us, GError **error)
{
    guint max_waiters = (guint)g_atomic_int_get(&priv->host->max_waiters);

    if (waiter_may_go(priv, w))
        return TRUE;
    if (timeout_us == 0) {
        set_busy_error(priv, w, error);
        return FALSE;
    }
    if (max_waiters != 0 &&
        priv->waiters.length - priv->n_destroy_waiting >= max_waiters) {
        g_set_error(error, XV_ERROR, XV_ERROR_RESOURCE_BUSY,
                    _("cannot acquire state change lock: the limit of %u jobs waiting for the domain is reached"),
                    max_waiters);
        return FALSE;
    }
    g_queue_push_tail_link(&priv->waiters, &w->link);
    return wait_queued_locked(priv, w, deadline_for(priv->host, timeout_us), error);
}

static void
waiter_init(XvJobSlotPriv *priv, Waiter *w, gboolean is_async, XvJob job,
            XvAsyncJob async_type, const char *label)
{
    memset(w, 0, sizeof(*w));
    w->link.data = w;
    w->is_async = is_async;
    w->job = job;
    w->async_type = async_type;
    if (label == NULL)
        label = is_async ? xv_async_job_to_string(async_type) : xv_job_to_string(job);
    w->label = label;
    w->since = host_now(priv->host);
}

/* ---- abort ---- */

typedef struct {
    XvJobAbortFunc func;
    gpointer data;
    gboolean kick_host;
} AbortAction;

/* Marks the async job aborted; says what to do once the lock is dropped. */
static void
request_abort_locked(XvJobSlotPriv *priv, AbortAction *act)
{
    memset(act, 0, sizeof(*act));
    if (priv->async == NULL)
        return;
    g_atomic_int_set(&priv->aborted, TRUE);
    if (priv->async_state == ASYNC_QUEUED) {
        act->kick_host = TRUE;
    } else if (!priv->abort_func_called && priv->abort_func != NULL) {
        priv->abort_func_called = TRUE;
        act->func = priv->abort_func;
        act->data = priv->abort_data;
        priv->abort_inflight++;
    }
}

/* Called with priv->lock held; drops it around the callback. */
static void
run_abort_action_locked(XvJobSlotPriv *priv, const AbortAction *act)
{
    if (act->kick_host)
        host_kick(priv->host);   /* lock order: slot, then host */
    if (act->func != NULL) {
        g_mutex_unlock(&priv->lock);
        act->func(priv->slot, act->data);
        g_mutex_lock(&priv->lock);
        priv->abort_inflight--;
        g_cond_broadcast(&priv->cond);
    }
}

/* ---- snapshots ---- */

static void
snapshot_async_locked(XvJobSlotPriv *priv, XvJobInfo *info, gint64 now)
{
    const XvJobHold *a = priv->async;

    info->type = a->async_type;
    info->label = g_strdup(a->label);
    info->phase = g_strdup(priv->phase);
    info->queued = priv->async_state == ASYNC_QUEUED;
    info->mask = priv->mask;
    info->abortable = (priv->mask & XV_JOB_MASK(XV_JOB_ABORT)) != 0;
    info->aborting = g_atomic_int_get(&priv->aborted);
    info->started_wall_us = priv->started_wall;
    info->elapsed_us = MAX(now - a->started, 0);
    info->has_data = priv->has_data;
    if (priv->has_data) {
        info->data_total = priv->data_total;
        info->data_processed = priv->data_processed;
        info->data_remaining = priv->data_total > priv->data_processed ?
                               priv->data_total - priv->data_processed : 0;
    }
    info->has_mem = priv->has_mem;
    if (priv->has_mem) {
        info->mem_total = priv->mem_total;
        info->mem_processed = priv->mem_processed;
        info->mem_remaining = priv->mem_total > priv->mem_processed ?
                              priv->mem_total - priv->mem_processed : 0;
    }
    if (priv->has_data && priv->has_rate && priv->rate > 0) {
        info->has_eta = TRUE;
        info->data_bps = (guint64)priv->rate;
        info->eta_us = (gint64)((double)info->data_remaining / priv->rate * G_USEC_PER_SEC);
    }
}

static void
snapshot_sync_locked(XvJobSlotPriv *priv, XvJobInfo *info)
{
    info->n_queries = priv->queries.length;
    info->n_waiters = priv->waiters.length;
    if (priv->excl != NULL) {
        info->sync_job = priv->excl->job;
        info->sync_label = g_strdup(priv->excl->label);
    } else if (priv->queries.length > 0) {
        const XvJobHold *oldest = priv->queries.head->data;

        info->sync_job = XV_JOB_QUERY;
        info->sync_label = g_strdup(oldest->label);
    }
}

void
xv_job_info_clear(XvJobInfo *info)
{
    g_free(info->label);
    g_free(info->phase);
    g_free(info->error_message);
    g_free(info->sync_label);
    memset(info, 0, sizeof(*info));
}

void
xv_job_info_copy(XvJobInfo *dst, const XvJobInfo *src)
{
    *dst = *src;
    dst->label = g_strdup(src->label);
    dst->phase = g_strdup(src->phase);
    dst->error_message = g_strdup(src->error_message);
    dst->sync_label = g_strdup(src->sync_label);
}

static void
notify(XvJobSlotPriv *priv, XvJobEvent event, const XvJobInfo *info)
{
    XvJobHost *host = priv->host;

    if (host->listener != NULL)
        host->listener(priv->slot, priv->owner, event, info, host->listener_data);
}

/* ---- begin / end ---- */

static void
reset_async_locked(XvJobSlotPriv *priv)
{
    priv->async = NULL;
    priv->async_state = ASYNC_IDLE;
    priv->mask = 0;
    g_atomic_int_set(&priv->aborted, FALSE);
    priv->abort_func_called = FALSE;
    priv->abort_func = NULL;
    priv->abort_data = NULL;
    g_clear_pointer(&priv->phase, g_free);
    priv->started_wall = 0;
    priv->has_data = FALSE;
    priv->data_total = priv->data_processed = 0;
    priv->has_mem = FALSE;
    priv->mem_total = priv->mem_processed = 0;
    priv->win_started = FALSE;
    priv->win_time = 0;
    priv->win_processed = 0;
    priv->has_rate = FALSE;
    priv->rate = 0;
    g_clear_pointer(&priv->record_data, g_hash_table_unref);
}

static XvJobHold *
begin_abort(XvJobSlot *slot, const char *label, GError **error)
{
    XvJobSlotPriv *priv = slot->priv;
    AbortAction act;
    XvJobHold *hold;

    g_mutex_lock(&priv->lock);
    if (priv->async == NULL) {
        g_mutex_unlock(&priv->lock);
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("no job is active on the domain"));
        return NULL;
    }
    if ((priv->mask & XV_JOB_MASK(XV_JOB_ABORT)) == 0) {
        if (priv->phase != NULL)
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("job '%1$s' cannot be aborted in phase '%2$s'"),
                        priv->async->label, priv->phase);
        else
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("job '%s' cannot be aborted at this point"),
                        priv->async->label);
        g_mutex_unlock(&priv->lock);
        return NULL;
    }
    hold = hold_new(slot, FALSE, XV_JOB_ABORT, XV_ASYNC_JOB_NONE, label);
    priv->n_aborts++;
    request_abort_locked(priv, &act);
    run_abort_action_locked(priv, &act);
    g_mutex_unlock(&priv->lock);
    return hold;
}

static XvJobHold *
begin_destroy(XvJobSlot *slot, const char *label, gint64 timeout_us, GError **error)
{
    XvJobSlotPriv *priv = slot->priv;
    gint64 deadline = deadline_for(priv->host, timeout_us);
    AbortAction act;
    Waiter w;
    XvJobHold *hold = NULL;

    g_mutex_lock(&priv->lock);
    waiter_init(priv, &w, FALSE, XV_JOB_DESTROY, XV_ASYNC_JOB_NONE, label);
    /* Queued first, so that nothing new starts while the async job unwinds. */
    g_queue_push_tail_link(&priv->waiters, &w.link);
    priv->n_destroy_waiting++;
    request_abort_locked(priv, &act);
    run_abort_action_locked(priv, &act);
    if (wait_queued_locked(priv, &w, deadline, error)) {
        hold = hold_new(slot, FALSE, XV_JOB_DESTROY, XV_ASYNC_JOB_NONE, label);
        priv->excl = hold;
    }
    g_mutex_unlock(&priv->lock);
    return hold;
}

XvJobHold *
xv_job_begin(XvJobSlot *slot, XvJob job, const char *label, gint64 timeout_us,
             GError **error)
{
    XvJobSlotPriv *priv;
    XvJobHold *hold;
    Waiter w;

    g_return_val_if_fail(slot != NULL && slot->priv != NULL, NULL);
    g_return_val_if_fail(job > XV_JOB_NONE && job < XV_JOB_LAST, NULL);
    priv = slot->priv;

    if (job == XV_JOB_ABORT)
        return begin_abort(slot, label, error);
    if (job == XV_JOB_DESTROY)
        return begin_destroy(slot, label, timeout_us, error);

    g_mutex_lock(&priv->lock);
    waiter_init(priv, &w, FALSE, job, XV_ASYNC_JOB_NONE, label);
    if (!wait_turn_locked(priv, &w, timeout_us, error)) {
        g_mutex_unlock(&priv->lock);
        return NULL;
    }
    hold = hold_new(slot, FALSE, job, XV_ASYNC_JOB_NONE, label);
    if (job == XV_JOB_QUERY)
        g_queue_push_tail_link(&priv->queries, &hold->link);
    else
        priv->excl = hold;
    g_mutex_unlock(&priv->lock);
    return hold;
}

XvJobHold *
xv_job_begin_async(XvJobSlot *slot, XvAsyncJob type, const char *label,
                   XvJobAbortFunc abort_func, gpointer abort_data,
                   gint64 timeout_us, GError **error)
{
    XvJobSlotPriv *priv;
    XvJobHold *hold;
    HostWait res;
    gint64 deadline;
    g_auto(XvJobInfo) info = { 0 };
    Waiter w;

    g_return_val_if_fail(slot != NULL && slot->priv != NULL, NULL);
    g_return_val_if_fail(type > XV_ASYNC_JOB_NONE && type < XV_ASYNC_JOB_LAST, NULL);
    priv = slot->priv;
    deadline = deadline_for(priv->host, timeout_us);

    g_mutex_lock(&priv->lock);
    waiter_init(priv, &w, TRUE, XV_JOB_NONE, type, label);
    if (!wait_turn_locked(priv, &w, timeout_us, error)) {
        g_mutex_unlock(&priv->lock);
        return NULL;
    }
    hold = hold_new(slot, TRUE, XV_JOB_NONE, type, label);
    reset_async_locked(priv);
    priv->async = hold;
    priv->async_state = ASYNC_QUEUED;
    priv->mask = xv_async_job_default_mask(type);
    priv->abort_func = abort_func;
    priv->abort_data = abort_data;
    priv->started_wall = g_get_real_time();
    priv->record_data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_mutex_unlock(&priv->lock);

    res = host_acquire(priv->host, &priv->aborted, deadline);

    g_mutex_lock(&priv->lock);
    if (res == HOST_GRANTED && g_atomic_int_get(&priv->aborted)) {
        host_release(priv->host);
        res = HOST_ABORTED;
    }
    if (res != HOST_GRANTED) {
        guint max_async;

        if (res == HOST_ABORTED) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                        _("job '%s' was cancelled while it waited for host capacity"),
                        hold->label);
        } else {
            g_mutex_lock(&priv->host->lock);
            max_async = priv->host->max_async;
            g_mutex_unlock(&priv->host->lock);
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_TIMEOUT,
                        /* TRANSLATORS: %1$s is the job's label, %2$u the host-wide limit,
                         * %3$.1f the seconds it waited. */
                        _("cannot start job '%1$s': the host-wide limit of %2$u concurrent jobs is reached (waited %3$.1f s)"),
                        hold->label, max_async,
                        (double)MAX(host_now(priv->host) - hold->started, 0) / G_USEC_PER_SEC);
        }
        reset_async_locked(priv);
        g_cond_broadcast(&priv->cond);
        g_mutex_unlock(&priv->lock);
        hold_free(hold);
        return NULL;
    }
    priv->async_state = ASYNC_RUNNING;
    if (priv->host->listener != NULL)
        snapshot_async_locked(priv, &info, host_now(priv->host));
    g_mutex_unlock(&priv->lock);
    if (priv->host->listener != NULL)
        notify(priv, XV_JOB_EVENT_STARTED, &info);
    return hold;
}

void
xv_job_end_async(XvJobHold *hold, XvJobResult result, const GError *error)
{
    XvJobSlotPriv *priv;
    g_auto(XvJobInfo) info = { 0 };

    g_return_if_fail(hold != NULL && hold->is_async);
    g_return_if_fail(result > XV_JOB_RESULT_NONE && result < XV_JOB_RESULT_LAST);
    priv = hold->slot->priv;

    g_mutex_lock(&priv->lock);
    if (priv->async != hold) {
        g_mutex_unlock(&priv->lock);
        g_return_if_reached();
    }
    while (priv->abort_inflight > 0)
        g_cond_wait(&priv->cond, &priv->lock);
    snapshot_async_locked(priv, &info, host_now(priv->host));
    info.queued = FALSE;
    info.result = result;
    info.error_message = error != NULL ? g_strdup(error->message) : NULL;
    xv_job_info_clear(&priv->completed);
    xv_job_info_copy(&priv->completed, &info);
    priv->has_completed = TRUE;
    reset_async_locked(priv);
    g_cond_broadcast(&priv->cond);
    g_mutex_unlock(&priv->lock);

    host_release(priv->host);
    notify(priv, XV_JOB_EVENT_COMPLETED, &info);
    hold_free(hold);
}

void
xv_job_end(XvJobHold *hold)
{
    XvJobSlotPriv *priv;

    if (hold == NULL)
        return;
    priv = hold->slot->priv;
    if (hold->is_async) {
        gboolean aborted = g_atomic_int_get(&priv->aborted);

        xv_job_end_async(hold, aborted ? XV_JOB_RESULT_CANCELLED : XV_JOB_RESULT_FAILED, NULL);
        return;
    }
    g_mutex_lock(&priv->lock);
    switch (hold->job) {
    case XV_JOB_QUERY:
        g_queue_unlink(&priv->queries, &hold->link);
        break;
    case XV_JOB_ABORT:
        priv->n_aborts--;
        break;
    case XV_JOB_MODIFY:
    case XV_JOB_SUSPEND:
    case XV_JOB_DESTROY:
        g_warn_if_fail(priv->excl == hold);
        priv->excl = NULL;
        break;
    case XV_JOB_NONE:
    case XV_JOB_LAST:
    default:
        g_warn_if_reached();
    }
    g_cond_broadcast(&priv->cond);
    g_mutex_unlock(&priv->lock);
    hold_free(hold);
}

gboolean
xv_job_abort(XvJobSlot *slot, GError **error)
{
    XvJobHold *hold = xv_job_begin(slot, XV_JOB_ABORT, NULL, 0, error);

    if (hold == NULL)
        return FALSE;
    xv_job_end(hold);
    return TRUE;
}

/* ---- the owner's side ---- */

XvJobSlot *
xv_job_hold_get_slot(XvJobHold *hold)
{
    return hold->slot;
}

gboolean
xv_job_is_aborted(XvJobHold *hold)
{
    g_return_val_if_fail(hold != NULL && hold->is_async, FALSE);
    return g_atomic_int_get(&hold->slot->priv->aborted);
}

/* Takes the lock for an owner update; FALSE (unlocked) when hold is not the
 * slot's async job. */
static gboolean
owner_lock(XvJobHold *hold)
{
    XvJobSlotPriv *priv;

    g_return_val_if_fail(hold != NULL && hold->is_async, FALSE);
    priv = hold->slot->priv;
    g_mutex_lock(&priv->lock);
    if (priv->async != hold) {
        g_mutex_unlock(&priv->lock);
        g_return_val_if_reached(FALSE);
    }
    return TRUE;
}

/* Drops the lock taken by owner_lock() and tells the listener. */
static void
owner_unlock_notify(XvJobHold *hold)
{
    XvJobSlotPriv *priv = hold->slot->priv;
    g_auto(XvJobInfo) info = { 0 };
    gboolean listen = priv->host->listener != NULL;

    if (listen)
        snapshot_async_locked(priv, &info, host_now(priv->host));
    g_mutex_unlock(&priv->lock);
    if (listen)
        notify(priv, XV_JOB_EVENT_PROGRESS, &info);
}

void
xv_job_set_phase(XvJobHold *hold, const char *phase)
{
    XvJobSlotPriv *priv;

    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    g_free(priv->phase);
    priv->phase = g_strdup(phase);
    owner_unlock_notify(hold);
}

void
xv_job_set_mask(XvJobHold *hold, guint mask)
{
    XvJobSlotPriv *priv;

    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    priv->mask = (mask & XV_JOB_MASK_VALID) | XV_JOB_MASK(XV_JOB_QUERY);
    g_cond_broadcast(&priv->cond);
    owner_unlock_notify(hold);
}

void
xv_job_set_data_progress(XvJobHold *hold, guint64 total, guint64 processed)
{
    XvJobSlotPriv *priv;
    gint64 now;

    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    now = host_now(priv->host);
    priv->has_data = TRUE;
    priv->data_total = total;
    priv->data_processed = processed;
    if (!priv->win_started || processed < priv->win_processed) {
        priv->win_started = TRUE;
        priv->win_time = now;
        priv->win_processed = processed;
    } else if (now - priv->win_time >= ETA_WINDOW_US) {
        double rate = (double)(processed - priv->win_processed) * G_USEC_PER_SEC /
                      (double)(now - priv->win_time);

        if (priv->has_rate) {
            priv->rate = ETA_WEIGHT * rate + (1.0 - ETA_WEIGHT) * priv->rate;
        } else if (rate > 0) {
            priv->rate = rate;
            priv->has_rate = TRUE;
        }
        priv->win_time = now;
        priv->win_processed = processed;
    }
    owner_unlock_notify(hold);
}

void
xv_job_set_mem_progress(XvJobHold *hold, guint64 total, guint64 processed)
{
    XvJobSlotPriv *priv;

    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    priv->has_mem = TRUE;
    priv->mem_total = total;
    priv->mem_processed = processed;
    owner_unlock_notify(hold);
}

static gboolean
record_key_valid(const char *key)
{
    if (key == NULL || *key == '\0')
        return FALSE;
    for (const char *p = key; *p != '\0'; p++) {
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
            return FALSE;
    }
    return TRUE;
}

void
xv_job_set_record_data(XvJobHold *hold, const char *key, const char *value)
{
    XvJobSlotPriv *priv;

    g_return_if_fail(record_key_valid(key));
    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    if (value != NULL)
        g_hash_table_replace(priv->record_data, g_strdup(key), g_strdup(value));
    else
        g_hash_table_remove(priv->record_data, key);
    g_mutex_unlock(&priv->lock);
}

void
xv_job_adopt_record(XvJobHold *hold, const XvJobRecord *rec)
{
    XvJobSlotPriv *priv;
    GHashTableIter iter;
    gpointer key, value;

    g_return_if_fail(rec != NULL);
    if (!owner_lock(hold))
        return;
    priv = hold->slot->priv;
    g_free(priv->phase);
    priv->phase = g_strdup(rec->phase);
    if (rec->started_wall_us != 0)
        priv->started_wall = rec->started_wall_us;
    g_hash_table_iter_init(&iter, rec->data);
    while (g_hash_table_iter_next(&iter, &key, &value))
        g_hash_table_replace(priv->record_data, g_strdup(key), g_strdup(value));
    owner_unlock_notify(hold);
}

/* ---- readers ---- */

void
xv_job_slot_get_info(XvJobSlot *slot, XvJobInfo *info)
{
    XvJobSlotPriv *priv = slot->priv;

    memset(info, 0, sizeof(*info));
    g_mutex_lock(&priv->lock);
    if (priv->async != NULL)
        snapshot_async_locked(priv, info, host_now(priv->host));
    snapshot_sync_locked(priv, info);
    g_mutex_unlock(&priv->lock);
}

gboolean
xv_job_slot_get_completed(XvJobSlot *slot, XvJobInfo *info)
{
    XvJobSlotPriv *priv = slot->priv;
    gboolean ret;

    memset(info, 0, sizeof(*info));
    g_mutex_lock(&priv->lock);
    ret = priv->has_completed;
    if (ret)
        xv_job_info_copy(info, &priv->completed);
    g_mutex_unlock(&priv->lock);
    return ret;
}

void
xv_job_slot_clear_completed(XvJobSlot *slot)
{
    XvJobSlotPriv *priv = slot->priv;

    g_mutex_lock(&priv->lock);
    xv_job_info_clear(&priv->completed);
    priv->has_completed = FALSE;
    g_mutex_unlock(&priv->lock);
}

XvAsyncJob
xv_job_slot_get_async(XvJobSlot *slot)
{
    XvJobSlotPriv *priv = slot->priv;
    XvAsyncJob type;

    g_mutex_lock(&priv->lock);
    type = priv->async != NULL ? priv->async->async_type : XV_ASYNC_JOB_NONE;
    g_mutex_unlock(&priv->lock);
    return type;
}

guint
xv_job_slot_get_n_waiters(XvJobSlot *slot)
{
    XvJobSlotPriv *priv = slot->priv;
    guint n;

    g_mutex_lock(&priv->lock);
    n = priv->waiters.length;
    g_mutex_unlock(&priv->lock);
    return n;
}

/* ---- the recovery record ---- */

#define RECORD_DATA_PREFIX "data."

XvJobRecord *
xv_job_record_new(XvAsyncJob type, const char *label)
{
    XvJobRecord *rec = g_new0(XvJobRecord, 1);

    rec->type = type;
    rec->label = g_strdup(label != NULL ? label : xv_async_job_to_string(type));
    rec->data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return rec;
}

void
xv_job_record_free(XvJobRecord *rec)
{
    if (rec == NULL)
        return;
    g_free(rec->label);
    g_free(rec->phase);
    g_hash_table_unref(rec->data);
    g_free(rec);
}

gboolean
xv_job_record_equal(const XvJobRecord *a, const XvJobRecord *b)
{
    GHashTableIter iter;
    gpointer key, value;

    if (a->type != b->type || a->started_wall_us != b->started_wall_us ||
        g_strcmp0(a->label, b->label) != 0 || g_strcmp0(a->phase, b->phase) != 0 ||
        g_hash_table_size(a->data) != g_hash_table_size(b->data))
        return FALSE;
    g_hash_table_iter_init(&iter, a->data);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (g_strcmp0(value, g_hash_table_lookup(b->data, key)) != 0)
            return FALSE;
    }
    return TRUE;
}

XvJobRecord *
xv_job_slot_get_record(XvJobSlot *slot)
{
    XvJobSlotPriv *priv = slot->priv;
    XvJobRecord *rec = NULL;

    g_mutex_lock(&priv->lock);
    if (priv->async != NULL) {
        GHashTableIter iter;
        gpointer key, value;

        rec = xv_job_record_new(priv->async->async_type, priv->async->label);
        rec->phase = g_strdup(priv->phase);
        rec->started_wall_us = priv->started_wall;
        g_hash_table_iter_init(&iter, priv->record_data);
        while (g_hash_table_iter_next(&iter, &key, &value))
            g_hash_table_replace(rec->data, g_strdup(key), g_strdup(value));
    }
    g_mutex_unlock(&priv->lock);
    return rec;
}

static char *
format_wall(gint64 wall_us)
{
    gint64 secs = wall_us / G_USEC_PER_SEC;
    gint64 usecs = wall_us % G_USEC_PER_SEC;
    g_autoptr(GDateTime) base = NULL;
    g_autoptr(GDateTime) dt = NULL;

    if (usecs < 0) {
        secs--;
        usecs += G_USEC_PER_SEC;
    }
    base = g_date_time_new_from_unix_utc(secs);
    if (base == NULL)
        return NULL;
    dt = g_date_time_add(base, usecs);
    return dt != NULL ? g_date_time_format_iso8601(dt) : NULL;
}

void
xv_job_record_to_keyfile(const XvJobRecord *rec, GKeyFile *kf, const char *group)
{
    g_autofree char *started = format_wall(rec->started_wall_us);
    g_autoptr(GList) keys = NULL;

    g_key_file_set_string(kf, group, "type", xv_async_job_to_string(rec->type));
    g_key_file_set_string(kf, group, "label", rec->label != NULL ? rec->label : "");
    if (rec->phase != NULL)
        g_key_file_set_string(kf, group, "phase", rec->phase);
    if (started != NULL)
        g_key_file_set_string(kf, group, "started", started);
    /* Sorted, so that the same record always gives the same text. */
    keys = g_list_sort(g_hash_table_get_keys(rec->data), (GCompareFunc)strcmp);
    for (GList *l = keys; l != NULL; l = l->next) {
        g_autofree char *k = g_strconcat(RECORD_DATA_PREFIX, (const char *)l->data, NULL);

        g_key_file_set_string(kf, group, k, g_hash_table_lookup(rec->data, l->data));
    }
}

XvJobRecord *
xv_job_record_from_keyfile(GKeyFile *kf, const char *group, GError **error)
{
    g_autoptr(XvJobRecord) rec = NULL;
    g_autofree char *type = NULL;
    g_autofree char *label = NULL;
    g_autofree char *started = NULL;
    g_auto(GStrv) keys = NULL;
    int t;

    if (!g_key_file_has_group(kf, group)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("invalid job record: the group '%s' is missing"), group);
        return NULL;
    }
    type = g_key_file_get_string(kf, group, "type", NULL);
    if (type == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("invalid job record: the key 'type' is missing"));
        return NULL;
    }
    t = xv_async_job_from_string(type);
    if (t <= XV_ASYNC_JOB_NONE) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("invalid job record: unknown job type '%s'"), type);
        return NULL;
    }
    label = g_key_file_get_string(kf, group, "label", NULL);
    rec = xv_job_record_new((XvAsyncJob)t, label != NULL && *label != '\0' ? label : NULL);
    rec->phase = g_key_file_get_string(kf, group, "phase", NULL);
    started = g_key_file_get_string(kf, group, "started", NULL);
    if (started != NULL) {
        g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(started, NULL);

        if (dt == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                        _("invalid job record: the start time '%s' is not an ISO 8601 date and time"),
                        started);
            return NULL;
        }
        rec->started_wall_us = g_date_time_to_unix(dt) * G_USEC_PER_SEC +
                               g_date_time_get_microsecond(dt);
    }
    keys = g_key_file_get_keys(kf, group, NULL, NULL);
    for (gsize i = 0; keys != NULL && keys[i] != NULL; i++) {
        const char *k = keys[i];
        char *value;

        if (!g_str_has_prefix(k, RECORD_DATA_PREFIX))
            continue;   /* type, label, ...; unknown keys: a newer daemon's */
        k += strlen(RECORD_DATA_PREFIX);
        if (!record_key_valid(k)) {
            g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                        _("invalid job record: the data key '%s' is not valid"), keys[i]);
            return NULL;
        }
        value = g_key_file_get_string(kf, group, keys[i], NULL);
        if (value == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                        _("invalid job record: the value of '%s' is not valid"), keys[i]);
            return NULL;
        }
        g_hash_table_replace(rec->data, g_strdup(k), value);
    }
    return g_steal_pointer(&rec);
}

#define RECORD_GROUP "job"

char *
xv_job_record_to_string(const XvJobRecord *rec)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();

    xv_job_record_to_keyfile(rec, kf, RECORD_GROUP);
    return g_key_file_to_data(kf, NULL, NULL);
}

XvJobRecord *
xv_job_record_from_string(const char *text, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) local = NULL;

    if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &local)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INTERNAL,
                    _("invalid job record: %s"), local->message);
        return NULL;
    }
    return xv_job_record_from_keyfile(kf, RECORD_GROUP, error);
}
