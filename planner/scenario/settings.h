/* The effective settings of a run as JSON: the resolved scenario, defaults
 * included and paths absolute, in the keys of the scenario file (plan_meta
 * row `settings`, docs/output.md), and the scenario rebuilt from that text
 * through the same checks as a scenario file (json-c -> a YAML document ->
 * the scenario parser). */
#ifndef PL_SETTINGS_H
#define PL_SETTINGS_H

#include "common/r5g.h"
#include "planner/scenario/scenario.h"

/* What the command line changed in `output` (NULL / -1: the scenario's). */
typedef struct pl_settings_output {
    const char *path;   /* -o */
    const char *format; /* --format */
    const char *crs;    /* --t_srs */
    int links;          /* --links: 1, else -1 */
} pl_settings_output;

/* The scenario as JSON text (malloc'd, one line): every key of
 * docs/scenario.md with its resolved value (keys whose default is "none",
 * e.g. a layer's `where`, are left out), unlimited values as ".inf", paths
 * made absolute against the current folder. o may be NULL. */
int pl_settings_json(char **out, const pl_scenario *sc, const pl_settings_output *o, r5g_err *err);

/* Rebuilds a scenario from settings JSON. `origin` names the text in
 * messages ("plan.gpkg: plan_meta settings"); its folder resolves paths that
 * are not absolute. Errors are R5G_EINPUT with the key and value, as for a
 * scenario file. */
int pl_scenario_from_settings_json(pl_scenario **out, const char *json, const char *origin, r5g_err *err);

#endif
