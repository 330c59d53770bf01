/* solver: the greedy plan (docs/model.md, "Greedy starting plan"), and the
 * step that makes it the first incumbent. No GLPK here. */
#include "solver/sol_search.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Carry-over: the most the commitments of periods t+1..u need beyond the
 * budgets of those periods, over u > t (>= 0): spending more now would
 * leave a later commitment unpaid. */
static double committed_reserve(const sol_input *in, int t)
{
    double need = 0, worst = 0;
    for (int u = t + 1; u <= in->n_periods; u++) {
        need -= in->budget ? in->budget[u - 1] : HUGE_VAL;
        for (int s = 0; s < in->n_sites; s++)
            if (sol_fixed(in, s) == u)
                need += in->capex[s];
        if (need > worst)
            worst = need;
    }
    return worst;
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
        /* 0. the committed sites of period t, whatever they cost; with
         * carry-over, what later commitments will need beyond their own
         * periods' budgets is kept back */
        for (int s = 0; s < S; s++)
            if (sol_fixed(in, s) == t)
                take(&st, s);
        if (in->carry_over && in->fixed_build)
            st.avail -= committed_reserve(in, t);
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


/* ---- the step ------------------------------------------------------------------ */

/* The first incumbent: the greedy plan, when it keeps the rules. Under
 * capacity the plan (chosen ignoring capacity) is valued by solving its
 * assignment (sol_serve); it keeps the rules unless a demand target counts
 * served demand or the objective is min_cost, so then it is not made. */
static int greedy_exec(sol_search *s, r5g_err *err)
{
    sol_model *m = s->m;
    int rc = 0, ok = 0;
    double v = -HUGE_VAL;
    if (m->capacity && (m->n_dtarget > 0 || m->min_cost))
        return 0;
    int *plan = calloc((size_t)m->n_sites + 1, sizeof *plan);
    if (!plan)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", m->n_sites);
    double t0 = r5g_now();
    if ((rc = sol_model_greedy(m, plan, err)) != 0)
        goto out;
    s->greedy_seconds = r5g_now() - t0;
    ok = sol_model_feasible(m, plan);
    if (ok && m->capacity)
        rc = sol_serve_value(&v, m, plan, err);
    else if (ok)
        v = sol_model_value(m, plan);
    if (rc)
        goto out;
    if (ok)
        sol_search_offer(s, plan, v, "greedy", 0);
    r5g_log(R5G_LOG_DEBUG, "solver: %d demand groups, %d columns; greedy plan %.6g%s, trivial bound %.6g",
            m->n_groups, s->n_cols, s->sgn * v, ok ? "" : " (does not meet the rules)", s->sgn * m->upper);
    sol_search_report(s, "greedy", 1, "plans", NAN, NAN);
    /* the caller's start plan (a region's part of the provincial incumbent) */
    const sol_input *in = s->in;
    if (in->start_plan && !m->capacity) {
        memcpy(plan, in->start_plan, (size_t)m->n_sites * sizeof *plan);
        for (int k = 0; k < m->n_sites; k++)
            if (sol_is_existing(in, k))
                plan[k] = 1;
        double v2 = sol_model_feasible(m, plan) ? sol_model_value(m, plan) : -HUGE_VAL;
        r5g_log(R5G_LOG_DEBUG, "solver: start plan %.6g%s", s->sgn * v2,
                v2 > -HUGE_VAL ? "" : " (does not meet the rules)");
        sol_search_offer(s, plan, v2, "start", 0);
    }
out:
    free(plan);
    return rc;
}

const sol_step sol_heur_greedy = {.name = "greedy", .exec = greedy_exec};
