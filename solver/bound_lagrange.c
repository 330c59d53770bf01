/* A Lagrangian upper bound for the max_coverage rollout model, for models too
 * large for GLPK's simplex to solve the root LP in time (the city).
 *
 * Relaxing every coupling row of the reduced model (docs/model.md):
 *   coverage   z[g,t] <= sum_{s in g} y[s,t]          multiplier mu[g,t] >= 0
 *   budget     sum_s c_s y[s,t] <= CB_t (carry-over)  multiplier lam[t] >= 0
 *              sum_s c_s (y[s,t] - y[s,t-1]) <= B_t    (no carry-over)
 *   build cap  sum_s (y[s,t] - y[s,t-1]) <= N_t        multiplier nu[t] >= 0
 * leaves a problem that splits into one term per group and period and one per
 * site (choose its build period b, or never):
 *   UB = c0 + sum_{g,t} max(0, w[g,t] - mu[g,t])
 *           + sum_s max(0, max_{b >= early_s} V_s(b))
 *           + sum_t lam[t] CB_t + sum_t nu[t] N_t
 *   V_s(b) = sum_{t >= b} (p[s,t] - lam[t] c_s) - nu[b]        (carry-over)
 *   V_s(b) = sum_{t >= b} p[s,t] - lam[b] c_s - nu[b]          (no carry-over)
 *   p[s,t] = sum_{g covered by s, z[g,t] exists} mu[g,t]
 * A committed site (fixed_build) has one choice, b = its period (early_s),
 * whatever V_s(b) is.
 * UB >= the optimum for every mu, lam, nu >= 0 (weak duality). Both parts of
 * the split problem have the integrality property, so the best multipliers
 * give the LP bound (Geoffrion 1974). They are found by projected
 * subgradient steps with Polyak's step size against the best known plan,
 * each step's direction deflected by the one before (Camerini, Fratta and
 * Maffioli 1975).
 * The budget rows are scaled by the mean capex so that all multipliers move
 * on comparable scales. */
#include "solver/sol_search.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LAG_PATIENCE
#define LAG_PATIENCE 100 /* non-improving steps before the step size halves */
#endif
/* Camerini-Fratta-Maffioli's gamma (0 < gamma < 2 keeps the direction at
 * least as close to the optimum as the subgradient). Measured: on a quarter
 * province 1.0 and 1.5 alike, 0.5 worse; on the SJC cases after 1,000
 * steps 1.0 within 0.56 % of the optimum, 1.5 within 2.3 %. */
#ifndef LAG_DEFLECT
#define LAG_DEFLECT 1.0
#endif
/* A plateau: after the decomposition (which can use the time left for a
 * second round), the step stops when LAG_PLATEAU_STEPS steps closed less
 * than LAG_PLATEAU of the gap between the bound and the plan (the city:
 * at 0.31 % after 150 s, 0.304 % at 270 s; the time is worth more to the
 * plan then). Not without it: district-xl's guided plan needs the later
 * steps' multipliers (0.23 % instead of 0.062 %). Work, not time. */
/* UB this many times the gap above the best bound: the search runs away */
#define LAG_DIVERGED 1000
#ifndef LAG_PLATEAU_STEPS
#define LAG_PLATEAU_STEPS 1000
#endif
#ifndef LAG_PLATEAU
#define LAG_PLATEAU 0.01
#endif
/* The work budget: subgradient steps (docs/model.md, "Work, not time"). */
#ifndef LAG_STEPS
#define LAG_STEPS 20000
#endif
/* Reduced models with more columns than this get the Lagrangian bound first. */
/* Fixed work chunks (the sums are added in their order, so the bound is
 * the same with any number of threads), the most threads, and the size
 * (pairs x periods) from which threads share a step. */
#define LAG_CHUNKS 32
#define LAG_MAX_THREADS 16
#ifndef LAG_THREAD_MIN_WORK
#define LAG_THREAD_MIN_WORK 200000
#endif
#ifndef LAGRANGE_MIN_COLS
#define LAGRANGE_MIN_COLS 200000
#endif

int sol_lagrange_min_cols(const sol_input *in)
{
    return in->lagrange_cols > 0 ? in->lagrange_cols : LAGRANGE_MIN_COLS;
}

int sol_lagrange_applies(const sol_model *m)
{
    const sol_input *in = m->in;
    if (m->min_cost || m->capacity || m->n_dtarget || in->n_targets || m->unreduced)
        return 0;
    for (int g = 0; g < m->n_groups; g++)
        if (m->gdue && m->gdue[g])
            return 0;
    return 1;
}

typedef struct lag {
    const sol_model *m;
    int T, G, S;
    double scale;      /* capex unit */
    double *w;         /* [G*T] objective weight of z[g,t]; 0 where no column */
    double *mu;        /* [G*T] */
    double *p;         /* [S*T] */
    double *grad;      /* [G*T] */
    double *dir;       /* [G*T] the previous step's direction (deflection) */
    double beta;       /* its weight in this step's direction */
    double lam[64], nu[64];
    double cb[64];     /* budget right side per row (scaled); INFINITY = no row */
    double nmax[64];   /* build limit per period; INFINITY = none */
    int *b;            /* [S] build period of the split problem's solution, 0 never */
    double step;       /* of the mu update */
    /* the work is cut into LAG_CHUNKS fixed ranges of groups and of sites,
     * whose partial sums are added in chunk order: the same numbers with
     * any number of threads */
    double c_ub_g[LAG_CHUNKS], c_ub_s[LAG_CHUNKS], c_norm[LAG_CHUNKS], c_dot[LAG_CHUNKS];
    double *c_spend;   /* [LAG_CHUNKS * T] capex (scaled) of the chunk's sites counted in row t */
    int *c_built;      /* [LAG_CHUNKS * T] the chunk's sites built in period t */
    int *c_first;      /* [LAG_CHUNKS * (T + 2)] scratch of the gradient */
    /* threads */
    int n_threads, phase;
    struct lag_barrier {
        pthread_mutex_t mu;
        pthread_cond_t cv;
        int count, waiting;
        unsigned gen;
    } start, done;
    pthread_t th[LAG_MAX_THREADS];
} lag;

/* A barrier whose count can shrink while threads wait at it (when a thread
 * cannot be created); POSIX barriers cannot. */
static void bar_init(struct lag_barrier *b, int count)
{
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    b->count = count;
    b->waiting = 0;
    b->gen = 0;
}
static void bar_release_if_full(struct lag_barrier *b)
{
    if (b->waiting >= b->count) {
        b->waiting = 0;
        b->gen++;
        pthread_cond_broadcast(&b->cv);
    }
}
static void bar_wait(struct lag_barrier *b)
{
    pthread_mutex_lock(&b->mu);
    unsigned g = b->gen;
    b->waiting++;
    bar_release_if_full(b);
    while (g == b->gen)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}
static void bar_set_count(struct lag_barrier *b, int count)
{
    pthread_mutex_lock(&b->mu);
    b->count = count;
    bar_release_if_full(b);
    pthread_mutex_unlock(&b->mu);
}
static void bar_destroy(struct lag_barrier *b)
{
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
}

enum { PH_EVAL, PH_GRAD, PH_UPDATE, PH_QUIT };

static void chunk_range(int n, int c, int *lo, int *hi)
{
    *lo = (int)((long long)n * c / LAG_CHUNKS);
    *hi = (int)((long long)n * (c + 1) / LAG_CHUNKS);
}

/* Evaluation, chunk c: the groups' part of UB, the sites' prices p[s,t]
 * (from the site -> groups CSR, in group order), their best build period
 * b[s] and its value, and what the chunk's sites spend and build. */
static void eval_chunk(lag *lg, int c)
{
    const sol_model *m = lg->m;
    const sol_input *in = m->in;
    int T = lg->T, lo, hi;
    double ub = 0;
    chunk_range(lg->G, c, &lo, &hi);
    for (int g = lo; g < hi; g++) {
        const double *mu = lg->mu + (size_t)g * T;
        const double *w = lg->w + (size_t)g * T;
        for (int t = 0; t < T; t++)
            if (w[t] > mu[t])
                ub += w[t] - mu[t];
    }
    lg->c_ub_g[c] = ub;
    ub = 0;
    double *spend = lg->c_spend + (size_t)c * T;
    int *built = lg->c_built + (size_t)c * T;
    memset(spend, 0, (size_t)T * sizeof *spend);
    memset(built, 0, (size_t)T * sizeof *built);
    chunk_range(lg->S, c, &lo, &hi);
    for (int s = lo; s < hi; s++) {
        lg->b[s] = 0;
        if (!m->useful[s] || m->early[s] > T)
            continue;
        double *p = lg->p + (size_t)s * T;
        int t0 = m->early[s] - 1;
        memset(p, 0, (size_t)T * sizeof *p);
        for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
            const double *mu = lg->mu + (size_t)m->sgroup[k] * T;
            for (int t = t0; t < T; t++)
                p[t] += mu[t];
        }
        double cs = in->capex[s] / lg->scale;
        double suffix = 0, best = 0;
        for (int t = T - 1; t >= t0; t--) {
            double v;
            if (in->carry_over) {
                suffix += p[t] - (isfinite(lg->cb[t]) ? lg->lam[t] * cs : 0);
                v = suffix;
            } else {
                suffix += p[t];
                v = suffix - (isfinite(lg->cb[t]) ? lg->lam[t] * cs : 0);
            }
            if (isfinite(lg->nmax[t]))
                v -= lg->nu[t];
            if (v > best || (sol_fixed(in, s) && t == t0)) { /* committed: b = its period */
                best = v;
                lg->b[s] = t + 1;
            }
        }
        ub += best;
        int bs = lg->b[s];
        if (bs > 0) {
            for (int t = bs - 1; t < (in->carry_over ? T : bs); t++)
                spend[t] += cs;
            built[bs - 1]++;
        }
    }
    lg->c_ub_s[c] = ub;
}

/* Coverage rows' subgradient, chunk c of the groups. */
static void grad_chunk(lag *lg, int c)
{
    const sol_model *m = lg->m;
    int T = lg->T, lo, hi;
    int *cnt_first = lg->c_first + (size_t)c * (T + 2);
    double norm = 0, dot = 0;
    chunk_range(lg->G, c, &lo, &hi);
    for (int g = lo; g < hi; g++) {
        memset(cnt_first, 0, ((size_t)T + 2) * sizeof *cnt_first);
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int bs = lg->b[m->gsite[k]];
            if (bs > 0)
                cnt_first[bs]++;
        }
        int on = 0;
        for (int t = 1; t <= T; t++) {
            on += cnt_first[t];
            size_t i = (size_t)g * T + t - 1;
            double d = 0;
            if (lg->w[i] > 0) {
                d = on - (lg->w[i] > lg->mu[i] ? 1 : 0);
                if (lg->mu[i] <= 0 && d > 0)
                    d = 0; /* projected: mu cannot go below 0 */
            }
            lg->grad[i] = d;
            norm += d * d;
            dot += d * lg->dir[i];
        }
    }
    lg->c_norm[c] = norm;
    lg->c_dot[c] = dot;
}

static void update_chunk(lag *lg, int c)
{
    int T = lg->T, lo, hi;
    chunk_range(lg->G, c, &lo, &hi);
    for (size_t i = (size_t)lo * T; i < (size_t)hi * T; i++) {
        double d = lg->grad[i] + lg->beta * lg->dir[i];
        lg->dir[i] = d;
        double v = lg->mu[i] - lg->step * d;
        lg->mu[i] = v > 0 ? v : 0;
    }
}

/* Thread k of n_threads runs the chunks k, k + n, ... of the phase. */
static void run_phase_part(lag *lg, int k)
{
    for (int c = k; c < LAG_CHUNKS; c += lg->n_threads)
        switch (lg->phase) {
        case PH_EVAL: eval_chunk(lg, c); break;
        case PH_GRAD: grad_chunk(lg, c); break;
        case PH_UPDATE: update_chunk(lg, c); break;
        default: break;
        }
}

typedef struct lag_thread {
    lag *lg;
    int k;
} lag_thread;
static lag_thread lag_threads[LAG_MAX_THREADS];

static void *lag_worker(void *arg)
{
    lag_thread *lt = arg;
    for (;;) {
        bar_wait(&lt->lg->start);
        if (lt->lg->phase == PH_QUIT)
            return NULL;
        run_phase_part(lt->lg, lt->k);
        bar_wait(&lt->lg->done);
    }
}

static void run_phase(lag *lg, int phase)
{
    lg->phase = phase;
    if (lg->n_threads <= 1) {
        run_phase_part(lg, 0);
        return;
    }
    bar_wait(&lg->start);
    if (phase == PH_QUIT)
        return;
    run_phase_part(lg, 0);
    bar_wait(&lg->done);
}

/* Starts up to n - 1 helper threads (the caller is thread 0); the threads
 * running are lg->n_threads (1: none). */
static void lag_threads_start(lag *lg, int n)
{
    lg->n_threads = 1;
    if (n > LAG_MAX_THREADS)
        n = LAG_MAX_THREADS;
    if (n <= 1)
        return;
    bar_init(&lg->start, n);
    bar_init(&lg->done, n);
    /* a static table: one Lagrangian runs at a time in a process (the
     * decomposition's regions run in processes of their own) */
    int k;
    for (k = 1; k < n; k++) {
        lag_threads[k] = (lag_thread){.lg = lg, .k = k};
        if (pthread_create(&lg->th[k], NULL, lag_worker, &lag_threads[k]) != 0)
            break;
    }
    if (k < n) { /* fewer threads than asked: the barriers count those that run */
        bar_set_count(&lg->start, k);
        bar_set_count(&lg->done, k);
    }
    lg->n_threads = k;
    if (k == 1) {
        bar_destroy(&lg->start);
        bar_destroy(&lg->done);
    }
}

static void lag_threads_stop(lag *lg)
{
    if (lg->n_threads <= 1)
        return;
    run_phase(lg, PH_QUIT);
    for (int k = 1; k < lg->n_threads; k++)
        pthread_join(lg->th[k], NULL);
    bar_destroy(&lg->start);
    bar_destroy(&lg->done);
    lg->n_threads = 1;
}

/* The start: each group's weight split over its sites, the rows' prices 0,
 * no previous direction. */
static void lag_restart(lag *lg)
{
    const sol_model *m = lg->m;
    int T = lg->T;
    for (int g = 0; g < lg->G; g++) {
        int n = m->gptr[g + 1] - m->gptr[g];
        for (int t = 0; t < T; t++) {
            size_t i = (size_t)g * T + t;
            lg->mu[i] = n && lg->w[i] > 0 ? lg->w[i] / n : 0;
        }
    }
    memset(lg->dir, 0, (size_t)lg->G * T * sizeof *lg->dir);
    memset(lg->lam, 0, sizeof lg->lam);
    memset(lg->nu, 0, sizeof lg->nu);
}

/* UB at the current multipliers (fills lg->b and the chunks' spend). */
static double evaluate(lag *lg)
{
    run_phase(lg, PH_EVAL);
    double ub = lg->m->c0;
    for (int c = 0; c < LAG_CHUNKS; c++)
        ub += lg->c_ub_g[c];
    for (int c = 0; c < LAG_CHUNKS; c++)
        ub += lg->c_ub_s[c];
    for (int t = 0; t < lg->T; t++) {
        if (isfinite(lg->cb[t]))
            ub += lg->lam[t] * lg->cb[t];
        if (isfinite(lg->nmax[t]))
            ub += lg->nu[t] * lg->nmax[t];
    }
    return ub;
}

int sol_lagrange_bound(double *bound, int *best_b, long long *steps_done, const sol_model *m, double target,
                       int steps, double stop_gap, sol_lagrange_report report, void *user, r5g_err *err)
{
    const sol_input *in = m->in;
    int T = m->T;
    *bound = m->upper;
    if (steps_done)
        *steps_done = 0;
    if (steps <= 0)
        steps = LAG_STEPS;
    if (!sol_lagrange_applies(m) || T > 64 || m->n_groups == 0)
        return 0;
    lag lg = {.m = m, .T = T, .G = m->n_groups, .S = m->n_sites};
    size_t gt = (size_t)lg.G * T;
    lg.w = calloc(gt, sizeof *lg.w);
    lg.mu = calloc(gt, sizeof *lg.mu);
    lg.grad = calloc(gt, sizeof *lg.grad);
    lg.dir = calloc(gt, sizeof *lg.dir);
    double dl[64] = {0}, dn[64] = {0}, dnorm = 0; /* the rows' previous direction, its squared norm */
    lg.p = calloc((size_t)lg.S * T, sizeof *lg.p);
    lg.b = calloc((size_t)lg.S + 1, sizeof *lg.b);
    lg.c_spend = calloc((size_t)LAG_CHUNKS * T, sizeof *lg.c_spend);
    lg.c_built = calloc((size_t)LAG_CHUNKS * T, sizeof *lg.c_built);
    lg.c_first = calloc((size_t)LAG_CHUNKS * (T + 2), sizeof *lg.c_first);
    int rc = 0;
    if (!lg.w || !lg.mu || !lg.grad || !lg.dir || !lg.p || !lg.b || !lg.c_spend || !lg.c_built || !lg.c_first) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the Lagrangian bound");
        goto out;
    }
    /* capex unit and the rows' right sides */
    double csum = 0;
    int cn = 0;
    for (int s = 0; s < lg.S; s++)
        if (m->useful[s] && m->early[s] <= T && in->capex[s] > 0) {
            csum += in->capex[s];
            cn++;
        }
    lg.scale = cn ? csum / cn : 1;
    double cum = 0;
    int unlimited = 0;
    for (int t = 0; t < T; t++) {
        double bt = in->budget ? in->budget[t] : INFINITY;
        if (!isfinite(bt))
            unlimited = 1;
        cum += isfinite(bt) ? bt : 0;
        lg.cb[t] = in->carry_over ? (unlimited ? INFINITY : cum / lg.scale)
                                  : (isfinite(bt) ? bt / lg.scale : INFINITY);
        lg.nmax[t] = in->max_new && in->max_new[t] >= 0 ? in->max_new[t] : INFINITY;
    }
    /* weights, and a start that splits each group's weight over its sites */
    for (int g = 0; g < lg.G; g++)
        for (int t = m->gtmin[g]; m->gcf[g] <= T && t <= T; t++)
            lg.w[(size_t)g * T + t - 1] = m->gw[g] * m->pf[t];
    lag_restart(&lg);
    /* deflected steps on the large models only: below lagrange_cols the
     * plain steps' multipliers guided better plans (district-xl: 729,790,
     * 0.062 %, against 727,506 deflected) */
    double gamma = sol_model_cols(m) > sol_lagrange_min_cols(in) ? LAG_DEFLECT : 0;
    /* threads for large models only (a step of a small one is too short to
     * share); the numbers do not depend on how many */
    int want = 1;
    if ((long long)m->gptr[lg.G] * T >= LAG_THREAD_MIN_WORK) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        want = in->workers > 0 ? in->workers : ncpu > 0 ? (int)ncpu : 1;
    }
    lag_threads_start(&lg, want);
    int threads = lg.n_threads;
    double t0 = r5g_now(), best = INFINITY, theta = 2.0;
    int since = 0, restarts = 0, it;
    for (it = 0; it < steps; it++) {
        double ub = evaluate(&lg);
        if (!isfinite(ub))
            break; /* multipliers gone bad: the bound so far stays valid */
        if (it > 0 && ub > best + LAG_DIVERGED * fmax(best - target, 1e-9 * fabs(best))) {
            /* running away (steps proportional to UB - plan feed on
             * themselves; with large multipliers UB would also lose its
             * digits to cancellation): back to the start, smaller steps */
            lag_restart(&lg);
            memset(dl, 0, sizeof dl);
            memset(dn, 0, sizeof dn);
            dnorm = 0;
            theta /= 2;
            since = 0;
            restarts++;
            continue;
        }
        if (ub < best && (isinf(best) || best - ub > 1e-9 * fabs(best))) {
            best = ub;
            if (best_b)
                memcpy(best_b, lg.b, (size_t)lg.S * sizeof *best_b);
            since = 0;
        } else if (++since >= LAG_PATIENCE) {
            theta /= 2;
            since = 0;
        }
        if (best - target <= stop_gap * fmax(fabs(target), 1e-9) || theta < 1e-5)
            break;
        /* the caller's cancel or time limit, asked every step (a city step
         * takes about 12 ms): the bound so far stays valid */
        if (report && report(user, it, best))
            break;

        /* subgradient: coverage rows */
        run_phase(&lg, PH_GRAD);
        double norm = 0, dot = 0;
        for (int c = 0; c < LAG_CHUNKS; c++) {
            norm += lg.c_norm[c];
            dot += lg.c_dot[c];
        }
        /* budget and build-limit rows */
        double gl[64], gn[64];
        for (int t = 0; t < T; t++) {
            double spend = 0;
            int built = 0;
            for (int c = 0; c < LAG_CHUNKS; c++) {
                spend += lg.c_spend[(size_t)c * T + t];
                built += lg.c_built[(size_t)c * T + t];
            }
            gl[t] = isfinite(lg.cb[t]) ? lg.cb[t] - spend : 0;
            gn[t] = isfinite(lg.nmax[t]) ? lg.nmax[t] - built : 0;
            if (lg.lam[t] <= 0 && gl[t] > 0)
                gl[t] = 0;
            if (lg.nu[t] <= 0 && gn[t] > 0)
                gn[t] = 0;
            norm += gl[t] * gl[t] + gn[t] * gn[t];
            dot += gl[t] * dl[t] + gn[t] * dn[t];
        }
        if (norm <= 0)
            break; /* the split problem's solution is feasible: UB is the optimum of the relaxation */
        /* deflection (Camerini, Fratta and Maffioli 1975): the direction is
         * the subgradient plus beta times the previous direction when the
         * two point against each other, which damps the zig-zag of plain
         * subgradient steps (on a quarter province 3x fewer steps to the
         * same bound, docs/performance.md) */
        lg.beta = dnorm > 0 && dot < 0 ? -gamma * dot / dnorm : 0;
        double dir_norm = norm + 2 * lg.beta * dot + lg.beta * lg.beta * dnorm;
        if (!(dir_norm > 1e-9 * norm)) { /* cancellation (or worse): a plain step */
            lg.beta = 0;
            dir_norm = norm;
        }
        for (int t = 0; t < T; t++) {
            gl[t] = dl[t] = gl[t] + lg.beta * dl[t];
            gn[t] = dn[t] = gn[t] + lg.beta * dn[t];
        }
        dnorm = dir_norm;
        if (dir_norm > 0)
            norm = dir_norm;
        double step = theta * (ub - target) / norm;
        if (step <= 0)
            step = theta * 1e-3 * fabs(ub) / norm;
        lg.step = step;
        run_phase(&lg, PH_UPDATE);
        for (int t = 0; t < T; t++) {
            double v = lg.lam[t] - step * gl[t];
            lg.lam[t] = v > 0 ? v : 0;
            v = lg.nu[t] - step * gn[t];
            lg.nu[t] = v > 0 ? v : 0;
        }
    }
    lag_threads_stop(&lg);
    if (best < *bound)
        *bound = best;
    if (steps_done)
        *steps_done = it;
    r5g_log(R5G_LOG_DEBUG, "solver: Lagrangian bound %.6g after %d steps (%d restarts) in %.2f s on %d thread(s) "
            "(trivial %.6g, plan %.6g)", best, it, restarts, r5g_now() - t0, threads, m->upper, target);
out:
    free(lg.w);
    free(lg.mu);
    free(lg.grad);
    free(lg.dir);
    free(lg.p);
    free(lg.b);
    free(lg.c_spend);
    free(lg.c_built);
    free(lg.c_first);
    return rc;
}

/* ---- the step: bound, then a plan guided by the relaxation ------------------ */

static int lagrange_report(void *user, long long steps, double bound)
{
    sol_search *s = user;
    s->lagrange_steps = steps;
    if (s->regions > 0 && steps > 0 && steps % LAG_PLATEAU_STEPS == 0) {
        if (s->lag_before_set && s->lag_before - bound < LAG_PLATEAU * (bound - s->value))
            return 1;
        s->lag_before = bound;
        s->lag_before_set = 1;
    }
    if (steps % 50 == 0 && sol_search_report(s, "lagrange", steps, "steps", NAN, bound))
        return 1;
    /* time for the guided greedy plan after it (twice the first one's) */
    if (sol_search_left(s) < 2 * s->greedy_seconds)
        return 1;
    return sol_search_timed_out(s);
}

/* Models this large take GLPK's simplex longer than any sensible time limit
 * for the root LP (the city: 663k rows, not solved in 10 min): bound them by
 * Lagrangian relaxation first, then try a greedy plan over the sites the
 * relaxation builds, not before its build period (kept when better: on the
 * district 91,410 against greedy's 90,366 once the multipliers have
 * converged; on the city, stopped at 2 %, worse). */
static int lagrange_exec(sol_search *s, r5g_err *err)
{
    sol_model *m = s->m;
    const sol_input *in = s->in;
    int lag_cols = sol_lagrange_min_cols(in);
    /* also when the root LP would take more than half the time left (its
     * bound comes far cheaper this way; sol_mip.c runs the LP after it only
     * if it still fits), and after a root LP given up for lack of time */
    if (!s->have_plan || s->lagrange_done || !sol_lagrange_applies(m) ||
        (s->n_cols <= lag_cols && sol_search_lp_fits(s, 0.5) && !s->lp_abandoned))
        return 0;
    s->lagrange_done = 1;
    int S = m->n_sites, rc;
    int *lag_b = calloc((size_t)S + 1, sizeof *lag_b);
    int *plan2 = calloc((size_t)S + 1, sizeof *plan2);
    int *early2 = calloc((size_t)S + 1, sizeof *early2);
    if (!lag_b || !plan2 || !early2) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", S);
        goto out;
    }
    double bound;
    rc = sol_lagrange_bound(&bound, lag_b, &s->lagrange_steps, m, s->value, in->lagrange_steps, in->mip_gap,
                            lagrange_report, s, err);
    if (rc)
        goto out;
    sol_search_bound(s, bound, "lagrangian");
    if (!s->lag_build) { /* kept for the decomposition's second round (its shares) */
        s->lag_build = lag_b;
        lag_b = NULL;
    }
    if (s->greedy_seconds > sol_search_left(s)) {
        r5g_log(R5G_LOG_DEBUG, "solver: no time left for the Lagrangian-guided greedy plan (%.2f s, %.2f s left)",
                s->greedy_seconds, sol_search_left(s));
        goto out;
    }
    int *early = m->early;
    const int *lb = lag_b ? lag_b : s->lag_build;
    for (int k = 0; k < S; k++)
        early2[k] = lb[k] > 0 ? (lb[k] > early[k] ? lb[k] : early[k]) : m->T + 1;
    m->early = early2;
    rc = sol_model_greedy(m, plan2, err);
    m->early = early;
    if (rc)
        goto out;
    double v2 = sol_model_feasible(m, plan2) ? sol_model_value(m, plan2) : -HUGE_VAL;
    r5g_log(R5G_LOG_DEBUG, "solver: Lagrangian-guided greedy plan %.6g (greedy %.6g)", v2, s->value);
    /* a worse guided plan may still lead the local search elsewhere */
    if (v2 > -HUGE_VAL && v2 <= s->value && sol_local_applies(m)) {
        if ((rc = sol_search_polish(s, plan2, &v2, err)) != 0)
            goto out;
        r5g_log(R5G_LOG_DEBUG, "solver: local search from the guided plan: %.6g", v2);
        if (sol_search_offer(s, plan2, v2, "local", 0))
            goto out;
    }
    sol_search_offer(s, plan2, v2, "lagrange", 0);
out:
    free(lag_b);
    free(plan2);
    free(early2);
    return rc;
}

const sol_step sol_bound_lagrange = {.name = "lagrange", .exec = lagrange_exec};
