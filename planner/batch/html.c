/* DIR/summary.html: one self-contained page (no network, no script): the
 * frontier chart as inline SVG (total capex against weighted covered
 * demand, the Pareto plans marked and the frontier's curves drawn), and the
 * jobs table with a link to each job's plan. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "planner/batch/batch_int.h"

enum { W = 760, H = 420, ML = 90, MR = 50, MT = 20, MB = 50 };

static void fmt_num(char *buf, size_t size, double v, int is_int)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (is_int)
        snprintf(buf, size, "%lld", (long long)llround(v));
    else if (fabs(v) >= 1e6)
        snprintf(buf, size, "%.2f M", v / 1e6);
    else if (fabs(v) >= 100)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.4g", v);
}

/* A KPI as a reader wants it: shares in per cent, money in millions. */
static void fmt_kpi(char *buf, size_t size, int k, double v)
{
    int share = k == PL_BKPI_COVERED_SHARE || k == PL_BKPI_ON_TIME_SHARE || k == PL_BKPI_WHITELIST_ON_TIME_SHARE;
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (share)
        snprintf(buf, size, "%.1f%%", 100 * v);
    else if (k == PL_BKPI_GAP)
        snprintf(buf, size, "%.2f%%", 100 * v);
    else if (k == PL_BKPI_SECONDS || k == PL_BKPI_SOLVE_SECONDS)
        snprintf(buf, size, "%.1f", v);
    else
        fmt_num(buf, size, v, pl_bkpi_is_int(k));
}

typedef struct axis_scale {
    double lo, hi;
} axis_scale;

static double sx(const axis_scale *a, double v) { return ML + (v - a->lo) / (a->hi - a->lo) * (W - ML - MR); }
static double sy(const axis_scale *a, double v) { return H - MB - (v - a->lo) / (a->hi - a->lo) * (H - MT - MB); }

static void chart(r5g_str *o, const pl_bsummary *s, int kx, int ky)
{
    const pl_batch *b = s->b;
    axis_scale ax = {HUGE_VAL, -HUGE_VAL}, ay = {HUGE_VAL, -HUGE_VAL};
    int n = 0;
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        if (!pl_bstatus_has_plan(r->status) || !isfinite(r->kpi[kx]) || !isfinite(r->kpi[ky]))
            continue;
        ax.lo = fmin(ax.lo, r->kpi[kx]), ax.hi = fmax(ax.hi, r->kpi[kx]);
        ay.lo = fmin(ay.lo, r->kpi[ky]), ay.hi = fmax(ay.hi, r->kpi[ky]);
        n++;
    }
    if (n == 0) {
        r5g_str_append(o, "<p>No job has a plan yet: nothing to chart.</p>\n");
        return;
    }
    double px = (ax.hi - ax.lo) * 0.05 + (ax.hi == ax.lo ? fabs(ax.hi) * 0.05 + 1 : 0);
    double py = (ay.hi - ay.lo) * 0.05 + (ay.hi == ay.lo ? fabs(ay.hi) * 0.05 + 1 : 0);
    ax.lo -= px, ax.hi += px, ay.lo -= py, ay.hi += py;
    r5g_str_appendf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                       "role=\"img\" aria-label=\"frontier chart\">\n",
                    W, H, W, H);
    r5g_str_appendf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>\n", ML, MT,
                    W - ML - MR, H - MT - MB);
    for (int t = 0; t <= 4; t++) { /* ticks */
        double vx = ax.lo + (ax.hi - ax.lo) * t / 4, vy = ay.lo + (ay.hi - ay.lo) * t / 4;
        char bx[32], by[32];
        fmt_kpi(bx, sizeof bx, kx, vx);
        fmt_kpi(by, sizeof by, ky, vy);
        r5g_str_appendf(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n", sx(&ax, vx),
                        H - MB + 16, bx);
        r5g_str_appendf(o, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>\n", ML - 6,
                        sy(&ay, vy) + 4, by);
    }
    r5g_str_appendf(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>\n", (W + ML) / 2, H - 12,
                    pl_bkpi_name(kx));
    r5g_str_appendf(o, "<text x=\"16\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
                    (H - MB + MT) / 2, (H - MB + MT) / 2, pl_bkpi_name(ky));
    /* curves: the frontier's budget sweeps, or the plans not dominated in these two */
    int *order = malloc((size_t)b->n_jobs * sizeof *order), *used = calloc((size_t)b->n_jobs, sizeof *used);
    if (order && used) {
        for (int j = 0; j < b->n_jobs; j++) {
            if (used[j] || !pl_bstatus_has_plan(s->rows[j].status))
                continue;
            int m = 0;
            for (int k = j; k < b->n_jobs; k++) {
                const pl_bresult *r = &s->rows[k];
                if (used[k] || !pl_bstatus_has_plan(r->status) || !isfinite(r->kpi[kx]) || !isfinite(r->kpi[ky]))
                    continue;
                int same = b->jobs[k].scenario == b->jobs[j].scenario;
                for (int a = 0; same && a < b->n_axes; a++)
                    if (b->has_frontier && !b->axes[a].frontier && b->jobs[k].value[a] != b->jobs[j].value[a])
                        same = 0;
                if (!same)
                    continue;
                if (!b->has_frontier) { /* 2-D non-dominated: less x and more y beats it */
                    int dom = 0;
                    for (int q = 0; q < b->n_jobs && !dom; q++) {
                        const pl_bresult *rq = &s->rows[q];
                        if (q == k || !pl_bstatus_has_plan(rq->status) || b->jobs[q].scenario != b->jobs[k].scenario)
                            continue;
                        dom = rq->kpi[kx] <= r->kpi[kx] && rq->kpi[ky] >= r->kpi[ky] &&
                              (rq->kpi[kx] < r->kpi[kx] || rq->kpi[ky] > r->kpi[ky]);
                    }
                    if (dom)
                        continue;
                }
                used[k] = 1;
                order[m++] = k;
            }
            for (int x = 1; x < m; x++) /* by x */
                for (int y = x; y > 0 && s->rows[order[y]].kpi[kx] < s->rows[order[y - 1]].kpi[kx]; y--) {
                    int t = order[y];
                    order[y] = order[y - 1];
                    order[y - 1] = t;
                }
            if (m > 1) {
                r5g_str_append(o, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
                for (int x = 0; x < m; x++)
                    r5g_str_appendf(o, "%s%.1f,%.1f", x ? " " : "", sx(&ax, s->rows[order[x]].kpi[kx]),
                                    sy(&ay, s->rows[order[x]].kpi[ky]));
                r5g_str_append(o, "\"/>\n");
            }
        }
    }
    free(order);
    free(used);
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        if (!pl_bstatus_has_plan(r->status) || !isfinite(r->kpi[kx]) || !isfinite(r->kpi[ky]))
            continue;
        char vx[32], vy[32];
        fmt_kpi(vx, sizeof vx, kx, r->kpi[kx]);
        fmt_kpi(vy, sizeof vy, ky, r->kpi[ky]);
        r5g_str_appendf(o, "<a href=\"jobs/%s.gpkg\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#d62728\" "
                           "stroke-width=\"1.5\"><title>",
                        r->job_id, sx(&ax, r->kpi[kx]), sy(&ay, r->kpi[ky]), s->pareto[j] ? 6 : 4,
                        s->pareto[j] ? "#d62728" : "white");
        r5g_str_append_xml(o, r->job_id);
        r5g_str_appendf(o, ": %s %s, %s %s%s</title></circle></a>\n", pl_bkpi_name(kx), vx, pl_bkpi_name(ky), vy,
                        s->pareto[j] ? " (Pareto)" : "");
    }
    r5g_str_append(o, "</svg>\n<p class=\"legend\">Filled: on the Pareto frontier of the criteria above; hollow: "
                      "dominated. Lines: ");
    r5g_str_append(o, b->has_frontier ? "each budget curve of the frontier.</p>\n"
                                      : "the plans no other plan beats on both axes of the chart.</p>\n");
}

char *pl_batch_html(const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    r5g_str o = R5G_STR_INIT;
    int n_done = 0, n_fail = 0, n_pareto = 0, n_open = 0;
    for (int j = 0; j < b->n_jobs; j++) {
        n_done += pl_bstatus_has_plan(s->rows[j].status);
        n_fail += pl_bstatus_final(s->rows[j].status) && !pl_bstatus_has_plan(s->rows[j].status);
        n_open += !pl_bstatus_final(s->rows[j].status);
        n_pareto += s->pareto[j];
    }
    r5g_str_append(&o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rollout5g batch: ");
    r5g_str_append_xml(&o, b->name);
    r5g_str_append(&o, "</title>\n<style>\n"
                       "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\n"
                       "table{border-collapse:collapse;font-size:13px}\n"
                       "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}\n"
                       "th{background:#eee;position:sticky;top:0}\n"
                       "td.t{text-align:left;white-space:nowrap}\ntr.p{background:#fde8e8}\ntr.f{color:#999}\n"
                       ".legend{font-size:12px;color:#555}\n</style>\n</head>\n<body>\n<h1>Batch ");
    r5g_str_append_xml(&o, b->name);
    r5g_str_appendf(&o, "</h1>\n<p>%d jobs: %d with a plan (%d on the Pareto frontier), %d failed, %d not run yet. "
                        "Batch file <code>",
                    b->n_jobs, n_done, n_pareto, n_fail, n_open);
    r5g_str_append_xml(&o, b->abs_file);
    r5g_str_append(&o, "</code>.</p>\n<p>Pareto criteria (per scenario, among the plans): ");
    for (int c = 0; c < b->n_crit; c++)
        r5g_str_appendf(&o, "%s%s %s", c ? ", " : "", pl_bkpi_name(b->crit[c].kpi),
                        b->crit[c].maximize ? "up" : "down");
    r5g_str_append(&o, ".</p>\n<h2>Frontier</h2>\n");
    chart(&o, s, PL_BKPI_TOTAL_CAPEX, b->has_frontier ? b->frontier_cov : PL_BKPI_COVERED_WEIGHT);
    r5g_str_append(&o, "<h2>Jobs</h2>\n<table>\n<tr><th>job</th>");
    if (b->n_scen > 1)
        r5g_str_append(&o, "<th>scenario</th>");
    for (int a = 0; a < b->n_axes; a++) {
        r5g_str_append(&o, "<th>");
        r5g_str_append_xml(&o, b->axes[a].path);
        r5g_str_append(&o, "</th>");
    }
    r5g_str_append(&o, "<th>status</th>");
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        if (k != PL_BKPI_SOLVE_SECONDS)
            r5g_str_appendf(&o, "<th>%s</th>", pl_bkpi_name(k));
    r5g_str_append(&o, "<th>pareto</th>");
    if (b->has_frontier)
        r5g_str_append(&o, "<th>marginal per million</th>");
    r5g_str_append(&o, "<th>error</th></tr>\n");
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        const pl_bjob *job = &b->jobs[j];
        int plan = pl_bstatus_has_plan(r->status);
        r5g_str_appendf(&o, "<tr%s><td class=\"t\">", s->pareto[j] ? " class=\"p\"" : plan ? "" : " class=\"f\"");
        if (plan) {
            r5g_str_appendf(&o, "<a href=\"jobs/%s.gpkg\">", job->id);
            r5g_str_append_xml(&o, job->id);
            r5g_str_append(&o, "</a>");
        } else {
            r5g_str_append_xml(&o, job->id);
        }
        r5g_str_append(&o, "</td>");
        if (b->n_scen > 1) {
            r5g_str_append(&o, "<td class=\"t\">");
            r5g_str_append_xml(&o, b->scen[job->scenario].stem);
            r5g_str_append(&o, "</td>");
        }
        for (int a = 0; a < b->n_axes; a++) {
            r5g_str_append(&o, "<td>");
            r5g_str_append_xml(&o, b->axes[a].v[job->value[a]].yaml);
            r5g_str_append(&o, "</td>");
        }
        r5g_str_appendf(&o, "<td class=\"t\">%s</td>", r->status);
        for (int k = 0; k < PL_BKPI_COUNT; k++) {
            if (k == PL_BKPI_SOLVE_SECONDS)
                continue;
            char v[32];
            fmt_kpi(v, sizeof v, k, r->kpi[k]);
            r5g_str_appendf(&o, "<td>%s</td>", v);
        }
        r5g_str_appendf(&o, "<td>%s</td>", s->pareto[j] ? "&#10003;" : "");
        if (b->has_frontier) {
            char v[32];
            fmt_num(v, sizeof v, s->marginal[j], 0);
            r5g_str_appendf(&o, "<td>%s</td>", v);
        }
        r5g_str_append(&o, "<td class=\"t\">");
        r5g_str_append_xml(&o, r->error);
        r5g_str_append(&o, "</td></tr>\n");
    }
    r5g_str_append(&o, "</table>\n<p class=\"legend\">The same table is in results.gpkg (table jobs), results.csv and "
                       "results.json; each plan is a GeoPackage for QGIS in jobs/.</p>\n</body>\n</html>\n");
    return r5g_str_finish(&o);
}
