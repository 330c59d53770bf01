/* solver: builds the rollout model in GLPK, solves it, exports it.
 * The only file that includes glpk.h. GLPK aborts the process on a bad
 * argument: every array is checked first (sol_input_check), and a fatal GLPK
 * error is turned into R5G_EINTERNAL through glp_error_hook + longjmp. */
#include "solver/sol_int.h"

#include <errno.h>
#include <float.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAIL_LINES 6
#define LINE_MAX_ 256

/* Reduced models with more columns than this get the Lagrangian bound first. */
#ifndef LAGRANGE_MIN_COLS
#define LAGRANGE_MIN_COLS 200000
#endif

/* Everything GLPK's hooks and the branch-and-bound callback need; passed as
 * their user-data pointer, so there is no global state. */
typedef struct glpk_ctx {
    jmp_buf jb;
    /* terminal output: current partial line and the last lines, for messages */
    char part[LINE_MAX_];
    size_t plen;
    char tail[TAIL_LINES][LINE_MAX_];
    int n_tail;
    /* model */
    const sol_model *m;
    int names;
    glp_prob *lp;
    int *ycol;       /* [n_sites] column of y[s, early[s]], 0 = no column */
    int *zcol;       /* [n_groups] column of z[g, gtmin[g]] */
    int ccol;        /* column fixed at 1 carrying the objective constant; 0 = none */
    int *xcol;       /* capacity: [pairs of gsite] column of x[g,s,t0], t0 = max(gtmin, early) */
    int n_cols;
    int sgn;         /* +1 max_coverage, -1 min_cost: score = sgn * GLPK objective */
    int count_only;  /* build() only counts rows and non-zeros (no GLPK calls) */
    int n_rows_built;
    long long nnz_built;
    int empty_infeasible; /* a >= row with a positive right side has no column */
    int *ind;        /* row buffers, 1-based */
    double *val;
    /* solve */
    const sol_input *in;
    double t0;       /* r5g_now() at the start of sol_solve */
    const double *heur_x; /* greedy plan as column values; NULL: do not inject */
    int rens_done;     /* RENS ran at the root */
    int heur_done;
    double greedy_val; /* objective of the greedy plan */
    int greedy_proven; /* search stopped: the bound is within mip_gap of greedy */
    int timed_out;     /* search stopped by our own deadline check */
    int lp_ran;        /* GLPK was called */
    double bound;    /* best proven upper bound seen */
    const char *bound_kind; /* where `bound` comes from (sol_result.bound_kind) */
    int ret;         /* glp_simplex / glp_intopt return code */
    int lp_status, mip_status;
    int have_mip;
    double mip_obj;
    int *mip_build;  /* [n_sites] plan read from the MIP solution */
    /* export */
    const char *path;
    int mps;
} glpk_ctx;

/* ---- GLPK hooks ------------------------------------------------------------ */

static void tail_push(glpk_ctx *c)
{
    c->part[c->plen] = '\0';
    if (c->plen > 0) {
        r5g_log(R5G_LOG_DEBUG, "glpk: %s", c->part);
        if (c->n_tail == TAIL_LINES) {
            memmove(c->tail[0], c->tail[1], sizeof c->tail[0] * (TAIL_LINES - 1));
            c->n_tail--;
        }
        memcpy(c->tail[c->n_tail++], c->part, c->plen + 1);
    }
    c->plen = 0;
}

static int term_hook(void *info, const char *s)
{
    glpk_ctx *c = info;
    for (; *s; s++) {
        if (*s == '\n' || c->plen + 1 >= sizeof c->part)
            tail_push(c);
        if (*s != '\n')
            c->part[c->plen++] = *s;
    }
    return 1; /* consumed: GLPK prints nothing itself */
}

static void error_hook(void *info)
{
    glpk_ctx *c = info;
    longjmp(c->jb, 1);
}

/* The last lines of GLPK output, joined, for error messages. */
static const char *tail_text(glpk_ctx *c, char *buf, size_t size)
{
    if (c->plen > 0)
        tail_push(c);
    buf[0] = '\0';
    size_t n = 0;
    for (int i = 0; i < c->n_tail && n + 4 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " | " : "", c->tail[i]);
    if (buf[0] == '\0')
        snprintf(buf, size, "(no GLPK output)");
    return buf;
}

/* Runs fn with GLPK's error hook armed. A fatal GLPK error longjmps back here;
 * the GLPK environment is then unusable and is freed (with every problem in it). */
static int glpk_guarded(glpk_ctx *c, int (*fn)(glpk_ctx *, r5g_err *), const char *what,
                        r5g_err *err)
{
    if (setjmp(c->jb)) {
        char buf[1200];
        tail_text(c, buf, sizeof buf);
        glp_free_env();
        c->lp = NULL;
        return r5g_err_set(err, R5G_EINTERNAL, "%s: GLPK fatal error: %s", what, buf);
    }
    glp_term_hook(term_hook, c);
    glp_error_hook(error_hook, c);
    int rc = fn(c, err);
    if (c->lp) {
        glp_delete_prob(c->lp);
        c->lp = NULL;
    }
    if (c->plen > 0)
        tail_push(c);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    return rc;
}

/* ---- model ----------------------------------------------------------------- */

static int ycol_at(const glpk_ctx *c, int s, int t)
{
    const sol_model *m = c->m;
    return c->ycol[s] && t >= m->early[s] && t <= m->T ? c->ycol[s] + (t - m->early[s]) : 0;
}

static int imax2(int a, int b) { return a > b ? a : b; }

/* fmt names the row from a and b (extra arguments are ignored by snprintf).
 * type GLP_UP: row <= rhs; GLP_LO: row >= rhs; GLP_FX: row = rhs. */
static void add_row(glpk_ctx *c, int len, int type, double rhs, const char *fmt, int a, int b)
{
    if (len == 0) {
        if (type == GLP_LO && rhs > 0)
            c->empty_infeasible = 1;
        return;
    }
    c->n_rows_built++;
    c->nnz_built += len;
    if (c->count_only)
        return;
    int i = glp_add_rows(c->lp, 1);
    glp_set_mat_row(c->lp, i, len, c->ind, c->val);
    glp_set_row_bnds(c->lp, i, type, type == GLP_UP ? 0.0 : rhs, type == GLP_LO ? 0.0 : rhs);
    if (c->names) {
        char name[64];
        snprintf(name, sizeof name, fmt, a, b);
        glp_set_row_name(c->lp, i, name);
    }
}

/* Column layout (computed before any GLPK call). Returns the column count. */
static int layout(glpk_ctx *c)
{
    const sol_model *m = c->m;
    const sol_input *in = m->in;
    int n = 0;
    for (int s = 0; s < m->n_sites; s++) {
        c->ycol[s] = 0;
        if (m->useful[s] && (!sol_is_existing(in, s) || m->keep_existing) && m->early[s] <= m->T) {
            c->ycol[s] = n + 1;
            n += m->T - m->early[s] + 1;
        }
    }
    for (int g = 0; g < m->n_groups; g++) {
        c->zcol[g] = n + 1;
        n += m->gtmin[g] <= m->T ? m->T - m->gtmin[g] + 1 : 0;
    }
    for (int g = 0; m->capacity && g < m->n_groups; g++)
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int t0 = imax2(m->gtmin[g], m->early[m->gsite[k]]);
            c->xcol[k] = n + 1;
            n += t0 <= m->T ? m->T - t0 + 1 : 0;
        }
    /* CPLEX LP files cannot carry an objective constant (glp_write_lp turns
     * it into a comment), so the constant rides on a column fixed at 1 */
    c->ccol = 0;
    if (m->c0 != 0)
        c->ccol = ++n;
    return n;
}

/* x[g,s,t] column for the pair gsite[k] = s of group g, 0 = none */
static int xcol_at(const glpk_ctx *c, int g, int k, int t)
{
    const sol_model *m = c->m;
    int t0 = imax2(m->gtmin[g], m->early[m->gsite[k]]);
    return t >= t0 && t <= m->T ? c->xcol[k] + (t - t0) : 0;
}

/* Builds the model into c->lp (inside the guarded region), or only counts its
 * rows and non-zeros (c->count_only: no GLPK call at all). */
static void build(glpk_ctx *c)
{
    const sol_model *m = c->m;
    const sol_input *in = m->in;
    const int T = m->T, G = m->n_groups;
    glp_prob *lp = c->count_only ? NULL : c->lp;
    char name[64];
    c->n_rows_built = 0;
    c->nnz_built = 0;
    c->empty_infeasible = 0;
    if (lp) {
        glp_set_prob_name(lp, m->min_cost ? "rollout5g_min_cost" : "rollout5g_max_coverage");
        glp_set_obj_name(lp, m->min_cost ? "discounted_capex" : "credited_weight");
        glp_set_obj_dir(lp, m->min_cost ? GLP_MIN : GLP_MAX);
        if (c->n_cols > 0)
            glp_add_cols(lp, c->n_cols);
        if (c->ccol) { /* demand covered by existing sites */
            glp_set_col_bnds(lp, c->ccol, GLP_FX, 1.0, 1.0);
            glp_set_obj_coef(lp, c->ccol, m->c0);
            glp_set_col_name(lp, c->ccol, "existing_coverage");
        } else {
            glp_set_obj_coef(lp, 0, m->c0);
        }
        for (int s = 0; s < m->n_sites; s++)
            for (int t = m->early[s]; c->ycol[s] && t <= T; t++) {
                int j = ycol_at(c, s, t);
                glp_set_col_kind(lp, j, GLP_BV);
                if (sol_is_existing(in, s))
                    glp_set_col_bnds(lp, j, GLP_FX, 1.0, 1.0);
                else if (m->min_cost) /* c_s (pf[t] - pf[t+1]) y[s,t] telescopes to pf[build] c_s */
                    glp_set_obj_coef(lp, j, in->capex[s] * (m->pf[t] - m->pf[t + 1]));
                if (c->names) {
                    snprintf(name, sizeof name, "y_%d_%d", s, t);
                    glp_set_col_name(lp, j, name);
                }
            }
        for (int g = 0; g < G; g++)
            for (int t = m->gtmin[g]; t <= T; t++) {
                int j = c->zcol[g] + (t - m->gtmin[g]);
                glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
                if (!m->min_cost && t >= m->gcf[g])
                    glp_set_obj_coef(lp, j, m->gw[g] * m->pf[t]);
                if (c->names) {
                    snprintf(name, sizeof name, "z_%d_%d", g, t);
                    glp_set_col_name(lp, j, name);
                }
            }
        for (int g = 0; m->capacity && g < G; g++)
            for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++)
                for (int t = m->gtmin[g]; t <= T; t++) {
                    int j = xcol_at(c, g, k, t);
                    if (!j)
                        continue;
                    glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
                    if (c->names) {
                        snprintf(name, sizeof name, "x_%d_%d_%d", g, m->gsite[k], t);
                        glp_set_col_name(lp, j, name);
                    }
                }
    }
    /* monotone build state: y[s,t-1] - y[s,t] <= 0 */
    for (int s = 0; s < m->n_sites; s++)
        for (int t = m->early[s] + 1; c->ycol[s] && t <= T; t++) {
            c->ind[1] = ycol_at(c, s, t - 1);
            c->val[1] = 1;
            c->ind[2] = ycol_at(c, s, t);
            c->val[2] = -1;
            add_row(c, 2, GLP_UP, 0.0, "mono_%d_%d", s, t);
        }
    for (int g = 0; g < G; g++)
        for (int t = m->gtmin[g]; t <= T; t++) {
            int len = 0, zj = c->zcol[g] + (t - m->gtmin[g]);
            if (!m->capacity) {
                /* coverage: z[g,t] - sum_{s covers g, s may exist at t} y[s,t] <= 0 */
                c->ind[++len] = zj;
                c->val[len] = 1;
                for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                    int j = ycol_at(c, m->gsite[k], t);
                    if (j) {
                        c->ind[++len] = j;
                        c->val[len] = -1;
                    }
                }
                add_row(c, len, GLP_UP, 0.0, "cover_%d_%d", g, t);
                continue;
            }
            /* capacity: assignment z[g,t] - sum_s x[g,s,t] = 0 and per pair
             * x[g,s,t] - y[s,t] <= 0 */
            c->ind[++len] = zj;
            c->val[len] = 1;
            for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                int j = xcol_at(c, g, k, t);
                if (j) {
                    c->ind[++len] = j;
                    c->val[len] = -1;
                }
            }
            add_row(c, len, GLP_FX, 0.0, "assign_%d_%d", g, t);
            for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                int j = xcol_at(c, g, k, t), y = ycol_at(c, m->gsite[k], t);
                if (!j || !y)
                    continue;
                c->ind[1] = j;
                c->val[1] = 1;
                c->ind[2] = y;
                c->val[2] = -1;
                add_row(c, 2, GLP_UP, 0.0, "pair_%d_%d", k, t);
            }
        }
    /* capacity: sum_g traffic_g x[g,s,t] - cap_s y[s,t] <= 0 */
    for (int s = 0; m->capacity && s < m->n_sites; s++)
        for (int t = m->early[s]; c->ycol[s] && t <= T; t++) {
            int len = 0;
            for (int k = m->sptr[s]; k < m->sptr[s + 1]; k++) {
                int g = m->sgroup[k];
                if (m->gtraffic[g] <= 0)
                    continue;
                /* the position of s in the sorted site list of g */
                int lo = m->gptr[g], hi = m->gptr[g + 1] - 1;
                while (lo < hi) {
                    int mid = (lo + hi) / 2;
                    if (m->gsite[mid] < s)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                int j = xcol_at(c, g, lo, t);
                if (j) {
                    c->ind[++len] = j;
                    c->val[len] = m->gtraffic[g];
                }
            }
            if (len == 0)
                continue;
            c->ind[++len] = ycol_at(c, s, t);
            c->val[len] = -in->site_cap[s];
            add_row(c, len, GLP_UP, 0.0, "cap_%d_%d", s, t);
        }
    /* on time (hard): sum_{s covers g} y[s, due_g] >= 1 */
    for (int g = 0; g < G; g++) {
        int d = m->gdue[g], len = 0;
        if (d <= 0)
            continue;
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int j = ycol_at(c, m->gsite[k], d);
            if (j) {
                c->ind[++len] = j;
                c->val[len] = 1;
            }
        }
        add_row(c, len, GLP_LO, 1.0, "due_%d_%d", g, d);
    }
    /* targets (hard) */
    for (int k = 0, q = 0; k < in->n_targets; k++) {
        const sol_target *tg = &in->targets[k];
        int t = tg->period, len = 0;
        double rhs = tg->rhs;
        if (tg->kind == SOL_TARGET_DEMAND) {
            /* sum_g coef_g z[g,t] >= rhs - coefficient already covered by existing sites */
            rhs -= m->dt_const[q];
            for (int g = 0; g < G; g++) {
                double a = m->dt_coef[(size_t)q * (size_t)G + (size_t)g];
                if (a > 0 && m->gtmin[g] <= t) {
                    c->ind[++len] = c->zcol[g] + (t - m->gtmin[g]);
                    c->val[len] = a;
                }
            }
            q++;
        } else {
            /* sum_{s in group} y[s,t] >= rhs - existing sites of the group */
            for (int s = 0; s < m->n_sites; s++) {
                if (in->site_group[s] != tg->group)
                    continue;
                int j = ycol_at(c, s, t);
                if (j) {
                    c->ind[++len] = j;
                    c->val[len] = 1;
                } else if (sol_is_existing(in, s)) {
                    rhs -= 1;
                }
            }
        }
        if (rhs > 1e-9 * (1 + fabs(tg->rhs)))
            add_row(c, len, GLP_LO, rhs, "target_%d_%d", k, t);
    }
    /* budget and build limit, new sites only */
    double cum = 0;
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL;
        cum += bt;
        double rhs = in->carry_over ? cum : bt;
        if (!isinf(rhs)) {
            int len = 0;
            for (int s = 0; s < m->n_sites; s++) {
                double cs = in->capex[s];
                int j = ycol_at(c, s, t), jp = ycol_at(c, s, t - 1);
                if (!j || cs == 0 || sol_is_existing(in, s))
                    continue;
                c->ind[++len] = j;
                c->val[len] = cs;
                if (!in->carry_over && jp) {
                    c->ind[++len] = jp;
                    c->val[len] = -cs;
                }
            }
            add_row(c, len, GLP_UP, rhs, "budget_%d", t, 0);
        }
        if (in->max_new && in->max_new[t - 1] >= 0) {
            int len = 0;
            for (int s = 0; s < m->n_sites; s++) {
                int j = ycol_at(c, s, t), jp = ycol_at(c, s, t - 1);
                if (!j || sol_is_existing(in, s))
                    continue;
                c->ind[++len] = j;
                c->val[len] = 1;
                if (jp) {
                    c->ind[++len] = jp;
                    c->val[len] = -1;
                }
            }
            add_row(c, len, GLP_UP, (double)in->max_new[t - 1], "limit_%d", t, 0);
        }
    }
}

/* ---- solve ------------------------------------------------------------------ */

static int remaining_ms(const glpk_ctx *c)
{
    if (!(c->in->time_limit_s > 0))
        return INT_MAX;
    double left = c->in->time_limit_s - (r5g_now() - c->t0);
    if (left * 1000.0 >= INT_MAX)
        return INT_MAX;
    return left < 0.001 ? 1 : (int)(left * 1000.0);
}

static void track_bound(glpk_ctx *c, glp_tree *tree)
{
    int p = glp_ios_best_node(tree);
    if (p) {
        double b = c->sgn * glp_ios_node_bound(tree, p);
        if (b < c->bound) {
            c->bound = b;
            c->bound_kind = p == 1 ? "root_lp" : "tree"; /* subproblem 1 is the root */
        }
    }
}

static void rens(glpk_ctx *c, glp_tree *tree);

static void callback(glp_tree *tree, void *info)
{
    glpk_ctx *c = info;
    track_bound(c, tree);
    if (c->in->progress) {
        glp_prob *P = glp_ios_get_prob(tree);
        double inc = glp_mip_status(P) == GLP_FEAS ? fmax(glp_mip_obj_val(P), c->greedy_val) : c->greedy_val;
        c->in->progress(c->in->progress_user, inc, c->bound, r5g_now() - c->t0);
    }
    /* the greedy plan is a valid incumbent even when GLPK cannot take it
     * (presolve): stop as soon as the proven bound is within mip_gap of it */
    if (!c->greedy_proven && isfinite(c->greedy_val) &&
        c->bound - c->greedy_val <= c->in->mip_gap * fmax(fabs(c->greedy_val), 1e-9)) {
        c->greedy_proven = 1;
        r5g_log(R5G_LOG_DEBUG, "solver: bound %.6g within mip_gap of the greedy plan %.6g: stop",
                c->bound, c->greedy_val);
        glp_ios_terminate(tree);
        return;
    }
    /* GLPK's tm_lim for the tree starts after its presolve and root LP:
     * enforce the caller's wall-clock limit here as well */
    if (c->in->time_limit_s > 0 && r5g_now() - c->t0 >= c->in->time_limit_s) {
        if (!c->timed_out)
            r5g_log(R5G_LOG_DEBUG, "solver: time limit %g s reached", c->in->time_limit_s);
        c->timed_out = 1;
        glp_ios_terminate(tree);
        return;
    }
    if (glp_ios_reason(tree) == GLP_IHEUR && c->heur_x && !c->heur_done) {
        c->heur_done = 1;
        int rc = glp_ios_heur_sol(tree, c->heur_x);
        r5g_log(R5G_LOG_DEBUG, "solver: greedy plan %s as incumbent",
                rc == 0 ? "accepted" : "rejected (not better)");
    }
    if (glp_ios_reason(tree) == GLP_IHEUR && !c->rens_done && c->in->heuristics &&
        glp_ios_curr_node(tree) == 1) {
        c->rens_done = 1;
        rens(c, tree);
    }
}

/* The plan (first period on air of each site) in a MIP solution of P. */
static void read_plan(const glpk_ctx *c, glp_prob *P, int *build)
{
    const sol_model *m = c->m;
    const sol_input *in = c->in;
    for (int s = 0; s < m->n_sites; s++) {
        build[s] = (in->existing && in->existing[s]) ? 1 : 0;
        for (int t = m->early[s]; c->ycol[s] && !sol_is_existing(in, s) && t <= m->T; t++)
            if (glp_mip_col_val(P, ycol_at(c, s, t)) > 0.5) {
                build[s] = t;
                break;
            }
    }
}

/* RENS (relaxation enforced neighbourhood search, Berthold 2014), run once
 * at the root of GLPK's tree on the problem the tree works on (the presolved
 * one when GLPK's presolver is on): fix every integer column that the root
 * LP solution sets to 0 or 1 and solve the small MIP left over the
 * fractional ones. Its solution is feasible for the tree's problem and is
 * handed to the tree as an incumbent. On the budgeted rollout models the
 * root LP bound is tight but GLPK's tree rarely improves on greedy (the
 * district: greedy 90366, RENS 91437, LP bound 91575), so this is where the
 * good plans come from. */
static void rens(glpk_ctx *c, glp_tree *tree)
{
    const sol_input *in = c->in;
    glp_prob *P = glp_ios_get_prob(tree);
    double t0 = r5g_now();
    int n = glp_get_num_cols(P);
    glp_prob *sub = glp_create_prob();
    glp_copy_prob(sub, P, GLP_OFF);
    int nfix = 0, nfree = 0;
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(sub, j) == GLP_CV)
            continue;
        double v = glp_get_col_prim(P, j);
        if (fabs(v - floor(v + 0.5)) < 1e-6) {
            double f = floor(v + 0.5);
            glp_set_col_bnds(sub, j, GLP_FX, f, f);
            nfix++;
        } else {
            nfree++;
        }
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_ERR;
    ip.presolve = GLP_ON;
    /* 30 % of the whole limit, not of what is left: a slower root LP on a
     * loaded machine must not cut the sub-MIP short and change the plan */
    int left = remaining_ms(c);
    double share = in->time_limit_s > 0 ? 0.3 * in->time_limit_s * 1000.0 : (double)INT_MAX;
    ip.tm_lim = left == INT_MAX ? INT_MAX : (int)fmin(share, (double)left);
    ip.mip_gap = in->mip_gap / 4;
    if (in->cuts) {
        ip.mir_cuts = GLP_ON;
        ip.cov_cuts = GLP_ON;
        ip.clq_cuts = GLP_ON;
    }
    int ret = glp_intopt(sub, &ip);
    int st = glp_mip_status(sub);
    int accepted = -1;
    double val = NAN;
    if (st == GLP_OPT || st == GLP_FEAS) {
        double *x = malloc(((size_t)n + 1) * sizeof *x);
        if (x) {
            for (int j = 1; j <= n; j++)
                x[j] = glp_mip_col_val(sub, j);
            val = glp_mip_obj_val(sub);
            accepted = glp_ios_heur_sol(tree, x) == 0;
            free(x);
        }
    }
    r5g_log(R5G_LOG_DEBUG,
            "solver: RENS fixed %d integer columns, %d free; sub-MIP code %d status %d, plan %.6g (%s) in %.2f s",
            nfix, nfree, ret, st, val, accepted > 0 ? "new incumbent" : accepted == 0 ? "not better" : "none",
            r5g_now() - t0);
    glp_delete_prob(sub);
}

static int solve_fn(glpk_ctx *c, r5g_err *err)
{
    const sol_input *in = c->in;
    c->lp = glp_create_prob();
    build(c);
    if (c->empty_infeasible)
        return r5g_err_set(err, R5G_EINFEASIBLE, "solver: a hard rule has no site that could meet it");
    r5g_log(R5G_LOG_DEBUG, "solver: GLPK model %d rows, %d columns, %d non-zeros",
            glp_get_num_rows(c->lp), glp_get_num_cols(c->lp), glp_get_num_nz(c->lp));
    glp_scale_prob(c->lp, GLP_SF_AUTO);

    if (!in->presolve) {
        /* glp_intopt without its presolver needs an optimal LP basis */
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_ON;
        sp.tm_lim = remaining_ms(c);
        glp_adv_basis(c->lp, 0);
        c->ret = glp_simplex(c->lp, &sp);
        c->lp_status = glp_get_status(c->lp);
        if (c->ret == GLP_ETMLIM || c->ret == GLP_EITLIM)
            return 0; /* no MIP: the caller falls back to the greedy plan */
        if (c->ret != 0 || c->lp_status != GLP_OPT) {
            char buf[1200];
            if (c->lp_status == GLP_NOFEAS)
                return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the LP relaxation has no feasible solution");
            return r5g_err_set(err, R5G_EINTERNAL, "solver: glp_simplex failed (code %d, status %d): %s",
                               c->ret, c->lp_status, tail_text(c, buf, sizeof buf));
        }
        double lpb = c->sgn * glp_get_obj_val(c->lp);
        if (lpb < c->bound) {
            c->bound = lpb;
            c->bound_kind = "root_lp";
        }
        r5g_log(R5G_LOG_DEBUG, "solver: root LP %.6g after %.2f s", c->sgn * lpb, r5g_now() - c->t0);
        if (isfinite(c->greedy_val) && c->bound - c->greedy_val <= in->mip_gap * fmax(fabs(c->greedy_val), 1e-9)) {
            c->greedy_proven = 1; /* the LP bound proves the greedy plan */
            return 0;
        }
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_ON;
    ip.presolve = in->presolve ? GLP_ON : GLP_OFF;
    ip.tm_lim = remaining_ms(c);
    ip.mip_gap = in->mip_gap;
    if (in->cuts) {
        ip.gmi_cuts = GLP_ON;
        ip.mir_cuts = GLP_ON;
        ip.cov_cuts = GLP_ON;
        ip.clq_cuts = GLP_ON;
    }
    if (in->heuristics) {
        ip.fp_heur = in->feasibility_pump ? GLP_ON : GLP_OFF;
        ip.ps_heur = in->proximity_search ? GLP_ON : GLP_OFF;
        /* proximity search runs once at the root; cap it so it cannot eat
         * the whole time limit (GLPK's default is 60 s) */
        int cap = in->time_limit_s > 0 ? (int)(in->time_limit_s * 1000.0 / 10.0) : 60000;
        ip.ps_tm_lim = cap < 60000 ? (cap > 1000 ? cap : 1000) : 60000;
    }
    ip.cb_func = callback;
    ip.cb_info = c;
    c->ret = glp_intopt(c->lp, &ip);
    c->mip_status = glp_mip_status(c->lp);
    if (c->mip_status == GLP_OPT || c->mip_status == GLP_FEAS) {
        c->have_mip = 1;
        c->mip_obj = c->sgn * glp_mip_obj_val(c->lp);
        read_plan(c, c->lp, c->mip_build);
    }
    switch (c->ret) {
    case 0:
    case GLP_ETMLIM:
    case GLP_EMIPGAP:
    case GLP_ESTOP:
        return 0;
    case GLP_ENOPFS:
        return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the model has no feasible plan (GLPK presolver)");
    default: {
        char buf[1200];
        if (c->mip_status == GLP_NOFEAS)
            return r5g_err_set(err, R5G_EINFEASIBLE, "solver: the model has no feasible plan");
        return r5g_err_set(err, R5G_EINTERNAL, "solver: glp_intopt failed (code %d): %s", c->ret,
                           tail_text(c, buf, sizeof buf));
    }
    }
}

/* Column values of a plan (for glp_ios_heur_sol), 1-based. */
static void plan_to_x(const glpk_ctx *c, const int *build, double *x)
{
    const sol_model *m = c->m;
    for (int s = 0; s < m->n_sites; s++)
        for (int t = m->early[s]; c->ycol[s] && t <= m->T; t++)
            x[ycol_at(c, s, t)] = build[s] > 0 && build[s] <= t ? 1.0 : 0.0;
    for (int g = 0; g < m->n_groups; g++) {
        int first = sol_model_group_first(m, build, g);
        for (int t = m->gtmin[g]; t <= m->T; t++)
            x[c->zcol[g] + (t - m->gtmin[g])] = first > 0 && first <= t ? 1.0 : 0.0;
    }
    if (c->ccol)
        x[c->ccol] = 1.0;
}

static int ctx_alloc(glpk_ctx *c, const sol_model *m, r5g_err *err)
{
    c->m = m;
    c->ycol = calloc((size_t)m->n_sites + 1, sizeof *c->ycol);
    c->zcol = calloc((size_t)m->n_groups + 1, sizeof *c->zcol);
    c->xcol = calloc((size_t)m->gptr[m->n_groups] + 1, sizeof *c->xcol);
    if (!c->ycol || !c->zcol || !c->xcol)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory");
    c->sgn = m->min_cost ? -1 : 1;
    c->n_cols = layout(c);
    /* the longest row: a budget or limit row (2 per site), a coverage,
     * target or capacity row (a group or site list) */
    size_t width = 2 * (size_t)m->n_sites + (size_t)m->n_groups + 3;
    c->ind = malloc(width * sizeof *c->ind);
    c->val = malloc(width * sizeof *c->val);
    if (!c->ind || !c->val)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %zu row entries", width);
    return 0;
}

static void ctx_free(glpk_ctx *c)
{
    free(c->ycol);
    free(c->zcol);
    free(c->xcol);
    free(c->ind);
    free(c->val);
}

int sol_solve(sol_result *res, const sol_input *in, r5g_err *err)
{
    int rc = 0;
    sol_model m;
    glpk_ctx *c = NULL;
    int *greedy = NULL;
    double *x = NULL;
    if (!res)
        return r5g_err_set(err, R5G_EINPUT, "sol_solve: result is NULL");
    memset(res, 0, sizeof *res);
    memset(&m, 0, sizeof m);
    double t0 = r5g_now();
    if ((rc = sol_input_check(in, err)) != 0)
        goto out;
    if ((rc = sol_model_init(&m, in, err)) != 0)
        goto out;
    c = calloc(1, sizeof *c);
    res->build_period = calloc((size_t)in->n_sites + 1, sizeof *res->build_period);
    greedy = calloc((size_t)in->n_sites + 1, sizeof *greedy);
    if (!c || !res->build_period || !greedy) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", in->n_sites);
        goto out;
    }
    if ((rc = ctx_alloc(c, &m, err)) != 0)
        goto out;
    c->in = in;
    c->t0 = t0;
    c->bound = m.upper;
    c->bound_kind = "trivial";
    c->mip_build = calloc((size_t)in->n_sites + 1, sizeof *c->mip_build);
    x = calloc((size_t)c->n_cols + 1, sizeof *x);
    if (!c->mip_build || !x) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d columns", c->n_cols);
        goto out;
    }
    /* sizes, counted without GLPK so they do not depend on the path taken */
    c->count_only = 1;
    build(c);
    c->count_only = 0;
    res->n_rows = c->n_rows_built;
    res->n_cols = c->n_cols;
    res->n_nonzeros = c->nnz_built > INT_MAX ? INT_MAX : (int)c->nnz_built;
    res->red_demand_in = m.red_demand_in;
    res->red_demand_out = m.n_groups;
    res->red_sites_in = in->n_sites;
    for (int s = 0; s < in->n_sites; s++)
        res->red_sites_out += c->ycol[s] != 0 && !sol_is_existing(in, s);
    res->red_pairs_in = m.red_pairs_in;
    res->red_pairs_out = m.red_pairs_out;
    r5g_log(R5G_LOG_DEBUG,
            "solver: reductions: %d -> %d demand points (groups), %d -> %d sites with a column, %lld -> %lld pairs; "
            "GLPK model %d rows, %d columns, %d non-zeros",
            res->red_demand_in, res->red_demand_out, res->red_sites_in, res->red_sites_out,
            res->red_pairs_in, res->red_pairs_out, res->n_rows, res->n_cols, res->n_nonzeros);
    if (m.n_impossible || c->empty_infeasible) {
        rc = r5g_err_set(err, R5G_EINFEASIBLE,
                         "solver: a hard rule cannot be met by any site (%d demand points out of reach by their due period)",
                         m.n_impossible);
        goto out;
    }
    double gval = -HUGE_VAL;
    int greedy_ok = 0;
    /* with capacity the greedy plan (chosen ignoring capacity) is valued by
     * solving its assignment; it meets the rules unless a demand target
     * counts served demand, so then it is not used */
    if (!m.capacity || (m.n_dtarget == 0 && !m.min_cost)) {
        if ((rc = sol_model_greedy(&m, greedy, err)) != 0)
            goto out;
        greedy_ok = sol_model_feasible(&m, greedy);
        if (greedy_ok && m.capacity)
            rc = sol_serve_value(&gval, &m, greedy, err);
        else if (greedy_ok)
            gval = sol_model_value(&m, greedy);
        if (rc)
            goto out;
    }
    c->greedy_val = gval;
    r5g_log(R5G_LOG_DEBUG, "solver: %d demand groups, %d columns; greedy plan %.6g%s, trivial bound %.6g",
            m.n_groups, c->n_cols, c->sgn * gval, greedy_ok ? "" : " (does not meet the rules)",
            c->sgn * m.upper);

    /* Models this large take GLPK's simplex longer than any sensible time
     * limit for the root LP (the city: 663k rows, not solved in 10 min):
     * bound them by Lagrangian relaxation first, within half the time. */
    double lag_bound = m.upper;
    int lag_cols = in->lagrange_cols > 0 ? in->lagrange_cols : LAGRANGE_MIN_COLS;
    if (greedy_ok && c->n_cols > lag_cols && sol_lagrange_applies(&m)) {
        double share = in->time_limit_s > 0 ? 0.5 * in->time_limit_s : 0;
        rc = sol_lagrange_improve(&lag_bound, greedy, &gval, &m, share, in->mip_gap, err);
        c->greedy_val = gval;
        if (rc)
            goto out;
    }
    if (!greedy_ok || (c->n_cols > (c->ccol != 0) &&
                       fmin(m.upper, lag_bound) - gval > in->mip_gap * fmax(fabs(gval), 1e-9))) { /* else greedy is proven */
        /* GLPK's MIP presolver renumbers columns, and glp_ios_heur_sol takes
         * values of the problem the tree works on: inject only without it */
        if (greedy_ok && !m.capacity)
            plan_to_x(c, greedy, x);
        c->heur_x = in->presolve || !greedy_ok || m.capacity ? NULL : x;
        c->lp_ran = 1;
        rc = glpk_guarded(c, solve_fn, "sol_solve", err);
        if (rc)
            goto out;
    }

    /* the plan: the MIP's unless greedy is better (never worse than greedy) */
    const int *plan = greedy;
    double val = gval;
    if (c->have_mip) {
        /* with capacity the plan's value needs the assignment: GLPK's objective */
        double mval = m.capacity ? c->mip_obj : sol_model_value(&m, c->mip_build);
        if (!greedy_ok || mval >= gval - 1e-9 * fmax(1.0, fabs(gval))) {
            plan = c->mip_build;
            val = mval;
        }
    } else if (!greedy_ok) {
        rc = r5g_err_set(err, R5G_ETIMELIMIT,
                         "solver: the time limit of %g s ended the search before any plan meeting the rules was found",
                         in->time_limit_s);
        goto out;
    }
    memcpy(res->build_period, plan, (size_t)in->n_sites * sizeof *plan);
    double bound;
    const char *kind = c->bound_kind;
    if (!c->lp_ran) {
        res->status = SOL_OPTIMAL; /* nothing to decide, or greedy meets the trivial or Lagrangian bound */
        bound = m.upper;
        kind = "trivial";
    } else if (c->ret == 0 && c->mip_status == GLP_OPT) {
        res->status = SOL_OPTIMAL;
        bound = c->mip_obj;
        kind = "mip_optimal";
    } else if (c->ret == GLP_EMIPGAP) {
        res->status = SOL_OPTIMAL;
        /* GLPK stopped with |bound - obj| / (|obj| + eps) < mip_gap */
        double b = c->mip_obj + in->mip_gap * (fabs(c->mip_obj) + DBL_EPSILON);
        if (b < c->bound)
            kind = "tree";
        bound = fmin(c->bound, b);
    } else {
        res->status = SOL_TIME_LIMIT;
        bound = c->bound;
    }
    if (lag_bound < bound) {
        bound = lag_bound; /* every bound here is valid: keep the tightest */
        kind = "lagrangian";
    }
    res->bound_kind = kind;
    if (bound < val)
        bound = val;
    res->gap = (bound - val) / fmax(fabs(val), 1e-9);
    res->objective = c->sgn * val;
    res->bound = c->sgn * bound;
    /* a plan proven within mip_gap is optimal in the sense of the header,
     * whoever proved it (GLPK's tree or the greedy plan against the bound) */
    if (res->gap <= in->mip_gap)
        res->status = SOL_OPTIMAL;
    r5g_log(R5G_LOG_DEBUG, "solver: %s, objective %.6g (greedy %.6g, %s plan), bound %.6g",
            sol_status_name(res->status), res->objective, c->sgn * gval,
            plan == greedy ? "greedy" : "MIP", res->bound);
out:
    if (res)
        res->seconds = r5g_now() - t0;
    if (rc && res) {
        free(res->build_period);
        res->build_period = NULL;
    }
    if (c) {
        ctx_free(c);
        free(c->mip_build);
        free(c);
    }
    free(greedy);
    free(x);
    sol_model_clear(&m);
    return rc;
}

/* ---- export ---------------------------------------------------------------- */

/* Copies src to dst behind one comment line (GLPK's writers take none). */
static int prepend_comment(const char *src, const char *dst, const char *comment)
{
    FILE *in = fopen(src, "r"), *out = in ? fopen(dst, "w") : NULL;
    int ok = in && out && fputs(comment, out) >= 0;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in && ferror(in))
        ok = 0;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int write_fn(glpk_ctx *c, r5g_err *err)
{
    int rc = 0;
    char *raw = r5g_asprintf("%s.glpk.tmp", c->path), *tmp = r5g_asprintf("%s.tmp", c->path);
    if (!raw || !tmp) {
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", c->path);
        goto out;
    }
    c->lp = glp_create_prob();
    build(c);
    int ret;
    const char *comment;
    if (c->mps) {
        glp_mpscp mp;
        glp_init_mpscp(&mp);
        ret = glp_write_mps(c->lp, GLP_MPS_FILE, &mp, raw);
        comment = c->m->min_cost
                      ? "* rollout5g: objective sense is MINIMIZE (glpsol --min)\n"
                      : "* rollout5g: objective sense is MAXIMIZE (MPS has no sense field: glpsol --max)\n";
    } else {
        ret = glp_write_lp(c->lp, NULL, raw);
        comment = c->m->min_cost ? "\\ rollout5g: objective sense is MINIMIZE\n"
                                 : "\\ rollout5g: objective sense is MAXIMIZE\n";
    }
    if (ret != 0) {
        char buf[1200];
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot write the model: %s", c->path,
                         tail_text(c, buf, sizeof buf));
        goto out;
    }
    /* temporary name + rename: a failed export leaves no half-written file */
    if (prepend_comment(raw, tmp, comment) != 0 || rename(tmp, c->path) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot write the model: %s", c->path, strerror(errno));
        goto out;
    }
out:
    if (raw)
        remove(raw);
    if (tmp)
        remove(tmp);
    free(raw);
    free(tmp);
    return rc;
}

static int has_suffix(const char *path, const char *suf)
{
    size_t n = strlen(path), k = strlen(suf);
    return n > k && strcasecmp(path + n - k, suf) == 0;
}

int sol_export(const sol_input *in, const char *path, r5g_err *err)
{
    int rc = 0;
    sol_model m;
    glpk_ctx e;
    memset(&m, 0, sizeof m);
    memset(&e, 0, sizeof e);
    if (!path || !*path)
        return r5g_err_set(err, R5G_EINPUT, "model export: empty path");
    if (has_suffix(path, ".lp"))
        e.mps = 0;
    else if (has_suffix(path, ".mps"))
        e.mps = 1;
    else
        return r5g_err_set(err, R5G_EINPUT,
                           "%s: unknown model format (use .lp for CPLEX LP or .mps for free MPS)", path);
    e.path = path;
    if ((rc = sol_input_check(in, err)) != 0)
        goto out;
    if ((rc = sol_model_init_ex(&m, in, !in->no_reductions, err)) != 0)
        goto out;
    if ((rc = ctx_alloc(&e, &m, err)) != 0)
        goto out;
    e.in = in;
    e.names = 1;
    rc = glpk_guarded(&e, write_fn, path, err);
out:
    ctx_free(&e);
    sol_model_clear(&m);
    return rc;
}

/* ---- small API --------------------------------------------------------------- */

void sol_result_free(sol_result *res)
{
    if (!res)
        return;
    free(res->build_period);
    res->build_period = NULL;
}

const char *sol_version_glpk(void) { return glp_version(); }

const char *sol_status_name(sol_status s)
{
    switch (s) {
    case SOL_OPTIMAL: return "optimal";
    case SOL_TIME_LIMIT: return "time_limit";
    case SOL_INFEASIBLE: return "infeasible";
    }
    return "unknown";
}
