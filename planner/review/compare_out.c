/* Rendering a comparison: the layers of the -o GeoPackage with their QGIS
 * styles, the --json document, the table on the terminal, and the command
 * that writes them all or nothing (pl_compare_run). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strbuf.h"
#include "planner/report/html.h"
#include "planner/report/textfile.h"
#include "planner/review/compare.h"

/* ---- layers --------------------------------------------------------------------- */

static geo_val period_label(const pl_cmp *c, int t)
{
    return t > 0 && t <= c->T ? GEO_STR(c->sc->period_label[t - 1]) : GEO_NULL;
}
static geo_val period_date(const pl_cmp *c, int t)
{
    return t > 0 && t <= c->T ? GEO_STR(c->sc->period_date[t - 1]) : GEO_NULL;
}
static geo_val index_or_null(int t) { return t > 0 ? GEO_INT(t) : GEO_NULL; }
static geo_val real_or_null(double v) { return isfinite(v) ? GEO_REAL(v) : GEO_NULL; }

/* first period on air of site s of plan i, 0 never or no such site */
static int on_air(const pl_cmp *c, int i, int s) { return s >= 0 ? c->plan[i].p->s_on_air[s] : 0; }

static int write_site_diff(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"site_id", GEO_FT_STR},         {"plan", GEO_FT_STR},           {"change", GEO_FT_STR},
        {"kind", GEO_FT_STR},            {"build_period_a", GEO_FT_STR}, {"build_index_a", GEO_FT_INT},
        {"build_date_a", GEO_FT_DATE},   {"build_period_b", GEO_FT_STR}, {"build_index_b", GEO_FT_INT},
        {"build_date_b", GEO_FT_DATE},   {"shift_periods", GEO_FT_INT},  {"capex_a", GEO_FT_REAL},
        {"capex_b", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(out, "site_diff", GEO_GEOM_POINT, f, NF, err);
    const pl_plan *a = c->plan[0].p;
    for (size_t r = 0; rc == 0 && r < c->n_sites; r++) {
        const pl_cmp_site *d = &c->sites[r];
        const pl_plan *b = c->plan[d->b].p;
        int ta = on_air(c, 0, d->sa), tb = on_air(c, d->b, d->sb);
        int ex = d->sa >= 0 ? a->s_kind[d->sa] == PL_KIND_EXISTING : b->s_kind[d->sb] == PL_KIND_EXISTING;
        /* existing sites are on air from period 1 but built in none */
        int ba = ex ? 0 : ta, bb = ex ? 0 : tb;
        geo_val v[NF] = {
            GEO_STR(d->sa >= 0 ? a->s_id[d->sa] : b->s_id[d->sb]),
            GEO_STR(c->plan[d->b].label),
            GEO_STR(pl_site_change_name(d->change)),
            GEO_STR(pl_kind_name(d->sa >= 0 ? a->s_kind[d->sa] : b->s_kind[d->sb])),
            period_label(c, ba),
            index_or_null(ba),
            period_date(c, ba),
            period_label(c, bb),
            index_or_null(bb),
            period_date(c, bb),
            ta && tb ? GEO_INT(tb - ta) : GEO_NULL,
            d->sa >= 0 && ta ? GEO_REAL(a->s_capex[d->sa]) : GEO_NULL,
            d->sb >= 0 && tb ? GEO_REAL(b->s_capex[d->sb]) : GEO_NULL,
        };
        const pl_cmp_plan *at = d->sa >= 0 ? &c->plan[0] : &c->plan[d->b];
        int s = d->sa >= 0 ? d->sa : d->sb;
        rc = geo_out_point(out, v, at->sx[s], at->sy[s], err);
    }
    return rc;
}

static int on_time(const pl_cmp *c, size_t j, int cov)
{
    int due = c->ref.period[j] - c->lead;
    return cov > 0 && cov <= (due < 1 ? 1 : due);
}

static int write_demand_diff(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"demand_id", GEO_FT_STR},       {"plan", GEO_FT_STR},            {"whitelist", GEO_FT_INT},
        {"weight", GEO_FT_REAL},         {"region_id", GEO_FT_STR},       {"demand_period", GEO_FT_STR},
        {"demand_index", GEO_FT_INT},    {"covered_period_a", GEO_FT_STR}, {"covered_index_a", GEO_FT_INT},
        {"covered_period_b", GEO_FT_STR}, {"covered_index_b", GEO_FT_INT}, {"on_time_a", GEO_FT_INT},
        {"on_time_b", GEO_FT_INT},       {"change", GEO_FT_STR}};
    enum { NF = sizeof f / sizeof *f };
    const pl_cmp_ref *r = &c->ref;
    int rc = geo_out_layer(out, "demand_diff", GEO_GEOM_POINT, f, NF, err);
    for (size_t k = 0; rc == 0 && k < c->n_dem; k++) {
        const pl_cmp_dem *d = &c->dem[k];
        size_t j = d->j;
        int ca = c->plan[0].cov[j], cb = c->plan[d->b].cov[j];
        geo_val v[NF] = {
            GEO_STR(r->id[j]),
            GEO_STR(c->plan[d->b].label),
            GEO_INT(r->white[j]),
            GEO_REAL(r->w[j]),
            GEO_STR(r->region[j] >= 0 ? r->r_id[r->region[j]] : NULL),
            period_label(c, r->period[j]),
            GEO_INT(r->period[j]),
            period_label(c, ca),
            index_or_null(ca),
            period_label(c, cb),
            index_or_null(cb),
            GEO_INT(on_time(c, j, ca)),
            GEO_INT(on_time(c, j, cb)),
            GEO_STR(pl_dem_change_name(d->change)),
        };
        rc = geo_out_point(out, v, r->x[j], r->y[j], err);
    }
    return rc;
}

static double per_10k(int sites, double pop) { return isfinite(pop) && pop > 0 ? sites * 1e4 / pop : NAN; }

static int write_region_diff(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"region_id", GEO_FT_STR},       {"name", GEO_FT_STR},             {"population", GEO_FT_REAL},
        {"plan", GEO_FT_STR},            {"period", GEO_FT_STR},           {"period_index", GEO_FT_INT},
        {"period_date", GEO_FT_DATE},    {"period_end", GEO_FT_DATE},      {"covered_share_a", GEO_FT_REAL},
        {"covered_share_b", GEO_FT_REAL}, {"covered_change", GEO_FT_REAL}, {"on_time_share_a", GEO_FT_REAL},
        {"on_time_share_b", GEO_FT_REAL}, {"on_time_change", GEO_FT_REAL}, {"sites_on_air_a", GEO_FT_INT},
        {"sites_on_air_b", GEO_FT_INT},  {"sites_per_10k_a", GEO_FT_REAL}, {"sites_per_10k_b", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    const pl_cmp_ref *r = &c->ref;
    int T = c->T;
    int rc = geo_out_layer(out, "region_diff", GEO_GEOM_MULTIPOLYGON, f, NF, err);
    const pl_cmp_plan *qa = &c->plan[0];
    for (int i = 1; i < c->n; i++) {
        const pl_cmp_plan *qb = &c->plan[i];
        for (int t = 1; t <= T; t++) {
            char end[11];
            pl_scenario_period_end(c->sc, t, end);
            for (size_t g = 0; rc == 0 && g < r->nr; g++) {
                size_t at = g * (size_t)T + (size_t)(t - 1);
                double pop = r->r_pop[g];
                geo_val v[NF] = {
                    GEO_STR(r->r_id[g]),
                    GEO_STR(r->r_name[g]),
                    real_or_null(pop),
                    GEO_STR(qb->label),
                    period_label(c, t),
                    GEO_INT(t),
                    period_date(c, t),
                    GEO_STR(end),
                    real_or_null(qa->r_cov[at]),
                    real_or_null(qb->r_cov[at]),
                    real_or_null(qb->r_cov[at] - qa->r_cov[at]),
                    real_or_null(qa->r_ontime[at]),
                    real_or_null(qb->r_ontime[at]),
                    real_or_null(qb->r_ontime[at] - qa->r_ontime[at]),
                    GEO_INT(qa->r_sites[at]),
                    GEO_INT(qb->r_sites[at]),
                    real_or_null(per_10k(qa->r_sites[at], pop)),
                    real_or_null(per_10k(qb->r_sites[at], pop)),
                };
                rc = geo_out_table_geom(out, v, r->regions, g, err);
            }
        }
    }
    return rc;
}

static int write_colocation(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"site_a", GEO_FT_STR},         {"site_b", GEO_FT_STR},         {"plan_a", GEO_FT_STR},
        {"plan_b", GEO_FT_STR},         {"distance_m", GEO_FT_REAL},    {"kind_a", GEO_FT_STR},
        {"kind_b", GEO_FT_STR},         {"build_period_a", GEO_FT_STR}, {"build_index_a", GEO_FT_INT},
        {"build_period_b", GEO_FT_STR}, {"build_index_b", GEO_FT_INT},  {"both_on_air_period", GEO_FT_STR}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(out, "colocation", GEO_GEOM_POINT, f, NF, err);
    for (size_t k = 0; rc == 0 && k < c->n_coloc; k++) {
        const pl_cmp_coloc *d = &c->coloc[k];
        const pl_cmp_plan *qa = &c->plan[d->pa], *qb = &c->plan[d->pb];
        int ea = qa->p->s_kind[d->sa] == PL_KIND_EXISTING, eb = qb->p->s_kind[d->sb] == PL_KIND_EXISTING;
        int ta = qa->p->s_on_air[d->sa], tb = qb->p->s_on_air[d->sb];
        geo_val v[NF] = {
            GEO_STR(qa->p->s_id[d->sa]),
            GEO_STR(qb->p->s_id[d->sb]),
            GEO_STR(qa->label),
            GEO_STR(qb->label),
            GEO_REAL(d->dist),
            GEO_STR(pl_kind_name(qa->p->s_kind[d->sa])),
            GEO_STR(pl_kind_name(qb->p->s_kind[d->sb])),
            period_label(c, ea ? 0 : ta),
            index_or_null(ea ? 0 : ta),
            period_label(c, eb ? 0 : tb),
            index_or_null(eb ? 0 : tb),
            period_label(c, ta > tb ? ta : tb),
        };
        rc = geo_out_point(out, v, 0.5 * (qa->sx[d->sa] + qb->sx[d->sb]), 0.5 * (qa->sy[d->sa] + qb->sy[d->sb]),
                           err);
    }
    return rc;
}

static int write_kpi(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"period", GEO_FT_STR},          {"period_index", GEO_FT_INT},     {"period_date", GEO_FT_DATE},
        {"period_end", GEO_FT_DATE},     {"plan", GEO_FT_STR},             {"covered_share", GEO_FT_REAL},
        {"covered_change", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL},   {"on_time_change", GEO_FT_REAL},
        {"whitelist_on_time_share", GEO_FT_REAL}, {"whitelist_on_time_change", GEO_FT_REAL},
        {"capex", GEO_FT_REAL},          {"capex_cumulative", GEO_FT_REAL},
        {"capex_per_covered_weight", GEO_FT_REAL}, {"sites_on_air", GEO_FT_INT}, {"new_sites", GEO_FT_INT},
        {"idle_sites", GEO_FT_INT},      {"demand_weight", GEO_FT_REAL},   {"covered_weight", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(out, "compare_kpi", GEO_GEOM_NONE, f, NF, err);
    for (int t = 1; t <= c->T; t++) {
        char end[11];
        pl_scenario_period_end(c->sc, t, end);
        const pl_cmp_kpi *ka = &c->plan[0].k[t - 1];
        for (int i = 0; rc == 0 && i < c->n; i++) {
            const pl_cmp_kpi *k = &c->plan[i].k[t - 1];
            geo_val v[NF] = {
                period_label(c, t),
                GEO_INT(t),
                period_date(c, t),
                GEO_STR(end),
                GEO_STR(c->plan[i].label),
                real_or_null(k->covered_share),
                real_or_null(k->covered_share - ka->covered_share),
                real_or_null(k->on_time_share),
                real_or_null(k->on_time_share - ka->on_time_share),
                real_or_null(k->whitelist_on_time_share),
                real_or_null(k->whitelist_on_time_share - ka->whitelist_on_time_share),
                GEO_REAL(k->capex),
                GEO_REAL(k->capex_cum),
                real_or_null(k->capex_per_covered),
                GEO_INT(k->sites_on_air),
                GEO_INT(k->new_sites),
                GEO_INT(k->idle_sites),
                GEO_REAL(k->demand_weight),
                GEO_REAL(k->covered_weight),
            };
            rc = geo_out_row(out, v, err);
        }
    }
    return rc;
}

static int write_meta(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    static const geo_fdef f[] = {{"key", GEO_FT_STR}, {"value", GEO_FT_STR}};
    int rc = geo_out_layer(out, "compare_meta", GEO_GEOM_NONE, f, 2, err);
    char buf[64];
#define ROW(k, v)                                                                                          \
    do {                                                                                                   \
        if (rc == 0)                                                                                       \
            rc = geo_out_row(out, (geo_val[2]){GEO_STR(k), GEO_STR(v)}, err);                           \
    } while (0)
    for (int i = 0; i < c->n; i++) {
        char key[64];
        snprintf(key, sizeof key, "plan_%d", i + 1);
        ROW(key, c->plan[i].path);
        snprintf(key, sizeof key, "label_%d", i + 1);
        ROW(key, c->plan[i].label);
        snprintf(key, sizeof key, "coverage_%d", i + 1);
        ROW(key, c->plan[i].own_coverage ? "own" : "fixed_radius");
    }
    snprintf(buf, sizeof buf, "%d", c->lead);
    ROW("lead_periods", buf);
    snprintf(buf, sizeof buf, "%d", c->max_lead);
    ROW("max_lead_periods", buf);
    ROW("reference_demand", c->ref.demand_from);
    ROW("reference_regions", c->ref.regions_from);
    snprintf(buf, sizeof buf, "%g", c->share_distance);
    ROW("share_distance_m", buf);
    ROW("working_crs", geo_crs_name(c->crs));
    ROW("rollout5g_version", PACKAGE_VERSION);
    for (int k = 0; k < c->n_notes; k++)
        ROW("note", c->notes[k]);
#undef ROW
    return rc;
}

/* ---- QGIS styles --------------------------------------------------------------- */

/* A QML symbol: one layer of class cls with its properties as key=value pairs. */
static void qml_symbol(r5g_str *b, const char *type, int name, const char *cls, const char *const *props)
{
    r5g_str_appendf(b, "      <symbol type=\"%s\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                       "        <layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">\n",
                    type, name, cls);
    for (const char *const *p = props; *p; p += 2)
        r5g_str_appendf(b, "          <Option type=\"QString\" name=\"%s\" value=\"%s\"/>\n", p[0], p[1]);
    r5g_str_append(b, "        </Option></layer>\n      </symbol>\n");
}

static void qml_point(r5g_str *b, int name, const char *shape, const char *rgba, const char *size)
{
    const char *props[] = {"name", shape, "color", rgba, "size", size, "size_unit", "MM", "outline_color",
                           "35,35,35,255", "outline_width", "0.2", "outline_width_unit", "MM", NULL};
    qml_symbol(b, "marker", name, "SimpleMarker", props);
}

static void qml_open(r5g_str *b)
{
    r5g_str_append(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.16\" "
                      "styleCategories=\"AllStyleCategories\">\n");
}

static void qml_close(r5g_str *b, int geometry)
{
    r5g_str_appendf(b, "  <layerGeometryType>%d</layerGeometryType>\n</qgis>\n", geometry);
}

typedef struct qml_class {
    const char *value, *label, *shape, *rgba, *size;
} qml_class;

/* A categorised renderer on expression attr. */
static char *qml_categories(const char *attr, const qml_class *cls, int n, int geometry)
{
    r5g_str b = R5G_STR_INIT;
    qml_open(&b);
    r5g_str_appendf(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" symbollevels=\"0\" "
                        "forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n", attr);
    for (int k = 0; k < n; k++)
        r5g_str_appendf(&b, "      <category render=\"true\" value=\"%s\" label=\"%s\" symbol=\"%d\"/>\n",
                        cls[k].value, cls[k].label, k);
    r5g_str_append(&b, "    </categories>\n    <symbols>\n");
    for (int k = 0; k < n; k++)
        qml_point(&b, k, cls[k].shape, cls[k].rgba, cls[k].size);
    r5g_str_append(&b, "    </symbols>\n  </renderer-v2>\n");
    qml_close(&b, geometry);
    return r5g_str_finish(&b);
}

static char *style_site_diff(void)
{
    static const qml_class cls[] = {{"only_a", "only in plan A", "triangle", "213,94,0,255", "3.6"},
                                    {"only_b", "only in the other plan", "triangle", "0,114,178,255", "3.6"},
                                    {"earlier", "built earlier in the other plan", "diamond", "0,158,115,255", "3.2"},
                                    {"later", "built later in the other plan", "diamond", "204,121,167,255", "3.2"},
                                    {"same", "the same period", "circle", "170,170,170,200", "1.8"}};
    return qml_categories("change", cls, 5, 0);
}

/* demand_diff: by change, white-listed points as larger stars */
static char *style_demand_diff(void)
{
    static const qml_class cls[] = {{"lost", "coverage lost", "circle", "215,25,28,255", "2.0"},
                                    {"became_late", "became late", "circle", "253,141,60,255", "2.0"},
                                    {"gained", "coverage gained", "circle", "26,150,65,255", "2.0"},
                                    {"became_on_time", "became on time", "circle", "43,131,186,255", "2.0"}};
    r5g_str b = R5G_STR_INIT;
    qml_open(&b);
    r5g_str_append(&b, "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" forceraster=\"0\" "
                       "enableorderby=\"0\">\n    <rules>\n");
    for (int r = 0; r < 8; r++) /* even: white-listed, odd: the rest */
        r5g_str_appendf(&b, "      <rule filter=\"&quot;change&quot; = '%s' AND %s\" label=\"%s%s\" symbol=\"%d\"/>\n",
                        cls[r / 2].value, r % 2 ? "coalesce(&quot;whitelist&quot;, 0) = 0" : "&quot;whitelist&quot; = 1",
                        cls[r / 2].label, r % 2 ? "" : ", white-list", r);
    r5g_str_append(&b, "    </rules>\n    <symbols>\n");
    for (int r = 0; r < 8; r++)
        qml_point(&b, r, r % 2 ? cls[r / 2].shape : "star", cls[r / 2].rgba, r % 2 ? cls[r / 2].size : "4.0");
    r5g_str_append(&b, "    </symbols>\n  </renderer-v2>\n");
    qml_close(&b, 0);
    return r5g_str_finish(&b);
}

/* region_diff: graduated by covered_change (red loses, blue gains), one
 * period at a time in the temporal controller. */
static char *style_region_diff(void)
{
    static const struct {
        double lo, hi;
        const char *label, *rgb;
    } cls[] = {{-1, -0.1, "lower by more than 10 pp", "202,0,32"}, {-0.1, -0.01, "lower by 1 - 10 pp", "244,165,130"},
               {-0.01, 0.01, "within 1 pp", "247,247,247"},      {0.01, 0.1, "higher by 1 - 10 pp", "146,197,222"},
               {0.1, 1, "higher by more than 10 pp", "5,113,176"}};
    r5g_str b = R5G_STR_INIT;
    qml_open(&b);
    r5g_str_append(&b, "  <temporal enabled=\"1\" mode=\"2\" accumulate=\"0\" startField=\"period_date\" "
                       "endField=\"period_end\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" "
                       "startExpression=\"\" endExpression=\"\" limitMode=\"0\">\n"
                       "    <fixedRange><start></start><end></end></fixedRange>\n  </temporal>\n"
                       "  <renderer-v2 type=\"graduatedSymbol\" attr=\"covered_change\" graduatedMethod=\"GraduatedColor\" "
                       "symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n    <ranges>\n");
    for (int k = 0; k < 5; k++)
        r5g_str_appendf(&b, "      <range lower=\"%.6f\" upper=\"%.6f\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n",
                        cls[k].lo, cls[k].hi, cls[k].label, k);
    r5g_str_append(&b, "    </ranges>\n    <symbols>\n");
    for (int k = 0; k < 5; k++) {
        char rgba[32];
        snprintf(rgba, sizeof rgba, "%s,170", cls[k].rgb);
        const char *props[] = {"color", rgba, "style", "solid", "outline_color", "70,70,70,255", "outline_width",
                               "0.3", "outline_width_unit", "MM", NULL};
        qml_symbol(&b, "fill", k, "SimpleFill", props);
    }
    r5g_str_append(&b, "    </symbols>\n  </renderer-v2>\n");
    qml_close(&b, 2);
    return r5g_str_finish(&b);
}

static char *style_colocation(void)
{
    r5g_str b = R5G_STR_INIT;
    qml_open(&b);
    r5g_str_append(&b, "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
                       "enableorderby=\"0\">\n    <symbols>\n");
    qml_point(&b, 0, "diamond", "204,0,153,255", "3.4");
    r5g_str_append(&b, "    </symbols>\n  </renderer-v2>\n");
    qml_close(&b, 0);
    return r5g_str_finish(&b);
}

static char *style_table(void)
{
    r5g_str b = R5G_STR_INIT;
    qml_open(&b);
    qml_close(&b, 4);
    return r5g_str_finish(&b);
}

int pl_cmp_layers_write(geo_out *out, const pl_cmp *c, r5g_err *err)
{
    const struct {
        const char *name;
        int (*write)(geo_out *, const pl_cmp *, r5g_err *);
        char *(*style)(void);
    } jobs[] = {{"site_diff", write_site_diff, style_site_diff},
                {"demand_diff", write_demand_diff, style_demand_diff},
                {"region_diff", c->ref.regions ? write_region_diff : NULL, style_region_diff},
                {"colocation", write_colocation, style_colocation},
                {"compare_kpi", write_kpi, style_table},
                {"compare_meta", write_meta, style_table}};
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof jobs / sizeof *jobs; k++)
        if (jobs[k].write)
            rc = jobs[k].write(out, c, err);
    for (size_t k = 0; rc == 0 && k < sizeof jobs / sizeof *jobs; k++) {
        if (!jobs[k].write)
            continue;
        char *qml = jobs[k].style();
        rc = qml ? geo_out_style(out, jobs[k].name, qml, NULL, err) : r5g_err_set(err, R5G_ENOMEM, "out of memory");
        free(qml);
    }
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

static void jnum(r5g_str *b, double v)
{
    if (isfinite(v))
        r5g_str_appendf(b, "%.10g", v);
    else
        r5g_str_append(b, "null");
}

static void jstr(r5g_str *b, const char *s)
{
    if (s)
        r5g_str_append_json(b, s);
    else
        r5g_str_append(b, "null");
}

static void jkey(r5g_str *b, const char *k)
{
    r5g_str_append_json(b, k);
    r5g_str_append(b, ": ");
}

static void jperiod(r5g_str *b, const pl_cmp *c, int t)
{
    if (t > 0)
        jstr(b, c->sc->period_label[t - 1]);
    else
        r5g_str_append(b, "null");
}

static void json_rows(r5g_str *b, const pl_cmp *c, const pl_cmp_row *rows, int n)
{
    for (int r = 0; r < n; r++) {
        r5g_str_append(b, r ? ",\n    {" : "\n    {");
        jkey(b, "key");
        jstr(b, rows[r].key);
        r5g_str_append(b, ", \"values\": [");
        for (int i = 0; i < c->n; i++) {
            r5g_str_append(b, i ? ", " : "");
            jstr(b, rows[r].val[i]);
        }
        r5g_str_append(b, "]");
        if (rows[r].src) {
            r5g_str_append(b, ", \"sources\": [");
            for (int i = 0; i < c->n; i++) {
                r5g_str_append(b, i ? ", " : "");
                jstr(b, rows[r].src[i]);
            }
            r5g_str_append(b, "]");
        }
        r5g_str_appendf(b, ", \"same\": %s}", rows[r].same == 1 ? "true" : rows[r].same == 0 ? "false" : "null");
    }
}

static void json_plans(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"plans\": [");
    for (int i = 0; i < c->n; i++) {
        const pl_cmp_plan *q = &c->plan[i];
        const pl_plan *p = q->p;
        r5g_str_append(b, i ? ",\n    {" : "\n    {");
        jkey(b, "label");
        jstr(b, q->label);
        r5g_str_append(b, ", \"path\": ");
        jstr(b, q->path);
        r5g_str_append(b, ", \"scenario\": ");
        jstr(b, p->sc->name);
        r5g_str_appendf(b, ", \"objective_kind\": \"%s\", \"status\": ",
                        p->sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage");
        jstr(b, p->solve.status);
        r5g_str_append(b, ", \"objective\": ");
        jnum(b, p->objective);
        r5g_str_append(b, ", \"bound\": ");
        jnum(b, p->bound);
        r5g_str_append(b, ", \"gap\": ");
        jnum(b, p->gap);
        r5g_str_appendf(b, ", \"lead_periods\": %d, \"coverage\": \"%s\", \"sites_built\": %d, \"capex\": ",
                        p->sc->lead_periods, q->own_coverage ? "own" : "fixed_radius", q->n_built);
        jnum(b, q->capex);
        r5g_str_append(b, "}");
    }
    r5g_str_append(b, "\n  ],\n");
}

static void json_pairs(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"pairs\": [");
    for (int i = 1; i < c->n; i++) {
        const pl_cmp_pair *g = &c->pair[i - 1];
        r5g_str_append(b, i > 1 ? ",\n    {" : "\n    {");
        jkey(b, "a");
        jstr(b, c->plan[0].label);
        r5g_str_append(b, ", \"b\": ");
        jstr(b, c->plan[i].label);
        r5g_str_appendf(b, ", \"comparable\": %s, \"why_not\": ", g->comparable ? "true" : "false");
        jstr(b, g->comparable ? NULL : g->why);
        r5g_str_appendf(b, ", \"within_gap\": %s, \"carriers_differ\": %s, \"site_changes\": {",
                        g->within_gap == 1 ? "true" : g->within_gap == 0 ? "false" : "null",
                        g->carriers ? "true" : "false");
        for (int k = 0; k < PL_SITE_N; k++)
            r5g_str_appendf(b, "%s\"%s\": %d", k ? ", " : "", pl_site_change_name(k), g->n_site[k]);
        r5g_str_append(b, "}, \"demand_changes\": {");
        for (int k = 0; k < PL_DEM_N; k++)
            r5g_str_appendf(b, "%s\"%s\": %d", k ? ", " : "", pl_dem_change_name(k), g->n_dem[k]);
        r5g_str_append(b, "}, \"demand_changes_whitelist\": {");
        for (int k = 0; k < PL_DEM_N; k++)
            r5g_str_appendf(b, "%s\"%s\": %d", k ? ", " : "", pl_dem_change_name(k), g->n_dem_white[k]);
        r5g_str_append(b, "}}");
    }
    r5g_str_append(b, "\n  ],\n");
}

static void json_kpi(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"kpi\": [");
    int first = 1;
    for (int t = 1; t <= c->T; t++)
        for (int i = 0; i < c->n; i++) {
            const pl_cmp_kpi *k = &c->plan[i].k[t - 1], *ka = &c->plan[0].k[t - 1];
            r5g_str_append(b, first ? "\n    {" : ",\n    {");
            first = 0;
            jkey(b, "period");
            jperiod(b, c, t);
            r5g_str_appendf(b, ", \"period_index\": %d, \"plan\": ", t);
            jstr(b, c->plan[i].label);
            const struct {
                const char *key;
                double v;
            } f[] = {{"covered_share", k->covered_share},
                     {"covered_change", k->covered_share - ka->covered_share},
                     {"on_time_share", k->on_time_share},
                     {"on_time_change", k->on_time_share - ka->on_time_share},
                     {"whitelist_on_time_share", k->whitelist_on_time_share},
                     {"whitelist_on_time_change", k->whitelist_on_time_share - ka->whitelist_on_time_share},
                     {"capex", k->capex},
                     {"capex_cumulative", k->capex_cum},
                     {"capex_per_covered_weight", k->capex_per_covered},
                     {"demand_weight", k->demand_weight},
                     {"covered_weight", k->covered_weight}};
            for (size_t m = 0; m < sizeof f / sizeof *f; m++) {
                r5g_str_appendf(b, ", \"%s\": ", f[m].key);
                jnum(b, f[m].v);
            }
            r5g_str_appendf(b, ", \"sites_on_air\": %d, \"new_sites\": %d, \"idle_sites\": %d}", k->sites_on_air,
                            k->new_sites, k->idle_sites);
        }
    r5g_str_append(b, "\n  ],\n");
}

static void json_regions(r5g_str *b, const pl_cmp *c)
{
    const pl_cmp_ref *r = &c->ref;
    int T = c->T, first = 1;
    r5g_str_append(b, "  \"regions\": [");
    for (size_t g = 0; g < r->nr; g++)
        for (int t = 1; t <= T; t++)
            for (int i = 0; i < c->n; i++) {
                const pl_cmp_plan *q = &c->plan[i];
                size_t at = g * (size_t)T + (size_t)(t - 1);
                r5g_str_append(b, first ? "\n    {" : ",\n    {");
                first = 0;
                jkey(b, "region_id");
                jstr(b, r->r_id[g]);
                r5g_str_append(b, ", \"name\": ");
                jstr(b, r->r_name[g]);
                r5g_str_append(b, ", \"population\": ");
                jnum(b, r->r_pop[g]);
                r5g_str_append(b, ", \"period\": ");
                jperiod(b, c, t);
                r5g_str_appendf(b, ", \"period_index\": %d, \"plan\": ", t);
                jstr(b, q->label);
                r5g_str_append(b, ", \"covered_share\": ");
                jnum(b, q->r_cov[at]);
                r5g_str_append(b, ", \"on_time_share\": ");
                jnum(b, q->r_ontime[at]);
                r5g_str_appendf(b, ", \"sites_on_air\": %d, \"sites_per_10k\": ", q->r_sites[at]);
                jnum(b, per_10k(q->r_sites[at], r->r_pop[g]));
                r5g_str_append(b, "}");
            }
    r5g_str_append(b, "\n  ],\n");
}

static void json_sites(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"site_diff\": [");
    const pl_plan *a = c->plan[0].p;
    for (size_t k = 0; k < c->n_sites; k++) {
        const pl_cmp_site *d = &c->sites[k];
        const pl_plan *pb = c->plan[d->b].p;
        int ex = d->sa >= 0 ? a->s_kind[d->sa] == PL_KIND_EXISTING : pb->s_kind[d->sb] == PL_KIND_EXISTING;
        int ta = ex ? 0 : on_air(c, 0, d->sa), tb = ex ? 0 : on_air(c, d->b, d->sb);
        r5g_str_append(b, k ? ",\n    {" : "\n    {");
        jkey(b, "site_id");
        jstr(b, d->sa >= 0 ? a->s_id[d->sa] : pb->s_id[d->sb]);
        r5g_str_append(b, ", \"plan\": ");
        jstr(b, c->plan[d->b].label);
        r5g_str_appendf(b, ", \"change\": \"%s\", \"build_period_a\": ", pl_site_change_name(d->change));
        jperiod(b, c, ta);
        r5g_str_append(b, ", \"build_index_a\": ");
        jnum(b, ta ? ta : NAN);
        r5g_str_append(b, ", \"build_period_b\": ");
        jperiod(b, c, tb);
        r5g_str_append(b, ", \"build_index_b\": ");
        jnum(b, tb ? tb : NAN);
        r5g_str_append(b, "}");
    }
    r5g_str_append(b, "\n  ],\n");
}

static void json_demand(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"demand_diff\": [");
    for (size_t k = 0; k < c->n_dem; k++) {
        const pl_cmp_dem *d = &c->dem[k];
        int ca = c->plan[0].cov[d->j], cb = c->plan[d->b].cov[d->j];
        r5g_str_append(b, k ? ",\n    {" : "\n    {");
        jkey(b, "demand_id");
        jstr(b, c->ref.id[d->j]);
        r5g_str_append(b, ", \"plan\": ");
        jstr(b, c->plan[d->b].label);
        r5g_str_appendf(b, ", \"whitelist\": %d, \"covered_index_a\": ", c->ref.white[d->j]);
        jnum(b, ca ? ca : NAN);
        r5g_str_append(b, ", \"covered_index_b\": ");
        jnum(b, cb ? cb : NAN);
        r5g_str_appendf(b, ", \"on_time_a\": %d, \"on_time_b\": %d, \"change\": \"%s\"}", on_time(c, d->j, ca),
                        on_time(c, d->j, cb), pl_dem_change_name(d->change));
    }
    r5g_str_append(b, "\n  ],\n");
}

static void json_coloc(r5g_str *b, const pl_cmp *c)
{
    r5g_str_append(b, "  \"colocation\": [");
    for (size_t k = 0; k < c->n_coloc; k++) {
        const pl_cmp_coloc *d = &c->coloc[k];
        r5g_str_append(b, k ? ",\n    {" : "\n    {");
        jkey(b, "site_a");
        jstr(b, c->plan[d->pa].p->s_id[d->sa]);
        r5g_str_append(b, ", \"site_b\": ");
        jstr(b, c->plan[d->pb].p->s_id[d->sb]);
        r5g_str_append(b, ", \"plan_a\": ");
        jstr(b, c->plan[d->pa].label);
        r5g_str_append(b, ", \"plan_b\": ");
        jstr(b, c->plan[d->pb].label);
        r5g_str_append(b, ", \"distance_m\": ");
        jnum(b, d->dist);
        r5g_str_append(b, "}");
    }
    r5g_str_append(b, "\n  ],\n");
}

char *pl_cmp_json(const pl_cmp *c)
{
    r5g_str b = R5G_STR_INIT;
    r5g_str_append(&b, "{\n");
    json_plans(&b, c);
    r5g_str_appendf(&b, "  \"common\": {\"lead_periods\": %d, \"max_lead_periods\": %d, \"demand\": ", c->lead,
                    c->max_lead);
    jstr(&b, c->ref.demand_from);
    r5g_str_append(&b, ", \"regions\": ");
    jstr(&b, c->ref.regions_from);
    r5g_str_append(&b, ", \"share_distance_m\": ");
    jnum(&b, c->share_distance);
    r5g_str_append(&b, ", \"working_crs\": ");
    jstr(&b, geo_crs_name(c->crs));
    r5g_str_append(&b, ", \"periods\": [");
    for (int t = 1; t <= c->T; t++) {
        r5g_str_append(&b, t > 1 ? ", " : "");
        jperiod(&b, c, t);
    }
    r5g_str_append(&b, "]},\n  \"inputs\": [");
    json_rows(&b, c, c->inputs, c->n_inputs);
    r5g_str_appendf(&b, "\n  ],\n  \"settings_source\": \"%s\",\n  \"settings\": [",
                    c->settings_from_json ? "settings" : "plan_meta");
    json_rows(&b, c, c->settings, c->n_settings);
    r5g_str_append(&b, "\n  ],\n");
    json_pairs(&b, c);
    json_kpi(&b, c);
    json_regions(&b, c);
    json_sites(&b, c);
    json_demand(&b, c);
    json_coloc(&b, c);
    r5g_str_append(&b, "  \"notes\": [");
    for (int k = 0; k < c->n_notes; k++) {
        r5g_str_append(&b, k ? ", " : "");
        jstr(&b, c->notes[k]);
    }
    r5g_str_append(&b, "]\n}\n");
    return r5g_str_finish(&b);
}

/* ---- the terminal ------------------------------------------------------------------ */

static const char *same_word(int same) { return same == 1 ? "same" : same == 0 ? "differs" : "unknown"; }

void pl_cmp_print(const pl_cmp *c, FILE *f)
{
    char a[PL_FMT_N], b[PL_FMT_N];
    for (int i = 0; i < c->n; i++) {
        const pl_cmp_plan *q = &c->plan[i];
        const pl_plan *p = q->p;
        fprintf(f, "%-8s %s: %s, %s, gap %s; %d sites built for %s; coverage: %s\n", q->label, q->path,
                p->sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage", p->solve.status,
                isfinite(p->gap) ? (snprintf(a, sizeof a, "%.3f%%", 100 * p->gap), a) : "unknown", q->n_built,
                pl_fmt_money(b, q->capex), q->own_coverage ? "the plan's own" : "recomputed (fixed radius)");
    }
    fprintf(f, "inputs:");
    for (int r = 0; r < c->n_inputs; r++)
        fprintf(f, "%s %s %s", r ? "," : "", c->inputs[r].key, same_word(c->inputs[r].same));
    fputc('\n', f);
    int nd = 0;
    for (int r = 0; r < c->n_settings; r++)
        if (c->settings[r].same == 0) {
            fprintf(f, "%s %s (", nd++ ? "," : "settings that differ:", c->settings[r].key);
            for (int i = 0; i < c->n; i++)
                fprintf(f, "%s%s", i ? ", " : "", c->settings[r].val[i] ? c->settings[r].val[i] : "-");
            fputc(')', f);
        }
    if (!nd)
        fprintf(f, "settings: the same%s", c->settings_from_json ? "" : " (as plan_meta records them)");
    fputc('\n', f);
    for (int i = 1; i < c->n; i++) {
        const pl_cmp_pair *g = &c->pair[i - 1];
        const char *la = c->plan[0].label, *lb = c->plan[i].label;
        if (!g->comparable)
            fprintf(f, "%s vs %s: objectives not compared: %s\n", la, lb, g->why);
        else if (g->within_gap == 1)
            fprintf(f, "%s vs %s: WITHIN THE GAPS: each objective lies within the other's bound, so plans as "
                       "good as either exist; the differences below are choices among equally good plans\n", la, lb);
        else if (g->within_gap == 0)
            fprintf(f, "%s vs %s: the objectives differ beyond the solvers' gaps\n", la, lb);
        else
            fprintf(f, "%s vs %s: a bound is unknown: the gaps cannot be compared\n", la, lb);
        fprintf(f, "%s vs %s sites: %d only in %s, %d only in %s, %d earlier, %d later, %d same; demand: %d lost "
                   "(%d white-listed), %d became late (%d), %d gained (%d), %d became on time (%d)\n",
                la, lb, g->n_site[PL_SITE_ONLY_A], la, g->n_site[PL_SITE_ONLY_B], lb, g->n_site[PL_SITE_EARLIER],
                g->n_site[PL_SITE_LATER], g->n_site[PL_SITE_SAME], g->n_dem[PL_DEM_LOST], g->n_dem_white[PL_DEM_LOST],
                g->n_dem[PL_DEM_LATE], g->n_dem_white[PL_DEM_LATE], g->n_dem[PL_DEM_GAINED],
                g->n_dem_white[PL_DEM_GAINED], g->n_dem[PL_DEM_ON_TIME], g->n_dem_white[PL_DEM_ON_TIME]);
    }
    fprintf(f, "KPIs under one definition: lead %d, credit from %d periods ahead, demand: %s, regions: %s\n",
            c->lead, c->max_lead, c->ref.demand_from, c->ref.regions_from);
    fprintf(f, "%-10s %-8s %8s %9s %8s %9s %8s %9s %10s %10s %7s %5s\n", "period", "plan", "covered", "change",
            "on time", "change", "wl ontm", "change", "capex", "capex/w", "on air", "idle");
    for (int t = 1; t <= c->T; t++)
        for (int i = 0; i < c->n; i++) {
            const pl_cmp_kpi *k = &c->plan[i].k[t - 1], *ka = &c->plan[0].k[t - 1];
            char s[6][PL_FMT_N], x[PL_FMT_N], w[PL_FMT_N];
            pl_fmt_share(s[0], k->covered_share);
            pl_fmt_share(s[1], k->on_time_share);
            pl_fmt_share(s[2], k->whitelist_on_time_share);
            if (i) {
                pl_fmt_pp(s[3], k->covered_share - ka->covered_share);
                pl_fmt_pp(s[4], k->on_time_share - ka->on_time_share);
                pl_fmt_pp(s[5], k->whitelist_on_time_share - ka->whitelist_on_time_share);
            } else {
                snprintf(s[3], PL_FMT_N, " ");
                snprintf(s[4], PL_FMT_N, " ");
                snprintf(s[5], PL_FMT_N, " ");
            }
            if (isfinite(k->capex_per_covered))
                snprintf(w, sizeof w, "%.0f", k->capex_per_covered);
            else
                snprintf(w, sizeof w, "-");
            fprintf(f, "%-10s %-8s %8s %9s %8s %9s %8s %9s %10s %10s %7d %5d\n", c->sc->period_label[t - 1],
                    c->plan[i].label, s[0], s[3], s[1], s[4], s[2], s[5], pl_fmt_money(x, k->capex), w,
                    k->sites_on_air, k->idle_sites);
        }
    if (c->n_coloc)
        fprintf(f, "colocation: %zu pairs of sites of different carriers within %g m\n", c->n_coloc,
                c->share_distance);
}

/* ---- the command ------------------------------------------------------------------- */

/* The file of an input option: PATH, or PATH of PATH:LAYER (malloc'd). */
static char *input_file(const char *spec)
{
    struct stat st;
    const char *colon = strrchr(spec, ':');
    if (stat(spec, &st) == 0 || !colon || colon == spec)
        return r5g_strdup(spec);
    return r5g_strndup(spec, (size_t)(colon - spec));
}

/* An output must not be an input (with --overwrite it would be replaced)
 * nor inside one (a plan folder). */
static int not_an_input(const char *what, const char *out, const pl_compare_opts *o, r5g_err *err)
{
    struct stat so, si;
    if (!out || strcmp(out, "-") == 0)
        return 0;
    int exists = stat(out, &so) == 0, rc = 0;
    const char *slash = strrchr(out, '/');
    char *parent = slash ? r5g_strndup(out, (size_t)(slash - out) + 1) : r5g_strdup(".");
    char *dir = parent ? realpath(parent, NULL) : NULL;
    for (int i = 0; rc == 0 && i < o->n_plans + 2; i++) {
        const char *spec = i < o->n_plans ? o->plans[i] : i == o->n_plans ? o->demand : o->regions;
        char *in = spec ? input_file(spec) : NULL, *real = NULL;
        if (!in || stat(in, &si) != 0) {
            free(in);
            continue;
        }
        size_t n = 0;
        if (exists && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            rc = r5g_err_set(err, R5G_EINPUT, "%s '%s' is an input of the comparison (%s): choose another file",
                             what, out, spec);
        else if (S_ISDIR(si.st_mode) && dir && (real = realpath(in, NULL)) && (n = strlen(real)) &&
                 strncmp(dir, real, n) == 0 && (dir[n] == '/' || dir[n] == '\0'))
            rc = r5g_err_set(err, R5G_EINPUT, "%s '%s' is inside %s, an input of the comparison: choose "
                             "another folder", what, out, spec);
        free(real);
        free(in);
    }
    free(parent);
    free(dir);
    return rc;
}

int pl_compare_run(const pl_compare_opts *o, r5g_err *err)
{
    geo_ctx *geo = NULL;
    pl_cmp *c = NULL;
    geo_out *out = NULL;
    pl_textfile json = PL_TEXTFILE_INIT, html = PL_TEXTFILE_INIT;
    const char *outs[3][2] = {{"-o", o->output_path}, {"--json", o->json_path}, {"--html", o->html_path}};
    int rc = 0;
    if (o->n_plans < 2) {
        rc = r5g_err_set(err, R5G_EUSAGE, "compare needs at least two plans, got %d", o->n_plans);
        goto out;
    }
    for (int k = 0; k < 3 && rc == 0; k++) {
        if (!outs[k][1])
            continue;
        if ((rc = pl_textfile_check(outs[k][0], outs[k][1], o->overwrite, err)) ||
            (rc = not_an_input(outs[k][0], outs[k][1], o, err)))
            break;
        for (int m = 0; m < k && rc == 0; m++)
            if (outs[m][1] && strcmp(outs[m][1], outs[k][1]) == 0 && strcmp(outs[k][1], "-") != 0)
                rc = r5g_err_set(err, R5G_EUSAGE, "%s and %s name the same file '%s'", outs[m][0], outs[k][0],
                                 outs[k][1]);
    }
    if (rc || (rc = geo_ctx_new(&geo, err)) || (rc = pl_cmp_build(&c, geo, o, err)))
        goto out;
    if (o->output_path) {
        if ((rc = geo_out_open(&out, geo, o->output_path, "GPKG", c->crs, NULL, o->overwrite, err)) ||
            (rc = pl_cmp_layers_write(out, c, err)))
            goto out;
    }
    if (o->json_path &&
        (rc = pl_textfile_prepare(&json, "--json", o->json_path, o->overwrite, pl_cmp_json(c), err)))
        goto out;
    if (o->html_path &&
        (rc = pl_textfile_prepare(&html, "--html", o->html_path, o->overwrite, pl_cmp_html(c, err), err)))
        goto out;
    if ((out && (rc = geo_out_commit(out, err))) || (rc = pl_textfile_commit(&json, err)) ||
        (rc = pl_textfile_commit(&html, err)))
        goto out;
    /* `--json -` owns standard output: the table goes to stderr */
    int json_stdout = o->json_path && strcmp(o->json_path, "-") == 0;
    if (!json_stdout || r5g_log_level() >= R5G_LOG_INFO) {
        FILE *f = json_stdout ? stderr : stdout;
        pl_cmp_print(c, f);
        for (int k = 0; k < 3; k++)
            if (outs[k][1] && strcmp(outs[k][1], "-") != 0)
                fprintf(f, "wrote %s\n", outs[k][1]);
    }
out:
    pl_textfile_discard(&json);
    pl_textfile_discard(&html);
    geo_out_free(out);
    pl_cmp_free(c);
    geo_ctx_free(geo);
    return rc;
}
