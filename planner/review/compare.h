/* `rollout5g compare`: two or more plans of one area side by side, every
 * KPI recomputed under one definition (one lead, one reference demand layer
 * and one set of regions), with the differences as map layers, JSON, an
 * HTML report and a table on the terminal (docs/review.md).
 *
 * pl_cmp_build reads the plans (pl_plan_read) and runs one function per
 * aspect (inputs, settings, solver gaps, coverage of the reference demand,
 * KPIs, regions, sites, demand, co-location), each filling its part of one
 * pl_cmp; the renderers (compare_out.c, compare_html.c) only render it. */
#ifndef PL_COMPARE_H
#define PL_COMPARE_H

#include <stdio.h>

#include "common/r5g.h"
#include "geo/geo.h"
#include "planner/plan_result.h"

typedef struct pl_compare_opts {
    const char *const *plans;  /* [n_plans] plan paths; the first is plan A */
    int n_plans;
    const char *const *labels; /* [n_plans] or NULL: from the file names */
    const char *output_path;   /* -o: the GeoPackage of the differences, or NULL */
    const char *html_path;     /* --html FILE, or NULL */
    const char *json_path;     /* --json FILE ("-": standard output), or NULL */
    int lead;                  /* --lead: the common lead; -1: plan A's lead_periods */
    const char *demand;        /* --demand PATH[:LAYER]: the reference demand; NULL: plan A's */
    const char *regions;       /* --regions PATH[:LAYER]: the reference regions; NULL: plan A's */
    double share_distance_m;   /* --share-distance: co-location candidates within it */
    int overwrite;             /* replace existing outputs */
} pl_compare_opts;
#define PL_COMPARE_OPTS_INIT {.lead = -1, .share_distance_m = 100.0}

/* How a site of plan A fares in another plan (site_diff.change). */
typedef enum { PL_SITE_ONLY_A, PL_SITE_ONLY_B, PL_SITE_EARLIER, PL_SITE_LATER, PL_SITE_SAME, PL_SITE_N } pl_site_change;
/* How a reference demand point fares from plan A to another (demand_diff.change). */
typedef enum { PL_DEM_LOST, PL_DEM_LATE, PL_DEM_GAINED, PL_DEM_ON_TIME, PL_DEM_N } pl_dem_change;
const char *pl_site_change_name(pl_site_change c); /* "only_a", ... */
const char *pl_dem_change_name(pl_dem_change c);   /* "lost", "became_late", "gained", "became_on_time" */

/* One plan in one period under the common definition. Shares are NAN when
 * no reference demand has appeared yet. */
typedef struct pl_cmp_kpi {
    double demand_weight;           /* reference weight appeared by the period */
    double covered_weight;          /* of that, covered in the period */
    double covered_share, on_time_share, whitelist_on_time_share;
    double capex, capex_cum;        /* in the period; up to and including it */
    double capex_per_covered;       /* capex_cum / covered_weight, NAN when nothing is covered */
    int sites_on_air, new_sites;    /* existing sites included in sites_on_air */
    int idle_sites;                 /* built sites on air that serve no credited reference demand */
} pl_cmp_kpi;

typedef struct pl_cmp_plan {
    char *label;
    const char *path;
    pl_plan *p;                    /* owned */
    int own_coverage;              /* 1: the reference demand is the plan's own: its covered_index
                                    * is used; 0: recomputed, a point covered by a site on air
                                    * within the site's radius_m */
    double *sx, *sy;               /* [ns] sites in the common CRS */
    int *cov;                      /* [ref.nd] first covered period of each reference point, 0 never */
    int *serving;                  /* [ref.nd] serving site, -1 none */
    int *s_region;                 /* [ns] reference region of each site, -1 none */
    pl_cmp_kpi *k;                 /* [T] */
    double *r_cov, *r_ontime;      /* [ref.nr * T] region shares, NAN without demand */
    int *r_sites;                  /* [ref.nr * T] sites on air in the region */
    int n_built;                   /* sites built (new and upgrades) */
    double capex;                  /* their capex */
} pl_cmp_plan;

/* The reference demand and regions every plan is measured against. */
typedef struct pl_cmp_ref {
    char *demand_from, *regions_from; /* "plan A (a.gpkg)" or the reviewer's source */
    int reviewer_demand;              /* the demand is the reviewer's own layer */
    size_t nd;
    const char **id;
    const double *x, *y;              /* common CRS */
    double *w;                        /* weight as counted in the shares */
    int *period;                      /* appearance 1..T */
    unsigned char *white;
    int *region;                      /* [nd] row of the regions, -1 none */
    size_t nr;
    const char **r_id, **r_name;
    double *r_pop;                    /* NAN unknown */
    const geo_table *regions;         /* polygons in the common CRS, NULL: none */
    geo_table *t_dem, *t_reg;         /* owned: the reviewer's layers */
} pl_cmp_ref;

/* A row of the header: one input or setting, a value per plan. */
typedef struct pl_cmp_row {
    char *key;
    char **val;  /* [n] NULL: not known */
    char **src;  /* [n] inputs: the source path; NULL for settings */
    int same;    /* 1 all known and equal, 0 some differ, -1 equal where known */
} pl_cmp_row;

/* Plan A against plan b. */
typedef struct pl_cmp_pair {
    int b;
    int comparable;       /* the objectives mean the same thing */
    char why[160];        /* when not: what differs */
    int within_gap;       /* 1: each objective lies within the other's bound: plans as good
                           * as either exist; 0: one is provably better; -1: bounds unknown */
    int n_site[PL_SITE_N];
    int n_dem[PL_DEM_N], n_dem_white[PL_DEM_N];
    int carriers;         /* the two plans are of different carriers (candidates differ) */
} pl_cmp_pair;

typedef struct pl_cmp_site {
    int b;              /* the other plan */
    int sa, sb;         /* site in plan A, in plan b; -1 absent */
    pl_site_change change;
} pl_cmp_site;

typedef struct pl_cmp_dem {
    int b;
    size_t j;           /* reference point */
    pl_dem_change change;
} pl_cmp_dem;

typedef struct pl_cmp_coloc {
    int pa, pb;         /* plans */
    int sa, sb;         /* sites */
    double dist;        /* metres, common CRS */
} pl_cmp_coloc;

typedef struct pl_cmp {
    int n;
    pl_cmp_plan *plan;           /* [n]; plan[0] is plan A */
    int T;
    const pl_scenario *sc;       /* plan A's settings: periods and their labels */
    const geo_crs *crs;          /* the common CRS: plan A's working CRS */
    int lead, max_lead;          /* the common definition */
    double share_distance;
    pl_cmp_ref ref;
    int n_inputs, n_settings;
    pl_cmp_row *inputs, *settings;
    int settings_from_json;      /* every plan has a `settings` plan_meta row */
    pl_cmp_pair *pair;           /* [n - 1]: A against plan 1..n-1 */
    size_t n_sites, n_dem, n_coloc;
    pl_cmp_site *sites;          /* site_diff rows, by plan then site id */
    pl_cmp_dem *dem;             /* demand_diff rows, by plan, white-listed first */
    pl_cmp_coloc *coloc;         /* colocation rows, by plan pair then distance */
    int n_notes;
    char **notes;                /* what a reader must know (also logged as warnings) */
} pl_cmp;

/* Reads the plans and compares them. The plans must have the same periods. */
int pl_cmp_build(pl_cmp **out, geo_ctx *geo, const pl_compare_opts *o, r5g_err *err);
void pl_cmp_free(pl_cmp *c);

/* Renderers (compare_out.c, compare_html.c). */
int pl_cmp_layers_write(geo_out *out, const pl_cmp *c, r5g_err *err);
char *pl_cmp_json(const pl_cmp *c);          /* malloc'd; NULL on out of memory */
void pl_cmp_print(const pl_cmp *c, FILE *f);
char *pl_cmp_html(const pl_cmp *c, r5g_err *err);

/* The `compare` command: builds, writes -o, --json, --html (each atomically,
 * all or nothing) and prints the summary. */
int pl_compare_run(const pl_compare_opts *o, r5g_err *err);

#endif
