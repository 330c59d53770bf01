/* The coverage engine: per-site radio parameters (band, antenna height,
 * environment from a site field, the clutter raster or the default), the
 * largest outdoor range of each site as the grid radius, then every pair in
 * range judged by the radio model:
 *
 *   fixed_radius: covered iff distance <= radio.radius_m;
 *   tr38901:      covered iff PL(d) + shadow_margin_db (+ indoor_loss_db for
 *                 indoor demand) <= max_path_loss_db of the site's band, with
 *                 PL the LOS loss when the DEM shows line of sight and the
 *                 NLOS loss otherwise (radio.nlos: drop removes NLOS pairs
 *                 when a DEM is given). Without a DEM every pair is NLOS.
 *
 * Also the coverage polygon of a site (a disc, or with a DEM the area
 * reached along 72 rays). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/radio.h"
#include "geo/terrain.h"
#include "planner/pipeline/coverage.h"

enum { RAYS = PL_RING_N };


static int is_tr(const pl_run *r) { return r->sc->radio_model == PL_RADIO_TR38901; }

/* The table and row of site s, for messages. */
static const geo_table *site_table(const pl_run *r, size_t s, size_t *row)
{
    *row = s < r->n_cand ? s : s - r->n_cand;
    return s < r->n_cand ? r->t_cand : r->t_exist;
}

static int site_error(const pl_run *r, size_t s, r5g_err *err, const char *what)
{
    size_t i;
    const geo_table *t = site_table(r, s, &i);
    return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: site '%s': %s", geo_table_name(t),
                       geo_table_fid(t, i), r->s_id[s], what);
}

/* Environment of sites without a site field value, from the clutter raster. */
static int clutter_envs(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    double *v = malloc((r->ns ? r->ns : 1) * sizeof *v);
    if (!v)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory sampling radio.clutter");
    int rc = geo_raster_sample(v, r->geo, sc->clutter, "radio.clutter", r->crs, r->sx, r->sy,
                               r->ns, err);
    size_t outside = 0;
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        if (r->s_env[s] >= 0)
            continue;
        if (isnan(v[s])) {
            outside++;
            continue;
        }
        char cls[64];
        snprintf(cls, sizeof cls, "%.0f", v[s]);
        int found = -1;
        for (int k = 0; k < sc->n_clutter_classes && v[s] == floor(v[s]); k++)
            if (strcmp(sc->clutter_classes[k].name, cls) == 0)
                found = (int)sc->clutter_classes[k].value;
        if (found < 0) {
            char list[256] = "", what[400];
            for (int k = 0; k < sc->n_clutter_classes; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                         sc->clutter_classes[k].name);
            snprintf(what, sizeof what, "radio.clutter: class %g is not in radio.clutter.classes (%s)",
                     v[s], list);
            rc = site_error(r, s, err, what);
            break;
        }
        r->s_env[s] = found;
    }
    if (rc == 0 && outside)
        r5g_log(R5G_LOG_WARN, "radio.clutter: %zu of %zu sites lie outside the raster or on nodata: "
                "they use radio.environment %s", outside, r->ns, sc->environment);
    free(v);
    return rc;
}

/* Path loss of a pair; los 1 uses the LOS formula, anything else NLOS. */
static double pair_loss(const pl_run *r, size_t s, int los, double d)
{
    const pl_band *b = &r->sc->bands[r->band[s]];
    return geo_pathloss_db((geo_env)r->s_env[s], los == 1, b->frequency_ghz, d, r->s_height[s],
                           r->sc->ut_height_m);
}

/* Outdoor budget of site s: MAPL - shadow margin. */
static double outdoor_budget(const pl_run *r, size_t s)
{
    return r->sc->bands[r->band[s]].max_path_loss_db - r->sc->shadow_margin_db;
}

static int site_ranges(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    geo_env def = GEO_ENV_UMA;
    if (geo_env_parse(sc->environment, &def))
        return r5g_err_set(err, R5G_EINPUT, "radio.environment: '%s' is not uma, umi or rma",
                           sc->environment);
    int rc;
    if (sc->clutter && (rc = clutter_envs(r, err)))
        return rc;
    for (size_t s = 0; s < r->ns; s++) {
        const pl_band *b = &sc->bands[r->band[s]];
        if (r->s_env[s] < 0)
            r->s_env[s] = def;
        if (isnan(r->s_height[s]))
            r->s_height[s] = b->height_m;
        geo_env e = (geo_env)r->s_env[s];
        double budget = outdoor_budget(r, s);
        /* with a DEM a pair may be LOS, whose range is the larger one */
        double range = geo_range_m(e, sc->dem != NULL, b->frequency_ghz, budget, r->s_height[s],
                                   sc->ut_height_m);
        if (isnan(range)) {
            char what[300];
            snprintf(what, sizeof what, "TR 38.901 %s path loss is undefined for band %s (%g GHz) "
                     "with antenna height %g m and terminal height %g m", geo_env_name(e), b->name,
                     b->frequency_ghz, r->s_height[s], sc->ut_height_m);
            return site_error(r, s, err, what);
        }
        r->radius[s] = range;
    }
    return 0;
}

/* DEM over the inputs' box, grown by the largest site range. */
static int open_dem(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, rmax = 0;
    for (size_t s = 0; s < r->ns; s++) {
        x0 = fmin(x0, r->sx[s]);
        x1 = fmax(x1, r->sx[s]);
        y0 = fmin(y0, r->sy[s]);
        y1 = fmax(y1, r->sy[s]);
    }
    const double *dx = geo_table_wx(r->t_dem), *dy = geo_table_wy(r->t_dem);
    for (size_t j = 0; j < r->nd; j++) {
        x0 = fmin(x0, dx[j]);
        x1 = fmax(x1, dx[j]);
        y0 = fmin(y0, dy[j]);
        y1 = fmax(y1, dy[j]);
    }
    for (size_t s = 0; s < r->ns; s++)
        rmax = fmax(rmax, r->radius[s]);
    x0 -= rmax;
    y0 -= rmax;
    x1 += rmax;
    y1 += rmax;
    int rc = geo_dem_open(&r->dem, r->geo, sc->dem, "radio.dem", r->crs, x0, y0, x1, y1, err);
    if (rc)
        return rc;
    size_t out_s = 0, out_d = 0;
    for (size_t s = 0; s < r->ns; s++)
        out_s += isnan(geo_dem_height(r->dem, r->sx[s], r->sy[s]));
    for (size_t j = 0; j < r->nd; j++)
        out_d += isnan(geo_dem_height(r->dem, dx[j], dy[j]));
    if (out_s || out_d)
        r5g_log(R5G_LOG_WARN, "radio.dem: %zu of %zu sites and %zu of %zu demand points lie outside "
                "the DEM (or on nodata): their pairs have no terrain and use the NLOS loss",
                out_s, r->ns, out_d, r->nd);
    return 0;
}

static int judge_pairs(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int rc;
    if (is_tr(r)) {
        if ((rc = site_ranges(r, err)))
            return rc;
        if (sc->dem && (rc = open_dem(r, err)))
            return rc;
    } else {
        for (size_t s = 0; s < r->ns; s++)
            r->radius[s] = sc->radius_m;
    }
    double t0 = r5g_now();
    if ((rc = geo_pairs_find(&r->pairs, r->sx, r->sy, r->radius, r->ns, geo_table_wx(r->t_dem),
                             geo_table_wy(r->t_dem), r->nd, err)))
        return rc;
    double t_grid = r5g_now() - t0;
    size_t np = r->pairs.n_pairs;
    r->pair_pl = malloc((np ? np : 1) * sizeof *r->pair_pl);
    r->pair_los = malloc((np ? np : 1) * sizeof *r->pair_los);
    if (!r->pair_pl || !r->pair_los)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for %zu pairs", np);
    if (!is_tr(r)) {
        for (size_t k = 0; k < np; k++) {
            r->pair_pl[k] = NAN;
            r->pair_los[k] = -1;
        }
        r5g_log(R5G_LOG_INFO, "coverage: %zu candidate-demand pairs within range in %.2f s", np,
                t_grid);
        return 0;
    }
    /* judge every pair in range; compact the CSR arrays in place */
    const double *dx = geo_table_wx(r->t_dem), *dy = geo_table_wy(r->t_dem);
    geo_pairs *p = &r->pairs;
    size_t out = 0, n_los = 0, n_drop = 0;
    double t_los = 0;
    for (size_t j = 0; j < r->nd; j++) {
        size_t a = p->ptr[j], b = p->ptr[j + 1];
        p->ptr[j] = out;
        for (size_t k = a; k < b; k++) {
            int s = p->site[k];
            double d = p->dist[k];
            int los = 0;
            if (r->dem) {
                double tl = r5g_now();
                los = geo_dem_los(r->dem, r->sx[s], r->sy[s], r->s_height[s], dx[j], dy[j],
                                  sc->ut_height_m);
                t_los += r5g_now() - tl;
                if (los == 0 && sc->nlos_drop) {
                    n_drop++;
                    continue;
                }
            }
            double pl = pair_loss(r, (size_t)s, los, d);
            double budget = outdoor_budget(r, (size_t)s) - (r->d_indoor[j] ? sc->indoor_loss_db : 0);
            if (!(pl <= budget))
                continue;
            n_los += los == 1;
            p->site[out] = s;
            p->dist[out] = p->dist[k];
            r->pair_pl[out] = (float)pl;
            r->pair_los[out] = (signed char)los;
            out++;
        }
    }
    p->ptr[r->nd] = out;
    p->n_pairs = out;
    r->los_seconds = t_los;
    r5g_log(R5G_LOG_INFO, "coverage: tr38901: %zu of %zu pairs in range pass the path-loss budget "
            "(%zu with line of sight, %zu NLOS dropped) in %.2f s", out, np, n_los, n_drop,
            r5g_now() - t0);
    if (r->dem)
        r5g_log(R5G_LOG_INFO, "coverage: line of sight: %zu profiles in %.3f s (%.3f ms per site)",
                np, t_los, r->ns ? 1e3 * t_los / (double)r->ns : 0.0);
    return 0;
}

/* Most demand out of every site's range is almost always a mistake in the
 * scenario (radius, bands, a layer in the wrong place): say so loudly. */
static void warn_unreachable(const pl_run *r)
{
    double all = 0, out = 0;
    size_t n_out = 0;
    for (size_t j = 0; j < r->nd; j++) {
        all += r->d_eff[j];
        if (r->pairs.ptr[j] == r->pairs.ptr[j + 1]) {
            out += r->d_eff[j];
            n_out++;
        }
    }
    if (all > 0 && out > 0.5 * all)
        r5g_log(R5G_LOG_WARN, "%.1f%% of the weighted demand (%zu of %zu points) has no candidate or "
                "existing site in range: no plan can cover it (check radio.radius_m or the bands' "
                "max_path_loss_db, and that the layers overlap: `rollout5g validate`)",
                100 * out / all, n_out, r->nd);
}

int pl_coverage_compute(pl_run *r, r5g_err *err)
{
    int rc = judge_pairs(r, err);
    if (rc == 0 && r->d_eff)
        warn_unreachable(r);
    return rc;
}

long pl_coverage_pair(const pl_run *r, size_t j, int s)
{
    for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++)
        if (r->pairs.site[k] == s)
            return (long)k;
    return -1;
}

int pl_coverage_has_rings(const pl_run *r) { return r->dem && is_tr(r); }

void pl_coverage_ring(const pl_run *r, size_t s, double *x, double *y)
{
    /* radial sweep: along each ray, the area reached before the first point
     * that fails the outdoor budget (blocked and dropped, or too lossy) */
    double step = geo_dem_step(r->dem);
    double budget = outdoor_budget(r, s);
    for (int k = 0; k < RAYS; k++) {
        double az = 2.0 * M_PI * k / RAYS, reach = 0, d = 0;
        geo_dem_ray ray;
        geo_dem_ray_init(&ray, r->dem, r->sx[s], r->sy[s], r->s_height[s], az, r->sc->ut_height_m);
        while (d + step <= r->radius[s]) {
            int los;
            d = geo_dem_ray_next(&ray, step, &los);
            if (los == 0 && r->sc->nlos_drop)
                break;
            if (!(pair_loss(r, s, los, d) <= budget))
                break;
            reach = d;
        }
        if (reach < 1)
            reach = 1;
        x[k] = r->sx[s] + reach * sin(az);
        y[k] = r->sy[s] + reach * cos(az);
    }
}

int pl_coverage_write_site(pl_run *r, const geo_val *vals, size_t s, r5g_err *err)
{
    if (!pl_coverage_has_rings(r))
        return geo_out_disc(r->out, vals, r->sx[s], r->sy[s], r->radius[s], err);
    double x[RAYS], y[RAYS];
    pl_coverage_ring(r, s, x, y);
    return geo_out_polygon(r->out, vals, x, y, RAYS, err);
}

void pl_coverage_free(pl_run *r)
{
    free(r->s_height);
    free(r->s_env);
    free(r->d_indoor);
    free(r->pair_pl);
    free(r->pair_los);
    geo_dem_free(r->dem);
    r->s_height = NULL;
    r->s_env = NULL;
    r->d_indoor = NULL;
    r->pair_pl = NULL;
    r->pair_los = NULL;
    r->dem = NULL;
}

const char *pl_site_env_name(const pl_run *r, size_t s)
{
    return is_tr(r) && r->s_env && r->s_env[s] >= 0 ? geo_env_name((geo_env)r->s_env[s]) : NULL;
}
