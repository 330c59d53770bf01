/* One job of a batch: the scenario with the job's overrides, the plan (the
 * same pipeline and writers as `rollout5g plan`), DIR/jobs/ID.gpkg written
 * atomically and fsync'd, and the job's KPI columns. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "geo/geo.h"
#include "planner/batch/batch_int.h"
#include "planner/plan.h"
#include "planner/plan_result.h"
#include "planner/report/html.h"
#include "planner/report/report.h"
#include "planner/scenario/scenario.h"

static double unix_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* The overrides of job j: `set:` first, then its value on every axis;
 * budget.scale is kept apart (it needs the budget the others give). */
typedef struct job_ov {
    pl_override ov[64 + 32];
    char origin[64 + 32][300];
    int n;
    double scale;      /* budget.scale, 1 when none */
    char scale_origin[300];
    char *scale_yaml;  /* the budget.capex the scale gives (owned) */
} job_ov;

static void job_overrides(const pl_batch *b, int j, job_ov *o)
{
    memset(o, 0, sizeof *o);
    o->scale = 1;
    const pl_bjob *job = &b->jobs[j];
    for (int i = 0; i < b->n_set && o->n < 64; i++) {
        pl_batch_origin(b, b->set_val[i].line, o->origin[o->n], sizeof o->origin[0]);
        o->ov[o->n] = (pl_override){b->set_path[i], b->set_val[i].yaml, o->origin[o->n]};
        o->n++;
    }
    for (int a = 0; a < b->n_axes; a++) {
        const pl_bvalue *v = &b->axes[a].v[job->value[a]];
        if (strcmp(b->axes[a].path, "budget.scale") == 0) {
            o->scale = v->num;
            pl_batch_origin(b, v->line, o->scale_origin, sizeof o->scale_origin);
            continue;
        }
        pl_batch_origin(b, v->line, o->origin[o->n], sizeof o->origin[0]);
        o->ov[o->n] = (pl_override){b->axes[a].path, v->yaml, o->origin[o->n]};
        o->n++;
    }
}

/* The scenario of the job, budget.scale applied to every period's capex. */
static int job_scenario(const pl_batch *b, int j, job_ov *o, pl_scenario **sc, r5g_err *err)
{
    const char *path = b->scen[b->jobs[j].scenario].path;
    int rc = pl_scenario_load_ex(sc, path, o->ov, o->n, err);
    if (rc || o->scale == 1)
        return rc;
    r5g_str y = R5G_STR_INIT;
    r5g_str_append(&y, "[");
    for (int t = 0; t < (*sc)->n_periods; t++) {
        if (!isfinite((*sc)->budget[t])) {
            r5g_str_dispose(&y);
            rc = r5g_err_set(err, R5G_EINPUT,
                             "%s: budget.scale: the budget of period %s is unlimited in %s: nothing to scale "
                             "(give budget.capex)",
                             o->scale_origin, (*sc)->period_label[t], path);
            pl_scenario_free(*sc);
            *sc = NULL;
            return rc;
        }
        r5g_str_appendf(&y, "%s%.17g", t ? ", " : "", (*sc)->budget[t] * o->scale);
    }
    r5g_str_append(&y, "]");
    pl_scenario_free(*sc);
    *sc = NULL;
    if (!(o->scale_yaml = r5g_str_finish(&y)))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    o->ov[o->n] = (pl_override){"budget.capex", o->scale_yaml, o->scale_origin};
    return pl_scenario_load_ex(sc, path, o->ov, o->n + 1, err);
}

int pl_batch_job_check(const pl_batch *b, int j, double *time_limit_s, r5g_err *err)
{
    job_ov o;
    pl_scenario *sc = NULL;
    job_overrides(b, j, &o);
    int rc = job_scenario(b, j, &o, &sc, err);
    if (rc == 0 && time_limit_s)
        *time_limit_s = sc->time_limit_s;
    pl_scenario_free(sc);
    free(o.scale_yaml);
    return rc;
}

/* The KPI columns, from the plan's arrays and per-period KPIs. */
static void job_kpis(const pl_plan *p, pl_bresult *res)
{
    const pl_scenario *sc = p->sc;
    int T = sc->n_periods;
    const pl_period_kpi *last = &p->pk[T - 1];
    double capex = 0, budget = 0;
    for (int t = 0; t < T; t++) {
        capex += p->pk[t].capex;
        budget += sc->budget[t];
    }
    double w_white = 0, w_white_on = 0;
    for (size_t j = 0; j < p->nd; j++) {
        if (!p->d_white[j])
            continue;
        int due = p->d_period[j] - sc->lead_periods;
        w_white += p->d_eff[j];
        if (p->d_cov[j] > 0 && p->d_cov[j] <= (due < 1 ? 1 : due))
            w_white_on += p->d_eff[j];
    }
    /* idle site-periods: a built site is idle in the periods before the
     * first demand it serves has appeared (all of them when it serves none) */
    int *first = malloc((p->ns ? p->ns : 1) * sizeof *first);
    long idle = 0, built = 0;
    if (first) {
        for (size_t s = 0; s < p->ns; s++)
            first[s] = T + 1;
        for (size_t j = 0; j < p->nd; j++)
            if (p->d_serving[j] >= 0 && p->d_period[j] < first[p->d_serving[j]])
                first[p->d_serving[j]] = p->d_period[j];
        for (size_t s = 0; s < p->ns; s++) {
            if (p->s_kind[s] == PL_KIND_EXISTING || p->s_on_air[s] <= 0)
                continue;
            built++;
            if (first[s] > p->s_on_air[s])
                idle += first[s] - p->s_on_air[s];
        }
        free(first);
    }
    res->kpi[PL_BKPI_OBJECTIVE] = p->objective;
    res->kpi[PL_BKPI_BOUND] = p->bound;
    res->kpi[PL_BKPI_GAP] = p->gap;
    res->kpi[PL_BKPI_SOLVE_SECONDS] = p->solve.seconds;
    res->kpi[PL_BKPI_TOTAL_BUDGET] = isfinite(budget) ? budget : NAN;
    res->kpi[PL_BKPI_TOTAL_CAPEX] = capex;
    res->kpi[PL_BKPI_COVERED_SHARE] = last->covered_share;
    res->kpi[PL_BKPI_ON_TIME_SHARE] = last->on_time_share;
    res->kpi[PL_BKPI_WHITELIST_ON_TIME_SHARE] = w_white > 0 ? w_white_on / w_white : NAN;
    res->kpi[PL_BKPI_COVERED_WEIGHT] = last->covered_share * last->demand_weight;
    res->kpi[PL_BKPI_IDLE_SITE_PERIODS] = first ? (double)idle : NAN;
    res->kpi[PL_BKPI_SITES_BUILT] = (double)built;
}

/* The job's plan_meta rows: which batch, which job, which overrides. */
static int job_meta(pl_plan *p, const pl_batch *b, int j, const job_ov *o, r5g_err *err)
{
    int rc = pl_plan_meta_add(p, "batch_file", b->abs_file, err);
    if (rc == 0)
        rc = pl_plan_meta_add(p, "batch_job_id", b->jobs[j].id, err);
    for (int i = 0; rc == 0 && i < o->n; i++) {
        char key[300];
        snprintf(key, sizeof key, "batch_override_%s", o->ov[i].path);
        rc = pl_plan_meta_add(p, key, o->ov[i].yaml, err);
    }
    if (rc == 0 && o->scale != 1) {
        char v[64];
        snprintf(v, sizeof v, "%.17g", o->scale);
        if (!(rc = pl_plan_meta_add(p, "batch_override_budget.scale", v, err)))
            rc = pl_plan_meta_add(p, "batch_budget_capex", o->scale_yaml, err);
    }
    return rc;
}

static int job_html(const pl_plan *plan, const char *gpkg, const char *dir, const char *id, r5g_err *err)
{
    r5g_err_clear(err);
    char *path = r5g_asprintf("%s/jobs/%s.html", dir, id);
    char *html = path ? pl_html_plan_report(plan, gpkg, err) : NULL;
    int rc = html ? pl_batch_write_atomic(path, html, strlen(html), err)
                  : err->msg[0] ? R5G_EINPUT : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(html);
    free(path);
    return rc;
}

int pl_batch_job_run(const pl_batch *b, int j, const char *dir, const char *backend,
                     const char *command_line, pl_bresult *res, r5g_err *err)
{
    const pl_bjob *job = &b->jobs[j];
    job_ov o;
    pl_scenario *sc = NULL;
    pl_plan *plan = NULL;
    geo_ctx *geo = NULL;
    geo_out *out = NULL;
    char *gpkg = NULL;
    r5g_err jerr = {0};
    double t0 = r5g_now();
    pl_bresult_init(res, job->id);
    res->started = unix_now();
    res->pid = (long)getpid();
    snprintf(res->backend, sizeof res->backend, "%s", backend);
    if (gethostname(res->host, sizeof res->host - 1) != 0)
        snprintf(res->host, sizeof res->host, "?");
    job_overrides(b, j, &o);
    r5g_log(R5G_LOG_INFO, "job %s (%d of %d): %s", job->id, j + 1, b->n_jobs, b->scen[job->scenario].rel);
    int rc = job_scenario(b, j, &o, &sc, &jerr);
    if (rc == 0)
        rc = geo_ctx_new(&geo, &jerr);
    pl_plan_opts opts = PL_PLAN_OPTS_INIT;
    opts.scenario_path = b->scen[job->scenario].path;
    opts.command_line = command_line;
    if (rc == 0)
        rc = pl_plan_compute(&plan, &sc, geo, &opts, NULL, &jerr);
    int rc_plan = rc;
    r5g_err limit_err = jerr;
    if (rc == 0 || rc == R5G_ETIMELIMIT) {
        gpkg = r5g_asprintf("%s/jobs/%s.gpkg", dir, job->id);
        rc = gpkg ? job_meta(plan, b, j, &o, &jerr) : r5g_err_set(&jerr, R5G_ENOMEM, "out of memory");
        if (rc == 0)
            rc = geo_out_open(&out, geo, gpkg, "GPKG", plan->crs, plan->sc->output_crs, 1, &jerr);
        pl_writer w = {.out = out, .p = plan};
        if (rc == 0)
            rc = pl_output_write(&w, &jerr);
        if (rc == 0)
            rc = geo_out_commit(out, &jerr);
        if (rc == 0) /* the plan's HTML report beside it, as `plan --html` writes it */
            rc = job_html(plan, gpkg, dir, job->id, &jerr);
        if (rc == 0) {
            job_kpis(plan, res);
            rc = rc_plan;
            jerr = limit_err;
        }
    }
    res->exit_code = r5g_exit_code(rc);
    snprintf(res->status, sizeof res->status, "%s",
             rc == 0                   ? "done"
             : rc == R5G_ETIMELIMIT    ? "time_limit"
             : rc == R5G_EINFEASIBLE   ? "infeasible"
                                       : "failed");
    if (rc)
        snprintf(res->error, sizeof res->error, "%s", jerr.msg);
    if (rc && rc != R5G_ETIMELIMIT)
        r5g_log(R5G_LOG_ERROR, "job %s: %s", job->id, jerr.msg);
    else if (rc)
        r5g_log(R5G_LOG_WARN, "job %s: %s", job->id, jerr.msg);
    res->kpi[PL_BKPI_SECONDS] = r5g_now() - t0;
    res->ended = unix_now();
    int wrc = pl_bresult_write(res, dir, err);
    geo_out_free(out);
    free(gpkg);
    free(o.scale_yaml);
    pl_plan_free(plan);
    pl_scenario_free(sc);
    geo_ctx_free(geo);
    return wrc;
}
