/* sjc.mod -- maximal covering location problem (Church & ReVelle 1974), written
 * by hand as an oracle that is independent of solver/sol.c.
 *
 * Every node is a demand point and a candidate site (SJC instances, Lorena &
 * Pereira 2002). Node i is covered when an open site j lies within Euclidean
 * distance S of it (distance <= S, compared on squared integer distances).
 *
 * Data file (see docs/model.md for the awk generator):
 *   param p := 5;  param S := 800;
 *   param : N : x y d := 1 409154 435528 50  2 ... ;
 *
 * Run: glpsol --math tests/sjc.mod -d X.dat
 * Prints "SJC_OPTIMUM <value>" (only meaningful if glpsol reports
 * INTEGER OPTIMAL SOLUTION FOUND). */

set N;
param x{N};
param y{N};
param d{N} >= 0;
param p integer > 0;
param S > 0;

/* sites within S of node i */
set Near{i in N} := setof{j in N: (x[i] - x[j])^2 + (y[i] - y[j])^2 <= S^2} j;

var open{N} binary;
var covered{N} >= 0, <= 1;

maximize demand_covered: sum{i in N} d[i] * covered[i];

s.t. cover{i in N}: covered[i] <= sum{j in Near[i]} open[j];
s.t. p_sites: sum{j in N} open[j] <= p;

solve;

printf "SJC_OPTIMUM %d\n", sum{i in N} d[i] * covered[i];
printf "SJC_SITES";
printf{j in N: open[j] > 0.5} " %d", j;
printf "\n";
end;
