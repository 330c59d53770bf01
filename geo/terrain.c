/* DEM in the working CRS (resampled once, kept in memory), line of sight by
 * terrain profile, radial sweeps, and point sampling of class rasters.
 *
 * The DEM is resampled by hand rather than with a warped VRT: each node of a
 * north-up grid in the working CRS is transformed into the raster's CRS (one
 * bulk PROJ call per grid row) and read bilinearly from the raster window,
 * so "outside the raster" and nodata stay NAN, whatever the raster type. */
#include "geo/geo_int.h"
#include "geo/terrain.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_R_M 6371000.0
#define DEM_MAX_NODES ((size_t)40 * 1000 * 1000)

struct geo_dem {
    double x0, y0;  /* grid origin: node (0, 0) at (x0, y0), rows go north */
    double step;    /* metres between nodes */
    size_t nx, ny;
    float *z;       /* [ny * nx], NAN unknown */
    size_t known;
};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Opens a raster and the transformation working CRS -> raster CRS (NULL for
 * planar). Errors name the file. */
static int open_raster(GDALDatasetH *ds_out, OGRCoordinateTransformationH *ct_out, double gt[6],
                       double inv[6], const char *path, const char *label, const geo_crs *work,
                       geo_cpl *cpl, r5g_err *err)
{
    *ds_out = NULL;
    *ct_out = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    if (!ds)
        return r5g_err_set(err, R5G_EIO, "%s: cannot open '%s': %s", label, path,
                           geo_cpl_msg(cpl, "not a raster GDAL can read"));
    int rc = R5G_OK;
    OGRSpatialReferenceH rs = NULL;
    if (GDALGetRasterCount(ds) < 1) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: %s has no raster band", label, base_name(path));
        goto fail;
    }
    if (GDALGetGeoTransform(ds, gt) != CE_None || !GDALInvGeoTransform(gt, inv)) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: %s has no georeferencing (geotransform)", label,
                         base_name(path));
        goto fail;
    }
    const char *wkt = GDALGetProjectionRef(ds);
    if (!work->planar) {
        if (!wkt || !*wkt) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: %s has no CRS: assign one (e.g. gdal_edit.py "
                             "-a_srs EPSG:4326 %s)", label, base_name(path), base_name(path));
            goto fail;
        }
        rs = OSRNewSpatialReference(wkt);
        if (!rs) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: %s: PROJ does not understand its CRS", label,
                             base_name(path));
            goto fail;
        }
        OSRSetAxisMappingStrategy(rs, OAMS_TRADITIONAL_GIS_ORDER);
        *ct_out = OCTNewCoordinateTransformation(work->srs, rs);
        OSRDestroySpatialReference(rs);
        if (!*ct_out) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: %s: no transformation from %s to its CRS: %s",
                             label, base_name(path), work->name, geo_cpl_msg(cpl, "PROJ refused"));
            goto fail;
        }
    }
    *ds_out = ds;
    return R5G_OK;
fail:
    GDALClose(ds);
    return rc;
}

/* Working -> raster pixel coordinates, in place (x, y become column, row). */
static void to_pixel(OGRCoordinateTransformationH ct, const double inv[6], double *x, double *y,
                     int *ok, int n)
{
    if (ct)
        OCTTransformEx(ct, n, x, y, NULL, ok);
    else
        for (int i = 0; i < n; i++)
            ok[i] = 1;
    for (int i = 0; i < n; i++) {
        if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i])) {
            x[i] = y[i] = NAN;
            continue;
        }
        double px = inv[0] + inv[1] * x[i] + inv[2] * y[i];
        double py = inv[3] + inv[4] * x[i] + inv[5] * y[i];
        x[i] = px;
        y[i] = py;
    }
}

int geo_dem_open(geo_dem **out, geo_ctx *ctx, const char *path, const char *label,
                 const geo_crs *work, double x0, double y0, double x1, double y1, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    GDALDatasetH ds = NULL;
    OGRCoordinateTransformationH ct = NULL;
    geo_dem *d = NULL;
    float *src = NULL;
    double *rx = NULL, *ry = NULL;
    int *ok = NULL;
    double gt[6], inv[6];
    (void)ctx;

    *out = NULL;
    geo_cpl_push(&cpl);
    if ((rc = open_raster(&ds, &ct, gt, inv, path, label, work, &cpl, err)))
        goto done;
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int W = GDALGetRasterXSize(ds), H = GDALGetRasterYSize(ds);
    int has_nd = 0;
    double nd = GDALGetRasterNoDataValue(band, &has_nd);

    if (!(x0 <= x1 && y0 <= y1)) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: empty window", label);
        goto done;
    }
    /* Source window: the pixel box of a 21 x 21 sample of the working window. */
    enum { NS = 21 };
    double sxs[NS * NS], sys[NS * NS];
    int oks[NS * NS];
    for (int a = 0; a < NS; a++)
        for (int b = 0; b < NS; b++) {
            sxs[a * NS + b] = x0 + (x1 - x0) * b / (NS - 1);
            sys[a * NS + b] = y0 + (y1 - y0) * a / (NS - 1);
        }
    to_pixel(ct, inv, sxs, sys, oks, NS * NS);
    double pc0 = INFINITY, pc1 = -INFINITY, pr0 = INFINITY, pr1 = -INFINITY;
    for (int k = 0; k < NS * NS; k++) {
        if (isnan(sxs[k]))
            continue;
        pc0 = fmin(pc0, sxs[k]);
        pc1 = fmax(pc1, sxs[k]);
        pr0 = fmin(pr0, sys[k]);
        pr1 = fmax(pr1, sys[k]);
    }
    /* Resolution in metres: one source pixel at the window centre, mapped back. */
    double step = 0;
    {
        double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
        double px[3] = {cx, cx + 1, cx}, py[3] = {cy, cy, cy + 1};
        int ok3[3];
        to_pixel(ct, inv, px, py, ok3, 3);
        /* pixels per metre along x and y of the working CRS */
        double ppm_x = hypot(px[1] - px[0], py[1] - py[0]);
        double ppm_y = hypot(px[2] - px[0], py[2] - py[0]);
        double ppm = fmax(ppm_x, ppm_y);
        step = ppm > 0 && isfinite(ppm) ? 1.0 / ppm : 30.0;
    }
    if (step < 1.0)
        step = 1.0;
    d = calloc(1, sizeof *d);
    if (!d)
        goto nomem;
    for (;;) {
        d->nx = (size_t)ceil((x1 - x0) / step) + 1;
        d->ny = (size_t)ceil((y1 - y0) / step) + 1;
        if (d->nx * d->ny <= DEM_MAX_NODES)
            break;
        step *= 1.5;
    }
    d->x0 = x0;
    d->y0 = y0;
    d->step = step;
    d->z = malloc(d->nx * d->ny * sizeof *d->z);
    if (!d->z)
        goto nomem;
    for (size_t k = 0; k < d->nx * d->ny; k++)
        d->z[k] = NAN;

    int c0 = (int)fmax(floor(pc0) - 1, 0), c1 = (int)fmin(ceil(pc1) + 1, W - 1);
    int r0 = (int)fmax(floor(pr0) - 1, 0), r1 = (int)fmin(ceil(pr1) + 1, H - 1);
    if (!(pc0 <= pc1) || c0 > c1 || r0 > r1) {
        r5g_log(R5G_LOG_WARN, "%s: %s does not cover the area of the inputs: no terrain is used",
                label, base_name(path));
        goto ok;
    }
    int sw = c1 - c0 + 1, sh = r1 - r0 + 1;
    if ((size_t)sw * (size_t)sh > (size_t)400 * 1000 * 1000) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: %s: the part covering the inputs is %d x %d cells, "
                         "too large to keep in memory (use a coarser DEM)", label,
                         base_name(path), sw, sh);
        goto done;
    }
    src = malloc((size_t)sw * (size_t)sh * sizeof *src);
    if (!src)
        goto nomem;
    if (GDALRasterIO(band, GF_Read, c0, r0, sw, sh, src, sw, sh, GDT_Float32, 0, 0) != CE_None) {
        rc = r5g_err_set(err, R5G_EIO, "%s: %s: reading failed: %s", label, base_name(path),
                         geo_cpl_msg(&cpl, "GDAL read error"));
        goto done;
    }
    if (has_nd)
        for (size_t k = 0; k < (size_t)sw * (size_t)sh; k++)
            if (src[k] == (float)nd)
                src[k] = NAN;
    rx = malloc(d->nx * sizeof *rx);
    ry = malloc(d->nx * sizeof *ry);
    ok = malloc(d->nx * sizeof *ok);
    if (!rx || !ry || !ok)
        goto nomem;
    for (size_t j = 0; j < d->ny; j++) {
        for (size_t i = 0; i < d->nx; i++) {
            rx[i] = x0 + (double)i * step;
            ry[i] = y0 + (double)j * step;
        }
        to_pixel(ct, inv, rx, ry, ok, (int)d->nx);
        for (size_t i = 0; i < d->nx; i++) {
            /* pixel centres are at +0.5 */
            double fx = rx[i] - 0.5 - c0, fy = ry[i] - 0.5 - r0;
            if (!(fx >= -0.5 && fy >= -0.5 && fx <= sw - 0.5 && fy <= sh - 0.5))
                continue;
            fx = fmin(fmax(fx, 0), sw - 1);
            fy = fmin(fmax(fy, 0), sh - 1);
            int ix = (int)fx, iy = (int)fy;
            int ix1 = ix + 1 < sw ? ix + 1 : ix, iy1 = iy + 1 < sh ? iy + 1 : iy;
            double tx = fx - ix, ty = fy - iy;
            double a = src[(size_t)iy * sw + ix], b = src[(size_t)iy * sw + ix1];
            double c = src[(size_t)iy1 * sw + ix], e = src[(size_t)iy1 * sw + ix1];
            double z = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * e);
            if (isfinite(z)) {
                d->z[j * d->nx + i] = (float)z;
                d->known++;
            }
        }
    }
ok:
    r5g_log(R5G_LOG_INFO, "%s: %s resampled to a %zu x %zu grid of %.1f m in %s (%.0f%% with terrain)",
            label, base_name(path), d->nx, d->ny, d->step, work->name,
            100.0 * geo_dem_known_share(d));
    *out = d;
    d = NULL;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory reading %s", label, base_name(path));
done:
    free(src);
    free(rx);
    free(ry);
    free(ok);
    geo_dem_free(d);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    return rc;
}

void geo_dem_free(geo_dem *d)
{
    if (!d)
        return;
    free(d->z);
    free(d);
}

double geo_dem_step(const geo_dem *d) { return d->step; }

double geo_dem_known_share(const geo_dem *d)
{
    size_t n = d->nx * d->ny;
    return n ? (double)d->known / (double)n : 0.0;
}

double geo_dem_height(const geo_dem *d, double x, double y)
{
    double fx = (x - d->x0) / d->step, fy = (y - d->y0) / d->step;
    if (!(fx >= 0 && fy >= 0 && fx <= (double)(d->nx - 1) && fy <= (double)(d->ny - 1)))
        return NAN;
    size_t ix = (size_t)fx, iy = (size_t)fy;
    size_t ix1 = ix + 1 < d->nx ? ix + 1 : ix, iy1 = iy + 1 < d->ny ? iy + 1 : iy;
    double tx = fx - (double)ix, ty = fy - (double)iy;
    const float *z = d->z;
    double a = z[iy * d->nx + ix], b = z[iy * d->nx + ix1];
    double c = z[iy1 * d->nx + ix], e = z[iy1 * d->nx + ix1];
    return (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * e);
}

static double drop(double r) { return r * r / (2.0 * GEO_DEM_K_FACTOR * EARTH_R_M); }

int geo_dem_los(const geo_dem *d, double sx, double sy, double hs, double dx, double dy,
                double hd)
{
    double gs = geo_dem_height(d, sx, sy), gd = geo_dem_height(d, dx, dy);
    if (isnan(gs) || isnan(gd))
        return -1;
    double len = hypot(dx - sx, dy - sy);
    double zs = gs + hs;
    if (len <= d->step)
        return 1;
    /* target slope from the antenna, with the curvature drop */
    double t_slope = (gd + hd - drop(len) - zs) / len;
    int m = (int)(len / d->step);
    for (int k = 1; k < m + 1; k++) {
        double r = k * d->step;
        if (r >= len)
            break;
        double f = r / len;
        double z = geo_dem_height(d, sx + f * (dx - sx), sy + f * (dy - sy));
        if (isnan(z))
            continue;
        if ((z - drop(r) - zs) / r > t_slope)
            return 0;
    }
    return 1;
}

void geo_dem_ray_init(geo_dem_ray *ray, const geo_dem *d, double sx, double sy, double hs,
                      double azimuth_rad, double hd)
{
    ray->d = d;
    ray->sx = sx;
    ray->sy = sy;
    ray->zs = geo_dem_height(d, sx, sy) + hs; /* NAN when unknown */
    ray->ux = sin(azimuth_rad);
    ray->uy = cos(azimuth_rad);
    ray->hd = hd;
    ray->max_slope = -INFINITY;
    ray->r = 0;
}

double geo_dem_ray_next(geo_dem_ray *ray, double step, int *los)
{
    ray->r += step;
    double r = ray->r;
    double z = geo_dem_height(ray->d, ray->sx + r * ray->ux, ray->sy + r * ray->uy);
    if (isnan(ray->zs) || isnan(z)) {
        *los = -1;
        return r;
    }
    double t_slope = (z + ray->hd - drop(r) - ray->zs) / r;
    *los = t_slope >= ray->max_slope;
    double g_slope = (z - drop(r) - ray->zs) / r;
    if (g_slope > ray->max_slope)
        ray->max_slope = g_slope;
    return r;
}

int geo_raster_sample(double *out, geo_ctx *ctx, const char *path, const char *label,
                      const geo_crs *work, const double *wx, const double *wy, size_t n,
                      r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    GDALDatasetH ds = NULL;
    OGRCoordinateTransformationH ct = NULL;
    double *px = NULL, *py = NULL;
    int *ok = NULL;
    double gt[6], inv[6];
    (void)ctx;

    geo_cpl_push(&cpl);
    if ((rc = open_raster(&ds, &ct, gt, inv, path, label, work, &cpl, err)))
        goto done;
    if (n > INT32_MAX) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: too many points to sample", label);
        goto done;
    }
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int W = GDALGetRasterXSize(ds), H = GDALGetRasterYSize(ds);
    int has_nd = 0;
    double nd = GDALGetRasterNoDataValue(band, &has_nd);
    px = malloc((n ? n : 1) * sizeof *px);
    py = malloc((n ? n : 1) * sizeof *py);
    ok = malloc((n ? n : 1) * sizeof *ok);
    if (!px || !py || !ok) {
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", label);
        goto done;
    }
    memcpy(px, wx, n * sizeof *px);
    memcpy(py, wy, n * sizeof *py);
    to_pixel(ct, inv, px, py, ok, (int)n);
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
        if (!(px[i] >= 0 && py[i] >= 0 && px[i] < W && py[i] < H))
            continue;
        double v;
        if (GDALRasterIO(band, GF_Read, (int)px[i], (int)py[i], 1, 1, &v, 1, 1, GDT_Float64, 0,
                         0) != CE_None) {
            rc = r5g_err_set(err, R5G_EIO, "%s: %s: reading failed: %s", label, base_name(path),
                             geo_cpl_msg(&cpl, "GDAL read error"));
            goto done;
        }
        if (!(has_nd && v == nd) && isfinite(v))
            out[i] = v;
    }
done:
    free(px);
    free(py);
    free(ok);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    return rc;
}
