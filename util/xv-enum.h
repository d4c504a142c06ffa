/*
 * xv-enum.h: string tables for enums, generated in one place.
 *
 * In a header:   XV_ENUM_DECL(xv_domain_os_type, XvDomainOsType)
 * In a .c file:  XV_ENUM_IMPL(xv_domain_os_type, XvDomainOsType,
 *                             XV_DOMAIN_OS_TYPE_LAST, "hvm", "xen", "xenpvh")
 *
 * gives xv_domain_os_type_to_string(v) (NULL when v is out of range) and
 * xv_domain_os_type_from_string(s) (-1 when s is NULL or unknown).  The
 * static assertion keeps the table and the enum the same length.
 */
#pragma once

#include <glib.h>

int xv_enum_from_string(const char *const *table, unsigned int n, const char *str);

#define XV_ENUM_DECL(name, type) \
    const char *name##_to_string(type value); \
    int name##_from_string(const char *str)

#define XV_ENUM_IMPL(name, type, last, ...) \
    static const char *const name##_table[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##_table) == (last)); \
    const char *name##_to_string(type value) \
    { \
        return (unsigned int)value < (unsigned int)(last) ? name##_table[value] : NULL; \
    } \
    int name##_from_string(const char *str) \
    { \
        return xv_enum_from_string(name##_table, (last), str); \
    }
