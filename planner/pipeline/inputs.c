/* Reading the inputs: every layer of the scenario through geo/, the working
 * CRS, the plain arrays of sites and demand (ids, weights, periods, kinds,
 * bands, regions), then the coverage pairs; and the `validate` report. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strbuf.h"
#include "geo/geo.h"
#include "geo/radio.h"
#include "planner/pipeline/coverage.h"
#include "planner/pipeline/run.h"
#include "planner/plan_result.h"
#include "planner/scenario/scenario.h"
#include "planner/scenario/schema.h"

/* ---- small parsers with messages naming feature, key and value ---------- */

/* "demand.geojson feature 3 (id D4)" */
#define FEAT(t, i) geo_table_feature((t), (i), (char[320]){0}, 320)

static int parse_number(double *out, const geo_table *t, size_t i, const char *key, const char *v,
                        r5g_err *err)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == v || *end || errno == ERANGE)
        return r5g_err_set(err, R5G_EINPUT, "%s: %s '%s' is not a number", FEAT(t, i), key, v);
    if (!isfinite(d))
        return r5g_err_set(err, R5G_EINPUT, "%s: %s %s is not a finite number", FEAT(t, i), key, v);
    if (d < 0)
        return r5g_err_set(err, R5G_EINPUT, "%s: %s %s is negative", FEAT(t, i), key, v);
    *out = d;
    return 0;
}

static int parse_flag(int *out, const geo_table *t, size_t i, const char *key, const char *v,
                      r5g_err *err)
{
    static const char *const yes[] = {"1", "true", "t", "yes", "y"};
    static const char *const no[] = {"0", "false", "f", "no", "n"};
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
        if (strcasecmp(v, yes[k]) == 0)
            return *out = 1, 0;
    for (size_t k = 0; k < sizeof no / sizeof *no; k++)
        if (strcasecmp(v, no[k]) == 0)
            return *out = 0, 0;
    return r5g_err_set(err, R5G_EINPUT, "%s: %s '%s' is not a flag (use 1/0 or true/false)",
                       FEAT(t, i), key, v);
}

/* ---- values, checked by the type their field table gives (schema.c) ------ */

/* One attribute of a row: its text (NULL when absent or empty) and, for
 * numbers, flags, periods, kinds, bands and environments, its value
 * (a number, 0/1, 1..T, a pl_kind, a band index, a geo_env), else the
 * column's default. */
typedef struct cell {
    const char *text;
    double num;
} cell;

static int get_cell(cell *out, const pl_scenario *sc, const geo_table *t, pl_section sec, int col,
                    size_t i, r5g_err *err)
{
    int ncol;
    const pl_field_spec *f = &pl_schema_layout(sec, &ncol)[col];
    const char *key = pl_field_key(f->key);
    const char *v = pl_schema_reads(sec, col) ? geo_table_value(t, col, i) : NULL;
    out->text = v && v[0] ? v : NULL;
    out->num = f->num_default;
    if (!out->text) {
        if (f->value_required && geo_table_has_field(t, col))
            return r5g_err_set(err, R5G_EINPUT, "%s: %s is empty%s", FEAT(t, i), key,
                               f->key != PL_F_CAPEX ? ""
                                                    : " (every site needs one: 0 for a free site)");
        return 0;
    }
    int b = 0, rc;
    switch (f->type) {
    case PL_FT_ID:
    case PL_FT_TEXT:
        return 0;
    case PL_FT_NUMBER:
        return parse_number(&out->num, t, i, key, v, err);
    case PL_FT_FLAG:
        if ((rc = parse_flag(&b, t, i, key, v, err)))
            return rc;
        out->num = b;
        return 0;
    case PL_FT_PERIOD:
        if ((b = pl_scenario_period_index(sc, v)) <= 0)
            return r5g_err_set(err, R5G_EINPUT,
                               "%s: period '%s' is not one of the scenario's periods (%s..%s)",
                               FEAT(t, i), v, sc->period_label[0], sc->period_label[sc->n_periods - 1]);
        out->num = b;
        return 0;
    case PL_FT_BUILD: {
        char end[11];
        pl_scenario_period_end(sc, sc->n_periods, end);
        if ((b = pl_scenario_commit_period(sc, v)) <= 0)
            return r5g_err_set(err, R5G_EINPUT,
                               "%s: %s '%s' is not a period of the scenario (a label %s..%s, an index "
                               "1..%d%s, or a date from %s, before %s)",
                               FEAT(t, i), key, v, sc->period_label[0], sc->period_label[sc->n_periods - 1],
                               sc->n_periods, sc->period_start > 0 ? ", a year" : "", sc->period_date[0], end);
        out->num = b;
        return 0;
    }
    case PL_FT_KIND:
        if (strcasecmp(v, "upgrade") != 0 && strcasecmp(v, "new") != 0)
            return r5g_err_set(err, R5G_EINPUT, "%s: kind '%s' is not new or upgrade", FEAT(t, i), v);
        out->num = strcasecmp(v, "upgrade") == 0 ? PL_KIND_UPGRADE : PL_KIND_NEW;
        return 0;
    case PL_FT_BAND:
        if ((b = pl_scenario_band(sc, v)) < 0) {
            char names[256] = "";
            for (int k = 0; k < sc->n_bands; k++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         k ? ", " : "", sc->bands[k].name);
            return r5g_err_set(err, R5G_EINPUT, "%s: band '%s' is not in radio.bands (%s)",
                               FEAT(t, i), v, names);
        }
        out->num = b;
        return 0;
    case PL_FT_ENV: {
        geo_env e;
        if (geo_env_parse(v, &e))
            return r5g_err_set(err, R5G_EINPUT, "%s: environment '%s' is not uma, umi or rma",
                               FEAT(t, i), v);
        out->num = (int)e;
        return 0;
    }
    }
    return r5g_err_set(err, R5G_EINTERNAL, "field type %d of %s", (int)f->type, key);
}

/* Every column of row i, checked (cells has room for the layout). */
static int get_row(cell *cells, const pl_scenario *sc, const geo_table *t, pl_section sec,
                   size_t i, r5g_err *err)
{
    int ncol, rc;
    pl_schema_layout(sec, &ncol);
    for (int col = 0; col < ncol; col++)
        if ((rc = get_cell(&cells[col], sc, t, sec, col, i, err)))
            return rc;
    return 0;
}

/* Requests for a layer, one per column of its section's layout: a mapped
 * field must exist; an unmapped key reads the field of the same name when
 * the layer has one (required keys must be there). Returns the count. */
static int field_requests(geo_field_req *req, const pl_layer *L, pl_section sec)
{
    int ncol;
    const pl_field_spec *lay = pl_schema_layout(sec, &ncol);
    for (int k = 0; k < ncol; k++) {
        pl_field f = lay[k].key;
        int reads = pl_schema_reads(sec, k);
        req[k].key = pl_field_key(f);
        req[k].field = !reads ? NULL : L->field[f] ? L->field[f] : pl_field_key(f);
        req[k].required = reads && (L->field[f] != NULL || lay[k].required);
    }
    return ncol;
}

/* The source of a layer as geo/ reads it. */
static geo_source layer_source(const pl_layer *L, const char *label)
{
    return (geo_source){.path = L->source,
                        .layer = L->layer,
                        .where = L->where,
                        .crs = L->crs,
                        .open_options = (const char *const *)L->open_options,
                        .label = label,
                        .skip_invalid = L->skip_invalid};
}

/* Reads a layer: the columns of its section's layout, then (keep, NULL
 * for none) nkeep more: keep[k] is the layer's field for kept column k,
 * NULL where the layer gives none (read as NULL). */
static int read_layer(geo_table **out, pl_run *r, const pl_layer *L, pl_section sec,
                      const char *label, const char *const *keep, int nkeep, r5g_err *err)
{
    geo_field_req *req = calloc((size_t)PL_F_COUNT + (size_t)nkeep, sizeof *req);
    if (!req)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    int n = field_requests(req, L, sec);
    for (int k = 0; keep && k < nkeep; k++)
        req[n++] = (geo_field_req){.field = keep[k], .required = keep[k] != NULL};
    geo_source src = layer_source(L, label);
    double t0 = r5g_now();
    /* every layout starts with the id (schema.h), which names features in messages */
    int rc = geo_table_read(out, r->geo, &src, req, n,
                            GEO_READ_ID_FIRST | (sec == PL_SEC_REGIONS ? GEO_READ_KEEP_GEOMETRY : 0) |
                                (sec == PL_SEC_COMMITTED ? GEO_READ_NO_GEOMETRY : 0),
                            err);
    free(req);
    if (rc == 0)
        r5g_log(pl_run_stage_log(r),
                "read %s: %zu features from %s (CRS %s) in %.2f s", label,
                geo_table_count(*out), geo_table_name(*out), geo_table_crs_name(*out),
                r5g_now() - t0);
    return rc;
}

/* ---- kept input fields (keep_fields) -------------------------------------- */

const char *pl_kept_value(const pl_kept *kf, int k, size_t i)
{
    if (k < 0 || k >= kf->n)
        return NULL;
    int second = i >= kf->n_first;
    const geo_table *t = kf->tab[second];
    return t ? geo_table_value(t, kf->col0 + k, second ? i - kf->n_first : i) : NULL;
}

void pl_kept_dispose(pl_kept *kf)
{
    for (int k = 0; k < kf->n; k++)
        free(kf->name[k]);
    free(kf->name);
    free(kf->type);
    *kf = (pl_kept){0};
}

/* The type of a column two layers give with types a and b: the same, or the
 * narrowest that holds both (integers in integer64, numbers in real, dates
 * in date-time), else text. */
static geo_ftype widen(geo_ftype a, geo_ftype b)
{
    int ia = a == GEO_FT_INT32 || a == GEO_FT_INT, ib = b == GEO_FT_INT32 || b == GEO_FT_INT;
    int da = a == GEO_FT_DATE || a == GEO_FT_DATETIME, db = b == GEO_FT_DATE || b == GEO_FT_DATETIME;
    if (a == b)
        return a;
    if (ia && ib)
        return GEO_FT_INT;
    if ((ia || a == GEO_FT_REAL) && (ib || b == GEO_FT_REAL))
        return GEO_FT_REAL;
    if (da && db)
        return GEO_FT_DATETIME;
    return GEO_FT_STR;
}

static int name_in(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcasecmp(name, *list) == 0)
            return 1;
    return 0;
}

/* The input field a layer reads for a key whose value the plan's own
 * columns carry (id, weight, sector, period, whitelist, name, capex, kind,
 * band, environment): `all` leaves it out. */
static int carried_field(const pl_layer *L, pl_section sec, const char *name)
{
    static const pl_field carried[] = {PL_F_ID,    PL_F_WEIGHT, PL_F_SECTOR, PL_F_PERIOD,
                                       PL_F_WHITELIST, PL_F_NAME, PL_F_CAPEX, PL_F_KIND,
                                       PL_F_BAND,  PL_F_ENVIRONMENT};
    for (size_t k = 0; k < sizeof carried / sizeof *carried; k++) {
        pl_field f = carried[k];
        if (pl_schema_col(sec, f) < 0)
            continue;
        const char *read = L->field[f] ? L->field[f] : pl_field_key(f);
        if (strcasecmp(read, name) == 0)
            return 1;
    }
    return 0;
}

/* "plants.geojson" or "sites.gpkg:towers", for messages. */
static void source_name(char *buf, size_t size, const pl_layer *L)
{
    const char *b = strrchr(L->source, '/');
    b = b ? b + 1 : L->source;
    if (L->layer)
        snprintf(buf, size, "%s:%s", b, L->layer);
    else
        snprintf(buf, size, "%s", b);
}

/* Adds field `name` of type ty, from layer li, to the union kf (matched in
 * any case); want[li * max + column] gets the layer's own spelling. */
static int kept_add(pl_kept *kf, const char **want, int max, int li, const char *name, geo_ftype ty)
{
    int c = 0;
    while (c < kf->n && strcasecmp(kf->name[c], name) != 0)
        c++;
    if (c == kf->n) {
        if (c >= max || !(kf->name[c] = r5g_strdup(name)))
            return -1;
        kf->type[c] = ty;
        kf->n++;
    } else
        kf->type[c] = widen(kf->type[c], ty);
    want[li * max + c] = name;
    return 0;
}

typedef struct kept_lists {
    int nl;
    char ***names;      /* [nl] the fields of each layer, NULL when it keeps none */
    geo_ftype **types;  /* [nl] */
    int *n;             /* [nl] */
} kept_lists;

static int kept_lists_init(kept_lists *kl, int nl)
{
    kl->nl = nl;
    kl->names = calloc((size_t)nl, sizeof *kl->names);
    kl->types = calloc((size_t)nl, sizeof *kl->types);
    kl->n = calloc((size_t)nl, sizeof *kl->n);
    return kl->names && kl->types && kl->n ? 0 : -1;
}

static void kept_lists_free(kept_lists *kl)
{
    for (int k = 0; kl->names && k < kl->nl; k++)
        geo_source_fields_free(kl->names[k], kl->types[k], kl->n[k]);
    free(kl->names);
    free(kl->types);
    free(kl->n);
    *kl = (kept_lists){0};
}

/* The kept fields of layers L[0..nl) that write into one plan layer (the
 * demand layers; candidates and existing): each layer's fields listed into
 * kl (kept_lists_init'ed for nl) and checked, their union in kf (layer
 * order, then field order), and in *want (nl rows of *max entries, freed by
 * the caller) the field each layer gives per kept column, pointing into kl. */
static int kept_plan(pl_kept *kf, const char ***want, int *max, kept_lists *kl, pl_run *r,
                     const pl_layer *const *L, int nl, pl_section sec, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    const char *const *plan_cols = pl_schema_plan_columns(sec);
    int rc = 0, total = 0;
    *want = NULL;
    *max = 0;
    for (int k = 0; k < nl; k++) {
        if (!L[k] || !L[k]->present || (!L[k]->keep_all && !L[k]->n_keep))
            continue;
        geo_source src = layer_source(L[k], L[k]->label);
        if ((rc = geo_source_fields(&kl->names[k], &kl->types[k], &kl->n[k], r->geo, &src, err)))
            return rc;
        total += kl->n[k];
    }
    if (!total)
        return 0;
    kf->name = calloc((size_t)total, sizeof *kf->name);
    kf->type = calloc((size_t)total, sizeof *kf->type);
    *want = calloc((size_t)nl * (size_t)total, sizeof **want);
    if (!kf->name || !kf->type || !*want)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    *max = total;
    for (int k = 0; k < nl; k++) {
        const pl_layer *Lk = L[k];
        char src[256], path[300];
        if (!Lk || !kl->names[k])
            continue;
        source_name(src, sizeof src, Lk);
        snprintf(path, sizeof path, "%s.keep_fields", Lk->label);
        r5g_str skipped = R5G_STR_INIT;
        for (int i = 0; Lk->keep_all && i < kl->n[k]; i++) {
            const char *nm = kl->names[k][i];
            int clash = name_in(nm, plan_cols);
            if (clash || carried_field(Lk, sec, nm)) {
                r5g_str_appendf(&skipped, "%s'%s' (%s)", skipped.n ? ", " : "", nm,
                                clash ? "a column of the plan" : "read through fields:");
                continue;
            }
            if (kept_add(kf, *want, total, k, nm, kl->types[k][i])) {
                r5g_str_dispose(&skipped);
                goto nomem;
            }
        }
        if (skipped.n)
            r5g_log(pl_run_stage_log(r), "%s: all: left out %s", path,
                    r5g_str_text(&skipped) ? r5g_str_text(&skipped) : "?");
        r5g_str_dispose(&skipped);
        for (int j = 0; j < Lk->n_keep; j++) {
            const char *want_nm = Lk->keep[j];
            char at[320];
            snprintf(at, sizeof at, "%s[%d]", path, j);
            if (name_in(want_nm, plan_cols))
                return pl_scenario_error(sc, Lk->keep_at[j], at, err,
                                         "'%s' is a column of the plan's %s layer; rename the field "
                                         "in %s or leave it out", want_nm,
                                         sec == PL_SEC_DEMAND ? "demand" : "sites", src);
            int i = 0;
            while (i < kl->n[k] && strcasecmp(kl->names[k][i], want_nm) != 0)
                i++;
            if (i == kl->n[k]) {
                r5g_str list = R5G_STR_INIT;
                for (int q = 0; q < kl->n[k]; q++)
                    r5g_str_appendf(&list, "%s%s", q ? ", " : "", kl->names[k][q]);
                rc = pl_scenario_error(sc, Lk->keep_at[j], at, err, "no field '%s' in %s (fields: %s)",
                                       want_nm, src, kl->n[k] && r5g_str_text(&list) ? r5g_str_text(&list) : "none");
                r5g_str_dispose(&list);
                return rc;
            }
            if (kept_add(kf, *want, total, k, kl->names[k][i], kl->types[k][i]))
                goto nomem;
        }
    }
    return 0;
nomem:
    return r5g_err_set(err, R5G_ENOMEM, "out of memory");
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
    r->d_name = calloc(n ? n : 1, sizeof *r->d_name);
    r->d_weight = calloc(n, sizeof *r->d_weight);
    r->d_eff = calloc(n, sizeof *r->d_eff);
    r->d_period = calloc(n, sizeof *r->d_period);
    r->d_white = calloc(n, sizeof *r->d_white);
    r->d_indoor = calloc(n ? n : 1, sizeof *r->d_indoor);
    if (!r->d_indoor || !r->d_name ||
        (n && (!r->d_id || !r->d_sector || !r->d_weight || !r->d_eff || !r->d_period || !r->d_white)))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory reading %zu demand points", n);
    for (size_t i = 0; i < n; i++) {
        cell c[PL_DEMAND_NCOL];
        int rc = get_row(c, sc, t, PL_SEC_DEMAND, i, err);
        if (rc)
            return rc;
        r->d_id[i] = c[PL_DEMAND_ID].text;
        r->d_name[i] = c[PL_DEMAND_NAME].text;
        r->d_weight[i] = c[PL_DEMAND_WEIGHT].num;
        r->d_sector[i] = c[PL_DEMAND_SECTOR].text
                             ? c[PL_DEMAND_SECTOR].text
                             : pl_scenario_demand_layer(sc, geo_table_part(t, i))->sector;
        r->d_white[i] = c[PL_DEMAND_WHITELIST].num != 0;
        r->d_indoor[i] = c[PL_DEMAND_INDOOR].num != 0;
        r->d_period[i] = (int)c[PL_DEMAND_PERIOD].num;
        r->d_eff[i] = r->d_weight[i] * pl_scenario_sector_priority(sc, r->d_sector[i]) *
                      (r->d_white[i] ? sc->whitelist_multiplier : 1.0);
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
    r->s_name = calloc(n ? n : 1, sizeof *r->s_name);
    r->sx = calloc(n, sizeof *r->sx);
    r->sy = calloc(n, sizeof *r->sy);
    r->capex = calloc(n, sizeof *r->capex);
    r->radius = calloc(n, sizeof *r->radius);
    r->kind = calloc(n, sizeof *r->kind);
    r->band = calloc(n, sizeof *r->band);
    r->s_height = calloc(n ? n : 1, sizeof *r->s_height);
    r->s_env = calloc(n ? n : 1, sizeof *r->s_env);
    r->s_commit = calloc(n ? n : 1, sizeof *r->s_commit);
    if (!r->s_id || !r->s_name || !r->sx || !r->sy || !r->capex || !r->radius || !r->kind || !r->band ||
        !r->s_height || !r->s_env || !r->s_commit)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory reading %zu sites", n);
    if (nc && !geo_table_has_field(r->t_cand, PL_SITE_CAPEX))
        r5g_log(R5G_LOG_WARN, "%s has no capex field (candidates.fields.capex): every candidate costs 0",
                geo_table_name(r->t_cand));
    for (size_t s = 0; s < n; s++) {
        int is_cand = s < nc;
        pl_section sec = is_cand ? PL_SEC_CANDIDATES : PL_SEC_EXISTING;
        geo_table *t = is_cand ? r->t_cand : r->t_exist;
        size_t i = is_cand ? s : s - nc;
        cell c[PL_SITE_NCOL];
        int rc = get_row(c, sc, t, sec, i, err);
        if (rc)
            return rc;
        r->s_id[s] = c[PL_SITE_ID].text;
        r->s_name[s] = c[PL_SITE_NAME].text;
        r->sx[s] = geo_table_wx(t)[i];
        r->sy[s] = geo_table_wy(t)[i];
        r->kind[s] = !is_cand ? PL_KIND_EXISTING
                     : c[PL_SITE_KIND].text ? (pl_kind)c[PL_SITE_KIND].num : PL_KIND_NEW;
        r->capex[s] = c[PL_SITE_CAPEX].num;
        r->band[s] = c[PL_SITE_BAND].text ? (int)c[PL_SITE_BAND].num : 0;
        r->radius[s] = sc->radius_m;
        /* antenna height and environment: the band default and radio.environment
         * (or the clutter class) apply when absent (NAN, -1); see coverage.c */
        r->s_height[s] = c[PL_SITE_HEIGHT].num;
        r->s_env[s] = c[PL_SITE_ENV].text ? (int)c[PL_SITE_ENV].num : -1;
        r->s_commit[s] = is_cand ? (int)c[PL_SITE_COMMITTED].num : 0;
        r->n_commit += r->s_commit[s] > 0;
    }
    return 0;
}

/* `committed:` (re-planning): every row names a candidate and the period it
 * is committed to; the same site twice must agree, also with its
 * candidates.fields.committed value. Geometry is not read. After
 * load_sites and the site id check. */
static int load_commitments(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    geo_table *t = NULL;
    pl_id_index ix = {0};
    int *row = NULL, rc;
    if (!sc->committed.present)
        return 0;
    if ((rc = read_layer(&t, r, &sc->committed, PL_SEC_COMMITTED, "committed", NULL, 0, err)))
        goto out;
    row = malloc((r->ns ? r->ns : 1) * sizeof *row); /* the committed row that set each site, -1 */
    if (!row || (rc = pl_id_index_init(&ix, r->s_id, r->ns))) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory reading the committed sites");
        goto out;
    }
    for (size_t s = 0; s < r->ns; s++)
        row[s] = -1;
    const char *field = sc->candidates.field[PL_F_COMMITTED] ? sc->candidates.field[PL_F_COMMITTED]
                                                                : pl_field_key(PL_F_COMMITTED);
    for (size_t i = 0; i < geo_table_count(t); i++) {
        cell c[PL_COMMIT_NCOL];
        if ((rc = get_row(c, sc, t, PL_SEC_COMMITTED, i, err)))
            goto out;
        const char *id = c[PL_COMMIT_ID].text;
        int s = pl_id_index_find(&ix, id), p = (int)c[PL_COMMIT_PERIOD].num;
        if (s < 0) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: committed id '%s' is not a candidate (%s)", FEAT(t, i), id,
                             geo_table_name(r->t_cand));
            goto out;
        }
        if (r->kind[s] == PL_KIND_EXISTING) {
            rc = r5g_err_set(err, R5G_EINPUT,
                             "%s: committed id '%s' is an existing site (on air from the first period "
                             "already; commit candidates only)", FEAT(t, i), id);
            goto out;
        }
        if (r->s_commit[s] && r->s_commit[s] != p) {
            if (row[s] >= 0)
                rc = r5g_err_set(err, R5G_EINPUT, "%s: committed id '%s' in period %s, but %s commits it to %s",
                                 FEAT(t, i), id, sc->period_label[p - 1], FEAT(t, (size_t)row[s]),
                                 sc->period_label[r->s_commit[s] - 1]);
            else
                rc = r5g_err_set(err, R5G_EINPUT,
                                 "%s: committed id '%s' in period %s, but its candidates field '%s' "
                                 "commits it to %s", FEAT(t, i), id, sc->period_label[p - 1], field,
                                 sc->period_label[r->s_commit[s] - 1]);
            goto out;
        }
        if (!r->s_commit[s])
            r->n_commit++;
        r->s_commit[s] = p;
        row[s] = (int)i;
    }
out:
    pl_id_index_dispose(&ix);
    free(row);
    geo_table_free(t);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sector the scenario names (sectors:, targets.sector_share) must occur in
 * the demand: a typo would otherwise weigh nothing or target nothing. */
static int unknown_sector(const pl_scenario *sc, int at, const char *key, const char *name,
                          const char *const *have, size_t n, r5g_err *err)
{
    char path[256];
    snprintf(path, sizeof path, "%s.%s", key, name);
    if (n == 0)
        return pl_scenario_error(sc, at, path, err, "no demand point has sector '%s' (the demand "
                                 "has no sectors: map one with demand.fields.sector, or give "
                                 "demand.sector)", name);
    const char *best = NULL;
    int best_d = 3;
    for (size_t k = 0; k < n; k++) {
        int d = r5g_edit_distance(name, have[k]);
        if (d < best_d && d < (int)strlen(have[k]) - 1) {
            best_d = d;
            best = have[k];
        }
    }
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t k = 0; k < n && used + 1 < sizeof list; k++) {
        int w = k < 20 ? snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", have[k])
                       : snprintf(list + used, sizeof list - used, " and %zu more", n - 20);
        used += w > 0 ? (size_t)w : 0;
        if (k >= 20)
            break;
    }
    char mean[160] = "";
    if (best)
        snprintf(mean, sizeof mean, "did you mean '%s'? ", best);
    return pl_scenario_error(sc, at, path, err, "no demand point has sector '%s' (%ssectors in the "
                             "data: %s)", name, mean, list);
}

static int check_sectors(const pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    if (sc->n_sectors == 0 && sc->n_sector_targets == 0)
        return 0;
    const char **have = malloc((r->nd ? r->nd : 1) * sizeof *have);
    if (!have)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory checking sectors");
    size_t n = 0;
    for (size_t j = 0; j < r->nd; j++)
        if (r->d_sector[j] && r->d_sector[j][0])
            have[n++] = r->d_sector[j];
    qsort(have, n, sizeof *have, cmp_str);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (u == 0 || strcmp(have[u - 1], have[k]) != 0)
            have[u++] = have[k];
    int rc = 0;
    for (int k = 0; k < sc->n_sectors && !rc; k++) {
        const char *name = sc->sectors[k].name;
        if (!bsearch(&name, have, u, sizeof *have, cmp_str))
            rc = unknown_sector(sc, sc->sectors[k].at, "sectors", name, have, u, err);
    }
    for (int k = 0; k < sc->n_sector_targets && !rc; k++) {
        const char *name = sc->sector_targets[k].sector;
        if (!bsearch(&name, have, u, sizeof *have, cmp_str))
            rc = unknown_sector(sc, sc->sector_targets[k].sector_at, "targets.sector_share",
                                name, have, u, err);
    }
    free(have);
    return rc;
}

/* The message of a failed check (in err) as an error at a scenario key. */
static int at_key(const pl_scenario *sc, int at, const char *key, r5g_err *err)
{
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return pl_scenario_error(sc, at, key, err, "%s", msg);
}

/* The settings that name a CRS or a GDAL driver, checked before any layer is
 * read so that the message carries the scenario line (or the command-line
 * option) instead of surfacing after the solve. */
static int check_settings(const pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    const pl_plan_opts *o = r->opts;
    if (strcmp(sc->crs, "auto") != 0 && strcmp(sc->crs, "planar") != 0 &&
        geo_crs_check(sc->crs, 1, err))
        return at_key(sc, sc->crs_at, "crs", err);
    int nd = pl_scenario_demand_count(sc);
    for (int k = 0; k < nd + 3; k++) {
        const pl_layer *L = k < nd ? pl_scenario_demand_layer(sc, k)
                            : k == nd ? &sc->candidates : k == nd + 1 ? &sc->existing : &sc->regions;
        char key[64];
        snprintf(key, sizeof key, "%s.crs", L->label ? L->label : "");
        if (L->present && L->crs && geo_crs_check(L->crs, 0, err))
            return at_key(sc, L->crs_at, key, err);
    }
    if (sc->output_crs && geo_crs_check(sc->output_crs, 0, err))
        return at_key(sc, sc->output_crs_at, "output.crs", err);
    if (sc->output_format_at && geo_format_check(r->geo, sc->output_format, err))
        return at_key(sc, sc->output_format_at, "output.format", err);
    if (sc->dem && geo_raster_check(r->geo, sc->dem, err))
        return at_key(sc, sc->dem_at, "radio.dem", err);
    if (sc->clutter && geo_raster_check(r->geo, sc->clutter, err))
        return at_key(sc, sc->clutter_at, "radio.clutter.source", err);
    int rc;
    if (o && o->format && (rc = geo_format_check(r->geo, o->format, err))) {
        r5g_err_prefix(err, "--format");
        return rc;
    }
    if (o && o->t_srs && (rc = geo_crs_check(o->t_srs, 0, err))) {
        r5g_err_prefix(err, "--t_srs");
        return rc;
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

/* Ids must be unique: demand across all demand layers, sites across
 * candidates and existing, regions among regions. A clash names both
 * features (each with its layer). */
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
            const id_ref *a = &v[k - 1], *b = &v[k];
            int layers = a->t == b->t && geo_table_part(a->t, a->i) != geo_table_part(b->t, b->i);
            rc = r5g_err_set(err, R5G_EINPUT, "%s: duplicate %s id '%s' (also %s)%s", FEAT(b->t, b->i),
                             what, b->id, FEAT(a->t, a->i),
                             layers ? ": ids must be unique across the demand layers; give the "
                                      "layers an id_prefix each" : "");
            break;
        }
    }
    free(v);
    return rc;
}

/* Regions: every value checked (population, when given, a number >= 0:
 * targets.sites_per_10k_people and the region KPIs read it), ids unique. */
static int check_regions(const pl_run *r, r5g_err *err)
{
    size_t n = r->t_reg ? geo_table_count(r->t_reg) : 0;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory checking %zu regions", n);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        cell c[PL_REGION_NCOL];
        rc = get_row(c, r->sc, r->t_reg, PL_SEC_REGIONS, i, err);
        ids[i] = c[PL_REGION_ID].text;
    }
    if (!rc)
        rc = check_unique("region", ids, n, r->t_reg, n, NULL, err);
    free(ids);
    return rc;
}

/* The demand layers read (each with its own source, CRS and fields), in
 * parts[k]; joined into r->t_dem by join_demand once projected. */
static int read_demand(geo_table **parts, pl_run *r, const char *const *keep, int nkeep,
                       r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int nd = pl_scenario_demand_count(sc), rc;
    for (int k = 0; k < nd; k++) {
        const pl_layer *L = pl_scenario_demand_layer(sc, k);
        if ((rc = read_layer(&parts[k], r, L, PL_SEC_DEMAND, L->label,
                             keep ? keep + (size_t)k * (size_t)nkeep : NULL, r->d_kept.n, err)) ||
            (rc = pl_run_progress(r, PL_PROGRESS_UPDATE, "reading", 0.4 * (k + 1) / nd, err)))
            return rc;
    }
    return 0;
}

/* One demand table for the rest of the pipeline: the layer itself, or the
 * layers' rows in order, each id behind its layer's id_prefix. */
static int join_demand(pl_run *r, geo_table **parts, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int nd = pl_scenario_demand_count(sc), prefixed = 0;
    for (int k = 0; k < nd; k++)
        prefixed |= pl_scenario_demand_layer(sc, k)->id_prefix != NULL;
    if (nd == 1 && !prefixed) {
        r->t_dem = parts[0];
        parts[0] = NULL;
        return 0;
    }
    const char **prefix = calloc(nd > 0 ? (size_t)nd : 1, sizeof *prefix);
    if (!prefix)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory joining the demand layers");
    for (int k = 0; k < nd; k++)
        prefix[k] = pl_scenario_demand_layer(sc, k)->id_prefix;
    int rc = geo_table_concat(&r->t_dem, parts, nd, prefixed ? prefix : NULL, PL_DEMAND_ID, err);
    free(prefix);
    return rc;
}

int pl_read_inputs(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int nd = pl_scenario_demand_count(sc), rc, dmax = 0, smax = 0;
    geo_table **parts = calloc((size_t)nd, sizeof *parts);
    geo_table **all = calloc((size_t)nd + 3, sizeof *all);
    const pl_layer **dl = calloc((size_t)nd, sizeof *dl);
    const pl_layer *sl[2] = {&sc->candidates, &sc->existing};
    const char **dkeep = NULL, **skeep = NULL;
    kept_lists dk = {0}, sk = {0};
    if (!parts || !all || !dl || kept_lists_init(&dk, nd) || kept_lists_init(&sk, 2)) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < nd; k++)
        dl[k] = pl_scenario_demand_layer(sc, k);
    pl_phase_mark(&r->clock);
    if ((rc = check_settings(r, err)) ||
        (rc = kept_plan(&r->d_kept, &dkeep, &dmax, &dk, r, dl, nd, PL_SEC_DEMAND, err)) ||
        (rc = kept_plan(&r->s_kept, &skeep, &smax, &sk, r, sl, 2, PL_SEC_CANDIDATES, err)) ||
        (rc = pl_run_progress(r, PL_PROGRESS_BEGIN, "reading", 0, err)) ||
        (rc = read_demand(parts, r, dkeep, dmax, err)) ||
        (rc = read_layer(&r->t_cand, r, &sc->candidates, PL_SEC_CANDIDATES, "candidates", skeep,
                         r->s_kept.n, err)) ||
        (rc = pl_run_progress(r, PL_PROGRESS_UPDATE, "reading", 0.6, err)))
        goto out;
    if (sc->existing.present &&
        (rc = read_layer(&r->t_exist, r, &sc->existing, PL_SEC_EXISTING, "existing",
                         skeep ? skeep + smax : NULL, r->s_kept.n, err)))
        goto out;
    if (sc->regions.present &&
        (rc = read_layer(&r->t_reg, r, &sc->regions, PL_SEC_REGIONS, "regions", NULL, 0, err)))
        goto out;
    int nt = 0;
    for (int k = 0; k < nd; k++)
        all[nt++] = parts[k];
    all[nt++] = r->t_cand;
    if (r->t_exist)
        all[nt++] = r->t_exist;
    if (r->t_reg)
        all[nt++] = r->t_reg;
    if ((rc = pl_run_progress(r, PL_PROGRESS_UPDATE, "reading", 0.8, err)) ||
        (rc = geo_crs_choose(&r->crs, r->geo, sc->crs, all, nt, err)))
        goto out;
    r5g_log(pl_run_stage_log(r), "working CRS: %s%s", geo_crs_name(r->crs),
            strcmp(sc->crs, "auto") == 0 ? " (auto: UTM zone of the inputs' centre)" : "");
    for (int k = 0; k < nt; k++)
        if ((rc = geo_table_project(all[k], r->crs, err)))
            goto out;
    if ((rc = join_demand(r, parts, err)))
        goto out;
    r->d_kept.col0 = PL_DEMAND_NCOL;
    r->d_kept.tab[0] = r->t_dem;
    r->d_kept.n_first = geo_table_count(r->t_dem);
    r->s_kept.col0 = PL_SITE_NCOL;
    r->s_kept.tab[0] = r->t_cand;
    r->s_kept.tab[1] = r->t_exist;
    r->s_kept.n_first = geo_table_count(r->t_cand);
    if ((rc = load_demand(r, err)) ||
        (rc = load_sites(r, err)) || (rc = check_regions(r, err)) || (rc = check_sectors(r, err)) ||
        (rc = check_unique("demand", r->d_id, r->nd, r->t_dem, r->nd, NULL, err)) ||
        (rc = check_unique("site", r->s_id, r->ns, r->t_cand, r->n_cand, r->t_exist, err)) ||
        (rc = load_commitments(r, err)))
        goto out;
    r->d_region = malloc((r->nd ? r->nd : 1) * sizeof *r->d_region);
    r->s_region = malloc((r->ns ? r->ns : 1) * sizeof *r->s_region);
    if (!r->d_region || !r->s_region) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory assigning regions");
        goto out;
    }
    for (size_t j = 0; j < r->nd; j++)
        r->d_region[j] = -1;
    for (size_t s = 0; s < r->ns; s++)
        r->s_region[s] = -1;
    if (r->t_reg &&
        ((rc = geo_table_locate(r->t_reg, geo_table_wx(r->t_dem), geo_table_wy(r->t_dem), r->nd,
                                r->d_region, err)) ||
         (rc = geo_table_locate(r->t_reg, r->sx, r->sy, r->ns, r->s_region, err))))
        goto out;
    pl_phase_charge(&r->phases[PL_PHASE_READ], &r->clock, 1);
    pl_phase_log(r->phases, PL_PHASE_READ);
    if ((rc = pl_run_progress(r, PL_PROGRESS_END, "reading", 1, err)) ||
        (rc = pl_run_progress(r, PL_PROGRESS_BEGIN, "coverage", 0, err)) ||
        (rc = pl_coverage_compute(r, err)))
        goto out;
    pl_phase_charge(&r->phases[PL_PHASE_PAIRS], &r->clock, 1);
    pl_phase_log(r->phases, PL_PHASE_PAIRS);
    rc = pl_run_progress(r, PL_PROGRESS_END, "coverage", 1, err);
out:
    if (rc)
        r5g_err_one_line(err); /* ids and values from the layers are quoted as they are */
    for (int k = 0; parts && k < nd; k++)
        geo_table_free(parts[k]); /* those not joined into r->t_dem */
    free(parts);
    free(all);
    free(dl);
    free(dkeep);
    free(skeep);
    kept_lists_free(&dk);
    kept_lists_free(&sk);
    return rc;
}

/* One layer of the validation report: features, rejected rows, CRS, fields. */
static void report_layer(const char *label, const geo_table *t, const pl_layer *L, pl_section sec)
{
    geo_field_req req[PL_F_COUNT];
    int n = field_requests(req, L, sec);
    const char *why = NULL;
    size_t skipped = geo_table_skipped(t, &why);
    printf("%-11s%zu features from %s (CRS %s)\n", label, geo_table_count(t), geo_table_name(t),
           geo_table_crs_name(t));
    printf("%-11sfields:", "");
    for (int k = 0; k < n; k++)
        if (req[k].field)
            printf(" %s=%s", req[k].key, geo_table_has_field(t, k) ? req[k].field : "(absent)");
    printf("\n%-11srejected: %zu%s%s%s\n", "", skipped, skipped ? " (" : "", skipped ? why : "",
           skipped ? ")" : "");
    const char *which = NULL;
    size_t repaired = geo_table_repaired(t, &which);
    if (repaired)
        printf("%-11srepaired: %zu invalid polygon%s (%s)\n", "", repaired, repaired > 1 ? "s" : "",
               which);
}

void pl_report_validation(const pl_run *r)
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
    for (int k = 0; k < geo_table_part_count(r->t_dem); k++) {
        const pl_layer *L = pl_scenario_demand_layer(sc, k);
        report_layer(L->label, geo_table_part_table(r->t_dem, k), L, PL_SEC_DEMAND);
    }
    report_layer("candidates", r->t_cand, &sc->candidates, PL_SEC_CANDIDATES);
    if (r->t_exist)
        report_layer("existing", r->t_exist, &sc->existing, PL_SEC_EXISTING);
    if (r->n_commit)
        printf("%-11s%d candidates committed to a period (built then in the plan)\n", "committed",
               r->n_commit);
    if (r->t_reg) {
        size_t in_d = 0, in_s = 0;
        for (size_t j = 0; j < r->nd; j++)
            in_d += r->d_region[j] >= 0;
        for (size_t s = 0; s < r->ns; s++)
            in_s += r->s_region[s] >= 0;
        report_layer("regions", r->t_reg, &sc->regions, PL_SEC_REGIONS);
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

