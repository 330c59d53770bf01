/* geo module tests. GIS fixtures are written at run time into a temp dir
 * (GeoJSON/CSV as text, the other formats converted from them with GDAL). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>

#include "geo/geo.h"

static char g_dir[256]; /* test fixture folder */
static geo_ctx *g_ctx;

/* ---- fixtures -------------------------------------------------------- */

static char *fx_path(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static void fx_write(const char *name, const char *text)
{
    FILE *f = fopen(fx_path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ogr2ogr-like conversion: dst from src with extra arguments. */
static void fx_convert(const char *src, const char *dst, const char *const *args)
{
    char *argv[32];
    int n = 0;
    for (; args && args[n]; n++)
        argv[n] = (char *)args[n];
    argv[n] = NULL;
    GDALDatasetH in = GDALOpenEx(fx_path(src), GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(in);
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
    assert_non_null(o);
    int usage = 0;
    GDALDatasetH out = GDALVectorTranslate(fx_path(dst), NULL, 1, &in, o, &usage);
    assert_non_null(out);
    GDALClose(out);
    GDALVectorTranslateOptionsFree(o);
    GDALClose(in);
}

static const char DEMAND_GEOJSON[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"id\":1,\"properties\":{\"did\":\"d1\",\"weight\":2.5,\"sector\":\"ic\",\"status\":\"active\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}},\n"
    "{\"type\":\"Feature\",\"id\":2,\"properties\":{\"did\":\"d2\",\"weight\":1,\"sector\":null,\"status\":\"planned\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7,31.35]}},\n"
    "{\"type\":\"Feature\",\"id\":3,\"properties\":{\"did\":\"d3\",\"weight\":4,\"sector\":\"auto\",\"status\":\"active\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.65,31.25]}}\n"
    "]}\n";

static const char CANDIDATES_CSV[] = "site_id,lon,lat,capex,kind\n"
                                     "c1,120.60,31.30,100000,new\n"
                                     "c2,120.62,31.31,250000,upgrade\n"
                                     "c3,120.70,31.36,,new\n";

/* A U shape: its centroid (15, 13.57) lies in the notch, outside the polygon. */
static const char UPOLY_GEOJSON[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"u\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[0,0],[30,0],[30,30],[20,30],[20,10],[10,10],[10,30],[0,30],[0,0]]]}}\n"
    "]}\n";

/* Two adjacent squares sharing the edge x = 10, then a square with a hole. */
static const char SQUARES_GEOJSON[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"rid\":\"west\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"rid\":\"east\"},\"geometry\":{\"type\":\"MultiPolygon\","
    "\"coordinates\":[[[[10,0],[20,0],[20,10],[10,10],[10,0]]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"rid\":\"ring\"},\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[100,0],[130,0],[130,30],[100,30],[100,0]],[[110,10],[120,10],[120,20],[110,20],[110,10]]]}}\n"
    "]}\n";

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/r5g-test-geo-XXXXXX");
    if (!mkdtemp(g_dir))
        return -1;
    r5g_err err;
    if (geo_ctx_new(&g_ctx, &err))
        return -1;
    r5g_log_set_level(R5G_LOG_ERROR);
    fx_write("demand.geojson", DEMAND_GEOJSON);
    fx_write("candidates.csv", CANDIDATES_CSV);
    fx_write("upoly.geojson", UPOLY_GEOJSON);
    fx_write("squares.geojson", SQUARES_GEOJSON);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    geo_ctx_free(g_ctx);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const geo_field_req DEMAND_FIELDS[] = {
    {"id", "did", 1}, {"weight", "weight", 0}, {"sector", "sector", 0}, {"period", "year", 0}};

static geo_table *read_ok(const geo_source *src, const geo_field_req *f, int nf, int flags)
{
    geo_table *t = NULL;
    r5g_err err = {0};
    int rc = geo_table_read(&t, g_ctx, src, f, nf, flags, &err);
    if (rc)
        print_error("unexpected error: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(t);
    return t;
}

/* Reads and expects an error whose message contains want. */
static void read_fails(const geo_source *src, const geo_field_req *f, int nf, const char *want)
{
    geo_table *t = (geo_table *)1;
    r5g_err err = {0};
    int rc = geo_table_read(&t, g_ctx, src, f, nf, GEO_READ_ID_FIRST, &err);
    assert_true(rc < 0);
    assert_null(t);
    if (!strstr(err.msg, want))
        print_error("message '%s' lacks '%s'\n", err.msg, want);
    assert_non_null(strstr(err.msg, want));
}

static geo_crs *choose_ok(const char *spec, geo_table **tabs, int n)
{
    geo_crs *c = NULL;
    r5g_err err = {0};
    int rc = geo_crs_choose(&c, g_ctx, spec, tabs, n, &err);
    if (rc)
        print_error("unexpected error: %s\n", err.msg);
    assert_int_equal(rc, 0);
    return c;
}

/* ---- versions -------------------------------------------------------- */

static void test_versions(void **state)
{
    (void)state;
    assert_string_equal(geo_version_gdal(), GDAL_RELEASE_NAME); /* built and run on 3.6 */
    assert_int_equal(strncmp(geo_version_proj(), "9.", 2), 0);
}

/* ---- reading ---------------------------------------------------------- */

static void check_demand_table(geo_table *t)
{
    assert_int_equal(geo_table_count(t), 3);
    assert_string_equal(geo_table_value(t, 0, 0), "d1");
    assert_string_equal(geo_table_value(t, 0, 2), "d3");
    assert_true(geo_table_has_field(t, 1));
    assert_float_equal(atof(geo_table_value(t, 1, 0)), 2.5, 1e-12);
    assert_string_equal(geo_table_value(t, 2, 0), "ic");
    assert_null(geo_table_value(t, 2, 1)); /* JSON null */
    assert_false(geo_table_has_field(t, 3)); /* optional, absent: all NULL */
    for (size_t i = 0; i < 3; i++)
        assert_null(geo_table_value(t, 3, i));
    assert_string_equal(geo_table_crs_name(t), "EPSG:4326");
}

static void test_read_geojson(void **state)
{
    (void)state;
    geo_source src = {.path = fx_path("demand.geojson"), .label = "demand"};
    geo_table *t = read_ok(&src, DEMAND_FIELDS, 4, 0);
    check_demand_table(t);
    assert_string_equal(geo_table_name(t), "demand.geojson");
    assert_int_equal(geo_table_fid(t, 1), 2);
    geo_table_free(t);
}

static void test_read_other_formats(void **state)
{
    (void)state;
    const char *gpkg_args[] = {"-f", "GPKG", "-nln", "factories", NULL};
    const char *gpkg2_args[] = {"-update", "-nln", "towers", NULL};
    const char *shp_args[] = {"-f", "ESRI Shapefile", NULL};
    const char *fgb_args[] = {"-f", "FlatGeobuf", "-lco", "SPATIAL_INDEX=NO", NULL};
    fx_convert("demand.geojson", "demand.gpkg", gpkg_args);
    fx_convert("demand.geojson", "demand.gpkg", gpkg2_args);
    fx_convert("demand.geojson", "demand.shp", shp_args);
    fx_convert("demand.geojson", "demand.fgb", fgb_args);

    const char *files[] = {"demand.gpkg", "demand.shp", "demand.fgb"};
    for (int k = 0; k < 3; k++) {
        geo_source src = {.path = fx_path(files[k]), .label = "demand"};
        if (k == 0)
            src.layer = "towers";
        geo_table *t = read_ok(&src, DEMAND_FIELDS, 4, 0);
        check_demand_table(t);
        geo_crs *c = choose_ok("EPSG:32651", &t, 1);
        r5g_err err;
        assert_int_equal(geo_table_project(t, c, &err), 0);
        assert_float_equal(geo_table_wx(t)[0], 271570.898641, 1e-3);
        assert_float_equal(geo_table_wy(t)[0], 3465336.634349, 1e-3);
        geo_crs_free(c);
        geo_table_free(t);
    }
    /* the layer name shows in the table name */
    geo_source src = {.path = fx_path("demand.gpkg"), .layer = "factories", .label = "demand"};
    geo_table *t = read_ok(&src, DEMAND_FIELDS, 4, 0);
    assert_string_equal(geo_table_name(t), "demand.gpkg:factories");
    geo_table_free(t);
}

static void test_read_csv(void **state)
{
    (void)state;
    const char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};
    const geo_field_req f[] = {{"id", "site_id", 1}, {"capex", "capex", 1}, {"kind", "kind", 0}};
    geo_source src = {.path = fx_path("candidates.csv"), .open_options = oo,
                      .crs = "EPSG:4326", .label = "candidates"};
    geo_table *t = read_ok(&src, f, 3, 0);
    assert_int_equal(geo_table_count(t), 3);
    assert_string_equal(geo_table_value(t, 0, 1), "c2");
    assert_string_equal(geo_table_value(t, 1, 1), "250000");
    assert_string_equal(geo_table_value(t, 2, 1), "upgrade");
    assert_string_equal(geo_table_crs_name(t), "EPSG:4326");
    geo_crs *c = choose_ok("auto", &t, 1);
    assert_string_equal(geo_crs_name(c), "EPSG:32651");
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    assert_float_equal(geo_table_wx(t)[0], 271570.898641, 1e-3);
    assert_float_equal(geo_table_wy(t)[0], 3465336.634349, 1e-3);
    assert_float_equal(geo_table_lon(t)[1], 120.62, 1e-9);
    assert_float_equal(geo_table_lat(t)[1], 31.31, 1e-9);
    geo_crs_free(c);
    geo_table_free(t);
}

static void test_read_where(void **state)
{
    (void)state;
    geo_source src = {.path = fx_path("demand.geojson"), .label = "demand",
                      .where = "status = 'active'"};
    geo_table *t = read_ok(&src, DEMAND_FIELDS, 2, 0);
    assert_int_equal(geo_table_count(t), 2);
    assert_string_equal(geo_table_value(t, 0, 0), "d1");
    assert_string_equal(geo_table_value(t, 0, 1), "d3");
    geo_table_free(t);
}

/* Regression: with a `where` the GeoJSON driver has no fast feature count,
 * so the arrays grow as features arrive; the per-field offsets (7 per row)
 * once grew only when the feature-id array did and overflowed past ~150
 * rows (heap-buffer-overflow under ASan, munmap_chunk() abort without). */
static void test_read_where_many_fields(void **state)
{
    (void)state;
    enum { N = 1000 };
    char *path = fx_path("many.geojson");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
    for (int i = 0; i < N; i++)
        fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"did\":\"d%d\",\"weight\":%d,"
                "\"sector\":\"s%d\",\"year\":%d,\"wl\":%d,\"indoor\":%d,\"mbps\":%d,"
                "\"status\":\"%s\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.4f,31.3]}}\n",
                i ? "," : "", i, i % 10, i % 3, 2026 + i % 5, i % 2, i % 4 == 0, 10 * i,
                i % 5 ? "active" : "closed", 120.0 + 0.0005 * i);
    fputs("]}\n", f);
    fclose(f);
    const geo_field_req req[] = {{"id", "did", 1},        {"weight", "weight", 1},
                                 {"sector", "sector", 1}, {"period", "year", 1},
                                 {"whitelist", "wl", 1},  {"indoor", "indoor", 1},
                                 {"traffic", "mbps", 1}};
    geo_source src = {.path = path, .label = "demand", .where = "status = 'active'"};
    geo_table *t = read_ok(&src, req, 7, 0);
    assert_int_equal(geo_table_count(t), N - N / 5);
    for (size_t r = 0; r < geo_table_count(t); r++) {
        int i = (int)(r + r / 4 + 1); /* every fifth feature (i % 5 == 0) is filtered out */
        char want[32];
        snprintf(want, sizeof want, "d%d", i);
        assert_string_equal(geo_table_value(t, 0, r), want);
        snprintf(want, sizeof want, "%d", 10 * i);
        assert_string_equal(geo_table_value(t, 6, r), want);
        snprintf(want, sizeof want, "%d", 2026 + i % 5);
        assert_string_equal(geo_table_value(t, 3, r), want);
    }
    geo_table_free(t);
}

static int in_u(double x, double y)
{
    return x > 0 && x < 30 && y > 0 && y < 30 && !(x > 10 && x < 20 && y > 10);
}

static void test_polygon_point_on_surface(void **state)
{
    (void)state;
    geo_source src = {.path = fx_path("upoly.geojson"), .label = "regions"};
    const geo_field_req f[] = {{"name", "name", 1}};
    geo_table *t = read_ok(&src, f, 1, 0);
    geo_crs *c = choose_ok("planar", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    double x = geo_table_wx(t)[0], y = geo_table_wy(t)[0];
    assert_true(in_u(x, y));
    assert_true(isnan(geo_table_lon(t)[0]));
    assert_string_equal(geo_crs_name(c), "planar");
    assert_true(geo_crs_is_planar(c));
    geo_crs_free(c);
    geo_table_free(t);
}

/* ---- reading errors ---------------------------------------------------- */

static void test_read_errors(void **state)
{
    (void)state;
    const char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};

    geo_source miss = {.path = fx_path("nothere.geojson"), .label = "demand"};
    read_fails(&miss, NULL, 0, "demand: cannot open '");
    read_fails(&miss, NULL, 0, "nothere.geojson': No such file or directory");

    geo_source nopts = {.path = fx_path("candidates.csv"), .crs = "EPSG:4326",
                        .label = "candidates"};
    read_fails(&nopts, NULL, 0, "candidates.csv: layer 'candidates' has no geometry (for CSV, "
                                "set candidates.open_options: [X_POSSIBLE_NAMES=lon, ");

    geo_source nolayer = {.path = fx_path("demand.gpkg"), .layer = "nope", .label = "demand"};
    read_fails(&nolayer, NULL, 0, "demand.gpkg: no layer 'nope' (layers: 'factories', 'towers')");

    const geo_field_req capx[] = {{"id", "site_id", 1}, {"capex", "capx", 1}};
    geo_source cand = {.path = fx_path("candidates.csv"), .open_options = oo,
                       .crs = "EPSG:4326", .label = "candidates"};
    read_fails(&cand, capx, 2,
               "candidates.csv: candidates.fields.capex: no field 'capx' in layer 'candidates' "
               "(did you mean 'capex'?)");
    const geo_field_req far[] = {{"height", "antenna_height_m", 1}};
    read_fails(&cand, far, 1, "no field 'antenna_height_m' in layer 'candidates' (fields: ");

    geo_source empty = {.path = fx_path("demand.geojson"), .label = "demand",
                        .where = "weight > 1000"};
    read_fails(&empty, NULL, 0, "demand.geojson: layer 'demand' has no features");
    read_fails(&empty, NULL, 0, "weight > 1000");

    geo_source badwhere = {.path = fx_path("demand.geojson"), .label = "demand",
                           .where = "nosuchfield = 3"};
    read_fails(&badwhere, NULL, 0, "\"nosuchfield = 3\"");

    fx_write("nogeom.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"id\":16,\"properties\":{\"a\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}},"
             "{\"type\":\"Feature\",\"id\":17,\"properties\":{\"a\":2},\"geometry\":null}]}");
    geo_source nogeom = {.path = fx_path("nogeom.geojson"), .label = "demand"};
    const geo_field_req aid[] = {{"id", "a", 1}};
    /* a feature without geometry is an error naming its FID and id ... */
    read_fails(&nogeom, aid, 1, "nogeom.geojson feature 17 (id 2): no geometry "
               "(demand.on_invalid: skip leaves such features out)");
    /* ... or, with on_invalid: skip, skipped, counted and named */
    nogeom.skip_invalid = 1;
    {
        geo_table *t = read_ok(&nogeom, aid, 1, GEO_READ_ID_FIRST);
        const char *why = NULL;
        assert_int_equal(geo_table_count(t), 1);
        assert_int_equal(geo_table_skipped(t, &why), 1);
        assert_string_equal(why, "feature 17 (id 2): no geometry");
        assert_int_equal(geo_table_fid(t, 0), 16);
        geo_table_free(t);
    }

    fx_write("emptygeom.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"id\":5,\"properties\":{\"a\":1},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[]}}]}");
    geo_source emptygeom = {.path = fx_path("emptygeom.geojson"), .label = "demand"};
    /* GDAL reads a Polygon without coordinates as no geometry */
    read_fails(&emptygeom, NULL, 0, "emptygeom.geojson feature 5: no geometry "
               "(demand.on_invalid: skip");
    emptygeom.skip_invalid = 1;
    read_fails(&emptygeom, NULL, 0, "emptygeom.geojson: layer 'emptygeom' has no usable features "
               "(1 skipped: feature 5: no geometry)");

    geo_source badcrs = {.path = fx_path("demand.geojson"), .label = "demand",
                         .crs = "EPSG:99999"};
    read_fails(&badcrs, NULL, 0, "demand: crs: 'EPSG:99999' is not a CRS PROJ knows");
}

/* ---- bad features: geometry type, encoding, short rows, repair ---------- */

static const geo_field_req ID_ONLY[] = {{"id", "id", 1}};

/* A GeoJSON FeatureCollection of n features, feature k given as geometry[k]. */
static void fx_features(const char *name, const char *const *geometry, int n)
{
    char *path = fx_path(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
    for (int k = 0; k < n; k++)
        fprintf(f, "%s{\"type\":\"Feature\",\"id\":%d,\"properties\":{\"id\":\"P%d\"},\"geometry\":%s}\n",
                k ? "," : "", k, k, geometry[k]);
    fputs("]}\n", f);
    fclose(f);
}

static void test_read_bad_geometry(void **state)
{
    (void)state;
    const char *pt = "{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}";
    const char *line = "{\"type\":\"LineString\",\"coordinates\":[[120.6,31.3],[120.7,31.3]]}";
    const char *sq = "{\"type\":\"Polygon\",\"coordinates\":[[[120,31],[121,31],[121,32],[120,32],[120,31]]]}";
    const char *mp2 = "{\"type\":\"MultiPoint\",\"coordinates\":[[120.6,31.3],[120.7,31.3]]}";
    const char *mp1 = "{\"type\":\"MultiPoint\",\"coordinates\":[[120.6,31.3]]}";

    /* a line among demand points: an error naming the FID and the id */
    const char *g1[] = {pt, line, sq, mp1};
    fx_features("line.geojson", g1, 4);
    geo_source src = {.path = fx_path("line.geojson"), .label = "demand"};
    read_fails(&src, ID_ONLY, 1, "line.geojson feature 1 (id P1): geometry is a LineString, but "
               "the demand layer needs points or polygons (which use a point on their surface) "
               "(demand.on_invalid: skip leaves such features out)");
    src.skip_invalid = 1;
    geo_table *t = read_ok(&src, ID_ONLY, 1, GEO_READ_ID_FIRST);
    assert_int_equal(geo_table_count(t), 3); /* the point, the square's inner point, the 1-point MultiPoint */
    const char *why = NULL;
    assert_int_equal(geo_table_skipped(t, &why), 1);
    assert_string_equal(why, "feature 1 (id P1): geometry is a LineString, but the demand layer "
                             "needs points or polygons (which use a point on their surface)");
    geo_table_free(t);

    const char *g2[] = {pt, mp2};
    fx_features("mpoint.geojson", g2, 2);
    geo_source mps = {.path = fx_path("mpoint.geojson"), .label = "demand"};
    read_fails(&mps, ID_ONLY, 1, "mpoint.geojson feature 1 (id P1): geometry is a MultiPoint of 2 "
               "points, but the demand layer needs one point per feature");

    /* a point layer as regions: one line for the layer */
    const char *g3[] = {pt, pt};
    fx_features("points.geojson", g3, 2);
    geo_source reg = {.path = fx_path("points.geojson"), .label = "regions"};
    geo_table *bad = (geo_table *)1;
    r5g_err err = {0};
    assert_int_equal(geo_table_read(&bad, g_ctx, &reg, ID_ONLY, 1, GEO_READ_KEEP_GEOMETRY | GEO_READ_ID_FIRST, &err),
                     R5G_EINPUT);
    assert_string_equal(err.msg, "points.geojson: layer 'points' holds Point geometries, but the "
                                 "regions layer needs polygons");
    /* a mixed layer: the feature that is not a polygon */
    const char *g4[] = {sq, pt};
    fx_features("mixed.geojson", g4, 2);
    geo_source mix = {.path = fx_path("mixed.geojson"), .label = "regions"};
    assert_int_equal(geo_table_read(&bad, g_ctx, &mix, ID_ONLY, 1, GEO_READ_KEEP_GEOMETRY | GEO_READ_ID_FIRST, &err),
                     R5G_EINPUT);
    assert_string_equal(err.msg, "mixed.geojson feature 1 (id P1): geometry is a Point, but the "
                                 "regions layer needs polygons (regions.on_invalid: skip leaves "
                                 "such features out)");

    /* 25 features without geometry, skipped: the first 20 named, then a count */
    const char *nul[25];
    for (int k = 0; k < 25; k++)
        nul[k] = k == 24 ? pt : "null";
    fx_features("nulls.geojson", nul, 25);
    geo_source nulls = {.path = fx_path("nulls.geojson"), .label = "demand", .skip_invalid = 1};
    t = read_ok(&nulls, ID_ONLY, 1, GEO_READ_ID_FIRST);
    assert_int_equal(geo_table_count(t), 1);
    assert_int_equal(geo_table_skipped(t, &why), 24);
    assert_non_null(strstr(why, "feature 0 (id P0): no geometry; feature 1 (id P1): no geometry; "));
    assert_non_null(strstr(why, "; feature 19 (id P19): no geometry; and 4 more"));
    assert_null(strstr(why, "P20"));
    geo_table_free(t);
}

static void test_read_bad_attributes(void **state)
{
    (void)state;
    const char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};
    const geo_field_req f[] = {{"id", "site_id", 1}, {"capex", "capex", 1},
                               {"sector", "sect", 0}};
    /* a row with fewer columns than the header */
    fx_write("short.csv", "site_id,lon,lat,capex,sect\n"
                          "S1,120.70,31.30,100,ic\n"
                          "S2,120.71,31.30\n");
    geo_source src = {.path = fx_path("short.csv"), .open_options = oo, .crs = "EPSG:4326",
                      .label = "candidates"};
    read_fails(&src, f, 3, "short.csv feature 2 (id S2): capex: the row has only 3 of the "
               "header's 5 columns: no value in column 'capex'");
    /* empty cells are values (empty text), not missing columns */
    fx_write("empty.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,,\n");
    src.path = fx_path("empty.csv");
    geo_table *t = read_ok(&src, f, 3, 0);
    assert_string_equal(geo_table_value(t, 1, 0), "");
    geo_table_free(t);

    /* GBK bytes in a CSV: rejected with the feature, the key, the field and the bytes */
    fx_write("gbk.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,1,\xb5\xe7\xc1\xa6\n");
    src.path = fx_path("gbk.csv");
    read_fails(&src, f, 3, "gbk.csv feature 1 (id S1): sector (field 'sect'): text is not UTF-8 "
               "(bytes b5 e7 c1 a6 at byte 1 of the value); convert the file to UTF-8 (e.g. iconv "
               "-f GBK -t UTF-8)");
    /* a truncated sequence after valid text */
    fx_write("trunc.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,1,ab\xe7\x94\n");
    src.path = fx_path("trunc.csv");
    read_fails(&src, f, 3, "(bytes e7 94 at byte 3 of the value)");
    /* an overlong encoding of '/' and a UTF-16 surrogate are not UTF-8 either */
    fx_write("overlong.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,1,\xc0\xaf\n");
    src.path = fx_path("overlong.csv");
    read_fails(&src, f, 3, "(bytes c0 af at byte 1 of the value)");
    fx_write("surrogate.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,1,\xed\xa0\x80\n");
    src.path = fx_path("surrogate.csv");
    read_fails(&src, f, 3, "(bytes ed a0 80 at byte 1 of the value)");
    /* real UTF-8 (3- and 4-byte sequences) passes */
    fx_write("utf8.csv", "site_id,lon,lat,capex,sect\nS1,120.70,31.30,1,\xe7\x94\xb5\xe5\x8a\x9b\xf0\x9f\x93\xb6\n");
    src.path = fx_path("utf8.csv");
    t = read_ok(&src, f, 3, 0);
    assert_string_equal(geo_table_value(t, 2, 0), "\xe7\x94\xb5\xe5\x8a\x9b\xf0\x9f\x93\xb6");
    geo_table_free(t);

    /* A Shapefile: GDAL recodes it when a .cpg declares the encoding; without
     * one the GBK bytes come through and are rejected with the .cpg hint */
    GDALDriverH drv = GDALGetDriverByName("ESRI Shapefile");
    GDALDatasetH ds = GDALCreate(drv, fx_path("gbk.shp"), 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    const char *lco[] = {"ENCODING=GBK", NULL};
    OGRLayerH l = GDALDatasetCreateLayer(ds, "gbk", NULL, wkbPoint, (char **)lco);
    OGRFieldDefnH fd = OGR_Fld_Create("site_id", OFTString);
    OGR_L_CreateField(l, fd, 1);
    OGR_Fld_Destroy(fd);
    fd = OGR_Fld_Create("sect", OFTString);
    OGR_L_CreateField(l, fd, 1);
    OGR_Fld_Destroy(fd);
    OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldString(ft, 0, "S1");
    OGR_F_SetFieldString(ft, 1, "\xe7\x94\xb5\xe5\x8a\x9b"); /* 电力, stored as GBK b5e7 c1a6 */
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, 120.7, 31.3);
    OGR_F_SetGeometryDirectly(ft, g);
    assert_int_equal(OGR_L_CreateFeature(l, ft), OGRERR_NONE);
    OGR_F_Destroy(ft);
    GDALClose(ds);
    const geo_field_req sf[] = {{"id", "site_id", 1}, {"sector", "sect", 1}};
    geo_source shp = {.path = fx_path("gbk.shp"), .crs = "EPSG:4326", .label = "candidates"};
    t = read_ok(&shp, sf, 2, 0);
    assert_string_equal(geo_table_value(t, 1, 0), "\xe7\x94\xb5\xe5\x8a\x9b");
    geo_table_free(t);
    assert_int_equal(rename(fx_path("gbk.cpg"), fx_path("gbk.cpg.off")), 0);
    read_fails(&shp, sf, 2, "gbk.shp feature 0 (id S1): sector (field 'sect'): text is not UTF-8 "
               "(bytes b5 e7 c1 a6 at byte 1 of the value); give the file's encoding in a .cpg "
               "file beside the .shp (e.g. GBK) or as open_options: [ENCODING=GBK]");
    const char *enc[] = {"ENCODING=GBK", NULL};
    shp.open_options = enc;
    t = read_ok(&shp, sf, 2, 0);
    assert_string_equal(geo_table_value(t, 1, 0), "\xe7\x94\xb5\xe5\x8a\x9b");
    geo_table_free(t);
}

/* Reads a table for geo_crs_choose with the given CRS, expecting want. */
static void choose_fails(const char *file, const char *text, const char *crs, const char *want)
{
    fx_write(file, text);
    geo_source src = {.path = fx_path(file), .label = "demand", .crs = crs};
    geo_table *t = read_ok(&src, ID_ONLY, 1, GEO_READ_ID_FIRST);
    geo_crs *c = (geo_crs *)1;
    r5g_err err = {0};
    assert_int_equal(geo_crs_choose(&c, g_ctx, "auto", &t, 1, &err), R5G_EINPUT);
    assert_null(c);
    if (strcmp(err.msg, want) != 0)
        print_error("got  '%s'\nwant '%s'\n", err.msg, want);
    assert_string_equal(err.msg, want);
    geo_table_free(t);
}

#define FC1(x, y) "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"A\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}}," \
                  "{\"type\":\"Feature\",\"properties\":{\"id\":\"B\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" x "," y "]}}]}"

static void test_coordinates_vs_crs(void **state)
{
    (void)state;
    choose_fails("lon419.geojson", FC1("419.6", "31.3"), NULL,
                 "lon419.geojson feature 1 (id B): longitude 419.6 is outside -180..180 (the "
                 "layer's CRS EPSG:4326 is geographic)");
    choose_fails("swapped.geojson", FC1("31.3", "120.7"), "EPSG:4326",
                 "swapped.geojson feature 1 (id B): latitude 120.7 is outside -90..90 "
                 "(demand.crs is EPSG:4326); lat/lon swapped?");
    choose_fails("metres.geojson", FC1("351234", "3465336"), NULL,
                 "metres.geojson feature 1 (id B): longitude 351234 is outside -180..180 (the "
                 "layer's CRS EPSG:4326 is geographic); the numbers look like metres: give the "
                 "layer's projected CRS in demand.crs");
    /* western China swapped: in range, but outside China while the swap is inside */
    choose_fails("west.geojson", FC1("40.1", "80.2"), NULL,
                 "west.geojson feature 1 (id B): point (40.1, 80.2) lies outside China, but "
                 "swapped, (80.2, 40.1) lies inside: lat/lon swapped? (the layer's CRS EPSG:4326 "
                 "is geographic)");
    /* lon/lat numbers with a projected CRS */
    choose_fails("utm.geojson", FC1("120.7", "31.4"), "EPSG:32651",
                 "utm.geojson: demand.crs EPSG:32651 is projected (metres), but all 2 points lie "
                 "within -180..180 / -90..90 like lon/lat (feature 0 (id A) at 120.6, 31.3): for "
                 "lon/lat data set demand.crs: EPSG:4326");
    /* a GCJ-02 layer with swapped points fails on reading, before any conversion */
    fx_write("gcjswap.geojson", FC1("40.1", "80.2"));
    geo_source gcj = {.path = fx_path("gcjswap.geojson"), .label = "regions", .crs = "GCJ-02"};
    read_fails(&gcj, ID_ONLY, 1, "gcjswap.geojson feature 1 (id B): point (40.1, 80.2) lies "
               "outside China, but swapped, (80.2, 40.1) lies inside: lat/lon swapped? "
               "(regions.crs is GCJ-02)");
    /* metres with a planar working CRS are fine: nothing is checked or reprojected */
    fx_write("planar.geojson", FC1("351234", "3465336"));
    geo_source pl = {.path = fx_path("planar.geojson"), .label = "demand"};
    geo_table *t = read_ok(&pl, ID_ONLY, 1, 0);
    geo_crs *c = choose_ok("planar", &t, 1);
    geo_crs_free(c);
    geo_table_free(t);
}

static void test_crs_check(void **state)
{
    (void)state;
    r5g_err err = {0};
    assert_int_equal(geo_crs_check("EPSG:4326", 0, &err), 0);
    assert_int_equal(geo_crs_check("gcj02", 0, &err), 0);
    assert_int_equal(geo_crs_check("+proj=utm +zone=51 +datum=WGS84", 1, &err), 0);
    assert_int_equal(geo_crs_check("EPSG:999999", 0, &err), R5G_EINPUT);
    assert_string_equal(err.msg, "'EPSG:999999' is not a CRS PROJ knows (crs not found)");
    assert_int_equal(geo_crs_check("EPSG:4326", 1, &err), R5G_EINPUT);
    assert_string_equal(err.msg, "'EPSG:4326' is geographic; the working CRS must be projected "
                                 "(metres): use auto or a UTM zone such as EPSG:32651");
    assert_int_equal(geo_crs_check("BD-09", 1, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "'BD-09' is a geographic datum (lon/lat)"));
    assert_int_equal(geo_crs_check("EPSG:2263", 1, &err), R5G_EINPUT); /* NY Long Island, US feet */
    assert_non_null(strstr(err.msg, "uses US survey foot"));
    assert_int_equal(geo_crs_check("GEOGCS[\"x\",DATUM[", 0, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "'GEOGCS[\"x\",DATUM[' is not a CRS PROJ knows"));

    assert_int_equal(geo_format_check(g_ctx, "GPKG", &err), 0);
    assert_int_equal(geo_format_check(g_ctx, "GPKX", &err), R5G_EINPUT);
    assert_string_equal(err.msg, "'GPKX' is not a GDAL vector driver (did you mean 'GPKG'?)");
    assert_int_equal(geo_format_check(g_ctx, "geojson", &err), 0); /* GDAL ignores case */
    assert_int_equal(geo_format_check(g_ctx, "GeoJSN", &err), R5G_EINPUT);
    assert_string_equal(err.msg, "'GeoJSN' is not a GDAL vector driver (did you mean 'GeoJSON'?)");
    assert_int_equal(geo_format_check(g_ctx, "fgb", &err), R5G_EINPUT); /* by its extension */
    assert_string_equal(err.msg, "'fgb' is not a GDAL vector driver (did you mean 'FlatGeobuf'?)");
    assert_int_equal(geo_format_check(g_ctx, "shp", &err), R5G_EINPUT);
    assert_string_equal(err.msg, "'shp' is not a GDAL vector driver (did you mean 'ESRI Shapefile'?)");
    assert_int_equal(geo_format_check(g_ctx, "GTiff", &err), R5G_EINPUT); /* raster only */
    /* rasters (radio.dem, radio.clutter.source) are opened once before any work */
    assert_int_equal(geo_raster_check(g_ctx, fx_path("nodem.tif"), &err), R5G_EIO);
    assert_non_null(strstr(err.msg, "nodem.tif': No such file or directory"));
    assert_null(strstr(err.msg, "nodem.tif: No such")); /* the path once, not twice */
    fx_write("junk.tif", "not a raster\n");
    assert_int_equal(geo_raster_check(g_ctx, fx_path("junk.tif"), &err), R5G_EIO);
    assert_non_null(strstr(err.msg, "junk.tif': not recognized as a supported file format"));
    GDALDatasetH r = GDALCreate(GDALGetDriverByName("GTiff"), fx_path("dem.tif"), 4, 4, 1,
                                GDT_Float32, NULL);
    assert_non_null(r);
    GDALClose(r);
    assert_int_equal(geo_raster_check(g_ctx, fx_path("dem.tif"), &err), 0);
    assert_int_equal(geo_format_check(g_ctx, "zzzzzzzz", &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "ogrinfo --formats lists them"));
}

/* A bow tie (self-intersecting ring) as a region: repaired into its two
 * triangles, so points in either lie in the region. */
static void test_polygon_repair(void **state)
{
    (void)state;
    const char *g[] = {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}",
                       "{\"type\":\"Polygon\",\"coordinates\":[[[20,0],[30,0],[30,10],[20,10],[20,0]]]}"};
    fx_features("bowtie.geojson", g, 2);
    geo_source src = {.path = fx_path("bowtie.geojson"), .label = "regions"};
    geo_table *t = read_ok(&src, ID_ONLY, 1, GEO_READ_KEEP_GEOMETRY | GEO_READ_ID_FIRST);
    const char *which = NULL;
    assert_int_equal(geo_table_repaired(t, &which), 1);
    assert_string_equal(which, "feature 0 (id P0)");
    geo_crs *c = choose_ok("planar", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    /* the bow tie's triangles are x < y < 10 - x (left) and 10 - x < y < x (right) */
    double x[] = {1, 9, 5, 5, 25}, y[] = {5, 5, 1, 9, 5};
    int want[] = {0, 0, -1, -1, 1}, got[5];
    assert_int_equal(geo_table_locate(t, x, y, 5, got, &err), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i], want[i]);
    geo_crs_free(c);
    geo_table_free(t);
}

/* The real city boundaries (../shared/data/cn-admin-yrd-prd, GCJ-02): 5 of
 * the 22 Guangdong and 2 of the 13 Jiangsu polygons are invalid (counted
 * with OGR IsValid in /usr/bin/python3), and are repaired on reading. */
static void test_polygon_repair_real(void **state)
{
    (void)state;
    const char *dir = getenv("R5G_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/cn-admin-yrd-prd/guangdong_440000_cities.geojson",
             dir ? dir : "");
    if (!dir || access(path, R_OK) != 0) {
        print_message("shared data absent: real boundary repair skipped\n");
        skip();
    }
    struct { const char *file; size_t n, bad; const char *ids; } cases[] = {
        {"guangdong_440000_cities.geojson", 22, 5, "440400 440600 440800 440900 441200"},
        {"jiangsu_320000_cities.geojson", 13, 2, "320100 320300"},
        {"shanghai_310000_districts.geojson", 16, 0, ""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        snprintf(path, sizeof path, "%s/cn-admin-yrd-prd/%s", dir, cases[k].file);
        const geo_field_req f[] = {{"id", k < 2 ? "ctadcode" : "adcode", 1}};
        geo_source src = {.path = path, .label = "regions", .crs = "GCJ-02"};
        geo_table *t = read_ok(&src, f, 1, GEO_READ_KEEP_GEOMETRY | GEO_READ_ID_FIRST);
        assert_int_equal(geo_table_count(t), cases[k].n);
        const char *which = NULL;
        assert_int_equal(geo_table_repaired(t, &which), cases[k].bad);
        char ids[256];
        snprintf(ids, sizeof ids, "%s", cases[k].ids);
        for (char *id = strtok(ids, " "); id; id = strtok(NULL, " ")) {
            char want[64];
            snprintf(want, sizeof want, "(id %s)", id);
            assert_non_null(strstr(which, want));
        }
        geo_table_free(t);
    }
}

/* Several layers as one table: rows in order, values and names from their
 * layer, ids behind a per-layer prefix. */
static void test_concat(void **state)
{
    (void)state;
    const char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};
    fx_write("ports.csv", "id,lon,lat,sector\nP1,120.61,31.31,\nd1,120.62,31.32,port\n");
    geo_source dem = {.path = fx_path("demand.geojson"), .label = "demand[0]"};
    geo_source ports = {.path = fx_path("ports.csv"), .label = "demand[1]", .crs = "EPSG:4326",
                        .open_options = oo};
    const geo_field_req f1[] = {{"id", "did", 1}, {"sector", "sector", 0}};
    const geo_field_req f2[] = {{"id", "id", 1}, {"sector", "sector", 0}};
    geo_table *parts[2] = {read_ok(&dem, f1, 2, GEO_READ_ID_FIRST),
                           read_ok(&ports, f2, 2, GEO_READ_ID_FIRST)};
    geo_crs *c = choose_ok("EPSG:32651", parts, 2);
    r5g_err err;
    assert_int_equal(geo_table_project(parts[0], c, &err), 0);
    assert_int_equal(geo_table_project(parts[1], c, &err), 0);
    double px = geo_table_wx(parts[1])[1];
    const char *prefix[2] = {NULL, "port:"};
    geo_table *t = NULL;
    assert_int_equal(geo_table_concat(&t, parts, 2, prefix, 0, &err), 0);
    assert_null(parts[0]); /* the table owns them now */
    assert_null(parts[1]);
    assert_int_equal(geo_table_count(t), 5);
    assert_int_equal(geo_table_part_count(t), 2);
    assert_string_equal(geo_table_name(t), "demand.geojson + ports.csv");
    assert_string_equal(geo_table_value(t, 0, 0), "d1");
    assert_string_equal(geo_table_value(t, 0, 3), "port:P1");
    assert_string_equal(geo_table_value(t, 0, 4), "port:d1"); /* no clash with d1 */
    assert_string_equal(geo_table_value(t, 1, 0), "ic");
    assert_string_equal(geo_table_value(t, 1, 4), "port");
    assert_null(geo_table_value(t, 1, 1)); /* JSON null in demand.geojson */
    assert_string_equal(geo_table_value(t, 1, 3), ""); /* an empty CSV cell */
    assert_int_equal(geo_table_part(t, 2), 0);
    assert_int_equal(geo_table_part(t, 3), 1);
    assert_int_equal(geo_table_fid(t, 4), 2);
    assert_float_equal(geo_table_wx(t)[4], px, 0);
    char buf[128];
    assert_string_equal(geo_table_feature(t, 4, buf, sizeof buf), "ports.csv feature 2 (id d1)");
    assert_string_equal(geo_table_feature(t, 1, buf, sizeof buf), "demand.geojson feature 2 (id d2)");
    assert_int_equal(geo_table_count(geo_table_part_table(t, 1)), 2);
    assert_null(geo_table_part_table(t, 2));
    geo_table_free(t);
    /* a single layer is its own only part */
    geo_table *one = read_ok(&dem, f1, 2, 0);
    assert_int_equal(geo_table_part_count(one), 1);
    assert_ptr_equal(geo_table_part_table(one, 0), one);
    assert_int_equal(geo_table_part(one, 2), 0);
    /* an unprojected table cannot be joined; the caller keeps it */
    geo_table *bad = NULL;
    assert_int_equal(geo_table_concat(&bad, &one, 1, NULL, 0, &err), R5G_EINTERNAL);
    assert_non_null(one);
    geo_table_free(one);
    geo_crs_free(c);
}

static void test_crs_errors(void **state)
{
    (void)state;
    const char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};
    geo_source cand = {.path = fx_path("candidates.csv"), .open_options = oo,
                       .label = "candidates"};
    geo_table *t = read_ok(&cand, NULL, 0, 0);
    assert_string_equal(geo_table_crs_name(t), "none");
    const char *specs[] = {"auto", "EPSG:32651"};
    for (int k = 0; k < 2; k++) {
        geo_crs *c = (geo_crs *)1;
        r5g_err err;
        assert_int_equal(geo_crs_choose(&c, g_ctx, specs[k], &t, 1, &err), R5G_EINPUT);
        assert_null(c);
        assert_string_equal(err.msg, "candidates.csv: layer has no CRS: set candidates.crs "
                                     "(e.g. EPSG:4326) or crs: planar");
    }
    /* planar accepts it, coordinates as is */
    geo_crs *p = choose_ok("planar", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, p, &err), 0);
    assert_float_equal(geo_table_wx(t)[2], 120.70, 1e-12);
    assert_float_equal(geo_table_wy(t)[2], 31.36, 1e-12);
    geo_crs_free(p);
    geo_table_free(t);

    geo_source dem = {.path = fx_path("demand.geojson"), .label = "demand"};
    t = read_ok(&dem, NULL, 0, 0);
    geo_crs *c = (geo_crs *)1;
    assert_int_equal(geo_crs_choose(&c, g_ctx, "EPSG:4326", &t, 1, &err), R5G_EINPUT);
    assert_null(c);
    assert_string_equal(err.msg, "crs: 'EPSG:4326' is geographic; the working CRS must be "
                                 "projected (metres): use auto or a UTM zone such as EPSG:32651");
    assert_int_equal(geo_crs_choose(&c, g_ctx, "EPSG:2263", &t, 1, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "the working CRS must be projected (metres)"));
    assert_int_equal(geo_crs_choose(&c, g_ctx, "EPSG:99999", &t, 1, &err), R5G_EINPUT);
    assert_string_equal(err.msg, "crs: 'EPSG:99999' is not a CRS PROJ knows (crs not found)");
    geo_table_free(t);
}

/* ---- CRS ---------------------------------------------------------------- */

static geo_table *one_point_table(const char *name, double lon, double lat)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
             "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.10g,%.10g]}}]}",
             lon, lat);
    fx_write(name, text);
    geo_source src = {.path = fx_path(name), .label = "demand"};
    return read_ok(&src, NULL, 0, 0);
}

static void test_crs_known_point(void **state)
{
    (void)state;
    geo_table *t = one_point_table("suzhou.geojson", 120.6, 31.3);
    geo_crs *c = choose_ok("EPSG:32651", &t, 1);
    assert_string_equal(geo_crs_name(c), "EPSG:32651");
    assert_false(geo_crs_is_planar(c));
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    /* echo 31.3 120.6 | cs2cs -f %.6f EPSG:4326 EPSG:32651 (PROJ 9.1.1) */
    assert_float_equal(geo_table_wx(t)[0], 271570.898641, 1e-3);
    assert_float_equal(geo_table_wy(t)[0], 3465336.634349, 1e-3);
    assert_float_equal(geo_table_lon(t)[0], 120.6, 1e-9);
    assert_float_equal(geo_table_lat(t)[0], 31.3, 1e-9);
    geo_crs_free(c);
    geo_table_free(t);

    /* a PROJ string works too */
    t = one_point_table("suzhou2.geojson", 120.6, 31.3);
    c = choose_ok("+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs", &t, 1);
    assert_int_equal(geo_table_project(t, c, &err), 0);
    assert_float_equal(geo_table_wx(t)[0], 271570.898641, 1e-3);
    geo_crs_free(c);
    geo_table_free(t);
}

static void test_crs_auto(void **state)
{
    (void)state;
    struct { double lon, lat; const char *want; } cases[] = {
        {120.6, 31.3, "EPSG:32651"},   /* Suzhou */
        {113.26, 23.13, "EPSG:32649"}, /* Guangzhou: zone 49 spans 108-114 E */
        {151.2, -33.87, "EPSG:32756"}, /* Sydney */
        {-0.1, 51.5, "EPSG:32630"},    /* London */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        geo_table *t = one_point_table("auto.geojson", cases[k].lon, cases[k].lat);
        geo_crs *c = choose_ok("auto", &t, 1);
        assert_string_equal(geo_crs_name(c), cases[k].want);
        if (k == 1) {
            r5g_err err;
            assert_int_equal(geo_table_project(t, c, &err), 0);
            /* echo 23.13 113.26 | cs2cs -f %.6f EPSG:4326 EPSG:32649 */
            assert_float_equal(geo_table_wx(t)[0], 731427.639121, 1e-3);
            assert_float_equal(geo_table_wy(t)[0], 2559704.407426, 1e-3);
        }
        geo_crs_free(c);
        geo_table_free(t);
    }
    /* the centre of several tables: 119.9 and 121.9 -> 120.9 (zone 51) */
    geo_table *ts[2] = {one_point_table("a.geojson", 119.9, 31.0),
                        one_point_table("b.geojson", 121.9, 31.5)};
    geo_crs *c = choose_ok("auto", ts, 2);
    assert_string_equal(geo_crs_name(c), "EPSG:32651");
    geo_crs_free(c);
    geo_table_free(ts[0]);
    geo_table_free(ts[1]);
}

/* ---- locate --------------------------------------------------------------- */

static void test_locate(void **state)
{
    (void)state;
    geo_source src = {.path = fx_path("squares.geojson"), .label = "regions"};
    const geo_field_req f[] = {{"id", "rid", 1}};
    geo_table *t = read_ok(&src, f, 1, GEO_READ_KEEP_GEOMETRY);
    geo_crs *c = choose_ok("planar", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    double x[] = {5, 15, 10, 25, 5, 0, 20, 115, 105, 125, 9.999999, 10.000001};
    double y[] = {5, 5, 5, 5, -1, 0, 10, 15, 15, 25, 3, 3};
    int want[] = {0, 1, 0, -1, -1, 0, 1, -1, 2, 2, 0, 1};
    int got[12];
    assert_int_equal(geo_table_locate(t, x, y, 12, got, &err), 0);
    for (int i = 0; i < 12; i++)
        assert_int_equal(got[i], want[i]);
    geo_crs_free(c);
    geo_table_free(t);

    /* the same in lon/lat, located in UTM */
    fx_write("sq_ll.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
             "\"coordinates\":[[[120.5,31.2],[120.6,31.2],[120.6,31.3],[120.5,31.3],[120.5,31.2]]]}},"
             "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
             "\"coordinates\":[[[120.6,31.2],[120.7,31.2],[120.7,31.3],[120.6,31.3],[120.6,31.2]]]}}]}");
    geo_source s2 = {.path = fx_path("sq_ll.geojson"), .label = "regions"};
    t = read_ok(&s2, NULL, 0, GEO_READ_KEEP_GEOMETRY);
    geo_table *pts = one_point_table("pt.geojson", 120.65, 31.25);
    geo_table *both[2] = {t, pts};
    c = choose_ok("auto", both, 2);
    assert_int_equal(geo_table_project(t, c, &err), 0);
    assert_int_equal(geo_table_project(pts, c, &err), 0);
    int idx = -2;
    assert_int_equal(geo_table_locate(t, geo_table_wx(pts), geo_table_wy(pts), 1, &idx, &err), 0);
    assert_int_equal(idx, 1);
    /* each polygon's own point on surface is inside itself */
    int self[2];
    assert_int_equal(geo_table_locate(t, geo_table_wx(t), geo_table_wy(t), 2, self, &err), 0);
    assert_int_equal(self[0], 0);
    assert_int_equal(self[1], 1);
    geo_crs_free(c);
    geo_table_free(t);
    geo_table_free(pts);
}

/* ---- pairs ------------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1.0p-53; }

/* Brute force over all pairs, compared with the grid result. */
static void check_brute(const double *sx, const double *sy, const double *r, size_t ns,
                        const double *dx, const double *dy, size_t nd, const geo_pairs *p)
{
    assert_int_equal(p->n_demand, nd);
    assert_int_equal(p->ptr[0], 0);
    size_t k = 0;
    for (size_t j = 0; j < nd; j++) {
        assert_int_equal(p->ptr[j], k);
        for (size_t s = 0; s < ns; s++) {
            double d = sqrt((dx[j] - sx[s]) * (dx[j] - sx[s]) + (dy[j] - sy[s]) * (dy[j] - sy[s]));
            if (d <= r[s]) {
                assert_true(k < p->n_pairs);
                assert_int_equal(p->site[k], (int32_t)s);
                assert_true(p->dist[k] == (float)d);
                k++;
            }
        }
    }
    assert_int_equal(p->ptr[nd], k);
    assert_int_equal(p->n_pairs, k);
}

static void test_pairs_hand(void **state)
{
    (void)state;
    double sx[] = {0, 10}, sy[] = {0, 0}, r[] = {5, 5};
    double dx[] = {3, 5, 20, 10}, dy[] = {4, 0, 20, 5};
    geo_pairs p;
    r5g_err err;
    assert_int_equal(geo_pairs_find(&p, sx, sy, r, 2, dx, dy, 4, &err), 0);
    size_t ptr[] = {0, 1, 3, 3, 4};
    for (int j = 0; j < 5; j++)
        assert_int_equal(p.ptr[j], ptr[j]);
    assert_int_equal(p.n_pairs, 4);
    assert_int_equal(p.site[0], 0); /* (3,4) is exactly 5 m from site 0: inclusive */
    assert_float_equal(p.dist[0], 5.0, 0);
    assert_int_equal(p.site[1], 0);
    assert_int_equal(p.site[2], 1);
    assert_float_equal(p.dist[2], 5.0, 0);
    assert_int_equal(p.site[3], 1);
    geo_pairs_free(&p);
    geo_pairs_free(NULL);
}

static void test_pairs_random(void **state)
{
    (void)state;
    const double radii[] = {0, 1, 5, 37.5, 200, 5000};
    for (uint64_t seed = 1; seed <= 6; seed++) {
        uint64_t s = seed * 7919;
        size_t ns = 1 + rng_next(&s) % 400, nd = 1 + rng_next(&s) % 800;
        double *sx = malloc(ns * sizeof *sx), *sy = malloc(ns * sizeof *sy);
        double *r = malloc(ns * sizeof *r);
        double *dx = malloc(nd * sizeof *dx), *dy = malloc(nd * sizeof *dy);
        int lattice = seed % 2; /* integer lattice: many exact-boundary distances */
        double off = seed == 3 ? 5e5 : 0; /* UTM-like magnitudes */
        for (size_t i = 0; i < ns; i++) {
            sx[i] = off + (lattice ? (double)(rng_next(&s) % 60) : 1000 * rng_unit(&s));
            sy[i] = off + (lattice ? (double)(rng_next(&s) % 60) : 1000 * rng_unit(&s));
        }
        for (size_t j = 0; j < nd; j++) {
            if (j % 7 == 0) { /* on a site: covered even at radius 0 */
                size_t i = rng_next(&s) % ns;
                dx[j] = sx[i];
                dy[j] = sy[i];
            } else {
                dx[j] = off + (lattice ? (double)(rng_next(&s) % 60) : 1200 * rng_unit(&s) - 100);
                dy[j] = off + (lattice ? (double)(rng_next(&s) % 60) : 1200 * rng_unit(&s) - 100);
            }
        }
        for (size_t k = 0; k <= sizeof radii / sizeof radii[0]; k++) {
            for (size_t i = 0; i < ns; i++) /* last round: mixed radii */
                r[i] = k < sizeof radii / sizeof radii[0] ? radii[k]
                                                           : (double)(rng_next(&s) % 30);
            geo_pairs p;
            r5g_err err;
            assert_int_equal(geo_pairs_find(&p, sx, sy, r, ns, dx, dy, nd, &err), 0);
            check_brute(sx, sy, r, ns, dx, dy, nd, &p);
            if (k == 0)
                assert_true(p.n_pairs >= nd / 7); /* the points placed on sites */
            geo_pairs_free(&p);
        }
        free(sx);
        free(sy);
        free(r);
        free(dx);
        free(dy);
    }
}

static void test_pairs_empty_and_errors(void **state)
{
    (void)state;
    double sx[] = {0, 1, 2}, sy[] = {0, 1, 2}, r[] = {1, 1, 1};
    double dx[] = {0, 1, 2, 3}, dy[] = {0, 1, 2, 3};
    geo_pairs p;
    r5g_err err;
    assert_int_equal(geo_pairs_find(&p, NULL, NULL, NULL, 0, dx, dy, 4, &err), 0);
    assert_int_equal(p.n_pairs, 0);
    assert_int_equal(p.n_demand, 4);
    for (int j = 0; j <= 4; j++)
        assert_int_equal(p.ptr[j], 0);
    geo_pairs_free(&p);
    assert_int_equal(geo_pairs_find(&p, sx, sy, r, 3, NULL, NULL, 0, &err), 0);
    assert_int_equal(p.n_pairs, 0);
    assert_int_equal(p.n_demand, 0);
    assert_int_equal(p.ptr[0], 0);
    geo_pairs_free(&p);

    double rneg[] = {1, 1, -2};
    assert_int_equal(geo_pairs_find(&p, sx, sy, rneg, 3, dx, dy, 4, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "site 2: radius -2 is negative"));
    double rnan[] = {NAN, 1, 1};
    assert_int_equal(geo_pairs_find(&p, sx, sy, rnan, 3, dx, dy, 4, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "site 0: radius is NaN"));
    double sxn[] = {0, NAN, 2};
    assert_int_equal(geo_pairs_find(&p, sxn, sy, r, 3, dx, dy, 4, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "site 1:"));
    double dyn[] = {0, 1, 2, NAN};
    assert_int_equal(geo_pairs_find(&p, sx, sy, r, 3, dx, dyn, 4, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "demand point 3:"));
    geo_pairs_free(&p);
}

/* ---- writing -------------------------------------------------------------- */

static int dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* GDAL's GeoPackage validator, when installed (python3-gdal) */
static void validate_gpkg(const char *path)
{
    const char *val = "/usr/share/doc/python3-gdal/examples/validate_gpkg.py";
    if (access(val, R_OK) != 0 || access("/usr/bin/python3", X_OK) != 0) {
        print_message("validate_gpkg.py not installed: validator check skipped\n");
        return;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s '%s' >&2", val, path);
    assert_int_equal(system(cmd), 0);
}

static const geo_fdef SITE_FIELDS[] = {{"site_id", GEO_FT_STR},
                                       {"build_index", GEO_FT_INT},
                                       {"capex", GEO_FT_REAL},
                                       {"build_date", GEO_FT_DATE}};

static void write_plan(geo_out *o, const geo_crs *c, double wx, double wy)
{
    r5g_err err;
    (void)c;
    assert_int_equal(geo_out_layer(o, "sites", GEO_GEOM_POINT, SITE_FIELDS, 4, &err), 0);
    geo_val v[4] = {{0, 0, 0, "s1"}, {0, 2, 0, NULL}, {0, 0, 1.5e5, NULL}, {0, 0, 0, "2027-01-01"}};
    assert_int_equal(geo_out_point(o, v, wx, wy, &err), 0);
    geo_val v2[4] = {{0, 0, 0, "s2"}, {1, 0, 0, NULL}, {0, 0, 0, NULL}, {1, 0, 0, NULL}};
    assert_int_equal(geo_out_point(o, v2, wx + 1000, wy, &err), 0);
    geo_val bad[4] = {{0, 0, 0, "s3"}, {1, 0, 0, NULL}, {0, 0, 0, NULL}, {0, 0, 0, "soon"}};
    assert_int_equal(geo_out_point(o, bad, wx, wy, &err), R5G_EINTERNAL);
    assert_non_null(strstr(err.msg, "build_date 'soon' is not a date"));

    const geo_fdef cf[] = {{"site_id", GEO_FT_STR}, {"build_index", GEO_FT_INT}};
    assert_int_equal(geo_out_layer(o, "coverage", GEO_GEOM_POLYGON, cf, 2, &err), 0);
    geo_val cv[2] = {{0, 0, 0, "s1"}, {0, 2, 0, NULL}};
    assert_int_equal(geo_out_disc(o, cv, wx, wy, 800, &err), 0);

    const geo_fdef kf[] = {{"period", GEO_FT_STR}, {"covered_share", GEO_FT_REAL}};
    assert_int_equal(geo_out_layer(o, "period_kpi", GEO_GEOM_NONE, kf, 2, &err), 0);
    for (int k = 0; k < 3; k++) {
        geo_val kv[2] = {{0, 0, 0, "2026"}, {0, 0, 0.25 * k, NULL}};
        assert_int_equal(geo_out_row(o, kv, &err), 0);
    }
}

static void test_write(void **state)
{
    (void)state;
    char outdir[512], path[600];
    snprintf(outdir, sizeof outdir, "%s/out", g_dir);
    assert_int_equal(mkdir(outdir, 0755), 0);
    snprintf(path, sizeof path, "%s/plan.gpkg", outdir);

    geo_table *t = one_point_table("w.geojson", 120.6, 31.3);
    geo_crs *c = choose_ok("EPSG:32651", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    double wx = geo_table_wx(t)[0], wy = geo_table_wy(t)[0];

    geo_out *o = NULL;
    assert_int_equal(geo_out_open(&o, g_ctx, path, NULL, c, NULL, 0, &err), 0);
    write_plan(o, c, wx, wy);
    assert_int_equal(access(path, F_OK), -1); /* nothing at path before commit */
    assert_true(dir_count(outdir) >= 1);      /* the temporary file (and its journal) */
    assert_int_equal(geo_out_commit(o, &err), 0);
    geo_out_free(o);
    assert_int_equal(dir_count(outdir), 1); /* only plan.gpkg: no temp left */
    assert_int_equal(access(path, F_OK), 0);

    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 3);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "sites");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 2);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, OGR_FD_GetFieldIndex(fd, "build_date"))), OFTDate);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, OGR_FD_GetFieldIndex(fd, "build_index"))), OFTInteger64);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, OGR_FD_GetFieldIndex(fd, "capex"))), OFTReal);
    OGR_L_ResetReading(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    assert_float_equal(OGR_G_GetX(g, 0), 120.6, 1e-9); /* back in lon/lat order */
    assert_float_equal(OGR_G_GetY(g, 0), 31.3, 1e-9);
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "build_date")), "2027/01/01");
    assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_FD_GetFieldIndex(fd, "build_index")), 2);
    OGR_F_Destroy(f);
    f = OGR_L_GetNextFeature(l);
    assert_false(OGR_F_IsFieldSetAndNotNull(f, OGR_FD_GetFieldIndex(fd, "build_date")));
    OGR_F_Destroy(f);
    l = GDALDatasetGetLayerByName(ds, "coverage");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 1);
    OGR_L_ResetReading(l);
    f = OGR_L_GetNextFeature(l);
    g = OGR_F_GetGeometryRef(f);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbPolygon);
    assert_int_equal(OGR_G_GetPointCount(OGR_G_GetGeometryRef(g, 0)), 73);
    OGR_F_Destroy(f);
    l = GDALDatasetGetLayerByName(ds, "period_kpi");
    assert_int_equal(OGR_L_GetGeomType(l), wkbNone);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    GDALClose(ds);

    validate_gpkg(path);

    /* refuses to overwrite; with overwrite, an uncommitted run leaves the old file */
    o = (geo_out *)1;
    assert_int_equal(geo_out_open(&o, g_ctx, path, "GPKG", c, NULL, 0, &err), R5G_EIO);
    assert_null(o);
    char want[700];
    snprintf(want, sizeof want, "%s exists: use --overwrite or choose another -o path", path);
    assert_string_equal(err.msg, want);
    struct stat st0, st1;
    assert_int_equal(stat(path, &st0), 0);
    assert_int_equal(geo_out_open(&o, g_ctx, path, "GPKG", c, NULL, 1, &err), 0);
    assert_int_equal(geo_out_layer(o, "other", GEO_GEOM_POINT, NULL, 0, &err), 0);
    assert_int_equal(geo_out_point(o, NULL, wx, wy, &err), 0);
    geo_out_free(o);
    assert_int_equal(dir_count(outdir), 1);
    assert_int_equal(stat(path, &st1), 0);
    assert_true(st0.st_ino == st1.st_ino && st0.st_size == st1.st_size);

    /* overwrite + commit replaces it */
    assert_int_equal(geo_out_open(&o, g_ctx, path, NULL, c, NULL, 1, &err), 0);
    assert_int_equal(geo_out_layer(o, "other", GEO_GEOM_POINT, NULL, 0, &err), 0);
    assert_int_equal(geo_out_point(o, NULL, wx, wy, &err), 0);
    assert_int_equal(geo_out_commit(o, &err), 0);
    geo_out_free(o);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 1);
    GDALClose(ds);
    assert_int_equal(dir_count(outdir), 1);

    /* missing folder, unknown driver */
    char nodir[700];
    snprintf(nodir, sizeof nodir, "%s/missing/plan.gpkg", g_dir);
    assert_int_equal(geo_out_open(&o, g_ctx, nodir, NULL, c, NULL, 0, &err), R5G_EIO);
    assert_non_null(strstr(err.msg, "does not exist"));
    snprintf(nodir, sizeof nodir, "%s/x.gpkg", outdir);
    assert_int_equal(geo_out_open(&o, g_ctx, nodir, "NoSuchDriver", c, NULL, 0, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "'NoSuchDriver'"));

    geo_crs_free(c);
    geo_table_free(t);
}

static void test_write_planar_and_table_geom(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/regions_out.gpkg", g_dir);
    geo_source src = {.path = fx_path("squares.geojson"), .label = "regions"};
    geo_table *t = read_ok(&src, NULL, 0, GEO_READ_KEEP_GEOMETRY);
    geo_crs *c = choose_ok("planar", &t, 1);
    r5g_err err;
    assert_int_equal(geo_table_project(t, c, &err), 0);
    geo_out *o = NULL;
    assert_int_equal(geo_out_open(&o, g_ctx, path, NULL, c, NULL, 0, &err), 0);
    assert_int_equal(geo_out_layer(o, "regions", GEO_GEOM_POLYGON, NULL, 0, &err), 0);
    for (size_t i = 0; i < geo_table_count(t); i++)
        assert_int_equal(geo_out_table_geom(o, NULL, t, i, &err), 0);
    assert_int_equal(geo_out_commit(o, &err), 0);
    geo_out_free(o);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    /* planar: no CRS (GeoPackage: srs_id -1, the undefined Cartesian SRS) */
    OGRLayerH sql = GDALDatasetExecuteSQL(ds, "SELECT srs_id FROM gpkg_geometry_columns", NULL, NULL);
    assert_non_null(sql);
    OGRFeatureH sf = OGR_L_GetNextFeature(sql);
    assert_non_null(sf);
    assert_int_equal(OGR_F_GetFieldAsInteger(sf, 0), -1);
    OGR_F_Destroy(sf);
    GDALDatasetReleaseResultSet(ds, sql);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    OGREnvelope env;
    assert_int_equal(OGR_L_GetExtent(l, &env, TRUE), OGRERR_NONE);
    assert_float_equal(env.MinX, 0, 0);
    assert_float_equal(env.MaxX, 130, 0);
    assert_float_equal(env.MaxY, 30, 0);
    GDALClose(ds);
    validate_gpkg(path);
    geo_crs_free(c);
    geo_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_read_geojson),
        cmocka_unit_test(test_read_other_formats),
        cmocka_unit_test(test_read_csv),
        cmocka_unit_test(test_read_where),
        cmocka_unit_test(test_read_where_many_fields),
        cmocka_unit_test(test_polygon_point_on_surface),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_read_bad_geometry),
        cmocka_unit_test(test_read_bad_attributes),
        cmocka_unit_test(test_coordinates_vs_crs),
        cmocka_unit_test(test_crs_check),
        cmocka_unit_test(test_polygon_repair),
        cmocka_unit_test(test_polygon_repair_real),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_crs_errors),
        cmocka_unit_test(test_crs_known_point),
        cmocka_unit_test(test_crs_auto),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_pairs_hand),
        cmocka_unit_test(test_pairs_random),
        cmocka_unit_test(test_pairs_empty_and_errors),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_write_planar_and_table_geom),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
