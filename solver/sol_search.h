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
    /* stop and work */
    int stop;           /* SOL_STOP_* */
    long long lagrange_steps, rens_nodes, tree_nodes;
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

/* Takes plan (score value) as the incumbent when it is better; on_tie: also
 * when it is as good within 1e-9 relative. Returns 1 when taken. */
int sol_search_offer(sol_search *s, const int *plan, double value, const char *by, int on_tie);
/* A proven upper bound of the score, and what proves it ("root_lp", ...). */
void sol_search_bound(sol_search *s, double bound, const char *kind);
/* 1 when the incumbent is within mip_gap of the bound. */
int sol_search_proven(const sol_search *s);
/* 1 once the user's time limit has passed (the only time-based stop); sets s->stop. */
int sol_search_timed_out(sol_search *s);
/* Reports progress (both callbacks of sol_input). value and bound are the
 * phase's own incumbent and bound (scores) when it knows better ones than
 * s->value and s->bound, else NAN. Returns 1 when the caller asked to stop
 * (then s->stop = SOL_STOP_CANCEL): the step ends as soon as it can and
 * keeps what it has. */
int sol_search_report(sol_search *s, const char *phase, long long work, const char *unit, double value,
                      double bound);

#endif
