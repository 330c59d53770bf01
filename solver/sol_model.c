/* solver: a plan's value and whether it keeps the rules, on the reduced
 * model. No GLPK here. */
#include "solver/sol_int.h"

#include <math.h>

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
            if (sol_fixed(in, s) && build[s] != sol_fixed(in, s))
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

long long sol_model_cols(const sol_model *m)
{
    long long n = 0;
    for (int s = 0; s < m->n_sites; s++)
        n += sol_site_cols(m, s);
    for (int g = 0; g < m->n_groups; g++)
        n += sol_group_cols(m, g);
    return n;
}
