/* Output layers: written under a temporary name beside the target, created
 * when the first layer starts (after the solve), and moved into place by
 * geo_out_commit without replacing anything that appeared meanwhile (unless
 * overwrite), so a failed, interrupted or killed run leaves no half-written
 * plan and a racing run cannot lose one (common/afile.h). */
#include "geo/geo_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_minixml.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <dirent.h>

#include "common/afile.h"

enum { DISC_VERTICES = 72 };

struct geo_out {
    GDALDriverH drv;
    GDALDatasetH ds;
    char *path;
    const char *tmp;                   /* the temporary (of af), NULL until writing starts */
    r5g_afile *af;                     /* the temporary and its lock, NULL until writing starts */
    int overwrite;
    char **dsco, **lco;                /* the user's creation options (--dsco, --lco) */
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
    OGRLayerH styles;     /* GPKG layer_styles, once created */
    int max_field_name;   /* 10 for ESRI Shapefile, 0 = no limit */
    int *fidx;            /* [nfields] OGR field index of each field (KML adds its own first) */
    GDALDriverH lyr_drv;  /* driver of the current layer's file (folder mode) */
    char *lyr_path;       /* the current layer's file (folder mode) */
    long long n_written;  /* features written to the current layer */
    char *fstyle;         /* OGR style string of the next feature, NULL none */
    int draws_styles;     /* the driver turns feature styles into the file's own (LIBKML) */
};

/* GDAL's CSV writer (3.6) writes dates as 2026/01/01: CSV layers get their
 * dates as ISO 8601 text, declared Date in the .csvt afterwards. */
static int csv_layer(const geo_out *o)
{
    return !strcmp(GDALGetDriverShortName(o->lyr_drv ? o->lyr_drv : o->drv), "CSV");
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
    o->ds = GDALCreate(o->lyr_drv, p, 0, 0, 0, GDT_Unknown, o->lyr_drv == o->drv ? o->dsco : NULL);
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
 * .cpg) for Shapefile; for CSV WKT geometry, a .csvt type file and quotes
 * only where the text needs them (GDAL 3.6 quotes integers as well under
 * its default IF_AMBIGUOUS). The user's --lco go on top, for the files of
 * the output's own driver (not the CSV tables of a FlatGeobuf plan). */
static char **layer_options(const geo_out *o, OGRwkbGeometryType gt)
{
    const char *d = GDALGetDriverShortName(o->lyr_drv ? o->lyr_drv : o->drv);
    char **lco = NULL;
    if (!strcmp(d, "ESRI Shapefile"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    else if (!strcmp(d, "CSV")) {
        lco = CSLSetNameValue(lco, "CREATE_CSVT", "YES");
        lco = CSLSetNameValue(lco, "STRING_QUOTING", "IF_NEEDED");
        if (gt != wkbNone)
            lco = CSLSetNameValue(lco, "GEOMETRY", gt == wkbPoint ? "AS_XY" : "AS_WKT");
    }
    if (!o->folder || o->lyr_drv == o->drv)
        for (char **u = o->lco; u && *u; u++) {
            char *key = NULL;
            const char *val = CPLParseNameValue(*u, &key);
            if (key)
                lco = CSLSetNameValue(lco, key, val);
            CPLFree(key);
        }
    return lco;
}

/* The CSV file of the layer just closed declares its ISO-text dates as Date
 * in its .csvt (the last nfields entries are our fields, in order). */
static int csv_declare_dates(geo_out *o, r5g_err *err)
{
    int any = 0;
    for (int k = 0; k < o->nfields; k++)
        any |= o->ftypes[k] == GEO_FT_DATE;
    size_t len = o->lyr_path ? strlen(o->lyr_path) : 0;
    if (!any || len < 4 || strcmp(o->lyr_path + len - 4, ".csv") != 0)
        return R5G_OK;
    char *csvt = r5g_asprintf("%st", o->lyr_path);
    if (!csvt)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    int rc = R5G_OK;
    char **types = NULL;
    VSILFILE *f = VSIFOpenL(csvt, "rb");
    const char *line = f ? CPLReadLineL(f) : NULL;
    if (line)
        types = CSLTokenizeStringComplex(line, ",", FALSE, TRUE);
    if (f)
        VSIFCloseL(f);
    int n = CSLCount(types);
    if (!f) /* --lco CREATE_CSVT=NO: no type file to amend */
        goto done;
    if (n < o->nfields) {
        rc = r5g_err_set(err, R5G_EIO, "%s: layer '%s': '%s' lists %d types for %d fields",
                         o->path, o->lyr_name, csvt, n, o->nfields);
        goto done;
    }
    for (int k = 0; k < o->nfields; k++)
        if (o->ftypes[k] == GEO_FT_DATE) {
            CPLFree(types[n - o->nfields + k]);
            types[n - o->nfields + k] = CPLStrdup("Date");
        }
    char *joined = NULL;
    for (int k = 0; k < n; k++) {
        char *next = r5g_asprintf("%s%s%s", joined ? joined : "", k ? "," : "", types[k]);
        free(joined);
        joined = next;
        if (!joined) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            goto done;
        }
    }
    f = VSIFOpenL(csvt, "wb");
    int bad = !f || VSIFPrintfL(f, "%s\n", joined) < (int)strlen(joined) + 1;
    if (f)
        bad |= VSIFCloseL(f) != 0;
    free(joined);
    if (bad)
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", csvt, strerror(errno));
done:
    CSLDestroy(types);
    free(csvt);
    return rc;
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
    o->overwrite = overwrite;
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
    if (access(dir, W_OK | X_OK) != 0) { /* now, not after the solve */
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': folder '%s': %s", path, dir,
                         strerror(errno));
        goto done;
    }

    /* KML with the features' styles is GDAL's LIBKML driver (its KML driver
     * drops point and fill styles). Before GDAL 3.9.1 LIBKML's writer is
     * quadratic in the file's size when it closes (GDAL issue #10138: the
     * 3,577 placemarks of the default plan took 158 s, against 1.6 s for the
     * whole GeoPackage plan), so `KML` uses it from 3.9.1 on and `LIBKML`
     * always. LIBKML makes a folder of a path without .kml or .kmz, so such
     * a path keeps the KML driver. */
    int libkml = GDALGetDriverByName("LIBKML") &&
                 (!strcasecmp(format, "LIBKML") ||
                  (!strcasecmp(format, "KML") && atol(GDALVersionInfo("VERSION_NUM")) >= 3090100));
    o->drv = GDALGetDriverByName(libkml ? "KML" : format);
    if (o->drv && libkml) {
        size_t n = strlen(path);
        if (n > 4 && (!strcasecmp(path + n - 4, ".kml") || !strcasecmp(path + n - 4, ".kmz")))
            o->drv = GDALGetDriverByName("LIBKML");
        else
            r5g_log(R5G_LOG_WARN, "%s: a KML file without the .kml extension is written without "
                    "styles (GDAL's KML driver); name it .kml for styled placemarks", path);
    }
    o->draws_styles = o->drv && strcmp(GDALGetDriverShortName(o->drv), "LIBKML") == 0;
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

/* ---- the user's creation options (--dsco, --lco) ------------------------- */

/* The <Option> of a GDAL option list named `name` (or aliased so), or NULL. */
static CPLXMLNode *find_option(CPLXMLNode *list, const char *name)
{
    for (CPLXMLNode *n = list ? list->psChild : NULL; n; n = n->psNext) {
        if (n->eType != CXT_Element || strcmp(n->pszValue, "Option") != 0)
            continue;
        const char *nm = CPLGetXMLValue(n, "name", "");
        const char *alias = CPLGetXMLValue(n, "alias", "");
        if (!strcasecmp(nm, name) || (*alias && !strcasecmp(alias, name)))
            return n;
    }
    return NULL;
}

/* NULL when value suits the option's type, else what it takes (malloc'd). */
static char *option_value_problem(CPLXMLNode *opt, const char *value)
{
    const char *type = CPLGetXMLValue(opt, "type", "");
    char *end = NULL;
    if (!strcasecmp(type, "boolean")) {
        static const char *const ok[] = {"YES", "NO", "ON", "OFF", "TRUE", "FALSE", "1", "0"};
        for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
            if (!strcasecmp(value, ok[k]))
                return NULL;
        return r5g_strdup("YES or NO");
    }
    if (!strcasecmp(type, "int") || !strcasecmp(type, "integer")) {
        (void)strtoll(value, &end, 10);
        return *value && end && !*end ? NULL : r5g_strdup("an integer");
    }
    if (!strcasecmp(type, "float")) {
        (void)strtod(value, &end);
        return *value && end && !*end ? NULL : r5g_strdup("a number");
    }
    if (strcasecmp(type, "string-select") != 0)
        return NULL;
    char *list = NULL;
    for (CPLXMLNode *v = opt->psChild; v; v = v->psNext) {
        if (v->eType != CXT_Element || strcmp(v->pszValue, "Value") != 0)
            continue;
        const char *text = CPLGetXMLValue(v, NULL, "");
        const char *alias = CPLGetXMLValue(v, "alias", "");
        if (!strcasecmp(text, value) || (*alias && !strcasecmp(alias, value))) {
            free(list);
            return NULL;
        }
        char *next = r5g_asprintf("%s%s%s", list ? list : "", list ? ", " : "", text);
        free(list);
        list = next;
        if (!list)
            return NULL; /* out of memory: let GDAL judge the value */
    }
    return list;
}

/* Checks opts ("NAME=VALUE" each) against the driver's option list (XML
 * metadata item `item`) and copies them into *into. */
static int take_options(char ***into, GDALDriverH drv, const char *item, const char *flag,
                        const char *what, const char *const *opts, r5g_err *err)
{
    const char *drvname = GDALGetDriverShortName(drv);
    const char *xml = GDALGetMetadataItem(drv, item, NULL);
    CPLXMLNode *list = xml && *xml ? CPLParseXMLString(xml) : NULL;
    int rc = R5G_OK;
    for (const char *const *o = opts; o && *o && rc == R5G_OK; o++) {
        const char *eq = strchr(*o, '=');
        if (!eq || eq == *o) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s %s: expected NAME=VALUE", flag, *o);
            break;
        }
        char *name = r5g_strndup(*o, (size_t)(eq - *o));
        if (!name) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            break;
        }
        CPLXMLNode *opt = list ? find_option(list, name) : NULL;
        char *problem = opt ? option_value_problem(opt, eq + 1) : NULL;
        if (list && !opt)
            rc = r5g_err_set(err, R5G_EINPUT, "%s %s: the %s driver has no %s option %s "
                             "(`ogrinfo --format \"%s\"` lists them)", flag, *o, drvname, what,
                             name, drvname);
        else if (problem)
            rc = r5g_err_set(err, R5G_EINPUT, "%s %s: %s option %s of the %s driver takes %s",
                             flag, *o, what, name, drvname, problem);
        else
            *into = CSLAddString(*into, *o);
        free(problem);
        free(name);
    }
    if (list)
        CPLDestroyXMLNode(list);
    return rc;
}

int geo_out_set_options(geo_out *o, const char *const *dsco, const char *const *lco, r5g_err *err)
{
    int rc = take_options(&o->dsco, o->drv, GDAL_DMD_CREATIONOPTIONLIST, "--dsco", "dataset creation",
                          dsco, err);
    return rc ? rc : take_options(&o->lco, o->drv, GDAL_DS_LAYER_CREATIONOPTIONLIST, "--lco",
                                  "layer creation", lco, err);
}

/* Writing starts: the temporary file or folder (and its lock) appear beside
 * the target now, after the solve, not when the output was opened. */
static int begin_writing(geo_out *o, geo_cpl *cpl, r5g_err *err)
{
    if (o->af)
        return R5G_OK;
    int rc = r5g_afile_new(&o->af, o->path, o->folder, err);
    if (rc)
        return rc;
    o->tmp = r5g_afile_tmp(o->af);
    if (o->folder) {
        if (mkdir(o->tmp, 0777) != 0)
            return r5g_err_set(err, R5G_EIO, "cannot create folder '%s': %s", o->tmp,
                               strerror(errno));
        r5g_test_pause_at("write");
        return R5G_OK;
    }
    /* a larger SQLite page cache (GPKG, SQLite) keeps big layers from
     * spilling to disk mid-transaction; set for this thread and this call only */
    const char *old_cache = CPLGetThreadLocalConfigOption("OGR_SQLITE_CACHE", NULL);
    char *keep_cache = old_cache ? r5g_strdup(old_cache) : NULL;
    if (!CPLGetConfigOption("OGR_SQLITE_CACHE", NULL))
        CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", "256");
    o->ds = GDALCreate(o->drv, o->tmp, 0, 0, 0, GDT_Unknown, o->dsco);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", keep_cache);
    free(keep_cache);
    if (!o->ds)
        return r5g_err_set(err, R5G_EIO, "cannot create '%s' (%s): %s", o->tmp,
                           GDALGetDriverShortName(o->drv), geo_cpl_msg(cpl, "GDAL refused"));
    r5g_test_pause_at("write");
    return R5G_OK;
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
        if (rc == R5G_OK && csv_layer(o))
            rc = csv_declare_dates(o, err);
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
    if ((rc = layer_end(o, &cpl, err)) || (rc = begin_writing(o, &cpl, err)))
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
    /* CSV and LIBKML (whose schema leaves Date fields out): dates as ISO text */
    int csv = csv_layer(o) || o->draws_styles, shp = o->max_field_name == 10;
    for (int k = 0; k < nfields; k++) {
        geo_ftype t = fields[k].type;
        OGRFieldType ft = t == GEO_FT_INT                        ? OFTInteger64
                          : t == GEO_FT_INT32                    ? OFTInteger
                          : t == GEO_FT_REAL || t == GEO_FT_METRES ? OFTReal
                          : t == GEO_FT_DATE && !csv             ? OFTDate
                          : t == GEO_FT_DATETIME && !csv && !shp ? OFTDateTime
                                                                 : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(fields[k].name, ft);
        if (t == GEO_FT_METRES && shp) { /* a .dbf stores the digits it is given room for */
            OGR_Fld_SetWidth(fd, 20);
            OGR_Fld_SetPrecision(fd, 2);
        }
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

double geo_round_cm(double metres)
{
    double r = round(metres * 100.0) / 100.0;
    return r == 0 ? 0 : r; /* no -0 */
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

/* A date and time as OGR reads it ("2026/01/31 12:00:00+08") in ISO 8601
 * ("2026-01-31T12:00:00+08"), into buf; other text as it is. */
static const char *iso_datetime(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n < 10 || n >= size || s[4] != '/' || s[7] != '/')
        return s;
    memcpy(buf, s, n + 1);
    buf[4] = buf[7] = '-';
    if (buf[10] == ' ')
        buf[10] = 'T';
    return buf;
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
        case GEO_FT_INT32:
            OGR_F_SetFieldInteger64(f, fi, (GIntBig)v->i);
            break;
        case GEO_FT_DATETIME: {
            char iso[64];
            if (v->s)
                OGR_F_SetFieldString(f, fi, iso_datetime(v->s, iso, sizeof iso));
            else
                OGR_F_SetFieldNull(f, fi);
            break;
        }
        case GEO_FT_REAL:
        case GEO_FT_METRES:
            if (isnan(v->d))
                OGR_F_SetFieldNull(f, fi);
            else
                OGR_F_SetFieldDouble(f, fi, o->ftypes[k] == GEO_FT_METRES ? geo_round_cm(v->d) : v->d);
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
            if (csv_layer(o) || o->draws_styles)
                OGR_F_SetFieldString(f, fi, v->s); /* ISO 8601 (CSV: declared Date in the .csvt) */
            else
                OGR_F_SetFieldDateTime(f, fi, y, m, d, 0, 0, 0, 0);
            break;
        }
        }
    }
    OGR_F_SetStyleString(f, o->draws_styles ? o->fstyle : NULL);
    free(o->fstyle);
    o->fstyle = NULL;
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
    if (o->committed) {
        rc = r5g_err_set(err, R5G_EINTERNAL, "%s: output already closed", o->path);
        goto done;
    }
    if ((rc = layer_end(o, &cpl, err)) || (rc = begin_writing(o, &cpl, err)))
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
    /* the folder checked at open may have been swapped for someone's own since */
    struct stat st;
    if (o->overwrite && o->folder && stat(o->path, &st) == 0 && S_ISDIR(st.st_mode) &&
        !replaceable_folder(o->path)) {
        rc = r5g_err_set(err, R5G_EIO, "%s is a folder that does not hold an earlier plan: "
                         "not replacing it (choose another -o path)", o->path);
        goto done;
    }
    if ((rc = r5g_afile_commit(o->af, o->overwrite, err)))
        goto done;
    o->committed = 1;
done:
    geo_cpl_pop(&cpl);
    return rc;
}

void geo_out_free(geo_out *o)
{
    if (!o)
        return;
    if (o->feat)
        OGR_F_Destroy(o->feat);
    o->feat = NULL;
    if (o->ds) {
        geo_cpl cpl;
        geo_cpl_push(&cpl);
        if (o->in_tx)
            GDALDatasetRollbackTransaction(o->ds);
        GDALClose(o->ds);
        geo_cpl_pop(&cpl);
    }
    r5g_afile_free(o->af); /* the temporary, unless committed, and its lock */
    for (int k = 0; k < o->nfields; k++)
        free(o->fnames[k]);
    free(o->fnames);
    free(o->ftypes);
    free(o->lyr_name);
    free(o->fidx);
    free(o->lyr_path);
    free(o->ext);
    CSLDestroy(o->dsco);
    CSLDestroy(o->lco);
    if (o->ct)
        OCTDestroyCoordinateTransformation(o->ct);
    if (o->srs)
        OSRDestroySpatialReference(o->srs);
    free(o->fstyle);
    free(o->path);
    free(o);
}

/* ---- the map layers for reviewers ---------------------------------------- */

int geo_out_is_folder(const geo_out *o) { return o->folder; }
int geo_out_field_name_max(const geo_out *o) { return o->max_field_name; }
const char *geo_out_format(const geo_out *o)
{
    return o->draws_styles ? "KML" : GDALGetDriverShortName(o->drv);
}

int geo_out_draws_styles(const geo_out *o) { return o->draws_styles; }

void geo_out_feature_style(geo_out *o, const char *ogr_style)
{
    free(o->fstyle);
    o->fstyle = ogr_style && o->draws_styles ? r5g_strdup(ogr_style) : NULL;
}

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
    if ((rc = layer_end(o, &cpl, err)) || (rc = begin_writing(o, &cpl, err)))
        goto done;
    if (o->folder) {
        char *p = r5g_asprintf("%s/%s.qml", o->tmp, layer);
        rc = p ? write_text_file(p, qml, err) : r5g_err_set(err, R5G_ENOMEM, "out of memory");
        free(p);
        if (rc == R5G_OK && sld) {
            p = r5g_asprintf("%s/%s.sld", o->tmp, layer);
            rc = p ? write_text_file(p, sld, err) : r5g_err_set(err, R5G_ENOMEM, "out of memory");
            free(p);
        }
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
