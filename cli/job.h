/*
 * job.h: running a long D-Bus call (save, restore, dump, start, ...) with a
 * progress display and Ctrl-C abort.
 *
 * The call is made asynchronously; while it runs, the domain's progress is
 * read from org.xenvirt.Domain1.GetJobProgress (a read that never waits for
 * the job) every XV_JOB_POLL_MS and shown:
 *   - stderr is a terminal: a progress bar with percentage, rate and ETA;
 *   - otherwise, with verbose: virsh-style "Save: [ 45 %]" lines.
 * SIGINT while the call runs sends org.libvirt.Domain.AbortJob; when the
 * call then fails, the error says the job was aborted and the domain is
 * unchanged.  Main thread only; iterates the default main context.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define XV_JOB_POLL_MS 200

typedef enum {
    XV_JOB_KIND_SAVE,           /* domain keeps running when aborted */
    XV_JOB_KIND_DUMP,           /* domain keeps running when aborted */
    XV_JOB_KIND_START,          /* domain stays shut off when aborted */
    XV_JOB_KIND_RESTORE,        /* no domain started, image kept */
} XvJobKind;

typedef struct {
    const char *label;          /* "Save", "Restore", "Dump", "Start" */
    const char *dom_path;       /* domain object for progress/abort; may be NULL */
    const char *dom_name;       /* for messages; may be NULL */
    XvJobKind kind;
    gboolean verbose;
} XvJobSpec;

/* Run path.iface.method(params) as a job; returns the reply or NULL. */
GVariant *xv_job_run(const XvJobSpec *spec, const char *path, const char *iface,
                     const char *method, GVariant *params, const GVariantType *reply_type,
                     GError **error);

/* Format the progress line (exposed for tests of the layout).  width: the
 * terminal width.  eta_ms < 0: unknown. */
char *xv_job_format_bar(const char *label, guint64 processed, guint64 total, double rate_bps,
                        gint64 eta_ms, guint width);

G_END_DECLS
