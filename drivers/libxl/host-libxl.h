/*
 * host-libxl.h: the real libxenlight backend of the host port.
 */
#pragma once

#include "drivers/libxl/host.h"

G_BEGIN_DECLS

/* Open one libxl_ctx for the process, with libxl's fds and timers integrated
 * into the thread-default GMainContext.  Fails cleanly (no crash) when the
 * machine is not a Xen dom0. */
XvHost *xv_host_libxl_open(GError **error);

G_END_DECLS
