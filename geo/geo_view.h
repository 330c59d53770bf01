/* geo views for reviewers' tools: a plan's points moved between working
 * CRSs (to compare plans made in different UTM zones) and the polygon rings
 * of a table kept with GEO_READ_KEEP_GEOMETRY (to draw regions). Plain
 * arrays only; no GDAL or PROJ type leaves geo/. */
#ifndef GEO_VIEW_H
#define GEO_VIEW_H

#include <stddef.h>

#include "common/r5g.h"
#include "geo/geo.h"

/* Moves n points (x[i], y[i]) from working CRS `from` to working CRS `to`
 * into (ox[i], oy[i]) (may be x and y themselves). Between two planar CRSs
 * the points are copied; a planar and a georeferenced CRS cannot meet. */
int geo_crs_transform(const geo_crs *from, const geo_crs *to, const double *x, const double *y,
                      double *ox, double *oy, size_t n, r5g_err *err);
/* 1 when both name the same CRS ("EPSG:32651" and "EPSG:32651", or both planar). */
int geo_crs_same(const geo_crs *a, const geo_crs *b);

/* The rings of row i of a table read with GEO_READ_KEEP_GEOMETRY and
 * projected, in the working CRS: ring r spans points [ptr[r], ptr[r+1]) of
 * x, y (outer rings and holes alike, for an even-odd fill). Borrowed from
 * the table. */
typedef struct geo_rings {
    int n;
    const size_t *ptr;
    const double *x, *y;
} geo_rings;
/* 0, or R5G_EINTERNAL when the table keeps no projected polygons. */
int geo_table_rings(const geo_table *t, size_t i, geo_rings *out, r5g_err *err);

#endif
