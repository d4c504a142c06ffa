/*
 * xvirsh.h: the command table and shared state of xvirsh, the virsh-like CLI.
 *
 * A command is a name, a one-line summary, a list of options in virsh's
 * style (named "--opt VALUE" or "--flag", and positional "data" options
 * filled from bare arguments in order) and a handler.  Handlers print to
 * stdout, report errors through GError (the dispatcher prints "error: ..."
 * on stderr) and return FALSE on failure, which becomes exit status 1 as in
 * virsh.
 *
 * Threads: single-threaded.  The CLI runs one command at a time on the main
 * thread; the only main loop iterations happen inside xv_job_watch() (the
 * progress display) and `event --loop`.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
    XV_OPT_BOOL = 0,    /* --flag */
    XV_OPT_STRING,      /* --name VALUE */
    XV_OPT_DATA,        /* --name VALUE, or positional */
    XV_OPT_ARGV,        /* all remaining bare words (last option only) */
} XvOptType;

typedef enum {
    XV_COMPLETE_NONE = 0,
    XV_COMPLETE_DOMAIN,         /* value is a domain name */
    XV_COMPLETE_FILE,           /* value is a path */
    XV_COMPLETE_FOREIGN,        /* value is the id of a foreign domain (adopt) */
} XvOptComplete;

typedef struct {
    const char *name;
    XvOptType type;
    gboolean required;
    const char *help;
    XvOptComplete complete;
} XvOptDef;

typedef struct _XvCmdArgs XvCmdArgs;
typedef struct _XvCmdDef XvCmdDef;

typedef gboolean (*XvCmdFunc)(const XvCmdDef *cmd, XvCmdArgs *args, GError **error);

struct _XvCmdDef {
    const char *name;
    const char *group;
    const char *summary;
    const XvOptDef *opts;       /* terminated by { NULL } */
    XvCmdFunc func;
    gboolean offline;           /* never needs the daemon */
};

/* Option values of one invocation. */
const char *xv_cmd_args_get_string(XvCmdArgs *args, const char *name);
gboolean xv_cmd_args_get_bool(XvCmdArgs *args, const char *name);
/* All words collected by an XV_OPT_ARGV option (NULL-terminated, owned by args). */
const char *const *xv_cmd_args_get_argv(XvCmdArgs *args, const char *name);
/* Parse an integer option; FALSE with an error naming the option when the
 * value is not a number.  Leaves *value untouched when the option is absent. */
gboolean xv_cmd_args_get_int(XvCmdArgs *args, const char *name, gint64 *value, GError **error);
/* Parse a scaled size ("512M", "2G", "1048576"; default unit KiB) into KiB. */
gboolean xv_cmd_args_get_scaled_kib(XvCmdArgs *args, const char *name, guint64 *kib,
                                    GError **error);

/* State shared by all commands of one xvirsh process.  Owned by main. */
typedef struct {
    char *uri;                  /* as given by -c, or NULL for the default */
    gboolean uri_explicit;      /* -c was given */
    gboolean readonly;
    gboolean quiet;
    gboolean interactive;
    gboolean interrupted;       /* set by SIGINT while a job is watched */
} XvCtl;

extern XvCtl xv_ctl;

/* Command groups, each defined in its own file. */
extern const XvCmdDef xv_cmds_native[];
extern const XvCmdDef xv_cmds_adopt[];
extern const XvCmdDef xv_cmds_domain[];
extern const XvCmdDef xv_cmds_monitor[];
extern const XvCmdDef xv_cmds_host[];

/* Lookup in all groups; NULL when unknown. */
const XvCmdDef *xv_cmd_lookup(const char *name);
/* Iterate all commands: call with *group = 0, *idx = 0 first. */
const XvCmdDef *xv_cmd_next(guint *group, guint *idx);

G_END_DECLS
