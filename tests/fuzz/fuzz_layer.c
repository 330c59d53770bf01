/* Fuzz target: the layer reader, geo_table_read, on a GeoJSON or CSV file in
 * /vsimem/, then geo_crs_choose, geo_table_project and geo_table_locate on
 * what it read.
 *
 * Input: an optional first line of options, then the file itself:
 *
 *   #fuzz fmt=csv crs=GCJ-02 work=auto fields=regions keep layer=NAME where=TEXT
 *
 *   fmt     geojson (default) or csv (opened with X/Y_POSSIBLE_NAMES=lon,x / lat,y)
 *   crs     a layer crs override: EPSG:4326, EPSG:3857, EPSG:32651, GCJ-02, gcj02,
 *           BD-09, bd09 (a fixed list: a free CRS string could make PROJ read
 *           files or URLs); default: the layer's own
 *   work    working CRS: auto (default), planar, EPSG:32651, EPSG:3857, EPSG:4326
 *   fields  the request set: demand (default), sites or regions (see below)
 *   keep    GEO_READ_KEEP_GEOMETRY (polygons kept, geo_table_locate run)
 *   autodetect   CSV open option AUTODETECT_TYPE=YES
 *   layer   a layer name (GDALDatasetGetLayerByName)
 *   where   an OGR SQL attribute filter: the rest of the line
 *
 * Only the GeoJSON-family and CSV drivers stay registered, so the bytes can
 * never make GDAL open another file or a URL (a VRT, say). */
#include "tests/fuzz/fuzz.h"
#include "geo/geo.h"

#include <gdal.h>
#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static geo_ctx *ctx;

static const char *const keep_drivers[] = {"GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON",
                                           "CSV", NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    r5g_err err = {0};
    if (geo_ctx_new(&ctx, &err))
        fuzz_abort(__FILE__, __LINE__, "geo_ctx_new", "%s", err.msg);
    for (int i = GDALGetDriverCount() - 1; i >= 0; i--) {
        GDALDriverH d = GDALGetDriver(i);
        const char *name = GDALGetDriverShortName(d);
        int keep = 0;
        for (int k = 0; keep_drivers[k]; k++)
            keep |= strcmp(name, keep_drivers[k]) == 0;
        if (!keep) {
            GDALDeregisterDriver(d);
            GDALDestroyDriver(d);
        }
    }
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    return 0;
}

typedef struct opts {
    int csv, keep, autodetect;
    const char *crs, *work;
    int fields; /* 0 demand, 1 sites, 2 regions */
    char layer[128], where[1024];
} opts;

static const char *const crs_names[] = {"EPSG:4326", "EPSG:3857", "EPSG:32651", "GCJ-02",
                                        "gcj02", "BD-09", "bd09", NULL};
static const char *const work_names[] = {"auto", "planar", "EPSG:32651", "EPSG:3857",
                                         "EPSG:4326", NULL};

static const char *pick(const char *v, size_t n, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && memcmp(v, names[i], n) == 0)
            return names[i];
    return NULL;
}

/* Parses the option line; returns the offset of the file body. */
static size_t parse_opts(const uint8_t *data, size_t size, opts *o)
{
    memset(o, 0, sizeof *o);
    o->work = "auto";
    if (size < 6 || memcmp(data, "#fuzz", 5) != 0 || (data[5] != ' ' && data[5] != '\n'))
        return 0;
    const char *s = (const char *)data + 5, *end = memchr(s, '\n', size - 5);
    size_t body = end ? (size_t)(end - (const char *)data) + 1 : size;
    if (!end)
        end = (const char *)data + size;
    while (s < end) {
        while (s < end && *s == ' ')
            s++;
        const char *t = s;
        while (t < end && *t != ' ')
            t++;
        size_t n = (size_t)(t - s);
        if (n > 6 && memcmp(s, "where=", 6) == 0) {
            size_t w = (size_t)(end - s) - 6;
            if (w >= sizeof o->where)
                w = sizeof o->where - 1;
            memcpy(o->where, s + 6, w);
            o->where[w] = '\0'; /* a NUL inside just ends the filter early */
            break;
        }
        if (n == 7 && memcmp(s, "fmt=csv", 7) == 0)
            o->csv = 1;
        else if (n == 4 && memcmp(s, "keep", 4) == 0)
            o->keep = 1;
        else if (n == 10 && memcmp(s, "autodetect", 10) == 0)
            o->autodetect = 1;
        else if (n > 4 && memcmp(s, "crs=", 4) == 0)
            o->crs = pick(s + 4, n - 4, crs_names);
        else if (n > 5 && memcmp(s, "work=", 5) == 0 && pick(s + 5, n - 5, work_names))
            o->work = pick(s + 5, n - 5, work_names);
        else if (n == 12 && memcmp(s, "fields=sites", 12) == 0)
            o->fields = 1;
        else if (n == 14 && memcmp(s, "fields=regions", 14) == 0)
            o->fields = 2;
        else if (n > 6 && memcmp(s, "layer=", 6) == 0 && n - 6 < sizeof o->layer) {
            memcpy(o->layer, s + 6, n - 6);
            o->layer[n - 6] = '\0';
        }
        s = t;
    }
    return body;
}

/* The request sets of planner/pipeline/inputs.c: id required, the rest optional. */
static const geo_field_req req_demand[] = {
    {"id", "id", 1},         {"weight", "weight", 0},       {"sector", "sector", 0},
    {"period", "year", 0},   {"whitelist", "whitelist", 0}, {"indoor", "indoor", 0},
    {"traffic", "traffic_mbps", 0}};
static const geo_field_req req_sites[] = {
    {"id", "site_id", 1}, {"capex", "capex", 0},     {"kind", "kind", 0},
    {"band", "band", 0},  {"height", "height_m", 0}, {"environment", "env", 0},
    {"unused", NULL, 0}};
static const geo_field_req req_regions[] = {
    {"id", "adcode", 1}, {"name", "name", 0}, {"population", "population", 0}};

static void check_table(const geo_table *t, int nfields)
{
    size_t n = geo_table_count(t);
    FUZZ_CONTRACT(n > 0, "empty-table", "success with 0 features (an empty layer is an error)");
    FUZZ_ASSERT(geo_table_name(t) && geo_table_crs_name(t), "NULL name or CRS name");
    const char *why = NULL;
    size_t skipped = geo_table_skipped(t, &why);
    FUZZ_ASSERT(why != NULL && (skipped == 0 || *why), "%zu skipped without a reason", skipped);
    for (int f = 0; f < nfields; f++) {
        int has = geo_table_has_field(t, f);
        for (size_t i = 0; i < n; i++) {
            const char *v = geo_table_value(t, f, i);
            FUZZ_CONTRACT(has || v == NULL, "absent-field",
                          "field %d is absent but row %zu reads '%s'", f, i, v);
            if (v)
                (void)strlen(v); /* ASan: the pool string is in bounds and terminated */
        }
    }
    FUZZ_ASSERT(geo_table_value(t, nfields, 0) == NULL && geo_table_value(t, -1, 0) == NULL &&
                    geo_table_value(t, 0, n) == NULL && geo_table_fid(t, n) == -1,
                "an out-of-range query returned a value");
}

static void check_projected(geo_table *t, const geo_crs *crs, int keep)
{
    size_t n = geo_table_count(t);
    const double *wx = geo_table_wx(t), *wy = geo_table_wy(t);
    const double *lon = geo_table_lon(t), *lat = geo_table_lat(t);
    int planar = geo_crs_is_planar(crs);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CONTRACT(isfinite(wx[i]) && isfinite(wy[i]), "work-finite",
                      "feature %lld: working coordinates (%g, %g) in %s", geo_table_fid(t, i),
                      wx[i], wy[i], geo_crs_name(crs));
        if (planar)
            FUZZ_ASSERT(isnan(lon[i]) && isnan(lat[i]), "planar but lon/lat (%g, %g)", lon[i],
                        lat[i]);
        else
            FUZZ_CONTRACT(fabs(lon[i]) <= 180 + 1e-9 && fabs(lat[i]) <= 90 + 1e-9,
                          "lonlat-range", "feature %lld: lon/lat (%g, %g)", geo_table_fid(t, i),
                          lon[i], lat[i]);
    }
    if (!keep)
        return;
    /* its own points, and points no polygon can hold */
    size_t m = n + 6;
    double *px = malloc(m * sizeof *px), *py = malloc(m * sizeof *py);
    int *idx = malloc(m * sizeof *idx);
    FUZZ_ASSERT(px && py && idx, "out of memory");
    memcpy(px, wx, n * sizeof *px);
    memcpy(py, wy, n * sizeof *py);
    const double odd[6][2] = {{NAN, 0}, {0, NAN}, {INFINITY, 0}, {-INFINITY, -INFINITY},
                              {1e308, -1e308}, {0, 0}};
    for (int k = 0; k < 6; k++) {
        px[n + (size_t)k] = odd[k][0];
        py[n + (size_t)k] = odd[k][1];
    }
    r5g_err err = {0};
    int rc = geo_table_locate(t, px, py, m, idx, &err);
    if (rc)
        fuzz_check_error(rc, &err, NULL);
    else
        for (size_t i = 0; i < m; i++)
            FUZZ_ASSERT(idx[i] >= -1 && idx[i] < (int)n, "point %zu in polygon %d of %zu", i,
                        idx[i], n);
    for (int k = 0; k < 5 && !rc; k++)
        FUZZ_ASSERT(idx[n + (size_t)k] == -1, "a non-finite point lies in polygon %d",
                    idx[n + (size_t)k]);
    free(px);
    free(py);
    free(idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_begin(data, size);
    opts o;
    size_t body = parse_opts(data, size, &o);
    const char *path = o.csv ? "/vsimem/r5g-fuzz/in.csv" : "/vsimem/r5g-fuzz/in.geojson";
    const char *base = o.csv ? "in.csv" : "in.geojson";
    size_t n = size - body;
    GByte *copy = CPLMalloc(n ? n : 1);
    memcpy(copy, data + body, n);
    VSILFILE *vf = VSIFileFromMemBuffer(path, copy, n, TRUE);
    FUZZ_ASSERT(vf, "VSIFileFromMemBuffer failed");
    VSIFCloseL(vf);

    const char *oo_csv[] = {"X_POSSIBLE_NAMES=lon,x", "Y_POSSIBLE_NAMES=lat,y",
                            o.autodetect ? "AUTODETECT_TYPE=YES" : NULL, NULL};
    geo_source src = {.path = path,
                      .layer = o.layer[0] ? o.layer : NULL,
                      .where = o.where[0] ? o.where : NULL,
                      .crs = o.crs,
                      .open_options = o.csv ? oo_csv : NULL,
                      .label = o.fields == 0 ? "demand" : o.fields == 1 ? "candidates" : "regions"};
    const geo_field_req *req = o.fields == 0 ? req_demand : o.fields == 1 ? req_sites : req_regions;
    int nreq = o.fields == 0   ? (int)(sizeof req_demand / sizeof *req)
               : o.fields == 1 ? (int)(sizeof req_sites / sizeof *req)
                               : (int)(sizeof req_regions / sizeof *req);

    geo_table *t = (geo_table *)&t; /* must become NULL on error */
    geo_crs *crs = NULL;
    r5g_err err = {0};
    int rc = geo_table_read(&t, ctx, &src, req, nreq, o.keep ? GEO_READ_KEEP_GEOMETRY : 0, &err);
    if (rc) {
        FUZZ_ASSERT(t == NULL, "error %d but *out was not set to NULL", rc);
        fuzz_check_error(rc, &err, NULL);
        FUZZ_CONTRACT(strstr(err.msg, base) != NULL, "msg-file",
                      "the message does not name %s: \"%s\"", base, err.msg);
        goto done;
    }
    check_table(t, nreq);
    rc = geo_crs_choose(&crs, ctx, o.work, &t, 1, &err);
    if (rc) {
        FUZZ_ASSERT(crs == NULL, "error %d but a CRS", rc);
        fuzz_check_error(rc, &err, NULL);
        FUZZ_CONTRACT(strstr(err.msg, base) != NULL || strncmp(err.msg, "crs: ", 5) == 0,
                      "msg-file", "the message names neither %s nor crs: \"%s\"", base, err.msg);
        goto done;
    }
    FUZZ_ASSERT(geo_crs_name(crs), "a CRS without a name");
    rc = geo_table_project(t, crs, &err);
    if (rc) {
        fuzz_check_error(rc, &err, NULL);
        FUZZ_CONTRACT(strstr(err.msg, base) != NULL, "msg-file",
                      "the message does not name %s: \"%s\"", base, err.msg);
        goto done;
    }
    check_projected(t, crs, o.keep);
    if (fuzz_verbose())
        fprintf(stderr, "fuzz: read %zu features (%zu skipped), CRS %s, working CRS %s\n",
                geo_table_count(t), geo_table_skipped(t, NULL), geo_table_crs_name(t),
                geo_crs_name(crs));
done:
    geo_crs_free(crs);
    geo_table_free(t);
    VSIUnlink(path);
    return 0;
}
