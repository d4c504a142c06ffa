/*
 * xv-bitmap.h: CPU and NUMA node sets, in libvirt's cpuset syntax.
 *
 * "0-3,^2,8" parses to {0,1,3,8}; formatting is canonical ("0-1,3,8").
 * A bitmap has a fixed capacity chosen at creation; bits at or above it are
 * rejected by the parser.  Not thread-safe: owners protect their bitmaps.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define XV_BITMAP_MAX_BITS 4096u

typedef struct _XvBitmap XvBitmap;

XvBitmap *xv_bitmap_new(guint nbits);
void xv_bitmap_free(XvBitmap *map);
XvBitmap *xv_bitmap_copy(const XvBitmap *map);

/* Parse libvirt's syntax.  The error names the bad fragment. */
XvBitmap *xv_bitmap_parse(const char *str, guint nbits, GError **error);
/* Canonical text ("0-1,3"); "" for an empty set. */
char *xv_bitmap_format(const XvBitmap *map);

guint xv_bitmap_size(const XvBitmap *map);
gboolean xv_bitmap_set(XvBitmap *map, guint bit);
gboolean xv_bitmap_clear(XvBitmap *map, guint bit);
gboolean xv_bitmap_is_set(const XvBitmap *map, guint bit);
guint xv_bitmap_count(const XvBitmap *map);
gboolean xv_bitmap_is_empty(const XvBitmap *map);
/* Highest set bit, or -1 when empty. */
int xv_bitmap_last(const XvBitmap *map);
/* Next set bit after 'pos' (pass -1 to start), or -1. */
int xv_bitmap_next(const XvBitmap *map, int pos);
gboolean xv_bitmap_equal(const XvBitmap *a, const XvBitmap *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvBitmap, xv_bitmap_free)

G_END_DECLS
