/*
 * capabilities.c: capabilities and domain capabilities XML, in the layout of
 * libvirt's virCapabilitiesFormatXML() / virDomainCapsFormat() as the libxl
 * driver fills them (libxl_capabilities.c).
 */
#include <glib.h>
#include <glib/gi18n.h>
#include <string.h>

#include "util/xv-bitmap.h"
#include "util/xv-error.h"
#include "xmlconf/capabilities.h"

/* ---- the struct ------------------------------------------------------- */

XvCapsHost *
xv_caps_host_new(const char *arch)
{
    XvCapsHost *host = g_new0(XvCapsHost, 1);

    host->arch = g_strdup(arch);
    host->cpu_features = g_ptr_array_new_with_free_func(g_free);
    host->page_sizes_kib = g_array_new(FALSE, FALSE, sizeof(guint));
    host->cells = g_ptr_array_new_with_free_func((GDestroyNotify)xv_caps_cell_free);
    return host;
}

void
xv_caps_cell_free(XvCapsCell *cell)
{
    if (cell == NULL)
        return;
    g_clear_pointer(&cell->pages, g_array_unref);
    g_clear_pointer(&cell->distances, g_array_unref);
    g_clear_pointer(&cell->cpus, g_array_unref);
    g_free(cell);
}

void
xv_caps_host_free(XvCapsHost *host)
{
    if (host == NULL)
        return;
    g_free(host->arch);
    g_free(host->cpu_model);
    g_free(host->cpu_vendor);
    g_clear_pointer(&host->cpu_features, g_ptr_array_unref);
    g_clear_pointer(&host->page_sizes_kib, g_array_unref);
    g_clear_pointer(&host->cells, g_ptr_array_unref);
    g_free(host->xen_caps);
    g_free(host->emulator);
    g_free(host->hvmloader);
    g_free(host->ovmf);
    g_free(host);
}

XvCapsCell *
xv_caps_host_add_cell(XvCapsHost *host, guint id, guint64 memory_kib)
{
    XvCapsCell *cell = g_new0(XvCapsCell, 1);

    cell->id = id;
    cell->memory_kib = memory_kib;
    cell->pages = g_array_new(FALSE, FALSE, sizeof(XvCapsPages));
    cell->distances = g_array_new(FALSE, FALSE, sizeof(guint));
    cell->cpus = g_array_new(FALSE, FALSE, sizeof(XvCapsCpu));
    g_ptr_array_add(host->cells, cell);
    return cell;
}

void
xv_caps_cell_add_cpu(XvCapsCell *cell, guint id, guint socket_id, guint die_id,
                     guint core_id)
{
    XvCapsCpu cpu = { id, socket_id, die_id, core_id };

    g_array_append_val(cell->cpus, cpu);
}

void
xv_caps_cell_add_pages(XvCapsCell *cell, guint size_kib, guint64 count)
{
    XvCapsPages pages = { size_kib, count };

    g_array_append_val(cell->pages, pages);
}

/* ---- guest types from Xen's capability string ------------------------- */

/* libvirt's architecture names (basictypes.rng 'archnames'). */
static const char *const xv_caps_known_archs[] = {
    "aarch64", "alpha", "armv6l", "armv7l", "cris", "i686", "ia64", "lm32",
    "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64",
    "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppc64", "ppc64le",
    "ppcemb", "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc",
    "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb",
};

static const char *
xv_caps_known_arch(const char *arch)
{
    for (gsize i = 0; i < G_N_ELEMENTS(xv_caps_known_archs); i++) {
        if (g_strcmp0(xv_caps_known_archs[i], arch) == 0)
            return xv_caps_known_archs[i];
    }
    return NULL;
}

static guint
xv_caps_arch_wordsize(const char *arch)
{
    static const char *const w32[] = {
        "i686", "armv6l", "armv7l", "ppc", "mips", "mipsel", "sparc", "riscv32",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(w32); i++) {
        if (strcmp(w32[i], arch) == 0)
            return 32;
    }
    return 64;
}

static gboolean
xv_caps_xen_has_pvh(const XvCapsHost *host)
{
    return host->xen_major > 4 || (host->xen_major == 4 && host->xen_minor >= 10);
}

/*
 * One token of Xen's capability string, "(xen|hvm)-N.N-ARCH[p|be]", as
 * libvirt's regex "(xen|hvm)-[[:digit:]]+\.[[:digit:]]+-(aarch64|armv7l|
 * x86_32|x86_64|ia64|powerpc64)(p|be)?" reads it.  FALSE for anything else.
 */
static gboolean
xv_caps_parse_token(const char *token, XvCapsGuest *out)
{
    static const struct {
        const char *xen;
        const char *arch;
    } archs[] = {
        { "x86_32", "i686" },
        { "x86_64", "x86_64" },
        { "aarch64", "aarch64" },
        { "armv7l", "armv7l" },
        { "ia64", "ia64" },
        { "powerpc64", "ppc64" },
    };
    const char *p = token;
    const char *suffix = NULL;

    memset(out, 0, sizeof(*out));
    if (g_str_has_prefix(p, "xen-")) {
        out->kind = XV_CAPS_GUEST_PV;
    } else if (g_str_has_prefix(p, "hvm-")) {
        out->kind = XV_CAPS_GUEST_HVM;
    } else {
        return FALSE;
    }
    p += 4;
    if (!g_ascii_isdigit(*p))
        return FALSE;
    while (g_ascii_isdigit(*p))
        p++;
    if (*p++ != '.' || !g_ascii_isdigit(*p))
        return FALSE;
    while (g_ascii_isdigit(*p))
        p++;
    if (*p++ != '-')
        return FALSE;

    for (gsize i = 0; i < G_N_ELEMENTS(archs); i++) {
        if (g_str_has_prefix(p, archs[i].xen)) {
            out->arch = archs[i].arch;
            suffix = p + strlen(archs[i].xen);
            break;
        }
    }
    if (out->arch == NULL)
        return FALSE;

    if (strcmp(out->arch, "i686") == 0) {
        /* "x86_32p" can run PAE guests, "x86_32" non-PAE ones. */
        if (g_str_has_prefix(suffix, "p"))
            out->pae = TRUE;
        else
            out->nonpae = TRUE;
    } else if (strcmp(out->arch, "ia64") == 0 && g_str_has_prefix(suffix, "be")) {
        out->ia64_be = TRUE;
    }
    return TRUE;
}

GArray *
xv_caps_host_guests(const XvCapsHost *host)
{
    GArray *guests = g_array_new(FALSE, TRUE, sizeof(XvCapsGuest));
    g_auto(GStrv) tokens = NULL;

    if (host->xen_caps == NULL)
        return guests;

    tokens = g_strsplit_set(host->xen_caps, " \t\n", -1);
    for (gsize t = 0; tokens[t] != NULL; t++) {
        XvCapsGuest parsed;
        XvCapsGuest *slot = NULL;

        if (!xv_caps_parse_token(tokens[t], &parsed))
            continue;

        /* Xen lists PAE and non-PAE flavours of one arch separately:
         * merge them, never turning a positive setting off. */
        for (guint i = 0; i < guests->len; i++) {
            XvCapsGuest *g = &g_array_index(guests, XvCapsGuest, i);

            if (g->kind == parsed.kind && strcmp(g->arch, parsed.arch) == 0) {
                slot = g;
                break;
            }
        }
        if (slot != NULL) {
            slot->pae |= parsed.pae;
            slot->nonpae |= parsed.nonpae;
            slot->ia64_be |= parsed.ia64_be;
            continue;
        }
        g_array_append_val(guests, parsed);

        /* Xen 4.10 and later run PVH guests wherever it runs HVM ones;
         * libvirt lists the PVH guest right after each new HVM arch. */
        if (parsed.kind == XV_CAPS_GUEST_HVM && xv_caps_xen_has_pvh(host)) {
            XvCapsGuest pvh = { XV_CAPS_GUEST_PVH, parsed.arch, FALSE, FALSE, FALSE };

            g_array_append_val(guests, pvh);
        }
    }
    return guests;
}

static const char *const xv_caps_guest_os_type[XV_CAPS_GUEST_KIND_LAST] = {
    "xen", "hvm", "xenpvh",
};
static const char *const xv_caps_guest_machine[XV_CAPS_GUEST_KIND_LAST] = {
    "xenpv", "xenfv", "xenpvh",
};

/* ---- output helpers --------------------------------------------------- */

static void G_GNUC_PRINTF(3, 4)
xv_caps_line(GString *out, guint indent, const char *format, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, format);
    text = g_markup_vprintf_escaped(format, ap);
    va_end(ap);
    for (guint i = 0; i < indent; i++)
        g_string_append(out, "  ");
    g_string_append(out, text);
    g_string_append_c(out, '\n');
}

/* ---- <capabilities> --------------------------------------------------- */

static void
xv_caps_format_cpu(GString *out, const XvCapsHost *host)
{
    xv_caps_line(out, 2, "<cpu>");
    xv_caps_line(out, 3, "<arch>%s</arch>", host->arch);
    if (host->cpu_model != NULL)
        xv_caps_line(out, 3, "<model>%s</model>", host->cpu_model);
    if (host->cpu_vendor != NULL)
        xv_caps_line(out, 3, "<vendor>%s</vendor>", host->cpu_vendor);
    if (host->sockets && host->dies && host->cores && host->threads) {
        xv_caps_line(out, 3, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>",
                     host->sockets, host->dies, host->cores, host->threads);
    }
    for (guint i = 0; i < host->cpu_features->len; i++) {
        xv_caps_line(out, 3, "<feature name='%s'/>",
                     (const char *)g_ptr_array_index(host->cpu_features, i));
    }
    for (guint i = 0; i < host->page_sizes_kib->len; i++) {
        xv_caps_line(out, 3, "<pages unit='KiB' size='%u'/>",
                     g_array_index(host->page_sizes_kib, guint, i));
    }
    xv_caps_line(out, 2, "</cpu>");
}

/* libvirt's siblings='': CPUs of this cell on the same socket, die and core. */
static char *
xv_caps_cpu_siblings(const XvCapsCell *cell, const XvCapsCpu *cpu)
{
    g_autoptr(XvBitmap) map = NULL;
    guint max = 0;

    for (guint i = 0; i < cell->cpus->len; i++)
        max = MAX(max, g_array_index(cell->cpus, XvCapsCpu, i).id);
    map = xv_bitmap_new(max + 1);
    for (guint i = 0; i < cell->cpus->len; i++) {
        const XvCapsCpu *other = &g_array_index(cell->cpus, XvCapsCpu, i);

        if (other->socket_id == cpu->socket_id && other->die_id == cpu->die_id &&
            other->core_id == cpu->core_id)
            xv_bitmap_set(map, other->id);
    }
    return xv_bitmap_format(map);
}

static void
xv_caps_format_cell(GString *out, const XvCapsCell *cell)
{
    guint ndist = 0;

    xv_caps_line(out, 4, "<cell id='%u'>", cell->id);
    if (cell->memory_kib > 0) {
        xv_caps_line(out, 5, "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>",
                     cell->memory_kib);
    }
    for (guint i = 0; i < cell->pages->len; i++) {
        const XvCapsPages *pages = &g_array_index(cell->pages, XvCapsPages, i);

        xv_caps_line(out, 5, "<pages unit='KiB' size='%u'>%" G_GUINT64_FORMAT "</pages>",
                     pages->size_kib, pages->count);
    }
    for (guint i = 0; i < cell->distances->len; i++) {
        guint value = g_array_index(cell->distances, guint, i);

        if (value >= 10 && value <= 255)
            ndist++;
    }
    if (ndist > 0) {
        xv_caps_line(out, 5, "<distances>");
        for (guint i = 0; i < cell->distances->len; i++) {
            guint value = g_array_index(cell->distances, guint, i);

            if (value >= 10 && value <= 255)
                xv_caps_line(out, 6, "<sibling id='%u' value='%u'/>", i, value);
        }
        xv_caps_line(out, 5, "</distances>");
    }
    xv_caps_line(out, 5, "<cpus num='%u'>", cell->cpus->len);
    for (guint i = 0; i < cell->cpus->len; i++) {
        const XvCapsCpu *cpu = &g_array_index(cell->cpus, XvCapsCpu, i);
        g_autofree char *siblings = xv_caps_cpu_siblings(cell, cpu);

        xv_caps_line(out, 6,
                     "<cpu id='%u' socket_id='%u' die_id='%u' core_id='%u' siblings='%s'/>",
                     cpu->id, cpu->socket_id, cpu->die_id, cpu->core_id, siblings);
    }
    xv_caps_line(out, 5, "</cpus>");
    xv_caps_line(out, 4, "</cell>");
}

static void
xv_caps_format_host(GString *out, const XvCapsHost *host)
{
    xv_caps_line(out, 1, "<host>");
    if (!xv_uuid_is_null(host->uuid)) {
        char buf[XV_UUID_STRING_BUFLEN];

        xv_caps_line(out, 2, "<uuid>%s</uuid>", xv_uuid_format(host->uuid, buf));
    }
    xv_caps_format_cpu(out, host);
    /* libxl does no host suspend: libvirt prints the empty element. */
    xv_caps_line(out, 2, "<power_management/>");
    xv_caps_line(out, 2, "<iommu support='%s'/>", host->iommu ? "yes" : "no");
    if (host->live_migration) {
        xv_caps_line(out, 2, "<migration_features>");
        xv_caps_line(out, 3, "<live/>");
        xv_caps_line(out, 2, "</migration_features>");
    } else {
        xv_caps_line(out, 2, "<migration_features/>");
    }
    if (host->cells->len > 0) {
        xv_caps_line(out, 2, "<topology>");
        xv_caps_line(out, 3, "<cells num='%u'>", host->cells->len);
        for (guint i = 0; i < host->cells->len; i++)
            xv_caps_format_cell(out, g_ptr_array_index(host->cells, i));
        xv_caps_line(out, 3, "</cells>");
        xv_caps_line(out, 2, "</topology>");
    }
    xv_caps_line(out, 2, "<secmodel>");
    xv_caps_line(out, 3, "<model>none</model>");
    xv_caps_line(out, 3, "<doi>0</doi>");
    xv_caps_line(out, 2, "</secmodel>");
    xv_caps_line(out, 1, "</host>");
    g_string_append_c(out, '\n');
}

static void
xv_caps_format_guest(GString *out, const XvCapsHost *host, const XvCapsGuest *guest)
{
    xv_caps_line(out, 1, "<guest>");
    xv_caps_line(out, 2, "<os_type>%s</os_type>", xv_caps_guest_os_type[guest->kind]);
    xv_caps_line(out, 2, "<arch name='%s'>", guest->arch);
    xv_caps_line(out, 3, "<wordsize>%u</wordsize>", xv_caps_arch_wordsize(guest->arch));
    if (host->emulator != NULL)
        xv_caps_line(out, 3, "<emulator>%s</emulator>", host->emulator);
    if (guest->kind == XV_CAPS_GUEST_HVM && host->hvmloader != NULL)
        xv_caps_line(out, 3, "<loader>%s</loader>", host->hvmloader);
    xv_caps_line(out, 3, "<machine>%s</machine>", xv_caps_guest_machine[guest->kind]);
    xv_caps_line(out, 3, "<domain type='xen'/>");
    xv_caps_line(out, 2, "</arch>");

    /* libvirt's feature order: pae, nonpae, ia64_be, acpi, apic, ..., hap */
    if (guest->pae || guest->nonpae || guest->ia64_be || guest->kind != XV_CAPS_GUEST_PV) {
        xv_caps_line(out, 2, "<features>");
        if (guest->pae)
            xv_caps_line(out, 3, "<pae/>");
        if (guest->nonpae)
            xv_caps_line(out, 3, "<nonpae/>");
        if (guest->ia64_be)
            xv_caps_line(out, 3, "<ia64_be/>");
        if (guest->kind == XV_CAPS_GUEST_HVM) {
            xv_caps_line(out, 3, "<acpi default='on' toggle='yes'/>");
            xv_caps_line(out, 3, "<apic default='on' toggle='no'/>");
        }
        if (guest->kind == XV_CAPS_GUEST_HVM || guest->kind == XV_CAPS_GUEST_PVH)
            xv_caps_line(out, 3, "<hap default='on' toggle='yes'/>");
        xv_caps_line(out, 2, "</features>");
    }
    xv_caps_line(out, 1, "</guest>");
    g_string_append_c(out, '\n');
}

char *
xv_caps_format(const XvCapsHost *host)
{
    g_autoptr(GArray) guests = NULL;
    GString *out;

    g_return_val_if_fail(host != NULL, NULL);
    g_return_val_if_fail(host->arch != NULL, NULL);

    out = g_string_new("<capabilities>\n\n");
    xv_caps_format_host(out, host);
    guests = xv_caps_host_guests(host);
    for (guint i = 0; i < guests->len; i++)
        xv_caps_format_guest(out, host, &g_array_index(guests, XvCapsGuest, i));
    g_string_append(out, "</capabilities>\n");
    return g_string_free(out, FALSE);
}

/* ---- <domainCapabilities> --------------------------------------------- */

static void
xv_caps_enum(GString *out, guint indent, const char *name, const char *const *values)
{
    if (values == NULL || values[0] == NULL) {
        xv_caps_line(out, indent, "<enum name='%s'/>", name);
        return;
    }
    xv_caps_line(out, indent, "<enum name='%s'>", name);
    for (gsize i = 0; values[i] != NULL; i++)
        xv_caps_line(out, indent + 1, "<value>%s</value>", values[i]);
    xv_caps_line(out, indent, "</enum>");
}

static void
xv_domain_caps_format_os(GString *out, const XvCapsHost *host, XvCapsGuestKind kind)
{
    const char *firmware[3] = { NULL, NULL, NULL };
    guint nfirmware = 0;
    static const char *const loader_types[] = { "rom", "pflash", NULL };
    static const char *const loader_readonly[] = { "yes", NULL };

    xv_caps_line(out, 1, "<os supported='yes'>");
    if (kind != XV_CAPS_GUEST_HVM) {
        /* PV and PVH boot a kernel (or a bootloader): no firmware to pick. */
        xv_caps_enum(out, 2, "firmware", NULL);
        xv_caps_line(out, 2, "<loader supported='no'/>");
        xv_caps_line(out, 1, "</os>");
        return;
    }
    if (host->hvmloader != NULL)
        firmware[nfirmware++] = "bios";
    if (host->ovmf != NULL)
        firmware[nfirmware++] = "efi";
    xv_caps_enum(out, 2, "firmware", firmware);
    xv_caps_line(out, 2, "<loader supported='yes'>");
    if (host->hvmloader != NULL)
        xv_caps_line(out, 3, "<value>%s</value>", host->hvmloader);
    if (host->ovmf != NULL)
        xv_caps_line(out, 3, "<value>%s</value>", host->ovmf);
    xv_caps_enum(out, 3, "type", loader_types);
    xv_caps_enum(out, 3, "readonly", loader_readonly);
    xv_caps_line(out, 2, "</loader>");
    xv_caps_line(out, 1, "</os>");
}

static void
xv_domain_caps_format_devices(GString *out, XvCapsGuestKind kind)
{
    /* Values in libvirt's enum order, as virDomainCapsEnumFormat prints them. */
    static const char *const disk_devices[] = { "disk", "cdrom", NULL };
    static const char *const disk_buses[] = { "ide", "scsi", "xen", NULL };
    static const char *const graphics_types[] = { "sdl", "vnc", "spice", NULL };
    static const char *const video_models[] = { "vga", "cirrus", "xen", NULL };
    static const char *const hostdev_modes[] = { "subsystem", NULL };
    static const char *const startup_policies[] = {
        "default", "mandatory", "requisite", "optional", NULL,
    };
    static const char *const subsys_types[] = { "usb", "pci", NULL };
    static const char *const pci_backends[] = { "xen", NULL };

    xv_caps_line(out, 1, "<devices>");
    xv_caps_line(out, 2, "<disk supported='yes'>");
    xv_caps_enum(out, 3, "diskDevice", disk_devices);
    xv_caps_enum(out, 3, "bus", disk_buses);
    xv_caps_enum(out, 3, "model", NULL);
    xv_caps_line(out, 2, "</disk>");
    xv_caps_line(out, 2, "<graphics supported='yes'>");
    xv_caps_enum(out, 3, "type", graphics_types);
    xv_caps_line(out, 2, "</graphics>");
    xv_caps_line(out, 2, "<video supported='yes'>");
    xv_caps_enum(out, 3, "modelType", video_models);
    xv_caps_line(out, 2, "</video>");
    /* Xen does not pass devices through to PVH guests: libvirt leaves the
     * element out for machine 'xenpvh'. */
    if (kind != XV_CAPS_GUEST_PVH) {
        xv_caps_line(out, 2, "<hostdev supported='yes'>");
        xv_caps_enum(out, 3, "mode", hostdev_modes);
        xv_caps_enum(out, 3, "startupPolicy", startup_policies);
        xv_caps_enum(out, 3, "subsysType", subsys_types);
        xv_caps_enum(out, 3, "capsType", NULL);
        xv_caps_enum(out, 3, "pciBackend", pci_backends);
        xv_caps_line(out, 2, "</hostdev>");
    }
    xv_caps_line(out, 1, "</devices>");
}

char *
xv_domain_caps_format(const XvCapsHost *host, const char *emulator, const char *arch,
                      const char *machine, const char *virttype, GError **error)
{
    g_autoptr(GArray) guests = NULL;
    const char *known_arch;
    XvCapsGuestKind kind = XV_CAPS_GUEST_KIND_LAST;
    gboolean offered = FALSE;
    GString *out;

    g_return_val_if_fail(host != NULL, NULL);

    if (virttype != NULL && strcmp(virttype, "xen") != 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot report domain capabilities for virtualization type '%s': "
                      "this host supports only 'xen'"), virttype);
        return NULL;
    }

    if (machine == NULL)
        machine = "xenpv";
    for (guint k = 0; k < XV_CAPS_GUEST_KIND_LAST; k++) {
        if (strcmp(machine, xv_caps_guest_machine[k]) == 0)
            kind = k;
    }
    if (kind == XV_CAPS_GUEST_KIND_LAST) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot report domain capabilities for machine '%s': "
                      "Xen supports only the machines 'xenpv', 'xenpvh' and 'xenfv'"),
                    machine);
        return NULL;
    }

    if (arch == NULL)
        arch = host->arch;
    known_arch = xv_caps_known_arch(arch);
    if (known_arch == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot report domain capabilities: unknown architecture '%s'"),
                    arch != NULL ? arch : "");
        return NULL;
    }

    guests = xv_caps_host_guests(host);
    for (guint i = 0; i < guests->len; i++) {
        const XvCapsGuest *g = &g_array_index(guests, XvCapsGuest, i);

        if (g->kind == kind && strcmp(g->arch, known_arch) == 0)
            offered = TRUE;
    }
    if (!offered) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED,
                    _("cannot report domain capabilities for machine '%1$s' on "
                      "architecture '%2$s': this host offers no such guest type"),
                    machine, known_arch);
        return NULL;
    }

    if (emulator == NULL)
        emulator = host->emulator;
    if (emulator == NULL || !g_path_is_absolute(emulator)) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("cannot report domain capabilities: the emulator path '%s' "
                      "is not absolute"), emulator != NULL ? emulator : "");
        return NULL;
    }

    out = g_string_new("<domainCapabilities>\n");
    xv_caps_line(out, 1, "<path>%s</path>", emulator);
    xv_caps_line(out, 1, "<domain>xen</domain>");
    xv_caps_line(out, 1, "<machine>%s</machine>", machine);
    xv_caps_line(out, 1, "<arch>%s</arch>", known_arch);
    xv_caps_line(out, 1, "<vcpu max='%u'/>",
                 kind == XV_CAPS_GUEST_HVM ? XV_CAPS_HVM_MAX_VCPUS : XV_CAPS_PV_MAX_VCPUS);
    xv_caps_line(out, 1, "<iothreads supported='no'/>");
    xv_domain_caps_format_os(out, host, kind);
    /* libvirt's libxl driver fills no CPU model data: every mode reads 'no'. */
    xv_caps_line(out, 1, "<cpu>");
    xv_caps_line(out, 2, "<mode name='host-passthrough' supported='no'/>");
    xv_caps_line(out, 2, "<mode name='maximum' supported='no'/>");
    xv_caps_line(out, 2, "<mode name='host-model' supported='no'/>");
    xv_caps_line(out, 2, "<mode name='custom' supported='no'/>");
    xv_caps_line(out, 1, "</cpu>");
    xv_domain_caps_format_devices(out, kind);
    xv_caps_line(out, 1, "<features>");
    xv_caps_line(out, 2, "<gic supported='no'/>");
    xv_caps_line(out, 2, "<vmcoreinfo supported='no'/>");
    xv_caps_line(out, 2, "<genid supported='no'/>");
    xv_caps_line(out, 2, "<sev supported='no'/>");
    xv_caps_line(out, 2, "<sgx supported='no'/>");
    xv_caps_line(out, 1, "</features>");
    g_string_append(out, "</domainCapabilities>\n");
    return g_string_free(out, FALSE);
}
