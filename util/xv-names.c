/* xv-names.c: validation of names and UUIDs. */
#include "util/xv-names.h"

#include <glib/gi18n.h>
#include <string.h>

#include "util/xv-error.h"

gboolean
xv_domain_name_validate(const char *name, GError **error)
{
    gsize len;

    if (name == NULL || *name == '\0') {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name is missing or empty."));
        return FALSE;
    }
    len = strlen(name);
    if (len > XV_DOMAIN_NAME_MAX) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name '%1$.20s...' is %2$zu bytes long; the limit is %3$d."),
                    name, len, XV_DOMAIN_NAME_MAX);
        return FALSE;
    }
    if (!g_utf8_validate(name, (gssize)len, NULL)) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name is not valid UTF-8."));
        return FALSE;
    }
    if (strchr(name, '/') != NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name '%s' contains '/', which is not allowed."), name);
        return FALSE;
    }
    if (name[0] == '.') {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name '%s' starts with '.', which is not allowed."), name);
        return FALSE;
    }
    for (const char *p = name; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (!g_unichar_isprint(c)) {
            g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                        _("The domain name contains a control or non-printable character."));
            return FALSE;
        }
    }
    if (g_unichar_isspace(g_utf8_get_char(name)) ||
        g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(name + len)))) {
        g_set_error(error, XV_ERROR, XV_ERROR_XML_ERROR,
                    _("The domain name '%s' starts or ends with white space."), name);
        return FALSE;
    }
    return TRUE;
}

gboolean
xv_uuid_parse(const char *str, guchar uuid[XV_UUID_BUFLEN], GError **error)
{
    const char *p = str;
    guint i = 0;

    if (str == NULL)
        goto bad;
    while (g_ascii_isspace(*p))
        p++;
    while (i < XV_UUID_BUFLEN) {
        int hi, lo;

        if (*p == '-') {
            p++;
            continue;
        }
        hi = g_ascii_xdigit_value(p[0]);
        if (hi < 0)
            goto bad;
        lo = g_ascii_xdigit_value(p[1]);
        if (lo < 0)
            goto bad;
        uuid[i++] = (guchar)(hi << 4 | lo);
        p += 2;
    }
    while (g_ascii_isspace(*p))
        p++;
    if (*p != '\0')
        goto bad;
    return TRUE;

 bad:
    g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                _("'%s' is not a valid UUID."), str ? str : "");
    return FALSE;
}

char *
xv_uuid_format(const guchar uuid[XV_UUID_BUFLEN], char buf[XV_UUID_STRING_BUFLEN])
{
    g_snprintf(buf, XV_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
    return buf;
}

void
xv_uuid_generate(guchar uuid[XV_UUID_BUFLEN])
{
    g_autofree char *s = g_uuid_string_random();

    xv_uuid_parse(s, uuid, NULL);
}

gboolean
xv_uuid_is_null(const guchar uuid[XV_UUID_BUFLEN])
{
    for (guint i = 0; i < XV_UUID_BUFLEN; i++) {
        if (uuid[i] != 0)
            return FALSE;
    }
    return TRUE;
}
