/* geo context: GDAL registration, GDAL error capture, CRS helpers. */
#include "geo/geo_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *geo_version_gdal(void)
{
    return GDALVersionInfo("RELEASE_NAME");
}

const char *geo_version_proj(void)
{
    return proj_info().version;
}

static void CPL_STDCALL cpl_handler(CPLErr cls, CPLErrorNum no, const char *msg)
{
    geo_cpl *c = CPLGetErrorHandlerUserData();
    (void)no;
    if (!msg)
        msg = "";
    switch (cls) {
    case CE_Debug:
        r5g_log(R5G_LOG_DEBUG, "GDAL: %s", msg);
        break;
    case CE_Warning:
        r5g_log(R5G_LOG_WARN, "GDAL: %s", msg);
        break;
    case CE_None:
        break;
    default: /* CE_Failure, CE_Fatal: kept for the caller's message */
        if (c) {
            c->nfail++;
            /* one line: GDAL's SQL parser adds a caret diagram */
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
        r5g_log(R5G_LOG_DEBUG, "GDAL error: %s", msg);
        break;
    }
}

void geo_cpl_push(geo_cpl *c)
{
    c->nfail = 0;
    c->msg[0] = '\0';
    CPLErrorReset();
    CPLPushErrorHandlerEx(cpl_handler, c);
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
