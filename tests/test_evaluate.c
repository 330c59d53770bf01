/* pl_plan_evaluate: the default scenario's plan, made by the pipeline
 * (pl_plan_compute), evaluated again from its site ids and build periods
 * alone gives exactly the same KPIs, covered periods, serving sites,
 * over-early flags and objective; the per-site earliest demand gives the
 * same over-early flags as the KPI code; a target's left side is the
 * covered weight summed here; unknown and repeated ids are recorded; a
 * period out of range is an input error; an input's checksum is its
 * file's SHA-256 when it is one file. */
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

#include "common/sha256.h"
#include "geo/geo.h"
#include "planner/pipeline/evaluate.h"
#include "planner/plan.h"
#include "planner/plan_result.h"
#include "planner/scenario/scenario.h"

typedef struct fixture {
    geo_ctx *geo;
    pl_plan *plan;
    char *path;
} fixture;

static int setup(void **state)
{
    const char *top = getenv("top_srcdir");
    fixture *f = calloc(1, sizeof *f);
    r5g_err err = {0};
    pl_scenario *sc = NULL;
    r5g_log_set_level(R5G_LOG_ERROR);
    if (!f || !(f->path = r5g_asprintf("%s/scenarios/yrd-demo/scenario.yaml", top ? top : ".")) ||
        pl_scenario_load(&sc, f->path, &err) || geo_ctx_new(&f->geo, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    pl_plan_opts opts = PL_PLAN_OPTS_INIT;
    opts.scenario_path = f->path;
    if (pl_plan_compute(&f->plan, &sc, f->geo, &opts, NULL, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pl_plan_free(f->plan);
    geo_ctx_free(f->geo);
    free(f->path);
    free(f);
    return 0;
}

static pl_eval *evaluate(fixture *f, const pl_override *ov, int n_ov, const char *const *ids, const int *bp,
                         size_t n)
{
    pl_scenario *sc = NULL;
    pl_eval *e = NULL;
    r5g_err err = {0};
    if (pl_scenario_load_ex(&sc, f->path, ov, n_ov, &err) || pl_plan_evaluate(&e, &sc, f->geo, ids, bp, n, &err))
        fail_msg("evaluate: %s", err.msg);
    assert_null(sc); /* taken */
    return e;
}

static void test_same_as_pipeline(void **state)
{
    fixture *f = *state;
    const pl_plan *p = f->plan;
    pl_eval *e = evaluate(f, NULL, 0, p->s_id, p->s_on_air, p->ns);
    const pl_plan *q = e->plan;
    assert_int_equal(e->n_unknown, 0);
    assert_int_equal(e->n_dup, 0);
    assert_string_equal(q->solve.status, "given");
    assert_true(isnan(q->bound) && isnan(q->gap));
    assert_int_equal(q->ns, p->ns);
    assert_int_equal(q->nd, p->nd);
    int built = 0;
    for (size_t s = 0; s < p->ns; s++) {
        assert_string_equal(q->s_id[s], p->s_id[s]);
        assert_int_equal(q->s_on_air[s], p->s_on_air[s]);
        assert_int_equal(q->s_over_early[s], p->s_over_early[s]);
        assert_int_equal(q->s_served[s], p->s_served[s]);
        built += p->s_kind[s] != PL_KIND_EXISTING && p->s_on_air[s] > 0;
    }
    assert_true(built > 50); /* a real plan, not an empty one */
    for (size_t j = 0; j < p->nd; j++) {
        assert_int_equal(q->d_cov[j], p->d_cov[j]);
        assert_int_equal(q->d_serving[j], p->d_serving[j]);
        /* without capacity, service is coverage: the first covering period is the covered period */
        assert_int_equal(e->d_first[j], p->d_cov[j]);
    }
    for (int t = 0; t < p->sc->n_periods; t++) {
        const pl_period_kpi *a = &p->pk[t], *b = &q->pk[t];
        assert_true(a->capex == b->capex && a->carry_in == b->carry_in && a->budget == b->budget);
        assert_int_equal(a->new_sites, b->new_sites);
        assert_int_equal(a->upgrades, b->upgrades);
        assert_int_equal(a->sites_on_air, b->sites_on_air);
        assert_int_equal(a->over_early_sites, b->over_early_sites);
        assert_true(a->covered_share == b->covered_share && a->on_time_share == b->on_time_share);
        assert_true(a->demand_weight == b->demand_weight);
    }
    assert_true(q->objective == p->objective);
    /* over-early from the earliest demand in range, as verify judges it, is the KPI code's flag */
    int M = p->sc->max_lead_periods;
    for (size_t s = 0; s < p->ns; s++) {
        int b = p->s_kind[s] == PL_KIND_EXISTING ? 0 : p->s_on_air[s], a = e->s_min_appear[s];
        int credit = a - M < 1 ? 1 : a - M;
        int early = b > 0 && (a == 0 || b < credit);
        assert_int_equal(early, p->s_over_early[s]);
    }
    pl_eval_free(e);
}

static void test_target_lhs(void **state)
{
    fixture *f = *state;
    const pl_plan *p = f->plan;
    pl_override ov[] = {{"targets.coverage_share", "{2028: 0.5}", "test"}};
    pl_eval *e = evaluate(f, ov, 1, p->s_id, p->s_on_air, p->ns);
    assert_int_equal(e->n_tg, 1);
    const pl_eval_target *g = &e->tg[0];
    assert_int_equal(g->type, 0);
    assert_int_equal(g->period, 3);
    double total = 0, covered = 0;
    for (size_t j = 0; j < p->nd; j++) {
        if (p->d_period[j] > 3)
            continue;
        total += p->d_eff[j];
        if (p->d_cov[j] > 0 && p->d_cov[j] <= 3)
            covered += p->d_eff[j];
    }
    assert_true(total > 0 && covered > 0);
    assert_true(fabs(g->total - total) < 1e-9 * total);
    assert_true(fabs(g->lhs - covered) < 1e-9 * total);
    assert_true(fabs(g->rhs - 0.5 * total) < 1e-9 * total);
    pl_eval_free(e);
}

static void test_unknown_and_repeated(void **state)
{
    fixture *f = *state;
    const pl_plan *p = f->plan;
    size_t s = 0;
    while (p->s_kind[s] == PL_KIND_EXISTING)
        s++;
    const char *ids[] = {"NO-SUCH-SITE", p->s_id[s], p->s_id[s], NULL};
    int bp[] = {1, 2, 1, 1};
    pl_eval *e = evaluate(f, NULL, 0, ids, bp, 4);
    assert_int_equal(e->n_unknown, 2); /* an unknown id and a row without one */
    assert_int_equal(e->unknown[0], 0);
    assert_int_equal(e->unknown[1], 3);
    assert_int_equal(e->n_dup, 1);
    assert_int_equal(e->dup[0], 2);
    assert_int_equal(e->plan->s_on_air[s], 2); /* the first row counts */
    for (size_t k = 0; k < p->ns; k++) /* the rest is not built, existing sites are on air */
        if (k != s)
            assert_int_equal(e->plan->s_on_air[k], p->s_kind[k] == PL_KIND_EXISTING ? 1 : 0);
    pl_eval_free(e);
}

static void test_period_out_of_range(void **state)
{
    fixture *f = *state;
    const pl_plan *p = f->plan;
    const char *ids[] = {p->s_id[0]};
    int bp[] = {p->sc->n_periods + 1};
    pl_scenario *sc = NULL;
    pl_eval *e = NULL;
    r5g_err err = {0};
    assert_int_equal(pl_scenario_load(&sc, f->path, &err), 0);
    assert_int_equal(pl_plan_evaluate(&e, &sc, f->geo, ids, bp, 1, &err), R5G_EINPUT);
    assert_null(e);
    char want[128];
    snprintf(want, sizeof want, "site %s: build period %d is not 0 (not built) to %d", p->s_id[0],
             p->sc->n_periods + 1, p->sc->n_periods);
    assert_string_equal(err.msg, want);
}

static void test_input_sha256_one_file(void **state)
{
    fixture *f = *state;
    char sha[65], want[65], *manifest = (char *)"unset";
    r5g_err err = {0};
    const char *src = f->plan->sc->demand.source; /* a GeoJSON file */
    assert_int_equal(pl_input_sha256(sha, &manifest, f->geo, src, &err), 0);
    assert_null(manifest);
    assert_int_equal(r5g_sha256_file(want, src, &err), 0);
    assert_string_equal(sha, want);
    assert_int_equal(pl_input_sha256(sha, &manifest, f->geo, "PG:dbname=nowhere", &err), 0);
    assert_string_equal(sha, ""); /* not a local file: no checksum */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_pipeline),
        cmocka_unit_test(test_target_lhs),
        cmocka_unit_test(test_unknown_and_repeated),
        cmocka_unit_test(test_period_out_of_range),
        cmocka_unit_test(test_input_sha256_one_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
