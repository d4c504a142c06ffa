/*
 * xv-error.h: xenvirt's single GError domain.
 *
 * Every failing function in xenvirt returns FALSE/NULL/-1 and sets a GError in
 * XV_ERROR.  The codes are libvirt's virErrorNumber values, so that the D-Bus
 * layer hands them to libvirt clients unchanged and a reader who knows libvirt
 * knows what each one means.  Messages are whole, translatable sentences that
 * name the object and the reason.
 */
#pragma once

#include <glib.h>
#include <libvirt/virterror.h>

G_BEGIN_DECLS

#define XV_ERROR (xv_error_quark())
GQuark xv_error_quark(void);

typedef enum {
    XV_ERROR_INTERNAL = VIR_ERR_INTERNAL_ERROR,
    XV_ERROR_NO_MEMORY = VIR_ERR_NO_MEMORY,
    XV_ERROR_NO_SUPPORT = VIR_ERR_NO_SUPPORT,
    XV_ERROR_NO_CONNECT = VIR_ERR_NO_CONNECT,
    XV_ERROR_INVALID_ARG = VIR_ERR_INVALID_ARG,
    XV_ERROR_OPERATION_FAILED = VIR_ERR_OPERATION_FAILED,
    XV_ERROR_XEN_CALL = VIR_ERR_XEN_CALL,
    XV_ERROR_XML_ERROR = VIR_ERR_XML_ERROR,
    XV_ERROR_CONF_SYNTAX = VIR_ERR_CONF_SYNTAX,
    XV_ERROR_DOM_EXIST = VIR_ERR_DOM_EXIST,
    XV_ERROR_OPERATION_DENIED = VIR_ERR_OPERATION_DENIED,
    XV_ERROR_SYSTEM = VIR_ERR_SYSTEM_ERROR,
    XV_ERROR_NO_DOMAIN = VIR_ERR_NO_DOMAIN,
    XV_ERROR_INVALID_MAC = VIR_ERR_INVALID_MAC,
    XV_ERROR_OPERATION_INVALID = VIR_ERR_OPERATION_INVALID,
    XV_ERROR_CONFIG_UNSUPPORTED = VIR_ERR_CONFIG_UNSUPPORTED,
    XV_ERROR_OPERATION_TIMEOUT = VIR_ERR_OPERATION_TIMEOUT,
    XV_ERROR_ARGUMENT_UNSUPPORTED = VIR_ERR_ARGUMENT_UNSUPPORTED,
    XV_ERROR_OPERATION_ABORTED = VIR_ERR_OPERATION_ABORTED,
    XV_ERROR_NO_DOMAIN_METADATA = VIR_ERR_NO_DOMAIN_METADATA,
    XV_ERROR_OPERATION_UNSUPPORTED = VIR_ERR_OPERATION_UNSUPPORTED,
    XV_ERROR_RESOURCE_BUSY = VIR_ERR_RESOURCE_BUSY,
    XV_ERROR_ACCESS_DENIED = VIR_ERR_ACCESS_DENIED,
    XV_ERROR_XML_INVALID_SCHEMA = VIR_ERR_XML_INVALID_SCHEMA,
    XV_ERROR_DEVICE_MISSING = VIR_ERR_DEVICE_MISSING,
} XvErrorCode;

/* libvirt's symbolic name for a code ("VIR_ERR_NO_DOMAIN"), for logs and the
 * JSON output of the CLI; "VIR_ERR_UNKNOWN" for codes xenvirt never sets. */
const char *xv_error_code_name(int code);

/* Prefix an existing error's message, keeping its code:
 * xv_error_prefix(&err, _("cannot start domain '%s': "), name). */
void xv_error_prefix(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

G_END_DECLS
