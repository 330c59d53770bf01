/* The map layers added for reviewers (docs/output.md): coverage_by_period,
 * links, region_kpi and sector_kpi, and the fixed short field names used
 * when a format limits names to 10 characters (ESRI Shapefile). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "planner/report/report.h"
#include "planner/report/styles.h"


/* Fixed, documented mapping (docs/output.md "Shapefile field names"): stable
 * across versions, unique within every layer. Names of 10 characters or
 * fewer are kept as they are. */
static const char *const short_names[][2] = {
    {"build_period", "bld_period"},      {"build_index", "bld_index"},
    {"covered_weight", "cov_weight"},    {"served_demand", "served_dem"},
    {"effective_weight", "eff_weight"},  {"demand_period", "dem_period"},
    {"demand_index", "dem_index"},       {"demand_date", "dem_date"},
    {"covered_period", "cov_period"},    {"covered_index", "cov_index"},
    {"covered_date", "cov_date"},        {"lead_periods", "lead"},
    {"serving_site_id", "serv_site"},    {"serving_distance_m", "serv_dist"},
    {"period_index", "period_idx"},      {"period_date", "period_dt"},
    {"sites_on_air", "on_air"},          {"demand_weight", "dem_weight"},
    {"covered_share", "cov_share"},      {"on_time_share", "ontm_share"},
    {"appearing_demand", "appearing"},   {"mean_lead_periods", "mean_lead"},
    {"over_early_sites", "over_early"},  {"sites_per_10k", "sites_10k"},
    {"environment", "env"},              {"path_loss_db", "path_loss"},
    {"serving_path_loss_db", "serv_loss"},
};

const char *pl_short_field_name(const char *name)
{
    for (size_t k = 0; k < sizeof short_names / sizeof *short_names; k++)
        if (strcmp(short_names[k][0], name) == 0)
            return short_names[k][1];
    return NULL;
}

const char *pl_out_field_name(const char *name, int max_len)
{
    return max_len > 0 && (int)strlen(name) > max_len ? pl_short_field_name(name) : name;
}

/* 1 when `name` is one of g[0..n) in any case (DBF and SQLite field names
 * are case-insensitive). */
static int name_taken(const char *name, const geo_fdef *g, int n)
{
    for (int k = 0; k < n; k++)
        if (strcasecmp(g[k].name, name) == 0)
            return 1;
    return 0;
}

/* The name a kept input field gets after the columns g[0..n): itself, or,
 * in a format that keeps max_len characters, its first max_len; where that
 * is taken (any case), the first max_len - 2 (- 3, ...) followed by _1, _2,
 * ... (docs/output.md). malloc'd; NULL on out of memory. */
static char *kept_name(const char *name, int max_len, const geo_fdef *g, int n)
{
    int len = (int)strlen(name);
    if (max_len > 0 && len > max_len) /* cut, without a trailing space (a .dbf pads names) */
        for (len = max_len; len > 1 && name[len - 1] == ' '; len--)
            ;
    char *s = r5g_strndup(name, (size_t)len);
    for (int i = 1; s && name_taken(s, g, n); i++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof suffix, "_%d", i);
        int keep = max_len > 0 && len + sl > max_len ? max_len - sl : len;
        free(s);
        s = r5g_asprintf("%.*s%s", keep, name, suffix);
    }
    return s;
}

int pl_out_layer_kept(const pl_writer *w, const char *name, geo_geom_kind kind, const geo_fdef *f,
                      int nf, const pl_kept *kf, r5g_err *err)
{
    int max = geo_out_field_name_max(w->out), nk = kf ? kf->n : 0, rc = 0;
    geo_fdef *g = malloc((size_t)(nf + nk > 0 ? nf + nk : 1) * sizeof *g);
    char **kn = calloc(nk > 0 ? (size_t)nk : 1, sizeof *kn);
    if (!g || !kn) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < nf; k++) {
        g[k] = f[k];
        if (max > 0 && !(g[k].name = pl_out_field_name(f[k].name, max))) {
            rc = r5g_err_set(err, R5G_EINTERNAL, "layer '%s': field '%s' has no short name for %s",
                             name, f[k].name, geo_out_format(w->out));
            goto out;
        }
    }
    for (int k = 0; k < nk; k++) {
        if (name_taken(kf->name[k], f, nf)) { /* the reader refuses these (schema.c) */
            rc = r5g_err_set(err, R5G_EINTERNAL, "layer '%s': kept field '%s' is one of its "
                             "own columns", name, kf->name[k]);
            goto out;
        }
        if (!(kn[k] = kept_name(kf->name[k], max, g, nf + k))) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            goto out;
        }
        g[nf + k] = (geo_fdef){kn[k], kf->type[k]};
    }
    rc = geo_out_layer(w->out, name, kind, g, nf + nk, err);
out:
    for (int k = 0; kn && k < nk; k++)
        free(kn[k]);
    free(kn);
    free(g);
    return rc;
}

int pl_out_layer(const pl_writer *w, const char *name, geo_geom_kind kind, const geo_fdef *f, int nf,
                 r5g_err *err)
{
    return pl_out_layer_kept(w, name, kind, f, nf, NULL, err);
}

/* Text as GDAL reads a date ("2026/01/31") as "2026-01-31" into buf (what
 * GEO_FT_DATE takes); other text as it is. */
static const char *iso_date(const char *s, char buf[11])
{
    if (!s || strlen(s) < 10 || s[4] != '/' || s[7] != '/')
        return s;
    memcpy(buf, s, 10);
    buf[4] = buf[7] = '-';
    buf[10] = '\0';
    return buf;
}

int pl_out_point_kept(const pl_writer *w, const geo_val *v, int nf, const pl_kept *kf, size_t row,
                      double wx, double wy, r5g_err *err)
{
    if (!kf || kf->n == 0)
        return geo_out_point(w->out, v, wx, wy, err);
    int n = nf + kf->n;
    geo_val *all = malloc((size_t)n * sizeof *all);
    char (*dates)[11] = malloc((size_t)kf->n * sizeof *dates);
    if (!all || !dates) {
        free(all);
        free(dates);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    memcpy(all, v, (size_t)nf * sizeof *all);
    for (int k = 0; k < kf->n; k++) {
        const char *t = pl_kept_value(kf, k, row);
        char *end = NULL;
        geo_val *o = &all[nf + k];
        geo_ftype ty = kf->type[k];
        *o = GEO_STR(t); /* text: NULL stays NULL and '' stays '' */
        if (!t || ty == GEO_FT_STR)
            continue;
        if (!*t)
            *o = GEO_NULL;
        else if (ty == GEO_FT_INT || ty == GEO_FT_INT32) {
            long long i = strtoll(t, &end, 10);
            *o = end != t && !*end ? GEO_INT(i) : GEO_NULL;
        } else if (ty == GEO_FT_REAL) {
            double d = strtod(t, &end);
            *o = end != t && !*end ? GEO_REAL(d) : GEO_NULL;
        } else if (ty == GEO_FT_DATE)
            *o = GEO_STR(iso_date(t, dates[k]));
    }
    int rc = geo_out_point(w->out, all, wx, wy, err);
    free(all);
    free(dates);
    return rc;
}

int pl_write_coverage_by_period(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"period", GEO_FT_STR},       {"period_index", GEO_FT_INT},
                                 {"period_date", GEO_FT_DATE}, {"period_end", GEO_FT_DATE},
                                 {"sites_on_air", GEO_FT_INT}, {"area_km2", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    size_t n = p->ns ? p->ns : 1;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *rad = malloc(n * sizeof *rad);
    int rc = x && y && rad ? pl_out_layer(w, "coverage_by_period", GEO_GEOM_MULTIPOLYGON, f, NF, err)
                           : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (int t = 1; rc == 0 && t <= p->sc->n_periods; t++) {
        size_t k = 0;
        for (size_t s = 0; s < p->ns; s++) {
            if (p->s_on_air[s] == 0 || p->s_on_air[s] > t)
                continue;
            x[k] = p->s_x[s];
            y[k] = p->s_y[s];
            rad[k++] = p->s_radius[s];
        }
        char end[11];
        pl_scenario_period_end(p->sc, t, end);
        geo_val v[NF] = {GEO_STR(p->sc->period_label[t - 1]), GEO_INT(t), GEO_STR(p->sc->period_date[t - 1]),
                         GEO_STR(end), GEO_INT((long long)k), GEO_REAL(0)};
        if (geo_out_draws_styles(w->out))
            geo_out_feature_style(w->out, pl_kml_style_coverage_by_period((char[96]){0}, 96));
        rc = geo_out_disc_union(w->out, v, 5, x, y, rad, k, NULL, err);
    }
    free(x);
    free(y);
    free(rad);
    return rc;
}

int pl_write_links(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"demand_id", GEO_FT_STR},     {"site_id", GEO_FT_STR},
                                 {"distance_m", GEO_FT_METRES},   {"covered_index", GEO_FT_INT},
                                 {"covered_date", GEO_FT_DATE}, {"on_time", GEO_FT_INT},
                                 {"whitelist", GEO_FT_INT}};
    enum { NF = sizeof f / sizeof *f };
    const double *wx = p->d_x, *wy = p->d_y;
    int rc = pl_out_layer(w, "links", GEO_GEOM_LINE, f, NF, err);
    for (size_t j = 0; rc == 0 && j < p->nd; j++) {
        int s = p->d_serving[j];
        if (s < 0)
            continue;
        int a = p->d_period[j], c = p->d_cov[j];
        int due = a - p->sc->lead_periods < 1 ? 1 : a - p->sc->lead_periods;
        geo_val v[NF] = {GEO_STR(p->d_id[j]), GEO_STR(p->s_id[s]), GEO_REAL(p->d_dist[j]), GEO_INT(c),
                         GEO_STR(p->sc->period_date[c - 1]), GEO_INT(c <= due), GEO_INT(p->d_white[j])};
        if (geo_out_draws_styles(w->out))
            geo_out_feature_style(w->out, pl_kml_style_link((char[96]){0}, 96));
        rc = geo_out_line(w->out, v, wx[j], wy[j], p->s_x[s], p->s_y[s], err);
    }
    return rc;
}

int pl_write_region_kpi(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"region_id", GEO_FT_STR},     {"name", GEO_FT_STR},          {"population", GEO_FT_REAL},
        {"period", GEO_FT_STR},        {"period_index", GEO_FT_INT},  {"period_date", GEO_FT_DATE},
        {"period_end", GEO_FT_DATE},   {"sites_on_air", GEO_FT_INT},  {"new_sites", GEO_FT_INT},
        {"capex", GEO_FT_REAL},        {"sites_per_10k", GEO_FT_REAL}, {"demand_weight", GEO_FT_REAL},
        {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    if (!p->regions)
        return 0;
    size_t nr = p->nr;
    int T = p->sc->n_periods;
    pl_group_kpi *k = calloc(nr ? nr : 1, sizeof *k);
    int rc = k ? pl_out_layer(w, "region_kpi", GEO_GEOM_MULTIPOLYGON, f, NF, err)
               : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (int t = 1; rc == 0 && t <= T; t++) {
        pl_plan_region_kpi(k, p, t);
        char end[11];
        pl_scenario_period_end(p->sc, t, end);
        for (size_t g = 0; rc == 0 && g < nr; g++) {
            double pop = p->r_pop[g];
            geo_val v[NF] = {
                GEO_STR(p->r_id[g]),
                GEO_STR(p->r_name[g]),
                isfinite(pop) ? GEO_REAL(pop) : GEO_NULL,
                GEO_STR(p->sc->period_label[t - 1]),
                GEO_INT(t),
                GEO_STR(p->sc->period_date[t - 1]),
                GEO_STR(end),
                GEO_INT(k[g].sites_on_air),
                GEO_INT(k[g].new_sites),
                GEO_REAL(k[g].capex),
                isfinite(pop) && pop > 0 ? GEO_REAL(k[g].sites_on_air * 1e4 / pop) : GEO_NULL,
                GEO_REAL(k[g].demand_weight),
                isnan(k[g].covered_share) ? GEO_NULL : GEO_REAL(k[g].covered_share),
                isnan(k[g].on_time_share) ? GEO_NULL : GEO_REAL(k[g].on_time_share),
            };
            if (geo_out_draws_styles(w->out))
                geo_out_feature_style(w->out, pl_kml_style_region(k[g].covered_share, (char[96]){0}, 96));
            rc = geo_out_table_geom(w->out, v, p->regions, g, err);
        }
    }
    free(k);
    return rc;
}

int pl_write_sector_kpi(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"sector", GEO_FT_STR},          {"period", GEO_FT_STR},         {"period_index", GEO_FT_INT},
        {"period_date", GEO_FT_DATE},    {"period_end", GEO_FT_DATE},    {"n_demand", GEO_FT_INT},
        {"demand_weight", GEO_FT_REAL},  {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    const char **sec = NULL;
    size_t u = 0;
    int rc = pl_plan_sectors(&sec, &u, p, err);
    if (rc == 0)
        rc = pl_out_layer(w, "sector_kpi", GEO_GEOM_NONE, f, NF, err);
    for (size_t k = 0; rc == 0 && k < u; k++) {
        for (int t = 1; rc == 0 && t <= p->sc->n_periods; t++) {
            pl_group_kpi a = pl_plan_sector_kpi(p, sec[k], t);
            char end[11];
            pl_scenario_period_end(p->sc, t, end);
            geo_val v[NF] = {GEO_STR(sec[k]), GEO_STR(p->sc->period_label[t - 1]), GEO_INT(t),
                             GEO_STR(p->sc->period_date[t - 1]), GEO_STR(end), GEO_INT(a.n_demand),
                             GEO_REAL(a.demand_weight),
                             isnan(a.covered_share) ? GEO_NULL : GEO_REAL(a.covered_share),
                             isnan(a.on_time_share) ? GEO_NULL : GEO_REAL(a.on_time_share)};
            rc = geo_out_row(w->out, v, err);
        }
    }
    free(sec);
    return rc;
}
