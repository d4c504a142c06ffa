/*
 * domain-conf-priv.h: helpers the xmlconf sources share among themselves.
 *
 * Contract
 * --------
 * - Not part of the module's interface: only the xmlconf sources include it;
 *   drivers, the daemon and tests use domain-conf.h and xl-conf.h.
 * - Same rules as domain-conf.h: pure, no global state, callable from any
 *   thread; what a function returns is owned by the caller.
 */
#pragma once

#include "xmlconf/domain-conf.h"

G_BEGIN_DECLS

/* The console libxl gives every PV guest, as libvirt writes it:
 * <console type='pty'><target type='xen' port='0'/></console>.  Never NULL. */
XvChrDef *xv_chr_def_new_xen_console(void);

G_END_DECLS
