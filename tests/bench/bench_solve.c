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
 * `runs=N` repeats the solve. A saved model is a plain binary dump of the
 * sol_input arrays (this machine's byte order: not a file format). */
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

/* ---- the dump: counts, then each array behind a presence flag ---- */

static int put(FILE *f, const void *p, size_t size, size_t n)
{
    unsigned char has = p != NULL;
    if (fwrite(&has, 1, 1, f) != 1)
        return -1;
    return !p || fwrite(p, size, n, f) == n ? 0 : -1;
}

static int get(FILE *f, void **p, size_t size, size_t n)
{
    unsigned char has;
    *p = NULL;
    if (fread(&has, 1, 1, f) != 1)
        return -1;
    if (!has)
        return 0;
    *p = malloc(size * (n ? n : 1));
    return *p && fread(*p, size, n, f) == n ? 0 : -1;
}

static int save(const sol_input *in, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int T = in->n_periods, S = in->n_sites, D = in->n_demand;
    int hdr[6] = {T, S, D, in->carry_over, in->min_cost, in->n_targets};
    size_t np = D > 0 ? (size_t)in->cov_ptr[D] : 0;
    int ok = fwrite(hdr, sizeof hdr, 1, f) == 1;
    ok = ok && !put(f, in->capex, sizeof(double), S) && !put(f, in->existing, 1, S) &&
         !put(f, in->earliest, sizeof(int), S) && !put(f, in->budget, sizeof(double), T) &&
         !put(f, in->max_new, sizeof(int), T) && !put(f, in->weight, sizeof(double), D) &&
         !put(f, in->credit_from, sizeof(int), D) && !put(f, in->period_factor, sizeof(double), T) &&
         !put(f, in->cov_ptr, sizeof(int), (size_t)D + 1) && !put(f, in->cov_site, sizeof(int), np) &&
         !put(f, in->due, sizeof(int), D) && !put(f, in->site_group, sizeof(int), S) &&
         !put(f, in->site_cap, sizeof(double), S) && !put(f, in->traffic, sizeof(double), D);
    for (int k = 0; ok && k < in->n_targets; k++) {
        const sol_target *g = &in->targets[k];
        int th[3] = {g->kind, g->period, g->group};
        ok = fwrite(th, sizeof th, 1, f) == 1 && fwrite(&g->rhs, sizeof g->rhs, 1, f) == 1 &&
             !put(f, g->coef, sizeof(double), g->kind == SOL_TARGET_DEMAND ? D : 0);
    }
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int load(sol_input *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int hdr[6];
    int ok = fread(hdr, sizeof hdr, 1, f) == 1;
    int T = hdr[0], S = hdr[1], D = hdr[2];
    in->n_periods = T;
    in->n_sites = S;
    in->n_demand = D;
    in->carry_over = hdr[3];
    in->min_cost = hdr[4];
    in->n_targets = hdr[5];
    void *p = NULL;
#define GET(field, size, n) (ok = ok && !get(f, &p, size, n), in->field = p)
    GET(capex, sizeof(double), S);
    GET(existing, 1, S);
    GET(earliest, sizeof(int), S);
    GET(budget, sizeof(double), T);
    GET(max_new, sizeof(int), T);
    GET(weight, sizeof(double), D);
    GET(credit_from, sizeof(int), D);
    GET(period_factor, sizeof(double), T);
    GET(cov_ptr, sizeof(int), (size_t)D + 1);
    size_t np = ok && D > 0 ? (size_t)in->cov_ptr[D] : 0;
    GET(cov_site, sizeof(int), np);
    GET(due, sizeof(int), D);
    GET(site_group, sizeof(int), S);
    GET(site_cap, sizeof(double), S);
    GET(traffic, sizeof(double), D);
#undef GET
    sol_target *tg = calloc((size_t)in->n_targets + 1, sizeof *tg);
    for (int k = 0; ok && k < in->n_targets; k++) {
        int th[3];
        ok = fread(th, sizeof th, 1, f) == 1 && fread(&tg[k].rhs, sizeof tg[k].rhs, 1, f) == 1;
        tg[k].kind = th[0];
        tg[k].period = th[1];
        tg[k].group = th[2];
        ok = ok && !get(f, &p, sizeof(double), th[0] == SOL_TARGET_DEMAND ? D : 0);
        tg[k].coef = p;
    }
    in->targets = tg;
    fclose(f);
    return ok ? 0 : -1;
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
