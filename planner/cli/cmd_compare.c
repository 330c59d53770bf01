/* rollout5g compare. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/r5g.h"
#include "planner/cli/cli.h"
#include "planner/review/compare.h"

const char cli_compare_usage[] =
    "usage: rollout5g compare A B [C ...] [-o OUT.gpkg] [--html FILE] [--json FILE|-]\n"
    "                         [--lead L] [--demand PATH[:LAYER]] [--regions PATH[:LAYER]]\n"
    "                         [--labels a,b,c] [--share-distance M] [--overwrite] [-q|-v]\n"
    "\n"
    "Compares two or more plans written by rollout5g (GeoPackages or plan folders) of\n"
    "the same area and periods: which inputs and settings differ, each plan's solver\n"
    "status and gap (and whether two plans lie within each other's bounds), and every\n"
    "KPI per period recomputed under one definition: one lead, one reference demand\n"
    "layer and one set of regions. Plan A is the first; each other plan is compared\n"
    "against it. Prints one line per plan and the KPI table.\n"
    "\n"
    "  -o, --output OUT.gpkg    write layers site_diff, demand_diff, region_diff,\n"
    "                           colocation, compare_kpi and compare_meta (styled for QGIS)\n"
    "      --html FILE          a self-contained HTML report (opens offline, prints to PDF)\n"
    "      --json FILE          everything as JSON ('-': standard output)\n"
    "      --lead L             the common lead in periods (default: plan A's lead_periods)\n"
    "      --demand PATH[:LAYER]  the reference demand: any GDAL point layer with id or\n"
    "                           demand_id, and optionally weight, period (or year,\n"
    "                           demand_index) and whitelist (default: plan A's demand)\n"
    "      --regions PATH[:LAYER] the reference regions: polygons with region_id, id or\n"
    "                           adcode, name and population (default: plan A's regions)\n"
    "      --labels a,b,c       names of the plans in the reports (default: file names)\n"
    "      --share-distance M   sites of different carriers within M metres are\n"
    "                           co-location candidates (default 100)\n"
    "      --overwrite          replace existing output files\n"
    "  -q, --quiet              only errors on stderr\n"
    "  -v, --verbose            debug messages\n"
    "\n"
    "Exit: 0 compared, 1 error (a file that is not a plan, plans over different periods,\n"
    "a bad reference layer), 2 usage.\n";

enum { OPT_HTML = 256, OPT_JSON, OPT_LEAD, OPT_DEMAND, OPT_REGIONS, OPT_LABELS, OPT_SHARE, OPT_OVERWRITE };

/* "a,b,c" into a NULL-terminated list (malloc'd, one block). */
static char **split_labels(const char *s, int *n)
{
    size_t len = strlen(s);
    int k = 1;
    for (const char *p = s; *p; p++)
        k += *p == ',';
    char **v = malloc((size_t)(k + 1) * sizeof *v + len + 1);
    if (!v)
        return NULL;
    char *text = (char *)(v + k + 1);
    memcpy(text, s, len + 1);
    *n = 0;
    for (char *tok = text, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        v[(*n)++] = tok;
    }
    v[*n] = NULL;
    return v;
}

int cli_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},       {"html", required_argument, NULL, OPT_HTML},
        {"json", required_argument, NULL, OPT_JSON},     {"lead", required_argument, NULL, OPT_LEAD},
        {"demand", required_argument, NULL, OPT_DEMAND}, {"regions", required_argument, NULL, OPT_REGIONS},
        {"labels", required_argument, NULL, OPT_LABELS}, {"share-distance", required_argument, NULL, OPT_SHARE},
        {"overwrite", no_argument, NULL, OPT_OVERWRITE}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},             {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    pl_compare_opts o = PL_COMPARE_OPTS_INIT;
    char **labels = NULL;
    int n_labels = 0, c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qvh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': o.output_path = optarg; break;
        case OPT_HTML: o.html_path = optarg; break;
        case OPT_JSON: o.json_path = optarg; break;
        case OPT_DEMAND: o.demand = optarg; break;
        case OPT_REGIONS: o.regions = optarg; break;
        case OPT_OVERWRITE: o.overwrite = 1; break;
        case OPT_LEAD: {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 0 || v > 1000) {
                rc = cli_usage_error("compare", "--lead: '%s' is not a whole number of periods >= 0", optarg);
                goto out;
            }
            o.lead = (int)v;
            break;
        }
        case OPT_SHARE:
            errno = 0;
            o.share_distance_m = strtod(optarg, &end);
            if (errno || end == optarg || *end || !isfinite(o.share_distance_m) || o.share_distance_m < 0) {
                rc = cli_usage_error("compare", "--share-distance: '%s' is not a distance >= 0 in metres", optarg);
                goto out;
            }
            break;
        case OPT_LABELS:
            free(labels);
            if (!(labels = split_labels(optarg, &n_labels))) {
                fprintf(stderr, "rollout5g compare: out of memory\n");
                rc = R5G_EXIT_ERROR;
                goto out;
            }
            break;
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': rc = cli_print_usage("compare"); goto out;
        case ':': rc = cli_usage_error("compare", "option '%s' needs a value", argv[optind - 1]); goto out;
        default: rc = cli_usage_error("compare", "unknown option '%s'", argv[optind - 1]); goto out;
        }
    }
    o.plans = (const char *const *)argv + optind;
    o.n_plans = argc - optind;
    if (o.n_plans < 2) {
        rc = cli_usage_error("compare", o.n_plans ? "one plan given ('%s'): compare needs at least two"
                                                  : "%smissing the plans to compare (at least two)",
                             o.n_plans ? argv[optind] : "");
        goto out;
    }
    if (labels && n_labels != o.n_plans) {
        char msg[96];
        snprintf(msg, sizeof msg, "%d labels for %d plans", n_labels, o.n_plans);
        rc = cli_usage_error("compare", "--labels: %s", msg);
        goto out;
    }
    o.labels = (const char *const *)labels;
    r5g_cleanup_install(); /* Ctrl-C removes the temporary outputs */
    r5g_err err = {0};
    rc = pl_compare_run(&o, &err);
    if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    rc = r5g_exit_code(rc);
out:
    free(labels);
    return rc;
}
