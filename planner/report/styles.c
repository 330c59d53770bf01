/* QGIS QML styles for the plan layers (see styles.h and docs/output.md). The
 * documents follow the QGIS 3 QML schema: <renderer-v2> symbology, symbol
 * layers as <Option type="Map"> properties, and <temporal> vector temporal
 * properties (mode 1: instant from a field, accumulated; mode 2: start and
 * end fields). */
#include "config.h"

#include "planner/report/styles.h"

#include "common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* viridis, dark (early) to yellow (late) */
static const char *const ramp[9] = {"68,1,84",    "71,44,122",  "59,81,139",   "44,113,142", "33,144,141",
                                    "39,173,129", "92,200,99",  "170,220,50",  "253,231,37"};

static const char *period_color(int t, int T)
{
    int k = T <= 1 ? 4 : (int)((double)(t - 1) * 8.0 / (T - 1) + 0.5);
    return ramp[k];
}

static void head(r5g_str *b, int geom_type)
{
    r5g_str_appendf(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.22.16\" styleCategories=\"AllStyleCategories\" "
           "hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">\n");
    (void)geom_type;
}

/* mode 1: instant from `start`, accumulated (a feature stays from its date on;
 * NULL dates always show); mode 2: from `start` to `end`. */
static void temporal(r5g_str *b, int mode, const char *start, const char *end)
{
    r5g_str_appendf(b, "  <temporal enabled=\"1\" mode=\"%d\" accumulate=\"%d\" startField=\"%s\" endField=\"%s\" "
           "durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" startExpression=\"\" "
           "endExpression=\"\" limitMode=\"0\">\n"
           "    <fixedRange><start></start><end></end></fixedRange>\n  </temporal>\n",
        mode, mode == 1, start, end ? end : "");
}

static void tail(r5g_str *b, int geom_type)
{
    if (geom_type >= 0)
        r5g_str_appendf(b, "  <layerGeometryType>%d</layerGeometryType>\n", geom_type);
    r5g_str_appendf(b, "</qgis>\n");
}

static void opt(r5g_str *b, const char *k, const char *v)
{
    r5g_str_appendf(b, "            <Option type=\"QString\" name=\"%s\" value=\"%s\"/>\n", k, v);
}

static void marker(r5g_str *b, int id, const char *rgb, int alpha, const char *shape, double size,
                   const char *outline)
{
    char c[48], s[16];
    snprintf(c, sizeof c, "%s,%d", rgb, alpha);
    snprintf(s, sizeof s, "%.2f", size);
    r5g_str_appendf(b, "      <symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <Option type=\"Map\">\n", id);
    opt(b, "color", c);
    opt(b, "name", shape);
    opt(b, "size", s);
    opt(b, "size_unit", "MM");
    opt(b, "outline_color", outline);
    opt(b, "outline_style", "solid");
    opt(b, "outline_width", "0.2");
    opt(b, "outline_width_unit", "MM");
    r5g_str_appendf(b, "          </Option>\n        </layer>\n      </symbol>\n");
}

static void fill(r5g_str *b, int id, const char *rgb, int alpha, const char *outline_rgb, double width)
{
    char c[48], o[48], w[16];
    snprintf(c, sizeof c, "%s,%d", rgb, alpha);
    snprintf(o, sizeof o, "%s,255", outline_rgb);
    snprintf(w, sizeof w, "%.2f", width);
    r5g_str_appendf(b, "      <symbol type=\"fill\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <Option type=\"Map\">\n", id);
    opt(b, "color", c);
    opt(b, "style", alpha ? "solid" : "no");
    opt(b, "outline_color", o);
    opt(b, "outline_style", "solid");
    opt(b, "outline_width", w);
    opt(b, "outline_width_unit", "MM");
    r5g_str_appendf(b, "          </Option>\n        </layer>\n      </symbol>\n");
}

static void line(r5g_str *b, int id, const char *rgba, double width)
{
    char w[16];
    snprintf(w, sizeof w, "%.2f", width);
    r5g_str_appendf(b, "      <symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
           "        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
           "          <Option type=\"Map\">\n", id);
    opt(b, "line_color", rgba);
    opt(b, "line_style", "solid");
    opt(b, "line_width", w);
    opt(b, "line_width_unit", "MM");
    r5g_str_appendf(b, "          </Option>\n        </layer>\n      </symbol>\n");
}

/* sites: categorised by coalesce(build_period, status): one colour per
 * period (viridis), existing grey, not built small and pale. */
char *pl_style_sites(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    int T = sc->n_periods;
    head(&b, 0);
    temporal(&b, 1, "build_date", NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"coalesce(&quot;build_period&quot;, "
            "&quot;status&quot;)\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n"
            "    <categories>\n"
            "      <category render=\"true\" value=\"existing\" label=\"on air before %s\" symbol=\"0\"/>\n",
        sc->period_label[0]);
    for (int t = 1; t <= T; t++) {
        r5g_str_appendf(&b, "      <category render=\"true\" value=\"");
        r5g_str_append_xml(&b, sc->period_label[t - 1]);
        r5g_str_appendf(&b, "\" label=\"built ");
        r5g_str_append_xml(&b, sc->period_label[t - 1]);
        r5g_str_appendf(&b, "\" symbol=\"%d\"/>\n", t);
    }
    r5g_str_appendf(&b, "      <category render=\"true\" value=\"not_built\" label=\"not built\" symbol=\"%d\"/>\n"
            "    </categories>\n    <symbols>\n", T + 1);
    marker(&b, 0, "128,128,128", 255, "square", 2.6, "50,50,50,255");
    for (int t = 1; t <= T; t++)
        marker(&b, t, period_color(t, T), 255, "triangle", 3.2, "35,35,35,255");
    marker(&b, T + 1, "255,255,255", 0, "circle", 1.4, "150,150,150,255");
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    tail(&b, 0);
    return r5g_str_finish(&b);
}

/* coverage: semi-transparent fills categorised by build_index. */
char *pl_style_coverage(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    int T = sc->n_periods;
    head(&b, 2);
    temporal(&b, 1, "build_date", NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"build_index\" symbollevels=\"0\" "
            "forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n");
    for (int t = 1; t <= T; t++) {
        r5g_str_appendf(&b, "      <category render=\"true\" value=\"%d\" label=\"on air ", t);
        r5g_str_append_xml(&b, sc->period_label[t - 1]);
        r5g_str_appendf(&b, "\" symbol=\"%d\"/>\n", t - 1);
    }
    r5g_str_appendf(&b, "    </categories>\n    <symbols>\n");
    for (int t = 1; t <= T; t++)
        fill(&b, t - 1, period_color(t, T), 70, period_color(t, T), 0.15);
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n  <layerOpacity>0.8</layerOpacity>\n");
    tail(&b, 2);
    return r5g_str_finish(&b);
}

char *pl_style_coverage_by_period(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 2);
    temporal(&b, 2, "period_date", "period_end");
    r5g_str_appendf(&b, "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
            "enableorderby=\"0\">\n    <symbols>\n");
    fill(&b, 0, "31,120,180", 60, "31,120,180", 0.4);
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n  <layerOpacity>0.8</layerOpacity>\n");
    tail(&b, 2);
    return r5g_str_finish(&b);
}

/* demand: on time (green), late (orange), never covered (red); white-list
 * points larger stars. */
char *pl_style_demand(const pl_scenario *sc)
{
    static const struct {
        const char *filter, *label, *rgb;
    } cls[3] = {{"&quot;on_time&quot; = 1", "on time", "26,150,65"},
                {"&quot;covered_index&quot; IS NOT NULL AND &quot;on_time&quot; = 0", "covered late",
                 "253,141,60"},
                {"&quot;covered_index&quot; IS NULL", "never covered", "215,25,28"}};
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 0);
    temporal(&b, 1, "demand_date", NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" forceraster=\"0\" "
            "enableorderby=\"0\">\n    <rules>\n");
    for (int k = 0; k < 3; k++) {
        r5g_str_appendf(&b, "      <rule filter=\"(%s) AND &quot;whitelist&quot; = 1\" label=\"%s, white-list\" "
                "symbol=\"%d\"/>\n", cls[k].filter, cls[k].label, 2 * k);
        r5g_str_appendf(&b, "      <rule filter=\"(%s) AND coalesce(&quot;whitelist&quot;, 0) = 0\" label=\"%s\" "
                "symbol=\"%d\"/>\n", cls[k].filter, cls[k].label, 2 * k + 1);
    }
    r5g_str_appendf(&b, "    </rules>\n    <symbols>\n");
    for (int k = 0; k < 3; k++) {
        marker(&b, 2 * k, cls[k].rgb, 255, "star", 3.6, "0,0,0,255");
        marker(&b, 2 * k + 1, cls[k].rgb, 200, "circle", 1.4, "255,255,255,0");
    }
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    tail(&b, 0);
    return r5g_str_finish(&b);
}

char *pl_style_links(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 1);
    temporal(&b, 1, "covered_date", NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
            "enableorderby=\"0\">\n    <symbols>\n");
    line(&b, 0, "90,90,90,160", 0.15);
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    tail(&b, 1);
    return r5g_str_finish(&b);
}

/* region_kpi: graduated by covered_share, 5 equal classes, white to blue. */
char *pl_style_region_kpi(const pl_scenario *sc)
{
    static const char *const blues[5] = {"239,243,255", "189,215,231", "107,174,214", "49,130,189",
                                         "8,81,156"};
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 2);
    temporal(&b, 2, "period_date", "period_end");
    r5g_str_appendf(&b, "  <renderer-v2 type=\"graduatedSymbol\" attr=\"covered_share\" graduatedMethod=\"GraduatedColor\" "
            "symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n    <ranges>\n");
    for (int k = 0; k < 5; k++)
        r5g_str_appendf(&b, "      <range lower=\"%.6f\" upper=\"%.6f\" label=\"%d - %d %%\" symbol=\"%d\" render=\"true\"/>\n",
            k / 5.0, (k + 1) / 5.0, k * 20, (k + 1) * 20, k);
    r5g_str_appendf(&b, "    </ranges>\n    <symbols>\n");
    for (int k = 0; k < 5; k++)
        fill(&b, k, blues[k], 120, "60,60,60", 0.3);
    r5g_str_appendf(&b, "    </symbols>\n    <classificationMethod id=\"EqualInterval\"/>\n  </renderer-v2>\n");
    tail(&b, 2);
    return r5g_str_finish(&b);
}

char *pl_style_period_table(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 4);
    temporal(&b, 2, "period_date", "period_end");
    tail(&b, 4);
    return r5g_str_finish(&b);
}

char *pl_style_plain(const pl_scenario *sc)
{
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    head(&b, 4);
    tail(&b, 4);
    return r5g_str_finish(&b);
}
