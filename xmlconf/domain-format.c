/*
 * domain-format.c: XvDomainDef -> canonical libvirt domain XML.
 *
 * The output is what libvirt's virDomainDefFormat() writes for a Xen domain
 * (libvirt 11 as the reference, see ../shared/peer for its own output):
 * element and attribute order, two-space indentation, single-quoted
 * attributes, self-closing empty elements, `unit='KiB'` on memory sizes,
 * `linux` as the os type of PV guests.  The text is built by hand rather
 * than through xmlTextWriter because libxml2's writer quotes with '"' and
 * decides by itself when to close elements, and byte-identical output is
 * the point.
 *
 * Escaping: like libvirt's virBufferEscapeString, '<', '>', '&', '\'' and
 * '"' become entities everywhere.  Unlike libvirt, tab, newline and carriage
 * return inside attribute values (and carriage return in text) are written
 * as character references: a parser normalises them otherwise, and
 * format(parse(format(x))) must stay a fixed point.  Other control
 * characters cannot occur in XML 1.0 and are dropped, as libvirt does.
 *
 * Pure and reentrant: no global state (libxml2 is used only to re-indent
 * <metadata>, with per-call documents).
 */
#include "xmlconf/domain-conf.h"

#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* ---- a tiny indenting buffer ------------------------------------------ */

typedef struct {
    GString *s;
    guint indent;
} XvXmlBuf;

static void
xb_escape(GString *s, const char *str, gboolean attr)
{
    for (const char *p = str; *p; p++) {
        switch (*p) {
        case '<': g_string_append(s, "&lt;"); break;
        case '>': g_string_append(s, "&gt;"); break;
        case '&': g_string_append(s, "&amp;"); break;
        case '\'': g_string_append(s, "&apos;"); break;
        case '"': g_string_append(s, "&quot;"); break;
        case '\r': g_string_append(s, "&#13;"); break;
        case '\n':
            if (attr)
                g_string_append(s, "&#10;");
            else
                g_string_append_c(s, '\n');
            break;
        case '\t':
            if (attr)
                g_string_append(s, "&#9;");
            else
                g_string_append_c(s, '\t');
            break;
        default:
            if ((guchar)*p >= 0x20)
                g_string_append_c(s, *p);
            break;
        }
    }
}

static void
xb_pad(XvXmlBuf *b)
{
    for (guint i = 0; i < b->indent; i++)
        g_string_append_c(b->s, ' ');
}

/* indent + "<name" */
static void
xb_open(XvXmlBuf *b, const char *name)
{
    xb_pad(b);
    g_string_append_c(b->s, '<');
    g_string_append(b->s, name);
}

/* " name='value'" when value is not NULL */
static void
xb_attr(XvXmlBuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(b->s, " %s='", name);
    xb_escape(b->s, value, TRUE);
    g_string_append_c(b->s, '\'');
}

static void G_GNUC_PRINTF(3, 4)
xb_attrf(XvXmlBuf *b, const char *name, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *value = NULL;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    xb_attr(b, name, value);
}

/* "/>\n" */
static void
xb_empty(XvXmlBuf *b)
{
    g_string_append(b->s, "/>\n");
}

/* ">\n", children follow one level deeper */
static void
xb_children(XvXmlBuf *b)
{
    g_string_append(b->s, ">\n");
    b->indent += 2;
}

/* indent + "<name attr='value'/>\n"; the attribute is left out when value
 * is NULL, the element never is */
static void
xb_leaf(XvXmlBuf *b, const char *name, const char *attr, const char *value)
{
    xb_open(b, name);
    xb_attr(b, attr, value);
    xb_empty(b);
}

/* indent + "</name>\n" */
static void
xb_close(XvXmlBuf *b, const char *name)
{
    b->indent -= 2;
    xb_pad(b);
    g_string_append_printf(b->s, "</%s>\n", name);
}

/* ">text</name>\n" after an open tag with attributes */
static void
xb_text_end(XvXmlBuf *b, const char *name, const char *text)
{
    g_string_append_c(b->s, '>');
    xb_escape(b->s, text, FALSE);
    g_string_append_printf(b->s, "</%s>\n", name);
}

/* indent + "<name>text</name>\n" when text is not NULL */
static void
xb_text_elem(XvXmlBuf *b, const char *name, const char *text)
{
    if (!text)
        return;
    xb_open(b, name);
    xb_text_end(b, name, text);
}

static const char *
str_or(const char *s, const char *fallback)
{
    return s ? s : fallback;
}

static gboolean
has_items(const GPtrArray *arr)
{
    return arr && arr->len > 0;
}

/* ---- top-level parts -------------------------------------------------- */

/*
 * <metadata> is kept as text by the parser.  libvirt re-serialises each
 * child with libxml2 (xmlNodeDump, format=1) at the current depth: double
 * quotes, two spaces per level, and every child carrying the namespace
 * declarations it uses (libvirt keeps one element per namespace, each
 * self-contained).  Do the same: copy each element child into a document of
 * its own, so that namespaces declared on <metadata> or above move onto the
 * child, and dump it.  Text between the children is not kept (libvirt drops
 * nodes without a namespace).  If the stored text does not parse on its own
 * (it should), emit it unchanged rather than lose it.
 */
static void
format_metadata(XvXmlBuf *b, const char *metadata_xml)
{
    xmlDocPtr doc;
    xmlNodePtr root;
    gboolean any = FALSE;

    doc = xmlReadMemory(metadata_xml, (int)strlen(metadata_xml), "metadata.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !xmlStrEqual(root->name, (const xmlChar *)"metadata")) {
        if (doc)
            xmlFreeDoc(doc);
        xb_pad(b);
        g_string_append(b->s, metadata_xml);
        g_string_append_c(b->s, '\n');
        return;
    }

    for (xmlNodePtr child = root->children; child; child = child->next) {
        xmlDocPtr cdoc;
        xmlNodePtr copy;
        xmlBufferPtr xbuf;

        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (!any) {
            xb_open(b, "metadata");
            xb_children(b);
            any = TRUE;
        }
        cdoc = xmlNewDoc((const xmlChar *)"1.0");
        copy = xmlDocCopyNode(child, cdoc, 1);
        if (!copy) {
            xmlFreeDoc(cdoc);
            continue;
        }
        xmlDocSetRootElement(cdoc, copy);
        xmlReconciliateNs(cdoc, copy);
        xbuf = xmlBufferCreate();
        xmlNodeDump(xbuf, cdoc, copy, (int)(b->indent / 2), 1);
        xb_pad(b);
        g_string_append(b->s, (const char *)xmlBufferContent(xbuf));
        g_string_append_c(b->s, '\n');
        xmlBufferFree(xbuf);
        xmlFreeDoc(cdoc);
    }
    if (any) {
        xb_close(b, "metadata");
    } else {
        xb_open(b, "metadata");
        xb_empty(b);
    }
    xmlFreeDoc(doc);
}

static void
format_vcpu(XvXmlBuf *b, const XvDomainDef *def)
{
    xb_open(b, "vcpu");
    /* libvirt always writes the placement; "static" is its default. */
    xb_attr(b, "placement",
            def->placement == XV_DOMAIN_PLACEMENT_AUTO ? "auto" : "static");
    if (def->cpuset && !xv_bitmap_is_empty(def->cpuset)) {
        g_autofree char *set = xv_bitmap_format(def->cpuset);
        xb_attr(b, "cpuset", set);
    }
    if (def->vcpus > 0 && def->vcpus < def->maxvcpus)
        xb_attrf(b, "current", "%u", def->vcpus);
    g_string_append_printf(b->s, ">%u</vcpu>\n", def->maxvcpus);
}

static void
format_cputune(XvXmlBuf *b, const XvCputuneDef *tune)
{
    if (!tune->has_shares && !tune->has_period && !tune->has_quota &&
        !has_items(tune->vcpupins))
        return;

    xb_open(b, "cputune");
    xb_children(b);
    if (tune->has_shares) {
        xb_pad(b);
        g_string_append_printf(b->s, "<shares>%" G_GUINT64_FORMAT "</shares>\n",
                               tune->shares);
    }
    if (tune->has_period) {
        xb_pad(b);
        g_string_append_printf(b->s, "<period>%" G_GUINT64_FORMAT "</period>\n",
                               tune->period);
    }
    if (tune->has_quota) {
        xb_pad(b);
        g_string_append_printf(b->s, "<quota>%" G_GINT64_FORMAT "</quota>\n",
                               tune->quota);
    }
    for (guint i = 0; tune->vcpupins && i < tune->vcpupins->len; i++) {
        const XvVcpuPin *pin = g_ptr_array_index(tune->vcpupins, i);
        g_autofree char *set = pin->cpuset ? xv_bitmap_format(pin->cpuset) : NULL;

        xb_open(b, "vcpupin");
        xb_attrf(b, "vcpu", "%u", pin->vcpu);
        xb_attr(b, "cpuset", set ? set : "");
        xb_empty(b);
    }
    xb_close(b, "cputune");
}

static void
format_numatune(XvXmlBuf *b, const XvNumatuneDef *numa)
{
    if (!numa->present)
        return;

    xb_open(b, "numatune");
    xb_children(b);
    xb_open(b, "memory");
    xb_attr(b, "mode", str_or(xv_numatune_mode_to_string(numa->mode), "strict"));
    if (numa->placement == XV_DOMAIN_PLACEMENT_AUTO) {
        xb_attr(b, "placement", "auto");
    } else if (numa->nodeset) {
        g_autofree char *set = xv_bitmap_format(numa->nodeset);
        xb_attr(b, "nodeset", set);
    }
    xb_empty(b);
    xb_close(b, "numatune");
}

static void
format_os(XvXmlBuf *b, const XvDomainDef *def)
{
    const XvDomainOsDef *os = &def->os;

    xb_open(b, "os");
    xb_attr(b, "firmware", os->firmware != XV_DOMAIN_FIRMWARE_NONE ?
            xv_domain_firmware_to_string(os->firmware) : NULL);
    xb_children(b);

    xb_open(b, "type");
    xb_attr(b, "arch", os->arch);
    xb_attr(b, "machine", os->machine);
    xb_text_end(b, "type", str_or(xv_domain_def_os_type_xml(os->type), "hvm"));

    /* <loader>: attributes in libvirt's order, then <nvram>. */
    if (os->loader || os->loader_type != XV_DOMAIN_LOADER_TYPE_NONE ||
        os->loader_readonly != XV_TRISTATE_ABSENT ||
        os->loader_secure != XV_TRISTATE_ABSENT) {
        xb_open(b, "loader");
        if (os->loader_readonly != XV_TRISTATE_ABSENT)
            xb_attr(b, "readonly", xv_tristate_bool_to_string(os->loader_readonly));
        if (os->loader_secure != XV_TRISTATE_ABSENT)
            xb_attr(b, "secure", xv_tristate_bool_to_string(os->loader_secure));
        if (os->loader_type != XV_DOMAIN_LOADER_TYPE_NONE)
            xb_attr(b, "type", xv_domain_loader_type_to_string(os->loader_type));
        xb_attr(b, "format", os->loader_format);
        if (os->loader)
            xb_text_end(b, "loader", os->loader);
        else
            xb_empty(b);
    }
    if (os->nvram || os->nvram_template) {
        xb_open(b, "nvram");
        xb_attr(b, "template", os->nvram_template);
        if (os->nvram)
            xb_text_end(b, "nvram", os->nvram);
        else
            xb_empty(b);
    }

    xb_text_elem(b, "kernel", os->kernel);
    xb_text_elem(b, "initrd", os->initrd);
    xb_text_elem(b, "cmdline", os->cmdline);
    xb_text_elem(b, "dtb", os->dtb);
    if (os->acpi_table) {
        xb_open(b, "acpi");
        xb_children(b);
        xb_open(b, "table");
        xb_attr(b, "type", str_or(os->acpi_table_type, "slic"));
        xb_text_end(b, "table", os->acpi_table);
        xb_close(b, "acpi");
    }

    /* libvirt drops the boot order when a bootloader is in charge. */
    if (!os->bootloader) {
        for (guint i = 0; i < os->nboot && i < XV_DOMAIN_BOOT_LAST; i++)
            xb_leaf(b, "boot", "dev", xv_domain_boot_dev_to_string(os->boot[i]));
        if (os->bootmenu != XV_TRISTATE_ABSENT)
            xb_leaf(b, "bootmenu", "enable", xv_tristate_bool_to_string(os->bootmenu));
    }
    xb_close(b, "os");
}

static gboolean
features_hyperv_present(const XvDomainFeatures *f)
{
    return f->hyperv_mode != XV_DOMAIN_HYPERV_MODE_NONE ||
           f->state[XV_DOMAIN_FEATURE_HYPERV] == XV_TRISTATE_ON;
}

static gboolean
features_xen_present(const XvDomainFeatures *f)
{
    return f->state[XV_DOMAIN_FEATURE_XEN] == XV_TRISTATE_ON ||
           f->xen_e820_host != XV_TRISTATE_ABSENT ||
           f->xen_passthrough != XV_TRISTATE_ABSENT;
}

static void
format_hyperv(XvXmlBuf *b, const XvDomainFeatures *f)
{
    gboolean children = FALSE;
    XvDomainHypervMode mode = f->hyperv_mode;

    if (mode == XV_DOMAIN_HYPERV_MODE_NONE)
        mode = XV_DOMAIN_HYPERV_MODE_CUSTOM;

    xb_open(b, "hyperv");
    xb_attr(b, "mode", xv_domain_hyperv_mode_to_string(mode));
    /* libvirt's schema allows no children with mode='passthrough'. */
    for (guint j = 0; mode == XV_DOMAIN_HYPERV_MODE_CUSTOM && j < XV_DOMAIN_HYPERV_LAST; j++) {
        XvTristate st = f->hyperv[j];

        if (st == XV_TRISTATE_ABSENT)
            continue;
        if (!children) {
            xb_children(b);
            children = TRUE;
        }
        xb_open(b, xv_domain_hyperv_feature_to_string(j));
        xb_attr(b, "state", xv_tristate_to_string(st));
        if (st == XV_TRISTATE_ON && j == XV_DOMAIN_HYPERV_SPINLOCKS)
            xb_attrf(b, "retries", "%u", f->hyperv_spinlocks_retries);
        if (st == XV_TRISTATE_ON && j == XV_DOMAIN_HYPERV_VENDOR_ID)
            xb_attr(b, "value", f->hyperv_vendor_id);
        xb_empty(b);
    }
    if (children)
        xb_close(b, "hyperv");
    else
        xb_empty(b);
}

static void
format_features(XvXmlBuf *b, const XvDomainDef *def)
{
    const XvDomainFeatures *f = &def->features;
    const XvTristate *st = f->state;

    if (st[XV_DOMAIN_FEATURE_ACPI] != XV_TRISTATE_ON &&
        st[XV_DOMAIN_FEATURE_APIC] != XV_TRISTATE_ON &&
        st[XV_DOMAIN_FEATURE_PAE] != XV_TRISTATE_ON &&
        st[XV_DOMAIN_FEATURE_HAP] == XV_TRISTATE_ABSENT &&
        st[XV_DOMAIN_FEATURE_VIRIDIAN] != XV_TRISTATE_ON &&
        !features_hyperv_present(f) && !features_xen_present(f))
        return;

    xb_open(b, "features");
    xb_children(b);
    /* libvirt's virDomainFeature order: acpi, apic, pae, hap, viridian,
     * ..., hyperv, ..., xen.  acpi/apic/pae/viridian are bare elements that
     * mean "on"; "off" is their absence. */
    if (st[XV_DOMAIN_FEATURE_ACPI] == XV_TRISTATE_ON) {
        xb_open(b, "acpi");
        xb_empty(b);
    }
    if (st[XV_DOMAIN_FEATURE_APIC] == XV_TRISTATE_ON) {
        xb_open(b, "apic");
        xb_empty(b);
    }
    if (st[XV_DOMAIN_FEATURE_PAE] == XV_TRISTATE_ON) {
        xb_open(b, "pae");
        xb_empty(b);
    }
    if (st[XV_DOMAIN_FEATURE_HAP] != XV_TRISTATE_ABSENT)
        xb_leaf(b, "hap", "state", xv_tristate_to_string(st[XV_DOMAIN_FEATURE_HAP]));
    if (st[XV_DOMAIN_FEATURE_VIRIDIAN] == XV_TRISTATE_ON) {
        xb_open(b, "viridian");
        xb_empty(b);
    }
    if (features_hyperv_present(f))
        format_hyperv(b, f);
    if (features_xen_present(f)) {
        xb_open(b, "xen");
        if (f->xen_e820_host == XV_TRISTATE_ABSENT &&
            f->xen_passthrough == XV_TRISTATE_ABSENT) {
            xb_empty(b);
        } else {
            xb_children(b);
            if (f->xen_e820_host != XV_TRISTATE_ABSENT)
                xb_leaf(b, "e820_host", "state", xv_tristate_to_string(f->xen_e820_host));
            if (f->xen_passthrough != XV_TRISTATE_ABSENT) {
                xb_open(b, "passthrough");
                xb_attr(b, "state", xv_tristate_to_string(f->xen_passthrough));
                if (f->xen_passthrough == XV_TRISTATE_ON &&
                    f->xen_passthrough_mode != XV_DOMAIN_XEN_PASSTHROUGH_MODE_DEFAULT)
                    xb_attr(b, "mode",
                            xv_domain_xen_passthrough_mode_to_string(f->xen_passthrough_mode));
                xb_empty(b);
            }
            xb_close(b, "xen");
        }
    }
    xb_close(b, "features");
}

static void
format_numa_cells(XvXmlBuf *b, const GPtrArray *cells)
{
    xb_open(b, "numa");
    xb_children(b);
    for (guint i = 0; i < cells->len; i++) {
        const XvNumaCell *cell = g_ptr_array_index(cells, i);
        gboolean any_distance = FALSE;

        for (guint j = 0; cell->distances && j < cell->distances->len; j++)
            if (g_array_index(cell->distances, guint, j) != 0)
                any_distance = TRUE;

        xb_open(b, "cell");
        xb_attrf(b, "id", "%u", cell->id);
        if (cell->cpus) {
            g_autofree char *set = xv_bitmap_format(cell->cpus);
            xb_attr(b, "cpus", set);
        }
        xb_attrf(b, "memory", "%" G_GUINT64_FORMAT, cell->memory_kb);
        xb_attr(b, "unit", "KiB");
        if (!any_distance) {
            xb_empty(b);
            continue;
        }
        xb_children(b);
        xb_open(b, "distances");
        xb_children(b);
        for (guint j = 0; j < cell->distances->len; j++) {
            guint value = g_array_index(cell->distances, guint, j);

            if (value == 0)
                continue;
            xb_open(b, "sibling");
            xb_attrf(b, "id", "%u", j);
            xb_attrf(b, "value", "%u", value);
            xb_empty(b);
        }
        xb_close(b, "distances");
        xb_close(b, "cell");
    }
    xb_close(b, "numa");
}

static void
format_cpu(XvXmlBuf *b, const XvCpuDef *cpu)
{
    gboolean custom = cpu->mode == XV_CPU_MODE_NONE || cpu->mode == XV_CPU_MODE_CUSTOM;
    gboolean attrs = !custom || cpu->model;
    gboolean format_model = (custom || cpu->mode == XV_CPU_MODE_HOST_MODEL) && cpu->model;
    gboolean topology = cpu->sockets || cpu->dies || cpu->cores || cpu->threads;
    gboolean children = format_model || topology ||
                        has_items(cpu->features) || has_items(cpu->cells);

    if (!attrs && !children)
        return;

    xb_open(b, "cpu");
    if (attrs) {
        xb_attr(b, "mode", xv_cpu_mode_to_string(custom ? XV_CPU_MODE_CUSTOM : cpu->mode));
        if (custom)
            xb_attr(b, "match", str_or(cpu->match, "exact"));
        xb_attr(b, "check", cpu->check);
    }
    if (!children) {
        xb_empty(b);
        return;
    }
    xb_children(b);
    if (format_model) {
        /* libvirt always states the fallback of a guest CPU model. */
        xb_open(b, "model");
        xb_attr(b, "fallback", "allow");
        xb_text_end(b, "model", cpu->model);
        xb_text_elem(b, "vendor", cpu->vendor);
    }
    if (topology) {
        xb_open(b, "topology");
        xb_attrf(b, "sockets", "%u", cpu->sockets ? cpu->sockets : 1);
        xb_attrf(b, "dies", "%u", cpu->dies ? cpu->dies : 1);
        xb_attrf(b, "cores", "%u", cpu->cores ? cpu->cores : 1);
        xb_attrf(b, "threads", "%u", cpu->threads ? cpu->threads : 1);
        xb_empty(b);
    }
    for (guint i = 0; cpu->features && i < cpu->features->len; i++) {
        const XvCpuFeature *feat = g_ptr_array_index(cpu->features, i);

        xb_open(b, "feature");
        xb_attr(b, "policy", xv_cpu_feature_policy_to_string(feat->policy));
        xb_attr(b, "name", feat->name);
        xb_empty(b);
    }
    if (has_items(cpu->cells))
        format_numa_cells(b, cpu->cells);
    xb_close(b, "cpu");
}

static void
format_clock(XvXmlBuf *b, const XvClockDef *clock)
{
    xb_open(b, "clock");
    xb_attr(b, "offset", str_or(xv_clock_offset_to_string(clock->offset), "utc"));
    switch (clock->offset) {
    case XV_CLOCK_OFFSET_UTC:
    case XV_CLOCK_OFFSET_LOCALTIME:
        if (clock->adjustment_reset)
            xb_attr(b, "adjustment", "reset");
        break;
    case XV_CLOCK_OFFSET_VARIABLE:
        xb_attrf(b, "adjustment", "%" G_GINT64_FORMAT,
                 clock->has_adjustment ? clock->adjustment : 0);
        xb_attr(b, "basis", str_or(clock->basis, "utc"));
        break;
    case XV_CLOCK_OFFSET_TIMEZONE:
        xb_attr(b, "timezone", clock->timezone);
        break;
    case XV_CLOCK_OFFSET_LAST:
        break;
    }
    if (!has_items(clock->timers)) {
        xb_empty(b);
        return;
    }
    xb_children(b);
    for (guint i = 0; i < clock->timers->len; i++) {
        const XvTimerDef *timer = g_ptr_array_index(clock->timers, i);

        xb_open(b, "timer");
        xb_attr(b, "name", xv_timer_name_to_string(timer->name));
        if (timer->present != XV_TRISTATE_ABSENT)
            xb_attr(b, "present", xv_tristate_bool_to_string(timer->present));
        if (timer->tickpolicy != XV_TIMER_TICKPOLICY_NONE)
            xb_attr(b, "tickpolicy", xv_timer_tickpolicy_to_string(timer->tickpolicy));
        /* libvirt writes frequency and mode for the tsc timer only. */
        if (timer->name == XV_TIMER_TSC) {
            if (timer->frequency > 0)
                xb_attrf(b, "frequency", "%" G_GUINT64_FORMAT, timer->frequency);
            if (timer->mode != XV_TIMER_MODE_NONE)
                xb_attr(b, "mode", xv_timer_mode_to_string(timer->mode));
        }
        xb_empty(b);
    }
    xb_close(b, "clock");
}

static void
format_lifecycle(XvXmlBuf *b, const char *name, XvDomainLifecycleAction action)
{
    xb_text_elem(b, name, str_or(xv_domain_lifecycle_action_to_string(action), "destroy"));
}

/* ---- devices ------------------------------------------------------------ */

static void
format_disk(XvXmlBuf *b, const XvDiskDef *disk)
{
    xb_open(b, "disk");
    xb_attr(b, "type", xv_disk_type_to_string(disk->type));
    xb_attr(b, "device", xv_disk_device_to_string(disk->device));
    xb_children(b);

    if (disk->driver_name || disk->driver_type || disk->driver_cache) {
        xb_open(b, "driver");
        xb_attr(b, "name", disk->driver_name);
        xb_attr(b, "type", disk->driver_type);
        xb_attr(b, "cache", disk->driver_cache);
        xb_empty(b);
    }

    if (disk->type == XV_DISK_TYPE_NETWORK) {
        gboolean auth = disk->auth_username || disk->auth_secret_type ||
                        disk->auth_secret_usage || disk->auth_secret_uuid;

        xb_open(b, "source");
        xb_attr(b, "protocol", str_or(disk->protocol, "rbd"));
        xb_attr(b, "name", disk->src);
        if (!has_items(disk->hosts) && !auth) {
            xb_empty(b);
        } else {
            xb_children(b);
            for (guint i = 0; disk->hosts && i < disk->hosts->len; i++) {
                const XvNetHost *host = g_ptr_array_index(disk->hosts, i);

                xb_open(b, "host");
                xb_attr(b, "name", host->name);
                if (host->port > 0)
                    xb_attrf(b, "port", "%d", host->port);
                xb_empty(b);
            }
            if (auth) {
                xb_open(b, "auth");
                xb_attr(b, "username", disk->auth_username);
                xb_children(b);
                xb_open(b, "secret");
                xb_attr(b, "type", str_or(disk->auth_secret_type, "ceph"));
                if (disk->auth_secret_uuid)
                    xb_attr(b, "uuid", disk->auth_secret_uuid);
                else
                    xb_attr(b, "usage", disk->auth_secret_usage);
                xb_empty(b);
                xb_close(b, "auth");
            }
            xb_close(b, "source");
        }
    } else if (disk->src) {
        xb_leaf(b, "source", disk->type == XV_DISK_TYPE_BLOCK ? "dev" : "file", disk->src);
    }

    /* Not part of libvirt's schema: xl's block "script=" kept so that it is
     * not lost on a round trip. */
    if (disk->script)
        xb_leaf(b, "script", "path", disk->script);
    if (disk->backend_domain)
        xb_leaf(b, "backenddomain", "name", disk->backend_domain);

    xb_open(b, "target");
    xb_attr(b, "dev", disk->dst);
    if (disk->bus != XV_DISK_BUS_NONE)
        xb_attr(b, "bus", xv_disk_bus_to_string(disk->bus));
    xb_empty(b);

    if (disk->readonly) {
        xb_open(b, "readonly");
        xb_empty(b);
    }
    if (disk->shareable) {
        xb_open(b, "shareable");
        xb_empty(b);
    }
    if (disk->transient) {
        xb_open(b, "transient");
        xb_empty(b);
    }
    xb_text_elem(b, "serial", disk->serial);

    if (disk->has_drive_address) {
        xb_open(b, "address");
        xb_attr(b, "type", "drive");
        xb_attrf(b, "controller", "%u", disk->addr_controller);
        xb_attrf(b, "bus", "%u", disk->addr_bus);
        xb_attrf(b, "target", "%u", disk->addr_target);
        xb_attrf(b, "unit", "%u", disk->addr_unit);
        xb_empty(b);
    }
    xb_close(b, "disk");
}

static void
format_controller(XvXmlBuf *b, const XvControllerDef *ctrl)
{
    xb_open(b, "controller");
    xb_attr(b, "type", xv_controller_type_to_string(ctrl->type));
    xb_attrf(b, "index", "%u", ctrl->index);
    xb_attr(b, "model", ctrl->model);
    if (ctrl->type == XV_CONTROLLER_USB && ctrl->ports > 0)
        xb_attrf(b, "ports", "%u", ctrl->ports);
    if (ctrl->type == XV_CONTROLLER_XENBUS) {
        if (ctrl->max_grant_frames > 0)
            xb_attrf(b, "maxGrantFrames", "%u", ctrl->max_grant_frames);
        if (ctrl->max_event_channels > 0)
            xb_attrf(b, "maxEventChannels", "%u", ctrl->max_event_channels);
    }
    xb_empty(b);
}

static void
format_pci_address(XvXmlBuf *b, const char *type, guint domain, guint bus,
                   guint slot, guint function)
{
    xb_open(b, "address");
    xb_attr(b, "type", type);
    xb_attrf(b, "domain", "0x%04x", domain);
    xb_attrf(b, "bus", "0x%02x", bus);
    xb_attrf(b, "slot", "0x%02x", slot);
    xb_attrf(b, "function", "0x%x", function);
    xb_empty(b);
}

static void
format_bandwidth_rate(XvXmlBuf *b, const char *name, const XvNetBandwidthRate *rate)
{
    if (!rate->present)
        return;
    xb_open(b, name);
    if (rate->average)
        xb_attrf(b, "average", "%" G_GUINT64_FORMAT, rate->average);
    if (rate->peak)
        xb_attrf(b, "peak", "%" G_GUINT64_FORMAT, rate->peak);
    if (rate->burst)
        xb_attrf(b, "burst", "%" G_GUINT64_FORMAT, rate->burst);
    xb_empty(b);
}

static const char *
net_ip_family(const XvNetIp *ip)
{
    if (ip->family)
        return ip->family;
    if (!ip->address)
        return NULL;
    return strchr(ip->address, ':') ? "ipv6" : "ipv4";
}

static void
format_net(XvXmlBuf *b, const XvNetDef *net, XvFormatFlags flags)
{
    g_autofree char *mac = xv_mac_format(net->mac);

    xb_open(b, "interface");
    xb_attr(b, "type", xv_net_type_to_string(net->type));
    xb_children(b);

    xb_leaf(b, "mac", "address", mac);

    switch (net->type) {
    case XV_NET_TYPE_BRIDGE:
        if (net->bridge)
            xb_leaf(b, "source", "bridge", net->bridge);
        break;
    case XV_NET_TYPE_NETWORK:
        xb_open(b, "source");
        xb_attr(b, "network", net->network);
        xb_attr(b, "portgroup", net->portgroup);
        xb_empty(b);
        break;
    case XV_NET_TYPE_HOSTDEV:
        xb_open(b, "source");
        xb_children(b);
        format_pci_address(b, "pci", net->pci_domain, net->pci_bus, net->pci_slot,
                           net->pci_function);
        xb_close(b, "source");
        break;
    case XV_NET_TYPE_ETHERNET:
    case XV_NET_TYPE_LAST:
        break;
    }

    if (net->vlan_tags && net->vlan_tags->len > 0) {
        xb_open(b, "vlan");
        if (net->vlan_trunk)
            xb_attr(b, "trunk", "yes");
        xb_children(b);
        for (guint i = 0; i < net->vlan_tags->len; i++) {
            xb_open(b, "tag");
            xb_attrf(b, "id", "%u", g_array_index(net->vlan_tags, guint, i));
            xb_empty(b);
        }
        xb_close(b, "vlan");
    }
    if (net->virtualport_type)
        xb_leaf(b, "virtualport", "type", net->virtualport_type);
    if (net->inbound.present || net->outbound.present) {
        xb_open(b, "bandwidth");
        xb_children(b);
        format_bandwidth_rate(b, "inbound", &net->inbound);
        format_bandwidth_rate(b, "outbound", &net->outbound);
        xb_close(b, "bandwidth");
    }
    for (guint i = 0; net->ips && i < net->ips->len; i++) {
        const XvNetIp *ip = g_ptr_array_index(net->ips, i);

        xb_open(b, "ip");
        xb_attr(b, "address", ip->address);
        xb_attr(b, "family", net_ip_family(ip));
        if (ip->prefix)
            xb_attrf(b, "prefix", "%u", ip->prefix);
        xb_empty(b);
    }
    if (net->script)
        xb_leaf(b, "script", "path", net->script);
    if (net->backend_domain)
        xb_leaf(b, "backenddomain", "name", net->backend_domain);
    /* Names the backend generated ("vifD.N") are live data, as libvirt's
     * netPrefix rule for the libxl driver. */
    if (net->ifname &&
        !((flags & XV_FORMAT_INACTIVE) && g_str_has_prefix(net->ifname, "vif"))) {
        xb_leaf(b, "target", "dev", net->ifname);
    }
    if (net->model)
        xb_leaf(b, "model", "type", net->model);
    if (net->mtu > 0) {
        xb_open(b, "mtu");
        xb_attrf(b, "size", "%d", net->mtu);
        xb_empty(b);
    }
    xb_close(b, "interface");
}

/* The <source>/<protocol> children of a character device. */
static void
format_chr_source(XvXmlBuf *b, const XvChrDef *chr, XvFormatFlags flags)
{
    switch (chr->type) {
    case XV_CHR_TYPE_PTY:
    case XV_CHR_TYPE_DEV:
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
        /* A pty's path is assigned at start: live data. */
        if (chr->path &&
            (chr->type != XV_CHR_TYPE_PTY || !(flags & XV_FORMAT_INACTIVE))) {
            xb_leaf(b, "source", "path", chr->path);
        }
        break;
    case XV_CHR_TYPE_UDP:
        if (chr->host || chr->service) {
            xb_open(b, "source");
            xb_attr(b, "mode", "bind");
            xb_attr(b, "host", chr->host);
            xb_attr(b, "service", chr->service);
            xb_empty(b);
        }
        if (chr->connect_host || chr->connect_service) {
            xb_open(b, "source");
            xb_attr(b, "mode", "connect");
            xb_attr(b, "host", chr->connect_host);
            xb_attr(b, "service", chr->connect_service);
            xb_empty(b);
        }
        break;
    case XV_CHR_TYPE_TCP:
        xb_open(b, "source");
        xb_attr(b, "mode", str_or(chr->mode, "connect"));
        xb_attr(b, "host", chr->host);
        xb_attr(b, "service", chr->service);
        xb_empty(b);
        xb_leaf(b, "protocol", "type", str_or(chr->protocol, "raw"));
        break;
    case XV_CHR_TYPE_UNIX:
        if (chr->path) {
            xb_open(b, "source");
            xb_attr(b, "mode", str_or(chr->mode, "connect"));
            xb_attr(b, "path", chr->path);
            xb_empty(b);
        }
        break;
    case XV_CHR_TYPE_NULL:
    case XV_CHR_TYPE_VC:
    case XV_CHR_TYPE_STDIO:
    case XV_CHR_TYPE_LAST:
        break;
    }
}

/*
 * One <serial>, <console>, <channel> or <parallel>.  'src' supplies the
 * type and source (libvirt prints an HVM guest's serial console with the
 * source of the serial port it duplicates); 'chr' the target.
 */
static void
format_chr(XvXmlBuf *b, XvChrDeviceKind kind, const XvChrDef *src, const XvChrDef *chr,
           const char *console_target_type, XvFormatFlags flags)
{
    const char *element = xv_chr_device_kind_to_string(kind);

    xb_open(b, element);
    xb_attr(b, "type", xv_chr_type_to_string(src->type));
    /* libvirt's "tty" compatibility attribute of the first pty console. */
    if (kind == XV_CHR_DEVICE_CONSOLE && src->type == XV_CHR_TYPE_PTY && src->path &&
        chr->port == 0 && !(flags & XV_FORMAT_INACTIVE))
        xb_attr(b, "tty", src->path);
    xb_children(b);

    format_chr_source(b, src, flags);

    xb_open(b, "target");
    switch (kind) {
    case XV_CHR_DEVICE_CHANNEL:
        xb_attr(b, "type", str_or(chr->target_type, "xen"));
        xb_attr(b, "name", chr->target_name);
        break;
    case XV_CHR_DEVICE_CONSOLE:
        xb_attr(b, "type", console_target_type);
        xb_attrf(b, "port", "%u", chr->port);
        break;
    case XV_CHR_DEVICE_SERIAL:
        xb_attr(b, "type", chr->target_type);
        xb_attrf(b, "port", "%u", chr->port);
        break;
    case XV_CHR_DEVICE_PARALLEL:
    case XV_CHR_DEVICE_LAST:
        xb_attrf(b, "port", "%u", chr->port);
        break;
    }
    xb_empty(b);
    xb_close(b, element);
}

static void
format_consoles(XvXmlBuf *b, const XvDomainDef *def, XvFormatFlags flags)
{
    gboolean hvm = def->os.type == XV_DOMAIN_OS_HVM;

    for (guint i = 0; def->consoles && i < def->consoles->len; i++) {
        const XvChrDef *console = g_ptr_array_index(def->consoles, i);
        const char *target_type = console->target_type;

        if (!target_type)
            target_type = hvm ? "serial" : "xen";
        /* As libvirt: an HVM guest's serial console is a view of serial
         * port i, printed with that port's source and number. */
        if (hvm && g_str_equal(target_type, "serial") &&
            def->serials && i < def->serials->len) {
            const XvChrDef *serial = g_ptr_array_index(def->serials, i);

            format_chr(b, XV_CHR_DEVICE_CONSOLE, serial, serial, "serial", flags);
        } else {
            format_chr(b, XV_CHR_DEVICE_CONSOLE, console, console, target_type, flags);
        }
    }
}

static void
format_graphics_listen(XvXmlBuf *b, const XvGraphicsDef *gfx)
{
    xb_open(b, "listen");
    xb_attr(b, "type", "address");
    xb_attr(b, "address", gfx->listen);
    xb_empty(b);
}

static void
format_graphics(XvXmlBuf *b, const XvGraphicsDef *gfx, XvFormatFlags flags)
{
    gboolean secure = (flags & XV_FORMAT_SECURE) != 0;
    gboolean inactive = (flags & XV_FORMAT_INACTIVE) != 0;
    gboolean children = FALSE;

    xb_open(b, "graphics");
    xb_attr(b, "type", xv_graphics_type_to_string(gfx->type));

    switch (gfx->type) {
    case XV_GRAPHICS_VNC:
        /* An autoport-assigned port is live data: -1 in inactive XML. */
        if (gfx->port > 0 && (!gfx->autoport || !inactive))
            xb_attrf(b, "port", "%d", gfx->port);
        else if (gfx->autoport)
            xb_attr(b, "port", "-1");
        xb_attr(b, "autoport", gfx->autoport ? "yes" : "no");
        xb_attr(b, "listen", gfx->listen);
        xb_attr(b, "keymap", gfx->keymap);
        if (secure)
            xb_attr(b, "passwd", gfx->passwd);
        xb_children(b);
        format_graphics_listen(b, gfx);
        children = TRUE;
        break;

    case XV_GRAPHICS_SPICE:
        if (gfx->port > 0 && (!gfx->autoport || !inactive))
            xb_attrf(b, "port", "%d", gfx->port);
        if (gfx->tls_port > 0 && (!gfx->autoport || !inactive))
            xb_attrf(b, "tlsPort", "%d", gfx->tls_port);
        xb_attr(b, "autoport", gfx->autoport ? "yes" : "no");
        xb_attr(b, "listen", gfx->listen);
        xb_attr(b, "keymap", gfx->keymap);
        if (secure)
            xb_attr(b, "passwd", gfx->passwd);
        xb_children(b);
        children = TRUE;
        format_graphics_listen(b, gfx);
        if (gfx->spice_image_compression)
            xb_leaf(b, "image", "compression", gfx->spice_image_compression);
        if (gfx->spice_streaming_mode)
            xb_leaf(b, "streaming", "mode", gfx->spice_streaming_mode);
        if (gfx->mouse_mode)
            xb_leaf(b, "mouse", "mode", gfx->mouse_mode);
        if (gfx->clipboard_copypaste != XV_TRISTATE_ABSENT)
            xb_leaf(b, "clipboard", "copypaste",
                    xv_tristate_bool_to_string(gfx->clipboard_copypaste));
        if (gfx->spice_filetransfer != XV_TRISTATE_ABSENT)
            xb_leaf(b, "filetransfer", "enable",
                    xv_tristate_bool_to_string(gfx->spice_filetransfer));
        if (gfx->gl != XV_TRISTATE_ABSENT)
            xb_leaf(b, "gl", "enable", xv_tristate_bool_to_string(gfx->gl));
        break;

    case XV_GRAPHICS_SDL:
        xb_attr(b, "display", gfx->display);
        xb_attr(b, "xauth", gfx->xauth);
        if (gfx->fullscreen)
            xb_attr(b, "fullscreen", "yes");
        if (gfx->gl != XV_TRISTATE_ABSENT) {
            xb_children(b);
            children = TRUE;
            xb_leaf(b, "gl", "enable", xv_tristate_bool_to_string(gfx->gl));
        }
        break;

    case XV_GRAPHICS_TYPE_LAST:
        break;
    }

    if (children)
        xb_close(b, "graphics");
    else
        xb_empty(b);
}

static void
format_video(XvXmlBuf *b, const XvVideoDef *video)
{
    xb_open(b, "video");
    xb_children(b);
    xb_open(b, "model");
    xb_attr(b, "type", xv_video_type_to_string(video->type));
    if (video->vram_kb)
        xb_attrf(b, "vram", "%u", video->vram_kb);
    if (video->heads)
        xb_attrf(b, "heads", "%u", video->heads);
    if (video->primary)
        xb_attr(b, "primary", "yes");
    xb_empty(b);
    xb_close(b, "video");
}

static void
format_hostdev(XvXmlBuf *b, const XvHostdevDef *hostdev)
{
    xb_open(b, "hostdev");
    xb_attr(b, "mode", "subsystem");
    xb_attr(b, "type", xv_hostdev_type_to_string(hostdev->type));
    xb_attr(b, "managed", hostdev->managed ? "yes" : "no");
    xb_children(b);

    if (hostdev->type == XV_HOSTDEV_PCI) {
        if (hostdev->driver_name)
            xb_leaf(b, "driver", "name", hostdev->driver_name);
        xb_open(b, "source");
        if (hostdev->write_filtering != XV_TRISTATE_ABSENT)
            xb_attr(b, "writeFiltering",
                    xv_tristate_bool_to_string(hostdev->write_filtering));
        xb_children(b);
        format_pci_address(b, NULL, hostdev->domain, hostdev->bus, hostdev->slot,
                           hostdev->function);
        xb_close(b, "source");
        if (hostdev->has_guest_address)
            format_pci_address(b, "pci", hostdev->guest_domain, hostdev->guest_bus,
                               hostdev->guest_slot, hostdev->guest_function);
    } else {
        xb_open(b, "source");
        xb_children(b);
        if (hostdev->usb_by_id) {
            xb_open(b, "vendor");
            xb_attrf(b, "id", "0x%.4x", hostdev->usb_vendor);
            xb_empty(b);
            xb_open(b, "product");
            xb_attrf(b, "id", "0x%.4x", hostdev->usb_product);
            xb_empty(b);
        }
        if (!hostdev->usb_by_id || hostdev->usb_bus || hostdev->usb_device) {
            xb_open(b, "address");
            xb_attrf(b, "bus", "%u", hostdev->usb_bus);
            xb_attrf(b, "device", "%u", hostdev->usb_device);
            xb_empty(b);
        }
        xb_close(b, "source");
    }
    xb_close(b, "hostdev");
}

/*
 * XV_FORMAT_MIGRATABLE.  libvirt's generic formatter, which its libxl
 * driver uses, drops only configuration-derived graphics listens under this
 * flag (xenvirt has none).  The qemu driver goes further and drops the
 * implicit devices that the destination's post-parse adds back identically
 * (the default USB and pci-root controllers, the implicit PS/2 mouse and
 * keyboard), so that the XML also suits an older receiver.  xenvirt applies
 * that rule to the Xen implicit devices its own post-parse re-creates:
 *   - the xenbus controller index 0 without grant/event-channel limits;
 *   - a disk controller (ide/scsi/sata/fdc) without a model that a disk
 *     address refers to;
 *   - the first mouse and first keyboard on the implicit input bus (ps2 for
 *     HVM, xen for PV and PVH).
 * Everything else stays: the memballoon and the console are kept, as libvirt
 * keeps them.  parse(migratable XML) gives back the same definition.
 */
static gboolean
disk_bus_for_controller(XvControllerType type, XvDiskBus *bus)
{
    switch (type) {
    case XV_CONTROLLER_IDE: *bus = XV_DISK_BUS_IDE; return TRUE;
    case XV_CONTROLLER_SCSI: *bus = XV_DISK_BUS_SCSI; return TRUE;
    case XV_CONTROLLER_SATA: *bus = XV_DISK_BUS_SATA; return TRUE;
    case XV_CONTROLLER_FDC: *bus = XV_DISK_BUS_FDC; return TRUE;
    case XV_CONTROLLER_XENBUS:
    case XV_CONTROLLER_USB:
    case XV_CONTROLLER_PCI:
    case XV_CONTROLLER_TYPE_LAST:
        break;
    }
    return FALSE;
}

static gboolean
controller_is_implicit(const XvDomainDef *def, const XvControllerDef *ctrl)
{
    XvDiskBus bus;

    if (ctrl->type == XV_CONTROLLER_XENBUS)
        return ctrl->index == 0 && !ctrl->model && ctrl->max_grant_frames == 0 &&
               ctrl->max_event_channels == 0;
    if (ctrl->model || !disk_bus_for_controller(ctrl->type, &bus))
        return FALSE;
    for (guint i = 0; def->disks && i < def->disks->len; i++) {
        const XvDiskDef *disk = g_ptr_array_index(def->disks, i);

        if (disk->bus == bus && disk->has_drive_address &&
            disk->addr_controller == ctrl->index)
            return TRUE;
    }
    return FALSE;
}

static void
format_inputs(XvXmlBuf *b, const XvDomainDef *def, XvFormatFlags flags)
{
    XvInputBus implicit_bus = xv_domain_def_is_hvm(def) ? XV_INPUT_BUS_PS2 : XV_INPUT_BUS_XEN;
    gboolean skipped_mouse = FALSE, skipped_keyboard = FALSE;

    for (guint i = 0; def->inputs && i < def->inputs->len; i++) {
        const XvInputDef *input = g_ptr_array_index(def->inputs, i);

        if ((flags & XV_FORMAT_MIGRATABLE) && input->bus == implicit_bus) {
            if (input->type == XV_INPUT_MOUSE && !skipped_mouse) {
                skipped_mouse = TRUE;
                continue;
            }
            if (input->type == XV_INPUT_KEYBOARD && !skipped_keyboard) {
                skipped_keyboard = TRUE;
                continue;
            }
        }
        xb_open(b, "input");
        xb_attr(b, "type", xv_input_type_to_string(input->type));
        xb_attr(b, "bus", xv_input_bus_to_string(input->bus));
        xb_empty(b);
    }
}

static void
format_devices(XvXmlBuf *b, const XvDomainDef *def, XvFormatFlags flags)
{
    xb_open(b, "devices");
    xb_children(b);

    xb_text_elem(b, "emulator", def->emulator);

    for (guint i = 0; def->disks && i < def->disks->len; i++)
        format_disk(b, g_ptr_array_index(def->disks, i));

    for (guint i = 0; def->controllers && i < def->controllers->len; i++) {
        const XvControllerDef *ctrl = g_ptr_array_index(def->controllers, i);

        if ((flags & XV_FORMAT_MIGRATABLE) && controller_is_implicit(def, ctrl))
            continue;
        format_controller(b, ctrl);
    }

    for (guint i = 0; def->nets && i < def->nets->len; i++)
        format_net(b, g_ptr_array_index(def->nets, i), flags);

    for (guint i = 0; def->serials && i < def->serials->len; i++) {
        const XvChrDef *serial = g_ptr_array_index(def->serials, i);

        format_chr(b, XV_CHR_DEVICE_SERIAL, serial, serial, NULL, flags);
    }
    format_consoles(b, def, flags);
    for (guint i = 0; def->channels && i < def->channels->len; i++) {
        const XvChrDef *channel = g_ptr_array_index(def->channels, i);

        format_chr(b, XV_CHR_DEVICE_CHANNEL, channel, channel, NULL, flags);
    }

    format_inputs(b, def, flags);

    for (guint i = 0; def->graphics && i < def->graphics->len; i++)
        format_graphics(b, g_ptr_array_index(def->graphics, i), flags);

    for (guint i = 0; def->sounds && i < def->sounds->len; i++) {
        const XvSoundDef *sound = g_ptr_array_index(def->sounds, i);

        xb_leaf(b, "sound", "model", sound->model);
    }

    for (guint i = 0; def->videos && i < def->videos->len; i++)
        format_video(b, g_ptr_array_index(def->videos, i));

    for (guint i = 0; def->hostdevs && i < def->hostdevs->len; i++)
        format_hostdev(b, g_ptr_array_index(def->hostdevs, i));

    if (def->memballoon) {
        xb_open(b, "memballoon");
        xb_attr(b, "model", str_or(def->memballoon->model, "xen"));
        if (def->memballoon->period > 0) {
            xb_children(b);
            xb_open(b, "stats");
            xb_attrf(b, "period", "%u", def->memballoon->period);
            xb_empty(b);
            xb_close(b, "memballoon");
        } else {
            xb_empty(b);
        }
    }

    xb_close(b, "devices");
}

/* ---- the domain ----------------------------------------------------------- */

char *
xv_domain_def_format(const XvDomainDef *def, XvFormatFlags flags)
{
    XvXmlBuf b;
    char uuid[XV_UUID_STRING_BUFLEN];
    gboolean xen_ns;

    g_return_val_if_fail(def != NULL, NULL);

    b.s = g_string_sized_new(4096);
    b.indent = 0;
    xen_ns = has_items(def->xen_args);

    xb_open(&b, "domain");
    xb_attr(&b, "type", "xen");
    if (def->id >= 0 && !(flags & XV_FORMAT_INACTIVE))
        xb_attrf(&b, "id", "%d", def->id);
    if (xen_ns)
        xb_attr(&b, "xmlns:xen", XV_DOMAIN_XEN_NS);
    xb_children(&b);

    xb_text_elem(&b, "name", def->name);
    xb_text_elem(&b, "uuid", xv_uuid_format(def->uuid, uuid));
    xb_text_elem(&b, "title", def->title);
    xb_text_elem(&b, "description", def->description);
    if (def->metadata_xml)
        format_metadata(&b, def->metadata_xml);

    if (def->max_memory_kb > 0) {
        xb_open(&b, "maxMemory");
        xb_attrf(&b, "slots", "%u", def->max_memory_slots);
        xb_attr(&b, "unit", "KiB");
        g_string_append_printf(b.s, ">%" G_GUINT64_FORMAT "</maxMemory>\n",
                               def->max_memory_kb);
    }
    xb_open(&b, "memory");
    xb_attr(&b, "unit", "KiB");
    g_string_append_printf(b.s, ">%" G_GUINT64_FORMAT "</memory>\n", def->memory_kb);
    xb_open(&b, "currentMemory");
    xb_attr(&b, "unit", "KiB");
    g_string_append_printf(b.s, ">%" G_GUINT64_FORMAT "</currentMemory>\n",
                           def->current_memory_kb);

    format_vcpu(&b, def);
    format_cputune(&b, &def->cputune);
    format_numatune(&b, &def->numatune);

    xb_text_elem(&b, "bootloader", def->os.bootloader);
    xb_text_elem(&b, "bootloader_args", def->os.bootloader_args);

    format_os(&b, def);
    format_features(&b, def);
    format_cpu(&b, &def->cpu);
    format_clock(&b, &def->clock);

    format_lifecycle(&b, "on_poweroff", def->on_poweroff);
    format_lifecycle(&b, "on_reboot", def->on_reboot);
    format_lifecycle(&b, "on_crash", def->on_crash);

    format_devices(&b, def, flags);

    if (xen_ns) {
        xb_open(&b, "xen:commandline");
        xb_children(&b);
        for (guint i = 0; i < def->xen_args->len; i++) {
            xb_open(&b, "xen:arg");
            xb_attr(&b, "value", g_ptr_array_index(def->xen_args, i));
            xb_empty(&b);
        }
        xb_close(&b, "xen:commandline");
    }

    xb_close(&b, "domain");
    return g_string_free(b.s, FALSE);
}
