/* solver internals: the one guard around GLPK. GLPK aborts the process on a
 * bad argument and prints to the terminal; every GLPK call in solver/ runs
 * inside sol_glpk_run, which routes GLPK's output to the debug log (and to
 * a line callback, for progress), turns a fatal GLPK error into
 * R5G_EINTERNAL with GLPK's last lines, and lets the line callback abort a
 * long GLPK call (a root LP) when the caller cancels. Only solver/ files
 * include glpk.h. */
#ifndef SOL_GLPK_H
#define SOL_GLPK_H

#include <glpk.h>
#include <setjmp.h>
#include <stddef.h>

#include "common/r5g.h"

#define SOL_GLPK_TAIL 6    /* GLPK output lines kept for error messages */
#define SOL_GLPK_LINE 256

/* sol_glpk_run's return when line_fn aborted the GLPK call (not an error). */
#define SOL_GLPK_ABORTED 1

typedef struct sol_glpk {
    /* set by the caller */
    int (*line_fn)(void *user, const char *line); /* each output line; non-zero: abort; NULL: none */
    void *line_user;
    glp_prob *prob;  /* the problem fn works on: deleted when fn returns; after a
                      * fatal error or an abort GLPK freed it, and it is NULL */
    /* the guard's own */
    jmp_buf jb;
    int depth;       /* nested sol_glpk_run calls run fn directly */
    char part[SOL_GLPK_LINE];
    size_t plen;
    char tail[SOL_GLPK_TAIL][SOL_GLPK_LINE];
    int n_tail;
} sol_glpk;

/* Runs fn(arg, err) with GLPK's hooks set. Returns fn's code, R5G_EINTERNAL
 * ("what: GLPK fatal error: ...") after a fatal GLPK error, or
 * SOL_GLPK_ABORTED after line_fn asked to stop. In the last two cases the
 * GLPK environment was freed with every problem in it: fn must not leave
 * anything but g->prob pointing into GLPK. */
int sol_glpk_run(sol_glpk *g, int (*fn)(void *arg, r5g_err *err), void *arg, const char *what,
                 r5g_err *err);
/* The last lines of GLPK output, joined, for error messages. */
const char *sol_glpk_tail(sol_glpk *g, char *buf, size_t size);
/* glp_intopt, guarded against GLPK 5.0 aborting in glp_cov_init when the
 * tree's problem has no columns (its presolver can remove every column but
 * keep a row): cover cuts off then. */
int sol_glpk_intopt(glp_prob *P, glp_iocp *ip);
/* GLPK's tm_lim (ms) for what is left of time_limit_s since t0: 1..INT_MAX,
 * INT_MAX (GLPK's "none") without a limit. */
int sol_glpk_tm_lim(double time_limit_s, double t0);

#endif
