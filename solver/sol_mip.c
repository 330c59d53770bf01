/* solver: GLPK's branch and bound as a step of the search. The model is
 * built in GLPK; without GLPK's presolver the root LP is solved first
 * (glp_adv_basis + glp_simplex) and the incumbent is injected at the first
 * GLP_IHEUR; the in-tree heuristics (RENS) run at the root; every callback
 * tracks the best bound, stops when it proves the incumbent within mip_gap,
 * reports progress and honours a cancel and the user's time limit (the only
 * time-based stop: GLPK's own tm_lim is set to what is left of it). */
#include "solver/sol_mip.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The local search (heur_local.c) from the tree's incumbent (after RENS),
 * its plan handed back to the tree: without GLPK's presolver only, where
 * the tree's columns are the model's. */
static int tree_local_stop(void *user, long long moves)
{
    return sol_mip_report(user, "local search", moves, "moves", NAN);
}

static void tree_local_exec(sol_mip *mip, glp_tree *tree)
{
    sol_search *s = mip->s;
    const sol_model *m = mip->lp.m;
    glp_prob *P = glp_ios_get_prob(tree);
    if (sol_presolve_on(mip->in, m) || !sol_local_applies(m) || glp_mip_status(P) != GLP_FEAS)
        return;
    int *b = malloc(((size_t)m->n_sites + 1) * sizeof *b);
    double *x = calloc((size_t)mip->lp.n_cols + 1, sizeof *x);
    r5g_err err = {0};
    double v0, v;
    long long moves = 0;
    if (!b || !x)
        goto out;
    sol_lp_read_plan(&mip->lp, P, b);
    v0 = sol_model_value(m, b);
    if (sol_local_search(b, &v, &moves, m, 0, tree_local_stop, mip, &err) != 0 || !(v > v0) ||
        !sol_model_feasible(m, b)) {
        r5g_log(R5G_LOG_DEBUG, "solver: local search in the tree: nothing better than %.6g after %lld moves",
                s->sgn * v0, moves);
        goto out;
    }
    sol_lp_plan_to_x(&mip->lp, b, x);
    int rc = glp_ios_heur_sol(tree, x);
    r5g_log(R5G_LOG_DEBUG, "solver: local search in the tree: %.6g -> %.6g after %lld moves (%s)", s->sgn * v0,
            s->sgn * v, moves, rc == 0 ? "new incumbent" : "rejected");
out:
    s->local_moves += moves;
    free(b);
    free(x);
}

static const sol_tree_heur sol_heur_local_tree = {.name = "local", .exec = tree_local_exec};

/* The heuristics run inside the tree, in this order, once at the root. */
static const sol_tree_heur *const TREE_HEURS[] = {&sol_heur_rens, &sol_heur_local_tree};

int sol_mip_report(sol_mip *mip, const char *phase, long long work, const char *unit, double bound)
{
    sol_search *s = mip->s;
    return sol_search_report(s, phase, work, unit, NAN, bound) || sol_search_timed_out(s);
}

/* GLPK's output lines: the simplex's "*  4866: obj = ..." (every 5 s) give
 * the progress of a root LP, where GLPK calls nothing back; a cancel there
 * aborts the GLPK call (sol_glpk_run). In the tree the callback stops. */
static int on_line(void *user, const char *line)
{
    sol_mip *mip = user;
    long long it;
    double obj;
    const char *p = line;
    while (*p == ' ' || *p == '*' || *p == '~')
        p++;
    if (sscanf(p, "%lld: obj = %lf", &it, &obj) == 2 && it > mip->lp_iters)
        mip->lp_iters = it;
    if (mip->in_tree)
        return 0;
    if (sol_search_report(mip->s, "root LP", mip->lp_iters, "simplex iterations", NAN, NAN))
        return 1;
    /* a root LP that cannot finish in the time left is given up at once
     * (the Lagrangian step runs after it), not run into the limit */
    if (mip->lp_t0 > 0 && sol_search_lp_hopeless(mip->s, mip->lp_t0, mip->lp_c0)) {
        r5g_log(R5G_LOG_DEBUG, "solver: root LP given up after %lld iterations, %.1f s: it cannot finish in the %.1f s left",
                mip->lp_iters, r5g_now() - mip->lp_t0, sol_search_left(mip->s));
        mip->lp_hopeless = 1;
        return 1;
    }
    return 0;
}

static void track_bound(sol_mip *mip, glp_tree *tree)
{
    int p = glp_ios_best_node(tree);
    if (p) {
        double b = mip->lp.sgn * glp_ios_node_bound(tree, p);
        if (b < mip->bound) {
            mip->bound = b;
            mip->bound_kind = p == 1 ? "root_lp" : "tree"; /* subproblem 1 is the root */
        }
    }
}

static void callback(glp_tree *tree, void *info)
{
    sol_mip *mip = info;
    sol_search *s = mip->s;
    const sol_input *in = mip->in;
    mip->in_tree = 1;
    track_bound(mip, tree);
    int total = 0;
    glp_ios_tree_size(tree, NULL, NULL, &total);
    s->tree_nodes = total;
    /* the incumbent outside GLPK is valid even when GLPK cannot take it
     * (presolve): stop as soon as the proven bound is within mip_gap of it */
    if (!mip->proven && isfinite(mip->start_val) &&
        mip->bound - mip->start_val <= in->mip_gap * fmax(fabs(mip->start_val), 1e-9)) {
        mip->proven = 1;
        r5g_log(R5G_LOG_DEBUG, "solver: bound %.6g within mip_gap of the plan %.6g: stop", mip->bound,
                mip->start_val);
        glp_ios_terminate(tree);
        return;
    }
    glp_prob *P = glp_ios_get_prob(tree);
    double inc = glp_mip_status(P) == GLP_FEAS ? mip->lp.sgn * glp_mip_obj_val(P) : -HUGE_VAL;
    if (s->stop || sol_search_report(s, "branch and bound", total, "nodes", inc, mip->bound) ||
        sol_search_timed_out(s)) {
        glp_ios_terminate(tree);
        return;
    }
    if (in->tree_nodes > 0 && total >= in->tree_nodes) { /* the work budget */
        r5g_log(R5G_LOG_DEBUG, "solver: branch and bound: %d nodes, the budget: stop", total);
        glp_ios_terminate(tree);
        return;
    }
    if (glp_ios_reason(tree) != GLP_IHEUR)
        return;
    if (mip->heur_x && !mip->heur_done) {
        mip->heur_done = 1;
        int rc = glp_ios_heur_sol(tree, mip->heur_x);
        r5g_log(R5G_LOG_DEBUG, "solver: the %s plan %s as incumbent", s->plan_by,
                rc == 0 ? "accepted" : "rejected (not better)");
    }
    if (in->heuristics && !mip->tree_heurs_done && glp_ios_curr_node(tree) == 1) {
        mip->tree_heurs_done = 1;
        for (size_t k = 0; k < sizeof TREE_HEURS / sizeof TREE_HEURS[0] && !s->stop; k++)
            TREE_HEURS[k]->exec(mip, tree);
        if (s->stop)
            glp_ios_terminate(tree);
    }
}

static int solve_fn(void *arg, r5g_err *err)
{
    sol_mip *mip = arg;
    const sol_input *in = mip->in;
    const sol_model *m = mip->lp.m;
    sol_search *s = mip->s;
    glp_prob *P = mip->g.prob = glp_create_prob();
    sol_lp_build(&mip->lp, P);
    if (mip->lp.empty_infeasible)
        return r5g_err_set(err, R5G_EINFEASIBLE, "solver: no site can meet the rule %s", mip->lp.infeasible_row);
    r5g_log(R5G_LOG_DEBUG, "solver: GLPK model %d rows, %d columns, %d non-zeros", glp_get_num_rows(P),
            glp_get_num_cols(P), glp_get_num_nz(P));
    glp_scale_prob(P, GLP_SF_AUTO);

    if (!sol_presolve_on(in, m)) {
        /* glp_intopt without its presolver needs an optimal LP basis */
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_ON;
        sp.out_frq = 1000; /* a progress line every second */
        sp.tm_lim = sol_glpk_tm_lim(in->time_limit_s, s->t0);
        mip->lp_t0 = r5g_now();
        mip->lp_c0 = sol_cpu_now();
        glp_adv_basis(P, 0);
        mip->ret = glp_simplex(P, &sp);
        mip->lp_status = glp_get_status(P);
        if (mip->ret == GLP_ETMLIM || mip->ret == GLP_EITLIM) {
            if (s->stop == SOL_STOP_NONE)
                s->stop = SOL_STOP_TIME;
            return 0; /* no MIP: the plan so far */
        }
        if (mip->ret != 0 || mip->lp_status != GLP_OPT) {
            char buf[1200];
            if (mip->lp_status == GLP_NOFEAS)
                return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the LP relaxation has no feasible solution");
            return r5g_err_set(err, R5G_EINTERNAL, "solver: glp_simplex failed (code %d, status %d): %s",
                               mip->ret, mip->lp_status, sol_glpk_tail(&mip->g, buf, sizeof buf));
        }
        double lpb = mip->lp.sgn * glp_get_obj_val(P);
        if (lpb < mip->bound) {
            mip->bound = lpb;
            mip->bound_kind = "root_lp";
        }
        r5g_log(R5G_LOG_DEBUG, "solver: root LP %.6g after %.2f s", mip->lp.sgn * lpb, r5g_now() - s->t0);
        if (isfinite(mip->start_val) &&
            mip->bound - mip->start_val <= in->mip_gap * fmax(fabs(mip->start_val), 1e-9)) {
            mip->proven = 1; /* the LP bound proves the plan */
            return 0;
        }
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_ON;
    ip.presolve = sol_presolve_on(in, m) ? GLP_ON : GLP_OFF;
    ip.tm_lim = sol_glpk_tm_lim(in->time_limit_s, s->t0);
    ip.mip_gap = in->mip_gap;
    if (in->cuts) {
        ip.gmi_cuts = GLP_ON;
        ip.mir_cuts = GLP_ON;
        ip.cov_cuts = GLP_ON;
        ip.clq_cuts = GLP_ON;
    }
    /* GLPK's proximity search stays off: it is bounded only in seconds
     * (ps_tm_lim), which would make the plan depend on the machine's load */
    if (in->heuristics)
        ip.fp_heur = in->feasibility_pump ? GLP_ON : GLP_OFF;
    ip.cb_func = callback;
    ip.cb_info = mip;
    if (sol_presolve_on(in, m)) { /* glp_intopt solves the root LP itself */
        mip->lp_t0 = r5g_now();
        mip->lp_c0 = sol_cpu_now();
    }
    mip->ret = sol_glpk_intopt(P, &ip);
    mip->mip_status = glp_mip_status(P);
    if (mip->mip_status == GLP_OPT || mip->mip_status == GLP_FEAS) {
        mip->have_mip = 1;
        mip->mip_obj = mip->lp.sgn * glp_mip_obj_val(P);
        sol_lp_read_plan(&mip->lp, P, mip->mip_build);
    }
    if (mip->ret == GLP_ETMLIM && s->stop == SOL_STOP_NONE)
        s->stop = SOL_STOP_TIME;
    if (mip->ret == 0 && mip->mip_status == GLP_NOFEAS)
        return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the model has no feasible plan (GLPK's search found none)");
    switch (mip->ret) {
    case 0:
    case GLP_ETMLIM:
    case GLP_EMIPGAP:
    case GLP_ESTOP:
        return 0;
    case GLP_ENOPFS:
        return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the model has no feasible plan (GLPK presolver)");
    default: {
        char buf[1200];
        if (mip->mip_status == GLP_NOFEAS)
            return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the model has no feasible plan");
        return r5g_err_set(err, R5G_EINTERNAL, "solver: glp_intopt failed (code %d): %s", mip->ret,
                           sol_glpk_tail(&mip->g, buf, sizeof buf));
    }
    }
}

static int mip_exec(sol_search *s, r5g_err *err)
{
    const sol_input *in = s->in;
    const sol_model *m = s->m;
    if (s->have_plan && s->n_cols <= (s->ccol != 0)) {
        s->exact = 1; /* nothing to decide */
        return 0;
    }
    /* a phase that cannot finish in the time left is not started: the
     * Lagrangian step ran instead (bound_lagrange.c) */
    if (!sol_search_lp_fits(s, 1.0)) {
        r5g_log(R5G_LOG_DEBUG,
                "solver: root LP not started: about %.1f s of CPU predicted, %.0f %% of the CPU so far, "
                "%.1f s left",
                s->lp_seconds, 100 * sol_search_cpu_share(s), sol_search_left(s));
        s->lp_skipped = 1; /* the steps after it use the time left (sol_decomp) */
        return 0;
    }
    int rc;
    double *x = NULL;
    sol_mip mip = {.s = s, .in = in, .start_val = s->value, .bound = m->upper};
    if ((rc = sol_lp_init(&mip.lp, m, err)) != 0)
        goto out;
    mip.mip_build = calloc((size_t)m->n_sites + 1, sizeof *mip.mip_build);
    x = calloc((size_t)mip.lp.n_cols + 1, sizeof *x);
    if (!mip.mip_build || !x) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d columns", mip.lp.n_cols);
        goto out;
    }
    /* GLPK's MIP presolver renumbers columns, and glp_ios_heur_sol takes
     * values of the problem the tree works on: inject only without it */
    if (s->have_plan && !m->capacity && !sol_presolve_on(in, m)) {
        sol_lp_plan_to_x(&mip.lp, s->plan, x);
        mip.heur_x = x;
    }
    mip.g.line_fn = on_line;
    mip.g.line_user = &mip;
    rc = sol_glpk_run(&mip.g, solve_fn, &mip, "sol_solve", err);
    int aborted = rc == SOL_GLPK_ABORTED;
    if (aborted)
        rc = 0; /* cancelled or given up during a root LP: GLPK's work is gone, the plan so far stays */
    if (aborted && mip.lp_hopeless)
        s->lp_abandoned = 1;
    if (rc)
        goto out;
    if (mip.have_mip) {
        /* with capacity the plan's value needs the assignment: GLPK's objective */
        double mval = m->capacity ? mip.mip_obj : sol_model_value(m, mip.mip_build);
        sol_search_offer(s, mip.mip_build, mval, "MIP", 1);
    }
    double bound = mip.bound;
    const char *kind = mip.bound_kind ? mip.bound_kind : "trivial";
    if (!aborted && mip.ret == 0 && mip.mip_status == GLP_OPT) {
        s->exact = 1;
        bound = mip.mip_obj;
        kind = "mip_optimal";
    } else if (!aborted && mip.ret == GLP_EMIPGAP) {
        s->exact = 1; /* GLPK stopped with |bound - obj| / (|obj| + eps) < mip_gap */
        double b = mip.mip_obj + in->mip_gap * (fabs(mip.mip_obj) + DBL_EPSILON);
        if (b < mip.bound) {
            bound = b;
            kind = "tree";
        }
    }
    sol_search_bound(s, bound, kind);
out:
    sol_lp_dispose(&mip.lp);
    free(mip.mip_build);
    free(x);
    return rc;
}

const sol_step sol_mip_glpk = {.name = "glpk", .exec = mip_exec};
