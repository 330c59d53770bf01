/* solver: a local search over the plan (docs/model.md, "Local search"),
 * from any incumbent (greedy, the Lagrangian-guided plan, GLPK's tree):
 *   - earlier: one build one period earlier;
 *   - add:     an unbuilt site in the first period the budget and the build
 *              limit allow and that gains;
 *   - swap:    a built site for an unbuilt one in the same period: first
 *              the sites that share a demand group with it, then the others
 *              (a budget exchange between distant sites);
 *   - exchange: a built site one period later and a neighbour built in that
 *              later period one period earlier (the move "one period later",
 *              which alone never gains, paired with the one it makes room for).
 * A move's gain is counted over the groups of the sites it changes, from
 * nb[g, t] = the number of built sites covering group g with build period t
 * (so the first period g is covered in, and what a change does to it, costs
 * O(T) per group). First improvement, in the order of the site indices and
 * the coverage CSR: the same plan for the same input, whatever the load.
 * The work budget is the number of moves evaluated (LOCAL_MOVES).
 *
 * It keeps the budgets (carry-over or not), the build limits, earliest and
 * the due rule (a move that leaves a due group uncovered by its due period is
 * not taken). It does not run on models with targets, capacity or the
 * min_cost objective (a move's effect on a target or on the served demand is
 * not local), nor on unreduced models. No GLPK here. */
#include "solver/sol_search.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The work budget: moves evaluated (docs/model.md, "Work, not time"). */
#ifndef LOCAL_MOVES
#define LOCAL_MOVES 2000000
#endif
#define LOCAL_MAX_T 64
#define LOCAL_CHECK 1024 /* moves between two looks at the stop function */

int sol_local_applies(const sol_model *m)
{
    const sol_input *in = m->in;
    return !m->min_cost && !m->capacity && !m->n_dtarget && !in->n_targets && !m->unreduced && m->T <= LOCAL_MAX_T;
}

int sol_presolve_on(const sol_input *in, const sol_model *m)
{
    if (in->presolve != SOL_PRESOLVE_AUTO)
        return in->presolve != 0;
    return !(sol_local_applies(m) && m->T > 1);
}

typedef struct ls {
    const sol_model *m;
    const sol_input *in;
    int T;
    int *b;             /* [S] the plan being improved */
    int *nb;            /* [G * (T + 1)] built covering sites of g by build period (index 1..T) */
    double spend[LOCAL_MAX_T + 2]; /* capex of the new builds of period t */
    double cap[LOCAL_MAX_T + 2];   /* carry-over: cumulative budget to t; else B_t; HUGE_VAL none */
    int nnew[LOCAL_MAX_T + 2], lim[LOCAL_MAX_T + 2]; /* new builds of t, and their limit */
    double value;
    long long moves, budget;
    int (*stop)(void *user, long long moves);
    void *user;
    int stopped;
    int has_due;        /* some group has a due period */
} ls;

/* Sites whose build period the search may change: new sites with a column
 * that are not committed to a period (sol_input.fixed_build). Every move
 * picks its sites through this function only. */
static int movable(const ls *L, int s)
{
    return !sol_is_existing(L->in, s) && !sol_fixed(L->in, s) && L->m->useful[s] && L->m->early[s] <= L->T;
}

static int *nbrow(const ls *L, int g) { return L->nb + (size_t)g * (size_t)(L->T + 1); }

static int first_of(const ls *L, const int *row)
{
    for (int t = 1; t <= L->T; t++)
        if (row[t] > 0)
            return t;
    return 0;
}

static double gval(const sol_model *m, int g, int f)
{
    if (f == 0 || m->gcf[g] > m->T)
        return 0;
    return m->gw[g] * m->tail[f > m->gcf[g] ? f : m->gcf[g]];
}

/* Changes site s's build period from its current one to `to` (0 never) in
 * the counts; the gain in value is returned, and *late is set when a due
 * group ends up uncovered by its due period. apply = 0: counts unchanged. */
static double change(ls *L, int s, int to, int apply, int *late)
{
    const sol_model *m = L->m;
    int from = L->b[s];
    double d = 0;
    for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
        int g = m->sgroup[k];
        int *row = nbrow(L, g);
        int f0 = first_of(L, row);
        if (from > 0)
            row[from]--;
        if (to > 0)
            row[to]++;
        int f1 = first_of(L, row);
        if (!apply) {
            if (to > 0)
                row[to]--;
            if (from > 0)
                row[from]++;
        }
        if (f1 != f0)
            d += gval(m, g, f1) - gval(m, g, f0);
        if (m->gdue[g] > 0 && (f1 == 0 || f1 > m->gdue[g]))
            *late = 1;
    }
    if (apply) {
        double c = L->in->capex[s];
        if (from > 0) {
            L->spend[from] -= c;
            L->nnew[from]--;
        }
        if (to > 0) {
            L->spend[to] += c;
            L->nnew[to]++;
        }
        L->b[s] = to;
    }
    return d;
}

/* Do the budgets hold with the spending of the periods changed by dc[t]? */
static int budget_ok(const ls *L, const double *dc)
{
    double cum = 0, cumd = 0;
    for (int t = 1; t <= L->T; t++) {
        cum += L->spend[t];
        cumd += dc[t];
        double tol = 1e-9 * (1 + fabs(L->cap[t] < HUGE_VAL ? L->cap[t] : 0));
        if (L->in->carry_over ? (cumd > 0 && cum + cumd > L->cap[t] + tol)
                              : (dc[t] > 0 && L->spend[t] + dc[t] > L->cap[t] + tol))
            return 0;
    }
    return 1;
}

static int count_move(ls *L)
{
    if (L->stopped)
        return 0;
    if (L->moves >= L->budget) {
        L->stopped = 1;
        return 0;
    }
    L->moves++;
    if (L->stop && L->moves % LOCAL_CHECK == 0 && L->stop(L->user, L->moves)) {
        L->stopped = 1;
        return 0;
    }
    return 1;
}

static int gains(const ls *L, double d) { return d > 1e-9 * fmax(1.0, fabs(L->value)); }

/* Site s to period `to` (0 never) when that gains and keeps the rules. */
static int try_move(ls *L, int s, int to)
{
    int from = L->b[s];
    if (!count_move(L))
        return 0;
    double dc[LOCAL_MAX_T + 2] = {0};
    double c = L->in->capex[s];
    if (from > 0)
        dc[from] -= c;
    if (to > 0)
        dc[to] += c;
    if (to > 0 && L->nnew[to] + (from != to) > L->lim[to])
        return 0;
    if (!budget_ok(L, dc))
        return 0;
    int late = 0;
    double d = change(L, s, to, 0, &late);
    if (late || !gains(L, d))
        return 0;
    change(L, s, to, 1, &late);
    L->value += d;
    return 1;
}

/* 1 when a due group that site s covers is not covered by its due period. */
static int late_due(const ls *L, int s)
{
    const sol_model *m = L->m;
    for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
        int g = m->sgroup[k];
        if (m->gdue[g] > 0) {
            int f = first_of(L, nbrow(L, g));
            if (f == 0 || f > m->gdue[g])
                return 1;
        }
    }
    return 0;
}

/* Sites a and c change to periods ta and tc together, when that gains and
 * keeps the rules. */
static int try_pair(ls *L, int a, int ta, int c, int tc)
{
    if (!count_move(L))
        return 0;
    int fa = L->b[a], fc = L->b[c];
    double dc[LOCAL_MAX_T + 2] = {0};
    double ca = L->in->capex[a], cc = L->in->capex[c];
    if (fa > 0)
        dc[fa] -= ca;
    if (ta > 0)
        dc[ta] += ca;
    if (fc > 0)
        dc[fc] -= cc;
    if (tc > 0)
        dc[tc] += cc;
    if (!budget_ok(L, dc))
        return 0;
    int n[LOCAL_MAX_T + 2];
    memcpy(n, L->nnew, sizeof n);
    if (fa > 0)
        n[fa]--;
    if (ta > 0)
        n[ta]++;
    if (fc > 0)
        n[fc]--;
    if (tc > 0)
        n[tc]++;
    if ((ta > 0 && n[ta] > L->lim[ta]) || (tc > 0 && n[tc] > L->lim[tc]))
        return 0;
    int late = 0; /* a group of both may be late after one change and not after both: checked at the end */
    double d = change(L, a, ta, 1, &late);
    d += change(L, c, tc, 1, &late);
    if (!gains(L, d) || (L->has_due && (late_due(L, a) || late_due(L, c)))) {
        change(L, c, fc, 1, &late); /* back */
        change(L, a, fa, 1, &late);
        return 0;
    }
    L->value += d;
    return 1;
}

/* One pass over the sites; returns the number of moves taken. mark/nbr are
 * [S] scratch for the neighbours of a site (sites sharing a group with it). */
static long long pass(ls *L, int *mark, int *nbr)
{
    const sol_model *m = L->m;
    const int T = L->T;
    long long taken = 0;
    for (int s = 0; s < m->n_sites && !L->stopped; s++) {
        if (!movable(L, s))
            continue;
        int b = L->b[s];
        if (b == 0) { /* add */
            for (int t = m->early[s]; t <= T && !L->stopped; t++)
                if (try_move(L, s, t)) {
                    taken++;
                    break;
                }
            continue;
        }
        if (b > m->early[s] && try_move(L, s, b - 1)) { /* earlier */
            taken++;
            continue;
        }
        /* the neighbours, in CSR order */
        int nn = 0;
        for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
            int g = m->sgroup[k];
            for (int j = m->gptr[g]; j < m->gptr[g + 1]; j++) {
                int u = m->gsite[j];
                if (u != s && mark[u] != s + 1 && movable(L, u)) {
                    mark[u] = s + 1;
                    nbr[nn++] = u;
                }
            }
        }
        for (int i = 0; i < nn && !L->stopped; i++) {
            int u = nbr[i], bu = L->b[u];
            if (bu == 0 && m->early[u] <= b) { /* swap s for u in period b */
                if (try_pair(L, s, 0, u, b)) {
                    taken++;
                    break;
                }
            } else if (bu == b + 1 && m->early[u] <= b) { /* exchange: s later, u earlier */
                if (try_pair(L, s, b + 1, u, b)) {
                    taken++;
                    break;
                }
            }
        }
        if (L->b[s] != b)
            continue;
        /* swaps with the other unbuilt sites (budget exchanges between
         * distant sites), in index order */
        for (int u = 0; u < m->n_sites && !L->stopped; u++)
            if (mark[u] != s + 1 && u != s && L->b[u] == 0 && movable(L, u) && m->early[u] <= b &&
                try_pair(L, s, 0, u, b)) {
                taken++;
                break;
            }
    }
    return taken;
}

int sol_local_search(int *build, double *value, long long *moves, const sol_model *m, long long budget,
                     int (*stop)(void *user, long long moves), void *user, r5g_err *err)
{
    const sol_input *in = m->in;
    const int T = m->T, S = m->n_sites, G = m->n_groups;
    int rc = 0;
    *moves = 0;
    *value = sol_model_value(m, build);
    if (!sol_local_applies(m))
        return 0;
    ls L = {.m = m, .in = in, .T = T, .b = build, .value = *value,
            .budget = budget > 0 ? budget : LOCAL_MOVES, .stop = stop, .user = user};
    L.nb = calloc((size_t)G * (size_t)(T + 1) + 1, sizeof *L.nb);
    int *mark = calloc((size_t)S + 1, sizeof *mark);
    int *nbr = calloc((size_t)S + 1, sizeof *nbr);
    if (!L.nb || !mark || !nbr) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the local search (%d groups, %d periods)", G,
                         T);
        goto out;
    }
    double cum = 0;
    int unlimited = 0;
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL;
        unlimited |= !(bt < HUGE_VAL);
        cum += bt;
        L.cap[t] = in->carry_over ? (unlimited ? HUGE_VAL : cum) : bt;
        L.lim[t] = in->max_new && in->max_new[t - 1] >= 0 ? in->max_new[t - 1] : INT_MAX;
    }
    for (int s = 0; s < S; s++) {
        int b = build[s];
        if (b <= 0)
            continue;
        for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++)
            nbrow(&L, m->sgroup[k])[b]++;
        if (!sol_is_existing(in, s)) {
            L.spend[b] += in->capex[s];
            L.nnew[b]++;
        }
    }
    for (int g = 0; g < G; g++)
        L.has_due |= m->gdue[g] > 0;
    long long taken = 0, n;
    do
        taken += n = pass(&L, mark, nbr);
    while (n > 0 && !L.stopped);
    *value = L.value;
    *moves = L.moves;
    r5g_log(R5G_LOG_DEBUG, "solver: local search: %lld moves evaluated, %lld taken%s", L.moves, taken,
            L.moves >= L.budget ? " (the budget)" : L.stopped ? " (stopped)" : "");
out:
    free(L.nb);
    free(mark);
    free(nbr);
    return rc;
}

/* ---- the step ------------------------------------------------------------------ */

typedef struct local_run {
    sol_search *s;
    double t0, share; /* when it started; the most of the time left it may take */
} local_run;

static int local_stop(void *user, long long moves)
{
    local_run *lr = user;
    sol_search *s = lr->s;
    if (sol_search_report(s, "local search", moves, "moves", NAN, NAN) || sol_search_timed_out(s))
        return 1;
    return r5g_now() - lr->t0 > lr->share;
}

int sol_search_polish(sol_search *s, int *plan, double *value, r5g_err *err)
{
    sol_model *m = s->m;
    long long moves;
    /* under a time limit it takes at most a quarter of what is left, so
     * that a dense model (many sites per point: costly moves) leaves time
     * for the bound; without one, its work budget alone bounds it */
    local_run lr = {.s = s, .t0 = r5g_now(), .share = 0.25 * sol_search_left(s)};
    double v;
    int rc = sol_local_search(plan, &v, &moves, m, 0, local_stop, &lr, err);
    s->local_moves += moves;
    if (rc)
        return rc;
    *value = sol_model_feasible(m, plan) ? sol_model_value(m, plan) : -HUGE_VAL;
    if (!(fabs(*value - v) <= 1e-9 * fmax(1.0, fabs(v))))
        r5g_log(R5G_LOG_WARN, "solver: local search tracked %.10g, the plan is worth %.10g", v, *value);
    return 0;
}

/* Improves the incumbent in place, whoever found it; the better plan is kept
 * (checked against the rules and valued from scratch). */
static int local_exec(sol_search *s, r5g_err *err)
{
    sol_model *m = s->m;
    if (!s->have_plan || !sol_local_applies(m) || !strcmp(s->plan_by, "local"))
        return 0;
    int *plan = malloc(((size_t)m->n_sites + 1) * sizeof *plan);
    if (!plan)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", m->n_sites);
    memcpy(plan, s->plan, (size_t)m->n_sites * sizeof *plan);
    double v2;
    int rc = sol_search_polish(s, plan, &v2, err);
    if (rc)
        goto out;
    r5g_log(R5G_LOG_DEBUG, "solver: local search from the %s plan %.6g: %.6g", s->plan_by, s->sgn * s->value,
            s->sgn * v2);
    sol_search_offer(s, plan, v2, "local", 0);
out:
    free(plan);
    return rc;
}

const sol_step sol_heur_local = {.name = "local", .exec = local_exec};
