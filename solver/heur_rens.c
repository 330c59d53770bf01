/* solver: RENS (relaxation enforced neighbourhood search, Berthold 2014),
 * run once at the root of GLPK's tree on the problem the tree works on (the
 * presolved one when GLPK's presolver is on): fix every integer column that
 * the root LP solution sets to 0 or 1 and solve the small MIP left over the
 * fractional ones, within a budget of branch-and-bound nodes. Its solution
 * is feasible for the tree's problem and is handed to the tree as an
 * incumbent. On the budgeted rollout models the root LP bound is tight but
 * GLPK's tree rarely improves on greedy (the district: greedy 90366, RENS
 * 91437, LP bound 91575), so this is where the good plans come from. */
#include "solver/sol_mip.h"

#include <math.h>
#include <stdlib.h>

/* The work budget: nodes of the sub-MIP's tree (docs/model.md, "Work, not
 * time"); measured: district-xl 1,906, yrd-demo with capacity 548,
 * yrd-demo 107, SJC at most 9. */
#ifndef RENS_NODES
#define RENS_NODES 5000
#endif

typedef struct rens_run {
    sol_mip *mip;
    long long nodes, budget;
    int over_budget;
} rens_run;

/* The sub-MIP's callback: counts nodes (one GLP_ISELECT per node the tree
 * picks next), stops at the budget, on a cancel and at the time limit. It
 * adds nothing, so GLPK searches exactly as without it. */
static void rens_cb(glp_tree *tree, void *info)
{
    rens_run *r = info;
    if (glp_ios_reason(tree) != GLP_ISELECT)
        return;
    r->nodes++;
    r->mip->s->rens_nodes = r->nodes;
    if (r->nodes >= r->budget) {
        r->over_budget = 1;
        glp_ios_terminate(tree);
    } else if (sol_mip_report(r->mip, "RENS", r->nodes, "nodes", NAN)) {
        glp_ios_terminate(tree);
    }
}

static void rens_exec(sol_mip *mip, glp_tree *tree)
{
    const sol_input *in = mip->in;
    glp_prob *P = glp_ios_get_prob(tree);
    double t0 = r5g_now();
    int n = glp_get_num_cols(P), nfix = 0, nfree = 0;
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(P, j) == GLP_CV)
            continue;
        double v = glp_get_col_prim(P, j);
        if (fabs(v - floor(v + 0.5)) < 1e-6)
            nfix++;
        else
            nfree++;
    }
    if (nfree == 0) { /* GLPK calls heuristics only at fractional nodes; never mind */
        r5g_log(R5G_LOG_DEBUG, "solver: RENS: every integer column is integral at the root, nothing to search");
        return;
    }
    if (sol_mip_report(mip, "RENS", 0, "nodes", NAN))
        return;
    glp_prob *sub = glp_create_prob();
    glp_copy_prob(sub, P, GLP_OFF);
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(sub, j) == GLP_CV)
            continue;
        double v = glp_get_col_prim(P, j), f = floor(v + 0.5);
        if (fabs(v - f) < 1e-6)
            glp_set_col_bnds(sub, j, GLP_FX, f, f);
    }
    rens_run r = {.mip = mip, .budget = in->rens_nodes > 0 ? in->rens_nodes : RENS_NODES};
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_ERR;
    ip.presolve = GLP_ON;
    /* a node budget; the wall clock only as the user's limit */
    ip.tm_lim = sol_glpk_tm_lim(in->time_limit_s, mip->s->t0);
    ip.mip_gap = in->mip_gap / 4;
    if (in->cuts) {
        ip.mir_cuts = GLP_ON;
        ip.cov_cuts = GLP_ON;
        ip.clq_cuts = GLP_ON;
    }
    ip.cb_func = rens_cb;
    ip.cb_info = &r;
    int ret = sol_glpk_intopt(sub, &ip);
    int st = glp_mip_status(sub);
    int accepted = -1;
    double val = NAN;
    if (st == GLP_OPT || st == GLP_FEAS) {
        double *x = malloc(((size_t)n + 1) * sizeof *x);
        if (x) {
            for (int j = 1; j <= n; j++)
                x[j] = glp_mip_col_val(sub, j);
            val = glp_mip_obj_val(sub);
            accepted = glp_ios_heur_sol(tree, x) == 0;
            free(x);
        }
    }
    r5g_log(R5G_LOG_DEBUG,
            "solver: RENS fixed %d integer columns, %d free; sub-MIP code %d status %d after %lld nodes%s, "
            "plan %.6g (%s) in %.2f s",
            nfix, nfree, ret, st, r.nodes, r.over_budget ? " (the budget)" : "", val,
            accepted > 0 ? "new incumbent" : accepted == 0 ? "not better" : "none", r5g_now() - t0);
    glp_delete_prob(sub);
}

const sol_tree_heur sol_heur_rens = {.name = "RENS", .exec = rens_exec};
