/*
 * domain-obj.h: the domain object and the domain list (driver-internal).
 *
 * Contract
 * --------
 * - XvDomainObj is reference counted (atomic).  The list holds one reference
 *   per listed object; lookups return a new one.
 * - Definitions are published as XvDefRef: an immutable XvDomainDef in an
 *   atomic refcounted box.  A reader takes obj->lock, takes a reference on
 *   the box it wants, drops the lock, and formats/reads at leisure.  Writers
 *   build a whole new definition and swap the box under obj->lock.  Nobody
 *   ever edits a published definition.
 * - Lock order: list->lock (GRWLock) before obj->lock (GMutex).  obj->lock is
 *   a leaf except for the job slot's internal mutex; it is held for
 *   microseconds and never across a hypervisor call, a file write or a job
 *   begin.  The job on obj->job protects a whole operation.
 * - Fields that change the list's indexes (domid, removal) change only with
 *   list->lock held for writing AND obj->lock held.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

#include "drivers/libxl/driver.h"
#include "jobs/job.h"
#include "xmlconf/domain-conf.h"

G_BEGIN_DECLS

/* ---- immutable shared definitions ------------------------------------- */

typedef struct {
    XvDomainDef *def;   /* immutable while the box lives */
} XvDefRef;

/* Takes ownership of 'def'. */
XvDefRef *xv_def_ref_new(XvDomainDef *def);
XvDefRef *xv_def_ref_acquire(XvDefRef *ref);
void xv_def_ref_release(XvDefRef *ref);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvDefRef, xv_def_ref_release)

/* ---- the domain object ------------------------------------------------ */

struct _XvDomainObj {
    gint refcount;               /* atomic */
    GMutex lock;

    /* immutable after creation */
    char *name;
    guchar uuid[XV_UUID_BUFLEN];
    char uuid_str[XV_UUID_STRING_BUFLEN];
    gboolean is_dom0;
    XvJobSlot job;               /* own internal locking (jobs/job.h) */
    GMutex persist_lock;         /* serialises status-file writes (snapshot
                                    + write), so the newest state wins; taken
                                    before lock, never held across a job begin */

    /* protected by lock */
    XvDefRef *persistent_def;    /* the on-disk (next-boot) definition; NULL
                                    when transient.  Defining a running
                                    domain replaces it (libvirt's newDef). */
    XvDefRef *live_def;          /* the running definition; NULL when inactive */
    gboolean persistent;         /* persistent_def != NULL, kept for reads */
    gboolean updated;            /* persistent_def replaced while running */
    int state;                   /* virDomainState */
    int reason;                  /* the matching virDomain*Reason */
    int domid;                   /* -1 when inactive; list->lock (write) too */
    gboolean autostart;
    gboolean has_managed_save;
    gboolean removed;            /* no longer listed; list->lock (write) too */
    guint64 cpu_time_ns;         /* cached at the last host query */
    guint64 cur_mem_kb;          /* cached at the last host query / setmem */
    guint64 max_mem_kb;          /* live maximum (setmaxmem) */
    guint cur_vcpus;             /* live online vcpus */
    guint32 restart_pending_domid; /* domid whose lifecycle action is running */
};

XvDomainObj *xv_domain_obj_new(const char *name, const guchar uuid[XV_UUID_BUFLEN],
                               XvJobHost *jobs);

/* A consistent snapshot of the lock-protected fields (def boxes referenced). */
typedef struct {
    XvDefRef *persistent_def;
    XvDefRef *live_def;
    gboolean persistent, updated, autostart, has_managed_save, removed;
    int state, reason, domid;
    guint64 cpu_time_ns, cur_mem_kb, max_mem_kb;
    guint cur_vcpus;
} XvDomainSnap;
void xv_domain_obj_snap(XvDomainObj *dom, XvDomainSnap *snap);
void xv_domain_snap_clear(XvDomainSnap *snap);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(XvDomainSnap, xv_domain_snap_clear)

/* Under obj->lock: the definition a new boot uses (persistent, else live). */
XvDefRef *xv_domain_obj_boot_def_locked(XvDomainObj *dom);

/* ---- the list ----------------------------------------------------------- */

typedef struct {
    GRWLock lock;
    GHashTable *by_uuid;         /* uuid_str -> obj (owns a ref); lock */
    GHashTable *by_name;         /* name -> obj (borrowed); lock */
    GHashTable *by_id;           /* GINT_TO_POINTER(domid) -> obj (borrowed); lock */
} XvDomainList;

void xv_domain_list_init(XvDomainList *list);
void xv_domain_list_dispose(XvDomainList *list);
/* New references, or NULL. */
XvDomainObj *xv_domain_list_find_uuid(XvDomainList *list, const guchar uuid[XV_UUID_BUFLEN]);
XvDomainObj *xv_domain_list_find_name(XvDomainList *list, const char *name);
XvDomainObj *xv_domain_list_find_id(XvDomainList *list, int domid);
/* Snapshot of every object (new references). */
GPtrArray *xv_domain_list_all(XvDomainList *list);
/* Adds 'dom' (takes a new reference).  Fails with DOM_EXIST / OPERATION_FAILED
 * when the name or uuid is taken.  Caller holds list->lock for writing. */
gboolean xv_domain_list_add_locked(XvDomainList *list, XvDomainObj *dom, GError **error);
/* Caller holds list->lock for writing: unlists and marks removed. */
void xv_domain_list_remove_locked(XvDomainList *list, XvDomainObj *dom);
/* Set the domid (index follows).  Takes list write lock and obj lock. */
void xv_domain_list_set_domid(XvDomainList *list, XvDomainObj *dom, int domid);

G_END_DECLS
