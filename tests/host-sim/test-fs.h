/*
 * test-fs.h: file-system helpers shared by the test fixtures (host-sim,
 * driver, daemon and cli tests).
 *
 * Contract: plain functions on paths the calling test owns; no state, safe
 * from any thread.  Nothing is reported: a fixture's teardown removes what it
 * can and carries on.
 */
#pragma once

/* Remove 'path' and, when it is a directory, everything below it.  Symbolic
 * links are removed, never followed. */
void xv_test_rm_rf(const char *path);
