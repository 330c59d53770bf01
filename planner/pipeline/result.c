/* The plan of a solved run: the run's tables, settings and result arrays
 * move into a pl_plan (nothing is copied but the few arrays a plan keeps in
 * another form), so the writers, reviewers and batch workers see one type. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/coverage.h"
#include "planner/pipeline/run.h"
#include "planner/scenario/schema.h"
#include "solver/sol.h"

#define TAKE(dst, src) ((dst) = (src), (src) = NULL)

static void add_table(pl_plan *p, geo_table **t)
{
    if (*t)
        p->tables[p->n_tables++] = *t;
    *t = NULL;
}

/* Region ids, names and populations of the regions table. */
static int region_arrays(pl_plan *p, r5g_err *err)
{
    size_t n = p->regions ? geo_table_count(p->regions) : 0;
    p->nr = n;
    p->r_id = calloc(n ? n : 1, sizeof *p->r_id);
    p->r_name = calloc(n ? n : 1, sizeof *p->r_name);
    p->r_pop = calloc(n ? n : 1, sizeof *p->r_pop);
    if (!p->r_id || !p->r_name || !p->r_pop)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for %zu regions", n);
    for (size_t g = 0; g < n; g++) {
        p->r_id[g] = geo_table_value(p->regions, PL_REGION_ID, g);
        p->r_name[g] = geo_table_value(p->regions, PL_REGION_NAME, g);
        const char *v = geo_table_value(p->regions, PL_REGION_POPULATION, g);
        char *e = NULL;
        double pop = v ? strtod(v, &e) : NAN;
        p->r_pop[g] = v && e != v && !*e ? pop : NAN;
    }
    return 0;
}

int pl_plan_make(pl_plan **out, pl_run *r, r5g_err *err)
{
    *out = NULL;
    pl_plan *p = calloc(1, sizeof *p);
    if (!p)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for the plan");
    int rc = 0;
    size_t ns = r->ns, nd = r->nd;

    /* per-pair values the plan keeps per demand point: the serving pair's path loss */
    p->d_pl = malloc((nd ? nd : 1) * sizeof *p->d_pl);
    if (!p->d_pl) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory for the plan");
        goto out;
    }
    for (size_t j = 0; j < nd; j++) {
        long k = r->serving[j] >= 0 && r->pair_pl ? pl_coverage_pair(r, j, r->serving[j]) : -1;
        p->d_pl[j] = k >= 0 ? r->pair_pl[k] : NAN;
    }
    /* coverage polygons that follow the terrain, for the sites on air */
    if (pl_coverage_has_rings(r)) {
        p->s_ring = calloc(ns * PL_RING_N * 2 + 1, sizeof *p->s_ring);
        if (!p->s_ring) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory for %zu coverage polygons", ns);
            goto out;
        }
        double x[PL_RING_N], y[PL_RING_N];
        for (size_t s = 0; s < ns; s++) {
            if (!r->on_air[s])
                continue;
            pl_coverage_ring(r, s, x, y);
            for (int k = 0; k < PL_RING_N; k++) {
                p->s_ring[(s * PL_RING_N + (size_t)k) * 2] = x[k];
                p->s_ring[(s * PL_RING_N + (size_t)k) * 2 + 1] = y[k];
            }
        }
    }

    TAKE(p->sc, r->sc);
    TAKE(p->crs, r->crs);
    p->regions = r->t_reg;
    p->d_x = geo_table_wx(r->t_dem);
    p->d_y = geo_table_wy(r->t_dem);
    add_table(p, &r->t_dem);
    add_table(p, &r->t_cand);
    add_table(p, &r->t_exist);
    add_table(p, &r->t_reg);
    if ((rc = region_arrays(p, err)))
        goto out;

    p->ns = ns;
    TAKE(p->s_id, r->s_id);
    TAKE(p->s_name, r->s_name);
    p->s_kept = r->s_kept;
    r->s_kept = (pl_kept){0};
    TAKE(p->s_kind, r->kind);
    TAKE(p->s_band, r->band);
    TAKE(p->s_env, r->s_env);
    TAKE(p->s_region, r->s_region);
    TAKE(p->s_x, r->sx);
    TAKE(p->s_y, r->sy);
    TAKE(p->s_capex, r->capex);
    TAKE(p->s_radius, r->radius);
    TAKE(p->s_height, r->s_height);
    TAKE(p->s_on_air, r->on_air);
    TAKE(p->s_cov_weight, r->s_cov_weight);
    TAKE(p->s_served, r->s_served);
    TAKE(p->s_over_early, r->s_over_early);
    if (r->n_commit)
        TAKE(p->s_committed, r->s_commit);
    for (size_t s = 0; s < ns; s++)
        if (p->s_kind[s] == PL_KIND_EXISTING)
            p->s_capex[s] = 0;
    if (p->sc->radio_model != PL_RADIO_TR38901)
        for (size_t s = 0; s < ns; s++)
            p->s_env[s] = -1;

    p->nd = nd;
    TAKE(p->d_id, r->d_id);
    TAKE(p->d_name, r->d_name);
    p->d_kept = r->d_kept;
    r->d_kept = (pl_kept){0};
    TAKE(p->d_sector, r->d_sector);
    TAKE(p->d_weight, r->d_weight);
    TAKE(p->d_eff, r->d_eff);
    TAKE(p->d_period, r->d_period);
    TAKE(p->d_white, r->d_white);
    TAKE(p->d_region, r->d_region);
    TAKE(p->d_cov, r->cov_index);
    TAKE(p->d_serving, r->serving);
    TAKE(p->d_dist, r->serving_dist);
    TAKE(p->d_served, r->served);

    TAKE(p->pk, r->pk);
    p->objective = r->kpi_objective;
    p->gap = r->kpi_gap;
    /* the bound on the objective's side of the plan (a bound below the plan's
     * own value, max_coverage, or above it, min_cost, is the plan itself) */
    p->bound = p->sc->objective == PL_OBJ_MIN_COST ? fmin(r->res.bound, p->objective)
                                                   : fmax(r->res.bound, p->objective);
    snprintf(p->solve.status, sizeof p->solve.status, "%s", sol_status_name(r->res.status));
    snprintf(p->solve.bound_kind, sizeof p->solve.bound_kind, "%s", r->res.bound_kind ? r->res.bound_kind : "");
    p->solve.solver_objective = r->res.objective;
    p->solve.bound = r->res.bound;
    p->solve.seconds = r->res.seconds;
    p->solve.regions = r->res.regions;
    p->solve.total_seconds = r->total_seconds;
    p->solve.n_rows = r->res.n_rows;
    p->solve.n_cols = r->res.n_cols;
    p->solve.n_nonzeros = r->res.n_nonzeros;
    p->solve.red_demand_out = r->res.red_demand_out;
    p->solve.red_sites_out = r->res.red_sites_out;
    p->solve.red_pairs_out = r->res.red_pairs_out;
    p->want_links = r->want_links;
out:
    if (rc) {
        pl_plan_free(p);
        return rc;
    }
    *out = p;
    return 0;
}
