/* xv-file.c: atomic file replacement. */
#include "util/xv-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "util/xv-error.h"

gboolean
xv_file_sync_dir(const char *dir, GError **error)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0 || fsync(fd) < 0) {
        int err = errno;

        if (fd >= 0)
            close(fd);
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot sync directory '%1$s': %2$s."), dir, g_strerror(err));
        return FALSE;
    }
    close(fd);
    return TRUE;
}

gboolean
xv_file_write_atomic(const char *path, const char *data, gssize len, int mode,
                     GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    gsize left = len < 0 ? strlen(data) : (gsize)len;
    const char *p = data;
    int fd;

    fd = g_mkstemp_full(tmpl, O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot create a temporary file for '%1$s': %2$s."),
                    path, g_strerror(errno));
        return FALSE;
    }
    while (left > 0) {
        ssize_t n = write(fd, p, left);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        p += n;
        left -= (gsize)n;
    }
    if (fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmpl, path) < 0)
        goto fail;
    return xv_file_sync_dir(dir, error);

 fail:
    {
        int err = errno;

        if (fd >= 0)
            close(fd);
        g_unlink(tmpl);
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot write '%1$s': %2$s."), path, g_strerror(err));
    }
    return FALSE;
}

gboolean
xv_file_remove(const char *path, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);

    if (g_unlink(path) < 0) {
        if (errno == ENOENT)
            return TRUE;
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot remove '%1$s': %2$s."), path, g_strerror(errno));
        return FALSE;
    }
    return xv_file_sync_dir(dir, error);
}

gboolean
xv_file_mkdir(const char *path, int mode, GError **error)
{
    if (g_mkdir_with_parents(path, mode) < 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_SYSTEM,
                    _("Cannot create directory '%1$s': %2$s."), path, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}
