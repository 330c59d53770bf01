/* The settings JSON of a plan (planner/scenario/settings.h): a scenario
 * written as JSON and rebuilt from it has the same values (checked field by
 * field against the YAML, not against the JSON), writing the rebuilt one
 * gives the same text, defaults appear with their documented values, paths
 * are absolute, and a bad value in the JSON is reported by the scenario
 * checks with its key and value. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "planner/scenario/scenario.h"
#include "planner/scenario/settings.h"

/* Every kind of key: labelled periods, a scalar and an unlimited budget,
 * max_new_sites per period, layer options, bands, clutter, sectors,
 * targets of all three kinds, capacity, solver and output keys. */
static const char full[] =
    "version: 1\n"
    "name: \"settings \\\"test\\\" 5G\"\n"
    "crs: EPSG:32651\n"
    "periods:\n"
    "  labels: [2026H1, 2026H2, 2027H1]\n"
    "  dates: [2026-01-01, 2026-07-01, 2027-01-01]\n"
    "budget:\n"
    "  capex: [1.5e6, .inf, 0.1]\n"
    "  carry_over: false\n"
    "  max_new_sites: [3, .inf, 0]\n"
    "demand:\n"
    "  source: d.csv\n"
    "  layer: points\n"
    "  where: \"status = 'active'\"\n"
    "  crs: GCJ-02\n"
    "  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]\n"
    "  fields: {id: pid, weight: w, period: half, whitelist: wl}\n"
    "candidates: {source: /data/c.gpkg, fields: {id: site_id, capex: cost}}\n"
    "existing: {source: 'PG:dbname=sites', layer: towers}\n"
    "regions: {source: r.geojson, fields: {id: adcode, population: pop}}\n"
    "radio:\n"
    "  model: tr38901\n"
    "  radius_m: 650\n"
    "  environment: umi\n"
    "  shadow_margin_db: 3\n"
    "  indoor_loss_db: 12.5\n"
    "  bands:\n"
    "    n41: {frequency_ghz: 2.6, max_path_loss_db: 130, height_m: 30}\n"
    "    n28: {frequency_ghz: 0.7, max_path_loss_db: 135, height_m: 35, capacity_mbps: 300}\n"
    "  dem: dem.tif\n"
    "  clutter: {source: lc.tif, classes: {1: uma, 2: umi, 7: rma}}\n"
    "  ut_height_m: 2\n"
    "  nlos: drop\n"
    "sectors: {ic: 2.0, auto: 1.8, \"null\": 0.5}\n"
    "whitelist_multiplier: 3\n"
    "ahead_of_demand: {lead_periods: 1, max_lead_periods: 2, on_time_required: whitelist}\n"
    "objective: min_cost\n"
    "discount_rate: 0.05\n"
    "targets:\n"
    "  coverage_share: {2026H2: 0.5, 2027H1: 0.9}\n"
    "  sector_share: {ic: {2026H2: 1.0}, auto: {2026H1: 0.25, 2027H1: 0.75}}\n"
    "  sites_per_10k_people: {2027H1: 26}\n"
    "model: {capacity: true}\n"
    "solver: {time_limit_s: 30, mip_gap: 0.01, presolve: false, cuts: false, heuristics: true,\n"
    "         feasibility_pump: true, proximity_search: false}\n"
    "output: {path: out/plan.gpkg, format: GeoJSON, crs: EPSG:3857, links: true}\n";

static const char minimal[] =
    "version: 1\n"
    "name: minimal\n"
    "periods: {start: 2026, count: 2, step: 2}\n"
    "demand: {source: d.geojson}\n"
    "candidates: {source: c.csv}\n";

static char dir[64];

static char *write_file(const char *name, const char *text)
{
    char *p = r5g_asprintf("%s/%s", dir, name);
    FILE *f = p ? fopen(p, "w") : NULL;
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fail_msg("cannot write %s", p ? p : name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/r5g-settings-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static pl_scenario *load(const char *name, const char *text)
{
    char *p = write_file(name, text);
    pl_scenario *sc = NULL;
    r5g_err err = {0};
    if (pl_scenario_load(&sc, p, &err))
        fail_msg("loading %s: %s", p, err.msg);
    free(p);
    return sc;
}

static char *to_json(const pl_scenario *sc, const pl_settings_output *o)
{
    char *json = NULL;
    r5g_err err = {0};
    if (pl_settings_json(&json, sc, o, &err))
        fail_msg("pl_settings_json: %s", err.msg);
    return json;
}

static pl_scenario *from_json(const char *json)
{
    pl_scenario *sc = NULL;
    r5g_err err = {0};
    if (pl_scenario_from_settings_json(&sc, json, "/plans/p.gpkg: plan_meta settings", &err))
        fail_msg("pl_scenario_from_settings_json: %s\n%s", err.msg, json);
    return sc;
}

static void same_layer(const pl_layer *a, const pl_layer *b)
{
    assert_int_equal(a->present, b->present);
    if (!a->present)
        return;
    assert_string_equal(a->source, b->source);
    for (int k = 0; k < PL_F_COUNT; k++) {
        if (a->field[k] || b->field[k]) {
            assert_non_null(a->field[k]);
            assert_non_null(b->field[k]);
            assert_string_equal(a->field[k], b->field[k]);
        }
    }
}

static void test_full_round_trip(void **state)
{
    (void)state;
    pl_scenario *a = load("full.yaml", full);
    char *ja = to_json(a, NULL);
    pl_scenario *b = from_json(ja);
    char *jb = to_json(b, NULL);
    assert_string_equal(ja, jb); /* a fixed point: nothing lost or added */

    /* values as the YAML says (not as the JSON says) */
    assert_string_equal(b->name, "settings \"test\" 5G");
    assert_string_equal(b->crs, "EPSG:32651");
    assert_int_equal(b->n_periods, 3);
    assert_string_equal(b->period_label[1], "2026H2");
    assert_string_equal(b->period_date[2], "2027-01-01");
    assert_int_equal(b->period_step, 0);
    assert_true(b->budget[0] == 1.5e6 && isinf(b->budget[1]) && b->budget[2] == 0.1);
    assert_int_equal(b->carry_over, 0);
    assert_non_null(b->max_new_sites);
    assert_int_equal(b->max_new_sites[0], 3);
    assert_int_equal(b->max_new_sites[1], -1);
    assert_int_equal(b->max_new_sites[2], 0);
    assert_string_equal(b->demand.layer, "points");
    assert_string_equal(b->demand.where, "status = 'active'");
    assert_string_equal(b->demand.crs, "GCJ-02");
    assert_string_equal(b->demand.open_options[1], "Y_POSSIBLE_NAMES=lat");
    assert_null(b->demand.open_options[2]);
    assert_string_equal(b->demand.field[PL_F_PERIOD], "half");
    assert_null(b->demand.field[PL_F_SECTOR]);
    same_layer(&a->demand, &b->demand);
    same_layer(&a->candidates, &b->candidates);
    same_layer(&a->existing, &b->existing);
    same_layer(&a->regions, &b->regions);
    assert_string_equal(b->candidates.source, "/data/c.gpkg");
    assert_string_equal(b->existing.source, "PG:dbname=sites"); /* a connection string stays */
    assert_int_equal(b->radio_model, PL_RADIO_TR38901);
    assert_true(b->radius_m == 650 && b->shadow_margin_db == 3 && b->indoor_loss_db == 12.5);
    assert_string_equal(b->environment, "umi");
    assert_int_equal(b->n_bands, 2);
    assert_string_equal(b->bands[0].name, "n41"); /* the first band stays the default */
    assert_true(b->bands[0].capacity_mbps == 1000 && b->bands[1].capacity_mbps == 300);
    assert_true(b->bands[1].frequency_ghz == 0.7 && b->bands[1].height_m == 35);
    assert_int_equal(b->n_clutter_classes, 3);
    assert_string_equal(b->clutter_classes[2].name, "7");
    assert_true(b->clutter_classes[2].value == 2); /* rma */
    assert_true(b->ut_height_m == 2 && b->nlos_drop == 1);
    assert_int_equal(b->n_sectors, 3);
    assert_true(fabs(pl_scenario_sector_priority(b, "null") - 0.5) < 1e-15); /* a text, not a null */
    assert_true(b->whitelist_multiplier == 3);
    assert_int_equal(b->lead_periods, 1);
    assert_int_equal(b->max_lead_periods, 2);
    assert_int_equal(b->on_time_required, PL_ONTIME_WHITELIST);
    assert_int_equal(b->objective, PL_OBJ_MIN_COST);
    assert_true(b->discount_rate == 0.05);
    assert_int_equal(b->n_coverage_targets, 2);
    assert_int_equal(b->coverage_targets[1].period, 3);
    assert_true(b->coverage_targets[1].value == 0.9);
    assert_int_equal(b->n_sector_targets, 3);
    assert_string_equal(b->sector_targets[2].sector, "auto");
    assert_int_equal(b->sector_targets[2].period, 3);
    assert_true(b->sector_targets[2].value == 0.75);
    assert_int_equal(b->n_density_targets, 1);
    assert_true(b->density_targets[0].value == 26);
    assert_int_equal(b->capacity, 1);
    assert_true(b->time_limit_s == 30 && b->mip_gap == 0.01);
    assert_true(!b->presolve && !b->cuts && b->heuristics && b->feasibility_pump && !b->proximity_search);
    assert_string_equal(b->output_format, "GeoJSON");
    assert_string_equal(b->output_crs, "EPSG:3857");
    assert_int_equal(b->output_links, 1);
    /* relative paths of the file became absolute */
    assert_string_equal(b->demand.source, a->demand.source[0] == '/' ? a->demand.source : b->demand.source);
    assert_true(b->demand.source[0] == '/' && strstr(b->demand.source, "/d.csv"));
    assert_true(b->dem[0] == '/' && strstr(b->dem, "/dem.tif"));
    assert_true(b->clutter[0] == '/' && strstr(b->clutter, "/lc.tif"));
    assert_true(b->output_path[0] == '/' && strstr(b->output_path, "/out/plan.gpkg"));
    free(ja);
    free(jb);
    pl_scenario_free(a);
    pl_scenario_free(b);
}

/* Defaults are written with the values docs/scenario.md gives them. */
static void test_defaults_written(void **state)
{
    (void)state;
    pl_scenario *a = load("minimal.yaml", minimal);
    char *j = to_json(a, NULL);
    static const char *const want[] = {
        "\"periods\": { \"start\": 2026, \"count\": 2, \"step\": 2 }",
        "\"capex\": [ \".inf\", \".inf\" ]",
        "\"carry_over\": true",
        "\"max_new_sites\": [ \".inf\", \".inf\" ]",
        "\"model\": \"fixed_radius\", \"radius_m\": 800, \"environment\": \"uma\", "
        "\"shadow_margin_db\": 0, \"indoor_loss_db\": 15",
        "\"n78\": { \"frequency_ghz\": 3.5, \"max_path_loss_db\": 128, \"height_m\": 25, \"capacity_mbps\": 1000 }",
        "\"ut_height_m\": 1.5, \"nlos\": \"model\"",
        "\"whitelist_multiplier\": 1",
        "\"lead_periods\": 0, \"max_lead_periods\": 0, \"on_time_required\": \"none\"",
        "\"objective\": \"max_coverage\", \"discount_rate\": 0",
        "\"model\": { \"capacity\": false }",
        "\"time_limit_s\": 300, \"mip_gap\": 0.005, \"presolve\": \"auto\", \"decompose\": \"auto\", \"cuts\": true, "
        "\"heuristics\": true, "
        "\"feasibility_pump\": false, \"proximity_search\": true",
        "\"format\": \"GPKG\", \"crs\": \"EPSG:4326\", \"links\": false",
        NULL};
    for (int i = 0; want[i]; i++)
        if (!strstr(j, want[i]))
            fail_msg("settings lack %s:\n%s", want[i], j);
    assert_null(strstr(j, "\"existing\""));
    assert_null(strstr(j, "\"where\""));
    pl_scenario *b = from_json(j);
    assert_int_equal(b->period_step, 2);
    assert_string_equal(b->period_label[1], "2028");
    assert_non_null(strstr(b->output_path, "/plan.gpkg"));
    free(j);
    pl_scenario_free(a);
    pl_scenario_free(b);
}

/* What the command line changed in output is what the settings say. */
static void test_output_overrides(void **state)
{
    (void)state;
    pl_scenario *a = load("minimal.yaml", minimal);
    pl_settings_output o = {.path = "/srv/p.gpkg", .format = "ESRI Shapefile", .crs = "EPSG:32651", .links = 1};
    char *j = to_json(a, &o);
    pl_scenario *b = from_json(j);
    assert_string_equal(b->output_path, "/srv/p.gpkg");
    assert_string_equal(b->output_format, "ESRI Shapefile");
    assert_string_equal(b->output_crs, "EPSG:32651");
    assert_int_equal(b->output_links, 1);
    free(j);
    pl_scenario_free(a);
    pl_scenario_free(b);
}

static void expect_error(const char *json, const char *want)
{
    pl_scenario *sc = NULL;
    r5g_err err = {0};
    int rc = pl_scenario_from_settings_json(&sc, json, "p.gpkg: plan_meta settings", &err);
    assert_int_equal(rc, R5G_EINPUT);
    assert_null(sc);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
}

static void test_errors(void **state)
{
    (void)state;
    pl_scenario *a = load("minimal.yaml", minimal);
    char *j = to_json(a, NULL);
    /* the scenario checks run on the JSON: a negative budget, by key and value, no line */
    char *bad = r5g_asprintf("%.*s\"capex\": [ -1, 2 ]%s", (int)(strstr(j, "\"capex\"") - j), j,
                             strstr(strstr(j, "\"capex\""), "]") + 1);
    expect_error(bad, "p.gpkg: plan_meta settings: budget.capex: -1 is negative (period 2026)");
    free(bad);
    expect_error("{\"version\": 1, \"name\": \"x\"", "p.gpkg: plan_meta settings: not valid JSON at byte");
    expect_error("[1, 2]", "expected a JSON object of scenario keys, got array");
    expect_error("{\"version\": 1, \"name\": null, \"periods\": {\"start\": 2026, \"count\": 1}, "
                 "\"demand\": {\"source\": \"/d\"}, \"candidates\": {\"source\": \"/c\"}}",
                 "p.gpkg: plan_meta settings: name: expected a value, got an empty value");
    expect_error("{\"version\": 1, \"name\": \"x\", \"periods\": {\"start\": 2026, \"count\": 1}, "
                 "\"demand\": {\"source\": \"/d\"}, \"candidates\": {\"source\": \"/c\"}, \"budgett\": {}}",
                 "budgett: unknown key (did you mean 'budget'?)");
    free(j);
    pl_scenario_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_round_trip),
        cmocka_unit_test(test_defaults_written),
        cmocka_unit_test(test_output_overrides),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
