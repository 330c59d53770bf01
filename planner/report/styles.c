/* QGIS QML styles for the plan layers (see styles.h and docs/output.md). The
 * documents follow the QGIS 3 QML schema: <renderer-v2> symbology, symbol
 * layers as <Option type="Map"> properties, <labeling>, and <temporal>
 * vector temporal properties (mode 4: start and end from expressions; mode
 * 5: redraw only, the renderer reads the time itself). Field names appear
 * only as {field} in expression templates and as the field arguments of
 * temporal() and the renderers, all resolved through the field map. */
#include "config.h"

#include "planner/report/styles.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/strbuf.h"
#include "planner/report/report.h"

const char *pl_field_map_name(const pl_field_map *m, const char *field)
{
    const char *n = pl_out_field_name(field, m ? m->max_len : 0);
    /* NULL only for a long name missing from the short-name table: the layer
     * writer refuses such a field, so the layer never has it */
    return n ? n : field;
}

/* ---- the palette: one table for the QML, KML and SLD styles ------------------ */

/* viridis, dark (early) to yellow (late) */
static const char *const ramp[9] = {"68,1,84",    "71,44,122",  "59,81,139",   "44,113,142", "33,144,141",
                                    "39,173,129", "92,200,99",  "170,220,50",  "253,231,37"};

static const char *period_color(int t, int T)
{
    int k = T <= 1 ? 4 : (int)((double)(t - 1) * 8.0 / (T - 1) + 0.5);
    return ramp[k];
}

/* sites that are not built in a period of the plan */
#define SITE_EXISTING_RGB "128,128,128"
#define SITE_NOT_BUILT_OUTLINE "150,150,150"

/* demand classes (pl_style_demand); the first, second and fourth are the
 * final statuses of a static map */
enum { DEM_ON_TIME, DEM_LATE, DEM_NOT_YET, DEM_NEVER, DEM_AHEAD, DEM_FORECAST, DEM_NCLS };
static const struct {
    const char *key, *label, *rgb;
    int alpha;
} dem_cls[DEM_NCLS] = {
    [DEM_ON_TIME] = {"on_time", "covered on time", "26,150,65", 255},
    [DEM_LATE] = {"late", "covered late", "253,141,60", 255},
    [DEM_NOT_YET] = {"not_yet", "appeared, not covered yet", "117,107,177", 255},
    [DEM_NEVER] = {"never", "never covered", "215,25,28", 255},
    [DEM_AHEAD] = {"ahead", "forecast, covered ahead of demand", "26,150,65", 70},
    [DEM_FORECAST] = {"forecast", "forecast, not covered yet", "150,150,150", 70},
};

/* region_kpi: covered_share classes (upper bounds), pale yellow to dark
 * blue, and grey for a region without demand yet */
static const double region_up[] = {0.50, 0.70, 0.80, 0.85, 0.90, 0.95, 0.98, 1.00};
static const char *const region_rgb[] = {"255,255,217", "237,248,177", "199,233,180", "127,205,187",
                                         "65,182,196",  "29,145,192",  "34,94,168",   "12,44,132"};
enum { REGION_NCLS = sizeof region_up / sizeof *region_up };
#define REGION_NONE_RGB "200,200,200"
#define COVERAGE_BY_PERIOD_RGB "31,120,180"
#define LINK_RGB "90,90,90"

/* The class of a covered_share, as QGIS's graduated renderer picks it: the
 * first whose range [lower, upper] holds it (0.5 is "below 50 %"). */
static int region_class(double share)
{
    int k = 0;
    while (k < REGION_NCLS - 1 && share > region_up[k])
        k++;
    return k;
}

/* "r,g,b" as "#RRGGBB" (alpha < 0) or "#RRGGBBAA" */
static const char *hex(const char *rgb, int alpha, char out[10])
{
    int r = 0, g = 0, b = 0;
    sscanf(rgb, "%d,%d,%d", &r, &g, &b);
    if (alpha < 0)
        snprintf(out, 10, "#%02X%02X%02X", r & 255, g & 255, b & 255);
    else
        snprintf(out, 10, "#%02X%02X%02X%02X", r & 255, g & 255, b & 255, alpha & 255);
    return out;
}

/* ---- expressions ---------------------------------------------------------- */

static void xml_char(r5g_str *b, char c)
{
    char s[2] = {c, 0};
    r5g_str_append_xml(b, s);
}

/* A field reference as QGIS writes one ("name", inner quotes doubled),
 * XML-escaped for an attribute value. */
static void field_ref(r5g_str *b, const char *name)
{
    r5g_str_append(b, "&quot;");
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            r5g_str_append(b, "&quot;&quot;");
        else
            xml_char(b, *p);
    }
    r5g_str_append(b, "&quot;");
}

/* Appends the QGIS expression `tmpl`, XML-escaped for an attribute value,
 * with every {field} replaced by the reference to that field in the file. */
static void expr(r5g_str *b, const pl_field_map *fm, const char *tmpl)
{
    for (const char *p = tmpl; *p; p++) {
        if (*p != '{') {
            xml_char(b, *p);
            continue;
        }
        const char *z = strchr(p, '}');
        assert(z && z - p < 64); /* templates are literals in this file */
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(z - p - 1), p + 1);
        field_ref(b, pl_field_map_name(fm, name));
        p = z;
    }
}

/* The date in field F has come by the time the map shows: before the end
 * of the frame, as the temporal filter of the other layers (temporal()),
 * or at the instant of a zero-length frame. NULL when the map has no time
 * range or the date is NULL. */
#define ASOF(F) "(to_datetime(" F ") < @map_end_time OR to_datetime(" F ") <= @map_start_time)"
#define TIMED "@map_end_time IS NOT NULL"
#define STATIC "@map_end_time IS NULL"

/* ---- document parts ------------------------------------------------------- */

static void head(r5g_str *b, int labels)
{
    r5g_str_appendf(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                       "<qgis version=\"3.22.16\" styleCategories=\"AllStyleCategories\" "
                       "hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" "
                       "labelsEnabled=\"%d\">\n",
                    labels);
}

/* The layer shows from the date in field `start` on, until the date in
 * `end` when there is one (frames [begin, end): start < end of the frame,
 * end > its begin); a NULL start shows from the first period on. QGIS mode
 * 4 (start and end from expressions), not modes 1/2 (from fields): QGIS
 * 3.22 compares a Date field with the frame's end as if a date on that end
 * came before it, so frame 2027 would show the sites of 2028; to_datetime
 * makes it a datetime comparison. The fields are kept as startField and
 * endField for a user who switches to the field modes. No start: mode 5,
 * no filter, the layer is redrawn when the time changes (its renderer reads
 * the time). */
static void temporal(r5g_str *b, const pl_scenario *sc, const pl_field_map *fm, const char *start,
                     const char *end)
{
    r5g_str_appendf(b, "  <temporal enabled=\"1\" mode=\"%d\" accumulate=\"0\" limitMode=\"0\" startField=\"",
                    start ? 4 : 5);
    if (start)
        r5g_str_append_xml(b, pl_field_map_name(fm, start));
    r5g_str_append(b, "\" endField=\"");
    if (end)
        r5g_str_append_xml(b, pl_field_map_name(fm, end));
    r5g_str_append(b, "\" startExpression=\"");
    if (start) {
        char t[96];
        snprintf(t, sizeof t, "coalesce(to_datetime({%s}), to_datetime('%s'))", start, sc->period_date[0]);
        expr(b, fm, t);
    }
    r5g_str_append(b, "\" endExpression=\"");
    if (end) {
        char t[64];
        snprintf(t, sizeof t, "to_datetime({%s})", end);
        expr(b, fm, t);
    }
    r5g_str_append(b, "\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\">\n"
                      "    <fixedRange><start></start><end></end></fixedRange>\n  </temporal>\n");
}

static void tail(r5g_str *b, int geom_type)
{
    if (geom_type >= 0)
        r5g_str_appendf(b, "  <layerGeometryType>%d</layerGeometryType>\n", geom_type);
    r5g_str_appendf(b, "</qgis>\n");
}

/* Labels from the expression `tmpl` (no label where it is NULL), shown at
 * scales of 1:max_scale and larger; points: cartographic placement. */
static void labeling(r5g_str *b, const pl_field_map *fm, const char *tmpl, int max_scale)
{
    r5g_str_append(b, "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
                      "      <text-style fieldName=\"");
    expr(b, fm, tmpl);
    r5g_str_appendf(b, "\" isExpression=\"1\" fontSize=\"8\" fontSizeUnit=\"Point\" fontWeight=\"50\" "
                       "textColor=\"35,35,35,255\" textOpacity=\"1\" allowHtml=\"0\" multilineHeight=\"1\">\n"
                       "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
                       "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferNoFill=\"1\" "
                       "bufferJoinStyle=\"128\"/>\n"
                       "      </text-style>\n"
                       "      <text-format multilineAlign=\"3\" wrapChar=\"\" autoWrapLength=\"0\"/>\n"
                       "      <placement placement=\"6\" dist=\"1\" distUnits=\"MM\" "
                       "predefinedPositionOrder=\"TR,TL,BR,BL,R,L,TSR,BSR\" priority=\"5\" quadOffset=\"4\"/>\n"
                       "      <rendering scaleVisibility=\"1\" scaleMin=\"0\" scaleMax=\"%d\" drawLabels=\"1\" "
                       "obstacle=\"1\" obstacleType=\"1\" obstacleFactor=\"1\" displayAll=\"0\" "
                       "maxNumLabels=\"2000\" limitNumLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" "
                       "minFeatureSize=\"0\" upsidedownLabels=\"0\" zIndex=\"0\"/>\n"
                       "    </settings>\n  </labeling>\n",
                    max_scale);
}

static void opt(r5g_str *b, const char *k, const char *v)
{
    r5g_str_appendf(b, "            <Option type=\"QString\" name=\"%s\" value=\"%s\"/>\n", k, v);
}

static void symbol_open(r5g_str *b, const char *type, int id, const char *cls)
{
    r5g_str_appendf(b, "      <symbol type=\"%s\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                       "        <layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
                       "          <Option type=\"Map\">\n",
                    type, id, cls);
}

static void symbol_close(r5g_str *b)
{
    r5g_str_appendf(b, "          </Option>\n        </layer>\n      </symbol>\n");
}

static void marker(r5g_str *b, int id, const char *rgb, int alpha, const char *shape, double size,
                   const char *outline)
{
    char c[48], s[16];
    snprintf(c, sizeof c, "%s,%d", rgb, alpha);
    snprintf(s, sizeof s, "%.2f", size);
    symbol_open(b, "marker", id, "SimpleMarker");
    opt(b, "color", c);
    opt(b, "name", shape);
    opt(b, "size", s);
    opt(b, "size_unit", "MM");
    opt(b, "outline_color", outline);
    opt(b, "outline_style", "solid");
    opt(b, "outline_width", "0.2");
    opt(b, "outline_width_unit", "MM");
    symbol_close(b);
}

static void fill(r5g_str *b, int id, const char *rgb, int alpha, const char *outline_rgb, double width)
{
    char c[48], o[48], w[16];
    snprintf(c, sizeof c, "%s,%d", rgb, alpha);
    snprintf(o, sizeof o, "%s,255", outline_rgb);
    snprintf(w, sizeof w, "%.2f", width);
    symbol_open(b, "fill", id, "SimpleFill");
    opt(b, "color", c);
    opt(b, "style", alpha ? "solid" : "no");
    opt(b, "outline_color", o);
    opt(b, "outline_style", "solid");
    opt(b, "outline_width", w);
    opt(b, "outline_width_unit", "MM");
    symbol_close(b);
}

static void line(r5g_str *b, int id, const char *rgba, double width)
{
    char w[16];
    snprintf(w, sizeof w, "%.2f", width);
    symbol_open(b, "line", id, "SimpleLine");
    opt(b, "line_color", rgba);
    opt(b, "line_style", "solid");
    opt(b, "line_width", w);
    opt(b, "line_width_unit", "MM");
    symbol_close(b);
}

/* ---- the layers ----------------------------------------------------------- */

/* A label: the input's name where the layer carries one (QGIS evaluates a
 * field the layer lacks as NULL, without an error), else the id. */
#define NAME_OR(ID) "coalesce(nullif(trim(to_string({name})), ''), " ID ")"

/* sites: categorised by build period (viridis, dark = early), existing grey,
 * not built small and pale; CSV writes a NULL text as '', hence nullif. */
char *pl_style_sites(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    int T = sc->n_periods;
    head(&b, 1);
    temporal(&b, sc, fm, "build_date", NULL);
    r5g_str_append(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"");
    expr(&b, fm, "coalesce(nullif({build_period}, ''), {status})");
    r5g_str_append(&b, "\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n"
                       "      <category render=\"true\" value=\"existing\" label=\"on air before ");
    r5g_str_append_xml(&b, sc->period_label[0]);
    r5g_str_append(&b, "\" symbol=\"0\"/>\n");
    for (int t = 1; t <= T; t++) {
        r5g_str_appendf(&b, "      <category render=\"true\" value=\"");
        r5g_str_append_xml(&b, sc->period_label[t - 1]);
        r5g_str_appendf(&b, "\" label=\"built ");
        r5g_str_append_xml(&b, sc->period_label[t - 1]);
        r5g_str_appendf(&b, "\" symbol=\"%d\"/>\n", t);
    }
    r5g_str_appendf(&b, "      <category render=\"true\" value=\"not_built\" label=\"not built\" symbol=\"%d\"/>\n"
                        "    </categories>\n    <symbols>\n",
                    T + 1);
    marker(&b, 0, SITE_EXISTING_RGB, 255, "square", 2.6, "50,50,50,255");
    for (int t = 1; t <= T; t++)
        marker(&b, t, period_color(t, T), 255, "triangle", 3.2, "35,35,35,255");
    marker(&b, T + 1, "255,255,255", 0, "circle", 1.4, SITE_NOT_BUILT_OUTLINE ",255");
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    /* sites on air only: candidates left unbuilt stay unnamed */
    labeling(&b, fm, "CASE WHEN {status} = 'not_built' THEN NULL ELSE " NAME_OR("{site_id}") " END", 50000);
    tail(&b, 0);
    return r5g_str_finish(&b);
}

/* coverage: semi-transparent fills categorised by build_index. */
char *pl_style_coverage(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    int T = sc->n_periods;
    head(&b, 0);
    temporal(&b, sc, fm, "build_date", NULL);
    r5g_str_append(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"");
    r5g_str_append_xml(&b, pl_field_map_name(fm, "build_index"));
    r5g_str_append(&b, "\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n");
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

char *pl_style_coverage_by_period(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    head(&b, 0);
    temporal(&b, sc, fm, "period_date", "period_end");
    r5g_str_appendf(&b, "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
                        "enableorderby=\"0\">\n    <symbols>\n");
    fill(&b, 0, COVERAGE_BY_PERIOD_RGB, 60, COVERAGE_BY_PERIOD_RGB, 0.4);
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n  <layerOpacity>0.8</layerOpacity>\n");
    tail(&b, 2);
    return r5g_str_finish(&b);
}

/* demand: its status as of the time the map shows (docs/output.md). With a
 * time range: appeared and covered by then, on time (green) or late
 * (orange); appeared, not covered yet (purple); never covered (red); not
 * appeared yet, a faint forecast, green where coverage is already there
 * (ahead of demand). Without one (a static map): the final status. The
 * classes exclude each other: each point matches one rule (two with the
 * white-list split). White-listed points are larger stars. */
char *pl_style_demand(const pl_scenario *sc, const pl_field_map *fm)
{
#define APPEARED ASOF("{demand_date}")
#define COVERED ASOF("{covered_date}")
    static const char *const filter[DEM_NCLS] = {
        [DEM_ON_TIME] = "{covered_date} IS NOT NULL AND {on_time} = 1 AND (" STATIC " OR (" APPEARED " AND " COVERED "))",
        [DEM_LATE] = "{covered_date} IS NOT NULL AND {on_time} = 0 AND (" STATIC " OR (" APPEARED " AND " COVERED "))",
        [DEM_NOT_YET] = TIMED " AND " APPEARED " AND {covered_date} IS NOT NULL AND NOT " COVERED,
        [DEM_NEVER] = "{covered_date} IS NULL AND (" STATIC " OR " APPEARED ")",
        [DEM_AHEAD] = TIMED " AND NOT " APPEARED " AND coalesce(" COVERED ", false)",
        [DEM_FORECAST] = TIMED " AND NOT " APPEARED " AND NOT coalesce(" COVERED ", false)",
    };
#undef APPEARED
#undef COVERED
    enum { NC = DEM_NCLS };
    r5g_str b = R5G_STR_INIT;
    head(&b, 1);
    temporal(&b, sc, fm, NULL, NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" forceraster=\"0\" "
                        "enableorderby=\"0\">\n    <rules key=\"demand\">\n");
    for (int k = 0; k < NC; k++) {
        for (int white = 1; white >= 0; white--) {
            r5g_str_appendf(&b, "      <rule key=\"%s%s\" label=\"%s%s\" symbol=\"%d\" filter=\"(", dem_cls[k].key,
                            white ? "_whitelist" : "", dem_cls[k].label, white ? ", white-list" : "",
                            2 * k + !white);
            expr(&b, fm, filter[k]);
            expr(&b, fm, white ? ") AND {whitelist} = 1" : ") AND coalesce({whitelist}, 0) = 0");
            r5g_str_append(&b, "\"/>\n");
        }
    }
    r5g_str_appendf(&b, "    </rules>\n    <symbols>\n");
    for (int k = 0; k < NC; k++) {
        marker(&b, 2 * k, dem_cls[k].rgb, dem_cls[k].alpha, "star", 3.6,
               dem_cls[k].alpha == 255 ? "0,0,0,255" : "0,0,0,70");
        marker(&b, 2 * k + 1, dem_cls[k].rgb, dem_cls[k].alpha == 255 ? 200 : dem_cls[k].alpha, "circle", 1.4,
               "255,255,255,0");
    }
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    labeling(&b, fm, "CASE WHEN {whitelist} = 1 THEN " NAME_OR("{demand_id}") " END", 20000);
    tail(&b, 0);
    return r5g_str_finish(&b);
}

char *pl_style_links(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    head(&b, 0);
    temporal(&b, sc, fm, "covered_date", NULL);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
                        "enableorderby=\"0\">\n    <symbols>\n");
    line(&b, 0, LINK_RGB ",160", 0.15);
    r5g_str_appendf(&b, "    </symbols>\n  </renderer-v2>\n");
    tail(&b, 1);
    return r5g_str_finish(&b);
}

/* region_kpi: graduated by covered_share in fixed classes that resolve the
 * top, where rollouts spend most periods (docs/output.md), pale yellow to
 * dark blue; a region without demand yet (NULL share) in grey. Fixed, so a
 * colour means the same share in every period and every plan. */
char *pl_style_region_kpi(const pl_scenario *sc, const pl_field_map *fm)
{
    const double *up = region_up;
    enum { NCLS = REGION_NCLS };
    r5g_str b = R5G_STR_INIT;
    head(&b, 0);
    temporal(&b, sc, fm, "period_date", "period_end");
    /* a map without time shows the last period only, not all stacked */
    char cls[128];
    snprintf(cls, sizeof cls, "CASE WHEN " STATIC " AND {period_index} <> %d THEN NULL "
             "ELSE coalesce({covered_share}, -1) END", sc->n_periods);
    r5g_str_append(&b, "  <renderer-v2 type=\"graduatedSymbol\" attr=\"");
    expr(&b, fm, cls);
    r5g_str_append(&b, "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" "
                       "enableorderby=\"0\">\n    <ranges>\n"
                       "      <range lower=\"-1\" upper=\"-1\" label=\"no demand yet\" symbol=\"0\" render=\"true\"/>\n");
    for (int k = 0; k < NCLS; k++) {
        double lo = k ? up[k - 1] : 0;
        char label[48];
        if (k == 0)
            snprintf(label, sizeof label, "below %g %%", 100 * up[k]);
        else
            snprintf(label, sizeof label, "%g - %g %%", 100 * lo, 100 * up[k]);
        r5g_str_appendf(&b, "      <range lower=\"%.6f\" upper=\"%.6f\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n",
                        lo, up[k], label, k + 1);
    }
    r5g_str_appendf(&b, "    </ranges>\n    <symbols>\n");
    fill(&b, 0, REGION_NONE_RGB, 120, "60,60,60", 0.3);
    for (int k = 0; k < NCLS; k++)
        fill(&b, k + 1, region_rgb[k], 150, "60,60,60", 0.3);
    r5g_str_appendf(&b, "    </symbols>\n    <classificationMethod id=\"EqualInterval\"/>\n  </renderer-v2>\n");
    tail(&b, 2);
    return r5g_str_finish(&b);
}

char *pl_style_period_table(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    head(&b, 0);
    temporal(&b, sc, fm, "period_date", "period_end");
    tail(&b, 4);
    return r5g_str_finish(&b);
}

char *pl_style_plain(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    (void)fm;
    head(&b, 0);
    tail(&b, 4);
    return r5g_str_finish(&b);
}

/* ---- per-feature OGR styles (KML) ------------------------------------------ */

static const char *ogr_symbol(char *buf, size_t size, const char *rgb, int alpha, double scale)
{
    char c[10];
    snprintf(buf, size, "SYMBOL(id:\"ogr-sym-3\",c:%s,s:%.1f)", hex(rgb, alpha, c), scale);
    return buf;
}

static const char *ogr_area(char *buf, size_t size, const char *rgb, int alpha, const char *outline)
{
    char c[10], o[10];
    snprintf(buf, size, "PEN(c:%s,w:1px);BRUSH(fc:%s)", hex(outline, 255, o), hex(rgb, alpha, c));
    return buf;
}

const char *pl_kml_style_site(const pl_scenario *sc, int existing, int build_index, char *buf,
                              size_t size)
{
    if (existing)
        return ogr_symbol(buf, size, SITE_EXISTING_RGB, 255, 1.0);
    if (build_index <= 0)
        return ogr_symbol(buf, size, SITE_NOT_BUILT_OUTLINE, 160, 0.6);
    return ogr_symbol(buf, size, period_color(build_index, sc->n_periods), 255, 1.2);
}

int pl_demand_final_class(int covered_index, int on_time)
{
    return covered_index <= 0 ? DEM_NEVER : on_time ? DEM_ON_TIME : DEM_LATE;
}

const char *pl_kml_style_demand(int covered_index, int on_time, int whitelist, char *buf, size_t size)
{
    int k = pl_demand_final_class(covered_index, on_time);
    return ogr_symbol(buf, size, dem_cls[k].rgb, 255, whitelist ? 1.2 : 0.7);
}

const char *pl_kml_style_coverage(const pl_scenario *sc, int build_index, char *buf, size_t size)
{
    const char *rgb = period_color(build_index > 0 ? build_index : 1, sc->n_periods);
    return ogr_area(buf, size, rgb, 70, rgb);
}

const char *pl_kml_style_coverage_by_period(char *buf, size_t size)
{
    return ogr_area(buf, size, COVERAGE_BY_PERIOD_RGB, 60, COVERAGE_BY_PERIOD_RGB);
}

const char *pl_kml_style_region(double covered_share, char *buf, size_t size)
{
    if (isnan(covered_share))
        return ogr_area(buf, size, REGION_NONE_RGB, 120, "60,60,60");
    return ogr_area(buf, size, region_rgb[region_class(covered_share)], 150, "60,60,60");
}

const char *pl_kml_style_link(char *buf, size_t size)
{
    char c[10];
    snprintf(buf, size, "PEN(c:%s,w:1px)", hex(LINK_RGB, 160, c));
    return buf;
}

/* ---- SLD (StyledLayerDescriptor 1.0.0) ------------------------------------- */

static void sld_head(r5g_str *b, const char *layer, const char *title)
{
    r5g_str_appendf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\" "
                       "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                       "xsi:schemaLocation=\"http://www.opengis.net/sld "
                       "http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd\">\n"
                       "  <NamedLayer>\n    <Name>%s</Name>\n    <UserStyle>\n      <Name>%s</Name>\n"
                       "      <Title>",
                    layer, layer);
    r5g_str_append_xml(b, title);
    r5g_str_append(b, "</Title>\n      <FeatureTypeStyle>\n");
}

static void sld_tail(r5g_str *b)
{
    r5g_str_append(b, "      </FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n"
                      "</StyledLayerDescriptor>\n");
}

static void sld_rule_open(r5g_str *b, const char *name, const char *title)
{
    r5g_str_append(b, "        <Rule>\n          <Name>");
    r5g_str_append_xml(b, name);
    r5g_str_append(b, "</Name>\n          <Title>");
    r5g_str_append_xml(b, title);
    r5g_str_append(b, "</Title>\n          <ogc:Filter>\n");
}

/* <ogc:OP><ogc:PropertyName>field</ogc:PropertyName><ogc:Literal>value</ogc:Literal></ogc:OP> */
static void sld_cmp(r5g_str *b, const pl_field_map *fm, const char *op, const char *field,
                    const char *value)
{
    r5g_str_appendf(b, "            <ogc:%s><ogc:PropertyName>", op);
    r5g_str_append_xml(b, pl_field_map_name(fm, field));
    r5g_str_append(b, "</ogc:PropertyName>");
    if (value) {
        r5g_str_append(b, "<ogc:Literal>");
        r5g_str_append_xml(b, value);
        r5g_str_append(b, "</ogc:Literal>");
    }
    r5g_str_appendf(b, "</ogc:%s>\n", op);
}

static void sld_point(r5g_str *b, const char *shape, const char *rgb, double opacity,
                      const char *stroke, int size)
{
    char f[10], s[10];
    r5g_str_appendf(b, "          </ogc:Filter>\n          <PointSymbolizer>\n            <Graphic>\n"
                       "              <Mark>\n                <WellKnownName>%s</WellKnownName>\n"
                       "                <Fill><CssParameter name=\"fill\">%s</CssParameter>"
                       "<CssParameter name=\"fill-opacity\">%.2f</CssParameter></Fill>\n"
                       "                <Stroke><CssParameter name=\"stroke\">%s</CssParameter>"
                       "<CssParameter name=\"stroke-width\">0.5</CssParameter></Stroke>\n"
                       "              </Mark>\n              <Size>%d</Size>\n            </Graphic>\n"
                       "          </PointSymbolizer>\n        </Rule>\n",
                    shape, hex(rgb, -1, f), opacity, hex(stroke, -1, s), size);
}

static void sld_polygon(r5g_str *b, const char *rgb, double opacity, const char *stroke)
{
    char f[10], s[10];
    r5g_str_appendf(b, "          </ogc:Filter>\n          <PolygonSymbolizer>\n"
                       "            <Fill><CssParameter name=\"fill\">%s</CssParameter>"
                       "<CssParameter name=\"fill-opacity\">%.2f</CssParameter></Fill>\n"
                       "            <Stroke><CssParameter name=\"stroke\">%s</CssParameter>"
                       "<CssParameter name=\"stroke-width\">0.5</CssParameter></Stroke>\n"
                       "          </PolygonSymbolizer>\n        </Rule>\n",
                    hex(rgb, -1, f), opacity, hex(stroke, -1, s));
}

/* sites by status and build period: the categories of the QML style */
char *pl_sld_sites(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    int T = sc->n_periods;
    sld_head(&b, "sites", "sites by build period (rollout5g)");
    char title[96];
    snprintf(title, sizeof title, "on air before %s", sc->period_label[0]);
    sld_rule_open(&b, "existing", title);
    sld_cmp(&b, fm, "PropertyIsEqualTo", "status", "existing");
    sld_point(&b, "square", SITE_EXISTING_RGB, 1, "50,50,50", 8);
    for (int t = 1; t <= T; t++) {
        snprintf(title, sizeof title, "built %s", sc->period_label[t - 1]);
        char idx[16];
        snprintf(idx, sizeof idx, "%d", t);
        sld_rule_open(&b, sc->period_label[t - 1], title);
        r5g_str_append(&b, "            <ogc:And>\n");
        sld_cmp(&b, fm, "PropertyIsEqualTo", "status", "built");
        sld_cmp(&b, fm, "PropertyIsEqualTo", "build_index", idx);
        r5g_str_append(&b, "            </ogc:And>\n");
        sld_point(&b, "triangle", period_color(t, T), 1, "35,35,35", 10);
    }
    sld_rule_open(&b, "not_built", "not built");
    sld_cmp(&b, fm, "PropertyIsEqualTo", "status", "not_built");
    sld_point(&b, "circle", "255,255,255", 0, SITE_NOT_BUILT_OUTLINE, 5);
    sld_tail(&b);
    return r5g_str_finish(&b);
}

/* demand by its final status (a static map: no time in SLD) */
char *pl_sld_demand(const pl_scenario *sc, const pl_field_map *fm)
{
    static const int final[] = {DEM_ON_TIME, DEM_LATE, DEM_NEVER};
    r5g_str b = R5G_STR_INIT;
    (void)sc;
    sld_head(&b, "demand", "demand by final status (rollout5g)");
    for (size_t i = 0; i < sizeof final / sizeof *final; i++) {
        int k = final[i];
        sld_rule_open(&b, dem_cls[k].key, dem_cls[k].label);
        if (k == DEM_NEVER)
            sld_cmp(&b, fm, "PropertyIsNull", "covered_index", NULL);
        else {
            r5g_str_append(&b, "            <ogc:And>\n              <ogc:Not>\n");
            sld_cmp(&b, fm, "PropertyIsNull", "covered_index", NULL);
            r5g_str_append(&b, "              </ogc:Not>\n");
            sld_cmp(&b, fm, "PropertyIsEqualTo", "on_time", k == DEM_ON_TIME ? "1" : "0");
            r5g_str_append(&b, "            </ogc:And>\n");
        }
        sld_point(&b, "circle", dem_cls[k].rgb, 1, "0,0,0", 6);
    }
    sld_tail(&b);
    return r5g_str_finish(&b);
}

/* region_kpi of the last period by covered_share class */
char *pl_sld_region_kpi(const pl_scenario *sc, const pl_field_map *fm)
{
    r5g_str b = R5G_STR_INIT;
    char last[16], lo[32], up[32], label[64];
    snprintf(last, sizeof last, "%d", sc->n_periods);
    snprintf(label, sizeof label, "region_kpi %s by covered share (rollout5g)",
             sc->period_label[sc->n_periods - 1]);
    sld_head(&b, "region_kpi", label);
    sld_rule_open(&b, "no_demand", "no demand yet");
    r5g_str_append(&b, "            <ogc:And>\n");
    sld_cmp(&b, fm, "PropertyIsEqualTo", "period_index", last);
    sld_cmp(&b, fm, "PropertyIsNull", "covered_share", NULL);
    r5g_str_append(&b, "            </ogc:And>\n");
    sld_polygon(&b, REGION_NONE_RGB, 0.47, "60,60,60");
    for (int k = 0; k < REGION_NCLS; k++) {
        if (k == 0)
            snprintf(label, sizeof label, "below %g %%", 100 * region_up[k]);
        else
            snprintf(label, sizeof label, "%g - %g %%", 100 * region_up[k - 1], 100 * region_up[k]);
        char name[16];
        snprintf(name, sizeof name, "class_%d", k + 1);
        sld_rule_open(&b, name, label);
        snprintf(up, sizeof up, "%.6f", region_up[k]);
        r5g_str_append(&b, "            <ogc:And>\n");
        sld_cmp(&b, fm, "PropertyIsEqualTo", "period_index", last);
        if (k > 0) { /* QGIS's ranges: the lower bound belongs to the class below */
            snprintf(lo, sizeof lo, "%.6f", region_up[k - 1]);
            sld_cmp(&b, fm, "PropertyIsGreaterThan", "covered_share", lo);
        }
        sld_cmp(&b, fm, "PropertyIsLessThanOrEqualTo", "covered_share", up);
        r5g_str_append(&b, "            </ogc:And>\n");
        sld_polygon(&b, region_rgb[k], 0.59, "60,60,60");
    }
    sld_tail(&b);
    return r5g_str_finish(&b);
}
