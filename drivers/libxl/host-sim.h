/*
 * host-sim.h: the simulated Xen host backend, and its control API.
 *
 * The sim implements every XvHostOps member (see host.h for the port
 * contract) against a host whose whole state lives in a directory, so that
 * the host outlives any process that opened it, exactly as Xen outlives
 * xenvirtd:
 *
 *   DIR/host.conf        optional, written by the user (GKeyFile, see below)
 *   DIR/host.state       domid counter (GKeyFile, atomic writes)
 *   DIR/domains/N.dom    one GKeyFile per domain, Domain-0 included (atomic)
 *   DIR/faults           optional fault-injection control file (see below)
 *   DIR/lock             flock'ed (exclusive) around every state transaction
 *   DIR/boot-id          the host's boot identifier (made on first use)
 *
 * Every operation is a short transaction: take the XvHost's mutex and an
 * exclusive flock on DIR/lock, re-read the state, derive what time changed
 * (ballooning, pending shutdowns, crashes, cpu time: all stored as
 * timestamps), apply the operation, write the changed files atomically,
 * release.  Two XvHost objects (in one process or two) on the same DIR stay
 * consistent.  No lock is held while an operation sleeps or streams data, so
 * operations on different domains really overlap.
 *
 * host.conf
 * ---------
 *   [host]
 *   cpus=8                   physical cpus (1..4096)
 *   nodes=1                  NUMA nodes (1..cpus)
 *   memory_mib=65536         host memory
 *   dom0_memory_mib=4096     Domain-0's memory (used when the host is created)
 *   dom0_vcpus=              Domain-0's vcpus (default: cpus)
 *   max_vcpus=128            per-domain vcpu limit (at most 128)
 *   scheduler=credit         credit | credit2 | rtds
 *   speed=1.0                time scale: 1 = modelled real time, 0 = no sleeping
 *   bridges=xenbr0;br0;virbr0
 *   [guest]                  behaviour of every guest (keys below)
 *   [guest:NAME]             behaviour of the guests named NAME
 *     shutdown=ack|ignore, shutdown-delay-ms=500, crash-after-ms=-1,
 *     poweroff-after-ms=-1, reboot-after-ms=-1, balloon-mib-per-s=1024
 *     (-1: never / no balloon driver).
 *
 * Environment (read at open, overrides host.conf):
 *   XV_SIM_SPEED=FLOAT
 *   XV_SIM_GUEST="NAME:key=value,key=value;*:key=value"  ('*': every guest)
 *   XV_SIM_FAULT="step[=ERROR][@N],..."
 *
 * Timing model (model seconds; real time = model time x speed)
 * ------------------------------------------------------------
 *   create          0.3 s + 0.1 s per GiB of guest memory (allocation+scrub)
 *   save/migrate    0.1 s + 1 s per GiB of guest memory sent (1 GiB/s)
 *   restore         0.3 s + 1 s per GiB of guest memory received
 *   core dump       1 s per GiB
 *   destroy         0.02 s + 0.02 s per GiB (the domain is 'dying' meanwhile)
 *   guest behaviours (delays, crash-after, ballooning rate) are scaled too.
 * Streams carry 1 byte per 256 bytes of guest memory (a 4 GiB guest moves
 * 16 MiB), generated, verified on restore; live migration sends pre-copy
 * rounds of 1, 1/4, 1/16 and 1/64 of memory.  A core dump is a small ELF
 * core: 4096 bytes of headers and notes + guest memory / 256.
 *
 * Fault injection
 * ---------------
 * Every step of every operation (xv_host_sim_fault_steps()) may be made to
 * fail with a libxl error: "step[=ERROR][@N]" fails the N-th passage (default
 * 1st) through 'step' with ERROR (a libxl name such as ERROR_NOMEM or NOMEM;
 * default ERROR_FAIL), once.  Faults come from XV_SIM_FAULT, from the
 * control file DIR/faults (one spec per line, re-read at every step so a test
 * may arm it while a daemon runs; the sim rewrites it as faults fire), and
 * from xv_host_sim_fault_arm().  Device hotplug has the steps "device-add",
 * "device-remove" and "cdrom-insert"; renaming "rename"; the boot id "boot-id".  The operation fails with the message
 * "injected fault at step 'STEP'" and leaves the host as it was.
 *
 * Threads: every function here may be called from any thread.
 */
#pragma once

#include "drivers/libxl/host.h"

G_BEGIN_DECLS

/* Open (creating if needed) the simulated host whose state lives in 'dir'. */
XvHost *xv_host_sim_open(const char *dir, GError **error);

/* TRUE when 'host' is a sim (the control functions below need one). */
gboolean xv_host_is_sim(XvHost *host);

/* ---- guest behaviour --------------------------------------------------- */

typedef enum {
    XV_HOST_SIM_SHUTDOWN_ACK = 0,  /* shut down shutdown_delay_ms after a request */
    XV_HOST_SIM_SHUTDOWN_IGNORE,   /* ignore shutdown and reboot requests */
} XvHostSimShutdownMode;

typedef struct {
    XvHostSimShutdownMode shutdown;
    gint64 shutdown_delay_ms;   /* model ms between request and shutdown */
    gint64 crash_after_ms;      /* crash this long after start; -1: never */
    gint64 poweroff_after_ms;   /* power off by itself; -1: never */
    gint64 reboot_after_ms;     /* reboot by itself; -1: never */
    gint64 balloon_mib_per_s;   /* 0: instantly; -1: no balloon driver */
} XvHostSimBehaviour;

/* The built-in defaults: ack after 500 ms, never crash, 1024 MiB/s. */
void xv_host_sim_behaviour_init(XvHostSimBehaviour *b);
/* Per-domain behaviour; the *_after_ms timers count from now. */
int xv_host_sim_set_behaviour(XvHost *host, uint32_t domid, const XvHostSimBehaviour *b,
                              GError **error);
int xv_host_sim_get_behaviour(XvHost *host, uint32_t domid, XvHostSimBehaviour *out,
                              GError **error);

/* The guest shuts down by itself now (reason poweroff, reboot or crash). */
int xv_host_sim_guest_shutdown(XvHost *host, uint32_t domid, libxl_shutdown_reason reason,
                               GError **error);
int xv_host_sim_crash(XvHost *host, uint32_t domid, GError **error);
int xv_host_sim_poweroff(XvHost *host, uint32_t domid, GError **error);

/* The next operation on 'domid' that passes through 'step' (a fault step
 * name) finds the domain gone: it dies right before, as if another
 * toolstack destroyed it (races with adoption, lookups...).  Once. */
gboolean xv_host_sim_kill_at_step(XvHost *host, const char *step, uint32_t domid,
                                  GError **error);

/* A domain created behind the driver's back, as by `xl create`. */
int xv_host_sim_create_foreign(XvHost *host, libxl_domain_config *config,
                               uint32_t *domid_out, GError **error);

/* ---- host -------------------------------------------------------------- */

/* Reboot the simulated host: every guest is gone (no events: the daemon
 * went down with the host), Domain-0 stays, and the boot id (host.h
 * get_boot_id; DIR/boot-id) changes. */
int xv_host_sim_reboot_host(XvHost *host, GError **error);

void xv_host_sim_set_speed(XvHost *host, double speed);
double xv_host_sim_get_speed(XvHost *host);
/* Free host memory now, in KiB. */
guint64 xv_host_sim_free_memory_kb(XvHost *host);
/* The host directory (owned by the host). */
const char *xv_host_sim_get_dir(XvHost *host);

/* ---- fault injection --------------------------------------------------- */

/* NULL-terminated table of every step name. */
const char *const *xv_host_sim_fault_steps(void);
/* Arm: fail the nth (>= 1) passage through 'step' with 'libxl_error'
 * (a negative ERROR_* code).  FALSE with 'error' set for an unknown step. */
gboolean xv_host_sim_fault_arm(XvHost *host, const char *step, int libxl_error,
                               guint nth, GError **error);
/* Parse and arm a spec "step[=ERROR][@N]". */
gboolean xv_host_sim_fault_arm_spec(XvHost *host, const char *spec, GError **error);
/* Disarm the faults armed through the C API and the environment. */
void xv_host_sim_fault_clear(XvHost *host);

/* libxl error names: "ERROR_NOMEM" <-> ERROR_NOMEM; NULL / 0 when unknown. */
const char *xv_host_sim_error_name(int libxl_error);
int xv_host_sim_error_from_name(const char *name);

G_END_DECLS
