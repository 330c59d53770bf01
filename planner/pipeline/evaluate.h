/* What a reviewer recomputes with the pipeline, without the solver: a plan
 * made elsewhere (site ids and build periods) evaluated on a scenario's
 * inputs exactly as the pipeline evaluates its own plan after a solve
 * (evaluate.c), and the checksums of the input files (meta.c). */
#ifndef PL_EVALUATE_H
#define PL_EVALUATE_H

#include "geo/geo.h"
#include "planner/plan_result.h"
#include "planner/scenario/scenario.h"

/* A target of the scenario on the evaluated plan. */
typedef struct pl_eval_target {
    int type;           /* 0 coverage_share, 1 sector_share, 2 sites_per_10k_people */
    int period;         /* 1..T */
    const char *sector; /* sector_share: the sector (in plan->sc) */
    int region;         /* sites_per_10k_people: row of the plan's regions */
    double value;       /* the target: a share, or sites per 10,000 people */
    double total;       /* coverage, sector: weight of the demand it counts; density: population */
    double lhs, rhs;    /* reached and required: weight (or served weight), or sites on air */
} pl_eval_target;

typedef struct pl_eval {
    pl_plan *plan;       /* the recomputed plan: KPIs, covered periods, serving sites, over-early flags */
    int *d_first;        /* [nd] first period a site in range is on air (coverage, not service), 0 never */
    int *s_min_appear;   /* [ns] earliest appearance period of the demand in range of the site, 0 none */
    int n_tg;
    pl_eval_target *tg;  /* [n_tg] every target of the scenario, in the order of rules.c */
    size_t n_unknown, *unknown; /* indices into the given ids that are no site of the scenario */
    size_t n_dup, *dup;         /* indices of ids given again (the first one counts) */
} pl_eval;

/* Reads the scenario's inputs (taken: *sc is NULL after the call), finds the
 * coverage, and evaluates the plan in which site_ids[i] is built in
 * build_periods[i] (1..T; 0 not built; existing sites are on air from
 * period 1 whatever is given): every KPI, the objective, the targets and the
 * first covering periods. Sites not named are not built. Returns 0 with *out
 * set, or an input error (an unreadable layer, a period out of range). */
int pl_plan_evaluate(pl_eval **out, pl_scenario **sc, geo_ctx *geo, const char *const *site_ids,
                     const int *build_periods, size_t n, r5g_err *err);
void pl_eval_free(pl_eval *e);

/* Checksum of an input data source (plan_meta input_*_sha256): the SHA-256
 * of its file when it is one file; when it is several (a Shapefile's .shp
 * .shx .dbf .prj .cpg), the SHA-256 of its manifest: the lines
 * "SHA256  NAME\n" of its files sorted by name, as `sha256sum` prints
 * them. sha is "" for a source that is not local (a connection string).
 * *manifest, when not NULL, gets that text (malloc'd), or NULL for one file. */
int pl_input_sha256(char sha[65], char **manifest, geo_ctx *geo, const char *source, r5g_err *err);

#endif
