/* geo_table_read: one GDAL vector layer into plain arrays (one point per
 * feature, requested attributes as strings). */
#include "geo/geo_int.h"
#include "geo/cn_datum.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Capacities of the per-row arrays of a table being read. */
typedef struct row_caps {
    size_t fid, x, y, off, geom;
} row_caps;

/* Room for `need` rows in every per-row array, each checked against its own
 * capacity: off holds nfields entries per row and outgrows the others. */
static int grow_rows(geo_table *t, row_caps *c, size_t need, int nfields, int keep)
{
    return grow((void **)&t->fid, &c->fid, need, sizeof *t->fid) ||
           grow((void **)&t->x, &c->x, need, sizeof *t->x) ||
           grow((void **)&t->y, &c->y, need, sizeof *t->y) ||
           (nfields > 0 && grow((void **)&t->off, &c->off, need * (size_t)nfields, sizeof *t->off)) ||
           (keep && grow((void **)&t->geom, &c->geom, need, sizeof *t->geom));
}

/* Appends s (or NULL) to the string pool; returns the offset or SIZE_MAX. */
static int pool_add(geo_table *t, const char *s, size_t *off)
{
    if (!s) {
        *off = SIZE_MAX;
        return 0;
    }
    size_t len = strlen(s) + 1;
    if (t->pool_len + len > t->pool_cap) {
        size_t c = t->pool_cap ? t->pool_cap : 4096;
        while (c < t->pool_len + len)
            c *= 2;
        char *q = realloc(t->pool, c);
        if (!q)
            return -1;
        t->pool = q;
        t->pool_cap = c;
    }
    memcpy(t->pool + t->pool_len, s, len);
    *off = t->pool_len;
    t->pool_len += len;
    return 0;
}

/* "layers: a, b, c" for a dataset, written into buf. */
static void list_layers(GDALDatasetH ds, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    int nl = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < nl && n + 1 < cap; i++) {
        const char *nm = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        int w = snprintf(buf + n, cap - n, "%s'%s'", i ? ", " : "", nm ? nm : "?");
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (nl == 0)
        snprintf(buf, cap, "none");
}

/* Message for a missing required field: nearest name, or the field list. */
static int missing_field(r5g_err *err, const geo_table *t, const char *key,
                         const char *field, OGRLayerH lyr)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int nfd = OGR_FD_GetFieldCount(defn);
    const char *best = NULL;
    int bestd = 1 << 30;
    char list[512];
    size_t n = 0;
    list[0] = '\0';
    for (int i = 0; i < nfd; i++) {
        const char *nm = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        int d = r5g_edit_distance(field, nm);
        if (d < bestd) {
            bestd = d;
            best = nm;
        }
        if (n + 1 < sizeof list) {
            int w = snprintf(list + n, sizeof list - n, "%s'%s'", i ? ", " : "", nm);
            if (w > 0)
                n += (size_t)w;
        }
    }
    size_t fl = strlen(field);
    int limit = fl <= 4 ? 2 : (int)(fl / 2);
    const char *lname = OGR_L_GetName(lyr);
    if (best && bestd <= limit)
        return r5g_err_set(err, R5G_EINPUT,
                           "%s: fields.%s: no field '%s' in layer '%s' (did you mean '%s'?)",
                           t->name, key, field, lname, best);
    return r5g_err_set(err, R5G_EINPUT, "%s: fields.%s: no field '%s' in layer '%s' (fields: %s)",
                       t->name, key, field, lname, nfd ? list : "none");
}

/* One point for a feature geometry: points as is, anything else a point on
 * its surface (always inside a polygon). */
static int geom_point(OGRGeometryH g, double *x, double *y)
{
    OGRwkbGeometryType ty = wkbFlatten(OGR_G_GetGeometryType(g));
    if (ty == wkbPoint) {
        *x = OGR_G_GetX(g, 0);
        *y = OGR_G_GetY(g, 0);
        return 0;
    }
    OGRGeometryH p = OGR_G_PointOnSurface(g);
    if (!p || OGR_G_IsEmpty(p)) {
        if (p)
            OGR_G_DestroyGeometry(p);
        p = OGR_G_CreateGeometry(wkbPoint);
        if (!p || OGR_G_Centroid(g, p) != OGRERR_NONE) {
            if (p)
                OGR_G_DestroyGeometry(p);
            return -1;
        }
    }
    *x = OGR_G_GetX(p, 0);
    *y = OGR_G_GetY(p, 0);
    OGR_G_DestroyGeometry(p);
    return 0;
}

/* "GCJ-02", "GCJ02", "BD-09", "BD09" (any case): the Chinese offset datums
 * PROJ does not know. Returns GEO_CN_WGS84 for anything else. */
static geo_cn_datum cn_datum_of(const char *crs)
{
    if (!crs)
        return GEO_CN_WGS84;
    if (strcasecmp(crs, "GCJ-02") == 0 || strcasecmp(crs, "GCJ02") == 0)
        return GEO_CN_GCJ02;
    if (strcasecmp(crs, "BD-09") == 0 || strcasecmp(crs, "BD09") == 0)
        return GEO_CN_BD09;
    return GEO_CN_WGS84;
}

/* Converts every vertex of g (any nesting) from datum `from` to WGS84 in place;
 * counts vertices outside China in *outside. */
static void cn_convert_geom(OGRGeometryH g, geo_cn_datum from, size_t *outside)
{
    int ng = OGR_G_GetGeometryCount(g);
    if (ng > 0) {
        for (int k = 0; k < ng; k++)
            cn_convert_geom(OGR_G_GetGeometryRef(g, k), from, outside);
        return;
    }
    int np = OGR_G_GetPointCount(g);
    for (int k = 0; k < np; k++) {
        double x = OGR_G_GetX(g, k), y = OGR_G_GetY(g, k);
        if (!geo_cn_in_china(x, y))
            (*outside)++;
        geo_cn_convert(from, GEO_CN_WGS84, &x, &y, 1);
        OGR_G_SetPoint_2D(g, k, x, y);
    }
}

/* Remembers a skipped feature: the count, and the ids of the first few in the
 * reason text for the warning and for `validate`. */
static void note_skip(geo_table *t, long long fid, const char *why)
{
    t->n_skipped++;
    size_t n = strlen(t->skip_msg);
    if (t->n_skipped <= 5 && n + 1 < sizeof t->skip_msg)
        snprintf(t->skip_msg + n, sizeof t->skip_msg - n, "%sfeature %lld (%s)",
                 t->n_skipped > 1 ? ", " : "", fid, why);
    else if (t->n_skipped == 6 && n + 1 < sizeof t->skip_msg)
        snprintf(t->skip_msg + n, sizeof t->skip_msg - n, ", ...");
}

int geo_table_read(geo_table **out, geo_ctx *ctx, const geo_source *src,
                   const geo_field_req *fields, int nfields, int flags, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    GDALDatasetH ds = NULL;
    OGRFeatureH f = NULL;
    int *fidx = NULL;
    char **ignored = NULL;
    row_caps caps = {0};
    geo_table *t = NULL;
    (void)ctx;

    *out = NULL;
    if (!src || !src->path)
        return r5g_err_set(err, R5G_EINTERNAL, "geo_table_read: no source path");
    geo_cpl_push(&cpl);

    t = calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    const char *label = src->label ? src->label : base_name(src->path);
    t->label = r5g_strdup(label);
    t->name = src->layer ? r5g_asprintf("%s:%s", base_name(src->path), src->layer)
                         : r5g_strdup(base_name(src->path));
    t->nf = nfields;
    t->has = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *t->has);
    fidx = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *fidx);
    if (!t->label || !t->name || !t->has || !fidx)
        goto nomem;

    ds = GDALOpenEx(src->path, GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, NULL,
                    (const char *const *)src->open_options, NULL);
    if (!ds) {
        const char *why = geo_cpl_msg(&cpl, "not a vector source GDAL can read");
        size_t pl = strlen(src->path);
        if (strncmp(why, src->path, pl) == 0 && why[pl] == ':' && why[pl + 1] == ' ')
            why += pl + 2; /* "path: No such file or directory" names the path twice */
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot open '%s': %s", label, src->path, why);
        goto done;
    }

    OGRLayerH lyr;
    if (src->layer) {
        lyr = GDALDatasetGetLayerByName(ds, src->layer);
        if (!lyr) {
            char list[1024];
            list_layers(ds, list, sizeof list);
            rc = r5g_err_set(err, R5G_EINPUT, "%s: no layer '%s' (layers: %s)",
                             base_name(src->path), src->layer, list);
            goto done;
        }
    } else {
        if (GDALDatasetGetLayerCount(ds) < 1) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: no vector layer", t->name);
            goto done;
        }
        lyr = GDALDatasetGetLayer(ds, 0);
    }
    const char *lname = OGR_L_GetName(lyr);

    if (src->where && *src->where) {
        if (OGR_L_SetAttributeFilter(lyr, src->where) != OGRERR_NONE) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: %s.where: filter \"%s\" failed: %s", t->name,
                             label, src->where, geo_cpl_msg(&cpl, "invalid filter"));
            goto done;
        }
    }

    if (OGR_L_GetGeomType(lyr) == wkbNone) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' has no geometry (for CSV, set %s."
                         "open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat])", t->name,
                         lname, label);
        goto done;
    }

    /* requested fields */
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (int k = 0; k < nfields; k++) {
        fidx[k] = -1;
        if (!fields[k].field)
            continue;
        fidx[k] = OGR_FD_GetFieldIndex(defn, fields[k].field);
        if (fidx[k] < 0 && fields[k].required) {
            rc = missing_field(err, t, fields[k].key ? fields[k].key : fields[k].field,
                               fields[k].field, lyr);
            goto done;
        }
        t->has[k] = fidx[k] >= 0;
    }

    /* skip unused attributes (faster reads); not with a `where`, whose
     * fields would then read as NULL and match nothing */
    int nfd = OGR_FD_GetFieldCount(defn);
    ignored = calloc((size_t)nfd + 2, sizeof *ignored);
    if (!ignored)
        goto nomem;
    int ni = 0;
    for (int i = 0; i < nfd; i++) {
        int used = 0;
        for (int k = 0; k < nfields; k++)
            used |= fidx[k] == i;
        if (!used && !(src->where && *src->where))
            ignored[ni++] = (char *)OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    }
    ignored[ni++] = "OGR_STYLE";
    ignored[ni] = NULL;
    OGR_L_SetIgnoredFields(lyr, (const char **)ignored);

    /* source CRS; GCJ-02/BD-09 are read as lon/lat and converted to WGS84 below */
    geo_cn_datum cn = cn_datum_of(src->crs);
    if (cn != GEO_CN_WGS84) {
        t->srs = geo_srs_from_user("EPSG:4326");
        if (!t->srs) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "%s: PROJ cannot build EPSG:4326", label);
            goto done;
        }
    } else if (src->crs && *src->crs) {
        t->srs = geo_srs_from_user(src->crs);
        if (!t->srs) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: crs: '%s' is not a CRS PROJ knows", label,
                             src->crs);
            goto done;
        }
    } else {
        OGRSpatialReferenceH ls = OGR_L_GetSpatialRef(lyr);
        if (ls) {
            t->srs = OSRClone(ls);
            if (!t->srs)
                goto nomem;
            OSRSetAxisMappingStrategy(t->srs, OAMS_TRADITIONAL_GIS_ORDER);
        }
    }
    t->crs_name = cn == GEO_CN_GCJ02 ? r5g_strdup("GCJ-02 (converted to EPSG:4326)")
                  : cn == GEO_CN_BD09 ? r5g_strdup("BD-09 (converted to EPSG:4326)")
                                      : geo_srs_name(t->srs);
    if (!t->crs_name)
        goto nomem;

    int keep = (flags & GEO_READ_KEEP_GEOMETRY) != 0;
    /* -1 when the driver has no fast count (or a `where` is set): the arrays
     * then grow as features arrive */
    GIntBig hint = OGR_L_GetFeatureCount(lyr, FALSE);
    if (hint > 0 && hint < ((GIntBig)1 << 40) && grow_rows(t, &caps, (size_t)hint, nfields, keep))
        goto nomem;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        size_t i = t->n;
        if (grow_rows(t, &caps, i + 1, nfields, keep))
            goto nomem;
        long long fid = (long long)OGR_F_GetFID(f);
        t->fid[i] = fid;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        /* Documented rule (docs/scenario.md): a feature without a usable
         * geometry is skipped, counted and named in a warning. */
        if (!g || OGR_G_IsEmpty(g) || geom_point(g, &t->x[i], &t->y[i]) != 0 ||
            !isfinite(t->x[i]) || !isfinite(t->y[i])) {
            note_skip(t, fid, !g || OGR_G_IsEmpty(g) ? "no geometry" : "no usable point");
            OGR_F_Destroy(f);
            f = NULL;
            continue;
        }
        for (int k = 0; k < nfields; k++) {
            const char *v = NULL;
            if (fidx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(f, fidx[k]))
                v = OGR_F_GetFieldAsString(f, fidx[k]);
            if (pool_add(t, v, &t->off[i * (size_t)nfields + (size_t)k]))
                goto nomem;
        }
        if (keep) {
            t->geom[i] = OGR_F_StealGeometry(f);
            if (t->geom[i] && t->srs)
                OGR_G_AssignSpatialReference(t->geom[i], NULL);
        }
        t->n++;
        OGR_F_Destroy(f);
        f = NULL;
    }
    if (cpl.nfail && t->n == 0) {
        rc = r5g_err_set(err, R5G_EIO, "%s: reading layer '%s' failed: %s", t->name, lname,
                         geo_cpl_msg(&cpl, NULL));
        goto done;
    }
    if (t->n_skipped)
        r5g_log(R5G_LOG_WARN, "%s: %zu feature%s skipped: %s", t->name, t->n_skipped,
                t->n_skipped > 1 ? "s" : "", t->skip_msg);
    if (cn != GEO_CN_WGS84) {
        size_t outside = 0;
        for (size_t i = 0; i < t->n; i++)
            if (!geo_cn_in_china(t->x[i], t->y[i]))
                outside++;
        geo_cn_convert(cn, GEO_CN_WGS84, t->x, t->y, t->n);
        if (t->geom)
            for (size_t i = 0; i < t->n; i++)
                if (t->geom[i])
                    cn_convert_geom(t->geom[i], cn, &outside);
        if (outside)
            r5g_log(R5G_LOG_WARN, "%s: crs %s: %zu point%s or vertices lie outside China, where "
                    "the %s offset is undefined (converted anyway)", t->name, src->crs, outside,
                    outside > 1 ? "s" : "", cn == GEO_CN_GCJ02 ? "GCJ-02" : "BD-09");
    }
    if (t->n == 0) {
        if (t->n_skipped)
            rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' has no usable features (%zu skipped: %s)",
                             t->name, lname, t->n_skipped, t->skip_msg);
        else if (src->where && *src->where)
            rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' has no features matching %s.where \"%s\"",
                             t->name, lname, label, src->where);
        else
            rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' has no features", t->name, lname);
        goto done;
    }
    if (!(t->wx = malloc(t->n * sizeof *t->wx)) || !(t->wy = malloc(t->n * sizeof *t->wy)) ||
        !(t->lon = malloc(t->n * sizeof *t->lon)) || !(t->lat = malloc(t->n * sizeof *t->lat)))
        goto nomem;
    for (size_t i = 0; i < t->n; i++) {
        t->wx[i] = t->wy[i] = t->lon[i] = t->lat[i] = NAN;
    }
    *out = t;
    t = NULL;
    goto done;

nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory while reading", src->path);
done:
    if (f)
        OGR_F_Destroy(f);
    free(ignored);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    free(fidx);
    geo_table_free(t);
    return rc;
}

void geo_table_free(geo_table *t)
{
    if (!t)
        return;
    if (t->geom)
        for (size_t i = 0; i < t->n; i++)
            if (t->geom[i])
                OGR_G_DestroyGeometry(t->geom[i]);
    if (t->geom_work)
        for (size_t i = 0; i < t->n; i++)
            if (t->geom_work[i])
                OGR_G_DestroyGeometry(t->geom_work[i]);
    if (t->poly)
        for (size_t i = 0; i < t->n; i++) {
            free(t->poly[i].ring_ptr);
            free(t->poly[i].px);
            free(t->poly[i].py);
        }
    free(t->geom);
    free(t->geom_work);
    free(t->poly);
    if (t->srs)
        OSRDestroySpatialReference(t->srs);
    free(t->crs_name);
    free(t->name);
    free(t->label);
    free(t->fid);
    free(t->x);
    free(t->y);
    free(t->wx);
    free(t->wy);
    free(t->lon);
    free(t->lat);
    free(t->has);
    free(t->pool);
    free(t->off);
    free(t);
}

size_t geo_table_count(const geo_table *t) { return t ? t->n : 0; }
const char *geo_table_name(const geo_table *t) { return t->name; }
long long geo_table_fid(const geo_table *t, size_t i) { return i < t->n ? t->fid[i] : -1; }

const char *geo_table_value(const geo_table *t, int f, size_t i)
{
    if (f < 0 || f >= t->nf || i >= t->n)
        return NULL;
    size_t o = t->off[i * (size_t)t->nf + (size_t)f];
    return o == SIZE_MAX ? NULL : t->pool + o;
}

int geo_table_has_field(const geo_table *t, int f)
{
    return f >= 0 && f < t->nf && t->has[f];
}

const double *geo_table_wx(const geo_table *t) { return t->wx; }
const double *geo_table_wy(const geo_table *t) { return t->wy; }
const double *geo_table_lon(const geo_table *t) { return t->lon; }
const double *geo_table_lat(const geo_table *t) { return t->lat; }
const char *geo_table_crs_name(const geo_table *t) { return t->crs_name; }
size_t geo_table_skipped(const geo_table *t, const char **reason)
{
    if (reason)
        *reason = t->skip_msg;
    return t->n_skipped;
}
