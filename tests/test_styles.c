/* Unit tests of the QGIS styles (planner/report/styles.c): every style is
 * well-formed XML (GDAL's parser), names only fields its layer has in the
 * file it goes with (the field lists and the Shapefile names below are the
 * tables of docs/output.md, typed in from there), and carries the classes,
 * rules, labels and temporal setup docs/output.md describes. Rendering in
 * real QGIS is tests/qgis_check.py's job. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_minixml.h>

#include "planner/report/report.h"
#include "planner/report/styles.h"

/* ---- the contract, from docs/output.md ------------------------------------ */

typedef char *(*style_fn)(const pl_scenario *sc, const pl_field_map *fm);

typedef struct layer_spec {
    const char *name;
    style_fn style;
    const char *fields; /* space-separated, as docs/output.md lists them */
} layer_spec;

static const layer_spec layers[] = {
    {"sites", pl_style_sites,
     "site_id kind band region_id status build_period build_index build_date capex radius_m "
     "covered_weight served_demand environment"},
    {"demand", pl_style_demand,
     "demand_id sector whitelist weight effective_weight region_id demand_period demand_index "
     "demand_date covered_period covered_index covered_date lead_periods on_time serving_site_id "
     "serving_distance_m serving_path_loss_db"},
    {"coverage", pl_style_coverage, "site_id kind build_period build_index build_date radius_m"},
    {"coverage_by_period", pl_style_coverage_by_period,
     "period period_index period_date period_end sites_on_air area_km2"},
    {"links", pl_style_links, "demand_id site_id distance_m covered_index covered_date on_time whitelist"},
    {"region_kpi", pl_style_region_kpi,
     "region_id name population period period_index period_date period_end sites_on_air new_sites "
     "capex sites_per_10k demand_weight covered_share on_time_share"},
    {"period_kpi", pl_style_period_table,
     "period period_index period_date budget carry_in capex new_sites upgrades sites_on_air "
     "demand_weight covered_share on_time_share appearing_demand mean_lead_periods "
     "over_early_sites period_end"},
    {"sector_kpi", pl_style_period_table,
     "sector period period_index period_date period_end n_demand demand_weight covered_share "
     "on_time_share"},
    {"plan_meta", pl_style_plain, "key value"},
};
enum { NL = sizeof layers / sizeof *layers };

/* docs/output.md, "Shapefile field names" */
static const char *const shapefile[][2] = {
    {"build_period", "bld_period"},     {"build_index", "bld_index"},     {"covered_weight", "cov_weight"},
    {"served_demand", "served_dem"},    {"effective_weight", "eff_weight"}, {"demand_period", "dem_period"},
    {"demand_index", "dem_index"},      {"demand_date", "dem_date"},      {"covered_period", "cov_period"},
    {"covered_index", "cov_index"},     {"covered_date", "cov_date"},     {"lead_periods", "lead"},
    {"serving_site_id", "serv_site"},   {"serving_distance_m", "serv_dist"}, {"period_index", "period_idx"},
    {"period_date", "period_dt"},       {"sites_on_air", "on_air"},       {"demand_weight", "dem_weight"},
    {"covered_share", "cov_share"},     {"on_time_share", "ontm_share"},  {"appearing_demand", "appearing"},
    {"mean_lead_periods", "mean_lead"}, {"over_early_sites", "over_early"}, {"sites_per_10k", "sites_10k"},
    {"environment", "env"},             {"path_loss_db", "path_loss"},    {"serving_path_loss_db", "serv_loss"},
};

/* Does the layer, written with names of at most max_len characters, have
 * field f? "name" counts: labels use it when the layer carries one. */
static int has_field(const layer_spec *L, int max_len, const char *f)
{
    if (!strcmp(f, "name"))
        return 1;
    char *list = strdup(L->fields);
    int found = 0;
    for (char *save = NULL, *t = strtok_r(list, " ", &save); t && !found; t = strtok_r(NULL, " ", &save)) {
        const char *in_file = t;
        for (size_t k = 0; max_len && k < sizeof shapefile / sizeof *shapefile; k++)
            if (!strcmp(shapefile[k][0], t))
                in_file = shapefile[k][1];
        found = !strcmp(in_file, f);
    }
    free(list);
    return found;
}

/* ---- a scenario with three periods ---------------------------------------- */

static char *labels3[] = {"2026", "2027", "2028"};
static char *dates3[] = {"2026-01-01", "2027-01-01", "2028-01-01"};

static pl_scenario scenario(char **labels, char **dates, int n)
{
    pl_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.n_periods = n;
    sc.period_label = labels;
    sc.period_date = dates;
    return sc;
}

/* ---- reading the documents ------------------------------------------------- */

static CPLXMLNode *parse(const char *qml)
{
    assert_non_null(qml);
    CPLXMLNode *doc = CPLParseXMLString(qml);
    if (!doc)
        print_error("not well-formed XML:\n%s\n", qml);
    assert_non_null(doc);
    return doc;
}

/* The element `name` anywhere under n (depth first), or NULL. */
static CPLXMLNode *find(CPLXMLNode *n, const char *name)
{
    for (; n; n = n->psNext) {
        if (n->eType == CXT_Element && !strcmp(n->pszValue, name))
            return n;
        CPLXMLNode *c = find(n->psChild, name);
        if (c)
            return c;
    }
    return NULL;
}

/* The element children of the first element `parent` in doc (at most max). */
static int children(CPLXMLNode *doc, const char *parent, CPLXMLNode **out, int max)
{
    CPLXMLNode *p = find(doc, parent);
    assert_non_null(p);
    int n = 0;
    for (CPLXMLNode *c = p->psChild; c; c = c->psNext)
        if (c->eType == CXT_Element) {
            assert_true(n < max);
            out[n++] = c;
        }
    return n;
}

static const char *att(CPLXMLNode *n, const char *name)
{
    return CPLGetXMLValue(n, name, NULL);
}

typedef struct refs {
    char name[64][64];
    int n;
} refs;

static void add_ref(refs *r, const char *s, size_t len)
{
    if (r->n < 64 && len < 64) {
        memcpy(r->name[r->n], s, len);
        r->name[r->n][len] = 0;
        r->n++;
    }
}

/* The fields an expression names: its "double-quoted" identifiers; a bare
 * identifier alone is a field too (a renderer's attr). */
static void expr_refs(refs *r, const char *e)
{
    if (!e || !*e)
        return;
    size_t n = strlen(e);
    if (strspn(e, "abcdefghijklmnopqrstuvwxyz0123456789_") == n) {
        add_ref(r, e, n);
        return;
    }
    for (const char *p = strchr(e, '"'); p; p = strchr(p, '"')) {
        const char *q = strchr(p + 1, '"');
        assert_non_null(q);
        add_ref(r, p + 1, (size_t)(q - p - 1));
        p = q + 1;
    }
}

/* Every field the document names: renderer attr, rule filters, label text,
 * temporal fields and expressions. */
static refs doc_refs(CPLXMLNode *n)
{
    refs r = {.n = 0};
    static const struct {
        const char *elem, *attr;
    } where[] = {{"renderer-v2", "attr"},        {"text-style", "fieldName"},
                 {"temporal", "startExpression"}, {"temporal", "endExpression"}};
    for (size_t k = 0; k < sizeof where / sizeof *where; k++) {
        CPLXMLNode *e = find(n, where[k].elem);
        if (e)
            expr_refs(&r, att(e, where[k].attr));
    }
    CPLXMLNode *t = find(n, "temporal");
    for (int k = 0; t && k < 2; k++) {
        const char *f = att(t, k ? "endField" : "startField");
        if (f && *f)
            add_ref(&r, f, strlen(f));
    }
    CPLXMLNode *rules = find(n, "rules");
    for (CPLXMLNode *c = rules ? rules->psChild : NULL; c; c = c->psNext)
        if (c->eType == CXT_Element && !strcmp(c->pszValue, "rule"))
            expr_refs(&r, att(c, "filter"));
    return r;
}

/* The style `style` for sc, in a format keeping max_len characters, parsed;
 * *qml holds the text (release both with done()). */
static CPLXMLNode *style_doc(style_fn style, const pl_scenario *sc, int max_len, char **qml)
{
    pl_field_map fm = {max_len};
    *qml = style(sc, &fm);
    return parse(*qml);
}

static void done(CPLXMLNode *doc, char *qml)
{
    CPLDestroyXMLNode(doc);
    free(qml);
}

/* ---- tests ------------------------------------------------------------------ */

/* The rule the layers are written with: names longer than the limit get
 * the short name; exactly at the limit they stay. */
static void test_field_name_rule(void **state)
{
    (void)state;
    assert_string_equal(pl_out_field_name("period_end", 10), "period_end"); /* 10 characters */
    assert_string_equal(pl_out_field_name("build_index", 10), "bld_index");  /* 11 */
    assert_string_equal(pl_out_field_name("build_index", 0), "build_index");
    assert_string_equal(pl_out_field_name("covered_share", 11), "cov_share");
    assert_string_equal(pl_out_field_name("covered_share", 13), "covered_share");
    assert_null(pl_out_field_name("no_such_long_field", 10));
    pl_field_map shp = {10}, none = {0};
    assert_string_equal(pl_field_map_name(&shp, "demand_date"), "dem_date");
    assert_string_equal(pl_field_map_name(&none, "demand_date"), "demand_date");
    assert_string_equal(pl_field_map_name(NULL, "demand_date"), "demand_date");
}

/* Every style, for the formats without and with the 10-character limit,
 * parses, and names only fields of its layer as that format writes them. */
static void test_styles_name_fields_of_the_file(void **state)
{
    (void)state;
    pl_scenario sc = scenario(labels3, dates3, 3);
    static const int min_refs[NL] = {5, 5, 3, 4, 2, 5, 4, 4, 0}; /* each style names some */
    for (int max_len = 0; max_len <= 10; max_len += 10) {
        for (int k = 0; k < NL; k++) {
            char *qml;
            CPLXMLNode *doc = style_doc(layers[k].style, &sc, max_len, &qml);
            refs r = doc_refs(doc);
            for (int i = 0; i < r.n; i++) {
                if (!has_field(&layers[k], max_len, r.name[i]))
                    print_error("%s (max_len %d): the style names '%s', not a field of the file\n",
                                layers[k].name, max_len, r.name[i]);
                assert_true(has_field(&layers[k], max_len, r.name[i]));
            }
            if (r.n < min_refs[k])
                print_error("%s: %d field references, expected at least %d\n", layers[k].name, r.n,
                            min_refs[k]);
            assert_true(r.n >= min_refs[k]);
            done(doc, qml);
        }
    }
}

/* sites: one category per period plus existing and not built, built
 * periods keyed by their label; labels at 1:50,000 and larger. */
static void test_sites(void **state)
{
    (void)state;
    pl_scenario sc = scenario(labels3, dates3, 3);
    char *qml;
    CPLXMLNode *doc = style_doc(pl_style_sites, &sc, 10, &qml);
    const char *want[] = {"existing", "2026", "2027", "2028", "not_built"};
    CPLXMLNode *cat[8];
    assert_int_equal(children(doc, "categories", cat, 8), 5);
    for (int k = 0; k < 5; k++)
        assert_string_equal(att(cat[k], "value"), want[k]);
    assert_string_equal(att(find(doc, "renderer-v2"), "attr"),
                        "coalesce(nullif(\"bld_period\", ''), \"status\")");
    assert_string_equal(att(find(doc, "qgis"), "labelsEnabled"), "1");
    CPLXMLNode *rend = find(doc, "rendering");
    assert_string_equal(att(rend, "scaleVisibility"), "1");
    assert_string_equal(att(rend, "scaleMax"), "50000");
    const char *label = att(find(doc, "text-style"), "fieldName");
    assert_non_null(strstr(label, "\"name\""));
    assert_non_null(strstr(label, "\"site_id\""));
    assert_non_null(strstr(label, "'not_built' THEN NULL"));
    /* from build_date on; NULL dates (existing, not built) from period 1 */
    CPLXMLNode *t = find(doc, "temporal");
    assert_string_equal(att(t, "mode"), "4");
    assert_string_equal(att(t, "startExpression"),
                        "coalesce(to_datetime(\"build_date\"), to_datetime('2026-01-01'))");
    done(doc, qml);
}

/* Period labels with XML's special characters survive as values. */
static void test_escaping(void **state)
{
    (void)state;
    char *labels[] = {"Q1 <2026> & \"a\"", "Q2 '26"};
    char *dates[] = {"2026-01-01", "2026-04-01"};
    pl_scenario sc = scenario(labels, dates, 2);
    char *qml;
    CPLXMLNode *doc = style_doc(pl_style_sites, &sc, 0, &qml);
    CPLXMLNode *cat[8];
    assert_int_equal(children(doc, "categories", cat, 8), 4);
    assert_string_equal(att(cat[1], "value"), labels[0]); /* after "existing" */
    assert_string_equal(att(cat[2], "value"), labels[1]);
    done(doc, qml);
    doc = style_doc(pl_style_coverage, &sc, 0, &qml);
    done(doc, qml);
}

/* demand: six statuses, each split by white-list; the time-dependent ones
 * read @map_end_time, the final ones fall back to a map without time. */
static void test_demand_rules(void **state)
{
    (void)state;
    pl_scenario sc = scenario(labels3, dates3, 3);
    char *qml;
    CPLXMLNode *doc = style_doc(pl_style_demand, &sc, 10, &qml);
    static const char *const keys[] = {"on_time", "late", "not_yet", "never", "ahead", "forecast"};
    static const int timed_only[] = {0, 0, 1, 0, 1, 1}; /* no rule without a time range */
    CPLXMLNode *rule[16];
    int n = children(doc, "rules", rule, 16);
    assert_int_equal(n, 12);
    for (int i = 0; i < n; i++) {
        const char *key = att(rule[i], "key"), *filter = att(rule[i], "filter");
        assert_non_null(key);
        assert_non_null(filter);
        int k = i / 2, white = i % 2 == 0;
        char want[64];
        snprintf(want, sizeof want, "%s%s", keys[k], white ? "_whitelist" : "");
        assert_string_equal(key, want);
        assert_non_null(strstr(filter, white ? "\"whitelist\" = 1" : "coalesce(\"whitelist\", 0) = 0"));
        /* as of the frame: every status depends on whether the demand has appeared */
        assert_non_null(strstr(filter, "to_datetime(\"dem_date\") < @map_end_time"));
        assert_true((strstr(filter, "@map_end_time IS NULL") != NULL) == !timed_only[k]);
    }
    /* mode 5: shown at all times, redrawn when the time changes */
    assert_string_equal(att(find(doc, "temporal"), "mode"), "5");
    CPLXMLNode *rend = find(doc, "rendering");
    assert_string_equal(att(rend, "scaleMax"), "20000");
    assert_non_null(strstr(att(find(doc, "text-style"), "fieldName"), "\"whitelist\" = 1"));
    done(doc, qml);
}

/* region_kpi: a class for no demand yet, then the documented classes,
 * contiguous from 0 to 1, five of them above 80 %. */
static void test_region_classes(void **state)
{
    (void)state;
    pl_scenario sc = scenario(labels3, dates3, 3);
    char *qml;
    CPLXMLNode *doc = style_doc(pl_style_region_kpi, &sc, 0, &qml);
    static const double up[] = {0.50, 0.70, 0.80, 0.85, 0.90, 0.95, 0.98, 1.00};
    static const char *const label[] = {"below 50 %", "50 - 70 %", "70 - 80 %", "80 - 85 %",
                                        "85 - 90 %",  "90 - 95 %", "95 - 98 %", "98 - 100 %"};
    CPLXMLNode *range[12];
    assert_int_equal(children(doc, "ranges", range, 12), 9);
    assert_true(atof(att(range[0], "lower")) == -1 && atof(att(range[0], "upper")) == -1);
    assert_string_equal(att(range[0], "label"), "no demand yet");
    for (int k = 1; k < 9; k++) {
        assert_true(atof(att(range[k], "lower")) == (k > 1 ? up[k - 2] : 0.0));
        assert_true(atof(att(range[k], "upper")) == up[k - 1]);
        assert_string_equal(att(range[k], "label"), label[k - 1]);
    }
    /* NULL share -> the no-demand class; no time -> the last period only */
    assert_string_equal(att(find(doc, "renderer-v2"), "attr"),
                        "CASE WHEN @map_end_time IS NULL AND \"period_index\" <> 3 THEN NULL "
                        "ELSE coalesce(\"covered_share\", -1) END");
    CPLXMLNode *t = find(doc, "temporal");
    assert_string_equal(att(t, "mode"), "4");
    assert_string_equal(att(t, "endExpression"), "to_datetime(\"period_end\")");
    done(doc, qml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_name_rule),
        cmocka_unit_test(test_styles_name_fields_of_the_file),
        cmocka_unit_test(test_sites),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_demand_rules),
        cmocka_unit_test(test_region_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
