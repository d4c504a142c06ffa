/* tests/i18n: the gettext catalogue and xvirsh speaking German.
 *
 * - /i18n/po/de/complete: po/de.po passes msgfmt --check --check-format and
 *   has no untranslated or fuzzy entry.
 * - /i18n/potfiles/complete: po/POTFILES lists exactly the source files with
 *   _() / N_() messages, sorted, and every listed file exists.
 * - /i18n/catalogue/de: the compiled catalogue from the build directory
 *   (<builddir>/po/de/LC_MESSAGES/xenvirt.mo) translates messages of every
 *   layer when looked up with LANGUAGE=de.
 * - /i18n/xvirsh/..., /i18n/xenvirtd/...: the built programs print their
 *   messages in German (and in English under LC_ALL=C, the control).
 *   XENVIRT_LOCALEDIR points both at a temporary tree
 *   <tmp>/de/LC_MESSAGES/xenvirt.mo holding the catalogue just built.
 * - /i18n/xvirsh/offline-fallback: xvirsh's offline conversion does not
 *   depend on the language of its messages.
 *
 * The locale: glibc ignores LANGUAGE when LC_MESSAGES is "C" or "POSIX";
 * glibc >= 2.35 does not count C.UTF-8 as "C" there, so LC_ALL=C.UTF-8 with
 * LANGUAGE=de is tried first.  If that does not translate, de_DE.UTF-8 is
 * used when installed, else it is generated with localedef into the
 * temporary directory and found through LOCPATH.  When none works, the
 * tests that need it are skipped with the reason. */
#include <glib.h>
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "xenvirt"

static struct {
    char *tmpdir;     /* holds de/LC_MESSAGES/xenvirt.mo (and locale/) */
    char *mo_error;   /* why the catalogue could not be set up, or NULL */
    char *locale;     /* locale in which LANGUAGE=de takes effect, or NULL */
    char *locpath;    /* LOCPATH for that locale, or NULL */
    char *no_locale;  /* why no locale was found */
} env;

static const char *
srcdir(void)
{
    const char *d = g_getenv("XV_SRCDIR");

    g_assert_nonnull(d);
    return d;
}

static const char *
builddir(void)
{
    const char *d = g_getenv("XV_BUILDDIR");

    g_assert_nonnull(d);
    return d;
}

/* ---- setup --------------------------------------------------------------- */

static void
setup_catalogue(void)
{
    g_autofree char *mo = g_build_filename(builddir(), "po", "de", "LC_MESSAGES",
                                           DOMAIN ".mo", NULL);
    g_autofree char *dir = NULL;
    g_autofree char *dest = NULL;
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    gsize len;

    env.tmpdir = g_dir_make_tmp("xv-i18n-XXXXXX", &error);
    g_assert_no_error(error);
    if (!g_file_get_contents(mo, &data, &len, &error)) {
        env.mo_error = g_strdup_printf("the German catalogue was not built: %s", error->message);
        return;
    }
    dir = g_build_filename(env.tmpdir, "de", "LC_MESSAGES", NULL);
    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    dest = g_build_filename(dir, DOMAIN ".mo", NULL);
    g_file_set_contents(dest, data, (gssize)len, &error);
    g_assert_no_error(error);
}

/* Does gettext, in this process, translate with LANGUAGE=de under LOCALE?
 * The probe is the catalogue's header (the translation of ""), which every
 * compiled catalogue has. */
static gboolean
probe_locale(const char *locale, const char *locpath)
{
    const char *header;
    gboolean ok;

    if (locpath != NULL)
        g_setenv("LOCPATH", locpath, TRUE);
    else
        g_unsetenv("LOCPATH");
    g_setenv("LANGUAGE", "de", TRUE);
    if (setlocale(LC_ALL, locale) == NULL) {
        g_unsetenv("LOCPATH");
        return FALSE;
    }
    bindtextdomain(DOMAIN, env.tmpdir);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    header = dgettext(DOMAIN, "");
    ok = header != NULL && strstr(header, "Language: de") != NULL;
    setlocale(LC_ALL, "C");
    g_unsetenv("LOCPATH");
    return ok;
}

static void
setup_locale(void)
{
    g_autofree char *locpath = NULL;
    g_autofree char *target = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = -1;

    if (env.mo_error != NULL) {
        env.no_locale = g_strdup(env.mo_error);
        return;
    }
    if (probe_locale("C.UTF-8", NULL)) {
        env.locale = g_strdup("C.UTF-8");
        return;
    }
    if (probe_locale("de_DE.UTF-8", NULL)) {
        env.locale = g_strdup("de_DE.UTF-8");
        return;
    }
    /* Generate de_DE.UTF-8 privately. localedef may exit 1 for mere
     * warnings; what counts is whether the locale then loads. */
    locpath = g_build_filename(env.tmpdir, "locale", NULL);
    target = g_build_filename(locpath, "de_DE.UTF-8", NULL);
    g_assert_cmpint(g_mkdir_with_parents(locpath, 0700), ==, 0);
    {
        const char *argv[] = { "localedef", "-c", "-i", "de_DE", "-f", "UTF-8", target, NULL };

        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                          NULL, NULL, NULL, &err, &status, &error)) {
            env.no_locale = g_strdup_printf("LANGUAGE=de is ignored under C.UTF-8, de_DE.UTF-8 is "
                                            "not installed and localedef cannot run: %s",
                                            error->message);
            return;
        }
    }
    if (probe_locale("de_DE.UTF-8", locpath)) {
        env.locale = g_strdup("de_DE.UTF-8");
        env.locpath = g_steal_pointer(&locpath);
        return;
    }
    env.no_locale = g_strdup_printf("LANGUAGE=de is ignored under C.UTF-8, de_DE.UTF-8 is not "
                                    "installed and localedef could not generate it (status %d): %s",
                                    status, err != NULL ? err : "");
}

static gboolean
rm_rf(const char *path)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK))
        return g_unlink(path) == 0;
    dir = g_dir_open(path, 0, NULL);
    if (dir == NULL)
        return FALSE;
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (!rm_rf(child))
            return FALSE;
    }
    return g_rmdir(path) == 0;
}

/* ---- helpers -------------------------------------------------------------- */

/* Run a program; returns its wait status, captures stdout and stderr. */
static int
run(const char *const *argv, char **envp, char **out, char **err)
{
    g_autoptr(GError) error = NULL;
    int status = -1;

    if (!g_spawn_sync(NULL, (char **)argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err,
                      &status, &error))
        g_error("cannot run %s: %s", argv[0], error->message);
    return status;
}

typedef enum { LANG_DE, LANG_C } Lang;

/* Run the built PROGRAM (relative to the build directory) with ARGS in German (or in the C locale, with
 * LANGUAGE=de still set, as the control). */
static int
run_program_env(const char *program, Lang lang, const char *const *extra_env,
                const char *const *args, char **out, char **err)
{
    g_autofree char *path = g_build_filename(builddir(), program, NULL);
    g_auto(GStrv) envp = g_get_environ();
    g_autoptr(GPtrArray) argv = g_ptr_array_new();

    g_assert_true(g_file_test(path, G_FILE_TEST_IS_EXECUTABLE));
    envp = g_environ_setenv(envp, "XENVIRT_LOCALEDIR", env.tmpdir, TRUE);
    envp = g_environ_setenv(envp, "LANGUAGE", "de", TRUE);
    envp = g_environ_setenv(envp, "LC_ALL", lang == LANG_DE ? env.locale : "C", TRUE);
    if (lang == LANG_DE && env.locpath != NULL)
        envp = g_environ_setenv(envp, "LOCPATH", env.locpath, TRUE);
    else
        envp = g_environ_unsetenv(envp, "LOCPATH");
    for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
        envp = g_environ_setenv(envp, extra_env[i], extra_env[i + 1], TRUE);

    g_ptr_array_add(argv, path);
    for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    return run((const char *const *)argv->pdata, envp, out, err);
}

static int
run_xvirsh_env(Lang lang, const char *const *extra_env, const char *const *args, char **out,
               char **err)
{
    return run_program_env("cli/xvirsh", lang, extra_env, args, out, err);
}

static int
run_xvirsh(Lang lang, const char *const *args, char **out, char **err)
{
    return run_xvirsh_env(lang, NULL, args, out, err);
}

static gboolean
need_german(void)
{
    if (env.mo_error != NULL) {
        g_test_fail_printf("%s", env.mo_error);
        return FALSE;
    }
    if (env.locale == NULL) {
        g_test_skip_printf("no locale in which gettext honours LANGUAGE=de: %s", env.no_locale);
        return FALSE;
    }
    g_test_message("running in locale %s%s%s with LANGUAGE=de", env.locale,
                   env.locpath != NULL ? ", LOCPATH=" : "", env.locpath != NULL ? env.locpath : "");
    return TRUE;
}

static char *
write_temp(const char *name, const char *contents)
{
    char *path = g_build_filename(env.tmpdir, name, NULL);
    g_autoptr(GError) error = NULL;

    g_file_set_contents(path, contents, -1, &error);
    g_assert_no_error(error);
    return path;
}

/* ---- po/ ------------------------------------------------------------------ */

static void
test_po_de_complete(void)
{
    g_autofree char *po = g_build_filename(srcdir(), "po", "de.po", NULL);
    const char *argv[] = { "msgfmt", "--check", "--check-format", "--statistics",
                           "-o", "/dev/null", po, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = run(argv, NULL, &out, &err);

    g_test_message("msgfmt: %s", err);
    /* not fatal: the tests after this one still run */
    if (!g_spawn_check_wait_status(status, NULL))
        g_test_fail_printf("msgfmt --check --check-format rejects po/de.po: %s", err);
    else if (strstr(err, " translated message") == NULL || strstr(err, "untranslated") != NULL ||
             strstr(err, "fuzzy") != NULL)
        g_test_fail_printf("po/de.po is not completely translated (%s); run 'meson compile "
                           "xenvirt-update-po' and translate the new messages", g_strstrip(err));
}

/* Remove comments, and the contents of string and character literals, so
 * that "_(" is only found in code. Keeps the quotes: _(" stays visible. */
static char *
strip_c(const char *s)
{
    GString *o = g_string_new(NULL);
    enum { CODE, STR, CHR, BLOCK, LINE } st = CODE;

    for (const char *p = s; *p != '\0'; p++) {
        switch (st) {
        case CODE:
            if (p[0] == '/' && p[1] == '*') {
                st = BLOCK;
                p++;
            } else if (p[0] == '/' && p[1] == '/') {
                st = LINE;
                p++;
            } else {
                if (*p == '"')
                    st = STR;
                else if (*p == '\'')
                    st = CHR;
                g_string_append_c(o, *p);
            }
            break;
        case STR:
        case CHR:
            if (*p == '\\' && p[1] != '\0') {
                p++;
            } else if (*p == (st == STR ? '"' : '\'')) {
                st = CODE;
                g_string_append_c(o, *p);
            }
            break;
        case BLOCK:
            if (p[0] == '*' && p[1] == '/') {
                st = CODE;
                p++;
            }
            break;
        case LINE:
            if (*p == '\n') {
                st = CODE;
                g_string_append_c(o, '\n');
            }
            break;
        }
    }
    return g_string_free(o, FALSE);
}

static gboolean
has_messages(const char *path)
{
    g_autofree char *data = NULL;
    g_autofree char *code = NULL;
    g_autoptr(GRegex) re = NULL;

    if (!g_file_get_contents(path, &data, NULL, NULL))
        g_error("cannot read %s", path);
    code = strip_c(data);
    re = g_regex_new("(^|[^A-Za-z0-9_])N?_\\(\\s*\"", 0, 0, NULL);
    return g_regex_match(re, code, 0, NULL);
}

static void
scan_dir(const char *rel, GPtrArray *found)
{
    g_autofree char *abs = g_build_filename(srcdir(), rel, NULL);
    g_autoptr(GDir) dir = g_dir_open(abs, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *r = g_build_filename(rel, name, NULL);
        g_autofree char *a = g_build_filename(srcdir(), r, NULL);

        if ((g_str_has_suffix(name, ".c") || g_str_has_suffix(name, ".h")) && has_messages(a))
            g_ptr_array_add(found, g_steal_pointer(&r));
    }
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_potfiles_complete(void)
{
    static const char *const dirs[] = { "util", "xmlconf", "jobs", "drivers/libxl", "daemon", "cli" };
    g_autofree char *path = g_build_filename(srcdir(), "po", "POTFILES", NULL);
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) problems = g_string_new(NULL);

    g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
    lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        const char *l = g_strstrip(lines[i]);
        g_autofree char *abs = NULL;

        if (*l == '\0' || *l == '#')
            continue;
        abs = g_build_filename(srcdir(), l, NULL);
        if (!g_file_test(abs, G_FILE_TEST_IS_REGULAR))
            g_string_append_printf(problems, "POTFILES lists %s, which does not exist\n", l);
        if (listed->len > 0 && strcmp(g_ptr_array_index(listed, listed->len - 1), l) >= 0)
            g_string_append_printf(problems, "POTFILES is not sorted or repeats a file at %s\n", l);
        g_ptr_array_add(listed, g_strdup(l));
    }
    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++)
        scan_dir(dirs[i], found);
    g_ptr_array_sort(found, cmp_str);
    for (guint i = 0; i < found->len; i++) {
        const char *f = g_ptr_array_index(found, i);
        gboolean in = FALSE;

        for (guint j = 0; j < listed->len && !in; j++)
            in = g_str_equal(f, g_ptr_array_index(listed, j));
        if (!in)
            g_string_append_printf(problems, "%s has _() or N_() messages but is not in po/POTFILES\n", f);
    }
    for (guint j = 0; j < listed->len; j++) {
        const char *l = g_ptr_array_index(listed, j);
        g_autofree char *abs = g_build_filename(srcdir(), l, NULL);
        gboolean in = FALSE;

        for (guint i = 0; i < found->len && !in; i++)
            in = g_str_equal(l, g_ptr_array_index(found, i));
        if (!in && g_file_test(abs, G_FILE_TEST_IS_REGULAR))
            g_string_append_printf(problems, "po/POTFILES lists %s, which has no messages\n", l);
    }
    g_test_message("%u files listed, %u with messages found", listed->len, found->len);
    if (problems->len > 0)
        g_test_fail_printf("%s", problems->str);
}

/* ---- the catalogue -------------------------------------------------------- */

static void
test_catalogue_de(void)
{
    /* one message of each layer, with its translation in po/de.po */
    static const struct { const char *msgid, *de; } cases[] = {
        { "The domain name is missing or empty.", "Der Domänenname fehlt oder ist leer." },
        { "Cannot parse domain XML: the document is empty.",
          "Domänen-XML kann nicht ausgewertet werden: Das Dokument ist leer." },
        { "no job is active on the domain", "auf der Domäne ist kein Auftrag aktiv" },
        { "domain '%s' is already running", "Domäne '%s' läuft bereits" },
        { "Domain not found: ", "Domäne nicht gefunden: " },
        { "list domains", "Domänen auflisten" },
        { "Domain '%1$s' defined from %2$s\n", "Domäne '%1$s' aus %2$s definiert\n" },
    };

    if (!need_german())
        return;
    if (env.locpath != NULL)
        g_setenv("LOCPATH", env.locpath, TRUE);
    g_setenv("LANGUAGE", "de", TRUE);
    g_assert_nonnull(setlocale(LC_ALL, env.locale));
    bindtextdomain(DOMAIN, env.tmpdir);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpstr(dgettext(DOMAIN, cases[i].msgid), ==, cases[i].de);
    /* an unknown message comes back unchanged */
    g_assert_cmpstr(dgettext(DOMAIN, "no such message in xenvirt"), ==, "no such message in xenvirt");
    setlocale(LC_ALL, "C");
    g_unsetenv("LANGUAGE");
    g_unsetenv("LOCPATH");
}

/* ---- xvirsh in German ----------------------------------------------------- */

static void
test_xvirsh_unsupported_option(void)
{
    const char *args[] = { "--bogus", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (!need_german())
        return;
    status = run_xvirsh(LANG_DE, args, &out, &err);
    g_test_message("stderr: %s", err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "error: nicht unterstützte Option '--bogus'. Siehe --help.\n");
}

static void
test_xvirsh_xml_parse_error(void)
{
    g_autofree char *xml = write_temp("broken.xml", "<domain type='xen'><name>web1</name>\n<memory>1</memory");
    const char *args[] = { "domxml-to-native", "--offline", "xen-xl", xml, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (!need_german())
        return;
    status = run_xvirsh(LANG_DE, args, &out, &err);
    g_test_message("stderr: %s", err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    /* the reason after the colon is libxml2's, which is not translated */
    g_assert_true(g_str_has_prefix(err, "error: Domänen-XML kann in Zeile 2 nicht ausgewertet werden: "));
}

static void
test_xvirsh_domain_name_error(void)
{
    g_autofree char *xml = write_temp("bad-name.xml",
                                      "<domain type='xen'><name>web/1</name><memory>1048576</memory>"
                                      "<os><type>linux</type></os></domain>\n");
    const char *args[] = { "domxml-to-native", "--offline", "xen-xl", xml, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (!need_german())
        return;
    status = run_xvirsh(LANG_DE, args, &out, &err);
    g_test_message("stderr: %s", err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "error: Der Domänenname 'web/1' enthält '/', was nicht erlaubt ist.\n");
}

static void
test_xvirsh_help(void)
{
    const char *args[] = { "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (!need_german())
        return;
    status = run_xvirsh(LANG_DE, args, &out, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(out, "xvirsh [Optionen]... <Befehl> [Argumente...]"));
    g_assert_nonnull(strstr(out, "-c | --connect=URI      URI der Hypervisor-Verbindung"));
    g_assert_nonnull(strstr(out, "Siehe 'xvirsh help' für die Liste der Befehle."));
}

/* Without a daemon, 'xvirsh domxml-to-native FORMAT FILE' converts on its
 * own (README, ARCHITECTURE: xvirsh works offline for the pure
 * conversions). The daemon is made unreachable through a default URI
 * naming a socket that does not exist. */
static void
test_xvirsh_offline_fallback(void)
{
    g_autofree char *xml = write_temp("web1.xml",
                                      "<domain type='xen'><name>web1</name>"
                                      "<uuid>4f2a7c1e-5d3b-4a8e-9c6f-1b2d3e4f5a61</uuid>"
                                      "<memory>1048576</memory>"
                                      "<os><type>linux</type><kernel>/boot/vmlinuz</kernel></os>"
                                      "</domain>\n");
    g_autofree char *sock = g_build_filename(env.tmpdir, "no-daemon.sock", NULL);
    g_autofree char *uri = g_strdup_printf("xen+unix:///system?socket=%s", sock);
    const char *extra[] = { "XENVIRT_DEFAULT_URI", uri, NULL };
    const char *args[] = { "domxml-to-native", "xen-xl", xml, NULL };
    g_autofree char *c_out = NULL;
    g_autofree char *c_err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (!need_german())
        return;
    /* in English it falls back to the built-in converter */
    status = run_xvirsh_env(LANG_C, extra, args, &c_out, &c_err);
    g_test_message("C locale: stderr: %s", c_err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(c_out, "name = \"web1\""));

    status = run_xvirsh_env(LANG_DE, extra, args, &out, &err);
    g_test_message("German: stderr: %s", err);
    /* The fallback is decided by the error code (VIR_ERR_NO_CONNECT), never
     * by the text, so it works in every language. */
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(out, ==, c_out);
}

/* xenvirtd sets up gettext as well: its option errors and --help. */
static void
test_xenvirtd_options(void)
{
    const char *args[] = { "--system", "--session", NULL };
    const char *help[] = { "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *hout = NULL;
    g_autofree char *herr = NULL;
    int status;

    if (!need_german())
        return;
    status = run_program_env("daemon/xenvirtd", LANG_DE, NULL, args, &out, &err);
    g_test_message("stderr: %s", err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "xenvirtd: --system und --session schließen einander aus\n");

    status = run_program_env("daemon/xenvirtd", LANG_DE, NULL, help, &hout, &herr);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(hout, "xenvirt-Verwaltungsdaemon: die libvirt-dbus-API für Xen."));
    g_assert_nonnull(strstr(hout, "Auf dem System-Bus bereitstellen"));
}

/* The control: the same program and catalogue under LC_ALL=C speak English
 * (gettext ignores LANGUAGE in the C locale), so the German above comes
 * from the catalogue and not from the test's expectations. */
static void
test_xvirsh_c_locale(void)
{
    const char *args[] = { "--bogus", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;

    if (env.mo_error != NULL) {
        g_test_fail_printf("%s", env.mo_error);
        return;
    }
    status = run_xvirsh(LANG_C, args, &out, &err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "error: unsupported option '--bogus'. See --help.\n");
}

int
main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    setup_catalogue();
    setup_locale();

    g_test_add_func("/i18n/po/de/complete", test_po_de_complete);
    g_test_add_func("/i18n/potfiles/complete", test_potfiles_complete);
    g_test_add_func("/i18n/catalogue/de", test_catalogue_de);
    g_test_add_func("/i18n/xvirsh/unsupported-option", test_xvirsh_unsupported_option);
    g_test_add_func("/i18n/xvirsh/xml-parse-error", test_xvirsh_xml_parse_error);
    g_test_add_func("/i18n/xvirsh/domain-name-error", test_xvirsh_domain_name_error);
    g_test_add_func("/i18n/xvirsh/help", test_xvirsh_help);
    g_test_add_func("/i18n/xvirsh/offline-fallback", test_xvirsh_offline_fallback);
    g_test_add_func("/i18n/xvirsh/c-locale", test_xvirsh_c_locale);
    g_test_add_func("/i18n/xenvirtd/options", test_xenvirtd_options);
    rc = g_test_run();

    if (env.tmpdir != NULL && !rm_rf(env.tmpdir))
        g_printerr("cannot remove %s\n", env.tmpdir);
    g_free(env.tmpdir);
    g_free(env.mo_error);
    g_free(env.locale);
    g_free(env.locpath);
    g_free(env.no_locale);
    return rc;
}
