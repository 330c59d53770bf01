/* solver internals: the search sol_solve runs, as a list of steps over one
 * shared state. A step (a plan provider, a bound provider, or both) reads
 * the state, offers plans and bounds to it, and reports progress through
 * it; sol.c lists the steps. In the spirit of SCIP's heur_*.c plugins: a
 * name and an exec function, so a new heuristic or a decomposition master
 * plugs in as one more entry. No GLPK types here. */
#ifndef SOL_SEARCH_H
#define SOL_SEARCH_H

#include "solver/sol_int.h"

/* Why the search stopped early. */
enum { SOL_STOP_NONE, SOL_STOP_TIME, SOL_STOP_CANCEL };

typedef struct sol_search {
    const sol_input *in;
    sol_model *m;
    double t0;          /* r5g_now() when sol_solve started */
    double c0;          /* sol_cpu_now() then */
    int sgn;            /* +1 max_coverage, -1 min_cost: objective = sgn * score */
    int n_cols, ccol;   /* the GLPK model's columns, and its constant column (0 none) */
    /* the incumbent (scores: larger is better) */
    int *plan;          /* [n_sites] best plan so far */
    int have_plan;
    double value;       /* its score; -HUGE_VAL without a plan */
    const char *plan_by; /* the step that found it */
    /* the bound */
    double bound;       /* best proven upper bound of the score */
    const char *bound_kind; /* what proves it (sol_result.bound_kind) */
    int exact;          /* a step proved the incumbent optimal (or nothing to decide) */
    /* time: what the phases cost, to start only those that can finish */
    double lp_seconds;  /* predicted CPU time of GLPK's root LP (sol_search_lp_seconds) */
    double greedy_seconds; /* measured wall time of one greedy plan in this run */
    int lp_abandoned;   /* a root LP was stopped because it could not finish in time */
    int lp_skipped;     /* the root LP was not started: predicted not to fit the time left */
    int lagrange_done;  /* the Lagrangian step ran */
    int lag_before_set; /* lag_before holds its bound LAG_PLATEAU_STEPS steps ago */
    double lag_before;
    /* stop and work */
    int stop;           /* SOL_STOP_* */
    long long lagrange_steps, rens_nodes, tree_nodes, local_moves;
    int regions;        /* the decomposition's regions, and their solves' CPU time */
    int tiles;          /* they were tiles of one component */
    double region_cpu_sum, region_cpu_max, regions_value;
    int decomp_rounds;  /* rounds the decomposition ran, and the wall time of the last */
    int decomp_late;    /* they ran after the root LP did not fit (sol_decomp's late rounds) */
    double decomp_wall;
    int *lag_build;     /* [n_sites] the Lagrangian relaxation's plan at its best multipliers; NULL none */
} sol_search;

typedef struct sol_step {
    const char *name;
    /* Runs the step; 0 or an error (R5G_EINFEASIBLE, R5G_ENOMEM, ...) that
     * ends the solve. Not called once the incumbent is proven or the
     * search has stopped. */
    int (*exec)(sol_search *s, r5g_err *err);
} sol_step;

/* The steps, in the order sol_solve runs them. */
extern const sol_step sol_heur_greedy;   /* heur_greedy.c */
extern const sol_step sol_bound_lagrange; /* bound_lagrange.c */
extern const sol_step sol_mip_glpk;      /* sol_mip.c: GLPK's branch and bound, RENS at the root */
extern const sol_step sol_heur_local;    /* heur_local.c: local search from the incumbent */
extern const sol_step sol_decomp;        /* sol_decomp.c: regions solved apart under shares of the budgets */

/* ---- bound_lagrange.c ---- */
/* Reduced models with more columns than this get the Lagrangian bound
 * first (in->lagrange_cols, default 200,000), and, under decompose: auto,
 * the regional decomposition. */
int sol_lagrange_min_cols(const sol_input *in);

/* ---- heur_local.c ---- */
/* 1 for the models the local search handles: max_coverage without targets
 * or capacity, reduced, at most 64 periods (due rules are kept). */
int sol_local_applies(const sol_model *m);
/* GLPK's MIP presolver for this model: in->presolve, and for
 * SOL_PRESOLVE_AUTO off where the local search applies and the model has
 * more than one period (measured in docs/model.md, "GLPK settings"). */
int sol_presolve_on(const sol_input *in, const sol_model *m);
/* Improves build[n_sites] (a plan keeping the rules) in place by first
 * improvement, evaluating at most `budget` moves (<= 0: the default,
 * 2,000,000); *value is its score after, *moves the moves evaluated. stop
 * (NULL or) is asked every 1,024 moves; non-zero ends the search with the
 * plan so far. Returns 0 or R5G_ENOMEM. */
int sol_local_search(int *build, double *value, long long *moves, const sol_model *m, long long budget,
                     int (*stop)(void *user, long long moves), void *user, r5g_err *err);
/* The local search as the steps run it (the caller's cancel, the time limit,
 * at most a quarter of the time left; moves added to s->local_moves) on
 * plan, in place; *value: its score checked from scratch (-HUGE_VAL if it
 * broke a rule, which would be a bug: then it is not offered). */
int sol_search_polish(sol_search *s, int *plan, double *value, r5g_err *err);

/* Takes plan (score value) as the incumbent when it is better; on_tie: also
 * when it is as good within 1e-9 relative. Returns 1 when taken. */
int sol_search_offer(sol_search *s, const int *plan, double value, const char *by, int on_tie);
/* A proven upper bound of the score, and what proves it ("root_lp", ...). */
void sol_search_bound(sol_search *s, double bound, const char *kind);
/* 1 when the incumbent is within mip_gap of the bound. */
int sol_search_proven(const sol_search *s);
/* 1 once the user's time limit has passed (the only time-based stop); sets s->stop. */
int sol_search_timed_out(sol_search *s);
/* Seconds left of the user's time limit (HUGE_VAL without one). */
double sol_search_left(const sol_search *s);
/* This process's CPU time in seconds. */
double sol_cpu_now(void);
/* Predicted CPU time of GLPK's root LP (scaling, advanced basis, primal
 * simplex) on a model of n_rows rows and n_nonzeros non-zeros: rows x
 * non-zeros over a rate measured on this machine (docs/performance.md). */
double sol_search_lp_seconds(int n_rows, long long n_nonzeros);
/* The share of the wall time since sol_solve started that this process got
 * the CPU (0.1..1), the machine's load measured; in the first second, the
 * processors over the load average of the last minute. */
double sol_search_cpu_share(const sol_search *s);
/* 1 when the root LP is predicted to finish within share_of_left of what
 * is left of the time limit: its CPU time, with a margin, over the CPU
 * share measured so far (always without a limit). */
int sol_search_lp_fits(const sol_search *s, double share_of_left);
/* During a root LP started at lp_t0 (wall) and lp_c0 (CPU): 1 when what is
 * left of it, by the prediction and the CPU share the LP got so far, cannot
 * finish in the time left (never in its first 2 s). */
int sol_search_lp_hopeless(const sol_search *s, double lp_t0, double lp_c0);
/* Reports progress (both callbacks of sol_input). value and bound are the
 * phase's own incumbent and bound (scores) when it knows better ones than
 * s->value and s->bound, else NAN. Returns 1 when the caller asked to stop
 * (then s->stop = SOL_STOP_CANCEL): the step ends as soon as it can and
 * keeps what it has. */
int sol_search_report(sol_search *s, const char *phase, long long work, const char *unit, double value,
                      double bound);

#endif
