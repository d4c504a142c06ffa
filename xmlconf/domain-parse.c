/*
 * domain-parse.c: libvirt domain XML -> XvDomainDef, post-parse defaults
 * and semantic validation.
 *
 * Safety: the document is read from memory with libxml2 under a size cap,
 * without network access, DTD loading, DTD attribute defaults, entity
 * substitution or XML_PARSE_HUGE; a DOCTYPE stops the parser as soon as it
 * is seen, so neither external nor recursive entities are ever touched.
 * libxml2 errors go to a handler on the parser context (not the global
 * one), so parsing is thread-safe.
 *
 * What is read: the Xen-relevant part of libvirt's domain XML (see
 * domain-conf.h).  Elements libvirt accepts but xenvirt does not model are
 * either *ignored*, when they cannot change what the guest sees or does
 * under Xen (device aliases, host-side labels and tunables that only mean
 * something to QEMU/KVM or to cgroups, live-only status), or *rejected*
 * with XV_ERROR_CONFIG_UNSUPPORTED naming the element, when silently
 * dropping them would change the guest (memory backing, per-device boot
 * order, watchdogs, TPMs, filesystems...).  The lists are next to each
 * element's parser.  Attributes are read where they matter; unknown
 * attributes are ignored, as libvirt does.
 */
#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf.h"
#include "xmlconf/domain-conf-priv.h"

#define DOMNAME(def) ((def)->name != NULL ? (def)->name : "")

static gboolean G_GNUC_PRINTF(3, 4)
xv_fail(GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, XV_ERROR, code, msg);
    return FALSE;
}

/* ---- libxml2 plumbing ------------------------------------------------- */

typedef struct {
    GError *error;      /* first error reported by libxml2 */
    gboolean dtd;       /* a DOCTYPE or entity declaration was seen */
} XvXmlReadState;

static void
xv_xml_structured_error(void *user_data, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = user_data;
    XvXmlReadState *st = ctxt != NULL ? ctxt->_private : NULL;
    g_autofree char *msg = NULL;

    if (st == NULL || err == NULL || st->error != NULL || err->level < XML_ERR_ERROR)
        return;
    msg = g_strdup(err->message != NULL ? err->message : "unknown error");
    g_strstrip(msg);
    g_set_error(&st->error, XV_ERROR, XV_ERROR_XML_ERROR,
                _("Cannot parse domain XML at line %1$d: %2$s."), err->line, msg);
}

/* SAX hooks: stop at the first sign of a DTD, before its content is read. */
static void
xv_xml_internal_subset(void *user_data, const xmlChar *name,
                       const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = user_data;
    XvXmlReadState *st = ctxt->_private;

    st->dtd = TRUE;
    xmlStopParser(ctxt);
}

static void
xv_xml_entity_decl(void *user_data, const xmlChar *name, int type,
                   const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = user_data;
    XvXmlReadState *st = ctxt->_private;

    st->dtd = TRUE;
    xmlStopParser(ctxt);
}

static xmlDocPtr
xv_xml_read(const char *xml, gsize len, GError **error)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    XvXmlReadState st = { 0 };
    static gsize initialized;

    /* libxml2 2.9 wants its global init done once before threads use it. */
    if (g_once_init_enter(&initialized)) {
        xmlInitParser();
        g_once_init_leave(&initialized, 1);
    }

    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_MEMORY,
                    _("Cannot allocate an XML parser context."));
        return NULL;
    }
    ctxt->_private = &st;
    ctxt->sax->serror = xv_xml_structured_error;
    ctxt->sax->internalSubset = xv_xml_internal_subset;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->entityDecl = xv_xml_entity_decl;

    /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE, on purpose. */
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

    if (st.dtd || (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL))) {
        g_clear_error(&st.error);
        g_clear_pointer(&doc, xmlFreeDoc);
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("DTDs and entity declarations are not allowed in domain XML."));
    } else if (st.error != NULL) {
        g_clear_pointer(&doc, xmlFreeDoc);
        g_propagate_error(error, g_steal_pointer(&st.error));
    } else if (doc == NULL || !ctxt->wellFormed) {
        g_clear_pointer(&doc, xmlFreeDoc);
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML: the document is not well-formed."));
    }
    ctxt->_private = NULL;
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* ---- node helpers ----------------------------------------------------- */

static gboolean
xv_is_elem(const xmlNode *n)
{
    return n != NULL && n->type == XML_ELEMENT_NODE;
}

/* An element of libvirt's own vocabulary: no namespace. */
static gboolean
xv_is(const xmlNode *n, const char *name)
{
    return xv_is_elem(n) && n->ns == NULL && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
xv_child(const xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent->children; n != NULL; n = n->next) {
        if (xv_is(n, name))
            return n;
    }
    return NULL;
}

static char *
xv_prop(const xmlNode *n, const char *name)
{
    xmlChar *v;
    char *ret;

    if (n == NULL)
        return NULL;
    v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

static char *
xv_text(const xmlNode *n)
{
    xmlChar *v;
    char *ret;

    if (n == NULL)
        return NULL;
    v = xmlNodeGetContent(n);
    ret = g_strdup(v != NULL ? (const char *)v : "");
    xmlFree(v);
    return ret;
}

/* The name of an element as written, with its namespace prefix. */
static char *
xv_elem_name(const xmlNode *n)
{
    if (n->ns != NULL && n->ns->prefix != NULL)
        return g_strdup_printf("%s:%s", n->ns->prefix, n->name);
    return g_strdup((const char *)n->name);
}

static gboolean
xv_in_list(const char *name, const char *const *list)
{
    for (gsize i = 0; list != NULL && list[i] != NULL; i++) {
        if (strcmp(list[i], name) == 0)
            return TRUE;
    }
    return FALSE;
}

/* Every element child of 'n' must be known (parsed by the caller) or
 * ignorable; anything else is rejected as unsupported. */
static gboolean
xv_check_children(const XvDomainDef *def, const xmlNode *n,
                  const char *const *known, const char *const *ignored, GError **error)
{
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        g_autofree char *cname = NULL;
        g_autofree char *pname = NULL;

        if (!xv_is_elem(c))
            continue;
        if (c->ns == NULL &&
            (xv_in_list((const char *)c->name, known) || xv_in_list((const char *)c->name, ignored)))
            continue;
        cname = xv_elem_name(c);
        pname = xv_elem_name(n);
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The element <%1$s> in <%2$s> of domain '%3$s' is not supported by xenvirt."),
                       cname, pname, DOMNAME(def));
    }
    return TRUE;
}

/* ---- value parsers ---------------------------------------------------- */

static gboolean
xv_bad_value(const XvDomainDef *def, const xmlNode *n, const char *attr,
             const char *value, GError **error)
{
    g_autofree char *ename = xv_elem_name(n);

    if (attr == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Invalid value '%1$s' for <%2$s> in domain '%3$s'."),
                       value, ename, DOMNAME(def));
    return xv_fail(error, XV_ERROR_XML_ERROR,
                   _("Invalid value '%1$s' for attribute '%2$s' of <%3$s> in domain '%4$s'."),
                   value, attr, ename, DOMNAME(def));
}

static gboolean
xv_missing(const XvDomainDef *def, const xmlNode *n, const char *attr, GError **error)
{
    g_autofree char *ename = xv_elem_name(n);

    return xv_fail(error, XV_ERROR_XML_ERROR,
                   _("The element <%1$s> in domain '%2$s' is missing the attribute '%3$s'."),
                   ename, DOMNAME(def), attr);
}

/* Where a number starts in 's' after leading blanks; NULL when 's' is NULL
 * or blank. */
static const char *
xv_str_number_start(const char *s)
{
    if (s == NULL)
        return NULL;
    while (g_ascii_isspace(*s))
        s++;
    return *s != '\0' ? s : NULL;
}

/* Whether strtoull/strtoll, called on 's' with errno cleared, read a number
 * that only blanks follow. */
static gboolean
xv_str_number_end_ok(const char *s, const char *end)
{
    if (errno != 0 || end == s)
        return FALSE;
    while (g_ascii_isspace(*end))
        end++;
    return *end == '\0';
}

/* Unsigned integer; base 0 (decimal, 0x hex, 0 octal) like libvirt's
 * virStrToLong_*p(..., 0, ...) when 'base' is 0. */
static gboolean
xv_str_to_u64(const char *s, guint base, guint64 *out)
{
    char *end = NULL;
    guint64 v;

    if ((s = xv_str_number_start(s)) == NULL || *s == '-' || *s == '+')
        return FALSE;
    errno = 0;
    v = g_ascii_strtoull(s, &end, base);
    if (!xv_str_number_end_ok(s, end))
        return FALSE;
    *out = v;
    return TRUE;
}

static gboolean
xv_str_to_i64(const char *s, gint64 *out)
{
    char *end = NULL;
    gint64 v;

    if ((s = xv_str_number_start(s)) == NULL)
        return FALSE;
    errno = 0;
    v = g_ascii_strtoll(s, &end, 10);
    if (!xv_str_number_end_ok(s, end))
        return FALSE;
    *out = v;
    return TRUE;
}

/* Optional unsigned attribute: absent leaves *out and *present untouched. */
static gboolean
xv_attr_uint(const XvDomainDef *def, const xmlNode *n, const char *attr, guint base,
             guint64 max, guint64 *out, gboolean *present, GError **error)
{
    g_autofree char *s = xv_prop(n, attr);
    guint64 v;

    if (s == NULL)
        return TRUE;
    if (!xv_str_to_u64(s, base, &v) || v > max)
        return xv_bad_value(def, n, attr, s, error);
    *out = v;
    if (present != NULL)
        *present = TRUE;
    return TRUE;
}

static gboolean
xv_attr_guint(const XvDomainDef *def, const xmlNode *n, const char *attr, guint base,
              guint *out, gboolean *present, GError **error)
{
    guint64 v = *out;

    if (!xv_attr_uint(def, n, attr, base, G_MAXUINT, &v, present, error))
        return FALSE;
    *out = (guint)v;
    return TRUE;
}

static gboolean
xv_attr_int(const XvDomainDef *def, const xmlNode *n, const char *attr,
            gint64 min, gint64 max, int *out, gboolean *present, GError **error)
{
    g_autofree char *s = xv_prop(n, attr);
    gint64 v;

    if (s == NULL)
        return TRUE;
    if (!xv_str_to_i64(s, &v) || v < min || v > max)
        return xv_bad_value(def, n, attr, s, error);
    *out = (int)v;
    if (present != NULL)
        *present = TRUE;
    return TRUE;
}

/* Enum attribute through a generated from_string(); absent leaves *out. */
static gboolean
xv_attr_enum(const XvDomainDef *def, const xmlNode *n, const char *attr,
             int (*from_string)(const char *), int *out, GError **error)
{
    g_autofree char *s = xv_prop(n, attr);
    int v;

    if (s == NULL)
        return TRUE;
    v = from_string(s);
    if (v < 0 || *s == '\0')
        return xv_bad_value(def, n, attr, s, error);
    *out = v;
    return TRUE;
}

#define XV_ATTR_ENUM(def, n, attr, from, field, error) \
    ({ int v_ = (int)(field); \
       gboolean ok_ = xv_attr_enum((def), (n), (attr), (from), &v_, (error)); \
       if (ok_) (field) = v_; \
       ok_; })

/* yes/no attribute into a gboolean; absent leaves *out. */
static gboolean
xv_attr_yesno(const XvDomainDef *def, const xmlNode *n, const char *attr,
              gboolean *out, GError **error)
{
    int v = XV_TRISTATE_ABSENT;

    if (!xv_attr_enum(def, n, attr, xv_tristate_bool_from_string, &v, error))
        return FALSE;
    if (v != XV_TRISTATE_ABSENT)
        *out = (v == XV_TRISTATE_ON);
    return TRUE;
}

static gboolean
xv_attr_bitmap(const XvDomainDef *def, const xmlNode *n, const char *attr,
               guint nbits, XvBitmap **out, GError **error)
{
    g_autofree char *s = xv_prop(n, attr);
    g_autoptr(GError) local = NULL;
    XvBitmap *map;
    g_autofree char *ename = NULL;

    if (s == NULL)
        return TRUE;
    map = xv_bitmap_parse(s, nbits, &local);
    if (map == NULL) {
        ename = xv_elem_name(n);
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Invalid value '%1$s' for attribute '%2$s' of <%3$s> in domain '%4$s': %5$s"),
                       s, attr, ename, DOMNAME(def), local->message);
    }
    g_clear_pointer(out, xv_bitmap_free);
    *out = map;
    return TRUE;
}

/* libvirt's virScaleInteger suffixes: b/bytes, k/KiB, KB, m/MiB, MB, ...
 * (case-insensitive, 'iB' binary, 'B' decimal, bare letter binary). */
static gboolean
xv_unit_scale(const char *unit, guint64 *scale)
{
    guint64 base;
    guint64 s = 1;
    int power;

    if (unit == NULL || *unit == '\0') {
        *scale = 1024;
        return TRUE;
    }
    if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
        g_ascii_strcasecmp(unit, "bytes") == 0) {
        *scale = 1;
        return TRUE;
    }
    if (unit[1] == '\0' || g_ascii_strcasecmp(unit + 1, "iB") == 0)
        base = 1024;
    else if (g_ascii_tolower(unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
    else
        return FALSE;
    switch (g_ascii_tolower(unit[0])) {
    case 'k': power = 1; break;
    case 'm': power = 2; break;
    case 'g': power = 3; break;
    case 't': power = 4; break;
    case 'p': power = 5; break;
    case 'e': power = 6; break;
    default: return FALSE;
    }
    while (power-- > 0)
        s *= base;
    *scale = s;
    return TRUE;
}

/* A size in the element's text (or in attribute 'attr') with a 'unit'
 * attribute, converted to KiB and rounded up, as libvirt does. */
static gboolean
xv_parse_size_kib(const XvDomainDef *def, const xmlNode *n, const char *attr,
                  guint64 *kib, GError **error)
{
    g_autofree char *value = attr ? xv_prop(n, attr) : xv_text(n);
    g_autofree char *unit = xv_prop(n, "unit");
    g_autofree char *ename = xv_elem_name(n);
    guint64 v, scale;

    if (value == NULL)
        return xv_missing(def, n, attr, error);
    g_strstrip(value);
    if (!xv_str_to_u64(value, 10, &v))
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Invalid size '%1$s' for <%2$s> in domain '%3$s': expected a non-negative integer."),
                       value, ename, DOMNAME(def));
    if (!xv_unit_scale(unit, &scale))
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Unknown unit '%1$s' for <%2$s> in domain '%3$s'."),
                       unit, ename, DOMNAME(def));
    /* Cap at 2^63 - 1 bytes, libvirt's limit for sizes. */
    if (v != 0 && v > (guint64)G_MAXINT64 / scale)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The size %1$s %2$s for <%3$s> in domain '%4$s' is too large."),
                       value, unit ? unit : "KiB", ename, DOMNAME(def));
    v *= scale;
    *kib = v / 1024 + (v % 1024 ? 1 : 0);
    return TRUE;
}

/* ---- <memory>, <vcpu>, tuning ----------------------------------------- */

static gboolean
xv_parse_vcpu(XvDomainDef *def, xmlNode *n, GError **error)
{
    g_autofree char *text = xv_text(n);
    g_autofree char *current = xv_prop(n, "current");
    guint64 v;

    g_strstrip(text);
    if (!xv_str_to_u64(text, 10, &v) || v > G_MAXUINT)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Invalid vCPU count '%1$s' in domain '%2$s'."), text, DOMNAME(def));
    def->maxvcpus = (guint)v;
    def->vcpus = def->maxvcpus;
    if (current != NULL) {
        if (!xv_str_to_u64(current, 10, &v) || v > G_MAXUINT)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("Invalid current vCPU count '%1$s' in domain '%2$s'."),
                           current, DOMNAME(def));
        if (v == 0)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%s' has a current vCPU count of 0; it needs at least one vCPU."),
                           DOMNAME(def));
        def->vcpus = (guint)v;
    }
    if (!XV_ATTR_ENUM(def, n, "placement", xv_domain_placement_from_string, def->placement, error))
        return FALSE;
    return xv_attr_bitmap(def, n, "cpuset", XV_BITMAP_MAX_BITS, &def->cpuset, error);
}

static gboolean
xv_parse_cputune(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "shares", "period", "quota", "vcpupin", NULL };
    XvCputuneDef *ct = &def->cputune;

    if (!xv_check_children(def, n, known, NULL, error))
        return FALSE;
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        g_autofree char *text = NULL;

        if (!xv_is_elem(c))
            continue;
        if (xv_is(c, "vcpupin")) {
            g_autoptr(XvVcpuPin) pin = g_new0(XvVcpuPin, 1);
            gboolean have_vcpu = FALSE;

            if (!xv_attr_guint(def, c, "vcpu", 10, &pin->vcpu, &have_vcpu, error))
                return FALSE;
            if (!have_vcpu)
                return xv_missing(def, c, "vcpu", error);
            if (!xv_attr_bitmap(def, c, "cpuset", XV_BITMAP_MAX_BITS, &pin->cpuset, error))
                return FALSE;
            if (pin->cpuset == NULL)
                return xv_missing(def, c, "cpuset", error);
            g_ptr_array_add(ct->vcpupins, g_steal_pointer(&pin));
            continue;
        }
        text = xv_text(c);
        g_strstrip(text);
        if (xv_is(c, "shares")) {
            if (!xv_str_to_u64(text, 10, &ct->shares))
                return xv_bad_value(def, c, NULL, text, error);
            ct->has_shares = TRUE;
        } else if (xv_is(c, "period")) {
            if (!xv_str_to_u64(text, 10, &ct->period))
                return xv_bad_value(def, c, NULL, text, error);
            ct->has_period = TRUE;
        } else if (xv_is(c, "quota")) {
            if (!xv_str_to_i64(text, &ct->quota))
                return xv_bad_value(def, c, NULL, text, error);
            ct->has_quota = TRUE;
        }
    }
    return TRUE;
}

static gboolean
xv_parse_numatune(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "memory", NULL };
    xmlNode *mem;
    XvNumatuneDef *nt = &def->numatune;

    if (!xv_check_children(def, n, known, NULL, error))
        return FALSE;
    mem = xv_child(n, "memory");
    if (mem == NULL)
        return TRUE;
    nt->present = TRUE;
    nt->mode = XV_NUMATUNE_MODE_STRICT;
    if (!XV_ATTR_ENUM(def, mem, "mode", xv_numatune_mode_from_string, nt->mode, error) ||
        !XV_ATTR_ENUM(def, mem, "placement", xv_domain_placement_from_string, nt->placement, error) ||
        !xv_attr_bitmap(def, mem, "nodeset", XV_BITMAP_MAX_BITS, &nt->nodeset, error))
        return FALSE;
    return TRUE;
}

/* ---- <os> ------------------------------------------------------------- */

static gboolean
xv_parse_os(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = {
        "type", "loader", "nvram", "kernel", "initrd", "cmdline", "dtb", "boot",
        "bootmenu", "acpi", NULL
    };
    XvDomainOsDef *os = &def->os;
    xmlNode *type = xv_child(n, "type");
    xmlNode *c;

    if (!xv_check_children(def, n, known, NULL, error))
        return FALSE;
    if (!XV_ATTR_ENUM(def, n, "firmware", xv_domain_firmware_from_string, os->firmware, error))
        return FALSE;

    if (type != NULL) {
        g_autofree char *t = xv_text(type);

        g_strstrip(t);
        if (strcmp(t, "hvm") == 0)
            os->type = XV_DOMAIN_OS_HVM;
        else if (strcmp(t, "linux") == 0 || strcmp(t, "xen") == 0)
            os->type = XV_DOMAIN_OS_XEN;
        else if (strcmp(t, "xenpvh") == 0)
            os->type = XV_DOMAIN_OS_XENPVH;
        else
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("Unknown OS type '%1$s' in domain '%2$s'."), t, DOMNAME(def));
        os->arch = xv_prop(type, "arch");
        os->machine = xv_prop(type, "machine");
    } else if (def->os.bootloader != NULL) {
        /* libvirt: a bootloader without <type> means a PV guest. */
        os->type = XV_DOMAIN_OS_XEN;
    } else {
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has no OS type: <os> needs a <type> element."),
                       DOMNAME(def));
    }

    if ((c = xv_child(n, "loader")) != NULL) {
        g_autofree char *path = xv_text(c);

        g_strstrip(path);
        os->loader = *path ? g_steal_pointer(&path) : NULL;
        if (!XV_ATTR_ENUM(def, c, "type", xv_domain_loader_type_from_string, os->loader_type, error) ||
            !XV_ATTR_ENUM(def, c, "readonly", xv_tristate_bool_from_string, os->loader_readonly, error) ||
            !XV_ATTR_ENUM(def, c, "secure", xv_tristate_bool_from_string, os->loader_secure, error))
            return FALSE;
        os->loader_format = xv_prop(c, "format");
    }
    if ((c = xv_child(n, "nvram")) != NULL) {
        g_autofree char *path = xv_text(c);

        g_strstrip(path);
        os->nvram = *path ? g_steal_pointer(&path) : NULL;
        os->nvram_template = xv_prop(c, "template");
    }
    if ((c = xv_child(n, "kernel")) != NULL)
        os->kernel = xv_text(c);
    if ((c = xv_child(n, "initrd")) != NULL)
        os->initrd = xv_text(c);
    if ((c = xv_child(n, "cmdline")) != NULL)
        os->cmdline = xv_text(c);
    if ((c = xv_child(n, "dtb")) != NULL)
        os->dtb = xv_text(c);
    if ((c = xv_child(n, "bootmenu")) != NULL &&
        !XV_ATTR_ENUM(def, c, "enable", xv_tristate_bool_from_string, os->bootmenu, error))
        return FALSE;
    if ((c = xv_child(n, "acpi")) != NULL) {
        static const char *const acpi_known[] = { "table", NULL };
        xmlNode *table;

        if (!xv_check_children(def, c, acpi_known, NULL, error))
            return FALSE;
        if ((table = xv_child(c, "table")) != NULL) {
            os->acpi_table_type = xv_prop(table, "type");
            if (os->acpi_table_type == NULL)
                return xv_missing(def, table, "type", error);
            if (strcmp(os->acpi_table_type, "slic") != 0)
                return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                               _("ACPI table type '%1$s' in domain '%2$s' is not supported by Xen; only 'slic' is."),
                               os->acpi_table_type, DOMNAME(def));
            os->acpi_table = xv_text(table);
            g_strstrip(os->acpi_table);
        }
    }

    for (c = n->children; c != NULL; c = c->next) {
        g_autofree char *dev = NULL;
        int b;

        if (!xv_is(c, "boot"))
            continue;
        dev = xv_prop(c, "dev");
        if (dev == NULL)
            return xv_missing(def, c, "dev", error);
        if ((b = xv_domain_boot_dev_from_string(dev)) < 0)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("Unknown boot device '%1$s' in domain '%2$s'."), dev, DOMNAME(def));
        if (os->nboot >= XV_DOMAIN_BOOT_LAST)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%1$s' lists more than %2$d boot devices."),
                           DOMNAME(def), XV_DOMAIN_BOOT_LAST);
        os->boot[os->nboot++] = b;
    }
    return TRUE;
}

/* ---- <features> ------------------------------------------------------- */

static gboolean
xv_parse_state(const XvDomainDef *def, xmlNode *n, XvTristate *out, GError **error)
{
    int v = XV_TRISTATE_ON;   /* a bare element means on */

    if (!xv_attr_enum(def, n, "state", xv_tristate_from_string, &v, error))
        return FALSE;
    *out = v;
    return TRUE;
}

static gboolean
xv_parse_hyperv(XvDomainDef *def, xmlNode *n, GError **error)
{
    XvDomainFeatures *f = &def->features;

    f->hyperv_mode = XV_DOMAIN_HYPERV_MODE_CUSTOM;
    if (!XV_ATTR_ENUM(def, n, "mode", xv_domain_hyperv_mode_from_string, f->hyperv_mode, error))
        return FALSE;
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        int feat;
        g_autofree char *cname = NULL;

        if (!xv_is_elem(c))
            continue;
        if (c->ns != NULL || (feat = xv_domain_hyperv_feature_from_string((const char *)c->name)) < 0) {
            cname = xv_elem_name(c);
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("The Hyper-V feature <%1$s> in domain '%2$s' is not supported by xenvirt."),
                           cname, DOMNAME(def));
        }
        if (!xv_parse_state(def, c, &f->hyperv[feat], error))
            return FALSE;
        if (feat == XV_DOMAIN_HYPERV_SPINLOCKS && f->hyperv[feat] == XV_TRISTATE_ON) {
            gboolean have = FALSE;

            if (!xv_attr_guint(def, c, "retries", 10, &f->hyperv_spinlocks_retries, &have, error))
                return FALSE;
            if (!have)
                return xv_missing(def, c, "retries", error);
        }
        if (feat == XV_DOMAIN_HYPERV_VENDOR_ID && f->hyperv[feat] == XV_TRISTATE_ON) {
            f->hyperv_vendor_id = xv_prop(c, "value");
            if (f->hyperv_vendor_id == NULL)
                return xv_missing(def, c, "value", error);
        }
    }
    return TRUE;
}

static gboolean
xv_parse_features(XvDomainDef *def, xmlNode *n, GError **error)
{
    XvDomainFeatures *f = &def->features;

    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        int feat;
        g_autofree char *cname = NULL;

        if (!xv_is_elem(c))
            continue;
        if (c->ns != NULL || (feat = xv_domain_feature_from_string((const char *)c->name)) < 0) {
            cname = xv_elem_name(c);
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("The feature <%1$s> in domain '%2$s' is not supported by xenvirt."),
                           cname, DOMNAME(def));
        }
        switch ((XvDomainFeature)feat) {
        case XV_DOMAIN_FEATURE_PAE:
        case XV_DOMAIN_FEATURE_ACPI:
        case XV_DOMAIN_FEATURE_APIC:
        case XV_DOMAIN_FEATURE_VIRIDIAN:
        case XV_DOMAIN_FEATURE_HAP:
            if (!xv_parse_state(def, c, &f->state[feat], error))
                return FALSE;
            break;
        case XV_DOMAIN_FEATURE_HYPERV:
            f->state[feat] = XV_TRISTATE_ON;
            if (!xv_parse_hyperv(def, c, error))
                return FALSE;
            break;
        case XV_DOMAIN_FEATURE_XEN: {
            static const char *const known[] = { "e820_host", "passthrough", NULL };
            xmlNode *x;

            f->state[feat] = XV_TRISTATE_ON;
            if (!xv_check_children(def, c, known, NULL, error))
                return FALSE;
            if ((x = xv_child(c, "e820_host")) != NULL &&
                !xv_parse_state(def, x, &f->xen_e820_host, error))
                return FALSE;
            if ((x = xv_child(c, "passthrough")) != NULL) {
                if (!xv_parse_state(def, x, &f->xen_passthrough, error) ||
                    !XV_ATTR_ENUM(def, x, "mode", xv_domain_xen_passthrough_mode_from_string,
                                  f->xen_passthrough_mode, error))
                    return FALSE;
            }
            break;
        }
        case XV_DOMAIN_FEATURE_LAST:
            break;
        }
    }
    return TRUE;
}

/* ---- <cpu> ------------------------------------------------------------ */

static gboolean
xv_parse_numa(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "cell", NULL };
    static const char *const ignored[] = { "interconnects", NULL };
    GPtrArray *cells = def->cpu.cells;
    guint ncells = 0;
    g_autoptr(GPtrArray) byid = NULL;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    for (xmlNode *c = n->children; c != NULL; c = c->next)
        if (xv_is(c, "cell"))
            ncells++;
    byid = g_ptr_array_new_full(ncells, (GDestroyNotify)xv_numa_cell_free);
    g_ptr_array_set_size(byid, ncells);

    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        g_autoptr(XvNumaCell) cell = NULL;
        gboolean have_id = FALSE;

        if (!xv_is(c, "cell"))
            continue;
        cell = g_new0(XvNumaCell, 1);
        if (!xv_attr_guint(def, c, "id", 10, &cell->id, &have_id, error))
            return FALSE;
        if (!have_id)
            return xv_missing(def, c, "id", error);
        if (cell->id >= ncells)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell id %1$u in domain '%2$s' is out of range: the %3$u cells must have ids 0 to %4$u."),
                           cell->id, DOMNAME(def), ncells, ncells - 1);
        if (g_ptr_array_index(byid, cell->id) != NULL)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell id %1$u appears twice in domain '%2$s'."),
                           cell->id, DOMNAME(def));
        if (!xv_attr_bitmap(def, c, "cpus", XV_BITMAP_MAX_BITS, &cell->cpus, error))
            return FALSE;
        if (cell->cpus == NULL)
            return xv_missing(def, c, "cpus", error);
        if (!xv_parse_size_kib(def, c, "memory", &cell->memory_kb, error))
            return FALSE;
        if (cell->memory_kb == 0)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell %1$u in domain '%2$s' has no memory."), cell->id, DOMNAME(def));
        {
            guint id = cell->id;   /* read before the steal: order of evaluation */

            g_ptr_array_index(byid, id) = g_steal_pointer(&cell);
        }
    }

    /* Distances, completed symmetrically as libvirt does. */
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        xmlNode *dist;
        guint id = 0;

        if (!xv_is(c, "cell"))
            continue;
        xv_attr_guint(def, c, "id", 10, &id, NULL, NULL);
        if ((dist = xv_child(c, "distances")) == NULL)
            continue;
        for (xmlNode *s = dist->children; s != NULL; s = s->next) {
            guint sid = 0, value = 0;
            gboolean have_sid = FALSE, have_value = FALSE;
            XvNumaCell *self = g_ptr_array_index(byid, id);
            XvNumaCell *other;

            if (!xv_is(s, "sibling"))
                continue;
            if (!xv_attr_guint(def, s, "id", 10, &sid, &have_sid, error) ||
                !xv_attr_guint(def, s, "value", 10, &value, &have_value, error))
                return FALSE;
            if (!have_sid)
                return xv_missing(def, s, "id", error);
            if (!have_value)
                return xv_missing(def, s, "value", error);
            if (sid >= ncells)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("NUMA cell %1$u in domain '%2$s' gives a distance to cell %3$u, which does not exist."),
                               id, DOMNAME(def), sid);
            if (value < 10 || value > 255)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("NUMA distance %1$u between cells %2$u and %3$u in domain '%4$s' is out of range 10 to 255."),
                               value, id, sid, DOMNAME(def));
            if ((sid == id) != (value == 10))
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("NUMA distance %1$u between cells %2$u and %3$u in domain '%4$s' is invalid: 10 is the local distance, and only the local distance."),
                               value, id, sid, DOMNAME(def));
            other = g_ptr_array_index(byid, sid);
            if (self->distances == NULL) {
                self->distances = g_array_sized_new(FALSE, TRUE, sizeof(guint), ncells);
                g_array_set_size(self->distances, ncells);
                g_array_index(self->distances, guint, id) = 10;
            }
            g_array_index(self->distances, guint, sid) = value;
            if (other->distances == NULL) {
                other->distances = g_array_sized_new(FALSE, TRUE, sizeof(guint), ncells);
                g_array_set_size(other->distances, ncells);
                g_array_index(other->distances, guint, sid) = 10;
            }
            g_array_index(other->distances, guint, id) = value;
        }
    }

    for (guint i = 0; i < ncells; i++)
        g_ptr_array_add(cells, g_steal_pointer(&g_ptr_array_index(byid, i)));
    return TRUE;
}

static gboolean
xv_parse_cpu(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "model", "vendor", "topology", "feature", "numa", NULL };
    XvCpuDef *cpu = &def->cpu;
    xmlNode *c;

    if (!xv_check_children(def, n, known, NULL, error))
        return FALSE;
    if (!XV_ATTR_ENUM(def, n, "mode", xv_cpu_mode_from_string, cpu->mode, error))
        return FALSE;
    cpu->match = xv_prop(n, "match");
    cpu->check = xv_prop(n, "check");
    if ((c = xv_child(n, "model")) != NULL) {
        cpu->model = xv_text(c);
        g_strstrip(cpu->model);
    }
    if ((c = xv_child(n, "vendor")) != NULL) {
        cpu->vendor = xv_text(c);
        g_strstrip(cpu->vendor);
    }
    if ((c = xv_child(n, "topology")) != NULL) {
        if (!xv_attr_guint(def, c, "sockets", 10, &cpu->sockets, NULL, error) ||
            !xv_attr_guint(def, c, "dies", 10, &cpu->dies, NULL, error) ||
            !xv_attr_guint(def, c, "cores", 10, &cpu->cores, NULL, error) ||
            !xv_attr_guint(def, c, "threads", 10, &cpu->threads, NULL, error))
            return FALSE;
    }
    for (c = n->children; c != NULL; c = c->next) {
        g_autoptr(XvCpuFeature) feat = NULL;
        int policy = XV_CPU_FEATURE_REQUIRE;

        if (!xv_is(c, "feature"))
            continue;
        feat = g_new0(XvCpuFeature, 1);
        feat->name = xv_prop(c, "name");
        if (feat->name == NULL)
            return xv_missing(def, c, "name", error);
        if (!xv_attr_enum(def, c, "policy", xv_cpu_feature_policy_from_string, &policy, error))
            return FALSE;
        feat->policy = policy;
        g_ptr_array_add(cpu->features, g_steal_pointer(&feat));
    }
    if ((c = xv_child(n, "numa")) != NULL && !xv_parse_numa(def, c, error))
        return FALSE;
    return TRUE;
}

/* ---- <clock> ---------------------------------------------------------- */

static gboolean
xv_parse_clock(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "timer", NULL };
    XvClockDef *clock = &def->clock;
    g_autofree char *adjustment = xv_prop(n, "adjustment");

    if (!xv_check_children(def, n, known, NULL, error))
        return FALSE;
    if (!XV_ATTR_ENUM(def, n, "offset", xv_clock_offset_from_string, clock->offset, error))
        return FALSE;

    switch (clock->offset) {
    case XV_CLOCK_OFFSET_UTC:
    case XV_CLOCK_OFFSET_LOCALTIME:
        if (adjustment != NULL) {
            if (strcmp(adjustment, "reset") == 0) {
                clock->adjustment_reset = TRUE;
            } else {
                /* libvirt: a numeric adjustment turns utc/localtime into
                 * variable with the matching basis. */
                if (!xv_str_to_i64(adjustment, &clock->adjustment))
                    return xv_bad_value(def, n, "adjustment", adjustment, error);
                clock->basis = g_strdup(clock->offset == XV_CLOCK_OFFSET_UTC ? "utc" : "localtime");
                clock->has_adjustment = TRUE;
                clock->offset = XV_CLOCK_OFFSET_VARIABLE;
            }
        }
        break;
    case XV_CLOCK_OFFSET_VARIABLE:
        clock->has_adjustment = TRUE;
        if (adjustment != NULL && !xv_str_to_i64(adjustment, &clock->adjustment))
            return xv_bad_value(def, n, "adjustment", adjustment, error);
        clock->basis = xv_prop(n, "basis");
        if (clock->basis == NULL)
            clock->basis = g_strdup("utc");
        if (strcmp(clock->basis, "utc") != 0 && strcmp(clock->basis, "localtime") != 0)
            return xv_bad_value(def, n, "basis", clock->basis, error);
        break;
    case XV_CLOCK_OFFSET_TIMEZONE:
        clock->timezone = xv_prop(n, "timezone");
        if (clock->timezone == NULL)
            return xv_missing(def, n, "timezone", error);
        break;
    case XV_CLOCK_OFFSET_LAST:
        break;
    }

    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        g_autoptr(XvTimerDef) timer = NULL;
        g_autofree char *name = NULL;
        int v;

        if (!xv_is(c, "timer"))
            continue;
        timer = g_new0(XvTimerDef, 1);
        name = xv_prop(c, "name");
        if (name == NULL)
            return xv_missing(def, c, "name", error);
        if ((v = xv_timer_name_from_string(name)) < 0)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("Unknown timer '%1$s' in domain '%2$s'."), name, DOMNAME(def));
        timer->name = v;
        if (!XV_ATTR_ENUM(def, c, "present", xv_tristate_bool_from_string, timer->present, error) ||
            !XV_ATTR_ENUM(def, c, "mode", xv_timer_mode_from_string, timer->mode, error) ||
            !XV_ATTR_ENUM(def, c, "tickpolicy", xv_timer_tickpolicy_from_string, timer->tickpolicy, error) ||
            !xv_attr_uint(def, c, "frequency", 10, G_MAXUINT64, &timer->frequency, NULL, error))
            return FALSE;
        g_ptr_array_add(clock->timers, g_steal_pointer(&timer));
    }
    return TRUE;
}

static gboolean
xv_parse_lifecycle(XvDomainDef *def, xmlNode *n, XvDomainLifecycleAction *out, GError **error)
{
    g_autofree char *text = xv_text(n);
    int v;

    g_strstrip(text);
    if ((v = xv_domain_lifecycle_action_from_string(text)) < 0)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Unknown lifecycle action '%1$s' for <%2$s> in domain '%3$s'."),
                       text, (const char *)n->name, DOMNAME(def));
    *out = v;
    return TRUE;
}

/* ---- devices ---------------------------------------------------------- */

/* Children every device may carry that never change the guest under Xen:
 * the device alias, and for some devices a bus address xenvirt does not
 * model (libxl places those devices itself). */
#define XV_DEVICE_IGNORED "alias"

/* Post-parse adds every disk controller up to the highest one a disk uses,
 * so the index is bounded. */
static gboolean
xv_check_disk_controller_index(XvDomainDef *def, const XvDiskDef *disk, GError **error)
{
    if (disk->addr_controller > XV_DOMAIN_MAX_DISK_CONTROLLER)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The disk '%1$s' of domain '%2$s' would sit on controller %3$u; the highest controller index is %4$u."),
                       disk->dst ? disk->dst : "", DOMNAME(def), disk->addr_controller,
                       XV_DOMAIN_MAX_DISK_CONTROLLER);
    return TRUE;
}

static gboolean
xv_parse_drive_address(XvDomainDef *def, XvDiskDef *disk, xmlNode *addr, GError **error)
{
    g_autofree char *type = xv_prop(addr, "type");

    /* Only drive addresses mean something for a Xen disk; libxl places
     * PCI/USB disks itself, so other address types are dropped. */
    if (type == NULL || strcmp(type, "drive") != 0)
        return TRUE;
    disk->has_drive_address = TRUE;
    if (!xv_attr_guint(def, addr, "controller", 10, &disk->addr_controller, NULL, error) ||
        !xv_attr_guint(def, addr, "bus", 10, &disk->addr_bus, NULL, error) ||
        !xv_attr_guint(def, addr, "target", 10, &disk->addr_target, NULL, error) ||
        !xv_attr_guint(def, addr, "unit", 10, &disk->addr_unit, NULL, error))
        return FALSE;
    return xv_check_disk_controller_index(def, disk, error);
}

static gboolean
xv_parse_disk_auth(XvDomainDef *def, XvDiskDef *disk, xmlNode *auth, GError **error)
{
    xmlNode *secret = xv_child(auth, "secret");

    g_free(disk->auth_username);
    disk->auth_username = xv_prop(auth, "username");
    if (secret != NULL) {
        g_free(disk->auth_secret_type);
        g_free(disk->auth_secret_usage);
        g_free(disk->auth_secret_uuid);
        disk->auth_secret_type = xv_prop(secret, "type");
        disk->auth_secret_usage = xv_prop(secret, "usage");
        disk->auth_secret_uuid = xv_prop(secret, "uuid");
    }
    return TRUE;
}

static gboolean
xv_parse_disk(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = {
        "driver", "source", "auth", "target", "readonly", "shareable", "transient",
        "script", "backenddomain", "serial", "address", NULL
    };
    /* backingStore and mirror are live status; geometry/blockio/wwn/vendor/
     * product are emulated-disk identity that libxl cannot set anyway. */
    static const char *const ignored[] = {
        XV_DEVICE_IGNORED, "backingStore", "mirror", "geometry", "blockio", "wwn",
        "vendor", "product", NULL
    };
    g_autoptr(XvDiskDef) disk = g_new0(XvDiskDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    g_autofree char *device = xv_prop(n, "device");
    xmlNode *c;
    int v;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if (type != NULL) {
        if ((v = xv_disk_type_from_string(type)) < 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Disk type '%1$s' in domain '%2$s' is not supported by xenvirt."),
                           type, DOMNAME(def));
        disk->type = v;
    }
    if (device != NULL) {
        if ((v = xv_disk_device_from_string(device)) < 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Disk device '%1$s' in domain '%2$s' is not supported by xenvirt."),
                           device, DOMNAME(def));
        disk->device = v;
    }

    if ((c = xv_child(n, "driver")) != NULL) {
        disk->driver_name = xv_prop(c, "name");
        disk->driver_type = xv_prop(c, "type");
        disk->driver_cache = xv_prop(c, "cache");
    }

    if ((c = xv_child(n, "source")) != NULL) {
        xmlNode *a;

        switch (disk->type) {
        case XV_DISK_TYPE_FILE:
            disk->src = xv_prop(c, "file");
            break;
        case XV_DISK_TYPE_BLOCK:
            disk->src = xv_prop(c, "dev");
            break;
        case XV_DISK_TYPE_NETWORK:
            disk->protocol = xv_prop(c, "protocol");
            disk->src = xv_prop(c, "name");
            if (disk->protocol == NULL)
                return xv_missing(def, c, "protocol", error);
            if (strcmp(disk->protocol, "rbd") != 0)
                return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                               _("Network disk protocol '%1$s' in domain '%2$s' is not supported by Xen; only 'rbd' is."),
                               disk->protocol, DOMNAME(def));
            disk->hosts = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_host_free);
            for (xmlNode *h = c->children; h != NULL; h = h->next) {
                g_autoptr(XvNetHost) host = NULL;

                if (!xv_is(h, "host"))
                    continue;
                host = g_new0(XvNetHost, 1);
                host->name = xv_prop(h, "name");
                if (!xv_attr_int(def, h, "port", 0, 65535, &host->port, NULL, error))
                    return FALSE;
                g_ptr_array_add(disk->hosts, g_steal_pointer(&host));
            }
            if ((a = xv_child(c, "auth")) != NULL && !xv_parse_disk_auth(def, disk, a, error))
                return FALSE;
            break;
        case XV_DISK_TYPE_LAST:
            break;
        }
    }
    if ((c = xv_child(n, "auth")) != NULL && !xv_parse_disk_auth(def, disk, c, error))
        return FALSE;

    if ((c = xv_child(n, "target")) != NULL) {
        g_autofree char *bus = xv_prop(c, "bus");

        disk->dst = xv_prop(c, "dev");
        if (bus != NULL) {
            if ((v = xv_disk_bus_from_string(bus)) <= 0)
                return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                               _("Disk bus '%1$s' for disk '%2$s' in domain '%3$s' is not supported by Xen."),
                               bus, disk->dst ? disk->dst : "", DOMNAME(def));
            disk->bus = v;
        }
    }
    if (disk->dst == NULL || *disk->dst == '\0')
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A disk in domain '%s' has no target device (<target dev=...>)."),
                       DOMNAME(def));

    disk->readonly = xv_child(n, "readonly") != NULL;
    disk->shareable = xv_child(n, "shareable") != NULL;
    disk->transient = xv_child(n, "transient") != NULL;
    if ((c = xv_child(n, "script")) != NULL)
        disk->script = xv_prop(c, "path");
    if ((c = xv_child(n, "backenddomain")) != NULL)
        disk->backend_domain = xv_prop(c, "name");
    if ((c = xv_child(n, "serial")) != NULL)
        disk->serial = xv_text(c);
    if ((c = xv_child(n, "address")) != NULL && !xv_parse_drive_address(def, disk, c, error))
        return FALSE;

    if (disk->src == NULL && disk->device == XV_DISK_DEVICE_DISK)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Disk '%1$s' in domain '%2$s' has no source; only CD-ROM and floppy drives may be empty."),
                       disk->dst, DOMNAME(def));

    g_ptr_array_add(def->disks, g_steal_pointer(&disk));
    return TRUE;
}

static gboolean
xv_parse_pci_address(XvDomainDef *def, xmlNode *addr, guint *domain, guint *bus,
                     guint *slot, guint *function, GError **error)
{
    /* libvirt reads these with base 0: "0x1a" is hex. */
    return xv_attr_guint(def, addr, "domain", 0, domain, NULL, error) &&
           xv_attr_guint(def, addr, "bus", 0, bus, NULL, error) &&
           xv_attr_guint(def, addr, "slot", 0, slot, NULL, error) &&
           xv_attr_guint(def, addr, "function", 0, function, NULL, error);
}

static gboolean
xv_parse_rate(XvDomainDef *def, xmlNode *n, XvNetBandwidthRate *rate, GError **error)
{
    rate->present = TRUE;
    return xv_attr_uint(def, n, "average", 10, G_MAXUINT64, &rate->average, NULL, error) &&
           xv_attr_uint(def, n, "peak", 10, G_MAXUINT64, &rate->peak, NULL, error) &&
           xv_attr_uint(def, n, "burst", 10, G_MAXUINT64, &rate->burst, NULL, error);
}

static gboolean
xv_parse_interface(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = {
        "mac", "source", "script", "model", "target", "ip", "bandwidth", "vlan",
        "virtualport", "mtu", "backenddomain", "driver", NULL
    };
    /* address: libxl places vifs itself; guest: name inside the guest only
     * matters for containers; rom: emulated NIC option ROM, ignored by
     * libxl. */
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "address", "guest", "rom", NULL };
    g_autoptr(XvNetDef) net = g_new0(XvNetDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    xmlNode *c;
    int v;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if (type == NULL)
        return xv_missing(def, n, "type", error);
    if ((v = xv_net_type_from_string(type)) < 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Interface type '%1$s' in domain '%2$s' is not supported by Xen."),
                       type, DOMNAME(def));
    net->type = v;

    if ((c = xv_child(n, "mac")) != NULL) {
        g_autofree char *mac = xv_prop(c, "address");
        g_autoptr(GError) local = NULL;

        if (mac == NULL)
            return xv_missing(def, c, "address", error);
        if (!xv_mac_parse(mac, net->mac, &local))
            return xv_fail(error, XV_ERROR_INVALID_MAC,
                           _("Invalid MAC address '%1$s' for an interface of domain '%2$s'."),
                           mac, DOMNAME(def));
        if (xv_mac_is_multicast(net->mac))
            return xv_fail(error, XV_ERROR_INVALID_MAC,
                           _("The MAC address '%1$s' of an interface of domain '%2$s' is a multicast address; an interface needs a unicast address."),
                           mac, DOMNAME(def));
    } else {
        net->mac_generated = TRUE;
    }

    if ((c = xv_child(n, "source")) != NULL) {
        switch (net->type) {
        case XV_NET_TYPE_BRIDGE:
            net->bridge = xv_prop(c, "bridge");
            break;
        case XV_NET_TYPE_NETWORK:
            net->network = xv_prop(c, "network");
            net->portgroup = xv_prop(c, "portgroup");
            break;
        case XV_NET_TYPE_HOSTDEV: {
            xmlNode *addr = xv_child(c, "address");

            if (addr == NULL)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("A hostdev interface of domain '%s' has no PCI source address."),
                               DOMNAME(def));
            if (!xv_parse_pci_address(def, addr, &net->pci_domain, &net->pci_bus,
                                      &net->pci_slot, &net->pci_function, error))
                return FALSE;
            break;
        }
        case XV_NET_TYPE_ETHERNET:
        case XV_NET_TYPE_LAST:
            break;
        }
    }
    if (net->type == XV_NET_TYPE_BRIDGE && net->bridge == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A bridge interface of domain '%s' has no <source bridge=...>."),
                       DOMNAME(def));
    if (net->type == XV_NET_TYPE_NETWORK && net->network == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A network interface of domain '%s' has no <source network=...>."),
                       DOMNAME(def));
    if (net->type == XV_NET_TYPE_HOSTDEV && c == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A hostdev interface of domain '%s' has no PCI source address."),
                       DOMNAME(def));

    if ((c = xv_child(n, "script")) != NULL)
        net->script = xv_prop(c, "path");
    if ((c = xv_child(n, "model")) != NULL)
        net->model = xv_prop(c, "type");
    if ((c = xv_child(n, "target")) != NULL)
        net->ifname = xv_prop(c, "dev");
    if ((c = xv_child(n, "backenddomain")) != NULL)
        net->backend_domain = xv_prop(c, "name");
    if ((c = xv_child(n, "mtu")) != NULL &&
        !xv_attr_int(def, c, "size", 1, G_MAXINT, &net->mtu, NULL, error))
        return FALSE;
    if ((c = xv_child(n, "virtualport")) != NULL) {
        net->virtualport_type = xv_prop(c, "type");
        if (net->virtualport_type == NULL || strcmp(net->virtualport_type, "openvswitch") != 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Virtual port type '%1$s' in domain '%2$s' is not supported by Xen; only 'openvswitch' is."),
                           net->virtualport_type ? net->virtualport_type : "", DOMNAME(def));
    }

    for (c = n->children; c != NULL; c = c->next) {
        g_autoptr(XvNetIp) ip = NULL;

        if (!xv_is(c, "ip"))
            continue;
        ip = g_new0(XvNetIp, 1);
        ip->address = xv_prop(c, "address");
        if (ip->address == NULL)
            return xv_missing(def, c, "address", error);
        ip->family = xv_prop(c, "family");
        if (!xv_attr_guint(def, c, "prefix", 10, &ip->prefix, NULL, error))
            return FALSE;
        if (!g_hostname_is_ip_address(ip->address))
            return xv_bad_value(def, c, "address", ip->address, error);
        if (net->ips == NULL)
            net->ips = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_ip_free);
        g_ptr_array_add(net->ips, g_steal_pointer(&ip));
    }

    if ((c = xv_child(n, "bandwidth")) != NULL) {
        static const char *const bw_known[] = { "inbound", "outbound", NULL };
        xmlNode *r;

        if (!xv_check_children(def, c, bw_known, NULL, error))
            return FALSE;
        if ((r = xv_child(c, "inbound")) != NULL && !xv_parse_rate(def, r, &net->inbound, error))
            return FALSE;
        if ((r = xv_child(c, "outbound")) != NULL && !xv_parse_rate(def, r, &net->outbound, error))
            return FALSE;
    }

    if ((c = xv_child(n, "vlan")) != NULL) {
        static const char *const vlan_known[] = { "tag", NULL };

        if (!xv_check_children(def, c, vlan_known, NULL, error) ||
            !xv_attr_yesno(def, c, "trunk", &net->vlan_trunk, error))
            return FALSE;
        net->vlan_tags = g_array_new(FALSE, TRUE, sizeof(guint));
        for (xmlNode *t = c->children; t != NULL; t = t->next) {
            guint id = 0;
            gboolean have = FALSE;

            if (!xv_is(t, "tag"))
                continue;
            if (!xv_attr_guint(def, t, "id", 10, &id, &have, error))
                return FALSE;
            if (!have)
                return xv_missing(def, t, "id", error);
            if (id > 4095)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("VLAN tag %1$u in domain '%2$s' is out of range 0 to 4095."),
                               id, DOMNAME(def));
            g_array_append_val(net->vlan_tags, id);
        }
        if (net->vlan_tags->len == 0)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A <vlan> element in domain '%s' has no <tag>."), DOMNAME(def));
        if (net->vlan_tags->len > 1 && !net->vlan_trunk)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A <vlan> element in domain '%s' has several tags but is not a trunk (trunk='yes')."),
                           DOMNAME(def));
    }

    g_ptr_array_add(def->nets, g_steal_pointer(&net));
    return TRUE;
}

static gboolean
xv_parse_graphics(XvDomainDef *def, xmlNode *n, XvParseFlags flags, GError **error)
{
    static const char *const known[] = {
        "listen", "mouse", "clipboard", "image", "streaming", "filetransfer", "gl", NULL
    };
    /* SPICE channel security and compression tuning: display transport
     * details libxl cannot express; they do not change the guest. */
    static const char *const ignored[] = {
        "channel", "jpeg", "zlib", "playback", "audio", NULL
    };
    g_autoptr(XvGraphicsDef) g = g_new0(XvGraphicsDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    g_autofree char *port = NULL;
    g_autofree char *autoport = NULL;
    xmlNode *c;
    int v;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if (type == NULL)
        return xv_missing(def, n, "type", error);
    if ((v = xv_graphics_type_from_string(type)) < 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Graphics type '%1$s' in domain '%2$s' is not supported by Xen."),
                       type, DOMNAME(def));
    g->type = v;

    if (g->type == XV_GRAPHICS_VNC || g->type == XV_GRAPHICS_SPICE) {
        port = xv_prop(n, "port");
        autoport = xv_prop(n, "autoport");
        g->port = -1;
        g->autoport = TRUE;
        if (port != NULL) {
            if (!xv_attr_int(def, n, "port", -1, 65535, &g->port, NULL, error))
                return FALSE;
            g->autoport = (g->port == -1);
        }
        if (autoport != NULL) {
            if (!xv_attr_yesno(def, n, "autoport", &g->autoport, error))
                return FALSE;
            /* libvirt: the port a running guest got is live data. */
            if (g->autoport && !(flags & XV_PARSE_LIVE))
                g->port = -1;
        }
        if (g->type == XV_GRAPHICS_SPICE &&
            !xv_attr_int(def, n, "tlsPort", -1, 65535, &g->tls_port, NULL, error))
            return FALSE;
        g->listen = xv_prop(n, "listen");
        g->passwd = xv_prop(n, "passwd");
        g->keymap = xv_prop(n, "keymap");

        /* The first <listen> child; its address wins over the attribute. */
        if ((c = xv_child(n, "listen")) != NULL) {
            g_autofree char *ltype = xv_prop(c, "type");

            if (ltype == NULL || strcmp(ltype, "address") != 0)
                return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                               _("Graphics listen type '%1$s' in domain '%2$s' is not supported by Xen; only 'address' is."),
                               ltype ? ltype : "", DOMNAME(def));
            if (xmlHasProp(c, (const xmlChar *)"address")) {
                g_free(g->listen);
                g->listen = xv_prop(c, "address");
            }
        }
    } else {
        g->display = xv_prop(n, "display");
        g->xauth = xv_prop(n, "xauth");
        if (!xv_attr_yesno(def, n, "fullscreen", &g->fullscreen, error))
            return FALSE;
    }

    if (g->type == XV_GRAPHICS_SPICE) {
        if ((c = xv_child(n, "mouse")) != NULL)
            g->mouse_mode = xv_prop(c, "mode");
        if ((c = xv_child(n, "clipboard")) != NULL &&
            !XV_ATTR_ENUM(def, c, "copypaste", xv_tristate_bool_from_string, g->clipboard_copypaste, error))
            return FALSE;
        if ((c = xv_child(n, "image")) != NULL)
            g->spice_image_compression = xv_prop(c, "compression");
        if ((c = xv_child(n, "streaming")) != NULL)
            g->spice_streaming_mode = xv_prop(c, "mode");
        if ((c = xv_child(n, "filetransfer")) != NULL &&
            !XV_ATTR_ENUM(def, c, "enable", xv_tristate_bool_from_string, g->spice_filetransfer, error))
            return FALSE;
    }
    if ((c = xv_child(n, "gl")) != NULL &&
        !XV_ATTR_ENUM(def, c, "enable", xv_tristate_bool_from_string, g->gl, error))
        return FALSE;

    g_ptr_array_add(def->graphics, g_steal_pointer(&g));
    return TRUE;
}

static gboolean
xv_parse_video(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "model", NULL };
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "address", "driver", NULL };
    g_autoptr(XvVideoDef) video = g_new0(XvVideoDef, 1);
    xmlNode *c;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if ((c = xv_child(n, "model")) != NULL) {
        g_autofree char *type = xv_prop(c, "type");
        static const char *const model_ignored[] = { "acceleration", "resolution", NULL };
        int v;

        if (!xv_check_children(def, c, NULL, model_ignored, error))
            return FALSE;
        if (type != NULL) {
            if ((v = xv_video_type_from_string(type)) < 0)
                return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                               _("Video model '%1$s' in domain '%2$s' is not supported by Xen."),
                               type, DOMNAME(def));
            video->type = v;
        }
        if (!xv_attr_guint(def, c, "vram", 10, &video->vram_kb, NULL, error) ||
            !xv_attr_guint(def, c, "heads", 10, &video->heads, NULL, error) ||
            !xv_attr_yesno(def, c, "primary", &video->primary, error))
            return FALSE;
    }
    /* libvirt keeps the primary video first. */
    if (video->primary) {
        for (guint i = 0; i < def->videos->len; i++) {
            XvVideoDef *other = g_ptr_array_index(def->videos, i);

            if (other->primary)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("The domain '%s' has more than one primary video device."),
                               DOMNAME(def));
        }
        g_ptr_array_insert(def->videos, 0, g_steal_pointer(&video));
    } else {
        g_ptr_array_add(def->videos, g_steal_pointer(&video));
    }
    return TRUE;
}

static gboolean
xv_parse_input(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "address", NULL };
    g_autoptr(XvInputDef) input = g_new0(XvInputDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    g_autofree char *bus = xv_prop(n, "bus");
    int v;

    if (!xv_check_children(def, n, NULL, ignored, error))
        return FALSE;
    if (type == NULL)
        return xv_missing(def, n, "type", error);
    if ((v = xv_input_type_from_string(type)) < 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Input device type '%1$s' in domain '%2$s' is not supported by Xen."),
                       type, DOMNAME(def));
    input->type = v;
    if (bus != NULL) {
        if ((v = xv_input_bus_from_string(bus)) < 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Input bus '%1$s' in domain '%2$s' is not supported by Xen."),
                           bus, DOMNAME(def));
        input->bus = v;
    } else if (def->os.type == XV_DOMAIN_OS_HVM) {
        /* libvirt's defaults: tablet on USB, mouse and keyboard on PS/2. */
        input->bus = input->type == XV_INPUT_TABLET ? XV_INPUT_BUS_USB : XV_INPUT_BUS_PS2;
    } else {
        input->bus = XV_INPUT_BUS_XEN;
    }
    g_ptr_array_add(def->inputs, g_steal_pointer(&input));
    return TRUE;
}

static gboolean
xv_parse_chr(XvDomainDef *def, xmlNode *n, XvChrDeviceKind kind, XvParseFlags flags,
             GError **error)
{
    static const char *const known[] = { "source", "protocol", "target", NULL };
    /* log: host-side capture of the output; address: libxl places it. */
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "log", "address", NULL };
    g_autoptr(XvChrDef) chr = g_new0(XvChrDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    xmlNode *c;
    int v;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    chr->kind = kind;
    chr->type = XV_CHR_TYPE_PTY;
    if (type != NULL) {
        if ((v = xv_chr_type_from_string(type)) < 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Character device type '%1$s' for a <%2$s> of domain '%3$s' is not supported by Xen."),
                           type, xv_chr_device_kind_to_string(kind), DOMNAME(def));
        chr->type = v;
    }

    for (c = n->children; c != NULL; c = c->next) {
        g_autofree char *mode = NULL;

        if (!xv_is(c, "source"))
            continue;
        mode = xv_prop(c, "mode");
        switch (chr->type) {
        case XV_CHR_TYPE_DEV:
        case XV_CHR_TYPE_FILE:
        case XV_CHR_TYPE_PIPE:
            if (chr->path == NULL)
                chr->path = xv_prop(c, "path");
            break;
        case XV_CHR_TYPE_PTY:
            /* The allocated /dev/pts/N is live data, as in libvirt. */
            if (chr->path == NULL && (flags & XV_PARSE_LIVE))
                chr->path = xv_prop(c, "path");
            break;
        case XV_CHR_TYPE_UNIX:
            if (chr->path == NULL) {
                chr->path = xv_prop(c, "path");
                chr->mode = g_steal_pointer(&mode);
            }
            break;
        case XV_CHR_TYPE_TCP:
            if (chr->host == NULL && chr->service == NULL) {
                chr->host = xv_prop(c, "host");
                chr->service = xv_prop(c, "service");
                chr->mode = g_steal_pointer(&mode);
            }
            break;
        case XV_CHR_TYPE_UDP:
            /* mode='bind' is the local side; connect (the default) the peer. */
            if (mode != NULL && strcmp(mode, "bind") == 0) {
                g_free(chr->host);
                g_free(chr->service);
                chr->host = xv_prop(c, "host");
                chr->service = xv_prop(c, "service");
            } else {
                g_free(chr->connect_host);
                g_free(chr->connect_service);
                chr->connect_host = xv_prop(c, "host");
                chr->connect_service = xv_prop(c, "service");
            }
            break;
        default:
            break;
        }
    }
    if ((c = xv_child(n, "protocol")) != NULL)
        chr->protocol = xv_prop(c, "type");
    if ((chr->type == XV_CHR_TYPE_DEV || chr->type == XV_CHR_TYPE_FILE ||
         chr->type == XV_CHR_TYPE_PIPE || chr->type == XV_CHR_TYPE_UNIX) && chr->path == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A <%1$s> of type '%2$s' in domain '%3$s' has no source path."),
                       xv_chr_device_kind_to_string(kind), xv_chr_type_to_string(chr->type),
                       DOMNAME(def));

    if ((c = xv_child(n, "target")) != NULL) {
        int port = 0;

        chr->target_type = xv_prop(c, "type");
        chr->target_name = xv_prop(c, "name");
        if (!xv_attr_int(def, c, "port", 0, G_MAXINT, &port, &chr->has_port, error))
            return FALSE;
        chr->port = (guint)port;
    }

    switch (kind) {
    case XV_CHR_DEVICE_SERIAL:
        if (chr->target_type != NULL && strcmp(chr->target_type, "isa-serial") != 0 &&
            strcmp(chr->target_type, "usb-serial") != 0 && strcmp(chr->target_type, "pci-serial") != 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Serial target type '%1$s' in domain '%2$s' is not supported by Xen."),
                           chr->target_type, DOMNAME(def));
        if (!chr->has_port) {
            /* libvirt: one past the highest port so far. */
            guint next = 0;

            for (guint i = 0; i < def->serials->len; i++) {
                XvChrDef *s = g_ptr_array_index(def->serials, i);

                next = MAX(next, s->port + 1);
            }
            chr->port = next;
            chr->has_port = TRUE;
        }
        g_ptr_array_add(def->serials, g_steal_pointer(&chr));
        break;
    case XV_CHR_DEVICE_CONSOLE:
        if (chr->target_type != NULL && strcmp(chr->target_type, "serial") != 0 &&
            strcmp(chr->target_type, "xen") != 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Console target type '%1$s' in domain '%2$s' is not supported by Xen."),
                           chr->target_type, DOMNAME(def));
        if (!chr->has_port) {
            chr->port = def->consoles->len;
            chr->has_port = TRUE;
        }
        g_ptr_array_add(def->consoles, g_steal_pointer(&chr));
        break;
    case XV_CHR_DEVICE_CHANNEL:
        if (chr->target_type == NULL || strcmp(chr->target_type, "xen") != 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Channel target type '%1$s' in domain '%2$s' is not supported by Xen; only 'xen' is."),
                           chr->target_type ? chr->target_type : "", DOMNAME(def));
        if (chr->target_name == NULL)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A Xen channel in domain '%s' has no target name."), DOMNAME(def));
        if (chr->type != XV_CHR_TYPE_PTY && chr->type != XV_CHR_TYPE_UNIX)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Channel type '%1$s' in domain '%2$s' is not supported by Xen; only 'pty' and 'unix' are."),
                           xv_chr_type_to_string(chr->type), DOMNAME(def));
        g_ptr_array_add(def->channels, g_steal_pointer(&chr));
        break;
    case XV_CHR_DEVICE_PARALLEL:
    case XV_CHR_DEVICE_LAST:
        break;
    }
    return TRUE;
}

static gboolean
xv_parse_hostdev(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "source", "driver", "address", NULL };
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "rom", NULL };
    g_autoptr(XvHostdevDef) hd = g_new0(XvHostdevDef, 1);
    g_autofree char *mode = xv_prop(n, "mode");
    g_autofree char *type = xv_prop(n, "type");
    xmlNode *src, *c;
    int v;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if (mode != NULL && strcmp(mode, "subsystem") != 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Host device mode '%1$s' in domain '%2$s' is not supported by Xen; only 'subsystem' is."),
                       mode, DOMNAME(def));
    if (type == NULL)
        return xv_missing(def, n, "type", error);
    if ((v = xv_hostdev_type_from_string(type)) < 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Host device type '%1$s' in domain '%2$s' is not supported by Xen."),
                       type, DOMNAME(def));
    hd->type = v;
    if (!xv_attr_yesno(def, n, "managed", &hd->managed, error))
        return FALSE;

    src = xv_child(n, "source");
    if (src == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("A host device in domain '%s' has no <source>."), DOMNAME(def));
    if (hd->type == XV_HOSTDEV_PCI) {
        xmlNode *addr = xv_child(src, "address");

        if (addr == NULL)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A PCI host device in domain '%s' has no source address."), DOMNAME(def));
        if (!xv_parse_pci_address(def, addr, &hd->domain, &hd->bus, &hd->slot, &hd->function, error) ||
            !XV_ATTR_ENUM(def, src, "writeFiltering", xv_tristate_bool_from_string, hd->write_filtering, error))
            return FALSE;
        if ((c = xv_child(n, "driver")) != NULL)
            hd->driver_name = xv_prop(c, "name");
        if ((c = xv_child(n, "address")) != NULL) {
            g_autofree char *atype = xv_prop(c, "type");

            if (atype != NULL && strcmp(atype, "pci") == 0) {
                hd->has_guest_address = TRUE;
                if (!xv_parse_pci_address(def, c, &hd->guest_domain, &hd->guest_bus,
                                          &hd->guest_slot, &hd->guest_function, error))
                    return FALSE;
            }
        }
    } else {
        xmlNode *vendor = xv_child(src, "vendor");
        xmlNode *product = xv_child(src, "product");
        xmlNode *addr = xv_child(src, "address");

        if (vendor != NULL || product != NULL) {
            gboolean have_v = FALSE, have_p = FALSE;

            if ((vendor && !xv_attr_guint(def, vendor, "id", 0, &hd->usb_vendor, &have_v, error)) ||
                (product && !xv_attr_guint(def, product, "id", 0, &hd->usb_product, &have_p, error)))
                return FALSE;
            if (!have_v || !have_p)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("A USB host device in domain '%s' needs both a vendor and a product id."),
                               DOMNAME(def));
            hd->usb_by_id = TRUE;
        }
        if (addr != NULL) {
            if (!xv_attr_guint(def, addr, "bus", 0, &hd->usb_bus, NULL, error) ||
                !xv_attr_guint(def, addr, "device", 0, &hd->usb_device, NULL, error))
                return FALSE;
        } else if (!hd->usb_by_id) {
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A USB host device in domain '%s' has neither a vendor/product id nor a bus/device address."),
                           DOMNAME(def));
        }
    }
    g_ptr_array_add(def->hostdevs, g_steal_pointer(&hd));
    return TRUE;
}

static gboolean
xv_parse_controller(XvDomainDef *def, xmlNode *n, GError **error)
{
    /* master (USB companion), model (PCI model name), target, driver:
     * QEMU placement details that libxl does not take. */
    static const char *const ignored[] = {
        XV_DEVICE_IGNORED, "address", "master", "model", "target", "driver", NULL
    };
    g_autoptr(XvControllerDef) ctrl = g_new0(XvControllerDef, 1);
    g_autofree char *type = xv_prop(n, "type");
    gboolean have_index = FALSE;
    int v;

    if (!xv_check_children(def, n, NULL, ignored, error))
        return FALSE;
    if (type == NULL)
        return xv_missing(def, n, "type", error);
    if ((v = xv_controller_type_from_string(type)) < 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Controller type '%1$s' in domain '%2$s' is not supported by Xen."),
                       type, DOMNAME(def));
    ctrl->type = v;
    if (!xv_attr_guint(def, n, "index", 10, &ctrl->index, &have_index, error) ||
        !xv_attr_guint(def, n, "ports", 10, &ctrl->ports, NULL, error) ||
        !xv_attr_guint(def, n, "maxGrantFrames", 10, &ctrl->max_grant_frames, NULL, error) ||
        !xv_attr_guint(def, n, "maxEventChannels", 10, &ctrl->max_event_channels, NULL, error))
        return FALSE;
    ctrl->model = xv_prop(n, "model");
    if (!have_index) {
        /* libvirt: one past the highest index of the same type. */
        guint next = 0;

        for (guint i = 0; i < def->controllers->len; i++) {
            XvControllerDef *o = g_ptr_array_index(def->controllers, i);

            if (o->type == ctrl->type)
                next = MAX(next, o->index + 1);
        }
        ctrl->index = next;
    }
    g_ptr_array_add(def->controllers, g_steal_pointer(&ctrl));
    return TRUE;
}

static gboolean
xv_parse_sound(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "address", "codec", "audio", NULL };
    g_autoptr(XvSoundDef) sound = g_new0(XvSoundDef, 1);

    if (!xv_check_children(def, n, NULL, ignored, error))
        return FALSE;
    sound->model = xv_prop(n, "model");
    if (sound->model == NULL)
        return xv_missing(def, n, "model", error);
    g_ptr_array_add(def->sounds, g_steal_pointer(&sound));
    return TRUE;
}

static gboolean
xv_parse_memballoon(XvDomainDef *def, xmlNode *n, GError **error)
{
    static const char *const known[] = { "stats", NULL };
    static const char *const ignored[] = { XV_DEVICE_IGNORED, "address", "driver", NULL };
    g_autoptr(XvMemballoonDef) mb = g_new0(XvMemballoonDef, 1);
    xmlNode *c;

    if (!xv_check_children(def, n, known, ignored, error))
        return FALSE;
    if (def->memballoon != NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has more than one memory balloon."), DOMNAME(def));
    mb->model = xv_prop(n, "model");
    if (mb->model == NULL)
        return xv_missing(def, n, "model", error);
    if (strcmp(mb->model, "xen") != 0 && strcmp(mb->model, "none") != 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("Memory balloon model '%1$s' in domain '%2$s' is not supported by Xen; use 'xen' or 'none'."),
                       mb->model, DOMNAME(def));
    if ((c = xv_child(n, "stats")) != NULL &&
        !xv_attr_guint(def, c, "period", 10, &mb->period, NULL, error))
        return FALSE;
    def->memballoon = g_steal_pointer(&mb);
    return TRUE;
}

static gboolean
xv_parse_devices(XvDomainDef *def, xmlNode *devices, XvParseFlags flags, GError **error)
{
    static const char *const known[] = {
        "emulator", "disk", "controller", "interface", "graphics", "video", "input",
        "serial", "console", "channel", "hostdev", "sound", "memballoon", NULL
    };
    /* lease: lock-manager leases (xenvirt has no lock manager); audio:
     * host audio backend. Neither changes the guest's hardware. */
    static const char *const ignored[] = { "lease", "audio", NULL };
    guint count = 0;

    if (!xv_check_children(def, devices, known, ignored, error))
        return FALSE;
    /* Bounded, so that validation (pairwise uniqueness checks) stays cheap
     * on hostile input; far above anything Xen can attach to one guest. */
    for (xmlNode *c = devices->children; c != NULL; c = c->next)
        count += c->type == XML_ELEMENT_NODE;
    if (count > XV_DOMAIN_MAX_DEVICES)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%1$s' has %2$u devices; the limit is %3$u."),
                       DOMNAME(def), count, XV_DOMAIN_MAX_DEVICES);
    for (xmlNode *c = devices->children; c != NULL; c = c->next) {
        gboolean ok = TRUE;
        xmlNode *boot;

        if (!xv_is_elem(c) || c->ns != NULL)
            continue;
        /* Per-device boot order: libxl only knows the <os><boot> list. */
        if ((boot = xv_child(c, "boot")) != NULL)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Per-device boot order (<boot order=...> in <%1$s>) in domain '%2$s' is not supported by Xen; use <os><boot dev=.../>."),
                           (const char *)c->name, DOMNAME(def));
        if (xv_is(c, "emulator")) {
            g_free(def->emulator);
            def->emulator = xv_text(c);
            g_strstrip(def->emulator);
        } else if (xv_is(c, "disk")) {
            ok = xv_parse_disk(def, c, error);
        } else if (xv_is(c, "controller")) {
            ok = xv_parse_controller(def, c, error);
        } else if (xv_is(c, "interface")) {
            ok = xv_parse_interface(def, c, error);
        } else if (xv_is(c, "graphics")) {
            ok = xv_parse_graphics(def, c, flags, error);
        } else if (xv_is(c, "video")) {
            ok = xv_parse_video(def, c, error);
        } else if (xv_is(c, "input")) {
            ok = xv_parse_input(def, c, error);
        } else if (xv_is(c, "serial")) {
            ok = xv_parse_chr(def, c, XV_CHR_DEVICE_SERIAL, flags, error);
        } else if (xv_is(c, "console")) {
            ok = xv_parse_chr(def, c, XV_CHR_DEVICE_CONSOLE, flags, error);
        } else if (xv_is(c, "channel")) {
            ok = xv_parse_chr(def, c, XV_CHR_DEVICE_CHANNEL, flags, error);
        } else if (xv_is(c, "hostdev")) {
            ok = xv_parse_hostdev(def, c, error);
        } else if (xv_is(c, "sound")) {
            ok = xv_parse_sound(def, c, error);
        } else if (xv_is(c, "memballoon")) {
            ok = xv_parse_memballoon(def, c, error);
        }
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* ---- the <domain> element --------------------------------------------- */

/* The element with its children, as a standalone XML string; namespaces
 * declared on ancestors are re-declared on the copy's root. */
static char *
xv_node_dump(xmlNode *n)
{
    xmlDocPtr tmp = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr copy = xmlDocCopyNode(n, tmp, 1);
    xmlBufferPtr buf = xmlBufferCreate();
    char *ret = NULL;

    if (copy != NULL && buf != NULL) {
        xmlDocSetRootElement(tmp, copy);
        xmlReconciliateNs(tmp, copy);
        if (xmlNodeDump(buf, tmp, copy, 0, 0) >= 0)
            ret = g_strdup((const char *)xmlBufferContent(buf));
    }
    if (buf != NULL)
        xmlBufferFree(buf);
    xmlFreeDoc(tmp);
    return ret;
}

static gboolean
xv_is_xen_ns(const xmlNode *n, const char *name)
{
    return xv_is_elem(n) && n->ns != NULL && n->ns->href != NULL &&
           strcmp((const char *)n->ns->href, XV_DOMAIN_XEN_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static gboolean
xv_parse_domain(XvDomainDef *def, xmlNode *root, XvParseFlags flags, GError **error)
{
    static const char *const known[] = {
        "name", "uuid", "title", "description", "metadata", "memory", "currentMemory",
        "maxMemory", "vcpu", "cputune", "numatune", "os", "bootloader", "bootloader_args",
        "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "devices", NULL
    };
    /* Host-side settings with no meaning for a Xen guest: cgroup partition,
     * security labels (xenvirt runs no security driver), perf counters,
     * lock-manager policy, QEMU I/O threads and s390 key wrapping. */
    static const char *const ignored[] = {
        "resource", "seclabel", "perf", "on_lockfailure", "iothreads", "iothreadids",
        "defaultiothread", "keywrap", NULL
    };
    g_autofree char *type = xv_prop(root, "type");
    xmlNode *c;

    /* The name first, so that every later message can name the domain. */
    if ((c = xv_child(root, "name")) == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR, _("The domain XML has no <name> element."));
    def->name = xv_text(c);
    if (!xv_domain_name_validate(def->name, error))
        return FALSE;

    if (type == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has no type: <domain> needs type='xen'."), DOMNAME(def));
    if (strcmp(type, "xen") != 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The domain '%1$s' has type '%2$s'; xenvirt only manages domains of type 'xen'."),
                       DOMNAME(def), type);

    /* Namespaced children: <xen:commandline> is ours, <metadata> holds the
     * others; anything else in a foreign namespace is not understood. */
    for (c = root->children; c != NULL; c = c->next) {
        g_autofree char *cname = NULL;

        if (!xv_is_elem(c) || c->ns == NULL)
            continue;
        if (xv_is_xen_ns(c, "commandline")) {
            for (xmlNode *a = c->children; a != NULL; a = a->next) {
                char *value;

                if (!xv_is_xen_ns(a, "arg"))
                    continue;
                if ((value = xv_prop(a, "value")) == NULL)
                    return xv_missing(def, a, "value", error);
                g_ptr_array_add(def->xen_args, value);
            }
            continue;
        }
        cname = xv_elem_name(c);
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The element <%1$s> in <domain> of domain '%2$s' is not supported by xenvirt."),
                       cname, DOMNAME(def));
    }
    for (c = root->children; c != NULL; c = c->next) {
        g_autofree char *cname = NULL;

        if (!xv_is_elem(c) || c->ns != NULL)
            continue;
        if (xv_in_list((const char *)c->name, known) || xv_in_list((const char *)c->name, ignored))
            continue;
        cname = xv_elem_name(c);
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The element <%1$s> in <domain> of domain '%2$s' is not supported by xenvirt."),
                       cname, DOMNAME(def));
    }

    if (flags & XV_PARSE_LIVE) {
        int id = -1;

        if (!xv_attr_int(def, root, "id", -1, G_MAXINT, &id, NULL, error))
            return FALSE;
        def->id = id;
    }

    if ((c = xv_child(root, "uuid")) != NULL) {
        g_autofree char *uuid = xv_text(c);
        g_autoptr(GError) local = NULL;

        g_strstrip(uuid);
        if (!xv_uuid_parse(uuid, def->uuid, &local))
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%1$s' has an invalid <uuid>: %2$s"),
                           DOMNAME(def), local->message);
    }
    if ((c = xv_child(root, "title")) != NULL) {
        def->title = xv_text(c);
        if (strchr(def->title, '\n') != NULL)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The title of domain '%s' contains a newline; a title is one line."),
                           DOMNAME(def));
    }
    if ((c = xv_child(root, "description")) != NULL)
        def->description = xv_text(c);
    if ((c = xv_child(root, "metadata")) != NULL)
        def->metadata_xml = xv_node_dump(c);

    /* <memory dumpCore=> is a QEMU/KVM knob: ignored. */
    if ((c = xv_child(root, "memory")) != NULL &&
        !xv_parse_size_kib(def, c, NULL, &def->memory_kb, error))
        return FALSE;
    if ((c = xv_child(root, "currentMemory")) != NULL &&
        !xv_parse_size_kib(def, c, NULL, &def->current_memory_kb, error))
        return FALSE;
    if ((c = xv_child(root, "maxMemory")) != NULL) {
        if (!xv_parse_size_kib(def, c, NULL, &def->max_memory_kb, error) ||
            !xv_attr_guint(def, c, "slots", 10, &def->max_memory_slots, NULL, error))
            return FALSE;
    }

    if ((c = xv_child(root, "vcpu")) != NULL) {
        if (!xv_parse_vcpu(def, c, error))
            return FALSE;
    } else {
        def->maxvcpus = def->vcpus = 1;
    }
    if ((c = xv_child(root, "cputune")) != NULL && !xv_parse_cputune(def, c, error))
        return FALSE;
    if ((c = xv_child(root, "numatune")) != NULL && !xv_parse_numatune(def, c, error))
        return FALSE;

    if ((c = xv_child(root, "bootloader")) != NULL) {
        def->os.bootloader = xv_text(c);
        g_strstrip(def->os.bootloader);
    }
    if ((c = xv_child(root, "bootloader_args")) != NULL)
        def->os.bootloader_args = xv_text(c);
    if ((c = xv_child(root, "os")) == NULL) {
        if (def->os.bootloader == NULL)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%s' has no <os> element."), DOMNAME(def));
        def->os.type = XV_DOMAIN_OS_XEN;
    } else if (!xv_parse_os(def, c, error)) {
        return FALSE;
    }

    if ((c = xv_child(root, "features")) != NULL && !xv_parse_features(def, c, error))
        return FALSE;
    if ((c = xv_child(root, "cpu")) != NULL && !xv_parse_cpu(def, c, error))
        return FALSE;
    if ((c = xv_child(root, "clock")) != NULL && !xv_parse_clock(def, c, error))
        return FALSE;
    if ((c = xv_child(root, "on_poweroff")) != NULL &&
        !xv_parse_lifecycle(def, c, &def->on_poweroff, error))
        return FALSE;
    if ((c = xv_child(root, "on_reboot")) != NULL &&
        !xv_parse_lifecycle(def, c, &def->on_reboot, error))
        return FALSE;
    if ((c = xv_child(root, "on_crash")) != NULL &&
        !xv_parse_lifecycle(def, c, &def->on_crash, error))
        return FALSE;
    if ((c = xv_child(root, "devices")) != NULL && !xv_parse_devices(def, c, flags, error))
        return FALSE;
    return TRUE;
}

/* ---- post-parse ------------------------------------------------------- */

/* libvirt's virDiskNameParse: "hda" -> 0, "sdb" -> 1, "xvdaa" -> 26;
 * optional trailing partition digits.  -1 when not a disk name. */
static int
xv_disk_name_to_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd" };
    const char *p = NULL;
    int idx = 0;
    int i;

    for (gsize k = 0; k < G_N_ELEMENTS(prefixes); k++) {
        if (g_str_has_prefix(name, prefixes[k])) {
            p = name + strlen(prefixes[k]);
            break;
        }
    }
    if (p == NULL)
        return -1;
    for (i = 0; g_ascii_islower(*p); i++, p++) {
        if (i >= 6)
            return -1;
        idx = (idx + (i < 1 ? 0 : 1)) * 26;
        idx += *p - 'a';
    }
    if (i == 0)
        return -1;
    while (g_ascii_isdigit(*p))
        p++;
    return *p == '\0' ? idx : -1;
}

static XvDiskBus
xv_disk_default_bus(const XvDiskDef *disk)
{
    if (disk->device == XV_DISK_DEVICE_FLOPPY)
        return XV_DISK_BUS_FDC;
    if (g_str_has_prefix(disk->dst, "hd"))
        return XV_DISK_BUS_IDE;
    if (g_str_has_prefix(disk->dst, "sd"))
        return XV_DISK_BUS_SCSI;
    if (g_str_has_prefix(disk->dst, "xvd"))
        return XV_DISK_BUS_XEN;
    return XV_DISK_BUS_IDE;
}

static gboolean
xv_disk_assign_address(XvDomainDef *def, XvDiskDef *disk, GError **error)
{
    int idx;

    if (disk->has_drive_address)
        return TRUE;
    if (disk->bus != XV_DISK_BUS_IDE && disk->bus != XV_DISK_BUS_SCSI &&
        disk->bus != XV_DISK_BUS_SATA && disk->bus != XV_DISK_BUS_FDC)
        return TRUE;
    idx = xv_disk_name_to_index(disk->dst);
    if (idx < 0)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("Unknown disk name '%1$s' in domain '%2$s' and no <address> to place it."),
                       disk->dst, DOMNAME(def));
    disk->has_drive_address = TRUE;
    disk->addr_target = 0;
    switch (disk->bus) {
    case XV_DISK_BUS_IDE:       /* 2 units per bus, 2 buses per controller */
        disk->addr_controller = idx / 4;
        disk->addr_bus = (idx % 4) / 2;
        disk->addr_unit = idx % 2;
        break;
    case XV_DISK_BUS_SCSI:      /* narrow SCSI: 7 units, 1 bus per controller */
        disk->addr_controller = idx / 7;
        disk->addr_bus = 0;
        disk->addr_unit = idx % 7;
        break;
    case XV_DISK_BUS_SATA:      /* 6 units, 1 bus per controller */
        disk->addr_controller = idx / 6;
        disk->addr_bus = 0;
        disk->addr_unit = idx % 6;
        break;
    case XV_DISK_BUS_FDC:       /* 2 units, 1 bus per controller */
        disk->addr_controller = idx / 2;
        disk->addr_bus = 0;
        disk->addr_unit = idx % 2;
        break;
    default:
        break;
    }
    return xv_check_disk_controller_index(def, disk, error);
}

static gboolean
xv_has_controller(const XvDomainDef *def, XvControllerType type, gint index)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        XvControllerDef *c = g_ptr_array_index(def->controllers, i);

        if (c->type == type && (index < 0 || c->index == (guint)index))
            return TRUE;
    }
    return FALSE;
}

/* libvirt's virDomainControllerInsert: keep controllers of one type
 * together, ordered by index; a new type goes at the end. */
static void
xv_controller_insert(XvDomainDef *def, XvControllerDef *ctrl)
{
    gint at = -1;

    for (gint i = (gint)def->controllers->len - 1; i >= 0; i--) {
        XvControllerDef *cur = g_ptr_array_index(def->controllers, i);

        if (cur->type != ctrl->type)
            continue;
        if (cur->index > ctrl->index)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    g_ptr_array_insert(def->controllers, at, ctrl);
}

static void
xv_maybe_add_controller(XvDomainDef *def, XvControllerType type, guint index)
{
    XvControllerDef *ctrl;

    if (xv_has_controller(def, type, (gint)index))
        return;
    ctrl = g_new0(XvControllerDef, 1);
    ctrl->type = type;
    ctrl->index = index;
    xv_controller_insert(def, ctrl);
}

static void
xv_add_disk_controllers(XvDomainDef *def, XvControllerType type, XvDiskBus bus)
{
    gint max = -1;

    for (guint i = 0; i < def->disks->len; i++) {
        XvDiskDef *disk = g_ptr_array_index(def->disks, i);

        if (disk->bus == bus && disk->has_drive_address)
            max = MAX(max, (gint)disk->addr_controller);
    }
    for (gint i = 0; i <= max; i++)
        xv_maybe_add_controller(def, type, (guint)i);
}

static void
xv_maybe_add_input(XvDomainDef *def, XvInputType type, XvInputBus bus)
{
    XvInputDef *input;

    for (guint i = 0; i < def->inputs->len; i++) {
        XvInputDef *in = g_ptr_array_index(def->inputs, i);

        if (in->type == type && in->bus == bus)
            return;
    }
    input = g_new0(XvInputDef, 1);
    input->type = type;
    input->bus = bus;
    g_ptr_array_add(def->inputs, input);
}

static gboolean
xv_chr_source_equal(const XvChrDef *a, const XvChrDef *b)
{
    return a->type == b->type &&
           g_strcmp0(a->path, b->path) == 0 &&
           g_strcmp0(a->mode, b->mode) == 0 &&
           g_strcmp0(a->host, b->host) == 0 &&
           g_strcmp0(a->service, b->service) == 0 &&
           g_strcmp0(a->connect_host, b->connect_host) == 0 &&
           g_strcmp0(a->connect_service, b->connect_service) == 0 &&
           g_strcmp0(a->protocol, b->protocol) == 0;
}

/* A console that mirrors serial 0 (libvirt formats it with the serial's
 * source). */
static XvChrDef *
xv_console_for_serial(const XvChrDef *serial)
{
    XvChrDef *con = xv_chr_def_copy(serial);

    con->kind = XV_CHR_DEVICE_CONSOLE;
    g_free(con->target_type);
    g_free(con->target_name);
    con->target_type = g_strdup("serial");
    con->target_name = NULL;
    con->has_port = TRUE;
    con->port = 0;
    return con;
}

/* libvirt's virDomainDefAddConsoleCompat, for HVM guests. */
static gboolean
xv_console_compat(XvDomainDef *def, GError **error)
{
    XvChrDef *con0;

    for (guint i = 1; i < def->consoles->len; i++) {
        XvChrDef *con = g_ptr_array_index(def->consoles, i);

        if (g_strcmp0(con->target_type, "serial") == 0)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Only the first console of domain '%s' can be a serial port."),
                           DOMNAME(def));
    }
    if (def->os.type != XV_DOMAIN_OS_HVM)
        return TRUE;

    con0 = def->consoles->len > 0 ? g_ptr_array_index(def->consoles, 0) : NULL;
    if (con0 != NULL && (con0->target_type == NULL || strcmp(con0->target_type, "serial") == 0)) {
        if (def->serials->len == 0) {
            /* The console describes serial 0. */
            XvChrDef *serial = xv_chr_def_copy(con0);

            serial->kind = XV_CHR_DEVICE_SERIAL;
            g_clear_pointer(&serial->target_type, g_free);
            serial->has_port = TRUE;
            serial->port = 0;
            g_ptr_array_add(def->serials, serial);
            g_ptr_array_index(def->consoles, 0) = xv_console_for_serial(serial);
            xv_chr_def_free(con0);
        } else if (!xv_chr_source_equal(g_ptr_array_index(def->serials, 0), con0)) {
            g_ptr_array_index(def->consoles, 0) =
                xv_console_for_serial(g_ptr_array_index(def->serials, 0));
            xv_chr_def_free(con0);
        } else if (con0->target_type == NULL) {
            con0->target_type = g_strdup("serial");
        }
    } else if (def->serials->len > 0) {
        XvChrDef *serial = g_ptr_array_index(def->serials, 0);

        if (serial->target_type == NULL || strcmp(serial->target_type, "isa-serial") == 0)
            g_ptr_array_insert(def->consoles, 0, xv_console_for_serial(serial));
    }
    return TRUE;
}

static void
xv_video_defaults(XvDomainDef *def, XvVideoDef *video)
{
    /* libvirt's libxl driver: Xen PV framebuffer for PV guests (xenvirt:
     * also PVH, which has no device model), Cirrus for HVM; default video
     * RAM as qemu-xen (upstream QEMU) needs it, in KiB. */
    if (video->type == XV_VIDEO_DEFAULT)
        video->type = def->os.type == XV_DOMAIN_OS_HVM ? XV_VIDEO_CIRRUS : XV_VIDEO_XEN;
    if (def->os.type == XV_DOMAIN_OS_HVM && video->vram_kb == 0) {
        switch (video->type) {
        case XV_VIDEO_VGA:
        case XV_VIDEO_XEN:
            video->vram_kb = 16 * 1024;
            break;
        case XV_VIDEO_CIRRUS:
            video->vram_kb = 8 * 1024;
            break;
        case XV_VIDEO_QXL:
            video->vram_kb = 128 * 1024;
            break;
        default:
            break;
        }
    }
    if (video->heads == 0 && video->type != XV_VIDEO_NONE)
        video->heads = 1;
}

static gint
xv_vcpu_pin_cmp(gconstpointer a, gconstpointer b)
{
    const XvVcpuPin *pa = *(const XvVcpuPin *const *)a;
    const XvVcpuPin *pb = *(const XvVcpuPin *const *)b;

    return pa->vcpu < pb->vcpu ? -1 : pa->vcpu > pb->vcpu ? 1 : 0;
}

static gboolean
xv_mac_in_use(const XvDomainDef *def, const XvNetDef *self, const guchar mac[6])
{
    for (guint i = 0; i < def->nets->len; i++) {
        XvNetDef *net = g_ptr_array_index(def->nets, i);

        if (net != self && memcmp(net->mac, mac, 6) == 0)
            return TRUE;
    }
    return FALSE;
}

gboolean
xv_domain_def_post_parse(XvDomainDef *def, GError **error)
{
    static const guchar zero_mac[6] = { 0 };

    g_return_val_if_fail(def != NULL, FALSE);

    if (xv_uuid_is_null(def->uuid))
        xv_uuid_generate(def->uuid);

    /* vNUMA without <memory>: the cells define it (libvirt's
     * virDomainDefPostParseMemory).  A given <memory> is kept, as libvirt
     * keeps it when it does not update the ABI. */
    if (def->memory_kb == 0 && def->cpu.cells->len > 0) {
        guint64 total = 0;

        for (guint i = 0; i < def->cpu.cells->len; i++)
            total += ((XvNumaCell *)g_ptr_array_index(def->cpu.cells, i))->memory_kb;
        def->memory_kb = total;
    }
    if (def->current_memory_kb == 0)
        def->current_memory_kb = def->memory_kb;
    if (def->vcpus == 0)
        def->vcpus = def->maxvcpus;
    if (def->numatune.present && def->numatune.placement == XV_DOMAIN_PLACEMENT_DEFAULT)
        def->numatune.placement = def->numatune.nodeset != NULL ? XV_DOMAIN_PLACEMENT_STATIC
                                                                : XV_DOMAIN_PLACEMENT_AUTO;
    if (def->placement == XV_DOMAIN_PLACEMENT_DEFAULT)
        def->placement = (def->numatune.present &&
                          def->numatune.placement == XV_DOMAIN_PLACEMENT_AUTO)
                         ? XV_DOMAIN_PLACEMENT_AUTO : XV_DOMAIN_PLACEMENT_STATIC;
    g_ptr_array_sort(def->cputune.vcpupins, xv_vcpu_pin_cmp);

    if (def->os.arch == NULL)
        def->os.arch = g_strdup("x86_64");
    if (def->os.machine == NULL) {
        switch (def->os.type) {
        case XV_DOMAIN_OS_HVM:
            def->os.machine = g_strdup("xenfv");
            break;
        case XV_DOMAIN_OS_XEN:
            def->os.machine = g_strdup("xenpv");
            break;
        case XV_DOMAIN_OS_XENPVH:
            def->os.machine = g_strdup("xenpvh");
            break;
        case XV_DOMAIN_OS_TYPE_LAST:
            break;
        }
    }
    /* libvirt: "By default, loader is type of 'rom'". */
    if (def->os.loader != NULL && def->os.loader_type == XV_DOMAIN_LOADER_TYPE_NONE)
        def->os.loader_type = XV_DOMAIN_LOADER_TYPE_ROM;
    if (def->os.type == XV_DOMAIN_OS_HVM && def->os.nboot == 0) {
        def->os.boot[0] = XV_DOMAIN_BOOT_DISK;
        def->os.nboot = 1;
    }

    /* --- what libvirt's libxl driver adds (libxlDomainDefPostParse) --- */
    if (def->os.type != XV_DOMAIN_OS_HVM && def->consoles->len == 0)
        g_ptr_array_add(def->consoles, xv_chr_def_new_xen_console());
    if (def->os.type == XV_DOMAIN_OS_HVM) {
        xv_maybe_add_input(def, XV_INPUT_MOUSE, XV_INPUT_BUS_PS2);
        xv_maybe_add_input(def, XV_INPUT_KEYBOARD, XV_INPUT_BUS_PS2);
    } else {
        xv_maybe_add_input(def, XV_INPUT_MOUSE, XV_INPUT_BUS_XEN);
        xv_maybe_add_input(def, XV_INPUT_KEYBOARD, XV_INPUT_BUS_XEN);
    }
    if (def->os.type == XV_DOMAIN_OS_HVM && g_strcmp0(def->os.arch, "x86_64") == 0) {
        def->features.state[XV_DOMAIN_FEATURE_PAE] = XV_TRISTATE_ON;
        if (def->cpu.cells->len > 0)
            def->features.state[XV_DOMAIN_FEATURE_ACPI] = XV_TRISTATE_ON;
    }
    if (def->memballoon == NULL) {
        def->memballoon = g_new0(XvMemballoonDef, 1);
        def->memballoon->model = g_strdup("xen");
    }
    if (!xv_has_controller(def, XV_CONTROLLER_XENBUS, -1)) {
        XvControllerDef *ctrl = g_new0(XvControllerDef, 1);

        ctrl->type = XV_CONTROLLER_XENBUS;
        g_ptr_array_add(def->controllers, ctrl);
    }

    /* --- per-device defaults --- */
    for (guint i = 0; i < def->nets->len; i++) {
        XvNetDef *net = g_ptr_array_index(def->nets, i);

        if (memcmp(net->mac, zero_mac, 6) == 0) {
            do
                xv_mac_generate(net->mac);
            while (xv_mac_in_use(def, net, net->mac));
            net->mac_generated = TRUE;
        }
    }
    for (guint i = 0; i < def->disks->len; i++) {
        XvDiskDef *disk = g_ptr_array_index(def->disks, i);

        if (disk->bus == XV_DISK_BUS_NONE)
            disk->bus = xv_disk_default_bus(disk);
        if (disk->device == XV_DISK_DEVICE_CDROM)
            disk->readonly = TRUE;
        /* xl-disk-configuration(5): the default format is raw. */
        if (disk->driver_type == NULL)
            disk->driver_type = g_strdup("raw");
        if (!xv_disk_assign_address(def, disk, error))
            return FALSE;
    }
    for (guint i = 0; i < def->consoles->len; i++) {
        XvChrDef *con = g_ptr_array_index(def->consoles, i);

        if (con->target_type == NULL && def->os.type != XV_DOMAIN_OS_HVM)
            con->target_type = g_strdup("xen");
    }
    for (guint i = 0; i < def->videos->len; i++)
        xv_video_defaults(def, g_ptr_array_index(def->videos, i));

    /* --- libvirt's generic implicit devices --- */
    if (!xv_console_compat(def, error))
        return FALSE;
    xv_add_disk_controllers(def, XV_CONTROLLER_SCSI, XV_DISK_BUS_SCSI);
    xv_add_disk_controllers(def, XV_CONTROLLER_FDC, XV_DISK_BUS_FDC);
    xv_add_disk_controllers(def, XV_CONTROLLER_IDE, XV_DISK_BUS_IDE);
    xv_add_disk_controllers(def, XV_CONTROLLER_SATA, XV_DISK_BUS_SATA);
    if (def->graphics->len > 0 && def->videos->len == 0) {
        XvVideoDef *video = g_new0(XvVideoDef, 1);

        xv_video_defaults(def, video);
        g_ptr_array_add(def->videos, video);
    }
    if (def->videos->len > 0) {
        XvVideoDef *video = g_ptr_array_index(def->videos, 0);

        if (video->type != XV_VIDEO_NONE)
            video->primary = TRUE;
    }
    return TRUE;
}

/* ---- validation ------------------------------------------------------- */

static gboolean
xv_validate_lifecycle(const XvDomainDef *def, const char *event,
                      XvDomainLifecycleAction action, GError **error)
{
    const char *name = xv_domain_lifecycle_action_to_string(action);

    if (name == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%1$s' has an invalid action for <%2$s>."), DOMNAME(def), event);
    /* libvirt: core dumps only on crash; xenvirt: restarting under a new
     * name after a clean power-off makes no sense either. */
    if (strcmp(event, "on_crash") != 0 &&
        (action == XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY ||
         action == XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART ||
         (strcmp(event, "on_poweroff") == 0 && action == XV_DOMAIN_LIFECYCLE_RENAME_RESTART)))
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The lifecycle action '%1$s' is not allowed for <%2$s> in domain '%3$s'."),
                       name, event, DOMNAME(def));
    return TRUE;
}

static gboolean
xv_validate_devices(const XvDomainDef *def, GError **error)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const XvDiskDef *disk = g_ptr_array_index(def->disks, i);

        if (disk->dst == NULL || *disk->dst == '\0')
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("A disk in domain '%s' has no target device."), DOMNAME(def));
        for (guint j = 0; j < i; j++) {
            const XvDiskDef *other = g_ptr_array_index(def->disks, j);

            if (g_strcmp0(disk->dst, other->dst) == 0)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("The disk target '%1$s' is used more than once in domain '%2$s'."),
                               disk->dst, DOMNAME(def));
        }
        if (disk->type == XV_DISK_TYPE_NETWORK &&
            (disk->protocol == NULL || strcmp(disk->protocol, "rbd") != 0))
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("Network disk '%1$s' in domain '%2$s' must use the 'rbd' protocol."),
                           disk->dst, DOMNAME(def));
    }

    for (guint i = 0; i < def->nets->len; i++) {
        const XvNetDef *net = g_ptr_array_index(def->nets, i);
        g_autofree char *mac = xv_mac_format(net->mac);

        if (xv_mac_is_multicast(net->mac))
            return xv_fail(error, XV_ERROR_INVALID_MAC,
                           _("The MAC address '%1$s' of an interface of domain '%2$s' is a multicast address; an interface needs a unicast address."),
                           mac, DOMNAME(def));
        for (guint j = 0; j < i; j++) {
            const XvNetDef *other = g_ptr_array_index(def->nets, j);

            if (memcmp(net->mac, other->mac, 6) == 0)
                return xv_fail(error, XV_ERROR_INVALID_MAC,
                               _("The MAC address '%1$s' is used by more than one interface of domain '%2$s'."),
                               mac, DOMNAME(def));
        }
    }

    for (guint i = 0; i < def->controllers->len; i++) {
        const XvControllerDef *ctrl = g_ptr_array_index(def->controllers, i);

        for (guint j = 0; j < i; j++) {
            const XvControllerDef *other = g_ptr_array_index(def->controllers, j);

            if (other->type == ctrl->type && other->index == ctrl->index)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("The domain '%1$s' has more than one '%2$s' controller with index %3$u."),
                               DOMNAME(def), xv_controller_type_to_string(ctrl->type), ctrl->index);
        }
    }

    for (guint i = 0; i < def->inputs->len; i++) {
        const XvInputDef *in = g_ptr_array_index(def->inputs, i);

        if (in->bus == XV_INPUT_BUS_PS2 && in->type == XV_INPUT_TABLET)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("The domain '%s' has a tablet on the PS/2 bus; a tablet needs the USB bus."),
                           DOMNAME(def));
        if (in->bus == XV_INPUT_BUS_PS2 && def->os.type != XV_DOMAIN_OS_HVM)
            return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                           _("The domain '%s' is not HVM and cannot have PS/2 input devices; use bus='xen'."),
                           DOMNAME(def));
    }

    for (guint i = 0; i < def->hostdevs->len; i++) {
        const XvHostdevDef *hd = g_ptr_array_index(def->hostdevs, i);

        if (hd->type != XV_HOSTDEV_PCI)
            continue;
        for (guint j = 0; j < i; j++) {
            const XvHostdevDef *o = g_ptr_array_index(def->hostdevs, j);

            if (o->type == XV_HOSTDEV_PCI && o->domain == hd->domain && o->bus == hd->bus &&
                o->slot == hd->slot && o->function == hd->function)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("The PCI device %1$04x:%2$02x:%3$02x.%4$x is assigned twice to domain '%5$s'."),
                               hd->domain, hd->bus, hd->slot, hd->function, DOMNAME(def));
        }
    }

    for (guint i = 0; i < def->videos->len; i++) {
        const XvVideoDef *v = g_ptr_array_index(def->videos, i);

        if (v->type == XV_VIDEO_NONE && def->videos->len > 1)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%s' has a video device of type 'none' next to other video devices."),
                           DOMNAME(def));
        if (i > 0 && v->primary)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%s' has more than one primary video device."), DOMNAME(def));
    }
    return TRUE;
}

gboolean
xv_domain_def_validate(const XvDomainDef *def, GError **error)
{
    static const char *const arches[] = { "x86_64", "i686", "aarch64", "armv7l", NULL };
    static const char *const machines[] = { "xenfv", "xenpv", "xenpvh" };
    const XvCpuDef *cpu;

    g_return_val_if_fail(def != NULL, FALSE);
    cpu = &def->cpu;

    if (!xv_domain_name_validate(def->name, error))
        return FALSE;
    if (xv_uuid_is_null(def->uuid))
        return xv_fail(error, XV_ERROR_XML_ERROR, _("The domain '%s' has no UUID."), DOMNAME(def));

    if (def->memory_kb == 0)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has no memory: <memory> must be greater than zero."),
                       DOMNAME(def));
    if (def->current_memory_kb > def->memory_kb)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The current memory of domain '%1$s' (%2$llu KiB) is larger than its maximum memory (%3$llu KiB)."),
                       DOMNAME(def), (unsigned long long)def->current_memory_kb,
                       (unsigned long long)def->memory_kb);
    /* <maxMemory> is kept in the model (libvirt writes it back); whether
     * a Xen guest can use memory hotplug is the driver's decision at start. */
    if (def->max_memory_kb != 0 && def->max_memory_kb < def->memory_kb)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The <maxMemory> of domain '%1$s' (%2$llu KiB) is smaller than its <memory> (%3$llu KiB)."),
                       DOMNAME(def), (unsigned long long)def->max_memory_kb,
                       (unsigned long long)def->memory_kb);

    if (def->maxvcpus == 0 || def->maxvcpus > XV_DOMAIN_MAX_VCPUS)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%1$s' has %2$u vCPUs; it needs between 1 and %3$u."),
                       DOMNAME(def), def->maxvcpus, XV_DOMAIN_MAX_VCPUS);
    if (def->vcpus == 0)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has a current vCPU count of 0; it needs at least one vCPU."),
                       DOMNAME(def));
    if (def->vcpus > def->maxvcpus)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%1$s' has %2$u current vCPUs, more than its maximum of %3$u."),
                       DOMNAME(def), def->vcpus, def->maxvcpus);
    for (guint i = 0; i < def->cputune.vcpupins->len; i++) {
        const XvVcpuPin *pin = g_ptr_array_index(def->cputune.vcpupins, i);

        if (pin->vcpu >= def->maxvcpus)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%1$s' pins vCPU %2$u, but it only has vCPUs 0 to %3$u."),
                           DOMNAME(def), pin->vcpu, def->maxvcpus - 1);
        for (guint j = 0; j < i; j++) {
            const XvVcpuPin *other = g_ptr_array_index(def->cputune.vcpupins, j);

            if (other->vcpu == pin->vcpu)
                return xv_fail(error, XV_ERROR_XML_ERROR,
                               _("The domain '%1$s' pins vCPU %2$u more than once."),
                               DOMNAME(def), pin->vcpu);
        }
        if (pin->cpuset == NULL || xv_bitmap_is_empty(pin->cpuset))
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The domain '%1$s' pins vCPU %2$u to an empty set of CPUs."),
                           DOMNAME(def), pin->vcpu);
    }
    if (def->numatune.present && def->numatune.placement == XV_DOMAIN_PLACEMENT_STATIC &&
        def->numatune.nodeset == NULL)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has static NUMA memory placement but no nodeset."),
                       DOMNAME(def));

    /* OS */
    if ((guint)def->os.type >= XV_DOMAIN_OS_TYPE_LAST)
        return xv_fail(error, XV_ERROR_XML_ERROR,
                       _("The domain '%s' has an unknown OS type."), DOMNAME(def));
    if (def->os.arch != NULL && !xv_in_list(def->os.arch, arches))
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The architecture '%1$s' of domain '%2$s' is not supported by Xen."),
                       def->os.arch, DOMNAME(def));
    if (def->os.machine != NULL && strcmp(def->os.machine, machines[def->os.type]) != 0)
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The machine type '%1$s' of domain '%2$s' does not match its OS type '%3$s'; it must be '%4$s'."),
                       def->os.machine, DOMNAME(def),
                       xv_domain_def_os_type_xml(def->os.type), machines[def->os.type]);
    if (def->os.type == XV_DOMAIN_OS_XEN &&
        (def->os.loader != NULL || def->os.firmware != XV_DOMAIN_FIRMWARE_NONE))
        return xv_fail(error, XV_ERROR_CONFIG_UNSUPPORTED,
                       _("The PV domain '%s' cannot have a firmware loader; use <bootloader> or <kernel>."),
                       DOMNAME(def));

    if (!xv_validate_lifecycle(def, "on_poweroff", def->on_poweroff, error) ||
        !xv_validate_lifecycle(def, "on_reboot", def->on_reboot, error) ||
        !xv_validate_lifecycle(def, "on_crash", def->on_crash, error))
        return FALSE;

    /* vNUMA */
    for (guint i = 0; i < cpu->cells->len; i++) {
        const XvNumaCell *cell = g_ptr_array_index(cpu->cells, i);
        int last;

        if (cell->id != i)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("The NUMA cells of domain '%1$s' must have ids 0 to %2$u in order; cell %3$u has id %4$u."),
                           DOMNAME(def), cpu->cells->len - 1, i, cell->id);
        if (cell->cpus == NULL || xv_bitmap_is_empty(cell->cpus))
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell %1$u of domain '%2$s' has no vCPUs."), i, DOMNAME(def));
        last = xv_bitmap_last(cell->cpus);
        if (last >= 0 && (guint)last >= def->maxvcpus)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell %1$u of domain '%2$s' names vCPU %3$d, but the domain has %4$u vCPUs."),
                           i, DOMNAME(def), last, def->maxvcpus);
        for (guint j = 0; j < i; j++) {
            const XvNumaCell *other = g_ptr_array_index(cpu->cells, j);

            for (int b = xv_bitmap_next(cell->cpus, -1); b >= 0; b = xv_bitmap_next(cell->cpus, b)) {
                if (xv_bitmap_is_set(other->cpus, (guint)b))
                    return xv_fail(error, XV_ERROR_XML_ERROR,
                                   _("NUMA cells %1$u and %2$u of domain '%3$s' overlap: both contain vCPU %4$d."),
                                   j, i, DOMNAME(def), b);
            }
        }
        if (cell->distances != NULL && cell->distances->len != cpu->cells->len)
            return xv_fail(error, XV_ERROR_XML_ERROR,
                           _("NUMA cell %1$u of domain '%2$s' has distances for %3$u cells, not %4$u."),
                           i, DOMNAME(def), cell->distances->len, cpu->cells->len);
    }

    return xv_validate_devices(def, error);
}

/* ---- entry points ----------------------------------------------------- */

XvDomainDef *
xv_domain_def_parse(const char *xml, gssize len, XvParseFlags flags, GError **error)
{
    g_autoptr(XvDomainDef) def = NULL;
    xmlDocPtr doc;
    xmlNode *root;
    gsize size;
    gboolean ok;

    g_return_val_if_fail(xml != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    /* Check the size before libxml2 sees a byte; never strlen() past the cap. */
    size = len < 0 ? strnlen(xml, XV_DOMAIN_XML_MAX_BYTES + 1) : (gsize)len;
    if (size > XV_DOMAIN_XML_MAX_BYTES) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML: the document is larger than the limit of %u bytes."),
                    XV_DOMAIN_XML_MAX_BYTES);
        return NULL;
    }
    if (size == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML: the document is empty."));
        return NULL;
    }

    doc = xv_xml_read(xml, size, error);
    if (doc == NULL)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (root == NULL || root->ns != NULL || strcmp((const char *)root->name, "domain") != 0) {
        g_autofree char *rname = root != NULL ? xv_elem_name(root) : g_strdup("");

        xmlFreeDoc(doc);
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML: the root element is <%s>, not <domain>."), rname);
        return NULL;
    }

    def = xv_domain_def_new();
    ok = xv_parse_domain(def, root, flags, error);
    xmlFreeDoc(doc);
    if (!ok)
        return NULL;
    if (!xv_domain_def_post_parse(def, error) || !xv_domain_def_validate(def, error))
        return NULL;
    return g_steal_pointer(&def);
}

XvDomainDef *
xv_domain_def_parse_file(const char *path, XvParseFlags flags, GError **error)
{
    g_autoptr(GMappedFile) file = NULL;
    g_autoptr(GError) local = NULL;
    gsize size;

    g_return_val_if_fail(path != NULL, NULL);

    file = g_mapped_file_new(path, FALSE, &local);
    if (file == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot read domain XML file '%1$s': %2$s"), path, local->message);
        return NULL;
    }
    size = g_mapped_file_get_length(file);
    if (size > XV_DOMAIN_XML_MAX_BYTES) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML file '%1$s': it is larger than the limit of %2$u bytes."),
                    path, XV_DOMAIN_XML_MAX_BYTES);
        return NULL;
    }
    if (size == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("Cannot parse domain XML file '%s': it is empty."), path);
        return NULL;
    }
    return xv_domain_def_parse(g_mapped_file_get_contents(file), (gssize)size, flags, error);
}
