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

#include "common/afile.h"
#include "geo/geo.h"
#include "geo/radio.h"
#include "planner/pipeline/coverage.h"
#include "planner/pipeline/paths.h"
#include "planner/plan.h"
#include "planner/pipeline/run.h"
#include "planner/report/html.h"
#include "planner/report/report.h"
#include "planner/report/textfile.h"
#include "planner/scenario/scenario.h"
#include "solver/sol.h"

int pl_plan_compute(pl_plan **out, pl_scenario **scp, geo_ctx *geo, const pl_plan_opts *opts,
                    const pl_compute_hooks *hooks, r5g_err *err)
{
    pl_run run = {0}, *r = &run;
    *out = NULL;
    r->opts = opts;
    r->sc = *scp;
    *scp = NULL;
    r->geo = geo;
    int rc;
    double t_start = r5g_now();
    if ((rc = pl_read_inputs(r, err)))
        goto out;
    if (hooks && hooks->inputs_ready && (rc = hooks->inputs_ready(hooks->user, r->crs, err)))
        goto out;
    r->want_links = opts->links || r->sc->output_links;
    pl_phase_mark(&r->clock);
    if ((rc = pl_model_build(r, err)))
        goto out;
    if (opts->export_model) {
        if ((rc = pl_model_export(&r->in, opts->export_model, opts->overwrite, err)))
            goto out;
        r5g_log(R5G_LOG_INFO, "model written to %s", opts->export_model);
    }
    if (opts->export_unreduced) { /* the baseline for plain glpsol (tests/bench) */
        sol_input un = r->in;
        un.no_reductions = 1;
        if ((rc = pl_model_export(&un, opts->export_unreduced, opts->overwrite, err)))
            goto out;
        r5g_log(R5G_LOG_INFO, "unreduced model written to %s", opts->export_unreduced);
    }
    pl_phase_charge(&r->phases[PL_PHASE_MODEL], &r->clock, 1);
    pl_phase_log(r->phases, PL_PHASE_MODEL);
    r5g_log(R5G_LOG_INFO, "solving: %zu sites, %zu demand points, %d periods (time limit %g s, gap %g)",
            r->ns, r->nd, r->sc->n_periods, r->sc->time_limit_s, r->sc->mip_gap);
    r5g_test_pause_at("solve");
    if (r->in.time_limit_s > 0) {
        /* the limit holds for the whole run: the solver gets what reading
         * left, less the KPIs and writing predicted: 7 us of CPU per demand
         * point and coverage pair (0.85 s on district-xl's 20k points and
         * 108k pairs), over the share of a processor the load average leaves
         * (writing beside load 6.5 on 2 cores took 2-4 s). It matters only
         * when the limit cuts the search, where the plan depends on time
         * anyway */
        double share = r5g_load_share();
        double reserve = 7e-6 * ((double)r->nd + (double)r->in.cov_ptr[r->nd]) / (share < 0.2 ? 0.2 : share);
        double left = r->sc->time_limit_s - (r5g_now() - t_start) - reserve;
        r->in.time_limit_s = left > 1e-3 ? left : 1e-3;
        r5g_log(R5G_LOG_DEBUG, "solver time limit %.2f s: %g s less %.2f s read, %.2f s kept for writing",
                r->in.time_limit_s, r->sc->time_limit_s, r5g_now() - t_start, reserve);
    }
    rc = pl_run_solve(r, err);
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
    if (r->res.regions)
        r5g_log(R5G_LOG_INFO, "decomposition: %d %s solved apart%s (%.1f s of CPU in all, the longest %.1f s)",
                r->res.regions, r->res.tiles ? "tiles" : "regions", r->opts && r->opts->runner ? " on the MPI ranks" : "",
                r->res.region_cpu_sum, r->res.region_cpu_max);
    pl_phase_mark(&r->clock);
    if ((rc = pl_kpi_compute(r, err)))
        goto out;
    r->total_seconds = r5g_now() - t_start;
    if ((rc = pl_plan_make(out, r, err)) ||
        (rc = pl_meta_collect(*out, r, hooks && hooks->output_format ? hooks->output_format : "GPKG", err)))
        goto out;
    pl_phase_charge(&r->phases[PL_PHASE_KPI], &r->clock, 1);
    pl_phase_log(r->phases, PL_PHASE_KPI);
    memcpy((*out)->phases, r->phases, sizeof r->phases);
    if (r->res.status == SOL_TIME_LIMIT && r->res.lp_skipped && r->total_seconds < 0.95 * (*out)->sc->time_limit_s)
        rc = r5g_err_set(err, R5G_ETIMELIMIT,
                         "time limit of %g s: the search ended after %.0f s, since GLPK's root LP was predicted "
                         "not to finish in the time left; the best plan found is written, %.2f%% from the proven "
                         "bound", (*out)->sc->time_limit_s, r->total_seconds, 100 * (*out)->gap);
    else if (r->res.status == SOL_TIME_LIMIT)
        rc = r5g_err_set(err, R5G_ETIMELIMIT,
                         "time limit of %g s reached: the best plan found is written, %.2f%% from the proven bound",
                         (*out)->sc->time_limit_s, 100 * (*out)->gap);
out:
    if (rc && rc != R5G_ETIMELIMIT) {
        pl_plan_free(*out);
        *out = NULL;
    }
    pl_run_free(r);
    return rc;
}

/* `plan`: the output opens as soon as the working CRS is known, so an
 * existing file or a bad output CRS fails before the solve. */
typedef struct plan_out {
    geo_ctx *geo;
    const pl_plan_opts *opts;
    const pl_scenario *sc;
    const char *path;
    geo_out *out;
    pl_plan *plan;          /* once computed */
    pl_phase_clock clock;   /* the write phase */
} plan_out;

/* pl_writer.before_meta: the map layers are written; plan_meta records what
 * every phase cost, the write phase up to here. */
static int record_phases(void *user, r5g_err *err)
{
    plan_out *po = user;
    pl_phase_charge(&po->plan->phases[PL_PHASE_WRITE], &po->clock, 1);
    return pl_meta_add_phases(po->plan, err);
}

static int open_output(void *user, const geo_crs *crs, r5g_err *err)
{
    plan_out *po = user;
    const pl_plan_opts *opts = po->opts;
    int rc = geo_out_open(&po->out, po->geo, po->path, opts->format ? opts->format : po->sc->output_format,
                          crs, opts->t_srs ? opts->t_srs : po->sc->output_crs, opts->overwrite, err);
    if (rc == 0)
        rc = geo_out_set_options(po->out, opts->dsco, opts->lco, err);
    r5g_test_pause_at("read");
    return rc;
}

static int validate(pl_scenario **scp, geo_ctx *geo, const pl_plan_opts *opts, r5g_err *err)
{
    pl_run run = {0}, *r = &run;
    r->opts = opts;
    r->sc = *scp;
    *scp = NULL;
    r->geo = geo;
    int rc = pl_read_inputs(r, err);
    if (rc == 0)
        pl_report_validation(r);
    pl_run_free(r);
    return rc;
}

int pl_plan_run(const pl_plan_opts *opts, r5g_err *err)
{
    geo_ctx *geo = NULL;
    pl_scenario *sc = NULL;
    pl_plan *plan = NULL;
    pl_json_tmp json = {0};
    pl_textfile html = PL_TEXTFILE_INIT;
    plan_out po = {.opts = opts};
    int rc;
    if ((rc = pl_scenario_load(&sc, opts->scenario_path, err)))
        goto out;
    r5g_log(R5G_LOG_INFO, "scenario '%s': %d periods (%s..%s)", sc->name, sc->n_periods,
            sc->period_label[0], sc->period_label[sc->n_periods - 1]);
    if (opts->validate_only) {
        if ((rc = geo_ctx_new(&geo, err)) == 0)
            rc = validate(&sc, geo, opts, err);
        goto out;
    }
    /* no output may touch an input of the run, or another output */
    const char *out_path = opts->output_path ? opts->output_path : sc->output_path;
    const pl_out_path outs[] = {{opts->output_path ? "-o" : "output.path", out_path, 1},
                                {"--json", opts->json_path, 0},
                                {"--html", opts->html_path, 0},
                                {"--export-model", opts->export_model, 0},
                                {"--export-unreduced", opts->export_unreduced, 0}};
    if ((rc = pl_paths_check(sc, outs, sizeof outs / sizeof *outs, opts->overwrite, err)) ||
        (rc = geo_ctx_new(&geo, err)))
        goto out;
    po.geo = geo;
    po.sc = sc;
    char *path = r5g_strdup(out_path); /* the scenario moves into the plan */
    if (!path) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    po.path = path;
    pl_compute_hooks hooks = {.inputs_ready = open_output, .user = &po,
                              .output_format = opts->format ? opts->format : sc->output_format};
    char *fmt = r5g_strdup(hooks.output_format);
    hooks.output_format = fmt;
    rc = fmt ? pl_plan_compute(&plan, &sc, geo, opts, &hooks, err)
             : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(fmt);
    if (rc && rc != R5G_ETIMELIMIT)
        goto out_path;
    int rc_limit = rc;
    r5g_err limit_err = *err;
    po.plan = plan;
    pl_phase_mark(&po.clock);
    pl_writer w = {.out = po.out, .p = plan, .progress = opts->progress, .progress_user = opts->progress_user,
                   .before_meta = record_phases, .before_meta_user = &po};
    if ((rc = pl_output_write(&w, err)))
        goto out_path;
    if (opts->json_path && (rc = pl_json_prepare(&json, plan, opts->json_path, opts->overwrite, err)))
        goto out_path;
    if (opts->html_path && (rc = pl_textfile_prepare(&html, "--html", opts->html_path, opts->overwrite,
                                                     pl_html_plan_report(plan, path, err), err)))
        goto out_path;
    if ((rc = geo_out_commit(po.out, err)))
        goto out_path;
    /* the log has the whole write: plan_meta, styles, JSON, HTML, the commit */
    pl_phase_charge(&plan->phases[PL_PHASE_WRITE], &po.clock, 1);
    pl_phase_log(plan->phases, PL_PHASE_WRITE);
    if (opts->json_path && (rc = pl_json_commit(&json, opts->json_path, err)))
        goto out_path;
    if (opts->html_path && (rc = pl_textfile_commit(&html, err)))
        goto out_path;
    /* `--json -` owns stdout: the table goes to stderr, and -q silences it there */
    int json_stdout = opts->json_path && !strcmp(opts->json_path, "-");
    if (!json_stdout || r5g_log_level() >= R5G_LOG_INFO)
        pl_report_summary(plan, json_stdout ? stderr : stdout, path);
    if (rc_limit) {
        rc = rc_limit;
        *err = limit_err;
    }
out_path:
    free(path);
out:
    pl_json_discard(&json);
    pl_textfile_discard(&html);
    geo_out_free(po.out);
    pl_plan_free(plan);
    pl_scenario_free(sc);
    geo_ctx_free(geo);
    return rc;
}

/* ---- rollout5g coverage -------------------------------------------------- */

int pl_coverage_run(const pl_coverage_opts *opts, r5g_err *err)
{
    pl_run run = {0}, *r = &run;
    geo_ctx *geo = NULL;
    pl_plan_opts po = {.scenario_path = opts->scenario_path,
                       .output_path = opts->output_path,
                       .t_srs = opts->t_srs,
                       .overwrite = opts->overwrite};
    r->opts = &po;
    int rc;
    double t0 = r5g_now();
    if ((rc = pl_scenario_load(&r->sc, opts->scenario_path, err)))
        goto out;
    const pl_out_path output = {"-o", opts->output_path, 1};
    if ((rc = pl_paths_check(r->sc, &output, 1, opts->overwrite, err)))
        goto out;
    if ((rc = geo_ctx_new(&geo, err)))
        goto out;
    r->geo = geo;
    if ((rc = pl_read_inputs(r, err)))
        goto out;
    if ((rc = geo_out_open(&r->out, r->geo, opts->output_path, "GPKG", r->crs, opts->t_srs,
                           opts->overwrite, err)))
        goto out;
    if ((rc = pl_coverage_layers_write(r, err)) || (rc = geo_out_commit(r->out, err)))
        goto out;
    size_t unc = 0;
    for (size_t j = 0; j < r->nd; j++)
        unc += r->pairs.ptr[j] == r->pairs.ptr[j + 1];
    printf("%s: %zu sites, %zu demand points (%zu never coverable), %zu pairs, radio %s%s, %.2f s\n",
           opts->output_path, r->ns, r->nd, unc, r->pairs.n_pairs,
           r->sc->radio_model == PL_RADIO_TR38901 ? "tr38901" : "fixed_radius", r->dem ? " with DEM line of sight" : "",
           r5g_now() - t0);
out:
    pl_run_free(r);
    geo_ctx_free(geo);
    return rc;
}
