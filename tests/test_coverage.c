/* The coverage engine through the real input pipeline (scenario file ->
 * layers -> pairs): TR 38.901 ranges against the table in DOMAIN.md, indoor
 * loss and shadow margin, DEM line of sight with a synthetic ridge, clutter
 * classes, GCJ-02/BD-09 layers, and the bad inputs of issue 3. Fixtures are
 * written at run time into a temporary folder. */
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
#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "geo/cn_datum.h"
#include "geo/radio.h"
#include "planner/pipeline/coverage.h"

static char g_dir[] = "/tmp/r5g-test-coverage.XXXXXX";

static char *fx(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static void fx_write(const char *name, const char *text)
{
    FILE *f = fopen(fx(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A w x h GeoTIFF in EPSG:4326 (or no CRS) with origin (lon0, lat0 top) and
 * cell size res degrees; value(col, row) fills it. */
static void fx_raster(const char *name, int w, int h, double lon0, double lat0, double res,
                      int with_crs, double (*value)(double lon, double lat), GDALDataType type)
{
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    assert_non_null(drv);
    GDALDatasetH ds = GDALCreate(drv, fx(name), w, h, 1, type, NULL);
    assert_non_null(ds);
    double gt[6] = {lon0, res, 0, lat0, 0, -res};
    GDALSetGeoTransform(ds, gt);
    if (with_crs) {
        OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(s, 4326);
        char *wkt = NULL;
        OSRExportToWkt(s, &wkt);
        GDALSetProjection(ds, wkt);
        CPLFree(wkt);
        OSRDestroySpatialReference(s);
    }
    float *row = malloc((size_t)w * sizeof *row);
    assert_non_null(row);
    for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++)
            row[i] = (float)value(lon0 + (i + 0.5) * res, lat0 - (j + 0.5) * res);
        assert_int_equal(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, j, w, 1, row, w, 1,
                                      GDT_Float32, 0, 0), CE_None);
    }
    free(row);
    GDALClose(ds);
}

/* Runs the input pipeline on scenario.yaml; returns rc, r filled. */
static int run_inputs(pl_run *r, r5g_err *err)
{
    memset(r, 0, sizeof *r);
    memset(err, 0, sizeof *err);
    int rc = pl_scenario_load(&r->sc, fx("scenario.yaml"), err);
    if (rc == 0)
        rc = geo_ctx_new(&r->geo, err);
    if (rc == 0)
        rc = pl_read_inputs(r, err);
    return rc;
}

static void run_ok(pl_run *r)
{
    r5g_err err;
    int rc = run_inputs(r, &err);
    if (rc)
        print_error("unexpected error: %s\n", err.msg);
    assert_int_equal(rc, 0);
}

static void run_fails(const char *want)
{
    pl_run r;
    r5g_err err;
    int rc = run_inputs(&r, &err);
    assert_true(rc < 0);
    if (!strstr(err.msg, want))
        print_error("message '%s' lacks '%s'\n", err.msg, want);
    assert_non_null(strstr(err.msg, want));
    pl_run_free(&r);
}

/* Index of demand id in r, or -1. */
static long demand_index(const pl_run *r, const char *id)
{
    for (size_t j = 0; j < r->nd; j++)
        if (strcmp(r->d_id[j], id) == 0)
            return (long)j;
    return -1;
}

static long site_index(const pl_run *r, const char *id)
{
    for (size_t s = 0; s < r->ns; s++)
        if (strcmp(r->s_id[s], id) == 0)
            return (long)s;
    return -1;
}

/* Pair index of (site id, demand id), or -1. */
static long pair_of(const pl_run *r, const char *site, const char *dem)
{
    long j = demand_index(r, dem), s = site_index(r, site);
    assert_true(j >= 0 && s >= 0);
    return pl_coverage_pair(r, (size_t)j, (int)s);
}

/* ---- TR 38.901 oracles: DOMAIN.md's range table, through the pipeline ------- */

/* Planar metres: site S1 (uma, 25 m) at the origin, S2 (rma, 35 m) 20 km east.
 * n78 MAPL 130: UMa-NLOS 502 m, RMa-NLOS 975 m (DOMAIN.md). Indoor loss 10 dB
 * makes it MAPL 120 for indoor points: UMa 278 m. */
static const char *planar_scenario =
    "version: 1\nname: oracle\ncrs: planar\nperiods: {start: 2026, count: 1}\n"
    "demand:\n  source: demand.geojson\n  fields: {id: id, indoor: indoor}\n"
    "candidates:\n  source: sites.geojson\n  fields: {id: id, environment: env, height: h}\n"
    "radio:\n  model: tr38901\n  environment: uma\n  indoor_loss_db: 10\n"
    "  shadow_margin_db: %g\n"
    "  bands: {n78: {frequency_ghz: 3.5, max_path_loss_db: %g, height_m: 25}}\n";

static void write_planar(double mapl, double margin)
{
    char y[1024];
    snprintf(y, sizeof y, planar_scenario, margin, mapl);
    fx_write("scenario.yaml", y);
    fx_write("sites.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"S1\",\"env\":\"uma\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"S2\",\"env\":\"rma\",\"h\":35},\"geometry\":{\"type\":\"Point\",\"coordinates\":[20000,0]}}]}");
    fx_write("demand.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"u490\",\"indoor\":0},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,490]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"u515\",\"indoor\":0},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-515,0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"i270\",\"indoor\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[270,0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"i290\",\"indoor\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,-290]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"i470\",\"indoor\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,470]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"r960\",\"indoor\":0},\"geometry\":{\"type\":\"Point\",\"coordinates\":[20960,0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"r990\",\"indoor\":0},\"geometry\":{\"type\":\"Point\",\"coordinates\":[20000,990]}}]}");
}

static void check_oracle_pairs(const pl_run *r)
{
    assert_true(pair_of(r, "S1", "u490") >= 0);  /* 490 < 502 m */
    assert_true(pair_of(r, "S1", "u515") < 0);   /* 515 > 502 m */
    assert_true(pair_of(r, "S1", "i270") >= 0);  /* indoor: 270 < 278 m */
    assert_true(pair_of(r, "S1", "i290") < 0);   /* indoor: 290 > 278 m */
    assert_true(pair_of(r, "S1", "i470") < 0);   /* outdoor range, but indoor */
    assert_true(pair_of(r, "S2", "r960") >= 0);  /* RMa: 960 < 975 m */
    assert_true(pair_of(r, "S2", "r990") < 0);   /* RMa: 990 > 975 m */
    assert_int_equal(r->pairs.n_pairs, 3);
    /* ranges stored per site are the outdoor NLOS ranges of the table */
    assert_true(fabs(r->radius[site_index(r, "S1")] - 502) < 2);
    assert_true(fabs(r->radius[site_index(r, "S2")] - 975) < 2);
}

static void test_tr38901_table_ranges(void **state)
{
    (void)state;
    write_planar(130, 0);
    pl_run r;
    run_ok(&r);
    check_oracle_pairs(&r);
    long k = pair_of(&r, "S1", "u490");
    /* stored path loss: the NLOS formula at 490 m (<= 130, and above the 127 dB at 450 m) */
    assert_true(r.pair_pl[k] <= 130 && r.pair_pl[k] > 128);
    assert_true(fabs(r.pairs.dist[k] - 490) < 1e-3);
    assert_int_equal(r.pair_los[k], 0);
    assert_int_equal(r.s_env[site_index(&r, "S2")], GEO_ENV_RMA);
    pl_run_free(&r);
}

static void test_shadow_margin(void **state)
{
    (void)state;
    write_planar(140, 10); /* 140 - 10 = the 130 dB budget again */
    pl_run r;
    run_ok(&r);
    check_oracle_pairs(&r);
    pl_run_free(&r);
}

/* ---- bad inputs ---------------------------------------------------------- */

static void test_bad_site_values(void **state)
{
    (void)state;
    write_planar(130, 0);
    const char *base =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"id\":4,\"properties\":{\"id\":\"S1\",\"band\":null,%s},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}";
    char buf[1024];
    snprintf(buf, sizeof buf, base, "\"env\":\"suburban\",\"h\":null");
    fx_write("sites.geojson", buf);
    run_fails("sites.geojson feature 4 (id S1): environment 'suburban' is not uma, umi or rma");
    snprintf(buf, sizeof buf, base, "\"env\":null,\"h\":-5");
    fx_write("sites.geojson", buf);
    run_fails("sites.geojson feature 4 (id S1): height -5 is negative");
    snprintf(buf, sizeof buf, base, "\"env\":null,\"h\":\"nan\"");
    fx_write("sites.geojson", buf);
    run_fails("sites.geojson feature 4 (id S1): height nan is not a finite number");
    /* a height the TR 38.901 formulas cannot use (UMa needs > 1 m) */
    snprintf(buf, sizeof buf, base, "\"env\":null,\"h\":0.5");
    fx_write("sites.geojson", buf);
    run_fails("sites.geojson feature 4: site 'S1': TR 38.901 uma path loss is undefined");
    /* unknown band */
    fx_write("scenario.yaml",
             "version: 1\nname: b\ncrs: planar\nperiods: {start: 2026, count: 1}\n"
             "demand: {source: demand.geojson}\n"
             "candidates: {source: sites.geojson, fields: {id: id, band: band}}\n"
             "radio: {model: tr38901, bands: {n78: {frequency_ghz: 3.5, max_path_loss_db: 130}}}\n");
    snprintf(buf, sizeof buf, base, "\"env\":null,\"h\":null,\"band\":\"n41\"");
    fx_write("sites.geojson", buf);
    run_fails("sites.geojson feature 4 (id S1): band 'n41' is not in radio.bands (n78)");
}

/* ---- DEM line of sight: a ridge between the site and the point ----------- */

#define LON0 121.0
#define LAT0 31.0
/* metres east of the site in degrees of longitude at 31 N (WGS84 ellipsoid,
 * prime vertical radius): 1 degree = 95,504 m */
#define EAST(m) (LON0 + (m) / 95504.0)

static double flat(double lon, double lat)
{
    (void)lon;
    (void)lat;
    return 10.0;
}

/* a 100 m ridge about 300 m east of the site, running north-south */
static double ridge(double lon, double lat)
{
    (void)lat;
    return lon > EAST(280) && lon < EAST(320) ? 110.0 : 10.0;
}

static void write_los_fixture(const char *dem_line, const char *nlos)
{
    char y[1024];
    snprintf(y, sizeof y,
             "version: 1\nname: los\nperiods: {start: 2026, count: 1}\n"
             "demand: {source: demand.geojson}\n"
             "candidates: {source: sites.geojson}\n"
             "radio:\n  model: tr38901\n  nlos: %s\n%s\n"
             "  bands: {n78: {frequency_ghz: 3.5, max_path_loss_db: 128, height_m: 25}}\n",
             nlos, dem_line);
    fx_write("scenario.yaml", y);
    char s[512], d[1024];
    snprintf(s, sizeof s,
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"S\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}}]}",
             LON0, LAT0);
    fx_write("sites.geojson", s);
    /* E600: LOS loss ~100 dB, NLOS ~133 dB > 128: covered only with line of sight.
     * E400: NLOS ~126 dB: covered either way. W200: west, never behind the ridge. */
    snprintf(d, sizeof d,
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"E600\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"E400\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"W200\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}}]}",
             EAST(600), LAT0, EAST(400), LAT0, EAST(-200), LAT0);
    fx_write("demand.geojson", d);
}

static void test_los_ridge(void **state)
{
    (void)state;
    /* 10 m cells (0.0001 deg), EPSG:4326, around the site */
    fx_raster("flat.tif", 400, 200, LON0 - 0.01, LAT0 + 0.01, 0.0001, 1, flat, GDT_Float32);
    fx_raster("ridge.tif", 400, 200, LON0 - 0.01, LAT0 + 0.01, 0.0001, 1, ridge, GDT_Int16);
    pl_run r;
    long k;

    /* no ridge: everything in line of sight, E600 covered by the LOS loss */
    write_los_fixture("  dem: flat.tif", "model");
    run_ok(&r);
    assert_true((k = pair_of(&r, "S", "E600")) >= 0);
    assert_int_equal(r.pair_los[k], 1);
    assert_true(r.pair_pl[k] < 105);
    assert_true((k = pair_of(&r, "S", "E400")) >= 0);
    assert_int_equal(r.pair_los[k], 1);
    pl_run_free(&r);

    /* ridge, NLOS judged by the NLOS loss: E600 lost, E400 kept as NLOS */
    write_los_fixture("  dem: ridge.tif", "model");
    run_ok(&r);
    assert_true(pair_of(&r, "S", "E600") < 0);
    assert_true((k = pair_of(&r, "S", "E400")) >= 0);
    assert_int_equal(r.pair_los[k], 0);
    assert_true((k = pair_of(&r, "S", "W200")) >= 0);
    assert_int_equal(r.pair_los[k], 1);
    pl_run_free(&r);

    /* ridge, NLOS dropped: only the west point remains */
    write_los_fixture("  dem: ridge.tif", "drop");
    run_ok(&r);
    assert_true(pair_of(&r, "S", "E600") < 0);
    assert_true(pair_of(&r, "S", "E400") < 0);
    assert_true(pair_of(&r, "S", "W200") >= 0);
    assert_int_equal(r.pairs.n_pairs, 1);
    pl_run_free(&r);

    /* no DEM: NLOS everywhere (conservative): E600 out, E400 in */
    write_los_fixture("", "model");
    run_ok(&r);
    assert_true(pair_of(&r, "S", "E600") < 0);
    assert_true((k = pair_of(&r, "S", "E400")) >= 0);
    assert_int_equal(r.pair_los[k], 0);
    pl_run_free(&r);
}

static void test_dem_partial_and_no_crs(void **state)
{
    (void)state;
    /* a DEM that starts 100 m east of the site: the site has no terrain, so its
     * pairs are judged as without DEM (NLOS, los unknown) */
    fx_raster("part.tif", 200, 200, EAST(100), LAT0 + 0.01, 0.0001, 1, flat, GDT_Float32);
    write_los_fixture("  dem: part.tif", "drop");
    pl_run r;
    long k;
    run_ok(&r);
    assert_true(pair_of(&r, "S", "E600") < 0);
    assert_true((k = pair_of(&r, "S", "E400")) >= 0);
    assert_int_equal(r.pair_los[k], -1);
    pl_run_free(&r);

    fx_raster("nocrs.tif", 50, 50, LON0 - 0.01, LAT0 + 0.01, 0.0004, 0, flat, GDT_Float32);
    write_los_fixture("  dem: nocrs.tif", "model");
    run_fails("radio.dem: nocrs.tif has no CRS");
}

/* ---- clutter -------------------------------------------------------------- */

static double classes(double lon, double lat)
{
    (void)lat;
    return lon < LON0 + 0.005 ? 1 : lon < LON0 + 0.015 ? 3 : 7;
}

static void test_clutter(void **state)
{
    (void)state;
    fx_raster("clutter.tif", 300, 100, LON0 - 0.01, LAT0 + 0.005, 0.0001, 1, classes, GDT_Byte);
    char s[1024];
    fx_write("scenario.yaml",
             "version: 1\nname: clutter\nperiods: {start: 2026, count: 1}\n"
             "demand: {source: demand.geojson}\n"
             "candidates: {source: sites.geojson, fields: {id: id, environment: env}}\n"
             "radio:\n  model: tr38901\n  environment: umi\n"
             "  clutter: {source: clutter.tif, classes: {1: uma, 3: rma}}\n"
             "  bands: {n78: {frequency_ghz: 3.5, max_path_loss_db: 130}}\n");
    fx_write("demand.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"D\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.0,31.0]}}]}");
    /* A in class 1, B in class 3, C in class 3 but its field says umi, X outside */
    snprintf(s, sizeof s,
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"A\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,31.0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"B\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,31.0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"C\",\"env\":\"uma\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,31.0]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"X\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,31.0]}}]}",
             LON0, LON0 + 0.01, LON0 + 0.011, LON0 + 0.05);
    fx_write("sites.geojson", s);
    pl_run r;
    run_ok(&r);
    assert_int_equal(r.s_env[site_index(&r, "A")], GEO_ENV_UMA);
    assert_int_equal(r.s_env[site_index(&r, "B")], GEO_ENV_RMA);
    assert_int_equal(r.s_env[site_index(&r, "C")], GEO_ENV_UMA); /* the field wins */
    assert_int_equal(r.s_env[site_index(&r, "X")], GEO_ENV_UMI); /* outside: the default */
    pl_run_free(&r);

    /* a site on class 7, which the table does not list */
    snprintf(s, sizeof s,
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"id\":9,\"properties\":{\"id\":\"Z\",\"env\":null},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,31.0]}}]}",
             LON0 + 0.017);
    fx_write("sites.geojson", s);
    run_fails("sites.geojson feature 9: site 'Z': radio.clutter: class 7 is not in radio.clutter.classes (1, 3)");
}

/* ---- GCJ-02 / BD-09 layers ------------------------------------------------ */

static void test_cn_datum_layers(void **state)
{
    (void)state;
    /* eviltransform's published Shanghai pair: WGS84 (121.5272106, 31.1774276)
     * is GCJ-02 (121.531541859215, 31.17530398364597). The BD-09 point is
     * coordtransform's published BD-09 of GCJ-02 (116.404, 39.915). */
    fx_write("scenario.yaml",
             "version: 1\nname: datum\nperiods: {start: 2026, count: 1}\ncrs: EPSG:32651\n"
             "demand: {source: demand.csv, crs: gcj02, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]}\n"
             "candidates: {source: sites.csv, crs: BD-09, open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]}\n");
    fx_write("demand.csv", "id,lon,lat\nD1,121.531541859215,31.17530398364597\nD2,10.0,50.0\n");
    fx_write("sites.csv", "id,lon,lat\nS1,116.41036949371029,39.92133699351021\n");
    pl_run r;
    run_ok(&r);
    const double *lon = geo_table_lon(r.t_dem), *lat = geo_table_lat(r.t_dem);
    /* 1e-6 degree is about 0.1 m */
    assert_true(fabs(lon[0] - 121.5272106) < 1e-6);
    assert_true(fabs(lat[0] - 31.1774276) < 1e-6);
    /* outside China: converted anyway (with a warning); not left in place */
    assert_true(fabs(lon[1] - 10.0) > 1e-4 || fabs(lat[1] - 50.0) > 1e-4);
    /* BD-09 -> GCJ-02 (116.404, 39.915) within 0.3 m -> WGS84: compare with the
     * independent forward conversion of the result */
    double glon, glat;
    geo_gcj02_from_wgs84(&glon, &glat, geo_table_lon(r.t_cand)[0], geo_table_lat(r.t_cand)[0]);
    assert_true(fabs(glon - 116.404) < 5e-6 && fabs(glat - 39.915) < 5e-6);
    /* the GCJ-02 to WGS84 shift near Beijing is some 500-700 m */
    assert_true(fabs(geo_table_lon(r.t_cand)[0] - 116.404) > 0.004);
    assert_string_equal(geo_table_crs_name(r.t_dem), "GCJ-02 (converted to EPSG:4326)");
    pl_run_free(&r);
}

/* ---- regions: overlap (first match) and GCJ-02 polygons ------------------- */

static void test_regions_overlap_and_gcj(void **state)
{
    (void)state;
    fx_write("scenario.yaml",
             "version: 1\nname: regions\nperiods: {start: 2026, count: 1}\n"
             "demand: {source: demand.geojson}\ncandidates: {source: demand.geojson}\n"
             "regions: {source: regions.geojson, crs: GCJ-02}\n");
    /* two overlapping squares in GCJ-02; the point P lies in both (first wins).
     * Q is WGS84 (121.5272106, 31.1774276) = GCJ-02 (121.531541859215,
     * 31.17530398364597): inside square 'b' only in GCJ-02 terms, so only
     * if the polygon is converted does it stay inside after the ~470 m shift:
     * square b spans 121.5300..121.5330 x 31.1740..31.1765 in GCJ-02, that is
     * about 121.5257..121.5287 x 31.1761..31.1786 in WGS84. */
    fx_write("regions.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"a\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.0,31.0],[121.1,31.0],[121.1,31.1],[121.0,31.1],[121.0,31.0]]]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"o\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.05,31.05],[121.2,31.05],[121.2,31.2],[121.05,31.2],[121.05,31.05]]]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"b\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.5300,31.1740],[121.5330,31.1740],[121.5330,31.1765],[121.5300,31.1765],[121.5300,31.1740]]]}}]}");
    fx_write("demand.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"P\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.07,31.07]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"Q\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.5272106,31.1774276]}},"
             "{\"type\":\"Feature\",\"properties\":{\"id\":\"N\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.9,31.9]}}]}");
    pl_run r;
    run_ok(&r);
    assert_int_equal(r.d_region[demand_index(&r, "P")], 0);
    assert_int_equal(r.d_region[demand_index(&r, "Q")], 2);
    assert_int_equal(r.d_region[demand_index(&r, "N")], -1);
    pl_run_free(&r);
}

static int group_setup(void **state)
{
    (void)state;
    GDALAllRegister();
    return mkdtemp(g_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    r5g_log_set_level(R5G_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tr38901_table_ranges),
        cmocka_unit_test(test_shadow_margin),
        cmocka_unit_test(test_bad_site_values),
        cmocka_unit_test(test_los_ridge),
        cmocka_unit_test(test_dem_partial_and_no_crs),
        cmocka_unit_test(test_clutter),
        cmocka_unit_test(test_cn_datum_layers),
        cmocka_unit_test(test_regions_overlap_and_gcj),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
