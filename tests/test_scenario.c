/* Unit tests of the scenario parser: YAML fixtures are written to a temporary
 * folder at run time; expected values and line numbers come from the fixture
 * text itself (each fixture is built line by line, so line N is item N). */
#include "planner/scenario/scenario.h"
#include "planner/scenario/schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static char tmpdir[256];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Joins lines with '\n' (line i of the file is lines[i-1]). */
static char *lines_text(const char *const *lines)
{
    size_t n = 0;
    for (int i = 0; lines[i]; i++)
        n += strlen(lines[i]) + 1;
    char *s = malloc(n + 1), *p = s;
    assert_non_null(s);
    for (int i = 0; lines[i]; i++)
        p += sprintf(p, "%s\n", lines[i]);
    *p = '\0';
    return s;
}

static pl_scenario *load_ok(const char *path)
{
    r5g_err err = {0};
    pl_scenario *sc = (pl_scenario *)1;
    int rc = pl_scenario_load(&sc, path, &err);
    if (rc)
        print_error("unexpected error: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(sc);
    return sc;
}

/* ---- a full scenario using every key of the contract ----------------------- */

static const char *const full_lines[] = {
    /*  1 */ "version: 1",
    /*  2 */ "name: \"Suzhou Industrial Park - 5G for industry 2026-2030\"",
    /*  3 */ "crs: EPSG:32651",
    /*  4 */ "periods:",
    /*  5 */ "  start: 2026",
    /*  6 */ "  count: 5",
    /*  7 */ "budget:",
    /*  8 */ "  capex: [3.0e7, 3.0e7, 2.5e7, 2.0e7, 2.0e7]",
    /*  9 */ "  carry_over: false",
    /* 10 */ "  max_new_sites: [120, 100, 80, 60, .inf]",
    /* 11 */ "demand:",
    /* 12 */ "  source: demand.geojson",
    /* 13 */ "  layer: factories",
    /* 14 */ "  where: \"status = 'active'\"",
    /* 15 */ "  crs: EPSG:4326",
    /* 16 */ "  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]",
    /* 17 */ "  fields:",
    /* 18 */ "    id: id",
    /* 19 */ "    weight: weight",
    /* 20 */ "    sector: sector",
    /* 21 */ "    period: year",
    /* 22 */ "    whitelist: whitelist",
    /* 23 */ "    indoor: indoor",
    /* 24 */ "    traffic: traffic_mbps",
    /* 25 */ "candidates:",
    /* 26 */ "  source: \"PG:dbname=sites\"",
    /* 27 */ "  crs: EPSG:4326",
    /* 28 */ "  fields:",
    /* 29 */ "    id: site_id",
    /* 30 */ "    capex: capex",
    /* 31 */ "    kind: kind",
    /* 32 */ "    band: band",
    /* 33 */ "    height: height_m",
    /* 34 */ "    environment: env",
    /* 35 */ "existing:",
    /* 36 */ "  source: /data/existing_5g.gpkg",
    /* 37 */ "  fields: {id: site_id, band: band, height: h, environment: e}",
    /* 38 */ "regions:",
    /* 39 */ "  source: /vsizip/regions.zip/districts.shp",
    /* 40 */ "  crs: GCJ-02",
    /* 41 */ "  fields: {id: adcode, name: name, population: population}",
    /* 42 */ "radio:",
    /* 43 */ "  model: tr38901",
    /* 44 */ "  radius_m: 650",
    /* 45 */ "  environment: umi",
    /* 46 */ "  shadow_margin_db: 4.5",
    /* 47 */ "  indoor_loss_db: 18",
    /* 48 */ "  bands:",
    /* 49 */ "    n78: {frequency_ghz: 3.5, max_path_loss_db: 128, height_m: 25, capacity_mbps: 1000}",
    /* 50 */ "    n28: {frequency_ghz: 0.7, max_path_loss_db: 135, height_m: 35, capacity_mbps: 300}",
    /* 51 */ "  dem: dem.tif",
    /* 52 */ "  clutter: {source: ../landcover.tif, classes: {1: uma, 2: umi, 3: rma}}",
    /* 53 */ "sectors:",
    /* 54 */ "  ic: 2.0",
    /* 55 */ "  auto: 1.8",
    /* 56 */ "  energy: 1.5",
    /* 57 */ "  education: 1.2",
    /* 58 */ "whitelist_multiplier: 3.0",
    /* 59 */ "ahead_of_demand:",
    /* 60 */ "  lead_periods: 1",
    /* 61 */ "  max_lead_periods: 2",
    /* 62 */ "  on_time_required: whitelist",
    /* 63 */ "objective: min_cost",
    /* 64 */ "discount_rate: 0.05",
    /* 65 */ "targets:",
    /* 66 */ "  coverage_share: {2028: 0.90, 2030: 0.98}",
    /* 67 */ "  sector_share: {ic: {2027: 1.0}, auto: {2029: 0.5}}",
    /* 68 */ "  sites_per_10k_people: {2030: 26}",
    /* 69 */ "model:",
    /* 70 */ "  capacity: true",
    /* 71 */ "solver:",
    /* 72 */ "  time_limit_s: 60",
    /* 73 */ "  mip_gap: 0.01",
    /* 74 */ "  presolve: false",
    /* 75 */ "  cuts: no",
    /* 76 */ "  heuristics: true",
    /* 77 */ "output:",
    /* 78 */ "  path: out/plan.gpkg",
    /* 79 */ "  format: GeoJSON",
    /* 80 */ "  crs: EPSG:32651",
    /* 81 */ "  links: true",
    NULL};

static void join_path(char *out, size_t size, const char *rel)
{
    int n = snprintf(out, size, "%s/%s", tmpdir, rel);
    assert_true(n > 0 && (size_t)n < size);
}

static void test_full(void **state)
{
    (void)state;
    char path[512], want[512];
    join_path(path, sizeof path, "sub");
    mkdir(path, 0700);
    join_path(path, sizeof path, "sub/full.yaml");
    char *text = lines_text(full_lines);
    write_text(path, text);
    free(text);
    pl_scenario *sc = load_ok(path);

    assert_string_equal(sc->file, path);
    join_path(want, sizeof want, "sub");
    assert_string_equal(sc->dir, want);
    assert_int_equal(sc->version, 1);
    assert_string_equal(sc->name, "Suzhou Industrial Park - 5G for industry 2026-2030");
    assert_string_equal(sc->crs, "EPSG:32651");

    assert_int_equal(sc->n_periods, 5);
    assert_int_equal(sc->period_start, 2026);
    assert_int_equal(sc->period_step, 1);
    assert_string_equal(sc->period_label[0], "2026");
    assert_string_equal(sc->period_label[4], "2030");
    assert_string_equal(sc->period_date[2], "2028-01-01");

    assert_true(sc->budget[0] == 3.0e7 && sc->budget[2] == 2.5e7 && sc->budget[4] == 2.0e7);
    assert_int_equal(sc->carry_over, 0);
    assert_non_null(sc->max_new_sites);
    assert_int_equal(sc->max_new_sites[0], 120);
    assert_int_equal(sc->max_new_sites[3], 60);
    assert_true(sc->max_new_sites[4] < 0); /* .inf = no limit */

    /* demand: relative source resolved against the scenario folder */
    assert_int_equal(sc->demand.present, 1);
    assert_int_equal(sc->demand.line, 11);
    join_path(want, sizeof want, "sub/demand.geojson");
    assert_string_equal(sc->demand.source, want);
    assert_string_equal(sc->demand.layer, "factories");
    assert_string_equal(sc->demand.where, "status = 'active'");
    assert_string_equal(sc->demand.crs, "EPSG:4326");
    assert_non_null(sc->demand.open_options);
    assert_string_equal(sc->demand.open_options[0], "X_POSSIBLE_NAMES=lon");
    assert_string_equal(sc->demand.open_options[1], "Y_POSSIBLE_NAMES=lat");
    assert_null(sc->demand.open_options[2]);
    assert_string_equal(sc->demand.field[PL_F_ID], "id");
    assert_string_equal(sc->demand.field[PL_F_PERIOD], "year");
    assert_string_equal(sc->demand.field[PL_F_TRAFFIC], "traffic_mbps");
    assert_int_equal(sc->demand.field_line[PL_F_ID], 18);
    assert_int_equal(sc->demand.field_line[PL_F_TRAFFIC], 24);
    assert_null(sc->demand.field[PL_F_CAPEX]);

    /* candidates: a GDAL connection string stays as given */
    assert_int_equal(sc->candidates.line, 25);
    assert_string_equal(sc->candidates.source, "PG:dbname=sites");
    assert_null(sc->candidates.layer);
    assert_null(sc->candidates.open_options);
    assert_string_equal(sc->candidates.field[PL_F_ID], "site_id");
    assert_string_equal(sc->candidates.field[PL_F_HEIGHT], "height_m");
    assert_string_equal(sc->candidates.field[PL_F_ENVIRONMENT], "env");
    assert_int_equal(sc->candidates.field_line[PL_F_ENVIRONMENT], 34);

    /* absolute paths and /vsi paths stay */
    assert_int_equal(sc->existing.present, 1);
    assert_int_equal(sc->existing.line, 35);
    assert_string_equal(sc->existing.source, "/data/existing_5g.gpkg");
    assert_string_equal(sc->existing.field[PL_F_ENVIRONMENT], "e");
    assert_int_equal(sc->existing.field_line[PL_F_BAND], 37);
    assert_int_equal(sc->regions.line, 38);
    assert_string_equal(sc->regions.source, "/vsizip/regions.zip/districts.shp");
    assert_string_equal(sc->regions.crs, "GCJ-02");
    assert_string_equal(sc->regions.field[PL_F_ID], "adcode");
    assert_string_equal(sc->regions.field[PL_F_POPULATION], "population");

    assert_int_equal(sc->radio_model, PL_RADIO_TR38901);
    assert_true(sc->radius_m == 650);
    assert_string_equal(sc->environment, "umi");
    assert_true(sc->shadow_margin_db == 4.5);
    assert_true(sc->indoor_loss_db == 18);
    assert_int_equal(sc->n_bands, 2);
    assert_int_equal(pl_scenario_band(sc, "n78"), 0);
    assert_int_equal(pl_scenario_band(sc, "n28"), 1);
    assert_int_equal(pl_scenario_band(sc, "n41"), -1);
    assert_true(sc->bands[1].frequency_ghz == 0.7 && sc->bands[1].max_path_loss_db == 135 &&
                sc->bands[1].height_m == 35 && sc->bands[1].capacity_mbps == 300);
    join_path(want, sizeof want, "sub/dem.tif");
    assert_string_equal(sc->dem, want);
    join_path(want, sizeof want, "sub/../landcover.tif");
    assert_string_equal(sc->clutter, want);
    assert_int_equal(sc->n_clutter_classes, 3);
    assert_string_equal(sc->clutter_classes[1].name, "2");
    assert_true(sc->clutter_classes[0].value == 0); /* uma */
    assert_true(sc->clutter_classes[1].value == 1); /* umi */
    assert_true(sc->clutter_classes[2].value == 2); /* rma */

    assert_int_equal(sc->n_sectors, 4);
    assert_true(pl_scenario_sector_priority(sc, "ic") == 2.0);
    assert_true(pl_scenario_sector_priority(sc, "education") == 1.2);
    assert_true(pl_scenario_sector_priority(sc, "retail") == 1.0);
    assert_true(pl_scenario_sector_priority(sc, NULL) == 1.0);
    assert_true(sc->whitelist_multiplier == 3.0);

    assert_int_equal(sc->lead_periods, 1);
    assert_int_equal(sc->max_lead_periods, 2);
    assert_int_equal(sc->on_time_required, PL_ONTIME_WHITELIST);
    assert_int_equal(sc->objective, PL_OBJ_MIN_COST);
    assert_true(sc->discount_rate == 0.05);

    assert_int_equal(sc->n_coverage_targets, 2);
    assert_int_equal(sc->coverage_targets[0].period, 3); /* 2028 */
    assert_true(sc->coverage_targets[0].value == 0.90);
    assert_int_equal(sc->coverage_targets[0].line, 66);
    assert_null(sc->coverage_targets[0].sector);
    assert_int_equal(sc->coverage_targets[1].period, 5);
    assert_int_equal(sc->n_sector_targets, 2);
    assert_string_equal(sc->sector_targets[0].sector, "ic");
    assert_int_equal(sc->sector_targets[0].period, 2);
    assert_true(sc->sector_targets[0].value == 1.0);
    assert_string_equal(sc->sector_targets[1].sector, "auto");
    assert_int_equal(sc->sector_targets[1].period, 4);
    assert_int_equal(sc->n_density_targets, 1);
    assert_int_equal(sc->density_targets[0].period, 5);
    assert_true(sc->density_targets[0].value == 26);

    assert_int_equal(sc->capacity, 1);
    assert_true(sc->time_limit_s == 60);
    assert_true(sc->mip_gap == 0.01);
    assert_int_equal(sc->presolve, 0);
    assert_int_equal(sc->cuts, 0);
    assert_int_equal(sc->heuristics, 1);
    join_path(want, sizeof want, "sub/out/plan.gpkg");
    assert_string_equal(sc->output_path, want);
    assert_string_equal(sc->output_format, "GeoJSON");
    assert_string_equal(sc->output_crs, "EPSG:32651");
    assert_int_equal(sc->output_links, 1);
    /* lines of the values that are checked later, against GDAL/PROJ or the data */
    assert_int_equal(sc->crs_at, 3);
    assert_int_equal(sc->demand.crs_at, 15);
    assert_int_equal(sc->candidates.crs_at, 27);
    assert_int_equal(sc->regions.crs_at, 40);
    assert_int_equal(sc->existing.crs_at, 0);
    assert_int_equal(sc->output_format_at, 79);
    assert_int_equal(sc->output_crs_at, 80);
    assert_int_equal(sc->sectors[0].at, 54);
    assert_int_equal(sc->sectors[3].at, 57);
    assert_int_equal(sc->sector_targets[0].sector_at, 67);
    assert_int_equal(sc->sector_targets[1].sector_at, 67);
    assert_int_equal(sc->demand.skip_invalid, 0); /* on_invalid: error by default */

    pl_scenario_free(sc);
    unlink(path);
    join_path(path, sizeof path, "sub");
    rmdir(path);
}

/* ---- defaults of a minimal scenario ------------------------------------------ */

#define MIN5 \
    "version: 1\n" \
    "name: test\n" \
    "periods: {start: 2026, count: 5}\n" \
    "demand: {source: d.geojson}\n" \
    "candidates: {source: c.csv}\n"

static void test_defaults(void **state)
{
    (void)state;
    write_text("s.yaml", MIN5);
    pl_scenario *sc = load_ok("s.yaml");
    assert_string_equal(sc->file, "s.yaml");
    assert_string_equal(sc->dir, ".");
    assert_string_equal(sc->crs, "auto");
    assert_int_equal(sc->n_periods, 5);
    assert_int_equal(sc->period_step, 1);
    for (int i = 0; i < 5; i++)
        assert_true(isinf(sc->budget[i]) && sc->budget[i] > 0);
    assert_int_equal(sc->carry_over, 1);
    assert_null(sc->max_new_sites);
    assert_string_equal(sc->demand.source, "d.geojson");
    assert_string_equal(sc->candidates.source, "c.csv");
    assert_int_equal(sc->demand.line, 4);
    assert_int_equal(sc->candidates.line, 5);
    assert_int_equal(sc->existing.present, 0);
    assert_null(sc->existing.source);
    assert_int_equal(sc->regions.present, 0);
    for (int f = 0; f < PL_F_COUNT; f++)
        assert_null(sc->demand.field[f]);
    assert_int_equal(sc->radio_model, PL_RADIO_FIXED_RADIUS);
    assert_true(sc->radius_m == 800);
    assert_string_equal(sc->environment, "uma");
    assert_true(sc->shadow_margin_db == 0);
    assert_true(sc->indoor_loss_db == 15);
    assert_int_equal(sc->n_bands, 1);
    assert_string_equal(sc->bands[0].name, "n78");
    assert_true(sc->bands[0].frequency_ghz == 3.5 && sc->bands[0].max_path_loss_db == 128 &&
                sc->bands[0].height_m == 25 && sc->bands[0].capacity_mbps == 1000);
    assert_null(sc->dem);
    assert_null(sc->clutter);
    assert_int_equal(sc->n_clutter_classes, 0);
    assert_int_equal(sc->n_sectors, 0);
    assert_true(sc->whitelist_multiplier == 1);
    assert_int_equal(sc->lead_periods, 0);
    assert_int_equal(sc->max_lead_periods, 0); /* defaults to lead_periods */
    assert_int_equal(sc->on_time_required, PL_ONTIME_NONE);
    assert_int_equal(sc->objective, PL_OBJ_MAX_COVERAGE);
    assert_true(sc->discount_rate == 0);
    assert_int_equal(sc->n_coverage_targets + sc->n_sector_targets + sc->n_density_targets, 0);
    assert_int_equal(sc->capacity, 0);
    assert_true(sc->time_limit_s == 300);
    assert_true(sc->mip_gap == 0.005);
    assert_int_equal(sc->presolve, -1); /* auto */
    assert_int_equal(sc->decompose, -1); /* auto */
    assert_int_equal(sc->workers, 0);    /* the online processors */
    assert_int_equal(sc->cuts, 1);
    assert_int_equal(sc->heuristics, 1);
    assert_int_equal(sc->feasibility_pump, 0);
    assert_int_equal(sc->proximity_search, 1);
    assert_string_equal(sc->output_path, "plan.gpkg");
    assert_string_equal(sc->output_format, "GPKG");
    assert_null(sc->output_crs);
    assert_int_equal(sc->output_links, 0);
    pl_scenario_free(sc);
}

/* A file in a subfolder given by a relative path: paths resolve next to it. */
static void test_on_invalid(void **state)
{
    (void)state;
    write_text("s.yaml", MIN5 "regions: {source: r.geojson, on_invalid: skip}\n"
                              "existing: {source: e.gpkg, on_invalid: error}\n");
    pl_scenario *sc = load_ok("s.yaml");
    assert_int_equal(sc->regions.skip_invalid, 1);
    assert_int_equal(sc->existing.skip_invalid, 0);
    assert_int_equal(sc->demand.skip_invalid, 0);
    assert_null(sc->demand.sector);
    pl_scenario_free(sc);
    write_text("s.yaml", "version: 1\nname: t\nperiods: {start: 2026, count: 5}\n"
                         "demand: {source: d.geojson, sector: energy}\ncandidates: {source: c.csv}\n");
    sc = load_ok("s.yaml");
    assert_string_equal(sc->demand.sector, "energy");
    pl_scenario_free(sc);
}

/* Errors found after loading name the key's line, or an override's origin. */
static void test_error_at(void **state)
{
    (void)state;
    write_text("s.yaml", MIN5 "sectors: {ic: 2}\noutput: {crs: EPSG:3857}\n");
    const pl_override ov[] = {{"sectors.enegry", "1.5", "batch.yaml:12"}};
    pl_scenario *sc = NULL;
    r5g_err err = {0};
    assert_int_equal(pl_scenario_load_ex(&sc, "s.yaml", ov, 1, &err), 0);
    assert_int_equal(sc->n_sectors, 2);
    int k = strcmp(sc->sectors[0].name, "enegry") == 0 ? 0 : 1;
    assert_string_equal(sc->sectors[k].name, "enegry");
    assert_true(sc->sectors[k].at < 0);
    assert_int_equal(sc->sectors[1 - k].at, 6);
    assert_int_equal(pl_scenario_error(sc, sc->sectors[k].at, "sectors.enegry", &err, "no %s", "x"),
                     R5G_EINPUT);
    assert_string_equal(err.msg, "batch.yaml:12: sectors.enegry: no x (override of s.yaml)");
    pl_scenario_error(sc, sc->output_crs_at, "output.crs", &err, "bad");
    assert_string_equal(err.msg, "s.yaml:7: output.crs: bad");
    pl_scenario_error(sc, 0, "crs", &err, "bad");
    assert_string_equal(err.msg, "s.yaml: crs: bad");
    pl_scenario_free(sc);
}

/* ---- the field tables (schema.c) ------------------------------------------------ */

static void test_schema(void **state)
{
    (void)state;
    /* columns by name: the layouts the reader requests and the others read */
    assert_int_equal(pl_schema_col(PL_SEC_DEMAND, PL_F_TRAFFIC), PL_DEMAND_TRAFFIC);
    assert_int_equal(pl_schema_col(PL_SEC_REGIONS, PL_F_POPULATION), PL_REGION_POPULATION);
    assert_int_equal(pl_schema_col(PL_SEC_EXISTING, PL_F_HEIGHT), PL_SITE_HEIGHT);
    assert_int_equal(pl_schema_col(PL_SEC_CANDIDATES, PL_F_HEIGHT), PL_SITE_HEIGHT);
    assert_int_equal(pl_schema_col(PL_SEC_EXISTING, PL_F_CAPEX), -1);
    assert_int_equal(pl_schema_col(PL_SEC_REGIONS, PL_F_WEIGHT), -1);
    const char *keys[PL_F_COUNT + 1];
    pl_schema_keys(PL_SEC_EXISTING, keys);
    assert_string_equal(keys[0], "id");
    assert_string_equal(keys[1], "band");
    assert_string_equal(keys[2], "height");
    assert_string_equal(keys[3], "environment");
    assert_string_equal(keys[4], "name");
    assert_null(keys[5]);
    /* every key has a name that maps back, and one section at least reads it */
    for (int f = 0; f < PL_F_COUNT; f++) {
        assert_int_equal(pl_field_of(pl_field_key((pl_field)f)), f);
        int read = 0;
        for (int sec = 0; sec < PL_SEC_COUNT; sec++)
            read |= pl_schema_col((pl_section)sec, (pl_field)f) >= 0;
        assert_true(read);
    }
    assert_int_equal(pl_field_of("nope"), PL_F_COUNT);
}

/* docs/scenario.md holds each section's field table exactly as schema.c
 * generates it, below a "<!-- fields: SECTION" marker. */
static void test_schema_docs(void **state)
{
    (void)state;
    const char *top = getenv("top_srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/scenario.md", top ? top : "..");
    FILE *f = fopen(path, "rb");
    if (!f)
        print_error("cannot read %s (set top_srcdir)\n", path);
    assert_non_null(f);
    static char doc[1 << 18];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    for (int sec = 0; sec < PL_SEC_COUNT; sec++) {
        char marker[64];
        snprintf(marker, sizeof marker, "<!-- fields: %s ", pl_section_name((pl_section)sec));
        const char *at = strstr(doc, marker);
        if (!at)
            print_error("docs/scenario.md has no '%s' marker\n", marker);
        assert_non_null(at);
        assert_null(strstr(at + 1, marker)); /* one table per section */
        const char *table = strchr(at, '\n') + 1;
        char *want = pl_schema_doc_table((pl_section)sec);
        assert_non_null(want);
        if (strncmp(table, want, strlen(want)) != 0 || table[strlen(want)] != '\n')
            print_error("docs/scenario.md: the %s field table differs from schema.c; it should "
                        "read (followed by a blank line):\n%s", pl_section_name((pl_section)sec),
                        want);
        assert_int_equal(strncmp(table, want, strlen(want)), 0);
        assert_int_equal(table[strlen(want)], '\n');
        free(want);
    }
}

/* demand: one layer, or a list of layers, each with its own keys */
static void test_demand_list(void **state)
{
    (void)state;
    static const char *const lines[] = {
        /*  1 */ "version: 1",
        /*  2 */ "name: layers",
        /*  3 */ "periods: {start: 2026, count: 2}",
        /*  4 */ "demand:",
        /*  5 */ "  - source: plants.csv",
        /*  6 */ "    open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]",
        /*  7 */ "    crs: EPSG:4326",
        /*  8 */ "    sector: energy",
        /*  9 */ "    id_prefix: 'plant:'",
        /* 10 */ "    fields: {id: pid, weight: mw}",
        /* 11 */ "  - source: ports.csv",
        /* 12 */ "    crs: GCJ-02",
        /* 13 */ "    where: \"size = 'L'\"",
        /* 14 */ "    on_invalid: skip",
        /* 15 */ "  - {source: unis.csv, crs: BD-09, sector: education, fields: {id: name}}",
        /* 16 */ "candidates: {source: c.csv}",
        NULL};
    char *text = lines_text(lines);
    write_text("s.yaml", text);
    free(text);
    pl_scenario *sc = load_ok("s.yaml");
    assert_int_equal(pl_scenario_demand_count(sc), 3);
    const pl_layer *a = pl_scenario_demand_layer(sc, 0), *b = pl_scenario_demand_layer(sc, 1),
                   *u = pl_scenario_demand_layer(sc, 2);
    assert_ptr_equal(a, &sc->demand); /* the first is `demand`, as for one layer */
    assert_null(pl_scenario_demand_layer(sc, 3));
    assert_string_equal(a->label, "demand[0]");
    assert_string_equal(b->label, "demand[1]");
    assert_string_equal(u->label, "demand[2]");
    assert_string_equal(a->source, "plants.csv");
    assert_string_equal(a->sector, "energy");
    assert_string_equal(a->id_prefix, "plant:");
    assert_string_equal(a->field[PL_F_WEIGHT], "mw");
    assert_int_equal(a->crs_at, 7);
    assert_int_equal(a->line, 5);
    assert_string_equal(b->crs, "GCJ-02");
    assert_int_equal(b->crs_at, 12);
    assert_string_equal(b->where, "size = 'L'");
    assert_int_equal(b->skip_invalid, 1);
    assert_null(b->sector);
    assert_null(b->id_prefix);
    assert_string_equal(u->crs, "BD-09");
    assert_string_equal(u->field[PL_F_ID], "name");
    assert_int_equal(u->line, 15);
    pl_scenario_free(sc);
    /* one layer: the contract as before */
    write_text("s.yaml", MIN5);
    sc = load_ok("s.yaml");
    assert_int_equal(pl_scenario_demand_count(sc), 1);
    assert_string_equal(pl_scenario_demand_layer(sc, 0)->label, "demand");
    pl_scenario_free(sc);
}

static void test_glpk_heuristics(void **state)
{
    (void)state;
    write_text("s.yaml", MIN5 "solver:\n  feasibility_pump: true\n  proximity_search: no\n");
    pl_scenario *sc = load_ok("s.yaml");
    assert_int_equal(sc->feasibility_pump, 1);
    assert_int_equal(sc->proximity_search, 0);
    pl_scenario_free(sc);
}

static void test_relative_dir(void **state)
{
    (void)state;
    mkdir("rel", 0700);
    write_text("rel/s.yaml", MIN5 "budget: {capex: .inf, max_new_sites: 7}\n");
    pl_scenario *sc = load_ok("rel/s.yaml");
    assert_string_equal(sc->dir, "rel");
    assert_string_equal(sc->demand.source, "rel/d.geojson");
    assert_string_equal(sc->output_path, "rel/plan.gpkg");
    assert_true(isinf(sc->budget[3]));
    assert_int_equal(sc->max_new_sites[0], 7);
    assert_int_equal(sc->max_new_sites[4], 7);
    pl_scenario_free(sc);
    unlink("rel/s.yaml");
    rmdir("rel");
}

static void test_labels(void **state)
{
    (void)state;
    write_text("s.yaml", "version: 1\n"
                         "name: halves\n"
                         "periods:\n"
                         "  labels: [2026H1, 2026H2, 2027H1]\n"
                         "  dates: [2026-01-01, 2026-07-01, 2027-01-01]\n"
                         "demand: {source: d.geojson}\n"
                         "candidates: {source: c.csv}\n"
                         "budget: {capex: [1, 2, 3], max_new_sites: [4, 5, 6]}\n"
                         "targets: {coverage_share: {2026H2: 0.5}}\n"
                         "objective: min_cost\n");
    pl_scenario *sc = load_ok("s.yaml");
    assert_int_equal(sc->n_periods, 3);
    assert_int_equal(sc->period_start, 0);
    assert_int_equal(sc->period_step, 0);
    assert_string_equal(sc->period_label[1], "2026H2");
    assert_string_equal(sc->period_date[1], "2026-07-01");
    assert_true(sc->budget[2] == 3);
    assert_int_equal(sc->max_new_sites[1], 5);
    assert_int_equal(sc->max_lead_periods, 0); /* defaults to lead_periods */
    assert_int_equal(sc->coverage_targets[0].period, 2);
    assert_int_equal(pl_scenario_period_index(sc, "2026H1"), 1);
    assert_int_equal(pl_scenario_period_index(sc, "2027H1"), 3);
    assert_int_equal(pl_scenario_period_index(sc, "2027H2"), 0);
    assert_int_equal(pl_scenario_period_index(sc, "2027"), 0); /* years only with start/count */
    pl_scenario_free(sc);
}

static void test_period_index(void **state)
{
    (void)state;
    /* start 2026, step 2, 3 periods: 2026-2027, 2028-2029, 2030-2031 */
    write_text("s.yaml", "version: 1\n"
                         "name: biennial\n"
                         "periods: {start: 2026, count: 3, step: 2}\n"
                         "demand: {source: d.geojson}\n"
                         "candidates: {source: c.csv}\n"
                         "targets: {coverage_share: {2029: 0.5, 2031: 0.9}}\n");
    pl_scenario *sc = load_ok("s.yaml");
    assert_string_equal(sc->period_label[1], "2028");
    assert_string_equal(sc->period_date[2], "2030-01-01");
    assert_int_equal(sc->period_step, 2);
    assert_int_equal(pl_scenario_period_index(sc, "2020"), 1);
    assert_int_equal(pl_scenario_period_index(sc, "2026"), 1);
    assert_int_equal(pl_scenario_period_index(sc, "2027"), 1);
    assert_int_equal(pl_scenario_period_index(sc, "2028"), 2);
    assert_int_equal(pl_scenario_period_index(sc, " 2029 "), 2);
    assert_int_equal(pl_scenario_period_index(sc, "2030.0"), 3);
    assert_int_equal(pl_scenario_period_index(sc, "2031"), 3);
    assert_int_equal(pl_scenario_period_index(sc, "2032"), 0);
    assert_int_equal(pl_scenario_period_index(sc, "2029.5"), 0);
    assert_int_equal(pl_scenario_period_index(sc, "soon"), 0);
    assert_int_equal(pl_scenario_period_index(sc, ""), 0);
    assert_int_equal(pl_scenario_period_index(sc, NULL), 0);
    assert_int_equal(sc->coverage_targets[0].period, 2);
    assert_int_equal(sc->coverage_targets[1].period, 3);
    pl_scenario_free(sc);
}

static void test_directory(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_scenario *sc = (pl_scenario *)1;
    mkdir("adir", 0700);
    int rc = pl_scenario_load(&sc, "adir", &err);
    rmdir("adir");
    assert_true(rc == R5G_EIO || rc == R5G_EINPUT);
    assert_null(sc);
    assert_string_equal(err.msg, "adir: cannot read scenario file: Is a directory");
}

static void test_misc_api(void **state)
{
    (void)state;
    assert_string_equal(pl_field_key(PL_F_ID), "id");
    assert_string_equal(pl_field_key(PL_F_TRAFFIC), "traffic");
    assert_string_equal(pl_field_key(PL_F_ENVIRONMENT), "environment");
    assert_string_equal(pl_field_key(PL_F_POPULATION), "population");
    assert_null(pl_field_key(PL_F_COUNT));
    pl_scenario_free(NULL);
    assert_int_equal(pl_scenario_period_index(NULL, "2026"), 0);
    assert_true(pl_scenario_sector_priority(NULL, "ic") == 1);
    assert_int_equal(pl_scenario_band(NULL, "n78"), -1);
}

static void test_missing_file(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_scenario *sc = (pl_scenario *)1;
    int rc = pl_scenario_load(&sc, "nope.yaml", &err);
    assert_true(rc == R5G_EIO || rc == R5G_EINPUT);
    assert_null(sc);
    assert_string_equal(err.msg, "nope.yaml: cannot read scenario file: No such file or directory");
}

/* ---- one exact message per error ------------------------------------------------- */

typedef struct err_case {
    const char *name;
    const char *yaml;
    const char *msg;
} err_case;

static const err_case err_cases[] = {
    {"output.links not a boolean", MIN5 "output:\n  links: maybe\n",
     "s.yaml:7: output.links: expected true or false, got 'maybe'"},
    {"unknown key with suggestion", MIN5 "budget:\n  capx: 5\n",
     "s.yaml:7: budget.capx: unknown key (did you mean 'capex'?)"},
    {"unknown key listing valid keys", MIN5 "budget:\n  money: 5\n",
     "s.yaml:7: budget.money: unknown key (valid keys: capex, carry_over, max_new_sites)"},
    {"unknown top-level key", MIN5 "objectiv: min_cost\n",
     "s.yaml:6: objectiv: unknown key (did you mean 'objective'?)"},
    {"unknown field key",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\n"
     "demand: {source: d.geojson, fields: {capex: c}}\ncandidates: {source: c.csv}\n",
     "s.yaml:4: demand.fields.capex: unknown key (valid keys: id, weight, sector, period, "
     "whitelist, indoor, traffic, name)"},
    {"count not an integer",
     "version: 1\nname: t\nperiods: {start: 2026, count: five}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:3: periods.count: expected an integer, got 'five'"},
    {"count out of range",
     "version: 1\nname: t\nperiods:\n  start: 2026\n  count: 101\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:5: periods.count: 101 is out of range (1 to 100)"},
    {"negative capex", MIN5 "budget:\n  capex: -5\n", "s.yaml:7: budget.capex: -5 is negative"},
    {"negative capex in a list", MIN5 "budget:\n  capex:\n    - 1\n    - -2\n    - 3\n    - 4\n    - 5\n",
     "s.yaml:9: budget.capex: -2 is negative (period 2027)"},
    {"NaN capex", MIN5 "budget:\n  capex: [1, 2, .nan, 4, 5]\n",
     "s.yaml:7: budget.capex: .nan is not a number (period 2028)"},
    {"list length mismatch", MIN5 "budget:\n  capex: [1, 2, 3]\n",
     "s.yaml:7: budget.capex: expected 5 values (one per period), got 3"},
    {"max_new_sites not an integer", MIN5 "budget: {max_new_sites: 2.5}\n",
     "s.yaml:6: budget.max_new_sites: expected an integer, got '2.5'"},
    {"inf radius", MIN5 "radio:\n  radius_m: .inf\n",
     "s.yaml:7: radio.radius_m: .inf is not allowed here, give a finite number"},
    {"NaN radius", MIN5 "radio: {radius_m: .NaN}\n", "s.yaml:6: radio.radius_m: .NaN is not a number"},
    {"zero radius", MIN5 "radio: {radius_m: 0}\n", "s.yaml:6: radio.radius_m: 0 must be greater than 0"},
    {"number expected", MIN5 "whitelist_multiplier: lots\n",
     "s.yaml:6: whitelist_multiplier: expected a number, got 'lots'"},
    {"bool expected", MIN5 "budget: {carry_over: maybe}\n",
     "s.yaml:6: budget.carry_over: expected true or false, got 'maybe'"},
    {"YAML syntax error", MIN5 "foo: bar: baz\n",
     "s.yaml:6: YAML syntax error: mapping values are not allowed in this context (column 9)"},
    {"YAML syntax error naming where the list started", MIN5 "budget: [1, 2\n",
     "s.yaml:7: YAML syntax error: did not find expected ',' or ']' (column 1); while parsing "
     "a flow sequence started on line 6"},
    {"invalid UTF-8", "version: 1\nname: \"\xff\"\n",
     "s.yaml:2: YAML syntax error: invalid leading UTF-8 octet (byte 19 of the file)"},
    {"two target keys in one period",
     "version: 1\nname: t\nperiods: {start: 2026, count: 3, step: 2}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n"
     "targets:\n  coverage_share:\n    2028: 0.5\n    2029: 0.6\n",
     "s.yaml:9: targets.coverage_share: '2029' falls in period 2028, already given on line 8"},
    {"missing required key",
     "version: 1\nperiods: {start: 2026, count: 5}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml: name: required key is missing"},
    {"missing version", "name: t\nperiods: {start: 2026, count: 5}\n"
                        "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml: version: required key is missing"},
    {"missing layer source", MIN5 "existing:\n  layer: x\n",
     "s.yaml:6: existing.source: required key is missing"},
    {"duplicate key", MIN5 "budget:\n  capex: 1\n  capex: 2\n",
     "s.yaml:8: budget.capex: duplicate key (first given on line 7)"},
    {"duplicate top-level key", MIN5 "name: again\n",
     "s.yaml:6: name: duplicate key (first given on line 2)"},
    {"list where a mapping is expected", MIN5 "budget: [1, 2]\n",
     "s.yaml:6: budget: expected a mapping (key: value), got a list"},
    {"mapping where a value is expected", MIN5 "sectors:\n  ic: {a: 1}\n",
     "s.yaml:7: sectors.ic: expected a value, got a mapping"},
    {"empty value", MIN5 "radio:\n  model:\n",
     "s.yaml:7: radio.model: expected a value, got an empty value"},
    {"top level is a list", "- 1\n- 2\n",
     "s.yaml:1: expected a mapping of scenario keys (version, name, ...), got a list"},
    {"unknown enum value with suggestion", MIN5 "radio: {model: tr38910}\n",
     "s.yaml:6: radio.model: unknown value 'tr38910' (did you mean 'tr38901'?)"},
    {"unknown enum value", MIN5 "objective: cheapest\n",
     "s.yaml:6: objective: unknown value 'cheapest' (expected one of: max_coverage, min_cost)"},
    {"unknown environment", MIN5 "radio:\n  environment: urban\n",
     "s.yaml:7: radio.environment: unknown value 'urban' (expected one of: uma, umi, rma)"},
    {"labels without dates",
     "version: 1\nname: t\nperiods: {labels: [a, b]}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:3: periods.dates: required with periods.labels (one date per label)"},
    {"dates length mismatch",
     "version: 1\nname: t\nperiods:\n  labels: [a, b]\n  dates: [2026-01-01]\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:5: periods.dates: expected 2 dates (one per label), got 1"},
    {"bad date",
     "version: 1\nname: t\nperiods:\n  labels: [a, b]\n  dates: [2026-01-01, 2026-02-30]\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:5: periods.dates: expected a date YYYY-MM-DD, got '2026-02-30'"},
    {"both period forms",
     "version: 1\nname: t\nperiods:\n  start: 2026\n  labels: [a]\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:4: periods: give either start + count (+ step) or labels + dates, not both"},
    {"min_cost without targets", MIN5 "objective: min_cost\n",
     "s.yaml:6: objective: min_cost requires targets (coverage_share, sector_share or "
     "sites_per_10k_people)"},
    {"max_lead below lead", MIN5 "ahead_of_demand:\n  lead_periods: 2\n  max_lead_periods: 1\n",
     "s.yaml:8: ahead_of_demand.max_lead_periods: 1 is less than lead_periods (2)"},
    {"target period after the horizon", MIN5 "targets:\n  coverage_share: {2031: 0.5}\n",
     "s.yaml:7: targets.coverage_share: period '2031' is not in the horizon (2026 to 2030)"},
    {"target period before the horizon", MIN5 "targets:\n  sector_share:\n    ic: {2025: 0.5}\n",
     "s.yaml:8: targets.sector_share.ic: period '2025' is not in the horizon (2026 to 2030)"},
    {"share above 1", MIN5 "targets: {coverage_share: {2027: 1.5}}\n",
     "s.yaml:6: targets.coverage_share.2027: 1.5 is not a share between 0 and 1"},
    {"version 2",
     "version: 2\nname: t\nperiods: {start: 2026, count: 5}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:1: version: unsupported scenario format version 2 (this rollout5g reads version 1)"},
    {"open option without =", MIN5 "existing: {source: e.gpkg, open_options: [LIST_ALL_TABLES]}\n",
     "s.yaml:6: existing.open_options: expected KEY=VALUE, got 'LIST_ALL_TABLES'"},
    {"band missing a required key", MIN5 "radio:\n  bands:\n    n41: {frequency_ghz: 2.6}\n",
     "s.yaml:8: radio.bands.n41.max_path_loss_db: required key is missing"},
    {"band unknown sub-key", MIN5 "radio:\n  bands:\n    n41: {frequency_ghz: 2.6, max_path_loss_db: 130, heigth_m: 30}\n",
     "s.yaml:8: radio.bands.n41.heigth_m: unknown key (did you mean 'height_m'?)"},
    {"clutter class not an environment", MIN5 "radio:\n  clutter: {source: lc.tif, classes: {1: city}}\n",
     "s.yaml:7: radio.clutter.classes.1: unknown value 'city' (expected one of: uma, umi, rma)"},
    {"feasibility_pump not a boolean", MIN5 "solver:\n  feasibility_pump: 2\n",
     "s.yaml:7: solver.feasibility_pump: expected true or false, got '2'"},
    {"unknown solver key lists the new ones", MIN5 "solver:\n  proximity: true\n",
     "s.yaml:7: solver.proximity: unknown key (valid keys: time_limit_s, mip_gap, presolve, cuts, "
     "heuristics, feasibility_pump, proximity_search, decompose, workers)"},
    {"workers out of range", MIN5 "solver:\n  workers: 65\n",
     "s.yaml:7: solver.workers: 65 is out of range (1 to 64)"},
    {"decompose not a boolean or auto", MIN5 "solver:\n  decompose: regions\n",
     "s.yaml:7: solver.decompose: expected true or false, got 'regions'"},
    {"on_invalid not error or skip", MIN5 "regions: {source: r.geojson, on_invalid: ignore}\n",
     "s.yaml:6: regions.on_invalid: unknown value 'ignore' (expected one of: error, skip)"},
    {"a default sector only for demand", MIN5 "existing: {source: e.gpkg, sector: ic}\n",
     "s.yaml:6: existing.sector: unknown key (valid keys: source, layer, where, crs, "
     "open_options, fields, on_invalid, keep_fields)"},
    {"keep_fields neither a list nor all", MIN5 "existing: {source: e.gpkg, keep_fields: some}\n",
     "s.yaml:6: existing.keep_fields: expected a list of field names or all, got 'some'"},
    {"keep_fields an empty list", MIN5 "existing: {source: e.gpkg, keep_fields: []}\n",
     "s.yaml:6: existing.keep_fields: the list is empty (give field names, or all)"},
    {"keep_fields naming a field twice", MIN5 "existing: {source: e.gpkg, keep_fields: [owner, Owner]}\n",
     "s.yaml:6: existing.keep_fields[1]: field 'Owner' is listed twice"},
    {"keep_fields with an empty name", MIN5 "existing: {source: e.gpkg, keep_fields: [owner, '']}\n",
     "s.yaml:6: existing.keep_fields[1]: the value is empty"},
    {"keep_fields not for regions", MIN5 "regions: {source: r.geojson, keep_fields: all}\n",
     "s.yaml:6: regions.keep_fields: unknown key (valid keys: source, layer, where, crs, "
     "open_options, fields, on_invalid)"},
    {"empty list of demand layers",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand: []\ncandidates: {source: c.csv}\n",
     "s.yaml:4: demand: the list of demand layers is empty"},
    {"demand neither a layer nor a list",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand: d.geojson\ncandidates: {source: c.csv}\n",
     "s.yaml:4: demand: expected a layer (a mapping: source, fields, ...) or a list of layers, got 'd.geojson'"},
    {"a demand list item that is not a mapping",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand:\n  - {source: a.csv}\n  - b.csv\n"
     "candidates: {source: c.csv}\n",
     "s.yaml:6: demand[1]: expected a mapping (key: value), got 'b.csv'"},
    {"a demand list item without source",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand:\n  - {source: a.csv}\n  - {layer: x}\n"
     "candidates: {source: c.csv}\n",
     "s.yaml:6: demand[1].source: required key is missing"},
    {"a field key of another section in a demand list item",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand:\n  - {source: a.csv}\n"
     "  - {source: b.csv, fields: {capex: c}}\ncandidates: {source: c.csv}\n",
     "s.yaml:6: demand[1].fields.capex: unknown key (valid keys: id, weight, sector, period, "
     "whitelist, indoor, traffic, name)"},
    {"an empty id_prefix",
     "version: 1\nname: t\nperiods: {start: 2026, count: 5}\ndemand: {source: a.csv, id_prefix: ''}\n"
     "candidates: {source: c.csv}\n",
     "s.yaml:4: demand.id_prefix: the value is empty"},
    {"id_prefix only for demand", MIN5 "regions: {source: r.geojson, id_prefix: r}\n",
     "s.yaml:6: regions.id_prefix: unknown key (valid keys: source, layer, where, crs, "
     "open_options, fields, on_invalid)"},
    {"on_invalid typo", MIN5 "existing: {source: e.gpkg, on_invalid: skp}\n",
     "s.yaml:6: existing.on_invalid: unknown value 'skp' (did you mean 'skip'?)"},
    {"a line break in a quoted value stays on the line", MIN5 "whitelist_multiplier: \"1\\n2\"\n",
     "s.yaml:6: whitelist_multiplier: expected a number, got '1\\n2'"},
    {"one raster value given twice", MIN5 "radio:\n  clutter:\n    source: lc.tif\n"
     "    classes: {1: uma, 1.0: rma}\n",
     "s.yaml:9: radio.clutter.classes: raster value 1 is given twice (as '1.0', first on line 9)"},
    {"a label with a space at its start", "version: 1\nname: t\n"
     "periods: {labels: [' 2026H1', 2026H2], dates: [2026-01-01, 2026-07-01]}\n"
     "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n",
     "s.yaml:3: periods.labels: label ' 2026H1' begins or ends with a space (demand periods are "
     "matched without them)"},
    {"an open option with an empty key", MIN5 "existing: {source: e.gpkg, open_options: {'': lon}}\n",
     "s.yaml:6: existing.open_options: expected KEY=VALUE, got '=lon'"},
    {"empty file", "", "s.yaml: the scenario file is empty (expected keys such as version, name, "
                       "periods, demand, candidates)"},
};

static void test_error_case(void **state)
{
    const err_case *ec = *state;
    write_text("s.yaml", ec->yaml);
    r5g_err err = {0};
    pl_scenario *sc = (pl_scenario *)1;
    int rc = pl_scenario_load(&sc, "s.yaml", &err);
    assert_int_equal(rc, R5G_EINPUT);
    assert_null(sc);
    assert_int_equal(err.code, R5G_EINPUT);
    assert_string_equal(err.msg, ec->msg);
    assert_null(strchr(err.msg, '\n')); /* exactly one line */
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/r5g-scen-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir) || chdir(tmpdir))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink("s.yaml");
    if (chdir("/"))
        return -1;
    return rmdir(tmpdir);
}

int main(void)
{
    enum { N_ERR = sizeof err_cases / sizeof err_cases[0] };
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_full),          cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_relative_dir),  cmocka_unit_test(test_labels),
        cmocka_unit_test(test_period_index),  cmocka_unit_test(test_misc_api),
        cmocka_unit_test(test_missing_file),    cmocka_unit_test(test_directory),
        cmocka_unit_test(test_glpk_heuristics), cmocka_unit_test(test_on_invalid),
        cmocka_unit_test(test_error_at),        cmocka_unit_test(test_schema),
        cmocka_unit_test(test_schema_docs),     cmocka_unit_test(test_demand_list),
    };
    enum { N_FIXED = sizeof fixed / sizeof fixed[0] };
    struct CMUnitTest tests[N_FIXED + N_ERR];
    memcpy(tests, fixed, sizeof fixed);
    for (int i = 0; i < N_ERR; i++) {
        tests[N_FIXED + i] = (struct CMUnitTest){
            .name = err_cases[i].name,
            .test_func = test_error_case,
            .initial_state = (void *)&err_cases[i],
        };
    }
    return _cmocka_run_group_tests("scenario", tests, N_FIXED + N_ERR, group_setup,
                                   group_teardown);
}
