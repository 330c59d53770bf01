/* A Lagrangian upper bound for the max_coverage rollout model, for models too
 * large for GLPK's simplex to solve the root LP in time (the city).
 *
 * Relaxing every coupling row of the reduced model (docs/model.md):
 *   coverage   z[g,t] <= sum_{s in g} y[s,t]          multiplier mu[g,t] >= 0
 *   budget     sum_s c_s y[s,t] <= CB_t (carry-over)  multiplier lam[t] >= 0
 *              sum_s c_s (y[s,t] - y[s,t-1]) <= B_t    (no carry-over)
 *   build cap  sum_s (y[s,t] - y[s,t-1]) <= N_t        multiplier nu[t] >= 0
 * leaves a problem that splits into one term per group and period and one per
 * site (choose its build period b, or never):
 *   UB = c0 + sum_{g,t} max(0, w[g,t] - mu[g,t])
 *           + sum_s max(0, max_{b >= early_s} V_s(b))
 *           + sum_t lam[t] CB_t + sum_t nu[t] N_t
 *   V_s(b) = sum_{t >= b} (p[s,t] - lam[t] c_s) - nu[b]        (carry-over)
 *   V_s(b) = sum_{t >= b} p[s,t] - lam[b] c_s - nu[b]          (no carry-over)
 *   p[s,t] = sum_{g covered by s, z[g,t] exists} mu[g,t]
 * A committed site (fixed_build) has one choice, b = its period (early_s),
 * whatever V_s(b) is.
 * UB >= the optimum for every mu, lam, nu >= 0 (weak duality). Both parts of
 * the split problem have the integrality property, so the best multipliers
 * give the LP bound (Geoffrion 1974). They are found by projected
 * subgradient steps with Polyak's step size against the best known plan.
 * The budget rows are scaled by the mean capex so that all multipliers move
 * on comparable scales. */
#include "solver/sol_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef LAG_PATIENCE
#define LAG_PATIENCE 100 /* non-improving steps before the step size halves */
#endif
/* The work budget: subgradient steps (docs/model.md, "Work, not time"). */
#ifndef LAG_STEPS
#define LAG_STEPS 20000
#endif
/* Reduced models with more columns than this get the Lagrangian bound first. */
#ifndef LAGRANGE_MIN_COLS
#define LAGRANGE_MIN_COLS 200000
#endif

int sol_lagrange_applies(const sol_model *m)
{
    const sol_input *in = m->in;
    if (m->min_cost || m->capacity || m->n_dtarget || in->n_targets || m->unreduced)
        return 0;
    for (int g = 0; g < m->n_groups; g++)
        if (m->gdue && m->gdue[g])
            return 0;
    return 1;
}

typedef struct lag {
    const sol_model *m;
    int T, G, S;
    double scale;      /* capex unit */
    double *w;         /* [G*T] objective weight of z[g,t]; 0 where no column */
    double *mu;        /* [G*T] */
    double *p;         /* [S*T] */
    double lam[64], nu[64];
    double cb[64];     /* budget right side per row (scaled); INFINITY = no row */
    double nmax[64];   /* build limit per period; INFINITY = none */
    int *b;            /* [S] build period of the split problem's solution, 0 never */
} lag;

/* Evaluates UB at the current multipliers; fills lg->b. */
static double evaluate(lag *lg)
{
    const sol_model *m = lg->m;
    const sol_input *in = m->in;
    int T = lg->T;
    double ub = m->c0;
    memset(lg->p, 0, (size_t)lg->S * T * sizeof *lg->p);
    for (int g = 0; g < lg->G; g++) {
        const double *mu = lg->mu + (size_t)g * T;
        const double *w = lg->w + (size_t)g * T;
        for (int t = 0; t < T; t++)
            if (w[t] > mu[t])
                ub += w[t] - mu[t];
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int s = m->gsite[k];
            double *p = lg->p + (size_t)s * T;
            for (int t = m->early[s] - 1; t < T; t++)
                p[t] += mu[t];
        }
    }
    for (int s = 0; s < lg->S; s++) {
        lg->b[s] = 0;
        if (!m->useful[s] || m->early[s] > T)
            continue;
        double c = in->capex[s] / lg->scale;
        const double *p = lg->p + (size_t)s * T;
        double suffix = 0, best = 0;
        for (int t = T - 1; t >= m->early[s] - 1; t--) {
            double v;
            if (in->carry_over) {
                suffix += p[t] - (isfinite(lg->cb[t]) ? lg->lam[t] * c : 0);
                v = suffix;
            } else {
                suffix += p[t];
                v = suffix - (isfinite(lg->cb[t]) ? lg->lam[t] * c : 0);
            }
            if (isfinite(lg->nmax[t]))
                v -= lg->nu[t];
            if (v > best || (sol_fixed(in, s) && t == m->early[s] - 1)) { /* committed: b = its period */
                best = v;
                lg->b[s] = t + 1;
            }
        }
        ub += best;
    }
    for (int t = 0; t < T; t++) {
        if (isfinite(lg->cb[t]))
            ub += lg->lam[t] * lg->cb[t];
        if (isfinite(lg->nmax[t]))
            ub += lg->nu[t] * lg->nmax[t];
    }
    return ub;
}

int sol_lagrange_bound(double *bound, int *best_b, long long *steps_done, const sol_model *m, double target,
                       int steps, double stop_gap, sol_lagrange_report report, void *user, r5g_err *err)
{
    const sol_input *in = m->in;
    int T = m->T;
    *bound = m->upper;
    if (steps_done)
        *steps_done = 0;
    if (steps <= 0)
        steps = LAG_STEPS;
    if (!sol_lagrange_applies(m) || T > 64 || m->n_groups == 0)
        return 0;
    lag lg = {.m = m, .T = T, .G = m->n_groups, .S = m->n_sites};
    size_t gt = (size_t)lg.G * T;
    lg.w = calloc(gt, sizeof *lg.w);
    lg.mu = calloc(gt, sizeof *lg.mu);
    lg.p = calloc((size_t)lg.S * T, sizeof *lg.p);
    lg.b = calloc((size_t)lg.S + 1, sizeof *lg.b);
    double *grad = calloc(gt, sizeof *grad);
    int *cnt_first = calloc((size_t)T + 2, sizeof *cnt_first);
    int rc = 0;
    if (!lg.w || !lg.mu || !lg.p || !lg.b || !grad || !cnt_first) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the Lagrangian bound");
        goto out;
    }
    /* capex unit and the rows' right sides */
    double csum = 0;
    int cn = 0;
    for (int s = 0; s < lg.S; s++)
        if (m->useful[s] && m->early[s] <= T && in->capex[s] > 0) {
            csum += in->capex[s];
            cn++;
        }
    lg.scale = cn ? csum / cn : 1;
    double cum = 0;
    int unlimited = 0;
    for (int t = 0; t < T; t++) {
        double bt = in->budget ? in->budget[t] : INFINITY;
        if (!isfinite(bt))
            unlimited = 1;
        cum += isfinite(bt) ? bt : 0;
        lg.cb[t] = in->carry_over ? (unlimited ? INFINITY : cum / lg.scale)
                                  : (isfinite(bt) ? bt / lg.scale : INFINITY);
        lg.nmax[t] = in->max_new && in->max_new[t] >= 0 ? in->max_new[t] : INFINITY;
    }
    /* weights, and a start that splits each group's weight over its sites */
    for (int g = 0; g < lg.G; g++) {
        int n = m->gptr[g + 1] - m->gptr[g];
        for (int t = m->gtmin[g]; m->gcf[g] <= T && t <= T; t++) {
            double w = m->gw[g] * m->pf[t];
            lg.w[(size_t)g * T + t - 1] = w;
            lg.mu[(size_t)g * T + t - 1] = n ? w / n : 0;
        }
    }
    double t0 = r5g_now(), best = INFINITY, theta = 2.0;
    int since = 0, it;
    for (it = 0; it < steps; it++) {
        double ub = evaluate(&lg);
        if (ub < best && (isinf(best) || best - ub > 1e-9 * fabs(best))) {
            best = ub;
            if (best_b)
                memcpy(best_b, lg.b, (size_t)lg.S * sizeof *best_b);
            since = 0;
        } else if (++since >= LAG_PATIENCE) {
            theta /= 2;
            since = 0;
        }
        if (best - target <= stop_gap * fmax(fabs(target), 1e-9) || theta < 1e-5)
            break;
        /* the caller's cancel or time limit, asked every step (a city step
         * takes about 12 ms): the bound so far stays valid */
        if (report && report(user, it, best))
            break;
        /* subgradient: coverage rows */
        double norm = 0;
        for (int g = 0; g < lg.G; g++) {
            memset(cnt_first, 0, ((size_t)T + 2) * sizeof *cnt_first);
            for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                int bs = lg.b[m->gsite[k]];
                if (bs > 0)
                    cnt_first[bs]++;
            }
            int on = 0;
            for (int t = 1; t <= T; t++) {
                on += cnt_first[t];
                size_t i = (size_t)g * T + t - 1;
                double d = 0;
                if (lg.w[i] > 0) {
                    d = on - (lg.w[i] > lg.mu[i] ? 1 : 0);
                    if (lg.mu[i] <= 0 && d > 0)
                        d = 0; /* projected: mu cannot go below 0 */
                }
                grad[i] = d;
                norm += d * d;
            }
        }
        /* budget and build-limit rows */
        double gl[64], gn[64];
        for (int t = 0; t < T; t++) {
            double spend = 0;
            int built = 0;
            for (int s = 0; s < lg.S; s++) {
                int bs = lg.b[s];
                if (bs == 0)
                    continue;
                if (in->carry_over ? bs <= t + 1 : bs == t + 1)
                    spend += in->capex[s] / lg.scale;
                built += bs == t + 1;
            }
            gl[t] = isfinite(lg.cb[t]) ? lg.cb[t] - spend : 0;
            gn[t] = isfinite(lg.nmax[t]) ? lg.nmax[t] - built : 0;
            if (lg.lam[t] <= 0 && gl[t] > 0)
                gl[t] = 0;
            if (lg.nu[t] <= 0 && gn[t] > 0)
                gn[t] = 0;
            norm += gl[t] * gl[t] + gn[t] * gn[t];
        }
        if (norm <= 0)
            break; /* the split problem's solution is feasible: UB is the optimum of the relaxation */
        double step = theta * (ub - target) / norm;
        if (step <= 0)
            step = theta * 1e-3 * fabs(ub) / norm;
        for (size_t i = 0; i < gt; i++) {
            double v = lg.mu[i] - step * grad[i];
            lg.mu[i] = v > 0 ? v : 0;
        }
        for (int t = 0; t < T; t++) {
            double v = lg.lam[t] - step * gl[t];
            lg.lam[t] = v > 0 ? v : 0;
            v = lg.nu[t] - step * gn[t];
            lg.nu[t] = v > 0 ? v : 0;
        }
    }
    if (best < *bound)
        *bound = best;
    if (steps_done)
        *steps_done = it;
    r5g_log(R5G_LOG_DEBUG, "solver: Lagrangian bound %.6g after %d steps in %.2f s (trivial %.6g, plan %.6g)",
            best, it, r5g_now() - t0, m->upper, target);
out:
    free(lg.w);
    free(lg.mu);
    free(lg.p);
    free(lg.b);
    free(grad);
    free(cnt_first);
    return rc;
}

/* ---- the step: bound, then a plan guided by the relaxation ------------------ */

static int lagrange_report(void *user, long long steps, double bound)
{
    sol_search *s = user;
    s->lagrange_steps = steps;
    if (steps % 50 == 0 && sol_search_report(s, "lagrange", steps, "steps", NAN, bound))
        return 1;
    /* time for the guided greedy plan after it (twice the first one's) */
    if (sol_search_left(s) < 2 * s->greedy_seconds)
        return 1;
    return sol_search_timed_out(s);
}

/* Models this large take GLPK's simplex longer than any sensible time limit
 * for the root LP (the city: 663k rows, not solved in 10 min): bound them by
 * Lagrangian relaxation first, then try a greedy plan over the sites the
 * relaxation builds, not before its build period (kept when better: on the
 * district 91,410 against greedy's 90,366 once the multipliers have
 * converged; on the city, stopped at 2 %, worse). */
static int lagrange_exec(sol_search *s, r5g_err *err)
{
    sol_model *m = s->m;
    const sol_input *in = s->in;
    int lag_cols = in->lagrange_cols > 0 ? in->lagrange_cols : LAGRANGE_MIN_COLS;
    /* also when the root LP would take more than half the time left (its
     * bound comes far cheaper this way; sol_mip.c runs the LP after it only
     * if it still fits), and after a root LP given up for lack of time */
    if (!s->have_plan || s->lagrange_done || !sol_lagrange_applies(m) ||
        (s->n_cols <= lag_cols && sol_search_lp_fits(s, 0.5) && !s->lp_abandoned))
        return 0;
    s->lagrange_done = 1;
    int S = m->n_sites, rc;
    int *lag_b = calloc((size_t)S + 1, sizeof *lag_b);
    int *plan2 = calloc((size_t)S + 1, sizeof *plan2);
    int *early2 = calloc((size_t)S + 1, sizeof *early2);
    if (!lag_b || !plan2 || !early2) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", S);
        goto out;
    }
    double bound;
    rc = sol_lagrange_bound(&bound, lag_b, &s->lagrange_steps, m, s->value, in->lagrange_steps, in->mip_gap,
                            lagrange_report, s, err);
    if (rc)
        goto out;
    sol_search_bound(s, bound, "lagrangian");
    if (s->greedy_seconds > sol_search_left(s)) {
        r5g_log(R5G_LOG_DEBUG, "solver: no time left for the Lagrangian-guided greedy plan (%.2f s, %.2f s left)",
                s->greedy_seconds, sol_search_left(s));
        goto out;
    }
    int *early = m->early;
    for (int k = 0; k < S; k++)
        early2[k] = lag_b[k] > 0 ? (lag_b[k] > early[k] ? lag_b[k] : early[k]) : m->T + 1;
    m->early = early2;
    rc = sol_model_greedy(m, plan2, err);
    m->early = early;
    if (rc)
        goto out;
    double v2 = sol_model_feasible(m, plan2) ? sol_model_value(m, plan2) : -HUGE_VAL;
    r5g_log(R5G_LOG_DEBUG, "solver: Lagrangian-guided greedy plan %.6g (greedy %.6g)", v2, s->value);
    /* a worse guided plan may still lead the local search elsewhere */
    if (v2 > -HUGE_VAL && v2 <= s->value && sol_local_applies(m)) {
        if ((rc = sol_search_polish(s, plan2, &v2, err)) != 0)
            goto out;
        r5g_log(R5G_LOG_DEBUG, "solver: local search from the guided plan: %.6g", v2);
        if (sol_search_offer(s, plan2, v2, "local", 0))
            goto out;
    }
    sol_search_offer(s, plan2, v2, "lagrange", 0);
out:
    free(lag_b);
    free(plan2);
    free(early2);
    return rc;
}

const sol_step sol_bound_lagrange = {.name = "lagrange", .exec = lagrange_exec};
