/* xv-enum.c: lookup shared by every XV_ENUM_IMPL table. */
#include "util/xv-enum.h"

#include <string.h>

int
xv_enum_from_string(const char *const *table, unsigned int n, const char *str)
{
    if (str == NULL)
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        if (table[i] != NULL && strcmp(table[i], str) == 0)
            return (int)i;
    }
    return -1;
}
