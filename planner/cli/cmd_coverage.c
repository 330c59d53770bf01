/* rollout5g coverage. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "common/cleanup.h"
#include "common/r5g.h"
#include "planner/cli/cli.h"
#include "planner/plan.h"

const char cli_coverage_usage[] =
    "usage: rollout5g coverage SCENARIO -o PATH [--overwrite] [--t_srs CRS] [-q|-v]\n"
         "\n"
         "Reads the scenario's layers and judges every candidate-demand pair with the\n"
         "radio model (fixed radius, or TR 38.901 path loss with optional DEM line of\n"
         "sight and clutter), as plan does. Writes a GeoPackage with layers sites\n"
         "(range, environment), coverage (polygon per site: a disc of its range, or the\n"
         "area reached along 72 rays with a DEM), demand (coverable or not, best site)\n"
         "and pairs (site_id, demand_id, distance_m, path_loss_db, los).\n"
         "\n"
         "  -o, --output PATH  output file (required)\n"
         "      --overwrite    replace an existing output file\n"
         "      --t_srs CRS    CRS of the output layers (default EPSG:4326)\n"
         "  -q, --quiet        only errors on stderr\n"
         "  -v, --verbose      debug messages\n";

enum { OPT_OVERWRITE = 256, OPT_TSRS };

int cli_coverage(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},     {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"t_srs", required_argument, NULL, OPT_TSRS}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    pl_coverage_opts o = {0};
    int c;
    r5g_cleanup_install(); /* Ctrl-C removes the temporary output and its lock */
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.output_path = optarg; break;
        case OPT_OVERWRITE: o.overwrite = 1; break;
        case OPT_TSRS: o.t_srs = optarg; break;
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': return cli_print_usage("coverage");
        case ':': return cli_usage_error("coverage", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("coverage", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("coverage", "%s", "missing SCENARIO (a scenario YAML file)");
    if (optind + 1 < argc)
        return cli_usage_error("coverage", "unexpected argument '%s'", argv[optind + 1]);
    if (!o.output_path)
        return cli_usage_error("coverage", "%s", "missing -o PATH (the GeoPackage to write)");
    o.scenario_path = argv[optind];
    r5g_err err = {0};
    int rc = pl_coverage_run(&o, &err);
    if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    return r5g_exit_code(rc);
}

