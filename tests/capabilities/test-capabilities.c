/*
 * test-capabilities.c: capabilities and domain capabilities XML.
 *
 * Golden files live in tests/capabilitiesdata/: for every host shape built
 * below, SHAPE.caps.xml, and for every domain capabilities request
 * SHAPE-domcaps-MACHINE-ARCH.xml, or NAME-invalid.err holding the expected
 * "VIR_ERR_CODE: message" of a request that must fail.  XV_TEST_REGENERATE=1
 * rewrites them (review the diff).  Every emitted document is checked with
 * libvirt's virt-xml-validate (libvirt-clients); a missing validator fails
 * the test.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "util/xv-error.h"
#include "util/xv-file.h"
#include "util/xv-names.h"
#include "xmlconf/capabilities.h"

#define LIBVIRT_CAPABILITY_RNG "/usr/share/libvirt/schemas/capability.rng"

static char *tmp_dir;

/* ---- host shapes ------------------------------------------------------ */

static void
set_uuid(XvCapsHost *host, const char *uuid)
{
    g_autoptr(GError) error = NULL;

    g_assert_true(xv_uuid_parse(uuid, host->uuid, &error));
    g_assert_no_error(error);
}

static void
set_paths(XvCapsHost *host, gboolean with_ovmf)
{
    host->emulator = g_strdup("/usr/lib/xen/bin/qemu-system-i386");
    host->hvmloader = g_strdup("/usr/lib/xen/boot/hvmloader");
    if (with_ovmf)
        host->ovmf = g_strdup("/usr/lib/xen/boot/ovmf.bin");
}

/* 'features' is NULL-terminated; any argument may be NULL. */
static void
set_cpu(XvCapsHost *host, const char *model, const char *vendor, const char *const *features)
{
    host->cpu_model = g_strdup(model);
    host->cpu_vendor = g_strdup(vendor);
    for (gsize i = 0; features != NULL && features[i] != NULL; i++)
        g_ptr_array_add(host->cpu_features, g_strdup(features[i]));
}

static void
set_xen(XvCapsHost *host, guint major, guint minor, const char *caps)
{
    host->xen_major = major;
    host->xen_minor = minor;
    host->xen_caps = g_strdup(caps);
}

/* Every shape has one die per socket. */
static void
set_topology(XvCapsHost *host, guint sockets, guint cores, guint threads)
{
    host->sockets = sockets;
    host->dies = 1;
    host->cores = cores;
    host->threads = threads;
}

static void
add_page_size(XvCapsHost *host, guint kib)
{
    g_array_append_val(host->page_sizes_kib, kib);
}

static void
add_distance(XvCapsCell *cell, guint value)
{
    g_array_append_val(cell->distances, value);
}

/* A desktop: one socket, 4 cores x 2 threads, one node, Xen 4.17 with HVM
 * (hence PVH), EFI firmware installed. */
static XvCapsHost *
host_one_node(void)
{
    XvCapsHost *host = xv_caps_host_new("x86_64");
    XvCapsCell *cell;
    static const char *const features[] = {
        "vme", "ds", "acpi", "ss", "ht", "tm", "pbe", "dtes64", "monitor", "invtsc", NULL,
    };

    set_uuid(host, "4c4c4544-0047-3510-8052-b4c04f4b4d32");
    set_cpu(host, "Skylake-Client-noTSX-IBRS", "Intel", features);
    set_topology(host, 1, 4, 2);
    add_page_size(host, 4);
    add_page_size(host, 2048);
    add_page_size(host, 1048576);
    host->iommu = TRUE;
    host->live_migration = TRUE;
    cell = xv_caps_host_add_cell(host, 0, 16661504);
    add_distance(cell, 10);
    for (guint cpu = 0; cpu < 8; cpu++)
        xv_caps_cell_add_cpu(cell, cpu, 0, 0, cpu / 2);
    set_xen(host, 4, 17, "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64");
    set_paths(host, TRUE);
    return host;
}

/* A server: two sockets of 4 cores x 2 threads, one NUMA node per socket,
 * hugepages per node, 32-bit PV enabled in Xen, no EFI firmware. */
static XvCapsHost *
host_two_nodes(void)
{
    XvCapsHost *host = xv_caps_host_new("x86_64");
    static const char *const features[] = { "x2apic", "topoext", "invtsc", NULL };

    set_uuid(host, "00000000-0000-0000-0000-0cc47a8c1a2e");
    set_cpu(host, "EPYC-Rome", "AMD", features);
    set_topology(host, 2, 4, 2);
    add_page_size(host, 4);
    add_page_size(host, 2048);
    host->iommu = TRUE;
    host->live_migration = TRUE;
    for (guint node = 0; node < 2; node++) {
        XvCapsCell *cell = xv_caps_host_add_cell(host, node, 33554432);

        xv_caps_cell_add_pages(cell, 4, 8126464);
        xv_caps_cell_add_pages(cell, 2048, 512);
        add_distance(cell, node == 0 ? 10 : 21);
        add_distance(cell, node == 0 ? 21 : 10);
        for (guint i = 0; i < 8; i++)
            xv_caps_cell_add_cpu(cell, node * 8 + i, node, 0, i / 2);
    }
    set_xen(host, 4, 17, "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 "
                         "hvm-3.0-x86_32p hvm-3.0-x86_64");
    set_paths(host, FALSE);
    return host;
}

/* No hardware virtualisation: PV guests only (64- and 32-bit), no host UUID,
 * no CPU model, no IOMMU. */
static XvCapsHost *
host_no_hvm(void)
{
    XvCapsHost *host = xv_caps_host_new("x86_64");
    XvCapsCell *cell;

    set_topology(host, 1, 2, 1);
    add_page_size(host, 4);
    host->live_migration = TRUE;
    cell = xv_caps_host_add_cell(host, 0, 4190208);
    add_distance(cell, 10);
    xv_caps_cell_add_cpu(cell, 0, 0, 0, 0);
    xv_caps_cell_add_cpu(cell, 1, 0, 0, 1);
    set_xen(host, 4, 17, "xen-3.0-x86_64 xen-3.0-x86_32p");
    host->emulator = g_strdup("/usr/lib/xen/bin/qemu-system-i386");
    return host;
}

/* Xen 4.8: HVM but no PVH yet.  No migration. */
static XvCapsHost *
host_xen48(void)
{
    XvCapsHost *host = xv_caps_host_new("x86_64");
    XvCapsCell *cell;

    set_uuid(host, "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    set_cpu(host, NULL, "Intel", NULL);
    set_topology(host, 1, 2, 2);
    cell = xv_caps_host_add_cell(host, 0, 8388608);
    for (guint cpu = 0; cpu < 4; cpu++)
        xv_caps_cell_add_cpu(cell, cpu, 0, 0, cpu / 2);
    set_xen(host, 4, 8, "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 "
                        "hvm-3.0-x86_32p hvm-3.0-x86_64");
    set_paths(host, FALSE);
    return host;
}

typedef struct {
    const char *name;
    XvCapsHost *(*build)(void);
} HostShape;

static const HostShape shapes[] = {
    { "one-node", host_one_node },
    { "two-nodes", host_two_nodes },
    { "no-hvm", host_no_hvm },
    { "xen48", host_xen48 },
};

static const HostShape *
shape_find(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(shapes); i++) {
        if (strcmp(shapes[i].name, name) == 0)
            return &shapes[i];
    }
    g_assert_not_reached();
}

/* ---- domain capabilities requests ------------------------------------- */

typedef struct {
    const char *host;
    const char *name;            /* golden base name (without .xml / .err) */
    const char *emulator;
    const char *arch;
    const char *machine;
    const char *virttype;
    gboolean invalid;
} DomcapsCase;

static const DomcapsCase domcaps_cases[] = {
    { "one-node", "one-node-domcaps-xenfv-x86_64", NULL, "x86_64", "xenfv", "xen", FALSE },
    { "one-node", "one-node-domcaps-xenfv-i686", NULL, "i686", "xenfv", NULL, FALSE },
    { "one-node", "one-node-domcaps-xenpv-x86_64", NULL, "x86_64", "xenpv", NULL, FALSE },
    { "one-node", "one-node-domcaps-xenpvh-x86_64", NULL, "x86_64", "xenpvh", NULL, FALSE },
    { "one-node", "one-node-domcaps-default", NULL, NULL, NULL, NULL, FALSE },
    { "one-node", "one-node-domcaps-emulator", "/usr/bin/qemu-system-x86_64", NULL,
      "xenfv", NULL, FALSE },
    { "two-nodes", "two-nodes-domcaps-xenfv-x86_64", NULL, "x86_64", "xenfv", NULL, FALSE },
    { "two-nodes", "two-nodes-domcaps-xenpv-i686", NULL, "i686", "xenpv", NULL, FALSE },
    { "no-hvm", "no-hvm-domcaps-xenpv-x86_64", NULL, "x86_64", "xenpv", NULL, FALSE },
    { "xen48", "xen48-domcaps-xenfv-x86_64", NULL, "x86_64", "xenfv", NULL, FALSE },

    { "one-node", "one-node-domcaps-arch-unknown", NULL, "x86-64", "xenfv", NULL, TRUE },
    { "one-node", "one-node-domcaps-arch-unoffered", NULL, "aarch64", "xenpv", NULL, TRUE },
    { "one-node", "one-node-domcaps-machine-pc", NULL, "x86_64", "pc", NULL, TRUE },
    { "one-node", "one-node-domcaps-virttype-kvm", NULL, "x86_64", "xenfv", "kvm", TRUE },
    { "one-node", "one-node-domcaps-emulator-relative", "qemu-system-i386", "x86_64",
      "xenfv", NULL, TRUE },
    { "one-node", "one-node-domcaps-xenpv-i686", NULL, "i686", "xenpv", NULL, TRUE },
    { "no-hvm", "no-hvm-domcaps-xenfv-x86_64", NULL, "x86_64", "xenfv", NULL, TRUE },
    { "no-hvm", "no-hvm-domcaps-xenpvh-x86_64", NULL, "x86_64", "xenpvh", NULL, TRUE },
    { "xen48", "xen48-domcaps-xenpvh-x86_64", NULL, "x86_64", "xenpvh", NULL, TRUE },
};

/* ---- helpers ---------------------------------------------------------- */

static char *
data_path(const char *file)
{
    const char *srcdir = g_getenv("XV_SRCDIR");

    g_assert_nonnull(srcdir);
    return g_build_filename(srcdir, "tests", "capabilitiesdata", file, NULL);
}

static gboolean
regenerating(void)
{
    const char *v = g_getenv("XV_TEST_REGENERATE");

    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

/* Compare 'actual' with the golden file (or rewrite it when regenerating). */
static void
assert_golden(const char *file, const char *actual)
{
    g_autofree char *path = data_path(file);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;

    if (regenerating()) {
        g_assert_true(xv_file_write_atomic(path, actual, -1, 0644, &error));
        g_assert_no_error(error);
    }
    if (!g_file_get_contents(path, &expected, NULL, &error)) {
        g_test_fail_printf("missing golden file %s (%s); run with XV_TEST_REGENERATE=1 "
                           "and review it", path, error->message);
        return;
    }
    if (strcmp(expected, actual) != 0) {
        g_test_message("golden file %s differs; got:\n%s", path, actual);
        g_test_fail_printf("output differs from %s", path);
    }
}

/* The schema checks are part of the test: without the validator it fails. */
static gboolean
have_validator(void)
{
    g_autofree char *prog = g_find_program_in_path("virt-xml-validate");

    if (prog == NULL) {
        g_test_fail_printf("virt-xml-validate not found: install libvirt-clients "
                           "(apt-get install libvirt-clients) to check emitted XML "
                           "against libvirt's schemas");
        return FALSE;
    }
    return TRUE;
}

/* Run virt-xml-validate on 'xml' as 'type'.  Returns TRUE when valid; on
 * failure puts the validator's output in *output. */
static gboolean
run_virt_xml_validate(const char *xml, const char *type, const char *name, char **output)
{
    g_autofree char *prog = g_find_program_in_path("virt-xml-validate");
    g_autofree char *path = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_assert_nonnull(prog);     /* callers check have_validator() first */
    path = g_build_filename(tmp_dir, name, NULL);
    g_assert_true(g_file_set_contents(path, xml, -1, &error));
    g_assert_no_error(error);
    {
        const char *argv[] = { prog, path, type, NULL };

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error));
        g_assert_no_error(error);
    }
    g_unlink(path);
    if (g_spawn_check_wait_status(status, NULL))
        return TRUE;
    *output = g_strdup_printf("%s%s", out, err);
    return FALSE;
}

static void
assert_virt_xml_valid(const char *xml, const char *type, const char *name)
{
    g_autofree char *output = NULL;

    if (!have_validator())
        return;
    if (!run_virt_xml_validate(xml, type, name, &output))
        g_test_fail_printf("%s does not validate as '%s':\n%s\n%s", name, type, output, xml);
}

static gboolean
xml_is_element(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, BAD_CAST name);
}

/* The <guest> elements whose os_type is 'xenpvh', removed from a parsed
 * capabilities document.  Returns how many. */
static guint
strip_xenpvh_guests(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr next;
    guint removed = 0;

    for (xmlNodePtr guest = root->children; guest != NULL; guest = next) {
        next = guest->next;
        if (!xml_is_element(guest, "guest"))
            continue;
        for (xmlNodePtr child = guest->children; child != NULL; child = child->next) {
            if (xml_is_element(child, "os_type")) {
                g_autofree xmlChar *text = xmlNodeGetContent(child);

                if (xmlStrEqual(text, BAD_CAST "xenpvh")) {
                    xmlUnlinkNode(guest);
                    xmlFreeNode(guest);
                    removed++;
                }
                break;
            }
        }
    }
    return removed;
}

/* libvirt 9.0's capability.rng, with 'xenpvh' added to the os_type choice
 * (libvirt's libxl driver emits it; the schema lags behind). */
static gboolean
validate_with_xenpvh_schema(const char *xml)
{
    xmlDocPtr rng = xmlReadFile(LIBVIRT_CAPABILITY_RNG, NULL, XML_PARSE_NONET);
    xmlNodePtr choice = NULL;
    xmlRelaxNGParserCtxtPtr pctxt;
    xmlRelaxNGPtr schema;
    xmlRelaxNGValidCtxtPtr vctxt;
    xmlDocPtr doc;
    int rc;

    if (rng == NULL) {
        g_test_fail_printf("cannot read %s: install libvirt-clients", LIBVIRT_CAPABILITY_RNG);
        return FALSE;
    }
    for (xmlNodePtr def = xmlDocGetRootElement(rng)->children; def; def = def->next) {
        g_autofree xmlChar *name = NULL;

        if (!xml_is_element(def, "define"))
            continue;
        name = xmlGetProp(def, BAD_CAST "name");
        if (!xmlStrEqual(name, BAD_CAST "ostype"))
            continue;
        for (xmlNodePtr el = def->children; el; el = el->next) {
            if (!xml_is_element(el, "element"))
                continue;
            for (xmlNodePtr c = el->children; c; c = c->next) {
                if (xml_is_element(c, "choice"))
                    choice = c;
            }
        }
    }
    g_assert_nonnull(choice);
    xmlNewChild(choice, choice->ns, BAD_CAST "value", BAD_CAST "xenpvh");

    pctxt = xmlRelaxNGNewDocParserCtxt(rng);
    schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    xmlFreeDoc(rng);
    g_assert_nonnull(schema);

    doc = xmlReadMemory(xml, (int)strlen(xml), "caps.xml", NULL, XML_PARSE_NONET);
    g_assert_nonnull(doc);
    vctxt = xmlRelaxNGNewValidCtxt(schema);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(schema);
    xmlFreeDoc(doc);
    return rc == 0;
}

/*
 * Validate a capabilities document.  With the stock schema first; if that
 * fails and the document has xenpvh guests (which libvirt 9.0's schema does
 * not know), require that (a) without them the document passes the stock
 * schema through virt-xml-validate, and (b) the whole document passes the
 * stock schema plus the 'xenpvh' os_type.
 */
static void
assert_caps_valid(const char *xml, const char *name)
{
    g_autofree char *output = NULL;
    xmlDocPtr doc;
    xmlChar *stripped = NULL;
    int len = 0;
    guint removed;

    if (!have_validator())
        return;
    if (run_virt_xml_validate(xml, "capability", name, &output))
        return;

    doc = xmlReadMemory(xml, (int)strlen(xml), name, NULL, XML_PARSE_NONET);
    g_assert_nonnull(doc);
    removed = strip_xenpvh_guests(doc);
    xmlDocDumpMemory(doc, &stripped, &len);
    xmlFreeDoc(doc);
    if (removed == 0) {
        xmlFree(stripped);
        g_test_fail_printf("%s does not validate as 'capability':\n%s\n%s", name, output, xml);
        return;
    }
    g_test_message("%s: libvirt's schema rejects os_type 'xenpvh'; checking the %u "
                   "PVH guest(s) against the schema extended with it", name, removed);
    assert_virt_xml_valid((const char *)stripped, "capability", name);
    xmlFree(stripped);
    if (!validate_with_xenpvh_schema(xml))
        g_test_fail_printf("%s does not validate against capability.rng + xenpvh:\n%s",
                           name, xml);
}

/* ---- golden tests ----------------------------------------------------- */

static void
test_golden_caps(gconstpointer data)
{
    const HostShape *shape = data;
    g_autoptr(XvCapsHost) host = shape->build();
    g_autofree char *xml = xv_caps_format(host);
    g_autofree char *file = g_strdup_printf("%s.caps.xml", shape->name);

    g_assert_nonnull(xml);
    assert_golden(file, xml);
    assert_caps_valid(xml, file);
}

static void
test_golden_domcaps(gconstpointer data)
{
    const DomcapsCase *c = data;
    g_autoptr(XvCapsHost) host = shape_find(c->host)->build();
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = xv_domain_caps_format(host, c->emulator, c->arch, c->machine,
                                                 c->virttype, &error);

    if (c->invalid) {
        g_autofree char *file = g_strdup_printf("%s-invalid.err", c->name);
        g_autofree char *text = NULL;

        g_assert_null(xml);
        g_assert_nonnull(error);
        g_assert_true(error->domain == XV_ERROR);
        text = g_strdup_printf("%s: %s\n", xv_error_code_name(error->code), error->message);
        assert_golden(file, text);
    } else {
        g_autofree char *file = g_strdup_printf("%s.xml", c->name);

        g_assert_no_error(error);
        g_assert_nonnull(xml);
        assert_golden(file, xml);
        assert_virt_xml_valid(xml, "domaincaps", file);
    }
}

/* Every file in tests/capabilitiesdata belongs to a case: no stale goldens. */
static void
test_golden_no_stale(void)
{
    g_autofree char *dir_path = data_path("");
    g_autoptr(GHashTable) expected = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                           g_free, NULL);
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) error = NULL;
    const char *name;

    for (gsize i = 0; i < G_N_ELEMENTS(shapes); i++)
        g_hash_table_add(expected, g_strdup_printf("%s.caps.xml", shapes[i].name));
    for (gsize i = 0; i < G_N_ELEMENTS(domcaps_cases); i++) {
        g_hash_table_add(expected, g_strdup_printf(domcaps_cases[i].invalid ? "%s-invalid.err"
                                                                            : "%s.xml",
                                                   domcaps_cases[i].name));
    }
    dir = g_dir_open(dir_path, 0, &error);
    g_assert_no_error(error);
    while ((name = g_dir_read_name(dir)) != NULL) {
        if (!g_hash_table_contains(expected, name))
            g_test_fail_printf("stale file %s/%s belongs to no test case", dir_path, name);
    }
    g_assert_cmpuint(g_hash_table_size(expected), ==,
                     G_N_ELEMENTS(shapes) + G_N_ELEMENTS(domcaps_cases));
}

/* Every guest type a host offers has domain capabilities that validate. */
static void
test_domcaps_every_guest(void)
{
    for (gsize s = 0; s < G_N_ELEMENTS(shapes); s++) {
        g_autoptr(XvCapsHost) host = shapes[s].build();
        g_autoptr(GArray) guests = xv_caps_host_guests(host);
        static const char *const machines[] = { "xenpv", "xenfv", "xenpvh" };

        g_assert_cmpuint(guests->len, >, 0);
        for (guint i = 0; i < guests->len; i++) {
            const XvCapsGuest *g = &g_array_index(guests, XvCapsGuest, i);
            g_autoptr(GError) error = NULL;
            g_autofree char *xml = xv_domain_caps_format(host, NULL, g->arch,
                                                         machines[g->kind], NULL, &error);
            g_autofree char *name = g_strdup_printf("%s-%s-%s.xml", shapes[s].name,
                                                    machines[g->kind], g->arch);
            g_autofree char *machine_el = g_strdup_printf("<machine>%s</machine>",
                                                          machines[g->kind]);

            g_assert_no_error(error);
            g_assert_nonnull(xml);
            g_assert_nonnull(strstr(xml, machine_el));
            assert_virt_xml_valid(xml, "domaincaps", name);
        }
    }
}

/* ---- guest types parsed from Xen's capability string ------------------ */

static char *
guests_to_string(const XvCapsHost *host)
{
    g_autoptr(GArray) guests = xv_caps_host_guests(host);
    GString *s = g_string_new(NULL);
    static const char *const kinds[] = { "pv", "hvm", "pvh" };

    for (guint i = 0; i < guests->len; i++) {
        const XvCapsGuest *g = &g_array_index(guests, XvCapsGuest, i);

        g_string_append_printf(s, "%s%s/%s%s%s%s", i ? " " : "", kinds[g->kind], g->arch,
                               g->pae ? "+pae" : "", g->nonpae ? "+nonpae" : "",
                               g->ia64_be ? "+be" : "");
    }
    return g_string_free(s, FALSE);
}

static void
test_guests_parse(void)
{
    static const struct {
        const char *caps;
        guint major, minor;
        const char *expected;
    } cases[] = {
        { "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
          4, 17,
          "pv/x86_64 pv/i686+pae hvm/i686+pae+nonpae pvh/i686 hvm/x86_64 pvh/x86_64" },
        /* Before 4.10 there is no PVH. */
        { "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64", 4, 9,
          "pv/x86_64 hvm/i686+pae+nonpae hvm/x86_64" },
        { "xen-3.0-x86_64 hvm-3.0-x86_64", 4, 10, "pv/x86_64 hvm/x86_64 pvh/x86_64" },
        { "xen-3.0-x86_64 hvm-3.0-x86_64", 5, 0, "pv/x86_64 hvm/x86_64 pvh/x86_64" },
        /* The PAE flavour listed first still merges with the non-PAE one. */
        { "hvm-3.0-x86_32p hvm-3.0-x86_32", 4, 17, "hvm/i686+pae+nonpae pvh/i686" },
        /* A PV-only Xen built without HVM support. */
        { "xen-3.0-x86_64 xen-3.0-x86_32p", 4, 17, "pv/x86_64 pv/i686+pae" },
        { "xen-3.0-aarch64 xen-3.0-armv7l", 4, 17, "pv/aarch64 pv/armv7l" },
        { "xen-3.0-ia64be hvm-3.0-ia64", 3, 4, "pv/ia64+be hvm/ia64" },
        /* Junk tokens and extra white space are ignored, duplicates merged. */
        { "  xen-3.0-x86_64\txen-3.0-sparc hvm-x-x86_64 hvm-3-x86_64 foo xen-3.0-x86_64 ",
          4, 17, "pv/x86_64" },
        { "", 4, 17, "" },
        { NULL, 4, 17, "" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(XvCapsHost) host = xv_caps_host_new("x86_64");
        g_autofree char *got = NULL;

        set_xen(host, cases[i].major, cases[i].minor, cases[i].caps);
        got = guests_to_string(host);
        g_assert_cmpstr(got, ==, cases[i].expected);
    }
}

/* ---- details the golden files do not isolate -------------------------- */

static void
test_caps_escaping(void)
{
    g_autoptr(XvCapsHost) host = xv_caps_host_new("x86_64");
    g_autofree char *xml = NULL;
    xmlDocPtr doc;

    host->cpu_model = g_strdup("Weird <model> & 'co'");
    host->emulator = g_strdup("/opt/xen & co/qemu");
    host->xen_caps = g_strdup("xen-3.0-x86_64");
    xml = xv_caps_format(host);
    g_assert_nonnull(strstr(xml, "<model>Weird &lt;model&gt; &amp; &apos;co&apos;</model>"));
    g_assert_nonnull(strstr(xml, "<emulator>/opt/xen &amp; co/qemu</emulator>"));
    doc = xmlReadMemory(xml, (int)strlen(xml), "caps.xml", NULL, XML_PARSE_NONET);
    g_assert_nonnull(doc);
    xmlFreeDoc(doc);
    assert_caps_valid(xml, "escaping.caps.xml");
}

static void
test_caps_distances_and_siblings(void)
{
    g_autoptr(XvCapsHost) host = xv_caps_host_new("x86_64");
    XvCapsCell *cell = xv_caps_host_add_cell(host, 0, 1048576);
    g_autofree char *xml = NULL;
    guint values[] = { 10, 0xffffffffu, 0, 21 };

    g_array_append_vals(cell->distances, values, G_N_ELEMENTS(values));
    /* Xen's numbering need not keep siblings adjacent. */
    xv_caps_cell_add_cpu(cell, 0, 0, 0, 0);
    xv_caps_cell_add_cpu(cell, 1, 0, 0, 1);
    xv_caps_cell_add_cpu(cell, 4, 0, 0, 0);
    xv_caps_cell_add_cpu(cell, 5, 0, 0, 1);
    xv_caps_cell_add_cpu(cell, 6, 1, 0, 0);
    host->xen_caps = g_strdup("xen-3.0-x86_64");
    xml = xv_caps_format(host);

    /* libxl's invalid entries (~0) and zeros are dropped, ids kept. */
    g_assert_nonnull(strstr(xml, "<sibling id='0' value='10'/>\n"
                                 "            <sibling id='3' value='21'/>\n"));
    g_assert_null(strstr(xml, "<sibling id='1'"));
    g_assert_null(strstr(xml, "<sibling id='2'"));
    g_assert_nonnull(strstr(xml, "<cpus num='5'>"));
    g_assert_nonnull(strstr(xml, "<cpu id='0' socket_id='0' die_id='0' core_id='0' "
                                 "siblings='0,4'/>"));
    g_assert_nonnull(strstr(xml, "<cpu id='5' socket_id='0' die_id='0' core_id='1' "
                                 "siblings='1,5'/>"));
    /* Same core id on another socket is not a sibling. */
    g_assert_nonnull(strstr(xml, "<cpu id='6' socket_id='1' die_id='0' core_id='0' "
                                 "siblings='6'/>"));
    /* No model, vendor or topology given: none printed. */
    g_assert_null(strstr(xml, "<vendor>"));
    g_assert_true(strstr(xml, "<model>") == strstr(xml, "<model>none</model>"));
    g_assert_null(strstr(xml, "<topology sockets"));
    g_assert_null(strstr(xml, "<uuid>"));
    assert_caps_valid(xml, "distances.caps.xml");
}

static void
test_caps_minimal(void)
{
    /* A host whose Xen offers nothing parseable: a host section, no guest. */
    g_autoptr(XvCapsHost) host = xv_caps_host_new("x86_64");
    g_autofree char *xml = xv_caps_format(host);
    g_autoptr(GError) error = NULL;
    g_autofree char *dom = NULL;

    g_assert_null(strstr(xml, "<guest>"));
    g_assert_null(strstr(xml, "<topology>"));
    assert_caps_valid(xml, "minimal.caps.xml");

    dom = xv_domain_caps_format(host, "/usr/bin/qemu", NULL, NULL, NULL, &error);
    g_assert_null(dom);
    g_assert_error(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED);
}

static void
test_domcaps_defaults(void)
{
    g_autoptr(XvCapsHost) host = host_one_node();
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = xv_domain_caps_format(host, NULL, NULL, NULL, NULL, &error);

    g_assert_no_error(error);
    g_assert_nonnull(strstr(xml, "<path>/usr/lib/xen/bin/qemu-system-i386</path>"));
    g_assert_nonnull(strstr(xml, "<machine>xenpv</machine>"));
    g_assert_nonnull(strstr(xml, "<arch>x86_64</arch>"));
    g_assert_nonnull(strstr(xml, "<vcpu max='512'/>"));
    g_assert_nonnull(strstr(xml, "<loader supported='no'/>"));
}

static void
test_domcaps_no_emulator(void)
{
    g_autoptr(XvCapsHost) host = host_no_hvm();
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = NULL;

    g_clear_pointer(&host->emulator, g_free);
    xml = xv_domain_caps_format(host, NULL, "x86_64", "xenpv", "xen", &error);
    g_assert_null(xml);
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "emulator"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);

    tmp_dir = g_dir_make_tmp("xv-caps-XXXXXX", &error);
    g_assert_no_error(error);

    for (gsize i = 0; i < G_N_ELEMENTS(shapes); i++) {
        g_autofree char *path = g_strdup_printf("/capabilities/golden/%s/caps", shapes[i].name);

        g_test_add_data_func(path, &shapes[i], test_golden_caps);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(domcaps_cases); i++) {
        g_autofree char *path = g_strdup_printf("/capabilities/golden/%s/%s%s",
                                                domcaps_cases[i].host,
                                                domcaps_cases[i].name +
                                                strlen(domcaps_cases[i].host) + 1,
                                                domcaps_cases[i].invalid ? "-invalid" : "");

        g_test_add_data_func(path, &domcaps_cases[i], test_golden_domcaps);
    }
    g_test_add_func("/capabilities/golden/no-stale-files", test_golden_no_stale);
    g_test_add_func("/capabilities/guests/parse", test_guests_parse);
    g_test_add_func("/capabilities/caps/escaping", test_caps_escaping);
    g_test_add_func("/capabilities/caps/distances-and-siblings",
                    test_caps_distances_and_siblings);
    g_test_add_func("/capabilities/caps/minimal", test_caps_minimal);
    g_test_add_func("/capabilities/domcaps/defaults", test_domcaps_defaults);
    g_test_add_func("/capabilities/domcaps/every-guest-type", test_domcaps_every_guest);
    g_test_add_func("/capabilities/domcaps/no-emulator", test_domcaps_no_emulator);

    ret = g_test_run();
    g_rmdir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
