/* The plan pipeline: scenario -> layers -> coverage pairs -> rollout model ->
 * KPIs recomputed from the plan -> output layers. See docs/architecture.md. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/sha256.h"
#include "geo/geo.h"
#include "geo/radio.h"
#include "planner/coverage.h"
#include "planner/plan.h"
#include "planner/plan_int.h"
#include "planner/scenario.h"
#include "solver/sol.h"

/* Layer sections and the field keys each one reads, in request order. */
static const pl_field demand_keys[] = {PL_F_ID,        PL_F_WEIGHT, PL_F_SECTOR, PL_F_PERIOD,
                                       PL_F_WHITELIST, PL_F_INDOOR, PL_F_TRAFFIC};
enum { DQ_ID, DQ_WEIGHT, DQ_SECTOR, DQ_PERIOD, DQ_WHITELIST, DQ_INDOOR, DQ_TRAFFIC, DQ_N };
static const pl_field site_keys[] = {PL_F_ID,     PL_F_CAPEX,  PL_F_KIND,
                                     PL_F_BAND,   PL_F_HEIGHT, PL_F_ENVIRONMENT};
enum { SQ_ID, SQ_CAPEX, SQ_KIND, SQ_BAND, SQ_HEIGHT, SQ_ENV, SQ_N };
static const pl_field existing_keys[] = {PL_F_ID, PL_F_BAND, PL_F_HEIGHT, PL_F_ENVIRONMENT};
static const pl_field region_keys[] = {PL_F_ID, PL_F_NAME, PL_F_POPULATION};
enum { RQ_ID, RQ_NAME, RQ_POP, RQ_N };

/* ---- small parsers with messages naming feature, key and value ---------- */

static int parse_number(double *out, const geo_table *t, size_t i, const char *key, const char *v,
                        r5g_err *err)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == v || *end || errno == ERANGE)
        return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: %s '%s' is not a number",
                           geo_table_name(t), geo_table_fid(t, i), key, v);
    if (!isfinite(d))
        return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: %s %s is not a finite number",
                           geo_table_name(t), geo_table_fid(t, i), key, v);
    if (d < 0)
        return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: %s %s is negative",
                           geo_table_name(t), geo_table_fid(t, i), key, v);
    *out = d;
    return 0;
}

static int parse_flag(int *out, const geo_table *t, size_t i, const char *key, const char *v,
                      r5g_err *err)
{
    static const char *const yes[] = {"1", "true", "t", "yes", "y"};
    static const char *const no[] = {"0", "false", "f", "no", "n", ""};
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
        if (strcasecmp(v, yes[k]) == 0)
            return *out = 1, 0;
    for (size_t k = 0; k < sizeof no / sizeof *no; k++)
        if (strcasecmp(v, no[k]) == 0)
            return *out = 0, 0;
    return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: %s '%s' is not a flag (use 1/0 or true/false)",
                       geo_table_name(t), geo_table_fid(t, i), key, v);
}

/* Requests for a layer: a mapped field must exist; an unmapped key reads the
 * field of the same name when the layer has it (id is always required). */
static void field_requests(geo_field_req *req, const pl_layer *L, const pl_field *keys, int n)
{
    for (int k = 0; k < n; k++) {
        pl_field f = keys[k];
        req[k].key = pl_field_key(f);
        req[k].field = L->field[f] ? L->field[f] : pl_field_key(f);
        req[k].required = L->field[f] != NULL || f == PL_F_ID;
    }
}

static int read_layer(geo_table **out, pl_run *r, const pl_layer *L, const char *label,
                      const pl_field *keys, int n, int flags, r5g_err *err)
{
    geo_field_req req[PL_F_COUNT];
    field_requests(req, L, keys, n);
    geo_source src = {.path = L->source,
                      .layer = L->layer,
                      .where = L->where,
                      .crs = L->crs,
                      .open_options = (const char *const *)L->open_options,
                      .label = label};
    double t0 = r5g_now();
    int rc = geo_table_read(out, r->geo, &src, req, n, flags, err);
    if (rc == 0)
        r5g_log(r->prog.tty ? R5G_LOG_DEBUG : R5G_LOG_INFO, /* a bar is on screen */
                "read %s: %zu features from %s (CRS %s) in %.2f s", label,
                geo_table_count(*out), geo_table_name(*out), geo_table_crs_name(*out),
                r5g_now() - t0);
    return rc;
}

/* ---- building the plain arrays ------------------------------------------ */

static int load_demand(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    geo_table *t = r->t_dem;
    size_t n = geo_table_count(t);
    r->nd = n;
    r->d_id = calloc(n, sizeof *r->d_id);
    r->d_sector = calloc(n, sizeof *r->d_sector);
    r->d_weight = calloc(n, sizeof *r->d_weight);
    r->d_eff = calloc(n, sizeof *r->d_eff);
    r->d_period = calloc(n, sizeof *r->d_period);
    r->d_white = calloc(n, sizeof *r->d_white);
    r->d_indoor = calloc(n ? n : 1, sizeof *r->d_indoor);
    if (!r->d_indoor ||
        (n && (!r->d_id || !r->d_sector || !r->d_weight || !r->d_eff || !r->d_period || !r->d_white)))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory reading %zu demand points", n);
    for (size_t i = 0; i < n; i++) {
        int rc;
        const char *v;
        r->d_id[i] = geo_table_value(t, DQ_ID, i);
        if (!r->d_id[i] || !r->d_id[i][0])
            return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: id is empty", geo_table_name(t),
                               geo_table_fid(t, i));
        double w = 1;
        if ((v = geo_table_value(t, DQ_WEIGHT, i)) && (rc = parse_number(&w, t, i, "weight", v, err)))
            return rc;
        r->d_weight[i] = w;
        r->d_sector[i] = geo_table_value(t, DQ_SECTOR, i);
        int wl = 0;
        if ((v = geo_table_value(t, DQ_WHITELIST, i)) && (rc = parse_flag(&wl, t, i, "whitelist", v, err)))
            return rc;
        r->d_white[i] = (unsigned char)wl;
        int indoor = 0;
        if ((v = geo_table_value(t, DQ_INDOOR, i)) && (rc = parse_flag(&indoor, t, i, "indoor", v, err)))
            return rc;
        r->d_indoor[i] = (unsigned char)indoor;
        int p = 1;
        if ((v = geo_table_value(t, DQ_PERIOD, i))) {
            p = pl_scenario_period_index(sc, v);
            if (p <= 0)
                return r5g_err_set(err, R5G_EINPUT,
                                   "%s feature %lld: period '%s' is not one of the scenario's periods (%s..%s)",
                                   geo_table_name(t), geo_table_fid(t, i), v, sc->period_label[0],
                                   sc->period_label[sc->n_periods - 1]);
        }
        r->d_period[i] = p;
        r->d_eff[i] = w * pl_scenario_sector_priority(sc, r->d_sector[i]) *
                      (wl ? sc->whitelist_multiplier : 1.0);
    }
    return 0;
}

static int load_sites(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    size_t nc = geo_table_count(r->t_cand), ne = r->t_exist ? geo_table_count(r->t_exist) : 0;
    size_t n = nc + ne;
    r->ns = n;
    r->n_cand = nc;
    r->s_id = calloc(n, sizeof *r->s_id);
    r->sx = calloc(n, sizeof *r->sx);
    r->sy = calloc(n, sizeof *r->sy);
    r->capex = calloc(n, sizeof *r->capex);
    r->radius = calloc(n, sizeof *r->radius);
    r->kind = calloc(n, sizeof *r->kind);
    r->band = calloc(n, sizeof *r->band);
    r->s_height = calloc(n ? n : 1, sizeof *r->s_height);
    r->s_env = calloc(n ? n : 1, sizeof *r->s_env);
    if (!r->s_id || !r->sx || !r->sy || !r->capex || !r->radius || !r->kind || !r->band ||
        !r->s_height || !r->s_env)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory reading %zu sites", n);
    int capex_mapped = geo_table_has_field(r->t_cand, SQ_CAPEX);
    if (!capex_mapped && nc)
        r5g_log(R5G_LOG_WARN, "%s has no capex field (candidates.fields.capex): every candidate costs 0",
                geo_table_name(r->t_cand));
    for (size_t s = 0; s < n; s++) {
        int is_cand = s < nc;
        geo_table *t = is_cand ? r->t_cand : r->t_exist;
        size_t i = is_cand ? s : s - nc;
        const double *wx = geo_table_wx(t), *wy = geo_table_wy(t);
        int q_band = is_cand ? SQ_BAND : 1;
        const char *v;
        int rc;
        r->s_id[s] = geo_table_value(t, 0, i);
        if (!r->s_id[s] || !r->s_id[s][0])
            return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: id is empty", geo_table_name(t),
                               geo_table_fid(t, i));
        r->sx[s] = wx[i];
        r->sy[s] = wy[i];
        r->kind[s] = is_cand ? PL_KIND_NEW : PL_KIND_EXISTING;
        if (is_cand && (v = geo_table_value(t, SQ_CAPEX, i)) &&
            (rc = parse_number(&r->capex[s], t, i, "capex", v, err)))
            return rc;
        if (is_cand && (v = geo_table_value(t, SQ_KIND, i)) && v[0]) {
            if (strcasecmp(v, "upgrade") == 0)
                r->kind[s] = PL_KIND_UPGRADE;
            else if (strcasecmp(v, "new") != 0)
                return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: kind '%s' is not new or upgrade",
                                   geo_table_name(t), geo_table_fid(t, i), v);
        }
        r->band[s] = 0;
        if ((v = geo_table_value(t, q_band, i)) && v[0]) {
            int b = pl_scenario_band(sc, v);
            if (b < 0) {
                char names[256] = "";
                for (int k = 0; k < sc->n_bands; k++)
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                             k ? ", " : "", sc->bands[k].name);
                return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: band '%s' is not in radio.bands (%s)",
                                   geo_table_name(t), geo_table_fid(t, i), v, names);
            }
            r->band[s] = b;
        }
        r->radius[s] = sc->radius_m;
        /* antenna height and environment: the band default and radio.environment
         * (or the clutter class) apply when absent; see coverage.c */
        r->s_height[s] = NAN;
        r->s_env[s] = -1;
        if ((v = geo_table_value(t, is_cand ? SQ_HEIGHT : 2, i)) && v[0] &&
            (rc = parse_number(&r->s_height[s], t, i, "height", v, err)))
            return rc;
        if ((v = geo_table_value(t, is_cand ? SQ_ENV : 3, i)) && v[0]) {
            geo_env e;
            if (geo_env_parse(v, &e))
                return r5g_err_set(err, R5G_EINPUT, "%s feature %lld: environment '%s' is not uma, "
                                   "umi or rma", geo_table_name(t), geo_table_fid(t, i), v);
            r->s_env[s] = (int)e;
        }
    }
    return 0;
}

typedef struct id_ref {
    const char *id;
    const geo_table *t;
    size_t i;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Ids must be unique: demand among demand, sites across candidates and existing. */
static int check_unique(const char *what, const char *const *ids, size_t n, const geo_table *t1,
                        size_t n1, const geo_table *t2, r5g_err *err)
{
    id_ref *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory checking %s ids", what);
    for (size_t k = 0; k < n; k++)
        v[k] = (id_ref){ids[k], k < n1 ? t1 : t2, k < n1 ? k : k - n1};
    qsort(v, n, sizeof *v, cmp_id_ref);
    int rc = 0;
    for (size_t k = 1; k < n; k++) {
        if (strcmp(v[k - 1].id, v[k].id) == 0) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s feature %lld: duplicate %s id '%s' (also %s feature %lld)",
                             geo_table_name(v[k].t), geo_table_fid(v[k].t, v[k].i), what, v[k].id,
                             geo_table_name(v[k - 1].t), geo_table_fid(v[k - 1].t, v[k - 1].i));
            break;
        }
    }
    free(v);
    return rc;
}

/* ---- the model ------------------------------------------------------------ */

static int credit_from(const pl_scenario *sc, int appear)
{
    int c = appear - sc->max_lead_periods;
    return c < 1 ? 1 : c;
}

static int build_model(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int T = sc->n_periods;
    size_t np = r->pairs.n_pairs;
    if (np > (size_t)INT_MAX || r->ns > (size_t)INT_MAX / 2 || r->nd > (size_t)INT_MAX / 2)
        return r5g_err_set(err, R5G_EINPUT, "the model is too large: %zu sites, %zu demand points, %zu pairs",
                           r->ns, r->nd, np);
    r->m_cov_ptr = malloc((r->nd + 1) * sizeof *r->m_cov_ptr);
    r->m_cov_site = malloc((np ? np : 1) * sizeof *r->m_cov_site);
    r->m_credit = malloc((r->nd ? r->nd : 1) * sizeof *r->m_credit);
    r->m_existing = calloc(r->ns ? r->ns : 1, 1);
    r->m_earliest = malloc((r->ns ? r->ns : 1) * sizeof *r->m_earliest);
    r->m_factor = malloc((size_t)T * sizeof *r->m_factor);
    if (!r->m_cov_ptr || !r->m_cov_site || !r->m_credit || !r->m_existing || !r->m_earliest || !r->m_factor)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory building the model");
    for (size_t j = 0; j <= r->nd; j++)
        r->m_cov_ptr[j] = (int)r->pairs.ptr[j];
    for (size_t k = 0; k < np; k++)
        r->m_cov_site[k] = r->pairs.site[k];
    for (size_t s = 0; s < r->ns; s++) {
        r->m_existing[s] = r->kind[s] == PL_KIND_EXISTING;
        r->m_earliest[s] = T + 1;
    }
    /* No over-early sites: a site may be built from the first period in which
     * some demand point it covers earns credit. */
    for (size_t j = 0; j < r->nd; j++) {
        int c = credit_from(sc, r->d_period[j]);
        r->m_credit[j] = c;
        for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++) {
            int s = r->pairs.site[k];
            if (c < r->m_earliest[s])
                r->m_earliest[s] = c;
        }
    }
    for (int t = 0; t < T; t++)
        r->m_factor[t] = pow(1.0 + sc->discount_rate, -(double)t);
    r->in = (sol_input){
        .n_periods = T,
        .n_sites = (int)r->ns,
        .capex = r->capex,
        .existing = r->m_existing,
        .earliest = r->m_earliest,
        .budget = sc->budget,
        .carry_over = sc->carry_over,
        .max_new = sc->max_new_sites,
        .n_demand = (int)r->nd,
        .weight = r->d_eff,
        .credit_from = r->m_credit,
        .period_factor = r->m_factor,
        .cov_ptr = r->m_cov_ptr,
        .cov_site = r->m_cov_site,
        .time_limit_s = sc->time_limit_s,
        .mip_gap = sc->mip_gap,
        .presolve = sc->presolve,
        .cuts = sc->cuts,
        .heuristics = sc->heuristics,
    };
    return pl_rules_build(r, err);
}

/* ---- pipeline ---------------------------------------------------------- */

int pl_read_inputs(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int rc;
    pl_progress_begin(&r->prog, "reading");
    if ((rc = read_layer(&r->t_dem, r, &sc->demand, "demand", demand_keys, DQ_N, 0, err)))
        return rc;
    pl_progress_update(&r->prog, 0.4);
    if ((rc = read_layer(&r->t_cand, r, &sc->candidates, "candidates", site_keys, SQ_N, 0, err)))
        return rc;
    pl_progress_update(&r->prog, 0.6);
    if (sc->existing.present &&
        (rc = read_layer(&r->t_exist, r, &sc->existing, "existing", existing_keys, 4, 0, err)))
        return rc;
    if (sc->regions.present && (rc = read_layer(&r->t_reg, r, &sc->regions, "regions", region_keys,
                                                 RQ_N, GEO_READ_KEEP_GEOMETRY, err)))
        return rc;
    geo_table *all[4];
    int nt = 0;
    all[nt++] = r->t_dem;
    all[nt++] = r->t_cand;
    if (r->t_exist)
        all[nt++] = r->t_exist;
    if (r->t_reg)
        all[nt++] = r->t_reg;
    pl_progress_update(&r->prog, 0.8);
    if ((rc = geo_crs_choose(&r->crs, r->geo, sc->crs, all, nt, err)))
        return rc;
    r5g_log(r->prog.tty ? R5G_LOG_DEBUG : R5G_LOG_INFO, "working CRS: %s%s", geo_crs_name(r->crs),
            strcmp(sc->crs, "auto") == 0 ? " (auto: UTM zone of the inputs' centre)" : "");
    for (int k = 0; k < nt; k++)
        if ((rc = geo_table_project(all[k], r->crs, err)))
            return rc;
    if ((rc = load_demand(r, err)) || (rc = load_sites(r, err)))
        return rc;
    if ((rc = check_unique("demand", r->d_id, r->nd, r->t_dem, r->nd, NULL, err)) ||
        (rc = check_unique("site", r->s_id, r->ns, r->t_cand, r->n_cand, r->t_exist, err)))
        return rc;
    r->d_region = malloc((r->nd ? r->nd : 1) * sizeof *r->d_region);
    r->s_region = malloc((r->ns ? r->ns : 1) * sizeof *r->s_region);
    if (!r->d_region || !r->s_region)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory assigning regions");
    for (size_t j = 0; j < r->nd; j++)
        r->d_region[j] = -1;
    for (size_t s = 0; s < r->ns; s++)
        r->s_region[s] = -1;
    if (r->t_reg) {
        if ((rc = geo_table_locate(r->t_reg, geo_table_wx(r->t_dem), geo_table_wy(r->t_dem), r->nd,
                                   r->d_region, err)) ||
            (rc = geo_table_locate(r->t_reg, r->sx, r->sy, r->ns, r->s_region, err)))
            return rc;
    }
    pl_progress_end(&r->prog);
    pl_progress_begin(&r->prog, "coverage");
    rc = pl_coverage_compute(r, err);
    pl_progress_end(&r->prog);
    return rc;
}

/* One layer of the validation report: features, rejected rows, CRS, fields. */
static void report_layer(const char *label, const geo_table *t, const pl_layer *L,
                         const pl_field *keys, int n)
{
    geo_field_req req[PL_F_COUNT];
    field_requests(req, L, keys, n);
    const char *why = NULL;
    size_t skipped = geo_table_skipped(t, &why);
    printf("%-11s%zu features from %s (CRS %s)\n", label, geo_table_count(t), geo_table_name(t),
           geo_table_crs_name(t));
    printf("%-11sfields:", "");
    for (int k = 0; k < n; k++)
        printf(" %s=%s", req[k].key, geo_table_has_field(t, k) ? req[k].field : "(absent)");
    printf("\n%-11srejected: %zu%s%s%s\n", "", skipped, skipped ? " (" : "", skipped ? why : "",
           skipped ? ")" : "");
}

static void report_validation(const pl_run *r)
{
    const pl_scenario *sc = r->sc;
    size_t uncovered = 0;
    double w_all = 0, w_unc = 0;
    for (size_t j = 0; j < r->nd; j++) {
        w_all += r->d_eff[j];
        if (r->pairs.ptr[j] == r->pairs.ptr[j + 1]) {
            uncovered++;
            w_unc += r->d_eff[j];
        }
    }
    printf("scenario   %s (%s)\n", sc->name, sc->file);
    printf("periods    %d: %s .. %s\n", sc->n_periods, sc->period_label[0],
           sc->period_label[sc->n_periods - 1]);
    report_layer("demand", r->t_dem, &sc->demand, demand_keys, DQ_N);
    report_layer("candidates", r->t_cand, &sc->candidates, site_keys, SQ_N);
    if (r->t_exist)
        report_layer("existing", r->t_exist, &sc->existing, existing_keys, 4);
    if (r->t_reg) {
        size_t in_d = 0, in_s = 0;
        for (size_t j = 0; j < r->nd; j++)
            in_d += r->d_region[j] >= 0;
        for (size_t s = 0; s < r->ns; s++)
            in_s += r->s_region[s] >= 0;
        report_layer("regions", r->t_reg, &sc->regions, region_keys, RQ_N);
        printf("%-11sin a region: %zu of %zu demand points, %zu of %zu sites\n", "", in_d, r->nd,
               in_s, r->ns);
    }
    printf("working CRS %s\n", geo_crs_name(r->crs));
    if (sc->radio_model == PL_RADIO_TR38901) {
        double rmin = INFINITY, rmax = 0;
        for (size_t s = 0; s < r->ns; s++) {
            rmin = fmin(rmin, r->radius[s]);
            rmax = fmax(rmax, r->radius[s]);
        }
        printf("radio      tr38901, site ranges %.0f..%.0f m (outdoor, %s), shadow margin %g dB, "
               "indoor loss %g dB%s\n", r->ns ? rmin : 0.0, rmax,
               sc->dem ? "line of sight" : "NLOS", sc->shadow_margin_db, sc->indoor_loss_db,
               sc->dem ? (sc->nlos_drop ? ", DEM: NLOS pairs dropped" : ", DEM: NLOS pairs use the NLOS loss") : "");
        printf("pairs      %zu candidate-demand pairs within the path-loss budget\n",
               r->pairs.n_pairs);
    } else {
        printf("radio      fixed_radius %.0f m\n", sc->radius_m);
        printf("pairs      %zu candidate-demand pairs within %.0f m\n", r->pairs.n_pairs,
               sc->radius_m);
    }
    printf("never coverable: %zu demand points, %.2f%% of the weighted demand\n", uncovered,
           w_all > 0 ? 100.0 * w_unc / w_all : 0.0);
}

static void compute_inputs_sha(pl_run *r)
{
    const pl_layer *L[4] = {&r->sc->demand, &r->sc->candidates, &r->sc->existing, &r->sc->regions};
    for (int k = 0; k < 4; k++) {
        struct stat st;
        r->sha_input[k][0] = '\0';
        if (!L[k]->present || stat(L[k]->source, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        r5g_err e = {0};
        if (r5g_sha256_file(r->sha_input[k], L[k]->source, &e))
            r->sha_input[k][0] = '\0';
    }
    r5g_err e = {0};
    if (r5g_sha256_file(r->sha_scenario, r->sc->file, &e))
        r->sha_scenario[0] = '\0';
}

int pl_plan_run(const pl_plan_opts *opts, r5g_err *err)
{
    pl_run run = {0}, *r = &run;
    pl_json_tmp json = {NULL, -1};
    r->opts = opts;
    int rc;
    double t_start = r5g_now();
    pl_progress_init(&r->prog);
    if ((rc = pl_scenario_load(&r->sc, opts->scenario_path, err)))
        goto out;
    r5g_log(R5G_LOG_INFO, "scenario '%s': %d periods (%s..%s)", r->sc->name, r->sc->n_periods,
            r->sc->period_label[0], r->sc->period_label[r->sc->n_periods - 1]);
    if ((rc = geo_ctx_new(&r->geo, err)))
        goto out;
    if ((rc = pl_read_inputs(r, err)))
        goto out;
    if (opts->validate_only) {
        report_validation(r);
        goto out;
    }
    /* Open the output first: an existing file fails now, not after the solve. */
    const char *out_path = opts->output_path ? opts->output_path : r->sc->output_path;
    r->want_links = opts->links || r->sc->output_links;
    if ((rc = geo_out_open(&r->out, r->geo, out_path, opts->format ? opts->format : r->sc->output_format,
                           r->crs, opts->t_srs ? opts->t_srs : r->sc->output_crs, opts->overwrite, err)))
        goto out;
    if ((rc = build_model(r, err)))
        goto out;
    if (opts->export_model) {
        if ((rc = sol_export(&r->in, opts->export_model, err)))
            goto out;
        r5g_log(R5G_LOG_INFO, "model written to %s", opts->export_model);
    }
    if (opts->export_unreduced) { /* the baseline for plain glpsol (tests/bench) */
        sol_input un = r->in;
        un.no_reductions = 1;
        if ((rc = sol_export(&un, opts->export_unreduced, err)))
            goto out;
        r5g_log(R5G_LOG_INFO, "unreduced model written to %s", opts->export_unreduced);
    }
    r5g_log(R5G_LOG_INFO, "solving: %zu sites, %zu demand points, %d periods (time limit %g s, gap %g)",
            r->ns, r->nd, r->sc->n_periods, r->sc->time_limit_s, r->sc->mip_gap);
    r->in.progress = pl_progress_solve;
    r->in.progress_user = &r->prog;
    rc = sol_solve(&r->res, &r->in, err);
    pl_progress_solve_end(&r->prog);
    if (rc == R5G_EINFEASIBLE)
        rc = pl_explain(r, err);
    if (rc)
        goto out;
    r5g_log(R5G_LOG_INFO, "reductions: %d -> %d demand points (merged groups), %d -> %d sites, %lld -> %lld pairs",
            r->res.red_demand_in, r->res.red_demand_out, r->res.red_sites_in, r->res.red_sites_out,
            r->res.red_pairs_in, r->res.red_pairs_out);
    r5g_log(R5G_LOG_INFO, "solved: %s, objective %.6g, bound %.6g, gap %.3f%% in %.2f s (%d rows, %d columns)",
            sol_status_name(r->res.status), r->res.objective, r->res.bound, 100 * r->res.gap,
            r->res.seconds, r->res.n_rows, r->res.n_cols);
    if ((rc = pl_kpi_compute(r, err)))
        goto out;
    compute_inputs_sha(r);
    r->total_seconds = r5g_now() - t_start;
    if ((rc = pl_output_write(r, err)))
        goto out;
    if (opts->json_path && (rc = pl_json_prepare(&json, r, opts->json_path, err)))
        goto out;
    if ((rc = geo_out_commit(r->out, err)))
        goto out;
    if (opts->json_path && (rc = pl_json_commit(&json, opts->json_path, err)))
        goto out;
    pl_kpi_print(r, stdout, out_path);
    if (r->res.status == SOL_TIME_LIMIT)
        rc = r5g_err_set(err, R5G_ETIMELIMIT,
                         "time limit of %g s reached: the best plan found is written, %.2f%% from the proven bound",
                         r->sc->time_limit_s, 100 * r->kpi_gap);
out:
    pl_json_discard(&json);
    pl_run_free(r);
    return rc;
}

void pl_run_free(pl_run *r)
{
    geo_out_free(r->out);
    sol_result_free(&r->res);
    geo_pairs_free(&r->pairs);
    free(r->m_cov_ptr);
    free(r->m_cov_site);
    free(r->m_credit);
    free(r->m_existing);
    free(r->m_earliest);
    free(r->m_factor);
    free(r->d_id);
    free(r->d_sector);
    free(r->d_weight);
    free(r->d_eff);
    free(r->d_period);
    free(r->d_white);
    free(r->d_region);
    free(r->s_id);
    free(r->sx);
    free(r->sy);
    free(r->capex);
    free(r->radius);
    free(r->kind);
    free(r->band);
    free(r->s_region);
    pl_kpi_free(r);
    pl_meta_free(r);
    pl_coverage_free(r);
    pl_rules_free(r);
    geo_table_free(r->t_dem);
    geo_table_free(r->t_cand);
    geo_table_free(r->t_exist);
    geo_table_free(r->t_reg);
    geo_crs_free(r->crs);
    geo_ctx_free(r->geo);
    pl_scenario_free(r->sc);
}
