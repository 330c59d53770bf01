/* solver: the GLPK guard (error hook + longjmp, terminal hook). */
#include "solver/sol_glpk.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "solver/sol_int.h"

enum { JUMP_FATAL = 1, JUMP_ABORT = 2 };

/* Ends the current line; 1 when it had text. */
static int tail_push(sol_glpk *g)
{
    int had = g->plen > 0;
    g->part[g->plen] = '\0';
    if (had) {
        r5g_log(R5G_LOG_DEBUG, "glpk: %s", g->part);
        if (g->n_tail == SOL_GLPK_TAIL) {
            memmove(g->tail[0], g->tail[1], sizeof g->tail[0] * (SOL_GLPK_TAIL - 1));
            g->n_tail--;
        }
        memcpy(g->tail[g->n_tail++], g->part, g->plen + 1);
    }
    g->plen = 0;
    return had;
}

static int term_hook(void *info, const char *s)
{
    sol_glpk *g = info;
    for (; *s; s++) {
        /* the line callback sees every line; GLPK prints simplex progress
         * every 5 s, so a cancel during a long root LP (where GLPK calls
         * nothing back) is seen within seconds */
        if ((*s == '\n' || g->plen + 1 >= sizeof g->part) && tail_push(g) && g->line_fn &&
            g->line_fn(g->line_user, g->tail[g->n_tail - 1]))
            longjmp(g->jb, JUMP_ABORT);
        if (*s != '\n')
            g->part[g->plen++] = *s;
    }
    return 1; /* consumed: GLPK prints nothing itself */
}

static void error_hook(void *info)
{
    sol_glpk *g = info;
    longjmp(g->jb, JUMP_FATAL);
}

const char *sol_glpk_tail(sol_glpk *g, char *buf, size_t size)
{
    if (g->plen > 0)
        tail_push(g);
    buf[0] = '\0';
    size_t n = 0;
    for (int i = 0; i < g->n_tail && n + 4 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " | " : "", g->tail[i]);
    if (buf[0] == '\0')
        snprintf(buf, size, "(no GLPK output)");
    return buf;
}

int sol_glpk_run(sol_glpk *g, int (*fn)(void *arg, r5g_err *err), void *arg, const char *what,
                 r5g_err *err)
{
    if (g->depth > 0)
        return fn(arg, err);
    char buf[1200];
    switch (setjmp(g->jb)) {
    case 0:
        break;
    case JUMP_ABORT: /* the GLPK environment is unusable now: free it, with every problem in it */
        glp_free_env();
        g->prob = NULL;
        g->depth = 0;
        r5g_log(R5G_LOG_DEBUG, "%s: GLPK stopped on request", what);
        return SOL_GLPK_ABORTED;
    default:
        sol_glpk_tail(g, buf, sizeof buf);
        glp_free_env();
        g->prob = NULL;
        g->depth = 0;
        return r5g_err_set(err, R5G_EINTERNAL, "%s: GLPK fatal error: %s", what, buf);
    }
    g->depth = 1;
    glp_term_hook(term_hook, g);
    glp_error_hook(error_hook, g);
    int rc = fn(arg, err);
    if (g->prob) {
        glp_delete_prob(g->prob);
        g->prob = NULL;
    }
    if (g->plen > 0)
        tail_push(g);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    g->depth = 0;
    return rc;
}

/* Columns of the problem glp_intopt's tree will work on: P's own, or after
 * GLPK's MIP presolver, whose first step (and the only one that removes
 * columns) is the basic preprocessing glp_npp_preprocess1(hard) runs; -1
 * when that step finds P infeasible (glp_intopt reports it then). */
static int tree_cols(glp_prob *P, int presolve)
{
    if (!presolve)
        return glp_get_num_cols(P);
    glp_prep *prep = glp_npp_alloc_wksp();
    glp_npp_load_prob(prep, P, GLP_MIP, GLP_OFF);
    int n = -1;
    if (glp_npp_preprocess1(prep, GLP_ON) == 0) {
        glp_prob *Q = glp_create_prob();
        glp_npp_build_prob(prep, Q);
        n = glp_get_num_cols(Q);
        glp_delete_prob(Q);
    }
    glp_npp_free_wksp(prep);
    return n;
}

/* GLPK 5.0 aborts the process in glp_cov_init ("glp_add_cols: ncs = 0;
 * invalid number of columns") when the tree's problem has no columns, which
 * its presolver produces when it removes every column but keeps a row (seen
 * on RENS sub-MIPs and on small models whose plan is forced). Cover cuts
 * have nothing to cut then. */
int sol_glpk_intopt(glp_prob *P, glp_iocp *ip)
{
    if (ip->cov_cuts == GLP_ON && tree_cols(P, ip->presolve == GLP_ON) == 0)
        ip->cov_cuts = GLP_OFF;
    return glp_intopt(P, ip);
}

int sol_glpk_tm_lim(double time_limit_s, double t0)
{
    if (!(time_limit_s > 0))
        return INT_MAX;
    return sol_to_int((time_limit_s - (r5g_now() - t0)) * 1000.0, 1, INT_MAX);
}
