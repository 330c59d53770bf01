/* QGIS default styles (QML documents) for the output layers, generated for
 * the scenario's periods: symbology, labels and the temporal setup that lets
 * the QGIS temporal controller animate the rollout (docs/output.md, "QGIS").
 * Every field a style names goes through a pl_field_map, so the style names
 * the fields the file it goes with really has. Returned strings are malloc'd
 * (free them); NULL on out of memory. */
#ifndef PL_STYLES_H
#define PL_STYLES_H

#include "planner/scenario/scenario.h"

/* How the plan's fields are named in one output file: as docs/output.md
 * names them, or, where the format limits names (ESRI Shapefile: 10
 * characters), by the fixed short-name table, the rule pl_out_layer writes
 * the layers with. */
typedef struct pl_field_map {
    int max_len; /* longest field name the format keeps; 0 = no limit */
} pl_field_map;

/* The name of the plan's field `field` in the file. */
const char *pl_field_map_name(const pl_field_map *m, const char *field);

char *pl_style_sites(const pl_scenario *sc, const pl_field_map *fm);
char *pl_style_coverage(const pl_scenario *sc, const pl_field_map *fm);
char *pl_style_coverage_by_period(const pl_scenario *sc, const pl_field_map *fm);
char *pl_style_demand(const pl_scenario *sc, const pl_field_map *fm);
char *pl_style_links(const pl_scenario *sc, const pl_field_map *fm);
char *pl_style_region_kpi(const pl_scenario *sc, const pl_field_map *fm);
/* Tables with period_date/period_end (period_kpi, sector_kpi): temporal only. */
char *pl_style_period_table(const pl_scenario *sc, const pl_field_map *fm);
/* plan_meta: no symbology, no time. */
char *pl_style_plain(const pl_scenario *sc, const pl_field_map *fm);

#endif
