/* rollout5g: the command-line interface. Subcommands are dispatched from a
 * table; each parses its own options and calls the planner library. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/r5g.h"
#include "geo/geo.h"
#include "planner/coverage.h"
#include "planner/plan.h"
#include "planner/synth.h"
#include "solver/sol.h"

typedef struct cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage;
} cmd;

static int cmd_plan(int argc, char **argv);
static int cmd_validate(int argc, char **argv);
static int cmd_synth(int argc, char **argv);
static int cmd_coverage(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const cmd commands[] = {
    {"plan", cmd_plan, "plan the rollout of a scenario and write it as map layers",
     "usage: rollout5g plan SCENARIO [-o PATH] [--overwrite] [--t_srs CRS]\n"
     "                      [--format DRIVER] [--links] [--json FILE]\n"
     "                      [--export-model FILE.lp|FILE.mps]\n"
     "                      [--export-unreduced FILE.lp|FILE.mps] [-q|-v]\n"
     "\n"
     "Reads the scenario file and its layers, finds which candidate sites cover\n"
     "which demand points, schedules the builds per period under the budgets with\n"
     "GLPK, and writes the plan (GeoPackage) with layers sites, demand, coverage,\n"
     "coverage_by_period, region_kpi, period_kpi, sector_kpi and plan_meta (and\n"
     "links on request), styled for QGIS. Prints the per-period KPIs on stdout.\n"
     "\n"
     "  -o, --output PATH        output file (default: the scenario's output.path)\n"
     "      --overwrite          replace an existing output file\n"
     "      --t_srs CRS          CRS of the output layers (default: output.crs or EPSG:4326)\n"
     "      --format DRIVER      GDAL vector driver (default: output.format or GPKG); formats\n"
     "                           holding one layer per file (GeoJSON, FlatGeobuf, ESRI\n"
     "                           Shapefile, CSV) write a folder PATH with one file per layer\n"
     "      --links              also write the links layer (demand -> serving site)\n"
     "      --json FILE          also write the KPIs and plan_meta as JSON\n"
     "      --export-model FILE  also write the model given to GLPK (CPLEX LP or MPS)\n"
     "      --export-unreduced FILE  also write the same model without the exact\n"
     "                           reductions (one column per demand point; same optimum)\n"
     "  -q, --quiet              only errors on stderr\n"
     "  -v, --verbose            debug messages, including GLPK's log\n"
     "\n"
     "Exit: 0 optimal plan, 1 error, 2 usage, 3 infeasible, 4 time limit (plan written, with its gap).\n"},
    {"validate", cmd_validate, "check a scenario and its layers without solving",
     "usage: rollout5g validate SCENARIO [-q|-v]\n"
     "\n"
     "Opens the scenario and every layer, reports per layer the feature count and\n"
     "CRS, the working CRS, the candidate-demand pairs, and the demand that no\n"
     "candidate can ever cover. Writes nothing. Exit 0 when the scenario is usable.\n"},
    {"coverage", cmd_coverage, "write the coverage of every candidate site as map layers",
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
     "  -v, --verbose      debug messages\n"},
    {"synth", cmd_synth, "generate a synthetic scenario (deterministic)",
     "usage: rollout5g synth [--preset NAME] [--seed N] -o DIR [--overwrite]\n"
     "\n"
     "Writes scenario.yaml, demand.geojson, candidates.csv, existing.geojson and\n"
     "regions.geojson for a synthetic Yangtze River Delta industrial area into DIR.\n"
     "The same preset and seed always give byte-identical files.\n"
     "\n"
     "  --preset NAME   tiny, district (default), district-xl, city\n"
     "  --seed N        random seed (default 1)\n"
     "  -o, --output DIR  folder to write (created if missing)\n"
     "  --overwrite     replace existing files in DIR\n"},
    {"version", cmd_version, "print the versions of rollout5g, GLPK, GDAL and PROJ",
     "usage: rollout5g version\n"},
    {"help", cmd_help, "show help for a command", "usage: rollout5g help [COMMAND]\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_overview(FILE *f)
{
    fputs("rollout5g " PACKAGE_VERSION " - plan 5G base-station rollouts ahead of demand\n\n"
          "usage: rollout5g COMMAND [OPTIONS]\n\ncommands:\n",
          f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'rollout5g COMMAND --help' for the options of a command.\n"
          "Exit codes: 0 ok, 1 input or runtime error, 2 usage, 3 infeasible,\n"
          "4 time limit reached with a feasible plan.\n",
          f);
}

static const cmd *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int usage_error(const char *cmdname, const char *fmt, const char *arg)
{
    fprintf(stderr, "rollout5g %s: ", cmdname);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'rollout5g %s --help'.\n", cmdname);
    return R5G_EXIT_USAGE;
}

/* Joins argv for plan_meta's command_line. */
static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n + sizeof "rollout5g ");
    if (!s)
        return NULL;
    strcpy(s, "rollout5g");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

enum { OPT_OVERWRITE = 256, OPT_TSRS, OPT_EXPORT, OPT_PRESET, OPT_SEED, OPT_FORMAT, OPT_LINKS, OPT_JSON, OPT_EXPORT_UNRED };

static int run_plan_like(int argc, char **argv, int validate_only)
{
    const char *name = validate_only ? "validate" : "plan";
    static const struct option plan_opts[] = {
        {"output", required_argument, NULL, 'o'},   {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"t_srs", required_argument, NULL, OPT_TSRS}, {"export-model", required_argument, NULL, OPT_EXPORT},
        {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
        {"format", required_argument, NULL, OPT_FORMAT}, {"links", no_argument, NULL, OPT_LINKS},
        {"json", required_argument, NULL, OPT_JSON},
        {"export-unreduced", required_argument, NULL, OPT_EXPORT_UNRED},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    static const struct option validate_opts[] = {{"quiet", no_argument, NULL, 'q'},
                                                  {"verbose", no_argument, NULL, 'v'},
                                                  {"help", no_argument, NULL, 'h'},
                                                  {NULL, 0, NULL, 0}};
    pl_plan_opts o = {0};
    o.validate_only = validate_only;
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
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': fputs(find_command(name)->usage, stdout); return R5G_EXIT_OK;
        case ':': return usage_error(name, "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error(name, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(name, "%s", "missing SCENARIO (a scenario YAML file)");
    if (optind + 1 < argc)
        return usage_error(name, "unexpected argument '%s'", argv[optind + 1]);
    o.scenario_path = argv[optind];
    char *cmdline = join_args(argc, argv);
    o.command_line = cmdline;
    r5g_err err = {0};
    int rc = pl_plan_run(&o, &err);
    if (rc == R5G_ETIMELIMIT) /* a plan was written: a warning */
        r5g_log(R5G_LOG_WARN, "%s", err.msg);
    else if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    free(cmdline);
    return r5g_exit_code(rc);
}

static int cmd_plan(int argc, char **argv)
{
    r5g_cleanup_install(); /* Ctrl-C removes the temporary output */
    return run_plan_like(argc, argv, 0);
}
static int cmd_validate(int argc, char **argv) { return run_plan_like(argc, argv, 1); }

static int cmd_coverage(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},     {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"t_srs", required_argument, NULL, OPT_TSRS}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    pl_coverage_opts o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.output_path = optarg; break;
        case OPT_OVERWRITE: o.overwrite = 1; break;
        case OPT_TSRS: o.t_srs = optarg; break;
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); break;
        case 'h': fputs(find_command("coverage")->usage, stdout); return R5G_EXIT_OK;
        case ':': return usage_error("coverage", "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("coverage", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("coverage", "%s", "missing SCENARIO (a scenario YAML file)");
    if (optind + 1 < argc)
        return usage_error("coverage", "unexpected argument '%s'", argv[optind + 1]);
    if (!o.output_path)
        return usage_error("coverage", "%s", "missing -o PATH (the GeoPackage to write)");
    o.scenario_path = argv[optind];
    r5g_err err = {0};
    int rc = pl_coverage_run(&o, &err);
    if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    return r5g_exit_code(rc);
}

static int cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        {"preset", required_argument, NULL, OPT_PRESET}, {"seed", required_argument, NULL, OPT_SEED},
        {"output", required_argument, NULL, 'o'},         {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"help", no_argument, NULL, 'h'},                 {NULL, 0, NULL, 0}};
    const char *preset = "district", *dir = NULL;
    unsigned long long seed = 1;
    int overwrite = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PRESET: preset = optarg; break;
        case OPT_SEED: {
            char *end;
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-')
                return usage_error("synth", "--seed: '%s' is not a non-negative integer", optarg);
            break;
        }
        case 'o': dir = optarg; break;
        case OPT_OVERWRITE: overwrite = 1; break;
        case 'h': fputs(find_command("synth")->usage, stdout); return R5G_EXIT_OK;
        case ':': return usage_error("synth", "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("synth", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("synth", "unexpected argument '%s'", argv[optind]);
    if (!dir)
        return usage_error("synth", "%s", "missing -o DIR (the folder to write)");
    const pl_synth_preset *p = pl_synth_preset_find(preset);
    if (!p) {
        fprintf(stderr, "rollout5g synth: --preset: unknown preset '%s' (valid: %s)\n", preset,
                pl_synth_preset_names());
        return R5G_EXIT_USAGE;
    }
    r5g_err err = {0};
    int rc = pl_synth_write(p, (uint64_t)seed, dir, overwrite, &err);
    if (rc) {
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
        return r5g_exit_code(rc);
    }
    printf("%s/scenario.yaml\n", dir);
    return R5G_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(find_command("version")->usage, stdout);
        return R5G_EXIT_OK;
    }
    if (argc > 1)
        return usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("rollout5g %s\nGLPK %s\nGDAL %s\nPROJ %s\n", PACKAGE_VERSION, sol_version_glpk(),
           geo_version_gdal(), geo_version_proj());
    return R5G_EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
        const cmd *c = find_command(argv[1]);
        if (!c) {
            fprintf(stderr, "rollout5g help: unknown command '%s'\n", argv[1]);
            return R5G_EXIT_USAGE;
        }
        fputs(c->usage, stdout);
        return R5G_EXIT_OK;
    }
    print_overview(stdout);
    return R5G_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return R5G_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv);
    const cmd *c = find_command(argv[1]);
    if (!c) {
        const char *best = NULL;
        int bestd = 3;
        for (size_t i = 0; i < N_COMMANDS; i++) {
            int d = r5g_edit_distance(argv[1], commands[i].name);
            if (d < bestd) {
                bestd = d;
                best = commands[i].name;
            }
        }
        if (best)
            fprintf(stderr, "rollout5g: unknown command '%s' (did you mean '%s'?)\n", argv[1], best);
        else
            fprintf(stderr, "rollout5g: unknown command '%s'\n", argv[1]);
        fputs("Run 'rollout5g help' for the list of commands.\n", stderr);
        return R5G_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
