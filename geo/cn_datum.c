/* WGS84 <-> GCJ-02 <-> BD-09. See cn_datum.h and docs/radio.md.
 *
 * The GCJ-02 offset is the widely published reverse-engineered formula (it is
 * in every "eviltransform"/"coordtransform" port): a polynomial-plus-sines
 * field in pseudo-metres, scaled to degrees on the Krasovsky-1940 ellipsoid.
 * BD-09 adds a small polar perturbation and a fixed shift on top of GCJ-02. */
#include "geo/cn_datum.h"

#include <math.h>

#define CN_PI 3.14159265358979323846
#define CN_A 6378245.0                   /* Krasovsky-1940 semi-major axis, m */
#define CN_EE 0.00669342162296594323     /* Krasovsky-1940 first eccentricity^2 */
#define BD_XPI (CN_PI * 3000.0 / 180.0)  /* the BD-09 perturbation frequency */

/* GCJ-02 inversion: stop when the step is below this (degrees), or after
 * GCJ_MAX_ITER steps. The fixed point map contracts by about 1e-3 per step, so
 * 3-4 steps reach double precision; the cap only guards the sqrt(|x|) cusp. */
#define GCJ_TOL_DEG 1e-12
#define GCJ_MAX_ITER 30

int geo_cn_in_china(double lon, double lat)
{
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/* The offset field, with x = lon - 105, y = lat - 35 (pseudo-metres). */
static double shift_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * CN_PI) + 20.0 * sin(2.0 * x * CN_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * CN_PI) + 40.0 * sin(y / 3.0 * CN_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * CN_PI) + 320.0 * sin(y / 30.0 * CN_PI)) * 2.0 / 3.0;
    return r;
}

static double shift_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * CN_PI) + 20.0 * sin(2.0 * x * CN_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * CN_PI) + 40.0 * sin(x / 3.0 * CN_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * CN_PI) + 300.0 * sin(x / 30.0 * CN_PI)) * 2.0 / 3.0;
    return r;
}

/* GCJ-02 minus WGS84 at the WGS84 point (lon, lat), in degrees. The pseudo-
 * metres become degrees with the meridional (M) and prime-vertical (N) radii
 * of curvature of the Krasovsky ellipsoid. */
static void gcj_offset(double *dlon, double *dlat, double lon, double lat)
{
    double x = lon - 105.0, y = lat - 35.0;
    double phi = lat / 180.0 * CN_PI;
    double s = sin(phi);
    double w2 = 1.0 - CN_EE * s * s;
    double w = sqrt(w2);
    double m = CN_A * (1.0 - CN_EE) / (w2 * w); /* meridional radius */
    double n = CN_A / w;                         /* prime vertical radius */
    *dlat = shift_lat(x, y) * 180.0 / (m * CN_PI);
    *dlon = shift_lon(x, y) * 180.0 / (n * cos(phi) * CN_PI);
}

void geo_gcj02_from_wgs84(double *out_lon, double *out_lat, double lon, double lat)
{
    double dlon, dlat;
    gcj_offset(&dlon, &dlat, lon, lat);
    *out_lon = lon + dlon;
    *out_lat = lat + dlat;
}

/* Solve gcj02_from_wgs84(w) = g by the fixed point w <- w - (f(w) - g),
 * starting at w = g. The Jacobian of the offset is small (|J| ~ 1e-3 deg/deg),
 * so this is a strong contraction. */
void geo_wgs84_from_gcj02(double *out_lon, double *out_lat, double lon, double lat)
{
    double x = lon, y = lat;
    for (int i = 0; i < GCJ_MAX_ITER; i++) {
        double gx, gy;
        geo_gcj02_from_wgs84(&gx, &gy, x, y);
        double ex = gx - lon, ey = gy - lat;
        x -= ex;
        y -= ey;
        if (fabs(ex) < GCJ_TOL_DEG && fabs(ey) < GCJ_TOL_DEG)
            break;
    }
    *out_lon = x;
    *out_lat = y;
}

void geo_bd09_from_gcj02(double *out_lon, double *out_lat, double lon, double lat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BD_XPI);
    double t = atan2(lat, lon) + 0.000003 * cos(lon * BD_XPI);
    *out_lon = z * cos(t) + 0.0065;
    *out_lat = z * sin(t) + 0.006;
}

/* The published closed-form inverse: remove the shift, then subtract the
 * perturbation evaluated at the (shifted) BD point instead of the unknown GCJ
 * point. That shortcut costs at most 0.23 m over China (docs/radio.md); it is
 * kept because it is what Baidu users and the shared data use. */
void geo_gcj02_from_bd09(double *out_lon, double *out_lat, double lon, double lat)
{
    double x = lon - 0.0065, y = lat - 0.006;
    double z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_XPI);
    double t = atan2(y, x) - 0.000003 * cos(x * BD_XPI);
    *out_lon = z * cos(t);
    *out_lat = z * sin(t);
}

void geo_bd09_from_wgs84(double *out_lon, double *out_lat, double lon, double lat)
{
    double gx, gy;
    geo_gcj02_from_wgs84(&gx, &gy, lon, lat);
    geo_bd09_from_gcj02(out_lon, out_lat, gx, gy);
}

void geo_wgs84_from_bd09(double *out_lon, double *out_lat, double lon, double lat)
{
    double gx, gy;
    geo_gcj02_from_bd09(&gx, &gy, lon, lat);
    geo_wgs84_from_gcj02(out_lon, out_lat, gx, gy);
}

typedef void (*point_fn)(double *, double *, double, double);

static void apply_n(point_fn f, double *lon, double *lat, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f(&lon[i], &lat[i], lon[i], lat[i]);
}

void geo_gcj02_from_wgs84_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_gcj02_from_wgs84, lon, lat, n);
}

void geo_wgs84_from_gcj02_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_wgs84_from_gcj02, lon, lat, n);
}

void geo_bd09_from_gcj02_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_bd09_from_gcj02, lon, lat, n);
}

void geo_gcj02_from_bd09_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_gcj02_from_bd09, lon, lat, n);
}

void geo_bd09_from_wgs84_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_bd09_from_wgs84, lon, lat, n);
}

void geo_wgs84_from_bd09_n(double *lon, double *lat, size_t n)
{
    apply_n(geo_wgs84_from_bd09, lon, lat, n);
}

void geo_cn_convert(geo_cn_datum from, geo_cn_datum to, double *lon, double *lat, size_t n)
{
    if (from == to)
        return;
    /* Go through GCJ-02, the hub both others are defined against. */
    if (from == GEO_CN_WGS84)
        geo_gcj02_from_wgs84_n(lon, lat, n);
    else if (from == GEO_CN_BD09)
        geo_gcj02_from_bd09_n(lon, lat, n);
    if (to == GEO_CN_WGS84)
        geo_wgs84_from_gcj02_n(lon, lat, n);
    else if (to == GEO_CN_BD09)
        geo_bd09_from_gcj02_n(lon, lat, n);
}
