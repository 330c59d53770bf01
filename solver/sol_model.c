/* solver: input checks, exact reductions and the greedy plan. No GLPK here. */
#include "solver/sol_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- input checks --------------------------------------------------------- */

static int bad_double(double v, int allow_inf)
{
    return isnan(v) || v < 0 || (!allow_inf && isinf(v));
}

int sol_input_check(const sol_input *in, r5g_err *err)
{
    if (!in)
        return r5g_err_set(err, R5G_EINPUT, "solver input: NULL");
    const int T = in->n_periods;
    if (T < 1)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_periods %d is not >= 1", T);
    if (in->n_sites < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_sites %d is negative", in->n_sites);
    if (in->n_demand < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_demand %d is negative", in->n_demand);
    if (in->n_sites > 0 && !in->capex)
        return r5g_err_set(err, R5G_EINPUT, "solver input: capex is NULL for %d sites", in->n_sites);
    for (int s = 0; s < in->n_sites; s++) {
        if (bad_double(in->capex[s], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: capex[%d] = %g is not a finite number >= 0", s,
                               in->capex[s]);
        if (in->earliest && (in->earliest[s] < 1 || in->earliest[s] > T + 1))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: earliest[%d] = %d is outside 1..%d (T+1 = never)",
                               s, in->earliest[s], T + 1);
    }
    for (int t = 0; t < T; t++) {
        if (in->budget && bad_double(in->budget[t], 1))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: budget[%d] (period %d) = %g is not a number >= 0",
                               t, t + 1, in->budget[t]);
        if (in->period_factor && bad_double(in->period_factor[t], 0))
            return r5g_err_set(
                err, R5G_EINPUT,
                "solver input: period_factor[%d] (period %d) = %g is not a finite number >= 0", t,
                t + 1, in->period_factor[t]);
    }
    if (in->n_demand > 0 && (!in->weight || !in->cov_ptr))
        return r5g_err_set(err, R5G_EINPUT, "solver input: weight or cov_ptr is NULL for %d demand points",
                           in->n_demand);
    if (in->cov_ptr && in->cov_ptr[0] != 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: cov_ptr[0] = %d, expected 0",
                           in->cov_ptr[0]);
    for (int j = 0; j < in->n_demand; j++) {
        if (bad_double(in->weight[j], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: weight[%d] = %g is not a finite number >= 0", j,
                               in->weight[j]);
        if (in->credit_from && in->credit_from[j] < 1)
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: credit_from[%d] = %d is not >= 1 (periods are 1..%d)",
                               j, in->credit_from[j], T);
        if (in->cov_ptr[j + 1] < in->cov_ptr[j])
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: cov_ptr is not monotone: cov_ptr[%d] = %d < cov_ptr[%d] = %d",
                               j + 1, in->cov_ptr[j + 1], j, in->cov_ptr[j]);
    }
    if (in->n_demand > 0 && in->cov_ptr[in->n_demand] > 0 && !in->cov_site)
        return r5g_err_set(err, R5G_EINPUT, "solver input: cov_site is NULL for %d pairs",
                           in->cov_ptr[in->n_demand]);
    for (int j = 0; j < in->n_demand; j++)
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++)
            if (in->cov_site[k] < 0 || in->cov_site[k] >= in->n_sites)
                return r5g_err_set(err, R5G_EINPUT,
                                   "solver input: cov_site[%d] = %d (demand point %d) is outside 0..%d",
                                   k, in->cov_site[k], j, in->n_sites - 1);
    for (int j = 0; in->due && j < in->n_demand; j++)
        if (in->due[j] < 0 || in->due[j] > T)
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: due[%d] = %d is outside 0..%d (0 = no on-time rule)", j,
                               in->due[j], T);
    if (in->n_targets < 0 || (in->n_targets > 0 && !in->targets))
        return r5g_err_set(err, R5G_EINPUT, "solver input: %d targets but targets is NULL",
                           in->n_targets);
    for (int k = 0; k < in->n_targets; k++) {
        const sol_target *g = &in->targets[k];
        if (g->period < 1 || g->period > T)
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].period = %d is outside 1..%d",
                               k, g->period, T);
        if (!isfinite(g->rhs))
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].rhs = %g is not finite", k,
                               g->rhs);
        if (g->kind == SOL_TARGET_DEMAND) {
            if (in->n_demand > 0 && !g->coef)
                return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].coef is NULL", k);
            for (int j = 0; j < in->n_demand; j++)
                if (bad_double(g->coef[j], 0))
                    return r5g_err_set(err, R5G_EINPUT,
                                       "solver input: targets[%d].coef[%d] = %g is not a finite number >= 0",
                                       k, j, g->coef[j]);
        } else if (g->kind == SOL_TARGET_SITES) {
            if (in->n_sites > 0 && !in->site_group)
                return r5g_err_set(err, R5G_EINPUT,
                                   "solver input: targets[%d] counts sites of group %d but site_group is NULL",
                                   k, g->group);
        } else {
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].kind = %d is unknown", k,
                               (int)g->kind);
        }
    }
    for (int s = 0; s < in->n_sites; s++) {
        if (in->site_group && in->site_group[s] < -1)
            return r5g_err_set(err, R5G_EINPUT, "solver input: site_group[%d] = %d is not >= -1", s,
                               in->site_group[s]);
        if (in->site_cap && bad_double(in->site_cap[s], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: site_cap[%d] = %g is not a finite number >= 0", s,
                               in->site_cap[s]);
    }
    for (int j = 0; in->traffic && j < in->n_demand; j++)
        if (bad_double(in->traffic[j], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: traffic[%d] = %g is not a finite number >= 0", j,
                               in->traffic[j]);
    if (isnan(in->time_limit_s))
        return r5g_err_set(err, R5G_EINPUT, "solver input: time_limit_s is NaN");
    if (bad_double(in->mip_gap, 0))
        return r5g_err_set(err, R5G_EINPUT, "solver input: mip_gap %g is not a finite number >= 0",
                           in->mip_gap);
    if ((long long)in->n_sites * T > INT_MAX / 2 || (long long)in->n_demand * T > INT_MAX / 2)
        return r5g_err_set(err, R5G_EINPUT, "solver input: %d sites x %d demand points x %d periods is too large for GLPK",
                           in->n_sites, in->n_demand, T);
    return 0;
}

/* ---- reductions ----------------------------------------------------------- */

typedef struct item {
    int cf, due, tz, len, idx;
    size_t off;     /* into the site pool */
    double w;
    double q;       /* capacity: traffic, part of the key when > 0; else 0 */
    const int *pool;
    const sol_model *m;
} item;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_double(double x, double y) { return (x > y) - (x < y); }

/* Under capacity a merged group is served as one share, so only points that
 * load the sites (traffic > 0) with the same weight, traffic and target
 * coefficients may merge: then any split of the shares between them is one
 * share of the group worth the same. Points without traffic are served in
 * full wherever they are covered and merge on the site set alone. */
static int cmp_load(const item *a, const item *b)
{
    int c = cmp_double(a->q, b->q);
    if (c || a->q <= 0)
        return c;
    if ((c = cmp_double(a->w, b->w)) != 0)
        return c;
    const sol_model *m = a->m;
    for (int q = 0; q < m->n_dtarget; q++) {
        const double *coef = m->in->targets[m->dt_index[q]].coef;
        if ((c = cmp_double(coef[a->idx], coef[b->idx])) != 0)
            return c;
    }
    return 0;
}

/* The merge key: first credited period, due period, site set, and the load
 * (capacity only). Orders items so that equal keys are adjacent. */
static int cmp_key(const item *a, const item *b)
{
    if (a->cf != b->cf)
        return a->cf < b->cf ? -1 : 1;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    const int *x = a->pool + a->off, *y = b->pool + b->off;
    for (int k = 0; k < a->len; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return cmp_load(a, b);
}

static int same_key(const item *a, const item *b) { return cmp_key(a, b) == 0; }

static int cmp_item(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = cmp_key(a, b);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

void sol_model_clear(sol_model *m)
{
    if (!m)
        return;
    free(m->pf);
    free(m->tail);
    free(m->early);
    free(m->useful);
    free(m->gw);
    free(m->gcf);
    free(m->gtmin);
    free(m->gptr);
    free(m->gsite);
    free(m->sptr);
    free(m->sgroup);
    free(m->gdue);
    free(m->gtraffic);
    free(m->dt_index);
    free(m->dt_coef);
    free(m->dt_const);
    memset(m, 0, sizeof *m);
}

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }

int sol_model_init(sol_model *m, const sol_input *in, r5g_err *err)
{
    return sol_model_init_ex(m, in, 1, err);
}

int sol_model_init_ex(sol_model *m, const sol_input *in, int reduce, r5g_err *err)
{
    int rc = 0;
    const int T = in->n_periods, S = in->n_sites, D = in->n_demand;
    item *items = NULL;
    int *pool = NULL;
    memset(m, 0, sizeof *m);
    m->T = T;
    m->n_sites = S;
    m->in = in;
    m->min_cost = in->min_cost != 0;
    m->capacity = in->site_cap != NULL;
    m->unreduced = !reduce;
    m->keep_existing = m->capacity || m->unreduced;
    size_t npairs = D > 0 ? (size_t)in->cov_ptr[D] : 0;
    m->red_demand_in = D;
    m->red_pairs_in = (long long)npairs;
    for (int k = 0; k < in->n_targets; k++)
        m->n_dtarget += in->targets[k].kind == SOL_TARGET_DEMAND;
    m->pf = calloc((size_t)T + 2, sizeof *m->pf);
    m->tail = calloc((size_t)T + 2, sizeof *m->tail);
    m->early = calloc((size_t)S + 1, sizeof *m->early);
    m->useful = calloc((size_t)S + 1, 1);
    m->sptr = calloc((size_t)S + 1, sizeof *m->sptr);
    m->dt_index = calloc((size_t)m->n_dtarget + 1, sizeof *m->dt_index);
    m->dt_const = calloc((size_t)m->n_dtarget + 1, sizeof *m->dt_const);
    items = calloc((size_t)D + 1, sizeof *items);
    pool = malloc((npairs + 1) * sizeof *pool);
    if (!m->pf || !m->tail || !m->early || !m->useful || !m->sptr || !m->dt_index || !m->dt_const ||
        !items || !pool) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites, %d demand points", S, D);
        goto out;
    }
    for (int k = 0, n = 0; k < in->n_targets; k++)
        if (in->targets[k].kind == SOL_TARGET_DEMAND)
            m->dt_index[n++] = k;
    for (int t = 1; t <= T; t++)
        m->pf[t] = in->period_factor ? in->period_factor[t - 1] : 1.0;
    for (int t = T; t >= 1; t--)
        m->tail[t] = m->tail[t + 1] + m->pf[t];
    for (int s = 0; s < S; s++)
        m->early[s] = sol_is_existing(in, s) ? 1 : in->earliest ? in->earliest[s] : 1;

    /* collect the buildable covering sites of each point that counts */
    size_t used = 0;
    int n_items = 0;
    for (int j = 0; j < D; j++) {
        int cf = in->credit_from ? in->credit_from[j] : 1;
        int due = in->due ? in->due[j] : 0;
        double w = in->weight[j];
        int tz = T + 1; /* first period a z column is needed: credit or a target */
        if (!m->min_cost && (w > 0 || m->unreduced) && cf <= T)
            tz = cf;
        for (int q = 0; q < m->n_dtarget; q++) {
            const sol_target *g = &in->targets[m->dt_index[q]];
            if (g->coef[j] > 0)
                tz = imin(tz, g->period);
        }
        if (tz > T && due == 0)
            continue; /* contributes nothing */
        int by_existing = 0;
        size_t start = used;
        int emin = T + 1;
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k];
            if (sol_is_existing(in, s) && !m->keep_existing) {
                by_existing = 1;
                break;
            }
            if (m->early[s] <= T) {
                pool[used++] = s;
                emin = imin(emin, m->early[s]);
            }
        }
        if (by_existing) {
            if (!m->min_cost && w > 0 && cf <= T)
                m->c0 += w * m->tail[cf];
            for (int q = 0; q < m->n_dtarget; q++)
                m->dt_const[q] += in->targets[m->dt_index[q]].coef[j];
            used = start;
            continue;
        }
        size_t len = used - start;
        if (due > 0 && emin > due)
            m->n_impossible++;
        if (len == 0 && !m->unreduced)
            continue;
        qsort(pool + start, len, sizeof *pool, cmp_int);
        size_t u = len > 0; /* de-duplicate: GLPK aborts on duplicate matrix entries */
        for (size_t k = 1; k < len; k++)
            if (pool[start + k] != pool[start + u - 1])
                pool[start + u++] = pool[start + k];
        used = start + u;
        double q = m->capacity && in->traffic ? in->traffic[j] : 0;
        items[n_items++] = (item){.cf = cf, .due = due, .tz = tz, .len = (int)u, .idx = j,
                                  .off = start, .w = w, .q = q, .pool = pool, .m = m};
    }
    if (!m->unreduced) /* unreduced: groups in input order, one per point */
        qsort(items, (size_t)n_items, sizeof *items, cmp_item);

    /* merge equal (cf, due, site set) */
    int G = 0;
    size_t gnnz = 0;
    for (int i = 0; i < n_items; i++)
        if (i == 0 || m->unreduced || !same_key(&items[i - 1], &items[i])) {
            G++;
            gnnz += (size_t)items[i].len;
        }
    m->n_groups = G;
    m->red_pairs_out = (long long)gnnz;
    m->gw = calloc((size_t)G + 1, sizeof *m->gw);
    m->gcf = calloc((size_t)G + 1, sizeof *m->gcf);
    m->gtmin = calloc((size_t)G + 1, sizeof *m->gtmin);
    m->gdue = calloc((size_t)G + 1, sizeof *m->gdue);
    m->gtraffic = calloc((size_t)G + 1, sizeof *m->gtraffic);
    m->dt_coef = calloc((size_t)m->n_dtarget * (size_t)G + 1, sizeof *m->dt_coef);
    m->gptr = calloc((size_t)G + 1, sizeof *m->gptr);
    m->gsite = malloc((gnnz + 1) * sizeof *m->gsite);
    m->sgroup = malloc((gnnz + 1) * sizeof *m->sgroup);
    if (!m->gw || !m->gcf || !m->gtmin || !m->gdue || !m->gtraffic || !m->dt_coef || !m->gptr ||
        !m->gsite || !m->sgroup) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d demand groups", G);
        goto out;
    }
    int g = -1, emin = T + 1, tz = T + 1;
    size_t fill = 0;
    for (int i = 0; i < n_items; i++) {
        if (i == 0 || m->unreduced || !same_key(&items[i - 1], &items[i])) {
            g++;
            m->gcf[g] = items[i].cf;
            m->gdue[g] = items[i].due;
            emin = T + 1;
            tz = T + 1;
            for (int k = 0; k < items[i].len; k++) {
                int s = pool[items[i].off + (size_t)k];
                m->gsite[fill++] = s;
                m->useful[s] = 1;
                m->sptr[s]++;
                emin = imin(emin, m->early[s]);
            }
            m->gptr[g + 1] = (int)fill;
        }
        tz = imin(tz, items[i].tz);
        /* unreduced: z columns from the first credited period even where no
         * covering site may exist yet (their coverage rows force z = 0) */
        m->gtmin[g] = m->unreduced ? tz : imax(emin, tz);
        m->gw[g] += items[i].w;
        int j = items[i].idx;
        if (in->traffic)
            m->gtraffic[g] += in->traffic[j];
        for (int q = 0; q < m->n_dtarget; q++)
            m->dt_coef[(size_t)q * (size_t)G + (size_t)g] += in->targets[m->dt_index[q]].coef[j];
    }
    /* sites counted by a density target may be built for it alone */
    for (int k = 0; k < in->n_targets; k++)
        if (in->targets[k].kind == SOL_TARGET_SITES)
            for (int s = 0; s < S; s++)
                if (in->site_group[s] == in->targets[k].group && m->early[s] <= T &&
                    (!sol_is_existing(in, s) || m->capacity))
                    m->useful[s] = 1;
    /* unreduced: every site that may be built keeps its columns */
    for (int s = 0; m->unreduced && s < S; s++)
        if (m->early[s] <= T)
            m->useful[s] = 1;
    /* site -> groups */
    int acc = 0;
    for (int s = 0; s < S; s++) {
        int c = m->sptr[s];
        m->sptr[s] = acc;
        acc += c;
    }
    m->sptr[S] = acc;
    free(pool); /* reused as the fill cursor of each site */
    pool = malloc(((size_t)S + 1) * sizeof *pool);
    if (!pool) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", S);
        goto out;
    }
    memcpy(pool, m->sptr, (size_t)S * sizeof *pool);
    for (int q = 0; q < G; q++)
        for (int k = m->gptr[q]; k < m->gptr[q + 1]; k++)
            m->sgroup[pool[m->gsite[k]]++] = q;
    m->upper = m->min_cost ? 0 : m->c0;
    for (int q = 0; q < G && !m->min_cost; q++)
        if (m->gcf[q] <= T)
            m->upper += m->gw[q] * m->tail[imin(T + 1, imax(m->gtmin[q], m->gcf[q]))];
out:
    free(items);
    free(pool);
    if (rc)
        sol_model_clear(m);
    return rc;
}

int sol_model_group_first(const sol_model *m, const int *build, int g)
{
    int first = 0;
    for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
        int b = build[m->gsite[k]];
        if (b > 0 && (first == 0 || b < first))
            first = b;
    }
    return first;
}

/* The score of a plan: max_coverage: the objective; min_cost: minus the
 * discounted capex. Larger is better in both. */
double sol_model_value(const sol_model *m, const int *build)
{
    const sol_input *in = m->in;
    if (m->min_cost) {
        double cost = 0;
        for (int s = 0; s < m->n_sites; s++)
            if (build[s] > 0 && !sol_is_existing(in, s))
                cost += in->capex[s] * m->pf[build[s]];
        return -cost;
    }
    double v = m->c0;
    for (int g = 0; g < m->n_groups; g++) {
        int first = sol_model_group_first(m, build, g);
        if (first > 0 && m->gcf[g] <= m->T)
            v += m->gw[g] * m->tail[first > m->gcf[g] ? first : m->gcf[g]];
    }
    return v;
}

int sol_model_feasible(const sol_model *m, const int *build)
{
    const sol_input *in = m->in;
    const int T = m->T, S = m->n_sites;
    if (m->n_impossible)
        return 0;
    double cum = 0, spent = 0;
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL, ct = 0;
        int nt = 0;
        cum += bt;
        for (int s = 0; s < S; s++) {
            if (sol_is_existing(in, s))
                continue;
            if (build[s] > 0 && build[s] < m->early[s])
                return 0;
            if (build[s] == t) {
                ct += in->capex[s];
                nt++;
            }
        }
        spent += ct;
        double tol = 1e-9 * (1 + fabs(cum));
        if (in->carry_over ? spent > cum + tol : ct > bt + tol)
            return 0;
        if (in->max_new && in->max_new[t - 1] >= 0 && nt > in->max_new[t - 1])
            return 0;
    }
    for (int g = 0; g < m->n_groups; g++) {
        int f = sol_model_group_first(m, build, g);
        if (m->gdue[g] > 0 && (f == 0 || f > m->gdue[g]))
            return 0;
    }
    for (int k = 0, q = 0; k < in->n_targets; k++) {
        const sol_target *tg = &in->targets[k];
        double lhs = 0;
        if (tg->kind == SOL_TARGET_DEMAND) {
            lhs = m->dt_const[q];
            for (int g = 0; g < m->n_groups; g++) {
                int f = sol_model_group_first(m, build, g);
                if (f > 0 && f <= tg->period)
                    lhs += m->dt_coef[(size_t)q * (size_t)m->n_groups + (size_t)g];
            }
            q++;
        } else {
            for (int s = 0; s < S; s++)
                if (in->site_group[s] == tg->group &&
                    (sol_is_existing(in, s) || (build[s] > 0 && build[s] <= tg->period)))
                    lhs++;
        }
        if (lhs < tg->rhs - 1e-9 * (1 + fabs(tg->rhs)))
            return 0;
    }
    return 1;
}

/* ---- greedy ----------------------------------------------------------------- */

typedef struct hent {
    int free_; /* capex 0: ranks above any ratio */
    double val; /* gain (free) or gain / capex */
    int s;
} hent;

static int hent_better(const hent *a, const hent *b)
{
    if (a->free_ != b->free_)
        return a->free_ > b->free_;
    if (a->val != b->val)
        return a->val > b->val;
    return a->s < b->s;
}

static void heap_push(hent *h, int *n, hent e)
{
    int i = (*n)++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!hent_better(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static hent heap_pop(hent *h, int *n)
{
    hent top = h[0], last = h[--(*n)];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && hent_better(&h[c + 1], &h[c]))
            c++;
        if (!hent_better(&h[c], &last))
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = last;
    return top;
}

/* What a greedy phase buys: the objective (PH_VALUE), uncovered due groups
 * with due <= t (PH_DUE), or one demand target's coefficient (PH_TARGET). */
enum { PH_VALUE, PH_DUE, PH_TARGET };

typedef struct gstate {
    const sol_model *m;
    int *build;
    unsigned char *covered;
    hent *heap;
    int t, phase, q; /* q: demand target (PH_TARGET) */
    double avail, spent;
    int built, limit;
} gstate;

static double site_gain(const gstate *st, int s)
{
    const sol_model *m = st->m;
    int t = st->t;
    double gsum = 0;
    for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
        int g = m->sgroup[k];
        if (st->covered[g])
            continue;
        if (st->phase == PH_VALUE) {
            if (!m->min_cost && m->gcf[g] <= m->T)
                gsum += m->gw[g] * m->tail[t > m->gcf[g] ? t : m->gcf[g]];
        } else if (st->phase == PH_DUE) {
            if (m->gdue[g] > 0 && m->gdue[g] <= t)
                gsum += 1;
        } else {
            gsum += m->dt_coef[(size_t)st->q * (size_t)m->n_groups + (size_t)g];
        }
    }
    return gsum;
}

static hent make_ent(const sol_model *m, int s, double gain)
{
    double c = m->in->capex[s];
    return (hent){.free_ = c == 0, .val = c == 0 ? gain : gain / c, .s = s};
}

static void take(gstate *st, int s)
{
    const sol_model *m = st->m;
    st->build[s] = st->t;
    st->built++;
    st->avail -= m->in->capex[s];
    st->spent += m->in->capex[s];
    for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++)
        st->covered[m->sgroup[k]] = 1;
}

/* Lazy greedy for one phase: gains only fall as coverage grows, so a cached
 * key is an upper bound; recompute the top and take it if it stays on top.
 * need: stop once this much gain is bought (HUGE_VAL: while anything gains). */
static void greedy_phase(gstate *st, double need)
{
    const sol_model *m = st->m;
    const sol_input *in = m->in;
    int n = 0;
    if (need <= 0)
        return;
    for (int s = 0; s < m->n_sites; s++) {
        if (st->build[s] || !m->useful[s] || m->early[s] > st->t || in->capex[s] > st->avail)
            continue;
        double gain = site_gain(st, s);
        if (gain > 0)
            heap_push(st->heap, &n, make_ent(m, s, gain));
    }
    while (n > 0 && st->built < st->limit && need > 0) {
        hent e = heap_pop(st->heap, &n);
        int s = e.s;
        if (in->capex[s] > st->avail)
            continue; /* avail only shrinks within a period */
        double gain = site_gain(st, s);
        if (gain <= 0)
            continue;
        hent f = make_ent(m, s, gain);
        if (n > 0 && hent_better(&st->heap[0], &f)) {
            heap_push(st->heap, &n, f);
            continue;
        }
        take(st, s);
        need -= gain;
    }
}

int sol_model_greedy(const sol_model *m, int *build, r5g_err *err)
{
    const sol_input *in = m->in;
    const int T = m->T, S = m->n_sites, G = m->n_groups;
    gstate st = {.m = m, .build = build};
    st.covered = calloc((size_t)G + 1, 1);
    st.heap = malloc(((size_t)S + 1) * sizeof *st.heap);
    if (!st.covered || !st.heap) {
        free(st.covered);
        free(st.heap);
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the greedy plan");
    }
    for (int s = 0; s < S; s++)
        build[s] = sol_is_existing(in, s) ? 1 : 0;
    for (int s = 0; s < S && m->keep_existing; s++) /* existing sites are in the groups */
        if (build[s])
            for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++)
                st.covered[m->sgroup[k]] = 1;
    double cum = 0; /* carry-over: cumulative budget */
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL;
        cum += bt;
        st.t = t;
        st.avail = in->carry_over ? cum - st.spent : bt;
        st.limit = in->max_new && in->max_new[t - 1] >= 0 ? in->max_new[t - 1] : INT_MAX;
        st.built = 0;
        /* 1. the on-time rule: groups due by t */
        int due_left = 0;
        for (int g = 0; g < G; g++)
            due_left += m->gdue[g] > 0 && m->gdue[g] <= t && !st.covered[g];
        st.phase = PH_DUE;
        greedy_phase(&st, due_left);
        /* 2. targets of period t */
        for (int k = 0, q = 0; k < in->n_targets; k++) {
            const sol_target *tg = &in->targets[k];
            if (tg->kind == SOL_TARGET_DEMAND) {
                if (tg->period == t) {
                    double lhs = m->dt_const[q];
                    for (int g = 0; g < G; g++)
                        if (st.covered[g])
                            lhs += m->dt_coef[(size_t)q * (size_t)G + (size_t)g];
                    st.phase = PH_TARGET;
                    st.q = q;
                    greedy_phase(&st, tg->rhs - lhs - 1e-12 * fabs(tg->rhs));
                }
                q++;
                continue;
            }
            if (tg->period != t)
                continue;
            for (;;) { /* density: the cheapest sites of the group */
                int have = 0, best = -1;
                for (int s = 0; s < S; s++) {
                    if (in->site_group[s] != tg->group)
                        continue;
                    if (build[s] > 0)
                        have++;
                    else if (m->useful[s] && m->early[s] <= t && in->capex[s] <= st.avail &&
                             (best < 0 || in->capex[s] < in->capex[best]))
                        best = s;
                }
                if (have >= tg->rhs - 1e-9 || best < 0 || st.built >= st.limit)
                    break;
                take(&st, best);
            }
        }
        /* 3. the objective with what is left */
        if (!m->min_cost) {
            st.phase = PH_VALUE;
            greedy_phase(&st, HUGE_VAL);
        }
    }
    free(st.covered);
    free(st.heap);
    return 0;
}
