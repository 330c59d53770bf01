/* Working CRS: choice (auto UTM, planar, explicit), projection of tables,
 * point-in-polygon lookup. */
#include "geo/geo_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int no_crs_error(r5g_err *err, const geo_table *t)
{
    return r5g_err_set(err, R5G_EINPUT,
                       "%s: layer has no CRS: set %s.crs (e.g. EPSG:4326) or crs: planar", t->name,
                       t->label);
}

static OGRCoordinateTransformationH new_ct(OGRSpatialReferenceH from, OGRSpatialReferenceH to)
{
    return OCTNewCoordinateTransformation(from, to);
}

/* Bulk transform of n points in place; on failure names the first failing row. */
static int transform_xy(OGRCoordinateTransformationH ct, const geo_table *t, double *x, double *y,
                        size_t n, const char *what, geo_cpl *cpl, r5g_err *err)
{
    int rc = R5G_OK;
    if (n == 0)
        return R5G_OK;
    int *ok = malloc(n * sizeof *ok);
    if (!ok)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if (n > INT32_MAX) {
        free(ok);
        return r5g_err_set(err, R5G_EINPUT, "%s: too many features", t->name);
    }
    double *x0 = malloc(n * sizeof *x0), *y0 = malloc(n * sizeof *y0);
    if (!x0 || !y0) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(x0, x, n * sizeof *x);
    memcpy(y0, y, n * sizeof *y);
    int all = OCTTransformEx(ct, (int)n, x, y, NULL, ok);
    for (size_t i = 0; i < n; i++) {
        if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i])) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s feature %lld: point (%.9g, %.9g) cannot be "
                             "transformed to %s%s%s", t->name, t->fid[i], x0[i], y0[i], what,
                             cpl->msg[0] ? ": " : "", cpl->msg);
            goto done;
        }
    }
    (void)all;
done:
    free(ok);
    free(x0);
    free(y0);
    return rc;
}

/* A CRS string for messages: long WKT is cut to its first 60 bytes. */
static void spec_short(char *buf, size_t size, const char *spec)
{
    if (strlen(spec) <= 60)
        snprintf(buf, size, "%s", spec);
    else
        snprintf(buf, size, "%.60s...", spec);
}

int geo_crs_check(const char *spec, int working, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    char shown[80];
    if (!spec || !*spec)
        return r5g_err_set(err, R5G_EINPUT, "the CRS is empty (e.g. EPSG:4326)");
    spec_short(shown, sizeof shown, spec);
    if (geo_cn_datum_of(spec) != GEO_CN_WGS84)
        return working ? r5g_err_set(err, R5G_EINPUT, "'%s' is a geographic datum (lon/lat); the "
                                     "working CRS must be projected (metres): use auto or a UTM "
                                     "zone such as EPSG:32651", shown)
                       : R5G_OK;
    geo_cpl_push_quiet(&cpl);
    OGRSpatialReferenceH srs = geo_srs_from_user(spec);
    if (!srs) {
        /* "PROJ: proj_create_from_database: crs not found" -> "crs not found" */
        const char *why = cpl.msg;
        if (strncmp(why, "PROJ: ", 6) == 0)
            why += 6;
        if (strncmp(why, "proj_", 5) == 0 && strstr(why, ": "))
            why = strstr(why, ": ") + 2;
        rc = r5g_err_set(err, R5G_EINPUT, "'%s' is not a CRS PROJ knows%s%.300s%s", shown,
                         *why ? " (" : "", why, *why ? ")" : "");
        goto done;
    }
    if (!working)
        goto done;
    if (!OSRIsProjected(srs)) {
        rc = r5g_err_set(err, R5G_EINPUT, "'%s' is %s; the working CRS must be projected "
                         "(metres): use auto or a UTM zone such as EPSG:32651", shown,
                         OSRIsGeographic(srs) ? "geographic" : "not projected");
        goto done;
    }
    char *unit = NULL;
    double f = OSRGetLinearUnits(srs, &unit);
    if (fabs(f - 1.0) > 1e-12)
        rc = r5g_err_set(err, R5G_EINPUT, "'%s' uses %s; the working CRS must be projected "
                         "(metres)", shown, unit && *unit ? unit : "a unit other than metres");
done:
    if (srs)
        OSRDestroySpatialReference(srs);
    geo_cpl_pop(&cpl);
    return rc;
}

/* Share of the layer's points inside China's rough box: China data when at
 * least half are. */
static int mostly_in_china(const geo_table *t)
{
    size_t in = 0;
    for (size_t i = 0; i < t->n; i++)
        in += geo_cn_in_china(t->x[i], t->y[i]) != 0;
    return t->n > 0 && 2 * in >= t->n;
}

static int in_lonlat(double x, double y)
{
    return isfinite(x) && isfinite(y) && fabs(x) <= 180 && fabs(y) <= 90;
}

int geo_check_lonlat(const geo_table *t, const char *cn_datum, r5g_err *err)
{
    size_t bad = 0, first = 0;
    int china_data = cn_datum || mostly_in_china(t);
    for (size_t i = 0; i < t->n; i++) {
        double x = t->x[i], y = t->y[i];
        /* inside the range, a swap shows only against China's box: a point
         * outside China whose swapped pair lies inside (western China's
         * lon 72..90 read as a latitude) */
        int ok = in_lonlat(x, y) &&
                 !(china_data && !geo_cn_in_china(x, y) && geo_cn_in_china(y, x));
        if (!ok && bad++ == 0)
            first = i;
    }
    if (!bad)
        return R5G_OK;
    double x = t->x[first], y = t->y[first];
    char feat[256], more[64] = "", crs[128];
    geo_table_feature(t, first, feat, sizeof feat);
    if (bad > 1)
        snprintf(more, sizeof more, ", like %zu more feature%s", bad - 1, bad > 2 ? "s" : "");
    if (cn_datum)
        snprintf(crs, sizeof crs, "%s.crs is %s", t->label, cn_datum);
    else if (t->crs_given)
        snprintf(crs, sizeof crs, "%s.crs is %s", t->label, t->crs_name);
    else
        snprintf(crs, sizeof crs, "the layer's CRS %s is geographic", t->crs_name);
    if (in_lonlat(x, y))
        return r5g_err_set(err, R5G_EINPUT, "%s: point (%.10g, %.10g) lies outside China, but "
                           "swapped, (%.10g, %.10g) lies inside%s: lat/lon swapped? (%s)",
                           feat, x, y, y, x, more, crs);
    const char *hint = "";
    char hbuf[160];
    if (in_lonlat(y, x))
        hint = "; lat/lon swapped?";
    else if (fabs(x) > 1000 || fabs(y) > 1000) {
        snprintf(hbuf, sizeof hbuf, "; the numbers look like metres: give the layer's projected "
                 "CRS in %s.crs", t->label);
        hint = hbuf;
    }
    if (!(isfinite(x) && fabs(x) <= 180))
        return r5g_err_set(err, R5G_EINPUT, "%s: longitude %.10g is outside -180..180%s (%s)%s",
                           feat, x, more, crs, hint);
    return r5g_err_set(err, R5G_EINPUT, "%s: latitude %.10g is outside -90..90%s (%s)%s", feat, y,
                       more, crs, hint);
}

/* A projected layer whose points all lie within -180..180 / -90..90 holds
 * lon/lat numbers: with its metres every site would sit beside the origin. */
static int check_projected(const geo_table *t, r5g_err *err)
{
    for (size_t i = 0; i < t->n; i++)
        if (!in_lonlat(t->x[i], t->y[i]))
            return R5G_OK;
    if (t->n == 0)
        return R5G_OK;
    char feat[256];
    geo_feature_name(feat, sizeof feat, NULL, t->fid[0],
                     t->id_f >= 0 ? geo_table_value(t, t->id_f, 0) : NULL);
    if (t->crs_given)
        return r5g_err_set(err, R5G_EINPUT, "%s: %s.crs %s is projected (metres), but all %zu "
                           "points lie within -180..180 / -90..90 like lon/lat (%s at %.10g, "
                           "%.10g): for lon/lat data set %s.crs: EPSG:4326", t->name, t->label,
                           t->crs_name, t->n, feat, t->x[0], t->y[0], t->label);
    return r5g_err_set(err, R5G_EINPUT, "%s: the layer's CRS %s is projected (metres), but all "
                       "%zu points lie within -180..180 / -90..90 like lon/lat (%s at %.10g, "
                       "%.10g): for lon/lat data set %s.crs: EPSG:4326", t->name, t->crs_name,
                       t->n, feat, t->x[0], t->y[0], t->label);
}

static geo_crs *crs_alloc(void)
{
    geo_crs *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->wgs84 = geo_srs_from_user("EPSG:4326");
    if (!c->wgs84) {
        free(c);
        return NULL;
    }
    return c;
}

int geo_crs_choose(geo_crs **out, geo_ctx *ctx, const char *spec, geo_table *const *tables,
                   int ntables, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    geo_crs *c = NULL;
    OGRCoordinateTransformationH ct = NULL;
    double *bx = NULL, *by = NULL;
    (void)ctx;

    *out = NULL;
    if (!spec || !*spec)
        spec = "auto";
    geo_cpl_push(&cpl);
    c = crs_alloc();
    if (!c) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "crs: PROJ cannot build EPSG:4326: %s",
                         geo_cpl_msg(&cpl, "is proj.db installed?"));
        goto done;
    }

    if (strcmp(spec, "planar") == 0) {
        c->planar = 1;
        c->name = r5g_strdup("planar");
        if (!c->name)
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }

    for (int k = 0; k < ntables; k++) {
        const geo_table *t = tables[k];
        if (!t)
            continue;
        if (!t->srs) {
            rc = no_crs_error(err, t);
            goto done;
        }
        if (OSRIsGeographic(t->srs) ? (rc = geo_check_lonlat(t, NULL, err))
                                    : OSRIsProjected(t->srs) && (rc = check_projected(t, err)))
            goto done;
    }

    if (strcmp(spec, "auto") == 0) {
        double lo0 = INFINITY, lo1 = -INFINITY, la0 = INFINITY, la1 = -INFINITY;
        for (int k = 0; k < ntables; k++) {
            const geo_table *t = tables[k];
            if (!t || t->n == 0)
                continue;
            ct = new_ct(t->srs, c->wgs84);
            if (!ct) {
                rc = r5g_err_set(err, R5G_EINPUT, "%s: no transformation from %s to WGS84: %s",
                                 t->name, t->crs_name, geo_cpl_msg(&cpl, "PROJ refused"));
                goto done;
            }
            free(bx);
            free(by);
            bx = malloc(t->n * sizeof *bx);
            by = malloc(t->n * sizeof *by);
            if (!bx || !by) {
                rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
                goto done;
            }
            memcpy(bx, t->x, t->n * sizeof *bx);
            memcpy(by, t->y, t->n * sizeof *by);
            rc = transform_xy(ct, t, bx, by, t->n, "WGS84", &cpl, err);
            if (rc)
                goto done;
            for (size_t i = 0; i < t->n; i++) {
                if (bx[i] < lo0) lo0 = bx[i];
                if (bx[i] > lo1) lo1 = bx[i];
                if (by[i] < la0) la0 = by[i];
                if (by[i] > la1) la1 = by[i];
            }
            OCTDestroyCoordinateTransformation(ct);
            ct = NULL;
        }
        if (!(lo0 <= lo1)) {
            rc = r5g_err_set(err, R5G_EINPUT, "crs: auto needs at least one layer with points");
            goto done;
        }
        double lon = 0.5 * (lo0 + lo1), lat = 0.5 * (la0 + la1);
        int zone = (int)floor((lon + 180.0) / 6.0) + 1;
        if (zone < 1) zone = 1;
        if (zone > 60) zone = 60;
        char buf[32];
        snprintf(buf, sizeof buf, "EPSG:%d", (lat >= 0 ? 32600 : 32700) + zone);
        c->srs = geo_srs_from_user(buf);
        if (!c->srs) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "crs: auto: PROJ does not know %s: %s", buf,
                             geo_cpl_msg(&cpl, "unknown"));
            goto done;
        }
        r5g_log(R5G_LOG_DEBUG, "crs: auto: centre %.4f, %.4f -> %s", lon, lat, buf);
    } else {
        if ((rc = geo_crs_check(spec, 1, err))) {
            r5g_err_prefix(err, "crs");
            goto done;
        }
        c->srs = geo_srs_from_user(spec);
        if (!c->srs) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "crs: PROJ accepted '%s' once, then not", spec);
            goto done;
        }
    }
    c->name = geo_srs_name(c->srs);
    if (!c->name)
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");

done:
    if (rc)
        r5g_err_one_line(err); /* feature ids are quoted as they are */
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    free(bx);
    free(by);
    geo_cpl_pop(&cpl);
    if (rc) {
        geo_crs_free(c);
        c = NULL;
    }
    *out = c;
    return rc;
}

void geo_crs_free(geo_crs *crs)
{
    if (!crs)
        return;
    if (crs->srs)
        OSRDestroySpatialReference(crs->srs);
    if (crs->wgs84)
        OSRDestroySpatialReference(crs->wgs84);
    free(crs->name);
    free(crs);
}

const char *geo_crs_name(const geo_crs *crs) { return crs->name; }
int geo_crs_is_planar(const geo_crs *crs) { return crs->planar; }

/* ---- polygon rings for point-in-polygon --------------------------------- */

static void poly_clear(geo_poly *p)
{
    free(p->ring_ptr);
    free(p->px);
    free(p->py);
    memset(p, 0, sizeof *p);
    p->minx = p->miny = INFINITY;
    p->maxx = p->maxy = -INFINITY;
}

static int ring_add(geo_poly *p, OGRGeometryH ring, size_t *pcap, int *rcap)
{
    int np = OGR_G_GetPointCount(ring);
    if (np <= 0)
        return 0;
    if (p->nrings + 1 >= *rcap) {
        int c = *rcap ? *rcap * 2 : 8;
        size_t *q = realloc(p->ring_ptr, (size_t)c * sizeof *q);
        if (!q)
            return -1;
        p->ring_ptr = q;
        *rcap = c;
    }
    if (p->nrings == 0)
        p->ring_ptr[0] = 0;
    size_t base = p->ring_ptr[p->nrings];
    if (base + (size_t)np > *pcap) {
        size_t c = *pcap ? *pcap : 64;
        while (c < base + (size_t)np)
            c *= 2;
        double *qx = realloc(p->px, c * sizeof *qx);
        if (!qx)
            return -1;
        p->px = qx;
        double *qy = realloc(p->py, c * sizeof *qy);
        if (!qy)
            return -1;
        p->py = qy;
        *pcap = c;
    }
    OGR_G_GetPoints(ring, p->px + base, sizeof(double), p->py + base, sizeof(double), NULL, 0);
    for (int k = 0; k < np; k++) {
        double x = p->px[base + (size_t)k], y = p->py[base + (size_t)k];
        if (x < p->minx) p->minx = x;
        if (x > p->maxx) p->maxx = x;
        if (y < p->miny) p->miny = y;
        if (y > p->maxy) p->maxy = y;
    }
    p->nrings++;
    p->ring_ptr[p->nrings] = base + (size_t)np;
    return 0;
}

/* Collects the rings of every polygon part of g (nested collections too). */
static int poly_collect(geo_poly *p, OGRGeometryH g, size_t *pcap, int *rcap)
{
    OGRwkbGeometryType ty = wkbFlatten(OGR_G_GetGeometryType(g));
    if (ty == wkbPolygon || ty == wkbTriangle) {
        int nr = OGR_G_GetGeometryCount(g);
        for (int r = 0; r < nr; r++)
            if (ring_add(p, OGR_G_GetGeometryRef(g, r), pcap, rcap))
                return -1;
        return 0;
    }
    if (ty == wkbMultiPolygon || ty == wkbGeometryCollection) {
        int ng = OGR_G_GetGeometryCount(g);
        for (int k = 0; k < ng; k++)
            if (poly_collect(p, OGR_G_GetGeometryRef(g, k), pcap, rcap))
                return -1;
        return 0;
    }
    if (ty == wkbCurvePolygon || ty == wkbMultiSurface) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!lin)
            return -1;
        int r = poly_collect(p, lin, pcap, rcap);
        OGR_G_DestroyGeometry(lin);
        return r;
    }
    return 0; /* points and lines contain nothing */
}

/* Even-odd rule over all rings (holes and parts alike); a point on an edge
 * counts as inside, so the first of two adjacent polygons wins. */
static int poly_contains(const geo_poly *p, double x, double y)
{
    if (p->nrings == 0 || x < p->minx || x > p->maxx || y < p->miny || y > p->maxy)
        return 0;
    int inside = 0;
    for (int r = 0; r < p->nrings; r++) {
        size_t a = p->ring_ptr[r], b = p->ring_ptr[r + 1];
        if (b - a < 2)
            continue;
        size_t j = b - 1;
        for (size_t i = a; i < b; j = i++) {
            double xi = p->px[i], yi = p->py[i], xj = p->px[j], yj = p->py[j];
            /* on the edge (i, j)? */
            double cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
            if (cross == 0.0 && x >= fmin(xi, xj) && x <= fmax(xi, xj) && y >= fmin(yi, yj) &&
                y <= fmax(yi, yj))
                return 1;
            if ((yi > y) != (yj > y)) {
                double xc = xi + (y - yi) * (xj - xi) / (yj - yi);
                if (x < xc)
                    inside = !inside;
            }
        }
    }
    return inside;
}

int geo_table_project(geo_table *t, const geo_crs *crs, r5g_err *err)
{
    int rc = R5G_OK;
    geo_cpl cpl;
    OGRCoordinateTransformationH ctw = NULL, ctg = NULL;

    geo_cpl_push(&cpl);
    if (crs->planar) {
        memcpy(t->wx, t->x, t->n * sizeof *t->wx);
        memcpy(t->wy, t->y, t->n * sizeof *t->wy);
        for (size_t i = 0; i < t->n; i++)
            t->lon[i] = t->lat[i] = NAN;
    } else {
        if (!t->srs) {
            rc = no_crs_error(err, t);
            goto done;
        }
        ctw = new_ct(t->srs, crs->srs);
        ctg = new_ct(t->srs, crs->wgs84);
        if (!ctw || !ctg) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: no transformation from %s to %s: %s", t->name,
                             t->crs_name, ctw ? "WGS84" : crs->name,
                             geo_cpl_msg(&cpl, "PROJ refused"));
            goto done;
        }
        memcpy(t->wx, t->x, t->n * sizeof *t->wx);
        memcpy(t->wy, t->y, t->n * sizeof *t->wy);
        memcpy(t->lon, t->x, t->n * sizeof *t->lon);
        memcpy(t->lat, t->y, t->n * sizeof *t->lat);
        if ((rc = transform_xy(ctw, t, t->wx, t->wy, t->n, crs->name, &cpl, err)) ||
            (rc = transform_xy(ctg, t, t->lon, t->lat, t->n, "WGS84", &cpl, err)))
            goto done;
    }

    if (t->geom) {
        if (!t->geom_work && !(t->geom_work = calloc(t->n, sizeof *t->geom_work)))
            goto nomem;
        if (!t->poly && !(t->poly = calloc(t->n, sizeof *t->poly)))
            goto nomem;
        for (size_t i = 0; i < t->n; i++) {
            if (t->geom_work[i]) {
                OGR_G_DestroyGeometry(t->geom_work[i]);
                t->geom_work[i] = NULL;
            }
            poly_clear(&t->poly[i]);
            if (!t->geom[i])
                continue;
            OGRGeometryH g = OGR_G_Clone(t->geom[i]);
            if (!g)
                goto nomem;
            t->geom_work[i] = g;
            if (ctw && OGR_G_Transform(g, ctw) != OGRERR_NONE) {
                rc = r5g_err_set(err, R5G_EINPUT, "%s feature %lld: geometry cannot be "
                                 "transformed to %s: %s", t->name, t->fid[i], crs->name,
                                 geo_cpl_msg(&cpl, "PROJ failed"));
                goto done;
            }
            size_t pcap = 0;
            int rcap = 0;
            if (poly_collect(&t->poly[i], g, &pcap, &rcap))
                goto nomem;
        }
    }
    t->projected = 1;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", t->name);
done:
    if (ctw)
        OCTDestroyCoordinateTransformation(ctw);
    if (ctg)
        OCTDestroyCoordinateTransformation(ctg);
    geo_cpl_pop(&cpl);
    return rc;
}

int geo_table_locate(const geo_table *polys, const double *wx, const double *wy, size_t n,
                     int *out_index, r5g_err *err)
{
    int rc = R5G_OK;
    size_t *cell_ptr = NULL;
    int *cell_poly = NULL;
    if (!polys->geom || !polys->projected || !polys->poly)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: geo_table_locate needs a table read with "
                           "GEO_READ_KEEP_GEOMETRY and projected", polys->name);
    if (polys->n > INT32_MAX)
        return r5g_err_set(err, R5G_EINPUT, "%s: too many polygons", polys->name);

    /* grid over the polygon envelopes; each cell lists its polygons in table order */
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t k = 0; k < polys->n; k++) {
        const geo_poly *p = &polys->poly[k];
        if (p->nrings == 0)
            continue;
        x0 = fmin(x0, p->minx);
        y0 = fmin(y0, p->miny);
        x1 = fmax(x1, p->maxx);
        y1 = fmax(y1, p->maxy);
    }
    if (!(x0 <= x1)) {
        for (size_t i = 0; i < n; i++)
            out_index[i] = -1;
        return R5G_OK;
    }
    int g = (int)ceil(sqrt((double)polys->n));
    if (g < 1) g = 1;
    if (g > 256) g = 256;
    double cw = (x1 - x0) / g, ch = (y1 - y0) / g;
    if (!(cw > 0)) cw = 1;
    if (!(ch > 0)) ch = 1;
    size_t ncell = (size_t)g * (size_t)g;
    cell_ptr = calloc(ncell + 1, sizeof *cell_ptr);
    if (!cell_ptr)
        goto nomem;
#define CELLX(v) ((int)fmin(fmax(floor(((v) - x0) / cw), 0), g - 1))
#define CELLY(v) ((int)fmin(fmax(floor(((v) - y0) / ch), 0), g - 1))
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < polys->n; k++) {
            const geo_poly *p = &polys->poly[k];
            if (p->nrings == 0)
                continue;
            int cx0 = CELLX(p->minx), cx1 = CELLX(p->maxx);
            int cy0 = CELLY(p->miny), cy1 = CELLY(p->maxy);
            for (int cy = cy0; cy <= cy1; cy++)
                for (int cx = cx0; cx <= cx1; cx++) {
                    size_t c = (size_t)cy * (size_t)g + (size_t)cx;
                    if (pass == 0)
                        cell_ptr[c + 1]++;
                    else
                        cell_poly[cell_ptr[c]++] = (int)k;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncell; c++)
                cell_ptr[c + 1] += cell_ptr[c];
            cell_poly = malloc((cell_ptr[ncell] ? cell_ptr[ncell] : 1) * sizeof *cell_poly);
            if (!cell_poly)
                goto nomem;
        } else {
            /* the fill advanced each start to the next cell's start: shift back */
            for (size_t c = ncell; c > 0; c--)
                cell_ptr[c] = cell_ptr[c - 1];
            cell_ptr[0] = 0;
        }
    }
    size_t n_overlap = 0;
    int ov_a = -1, ov_b = -1;
    for (size_t i = 0; i < n; i++) {
        double x = wx[i], y = wy[i];
        out_index[i] = -1;
        if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1))
            continue;
        size_t c = (size_t)CELLY(y) * (size_t)g + (size_t)CELLX(x);
        /* first match wins; the rest of the cell is scanned to count overlaps */
        for (size_t k = cell_ptr[c]; k < cell_ptr[c + 1]; k++)
            if (poly_contains(&polys->poly[cell_poly[k]], x, y)) {
                if (out_index[i] < 0) {
                    out_index[i] = cell_poly[k];
                    continue;
                }
                if (n_overlap++ == 0) {
                    ov_a = out_index[i];
                    ov_b = cell_poly[k];
                }
                break;
            }
    }
    if (n_overlap)
        r5g_log(R5G_LOG_WARN, "%s: %zu of %zu points lie in more than one polygon (overlapping "
                "regions, e.g. features %lld and %lld): each gets the first one", polys->name,
                n_overlap, n, polys->fid[ov_a], polys->fid[ov_b]);
#undef CELLX
#undef CELLY
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
done:
    free(cell_ptr);
    free(cell_poly);
    return rc;
}
