/*
 * host-sim.h: the simulated Xen host backend.
 *
 * (Being written: see host.h for the port contract.  This header grows the
 * sim's control API for tests: guest behaviours, fault injection, speed
 * factor, foreign domains.)
 */
#pragma once

#include "drivers/libxl/host.h"

G_BEGIN_DECLS

/* Open (creating if needed) the simulated host whose state lives in 'dir'. */
XvHost *xv_host_sim_open(const char *dir, GError **error);

G_END_DECLS
