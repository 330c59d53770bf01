/* The layers of `rollout5g coverage`: sites with their range, a coverage
 * polygon per site, demand (coverable or not, best site) and every judged
 * pair with its distance, path loss and line of sight. */
#include "config.h"

#include <stdlib.h>

#include "planner/pipeline/coverage.h"
#include "planner/pipeline/run.h"
#include "planner/report/report.h"

int pl_coverage_layers_write(pl_run *r, r5g_err *err)
{
    static const geo_fdef fs[] = {{"site_id", GEO_FT_STR},  {"kind", GEO_FT_STR},
                                  {"band", GEO_FT_STR},     {"environment", GEO_FT_STR},
                                  {"height_m", GEO_FT_METRES}, {"range_m", GEO_FT_METRES},
                                  {"region_id", GEO_FT_STR}, {"demand_covered", GEO_FT_INT}};
    static const geo_fdef fc[] = {{"site_id", GEO_FT_STR}, {"kind", GEO_FT_STR},
                                  {"band", GEO_FT_STR},    {"environment", GEO_FT_STR},
                                  {"range_m", GEO_FT_METRES}};
    static const geo_fdef fd[] = {{"demand_id", GEO_FT_STR},     {"region_id", GEO_FT_STR},
                                  {"indoor", GEO_FT_INT},        {"n_sites", GEO_FT_INT},
                                  {"best_site_id", GEO_FT_STR},  {"best_path_loss_db", GEO_FT_REAL},
                                  {"best_distance_m", GEO_FT_METRES}};
    static const geo_fdef fp[] = {{"site_id", GEO_FT_STR},     {"demand_id", GEO_FT_STR},
                                  {"distance_m", GEO_FT_METRES}, {"path_loss_db", GEO_FT_REAL},
                                  {"los", GEO_FT_INT}};
    int rc;
    int *served = calloc(r->ns ? r->ns : 1, sizeof *served);
    if (!served)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (size_t k = 0; k < r->pairs.n_pairs; k++)
        served[r->pairs.site[k]]++;
    rc = geo_out_layer(r->out, "sites", GEO_GEOM_POINT, fs, 8, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        geo_val v[8] = {GEO_STR(r->s_id[s]),
                        GEO_STR(pl_kind_name(r->kind[s])),
                        GEO_STR(r->sc->bands[r->band[s]].name),
                        GEO_STR(pl_site_env_name(r, s)),
                        (r->sc->radio_model == PL_RADIO_TR38901) ? GEO_REAL(r->s_height[s]) : GEO_NULL,
                        GEO_REAL(r->radius[s]),
                        GEO_STR(pl_region_id(r, r->s_region[s])),
                        GEO_INT(served[s])};
        rc = geo_out_point(r->out, v, r->sx[s], r->sy[s], err);
    }
    free(served);
    if (rc == 0)
        rc = geo_out_layer(r->out, "coverage", GEO_GEOM_POLYGON, fc, 5, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        geo_val v[5] = {GEO_STR(r->s_id[s]), GEO_STR(pl_kind_name(r->kind[s])),
                        GEO_STR(r->sc->bands[r->band[s]].name), GEO_STR(pl_site_env_name(r, s)),
                        GEO_REAL(r->radius[s])};
        rc = pl_coverage_write_site(r, v, s, err);
    }
    if (rc == 0)
        rc = geo_out_layer(r->out, "demand", GEO_GEOM_POINT, fd, 7, err);
    const double *dx = geo_table_wx(r->t_dem), *dy = geo_table_wy(r->t_dem);
    for (size_t j = 0; rc == 0 && j < r->nd; j++) {
        long best = -1;
        for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++)
            if (best < 0 || ((r->sc->radio_model == PL_RADIO_TR38901) ? r->pair_pl[k] < r->pair_pl[best]
                                      : r->pairs.dist[k] < r->pairs.dist[best]))
                best = (long)k;
        geo_val v[7] = {GEO_STR(r->d_id[j]),
                        GEO_STR(pl_region_id(r, r->d_region[j])),
                        GEO_INT(r->d_indoor[j]),
                        GEO_INT((long long)(r->pairs.ptr[j + 1] - r->pairs.ptr[j])),
                        best >= 0 ? GEO_STR(r->s_id[r->pairs.site[best]]) : GEO_NULL,
                        best >= 0 && (r->sc->radio_model == PL_RADIO_TR38901) ? GEO_REAL(r->pair_pl[best]) : GEO_NULL,
                        best >= 0 ? GEO_REAL(r->pairs.dist[best]) : GEO_NULL};
        rc = geo_out_point(r->out, v, dx[j], dy[j], err);
    }
    if (rc == 0)
        rc = geo_out_layer(r->out, "pairs", GEO_GEOM_NONE, fp, 5, err);
    for (size_t j = 0; rc == 0 && j < r->nd; j++)
        for (size_t k = r->pairs.ptr[j]; rc == 0 && k < r->pairs.ptr[j + 1]; k++) {
            geo_val v[5] = {GEO_STR(r->s_id[r->pairs.site[k]]), GEO_STR(r->d_id[j]),
                            GEO_REAL(r->pairs.dist[k]), GEO_REAL(r->pair_pl[k]),
                            r->pair_los[k] >= 0 ? GEO_INT(r->pair_los[k]) : GEO_NULL};
            rc = geo_out_row(r->out, v, err);
        }
    return rc;
}

