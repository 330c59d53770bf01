/* `plan --json FILE`: the per-period KPIs and plan_meta as one JSON document
 * for scripts, written under a temporary name and moved into place
 * (common/afile.h), or to standard output with `--json -`. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/afile.h"
#include "common/strbuf.h"
#include "planner/report/report.h"

/* A JSON string (common/strbuf's escaping), or null. */
static void jstr(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    r5g_str b = R5G_STR_INIT;
    r5g_str_append_json(&b, s);
    const char *t = r5g_str_text(&b);
    fputs(t ? t : "null", f);
    r5g_str_dispose(&b);
}

static void jnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.15g", v);
    else
        fputs("null", f);
}

/* A plan_meta value as scripts want it: numeric rows as numbers, the
 * settings and phases rows (JSON text) as the objects themselves,
 * everything else as text. */
static void meta_value(FILE *f, const pl_plan *p, int k)
{
    if (p->meta_num && isfinite(p->meta_num[k])) {
        jnum(f, p->meta_num[k]);
        return;
    }
    if (p->meta_val[k] && (strcmp(p->meta_key[k], "settings") == 0 || strcmp(p->meta_key[k], "phases") == 0)) {
        json_object *o = json_tokener_parse(p->meta_val[k]);
        if (o && json_object_is_type(o, json_type_object)) {
            fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
            json_object_put(o);
            return;
        }
        json_object_put(o);
    }
    jstr(f, p->meta_val[k]);
}

static void write_doc(FILE *f, const pl_plan *p)
{
    const pl_scenario *sc = p->sc;
    fputs("{\n  \"scenario\": ", f);
    jstr(f, sc->name);
    fputs(",\n  \"periods\": [", f);
    for (int t = 1; t <= sc->n_periods; t++) {
        const pl_period_kpi *k = &p->pk[t - 1];
        fprintf(f, "%s\n    {\"period\": ", t > 1 ? "," : "");
        jstr(f, sc->period_label[t - 1]);
        fprintf(f, ", \"period_index\": %d, \"period_date\": ", t);
        jstr(f, sc->period_date[t - 1]);
        fputs(", \"budget\": ", f);
        jnum(f, k->budget);
        fputs(", \"carry_in\": ", f);
        jnum(f, k->carry_in);
        fputs(", \"capex\": ", f);
        jnum(f, k->capex);
        fprintf(f, ", \"new_sites\": %d, \"upgrades\": %d, \"committed_sites\": %d, \"committed_capex\": ",
                k->new_sites, k->upgrades, k->committed_sites);
        jnum(f, k->committed_capex);
        fprintf(f, ", \"sites_on_air\": %d", k->sites_on_air);
        fputs(", \"demand_weight\": ", f);
        jnum(f, k->demand_weight);
        fputs(", \"covered_share\": ", f);
        jnum(f, k->covered_share);
        fputs(", \"on_time_share\": ", f);
        jnum(f, k->on_time_share);
        fprintf(f, ", \"appearing_demand\": %d, \"mean_lead_periods\": ", k->appearing);
        jnum(f, k->mean_lead);
        fprintf(f, ", \"over_early_sites\": %d}", k->over_early_sites);
    }
    fputs("\n  ],\n  \"plan_meta\": {", f);
    for (int k = 0; k < p->n_meta; k++) {
        fputs(k ? ",\n    " : "\n    ", f);
        jstr(f, p->meta_key[k]);
        fputs(": ", f);
        meta_value(f, p, k);
    }
    fputs("\n  }\n}\n", f);
}

/* Writes the JSON under a temporary name beside `path` (moved into place by
 * pl_json_commit once the plan itself is in place), so a failure here leaves
 * neither the plan nor the JSON behind. "-" renders it into memory for
 * standard output. */
int pl_json_prepare(pl_json_tmp *j, const pl_plan *p, const char *path, int overwrite, r5g_err *err)
{
    int rc = R5G_OK;
    FILE *f = NULL;
    memset(j, 0, sizeof *j);
    j->overwrite = overwrite;
    if (!strcmp(path, "-")) {
        f = open_memstream(&j->doc, &j->len);
        if (!f)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    } else {
        if ((rc = r5g_afile_new(&j->af, path, 0, err)))
            goto fail;
        f = fopen(r5g_afile_tmp(j->af), "wbx");
        if (!f) {
            rc = r5g_err_set(err, R5G_EIO, "--json: cannot write '%s': %s", path, strerror(errno));
            goto fail;
        }
    }
    write_doc(f, p);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        rc = j->doc ? r5g_err_set(err, R5G_ENOMEM, "out of memory")
                    : r5g_err_set(err, R5G_EIO, "--json: writing '%s' failed: %s", path,
                                  strerror(errno));
        goto fail;
    }
    return R5G_OK;
fail:
    pl_json_discard(j);
    return rc;
}

int pl_json_commit(pl_json_tmp *j, const char *path, r5g_err *err)
{
    (void)path; /* the temporary knows its target */
    int rc = R5G_OK;
    if (j->doc) {
        if (fwrite(j->doc, 1, j->len, stdout) != j->len || fflush(stdout) != 0)
            rc = r5g_err_set(err, R5G_EIO, "--json -: cannot write to standard output: %s",
                             strerror(errno));
    } else if (j->af && (rc = r5g_afile_commit(j->af, j->overwrite, err))) {
        r5g_err_prefix(err, "--json");
    }
    pl_json_discard(j);
    return rc;
}

void pl_json_discard(pl_json_tmp *j)
{
    r5g_afile_free(j->af); /* the temporary, unless moved into place, and its lock */
    free(j->doc);
    memset(j, 0, sizeof *j);
}
