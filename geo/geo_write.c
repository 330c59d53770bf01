/* Output layers: written under a temporary name beside the target, renamed
 * into place by geo_out_commit, so a failed run leaves no half-written plan. */
#include "geo/geo_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_vsi.h>

enum { DISC_VERTICES = 72 };

struct geo_out {
    GDALDriverH drv;
    GDALDatasetH ds;
    char *path, *tmp;
    int planar;
    OGRSpatialReferenceH srs;          /* output CRS; planar: NULL, or undefined Cartesian (GPKG) */
    OGRCoordinateTransformationH ct;   /* working -> output, NULL when planar */
    OGRLayerH lyr;
    char *lyr_name;
    geo_geom_kind kind;
    int nfields;
    geo_ftype *ftypes;
    char **fnames;
    OGRFeatureH feat; /* reused for every row of the current layer */
    int in_tx;
    int committed;
};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int geo_out_open(geo_out **out, geo_ctx *ctx, const char *path, const char *format,
                 const geo_crs *work, const char *t_srs, int overwrite, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_out *o = NULL;
    char *dir = NULL;
    (void)ctx;

    *out = NULL;
    if (!format || !*format)
        format = "GPKG";
    geo_cpl_push(&cpl);
    o = calloc(1, sizeof *o);
    if (!o)
        goto nomem;
    o->planar = !work || work->planar;
    o->path = r5g_strdup(path);
    if (!o->path)
        goto nomem;

    struct stat st;
    if (!overwrite && stat(path, &st) == 0) {
        rc = r5g_err_set(err, R5G_EIO, "%s exists: use --overwrite or choose another -o path",
                         path);
        goto done;
    }
    const char *slash = strrchr(path, '/');
    dir = slash ? r5g_strndup(path, (size_t)(slash - path) + (slash == path)) : r5g_strdup(".");
    if (!dir)
        goto nomem;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': folder '%s' does not exist", path, dir);
        goto done;
    }

    o->drv = GDALGetDriverByName(format);
    if (!o->drv || !GDALGetMetadataItem(o->drv, GDAL_DCAP_VECTOR, NULL)) {
        rc = r5g_err_set(err, R5G_EINPUT, "output format '%s' is not a GDAL vector driver", format);
        goto done;
    }
    if (!GDALGetMetadataItem(o->drv, GDAL_DCAP_CREATE, NULL)) {
        rc = r5g_err_set(err, R5G_EINPUT, "output format '%s': GDAL cannot create it", format);
        goto done;
    }

    /* "dir/.plan.tmp-<pid>.gpkg": hidden, same folder (rename stays atomic),
     * same extension (drivers look at it) */
    const char *base = base_name(path);
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    o->tmp = r5g_asprintf("%.*s.%.*s.tmp-%ld%s", (int)(base - path), path, stem, base, (long)getpid(), dot && dot != base ? dot : "");
    if (!o->tmp)
        goto nomem;
    if (stat(o->tmp, &st) == 0) /* a stale one from an earlier crash with our pid */
        GDALDeleteDataset(o->drv, o->tmp), VSIUnlink(o->tmp);

    if (!o->planar) {
        o->srs = geo_srs_from_user(t_srs && *t_srs ? t_srs : "EPSG:4326");
        if (!o->srs) {
            rc = r5g_err_set(err, R5G_EINPUT, "output crs: '%s' is not a CRS PROJ knows", t_srs);
            goto done;
        }
        o->ct = OCTNewCoordinateTransformation(work->srs, o->srs);
        if (!o->ct) {
            rc = r5g_err_set(err, R5G_EINPUT, "output crs: no transformation from %s to %s: %s",
                             work->name, t_srs ? t_srs : "EPSG:4326",
                             geo_cpl_msg(&cpl, "PROJ refused"));
            goto done;
        }
    }

    if (o->planar && strcmp(GDALGetDriverShortName(o->drv), "GPKG") == 0) {
        /* GeoPackage has no "no CRS" for geometry columns: srs_id -1, the
         * spec's undefined Cartesian SRS, is the honest equivalent (a NULL
         * SRS would become srs_id 0, undefined geographic) */
        o->srs = OSRNewSpatialReference(NULL);
        if (!o->srs || OSRSetFromUserInput(o->srs, "LOCAL_CS[\"Undefined Cartesian SRS\"]") !=
                           OGRERR_NONE) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "cannot build an undefined Cartesian SRS");
            goto done;
        }
    }

    /* a larger SQLite page cache (GPKG, SQLite) keeps big layers from
     * spilling to disk mid-transaction; set for this thread and this call only */
    const char *old_cache = CPLGetThreadLocalConfigOption("OGR_SQLITE_CACHE", NULL);
    char *keep_cache = old_cache ? r5g_strdup(old_cache) : NULL;
    if (!CPLGetConfigOption("OGR_SQLITE_CACHE", NULL))
        CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", "256");
    o->ds = GDALCreate(o->drv, o->tmp, 0, 0, 0, GDT_Unknown, NULL);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", keep_cache);
    free(keep_cache);
    if (!o->ds) {
        rc = r5g_err_set(err, R5G_EIO, "cannot create '%s' (%s): %s", o->tmp, format,
                         geo_cpl_msg(&cpl, "GDAL refused"));
        goto done;
    }
    *out = o;
    o = NULL;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
done:
    geo_cpl_pop(&cpl);
    free(dir);
    geo_out_free(o);
    return rc;
}

/* Ends the current layer: its feature and transaction. */
static int layer_end(geo_out *o, geo_cpl *cpl, r5g_err *err)
{
    int rc = R5G_OK;
    if (o->feat) {
        OGR_F_Destroy(o->feat);
        o->feat = NULL;
    }
    if (o->in_tx) {
        o->in_tx = 0;
        if (GDALDatasetCommitTransaction(o->ds) != OGRERR_NONE)
            rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': commit failed: %s", o->path,
                             o->lyr_name, geo_cpl_msg(cpl, "GDAL refused"));
    }
    for (int k = 0; k < o->nfields; k++)
        free(o->fnames[k]);
    free(o->fnames);
    free(o->ftypes);
    free(o->lyr_name);
    o->fnames = NULL;
    o->ftypes = NULL;
    o->lyr_name = NULL;
    o->nfields = 0;
    o->lyr = NULL;
    return rc;
}

int geo_out_layer(geo_out *o, const char *name, geo_geom_kind kind, const geo_fdef *fields,
                  int nfields, r5g_err *err)
{
    int rc;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    if ((rc = layer_end(o, &cpl, err)))
        goto done;
    OGRwkbGeometryType gt = kind == GEO_GEOM_POINT     ? wkbPoint
                            : kind == GEO_GEOM_POLYGON ? wkbPolygon
                                                       : wkbNone;
    o->lyr = GDALDatasetCreateLayer(o->ds, name, gt == wkbNone ? NULL : o->srs, gt, NULL);
    if (!o->lyr) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot create layer '%s': %s", o->path, name,
                         geo_cpl_msg(&cpl, "GDAL refused"));
        goto done;
    }
    o->kind = kind;
    o->lyr_name = r5g_strdup(name);
    o->ftypes = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *o->ftypes);
    o->fnames = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *o->fnames);
    if (!o->lyr_name || !o->ftypes || !o->fnames) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < nfields; k++) {
        OGRFieldType ft = fields[k].type == GEO_FT_INT    ? OFTInteger64
                          : fields[k].type == GEO_FT_REAL ? OFTReal
                          : fields[k].type == GEO_FT_DATE ? OFTDate
                                                          : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(fields[k].name, ft);
        OGRErr e = OGR_L_CreateField(o->lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': cannot create field '%s': %s",
                             o->path, name, fields[k].name, geo_cpl_msg(&cpl, "GDAL refused"));
            goto done;
        }
        o->ftypes[k] = fields[k].type;
        o->fnames[k] = r5g_strdup(fields[k].name);
        o->nfields = k + 1;
        if (!o->fnames[k]) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            goto done;
        }
    }
    o->feat = OGR_F_Create(OGR_L_GetLayerDefn(o->lyr));
    if (!o->feat) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    OGRErr te = GDALDatasetStartTransaction(o->ds, FALSE);
    if (te == OGRERR_NONE)
        o->in_tx = 1;
    else if (te != OGRERR_UNSUPPORTED_OPERATION) {
        rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': cannot start a transaction: %s", o->path,
                         name, geo_cpl_msg(&cpl, "GDAL refused"));
        goto done;
    }
    CPLErrorReset(); /* an unsupported transaction is not a failure */
done:
    geo_cpl_pop(&cpl);
    return rc;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3)
        return -1;
    if (*m < 1 || *m > 12 || *d < 1 || *d > 31)
        return -1;
    return 0;
}

/* Sets the attributes, attaches g (taken, may be NULL) and writes the row. */
static int write_feature(geo_out *o, const geo_val *vals, OGRGeometryH g, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    if (!o->lyr || !o->feat) {
        if (g)
            OGR_G_DestroyGeometry(g);
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: no current layer", o->path);
        goto done;
    }
    OGRFeatureH f = o->feat;
    OGR_F_SetFID(f, OGRNullFID);
    for (int k = 0; k < o->nfields; k++) {
        const geo_val *v = &vals[k];
        if (v->null) {
            OGR_F_SetFieldNull(f, k);
            continue;
        }
        switch (o->ftypes[k]) {
        case GEO_FT_INT:
            OGR_F_SetFieldInteger64(f, k, (GIntBig)v->i);
            break;
        case GEO_FT_REAL:
            if (isnan(v->d))
                OGR_F_SetFieldNull(f, k);
            else
                OGR_F_SetFieldDouble(f, k, v->d);
            break;
        case GEO_FT_STR:
            if (v->s)
                OGR_F_SetFieldString(f, k, v->s);
            else
                OGR_F_SetFieldNull(f, k);
            break;
        case GEO_FT_DATE: {
            int y, m, d;
            if (!v->s) {
                OGR_F_SetFieldNull(f, k);
                break;
            }
            if (parse_date(v->s, &y, &m, &d)) {
                if (g)
                    OGR_G_DestroyGeometry(g);
                rc = r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s': %s '%s' is not a date "
                                 "(YYYY-MM-DD)", o->path, o->lyr_name, o->fnames[k], v->s);
                goto done;
            }
            OGR_F_SetFieldDateTime(f, k, y, m, d, 0, 0, 0, 0);
            break;
        }
        }
    }
    OGR_F_SetGeometryDirectly(f, g); /* NULL clears the previous row's */
    if (OGR_L_CreateFeature(o->lyr, f) != OGRERR_NONE)
        rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': cannot write a feature: %s", o->path,
                         o->lyr_name, geo_cpl_msg(&cpl, "GDAL refused"));
done:
    geo_cpl_pop(&cpl);
    return rc;
}

static int to_out(geo_out *o, double *x, double *y, int n, r5g_err *err)
{
    if (!o->ct)
        return R5G_OK;
    int *ok = malloc((size_t)n * sizeof *ok);
    if (!ok)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    int rc = R5G_OK;
    double x0 = x[0], y0 = y[0];
    OCTTransformEx(o->ct, n, x, y, NULL, ok);
    for (int i = 0; i < n; i++)
        if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i])) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s': point (%.3f, %.3f) cannot be "
                             "transformed to the output CRS", o->path, o->lyr_name, x0, y0);
            break;
        }
    free(ok);
    return rc;
}

int geo_out_point(geo_out *o, const geo_val *vals, double wx, double wy, r5g_err *err)
{
    if (o->kind != GEO_GEOM_POINT)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' is not a point layer", o->path,
                           o->lyr_name ? o->lyr_name : "?");
    double x = wx, y = wy;
    int rc = to_out(o, &x, &y, 1, err);
    if (rc)
        return rc;
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    if (!g)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    OGR_G_SetPoint_2D(g, 0, x, y);
    return write_feature(o, vals, g, err);
}

int geo_out_disc(geo_out *o, const geo_val *vals, double wx, double wy, double radius_m,
                 r5g_err *err)
{
    if (o->kind != GEO_GEOM_POLYGON)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' is not a polygon layer", o->path,
                           o->lyr_name ? o->lyr_name : "?");
    if (!(radius_m >= 0) || !isfinite(radius_m))
        return r5g_err_set(err, R5G_EINPUT, "%s: layer '%s': disc radius %g is not valid",
                           o->path, o->lyr_name, radius_m);
    double x[DISC_VERTICES + 1], y[DISC_VERTICES + 1];
    for (int k = 0; k < DISC_VERTICES; k++) {
        double a = 2.0 * M_PI * k / DISC_VERTICES;
        x[k] = wx + radius_m * cos(a);
        y[k] = wy + radius_m * sin(a);
    }
    int rc = to_out(o, x, y, DISC_VERTICES, err);
    if (rc)
        return rc;
    x[DISC_VERTICES] = x[0]; /* closed exactly */
    y[DISC_VERTICES] = y[0];
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    if (!ring || !poly) {
        if (ring)
            OGR_G_DestroyGeometry(ring);
        if (poly)
            OGR_G_DestroyGeometry(poly);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    OGR_G_SetPoints(ring, DISC_VERTICES + 1, x, sizeof(double), y, sizeof(double), NULL, 0);
    OGR_G_AddGeometryDirectly(poly, ring);
    return write_feature(o, vals, poly, err);
}

int geo_out_polygon(geo_out *o, const geo_val *vals, const double *wx, const double *wy, int n,
                    r5g_err *err)
{
    if (o->kind != GEO_GEOM_POLYGON)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' is not a polygon layer", o->path,
                           o->lyr_name ? o->lyr_name : "?");
    if (n < 3)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s': a polygon needs 3 vertices, got %d",
                           o->path, o->lyr_name, n);
    double *x = malloc(((size_t)n + 1) * sizeof *x), *y = malloc(((size_t)n + 1) * sizeof *y);
    OGRGeometryH ring = NULL, poly = NULL;
    int rc = R5G_OK;
    if (!x || !y)
        goto nomem;
    memcpy(x, wx, (size_t)n * sizeof *x);
    memcpy(y, wy, (size_t)n * sizeof *y);
    if ((rc = to_out(o, x, y, n, err)))
        goto done;
    x[n] = x[0]; /* closed exactly */
    y[n] = y[0];
    ring = OGR_G_CreateGeometry(wkbLinearRing);
    poly = OGR_G_CreateGeometry(wkbPolygon);
    if (!ring || !poly)
        goto nomem;
    OGR_G_SetPoints(ring, n + 1, x, sizeof(double), y, sizeof(double), NULL, 0);
    OGR_G_AddGeometryDirectly(poly, ring);
    ring = NULL;
    rc = write_feature(o, vals, poly, err);
    poly = NULL;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
done:
    if (ring)
        OGR_G_DestroyGeometry(ring);
    if (poly)
        OGR_G_DestroyGeometry(poly);
    free(x);
    free(y);
    return rc;
}

int geo_out_table_geom(geo_out *o, const geo_val *vals, const geo_table *t, size_t i,
                       r5g_err *err)
{
    if (o->kind == GEO_GEOM_NONE)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' has no geometry", o->path,
                           o->lyr_name ? o->lyr_name : "?");
    if (!t->geom_work || i >= t->n || !t->geom_work[i])
        return r5g_err_set(err, R5G_EINTERNAL, "%s row %zu: no kept geometry (read with "
                           "GEO_READ_KEEP_GEOMETRY and project first)", t->name, i);
    OGRGeometryH g = OGR_G_Clone(t->geom_work[i]);
    if (!g)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if (o->kind == GEO_GEOM_POLYGON && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPolygon &&
        OGR_G_GetGeometryCount(g) == 1) {
        OGRGeometryH p = OGR_G_Clone(OGR_G_GetGeometryRef(g, 0));
        OGR_G_DestroyGeometry(g);
        if (!p)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        g = p;
    }
    if (o->ct) {
        geo_cpl cpl;
        geo_cpl_push(&cpl);
        OGRErr e = OGR_G_Transform(g, o->ct);
        geo_cpl_pop(&cpl);
        if (e != OGRERR_NONE) {
            OGR_G_DestroyGeometry(g);
            return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: cannot be transformed to the "
                               "output CRS: %s", t->name, t->fid[i],
                               geo_cpl_msg(&cpl, "PROJ failed"));
        }
    }
    return write_feature(o, vals, g, err);
}

int geo_out_row(geo_out *o, const geo_val *vals, r5g_err *err)
{
    return write_feature(o, vals, NULL, err);
}

int geo_out_commit(geo_out *o, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    if (!o->ds) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: output already closed", o->path);
        goto done;
    }
    if ((rc = layer_end(o, &cpl, err)))
        goto done;
    int before = cpl.nfail;
    GDALClose(o->ds);
    o->ds = NULL;
    if (cpl.nfail > before) {
        rc = r5g_err_set(err, R5G_EIO, "%s: writing failed on close: %s", o->path,
                         geo_cpl_msg(&cpl, "GDAL error"));
        goto done;
    }
    if (rename(o->tmp, o->path) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
                         strerror(errno));
        goto done;
    }
    o->committed = 1;
done:
    geo_cpl_pop(&cpl);
    return rc;
}

void geo_out_free(geo_out *o)
{
    if (!o)
        return;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    if (o->feat)
        OGR_F_Destroy(o->feat);
    o->feat = NULL;
    if (o->ds) {
        if (o->in_tx)
            GDALDatasetRollbackTransaction(o->ds);
        GDALClose(o->ds);
    }
    if (!o->committed && o->tmp) {
        struct stat st;
        if (stat(o->tmp, &st) == 0) {
            if (!o->drv || GDALDeleteDataset(o->drv, o->tmp) != CE_None)
                VSIUnlink(o->tmp);
            if (stat(o->tmp, &st) == 0 && S_ISDIR(st.st_mode))
                VSIRmdirRecursive(o->tmp);
        }
    }
    geo_cpl_pop(&cpl);
    for (int k = 0; k < o->nfields; k++)
        free(o->fnames[k]);
    free(o->fnames);
    free(o->ftypes);
    free(o->lyr_name);
    if (o->ct)
        OCTDestroyCoordinateTransformation(o->ct);
    if (o->srs)
        OSRDestroySpatialReference(o->srs);
    free(o->path);
    free(o->tmp);
    free(o);
}
