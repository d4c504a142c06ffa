/*
 * xl-conf.h: xl.cfg(5) <-> domain model (XvDomainDef) conversion, the
 * "xen-xl" native format of `domxml-from-native` / `domxml-to-native`.
 *
 * Contract
 * --------
 * - xv_xl_config_parse() reads an xl.cfg text with Xen's own libxlutil
 *   (the same lexer, grammar, disk/vif-rate/PCI parsers `xl create` uses),
 *   maps every key that has a domain XML equivalent, then runs the domain
 *   model's post-parse and validation, so the result formats to the XML
 *   libvirt's `domxml-from-native xen-xl` emits.  It returns a new def the
 *   caller owns, or NULL with an XV_ERROR set.
 * - Everything `xl` would reject is an error whose message is the libxlutil
 *   diagnostic with file name and line ("test.cfg:3: config parsing error
 *   near `x': syntax error ..."), or xl's own wording prefixed with the file
 *   and the line of the key (enum values, BDFs, MACs ...).
 * - Keys (and key=value options inside vif/disk/pci/... specs) that have no
 *   domain XML equivalent are never dropped silently: each one appends a
 *   message naming it to 'warnings_out' (a GPtrArray of char* the caller
 *   creates with g_free as element free function; may be NULL).
 * - xv_xl_config_format() writes a def as xl.cfg text in libvirt's layout
 *   (key order, quoting, list syntax) and returns a new string, or NULL with
 *   XV_ERROR_CONFIG_UNSUPPORTED naming the element that has no xl.cfg form.
 * - Pure and reentrant: no global state, no libxl context, no hypervisor;
 *   callable from any thread.  'filename' is only used in diagnostics.
 */
#pragma once

#include <glib.h>

#include "xmlconf/domain-conf.h"

G_BEGIN_DECLS

/* Where Xen's firmware (hvmloader, ovmf.bin, pvgrub) lives on the host:
 * libxl's XENFIRMWAREDIR, "/usr/lib/xen/boot" on Debian. */
#ifndef XV_XEN_FIRMWARE_DIR
#define XV_XEN_FIRMWARE_DIR "/usr/lib/xen/boot"
#endif

XvDomainDef *xv_xl_config_parse(const char *data, gsize len, const char *filename,
                                GPtrArray *warnings_out, GError **error);

char *xv_xl_config_format(const XvDomainDef *def, GError **error);

G_END_DECLS
