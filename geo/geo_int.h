/* geo internals: struct bodies shared by the geo source files. Only the geo sources
 * include this header; it is the one place where GDAL/OGR types meet ours. */
#ifndef GEO_INT_H
#define GEO_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>

#include "geo/geo.h"

struct geo_ctx {
    int registered; /* GDALAllRegister has run */
};

/* GDAL error capture for one call sequence: push before, pop after. Failures
 * are kept (last one wins, as CPLGetLastErrorMsg would), warnings go to the log. */
typedef struct geo_cpl {
    int nfail;
    char msg[1024];
} geo_cpl;
void geo_cpl_push(geo_cpl *c);
void geo_cpl_pop(geo_cpl *c);
/* The GDAL reason for the last failure, or `fallback` when GDAL gave none. */
const char *geo_cpl_msg(const geo_cpl *c, const char *fallback);

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
    int *has;        /* [nf] field exists in the layer */
    char *pool;      /* all string values, NUL-terminated */
    size_t pool_len, pool_cap;
    size_t *off;     /* [n * nf] offset into pool, SIZE_MAX = NULL */

    OGRSpatialReferenceH srs; /* source CRS or NULL */
    char *crs_name;

    OGRGeometryH *geom;      /* [n] kept geometries, source CRS (KEEP_GEOMETRY) */
    OGRGeometryH *geom_work; /* [n] the same in the working CRS */
    geo_poly *poly;          /* [n] rings of geom_work */

    size_t n_skipped;        /* features without a usable geometry, skipped */
    char skip_msg[256];      /* the first few of them, for messages */
};

struct geo_crs {
    int planar;
    OGRSpatialReferenceH srs; /* NULL when planar */
    OGRSpatialReferenceH wgs84;
    char *name;
};

#endif
