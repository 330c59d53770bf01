/* solver: the GLPK model of the reduced model (docs/model.md, "Variables"
 * to "Constraints"), and its export (sol_export). */
#include "solver/sol_build.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sol_lp_ycol(const sol_lp *c, int s, int t)
{
    const sol_model *m = c->m;
    return c->ycol[s] && t >= m->early[s] && t <= m->T ? c->ycol[s] + (t - m->early[s]) : 0;
}

static int imax2(int a, int b) { return a > b ? a : b; }

/* fmt names the row from a and b (extra arguments are ignored by snprintf).
 * type GLP_UP: row <= rhs; GLP_LO: row >= rhs; GLP_FX: row = rhs. */
static void add_row(sol_lp *c, glp_prob *P, int len, int type, double rhs, const char *fmt, int a, int b)
{
    if (len == 0) {
        if (type != GLP_LO || rhs <= 0)
            return; /* always met */
        /* no column can meet it: the model is infeasible. sol_solve stops
         * before GLPK; an exported model keeps the row (0 >= rhs), so that
         * another solver finds it infeasible too */
        if (!c->empty_infeasible)
            snprintf(c->infeasible_row, sizeof c->infeasible_row, fmt, a, b);
        c->empty_infeasible = 1;
        if (!c->exporting)
            return;
    }
    c->n_rows++;
    c->n_nonzeros += len;
    if (!P)
        return;
    int i = glp_add_rows(P, 1);
    if (len > 0)
        glp_set_mat_row(P, i, len, c->ind, c->val);
    glp_set_row_bnds(P, i, type, type == GLP_UP ? 0.0 : rhs, type == GLP_LO ? 0.0 : rhs);
    if (c->names) {
        char name[64];
        snprintf(name, sizeof name, fmt, a, b);
        glp_set_row_name(P, i, name);
    }
}

/* Column layout (computed before any GLPK call). Returns the column count,
 * or -1 when it does not fit GLPK's int indices (sol_input_check bounds the
 * y and z columns; the capacity model has one x column per pair and period). */
static long long layout(sol_lp *c)
{
    const sol_model *m = c->m;
    const sol_input *in = m->in;
    long long cap = 0;
    for (int g = 0; m->capacity && g < m->n_groups; g++)
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int t0 = imax2(m->gtmin[g], m->early[m->gsite[k]]);
            cap += t0 <= m->T ? m->T - t0 + 1 : 0;
        }
    if (cap > INT_MAX / 2)
        return -1;
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
static int xcol_at(const sol_lp *c, int g, int k, int t)
{
    const sol_model *m = c->m;
    int t0 = imax2(m->gtmin[g], m->early[m->gsite[k]]);
    return t >= t0 && t <= m->T ? c->xcol[k] + (t - t0) : 0;
}

void sol_lp_build(sol_lp *c, glp_prob *P)
{
    const sol_model *m = c->m;
    const sol_input *in = m->in;
    const int T = m->T, G = m->n_groups;
    glp_prob *lp = P;
    char name[64];
    c->n_rows = 0;
    c->n_nonzeros = 0;
    c->empty_infeasible = 0;
    c->infeasible_row[0] = '\0';
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
                int j = sol_lp_ycol(c, s, t);
                glp_set_col_kind(lp, j, GLP_BV);
                if (sol_is_existing(in, s) || sol_fixed(in, s)) /* committed: t >= early = its period */
                    glp_set_col_bnds(lp, j, GLP_FX, 1.0, 1.0);
                if (m->min_cost && !sol_is_existing(in, s)) /* c_s (pf[t] - pf[t+1]) y[s,t] telescopes to pf[build] c_s */
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
            c->ind[1] = sol_lp_ycol(c, s, t - 1);
            c->val[1] = 1;
            c->ind[2] = sol_lp_ycol(c, s, t);
            c->val[2] = -1;
            add_row(c, P, 2, GLP_UP, 0.0, "mono_%d_%d", s, t);
        }
    for (int g = 0; g < G; g++)
        for (int t = m->gtmin[g]; t <= T; t++) {
            int len = 0, zj = c->zcol[g] + (t - m->gtmin[g]);
            if (!m->capacity) {
                /* coverage: z[g,t] - sum_{s covers g, s may exist at t} y[s,t] <= 0 */
                c->ind[++len] = zj;
                c->val[len] = 1;
                for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                    int j = sol_lp_ycol(c, m->gsite[k], t);
                    if (j) {
                        c->ind[++len] = j;
                        c->val[len] = -1;
                    }
                }
                add_row(c, P, len, GLP_UP, 0.0, "cover_%d_%d", g, t);
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
            add_row(c, P, len, GLP_FX, 0.0, "assign_%d_%d", g, t);
            for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
                int j = xcol_at(c, g, k, t), y = sol_lp_ycol(c, m->gsite[k], t);
                if (!j || !y)
                    continue;
                c->ind[1] = j;
                c->val[1] = 1;
                c->ind[2] = y;
                c->val[2] = -1;
                add_row(c, P, 2, GLP_UP, 0.0, "pair_%d_%d", k, t);
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
            c->ind[++len] = sol_lp_ycol(c, s, t);
            c->val[len] = -in->site_cap[s];
            add_row(c, P, len, GLP_UP, 0.0, "cap_%d_%d", s, t);
        }
    /* on time (hard): sum_{s covers g} y[s, due_g] >= 1 */
    for (int g = 0; g < G; g++) {
        int d = m->gdue[g], len = 0;
        if (d <= 0)
            continue;
        for (int k = m->gptr[g]; k < m->gptr[g + 1]; k++) {
            int j = sol_lp_ycol(c, m->gsite[k], d);
            if (j) {
                c->ind[++len] = j;
                c->val[len] = 1;
            }
        }
        add_row(c, P, len, GLP_LO, 1.0, "due_%d_%d", g, d);
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
                int j = sol_lp_ycol(c, s, t);
                if (j) {
                    c->ind[++len] = j;
                    c->val[len] = 1;
                } else if (sol_is_existing(in, s)) {
                    rhs -= 1;
                }
            }
        }
        if (rhs > 1e-9 * (1 + fabs(tg->rhs)))
            add_row(c, P, len, GLP_LO, rhs, "target_%d_%d", k, t);
    }
    /* on time: points due but covered by no site that may be built had no
     * group at all (sol_model_init): one row says so in an exported model */
    if (m->n_impossible && c->exporting && !m->unreduced)
        add_row(c, P, 0, GLP_LO, 1.0, "due_out_of_reach_%d", m->n_impossible, 0);
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
                int j = sol_lp_ycol(c, s, t), jp = sol_lp_ycol(c, s, t - 1);
                if (!j || cs == 0 || sol_is_existing(in, s))
                    continue;
                c->ind[++len] = j;
                c->val[len] = cs;
                if (!in->carry_over && jp) {
                    c->ind[++len] = jp;
                    c->val[len] = -cs;
                }
            }
            add_row(c, P, len, GLP_UP, rhs, "budget_%d", t, 0);
        }
        if (in->max_new && in->max_new[t - 1] >= 0) {
            int len = 0;
            for (int s = 0; s < m->n_sites; s++) {
                int j = sol_lp_ycol(c, s, t), jp = sol_lp_ycol(c, s, t - 1);
                if (!j || sol_is_existing(in, s))
                    continue;
                c->ind[++len] = j;
                c->val[len] = 1;
                if (jp) {
                    c->ind[++len] = jp;
                    c->val[len] = -1;
                }
            }
            add_row(c, P, len, GLP_UP, (double)in->max_new[t - 1], "limit_%d", t, 0);
        }
    }
}


void sol_lp_plan_to_x(const sol_lp *c, const int *build, double *x)
{
    const sol_model *m = c->m;
    for (int s = 0; s < m->n_sites; s++)
        for (int t = m->early[s]; c->ycol[s] && t <= m->T; t++)
            x[sol_lp_ycol(c, s, t)] = build[s] > 0 && build[s] <= t ? 1.0 : 0.0;
    for (int g = 0; g < m->n_groups; g++) {
        int first = sol_model_group_first(m, build, g);
        for (int t = m->gtmin[g]; t <= m->T; t++)
            x[c->zcol[g] + (t - m->gtmin[g])] = first > 0 && first <= t ? 1.0 : 0.0;
    }
    if (c->ccol)
        x[c->ccol] = 1.0;
}


void sol_lp_read_plan(const sol_lp *c, glp_prob *P, int *build)
{
    const sol_model *m = c->m;
    const sol_input *in = m->in;
    for (int s = 0; s < m->n_sites; s++) {
        build[s] = (in->existing && in->existing[s]) ? 1 : 0;
        for (int t = m->early[s]; c->ycol[s] && !sol_is_existing(in, s) && t <= m->T; t++)
            if (glp_mip_col_val(P, sol_lp_ycol(c, s, t)) > 0.5) {
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

int sol_lp_init(sol_lp *c, const sol_model *m, r5g_err *err)
{
    c->m = m;
    c->ycol = calloc((size_t)m->n_sites + 1, sizeof *c->ycol);
    c->zcol = calloc((size_t)m->n_groups + 1, sizeof *c->zcol);
    c->xcol = calloc((size_t)m->gptr[m->n_groups] + 1, sizeof *c->xcol);
    if (!c->ycol || !c->zcol || !c->xcol)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory");
    c->sgn = m->min_cost ? -1 : 1;
    long long n = layout(c);
    if (n < 0)
        return r5g_err_set(err, R5G_EINPUT,
                           "solver: the capacity model has too many (pair, period) columns for GLPK (%d pairs, %d periods)",
                           m->gptr[m->n_groups], m->T);
    c->n_cols = (int)n;
    /* the longest row: a budget or limit row (2 per site), a coverage,
     * target or capacity row (a group or site list) */
    size_t width = 2 * (size_t)m->n_sites + (size_t)m->n_groups + 3;
    c->ind = malloc(width * sizeof *c->ind);
    c->val = malloc(width * sizeof *c->val);
    if (!c->ind || !c->val)
        return r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %zu row entries", width);
    return 0;
}

void sol_lp_dispose(sol_lp *c)
{
    free(c->ycol);
    free(c->zcol);
    free(c->xcol);
    free(c->ind);
    free(c->val);
}


/* ---- export ---------------------------------------------------------------- */

typedef struct exporter {
    sol_lp lp;
    sol_glpk g;
    const char *path;
    int mps;
} exporter;

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

static int write_fn(void *arg, r5g_err *err)
{
    exporter *e = arg;
    int rc = 0;
    char *raw = r5g_asprintf("%s.glpk.tmp", e->path), *tmp = r5g_asprintf("%s.tmp", e->path);
    if (!raw || !tmp) {
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory", e->path);
        goto out;
    }
    glp_prob *P = e->g.prob = glp_create_prob();
    sol_lp_build(&e->lp, P);
    /* the CPLEX LP writer needs a row and a column ("PROBLEM HAS NO
     * ROWS/COLUMNS" is not a model glpsol reads): a model with nothing to
     * decide gets the constant column, and one without rows a redundant
     * row x <= upper bound */
    if (glp_get_num_cols(P) == 0) {
        glp_add_cols(P, 1);
        glp_set_col_name(P, 1, "existing_coverage");
        glp_set_col_bnds(P, 1, GLP_FX, 1.0, 1.0);
    }
    if (glp_get_num_rows(P) == 0) {
        int one[2] = {0, 1};
        double v[2] = {0, 1.0};
        glp_add_rows(P, 1);
        glp_set_row_name(P, 1, "no_constraints");
        glp_set_mat_row(P, 1, 1, one, v);
        glp_set_row_bnds(P, 1, GLP_UP, 0.0, glp_get_col_ub(P, 1)); /* every column is <= 1 */
    }
    int ret;
    const char *comment;
    const int min_cost = e->lp.m->min_cost;
    if (e->mps) {
        glp_mpscp mp;
        glp_init_mpscp(&mp);
        ret = glp_write_mps(P, GLP_MPS_FILE, &mp, raw);
        comment = min_cost ? "* rollout5g: objective sense is MINIMIZE (glpsol --min)\n"
                           : "* rollout5g: objective sense is MAXIMIZE (MPS has no sense field: glpsol --max)\n";
    } else {
        ret = glp_write_lp(P, NULL, raw);
        comment = min_cost ? "\\ rollout5g: objective sense is MINIMIZE\n" : "\\ rollout5g: objective sense is MAXIMIZE\n";
    }
    if (ret != 0) {
        char buf[1200];
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot write the model: %s", e->path, sol_glpk_tail(&e->g, buf, sizeof buf));
        goto out;
    }
    /* temporary name + rename: a failed export leaves no half-written file */
    if (prepend_comment(raw, tmp, comment) != 0 || rename(tmp, e->path) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot write the model: %s", e->path, strerror(errno));
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
    exporter e;
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
    if ((rc = sol_lp_init(&e.lp, &m, err)) != 0)
        goto out;
    e.lp.names = 1;
    e.lp.exporting = 1;
    rc = sol_glpk_run(&e.g, write_fn, &e, path, err);
out:
    sol_lp_dispose(&e.lp);
    sol_model_dispose(&m);
    return rc;
}
