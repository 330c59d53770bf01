/* bench_pairs: coverage pairs on a synthetic city, and GeoPackage write/read
 * speed. A standalone program that prints numbers; it never fails on time.
 * Exit status 1 only when the grid disagrees with brute force or a call fails. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "geo/geo.h"
#include "geo/radio.h"
#include "geo/terrain.h"

enum { N_SITES = 20000, N_DEMAND = 200000, N_SAMPLE = 2000, N_CLUSTERS = 40 };
static const double SIDE = 30000.0, RADIUS = 800.0;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1.0p-53; }
static double rng_gauss(uint64_t *s)
{
    double u = rng_unit(s), v = rng_unit(s);
    return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

/* share `clustered` of the points around cluster centres (sd 300-1500 m), the rest uniform */
static void city(double *x, double *y, size_t n, double clustered, const double *cx,
                 const double *cy, const double *sd, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) {
        if (rng_unit(s) < clustered) {
            int c = (int)(rng_next(s) % N_CLUSTERS);
            do {
                x[i] = cx[c] + sd[c] * rng_gauss(s);
                y[i] = cy[c] + sd[c] * rng_gauss(s);
            } while (x[i] < 0 || x[i] > SIDE || y[i] < 0 || y[i] > SIDE);
        } else {
            x[i] = SIDE * rng_unit(s);
            y[i] = SIDE * rng_unit(s);
        }
    }
}

int main(void)
{
    int status = 1;
    r5g_err err = {0};
    uint64_t seed = 20260101;
    double cx[N_CLUSTERS], cy[N_CLUSTERS], sd[N_CLUSTERS];
    double *sx = malloc(N_SITES * sizeof *sx), *sy = malloc(N_SITES * sizeof *sy);
    double *r = malloc(N_SITES * sizeof *r);
    double *dx = malloc(N_DEMAND * sizeof *dx), *dy = malloc(N_DEMAND * sizeof *dy);
    geo_pairs p = {0};
    geo_ctx *ctx = NULL;
    geo_crs *crs = NULL;
    geo_out *o = NULL;
    geo_table *t = NULL;
    char path[256] = "";
    if (!sx || !sy || !r || !dx || !dy)
        goto out;

    for (int c = 0; c < N_CLUSTERS; c++) {
        cx[c] = SIDE * (0.1 + 0.8 * rng_unit(&seed));
        cy[c] = SIDE * (0.1 + 0.8 * rng_unit(&seed));
        sd[c] = 300 + 1200 * rng_unit(&seed);
    }
    city(sx, sy, N_SITES, 0.5, cx, cy, sd, &seed);
    city(dx, dy, N_DEMAND, 0.7, cx, cy, sd, &seed);
    for (size_t s = 0; s < N_SITES; s++)
        r[s] = RADIUS;

    /* ---- grid pairs ---- */
    /* best of 3 runs; wall time and CPU time (the machine may be shared) */
    double tg = INFINITY, tc = INFINITY, t0;
    for (int rep = 0; rep < 3; rep++) {
        geo_pairs_free(&p);
        t0 = r5g_now();
        double c0 = cpu_now();
        if (geo_pairs_find(&p, sx, sy, r, N_SITES, dx, dy, N_DEMAND, &err)) {
            fprintf(stderr, "bench_pairs: %s\n", err.msg);
            goto out;
        }
        tg = fmin(tg, r5g_now() - t0);
        tc = fmin(tc, cpu_now() - c0);
    }
    printf("pairs: %d sites x %d demand: %zu pairs in %.3f s (%.1f M pairs/s)\n", N_SITES,
           N_DEMAND, p.n_pairs, tg, (double)p.n_pairs / tg / 1e6);
    printf("pairs: cpu time %.3f s (%.1f M pairs/s), %.1f pairs per demand point\n", tc,
           (double)p.n_pairs / tc / 1e6, (double)p.n_pairs / N_DEMAND);

    /* ---- brute force on a sample ---- */
    size_t npairs_sample = 0, mismatches = 0;
    t0 = r5g_now();
    for (size_t k = 0; k < N_SAMPLE; k++) {
        size_t j = (size_t)(rng_next(&seed) % N_DEMAND);
        size_t at = p.ptr[j], end = p.ptr[j + 1];
        for (size_t s = 0; s < N_SITES; s++) {
            double ex = dx[j] - sx[s], ey = dy[j] - sy[s];
            double d = sqrt(ex * ex + ey * ey);
            if (d <= r[s]) {
                npairs_sample++;
                if (at < end && p.site[at] == (int32_t)s && p.dist[at] == (float)d)
                    at++;
                else
                    mismatches++;
            }
        }
        mismatches += end - at;
    }
    double tb = r5g_now() - t0;
    double tb_full = tb * (double)N_DEMAND / N_SAMPLE;
    printf("brute force: %d-point sample: %zu pairs in %.3f s (%.1f M pairs/s; all %d points "
           "would take ~%.0f s)\n", N_SAMPLE, npairs_sample, tb, (double)npairs_sample / tb / 1e6,
           N_DEMAND, tb_full);
    printf("grid vs brute force on the sample: %s (%zu mismatches); grid is ~%.0fx faster\n",
           mismatches ? "DIFFERENT" : "identical", mismatches, tb_full / tg);
    if (mismatches)
        goto out;

    /* ---- tr38901: path loss of every pair in range (UMa NLOS n78) ---- */
    {
        double c0 = cpu_now();
        size_t keep = 0;
        for (size_t k = 0; k < p.n_pairs; k++)
            keep += geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, p.dist[k], 25, 1.5) <= 128.0;
        double tl = cpu_now() - c0;
        printf("tr38901 filter: path loss of %zu pairs in %.3f s cpu (%.1f M pairs/s), %zu within 128 dB\n",
               p.n_pairs, tl, (double)p.n_pairs / tl / 1e6, keep);
    }

    /* ---- GeoPackage write and read ---- */
    if (geo_ctx_new(&ctx, &err) || geo_crs_choose(&crs, ctx, "EPSG:32651", NULL, 0, &err))
        goto fail;

    /* ---- line of sight on a synthetic 10 m DEM (rolling hills), first 200 sites ---- */
    {
        enum { DW = 3000, N_LOS_SITES = 200 };
        const char *dem_path = "/vsimem/bench_dem.tif";
        GDALDatasetH dds = GDALCreate(GDALGetDriverByName("GTiff"), dem_path, DW, DW, 1,
                                      GDT_Float32, NULL);
        double gt[6] = {260000.0, 10, 0, 3450000.0 + SIDE, 0, -10};
        GDALSetGeoTransform(dds, gt);
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 32651);
        char *wkt = NULL;
        OSRExportToWkt(srs, &wkt);
        GDALSetProjection(dds, wkt);
        CPLFree(wkt);
        OSRDestroySpatialReference(srs);
        float *row = malloc(DW * sizeof *row);
        for (int j = 0; j < DW && row; j++) {
            for (int i = 0; i < DW; i++)
                row[i] = (float)(20 + 15 * sin(i * 0.013) * cos(j * 0.011) + 8 * sin((i + j) * 0.05));
            if (GDALRasterIO(GDALGetRasterBand(dds, 1), GF_Write, 0, j, DW, 1, row, DW, 1,
                             GDT_Float32, 0, 0) != CE_None)
                break;
        }
        free(row);
        GDALClose(dds);
        geo_dem *dem = NULL;
        t0 = r5g_now();
        if (geo_dem_open(&dem, ctx, dem_path, "bench dem", crs, 260000.0, 3450000.0,
                         260000.0 + SIDE, 3450000.0 + SIDE, &err))
            goto fail;
        double topen = r5g_now() - t0;
        size_t nlos = 0, nclear = 0;
        double c0 = cpu_now();
        for (size_t j = 0; j < N_DEMAND; j++)
            for (size_t k = p.ptr[j]; k < p.ptr[j + 1]; k++) {
                int s = p.site[k];
                if (s >= N_LOS_SITES)
                    continue;
                nlos++;
                nclear += geo_dem_los(dem, 260000.0 + sx[s], 3450000.0 + sy[s], 25,
                                      260000.0 + dx[j], 3450000.0 + dy[j], 1.5) == 1;
            }
        double tlos = cpu_now() - c0;
        c0 = cpu_now();
        for (int s = 0; s < N_LOS_SITES; s++)
            for (int a = 0; a < 72; a++) {
                geo_dem_ray ray;
                int los;
                geo_dem_ray_init(&ray, dem, 260000.0 + sx[s], 3450000.0 + sy[s], 25,
                                 2 * M_PI * a / 72, 1.5);
                while (ray.r + 10 <= RADIUS)
                    geo_dem_ray_next(&ray, 10, &los);
            }
        double tsweep = cpu_now() - c0;
        printf("dem: %dx%d cells of 10 m resampled into %s in %.3f s\n", DW, DW,
               geo_crs_name(crs), topen);
        printf("line of sight: %zu profiles (%d sites, %.0f m range) in %.3f s cpu: %.2f ms per "
               "site, %.1f us per pair, %.0f%% clear\n", nlos, N_LOS_SITES, RADIUS, tlos,
               1e3 * tlos / N_LOS_SITES, nlos ? 1e6 * tlos / (double)nlos : 0.0,
               nlos ? 100.0 * (double)nclear / (double)nlos : 0.0);
        printf("coverage polygon sweep (72 rays, 10 m steps): %.3f ms per site\n",
               1e3 * tsweep / N_LOS_SITES);
        geo_dem_free(dem);
        VSIUnlink(dem_path);
    }
    const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/bench_pairs-%ld.gpkg", tmpdir, (long)getpid());
    const geo_fdef fd[] = {{"demand_id", GEO_FT_STR}, {"weight", GEO_FT_REAL}, {"sector", GEO_FT_STR}};
    char id[32];
    geo_val v[3] = {{0, 0, 0, id}, {0, 0, 1.0, NULL}, {0, 0, 0, "ic"}};
    t0 = r5g_now();
    if (geo_out_open(&o, ctx, path, NULL, crs, NULL, 1, &err) ||
        geo_out_layer(o, "demand", GEO_GEOM_POINT, fd, 3, &err))
        goto fail;
    for (size_t j = 0; j < N_DEMAND; j++) {
        snprintf(id, sizeof id, "d%zu", j);
        v[1].d = 1.0 + (double)(j % 5);
        /* the synthetic city sits in UTM 51N near Suzhou */
        if (geo_out_point(o, v, 260000.0 + dx[j], 3450000.0 + dy[j], &err))
            goto fail;
    }
    if (geo_out_commit(o, &err))
        goto fail;
    double tw = r5g_now() - t0;
    printf("gpkg write: %d points in %.3f s\n", N_DEMAND, tw);

    const geo_field_req fr[] = {{"id", "demand_id", 1}, {"weight", "weight", 1}, {"sector", "sector", 0}};
    geo_source src = {.path = path, .label = "demand"};
    t0 = r5g_now();
    if (geo_table_read(&t, ctx, &src, fr, 3, 0, &err))
        goto fail;
    double tr = r5g_now() - t0;
    t0 = r5g_now();
    if (geo_table_project(t, crs, &err))
        goto fail;
    double tp = r5g_now() - t0;
    printf("gpkg read: %zu points in %.3f s (geo_table_read), project to %s + WGS84 in %.3f s\n",
           geo_table_count(t), tr, geo_crs_name(crs), tp);
    double e = 0;
    for (size_t j = 0; j < geo_table_count(t); j++) {
        double ex = fabs(geo_table_wx(t)[j] - (260000.0 + dx[j]));
        double ey = fabs(geo_table_wy(t)[j] - (3450000.0 + dy[j]));
        e = fmax(e, fmax(ex, ey));
    }
    printf("gpkg round trip: max coordinate error %.2e m\n", e);
    status = geo_table_count(t) == N_DEMAND && e < 1e-3 ? 0 : 1;
    goto out;

fail:
    fprintf(stderr, "bench_pairs: %s\n", err.msg);
out:
    geo_table_free(t);
    geo_out_free(o);
    if (path[0])
        unlink(path);
    geo_crs_free(crs);
    geo_ctx_free(ctx);
    geo_pairs_free(&p);
    free(sx);
    free(sy);
    free(r);
    free(dx);
    free(dy);
    return status;
}
