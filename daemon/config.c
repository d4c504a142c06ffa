/*
 * config.c: xenvirtd's configuration file (GKeyFile, see data/xenvirtd.conf).
 */
#include "daemon/daemon.h"

void
xv_daemon_config_init(XvDaemonConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->worker_threads = 8;
    cfg->priority_threads = 4;
    cfg->max_long_jobs = 64;
    cfg->job_wait_us = 30 * G_USEC_PER_SEC;
    cfg->max_async_jobs = 0;
    cfg->max_queued_per_domain = 32;
    cfg->max_clients = 256;
    cfg->max_pending_calls = 64;
    cfg->max_message_size = 4 * 1024 * 1024;
    cfg->log_level = G_LOG_LEVEL_MESSAGE;
    cfg->log_output = g_strdup("auto");
    cfg->access_group = g_strdup("xenvirt");
    cfg->shutdown_wait_s = 10;
}

void
xv_daemon_config_clear(XvDaemonConfig *cfg)
{
    g_clear_pointer(&cfg->log_output, g_free);
    g_clear_pointer(&cfg->access_group, g_free);
}

typedef enum { KEY_UINT, KEY_SECONDS, KEY_STRING, KEY_LEVEL } KeyType;

typedef struct {
    const char *group;
    const char *key;
    KeyType type;
    gsize offset;
    guint64 min, max;
} ConfigKey;

#define OFF(f) G_STRUCT_OFFSET(XvDaemonConfig, f)

static const ConfigKey config_keys[] = {
    { "daemon", "worker_threads", KEY_UINT, OFF(worker_threads), 1, 1024 },
    { "daemon", "priority_threads", KEY_UINT, OFF(priority_threads), 1, 1024 },
    { "daemon", "max_long_jobs", KEY_UINT, OFF(max_long_jobs), 1, 4096 },
    { "daemon", "shutdown_wait", KEY_UINT, OFF(shutdown_wait_s), 0, 3600 },
    { "jobs", "wait_timeout", KEY_SECONDS, OFF(job_wait_us), 1, 86400 },
    { "jobs", "max_async_jobs", KEY_UINT, OFF(max_async_jobs), 0, 4096 },
    { "jobs", "max_queued_per_domain", KEY_UINT, OFF(max_queued_per_domain), 1, 4096 },
    { "limits", "max_clients", KEY_UINT, OFF(max_clients), 1, 65536 },
    { "limits", "max_pending_calls_per_client", KEY_UINT, OFF(max_pending_calls), 1, 65536 },
    { "limits", "max_message_size", KEY_UINT, OFF(max_message_size), 1024, 128 * 1024 * 1024 },
    { "log", "level", KEY_LEVEL, OFF(log_level), 0, 0 },
    { "log", "output", KEY_STRING, OFF(log_output), 0, 0 },
    { "access", "group", KEY_STRING, OFF(access_group), 0, 0 },
};

static const struct {
    const char *name;
    GLogLevelFlags level;
} log_levels[] = {
    { "error", G_LOG_LEVEL_CRITICAL },
    { "critical", G_LOG_LEVEL_CRITICAL },
    { "warning", G_LOG_LEVEL_WARNING },
    { "message", G_LOG_LEVEL_MESSAGE },
    { "info", G_LOG_LEVEL_INFO },
    { "debug", G_LOG_LEVEL_DEBUG },
};

gboolean
xv_daemon_config_load(XvDaemonConfig *cfg, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    XvDaemonConfig tmp;
    g_auto(GStrv) groups = NULL;

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error)) {
        xv_error_prefix(error, _("cannot read the configuration file '%s': "), path);
        return FALSE;
    }

    groups = g_key_file_get_groups(kf, NULL);
    for (guint g = 0; groups[g] != NULL; g++) {
        g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);

        for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
            gboolean known = FALSE;

            for (gsize i = 0; i < G_N_ELEMENTS(config_keys); i++)
                if (g_str_equal(config_keys[i].group, groups[g]) &&
                    g_str_equal(config_keys[i].key, keys[k]))
                    known = TRUE;
            if (!known)
                g_warning(_("%1$s: unknown key '%2$s' in group [%3$s] ignored"), path, keys[k],
                          groups[g]);
        }
    }

    tmp = *cfg;
    tmp.log_output = g_strdup(cfg->log_output);
    tmp.access_group = g_strdup(cfg->access_group);
    for (gsize i = 0; i < G_N_ELEMENTS(config_keys); i++) {
        const ConfigKey *ck = &config_keys[i];
        g_autofree char *value = NULL;
        gpointer field = G_STRUCT_MEMBER_P(&tmp, ck->offset);
        guint64 n;

        value = g_key_file_get_string(kf, ck->group, ck->key, NULL);
        if (value == NULL)
            continue;
        g_strstrip(value);
        switch (ck->type) {
        case KEY_UINT:
        case KEY_SECONDS:
            if (!g_ascii_string_to_unsigned(value, 10, ck->min, ck->max, &n, NULL)) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX,
                            _("%1$s: [%2$s] %3$s must be a whole number from %4$llu to %5$llu, not '%6$s'"),
                            path, ck->group, ck->key, (unsigned long long)ck->min,
                            (unsigned long long)ck->max, value);
                xv_daemon_config_clear(&tmp);
                return FALSE;
            }
            if (ck->type == KEY_SECONDS)
                *(gint64 *)field = (gint64)n * G_USEC_PER_SEC;
            else if (ck->offset == OFF(max_message_size))
                *(gsize *)field = (gsize)n;
            else
                *(guint *)field = (guint)n;
            break;
        case KEY_STRING:
            if (ck->offset == OFF(log_output) && !g_str_equal(value, "auto") &&
                !g_str_equal(value, "stderr") && !g_str_equal(value, "journal")) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX,
                            _("%1$s: [log] output must be 'auto', 'stderr' or 'journal', not '%2$s'"),
                            path, value);
                xv_daemon_config_clear(&tmp);
                return FALSE;
            }
            g_free(*(char **)field);
            *(char **)field = g_steal_pointer(&value);
            break;
        case KEY_LEVEL: {
            gboolean found = FALSE;

            for (gsize l = 0; l < G_N_ELEMENTS(log_levels); l++) {
                if (g_ascii_strcasecmp(log_levels[l].name, value) == 0) {
                    tmp.log_level = log_levels[l].level;
                    found = TRUE;
                }
            }
            if (!found) {
                g_set_error(error, XV_ERROR, XV_ERROR_CONF_SYNTAX,
                            _("%1$s: [log] level must be error, warning, message, info or debug, not '%2$s'"),
                            path, value);
                xv_daemon_config_clear(&tmp);
                return FALSE;
            }
            break;
        }
        }
    }
    xv_daemon_config_clear(cfg);
    *cfg = tmp;
    return TRUE;
}
