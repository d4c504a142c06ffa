/*
 * xl-conf.c: xl.cfg(5) <-> domain model conversion.
 *
 * Parsing goes through libxlutil, exactly as `xl create` does, so that what
 * xl rejects we reject with the same diagnostic.  The mapping onto the
 * domain model follows libvirt's xen_common.c/xen_xl.c (the reference users
 * already rely on); where libvirt and xl disagree the choice and its reason
 * is recorded in docs/xl-conformance.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libxlutil.h>

#include "util/xv-error.h"
#include "xmlconf/domain-conf-priv.h"
#include "xmlconf/xl-conf.h"


#define XL_MIN_GUEST_MIB 64
#define XL_MAX_CPUS 4096
#define XL_VNC_PORT_MIN 5900

/* ====================================================================== */
/* Parsing                                                                */
/* ====================================================================== */

typedef struct {
    char *name;
    int line;
} XlKey;

static void
xl_key_free(XlKey *key)
{
    if (key == NULL)
        return;
    g_free(key->name);
    g_free(key);
}

typedef struct {
    XLU_Config *cfg;
    FILE *report;
    char *report_buf;
    size_t report_len;
    const char *filename;
    GPtrArray *keys;          /* XlKey, in order of first appearance */
    GHashTable *lines;        /* name -> line of the last assignment */
    GHashTable *used;         /* names consumed by the mapping */
    GPtrArray *warnings;      /* borrowed, may be NULL */
    XvDomainDef *def;         /* borrowed */
    gboolean hvm;
} XlParse;

static void
xl_parse_clear(XlParse *ctx)
{
    if (ctx->cfg)
        xlu_cfg_destroy(ctx->cfg);
    if (ctx->report)
        fclose(ctx->report);
    g_free(ctx->report_buf);
    g_clear_pointer(&ctx->keys, g_ptr_array_unref);
    g_clear_pointer(&ctx->lines, g_hash_table_unref);
    g_clear_pointer(&ctx->used, g_hash_table_unref);
}

/* Offset into the report stream, to pick up what libxlutil prints next. */
static size_t
report_mark(XlParse *ctx)
{
    fflush(ctx->report);
    return ctx->report_len;
}

static char *
report_since(XlParse *ctx, size_t mark)
{
    fflush(ctx->report);
    if (ctx->report_len <= mark)
        return NULL;
    return g_strstrip(g_strndup(ctx->report_buf + mark, ctx->report_len - mark));
}

static int
key_line(XlParse *ctx, const char *key)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(ctx->lines, key));
}

static void
use_key(XlParse *ctx, const char *key)
{
    g_hash_table_add(ctx->used, (gpointer)key);
}

static gboolean
has_key(XlParse *ctx, const char *key)
{
    return g_hash_table_contains(ctx->lines, key);
}

static void G_GNUC_PRINTF(2, 3)
add_warning(XlParse *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->warnings == NULL)
        return;
    va_start(ap, fmt);
    g_ptr_array_add(ctx->warnings, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

static void
warn_option(XlParse *ctx, const char *key, const char *option)
{
    add_warning(ctx, _("xl.cfg key '%1$s' option '%2$s' has no domain XML equivalent and was ignored"),
                key, option);
}

/* An error located at the line of 'key': "FILE:LINE: MESSAGE". */
static void G_GNUC_PRINTF(4, 5)
key_error(XlParse *ctx, GError **error, const char *key, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    int line = key ? key_line(ctx, key) : 0;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (line > 0)
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX, "%s:%d: %s",
                    ctx->filename, line, msg);
    else
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX, "%s: %s",
                    ctx->filename, msg);
}

/* A diagnostic libxlutil printed ("FILE: config parsing error in ..."),
 * with the line of 'key' put after the file name when it has none. */
static void
report_error(XlParse *ctx, GError **error, const char *key, size_t mark,
             const char *fallback)
{
    g_autofree char *text = report_since(ctx, mark);
    g_autofree char *prefix = g_strdup_printf("%s: ", ctx->filename);
    int line = key_line(ctx, key);

    if (text == NULL || *text == '\0') {
        key_error(ctx, error, key, "%s", fallback);
        return;
    }
    /* keep only the first diagnostic line */
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    if (g_str_has_prefix(text, prefix) && line > 0)
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX, "%s:%d: %s",
                    ctx->filename, line, text + strlen(prefix));
    else if (g_str_has_prefix(text, ctx->filename))
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX, "%s", text);
    else
        key_error(ctx, error, key, "%s: %s", fallback, text);
}

/* ---- key scanner ------------------------------------------------------ */

/* libxlutil has no way to list the settings it read, so the keys and their
 * lines are found with a small scanner over the text libxlutil has already
 * accepted: statements are IDENT ('=' | '+=') VALUE, ended by ';' or a
 * newline outside brackets. */
static void
scan_keys(XlParse *ctx, const char *data, gsize len)
{
    gsize pos = 0;
    int line = 1;

    while (pos < len) {
        char c = data[pos];

        if (c == '\n') {
            line++;
            pos++;
            continue;
        }
        if (g_ascii_isspace(c) || c == ';') {
            pos++;
            continue;
        }
        if (c == '#') {
            while (pos < len && data[pos] != '\n')
                pos++;
            continue;
        }
        if (g_ascii_isalpha(c) || c == '_') {
            gsize start = pos;
            int depth = 0;
            g_autofree char *name = NULL;

            while (pos < len && (g_ascii_isalnum(data[pos]) || data[pos] == '_' ||
                                 data[pos] == '.'))
                pos++;
            name = g_strndup(data + start, pos - start);
            if (!g_hash_table_contains(ctx->lines, name)) {
                XlKey *key = g_new0(XlKey, 1);
                key->name = g_strdup(name);
                key->line = line;
                g_ptr_array_add(ctx->keys, key);
            }
            g_hash_table_insert(ctx->lines, g_strdup(name), GINT_TO_POINTER(line));

            while (pos < len) {
                c = data[pos];
                if (c == '"' || c == '\'') {
                    char quote = c;
                    pos++;
                    while (pos < len && data[pos] != quote) {
                        if (data[pos] == '\\' && pos + 1 < len)
                            pos++;
                        if (data[pos] == '\n')
                            line++;
                        pos++;
                    }
                } else if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if (c == '#') {
                    while (pos < len && data[pos] != '\n')
                        pos++;
                    continue;
                } else if (c == '\n') {
                    if (depth <= 0)
                        break;
                    line++;
                } else if (c == ';' && depth <= 0) {
                    break;
                }
                pos++;
            }
            continue;
        }
        pos++;
    }
}

/* ---- typed getters ---------------------------------------------------- */

/* Each returns 1 when the key is set, 0 when absent, -1 on error.  A value
 * of the wrong shape is an error carrying libxlutil's own warning text. */

/* Turns the result 'rc' of an xlu_cfg_get_*() call on 'key' into that
 * convention; 'mark' was taken before the call, 'fallback' goes to
 * report_error(). */
static int
getter_result(XlParse *ctx, GError **error, const char *key, size_t mark, int rc,
              const char *fallback)
{
    if (rc == ESRCH)
        return 0;
    if (rc != 0) {
        report_error(ctx, error, key, mark, fallback);
        return -1;
    }
    return 1;
}

static int
get_string(XlParse *ctx, const char *key, const char **value, GError **error)
{
    size_t mark = report_mark(ctx);

    use_key(ctx, key);
    return getter_result(ctx, error, key, mark, xlu_cfg_get_string(ctx->cfg, key, value, 0),
                         _("invalid value"));
}

static int
get_long(XlParse *ctx, const char *key, long *value, GError **error)
{
    size_t mark = report_mark(ctx);

    use_key(ctx, key);
    return getter_result(ctx, error, key, mark, xlu_cfg_get_long(ctx->cfg, key, value, 0),
                         _("invalid number"));
}

static int
get_bounded(XlParse *ctx, const char *key, long min, long max, long *value,
            GError **error)
{
    int rc = get_long(ctx, key, value, error);

    if (rc == 1 && (*value < min || *value > max)) {
        key_error(ctx, error, key, _("value %1$ld of \"%2$s\" is out of range [%3$ld, %4$ld]"),
                  *value, key, min, max);
        return -1;
    }
    return rc;
}

static int
get_bool(XlParse *ctx, const char *key, gboolean *value, GError **error)
{
    long l = 0;
    int rc = get_long(ctx, key, &l, error);

    if (rc == 1)
        *value = l != 0;
    return rc;
}

/* A list of strings; a single string counts as a one-element list when
 * 'string_ok'. */
static int
get_string_list(XlParse *ctx, const char *key, gboolean string_ok,
                GPtrArray **out, GError **error)
{
    XLU_ConfigList *list = NULL;
    int n = 0;
    const char *str;
    size_t mark;
    int rc;

    use_key(ctx, key);
    if (!has_key(ctx, key))
        return 0;
    if (string_ok && xlu_cfg_get_string(ctx->cfg, key, &str, 1) == 0) {
        *out = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(*out, g_strdup(str));
        return 1;
    }
    mark = report_mark(ctx);
    rc = xlu_cfg_get_list(ctx->cfg, key, &list, &n, 0);
    if ((rc = getter_result(ctx, error, key, mark, rc, _("invalid value"))) <= 0)
        return rc;
    *out = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n; i++) {
        const char *item = xlu_cfg_get_listitem(list, i);
        if (item == NULL) {
            g_clear_pointer(out, g_ptr_array_unref);
            key_error(ctx, error, key, _("item %1$d of list \"%2$s\" is not a string"), i, key);
            return -1;
        }
        g_ptr_array_add(*out, g_strdup(item));
    }
    return 1;
}

/* ---- small helpers ---------------------------------------------------- */

static gboolean
parse_uint(const char *str, int base, guint64 *out)
{
    char *end = NULL;
    guint64 v;

    if (str == NULL || *str == '\0' || *str == '-')
        return FALSE;
    errno = 0;
    v = g_ascii_strtoull(str, &end, base);
    if (errno != 0 || end == str || *end != '\0')
        return FALSE;
    *out = v;
    return TRUE;
}

/* Split "k=v,k=v" into pairs; a 'rest_key' (disk's target=) swallows the
 * remainder of the string, commas included. */
typedef struct {
    char *key;
    char *value;     /* NULL for a bare word */
} XlOpt;

static void
xl_opt_free(XlOpt *opt)
{
    g_free(opt->key);
    g_free(opt->value);
    g_free(opt);
}

static GPtrArray *
split_options(const char *spec)
{
    GPtrArray *opts = g_ptr_array_new_with_free_func((GDestroyNotify)xl_opt_free);
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);

    for (guint i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        char *eq;
        XlOpt *opt;

        if (*p == '\0')
            continue;
        opt = g_new0(XlOpt, 1);
        eq = strchr(p, '=');
        if (eq) {
            opt->key = g_strndup(p, eq - p);
            opt->value = g_strdup(eq + 1);
        } else {
            opt->key = g_strdup(p);
        }
        g_ptr_array_add(opts, opt);
    }
    return opts;
}

static void
ensure_xenbus(XvDomainDef *def, XvControllerDef **out)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        XvControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == XV_CONTROLLER_XENBUS) {
            *out = c;
            return;
        }
    }
    XvControllerDef *c = g_new0(XvControllerDef, 1);
    c->type = XV_CONTROLLER_XENBUS;
    g_ptr_array_insert(def->controllers, 0, c);
    *out = c;
}

/* ---- CPU feature names: libxl's spelling <-> libvirt's ---------------- */

static const char *const cpu_feature_names[][2] = {
    /* libxl name, libvirt name */
    { "htt", "ht" },
    { "sse3", "pni" },
    { "pclmulqdq", "pclmuldq" },
    { "dscpl", "ds_cpl" },
    { "cntxid", "cid" },
    { "sse4_1", "sse4.1" },
    { "sse4_2", "sse4.2" },
    { "lahfsahf", "lahf_lm" },
    { "cmplegacy", "cmp_legacy" },
    { "altmovcr8", "cr8legacy" },
    { "nodeid", "nodeid_msr" },
    { "page1gb", "pdpe1gb" },
    { "tsc-deadline", "tsc-deadline" },
    { "ibrsb", "spec-ctrl" },
    { "arch-caps", "arch-capabilities" },
};

static const char *
cpu_feature_translate(const char *name, gboolean from_libxl)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cpu_feature_names); i++) {
        if (from_libxl && g_str_equal(name, cpu_feature_names[i][0]))
            return cpu_feature_names[i][1];
        if (!from_libxl && g_str_equal(name, cpu_feature_names[i][1]))
            return cpu_feature_names[i][0];
    }
    return name;
}

static void
cpu_add_feature(XvDomainDef *def, const char *name, XvCpuFeaturePolicy policy)
{
    XvCpuFeature *f = g_new0(XvCpuFeature, 1);

    f->name = g_strdup(name);
    f->policy = policy;
    g_ptr_array_add(def->cpu.features, f);
}

/* ---- sections --------------------------------------------------------- */

static gboolean
parse_general(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str = NULL;
    int rc;

    if ((rc = get_string(ctx, "name", &str, error)) < 0)
        return FALSE;
    if (rc == 0) {
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX,
                    _("%1$s: domain name must be specified (key 'name')"), ctx->filename);
        return FALSE;
    }
    def->name = g_strdup(str);

    if ((rc = get_string(ctx, "uuid", &str, error)) < 0)
        return FALSE;
    if (rc == 1) {
        g_autoptr(GError) local = NULL;
        if (!xv_uuid_parse(str, def->uuid, &local)) {
            key_error(ctx, error, "uuid", _("failed to parse UUID: %1$s"), str);
            return FALSE;
        }
    } else {
        xv_uuid_generate(def->uuid);
    }

    def->os.type = XV_DOMAIN_OS_XEN;
    if ((rc = get_string(ctx, "type", &str, error)) < 0)
        return FALSE;
    if (rc == 1) {
        if (g_str_equal(str, "pv"))
            def->os.type = XV_DOMAIN_OS_XEN;
        else if (g_str_equal(str, "pvh"))
            def->os.type = XV_DOMAIN_OS_XENPVH;
        else if (g_str_equal(str, "hvm"))
            def->os.type = XV_DOMAIN_OS_HVM;
        else {
            key_error(ctx, error, "type", _("Invalid domain type %1$s."), str);
            return FALSE;
        }
        use_key(ctx, "builder");
    } else {
        if ((rc = get_string(ctx, "builder", &str, error)) < 0)
            return FALSE;
        if (rc == 1) {
            if (g_str_equal(str, "hvm"))
                def->os.type = XV_DOMAIN_OS_HVM;
            else if (!g_str_equal(str, "generic") && !g_str_equal(str, "linux")) {
                key_error(ctx, error, "builder", _("Invalid domain type %1$s."), str);
                return FALSE;
            }
        }
    }
    ctx->hvm = def->os.type == XV_DOMAIN_OS_HVM;
    def->os.arch = g_strdup("x86_64");
    def->os.machine = g_strdup(def->os.type == XV_DOMAIN_OS_HVM ? "xenfv" :
                               def->os.type == XV_DOMAIN_OS_XENPVH ? "xenpvh" : "xenpv");
    return TRUE;
}

static gboolean
parse_memory(XlParse *ctx, GError **error)
{
    long memory = XL_MIN_GUEST_MIB * 2, maxmem;
    int rc;

    if ((rc = get_bounded(ctx, "memory", 0, G_MAXINT32, &memory, error)) < 0)
        return FALSE;
    maxmem = memory;
    if ((rc = get_bounded(ctx, "maxmem", 0, G_MAXINT32, &maxmem, error)) < 0)
        return FALSE;
    ctx->def->current_memory_kb = (guint64)memory * 1024;
    ctx->def->memory_kb = (guint64)maxmem * 1024;
    return TRUE;
}

static gboolean
parse_lifecycle_one(XlParse *ctx, const char *key, XvDomainLifecycleAction dflt,
                    XvDomainLifecycleAction *out, GError **error)
{
    const char *str = NULL;
    int rc, v;

    *out = dflt;
    if ((rc = get_string(ctx, key, &str, error)) < 0)
        return FALSE;
    if (rc == 0)
        return TRUE;
    if (g_str_equal(str, "soft-reset")) {
        add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                    key, str);
        return TRUE;
    }
    if ((v = xv_domain_lifecycle_action_from_string(str)) < 0) {
        key_error(ctx, error, key, _("invalid value \"%1$s\" for \"%2$s\""), str, key);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

static gboolean
parse_lifecycle(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str;
    int rc;

    if (!parse_lifecycle_one(ctx, "on_poweroff", XV_DOMAIN_LIFECYCLE_DESTROY, &def->on_poweroff, error) ||
        !parse_lifecycle_one(ctx, "on_reboot", XV_DOMAIN_LIFECYCLE_RESTART, &def->on_reboot, error) ||
        !parse_lifecycle_one(ctx, "on_crash", XV_DOMAIN_LIFECYCLE_RESTART, &def->on_crash, error))
        return FALSE;
    if ((rc = get_string(ctx, "on_watchdog", &str, error)) < 0)
        return FALSE;
    if (rc == 1)
        add_warning(ctx, _("xl.cfg key '%1$s' has no domain XML equivalent and was ignored"),
                    "on_watchdog");
    return TRUE;
}

static gboolean
parse_vcpus(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    long vcpus = 1, maxvcpus;
    int rc;

    if ((rc = get_bounded(ctx, "vcpus", 1, XV_DOMAIN_MAX_VCPUS, &vcpus, error)) < 0)
        return FALSE;
    maxvcpus = vcpus;
    if ((rc = get_bounded(ctx, "maxvcpus", 1, XV_DOMAIN_MAX_VCPUS, &maxvcpus, error)) < 0)
        return FALSE;
    if (maxvcpus < vcpus) {
        key_error(ctx, error, "maxvcpus",
                  _("maxvcpus (%1$ld) must be greater than or equal to vcpus (%2$ld)"),
                  maxvcpus, vcpus);
        return FALSE;
    }
    def->vcpus = vcpus;
    def->maxvcpus = maxvcpus;
    def->placement = XV_DOMAIN_PLACEMENT_STATIC;

    /* cpus: a string pins every vcpu to the same set; a list pins vcpu i to
     * item i. */
    const char *str = NULL;
    if (xlu_cfg_get_string(ctx->cfg, "cpus", &str, 1) == 0) {
        use_key(ctx, "cpus");
        if (g_str_equal(str, "all"))
            ;
        else if (g_str_has_prefix(str, "nodes:") || g_str_has_prefix(str, "node:")) {
            add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                        "cpus", str);
        } else {
            g_autoptr(GError) local = NULL;
            def->cpuset = xv_bitmap_parse(str, XL_MAX_CPUS, &local);
            if (def->cpuset == NULL) {
                key_error(ctx, error, "cpus", _("invalid value \"%1$s\" for \"%2$s\": %3$s"),
                          str, "cpus", local->message);
                return FALSE;
            }
        }
    } else {
        g_autoptr(GPtrArray) pins = NULL;

        if ((rc = get_string_list(ctx, "cpus", FALSE, &pins, error)) < 0)
            return FALSE;
        for (guint i = 0; pins && i < pins->len; i++) {
            const char *item = g_ptr_array_index(pins, i);
            g_autoptr(GError) local = NULL;
            XvVcpuPin *pin;

            if (g_str_equal(item, "all"))
                continue;
            if (i >= def->maxvcpus) {
                add_warning(ctx, _("xl.cfg key 'cpus' item %1$u pins a vcpu beyond maxvcpus and was ignored"), i);
                continue;
            }
            pin = g_new0(XvVcpuPin, 1);
            pin->vcpu = i;
            pin->cpuset = xv_bitmap_parse(item, XL_MAX_CPUS, &local);
            if (pin->cpuset == NULL) {
                xv_vcpu_pin_free(pin);
                key_error(ctx, error, "cpus", _("invalid value \"%1$s\" for \"%2$s\": %3$s"),
                          item, "cpus", local->message);
                return FALSE;
            }
            g_ptr_array_add(def->cputune.vcpupins, pin);
        }
    }

    long weight;
    if ((rc = get_bounded(ctx, "cpu_weight", 1, 65535, &weight, error)) < 0)
        return FALSE;
    if (rc == 1) {
        def->cputune.has_shares = TRUE;
        def->cputune.shares = weight;
    }
    return TRUE;
}

static gboolean
parse_features(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str = NULL;
    gboolean b;
    int rc;

    if ((rc = get_string(ctx, "tsc_mode", &str, error)) < 0)
        return FALSE;
    if (rc == 1) {
        static const char *const numeric[] = { "0", "1", "2", "3" };
        static const char *const names[] = { "default", "always_emulate", "native", "native_paravirt" };
        XvTimerDef *timer;
        int mode = -1;

        for (guint i = 0; i < G_N_ELEMENTS(names); i++)
            if (g_str_equal(str, names[i]) || g_str_equal(str, numeric[i]))
                mode = i;
        if (mode < 0) {
            key_error(ctx, error, "tsc_mode", _("invalid value \"%1$s\" for \"%2$s\""), str, "tsc_mode");
            return FALSE;
        }
        timer = g_new0(XvTimerDef, 1);
        timer->name = XV_TIMER_TSC;
        timer->present = XV_TRISTATE_ON;
        timer->mode = mode == 1 ? XV_TIMER_MODE_EMULATE : mode == 2 ? XV_TIMER_MODE_NATIVE :
                      mode == 3 ? XV_TIMER_MODE_PARAVIRT : XV_TIMER_MODE_AUTO;
        g_ptr_array_add(def->clock.timers, timer);
    }

    if (ctx->hvm) {
        static const struct { const char *key; XvDomainFeature feature; } defaults_on[] = {
            { "pae", XV_DOMAIN_FEATURE_PAE },
            { "acpi", XV_DOMAIN_FEATURE_ACPI },
            { "apic", XV_DOMAIN_FEATURE_APIC },
        };
        for (guint i = 0; i < G_N_ELEMENTS(defaults_on); i++) {
            b = TRUE;
            if (get_bool(ctx, defaults_on[i].key, &b, error) < 0)
                return FALSE;
            if (b)
                def->features.state[defaults_on[i].feature] = XV_TRISTATE_ON;
        }
        b = TRUE;
        if (get_bool(ctx, "hap", &b, error) < 0)
            return FALSE;
        if (!b)
            def->features.state[XV_DOMAIN_FEATURE_HAP] = XV_TRISTATE_OFF;

        /* viridian: a boolean, or a list of enlightenment groups */
        g_autoptr(GPtrArray) groups = NULL;
        if (xlu_cfg_get_list(ctx->cfg, "viridian", NULL, NULL, 1) == 0) {
            if (get_string_list(ctx, "viridian", FALSE, &groups, error) < 0)
                return FALSE;
            for (guint i = 0; i < groups->len; i++) {
                const char *g = g_ptr_array_index(groups, i);
                if (g_str_equal(g, "base") || g_str_equal(g, "defaults"))
                    def->features.state[XV_DOMAIN_FEATURE_VIRIDIAN] = XV_TRISTATE_ON;
                else
                    add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                                "viridian", g);
            }
        } else {
            b = FALSE;
            if (get_bool(ctx, "viridian", &b, error) < 0)
                return FALSE;
            if (b)
                def->features.state[XV_DOMAIN_FEATURE_VIRIDIAN] = XV_TRISTATE_ON;
        }

        if ((rc = get_bool(ctx, "hpet", &b, error)) < 0)
            return FALSE;
        if (rc == 1) {
            XvTimerDef *timer = g_new0(XvTimerDef, 1);
            timer->name = XV_TIMER_HPET;
            timer->present = b ? XV_TRISTATE_ON : XV_TRISTATE_OFF;
            g_ptr_array_add(def->clock.timers, timer);
        }
    }

    if ((rc = get_bool(ctx, "e820_host", &b, error)) < 0)
        return FALSE;
    if (rc == 1 && b) {
        def->features.state[XV_DOMAIN_FEATURE_XEN] = XV_TRISTATE_ON;
        def->features.xen_e820_host = XV_TRISTATE_ON;
    }

    if ((rc = get_string(ctx, "passthrough", &str, error)) < 0)
        return FALSE;
    if (rc == 1) {
        if (g_str_equal(str, "disabled")) {
            def->features.state[XV_DOMAIN_FEATURE_XEN] = XV_TRISTATE_ON;
            def->features.xen_passthrough = XV_TRISTATE_OFF;
        } else if (g_str_equal(str, "enabled") || g_str_equal(str, "sync_pt") ||
                   g_str_equal(str, "share_pt")) {
            def->features.state[XV_DOMAIN_FEATURE_XEN] = XV_TRISTATE_ON;
            def->features.xen_passthrough = XV_TRISTATE_ON;
            if (g_str_equal(str, "sync_pt"))
                def->features.xen_passthrough_mode = XV_DOMAIN_XEN_PASSTHROUGH_MODE_SYNC_PT;
            else if (g_str_equal(str, "share_pt"))
                def->features.xen_passthrough_mode = XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT;
        } else if (!g_str_equal(str, "default")) {
            key_error(ctx, error, "passthrough", _("invalid value \"%1$s\" for \"%2$s\""),
                      str, "passthrough");
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
parse_time(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    gboolean localtime = FALSE;
    long offset = 0;

    if (get_bool(ctx, "localtime", &localtime, error) < 0)
        return FALSE;
    if (ctx->hvm) {
        if (get_long(ctx, "rtc_timeoffset", &offset, error) < 0)
            return FALSE;
        def->clock.offset = XV_CLOCK_OFFSET_VARIABLE;
        def->clock.has_adjustment = TRUE;
        def->clock.adjustment = offset;
        def->clock.basis = g_strdup(localtime ? "localtime" : "utc");
    } else {
        /* PV guests have no emulated RTC: the offset is fixed. */
        def->clock.offset = localtime ? XV_CLOCK_OFFSET_LOCALTIME : XV_CLOCK_OFFSET_UTC;
        def->clock.adjustment_reset = TRUE;
    }
    return TRUE;
}

/* rate=NUM[GMK]?[Bb]/s[@INTERVAL]: validated by libxlutil, converted to
 * KiB/s the way libvirt does (K = 1, M = 1024, G = 1024^2, b = /8). */
static gboolean
parse_vif_rate(XlParse *ctx, const char *rate, guint64 *kbytes, GError **error)
{
    libxl_device_nic nic;
    size_t mark = report_mark(ctx);
    g_autofree char *trate = g_strdup(rate);
    char *at, *end = NULL;
    guint64 v;
    int rc;

    libxl_device_nic_init(&nic);
    rc = xlu_vif_parse_rate(ctx->cfg, rate, &nic);
    libxl_device_nic_dispose(&nic);
    if (rc != 0) {
        report_error(ctx, error, "vif", mark, _("invalid rate"));
        return FALSE;
    }
    if ((at = strchr(trate, '@')))
        *at = '\0';
    v = g_ascii_strtoull(trate, &end, 10);
    if (*end == 'G')
        v *= 1024 * 1024, end++;
    else if (*end == 'M')
        v *= 1024, end++;
    else if (*end == 'K')
        end++;
    if (*end == 'b')
        v /= 8;
    *kbytes = v;
    return TRUE;
}

static gboolean
parse_vif_bridge(XvNetDef *net, const char *bridge)
{
    const char *dot = strchr(bridge, '.');
    const char *colon = strchr(bridge, ':');
    guint64 tag;

    if (dot) {
        net->bridge = g_strndup(bridge, dot - bridge);
        if (!parse_uint(dot + 1, 10, &tag) || tag > 4095)
            return FALSE;
        net->vlan_tags = g_array_new(FALSE, FALSE, sizeof(guint));
        guint t = tag;
        g_array_append_val(net->vlan_tags, t);
        net->virtualport_type = g_strdup("openvswitch");
    } else if (colon) {
        g_auto(GStrv) parts = g_strsplit(bridge, ":", -1);
        net->bridge = g_strdup(parts[0]);
        net->vlan_tags = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint i = 1; parts[i]; i++) {
            if (!parse_uint(parts[i], 10, &tag) || tag > 4095)
                return FALSE;
            guint t = tag;
            g_array_append_val(net->vlan_tags, t);
        }
        net->vlan_trunk = TRUE;
        net->virtualport_type = g_strdup("openvswitch");
    } else {
        net->bridge = g_strdup(bridge);
    }
    return TRUE;
}

static gboolean
parse_vifs(XlParse *ctx, GError **error)
{
    g_autoptr(GPtrArray) vifs = NULL;
    int rc;

    if ((rc = get_string_list(ctx, "vif", FALSE, &vifs, error)) <= 0)
        return rc == 0;

    for (guint i = 0; i < vifs->len; i++) {
        const char *spec = g_ptr_array_index(vifs, i);
        g_autoptr(GPtrArray) opts = split_options(spec);
        g_autoptr(XvNetDef) net = g_new0(XvNetDef, 1);
        const char *mac = NULL, *bridge = NULL, *script = NULL, *model = NULL,
                   *type = NULL, *vifname = NULL, *ip = NULL, *rate = NULL,
                   *backend = NULL, *mtu = NULL;

        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            const char *v = o->value ? o->value : "";

            if (g_str_equal(o->key, "mac")) mac = v;
            else if (g_str_equal(o->key, "bridge")) bridge = v;
            else if (g_str_equal(o->key, "script")) script = v;
            else if (g_str_equal(o->key, "model")) model = v;
            else if (g_str_equal(o->key, "type")) type = v;
            else if (g_str_equal(o->key, "vifname")) vifname = v;
            else if (g_str_equal(o->key, "ip")) ip = v;
            else if (g_str_equal(o->key, "rate")) rate = v;
            else if (g_str_equal(o->key, "backend")) backend = v;
            else if (g_str_equal(o->key, "mtu")) mtu = v;
            else
                warn_option(ctx, "vif", o->key);
        }

        if (mac && *mac) {
            g_autoptr(GError) local = NULL;
            if (!xv_mac_parse(mac, net->mac, &local)) {
                key_error(ctx, error, "vif", _("invalid mac address '%1$s' in vif `%2$s'"), mac, spec);
                return FALSE;
            }
        } else {
            xv_mac_generate(net->mac);
            net->mac_generated = TRUE;
        }

        if ((bridge && *bridge) || g_strcmp0(script, "vif-bridge") == 0 ||
            g_strcmp0(script, "vif-vnic") == 0) {
            net->type = XV_NET_TYPE_BRIDGE;
            if (!parse_vif_bridge(net, bridge && *bridge ? bridge : "xenbr0")) {
                key_error(ctx, error, "vif", _("invalid bridge '%1$s' in vif `%2$s'"), bridge, spec);
                return FALSE;
            }
        } else {
            net->type = XV_NET_TYPE_ETHERNET;
        }

        if (ip && *ip) {
            g_auto(GStrv) addrs = g_strsplit(ip, " ", -1);
            net->ips = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_ip_free);
            for (guint k = 0; addrs[k]; k++) {
                XvNetIp *nip;
                char *slash;
                guint64 prefix = 0;

                if (*addrs[k] == '\0')
                    continue;
                nip = g_new0(XvNetIp, 1);
                if ((slash = strchr(addrs[k], '/'))) {
                    *slash = '\0';
                    if (!parse_uint(slash + 1, 10, &prefix) || prefix > 128) {
                        xv_net_ip_free(nip);
                        key_error(ctx, error, "vif", _("invalid ip '%1$s' in vif `%2$s'"), ip, spec);
                        return FALSE;
                    }
                }
                nip->address = g_strdup(addrs[k]);
                nip->prefix = prefix;
                nip->family = g_strdup(strchr(addrs[k], ':') ? "ipv6" : "ipv4");
                g_ptr_array_add(net->ips, nip);
            }
        }

        if (script && *script)
            net->script = g_strdup(script);

        if (model && *model)
            net->model = g_strdup(model);
        else if (type && g_str_equal(type, "vif"))
            net->model = g_strdup("netfront");
        if (type && !g_str_equal(type, "vif") && !g_str_equal(type, "ioemu")) {
            key_error(ctx, error, "vif", _("invalid vif type '%1$s' in vif `%2$s'"), type, spec);
            return FALSE;
        }

        if (vifname && *vifname)
            net->ifname = g_strdup(vifname);
        if (backend && *backend)
            net->backend_domain = g_strdup(backend);
        if (mtu && *mtu) {
            guint64 m;
            if (!parse_uint(mtu, 10, &m) || m == 0 || m > G_MAXINT) {
                key_error(ctx, error, "vif", _("invalid mtu '%1$s' in vif `%2$s'"), mtu, spec);
                return FALSE;
            }
            net->mtu = m;
        }
        if (rate && *rate) {
            guint64 kb;
            if (!parse_vif_rate(ctx, rate, &kb, error))
                return FALSE;
            net->outbound.present = TRUE;
            net->outbound.average = kb;
        }
        g_ptr_array_add(ctx->def->nets, g_steal_pointer(&net));
    }
    return TRUE;
}

static gboolean
parse_pcis(XlParse *ctx, GError **error)
{
    g_autoptr(GPtrArray) pcis = NULL;
    gboolean dflt_permissive = FALSE, dflt_seize = FALSE;
    int rc_perm, rc_seize, rc;

    if ((rc_perm = get_bool(ctx, "pci_permissive", &dflt_permissive, error)) < 0 ||
        (rc_seize = get_bool(ctx, "pci_seize", &dflt_seize, error)) < 0)
        return FALSE;
    if ((rc = get_string_list(ctx, "pci", FALSE, &pcis, error)) <= 0)
        return rc == 0;

    for (guint i = 0; i < pcis->len; i++) {
        const char *spec = g_ptr_array_index(pcis, i);
        libxl_device_pci pci;
        size_t mark = report_mark(ctx);
        g_autoptr(XvHostdevDef) dev = g_new0(XvHostdevDef, 1);
        const char *comma;

        libxl_device_pci_init(&pci);
        rc = xlu_pci_parse_spec_string(ctx->cfg, &pci, spec);
        if (rc != 0) {
            g_autofree char *text = report_since(ctx, mark);
            libxl_device_pci_dispose(&pci);
            if (text && *text)
                key_error(ctx, error, "pci", _("config parsing error in pci: %1$s in `%2$s'"), text, spec);
            else
                key_error(ctx, error, "pci", _("config parsing error in pci: invalid PCI_SPEC_STRING `%1$s'"), spec);
            return FALSE;
        }
        dev->type = XV_HOSTDEV_PCI;
        dev->domain = pci.domain;
        dev->bus = pci.bus;
        dev->slot = pci.dev;
        dev->function = pci.func;
        dev->managed = dflt_seize;
        if (rc_perm == 1)
            dev->write_filtering = dflt_permissive ? XV_TRISTATE_OFF : XV_TRISTATE_ON;
        if (pci.vdevfn) {
            dev->has_guest_address = TRUE;
            dev->guest_slot = (pci.vdevfn >> 3) & 0x1f;
            dev->guest_function = pci.vdevfn & 0x7;
        }
        libxl_device_pci_dispose(&pci);

        if ((comma = strchr(spec, ','))) {
            g_autoptr(GPtrArray) opts = split_options(comma + 1);
            for (guint j = 0; j < opts->len; j++) {
                XlOpt *o = g_ptr_array_index(opts, j);
                gboolean on = o->value && atoi(o->value) != 0;

                if (g_str_equal(o->key, "permissive"))
                    dev->write_filtering = on ? XV_TRISTATE_OFF : XV_TRISTATE_ON;
                else if (g_str_equal(o->key, "seize"))
                    dev->managed = on;
                else
                    warn_option(ctx, "pci", o->key);
            }
        }
        g_ptr_array_add(ctx->def->hostdevs, g_steal_pointer(&dev));
    }
    return TRUE;
}

static gboolean
parse_sound(XlParse *ctx, GError **error)
{
    static const char *const models[] = {
        "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7", "virtio",
    };
    const char *str;
    int rc;

    if (!ctx->hvm)
        return TRUE;
    if ((rc = get_string(ctx, "soundhw", &str, error)) <= 0)
        return rc == 0;
    if (g_str_equal(str, "all"))
        str = "sb16,es1370";
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    for (guint i = 0; parts[i]; i++) {
        gboolean known = FALSE;
        for (guint j = 0; j < G_N_ELEMENTS(models); j++)
            known |= g_str_equal(parts[i], models[j]);
        if (!known) {
            key_error(ctx, error, "soundhw", _("invalid value \"%1$s\" for \"%2$s\""), parts[i], "soundhw");
            return FALSE;
        }
        XvSoundDef *sound = g_new0(XvSoundDef, 1);
        sound->model = g_strdup(parts[i]);
        g_ptr_array_add(ctx->def->sounds, sound);
    }
    return TRUE;
}

static XvGraphicsDef *
graphics_new(XvGraphicsType type)
{
    XvGraphicsDef *g = g_new0(XvGraphicsDef, 1);

    g->type = type;
    g->port = -1;
    return g;
}

static gboolean
parse_vfb(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str;
    gboolean b;
    long l;
    int rc;

    if (ctx->hvm) {
        gboolean vnc = FALSE, sdl = FALSE;

        if (get_bool(ctx, "vnc", &vnc, error) < 0 || get_bool(ctx, "sdl", &sdl, error) < 0)
            return FALSE;
        if (vnc) {
            XvGraphicsDef *g = graphics_new(XV_GRAPHICS_VNC);
            g_ptr_array_add(def->graphics, g);
            b = TRUE;
            if (get_bool(ctx, "vncunused", &b, error) < 0)
                return FALSE;
            g->autoport = b;
            l = 0;
            if ((rc = get_bounded(ctx, "vncdisplay", 0, 65535 - XL_VNC_PORT_MIN, &l, error)) < 0)
                return FALSE;
            if (!g->autoport)
                g->port = XL_VNC_PORT_MIN + l;
            if ((rc = get_string(ctx, "vnclisten", &str, error)) < 0)
                return FALSE;
            if (rc == 1)
                g->listen = g_strdup(str);
            if ((rc = get_string(ctx, "vncpasswd", &str, error)) < 0)
                return FALSE;
            if (rc == 1 && *str)
                g->passwd = g_strdup(str);
            if ((rc = get_string(ctx, "keymap", &str, error)) < 0)
                return FALSE;
            if (rc == 1)
                g->keymap = g_strdup(str);
        }
        if (sdl) {
            XvGraphicsDef *g = graphics_new(XV_GRAPHICS_SDL);
            g_ptr_array_add(def->graphics, g);
            if ((rc = get_string(ctx, "display", &str, error)) < 0)
                return FALSE;
            if (rc == 1)
                g->display = g_strdup(str);
            if ((rc = get_string(ctx, "xauthority", &str, error)) < 0)
                return FALSE;
            if (rc == 1)
                g->xauth = g_strdup(str);
            b = FALSE;
            if (get_bool(ctx, "opengl", &b, error) < 0)
                return FALSE;
            if (b)
                g->gl = XV_TRISTATE_ON;
        }
        if (!vnc) {
            /* consumed: meaningless without vnc */
            use_key(ctx, "vncunused");
        }
        return TRUE;
    }

    /* PV/PVH: vfb = [ "vnc=1,vnclisten=...", ... ] */
    g_autoptr(GPtrArray) vfbs = NULL;
    if ((rc = get_string_list(ctx, "vfb", FALSE, &vfbs, error)) <= 0)
        return rc == 0;
    for (guint i = 0; i < vfbs->len; i++) {
        const char *spec = g_ptr_array_index(vfbs, i);
        g_autoptr(GPtrArray) opts = split_options(spec);
        gboolean is_sdl = strstr(spec, "type=sdl") != NULL;
        XvGraphicsDef *g;

        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            if (g_str_equal(o->key, "sdl") && o->value && atoi(o->value))
                is_sdl = TRUE;
            if (g_str_equal(o->key, "vnc") && o->value && atoi(o->value))
                is_sdl = FALSE;
        }
        g = graphics_new(is_sdl ? XV_GRAPHICS_SDL : XV_GRAPHICS_VNC);
        g_ptr_array_add(def->graphics, g);
        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            const char *v = o->value ? o->value : "";

            if (g_str_equal(o->key, "type") || g_str_equal(o->key, "vnc") ||
                g_str_equal(o->key, "sdl"))
                continue;
            if (!is_sdl && g_str_equal(o->key, "vncunused"))
                g->autoport = g_str_equal(v, "1");
            else if (!is_sdl && g_str_equal(o->key, "vnclisten"))
                g->listen = g_strdup(v);
            else if (!is_sdl && g_str_equal(o->key, "vncpasswd"))
                g->passwd = g_strdup(v);
            else if (!is_sdl && g_str_equal(o->key, "keymap"))
                g->keymap = g_strdup(v);
            else if (!is_sdl && g_str_equal(o->key, "vncdisplay")) {
                guint64 d;
                if (!parse_uint(v, 10, &d) || d > 65535 - XL_VNC_PORT_MIN) {
                    key_error(ctx, error, "vfb", _("invalid vncdisplay '%1$s' in vfb `%2$s'"), v, spec);
                    return FALSE;
                }
                g->port = XL_VNC_PORT_MIN + d;
            } else if (is_sdl && g_str_equal(o->key, "display"))
                g->display = g_strdup(v);
            else if (is_sdl && g_str_equal(o->key, "xauthority"))
                g->xauth = g_strdup(v);
            else if (is_sdl && g_str_equal(o->key, "opengl")) {
                if (atoi(v))
                    g->gl = XV_TRISTATE_ON;
            } else
                warn_option(ctx, "vfb", o->key);
        }
    }
    return TRUE;
}

/* xend's character device syntax: pty, vc, null, stdio, /dev/X, file:P,
 * pipe:P, tcp:H:P[,server][,nowait], telnet:..., udp:H:P[@H:P], unix:P[,server]. */
static XvChrDef *
parse_chr(const char *value)
{
    g_autoptr(XvChrDef) chr = g_new0(XvChrDef, 1);
    g_autofree char *prefix = NULL;
    const char *rest = "";
    const char *colon;
    int type;

    if (g_path_is_absolute(value)) {
        chr->type = XV_CHR_TYPE_DEV;
        chr->path = g_strdup(value);
        return g_steal_pointer(&chr);
    }
    if ((colon = strchr(value, ':'))) {
        prefix = g_strndup(value, colon - value);
        rest = colon + 1;
    } else {
        prefix = g_strdup(value);
    }
    if (g_str_equal(prefix, "telnet")) {
        type = XV_CHR_TYPE_TCP;
        chr->protocol = g_strdup("telnet");
    } else if ((type = xv_chr_type_from_string(prefix)) < 0) {
        return NULL;
    } else if (type == XV_CHR_TYPE_TCP) {
        chr->protocol = g_strdup("raw");
    }
    chr->type = type;

    switch (type) {
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
    case XV_CHR_TYPE_DEV:
        if (*rest == '\0')
            return NULL;
        chr->path = g_strdup(rest);
        break;
    case XV_CHR_TYPE_TCP: {
        const char *c = strchr(rest, ':');
        const char *comma;
        if (c == NULL)
            return NULL;
        if (c != rest)
            chr->host = g_strndup(rest, c - rest);
        comma = strchr(c, ',');
        chr->service = comma ? g_strndup(c + 1, comma - c - 1) : g_strdup(c + 1);
        chr->mode = g_strdup(comma && strstr(comma, ",server") ? "bind" : "connect");
        break;
    }
    case XV_CHR_TYPE_UDP: {
        const char *c = strchr(rest, ':');
        const char *at;
        if (c == NULL)
            return NULL;
        if (c != rest)
            chr->connect_host = g_strndup(rest, c - rest);
        if ((at = strchr(c, '@'))) {
            const char *c3;
            chr->connect_service = g_strndup(c + 1, at - c - 1);
            if ((c3 = strchr(at, ':')) == NULL)
                return NULL;
            if (c3 > at + 1)
                chr->host = g_strndup(at + 1, c3 - at - 1);
            chr->service = g_strdup(c3 + 1);
        } else {
            chr->connect_service = g_strdup(c + 1);
        }
        break;
    }
    case XV_CHR_TYPE_UNIX: {
        const char *comma = strchr(rest, ',');
        chr->path = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);
        chr->mode = g_strdup(comma && strstr(comma, ",server") ? "bind" : "connect");
        break;
    }
    default:
        break;
    }
    return g_steal_pointer(&chr);
}

static gboolean
parse_chardevs(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str;
    int rc;

    if (ctx->hvm) {
        g_autoptr(GPtrArray) serials = NULL;

        if ((rc = get_string(ctx, "parallel", &str, error)) < 0)
            return FALSE;
        if (rc == 1 && !g_str_equal(str, "none"))
            add_warning(ctx, _("xl.cfg key '%1$s' has no domain XML equivalent and was ignored"),
                        "parallel");

        if ((rc = get_string_list(ctx, "serial", TRUE, &serials, error)) < 0)
            return FALSE;
        for (guint i = 0; serials && i < serials->len; i++) {
            const char *s = g_ptr_array_index(serials, i);
            XvChrDef *chr;

            if (g_str_equal(s, "none"))
                continue;
            if ((chr = parse_chr(s)) == NULL) {
                key_error(ctx, error, "serial", _("invalid value \"%1$s\" for \"%2$s\""), s, "serial");
                return FALSE;
            }
            chr->kind = XV_CHR_DEVICE_SERIAL;
            chr->has_port = TRUE;
            chr->port = i;
            g_ptr_array_add(def->serials, chr);
        }
    } else {
        g_ptr_array_add(def->consoles, xv_chr_def_new_xen_console());
    }
    return TRUE;
}

static gboolean
parse_os(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str, *root = NULL, *extra = NULL, *cmdline = NULL;
    int rc;

    if ((rc = get_string(ctx, "kernel", &str, error)) < 0)
        return FALSE;
    if (rc == 1)
        def->os.kernel = g_strdup(str);
    if ((rc = get_string(ctx, "ramdisk", &str, error)) < 0)
        return FALSE;
    if (rc == 1)
        def->os.initrd = g_strdup(str);
    if (get_string(ctx, "cmdline", &cmdline, error) < 0 ||
        get_string(ctx, "root", &root, error) < 0 ||
        get_string(ctx, "extra", &extra, error) < 0)
        return FALSE;
    if (cmdline) {
        def->os.cmdline = g_strdup(cmdline);
        if (root || extra)
            add_warning(ctx, _("xl.cfg keys 'root' and 'extra' were ignored in favour of 'cmdline'"));
    } else if (root && extra) {
        def->os.cmdline = g_strdup_printf("root=%s %s", root, extra);
    } else if (root) {
        def->os.cmdline = g_strdup_printf("root=%s", root);
    } else if (extra) {
        def->os.cmdline = g_strdup(extra);
    }

    if ((rc = get_string(ctx, "acpi_firmware", &str, error)) < 0)
        return FALSE;
    if (rc == 1) {
        def->os.acpi_table_type = g_strdup("slic");
        def->os.acpi_table = g_strdup(str);
    }

    if (ctx->hvm) {
        const char *bios = NULL, *bios_path = NULL, *firmware = NULL, *boot = "c";
        gboolean ovmf = FALSE;
        gboolean b;

        if (get_string(ctx, "bios", &bios, error) < 0 ||
            get_string(ctx, "bios_path_override", &bios_path, error) < 0 ||
            get_string(ctx, "firmware", &firmware, error) < 0)
            return FALSE;
        if (bios) {
            if (g_str_equal(bios, "ovmf"))
                ovmf = TRUE;
            else if (g_str_equal(bios, "rombios") || g_str_equal(bios, "seabios"))
                add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                            "bios", bios);
            else {
                key_error(ctx, error, "bios", _("Unknown BIOS type %1$s"), bios);
                return FALSE;
            }
        }
        if (firmware) {
            if (g_str_equal(firmware, "uefi") || g_str_equal(firmware, "ovmf"))
                ovmf = TRUE;
            else if (!g_str_equal(firmware, "bios") && !g_str_equal(firmware, "seabios")) {
                key_error(ctx, error, "firmware", _("invalid value \"%1$s\" for \"%2$s\""), firmware, "firmware");
                return FALSE;
            }
        }
        /* libvirt's post-parse gives every loader with a path format='raw' */
        def->os.loader_format = g_strdup("raw");
        if (ovmf) {
            def->os.loader_type = XV_DOMAIN_LOADER_TYPE_PFLASH;
            def->os.loader_readonly = XV_TRISTATE_ON;
            def->os.loader = bios_path ? g_strdup(bios_path)
                                       : g_strdup(XV_XEN_FIRMWARE_DIR "/ovmf.bin");
        } else {
            def->os.loader_type = XV_DOMAIN_LOADER_TYPE_ROM;
            def->os.loader = bios_path ? g_strdup(bios_path)
                                       : g_strdup(XV_XEN_FIRMWARE_DIR "/hvmloader");
        }

        if (get_string(ctx, "boot", &boot, error) < 0)
            return FALSE;
        for (guint i = 0; boot[i] && def->os.nboot < XV_DOMAIN_BOOT_LAST; i++) {
            switch (boot[i]) {
            case 'a': def->os.boot[def->os.nboot++] = XV_DOMAIN_BOOT_FLOPPY; break;
            case 'd': def->os.boot[def->os.nboot++] = XV_DOMAIN_BOOT_CDROM; break;
            case 'n': def->os.boot[def->os.nboot++] = XV_DOMAIN_BOOT_NET; break;
            case 'c': def->os.boot[def->os.nboot++] = XV_DOMAIN_BOOT_DISK; break;
            default:
                key_error(ctx, error, "boot", _("invalid boot device '%1$c' in \"%2$s\""), boot[i], boot);
                return FALSE;
            }
        }

        if ((rc = get_bool(ctx, "nestedhvm", &b, error)) < 0)
            return FALSE;
        if (rc == 1) {
            def->cpu.mode = XV_CPU_MODE_HOST_PASSTHROUGH;
            if (!b)
                cpu_add_feature(def, "vmx", XV_CPU_FEATURE_DISABLE);
        }
    } else {
        g_autoptr(GPtrArray) args = NULL;

        if ((rc = get_string(ctx, "bootloader", &str, error)) < 0)
            return FALSE;
        if (rc == 1)
            def->os.bootloader = g_strdup(str);
        if ((rc = get_string_list(ctx, "bootloader_args", TRUE, &args, error)) < 0)
            return FALSE;
        if (rc == 0 && (rc = get_string(ctx, "bootargs", &str, error)) < 0)
            return FALSE;
        if (args && args->len > 0) {
            g_ptr_array_add(args, NULL);
            def->os.bootloader_args = g_strjoinv(" ", (char **)args->pdata);
        } else if (rc == 1 && str) {
            def->os.bootloader_args = g_strdup(str);
        }
        if ((rc = get_string(ctx, "firmware", &str, error)) < 0)
            return FALSE;
        if (rc == 1 && def->os.kernel == NULL) {
            if (g_str_equal(str, "pvgrub32") || g_str_equal(str, "pvgrub64"))
                def->os.kernel = g_strdup_printf("%s/%s.bin", XV_XEN_FIRMWARE_DIR, str);
            else
                def->os.kernel = g_strdup(str);
        }
    }
    return TRUE;
}

static gboolean
parse_video(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *vga = NULL;
    gboolean stdvga = FALSE, nographic = FALSE;
    long videoram = 0;
    int rc_vram;
    XvVideoType type = XV_VIDEO_DEFAULT;

    if (!ctx->hvm)
        return TRUE;
    if (get_string(ctx, "vga", &vga, error) < 0 ||
        get_bool(ctx, "stdvga", &stdvga, error) < 0 ||
        get_bool(ctx, "nographic", &nographic, error) < 0 ||
        (rc_vram = get_bounded(ctx, "videoram", 1, G_MAXINT / 1024, &videoram, error)) < 0)
        return FALSE;
    if (vga) {
        if (g_str_equal(vga, "stdvga"))
            type = XV_VIDEO_VGA;
        else if (g_str_equal(vga, "cirrus"))
            type = XV_VIDEO_CIRRUS;
        else if (g_str_equal(vga, "qxl"))
            type = XV_VIDEO_QXL;
        else if (g_str_equal(vga, "none"))
            type = XV_VIDEO_NONE;
        else {
            key_error(ctx, error, "vga", _("Unknown vga \"%1$s\" specified"), vga);
            return FALSE;
        }
    } else if (stdvga) {
        type = XV_VIDEO_VGA;
    }
    if (nographic)
        type = XV_VIDEO_NONE;
    if (type == XV_VIDEO_DEFAULT && rc_vram == 0)
        return TRUE;
    XvVideoDef *video = g_new0(XvVideoDef, 1);
    video->type = type == XV_VIDEO_DEFAULT ? XV_VIDEO_CIRRUS : type;
    if (rc_vram == 1 && video->type != XV_VIDEO_NONE)
        video->vram_kb = videoram * 1024;
    if (video->type != XV_VIDEO_NONE) {
        video->heads = 1;
        video->primary = TRUE;
    }
    g_ptr_array_add(def->videos, video);
    return TRUE;
}

static gboolean
parse_cpuid(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    const char *str;
    int rc;

    if (xlu_cfg_get_list(ctx->cfg, "cpuid", NULL, NULL, 1) == 0) {
        use_key(ctx, "cpuid");
        add_warning(ctx, _("xl.cfg key 'cpuid' in xend (register bitmask) form has no domain XML equivalent and was ignored"));
        return TRUE;
    }
    if ((rc = get_string(ctx, "cpuid", &str, error)) <= 0)
        return rc == 0;

    g_auto(GStrv) pairs = g_strsplit(str, ",", -1);
    if (pairs[0] == NULL)
        return TRUE;
    if (!g_str_equal(pairs[0], "host")) {
        key_error(ctx, error, "cpuid", _("cpuid starting with %1$s is not supported, only libxl format is"),
                  pairs[0]);
        return FALSE;
    }
    if (def->cpu.mode == XV_CPU_MODE_NONE)
        def->cpu.mode = XV_CPU_MODE_HOST_PASSTHROUGH;
    for (guint i = 1; pairs[i]; i++) {
        g_auto(GStrv) nv = g_strsplit(pairs[i], "=", 2);
        XvCpuFeaturePolicy policy;

        if (!nv[0] || !nv[1]) {
            key_error(ctx, error, "cpuid", _("Invalid libxl cpuid key=value element: %1$s"), pairs[i]);
            return FALSE;
        }
        if (g_str_equal(nv[1], "1"))
            policy = XV_CPU_FEATURE_FORCE;
        else if (g_str_equal(nv[1], "0"))
            policy = XV_CPU_FEATURE_DISABLE;
        else if (g_str_equal(nv[1], "x") || g_str_equal(nv[1], "k") || g_str_equal(nv[1], "s"))
            policy = XV_CPU_FEATURE_OPTIONAL;
        else {
            key_error(ctx, error, "cpuid", _("Invalid libxl cpuid value: %1$s"), pairs[i]);
            return FALSE;
        }
        cpu_add_feature(def, cpu_feature_translate(nv[0], TRUE), policy);
    }
    return TRUE;
}

static gboolean
parse_vnuma(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    XLU_ConfigList *list = NULL;
    int nnodes = 0;
    size_t mark;
    int rc;
    guint vcpus = 0;
    guint64 total_kb = 0;

    use_key(ctx, "vnuma");
    if (!has_key(ctx, "vnuma"))
        return TRUE;
    mark = report_mark(ctx);
    rc = xlu_cfg_get_list(ctx->cfg, "vnuma", &list, &nnodes, 0);
    if (rc != 0) {
        report_error(ctx, error, "vnuma", mark, _("invalid value"));
        return FALSE;
    }
    for (int i = 0; i < nnodes; i++) {
        XLU_ConfigValue *val = xlu_cfg_get_listitem2(list, i);
        XLU_ConfigList *node = NULL;
        g_autoptr(XvNumaCell) cell = g_new0(XvNumaCell, 1);
        gboolean have_size = FALSE, have_cpus = FALSE;

        cell->id = i;
        if (val == NULL || xlu_cfg_value_type(val) != XLU_LIST ||
            xlu_cfg_value_get_list(ctx->cfg, val, &node, 1) != 0) {
            key_error(ctx, error, "vnuma", _("vnuma vnode %1$d is not a list"), i);
            return FALSE;
        }
        for (int j = 0; ; j++) {
            XLU_ConfigValue *item = xlu_cfg_get_listitem2(node, j);
            const char *s;
            g_auto(GStrv) kv = NULL;
            guint64 n;

            if (item == NULL)
                break;
            s = xlu_cfg_get_listitem(node, j);
            if (s == NULL || (kv = g_strsplit(s, "=", 2)) == NULL || !kv[0] || !kv[1]) {
                key_error(ctx, error, "vnuma", _("Invalid vnuma configuration for vnode %1$d"), i);
                return FALSE;
            }
            g_strstrip(kv[0]);
            g_strstrip(kv[1]);
            if (g_str_equal(kv[0], "pnode")) {
                if (!parse_uint(kv[1], 10, &n)) {
                    key_error(ctx, error, "vnuma", _("vnuma vnode %1$d has an invalid pnode '%2$s'"), i, kv[1]);
                    return FALSE;
                }
            } else if (g_str_equal(kv[0], "size")) {
                if (!parse_uint(kv[1], 10, &n) || n == 0) {
                    key_error(ctx, error, "vnuma", _("vnuma vnode %1$d has an invalid size '%2$s'"), i, kv[1]);
                    return FALSE;
                }
                cell->memory_kb = n * 1024;
                total_kb += cell->memory_kb;
                have_size = TRUE;
            } else if (g_str_equal(kv[0], "vcpus")) {
                g_autoptr(GError) local = NULL;
                cell->cpus = xv_bitmap_parse(kv[1], XV_DOMAIN_MAX_VCPUS, &local);
                if (cell->cpus == NULL) {
                    key_error(ctx, error, "vnuma", _("vnuma vnode %1$d has invalid vcpus '%2$s': %3$s"),
                              i, kv[1], local->message);
                    return FALSE;
                }
                vcpus += xv_bitmap_count(cell->cpus);
                have_cpus = TRUE;
            } else if (g_str_equal(kv[0], "vdistances")) {
                g_auto(GStrv) d = g_strsplit(kv[1], ",", -1);
                if (g_strv_length(d) != (guint)nnodes) {
                    key_error(ctx, error, "vnuma",
                              _("vnuma vnode %1$d configured '%2$s' (count %3$u) doesn't fit the number of specified vnodes %4$d"),
                              i, kv[1], g_strv_length(d), nnodes);
                    return FALSE;
                }
                cell->distances = g_array_sized_new(FALSE, TRUE, sizeof(guint), nnodes);
                for (guint k = 0; d[k]; k++) {
                    if (!parse_uint(g_strstrip(d[k]), 10, &n) || n > 255) {
                        key_error(ctx, error, "vnuma", _("vnuma vnode %1$d has an invalid distance '%2$s'"), i, d[k]);
                        return FALSE;
                    }
                    guint dist = n;
                    g_array_append_val(cell->distances, dist);
                }
            } else {
                key_error(ctx, error, "vnuma", _("Invalid vnuma configuration for vnode %1$d"), i);
                return FALSE;
            }
        }
        if (!have_size || !have_cpus) {
            key_error(ctx, error, "vnuma", _("vnuma vnode %1$d needs both 'size' and 'vcpus'"), i);
            return FALSE;
        }
        g_ptr_array_add(def->cpu.cells, g_steal_pointer(&cell));
    }
    if (vcpus != def->maxvcpus) {
        key_error(ctx, error, "vnuma",
                  _("vnuma configuration contains %1$u vcpus, which is not equal to the %2$u vcpus of the domain"),
                  vcpus, def->maxvcpus);
        return FALSE;
    }
    if (nnodes > 0 && total_kb != def->memory_kb) {
        key_error(ctx, error, "vnuma",
                  _("vnuma configuration contains %1$llu MiB of memory, but maxmem is %2$llu MiB"),
                  (unsigned long long)(total_kb / 1024), (unsigned long long)(def->memory_kb / 1024));
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_xenbus_limits(XlParse *ctx, GError **error)
{
    XvControllerDef *xenbus;
    long l;
    int rc;

    ensure_xenbus(ctx->def, &xenbus);
    if ((rc = get_bounded(ctx, "max_grant_frames", 1, G_MAXINT32, &l, error)) < 0)
        return FALSE;
    if (rc == 1)
        xenbus->max_grant_frames = l;
    if ((rc = get_bounded(ctx, "max_event_channels", 1, G_MAXINT32, &l, error)) < 0)
        return FALSE;
    if (rc == 1)
        xenbus->max_event_channels = l;
    return TRUE;
}

static gboolean
parse_disks(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    g_autoptr(GPtrArray) specs = NULL;
    int rc;

    if ((rc = get_string_list(ctx, "disk", FALSE, &specs, error)) <= 0)
        return rc == 0;

    for (guint i = 0; i < specs->len; i++) {
        const char *spec = g_ptr_array_index(specs, i);
        libxl_device_disk ld;
        size_t mark = report_mark(ctx);
        g_autoptr(XvDiskDef) disk = g_new0(XvDiskDef, 1);

        libxl_device_disk_init(&ld);
        if (xlu_disk_parse(ctx->cfg, 1, &spec, &ld) != 0) {
            libxl_device_disk_dispose(&ld);
            report_error(ctx, error, "disk", mark, _("invalid disk specification"));
            return FALSE;
        }

        disk->dst = g_strdup(ld.vdev);
        disk->readonly = !ld.readwrite;
        if (ld.script)
            disk->script = g_strdup(ld.script);
        if (ld.backend_domname)
            disk->backend_domain = g_strdup(ld.backend_domname);
        if (ld.pdev_path && *ld.pdev_path) {
            if (g_str_has_prefix(ld.pdev_path, "rbd:")) {
                /* rbd:POOL/IMAGE[:opt=val]* with '\:' and '\;' escapes */
                g_auto(GStrv) parts = NULL;
                GString *cur = g_string_new(NULL);
                GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
                const char *p = ld.pdev_path + 4;

                for (; *p; p++) {
                    if (*p == '\\' && p[1]) {
                        g_string_append_c(cur, '\\');
                        g_string_append_c(cur, *++p);
                    } else if (*p == ':') {
                        g_ptr_array_add(fields, g_string_free(g_steal_pointer(&cur), FALSE));
                        cur = g_string_new(NULL);
                    } else {
                        g_string_append_c(cur, *p);
                    }
                }
                g_ptr_array_add(fields, g_string_free(cur, FALSE));
                g_ptr_array_add(fields, NULL);
                parts = (GStrv)g_ptr_array_free(fields, FALSE);

                disk->type = XV_DISK_TYPE_NETWORK;
                disk->protocol = g_strdup("rbd");
                disk->src = g_strdup(parts[0]);
                for (guint k = 1; parts[k]; k++) {
                    const char *opt = parts[k];
                    if (g_str_has_prefix(opt, "id=")) {
                        disk->auth_username = g_strdup(opt + 3);
                        disk->auth_secret_type = g_strdup("ceph");
                    } else if (g_str_has_prefix(opt, "mon_host=")) {
                        g_auto(GStrv) hosts = g_strsplit(opt + 9, "\\;", -1);
                        disk->hosts = g_ptr_array_new_with_free_func((GDestroyNotify)xv_net_host_free);
                        for (guint h = 0; hosts[h]; h++) {
                            XvNetHost *host = g_new0(XvNetHost, 1);
                            const char *hs = hosts[h];
                            const char *port = NULL;
                            if (*hs == '[') {
                                const char *close = strchr(hs, ']');
                                host->name = close ? g_strndup(hs + 1, close - hs - 1) : g_strdup(hs);
                                if (close && g_str_has_prefix(close + 1, "\\:"))
                                    port = close + 3;
                                if (host->name) {
                                    g_autofree char *tmp = host->name;
                                    g_auto(GStrv) segs = g_strsplit(tmp, "\\:", -1);
                                    host->name = g_strjoinv(":", segs);
                                }
                            } else {
                                const char *sep = strstr(hs, "\\:");
                                host->name = sep ? g_strndup(hs, sep - hs) : g_strdup(hs);
                                if (sep)
                                    port = sep + 2;
                            }
                            if (port)
                                host->port = atoi(port);
                            g_ptr_array_add(disk->hosts, host);
                        }
                    } else if (!g_str_has_prefix(opt, "auth_supported=")) {
                        add_warning(ctx, _("xl.cfg key 'disk' rbd option '%1$s' has no domain XML equivalent and was ignored"),
                                    opt);
                    }
                }
            } else {
                disk->src = g_strdup(ld.pdev_path);
            }
        }

        if (ld.is_cdrom) {
            disk->device = XV_DISK_DEVICE_CDROM;
            disk->driver_name = g_strdup("qemu");
            disk->type = XV_DISK_TYPE_FILE;
            disk->driver_type = g_strdup("raw");
        } else {
            switch (ld.format) {
            case LIBXL_DISK_FORMAT_QCOW: disk->driver_type = g_strdup("qcow"); break;
            case LIBXL_DISK_FORMAT_QCOW2: disk->driver_type = g_strdup("qcow2"); break;
            case LIBXL_DISK_FORMAT_VHD: disk->driver_type = g_strdup("vhd"); break;
            case LIBXL_DISK_FORMAT_QED: disk->driver_type = g_strdup("qed"); break;
            case LIBXL_DISK_FORMAT_EMPTY: break;
            default: disk->driver_type = g_strdup("raw"); break;
            }
            switch (ld.backend) {
            case LIBXL_DISK_BACKEND_TAP:
                disk->driver_name = g_strdup("tap");
                disk->type = XV_DISK_TYPE_FILE;
                break;
            case LIBXL_DISK_BACKEND_PHY:
                disk->driver_name = g_strdup("phy");
                disk->type = XV_DISK_TYPE_BLOCK;
                break;
            default:
                disk->driver_name = g_strdup("qemu");
                if (disk->type != XV_DISK_TYPE_NETWORK)
                    disk->type = XV_DISK_TYPE_FILE;
                break;
            }
        }
        if (g_str_has_prefix(ld.vdev, "xvd") || !ctx->hvm)
            disk->bus = XV_DISK_BUS_XEN;
        else if (g_str_has_prefix(ld.vdev, "sd"))
            disk->bus = XV_DISK_BUS_SCSI;
        else
            disk->bus = XV_DISK_BUS_IDE;
        libxl_device_disk_dispose(&ld);
        g_ptr_array_add(def->disks, g_steal_pointer(&disk));
    }
    return TRUE;
}

static gboolean
parse_spice(XlParse *ctx, GError **error)
{
    gboolean spice = FALSE, b;
    long port = 0, tls = 0;
    const char *str;
    int rc;

    if (!ctx->hvm)
        return TRUE;
    if (get_bool(ctx, "spice", &spice, error) < 0)
        return FALSE;
    if (!spice)
        return TRUE;

    XvGraphicsDef *g = graphics_new(XV_GRAPHICS_SPICE);
    g_ptr_array_add(ctx->def->graphics, g);
    if ((rc = get_string(ctx, "spicehost", &str, error)) < 0)
        return FALSE;
    if (rc == 1)
        g->listen = g_strdup(str);
    if (get_bounded(ctx, "spicetls_port", 0, 65535, &tls, error) < 0 ||
        get_bounded(ctx, "spiceport", 0, 65535, &port, error) < 0)
        return FALSE;
    g->tls_port = tls;
    g->port = port;
    if (!tls && !port) {
        g->autoport = TRUE;
        g->port = -1;
    }
    b = FALSE;
    if (get_bool(ctx, "spicedisable_ticketing", &b, error) < 0)
        return FALSE;
    if (!b) {
        if ((rc = get_string(ctx, "spicepasswd", &str, error)) < 0)
            return FALSE;
        if (rc == 0) {
            key_error(ctx, error, "spice",
                      _("spicepasswd is required when spicedisable_ticketing is not set"));
            return FALSE;
        }
        g->passwd = g_strdup(str);
    } else {
        use_key(ctx, "spicepasswd");
    }
    b = FALSE;
    if (get_bool(ctx, "spiceagent_mouse", &b, error) < 0)
        return FALSE;
    g->mouse_mode = g_strdup(b ? "client" : "server");
    b = FALSE;
    if (get_bool(ctx, "spice_clipboard_sharing", &b, error) < 0)
        return FALSE;
    g->clipboard_copypaste = b ? XV_TRISTATE_ON : XV_TRISTATE_OFF;
    /* spicevdagent is implied by client mouse / clipboard sharing */
    use_key(ctx, "spicevdagent");
    return TRUE;
}

static gboolean
parse_usb_inputs(XlParse *ctx, GError **error)
{
    XvDomainDef *def = ctx->def;
    g_autoptr(GPtrArray) devs = NULL;
    gboolean usb = FALSE;
    int rc;

    if (!ctx->hvm)
        return TRUE;
    if (get_bool(ctx, "usb", &usb, error) < 0)
        return FALSE;
    if ((rc = get_string_list(ctx, "usbdevice", TRUE, &devs, error)) < 0)
        return FALSE;
    for (guint i = 0; devs && i < devs->len; i++) {
        const char *s = g_ptr_array_index(devs, i);
        XvInputDef *input;

        if (g_str_equal(s, "mouse") || g_str_equal(s, "tablet") || g_str_equal(s, "keyboard")) {
            input = g_new0(XvInputDef, 1);
            input->bus = XV_INPUT_BUS_USB;
            input->type = g_str_equal(s, "mouse") ? XV_INPUT_MOUSE :
                          g_str_equal(s, "tablet") ? XV_INPUT_TABLET : XV_INPUT_KEYBOARD;
            g_ptr_array_add(def->inputs, input);
        } else if (g_str_has_prefix(s, "host:")) {
            unsigned int a, b;
            XvHostdevDef *dev = g_new0(XvHostdevDef, 1);
            dev->type = XV_HOSTDEV_USB;
            if (sscanf(s + 5, "%x:%x", &a, &b) == 2) {
                dev->usb_by_id = TRUE;
                dev->usb_vendor = a;
                dev->usb_product = b;
            } else if (sscanf(s + 5, "%u.%u", &a, &b) == 2) {
                dev->usb_bus = a;
                dev->usb_device = b;
            } else {
                xv_hostdev_def_free(dev);
                key_error(ctx, error, "usbdevice", _("invalid value \"%1$s\" for \"%2$s\""), s, "usbdevice");
                return FALSE;
            }
            g_ptr_array_add(def->hostdevs, dev);
        } else {
            add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                        "usbdevice", s);
        }
    }
    return TRUE;
}

static gboolean
parse_usbdevs(XlParse *ctx, GError **error)
{
    g_autoptr(GPtrArray) devs = NULL;
    int rc;

    if ((rc = get_string_list(ctx, "usbdev", FALSE, &devs, error)) <= 0)
        return rc == 0;
    for (guint i = 0; i < devs->len; i++) {
        const char *spec = g_ptr_array_index(devs, i);
        g_autoptr(GPtrArray) opts = split_options(spec);
        gboolean have_bus = FALSE, have_addr = FALSE;
        g_autoptr(XvHostdevDef) dev = g_new0(XvHostdevDef, 1);

        dev->type = XV_HOSTDEV_USB;
        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            guint64 v;

            if (g_str_equal(o->key, "hostbus") || g_str_equal(o->key, "hostaddr")) {
                /* libvirt reads and writes these in hex */
                if (!parse_uint(o->value, 16, &v) || v > 0xffff) {
                    key_error(ctx, error, "usbdev", _("invalid %1$s '%2$s' in usbdev `%3$s'"),
                              o->key, o->value ? o->value : "", spec);
                    return FALSE;
                }
                if (g_str_equal(o->key, "hostbus")) {
                    dev->usb_bus = v;
                    have_bus = TRUE;
                } else {
                    dev->usb_device = v;
                    have_addr = TRUE;
                }
            } else if (g_str_equal(o->key, "type")) {
                if (g_strcmp0(o->value, "hostdev") != 0) {
                    key_error(ctx, error, "usbdev", _("unsupported usbdev type '%1$s' in `%2$s'"),
                              o->value ? o->value : "", spec);
                    return FALSE;
                }
            } else {
                warn_option(ctx, "usbdev", o->key);
            }
        }
        if (!have_bus || !have_addr) {
            key_error(ctx, error, "usbdev", _("usbdev `%1$s' needs both hostbus and hostaddr"), spec);
            return FALSE;
        }
        g_ptr_array_add(ctx->def->hostdevs, g_steal_pointer(&dev));
    }
    return TRUE;
}

static gboolean
parse_usbctrls(XlParse *ctx, GError **error)
{
    g_autoptr(GPtrArray) ctrls = NULL;
    guint index = 0;
    int rc;

    if ((rc = get_string_list(ctx, "usbctrl", FALSE, &ctrls, error)) <= 0)
        return rc == 0;
    for (guint i = 0; i < ctrls->len; i++) {
        const char *spec = g_ptr_array_index(ctrls, i);
        g_autoptr(GPtrArray) opts = split_options(spec);
        guint64 version = 2, ports = 8;
        XvControllerDef *c;

        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            const char *v = o->value ? o->value : "";

            if (g_str_equal(o->key, "type")) {
                if (g_str_equal(v, "pv") || g_str_equal(v, "devicemodel") || g_str_equal(v, "auto"))
                    add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                                "usbctrl type", v);
                else if (!g_str_equal(v, "qusb")) {
                    key_error(ctx, error, "usbctrl", _("unknown usbctrl type '%1$s' in `%2$s'"), v, spec);
                    return FALSE;
                }
            } else if (g_str_equal(o->key, "version")) {
                if (!parse_uint(v, 10, &version) || (version != 1 && version != 2)) {
                    key_error(ctx, error, "usbctrl", _("invalid usbctrl version '%1$s' in `%2$s'"), v, spec);
                    return FALSE;
                }
            } else if (g_str_equal(o->key, "ports")) {
                if (!parse_uint(v, 10, &ports) || ports < 1 || ports > 31) {
                    key_error(ctx, error, "usbctrl", _("invalid usbctrl ports '%1$s' in `%2$s'"), v, spec);
                    return FALSE;
                }
            } else {
                warn_option(ctx, "usbctrl", o->key);
            }
        }
        c = g_new0(XvControllerDef, 1);
        c->type = XV_CONTROLLER_USB;
        c->index = index++;
        c->model = g_strdup(version == 1 ? "qusb1" : "qusb2");
        c->ports = ports;
        g_ptr_array_add(ctx->def->controllers, c);
    }
    return TRUE;
}

static gboolean
parse_channels(XlParse *ctx, GError **error)
{
    g_autoptr(GPtrArray) chans = NULL;
    int rc;

    if ((rc = get_string_list(ctx, "channel", FALSE, &chans, error)) <= 0)
        return rc == 0;
    for (guint i = 0; i < chans->len; i++) {
        const char *spec = g_ptr_array_index(chans, i);
        g_autoptr(GPtrArray) opts = split_options(spec);
        const char *conn = NULL, *name = NULL, *path = NULL;
        g_autoptr(XvChrDef) chr = g_new0(XvChrDef, 1);

        for (guint j = 0; j < opts->len; j++) {
            XlOpt *o = g_ptr_array_index(opts, j);
            if (g_str_equal(o->key, "connection")) conn = o->value;
            else if (g_str_equal(o->key, "name")) name = o->value;
            else if (g_str_equal(o->key, "path")) path = o->value;
            else warn_option(ctx, "channel", o->key);
        }
        chr->kind = XV_CHR_DEVICE_CHANNEL;
        chr->target_type = g_strdup("xen");
        chr->target_name = g_strdup(name);
        if (g_strcmp0(conn, "socket") == 0) {
            if (path == NULL) {
                key_error(ctx, error, "channel", _("channel `%1$s' with connection=socket needs a path"), spec);
                return FALSE;
            }
            chr->type = XV_CHR_TYPE_UNIX;
            chr->mode = g_strdup("bind");
            chr->path = g_strdup(path);
        } else if (g_strcmp0(conn, "pty") == 0) {
            chr->type = XV_CHR_TYPE_PTY;
        } else {
            key_error(ctx, error, "channel", _("unknown channel connection '%1$s' in `%2$s'"),
                      conn ? conn : "", spec);
            return FALSE;
        }
        g_ptr_array_add(ctx->def->channels, g_steal_pointer(&chr));
    }
    return TRUE;
}

static gboolean
parse_dm_args(XlParse *ctx, GError **error)
{
    const char *keys[] = { "device_model_args", ctx->hvm ? "device_model_args_hvm" : "device_model_args_pv" };

    for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
        g_autoptr(GPtrArray) args = NULL;
        if (get_string_list(ctx, keys[k], FALSE, &args, error) < 0)
            return FALSE;
        for (guint i = 0; args && i < args->len; i++)
            g_ptr_array_add(ctx->def->xen_args, g_strdup(g_ptr_array_index(args, i)));
    }
    return TRUE;
}

static gboolean
parse_emulator(XlParse *ctx, GError **error)
{
    const char *str;
    int rc;

    if ((rc = get_string(ctx, "device_model_override", &str, error)) < 0)
        return FALSE;
    if (rc == 1)
        ctx->def->emulator = g_strdup(str);
    if ((rc = get_string(ctx, "device_model_version", &str, error)) < 0)
        return FALSE;
    if (rc == 1 && !g_str_equal(str, "qemu-xen")) {
        if (g_str_equal(str, "qemu-xen-traditional"))
            add_warning(ctx, _("xl.cfg key '%1$s' value '%2$s' has no domain XML equivalent and was ignored"),
                        "device_model_version", str);
        else {
            key_error(ctx, error, "device_model_version", _("unknown device model version \"%1$s\""), str);
            return FALSE;
        }
    }
    return TRUE;
}

XvDomainDef *
xv_xl_config_parse(const char *data, gsize len, const char *filename,
                   GPtrArray *warnings_out, GError **error)
{
    XlParse ctx = { 0 };
    g_autoptr(XvDomainDef) def = NULL;
    gboolean ok;

    g_return_val_if_fail(data != NULL, NULL);
    if (filename == NULL)
        filename = "xl.cfg";
    if (len > XV_DOMAIN_XML_MAX_BYTES) {
        g_set_error(error, XV_ERROR, XV_ERROR_INVALID_ARG,
                    _("%1$s: xl.cfg is too large (%2$zu bytes)"), filename, len);
        return NULL;
    }

    ctx.filename = filename;
    ctx.warnings = warnings_out;
    ctx.report = open_memstream(&ctx.report_buf, &ctx.report_len);
    if (ctx.report == NULL) {
        g_set_error(error, XV_ERROR, XV_ERROR_NO_MEMORY, _("cannot allocate the xl.cfg report stream"));
        return NULL;
    }
    ctx.keys = g_ptr_array_new_with_free_func((GDestroyNotify)xl_key_free);
    ctx.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ctx.used = g_hash_table_new(g_str_hash, g_str_equal);
    ctx.cfg = xlu_cfg_init(ctx.report, filename);
    if (ctx.cfg == NULL) {
        xl_parse_clear(&ctx);
        g_set_error(error, XV_ERROR, XV_ERROR_NO_MEMORY, _("cannot allocate the xl.cfg parser"));
        return NULL;
    }
    if (xlu_cfg_readdata(ctx.cfg, data, (int)len) != 0) {
        g_autofree char *text = report_since(&ctx, 0);
        char *nl;
        if (text && (nl = strchr(text, '\n')))
            *nl = '\0';
        g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX, "%s",
                    text && *text ? text : _("config parsing error"));
        xl_parse_clear(&ctx);
        return NULL;
    }
    scan_keys(&ctx, data, len);

    def = xv_domain_def_new();
    ctx.def = def;
    ok = parse_general(&ctx, error) &&
         parse_memory(&ctx, error) &&
         parse_lifecycle(&ctx, error) &&
         parse_vcpus(&ctx, error) &&
         parse_features(&ctx, error) &&
         parse_time(&ctx, error) &&
         parse_emulator(&ctx, error) &&
         parse_vifs(&ctx, error) &&
         parse_pcis(&ctx, error) &&
         parse_sound(&ctx, error) &&
         parse_vfb(&ctx, error) &&
         parse_chardevs(&ctx, error) &&
         parse_os(&ctx, error) &&
         parse_video(&ctx, error) &&
         parse_vnuma(&ctx, error) &&
         parse_xenbus_limits(&ctx, error) &&
         parse_cpuid(&ctx, error) &&
         parse_disks(&ctx, error) &&
         parse_spice(&ctx, error) &&
         parse_usb_inputs(&ctx, error) &&
         parse_usbdevs(&ctx, error) &&
         parse_usbctrls(&ctx, error) &&
         parse_channels(&ctx, error) &&
         parse_dm_args(&ctx, error);

    if (ok) {
        for (guint i = 0; i < ctx.keys->len; i++) {
            XlKey *key = g_ptr_array_index(ctx.keys, i);
            if (!g_hash_table_contains(ctx.used, key->name))
                add_warning(&ctx, _("xl.cfg key '%1$s' has no domain XML equivalent and was ignored"),
                            key->name);
        }
    }
    xl_parse_clear(&ctx);
    if (!ok)
        return NULL;

    if (!xv_domain_def_post_parse(def, error) || !xv_domain_def_validate(def, error)) {
        xv_error_prefix(error, _("%1$s: "), filename);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* ====================================================================== */
/* Formatting                                                             */
/* ====================================================================== */

/* An ordered set of "key = value" lines; setting a key again replaces its
 * value in place, as libvirt's virConfSetValue does. */
typedef struct {
    GPtrArray *keys;     /* char* */
    GPtrArray *values;   /* char*, already rendered */
} XlOut;

static void
out_set_raw(XlOut *out, const char *key, char *rendered)
{
    for (guint i = 0; i < out->keys->len; i++) {
        if (g_str_equal(g_ptr_array_index(out->keys, i), key)) {
            g_free(out->values->pdata[i]);
            out->values->pdata[i] = rendered;
            return;
        }
    }
    g_ptr_array_add(out->keys, g_strdup(key));
    g_ptr_array_add(out->values, rendered);
}

static char *
quote(const char *str)
{
    GString *s = g_string_new(NULL);
    char q = strchr(str, '"') && !strchr(str, '\'') ? '\'' : '"';

    g_string_append_c(s, q);
    for (const char *p = str; *p; p++) {
        if (*p == '\\' || *p == q)
            g_string_append_c(s, '\\');
        if (*p == '\n') {
            g_string_append(s, "\\n");
            continue;
        }
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, q);
    return g_string_free(s, FALSE);
}

/* libxlutil's lexer has no negative numbers: they go in quotes, which
 * xlu_cfg_get_long() reads all the same. */
static void
out_int(XlOut *out, const char *key, long long v)
{
    out_set_raw(out, key, g_strdup_printf(v < 0 ? "\"%lld\"" : "%lld", v));
}

static void
out_str(XlOut *out, const char *key, const char *v)
{
    out_set_raw(out, key, quote(v));
}

static char *
render_list(GPtrArray *items)
{
    GString *s = g_string_new("[ ");

    for (guint i = 0; i < items->len; i++) {
        g_autofree char *q = quote(g_ptr_array_index(items, i));
        if (i)
            g_string_append(s, ", ");
        g_string_append(s, q);
    }
    g_string_append(s, " ]");
    return g_string_free(s, FALSE);
}

static void
out_list(XlOut *out, const char *key, GPtrArray *items)
{
    if (items->len > 0)
        out_set_raw(out, key, render_list(items));
}

static gboolean G_GNUC_PRINTF(2, 3)
unsupported(GError **error, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, XV_ERROR, XV_ERROR_CONFIG_UNSUPPORTED, msg);
    return FALSE;
}

static GPtrArray *
str_array(void)
{
    return g_ptr_array_new_with_free_func(g_free);
}

static gboolean
format_cpu_allocation(XlOut *out, const XvDomainDef *def, GError **error)
{
    if (def->maxvcpus != def->vcpus)
        out_int(out, "maxvcpus", def->maxvcpus);
    out_int(out, "vcpus", def->vcpus);

    if (def->cputune.vcpupins && def->cputune.vcpupins->len > 0) {
        g_autoptr(GPtrArray) items = str_array();
        g_autofree char *dflt = def->cpuset ? xv_bitmap_format(def->cpuset) : g_strdup("all");
        guint last = 0;

        for (guint i = 0; i < def->cputune.vcpupins->len; i++) {
            XvVcpuPin *pin = g_ptr_array_index(def->cputune.vcpupins, i);
            last = MAX(last, pin->vcpu + 1);
        }
        for (guint v = 0; v < last; v++) {
            char *set = NULL;
            for (guint i = 0; i < def->cputune.vcpupins->len; i++) {
                XvVcpuPin *pin = g_ptr_array_index(def->cputune.vcpupins, i);
                if (pin->vcpu == v)
                    set = xv_bitmap_format(pin->cpuset);
            }
            g_ptr_array_add(items, set ? set : g_strdup(dflt));
        }
        out_list(out, "cpus", items);
    } else if (def->cpuset) {
        g_autofree char *cpus = xv_bitmap_format(def->cpuset);
        out_str(out, "cpus", cpus);
    }
    if (def->cputune.has_shares)
        out_int(out, "cpu_weight", def->cputune.shares);
    if (def->cputune.has_period || def->cputune.has_quota)
        return unsupported(error, _("<cputune> <period>/<quota> have no xl.cfg equivalent"));
    if (def->numatune.present)
        return unsupported(error, _("<numatune> has no xl.cfg equivalent"));
    return TRUE;
}

static gboolean
format_features(XlOut *out, const XvDomainDef *def, GError **error)
{
    gboolean hvm = def->os.type == XV_DOMAIN_OS_HVM;
    const XvDomainFeatures *f = &def->features;

    if (hvm) {
        out_int(out, "pae", f->state[XV_DOMAIN_FEATURE_PAE] == XV_TRISTATE_ON);
        out_int(out, "acpi", f->state[XV_DOMAIN_FEATURE_ACPI] == XV_TRISTATE_ON);
        out_int(out, "apic", f->state[XV_DOMAIN_FEATURE_APIC] == XV_TRISTATE_ON);
        if (f->state[XV_DOMAIN_FEATURE_HAP] == XV_TRISTATE_OFF)
            out_int(out, "hap", 0);
        out_int(out, "viridian", f->state[XV_DOMAIN_FEATURE_VIRIDIAN] == XV_TRISTATE_ON);
    }
    if (f->state[XV_DOMAIN_FEATURE_HYPERV] == XV_TRISTATE_ON)
        return unsupported(error, _("<features><hyperv> has no xl.cfg equivalent; use <viridian/>"));

    for (guint i = 0; i < def->clock.timers->len; i++) {
        const XvTimerDef *t = g_ptr_array_index(def->clock.timers, i);

        switch (t->name) {
        case XV_TIMER_TSC:
            out_str(out, "tsc_mode",
                    t->mode == XV_TIMER_MODE_NATIVE ? "native" :
                    t->mode == XV_TIMER_MODE_PARAVIRT ? "native_paravirt" :
                    t->mode == XV_TIMER_MODE_EMULATE ? "always_emulate" : "default");
            break;
        case XV_TIMER_HPET:
            if (hvm)
                out_int(out, "hpet", t->present != XV_TRISTATE_OFF);
            break;
        default:
            return unsupported(error, _("<timer name='%1$s'> has no xl.cfg equivalent"),
                               xv_timer_name_to_string(t->name));
        }
    }

    if (f->state[XV_DOMAIN_FEATURE_XEN] == XV_TRISTATE_ON) {
        if (f->xen_e820_host == XV_TRISTATE_ON)
            out_int(out, "e820_host", 1);
        if (f->xen_passthrough == XV_TRISTATE_ON)
            out_str(out, "passthrough",
                    f->xen_passthrough_mode == XV_DOMAIN_XEN_PASSTHROUGH_MODE_SYNC_PT ? "sync_pt" :
                    f->xen_passthrough_mode == XV_DOMAIN_XEN_PASSTHROUGH_MODE_SHARE_PT ? "share_pt" :
                    "enabled");
        else if (f->xen_passthrough == XV_TRISTATE_OFF)
            out_str(out, "passthrough", "disabled");
    }
    return TRUE;
}

static gboolean
format_time(XlOut *out, const XvDomainDef *def, GError **error)
{
    int localtime;

    if (def->os.type == XV_DOMAIN_OS_HVM) {
        long long offset = 0;

        switch (def->clock.offset) {
        case XV_CLOCK_OFFSET_VARIABLE:
            localtime = g_strcmp0(def->clock.basis, "localtime") == 0;
            offset = def->clock.adjustment;
            break;
        case XV_CLOCK_OFFSET_UTC:
        case XV_CLOCK_OFFSET_LOCALTIME:
            if (def->clock.adjustment_reset)
                return unsupported(error, _("<clock adjustment='reset'> has no xl.cfg equivalent for an HVM domain"));
            localtime = def->clock.offset == XV_CLOCK_OFFSET_LOCALTIME;
            break;
        default:
            return unsupported(error, _("<clock offset='%1$s'> has no xl.cfg equivalent"),
                               xv_clock_offset_to_string(def->clock.offset));
        }
        out_int(out, "rtc_timeoffset", offset);
    } else {
        switch (def->clock.offset) {
        case XV_CLOCK_OFFSET_UTC:
            localtime = 0;
            break;
        case XV_CLOCK_OFFSET_LOCALTIME:
            localtime = 1;
            break;
        default:
            return unsupported(error, _("<clock offset='%1$s'> has no xl.cfg equivalent for a PV domain"),
                               xv_clock_offset_to_string(def->clock.offset));
        }
    }
    out_int(out, "localtime", localtime);
    return TRUE;
}

static gboolean
format_vfb(XlOut *out, const XvDomainDef *def, GError **error)
{
    gboolean hvm = def->os.type == XV_DOMAIN_OS_HVM;
    const XvGraphicsDef *vnc = NULL, *sdl = NULL;

    for (guint i = 0; i < def->graphics->len; i++) {
        const XvGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->type == XV_GRAPHICS_VNC && !vnc)
            vnc = g;
        else if (g->type == XV_GRAPHICS_SDL && !sdl)
            sdl = g;
        else if (g->type == XV_GRAPHICS_SPICE && !hvm)
            return unsupported(error, _("<graphics type='spice'> has no xl.cfg equivalent for a PV domain"));
        else if (g->type != XV_GRAPHICS_SPICE)
            return unsupported(error, _("a second <graphics type='%1$s'> has no xl.cfg equivalent"),
                               xv_graphics_type_to_string(g->type));
    }
    if (!vnc && !sdl)
        return TRUE;

    if (hvm) {
        out_int(out, "sdl", sdl != NULL);
        out_int(out, "vnc", vnc != NULL);
        if (vnc) {
            out_int(out, "vncunused", vnc->autoport ? 1 : 0);
            if (!vnc->autoport && vnc->port >= XL_VNC_PORT_MIN)
                out_int(out, "vncdisplay", vnc->port - XL_VNC_PORT_MIN);
            if (vnc->listen)
                out_str(out, "vnclisten", vnc->listen);
            if (vnc->passwd)
                out_str(out, "vncpasswd", vnc->passwd);
            if (vnc->keymap)
                out_str(out, "keymap", vnc->keymap);
        }
        if (sdl) {
            if (sdl->display)
                out_str(out, "display", sdl->display);
            if (sdl->xauth)
                out_str(out, "xauthority", sdl->xauth);
            if (sdl->gl == XV_TRISTATE_ON)
                out_int(out, "opengl", 1);
        }
        return TRUE;
    }

    g_autoptr(GPtrArray) vfbs = str_array();
    for (guint i = 0; i < def->graphics->len; i++) {
        const XvGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        GString *s = g_string_new(NULL);

        if (g->type == XV_GRAPHICS_SDL) {
            g_string_append(s, "type=sdl");
            if (g->display)
                g_string_append_printf(s, ",display=%s", g->display);
            if (g->xauth)
                g_string_append_printf(s, ",xauthority=%s", g->xauth);
            if (g->gl == XV_TRISTATE_ON)
                g_string_append(s, ",opengl=1");
        } else {
            g_string_append(s, "type=vnc");
            g_string_append_printf(s, ",vncunused=%d", g->autoport ? 1 : 0);
            if (!g->autoport && g->port >= XL_VNC_PORT_MIN)
                g_string_append_printf(s, ",vncdisplay=%d", g->port - XL_VNC_PORT_MIN);
            if (g->listen)
                g_string_append_printf(s, ",vnclisten=%s", g->listen);
            if (g->passwd)
                g_string_append_printf(s, ",vncpasswd=%s", g->passwd);
            if (g->keymap)
                g_string_append_printf(s, ",keymap=%s", g->keymap);
        }
        g_ptr_array_add(vfbs, g_string_free(s, FALSE));
    }
    out_list(out, "vfb", vfbs);
    return TRUE;
}

static guint
video_default_vram(XvVideoType type)
{
    switch (type) {
    case XV_VIDEO_CIRRUS: return 8 * 1024;
    case XV_VIDEO_VGA:
    case XV_VIDEO_XEN: return 16 * 1024;
    case XV_VIDEO_QXL: return 128 * 1024;
    default: return 0;
    }
}

static gboolean
format_video(XlOut *out, const XvDomainDef *def, GError **error)
{
    const XvVideoDef *v;

    if (def->videos->len == 0)
        return TRUE;
    if (def->videos->len > 1)
        return unsupported(error, _("more than one <video> has no xl.cfg equivalent"));
    v = g_ptr_array_index(def->videos, 0);
    if (def->os.type != XV_DOMAIN_OS_HVM) {
        if (v->type == XV_VIDEO_XEN || v->type == XV_VIDEO_DEFAULT)
            return TRUE;
        return unsupported(error, _("<video><model type='%1$s'> has no xl.cfg equivalent for a PV domain"),
                           xv_video_type_to_string(v->type));
    }
    switch (v->type) {
    case XV_VIDEO_VGA: out_str(out, "vga", "stdvga"); break;
    case XV_VIDEO_QXL: out_str(out, "vga", "qxl"); break;
    case XV_VIDEO_NONE: out_int(out, "nographic", 1); return TRUE;
    case XV_VIDEO_CIRRUS:
    case XV_VIDEO_DEFAULT: break;
    default:
        return unsupported(error, _("<video><model type='%1$s'> has no xl.cfg equivalent for an HVM domain"),
                           xv_video_type_to_string(v->type));
    }
    if (v->vram_kb && v->vram_kb != video_default_vram(v->type == XV_VIDEO_DEFAULT ? XV_VIDEO_CIRRUS : v->type))
        out_int(out, "videoram", v->vram_kb / 1024);
    return TRUE;
}

static gboolean
format_vifs(XlOut *out, const XvDomainDef *def, GError **error)
{
    gboolean hvm = def->os.type == XV_DOMAIN_OS_HVM;
    g_autoptr(GPtrArray) vifs = str_array();

    for (guint i = 0; i < def->nets->len; i++) {
        const XvNetDef *net = g_ptr_array_index(def->nets, i);
        g_autofree char *mac = xv_mac_format(net->mac);
        g_autoptr(GString) s = g_string_new(NULL);
        g_autofree char *ips = NULL;

        if (net->ips && net->ips->len > 0) {
            GString *ipstr = g_string_new(NULL);
            for (guint k = 0; k < net->ips->len; k++) {
                const XvNetIp *ip = g_ptr_array_index(net->ips, k);
                if (k)
                    g_string_append_c(ipstr, ' ');
                g_string_append(ipstr, ip->address);
                if (ip->prefix)
                    g_string_append_printf(ipstr, "/%u", ip->prefix);
            }
            ips = g_string_free(ipstr, FALSE);
        }

        g_string_append_printf(s, "mac=%s", mac);
        switch (net->type) {
        case XV_NET_TYPE_BRIDGE: {
            const char *script = net->script;
            g_string_append_printf(s, ",bridge=%s", net->bridge ? net->bridge : "xenbr0");
            if (g_strcmp0(net->virtualport_type, "openvswitch") == 0) {
                if (!script)
                    script = "vif-openvswitch";
                if (net->vlan_tags && net->vlan_tags->len > 0) {
                    if (net->vlan_trunk) {
                        for (guint k = 0; k < net->vlan_tags->len; k++)
                            g_string_append_printf(s, ":%u", g_array_index(net->vlan_tags, guint, k));
                    } else {
                        g_string_append_printf(s, ".%u", g_array_index(net->vlan_tags, guint, 0));
                    }
                }
            } else if (net->virtualport_type) {
                return unsupported(error, _("<virtualport type='%1$s'> has no xl.cfg equivalent"),
                                   net->virtualport_type);
            } else if (net->vlan_tags && net->vlan_tags->len > 0) {
                return unsupported(error, _("<vlan> without <virtualport type='openvswitch'> has no xl.cfg equivalent"));
            }
            if (ips)
                g_string_append_printf(s, ",ip=%s", ips);
            g_string_append_printf(s, ",script=%s", script ? script : "vif-bridge");
            break;
        }
        case XV_NET_TYPE_ETHERNET:
            if (net->script)
                g_string_append_printf(s, ",script=%s", net->script);
            if (ips)
                g_string_append_printf(s, ",ip=%s", ips);
            break;
        default:
            return unsupported(error, _("<interface type='%1$s'> has no xl.cfg equivalent"),
                               xv_net_type_to_string(net->type));
        }

        if (net->model) {
            if (hvm && g_str_equal(net->model, "netfront"))
                g_string_append(s, ",type=vif");
            else
                g_string_append_printf(s, ",model=%s", net->model);
        }
        if (net->ifname)
            g_string_append_printf(s, ",vifname=%s", net->ifname);
        if (net->outbound.present && net->outbound.average)
            g_string_append_printf(s, ",rate=%" G_GUINT64_FORMAT "KB/s", net->outbound.average);
        if (net->backend_domain)
            g_string_append_printf(s, ",backend=%s", net->backend_domain);
        if (net->mtu)
            g_string_append_printf(s, ",mtu=%d", net->mtu);
        if (net->inbound.present || net->outbound.peak || net->outbound.burst)
            return unsupported(error, _("<bandwidth> other than <outbound average=> has no xl.cfg equivalent"));
        if (net->portgroup)
            return unsupported(error, _("<source portgroup=> has no xl.cfg equivalent"));
        g_ptr_array_add(vifs, g_string_free(g_steal_pointer(&s), FALSE));
    }
    out_list(out, "vif", vifs);
    return TRUE;
}

static gboolean
format_pcis(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) pcis = str_array();

    for (guint i = 0; i < def->hostdevs->len; i++) {
        const XvHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        g_autoptr(GString) s = NULL;

        if (h->type != XV_HOSTDEV_PCI)
            continue;
        s = g_string_new(NULL);
        g_string_append_printf(s, "%04x:%02x:%02x.%x", h->domain, h->bus, h->slot, h->function);
        if (h->has_guest_address) {
            if (h->guest_domain || h->guest_bus)
                return unsupported(error, _("a PCI <hostdev> guest <address> off domain 0 bus 0 has no xl.cfg equivalent"));
            g_string_append_printf(s, "@%x", h->guest_slot);
        }
        if (h->write_filtering == XV_TRISTATE_ON)
            g_string_append(s, ",permissive=0");
        else if (h->write_filtering == XV_TRISTATE_OFF)
            g_string_append(s, ",permissive=1");
        if (h->managed)
            g_string_append(s, ",seize=1");
        g_ptr_array_add(pcis, g_string_free(g_steal_pointer(&s), FALSE));
    }
    out_list(out, "pci", pcis);
    return TRUE;
}

static char *
format_chr(const XvChrDef *chr, GError **error)
{
    switch (chr->type) {
    case XV_CHR_TYPE_NULL:
    case XV_CHR_TYPE_STDIO:
    case XV_CHR_TYPE_VC:
    case XV_CHR_TYPE_PTY:
        return g_strdup(xv_chr_type_to_string(chr->type));
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
        return g_strdup_printf("%s:%s", xv_chr_type_to_string(chr->type), chr->path ? chr->path : "");
    case XV_CHR_TYPE_DEV:
        return g_strdup(chr->path ? chr->path : "");
    case XV_CHR_TYPE_TCP:
        return g_strdup_printf("%s:%s:%s%s",
                               g_strcmp0(chr->protocol, "telnet") == 0 ? "telnet" : "tcp",
                               chr->host ? chr->host : "", chr->service ? chr->service : "",
                               g_strcmp0(chr->mode, "bind") == 0 ? ",server,nowait" : "");
    case XV_CHR_TYPE_UDP:
        return g_strdup_printf("udp:%s:%s@%s:%s",
                               chr->connect_host ? chr->connect_host : "",
                               chr->connect_service ? chr->connect_service : "",
                               chr->host ? chr->host : "", chr->service ? chr->service : "");
    case XV_CHR_TYPE_UNIX:
        return g_strdup_printf("unix:%s%s", chr->path ? chr->path : "",
                               g_strcmp0(chr->mode, "bind") == 0 ? ",server,nowait" : "");
    default:
        unsupported(error, _("<serial type='%1$s'> has no xl.cfg equivalent"),
                    xv_chr_type_to_string(chr->type));
        return NULL;
    }
}

static gboolean
format_chardevs(XlOut *out, const XvDomainDef *def, GError **error)
{
    if (def->os.type != XV_DOMAIN_OS_HVM) {
        if (def->serials->len > 0)
            return unsupported(error, _("<serial> has no xl.cfg equivalent for a PV domain; PV domains have a <console>"));
        return TRUE;
    }
    out_str(out, "parallel", "none");
    if (def->serials->len == 0) {
        out_str(out, "serial", "none");
        return TRUE;
    }
    const XvChrDef *first = g_ptr_array_index(def->serials, 0);
    if (def->serials->len == 1 && first->port == 0) {
        g_autofree char *s = format_chr(first, error);
        if (!s)
            return FALSE;
        out_str(out, "serial", s);
        return TRUE;
    }
    guint maxport = 0;
    for (guint i = 0; i < def->serials->len; i++) {
        const XvChrDef *c = g_ptr_array_index(def->serials, i);
        maxport = MAX(maxport, c->port);
    }
    g_autoptr(GPtrArray) items = str_array();
    for (guint port = 0; port <= maxport; port++) {
        const XvChrDef *chr = NULL;
        for (guint i = 0; i < def->serials->len && !chr; i++) {
            const XvChrDef *c = g_ptr_array_index(def->serials, i);
            if (c->port == port)
                chr = c;
        }
        if (chr) {
            char *s = format_chr(chr, error);
            if (!s)
                return FALSE;
            g_ptr_array_add(items, s);
        } else {
            g_ptr_array_add(items, g_strdup("none"));
        }
    }
    out_list(out, "serial", items);
    return TRUE;
}

static gboolean
format_sound(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) models = str_array();

    if (def->sounds->len == 0)
        return TRUE;
    if (def->os.type != XV_DOMAIN_OS_HVM)
        return unsupported(error, _("<sound> has no xl.cfg equivalent for a PV domain"));
    for (guint i = 0; i < def->sounds->len; i++) {
        const XvSoundDef *s = g_ptr_array_index(def->sounds, i);
        g_ptr_array_add(models, g_strdup(s->model));
    }
    g_ptr_array_add(models, NULL);
    g_autofree char *str = g_strjoinv(",", (char **)models->pdata);
    out_str(out, "soundhw", str);
    return TRUE;
}

static gboolean
is_default_ovmf(const char *path)
{
    return path == NULL || g_str_equal(path, XV_XEN_FIRMWARE_DIR "/ovmf.bin");
}

static gboolean
format_os(XlOut *out, const XvDomainDef *def, GError **error)
{
    if (def->os.type == XV_DOMAIN_OS_HVM) {
        char boot[XV_DOMAIN_BOOT_LAST + 1];

        out_str(out, "builder", "hvm");
        if (def->os.firmware == XV_DOMAIN_FIRMWARE_EFI ||
            def->os.loader_type == XV_DOMAIN_LOADER_TYPE_PFLASH) {
            out_str(out, "bios", "ovmf");
            if (!is_default_ovmf(def->os.loader))
                out_str(out, "bios_path_override", def->os.loader);
        } else if (def->os.loader &&
                   !g_str_equal(def->os.loader, XV_XEN_FIRMWARE_DIR "/hvmloader")) {
            out_str(out, "bios_path_override", def->os.loader);
        }
        if (def->os.kernel)
            out_str(out, "kernel", def->os.kernel);
        if (def->os.initrd)
            out_str(out, "ramdisk", def->os.initrd);
        if (def->os.cmdline)
            out_str(out, "cmdline", def->os.cmdline);
        for (guint i = 0; i < def->os.nboot; i++) {
            switch (def->os.boot[i]) {
            case XV_DOMAIN_BOOT_FLOPPY: boot[i] = 'a'; break;
            case XV_DOMAIN_BOOT_CDROM: boot[i] = 'd'; break;
            case XV_DOMAIN_BOOT_NET: boot[i] = 'n'; break;
            default: boot[i] = 'c'; break;
            }
        }
        if (def->os.nboot == 0) {
            boot[0] = 'c';
            boot[1] = '\0';
        } else {
            boot[def->os.nboot] = '\0';
        }
        out_str(out, "boot", boot);

        if (def->cpu.mode == XV_CPU_MODE_HOST_PASSTHROUGH) {
            gboolean hw_virt = TRUE;
            for (guint i = 0; i < def->cpu.features->len; i++) {
                const XvCpuFeature *f = g_ptr_array_index(def->cpu.features, i);
                if ((f->policy == XV_CPU_FEATURE_DISABLE || f->policy == XV_CPU_FEATURE_FORBID) &&
                    (g_str_equal(f->name, "vmx") || g_str_equal(f->name, "svm")))
                    hw_virt = FALSE;
            }
            out_int(out, "nestedhvm", hw_virt);
        }
    } else {
        if (def->os.type == XV_DOMAIN_OS_XENPVH)
            out_str(out, "type", "pvh");
        if (def->os.bootloader)
            out_str(out, "bootloader", def->os.bootloader);
        if (def->os.bootloader_args) {
            g_auto(GStrv) words = g_strsplit(def->os.bootloader_args, " ", -1);
            g_autoptr(GPtrArray) items = str_array();
            for (guint i = 0; words[i]; i++)
                if (*words[i])
                    g_ptr_array_add(items, g_strdup(words[i]));
            out_list(out, "bootloader_args", items);
        }
        if (def->os.kernel)
            out_str(out, "kernel", def->os.kernel);
        if (def->os.initrd)
            out_str(out, "ramdisk", def->os.initrd);
        if (def->os.cmdline)
            out_str(out, "cmdline", def->os.cmdline);
    }
    if (def->os.acpi_table) {
        if (g_strcmp0(def->os.acpi_table_type, "slic") != 0)
            return unsupported(error, _("<acpi><table type='%1$s'> has no xl.cfg equivalent"),
                               def->os.acpi_table_type ? def->os.acpi_table_type : "");
        out_str(out, "acpi_firmware", def->os.acpi_table);
    }
    if (def->os.dtb)
        return unsupported(error, _("<os><dtb> has no xl.cfg equivalent on x86"));
    if (def->os.nvram)
        return unsupported(error, _("<os><nvram> has no xl.cfg equivalent"));
    return TRUE;
}

static gboolean
format_cpuid(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) pairs = str_array();

    if (def->cpu.mode == XV_CPU_MODE_NONE || def->cpu.mode == XV_CPU_MODE_CUSTOM) {
        if (def->cpu.model || def->cpu.features->len > 0)
            return unsupported(error, _("<cpu> with a model or features is only convertible with mode='host-passthrough'"));
        return TRUE;
    }
    if (def->cpu.mode != XV_CPU_MODE_HOST_PASSTHROUGH)
        return unsupported(error, _("<cpu mode='%1$s'> has no xl.cfg equivalent"),
                           xv_cpu_mode_to_string(def->cpu.mode));

    g_ptr_array_add(pairs, g_strdup("host"));
    for (guint i = 0; i < def->cpu.features->len; i++) {
        const XvCpuFeature *f = g_ptr_array_index(def->cpu.features, i);
        const char *name = cpu_feature_translate(f->name, FALSE);
        const char *policy;

        if (g_str_equal(name, "vmx") || g_str_equal(name, "svm"))
            continue;   /* nestedhvm */
        switch (f->policy) {
        case XV_CPU_FEATURE_FORCE:
        case XV_CPU_FEATURE_REQUIRE: policy = "1"; break;
        case XV_CPU_FEATURE_OPTIONAL: policy = "x"; break;
        default: policy = "0"; break;
        }
        g_ptr_array_add(pairs, g_strdup_printf("%s=%s", name, policy));
    }
    if (pairs->len > 1) {
        g_ptr_array_add(pairs, NULL);
        g_autofree char *s = g_strjoinv(",", (char **)pairs->pdata);
        out_str(out, "cpuid", s);
    }
    return TRUE;
}

static guint
numa_distance(const XvDomainDef *def, guint a, guint b)
{
    const XvNumaCell *ca = g_ptr_array_index(def->cpu.cells, a);
    const XvNumaCell *cb = g_ptr_array_index(def->cpu.cells, b);

    if (ca->distances && b < ca->distances->len && g_array_index(ca->distances, guint, b))
        return g_array_index(ca->distances, guint, b);
    if (cb->distances && a < cb->distances->len && g_array_index(cb->distances, guint, a))
        return g_array_index(cb->distances, guint, a);
    return a == b ? 10 : 20;
}

static gboolean
format_vnuma(XlOut *out, const XvDomainDef *def, GError **error)
{
    guint n = def->cpu.cells->len;
    GString *s;

    if (n == 0)
        return TRUE;
    s = g_string_new("[ ");
    for (guint i = 0; i < n; i++) {
        const XvNumaCell *cell = g_ptr_array_index(def->cpu.cells, i);
        g_autofree char *cpus = cell->cpus ? xv_bitmap_format(cell->cpus) : g_strdup("");
        g_autoptr(GPtrArray) items = str_array();
        GString *d = g_string_new("vdistances=");
        g_autofree char *rendered = NULL;

        g_ptr_array_add(items, g_strdup_printf("pnode=%u", i));
        g_ptr_array_add(items, g_strdup_printf("size=%" G_GUINT64_FORMAT, cell->memory_kb / 1024));
        g_ptr_array_add(items, g_strdup_printf("vcpus=%s", cpus));
        for (guint j = 0; j < n; j++)
            g_string_append_printf(d, j ? ",%u" : "%u", numa_distance(def, i, j));
        g_ptr_array_add(items, g_string_free(d, FALSE));
        rendered = render_list(items);
        if (i)
            g_string_append(s, ", ");
        g_string_append(s, rendered);
    }
    g_string_append(s, " ]");
    out_set_raw(out, "vnuma", g_string_free(s, FALSE));
    return TRUE;
}

static gboolean
format_xenbus(XlOut *out, const XvDomainDef *def, GError **error)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const XvControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type != XV_CONTROLLER_XENBUS)
            continue;
        if (c->max_grant_frames)
            out_int(out, "max_grant_frames", c->max_grant_frames);
        if (c->max_event_channels)
            out_int(out, "max_event_channels", c->max_event_channels);
    }
    return TRUE;
}

static char *
format_rbd(const XvDiskDef *disk, GError **error)
{
    g_autoptr(GString) s = g_string_new("rbd:");

    if (strchr(disk->src ? disk->src : "", ':')) {
        unsupported(error, _("':' not allowed in RBD source volume name '%1$s'"), disk->src);
        return NULL;
    }
    g_string_append(s, disk->src ? disk->src : "");
    if (disk->auth_username) {
        g_string_append_printf(s, ":id=%s", disk->auth_username);
        g_string_append(s, ":auth_supported=cephx\\;none");
    } else {
        g_string_append(s, ":auth_supported=none");
    }
    if (disk->hosts && disk->hosts->len > 0) {
        g_string_append(s, ":mon_host=");
        for (guint i = 0; i < disk->hosts->len; i++) {
            const XvNetHost *h = g_ptr_array_index(disk->hosts, i);
            if (i)
                g_string_append(s, "\\;");
            if (strchr(h->name, ':')) {
                g_auto(GStrv) segs = g_strsplit(h->name, ":", -1);
                g_autofree char *esc = g_strjoinv("\\:", segs);
                g_string_append_printf(s, "[%s]", esc);
            } else {
                g_string_append(s, h->name);
            }
            if (h->port)
                g_string_append_printf(s, "\\:%d", h->port);
        }
    }
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
format_disks(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) disks = str_array();

    for (guint i = 0; i < def->disks->len; i++) {
        const XvDiskDef *disk = g_ptr_array_index(def->disks, i);
        const char *fmt = disk->driver_type;
        g_autofree char *target = NULL;
        GString *s;

        if (disk->transient)
            return unsupported(error, _("<disk><transient/> (disk '%1$s') has no xl.cfg equivalent"),
                               disk->dst);
        if (disk->device == XV_DISK_DEVICE_FLOPPY)
            return unsupported(error, _("<disk device='floppy'> (disk '%1$s') has no xl.cfg equivalent"),
                               disk->dst);
        if (disk->type == XV_DISK_TYPE_NETWORK) {
            if (g_strcmp0(disk->protocol, "rbd") != 0)
                return unsupported(error, _("<disk type='network'> with protocol '%1$s' (disk '%2$s') has no xl.cfg equivalent"),
                                   disk->protocol ? disk->protocol : "", disk->dst);
            if ((target = format_rbd(disk, error)) == NULL)
                return FALSE;
        } else if (disk->src) {
            target = g_strdup(disk->src);
        }

        s = g_string_new("format=");
        if (fmt == NULL || (!g_str_equal(fmt, "qcow") && !g_str_equal(fmt, "qcow2") &&
                            !g_str_equal(fmt, "qed") && !g_str_equal(fmt, "vhd")))
            fmt = "raw";
        g_string_append_printf(s, "%s,", fmt);
        g_string_append_printf(s, "vdev=%s,", disk->dst);
        g_string_append_printf(s, "access=%s,", disk->readonly ? "ro" : disk->shareable ? "!" : "rw");
        if (disk->driver_name) {
            const char *d = disk->driver_name;
            if (g_str_equal(d, "qemu") || g_str_equal(d, "file"))
                g_string_append(s, "backendtype=qdisk,");
            else if (g_str_equal(d, "tap") || g_str_equal(d, "tap2"))
                g_string_append(s, "backendtype=tap,");
            else if (g_str_equal(d, "phy"))
                g_string_append(s, "backendtype=phy,");
        }
        if (disk->device == XV_DISK_DEVICE_CDROM)
            g_string_append(s, "devtype=cdrom,");
        if (disk->script)
            g_string_append_printf(s, "script=%s,", disk->script);
        if (disk->backend_domain)
            g_string_append_printf(s, "backend=%s,", disk->backend_domain);
        if (target)
            g_string_append_printf(s, "target=%s", target);
        if (s->len && s->str[s->len - 1] == ',')
            g_string_truncate(s, s->len - 1);
        g_ptr_array_add(disks, g_string_free(s, FALSE));
    }
    out_list(out, "disk", disks);
    return TRUE;
}

static gboolean
format_spice(XlOut *out, const XvDomainDef *def, GError **error)
{
    const XvGraphicsDef *g = NULL;
    gboolean has_vnc = FALSE, has_sdl = FALSE;

    if (def->os.type != XV_DOMAIN_OS_HVM)
        return TRUE;
    for (guint i = 0; i < def->graphics->len; i++) {
        const XvGraphicsDef *gi = g_ptr_array_index(def->graphics, i);
        if (gi->type == XV_GRAPHICS_SPICE && !g)
            g = gi;
        has_vnc |= gi->type == XV_GRAPHICS_VNC;
        has_sdl |= gi->type == XV_GRAPHICS_SDL;
    }
    if (!g)
        return TRUE;
    out_int(out, "sdl", has_sdl);
    out_int(out, "vnc", has_vnc);
    out_int(out, "spice", 1);
    if (g->listen)
        out_str(out, "spicehost", g->listen);
    out_int(out, "spiceport", g->port > 0 ? g->port : 0);
    out_int(out, "spicetls_port", g->tls_port);
    if (g->passwd) {
        out_int(out, "spicedisable_ticketing", 0);
        out_str(out, "spicepasswd", g->passwd);
    } else {
        out_int(out, "spicedisable_ticketing", 1);
    }
    if (g_strcmp0(g->mouse_mode, "server") == 0) {
        out_int(out, "spiceagent_mouse", 0);
    } else if (g_strcmp0(g->mouse_mode, "client") == 0) {
        out_int(out, "spiceagent_mouse", 1);
        out_int(out, "spicevdagent", 1);
    }
    if (g->clipboard_copypaste == XV_TRISTATE_ON) {
        out_int(out, "spice_clipboard_sharing", 1);
        out_int(out, "spicevdagent", 1);
    }
    return TRUE;
}

static gboolean
format_usb_inputs(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) devs = str_array();

    for (guint i = 0; i < def->inputs->len; i++) {
        const XvInputDef *in = g_ptr_array_index(def->inputs, i);
        if (in->bus != XV_INPUT_BUS_USB)
            continue;
        if (def->os.type != XV_DOMAIN_OS_HVM)
            return unsupported(error, _("<input bus='usb'> has no xl.cfg equivalent for a PV domain"));
        out_int(out, "usb", 1);
        g_ptr_array_add(devs, g_strdup(xv_input_type_to_string(in->type)));
    }
    for (guint i = 0; i < def->hostdevs->len; i++) {
        const XvHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->type != XV_HOSTDEV_USB || !h->usb_by_id)
            continue;
        if (def->os.type != XV_DOMAIN_OS_HVM)
            return unsupported(error, _("a USB <hostdev> selected by vendor/product has no xl.cfg equivalent for a PV domain"));
        out_int(out, "usb", 1);
        g_ptr_array_add(devs, g_strdup_printf("host:%04x:%04x", h->usb_vendor, h->usb_product));
    }
    if (devs->len == 1)
        out_str(out, "usbdevice", g_ptr_array_index(devs, 0));
    else
        out_list(out, "usbdevice", devs);
    return TRUE;
}

static gboolean
format_usbdevs(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) devs = str_array();

    for (guint i = 0; i < def->hostdevs->len; i++) {
        const XvHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->type != XV_HOSTDEV_USB || h->usb_by_id)
            continue;
        g_ptr_array_add(devs, g_strdup_printf("hostbus=%x,hostaddr=%x", h->usb_bus, h->usb_device));
    }
    out_list(out, "usbdev", devs);
    return TRUE;
}

static gboolean
format_usbctrls(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) ctrls = str_array();

    for (guint i = 0; i < def->controllers->len; i++) {
        const XvControllerDef *c = g_ptr_array_index(def->controllers, i);
        g_autoptr(GString) s = NULL;

        if (c->type != XV_CONTROLLER_USB)
            continue;
        s = g_string_new(NULL);
        if (c->model) {
            if (g_str_equal(c->model, "qusb1"))
                g_string_append(s, "type=qusb,version=1,");
            else if (g_str_equal(c->model, "qusb2"))
                g_string_append(s, "type=qusb,version=2,");
            else
                return unsupported(error, _("<controller type='usb' model='%1$s'> has no xl.cfg equivalent"),
                                   c->model);
        }
        if (c->ports)
            g_string_append_printf(s, "ports=%u", c->ports);
        if (s->len && s->str[s->len - 1] == ',')
            g_string_truncate(s, s->len - 1);
        g_ptr_array_add(ctrls, g_string_free(g_steal_pointer(&s), FALSE));
    }
    out_list(out, "usbctrl", ctrls);
    return TRUE;
}

static gboolean
format_channels(XlOut *out, const XvDomainDef *def, GError **error)
{
    g_autoptr(GPtrArray) chans = str_array();

    for (guint i = 0; i < def->channels->len; i++) {
        const XvChrDef *c = g_ptr_array_index(def->channels, i);
        g_autoptr(GString) s = NULL;

        if (g_strcmp0(c->target_type, "xen") != 0)
            return unsupported(error, _("<channel> with target type '%1$s' has no xl.cfg equivalent"),
                               c->target_type ? c->target_type : "");
        s = g_string_new("connection=");
        if (c->type == XV_CHR_TYPE_PTY) {
            g_string_append(s, "pty,");
        } else if (c->type == XV_CHR_TYPE_UNIX) {
            g_string_append(s, "socket,");
            if (c->path)
                g_string_append_printf(s, "path=%s,", c->path);
        } else {
            return unsupported(error, _("<channel type='%1$s'> has no xl.cfg equivalent"),
                               xv_chr_type_to_string(c->type));
        }
        g_string_append_printf(s, "name=%s", c->target_name ? c->target_name : "");
        g_ptr_array_add(chans, g_string_free(g_steal_pointer(&s), FALSE));
    }
    out_list(out, "channel", chans);
    return TRUE;
}

static gboolean
format_unrepresentable(const XvDomainDef *def, GError **error)
{
    /* ide/scsi/sata controllers are implicit: xl picks the bus from the vdev */
    for (guint i = 0; i < def->inputs->len; i++) {
        const XvInputDef *in = g_ptr_array_index(def->inputs, i);
        /* ps2 (HVM) and xen (PV) inputs are implicit */
        if (in->bus == XV_INPUT_BUS_XEN && def->os.type == XV_DOMAIN_OS_HVM)
            return unsupported(error, _("<input bus='xen'> has no xl.cfg equivalent for an HVM domain"));
    }
    for (guint i = 0; i < def->disks->len; i++) {
        const XvDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->driver_cache || d->serial)
            return unsupported(error, _("disk '%1$s': <driver cache=> and <serial> have no xl.cfg equivalent"),
                               d->dst);
    }
    return TRUE;
}

char *
xv_xl_config_format(const XvDomainDef *def, GError **error)
{
    XlOut out = {
        .keys = g_ptr_array_new_with_free_func(g_free),
        .values = g_ptr_array_new_with_free_func(g_free),
    };
    char uuid[XV_UUID_STRING_BUFLEN];
    gboolean ok;
    GString *text;

    g_return_val_if_fail(def != NULL, NULL);

    out_str(&out, "name", def->name);
    out_str(&out, "uuid", xv_uuid_format(def->uuid, uuid));
    out_int(&out, "maxmem", (long long)((def->memory_kb + 1023) / 1024));
    out_int(&out, "memory", (long long)((def->current_memory_kb + 1023) / 1024));

    ok = format_cpu_allocation(&out, def, error) &&
         format_features(&out, def, error) &&
         format_time(&out, def, error);
    if (ok) {
        out_str(&out, "on_poweroff", xv_domain_lifecycle_action_to_string(def->on_poweroff));
        out_str(&out, "on_reboot", xv_domain_lifecycle_action_to_string(def->on_reboot));
        out_str(&out, "on_crash", xv_domain_lifecycle_action_to_string(def->on_crash));
        if (def->emulator)
            out_str(&out, "device_model_override", def->emulator);
    }
    ok = ok &&
         format_vfb(&out, def, error) &&
         format_video(&out, def, error) &&
         format_vifs(&out, def, error) &&
         format_pcis(&out, def, error) &&
         format_chardevs(&out, def, error) &&
         format_sound(&out, def, error) &&
         format_os(&out, def, error) &&
         format_cpuid(&out, def, error) &&
         format_vnuma(&out, def, error) &&
         format_xenbus(&out, def, error) &&
         format_disks(&out, def, error) &&
         format_spice(&out, def, error) &&
         format_usb_inputs(&out, def, error) &&
         format_usbdevs(&out, def, error) &&
         format_usbctrls(&out, def, error) &&
         format_channels(&out, def, error) &&
         format_unrepresentable(def, error);
    if (ok && def->xen_args->len > 0) {
        g_autoptr(GPtrArray) args = str_array();
        for (guint i = 0; i < def->xen_args->len; i++)
            g_ptr_array_add(args, g_strdup(g_ptr_array_index(def->xen_args, i)));
        out_list(&out, "device_model_args", args);
    }

    text = g_string_new(NULL);
    for (guint i = 0; ok && i < out.keys->len; i++)
        g_string_append_printf(text, "%s = %s\n", (char *)g_ptr_array_index(out.keys, i),
                               (char *)g_ptr_array_index(out.values, i));
    g_ptr_array_unref(out.keys);
    g_ptr_array_unref(out.values);
    if (!ok) {
        g_string_free(text, TRUE);
        return NULL;
    }
    return g_string_free(text, FALSE);
}
