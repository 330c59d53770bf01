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
    int cf, len, idx;
    size_t off;     /* into the site pool */
    double w;
    const int *pool;
} item;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int same_key(const item *a, const item *b)
{
    return a->cf == b->cf && a->len == b->len &&
           memcmp(a->pool + a->off, b->pool + b->off, (size_t)a->len * sizeof(int)) == 0;
}

static int cmp_item(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->cf != b->cf)
        return a->cf < b->cf ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    const int *x = a->pool + a->off, *y = b->pool + b->off;
    for (int k = 0; k < a->len; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
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
    memset(m, 0, sizeof *m);
}

int sol_model_init(sol_model *m, const sol_input *in, r5g_err *err)
{
    int rc = 0;
    const int T = in->n_periods, S = in->n_sites, D = in->n_demand;
    item *items = NULL;
    int *pool = NULL;
    memset(m, 0, sizeof *m);
    m->T = T;
    m->n_sites = S;
    m->in = in;
    size_t npairs = D > 0 ? (size_t)in->cov_ptr[D] : 0;
    m->pf = calloc((size_t)T + 1, sizeof *m->pf);
    m->tail = calloc((size_t)T + 2, sizeof *m->tail);
    m->early = calloc((size_t)S + 1, sizeof *m->early);
    m->useful = calloc((size_t)S + 1, 1);
    m->sptr = calloc((size_t)S + 1, sizeof *m->sptr);
    items = calloc((size_t)D + 1, sizeof *items);
    pool = malloc((npairs + 1) * sizeof *pool);
    if (!m->pf || !m->tail || !m->early || !m->useful || !m->sptr || !items || !pool) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites, %d demand points", S, D);
        goto out;
    }
    for (int t = 1; t <= T; t++)
        m->pf[t] = in->period_factor ? in->period_factor[t - 1] : 1.0;
    for (int t = T; t >= 1; t--)
        m->tail[t] = m->tail[t + 1] + m->pf[t];
    for (int s = 0; s < S; s++)
        m->early[s] = (in->existing && in->existing[s]) ? 1 : in->earliest ? in->earliest[s] : 1;

    /* collect the buildable covering sites of each point that counts */
    size_t used = 0;
    int n_items = 0;
    for (int j = 0; j < D; j++) {
        int cf = in->credit_from ? in->credit_from[j] : 1;
        double w = in->weight[j];
        if (w == 0 || cf > T)
            continue;
        int by_existing = 0;
        size_t start = used;
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++) {
            int s = in->cov_site[k];
            if (in->existing && in->existing[s]) {
                by_existing = 1;
                break;
            }
            if (m->early[s] <= T)
                pool[used++] = s;
        }
        if (by_existing) {
            m->c0 += w * m->tail[cf];
            used = start;
            continue;
        }
        size_t len = used - start;
        if (len == 0)
            continue;
        qsort(pool + start, len, sizeof *pool, cmp_int);
        size_t u = 1; /* de-duplicate: GLPK aborts on duplicate matrix entries */
        for (size_t k = 1; k < len; k++)
            if (pool[start + k] != pool[start + u - 1])
                pool[start + u++] = pool[start + k];
        used = start + u;
        items[n_items++] = (item){.cf = cf, .len = (int)u, .idx = j, .off = start, .w = w, .pool = pool};
    }
    qsort(items, (size_t)n_items, sizeof *items, cmp_item);

    /* merge equal (cf, site set) */
    int G = 0;
    size_t gnnz = 0;
    for (int i = 0; i < n_items; i++)
        if (i == 0 || !same_key(&items[i - 1], &items[i])) {
            G++;
            gnnz += (size_t)items[i].len;
        }
    m->n_groups = G;
    m->gw = calloc((size_t)G + 1, sizeof *m->gw);
    m->gcf = calloc((size_t)G + 1, sizeof *m->gcf);
    m->gtmin = calloc((size_t)G + 1, sizeof *m->gtmin);
    m->gptr = calloc((size_t)G + 1, sizeof *m->gptr);
    m->gsite = malloc((gnnz + 1) * sizeof *m->gsite);
    m->sgroup = malloc((gnnz + 1) * sizeof *m->sgroup);
    if (!m->gw || !m->gcf || !m->gtmin || !m->gptr || !m->gsite || !m->sgroup) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d demand groups", G);
        goto out;
    }
    int g = -1;
    size_t fill = 0;
    for (int i = 0; i < n_items; i++) {
        if (i == 0 || !same_key(&items[i - 1], &items[i])) {
            g++;
            m->gcf[g] = items[i].cf;
            int emin = T + 1;
            for (int k = 0; k < items[i].len; k++) {
                int s = pool[items[i].off + (size_t)k];
                m->gsite[fill++] = s;
                m->useful[s] = 1;
                m->sptr[s]++;
                if (m->early[s] < emin)
                    emin = m->early[s];
            }
            m->gtmin[g] = emin > items[i].cf ? emin : items[i].cf;
            m->gptr[g + 1] = (int)fill;
        }
        m->gw[g] += items[i].w;
    }
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
    m->upper = m->c0;
    for (int q = 0; q < G; q++)
        m->upper += m->gw[q] * m->tail[m->gtmin[q]];
out:
    free(items);
    free(pool);
    if (rc)
        sol_model_clear(m);
    return rc;
}

double sol_model_value(const sol_model *m, const int *build)
{
    double v = m->c0;
    for (int g = 0; g < m->n_groups; g++) {
        int first = 0;
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int b = build[m->gsite[k]];
            if (b > 0 && (first == 0 || b < first))
                first = b;
        }
        if (first > 0)
            v += m->gw[g] * m->tail[first > m->gcf[g] ? first : m->gcf[g]];
    }
    return v;
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

static double site_gain(const sol_model *m, const unsigned char *covered, int s, int t)
{
    double gsum = 0;
    for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
        int g = m->sgroup[k];
        if (!covered[g])
            gsum += m->gw[g] * m->tail[t > m->gcf[g] ? t : m->gcf[g]];
    }
    return gsum;
}

static hent make_ent(const sol_model *m, int s, double gain)
{
    double c = m->in->capex[s];
    return (hent){.free_ = c == 0, .val = c == 0 ? gain : gain / c, .s = s};
}

int sol_model_greedy(const sol_model *m, int *build, r5g_err *err)
{
    const sol_input *in = m->in;
    const int T = m->T, S = m->n_sites;
    unsigned char *covered = calloc((size_t)m->n_groups + 1, 1);
    hent *heap = malloc(((size_t)S + 1) * sizeof *heap);
    if (!covered || !heap) {
        free(covered);
        free(heap);
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the greedy plan");
    }
    for (int s = 0; s < S; s++)
        build[s] = (in->existing && in->existing[s]) ? 1 : 0;
    double spent = 0, cum = 0; /* carry-over: cumulative budget and spend */
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL;
        cum += bt;
        double avail = in->carry_over ? cum - spent : bt;
        int limit = in->max_new && in->max_new[t - 1] >= 0 ? in->max_new[t - 1] : INT_MAX;
        int n = 0, built = 0;
        for (int s = 0; s < S; s++) {
            if (build[s] || !m->useful[s] || m->early[s] > t || in->capex[s] > avail)
                continue;
            double gain = site_gain(m, covered, s, t);
            if (gain > 0)
                heap_push(heap, &n, make_ent(m, s, gain));
        }
        /* lazy greedy: gains only fall as coverage grows, so a cached key is an
         * upper bound; recompute the top and take it if it stays on top */
        while (n > 0 && built < limit) {
            hent e = heap_pop(heap, &n);
            int s = e.s;
            if (in->capex[s] > avail)
                continue; /* avail only shrinks within a period */
            double gain = site_gain(m, covered, s, t);
            if (gain <= 0)
                continue;
            hent f = make_ent(m, s, gain);
            if (n > 0 && hent_better(&heap[0], &f)) {
                heap_push(heap, &n, f);
                continue;
            }
            build[s] = t;
            built++;
            avail -= in->capex[s];
            spent += in->capex[s];
            for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++)
                covered[m->sgroup[k]] = 1;
        }
    }
    free(covered);
    free(heap);
    return 0;
}
