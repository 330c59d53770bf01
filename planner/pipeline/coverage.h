/* The coverage engine shared by plan, validate and coverage: per-site radio
 * parameters, candidate-demand pairs judged by the radio model (fixed radius
 * or TR 38.901 with optional DEM line of sight), coverage polygons, and the
 * `rollout5g coverage` command. See docs/radio.md and docs/scenario.md. */
#ifndef PL_COVERAGE_H
#define PL_COVERAGE_H

#include "planner/pipeline/run.h"

/* Fills r->radius (grid radius = the site's largest outdoor range), r->pairs
 * (pairs that pass the radio model), r->pair_pl and r->pair_los. Needs the
 * sites and demand loaded and projected (plan.c). */
int pl_coverage_compute(pl_run *r, r5g_err *err);
/* 1 when coverage polygons follow the DEM (tr38901 with radio.dem): then
 * pl_coverage_ring gives the PL_RING_N vertices of site s; else a disc. */
int pl_coverage_has_rings(const pl_run *r);
void pl_coverage_ring(const pl_run *r, size_t s, double *x, double *y);
/* Writes the coverage polygon of site s into the current polygon layer of
 * r->out: a disc of its range, or with a DEM the area reached along 72 rays. */
int pl_coverage_write_site(pl_run *r, const geo_val *vals, size_t s, r5g_err *err);
/* Index into r->pairs of the pair (site s, demand j), or -1. */
long pl_coverage_pair(const pl_run *r, size_t j, int s);
/* TR 38.901 environment of site s ("uma", "umi", "rma"); NULL for fixed_radius. */
const char *pl_site_env_name(const pl_run *r, size_t s);
/* Frees what pl_coverage_compute and the loaders added to r. */
void pl_coverage_free(pl_run *r);

#endif
