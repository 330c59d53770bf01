/* `rollout5g verify`: a plan re-checked from its layers and the scenario's
 * inputs, without the solver (docs/review.md). Each aspect (inputs,
 * settings, sites, budget, build limits, ahead-of-demand windows, on-time
 * rule, targets, objective, every KPI layer) is one function that appends
 * checks to one report; the report is then rendered as lines or JSON. */
#ifndef PL_VERIFY_H
#define PL_VERIFY_H

#include <stddef.h>

#include "common/r5g.h"

typedef struct pl_verify_opts {
    const char *plan_path;     /* a plan written by rollout5g, or any layer of sites */
    const char *scenario_path; /* NULL: the settings the plan records (else its scenario_file) */
    int lead;                  /* --lead L: judge on-time and credit windows under L; -1: the plan's */
    /* a plan made elsewhere: a layer with a site id and a build period or date */
    const char *sites_layer;   /* NULL: the first layer */
    const char *id_field;      /* NULL: site_id */
    const char *period_field;  /* NULL: build_period (a period label, or a year) */
    const char *date_field;    /* a build date instead of a period (YYYY-MM-DD) */
    int foreign;               /* read PLAN as a layer of sites even if it is a rollout5g plan */
    const char *json_path;     /* NULL, "-" (stdout; the lines go to stderr) or a file */
    int overwrite;             /* --json may replace an existing file */
} pl_verify_opts;

#define PL_VERIFY_OPTS_INIT {.plan_path = NULL, .lead = -1}

/* Runs every check and prints one line per check on stdout ("PASS name:
 * ...", "FAIL name PERIOD: ...", "WARN ..."). Returns 0 when the checks
 * could run, with *n_failed the number of FAIL lines; a negative code with
 * err set when an input cannot be read (the plan, the scenario, a layer). */
int pl_verify_run(const pl_verify_opts *o, int *n_failed, r5g_err *err);

#endif
