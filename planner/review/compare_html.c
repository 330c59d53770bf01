/* The comparison as one self-contained HTML page (compare --html), built
 * from the report pieces of planner/report/html.h. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/report/html.h"
#include "planner/review/compare.h"

enum {
    MAX_ROWS = 400,    /* rows of a long table shown; every row is in the GeoPackage and the JSON */
    MAX_POINTS = 20000 /* changed demand points drawn on a map (every white-listed one, every k-th other) */
};

static const char compare_css[] =
    ".x0{fill:#d55e00;stroke:#222;stroke-width:.6}.x1{fill:#0072b2;stroke:#222;stroke-width:.6}"
    ".x2{fill:#009e73;stroke:#222;stroke-width:.6}.x3{fill:#cc79a7;stroke:#222;stroke-width:.6}"
    ".x4{fill:#b4b4b4}\n"
    ".y0{fill:#d7191c}.y1{fill:#f08c3a}.y2{fill:#1a9641}.y3{fill:#2b83ba}\n"
    ".co{fill:#cc0099;stroke:#222;stroke-width:.6}\n";

/* a row of n strings from a small pool of formatted cells */
typedef struct cells {
    int n;
    char (*c)[PL_FMT_N + 80];
    const char **p;
    double *v;
} cells;

static int cells_new(cells *t, int n)
{
    t->n = n;
    t->c = calloc((size_t)n, sizeof *t->c);
    t->p = calloc((size_t)n, sizeof *t->p);
    t->v = calloc((size_t)n, sizeof *t->v);
    for (int k = 0; t->p && t->c && k < n; k++)
        t->p[k] = t->c[k];
    for (int k = 0; t->v && k < n; k++)
        t->v[k] = NAN;
    return t->c && t->p && t->v ? 0 : -1;
}

static void cells_free(cells *t)
{
    free(t->c);
    free(t->p);
    free(t->v);
}

static void cell(cells *t, int k, const char *s)
{
    snprintf(t->c[k], sizeof t->c[k], "%s", s ? s : "");
}

static void row(pl_html *h, cells *t, const char *cls)
{
    pl_html_table_row(h, t->n, t->p, t->v, cls);
    for (int k = 0; k < t->n; k++) {
        t->c[k][0] = '\0';
        t->v[k] = NAN;
    }
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

static void section_plans(pl_html *h, const pl_cmp *c)
{
    static const char *const head[] = {"plan", "file", "scenario", "objective", "status", "objective value",
                                       "bound", "gap", "sites built", "capex", "coverage of the reference"};
    enum { NC = sizeof head / sizeof *head };
    cells t;
    if (cells_new(&t, NC)) {
        h->body.oom = 1;
        return;
    }
    pl_html_section_begin(h, "plans", "The plans");
    pl_html_table_begin(h, NULL, NC, head, "nllnnrrrrrl");
    for (int i = 0; i < c->n; i++) {
        const pl_cmp_plan *q = &c->plan[i];
        const pl_plan *p = q->p;
        cell(&t, 0, q->label);
        cell(&t, 1, q->path);
        cell(&t, 2, p->sc->name);
        cell(&t, 3, p->sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage");
        cell(&t, 4, p->solve.status);
        pl_fmt_num(t.c[5], p->objective);
        pl_fmt_num(t.c[6], p->bound);
        if (isfinite(p->gap))
            snprintf(t.c[7], sizeof t.c[7], "%.3f %%", 100 * p->gap);
        else
            cell(&t, 7, "-");
        pl_fmt_int(t.c[8], q->n_built);
        pl_fmt_money(t.c[9], q->capex);
        cell(&t, 10, q->own_coverage ? "the plan's own" : "recomputed, fixed radius");
        t.v[5] = p->objective;
        t.v[6] = p->bound;
        t.v[7] = p->gap;
        t.v[8] = q->n_built;
        t.v[9] = q->capex;
        row(h, &t, NULL);
    }
    pl_html_table_end(h);
    for (int i = 1; i < c->n; i++) {
        const pl_cmp_pair *g = &c->pair[i - 1];
        const char *la = c->plan[0].label, *lb = c->plan[i].label;
        if (g->comparable && g->within_gap == 1)
            pl_html_para(h, "flagged", "%s and %s: each objective lies within the other's bound: other plans as "
                         "good as either exist. The differences below are choices among equally good plans, "
                         "within the solvers' gaps.", la, lb);
        else if (g->comparable && g->within_gap == 0)
            pl_html_para(h, NULL, "%s and %s: the objectives differ beyond the solvers' gaps.", la, lb);
        else if (!g->comparable)
            pl_html_para(h, NULL, "%s and %s: objectives not compared (%s); compare the KPIs below, which "
                         "share one definition.", la, lb, g->why);
    }
    pl_html_para(h, "note", "Every KPI below is recomputed under one definition: lead %d period%s (on time when "
                 "covered by the appearance period minus the lead), demand credited from %d periods ahead, "
                 "demand: %s, regions: %s.", c->lead, c->lead == 1 ? "" : "s", c->max_lead, c->ref.demand_from,
                 c->ref.regions_from);
    for (int k = 0; k < c->n_notes; k++)
        pl_html_para(h, "note", "Note: %s.", c->notes[k]);
    pl_html_section_end(h);
    cells_free(&t);
}

static void header_table(pl_html *h, const pl_cmp *c, const char *caption, const pl_cmp_row *rows, int nrows,
                         int inputs)
{
    int nc = c->n + 2;
    const char **head = calloc((size_t)nc, sizeof *head);
    char *align = calloc((size_t)nc + 1, 1);
    cells t;
    if (!head || !align || cells_new(&t, nc)) {
        h->body.oom = 1;
        free(head);
        free(align);
        return;
    }
    head[0] = inputs ? "input" : "setting";
    for (int i = 0; i < c->n; i++)
        head[1 + i] = c->plan[i].label;
    head[nc - 1] = "";
    memset(align, 'l', (size_t)nc);
    align[0] = 'n';
    pl_html_table_begin(h, caption, nc, head, align);
    for (int r = 0; r < nrows; r++) {
        cell(&t, 0, rows[r].key);
        for (int i = 0; i < c->n; i++) {
            const char *v = rows[r].val[i], *s = rows[r].src ? rows[r].src[i] : NULL;
            if (inputs && (v || s))
                snprintf(t.c[1 + i], sizeof t.c[1 + i], "%s%s%.12s%s", s ? base_name(s) : "", s && v ? " (" : "",
                         v ? v : "", s && v ? ")" : "");
            else
                cell(&t, 1 + i, v ? v : "-");
        }
        cell(&t, nc - 1, rows[r].same == 1 ? "same" : rows[r].same == 0 ? "differs" : "unknown");
        row(h, &t, rows[r].same == 0 ? "flag" : NULL);
    }
    pl_html_table_end(h);
    cells_free(&t);
    free(head);
    free(align);
}

static void section_header(pl_html *h, const pl_cmp *c)
{
    pl_html_section_begin(h, "inputs", "Inputs and settings");
    header_table(h, c, "Inputs by their SHA-256 (plan_meta)", c->inputs, c->n_inputs, 1);
    header_table(h, c, c->settings_from_json ? "Settings (plan_meta settings)" : "Settings (plan_meta and period budgets)",
                 c->settings, c->n_settings, 0);
    pl_html_section_end(h);
}

/* the KPIs drawn as charts */
static double k_covered(const pl_cmp_kpi *k) { return k->covered_share; }
static double k_on_time(const pl_cmp_kpi *k) { return k->on_time_share; }
static double k_white(const pl_cmp_kpi *k) { return k->whitelist_on_time_share; }
static double k_capex(const pl_cmp_kpi *k) { return k->capex; }
static double k_per_weight(const pl_cmp_kpi *k) { return k->capex_per_covered; }
static double k_on_air(const pl_cmp_kpi *k) { return k->sites_on_air; }
static double k_idle(const pl_cmp_kpi *k) { return k->idle_sites; }

/* one series per plan (at most 16) of one KPI; buf holds 16 x T values */
static void kpi_chart(pl_html *h, const pl_cmp *c, double *buf, double (*get)(const pl_cmp_kpi *), const pl_chart *tmpl)
{
    int T = c->T, n = c->n < 16 ? c->n : 16;
    pl_chart_series s[16];
    for (int i = 0; i < n; i++) {
        double *y = buf + (size_t)i * T;
        for (int t = 0; t < T; t++)
            y[t] = get(&c->plan[i].k[t]);
        s[i] = (pl_chart_series){c->plan[i].label, y};
    }
    pl_chart ch = *tmpl;
    ch.n_x = T;
    ch.x = (const char *const *)c->sc->period_label;
    ch.n_s = n;
    ch.s = s;
    pl_html_chart(h, &ch);
}

static void section_kpi(pl_html *h, const pl_cmp *c)
{
    static const char *const head[] = {"period", "plan", "covered", "change", "on time", "change",
                                       "white-list on time", "change", "capex", "capex per covered weight",
                                       "sites on air", "idle sites"};
    enum { NC = sizeof head / sizeof *head };
    int T = c->T;
    double *buf = calloc((size_t)(c->n < 16 ? c->n : 16) * (size_t)T + 1, sizeof *buf);
    cells t;
    if (!buf || cells_new(&t, NC)) {
        h->body.oom = 1;
        free(buf);
        return;
    }
    pl_html_section_begin(h, "kpi", "KPIs per period, one definition");
    pl_html_charts_begin(h);
    kpi_chart(h, c, buf, k_covered, &(pl_chart){.title = "Demand covered", .unit = "% of the weight appeared", .percent = 1});
    kpi_chart(h, c, buf, k_on_time, &(pl_chart){.title = "Covered on time", .unit = "%", .percent = 1});
    kpi_chart(h, c, buf, k_white, &(pl_chart){.title = "White-list covered on time", .unit = "%", .percent = 1});
    kpi_chart(h, c, buf, k_capex, &(pl_chart){.title = "Capex per period", .unit = "M", .bars = 1, .scale = 1e6});
    kpi_chart(h, c, buf, k_per_weight, &(pl_chart){.title = "Capex per covered weight", .unit = "cumulative"});
    kpi_chart(h, c, buf, k_on_air, &(pl_chart){.title = "Sites on air", .unit = "sites"});
    kpi_chart(h, c, buf, k_idle, &(pl_chart){.title = "Idle sites", .unit = "built, serving no credited demand", .bars = 1});
    pl_html_charts_end(h);
    pl_html_table_begin(h, "Per period and plan (changes against the first plan)", NC, head, "nnrrrrrrrrrr");
    for (int p = 1; p <= T; p++)
        for (int i = 0; i < c->n; i++) {
            const pl_cmp_kpi *k = &c->plan[i].k[p - 1], *ka = &c->plan[0].k[p - 1];
            cell(&t, 0, c->sc->period_label[p - 1]);
            cell(&t, 1, c->plan[i].label);
            pl_fmt_share(t.c[2], t.v[2] = k->covered_share);
            pl_fmt_share(t.c[4], t.v[4] = k->on_time_share);
            pl_fmt_share(t.c[6], t.v[6] = k->whitelist_on_time_share);
            if (i) {
                pl_fmt_pp(t.c[3], t.v[3] = k->covered_share - ka->covered_share);
                pl_fmt_pp(t.c[5], t.v[5] = k->on_time_share - ka->on_time_share);
                pl_fmt_pp(t.c[7], t.v[7] = k->whitelist_on_time_share - ka->whitelist_on_time_share);
            }
            pl_fmt_money(t.c[8], t.v[8] = k->capex);
            t.v[9] = k->capex_per_covered;
            if (isfinite(k->capex_per_covered))
                snprintf(t.c[9], sizeof t.c[9], "%.0f", k->capex_per_covered);
            else
                cell(&t, 9, "-");
            pl_fmt_int(t.c[10], k->sites_on_air);
            t.v[10] = k->sites_on_air;
            pl_fmt_int(t.c[11], k->idle_sites);
            t.v[11] = k->idle_sites;
            row(h, &t, NULL);
        }
    pl_html_table_end(h);
    pl_html_para(h, "note", "Capex per covered weight: capex spent up to the period over the reference weight "
                 "covered in it. Idle sites: sites the plan built that are on air in the period but serve no "
                 "reference demand that earns credit yet (existing sites are not counted).");
    pl_html_section_end(h);
    cells_free(&t);
    free(buf);
}

/* The sites of plan A and plan b by change, over the reference regions and
 * the demand whose coverage changes. */
static int diff_map(pl_html *h, const pl_cmp *c, int b, r5g_err *err)
{
    const pl_cmp_ref *r = &c->ref;
    pl_svg_box e;
    pl_svg_box_init(&e);
    for (size_t k = 0; k < c->n_sites; k++) {
        const pl_cmp_site *d = &c->sites[k];
        if (d->b != b)
            continue;
        const pl_cmp_plan *q = d->sa >= 0 ? &c->plan[0] : &c->plan[b];
        int s = d->sa >= 0 ? d->sa : d->sb;
        pl_svg_box_add(&e, q->sx[s], q->sy[s]);
    }
    for (size_t j = 0; j < r->nd; j++)
        pl_svg_box_add(&e, r->x[j], r->y[j]);
    pl_svg_box_rings(&e, r->regions, r->nr);
    pl_svg_frame f;
    pl_svg_frame_init(&f, e.x0, e.y0, e.x1, e.y1, 1000, 1100);
    char title[200];
    snprintf(title, sizeof title, "sites of %s and %s by change", c->plan[0].label, c->plan[b].label);
    r5g_str *s = &h->body;
    pl_svg_map_begin(s, &f, title);
    const char **names = calloc(r->nr + 1, sizeof *names);
    if (!names)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (size_t g = 0; g < r->nr; g++)
        names[g] = r->r_name[g] ? r->r_name[g] : r->r_id[g];
    int rc = pl_svg_regions(s, &f, r->regions, r->nr, names, err);
    free(names);
    if (rc)
        return rc;
    r5g_str_append(s, "<g>");
    size_t n_pair = 0, seen = 0;
    for (size_t k = 0; k < c->n_dem; k++)
        n_pair += c->dem[k].b == b;
    size_t stride = n_pair > MAX_POINTS ? (n_pair + MAX_POINTS - 1) / MAX_POINTS : 1;
    for (size_t k = 0; k < c->n_dem; k++) {
        const pl_cmp_dem *d = &c->dem[k];
        if (d->b != b || (seen++ % stride && !r->white[d->j])) /* every white-listed point, every k-th other */
            continue;
        char cls[16];
        snprintf(cls, sizeof cls, "y%d%s", (int)d->change, r->white[d->j] ? " wl" : "");
        pl_svg_marker(s, &f, r->x[d->j], r->y[d->j], r->white[d->j] ? PL_SVG_STAR : PL_SVG_CIRCLE,
                      r->white[d->j] ? 11 : 5, cls, r->white[d->j] ? r->id[d->j] : NULL);
    }
    r5g_str_append(s, "</g>\n<g>");
    for (int pass = 0; pass < 2; pass++) /* unchanged sites below the others */
        for (size_t k = 0; k < c->n_sites; k++) {
            const pl_cmp_site *d = &c->sites[k];
            if (d->b != b || (d->change == PL_SITE_SAME) != (pass == 0))
                continue;
            const pl_cmp_plan *q = d->sa >= 0 ? &c->plan[0] : &c->plan[b];
            int st = d->sa >= 0 ? d->sa : d->sb;
            char cls[8], tip[160];
            snprintf(cls, sizeof cls, "x%d", (int)d->change);
            snprintf(tip, sizeof tip, "%s: %s", q->p->s_id[st], pl_site_change_name(d->change));
            pl_svg_marker(s, &f, q->sx[st], q->sy[st],
                          d->change == PL_SITE_SAME ? PL_SVG_CIRCLE
                          : d->change <= PL_SITE_ONLY_B ? PL_SVG_TRIANGLE : PL_SVG_DIAMOND,
                          d->change == PL_SITE_SAME ? 5 : 10, cls, tip);
        }
    r5g_str_append(s, "</g>\n");
    pl_svg_map_end(s, &f);
    if (stride > 1)
        pl_html_para(h, "note", "%zu demand points change: every %zu-th of those not white-listed is drawn (all "
                     "white-listed points are).", n_pair, stride);
    return 0;
}

static void diff_legend(pl_html *h, const pl_cmp *c, int b)
{
    char lab[PL_SITE_N + PL_DEM_N][160];
    snprintf(lab[0], sizeof lab[0], "site only in %s", c->plan[0].label);
    snprintf(lab[1], sizeof lab[1], "site only in %s", c->plan[b].label);
    snprintf(lab[2], sizeof lab[2], "built earlier in %s", c->plan[b].label);
    snprintf(lab[3], sizeof lab[3], "built later in %s", c->plan[b].label);
    snprintf(lab[4], sizeof lab[4], "the same period");
    snprintf(lab[5], sizeof lab[5], "demand that loses coverage");
    snprintf(lab[6], sizeof lab[6], "becomes late");
    snprintf(lab[7], sizeof lab[7], "gains coverage");
    snprintf(lab[8], sizeof lab[8], "becomes on time (stars: white-listed)");
    r5g_str_append(&h->body, "<div class=\"legend\">");
    for (int k = 0; k < PL_SITE_N + PL_DEM_N; k++) {
        char cls[8];
        snprintf(cls, sizeof cls, k < PL_SITE_N ? "x%d" : "y%d", k < PL_SITE_N ? k : k - PL_SITE_N);
        r5g_str_append(&h->body, "<span>");
        pl_svg_swatch(&h->body, k < 2 ? PL_SVG_TRIANGLE : k < 4 ? PL_SVG_DIAMOND : PL_SVG_CIRCLE, cls);
        r5g_str_append_xml(&h->body, lab[k]);
        r5g_str_append(&h->body, "</span>");
    }
    r5g_str_append(&h->body, "</div>\n");
}

static int section_sites(pl_html *h, const pl_cmp *c, r5g_err *err)
{
    static const char *const head[] = {"site", "plan", "change", "built in A", "built in the other plan", "shift"};
    enum { NC = sizeof head / sizeof *head };
    cells t;
    if (cells_new(&t, NC))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    pl_html_section_begin(h, "sites", "Site differences");
    int rc = 0;
    for (int b = 1; rc == 0 && b < c->n; b++) {
        const pl_cmp_pair *g = &c->pair[b - 1];
        char sub[200];
        snprintf(sub, sizeof sub, "%s against %s", c->plan[0].label, c->plan[b].label);
        pl_html_subheading(h, sub);
        pl_html_para(h, NULL, "%d sites only in %s, %d only in %s, %d built earlier and %d later in %s, %d in the "
                     "same period.", g->n_site[PL_SITE_ONLY_A], c->plan[0].label, g->n_site[PL_SITE_ONLY_B],
                     c->plan[b].label, g->n_site[PL_SITE_EARLIER], g->n_site[PL_SITE_LATER], c->plan[b].label,
                     g->n_site[PL_SITE_SAME]);
        diff_legend(h, c, b);
        if ((rc = diff_map(h, c, b, err)))
            break;
        pl_html_table_begin(h, "Sites that differ", NC, head, "nnnnnr");
        int shown = 0, total = 0;
        for (size_t k = 0; k < c->n_sites; k++) {
            const pl_cmp_site *d = &c->sites[k];
            if (d->b != b || d->change == PL_SITE_SAME)
                continue;
            if (total++ >= MAX_ROWS)
                continue;
            shown++;
            const pl_plan *pa = c->plan[0].p, *pb = c->plan[b].p;
            int ta = d->sa >= 0 ? pa->s_on_air[d->sa] : 0, tb = d->sb >= 0 ? pb->s_on_air[d->sb] : 0;
            cell(&t, 0, d->sa >= 0 ? pa->s_id[d->sa] : pb->s_id[d->sb]);
            cell(&t, 1, c->plan[b].label);
            cell(&t, 2, pl_site_change_name(d->change));
            cell(&t, 3, ta ? c->sc->period_label[ta - 1] : "-");
            cell(&t, 4, tb ? c->sc->period_label[tb - 1] : "-");
            if (ta && tb) {
                snprintf(t.c[5], sizeof t.c[5], "%+d", tb - ta);
                t.v[5] = tb - ta;
            }
            row(h, &t, NULL);
        }
        pl_html_table_end(h);
        if (total > shown)
            pl_html_para(h, "note", "The first %d of %d rows; all are in the site_diff layer and the JSON.", shown,
                         total);
    }
    pl_html_section_end(h);
    cells_free(&t);
    return rc;
}

static void section_demand(pl_html *h, const pl_cmp *c)
{
    static const char *const head[] = {"demand point", "plan", "white-listed", "appears", "covered in A",
                                       "covered in the other plan", "change"};
    enum { NC = sizeof head / sizeof *head };
    cells t;
    if (cells_new(&t, NC)) {
        h->body.oom = 1;
        return;
    }
    pl_html_section_begin(h, "demand", "Demand that changes");
    for (int b = 1; b < c->n; b++) {
        const pl_cmp_pair *g = &c->pair[b - 1];
        pl_html_para(h, NULL, "%s against %s: %d points lose coverage (%d white-listed), %d become late (%d), %d "
                     "gain coverage (%d), %d become on time (%d).", c->plan[0].label, c->plan[b].label,
                     g->n_dem[PL_DEM_LOST], g->n_dem_white[PL_DEM_LOST], g->n_dem[PL_DEM_LATE],
                     g->n_dem_white[PL_DEM_LATE], g->n_dem[PL_DEM_GAINED], g->n_dem_white[PL_DEM_GAINED],
                     g->n_dem[PL_DEM_ON_TIME], g->n_dem_white[PL_DEM_ON_TIME]);
    }
    pl_html_table_begin(h, "White-listed points first", NC, head, "nnnnnnn");
    size_t shown = 0;
    for (size_t k = 0; k < c->n_dem && shown < MAX_ROWS; k++, shown++) {
        const pl_cmp_dem *d = &c->dem[k];
        int ca = c->plan[0].cov[d->j], cb = c->plan[d->b].cov[d->j];
        cell(&t, 0, c->ref.id[d->j]);
        cell(&t, 1, c->plan[d->b].label);
        cell(&t, 2, c->ref.white[d->j] ? "yes" : "");
        cell(&t, 3, c->sc->period_label[c->ref.period[d->j] - 1]);
        cell(&t, 4, ca ? c->sc->period_label[ca - 1] : "never");
        cell(&t, 5, cb ? c->sc->period_label[cb - 1] : "never");
        cell(&t, 6, pl_dem_change_name(d->change));
        row(h, &t, d->change <= PL_DEM_LATE && c->ref.white[d->j] ? "flag" : NULL);
    }
    pl_html_table_end(h);
    if (c->n_dem > shown)
        pl_html_para(h, "note", "The first %zu of %zu rows; all are in the demand_diff layer and the JSON.", shown,
                     c->n_dem);
    pl_html_section_end(h);
    cells_free(&t);
}

static void section_regions(pl_html *h, const pl_cmp *c)
{
    const pl_cmp_ref *r = &c->ref;
    int T = c->T, nc = 3 + 3 * c->n;
    const char **head = calloc((size_t)nc, sizeof *head);
    char (*hd)[200] = calloc((size_t)nc, sizeof *hd);
    char *align = calloc((size_t)nc + 1, 1);
    cells t;
    if (!head || !hd || !align || cells_new(&t, nc)) {
        h->body.oom = 1;
        goto out;
    }
    head[0] = "region";
    head[1] = "id";
    head[2] = "population";
    for (int i = 0; i < c->n; i++) {
        snprintf(hd[3 * i], sizeof hd[0], "covered, %s", c->plan[i].label);
        snprintf(hd[3 * i + 1], sizeof hd[0], i ? "change, %s" : "on time, %s", c->plan[i].label);
        snprintf(hd[3 * i + 2], sizeof hd[0], "sites per 10k, %s", c->plan[i].label);
        for (int k = 0; k < 3; k++)
            head[3 + 3 * i + k] = hd[3 * i + k];
    }
    memset(align, 'r', (size_t)nc);
    align[0] = align[1] = 'n';
    pl_html_section_begin(h, "regions", "Regions");
    char cap[160];
    snprintf(cap, sizeof cap, "In %s (every period is in the region_diff layer)", c->sc->period_label[T - 1]);
    pl_html_table_begin(h, cap, nc, head, align);
    for (size_t g = 0; g < r->nr; g++) {
        size_t at = g * (size_t)T + (size_t)(T - 1);
        cell(&t, 0, r->r_name[g]);
        cell(&t, 1, r->r_id[g]);
        pl_fmt_num(t.c[2], t.v[2] = r->r_pop[g]);
        for (int i = 0; i < c->n; i++) {
            const pl_cmp_plan *q = &c->plan[i];
            pl_fmt_share(t.c[3 + 3 * i], t.v[3 + 3 * i] = q->r_cov[at]);
            if (i)
                pl_fmt_pp(t.c[4 + 3 * i], t.v[4 + 3 * i] = q->r_cov[at] - c->plan[0].r_cov[at]);
            else
                pl_fmt_share(t.c[4], t.v[4] = q->r_ontime[at]);
            double pop = r->r_pop[g], per = isfinite(pop) && pop > 0 ? q->r_sites[at] * 1e4 / pop : NAN;
            t.v[5 + 3 * i] = per;
            if (isfinite(per))
                snprintf(t.c[5 + 3 * i], sizeof t.c[0], "%.2f", per);
            else
                cell(&t, 5 + 3 * i, "-");
        }
        row(h, &t, NULL);
    }
    pl_html_table_end(h);
    pl_html_section_end(h);
    cells_free(&t);
out:
    free(head);
    free(hd);
    free(align);
}

static void section_colocation(pl_html *h, const pl_cmp *c)
{
    static const char *const head[] = {"site", "plan", "site", "plan", "distance", "both on air from"};
    enum { NC = sizeof head / sizeof *head };
    cells t;
    if (cells_new(&t, NC)) {
        h->body.oom = 1;
        return;
    }
    pl_html_section_begin(h, "colocation", "Co-location candidates");
    pl_html_para(h, NULL, "%zu pairs of sites of different carriers (plans whose candidates differ) on air within "
                 "%g m of each other: candidates for sharing one tower.", c->n_coloc, c->share_distance);
    pl_html_table_begin(h, NULL, NC, head, "nnnnrn");
    for (size_t k = 0; k < c->n_coloc && k < MAX_ROWS; k++) {
        const pl_cmp_coloc *d = &c->coloc[k];
        const pl_plan *pa = c->plan[d->pa].p, *pb = c->plan[d->pb].p;
        int ta = pa->s_on_air[d->sa], tb = pb->s_on_air[d->sb];
        cell(&t, 0, pa->s_id[d->sa]);
        cell(&t, 1, c->plan[d->pa].label);
        cell(&t, 2, pb->s_id[d->sb]);
        cell(&t, 3, c->plan[d->pb].label);
        snprintf(t.c[4], sizeof t.c[4], "%.0f m", t.v[4] = d->dist);
        cell(&t, 5, c->sc->period_label[(ta > tb ? ta : tb) - 1]);
        row(h, &t, NULL);
    }
    pl_html_table_end(h);
    if (c->n_coloc > MAX_ROWS)
        pl_html_para(h, "note", "The first %d of %zu pairs; all are in the colocation layer and the JSON.", MAX_ROWS,
                     c->n_coloc);
    pl_html_section_end(h);
    cells_free(&t);
}

static int section_maps(pl_html *h, const pl_cmp *c, r5g_err *err)
{
    pl_html_section_begin(h, "maps", "Each plan, period by period");
    pl_html_plan_legend(h);
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->n; i++) {
        const pl_plan *p = c->plan[i].p;
        int T = p->sc->n_periods;
        pl_html_subheading(h, c->plan[i].label);
        pl_svg_frame f;
        pl_html_plan_frame(&f, p, 1000);
        pl_html_periods_begin(h, T, (const char *const *)p->sc->period_label, T);
        for (int t = 1; rc == 0 && t <= T; t++) {
            char cap[200];
            snprintf(cap, sizeof cap, "%s, %s: %d sites on air", c->plan[i].label, p->sc->period_label[t - 1],
                     p->pk[t - 1].sites_on_air);
            pl_html_period_begin(h, t, cap);
            rc = pl_html_plan_map(h, p, &f, t, err);
            pl_html_period_end(h);
        }
        pl_html_periods_end(h);
    }
    pl_html_para(h, "note", "These maps show each plan as it was made: its own demand, coverage and lead.");
    pl_html_section_end(h);
    return rc;
}

char *pl_cmp_html(const pl_cmp *c, r5g_err *err)
{
    pl_html h = PL_HTML_INIT;
    r5g_str title = R5G_STR_INIT;
    r5g_str_append(&title, "Comparison of plans: ");
    for (int i = 0; i < c->n; i++) {
        r5g_str_append(&title, i ? ", " : "");
        r5g_str_append(&title, c->plan[i].label);
    }
    const char *tt = r5g_str_text(&title);
    pl_html_css(&h, compare_css);
    pl_html_title(&h, tt ? tt : "Comparison of plans", c->plan[0].p->sc->name);
    section_plans(&h, c);
    section_header(&h, c);
    section_kpi(&h, c);
    int rc = section_sites(&h, c, err);
    if (rc == 0) {
        section_demand(&h, c);
        if (c->ref.nr)
            section_regions(&h, c);
        if (c->n_coloc)
            section_colocation(&h, c);
        rc = section_maps(&h, c, err);
    }
    char *doc = rc ? NULL : pl_html_finish(&h, tt ? tt : "Comparison of plans");
    pl_html_dispose(&h);
    r5g_str_dispose(&title);
    return doc;
}
