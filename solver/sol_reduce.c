/* solver: the exact reductions (docs/model.md): the input -> the reduced
 * model every provider and the GLPK builder work on. No GLPK here. */
#include "solver/sol_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void sol_model_dispose(sol_model *m)
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
        m->early[s] = sol_site_early(in, s);

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
    /* committed sites are never dropped: they pay their capex and count for
     * the build limit of their period even when they cover nothing */
    for (int s = 0; s < S; s++)
        if (sol_fixed(in, s))
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
        sol_model_dispose(m);
    return rc;
}

