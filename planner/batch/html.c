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
#include "planner/report/html.h"

enum { W = 760, H = 420, ML = 90, MR = 50, MT = 20, MB = 50 };

/* A KPI as the reports write it (planner/report/html.h): shares in per
 * cent, money in millions. */
static void fmt_kpi(char *buf, size_t size, int k, double v)
{
    char t[PL_FMT_N];
    int share = k == PL_BKPI_COVERED_SHARE || k == PL_BKPI_ON_TIME_SHARE || k == PL_BKPI_WHITELIST_ON_TIME_SHARE ||
                k == PL_BKPI_GAP;
    if (!isfinite(v))
        snprintf(t, sizeof t, "-");
    else if (k == PL_BKPI_GAP)
        snprintf(t, sizeof t, "%.2f %%", 100 * v);
    else if (share)
        pl_fmt_share(t, v);
    else if (k == PL_BKPI_TOTAL_BUDGET || k == PL_BKPI_TOTAL_CAPEX)
        pl_fmt_money(t, v);
    else if (k == PL_BKPI_SECONDS || k == PL_BKPI_SOLVE_SECONDS || k == PL_BKPI_COVERED_WEIGHT ||
             k == PL_BKPI_OBJECTIVE || k == PL_BKPI_BOUND)
        snprintf(t, sizeof t, "%.1f", v);
    else if (pl_bkpi_is_int(k))
        pl_fmt_int(t, llround(v));
    else
        pl_fmt_num(t, v);
    snprintf(buf, size, "%s", t);
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
    r5g_str_appendf(o, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                       "role=\"img\" aria-label=\"frontier chart\">\n",
                    W, H);
    r5g_str_appendf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#999\"/>\n", ML, MT,
                    W - ML - MR, H - MT - MB);
    for (int t = 0; t <= 4; t++) { /* ticks */
        double vx = ax.lo + (ax.hi - ax.lo) * t / 4, vy = ay.lo + (ay.hi - ay.lo) * t / 4;
        char bx[PL_FMT_N], by[PL_FMT_N];
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
        char vx[PL_FMT_N], vy[PL_FMT_N];
        fmt_kpi(vx, sizeof vx, kx, r->kpi[kx]);
        fmt_kpi(vy, sizeof vy, ky, r->kpi[ky]);
        r5g_str_appendf(o, "<a href=\"jobs/%s.html\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#d62728\" "
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

/* The frontier's curves as the reports' line charts: the coverage KPI and
 * the marginal per budget point, one series per curve. */
static void frontier_charts(pl_html *h, const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    int fa = -1;
    for (int a = 0; a < b->n_axes; a++)
        if (b->axes[a].frontier)
            fa = a;
    if (fa < 0)
        return;
    int nx = b->axes[fa].n, ns = 0;
    int *curve = malloc((size_t)b->n_jobs * sizeof *curve); /* first job of each curve */
    const char **x = calloc((size_t)nx, sizeof *x);
    double *y = malloc((size_t)b->n_jobs * (size_t)nx * 2 * sizeof *y); /* [2][curves][nx] */
    char (*names)[160] = calloc((size_t)b->n_jobs, sizeof *names);
    pl_chart_series *sc = calloc((size_t)b->n_jobs, sizeof *sc), *sm = calloc((size_t)b->n_jobs, sizeof *sm);
    if (!curve || !x || !y || !names || !sc || !sm)
        goto out;
    for (int i = 0; i < nx; i++)
        x[i] = b->axes[fa].v[i].yaml;
    for (int j = 0; j < b->n_jobs; j++) {
        int k = 0;
        while (k < ns) { /* the same curve: every other axis and the scenario equal */
            const pl_bjob *p = &b->jobs[curve[k]], *q = &b->jobs[j];
            int same = p->scenario == q->scenario;
            for (int a = 0; same && a < b->n_axes; a++)
                same = a == fa || p->value[a] == q->value[a];
            if (same)
                break;
            k++;
        }
        if (k == ns) {
            curve[ns] = j;
            r5g_str nm = R5G_STR_INIT;
            if (b->n_scen > 1)
                r5g_str_append(&nm, b->scen[b->jobs[j].scenario].stem);
            for (int a = 0; a < b->n_axes; a++)
                if (a != fa)
                    r5g_str_appendf(&nm, "%s%s=%s", nm.n ? " " : "", b->axes[a].path, b->axes[a].v[b->jobs[j].value[a]].yaml);
            snprintf(names[ns], sizeof names[ns], "%s", r5g_str_text(&nm) && nm.n ? r5g_str_text(&nm) : "curve");
            r5g_str_dispose(&nm);
            double *yc = y + (size_t)ns * nx, *ym = y + (size_t)b->n_jobs * nx + (size_t)ns * nx;
            for (int i = 0; i < nx; i++)
                yc[i] = ym[i] = NAN;
            sc[ns] = (pl_chart_series){names[ns], yc};
            sm[ns] = (pl_chart_series){names[ns], ym};
            ns++;
        }
        const pl_bresult *r = &s->rows[j];
        if (pl_bstatus_has_plan(r->status)) {
            ((double *)sc[k].y)[b->jobs[j].value[fa]] = r->kpi[b->frontier_cov];
            ((double *)sm[k].y)[b->jobs[j].value[fa]] = s->marginal[j];
        }
    }
    int pct = b->frontier_cov == PL_BKPI_COVERED_SHARE || b->frontier_cov == PL_BKPI_ON_TIME_SHARE;
    pl_chart c1 = {.title = pl_bkpi_name(b->frontier_cov), .unit = pct ? "%" : "weighted demand", .percent = pct,
                   .n_x = nx, .x = x, .n_s = ns, .s = sc};
    pl_chart c2 = {.title = "marginal per extra million", .unit = pct ? "share per million" : "per million",
                   .bars = 1, .n_x = nx, .x = x, .n_s = ns, .s = sm};
    pl_html_para(h, NULL, "Along %s (%s): each point an exact plan within its gap.", b->axes[fa].path,
                 pl_bkpi_name(b->frontier_cov));
    pl_html_charts_begin(h);
    pl_html_chart(h, &c1);
    pl_html_chart(h, &c2);
    pl_html_charts_end(h);
out:
    free(curve);
    free(x);
    free(y);
    free(names);
    free(sc);
    free(sm);
}

/* The jobs table, with a link to each plan's report and GeoPackage (raw
 * markup in the reports' table style: the cells hold links). */
static void jobs_table(r5g_str *o, const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    r5g_str_append(o, "<div class=\"wrap\"><table><thead><tr><th class=\"l\">job</th>");
    if (b->n_scen > 1)
        r5g_str_append(o, "<th class=\"l\">scenario</th>");
    for (int a = 0; a < b->n_axes; a++) {
        r5g_str_append(o, "<th>");
        r5g_str_append_xml(o, b->axes[a].path);
        r5g_str_append(o, "</th>");
    }
    r5g_str_append(o, "<th class=\"l\">status</th>");
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        if (k != PL_BKPI_SOLVE_SECONDS)
            r5g_str_appendf(o, "<th>%s</th>", pl_bkpi_name(k));
    r5g_str_append(o, "<th>pareto</th>");
    if (b->has_frontier)
        r5g_str_append(o, "<th>marginal per million</th>");
    r5g_str_append(o, "<th class=\"l\">plan</th><th class=\"l\">error</th></tr></thead>\n<tbody>\n");
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        const pl_bjob *job = &b->jobs[j];
        int plan = pl_bstatus_has_plan(r->status);
        r5g_str_appendf(o, "<tr%s><td class=\"l n\">", s->pareto[j] ? " class=\"p\"" : plan ? "" : " class=\"f\"");
        if (plan)
            r5g_str_appendf(o, "<a href=\"jobs/%s.html\">", job->id);
        r5g_str_append_xml(o, job->id);
        r5g_str_append(o, plan ? "</a></td>" : "</td>");
        if (b->n_scen > 1) {
            r5g_str_append(o, "<td class=\"l n\">");
            r5g_str_append_xml(o, b->scen[job->scenario].stem);
            r5g_str_append(o, "</td>");
        }
        for (int a = 0; a < b->n_axes; a++) {
            r5g_str_append(o, "<td>");
            r5g_str_append_xml(o, b->axes[a].v[job->value[a]].yaml);
            r5g_str_append(o, "</td>");
        }
        r5g_str_appendf(o, "<td class=\"l n\">%s</td>", r->status);
        for (int k = 0; k < PL_BKPI_COUNT; k++) {
            if (k == PL_BKPI_SOLVE_SECONDS)
                continue;
            char v[PL_FMT_N];
            fmt_kpi(v, sizeof v, k, r->kpi[k]);
            r5g_str_appendf(o, "<td class=\"n\">%s</td>", v);
        }
        r5g_str_appendf(o, "<td>%s</td>", s->pareto[j] ? "&#10003;" : "");
        if (b->has_frontier) {
            char v[PL_FMT_N];
            if (isfinite(s->marginal[j]))
                snprintf(v, sizeof v, "%+.1f", s->marginal[j]);
            else
                snprintf(v, sizeof v, "-");
            r5g_str_appendf(o, "<td>%s</td>", v);
        }
        if (plan)
            r5g_str_appendf(o, "<td class=\"l n\"><a href=\"jobs/%s.gpkg\">GeoPackage</a></td>", job->id);
        else
            r5g_str_append(o, "<td></td>");
        r5g_str_append(o, "<td class=\"l\">");
        r5g_str_append_xml(o, r->error);
        r5g_str_append(o, "</td></tr>\n");
    }
    r5g_str_append(o, "</tbody></table></div>\n");
}

char *pl_batch_html(const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    pl_html h = PL_HTML_INIT;
    int n_done = 0, n_fail = 0, n_pareto = 0, n_open = 0;
    for (int j = 0; j < b->n_jobs; j++) {
        n_done += pl_bstatus_has_plan(s->rows[j].status);
        n_fail += pl_bstatus_final(s->rows[j].status) && !pl_bstatus_has_plan(s->rows[j].status);
        n_open += !pl_bstatus_final(s->rows[j].status);
        n_pareto += s->pareto[j];
    }
    char title[300], sub[300];
    snprintf(title, sizeof title, "Batch %s", b->name);
    snprintf(sub, sizeof sub, "%d jobs: %d with a plan (%d on the Pareto frontier), %d failed, %d not run yet", b->n_jobs,
             n_done, n_pareto, n_fail, n_open);
    pl_html_css(&h, "tr.p td{background:#fde8e8}tr.f td{color:#888}.legend{font-size:12px;color:#555}\n");
    pl_html_title(&h, title, sub);
    pl_html_para(&h, NULL, "Batch file %s.", b->abs_file);
    r5g_str crit = R5G_STR_INIT;
    for (int c = 0; c < b->n_crit; c++)
        r5g_str_appendf(&crit, "%s%s %s", c ? ", " : "", pl_bkpi_name(b->crit[c].kpi), b->crit[c].maximize ? "up" : "down");
    pl_html_para(&h, NULL, "Pareto criteria (per scenario, among the plans): %s.",
                 r5g_str_text(&crit) ? r5g_str_text(&crit) : "");
    r5g_str_dispose(&crit);
    pl_html_section_begin(&h, "frontier", "Frontier");
    r5g_str svg = R5G_STR_INIT;
    chart(&svg, s, PL_BKPI_TOTAL_CAPEX, b->has_frontier ? b->frontier_cov : PL_BKPI_COVERED_WEIGHT);
    pl_html_raw(&h, r5g_str_text(&svg) ? r5g_str_text(&svg) : "");
    if (svg.oom)
        h.body.oom = 1;
    r5g_str_dispose(&svg);
    if (b->has_frontier)
        frontier_charts(&h, s);
    pl_html_section_end(&h);
    pl_html_section_begin(&h, "jobs", "Jobs");
    r5g_str t = R5G_STR_INIT;
    jobs_table(&t, s);
    pl_html_raw(&h, r5g_str_text(&t) ? r5g_str_text(&t) : "");
    if (t.oom)
        h.body.oom = 1;
    r5g_str_dispose(&t);
    pl_html_para(&h, "legend", "The same table is in results.gpkg (table jobs), results.csv and results.json; each "
                               "plan is a GeoPackage for QGIS and an HTML report in jobs/.");
    pl_html_section_end(&h);
    return pl_html_finish(&h, title);
}
