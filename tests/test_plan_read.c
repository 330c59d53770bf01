/* The plan result type round trip: the default scenario planned in memory
 * (pl_plan_compute), written (GeoPackage, and folders of GeoJSON and
 * Shapefile layers), read back (pl_plan_read): every site's and demand
 * point's values, the per-period KPIs recomputed from the read arrays, the
 * objective and plan_meta are the same as in memory. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "geo/geo.h"
#include "planner/plan.h"
#include "planner/plan_result.h"
#include "planner/report/report.h"
#include "planner/scenario/scenario.h"
#include "planner/scenario/settings.h"

typedef struct fixture {
    geo_ctx *geo;
    pl_plan *plan;
    char dir[64];
} fixture;

static int setup(void **state)
{
    const char *top = getenv("top_srcdir");
    if (!top)
        top = ".";
    fixture *f = calloc(1, sizeof *f);
    r5g_err err = {0};
    char *path = r5g_asprintf("%s/scenarios/yrd-demo/scenario.yaml", top);
    pl_scenario *sc = NULL;
    r5g_log_set_level(R5G_LOG_ERROR);
    if (!f || !path || pl_scenario_load(&sc, path, &err) || geo_ctx_new(&f->geo, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    pl_plan_opts opts = {.scenario_path = path};
    int rc = pl_plan_compute(&f->plan, &sc, f->geo, &opts, NULL, &err);
    free(path);
    if (rc) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/r5g-test-plan-read.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "teardown: could not remove %s\n", f->dir);
    pl_plan_free(f->plan);
    geo_ctx_free(f->geo);
    free(f);
    return 0;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* NULL and '' alike (CSV and DBF write a NULL text as '') */
static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void write_plan(fixture *f, const char *path, const char *format)
{
    r5g_err err = {0};
    geo_out *out = NULL;
    assert_int_equal(geo_out_open(&out, f->geo, path, format, f->plan->crs, NULL, 1, &err), 0);
    pl_writer w = {.out = out, .p = f->plan};
    if (pl_output_write(&w, &err) || geo_out_commit(out, &err))
        fail_msg("writing %s: %s", path, err.msg);
    geo_out_free(out);
}

static void check_round_trip(fixture *f, const char *name, const char *format)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    write_plan(f, path, format);
    r5g_err err = {0};
    pl_plan *q = NULL;
    if (pl_plan_read(&q, f->geo, path, &err))
        fail_msg("reading %s: %s", path, err.msg);
    const pl_plan *p = f->plan;
    /* the settings came from plan_meta `settings`, not from period_kpi (which has no layers) */
    assert_true(q->sc->demand.present && q->sc->max_new_sites && q->sc->n_bands == p->sc->n_bands);
    assert_int_equal(q->sc->max_new_sites[0], p->sc->max_new_sites[0]);
    assert_int_equal(q->ns, p->ns);
    assert_int_equal(q->nd, p->nd);
    assert_int_equal(q->nr, p->nr);
    assert_int_equal(q->sc->n_periods, p->sc->n_periods);
    for (int t = 0; t < p->sc->n_periods; t++) {
        assert_string_equal(q->sc->period_label[t], p->sc->period_label[t]);
        assert_string_equal(q->sc->period_date[t], p->sc->period_date[t]);
        assert_true(q->sc->budget[t] == p->sc->budget[t]);
    }
    int built = 0;
    for (size_t s = 0; s < p->ns; s++) {
        assert_string_equal(q->s_id[s], p->s_id[s]);
        assert_true(same_text(q->s_name[s], p->s_name[s]));
        assert_int_equal(q->s_kind[s], p->s_kind[s]);
        assert_int_equal(q->s_on_air[s], p->s_on_air[s]);
        assert_string_equal(q->sc->bands[q->s_band[s]].name, p->sc->bands[p->s_band[s]].name);
        assert_true(same_str(pl_plan_region_id(q, q->s_region[s]), pl_plan_region_id(p, p->s_region[s])));
        assert_true(fabs(q->s_capex[s] - p->s_capex[s]) < 1e-6);
        assert_true(fabs(q->s_x[s] - p->s_x[s]) < 1e-3 && fabs(q->s_y[s] - p->s_y[s]) < 1e-3);
        built += p->s_kind[s] != PL_KIND_EXISTING && p->s_on_air[s] > 0;
    }
    assert_true(built > 50); /* the default plan builds 127 - 8 sites: a real comparison */
    int named = 0;
    for (size_t j = 0; j < p->nd; j++) {
        assert_string_equal(q->d_id[j], p->d_id[j]);
        assert_true(same_str(q->d_sector[j], p->d_sector[j]));
        if (!same_text(q->d_name[j], p->d_name[j]))
            fail_msg("%s: demand %s: name read back as '%s', written '%s'", name, p->d_id[j],
                     q->d_name[j] ? q->d_name[j] : "(null)", p->d_name[j] ? p->d_name[j] : "(null)");
        named += p->d_name[j] && p->d_name[j][0];
        assert_int_equal(q->d_white[j], p->d_white[j]);
        assert_int_equal(q->d_period[j], p->d_period[j]);
        assert_int_equal(q->d_cov[j], p->d_cov[j]);
        assert_true(fabs(q->d_eff[j] - p->d_eff[j]) < 1e-9 * (1 + p->d_eff[j]));
        assert_true(same_str(q->d_serving[j] >= 0 ? q->s_id[q->d_serving[j]] : NULL,
                             p->d_serving[j] >= 0 ? p->s_id[p->d_serving[j]] : NULL));
        if (p->d_serving[j] >= 0)
            assert_true(fabs(q->d_dist[j] - p->d_dist[j]) < 0.01);
        assert_true(same_str(pl_plan_region_id(q, q->d_region[j]), pl_plan_region_id(p, p->d_region[j])));
    }
    assert_int_equal(named, (int)p->nd); /* every point of the default scenario has a name */
    for (int t = 0; t < p->sc->n_periods; t++) {
        const pl_period_kpi *a = &p->pk[t], *b = &q->pk[t];
        assert_true(fabs(a->capex - b->capex) < 1e-6);
        assert_int_equal(a->new_sites, b->new_sites);
        assert_int_equal(a->upgrades, b->upgrades);
        assert_int_equal(a->sites_on_air, b->sites_on_air);
        assert_true(fabs(a->covered_share - b->covered_share) < 1e-12);
        assert_true(fabs(a->on_time_share - b->on_time_share) < 1e-12);
        assert_true(fabs(a->carry_in - b->carry_in) < 1e-6);
    }
    assert_true(fabs(q->objective - p->objective) < 1e-9 * p->objective);
    assert_true(fabs(q->bound - p->bound) < 1e-6 * p->bound);
    assert_string_equal(q->solve.status, p->solve.status);
    assert_int_equal(q->n_meta, p->n_meta);
    for (int k = 0; k < p->n_meta; k++) {
        assert_string_equal(q->meta_key[k], p->meta_key[k]);
        if (strcmp(p->meta_key[k], "settings") == 0) {
            /* GeoJSON stores JSON text as an object and GDAL re-serialises it:
             * the scenario rebuilt from the settings read back must write the
             * settings that were recorded */
            char *again = NULL;
            if (pl_settings_json(&again, q->sc, NULL, &err))
                fail_msg("%s: %s", name, err.msg);
            if (strcmp(again, p->meta_val[k]) != 0)
                fail_msg("%s: the settings read back give\n%s\nrecorded\n%s", name, again, p->meta_val[k]);
            free(again);
            continue;
        }
        if (!same_str(q->meta_val[k], p->meta_val[k]))
            fail_msg("%s: plan_meta %s read back as '%s', written '%s'", name, p->meta_key[k],
                     q->meta_val[k] ? q->meta_val[k] : "NULL", p->meta_val[k] ? p->meta_val[k] : "NULL");
    }
    pl_plan_free(q);
}

/* A plan from before plan_meta recorded its settings: periods and budgets
 * come back from period_kpi, the rest from the scalar plan_meta rows. */
static void test_without_settings(void **state)
{
    fixture *f = *state;
    int k = 0;
    while (k < f->plan->n_meta && strcmp(f->plan->meta_key[k], "settings") != 0)
        k++;
    assert_true(k < f->plan->n_meta);
    char *key = f->plan->meta_key[k];
    f->plan->meta_key[k] = "old_plan_has_no_settings";
    char path[128];
    snprintf(path, sizeof path, "%s/old.gpkg", f->dir);
    write_plan(f, path, "GPKG");
    f->plan->meta_key[k] = key;
    r5g_err err = {0};
    pl_plan *q = NULL;
    if (pl_plan_read(&q, f->geo, path, &err))
        fail_msg("reading %s: %s", path, err.msg);
    const pl_plan *p = f->plan;
    assert_false(q->sc->demand.present); /* not rebuilt from settings */
    assert_int_equal(q->sc->n_periods, p->sc->n_periods);
    for (int t = 0; t < p->sc->n_periods; t++) {
        assert_string_equal(q->sc->period_label[t], p->sc->period_label[t]);
        assert_true(q->sc->budget[t] == p->sc->budget[t]);
        assert_true(fabs(q->pk[t].covered_share - p->pk[t].covered_share) < 1e-12);
    }
    assert_int_equal(q->sc->lead_periods, p->sc->lead_periods);
    assert_int_equal(q->sc->max_lead_periods, p->sc->max_lead_periods);
    assert_true(fabs(q->objective - p->objective) < 1e-9 * p->objective);
    pl_plan_free(q);
}

static void test_gpkg(void **state) { check_round_trip(*state, "plan.gpkg", "GPKG"); }
static void test_geojson_folder(void **state) { check_round_trip(*state, "plan-geojson", "GeoJSON"); }
static void test_shapefile_folder(void **state) { check_round_trip(*state, "plan-shp", "ESRI Shapefile"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpkg),
        cmocka_unit_test(test_without_settings),
        cmocka_unit_test(test_geojson_folder),
        cmocka_unit_test(test_shapefile_folder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
