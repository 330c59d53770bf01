/* solver: how much demand a fixed plan serves under capacity (sol_serve),
 * one small LP per period, solved by GLPK's simplex inside the guard. */
#include "solver/sol_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/sol_glpk.h"

/* One period: max sum_j w_j sum_s x_js  s.t.  sum_s x_js <= 1 (point rows),
 * sum_j traffic_j x_js <= cap_s (site rows), x >= 0, on-air pairs only. */
typedef struct serve {
    double *served;
    const sol_input *in;
    const int *build;
    int *srow, *prow; /* [n_sites], [n_demand] row of each site and point */
    sol_glpk g;
} serve;

static int serve_period(serve *sv, int t, r5g_err *err)
{
    double *served = sv->served;
    const sol_input *in = sv->in;
    const int *build = sv->build;
    int *srow = sv->srow, *prow = sv->prow;
    const int T = in->n_periods, D = in->n_demand, S = in->n_sites;
    int rc = 0, any = 0;
    for (int j = 0; j < D; j++) {
        double v = 0;
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k], b = sol_is_existing(in, s) ? 1 : build[s];
            if (b > 0 && b <= t)
                v = 1;
        }
        served[(size_t)j * (size_t)T + (size_t)(t - 1)] = v;
        any |= v > 0 && in->site_cap && in->traffic && in->traffic[j] > 0;
    }
    if (!any)
        return 0;
    glp_prob *lp = sv->g.prob = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    for (int s = 0; s < S; s++) {
        int b = sol_is_existing(in, s) ? 1 : build[s];
        srow[s] = 0;
        if (b > 0 && b <= t) {
            srow[s] = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, srow[s], GLP_UP, 0.0, in->site_cap[s]);
        }
    }
    for (int j = 0; j < D; j++) {
        prow[j] = 0;
        if (served[(size_t)j * (size_t)T + (size_t)(t - 1)] == 0 || in->traffic[j] <= 0)
            continue;
        /* the objective weight in credited periods; a tiny one otherwise, so
         * that spare capacity still serves the point */
        int cf = in->credit_from ? in->credit_from[j] : 1;
        double w = t >= cf ? in->weight[j] : 0;
        if (w <= 0)
            w = 1e-6;
        prow[j] = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, prow[j], GLP_UP, 0.0, 1.0);
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k], dup = 0;
            if (!srow[s])
                continue;
            for (int q = in->cov_ptr[j]; q < k; q++)
                dup |= in->cov_site[q] == s;
            if (dup)
                continue;
            int c = glp_add_cols(lp, 1);
            glp_set_col_bnds(lp, c, GLP_LO, 0.0, 0.0);
            glp_set_obj_coef(lp, c, w);
            int ri[3] = {0, prow[j], srow[s]};
            double rv[3] = {0, 1.0, in->traffic[j]};
            glp_set_mat_col(lp, c, 2, ri, rv);
        }
    }
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    int ret = glp_simplex(lp, &sp);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        rc = r5g_err_set(err, R5G_EINTERNAL,
                         "serving the plan in period %d under capacity: the LP failed (code %d)", t, ret);
    } else {
        for (int j = 0; j < D; j++)
            if (prow[j]) {
                double v = glp_get_row_prim(lp, prow[j]);
                served[(size_t)j * (size_t)T + (size_t)(t - 1)] = v < 0 ? 0 : v > 1 ? 1 : v;
            }
    }
    glp_delete_prob(lp);
    sv->g.prob = NULL;
    return rc;
}

static int serve_fn(void *arg, r5g_err *err)
{
    serve *sv = arg;
    int rc = 0;
    for (int t = 1; !rc && t <= sv->in->n_periods; t++)
        rc = serve_period(sv, t, err);
    return rc;
}

int sol_serve(double *served, const sol_input *in, const int *build, r5g_err *err)
{
    int rc;
    if ((rc = sol_input_check(in, err)) != 0)
        return rc;
    serve sv = {.served = served, .in = in, .build = build};
    sv.srow = calloc((size_t)in->n_sites + 1, sizeof *sv.srow);
    sv.prow = calloc((size_t)in->n_demand + 1, sizeof *sv.prow);
    if (!sv.srow || !sv.prow)
        rc = r5g_err_set(err, R5G_ENOMEM, "serving the plan under capacity: out of memory");
    else
        rc = sol_glpk_run(&sv.g, serve_fn, &sv, "serving the plan under capacity", err);
    free(sv.srow);
    free(sv.prow);
    return rc;
}

int sol_serve_value(double *value, const sol_model *m, const int *build, r5g_err *err)
{
    const sol_input *in = m->in;
    const int T = in->n_periods, D = in->n_demand;
    double *served = malloc(((size_t)D * (size_t)T + 1) * sizeof *served);
    if (!served)
        return r5g_err_set(err, R5G_ENOMEM, "serving the greedy plan: out of memory");
    int rc = sol_serve(served, in, build, err);
    double v = 0;
    for (int j = 0; !rc && j < D; j++) {
        int cf = in->credit_from ? in->credit_from[j] : 1;
        for (int t = cf; t <= T; t++)
            v += in->weight[j] * m->pf[t] * served[(size_t)j * (size_t)T + (size_t)(t - 1)];
    }
    free(served);
    *value = v;
    return rc;
}
