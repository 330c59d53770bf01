/* geo views: points between working CRSs, polygon rings for drawing. */
#include "geo/geo_int.h"
#include "geo/geo_view.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int geo_crs_same(const geo_crs *a, const geo_crs *b)
{
    if (a->planar || b->planar)
        return a->planar == b->planar;
    return OSRIsSame(a->srs, b->srs) != 0;
}

int geo_crs_transform(const geo_crs *from, const geo_crs *to, const double *x, const double *y,
                      double *ox, double *oy, size_t n, r5g_err *err)
{
    if (from->planar != to->planar)
        return r5g_err_set(err, R5G_EINPUT, "a planar plan (no CRS) and a plan in %s cannot be "
                           "compared: their coordinates do not meet",
                           from->planar ? to->name : from->name);
    if (x != ox)
        memmove(ox, x, n * sizeof *ox);
    if (y != oy)
        memmove(oy, y, n * sizeof *oy);
    if (from->planar || n == 0 || geo_crs_same(from, to))
        return R5G_OK;
    if (n > INT32_MAX)
        return r5g_err_set(err, R5G_EINPUT, "too many points to transform (%zu)", n);
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(from->srs, to->srs);
    int *ok = malloc(n * sizeof *ok);
    if (!ct) {
        rc = r5g_err_set(err, R5G_EINPUT, "no transformation from %s to %s: %s", from->name, to->name,
                         geo_cpl_msg(&cpl, "PROJ refused"));
        goto done;
    }
    if (!ok) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    if (!OCTTransformEx(ct, (int)n, ox, oy, NULL, ok)) {
        rc = r5g_err_set(err, R5G_EINPUT, "cannot transform points from %s to %s: %s", from->name,
                         to->name, geo_cpl_msg(&cpl, "PROJ failed"));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!ok[i]) {
            rc = r5g_err_set(err, R5G_EINPUT, "point %zu (%.3f, %.3f) cannot be transformed from %s to %s",
                             i + 1, x[i], y[i], from->name, to->name);
            goto done;
        }
done:
    free(ok);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    geo_cpl_pop(&cpl);
    return rc;
}

int geo_table_rings(const geo_table *t, size_t i, geo_rings *out, r5g_err *err)
{
    memset(out, 0, sizeof *out);
    if (!t->geom || !t->projected || !t->poly || i >= t->n)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: geo_table_rings needs a table read with "
                           "GEO_READ_KEEP_GEOMETRY and projected", t->name);
    const geo_poly *p = &t->poly[i];
    out->n = p->nrings;
    out->ptr = p->ring_ptr;
    out->x = p->px;
    out->y = p->py;
    return R5G_OK;
}
