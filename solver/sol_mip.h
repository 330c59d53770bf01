/* solver internals: GLPK's branch and bound as a step of the search
 * (sol_mip.c), and the heuristics that run inside its tree (heur_rens.c). */
#ifndef SOL_MIP_H
#define SOL_MIP_H

#include "solver/sol_build.h"
#include "solver/sol_search.h"

typedef struct sol_mip {
    sol_search *s;
    const sol_input *in;
    sol_glpk g;          /* g.prob: the model */
    sol_lp lp;
    /* the incumbent outside GLPK when the tree started */
    double start_val;    /* its score; -HUGE_VAL none */
    const double *heur_x; /* as column values, injected at the first GLP_IHEUR; NULL: not */
    int heur_done;
    int tree_heurs_done; /* the in-tree heuristics ran (once, at the first GLP_IHEUR of the root) */
    /* what GLPK did */
    int in_tree;         /* the tree has called back: stops go through glp_ios_terminate */
    int proven;          /* stopped: the bound is within mip_gap of the start plan */
    double bound;        /* best bound of the score seen (root LP, tree) */
    const char *bound_kind; /* "root_lp" or "tree": where bound comes from; NULL none yet */
    long long lp_iters;  /* simplex iterations in GLPK's output (progress) */
    double lp_t0, lp_c0; /* wall and CPU clock when the root LP started */
    int lp_hopeless;     /* the root LP was aborted: it could not finish in the time left */
    int ret;             /* glp_simplex / glp_intopt return code */
    int lp_status, mip_status;
    int have_mip;
    double mip_obj;      /* score of GLPK's MIP solution */
    int *mip_build;      /* [n_sites] its plan */
} sol_mip;

/* A heuristic inside GLPK's tree, run once at the root node (GLP_IHEUR);
 * it hands plans to the tree with glp_ios_heur_sol. */
typedef struct sol_tree_heur {
    const char *name;
    void (*exec)(sol_mip *mip, glp_tree *tree);
} sol_tree_heur;

extern const sol_tree_heur sol_heur_rens; /* heur_rens.c */

/* Reports progress from inside GLPK (callbacks, output lines); 1 when the
 * caller cancelled or the time limit passed: stop. */
int sol_mip_report(sol_mip *mip, const char *phase, long long work, const char *unit, double bound);

#endif
