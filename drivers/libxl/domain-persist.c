/*
 * domain-persist.c: config, status and save-image files; the state-dir
 * lock; recovery at open; autostart once per host boot.  Formats and the
 * recovery rules are described in domain-persist.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drivers/libxl/domain-persist.h"
#include "drivers/libxl/host-sim.h"
#include "util/xv-error.h"
#include "util/xv-file.h"

/* ---- paths -------------------------------------------------------------- */

char *
xv_persist_config_path(XvDriver *drv, XvDomainObj *dom)
{
    g_autofree char *base = g_strdup_printf("%s.xml", dom->uuid_str);

    return g_build_filename(drv->domains_dir, base, NULL);
}

char *
xv_persist_status_path(XvDriver *drv, XvDomainObj *dom)
{
    g_autofree char *base = g_strdup_printf("%s.xml", dom->uuid_str);

    return g_build_filename(drv->state_dir, base, NULL);
}

char *
xv_persist_autostart_path(XvDriver *drv, XvDomainObj *dom)
{
    return g_build_filename(drv->autostart_dir, dom->uuid_str, NULL);
}

char *
xv_persist_managed_save_path(XvDriver *drv, XvDomainObj *dom)
{
    g_autofree char *base = g_strdup_printf("%s.save", dom->uuid_str);

    return g_build_filename(drv->save_dir, base, NULL);
}

/* ---- config ------------------------------------------------------------- */

gboolean
xv_persist_write_config(XvDriver *drv, const XvDomainDef *def, GError **error)
{
    char uuid[XV_UUID_STRING_BUFLEN];
    g_autofree char *xml = xv_domain_def_format(def, XV_FORMAT_SECURE | XV_FORMAT_INACTIVE);
    g_autofree char *base = g_strdup_printf("%s.xml", xv_uuid_format(def->uuid, uuid));
    g_autofree char *path = g_build_filename(drv->domains_dir, base, NULL);

    return xv_file_write_atomic(path, xml, -1, 0600, error);
}

gboolean
xv_persist_remove_config(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    g_autofree char *path = xv_persist_config_path(drv, dom);

    return xv_file_remove(path, error);
}

/* ---- status ------------------------------------------------------------- */

gboolean
xv_persist_write_status(XvDriver *drv, XvDomainObj *dom, GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr(XvJobRecord) rec = NULL;
    g_autoptr(GString) out = NULL;
    gboolean ok;

    if (dom->is_dom0)
        return TRUE;
    path = xv_persist_status_path(drv, dom);
    g_mutex_lock(&dom->persist_lock);
    {
        g_auto(XvDomainSnap) s = { 0 };

        xv_domain_obj_snap(dom, &s);
        rec = xv_job_slot_get_record(&dom->job);
        if (s.removed || (s.domid < 0 && rec == NULL)) {
            ok = xv_file_remove(path, error);
            g_mutex_unlock(&dom->persist_lock);
            return ok;
        }
        out = g_string_new(NULL);
        g_string_append_printf(out, "<domstatus state='%d' reason='%d' domid='%d' "
                               "persistent='%s' updated='%s'>\n",
                               s.state, s.reason, s.domid, s.persistent ? "yes" : "no",
                               s.updated ? "yes" : "no");
        if (rec != NULL) {
            g_autofree char *text = xv_job_record_to_string(rec);
            g_autofree char *esc = g_markup_escape_text(text, -1);

            g_string_append_printf(out, "  <job>%s</job>\n", esc);
        }
        if (s.domid >= 0 && s.live_def != NULL) {
            g_autofree char *xml = xv_domain_def_format(s.live_def->def, XV_FORMAT_SECURE);

            g_string_append(out, xml);
        }
        g_string_append(out, "</domstatus>\n");
    }
    ok = xv_file_write_atomic(path, out->str, (gssize)out->len, 0600, error);
    g_mutex_unlock(&dom->persist_lock);
    return ok;
}

void
xv_persist_write_status_or_warn(XvDriver *drv, XvDomainObj *dom)
{
    g_autoptr(GError) error = NULL;

    if (!xv_persist_write_status(drv, dom, &error))
        g_warning("cannot write the status of domain '%s': %s", dom->name, error->message);
}

typedef struct {
    int state, reason, domid;
    gboolean persistent;
    XvJobRecord *job;
    XvDomainDef *live;
} StatusFile;

static void
status_file_clear(StatusFile *st)
{
    g_clear_pointer(&st->job, xv_job_record_free);
    g_clear_pointer(&st->live, xv_domain_def_free);
}

static int
xml_int_attr(xmlNodePtr node, const char *name, int dflt)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    int r = dflt;

    if (v != NULL) {
        r = (int)g_ascii_strtoll((const char *)v, NULL, 10);
        xmlFree(v);
    }
    return r;
}

static gboolean
status_file_read(const char *path, StatusFile *st, GError **error)
{
    g_autofree char *data = NULL;
    gsize len;
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlChar *pers;
    gboolean ok = TRUE;

    memset(st, 0, sizeof(*st));
    if (!g_file_get_contents(path, &data, &len, error))
        return FALSE;
    doc = xmlReadMemory(data, (int)len, path, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL ||
        !xmlStrEqual(root->name, (const xmlChar *)"domstatus")) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR, _("status file %s is not valid"), path);
        if (doc != NULL)
            xmlFreeDoc(doc);
        return FALSE;
    }
    st->state = xml_int_attr(root, "state", VIR_DOMAIN_SHUTOFF);
    st->reason = xml_int_attr(root, "reason", 0);
    st->domid = xml_int_attr(root, "domid", -1);
    pers = xmlGetProp(root, (const xmlChar *)"persistent");
    st->persistent = pers != NULL && xmlStrEqual(pers, (const xmlChar *)"yes");
    xmlFree(pers);
    for (xmlNodePtr n = root->children; n != NULL && ok; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, (const xmlChar *)"job")) {
            xmlChar *text = xmlNodeGetContent(n);

            st->job = xv_job_record_from_string((const char *)text, error);
            xmlFree(text);
            ok = st->job != NULL;
        } else if (xmlStrEqual(n->name, (const xmlChar *)"domain")) {
            xmlBufferPtr buf = xmlBufferCreate();

            xmlNodeDump(buf, doc, n, 0, 0);
            st->live = xv_domain_def_parse((const char *)xmlBufferContent(buf), -1,
                                           XV_PARSE_LIVE, error);
            xmlBufferFree(buf);
            ok = st->live != NULL;
        }
    }
    xmlFreeDoc(doc);
    if (!ok)
        status_file_clear(st);
    return ok;
}

/* ---- the state-dir lock ------------------------------------------------- */

gboolean
xv_persist_lock_state_dir(XvDriver *drv, GError **error)
{
    g_autofree char *lock_path = g_build_filename(drv->state_dir, "driver.lock", NULL);
    g_autofree char *pid_path = g_build_filename(drv->state_dir, "driver.pid", NULL);
    g_autofree char *pid = NULL;
    int fd;

    fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;

        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM, _("cannot open %1$s: %2$s"), lock_path,
                    g_strerror(e));
        return FALSE;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        g_autofree char *holder = NULL;

        g_file_get_contents(pid_path, &holder, NULL, NULL);
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                    _("state directory %1$s is in use by another xenvirt driver (pid %2$s)"),
                    drv->state_dir, holder != NULL ? g_strstrip(holder) : "unknown");
        close(fd);
        return FALSE;
    }
    drv->lock_fd = fd;
    pid = g_strdup_printf("%d\n", (int)getpid());
    return xv_file_write_atomic(pid_path, pid, -1, 0644, error);
}

/* ---- save image header -------------------------------------------------- */

#define SAVE_HEADER_LEN 32

gboolean
xv_save_header_write(int fd, const char *xml, gboolean was_running, GError **error)
{
    guint8 hdr[SAVE_HEADER_LEN] = { 0 };
    guint32 v;
    gsize xml_len = strlen(xml), done = 0;
    g_autofree guint8 *buf = NULL;

    memcpy(hdr, XV_SAVE_MAGIC, sizeof(XV_SAVE_MAGIC));   /* 16 bytes with the NUL */
    v = GUINT32_TO_LE(XV_SAVE_VERSION);
    memcpy(hdr + 16, &v, 4);
    v = GUINT32_TO_LE((guint32)xml_len);
    memcpy(hdr + 20, &v, 4);
    v = GUINT32_TO_LE(was_running ? 1u : 0u);
    memcpy(hdr + 24, &v, 4);
    buf = g_malloc(SAVE_HEADER_LEN + xml_len);
    memcpy(buf, hdr, SAVE_HEADER_LEN);
    memcpy(buf + SAVE_HEADER_LEN, xml, xml_len);
    while (done < SAVE_HEADER_LEN + xml_len) {
        ssize_t n = write(fd, buf + done, SAVE_HEADER_LEN + xml_len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;

            g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                        _("cannot write the save image header: %s"), g_strerror(e));
            return FALSE;
        }
        done += (gsize)n;
    }
    return TRUE;
}

static gboolean
read_full(int fd, void *buf, gsize len)
{
    gsize done = 0;

    while (done < len) {
        ssize_t n = read(fd, (guint8 *)buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        done += (gsize)n;
    }
    return TRUE;
}

gboolean
xv_save_header_read(int fd, const char *path, char **xml_out, gboolean *was_running,
                    GError **error)
{
    guint8 hdr[SAVE_HEADER_LEN];
    guint32 version, xml_len, flags;
    g_autofree char *xml = NULL;

    if (!read_full(fd, hdr, sizeof(hdr)) || memcmp(hdr, XV_SAVE_MAGIC, sizeof(XV_SAVE_MAGIC)) != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("%s is not a xenvirt save image"), path);
        return FALSE;
    }
    memcpy(&version, hdr + 16, 4);
    memcpy(&xml_len, hdr + 20, 4);
    memcpy(&flags, hdr + 24, 4);
    version = GUINT32_FROM_LE(version);
    xml_len = GUINT32_FROM_LE(xml_len);
    flags = GUINT32_FROM_LE(flags);
    if (version != XV_SAVE_VERSION) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("save image %1$s has version %2$u, this xenvirt reads version %3$u"),
                    path, version, XV_SAVE_VERSION);
        return FALSE;
    }
    if (xml_len == 0 || xml_len > XV_DOMAIN_XML_MAX_BYTES) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("save image %s has a corrupt header"), path);
        return FALSE;
    }
    xml = g_malloc(xml_len + 1);
    if (!read_full(fd, xml, xml_len)) {
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_FAILED,
                    _("save image %s is truncated"), path);
        return FALSE;
    }
    xml[xml_len] = '\0';
    *xml_out = g_steal_pointer(&xml);
    if (was_running != NULL)
        *was_running = (flags & 1u) != 0;
    return TRUE;
}

/* ---- host boot id ------------------------------------------------------- */

char *
xv_persist_host_boot_id(XvDriver *drv)
{
    g_autoptr(GError) error = NULL;
    char *id = NULL;

    /* The host port's boot id: dom0's kernel boot id on Xen, the sim's
     * DIR/boot-id (changed by xv_host_sim_reboot_host) on the sim. */
    if (xv_host_get_boot_id(drv->host, &id, &error) != 0 || id == NULL) {
        g_warning("cannot read the host's boot id: %s",
                  error != NULL ? error->message : "no identifier");
        g_free(id);
        return g_strdup("unknown");
    }
    return id;
}

/* ---- autostart ---------------------------------------------------------- */

static gpointer
autostart_thread(gpointer data)
{
    XvDriver *drv = data;
    g_autoptr(GPtrArray) all = xv_domain_list_all(&drv->list);

    for (guint i = 0; i < all->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(all, i);
        g_autoptr(GError) error = NULL;
        gboolean autostart;

        g_mutex_lock(&dom->lock);
        autostart = dom->autostart && dom->domid < 0 && !dom->removed;
        g_mutex_unlock(&dom->lock);
        if (autostart && !xv_driver_domain_start(drv, dom, 0, &error))
            g_warning("autostart: %s", error->message);
    }
    return NULL;
}

void
xv_persist_autostart(XvDriver *drv)
{
    g_autofree char *path = g_build_filename(drv->state_dir, "driver.boot", NULL);
    g_autofree char *boot = xv_persist_host_boot_id(drv);
    g_autofree char *last = NULL;
    g_autoptr(GError) error = NULL;

    if (g_file_get_contents(path, &last, NULL, NULL) && g_str_equal(g_strstrip(last), boot))
        return;   /* already done since this host booted */
    if (!xv_file_write_atomic(path, boot, -1, 0644, &error))
        g_warning("cannot record the host boot id: %s", error->message);
    drv->autostart_thread = g_thread_new("xv-autostart", autostart_thread, drv);
}

/* ---- recovery ----------------------------------------------------------- */

static void
load_configs(XvDriver *drv)
{
    g_autoptr(GDir) dir = g_dir_open(drv->domains_dir, 0, NULL);
    const char *ent;

    if (dir == NULL)
        return;
    while ((ent = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = g_build_filename(drv->domains_dir, ent, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(XvDomainDef) def = NULL;
        g_autoptr(XvDomainObj) dom = NULL;
        g_autofree char *as = NULL;
        g_autofree char *ms = NULL;
        char uuid[XV_UUID_STRING_BUFLEN];

        if (!g_str_has_suffix(ent, ".xml"))
            continue;
        def = xv_domain_def_parse_file(path, XV_PARSE_INACTIVE, &error);
        if (def == NULL) {
            g_warning("ignoring domain config %s: %s", path, error->message);
            continue;
        }
        if (strncmp(ent, xv_uuid_format(def->uuid, uuid), 36) != 0) {
            g_warning("ignoring domain config %s: its uuid is %s", path, uuid);
            continue;
        }
        dom = xv_driver_add_new(drv, g_steal_pointer(&def), TRUE, &error);
        if (dom == NULL) {
            g_warning("ignoring domain config %s: %s", path, error->message);
            continue;
        }
        as = xv_persist_autostart_path(drv, dom);
        ms = xv_persist_managed_save_path(drv, dom);
        dom->autostart = g_file_test(as, G_FILE_TEST_EXISTS);
        dom->has_managed_save = g_file_test(ms, G_FILE_TEST_EXISTS);
    }
}

static const libxl_dominfo *
find_host_dom(const libxl_dominfo *infos, int n, const guchar uuid[XV_UUID_BUFLEN], int domid)
{
    for (int i = 0; i < n; i++) {
        if (memcmp(infos[i].uuid.uuid, uuid, XV_UUID_BUFLEN) != 0)
            continue;
        if (domid < 0 || infos[i].domid == (uint32_t)domid)
            return &infos[i];
    }
    return NULL;
}

static const char *
rec_data(const XvJobRecord *rec, const char *key)
{
    return rec != NULL && rec->data != NULL ? g_hash_table_lookup(rec->data, key) : NULL;
}

/* Finish or roll back the job a killed driver left.  Returns TRUE when the
 * domain is to be treated as running on (re-attached). */
static gboolean
recover_job(XvDriver *drv, XvDomainObj *dom, StatusFile *st, const libxl_dominfo *infos, int n)
{
    const XvJobRecord *rec = st->job;
    const char *tmp = rec_data(rec, "tmp");
    const char *phase = rec_data(rec, "phase");

    switch (rec->type) {
    case XV_ASYNC_JOB_START:
    case XV_ASYNC_JOB_RESTORE:
    case XV_ASYNC_JOB_MIGRATION_IN: {
        /* Roll back: destroy whatever the host has under this uuid and is
         * not the incarnation the status file knew. */
        for (int i = 0; i < n; i++) {
            if (memcmp(infos[i].uuid.uuid, dom->uuid, XV_UUID_BUFLEN) == 0 &&
                (st->domid < 0 || infos[i].domid != (uint32_t)st->domid)) {
                g_message("recovery: destroying half-started domain '%s' (%u)", dom->name,
                          infos[i].domid);
                xv_host_destroy(drv->host, infos[i].domid, NULL);
            }
        }
        return st->domid >= 0;
    }
    case XV_ASYNC_JOB_SAVE:
        if (g_strcmp0(phase, "complete") == 0) {
            /* The image is whole: the domain is saved. */
            const libxl_dominfo *h = find_host_dom(infos, n, dom->uuid, st->domid);

            if (h != NULL)
                xv_host_destroy(drv->host, h->domid, NULL);
            if (g_strcmp0(rec_data(rec, "managed"), "1") == 0)
                dom->has_managed_save = TRUE;
            st->state = VIR_DOMAIN_SHUTOFF;
            st->reason = VIR_DOMAIN_SHUTOFF_SAVED;
            return FALSE;
        }
        if (tmp != NULL) {
            g_message("recovery: removing partial save image %s", tmp);
            xv_file_remove(tmp, NULL);
        }
        return st->domid >= 0;
    case XV_ASYNC_JOB_DUMP:
    case XV_ASYNC_JOB_MIGRATION_OUT:
        if (tmp != NULL) {
            g_message("recovery: removing partial file %s", tmp);
            xv_file_remove(tmp, NULL);
        }
        return st->domid >= 0;
    default:
        return st->domid >= 0;
    }
}

static void
recover_status(XvDriver *drv, const char *path, const libxl_dominfo *infos, int n)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainObj) dom = NULL;
    StatusFile st;
    const libxl_dominfo *h = NULL;
    gboolean running;

    if (!status_file_read(path, &st, &error)) {
        g_warning("ignoring status file %s: %s", path, error->message);
        return;
    }
    if (st.live != NULL)
        dom = xv_domain_list_find_uuid(&drv->list, st.live->uuid);
    if (dom == NULL) {
        g_autofree char *base = g_path_get_basename(path);
        guchar uuid[XV_UUID_BUFLEN];

        base[strlen(base) - 4] = '\0';
        if (xv_uuid_parse(base, uuid, NULL))
            dom = xv_domain_list_find_uuid(&drv->list, uuid);
    }
    if (dom == NULL && st.live != NULL)
        dom = xv_driver_add_new(drv, xv_domain_def_copy(st.live), FALSE, NULL);
    if (dom == NULL) {
        /* Nothing to attach it to (a transient domain that never started);
         * still roll back what the host may hold under that uuid. */
        g_autofree char *base = g_path_get_basename(path);
        guchar uuid[XV_UUID_BUFLEN];

        base[strlen(base) - 4] = '\0';
        if (st.job != NULL && xv_uuid_parse(base, uuid, NULL)) {
            for (int i = 0; i < n; i++)
                if (memcmp(infos[i].uuid.uuid, uuid, XV_UUID_BUFLEN) == 0 && infos[i].domid != 0)
                    xv_host_destroy(drv->host, infos[i].domid, NULL);
        }
        xv_file_remove(path, NULL);
        status_file_clear(&st);
        return;
    }

    running = st.job != NULL ? recover_job(drv, dom, &st, infos, n) : st.domid >= 0;
    if (running && st.live != NULL)
        h = find_host_dom(infos, n, dom->uuid, st.domid);
    if (h != NULL && !h->dying) {
        XvDomainDef *live = g_steal_pointer(&st.live);
        int state = st.state, reason = st.reason;

        xv_host_watch_domain(drv->host, h->domid, NULL);
        if (h->paused && state == VIR_DOMAIN_RUNNING) {
            state = VIR_DOMAIN_PAUSED;
            reason = VIR_DOMAIN_PAUSED_UNKNOWN;
        }
        xv_domain_mark_active(drv, dom, (int)h->domid, live, state, reason);
        g_mutex_lock(&dom->lock);
        dom->cpu_time_ns = h->cpu_time;
        dom->cur_mem_kb = h->current_memkb;
        g_mutex_unlock(&dom->lock);
        if (h->shutdown && h->shutdown_reason != LIBXL_SHUTDOWN_REASON_SUSPEND &&
            st.state != VIR_DOMAIN_CRASHED && st.state != VIR_DOMAIN_SHUTDOWN) {
            /* Shut down while the driver was away: its lifecycle action. */
            xv_domain_handle_shutdown(drv, dom, h->domid, h->shutdown_reason);
        } else if (h->shutdown && h->shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND) {
            /* Suspended by a save that did not complete: nothing resumes a
             * suspended Xen guest; it is gone as far as the driver knows. */
            xv_domain_host_destroy(drv, dom, (int)h->domid, NULL);
            xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_UNKNOWN, FALSE);
        }
    } else if (running) {
        if (h != NULL)
            xv_host_destroy(drv->host, h->domid, NULL);
        g_message("recovery: domain '%s' stopped while the driver was not running", dom->name);
        xv_domain_mark_inactive(drv, dom, VIR_DOMAIN_SHUTOFF_UNKNOWN, FALSE);
    } else {
        g_mutex_lock(&dom->lock);
        dom->state = VIR_DOMAIN_SHUTOFF;
        dom->reason = st.job != NULL && st.job->type == XV_ASYNC_JOB_SAVE &&
                      st.reason == VIR_DOMAIN_SHUTOFF_SAVED ? VIR_DOMAIN_SHUTOFF_SAVED
                                                            : VIR_DOMAIN_SHUTOFF_UNKNOWN;
        g_mutex_unlock(&dom->lock);
        xv_domain_mark_inactive(drv, dom, dom->reason, FALSE);
    }
    status_file_clear(&st);
}

gboolean
xv_persist_load_and_recover(XvDriver *drv, GError **error)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) all = NULL;
    libxl_dominfo *infos = NULL;
    int n = 0;
    const char *ent;

    load_configs(drv);
    if (xv_host_list_domains(drv->host, &infos, &n, error) != 0) {
        xv_error_prefix(error, _("cannot list the host's domains: "));
        return FALSE;
    }
    dir = g_dir_open(drv->state_dir, 0, error);
    if (dir == NULL) {
        libxl_dominfo_list_free(infos, n);
        return FALSE;
    }
    while ((ent = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(ent, ".xml") || strlen(ent) != 40)
            continue;
        path = g_build_filename(drv->state_dir, ent, NULL);
        recover_status(drv, path, infos, n);
    }
    /* A host domain with a defined domain's uuid that no status file knew
     * (the driver died between creating it and recording it).  The host's
     * list is read again: the rollbacks above destroyed domains. */
    libxl_dominfo_list_free(infos, n);
    infos = NULL;
    n = 0;
    if (xv_host_list_domains(drv->host, &infos, &n, error) != 0) {
        xv_error_prefix(error, _("cannot list the host's domains: "));
        return FALSE;
    }
    all = xv_domain_list_all(&drv->list);
    for (guint i = 0; i < all->len; i++) {
        XvDomainObj *dom = g_ptr_array_index(all, i);
        const libxl_dominfo *h;
        XvDomainDef *live;

        if (dom->is_dom0 || xv_domain_obj_is_active(dom))
            continue;
        h = find_host_dom(infos, n, dom->uuid, -1);
        if (h == NULL || h->dying || h->domid == 0 || dom->persistent_def == NULL)
            continue;
        g_message("recovery: re-attaching domain '%s' (%u) found running without status",
                  dom->name, h->domid);
        live = xv_domain_def_copy(dom->persistent_def->def);
        xv_host_watch_domain(drv->host, h->domid, NULL);
        xv_domain_mark_active(drv, dom, (int)h->domid, live,
                              h->paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING,
                              h->paused ? VIR_DOMAIN_PAUSED_UNKNOWN : VIR_DOMAIN_RUNNING_UNKNOWN);
    }
    libxl_dominfo_list_free(infos, n);
    return TRUE;
}
