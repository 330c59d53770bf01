/* The files that make up a local data source, as GDAL lists them: a
 * Shapefile's .shp .shx .dbf .prj .cpg, a CSV with its .csvt, a raster with
 * its sidecars; so a checksum of an input covers every file that changes
 * what is read (plan_meta input hashes, `verify`). */
#include "geo/geo_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_string.h>

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int geo_source_files(char ***files, size_t *n, geo_ctx *ctx, const char *path, r5g_err *err)
{
    (void)ctx;
    *files = NULL;
    *n = 0;
    struct stat st;
    if (!path || stat(path, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
        return 0; /* a connection string, a URL, a /vsi path: no local files */
    geo_cpl cpl;
    geo_cpl_push(&cpl);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    char **list = ds ? GDALGetFileList(ds) : NULL;
    if (ds)
        GDALClose(ds);
    geo_cpl_pop(&cpl);
    size_t cap = (size_t)CSLCount(list) + 1;
    char **out = calloc(cap, sizeof *out);
    int rc = 0;
    if (!out) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory listing the files of %s", path);
        goto done;
    }
    if (!list && S_ISREG(st.st_mode)) { /* GDAL does not open it: the file alone */
        if (!(out[(*n)++] = r5g_strdup(path)))
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory listing the files of %s", path);
        goto done;
    }
    for (char **f = list; f && *f; f++) {
        if (!is_file(*f))
            continue;
        if (!(out[*n] = r5g_strdup(*f))) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory listing the files of %s", path);
            goto done;
        }
        (*n)++;
    }
    qsort(out, *n, sizeof *out, cmp_path);
    size_t u = 0;
    for (size_t k = 0; k < *n; k++) {
        if (u && strcmp(out[u - 1], out[k]) == 0)
            free(out[k]);
        else
            out[u++] = out[k];
    }
    *n = u;
done:
    CSLDestroy(list);
    if (rc) {
        geo_files_free(out, *n);
        out = NULL;
        *n = 0;
    }
    *files = out;
    return rc;
}

void geo_files_free(char **files, size_t n)
{
    for (size_t k = 0; files && k < n; k++)
        free(files[k]);
    free(files);
}
