/* Unit tests for geo/cn_datum (WGS84 / GCJ-02 / BD-09) and geo/radio
 * (3GPP TR 38.901 path loss and range). Pure math: no GDAL needed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/r5g.h"
#include "geo/cn_datum.h"
#include "geo/radio.h"

/* cmocka 1.1 has no floating-point assert: |a - b| <= tol, and NaN fails. */
#define assert_near(a, b, tol)                                                          \
    do {                                                                                \
        double a_ = (a), b_ = (b);                                                      \
        if (!(fabs(a_ - b_) <= (tol))) {                                                \
            print_error("%s = %.12g, expected %.12g +- %g\n", #a, a_, b_, (double)(tol)); \
            fail();                                                                     \
        }                                                                               \
    } while (0)

#define DEG_M 111320.0 /* metres per degree of latitude (rough, for reporting) */

/* Horizontal distance in metres between two nearby lon/lat points. */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double k = cos((lat1 + lat2) * 0.5 * M_PI / 180.0);
    return DEG_M * hypot((lon1 - lon2) * k, lat1 - lat2);
}

/* ------------------------------------------------------------------------ */
/* Datum: published point pairs                                              */

/* From googollee/eviltransform, python/test.py (TESTS; also in php/ and the
 * other ports): {wgsLat, wgsLng, gcjLat, gcjLng}. Its TESTS_bd pairs are not
 * used: that implementation's BD-09 uses pi instead of pi*3000/180 and the
 * one-step GCJ-02 inverse, so its values are not the standard BD-09. */
static const double evil_pairs[][4] = {
    {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},    /* Shanghai */
    {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},    /* Shenzhen */
    {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},    /* Beijing */
};

static void datum_eviltransform_pairs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof evil_pairs / sizeof evil_pairs[0]; i++) {
        const double *p = evil_pairs[i];
        double lon, lat;
        geo_gcj02_from_wgs84(&lon, &lat, p[1], p[0]);
        assert_near(lon, p[3], 1e-9);
        assert_near(lat, p[2], 1e-9);
        /* the inverse must recover the WGS84 input (theirs only claims 0.5 m) */
        geo_wgs84_from_gcj02(&lon, &lat, p[3], p[2]);
        assert_near(lon, p[1], 1e-8);
        assert_near(lat, p[0], 1e-8);
    }
}

/* From wandergis/coordtransform, test/app.js (the "//result" comment), input
 * (116.404, 39.915) given as lon, lat:
 *   bd09togcj02  -> 116.39762729119315, 39.90865673957631
 *   gcj02tobd09  -> 116.41036949371029, 39.92133699351021
 *   wgs84togcj02 -> 116.41024449916938, 39.91640428150164
 * (its gcj02towgs84 is the one-step approximation, so it is not used). */
static void datum_coordtransform_pairs(void **state)
{
    (void)state;
    double lon, lat;
    geo_gcj02_from_bd09(&lon, &lat, 116.404, 39.915);
    assert_near(lon, 116.39762729119315, 1e-9);
    assert_near(lat, 39.90865673957631, 1e-9);
    geo_bd09_from_gcj02(&lon, &lat, 116.404, 39.915);
    assert_near(lon, 116.41036949371029, 1e-9);
    assert_near(lat, 39.92133699351021, 1e-9);
    geo_gcj02_from_wgs84(&lon, &lat, 116.404, 39.915);
    assert_near(lon, 116.41024449916938, 1e-9);
    assert_near(lat, 39.91640428150164, 1e-9);

    /* the other way round */
    geo_wgs84_from_gcj02(&lon, &lat, 116.41024449916938, 39.91640428150164);
    assert_near(lon, 116.404, 1e-8);
    assert_near(lat, 39.915, 1e-8);
    /* BD-09 closed forms are inverse only to within ~3e-6 degree (0.3 m) */
    geo_bd09_from_gcj02(&lon, &lat, 116.39762729119315, 39.90865673957631);
    assert_true(dist_m(lon, lat, 116.404, 39.915) < 0.3);
    geo_gcj02_from_bd09(&lon, &lat, 116.41036949371029, 39.92133699351021);
    assert_true(dist_m(lon, lat, 116.404, 39.915) < 0.3);
}

/* ------------------------------------------------------------------------ */
/* Datum: the real university data                                          */

static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *s = line;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        f[n++] = s;
        char *c = strchr(s, ',');
        if (c == NULL)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

static int col(char **f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i], name) == 0)
            return i;
    return -1;
}

static void datum_university_data(void **state)
{
    (void)state;
    const char *dir = getenv("R5G_SHARED_DATA");
    char path[4096];
    if (dir == NULL || dir[0] == '\0')
        skip();
    snprintf(path, sizeof path, "%s/cn-universities/china_universities_2820.csv", dir);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        skip();

    char line[8192];
    char *f[32];
    assert_non_null(fgets(line, sizeof line, fp));
    int nf = split_csv(line, f, 32);
    int c_blat = col(f, nf, "lat_bd09"), c_blon = col(f, nf, "lon_bd09");
    int c_wlat = col(f, nf, "lat_wgs84"), c_wlon = col(f, nf, "lon_wgs84");
    assert_true(c_blat >= 0 && c_blon >= 0 && c_wlat >= 0 && c_wlon >= 0);

    int rows = 0, located = 0;
    double max_deg = 0.0, max_m = 0.0;
    while (fgets(line, sizeof line, fp) != NULL) {
        nf = split_csv(line, f, 32);
        rows++;
        assert_true(nf > c_wlon);
        if (f[c_blat][0] == '\0')
            continue;
        located++;
        double blon = strtod(f[c_blon], NULL), blat = strtod(f[c_blat], NULL);
        double wlon = strtod(f[c_wlon], NULL), wlat = strtod(f[c_wlat], NULL);
        assert_true(geo_cn_in_china(blon, blat));
        double lon, lat;
        geo_wgs84_from_bd09(&lon, &lat, blon, blat);
        max_deg = fmax(max_deg, fmax(fabs(lon - wlon), fabs(lat - wlat)));
        max_m = fmax(max_m, dist_m(lon, lat, wlon, wlat));
    }
    fclose(fp);
    print_message("cn-universities: %d rows, %d located; max |ours - csv| = %.3g deg (%.3f m)\n",
                  rows, located, max_deg, max_m);
    assert_int_equal(rows, 2820);
    assert_int_equal(located, 2806);
    /* The CSV's WGS84 columns are rounded to 6 decimals: half a unit is 5e-7. */
    assert_true(max_deg <= 5.0e-7 + 1e-12);
}

/* ------------------------------------------------------------------------ */
/* Datum: round trips over a grid covering China                             */

static void datum_round_trips(void **state)
{
    (void)state;
    double max_wgw = 0.0, max_bwb = 0.0, max_gbg = 0.0, max_resid = 0.0;
    int n = 0;
    /* 0.1 degree grid over lon 73..136, lat 3..54, plus the sqrt(|lon-105|)
     * cusp of the offset field (lon = 105 exactly and just beside it). */
    for (int i = 0; i <= 633; i++) {
        const double cusp[3] = {105.0, 105.0 - 1e-9, 105.0 + 1e-9};
        double lon = i < 631 ? 73.0 + 0.1 * i : cusp[i - 631];
        for (int j = 0; j <= 510; j++) {
            double lat = 3.0 + 0.1 * j;
            double a, b, c, d;
            n++;
            /* WGS84 -> GCJ-02 -> WGS84 */
            geo_gcj02_from_wgs84(&a, &b, lon, lat);
            geo_wgs84_from_gcj02(&c, &d, a, b);
            max_wgw = fmax(max_wgw, dist_m(c, d, lon, lat));
            /* residual of the inverse: forward(inverse(g)) == g */
            geo_wgs84_from_gcj02(&a, &b, lon, lat);
            geo_gcj02_from_wgs84(&c, &d, a, b);
            max_resid = fmax(max_resid, fmax(fabs(c - lon), fabs(d - lat)));
            /* BD-09 -> WGS84 -> BD-09 */
            geo_wgs84_from_bd09(&a, &b, lon, lat);
            geo_bd09_from_wgs84(&c, &d, a, b);
            max_bwb = fmax(max_bwb, dist_m(c, d, lon, lat));
            /* GCJ-02 -> BD-09 -> GCJ-02 */
            geo_bd09_from_gcj02(&a, &b, lon, lat);
            geo_gcj02_from_bd09(&c, &d, a, b);
            max_gbg = fmax(max_gbg, dist_m(c, d, lon, lat));
        }
    }
    print_message("round trips over %d points: WGS->GCJ->WGS %.3g m, inverse residual %.3g deg, "
                  "BD->WGS->BD %.4f m, GCJ->BD->GCJ %.4f m\n",
                  n, max_wgw, max_resid, max_bwb, max_gbg);
    assert_true(max_resid < 1e-7);
    assert_true(max_wgw < 1e-7 * DEG_M); /* < 1e-7 degree, about 1 cm */
    /* the BD-09 closed-form inverse: 0.224 m on this grid, 0.232 m on a
     * 0.004 degree grid (docs/radio.md) */
    assert_true(max_bwb < 0.25);
    assert_true(max_gbg < 0.25);
}

static void datum_arrays_match_points(void **state)
{
    (void)state;
    enum { N = 5 };
    const double lon0[N] = {121.47, 113.26, 116.40, 87.62, 126.53};
    const double lat0[N] = {31.23, 23.13, 39.90, 43.83, 45.80};
    const geo_cn_datum ds[3] = {GEO_CN_WGS84, GEO_CN_GCJ02, GEO_CN_BD09};
    for (int from = 0; from < 3; from++) {
        for (int to = 0; to < 3; to++) {
            double lon[N], lat[N];
            memcpy(lon, lon0, sizeof lon);
            memcpy(lat, lat0, sizeof lat);
            geo_cn_convert(ds[from], ds[to], lon, lat, N);
            for (int i = 0; i < N; i++) {
                double x = lon0[i], y = lat0[i], gx, gy;
                /* via GCJ-02 by the single-point functions */
                if (ds[from] == GEO_CN_WGS84)
                    geo_gcj02_from_wgs84(&gx, &gy, x, y);
                else if (ds[from] == GEO_CN_BD09)
                    geo_gcj02_from_bd09(&gx, &gy, x, y);
                else
                    gx = x, gy = y;
                if (ds[to] == GEO_CN_WGS84)
                    geo_wgs84_from_gcj02(&x, &y, gx, gy);
                else if (ds[to] == GEO_CN_BD09)
                    geo_bd09_from_gcj02(&x, &y, gx, gy);
                else
                    x = gx, y = gy;
                if (from == to)
                    x = lon0[i], y = lat0[i];
                assert_near(lon[i], x, 1e-12);
                assert_near(lat[i], y, 1e-12);
            }
        }
    }
    /* the named _n functions agree with the scalar ones */
    double lon[N], lat[N];
    memcpy(lon, lon0, sizeof lon);
    memcpy(lat, lat0, sizeof lat);
    geo_wgs84_from_bd09_n(lon, lat, N);
    for (int i = 0; i < N; i++) {
        double x, y;
        geo_wgs84_from_bd09(&x, &y, lon0[i], lat0[i]);
        assert_near(lon[i], x, 0.0);
        assert_near(lat[i], y, 0.0);
    }
    geo_bd09_from_wgs84_n(lon, lat, N);
    geo_gcj02_from_bd09_n(lon, lat, N);
    geo_wgs84_from_gcj02_n(lon, lat, N);
    geo_gcj02_from_wgs84_n(lon, lat, N);
    geo_bd09_from_gcj02_n(lon, lat, N);
    for (int i = 0; i < N; i++)
        assert_true(dist_m(lon[i], lat[i], lon0[i], lat0[i]) < 0.5);
    geo_gcj02_from_wgs84_n(NULL, NULL, 0); /* n = 0 touches nothing */
}

static void datum_in_china(void **state)
{
    (void)state;
    assert_true(geo_cn_in_china(116.40, 39.90));   /* Beijing */
    assert_true(geo_cn_in_china(121.47, 31.23));   /* Shanghai */
    assert_true(geo_cn_in_china(87.62, 43.83));    /* Urumqi */
    assert_true(geo_cn_in_china(109.5, 18.25));    /* Sanya */
    assert_false(geo_cn_in_china(-0.13, 51.51));   /* London */
    assert_false(geo_cn_in_china(139.69, 35.69));  /* Tokyo */
    assert_false(geo_cn_in_china(151.21, -33.87)); /* Sydney */
    assert_false(geo_cn_in_china(100.0, 60.0));    /* Siberia */
}

/* ------------------------------------------------------------------------ */
/* Radio: TR 38.901                                                          */

/* n28 0.7 GHz, n41 2.6 GHz, n78 3.5 GHz. DOMAIN.md's n41 figures need 2.6
 * (2.5 GHz gives 138.7 / 127.5 dB at 1 km, not 139.1 / 127.8). */
static const double fc_band[3] = {0.7, 2.6, 3.5};

static void radio_domain_spot_checks(void **state)
{
    (void)state;
    /* DOMAIN.md "Spot checks at 1 km": UMa h_BS 25 m, RMa h_BS 35 m, h_UT 1.5 m */
    const double uma[3] = {127.7, 139.1, 141.7};
    const double rma[3] = {116.4, 127.8, 130.4};
    for (int b = 0; b < 3; b++) {
        assert_near(geo_pathloss_db(GEO_ENV_UMA, 0, fc_band[b], 1000.0, 25.0, 1.5),
                            uma[b], 0.05 + 1e-9);
        assert_near(geo_pathloss_db(GEO_ENV_RMA, 0, fc_band[b], 1000.0, 35.0, 1.5),
                            rma[b], 0.05 + 1e-9);
    }
}

static void radio_domain_range_table(void **state)
{
    (void)state;
    /* DOMAIN.md range table, UMa-NLOS / RMa-NLOS, rows MAPL 120/130/140 dB */
    const double mapl[3] = {120.0, 130.0, 140.0};
    const double uma[3][3] = {{636, 324, 278}, {1150, 585, 502}, {2070, 1060, 906}};
    const double rma[3][3] = {{1240, 626, 537}, {2240, 1140, 975}, {4070, 2070, 1770}};
    for (int m = 0; m < 3; m++) {
        for (int b = 0; b < 3; b++) {
            double ru = geo_range_m(GEO_ENV_UMA, 0, fc_band[b], mapl[m], 25.0, 1.5);
            double rr = geo_range_m(GEO_ENV_RMA, 0, fc_band[b], mapl[m], 35.0, 1.5);
            assert_true(fabs(ru - uma[m][b]) <= 0.01 * uma[m][b]);
            assert_true(fabs(rr - rma[m][b]) <= 0.01 * rma[m][b]);
        }
    }
}

static void radio_los_by_hand(void **state)
{
    (void)state;
    /* UMa LOS, fc 3.5 GHz, h_BS 25 m, h_UT 1.5 m, h_E 1 m:
     *   d'BP = 4 * 24 * 0.5 * 3.5e9 / 3e8 = 560 m;  20 log10(3.5) = 10.88136
     * d2D = 100 m (below the breakpoint): d3D = sqrt(100^2 + 23.5^2) = 102.72415,
     *   log10 = 2.011673; PL1 = 28 + 22 * 2.011673 + 10.88136
     *                         = 28 + 44.25680 + 10.88136 = 83.13816 dB
     * d2D = 1000 m (above): d3D = sqrt(1000^2 + 23.5^2) = 1000.27609, log10 = 3.0001199;
     *   d'BP^2 + 23.5^2 = 313600 + 552.25 = 314152.25, log10 = 5.4971402;
     *   PL2 = 28 + 40 * 3.0001199 + 10.88136 - 9 * 5.4971402
     *       = 28 + 120.00480 + 10.88136 - 49.47426 = 109.41190 dB */
    assert_near(geo_breakpoint_m(GEO_ENV_UMA, 3.5, 25.0, 1.5), 560.0, 1e-9);
    assert_near(geo_pathloss_db(GEO_ENV_UMA, 1, 3.5, 100.0, 25.0, 1.5), 83.13816, 1e-4);
    assert_near(geo_pathloss_db(GEO_ENV_UMA, 1, 3.5, 1000.0, 25.0, 1.5), 109.41190, 1e-4);

    /* RMa LOS, fc 0.7 GHz, h_BS 35 m, h_UT 1.5 m, W 20 m, h 5 m:
     *   d_BP = 2 pi * 35 * 1.5 * 0.7e9 / 3e8 = 769.690 m
     *   h^1.72 = 15.93046: min(0.03 h^1.72, 10) = 0.477914,
     *   min(0.044 h^1.72, 14.77) = 0.700940; 0.002 log10(5) = 0.00139794
     * d2D = 500 m (below): d3D = sqrt(500^2 + 33.5^2) = 501.12099
     *   PL1 = 20 log10(40 pi * 501.12099 * 0.7 / 3) + 0.477914 * log10(501.12099)
     *         - 0.700940 + 0.00139794 * 501.12099
     *       = 83.34258 + 1.29034 - 0.70094 + 0.70054 = 84.63252 dB
     * d2D = 2000 m (above): d3D = 2000.28054
     *   PL1(d_BP) = 20 log10(40 pi * 769.690 * 0.7 / 3) + 0.477914 * log10(769.690)
     *               - 0.700940 + 0.00139794 * 769.690
     *             = 87.07005 + 1.37941 - 0.70094 + 1.07598 = 88.82450
     *   PL2 = 88.82450 + 40 log10(2000.28054 / 769.690) = 88.82450 + 16.59100 = 105.41550 dB */
    assert_near(geo_breakpoint_m(GEO_ENV_RMA, 0.7, 35.0, 1.5), 769.690, 1e-3);
    assert_near(geo_pathloss_db(GEO_ENV_RMA, 1, 0.7, 500.0, 35.0, 1.5), 84.63252, 1e-4);
    assert_near(geo_pathloss_db(GEO_ENV_RMA, 1, 0.7, 2000.0, 35.0, 1.5), 105.41550, 1e-4);
    /* the explicit-W/h entry point with the defaults gives the same */
    assert_near(geo_pathloss_rma_db(1, 0.7, 2000.0, 35.0, 1.5, 20.0, 5.0), 105.41550, 1e-4);

    /* UMi-Street Canyon LOS, fc 3.5 GHz, h_BS 10 m, h_UT 1.5 m:
     *   d'BP = 4 * 9 * 0.5 * 3.5e9 / 3e8 = 210 m
     * d2D = 100 m: d3D = sqrt(100^2 + 8.5^2) = 100.36060, log10 = 2.0015632
     *   PL1 = 32.4 + 21 * 2.0015632 + 10.88136 = 32.4 + 42.03282 + 10.88136 = 85.31418 dB */
    assert_near(geo_breakpoint_m(GEO_ENV_UMI, 3.5, 10.0, 1.5), 210.0, 1e-9);
    assert_near(geo_pathloss_db(GEO_ENV_UMI, 1, 3.5, 100.0, 10.0, 1.5), 85.31418, 1e-4);
}

static void radio_monotone_and_nlos_above_los(void **state)
{
    (void)state;
    const geo_env envs[3] = {GEO_ENV_UMA, GEO_ENV_UMI, GEO_ENV_RMA};
    const double hbs[3] = {25.0, 10.0, 35.0};
    const double fcs[5] = {0.7, 2.6, 3.5, 4.9, 28.0};
    const double huts[3] = {1.5, 5.0, 10.0};
    long checked = 0;
    for (int e = 0; e < 3; e++)
        for (int f = 0; f < 5; f++)
            for (int u = 0; u < 3; u++)
                for (int los = 0; los <= 1; los++) {
                    double prev = -INFINITY;
                    for (double d = 0.0; d <= 12000.0; d += 0.5) {
                        double pl = geo_pathloss_db(envs[e], los, fcs[f], d, hbs[e], huts[u]);
                        assert_true(isfinite(pl));
                        if (pl < prev - 1e-12) {
                            print_error("%s los=%d fc=%g h_ut=%g: PL(%g) = %.6f < PL(%g) = %.6f\n",
                                        geo_env_name(envs[e]), los, fcs[f], huts[u], d, pl,
                                        d - 0.5, prev);
                            fail();
                        }
                        if (!los)
                            assert_true(pl >= geo_pathloss_db(envs[e], 1, fcs[f], d, hbs[e],
                                                              huts[u]));
                        prev = pl;
                        checked++;
                    }
                }
    assert_true(checked > 1000000);
}

static void radio_clamp_and_limits(void **state)
{
    (void)state;
    double pl10 = geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, 10.0, 25.0, 1.5);
    assert_near(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, 0.0, 25.0, 1.5), pl10, 0.0);
    assert_near(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, 5.0, 25.0, 1.5), pl10, 0.0);

    /* beyond the table: the maximum range, and 0 when even 10 m is too lossy */
    assert_near(geo_range_m(GEO_ENV_UMA, 0, 0.7, 200.0, 25.0, 1.5), 5000.0, 0.0);
    assert_near(geo_range_m(GEO_ENV_RMA, 1, 0.7, 200.0, 35.0, 1.5), 10000.0, 0.0);
    assert_near(geo_range_m(GEO_ENV_RMA, 0, 0.7, 200.0, 35.0, 1.5), 5000.0, 0.0);
    assert_near(geo_range_m(GEO_ENV_UMI, 1, 3.5, 200.0, 10.0, 1.5), 5000.0, 0.0);
    assert_near(geo_range_m(GEO_ENV_UMA, 0, 3.5, pl10 - 0.01, 25.0, 1.5), 0.0, 0.0);
    assert_true(geo_range_m(GEO_ENV_UMA, 0, 3.5, pl10, 25.0, 1.5) >= 10.0);

    /* the range is within the MAPL and 1 cm more is not (continuous pieces) */
    const geo_env envs[3] = {GEO_ENV_UMA, GEO_ENV_UMI, GEO_ENV_RMA};
    const double hbs[3] = {25.0, 10.0, 35.0};
    for (int e = 0; e < 3; e++)
        for (int los = 0; los <= 1; los++)
            for (double mapl = 90.0; mapl <= 140.0; mapl += 2.5) {
                double r = geo_range_m(envs[e], los, 2.6, mapl, hbs[e], 1.5);
                assert_true(isfinite(r));
                if (r <= 0.0 || r >= geo_range_max_m(envs[e], los))
                    continue;
                assert_true(geo_pathloss_db(envs[e], los, 2.6, r, hbs[e], 1.5) <= mapl);
                assert_true(geo_pathloss_db(envs[e], los, 2.6, r + 0.011, hbs[e], 1.5) > mapl);
            }

    /* UMa LOS range by hand: PL1 = 83.13816 at 100 m (radio_los_by_hand), so
     * MAPL 83.13816 gives 100 m to 1 cm */
    double r = geo_range_m(GEO_ENV_UMA, 1, 3.5, 83.13816, 25.0, 1.5);
    assert_true(fabs(r - 100.0) <= 0.02);
}

static void radio_bad_input(void **state)
{
    (void)state;
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, 0.0, 100.0, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, -3.5, 100.0, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, -1.0, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, NAN, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, INFINITY, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMA, 0, 3.5, 100.0, 25.0, 1.0))); /* h_UT = h_E */
    assert_true(isnan(geo_pathloss_db(GEO_ENV_UMI, 0, 3.5, 100.0, 0.5, 1.5)));
    assert_true(isnan(geo_pathloss_db(GEO_ENV_RMA, 0, 3.5, 100.0, 35.0, 0.0)));
    assert_true(isnan(geo_pathloss_db((geo_env)42, 0, 3.5, 100.0, 25.0, 1.5)));
    assert_true(isnan(geo_pathloss_rma_db(0, 0.7, 100.0, 35.0, 1.5, 0.0, 5.0)));
    assert_true(isnan(geo_range_m(GEO_ENV_UMA, 0, 3.5, NAN, 25.0, 1.5)));
    assert_true(isnan(geo_range_m(GEO_ENV_UMA, 0, 0.0, 120.0, 25.0, 1.5)));
    assert_true(isnan(geo_breakpoint_m(GEO_ENV_UMA, 3.5, 25.0, 0.9)));
}

static void radio_env_parse(void **state)
{
    (void)state;
    geo_env e = GEO_ENV_RMA;
    assert_int_equal(geo_env_parse("uma", &e), 0);
    assert_int_equal(e, GEO_ENV_UMA);
    assert_int_equal(geo_env_parse("UMi", &e), 0);
    assert_int_equal(e, GEO_ENV_UMI);
    assert_int_equal(geo_env_parse("UMi-Street-Canyon", &e), 0);
    assert_int_equal(e, GEO_ENV_UMI);
    assert_int_equal(geo_env_parse("RMA", &e), 0);
    assert_int_equal(e, GEO_ENV_RMA);
    assert_int_equal(geo_env_parse("suburban", &e), R5G_EINPUT);
    assert_int_equal(geo_env_parse("", &e), R5G_EINPUT);
    assert_int_equal(geo_env_parse(NULL, &e), R5G_EINPUT);
    assert_int_equal(e, GEO_ENV_RMA); /* untouched on failure */
    assert_string_equal(geo_env_name(GEO_ENV_UMA), "uma");
    assert_string_equal(geo_env_name(GEO_ENV_UMI), "umi");
    assert_string_equal(geo_env_name(GEO_ENV_RMA), "rma");
    assert_string_equal(geo_env_name((geo_env)42), "?");
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(datum_eviltransform_pairs),
        cmocka_unit_test(datum_coordtransform_pairs),
        cmocka_unit_test(datum_university_data),
        cmocka_unit_test(datum_round_trips),
        cmocka_unit_test(datum_arrays_match_points),
        cmocka_unit_test(datum_in_china),
        cmocka_unit_test(radio_domain_spot_checks),
        cmocka_unit_test(radio_domain_range_table),
        cmocka_unit_test(radio_los_by_hand),
        cmocka_unit_test(radio_monotone_and_nlos_above_los),
        cmocka_unit_test(radio_clamp_and_limits),
        cmocka_unit_test(radio_bad_input),
        cmocka_unit_test(radio_env_parse),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
