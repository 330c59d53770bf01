/* solver internals: the reduced model shared by the GLPK model builder
 * (sol_build.c), the plan providers and the bounds. No GLPK types here. */
#ifndef SOL_INT_H
#define SOL_INT_H

#include "solver/sol.h"

/* The input after exact reductions (sol_reduce.c):
 *  - demand points with weight 0, no credited period, or no buildable covering
 *    site are dropped (they can contribute nothing);
 *  - points covered by an existing site are always covered: their value goes
 *    into the objective constant c0, no column, no row;
 *  - the remaining points are merged into groups with the same first credited
 *    period and the same (sorted, de-duplicated) set of covering sites; a group
 *    carries the summed weight (Church-ReVelle: exact, and it tightens the LP);
 *  - sites that cover no group, existing sites and sites with earliest > T get
 *    no column; committed sites (fixed_build) keep theirs: early = the
 *    committed period, every y column fixed at 1. */
typedef struct sol_model {
    int T, n_sites;
    const sol_input *in;
    /* periods and sites */
    double *pf;          /* [T + 1] period factor, 1-based */
    double *tail;        /* [T + 2] tail[t] = sum_{u >= t} pf[u]; tail[T+1] = 0 */
    int *early;          /* [n_sites] first period a new site may exist (committed: its period); T+1 = never */
    unsigned char *useful; /* [n_sites] new site covering at least one group */
    /* demand groups */
    double c0;           /* objective constant: credited demand covered by existing sites */
    int n_groups;
    double *gw;          /* [G] summed weight */
    int *gcf;            /* [G] first credited period */
    int *gtmin;          /* [G] first period with a z column: max(gcf, min early of its sites) */
    int *gdue;           /* [G] due period of the group (0: none); part of the merge key */
    double *gtraffic;    /* [G] summed traffic (capacity) */
    int *gptr, *gsite;   /* CSR: group -> covering sites */
    int *sptr, *sgroup;  /* CSR: site -> covered groups */
    double upper;        /* trivial upper bound of the score (see sol_model_value) */
    /* objective and rules */
    int min_cost;        /* objective: discounted capex (score = -cost) */
    int capacity;        /* site_cap given */
    int n_dtarget;       /* DEMAND targets */
    int *dt_index;       /* [n_dtarget] index into in->targets */
    double *dt_coef;     /* [n_dtarget * G] summed coefficient of each group */
    double *dt_const;    /* [n_dtarget] coefficient of points always covered (existing sites) */
    int n_impossible;    /* due points no site may cover by their due period: infeasible */
    /* how it was reduced */
    int keep_existing;   /* existing sites keep columns fixed at 1, no c0 folding (capacity or unreduced) */
    int unreduced;       /* built by sol_model_init_ex(reduce = 0): no reductions at all */
    int red_demand_in, red_sites_out;
    long long red_pairs_in, red_pairs_out;
} sol_model;

/* ---- sol_input.c ---- */
/* Checks every array of in; the message names the array, index and value. */
int sol_input_check(const sol_input *in, r5g_err *err);

/* ---- sol_reduce.c ---- */
/* Builds the reduced model (in must have passed sol_input_check). */
int sol_model_init(sol_model *m, const sol_input *in, r5g_err *err);
/* reduce = 0: the same model without the reductions (for sol_export of the
 * unreduced model): every demand point that has a z column in the model of
 * sol.h is its own group (in input order), no point or site is dropped,
 * existing sites keep columns fixed at 1. Not for the greedy plan. */
int sol_model_init_ex(sol_model *m, const sol_input *in, int reduce, r5g_err *err);
/* Frees the members (the struct itself is the caller's). */
void sol_model_dispose(sol_model *m);

/* ---- sol_model.c: plans on the reduced model ---- */
/* First period in which group g is covered under a plan, 0 never. */
int sol_model_group_first(const sol_model *m, const int *build, int g);
/* Score of a plan (build[s] = first period on air, 0 never): max_coverage
 * its objective, min_cost minus its discounted capex. Larger is better. */
double sol_model_value(const sol_model *m, const int *build);
/* 1 when the plan meets every rule (budgets, limits, earliest, due, targets;
 * not capacity), else 0. */
int sol_model_feasible(const sol_model *m, const int *build);

/* ---- heur_greedy.c ---- */
/* Greedy plan into build[n_sites]; returns 0 or R5G_ENOMEM. The plan meets
 * the due and target rules when it can, but check it with sol_model_feasible. */
int sol_model_greedy(const sol_model *m, int *build, r5g_err *err);

/* ---- sol_serve.c ---- */
/* max_coverage under capacity: the objective of a plan, its assignment
 * solved per period by sol_serve. */
int sol_serve_value(double *value, const sol_model *m, const int *build, r5g_err *err);

/* ---- bound_lagrange.c ---- */
/* 1 for the plain max_coverage models the Lagrangian bound handles (no due
 * rules, targets or capacity, reduced). */
int sol_lagrange_applies(const sol_model *m);
/* Lagrangian upper bound: at most `steps` subgradient steps (<= 0: the
 * default budget), fewer when the bound comes within stop_gap of `target`
 * (the best plan's value) or the step size vanishes. *bound is the best
 * bound found (at most m->upper); best_b (NULL or [n_sites]) gets the build
 * periods of the split problem's solution at the best multipliers (0 never),
 * a guide for a plan. *steps_done (NULL or) counts the steps. report (NULL
 * or) is called every 50 steps with the steps so far and the bound; a
 * non-zero return stops the search there. */
typedef int (*sol_lagrange_report)(void *user, long long steps, double bound);
int sol_lagrange_bound(double *bound, int *best_b, long long *steps_done, const sol_model *m, double target,
                       int steps, double stop_gap, sol_lagrange_report report, void *user, r5g_err *err);

/* ---- sol_pack.c: a region's reply from another process ---- */
typedef struct sol_reply {
    int rc, status;     /* the solve's error code (0: solved) and sol_status */
    double objective, bound, seconds, cpu;
    long long lagrange_steps, rens_nodes, tree_nodes, local_moves;
    int n_sites;        /* -1: no plan */
    const void *build_period; /* [n_sites] ints inside the buffer (memcpy them out) */
    char msg[256];      /* the error, when rc != 0 */
} sol_reply;
/* Reads a reply of sol_solve_packed (it points into buf): 0, or -1 when it
 * is not one. */
int sol_reply_unpack(sol_reply *r, const unsigned char *buf, size_t len);

/* ---- small helpers ---- */
/* Columns of site s (its build states; 0 when it is not in the model) and
 * of group g (its credited periods), and of the whole reduced model: the
 * sizes the decomposition and the Lagrangian bound decide by. */
static inline long long sol_site_cols(const sol_model *m, int s)
{
    return m->useful[s] && m->early[s] <= m->T ? m->T - m->early[s] + 1 : 0;
}
static inline long long sol_group_cols(const sol_model *m, int g)
{
    return m->gcf[g] <= m->T ? m->T - m->gtmin[g] + 1 : 0;
}
long long sol_model_cols(const sol_model *m);
/* v rounded toward zero into lo..hi, NaN to lo. Every float -> int
 * conversion in solver/ goes through it: an out-of-range conversion is
 * undefined behaviour (time_limit_s 1e12 made (int)(1e12 * 100) one). */
static inline int sol_to_int(double v, int lo, int hi)
{
    if (!(v > (double)lo))
        return lo;
    if (v >= (double)hi)
        return hi;
    return (int)v;
}
/* Is site s existing (on air from period 1, free)? */
static inline int sol_is_existing(const sol_input *in, int s) { return in->existing && in->existing[s]; }
/* The committed build period of site s (fixed_build), 0 = free. */
static inline int sol_fixed(const sol_input *in, int s)
{
    return in->fixed_build && !sol_is_existing(in, s) ? in->fixed_build[s] : 0;
}
/* First period site s may be on air: 1 existing, its committed period, earliest, else 1. */
static inline int sol_site_early(const sol_input *in, int s)
{
    return sol_is_existing(in, s) ? 1 : sol_fixed(in, s) ? sol_fixed(in, s) : in->earliest ? in->earliest[s] : 1;
}

#endif
