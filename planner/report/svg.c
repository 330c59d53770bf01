/* Inline SVG for the HTML reports: map frame, shapes, charts (see svg.h).
 * Coordinates are written with one decimal in a viewBox of about 1000
 * units, which keeps a district map of a few thousand points small. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "planner/report/svg.h"

/* viridis, dark (early) to yellow (late), the colours of the QGIS styles */
static const char *const viridis[9] = {"#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d",
                                       "#27ad81", "#5cc863", "#aadc32", "#fde725"};

const char *pl_svg_period_color(int t, int T)
{
    int k = T <= 1 ? 4 : (int)((double)(t - 1) * 8.0 / (T - 1) + 0.5);
    return viridis[k < 0 ? 0 : k > 8 ? 8 : k];
}

/* Okabe-Ito: tells apart for colour-blind readers and in grey print */
static const char *const series[8] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                      "#e69f00", "#56b4e9", "#000000", "#f0e442"};

const char *pl_svg_series_color(int k) { return series[(k < 0 ? -k : k) % 8]; }

void pl_svg_box_init(pl_svg_box *e)
{
    e->x0 = e->y0 = INFINITY;
    e->x1 = e->y1 = -INFINITY;
}

void pl_svg_box_add(pl_svg_box *e, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    e->x0 = fmin(e->x0, x);
    e->y0 = fmin(e->y0, y);
    e->x1 = fmax(e->x1, x);
    e->y1 = fmax(e->y1, y);
}

void pl_svg_box_rings(pl_svg_box *e, const geo_table *polys, size_t n)
{
    for (size_t g = 0; polys && g < n; g++) {
        geo_rings r;
        r5g_err err = {0};
        if (geo_table_rings(polys, g, &r, &err))
            return;
        for (int k = 0; k < r.n; k++)
            for (size_t i = r.ptr[k]; i < r.ptr[k + 1]; i++)
                pl_svg_box_add(e, r.x[i], r.y[i]);
    }
}

void pl_svg_frame_init(pl_svg_frame *f, double x0, double y0, double x1, double y1, double width,
                       double max_height)
{
    if (!(x0 <= x1) || !(y0 <= y1)) { /* nothing to draw: a unit square */
        x0 = y0 = 0;
        x1 = y1 = 1;
    }
    double dx = x1 - x0, dy = y1 - y0, d = fmax(fmax(dx, dy), 1.0);
    if (dx < 0.05 * d) { /* a line of points: give it some width */
        x0 -= 0.025 * d;
        x1 += 0.025 * d;
    }
    if (dy < 0.05 * d) {
        y0 -= 0.025 * d;
        y1 += 0.025 * d;
    }
    double px = 0.03 * (x1 - x0), py = 0.03 * (y1 - y0);
    f->x0 = x0 - px;
    f->x1 = x1 + px;
    f->y0 = y0 - py;
    f->y1 = y1 + py;
    f->k = width / (f->x1 - f->x0);
    f->w = width;
    f->h = (f->y1 - f->y0) * f->k;
    if (f->h > max_height) { /* tall: fit the height, centre the width */
        f->k = max_height / (f->y1 - f->y0);
        f->h = max_height;
        double mid = 0.5 * (f->x0 + f->x1), half = 0.5 * width / f->k;
        f->x0 = mid - half;
        f->x1 = mid + half;
    }
}

static double sx(const pl_svg_frame *f, double x) { return (x - f->x0) * f->k; }
static double sy(const pl_svg_frame *f, double y) { return (f->y1 - y) * f->k; }

void pl_svg_map_begin(r5g_str *b, const pl_svg_frame *f, const char *title)
{
    r5g_str_appendf(b, "<svg class=\"map\" viewBox=\"0 0 %.0f %.0f\" "
                       "role=\"img\"><title>", f->w, f->h);
    r5g_str_append_xml(b, title ? title : "map");
    r5g_str_appendf(b, "</title><rect class=\"bg\" width=\"%.0f\" height=\"%.0f\"/>\n", f->w, f->h);
}

void pl_svg_map_end(r5g_str *b, const pl_svg_frame *f)
{
    double span = 0.2 * (f->x1 - f->x0), len = 1;
    while (len * 10 <= span)
        len *= 10;
    if (len * 5 <= span)
        len *= 5;
    else if (len * 2 <= span)
        len *= 2;
    double x = 14, y = f->h - 14, w = len * f->k;
    char lab[32];
    if (len >= 1000)
        snprintf(lab, sizeof lab, "%g km", len / 1000);
    else
        snprintf(lab, sizeof lab, "%g m", len);
    r5g_str_appendf(b, "<g class=\"scale\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"22\" class=\"scalebg\"/>"
                       "<path d=\"M%.1f %.1fv6h%.1fv-6\"/><text x=\"%.1f\" y=\"%.1f\">%s</text></g>\n</svg>\n",
                    x - 6, y - 16, w + 60, x, y - 6, w, x + w + 6, y, lab);
}

void pl_svg_rings(r5g_str *b, const pl_svg_frame *f, const geo_rings *r, const char *attrs,
                  const char *title)
{
    if (r->n <= 0)
        return;
    r5g_str_appendf(b, "<path %s d=\"", attrs ? attrs : "");
    for (int k = 0; k < r->n; k++) {
        double lx = NAN, ly = NAN;
        for (size_t i = r->ptr[k]; i < r->ptr[k + 1]; i++) {
            double x = sx(f, r->x[i]), y = sy(f, r->y[i]);
            if (i > r->ptr[k] && fabs(x - lx) < 0.4 && fabs(y - ly) < 0.4 && i + 1 < r->ptr[k + 1])
                continue; /* below the drawing's resolution */
            r5g_str_appendf(b, "%s%.1f %.1f", i == r->ptr[k] ? "M" : "L", x, y);
            lx = x;
            ly = y;
        }
        r5g_str_append(b, "Z");
    }
    r5g_str_append(b, "\">");
    if (title) {
        r5g_str_append(b, "<title>");
        r5g_str_append_xml(b, title);
        r5g_str_append(b, "</title>");
    }
    r5g_str_append(b, "</path>\n");
}

int pl_svg_regions(r5g_str *b, const pl_svg_frame *f, const geo_table *polys, size_t n,
                   const char *const *names, r5g_err *err)
{
    if (!polys)
        return 0;
    r5g_str_append(b, "<g>");
    for (int pass = 0; pass < 2; pass++) /* the labels above every polygon */
        for (size_t g = 0; g < n; g++) {
            geo_rings r;
            int rc = geo_table_rings(polys, g, &r, err);
            if (rc)
                return rc;
            if (pass == 0) {
                pl_svg_rings(b, f, &r, "class=\"rg\"", names[g]);
                continue;
            }
            pl_svg_box e;
            pl_svg_box_init(&e);
            for (size_t i = r.n ? r.ptr[0] : 0; r.n && i < r.ptr[1]; i++)
                pl_svg_box_add(&e, r.x[i], r.y[i]);
            if (names[g] && e.x0 <= e.x1)
                pl_svg_label(b, f, 0.5 * (e.x0 + e.x1), 0.5 * (e.y0 + e.y1), "rgl", names[g]);
        }
    r5g_str_append(b, "</g>\n");
    return 0;
}

void pl_svg_disc(r5g_str *b, const pl_svg_frame *f, double x, double y, double radius_m)
{
    r5g_str_appendf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>", sx(f, x), sy(f, y),
                    fmax(radius_m * f->k, 0.5));
}

/* shape centred on (cx, cy) with half-size h */
static void shape(r5g_str *b, pl_svg_shape s, double cx, double cy, double h, const char *cls)
{
    const char *c = cls ? cls : "";
    switch (s) {
    case PL_SVG_SQUARE:
        r5g_str_appendf(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", c,
                        cx - h * 0.8, cy - h * 0.8, h * 1.6, h * 1.6);
        break;
    case PL_SVG_TRIANGLE:
        r5g_str_appendf(b, "<path class=\"%s\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"", c, cx, cy - h,
                        cx + h * 0.95, cy + h * 0.75, cx - h * 0.95, cy + h * 0.75);
        break;
    case PL_SVG_DIAMOND:
        r5g_str_appendf(b, "<path class=\"%s\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"", c, cx,
                        cy - h, cx + h, cy, cx, cy + h, cx - h, cy);
        break;
    case PL_SVG_STAR:
        r5g_str_appendf(b, "<path class=\"%s\" d=\"", c);
        for (int k = 0; k < 10; k++) {
            double a = -M_PI / 2 + k * M_PI / 5, rr = k % 2 ? h * 0.45 : h * 1.1;
            r5g_str_appendf(b, "%s%.1f %.1f", k ? "L" : "M", cx + rr * cos(a), cy + rr * sin(a));
        }
        r5g_str_append(b, "Z\"");
        break;
    case PL_SVG_CIRCLE:
    default:
        r5g_str_appendf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", c, cx, cy, h * 0.8);
        break;
    }
}

void pl_svg_marker(r5g_str *b, const pl_svg_frame *f, double x, double y, pl_svg_shape s, double size,
                   const char *cls, const char *title)
{
    shape(b, s, sx(f, x), sy(f, y), size / 2, cls);
    if (!title) {
        r5g_str_append(b, "/>");
        return;
    }
    r5g_str_append(b, "><title>");
    r5g_str_append_xml(b, title);
    r5g_str_append(b, s == PL_SVG_SQUARE ? "</title></rect>" : s == PL_SVG_CIRCLE ? "</title></circle>"
                                                                                : "</title></path>");
}

void pl_svg_label(r5g_str *b, const pl_svg_frame *f, double x, double y, const char *cls, const char *text)
{
    r5g_str_appendf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", cls ? cls : "",
                    sx(f, x), sy(f, y));
    r5g_str_append_xml(b, text);
    r5g_str_append(b, "</text>\n");
}

void pl_svg_swatch(r5g_str *b, pl_svg_shape s, const char *cls)
{
    r5g_str_append(b, "<svg class=\"sw\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">");
    shape(b, s, 8, 8, 6, cls);
    r5g_str_append(b, "/></svg>");
}

/* ---- charts ----------------------------------------------------------------- */

/* The smallest 1, 2, 2.5, 5 x 10^n at or above v (v > 0). */
static double nice_ceil(double v)
{
    double p = pow(10, floor(log10(v)));
    static const double m[] = {1, 2, 2.5, 5, 10};
    for (int k = 0; k < 5; k++)
        if (m[k] * p >= v * (1 - 1e-12))
            return m[k] * p;
    return 10 * p;
}

enum { CH_W = 560, CH_H = 270, CH_L = 58, CH_R = 14, CH_T = 44, CH_B = 34 };

void pl_svg_chart(r5g_str *b, const pl_chart *c)
{
    double scale = c->scale > 0 ? c->scale : 1, ymax = 0;
    for (int s = 0; s < c->n_s; s++)
        for (int i = 0; i < c->n_x; i++)
            if (isfinite(c->s[s].y[i]))
                ymax = fmax(ymax, c->s[s].y[i] / scale);
    ymax = c->percent ? 1.0 : ymax > 0 ? nice_ceil(ymax) : 1;
    double pw = CH_W - CH_L - CH_R, ph = CH_H - CH_T - CH_B;
    double step = c->n_x > 0 ? pw / c->n_x : pw;
#define CX(i) (CH_L + step * ((i) + 0.5))
#define CY(v) (CH_T + ph * (1 - (v) / ymax))
    r5g_str_appendf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\">"
                       "<title>", CH_W, CH_H);
    r5g_str_append_xml(b, c->title);
    r5g_str_append(b, "</title>\n<text class=\"ct\" x=\"4\" y=\"16\">");
    r5g_str_append_xml(b, c->title);
    if (c->unit && *c->unit) {
        r5g_str_append(b, " (");
        r5g_str_append_xml(b, c->unit);
        r5g_str_append(b, ")");
    }
    r5g_str_append(b, "</text>\n");
    /* legend: one row under the title */
    double lx = 6;
    for (int s = 0; s < c->n_s; s++) {
        r5g_str_appendf(b, "<rect x=\"%.0f\" y=\"24\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                           "<text class=\"cl\" x=\"%.0f\" y=\"33\">", lx, pl_svg_series_color(s), lx + 16);
        r5g_str_append_xml(b, c->s[s].name);
        r5g_str_append(b, "</text>");
        lx += 28 + 6.5 * (double)strlen(c->s[s].name);
    }
    r5g_str_append(b, "\n");
    /* grid and y axis */
    for (int k = 0; k <= 5; k++) {
        double v = ymax * k / 5, y = CY(v);
        char lab[32];
        if (c->percent)
            snprintf(lab, sizeof lab, "%.0f %%", 100 * v);
        else
            snprintf(lab, sizeof lab, "%.4g", v);
        r5g_str_appendf(b, "<path class=\"grid\" d=\"M%d %.1fH%d\"/><text class=\"ax\" x=\"%d\" y=\"%.1f\" "
                           "text-anchor=\"end\">%s</text>\n", CH_L, y, CH_W - CH_R, CH_L - 6, y + 4, lab);
    }
    for (int i = 0; i < c->n_x; i++) {
        r5g_str_appendf(b, "<text class=\"ax\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", CX(i), CH_H - CH_B + 18);
        r5g_str_append_xml(b, c->x[i]);
        r5g_str_append(b, "</text>");
    }
    r5g_str_append(b, "\n");
    for (int s = 0; s < c->n_s; s++) {
        const char *col = pl_svg_series_color(s);
        if (c->bars) {
            double gw = step * 0.8, bw = gw / (c->n_s ? c->n_s : 1);
            for (int i = 0; i < c->n_x; i++) {
                double v = c->s[s].y[i] / scale;
                if (!isfinite(v))
                    continue;
                double y = CY(fmax(v, 0));
                r5g_str_appendf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                   "<title>", CX(i) - gw / 2 + s * bw, y, fmax(bw - 1, 1), CH_T + ph - y, col);
                r5g_str_append_xml(b, c->s[s].name);
                r5g_str_append(b, " ");
                r5g_str_append_xml(b, c->x[i]);
                r5g_str_appendf(b, ": %.4g</title></rect>", c->percent ? 100 * v : v);
            }
            r5g_str_append(b, "\n");
            continue;
        }
        int open = 0;
        for (int i = 0; i < c->n_x; i++) {
            double v = c->s[s].y[i] / scale;
            if (!isfinite(v)) {
                if (open)
                    r5g_str_append(b, "\"/>");
                open = 0;
                continue;
            }
            if (!open)
                r5g_str_appendf(b, "<path class=\"ln\" stroke=\"%s\" d=\"M", col);
            else
                r5g_str_append(b, "L");
            r5g_str_appendf(b, "%.1f %.1f", CX(i), CY(v));
            open = 1;
        }
        if (open)
            r5g_str_append(b, "\"/>");
        for (int i = 0; i < c->n_x; i++) {
            double v = c->s[s].y[i] / scale;
            if (!isfinite(v))
                continue;
            r5g_str_appendf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>", CX(i), CY(v), col);
            r5g_str_append_xml(b, c->s[s].name);
            r5g_str_append(b, " ");
            r5g_str_append_xml(b, c->x[i]);
            if (c->percent)
                r5g_str_appendf(b, ": %.1f %%</title></circle>", 100 * v);
            else
                r5g_str_appendf(b, ": %.4g</title></circle>", v);
        }
        r5g_str_append(b, "\n");
    }
    r5g_str_appendf(b, "<path class=\"axis\" d=\"M%d %dV%.1fH%d\"/></svg>\n", CH_L, CH_T, CH_T + ph, CH_W - CH_R);
#undef CX
#undef CY
}
