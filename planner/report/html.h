/* Self-contained HTML reports a reviewer opens offline: one file, inline
 * CSS and SVG only (no fonts, scripts, images or styles from anywhere else),
 * UTF-8 with a font stack that includes the CJK system fonts, and print rules
 * so the browser's "print to PDF" gives whole tables and every period's map.
 *
 * The pieces (sections, tables, charts, the per-period map selector, a
 * plan's map) append to one pl_html document; pl_html_finish puts the head
 * and stylesheet around them. `plan --html` is pl_html_plan_report; `compare`
 * and the batch reports build their own pages from the same pieces. */
#ifndef PL_HTML_H
#define PL_HTML_H

#include <stdio.h>

#include "common/strbuf.h"
#include "planner/plan_result.h"
#include "planner/report/svg.h"

typedef struct pl_html {
    r5g_str body;
    r5g_str css;   /* the caller's own rules, after the standard stylesheet */
    int n_periods; /* colour classes .pc1 .. .pcT of build periods (pl_html_use_periods) */
    int max_sel;   /* the widest period selector so far */
    int n_sel;     /* selectors so far (each gets its own radio group) */
    char *align;   /* column alignment of the open table */
} pl_html;
#define PL_HTML_INIT {R5G_STR_INIT, R5G_STR_INIT, 0, 0, 0, NULL}

/* The document around the body: <!DOCTYPE html>, charset, title, the
 * stylesheet. Hands over the text (malloc'd) and disposes h; NULL on out
 * of memory. */
char *pl_html_finish(pl_html *h, const char *title);
void pl_html_dispose(pl_html *h);
/* Adds CSS rules to the stylesheet. */
void pl_html_css(pl_html *h, const char *rules);
/* Build periods drawn in the maps are coloured 1..T (viridis). */
void pl_html_use_periods(pl_html *h, int T);

/* Headings and text (text is escaped). */
void pl_html_title(pl_html *h, const char *title, const char *subtitle);
void pl_html_section_begin(pl_html *h, const char *id, const char *title);
void pl_html_section_end(pl_html *h);
void pl_html_subheading(pl_html *h, const char *text);
void pl_html_para(pl_html *h, const char *cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Raw markup, for callers composing their own elements. */
void pl_html_raw(pl_html *h, const char *markup);

/* A table: align has one letter per column: 'l' text, 'n' text on one line
 * (ids, labels, periods), 'r' numbers. */
void pl_html_table_begin(pl_html *h, const char *caption, int ncol, const char *const *head,
                         const char *align);
/* One row of already formatted cells (escaped here); vals (may be NULL; NAN
 * for none) keeps each cell's exact value in a data-v attribute for scripts;
 * cls (may be NULL) marks the row. */
void pl_html_table_row(pl_html *h, int ncol, const char *const *cells, const double *vals,
                       const char *cls);
void pl_html_table_end(pl_html *h);

/* Charts sit in a grid that prints two per row. */
void pl_html_charts_begin(pl_html *h);
void pl_html_chart(pl_html *h, const pl_chart *c);
void pl_html_charts_end(pl_html *h);

/* Maps per period: radio buttons (CSS only, no script) show one period on
 * screen, `checked` (1..T) first; print shows them all, two per row. */
void pl_html_periods_begin(pl_html *h, int T, const char *const *labels, int checked);
void pl_html_period_begin(pl_html *h, int t, const char *caption);
void pl_html_period_end(pl_html *h);
void pl_html_periods_end(pl_html *h);

/* A plan's map frame: sites on air, demand and regions, width SVG units. */
void pl_html_plan_frame(pl_svg_frame *f, const pl_plan *p, double width);
/* The plan in period t (1..T): regions with their names, coverage of the
 * sites on air, demand appeared by t (on time / late / not covered; white
 * list as stars), sites by build period. At most max_points demand points
 * are drawn (every k-th beyond that; noted under the map). */
int pl_html_plan_map(pl_html *h, const pl_plan *p, const pl_svg_frame *f, int t, r5g_err *err);
/* The legend of pl_html_plan_map. */
void pl_html_plan_legend(pl_html *h);

/* The plan report of `plan --html` (and of a plan read back): status and
 * gap, settings, the maps per period, KPI charts, the period, region and
 * plan_meta tables. path names the plan in the header. NULL: out of memory
 * (or a region polygon that cannot be drawn: err says which). */
char *pl_html_plan_report(const pl_plan *p, const char *path, r5g_err *err);

/* Number formats shared by the HTML and terminal reports; buf holds at
 * least PL_FMT_N bytes and is returned. NAN gives "-". */
enum { PL_FMT_N = 48 };
const char *pl_fmt_share(char *buf, double v);  /* "45.3 %" */
const char *pl_fmt_pp(char *buf, double d);     /* "+5.0 pp" (a difference of shares) */
const char *pl_fmt_money(char *buf, double v);  /* "12.35 M", "unlimited" for HUGE_VAL */
const char *pl_fmt_num(char *buf, double v);    /* "%.6g" */
const char *pl_fmt_int(char *buf, long long v);

#endif
