/*
 * domain-persist.h: config, status and save-image files; recovery.
 *
 * The functions are declared in domain-priv.h (they need the driver's
 * internals); this header documents the formats.
 *
 * Status file (state_dir/<uuid>.xml), written atomically on every state
 * change and every async job start/end, removed when the domain is inactive
 * and no job runs:
 *
 *   <domstatus state='running' reason='booted' domid='5' persistent='yes'
 *              updated='no'>
 *     <job>[job]\ntype=save\n...</job>      (xv_job_record_to_string, escaped)
 *     <domain type='xen' id='5'>...</domain> (the live definition)
 *   </domstatus>
 *
 * Save image: a 32-byte header
 *   magic "XenvirtSave-v1\n\0" (16 bytes), version (u32 LE, 1),
 *   XML length (u32 LE), flags (u32 LE; bit 0: the domain was running, not
 *   paused), reserved (u32)
 * then the domain XML (secure, inactive), then the host's save stream.
 * Saves write to "<path>.part" beside the target and rename it at the end;
 * the job record names both so a recovery removes a partial one.
 *
 * Recovery at open (xv_persist_load_and_recover):
 *  - configs and autostart markers are loaded, managed-save images noticed;
 *  - each status file is matched with the host's domains (by domid and uuid):
 *    a running domain is re-attached; one found shut down gets its
 *    lifecycle action; one that vanished is marked shut off (reason unknown,
 *    the host cannot tell why);
 *  - a job record is finished or rolled back: start/restore destroy the
 *    half-built domain; a save whose image was complete keeps the image and
 *    the domain is destroyed (state saved), otherwise the partial file is
 *    removed and the domain keeps running; a dump removes its partial file;
 *  - a host domain carrying a defined domain's uuid without status is
 *    re-attached with the persistent definition as its live one.
 *
 * Autostart runs once per host boot: state_dir/driver.boot keeps the host
 * boot identifier of the last autostart.  The identifier is the kernel's
 * /proc/sys/kernel/random/boot_id on the libxl backend (dom0's boot is the
 * host's boot); for the sim host, whose "boot" is the creation of its
 * directory, it is "sim:<inode>:<birth time>" of that directory (statx; the
 * host port has no boot identifier of its own).
 */
#pragma once

#include "drivers/libxl/domain-priv.h"
