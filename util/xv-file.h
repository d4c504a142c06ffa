/*
 * xv-file.h: files written so that a crash never leaves half of one.
 *
 * xv_file_write_atomic() writes to a temporary file beside the target, fsyncs
 * it, renames it over the target and fsyncs the directory: a reader sees the
 * old content or the new, never a mix, and after a power cut the file is
 * whole.  On failure the temporary file is removed and the target untouched.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean xv_file_write_atomic(const char *path, const char *data, gssize len,
                              int mode, GError **error);
/* Remove a file and fsync its directory; a missing file is not an error. */
gboolean xv_file_remove(const char *path, GError **error);
/* Make a directory and its parents (mode for the ones created). */
gboolean xv_file_mkdir(const char *path, int mode, GError **error);
/* fsync a directory so that a rename or unlink in it is durable. */
gboolean xv_file_sync_dir(const char *dir, GError **error);

G_END_DECLS
