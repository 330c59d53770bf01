/* The report room: the plan as map layers with their QGIS styles, plan_meta,
 * and JSON; the layers of `rollout5g coverage`. Reads the run context of the
 * pipeline; the pipeline never calls in here. */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include "planner/pipeline/run.h"

int pl_output_write(pl_run *r, r5g_err *err);
/* plan_meta as key/value rows (r->meta_*), for the layer and for --json. */
int pl_meta_collect(pl_run *r, r5g_err *err);
/* layers.c: coverage_by_period, links, region_kpi, sector_kpi; field names
 * through the fixed short-name table when the format limits them. */
int pl_out_layer(pl_run *r, const char *name, geo_geom_kind kind, const geo_fdef *f, int nf,
                 r5g_err *err);
const char *pl_short_field_name(const char *name);
int pl_write_coverage_by_period(pl_run *r, r5g_err *err);
int pl_write_links(pl_run *r, r5g_err *err);
int pl_write_region_kpi(pl_run *r, r5g_err *err);
int pl_write_sector_kpi(pl_run *r, r5g_err *err);
/* "YYYY-MM-DD" after the last day of period t (1..T): the next period's
 * first day; after the last period, one period length on (one year if T = 1). */
void pl_period_end(const pl_run *r, int t, char out[11]);
/* json.c: KPIs and plan_meta as JSON, written atomically, or to standard
 * output when the path is "-". Zero-initialise; discard accepts that. */
typedef struct pl_json_tmp {
    struct r5g_afile *af; /* the temporary file, NULL when none */
    char *doc;            /* "-": the document, for standard output */
    size_t len;
    int overwrite;
} pl_json_tmp;
int pl_json_prepare(pl_json_tmp *j, const pl_run *r, const char *path, r5g_err *err);
int pl_json_commit(pl_json_tmp *j, const char *path, r5g_err *err);
void pl_json_discard(pl_json_tmp *j);
/* The layers of `rollout5g coverage` (coverage_layers.c). */
int pl_coverage_layers_write(pl_run *r, r5g_err *err);

#endif
