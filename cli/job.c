/*
 * job.c: long calls with progress and Ctrl-C abort.
 */
#include "cli/job.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/conn.h"
#include "cli/output.h"
#include "cli/xvirsh.h"
#include "util/xv-error.h"

#define XV_DOMAIN1_IFACE "org.xenvirt.Domain1"

typedef struct {
    const XvJobSpec *spec;
    GMainLoop *loop;
    GVariant *reply;
    GError *error;
    gboolean done;
    gboolean aborted;           /* Ctrl-C seen, AbortJob sent */
    gboolean tty;
    gboolean shown;             /* something was printed on stderr */
    int last_pct;
    gboolean poll_pending;
    gboolean abort_pending;
    /* rate estimate */
    guint64 last_processed;
    guint64 last_total;
    gint64 last_time;
    double rate;
} JobWatch;

char *
xv_job_format_bar(const char *label, guint64 processed, guint64 total, double rate_bps,
                  gint64 eta_ms, guint width)
{
    GString *s = g_string_new(NULL);
    g_autofree char *right = NULL;
    int pct = total > 0 ? (int)(processed * 100 / total) : 0;
    const char *unit;
    double r = xv_pretty_capacity((guint64)rate_bps, &unit);
    int bar;

    if (pct > 100)
        pct = 100;
    if (eta_ms >= 0) {
        gint64 secs = (eta_ms + 999) / 1000;

        right = g_strdup_printf("%3d %% %7.1f %s/s ETA %02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                                pct, r, unit, secs / 60, secs % 60);
    } else {
        right = g_strdup_printf("%3d %% %7.1f %s/s ETA --:--", pct, r, unit);
    }
    /* "Label: [####....] right" */
    bar = (int)width - (int)strlen(label) - (int)strlen(right) - 6;
    if (bar > 50)
        bar = 50;
    g_string_append_printf(s, "%s: ", label);
    if (bar >= 10) {
        int fill = bar * pct / 100;

        g_string_append_c(s, '[');
        for (int i = 0; i < bar; i++)
            g_string_append_c(s, i < fill ? '#' : '.');
        g_string_append(s, "] ");
    }
    g_string_append(s, right);
    return g_string_free(s, FALSE);
}

static guint
term_width(void)
{
    struct winsize ws;

    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

static void
show_progress(JobWatch *w, guint64 processed, guint64 total, guint64 remaining, gint64 eta_ms)
{
    gint64 now = g_get_monotonic_time();
    int pct;

    if (total == 0)
        return;
    w->last_total = total;
    if (w->last_time != 0 && now > w->last_time && processed >= w->last_processed) {
        double inst = (double)(processed - w->last_processed) * G_USEC_PER_SEC /
                      (double)(now - w->last_time);

        w->rate = w->rate == 0 ? inst : 0.7 * w->rate + 0.3 * inst;
    }
    w->last_processed = processed;
    w->last_time = now;
    /* virsh: 100 only when nothing remains, else capped at 99 */
    pct = remaining == 0 ? 100 : (int)(100 - remaining * 100 / total);
    if (remaining != 0 && pct >= 100)
        pct = 99;
    if (w->tty) {
        g_autofree char *line = NULL;
        guint width = term_width();

        if (eta_ms < 0 && w->rate > 0)
            eta_ms = (gint64)((double)remaining * 1000 / w->rate);
        line = xv_job_format_bar(w->spec->label, total - remaining, total, w->rate, eta_ms,
                                 width);
        fprintf(stderr, "\r%-*s", (int)width - 1, line);
        fflush(stderr);
        w->shown = TRUE;
    } else if (w->spec->verbose && pct != w->last_pct) {
        fprintf(stderr, "%s: [%3d %%]\n", w->spec->label, pct);
        fflush(stderr);
        w->shown = TRUE;
    }
    w->last_pct = pct;
}

static void
on_progress(GObject *source, GAsyncResult *res, gpointer data)
{
    JobWatch *w = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = xv_call_finish(res, &error);
    const char *job = NULL, *phase = NULL;
    guint64 processed, total, remaining, elapsed;
    gint64 eta;

    w->poll_pending = FALSE;
    if (reply == NULL || w->done)
        return;
    g_variant_get(reply, "(&s&sttttx)", &job, &phase, &processed, &total, &remaining, &elapsed,
                  &eta);
    if (g_str_equal(job, "none"))
        return;
    show_progress(w, processed, total, remaining, eta);
}

static gboolean
on_poll(gpointer data)
{
    JobWatch *w = data;

    if (w->done)
        return G_SOURCE_REMOVE;
    if (w->spec->dom_path != NULL && !w->poll_pending) {
        w->poll_pending = TRUE;
        xv_call_async(w->spec->dom_path, XV_DOMAIN1_IFACE, "GetJobProgress", NULL,
                      G_VARIANT_TYPE("(ssttttx)"), on_progress, w);
    }
    return G_SOURCE_CONTINUE;
}

static void
on_abort_reply(GObject *source, GAsyncResult *res, gpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = xv_call_finish(res, &error);
    JobWatch *w = data;

    w->abort_pending = FALSE;
    if (reply == NULL && !w->done) {
        if (w->shown && w->tty)
            fputc('\n', stderr);
        fprintf(stderr, _("error: cannot abort the job: %s\n"), error->message);
    }
}

static gboolean
on_sigint(gpointer data)
{
    JobWatch *w = data;

    xv_ctl.interrupted = TRUE;
    if (w->done)
        return G_SOURCE_CONTINUE;
    if (w->spec->dom_path == NULL) {
        if (w->shown && w->tty)
            fputc('\n', stderr);
        fprintf(stderr, "%s\n", _("error: this job cannot be aborted: its domain is not known yet"));
        return G_SOURCE_CONTINUE;
    }
    if (!w->aborted) {
        w->aborted = TRUE;
        w->abort_pending = TRUE;
        xv_call_async(w->spec->dom_path, XV_DOMAIN_IFACE, "AbortJob", NULL, NULL, on_abort_reply,
                      w);
    }
    return G_SOURCE_CONTINUE;
}

static void
on_done(GObject *source, GAsyncResult *res, gpointer data)
{
    JobWatch *w = data;

    w->reply = xv_call_finish(res, &w->error);
    w->done = TRUE;
    g_main_loop_quit(w->loop);
}

static void
set_aborted_error(JobWatch *w, GError **error)
{
    const char *name = w->spec->dom_name != NULL ? w->spec->dom_name : "?";

    switch (w->spec->kind) {
    case XV_JOB_KIND_SAVE:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                    _("%1$s of domain '%2$s' was aborted: the domain is unchanged and still "
                      "running, no image was written (%3$s)"),
                    w->spec->label, name, w->error->message);
        break;
    case XV_JOB_KIND_DUMP:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                    _("%1$s of domain '%2$s' was aborted: the domain is unchanged, no dump "
                      "file was written (%3$s)"),
                    w->spec->label, name, w->error->message);
        break;
    case XV_JOB_KIND_START:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                    _("%1$s of domain '%2$s' was aborted: the domain is unchanged and not "
                      "running (%3$s)"),
                    w->spec->label, name, w->error->message);
        break;
    case XV_JOB_KIND_RESTORE:
    default:
        g_set_error(error, XV_ERROR, XV_ERROR_OPERATION_ABORTED,
                    _("%1$s of domain '%2$s' was aborted: no domain was started and the saved "
                      "image is unchanged (%3$s)"),
                    w->spec->label, name, w->error->message);
        break;
    }
}

GVariant *
xv_job_run(const XvJobSpec *spec, const char *path, const char *iface, const char *method,
           GVariant *params, const GVariantType *reply_type, GError **error)
{
    JobWatch w = { 0 };
    guint poll_id, sig_id;

    if (xv_conn_get(error) == NULL) {
        if (params != NULL)
            g_variant_unref(g_variant_ref_sink(params));
        return NULL;
    }
    w.spec = spec;
    w.loop = g_main_loop_new(NULL, FALSE);
    w.tty = isatty(STDERR_FILENO) && g_getenv("XVIRSH_NO_PROGRESS") == NULL;
    w.last_pct = -1;
    xv_ctl.interrupted = FALSE;

    xv_call_async(path, iface, method, params, reply_type, on_done, &w);
    poll_id = g_timeout_add(XV_JOB_POLL_MS, on_poll, &w);
    sig_id = g_unix_signal_add(SIGINT, on_sigint, &w);
    g_main_loop_run(w.loop);
    g_source_remove(poll_id);
    g_source_remove(sig_id);

    if (w.reply != NULL && (w.tty || spec->verbose) && w.last_pct >= 0 && w.last_pct < 100) {
        guint64 total = w.last_total > 0 ? w.last_total : 1;

        w.last_time = 0;        /* keep the rate measured while it ran */
        show_progress(&w, total, total, 0, 0);
    }
    if (w.shown && w.tty)
        fputc('\n', stderr);
    /* let a pending AbortJob or progress reply arrive before the loop goes */
    while (w.poll_pending || w.abort_pending)
        g_main_context_iteration(NULL, TRUE);
    g_main_loop_unref(w.loop);

    if (w.reply == NULL) {
        if (w.aborted)
            set_aborted_error(&w, error);
        else
            g_propagate_error(error, g_steal_pointer(&w.error));
        g_clear_error(&w.error);
        return NULL;
    }
    return w.reply;
}
