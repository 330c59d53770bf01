/* Reading a plan back from the layers rollout5g wrote (a GeoPackage, or a
 * folder of one file per layer): sites, demand, period_kpi, plan_meta and
 * the region polygons of region_kpi. The KPIs are recomputed from the
 * arrays (pl_plan_kpi), so a reader can compare them with the stored ones. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "geo/radio.h"
#include "planner/plan_result.h"
#include "planner/report/report.h"
#include "planner/scenario/settings.h"

char *pl_plan_layer_source(const char *path, const char *name, int *is_folder)
{
    struct stat st;
    *is_folder = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (!*is_folder)
        return geo_source_has_layer(path, name) ? r5g_strdup(path) : NULL;
    static const char *const ext[] = {"gpkg", "geojson", "fgb", "shp", "dbf", "csv", "kml"};
    for (size_t k = 0; k < sizeof ext / sizeof *ext; k++) {
        char *f = r5g_asprintf("%s/%s.%s", path, name, ext[k]);
        if (f && stat(f, &st) == 0)
            return f;
        free(f);
    }
    return NULL;
}

/* A field under its name or its Shapefile short name: two requests, the
 * first that the layer has wins. */
typedef struct field2 {
    const char *name;
    int idx; /* request index of the long name; +1 the short one */
} field2;

static int build_requests(geo_field_req *req, field2 *f, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *s = pl_short_field_name(f[i].name);
        f[i].idx = k;
        req[k++] = (geo_field_req){.key = f[i].name, .field = f[i].name, .required = 0};
        req[k++] = (geo_field_req){.key = f[i].name, .field = s ? s : f[i].name, .required = 0};
    }
    return k;
}

static const char *val2(const geo_table *t, const field2 *f, size_t i)
{
    return geo_table_has_field(t, f->idx) ? geo_table_value(t, f->idx, i)
                                          : geo_table_value(t, f->idx + 1, i);
}

static double num(const char *v, double dflt)
{
    char *e;
    if (!v || !*v)
        return dflt;
    double d = strtod(v, &e);
    return *e ? dflt : d;
}

/* plan_meta rows; a row with the key of the row before continues its value
 * (a long value in a format that cuts text, output.c). */
static int read_meta(pl_plan *p, geo_ctx *geo, const char *src, r5g_err *err)
{
    static const char *const f[] = {"key", "value", "value_num"};
    geo_rows *rows = NULL;
    int rc = geo_rows_read(&rows, geo, src, "plan_meta", f, 3, err);
    for (size_t i = 0; rc == 0 && i < geo_rows_count(rows); i++) {
        const char *key = geo_rows_value(rows, 0, i), *val = geo_rows_value(rows, 1, i);
        if (!key)
            continue;
        if (p->n_meta && strcmp(p->meta_key[p->n_meta - 1], key) == 0 && val) {
            char **last = &p->meta_val[p->n_meta - 1];
            char *joined = r5g_asprintf("%s%s", *last ? *last : "", val);
            if (!joined)
                rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            free(*last);
            *last = joined;
            continue;
        }
        rc = pl_plan_meta_add_num(p, key, val, num(geo_rows_value(rows, 2, i), NAN), err);
    }
    geo_rows_free(rows);
    return rc;
}

/* The settings the plan records in full (plan_meta `settings`, checked as
 * a scenario is); 1 when there are none (a plan from before they were
 * recorded) or they are not a scenario (edited: a warning says why), 0
 * when read, else an error. */
static int read_full_settings(pl_plan *p, const char *path, r5g_err *err)
{
    const char *json = pl_plan_meta(p, "settings");
    if (!json)
        return 1;
    char *origin = r5g_asprintf("%s: plan_meta settings", path);
    if (!origin)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    r5g_err e = {0};
    int rc = pl_scenario_from_settings_json(&p->sc, json, origin, &e);
    free(origin);
    if (rc == R5G_EINPUT) {
        r5g_log(R5G_LOG_WARN, "%s; reading the settings from period_kpi and plan_meta's other rows", e.msg);
        return 1;
    }
    if (rc)
        return r5g_err_set(err, rc, "%s", e.msg);
    /* the scenario read back is named after the plan, as without settings */
    char *file = r5g_strdup(path);
    if (!file)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(p->sc->file);
    p->sc->file = file;
    return 0;
}

/* The settings the plan records: periods and budgets from period_kpi, the
 * rest from plan_meta (defaults where it says nothing). */
static int read_settings(pl_plan *p, geo_ctx *geo, const char *path, const char *src, r5g_err *err)
{
    static const char *const f[] = {"period", "period_index", "period_idx", "period_date",
                                    "period_dt", "budget"};
    geo_rows *rows = NULL;
    int rc = geo_rows_read(&rows, geo, src, "period_kpi", f, 6, err);
    if (rc)
        return rc;
    size_t T = geo_rows_count(rows);
    pl_scenario *sc = p->sc = pl_scenario_new_default(path);
    if (!sc || T == 0 || T > 10000) {
        geo_rows_free(rows);
        return sc ? r5g_err_set(err, R5G_EINPUT, "%s: period_kpi has %zu rows", path, T)
                  : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    sc->period_label = calloc(T, sizeof *sc->period_label);
    sc->period_date = calloc(T, sizeof *sc->period_date);
    sc->budget = calloc(T, sizeof *sc->budget);
    if (!sc->period_label || !sc->period_date || !sc->budget) {
        geo_rows_free(rows);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    sc->n_periods = (int)T;
    for (size_t i = 0; i < T && rc == 0; i++) {
        const char *idx = geo_rows_value(rows, 1, i) ? geo_rows_value(rows, 1, i) : geo_rows_value(rows, 2, i);
        int t = (int)num(idx, 0);
        if (t < 1 || (size_t)t > T || sc->period_label[t - 1]) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: period_kpi row %zu: period_index '%s' is not 1..%zu "
                             "or repeats", path, i + 1, idx ? idx : "NULL", T);
            break;
        }
        const char *d = geo_rows_value(rows, 3, i) ? geo_rows_value(rows, 3, i) : geo_rows_value(rows, 4, i);
        char date[11] = "";
        if (d) { /* GDAL reads dates as YYYY/MM/DD */
            snprintf(date, sizeof date, "%.10s", d);
            for (char *c = date; *c; c++)
                if (*c == '/')
                    *c = '-';
        }
        sc->period_label[t - 1] = r5g_strdup(geo_rows_value(rows, 0, i) ? geo_rows_value(rows, 0, i) : "");
        sc->period_date[t - 1] = r5g_strdup(date);
        sc->budget[t - 1] = num(geo_rows_value(rows, 5, i), HUGE_VAL);
        if (!sc->period_label[t - 1] || !sc->period_date[t - 1])
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    geo_rows_free(rows);
    if (rc)
        return rc;
    const char *v;
    if ((v = pl_plan_meta(p, "scenario")) && !(sc->name = r5g_strdup(v)))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    sc->lead_periods = (int)num(pl_plan_meta(p, "lead_periods"), 0);
    sc->max_lead_periods = (int)num(pl_plan_meta(p, "max_lead_periods"), sc->lead_periods);
    sc->carry_over = (int)num(pl_plan_meta(p, "carry_over"), 1);
    sc->discount_rate = num(pl_plan_meta(p, "discount_rate"), 0);
    sc->whitelist_multiplier = num(pl_plan_meta(p, "whitelist_multiplier"), 1);
    sc->time_limit_s = num(pl_plan_meta(p, "time_limit_s"), sc->time_limit_s);
    sc->mip_gap = num(pl_plan_meta(p, "mip_gap_setting"), sc->mip_gap);
    v = pl_plan_meta(p, "objective_kind");
    sc->objective = v && strcmp(v, "min_cost") == 0 ? PL_OBJ_MIN_COST : PL_OBJ_MAX_COVERAGE;
    v = pl_plan_meta(p, "radio_model");
    sc->radio_model = v && strcmp(v, "tr38901") == 0 ? PL_RADIO_TR38901 : PL_RADIO_FIXED_RADIUS;
    sc->radius_m = num(pl_plan_meta(p, "radius_m"), sc->radius_m);
    return 0;
}

/* Band index of a name, adding it to sc->bands (the default band is
 * replaced by the first name seen). */
static int band_of(pl_scenario *sc, const char *name, int *fresh)
{
    if (!name)
        name = sc->bands[0].name;
    int b = pl_scenario_band(sc, name);
    if (b >= 0 && !(*fresh && b == 0))
        return b;
    if (*fresh) {
        char *n = r5g_strdup(name);
        if (!n)
            return -1;
        free(sc->bands[0].name);
        sc->bands[0].name = n;
        *fresh = 0;
        return 0;
    }
    pl_band *nb = realloc(sc->bands, (size_t)(sc->n_bands + 1) * sizeof *nb);
    if (!nb)
        return -1;
    sc->bands = nb;
    nb[sc->n_bands] = nb[0];
    if (!(nb[sc->n_bands].name = r5g_strdup(name)))
        return -1;
    return sc->n_bands++;
}

static int read_table(geo_table **t, geo_ctx *geo, const char *src, const char *layer,
                      const geo_field_req *req, int n, int flags, const char *where, r5g_err *err)
{
    int folder = 0;
    struct stat st;
    folder = stat(src, &st) == 0 && S_ISDIR(st.st_mode);
    geo_source s = {.path = src, .layer = folder ? NULL : layer, .where = where, .label = layer};
    return geo_table_read(t, geo, &s, req, n, flags, err);
}

int pl_plan_read(pl_plan **out, geo_ctx *geo, const char *path, r5g_err *err)
{
    *out = NULL;
    int rc = 0, folder = 0;
    pl_plan *p = calloc(1, sizeof *p);
    pl_id_index six = {0}, rix = {0};
    char *src_meta = pl_plan_layer_source(path, "plan_meta", &folder);
    char *src_kpi = pl_plan_layer_source(path, "period_kpi", &folder);
    char *src_sites = pl_plan_layer_source(path, "sites", &folder);
    char *src_dem = pl_plan_layer_source(path, "demand", &folder);
    char *src_reg = pl_plan_layer_source(path, "region_kpi", &folder);
    if (!p) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    if (!src_sites || !src_dem || !src_kpi) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: not a rollout5g plan (no %s layer)", path,
                         !src_sites ? "sites" : !src_dem ? "demand" : "period_kpi");
        goto out;
    }
    if (src_meta && (rc = read_meta(p, geo, src_meta, err)))
        goto out;
    int full = read_full_settings(p, path, err);
    if (full < 0 || (full == 1 && (rc = read_settings(p, geo, path, src_kpi, err)))) {
        rc = full < 0 ? full : rc;
        goto out;
    }

    field2 fs[] = {{"site_id", 0},  {"kind", 0},        {"band", 0},           {"region_id", 0},
                   {"status", 0},   {"build_index", 0}, {"capex", 0},          {"radius_m", 0},
                   {"covered_weight", 0}, {"served_demand", 0}, {"environment", 0}, {"name", 0},
                   {"committed", 0}};
    enum { S_ID, S_KIND, S_BAND, S_REGION, S_STATUS, S_BUILD, S_CAPEX, S_RADIUS, S_COVW, S_SERVED, S_ENV, S_NAME,
           S_COMMITTED, S_N };
    field2 fd[] = {{"demand_id", 0},    {"sector", 0},        {"whitelist", 0},       {"weight", 0},
                   {"effective_weight", 0}, {"region_id", 0}, {"demand_index", 0},    {"covered_index", 0},
                   {"serving_site_id", 0}, {"serving_distance_m", 0}, {"serving_path_loss_db", 0}, {"name", 0}};
    enum { D_ID, D_SECTOR, D_WHITE, D_WEIGHT, D_EFF, D_REGION, D_PERIOD, D_COV, D_SERVING, D_DIST, D_PL, D_NAME,
           D_N };
    field2 fr[] = {{"region_id", 0}, {"name", 0}, {"population", 0}};
    geo_field_req req[2 * 16];
    geo_table *ts = NULL, *td = NULL, *tr = NULL;
    int n = build_requests(req, fs, S_N);
    if ((rc = read_table(&ts, geo, src_sites, "sites", req, n, 0, NULL, err)))
        goto out;
    p->tables[p->n_tables++] = ts;
    n = build_requests(req, fd, D_N);
    if ((rc = read_table(&td, geo, src_dem, "demand", req, n, 0, NULL, err)))
        goto out;
    p->tables[p->n_tables++] = td;
    if (src_reg) {
        n = build_requests(req, fr, 3);
        /* one row per region and period: the polygons of the first period */
        const char *where = folder && strstr(src_reg, ".shp") ? "period_idx = 1" : "period_index = 1";
        if ((rc = read_table(&tr, geo, src_reg, "region_kpi", req, n, GEO_READ_KEEP_GEOMETRY, where, err)))
            goto out;
        p->tables[p->n_tables++] = tr;
        p->regions = tr;
    }
    geo_table *all[3] = {ts, td, tr};
    /* the working CRS the plan was made in (its coordinates in metres come
     * back the same), planar when it was written without a CRS */
    const char *wcrs = pl_plan_meta(p, "working_crs"), *ocrs = pl_plan_meta(p, "output_crs");
    const char *spec = ocrs && strncmp(ocrs, "none", 4) == 0 ? "planar"
                       : wcrs && strncmp(wcrs, "EPSG:", 5) == 0 ? wcrs
                                                                : "auto";
    if ((rc = geo_crs_choose(&p->crs, geo, spec, all, tr ? 3 : 2, err)))
        goto out;
    for (int k = 0; k < (tr ? 3 : 2); k++)
        if ((rc = geo_table_project(all[k], p->crs, err)))
            goto out;

    /* regions */
    p->nr = tr ? geo_table_count(tr) : 0;
    p->r_id = calloc(p->nr + 1, sizeof *p->r_id);
    p->r_name = calloc(p->nr + 1, sizeof *p->r_name);
    p->r_pop = calloc(p->nr + 1, sizeof *p->r_pop);
    if (!p->r_id || !p->r_name || !p->r_pop)
        goto nomem;
    for (size_t g = 0; g < p->nr; g++) {
        p->r_id[g] = val2(tr, &fr[0], g);
        p->r_name[g] = val2(tr, &fr[1], g);
        p->r_pop[g] = num(val2(tr, &fr[2], g), NAN);
    }
    if (pl_id_index_init(&rix, p->r_id, p->nr))
        goto nomem;

    /* sites */
    size_t ns = p->ns = geo_table_count(ts);
    p->s_id = calloc(ns + 1, sizeof *p->s_id);
    p->s_kind = calloc(ns + 1, sizeof *p->s_kind);
    p->s_band = calloc(ns + 1, sizeof *p->s_band);
    p->s_env = calloc(ns + 1, sizeof *p->s_env);
    p->s_region = calloc(ns + 1, sizeof *p->s_region);
    p->s_x = calloc(ns + 1, sizeof *p->s_x);
    p->s_y = calloc(ns + 1, sizeof *p->s_y);
    p->s_capex = calloc(ns + 1, sizeof *p->s_capex);
    p->s_radius = calloc(ns + 1, sizeof *p->s_radius);
    p->s_height = calloc(ns + 1, sizeof *p->s_height);
    p->s_on_air = calloc(ns + 1, sizeof *p->s_on_air);
    p->s_cov_weight = calloc(ns + 1, sizeof *p->s_cov_weight);
    p->s_served = calloc(ns + 1, sizeof *p->s_served);
    p->s_over_early = calloc(ns + 1, sizeof *p->s_over_early);
    p->s_name = calloc(ns + 1, sizeof *p->s_name);
    if (!p->s_name || !p->s_id || !p->s_kind || !p->s_band || !p->s_env || !p->s_region || !p->s_x || !p->s_y ||
        !p->s_capex || !p->s_radius || !p->s_height || !p->s_on_air || !p->s_cov_weight ||
        !p->s_served || !p->s_over_early)
        goto nomem;
    int fresh_band = full == 1; /* without full settings the bands are the sites' */
    const double *wx = geo_table_wx(ts), *wy = geo_table_wy(ts);
    for (size_t s = 0; s < ns; s++) {
        const char *kind = val2(ts, &fs[S_KIND], s), *status = val2(ts, &fs[S_STATUS], s);
        p->s_id[s] = val2(ts, &fs[S_ID], s);
        if (!p->s_id[s]) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: sites feature %lld: site_id is empty", path,
                             geo_table_fid(ts, s));
            goto out;
        }
        p->s_kind[s] = (kind && strcmp(kind, "existing") == 0) || (status && strcmp(status, "existing") == 0)
                           ? PL_KIND_EXISTING
                       : kind && strcmp(kind, "upgrade") == 0 ? PL_KIND_UPGRADE
                                                                : PL_KIND_NEW;
        if ((p->s_band[s] = band_of(p->sc, val2(ts, &fs[S_BAND], s), &fresh_band)) < 0)
            goto nomem;
        geo_env e;
        const char *env = val2(ts, &fs[S_ENV], s);
        p->s_env[s] = env && geo_env_parse(env, &e) == 0 ? (int)e : -1;
        p->s_region[s] = pl_id_index_find(&rix, val2(ts, &fs[S_REGION], s));
        p->s_x[s] = wx[s];
        p->s_y[s] = wy[s];
        p->s_capex[s] = p->s_kind[s] == PL_KIND_EXISTING ? 0 : num(val2(ts, &fs[S_CAPEX], s), 0);
        p->s_radius[s] = num(val2(ts, &fs[S_RADIUS], s), p->sc->radius_m);
        p->s_height[s] = NAN;
        p->s_on_air[s] = p->s_kind[s] == PL_KIND_EXISTING ? 1 : (int)num(val2(ts, &fs[S_BUILD], s), 0);
        if (p->s_on_air[s] < 0 || p->s_on_air[s] > p->sc->n_periods) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: site %s: build_index %d is not 1..%d", path, p->s_id[s],
                             p->s_on_air[s], p->sc->n_periods);
            goto out;
        }
        p->s_cov_weight[s] = num(val2(ts, &fs[S_COVW], s), 0);
        p->s_served[s] = (int)num(val2(ts, &fs[S_SERVED], s), 0);
        p->s_name[s] = val2(ts, &fs[S_NAME], s);
        if (num(val2(ts, &fs[S_COMMITTED], s), 0) != 0) { /* a plan from before has no such column */
            if (!p->s_committed && !(p->s_committed = calloc(ns + 1, sizeof *p->s_committed)))
                goto nomem;
            p->s_committed[s] = 1;
        }
    }
    if (pl_id_index_init(&six, p->s_id, ns))
        goto nomem;

    /* demand */
    size_t nd = p->nd = geo_table_count(td);
    p->d_id = calloc(nd + 1, sizeof *p->d_id);
    p->d_sector = calloc(nd + 1, sizeof *p->d_sector);
    p->d_weight = calloc(nd + 1, sizeof *p->d_weight);
    p->d_eff = calloc(nd + 1, sizeof *p->d_eff);
    p->d_period = calloc(nd + 1, sizeof *p->d_period);
    p->d_white = calloc(nd + 1, sizeof *p->d_white);
    p->d_region = calloc(nd + 1, sizeof *p->d_region);
    p->d_cov = calloc(nd + 1, sizeof *p->d_cov);
    p->d_serving = calloc(nd + 1, sizeof *p->d_serving);
    p->d_dist = calloc(nd + 1, sizeof *p->d_dist);
    p->d_pl = calloc(nd + 1, sizeof *p->d_pl);
    p->d_name = calloc(nd + 1, sizeof *p->d_name);
    if (!p->d_name || !p->d_id || !p->d_sector || !p->d_weight || !p->d_eff || !p->d_period || !p->d_white ||
        !p->d_region || !p->d_cov || !p->d_serving || !p->d_dist || !p->d_pl)
        goto nomem;
    p->d_x = geo_table_wx(td);
    p->d_y = geo_table_wy(td);
    for (size_t j = 0; j < nd; j++) {
        p->d_id[j] = val2(td, &fd[D_ID], j);
        p->d_sector[j] = val2(td, &fd[D_SECTOR], j);
        p->d_name[j] = val2(td, &fd[D_NAME], j);
        p->d_white[j] = num(val2(td, &fd[D_WHITE], j), 0) != 0;
        p->d_weight[j] = num(val2(td, &fd[D_WEIGHT], j), 1);
        p->d_eff[j] = num(val2(td, &fd[D_EFF], j), p->d_weight[j]);
        p->d_region[j] = pl_id_index_find(&rix, val2(td, &fd[D_REGION], j));
        p->d_period[j] = (int)num(val2(td, &fd[D_PERIOD], j), 1);
        p->d_cov[j] = (int)num(val2(td, &fd[D_COV], j), 0);
        if (!p->d_id[j] || p->d_period[j] < 1 || p->d_period[j] > p->sc->n_periods || p->d_cov[j] < 0 ||
            p->d_cov[j] > p->sc->n_periods) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: demand feature %lld (%s): demand_index %d or "
                             "covered_index %d is not a period 1..%d", path, geo_table_fid(td, j),
                             p->d_id[j] ? p->d_id[j] : "no id", p->d_period[j], p->d_cov[j],
                             p->sc->n_periods);
            goto out;
        }
        p->d_serving[j] = pl_id_index_find(&six, val2(td, &fd[D_SERVING], j));
        p->d_dist[j] = (float)num(val2(td, &fd[D_DIST], j), NAN);
        p->d_pl[j] = (float)num(val2(td, &fd[D_PL], j), NAN);
    }

    const char *v;
    snprintf(p->solve.status, sizeof p->solve.status, "%s", (v = pl_plan_meta(p, "status")) ? v : "given");
    snprintf(p->solve.bound_kind, sizeof p->solve.bound_kind, "%s", (v = pl_plan_meta(p, "bound_kind")) ? v : "");
    p->solve.solver_objective = num(pl_plan_meta(p, "solver_objective"), NAN);
    p->solve.bound = num(pl_plan_meta(p, "bound"), NAN);
    p->solve.seconds = num(pl_plan_meta(p, "solve_seconds"), NAN);
    p->solve.total_seconds = num(pl_plan_meta(p, "total_seconds"), NAN);
    p->bound = p->solve.bound;
    if ((rc = pl_plan_kpi(p, err)))
        goto out;
    *out = p;
    p = NULL;
    goto out;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory reading the plan", path);
out:
    pl_id_index_dispose(&six);
    pl_id_index_dispose(&rix);
    free(src_meta);
    free(src_kpi);
    free(src_sites);
    free(src_dem);
    free(src_reg);
    pl_plan_free(p);
    return rc;
}
