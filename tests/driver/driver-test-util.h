/*
 * driver-test-util.h: fixtures for the driver tests (sim host, temporary
 * directories, event recording, waiting on conditions without timing).
 */
#pragma once

#include <glib.h>

#include "drivers/libxl/driver.h"
#include "drivers/libxl/host-sim.h"

typedef struct {
    int event_id, event, detail;
    char *name;
    int id;
    char *device;                /* DEVICE_ADDED / _REMOVED */
    guint64 actual_kb;           /* BALLOON_CHANGE */
    int metadata_type;           /* METADATA_CHANGE */
    char *metadata_uri;
} TestEvent;

typedef struct {
    char *root;                  /* temporary directory, removed at teardown */
    char *sim_dir, *config_dir, *state_dir, *lib_dir;
    char *kernel;                /* an existing file the sim accepts as kernel */
    XvHost *host;
    XvDriver *drv;
    GMutex ev_lock;
    GPtrArray *events;           /* TestEvent, ev_lock */
    XvDriverOptions opts;
} Fixture;

/* data: NULL, or the text of the sim's host.conf. */
void fx_setup(Fixture *fx, gconstpointer data);
void fx_teardown(Fixture *fx, gconstpointer data);
/* (Re)open the driver on the fixture's directories and host. */
void fx_open_driver(Fixture *fx);
void fx_close_driver(Fixture *fx);
/* A PV domain XML. */
char *fx_domain_xml(Fixture *fx, const char *name, const char *uuid, guint64 mem_mib,
                    guint vcpus, const char *extra);
XvDomainObj *fx_define(Fixture *fx, const char *name, guint64 mem_mib);
XvDomainObj *fx_define_started(Fixture *fx, const char *name, guint64 mem_mib);
/* Define 'xml' and start the domain; any error fails the test. */
XvDomainObj *fx_define_xml_started(Fixture *fx, const char *xml);

/* Iterate the host's event context until cond(data) holds; fails the test
 * after a generous deadline (a hang guard, never an assertion on time). */
typedef gboolean (*FxCond)(Fixture *fx, gpointer data);
void fx_wait(Fixture *fx, FxCond cond, gpointer data);

/* For fx_cond_name_state: the domain called 'name' is in 'state', or, with
 * a negative 'state', no such domain exists. */
typedef struct {
    const char *name;
    int state;
} FxNameState;
gboolean fx_cond_name_state(Fixture *fx, gpointer data);
/* Run pending host events to completion. */
void fx_settle(Fixture *fx);

int fx_state(Fixture *fx, XvDomainObj *dom, int *reason);
gboolean fx_has_event(Fixture *fx, const char *name, int event_id, int event, int detail);
void fx_clear_events(Fixture *fx);
/* The device name of the first event 'event_id' for 'name' (new string), or NULL. */
char *fx_event_device(Fixture *fx, const char *name, int event_id);
/* Number of events 'event_id' recorded for 'name'. */
guint fx_count_events(Fixture *fx, const char *name, int event_id);
/* The newest recorded event 'event_id' for 'name' (a copy of its fields),
 * FALSE when none. */
gboolean fx_last_event(Fixture *fx, const char *name, int event_id, TestEvent *out);
gboolean fx_file_exists(const char *dir, const char *name);
/* Number of host domains with this name (Domain-0 excluded). */
guint fx_host_count(Fixture *fx, const char *name);
guint fx_dir_count(const char *dir);
