/* Chinese "offset" datums: GCJ-02 (AMap/Gaode, Tencent; the "Mars" datum)
 * and BD-09 (Baidu), converted to and from WGS84.
 *
 * Pure math, no GDAL/PROJ. All coordinates are longitude/latitude in degrees,
 * always in that order (x = lon, y = lat). Accuracy (see docs/radio.md):
 *   - geo_gcj02_from_wgs84 is the published closed form (Krasovsky-1940
 *     constants a = 6378245.0, ee = 0.00669342162296594323);
 *   - geo_wgs84_from_gcj02 inverts it iteratively to better than 1e-9 degree
 *     (round trip WGS84 -> GCJ-02 -> WGS84 below 1 mm over China);
 *   - geo_bd09_from_gcj02 / geo_gcj02_from_bd09 are the published closed forms
 *     (the inverse is itself an approximation: BD-09 -> GCJ-02 -> BD-09 is off
 *     by at most 0.23 m over China).
 *
 * The offsets are defined for mainland China only. These functions apply the
 * formula wherever they are called; callers test geo_cn_in_china() and warn
 * (or leave the point alone) outside the box. */
#ifndef GEO_CN_DATUM_H
#define GEO_CN_DATUM_H

#include <stddef.h>

typedef enum { GEO_CN_WGS84, GEO_CN_GCJ02, GEO_CN_BD09 } geo_cn_datum;

/* The usual rough bounding box of China (lon 72.004..137.8347,
 * lat 0.8293..55.8271, as in eviltransform): 1 inside, 0 outside. It includes
 * neighbouring countries' border areas; it is a sanity test, not a border. */
int geo_cn_in_china(double lon, double lat);

/* Single points: out-params first, then the input lon, lat. out_lon/out_lat
 * may point at the inputs' storage. */
void geo_gcj02_from_wgs84(double *out_lon, double *out_lat, double lon, double lat);
void geo_wgs84_from_gcj02(double *out_lon, double *out_lat, double lon, double lat);
void geo_bd09_from_gcj02(double *out_lon, double *out_lat, double lon, double lat);
void geo_gcj02_from_bd09(double *out_lon, double *out_lat, double lon, double lat);
void geo_bd09_from_wgs84(double *out_lon, double *out_lat, double lon, double lat);
void geo_wgs84_from_bd09(double *out_lon, double *out_lat, double lon, double lat);

/* Arrays of n points, converted in place (lon[i], lat[i]). */
void geo_gcj02_from_wgs84_n(double *lon, double *lat, size_t n);
void geo_wgs84_from_gcj02_n(double *lon, double *lat, size_t n);
void geo_bd09_from_gcj02_n(double *lon, double *lat, size_t n);
void geo_gcj02_from_bd09_n(double *lon, double *lat, size_t n);
void geo_bd09_from_wgs84_n(double *lon, double *lat, size_t n);
void geo_wgs84_from_bd09_n(double *lon, double *lat, size_t n);

/* Any of the three to any other, in place; from == to is a no-op. */
void geo_cn_convert(geo_cn_datum from, geo_cn_datum to, double *lon, double *lat, size_t n);

#endif
