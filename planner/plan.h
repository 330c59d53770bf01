/* The plan pipeline: scenario -> layers (geo) -> coverage pairs (geo) ->
 * rollout model (solver) -> KPIs recomputed from the plan -> output layers. */
#ifndef PL_PLAN_H
#define PL_PLAN_H

#include "common/r5g.h"

/* Progress of the long stages, reported to a callback that the caller
 * chooses (the CLI passes its terminal bar, a batch worker its own), as
 * GDAL's GDALProgressFunc: a non-zero return cancels the run, which then
 * fails with R5G_ECANCELLED and leaves no output behind. */
typedef enum {
    PL_PROGRESS_BEGIN,  /* a stage starts */
    PL_PROGRESS_UPDATE, /* fraction of the stage done */
    PL_PROGRESS_END,    /* the stage is complete */
    PL_PROGRESS_SOLVE   /* the solver's incumbent and bound (often: rate-limit) */
} pl_progress_kind;

typedef struct pl_progress_event {
    pl_progress_kind kind;
    const char *stage;  /* "reading", "coverage", "solving", "writing" */
    double fraction;    /* UPDATE: 0..1 */
    double incumbent;   /* SOLVE: the best plan's objective so far */
    double bound;       /* SOLVE: the proven bound */
    double seconds;     /* SOLVE: since the solve started */
} pl_progress_event;

typedef int (*pl_progress_fn)(const pl_progress_event *ev, void *user);

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
    const char *json_path;     /* --json FILE: KPIs and plan_meta as JSON ("-": stdout), or NULL */
    const char *html_path;     /* --html FILE: the self-contained HTML report, or NULL */
    const char *export_unreduced; /* NULL or a .lp/.mps path: the model without reductions */
    const char *const *lco;    /* --lco NAME=VALUE (NULL-terminated) or NULL: layer creation options */
    const char *const *dsco;   /* --dsco NAME=VALUE: dataset creation options */
    pl_progress_fn progress;   /* NULL: none */
    void *progress_user;
    int progress_shows_stages; /* the callback draws the stages: their log lines become debug */
    const struct sol_runner *runner; /* plan --mpi: where the decomposition's regions are solved; NULL: forked */
} pl_plan_opts;

/* Every option at its default (libgit2's GIT_*_OPTIONS_INIT): callers set
 * the fields they mean and leave the rest, so new options need no edits
 * elsewhere. */
#define PL_PLAN_OPTS_INIT {.scenario_path = NULL}

struct pl_plan;
struct pl_scenario;
struct geo_ctx;
struct geo_crs;

/* Called by pl_plan_compute between its stages (all optional). */
typedef struct pl_compute_hooks {
    /* the inputs are read and the working CRS chosen; before the model is
     * built and solved (plan opens its output here, so a bad output fails
     * early); non-zero stops the run with that code */
    int (*inputs_ready)(void *user, const struct geo_crs *crs, r5g_err *err);
    void *user;
    const char *output_format; /* for plan_meta; NULL: GPKG */
} pl_compute_hooks;

/* The pipeline from a loaded scenario (taken: *sc is NULL after the call)
 * to a plan with its KPIs and plan_meta, writing nothing but the model
 * exports of opts. Returns 0 or R5G_ETIMELIMIT with *out set (a plan within
 * its gap), else an error code with *out NULL. */
int pl_plan_compute(struct pl_plan **out, struct pl_scenario **sc, struct geo_ctx *geo,
                    const pl_plan_opts *opts, const pl_compute_hooks *hooks, r5g_err *err);

/* Runs the pipeline. Returns 0, R5G_EINFEASIBLE, R5G_ETIMELIMIT (a plan was
 * written, with its gap) or another negative code with err set. */
int pl_plan_run(const pl_plan_opts *opts, r5g_err *err);

typedef struct pl_coverage_opts {
    const char *scenario_path;
    const char *output_path; /* required */
    const char *t_srs;       /* NULL: EPSG:4326 */
    int overwrite;
} pl_coverage_opts;

/* `rollout5g coverage`: writes layers sites, coverage, demand and pairs. */
int pl_coverage_run(const pl_coverage_opts *opts, r5g_err *err);

#endif
