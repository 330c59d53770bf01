/* The report room: a plan as map layers with their QGIS styles and
 * plan_meta, as JSON, and the layers of `rollout5g coverage`. Takes a
 * pl_plan; the pipeline never calls in here. */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include <stdio.h>

#include "geo/geo.h"
#include "planner/plan.h"
#include "planner/plan_result.h"

/* What a layer writer needs: the plan and where it goes. */
typedef struct pl_writer {
    geo_out *out;
    const pl_plan *p;
    pl_progress_fn progress; /* NULL: none; non-zero return cancels */
    void *progress_user;
    /* NULL, or called when every layer but plan_meta is written (the caller
     * adds the rows of what writing them cost); non-zero stops the write */
    int (*before_meta)(void *user, r5g_err *err);
    void *before_meta_user;
} pl_writer;

/* Every layer of the plan and its style (output.c). */
int pl_output_write(const pl_writer *w, r5g_err *err);
/* Starts a layer; field names go through the fixed short-name table when
 * the format limits them (layers.c). */
int pl_out_layer(const pl_writer *w, const char *name, geo_geom_kind kind, const geo_fdef *f, int nf,
                 r5g_err *err);
/* The same with the input fields kept in the layer (kf, NULL for none)
 * after its own columns, under their input names, or where the format
 * limits names, cut to fit and made unique with _1, _2, ... */
int pl_out_layer_kept(const pl_writer *w, const char *name, geo_geom_kind kind, const geo_fdef *f,
                      int nf, const pl_kept *kf, r5g_err *err);
/* A point with the nf values of the layer's own columns, then the values of
 * the kept fields (kf, NULL for none) at row `row`. */
int pl_out_point_kept(const pl_writer *w, const geo_val *v, int nf, const pl_kept *kf, size_t row,
                      double wx, double wy, r5g_err *err);
const char *pl_short_field_name(const char *name);
/* The name field `name` gets in a format that keeps max_len characters
 * (0 = no limit): itself, or its short name when longer (NULL if it has
 * none): the rule pl_out_layer applies, which the styles name fields by. */
const char *pl_out_field_name(const char *name, int max_len);
/* The coverage polygon of site s: its ring when the plan has one, else a disc. */
int pl_report_coverage_polygon(const pl_writer *w, const geo_val *vals, size_t s, r5g_err *err);
/* layers.c: coverage_by_period, links, region_kpi, sector_kpi. */
int pl_write_coverage_by_period(const pl_writer *w, r5g_err *err);
int pl_write_links(const pl_writer *w, r5g_err *err);
int pl_write_region_kpi(const pl_writer *w, r5g_err *err);
int pl_write_sector_kpi(const pl_writer *w, r5g_err *err);

/* The per-period table and the plan line on f (summary.c). */
void pl_report_summary(const pl_plan *p, FILE *f, const char *out_path);

/* json.c: KPIs and plan_meta as JSON, written atomically, or to standard
 * output when the path is "-". Zero-initialise; discard accepts that. */
typedef struct pl_json_tmp {
    struct r5g_afile *af; /* the temporary file, NULL when none */
    char *doc;            /* "-": the document, for standard output */
    size_t len;
    int overwrite;
} pl_json_tmp;
int pl_json_prepare(pl_json_tmp *j, const pl_plan *p, const char *path, int overwrite, r5g_err *err);
int pl_json_commit(pl_json_tmp *j, const char *path, r5g_err *err);
void pl_json_discard(pl_json_tmp *j);

/* The layers of `rollout5g coverage` (coverage_layers.c): a property of the
 * candidates and demand, not of a plan, so it reads the run. */
struct pl_run;
int pl_coverage_layers_write(struct pl_run *r, r5g_err *err);

#endif
