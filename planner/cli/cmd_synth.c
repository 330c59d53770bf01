/* rollout5g synth. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/r5g.h"
#include "planner/cli/cli.h"
#include "planner/synth/synth.h"

const char cli_synth_usage[] =
    "usage: rollout5g synth [--preset NAME] [--seed N] [--scale F] -o DIR [--overwrite]\n"
         "\n"
         "Writes scenario.yaml, demand.geojson, candidates.csv, existing.geojson and\n"
         "regions.geojson for a synthetic Yangtze River Delta industrial area into DIR\n"
         "(province: demand.csv instead of demand.geojson).\n"
         "The same preset, seed and scale always give byte-identical files.\n"
         "\n"
         "  --preset NAME   tiny, district (default), district-xl, city, province\n"
         "  --seed N        random seed (default 1)\n"
         "  --scale F       F times the candidates and demand points on sqrt(F) times\n"
         "                  the area's side, same density (0 < F <= 10; default 1)\n"
         "  -o, --output DIR  folder to write (created if missing)\n"
         "  --overwrite     replace existing files in DIR\n";

enum { OPT_OVERWRITE = 256, OPT_PRESET, OPT_SEED, OPT_SCALE };

int cli_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        {"preset", required_argument, NULL, OPT_PRESET}, {"seed", required_argument, NULL, OPT_SEED},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"output", required_argument, NULL, 'o'},         {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {"help", no_argument, NULL, 'h'},                 {NULL, 0, NULL, 0}};
    const char *preset = "district", *dir = NULL;
    unsigned long long seed = 1;
    double scale = 1;
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
                return cli_usage_error("synth", "--seed: '%s' is not a non-negative integer", optarg);
            break;
        }
        case OPT_SCALE: {
            char *end;
            errno = 0;
            scale = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(scale > 0 && scale <= 10))
                return cli_usage_error("synth", "--scale: '%s' is not a number above 0 and at most 10", optarg);
            break;
        }
        case 'o': dir = optarg; break;
        case OPT_OVERWRITE: overwrite = 1; break;
        case 'h': return cli_print_usage("synth");
        case ':': return cli_usage_error("synth", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("synth", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
    if (!dir)
        return cli_usage_error("synth", "%s", "missing -o DIR (the folder to write)");
    const pl_synth_preset *p = pl_synth_preset_find(preset);
    if (!p) {
        fprintf(stderr, "rollout5g synth: --preset: unknown preset '%s' (valid: %s)\n", preset,
                pl_synth_preset_names());
        return R5G_EXIT_USAGE;
    }
    r5g_err err = {0};
    pl_synth_preset scaled;
    int rc = pl_synth_preset_scale(&scaled, p, scale, &err);
    if (rc == 0)
        rc = pl_synth_write(scale == 1 ? p : &scaled, (uint64_t)seed, dir, overwrite, &err);
    if (rc) {
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
        return r5g_exit_code(rc);
    }
    printf("%s/scenario.yaml\n", dir);
    return R5G_EXIT_OK;
}

