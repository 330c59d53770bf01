/* Fuzz target: the scenario parser, pl_scenario_load, on arbitrary bytes as
 * the scenario file. The layers it names are never opened (the parser
 * alone). A failed load must give one line naming the file; a successful one
 * must hold only values docs/scenario.md allows. */
#include "tests/fuzz/fuzz.h"
#include "planner/scenario/scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    return 0;
}

static int valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_finite_ge0(double v) { return isfinite(v) && v >= 0; }
static int is_finite_gt0(double v) { return isfinite(v) && v > 0; }

static void check_layer(const pl_layer *L, const char *name, int required)
{
    FUZZ_CONTRACT(!required || L->present, "layer-required", "%s: required but not present", name);
    if (!L->present)
        return;
    FUZZ_ASSERT(L->source && *L->source, "%s.source is empty", name);
    FUZZ_CONTRACT(L->line > 0, "layer-line", "%s: line %d", name, L->line);
    if (L->open_options)
        for (char **o = L->open_options; *o; o++) {
            const char *eq = strchr(*o, '=');
            FUZZ_CONTRACT(eq && eq != *o, "open-option-key",
                          "%s.open_options: '%s' is not KEY=VALUE", name, *o);
        }
    for (int f = 0; f < PL_F_COUNT; f++)
        if (L->field[f])
            FUZZ_CONTRACT(*L->field[f] && L->field_line[f] > 0, "field-empty",
                          "%s.fields.%s: '%s' (line %d)", name, pl_field_key(f), L->field[f],
                          L->field_line[f]);
}

static void check_targets(const pl_scenario *sc, const pl_target *t, int n, int share,
                          int sector, const char *what)
{
    for (int i = 0; i < n; i++) {
        FUZZ_CONTRACT(t[i].period >= 1 && t[i].period <= sc->n_periods, "target-period",
                      "%s: period %d of %d", what, t[i].period, sc->n_periods);
        FUZZ_CONTRACT(share ? t[i].value >= 0 && t[i].value <= 1 : is_finite_ge0(t[i].value),
                      "target-value", "%s: value %g", what, t[i].value);
        FUZZ_ASSERT(!sector == !t[i].sector, "%s: sector %s", what,
                    t[i].sector ? t[i].sector : "(null)");
        for (int j = 0; j < i; j++)
            FUZZ_CONTRACT(t[j].period != t[i].period ||
                              (sector && strcmp(t[j].sector, t[i].sector) != 0),
                          "target-twice", "%s: period %d given twice (lines %d and %d)", what,
                          t[i].period, t[j].line, t[i].line);
    }
}

/* Every value the parser accepted must be one docs/scenario.md allows. */
static void check_scenario(const pl_scenario *sc)
{
    FUZZ_ASSERT(sc->version == 1, "version %d", sc->version);
    FUZZ_ASSERT(sc->name && sc->crs && sc->environment && sc->output_path && sc->output_format,
                "a string with a default is NULL");
    FUZZ_CONTRACT(*sc->name, "name-empty", "name is empty");

    int T = sc->n_periods;
    FUZZ_ASSERT(T >= 1 && T <= 100, "%d periods", T);
    for (int i = 0; i < T; i++) {
        FUZZ_ASSERT(sc->period_label[i] && sc->period_date[i], "period %d: NULL label/date", i);
        FUZZ_CONTRACT(*sc->period_label[i], "label-empty", "period %d: empty label", i + 1);
        FUZZ_CONTRACT(valid_date(sc->period_date[i]), "date", "period %d: date '%s'", i + 1,
                      sc->period_date[i]);
        FUZZ_CONTRACT(i == 0 || strcmp(sc->period_date[i - 1], sc->period_date[i]) < 0,
                      "date-order", "period %d: %s after %s", i + 1, sc->period_date[i],
                      sc->period_date[i - 1]);
        for (int j = 0; j < i; j++)
            FUZZ_CONTRACT(strcmp(sc->period_label[i], sc->period_label[j]) != 0, "label-twice",
                          "label '%s' twice", sc->period_label[i]);
        /* an exact label finds its own period */
        FUZZ_CONTRACT(pl_scenario_period_index(sc, sc->period_label[i]) == i + 1, "period-index",
                      "label '%s' -> period %d, not %d", sc->period_label[i],
                      pl_scenario_period_index(sc, sc->period_label[i]), i + 1);
        FUZZ_CONTRACT(!isnan(sc->budget[i]) && sc->budget[i] >= 0, "budget",
                      "budget.capex[%d] = %g", i, sc->budget[i]);
        if (sc->max_new_sites)
            FUZZ_CONTRACT(sc->max_new_sites[i] >= -1, "max-new-sites",
                          "budget.max_new_sites[%d] = %d", i, sc->max_new_sites[i]);
    }
    if (sc->period_start > 0)
        FUZZ_CONTRACT(sc->period_step >= 1 && sc->period_step <= 100, "period-step",
                      "periods.step %d", sc->period_step);
    /* queries never read outside the horizon */
    static const char *const probes[] = {"", " ", "0", "-1", "1e308", "nan", "inf", "9999",
                                         "2026.5", "2026 ", " 2027", NULL};
    for (int i = 0; probes[i]; i++) {
        int p = pl_scenario_period_index(sc, probes[i]);
        FUZZ_ASSERT(p >= 0 && p <= T, "period_index('%s') = %d of %d", probes[i], p, T);
    }
    FUZZ_ASSERT(pl_scenario_period_index(sc, NULL) == 0, "period_index(NULL)");

    check_layer(&sc->demand, "demand", 1);
    check_layer(&sc->candidates, "candidates", 1);
    check_layer(&sc->existing, "existing", 0);
    check_layer(&sc->regions, "regions", 0);

    FUZZ_CONTRACT(is_finite_gt0(sc->radius_m), "radius", "radio.radius_m %g", sc->radius_m);
    FUZZ_CONTRACT(is_finite_ge0(sc->shadow_margin_db) && is_finite_ge0(sc->indoor_loss_db) &&
                      is_finite_gt0(sc->ut_height_m),
                  "radio-number", "shadow %g indoor %g ut_height %g", sc->shadow_margin_db,
                  sc->indoor_loss_db, sc->ut_height_m);
    FUZZ_CONTRACT(!strcmp(sc->environment, "uma") || !strcmp(sc->environment, "umi") ||
                      !strcmp(sc->environment, "rma"),
                  "environment", "radio.environment '%s'", sc->environment);
    FUZZ_ASSERT(sc->n_bands >= 1, "%d bands", sc->n_bands);
    for (int i = 0; i < sc->n_bands; i++) {
        const pl_band *b = &sc->bands[i];
        FUZZ_ASSERT(b->name, "band %d has no name", i);
        FUZZ_CONTRACT(*b->name, "band-name", "band %d: empty name", i);
        FUZZ_CONTRACT(is_finite_gt0(b->frequency_ghz) && is_finite_gt0(b->max_path_loss_db) &&
                          is_finite_gt0(b->height_m) && is_finite_gt0(b->capacity_mbps),
                      "band-number", "band %s: %g GHz %g dB %g m %g Mbps", b->name,
                      b->frequency_ghz, b->max_path_loss_db, b->height_m, b->capacity_mbps);
        FUZZ_CONTRACT(pl_scenario_band(sc, b->name) == i, "band-twice", "band '%s' -> %d, not %d",
                      b->name, pl_scenario_band(sc, b->name), i);
    }
    FUZZ_ASSERT(!sc->clutter == !sc->n_clutter_classes, "clutter %s with %d classes",
                sc->clutter ? sc->clutter : "(none)", sc->n_clutter_classes);
    for (int i = 0; i < sc->n_clutter_classes; i++) {
        const pl_weight *w = &sc->clutter_classes[i];
        FUZZ_CONTRACT(w->value == 0 || w->value == 1 || w->value == 2, "clutter-env",
                      "class %s -> %g", w->name, w->value);
        for (int j = 0; j < i; j++)
            FUZZ_CONTRACT(strcmp(w->name, sc->clutter_classes[j].name) != 0, "clutter-twice",
                          "radio.clutter.classes: raster value %s given twice", w->name);
    }
    for (int i = 0; i < sc->n_sectors; i++) {
        const pl_weight *w = &sc->sectors[i];
        FUZZ_CONTRACT(*w->name && is_finite_ge0(w->value), "sector", "sectors.%s: %g", w->name,
                      w->value);
        FUZZ_CONTRACT(pl_scenario_sector_priority(sc, w->name) == w->value, "sector-twice",
                      "sector '%s' priority %g, not %g", w->name,
                      pl_scenario_sector_priority(sc, w->name), w->value);
    }
    FUZZ_CONTRACT(pl_scenario_sector_priority(sc, NULL) == 1, "sector-null", "NULL sector");
    FUZZ_CONTRACT(is_finite_ge0(sc->whitelist_multiplier), "whitelist-multiplier", "%g",
                  sc->whitelist_multiplier);
    FUZZ_CONTRACT(sc->lead_periods >= 0 && sc->lead_periods <= sc->max_lead_periods &&
                      sc->max_lead_periods <= 100,
                  "lead", "lead %d max %d", sc->lead_periods, sc->max_lead_periods);
    FUZZ_CONTRACT(sc->discount_rate >= 0 && sc->discount_rate < 1, "discount", "%g",
                  sc->discount_rate);
    check_targets(sc, sc->coverage_targets, sc->n_coverage_targets, 1, 0, "coverage_share");
    check_targets(sc, sc->sector_targets, sc->n_sector_targets, 1, 1, "sector_share");
    check_targets(sc, sc->density_targets, sc->n_density_targets, 0, 0, "sites_per_10k_people");
    FUZZ_CONTRACT(sc->objective != PL_OBJ_MIN_COST ||
                      sc->n_coverage_targets + sc->n_sector_targets + sc->n_density_targets > 0,
                  "min-cost-targets", "min_cost without targets");
    FUZZ_CONTRACT(is_finite_gt0(sc->time_limit_s) && sc->mip_gap >= 0 && sc->mip_gap < 1,
                  "solver-number", "time_limit_s %g mip_gap %g", sc->time_limit_s, sc->mip_gap);
    FUZZ_CONTRACT(*sc->output_path && *sc->output_format, "output-empty", "output '%s' '%s'",
                  sc->output_path, sc->output_format);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_begin(data, size);
    const char *path = fuzz_input_file(data, size);
    FUZZ_ASSERT(path, "no in-memory file for the input");
    pl_scenario *sc = (pl_scenario *)&sc; /* must become NULL on error */
    r5g_err err = {0};
    int rc = pl_scenario_load(&sc, path, &err);
    if (rc) {
        FUZZ_ASSERT(sc == NULL, "error %d but *out was not set to NULL", rc);
        fuzz_check_error(rc, &err, path);
        return 0;
    }
    FUZZ_ASSERT(sc != NULL, "success without a scenario");
    if (fuzz_verbose())
        fprintf(stderr, "fuzz: loaded '%s': %d periods, %d bands\n", sc->name, sc->n_periods,
                sc->n_bands);
    check_scenario(sc);
    pl_scenario_free(sc);
    return 0;
}
