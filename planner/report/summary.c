/* The per-period summary printed on the terminal after a plan. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "planner/report/report.h"

static void money(char *buf, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(buf, n, "%s", "unlimited");
    else
        snprintf(buf, n, "%.2f M", v / 1e6);
}

/* One line per period that left reachable demand uncovered, naming what
 * held it back; demand out of every site's range; the unspent budget; and
 * what "mean lead" means when it exceeds max_lead_periods. */
static void held_back(const pl_plan *p, FILE *f)
{
    const pl_scenario *sc = p->sc;
    int T = sc->n_periods;
    double lead_max = -HUGE_VAL;
    for (int t = 0; t < T; t++) {
        const pl_period_kpi *k = &p->pk[t];
        if (!isnan(k->mean_lead) && k->mean_lead > lead_max)
            lead_max = k->mean_lead;
        if (!(k->uncovered_weight > 0) || !(k->demand_weight > 0))
            continue;
        char left[32], cheap[32];
        money(left, sizeof left, k->budget_left);
        money(cheap, sizeof cheap, k->cheapest_useful);
        fprintf(f, "%-10s %4.1f%% of the demand so far is in range but not covered: ", sc->period_label[t],
                100 * k->uncovered_weight / k->demand_weight);
        if (k->limit_reached)
            fprintf(f, "held back by the build limit (budget.max_new_sites %d reached)\n",
                    sc->max_new_sites[t]);
        else if (isnan(k->cheapest_useful))
            fprintf(f, "no candidate that covers it may be built yet (ahead_of_demand.max_lead_periods %d)\n",
                    sc->max_lead_periods);
        else if (k->budget_left < k->cheapest_useful)
            fprintf(f, "held back by the budget (%s CNY left, the cheapest useful candidate costs %s)\n",
                    left, cheap);
        else if (t + 1 < T && sc->carry_over)
            fprintf(f, "%s CNY carried over (the cheapest useful candidate costs %s): it earns more "
                    "later\n", left, cheap);
        else
            fprintf(f, "%s CNY unspent although the cheapest useful candidate costs %s: within the "
                    "plan's proven gap (%.2f%%)\n", left, cheap, 100 * p->gap);
    }
    const pl_period_kpi *last = &p->pk[T - 1];
    if (last->unreachable_weight > 0 && last->demand_weight > 0)
        fprintf(f, "%.1f%% of the demand has no candidate or existing site in range at all (see "
                "`rollout5g validate` and radio.radius_m / max_path_loss_db)\n",
                100 * last->unreachable_weight / last->demand_weight);
    if (isfinite(last->budget_left)) {
        double total = 0;
        for (int t = 0; t < T; t++)
            total += p->pk[t].budget;
        char left[32], all[32];
        money(left, sizeof left, last->budget_left);
        money(all, sizeof all, total);
        fprintf(f, "budget unspent at the end: %s CNY of %s\n", left, all);
    }
    if (lead_max > sc->max_lead_periods)
        fprintf(f, "mean lead: periods from a point's first coverage to its appearance, averaged over "
                "the points appearing that period; it exceeds max_lead_periods (%d) when a point is "
                "covered by a site built earlier for other demand, which the rule allows\n",
                sc->max_lead_periods);
}

void pl_report_summary(const pl_plan *p, FILE *f, const char *out_path)
{
    const pl_scenario *sc = p->sc;
    fprintf(f, "%-10s %11s %10s %10s %5s %5s %7s %8s %8s %9s\n", "period", "budget", "carry-in",
            "capex", "new", "upgr", "on air", "covered", "on time", "mean lead");
    for (int t = 0; t < sc->n_periods; t++) {
        const pl_period_kpi *k = &p->pk[t];
        char b[32], c[32], x[32], lead[16];
        money(b, sizeof b, k->budget);
        money(c, sizeof c, k->carry_in);
        money(x, sizeof x, k->capex);
        if (isnan(k->mean_lead))
            snprintf(lead, sizeof lead, "-");
        else
            snprintf(lead, sizeof lead, "%+.2f", k->mean_lead);
        fprintf(f, "%-10s %11s %10s %10s %5d %5d %7d %7.1f%% %7.1f%% %9s\n", sc->period_label[t], b, c, x,
                k->new_sites, k->upgrades, k->sites_on_air, 100 * k->covered_share,
                100 * k->on_time_share, lead);
    }
    for (int t = 0; t < sc->n_periods; t++) { /* re-planning: what was decided before */
        const pl_period_kpi *k = &p->pk[t];
        char x[32];
        money(x, sizeof x, k->committed_capex);
        if (k->committed_sites)
            fprintf(f, "%-10s committed: %d site%s, %s CNY of the capex (decided before this plan)\n",
                    sc->period_label[t], k->committed_sites, k->committed_sites > 1 ? "s" : "", x);
    }
    held_back(p, f);
    fprintf(f, "plan: %s, objective %.6g (bound %.6g, gap %.3f%%), solved in %.2f s, %.2f s in all\n",
            p->solve.status, p->objective, p->bound, 100 * p->gap, p->solve.seconds,
            p->solve.total_seconds);
    fprintf(f, "wrote %s\n", out_path);
}

