/* Candidate-demand pairs within range: a uniform grid over the sites
 * (counting sort into CSR), scanned around each demand point. Never all pairs.
 *
 * Pair rule (the same as brute force): with ex = dx - sx, ey = dy - sy,
 * d = sqrt(ex*ex + ey*ey) in double, demand j is covered by site s iff
 * d <= radius[s]; the stored distance is (float)d.
 *
 * Cells are strictly wider than the largest radius (plus slack), so the sites
 * that can cover a demand point lie in the 3x3 cells around its own. For each
 * such neighbourhood the site list is merged once into ascending site order
 * (lazily, the first time a demand point lands in that cell); every demand
 * point of the cell then filters that list, and its pairs come out already
 * ascending, with no per-point sort. */
#include "geo/geo_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The largest t with sqrt(t) <= r: since IEEE sqrt is correctly rounded and
 * monotonic, d2 <= sq_limit(r) holds exactly when sqrt(d2) <= r, so the
 * inner loop needs no sqrt to decide. */
static double sq_limit(double r)
{
    double t = r * r;
    while (t > 0 && sqrt(t) > r)
        t = nextafter(t, 0);
    for (;;) {
        double u = nextafter(t, INFINITY);
        if (!(sqrt(u) <= r))
            return t;
        t = u;
    }
}

int geo_pairs_find(geo_pairs *out, const double *sx, const double *sy, const double *radius,
                   size_t n_sites, const double *dx, const double *dy, size_t n_demand,
                   r5g_err *err)
{
    int rc = R5G_OK;
    size_t *cell_ptr = NULL, *nb_ptr = NULL;
    int32_t *nb = NULL, *gid = NULL;
    double *gx = NULL, *gy = NULL, *gr2 = NULL, *d2buf = NULL;
    size_t pair_cap = 0;

    memset(out, 0, sizeof *out);
    if (n_sites > (size_t)INT32_MAX / 9)
        return r5g_err_set(err, R5G_EINPUT, "pairs: %zu sites is more than %d", n_sites,
                           INT32_MAX / 9);
    double rmax = 0;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t s = 0; s < n_sites; s++) {
        if (!isfinite(sx[s]) || !isfinite(sy[s]))
            return r5g_err_set(err, R5G_EINPUT, "pairs: site %zu: coordinate (%g, %g) is not a "
                               "finite number", s, sx[s], sy[s]);
        if (isnan(radius[s]))
            return r5g_err_set(err, R5G_EINPUT, "pairs: site %zu: radius is NaN", s);
        if (radius[s] < 0)
            return r5g_err_set(err, R5G_EINPUT, "pairs: site %zu: radius %g is negative", s,
                               radius[s]);
        if (!isfinite(radius[s]))
            return r5g_err_set(err, R5G_EINPUT, "pairs: site %zu: radius is infinite", s);
        if (radius[s] > rmax) rmax = radius[s];
        if (sx[s] < x0) x0 = sx[s];
        if (sx[s] > x1) x1 = sx[s];
        if (sy[s] < y0) y0 = sy[s];
        if (sy[s] > y1) y1 = sy[s];
    }
    for (size_t j = 0; j < n_demand; j++)
        if (!isfinite(dx[j]) || !isfinite(dy[j]))
            return r5g_err_set(err, R5G_EINPUT, "pairs: demand point %zu: coordinate (%g, %g) "
                               "is not a finite number", j, dx[j], dy[j]);

    out->n_demand = n_demand;
    out->ptr = calloc(n_demand + 1, sizeof *out->ptr);
    if (!out->ptr)
        goto nomem;
    if (n_sites == 0 || n_demand == 0)
        goto done;

    /* reach: rmax plus slack, so rounding in cell arithmetic never hides an
     * in-range site; cells are strictly wider than the reach, and enlarged
     * when needed so that their number stays O(n_sites) */
    double w = x1 - x0, h = y1 - y0;
    double reach = rmax * (1.0 + 1e-9) + 1e-9 * (fabs(x0) + fabs(x1) + fabs(y0) + fabs(y1) + 1.0);
    double cell = reach * (1.0 + 1e-6);
    double maxcells = 4.0 * (double)n_sites + 64.0;
    if (rmax == 0)
        cell = fmax(cell, fmax(fmax(w, h) / sqrt((double)n_sites), 1.0));
    for (;;) {
        double fnx = floor(w / cell) + 1, fny = floor(h / cell) + 1;
        if (fnx * fny <= maxcells)
            break;
        cell *= 1.5;
    }
    size_t nx = (size_t)(floor(w / cell) + 1), ny = (size_t)(floor(h / cell) + 1);
    size_t ncell = nx * ny;
    double inv = 1.0 / cell;

    /* sites in cell order, ascending site index within a cell */
    cell_ptr = calloc(ncell + 1, sizeof *cell_ptr);
    gx = malloc(n_sites * sizeof *gx);
    gy = malloc(n_sites * sizeof *gy);
    gr2 = malloc(n_sites * sizeof *gr2);
    gid = malloc(n_sites * sizeof *gid);
    if (!cell_ptr || !gx || !gy || !gr2 || !gid)
        goto nomem;
#define SCELL(s)                                                                                  \
    ((size_t)fmin((double)(ny - 1), floor((sy[s] - y0) * inv)) * nx +                             \
     (size_t)fmin((double)(nx - 1), floor((sx[s] - x0) * inv)))
    for (size_t s = 0; s < n_sites; s++)
        cell_ptr[SCELL(s) + 1]++;
    for (size_t c = 0; c < ncell; c++)
        cell_ptr[c + 1] += cell_ptr[c];
    for (size_t s = 0; s < n_sites; s++) {
        size_t k = cell_ptr[SCELL(s)]++;
        gx[k] = sx[s];
        gy[k] = sy[s];
        gr2[k] = sq_limit(radius[s]);
        gid[k] = (int32_t)s;
    }
#undef SCELL
    for (size_t c = ncell; c > 0; c--)
        cell_ptr[c] = cell_ptr[c - 1];
    cell_ptr[0] = 0;

    /* neighbourhood lists per padded cell (one ring of cells around the grid
     * for demand points just outside it), built lazily. Each site appears in
     * at most 9 lists, so the pool never exceeds 9 * n_sites entries. */
    size_t pnx = nx + 2, pny = ny + 2;
    nb_ptr = malloc(pnx * pny * 2 * sizeof *nb_ptr); /* [start, end), start SIZE_MAX = not built */
    nb = malloc(9 * n_sites * sizeof *nb);
    d2buf = malloc(n_sites * sizeof *d2buf); /* a neighbourhood holds each site once */
    if (!nb_ptr || !nb || !d2buf)
        goto nomem;
    for (size_t c = 0; c < pnx * pny; c++)
        nb_ptr[2 * c] = SIZE_MAX;
    size_t nb_len = 0;

    pair_cap = n_demand * 16 + 1024;
    out->site = malloc(pair_cap * sizeof *out->site);
    out->dist = malloc(pair_cap * sizeof *out->dist);
    if (!out->site || !out->dist)
        goto nomem;

    size_t np = 0;
    for (size_t j = 0; j < n_demand; j++) {
        double qx = dx[j], qy = dy[j];
        out->ptr[j] = np;
        double fx = floor((qx - x0) * inv), fy = floor((qy - y0) * inv);
        if (fx < -1 || fy < -1 || fx > (double)nx || fy > (double)ny)
            continue; /* more than a cell (> reach) away from every site */
        size_t pcx = (size_t)(fx + 1), pcy = (size_t)(fy + 1); /* padded cell */
        size_t pc = pcy * pnx + pcx;
        if (nb_ptr[2 * pc] == SIZE_MAX) {
            /* real cells (pcx-2 .. pcx) x (pcy-2 .. pcy), clipped to the grid */
            size_t run_a[9], run_b[9];
            int nrun = 0;
            size_t xa = pcx > 1 ? pcx - 2 : 0, xb = pcx < nx ? pcx : nx - 1;
            for (size_t cy = pcy > 1 ? pcy - 2 : 0; cy <= pcy && cy < ny; cy++)
                for (size_t cx = xa; cx <= xb; cx++) {
                    size_t c = cy * nx + cx;
                    if (cell_ptr[c] < cell_ptr[c + 1]) {
                        run_a[nrun] = cell_ptr[c];
                        run_b[nrun] = cell_ptr[c + 1];
                        nrun++;
                    }
                }
            nb_ptr[2 * pc] = nb_len;
            for (;;) { /* k-way merge by site index (at most 9 runs) */
                int best = -1;
                int32_t bid = INT32_MAX;
                for (int r = 0; r < nrun; r++)
                    if (run_a[r] < run_b[r] && gid[run_a[r]] <= bid) {
                        bid = gid[run_a[r]];
                        best = r;
                    }
                if (best < 0)
                    break;
                nb[nb_len++] = (int32_t)run_a[best]++;
            }
            nb_ptr[2 * pc + 1] = nb_len;
        }
        size_t a = nb_ptr[2 * pc], b = nb_ptr[2 * pc + 1];
        if (np + (b - a) > pair_cap) {
            size_t c = pair_cap;
            while (c < np + (b - a))
                c += c / 2 + 1024;
            int32_t *qs = realloc(out->site, c * sizeof *qs);
            if (!qs)
                goto nomem;
            out->site = qs;
            float *qd = realloc(out->dist, c * sizeof *qd);
            if (!qd)
                goto nomem;
            out->dist = qd;
            pair_cap = c;
        }
        int32_t *os = out->site + np;
        float *od = out->dist + np;
        /* branch-free: write every candidate, keep the ones in range */
        size_t m = 0;
        for (size_t i = a; i < b; i++) {
            size_t k = (size_t)nb[i];
            double ex = qx - gx[k], ey = qy - gy[k];
            double d2 = ex * ex + ey * ey;
            os[m] = gid[k];
            d2buf[m] = d2;
            m += d2 <= gr2[k];
        }
        for (size_t i = 0; i < m; i++)
            od[i] = (float)sqrt(d2buf[i]);
        np += m;
    }
    out->ptr[n_demand] = np;
    out->n_pairs = np;
    if (np > 0 && np < pair_cap / 2) { /* give back the slack */
        int32_t *qs = realloc(out->site, np * sizeof *qs);
        if (qs)
            out->site = qs;
        float *qd = realloc(out->dist, np * sizeof *qd);
        if (qd)
            out->dist = qd;
    }
    goto done;

nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "pairs: out of memory (%zu sites, %zu demand points)",
                     n_sites, n_demand);
done:
    free(cell_ptr);
    free(nb_ptr);
    free(nb);
    free(gx);
    free(gy);
    free(d2buf);
    free(gr2);
    free(gid);
    if (rc)
        geo_pairs_free(out);
    return rc;
}

void geo_pairs_free(geo_pairs *p)
{
    if (!p)
        return;
    free(p->ptr);
    free(p->site);
    free(p->dist);
    memset(p, 0, sizeof *p);
}
