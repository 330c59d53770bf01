/* geo: everything GDAL/PROJ. Reads vector layers into plain arrays, picks and
 * applies the working CRS, finds candidate-demand pairs, writes output layers.
 * Never includes glpk.h; callers never see GDAL/OGR/PROJ types. */
#ifndef GEO_H
#define GEO_H

#include <stddef.h>
#include <stdint.h>

#include "common/r5g.h"

/* ---- context -------------------------------------------------------- */
typedef struct geo_ctx geo_ctx;
/* Registers GDAL drivers, routes GDAL/PROJ messages into r5g_log. */
int geo_ctx_new(geo_ctx **out, r5g_err *err);
void geo_ctx_free(geo_ctx *ctx);
const char *geo_version_gdal(void); /* "3.6.2" */
const char *geo_version_proj(void); /* "9.1.1" */
/* Checks that GDAL can write vector data in `format` (a driver short name, as
 * geo_out_open takes it). The message names the value and, when one is close,
 * the nearest writable driver: "'GPKX' is not a GDAL vector driver (did you
 * mean 'GPKG'?)"; callers prefix the key ("output.format: "). */
int geo_format_check(geo_ctx *ctx, const char *format, r5g_err *err);
/* Checks that GDAL opens `path` as a raster (a DEM, a clutter map) before
 * any work: "cannot open 'dem.tif': No such file or directory"; callers
 * prefix the key. */
int geo_raster_check(geo_ctx *ctx, const char *path, r5g_err *err);

/* ---- reading -------------------------------------------------------- */
/* A vector source as a scenario names it. Strings are borrowed. */
typedef struct geo_source {
    const char *path;                  /* file path or GDAL connection string */
    const char *layer;                 /* NULL: the first (only) layer */
    const char *where;                 /* OGR SQL attribute filter, or NULL */
    const char *crs;                   /* override the layer CRS (PROJ string, EPSG:n), or NULL */
    const char *const *open_options;   /* NULL-terminated KEY=VALUE list, or NULL */
    const char *label;                 /* scenario key, for messages ("demand") */
    int skip_invalid;                  /* skip features with a bad geometry instead of failing */
} geo_source;

/* One attribute the caller wants: the scenario key (for messages), the field
 * name in the layer, and whether its absence is an error. A missing optional
 * field reads as all-NULL. */
typedef struct geo_field_req {
    const char *key;    /* "weight" */
    const char *field;  /* "wt" (layer field name); NULL = not wanted */
    int required;
} geo_field_req;

enum {
    /* Regions: the layer must hold polygons, kept for geo_table_locate (and
     * repaired when invalid). Without it features are points, and polygons
     * use a point on their surface. */
    GEO_READ_KEEP_GEOMETRY = 1,
    /* Request 0 is the features' id: messages name it ("demand.geojson
     * feature 3 (id D4)"). */
    GEO_READ_ID_FIRST = 2,
    /* Attributes only: the geometry is not read (a layer without one, a
     * CSV, is fine); the points are NAN. Not with KEEP_GEOMETRY, nor
     * geo_table_project. */
    GEO_READ_NO_GEOMETRY = 4
};

/* A layer in memory: one point per feature, attributes as strings.
 *
 * Geometry: a feature whose geometry is missing, empty, without a finite
 * point, or of the wrong type (a line among points; anything but polygons
 * with GEO_READ_KEEP_GEOMETRY) is an error naming it, or with
 * src->skip_invalid it is skipped, counted and named in one warning
 * (geo_table_skipped). A layer whose declared geometry type is wrong (a point
 * layer as regions) is an error. Invalid polygons (self-intersections) are
 * repaired as GEOS MakeValid does (QGIS "Fix geometries", PostGIS
 * ST_MakeValid), with a warning naming each feature. An empty layer (after
 * `where` and skipping) is an error.
 *
 * Attributes: text must be UTF-8 (drivers that know the source's encoding,
 * e.g. Shapefile with a .cpg file or an ENCODING open option, recode it
 * first); anything else is an error naming the feature, the field and the bad
 * bytes in hex. A CSV row with fewer columns than the header is an error when
 * it lacks a requested field.
 *
 * A `crs` of GCJ-02 or BD-09 (any case, also GCJ02/BD09) reads the layer as
 * lon/lat in that datum and converts every point and vertex to WGS84
 * (EPSG:4326), warning about points outside China; coordinates outside the
 * lon/lat range, or outside China while the swapped pair lies inside, are
 * errors (lat/lon swapped?). */
typedef struct geo_table geo_table;
int geo_table_read(geo_table **out, geo_ctx *ctx, const geo_source *src,
                   const geo_field_req *fields, int nfields, int flags, r5g_err *err);
void geo_table_free(geo_table *t);
size_t geo_table_count(const geo_table *t);
/* Display name for messages: file base name (and layer when given). */
const char *geo_table_name(const geo_table *t);
/* Feature id (OGR FID) of row i, for messages. */
long long geo_table_fid(const geo_table *t, size_t i);
/* Row i for messages, into buf: "demand.geojson feature 3 (id D4)" (the id
 * with GEO_READ_ID_FIRST); returns buf. */
const char *geo_table_feature(const geo_table *t, size_t i, char *buf, size_t size);
/* Value of requested field f (index into the request array) at row i; NULL if null/absent. */
const char *geo_table_value(const geo_table *t, int f, size_t i);
/* 1 if requested field f exists in the layer. */
int geo_table_has_field(const geo_table *t, int f);
/* Coordinates in the working CRS (valid after geo_table_project). */
const double *geo_table_wx(const geo_table *t);
const double *geo_table_wy(const geo_table *t);
/* Longitude/latitude in WGS84 (valid after geo_table_project; NaN for planar). */
const double *geo_table_lon(const geo_table *t);
const double *geo_table_lat(const geo_table *t);
/* Source CRS as "EPSG:4326" or a short name; "none" when the layer has none. */
const char *geo_table_crs_name(const geo_table *t);
/* Features skipped (src->skip_invalid) for a bad geometry; *reason (if
 * reason) gets the first 20 as "feature 3 (id D4): no geometry; ..." and the
 * count of the rest. */
size_t geo_table_skipped(const geo_table *t, const char **reason);
/* Invalid polygons repaired on reading; *which (if which) gets the first 20
 * as "feature 3 (id 440400), ..." and the count of the rest. */
size_t geo_table_repaired(const geo_table *t, const char **which);

/* An attribute table read row by row, geometry ignored (plan_meta,
 * period_kpi): requested fields as strings, NULL for null or absent. */
typedef struct geo_rows geo_rows;
int geo_rows_read(geo_rows **out, geo_ctx *ctx, const char *path, const char *layer,
                  const char *const *fields, int nfields, r5g_err *err);
size_t geo_rows_count(const geo_rows *r);
int geo_rows_has_field(const geo_rows *r, int f);
const char *geo_rows_value(const geo_rows *r, int f, size_t i);
void geo_rows_free(geo_rows *r);
/* 1 when the vector source at path has a layer of that name. */
int geo_source_has_layer(const char *path, const char *layer);

/* Several projected tables read with the same requests as one: their rows
 * in order, each remembering its part (the layer it came from, which names
 * it in messages: geo_table_feature gives "ports.csv feature 12 (id P1)").
 * When prefix is not NULL, prefix[k] (or NULL) is put before the values of
 * request prefix_field of part k ("port:" + "P1"). On success the table owns
 * the parts and the caller's array entries are set to NULL; on failure they
 * stay the caller's. */
int geo_table_concat(geo_table **out, geo_table **parts, int n, const char *const *prefix,
                     int prefix_field, r5g_err *err);
/* Parts of a table: 1 for a table read from one layer. */
int geo_table_part_count(const geo_table *t);
/* Part k (0-based) as a table of its own (t itself for a single layer). */
const geo_table *geo_table_part_table(const geo_table *t, int k);
/* The part row i came from (0 for a single layer). */
int geo_table_part(const geo_table *t, size_t i);
/* The local files a data source is made of (a Shapefile's .shp .shx .dbf
 * .prj .cpg, a GeoPackage, a raster and its sidecars), as GDAL lists them,
 * sorted; a file GDAL cannot open is listed alone. *n is 0 for a connection
 * string, a URL or a path that does not exist. Free with geo_files_free. */
int geo_source_files(char ***files, size_t *n, geo_ctx *ctx, const char *path, r5g_err *err);
void geo_files_free(char **files, size_t n);

/* ---- working CRS ---------------------------------------------------- */
typedef struct geo_crs geo_crs;
/* Checks a CRS string before any layer is read: PROJ must know it (GCJ-02
 * and BD-09 are accepted unless `working`), and a working CRS must be
 * projected in metres. The message names the value ("'EPSG:4326' is
 * geographic; ..."); callers prefix the key. */
int geo_crs_check(const char *spec, int working, r5g_err *err);
/* spec: "auto" (UTM zone of the centre of all tables), "planar" (no CRS,
 * coordinates taken as metres), or anything PROJ accepts ("EPSG:32651").
 * The chosen CRS must be projected (metres). Unless planar, every table's
 * coordinates are checked against its CRS first: a geographic layer must lie
 * within -180..180 / -90..90 (with a hint when lat/lon look swapped or the
 * numbers look like metres), and a projected layer whose points all lie
 * within that range is an error (lon/lat data with a projected CRS). */
int geo_crs_choose(geo_crs **out, geo_ctx *ctx, const char *spec,
                   geo_table *const *tables, int ntables, r5g_err *err);
void geo_crs_free(geo_crs *crs);
const char *geo_crs_name(const geo_crs *crs); /* "EPSG:32651" or "planar" */
int geo_crs_is_planar(const geo_crs *crs);
/* Fills the working-CRS and WGS84 coordinates of t. */
int geo_table_project(geo_table *t, const geo_crs *crs, r5g_err *err);
/* For a table read with GEO_READ_KEEP_GEOMETRY (and projected): index of the
 * first polygon containing each point, or -1. */
int geo_table_locate(const geo_table *polys, const double *wx, const double *wy,
                     size_t n, int *out_index, r5g_err *err);

/* ---- coverage pairs ------------------------------------------------- */
/* Candidate-demand pairs within range, found with a uniform grid (never all
 * pairs). CSR by demand point: sites covering demand j are
 * site[ptr[j] .. ptr[j+1]), in ascending site order, with their distance. */
typedef struct geo_pairs {
    size_t n_demand;
    size_t n_pairs;
    size_t *ptr;   /* [n_demand + 1] */
    int32_t *site; /* [n_pairs] */
    float *dist;   /* [n_pairs] metres */
} geo_pairs;
/* radius[s] is the range of site s in metres (>= 0). */
int geo_pairs_find(geo_pairs *out, const double *sx, const double *sy, const double *radius,
                   size_t n_sites, const double *dx, const double *dy, size_t n_demand,
                   r5g_err *err);
void geo_pairs_free(geo_pairs *p);

/* ---- writing -------------------------------------------------------- */
typedef enum {
    GEO_GEOM_NONE, GEO_GEOM_POINT, GEO_GEOM_POLYGON,
    GEO_GEOM_MULTIPOLYGON, /* polygons are promoted to multipolygons */
    GEO_GEOM_LINE
} geo_geom_kind;
/* GEO_FT_INT: a 64-bit integer; GEO_FT_METRES: a length in metres, a real
 * stored rounded to the centimetre in every format (geo_round_cm);
 * GEO_FT_INT32: a 32-bit integer (OGR Integer); GEO_FT_DATETIME: a date and
 * time, as text OGR reads ("2026/01/31 12:00:00+08") or ISO 8601, stored as
 * a DateTime where the format has one (CSV and Shapefile: ISO 8601 text). */
typedef enum { GEO_FT_INT, GEO_FT_REAL, GEO_FT_STR, GEO_FT_DATE, GEO_FT_METRES, GEO_FT_INT32,
               GEO_FT_DATETIME } geo_ftype;
typedef struct geo_fdef {
    const char *name;
    geo_ftype type;
} geo_fdef;
/* The attribute fields of a source's layer (src->path, src->layer; the
 * where, crs and skip settings are not used), in layer order, with their
 * OGR types as geo_ftype: Integer GEO_FT_INT32, Integer64 GEO_FT_INT, Real
 * GEO_FT_REAL, Date GEO_FT_DATE, DateTime GEO_FT_DATETIME, anything else
 * (String, Time, lists, binary) GEO_FT_STR. Reads no feature. Free with
 * geo_source_fields_free. */
int geo_source_fields(char ***names, geo_ftype **types, int *n, geo_ctx *ctx,
                      const geo_source *src, r5g_err *err);
void geo_source_fields_free(char **names, geo_ftype *types, int n);

/* A field value; `null` wins. Dates are "YYYY-MM-DD" in s. */
typedef struct geo_val {
    int null;
    long long i;
    double d;
    const char *s;
} geo_val;
#define GEO_NULL ((geo_val){.null = 1})
#define GEO_INT(x) ((geo_val){.i = (x)})
#define GEO_REAL(x) ((geo_val){.d = (x)})
#define GEO_STR(x) ((geo_val){.null = (x) == NULL, .s = (x)})

/* metres rounded to the nearest centimetre (what GEO_FT_METRES fields store) */
double geo_round_cm(double metres);

typedef struct geo_out geo_out;
/* Checks the output: the driver, the CRS, the folder (exists, writable), and
 * fails if path exists and !overwrite. Creates nothing: the temporary output
 * (and its lock, common/afile.h) appears beside `path` with the first layer,
 * and nothing appears at `path` until geo_out_commit. format NULL = "GPKG".
 * t_srs NULL = "EPSG:4326" (ignored for a planar working CRS: geometry is
 * written as is, without CRS). */
int geo_out_open(geo_out **out, geo_ctx *ctx, const char *path, const char *format,
                 const geo_crs *work, const char *t_srs, int overwrite, r5g_err *err);
/* GDAL dataset and layer creation options for the output's driver, as
 * ogr2ogr -dsco/-lco ("NAME=VALUE", NULL-terminated lists, either NULL);
 * call before the first layer. Checked against the driver's option lists
 * where GDAL has one (unknown name, a value outside a string-select, not a
 * boolean/integer/number): R5G_EINPUT naming the option and the driver. They
 * go on top of the writer's own (CSV: CREATE_CSVT=YES, STRING_QUOTING=
 * IF_NEEDED, GEOMETRY; Shapefile: ENCODING=UTF-8), to every layer file of
 * the output's own driver (not to the CSV tables of a FlatGeobuf folder). */
int geo_out_set_options(geo_out *o, const char *const *dsco, const char *const *lco, r5g_err *err);
int geo_out_layer(geo_out *o, const char *name, geo_geom_kind kind, const geo_fdef *fields,
                  int nfields, r5g_err *err);
/* Adds a feature to the current layer: a point at (wx, wy) in the working CRS. */
int geo_out_point(geo_out *o, const geo_val *vals, double wx, double wy, r5g_err *err);
/* A disc of radius_m around (wx, wy) (polygon layers). */
int geo_out_disc(geo_out *o, const geo_val *vals, double wx, double wy, double radius_m,
                 r5g_err *err);
/* A polygon with n >= 3 vertices (wx[k], wy[k]) in the working CRS, not
 * repeating the first (the ring is closed here). */
int geo_out_polygon(geo_out *o, const geo_val *vals, const double *wx, const double *wy, int n,
                    r5g_err *err);
/* The polygon of row i of a table read with GEO_READ_KEEP_GEOMETRY. */
int geo_out_table_geom(geo_out *o, const geo_val *vals, const geo_table *t, size_t i,
                       r5g_err *err);
/* A row without geometry (GEO_GEOM_NONE layers). */
int geo_out_row(geo_out *o, const geo_val *vals, r5g_err *err);
/* Closes the dataset, syncs it and moves it to its final path; without
 * overwrite never over a path that appeared meanwhile (R5G_EIO "PATH:
 * appeared while this run was writing; not replaced (use --overwrite)"). */
int geo_out_commit(geo_out *o, r5g_err *err);
/* Frees; removes the temporary file if not committed. Accepts NULL. */
void geo_out_free(geo_out *o);

/* Formats that hold one layer per file (GDAL drivers without
 * DCAP_MULTIPLE_VECTOR_LAYERS: GeoJSON, FlatGeobuf, ESRI Shapefile, CSV, ...)
 * are written as a folder named `path` with one LAYER.EXT per layer; the
 * folder is built under a temporary name and renamed as a whole. With
 * overwrite, an existing folder is replaced only when it holds an earlier
 * plan (a plan_meta.* file) and no sub-folder. */
int geo_out_is_folder(const geo_out *o);
/* Longest field name the format keeps (10 for ESRI Shapefile), 0 = no limit. */
int geo_out_field_name_max(const geo_out *o);
/* GDAL short name of the output driver ("GPKG"); "KML" for KML, written
 * with the features' styles through GDAL's LIBKML driver for format
 * "LIBKML", and for "KML" from GDAL 3.9.1 on (LIBKML's writer is quadratic
 * before; GDAL's KML driver, unstyled, then). */
const char *geo_out_format(const geo_out *o);
/* A line from (x0, y0) to (x1, y1), working CRS (GEO_GEOM_LINE layers). */
int geo_out_line(geo_out *o, const geo_val *vals, double x0, double y0, double x1, double y1,
                 r5g_err *err);
/* The union of the discs (wx[k], wy[k], radius_m[k]), k < n, computed in the
 * working CRS (GEOS), written as one multipolygon feature (NULL geometry when
 * n is 0). Its area in km2, measured in the working CRS before any
 * reprojection, is stored in vals[area_field] (a GEO_FT_REAL field) and in
 * *area_km2 when not NULL. */
int geo_out_disc_union(geo_out *o, geo_val *vals, int area_field, const double *wx,
                       const double *wy, const double *radius_m, size_t n, double *area_km2,
                       r5g_err *err);
/* The OGR feature style string (OGR_F_SetStyleString: "SYMBOL(c:#1A9641FF)",
 * "PEN(c:#..);BRUSH(fc:#..)") of the next feature written, for the formats
 * that draw per-feature styles (KML); the others ignore it. NULL: none. */
int geo_out_draws_styles(const geo_out *o);
void geo_out_feature_style(geo_out *o, const char *ogr_style);
/* Default style of a finished layer: GeoPackage: a row of the QGIS
 * `layer_styles` table (created on first use; useAsDefault true; sld in
 * styleSLD); folder formats: LAYER.qml (which QGIS loads by default) and,
 * when sld is not NULL, LAYER.sld beside the layer's file; other formats:
 * nothing. qml is a QGIS style document, sld an OGC StyledLayerDescriptor
 * or NULL. */
int geo_out_style(geo_out *o, const char *layer, const char *qml, const char *sld,
                  r5g_err *err);

#endif
