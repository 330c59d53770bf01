/* Unit tests of the regional decomposition (solver/sol_decomp.c): small
 * provinces of independent cities under one budget and one build limit.
 *   - the decomposed solve reaches the undecomposed optimum (GLPK at gap 0),
 *     and the union of the regional plans is itself a plan keeping every
 *     rule, never better than that optimum and never worse than the plan it
 *     started from;
 *   - the plan is the same with 1, 2 and 3 workers, and with the regions
 *     packed and solved through a runner (as plan --mpi does);
 *   - committed sites and due rules survive the split;
 *   - a single city is cut into tiles, with the same guarantees, also after
 *     the other steps when its root LP does not fit;
 *   - the bound is never below the optimum;
 *   - a packed model is the same model; broken ones are refused. */
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
#include "solver/sol_int.h"

typedef struct prov {
    int T, S, D;
    double *capex, *w, budget[8], pf[8];
    int *cf, *earliest, *ptr, *site, *fixed, *due, max_new[8];
    sol_input in;
} prov;

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}
static double unit(uint64_t *s) { return (double)lcg(s) / 9007199254740992.0; }

/* K cities 100 km apart, each with sc sites and dc points on a 4 km square
 * (a site covers the points within 900 m), T periods, a carry-over (or not)
 * budget buying `share` of all capex per period, a build limit of `lim`
 * sites per period (< 0 none), points credited from a random period. */
static void prov_make(prov *p, int K, int sc, int dc, int T, double share, int carry, int lim, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->T = T;
    p->S = K * sc;
    p->D = K * dc;
    double *sx = malloc(p->S * sizeof *sx), *sy = malloc(p->S * sizeof *sy);
    p->capex = malloc(p->S * sizeof *p->capex);
    p->earliest = malloc(p->S * sizeof *p->earliest);
    p->fixed = calloc(p->S, sizeof *p->fixed);
    p->w = malloc(p->D * sizeof *p->w);
    p->cf = malloc(p->D * sizeof *p->cf);
    p->due = calloc(p->D, sizeof *p->due);
    p->ptr = calloc(p->D + 1, sizeof *p->ptr);
    p->site = malloc((size_t)p->D * sc * sizeof *p->site + 1);
    double total = 0;
    for (int s = 0; s < p->S; s++) {
        int k = s / sc;
        sx[s] = 100000.0 * k + 4000 * unit(&seed);
        sy[s] = 4000 * unit(&seed);
        p->capex[s] = 300 + 300 * unit(&seed);
        p->earliest[s] = 1;
        total += p->capex[s];
    }
    for (int j = 0; j < p->D; j++) {
        int k = j / dc;
        double px = 100000.0 * k + 4000 * unit(&seed), py = 4000 * unit(&seed);
        p->w[j] = 1 + 49 * unit(&seed) * unit(&seed);
        p->cf[j] = 1 + (int)(lcg(&seed) % (uint64_t)T);
        p->ptr[j + 1] = p->ptr[j];
        for (int s = k * sc; s < (k + 1) * sc; s++)
            if ((px - sx[s]) * (px - sx[s]) + (py - sy[s]) * (py - sy[s]) <= 900.0 * 900.0)
                p->site[p->ptr[j + 1]++] = s;
    }
    for (int t = 0; t < T; t++) {
        p->budget[t] = total * share;
        p->pf[t] = pow(1.08, -t);
        p->max_new[t] = lim;
    }
    free(sx);
    free(sy);
    sol_input in = SOL_INPUT_INIT;
    in.n_periods = T;
    in.n_sites = p->S;
    in.capex = p->capex;
    in.earliest = p->earliest;
    in.budget = p->budget;
    in.carry_over = carry;
    in.max_new = lim >= 0 ? p->max_new : NULL;
    in.n_demand = p->D;
    in.weight = p->w;
    in.credit_from = p->cf;
    in.period_factor = p->pf;
    in.cov_ptr = p->ptr;
    in.cov_site = p->site;
    in.time_limit_s = 0; /* work budgets only: the plan may not depend on the load */
    in.mip_gap = 0;
    p->in = in;
}

static void prov_free(prov *p)
{
    free(p->capex);
    free(p->earliest);
    free(p->fixed);
    free(p->w);
    free(p->cf);
    free(p->due);
    free(p->ptr);
    free(p->site);
}

/* The plan keeps every rule of in (budgets, limits, earliest, commitments, due). */
static int keeps_rules(const sol_input *in, const int *b)
{
    sol_model m;
    r5g_err err = {0};
    if (sol_model_init(&m, in, &err))
        return 0;
    int ok = sol_model_feasible(&m, b);
    for (int s = 0; s < in->n_sites; s++)
        if (in->fixed_build && in->fixed_build[s] && b[s] != in->fixed_build[s])
            ok = 0;
    sol_model_dispose(&m);
    return ok;
}

static void solve(sol_result *r, const sol_input *in)
{
    r5g_err err = {0};
    int rc = sol_solve(r, in, &err);
    if (rc)
        fail_msg("sol_solve: %d: %s", rc, err.msg);
}

/* A runner in this process (what plan --mpi does over MPI ranks): each
 * job's packed model is kept, and poll solves the last one submitted first
 * (so jobs finish out of order), through sol_solve_packed. */
typedef struct loopback {
    int n, job[4];
    unsigned char *model[4];
    size_t len[4];
    int submitted, cancels;
} loopback;

static int lb_submit(void *user, int job, const unsigned char *model, size_t len, r5g_err *err)
{
    loopback *lb = user;
    if (lb->n >= 2)
        return r5g_err_set(err, R5G_EINTERNAL, "loopback: more jobs than slots");
    lb->model[lb->n] = malloc(len);
    memcpy(lb->model[lb->n], model, len);
    lb->len[lb->n] = len;
    lb->job[lb->n++] = job;
    lb->submitted++;
    return 0;
}

static int lb_poll(void *user, int *job, unsigned char **reply, size_t *len, r5g_err *err)
{
    loopback *lb = user;
    if (lb->n == 0)
        return 0;
    int k = --lb->n;
    *job = lb->job[k];
    int rc = sol_solve_packed(reply, len, lb->model[k], lb->len[k], NULL, NULL);
    free(lb->model[k]);
    return rc ? r5g_err_set(err, rc, "loopback: sol_solve_packed %d", rc) : 1;
}

static void lb_cancel(void *user)
{
    loopback *lb = user;
    while (lb->n > 0)
        free(lb->model[--lb->n]);
    lb->cancels++;
}

/* decomposed against undecomposed, on models of several shapes */
static void check_case(prov *p, const char *what)
{
    sol_result a, d[3];
    sol_input in = p->in;
    in.decompose = 0;
    solve(&a, &in);
    assert_int_equal(a.status, SOL_OPTIMAL);
    assert_int_equal(a.regions, 0);
    for (int w = 0; w < 3; w++) {
        in.decompose = 1;
        in.workers = w + 1;
        solve(&d[w], &in);
        double tol = 1e-7 * fmax(1, fabs(a.objective));
        if (d[w].regions < 2)
            fail_msg("%s: %d regions: the cities were not split", what, d[w].regions);
        /* the union of the regional plans: a plan, at most the optimum */
        if (!(d[w].regions_objective <= a.objective + tol))
            fail_msg("%s: the regional plans score %.10g, above the optimum %.10g", what, d[w].regions_objective,
                     a.objective);
        /* the decomposed solve ends at the optimum, with a valid bound */
        if (fabs(d[w].objective - a.objective) > tol)
            fail_msg("%s, %d workers: decomposed %.10g, undecomposed optimum %.10g", what, w + 1, d[w].objective,
                     a.objective);
        assert_true(d[w].bound >= a.objective - tol);
        assert_true(keeps_rules(&p->in, d[w].build_period));
        if (w > 0 && memcmp(d[w].build_period, d[0].build_period, (size_t)p->S * sizeof(int)) != 0)
            fail_msg("%s: the plan with %d workers differs from the plan with 1", what, w + 1);
        if (w > 0)
            assert_true(d[w].regions_objective == d[0].regions_objective);
    }
    /* the regions through a runner (packed, solved elsewhere): the same plan */
    loopback lb = {0};
    sol_runner run = {.slots = 2, .submit = lb_submit, .poll = lb_poll, .cancel = lb_cancel, .user = &lb};
    sol_result rr;
    in.runner = &run;
    in.workers = 1;
    solve(&rr, &in);
    in.runner = NULL;
    if (lb.submitted < d[0].regions)
        fail_msg("%s: the runner got %d jobs for %d regions", what, lb.submitted, d[0].regions);
    if (memcmp(rr.build_period, d[0].build_period, (size_t)p->S * sizeof(int)) != 0 ||
        rr.regions_objective != d[0].regions_objective)
        fail_msg("%s: the plan through a runner differs from the forked one", what);
    sol_result_free(&rr);
    print_message("%s: optimum %.6f; regional plans %.6f (%.4f%% below) over %d regions\n", what, a.objective,
                  d[0].regions_objective, 100 * (a.objective - d[0].regions_objective) / fabs(a.objective),
                  d[0].regions);
    sol_result_free(&a);
    for (int w = 0; w < 3; w++)
        sol_result_free(&d[w]);
}

static void test_carry_over(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        prov p;
        prov_make(&p, 4, 14, 90, 3, 0.12, 1, -1, seed);
        char what[64];
        snprintf(what, sizeof what, "carry-over, seed %d", (int)seed);
        check_case(&p, what);
        prov_free(&p);
    }
}

static void test_per_period_and_limit(void **state)
{
    (void)state;
    for (uint64_t seed = 11; seed <= 13; seed++) {
        prov p;
        prov_make(&p, 3, 16, 100, 4, 0.1, 0, 5, seed);
        char what[64];
        snprintf(what, sizeof what, "no carry-over, build limit 5, seed %d", (int)seed);
        check_case(&p, what);
        prov_free(&p);
    }
}

/* p.fixed as set so far committed, and every step-th point that some site
 * covers due in period `by` */
static void due_every(prov *p, int step, int by)
{
    p->in.fixed_build = p->fixed;
    for (int j = 0; j < p->D; j += step)
        if (p->ptr[j + 1] > p->ptr[j])
            p->due[j] = by;
    p->in.due = p->due;
}

static void test_commitments_and_due(void **state)
{
    (void)state;
    prov p;
    prov_make(&p, 4, 14, 90, 3, 0.12, 1, 6, 21);
    /* two committed sites in different cities, and due points covered by
     * a site of theirs by period 3 */
    p.fixed[3] = 2;
    p.fixed[14 + 5] = 1;
    /* and site 0 covers nothing (so it is in no region) but is committed:
     * its capex still counts against the provincial budget */
    int q = 0;
    for (int j = 0; j < p.D; j++) {
        int from = p.ptr[j], to = p.ptr[j + 1];
        p.ptr[j] = q;
        for (int k = from; k < to; k++)
            if (p.site[k] != 0)
                p.site[q++] = p.site[k];
    }
    p.ptr[p.D] = q;
    p.capex[0] = 0.2 * p.budget[0];
    p.fixed[0] = 1;
    due_every(&p, 37, 3);
    check_case(&p, "commitments and due rules");
    prov_free(&p);
}

/* one city: no components to split, so tiles (a site of another tile
 * covering a tile's points is committed at the incumbent's period in the
 * tile's model; one colour of tiles at a time) */
static void test_tiles(void **state)
{
    (void)state;
    for (uint64_t seed = 31; seed <= 33; seed++) {
        prov p;
        prov_make(&p, 1, 40, 300, 3, 0.08, seed != 32, seed == 33 ? 4 : -1, seed);
        char what[64];
        snprintf(what, sizeof what, "one city in tiles, seed %d", (int)seed);
        check_case(&p, what);
        prov_free(&p);
    }
    prov p;
    prov_make(&p, 1, 40, 300, 4, 0.06, 1, 5, 34);
    p.fixed[7] = 2;
    p.fixed[20] = 1;
    due_every(&p, 41, 3);
    check_case(&p, "one city in tiles, commitments and due rules");
    prov_free(&p);
}

/* a model below the decomposition's size whose root LP does not fit (here
 * lp_max_s: the prediction says no) is cut into tiles after the other
 * steps, instead of ending with the time unused: the union keeps the
 * rules, is never worse than the plan before it nor above the bound, and
 * is the same with 1 and 2 workers; here it gains (GLPK's optimum, solved
 * once: seed 51 41,867.84, seed 52 40,882.76) */
static void test_late_tiles(void **state)
{
    (void)state;
    static const double optimum[2] = {41867.841362, 40882.762569};
    for (uint64_t seed = 51; seed <= 52; seed++) {
        prov p;
        prov_make(&p, 1, 160, 1600, 4, 0.02, seed == 51, seed == 52 ? 3 : -1, seed);
        sol_input in = p.in;
        sol_result before, late[2];
        in.decompose = 0;
        in.lp_max_s = 1e-9;
        solve(&before, &in); /* without the tiles: greedy, local search, Lagrangian */
        assert_int_equal(before.regions, 0);
        assert_int_equal(before.lp_skipped, 1);
        in.decompose = SOL_DECOMPOSE_AUTO;
        for (int w = 0; w < 2; w++) {
            in.workers = w + 1;
            solve(&late[w], &in);
        }
        double opt = optimum[seed - 51], tol = 1e-6 * opt;
        if (late[0].regions < 2 || !late[0].tiles)
            fail_msg("seed %d: %d regions (tiles %d): the late tiles did not run", (int)seed, late[0].regions,
                     late[0].tiles);
        if (!(late[0].objective > before.objective + tol && late[0].objective <= opt + tol))
            fail_msg("seed %d: late tiles %.10g, before them %.10g, optimum %.10g: expected a gain", (int)seed,
                     late[0].objective, before.objective, opt);
        assert_true(late[0].bound >= opt - tol);
        assert_true(keeps_rules(&p.in, late[0].build_period));
        if (memcmp(late[0].build_period, late[1].build_period, (size_t)p.S * sizeof(int)) != 0)
            fail_msg("seed %d: the late tiles' plan differs with 2 workers", (int)seed);
        print_message("seed %d: optimum %.6f; before the late tiles %.6f, after %.6f (%d tiles)\n", (int)seed,
                      opt, before.objective, late[0].objective, late[0].regions);
        sol_result_free(&before);
        sol_result_free(&late[0]);
        sol_result_free(&late[1]);
        prov_free(&p);
    }
}

/* a model packed and unpacked is the same model (packed again: the same
 * bytes), with every array and setting; a truncated or broken buffer is
 * refused, and sol_solve_packed reports it inside its reply */
static void test_pack(void **state)
{
    (void)state;
    prov p;
    prov_make(&p, 2, 10, 60, 3, 0.1, 1, 4, 41);
    p.fixed[2] = 2;
    due_every(&p, 7, 3);
    unsigned char ex[20] = {0};
    ex[5] = 1;
    double cap[20], tr[120], coef[120];
    int grp[20], start[20] = {0};
    for (int s = 0; s < p.S; s++) {
        cap[s] = 10 + s;
        grp[s] = s % 3;
    }
    for (int j = 0; j < p.D; j++)
        tr[j] = coef[j] = 0.5 * j;
    sol_target tg[2] = {{SOL_TARGET_DEMAND, 2, coef, 0, 3.5}, {SOL_TARGET_SITES, 3, NULL, 1, 2}};
    sol_input in = p.in;
    in.existing = ex;
    in.site_cap = cap;
    in.traffic = tr;
    in.site_group = grp;
    in.targets = tg;
    in.n_targets = 2;
    in.start_plan = start;
    in.tree_nodes = 17;
    in.lp_max_s = 2.5;
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(sol_input_pack(&in, &a, &na), 0);
    sol_input u;
    sol_packed_store *st = NULL;
    r5g_err err = {0};
    assert_int_equal(sol_input_unpack(&u, &st, a, na, &err), 0);
    assert_int_equal(u.n_sites, p.S);
    assert_int_equal(u.n_targets, 2);
    assert_int_equal(u.tree_nodes, 17);
    assert_true(u.lp_max_s == 2.5 && u.targets[0].coef[3] == 1.5 && u.existing[5] == 1 && u.fixed_build[2] == 2);
    assert_int_equal(sol_input_pack(&u, &b, &nb), 0);
    assert_int_equal(nb, na);
    assert_memory_equal(a, b, na);
    sol_packed_free(st);
    free(b);
    /* every truncation is refused */
    for (size_t n = 0; n < na; n += n < 64 ? 1 : 37) {
        st = NULL;
        if (sol_input_unpack(&u, &st, a, n, &err) != R5G_EINPUT)
            fail_msg("a packed model cut to %zu of %zu bytes was accepted", n, na);
        sol_packed_free(st);
    }
    /* a buffer that is not a packed model is refused inside the reply */
    in = p.in;
    in.due = NULL;
    free(a);
    assert_int_equal(sol_input_pack(&in, &a, &na), 0);
    unsigned char *bad = malloc(na);
    memcpy(bad, a, na);
    bad[0] ^= 0xff; /* not a packed model */
    unsigned char *rp = NULL;
    size_t nr = 0;
    assert_int_equal(sol_solve_packed(&rp, &nr, bad, na, NULL, NULL), 0);
    sol_reply r;
    assert_int_equal(sol_reply_unpack(&r, rp, nr), 0);
    assert_int_equal(r.rc, R5G_EINPUT);
    assert_int_equal(r.n_sites, -1);
    assert_non_null(strstr(r.msg, "not a packed model"));
    free(rp);
    /* the good one solves to the same plan as sol_solve */
    assert_int_equal(sol_solve_packed(&rp, &nr, a, na, NULL, NULL), 0);
    assert_int_equal(sol_reply_unpack(&r, rp, nr), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n_sites, p.S);
    sol_result ref;
    solve(&ref, &in);
    assert_memory_equal(r.build_period, ref.build_period, (size_t)p.S * sizeof(int));
    assert_true(r.objective == ref.objective);
    sol_result_free(&ref);
    free(rp);
    free(bad);
    free(a);
    prov_free(&p);
}

/* the Lagrangian bound shares its steps among threads on large models: the
 * same bound, steps and split solution with 1, 2 and 3 of them */
static void test_lagrange_threads(void **state)
{
    (void)state;
    prov p;
    prov_make(&p, 8, 60, 2000, 4, 0.05, 1, 40, 7);
    double bound[3];
    long long steps[3];
    int *b[3];
    for (int w = 0; w < 3; w++) {
        sol_input in = p.in;
        in.workers = w + 1;
        sol_model m;
        r5g_err err = {0};
        assert_int_equal(sol_model_init(&m, &in, &err), 0);
        if (w == 0 && (long long)m.gptr[m.n_groups] * m.T < 200000)
            fail_msg("the model has %lld pairs x periods: too small for threads", (long long)m.gptr[m.n_groups] * m.T);
        b[w] = calloc(p.S, sizeof *b[w]);
        assert_int_equal(sol_lagrange_bound(&bound[w], b[w], &steps[w], &m, 0, 400, 0, NULL, NULL, &err), 0);
        sol_model_dispose(&m);
        if (w > 0) {
            if (bound[w] != bound[0] || steps[w] != steps[0])
                fail_msg("%d threads: bound %.17g after %lld steps, 1 thread: %.17g after %lld", w + 1, bound[w],
                         steps[w], bound[0], steps[0]);
            assert_memory_equal(b[w], b[0], (size_t)p.S * sizeof(int));
        }
    }
    print_message("Lagrangian bound %.6f after %lld steps with 1, 2 and 3 threads\n", bound[0], steps[0]);
    for (int w = 0; w < 3; w++)
        free(b[w]);
    prov_free(&p);
}

/* wrong settings are refused with a message naming them */
static void test_bad_settings(void **state)
{
    (void)state;
    prov p;
    prov_make(&p, 2, 5, 20, 2, 0.1, 1, -1, 3);
    sol_result r;
    r5g_err err = {0};
    p.in.workers = -1;
    assert_int_equal(sol_solve(&r, &p.in, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "workers"));
    p.in.workers = 0;
    p.in.decompose = 2;
    assert_int_equal(sol_solve(&r, &p.in, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "decompose"));
    p.in.decompose = 1;
    int start[10] = {0, 0, 0, 9, 0, 0, 0, 0, 0, 0};
    p.in.start_plan = start;
    assert_int_equal(sol_solve(&r, &p.in, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "start_plan[3]"));
    prov_free(&p);
}

int main(void)
{
    if (getenv("R5G_TEST_DEBUG"))
        r5g_log_set_level(R5G_LOG_DEBUG);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carry_over),
        cmocka_unit_test(test_per_period_and_limit),
        cmocka_unit_test(test_commitments_and_due),
        cmocka_unit_test(test_tiles),
        cmocka_unit_test(test_late_tiles),
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_lagrange_threads),
        cmocka_unit_test(test_bad_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
