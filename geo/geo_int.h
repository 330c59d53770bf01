/* geo internals: struct bodies shared by the geo source files. Only the geo sources
 * include this header; it is the one place where GDAL/OGR types meet ours. */
#ifndef GEO_INT_H
#define GEO_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>

#include "geo/cn_datum.h"
#include "geo/geo.h"

struct geo_ctx {
    int registered; /* GDALAllRegister has run */
};

/* GDAL error capture for one call sequence: push before, pop after. Failures
 * are kept (last one wins, as CPLGetLastErrorMsg would), warnings go to the
 * log; a quiet capture keeps warnings too (in msg) and logs nothing. */
typedef struct geo_cpl {
    int nfail;
    int quiet;
    char msg[1024];
} geo_cpl;
void geo_cpl_push(geo_cpl *c);
void geo_cpl_push_quiet(geo_cpl *c);
void geo_cpl_pop(geo_cpl *c);
/* The GDAL reason for the last failure, or `fallback` when GDAL gave none. */
const char *geo_cpl_msg(const geo_cpl *c, const char *fallback);
/* Why GDAL could not open `path`, without the path GDAL puts in front
 * ("path: No such file ...", "`path' not recognized ...") or a final '.'. */
void geo_open_reason(char *buf, size_t size, const geo_cpl *c, const char *path,
                     const char *fallback);

/* New spatial reference from anything OSRSetFromUserInput takes, with
 * traditional GIS axis order (x = lon/easting). NULL if PROJ refuses it. */
OGRSpatialReferenceH geo_srs_from_user(const char *spec);
/* "EPSG:4326" when an authority code is known, else the CRS short name.
 * Malloc'd; NULL on OOM. */
char *geo_srs_name(OGRSpatialReferenceH srs);

/* Polygon rings of one kept geometry, flattened for point-in-polygon tests
 * in the working CRS. Ring r spans points [ring_ptr[r], ring_ptr[r+1]). */
typedef struct geo_poly {
    double minx, miny, maxx, maxy; /* envelope; minx > maxx when no rings */
    int nrings;
    size_t *ring_ptr;
    double *px, *py;
} geo_poly;

struct geo_table {
    char *name;      /* "demand.geojson" or "sites.gpkg:cands" */
    char *label;     /* scenario key ("demand") */
    size_t n;
    long long *fid;
    double *x, *y;   /* source CRS */
    double *wx, *wy; /* working CRS (after geo_table_project) */
    double *lon, *lat;
    int projected;

    int nf;          /* requested fields */
    int id_f;        /* the id request (GEO_READ_ID_FIRST: 0), or -1 */
    int *has;        /* [nf] field exists in the layer */
    char *pool;      /* all string values, NUL-terminated */
    size_t pool_len, pool_cap;
    size_t *off;     /* [n * nf] offset into pool, SIZE_MAX = NULL */

    OGRSpatialReferenceH srs; /* source CRS or NULL */
    char *crs_name;
    int crs_given;            /* the CRS came from the scenario (`crs:`), not the file */

    OGRGeometryH *geom;      /* [n] kept geometries, source CRS (KEEP_GEOMETRY) */
    OGRGeometryH *geom_work; /* [n] the same in the working CRS */
    geo_poly *poly;          /* [n] rings of geom_work */

    size_t n_skipped;        /* features with a bad geometry, skipped (skip_invalid) */
    char *skip_msg;          /* the first 20 of them, for messages; NULL when none */
    size_t n_repaired;       /* invalid polygons repaired (KEEP_GEOMETRY) */
    char *repair_msg;        /* the first 20 of them; NULL when none */

    /* a concatenation (geo_table_concat): row i is row row_local[i] of
     * parts[row_part[i]], whose values it reads; coordinates are copied */
    geo_table **parts;
    int n_parts;
    int *row_part;
    size_t *row_local;
    int pref_f;              /* the request given a per-part prefix, or -1 */
    size_t *pref_off;        /* [n] offset of the prefixed value in pool, SIZE_MAX = none */
};

/* "GCJ-02", "GCJ02", "BD-09", "BD09" (any case): the Chinese offset datums
 * PROJ does not know; GEO_CN_WGS84 for anything else. */
geo_cn_datum geo_cn_datum_of(const char *crs);

/* A feature for messages: "demand.geojson feature 3 (id D4)"; without the
 * table name when table is NULL, without the id when id is NULL or empty. */
const char *geo_feature_name(char *buf, size_t size, const char *table, long long fid,
                             const char *id);
/* Range checks of lon/lat coordinates (x[i], y[i]) of t before any transform:
 * outside -180..180 / -90..90 is an error naming the first such feature, with
 * a hint when swapping lat and lon would fix it or the numbers look like
 * metres. For China data (a GCJ-02/BD-09 layer: cn_datum is its name; or a
 * layer mostly inside China's box), a point outside China whose swapped pair
 * lies in China is an error too. */
int geo_check_lonlat(const geo_table *t, const char *cn_datum, r5g_err *err);

struct geo_crs {
    int planar;
    OGRSpatialReferenceH srs; /* NULL when planar */
    OGRSpatialReferenceH wgs84;
    char *name;
};

#endif
