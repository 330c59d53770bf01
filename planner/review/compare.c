/* `rollout5g compare`: the comparison itself, one function per aspect, each
 * filling its part of one pl_cmp (see compare.h and docs/review.md). The
 * renderers in compare_out.c and compare_html.c only render it. */
#include "config.h"

#include <json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/strbuf.h"
#include "geo/geo_view.h"
#include "planner/review/compare.h"

/* Two sites (or demand points) of two plans are the same place within this. */
#define SAME_PLACE_M 1.0

static int nomem(r5g_err *err) { return r5g_err_set(err, R5G_ENOMEM, "out of memory comparing plans"); }

static int clamp1(int v) { return v < 1 ? 1 : v; }

const char *pl_site_change_name(pl_site_change c)
{
    static const char *const n[PL_SITE_N] = {"only_a", "only_b", "earlier", "later", "same"};
    return c >= 0 && c < PL_SITE_N ? n[c] : "?";
}

const char *pl_dem_change_name(pl_dem_change c)
{
    static const char *const n[PL_DEM_N] = {"lost", "became_late", "gained", "became_on_time"};
    return c >= 0 && c < PL_DEM_N ? n[c] : "?";
}

/* A note for the reader of every report, and a warning now. */
static int note(pl_cmp *c, r5g_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int note(pl_cmp *c, r5g_err *err, const char *fmt, ...)
{
    r5g_str b = R5G_STR_INIT;
    va_list ap;
    va_start(ap, fmt);
    r5g_str_vappendf(&b, fmt, ap);
    va_end(ap);
    char *s = r5g_str_finish(&b);
    char **n = s ? realloc(c->notes, (size_t)(c->n_notes + 1) * sizeof *n) : NULL;
    if (!n) {
        free(s);
        return nomem(err);
    }
    c->notes = n;
    c->notes[c->n_notes++] = s;
    r5g_log(R5G_LOG_WARN, "%s", s);
    return 0;
}

/* ---- ids: rows sorted by id, looked up by binary search -------------------- */

typedef struct id_sort {
    const char *const *ids;
    size_t n;
    size_t *row; /* rows with an id, sorted by it */
    size_t m;
} id_sort;

static int cmp_row(const void *a, const void *b, void *ctx)
{
    const char *const *ids = ctx;
    return strcmp(ids[*(const size_t *)a], ids[*(const size_t *)b]);
}

static int id_sort_make(id_sort *s, const char *const *ids, size_t n)
{
    s->ids = ids;
    s->n = n;
    s->m = 0;
    if (!(s->row = malloc((n ? n : 1) * sizeof *s->row)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (ids[i])
            s->row[s->m++] = i;
    if (s->m > 1)
        qsort_r(s->row, s->m, sizeof *s->row, cmp_row, (void *)ids);
    return 0;
}

/* The first row with this id, or -1. */
static long id_sort_find(const id_sort *s, const char *id)
{
    if (!id)
        return -1;
    size_t lo = 0, hi = s->m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->ids[s->row[mid]], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->m && strcmp(s->ids[s->row[lo]], id) == 0 ? (long)s->row[lo] : -1;
}

/* ---- reading the plans -------------------------------------------------------- */

/* "budget_low" for "dir/budget_low.gpkg"; malloc'd */
static char *file_label(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *base = path;
    for (size_t i = 0; i < n; i++)
        if (path[i] == '/' && i + 1 < n)
            base = path + i + 1;
    size_t len = (size_t)(path + n - base);
    const char *dot = memchr(base, '.', len);
    if (dot && dot > base)
        len = (size_t)(dot - base);
    return r5g_strndup(base, len);
}

static int read_plans(pl_cmp *c, geo_ctx *geo, const pl_compare_opts *o, r5g_err *err)
{
    c->n = o->n_plans;
    if (!(c->plan = calloc((size_t)c->n, sizeof *c->plan)))
        return nomem(err);
    for (int i = 0; i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        q->path = o->plans[i];
        struct stat st;
        int rc = pl_plan_read(&q->p, geo, q->path, err);
        if (rc && rc != R5G_ENOMEM && stat(q->path, &st) == 0) /* there, but not readable as a plan */
            r5g_err_prefix(err, "%s is not a plan written by rollout5g", q->path);
        if (rc)
            return rc;
        r5g_log(R5G_LOG_INFO, "plan %d: %s: %zu sites, %zu demand points, %d periods", i + 1, q->path,
                q->p->ns, q->p->nd, q->p->sc->n_periods);
    }
    /* labels: given, else the file names, else A, B, C, ... when those repeat */
    int repeat = 0;
    for (int i = 0; i < c->n; i++) {
        const char *given = o->labels ? o->labels[i] : NULL;
        c->plan[i].label = given ? r5g_strdup(given) : file_label(c->plan[i].path);
        if (!c->plan[i].label)
            return nomem(err);
        if (!*c->plan[i].label && given)
            return r5g_err_set(err, R5G_EUSAGE, "--labels: label %d is empty", i + 1);
        for (int k = 0; k < i; k++)
            if (strcmp(c->plan[k].label, c->plan[i].label) == 0) {
                if (given)
                    return r5g_err_set(err, R5G_EUSAGE, "--labels: '%s' names two plans", given);
                repeat = 1;
            }
        repeat |= !*c->plan[i].label;
    }
    for (int i = 0; repeat && i < c->n; i++) {
        free(c->plan[i].label);
        if (!(c->plan[i].label = i < 26 ? r5g_asprintf("%c", 'A' + i) : r5g_asprintf("P%d", i + 1)))
            return nomem(err);
    }
    return 0;
}

/* Every plan covers the same periods as plan A (the same labels, in order). */
static int check_periods(pl_cmp *c, r5g_err *err)
{
    const pl_scenario *a = c->plan[0].p->sc;
    c->sc = a;
    c->T = a->n_periods;
    for (int i = 1; i < c->n; i++) {
        const pl_scenario *b = c->plan[i].p->sc;
        int same = b->n_periods == a->n_periods;
        for (int t = 0; same && t < a->n_periods; t++)
            same = strcmp(a->period_label[t], b->period_label[t]) == 0;
        if (!same)
            return r5g_err_set(err, R5G_EINPUT, "%s: periods %s..%s (%d) differ from %s's %s..%s (%d): "
                               "compare plans over the same periods", c->plan[i].path, b->period_label[0],
                               b->period_label[b->n_periods - 1], b->n_periods, c->plan[0].path,
                               a->period_label[0], a->period_label[a->n_periods - 1], a->n_periods);
    }
    return 0;
}

/* Sites of every plan in the common CRS (plan A's working CRS). */
static int common_crs(pl_cmp *c, r5g_err *err)
{
    c->crs = c->plan[0].p->crs;
    for (int i = 0; i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        size_t ns = q->p->ns;
        if (!(q->sx = malloc((ns ? ns : 1) * sizeof *q->sx)) || !(q->sy = malloc((ns ? ns : 1) * sizeof *q->sy)))
            return nomem(err);
        int rc = geo_crs_transform(q->p->crs, c->crs, q->p->s_x, q->p->s_y, q->sx, q->sy, ns, err);
        if (rc) {
            r5g_err_prefix(err, "%s", q->path);
            return rc;
        }
    }
    return 0;
}

/* Plans far apart are probably not of one area: say so (not an error: a
 * reviewer may compare neighbouring districts on purpose). */
static int check_overlap(pl_cmp *c, r5g_err *err)
{
    double box[2][4];
    for (int i = 0; i < c->n; i++) {
        const pl_cmp_plan *q = &c->plan[i];
        double *b = box[i ? 1 : 0];
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t s = 0; s < q->p->ns; s++) {
            b[0] = fmin(b[0], q->sx[s]);
            b[1] = fmin(b[1], q->sy[s]);
            b[2] = fmax(b[2], q->sx[s]);
            b[3] = fmax(b[3], q->sy[s]);
        }
        if (i == 0)
            continue;
        double gx = fmax(0, fmax(box[1][0] - box[0][2], box[0][0] - box[1][2]));
        double gy = fmax(0, fmax(box[1][1] - box[0][3], box[0][1] - box[1][3]));
        double gap = hypot(gx, gy);
        if (gap > 0) {
            int rc = note(c, err, "%s and %s do not overlap: their sites lie %.1f km apart", c->plan[0].label,
                          q->label, gap / 1000);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- the reference demand and regions -------------------------------------- */

/* PATH or PATH:LAYER: the whole string when it names a file, else split at
 * the last colon when the part before it does (a GDAL connection string
 * passes whole). */
static int split_source(const char *spec, char **path, char **layer)
{
    struct stat st;
    *layer = NULL;
    const char *colon = strrchr(spec, ':');
    if (stat(spec, &st) != 0 && colon && colon > spec && colon[1]) {
        char *pre = r5g_strndup(spec, (size_t)(colon - spec));
        if (!pre)
            return -1;
        if (stat(pre, &st) == 0) {
            *path = pre;
            return (*layer = r5g_strdup(colon + 1)) ? 0 : -1;
        }
        free(pre);
    }
    return (*path = r5g_strdup(spec)) ? 0 : -1;
}

static int read_layer(geo_table **t, geo_ctx *geo, const char *option, const char *spec, const geo_field_req *req,
                      int n, int flags, const geo_crs *crs, r5g_err *err)
{
    char *path = NULL, *layer = NULL;
    int rc;
    if (split_source(spec, &path, &layer))
        rc = nomem(err);
    else
        rc = geo_table_read(t, geo, &(geo_source){.path = path, .layer = layer, .label = option}, req, n, flags,
                            err);
    if (rc == 0)
        rc = geo_table_project(*t, crs, err);
    if (rc)
        r5g_err_prefix(err, "%s %s", option, spec);
    free(path);
    free(layer);
    return rc;
}

/* The first of the requests [k0, k1) the layer has, or -1. */
static int first_field(const geo_table *t, int k0, int k1)
{
    for (int k = k0; k < k1; k++)
        if (geo_table_has_field(t, k))
            return k;
    return -1;
}

static int parse_number(const char *v, double *out)
{
    char *e;
    if (!v || !*v)
        return -1;
    *out = strtod(v, &e);
    while (*e == ' ')
        e++;
    return *e || !isfinite(*out) ? -1 : 0;
}

/* Period index of a value of a reviewer's layer: a label of the plans, or
 * a year when the labels are consecutive years (years before the first
 * period are period 1). 0: no match. */
static int period_of(const pl_scenario *sc, const char *v)
{
    pl_scenario y = *sc; /* a shallow copy: start and step inferred from the labels */
    double first = 0, step = 0, x;
    int years = 1;
    for (int t = 0; years && t < sc->n_periods; t++) {
        years = parse_number(sc->period_label[t], &x) == 0 && x == floor(x);
        if (t == 0)
            first = x;
        else if (t == 1)
            step = x - first;
        else
            years = years && x - first == step * t;
    }
    y.period_start = years ? (int)first : 0;
    y.period_step = years ? (sc->n_periods > 1 ? (int)step : 1) : 0;
    if (years && y.period_step <= 0)
        y.period_start = 0;
    return pl_scenario_period_index(&y, v);
}

static int ref_alloc(pl_cmp_ref *r, size_t nd, r5g_err *err)
{
    r->nd = nd;
    r->w = calloc(nd + 1, sizeof *r->w);
    r->period = calloc(nd + 1, sizeof *r->period);
    r->white = calloc(nd + 1, sizeof *r->white);
    r->region = calloc(nd + 1, sizeof *r->region);
    return r->w && r->period && r->white && r->region ? 0 : nomem(err);
}

/* The reviewer's demand: id (demand_id or id), weight (effective_weight or
 * weight, default 1), period (demand_index, or a label or year in
 * demand_period, period or year; default the first), whitelist. */
static int ref_demand_layer(pl_cmp *c, geo_ctx *geo, const char *spec, r5g_err *err)
{
    enum { ID0, ID1, W0, W1, IX, P0, P1, P2, WL, NREQ };
    static const geo_field_req req[NREQ] = {
        {"id", "demand_id", 0}, {"id", "id", 0},         {"weight", "effective_weight", 0},
        {"weight", "weight", 0}, {"period", "demand_index", 0}, {"period", "demand_period", 0},
        {"period", "period", 0}, {"period", "year", 0},   {"whitelist", "whitelist", 0}};
    pl_cmp_ref *r = &c->ref;
    int rc = read_layer(&r->t_dem, geo, "--demand", spec, req, NREQ, 0, c->crs, err);
    if (rc)
        return rc;
    const geo_table *t = r->t_dem;
    int fid = first_field(t, ID0, W0), fw = first_field(t, W0, IX), fp = first_field(t, IX, WL);
    if (fid < 0)
        return r5g_err_set(err, R5G_EINPUT, "--demand %s: %s has no demand_id or id field", spec,
                           geo_table_name(t));
    size_t nd = geo_table_count(t);
    if ((rc = ref_alloc(r, nd, err)))
        return rc;
    if (!(r->id = calloc(nd + 1, sizeof *r->id)))
        return nomem(err);
    r->x = geo_table_wx(t);
    r->y = geo_table_wy(t);
    r->reviewer_demand = 1;
    for (size_t j = 0; j < nd; j++) {
        const char *v;
        long long f = geo_table_fid(t, j);
        if (!(r->id[j] = geo_table_value(t, fid, j)))
            return r5g_err_set(err, R5G_EINPUT, "--demand %s: feature %lld: %s is empty", spec, f, req[fid].field);
        r->w[j] = 1;
        if (fw >= 0 && (v = geo_table_value(t, fw, j)) && (parse_number(v, &r->w[j]) || r->w[j] < 0))
            return r5g_err_set(err, R5G_EINPUT, "--demand %s: feature %lld (%s): %s '%s' is not a number >= 0",
                               spec, f, r->id[j], req[fw].field, v);
        r->period[j] = 1;
        if (fp >= 0 && (v = geo_table_value(t, fp, j))) {
            double x;
            r->period[j] = fp == IX ? (parse_number(v, &x) == 0 && x == floor(x) && x >= 1 && x <= c->T ? (int)x : 0)
                                    : period_of(c->sc, v);
            if (r->period[j] == 0)
                return r5g_err_set(err, R5G_EINPUT, "--demand %s: feature %lld (%s): %s '%s' is not a period of "
                                   "the plans (%s..%s)", spec, f, r->id[j], req[fp].field, v,
                                   c->sc->period_label[0], c->sc->period_label[c->T - 1]);
        }
        v = geo_table_value(t, WL, j);
        r->white[j] = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
    }
    r->demand_from = r5g_asprintf("%s (%zu points)", spec, nd);
    return r->demand_from ? 0 : nomem(err);
}

/* Plan A's own demand, with its effective weights. */
static int ref_demand_plan(pl_cmp *c, r5g_err *err)
{
    pl_cmp_ref *r = &c->ref;
    const pl_plan *a = c->plan[0].p;
    int rc = ref_alloc(r, a->nd, err);
    if (rc)
        return rc;
    r->id = a->d_id;
    r->x = a->d_x;
    r->y = a->d_y;
    for (size_t j = 0; j < a->nd; j++) {
        r->w[j] = a->d_eff[j];
        r->period[j] = a->d_period[j];
        r->white[j] = a->d_white[j];
    }
    r->demand_from = r5g_asprintf("the demand of %s (%s, %zu points)", c->plan[0].label, c->plan[0].path, a->nd);
    return r->demand_from ? 0 : nomem(err);
}

/* The reviewer's regions: polygons with region_id, id or adcode (else
 * name), name and population. */
static int ref_regions_layer(pl_cmp *c, geo_ctx *geo, const char *spec, r5g_err *err)
{
    enum { I0, I1, I2, NAME, POP, NREQ };
    static const geo_field_req req[NREQ] = {{"id", "region_id", 0}, {"id", "id", 0}, {"id", "adcode", 0},
                                            {"name", "name", 0},     {"population", "population", 0}};
    pl_cmp_ref *r = &c->ref;
    int rc = read_layer(&r->t_reg, geo, "--regions", spec, req, NREQ, GEO_READ_KEEP_GEOMETRY, c->crs, err);
    if (rc)
        return rc;
    const geo_table *t = r->t_reg;
    int fid = first_field(t, I0, NAME);
    if (fid < 0 && !geo_table_has_field(t, NAME))
        return r5g_err_set(err, R5G_EINPUT, "--regions %s: %s has no region_id, id, adcode or name field", spec,
                           geo_table_name(t));
    size_t nr = r->nr = geo_table_count(t);
    r->r_id = calloc(nr + 1, sizeof *r->r_id);
    r->r_name = calloc(nr + 1, sizeof *r->r_name);
    r->r_pop = calloc(nr + 1, sizeof *r->r_pop);
    if (!r->r_id || !r->r_name || !r->r_pop)
        return nomem(err);
    for (size_t g = 0; g < nr; g++) {
        const char *v = geo_table_value(t, POP, g);
        r->r_name[g] = geo_table_value(t, NAME, g);
        r->r_id[g] = fid >= 0 ? geo_table_value(t, fid, g) : r->r_name[g];
        if (!r->r_id[g])
            return r5g_err_set(err, R5G_EINPUT, "--regions %s: feature %lld: %s is empty", spec,
                               geo_table_fid(t, g), fid >= 0 ? req[fid].field : "name");
        r->r_pop[g] = NAN;
        if (v && (parse_number(v, &r->r_pop[g]) || r->r_pop[g] < 0))
            return r5g_err_set(err, R5G_EINPUT, "--regions %s: feature %lld (%s): population '%s' is not a "
                               "number >= 0", spec, geo_table_fid(t, g), r->r_id[g], v);
    }
    r->regions = t;
    r->regions_from = r5g_asprintf("%s (%zu regions)", spec, nr);
    return r->regions_from ? 0 : nomem(err);
}

static int ref_regions_plan(pl_cmp *c, r5g_err *err)
{
    pl_cmp_ref *r = &c->ref;
    const pl_plan *a = c->plan[0].p;
    r->nr = a->regions ? a->nr : 0;
    r->regions = a->regions;
    r->r_id = a->r_id;
    r->r_name = a->r_name;
    if (!(r->r_pop = calloc(r->nr + 1, sizeof *r->r_pop)))
        return nomem(err);
    for (size_t g = 0; g < r->nr; g++)
        r->r_pop[g] = a->r_pop[g];
    r->regions_from = r->nr ? r5g_asprintf("the regions of %s (%zu)", c->plan[0].label, r->nr)
                            : r5g_asprintf("none (%s has no regions)", c->plan[0].label);
    return r->regions_from ? 0 : nomem(err);
}

static int reference(pl_cmp *c, geo_ctx *geo, const pl_compare_opts *o, r5g_err *err)
{
    int rc = o->demand ? ref_demand_layer(c, geo, o->demand, err) : ref_demand_plan(c, err);
    if (rc == 0)
        rc = o->regions ? ref_regions_layer(c, geo, o->regions, err) : ref_regions_plan(c, err);
    if (rc)
        return rc;
    pl_cmp_ref *r = &c->ref;
    if (!r->regions) {
        for (size_t j = 0; j < r->nd; j++)
            r->region[j] = -1;
        return 0;
    }
    return geo_table_locate(r->regions, r->x, r->y, r->nd, r->region, err);
}

/* ---- coverage of the reference demand by each plan -------------------------- */

/* The plan's own covered_index and serving site, when every reference
 * point is one of the plan's demand points (same id, same place). */
static int cover_own(pl_cmp *c, pl_cmp_plan *q, r5g_err *err)
{
    const pl_plan *p = q->p;
    const pl_cmp_ref *r = &c->ref;
    id_sort ix = {0};
    double *x = malloc((p->nd + 1) * sizeof *x), *y = malloc((p->nd + 1) * sizeof *y);
    int rc = !x || !y || id_sort_make(&ix, p->d_id, p->nd) ? nomem(err) : 0;
    if (rc == 0)
        rc = geo_crs_transform(p->crs, c->crs, p->d_x, p->d_y, x, y, p->nd, err);
    q->own_coverage = rc == 0;
    for (size_t j = 0; rc == 0 && j < r->nd && q->own_coverage; j++) {
        long k = id_sort_find(&ix, r->id[j]);
        if (k < 0 || hypot(x[k] - r->x[j], y[k] - r->y[j]) > SAME_PLACE_M) {
            q->own_coverage = 0;
            break;
        }
        q->cov[j] = p->d_cov[k];
        q->serving[j] = p->d_serving[k];
    }
    free(ix.row);
    free(x);
    free(y);
    return rc;
}

/* Coverage recomputed: a point is covered from the first period a site on
 * air within its radius_m covers it; it is served by that site (the nearest
 * among those on air first, then the first in the plan's order). */
static int cover_geometric(pl_cmp *c, pl_cmp_plan *q, r5g_err *err)
{
    const pl_plan *p = q->p;
    const pl_cmp_ref *r = &c->ref;
    size_t m = 0;
    size_t *row = malloc((p->ns + 1) * sizeof *row);
    double *x = malloc((p->ns + 1) * sizeof *x), *y = malloc((p->ns + 1) * sizeof *y);
    double *rad = malloc((p->ns + 1) * sizeof *rad);
    geo_pairs pr = {0};
    int rc = row && x && y && rad ? 0 : nomem(err);
    for (size_t s = 0; rc == 0 && s < p->ns; s++)
        if (p->s_on_air[s] > 0) {
            row[m] = s;
            x[m] = q->sx[s];
            y[m] = q->sy[s];
            rad[m++] = p->s_radius[s] > 0 ? p->s_radius[s] : 0;
        }
    if (rc == 0)
        rc = geo_pairs_find(&pr, x, y, rad, m, r->x, r->y, r->nd, err);
    for (size_t j = 0; rc == 0 && j < r->nd; j++) {
        long best = -1;
        int bt = 0;
        float bd = 0;
        for (size_t k = pr.ptr[j]; k < pr.ptr[j + 1]; k++) {
            size_t s = row[pr.site[k]];
            int t = p->s_on_air[s];
            float d = pr.dist[k];
            if (best < 0 || t < bt || (t == bt && (d < bd || (d == bd && (long)s < best)))) {
                best = (long)s;
                bt = t;
                bd = d;
            }
        }
        q->cov[j] = best < 0 ? 0 : bt;
        q->serving[j] = (int)best;
    }
    geo_pairs_free(&pr);
    free(row);
    free(x);
    free(y);
    free(rad);
    return rc;
}

static int coverage(pl_cmp *c, r5g_err *err)
{
    for (int i = 0; i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        size_t nd = c->ref.nd;
        if (!(q->cov = calloc(nd + 1, sizeof *q->cov)) || !(q->serving = calloc(nd + 1, sizeof *q->serving)))
            return nomem(err);
        int rc = cover_own(c, q, err);
        if (rc == 0 && !q->own_coverage)
            rc = cover_geometric(c, q, err);
        if (rc)
            return rc;
        r5g_log(R5G_LOG_INFO, "%s: coverage of the reference demand: %s", q->label,
                q->own_coverage ? "the plan's own" : "recomputed from radius_m (fixed radius)");
    }
    return 0;
}

/* ---- KPIs under the common definition ---------------------------------------- */

static int kpis(pl_cmp *c, r5g_err *err)
{
    const pl_cmp_ref *r = &c->ref;
    int T = c->T, L = c->lead, M = c->max_lead;
    for (int i = 0; i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        const pl_plan *p = q->p;
        /* the first period in which each site serves credited demand */
        int *credit = malloc((p->ns + 1) * sizeof *credit);
        if (!credit || !(q->k = calloc((size_t)T, sizeof *q->k))) {
            free(credit);
            return nomem(err);
        }
        for (size_t s = 0; s < p->ns; s++)
            credit[s] = INT_MAX;
        for (size_t j = 0; j < r->nd; j++) {
            int s = q->serving[j], from = clamp1(r->period[j] - M);
            if (s >= 0 && from < credit[s])
                credit[s] = from;
        }
        q->n_built = 0;
        q->capex = 0;
        for (size_t s = 0; s < p->ns; s++)
            if (p->s_on_air[s] > 0 && p->s_kind[s] != PL_KIND_EXISTING) {
                q->n_built++;
                q->capex += p->s_capex[s];
            }
        double cum = 0;
        for (int t = 1; t <= T; t++) {
            pl_cmp_kpi *k = &q->k[t - 1];
            for (size_t s = 0; s < p->ns; s++) {
                int on = p->s_on_air[s];
                if (on == 0 || on > t)
                    continue;
                k->sites_on_air++;
                if (p->s_kind[s] == PL_KIND_EXISTING)
                    continue;
                if (on == t) {
                    k->new_sites++;
                    k->capex += p->s_capex[s];
                }
                k->idle_sites += t < credit[s];
            }
            cum += k->capex;
            k->capex_cum = cum;
            double w = 0, wc = 0, wo = 0, ww = 0, wwo = 0;
            for (size_t j = 0; j < r->nd; j++) {
                int a = r->period[j], cv = q->cov[j];
                if (a > t)
                    continue;
                int on_time = cv > 0 && cv <= clamp1(a - L);
                w += r->w[j];
                wc += cv > 0 && cv <= t ? r->w[j] : 0;
                wo += on_time ? r->w[j] : 0;
                if (r->white[j]) {
                    ww += r->w[j];
                    wwo += on_time ? r->w[j] : 0;
                }
            }
            k->demand_weight = w;
            k->covered_weight = wc;
            k->covered_share = w > 0 ? wc / w : NAN;
            k->on_time_share = w > 0 ? wo / w : NAN;
            k->whitelist_on_time_share = ww > 0 ? wwo / ww : NAN;
            k->capex_per_covered = wc > 0 ? cum / wc : NAN;
        }
        free(credit);
    }
    return 0;
}

/* Per region and period: covered and on-time shares of the reference
 * demand in it, sites on air in it. */
static int regions(pl_cmp *c, r5g_err *err)
{
    const pl_cmp_ref *r = &c->ref;
    int T = c->T, L = c->lead;
    size_t nr = r->nr;
    double *acc = calloc((nr + 1) * 3, sizeof *acc);
    if (!acc)
        return nomem(err);
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        const pl_plan *p = q->p;
        q->s_region = malloc((p->ns + 1) * sizeof *q->s_region);
        q->r_cov = malloc((nr * (size_t)T + 1) * sizeof *q->r_cov);
        q->r_ontime = malloc((nr * (size_t)T + 1) * sizeof *q->r_ontime);
        q->r_sites = calloc(nr * (size_t)T + 1, sizeof *q->r_sites);
        if (!q->s_region || !q->r_cov || !q->r_ontime || !q->r_sites) {
            rc = nomem(err);
            break;
        }
        for (size_t s = 0; s < p->ns; s++)
            q->s_region[s] = -1;
        if (!r->regions)
            continue;
        if ((rc = geo_table_locate(r->regions, q->sx, q->sy, p->ns, q->s_region, err)))
            break;
        for (int t = 1; t <= T; t++) {
            memset(acc, 0, nr * 3 * sizeof *acc);
            for (size_t j = 0; j < r->nd; j++) {
                int g = r->region[j], a = r->period[j], cv = q->cov[j];
                if (g < 0 || a > t)
                    continue;
                acc[3 * g] += r->w[j];
                acc[3 * g + 1] += cv > 0 && cv <= t ? r->w[j] : 0;
                acc[3 * g + 2] += cv > 0 && cv <= clamp1(a - L) ? r->w[j] : 0;
            }
            for (size_t s = 0; s < p->ns; s++) {
                int g = q->s_region[s];
                if (g >= 0 && p->s_on_air[s] > 0 && p->s_on_air[s] <= t)
                    q->r_sites[(size_t)g * T + (size_t)(t - 1)]++;
            }
            for (size_t g = 0; g < nr; g++) {
                size_t at = g * (size_t)T + (size_t)(t - 1);
                q->r_cov[at] = acc[3 * g] > 0 ? acc[3 * g + 1] / acc[3 * g] : NAN;
                q->r_ontime[at] = acc[3 * g] > 0 ? acc[3 * g + 2] / acc[3 * g] : NAN;
            }
        }
    }
    free(acc);
    return rc;
}

/* ---- the header: inputs, settings, solver gaps ------------------------------- */

static int row_add(pl_cmp_row **rows, int *n, const char *key, int nplans, int with_src, r5g_err *err)
{
    pl_cmp_row *g = realloc(*rows, (size_t)(*n + 1) * sizeof *g);
    if (!g)
        return nomem(err);
    *rows = g;
    pl_cmp_row *w = &g[(*n)++];
    memset(w, 0, sizeof *w);
    w->key = r5g_strdup(key);
    w->val = calloc((size_t)nplans, sizeof *w->val);
    w->src = with_src ? calloc((size_t)nplans, sizeof *w->src) : NULL;
    return w->key && w->val && (!with_src || w->src) ? 0 : nomem(err);
}

static int set_val(char **slot, const char *v, r5g_err *err)
{
    if (!v)
        return 0;
    return (*slot = r5g_strdup(v)) ? 0 : nomem(err);
}

static void row_same(pl_cmp_row *w, int n)
{
    int known = 0, differ = 0;
    const char *first = NULL;
    for (int i = 0; i < n; i++) {
        if (!w->val[i])
            continue;
        known++;
        if (!first)
            first = w->val[i];
        else if (strcmp(first, w->val[i]) != 0)
            differ = 1;
    }
    w->same = differ ? 0 : known == n ? 1 : -1;
}

/* The input of plan_meta key KEY ("input_<name>_sha256"), written to NAME;
 * 0 when KEY is not an input's checksum. */
static int input_name(const char *key, char *name, size_t size)
{
    static const char pre[] = "input_", suf[] = "_sha256";
    size_t n = strlen(key), lp = sizeof pre - 1, ls = sizeof suf - 1;
    if (n <= lp + ls || strncmp(key, pre, lp) || strcmp(key + n - ls, suf) || n - lp - ls >= size)
        return 0;
    memcpy(name, key + lp, n - lp - ls);
    name[n - lp - ls] = '\0';
    return 1;
}

static int input_row(pl_cmp *c, const char *name, r5g_err *err)
{
    char sha[96], src[96];
    int scen = strcmp(name, "scenario") == 0;
    snprintf(sha, sizeof sha, scen ? "%s_sha256" : "input_%s_sha256", name);
    snprintf(src, sizeof src, scen ? "%s_file" : "input_%s", name);
    int rc = row_add(&c->inputs, &c->n_inputs, name, c->n, 1, err);
    pl_cmp_row *w = &c->inputs[c->n_inputs - 1];
    for (int i = 0; rc == 0 && i < c->n; i++)
        if (!(rc = set_val(&w->val[i], pl_plan_meta(c->plan[i].p, sha), err)))
            rc = set_val(&w->src[i], pl_plan_meta(c->plan[i].p, src), err);
    if (rc)
        return rc;
    row_same(w, c->n);
    /* an input that some plans were made with and others without (a
     * `committed:` layer, a second demand layer) is a difference, not an
     * unknown: unknown is a recorded input without a checksum */
    int with = 0, without = 0;
    for (int i = 0; i < c->n; i++) {
        if (w->val[i])
            with++;
        else if (!w->src[i])
            without++;
    }
    if (with && without)
        w->same = 0;
    return 0;
}

/* The scenario and input files by their SHA-256 in plan_meta: the scenario
 * and the four layers always (so a layer one plan lacks shows), then every
 * further input any plan records (demand[1].., dem, clutter, ...), in the
 * order of the first plan that records it. */
static int inputs(pl_cmp *c, r5g_err *err)
{
    static const char *const fixed[] = {"scenario", "demand", "candidates", "existing", "regions"};
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof fixed / sizeof *fixed; k++)
        rc = input_row(c, fixed[k], err);
    for (int i = 0; rc == 0 && i < c->n; i++) {
        const pl_plan *p = c->plan[i].p;
        for (int m = 0; rc == 0 && m < p->n_meta; m++) {
            char name[64];
            if (!input_name(p->meta_key[m], name, sizeof name))
                continue;
            int seen = 0;
            for (int r = 0; r < c->n_inputs && !seen; r++)
                seen = strcmp(c->inputs[r].key, name) == 0;
            if (!seen)
                rc = input_row(c, name, err);
        }
    }
    return rc;
}

/* key/value pairs of one plan's settings */
typedef struct kv {
    int n;
    char **key, **val;
} kv;

static int kv_add(kv *s, const char *key, const char *val)
{
    char **k = realloc(s->key, (size_t)(s->n + 1) * sizeof *k);
    if (k)
        s->key = k;
    char **v = realloc(s->val, (size_t)(s->n + 1) * sizeof *v);
    if (v)
        s->val = v;
    if (!k || !v)
        return -1;
    s->key[s->n] = r5g_strdup(key);
    s->val[s->n] = val ? r5g_strdup(val) : NULL;
    s->n++;
    return s->key[s->n - 1] && (!val || s->val[s->n - 1]) ? 0 : -1;
}

static void kv_dispose(kv *s)
{
    for (int k = 0; k < s->n; k++) {
        free(s->key[k]);
        free(s->val[k]);
    }
    free(s->key);
    free(s->val);
    memset(s, 0, sizeof *s);
}

/* A JSON document as dotted keys: objects nest ("budget.capex"), arrays of
 * scalars stay one value ("[4000000,6000000]"), arrays of objects get an
 * index ("targets.coverage_share[0].value"). */
static int flatten(kv *s, json_object *o, const char *prefix)
{
    json_type ty = json_object_get_type(o);
    if (ty == json_type_object) {
        json_object_object_foreach(o, key, val)
        {
            char *k = *prefix ? r5g_asprintf("%s.%s", prefix, key) : r5g_strdup(key);
            int rc = k ? flatten(s, val, k) : -1;
            free(k);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (ty == json_type_array) {
        size_t n = json_object_array_length(o);
        int scalars = 1;
        for (size_t i = 0; i < n; i++) {
            json_type e = json_object_get_type(json_object_array_get_idx(o, i));
            scalars &= e != json_type_object && e != json_type_array;
        }
        for (size_t i = 0; !scalars && i < n; i++) {
            char *k = r5g_asprintf("%s[%zu]", prefix, i);
            int rc = k ? flatten(s, json_object_array_get_idx(o, i), k) : -1;
            free(k);
            if (rc)
                return rc;
        }
        if (!scalars)
            return 0;
    }
    if (ty == json_type_null)
        return kv_add(s, prefix, NULL);
    if (ty == json_type_string)
        return kv_add(s, prefix, json_object_get_string(o));
    return kv_add(s, prefix, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

/* The settings a plan records as scalar plan_meta rows and period_kpi budgets. */
static int settings_scalar(kv *s, const pl_plan *p)
{
    static const char *const keys[] = {"objective_kind", "lead_periods", "max_lead_periods", "carry_over",
                                       "discount_rate",  "whitelist_multiplier", "radio_model", "radius_m",
                                       "time_limit_s",   "mip_gap_setting", "n_sites", "n_demand", "working_crs"};
    int rc = 0;
    for (int t = 0; rc == 0 && t < p->sc->n_periods; t++) {
        char key[96], val[48];
        snprintf(key, sizeof key, "budget %s", p->sc->period_label[t]);
        if (isfinite(p->sc->budget[t]))
            snprintf(val, sizeof val, "%.10g", p->sc->budget[t]);
        else
            snprintf(val, sizeof val, "unlimited");
        rc = kv_add(s, key, val);
    }
    for (size_t k = 0; rc == 0 && k < sizeof keys / sizeof *keys; k++)
        rc = kv_add(s, keys[k], pl_plan_meta(p, keys[k]));
    return rc;
}

static int settings(pl_cmp *c, r5g_err *err)
{
    int rc = 0, n = c->n;
    kv *s = calloc((size_t)n, sizeof *s);
    if (!s)
        return nomem(err);
    c->settings_from_json = 1;
    for (int i = 0; i < n; i++)
        c->settings_from_json &= pl_plan_meta(c->plan[i].p, "settings") != NULL;
    for (int i = 0; rc == 0 && i < n; i++) {
        const pl_plan *p = c->plan[i].p;
        if (!c->settings_from_json) {
            rc = settings_scalar(&s[i], p) ? nomem(err) : 0;
            continue;
        }
        enum json_tokener_error je;
        json_object *o = json_tokener_parse_verbose(pl_plan_meta(p, "settings"), &je);
        if (!o || json_object_get_type(o) != json_type_object)
            rc = r5g_err_set(err, R5G_EINPUT, "%s: plan_meta settings is not a JSON object: %s", c->plan[i].path,
                             o ? "another JSON value" : json_tokener_error_desc(je));
        else if (flatten(&s[i], o, ""))
            rc = nomem(err);
        json_object_put(o);
    }
    /* one row per key, in the order the plans name them */
    for (int i = 0; rc == 0 && i < n; i++)
        for (int k = 0; rc == 0 && k < s[i].n; k++) {
            int r = 0;
            while (r < c->n_settings && strcmp(c->settings[r].key, s[i].key[k]) != 0)
                r++;
            if (r == c->n_settings)
                rc = row_add(&c->settings, &c->n_settings, s[i].key[k], n, 0, err);
            if (rc == 0 && !c->settings[r].val[i])
                rc = set_val(&c->settings[r].val[i], s[i].val[k], err);
        }
    for (int r = 0; rc == 0 && r < c->n_settings; r++)
        row_same(&c->settings[r], n);
    for (int i = 0; i < n; i++)
        kv_dispose(&s[i]);
    free(s);
    return rc;
}

static const char *input_sha(const pl_cmp *c, const char *key, int i)
{
    for (int r = 0; r < c->n_inputs; r++)
        if (strcmp(c->inputs[r].key, key) == 0)
            return c->inputs[r].val[i];
    return NULL;
}

static int same_sha(const pl_cmp *c, const char *key, int i, int k)
{
    const char *a = input_sha(c, key, i), *b = input_sha(c, key, k);
    return a && b && strcmp(a, b) == 0;
}

/* Same demand points (ids, appearance, effective weights): the credited
 * weight of two plans then measures the same thing. */
static int same_demand(const pl_plan *a, const pl_plan *b)
{
    if (a->nd != b->nd)
        return 0;
    id_sort ix = {0};
    if (id_sort_make(&ix, b->d_id, b->nd))
        return 0;
    int same = 1;
    for (size_t j = 0; same && j < a->nd; j++) {
        long k = id_sort_find(&ix, a->d_id[j]);
        same = k >= 0 && a->d_period[j] == b->d_period[k] &&
               fabs(a->d_eff[j] - b->d_eff[k]) <= 1e-9 * (1 + fabs(a->d_eff[j]));
    }
    free(ix.row);
    return same;
}

/* Objectives are compared only where they mean the same (never a
 * max_coverage plan's credited weight against a min_cost plan's capex),
 * and then only to ask whether each lies within the other's bound. */
static void gaps(pl_cmp *c)
{
    const pl_plan *a = c->plan[0].p;
    for (int i = 1; i < c->n; i++) {
        pl_cmp_pair *g = &c->pair[i - 1];
        const pl_plan *b = c->plan[i].p;
        int min = a->sc->objective == PL_OBJ_MIN_COST;
        g->comparable = 0;
        g->within_gap = -1;
        if (a->sc->objective != b->sc->objective)
            snprintf(g->why, sizeof g->why, "objectives differ (%s: %s, %s: %s)", c->plan[0].label,
                     min ? "min_cost" : "max_coverage", c->plan[i].label,
                     min ? "max_coverage" : "min_cost");
        else if (!same_demand(a, b))
            snprintf(g->why, sizeof g->why, "the demand differs (points, appearance or effective weights)");
        else if (a->sc->max_lead_periods != b->sc->max_lead_periods)
            snprintf(g->why, sizeof g->why, "max_lead_periods differs (%d, %d)", a->sc->max_lead_periods,
                     b->sc->max_lead_periods);
        else if (a->sc->discount_rate != b->sc->discount_rate)
            snprintf(g->why, sizeof g->why, "discount_rate differs (%g, %g)", a->sc->discount_rate,
                     b->sc->discount_rate);
        else if (min && !same_sha(c, "candidates", 0, i))
            snprintf(g->why, sizeof g->why, "the candidates (and their capex) differ");
        else
            g->comparable = 1;
        if (!g->comparable || !isfinite(a->bound) || !isfinite(b->bound))
            continue;
        double oa = a->objective, ob = b->objective, tol = 1e-9 * (1 + fabs(oa) + fabs(ob));
        if (min) /* bounds below */
            g->within_gap = a->bound <= ob + tol && b->bound <= oa + tol;
        else
            g->within_gap = oa <= b->bound + tol && ob <= a->bound + tol;
    }
}

/* ---- sites, demand, co-location ----------------------------------------------- */

static int carriers_differ(const pl_cmp *c, int i, int k) { return !same_sha(c, "candidates", i, k); }

static int site_rows_add(pl_cmp *c, size_t *cap, pl_cmp_site row, r5g_err *err)
{
    if (c->n_sites == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        pl_cmp_site *g = realloc(c->sites, nc * sizeof *g);
        if (!g)
            return nomem(err);
        c->sites = g;
        *cap = nc;
    }
    c->sites[c->n_sites++] = row;
    return 0;
}

static int cmp_site_rows(const void *x, const void *y, void *ctx)
{
    const pl_cmp *c = ctx;
    const pl_cmp_site *a = x, *b = y;
    if (a->b != b->b)
        return a->b - b->b;
    const char *ia = a->sa >= 0 ? c->plan[0].p->s_id[a->sa] : c->plan[a->b].p->s_id[a->sb];
    const char *ib = b->sa >= 0 ? c->plan[0].p->s_id[b->sa] : c->plan[b->b].p->s_id[b->sb];
    int d = strcmp(ia, ib);
    return d ? d : (int)a->change - (int)b->change;
}

/* Sites are matched by id and place (a different carrier's "S1" elsewhere
 * is another site); sites on air in neither plan are left out. */
static int sites(pl_cmp *c, r5g_err *err)
{
    const pl_cmp_plan *qa = &c->plan[0];
    const pl_plan *a = qa->p;
    size_t cap = 0;
    int rc = 0;
    for (int i = 1; rc == 0 && i < c->n; i++) {
        const pl_cmp_plan *qb = &c->plan[i];
        const pl_plan *b = qb->p;
        pl_cmp_pair *g = &c->pair[i - 1];
        id_sort ix = {0};
        unsigned char *matched = calloc(b->ns + 1, 1);
        if (!matched || id_sort_make(&ix, b->s_id, b->ns)) {
            free(matched);
            return nomem(err);
        }
        for (size_t s = 0; rc == 0 && s < a->ns; s++) {
            long k = id_sort_find(&ix, a->s_id[s]);
            if (k >= 0 && hypot(qb->sx[k] - qa->sx[s], qb->sy[k] - qa->sy[s]) > SAME_PLACE_M)
                k = -1;
            if (k >= 0)
                matched[k] = 1;
            int oa = a->s_on_air[s], ob = k >= 0 ? b->s_on_air[k] : 0;
            if (!oa && !ob)
                continue;
            pl_site_change ch = !ob ? PL_SITE_ONLY_A : !oa ? PL_SITE_ONLY_B
                              : ob < oa ? PL_SITE_EARLIER : ob > oa ? PL_SITE_LATER : PL_SITE_SAME;
            g->n_site[ch]++;
            rc = site_rows_add(c, &cap, (pl_cmp_site){i, (int)s, (int)k, ch}, err);
        }
        for (size_t k = 0; rc == 0 && k < b->ns; k++)
            if (!matched[k] && b->s_on_air[k]) {
                g->n_site[PL_SITE_ONLY_B]++;
                rc = site_rows_add(c, &cap, (pl_cmp_site){i, -1, (int)k, PL_SITE_ONLY_B}, err);
            }
        free(matched);
        free(ix.row);
    }
    if (c->n_sites > 1)
        qsort_r(c->sites, c->n_sites, sizeof *c->sites, cmp_site_rows, c);
    return rc;
}

static int cmp_dem_rows(const void *x, const void *y, void *ctx)
{
    const pl_cmp *c = ctx;
    const pl_cmp_dem *a = x, *b = y;
    if (a->b != b->b)
        return a->b - b->b;
    int wa = c->ref.white[a->j], wb = c->ref.white[b->j];
    if (wa != wb)
        return wb - wa;
    if (a->change != b->change)
        return (int)a->change - (int)b->change;
    return strcmp(c->ref.id[a->j], c->ref.id[b->j]);
}

/* Reference points whose coverage changes from plan A to the other plan. */
static int demand(pl_cmp *c, r5g_err *err)
{
    const pl_cmp_ref *r = &c->ref;
    size_t cap = 0;
    for (int i = 1; i < c->n; i++) {
        const int *ca = c->plan[0].cov, *cb = c->plan[i].cov;
        pl_cmp_pair *g = &c->pair[i - 1];
        for (size_t j = 0; j < r->nd; j++) {
            int due = clamp1(r->period[j] - c->lead);
            int ta = ca[j] > 0 && ca[j] <= due, tb = cb[j] > 0 && cb[j] <= due;
            pl_dem_change ch;
            if (ca[j] && !cb[j])
                ch = PL_DEM_LOST;
            else if (ta && cb[j] && !tb)
                ch = PL_DEM_LATE;
            else if (!ca[j] && cb[j])
                ch = PL_DEM_GAINED;
            else if (ca[j] && !ta && tb)
                ch = PL_DEM_ON_TIME;
            else
                continue;
            g->n_dem[ch]++;
            g->n_dem_white[ch] += r->white[j];
            if (c->n_dem == cap) {
                size_t nc = cap ? 2 * cap : 256;
                pl_cmp_dem *d = realloc(c->dem, nc * sizeof *d);
                if (!d)
                    return nomem(err);
                c->dem = d;
                cap = nc;
            }
            c->dem[c->n_dem++] = (pl_cmp_dem){i, j, ch};
        }
    }
    if (c->n_dem > 1)
        qsort_r(c->dem, c->n_dem, sizeof *c->dem, cmp_dem_rows, c);
    return 0;
}

static int cmp_coloc_rows(const void *x, const void *y)
{
    const pl_cmp_coloc *a = x, *b = y;
    if (a->pa != b->pa)
        return a->pa - b->pa;
    if (a->pb != b->pb)
        return a->pb - b->pb;
    return a->dist < b->dist ? -1 : a->dist > b->dist ? 1 : a->sa != b->sa ? a->sa - b->sa : a->sb - b->sb;
}

/* Sites of different carriers on air within the sharing distance of each
 * other: candidates for sharing one tower. */
static int colocation(pl_cmp *c, r5g_err *err)
{
    size_t cap = 0;
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->n; i++)
        for (int k = i + 1; rc == 0 && k < c->n; k++) {
            if (!carriers_differ(c, i, k))
                continue;
            const pl_cmp_plan *qi = &c->plan[i], *qk = &c->plan[k];
            size_t ni = 0, nk = 0;
            size_t *ri = malloc((qi->p->ns + 1) * sizeof *ri), *rk = malloc((qk->p->ns + 1) * sizeof *rk);
            double *xi = malloc((qi->p->ns + 1) * sizeof *xi), *yi = malloc((qi->p->ns + 1) * sizeof *yi);
            double *di = malloc((qi->p->ns + 1) * sizeof *di);
            double *xk = malloc((qk->p->ns + 1) * sizeof *xk), *yk = malloc((qk->p->ns + 1) * sizeof *yk);
            geo_pairs pr = {0};
            rc = ri && rk && xi && yi && di && xk && yk ? 0 : nomem(err);
            for (size_t s = 0; rc == 0 && s < qi->p->ns; s++)
                if (qi->p->s_on_air[s]) {
                    ri[ni] = s;
                    xi[ni] = qi->sx[s];
                    yi[ni] = qi->sy[s];
                    di[ni++] = c->share_distance;
                }
            for (size_t s = 0; rc == 0 && s < qk->p->ns; s++)
                if (qk->p->s_on_air[s]) {
                    rk[nk] = s;
                    xk[nk] = qk->sx[s];
                    yk[nk++] = qk->sy[s];
                }
            if (rc == 0)
                rc = geo_pairs_find(&pr, xi, yi, di, ni, xk, yk, nk, err);
            for (size_t j = 0; rc == 0 && j < nk; j++)
                for (size_t e = pr.ptr[j]; rc == 0 && e < pr.ptr[j + 1]; e++) {
                    if (c->n_coloc == cap) {
                        size_t nc = cap ? 2 * cap : 64;
                        pl_cmp_coloc *g = realloc(c->coloc, nc * sizeof *g);
                        if (!g) {
                            rc = nomem(err);
                            break;
                        }
                        c->coloc = g;
                        cap = nc;
                    }
                    size_t sa = ri[pr.site[e]], sb = rk[j];
                    c->coloc[c->n_coloc++] = (pl_cmp_coloc){i, k, (int)sa, (int)sb,
                                                            hypot(qi->sx[sa] - qk->sx[sb], qi->sy[sa] - qk->sy[sb])};
                }
            geo_pairs_free(&pr);
            free(ri);
            free(rk);
            free(xi);
            free(yi);
            free(di);
            free(xk);
            free(yk);
        }
    for (int i = 1; i < c->n; i++)
        c->pair[i - 1].carriers = carriers_differ(c, 0, i);
    if (c->n_coloc > 1) /* qsort wants a non-null array even for nothing */
        qsort(c->coloc, c->n_coloc, sizeof *c->coloc, cmp_coloc_rows);
    return rc;
}

/* ---- the comparison ------------------------------------------------------------ */

int pl_cmp_build(pl_cmp **out, geo_ctx *geo, const pl_compare_opts *o, r5g_err *err)
{
    *out = NULL;
    if (o->n_plans < 2)
        return r5g_err_set(err, R5G_EUSAGE, "compare needs at least two plans, got %d", o->n_plans);
    if (!(o->share_distance_m >= 0) || !isfinite(o->share_distance_m))
        return r5g_err_set(err, R5G_EUSAGE, "--share-distance: %g is not a distance >= 0 in metres",
                           o->share_distance_m);
    pl_cmp *c = calloc(1, sizeof *c);
    if (!c)
        return nomem(err);
    int rc = read_plans(c, geo, o, err);
    if (rc == 0)
        rc = check_periods(c, err);
    if (rc == 0 && o->lead > c->T)
        rc = r5g_err_set(err, R5G_EUSAGE, "--lead %d: the plans have only %d periods", o->lead, c->T);
    if (rc)
        goto out;
    c->lead = o->lead >= 0 ? o->lead : c->plan[0].p->sc->lead_periods;
    c->max_lead = c->plan[0].p->sc->max_lead_periods > c->lead ? c->plan[0].p->sc->max_lead_periods : c->lead;
    c->share_distance = o->share_distance_m;
    if (!(c->pair = calloc((size_t)c->n, sizeof *c->pair))) {
        rc = nomem(err);
        goto out;
    }
    for (int i = 1; i < c->n; i++)
        c->pair[i - 1].b = i;
    /* one aspect after the other, each filling its part of the report */
    if ((rc = common_crs(c, err)) || (rc = check_overlap(c, err)) || (rc = reference(c, geo, o, err)) ||
        (rc = coverage(c, err)) || (rc = kpis(c, err)) || (rc = regions(c, err)) || (rc = inputs(c, err)) ||
        (rc = settings(c, err)))
        goto out;
    gaps(c);
    if ((rc = sites(c, err)) || (rc = demand(c, err)) || (rc = colocation(c, err)))
        goto out;
    for (int i = 0; rc == 0 && i < c->n; i++)
        if (!c->plan[i].own_coverage)
            rc = note(c, err, "%s: coverage of %s recomputed: a point counts as covered from the first "
                      "period a site of the plan on air lies within the site's radius_m (the fixed-radius "
                      "reading of each site's range)", c->plan[i].label,
                      c->ref.reviewer_demand ? "the reference demand" : "plan A's demand");
out:
    if (rc) {
        pl_cmp_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

static void rows_free(pl_cmp_row *rows, int nrows, int n)
{
    for (int r = 0; r < nrows; r++) {
        for (int i = 0; i < n; i++) {
            free(rows[r].val[i]);
            if (rows[r].src)
                free(rows[r].src[i]);
        }
        free(rows[r].key);
        free(rows[r].val);
        free(rows[r].src);
    }
    free(rows);
}

void pl_cmp_free(pl_cmp *c)
{
    if (!c)
        return;
    for (int i = 0; c->plan && i < c->n; i++) {
        pl_cmp_plan *q = &c->plan[i];
        free(q->label);
        free(q->sx);
        free(q->sy);
        free(q->cov);
        free(q->serving);
        free(q->s_region);
        free(q->k);
        free(q->r_cov);
        free(q->r_ontime);
        free(q->r_sites);
    }
    pl_cmp_ref *r = &c->ref;
    free(r->demand_from);
    free(r->regions_from);
    free(r->w);
    free(r->period);
    free(r->white);
    free(r->region);
    free(r->r_pop);
    if (r->t_dem)
        free(r->id);
    if (r->t_reg) {
        free(r->r_id);
        free(r->r_name);
    }
    geo_table_free(r->t_dem);
    geo_table_free(r->t_reg);
    rows_free(c->inputs, c->n_inputs, c->n);
    rows_free(c->settings, c->n_settings, c->n);
    free(c->pair);
    free(c->sites);
    free(c->dem);
    free(c->coloc);
    for (int k = 0; k < c->n_notes; k++)
        free(c->notes[k]);
    free(c->notes);
    for (int i = 0; c->plan && i < c->n; i++)
        pl_plan_free(c->plan[i].p);
    free(c->plan);
    free(c);
}
