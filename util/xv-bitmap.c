/* xv-bitmap.c: fixed-capacity bit sets with libvirt's cpuset syntax. */
#include "util/xv-bitmap.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdlib.h>

#include "util/xv-error.h"

struct _XvBitmap {
    guint nbits;
    guint64 *words;
};

#define WORD_BITS 64u

XvBitmap *
xv_bitmap_new(guint nbits)
{
    XvBitmap *map = g_new0(XvBitmap, 1);

    map->nbits = nbits;
    map->words = g_new0(guint64, MAX(1u, (nbits + WORD_BITS - 1) / WORD_BITS));
    return map;
}

void
xv_bitmap_free(XvBitmap *map)
{
    if (map == NULL)
        return;
    g_free(map->words);
    g_free(map);
}

XvBitmap *
xv_bitmap_copy(const XvBitmap *map)
{
    XvBitmap *copy;

    if (map == NULL)
        return NULL;
    copy = xv_bitmap_new(map->nbits);
    memcpy(copy->words, map->words,
           sizeof(guint64) * MAX(1u, (map->nbits + WORD_BITS - 1) / WORD_BITS));
    return copy;
}

guint
xv_bitmap_size(const XvBitmap *map)
{
    return map->nbits;
}

gboolean
xv_bitmap_set(XvBitmap *map, guint bit)
{
    if (bit >= map->nbits)
        return FALSE;
    map->words[bit / WORD_BITS] |= G_GUINT64_CONSTANT(1) << (bit % WORD_BITS);
    return TRUE;
}

gboolean
xv_bitmap_clear(XvBitmap *map, guint bit)
{
    if (bit >= map->nbits)
        return FALSE;
    map->words[bit / WORD_BITS] &= ~(G_GUINT64_CONSTANT(1) << (bit % WORD_BITS));
    return TRUE;
}

gboolean
xv_bitmap_is_set(const XvBitmap *map, guint bit)
{
    if (bit >= map->nbits)
        return FALSE;
    return (map->words[bit / WORD_BITS] >> (bit % WORD_BITS)) & 1;
}

guint
xv_bitmap_count(const XvBitmap *map)
{
    guint n = 0;

    for (guint i = 0; i < map->nbits; i++)
        n += xv_bitmap_is_set(map, i);
    return n;
}

gboolean
xv_bitmap_is_empty(const XvBitmap *map)
{
    return xv_bitmap_next(map, -1) < 0;
}

int
xv_bitmap_next(const XvBitmap *map, int pos)
{
    for (guint i = (guint)(pos + 1); i < map->nbits; i++) {
        if (xv_bitmap_is_set(map, i))
            return (int)i;
    }
    return -1;
}

int
xv_bitmap_last(const XvBitmap *map)
{
    for (guint i = map->nbits; i > 0; i--) {
        if (xv_bitmap_is_set(map, i - 1))
            return (int)(i - 1);
    }
    return -1;
}

gboolean
xv_bitmap_equal(const XvBitmap *a, const XvBitmap *b)
{
    guint n = MAX(a->nbits, b->nbits);

    for (guint i = 0; i < n; i++) {
        if (xv_bitmap_is_set(a, i) != xv_bitmap_is_set(b, i))
            return FALSE;
    }
    return TRUE;
}

static gboolean
parse_uint(const char **p, guint *out)
{
    char *end = NULL;
    unsigned long v;

    if (!g_ascii_isdigit(**p))
        return FALSE;
    errno = 0;
    v = strtoul(*p, &end, 10);
    if (errno != 0 || v > G_MAXUINT)
        return FALSE;
    *out = (guint)v;
    *p = end;
    return TRUE;
}

XvBitmap *
xv_bitmap_parse(const char *str, guint nbits, GError **error)
{
    g_autoptr(XvBitmap) map = xv_bitmap_new(nbits);
    const char *p = str;
    gboolean any = FALSE;

    if (str == NULL || *str == '\0') {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("The CPU or node set is empty."));
        return NULL;
    }

    while (*p != '\0') {
        gboolean negate = FALSE;
        guint start, last;

        while (g_ascii_isspace(*p))
            p++;
        if (*p == '^') {
            negate = TRUE;
            p++;
        }
        if (!parse_uint(&p, &start))
            goto bad;
        last = start;
        if (*p == '-') {
            p++;
            if (negate || !parse_uint(&p, &last) || last < start)
                goto bad;
        }
        if (last >= nbits) {
            g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                        _("The set '%1$s' names %2$u, beyond the limit of %3$u."),
                        str, last, nbits - 1);
            return NULL;
        }
        for (guint i = start; i <= last; i++) {
            if (negate)
                xv_bitmap_clear(map, i);
            else
                xv_bitmap_set(map, i);
        }
        any = any || !negate;
        while (g_ascii_isspace(*p))
            p++;
        if (*p == ',') {
            p++;
            if (*p == '\0')
                goto bad;
        } else if (*p != '\0') {
            goto bad;
        }
    }
    if (!any)
        goto bad;
    return g_steal_pointer(&map);

 bad:
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("Cannot parse the CPU or node set '%s'."), str);
    return NULL;
}

char *
xv_bitmap_format(const XvBitmap *map)
{
    GString *out = g_string_new(NULL);
    int cur = xv_bitmap_next(map, -1);

    while (cur >= 0) {
        int end = cur;

        while (xv_bitmap_is_set(map, (guint)end + 1))
            end++;
        if (out->len > 0)
            g_string_append_c(out, ',');
        if (end == cur)
            g_string_append_printf(out, "%d", cur);
        else
            g_string_append_printf(out, "%d-%d", cur, end);
        cur = xv_bitmap_next(map, end);
    }
    return g_string_free(out, FALSE);
}
