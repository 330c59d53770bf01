/* Small solver fixtures shared by test_solver.c and test_rules.c. */
#ifndef TESTS_SOL_FIXTURE_H
#define TESTS_SOL_FIXTURE_H

#include <string.h>

#include "solver/sol.h"

/* Coverage as a CSR of site lists. */
typedef struct csr {
    int ptr[64];
    int site[256];
} csr;

/* lists: for each demand point, a -1-terminated list of sites */
static inline void csr_build(csr *c, int n_demand, const int *lists)
{
    int k = 0;
    c->ptr[0] = 0;
    for (int j = 0; j < n_demand; j++) {
        while (*lists != -1)
            c->site[k++] = *lists++;
        lists++;
        c->ptr[j + 1] = k;
    }
}

/* A model with the default settings (SOL_INPUT_INIT: presolve, cuts,
 * heuristics) made exact: 60 s, gap 0. */
static inline sol_input fixture_input(int T, int n_sites, const double *capex, const double *budget,
                                      int n_demand, const double *weight, const csr *c, int carry_over)
{
    sol_input in = SOL_INPUT_INIT;
    in.n_periods = T;
    in.n_sites = n_sites;
    in.capex = capex;
    in.budget = budget;
    in.carry_over = carry_over;
    in.n_demand = n_demand;
    in.weight = weight;
    in.cov_ptr = c->ptr;
    in.cov_site = c->site;
    in.time_limit_s = 60;
    in.mip_gap = 0;
    return in;
}

#endif
