/* geo context: GDAL registration, GDAL error capture, CRS helpers. */
#include "geo/geo_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <proj.h>

int geo_ctx_new(geo_ctx **out, r5g_err *err)
{
    *out = NULL;
    geo_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    GDALAllRegister(); /* idempotent: safe when several contexts exist */
    ctx->registered = 1;
    *out = ctx;
    return R5G_OK;
}

void geo_ctx_free(geo_ctx *ctx)
{
    free(ctx);
}

static size_t prefix_len(const char *a, const char *b)
{
    size_t n = 0;
    while (a[n] && tolower((unsigned char)a[n]) == tolower((unsigned char)b[n]))
        n++;
    return n;
}

/* A writable vector driver whose name (any case) or file extension is
 * `format`, or else the nearest name by edit distance (at most 2). */
static const char *nearest_driver(const char *format)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; i < GDALGetDriverCount(); i++) {
        GDALDriverH d = GDALGetDriver(i);
        if (!GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, NULL) ||
            !GDALGetMetadataItem(d, GDAL_DCAP_CREATE, NULL))
            continue;
        const char *name = GDALGetDriverShortName(d);
        if (strcasecmp(name, format) == 0)
            return name;
        const char *ext = GDALGetMetadataItem(d, GDAL_DMD_EXTENSIONS, NULL);
        if (!ext)
            ext = GDALGetMetadataItem(d, GDAL_DMD_EXTENSION, NULL);
        for (const char *e = ext; e && *e;) {
            size_t n = strcspn(e, " ");
            if (n == strlen(format) && strncasecmp(e, format, n) == 0)
                return name;
            e += n + (e[n] == ' ');
        }
        /* ties go to the longer common prefix: GPKX is GPKG, not GPX */
        int dist = r5g_edit_distance(format, name);
        if (dist < (int)strlen(name) - 1 &&
            (dist < best_d || (dist == best_d && best && prefix_len(format, name) >
                                                          prefix_len(format, best)))) {
            best_d = dist;
            best = name;
        }
    }
    return best;
}

int geo_format_check(geo_ctx *ctx, const char *format, r5g_err *err)
{
    (void)ctx; /* drivers are registered by geo_ctx_new */
    if (!format || !*format)
        return r5g_err_set(err, R5G_EINPUT, "the format is empty (e.g. GPKG)");
    GDALDriverH d = GDALGetDriverByName(format);
    if (d && GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, NULL)) {
        if (GDALGetMetadataItem(d, GDAL_DCAP_CREATE, NULL))
            return R5G_OK;
        return r5g_err_set(err, R5G_EINPUT, "'%s': GDAL reads this format but cannot create it",
                           format);
    }
    const char *near = nearest_driver(format);
    if (near)
        return r5g_err_set(err, R5G_EINPUT, "'%s' is not a GDAL vector driver (did you mean '%s'?)",
                           format, near);
    return r5g_err_set(err, R5G_EINPUT, "'%s' is not a GDAL vector driver (e.g. GPKG, GeoJSON, "
                       "FlatGeobuf, ESRI Shapefile; ogrinfo --formats lists them)", format);
}

const char *geo_version_gdal(void)
{
    return GDALVersionInfo("RELEASE_NAME");
}

const char *geo_version_proj(void)
{
    return proj_info().version;
}

/* msg as one line in c->msg: GDAL's SQL parser adds a caret diagram. */
static void cpl_keep(geo_cpl *c, const char *msg)
{
    size_t n = 0;
    for (const char *q = msg; *q && n + 1 < sizeof c->msg; q++) {
        char ch = *q == '\n' || *q == '\r' || *q == '\t' ? ' ' : *q;
        if (ch == ' ' && (n == 0 || c->msg[n - 1] == ' '))
            continue;
        c->msg[n++] = ch;
    }
    while (n > 0 && c->msg[n - 1] == ' ')
        n--;
    c->msg[n] = '\0';
}

static void CPL_STDCALL cpl_handler(CPLErr cls, CPLErrorNum no, const char *msg)
{
    geo_cpl *c = CPLGetErrorHandlerUserData();
    (void)no;
    if (!msg)
        msg = "";
    switch (cls) {
    case CE_Debug:
        if (!c || !c->quiet)
            r5g_log(R5G_LOG_DEBUG, "GDAL: %s", msg);
        break;
    case CE_Warning:
        if (c && c->quiet)
            cpl_keep(c, msg);
        else
            r5g_log(R5G_LOG_WARN, "GDAL: %s", msg);
        break;
    case CE_None:
        break;
    default: /* CE_Failure, CE_Fatal: kept for the caller's message */
        if (c) {
            c->nfail++;
            cpl_keep(c, msg);
        }
        if (!c || !c->quiet)
            r5g_log(R5G_LOG_DEBUG, "GDAL error: %s", msg);
        break;
    }
}

void geo_cpl_push(geo_cpl *c)
{
    c->nfail = 0;
    c->quiet = 0;
    c->msg[0] = '\0';
    CPLErrorReset();
    CPLPushErrorHandlerEx(cpl_handler, c);
}

void geo_cpl_push_quiet(geo_cpl *c)
{
    geo_cpl_push(c);
    c->quiet = 1;
}

void geo_cpl_pop(geo_cpl *c)
{
    (void)c;
    CPLPopErrorHandler();
}

const char *geo_cpl_msg(const geo_cpl *c, const char *fallback)
{
    if (c && c->msg[0])
        return c->msg;
    const char *m = CPLGetLastErrorMsg();
    if (m && *m)
        return m;
    return fallback ? fallback : "unknown GDAL error";
}

void geo_open_reason(char *buf, size_t size, const geo_cpl *c, const char *path,
                     const char *fallback)
{
    const char *why = geo_cpl_msg(c, fallback);
    size_t pl = strlen(path);
    if (strncmp(why, path, pl) == 0 && why[pl] == ':' && why[pl + 1] == ' ')
        why += pl + 2; /* "path: No such file or directory" */
    else if (why[0] == '`' && strncmp(why + 1, path, pl) == 0 && why[pl + 1] == '\'' &&
             why[pl + 2] == ' ')
        why += pl + 3; /* "`path' not recognized as a supported file format." */
    snprintf(buf, size, "%s", why);
    size_t n = strlen(buf);
    if (n > 1 && buf[n - 1] == '.')
        buf[n - 1] = '\0';
}

int geo_raster_check(geo_ctx *ctx, const char *path, r5g_err *err)
{
    (void)ctx;
    geo_cpl cpl;
    geo_cpl_push_quiet(&cpl);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    int rc = R5G_OK;
    if (!ds) {
        char why[512];
        geo_open_reason(why, sizeof why, &cpl, path, "not a raster GDAL can read");
        rc = r5g_err_set(err, R5G_EIO, "cannot open '%s': %s", path, why);
    } else {
        GDALClose(ds);
    }
    geo_cpl_pop(&cpl);
    return rc;
}

OGRSpatialReferenceH geo_srs_from_user(const char *spec)
{
    if (!spec || !*spec)
        return NULL;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs)
        return NULL;
    if (OSRSetFromUserInput(srs, spec) != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

char *geo_srs_name(OGRSpatialReferenceH srs)
{
    if (!srs)
        return r5g_strdup("none");
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code)
        return r5g_asprintf("%s:%s", auth, code);
    /* e.g. a Shapefile .prj in ESRI WKT: try to recognise the EPSG code */
    OGRSpatialReferenceH c = OSRClone(srs);
    char *name = NULL;
    if (c) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        if (OSRAutoIdentifyEPSG(c) == OGRERR_NONE) {
            auth = OSRGetAuthorityName(c, NULL);
            code = OSRGetAuthorityCode(c, NULL);
            if (auth && code)
                name = r5g_asprintf("%s:%s", auth, code);
        }
        CPLPopErrorHandler();
        OSRDestroySpatialReference(c);
    }
    if (name)
        return name;
    const char *n = OSRGetName(srs);
    return r5g_strdup(n && *n ? n : "unnamed CRS");
}
