/* plan_meta: what a reviewer needs to trust and re-run a plan (the
 * scenario and its inputs with checksums over every file they are made of,
 * the solver's status, bound, the kind of bound and gap, sizes, the full
 * effective settings as JSON, versions, the run time and the command line).
 * Numeric rows carry their number too (value_num, docs/output.md). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/sha256.h"
#include "common/strbuf.h"
#include "geo/geo.h"
#include "planner/pipeline/evaluate.h"
#include "planner/pipeline/run.h"
#include "planner/scenario/settings.h"
#include "solver/sol.h"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int cmp_base(const void *a, const void *b)
{
    return strcmp(base_name(*(const char *const *)a), base_name(*(const char *const *)b));
}

int pl_input_sha256(char sha[65], char **manifest, geo_ctx *geo, const char *source, r5g_err *err)
{
    char **files = NULL;
    size_t n = 0;
    sha[0] = '\0';
    if (manifest)
        *manifest = NULL;
    int rc = geo_source_files(&files, &n, geo, source, err);
    if (rc || n == 0)
        goto out;
    if (n == 1) {
        rc = r5g_sha256_file(sha, files[0], err);
        goto out;
    }
    qsort(files, n, sizeof *files, cmp_base);
    r5g_str lines = R5G_STR_INIT;
    for (size_t k = 0; k < n && rc == 0; k++) {
        char one[65];
        if ((rc = r5g_sha256_file(one, files[k], err)) == 0)
            r5g_str_appendf(&lines, "%s  %s\n", one, base_name(files[k]));
    }
    char *text = r5g_str_finish(&lines);
    if (rc == 0 && !text)
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if (rc == 0) {
        r5g_sha256 all;
        r5g_sha256_init(&all);
        r5g_sha256_update(&all, text, strlen(text));
        r5g_sha256_hex(&all, sha);
    }
    if (manifest && rc == 0)
        *manifest = text;
    else
        free(text);
out:
    if (rc)
        sha[0] = '\0';
    geo_files_free(files, n);
    return rc;
}

/* "2026-03-14T09:26:53Z" */
static void utc_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "unknown");
}

int pl_meta_collect(pl_plan *p, const pl_run *r, const char *output_format, r5g_err *err)
{
    const pl_scenario *sc = p->sc;
    pl_input inputs[64];
    int n_inputs = pl_scenario_inputs(sc, inputs, 64);
    const pl_plan_opts *o = r->opts;
    int rc = 0;
    char buf[64], sha[65];
#define ROW(k, val)                                                                                \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = pl_plan_meta_add(p, (k), (val), err);                                             \
    } while (0)
#define NUM(k, fmt, x)                                                                             \
    do {                                                                                           \
        snprintf(buf, sizeof buf, fmt, x);                                                         \
        if (rc == 0)                                                                               \
            rc = pl_plan_meta_add_num(p, (k), buf, (double)(x), err);                              \
    } while (0)
    ROW("scenario", sc->name);
    ROW("scenario_file", sc->file);
    r5g_err e = {0};
    ROW("scenario_sha256", r5g_sha256_file(sha, sc->file, &e) == 0 ? sha : NULL);
    for (int k = 0; k < n_inputs && rc == 0; k++) {
        if (!inputs[k].source)
            continue;
        char key[64], *manifest = NULL;
        snprintf(key, sizeof key, "input_%.23s", inputs[k].key);
        ROW(key, inputs[k].source);
        /* an input that cannot be hashed (gone, unreadable) has no checksum, as before */
        r5g_err eh = {0};
        if (pl_input_sha256(sha, &manifest, r->geo, inputs[k].source, &eh))
            sha[0] = '\0';
        snprintf(key, sizeof key, "input_%.23s_sha256", inputs[k].key);
        ROW(key, sha[0] ? sha : NULL);
        if (manifest) { /* `sha256sum -c` reads it in the input's folder */
            snprintf(key, sizeof key, "input_%.23s_files", inputs[k].key);
            ROW(key, manifest);
            free(manifest);
        }
    }
    ROW("status", p->solve.status);
    NUM("objective", "%.10g", p->objective);
    NUM("solver_objective", "%.10g", p->solve.solver_objective);
    NUM("bound", "%.10g", p->bound);
    NUM("gap", "%.6g", p->gap);
    ROW("bound_kind", p->solve.bound_kind[0] ? p->solve.bound_kind : NULL);
    NUM("solve_seconds", "%.3f", p->solve.seconds);
    NUM("solver_regions", "%d", p->solve.regions);
    NUM("total_seconds", "%.3f", p->solve.total_seconds);
    NUM("model_rows", "%d", p->solve.n_rows);
    NUM("model_columns", "%d", p->solve.n_cols);
    NUM("model_nonzeros", "%d", p->solve.n_nonzeros);
    NUM("n_sites", "%zu", p->ns);
    NUM("n_demand", "%zu", p->nd);
    NUM("n_pairs", "%zu", r->pairs.n_pairs);
    NUM("n_periods", "%d", sc->n_periods);
    ROW("objective_kind", sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage");
    NUM("reduced_demand", "%d", p->solve.red_demand_out);
    NUM("reduced_sites", "%d", p->solve.red_sites_out);
    NUM("reduced_pairs", "%lld", p->solve.red_pairs_out);
    ROW("working_crs", geo_crs_name(p->crs));
    ROW("output_crs", geo_crs_is_planar(p->crs) ? "none (planar)"
                      : o->t_srs                ? o->t_srs
                      : sc->output_crs          ? sc->output_crs
                                                : "EPSG:4326");
    ROW("output_format", output_format);
    NUM("lead_periods", "%d", sc->lead_periods);
    NUM("max_lead_periods", "%d", sc->max_lead_periods);
    NUM("carry_over", "%d", sc->carry_over);
    NUM("discount_rate", "%.17g", sc->discount_rate);
    NUM("whitelist_multiplier", "%.17g", sc->whitelist_multiplier);
    ROW("radio_model", sc->radio_model == PL_RADIO_TR38901 ? "tr38901" : "fixed_radius");
    NUM("radius_m", "%.17g", sc->radius_m);
    NUM("time_limit_s", "%g", sc->time_limit_s);
    NUM("mip_gap_setting", "%g", sc->mip_gap);
    ROW("rollout5g_version", PACKAGE_VERSION);
    ROW("glpk_version", sol_version_glpk());
    ROW("gdal_version", geo_version_gdal());
    ROW("proj_version", geo_version_proj());
    ROW("command_line", o->command_line);
    char when[32];
    utc_now(when);
    ROW("run_at_utc", when);
    char *settings = NULL;
    pl_settings_output so = {.path = o->output_path, .format = output_format, .crs = o->t_srs,
                             .links = o->links ? 1 : -1};
    if (rc == 0 && (rc = pl_settings_json(&settings, sc, &so, err)) == 0)
        ROW("settings", settings);
    free(settings);
#undef ROW
#undef NUM
    return rc;
}

int pl_meta_add_phases(pl_plan *p, r5g_err *err)
{
    r5g_str s = R5G_STR_INIT;
    r5g_str_appendf(&s, "{");
    int n = 0;
    for (int id = 0; id < PL_PHASE_N; id++) {
        const pl_phase *ph = &p->phases[id];
        if (!ph->measured)
            continue;
        r5g_str_appendf(&s, "%s\"%s\": {\"seconds\": %.3f, \"cpu_seconds\": %.3f, \"rss_mb\": %.1f, "
                        "\"peak_mb\": %.1f}", n++ ? ", " : "", pl_phase_name((pl_phase_id)id),
                        ph->seconds, ph->cpu_seconds, ph->rss_mb, ph->peak_mb);
    }
    r5g_str_appendf(&s, "}");
    char *text = r5g_str_finish(&s);
    if (!text)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for plan_meta");
    for (int k = 0; k < p->n_meta; k++)
        if (strcmp(p->meta_key[k], "phases") == 0) {
            free(p->meta_val[k]);
            p->meta_val[k] = text;
            return 0;
        }
    int rc = pl_plan_meta_add(p, "phases", text, err);
    free(text);
    return rc;
}
