/* rollout5g verify. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "common/r5g.h"
#include "planner/cli/cli.h"
#include "planner/review/verify.h"

const char cli_verify_usage[] =
    "usage: rollout5g verify PLAN [--scenario SCENARIO] [--json FILE|-] [--overwrite] [--lead L]\n"
    "                        [--sites-layer NAME] [--id-field F] [--period-field F | --date-field F] [-q|-v]\n"
    "\n"
    "Re-checks a plan without the solver: evaluates its build periods on the\n"
    "scenario's inputs with the planner's own code (coverage from the geometry and\n"
    "the radio model, KPIs, objective) and checks the input checksums, the budget\n"
    "per period (with carry-over), max_new_sites, over-early sites (the credit\n"
    "window M), the on-time rule (lead L), the targets, and every figure of the\n"
    "plan's own layers (sites, demand, period_kpi, region_kpi, sector_kpi,\n"
    "plan_meta objective and gap) against the recomputation. Prints one line per\n"
    "check: PASS, WARN (shown, does not fail) or FAIL, with the period and the ids\n"
    "(the first 10 and a count).\n"
    "\n"
    "PLAN is a plan written by rollout5g (a GeoPackage or a folder), or any GDAL\n"
    "vector source with a site id and a build period or date per site (a plan made\n"
    "elsewhere: every other figure is recomputed from SCENARIO; sites not listed\n"
    "or with an empty period are not built).\n"
    "\n"
    "  -s, --scenario FILE   the scenario to check against (default: the settings\n"
    "                        recorded in the plan's plan_meta; required for a plan\n"
    "                        made elsewhere)\n"
    "      --json FILE       also write every check as JSON; '-' writes the JSON on\n"
    "                        stdout and the lines on stderr (silenced by -q)\n"
    "      --overwrite       replace an existing --json FILE\n"
    "      --lead L          judge the on-time rule and share under lead L (and the\n"
    "                        credit window under max(M, L)) instead of the plan's\n"
    "      --sites-layer NAME  the layer of sites in PLAN (default: the first); reads\n"
    "                        PLAN as a plan made elsewhere\n"
    "      --id-field F      field with the site id (default: site_id)\n"
    "      --period-field F  field with the build period: a period label or a year\n"
    "                        (default: build_period; a date works too)\n"
    "      --date-field F    field with the build date (YYYY-MM-DD): the period\n"
    "                        that contains it\n"
    "  -q, --quiet           only errors on stderr\n"
    "  -v, --verbose         debug messages\n"
    "\n"
    "Exit: 0 every check holds, 5 a check failed, 1 an input cannot be read, 2 usage.\n";

enum { OPT_JSON = 256, OPT_LEAD, OPT_LAYER, OPT_ID, OPT_PERIOD, OPT_DATE, OPT_OVERWRITE };

int cli_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 's'},      {"json", required_argument, NULL, OPT_JSON},
        {"lead", required_argument, NULL, OPT_LEAD},      {"sites-layer", required_argument, NULL, OPT_LAYER},
        {"id-field", required_argument, NULL, OPT_ID},    {"period-field", required_argument, NULL, OPT_PERIOD},
        {"date-field", required_argument, NULL, OPT_DATE}, {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},              {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    pl_verify_opts o = PL_VERIFY_OPTS_INIT;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 's': o.scenario_path = optarg; break;
        case OPT_JSON: o.json_path = optarg; break;
        case OPT_OVERWRITE: o.overwrite = 1; break;
        case OPT_LEAD: {
            char *end;
            errno = 0;
            long l = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || l < 0 || l > 100)
                return cli_usage_error("verify", "--lead '%s': expected a number of periods, 0 to 100", optarg);
            o.lead = (int)l;
            break;
        }
        case OPT_LAYER: o.sites_layer = optarg; o.foreign = 1; break;
        case OPT_ID: o.id_field = optarg; o.foreign = 1; break;
        case OPT_PERIOD: o.period_field = optarg; o.foreign = 1; break;
        case OPT_DATE: o.date_field = optarg; o.foreign = 1; break;
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': return cli_print_usage("verify");
        case ':': return cli_usage_error("verify", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("verify", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("verify", "%s", "missing PLAN (a plan, or a layer of sites with build periods)");
    if (optind + 1 < argc)
        return cli_usage_error("verify", "unexpected argument '%s'", argv[optind + 1]);
    if (o.period_field && o.date_field)
        return cli_usage_error("verify", "%s", "give --period-field or --date-field, not both");
    o.plan_path = argv[optind];
    r5g_cleanup_install(); /* Ctrl-C removes a temporary --json file */
    r5g_err err = {0};
    int n_failed = 0;
    int rc = pl_verify_run(&o, &n_failed, &err);
    if (rc) {
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
        return r5g_exit_code(rc);
    }
    return n_failed ? R5G_EXIT_CHECK_FAILED : R5G_EXIT_OK;
}
