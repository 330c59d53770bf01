/* Unit tests of the hard rules, targets, min_cost and capacity of solver/
 * (issue 4), each on an instance small enough to solve by hand; the optimum
 * is worked out in the comment above each test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/sol.h"
#include "tests/sol_fixture.h"

static sol_input base(int T, int S, const double *capex, const double *budget, int D, const double *w,
                      const csr *c)
{
    return fixture_input(T, S, capex, budget, D, w, c, 1);
}

/* Solves with presolve on and off; checks the objective and the plan. */
static void expect(const sol_input *in0, double objective, const int *build)
{
    for (int mode = 0; mode < 2; mode++) {
        sol_input in = *in0;
        in.presolve = mode;
        sol_result res;
        r5g_err err = {0};
        int rc = sol_solve(&res, &in, &err);
        if (rc)
            print_error("sol_solve: %s\n", err.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(res.status, SOL_OPTIMAL);
        if (fabs(res.objective - objective) > 1e-6)
            print_error("objective %.9g, expected %.9g\n", res.objective, objective);
        assert_true(fabs(res.objective - objective) < 1e-6);
        for (int s = 0; build && s < in.n_sites; s++) {
            if (res.build_period[s] != build[s])
                print_error("site %d: build period %d, expected %d\n", s, res.build_period[s], build[s]);
            assert_int_equal(res.build_period[s], build[s]);
        }
        sol_result_free(&res);
    }
}

static void expect_infeasible(const sol_input *in)
{
    sol_result res;
    r5g_err err = {0};
    assert_int_equal(sol_solve(&res, in, &err), R5G_EINFEASIBLE);
}

/* On time (hard rule). One period, budget 1, sites cost 1: site 0 covers p0
 * (weight 10), site 1 covers p1 (weight 1). Without the rule the best plan is
 * site 0 (10). With p1 due in period 1 the only feasible plan is site 1 (1). */
static void test_due(void **state)
{
    (void)state;
    const double capex[] = {1, 1}, budget[] = {1}, w[] = {10, 1};
    const int lists[] = {0, -1, 1, -1};
    csr c;
    csr_build(&c, 2, lists);
    sol_input in = base(1, 2, capex, budget, 2, w, &c);
    expect(&in, 10, (const int[]){1, 0});
    const int due[] = {0, 1};
    in.due = due;
    expect(&in, 1, (const int[]){0, 1});
    /* due in period 2 of 2 with the budget 1 + 1: both sites, site 0 first
     * (credited twice: 10 + 10) and site 1 in period 2 (1): 21 */
    const double budget2[] = {1, 1};
    sol_input in2 = base(2, 2, capex, budget2, 2, w, &c);
    const int due2[] = {0, 2};
    in2.due = due2;
    expect(&in2, 21, (const int[]){1, 2});
    /* due in period 1: site 1 first, site 0 in period 2: 1 + 1 + 10 = 12 */
    const int due1[] = {0, 1};
    in2.due = due1;
    expect(&in2, 12, (const int[]){2, 1});
    /* p1 due in period 1 but site 1 may only be built from period 2 */
    const int earliest[] = {1, 2};
    in2.earliest = earliest;
    expect_infeasible(&in2);
}

/* The explanation of an infeasible on-time rule. Three points due in period 1,
 * each covered by its own site of capex 2, a fourth point covered by nothing;
 * budget 3 in period 1. The LP needs all three sites: 6 > 3. */
static void test_explain_due(void **state)
{
    (void)state;
    const double capex[] = {2, 2, 2}, budget[] = {3, 10}, w[] = {1, 1, 1, 1};
    const int lists[] = {0, -1, 1, -1, 2, -1, -1};
    csr c;
    csr_build(&c, 4, lists);
    sol_input in = base(2, 3, capex, budget, 4, w, &c);
    const int due[] = {1, 1, 1, 1};
    in.due = due;
    expect_infeasible(&in);
    sol_why *why = NULL;
    int n = 0;
    r5g_err err = {0};
    assert_int_equal(sol_explain(&why, &n, &in, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(why[0].kind, SOL_WHY_DUE);
    assert_int_equal(why[0].period, 1);
    assert_int_equal(why[0].n_points, 4);
    assert_int_equal(why[0].n_uncoverable, 1);
    assert_int_equal(why[0].points[0], 3); /* the uncoverable one first */
    assert_true(fabs(why[0].need_capex - 6) < 1e-9);
    assert_true(fabs(why[0].have_capex - 3) < 1e-9);
    sol_why_free(why, n);

    /* build limit: one site per period, two due by period 1 */
    const int due2[] = {1, 1, 0, 0};
    const int lim[] = {1, 1};
    const double budget_big[] = {100, 100};
    sol_input in2 = base(2, 3, capex, budget_big, 4, w, &c);
    in2.due = due2;
    in2.max_new = lim;
    expect_infeasible(&in2);
    assert_int_equal(sol_explain(&why, &n, &in2, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(why[0].need_sites, 2);
    assert_int_equal(why[0].have_sites, 1);
    sol_why_free(why, n);
}

/* min_cost with a coverage target. Sites: A (capex 5) covers p0 and p1, B
 * (capex 2) covers p0, C (capex 2) covers p1. Weights 1. Covering both
 * points: B + C = 4 < A = 5. Covering one (rhs 1): 2 with B (ties: the
 * lower index is not promised, so only the cost is checked). */
static void test_min_cost_coverage(void **state)
{
    (void)state;
    const double capex[] = {5, 2, 2}, w[] = {1, 1};
    const int lists[] = {0, 1, -1, 0, 2, -1};
    csr c;
    csr_build(&c, 2, lists);
    sol_input in = base(1, 3, capex, NULL, 2, w, &c);
    in.min_cost = 1;
    sol_target tg = {.kind = SOL_TARGET_DEMAND, .period = 1, .coef = w, .rhs = 2};
    in.n_targets = 1;
    in.targets = &tg;
    expect(&in, 4, (const int[]){0, 1, 1});
    tg.rhs = 1;
    expect(&in, 2, NULL);
    /* a budget of 3 cannot pay B + C nor A: infeasible; the explanation: the
     * LP bound is 4 (B + C), 1 more than the budget */
    tg.rhs = 2;
    const double budget[] = {3};
    in.budget = budget;
    expect_infeasible(&in);
    sol_why *why;
    int n;
    r5g_err err = {0};
    assert_int_equal(sol_explain(&why, &n, &in, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(why[0].kind, SOL_WHY_TARGET);
    assert_int_equal(why[0].target, 0);
    assert_true(fabs(why[0].need_capex - 4) < 1e-9);
    assert_true(fabs(why[0].have_capex - 3) < 1e-9);
    sol_why_free(why, n);
    /* unreachable: rhs 3 > the total weight 2 */
    tg.rhs = 3;
    in.budget = NULL;
    expect_infeasible(&in);
    assert_int_equal(sol_explain(&why, &n, &in, &err), 0);
    assert_int_equal(n, 1);
    assert_true(fabs(why[0].reachable - 2) < 1e-9);
    sol_why_free(why, n);
}

/* Discounting: one site of capex 10, the target is in period 2 of 2 and the
 * period factors are 1, 0.5: building in period 2 costs 5 (in period 1: 10). */
static void test_min_cost_discount(void **state)
{
    (void)state;
    const double capex[] = {10}, w[] = {1}, pf[] = {1, 0.5};
    const int lists[] = {0, -1};
    csr c;
    csr_build(&c, 1, lists);
    sol_input in = base(2, 1, capex, NULL, 1, w, &c);
    in.min_cost = 1;
    in.period_factor = pf;
    sol_target tg = {.kind = SOL_TARGET_DEMAND, .period = 2, .coef = w, .rhs = 1};
    in.n_targets = 1;
    in.targets = &tg;
    expect(&in, 5, (const int[]){2});
    tg.period = 1;
    expect(&in, 10, (const int[]){1});
}

/* A sector target counts only its points: sector points p0, p1 (coef 1),
 * other point p2 (coef 0). Site 0 (capex 1) covers p2 only, site 1 (capex 3)
 * covers p0, site 2 (capex 3) covers p1. Target: both sector points -> 6. */
static void test_min_cost_sector(void **state)
{
    (void)state;
    const double capex[] = {1, 3, 3}, w[] = {1, 1, 5}, coef[] = {1, 1, 0};
    const int lists[] = {1, -1, 2, -1, 0, -1};
    csr c;
    csr_build(&c, 3, lists);
    sol_input in = base(1, 3, capex, NULL, 3, w, &c);
    in.min_cost = 1;
    sol_target tg = {.kind = SOL_TARGET_DEMAND, .period = 1, .coef = coef, .rhs = 2};
    in.n_targets = 1;
    in.targets = &tg;
    expect(&in, 6, (const int[]){0, 1, 1});
}

/* Density: group 0 has new sites 0, 1, 2 (capex 3, 1, 2) and existing site 3;
 * site 4 (group 1, capex 0.5) does not count. 3 sites on air in group 0 by
 * period 1: the existing one plus the two cheapest, 1 + 2 = 3. */
static void test_min_cost_density(void **state)
{
    (void)state;
    const double capex[] = {3, 1, 2, 0, 0.5}, w[] = {1};
    const unsigned char existing[] = {0, 0, 0, 1, 0};
    const int group[] = {0, 0, 0, 0, 1};
    const int lists[] = {0, 1, 2, 3, 4, -1};
    csr c;
    csr_build(&c, 1, lists);
    sol_input in = base(1, 5, capex, NULL, 1, w, &c);
    in.existing = existing;
    in.site_group = group;
    in.min_cost = 1;
    sol_target tg = {.kind = SOL_TARGET_SITES, .period = 1, .group = 0, .rhs = 3};
    in.n_targets = 1;
    in.targets = &tg;
    expect(&in, 3, (const int[]){0, 1, 1, 1, 0});
    /* 5 sites cannot be reached: 4 in the group */
    tg.rhs = 5;
    expect_infeasible(&in);
    sol_why *why;
    int n;
    r5g_err err = {0};
    assert_int_equal(sol_explain(&why, &n, &in, &err), 0);
    assert_int_equal(n, 1);
    assert_true(fabs(why[0].reachable - 4) < 1e-9);
    sol_why_free(why, n);
}

/* Targets also bind max_coverage: site 0 (capex 1) covers p0 (weight 10),
 * site 1 (capex 1) covers p1 (weight 1), budget 1. With the target "p1
 * covered" (coef 0, 1; rhs 1) the plan must be site 1: objective 1. */
static void test_max_coverage_target(void **state)
{
    (void)state;
    const double capex[] = {1, 1}, budget[] = {1}, w[] = {10, 1}, coef[] = {0, 1};
    const int lists[] = {0, -1, 1, -1};
    csr c;
    csr_build(&c, 2, lists);
    sol_input in = base(1, 2, capex, budget, 2, w, &c);
    sol_target tg = {.kind = SOL_TARGET_DEMAND, .period = 1, .coef = coef, .rhs = 1};
    in.n_targets = 1;
    in.targets = &tg;
    expect(&in, 1, (const int[]){0, 1});
}

/* Capacity. Site 0 (capacity 10) covers p0 (weight 5, traffic 8) and p1
 * (weight 3, traffic 8); site 1 (capacity 10) covers p1 only. Capex 1 each.
 * Budget 1: site 0 serves p0 fully and 2/8 of p1: 5 + 0.75 = 5.75 (site 1
 * alone: 3). Budget 2: both, everything served: 8. Without capacity, budget 1
 * gives 8 with site 0. */
static void test_capacity(void **state)
{
    (void)state;
    const double capex[] = {1, 1}, budget1[] = {1}, budget2[] = {2}, w[] = {5, 3};
    const double cap[] = {10, 10}, traffic[] = {8, 8};
    const int lists[] = {0, -1, 0, 1, -1};
    csr c;
    csr_build(&c, 2, lists);
    sol_input in = base(1, 2, capex, budget1, 2, w, &c);
    expect(&in, 8, (const int[]){1, 0});
    in.site_cap = cap;
    in.traffic = traffic;
    expect(&in, 5.75, (const int[]){1, 0});
    in.budget = budget2;
    expect(&in, 8, (const int[]){1, 1});
    /* the plan {site 0} served after the fact (sol_serve): p0 1, p1 0.25 */
    in.budget = budget1;
    double served[2];
    r5g_err err = {0};
    assert_int_equal(sol_serve(served, &in, (const int[]){1, 0}, &err), 0);
    assert_true(fabs(served[0] - 1) < 1e-9);
    assert_true(fabs(served[1] - 0.25) < 1e-9);
    /* per-pair rows: with site 1 only, p0 (not in range of site 1) gets nothing */
    assert_int_equal(sol_serve(served, &in, (const int[]){0, 1}, &err), 0);
    assert_true(fabs(served[0]) < 1e-9);
    assert_true(fabs(served[1] - 1) < 1e-9);
    /* an existing site with capacity 4 covering p0: still one site to build;
     * site 0 gives p0 8 of capacity and p1 2: the existing one takes 4 of p0,
     * site 0 the other 4 of p0 and 6 of p1: 5 + 3 * 6/8 = 7.25 */
    const double capex3[] = {1, 1, 0}, cap3[] = {10, 10, 4};
    const unsigned char ex3[] = {0, 0, 1};
    const int lists3[] = {0, 2, -1, 0, 1, -1};
    csr c3;
    csr_build(&c3, 2, lists3);
    sol_input in3 = base(1, 3, capex3, budget1, 2, w, &c3);
    in3.existing = ex3;
    in3.site_cap = cap3;
    in3.traffic = traffic;
    expect(&in3, 7.25, (const int[]){1, 0, 1});
}

/* Bad extension input is refused before GLPK. */
/* Capacity and the merging of points with the same sites. One site (capacity
 * 10, the budget buys it) covers p0 (weight 10, traffic 10) and p1 (weight
 * 1, traffic 10): it serves p0 in full, 10. Merged into one group (weight
 * 11, traffic 20) the site could serve only half of both, 5.5: points that
 * load the sites differently must not merge. p2 and p3 (weight 2 and 3, no
 * traffic) are served in full wherever covered and merge freely: + 5 = 15.
 * Two identical points (weight 4, traffic 5 each) merge exactly: the site
 * (capacity 10) serves both, 8. */
static void test_capacity_merge(void **state)
{
    (void)state;
    const double capex[] = {1}, budget[] = {1}, w[] = {10, 1, 2, 3}, cap[] = {10}, traffic[] = {10, 10, 0, 0};
    const int lists[] = {0, -1, 0, -1, 0, -1, 0, -1};
    csr c;
    csr_build(&c, 4, lists);
    sol_input in = base(1, 1, capex, budget, 4, w, &c);
    in.site_cap = cap;
    in.traffic = traffic;
    expect(&in, 15, (const int[]){1});
    const double w2[] = {4, 4}, traffic2[] = {5, 5};
    sol_input in2 = base(1, 1, capex, budget, 2, w2, &c);
    in2.site_cap = cap;
    in2.traffic = traffic2;
    expect(&in2, 8, (const int[]){1});
}

static void test_bad_rules(void **state)
{
    (void)state;
    const double capex[] = {1}, w[] = {1};
    const int lists[] = {0, -1};
    csr c;
    csr_build(&c, 1, lists);
    sol_input in = base(1, 1, capex, NULL, 1, w, &c);
    const int due[] = {2};
    in.due = due;
    sol_result res;
    r5g_err err = {0};
    assert_int_equal(sol_solve(&res, &in, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "due[0] = 2"));
    in.due = NULL;
    sol_target tg = {.kind = SOL_TARGET_SITES, .period = 1, .group = 0, .rhs = 1};
    in.n_targets = 1;
    in.targets = &tg;
    assert_int_equal(sol_solve(&res, &in, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "site_group is NULL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_explain_due),
        cmocka_unit_test(test_min_cost_coverage),
        cmocka_unit_test(test_min_cost_discount),
        cmocka_unit_test(test_min_cost_sector),
        cmocka_unit_test(test_min_cost_density),
        cmocka_unit_test(test_max_coverage_target),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_capacity_merge),
        cmocka_unit_test(test_bad_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
