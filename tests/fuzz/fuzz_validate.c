/* Fuzz target: the whole `rollout5g validate` pipeline (pl_plan_run with
 * validate_only: scenario, layers, CRS, field values, regions, coverage
 * pairs) on a fuzzed scenario over small fixed layers in /vsimem/r5g-fuzz/:
 *
 *   demand.geojson    8 points: id, weight, sector, year, whitelist, indoor, traffic_mbps
 *   candidates.csv    5 sites: site_id, lon, lat, kind, capex, band, height_m, env
 *   existing.geojson  2 sites: site_id, band
 *   regions.geojson   2 polygons: adcode, name, population
 *   regions_gcj.geojson  the same polygons, for crs: GCJ-02
 *
 * A scenario that names any other source (or a dem / clutter outside
 * /vsimem/r5g-fuzz/) is parsed but not run, so the bytes never make GDAL open
 * a real file or a URL. */
#include "tests/fuzz/fuzz.h"
#include "planner/plan.h"
#include "planner/scenario/scenario.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <stdio.h>
#include <string.h>

#define DIR "/vsimem/r5g-fuzz/"

static const char demand[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D1\",\"weight\":4,\"sector\":\"ic\",\"year\":2026,\"whitelist\":1,\"indoor\":1,\"traffic_mbps\":14},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7464,31.2863]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D2\",\"weight\":50,\"sector\":\"energy\",\"year\":2027,\"whitelist\":0,\"indoor\":0,\"traffic_mbps\":55},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7428,31.2758]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D3\",\"weight\":1,\"sector\":\"auto\",\"year\":2028,\"whitelist\":0,\"indoor\":1,\"traffic_mbps\":300},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7301,31.3290]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D4\",\"weight\":7.5,\"sector\":\"port\",\"year\":2030,\"whitelist\":1,\"indoor\":0,\"traffic_mbps\":20},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.6900,31.3400]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D5\",\"weight\":0,\"sector\":null,\"year\":null,\"whitelist\":null,\"indoor\":null,\"traffic_mbps\":null},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7000,31.3600]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D6\",\"weight\":3,\"sector\":\"education\",\"year\":\"2029\",\"whitelist\":\"true\",\"indoor\":\"no\",\"traffic_mbps\":1},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.70,31.30],[120.71,31.30],[120.71,31.31],[120.70,31.31],[120.70,31.30]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D7\",\"weight\":2,\"sector\":\"ic\",\"year\":2026,\"whitelist\":0,\"indoor\":0,\"traffic_mbps\":5},\"geometry\":null},\n"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"D8\",\"weight\":9,\"sector\":\"healthcare\",\"year\":2025,\"whitelist\":0,\"indoor\":1,\"traffic_mbps\":40},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.9,32.5]}}\n"
    "]}\n";
static const char candidates[] =
    "site_id,lon,lat,kind,capex,band,height_m,env\n"
    "N1,120.7304,31.2791,new,507000,n78,27,uma\n"
    "U2,120.7351,31.3230,upgrade,125000,n78,38,umi\n"
    "N3,120.6950,31.3450,new,480000,n28,35,rma\n"
    "U4,120.7440,31.2800,upgrade,90000,,,\n"
    "N5,,,new,1,n78,25,uma\n";
static const char existing[] =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"site_id\":\"E1\",\"band\":\"n78\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.6843,31.2867]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"site_id\":\"E2\",\"band\":null},\"geometry\":{\"type\":\"Point\",\"coordinates\":[120.7297,31.3488]}}\n"
    "]}\n";
#define REGIONS                                                                                \
    "{\"type\":\"FeatureCollection\",\"features\":[\n"                                       \
    "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"320571001\",\"name\":\"A\",\"population\":53700},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[120.65,31.26],[120.72,31.26],[120.72,31.38],[120.65,31.38],[120.65,31.26]]]}},\n" \
    "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"320571002\",\"name\":\"B\",\"population\":85500},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[120.72,31.26],[120.78,31.26],[120.78,31.38],[120.72,31.38],[120.72,31.26]],[[120.74,31.30],[120.75,31.30],[120.75,31.31],[120.74,31.30]]]]}}\n" \
    "]}\n"
static const char regions[] = REGIONS;

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, DIR "%s", name);
    size_t n = strlen(text);
    GByte *copy = CPLMalloc(n);
    memcpy(copy, text, n);
    VSIFCloseL(VSIFileFromMemBuffer(path, copy, n, TRUE));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    put("demand.geojson", demand);
    put("candidates.csv", candidates);
    put("existing.geojson", existing);
    put("regions.geojson", regions);
    put("regions_gcj.geojson", regions);
    return 0;
}

/* Only the fixtures (and missing files beside them) may be opened. */
static int inside(const char *path)
{
    return !path || (strncmp(path, DIR, strlen(DIR)) == 0 && !strstr(path, "..") &&
                     !strchr(path + strlen(DIR), '/'));
}

static int runnable(const pl_scenario *sc)
{
    const pl_layer *L[] = {&sc->demand, &sc->candidates, &sc->existing, &sc->regions};
    for (int k = 0; k < 4; k++)
        if (L[k]->present && !inside(L[k]->source))
            return 0;
    return inside(sc->dem) && inside(sc->clutter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_begin(data, size);
    const char *path = fuzz_input_file(data, size);
    FUZZ_ASSERT(path, "no in-memory file for the input");
    pl_scenario *sc = NULL;
    r5g_err err = {0};
    if (pl_scenario_load(&sc, path, &err)) {
        if (fuzz_verbose())
            fprintf(stderr, "fuzz: not run, the scenario is invalid: %s\n", err.msg);
        return 0; /* fuzz_scenario checks the parser's errors */
    }
    int run = runnable(sc);
    pl_scenario_free(sc);
    if (!run) {
        if (fuzz_verbose())
            fprintf(stderr, "fuzz: not run, a source is not a fixture in " DIR "\n");
        return 0;
    }
    pl_plan_opts o = {.scenario_path = path, .validate_only = 1, .command_line = "fuzz"};
    int rc = pl_plan_run(&o, &err);
    if (rc)
        fuzz_check_error(rc, &err, NULL);
    else if (fuzz_verbose())
        fprintf(stderr, "fuzz: valid\n");
    return 0;
}
