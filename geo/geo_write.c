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
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <dirent.h>

#include "common/cleanup.h"

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
    /* one file per layer (drivers without DCAP_MULTIPLE_VECTOR_LAYERS): tmp
     * and path are folders; ds is the current layer's dataset */
    int folder;
    char *ext;            /* "geojson"; "" when the driver names none */
    int cleanup_slot;     /* r5g_cleanup slot of tmp, -1 when none */
    OGRLayerH styles;     /* GPKG layer_styles, once created */
    int max_field_name;   /* 10 for ESRI Shapefile, 0 = no limit */
    int *fidx;            /* [nfields] OGR field index of each field (KML adds its own first) */
    GDALDriverH lyr_drv;  /* driver of the current layer's file (folder mode) */
    char *lyr_path;       /* the current layer's file (folder mode) */
    long long n_written;  /* features written to the current layer */
};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A folder plan may replace an existing path only when that is a file or an
 * earlier plan folder (a plan_meta.* file, no sub-folder): never a folder of
 * someone's own files. */
static int replaceable_folder(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int meta = 0, subdir = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (!strncmp(e->d_name, "plan_meta.", 10))
            meta = 1;
        char *p = r5g_asprintf("%s/%s", path, e->d_name);
        struct stat st;
        if (!p || lstat(p, &st) != 0 || S_ISDIR(st.st_mode))
            subdir = 1;
        free(p);
    }
    closedir(d);
    return meta && !subdir;
}

static int prepare_folder_mode(geo_out *o, const char *path, int overwrite, r5g_err *err)
{
    const char *shortname = GDALGetDriverShortName(o->drv);
    o->folder = !GDALGetMetadataItem(o->drv, GDAL_DCAP_MULTIPLE_VECTOR_LAYERS, NULL);
    o->max_field_name = strcmp(shortname, "ESRI Shapefile") == 0 ? 10 : 0;
    const char *ext = GDALGetMetadataItem(o->drv, GDAL_DMD_EXTENSION, NULL);
    char *exts = NULL;
    if (!ext || !*ext) { /* GeoJSON: "json geojson": the last is the specific one */
        const char *all = GDALGetMetadataItem(o->drv, GDAL_DMD_EXTENSIONS, NULL);
        const char *sp = all ? strrchr(all, ' ') : NULL;
        ext = sp ? sp + 1 : all ? all : "";
    }
    exts = r5g_strdup(ext);
    if (!exts)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    o->ext = exts;
    struct stat st;
    if (overwrite && stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode) && (!o->folder || !replaceable_folder(path)))
            return r5g_err_set(err, R5G_EIO, "%s is a folder that does not hold an earlier plan: "
                               "not replacing it (choose another -o path)", path);
    }
    return R5G_OK;
}

/* Folder mode: the dataset of one layer, TMP/NAME.EXT. FlatGeobuf drops
 * features without geometry, so its attribute tables are written as CSV. */
static int open_layer_file(geo_out *o, const char *name, int table, geo_cpl *cpl, r5g_err *err)
{
    o->lyr_drv = o->drv;
    const char *ext = o->ext;
    if (table && !strcmp(GDALGetDriverShortName(o->drv), "FlatGeobuf") && GDALGetDriverByName("CSV")) {
        o->lyr_drv = GDALGetDriverByName("CSV");
        ext = "csv";
    }
    char *p = r5g_asprintf("%s/%s%s%s", o->tmp, name, *ext ? "." : "", ext);
    if (!p)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    o->ds = GDALCreate(o->lyr_drv, p, 0, 0, 0, GDT_Unknown, NULL);
    int rc = o->ds ? R5G_OK
                   : r5g_err_set(err, R5G_EIO, "cannot create '%s' (%s): %s", p,
                                 GDALGetDriverShortName(o->drv), geo_cpl_msg(cpl, "GDAL refused"));
    free(o->lyr_path);
    o->lyr_path = p;
    return rc;
}

/* Some drivers (GeoJSON, CSV) do not report failed writes (a full disk):
 * the closed file is read back and must hold every feature written. */
static int verify_layer_file(geo_out *o, geo_cpl *cpl, r5g_err *err)
{
    const char *drivers[2] = {GDALGetDriverShortName(o->lyr_drv), NULL};
    GDALDatasetH ds = GDALOpenEx(o->lyr_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    size_t len = strlen(o->lyr_path);
    if (!ds && len > 4 && !strcmp(o->lyr_path + len - 4, ".shp")) {
        /* a Shapefile table is a .dbf alone */
        char *dbf = r5g_asprintf("%.*s.dbf", (int)(len - 4), o->lyr_path);
        if (dbf)
            ds = GDALOpenEx(dbf, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
        free(dbf);
        CPLErrorReset();
    }
    OGRLayerH L = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    long long n = L ? (long long)OGR_L_GetFeatureCount(L, TRUE) : -1;
    if (ds)
        GDALClose(ds);
    if (n == o->n_written)
        return R5G_OK;
    return r5g_err_set(err, R5G_EIO, "%s: layer '%s': the written file is incomplete (%lld of %lld "
                       "features read back; disk full?): %s", o->path, o->lyr_name, n < 0 ? 0 : n,
                       o->n_written, geo_cpl_msg(cpl, "no GDAL message"));
}

/* Layer creation options that keep attributes intact: UTF-8 .dbf (with a
 * .cpg) for Shapefile, WKT geometry and a .csvt type file for CSV. */
static char **layer_options(const geo_out *o, OGRwkbGeometryType gt)
{
    const char *d = GDALGetDriverShortName(o->lyr_drv ? o->lyr_drv : o->drv);
    char **lco = NULL;
    if (!strcmp(d, "ESRI Shapefile"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    else if (!strcmp(d, "CSV")) {
        lco = CSLSetNameValue(lco, "CREATE_CSVT", "YES");
        if (gt != wkbNone)
            lco = CSLSetNameValue(lco, "GEOMETRY", gt == wkbPoint ? "AS_XY" : "AS_WKT");
    }
    return lco;
}

/* Folder mode commit: tmp replaces path (an earlier plan folder or a file is
 * moved aside first and removed after the rename). */
static int commit_folder(geo_out *o, r5g_err *err)
{
    struct stat st;
    char *old = NULL;
    if (stat(o->path, &st) == 0) {
        old = r5g_asprintf("%s.old-%ld", o->tmp, (long)getpid());
        if (!old)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        if (rename(o->path, old) != 0) {
            int e = errno;
            free(old);
            return r5g_err_set(err, R5G_EIO, "cannot move the earlier '%s' aside: %s", o->path,
                               strerror(e));
        }
    }
    if (rename(o->tmp, o->path) != 0) {
        int e = errno;
        if (old)
            (void)rename(old, o->path);
        free(old);
        return r5g_err_set(err, R5G_EIO, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
                           strerror(e));
    }
    o->committed = 1;
    r5g_cleanup_drop(o->cleanup_slot);
    o->cleanup_slot = -1;
    if (old) {
        if (stat(old, &st) == 0 && S_ISDIR(st.st_mode))
            VSIRmdirRecursive(old);
        else
            unlink(old);
    }
    free(old);
    return R5G_OK;
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
    o->cleanup_slot = -1;
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
    if ((rc = prepare_folder_mode(o, path, overwrite, err)))
        goto done;

    /* "dir/.plan.tmp-<pid>.gpkg": hidden, same folder (rename stays atomic),
     * same extension (drivers look at it) */
    const char *base = base_name(path);
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    o->tmp = r5g_asprintf("%.*s.%.*s.tmp-%ld%s", (int)(base - path), path, stem, base, (long)getpid(), dot && dot != base && !o->folder ? dot : "");
    if (!o->tmp)
        goto nomem;
    if (stat(o->tmp, &st) == 0 && S_ISDIR(st.st_mode)) /* stale, from a crash with our pid */
        VSIRmdirRecursive(o->tmp);
    else if (stat(o->tmp, &st) == 0)
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
    o->cleanup_slot = r5g_cleanup_add(o->tmp, o->folder);
    if (o->folder)
        (void)mkdir(o->tmp, 0777); /* checked below */
    else
        o->ds = GDALCreate(o->drv, o->tmp, 0, 0, 0, GDT_Unknown, NULL);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", keep_cache);
    free(keep_cache);
    if (o->folder && stat(o->tmp, &st) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "cannot create folder '%s': %s", o->tmp, strerror(errno));
        goto done;
    }
    if (!o->folder && !o->ds) {
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
    if (o->folder && o->ds) {
        int before = cpl->nfail;
        GDALClose(o->ds);
        o->ds = NULL;
        if (rc == R5G_OK && cpl->nfail > before)
            rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': writing failed on close: %s", o->path,
                             o->lyr_name, geo_cpl_msg(cpl, "GDAL error"));
        if (rc == R5G_OK)
            rc = verify_layer_file(o, cpl, err);
    }
    free(o->lyr_path);
    o->lyr_path = NULL;
    o->n_written = 0;
    for (int k = 0; k < o->nfields; k++)
        free(o->fnames[k]);
    free(o->fnames);
    free(o->ftypes);
    free(o->lyr_name);
    free(o->fidx);
    o->fidx = NULL;
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
                            : kind == GEO_GEOM_MULTIPOLYGON ? wkbMultiPolygon
                            : kind == GEO_GEOM_LINE    ? wkbLineString
                                                       : wkbNone;
    if (o->folder && (rc = open_layer_file(o, name, gt == wkbNone, &cpl, err)))
        goto done;
    char **lco = layer_options(o, gt);
    o->lyr = GDALDatasetCreateLayer(o->ds, name, gt == wkbNone ? NULL : o->srs, gt, lco);
    CSLDestroy(lco);
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
    o->fidx = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *o->fidx);
    if (!o->fidx) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    int nall = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(o->lyr));
    for (int k = 0; k < nfields; k++) {
        int fi = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(o->lyr), fields[k].name);
        o->fidx[k] = fi >= 0 ? fi : nall - nfields + k; /* laundered name: by position */
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
        int fi = o->fidx ? o->fidx[k] : k;
        if (v->null) {
            OGR_F_SetFieldNull(f, fi);
            continue;
        }
        switch (o->ftypes[k]) {
        case GEO_FT_INT:
            OGR_F_SetFieldInteger64(f, fi, (GIntBig)v->i);
            break;
        case GEO_FT_REAL:
            if (isnan(v->d))
                OGR_F_SetFieldNull(f, fi);
            else
                OGR_F_SetFieldDouble(f, fi, v->d);
            break;
        case GEO_FT_STR:
            if (v->s)
                OGR_F_SetFieldString(f, fi, v->s);
            else
                OGR_F_SetFieldNull(f, fi);
            break;
        case GEO_FT_DATE: {
            int y, m, d;
            if (!v->s) {
                OGR_F_SetFieldNull(f, fi);
                break;
            }
            if (parse_date(v->s, &y, &m, &d)) {
                if (g)
                    OGR_G_DestroyGeometry(g);
                rc = r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s': %s '%s' is not a date "
                                 "(YYYY-MM-DD)", o->path, o->lyr_name, o->fnames[k], v->s);
                goto done;
            }
            OGR_F_SetFieldDateTime(f, fi, y, m, d, 0, 0, 0, 0);
            break;
        }
        }
    }
    OGR_F_SetGeometryDirectly(f, g); /* NULL clears the previous row's */
    if (OGR_L_CreateFeature(o->lyr, f) != OGRERR_NONE)
        rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': cannot write a feature: %s", o->path,
                         o->lyr_name, geo_cpl_msg(&cpl, "GDAL refused"));
    else
        o->n_written++;
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
    if (o->kind == GEO_GEOM_MULTIPOLYGON)
        g = OGR_G_ForceToMultiPolygon(g);
    else if (o->kind == GEO_GEOM_POLYGON && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPolygon &&
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
    if (o->committed || (!o->folder && !o->ds)) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: output already closed", o->path);
        goto done;
    }
    if ((rc = layer_end(o, &cpl, err)))
        goto done;
    int before = cpl.nfail;
    if (o->ds)
        GDALClose(o->ds);
    o->ds = NULL;
    if (cpl.nfail > before) {
        rc = r5g_err_set(err, R5G_EIO, "%s: writing failed on close: %s", o->path,
                         geo_cpl_msg(&cpl, "GDAL error"));
        goto done;
    }
    if (o->folder) {
        rc = commit_folder(o, err);
        goto done;
    }
    if (rename(o->tmp, o->path) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
                         strerror(errno));
        goto done;
    }
    o->committed = 1;
    r5g_cleanup_drop(o->cleanup_slot);
    o->cleanup_slot = -1;
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
        if (o->folder && stat(o->tmp, &st) == 0 && S_ISDIR(st.st_mode))
            VSIRmdirRecursive(o->tmp);
        if (stat(o->tmp, &st) == 0) {
            if (!o->drv || GDALDeleteDataset(o->drv, o->tmp) != CE_None)
                VSIUnlink(o->tmp);
            if (stat(o->tmp, &st) == 0 && S_ISDIR(st.st_mode))
                VSIRmdirRecursive(o->tmp);
        }
    }
    geo_cpl_pop(&cpl);
    r5g_cleanup_drop(o->cleanup_slot);
    for (int k = 0; k < o->nfields; k++)
        free(o->fnames[k]);
    free(o->fnames);
    free(o->ftypes);
    free(o->lyr_name);
    free(o->fidx);
    free(o->lyr_path);
    free(o->ext);
    if (o->ct)
        OCTDestroyCoordinateTransformation(o->ct);
    if (o->srs)
        OSRDestroySpatialReference(o->srs);
    free(o->path);
    free(o->tmp);
    free(o);
}

/* ---- additions for the map layers of issue 5 ----------------------------- */

int geo_out_is_folder(const geo_out *o) { return o->folder; }
int geo_out_field_name_max(const geo_out *o) { return o->max_field_name; }
const char *geo_out_format(const geo_out *o) { return GDALGetDriverShortName(o->drv); }

int geo_out_line(geo_out *o, const geo_val *vals, double x0, double y0, double x1, double y1,
                 r5g_err *err)
{
    if (o->kind != GEO_GEOM_LINE)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' is not a line layer", o->path,
                           o->lyr_name ? o->lyr_name : "?");
    double x[2] = {x0, x1}, y[2] = {y0, y1};
    int rc = to_out(o, x, y, 2, err);
    if (rc)
        return rc;
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    if (!g)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    OGR_G_SetPoints(g, 2, x, sizeof(double), y, sizeof(double), NULL, 0);
    return write_feature(o, vals, g, err);
}

static OGRGeometryH disc_geom(double wx, double wy, double r)
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    if (!ring || !poly) {
        if (ring)
            OGR_G_DestroyGeometry(ring);
        if (poly)
            OGR_G_DestroyGeometry(poly);
        return NULL;
    }
    for (int k = 0; k <= DISC_VERTICES; k++) {
        double a = 2.0 * M_PI * (k % DISC_VERTICES) / DISC_VERTICES;
        OGR_G_AddPoint_2D(ring, wx + r * cos(a), wy + r * sin(a));
    }
    OGR_G_AddGeometryDirectly(poly, ring);
    return poly;
}

int geo_out_disc_union(geo_out *o, geo_val *vals, int area_field, const double *wx,
                       const double *wy, const double *radius_m, size_t n, double *area_km2,
                       r5g_err *err)
{
    if (o->kind != GEO_GEOM_MULTIPOLYGON)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s' is not a multipolygon layer",
                           o->path, o->lyr_name ? o->lyr_name : "?");
    if (area_field < 0 || area_field >= o->nfields || o->ftypes[area_field] != GEO_FT_REAL)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s': area field %d is not a real field",
                           o->path, o->lyr_name, area_field);
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPolygon), u = NULL;
    if (!all)
        goto nomem;
    for (size_t k = 0; k < n; k++) {
        if (!(radius_m[k] > 0) || !isfinite(radius_m[k]))
            continue;
        OGRGeometryH d = disc_geom(wx[k], wy[k], radius_m[k]);
        if (!d)
            goto nomem;
        OGR_G_AddGeometryDirectly(all, d);
    }
    double area = 0;
    if (OGR_G_GetGeometryCount(all) > 0) {
        u = OGR_G_UnionCascaded(all);
        if (!u) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "%s: layer '%s': union of %zu discs failed: %s",
                             o->path, o->lyr_name, n, geo_cpl_msg(&cpl, "GEOS refused"));
            goto done;
        }
        area = OGR_G_Area(u) / 1e6; /* working CRS: metres */
        u = OGR_G_ForceToMultiPolygon(u);
        if (o->ct && OGR_G_Transform(u, o->ct) != OGRERR_NONE) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s': the coverage union cannot be "
                             "transformed to the output CRS: %s", o->path, o->lyr_name,
                             geo_cpl_msg(&cpl, "PROJ failed"));
            goto done;
        }
    }
    vals[area_field] = (geo_val){.d = area};
    if (area_km2)
        *area_km2 = area;
    rc = write_feature(o, vals, u, err);
    u = NULL; /* taken */
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
done:
    if (all)
        OGR_G_DestroyGeometry(all);
    if (u)
        OGR_G_DestroyGeometry(u);
    geo_cpl_pop(&cpl);
    return rc;
}

/* The QGIS layer_styles table, created the way QGIS creates it (an OGR
 * attribute layer, so it is registered in gpkg_contents). */
static int styles_table(geo_out *o, geo_cpl *cpl, r5g_err *err)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } f[] = {{"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
             {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
             {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
             {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
             {"description", OFTString, 0},       {"owner", OFTString, 30},
             {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0}};
    if (o->styles)
        return R5G_OK;
    o->styles = GDALDatasetCreateLayer(o->ds, "layer_styles", NULL, wkbNone, NULL);
    if (!o->styles)
        return r5g_err_set(err, R5G_EIO, "%s: cannot create layer_styles: %s", o->path,
                           geo_cpl_msg(cpl, "GDAL refused"));
    for (size_t k = 0; k < sizeof f / sizeof *f; k++) {
        OGRFieldDefnH fd = OGR_Fld_Create(f[k].name, f[k].type);
        if (f[k].width)
            OGR_Fld_SetWidth(fd, f[k].width);
        if (f[k].type == OFTInteger)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (f[k].type == OFTDateTime)
            OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
        OGRErr e = OGR_L_CreateField(o->styles, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return r5g_err_set(err, R5G_EIO, "%s: layer_styles: cannot create field '%s': %s",
                               o->path, f[k].name, geo_cpl_msg(cpl, "GDAL refused"));
    }
    return R5G_OK;
}

static int write_text_file(const char *path, const char *text, r5g_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", path, strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", path, strerror(errno))
               : R5G_OK;
}

int geo_out_style(geo_out *o, const char *layer, const char *qml, const char *sld, r5g_err *err)
{
    int rc;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    if ((rc = layer_end(o, &cpl, err)))
        goto done;
    if (o->folder) {
        char *p = r5g_asprintf("%s/%s.qml", o->tmp, layer);
        rc = p ? write_text_file(p, qml, err) : r5g_err_set(err, R5G_ENOMEM, "out of memory");
        free(p);
        goto done;
    }
    if (strcmp(GDALGetDriverShortName(o->drv), "GPKG") != 0)
        goto done; /* no place for a style in this format */
    OGRLayerH L = GDALDatasetGetLayerByName(o->ds, layer);
    if (!L) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: style for a missing layer '%s'", o->path, layer);
        goto done;
    }
    const char *geom_col = OGR_L_GetGeomType(L) == wkbNone ? "" : OGR_L_GetGeometryColumn(L);
    if ((rc = styles_table(o, &cpl, err)))
        goto done;
    OGRFeatureDefnH fdn = OGR_L_GetLayerDefn(o->styles);
    OGRFeatureH f = OGR_F_Create(fdn);
    if (!f) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "f_table_catalog"), "");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "f_table_schema"), "");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "f_table_name"), layer);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "f_geometry_column"), geom_col ? geom_col : "");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "styleName"), layer);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "styleQML"), qml);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "styleSLD"), sld ? sld : "");
    OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(fdn, "useAsDefault"), 1);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "description"), "rollout5g default style");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(fdn, "owner"), "");
    OGR_F_SetFieldNull(f, OGR_FD_GetFieldIndex(fdn, "ui"));
    if (OGR_L_CreateFeature(o->styles, f) != OGRERR_NONE)
        rc = r5g_err_set(err, R5G_EIO, "%s: layer_styles: cannot write the style of '%s': %s",
                         o->path, layer, geo_cpl_msg(&cpl, "GDAL refused"));
    OGR_F_Destroy(f);
done:
    geo_cpl_pop(&cpl);
    return rc;
}
