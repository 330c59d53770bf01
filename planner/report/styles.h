/* QGIS default styles (QML documents) for the output layers, generated for
 * the scenario's periods: symbology plus the temporal setup that lets the
 * QGIS temporal controller animate the rollout. Returned strings are malloc'd
 * (free them); NULL on out of memory. */
#ifndef PL_STYLES_H
#define PL_STYLES_H

#include "planner/scenario/scenario.h"

char *pl_style_sites(const pl_scenario *sc);
char *pl_style_coverage(const pl_scenario *sc);
char *pl_style_coverage_by_period(const pl_scenario *sc);
char *pl_style_demand(const pl_scenario *sc);
char *pl_style_links(const pl_scenario *sc);
char *pl_style_region_kpi(const pl_scenario *sc);
/* Tables with period_date/period_end (period_kpi, sector_kpi): temporal only. */
char *pl_style_period_table(const pl_scenario *sc);
/* plan_meta: no symbology, no time. */
char *pl_style_plain(const pl_scenario *sc);

#endif
