/*
 * bench-sim.c: how long the simulated Xen host takes to create, save and
 * restore a 1 GiB and a 4 GiB domain at speed factor 1, so that its timing
 * model is visible.
 *
 * The model (host-sim.h), in seconds at speed 1:
 *   create   0.3 + 0.1 per GiB     -> 1 GiB: 0.4 s,  4 GiB: 0.7 s
 *   save     0.1 + 1.0 per GiB     -> 1 GiB: 1.1 s,  4 GiB: 4.1 s
 *   restore  0.3 + 1.0 per GiB     -> 1 GiB: 1.3 s,  4 GiB: 4.3 s
 * and the stream really moves 1 byte per 256 bytes of guest memory through
 * a file (4 MiB for 1 GiB, 16 MiB for 4 GiB), generated and verified.
 *
 * Against real Xen: on bare metal a save or restore runs near disk speed,
 * about 1 GiB/s, plus a fixed cost for the suspend handshake (save) or the
 * domain build (restore); `xl create` of a small PV guest takes well under a
 * second on bare metal, most of it building and scrubbing memory and running
 * hotplug scripts.  Measured under nested Xen 4.17 on TCG (far slower than
 * hardware): `xl create` of a small PV guest ~1.9 s, save/restore of a 128 MB
 * guest ~1.1 s.  The sim models bare metal, not the nested TCG setup.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/libxl/host-sim.h"

typedef struct {
    const char *name;
    double value;
    char *reason;
} Figure;

static void
figure_print(const Figure *f)
{
    if (f->reason != NULL) {
        printf("# %s: %s\n", f->name, f->reason);
        printf("figure %s nan s\n", f->name);
    } else {
        printf("figure %s %.3f s\n", f->name, f->value);
    }
    fflush(stdout);
}

static void
make_config(libxl_domain_config *c, const char *name, guint64 mem_mib, const char *kernel)
{
    libxl_domain_config_init(c);
    c->c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c->c_info.name = g_strdup(name);
    libxl_domain_build_info_init_type(&c->b_info, LIBXL_DOMAIN_TYPE_PV);
    c->b_info.max_vcpus = 2;
    c->b_info.max_memkb = mem_mib * 1024;
    c->b_info.target_memkb = mem_mib * 1024;
    c->b_info.kernel = g_strdup(kernel);
}

static double
seconds_since(gint64 start)
{
    return (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

/* Create, save and restore one domain of 'gib' GiB; fill three figures. */
static void
bench_size(XvHost *host, const char *dir, const char *kernel, guint gib, Figure fig[3])
{
    g_autofree char *name = g_strdup_printf("bench%ug", gib);
    g_autofree char *image = g_strdup_printf("%s/%s.save", dir, name);
    g_autoptr(GError) error = NULL;
    libxl_domain_config c;
    uint32_t domid = 0;
    gint64 start;
    int fd, rc;

    make_config(&c, name, (guint64)gib * 1024, kernel);
    start = g_get_monotonic_time();
    rc = xv_host_create_new(host, &c, FALSE, &domid, NULL, &error);
    if (rc != 0) {
        fig[0].reason = g_strdup_printf("create failed: %s", error->message);
        goto out;
    }
    fig[0].value = seconds_since(start);

    fd = open(image, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fig[1].reason = g_strdup_printf("cannot create %s: %s", image, g_strerror(errno));
        goto out;
    }
    start = g_get_monotonic_time();
    rc = xv_host_suspend(host, domid, fd, 0, NULL, &error);
    close(fd);
    if (rc != 0) {
        fig[1].reason = g_strdup_printf("save failed: %s", error->message);
        goto out;
    }
    fig[1].value = seconds_since(start);
    if (xv_host_destroy(host, domid, &error) != 0) {
        fig[2].reason = g_strdup_printf("destroy failed: %s", error->message);
        goto out;
    }

    fd = open(image, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fig[2].reason = g_strdup_printf("cannot open %s: %s", image, g_strerror(errno));
        goto out;
    }
    start = g_get_monotonic_time();
    rc = xv_host_create_restore(host, &c, FALSE, fd, &domid, NULL, &error);
    close(fd);
    if (rc != 0) {
        fig[2].reason = g_strdup_printf("restore failed: %s", error->message);
        goto out;
    }
    fig[2].value = seconds_since(start);
    xv_host_destroy(host, domid, NULL);

 out:
    for (guint i = 0; i < 3; i++)
        if (fig[i].reason == NULL && fig[i].value == 0 && i > 0 && fig[i - 1].reason != NULL)
            fig[i].reason = g_strdup("an earlier step failed");
    g_unlink(image);
    libxl_domain_config_dispose(&c);
}

static void
rm_rf(const char *path)
{
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *e;

    while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(path, e, NULL);

        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            rm_rf(p);
        else
            g_unlink(p);
    }
    g_rmdir(path);
}

int
main(void)
{
    static const guint sizes[] = { 1, 4 };
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("xv-bench-sim-XXXXXX", &error);
    g_autofree char *hostdir = NULL;
    g_autofree char *kernel = NULL;
    g_autofree char *spec = NULL;
    XvHost *host = NULL;
    int status = 0;

    if (dir != NULL) {
        hostdir = g_build_filename(dir, "host", NULL);
        kernel = g_build_filename(dir, "vmlinuz", NULL);
        spec = g_strdup_printf("sim:%s", hostdir);
        if (g_file_set_contents(kernel, "kernel", -1, &error)) {
            g_unsetenv("XV_SIM_FAULT");
            host = xv_host_open(spec, NULL, &error);
        }
    }
    if (host != NULL)
        xv_host_sim_set_speed(host, 1.0);

    for (guint s = 0; s < G_N_ELEMENTS(sizes); s++) {
        g_autofree char *n0 = g_strdup_printf("sim_create_%ug_s", sizes[s]);
        g_autofree char *n1 = g_strdup_printf("sim_save_%ug_s", sizes[s]);
        g_autofree char *n2 = g_strdup_printf("sim_restore_%ug_s", sizes[s]);
        Figure fig[3] = { { n0, 0, NULL }, { n1, 0, NULL }, { n2, 0, NULL } };

        if (host == NULL) {
            for (guint i = 0; i < 3; i++)
                fig[i].reason = g_strdup_printf("cannot set up a simulated host: %s",
                                                error != NULL ? error->message : "unknown error");
        } else {
            bench_size(host, dir, kernel, sizes[s], fig);
        }
        for (guint i = 0; i < 3; i++) {
            figure_print(&fig[i]);
            if (fig[i].reason != NULL)
                status = 1;
            g_free(fig[i].reason);
        }
    }
    if (host != NULL)
        xv_host_close(host);
    if (dir != NULL)
        rm_rf(dir);
    return status;
}
