/* QGIS default styles (QML documents) for the output layers, generated for
 * the scenario's periods: symbology, labels and the temporal setup that lets
 * the QGIS temporal controller animate the rollout (docs/output.md, "QGIS").
 * Every field a style names goes through a pl_field_map, so the style names
 * the fields the file it goes with really has. Returned strings are malloc'd
 * (free them); NULL on out of memory. */
#ifndef PL_STYLES_H
#define PL_STYLES_H

#include <stddef.h>

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

/* Per-feature OGR style strings for the formats that draw them (KML: GDAL's
 * LIBKML turns them into <Style> elements), in the palette of the QML
 * styles: sites by status and build period, demand by final status (larger
 * for the white list), coverage by build period, coverage_by_period blue,
 * region_kpi rows by covered_share class, links grey. Written into buf
 * (room for 96 bytes), which is returned. */
const char *pl_kml_style_site(const pl_scenario *sc, int existing, int build_index, char *buf,
                              size_t size);
const char *pl_kml_style_demand(int covered_index, int on_time, int whitelist, char *buf, size_t size);
const char *pl_kml_style_coverage(const pl_scenario *sc, int build_index, char *buf, size_t size);
const char *pl_kml_style_coverage_by_period(char *buf, size_t size);
const char *pl_kml_style_region(double covered_share, char *buf, size_t size);
const char *pl_kml_style_link(char *buf, size_t size);
/* The final status class of a demand point: 0 covered on time, 1 covered
 * late, 3 never covered (the classes of the demand style). */
int pl_demand_final_class(int covered_index, int on_time);

/* OGC StyledLayerDescriptor 1.0.0 documents, a static map in the palette of
 * the QML styles, with the field names of the file (fm): sites by status
 * and build period, demand by final status, region_kpi of the last period
 * by covered_share class. */
char *pl_sld_sites(const pl_scenario *sc, const pl_field_map *fm);
char *pl_sld_demand(const pl_scenario *sc, const pl_field_map *fm);
char *pl_sld_region_kpi(const pl_scenario *sc, const pl_field_map *fm);

#endif
