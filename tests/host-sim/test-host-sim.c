/* test-host-sim.c: the simulated Xen host behind the host port.
 *
 * Every test opens a fresh host directory at speed 0 (no sleeping) unless it
 * needs time to pass; nothing asserts wall-clock durations.  Overlap is
 * proven by operations that wait for each other inside their progress
 * callbacks: with a global lock held across the work they would deadlock. */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libxl_utils.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/libxl/host-sim.h"
#include "drivers/libxl/host.h"
#include "test-fs.h"
#include "util/xv-error.h"

#define MIB 1024ull
#define GIB (1024ull * 1024ull)

typedef struct {
    char *dir;
    char *kernel;
    char *disk;
    XvHost *host;
    GPtrArray *events;      /* XvHostEvent copies */
} Fixture;

static void
on_event(XvHost *host, const XvHostEvent *ev, gpointer data)
{
    Fixture *fx = data;

    g_ptr_array_add(fx->events, g_memdup2(ev, sizeof(*ev)));
}

static XvHost *
open_host(Fixture *fx)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *spec = g_strdup_printf("sim:%s", fx->dir);
    XvHost *host = xv_host_open(spec, NULL, &error);

    g_assert_no_error(error);
    g_assert_nonnull(host);
    g_assert_true(xv_host_is_sim(host));
    g_assert_cmpstr(xv_host_name(host), ==, "sim");
    xv_host_sim_set_speed(host, 0);
    xv_host_set_event_handler(host, on_event, fx);
    return host;
}

static void
write_file(const char *path, const char *content)
{
    g_autoptr(GError) error = NULL;

    g_file_set_contents(path, content, -1, &error);
    g_assert_no_error(error);
}

static void
fixture_setup_conf(Fixture *fx, const char *host_conf)
{
    g_autoptr(GError) error = NULL;

    fx->dir = g_dir_make_tmp("xv-sim-XXXXXX", &error);
    g_assert_no_error(error);
    fx->kernel = g_build_filename(fx->dir, "vmlinuz", NULL);
    fx->disk = g_build_filename(fx->dir, "disk.img", NULL);
    write_file(fx->kernel, "kernel");
    write_file(fx->disk, "disk");
    if (host_conf != NULL) {
        g_autofree char *p = g_build_filename(fx->dir, "host.conf", NULL);

        write_file(p, host_conf);
    }
    fx->events = g_ptr_array_new_with_free_func(g_free);
    fx->host = open_host(fx);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
    fixture_setup_conf(fx, data);
}

/* Deliver what was posted; events only come for watched domains. */
static void
drain(void)
{
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

static void
close_host(Fixture *fx, XvHost *host)
{
    libxl_dominfo *list = NULL;
    int n = 0;

    /* No watched domain may post after close: unwatch, then deliver. */
    if (xv_host_list_domains(host, &list, &n, NULL) == 0) {
        for (int i = 0; i < n; i++)
            xv_host_unwatch_domain(host, list[i].domid);
        libxl_dominfo_list_free(list, n);
    }
    drain();
    xv_host_close(host);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
    if (fx->host != NULL)
        close_host(fx, fx->host);
    xv_test_rm_rf(fx->dir);
    g_free(fx->dir);
    g_free(fx->kernel);
    g_free(fx->disk);
    g_ptr_array_unref(fx->events);
}

/* A PV domain with a kernel, a disk and a nic on xenbr0. */
static void
make_config(Fixture *fx, libxl_domain_config *c, const char *name, guint64 mem_mib, int vcpus)
{
    libxl_domain_config_init(c);
    c->c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c->c_info.name = g_strdup(name);
    libxl_domain_build_info_init_type(&c->b_info, LIBXL_DOMAIN_TYPE_PV);
    c->b_info.max_vcpus = vcpus;
    c->b_info.max_memkb = mem_mib * MIB;
    c->b_info.target_memkb = mem_mib * MIB;
    c->b_info.kernel = g_strdup(fx->kernel);
    c->b_info.cmdline = g_strdup("root=/dev/xvda ro");
    c->num_disks = 1;
    c->disks = calloc(1, sizeof(*c->disks));
    libxl_device_disk_init(&c->disks[0]);
    c->disks[0].pdev_path = g_strdup(fx->disk);
    c->disks[0].vdev = g_strdup("xvda");
    c->disks[0].format = LIBXL_DISK_FORMAT_RAW;
    c->disks[0].readwrite = 1;
    c->num_nics = 1;
    c->nics = calloc(1, sizeof(*c->nics));
    libxl_device_nic_init(&c->nics[0]);
    c->nics[0].bridge = g_strdup("xenbr0");
    c->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
}

static uint32_t
create_dom(Fixture *fx, XvHost *host, const char *name, guint64 mem_mib, int vcpus)
{
    libxl_domain_config c;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;
    int rc;

    make_config(fx, &c, name, mem_mib, vcpus);
    rc = xv_host_create_new(host, &c, FALSE, &domid, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpint(rc, ==, 0);
    libxl_domain_config_dispose(&c);
    return domid;
}

static void
get_info(XvHost *host, uint32_t domid, libxl_dominfo *info)
{
    g_autoptr(GError) error = NULL;
    int rc = xv_host_domain_info(host, domid, info, &error);

    g_assert_no_error(error);
    g_assert_cmpint(rc, ==, 0);
}

static int
count_domains(XvHost *host)
{
    libxl_dominfo *list = NULL;
    int n = 0;

    g_assert_cmpint(xv_host_list_domains(host, &list, &n, NULL), ==, 0);
    libxl_dominfo_list_free(list, n);
    return n;
}

static void
assert_libxl_error(int rc, GError *error, int want, const char *substring)
{
    g_assert_cmpint(rc, ==, want);
    g_assert_nonnull(error);
    g_assert_true(error->domain == XV_ERROR);
    if (substring != NULL && strstr(error->message, substring) == NULL)
        g_error("message '%s' lacks '%s'", error->message, substring);
}

/* ---- host ------------------------------------------------------------- */

static void
test_host_dom0(Fixture *fx, gconstpointer data)
{
    libxl_dominfo *list = NULL;
    libxl_physinfo pi;
    libxl_version_info vi;
    libxl_scheduler sched;
    libxl_domain_config c;
    int n = 0;

    g_assert_cmpint(xv_host_list_domains(fx->host, &list, &n, NULL), ==, 0);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpuint(list[0].domid, ==, 0);
    g_assert_true(list[0].running);
    g_assert_cmpuint(list[0].current_memkb, ==, 4096 * MIB);
    g_assert_cmpuint(list[0].vcpu_online, ==, 8);
    libxl_dominfo_list_free(list, n);

    g_assert_cmpint(xv_host_get_physinfo(fx->host, &pi, NULL), ==, 0);
    g_assert_cmpuint(pi.nr_cpus, ==, 8);
    g_assert_cmpuint(pi.nr_nodes, ==, 1);
    g_assert_cmpuint(pi.total_pages, ==, 64 * GIB / 4);
    g_assert_cmpuint(pi.free_pages, ==, (64 - 4) * GIB / 4);
    g_assert_true(pi.cap_hvm && pi.cap_pv);
    libxl_physinfo_dispose(&pi);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, 60 * GIB);

    g_assert_cmpint(xv_host_get_version(fx->host, &vi, NULL), ==, 0);
    g_assert_cmpint(vi.xen_version_major, ==, 4);
    g_assert_cmpint(vi.xen_version_minor, ==, 17);
    g_assert_nonnull(strstr(vi.capabilities, "hvm-3.0-x86_64"));
    libxl_version_info_dispose(&vi);

    g_assert_cmpint(xv_host_get_scheduler(fx->host, &sched, NULL), ==, 0);
    g_assert_cmpint(sched, ==, LIBXL_SCHEDULER_CREDIT);

    g_assert_cmpint(xv_host_retrieve_config(fx->host, 0, &c, NULL), ==, 0);
    g_assert_cmpstr(c.c_info.name, ==, "Domain-0");
    g_assert_cmpint(c.b_info.max_vcpus, ==, 8);
    libxl_domain_config_dispose(&c);
}

static void
test_host_dom0_refuses(Fixture *fx, gconstpointer data)
{
    int pipefd[2];

    g_assert_cmpint(pipe(pipefd), ==, 0);
#define REFUSE(call) \
    do { \
        g_autoptr(GError) e = NULL; \
        int rc_ = (call); \
        assert_libxl_error(rc_, e, ERROR_INVAL, "Domain-0"); \
    } while (0)
    REFUSE(xv_host_destroy(fx->host, 0, &e));
    REFUSE(xv_host_pause(fx->host, 0, &e));
    REFUSE(xv_host_shutdown(fx->host, 0, &e));
    REFUSE(xv_host_reboot(fx->host, 0, &e));
    REFUSE(xv_host_suspend(fx->host, 0, pipefd[1], 0, NULL, &e));
#undef REFUSE
    close(pipefd[0]);
    close(pipefd[1]);
    g_assert_cmpint(count_domains(fx->host), ==, 1);
}

static void
test_host_conf(Fixture *fx, gconstpointer data)
{
    libxl_physinfo pi;
    libxl_scheduler sched;
    libxl_domain_config c;
    libxl_domain_sched_params sp;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;
    int rc;

    g_assert_cmpint(xv_host_get_physinfo(fx->host, &pi, NULL), ==, 0);
    g_assert_cmpuint(pi.nr_cpus, ==, 4);
    g_assert_cmpuint(pi.nr_nodes, ==, 2);
    g_assert_cmpuint(pi.total_pages, ==, 8 * GIB / 4);
    g_assert_cmpuint(pi.free_pages, ==, 7 * GIB / 4);
    libxl_physinfo_dispose(&pi);
    g_assert_cmpint(xv_host_get_scheduler(fx->host, &sched, NULL), ==, 0);
    g_assert_cmpint(sched, ==, LIBXL_SCHEDULER_RTDS);

    /* xenbr0 is not among this host's bridges */
    make_config(fx, &c, "web1", 256, 1);
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "bridge 'xenbr0'");
    g_clear_error(&error);
    g_free(c.nics[0].bridge);
    c.nics[0].bridge = g_strdup("br1");
    /* 5 vcpus: above this host's max_vcpus=4 */
    c.b_info.max_vcpus = 5;
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "at most 4");
    g_clear_error(&error);
    c.b_info.max_vcpus = 2;
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpint(rc, ==, 0);
    libxl_domain_config_dispose(&c);

    /* rtds parameters */
    g_assert_cmpint(xv_host_sched_params_get(fx->host, domid, &sp, NULL), ==, 0);
    g_assert_cmpint(sp.sched, ==, LIBXL_SCHEDULER_RTDS);
    g_assert_cmpint(sp.period, ==, 10000);
    g_assert_cmpint(sp.budget, ==, 4000);
    libxl_domain_sched_params_dispose(&sp);
    libxl_domain_sched_params_init(&sp);
    sp.period = 20000;
    sp.budget = 5000;
    g_assert_cmpint(xv_host_sched_params_set(fx->host, domid, &sp, NULL), ==, 0);
    sp.budget = 30000;
    rc = xv_host_sched_params_set(fx->host, domid, &sp, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "budget");
    g_clear_error(&error);
    libxl_domain_sched_params_init(&sp);
    sp.sched = LIBXL_SCHEDULER_CREDIT;
    sp.weight = 10;
    rc = xv_host_sched_params_set(fx->host, domid, &sp, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "rtds scheduler");
    g_clear_error(&error);
    g_assert_cmpint(xv_host_sched_params_get(fx->host, domid, &sp, NULL), ==, 0);
    g_assert_cmpint(sp.period, ==, 20000);
    g_assert_cmpint(sp.budget, ==, 5000);
    libxl_domain_sched_params_dispose(&sp);
}

static void
test_host_conf_invalid(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("xv-sim-XXXXXX", NULL);
    g_autofree char *conf = g_build_filename(dir, "host.conf", NULL);
    g_autofree char *spec = g_strdup_printf("sim:%s", dir);
    static const char *const bad[] = {
        "[host]\ncpus=0\n",
        "[host]\nscheduler=sedf\n",
        "[host]\nspeed=fast\n",
        "[host]\nnodes=9\n",
        "not a key file",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        XvHost *host;

        write_file(conf, bad[i]);
        host = xv_host_open(spec, NULL, &error);
        g_assert_null(host);
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
        g_clear_error(&error);
    }
    xv_test_rm_rf(dir);
}

/* ---- create ------------------------------------------------------------ */

static void
test_create_basic(Fixture *fx, gconstpointer data)
{
    libxl_domain_config c, r;
    libxl_dominfo info;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;
    guint64 free_before = xv_host_sim_free_memory_kb(fx->host);
    int rc;

    make_config(fx, &c, "web1", 1024, 2);
    c.b_info.target_memkb = 768 * MIB;
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpint(rc, ==, 0);
    g_assert_cmpuint(domid, ==, 1);
    /* defaults written back */
    g_assert_false(libxl_uuid_is_nil(&c.c_info.uuid));
    g_assert_cmpuint(c.nics[0].mac[0], ==, 0x00);
    g_assert_cmpuint(c.nics[0].mac[1], ==, 0x16);
    g_assert_cmpuint(c.nics[0].mac[2], ==, 0x3e);
    g_assert_cmpint(c.nics[0].devid, ==, 0);
    g_assert_cmpint(libxl_bitmap_count_set(&c.b_info.avail_vcpus), ==, 2);

    get_info(fx->host, domid, &info);
    g_assert_true(info.running);
    g_assert_false(info.paused || info.shutdown || info.dying);
    g_assert_cmpuint(info.current_memkb, ==, 768 * MIB);
    g_assert_cmpuint(info.max_memkb, ==, 1024 * MIB);
    g_assert_cmpuint(info.vcpu_online, ==, 2);
    g_assert_cmpuint(info.vcpu_max_id, ==, 1);
    g_assert_cmpint(info.domain_type, ==, LIBXL_DOMAIN_TYPE_PV);
    g_assert_cmpint(libxl_uuid_compare(&info.uuid, &c.c_info.uuid), ==, 0);
    libxl_dominfo_dispose(&info);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_before - 768 * MIB);

    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpstr(r.c_info.name, ==, "web1");
    g_assert_cmpint(r.c_info.type, ==, LIBXL_DOMAIN_TYPE_PV);
    g_assert_cmpint(libxl_uuid_compare(&r.c_info.uuid, &c.c_info.uuid), ==, 0);
    g_assert_cmpuint(r.b_info.max_memkb, ==, 1024 * MIB);
    g_assert_cmpuint(r.b_info.target_memkb, ==, 768 * MIB);
    g_assert_cmpint(r.b_info.max_vcpus, ==, 2);
    g_assert_cmpstr(r.b_info.kernel, ==, fx->kernel);
    g_assert_cmpstr(r.b_info.cmdline, ==, "root=/dev/xvda ro");
    g_assert_cmpint(r.num_disks, ==, 1);
    g_assert_cmpstr(r.disks[0].pdev_path, ==, fx->disk);
    g_assert_cmpstr(r.disks[0].vdev, ==, "xvda");
    g_assert_cmpint(r.disks[0].format, ==, LIBXL_DISK_FORMAT_RAW);
    g_assert_cmpint(r.disks[0].readwrite, ==, 1);
    g_assert_cmpint(r.num_nics, ==, 1);
    g_assert_cmpstr(r.nics[0].bridge, ==, "xenbr0");
    g_assert_cmpmem(r.nics[0].mac, 6, c.nics[0].mac, 6);
    g_assert_cmpint(r.on_reboot, ==, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    libxl_domain_config_dispose(&r);
    libxl_domain_config_dispose(&c);
}

static void
test_create_hvm_paused(Fixture *fx, gconstpointer data)
{
    libxl_domain_config c, r;
    libxl_dominfo info;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;

    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    c.c_info.name = g_strdup("win");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_HVM);
    c.b_info.max_memkb = 2048 * MIB;
    c.b_info.target_memkb = 1024 * MIB;
    c.b_info.u.hvm.boot = g_strdup("dc");
    libxl_defbool_set(&c.b_info.u.hvm.acpi, true);
    c.num_disks = 1;
    c.disks = calloc(1, sizeof(*c.disks));
    libxl_device_disk_init(&c.disks[0]);
    c.disks[0].vdev = g_strdup("hdc");
    c.disks[0].is_cdrom = 1;       /* an empty cdrom needs no file */
    g_assert_cmpint(xv_host_create_new(fx->host, &c, TRUE, &domid, NULL, &error), ==, 0);
    g_assert_no_error(error);
    get_info(fx->host, domid, &info);
    g_assert_true(info.paused);
    g_assert_false(info.running);
    g_assert_cmpint(info.domain_type, ==, LIBXL_DOMAIN_TYPE_HVM);
    libxl_dominfo_dispose(&info);
    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, NULL), ==, 0);
    g_assert_cmpint(r.c_info.type, ==, LIBXL_DOMAIN_TYPE_HVM);
    g_assert_cmpstr(r.b_info.u.hvm.boot, ==, "dc");
    g_assert_true(libxl_defbool_val(r.b_info.u.hvm.acpi));
    g_assert_cmpint(r.disks[0].is_cdrom, ==, 1);
    g_assert_cmpint(r.disks[0].format, ==, LIBXL_DISK_FORMAT_EMPTY);
    libxl_domain_config_dispose(&r);
    libxl_domain_config_dispose(&c);
    g_assert_cmpint(xv_host_unpause(fx->host, domid, NULL), ==, 0);
    get_info(fx->host, domid, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);
}

static void
test_create_domids(Fixture *fx, gconstpointer data)
{
    uint32_t a = create_dom(fx, fx->host, "a", 128, 1);
    uint32_t b;

    g_assert_cmpint(xv_host_destroy(fx->host, a, NULL), ==, 0);
    b = create_dom(fx, fx->host, "a", 128, 1);
    g_assert_cmpuint(b, >, a);
    close_host(fx, fx->host);
    fx->host = open_host(fx);
    g_assert_cmpuint(create_dom(fx, fx->host, "c", 128, 1), >, b);
}

typedef void (*Mutate)(Fixture *fx, libxl_domain_config *c);

static void m_dup_name(Fixture *fx, libxl_domain_config *c) { }
static void m_no_name(Fixture *fx, libxl_domain_config *c) { g_clear_pointer(&c->c_info.name, g_free); }
static void m_too_big(Fixture *fx, libxl_domain_config *c) { c->b_info.max_memkb = c->b_info.target_memkb = 100 * GIB; }
static void m_target_above_max(Fixture *fx, libxl_domain_config *c) { c->b_info.target_memkb = c->b_info.max_memkb + 1; }
static void m_too_many_vcpus(Fixture *fx, libxl_domain_config *c) { c->b_info.max_vcpus = 129; }
static void m_no_kernel_file(Fixture *fx, libxl_domain_config *c)
{
    g_free(c->b_info.kernel);
    c->b_info.kernel = g_strdup("/nonexistent/vmlinuz");
}
static void m_pv_kernel_file(Fixture *fx, libxl_domain_config *c)
{
    g_clear_pointer(&c->b_info.kernel, g_free);
    c->b_info.u.pv.kernel = g_strdup("/nonexistent/pv-vmlinuz");
}
static void m_no_kernel(Fixture *fx, libxl_domain_config *c) { g_clear_pointer(&c->b_info.kernel, g_free); }
static void m_no_ramdisk(Fixture *fx, libxl_domain_config *c) { c->b_info.ramdisk = g_strdup("/nonexistent/initrd"); }
static void m_bad_bridge(Fixture *fx, libxl_domain_config *c)
{
    g_free(c->nics[0].bridge);
    c->nics[0].bridge = g_strdup("nosuchbr");
}
static void m_no_disk_file(Fixture *fx, libxl_domain_config *c)
{
    g_free(c->disks[0].pdev_path);
    c->disks[0].pdev_path = g_strdup("/nonexistent/disk.img");
}
static void m_empty_disk(Fixture *fx, libxl_domain_config *c) { g_clear_pointer(&c->disks[0].pdev_path, g_free); }
static void m_avail_beyond(Fixture *fx, libxl_domain_config *c)
{
    xv_host_bitmap_alloc(&c->b_info.avail_vcpus, 8);
    libxl_bitmap_set(&c->b_info.avail_vcpus, 5);
}
static void m_pin_beyond(Fixture *fx, libxl_domain_config *c)
{
    c->b_info.num_vcpu_hard_affinity = 1;
    c->b_info.vcpu_hard_affinity = calloc(1, sizeof(libxl_bitmap));
    xv_host_bitmap_alloc(&c->b_info.vcpu_hard_affinity[0], 16);
    libxl_bitmap_set(&c->b_info.vcpu_hard_affinity[0], 8);
}
static void m_bad_type(Fixture *fx, libxl_domain_config *c) { c->c_info.type = LIBXL_DOMAIN_TYPE_HVM; }
static void m_tiny(Fixture *fx, libxl_domain_config *c) { c->b_info.max_memkb = c->b_info.target_memkb = 512; }

static void
test_create_invalid(Fixture *fx, gconstpointer data)
{
    static const struct {
        const char *what;
        Mutate mutate;
        int rc;
        const char *msg;
    } cases[] = {
        { "duplicate name", m_dup_name, ERROR_INVAL, "already exists" },
        { "no name", m_no_name, ERROR_INVAL, "no name" },
        { "not enough memory", m_too_big, ERROR_NOMEM, "MiB free, domain needs 102400 MiB" },
        { "target above max", m_target_above_max, ERROR_INVAL, "above its maximum" },
        { "too many vcpus", m_too_many_vcpus, ERROR_INVAL, "at most 128" },
        { "missing kernel", m_no_kernel_file, ERROR_INVAL, "kernel '/nonexistent/vmlinuz'" },
        { "missing pv kernel", m_pv_kernel_file, ERROR_INVAL, "pv-vmlinuz" },
        { "no kernel", m_no_kernel, ERROR_INVAL, "neither a kernel nor a bootloader" },
        { "missing ramdisk", m_no_ramdisk, ERROR_INVAL, "ramdisk" },
        { "unknown bridge", m_bad_bridge, ERROR_INVAL, "bridge 'nosuchbr'" },
        { "missing disk", m_no_disk_file, ERROR_INVAL, "/nonexistent/disk.img" },
        { "empty disk", m_empty_disk, ERROR_INVAL, "only a cdrom" },
        { "online vcpu beyond max", m_avail_beyond, ERROR_INVAL, "vcpu 5" },
        { "pin beyond host", m_pin_beyond, ERROR_INVAL, "cpu 8" },
        { "type mismatch", m_bad_type, ERROR_INVAL, "build information" },
        { "tiny", m_tiny, ERROR_INVAL, "at least 1 MiB" },
    };
    guint64 free_kb;
    int n;

    create_dom(fx, fx->host, "web1", 512, 2);
    free_kb = xv_host_sim_free_memory_kb(fx->host);
    n = count_domains(fx->host);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        libxl_domain_config c;
        g_autoptr(GError) error = NULL;
        uint32_t domid = 0;
        int rc;

        g_test_message("case: %s", cases[i].what);
        make_config(fx, &c, "web1", 512, 2);
        if (cases[i].mutate != m_dup_name) {
            g_free(c.c_info.name);
            c.c_info.name = g_strdup("web2");
        }
        cases[i].mutate(fx, &c);
        rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
        assert_libxl_error(rc, error, cases[i].rc, cases[i].msg);
        libxl_domain_config_dispose(&c);
        g_assert_cmpint(count_domains(fx->host), ==, n);
        g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);
    }
}

static void
test_create_foreign(Fixture *fx, gconstpointer data)
{
    libxl_domain_config c, r;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;

    make_config(fx, &c, "xl-made", 256, 1);
    g_assert_cmpint(xv_host_sim_create_foreign(fx->host, &c, &domid, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpint(count_domains(fx->host), ==, 2);
    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, NULL), ==, 0);
    g_assert_cmpstr(r.c_info.name, ==, "xl-made");
    g_assert_cmpint(libxl_uuid_compare(&r.c_info.uuid, &c.c_info.uuid), ==, 0);
    libxl_domain_config_dispose(&r);
    libxl_domain_config_dispose(&c);
}

/* ---- lifecycle ---------------------------------------------------------- */

static void
test_lifecycle_not_found(Fixture *fx, gconstpointer data)
{
    libxl_dominfo info;
    libxl_domain_config c;
    libxl_domain_sched_params sp;
    libxl_vcpuinfo *vl = NULL;
    libxl_bitmap map;
    int n = 0;

    xv_host_bitmap_alloc(&map, 8);
    libxl_bitmap_set(&map, 0);
#define NOTFOUND(call) \
    do { \
        g_autoptr(GError) e = NULL; \
        int rc_ = (call); \
        assert_libxl_error(rc_, e, ERROR_DOMAIN_NOTFOUND, "Domain 77 does not exist"); \
        g_assert_true(g_error_matches(e, XV_ERROR, XV_ERROR_NO_DOMAIN)); \
    } while (0)
    NOTFOUND(xv_host_domain_info(fx->host, 77, &info, &e));
    libxl_dominfo_dispose(&info);
    NOTFOUND(xv_host_destroy(fx->host, 77, &e));
    NOTFOUND(xv_host_shutdown(fx->host, 77, &e));
    NOTFOUND(xv_host_reboot(fx->host, 77, &e));
    NOTFOUND(xv_host_pause(fx->host, 77, &e));
    NOTFOUND(xv_host_unpause(fx->host, 77, &e));
    NOTFOUND(xv_host_suspend(fx->host, 77, -1, 0, NULL, &e));
    NOTFOUND(xv_host_core_dump(fx->host, 77, "/nonexistent", NULL, &e));
    NOTFOUND(xv_host_set_vcpu_affinity(fx->host, 77, 0, &map, &e));
    NOTFOUND(xv_host_list_vcpus(fx->host, 77, &vl, &n, &e));
    g_assert_null(vl);
    NOTFOUND(xv_host_set_vcpus_online(fx->host, 77, &map, &e));
    NOTFOUND(xv_host_set_memory_target(fx->host, 77, 1024, &e));
    NOTFOUND(xv_host_set_max_memory(fx->host, 77, 1024, &e));
    NOTFOUND(xv_host_sched_params_get(fx->host, 77, &sp, &e));
    libxl_domain_sched_params_dispose(&sp);
    libxl_domain_sched_params_init(&sp);
    NOTFOUND(xv_host_sched_params_set(fx->host, 77, &sp, &e));
    NOTFOUND(xv_host_retrieve_config(fx->host, 77, &c, &e));
    libxl_domain_config_dispose(&c);
    NOTFOUND(xv_host_watch_domain(fx->host, 77, &e));
#undef NOTFOUND
    libxl_bitmap_dispose(&map);
}

static void
test_lifecycle_pause(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 256, 1);
    g_autoptr(GError) error = NULL;
    libxl_dominfo info;
    int rc;

    g_assert_cmpint(xv_host_pause(fx->host, domid, NULL), ==, 0);
    get_info(fx->host, domid, &info);
    g_assert_true(info.paused);
    g_assert_false(info.running);
    libxl_dominfo_dispose(&info);
    g_assert_cmpint(xv_host_pause(fx->host, domid, NULL), ==, 0);
    g_assert_cmpint(xv_host_unpause(fx->host, domid, NULL), ==, 0);
    get_info(fx->host, domid, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);
    rc = xv_host_unpause(fx->host, domid, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "not paused");
}

static void
test_lifecycle_shutdown(Fixture *fx, gconstpointer data)
{
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    uint32_t b = create_dom(fx, fx->host, "b", 256, 1);
    g_autoptr(GError) error = NULL;
    guint64 free_kb;
    libxl_dominfo info;
    XvHostSimBehaviour beh;
    int rc;

    g_assert_cmpint(xv_host_shutdown(fx->host, a, NULL), ==, 0);
    get_info(fx->host, a, &info);
    g_assert_true(info.shutdown);
    g_assert_false(info.running);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_POWEROFF);
    libxl_dominfo_dispose(&info);
    rc = xv_host_shutdown(fx->host, a, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "shutdown");
    g_clear_error(&error);

    /* a shut-down domain keeps its memory until destroyed */
    free_kb = xv_host_sim_free_memory_kb(fx->host);
    g_assert_cmpint(xv_host_destroy(fx->host, a, NULL), ==, 0);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb + 256 * MIB);
    rc = xv_host_domain_info(fx->host, a, &info, &error);
    assert_libxl_error(rc, error, ERROR_DOMAIN_NOTFOUND, NULL);
    libxl_dominfo_dispose(&info);
    g_clear_error(&error);

    g_assert_cmpint(xv_host_reboot(fx->host, b, NULL), ==, 0);
    get_info(fx->host, b, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_REBOOT);
    libxl_dominfo_dispose(&info);

    /* a guest that ignores the request keeps running */
    a = create_dom(fx, fx->host, "c", 256, 1);
    g_assert_cmpint(xv_host_sim_get_behaviour(fx->host, a, &beh, NULL), ==, 0);
    g_assert_cmpint(beh.shutdown, ==, XV_HOST_SIM_SHUTDOWN_ACK);
    beh.shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, a, &beh, NULL), ==, 0);
    g_assert_cmpint(xv_host_shutdown(fx->host, a, NULL), ==, 0);
    get_info(fx->host, a, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);

    /* a paused guest answers after it is unpaused */
    b = create_dom(fx, fx->host, "d", 256, 1);
    g_assert_cmpint(xv_host_pause(fx->host, b, NULL), ==, 0);
    g_assert_cmpint(xv_host_shutdown(fx->host, b, NULL), ==, 0);
    get_info(fx->host, b, &info);
    g_assert_true(info.paused);
    g_assert_false(info.shutdown);
    libxl_dominfo_dispose(&info);
    g_assert_cmpint(xv_host_unpause(fx->host, b, NULL), ==, 0);
    get_info(fx->host, b, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_POWEROFF);
    libxl_dominfo_dispose(&info);
}

static void
test_lifecycle_guest_actions(Fixture *fx, gconstpointer data)
{
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    uint32_t b = create_dom(fx, fx->host, "b", 256, 1);
    uint32_t c = create_dom(fx, fx->host, "c", 256, 1);
    XvHostSimBehaviour beh;
    libxl_dominfo info;

    g_assert_cmpint(xv_host_sim_crash(fx->host, a, NULL), ==, 0);
    get_info(fx->host, a, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_CRASH);
    libxl_dominfo_dispose(&info);

    g_assert_cmpint(xv_host_sim_poweroff(fx->host, b, NULL), ==, 0);
    get_info(fx->host, b, &info);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_POWEROFF);
    libxl_dominfo_dispose(&info);

    /* timers: at speed 0 "after N ms" is now */
    xv_host_sim_behaviour_init(&beh);
    beh.reboot_after_ms = 5000;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, c, &beh, NULL), ==, 0);
    get_info(fx->host, c, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_REBOOT);
    libxl_dominfo_dispose(&info);
}

static void
test_lifecycle_behaviour_defaults(Fixture *fx, gconstpointer data)
{
    uint32_t web1, other, crasher;
    libxl_dominfo info;

    close_host(fx, fx->host);
    g_setenv("XV_SIM_GUEST", "crasher:crash-after-ms=100;*:shutdown-delay-ms=10", TRUE);
    fx->host = open_host(fx);
    g_unsetenv("XV_SIM_GUEST");

    web1 = create_dom(fx, fx->host, "web1", 256, 1);   /* host.conf: ignore */
    other = create_dom(fx, fx->host, "other", 256, 1);
    crasher = create_dom(fx, fx->host, "crasher", 256, 1);
    g_assert_cmpint(xv_host_shutdown(fx->host, web1, NULL), ==, 0);
    g_assert_cmpint(xv_host_shutdown(fx->host, other, NULL), ==, 0);
    get_info(fx->host, web1, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);
    get_info(fx->host, other, &info);
    g_assert_true(info.shutdown);
    libxl_dominfo_dispose(&info);
    get_info(fx->host, crasher, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_CRASH);
    libxl_dominfo_dispose(&info);
}

/* ---- memory, vcpus, scheduler ------------------------------------------ */

static void
test_memory(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 1);
    g_autoptr(GError) error = NULL;
    guint64 free_kb = xv_host_sim_free_memory_kb(fx->host);
    libxl_dominfo info;
    libxl_domain_config r;
    XvHostSimBehaviour beh;
    int rc;

    g_assert_cmpint(xv_host_set_memory_target(fx->host, domid, 512 * MIB, NULL), ==, 0);
    get_info(fx->host, domid, &info);
    g_assert_cmpuint(info.current_memkb, ==, 512 * MIB);
    libxl_dominfo_dispose(&info);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb + 512 * MIB);

    rc = xv_host_set_memory_target(fx->host, domid, 2048 * MIB, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "its maximum");
    g_clear_error(&error);
    rc = xv_host_set_max_memory(fx->host, domid, 256 * MIB, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "below its target");
    g_clear_error(&error);
    g_assert_cmpint(xv_host_set_max_memory(fx->host, domid, 200 * GIB, NULL), ==, 0);
    rc = xv_host_set_memory_target(fx->host, domid, 100 * GIB, &error);
    assert_libxl_error(rc, error, ERROR_NOMEM, "MiB free");
    g_clear_error(&error);
    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, NULL), ==, 0);
    g_assert_cmpuint(r.b_info.max_memkb, ==, 200 * GIB);
    g_assert_cmpuint(r.b_info.target_memkb, ==, 512 * MIB);
    libxl_domain_config_dispose(&r);

    /* no balloon driver: the target does not move the memory */
    xv_host_sim_behaviour_init(&beh);
    beh.balloon_mib_per_s = -1;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, domid, &beh, NULL), ==, 0);
    g_assert_cmpint(xv_host_set_memory_target(fx->host, domid, 256 * MIB, NULL), ==, 0);
    get_info(fx->host, domid, &info);
    g_assert_cmpuint(info.current_memkb, ==, 512 * MIB);
    libxl_dominfo_dispose(&info);
}

static void
test_memory_balloon_over_time(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 1);
    XvHostSimBehaviour beh;
    libxl_dominfo a, b;

    xv_host_sim_set_speed(fx->host, 1.0);
    xv_host_sim_behaviour_init(&beh);
    beh.balloon_mib_per_s = 1;     /* 512 s to get there */
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, domid, &beh, NULL), ==, 0);
    g_assert_cmpint(xv_host_set_memory_target(fx->host, domid, 512 * MIB, NULL), ==, 0);
    get_info(fx->host, domid, &a);
    g_usleep(20 * G_TIME_SPAN_MILLISECOND);
    get_info(fx->host, domid, &b);
    g_assert_cmpuint(a.current_memkb, >, 512 * MIB);
    g_assert_cmpuint(a.current_memkb, <=, 1024 * MIB);
    g_assert_cmpuint(b.current_memkb, <, a.current_memkb);
    g_assert_cmpuint(b.current_memkb, >, 512 * MIB);
    g_assert_cmpuint(b.cpu_time, >, a.cpu_time);
    libxl_dominfo_dispose(&a);
    libxl_dominfo_dispose(&b);
}

static void
test_vcpus(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 256, 4);
    g_autoptr(GError) error = NULL;
    libxl_vcpuinfo *vl = NULL;
    libxl_bitmap map;
    libxl_dominfo info;
    libxl_domain_config r;
    int n = 0, rc;

    g_assert_cmpint(xv_host_list_vcpus(fx->host, domid, &vl, &n, NULL), ==, 0);
    g_assert_cmpint(n, ==, 4);
    for (int i = 0; i < n; i++) {
        g_assert_cmpuint(vl[i].vcpuid, ==, (guint)i);
        g_assert_true(vl[i].online);
        g_assert_true(vl[i].running);
        g_assert_cmpint(libxl_bitmap_count_set(&vl[i].cpumap), ==, 8);
    }
    libxl_vcpuinfo_list_free(vl, n);

    xv_host_bitmap_alloc(&map, 8);
    libxl_bitmap_set(&map, 3);
    g_assert_cmpint(xv_host_set_vcpu_affinity(fx->host, domid, 1, &map, NULL), ==, 0);
    rc = xv_host_set_vcpu_affinity(fx->host, domid, 4, &map, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "no vcpu 4");
    g_clear_error(&error);
    libxl_bitmap_dispose(&map);
    xv_host_bitmap_alloc(&map, 16);
    libxl_bitmap_set(&map, 9);
    rc = xv_host_set_vcpu_affinity(fx->host, domid, 0, &map, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "cpu 9");
    g_clear_error(&error);
    libxl_bitmap_dispose(&map);
    xv_host_bitmap_alloc(&map, 8);
    rc = xv_host_set_vcpu_affinity(fx->host, domid, 0, &map, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "no cpu");
    g_clear_error(&error);

    g_assert_cmpint(xv_host_list_vcpus(fx->host, domid, &vl, &n, NULL), ==, 0);
    g_assert_cmpint(libxl_bitmap_count_set(&vl[1].cpumap), ==, 1);
    g_assert_true(libxl_bitmap_test(&vl[1].cpumap, 3));
    g_assert_cmpuint(vl[1].cpu, ==, 3);
    libxl_vcpuinfo_list_free(vl, n);

    /* online vcpus */
    rc = xv_host_set_vcpus_online(fx->host, domid, &map, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "at least one");
    g_clear_error(&error);
    libxl_bitmap_set(&map, 0);
    libxl_bitmap_set(&map, 2);
    g_assert_cmpint(xv_host_set_vcpus_online(fx->host, domid, &map, NULL), ==, 0);
    libxl_bitmap_set(&map, 5);
    rc = xv_host_set_vcpus_online(fx->host, domid, &map, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "vcpu 5");
    g_clear_error(&error);
    libxl_bitmap_dispose(&map);
    get_info(fx->host, domid, &info);
    g_assert_cmpuint(info.vcpu_online, ==, 2);
    libxl_dominfo_dispose(&info);
    g_assert_cmpint(xv_host_list_vcpus(fx->host, domid, &vl, &n, NULL), ==, 0);
    g_assert_true(vl[0].online && !vl[1].online && vl[2].online && !vl[3].online);
    libxl_vcpuinfo_list_free(vl, n);

    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, NULL), ==, 0);
    g_assert_cmpint(libxl_bitmap_count_set(&r.b_info.avail_vcpus), ==, 2);
    g_assert_cmpint(r.b_info.num_vcpu_hard_affinity, ==, 4);
    g_assert_true(libxl_bitmap_test(&r.b_info.vcpu_hard_affinity[1], 3));
    g_assert_cmpint(libxl_bitmap_count_set(&r.b_info.vcpu_hard_affinity[1]), ==, 1);
    libxl_domain_config_dispose(&r);
}

static void
test_sched_credit(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 256, 2);
    g_autoptr(GError) error = NULL;
    libxl_domain_sched_params sp;
    int rc;

    g_assert_cmpint(xv_host_sched_params_get(fx->host, domid, &sp, NULL), ==, 0);
    g_assert_cmpint(sp.sched, ==, LIBXL_SCHEDULER_CREDIT);
    g_assert_cmpint(sp.weight, ==, 256);
    g_assert_cmpint(sp.cap, ==, 0);
    libxl_domain_sched_params_dispose(&sp);

    libxl_domain_sched_params_init(&sp);
    sp.weight = 512;
    g_assert_cmpint(xv_host_sched_params_set(fx->host, domid, &sp, NULL), ==, 0);
    sp.weight = 0;
    rc = xv_host_sched_params_set(fx->host, domid, &sp, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "weight of 0");
    g_clear_error(&error);
    libxl_domain_sched_params_init(&sp);
    sp.cap = 300;
    rc = xv_host_sched_params_set(fx->host, domid, &sp, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "cap of 300");
    g_clear_error(&error);
    sp.cap = 150;
    g_assert_cmpint(xv_host_sched_params_set(fx->host, domid, &sp, NULL), ==, 0);
    g_assert_cmpint(xv_host_sched_params_get(fx->host, domid, &sp, NULL), ==, 0);
    g_assert_cmpint(sp.weight, ==, 512);
    g_assert_cmpint(sp.cap, ==, 150);
    libxl_domain_sched_params_dispose(&sp);
}

/* ---- save, restore, dump ------------------------------------------------ */

static int
open_tmp(Fixture *fx, const char *name, int flags)
{
    g_autofree char *p = g_build_filename(fx->dir, name, NULL);
    int fd = open(p, flags | O_CLOEXEC, 0600);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static goffset
file_size(Fixture *fx, const char *name)
{
    g_autofree char *p = g_build_filename(fx->dir, name, NULL);
    GStatBuf st;

    g_assert_cmpint(g_stat(p, &st), ==, 0);
    return st.st_size;
}

static int
save_to(Fixture *fx, uint32_t domid, const char *name, int flags, XvHostOp *op, GError **error)
{
    int fd = open_tmp(fx, name, O_WRONLY | O_CREAT | O_TRUNC);
    int rc = xv_host_suspend(fx->host, domid, fd, flags, op, error);

    close(fd);
    return rc;
}

static int
restore_from(Fixture *fx, const char *image, const char *name, guint64 mem_mib,
             uint32_t *domid, XvHostOp *op, GError **error)
{
    libxl_domain_config c;
    int fd = open_tmp(fx, image, O_RDONLY);
    int rc;

    make_config(fx, &c, name, mem_mib, 2);
    rc = xv_host_create_restore(fx->host, &c, FALSE, fd, domid, op, error);
    close(fd);
    libxl_domain_config_dispose(&c);
    return rc;
}

static void
test_save_restore(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 2);
    uint32_t again = 0;
    g_autoptr(GError) error = NULL;
    guint64 free_kb = xv_host_sim_free_memory_kb(fx->host);
    libxl_dominfo info;
    libxl_domain_config r;
    goffset plain, live;

    g_assert_cmpint(save_to(fx, domid, "web1.save", 0, NULL, &error), ==, 0);
    g_assert_no_error(error);
    get_info(fx->host, domid, &info);
    g_assert_true(info.shutdown);
    g_assert_cmpint(info.shutdown_reason, ==, LIBXL_SHUTDOWN_REASON_SUSPEND);
    libxl_dominfo_dispose(&info);
    plain = file_size(fx, "web1.save");
    /* 1 GiB of guest memory / 256 = 4 MiB of stream, plus records */
    g_assert_cmpint(plain, >, 4 * 1024 * 1024);
    g_assert_cmpint(plain, <, 4 * 1024 * 1024 + 64 * 1024);
    g_assert_cmpint(xv_host_destroy(fx->host, domid, NULL), ==, 0);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb + 1024 * MIB);

    g_assert_cmpint(restore_from(fx, "web1.save", "web1", 1024, &again, NULL, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpuint(again, >, domid);
    get_info(fx->host, again, &info);
    g_assert_true(info.running);
    g_assert_cmpuint(info.current_memkb, ==, 1024 * MIB);
    libxl_dominfo_dispose(&info);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);
    g_assert_cmpint(xv_host_retrieve_config(fx->host, again, &r, NULL), ==, 0);
    g_assert_cmpstr(r.c_info.name, ==, "web1");
    libxl_domain_config_dispose(&r);

    /* live migration streams carry pre-copy rounds: more bytes */
    g_assert_cmpint(save_to(fx, again, "web1.live", LIBXL_SUSPEND_LIVE, NULL, &error), ==, 0);
    g_assert_no_error(error);
    live = file_size(fx, "web1.live");
    g_assert_cmpint(live, >, plain + plain / 4);
    g_assert_cmpint(xv_host_destroy(fx->host, again, NULL), ==, 0);
    g_assert_cmpint(restore_from(fx, "web1.live", "web1", 1024, &again, NULL, &error), ==, 0);
    g_assert_no_error(error);
}

static void
test_restore_bad_streams(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 256, 2);
    g_autoptr(GError) error = NULL;
    g_autofree char *image = g_build_filename(fx->dir, "web1.save", NULL);
    g_autofree char *bad = g_build_filename(fx->dir, "bad.save", NULL);
    g_autofree char *content = NULL;
    gsize len;
    guint64 free_kb;
    uint32_t out = 0;
    int n, rc;

    g_assert_cmpint(save_to(fx, domid, "web1.save", 0, NULL, NULL), ==, 0);
    g_assert_cmpint(xv_host_destroy(fx->host, domid, NULL), ==, 0);
    free_kb = xv_host_sim_free_memory_kb(fx->host);
    n = count_domains(fx->host);
    g_assert_true(g_file_get_contents(image, &content, &len, NULL));

    /* truncated */
    g_assert_true(g_file_set_contents(bad, content, (gssize)(len / 2), NULL));
    rc = restore_from(fx, "bad.save", "web1", 256, &out, NULL, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "truncated");
    g_clear_error(&error);
    g_assert_cmpint(count_domains(fx->host), ==, n);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);

    /* a flipped byte in guest memory */
    content[len / 2] ^= 0x5a;
    g_assert_true(g_file_set_contents(bad, content, (gssize)len, NULL));
    rc = restore_from(fx, "bad.save", "web1", 256, &out, NULL, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "corrupt");
    g_clear_error(&error);
    content[len / 2] ^= 0x5a;
    g_assert_cmpint(count_domains(fx->host), ==, n);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);

    /* missing end record */
    g_assert_true(g_file_set_contents(bad, content, (gssize)(len - 24), NULL));
    rc = restore_from(fx, "bad.save", "web1", 256, &out, NULL, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "truncated");
    g_clear_error(&error);

    /* not an image */
    g_assert_true(g_file_set_contents(bad, "hello, this is not a save image at all", -1, NULL));
    rc = restore_from(fx, "bad.save", "web1", 256, &out, NULL, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "not a save image");
    g_clear_error(&error);

    /* the config does not fit the image */
    rc = restore_from(fx, "web1.save", "web1", 128, &out, NULL, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "the image holds");
    g_clear_error(&error);

    g_assert_cmpint(count_domains(fx->host), ==, n);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);
    g_assert_cmpint(restore_from(fx, "web1.save", "web1", 256, &out, NULL, &error), ==, 0);
    g_assert_no_error(error);
}

static void
test_core_dump(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 1);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename(fx->dir, "web1.core", NULL);
    g_autofree char *head = NULL;
    gsize len;
    libxl_dominfo info;
    int rc;

    g_assert_cmpint(xv_host_core_dump(fx->host, domid, path, NULL, &error), ==, 0);
    g_assert_no_error(error);
    g_assert_cmpint(file_size(fx, "web1.core"), ==, 4096 + 1024 * 1024 * 1024 / 256);
    g_assert_true(g_file_get_contents(path, &head, &len, NULL));
    g_assert_cmpmem(head, 4, "\177ELF", 4);
    g_assert_nonnull(memmem(head, 4096, "name=web1", 9));
    get_info(fx->host, domid, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);
    rc = xv_host_core_dump(fx->host, 0, path, NULL, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "Domain-0");
    g_clear_error(&error);
    rc = xv_host_core_dump(fx->host, domid, "/nonexistent/dir/core", NULL, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "Cannot create core file");
}

/* ---- abort -------------------------------------------------------------- */

static void
abort_on_progress(XvHostOp *op, guint64 processed, guint64 total, gpointer data)
{
    guint *calls = data;

    (*calls)++;
    xv_host_op_abort(op);
}

static void
test_abort_suspend(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 1);
    g_autoptr(GError) error = NULL;
    guint calls = 0;
    g_autoptr(XvHostOp) op = xv_host_op_new(abort_on_progress, &calls);
    libxl_dominfo info;
    int rc;

    rc = save_to(fx, domid, "web1.save", 0, op, &error);
    assert_libxl_error(rc, error, ERROR_ABORTED, "aborted");
    g_assert_true(g_error_matches(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED));
    g_assert_cmpuint(calls, >=, 1);
    get_info(fx->host, domid, &info);
    g_assert_true(info.running);
    g_assert_false(info.shutdown);
    libxl_dominfo_dispose(&info);
    /* the partial stream is smaller than a whole one (the caller removes it) */
    g_assert_cmpint(file_size(fx, "web1.save"), <, 4 * 1024 * 1024);
}

static void
test_abort_restore(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 1024, 2);
    g_autoptr(GError) error = NULL;
    guint calls = 0;
    g_autoptr(XvHostOp) op = xv_host_op_new(abort_on_progress, &calls);
    guint64 free_kb;
    uint32_t out = 0;
    int n, rc;

    g_assert_cmpint(save_to(fx, domid, "web1.save", 0, NULL, NULL), ==, 0);
    g_assert_cmpint(xv_host_destroy(fx->host, domid, NULL), ==, 0);
    free_kb = xv_host_sim_free_memory_kb(fx->host);
    n = count_domains(fx->host);
    rc = restore_from(fx, "web1.save", "web1", 1024, &out, op, &error);
    assert_libxl_error(rc, error, ERROR_ABORTED, "aborted");
    g_assert_cmpint(count_domains(fx->host), ==, n);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);
}

static void
test_abort_create(Fixture *fx, gconstpointer data)
{
    libxl_domain_config c;
    g_autoptr(GError) error = NULL;
    guint calls = 0;
    g_autoptr(XvHostOp) op = xv_host_op_new(abort_on_progress, &calls);
    g_autoptr(XvHostOp) early = xv_host_op_new(NULL, NULL);
    guint64 free_kb = xv_host_sim_free_memory_kb(fx->host);
    uint32_t domid = 0;
    int rc;

    make_config(fx, &c, "web1", 512, 1);
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, op, &error);
    assert_libxl_error(rc, error, ERROR_ABORTED, "aborted");
    g_clear_error(&error);
    g_assert_cmpint(count_domains(fx->host), ==, 1);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, free_kb);
    xv_host_op_abort(early);
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, early, &error);
    assert_libxl_error(rc, error, ERROR_ABORTED, "aborted");
    g_assert_cmpint(count_domains(fx->host), ==, 1);
    libxl_domain_config_dispose(&c);
}

/* A destroy during a save makes the save fail; the domain is gone. */
typedef struct {
    XvHost *host;
    uint32_t domid;
    gboolean done;
} DestroyInSave;

static void
destroy_on_progress(XvHostOp *op, guint64 processed, guint64 total, gpointer data)
{
    DestroyInSave *d = data;

    if (!d->done && processed > 0) {
        d->done = TRUE;
        g_assert_cmpint(xv_host_destroy(d->host, d->domid, NULL), ==, 0);
    }
}

static void
test_destroy_during_save(Fixture *fx, gconstpointer data)
{
    DestroyInSave d = { fx->host, 0, FALSE };
    g_autoptr(GError) error = NULL;
    g_autoptr(XvHostOp) op = NULL;
    int rc;

    d.domid = create_dom(fx, fx->host, "web1", 512, 1);
    op = xv_host_op_new(destroy_on_progress, &d);
    rc = save_to(fx, d.domid, "web1.save", 0, op, &error);
    assert_libxl_error(rc, error, ERROR_DOMAIN_DESTROYED, "stopped while it was being saved");
    g_assert_true(d.done);
    g_assert_cmpint(count_domains(fx->host), ==, 1);
}

/* ---- overlap ------------------------------------------------------------ */

typedef struct {
    GMutex lock;
    GCond cond;
    gboolean progressed[2];
    gboolean saw_other[2];
} Overlap;

typedef struct {
    Fixture *fx;
    Overlap *ov;
    guint index;
    uint32_t domid;
    int rc;
} SaveJob;

static void
overlap_progress(XvHostOp *op, guint64 processed, guint64 total, gpointer data)
{
    SaveJob *job = data;
    Overlap *ov = job->ov;
    gint64 deadline = g_get_monotonic_time() + 60 * G_TIME_SPAN_SECOND;

    if (processed == 0 || processed >= total)
        return;
    g_mutex_lock(&ov->lock);
    ov->progressed[job->index] = TRUE;
    g_cond_broadcast(&ov->cond);
    /* Wait (no sim lock is held in a progress callback) until the other save
     * has made progress too: only possible if they really run together. */
    while (!ov->progressed[!job->index])
        if (!g_cond_wait_until(&ov->cond, &ov->lock, deadline))
            break;
    ov->saw_other[job->index] = ov->progressed[!job->index];
    g_mutex_unlock(&ov->lock);
}

static gpointer
save_thread(gpointer data)
{
    SaveJob *job = data;
    g_autofree char *name = g_strdup_printf("d%u.save", job->index);
    g_autoptr(XvHostOp) op = xv_host_op_new(overlap_progress, job);
    g_autoptr(GError) error = NULL;

    job->rc = save_to(job->fx, job->domid, name, 0, op, &error);
    if (error != NULL)
        g_test_message("save %u: %s", job->index, error->message);
    return NULL;
}

static void
test_overlap_two_saves(Fixture *fx, gconstpointer data)
{
    Overlap ov = { 0 };
    SaveJob jobs[2];
    GThread *threads[2];

    g_mutex_init(&ov.lock);
    g_cond_init(&ov.cond);
    xv_host_sim_set_speed(fx->host, 0.01);
    for (guint i = 0; i < 2; i++) {
        g_autofree char *name = g_strdup_printf("d%u", i);

        jobs[i] = (SaveJob){ fx, &ov, i, create_dom(fx, fx->host, name, 1024, 1), -1 };
    }
    for (guint i = 0; i < 2; i++)
        threads[i] = g_thread_new("save", save_thread, &jobs[i]);
    for (guint i = 0; i < 2; i++)
        g_thread_join(threads[i]);
    for (guint i = 0; i < 2; i++) {
        g_assert_cmpint(jobs[i].rc, ==, 0);
        g_assert_true(ov.saw_other[i]);
    }
    g_mutex_clear(&ov.lock);
    g_cond_clear(&ov.cond);
}

/* ---- persistence and sharing ------------------------------------------- */

static void
test_persist_reopen(Fixture *fx, gconstpointer data)
{
    uint32_t domid = create_dom(fx, fx->host, "web1", 512, 2);
    uint32_t next;
    libxl_dominfo a, b;
    libxl_domain_config r;
    XvHostSimBehaviour beh;

    xv_host_sim_behaviour_init(&beh);
    beh.shutdown = XV_HOST_SIM_SHUTDOWN_IGNORE;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, domid, &beh, NULL), ==, 0);
    g_assert_cmpint(xv_host_pause(fx->host, create_dom(fx, fx->host, "web2", 256, 1), NULL), ==, 0);
    get_info(fx->host, domid, &a);
    close_host(fx, fx->host);
    g_usleep(2 * G_TIME_SPAN_MILLISECOND);

    fx->host = open_host(fx);
    g_assert_cmpint(count_domains(fx->host), ==, 3);
    get_info(fx->host, domid, &b);
    g_assert_true(b.running);
    g_assert_cmpint(libxl_uuid_compare(&a.uuid, &b.uuid), ==, 0);
    g_assert_cmpuint(b.cpu_time, >, a.cpu_time);   /* it kept running */
    libxl_dominfo_dispose(&a);
    libxl_dominfo_dispose(&b);
    get_info(fx->host, domid + 1, &b);
    g_assert_true(b.paused);
    libxl_dominfo_dispose(&b);
    g_assert_cmpint(xv_host_sim_get_behaviour(fx->host, domid, &beh, NULL), ==, 0);
    g_assert_cmpint(beh.shutdown, ==, XV_HOST_SIM_SHUTDOWN_IGNORE);
    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &r, NULL), ==, 0);
    g_assert_cmpstr(r.c_info.name, ==, "web1");
    libxl_domain_config_dispose(&r);
    next = create_dom(fx, fx->host, "web3", 256, 1);
    g_assert_cmpuint(next, ==, domid + 2);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(fx->host), ==, (60 * 1024 - 1024) * MIB);
}

typedef struct {
    Fixture *fx;
    XvHost *host;
    const char *name;
    int rc;
    uint32_t domid;
} CreateJob;

static gpointer
create_thread(gpointer data)
{
    CreateJob *job = data;
    libxl_domain_config c;

    make_config(job->fx, &c, job->name, 256, 1);
    job->rc = xv_host_create_new(job->host, &c, FALSE, &job->domid, NULL, NULL);
    libxl_domain_config_dispose(&c);
    return NULL;
}

static void
test_persist_two_hosts(Fixture *fx, gconstpointer data)
{
    XvHost *other = open_host(fx);
    uint32_t domid = create_dom(fx, fx->host, "web1", 256, 1);
    libxl_dominfo info;
    CreateJob jobs[2] = { { fx, fx->host, "same", -1, 0 }, { fx, other, "same", -1, 0 } };
    GThread *threads[2];

    get_info(other, domid, &info);
    g_assert_true(info.running);
    libxl_dominfo_dispose(&info);
    g_assert_cmpint(xv_host_destroy(other, domid, NULL), ==, 0);
    g_assert_cmpint(xv_host_domain_info(fx->host, domid, &info, NULL), ==, ERROR_DOMAIN_NOTFOUND);
    libxl_dominfo_dispose(&info);

    /* the same name from two host objects at once: exactly one wins */
    for (guint round = 0; round < 2; round++) {
        for (guint i = 0; i < 2; i++) {
            jobs[i].name = round == 0 ? "same" : (i == 0 ? "left" : "right");
            threads[i] = g_thread_new("create", create_thread, &jobs[i]);
        }
        for (guint i = 0; i < 2; i++)
            g_thread_join(threads[i]);
        if (round == 0) {
            g_assert_true((jobs[0].rc == 0) != (jobs[1].rc == 0));
            g_assert_cmpint(jobs[0].rc + jobs[1].rc, ==, ERROR_INVAL);
        } else {
            g_assert_cmpint(jobs[0].rc, ==, 0);
            g_assert_cmpint(jobs[1].rc, ==, 0);
            g_assert_cmpuint(jobs[0].domid, !=, jobs[1].domid);
        }
    }
    g_assert_cmpint(count_domains(fx->host), ==, 4);
    g_assert_cmpint(count_domains(other), ==, 4);
    g_assert_cmpuint(xv_host_sim_free_memory_kb(other), ==, xv_host_sim_free_memory_kb(fx->host));
    close_host(fx, other);
}

/* ---- events ------------------------------------------------------------- */

static const XvHostEvent *
wait_event(Fixture *fx, guint index)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;

    while (fx->events->len <= index && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE) || (g_usleep(1000), TRUE);
    g_assert_cmpuint(fx->events->len, >, index);
    return g_ptr_array_index(fx->events, index);
}

static void
test_events(Fixture *fx, gconstpointer data)
{
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    uint32_t b = create_dom(fx, fx->host, "b", 256, 1);
    uint32_t c = create_dom(fx, fx->host, "c", 256, 1);
    const XvHostEvent *ev;

    g_assert_cmpint(xv_host_watch_domain(fx->host, a, NULL), ==, 0);
    g_assert_cmpint(xv_host_watch_domain(fx->host, b, NULL), ==, 0);
    g_assert_cmpint(xv_host_shutdown(fx->host, a, NULL), ==, 0);
    ev = wait_event(fx, 0);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_SHUTDOWN);
    g_assert_cmpuint(ev->domid, ==, a);
    g_assert_cmpint(ev->reason, ==, LIBXL_SHUTDOWN_REASON_POWEROFF);
    g_assert_cmpint(xv_host_destroy(fx->host, a, NULL), ==, 0);
    ev = wait_event(fx, 1);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_DEATH);
    g_assert_cmpuint(ev->domid, ==, a);

    g_assert_cmpint(xv_host_sim_crash(fx->host, b, NULL), ==, 0);
    ev = wait_event(fx, 2);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_SHUTDOWN);
    g_assert_cmpint(ev->reason, ==, LIBXL_SHUTDOWN_REASON_CRASH);

    /* an unwatched domain posts nothing; watching one already shut down
     * posts its shutdown */
    g_assert_cmpint(xv_host_reboot(fx->host, c, NULL), ==, 0);
    drain();
    g_assert_cmpuint(fx->events->len, ==, 3);
    g_assert_cmpint(xv_host_watch_domain(fx->host, c, NULL), ==, 0);
    ev = wait_event(fx, 3);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_SHUTDOWN);
    g_assert_cmpuint(ev->domid, ==, c);
    g_assert_cmpint(ev->reason, ==, LIBXL_SHUTDOWN_REASON_REBOOT);
    drain();
    g_assert_cmpuint(fx->events->len, ==, 4);
}

static void
test_events_timed(Fixture *fx, gconstpointer data)
{
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    XvHost *other = open_host(fx);
    uint32_t b = create_dom(fx, other, "b", 256, 1);
    XvHostSimBehaviour beh;
    const XvHostEvent *ev;

    /* the guest answers later: the timer thread posts it */
    xv_host_sim_set_speed(fx->host, 1.0);
    xv_host_sim_behaviour_init(&beh);
    beh.shutdown_delay_ms = 30;
    g_assert_cmpint(xv_host_sim_set_behaviour(fx->host, a, &beh, NULL), ==, 0);
    g_assert_cmpint(xv_host_watch_domain(fx->host, a, NULL), ==, 0);
    g_assert_cmpint(xv_host_shutdown(fx->host, a, NULL), ==, 0);
    ev = wait_event(fx, 0);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_SHUTDOWN);
    g_assert_cmpuint(ev->domid, ==, a);

    /* another host object destroys a watched domain: polled */
    g_assert_cmpint(xv_host_watch_domain(fx->host, b, NULL), ==, 0);
    g_assert_cmpint(xv_host_destroy(other, b, NULL), ==, 0);
    ev = wait_event(fx, 1);
    g_assert_cmpint(ev->type, ==, XV_HOST_EVENT_DEATH);
    g_assert_cmpuint(ev->domid, ==, b);
    close_host(fx, other);
}

/* ---- fault injection ---------------------------------------------------- */

static gint
cmp_str_ptr(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Everything that makes up the host's state, as text. */
static char *
snapshot(Fixture *fx)
{
    g_autofree char *ddir = g_build_filename(fx->dir, "domains", NULL);
    g_autoptr(GDir) d = g_dir_open(ddir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);
    libxl_dominfo *list = NULL;
    const char *e;
    int n = 0;

    while ((e = g_dir_read_name(d)) != NULL)
        g_ptr_array_add(names, g_strdup(e));
    g_ptr_array_sort(names, cmp_str_ptr);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *p = g_build_filename(ddir, names->pdata[i], NULL);
        g_autofree char *content = NULL;

        g_assert_true(g_file_get_contents(p, &content, NULL, NULL));
        g_string_append_printf(out, "== %s\n%s", (char *)names->pdata[i], content);
    }
    g_assert_cmpint(xv_host_list_domains(fx->host, &list, &n, NULL), ==, 0);
    for (int i = 0; i < n; i++)
        g_string_append_printf(out, "dom %u run %d pause %d shut %d mem %llu\n", list[i].domid,
                               list[i].running, list[i].paused, list[i].shutdown,
                               (unsigned long long)list[i].current_memkb);
    libxl_dominfo_list_free(list, n);
    g_string_append_printf(out, "free %llu\n",
                           (unsigned long long)xv_host_sim_free_memory_kb(fx->host));
    return g_string_free(out, FALSE);
}

/* Run the operation that passes through 'step' on domain 'domid'. */
/* An HVM domain with an emulated cdrom hdc (empty). */
static uint32_t
create_hvm_cdrom(Fixture *fx, const char *name)
{
    libxl_domain_config c;
    g_autoptr(GError) error = NULL;
    uint32_t domid = 0;

    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    c.c_info.name = g_strdup(name);
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_HVM);
    c.b_info.max_vcpus = 1;
    c.b_info.max_memkb = 256 * MIB;
    c.b_info.target_memkb = 256 * MIB;
    c.num_disks = 1;
    c.disks = calloc(1, sizeof(*c.disks));
    libxl_device_disk_init(&c.disks[0]);
    c.disks[0].vdev = g_strdup("hdc");
    c.disks[0].is_cdrom = 1;
    c.disks[0].format = LIBXL_DISK_FORMAT_EMPTY;
    g_assert_cmpint(xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error), ==, 0);
    g_assert_no_error(error);
    libxl_domain_config_dispose(&c);
    return domid;
}

static void
get_config(Fixture *fx, uint32_t domid, libxl_domain_config *c)
{
    g_autoptr(GError) error = NULL;

    g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, c, &error), ==, 0);
    g_assert_no_error(error);
}

static void
test_devices(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    uint32_t b = create_dom(fx, fx->host, "b", 256, 1);
    XvHostDevice dev = { .kind = XV_HOST_DEVICE_DISK };
    libxl_domain_config c;

    /* disk: source must exist, vdev unique */
    libxl_device_disk_init(&dev.u.disk);
    dev.u.disk.vdev = g_strdup("xvdb");
    dev.u.disk.pdev_path = g_strdup("/nonexistent");
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, ERROR_INVAL);
    g_assert_nonnull(strstr(error->message, "does not exist"));
    g_clear_error(&error);
    g_free(dev.u.disk.pdev_path);
    dev.u.disk.pdev_path = g_strdup(fx->disk);
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(dev.u.disk.format, ==, LIBXL_DISK_FORMAT_RAW);
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, ERROR_DEVICE_EXISTS);
    g_clear_error(&error);
    xv_host_device_dispose(&dev);

    /* nic: bridge must exist; devid and MAC chosen */
    dev.kind = XV_HOST_DEVICE_NIC;
    libxl_device_nic_init(&dev.u.nic);
    dev.u.nic.bridge = g_strdup("nobridge");
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, ERROR_INVAL);
    g_clear_error(&error);
    g_free(dev.u.nic.bridge);
    dev.u.nic.bridge = g_strdup("virbr0");
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(dev.u.nic.devid, ==, 1);    /* make_config's nic is 0 */
    g_assert_cmpint(dev.u.nic.mac[0], ==, 0x00);
    g_assert_cmpint(dev.u.nic.mac[2], ==, 0x3e);

    /* persisted: seen by another XvHost on the same directory */
    {
        g_autoptr(XvHost) other = xv_host_sim_open(fx->dir, &error);

        g_assert_no_error(error);
        g_assert_cmpint(xv_host_retrieve_config(other, a, &c, &error), ==, 0);
        g_assert_cmpint(c.num_disks, ==, 2);
        g_assert_cmpstr(c.disks[1].vdev, ==, "xvdb");
        g_assert_cmpint(c.num_nics, ==, 2);
        g_assert_cmpstr(c.nics[1].bridge, ==, "virbr0");
        g_assert_cmpint(c.nics[1].devid, ==, 1);
        /* the rest of the stored config is untouched */
        g_assert_cmpstr(c.b_info.cmdline, ==, "root=/dev/xvda ro");
        g_assert_cmpint(c.on_reboot, ==, LIBXL_ACTION_ON_SHUTDOWN_RESTART);
        libxl_domain_config_dispose(&c);
    }
    /* remove by MAC (devid -1) */
    dev.u.nic.devid = -1;
    g_assert_cmpint(xv_host_device_remove(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(xv_host_device_remove(fx->host, a, &dev, &error), ==, ERROR_NOTFOUND);
    g_clear_error(&error);
    xv_host_device_dispose(&dev);

    /* pci: one domain at a time */
    dev.kind = XV_HOST_DEVICE_PCI;
    libxl_device_pci_init(&dev.u.pci);
    dev.u.pci.bus = 3;
    dev.u.pci.func = 1;
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(xv_host_device_add(fx->host, b, &dev, &error), ==, ERROR_DEVICE_EXISTS);
    g_assert_nonnull(strstr(error->message, "already assigned to domain 'a'"));
    g_clear_error(&error);
    g_assert_cmpint(xv_host_device_remove(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(xv_host_device_add(fx->host, b, &dev, &error), ==, 0);
    xv_host_device_dispose(&dev);

    /* usb: a controller appears; removing it unplugs its devices */
    dev.kind = XV_HOST_DEVICE_USBDEV;
    libxl_device_usbdev_init(&dev.u.usbdev);
    libxl_device_usbdev_init_type(&dev.u.usbdev, LIBXL_USBDEV_TYPE_HOSTDEV);
    dev.u.usbdev.ctrl = -1;
    dev.u.usbdev.u.hostdev.hostbus = 2;
    dev.u.usbdev.u.hostdev.hostaddr = 7;
    g_assert_cmpint(xv_host_device_add(fx->host, a, &dev, &error), ==, 0);
    g_assert_cmpint(dev.u.usbdev.ctrl, ==, 0);
    g_assert_cmpint(dev.u.usbdev.port, ==, 1);
    g_assert_cmpint(xv_host_device_add(fx->host, b, &dev, &error), ==, ERROR_DEVICE_EXISTS);
    g_clear_error(&error);
    xv_host_device_dispose(&dev);
    get_config(fx, a, &c);
    g_assert_cmpint(c.num_usbctrls, ==, 1);
    g_assert_cmpint(c.num_usbdevs, ==, 1);
    libxl_domain_config_dispose(&c);
    dev.kind = XV_HOST_DEVICE_USBCTRL;
    libxl_device_usbctrl_init(&dev.u.usbctrl);
    dev.u.usbctrl.devid = 0;
    g_assert_cmpint(xv_host_device_remove(fx->host, a, &dev, &error), ==, 0);
    xv_host_device_dispose(&dev);
    get_config(fx, a, &c);
    g_assert_cmpint(c.num_usbctrls, ==, 0);
    g_assert_cmpint(c.num_usbdevs, ==, 0);
    libxl_domain_config_dispose(&c);

    /* Domain-0 and unknown domains */
    dev.kind = XV_HOST_DEVICE_DISK;
    libxl_device_disk_init(&dev.u.disk);
    dev.u.disk.vdev = g_strdup("xvdc");
    dev.u.disk.pdev_path = g_strdup(fx->disk);
    g_assert_cmpint(xv_host_device_add(fx->host, 0, &dev, &error), ==, ERROR_INVAL);
    g_clear_error(&error);
    g_assert_cmpint(xv_host_device_add(fx->host, 999, &dev, &error), ==, ERROR_DOMAIN_NOTFOUND);
    g_clear_error(&error);
    xv_host_device_dispose(&dev);
}

static void
test_cdrom_rename_boot(Fixture *fx, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    uint32_t pv = create_dom(fx, fx->host, "pv", 256, 1);
    uint32_t hvm = create_hvm_cdrom(fx, "hvm");
    libxl_device_disk disk;
    libxl_domain_config c;
    char *id1 = NULL, *id2 = NULL, *id3 = NULL;

    libxl_device_disk_init(&disk);
    disk.vdev = g_strdup("hdc");
    disk.pdev_path = g_strdup(fx->disk);
    g_assert_cmpint(xv_host_cdrom_insert(fx->host, pv, &disk, &error), ==, ERROR_INVAL);
    g_assert_nonnull(strstr(error->message, "HVM"));
    g_clear_error(&error);
    g_assert_cmpint(xv_host_cdrom_insert(fx->host, hvm, &disk, &error), ==, 0);
    get_config(fx, hvm, &c);
    g_assert_cmpstr(c.disks[0].pdev_path, ==, fx->disk);
    libxl_domain_config_dispose(&c);
    g_free(disk.vdev);
    disk.vdev = g_strdup("hdd");
    g_assert_cmpint(xv_host_cdrom_insert(fx->host, hvm, &disk, &error), ==, ERROR_NOTFOUND);
    g_clear_error(&error);
    libxl_device_disk_dispose(&disk);

    /* rename: names stay unique, old name checked */
    g_assert_cmpint(xv_host_domain_rename(fx->host, pv, "hvm", "x", &error), ==, ERROR_INVAL);
    g_clear_error(&error);
    g_assert_cmpint(xv_host_domain_rename(fx->host, pv, "pv", "hvm", &error), ==, ERROR_INVAL);
    g_assert_nonnull(strstr(error->message, "already exists"));
    g_clear_error(&error);
    g_assert_cmpint(xv_host_domain_rename(fx->host, pv, "pv", "pv--incarnation-1", &error), ==, 0);
    get_config(fx, pv, &c);
    g_assert_cmpstr(c.c_info.name, ==, "pv--incarnation-1");
    libxl_domain_config_dispose(&c);

    /* boot id: stable until the host reboots; a reboot takes every guest */
    g_assert_cmpint(xv_host_get_boot_id(fx->host, &id1, &error), ==, 0);
    g_assert_cmpint(xv_host_get_boot_id(fx->host, &id2, &error), ==, 0);
    g_assert_cmpstr(id1, ==, id2);
    g_assert_cmpint(xv_host_sim_reboot_host(fx->host, &error), ==, 0);
    g_assert_cmpint(xv_host_get_boot_id(fx->host, &id3, &error), ==, 0);
    g_assert_cmpstr(id1, !=, id3);
    {
        libxl_dominfo *list = NULL;
        int n = 0;

        g_assert_cmpint(xv_host_list_domains(fx->host, &list, &n, &error), ==, 0);
        g_assert_cmpint(n, ==, 1);
        g_assert_cmpint(list[0].domid, ==, 0);
        libxl_dominfo_list_free(list, n);
    }
    g_free(id1);
    g_free(id2);
    g_free(id3);
}

/* The HVM domain with an emulated cdrom 'hdc' that "cdrom-insert" changes. */
static uint32_t step_cd_domid;


static int
run_step(Fixture *fx, const char *step, uint32_t domid, GError **error)
{
    g_autofree char *core = g_build_filename(fx->dir, "core", NULL);
    int rc;

    if (g_str_equal(step, "physinfo")) {
        libxl_physinfo pi;

        rc = xv_host_get_physinfo(fx->host, &pi, error);
        libxl_physinfo_dispose(&pi);
    } else if (g_str_equal(step, "version")) {
        libxl_version_info vi;

        rc = xv_host_get_version(fx->host, &vi, error);
        libxl_version_info_dispose(&vi);
    } else if (g_str_equal(step, "scheduler")) {
        libxl_scheduler s;

        rc = xv_host_get_scheduler(fx->host, &s, error);
    } else if (g_str_equal(step, "list-domains")) {
        libxl_dominfo *list = NULL;
        int n = 0;

        rc = xv_host_list_domains(fx->host, &list, &n, error);
        libxl_dominfo_list_free(list, n);
    } else if (g_str_equal(step, "domain-info")) {
        libxl_dominfo info;

        rc = xv_host_domain_info(fx->host, domid, &info, error);
        libxl_dominfo_dispose(&info);
    } else if (g_str_has_prefix(step, "create:")) {
        libxl_domain_config c;
        uint32_t out;

        make_config(fx, &c, "fresh", 512, 1);
        rc = xv_host_create_new(fx->host, &c, FALSE, &out, NULL, error);
        libxl_domain_config_dispose(&c);
        if (rc == 0)
            g_assert_cmpint(xv_host_destroy(fx->host, out, NULL), ==, 0);
    } else if (g_str_has_prefix(step, "restore:")) {
        uint32_t out;

        rc = restore_from(fx, "image.save", "restored", 512, &out, NULL, error);
        if (rc == 0)
            g_assert_cmpint(xv_host_destroy(fx->host, out, NULL), ==, 0);
    } else if (g_str_equal(step, "destroy")) {
        rc = xv_host_destroy(fx->host, domid, error);
    } else if (g_str_equal(step, "shutdown")) {
        rc = xv_host_shutdown(fx->host, domid, error);
    } else if (g_str_equal(step, "reboot")) {
        rc = xv_host_reboot(fx->host, domid, error);
    } else if (g_str_equal(step, "pause")) {
        rc = xv_host_pause(fx->host, domid, error);
    } else if (g_str_equal(step, "unpause")) {
        rc = xv_host_unpause(fx->host, domid, error);
    } else if (g_str_has_prefix(step, "suspend:")) {
        rc = save_to(fx, domid, "step.save", 0, NULL, error);
    } else if (g_str_equal(step, "dump:write")) {
        rc = xv_host_core_dump(fx->host, domid, core, NULL, error);
        g_unlink(core);
    } else if (g_str_equal(step, "vcpu-affinity") || g_str_equal(step, "vcpus-online")) {
        libxl_bitmap map;

        xv_host_bitmap_alloc(&map, 8);
        libxl_bitmap_set(&map, 0);
        rc = g_str_equal(step, "vcpu-affinity")
                 ? xv_host_set_vcpu_affinity(fx->host, domid, 0, &map, error)
                 : xv_host_set_vcpus_online(fx->host, domid, &map, error);
        libxl_bitmap_dispose(&map);
    } else if (g_str_equal(step, "list-vcpus")) {
        libxl_vcpuinfo *vl = NULL;
        int n = 0;

        rc = xv_host_list_vcpus(fx->host, domid, &vl, &n, error);
        libxl_vcpuinfo_list_free(vl, n);
    } else if (g_str_equal(step, "setmem")) {
        rc = xv_host_set_memory_target(fx->host, domid, 300 * MIB, error);
    } else if (g_str_equal(step, "setmaxmem")) {
        rc = xv_host_set_max_memory(fx->host, domid, 900 * MIB, error);
    } else if (g_str_equal(step, "sched-get")) {
        libxl_domain_sched_params sp;

        rc = xv_host_sched_params_get(fx->host, domid, &sp, error);
        libxl_domain_sched_params_dispose(&sp);
    } else if (g_str_equal(step, "sched-set")) {
        libxl_domain_sched_params sp;

        libxl_domain_sched_params_init(&sp);
        sp.weight = 1000;
        rc = xv_host_sched_params_set(fx->host, domid, &sp, error);
    } else if (g_str_equal(step, "retrieve-config")) {
        libxl_domain_config c;

        rc = xv_host_retrieve_config(fx->host, domid, &c, error);
        libxl_domain_config_dispose(&c);
    } else if (g_str_equal(step, "watch")) {
        rc = xv_host_watch_domain(fx->host, domid, error);
        xv_host_unwatch_domain(fx->host, domid);
    } else if (g_str_equal(step, "device-add") || g_str_equal(step, "device-remove")) {
        XvHostDevice dev = { .kind = XV_HOST_DEVICE_NIC };

        libxl_device_nic_init(&dev.u.nic);
        dev.u.nic.bridge = g_strdup("br0");
        memcpy(dev.u.nic.mac, (const uint8_t[6]){ 0x00, 0x16, 0x3e, 0xaa, 0xbb, 0xcc }, 6);
        rc = g_str_equal(step, "device-add") ? xv_host_device_add(fx->host, domid, &dev, error)
                                             : xv_host_device_remove(fx->host, domid, &dev, error);
        xv_host_device_dispose(&dev);
    } else if (g_str_equal(step, "cdrom-insert")) {
        libxl_device_disk disk;

        libxl_device_disk_init(&disk);
        disk.vdev = g_strdup("hdc");
        disk.pdev_path = g_strdup(fx->disk);
        disk.is_cdrom = 1;
        rc = xv_host_cdrom_insert(fx->host, step_cd_domid, &disk, error);
        libxl_device_disk_dispose(&disk);
    } else if (g_str_equal(step, "rename")) {
        libxl_domain_config c;
        g_autofree char *name = NULL;

        g_assert_cmpint(xv_host_retrieve_config(fx->host, domid, &c, NULL), ==, 0);
        name = g_strdup_printf("%s-r", c.c_info.name);
        libxl_domain_config_dispose(&c);
        rc = xv_host_domain_rename(fx->host, domid, NULL, name, error);
    } else if (g_str_equal(step, "boot-id")) {
        g_autofree char *id = NULL;

        rc = xv_host_get_boot_id(fx->host, &id, error);
    } else {
        g_error("the test does not know step '%s'", step);
    }
    return rc;
}

/* host.state's counter moves when a build got as far as a domid (as on
 * Xen, a failed build uses up its domid); everything else is unchanged. */
static gboolean
step_uses_domid(const char *step)
{
    return g_str_equal(step, "create:build") || g_str_equal(step, "create:unpause") ||
           g_str_equal(step, "restore:read-memory") || g_str_equal(step, "restore:unpause");
}

static void
check_every_step(Fixture *fx, gboolean through_file)
{
    const char *const *steps = xv_host_sim_fault_steps();
    g_autofree char *faults = g_build_filename(fx->dir, "faults", NULL);
    g_autofree char *state = g_build_filename(fx->dir, "host.state", NULL);
    uint32_t domid = create_dom(fx, fx->host, "victim", 1024, 2);
    uint32_t saved = create_dom(fx, fx->host, "image", 512, 2);
    guint n = 0;

    g_assert_cmpint(save_to(fx, saved, "image.save", 0, NULL, NULL), ==, 0);
    g_assert_cmpint(xv_host_destroy(fx->host, saved, NULL), ==, 0);
    step_cd_domid = create_hvm_cdrom(fx, "cd");

    for (guint i = 0; steps[i] != NULL; i++, n++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *before = NULL;
        g_autofree char *after = NULL;
        g_autofree char *state_before = NULL;
        g_autofree char *state_after = NULL;
        g_autofree char *want = g_strdup_printf("injected fault at step '%s'", steps[i]);
        int rc;

        g_test_message("step %s", steps[i]);
        if (g_str_equal(steps[i], "unpause"))
            g_assert_cmpint(xv_host_pause(fx->host, domid, NULL), ==, 0);
        before = snapshot(fx);
        g_assert_true(g_file_get_contents(state, &state_before, NULL, NULL));
        if (through_file) {
            g_autofree char *spec = g_strdup_printf("# armed by the test\n%s=BADFAIL\n", steps[i]);

            write_file(faults, spec);
        } else {
            g_autoptr(GError) e = NULL;

            g_assert_true(xv_host_sim_fault_arm(fx->host, steps[i], ERROR_BADFAIL, 1, &e));
            g_assert_no_error(e);
        }
        rc = run_step(fx, steps[i], domid, &error);
        assert_libxl_error(rc, error, ERROR_BADFAIL, want);
        drain();
        after = snapshot(fx);
        g_assert_cmpstr(after, ==, before);
        g_assert_true(g_file_get_contents(state, &state_after, NULL, NULL));
        if (!step_uses_domid(steps[i]))
            g_assert_cmpstr(state_after, ==, state_before);
        if (through_file) {
            g_autofree char *left = NULL;

            g_assert_true(g_file_get_contents(faults, &left, NULL, NULL));
            g_assert_cmpstr(left, ==, "# armed by the test\n");
        }

        /* the fault fired once: the same operation now succeeds */
        g_clear_error(&error);
        rc = run_step(fx, steps[i], domid, &error);
        g_assert_no_error(error);
        g_assert_cmpint(rc, ==, 0);
        if (g_str_equal(steps[i], "destroy") || g_str_has_prefix(steps[i], "suspend:") ||
            g_str_equal(steps[i], "shutdown") || g_str_equal(steps[i], "reboot")) {
            if (!g_str_equal(steps[i], "destroy"))
                g_assert_cmpint(xv_host_destroy(fx->host, domid, NULL), ==, 0);
            domid = create_dom(fx, fx->host, "victim", 1024, 2);
        } else if (g_str_equal(steps[i], "pause")) {
            g_assert_cmpint(xv_host_unpause(fx->host, domid, NULL), ==, 0);
        }
    }
    g_assert_cmpuint(n, >=, 30);
}

static void
test_faults_every_step(Fixture *fx, gconstpointer data)
{
    check_every_step(fx, FALSE);
}

static void
test_faults_every_step_file(Fixture *fx, gconstpointer data)
{
    check_every_step(fx, TRUE);
}

static void
test_faults_count_and_env(Fixture *fx, gconstpointer data)
{
    g_autofree char *faults = g_build_filename(fx->dir, "faults", NULL);
    g_autofree char *left = NULL;
    g_autoptr(GError) error = NULL;
    uint32_t a = create_dom(fx, fx->host, "a", 256, 1);
    libxl_domain_config c;
    uint32_t domid;
    int rc;

    /* the second passage fails, with the named error */
    write_file(faults, "create:alloc=ERROR_NOMEM@2\n");
    create_dom(fx, fx->host, "b", 256, 1);
    g_assert_true(g_file_get_contents(faults, &left, NULL, NULL));
    g_assert_cmpstr(left, ==, "create:alloc=ERROR_NOMEM@1\n");
    make_config(fx, &c, "c", 256, 1);
    rc = xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, &error);
    assert_libxl_error(rc, error, ERROR_NOMEM, "injected fault at step 'create:alloc'");
    g_clear_error(&error);
    g_assert_cmpint(xv_host_create_new(fx->host, &c, FALSE, &domid, NULL, NULL), ==, 0);
    libxl_domain_config_dispose(&c);

    /* the environment, read at open */
    close_host(fx, fx->host);
    g_setenv("XV_SIM_FAULT", "pause=INVAL,unpause@2", TRUE);
    fx->host = open_host(fx);
    g_unsetenv("XV_SIM_FAULT");
    rc = xv_host_pause(fx->host, a, &error);
    assert_libxl_error(rc, error, ERROR_INVAL, "injected fault at step 'pause'");
    g_clear_error(&error);
    g_assert_cmpint(xv_host_pause(fx->host, a, NULL), ==, 0);
    g_assert_cmpint(xv_host_unpause(fx->host, a, NULL), ==, 0);
    g_assert_cmpint(xv_host_pause(fx->host, a, NULL), ==, 0);
    rc = xv_host_unpause(fx->host, a, &error);
    assert_libxl_error(rc, error, ERROR_FAIL, "injected fault at step 'unpause'");
    g_clear_error(&error);

    /* disarm */
    g_assert_true(xv_host_sim_fault_arm_spec(fx->host, "unpause=FAIL", NULL));
    xv_host_sim_fault_clear(fx->host);
    g_assert_cmpint(xv_host_unpause(fx->host, a, NULL), ==, 0);

    /* bad specs */
    g_assert_false(xv_host_sim_fault_arm_spec(fx->host, "nosuch", &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_host_sim_fault_arm_spec(fx->host, "pause=NOPE", &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_assert_false(xv_host_sim_fault_arm_spec(fx->host, "pause@0", &error));
    g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    g_clear_error(&error);
    g_setenv("XV_SIM_FAULT", "bogus-step", TRUE);
    {
        g_autofree char *spec = g_strdup_printf("sim:%s", fx->dir);
        XvHost *h = xv_host_open(spec, NULL, &error);

        g_assert_null(h);
        g_assert_error(error, XV_ERROR, XV_ERROR_INVALID_ARG);
    }
    g_unsetenv("XV_SIM_FAULT");
    g_assert_cmpstr(xv_host_sim_error_name(ERROR_ABORTED), ==, "ERROR_ABORTED");
    g_assert_cmpint(xv_host_sim_error_from_name("domain_notfound"), ==, ERROR_DOMAIN_NOTFOUND);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_unsetenv("XV_SIM_FAULT");
    g_unsetenv("XV_SIM_GUEST");
    g_unsetenv("XV_SIM_SPEED");

#define ADD(path, fn, conf) \
    g_test_add("/host-sim/" path, Fixture, conf, fixture_setup, fn, fixture_teardown)
    ADD("host/dom0", test_host_dom0, NULL);
    ADD("host/dom0-refuses", test_host_dom0_refuses, NULL);
    ADD("host/conf", test_host_conf,
        "[host]\ncpus=4\nnodes=2\nmemory_mib=8192\ndom0_memory_mib=1024\nmax_vcpus=4\n"
        "scheduler=rtds\nbridges=br1;br2\n");
    g_test_add_func("/host-sim/host/conf-invalid", test_host_conf_invalid);
    ADD("create/basic", test_create_basic, NULL);
    ADD("create/hvm-paused", test_create_hvm_paused, NULL);
    ADD("create/domids-increase", test_create_domids, NULL);
    ADD("create/invalid", test_create_invalid, NULL);
    ADD("create/foreign", test_create_foreign, NULL);
    ADD("lifecycle/not-found", test_lifecycle_not_found, NULL);
    ADD("lifecycle/pause", test_lifecycle_pause, NULL);
    ADD("lifecycle/shutdown", test_lifecycle_shutdown, NULL);
    ADD("lifecycle/guest-actions", test_lifecycle_guest_actions, NULL);
    ADD("lifecycle/behaviour-defaults", test_lifecycle_behaviour_defaults,
        "[guest:web1]\nshutdown=ignore\n");
    ADD("memory/target-and-max", test_memory, NULL);
    ADD("memory/balloon-over-time", test_memory_balloon_over_time, NULL);
    ADD("vcpus/pin-and-online", test_vcpus, NULL);
    ADD("sched/credit", test_sched_credit, NULL);
    ADD("save/roundtrip-and-live", test_save_restore, NULL);
    ADD("save/restore-bad-streams", test_restore_bad_streams, NULL);
    ADD("save/core-dump", test_core_dump, NULL);
    ADD("abort/suspend", test_abort_suspend, NULL);
    ADD("abort/restore", test_abort_restore, NULL);
    ADD("abort/create", test_abort_create, NULL);
    ADD("abort/destroy-during-save", test_destroy_during_save, NULL);
    ADD("overlap/two-saves", test_overlap_two_saves, NULL);
    ADD("persist/reopen", test_persist_reopen, NULL);
    ADD("persist/two-hosts", test_persist_two_hosts, NULL);
    ADD("events/shutdown-death", test_events, NULL);
    ADD("events/timed-and-foreign", test_events_timed, NULL);
    ADD("faults/every-step", test_faults_every_step, NULL);
    ADD("devices/add-remove", test_devices, NULL);
    ADD("devices/cdrom-rename-boot-id", test_cdrom_rename_boot, NULL);
    ADD("faults/every-step-control-file", test_faults_every_step_file, NULL);
    ADD("faults/count-env-specs", test_faults_count_and_env, NULL);
#undef ADD
    return g_test_run();
}
