/* The batch optimiser's parts on small hand-checked cases: the batch file
 * (expansion order, zip, frontier, ids, errors), the Pareto flags, the
 * frontier marginals, the result record and the manifest's recovery. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "planner/batch/batch_int.h"

static char dir[64];

static void put(const char *name, const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/r5g-test-batch-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    put("scenario.yaml", "version: 1\nname: t\nperiods: {start: 2026, count: 2}\nbudget: {capex: [1.0e6, 2.0e6]}\n"
                         "demand: {source: d.geojson}\ncandidates: {source: c.csv}\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static pl_batch *load(const char *text, int want_rc, r5g_err *err)
{
    char p[128];
    put("b.yaml", text);
    snprintf(p, sizeof p, "%s/b.yaml", dir);
    pl_batch *b = NULL;
    int rc = pl_batch_load(&b, p, err);
    if (rc != want_rc)
        fail_msg("rc %d, want %d: %s", rc, want_rc, err->msg);
    return b;
}

/* the value of axis a in job j */
static const char *val(const pl_batch *b, int j, int a) { return b->axes[a].v[b->jobs[j].value[a]].yaml; }

static void test_grid_order(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_batch *b = load("version: 1\nscenario: scenario.yaml\nsweep:\n  axes:\n"
                       "    budget.capex: [3.0e6, 4.0e6, 5.0e6]\n    ahead_of_demand.lead_periods: [0, 1]\n",
                       0, &err);
    assert_int_equal(b->n_jobs, 6);
    /* the last axis moves fastest */
    const char *want[6][2] = {{"3.0e6", "0"}, {"3.0e6", "1"}, {"4.0e6", "0"}, {"4.0e6", "1"}, {"5.0e6", "0"}, {"5.0e6", "1"}};
    for (int j = 0; j < 6; j++) {
        assert_string_equal(val(b, j, 0), want[j][0]);
        assert_string_equal(val(b, j, 1), want[j][1]);
        assert_int_equal(b->jobs[j].idx, j);
    }
    assert_int_equal(b->axes[0].col, PL_BCOL_REAL);
    assert_int_equal(b->axes[1].col, PL_BCOL_INT);
    /* default criteria */
    assert_int_equal(b->n_crit, 4);
    assert_int_equal(b->crit[0].kpi, PL_BKPI_TOTAL_CAPEX);
    assert_int_equal(b->crit[0].maximize, 0);
    assert_int_equal(b->crit[1].kpi, PL_BKPI_COVERED_WEIGHT);
    assert_int_equal(b->crit[1].maximize, 1);
    char id0[80];
    snprintf(id0, sizeof id0, "%s", b->jobs[0].id);
    assert_non_null(strstr(id0, "capex3.0e6-lead_periods0-"));
    pl_batch_free(b);
    /* the same overrides with the axes in another order: the same ids */
    b = load("version: 1\nscenario: scenario.yaml\nsweep:\n  axes:\n"
             "    ahead_of_demand.lead_periods: [0, 1]\n    budget.capex: [3.0e6, 4.0e6, 5.0e6]\n",
             0, &err);
    int found = pl_batch_find(b, id0);
    (void)found;
    /* the slug follows the file's order, the hash does not: compare the hash part */
    const char *h0 = strrchr(id0, '-');
    int hit = 0;
    for (int j = 0; j < b->n_jobs; j++)
        hit += strcmp(strrchr(b->jobs[j].id, '-'), h0) == 0;
    assert_int_equal(hit, 1);
    pl_batch_free(b);
}

static void test_zip_frontier_set(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_batch *b = load("version: 1\nscenario: scenario.yaml\nset: {solver.time_limit_s: 30}\n"
                       "sweep:\n  mode: zip\n  axes:\n    ahead_of_demand.lead_periods: [0, 1, 1]\n"
                       "    ahead_of_demand.max_lead_periods: [1, 1, 2]\n"
                       "frontier: {values: [0.5, 1.0], mip_gap: 0.001}\n",
                       0, &err);
    assert_int_equal(b->n_jobs, 6); /* 3 zipped x 2 frontier points */
    assert_int_equal(b->n_axes, 3);
    assert_string_equal(b->axes[2].path, "budget.scale");
    assert_true(b->axes[2].frontier);
    assert_true(b->has_frontier);
    assert_string_equal(val(b, 3, 0), "1");
    assert_string_equal(val(b, 3, 1), "1");
    assert_string_equal(val(b, 3, 2), "1.0");
    assert_string_equal(val(b, 4, 1), "2");
    assert_int_equal(b->n_set, 2); /* time limit, and the frontier's gap */
    assert_string_equal(b->set_path[1], "solver.mip_gap");
    /* the set overrides are part of every job's canonical text */
    assert_non_null(strstr(b->jobs[0].canon, "solver.time_limit_s=30\n"));
    for (int j = 0; j < b->n_jobs; j++)
        assert_int_equal(pl_batch_job_check(b, j, NULL, &err), 0);
    double tl = 0;
    assert_int_equal(pl_batch_job_check(b, 0, &tl, &err), 0);
    assert_true(tl == 30);
    pl_batch_free(b);
}

static void test_errors(void **state)
{
    (void)state;
    r5g_err err = {0};
    assert_null(load("version: 1\nscenario: scenario.yaml\nsweep: {axes: {budget.capex: [1, 1]}}\n", R5G_EINPUT, &err));
    assert_non_null(strstr(err.msg, "b.yaml:3: sweep.axes.budget.capex: value 1 is listed twice"));
    assert_null(load("version: 2\nscenario: scenario.yaml\n", R5G_EINPUT, &err));
    assert_non_null(strstr(err.msg, "b.yaml:1: version: unsupported batch file version '2'"));
    assert_null(load("version: 1\n", R5G_EINPUT, &err));
    assert_non_null(strstr(err.msg, "scenario: missing key"));
    assert_null(load("version: 1\nscenario: scenario.yaml\nsweep: {axes: {'budget..capex': [1]}}\n", R5G_EINPUT, &err));
    assert_non_null(strstr(err.msg, "is not a scenario key path"));
    assert_null(load("version: 1\nscenario: scenario.yaml\nslurm: {max_parallel: -1}\n", R5G_EINPUT, &err));
    assert_non_null(strstr(err.msg, "b.yaml:3: slurm.max_parallel: expected a whole number in 0..100000, got '-1'"));
    /* a bad override is the job's error, named by the batch file's line */
    pl_batch *b = load("version: 1\nscenario: scenario.yaml\nsweep:\n  axes:\n    ahead_of_demand.lead_periods: [0, x]\n", 0, &err);
    assert_int_equal(pl_batch_job_check(b, 0, NULL, &err), 0);
    assert_int_not_equal(pl_batch_job_check(b, 1, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "b.yaml:5: ahead_of_demand.lead_periods"));
    pl_batch_free(b);
    /* budget.scale of an unlimited budget */
    put("unl.yaml", "version: 1\nname: t\nperiods: {start: 2026, count: 2}\ndemand: {source: d.geojson}\n"
                    "candidates: {source: c.csv}\n");
    b = load("version: 1\nscenario: unl.yaml\nsweep: {axes: {budget.scale: [2]}}\n", 0, &err);
    assert_int_not_equal(pl_batch_job_check(b, 0, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "b.yaml:3: budget.scale: the budget of period 2026 is unlimited"));
    pl_batch_free(b);
}

/* a batch of n jobs on one scenario with rows we fill by hand */
static pl_batch *hand_batch(int n)
{
    r5g_err err = {0};
    char text[256] = "version: 1\nscenario: scenario.yaml\nsweep: {axes: {radio.radius_m: [";
    for (int i = 0; i < n; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%d", i ? ", " : "", 100 + i);
    strcat(text, "]}}\n");
    return load(text, 0, &err);
}

static void test_pareto(void **state)
{
    (void)state;
    pl_batch *b = hand_batch(5);
    b->n_crit = 2;
    b->crit[0] = (pl_bcrit){PL_BKPI_TOTAL_CAPEX, 0};
    b->crit[1] = (pl_bcrit){PL_BKPI_COVERED_WEIGHT, 1};
    pl_bresult r[5];
    /* (capex, covered): A(1,10) B(2,20) C(2,15) dominated by B, D(3,20) dominated by B, E failed */
    double v[5][2] = {{1, 10}, {2, 20}, {2, 15}, {3, 20}, {0, 99}};
    for (int j = 0; j < 5; j++) {
        pl_bresult_init(&r[j], b->jobs[j].id);
        snprintf(r[j].status, sizeof r[j].status, "%s", j == 4 ? "failed" : "done");
        r[j].kpi[PL_BKPI_TOTAL_CAPEX] = v[j][0];
        r[j].kpi[PL_BKPI_COVERED_WEIGHT] = v[j][1];
    }
    int p[5];
    pl_batch_pareto(b, r, p);
    int want[5] = {1, 1, 0, 0, 0};
    for (int j = 0; j < 5; j++)
        assert_int_equal(p[j], want[j]);
    /* a tie on every criterion: neither dominates */
    r[2].kpi[PL_BKPI_COVERED_WEIGHT] = 20;
    pl_batch_pareto(b, r, p);
    assert_int_equal(p[1], 1);
    assert_int_equal(p[2], 1);
    /* an unknown value is worse than any number */
    r[0].kpi[PL_BKPI_COVERED_WEIGHT] = NAN;
    pl_batch_pareto(b, r, p);
    assert_int_equal(p[0], 1); /* still the cheapest */
    r[0].kpi[PL_BKPI_TOTAL_CAPEX] = 2;
    pl_batch_pareto(b, r, p);
    assert_int_equal(p[0], 0);
    pl_batch_free(b);
}

static void test_marginal(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_batch *b = load("version: 1\nscenario: scenario.yaml\nsweep: {axes: {radio.radius_m: [500, 600]}}\n"
                       "frontier: {values: [0.5, 1.0, 2.0]}\n",
                       0, &err);
    assert_int_equal(b->n_jobs, 6);
    pl_bresult r[6];
    double m[6];
    /* jobs: radius 500 x scale (0.5, 1, 2), then radius 600 x ...; budgets
     * 1.5e6, 3e6, 6e6; covered weights chosen by hand */
    double cov[6] = {100, 130, 160, 110, 110, 200};
    double bud[3] = {1.5e6, 3e6, 6e6};
    for (int j = 0; j < 6; j++) {
        pl_bresult_init(&r[j], b->jobs[j].id);
        snprintf(r[j].status, sizeof r[j].status, "done");
        r[j].kpi[PL_BKPI_TOTAL_BUDGET] = bud[j % 3];
        r[j].kpi[PL_BKPI_COVERED_WEIGHT] = cov[j];
    }
    pl_batch_marginal(b, r, m);
    assert_true(isnan(m[0]) && isnan(m[3]));
    assert_true(fabs(m[1] - 30 / 1.5) < 1e-12);
    assert_true(fabs(m[2] - 30 / 3.0) < 1e-12);
    assert_true(fabs(m[4] - 0) < 1e-12);
    assert_true(fabs(m[5] - 90 / 3.0) < 1e-12);
    /* a failed point is skipped: the next one compares with the one below it */
    snprintf(r[1].status, sizeof r[1].status, "failed");
    pl_batch_marginal(b, r, m);
    assert_true(isnan(m[1]));
    assert_true(fabs(m[2] - 60 / 4.5) < 1e-12);
    pl_batch_free(b);
}

static void test_record(void **state)
{
    (void)state;
    pl_bresult a, b;
    r5g_err err = {0};
    pl_bresult_init(&a, "job-1");
    snprintf(a.status, sizeof a.status, "time_limit");
    a.exit_code = 4;
    snprintf(a.error, sizeof a.error, "time limit\treached\nat 3%%");
    a.kpi[PL_BKPI_OBJECTIVE] = 0.1 + 0.2; /* not a short decimal */
    a.kpi[PL_BKPI_GAP] = NAN;
    a.kpi[PL_BKPI_SITES_BUILT] = 7;
    char *t = pl_bresult_format(&a);
    assert_int_equal(pl_bresult_parse(&b, t, &err), 0);
    assert_string_equal(b.job_id, "job-1");
    assert_string_equal(b.status, "time_limit");
    assert_int_equal(b.exit_code, 4);
    assert_string_equal(b.error, "time limit reached at 3%"); /* one line */
    assert_true(b.kpi[PL_BKPI_OBJECTIVE] == 0.1 + 0.2);        /* the same double */
    assert_true(isnan(b.kpi[PL_BKPI_GAP]));
    assert_true(b.kpi[PL_BKPI_SITES_BUILT] == 7);
    /* a record cut short is refused */
    t[strlen(t) / 2] = '\0';
    assert_int_not_equal(pl_bresult_parse(&b, t, &err), 0);
    free(t);
}

static void test_manifest_recovery(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_batch *b = hand_batch(3);
    char out[128], jobs[160];
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(jobs, sizeof jobs, "%s/jobs", out);
    mkdir(out, 0777);
    mkdir(jobs, 0777);
    pl_manifest *m = NULL;
    assert_int_equal(pl_manifest_open(&m, out, &err), 0);
    assert_int_equal(pl_manifest_sync(m, b, &err), 0);
    int *todo = NULL, n = 0;
    assert_int_equal(pl_manifest_pending(m, b, &todo, &n, &err), 0);
    assert_int_equal(n, 3);
    free(todo);
    /* job 0 and 1 start; the coordinator dies; job 0's worker had left its record */
    long long a0, a1;
    assert_int_equal(pl_manifest_start(m, b->jobs[0].id, "local", "h", 11, &a0, &err), 0);
    assert_int_equal(pl_manifest_start(m, b->jobs[1].id, "local", "h", 12, &a1, &err), 0);
    pl_bresult r;
    pl_bresult_init(&r, b->jobs[0].id);
    snprintf(r.status, sizeof r.status, "done");
    r.kpi[PL_BKPI_TOTAL_CAPEX] = 42;
    assert_int_equal(pl_bresult_write(&r, out, &err), 0);
    pl_manifest_close(m);
    /* the next run: job 0 recovered (not run again), job 1 pending, its attempt lost */
    assert_int_equal(pl_manifest_open(&m, out, &err), 0);
    assert_int_equal(pl_manifest_sync(m, b, &err), 0);
    int rec = -1;
    assert_int_equal(pl_manifest_reconcile(m, b, out, 0, &rec, &err), 0);
    assert_int_equal(rec, 1);
    assert_int_equal(pl_manifest_pending(m, b, &todo, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(todo[0], 1);
    assert_int_equal(todo[1], 2);
    free(todo);
    pl_bresult rows[3];
    assert_int_equal(pl_manifest_rows(m, b, rows, &err), 0);
    assert_string_equal(rows[0].status, "done");
    assert_true(rows[0].kpi[PL_BKPI_TOTAL_CAPEX] == 42);
    assert_string_equal(rows[1].status, "pending");
    /* another batch file in the same folder is refused */
    pl_batch *other = load("version: 1\nscenario: scenario.yaml\n", 0, &err);
    free(other->abs_file);
    other->abs_file = strdup("/elsewhere/b.yaml");
    assert_int_equal(pl_manifest_sync(m, other, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "belongs to the batch file"));
    pl_batch_free(other);
    pl_manifest_close(m);
    pl_batch_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order),        cmocka_unit_test(test_zip_frontier_set),
        cmocka_unit_test(test_errors),            cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_marginal),          cmocka_unit_test(test_record),
        cmocka_unit_test(test_manifest_recovery),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
