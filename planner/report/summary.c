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
    fprintf(f, "plan: %s, objective %.6g (bound %.6g, gap %.3f%%), solved in %.2f s, %.2f s in all\n",
            p->solve.status, p->objective, p->bound, 100 * p->gap, p->solve.seconds,
            p->solve.total_seconds);
    fprintf(f, "wrote %s\n", out_path);
}

