/*
 * fuzz-domain-xml.c: libFuzzer target for the domain XML parser.
 *
 * Each input is parsed; when it parses, it is formatted with the flag sets
 * the daemon uses (secure, inactive, migratable), each text is parsed again
 * and must format to the same text.  A difference is a bug in the parser or
 * the formatter and aborts, so that libFuzzer keeps the input.  Everything
 * is freed: leaks are reported by LeakSanitizer.
 *
 * Built only with -Dfuzzing=true and clang; run through tests/fuzz/run-fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "xmlconf/domain-conf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* A g_return_if_fail() or g_warning() reached from the input is a bug. */
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    return 0;
}

static void
check_fixed_point(const XvDomainDef *def, XvParseFlags pflags, XvFormatFlags fflags)
{
    g_autofree char *first = xv_domain_def_format(def, fflags);
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) again = NULL;
    g_autofree char *second = NULL;

    if (!first) {
        fprintf(stderr, "format returned NULL (flags 0x%x)\n", fflags);
        abort();
    }
    again = xv_domain_def_parse(first, -1, pflags, &error);
    if (!again) {
        fprintf(stderr, "formatter output (flags 0x%x) does not parse: %s\n%s\n",
                fflags, error ? error->message : "(no error)", first);
        abort();
    }
    second = xv_domain_def_format(again, fflags);
    if (g_strcmp0(first, second) != 0) {
        fprintf(stderr, "not a fixed point (flags 0x%x)\n--- first\n%s\n--- second\n%s\n",
                fflags, first, second);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(XvDomainDef) def = NULL;
    /* Both parse modes, chosen by the input so that a crash reproduces. */
    XvParseFlags pflags = (size & 1) ? XV_PARSE_LIVE : XV_PARSE_INACTIVE;

    def = xv_domain_def_parse((const char *)data, (gssize)size, pflags, &error);
    if (!def) {
        if (!error || !error->message || !*error->message) {
            fprintf(stderr, "parse failed without an error message\n");
            abort();
        }
        return 0;
    }
    if (error) {
        fprintf(stderr, "parse succeeded but set an error: %s\n", error->message);
        abort();
    }
    check_fixed_point(def, pflags, XV_FORMAT_SECURE);
    check_fixed_point(def, pflags, XV_FORMAT_SECURE | XV_FORMAT_INACTIVE);
    check_fixed_point(def, pflags, XV_FORMAT_SECURE | XV_FORMAT_MIGRATABLE);
    check_fixed_point(def, pflags, 0);
    return 0;
}
