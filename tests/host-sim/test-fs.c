/*
 * test-fs.c: file-system helpers shared by the test fixtures.
 */
#include "test-fs.h"

#include <glib.h>
#include <glib/gstdio.h>

void
xv_test_rm_rf(const char *path)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_unlink(path);
        return;
    }
    dir = g_dir_open(path, 0, NULL);
    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        xv_test_rm_rf(child);
    }
    g_rmdir(path);
}
