/* Infeasible scenarios, explained: the solver's diagnosis (sol_explain, on
 * plain arrays) put into the scenario's words, with period labels and region
 * ids. The first line is the message; detail lines follow in the same error
 * text (printed together on stderr). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "planner/pipeline/run.h"
#include "planner/scenario/schema.h"

/* "Name (id)" when the region has a name, else its id. */
static const char *region_label(const pl_run *r, int g, char *buf, size_t size)
{
    const char *id = pl_region_id(r, g), *name = r->t_reg ? geo_table_value(r->t_reg, PL_REGION_NAME, (size_t)g) : NULL;
    if (name && *name && id && strcmp(name, id) != 0)
        snprintf(buf, size, "%s (%s)", name, id);
    else
        snprintf(buf, size, "%s", id ? id : "?");
    return buf;
}

/* " in region X" / " in regions X (5), Y (3) and 2 more" / "" for the points */
static void regions_of(r5g_str *b, const pl_run *r, const int *pts, int n)
{
    char buf[256];
    if (!r->t_reg || n == 0)
        return;
    int nreg = (int)geo_table_count(r->t_reg);
    int *cnt = calloc((size_t)nreg + 1, sizeof *cnt);
    if (!cnt)
        return;
    int outside = 0, distinct = 0;
    for (int i = 0; i < n; i++) {
        int g = r->d_region[pts[i]];
        if (g < 0)
            outside++;
        else if (cnt[g]++ == 0)
            distinct++;
    }
    if (distinct == 1 && !outside) {
        for (int g = 0; g < nreg; g++)
            if (cnt[g])
                r5g_str_appendf(b, " in region %s", region_label(r, g, buf, sizeof buf));
    } else if (distinct > 0) {
        r5g_str_appendf(b, " in regions ");
        int shown = 0;
        for (int round = 0; round < 3 && shown < distinct; round++) {
            int best = -1; /* largest count first, then region order */
            for (int g = 0; g < nreg; g++)
                if (cnt[g] > 0 && (best < 0 || cnt[g] > cnt[best]))
                    best = g;
            r5g_str_appendf(b, "%s%s: %d", shown ? ", " : "", region_label(r, best, buf, sizeof buf), cnt[best]);
            cnt[best] = -cnt[best];
            shown++;
        }
        if (distinct > shown)
            r5g_str_appendf(b, " and %d more", distinct - shown);
        if (outside)
            r5g_str_appendf(b, " and %d outside every region", outside);
    }
    free(cnt);
}

static void money(r5g_str *b, double v) { r5g_str_appendf(b, "%.1f M CNY", v / 1e6); }

static void window(r5g_str *b, const pl_scenario *sc, int from, int to)
{
    if (from == to)
        r5g_str_appendf(b, "in %s", sc->period_label[to - 1]);
    else
        r5g_str_appendf(b, "in %s-%s", sc->period_label[from - 1], sc->period_label[to - 1]);
}

/* "4.1 M CNY more capex in 2026-2027 (9.0 M CNY needed, 4.9 M CNY budgeted)" */
static void capex_shortfall(r5g_str *b, const pl_scenario *sc, const sol_why *w)
{
    money(b, w->need_capex - w->have_capex);
    r5g_str_appendf(b, " more capex ");
    window(b, sc, w->from_period, w->period);
    r5g_str_appendf(b, " (");
    money(b, w->need_capex);
    r5g_str_appendf(b, " needed, ");
    money(b, w->have_capex);
    r5g_str_appendf(b, " budgeted)");
}

static void what_target(r5g_str *b, const pl_run *r, int k)
{
    char buf[256];
    const pl_scenario *sc = r->sc;
    const pl_tg_info *t = &r->tg_info[k];
    const char *by = sc->period_label[r->m_tg[k].period - 1];
    if (t->type == 0)
        r5g_str_appendf(b, "targets.coverage_share %.3g by %s", t->value, by);
    else if (t->type == 1)
        r5g_str_appendf(b, "targets.sector_share %s %.3g by %s", t->sector, t->value, by);
    else
        r5g_str_appendf(b, "targets.sites_per_10k_people %.3g in region %s (population %.0f) by %s", t->value,
                region_label(r, t->region, buf, sizeof buf), t->total, by);
}

static void describe(r5g_str *b, const pl_run *r, const sol_why *w)
{
    const pl_scenario *sc = r->sc;
    const char *by = sc->period_label[w->period - 1];
    if (w->kind == SOL_WHY_DUE) {
        const char *kind = sc->on_time_required == PL_ONTIME_WHITELIST
                               ? (w->n_points == 1 ? "whitelist point" : "whitelist points")
                               : (w->n_points == 1 ? "demand point" : "demand points");
        r5g_str_appendf(b, "%d %s", w->n_points, kind);
        regions_of(b, r, w->points, w->n_points);
        r5g_str_appendf(b, " cannot be covered by %s (ahead_of_demand.on_time_required: %s)", by,
                sc->on_time_required == PL_ONTIME_WHITELIST ? "whitelist" : "all");
        const char *sep = ": ";
        if (w->n_uncoverable) {
            r5g_str_appendf(b, "%sno candidate in range for %d", sep, w->n_uncoverable);
            sep = "; ";
        }
        int rest = w->n_points - w->n_uncoverable;
        if (rest > 0 && isfinite(w->have_capex) && w->need_capex > w->have_capex) {
            r5g_str_appendf(b, "%s%s%d need at least ", sep, w->n_uncoverable ? "the other " : "", rest);
            capex_shortfall(b, sc, w);
            sep = "; ";
        }
        if (rest > 0 && w->have_sites < INT_MAX && w->need_sites > w->have_sites) {
            if (strcmp(sep, "; ") == 0 && isfinite(w->have_capex) && w->need_capex > w->have_capex)
                r5g_str_appendf(b, ", and at least %d new sites by %s (max_new_sites allows %d)", w->need_sites,
                        by, w->have_sites);
            else
                r5g_str_appendf(b, "%s%s%d need at least %d new sites by %s, max_new_sites allows %d", sep,
                        w->n_uncoverable ? "the other " : "", rest, w->need_sites, by, w->have_sites);
        }
        return;
    }
    if (w->kind == SOL_WHY_TARGET) {
        const pl_tg_info *t = &r->tg_info[w->target];
        what_target(b, r, w->target);
        r5g_str_appendf(b, " cannot be met: ");
        if (w->reachable < w->rhs - 1e-9 * (1 + fabs(w->rhs))) {
            if (t->type == 2)
                r5g_str_appendf(b, "it needs %.0f sites on air, but only %.0f exist or may be built by then "
                           "(candidates in range of demand that has appeared)",
                        ceil(w->rhs - 1e-9), w->reachable);
            else
                r5g_str_appendf(b, "at most %.4g of that demand is within range of a site that may be on air by then",
                        t->total > 0 ? w->reachable / t->total : 0.0);
            return;
        }
        const char *sep = "";
        if (isfinite(w->have_capex) && w->need_capex > w->have_capex) {
            r5g_str_appendf(b, "it needs at least ");
            capex_shortfall(b, sc, w);
            sep = "; ";
        }
        if (w->have_sites < INT_MAX && w->need_sites > w->have_sites)
            r5g_str_appendf(b, "%sit needs at least %d new sites by %s, max_new_sites allows %d", sep, w->need_sites,
                    by, w->have_sites);
        return;
    }
    if (w->kind == SOL_WHY_COMMITTED) {
        r5g_str_appendf(b, "the committed sites alone (committed:, candidates.fields.committed) need ");
        if (w->need_capex > w->have_capex + 1e-9 * (1 + fabs(w->have_capex))) {
            capex_shortfall(b, sc, w);
            return;
        }
        r5g_str_appendf(b, "%d new sites in %s, max_new_sites allows %d", w->need_sites, by, w->have_sites);
        return;
    }
    r5g_str_appendf(b, "each hard rule (on_time_required, targets) can be met on its own, but not all of them "
               "together within the budgets and build limits");
}

int pl_explain(pl_run *r, r5g_err *err)
{
    sol_why *why = NULL;
    int n = 0;
    r5g_err e2 = {0};
    if (sol_explain(&why, &n, &r->in, &e2) != 0)
        return r5g_err_set(err, R5G_EINFEASIBLE, "the scenario is infeasible (%s); explaining it failed: %s",
                           err->msg, e2.msg);
    r5g_str b = R5G_STR_INIT;
    r5g_str_appendf(&b, "the scenario is infeasible: ");
    describe(&b, r, &why[0]);
    for (int i = 0; i < n; i++) {
        if (i > 0) {
            r5g_str_appendf(&b, "\n  also: ");
            describe(&b, r, &why[i]);
        }
        if (why[i].kind == SOL_WHY_DUE) {
            r5g_str_appendf(&b, "\n    points due by %s:", r->sc->period_label[why[i].period - 1]);
            int show = why[i].n_points < 8 ? why[i].n_points : 8;
            for (int k = 0; k < show; k++)
                r5g_str_appendf(&b, " %s%s", r->d_id[why[i].points[k]], k < why[i].n_uncoverable ? "*" : "");
            if (why[i].n_points > show)
                r5g_str_appendf(&b, " and %d more", why[i].n_points - show);
            if (why[i].n_uncoverable)
                r5g_str_appendf(&b, " (* no candidate in range may be on air by then)");
        }
    }
    sol_why_free(why, n);
    const char *text = r5g_str_text(&b);
    int rc = r5g_err_set(err, R5G_EINFEASIBLE, "%s", text ? text : "the scenario is infeasible");
    r5g_str_dispose(&b);
    return rc;
}
