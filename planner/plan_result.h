/* A plan: which site is on air from which period, what that covers, and
 * the KPIs and meta data that go with it, independent of how it was made.
 * The pipeline returns one (pl_plan_make), the writers take one, and one can
 * be read back from a plan written by rollout5g (pl_plan_read), so a
 * reviewer's tools and a batch worker need no run context at all. */
#ifndef PL_PLAN_RESULT_H
#define PL_PLAN_RESULT_H

#include <stddef.h>

#include "common/r5g.h"
#include "geo/geo.h"
#include "planner/scenario/scenario.h"

typedef enum { PL_KIND_NEW, PL_KIND_UPGRADE, PL_KIND_EXISTING } pl_kind;

/* KPIs of one period, recomputed from the plan (never copied from the solver). */
typedef struct pl_period_kpi {
    double budget;        /* HUGE_VAL when unlimited */
    double carry_in;      /* unspent budget carried into this period */
    double capex;         /* spent on builds in this period */
    int new_sites, upgrades, sites_on_air, over_early_sites;
    int committed_sites;  /* of new_sites + upgrades, committed to this period (re-planning) */
    double committed_capex; /* of capex, theirs */
    double demand_weight; /* effective weight of the demand that has appeared by this period */
    double covered_share; /* of that, covered in this period */
    double on_time_share; /* of that, covered by its on-time period */
    int appearing;        /* demand points appearing in this period */
    double mean_lead;     /* mean (appearance - first covered) of those covered; NAN if none */
    /* what held the period back: filled by the pipeline, which knows the
     * coverage pairs (NAN, 0 for a plan read back) */
    double uncovered_weight;   /* appeared, a candidate in range, yet not covered in this period */
    double unreachable_weight; /* appeared, and no candidate or existing site in range at all */
    double budget_left;        /* unspent after this period (cumulative with carry-over) */
    double cheapest_useful;    /* capex of the cheapest candidate that may be built now and would
                                * cover uncovered demand; NAN when none */
    int limit_reached;         /* builds in this period == budget.max_new_sites */
} pl_period_kpi;

/* The phases of a run (planner/pipeline/phase.c): what each cost in time
 * and memory, so the growth with the size of the scenario can be seen. */
typedef enum {
    PL_PHASE_READ,   /* the layers, the working CRS, the plain arrays, regions */
    PL_PHASE_PAIRS,  /* candidate-demand pairs and their judgement by the radio model */
    PL_PHASE_MODEL,  /* the solver's input from the pairs and the rules (and exports) */
    PL_PHASE_BOUND,  /* the solver's bounds: Lagrangian, root LP */
    PL_PHASE_SEARCH, /* the solver's plans: reductions and greedy, RENS, branch and bound */
    PL_PHASE_KPI,    /* KPIs recomputed from the plan, the plan and plan_meta (checksums) */
    PL_PHASE_WRITE,  /* the map layers */
    PL_PHASE_N
} pl_phase_id;

typedef struct pl_phase {
    int measured;       /* 0: the phase did not run (or the plan was read back) */
    double seconds;     /* wall clock */
    double cpu_seconds; /* user + system time of the process */
    double rss_mb;      /* resident memory at the end of the phase (/proc/self/statm) */
    double peak_mb;     /* the process's peak resident memory by then (ru_maxrss) */
} pl_phase;

/* What the solver said about the plan. */
typedef struct pl_plan_solve {
    char status[16];        /* "optimal", "time_limit", or "given" for a plan made elsewhere */
    char bound_kind[16];    /* what proves the bound (sol_result.bound_kind); "" unknown */
    double solver_objective;
    double bound;           /* best proven bound, NAN when unknown */
    double seconds;         /* solve */
    double total_seconds;   /* the whole run */
    int n_rows, n_cols, n_nonzeros;
    int regions;            /* regions of the decomposition (solver.decompose); 0 none */
    int red_demand_out, red_sites_out;
    long long red_pairs_out;
} pl_plan_solve;

/* Input fields kept in a plan layer (keep_fields, docs/output.md): after
 * the layer's own columns come n more, named name[k] as in the input, of
 * type type[k]; their text for row i is pl_kept_value (planner/pipeline/
 * inputs.c), read from the input tables the plan owns. n = 0: none. */
typedef struct pl_kept {
    int n;
    char **name;             /* [n] owned */
    geo_ftype *type;         /* [n] owned */
    int col0;                /* column of the first kept field in the tables' requests */
    const geo_table *tab[2]; /* rows < n_first from tab[0], the rest from tab[1] */
    size_t n_first;
} pl_kept;
/* Text of kept field k at row i (NULL: null), as GDAL reads it. */
const char *pl_kept_value(const pl_kept *kf, int k, size_t i);
void pl_kept_dispose(pl_kept *kf);

typedef struct pl_plan {
    /* the settings that made it (owned): the scenario as read, or, for a plan
     * read back, the settings it records */
    pl_scenario *sc;
    geo_crs *crs;          /* working CRS of every x/y below (owned) */
    geo_table *tables[8];  /* owned: the tables the strings below point into */
    int n_tables;

    /* sites: candidates first, then existing */
    size_t ns;
    const char **s_id;
    const char **s_name;   /* the input's name (NULL: none); NULL array when read back without one */
    pl_kept s_kept;        /* input fields kept in the sites layer */
    pl_kind *s_kind;
    int *s_band;           /* index into sc->bands */
    int *s_env;            /* geo_env, -1 none (fixed_radius) */
    int *s_region;         /* row of `regions`, -1 none */
    double *s_x, *s_y;     /* working CRS */
    double *s_capex;       /* 0 for existing sites */
    double *s_radius;      /* coverage radius (largest outdoor range) */
    double *s_height;      /* antenna height, NAN when unknown */
    int *s_on_air;         /* first period on air 1..T, 0 never; existing sites: 1 */
    double *s_cov_weight;  /* input weight of the demand it serves */
    int *s_served;         /* demand points it serves */
    int *s_over_early;     /* 1 if built before any demand it covers earns credit */
    int *s_committed;      /* period the site was committed to (committed:, candidates.fields.committed),
                            * 0 free; read back: 1 = committed (its period is s_on_air); NULL: none */
    double *s_ring;        /* NULL, or [ns * PL_RING_N * 2]: coverage polygon (x, y) per site (DEM) */

    /* demand */
    size_t nd;
    const char **d_id, **d_sector;
    const char **d_name;   /* the input's name (NULL: none); NULL array when read back without one */
    pl_kept d_kept;        /* input fields kept in the demand layer */
    const double *d_x, *d_y; /* working CRS */
    double *d_weight;      /* as read */
    double *d_eff;         /* weight x sector priority x whitelist multiplier */
    int *d_period;         /* appearance period 1..T */
    unsigned char *d_white;
    int *d_region;         /* row of `regions`, -1 none */
    int *d_cov;            /* first covered period 1..T, 0 never */
    int *d_serving;        /* serving site, -1 none */
    float *d_dist;         /* distance to the serving site, metres */
    float *d_pl;           /* path loss to the serving site, dB; NAN when not modelled */
    double *d_served;      /* NULL, or [nd * T]: share of each point served per period (capacity) */

    /* regions (polygons kept in the table for the region layers) */
    geo_table *regions;    /* borrowed from tables[]; NULL: none */
    size_t nr;
    const char **r_id, **r_name;
    double *r_pop;         /* NAN when unknown */

    /* KPIs and objective, recomputed from the arrays above */
    pl_period_kpi *pk;     /* [T] */
    double objective;      /* max_coverage: credited weight; min_cost: discounted capex */
    double bound;          /* the proven bound clamped to the objective's side; NAN unknown */
    double gap;            /* relative, >= 0; NAN unknown */
    pl_plan_solve solve;

    /* plan_meta rows, in order */
    int n_meta;
    char **meta_key, **meta_val;
    double *meta_num;      /* the value of a numeric row as a number, NAN for text rows */
    int want_links;        /* write the links layer */

    pl_phase phases[PL_PHASE_N]; /* what making it cost; all unmeasured for a plan read back */
} pl_plan;

enum { PL_RING_N = 72 }; /* rays of a coverage polygon with a DEM */

/* The arrays the KPIs are computed from: a plan's, or a run's before it
 * becomes a plan (planner/pipeline/kpi.c computes both with one function). */
typedef struct pl_kpi_view {
    const pl_scenario *sc;       /* periods, budgets, discount rate, objective */
    int lead_periods;            /* L: on time when covered by max(1, appearance - L) */
    int max_lead_periods;        /* M: credit from max(1, appearance - M) */
    size_t ns, nd;
    const pl_kind *kind;
    const double *capex;
    const int *on_air;           /* [ns] first period on air, 0 never */
    const int *over_early;       /* [ns] */
    const int *committed;        /* [ns] > 0: committed; NULL: none */
    const int *d_period;         /* [nd] */
    const double *d_eff;         /* [nd] */
    const int *d_cov;            /* [nd] first covered period, 0 never */
    const double *d_served;      /* NULL or [nd * T] */
} pl_kpi_view;
/* Per-period KPIs into pk[T] and the objective recomputed from the plan. */
void pl_kpi_periods(pl_period_kpi *pk, double *objective, const pl_kpi_view *v);
/* A view of a plan under its own settings. */
pl_kpi_view pl_plan_view(const pl_plan *p);
/* Recomputes p->pk and p->objective from the plan's arrays (and the gap
 * against p->bound). */
int pl_plan_kpi(pl_plan *p, r5g_err *err);
/* KPIs of a group of the plan in one period: a region (region_kpi) or a
 * sector (sector_kpi), over effective weights. */
typedef struct pl_group_kpi {
    int sites_on_air;     /* regions: sites in the region on air at the end of the period */
    int new_sites;        /* regions: built or upgraded in the period */
    double capex;         /* regions: spent in the period */
    long long n_demand;   /* demand points of the group appeared by the period */
    double demand_weight; /* their effective weight */
    double covered_share; /* of that, covered in the period; NAN without demand */
    double on_time_share; /* of that, covered by its on-time period; NAN without demand */
} pl_group_kpi;
/* The KPIs of every region (k[nr]) in period t (1..T). */
void pl_plan_region_kpi(pl_group_kpi *k, const pl_plan *p, int t);
/* Sector of demand point j as the KPIs group it: "(none)" when it has none. */
const char *pl_plan_sector_name(const pl_plan *p, size_t j);
/* The distinct sector names of the demand (pl_plan_sector_name), sorted,
 * into *out (malloc'd array of borrowed strings). */
int pl_plan_sectors(const char ***out, size_t *n, const pl_plan *p, r5g_err *err);
/* The KPIs of the demand of one sector in period t. */
pl_group_kpi pl_plan_sector_kpi(const pl_plan *p, const char *sector, int t);
/* Reads a plan written by rollout5g (a GeoPackage, or a folder of per-layer
 * files): sites, demand, period_kpi, plan_meta and the region polygons of
 * region_kpi. */
int pl_plan_read(pl_plan **out, geo_ctx *geo, const char *path, r5g_err *err);
/* Where layer `name` of the plan at `path` is: the file itself (a
 * GeoPackage) when it has that layer, or the file of that name in a folder
 * plan (*is_folder = 1). Malloc'd; NULL when there is no such layer. */
char *pl_plan_layer_source(const char *path, const char *name, int *is_folder);
/* Ids sorted for lookups by id (strings borrowed; NULL ids left out). */
typedef struct pl_id_row {
    const char *id;
    int row;
} pl_id_row;
typedef struct pl_id_index {
    pl_id_row *r;
    size_t n;
} pl_id_index;
/* R5G_ENOMEM or 0. */
int pl_id_index_init(pl_id_index *ix, const char *const *ids, size_t n);
/* Row of id (the first of equal ids), -1 when absent or NULL. */
int pl_id_index_find(const pl_id_index *ix, const char *id);
void pl_id_index_dispose(pl_id_index *ix);
/* "new", "upgrade", "existing". */
const char *pl_kind_name(pl_kind k);
/* Id of region row g, NULL for -1. */
const char *pl_plan_region_id(const pl_plan *p, int g);
/* TR 38.901 environment name of site s ("uma", "umi", "rma"), NULL when none. */
const char *pl_plan_env_name(const pl_plan *p, size_t s);
/* Adds a plan_meta row (copied). */
int pl_plan_meta_add(pl_plan *p, const char *key, const char *value, r5g_err *err);
/* Adds a numeric plan_meta row: its text and the number (value_num). */
int pl_plan_meta_add_num(pl_plan *p, const char *key, const char *value, double num, r5g_err *err);
/* The value of a plan_meta row, or NULL. */
const char *pl_plan_meta(const pl_plan *p, const char *key);
void pl_plan_free(pl_plan *p);

#endif
