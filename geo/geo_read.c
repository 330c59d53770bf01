/* geo_table_read: one GDAL vector layer into plain arrays (one point per
 * feature, requested attributes as strings). */
#include "geo/geo_int.h"
#include "common/strbuf.h"

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
                           "%s: %s.fields.%s: no field '%s' in layer '%s' (did you mean '%s'?)",
                           t->name, t->label, key, field, lname, best);
    return r5g_err_set(err, R5G_EINPUT, "%s: %s.fields.%s: no field '%s' in layer '%s' (fields: %s)",
                       t->name, t->label, key, field, lname, nfd ? list : "none");
}

/* ---- geometry ---------------------------------------------------------- */

static int is_surface(OGRwkbGeometryType ty)
{
    return ty == wkbPolygon || ty == wkbMultiPolygon || ty == wkbCurvePolygon ||
           ty == wkbMultiSurface || ty == wkbTriangle || ty == wkbPolyhedralSurface ||
           ty == wkbTIN;
}

static const char *type_name(OGRwkbGeometryType ty)
{
    switch (ty) {
    case wkbPoint: return "Point";
    case wkbLineString: return "LineString";
    case wkbPolygon: return "Polygon";
    case wkbMultiPoint: return "MultiPoint";
    case wkbMultiLineString: return "MultiLineString";
    case wkbMultiPolygon: return "MultiPolygon";
    case wkbGeometryCollection: return "GeometryCollection";
    case wkbCircularString: return "CircularString";
    case wkbCompoundCurve: return "CompoundCurve";
    case wkbCurvePolygon: return "CurvePolygon";
    case wkbMultiCurve: return "MultiCurve";
    case wkbMultiSurface: return "MultiSurface";
    default: return OGRGeometryTypeToName(ty);
    }
}

/* What the layer needs, for messages. */
static const char *needs(int polygons)
{
    return polygons ? "polygons" : "points or polygons (which use a point on their surface)";
}

/* NULL when a geometry of type ty is usable here, else the problem in buf.
 * npoints: parts of a MultiPoint (one is a point; -1 for a layer type). */
static const char *type_problem(OGRwkbGeometryType ty, int npoints, int polygons,
                                const char *label, char *buf, size_t size)
{
    if (is_surface(ty) || (!polygons && (ty == wkbPoint || (ty == wkbMultiPoint && npoints <= 1))))
        return NULL;
    if (ty == wkbMultiPoint && !polygons)
        snprintf(buf, size, "geometry is a MultiPoint of %d points, but the %s layer needs one "
                 "point per feature", npoints, label);
    else
        snprintf(buf, size, "geometry is a %s, but the %s layer needs %s", type_name(ty), label,
                 needs(polygons));
    return buf;
}

/* One point for a usable geometry: a point as is, a polygon a point on its
 * surface (always inside it, unlike the centroid). */
static int geom_point(OGRGeometryH g, double *x, double *y)
{
    OGRwkbGeometryType ty = wkbFlatten(OGR_G_GetGeometryType(g));
    if (ty == wkbMultiPoint)
        g = OGR_G_GetGeometryRef(g, 0);
    if (ty == wkbPoint || ty == wkbMultiPoint) {
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

/* 1 when GDAL was built with GEOS (validity tests and MakeValid need it). */
static int have_geos(void)
{
    geo_cpl q;
    geo_cpl_push_quiet(&q);
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    int ok = 0;
    if (p) {
        OGR_G_SetPoint_2D(p, 0, 0, 0);
        ok = OGR_G_IsValid(p);
        OGR_G_DestroyGeometry(p);
    }
    geo_cpl_pop(&q);
    return ok;
}

/* The polygons of g (taken over) as one geometry: MakeValid may return a
 * collection that also holds the lines and points of collapsed parts. */
static OGRGeometryH polygonal(OGRGeometryH g)
{
    OGRwkbGeometryType ty = wkbFlatten(OGR_G_GetGeometryType(g));
    if (ty == wkbPolygon || ty == wkbMultiPolygon)
        return g;
    OGRGeometryH mp = ty == wkbGeometryCollection ? OGR_G_CreateGeometry(wkbMultiPolygon) : NULL;
    for (int k = 0; mp && k < OGR_G_GetGeometryCount(g); k++) {
        OGRGeometryH part = OGR_G_GetGeometryRef(g, k);
        OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
        int np = pt == wkbMultiPolygon ? OGR_G_GetGeometryCount(part) : pt == wkbPolygon;
        for (int j = 0; j < np; j++)
            OGR_G_AddGeometry(mp, pt == wkbPolygon ? part : OGR_G_GetGeometryRef(part, j));
    }
    OGR_G_DestroyGeometry(g);
    if (mp && OGR_G_GetGeometryCount(mp) == 0) {
        OGR_G_DestroyGeometry(mp);
        mp = NULL;
    }
    return mp;
}

/* 0: *g is valid; 1: it was invalid and is replaced by its repair; -1: it
 * cannot be repaired. why gets GEOS's reason ("Self-intersection at or near
 * point ..."). */
static int repair_polygon(OGRGeometryH *g, char *why, size_t size)
{
    geo_cpl q;
    geo_cpl_push_quiet(&q);
    int valid = OGR_G_IsValid(*g);
    geo_cpl_pop(&q);
    if (valid)
        return 0;
    snprintf(why, size, "%.200s", q.msg[0] ? q.msg : "not valid");
    geo_cpl_push_quiet(&q);
    OGRGeometryH v = OGR_G_MakeValid(*g);
    geo_cpl_pop(&q);
    if (v)
        v = polygonal(v);
    if (!v || OGR_G_IsEmpty(v)) {
        if (v)
            OGR_G_DestroyGeometry(v);
        return -1;
    }
    OGR_G_DestroyGeometry(*g);
    *g = v;
    return 1;
}

/* ---- Chinese datums -------------------------------------------------------- */

geo_cn_datum geo_cn_datum_of(const char *crs)
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

/* Range and swap checks on the datum's lon/lat, then the conversion of every
 * point and kept vertex to WGS84. */
static int cn_convert_table(geo_table *t, geo_cn_datum cn, const char *crs, r5g_err *err)
{
    int rc = geo_check_lonlat(t, cn == GEO_CN_GCJ02 ? "GCJ-02" : "BD-09", err);
    if (rc)
        return rc;
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
                "the %s offset is undefined (converted anyway)", t->name, crs, outside,
                outside > 1 ? "s" : "", cn == GEO_CN_GCJ02 ? "GCJ-02" : "BD-09");
    return R5G_OK;
}

/* ---- attributes -------------------------------------------------------------- */

/* Offset of the first byte of s that does not start a well-formed UTF-8
 * sequence (overlong forms, surrogates and code points above U+10FFFF are
 * ill-formed), or -1 when all of s is UTF-8. *len gets the bad sequence's
 * length (at least 1). */
static long utf8_bad(const char *str, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; s[i];) {
        unsigned c = s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        size_t k = 1;
        for (; n && k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                break;
        int ok = n && k == n;
        if (ok && n == 3)
            ok = !(c == 0xE0 && s[i + 1] < 0xA0) && !(c == 0xED && s[i + 1] >= 0xA0);
        if (ok && n == 4)
            ok = !(c == 0xF0 && s[i + 1] < 0x90) && !(c == 0xF4 && s[i + 1] >= 0x90);
        if (!ok) {
            *len = k > 1 ? k : 1;
            return (long)i;
        }
        i += n;
    }
    return -1;
}

static int not_utf8(r5g_err *err, const char *feat, const geo_field_req *req, const char *v,
                    long at, size_t len, const char *driver)
{
    char hex[64] = "";
    size_t show = len + 4, vl = strlen(v);
    if ((size_t)at + show > vl)
        show = vl - (size_t)at;
    if (show > 12)
        show = 12;
    for (size_t k = 0, n = 0; k < show; k++, n = strlen(hex))
        snprintf(hex + n, sizeof hex - n, "%s%02x", k ? " " : "", (unsigned char)v[(size_t)at + k]);
    char field[160] = "";
    if (req->key && strcmp(req->key, req->field) != 0)
        snprintf(field, sizeof field, " (field '%s')", req->field);
    int shp = strcmp(driver, "ESRI Shapefile") == 0;
    return r5g_err_set(err, R5G_EINPUT, "%s: %s%s: text is not UTF-8 (bytes %s at byte %ld of "
                       "the value); %s", feat, req->key ? req->key : req->field, field, hex, at + 1,
                       shp ? "give the file's encoding in a .cpg file beside the .shp (e.g. GBK) "
                             "or as open_options: [ENCODING=GBK]"
                           : "convert the file to UTF-8 (e.g. iconv -f GBK -t UTF-8)");
}

/* Index of the last attribute of f that is set: the end of a CSV row. */
static int last_set(OGRFeatureH f)
{
    for (int i = OGR_F_GetFieldCount(f) - 1; i >= 0; i--)
        if (OGR_F_IsFieldSet(f, i))
            return i;
    return -1;
}

/* ---- messages ------------------------------------------------------------------ */

const char *geo_feature_name(char *buf, size_t size, const char *table, long long fid,
                             const char *id)
{
    const char *sp = table ? " " : "";
    if (!table)
        table = "";
    if (id && *id)
        snprintf(buf, size, "%s%sfeature %lld (id %s)", table, sp, fid, id);
    else
        snprintf(buf, size, "%s%sfeature %lld", table, sp, fid);
    return buf;
}

const char *geo_table_feature(const geo_table *t, size_t i, char *buf, size_t size)
{
    if (t->parts && i < t->n) /* the layer's own name and id */
        return geo_table_feature(t->parts[t->row_part[i]], t->row_local[i], buf, size);
    return geo_feature_name(buf, size, t->name, geo_table_fid(t, i),
                            t->id_f >= 0 ? geo_table_value(t, t->id_f, i) : NULL);
}

/* The name of feature f being read, for a message (built only when one is
 * needed): into feat, with its id (idx: the id field, -1 none; an id that is
 * not UTF-8 is left out) also in id. Returns feat. */
static const char *name_feature(char *feat, size_t fsize, char *id, size_t isize,
                                const char *table, OGRFeatureH f, long long fid, int idx)
{
    id[0] = '\0';
    if (idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, idx)) {
        const char *v = OGR_F_GetFieldAsString(f, idx);
        size_t bl;
        if (utf8_bad(v, &bl) < 0)
            snprintf(id, isize, "%s", v);
    }
    return geo_feature_name(feat, fsize, table, fid, id);
}

/* Remembers a skipped feature: the count, and the first 20 in the reason
 * text for the warning and for `validate`. */
static void note_skip(geo_table *t, r5g_str *b, long long fid, const char *id, const char *why)
{
    if (++t->n_skipped > 20)
        return;
    char feat[192];
    r5g_str_appendf(b, "%s%s: %s", t->n_skipped > 1 ? "; " : "",
                    geo_feature_name(feat, sizeof feat, NULL, fid, id), why);
}

/* Opens the source and its layer (src->layer, or the first). On error *ds
 * is NULL or still to be closed by the caller. */
static int open_layer(GDALDatasetH *ds, OGRLayerH *lyr, const geo_source *src, const char *label,
                      geo_cpl *cpl, r5g_err *err)
{
    *lyr = NULL;
    *ds = GDALOpenEx(src->path, GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, NULL,
                     (const char *const *)src->open_options, NULL);
    if (!*ds) {
        char why[512];
        geo_open_reason(why, sizeof why, cpl, src->path, "not a vector source GDAL can read");
        return r5g_err_set(err, R5G_EIO, "%s: cannot open '%s': %s", label, src->path, why);
    }
    if (src->layer) {
        if (!(*lyr = GDALDatasetGetLayerByName(*ds, src->layer))) {
            char list[1024];
            list_layers(*ds, list, sizeof list);
            return r5g_err_set(err, R5G_EINPUT, "%s: no layer '%s' (layers: %s)",
                               base_name(src->path), src->layer, list);
        }
    } else if (GDALDatasetGetLayerCount(*ds) < 1)
        return r5g_err_set(err, R5G_EINPUT, "%s: no vector layer", base_name(src->path));
    else
        *lyr = GDALDatasetGetLayer(*ds, 0);
    return R5G_OK;
}

/* ---- reading --------------------------------------------------------------------- */

int geo_table_read(geo_table **out, geo_ctx *ctx, const geo_source *src,
                   const geo_field_req *fields, int nfields, int flags, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    GDALDatasetH ds = NULL;
    OGRFeatureH f = NULL;
    OGRGeometryH g = NULL; /* the current feature's geometry, when taken over */
    int *fidx = NULL;
    char **ignored = NULL;
    row_caps caps = {0};
    r5g_str skips = R5G_STR_INIT, repairs = R5G_STR_INIT;
    geo_table *t = NULL;
    int keep = (flags & GEO_READ_KEEP_GEOMETRY) != 0, no_geom = (flags & GEO_READ_NO_GEOMETRY) != 0;
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
    t->id_f = -1;
    t->has = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *t->has);
    fidx = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *fidx);
    if (!t->label || !t->name || !t->has || !fidx)
        goto nomem;
    if ((flags & GEO_READ_ID_FIRST) && nfields > 0 && fields[0].field)
        t->id_f = 0;

    OGRLayerH lyr;
    if ((rc = open_layer(&ds, &lyr, src, label, &cpl, err)))
        goto done;
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    int is_csv = strcmp(driver, "CSV") == 0;
    const char *lname = OGR_L_GetName(lyr);

    if (src->where && *src->where) {
        if (OGR_L_SetAttributeFilter(lyr, src->where) != OGRERR_NONE) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: %s.where: filter \"%s\" failed: %s", t->name,
                             label, src->where, geo_cpl_msg(&cpl, "invalid filter"));
            goto done;
        }
    }

    OGRwkbGeometryType lty = wkbFlatten(OGR_L_GetGeomType(lyr));
    if (lty == wkbNone && !no_geom) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' has no geometry (for CSV, set %s."
                         "open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat])", t->name,
                         lname, label);
        goto done;
    }
    char why[512];
    if (lty != wkbUnknown && !no_geom && type_problem(lty, -1, keep, label, why, sizeof why)) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: layer '%s' holds %s geometries, but the %s layer needs %s",
                         t->name, lname, type_name(lty), label, needs(keep));
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
        if (!used && !(src->where && *src->where) && !is_csv)
            ignored[ni++] = (char *)OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    }
    ignored[ni++] = "OGR_STYLE";
    ignored[ni] = NULL;
    OGR_L_SetIgnoredFields(lyr, (const char **)ignored);

    /* source CRS; GCJ-02/BD-09 are read as lon/lat and converted to WGS84 below */
    geo_cn_datum cn = geo_cn_datum_of(src->crs);
    t->crs_given = src->crs && *src->crs;
    if (cn != GEO_CN_WGS84) {
        t->srs = geo_srs_from_user("EPSG:4326");
        if (!t->srs) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "%s: PROJ cannot build EPSG:4326", label);
            goto done;
        }
    } else if (t->crs_given) {
        t->srs = geo_srs_from_user(src->crs);
        if (!t->srs) {
            rc = geo_crs_check(src->crs, 0, err);
            r5g_err_prefix(err, "%s: crs", label);
            if (!rc)
                rc = R5G_EINPUT;
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

    int geos = keep && have_geos();
    if (keep && !geos)
        r5g_log(R5G_LOG_WARN, "%s: GDAL was built without GEOS: polygons are not checked for "
                "validity (self-intersections) nor repaired", t->name);
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

        /* messages name the feature by FID and id (name_feature) */
        char id[128], feat[256];
        int id_idx = t->id_f >= 0 ? fidx[t->id_f] : -1;

        /* geometry: usable, or an error / a skip naming the feature */
        g = keep ? OGR_F_StealGeometry(f) : OGR_F_GetGeometryRef(f);
        const char *problem = NULL;
        int repaired = 0;
        char gwhy[320] = "";
        if (no_geom)
            t->x[i] = t->y[i] = NAN;
        else if (!g)
            problem = "no geometry";
        else if (OGR_G_IsEmpty(g))
            problem = "empty geometry";
        else
            problem = type_problem(wkbFlatten(OGR_G_GetGeometryType(g)), OGR_G_GetGeometryCount(g),
                                   keep, label, why, sizeof why);
        if (!problem && geos) {
            repaired = repair_polygon(&g, gwhy, sizeof gwhy);
            if (repaired < 0) {
                snprintf(why, sizeof why, "invalid polygon (%s) that MakeValid cannot repair", gwhy);
                problem = why;
            }
        }
        if (!problem && !no_geom && (geom_point(g, &t->x[i], &t->y[i]) != 0 || !isfinite(t->x[i]) ||
                         !isfinite(t->y[i])))
            problem = "no finite point (NaN or infinite coordinates)";
        if (problem) {
            name_feature(feat, sizeof feat, id, sizeof id, t->name, f, fid, id_idx);
            if (!src->skip_invalid) {
                rc = r5g_err_set(err, R5G_EINPUT, "%s: %s (%s.on_invalid: skip leaves such "
                                 "features out)", feat, problem, label);
                goto done;
            }
            note_skip(t, &skips, fid, id, problem);
            if (keep && g)
                OGR_G_DestroyGeometry(g);
            g = NULL;
            OGR_F_Destroy(f);
            f = NULL;
            continue;
        }

        /* attributes: UTF-8 text; a CSV row that ends early is an error */
        int row_end = -2;
        for (int k = 0; k < nfields; k++) {
            const char *v = NULL;
            if (fidx[k] >= 0 && !OGR_F_IsFieldSet(f, fidx[k]) && is_csv) {
                if (row_end == -2)
                    row_end = last_set(f);
                if (fidx[k] > row_end) {
                    rc = r5g_err_set(err, R5G_EINPUT, "%s: %s: the row has only %d of the "
                                     "header's %d columns: no value in column '%s'",
                                     name_feature(feat, sizeof feat, id, sizeof id, t->name, f,
                                                  fid, id_idx),
                                     fields[k].key ? fields[k].key : fields[k].field,
                                     row_end + 1, nfd, fields[k].field);
                    goto done;
                }
            }
            if (fidx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(f, fidx[k])) {
                v = OGR_F_GetFieldAsString(f, fidx[k]);
                size_t bl;
                long at = utf8_bad(v, &bl);
                if (at >= 0) {
                    name_feature(feat, sizeof feat, id, sizeof id, t->name, f, fid, id_idx);
                    rc = not_utf8(err, feat, &fields[k], v, at, bl, driver);
                    goto done;
                }
            }
            if (pool_add(t, v, &t->off[i * (size_t)nfields + (size_t)k]))
                goto nomem;
        }
        if (repaired > 0) {
            name_feature(feat, sizeof feat, id, sizeof id, t->name, f, fid, id_idx);
            r5g_log(R5G_LOG_WARN, "%s: invalid polygon (%s) repaired as GEOS MakeValid does "
                    "(QGIS Fix geometries, PostGIS ST_MakeValid)", feat, gwhy);
            if (++t->n_repaired <= 20)
                r5g_str_appendf(&repairs, "%s%s", t->n_repaired > 1 ? ", " : "",
                                geo_feature_name(feat, sizeof feat, NULL, fid, id));
        }
        if (keep) {
            t->geom[i] = g;
            g = NULL;
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
    if (t->n_skipped > 20)
        r5g_str_appendf(&skips, "; and %zu more", t->n_skipped - 20);
    if (t->n_repaired > 20)
        r5g_str_appendf(&repairs, " and %zu more", t->n_repaired - 20);
    if ((t->n_skipped && !(t->skip_msg = r5g_str_finish(&skips))) ||
        (t->n_repaired && !(t->repair_msg = r5g_str_finish(&repairs))))
        goto nomem;
    if (t->n_skipped)
        r5g_log(R5G_LOG_WARN, "%s: %zu feature%s skipped (%s.on_invalid: skip): %s", t->name,
                t->n_skipped, t->n_skipped > 1 ? "s" : "", label, t->skip_msg);
    if (cn != GEO_CN_WGS84 && (rc = cn_convert_table(t, cn, src->crs, err)))
        goto done;
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
    if (rc)
        r5g_err_one_line(err); /* names and values from the layer are quoted as they are */
    if (keep && g)
        OGR_G_DestroyGeometry(g);
    if (f)
        OGR_F_Destroy(f);
    r5g_str_dispose(&skips);
    r5g_str_dispose(&repairs);
    free(ignored);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    free(fidx);
    geo_table_free(t);
    return rc;
}

/* ---- several layers as one ----------------------------------------------- */

int geo_table_concat(geo_table **out, geo_table **parts, int n, const char *const *prefix,
                     int prefix_field, r5g_err *err)
{
    *out = NULL;
    if (n < 1 || !parts[0])
        return r5g_err_set(err, R5G_EINTERNAL, "geo_table_concat: no tables");
    int nf = parts[0]->nf;
    size_t rows = 0;
    for (int k = 0; k < n; k++) {
        if (!parts[k] || !parts[k]->projected || parts[k]->nf != nf || parts[k]->parts)
            return r5g_err_set(err, R5G_EINTERNAL, "geo_table_concat: table %d is not a "
                               "projected single layer read with the same fields", k);
        rows += parts[k]->n;
    }
    r5g_str name = R5G_STR_INIT;
    geo_table *t = calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    t->n = rows;
    t->nf = nf;
    t->id_f = parts[0]->id_f;
    t->pref_f = prefix ? prefix_field : -1;
    t->projected = 1;
    size_t m = rows ? rows : 1;
    t->has = calloc(nf > 0 ? (size_t)nf : 1, sizeof *t->has);
    t->fid = malloc(m * sizeof *t->fid);
    t->x = malloc(m * sizeof *t->x);
    t->y = malloc(m * sizeof *t->y);
    t->wx = malloc(m * sizeof *t->wx);
    t->wy = malloc(m * sizeof *t->wy);
    t->lon = malloc(m * sizeof *t->lon);
    t->lat = malloc(m * sizeof *t->lat);
    t->row_part = malloc(m * sizeof *t->row_part);
    t->row_local = malloc(m * sizeof *t->row_local);
    t->parts = calloc((size_t)n, sizeof *t->parts);
    t->label = r5g_strdup(parts[0]->label);
    t->crs_name = r5g_strdup("per layer");
    if (!t->has || !t->fid || !t->x || !t->y || !t->wx || !t->wy || !t->lon || !t->lat ||
        !t->row_part || !t->row_local || !t->parts || !t->label || !t->crs_name ||
        (t->pref_f >= 0 && !(t->pref_off = malloc(m * sizeof *t->pref_off))))
        goto nomem;
    size_t i = 0;
    for (int k = 0; k < n; k++) {
        const geo_table *p = parts[k];
        r5g_str_appendf(&name, "%s%s", k ? " + " : "", p->name);
        for (int f = 0; f < nf; f++)
            t->has[f] |= p->has[f];
        for (size_t r = 0; r < p->n; r++, i++) {
            t->fid[i] = p->fid[r];
            t->x[i] = p->x[r];
            t->y[i] = p->y[r];
            t->wx[i] = p->wx[r];
            t->wy[i] = p->wy[r];
            t->lon[i] = p->lon[r];
            t->lat[i] = p->lat[r];
            t->row_part[i] = k;
            t->row_local[i] = r;
            if (t->pref_f < 0)
                continue;
            const char *v = geo_table_value(p, t->pref_f, r);
            t->pref_off[i] = SIZE_MAX;
            if (prefix[k] && v) {
                size_t pl = strlen(prefix[k]), vl = strlen(v);
                char *joined = malloc(pl + vl + 1);
                if (!joined)
                    goto nomem;
                memcpy(joined, prefix[k], pl);
                memcpy(joined + pl, v, vl + 1);
                int bad = pool_add(t, joined, &t->pref_off[i]);
                free(joined);
                if (bad)
                    goto nomem;
            }
        }
    }
    if (!(t->name = r5g_str_finish(&name)))
        goto nomem;
    for (int k = 0; k < n; k++) {
        t->parts[k] = parts[k];
        parts[k] = NULL;
    }
    t->n_parts = n;
    *out = t;
    return R5G_OK;
nomem:
    r5g_str_dispose(&name);
    geo_table_free(t);
    return r5g_err_set(err, R5G_ENOMEM, "out of memory joining %d layers of %zu rows", n, rows);
}

int geo_table_part_count(const geo_table *t) { return t->parts ? t->n_parts : 1; }

const geo_table *geo_table_part_table(const geo_table *t, int k)
{
    if (!t->parts)
        return k == 0 ? t : NULL;
    return k >= 0 && k < t->n_parts ? t->parts[k] : NULL;
}

int geo_table_part(const geo_table *t, size_t i)
{
    return t->parts && i < t->n ? t->row_part[i] : 0;
}

void geo_table_free(geo_table *t)
{
    if (!t)
        return;
    for (int k = 0; k < t->n_parts; k++)
        geo_table_free(t->parts[k]);
    free(t->parts);
    free(t->row_part);
    free(t->row_local);
    free(t->pref_off);
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
    free(t->skip_msg);
    free(t->repair_msg);
    free(t);
}

size_t geo_table_count(const geo_table *t) { return t ? t->n : 0; }
const char *geo_table_name(const geo_table *t) { return t->name; }
long long geo_table_fid(const geo_table *t, size_t i) { return i < t->n ? t->fid[i] : -1; }

const char *geo_table_value(const geo_table *t, int f, size_t i)
{
    if (f < 0 || f >= t->nf || i >= t->n)
        return NULL;
    if (t->parts) {
        if (f == t->pref_f && t->pref_off[i] != SIZE_MAX)
            return t->pool + t->pref_off[i];
        return geo_table_value(t->parts[t->row_part[i]], f, t->row_local[i]);
    }
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
        *reason = t->skip_msg ? t->skip_msg : "";
    return t->n_skipped;
}

size_t geo_table_repaired(const geo_table *t, const char **which)
{
    if (which)
        *which = t->repair_msg ? t->repair_msg : "";
    return t->n_repaired;
}

/* ---- a layer's fields ------------------------------------------------------ */

static geo_ftype ftype_of(OGRFieldType t)
{
    switch (t) {
    case OFTInteger: return GEO_FT_INT32;
    case OFTInteger64: return GEO_FT_INT;
    case OFTReal: return GEO_FT_REAL;
    case OFTDate: return GEO_FT_DATE;
    case OFTDateTime: return GEO_FT_DATETIME;
    default: return GEO_FT_STR;
    }
}

int geo_source_fields(char ***names, geo_ftype **types, int *n, geo_ctx *ctx,
                      const geo_source *src, r5g_err *err)
{
    int rc = R5G_OK, nf = 0;
    geo_cpl cpl;
    char **nm = NULL;
    geo_ftype *ty = NULL;
    const char *label = src->label ? src->label : base_name(src->path);
    (void)ctx;
    *names = NULL;
    *types = NULL;
    *n = 0;
    geo_cpl_push(&cpl);
    GDALDatasetH ds = NULL;
    OGRLayerH lyr;
    if ((rc = open_layer(&ds, &lyr, src, label, &cpl, err)))
        goto done;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int count = OGR_FD_GetFieldCount(defn);
    nm = calloc(count > 0 ? (size_t)count : 1, sizeof *nm);
    ty = calloc(count > 0 ? (size_t)count : 1, sizeof *ty);
    if (!nm || !ty)
        goto nomem;
    for (; nf < count; nf++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, nf);
        if (!(nm[nf] = r5g_strdup(OGR_Fld_GetNameRef(fd))))
            goto nomem;
        ty[nf] = ftype_of(OGR_Fld_GetType(fd));
    }
    *names = nm;
    *types = ty;
    *n = nf;
    nm = NULL;
    ty = NULL;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory listing fields", src->path);
done:
    geo_source_fields_free(nm, ty, nf);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    return rc;
}

void geo_source_fields_free(char **names, geo_ftype *types, int n)
{
    if (names)
        for (int k = 0; k < n; k++)
            free(names[k]);
    free(names);
    free(types);
}
