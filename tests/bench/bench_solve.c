/* bench_solve: the solver alone on a scenario's model. Builds the model the
 * way `rollout5g plan` does (read, pairs, rules; nothing written), or loads
 * one saved before with --save, then runs sol_solve with search settings
 * overridden on the command line and prints one line per run: status,
 * objective, bound (and its kind), gap, the work counts and the time. For
 * measuring the solver without the reading and writing phases; prints
 * numbers, never fails on time.
 *
 *   bench_solve SCENARIO.yaml [--save FILE] [KEY=VALUE ...]
 *   bench_solve --load FILE [KEY=VALUE ...]
 *
 * KEY is a sol_input search setting (time_limit_s, mip_gap, presolve, cuts,
 * heuristics, lagrange_cols, lagrange_steps, rens_nodes, ...: see sol.h);
 * `runs=N` repeats the solve. A saved model is the model as sol_input_pack
 * packs it (this build's byte order: not a file format). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "geo/geo.h"
#include "planner/pipeline/run.h"
#include "planner/scenario/scenario.h"
#include "solver/sol.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the dump: the model as sol_input_pack packs it ---- */

static int save(const sol_input *in, const char *path)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    if (sol_input_pack(in, &buf, &len) != 0)
        return -1;
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, len, f) == len;
    free(buf);
    return f && fclose(f) == 0 && ok ? 0 : -1;
}

/* the model's arrays stay in the store until the process ends */
static int load(sol_input *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            unsigned char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    sol_packed_store *st = NULL;
    r5g_err err = {0};
    int rc = sol_input_unpack(in, &st, buf, len, &err);
    free(buf);
    if (rc) {
        fprintf(stderr, "bench_solve: %s: %s\n", path, err.msg);
        sol_packed_free(st);
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* trace=N: every progress report whose work count is a multiple of N
 * (and every phase change) on stdout */
static long long trace_every;
static int trace(void *user, const sol_progress *p)
{
    static char last[64];
    double cpu0 = *(const double *)user;
    if (trace_every > 0 && (p->work % trace_every == 0 || strcmp(last, p->phase) != 0))
        printf("  %-16s %10lld %-18s incumbent %.10g bound %.10g  %.2f s wall %.2f s CPU\n", p->phase, p->work,
               p->work_unit, p->incumbent, p->bound, p->seconds, cpu_now() - cpu0);
    snprintf(last, sizeof last, "%s", p->phase);
    return 0;
}

/* KEY=VALUE onto the search settings; -1 for an unknown key. */
static int set(sol_input *in, const char *kv, int *runs)
{
    const char *eq = strchr(kv, '=');
    if (!eq)
        return -1;
    size_t n = (size_t)(eq - kv);
    double v = strtod(eq + 1, NULL);
#define KEY(name, expr)                                          \
    if (n == strlen(#name) && strncmp(kv, #name, n) == 0) {     \
        expr;                                                    \
        return 0;                                                \
    }
    KEY(time_limit_s, in->time_limit_s = v)
    KEY(mip_gap, in->mip_gap = v)
    KEY(presolve, in->presolve = (int)v)
    KEY(cuts, in->cuts = (int)v)
    KEY(heuristics, in->heuristics = (int)v)
    KEY(feasibility_pump, in->feasibility_pump = (int)v)
    KEY(lagrange_cols, in->lagrange_cols = (int)v)
    KEY(lagrange_steps, in->lagrange_steps = (int)v)
    KEY(rens_nodes, in->rens_nodes = (int)v)
    KEY(decompose, in->decompose = (int)v)
    KEY(workers, in->workers = (int)v)
    KEY(runs, *runs = (int)v)
    KEY(trace, trace_every = (long long)v)
#undef KEY
    return -1;
}

static int from_scenario(pl_run *r, const char *path, r5g_err *err)
{
    int rc;
    static pl_plan_opts opts = PL_PLAN_OPTS_INIT;
    opts.scenario_path = path;
    r->opts = &opts;
    if ((rc = pl_scenario_load(&r->sc, path, err)) || (rc = geo_ctx_new(&r->geo, err)) ||
        (rc = pl_read_inputs(r, err)) || (rc = pl_model_build(r, err)))
        return rc;
    return 0;
}

int main(int argc, char **argv)
{
    r5g_log_set_level(getenv("R5G_BENCH_VERBOSE") ? R5G_LOG_DEBUG : R5G_LOG_WARN);
    if (argc < 2) {
        fprintf(stderr, "usage: bench_solve SCENARIO.yaml [--save FILE] [KEY=VALUE ...]\n"
                        "       bench_solve --load FILE [KEY=VALUE ...]\n");
        return 2;
    }
    pl_run run = {0};
    sol_input in;
    sol_input_init(&in);
    r5g_err err = {0};
    int a = 1, runs = 1;
    double t0 = r5g_now();
    if (strcmp(argv[1], "--load") == 0 && argc >= 3) {
        if (load(&in, argv[2]) != 0) {
            fprintf(stderr, "bench_solve: %s: cannot load: %s\n", argv[2], strerror(errno));
            return 1;
        }
        a = 3;
    } else {
        if (from_scenario(&run, argv[1], &err) != 0) {
            fprintf(stderr, "bench_solve: %s\n", err.msg);
            return 1;
        }
        in = run.in;
        a = 2;
        if (a + 1 < argc && strcmp(argv[a], "--save") == 0) {
            if (save(&in, argv[a + 1]) != 0) {
                fprintf(stderr, "bench_solve: %s: cannot save\n", argv[a + 1]);
                return 1;
            }
            a += 2;
        }
    }
    printf("model: %d sites, %d points, %d periods, %d pairs (built in %.2f s)\n", in.n_sites, in.n_demand,
           in.n_periods, in.n_demand > 0 ? in.cov_ptr[in.n_demand] : 0, r5g_now() - t0);
    for (; a < argc; a++)
        if (set(&in, argv[a], &runs) != 0) {
            fprintf(stderr, "bench_solve: unknown setting '%s'\n", argv[a]);
            return 2;
        }
    int status = 0;
    for (int k = 0; k < runs; k++) {
        sol_result res;
        double c0 = cpu_now();
        if (trace_every > 0) {
            in.on_progress = trace;
            in.progress_user = &c0;
        }
        int rc = sol_solve(&res, &in, &err);
        double cpu = cpu_now() - c0;
        if (rc) {
            printf("run %d: error %d: %s\n", k + 1, rc, err.msg);
            status = 1;
            continue;
        }
        unsigned long long h = 1469598103934665603ULL; /* FNV-1a of the build periods */
        for (int i = 0; i < in.n_sites; i++) {
            h ^= (unsigned)res.build_period[i];
            h *= 1099511628211ULL;
        }
        printf("run %d: %s objective %.10g bound %.10g (%s) gap %.4f%% | %lld lagrange steps, %lld RENS nodes, "
               "%lld tree nodes, %lld local moves | %.2f s wall, %.2f s CPU | plan %016llx",
               k + 1, sol_status_name(res.status), res.objective, res.bound, res.bound_kind, 100 * res.gap,
               res.lagrange_steps, res.rens_nodes, res.tree_nodes, res.local_moves, res.seconds, cpu, h);
        if (res.regions)
            printf(" | %d regions, %.2f s CPU in all, the longest %.2f s", res.regions, res.region_cpu_sum,
                   res.region_cpu_max);
        printf("\n");
        sol_result_free(&res);
    }
    fflush(stdout);
    _exit(status); /* the run's memory goes with the process */
}
