/* Scenario files (YAML, format version 1; see ../shared/docs/SCENARIO-CONTRACT.md
 * and docs/scenario.md). Parsing turns the file into this plain struct and
 * checks every key, type and value; errors carry "file:line: key: message". */
#ifndef PL_SCENARIO_H
#define PL_SCENARIO_H

#include "common/r5g.h"

/* Field keys of the layer `fields:` maps. */
typedef enum {
    PL_F_ID,
    PL_F_WEIGHT,      /* demand */
    PL_F_SECTOR,      /* demand */
    PL_F_PERIOD,      /* demand */
    PL_F_WHITELIST,   /* demand */
    PL_F_INDOOR,      /* demand */
    PL_F_TRAFFIC,     /* demand */
    PL_F_CAPEX,       /* candidates */
    PL_F_KIND,        /* candidates */
    PL_F_BAND,        /* candidates, existing */
    PL_F_HEIGHT,      /* candidates, existing */
    PL_F_ENVIRONMENT, /* candidates, existing */
    PL_F_NAME,        /* regions */
    PL_F_POPULATION,  /* regions */
    PL_F_COMMITTED,   /* candidates: the period the site is committed to */
    PL_F_COUNT
} pl_field;
/* "id", "weight", ... */
const char *pl_field_key(pl_field f);

typedef struct pl_layer {
    int present;          /* the key was given */
    int line;             /* line of the key in the scenario file */
    char *label;          /* its key path for messages: "demand", "demand[1]", "regions" */
    char *source;         /* path resolved against the scenario folder (or a GDAL connection string) */
    char *layer;          /* NULL when not given */
    char *where;          /* NULL when not given */
    char *crs;            /* NULL when not given */
    int crs_at;           /* where `crs:` was given (pl_scenario_error), 0 when not */
    char **open_options;  /* NULL-terminated, or NULL */
    int skip_invalid;     /* on_invalid: skip (default error): features with a bad geometry are skipped */
    char *sector;         /* demand: the sector of points without one (no sector field, or empty); NULL */
    char *id_prefix;      /* demand: put before every id of the layer (ids unique across layers); NULL */
    char *field[PL_F_COUNT]; /* layer field name per key; NULL = not mapped (use the default) */
    int field_line[PL_F_COUNT];
    /* keep_fields: input fields copied into the plan's demand or sites layer */
    int keep_all;         /* keep_fields: all */
    char **keep;          /* the listed fields, n_keep of them; NULL with all or none */
    int n_keep;
    int *keep_at;         /* [n_keep] where each was given (pl_scenario_error) */
    int keep_all_at;      /* where `all` was given */
} pl_layer;

typedef struct pl_band {
    char *name;
    double frequency_ghz, max_path_loss_db, height_m, capacity_mbps;
} pl_band;

typedef struct pl_weight {
    char *name;
    double value;
    int at;              /* where the key was given (pl_scenario_error) */
} pl_weight;

/* A target "by period k: value" (coverage_share, sites_per_10k_people). */
typedef struct pl_target {
    int period;          /* 1-based period index */
    double value;
    char *sector;        /* sector_share only; NULL otherwise */
    int line;            /* of the period key */
    int sector_at;       /* sector_share: where the sector key was given (pl_scenario_error) */
} pl_target;

typedef enum { PL_RADIO_FIXED_RADIUS, PL_RADIO_TR38901 } pl_radio_model;
typedef enum { PL_ONTIME_NONE, PL_ONTIME_WHITELIST, PL_ONTIME_ALL } pl_ontime;
typedef enum { PL_OBJ_MAX_COVERAGE, PL_OBJ_MIN_COST } pl_objective;

typedef struct pl_scenario {
    char *file;           /* path as given */
    char *dir;            /* folder of the file, for relative paths */
    int version;
    char *name;
    char *crs;            /* "auto" (default), "planar", or a PROJ CRS string */
    int crs_at;           /* where it was given (pl_scenario_error), 0 when not */

    /* periods */
    int n_periods;
    char **period_label;  /* [T] "2026" or explicit labels */
    char **period_date;   /* [T] "YYYY-MM-DD": first day of each period */
    int period_start;     /* first year when start+count was used, else 0 */
    int period_step;      /* years per period (default 1), 0 for explicit labels */

    /* budget */
    double *budget;       /* [T] capex per period; default: unlimited (HUGE_VAL) */
    int carry_over;       /* default 1 */
    int *max_new_sites;   /* [T] or NULL; < 0 means no limit */

    /* `demand` is the demand layer, or the first of a `demand:` list, whose
     * other items are demand_more (pl_scenario_demand_layer walks them all) */
    pl_layer demand, candidates, existing, regions;
    pl_layer *demand_more;
    int n_demand_more;
    /* `committed:` (re-planning): a layer of candidate ids and the period each
     * is committed to; geometry not read. present = 0 when not given */
    pl_layer committed;

    /* radio */
    pl_radio_model radio_model;  /* default fixed_radius */
    double radius_m;             /* default 800 */
    char *environment;           /* default "uma" */
    double shadow_margin_db;     /* default 0 */
    double indoor_loss_db;       /* default 15 */
    pl_band *bands;              /* default: n78 3.5 GHz 128 dB 25 m 1000 Mbps */
    int n_bands;
    char *dem;                   /* resolved path or NULL */
    char *clutter;               /* resolved path or NULL */
    int dem_at, clutter_at;      /* where they were given (pl_scenario_error) */
    pl_weight *clutter_classes;  /* class value (as text) -> environment */
    int n_clutter_classes;

    pl_weight *sectors;          /* sector -> priority multiplier */
    int n_sectors;
    double whitelist_multiplier; /* default 1 */

    int lead_periods;            /* L, default 0 */
    int max_lead_periods;        /* M >= L, default: L */
    pl_ontime on_time_required;  /* default none */

    pl_objective objective;      /* default max_coverage */
    double discount_rate;        /* default 0 */

    pl_target *coverage_targets; int n_coverage_targets;
    pl_target *sector_targets;   int n_sector_targets;
    pl_target *density_targets;  int n_density_targets;

    int capacity;                /* model.capacity, default 0 */

    double time_limit_s;         /* default 300 */
    double mip_gap;              /* default 0.005 */
    int presolve;                   /* 1 on, 0 off, -1 auto (the default) */
    int decompose;                  /* solver.decompose: 1 on, 0 off, -1 auto (the default) */
    int workers;                    /* solver.workers: processes for the regions; 0 auto (the default) */
    int cuts, heuristics;           /* default 1, 1 */

    int feasibility_pump, proximity_search; /* GLPK heuristics (with heuristics on), default 0, 1 */

    char *output_path;           /* resolved against the scenario folder; default <dir>/plan.gpkg */
    char *output_format;         /* default "GPKG" */
    char *output_crs;            /* output.crs; NULL = EPSG:4326 (--t_srs wins) */
    int output_format_at, output_crs_at; /* where they were given, 0 when not */

    /* the origins of the overrides applied (pl_scenario_load_ex), for pl_scenario_error */
    char **ov_origin;
    int n_ov;
    int output_links;            /* output.links: write the links layer, default 0 */

    /* radio, added with the tr38901 pipeline (docs/scenario.md) */
    double ut_height_m;          /* radio.ut_height_m: terminal height, default 1.5 */
    int nlos_drop;               /* radio.nlos: 0 = model (NLOS loss, default), 1 = drop */
} pl_scenario;

/* A change to a scenario before it is checked (a batch job's axis value):
 * the value, as YAML text, replaces (or adds) the key at a dotted path. */
typedef struct pl_override {
    const char *path;   /* "budget.capex", "ahead_of_demand.lead_periods", "sectors.ic" */
    const char *yaml;   /* "[3.0e6, 4.0e6]", "1", "min_cost" */
    const char *origin; /* where it comes from, for messages: "batch.yaml:12" */
} pl_override;

/* Reads and checks a scenario file. On error *out is NULL and err->msg reads
 * "FILE:LINE: KEY: what is wrong (value)". */
int pl_scenario_load(pl_scenario **out, const char *path, r5g_err *err);
/* The same with overrides applied first, checked like the file's own keys;
 * an error in an override names its origin and path. */
int pl_scenario_load_ex(pl_scenario **out, const char *path, const pl_override *ov, int n_ov,
                        r5g_err *err);
/* Checks a YAML document built elsewhere (a plan's settings JSON,
 * settings.h) exactly as a scenario file's; messages name `file` without a
 * line, and its folder resolves relative paths. doc is not changed. */
struct yaml_document_s;
int pl_scenario_from_document(pl_scenario **out, struct yaml_document_s *doc, const char *file,
                              r5g_err *err);
void pl_scenario_free(pl_scenario *sc);
/* An error at a key found after loading (a CRS PROJ refuses, a sector the
 * data lacks), worded like the parser's own: "FILE:LINE: PATH: what", or
 * "ORIGIN: PATH: what (override of FILE)" for a value an override set. `at`
 * is one of the *_at fields (0 names the file alone). Returns R5G_EINPUT. */
int pl_scenario_error(const pl_scenario *sc, int at, const char *path, r5g_err *err,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A scenario with every default and no periods or layers yet (for settings
 * rebuilt from elsewhere, e.g. a plan read back); NULL on out of memory. */
pl_scenario *pl_scenario_new_default(const char *file);
/* 1-based period index of a value in a demand layer's `period` field: a label
 * ("2027H1"), or a year when periods were given by start/count. Years before
 * the first period map to 1; returns 0 when the value matches no period (a
 * label not in the list, a year after the horizon, or not a number), which
 * the reader reports as an error naming the feature and the value. */
int pl_scenario_period_index(const pl_scenario *sc, const char *value);
/* 1-based period of a committed site's value (candidates.fields.committed,
 * committed.fields.period): a period label, an index 1..T, a year (periods
 * given by start/count) or a date YYYY-MM-DD (also YYYY/MM/DD) within the
 * horizon; 0 when it is none of those (before the first period included). */
int pl_scenario_commit_period(const pl_scenario *sc, const char *value);
/* Priority multiplier of a sector (1 for unlisted sectors and NULL). */
double pl_scenario_sector_priority(const pl_scenario *sc, const char *sector);
/* "YYYY-MM-DD" after the last day of period t (1..T): the next period's
 * first day; after the last period, one period length on (one year if T = 1). */
void pl_scenario_period_end(const pl_scenario *sc, int t, char out[11]);
/* The demand layers: 1 + n_demand_more; layer 0 is `demand`. */
int pl_scenario_demand_count(const pl_scenario *sc);
const pl_layer *pl_scenario_demand_layer(const pl_scenario *sc, int k);
/* The input files of a scenario under their plan_meta names (input_KEY,
 * input_KEY_sha256): demand, candidates, existing, regions, dem, clutter,
 * committed (source NULL where the scenario has none), then the further layers of a
 * `demand:` list as demand[1], demand[2]... Returns how many (at most max). */
typedef struct pl_input {
    char key[24];
    const char *source;
} pl_input;
int pl_scenario_inputs(const pl_scenario *sc, pl_input *out, int max);
/* Index of a band by name, or -1. */
int pl_scenario_band(const pl_scenario *sc, const char *name);

#endif
