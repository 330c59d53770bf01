/* solver: a model (sol_input, its arrays and search settings) as one byte
 * buffer and back, so that another process of the same binary (an MPI rank)
 * can solve a region of the decomposition; and that process's side:
 * sol_solve_packed. The byte order and type sizes are this build's: a
 * message between ranks of one binary (or a benchmark's dump), not a file
 * format. No GLPK here. */
#include "solver/sol_search.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PACK_MAGIC 0x52354731u /* "R5G1" */
#define REPLY_MAGIC 0x52354752u

/* ---- writing: a growing buffer with a sticky error --------------------------- */

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} wbuf;

static void put(wbuf *b, const void *src, size_t len)
{
    if (b->oom || len == 0)
        return;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + len)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, len);
    b->n += len;
}

static void put_int(wbuf *b, int v) { put(b, &v, sizeof v); }
static void put_ll(wbuf *b, long long v) { put(b, &v, sizeof v); }
static void put_dbl(wbuf *b, double v) { put(b, &v, sizeof v); }

/* an array behind its element count (-1: NULL) */
static void put_arr(wbuf *b, const void *a, size_t size, long long n)
{
    put_ll(b, a ? n : -1);
    if (a)
        put(b, a, size * (size_t)n);
}

/* ---- reading: bounds-checked, arrays pointing into one copy ------------------- */

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rbuf;

static void get(rbuf *b, void *dst, size_t len)
{
    if (b->bad || len > b->n - b->at) {
        b->bad = 1;
        memset(dst, 0, len);
        return;
    }
    memcpy(dst, b->p + b->at, len);
    b->at += len;
}

static int get_int(rbuf *b)
{
    int v;
    get(b, &v, sizeof v);
    return v;
}
static long long get_ll(rbuf *b)
{
    long long v;
    get(b, &v, sizeof v);
    return v;
}
static double get_dbl(rbuf *b)
{
    double v;
    get(b, &v, sizeof v);
    return v;
}

/* an array of exactly `want` elements (or NULL), copied to aligned memory
 * taken from *store (owned by the caller's storage list) */
typedef struct store {
    void **blocks;
    int n, cap;
    int oom;
} store;

static void *keep(store *st, size_t len)
{
    if (st->oom)
        return NULL;
    if (st->n == st->cap) {
        int cap = st->cap ? 2 * st->cap : 32;
        void **bl = realloc(st->blocks, (size_t)cap * sizeof *bl);
        if (!bl) {
            st->oom = 1;
            return NULL;
        }
        st->blocks = bl;
        st->cap = cap;
    }
    void *p = malloc(len ? len : 1);
    if (!p) {
        st->oom = 1;
        return NULL;
    }
    st->blocks[st->n++] = p;
    return p;
}

static void *get_arr(rbuf *b, store *st, size_t size, long long want)
{
    long long n = get_ll(b);
    if (b->bad || n == -1)
        return NULL;
    if (n != want || n < 0 || (size_t)n > (b->n - b->at) / size) {
        b->bad = 1;
        return NULL;
    }
    void *p = keep(st, size * (size_t)n);
    if (p)
        get(b, p, size * (size_t)n);
    else
        b->at += size * (size_t)n;
    return p;
}

/* ---- the model ------------------------------------------------------------------ */

int sol_input_pack(const sol_input *in, unsigned char **out, size_t *out_len)
{
    wbuf b = {0};
    int T = in->n_periods, S = in->n_sites, D = in->n_demand;
    long long np = D > 0 && in->cov_ptr ? in->cov_ptr[D] : 0;
    put_int(&b, (int)PACK_MAGIC);
    put_int(&b, T);
    put_int(&b, S);
    put_int(&b, D);
    put_int(&b, in->carry_over);
    put_int(&b, in->min_cost);
    put_int(&b, in->n_targets);
    put_arr(&b, in->capex, sizeof(double), S);
    put_arr(&b, in->existing, 1, S);
    put_arr(&b, in->earliest, sizeof(int), S);
    put_arr(&b, in->fixed_build, sizeof(int), S);
    put_arr(&b, in->budget, sizeof(double), T);
    put_arr(&b, in->max_new, sizeof(int), T);
    put_arr(&b, in->weight, sizeof(double), D);
    put_arr(&b, in->credit_from, sizeof(int), D);
    put_arr(&b, in->period_factor, sizeof(double), T);
    put_arr(&b, in->cov_ptr, sizeof(int), (long long)D + 1);
    put_arr(&b, in->cov_site, sizeof(int), np);
    put_arr(&b, in->due, sizeof(int), D);
    put_arr(&b, in->site_group, sizeof(int), S);
    put_arr(&b, in->site_cap, sizeof(double), S);
    put_arr(&b, in->traffic, sizeof(double), D);
    put_arr(&b, in->start_plan, sizeof(int), S);
    for (int k = 0; k < in->n_targets; k++) {
        const sol_target *g = &in->targets[k];
        put_int(&b, g->kind);
        put_int(&b, g->period);
        put_int(&b, g->group);
        put_dbl(&b, g->rhs);
        put_arr(&b, g->coef, sizeof(double), g->kind == SOL_TARGET_DEMAND ? D : 0);
    }
    /* the search settings (not the progress callback) */
    put_dbl(&b, in->time_limit_s);
    put_dbl(&b, in->mip_gap);
    put_dbl(&b, in->lp_max_s);
    int set[14] = {in->presolve,   in->cuts,           in->heuristics,     in->feasibility_pump,
                   in->proximity_search, in->lagrange_cols, in->decompose, in->workers,
                   in->lagrange_steps, in->rens_nodes,  in->tree_nodes,     in->no_reductions, 0, 0};
    put(&b, set, sizeof set);
    if (b.oom) {
        free(b.p);
        return R5G_ENOMEM;
    }
    *out = b.p;
    *out_len = b.n;
    return 0;
}

int sol_input_unpack(sol_input *in, sol_packed_store **storage, const unsigned char *buf, size_t len, r5g_err *err)
{
    rbuf b = {buf, len, 0, 0};
    store *st = calloc(1, sizeof *st);
    *storage = (sol_packed_store *)st;
    if (!st)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for a packed model");
    sol_input_init(in);
    if ((unsigned)get_int(&b) != PACK_MAGIC)
        return r5g_err_set(err, R5G_EINPUT, "solver: not a packed model (%zu bytes)", len);
    int T = in->n_periods = get_int(&b);
    int S = in->n_sites = get_int(&b);
    int D = in->n_demand = get_int(&b);
    in->carry_over = get_int(&b);
    in->min_cost = get_int(&b);
    in->n_targets = get_int(&b);
    if (b.bad || T < 1 || S < 0 || D < 0 || in->n_targets < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver: a packed model with a broken header (%zu bytes)", len);
    in->capex = get_arr(&b, st, sizeof(double), S);
    in->existing = get_arr(&b, st, 1, S);
    in->earliest = get_arr(&b, st, sizeof(int), S);
    in->fixed_build = get_arr(&b, st, sizeof(int), S);
    in->budget = get_arr(&b, st, sizeof(double), T);
    in->max_new = get_arr(&b, st, sizeof(int), T);
    in->weight = get_arr(&b, st, sizeof(double), D);
    in->credit_from = get_arr(&b, st, sizeof(int), D);
    in->period_factor = get_arr(&b, st, sizeof(double), T);
    int *ptr = get_arr(&b, st, sizeof(int), (long long)D + 1);
    in->cov_ptr = ptr;
    long long np = ptr ? ptr[D] : 0;
    if (ptr && (ptr[0] != 0 || np < 0))
        b.bad = 1;
    for (int j = 0; ptr && !b.bad && j < D; j++)
        if (ptr[j + 1] < ptr[j])
            b.bad = 1;
    const int *cs = get_arr(&b, st, sizeof(int), np);
    in->cov_site = cs;
    for (long long k = 0; cs && !b.bad && k < np; k++)
        if (cs[k] < 0 || cs[k] >= S)
            b.bad = 1;
    in->due = get_arr(&b, st, sizeof(int), D);
    in->site_group = get_arr(&b, st, sizeof(int), S);
    in->site_cap = get_arr(&b, st, sizeof(double), S);
    in->traffic = get_arr(&b, st, sizeof(double), D);
    in->start_plan = get_arr(&b, st, sizeof(int), S);
    sol_target *tg = in->n_targets ? keep(st, (size_t)in->n_targets * sizeof *tg) : NULL;
    for (int k = 0; tg && !b.bad && k < in->n_targets; k++) {
        tg[k].kind = (sol_target_kind)get_int(&b);
        tg[k].period = get_int(&b);
        tg[k].group = get_int(&b);
        tg[k].rhs = get_dbl(&b);
        tg[k].coef = get_arr(&b, st, sizeof(double), tg[k].kind == SOL_TARGET_DEMAND ? D : 0);
    }
    in->targets = tg;
    in->time_limit_s = get_dbl(&b);
    in->mip_gap = get_dbl(&b);
    in->lp_max_s = get_dbl(&b);
    int set[14];
    get(&b, set, sizeof set);
    in->presolve = set[0];
    in->cuts = set[1];
    in->heuristics = set[2];
    in->feasibility_pump = set[3];
    in->proximity_search = set[4];
    in->lagrange_cols = set[5];
    in->decompose = set[6];
    in->workers = set[7];
    in->lagrange_steps = set[8];
    in->rens_nodes = set[9];
    in->tree_nodes = set[10];
    in->no_reductions = set[11];
    if (st->oom)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for a packed model of %d sites", S);
    if (b.bad || b.at != len || (S > 0 && !in->capex) || (D > 0 && (!in->cov_ptr || !in->cov_site)))
        return r5g_err_set(err, R5G_EINPUT, "solver: a packed model that is truncated or inconsistent at byte %zu "
                           "of %zu", b.at, len);
    return 0;
}

void sol_packed_free(sol_packed_store *storage)
{
    store *st = (store *)storage;
    if (!st)
        return;
    for (int k = 0; k < st->n; k++)
        free(st->blocks[k]);
    free(st->blocks);
    free(st);
}

/* ---- a region solved in another process ---------------------------------------- */

typedef struct stop_ctx {
    int (*stop)(void *user);
    void *user;
} stop_ctx;

static int on_progress(void *user, const sol_progress *p)
{
    (void)p;
    const stop_ctx *c = user;
    return c->stop(c->user);
}

int sol_solve_packed(unsigned char **reply, size_t *reply_len, const unsigned char *model, size_t len,
                     int (*stop)(void *user), void *user)
{
    sol_input in;
    sol_packed_store *st = NULL;
    sol_result res = {0};
    r5g_err err = {0};
    double c0 = sol_cpu_now(), t0 = r5g_now();
    int rc = sol_input_unpack(&in, &st, model, len, &err);
    stop_ctx sc = {stop, user};
    if (rc == 0) {
        if (stop) {
            in.on_progress = on_progress;
            in.progress_user = &sc;
        }
        rc = sol_solve(&res, &in, &err);
    }
    wbuf b = {0};
    put_int(&b, (int)REPLY_MAGIC);
    put_int(&b, rc);
    put_int(&b, rc == 0 ? (int)res.status : 0);
    put_dbl(&b, rc == 0 ? res.objective : 0);
    put_dbl(&b, rc == 0 ? res.bound : 0);
    put_dbl(&b, r5g_now() - t0);
    put_dbl(&b, sol_cpu_now() - c0);
    put_ll(&b, rc == 0 ? res.lagrange_steps : 0);
    put_ll(&b, rc == 0 ? res.rens_nodes : 0);
    put_ll(&b, rc == 0 ? res.tree_nodes : 0);
    put_ll(&b, rc == 0 ? res.local_moves : 0);
    put_arr(&b, rc == 0 ? res.build_period : NULL, sizeof(int), in.n_sites);
    put(&b, err.msg, strnlen(err.msg, sizeof err.msg));
    if (rc == 0)
        sol_result_free(&res);
    sol_packed_free(st);
    if (b.oom) {
        free(b.p);
        return R5G_ENOMEM;
    }
    *reply = b.p;
    *reply_len = b.n;
    return 0;
}

int sol_reply_unpack(sol_reply *r, const unsigned char *buf, size_t len)
{
    rbuf b = {buf, len, 0, 0};
    memset(r, 0, sizeof *r);
    if ((unsigned)get_int(&b) != REPLY_MAGIC)
        return -1;
    r->rc = get_int(&b);
    r->status = get_int(&b);
    r->objective = get_dbl(&b);
    r->bound = get_dbl(&b);
    r->seconds = get_dbl(&b);
    r->cpu = get_dbl(&b);
    r->lagrange_steps = get_ll(&b);
    r->rens_nodes = get_ll(&b);
    r->tree_nodes = get_ll(&b);
    r->local_moves = get_ll(&b);
    long long n = get_ll(&b);
    if (b.bad || n < -1 || (n > 0 && (size_t)n > (len - b.at) / sizeof(int)))
        return -1;
    r->n_sites = n < 0 ? -1 : (int)n;
    r->build_period = n >= 0 ? buf + b.at : NULL;
    b.at += n > 0 ? (size_t)n * sizeof(int) : 0;
    size_t m = len - b.at < sizeof r->msg - 1 ? len - b.at : sizeof r->msg - 1;
    memcpy(r->msg, buf + b.at, m);
    r->msg[m] = '\0';
    return 0;
}
