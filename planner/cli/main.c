/* rollout5g: the command-line interface. Subcommands are dispatched from a
 * table; each lives in its own cmd_*.c, parses its own options and calls the
 * planner library. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/r5g.h"
#include "common/strbuf.h"
#include "geo/geo.h"
#include "planner/cli/cli.h"
#include "solver/sol.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const cli_cmd commands[] = {
    {"plan", cli_plan, "plan the rollout of a scenario and write it as map layers", cli_plan_usage},
    {"validate", cli_validate, "check a scenario and its layers without solving", cli_validate_usage},
    {"coverage", cli_coverage, "write the coverage of every candidate site as map layers",
     cli_coverage_usage},
    {"batch", cli_batch, "run many plans: sweeps, several scenarios, a Pareto frontier",
     cli_batch_usage},
    {"synth", cli_synth, "generate a synthetic scenario (deterministic)", cli_synth_usage},
    {"compare", cli_compare, "compare plans: sites, demand, regions, KPIs under one definition",
     cli_compare_usage},
    {"verify", cli_verify, "re-check a plan (or a list of builds) against its scenario, without the solver",
     cli_verify_usage},
    {"version", cmd_version, "print the versions of rollout5g, GLPK, GDAL and PROJ",
     "usage: rollout5g version\n"},
    {"help", cmd_help, "show help for a command", "usage: rollout5g help [COMMAND]\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

const cli_cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_usage_error(const char *cmdname, const char *fmt, const char *arg)
{
    fprintf(stderr, "rollout5g %s: ", cmdname);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'rollout5g %s --help'.\n", cmdname);
    return R5G_EXIT_USAGE;
}

int cli_print_usage(const char *cmdname)
{
    fputs(cli_find(cmdname)->usage, stdout);
    return R5G_EXIT_OK;
}

char *cli_command_line(int argc, char **argv)
{
    r5g_str b = R5G_STR_INIT;
    r5g_str_append(&b, "rollout5g");
    for (int i = 0; i < argc; i++) {
        r5g_str_append(&b, " ");
        r5g_str_append_shell(&b, argv[i]);
    }
    return r5g_str_finish(&b);
}

static void print_overview(FILE *f)
{
    fputs("rollout5g " PACKAGE_VERSION " - plan 5G base-station rollouts ahead of demand\n\n"
          "usage: rollout5g COMMAND [OPTIONS]\n\ncommands:\n",
          f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'rollout5g COMMAND --help' for the options of a command.\n"
          "Exit codes: 0 ok, 1 input or runtime error, 2 usage, 3 infeasible,\n"
          "4 time limit reached with a feasible plan, 5 verify: a check failed.\n",
          f);
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return cli_print_usage("version");
    if (argc > 1)
        return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("rollout5g %s\nGLPK %s\nGDAL %s\nPROJ %s\n", PACKAGE_VERSION, sol_version_glpk(),
           geo_version_gdal(), geo_version_proj());
    return R5G_EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
        const cli_cmd *c = cli_find(argv[1]);
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
    const cli_cmd *c = cli_find(argv[1]);
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
