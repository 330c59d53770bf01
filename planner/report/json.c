/* `plan --json FILE`: the per-period KPIs and plan_meta as one JSON document
 * for scripts, written under a temporary name and renamed into place. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "planner/report/report.h"

static void jstr(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f); /* UTF-8 passes through */
    }
    fputc('"', f);
}

static void jnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.15g", v);
    else
        fputs("null", f);
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
        fprintf(f, ", \"new_sites\": %d, \"upgrades\": %d, \"sites_on_air\": %d", k->new_sites,
                k->upgrades, k->sites_on_air);
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
        jstr(f, p->meta_val[k]);
    }
    fputs("\n  }\n}\n", f);
}

/* Writes the JSON under a temporary name beside `path` (renamed by
 * pl_json_commit once the plan itself is in place), so a failure here leaves
 * neither the plan nor the JSON behind. */
int pl_json_prepare(pl_json_tmp *j, const pl_plan *p, const char *path, r5g_err *err)
{
    j->tmp = r5g_asprintf("%s.tmp-%ld", path, (long)getpid());
    j->slot = -1;
    if (!j->tmp)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    FILE *f = fopen(j->tmp, "wb");
    if (!f) {
        int rc = r5g_err_set(err, R5G_EIO, "--json: cannot write '%s': %s", path, strerror(errno));
        pl_json_discard(j);
        return rc;
    }
    j->slot = r5g_cleanup_add(j->tmp, 0);
    write_doc(f, p);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        int rc = r5g_err_set(err, R5G_EIO, "--json: writing '%s' failed: %s", path, strerror(errno));
        pl_json_discard(j);
        return rc;
    }
    return 0;
}

int pl_json_commit(pl_json_tmp *j, const char *path, r5g_err *err)
{
    int rc = 0;
    if (rename(j->tmp, path) != 0)
        rc = r5g_err_set(err, R5G_EIO, "--json: cannot rename '%s' to '%s': %s", j->tmp, path,
                         strerror(errno));
    pl_json_discard(j);
    return rc;
}

void pl_json_discard(pl_json_tmp *j)
{
    if (!j->tmp)
        return;
    unlink(j->tmp); /* nothing there after a successful rename */
    if (j->slot >= 0)
        r5g_cleanup_drop(j->slot);
    free(j->tmp);
    j->tmp = NULL;
    j->slot = -1;
}
