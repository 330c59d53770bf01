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
 *   budget, carry_over:  sum_s c_s y[s,t] <= sum_{u<=t} B_u   (new sites only)
 *   budget, no carry:    sum_s c_s (y[s,t] - y[s,t-1]) <= B_t
 *   build limit:         sum_s (y[s,t] - y[s,t-1]) <= max_new[t]  (new sites only)
 *   z[j,t] in [0,1], z[j,t] <= sum_{s covers j} y[s,t], for t >= credit_from[j]
 *   max  sum_j sum_{t >= credit_from[j]} period_factor[t] * w_j * z[j,t]
 */
typedef struct sol_input {
    int n_periods;                  /* T >= 1 */
    int n_sites;
    const double *capex;            /* [n_sites] >= 0 */
    const unsigned char *existing;  /* [n_sites] 1 = on air from period 1 at no cost; NULL: none */
    const int *earliest;            /* [n_sites] first period it may be built, 1..T+1 (T+1 = never); NULL: 1 */
    const double *budget;           /* [T] capex available in period t */
    int carry_over;                 /* unspent budget rolls over */
    const int *max_new;             /* [T] new builds per period, < 0 = no limit; NULL: none */
    int n_demand;
    const double *weight;           /* [n_demand] >= 0, already priority-weighted */
    const int *credit_from;         /* [n_demand] first credited period 1..T (> T: never); NULL: 1 */
    const double *period_factor;    /* [T] objective factor per period (discounting); NULL: 1 */
    const int *cov_ptr;             /* [n_demand + 1] CSR of the sites covering each demand point */
    const int *cov_site;            /* [cov_ptr[n_demand]] 0-based site indices */
    /* settings */
    double time_limit_s;            /* <= 0: none */
    double mip_gap;                 /* relative, e.g. 0.005 */
    int presolve, cuts, heuristics; /* GLPK options, 0/1 */
    /* optional progress report from the search (NULL: none): the best plan's
     * objective so far (the greedy plan's until GLPK finds a better one), the
     * proven bound, and seconds since sol_solve started; called often (at
     * every GLPK callback), the callee rate-limits its output */
    void (*progress)(void *user, double incumbent, double bound, double seconds);
    void *progress_user;
} sol_input;

typedef enum {
    SOL_OPTIMAL,     /* proven within mip_gap */
    SOL_TIME_LIMIT,  /* time limit reached with a feasible plan */
    SOL_INFEASIBLE   /* no feasible plan */
} sol_status;

typedef struct sol_result {
    sol_status status;
    double objective;  /* of the plan returned */
    double bound;      /* best proven upper bound */
    double gap;        /* (bound - objective) / max(|objective|, 1e-9), >= 0 */
    double seconds;    /* wall time of the solve */
    int n_rows, n_cols, n_nonzeros;
    int *build_period; /* [n_sites]: first period on air, 1..T; 0 = never. Existing sites: 1. */
} sol_result;

/* Validates the input (indices, lengths, signs, NaN) before any GLPK call,
 * builds and solves. Returns 0 with res->status OPTIMAL or TIME_LIMIT,
 * R5G_EINFEASIBLE when no plan exists, R5G_ETIMELIMIT when the limit hit before
 * any plan, R5G_EINPUT/R5G_EINTERNAL otherwise. res is zeroed first. */
int sol_solve(sol_result *res, const sol_input *in, r5g_err *err);
/* Writes the exact model given to GLPK: CPLEX LP for *.lp, free MPS for *.mps. */
int sol_export(const sol_input *in, const char *path, r5g_err *err);
void sol_result_free(sol_result *res);
const char *sol_version_glpk(void);
const char *sol_status_name(sol_status s); /* "optimal" | "time_limit" | "infeasible" */

#endif
