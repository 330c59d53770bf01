/* solver: regional decomposition (docs/model.md, "Regional decomposition").
 *
 * The reduced model's coverage graph (groups and the sites covering them)
 * falls apart into connected components: a province's cities and the rural
 * clusters between them share no demand point. What couples them is only
 * the budget and build-limit rows. So, from the incumbent (a plan keeping
 * every rule):
 *   1. the components are packed into regions of comparable size (in the
 *      order of their lowest site, a fixed size target: the same regions
 *      whatever the number of workers);
 *   2. each region gets a share of the coupling rows (resource-directive
 *      decomposition, Geoffrion 1970): what the incumbent spends and builds
 *      there per period, plus a share of what it leaves unspent, split by
 *      the region's weight of the demand it leaves uncovered. The shares
 *      add up to at most each row's right side, so any union of regional
 *      plans that keep their shares keeps the provincial rows;
 *   3. each region is a model of its own (its groups as demand points, its
 *      sites, its shares as budgets and build limits), solved by sol_solve
 *      with the incumbent's restriction as its start plan, so a region never
 *      comes back worse than the incumbent there: the union is at least as
 *      good as the incumbent and keeps every rule;
 *   4. the regions are solved in parallel, one forked process per region, at
 *      most `workers` at a time, each writing its plan into its own slice of
 *      a shared mapping; a region's solve depends only on its own model and
 *      work budgets, so the plan is the same with 1, 2 or more workers.
 * The steps after it (the local search over the whole plan, which moves
 * budget between regions, and GLPK where the model fits) continue from the
 * union. The bound stays the provincial one (Lagrangian or LP): a region's
 * own bound holds only for its share. No GLPK here. */
#include "solver/sol_search.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The size target of a region, in columns: a fixed share of the model, at
 * least DEC_MIN_COLS under decompose: auto (smaller regions cost more in
 * forks than they gain). */
#ifndef DEC_SHARE
#define DEC_SHARE 24
#endif
#ifndef DEC_MIN_COLS
#define DEC_MIN_COLS 4000
#endif
/* Late rounds (a model whose root LP did not fit): smaller tiles, since the
 * model is (district-xl, 55k columns: tiles of 2,264 columns gave 0.092 %
 * where tiles of 4,000 gave 0.104 %), but not so small that a tile is a
 * site or two with nothing to trade. */
#ifndef DEC_LATE_MIN_COLS
#define DEC_LATE_MIN_COLS 2000
#endif
/* A region's GLPK tree: its work budget in nodes. */
#ifndef DEC_TREE_NODES
#define DEC_TREE_NODES 200
#endif
/* A region's Lagrangian bound and guided plan: subgradient steps (its bound
 * holds for its share only; the provincial bound gets the full budget). */
#ifndef DEC_LAG_STEPS
#define DEC_LAG_STEPS 3000
#endif
/* A region's solve, predicted in CPU seconds per column (measured on the
 * city's tiles and the province's regions on a 2-core test machine: 0.92-
 * 0.96e-4). Colours of tiles after the first run only while the round's
 * prediction fits its share of the user's limit: a decision from sizes and
 * settings alone, so the plan does not depend on the load or the workers. */
#ifndef DEC_CPU_PER_COL
#define DEC_CPU_PER_COL 1e-4
#endif
/* Decomposition pays only when no region holds most of the model. */
#define DEC_MAX_SHARE 0.9

typedef struct region {
    int n_sites, n_groups;
    int *site;          /* [n_sites] global indices, ascending */
    int *group;         /* [n_groups] global indices, ascending */
    long long cols;
    int colour;         /* tiles: regions of one colour share no group (components: all 0) */
} region;

/* What a region's process leaves in the shared mapping. */
typedef struct region_out {
    int rc;             /* 0, or the solve's error code */
    int done;           /* 1 once written */
    int status;
    double objective, bound, seconds, cpu;
    long long lagrange_steps, rens_nodes, tree_nodes, local_moves;
} region_out;

/* ---- components and regions ----------------------------------------------- */

static int uf_find(int *par, int a)
{
    while (par[a] != a) {
        par[a] = par[par[a]];
        a = par[a];
    }
    return a;
}

static int in_model(const sol_model *m, int s)
{
    return m->useful[s] && m->early[s] <= m->T;
}

/* The regions of m: *n_out of them (0 when the model is one region). */
static int make_regions(region **out, int *n_out, const sol_model *m, long long min_cols, r5g_err *err)
{
    int S = m->n_sites, G = m->n_groups, rc = 0;
    *out = NULL;
    *n_out = 0;
    int *par = malloc(((size_t)S + 1) * sizeof *par);
    int *comp = malloc(((size_t)S + 1) * sizeof *comp);     /* root -> component index */
    long long *ccols = NULL;
    int *creg = NULL;
    if (!par || !comp) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the regions of %d sites", S);
        goto out;
    }
    for (int s = 0; s < S; s++)
        par[s] = s;
    for (int g = 0; g < G; g++) {
        int a = uf_find(par, m->gsite[m->gptr[g]]);
        for (int k = m->gptr[g] + 1; k < m->gptr[g + 1]; k++) {
            int b = uf_find(par, m->gsite[k]);
            if (a != b) { /* the smaller index is the root: deterministic */
                if (b < a) {
                    int x = a;
                    a = b;
                    b = x;
                }
                par[b] = a;
            }
        }
    }
    /* components in the order of their lowest site (the root) */
    int nc = 0;
    for (int s = 0; s < S; s++)
        comp[s] = -1;
    for (int s = 0; s < S; s++)
        if (in_model(m, s) && uf_find(par, s) == s)
            comp[s] = nc++;
    if (nc < 2)
        goto out;
    ccols = calloc((size_t)nc, sizeof *ccols);
    creg = malloc((size_t)nc * sizeof *creg);
    if (!ccols || !creg) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d components", nc);
        goto out;
    }
    long long total = 0;
    for (int s = 0; s < S; s++)
        if (in_model(m, s)) {
            long long c = sol_site_cols(m, s);
            ccols[comp[uf_find(par, s)]] += c;
            total += c;
        }
    for (int g = 0; g < G; g++) {
        long long c = sol_group_cols(m, g);
        ccols[comp[uf_find(par, m->gsite[m->gptr[g]])]] += c;
        total += c;
    }
    long long target = total / DEC_SHARE > min_cols ? total / DEC_SHARE : min_cols;
    /* pack: a component of the target size or more is a region; smaller
     * ones fill the current open region until it reaches the target */
    int nr = 0, open = -1;
    long long open_cols = 0, max_cols = 0;
    for (int c = 0; c < nc; c++) {
        if (ccols[c] >= target) {
            creg[c] = nr++;
            max_cols = ccols[c] > max_cols ? ccols[c] : max_cols;
            continue;
        }
        if (open < 0 || open_cols >= target) {
            if (open >= 0 && open_cols > max_cols)
                max_cols = open_cols;
            open = nr++;
            open_cols = 0;
        }
        creg[c] = open;
        open_cols += ccols[c];
    }
    if (open >= 0 && open_cols > max_cols)
        max_cols = open_cols;
    if (nr < 2 || (double)max_cols > DEC_MAX_SHARE * (double)total) {
        r5g_log(R5G_LOG_DEBUG, "solver: decomposition: %d components, %d regions, the largest %.0f%% of the "
                "columns: not decomposed", nc, nr, 100.0 * (double)max_cols / (double)(total ? total : 1));
        goto out;
    }
    region *R = calloc((size_t)nr, sizeof *R);
    if (!R) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d regions", nr);
        goto out;
    }
    *out = R;
    *n_out = nr;
    for (int s = 0; s < S; s++)
        if (in_model(m, s))
            R[creg[comp[uf_find(par, s)]]].n_sites++;
    for (int g = 0; g < G; g++)
        R[creg[comp[uf_find(par, m->gsite[m->gptr[g]])]]].n_groups++;
    for (int r = 0; r < nr; r++) {
        R[r].site = malloc(((size_t)R[r].n_sites + 1) * sizeof *R[r].site);
        R[r].group = malloc(((size_t)R[r].n_groups + 1) * sizeof *R[r].group);
        if (!R[r].site || !R[r].group) {
            rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d regions", nr);
            goto out;
        }
        R[r].n_sites = R[r].n_groups = 0;
    }
    for (int s = 0; s < S; s++)
        if (in_model(m, s)) {
            region *q = &R[creg[comp[uf_find(par, s)]]];
            q->site[q->n_sites++] = s;
            q->cols += sol_site_cols(m, s);
        }
    for (int g = 0; g < G; g++) {
        region *q = &R[creg[comp[uf_find(par, m->gsite[m->gptr[g]])]]];
        q->group[q->n_groups++] = g;
        q->cols += sol_group_cols(m, g);
    }
    r5g_log(R5G_LOG_DEBUG, "solver: decomposition: %d components packed into %d regions (target %lld columns, "
            "the largest %lld of %lld)", nc, nr, target, max_cols, total);
out:
    free(par);
    free(comp);
    free(ccols);
    free(creg);
    return rc;
}

static void free_regions(region *R, int n)
{
    for (int r = 0; R && r < n; r++) {
        free(R[r].site);
        free(R[r].group);
    }
    free(R);
}

/* Tiles, for a model that is one component (a city) or nearly: the sites
 * cut into regions of the size target by breadth-first growth over the
 * coverage graph (from the lowest unassigned site; a tile whose growth runs
 * out below the target goes on from the next lowest; from_last: from the
 * highest, so that a second round's tiles have other borders), so a tile is
 * a few compact pieces of the map. A tile's groups are all those its sites cover;
 * the sites of other tiles covering them are fixed at the incumbent in the
 * tile's model (commitments, paid from the tile's share), so the tile's
 * model is exact for its sites. Tiles that share a group get different
 * colours (greedy, in tile order), and one colour is solved at a time: the
 * tiles of a colour then change disjoint parts of the objective, and their
 * union is the incumbent plus each tile's gain. */
static int make_tiles(region **out, int *n_out, int *n_colours, const sol_model *m, long long min_cols,
                      int from_last, r5g_err *err)
{
    int S = m->n_sites, G = m->n_groups, rc = 0, nt = 0;
    *out = NULL;
    *n_out = *n_colours = 0;
    int *tile = malloc(((size_t)S + 1) * sizeof *tile);
    int *queue = malloc(((size_t)S + 1) * sizeof *queue);
    int *seen = malloc(((size_t)S + 1) * sizeof *seen);   /* site: the tile that queued it, + 1 */
    int *gtile = malloc(((size_t)G + 1) * sizeof *gtile);  /* group: the tile that counted it, + 1 */
    unsigned char *adj = NULL;
    region *R = NULL;
    if (!tile || !queue || !seen || !gtile) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for the tiles of %d sites", S);
        goto out;
    }
    long long total = sol_model_cols(m);
    for (int st = 0; st < S; st++) {
        tile[st] = -1;
        seen[st] = 0;
    }
    for (int g = 0; g < G; g++)
        gtile[g] = 0;
    long long target = total / DEC_SHARE > min_cols ? total / DEC_SHARE : min_cols;
    long long cols = 0;
    int seed = 0;
    for (;;) {
        int root = -1;
        for (; seed < S && root < 0; seed++) {
            int st = from_last ? S - 1 - seed : seed;
            if (tile[st] < 0 && in_model(m, st))
                root = st;
        }
        if (root < 0)
            break;
        if (nt == 0 || cols >= target) { /* a new tile */
            nt++;
            cols = 0;
        }
        int cur = nt - 1, head = 0, tail = 0;
        queue[tail++] = root;
        seen[root] = cur + 1;
        while (head < tail && cols < target) {
            int u = queue[head++];
            if (tile[u] >= 0)
                continue;
            tile[u] = cur;
            cols += sol_site_cols(m, u);
            for (int k = m->sptr[u]; k < m->sptr[u + 1]; k++) {
                int g = m->sgroup[k];
                if (gtile[g] != cur + 1) {
                    if (gtile[g] == 0)
                        cols += sol_group_cols(m, g);
                    gtile[g] = cur + 1;
                }
                for (int e = m->gptr[g]; e < m->gptr[g + 1]; e++) {
                    int v = m->gsite[e];
                    if (tile[v] < 0 && seen[v] != cur + 1 && in_model(m, v)) {
                        seen[v] = cur + 1;
                        queue[tail++] = v;
                    }
                }
            }
        }
    }
    if (nt < 2)
        goto out;
    /* colours: tiles sharing a group are adjacent */
    adj = calloc((size_t)nt * nt, 1);
    R = calloc((size_t)nt, sizeof *R);
    if (!adj || !R) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d tiles", nt);
        goto out;
    }
    for (int g = 0; g < G; g++) {
        for (int e = m->gptr[g]; e < m->gptr[g + 1]; e++)
            for (int f = e + 1; f < m->gptr[g + 1]; f++) {
                int x = tile[m->gsite[e]], y = tile[m->gsite[f]];
                if (x >= 0 && y >= 0 && x != y)
                    adj[(size_t)x * nt + y] = adj[(size_t)y * nt + x] = 1;
            }
    }
    int nc = 0;
    for (int a = 0; a < nt; a++) {
        int col = 0;
        for (;; col++) {
            int clash = 0;
            for (int b = 0; b < a && !clash; b++)
                clash = adj[(size_t)a * nt + b] && R[b].colour == col;
            if (!clash)
                break;
        }
        R[a].colour = col;
        nc = col + 1 > nc ? col + 1 : nc;
    }
    for (int st = 0; st < S; st++)
        if (tile[st] >= 0)
            R[tile[st]].n_sites++;
    for (int g = 0; g < G; g++)
        gtile[g] = 0;
    for (int r = 0; r < nt; r++) {
        R[r].site = malloc(((size_t)R[r].n_sites + 1) * sizeof *R[r].site);
        if (!R[r].site) {
            rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d tiles", nt);
            goto out;
        }
        R[r].n_sites = 0;
    }
    for (int st = 0; st < S; st++)
        if (tile[st] >= 0) {
            region *q = &R[tile[st]];
            q->site[q->n_sites++] = st;
            q->cols += sol_site_cols(m, st);
        }
    /* a tile's groups: those its sites cover, ascending */
    for (int r = 0; r < nt; r++) {
        int n = 0;
        for (int k = 0; k < R[r].n_sites; k++) {
            int st = R[r].site[k];
            for (int e = m->sptr[st]; e < m->sptr[st + 1]; e++)
                if (gtile[m->sgroup[e]] != r + 1) {
                    gtile[m->sgroup[e]] = r + 1;
                    n++;
                }
        }
        R[r].group = malloc(((size_t)n + 1) * sizeof *R[r].group);
        if (!R[r].group) {
            rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d tiles", nt);
            goto out;
        }
        for (int g = 0; g < G; g++)
            if (gtile[g] == r + 1) {
                R[r].group[R[r].n_groups++] = g;
                R[r].cols += sol_group_cols(m, g);
            }
    }
    r5g_log(R5G_LOG_DEBUG, "solver: decomposition: %d tiles of about %lld columns (of %lld) in %d colours", nt,
            target, total, nc);
    *out = R;
    *n_out = nt;
    *n_colours = nc;
    R = NULL;
out:
    if (R)
        for (int r = 0; r < nt; r++) {
            free(R[r].site);
            free(R[r].group);
        }
    free(R);
    free(adj);
    free(tile);
    free(queue);
    free(seen);
    free(gtile);
    return rc;
}

/* ---- shares of the coupling rows --------------------------------------------- */

/* Per region r and period t (0-based): bud[r*T + t] the region's budget of
 * period t (carry-over: what it adds to the cumulative), lim[r*T + t] its
 * build limit (-1: none). From what plan spends and builds in each region
 * (scaled down in a period where it spends or builds more than the row
 * allows: the Lagrangian plan may), plus the rest of the row split by
 * share[r]. The shares of a row add up to at most its right side, less what
 * the sites outside the round's regions (is_free[s] = 0) spend and build
 * in the incumbent; a region's committed sites are paid on top, unscaled. */
static void make_shares(double *bud, int *lim, const sol_model *m, const region *R, int nr, const int *plan,
                        const double *share, const unsigned char *is_free, const int *incumbent)
{
    const sol_input *in = m->in;
    int T = m->T;
    double G[64] = {0};
    int Gn[64] = {0};
    for (int r = 0; r < nr; r++) { /* the plan's spend and builds per region and period */
        double *b = bud + (size_t)r * T;
        int *l = lim + (size_t)r * T;
        memset(b, 0, (size_t)T * sizeof *b);
        memset(l, 0, (size_t)T * sizeof *l);
        for (int k = 0; k < R[r].n_sites; k++) {
            int st = R[r].site[k], p = plan[st];
            if (sol_fixed(in, st))
                continue; /* paid in full, below */
            if (p >= 1 && p <= T) {
                b[p - 1] += in->capex[st];
                l[p - 1]++;
            }
        }
    }
    /* the sites no region of the round may change spend and build as they
     * do: committed sites outside every region (they cover no demand
     * group) and, in a round of tiles, the other tiles' sites at the
     * incumbent; what is left of the rows is shared */
    double out_spend[64] = {0};
    int out_built[64] = {0};
    for (int st = 0; st < m->n_sites; st++) {
        if (is_free[st] && !sol_fixed(in, st))
            continue;
        int p = sol_fixed(in, st) ? sol_fixed(in, st) : in_model(m, st) ? incumbent[st] : 0;
        if (p >= 1 && p <= T) {
            out_spend[p - 1] += in->capex[st];
            out_built[p - 1]++;
        }
    }
    if (in->budget) {
        double row[64], cum = 0, out_cum = 0;
        for (int t = 0; t < T; t++) {
            cum += in->budget[t];
            out_cum += out_spend[t];
            row[t] = in->carry_over ? cum - out_cum : in->budget[t] - out_spend[t];
            if (row[t] < 0)
                row[t] = 0;
        }
        for (int r = 0; r < nr; r++) { /* carry-over: as cumulative spend */
            double *b = bud + (size_t)r * T;
            for (int t = 1; in->carry_over && t < T; t++)
                b[t] += b[t - 1];
            for (int t = 0; t < T; t++)
                G[t] += b[t];
        }
        for (int r = 0; r < nr; r++) {
            double *b = bud + (size_t)r * T, cs[64];
            for (int t = 0; t < T; t++) {
                double f = G[t] > row[t] ? row[t] / G[t] : 1;
                double base_sum = G[t] * f;
                double slack = row[t] - base_sum > 0 ? row[t] - base_sum : 0;
                cs[t] = isinf(row[t]) ? INFINITY : b[t] * f + share[r] * slack;
            }
            if (!in->carry_over) {
                memcpy(b, cs, (size_t)T * sizeof *b);
                continue;
            }
            /* non-decreasing from the right (every period's addition >= 0),
             * never above the cumulative share anywhere */
            for (int t = T - 2; t >= 0; t--)
                if (cs[t] > cs[t + 1])
                    cs[t] = cs[t + 1];
            double prev = 0;
            for (int t = 0; t < T; t++) {
                if (isinf(cs[t])) {
                    for (; t < T; t++)
                        b[t] = INFINITY;
                    break;
                }
                b[t] = cs[t] - prev > 0 ? cs[t] - prev : 0;
                prev = cs[t];
            }
        }
    }
    for (int t = 0; t < T; t++) {
        if (!in->max_new || in->max_new[t] < 0) {
            for (int r = 0; r < nr; r++)
                lim[(size_t)r * T + t] = -1;
            continue;
        }
        int N = in->max_new[t] - out_built[t], given = 0;
        if (N < 0)
            N = 0;
        for (int r = 0; r < nr; r++)
            Gn[t] += lim[(size_t)r * T + t];
        for (int r = 0; r < nr; r++) {
            int *l = &lim[(size_t)r * T + t];
            if (Gn[t] > N)
                *l = (int)floor((double)*l * N / Gn[t]);
            given += *l;
        }
        int rest = N - given > 0 ? N - given : 0, more = 0;
        for (int r = 0; r < nr; r++) {
            int add = (int)floor(share[r] * rest);
            lim[(size_t)r * T + t] += add;
            more += add;
        }
        for (int r = 0; r < nr && more < rest; r++) /* the remainder, in region order */
            if (share[r] > 0) {
                lim[(size_t)r * T + t]++;
                more++;
            }
    }
    /* a region's committed sites on top of its share: they must build
     * whatever the shares are */
    for (int r = 0; r < nr; r++)
        for (int k = 0; k < R[r].n_sites; k++) {
            int st = R[r].site[k], p = sol_fixed(in, st);
            if (!p)
                continue;
            double *b = &bud[(size_t)r * T + p - 1];
            int *l = &lim[(size_t)r * T + p - 1];
            if (in->budget && isfinite(*b))
                *b += in->capex[st];
            if (*l >= 0)
                (*l)++;
        }
}

/* share[r]: the region's part of the weight the incumbent leaves uncovered
 * (credited periods missed, discounted), so unspent budget goes where there
 * is demand left to win. */
static void make_weights(double *share, const sol_model *m, const region *R, int nr, const int *plan)
{
    int T = m->T;
    double total = 0;
    for (int r = 0; r < nr; r++) {
        double left = 0;
        for (int k = 0; k < R[r].n_groups; k++) {
            int g = R[r].group[k];
            if (m->gcf[g] > T)
                continue;
            int f = sol_model_group_first(m, plan, g);
            int from = m->gtmin[g];
            int to = f ? (f > from ? f : from) : T + 1;
            left += m->gw[g] * (m->tail[from] - m->tail[to]);
        }
        share[r] = left;
        total += left;
    }
    for (int r = 0; r < nr; r++)
        share[r] = total > 0 ? share[r] / total : 1.0 / nr;
}

/* ---- one region's model and solve -------------------------------------------- */

typedef struct region_model {
    sol_input in;
    double *capex, *weight, *budget;
    int *earliest, *fixed, *credit, *due, *cov_ptr, *cov_site, *max_new, *start;
} region_model;

static void region_model_free(region_model *q)
{
    free(q->capex);
    free(q->weight);
    free(q->budget);
    free(q->earliest);
    free(q->fixed);
    free(q->credit);
    free(q->due);
    free(q->cov_ptr);
    free(q->cov_site);
    free(q->max_new);
    free(q->start);
}

/* The region's own model: its groups as demand points (weight, first
 * credited period, due period), its sites (capex, earliest or committed
 * period), its shares as budgets and build limits; the start plan is the
 * incumbent there. A tile's groups are also covered by sites of other
 * tiles: those the incumbent builds come after its own sites, committed
 * to their period and paid on top of the share (what does not build
 * covers nothing). local[] maps global sites to the region's (scratch). */
static int region_model_init(region_model *q, const sol_search *s, const region *R, const double *bud,
                             const int *lim, int *local, double time_limit)
{
    const sol_model *m = s->m;
    const sol_input *in = s->in;
    int T = m->T, own = R->n_sites, ns = own, ng = R->n_groups;
    memset(q, 0, sizeof *q);
    long long npairs = 0;
    int any_due = 0;
    for (int st = 0; st < m->n_sites; st++)
        local[st] = -1;
    for (int k = 0; k < own; k++)
        local[R->site[k]] = k;
    for (int k = 0; k < ng; k++) {
        int g = R->group[k];
        npairs += m->gptr[g + 1] - m->gptr[g];
        any_due |= m->gdue && m->gdue[g];
        for (int e = m->gptr[g]; e < m->gptr[g + 1]; e++) { /* another tile's site */
            int st = m->gsite[e];
            if (local[st] < 0 && s->plan[st] >= 1 && s->plan[st] <= T)
                local[st] = ns++;
        }
    }
    q->capex = malloc(((size_t)ns + 1) * sizeof *q->capex);
    q->earliest = malloc(((size_t)ns + 1) * sizeof *q->earliest);
    q->fixed = calloc((size_t)ns + 1, sizeof *q->fixed);
    q->start = malloc(((size_t)ns + 1) * sizeof *q->start);
    q->weight = malloc(((size_t)ng + 1) * sizeof *q->weight);
    q->credit = malloc(((size_t)ng + 1) * sizeof *q->credit);
    q->due = any_due ? calloc((size_t)ng + 1, sizeof *q->due) : NULL;
    q->cov_ptr = malloc(((size_t)ng + 1) * sizeof *q->cov_ptr);
    q->cov_site = malloc(((size_t)npairs + 1) * sizeof *q->cov_site);
    q->budget = in->budget ? malloc((size_t)T * sizeof *q->budget) : NULL;
    q->max_new = in->max_new ? malloc((size_t)T * sizeof *q->max_new) : NULL;
    if (!q->capex || !q->earliest || !q->fixed || !q->start || !q->weight || !q->credit || (any_due && !q->due) ||
        !q->cov_ptr || !q->cov_site || (in->budget && !q->budget) || (in->max_new && !q->max_new))
        return R5G_ENOMEM;
    for (int k = 0; k < own; k++) {
        int g = R->site[k];
        q->capex[k] = in->capex[g];
        q->fixed[k] = sol_fixed(in, g);
        q->earliest[k] = q->fixed[k] ? 1 : m->early[g];
        q->start[k] = s->plan[g];
    }
    for (int t = 0; t < T; t++) {
        if (q->budget)
            q->budget[t] = bud[t];
        if (q->max_new)
            q->max_new[t] = lim[t];
    }
    int p = 0;
    for (int k = 0; k < ng; k++) {
        int g = R->group[k];
        q->weight[k] = m->gw[g];
        q->credit[k] = m->gcf[g];
        if (q->due)
            q->due[k] = m->gdue[g];
        q->cov_ptr[k] = p;
        for (int e = m->gptr[g]; e < m->gptr[g + 1]; e++) {
            int st = m->gsite[e], j = local[st];
            if (j < 0)
                continue; /* another tile's site the incumbent does not build */
            q->cov_site[p++] = j;
            if (j >= own && q->fixed[j] == 0) { /* first seen: committed at the incumbent's period */
                int b = s->plan[st];
                q->capex[j] = in->capex[st];
                q->fixed[j] = q->start[j] = b;
                q->earliest[j] = 1;
                if (q->budget && isfinite(q->budget[b - 1]))
                    q->budget[b - 1] += in->capex[st];
                if (q->max_new && q->max_new[b - 1] >= 0)
                    q->max_new[b - 1]++;
            }
        }
    }
    q->cov_ptr[ng] = p;
    sol_input *r = &q->in;
    *r = *in; /* the search settings and the period factors */
    r->n_sites = ns;
    r->capex = q->capex;
    r->existing = NULL;
    r->earliest = q->earliest;
    r->fixed_build = q->fixed;
    r->budget = q->budget;
    r->max_new = q->max_new;
    r->n_demand = ng;
    r->weight = q->weight;
    r->credit_from = q->credit;
    r->due = q->due;
    r->cov_ptr = q->cov_ptr;
    r->cov_site = q->cov_site;
    r->site_group = NULL;
    r->site_cap = NULL;
    r->traffic = NULL;
    r->n_targets = 0;
    r->targets = NULL;
    r->start_plan = q->start;
    /* work budgets only, so that a region's plan does not depend on the
     * load or on the other regions running beside it: no time limit (the
     * parent kills it at the user's), the root LP only where predicted to
     * fit the region's share of the time, a budget of tree nodes */
    r->time_limit_s = 0;
    r->lp_max_s = time_limit;
    if (!(r->tree_nodes > 0))
        r->tree_nodes = DEC_TREE_NODES;
    if (!(r->lagrange_steps > 0))
        r->lagrange_steps = DEC_LAG_STEPS;
    r->decompose = 0;
    r->workers = 1;
    r->on_progress = NULL;
    r->progress_user = NULL;
    return 0;
}

/* In the region's process: solve, write the plan into the shared slice. */
static void region_solve(const sol_search *s, const region *R, const double *bud, const int *lim, double limit,
                         int *shared_plan, region_out *o)
{
    region_model q;
    int *local = malloc(((size_t)s->m->n_sites + 1) * sizeof *local);
    r5g_err err = {0};
    sol_result res;
    double c0 = sol_cpu_now(), t0 = r5g_now();
    int rc = local ? region_model_init(&q, s, R, bud, lim, local, limit) : R5G_ENOMEM;
    if (rc == 0)
        rc = sol_solve(&res, &q.in, &err);
    if (rc == 0) {
        for (int k = 0; k < R->n_sites; k++)
            shared_plan[R->site[k]] = res.build_period[k];
        o->status = res.status;
        o->objective = res.objective;
        o->bound = res.bound;
        o->lagrange_steps = res.lagrange_steps;
        o->rens_nodes = res.rens_nodes;
        o->tree_nodes = res.tree_nodes;
        o->local_moves = res.local_moves;
        sol_result_free(&res);
    }
    o->seconds = r5g_now() - t0;
    o->cpu = sol_cpu_now() - c0;
    o->rc = rc;
    o->done = 1;
    if (local)
        region_model_free(&q);
    free(local);
}

/* ---- the step ------------------------------------------------------------------ */

static int n_workers(const sol_input *in)
{
    if (in->workers > 0)
        return in->workers;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)ms * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One round: every region solved under the shares of `basis` (a plan),
 * at most W at a time; *value the score of the union (in union_plan),
 * -HUGE_VAL when it breaks a rule. Returns 1 when the time limit or a cancel
 * stopped it (the regions not solved keep the incumbent), -1 on an error
 * (set in err), else 0. */
typedef struct round_ctx {
    sol_search *s;
    const region *R;
    int nr, W;
    pid_t parent;
    double frac;        /* of the time left at the start, for the whole round on one worker */
    const int *order;
    long long total_cols;
    double left0;
    double *share, *bud;
    int *lim;
    pid_t *pid;
    unsigned char *is_free; /* [S] the round's regions' sites */
    int *union_plan;    /* in the shared mapping */
    region_out *outs;   /* in the shared mapping */
    const sol_runner *runner; /* NULL: forked processes */
    int *local;         /* [S + 1] scratch of region_model_init (runner) */
} round_ctx;

/* Region r in a forked process, which writes its plan and output into the
 * shared mapping. */
static int start_fork(round_ctx *c, int r, double limit, r5g_err *err)
{
    int T = c->s->m->T;
    pid_t p = fork();
    if (p < 0)
        return r5g_err_set(err, R5G_EINTERNAL, "solver: cannot start a region's process: %s", strerror(errno));
    if (p == 0) {
        /* dies with the parent (a killed `plan` leaves no process behind) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != c->parent)
            _exit(1);
        r5g_log_set_level(R5G_LOG_ERROR); /* the parent reports */
        region_solve(c->s, &c->R[r], c->bud + (size_t)r * T, c->lim + (size_t)r * T, limit, c->union_plan,
                     &c->outs[r]);
        _exit(0);
    }
    c->pid[r] = p;
    return 0;
}

/* A forked region that ended: 1, 0 when none has, -2 when waitpid has
 * no child left. */
static int reap_fork(round_ctx *c, int killed)
{
    int status;
    pid_t p = waitpid(-1, &status, WNOHANG);
    if (p < 0 && errno != EINTR)
        return -2; /* no child left to wait for */
    if (p <= 0)
        return 0;
    for (int r = 0; r < c->nr; r++)
        if (c->pid[r] == p) {
            c->pid[r] = 0;
            if (!c->outs[r].done && !killed)
                r5g_log(R5G_LOG_WARN, "solver: decomposition: region %d's process ended without a plan (%s %d); "
                        "the region keeps the incumbent", r + 1, WIFSIGNALED(status) ? "signal" : "exit",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            return 1;
        }
    return 0; /* not a region's process */
}

/* Region r's model, packed and handed to the runner. */
static int start_runner(round_ctx *c, int r, double limit, r5g_err *err)
{
    int T = c->s->m->T;
    region_model q;
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc = region_model_init(&q, c->s, &c->R[r], c->bud + (size_t)r * T, c->lim + (size_t)r * T, c->local, limit);
    if (rc == 0)
        rc = sol_input_pack(&q.in, &buf, &len);
    region_model_free(&q);
    if (rc != 0)
        return r5g_err_set(err, rc, "solver: out of memory for region %d's model", r + 1);
    rc = c->runner->submit(c->runner->user, r, buf, len, err);
    free(buf);
    return rc;
}

/* A region the runner finished: its reply into outs and the union. 1, 0
 * when none has, < 0 an error of the runner (in err). */
static int reap_runner(round_ctx *c, int killed, r5g_err *err)
{
    int job = -1;
    unsigned char *buf = NULL;
    size_t len = 0;
    int k = c->runner->poll(c->runner->user, &job, &buf, &len, err);
    if (k <= 0)
        return k;
    sol_reply rp;
    if (job < 0 || job >= c->nr || sol_reply_unpack(&rp, buf, len) != 0) {
        free(buf);
        return r5g_err_set(err, R5G_EINTERNAL, "solver: decomposition: a broken reply for region %d", job + 1);
    }
    const region *R = &c->R[job];
    region_out *o = &c->outs[job];
    if (rp.rc == 0 && rp.n_sites < R->n_sites)
        rp.rc = R5G_EINTERNAL; /* a region's own sites come first in its model */
    if (rp.rc == 0 && !killed) {
        for (int i = 0; i < R->n_sites; i++)
            memcpy(&c->union_plan[R->site[i]], (const char *)rp.build_period + (size_t)i * sizeof(int), sizeof(int));
        o->status = rp.status;
        o->objective = rp.objective;
        o->bound = rp.bound;
        o->lagrange_steps = rp.lagrange_steps;
        o->rens_nodes = rp.rens_nodes;
        o->tree_nodes = rp.tree_nodes;
        o->local_moves = rp.local_moves;
    } else if (rp.rc != 0) {
        r5g_log(R5G_LOG_DEBUG, "solver: decomposition: region %d: %s", job + 1, rp.msg);
    }
    o->seconds = rp.seconds;
    o->cpu = rp.cpu;
    o->rc = rp.rc;
    o->done = !killed;
    free(buf);
    return 1;
}

static int run_round(round_ctx *c, const int *basis, const char *name, double *value, r5g_err *err)
{
    sol_search *s = c->s;
    const sol_model *m = s->m;
    const region *R = c->R;
    int S = m->n_sites, nr = c->nr;
    memcpy(c->union_plan, s->plan, (size_t)S * sizeof *c->union_plan);
    memset(c->outs, 0, (size_t)nr * sizeof *c->outs);
    memset(c->is_free, 0, (size_t)S);
    for (int r = 0; r < nr; r++)
        for (int k = 0; k < R[r].n_sites; k++)
            c->is_free[R[r].site[k]] = 1;
    make_weights(c->share, m, R, nr, s->plan);
    make_shares(c->bud, c->lim, m, R, nr, basis, c->share, c->is_free, s->plan);
    int next = 0, active = 0, finished = 0, killed = 0, failed = 0;
    double t0 = r5g_now();
    fflush(NULL); /* nothing buffered is written twice by the children */
    while (finished < nr) {
        while (active < c->W && next < nr && !killed) {
            int r = c->order[next];
            /* under a time limit, a region's root LP runs only where it is
             * predicted to fit the region's size share of c->frac of the
             * user's limit: a decision from sizes and the setting alone, the
             * same whatever the load and the number of workers */
            double limit = 0;
            if (s->in->time_limit_s > 0) {
                limit = c->frac * s->in->time_limit_s * (double)R[r].cols / (double)c->total_cols;
                limit = limit < 0.05 ? 0.05 : limit;
            }
            int started = c->runner ? start_runner(c, r, limit, err) : start_fork(c, r, limit, err);
            if (started != 0) {
                failed = killed = 1;
                break;
            }
            next++;
            active++;
        }
        int got = active ? (c->runner ? reap_runner(c, killed, err) : reap_fork(c, killed)) : 0;
        if (got == -2)
            break;
        if (got < 0) {
            failed = killed = 1;
            active = 0; /* the runner failed: its jobs are lost */
        }
        if (got > 0) {
            active--;
            finished++;
            if (!killed && sol_search_report(s, "decompose", finished, "regions", NAN, NAN))
                killed = 1;
            continue;
        }
        if (!killed && (sol_search_timed_out(s) || sol_search_report(s, "decompose", finished, "regions", NAN, NAN)))
            killed = 1;
        if (killed) {
            if (c->runner && active)
                c->runner->cancel(c->runner->user);
            for (int r = 0; !c->runner && r < nr; r++)
                if (c->pid[r] > 0)
                    kill(c->pid[r], SIGKILL);
            if (c->runner)
                active = 0; /* their replies are dropped */
            finished += nr - next; /* not started */
            next = nr;
        }
        if (!active && next >= nr)
            break;
        sleep_ms(5);
    }
    double wall = r5g_now() - t0, cpu_sum = 0, cpu_max = 0;
    int solved = 0;
    for (int r = 0; r < nr; r++) {
        region_out *o = &c->outs[r];
        if (!o->done || o->rc != 0) {
            if (o->done)
                r5g_log(R5G_LOG_WARN, "solver: decomposition: region %d: error %d; it keeps the incumbent", r + 1,
                        o->rc);
            for (int k = 0; k < R[r].n_sites; k++)
                c->union_plan[R[r].site[k]] = s->plan[R[r].site[k]];
            continue;
        }
        solved++;
        cpu_sum += o->cpu;
        cpu_max = o->cpu > cpu_max ? o->cpu : cpu_max;
        s->lagrange_steps += o->lagrange_steps;
        s->rens_nodes += o->rens_nodes;
        s->tree_nodes += o->tree_nodes;
        s->local_moves += o->local_moves;
        r5g_log(R5G_LOG_DEBUG, "solver: decomposition (%s): region %d: %d sites, %d groups, %lld columns: %s %.6g "
                "(bound %.6g; %lld tree nodes, %lld Lagrangian steps) in %.2f s, %.2f s CPU", name, r + 1,
                R[r].n_sites, R[r].n_groups, R[r].cols, sol_status_name((sol_status)o->status), o->objective,
                o->bound, o->tree_nodes, o->lagrange_steps, o->seconds, o->cpu);
    }
    s->region_cpu_sum += cpu_sum;
    s->region_cpu_max = cpu_max > s->region_cpu_max ? cpu_max : s->region_cpu_max;
    *value = sol_model_feasible(m, c->union_plan) ? sol_model_value(m, c->union_plan) : -HUGE_VAL;
    r5g_log(R5G_LOG_DEBUG, "solver: decomposition (%s): %d of %d regions solved in %.2f s wall (%.2f s CPU in "
            "all, the longest %.2f s): %.6g against the incumbent's %.6g", name, solved, nr, wall, cpu_sum, cpu_max,
            s->sgn * *value, s->sgn * s->value);
    return failed ? -1 : killed;
}

static int decomp_exec(sol_search *s, r5g_err *err)
{
    sol_model *m = s->m;
    const sol_input *in = s->in;
    /* the models the local search handles are those that split (plain
     * max_coverage, due rules kept); auto: those past the root LP's reach,
     * and, after the other steps, a smaller one whose root LP was not
     * started or was given up for lack of time (late: one round from the
     * incumbent, in the time left) */
    int late = (s->lp_skipped || s->lp_abandoned) &&
               (s->decomp_rounds == 0 || (s->decomp_rounds == 1 && s->decomp_late));
    if (!s->have_plan || in->decompose == 0 || !sol_local_applies(m) || s->decomp_rounds >= 2 ||
        (in->decompose < 0 && s->n_cols <= sol_lagrange_min_cols(in) && !late))
        return 0;
    int T = m->T, S = m->n_sites, nr = 0, nc = 1, rc = 0;
    region *R = NULL;
    /* asked for (decompose: on), regions may be as small as the model makes them */
    long long min_cols = in->decompose > 0 ? 1 : late ? DEC_LATE_MIN_COLS : DEC_MIN_COLS;
    if ((rc = make_regions(&R, &nr, m, min_cols, err)) != 0) {
        free_regions(R, nr);
        return rc;
    }
    const char *what = "regions";
    if (nr == 0) { /* one component, or one holding most of the model: tiles */
        if ((rc = make_tiles(&R, &nr, &nc, m, min_cols, s->decomp_rounds > 0, err)) != 0 || nr == 0) {
            free_regions(R, nr);
            return rc;
        }
        what = "tiles";
        s->tiles = 1;
    }
    round_ctx c = {.s = s, .R = R, .nr = nr, .W = in->runner ? in->runner->slots : n_workers(in),
                   .parent = getpid(), .left0 = sol_search_left(s), .runner = in->runner};
    if (c.W < 1)
        c.W = 1;
    int *order = malloc((size_t)nr * sizeof *order);
    int *corder = malloc((size_t)nr * sizeof *corder);
    region *Rc = malloc((size_t)nr * sizeof *Rc);
    c.share = malloc((size_t)nr * sizeof *c.share);
    c.bud = malloc((size_t)nr * T * sizeof *c.bud);
    c.lim = malloc((size_t)nr * T * sizeof *c.lim);
    c.pid = calloc((size_t)nr, sizeof *c.pid);
    c.is_free = malloc((size_t)S + 1);
    c.local = in->runner ? malloc(((size_t)S + 1) * sizeof *c.local) : NULL;
    size_t map_len = ((size_t)S + 1) * sizeof(int) + (size_t)nr * sizeof(region_out);
    void *map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!order || !corder || !Rc || !c.share || !c.bud || !c.lim || !c.pid || !c.is_free || (in->runner && !c.local) ||
        map == MAP_FAILED) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d regions", nr);
        goto out;
    }
    /* the outputs first (doubles: aligned at the mapping's start), then the plan */
    c.outs = map;
    c.union_plan = (int *)((char *)map + (size_t)nr * sizeof(region_out));
    /* largest regions first (the longest solves start first); ties by index */
    for (int r = 0; r < nr; r++) {
        order[r] = r;
        c.total_cols += R[r].cols;
    }
    for (int i = 1; i < nr; i++) {
        int x = order[i], j = i;
        while (j > 0 && R[order[j - 1]].cols < R[x].cols) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    s->regions = nr;
    int round = ++s->decomp_rounds;
    s->decomp_late |= late;
    double t0 = r5g_now(), v = -HUGE_VAL;
    const int *basis = s->plan;
    if (round == 1) {
        /* the incumbent's shares: every region starts from the incumbent's
         * part, so the union is at least as good; at most two fifths of the
         * time left (on one worker), the bound's step comes after */
        c.frac = 0.4;
    } else {
        /* regions: the shares of the Lagrangian relaxation's plan (its
         * prices of the budget and build-limit rows say where the budget
         * earns most); tiles: other tiles (grown from the other end, so
         * their borders fall elsewhere) under the incumbent's shares, since
         * the Lagrangian plan's shares left every colour's union below the
         * incumbent on the city */
        if (!s->tiles && !s->lag_build && sol_lagrange_applies(m) && !s->lagrange_done) {
            double lb;
            long long steps = 0;
            s->lag_build = calloc((size_t)S + 1, sizeof *s->lag_build);
            if (!s->lag_build) {
                rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", S);
                goto out;
            }
            if ((rc = sol_lagrange_bound(&lb, s->lag_build, &steps, m, s->value, in->lagrange_steps, in->mip_gap,
                                         NULL, NULL, err)) != 0)
                goto out;
            s->lagrange_steps += steps;
            sol_search_bound(s, lb, "lagrangian");
        }
        if ((!s->tiles && !s->lag_build) || sol_search_proven(s) ||
            (isfinite(c.left0) && sol_search_left(s) < 2 * s->decomp_wall))
            goto out;
        basis = s->tiles ? s->plan : s->lag_build;
        c.frac = 0.5;
        c.left0 = sol_search_left(s);
    }
    r5g_log(R5G_LOG_DEBUG, "solver: decomposition, round %d: %d %s in %d colour(s) on %d workers", round, nr, what,
            nc, c.W);
    /* one colour at a time (components: one colour), each from the plan
     * the one before left, largest regions first; late, also the first
     * colour only where predicted to fit half the time left on the
     * workers (the phase must be able to finish) */
    double predicted = 0, allowed = in->time_limit_s > 0 ? c.frac * in->time_limit_s : INFINITY;
    if (late && isfinite(c.left0))
        allowed = fmin(allowed, 0.5 * c.left0 * c.W);
    for (int col = 0, k = 0; col < nc && k == 0 && !sol_search_proven(s); col++) {
        int n = 0;
        long long ccols = 0;
        for (int i = 0; i < nr; i++)
            if (R[order[i]].colour == col) {
                corder[n] = n;
                Rc[n++] = R[order[i]];
                ccols += R[order[i]].cols;
            }
        predicted += DEC_CPU_PER_COL * (double)ccols;
        if ((col > 0 || late) && predicted > allowed) {
            r5g_log(R5G_LOG_DEBUG, "solver: decomposition: colours %d-%d not solved (predicted %.1f s CPU with "
                    "them, %.1f s allowed)", col + 1, nc, predicted, allowed);
            break;
        }
        c.R = Rc;
        c.nr = n;
        c.order = corder;
        char name[80];
        int len = snprintf(name, sizeof name, "%s", round == 1 ? "incumbent's shares"
                                                    : s->tiles ? "other tiles" : "Lagrangian shares");
        if (nc > 1)
            snprintf(name + len, sizeof name - (size_t)len, ", colour %d of %d", col + 1, nc);
        k = run_round(&c, basis, name, &v, err);
        if (k < 0) {
            rc = R5G_EINTERNAL;
            goto out;
        }
        if (v > s->regions_value || (round == 1 && col == 0))
            s->regions_value = v;
        sol_search_offer(s, c.union_plan, v, "decompose", 0);
    }
    s->decomp_wall = r5g_now() - t0;
out:
    free(order);
    free(corder);
    free(Rc);
    free(c.is_free);
    free(c.local);
    free(c.share);
    free(c.bud);
    free(c.lim);
    free(c.pid);
    if (map != MAP_FAILED)
        munmap(map, map_len);
    free_regions(R, nr);
    return rc;
}

const sol_step sol_decomp = {.name = "decompose", .exec = decomp_exec};
