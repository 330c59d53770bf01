/* Rasters for the radio model: a DEM resampled once into the working CRS and
 * kept in memory for line-of-sight tests, and point sampling of a class
 * raster (clutter). Any raster GDAL reads, in any CRS. See docs/radio.md. */
#ifndef GEO_TERRAIN_H
#define GEO_TERRAIN_H

#include <stddef.h>

#include "geo/geo.h"

/* Effective earth radius factor for the curvature drop d^2 / (2 k R). */
#define GEO_DEM_K_FACTOR (4.0 / 3.0)

typedef struct geo_dem geo_dem;

/* Opens band 1 of a raster as terrain heights (metres) and resamples it
 * (bilinear) onto a north-up grid in the working CRS covering the window
 * [x0, x1] x [y0, y1], at about the raster's own resolution. A raster without
 * CRS is an error naming the file, unless the working CRS is planar (then the
 * raster's coordinates are taken as working coordinates). Outside the raster
 * and at nodata cells the height is unknown (NAN). `label` names the scenario
 * key in messages ("radio.dem"). */
int geo_dem_open(geo_dem **out, geo_ctx *ctx, const char *path, const char *label,
                 const geo_crs *work, double x0, double y0, double x1, double y1, r5g_err *err);
void geo_dem_free(geo_dem *d);
/* Terrain height at (x, y) in the working CRS (bilinear); NAN when unknown. */
double geo_dem_height(const geo_dem *d, double x, double y);
/* Grid spacing in metres (the profile sampling step). */
double geo_dem_step(const geo_dem *d);
/* Share (0..1) of the window's grid cells with a known height. */
double geo_dem_known_share(const geo_dem *d);

/* Line of sight between an antenna hs metres above the ground at (sx, sy) and
 * a terminal hd metres above the ground at (dx, dy): the terrain profile is
 * sampled every geo_dem_step metres and compared with the straight line, with
 * the earth curvature drop d^2 / (2 k R). Returns 1 (clear), 0 (blocked), or
 * -1 when the ground height at either end is unknown (outside the DEM). Profile
 * samples with unknown height do not block. */
int geo_dem_los(const geo_dem *d, double sx, double sy, double hs, double dx, double dy,
                double hd);

/* A ray walked outward from a site, one step at a time, for coverage polygons:
 * geo_dem_ray_init, then geo_dem_ray_next for r = step, 2 step, ...; *los gets
 * 1/0 for the terminal at the current point (as geo_dem_los), -1 if unknown. */
typedef struct geo_dem_ray {
    const geo_dem *d;
    double sx, sy, zs, ux, uy, hd;
    double max_slope; /* steepest terrain elevation angle (tangent) seen so far */
    double r;
} geo_dem_ray;
void geo_dem_ray_init(geo_dem_ray *ray, const geo_dem *d, double sx, double sy, double hs,
                      double azimuth_rad, double hd);
/* Advances by `step` metres; returns the new distance and sets *los. */
double geo_dem_ray_next(geo_dem_ray *ray, double step, int *los);

/* Values of band 1 of a raster at n points given in the working CRS (nearest
 * cell); NAN outside the raster and at nodata. A raster without CRS is an
 * error naming the file unless the working CRS is planar. */
int geo_raster_sample(double *out, geo_ctx *ctx, const char *path, const char *label,
                      const geo_crs *work, const double *wx, const double *wy, size_t n,
                      r5g_err *err);

#endif
