/* solver: why a model is infeasible (sol_explain) and how much demand a fixed
 * plan serves under capacity (sol_serve). Plain arrays in, plain arrays out;
 * the small LPs are solved with GLPK's simplex (terminal output off).
 *
 * Diagnosis, rule by rule (each test is a relaxation of the full model, so a
 * failure proves infeasibility):
 *  - commitments: the committed sites' capex (cumulative with carry-over)
 *    and count in each period against its budget and build limit;
 *  - on time: a due point none of whose covering sites may be on air by its
 *    due period (earliest[s] > due) can never be on time;
 *  - on time, budget: for each due period d, all coverable points due by d
 *    must be covered by sites on air by their due period; the LP
 *        min sum_s c_s u_s  s.t.  sum_{s in N_d(j)} u_s >= 1,  0 <= u <= 1
 *    is a lower bound of the capex that costs by period d, compared with all
 *    the budget of periods 1..d (sum B_u: with or without carry-over no plan
 *    can spend more by d); the same LP with c_s = 1 against the build limits;
 *  - demand target (t, coef, R): the most it can reach with every site that
 *    may be on air by t; then the LP min sum c_s u_s s.t. sum_j coef_j v_j >= R,
 *    v_j <= sum_{s in N_t(j)} u_s, 0 <= u, v <= 1, against the budget by t;
 *  - site target: the sites of the group that may be on air by t; the capex of
 *    the cheapest ones the target needs (exact for this rule alone).
 * When every rule passes on its own, the rules only conflict jointly. */
#include "solver/sol_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/sol_glpk.h"

static int site_early(const sol_input *in, int s) { return sol_site_early(in, s); }

/* 1 if j is covered by an existing site */
static int by_existing(const sol_input *in, int j)
{
    for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++)
        if (sol_is_existing(in, in->cov_site[k]))
            return 1;
    return 0;
}

/* 1 if some new site covering j may be on air by t */
static int coverable_by(const sol_input *in, int j, int t)
{
    for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
        int s = in->cov_site[k];
        if (!sol_is_existing(in, s) && site_early(in, s) <= t)
            return 1;
    }
    return 0;
}

/* The cover LP of lp_cover, built and solved inside the GLPK guard. */
typedef struct cover {
    const sol_input *in;
    const int *pts, *per;
    int n, unit;
    const double *coef;
    double R;
    int *col, *ind;  /* [n_sites + 1], [n_sites + n + 2] */
    double *val;
    double out;
    sol_glpk g;
} cover;

static int cover_fn(void *arg, r5g_err *err)
{
    cover *cv = arg;
    const sol_input *in = cv->in;
    const int *pts = cv->pts, *per = cv->per, n = cv->n;
    const double R = cv->R;
    int *col = cv->col, *ind = cv->ind;
    double *val = cv->val;
    (void)err;
    glp_prob *lp = cv->g.prob = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int nc = 0;
    for (int i = 0; i < n; i++) {
        int j = pts[i];
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k];
            if (col[s] || sol_is_existing(in, s) || site_early(in, s) > per[i])
                continue;
            col[s] = ++nc;
            glp_add_cols(lp, 1);
            glp_set_col_bnds(lp, nc, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(lp, nc, cv->unit ? 1.0 : in->capex[s]);
        }
    }
    int v0 = nc;
    if (R >= 0 && n > 0) {
        glp_add_cols(lp, n);
        for (int i = 0; i < n; i++)
            glp_set_col_bnds(lp, v0 + 1 + i, GLP_DB, 0.0, 1.0);
    }
    for (int i = 0; i < n; i++) {
        int j = pts[i], len = 0;
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k];
            if (!col[s] || sol_is_existing(in, s) || site_early(in, s) > per[i])
                continue;
            int dup = 0;
            for (int q = 1; q <= len; q++)
                dup |= ind[q] == col[s];
            if (dup)
                continue;
            ind[++len] = col[s];
            val[len] = R >= 0 ? -1.0 : 1.0;
        }
        if (R >= 0) { /* v_i - sum u <= 0 */
            ind[++len] = v0 + 1 + i;
            val[len] = 1.0;
        }
        int r = glp_add_rows(lp, 1);
        glp_set_mat_row(lp, r, len, ind, val);
        if (R >= 0)
            glp_set_row_bnds(lp, r, GLP_UP, 0.0, 0.0);
        else
            glp_set_row_bnds(lp, r, GLP_LO, 1.0, 0.0);
    }
    if (R >= 0) {
        int len = 0;
        for (int i = 0; i < n; i++)
            if (cv->coef[pts[i]] > 0) {
                ind[++len] = v0 + 1 + i;
                val[len] = cv->coef[pts[i]];
            }
        int r = glp_add_rows(lp, 1);
        if (len)
            glp_set_mat_row(lp, r, len, ind, val);
        glp_set_row_bnds(lp, r, GLP_LO, R, 0.0);
    }
    if (glp_get_num_rows(lp) == 0) {
        cv->out = 0;
    } else if (glp_get_num_cols(lp) == 0) {
        cv->out = HUGE_VAL; /* rows (>= 1, >= R > 0) and nothing to meet them */
    } else {
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        sp.presolve = GLP_ON;
        int ret = glp_simplex(lp, &sp);
        if (ret == GLP_ENOPFS || (ret == 0 && glp_get_status(lp) == GLP_NOFEAS))
            cv->out = HUGE_VAL;
        else if (ret == 0 && glp_get_status(lp) == GLP_OPT)
            cv->out = glp_get_obj_val(lp);
    }
    return 0;
}

/* LP lower bound of the cost of covering points pts[0..n) (each by its own
 * period per[i]) with unit cost (unit = 1) or capex. With R >= 0: partial
 * cover, sum coef[pts[i]] v_i >= R instead of covering all. Returns the LP
 * value, or -1 when GLPK fails, HUGE_VAL when infeasible. */
static double lp_cover(const sol_input *in, const int *pts, const int *per, int n, int unit,
                       const double *coef, double R)
{
    const int S = in->n_sites;
    cover cv = {.in = in, .pts = pts, .per = per, .n = n, .unit = unit, .coef = coef, .R = R, .out = -1};
    cv.col = calloc((size_t)S + 1, sizeof *cv.col);
    cv.ind = malloc(((size_t)S + (size_t)n + 2) * sizeof *cv.ind);
    cv.val = malloc(((size_t)S + (size_t)n + 2) * sizeof *cv.val);
    r5g_err err = {0};
    if (cv.col && cv.ind && cv.val && sol_glpk_run(&cv.g, cover_fn, &cv, "explaining the infeasible model", &err))
        cv.out = -1; /* GLPK failed: no bound (logged) */
    if (err.code)
        r5g_log(R5G_LOG_DEBUG, "%s", err.msg);
    free(cv.col);
    free(cv.ind);
    free(cv.val);
    return cv.out;
}

/* budget and build limit available in periods 1..t */
static double budget_by(const sol_input *in, int t)
{
    double b = 0;
    for (int u = 0; u < t; u++)
        b += in->budget ? in->budget[u] : HUGE_VAL;
    return b;
}

static int limit_by(const sol_input *in, int t)
{
    long long n = 0;
    for (int u = 0; u < t; u++) {
        if (!in->max_new || in->max_new[u] < 0)
            return INT_MAX;
        n += in->max_new[u];
    }
    return n > INT_MAX ? INT_MAX : (int)n;
}

static int over(double need, double have)
{
    return need > have + 1e-6 * (1 + fabs(have));
}

static int push(sol_why **why, int *n, int *cap, sol_why w)
{
    if (*n == *cap) {
        int nc = *cap ? 2 * *cap : 8;
        sol_why *p = realloc(*why, (size_t)nc * sizeof *p);
        if (!p)
            return -1;
        *why = p;
        *cap = nc;
    }
    (*why)[(*n)++] = w;
    return 0;
}

void sol_why_free(sol_why *why, int n_why)
{
    for (int i = 0; why && i < n_why; i++)
        free(why[i].points);
    free(why);
}

static sol_why why_init(sol_why_kind kind, int period)
{
    return (sol_why){.kind = kind, .period = period, .target = -1, .from_period = 1,
                     .need_capex_ub = -1, .have_capex = HUGE_VAL, .have_sites = INT_MAX};
}

int sol_explain(sol_why **why_out, int *n_out, const sol_input *in, r5g_err *err)
{
    int rc = 0, n = 0, cap = 0;
    sol_why *why = NULL;
    int *pts = NULL, *per = NULL, *list = NULL;
    unsigned char *unc = NULL;
    *why_out = NULL;
    *n_out = 0;
    if ((rc = sol_input_check(in, err)) != 0)
        return rc;
    const int T = in->n_periods, D = in->n_demand, S = in->n_sites;
    pts = malloc(((size_t)D + 1) * sizeof *pts);
    per = malloc(((size_t)D + 1) * sizeof *per);
    list = malloc(((size_t)D + (size_t)S + 1) * sizeof *list);
    unc = calloc((size_t)D + 1, 1);
    if (!pts || !per || !list || !unc) {
        rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
        goto out;
    }
    /* ---- commitments: their spend and count alone ---- */
    sol_why cw;
    if (sol_commit_excess(&cw, in)) {
        if (push(&why, &n, &cap, cw)) {
            rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
            goto out;
        }
    }
    /* ---- on time ---- */
    int budget_failed = 0;
    for (int j = 0; in->due && j < D; j++)
        if (in->due[j] > 0 && !by_existing(in, j) && !coverable_by(in, j, in->due[j]))
            unc[j] = 1;
    for (int d = 1; in->due && d <= T; d++) {
        int nd = 0, nu = 0, nr = 0;
        for (int j = 0; j < D; j++)
            if (in->due[j] == d) {
                nd++;
                if (unc[j])
                    list[nu++] = j;
            }
        if (nd == 0)
            continue;
        /* the coverable points due by d */
        for (int j = 0; j < D; j++)
            if (in->due[j] > 0 && in->due[j] <= d && !unc[j] && !by_existing(in, j)) {
                pts[nr] = j;
                per[nr++] = in->due[j];
            }
        sol_why w = why_init(SOL_WHY_DUE, d);
        int fail = 0;
        if (!budget_failed && nr > 0) {
            w.have_capex = budget_by(in, d);
            w.have_sites = limit_by(in, d);
            if (isfinite(w.have_capex)) {
                w.need_capex = lp_cover(in, pts, per, nr, 0, NULL, -1);
                fail |= over(w.need_capex, w.have_capex);
            }
            if (w.have_sites < INT_MAX) {
                double ns = lp_cover(in, pts, per, nr, 1, NULL, -1);
                w.need_sites = sol_to_int(ceil(ns - 1e-6), 0, INT_MAX); /* HUGE_VAL: no cover at all */
                fail |= w.need_sites > w.have_sites;
            }
        }
        if (!fail && nu == 0)
            continue;
        budget_failed |= fail;
        w.n_uncoverable = nu;
        w.n_points = nu + (fail ? nr : 0);
        w.points = malloc(((size_t)w.n_points + 1) * sizeof *w.points);
        if (!w.points) {
            rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
            goto out;
        }
        memcpy(w.points, list, (size_t)nu * sizeof *list);
        if (fail)
            memcpy(w.points + nu, pts, (size_t)nr * sizeof *pts);
        if (!fail) { /* only the unreachable points fail here */
            w.have_capex = HUGE_VAL;
            w.have_sites = INT_MAX;
            w.need_capex = 0;
            w.need_sites = 0;
        }
        if (push(&why, &n, &cap, w)) {
            free(w.points);
            rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
            goto out;
        }
    }
    /* ---- targets ---- */
    for (int k = 0; k < in->n_targets; k++) {
        const sol_target *tg = &in->targets[k];
        int t = tg->period;
        sol_why w = why_init(SOL_WHY_TARGET, t);
        w.target = k;
        w.rhs = tg->rhs;
        w.have_capex = budget_by(in, t);
        w.have_sites = limit_by(in, t);
        if (tg->kind == SOL_TARGET_DEMAND) {
            double reach = 0, have = 0;
            int nr = 0;
            for (int j = 0; j < D; j++) {
                if (tg->coef[j] <= 0)
                    continue;
                if (by_existing(in, j)) {
                    reach += tg->coef[j];
                    have += tg->coef[j];
                } else if (coverable_by(in, j, t)) {
                    reach += tg->coef[j];
                    pts[nr] = j;
                    per[nr++] = t;
                }
            }
            w.reachable = reach;
            if (reach < tg->rhs - 1e-9 * (1 + fabs(tg->rhs))) {
                w.have_capex = HUGE_VAL;
                w.have_sites = INT_MAX;
            } else if (tg->rhs - have > 0) {
                int fail = 0;
                if (isfinite(w.have_capex)) {
                    w.need_capex = lp_cover(in, pts, per, nr, 0, tg->coef, tg->rhs - have);
                    fail |= over(w.need_capex, w.have_capex);
                }
                if (w.have_sites < INT_MAX) {
                    double ns = lp_cover(in, pts, per, nr, 1, tg->coef, tg->rhs - have);
                    w.need_sites = sol_to_int(ceil(ns - 1e-6), 0, INT_MAX);
                    fail |= w.need_sites > w.have_sites;
                }
                if (!fail)
                    continue;
            } else {
                continue;
            }
        } else {
            int ex = 0, nr = 0;
            for (int s = 0; s < S; s++) {
                if (in->site_group[s] != tg->group)
                    continue;
                if (sol_is_existing(in, s))
                    ex++;
                else if (site_early(in, s) <= t)
                    list[nr++] = s;
            }
            w.reachable = ex + nr;
            if (w.reachable < tg->rhs - 1e-9) {
                w.have_capex = HUGE_VAL;
                w.have_sites = INT_MAX;
            } else {
                int need = sol_to_int(ceil(tg->rhs - ex - 1e-9), 0, nr); /* rhs <= ex + nr here */
                if (need <= 0)
                    continue;
                /* the cheapest `need` sites: partial selection sort */
                double cost = 0;
                for (int i = 0; i < need; i++) {
                    int b = i;
                    for (int q = i + 1; q < nr; q++)
                        if (in->capex[list[q]] < in->capex[list[b]])
                            b = q;
                    int tmp = list[i];
                    list[i] = list[b];
                    list[b] = tmp;
                    cost += in->capex[list[i]];
                }
                w.need_capex = cost;
                w.need_capex_ub = cost;
                w.need_sites = need;
                if (!over(cost, w.have_capex) && need <= w.have_sites)
                    continue;
            }
        }
        if (push(&why, &n, &cap, w)) {
            rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
            goto out;
        }
    }
    if (n == 0) {
        sol_why w = why_init(SOL_WHY_JOINT, T);
        if (push(&why, &n, &cap, w)) {
            rc = r5g_err_set(err, R5G_ENOMEM, "explaining the infeasible model: out of memory");
            goto out;
        }
    }
out:
    free(pts);
    free(per);
    free(list);
    free(unc);
    if (rc) {
        sol_why_free(why, n);
        return rc;
    }
    *why_out = why;
    *n_out = n;
    return 0;
}

