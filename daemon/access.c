/*
 * access.c: the authorization table and, in a polkit build, the polkit
 * check (see access.h).
 */
#include "daemon/access.h"

#include <glib/gi18n.h>

#include "util/xv-error.h"

#ifndef XV_WITH_POLKIT
#define XV_WITH_POLKIT 0
#endif
#if XV_WITH_POLKIT
#include <polkit/polkit.h>
#endif

XvAccessDecision
xv_access_decide(gboolean write, gboolean secure, gboolean privileged, gboolean polkit)
{
    if (!write && !secure)
        return XV_ACCESS_ALLOW;      /* reads: everybody */
    if (privileged)
        return XV_ACCESS_ALLOW;      /* root and the access group: everything */
    if (write && polkit)
        return XV_ACCESS_ASK_POLKIT; /* anybody else's write: polkit decides */
    return XV_ACCESS_DENY;           /* secure XML, or no polkit */
}

#if XV_WITH_POLKIT

struct _XvAccessPolkit {
    PolkitAuthority *authority;   /* main thread; NULL until first needed */
};

gboolean
xv_access_polkit_built(void)
{
    return TRUE;
}

XvAccessPolkit *
xv_access_polkit_new(void)
{
    return g_new0(XvAccessPolkit, 1);
}

void
xv_access_polkit_free(XvAccessPolkit *pk)
{
    if (pk == NULL)
        return;
    g_clear_object(&pk->authority);
    g_free(pk);
}

typedef struct {
    XvAccessPolkitFunc func;
    gpointer data;
    char *what;
    uid_t uid;
} PolkitCheck;

static void
polkit_check_free(PolkitCheck *c)
{
    g_free(c->what);
    g_free(c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PolkitCheck, polkit_check_free)

static void
on_polkit_checked(GObject *source, GAsyncResult *res, gpointer data)
{
    g_autoptr(PolkitCheck) c = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(PolkitAuthorizationResult) result = NULL;

    result = polkit_authority_check_authorization_finish(POLKIT_AUTHORITY(source), res, &error);
    if (result == NULL) {
        g_autoptr(GError) err = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                                            _("'%1$s' needs write access (root or the access group) and polkit, which could grant it to caller uid %2$d, cannot be asked: %3$s"),
                                            c->what, (int)c->uid, error->message);

        c->func(FALSE, err, c->data);
        return;
    }
    if (polkit_authorization_result_get_is_authorized(result)) {
        c->func(TRUE, NULL, c->data);
        return;
    }
    {
        g_autoptr(GError) err = NULL;

        if (polkit_authorization_result_get_is_challenge(result))
            err = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                              _("'%1$s' needs authentication for polkit action '%2$s' and caller uid %3$d did not allow interaction; retry with interactive authorization"),
                              c->what, XV_ACCESS_ACTION_WRITE, (int)c->uid);
        else
            err = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                              _("'%1$s' needs write access: polkit refused action '%2$s' to caller uid %3$d"),
                              c->what, XV_ACCESS_ACTION_WRITE, (int)c->uid);
        c->func(FALSE, err, c->data);
    }
}

void
xv_access_polkit_check(XvAccessPolkit *pk, const XvAccessSubject *subject, const char *what,
                       gboolean interactive, XvAccessPolkitFunc func, gpointer data)
{
    g_autoptr(PolkitCheck) c = g_new0(PolkitCheck, 1);
    g_autoptr(PolkitSubject) subj = NULL;
    g_autoptr(PolkitDetails) details = polkit_details_new();
    g_autoptr(GError) error = NULL;

    c->func = func;
    c->data = data;
    c->what = g_strdup(what);
    c->uid = subject->uid;

    if (subject->bus_name != NULL)
        subj = polkit_system_bus_name_new(subject->bus_name);
    else if (subject->pid > 0)
        /* start time 0: polkit reads it from /proc, which pins the subject
         * to this very process (no pid reuse race across the check). */
        subj = polkit_unix_process_new_for_owner(subject->pid, 0, (gint)subject->uid);
    if (subj == NULL) {
        g_autoptr(GError) err = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                                            _("'%1$s' needs write access and polkit cannot identify caller uid %2$d (no bus name and no process id)"),
                                            what, (int)subject->uid);

        func(FALSE, err, data);
        return;
    }
    if (pk->authority == NULL) {
        pk->authority = polkit_authority_get_sync(NULL, &error);
        if (pk->authority == NULL) {
            g_autoptr(GError) err = g_error_new(XV_ERROR, XV_ERROR_ACCESS_DENIED,
                                                _("'%1$s' needs write access (root or the access group) and polkit, which could grant it to caller uid %2$d, cannot be asked: %3$s"),
                                                what, (int)subject->uid, error->message);

            func(FALSE, err, data);
            return;
        }
    }
    polkit_details_insert(details, "method", what);
    polkit_authority_check_authorization(
        pk->authority, subj, XV_ACCESS_ACTION_WRITE, details,
        interactive ? POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION
                    : POLKIT_CHECK_AUTHORIZATION_FLAGS_NONE,
        NULL, on_polkit_checked, g_steal_pointer(&c));
}

#else /* !XV_WITH_POLKIT */

gboolean
xv_access_polkit_built(void)
{
    return FALSE;
}

XvAccessPolkit *
xv_access_polkit_new(void)
{
    return NULL;
}

void
xv_access_polkit_free(XvAccessPolkit *pk)
{
    g_assert(pk == NULL);
}

void
xv_access_polkit_check(XvAccessPolkit *pk, const XvAccessSubject *subject, const char *what,
                       gboolean interactive, XvAccessPolkitFunc func, gpointer data)
{
    g_assert_not_reached();
}

#endif
