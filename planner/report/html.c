/* Self-contained HTML reports (see html.h): the document and its pieces,
 * and the plan report of `plan --html`. Nothing here refers to anything
 * outside the file: no URL, font, script or image. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/report/html.h"

/* ---- number formats ----------------------------------------------------------- */

const char *pl_fmt_share(char *buf, double v)
{
    if (!isfinite(v))
        snprintf(buf, PL_FMT_N, "-");
    else
        snprintf(buf, PL_FMT_N, "%.1f %%", 100 * v);
    return buf;
}

const char *pl_fmt_pp(char *buf, double d)
{
    if (!isfinite(d))
        snprintf(buf, PL_FMT_N, "-");
    else if (fabs(d) < 5e-4)
        snprintf(buf, PL_FMT_N, "0.0 pp");
    else
        snprintf(buf, PL_FMT_N, "%+.1f pp", 100 * d);
    return buf;
}

const char *pl_fmt_money(char *buf, double v)
{
    if (isinf(v) && v > 0)
        snprintf(buf, PL_FMT_N, "unlimited");
    else if (!isfinite(v))
        snprintf(buf, PL_FMT_N, "-");
    else
        snprintf(buf, PL_FMT_N, "%.2f M", v / 1e6);
    return buf;
}

const char *pl_fmt_num(char *buf, double v)
{
    if (!isfinite(v))
        snprintf(buf, PL_FMT_N, "-");
    else
        snprintf(buf, PL_FMT_N, "%.6g", v);
    return buf;
}

const char *pl_fmt_int(char *buf, long long v)
{
    snprintf(buf, PL_FMT_N, "%lld", v);
    return buf;
}

/* ---- the document ------------------------------------------------------------- */

static const char stylesheet[] =
    ":root{--fg:#1f2328;--mut:#59636e;--line:#d1d9e0;--head:#f6f8fa;--acc:#0969da}\n"
    "html{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\","
    "\"Noto Sans\",\"DejaVu Sans\",sans-serif;color:var(--fg);background:#fff}\n"
    "body{max-width:1120px;margin:0 auto;padding:20px 28px;font-size:14px;line-height:1.45}\n"
    "h1{font-size:23px;margin:0 0 4px}h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;"
    "border-bottom:1px solid var(--line)}h3{font-size:15px;margin:14px 0 6px}\n"
    ".sub{color:var(--mut);margin:0 0 14px;word-break:break-all}.note{color:var(--mut);font-size:13px}\n"
    ".flagged{background:#fff8c5;border-left:4px solid #d4a72c;padding:6px 10px}\n"
    ".wrap{overflow-x:auto;margin:6px 0 16px}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}\n"
    "th,td{border:1px solid var(--line);padding:3px 8px;text-align:right;vertical-align:top}\n"
    "th{background:var(--head);font-weight:600}th.l,td.l{text-align:left}\n"
    "td.l{overflow-wrap:break-word;max-width:420px}td.n{white-space:nowrap}tr.flag td{background:#fff8c5}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:14px}\n"
    ".charts figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px;box-sizing:border-box}\n"
    "svg.chart{width:100%;height:auto;display:block}\n"
    ".ct{font-size:14px;font-weight:600;fill:var(--fg)}.cl{font-size:12px;fill:var(--fg)}\n"
    ".ax{font-size:11px;fill:var(--mut)}.grid{stroke:#e6e9ed;fill:none}.axis{fill:none;stroke:var(--mut)}\n"
    ".ln{fill:none;stroke-width:2.2}\n"
    "svg.map{width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:4px}\n"
    ".bg{fill:#f8fafc}.rg{fill:#edf1f5;stroke:#8c959f;stroke-width:1.2}\n"
    ".rgl{font-size:15px;fill:#424a53;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
    ".cov{fill:#2f81c7;opacity:.22}\n"
    ".d-ok{fill:#1a9641}.d-late{fill:#f08c3a}.d-no{fill:#d7191c}.wl{stroke:#000;stroke-width:.8}\n"
    ".s-ex{fill:#8c8c8c;stroke:#333;stroke-width:.6}\n"
    ".scale path{fill:none;stroke:#222;stroke-width:1.6}.scale text{font-size:13px;fill:#222}"
    ".scalebg{fill:#fff;fill-opacity:.85}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px;margin:6px 0}"
    ".legend span{white-space:nowrap}.sw{vertical-align:middle;margin-right:4px}\n"
    ".periods>input{position:absolute;opacity:0;width:1px;height:1px}\n"
    ".periods>label{display:inline-block;padding:3px 12px;margin:0 4px 8px 0;border:1px solid var(--line);"
    "border-radius:14px;cursor:pointer;font-size:13px}\n"
    ".periods>input:focus-visible+label{outline:2px solid var(--acc)}\n"
    ".periods>input:checked+label{background:var(--acc);color:#fff;border-color:var(--acc)}\n"
    ".periods>.pm{display:none}.pm h3{margin:4px 0}\n"
    "@media print{\n"
    "  @page{size:A4;margin:12mm}\n"
    "  body{max-width:none;padding:0;font-size:10pt}\n"
    "  h2{break-before:page;page-break-before:always}section:first-of-type h2{break-before:auto;"
    "page-break-before:auto}\n"
    "  h2,h3,caption{break-after:avoid;page-break-after:avoid}\n"
    "  .wrap{overflow:visible}table{font-size:8pt;width:100%}td.l{max-width:none}\n"
    "  thead{display:table-header-group}tr,figure{break-inside:avoid;page-break-inside:avoid}\n"
    "  .charts{display:block}.charts figure{display:inline-block;width:48%;vertical-align:top;"
    "margin:0 1% 8px 0;border:none}\n"
    "  .periods>input,.periods>label{display:none}\n"
    "  .periods>.pm{display:inline-block!important;width:49%;vertical-align:top;margin:0 0 8px;"
    "break-inside:avoid;page-break-inside:avoid}\n"
    "  .periods>.pm:nth-of-type(2n){margin-left:1%}\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

void pl_html_css(pl_html *h, const char *rules) { r5g_str_append(&h->css, rules); }

void pl_html_use_periods(pl_html *h, int T)
{
    if (T > h->n_periods)
        h->n_periods = T;
}

void pl_html_dispose(pl_html *h)
{
    r5g_str_dispose(&h->body);
    r5g_str_dispose(&h->css);
    free(h->align);
    *h = (pl_html)PL_HTML_INIT;
}

char *pl_html_finish(pl_html *h, const char *title)
{
    r5g_str d = R5G_STR_INIT;
    r5g_str_append(&d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"rollout5g " PACKAGE_VERSION "\">\n<title>");
    r5g_str_append_xml(&d, title);
    r5g_str_append(&d, "</title>\n<style>\n");
    r5g_str_append(&d, stylesheet);
    for (int t = 1; t <= h->n_periods; t++)
        r5g_str_appendf(&d, ".pc%d{fill:%s;stroke:#222;stroke-width:.6}\n", t, pl_svg_period_color(t, h->n_periods));
    for (int k = 1; k <= h->max_sel; k++)
        r5g_str_appendf(&d, ".periods>input.k%d:checked~.pm.k%d{display:block}\n", k, k);
    r5g_str_append(&d, r5g_str_text(&h->css) ? r5g_str_text(&h->css) : "");
    r5g_str_append(&d, "</style>\n</head>\n<body>\n");
    const char *body = r5g_str_text(&h->body);
    int oom = h->body.oom || h->css.oom;
    r5g_str_append(&d, body ? body : "");
    r5g_str_append(&d, "</body>\n</html>\n");
    pl_html_dispose(h);
    if (oom) {
        r5g_str_dispose(&d);
        return NULL;
    }
    return r5g_str_finish(&d);
}

void pl_html_raw(pl_html *h, const char *markup) { r5g_str_append(&h->body, markup); }

/* open, the text escaped, close */
static void tagged(r5g_str *b, const char *open, const char *text, const char *close)
{
    r5g_str_append(b, open);
    r5g_str_append_xml(b, text ? text : "");
    r5g_str_append(b, close);
}

void pl_html_subheading(pl_html *h, const char *text) { tagged(&h->body, "<h3>", text, "</h3>\n"); }

void pl_html_title(pl_html *h, const char *title, const char *subtitle)
{
    tagged(&h->body, "<header><h1>", title, "</h1>");
    if (subtitle)
        tagged(&h->body, "<p class=\"sub\">", subtitle, "</p>");
    r5g_str_append(&h->body, "</header>\n");
}

void pl_html_section_begin(pl_html *h, const char *id, const char *title)
{
    r5g_str_appendf(&h->body, "<section id=\"%s\">", id);
    tagged(&h->body, "<h2>", title, "</h2>\n");
}

void pl_html_section_end(pl_html *h) { r5g_str_append(&h->body, "</section>\n"); }

void pl_html_para(pl_html *h, const char *cls, const char *fmt, ...)
{
    r5g_str t = R5G_STR_INIT;
    va_list ap;
    va_start(ap, fmt);
    r5g_str_vappendf(&t, fmt, ap);
    va_end(ap);
    if (cls)
        r5g_str_appendf(&h->body, "<p class=\"%s\">", cls);
    else
        r5g_str_append(&h->body, "<p>");
    if (t.oom)
        h->body.oom = 1;
    r5g_str_append_xml(&h->body, r5g_str_text(&t) ? r5g_str_text(&t) : "");
    r5g_str_append(&h->body, "</p>\n");
    r5g_str_dispose(&t);
}

/* ---- tables ------------------------------------------------------------------- */

/* 'l' text, 'n' text kept on one line (ids, labels), 'r' numbers */
static const char *align_class(const char *align, int k)
{
    char a = align && (int)strlen(align) > k ? align[k] : 'r';
    return a == 'l' ? " class=\"l\"" : a == 'n' ? " class=\"l n\"" : "";
}

void pl_html_table_begin(pl_html *h, const char *caption, int ncol, const char *const *head,
                         const char *align)
{
    free(h->align);
    h->align = align ? r5g_strdup(align) : NULL;
    if (align && !h->align)
        h->body.oom = 1;
    r5g_str_append(&h->body, "<div class=\"wrap\"><table>");
    if (caption)
        tagged(&h->body, "<caption>", caption, "</caption>");
    r5g_str_append(&h->body, "<thead><tr>");
    for (int k = 0; k < ncol; k++)
        tagged(&h->body, *align_class(align, k) ? "<th class=\"l\">" : "<th>", head[k], "</th>");
    r5g_str_append(&h->body, "</tr></thead>\n<tbody>\n");
}

void pl_html_table_row(pl_html *h, int ncol, const char *const *cells, const double *vals, const char *cls)
{
    if (cls)
        r5g_str_appendf(&h->body, "<tr class=\"%s\">", cls);
    else
        r5g_str_append(&h->body, "<tr>");
    for (int k = 0; k < ncol; k++) {
        r5g_str_append(&h->body, "<td");
        r5g_str_append(&h->body, align_class(h->align, k));
        if (vals && isfinite(vals[k]))
            r5g_str_appendf(&h->body, " data-v=\"%.10g\"", vals[k]);
        tagged(&h->body, ">", cells[k], "</td>");
    }
    r5g_str_append(&h->body, "</tr>\n");
}

void pl_html_table_end(pl_html *h)
{
    r5g_str_append(&h->body, "</tbody></table></div>\n");
    free(h->align);
    h->align = NULL;
}

/* ---- charts and period selectors ------------------------------------------------ */

void pl_html_charts_begin(pl_html *h) { r5g_str_append(&h->body, "<div class=\"charts\">\n"); }
void pl_html_charts_end(pl_html *h) { r5g_str_append(&h->body, "</div>\n"); }

void pl_html_chart(pl_html *h, const pl_chart *c)
{
    r5g_str_append(&h->body, "<figure>");
    pl_svg_chart(&h->body, c);
    r5g_str_append(&h->body, "</figure>\n");
}

void pl_html_periods_begin(pl_html *h, int T, const char *const *labels, int checked)
{
    int g = ++h->n_sel;
    if (T > h->max_sel)
        h->max_sel = T;
    r5g_str_append(&h->body, "<div class=\"periods\">\n");
    for (int t = 1; t <= T; t++) {
        r5g_str_appendf(&h->body, "<input type=\"radio\" name=\"sel%d\" id=\"sel%d-%d\" class=\"k%d\"%s>"
                                  "<label for=\"sel%d-%d\">", g, g, t, t, t == checked ? " checked" : "", g, t);
        tagged(&h->body, "", labels[t - 1], "</label>\n");
    }
}

void pl_html_period_begin(pl_html *h, int t, const char *caption)
{
    r5g_str_appendf(&h->body, "<div class=\"pm k%d\">", t);
    tagged(&h->body, "<h3>", caption, "</h3>\n");
}

void pl_html_period_end(pl_html *h) { r5g_str_append(&h->body, "</div>\n"); }
void pl_html_periods_end(pl_html *h) { r5g_str_append(&h->body, "</div>\n"); }

/* ---- a plan's map ---------------------------------------------------------------- */

enum { MAX_POINTS = 20000 };

void pl_html_plan_frame(pl_svg_frame *f, const pl_plan *p, double width)
{
    pl_svg_box e;
    pl_svg_box_init(&e);
    for (size_t s = 0; s < p->ns; s++)
        if (p->s_on_air[s]) { /* with the whole coverage disc */
            double r = isfinite(p->s_radius[s]) ? p->s_radius[s] : 0;
            pl_svg_box_add(&e, p->s_x[s] - r, p->s_y[s] - r);
            pl_svg_box_add(&e, p->s_x[s] + r, p->s_y[s] + r);
        }
    for (size_t j = 0; j < p->nd; j++)
        pl_svg_box_add(&e, p->d_x[j], p->d_y[j]);
    pl_svg_box_rings(&e, p->regions, p->nr);
    pl_svg_frame_init(f, e.x0, e.y0, e.x1, e.y1, width, width * 1.1);
}

/* region names, their ids where a name is missing */
static const char **region_names(const pl_plan *p)
{
    const char **n = calloc(p->nr + 1, sizeof *n);
    for (size_t g = 0; n && g < p->nr; g++)
        n[g] = p->r_name[g] ? p->r_name[g] : p->r_id[g];
    return n;
}

int pl_html_plan_map(pl_html *h, const pl_plan *p, const pl_svg_frame *f, int t, r5g_err *err)
{
    r5g_str *b = &h->body;
    int T = p->sc->n_periods;
    char title[160];
    snprintf(title, sizeof title, "plan map, %s", p->sc->period_label[t - 1]);
    pl_html_use_periods(h, T);
    pl_svg_map_begin(b, f, title);
    const char **names = region_names(p);
    int rc = names ? pl_svg_regions(b, f, p->regions, p->nr, names, err) : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(names);
    if (rc)
        return rc;
    r5g_str_append(b, "<g class=\"cov\">");
    for (size_t s = 0; s < p->ns; s++)
        if (p->s_on_air[s] && p->s_on_air[s] <= t)
            pl_svg_disc(b, f, p->s_x[s], p->s_y[s], p->s_radius[s]);
    r5g_str_append(b, "</g>\n<g>");
    size_t stride = p->nd > MAX_POINTS ? (p->nd + MAX_POINTS - 1) / MAX_POINTS : 1;
    for (int wl = 0; wl <= 1; wl++) /* white-listed points on top */
        for (size_t j = 0; j < p->nd; j += wl ? 1 : stride) {
            if (p->d_white[j] != wl || p->d_period[j] > t)
                continue;
            int a = p->d_period[j], c = p->d_cov[j], due = a - p->sc->lead_periods < 1 ? 1 : a - p->sc->lead_periods;
            const char *cls = c > 0 && c <= due ? (wl ? "d-ok wl" : "d-ok")
                              : c > 0 && c <= t ? (wl ? "d-late wl" : "d-late")
                                                : (wl ? "d-no wl" : "d-no");
            pl_svg_marker(b, f, p->d_x[j], p->d_y[j], wl ? PL_SVG_STAR : PL_SVG_CIRCLE, wl ? 11 : 4.5, cls,
                          wl ? p->d_id[j] : NULL);
        }
    r5g_str_append(b, "</g>\n<g>");
    for (size_t s = 0; s < p->ns; s++) {
        int on = p->s_on_air[s];
        if (!on || on > t)
            continue;
        char cls[16], tip[200];
        int ex = p->s_kind[s] == PL_KIND_EXISTING;
        snprintf(cls, sizeof cls, ex ? "s-ex" : "pc%d", on);
        snprintf(tip, sizeof tip, "%s (%s%s)", p->s_id[s], ex ? "existing" : "built ",
                 ex ? "" : p->sc->period_label[on - 1]);
        pl_svg_marker(b, f, p->s_x[s], p->s_y[s], ex ? PL_SVG_SQUARE : PL_SVG_TRIANGLE, 9, cls, tip);
    }
    r5g_str_append(b, "</g>\n");
    pl_svg_map_end(b, f);
    if (stride > 1)
        pl_html_para(h, "note", "%zu demand points: every %zu-th of those not white-listed is drawn "
                     "(all white-listed points are).", p->nd, stride);
    return 0;
}

void pl_html_plan_legend(pl_html *h)
{
    static const struct {
        pl_svg_shape shape;
        const char *cls, *label;
    } items[] = {{PL_SVG_TRIANGLE, "pc1", "site, coloured by build period (dark = early)"},
                 {PL_SVG_SQUARE, "s-ex", "existing 5G site"},
                 {PL_SVG_CIRCLE, "cov", "coverage"},
                 {PL_SVG_CIRCLE, "d-ok", "demand covered on time"},
                 {PL_SVG_CIRCLE, "d-late", "covered late"},
                 {PL_SVG_CIRCLE, "d-no", "not covered"},
                 {PL_SVG_STAR, "d-ok wl", "white-listed enterprise"}};
    r5g_str_append(&h->body, "<div class=\"legend\">");
    for (size_t k = 0; k < sizeof items / sizeof *items; k++) {
        r5g_str_append(&h->body, "<span>");
        pl_svg_swatch(&h->body, items[k].shape, items[k].cls);
        r5g_str_append_xml(&h->body, items[k].label);
        r5g_str_append(&h->body, "</span>");
    }
    r5g_str_append(&h->body, "</div>\n");
}

/* ---- the plan report -------------------------------------------------------------- */

static void plan_summary(pl_html *h, const pl_plan *p)
{
    const pl_scenario *sc = p->sc;
    int T = sc->n_periods, built = 0;
    double spent = 0, budget = 0;
    for (size_t s = 0; s < p->ns; s++)
        built += p->s_on_air[s] > 0 && p->s_kind[s] != PL_KIND_EXISTING;
    for (int t = 0; t < T; t++) {
        spent += p->pk[t].capex;
        budget += p->pk[t].budget;
    }
    char a[PL_FMT_N], b[PL_FMT_N], c[PL_FMT_N], d[PL_FMT_N];
    pl_html_para(h, NULL, "%s plan, %s: objective %.6g, bound %.6g, gap %.3f %%. %d periods (%s to %s); "
                 "%d sites built for %s of %s budgeted.",
                 sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage", p->solve.status, p->objective,
                 p->bound, isfinite(p->gap) ? 100 * p->gap : NAN, T, sc->period_label[0], sc->period_label[T - 1],
                 built, pl_fmt_money(a, spent), pl_fmt_money(b, budget));
    pl_html_para(h, NULL, "In %s: %s of the demand that has appeared is covered, %s on time (lead %d "
                 "period%s); %d sites on air.",
                 sc->period_label[T - 1], pl_fmt_share(c, p->pk[T - 1].covered_share),
                 pl_fmt_share(d, p->pk[T - 1].on_time_share), sc->lead_periods, sc->lead_periods == 1 ? "" : "s",
                 p->pk[T - 1].sites_on_air);
}

static void plan_charts(pl_html *h, const pl_plan *p)
{
    int T = p->sc->n_periods;
    double *v = calloc((size_t)T * 5, sizeof *v);
    if (!v) {
        h->body.oom = 1;
        return;
    }
    for (int t = 0; t < T; t++) {
        v[t] = p->pk[t].covered_share;
        v[T + t] = p->pk[t].on_time_share;
        v[2 * T + t] = p->pk[t].capex;
        v[3 * T + t] = isfinite(p->pk[t].budget) ? p->pk[t].budget : NAN;
        v[4 * T + t] = p->pk[t].sites_on_air;
    }
    const char *const *x = (const char *const *)p->sc->period_label;
    pl_chart_series shares[2] = {{"covered", v}, {"on time", v + T}};
    pl_chart_series money[2] = {{"capex", v + 2 * T}, {"budget", v + 3 * T}};
    pl_chart_series sites[1] = {{"sites on air", v + 4 * T}};
    pl_html_charts_begin(h);
    pl_html_chart(h, &(pl_chart){.title = "Demand covered", .unit = "% of the weight appeared", .percent = 1,
                                 .n_x = T, .x = x, .n_s = 2, .s = shares});
    pl_html_chart(h, &(pl_chart){.title = "Capex and budget", .unit = "M", .bars = 1, .n_x = T, .x = x,
                                 .n_s = 2, .s = money, .scale = 1e6});
    pl_html_chart(h, &(pl_chart){.title = "Sites on air", .unit = "sites", .bars = 1, .n_x = T, .x = x,
                                 .n_s = 1, .s = sites});
    pl_html_charts_end(h);
    free(v);
}

/* One row per period; a plan with commitments (re-planning) gets a column
 * "committed": the sites and capex of the period decided before this plan
 * (part of its new sites, upgrades and capex). */
static void plan_kpi_table(pl_html *h, const pl_plan *p)
{
    static const char *const all[] = {"period", "budget", "capex", "new sites", "upgrades", "committed",
                                      "sites on air", "covered", "on time", "mean lead"};
    enum { NA = sizeof all / sizeof *all, COMMITTED = 5 };
    int any = 0;
    for (int t = 0; t < p->sc->n_periods; t++)
        any |= p->pk[t].committed_sites > 0;
    const char *head[NA];
    int nc = 0;
    for (int i = 0; i < NA; i++)
        if (i != COMMITTED || any)
            head[nc++] = all[i];
    pl_html_table_begin(h, "KPIs per period (period_kpi)", nc, head, any ? "nrrrrrrrrr" : "nrrrrrrrr");
    for (int t = 0; t < p->sc->n_periods; t++) {
        const pl_period_kpi *k = &p->pk[t];
        char c[NA][PL_FMT_N], money[PL_FMT_N];
        snprintf(c[0], PL_FMT_N, "%s", p->sc->period_label[t]);
        pl_fmt_money(c[1], k->budget);
        pl_fmt_money(c[2], k->capex);
        pl_fmt_int(c[3], k->new_sites);
        pl_fmt_int(c[4], k->upgrades);
        pl_fmt_money(money, k->committed_capex);
        if (k->committed_sites)
            snprintf(c[5], PL_FMT_N, "%d (%.*s)", k->committed_sites, PL_FMT_N - 16, money);
        else
            snprintf(c[5], PL_FMT_N, "-");
        pl_fmt_int(c[6], k->sites_on_air);
        pl_fmt_share(c[7], k->covered_share);
        pl_fmt_share(c[8], k->on_time_share);
        if (isnan(k->mean_lead))
            snprintf(c[9], PL_FMT_N, "-");
        else
            snprintf(c[9], PL_FMT_N, "%+.2f", k->mean_lead);
        double v[NA] = {NAN, k->budget, k->capex, k->new_sites, k->upgrades, k->committed_sites, k->sites_on_air,
                        k->covered_share, k->on_time_share, k->mean_lead};
        const char *cells[NA];
        double vals[NA];
        int n = 0;
        for (int i = 0; i < NA; i++)
            if (i != COMMITTED || any) {
                cells[n] = c[i];
                vals[n++] = v[i];
            }
        pl_html_table_row(h, nc, cells, vals, NULL);
    }
    pl_html_table_end(h);
}

/* Per region: population, sites on air and per 10k people in the last
 * period, and the covered share in every period (as region_kpi has them). */
static void plan_region_table(pl_html *h, const pl_plan *p)
{
    int T = p->sc->n_periods, nc = 5 + T;
    size_t nr = p->nr;
    const char **head = calloc((size_t)nc, sizeof *head);
    char (*cell)[PL_FMT_N] = calloc((size_t)nc, sizeof *cell);
    const char **cells = calloc((size_t)nc, sizeof *cells);
    double *vals = calloc((size_t)nc, sizeof *vals);
    double *w = calloc((nr + 1) * (size_t)T * 2, sizeof *w);
    int *on = calloc(nr + 1, sizeof *on);
    char *align = calloc((size_t)nc + 1, 1);
    char (*phead)[PL_FMT_N + 12] = calloc((size_t)T, sizeof *phead);
    if (!head || !cell || !cells || !vals || !w || !on || !align || !phead) {
        h->body.oom = 1;
        goto out;
    }
    head[0] = "region";
    head[1] = "id";
    head[2] = "population";
    head[3] = "sites on air";
    head[4] = "per 10k people";
    memset(align, 'r', (size_t)nc);
    align[0] = align[1] = 'n';
    for (int t = 0; t < T; t++) {
        snprintf(phead[t], sizeof phead[t], "covered %s", p->sc->period_label[t]);
        head[5 + t] = phead[t];
    }
    for (size_t s = 0; s < p->ns; s++)
        if (p->s_on_air[s] && p->s_region[s] >= 0)
            on[p->s_region[s]]++;
    for (size_t j = 0; j < p->nd; j++) {
        int g = p->d_region[j];
        if (g < 0)
            continue;
        for (int t = p->d_period[j]; t <= T; t++) { /* appeared by t; covered by t */
            w[((size_t)g * T + (size_t)(t - 1)) * 2] += p->d_eff[j];
            if (p->d_cov[j] > 0 && p->d_cov[j] <= t)
                w[((size_t)g * T + (size_t)(t - 1)) * 2 + 1] += p->d_eff[j];
        }
    }
    pl_html_table_begin(h, "Regions: sites in the last period, covered share per period (region_kpi)", nc, head,
                        align);
    for (size_t g = 0; g < nr; g++) {
        double pop = p->r_pop[g];
        snprintf(cell[0], PL_FMT_N, "%s", p->r_name[g] ? p->r_name[g] : "");
        snprintf(cell[1], PL_FMT_N, "%s", p->r_id[g] ? p->r_id[g] : "");
        pl_fmt_num(cell[2], pop);
        pl_fmt_int(cell[3], on[g]);
        double per = isfinite(pop) && pop > 0 ? on[g] * 1e4 / pop : NAN;
        if (isfinite(per))
            snprintf(cell[4], PL_FMT_N, "%.2f", per);
        else
            snprintf(cell[4], PL_FMT_N, "-");
        vals[0] = vals[1] = NAN;
        vals[2] = pop;
        vals[3] = on[g];
        vals[4] = per;
        for (int t = 0; t < T; t++) {
            double wt = w[(g * T + (size_t)t) * 2], wc = w[(g * T + (size_t)t) * 2 + 1];
            vals[5 + t] = wt > 0 ? wc / wt : NAN;
            pl_fmt_share(cell[5 + t], vals[5 + t]);
        }
        for (int k = 0; k < nc; k++)
            cells[k] = cell[k];
        pl_html_table_row(h, nc, cells, vals, NULL);
    }
    pl_html_table_end(h);
out:
    free(head);
    free(cell);
    free(cells);
    free(vals);
    free(w);
    free(on);
    free(align);
    free(phead);
}

static void plan_meta_table(pl_html *h, const pl_plan *p)
{
    static const char *const head[] = {"key", "value"};
    pl_html_table_begin(h, "plan_meta", 2, head, "nl");
    for (int k = 0; k < p->n_meta; k++) {
        const char *cells[2] = {p->meta_key[k], p->meta_val[k] ? p->meta_val[k] : ""};
        pl_html_table_row(h, 2, cells, NULL, NULL);
    }
    pl_html_table_end(h);
}

char *pl_html_plan_report(const pl_plan *p, const char *path, r5g_err *err)
{
    pl_html h = PL_HTML_INIT;
    const pl_scenario *sc = p->sc;
    int T = sc->n_periods;
    const char *name = sc->name ? sc->name : path;
    pl_html_title(&h, name, path);
    pl_html_section_begin(&h, "summary", "Summary");
    plan_summary(&h, p);
    pl_html_section_end(&h);

    pl_html_section_begin(&h, "map", "The rollout, period by period");
    pl_svg_frame f;
    pl_html_plan_frame(&f, p, 1000);
    pl_html_plan_legend(&h);
    pl_html_periods_begin(&h, T, (const char *const *)sc->period_label, T);
    for (int t = 1; t <= T; t++) {
        char cap[96];
        snprintf(cap, sizeof cap, "%s: %d sites on air, %.1f %% covered", sc->period_label[t - 1],
                 p->pk[t - 1].sites_on_air, 100 * p->pk[t - 1].covered_share);
        pl_html_period_begin(&h, t, cap);
        if (pl_html_plan_map(&h, p, &f, t, err)) {
            pl_html_dispose(&h);
            return NULL;
        }
        pl_html_period_end(&h);
    }
    pl_html_periods_end(&h);
    pl_html_section_end(&h);

    pl_html_section_begin(&h, "kpi", "KPIs per period");
    plan_charts(&h, p);
    plan_kpi_table(&h, p);
    pl_html_section_end(&h);
    if (p->nr) {
        pl_html_section_begin(&h, "regions", "Regions");
        plan_region_table(&h, p);
        pl_html_section_end(&h);
    }
    pl_html_section_begin(&h, "meta", "Inputs, solver and versions");
    plan_meta_table(&h, p);
    pl_html_section_end(&h);
    char *doc = pl_html_finish(&h, name);
    if (!doc)
        r5g_err_set(err, R5G_ENOMEM, "out of memory building the HTML report");
    return doc;
}
