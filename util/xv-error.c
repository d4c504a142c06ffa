/* xv-error.c: the XV_ERROR domain. */
#include "util/xv-error.h"

G_DEFINE_QUARK(xenvirt-error-quark, xv_error)

static const struct {
    int code;
    const char *name;
} xv_error_names[] = {
    { XV_ERROR_INTERNAL, "VIR_ERR_INTERNAL_ERROR" },
    { XV_ERROR_NO_MEMORY, "VIR_ERR_NO_MEMORY" },
    { XV_ERROR_NO_SUPPORT, "VIR_ERR_NO_SUPPORT" },
    { XV_ERROR_NO_CONNECT, "VIR_ERR_NO_CONNECT" },
    { XV_ERROR_INVALID_ARG, "VIR_ERR_INVALID_ARG" },
    { XV_ERROR_OPERATION_FAILED, "VIR_ERR_OPERATION_FAILED" },
    { XV_ERROR_XEN_CALL, "VIR_ERR_XEN_CALL" },
    { XV_ERROR_XML_ERROR, "VIR_ERR_XML_ERROR" },
    { XV_ERROR_CONF_SYNTAX, "VIR_ERR_CONF_SYNTAX" },
    { XV_ERROR_DOM_EXIST, "VIR_ERR_DOM_EXIST" },
    { XV_ERROR_OPERATION_DENIED, "VIR_ERR_OPERATION_DENIED" },
    { XV_ERROR_SYSTEM, "VIR_ERR_SYSTEM_ERROR" },
    { XV_ERROR_NO_DOMAIN, "VIR_ERR_NO_DOMAIN" },
    { XV_ERROR_INVALID_MAC, "VIR_ERR_INVALID_MAC" },
    { XV_ERROR_OPERATION_INVALID, "VIR_ERR_OPERATION_INVALID" },
    { XV_ERROR_CONFIG_UNSUPPORTED, "VIR_ERR_CONFIG_UNSUPPORTED" },
    { XV_ERROR_OPERATION_TIMEOUT, "VIR_ERR_OPERATION_TIMEOUT" },
    { XV_ERROR_ARGUMENT_UNSUPPORTED, "VIR_ERR_ARGUMENT_UNSUPPORTED" },
    { XV_ERROR_OPERATION_ABORTED, "VIR_ERR_OPERATION_ABORTED" },
    { XV_ERROR_NO_DOMAIN_METADATA, "VIR_ERR_NO_DOMAIN_METADATA" },
    { XV_ERROR_OPERATION_UNSUPPORTED, "VIR_ERR_OPERATION_UNSUPPORTED" },
    { XV_ERROR_RESOURCE_BUSY, "VIR_ERR_RESOURCE_BUSY" },
    { XV_ERROR_ACCESS_DENIED, "VIR_ERR_ACCESS_DENIED" },
    { XV_ERROR_XML_INVALID_SCHEMA, "VIR_ERR_XML_INVALID_SCHEMA" },
    { XV_ERROR_DEVICE_MISSING, "VIR_ERR_DEVICE_MISSING" },
};

const char *
xv_error_code_name(int code)
{
    for (gsize i = 0; i < G_N_ELEMENTS(xv_error_names); i++) {
        if (xv_error_names[i].code == code)
            return xv_error_names[i].name;
    }
    return "VIR_ERR_UNKNOWN";
}

void
xv_error_prefix(GError **error, const char *format, ...)
{
    va_list ap;
    g_autofree char *prefix = NULL;

    if (error == NULL || *error == NULL)
        return;
    va_start(ap, format);
    prefix = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_prefix_error(error, "%s", prefix);
}
