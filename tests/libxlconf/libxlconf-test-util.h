/*
 * libxlconf-test-util.h: shared helpers of the libxl-conf tests.
 *
 * A TEST-ONLY libxl_ctx: the test binaries define xc_interface_open() and
 * xs_open() (returning a dummy pointer) and no-op closers, so that
 * libxl_ctx_alloc() succeeds without a hypervisor.  Such a ctx is good for
 * JSON, copy and bitmap work only.  Single-threaded use; the ctx lives until
 * the process exits.
 */
#pragma once

#include <glib.h>
#include <libxl.h>

#include "drivers/libxl/libxl-conf.h"

G_BEGIN_DECLS

/* The test-only ctx (created on first use; aborts the test when it fails). */
libxl_ctx *xv_test_libxl_ctx(void);

/* from_json then to_json: libxl's canonical form of a config.  NULL + error
 * when libxl cannot parse the text. */
char *xv_test_normalise_json(const char *json, GError **error);

/* to_json through the ctx. */
char *xv_test_config_json(libxl_domain_config *cfg);

/* A unified diff of two texts (via diff(1) when present). */
char *xv_test_diff(const char *expected, const char *actual);

/* The host the golden files were written for: 6 NUMA nodes, 8 CPUs, nested
 * HVM allowed on a VMX host, shadow memory 1234 KiB, local time UTC-00:30,
 * graphics ports from 5900, fake network/secret/USB lookups. */
void xv_test_golden_options(XvLibxlConfOptions *opts);

/* The environment libvirt's own test data was produced in (see
 * ../shared/peer/README.md); the local time zone comes from TZ. */
void xv_test_peer_options(XvLibxlConfOptions *opts);

/* Sorted file names in 'dir' ending in 'suffix'. */
GPtrArray *xv_test_list_dir(const char *dir, const char *suffix, GError **error);

G_END_DECLS
