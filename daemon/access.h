/*
 * access.h: who may call what — the one decision table of xenvirtd's
 * authorization, and (in a build with -Dpolkit=enabled) the polkit check
 * for callers the table sends there.
 *
 * Contract
 * --------
 * xv_access_decide() is pure and thread-safe: server.c's call_admit() asks
 * it once per call, before any work.  Reads are allowed to everybody;
 * writes (and the secure-XML read, which carries passwords) to root and
 * members of the access group; in a polkit build, a write from anybody
 * else is decided by polkit (action XV_ACCESS_ACTION_WRITE); without
 * polkit it is refused.  The secure-XML read is never delegated to polkit.
 *
 * xv_access_polkit_check() runs on the main thread (the thread that runs
 * the daemon's GMainLoop) and calls back there; XvAccessPolkit is owned by
 * the XvDaemon and used from the main thread only.
 */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* The polkit action that covers every write method (data/org.xenvirt.policy). */
#define XV_ACCESS_ACTION_WRITE "org.xenvirt.domain.write"

typedef enum {
    XV_ACCESS_ALLOW = 0,
    XV_ACCESS_DENY,
    XV_ACCESS_ASK_POLKIT,   /* only when 'polkit' was TRUE */
} XvAccessDecision;

/* The table: 'write' the method needs write access, 'secure' it is the
 * secure-XML read, 'privileged' the caller is root or in the access group,
 * 'polkit' the daemon was built with polkit and can ask it. */
XvAccessDecision xv_access_decide(gboolean write, gboolean secure, gboolean privileged,
                                  gboolean polkit);

/* TRUE when this build consults polkit (meson -Dpolkit=enabled). */
gboolean xv_access_polkit_built(void);

typedef struct _XvAccessPolkit XvAccessPolkit;

/* How polkit identifies the caller. */
typedef struct {
    const char *bus_name;   /* system bus: the caller's unique name; or NULL */
    pid_t pid;              /* peer-to-peer: from the socket credentials */
    uid_t uid;
} XvAccessSubject;

/* Polkit's answer: TRUE authorized; FALSE with 'error' set
 * (always XV_ERROR_ACCESS_DENIED: polkit said no, or could not be asked —
 * the daemon fails closed, and says which in the message). */
typedef void (*XvAccessPolkitFunc)(gboolean authorized, const GError *error, gpointer data);

/* NULL without polkit support (xv_access_polkit_built() FALSE). */
XvAccessPolkit *xv_access_polkit_new(void);
void xv_access_polkit_free(XvAccessPolkit *pk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvAccessPolkit, xv_access_polkit_free)

/* Ask polkit whether 'subject' may do XV_ACCESS_ACTION_WRITE for the call
 * 'what' ("iface.member"), letting polkit interact with the user when
 * 'interactive' (the caller set ALLOW_INTERACTIVE_AUTHORIZATION).  Calls
 * 'func' once, on the main thread, never before returning. */
void xv_access_polkit_check(XvAccessPolkit *pk, const XvAccessSubject *subject, const char *what,
                            gboolean interactive, XvAccessPolkitFunc func, gpointer data);

G_END_DECLS
