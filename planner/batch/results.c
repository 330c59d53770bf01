/* The results of a batch: the Pareto flags, the frontier's marginals, and
 * the jobs table as DIR/results.gpkg, results.csv and results.json, plus the
 * HTML summary; each file written under a temporary name and renamed. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "geo/geo.h"
#include "planner/batch/batch_int.h"

/* ---- Pareto ------------------------------------------------------------- */

/* +1 when a is better than b on criterion c, -1 worse, 0 equal; an unknown
 * value (NAN) is worse than any number. */
static int better(const pl_bcrit *c, double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : isnan(a) ? -1 : 1;
    if (a == b)
        return 0;
    return (a > b) == (c->maximize != 0) ? 1 : -1;
}

void pl_batch_pareto(const pl_batch *b, const pl_bresult *rows, int *pareto)
{
    for (int i = 0; i < b->n_jobs; i++) {
        pareto[i] = 0;
        if (!pl_bstatus_has_plan(rows[i].status))
            continue;
        int dominated = 0;
        for (int k = 0; k < b->n_jobs && !dominated; k++) {
            if (k == i || !pl_bstatus_has_plan(rows[k].status) || b->jobs[k].scenario != b->jobs[i].scenario)
                continue;
            int some_better = 0, some_worse = 0;
            for (int c = 0; c < b->n_crit; c++) {
                int d = better(&b->crit[c], rows[k].kpi[b->crit[c].kpi], rows[i].kpi[b->crit[c].kpi]);
                some_better |= d > 0;
                some_worse |= d < 0;
            }
            dominated = some_better && !some_worse;
        }
        pareto[i] = !dominated;
    }
}

/* ---- frontier marginals --------------------------------------------------- */

/* Jobs on the same curve: same scenario, same values on every other axis. */
static int same_curve(const pl_batch *b, int i, int k)
{
    if (b->jobs[i].scenario != b->jobs[k].scenario)
        return 0;
    for (int a = 0; a < b->n_axes; a++)
        if (!b->axes[a].frontier && b->jobs[i].value[a] != b->jobs[k].value[a])
            return 0;
    return 1;
}

void pl_batch_marginal(const pl_batch *b, const pl_bresult *rows, double *marginal)
{
    for (int i = 0; i < b->n_jobs; i++)
        marginal[i] = NAN;
    if (!b->has_frontier)
        return;
    int cov = b->frontier_cov;
    for (int i = 0; i < b->n_jobs; i++) {
        const pl_bresult *ri = &rows[i];
        double bi = ri->kpi[PL_BKPI_TOTAL_BUDGET];
        if (!pl_bstatus_has_plan(ri->status) || !isfinite(bi))
            continue;
        /* the neighbour below: the largest budget under this one on the curve */
        int prev = -1;
        for (int k = 0; k < b->n_jobs; k++) {
            double bk = rows[k].kpi[PL_BKPI_TOTAL_BUDGET];
            if (k == i || !pl_bstatus_has_plan(rows[k].status) || !isfinite(bk) || !(bk < bi) || !same_curve(b, i, k))
                continue;
            if (prev < 0 || bk > rows[prev].kpi[PL_BKPI_TOTAL_BUDGET])
                prev = k;
        }
        if (prev >= 0)
            marginal[i] = (ri->kpi[cov] - rows[prev].kpi[cov]) / ((bi - rows[prev].kpi[PL_BKPI_TOTAL_BUDGET]) / 1e6);
    }
}

/* ---- columns -------------------------------------------------------------- */

/* The fixed columns; an axis whose path is one of them gets "axis_" before it. */
static const char *const fixed_cols[] = {"job_id", "scenario", "status", "exit_code", "pareto",
                                         "marginal_per_million", "plan", "error", NULL};

static int is_fixed_col(const char *name)
{
    for (int i = 0; fixed_cols[i]; i++)
        if (strcmp(fixed_cols[i], name) == 0)
            return 1;
    return pl_bkpi_find(name) >= 0;
}

static void axis_col(const pl_baxis *ax, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", is_fixed_col(ax->path) ? "axis_" : "", ax->path);
}

/* ---- CSV and JSON --------------------------------------------------------- */

static void csv_text(r5g_str *o, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        r5g_str_append(o, s);
        return;
    }
    r5g_str_append(o, "\"");
    for (; *s; s++)
        r5g_str_appendn(o, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    r5g_str_append(o, "\"");
}

static void csv_num(r5g_str *o, double v, int is_int)
{
    if (!isfinite(v))
        return;
    if (is_int)
        r5g_str_appendf(o, "%lld", (long long)llround(v));
    else
        r5g_str_appendf(o, "%.15g", v);
}

static char *csv_make(const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    r5g_str o = R5G_STR_INIT;
    char col[300];
    r5g_str_append(&o, "job_id,scenario");
    for (int a = 0; a < b->n_axes; a++) {
        axis_col(&b->axes[a], col, sizeof col);
        r5g_str_append(&o, ",");
        csv_text(&o, col);
    }
    r5g_str_append(&o, ",status,exit_code");
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        r5g_str_appendf(&o, ",%s", pl_bkpi_name(k));
    r5g_str_append(&o, ",pareto");
    if (b->has_frontier)
        r5g_str_append(&o, ",marginal_per_million");
    r5g_str_append(&o, ",plan,error\n");
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        const pl_bjob *job = &b->jobs[j];
        csv_text(&o, job->id);
        r5g_str_append(&o, ",");
        csv_text(&o, b->scen[job->scenario].stem);
        for (int a = 0; a < b->n_axes; a++) {
            r5g_str_append(&o, ",");
            csv_text(&o, b->axes[a].v[job->value[a]].yaml);
        }
        r5g_str_appendf(&o, ",%s,", r->status);
        if (pl_bstatus_final(r->status))
            r5g_str_appendf(&o, "%d", r->exit_code);
        for (int k = 0; k < PL_BKPI_COUNT; k++) {
            r5g_str_append(&o, ",");
            csv_num(&o, r->kpi[k], pl_bkpi_is_int(k));
        }
        r5g_str_appendf(&o, ",%d", s->pareto[j]);
        if (b->has_frontier) {
            r5g_str_append(&o, ",");
            csv_num(&o, s->marginal[j], 0);
        }
        r5g_str_append(&o, ",");
        if (pl_bstatus_has_plan(r->status))
            r5g_str_appendf(&o, "jobs/%s.gpkg", job->id);
        r5g_str_append(&o, ",");
        csv_text(&o, r->error);
        r5g_str_append(&o, "\n");
    }
    return r5g_str_finish(&o);
}

static void json_num(r5g_str *o, double v, int is_int)
{
    if (!isfinite(v))
        r5g_str_append(o, "null");
    else
        csv_num(o, v, is_int);
}

static char *json_make(const pl_bsummary *s)
{
    const pl_batch *b = s->b;
    r5g_str o = R5G_STR_INIT;
    r5g_str_append(&o, "{\n  \"batch\": ");
    r5g_str_append_json(&o, b->name);
    r5g_str_append(&o, ",\n  \"batch_file\": ");
    r5g_str_append_json(&o, b->abs_file);
    r5g_str_append(&o, ",\n  \"pareto_criteria\": [");
    for (int c = 0; c < b->n_crit; c++)
        r5g_str_appendf(&o, "%s{\"kpi\": \"%s\", \"direction\": \"%s\"}", c ? ", " : "", pl_bkpi_name(b->crit[c].kpi),
                        b->crit[c].maximize ? "max" : "min");
    r5g_str_append(&o, "],\n  \"axes\": [");
    for (int a = 0; a < b->n_axes; a++) {
        r5g_str_append(&o, a ? ", " : "");
        r5g_str_append_json(&o, b->axes[a].path);
    }
    r5g_str_append(&o, "],\n  \"jobs\": [");
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &s->rows[j];
        const pl_bjob *job = &b->jobs[j];
        r5g_str_append(&o, j ? ",\n    {" : "\n    {");
        r5g_str_append(&o, "\"job_id\": ");
        r5g_str_append_json(&o, job->id);
        r5g_str_append(&o, ", \"scenario\": ");
        r5g_str_append_json(&o, b->scen[job->scenario].stem);
        r5g_str_append(&o, ", \"axes\": {");
        for (int a = 0; a < b->n_axes; a++) {
            const pl_bvalue *v = &b->axes[a].v[job->value[a]];
            r5g_str_append(&o, a ? ", " : "");
            r5g_str_append_json(&o, b->axes[a].path);
            r5g_str_append(&o, ": ");
            if (v->is_num)
                json_num(&o, v->num, b->axes[a].col == PL_BCOL_INT);
            else
                r5g_str_append_json(&o, v->yaml);
        }
        r5g_str_append(&o, "}, \"status\": ");
        r5g_str_append_json(&o, r->status);
        r5g_str_append(&o, ", \"exit_code\": ");
        if (pl_bstatus_final(r->status))
            r5g_str_appendf(&o, "%d", r->exit_code);
        else
            r5g_str_append(&o, "null");
        for (int k = 0; k < PL_BKPI_COUNT; k++) {
            r5g_str_appendf(&o, ", \"%s\": ", pl_bkpi_name(k));
            json_num(&o, r->kpi[k], pl_bkpi_is_int(k));
        }
        r5g_str_appendf(&o, ", \"pareto\": %d", s->pareto[j]);
        if (b->has_frontier) {
            r5g_str_append(&o, ", \"marginal_per_million\": ");
            json_num(&o, s->marginal[j], 0);
        }
        r5g_str_append(&o, ", \"plan\": ");
        if (pl_bstatus_has_plan(r->status))
            r5g_str_appendf(&o, "\"jobs/%s.gpkg\"", job->id);
        else
            r5g_str_append(&o, "null");
        r5g_str_append(&o, ", \"error\": ");
        if (r->error[0])
            r5g_str_append_json(&o, r->error);
        else
            r5g_str_append(&o, "null");
        r5g_str_append(&o, "}");
    }
    r5g_str_append(&o, "\n  ]\n}\n");
    return r5g_str_finish(&o);
}

/* ---- GeoPackage ------------------------------------------------------------ */

static geo_val num_val(double v, int is_int)
{
    if (!isfinite(v))
        return GEO_NULL;
    return is_int ? GEO_INT(llround(v)) : GEO_REAL(v);
}

static int gpkg_write(const pl_bsummary *s, const char *dir, r5g_err *err)
{
    const pl_batch *b = s->b;
    geo_ctx *geo = NULL;
    geo_out *out = NULL;
    int nf = 0, rc;
    int maxf = 8 + b->n_axes + PL_BKPI_COUNT;
    geo_fdef *f = calloc((size_t)maxf, sizeof *f);
    geo_val *v = calloc((size_t)maxf, sizeof *v);
    char (*names)[300] = calloc((size_t)b->n_axes + 1, sizeof *names);
    char *path = r5g_asprintf("%s/results.gpkg", dir);
    if (!f || !v || !names || !path) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    f[nf++] = (geo_fdef){"job_id", GEO_FT_STR};
    f[nf++] = (geo_fdef){"scenario", GEO_FT_STR};
    for (int a = 0; a < b->n_axes; a++) {
        axis_col(&b->axes[a], names[a], sizeof names[a]);
        f[nf++] = (geo_fdef){names[a], b->axes[a].col == PL_BCOL_INT    ? GEO_FT_INT
                                        : b->axes[a].col == PL_BCOL_REAL ? GEO_FT_REAL
                                                                         : GEO_FT_STR};
    }
    f[nf++] = (geo_fdef){"status", GEO_FT_STR};
    f[nf++] = (geo_fdef){"exit_code", GEO_FT_INT};
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        f[nf++] = (geo_fdef){pl_bkpi_name(k), pl_bkpi_is_int(k) ? GEO_FT_INT : GEO_FT_REAL};
    f[nf++] = (geo_fdef){"pareto", GEO_FT_INT};
    if (b->has_frontier)
        f[nf++] = (geo_fdef){"marginal_per_million", GEO_FT_REAL};
    f[nf++] = (geo_fdef){"plan", GEO_FT_STR};
    f[nf++] = (geo_fdef){"error", GEO_FT_STR};
    if ((rc = geo_ctx_new(&geo, err)) || (rc = geo_out_open(&out, geo, path, "GPKG", NULL, NULL, 1, err)) ||
        (rc = geo_out_layer(out, "jobs", GEO_GEOM_NONE, f, nf, err)))
        goto out;
    for (int j = 0; j < b->n_jobs && rc == 0; j++) {
        const pl_bresult *r = &s->rows[j];
        const pl_bjob *job = &b->jobs[j];
        char plan[128];
        snprintf(plan, sizeof plan, "jobs/%s.gpkg", job->id);
        int i = 0;
        v[i++] = GEO_STR(job->id);
        v[i++] = GEO_STR(b->scen[job->scenario].stem);
        for (int a = 0; a < b->n_axes; a++) {
            const pl_bvalue *x = &b->axes[a].v[job->value[a]];
            v[i++] = b->axes[a].col == PL_BCOL_TEXT ? GEO_STR(x->yaml) : num_val(x->num, b->axes[a].col == PL_BCOL_INT);
        }
        v[i++] = GEO_STR(r->status);
        v[i++] = pl_bstatus_final(r->status) ? GEO_INT(r->exit_code) : GEO_NULL;
        for (int k = 0; k < PL_BKPI_COUNT; k++)
            v[i++] = num_val(r->kpi[k], pl_bkpi_is_int(k));
        v[i++] = GEO_INT(s->pareto[j]);
        if (b->has_frontier)
            v[i++] = num_val(s->marginal[j], 0);
        v[i++] = pl_bstatus_has_plan(r->status) ? GEO_STR(plan) : GEO_NULL;
        v[i++] = r->error[0] ? GEO_STR(r->error) : GEO_NULL;
        rc = geo_out_row(out, v, err);
    }
    if (rc == 0)
        rc = geo_out_commit(out, err);
out:
    geo_out_free(out);
    geo_ctx_free(geo);
    free(f);
    free(v);
    free(names);
    free(path);
    return rc;
}

static int text_write(const char *dir, const char *name, char *text, r5g_err *err)
{
    char *path = r5g_asprintf("%s/%s", dir, name);
    int rc = text && path ? pl_batch_write_atomic(path, text, strlen(text), err)
                          : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(path);
    free(text);
    return rc;
}

/* A write that failed on a (nearly) full disk says so first: GDAL's SQLite
 * errors name whatever statement ran into it ("no such table: jobs" after a
 * CREATE TABLE that could not be written), not the cause. */
static void disk_full_hint(const char *dir, r5g_err *err)
{
    struct statvfs st;
    if (!err || strstr(err->msg, "disk is full") || statvfs(dir, &st) != 0)
        return;
    unsigned long long avail = (unsigned long long)st.f_bavail * st.f_frsize;
    if (avail < 1024ULL * 1024ULL)
        r5g_err_prefix(err, "%s: the disk is full (%llu KB free)", dir, avail / 1024ULL);
}

int pl_batch_results_write(const pl_bsummary *s, const char *dir, r5g_err *err)
{
    int rc = gpkg_write(s, dir, err);
    if (rc == 0)
        rc = text_write(dir, "results.csv", csv_make(s), err);
    if (rc == 0)
        rc = text_write(dir, "results.json", json_make(s), err);
    if (rc == 0)
        rc = text_write(dir, "summary.html", pl_batch_html(s), err);
    if (rc && rc != R5G_ENOMEM)
        disk_full_hint(dir, err);
    return rc;
}
