/* The rollout model handed to the solver: CSR coverage, credited periods,
 * earliest build periods (no over-early sites), discount factors, then the
 * hard rules, targets and capacities (rules.c). See docs/model.md. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "planner/pipeline/run.h"
#include "solver/sol.h"

static int credit_from(const pl_scenario *sc, int appear)
{
    int c = appear - sc->max_lead_periods;
    return c < 1 ? 1 : c;
}

/* Where the commitments were given, for messages: the `committed:` key, else
 * candidates.fields.committed. */
static int commit_at(const pl_scenario *sc, const char **key)
{
    if (sc->committed.present) {
        *key = "committed";
        return sc->committed.line;
    }
    *key = "candidates.fields.committed";
    return sc->candidates.field_line[PL_F_COMMITTED];
}

/* "5.20 M" from a million on (the capex of a site is hundreds of
 * thousands), else the number. */
static const char *money(char buf[32], double v)
{
    if (fabs(v) >= 1e6)
        snprintf(buf, 32, "%.2f M", v / 1e6);
    else
        snprintf(buf, 32, "%.10g", v);
    return buf;
}

/* Committed sites are decisions already taken: they pay their period's
 * budget and count for its build limit. When they alone break one, the
 * scenario cannot be planned: one line naming the period and the sums. */
static int check_commitments(const pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    const char *key;
    int at = commit_at(sc, &key);
    sol_why w;
    if (!sol_commit_excess(&w, &r->in))
        return 0;
    const char *label = sc->period_label[w.period - 1];
    char a[32], b[32];
    int cum = sc->carry_over && w.period > 1;
    if (w.need_capex > w.have_capex + 1e-9 * (1 + fabs(w.have_capex)))
        return pl_scenario_error(sc, at, key, err, "period %s: the committed sites cost %s%s, budget.capex allows %s%s",
                                 label, money(a, w.need_capex), cum ? " by then" : "", money(b, w.have_capex),
                                 cum ? " (cumulative, carry_over)" : "");
    return pl_scenario_error(sc, at, key, err, "period %s: %d sites are committed, budget.max_new_sites allows %d",
                             label, w.need_sites, w.have_sites);
}

int pl_model_build(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int T = sc->n_periods;
    size_t np = r->pairs.n_pairs;
    if (np > (size_t)INT_MAX || r->ns > (size_t)INT_MAX / 2 || r->nd > (size_t)INT_MAX / 2)
        return r5g_err_set(err, R5G_EINPUT, "the model is too large: %zu sites, %zu demand points, %zu pairs",
                           r->ns, r->nd, np);
    r->m_cov_ptr = malloc((r->nd + 1) * sizeof *r->m_cov_ptr);
    r->m_cov_site = malloc((np ? np : 1) * sizeof *r->m_cov_site);
    r->m_credit = malloc((r->nd ? r->nd : 1) * sizeof *r->m_credit);
    r->m_existing = calloc(r->ns ? r->ns : 1, 1);
    r->m_earliest = malloc((r->ns ? r->ns : 1) * sizeof *r->m_earliest);
    r->m_factor = malloc((size_t)T * sizeof *r->m_factor);
    if (!r->m_cov_ptr || !r->m_cov_site || !r->m_credit || !r->m_existing || !r->m_earliest || !r->m_factor)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory building the model");
    for (size_t j = 0; j <= r->nd; j++)
        r->m_cov_ptr[j] = (int)r->pairs.ptr[j];
    for (size_t k = 0; k < np; k++)
        r->m_cov_site[k] = r->pairs.site[k];
    for (size_t s = 0; s < r->ns; s++) {
        r->m_existing[s] = r->kind[s] == PL_KIND_EXISTING;
        r->m_earliest[s] = T + 1;
    }
    /* No over-early sites: a site may be built from the first period in which
     * some demand point it covers earns credit. */
    for (size_t j = 0; j < r->nd; j++) {
        int c = credit_from(sc, r->d_period[j]);
        r->m_credit[j] = c;
        for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++) {
            int s = r->pairs.site[k];
            if (c < r->m_earliest[s])
                r->m_earliest[s] = c;
        }
    }
    for (int t = 0; t < T; t++)
        r->m_factor[t] = pow(1.0 + sc->discount_rate, -(double)t);
    /* commitments override the no-over-early rule (a decision already taken) */
    int rc, early = 0;
    for (size_t s = 0; r->s_commit && s < r->ns; s++)
        early += r->s_commit[s] > 0 && r->s_commit[s] < r->m_earliest[s];
    if (early)
        r5g_log(R5G_LOG_WARN, "%d committed site%s come%s before any demand in range earns credit "
                "(over-early): commitments override the ahead-of-demand rules", early, early > 1 ? "s" : "",
                early > 1 ? "" : "s");
    /* the search settings start at their documented defaults */
    sol_input *in = &r->in;
    sol_input_init(in);
    in->n_periods = T;
    in->n_sites = (int)r->ns;
    in->capex = r->capex;
    in->existing = r->m_existing;
    in->earliest = r->m_earliest;
    in->fixed_build = r->n_commit ? r->s_commit : NULL;
    in->budget = sc->budget;
    in->carry_over = sc->carry_over;
    in->max_new = sc->max_new_sites;
    in->n_demand = (int)r->nd;
    in->weight = r->d_eff;
    in->credit_from = r->m_credit;
    in->period_factor = r->m_factor;
    in->cov_ptr = r->m_cov_ptr;
    in->cov_site = r->m_cov_site;
    in->time_limit_s = sc->time_limit_s;
    in->mip_gap = sc->mip_gap;
    in->presolve = sc->presolve < 0 ? SOL_PRESOLVE_AUTO : sc->presolve;
    in->decompose = sc->decompose < 0 ? SOL_DECOMPOSE_AUTO : sc->decompose;
    in->workers = sc->workers;
    in->runner = r->opts ? r->opts->runner : NULL;
    in->cuts = sc->cuts;
    in->heuristics = sc->heuristics;
    if ((rc = check_commitments(r, err)))
        return rc;
    return pl_rules_build(r, err);
}

