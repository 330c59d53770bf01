/* solver: everything GLPK. Builds the multi-period maximal-coverage rollout
 * model from plain arrays (no GIS types), solves it, returns a build period per
 * site. Never includes GDAL or PROJ headers; callers never see glp_prob. */
#ifndef SOL_H
#define SOL_H

#include "common/r5g.h"

/* Model (t = 1..T, s sites, j demand points; see docs/model.md):
 *   y[s,t] binary, y[s,t-1] <= y[s,t]          build state, monotone
 *   y[s,t] = 1 for existing s                    on air from period 1, free
 *   y[s,t] = 0 for t < earliest[s]               (no over-early sites)
 *   y[s,t] = [t >= fixed_build[s]] for committed s (built in that period, pays)
 *   budget, carry_over:  sum_s c_s y[s,t] <= sum_{u<=t} B_u   (new sites only)
 *   budget, no carry:    sum_s c_s (y[s,t] - y[s,t-1]) <= B_t
 *   build limit:         sum_s (y[s,t] - y[s,t-1]) <= max_new[t]  (new sites only)
 *   z[j,t] in [0,1], z[j,t] <= sum_{s covers j} y[s,t], for t >= credit_from[j]
 *   max  sum_j sum_{t >= credit_from[j]} period_factor[t] * w_j * z[j,t]
 */

/* What sol_solve reports while it searches (sol_input.on_progress). */
typedef struct sol_progress {
    const char *phase;     /* "greedy", "local search", "lagrange", "root LP", "branch and bound", "RENS" */
    double incumbent;      /* objective of the best plan so far; NAN: none yet */
    double bound;          /* best proven bound of the objective */
    double seconds;        /* wall time since sol_solve started */
    long long work;        /* work done in this phase, in work_unit */
    const char *work_unit; /* "steps", "simplex iterations", "nodes" */
} sol_progress;

#define SOL_PRESOLVE_AUTO (-1)
#define SOL_DECOMPOSE_AUTO (-1)

typedef struct sol_input {
    /* ---- the model ---- */
    int n_periods;                  /* T >= 1 */
    int n_sites;
    const double *capex;            /* [n_sites] >= 0 */
    const unsigned char *existing;  /* [n_sites] 1 = on air from period 1 at no cost; NULL: none */
    const int *earliest;            /* [n_sites] first period it may be built, 1..T+1 (T+1 = never); NULL: 1 */
    const int *fixed_build;         /* [n_sites] 0 = free; 1..T = committed: built in that period (pays its
                                     * capex there, counts for max_new there), on air from then on;
                                     * overrides earliest; not for existing sites. NULL: none */
    const double *budget;           /* [T] capex available in period t; NULL: none */
    int carry_over;                 /* unspent budget rolls over */
    const int *max_new;             /* [T] new builds per period, < 0 = no limit; NULL: none */
    int n_demand;
    const double *weight;           /* [n_demand] >= 0, already priority-weighted */
    const int *credit_from;         /* [n_demand] first credited period 1..T (> T: never); NULL: 1 */
    const double *period_factor;    /* [T] objective factor per period (discounting); NULL: 1 */
    const int *cov_ptr;             /* [n_demand + 1] CSR of the sites covering each demand point */
    const int *cov_site;            /* [cov_ptr[n_demand]] 0-based site indices */
    /* ---- hard rules and the other objective; all zero/NULL = the model above ---- */
    /* on time: point j covered in period due[j] (and so later):
     *   sum_{s covers j} y[s, due_j] >= 1;  0 = no rule for j */
    const int *due;                 /* [n_demand] 0 or 1..T; NULL: none */
    int min_cost;                   /* 1: min sum_t period_factor[t] sum_s c_s (y[s,t]-y[s,t-1]) */
    int n_targets;
    const struct sol_target *targets; /* [n_targets] hard lower bounds, both objectives */
    const int *site_group;          /* [n_sites] group of a site (region), -1 none; for SITES targets */
    /* capacity: per-pair assignment x[j,s,t] in [0,1], sum_s x[j,s,t] = z[j,t],
     * x[j,s,t] <= y[s,t], sum_j traffic_j x[j,s,t] <= cap_s y[s,t] */
    const double *site_cap;         /* [n_sites] capacity (same unit as traffic); NULL: no capacity */
    const double *traffic;          /* [n_demand] >= 0 (0: no load); NULL: all 0 */
    /* ---- the search (defaults: SOL_INPUT_INIT) ---- */
    double time_limit_s;            /* wall clock; <= 0: none. The only time-based stop */
    double mip_gap;                 /* relative, e.g. 0.005 */
    int presolve;                   /* GLPK's MIP presolver: 1 on, 0 off, SOL_PRESOLVE_AUTO (the
                                     * default): off where the local search applies and T > 1, so it
                                     * runs inside GLPK's tree (the presolver renumbers the tree's
                                     * columns), on otherwise (docs/model.md, "GLPK settings") */
    int cuts, heuristics;           /* GLPK options, 0/1 */
    int feasibility_pump;           /* GLPK's feasibility pump (when heuristics = 1), 0/1 */
    int proximity_search;           /* accepted, no effect: GLPK's proximity search is bounded only
                                     * in seconds, which would make plans depend on the load */
    int lagrange_cols;              /* reduced models with more columns get the Lagrangian bound
                                     * and heuristic first (docs/model.md); 0: 200,000 */
    /* regional decomposition (docs/model.md, "Regional decomposition"): the
     * coverage graph's components, packed into regions (a model of one
     * component: tiles of it, the other tiles' sites fixed), solved as
     * models of their own under shares of the budgets and build limits, in
     * parallel.
     * 1 on, 0 off, SOL_DECOMPOSE_AUTO (the default): on for models with more
     * columns than lagrange_cols. Plain max_coverage models only (due rules
     * kept; not with targets, capacity or min_cost) */
    int decompose;
    int workers;                    /* processes solving regions at once; 0: the online processors.
                                     * The plan does not depend on it */
    const int *start_plan;          /* [n_sites] NULL, or a plan (as sol_result.build_period) offered
                                     * as an incumbent after the greedy one, when it keeps the rules */
    /* work budgets (docs/model.md, "Work, not time"); 0: the default */
    int lagrange_steps;             /* subgradient steps of the Lagrangian bound; 0: 20,000 */
    int rens_nodes;                 /* branch-and-bound nodes of the RENS sub-MIP; 0: 5,000 */
    int tree_nodes;                 /* nodes of GLPK's branch and bound; 0: no budget (the gap or
                                     * the time limit ends it) */
    double lp_max_s;                /* GLPK's root LP is not started when predicted to take more CPU
                                     * seconds than this (a prediction from the model's size, so
                                     * the same decision on any load); 0: no cap */
    /* where the decomposition's regions are solved: NULL, forked processes
     * (at most `workers` at once); else the runner's slots (the planner's
     * MPI ranks). The plan is the same either way */
    const struct sol_runner *runner;
    /* ---- progress (NULL: none) ---- */
    /* called at every GLPK callback, every 50 subgradient steps and with
     * GLPK's simplex output lines (every 5 s during a root LP); the callee
     * rate-limits its output. Non-zero: stop the search now and return the
     * best plan so far (status SOL_CANCELLED), like a GDALProgressFunc. */
    int (*on_progress)(void *user, const sol_progress *p);
    void *progress_user;
    /* ---- sol_export only (sol_solve ignores it) ---- */
    /* 1 = write the model without the exact reductions (one z column per
     * demand point, no merging, no dropped points or sites, existing sites
     * as columns fixed at 1); same optimum */
    int no_reductions;
} sol_input;

/* Somewhere else to solve the decomposition's regions (the planner's MPI
 * ranks): each region's model goes out packed (sol_input_pack), the other
 * side solves it with sol_solve_packed and its reply comes back. A region's
 * solve depends only on its model, so where it runs does not change the
 * plan. Called from the process running sol_solve, one job at a time. */
typedef struct sol_runner {
    int slots; /* models solved at once, >= 1 */
    /* starts job `job` (any int) on a free slot: 0, or an error (set in err) */
    int (*submit)(void *user, int job, const unsigned char *model, size_t len, r5g_err *err);
    /* without waiting: 1 and a finished job's number and reply (malloc'd,
     * the caller frees it), 0 when none has finished, < 0 an error */
    int (*poll)(void *user, int *job, unsigned char **reply, size_t *len, r5g_err *err);
    /* the running jobs are no longer wanted: stop them, drop their replies */
    void (*cancel)(void *user);
    void *user;
} sol_runner;

/* The documented defaults of the search settings, everything else zero/NULL
 * (libgit2's GIT_*_OPTIONS_INIT): a caller sets the model and overrides only
 * what it means to change. */
#define SOL_INPUT_INIT                                                                    \
    {                                                                                     \
        .time_limit_s = 300, .mip_gap = 0.005, .presolve = SOL_PRESOLVE_AUTO, .cuts = 1, .heuristics = 1, \
        .decompose = SOL_DECOMPOSE_AUTO,                                                  \
        .feasibility_pump = 0, .proximity_search = 1                                      \
    }
/* *in = SOL_INPUT_INIT. */
void sol_input_init(sol_input *in);

/* A model and its search settings (not on_progress, runner) as one buffer
 * (malloc'd), for another process of the same build: this build's byte
 * order and sizes, not a file format. 0 or R5G_ENOMEM. */
int sol_input_pack(const sol_input *in, unsigned char **buf, size_t *len);
/* The model in buf: *in's arrays live in *storage (free it with
 * sol_packed_free, also after an error). 0, or R5G_EINPUT for a buffer that
 * is truncated or inconsistent (the values are checked by sol_solve). */
typedef struct sol_packed_store sol_packed_store;
int sol_input_unpack(sol_input *in, sol_packed_store **storage, const unsigned char *buf, size_t len,
                     r5g_err *err);
void sol_packed_free(sol_packed_store *storage);
/* The other side of a sol_runner: solves the packed model (stop, when not
 * NULL, is asked at every progress report: non-zero cancels) and packs the
 * reply (malloc'd) the decomposition reads. 0, or R5G_ENOMEM for the reply;
 * a model that cannot be read or solved is reported inside the reply. */
int sol_solve_packed(unsigned char **reply, size_t *len, const unsigned char *model, size_t model_len,
                     int (*stop)(void *user), void *user);

typedef enum {
    SOL_TARGET_DEMAND, /* sum_j coef[j] * covered(j, t) >= rhs */
    SOL_TARGET_SITES   /* number of sites with site_group == group on air at t >= rhs */
} sol_target_kind;

typedef struct sol_target {
    sol_target_kind kind;
    int period;          /* 1..T */
    const double *coef;  /* DEMAND: [n_demand] >= 0 */
    int group;           /* SITES */
    double rhs;
} sol_target;

/* Why a model is infeasible (sol_explain): one entry per failing hard rule. */
typedef enum {
    SOL_WHY_DUE,
    SOL_WHY_TARGET,
    SOL_WHY_JOINT,
    SOL_WHY_COMMITTED /* the committed sites alone break the budget or the build limit of `period`:
                       * need_capex (their spend, cumulative with carry-over) > have_capex, or
                       * need_sites (built in `period`) > have_sites */
} sol_why_kind;
typedef struct sol_why {
    sol_why_kind kind;
    int period;          /* the rule's period (DUE: the due period) */
    int target;          /* TARGET: index into targets; else -1 */
    int n_points;        /* DUE: points due by `period` that fail; their indices: */
    int *points;         /* [n_points] demand indices, the uncoverable ones first */
    int n_uncoverable;   /* DUE: of those, no site in range may be on air by the due period */
    double need_capex;   /* lower bound (LP) of the capex the rule needs by `period` */
    double need_capex_ub;/* a plan's (greedy) capex that meets it; <= 0: none found */
    double have_capex;   /* the budget available by `period` (cumulative with carry-over) */
    int from_period;     /* the budget window: from_period..period */
    int need_sites, have_sites; /* build limit: sites needed (lower bound) vs allowed by `period` */
    double reachable;    /* TARGET: the most the rule's left side can reach with every allowed site */
    double rhs;          /* TARGET: the rule's right side */
} sol_why;

typedef enum {
    SOL_OPTIMAL,     /* proven within mip_gap */
    SOL_TIME_LIMIT,  /* time limit reached with a feasible plan */
    SOL_INFEASIBLE,  /* no feasible plan */
    SOL_CANCELLED    /* on_progress asked to stop; the best plan so far, with its gap */
} sol_status;

typedef struct sol_result {
    sol_status status;
    double objective;  /* of the plan returned */
    double bound;      /* best proven bound (upper; min_cost: lower) */
    const char *bound_kind; /* what proves it: "mip_optimal" (GLPK proved the plan optimal),
                             * "tree" (a branch-and-bound node bound), "root_lp" (the root LP),
                             * "lagrangian", "trivial" (every credit earned) */
    double gap;        /* (bound - objective) / max(|objective|, 1e-9), >= 0 (min_cost: objective - bound) */
    double seconds;    /* wall time of the solve */
    int *build_period; /* [n_sites]: first period on air, 1..T; 0 = never. Existing sites: 1. */
    /* the GLPK model (counted without GLPK, the same whatever path ran) */
    int n_rows, n_cols, n_nonzeros;
    /* reductions */
    int red_demand_in, red_demand_out;   /* demand points -> merged groups given to GLPK */
    int red_sites_in, red_sites_out;     /* sites -> sites with a y column */
    long long red_pairs_in, red_pairs_out; /* (point, site) pairs -> (group, site) pairs */
    /* work done: the same for the same input and settings whatever the load,
     * unless time_limit_s cut the search */
    long long lagrange_steps;  /* subgradient steps */
    long long rens_nodes;      /* RENS sub-MIP nodes */
    long long tree_nodes;      /* nodes of GLPK's branch and bound */
    long long local_moves;     /* moves the local search evaluated */
    /* the regional decomposition, when it ran: its regions, and the CPU time
     * of their solves (in all, and the longest: with P processes the regions
     * take at least max(longest, all / P)) */
    int regions;
    int tiles;                 /* 1: the regions were tiles of one component */
    double region_cpu_sum, region_cpu_max;
    double regions_objective;  /* the objective of the union of the regional plans (before the steps after) */
    int lp_skipped;            /* 1: GLPK's root LP was not started, predicted not to finish in the time
                                * left (the search may then end before the time limit) */
} sol_result;

/* Validates the input (indices, lengths, signs, NaN) before any GLPK call,
 * builds and solves. Returns 0 with res->status OPTIMAL, TIME_LIMIT or
 * CANCELLED, R5G_EINFEASIBLE when no plan exists, R5G_ETIMELIMIT when the
 * limit (or a cancel) came before any plan, R5G_EINPUT/R5G_EINTERNAL
 * otherwise. res is zeroed first. */
int sol_solve(sol_result *res, const sol_input *in, r5g_err *err);
/* Writes the exact model given to GLPK: CPLEX LP for *.lp, free MPS for *.mps. */
int sol_export(const sol_input *in, const char *path, r5g_err *err);
void sol_result_free(sol_result *res);
/* Diagnoses an infeasible input: fills *why with *n_why entries (0 when no
 * single rule fails on its own; then one SOL_WHY_JOINT entry). */
int sol_explain(sol_why **why, int *n_why, const sol_input *in, r5g_err *err);
void sol_why_free(sol_why *why, int n_why);
/* The first period whose budget (cumulative with carry-over) or build limit
 * the committed sites (fixed_build) break on their own: fills *w (kind
 * SOL_WHY_COMMITTED: period, need/have capex over from_period..period,
 * need/have sites) and returns 1; 0 when the commitments fit. No GLPK; in
 * must have passed the checks of sol_solve (or be built like its input). */
int sol_commit_excess(sol_why *w, const sol_input *in);
/* Serves demand on a fixed plan under capacity (per period): the share of
 * each point served, maximising sum_j weight_j served_j (LP). served[j*T + t-1]
 * in [0,1]; without site_cap every covered point is fully served. */
int sol_serve(double *served, const sol_input *in, const int *build_period, r5g_err *err);
const char *sol_version_glpk(void);
/* "optimal" | "time_limit" | "infeasible" | "cancelled" */
const char *sol_status_name(sol_status s);

#endif
