/* solver internals: the GLPK model of the reduced model (docs/model.md):
 * its column layout, the rows, and the mapping between a plan and column
 * values. */
#ifndef SOL_BUILD_H
#define SOL_BUILD_H

#include "solver/sol_glpk.h"
#include "solver/sol_int.h"

typedef struct sol_lp {
    const sol_model *m;
    int names;       /* name rows and columns (export) */
    int exporting;   /* keep rows no column can meet, as 0 >= rhs (export) */
    /* column layout (sol_lp_init, before any GLPK call) */
    int *ycol;       /* [n_sites] column of y[s, early[s]], 0 = no column */
    int *zcol;       /* [n_groups] column of z[g, gtmin[g]] */
    int *xcol;       /* capacity: [pairs of gsite] column of x[g,s,t0], t0 = max(gtmin, early) */
    int ccol;        /* column fixed at 1 carrying the objective constant; 0 = none */
    int n_cols;
    int sgn;         /* +1 max_coverage, -1 min_cost: score = sgn * GLPK objective */
    /* what the last sol_lp_build saw */
    int n_rows;
    long long n_nonzeros;
    int empty_infeasible;      /* a >= row with a positive right side has no column */
    char infeasible_row[64];   /* the first such row */
    int *ind;        /* row buffers, 1-based */
    double *val;
} sol_lp;

/* Lays out the columns of m (no GLPK call). */
int sol_lp_init(sol_lp *lp, const sol_model *m, r5g_err *err);
void sol_lp_dispose(sol_lp *lp);
/* Builds the model into P (inside the GLPK guard), or with P = NULL only
 * counts its rows and non-zeros (no GLPK call at all). */
void sol_lp_build(sol_lp *lp, glp_prob *P);
/* Column of y[s,t], 0 = none. */
int sol_lp_ycol(const sol_lp *lp, int s, int t);
/* Column values of a plan (for glp_ios_heur_sol), 1-based. */
void sol_lp_plan_to_x(const sol_lp *lp, const int *build, double *x);
/* The plan (first period on air of each site) in a MIP solution of P. */
void sol_lp_read_plan(const sol_lp *lp, glp_prob *P, int *build);

#endif
