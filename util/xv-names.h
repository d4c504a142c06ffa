/*
 * xv-names.h: domain names and UUIDs, checked before they reach any path.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define XV_UUID_BUFLEN 16
#define XV_UUID_STRING_BUFLEN 37
#define XV_DOMAIN_NAME_MAX 64

/* A domain name: 1..64 bytes of printable UTF-8, no '/', no leading '.',
 * no leading or trailing white space.  The error names the name and the rule
 * it breaks. */
gboolean xv_domain_name_validate(const char *name, GError **error);

/* Parse "2147d599-9cc6-c0dc-92ab-4064b5446e9b" (dashes optional, as libvirt
 * accepts them anywhere between byte pairs) into 16 bytes. */
gboolean xv_uuid_parse(const char *str, guchar uuid[XV_UUID_BUFLEN], GError **error);
/* Format into buf (37 bytes), lower case, 8-4-4-4-12. */
char *xv_uuid_format(const guchar uuid[XV_UUID_BUFLEN], char buf[XV_UUID_STRING_BUFLEN]);
void xv_uuid_generate(guchar uuid[XV_UUID_BUFLEN]);
gboolean xv_uuid_is_null(const guchar uuid[XV_UUID_BUFLEN]);

G_END_DECLS
