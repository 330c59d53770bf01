/* Attribute tables without geometry (plan_meta, period_kpi of a plan read
 * back): every row's requested fields as strings. Spatial layers go through
 * geo_table_read instead. */
#include "geo/geo_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct geo_rows {
    size_t n;
    int nf;
    int *has;    /* [nf] the layer has the field */
    char **val;  /* [n * nf], NULL = null */
};

int geo_rows_read(geo_rows **out, geo_ctx *ctx, const char *path, const char *layer,
                  const char *const *fields, int nfields, r5g_err *err)
{
    (void)ctx;
    *out = NULL;
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    int rc = 0;
    int *fidx = NULL;
    size_t cap = 0;
    OGRFeatureH f = NULL;
    geo_rows *r = calloc(1, sizeof *r);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    if (!r) {
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    if (!ds) {
        rc = r5g_err_set(err, R5G_EIO, "cannot open '%s': %s", path,
                         geo_cpl_msg(&cpl, "not a vector source GDAL can read"));
        goto out;
    }
    OGRLayerH lyr = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    if (!lyr) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: no layer '%s'", path, layer ? layer : "(first)");
        goto out;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    r->nf = nfields;
    r->has = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *r->has);
    fidx = calloc(nfields > 0 ? (size_t)nfields : 1, sizeof *fidx);
    if (!r->has || !fidx) {
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    for (int k = 0; k < nfields; k++) {
        fidx[k] = OGR_FD_GetFieldIndex(defn, fields[k]);
        r->has[k] = fidx[k] >= 0;
    }
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        if (r->n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            char **v = realloc(r->val, nc * (size_t)(nfields > 0 ? nfields : 1) * sizeof *v);
            if (!v) {
                rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", path);
                goto out;
            }
            r->val = v;
            cap = nc;
        }
        for (int k = 0; k < nfields; k++) {
            char **slot = &r->val[r->n * (size_t)nfields + (size_t)k];
            *slot = NULL;
            if (fidx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(f, fidx[k]) &&
                !(*slot = r5g_strdup(OGR_F_GetFieldAsString(f, fidx[k])))) {
                r->n++; /* so that geo_rows_free releases this row's values */
                rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", path);
                goto out;
            }
        }
        r->n++;
        OGR_F_Destroy(f);
        f = NULL;
    }
    *out = r;
    r = NULL;
out:
    if (f)
        OGR_F_Destroy(f);
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    free(fidx);
    geo_rows_free(r);
    return rc;
}

size_t geo_rows_count(const geo_rows *r) { return r->n; }
int geo_rows_has_field(const geo_rows *r, int f) { return r->has[f]; }

const char *geo_rows_value(const geo_rows *r, int f, size_t i)
{
    return r->val[i * (size_t)r->nf + (size_t)f];
}

void geo_rows_free(geo_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n * (size_t)r->nf; i++)
        free(r->val[i]);
    free(r->val);
    free(r->has);
    free(r);
}

int geo_source_has_layer(const char *path, const char *layer)
{
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    int has = ds && GDALDatasetGetLayerByName(ds, layer) != NULL;
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    return has;
}
