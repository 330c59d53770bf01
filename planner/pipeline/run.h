/* Internals of the plan pipeline shared by plan.c, kpi.c and output.c (and
 * the unit tests): one run context, built by pl_plan_run and passed down. */
#ifndef PL_PLAN_INT_H
#define PL_PLAN_INT_H

#include <stdio.h>

#include "geo/geo.h"
#include "planner/plan.h"
#include "planner/plan_result.h"
#include "planner/scenario/scenario.h"
#include "solver/sol.h"

/* The start of the phase being timed (phase.c). */
typedef struct pl_phase_clock {
    double wall, cpu;
} pl_phase_clock;

typedef struct pl_run {
    const pl_plan_opts *opts;
    pl_scenario *sc;
    geo_ctx *geo;
    geo_table *t_dem, *t_cand, *t_exist, *t_reg;
    geo_crs *crs;
    geo_out *out;

    /* sites: candidates first, then existing */
    size_t ns, n_cand;
    const char **s_id;
    const char **s_name;   /* NULL entries when the layer has no name */
    pl_kept s_kept;        /* keep_fields of candidates and existing */
    double *sx, *sy, *capex, *radius;
    pl_kind *kind;
    int *band, *s_region;
    int *s_commit;         /* committed period 1..T (candidates.fields.committed, committed:), 0 free */
    int n_commit;          /* sites committed */

    /* demand */
    size_t nd;
    const char **d_id, **d_sector;
    const char **d_name;   /* NULL entries when the layer has no name */
    pl_kept d_kept;        /* keep_fields of the demand layers */
    double *d_weight; /* as read */
    double *d_eff;    /* weight x sector priority x whitelist multiplier */
    int *d_period;    /* appearance period, 1..T */
    unsigned char *d_white;
    int *d_region;

    geo_pairs pairs;

    /* model arrays handed to the solver */
    sol_input in;
    int *m_cov_ptr, *m_cov_site, *m_credit, *m_earliest;
    unsigned char *m_existing;
    double *m_factor;
    sol_result res;
    /* hard rules, targets, capacity (rules.c) */
    double *d_traffic;      /* [nd] demand traffic (model.capacity), 0 when unmapped */
    int *m_due;             /* [nd] on-time period of a required point, 0 none; NULL: no rule */
    int n_tg;
    sol_target *m_tg;       /* [n_tg] */
    struct pl_tg_info *tg_info; /* [n_tg] what each target is, for messages and checks */
    double *m_tcoef;        /* [n demand targets * nd] */
    double *m_site_cap;     /* [ns] band capacity_mbps (model.capacity) */
    double *served;         /* [nd * T] capacity: share of each point served per period */

    /* KPIs (kpi.c) */
    int *on_air;        /* [ns] first period on air, 0 never (existing: 1) */
    int *cov_index;     /* [nd] first period covered, 0 never */
    int *serving;       /* [nd] serving site or -1 */
    float *serving_dist;
    double *s_cov_weight; /* [ns] input weight of the demand it serves */
    int *s_served;        /* [ns] demand points it serves */
    int *s_over_early;    /* [ns] 1 if built before any covered demand earns credit */
    pl_period_kpi *pk;    /* [T] */
    double kpi_objective; /* the objective recomputed from the plan */
    double kpi_gap;       /* (bound - kpi_objective) / kpi_objective */

    /* radio model (coverage.c): per site antenna height and environment,
     * per demand point indoor flag, per pair path loss and line of sight */
    double *s_height;        /* [ns] metres; NAN until coverage.c sets the band default */
    int *s_env;              /* [ns] geo_env, -1 until set */
    unsigned char *d_indoor; /* [nd] */
    float *pair_pl;          /* [n_pairs] dB; NAN for fixed_radius */
    signed char *pair_los;   /* [n_pairs] 1 LOS, 0 NLOS, -1 not known (no terrain) */
    struct geo_dem *dem;     /* radio.dem in the working CRS, or NULL */
    double los_seconds;      /* time spent on line-of-sight tests */

    double total_seconds;
    pl_phase phases[PL_PHASE_N];  /* what each phase cost (phase.c) */
    pl_phase_clock clock;         /* the start of the phase being timed */
    int solve_phase;              /* phase of the solver's last progress report, -1 none */

    int want_links;               /* --links or output.links */
} pl_run;

/* phase.c: timing starts now. */
void pl_phase_mark(pl_phase_clock *c);
/* Charges the wall and CPU time since the mark to *ph and marks now; with
 * with_memory also the resident memory now and the process peak so far. */
void pl_phase_charge(pl_phase *ph, pl_phase_clock *c, int with_memory);
/* "read", "pairs", "model", "bound", "search", "kpi", "write". */
const char *pl_phase_name(pl_phase_id id);
/* One debug line (-v) with what phase id cost, if it was measured. */
void pl_phase_log(const pl_phase *phases, pl_phase_id id);
/* Adds (or replaces) the plan_meta row `phases`: the measured phases of p
 * as one JSON object (meta.c). */
int pl_meta_add_phases(pl_plan *p, r5g_err *err);

/* Reads every layer, picks the working CRS, builds the plain arrays and the
 * coverage pairs (inputs.c; shared by plan, validate and coverage). */
int pl_read_inputs(pl_run *r, r5g_err *err);
/* `validate`: the per-layer report on stdout (inputs.c). */
void pl_report_validation(const pl_run *r);
/* The solver's input from the plain arrays and the rules (model.c). */
int pl_model_build(pl_run *r, r5g_err *err);
/* run.c: reports a stage to the caller's progress callback (R5G_ECANCELLED
 * when it asks to stop); the log level for a stage's own lines; the solve. */
int pl_run_progress(pl_run *r, pl_progress_kind kind, const char *stage, double fraction,
                    r5g_err *err);
int pl_run_stage_log(const pl_run *r);
/* Id of row `row` of the regions layer; NULL for -1 or without regions. */
const char *pl_region_id(const pl_run *r, int row);
int pl_run_solve(pl_run *r, r5g_err *err);
/* A target as the scenario states it (rules.c). */
typedef struct pl_tg_info {
    int type;           /* 0 coverage_share, 1 sector_share, 2 sites_per_10k_people */
    const char *sector; /* sector_share */
    int region;         /* sites_per_10k_people: row of the regions layer */
    double value;       /* share, or sites per 10k people */
    double total;       /* coverage/sector: weight of the demand it counts; density: population */
} pl_tg_info;

/* Fills the hard rules, targets and capacities of r->in (after build_model). */
int pl_rules_build(pl_run *r, r5g_err *err);
/* Re-checks the on-time rule and the targets on the plan (R5G_EINTERNAL on a violation). */
int pl_rules_check(const pl_run *r, r5g_err *err);
/* First period in which a site in range of demand point j is on air (the
 * on-time rule counts coverage, not service), 0 never; after the KPIs. */
int pl_rules_first_cover(const pl_run *r, size_t j);
/* Left side of target k (r->m_tg[k]) on the plan: covered (or, with
 * capacity, served) weight, or sites on air in the region; after the KPIs. */
double pl_rules_target_lhs(const pl_run *r, int k);
void pl_rules_free(pl_run *r);
/* Turns an infeasible model into an explanation in err (R5G_EINFEASIBLE). */
int pl_explain(pl_run *r, r5g_err *err);

/* The KPIs of the plan in r->res.build_period (first period on air, from
 * the solver or given): on-air periods, served shares, covered periods,
 * serving sites, over-early flags, per-period KPIs and the objective. */
int pl_kpi_evaluate(pl_run *r, r5g_err *err);
/* pl_kpi_evaluate, then the solver's objective and the hard rules checked
 * against them (a violation is the solver's bug: R5G_EINTERNAL). */
int pl_kpi_compute(pl_run *r, r5g_err *err);
void pl_kpi_free(pl_run *r);
/* plan_meta rows of the plan made from r (meta.c). */
int pl_meta_collect(pl_plan *p, const pl_run *r, const char *output_format, r5g_err *err);
void pl_run_free(pl_run *r);
/* The plan of a solved run, with its KPIs (after pl_kpi_compute): the
 * tables, settings and result arrays move from r into the plan (result.c). */
int pl_plan_make(pl_plan **out, pl_run *r, r5g_err *err);

#endif
