/* The plan pipeline: scenario -> layers (geo) -> coverage pairs (geo) ->
 * rollout model (solver) -> KPIs recomputed from the plan -> output layers. */
#ifndef PL_PLAN_H
#define PL_PLAN_H

#include "common/r5g.h"

typedef struct pl_plan_opts {
    const char *scenario_path;
    const char *output_path;   /* NULL: the scenario's output.path */
    const char *t_srs;         /* NULL: EPSG:4326 */
    int overwrite;
    const char *export_model;  /* NULL or a .lp/.mps path */
    const char *command_line;  /* for plan_meta */
    int validate_only;         /* `validate`: read and check everything, solve nothing, write nothing */
    const char *format;        /* NULL: the scenario's output.format (--format) */
    int links;                 /* --links: also write the links layer */
    const char *json_path;     /* --json FILE: KPIs and plan_meta as JSON, or NULL */
    const char *export_unreduced; /* NULL or a .lp/.mps path: the model without reductions */
} pl_plan_opts;

/* Runs the pipeline. Returns 0, R5G_EINFEASIBLE, R5G_ETIMELIMIT (a plan was
 * written, with its gap) or another negative code with err set. */
int pl_plan_run(const pl_plan_opts *opts, r5g_err *err);

#endif
