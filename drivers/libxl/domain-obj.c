/*
 * domain-obj.c: domain objects and the domain list.
 */
#include <string.h>

#include <glib/gi18n.h>

#include "drivers/libxl/domain-obj.h"
#include "util/xv-error.h"

/* ---- XvDefRef ----------------------------------------------------------- */

static void
def_ref_clear(gpointer mem)
{
    XvDefRef *ref = mem;

    g_clear_pointer(&ref->def, xv_domain_def_free);
}

XvDefRef *
xv_def_ref_new(XvDomainDef *def)
{
    XvDefRef *ref = g_atomic_rc_box_new0(XvDefRef);

    ref->def = def;
    return ref;
}

XvDefRef *
xv_def_ref_acquire(XvDefRef *ref)
{
    return ref != NULL ? g_atomic_rc_box_acquire(ref) : NULL;
}

void
xv_def_ref_release(XvDefRef *ref)
{
    if (ref != NULL)
        g_atomic_rc_box_release_full(ref, def_ref_clear);
}

/* ---- XvDomainObj -------------------------------------------------------- */

XvDomainObj *
xv_domain_obj_new(const char *name, const guchar uuid[XV_UUID_BUFLEN], XvJobHost *jobs)
{
    XvDomainObj *dom = g_new0(XvDomainObj, 1);

    dom->refcount = 1;
    g_mutex_init(&dom->lock);
    g_mutex_init(&dom->persist_lock);
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, XV_UUID_BUFLEN);
    xv_uuid_format(uuid, dom->uuid_str);
    dom->state = VIR_DOMAIN_SHUTOFF;
    dom->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    dom->domid = -1;
    xv_job_slot_init(&dom->job, jobs, dom);
    return dom;
}

XvDomainObj *
xv_domain_obj_ref(XvDomainObj *dom)
{
    g_atomic_int_inc(&dom->refcount);
    return dom;
}

void
xv_domain_obj_unref(XvDomainObj *dom)
{
    if (dom == NULL || !g_atomic_int_dec_and_test(&dom->refcount))
        return;
    xv_job_slot_dispose(&dom->job);
    xv_def_ref_release(dom->persistent_def);
    xv_def_ref_release(dom->live_def);
    g_mutex_clear(&dom->lock);
    g_mutex_clear(&dom->persist_lock);
    g_free(dom->name);
    g_free(dom);
}

const char *
xv_domain_obj_get_name(XvDomainObj *dom)
{
    return dom->name;
}

const guchar *
xv_domain_obj_get_uuid(XvDomainObj *dom)
{
    return dom->uuid;
}

int
xv_domain_obj_get_id(XvDomainObj *dom)
{
    int id;

    g_mutex_lock(&dom->lock);
    id = dom->domid;
    g_mutex_unlock(&dom->lock);
    return id;
}

gboolean
xv_domain_obj_is_active(XvDomainObj *dom)
{
    return xv_domain_obj_get_id(dom) >= 0;
}

gboolean
xv_domain_obj_is_persistent(XvDomainObj *dom)
{
    gboolean p;

    g_mutex_lock(&dom->lock);
    p = dom->persistent;
    g_mutex_unlock(&dom->lock);
    return p;
}

void
xv_domain_obj_snap(XvDomainObj *dom, XvDomainSnap *snap)
{
    g_mutex_lock(&dom->lock);
    snap->persistent_def = xv_def_ref_acquire(dom->persistent_def);
    snap->live_def = xv_def_ref_acquire(dom->live_def);
    snap->persistent = dom->persistent;
    snap->updated = dom->updated;
    snap->autostart = dom->autostart;
    snap->has_managed_save = dom->has_managed_save;
    snap->removed = dom->removed;
    snap->state = dom->state;
    snap->reason = dom->reason;
    snap->domid = dom->domid;
    snap->cpu_time_ns = dom->cpu_time_ns;
    snap->cur_mem_kb = dom->cur_mem_kb;
    snap->max_mem_kb = dom->max_mem_kb;
    snap->cur_vcpus = dom->cur_vcpus;
    g_mutex_unlock(&dom->lock);
}

void
xv_domain_snap_clear(XvDomainSnap *snap)
{
    g_clear_pointer(&snap->persistent_def, xv_def_ref_release);
    g_clear_pointer(&snap->live_def, xv_def_ref_release);
}

XvDefRef *
xv_domain_obj_boot_def_locked(XvDomainObj *dom)
{
    return xv_def_ref_acquire(dom->persistent_def != NULL ? dom->persistent_def
                                                          : dom->live_def);
}

/* ---- XvDomainList ------------------------------------------------------- */

void
xv_domain_list_init(XvDomainList *list)
{
    g_rw_lock_init(&list->lock);
    list->by_uuid = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify)xv_domain_obj_unref);
    list->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    list->by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
}

void
xv_domain_list_dispose(XvDomainList *list)
{
    if (list->by_uuid == NULL)
        return;
    g_clear_pointer(&list->by_id, g_hash_table_unref);
    g_clear_pointer(&list->by_name, g_hash_table_unref);
    g_clear_pointer(&list->by_uuid, g_hash_table_unref);
    g_rw_lock_clear(&list->lock);
}

static XvDomainObj *
list_find(XvDomainList *list, GHashTable *table, gconstpointer key)
{
    XvDomainObj *dom;

    g_rw_lock_reader_lock(&list->lock);
    dom = g_hash_table_lookup(table, key);
    if (dom != NULL)
        xv_domain_obj_ref(dom);
    g_rw_lock_reader_unlock(&list->lock);
    return dom;
}

XvDomainObj *
xv_domain_list_find_uuid(XvDomainList *list, const guchar uuid[XV_UUID_BUFLEN])
{
    char buf[XV_UUID_STRING_BUFLEN];

    return list_find(list, list->by_uuid, xv_uuid_format(uuid, buf));
}

XvDomainObj *
xv_domain_list_find_name(XvDomainList *list, const char *name)
{
    return list_find(list, list->by_name, name);
}

XvDomainObj *
xv_domain_list_find_id(XvDomainList *list, int domid)
{
    if (domid < 0)
        return NULL;
    return list_find(list, list->by_id, GINT_TO_POINTER(domid));
}

GPtrArray *
xv_domain_list_all(XvDomainList *list)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)xv_domain_obj_unref);
    GHashTableIter it;
    gpointer value;

    g_rw_lock_reader_lock(&list->lock);
    g_hash_table_iter_init(&it, list->by_uuid);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(out, xv_domain_obj_ref(value));
    g_rw_lock_reader_unlock(&list->lock);
    return out;
}

gboolean
xv_domain_list_add_locked(XvDomainList *list, XvDomainObj *dom, GError **error)
{
    XvDomainObj *other;

    other = g_hash_table_lookup(list->by_uuid, dom->uuid_str);
    if (other != NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("domain '%1$s' is already defined with uuid %2$s"),
                    other->name, other->uuid_str);
        return FALSE;
    }
    other = g_hash_table_lookup(list->by_name, dom->name);
    if (other != NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("domain '%1$s' already exists with uuid %2$s"),
                    other->name, other->uuid_str);
        return FALSE;
    }
    g_hash_table_insert(list->by_uuid, dom->uuid_str, xv_domain_obj_ref(dom));
    g_hash_table_insert(list->by_name, dom->name, dom);
    g_mutex_lock(&dom->lock);
    dom->removed = FALSE;
    if (dom->domid >= 0)
        g_hash_table_insert(list->by_id, GINT_TO_POINTER(dom->domid), dom);
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

void
xv_domain_list_remove_locked(XvDomainList *list, XvDomainObj *dom)
{
    if (g_hash_table_lookup(list->by_uuid, dom->uuid_str) != dom)
        return;
    g_mutex_lock(&dom->lock);
    dom->removed = TRUE;
    if (dom->domid >= 0 && g_hash_table_lookup(list->by_id, GINT_TO_POINTER(dom->domid)) == dom)
        g_hash_table_remove(list->by_id, GINT_TO_POINTER(dom->domid));
    g_mutex_unlock(&dom->lock);
    g_hash_table_remove(list->by_name, dom->name);
    g_hash_table_remove(list->by_uuid, dom->uuid_str);   /* drops the list's ref */
}

void
xv_domain_list_set_domid(XvDomainList *list, XvDomainObj *dom, int domid)
{
    g_rw_lock_writer_lock(&list->lock);
    g_mutex_lock(&dom->lock);
    if (!dom->removed) {
        if (dom->domid >= 0 &&
            g_hash_table_lookup(list->by_id, GINT_TO_POINTER(dom->domid)) == dom)
            g_hash_table_remove(list->by_id, GINT_TO_POINTER(dom->domid));
        if (domid >= 0)
            g_hash_table_insert(list->by_id, GINT_TO_POINTER(domid), dom);
    }
    dom->domid = domid;
    g_mutex_unlock(&dom->lock);
    g_rw_lock_writer_unlock(&list->lock);
}
