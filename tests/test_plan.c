/* Units of the planner that need no GIS: KPIs recomputed from a plan (on a
 * case small enough to work out by hand) and SHA-256 (FIPS 180-4 vectors). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"
#include "planner/pipeline/run.h"

static void sha_of(const char *s, size_t repeat, char hex[65])
{
    r5g_sha256 c;
    r5g_sha256_init(&c);
    for (size_t i = 0; i < repeat; i++)
        r5g_sha256_update(&c, s, strlen(s));
    r5g_sha256_hex(&c, hex);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    sha_of("", 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_of("abc", 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha_of("a", 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Two periods; sites: S0 existing, S1 new built in period 2 (capex 10), S2 an
 * upgrade built in period 1 (capex 4). Demand (effective weight, appears):
 *   D0 (1, t1) covered by S0            -> first covered 1, on time (due 1)
 *   D1 (2, t2) covered by S1            -> first covered 2, late (due 1), lead 0
 *   D2 (3, t2) covered by S1 and S2     -> first covered 1 by S2, on time, lead +1
 *   D3 (4, t1) covered by nothing       -> never
 * lead L = 1, moderation M = 1, budgets 5 + 10 with carry-over.
 * Period 1: appeared weight D0 + D3 = 5, covered 1 -> 0.2; on time 1 -> 0.2.
 * Period 2: appeared 10, covered D0 + D1 + D2 = 6 -> 0.6; on time D0 + D2 = 4 -> 0.4.
 * Objective: credit from max(1, a - M): D0 t1..2 = 2, D1 t2 = 2, D2 t1..2 = 6 -> 10. */
typedef struct fixture {
    pl_scenario sc;
    pl_run r;
    char *labels[2];
    double budget[2];
    pl_kind kind[3];
    double capex[3];
    int build[3];
    const char *sid[3];
    int dperiod[4];
    double deff[4];
    size_t ptr[5];
    int32_t site[4];
    float dist[4];
} fixture;

static fixture *make_fixture(void)
{
    fixture *f = calloc(1, sizeof *f);
    f->labels[0] = "2026";
    f->labels[1] = "2027";
    f->budget[0] = 5;
    f->budget[1] = 10;
    f->sc = (pl_scenario){.n_periods = 2,
                          .period_label = f->labels,
                          .budget = f->budget,
                          .carry_over = 1,
                          .lead_periods = 1,
                          .max_lead_periods = 1};
    pl_kind kinds[3] = {PL_KIND_EXISTING, PL_KIND_NEW, PL_KIND_UPGRADE};
    double capex[3] = {0, 10, 4};
    int build[3] = {0, 2, 1};
    memcpy(f->kind, kinds, sizeof kinds);
    memcpy(f->capex, capex, sizeof capex);
    memcpy(f->build, build, sizeof build);
    f->sid[0] = "S0";
    f->sid[1] = "S1";
    f->sid[2] = "S2";
    int dp[4] = {1, 2, 2, 1};
    double de[4] = {1, 2, 3, 4};
    size_t ptr[5] = {0, 1, 2, 4, 4};
    int32_t site[4] = {0, 1, 1, 2};
    float dist[4] = {10, 20, 30, 40};
    memcpy(f->dperiod, dp, sizeof dp);
    memcpy(f->deff, de, sizeof de);
    memcpy(f->ptr, ptr, sizeof ptr);
    memcpy(f->site, site, sizeof site);
    memcpy(f->dist, dist, sizeof dist);
    pl_run *r = &f->r;
    r->sc = &f->sc;
    r->ns = 3;
    r->kind = f->kind;
    r->capex = f->capex;
    r->s_id = f->sid;
    r->res.build_period = f->build;
    r->res.objective = 10;
    r->res.bound = 10;
    r->nd = 4;
    r->d_period = f->dperiod;
    r->d_eff = f->deff;
    r->d_weight = f->deff;
    r->pairs = (geo_pairs){.n_demand = 4, .n_pairs = 4, .ptr = f->ptr, .site = f->site, .dist = f->dist};
    return f;
}

static void test_kpi_by_hand(void **state)
{
    (void)state;
    fixture *f = make_fixture();
    r5g_err err = {0};
    assert_int_equal(pl_kpi_compute(&f->r, &err), 0);
    pl_run *r = &f->r;
    assert_int_equal(r->cov_index[0], 1);
    assert_int_equal(r->cov_index[1], 2);
    assert_int_equal(r->cov_index[2], 1);
    assert_int_equal(r->cov_index[3], 0);
    assert_int_equal(r->serving[2], 2); /* S2 is on air first */
    assert_int_equal(r->serving[3], -1);
    assert_true(fabs(r->pk[0].covered_share - 0.2) < 1e-12);
    assert_true(fabs(r->pk[0].on_time_share - 0.2) < 1e-12);
    assert_true(fabs(r->pk[1].covered_share - 0.6) < 1e-12);
    assert_true(fabs(r->pk[1].on_time_share - 0.4) < 1e-12);
    assert_true(fabs(r->pk[0].capex - 4) < 1e-12);
    assert_true(fabs(r->pk[1].capex - 10) < 1e-12);
    assert_true(fabs(r->pk[1].carry_in - 1) < 1e-12); /* 5 - 4 */
    assert_int_equal(r->pk[0].upgrades, 1);
    assert_int_equal(r->pk[1].new_sites, 1);
    assert_int_equal(r->pk[0].sites_on_air, 2);
    assert_int_equal(r->pk[1].sites_on_air, 3);
    assert_int_equal(r->pk[1].appearing, 2);
    assert_true(fabs(r->pk[1].mean_lead - 0.5) < 1e-12); /* D1 0, D2 +1 */
    assert_true(fabs(r->kpi_objective - 10) < 1e-12);
    assert_true(r->kpi_gap < 1e-12);
    pl_kpi_free(r);
    free(f);
}

static void test_kpi_rejects_budget_violation(void **state)
{
    (void)state;
    fixture *f = make_fixture();
    f->capex[2] = 6; /* period 1 spends 6 > 5 */
    r5g_err err = {0};
    assert_int_equal(pl_kpi_compute(&f->r, &err), R5G_EINTERNAL);
    assert_non_null(strstr(err.msg, "over its budget"));
    pl_kpi_free(&f->r);
    free(f);
}

static void test_kpi_flags_over_early_site(void **state)
{
    (void)state;
    fixture *f = make_fixture();
    /* S1 only covers D1 (appears 2, credit from 1 with M = 1). With M = 0 its
     * credit starts in 2, so S1 built in 1 would be over-early. */
    f->sc.lead_periods = 0;
    f->sc.max_lead_periods = 0;
    f->build[1] = 1;
    f->build[2] = 0;
    f->budget[0] = 100;
    r5g_err err = {0};
    assert_int_equal(pl_kpi_compute(&f->r, &err), R5G_EINTERNAL);
    assert_non_null(strstr(err.msg, "over-early"));
    pl_kpi_free(&f->r);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_kpi_by_hand),
        cmocka_unit_test(test_kpi_rejects_budget_violation),
        cmocka_unit_test(test_kpi_flags_over_early_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
