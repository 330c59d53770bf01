/* The plan as map layers (see docs/output.md and the output contract in
 * SCENARIO-CONTRACT.md): sites, demand, coverage, period_kpi, plan_meta. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/report/report.h"
#include "planner/report/styles.h"


static geo_val period_label(const pl_plan *p, int index)
{
    return index > 0 ? GEO_STR(p->sc->period_label[index - 1]) : GEO_NULL;
}

static geo_val period_date(const pl_plan *p, int index)
{
    return index > 0 ? GEO_STR(p->sc->period_date[index - 1]) : GEO_NULL;
}

static geo_val period_index(int index) { return index > 0 ? GEO_INT(index) : GEO_NULL; }

static int writer_progress(const pl_writer *w, pl_progress_kind kind, double fraction, r5g_err *err)
{
    pl_progress_event ev = {.kind = kind, .stage = "writing", .fraction = fraction};
    if (w->progress && w->progress(&ev, w->progress_user))
        return r5g_err_set(err, R5G_ECANCELLED, "cancelled by the caller while writing");
    return 0;
}

int pl_report_coverage_polygon(const pl_writer *w, const geo_val *vals, size_t s, r5g_err *err)
{
    const pl_plan *p = w->p;
    if (!p->s_ring)
        return geo_out_disc(w->out, vals, p->s_x[s], p->s_y[s], p->s_radius[s], err);
    double x[PL_RING_N], y[PL_RING_N];
    for (int k = 0; k < PL_RING_N; k++) {
        x[k] = p->s_ring[(s * PL_RING_N + (size_t)k) * 2];
        y[k] = p->s_ring[(s * PL_RING_N + (size_t)k) * 2 + 1];
    }
    return geo_out_polygon(w->out, vals, x, y, PL_RING_N, err);
}

static int write_sites(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"site_id", GEO_FT_STR},      {"kind", GEO_FT_STR},          {"band", GEO_FT_STR},
        {"region_id", GEO_FT_STR},    {"status", GEO_FT_STR},        {"build_period", GEO_FT_STR},
        {"build_index", GEO_FT_INT},  {"build_date", GEO_FT_DATE},   {"capex", GEO_FT_REAL},
        {"radius_m", GEO_FT_METRES},    {"covered_weight", GEO_FT_REAL}, {"served_demand", GEO_FT_INT},
        {"environment", GEO_FT_STR},  {"name", GEO_FT_STR},          {"committed", GEO_FT_INT}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer_kept(w, "sites", GEO_GEOM_POINT, f, NF, &p->s_kept, err);
    for (size_t s = 0; rc == 0 && s < p->ns; s++) {
        int existing = p->s_kind[s] == PL_KIND_EXISTING;
        int b = existing ? 0 : p->s_on_air[s];
        geo_val v[NF] = {
            GEO_STR(p->s_id[s]),
            GEO_STR(pl_kind_name(p->s_kind[s])),
            GEO_STR(p->sc->bands[p->s_band[s]].name),
            GEO_STR(pl_plan_region_id(p, p->s_region[s])),
            GEO_STR(existing ? "existing" : b ? "built" : "not_built"),
            period_label(p, b),
            period_index(b),
            period_date(p, b),
            GEO_REAL(existing ? 0 : p->s_capex[s]),
            GEO_REAL(p->s_radius[s]),
            GEO_REAL(p->s_cov_weight[s]),
            GEO_INT(p->s_served[s]),
            GEO_STR(pl_plan_env_name(p, s)),
            p->s_name && p->s_name[s] ? GEO_STR(p->s_name[s]) : GEO_NULL,
            GEO_INT(p->s_committed && p->s_committed[s] > 0),
        };
        if (geo_out_draws_styles(w->out))
            geo_out_feature_style(w->out, pl_kml_style_site(p->sc, existing, b, (char[96]){0}, 96));
        rc = pl_out_point_kept(w, v, NF, &p->s_kept, s, p->s_x[s], p->s_y[s], err);
    }
    return rc;
}

static int write_demand(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"demand_id", GEO_FT_STR},       {"sector", GEO_FT_STR},          {"whitelist", GEO_FT_INT},
        {"weight", GEO_FT_REAL},         {"effective_weight", GEO_FT_REAL}, {"region_id", GEO_FT_STR},
        {"demand_period", GEO_FT_STR},   {"demand_index", GEO_FT_INT},    {"demand_date", GEO_FT_DATE},
        {"covered_period", GEO_FT_STR},  {"covered_index", GEO_FT_INT},   {"covered_date", GEO_FT_DATE},
        {"lead_periods", GEO_FT_INT},    {"on_time", GEO_FT_INT},         {"serving_site_id", GEO_FT_STR},
        {"serving_distance_m", GEO_FT_METRES}, {"serving_path_loss_db", GEO_FT_REAL},
        {"name", GEO_FT_STR}};
    enum { NF = sizeof f / sizeof *f };
    const double *wx = p->d_x, *wy = p->d_y;
    int rc = pl_out_layer_kept(w, "demand", GEO_GEOM_POINT, f, NF, &p->d_kept, err);
    for (size_t j = 0; rc == 0 && j < p->nd; j++) {
        int a = p->d_period[j], c = p->d_cov[j];
        int due = a - p->sc->lead_periods < 1 ? 1 : a - p->sc->lead_periods;
        int srv = p->d_serving[j];
        geo_val v[NF] = {
            GEO_STR(p->d_id[j]),
            GEO_STR(p->d_sector[j]),
            GEO_INT(p->d_white[j]),
            GEO_REAL(p->d_weight[j]),
            GEO_REAL(p->d_eff[j]),
            GEO_STR(pl_plan_region_id(p, p->d_region[j])),
            period_label(p, a),
            GEO_INT(a),
            period_date(p, a),
            period_label(p, c),
            period_index(c),
            period_date(p, c),
            c ? GEO_INT(a - c) : GEO_NULL,
            GEO_INT(c > 0 && c <= due),
            srv >= 0 ? GEO_STR(p->s_id[srv]) : GEO_NULL,
            srv >= 0 ? GEO_REAL(p->d_dist[j]) : GEO_NULL,
            srv >= 0 ? GEO_REAL(p->d_pl[j]) : GEO_NULL, /* NAN (written NULL) for fixed_radius */
            p->d_name && p->d_name[j] ? GEO_STR(p->d_name[j]) : GEO_NULL,
        };
        if (geo_out_draws_styles(w->out))
            geo_out_feature_style(w->out, pl_kml_style_demand(c, c > 0 && c <= due, p->d_white[j],
                                                              (char[96]){0}, 96));
        rc = pl_out_point_kept(w, v, NF, &p->d_kept, j, wx[j], wy[j], err);
    }
    return rc;
}

static int write_coverage(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"site_id", GEO_FT_STR},     {"kind", GEO_FT_STR},
                                 {"build_period", GEO_FT_STR}, {"build_index", GEO_FT_INT},
                                 {"build_date", GEO_FT_DATE},  {"radius_m", GEO_FT_METRES}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer(w, "coverage", GEO_GEOM_POLYGON, f, NF, err);
    for (size_t s = 0; rc == 0 && s < p->ns; s++) {
        int b = p->s_on_air[s];
        if (b == 0)
            continue;
        geo_val v[NF] = {GEO_STR(p->s_id[s]), GEO_STR(pl_kind_name(p->s_kind[s])), period_label(p, b),
                         GEO_INT(b),          period_date(p, b),            GEO_REAL(p->s_radius[s])};
        if (geo_out_draws_styles(w->out))
            geo_out_feature_style(w->out, pl_kml_style_coverage(p->sc, b, (char[96]){0}, 96));
        rc = pl_report_coverage_polygon(w, v, s, err);
    }
    return rc;
}

static int write_period_kpi(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"period", GEO_FT_STR},          {"period_index", GEO_FT_INT},   {"period_date", GEO_FT_DATE},
        {"budget", GEO_FT_REAL},         {"carry_in", GEO_FT_REAL},      {"capex", GEO_FT_REAL},
        {"new_sites", GEO_FT_INT},       {"upgrades", GEO_FT_INT},       {"sites_on_air", GEO_FT_INT},
        {"demand_weight", GEO_FT_REAL},  {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL},
        {"appearing_demand", GEO_FT_INT}, {"mean_lead_periods", GEO_FT_REAL},
        {"over_early_sites", GEO_FT_INT}, {"period_end", GEO_FT_DATE}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer(w, "period_kpi", GEO_GEOM_NONE, f, NF, err);
    for (int t = 1; rc == 0 && t <= p->sc->n_periods; t++) {
        const pl_period_kpi *k = &p->pk[t - 1];
        char end[11];
        pl_scenario_period_end(p->sc, t, end);
        geo_val v[NF] = {
            period_label(p, t),
            GEO_INT(t),
            period_date(p, t),
            isfinite(k->budget) ? GEO_REAL(k->budget) : GEO_NULL,
            GEO_REAL(k->carry_in),
            GEO_REAL(k->capex),
            GEO_INT(k->new_sites),
            GEO_INT(k->upgrades),
            GEO_INT(k->sites_on_air),
            GEO_REAL(k->demand_weight),
            GEO_REAL(k->covered_share),
            GEO_REAL(k->on_time_share),
            GEO_INT(k->appearing),
            isnan(k->mean_lead) ? GEO_NULL : GEO_REAL(k->mean_lead),
            GEO_INT(k->over_early_sites),
            GEO_STR(end),
        };
        rc = geo_out_row(w->out, v, err);
    }
    return rc;
}

/* Bytes a text field keeps in the format: a Shapefile's DBF 254, else no limit. */
static size_t text_max(const geo_out *o)
{
    return strcmp(geo_out_format(o), "ESRI Shapefile") == 0 ? 254 : 0;
}

/* plan_meta: key, value and value_num (the number of a numeric row, NULL
 * for text). A value longer than the format keeps (the settings JSON in a
 * Shapefile's DBF) continues in the next rows under the same key, cut
 * between UTF-8 characters and after a character that is not a space;
 * pl_plan_read joins them. */
static int write_plan_meta(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"key", GEO_FT_STR}, {"value", GEO_FT_STR}, {"value_num", GEO_FT_REAL}};
    size_t max = text_max(w->out);
    int rc = pl_out_layer(w, "plan_meta", GEO_GEOM_NONE, f, 3, err);
    for (int k = 0; rc == 0 && k < p->n_meta; k++) {
        const char *val = p->meta_val[k];
        double num = p->meta_num ? p->meta_num[k] : NAN;
        geo_val v[3] = {GEO_STR(p->meta_key[k]), GEO_STR(val), isfinite(num) ? GEO_REAL(num) : GEO_NULL};
        size_t len = val ? strlen(val) : 0;
        if (!max || len <= max) {
            rc = geo_out_row(w->out, v, err);
            continue;
        }
        for (size_t at = 0; rc == 0 && at < len;) {
            size_t n = len - at > max ? max : len - at;
            /* never split a UTF-8 sequence, never end a part with a space (DBF
             * pads with spaces and GDAL trims them when it reads) */
            while (n > 1 && at + n < len &&
                   (((unsigned char)val[at + n] & 0xC0) == 0x80 || val[at + n - 1] == ' '))
                n--;
            char *part = r5g_strndup(val + at, n);
            if (!part)
                return r5g_err_set(err, R5G_ENOMEM, "out of memory");
            v[1] = GEO_STR(part);
            rc = geo_out_row(w->out, v, err);
            free(part);
            at += n;
        }
    }
    return rc;
}

typedef struct layer_job {
    const char *name;
    int (*write)(const pl_writer *w, r5g_err *err);
    char *(*style)(const pl_scenario *sc, const pl_field_map *fm);
    char *(*sld)(const pl_scenario *sc, const pl_field_map *fm); /* NULL: none */
} layer_job;

int pl_output_write(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    const layer_job jobs[] = {
        {"sites", write_sites, pl_style_sites, pl_sld_sites},
        {"demand", write_demand, pl_style_demand, pl_sld_demand},
        {"coverage", write_coverage, pl_style_coverage, NULL},
        {"coverage_by_period", pl_write_coverage_by_period, pl_style_coverage_by_period, NULL},
        {"links", p->want_links ? pl_write_links : NULL, pl_style_links, NULL},
        {"region_kpi", p->regions ? pl_write_region_kpi : NULL, pl_style_region_kpi, pl_sld_region_kpi},
        {"period_kpi", write_period_kpi, pl_style_period_table, NULL},
        {"sector_kpi", pl_write_sector_kpi, pl_style_period_table, NULL},
        {"plan_meta", write_plan_meta, pl_style_plain, NULL},
    };
    enum { NJ = sizeof jobs / sizeof *jobs };
    const pl_field_map fm = {geo_out_field_name_max(w->out)}; /* as pl_out_layer names the fields */
    int rc;
    if ((rc = writer_progress(w, PL_PROGRESS_BEGIN, 0, err)))
        return rc;
    for (int k = 0; k < NJ; k++) {
        if (!jobs[k].write)
            continue;
        if (jobs[k].write == write_plan_meta && w->before_meta && (rc = w->before_meta(w->before_meta_user, err)))
            return rc;
        double t0 = r5g_now();
        if ((rc = jobs[k].write(w, err)))
            return rc;
        r5g_log(R5G_LOG_DEBUG, "wrote layer %s in %.3f s", jobs[k].name, r5g_now() - t0);
        if ((rc = writer_progress(w, PL_PROGRESS_UPDATE, (k + 1.0) / (NJ + 1.0), err)))
            return rc;
    }
    for (int k = 0; k < NJ; k++) {
        if (!jobs[k].write)
            continue;
        char *qml = jobs[k].style(p->sc, &fm);
        char *sld = jobs[k].sld ? jobs[k].sld(p->sc, &fm) : NULL;
        rc = !qml || (jobs[k].sld && !sld) ? r5g_err_set(err, R5G_ENOMEM, "out of memory")
                                           : geo_out_style(w->out, jobs[k].name, qml, sld, err);
        free(qml);
        free(sld);
        if (rc)
            return rc;
    }
    return writer_progress(w, PL_PROGRESS_END, 1, err);
}
