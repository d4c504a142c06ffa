/*
 * xvirsh.h: the command table of xvirsh, the virsh-like CLI.
 *
 * A command is a name, a one-line summary, a list of options in virsh's
 * style (named "--opt VALUE" or "--flag", and positional "data" options
 * filled from bare arguments in order) and a handler.  Handlers print to
 * stdout, report errors through GError (main prints "error: ..." on stderr)
 * and return FALSE on failure, which becomes exit status 1 as in virsh.
 * Single-threaded: the CLI runs one command at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    XV_OPT_BOOL = 0,    /* --flag */
    XV_OPT_STRING,      /* --name VALUE */
    XV_OPT_DATA,        /* --name VALUE, or positional */
} XvOptType;

typedef struct {
    const char *name;
    XvOptType type;
    gboolean required;
    const char *help;
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
    gboolean offline;           /* works without a daemon */
};

/* Option values of one invocation. */
const char *xv_cmd_args_get_string(XvCmdArgs *args, const char *name);
gboolean xv_cmd_args_get_bool(XvCmdArgs *args, const char *name);

/* Command groups, each defined in its own file. */
extern const XvCmdDef xv_cmds_native[];
extern const XvCmdDef xv_cmds_host[];

G_END_DECLS
