/* rollout5g plan and rollout5g validate. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/r5g.h"
#include "planner/cli/cli.h"
#include "planner/cli/progress.h"
#include "planner/batch/batch.h"
#include "planner/plan.h"
#include "solver/sol.h"

const char cli_plan_usage[] =
    "usage: rollout5g plan SCENARIO [-o PATH] [--overwrite] [--t_srs CRS]\n"
         "                      [--format DRIVER] [--lco NAME=VALUE] [--dsco NAME=VALUE]\n"
         "                      [--links] [--json FILE|-] [--html FILE]\n"
         "                      [--export-model FILE.lp|FILE.mps]\n"
         "                      [--export-unreduced FILE.lp|FILE.mps] [-q|-v]\n"
         "       mpirun -n N rollout5g plan SCENARIO --mpi [OPTION...]\n"
         "\n"
         "Reads the scenario file and its layers, finds which candidate sites cover\n"
         "which demand points, schedules the builds per period under the budgets with\n"
         "GLPK, and writes the plan (GeoPackage) with layers sites, demand, coverage,\n"
         "coverage_by_period, region_kpi, period_kpi, sector_kpi and plan_meta (and\n"
         "links on request), styled for QGIS. Prints the per-period KPIs on stdout.\n"
         "\n"
         "  -o, --output PATH        output file (default: the scenario's output.path); never\n"
         "                           an input of the run, nor a folder holding one\n"
         "      --overwrite          replace existing outputs (the plan, --json, exports)\n"
         "      --t_srs CRS          CRS of the output layers (default: output.crs or EPSG:4326)\n"
         "      --format DRIVER      GDAL vector driver (default: output.format or GPKG); formats\n"
         "                           holding one layer per file (GeoJSON, FlatGeobuf, ESRI\n"
         "                           Shapefile, CSV) write a folder PATH with one file per layer\n"
         "      --lco NAME=VALUE     GDAL layer creation option, as ogr2ogr -lco (repeatable)\n"
         "      --dsco NAME=VALUE    GDAL dataset creation option, as ogr2ogr -dsco (repeatable)\n"
         "      --links              also write the links layer (demand -> serving site)\n"
         "      --json FILE          also write the KPIs and plan_meta as JSON; '-' writes it on\n"
         "                           stdout, and the per-period table goes to stderr\n"
         "      --html FILE          also write a self-contained HTML report (maps per period,\n"
         "                           KPI charts and tables; opens offline, prints to PDF)\n"
         "      --export-model FILE  also write the model given to GLPK (CPLEX LP or MPS)\n"
         "      --export-unreduced FILE  also write the same model without the exact\n"
         "                           reductions (one column per demand point; same optimum)\n"
         "      --mpi                under mpirun: rank 0 plans, the other ranks solve the\n"
         "                           regions of solver.decompose (the plan is the same as\n"
         "                           with forked workers); they read no files\n"
         "  -q, --quiet              only errors on stderr\n"
         "  -v, --verbose            debug messages, including GLPK's log\n"
         "\n"
         "Exit: 0 optimal plan, 1 error, 2 usage, 3 infeasible, 4 time limit (plan written, with its gap).\n";

const char cli_validate_usage[] =
    "usage: rollout5g validate SCENARIO [-q|-v]\n"
         "\n"
         "Opens the scenario and every layer, reports per layer the feature count and\n"
         "CRS, the working CRS, the candidate-demand pairs, and the demand that no\n"
         "candidate can ever cover. Writes nothing. Exit 0 when the scenario is usable.\n";

enum { OPT_OVERWRITE = 256, OPT_TSRS, OPT_EXPORT, OPT_FORMAT, OPT_LINKS, OPT_JSON, OPT_EXPORT_UNRED,
       OPT_LCO, OPT_DSCO, OPT_HTML, OPT_MPI };

/* Appends a repeated NAME=VALUE option to its NULL-terminated list (room
 * for argc entries); a value without '=' is a usage error. */
static int add_creation_option(const char **list, int *n, const char *opt, const char *value,
                               const char *cmd)
{
    const char *eq = strchr(value, '=');
    if (!eq || eq == value) {
        char msg[128];
        snprintf(msg, sizeof msg, "option '%s' needs NAME=VALUE, got '%%s'", opt);
        return cli_usage_error(cmd, msg, value);
    }
    list[(*n)++] = value;
    list[*n] = NULL;
    return 0;
}

static int run_plan_like(int argc, char **argv, int validate_only, const struct sol_runner *runner)
{
    const char *name = validate_only ? "validate" : "plan";
    static const struct option plan_opts[] = {
        {"output", required_argument, NULL, 'o'},   {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"t_srs", required_argument, NULL, OPT_TSRS}, {"export-model", required_argument, NULL, OPT_EXPORT},
        {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
        {"format", required_argument, NULL, OPT_FORMAT}, {"links", no_argument, NULL, OPT_LINKS},
        {"json", required_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"export-unreduced", required_argument, NULL, OPT_EXPORT_UNRED},
        {"lco", required_argument, NULL, OPT_LCO},  {"dsco", required_argument, NULL, OPT_DSCO},
        {"mpi", no_argument, NULL, OPT_MPI},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    static const struct option validate_opts[] = {{"quiet", no_argument, NULL, 'q'},
                                                  {"verbose", no_argument, NULL, 'v'},
                                                  {"help", no_argument, NULL, 'h'},
                                                  {NULL, 0, NULL, 0}};
    pl_plan_opts o = PL_PLAN_OPTS_INIT;
    o.validate_only = validate_only;
    o.runner = runner;
    const char **lco = calloc((size_t)argc + 1, sizeof *lco);
    const char **dsco = calloc((size_t)argc + 1, sizeof *dsco);
    int n_lco = 0, n_dsco = 0, rc = R5G_EXIT_OK;
    /* before getopt_long permutes argv */
    char *cmdline = cli_command_line(argc, argv);
    if (!lco || !dsco) {
        fprintf(stderr, "rollout5g %s: out of memory\n", name);
        rc = R5G_EXIT_ERROR;
        goto done;
    }
    o.lco = lco;
    o.dsco = dsco;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, validate_only ? ":qvh" : ":o:qvh",
                            validate_only ? validate_opts : plan_opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.output_path = optarg; break;
        case OPT_OVERWRITE: o.overwrite = 1; break;
        case OPT_TSRS: o.t_srs = optarg; break;
        case OPT_EXPORT: o.export_model = optarg; break;
        case OPT_EXPORT_UNRED: o.export_unreduced = optarg; break;
        case OPT_FORMAT: o.format = optarg; break;
        case OPT_LINKS: o.links = 1; break;
        case OPT_JSON: o.json_path = optarg; break;
        case OPT_HTML: o.html_path = optarg; break;
        case OPT_LCO: rc = add_creation_option(lco, &n_lco, "--lco", optarg, name); break;
        case OPT_DSCO: rc = add_creation_option(dsco, &n_dsco, "--dsco", optarg, name); break;
        case OPT_MPI: break; /* cli_plan saw it */
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': rc = cli_print_usage(name); goto done;
        case ':': rc = cli_usage_error(name, "option '%s' needs a value", argv[optind - 1]); break;
        default: rc = cli_usage_error(name, "unknown option '%s'", argv[optind - 1]); break;
        }
        if (rc)
            goto done;
    }
    if (optind >= argc)
        rc = cli_usage_error(name, "%s", "missing SCENARIO (a scenario YAML file)");
    else if (optind + 1 < argc)
        rc = cli_usage_error(name, "unexpected argument '%s'", argv[optind + 1]);
    else if (o.output_path && !strcmp(o.output_path, "-"))
        rc = cli_usage_error(name, "%s", "-o -: a plan is map layers, not a stream: name a file "
                             "(--json - writes the KPIs on stdout)");
    if (rc)
        goto done;
    o.scenario_path = argv[optind];
    o.command_line = cmdline;
    cli_progress prog;
    cli_progress_init(&prog);
    o.progress = cli_progress_cb;
    o.progress_user = &prog;
    o.progress_shows_stages = prog.tty;
    r5g_err err = {0};
    rc = pl_plan_run(&o, &err);
    cli_progress_finish(&prog);
    if (rc == R5G_ETIMELIMIT) /* a plan was written: a warning */
        r5g_log(R5G_LOG_WARN, "%s", err.msg);
    else if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    rc = r5g_exit_code(rc);
done:
    free(cmdline);
    free(lco);
    free(dsco);
    return rc;
}

/* --mpi among the options (before a "--"): every rank must know it before
 * the options are parsed, since only rank 0 parses them */
static int wants_mpi(int argc, char **argv)
{
    for (int a = 1; a < argc && strcmp(argv[a], "--"); a++)
        if (!strcmp(argv[a], "--mpi"))
            return 1;
    return 0;
}

int cli_plan(int argc, char **argv)
{
    if (!wants_mpi(argc, argv)) {
        r5g_cleanup_install(); /* Ctrl-C removes the temporary output */
        return run_plan_like(argc, argv, 0, NULL);
    }
    const sol_runner *runner = NULL;
    r5g_err err = {0};
    int rc = pl_mpi_plan_start(&runner, &err);
    if (rc == 1) /* a rank that served regions: it wrote nothing to clean up */
        return R5G_EXIT_OK;
    r5g_cleanup_install();
    if (rc) {
        if (rc == R5G_EUSAGE)
            return cli_usage_error("plan", "%s", err.msg);
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
        return r5g_exit_code(rc);
    }
    rc = run_plan_like(argc, argv, 0, runner);
    pl_mpi_plan_end();
    return rc;
}
int cli_validate(int argc, char **argv) { return run_plan_like(argc, argv, 1, NULL); }

