/* Scenario overrides (pl_scenario_load_ex), as a batch job applies its axis
 * values: a value replaces or adds the key at a dotted path and is checked
 * like the file's own keys; an error names the override's origin. */
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

#include "planner/scenario/scenario.h"

static char path[64];

static const char scenario[] =
    "version: 1\n"
    "name: override test\n"
    "periods: {start: 2026, count: 3}\n"
    "budget:\n"
    "  capex: [1.0e6, 2.0e6, 3.0e6]\n"
    "demand: {source: d.geojson}\n"
    "candidates: {source: c.csv}\n"
    "ahead_of_demand: {lead_periods: 1}\n";

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/r5g-override-XXXXXX.yaml");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    fputs(scenario, f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static pl_scenario *load(const pl_override *ov, int n, int want_rc, r5g_err *err)
{
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load_ex(&sc, path, ov, n, err);
    if (rc != want_rc)
        fail_msg("rc %d, want %d: %s", rc, want_rc, err->msg);
    return sc;
}

static void test_replace_and_add(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_override ov[] = {
        {"budget.capex", "[3.0e6, 4.0e6, 5.0e6]", "batch.yaml:7"},
        {"ahead_of_demand.lead_periods", "0", "batch.yaml:8"},
        {"ahead_of_demand.max_lead_periods", "2", "batch.yaml:9"}, /* added to an existing map */
        {"sectors.ic", "2.5", "batch.yaml:10"},                    /* a new map on the way */
        {"objective", "max_coverage", "batch.yaml:11"},
    };
    pl_scenario *sc = load(ov, 5, 0, &err);
    assert_true(sc->budget[0] == 3.0e6 && sc->budget[1] == 4.0e6 && sc->budget[2] == 5.0e6);
    assert_int_equal(sc->lead_periods, 0);
    assert_int_equal(sc->max_lead_periods, 2);
    assert_true(fabs(pl_scenario_sector_priority(sc, "ic") - 2.5) < 1e-12);
    pl_scenario_free(sc);
    /* the file itself is what it was */
    sc = load(NULL, 0, 0, &err);
    assert_true(sc->budget[0] == 1.0e6);
    assert_int_equal(sc->lead_periods, 1);
    pl_scenario_free(sc);
}

static void test_errors_name_the_override(void **state)
{
    (void)state;
    r5g_err err = {0};
    pl_override bad_len = {"budget.capex", "[1, 2]", "batch.yaml:7"};
    load(&bad_len, 1, R5G_EINPUT, &err);
    assert_non_null(strstr(err.msg, "batch.yaml:7: budget.capex:"));
    assert_non_null(strstr(err.msg, "override of"));
    pl_override bad_val = {"ahead_of_demand.lead_periods", "-1", "batch.yaml:8"};
    load(&bad_val, 1, R5G_EINPUT, &err);
    assert_non_null(strstr(err.msg, "batch.yaml:8: ahead_of_demand.lead_periods:"));
    pl_override through_scalar = {"name.x", "1", "batch.yaml:9"};
    load(&through_scalar, 1, R5G_EINPUT, &err);
    assert_non_null(strstr(err.msg, "batch.yaml:9: name.x: 'name' holds a value"));
    pl_override unknown = {"budget.capx", "1", "batch.yaml:10"};
    load(&unknown, 1, R5G_EINPUT, &err);
    assert_non_null(strstr(err.msg, "capx"));
    pl_override bad_yaml = {"budget.capex", "[1, 2", "batch.yaml:11"};
    load(&bad_yaml, 1, R5G_EINPUT, &err);
    assert_non_null(strstr(err.msg, "batch.yaml:11: budget.capex: value '[1, 2' is not valid YAML"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace_and_add),
        cmocka_unit_test(test_errors_name_the_override),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
