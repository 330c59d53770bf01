/* Inline SVG for self-contained reports (no fonts, scripts or images from
 * anywhere): a map frame from working-CRS metres to SVG units with the
 * shapes a plan map needs, and line and bar charts of values per period.
 * Everything appends to an r5g_str (sticky error: check it once at the end). */
#ifndef PL_SVG_H
#define PL_SVG_H

#include <stddef.h>

#include "common/strbuf.h"
#include "geo/geo_view.h"

/* A map frame: the extent (metres, working CRS) drawn into w x h SVG units,
 * north up, same scale on both axes. */
typedef struct pl_svg_frame {
    double x0, y0, x1, y1; /* extent, padded */
    double w, h;           /* SVG units */
    double k;              /* SVG units per metre */
} pl_svg_frame;

/* An extent being collected (start empty with pl_svg_box_init). */
typedef struct pl_svg_box {
    double x0, y0, x1, y1;
} pl_svg_box;
void pl_svg_box_init(pl_svg_box *e);
void pl_svg_box_add(pl_svg_box *e, double x, double y); /* non-finite points are ignored */
/* Every vertex of the first n polygons of a table kept with GEO_READ_KEEP_GEOMETRY. */
void pl_svg_box_rings(pl_svg_box *e, const geo_table *polys, size_t n);

/* Fits the extent into width units (height follows the aspect, at most
 * max_height; the extent is padded by 3 % and never empty). */
void pl_svg_frame_init(pl_svg_frame *f, double x0, double y0, double x1, double y1, double width,
                       double max_height);
/* <svg> with its viewBox and a title for screen readers; a light background. */
void pl_svg_map_begin(r5g_str *b, const pl_svg_frame *f, const char *title);
/* A scale bar (1, 2 or 5 x 10^n metres) and </svg>. */
void pl_svg_map_end(r5g_str *b, const pl_svg_frame *f);
/* The rings as one even-odd path; attrs are extra attributes ("class=\"rg\"");
 * title (may be NULL) becomes a tooltip. */
void pl_svg_rings(r5g_str *b, const pl_svg_frame *f, const geo_rings *r, const char *attrs,
                  const char *title);
/* The first n polygons of a table kept with GEO_READ_KEEP_GEOMETRY (class
 * "rg"), each labelled with names[g] (class "rgl", at the middle of its
 * outer ring's extent; NULL names are not drawn). */
int pl_svg_regions(r5g_str *b, const pl_svg_frame *f, const geo_table *polys, size_t n,
                   const char *const *names, r5g_err *err);
/* A circle of radius_m metres (coverage). */
void pl_svg_disc(r5g_str *b, const pl_svg_frame *f, double x, double y, double radius_m);

typedef enum { PL_SVG_CIRCLE, PL_SVG_SQUARE, PL_SVG_TRIANGLE, PL_SVG_STAR, PL_SVG_DIAMOND } pl_svg_shape;
/* A marker of size units (about its width) at (x, y) metres; cls names its
 * CSS class (colours live in the stylesheet), title (may be NULL) a tooltip. */
void pl_svg_marker(r5g_str *b, const pl_svg_frame *f, double x, double y, pl_svg_shape shape,
                   double size, const char *cls, const char *title);
/* Text centred at (x, y) metres. */
void pl_svg_label(r5g_str *b, const pl_svg_frame *f, double x, double y, const char *cls,
                  const char *text);
/* The same marker alone in a small <svg>, for legends. */
void pl_svg_swatch(r5g_str *b, pl_svg_shape shape, const char *cls);

/* Colour of build period t of T (viridis, dark = early) as "#rrggbb". */
const char *pl_svg_period_color(int t, int T);
/* Colour of series k (a palette of 8 that reads in grey print too). */
const char *pl_svg_series_color(int k);

/* A chart of values per category (periods): lines with markers, or grouped
 * bars. NAN values are gaps. percent: values are shares 0..1, drawn as 0..100 %. */
typedef struct pl_chart_series {
    const char *name;
    const double *y; /* [n_x] */
} pl_chart_series;

typedef struct pl_chart {
    const char *title;
    const char *unit;          /* axis unit shown after the title ("%", "M CNY", "sites") */
    int percent;               /* y are shares: axis 0..100 % */
    int bars;                  /* grouped bars instead of lines */
    int n_x;
    const char *const *x;      /* [n_x] category labels */
    int n_s;
    const pl_chart_series *s;  /* [n_s] */
    double scale;              /* values are divided by it (1e6 for millions); 0 = 1 */
} pl_chart;
void pl_svg_chart(r5g_str *b, const pl_chart *c);

#endif
