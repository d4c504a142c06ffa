/*
 * domain-metadata.c: virDomainGetMetadata / virDomainSetMetadata on the
 * model's <title>, <description> and <metadata> (one element per namespace,
 * kept verbatim), live and/or in the persistent definition.
 *
 * Get is a read of daemon state (no job); Set is a MODIFY job that edits
 * copies of the definitions and publishes them (domain-tune.c's pattern),
 * then emits METADATA_CHANGE (type, and the namespace for ELEMENT).
 */
#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drivers/libxl/domain-priv.h"
#include "util/xv-error.h"

static void
set_not_found(GError **error)
{
    g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN_METADATA, "%s",
                _("Requested metadata element is not present"));
}

/* The <metadata> element of 'metadata_xml' parsed, or NULL. */
static xmlDocPtr
metadata_parse(const char *metadata_xml)
{
    xmlDocPtr doc;
    xmlNodePtr root;

    if (metadata_xml == NULL)
        return NULL;
    doc = xmlReadMemory(metadata_xml, (int)strlen(metadata_xml), "metadata.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
    if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "metadata")) {
        if (doc != NULL)
            xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static xmlNodePtr
metadata_find(xmlNodePtr root, const char *uri)
{
    for (xmlNodePtr n = root->children; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE && n->ns != NULL && n->ns->href != NULL &&
            g_str_equal((const char *)n->ns->href, uri))
            return n;
    return NULL;
}

/* A self-contained serialisation of 'node' (its namespaces declared on it). */
static char *
node_dump(xmlNodePtr node, gboolean format)
{
    xmlDocPtr tmp = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = xmlDocCopyNode(node, tmp, 1);
    xmlBufferPtr buf = xmlBufferCreate();
    char *out = NULL;

    if (copy != NULL) {
        xmlDocSetRootElement(tmp, copy);
        xmlReconciliateNs(tmp, copy);
        if (xmlNodeDump(buf, tmp, copy, 0, format ? 1 : 0) >= 0)
            out = g_strdup((const char *)xmlBufferContent(buf));
    }
    xmlBufferFree(buf);
    xmlFreeDoc(tmp);
    return out;
}

static gboolean
check_type(int type, GError **error)
{
    if (type != VIR_DOMAIN_METADATA_DESCRIPTION && type != VIR_DOMAIN_METADATA_TITLE &&
        type != VIR_DOMAIN_METADATA_ELEMENT) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, _("unknown metadata type '%d'"), type);
        return FALSE;
    }
    return TRUE;
}

char *
xv_driver_domain_get_metadata(XvDriver *drv, XvDomainObj *dom, int type, const char *uri,
                              guint flags, GError **error)
{
    g_auto(XvDomainSnap) s = { 0 };
    const XvDomainDef *def;
    xmlDocPtr doc;
    xmlNodePtr node;
    char *out;

    if (!xv_driver_check_flags(flags, XV_AFFECT_FLAGS, error) || !check_type(type, error))
        return NULL;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("flags 'affect live' and 'affect config' are mutually exclusive"));
        return NULL;
    }
    xv_domain_obj_snap(dom, &s);
    if (s.removed) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_DOMAIN,
                    _("domain '%1$s' (uuid %2$s) no longer exists"), dom->name, dom->uuid_str);
        return NULL;
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        if (s.domid < 0) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("domain '%s' is not running"), dom->name);
            return NULL;
        }
        def = s.live_def->def;
    } else if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        if (s.persistent_def == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_INVALID,
                        _("transient domain '%s' has no persistent configuration"), dom->name);
            return NULL;
        }
        def = s.persistent_def->def;
    } else {
        def = s.domid >= 0 && s.live_def != NULL ? s.live_def->def
              : s.persistent_def != NULL ? s.persistent_def->def : s.live_def->def;
    }

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        if (def->description == NULL || *def->description == '\0') {
            set_not_found(error);
            return NULL;
        }
        return g_strdup(def->description);
    case VIR_DOMAIN_METADATA_TITLE:
        if (def->title == NULL || *def->title == '\0') {
            set_not_found(error);
            return NULL;
        }
        return g_strdup(def->title);
    default:
        break;
    }
    if (uri == NULL || *uri == '\0') {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                    _("a namespace URI is required for element metadata"));
        return NULL;
    }
    doc = metadata_parse(def->metadata_xml);
    node = doc != NULL ? metadata_find(xmlDocGetRootElement(doc), uri) : NULL;
    if (node == NULL) {
        if (doc != NULL)
            xmlFreeDoc(doc);
        set_not_found(error);
        return NULL;
    }
    out = node_dump(node, TRUE);
    xmlFreeDoc(doc);
    return out;
}

/* Edit 'def' (a private copy).  'metadata' NULL or "" removes. */
static gboolean
edit_def(XvDomainDef *def, int type, const char *metadata, const char *key, const char *uri,
         GError **error)
{
    gboolean remove = metadata == NULL || *metadata == '\0';
    xmlDocPtr doc, frag = NULL;
    xmlNodePtr root, old, node, copy;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        g_free(def->description);
        def->description = remove ? NULL : g_strdup(metadata);
        return TRUE;
    case VIR_DOMAIN_METADATA_TITLE:
        if (!remove && strchr(metadata, '\n') != NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                        _("title can't contain newlines"));
            return FALSE;
        }
        g_free(def->title);
        def->title = remove ? NULL : g_strdup(metadata);
        return TRUE;
    default:
        break;
    }

    doc = metadata_parse(def->metadata_xml);
    if (doc == NULL) {
        doc = xmlNewDoc(BAD_CAST "1.0");
        xmlDocSetRootElement(doc, xmlNewDocNode(doc, NULL, BAD_CAST "metadata", NULL));
    }
    root = xmlDocGetRootElement(doc);
    if (!remove) {
        frag = xmlReadMemory(metadata, (int)strlen(metadata), "metadata.xml", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
        node = frag != NULL ? xmlDocGetRootElement(frag) : NULL;
        if (node == NULL) {
            if (frag != NULL)
                xmlFreeDoc(frag);
            xmlFreeDoc(doc);
            g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR, "%s",
                        _("the metadata is not a well-formed XML element"));
            return FALSE;
        }
        /* libvirt: the element goes into the namespace 'uri' with prefix 'key'. */
        copy = xmlDocCopyNode(node, doc, 1);
        xmlSetNs(copy, xmlNewNs(copy, BAD_CAST uri, BAD_CAST key));
        xmlFreeDoc(frag);
        old = metadata_find(root, uri);
        if (old != NULL) {
            xmlReplaceNode(old, copy);
            xmlFreeNode(old);
        } else {
            xmlAddChild(root, copy);
        }
    } else {
        old = metadata_find(root, uri);
        if (old != NULL) {
            xmlUnlinkNode(old);
            xmlFreeNode(old);
        }
    }
    g_clear_pointer(&def->metadata_xml, g_free);
    for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            def->metadata_xml = node_dump(root, FALSE);
            break;
        }
    }
    xmlFreeDoc(doc);
    return TRUE;
}

gboolean
xv_driver_domain_set_metadata(XvDriver *drv, XvDomainObj *dom, int type, const char *metadata,
                              const char *key, const char *uri, guint flags, GError **error)
{
    g_autoptr(XvJobHold) hold = NULL;
    g_autoptr(XvDomainDef) live_def = NULL;
    g_autoptr(XvDomainDef) config_def = NULL;
    gboolean live, config;
    XvDriverEvent ev = { 0 };

    if (!xv_driver_check_flags(flags, XV_AFFECT_FLAGS, error) || !check_type(type, error))
        goto fail;
    if (key != NULL && *key == '\0')
        key = NULL;
    if (uri != NULL && *uri == '\0')
        uri = NULL;
    if (type == VIR_DOMAIN_METADATA_ELEMENT) {
        if (uri == NULL) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                        _("a namespace URI is required for element metadata"));
            goto fail;
        }
        if (metadata != NULL && *metadata != '\0') {
            if (key == NULL) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG, "%s",
                            _("a namespace prefix (key) is required when setting element metadata"));
                goto fail;
            }
            if (xmlValidateNCName(BAD_CAST key, 0) != 0) {
                g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                            _("'%s' is not a valid namespace prefix"), key);
                goto fail;
            }
        }
    }
    hold = xv_domain_begin_modify(drv, dom, "set-metadata", flags, &live, &config, error);
    if (hold == NULL)
        goto fail;
    xv_domain_copy_defs(dom, live, config, &live_def, &config_def);
    if ((live_def != NULL && (!edit_def(live_def, type, metadata, key, uri, error) ||
                              !xv_domain_def_validate(live_def, error))) ||
        (config_def != NULL && (!edit_def(config_def, type, metadata, key, uri, error) ||
                                !xv_domain_def_validate(config_def, error))))
        goto fail;
    if (!xv_domain_commit_defs(drv, dom, g_steal_pointer(&live_def), g_steal_pointer(&config_def),
                               error))
        goto fail;
    g_clear_pointer(&hold, xv_job_end);
    if (drv->listener != NULL) {
        ev.event_id = VIR_DOMAIN_EVENT_ID_METADATA_CHANGE;
        ev.dom = dom;
        ev.name = dom->name;
        ev.uuid = dom->uuid;
        ev.id = xv_domain_obj_get_id(dom);
        ev.metadata_type = type;
        ev.metadata_uri = type == VIR_DOMAIN_METADATA_ELEMENT ? uri : NULL;
        drv->listener(drv, &ev, drv->listener_data);
    }
    return TRUE;
 fail:
    xv_error_prefix(error, _("cannot set the metadata of domain '%s': "), dom->name);
    return FALSE;
}
