/* Candidate-demand pairs within range: a uniform grid over the sites
 * (counting sort into CSR), scanned around each demand point. Never all pairs.
 *
 * Pair rule (the same as brute force): with ex = dx - sx, ey = dy - sy,
 * d = sqrt(ex*ex + ey*ey) in double, demand j is covered by site s iff
 * d <= radius[s]; the stored distance is (float)d. */
#include "geo/geo_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair_tmp {
    int32_t site;
    float dist;
} pair_tmp;

/* Merges the sorted runs buf[run[0]..run[1]), ... in place (ascending site),
 * using tmp as scratch; returns the merged array (buf or tmp). */
static pair_tmp *merge_runs(pair_tmp *buf, pair_tmp *tmp, size_t *run, int nrun)
{
    pair_tmp *a = buf, *b = tmp;
    while (nrun > 1) {
        int w = 0;
        for (int r = 0; r < nrun; r += 2) {
            size_t lo = run[r], mid = run[r + 1];
            size_t hi = r + 1 < nrun ? run[r + 2] : mid;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                b[o++] = a[j].site < a[i].site ? a[j++] : a[i++];
            while (i < mid)
                b[o++] = a[i++];
            while (j < hi)
                b[o++] = a[j++];
            run[w++] = lo;
        }
        run[w] = run[nrun];
        nrun = w;
        pair_tmp *s = a;
        a = b;
        b = s;
    }
    return a;
}

int geo_pairs_find(geo_pairs *out, const double *sx, const double *sy, const double *radius,
                   size_t n_sites, const double *dx, const double *dy, size_t n_demand,
                   r5g_err *err)
{
    int rc = R5G_OK;
    size_t *cell_ptr = NULL;
    double *gx = NULL, *gy = NULL, *gr2 = NULL, *gr = NULL;
    int32_t *gid = NULL;
    pair_tmp *buf = NULL, *tmp = NULL;
    size_t buf_cap = 0, pair_cap = 0;

    memset(out, 0, sizeof *out);
    if (n_sites > (size_t)INT32_MAX)
        return r5g_err_set(err, R5G_EINPUT, "pairs: %zu sites is more than %d", n_sites,
                           INT32_MAX);
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

    /* grid: cell = max radius, enlarged so cells stay O(n_sites) */
    double w = x1 - x0, h = y1 - y0;
    double cell = rmax;
    double maxcells = 4.0 * (double)n_sites + 64.0;
    if (!(cell > 0))
        cell = fmax(fmax(w, h) / sqrt((double)n_sites), 1.0);
    for (;;) {
        double nx = floor(w / cell) + 1, ny = floor(h / cell) + 1;
        if (nx * ny <= maxcells)
            break;
        cell *= 1.5;
    }
    size_t nx = (size_t)(floor(w / cell) + 1), ny = (size_t)(floor(h / cell) + 1);
    size_t ncell = nx * ny;
    double inv = 1.0 / cell;

    cell_ptr = calloc(ncell + 1, sizeof *cell_ptr);
    gx = malloc(n_sites * sizeof *gx);
    gy = malloc(n_sites * sizeof *gy);
    gr = malloc(n_sites * sizeof *gr);
    gr2 = malloc(n_sites * sizeof *gr2);
    gid = malloc(n_sites * sizeof *gid);
    if (!cell_ptr || !gx || !gy || !gr || !gr2 || !gid)
        goto nomem;
#define SCELL(s) ((size_t)((sy[s] - y0) * inv) * nx + (size_t)((sx[s] - x0) * inv))
    for (size_t s = 0; s < n_sites; s++) {
        size_t c = SCELL(s);
        if (c >= ncell) /* rounding at the far edge */
            c = ncell - 1;
        cell_ptr[c + 1]++;
    }
    for (size_t c = 0; c < ncell; c++)
        cell_ptr[c + 1] += cell_ptr[c];
    for (size_t s = 0; s < n_sites; s++) { /* stable: ascending site within a cell */
        size_t c = SCELL(s);
        if (c >= ncell)
            c = ncell - 1;
        size_t k = cell_ptr[c]++;
        gx[k] = sx[s];
        gy[k] = sy[s];
        gr[k] = radius[s];
        /* squared-radius prefilter with slack; the exact test uses sqrt */
        gr2[k] = radius[s] * radius[s] * (1.0 + 1e-12) + 1e-300;
        gid[k] = (int32_t)s;
    }
#undef SCELL
    for (size_t c = ncell; c > 0; c--)
        cell_ptr[c] = cell_ptr[c - 1];
    cell_ptr[0] = 0;

    /* scan reach: rmax plus slack so rounding never hides an in-range site */
    double reach = rmax * (1.0 + 1e-9) + 1e-9 * (fabs(x0) + fabs(x1) + fabs(y0) + fabs(y1) + 1.0);
    size_t est = n_demand * 8 + 1024;
    pair_cap = est;
    out->site = malloc(pair_cap * sizeof *out->site);
    out->dist = malloc(pair_cap * sizeof *out->dist);
    buf_cap = 1024;
    buf = malloc(buf_cap * sizeof *buf);
    tmp = malloc(buf_cap * sizeof *tmp);
    if (!out->site || !out->dist || !buf || !tmp)
        goto nomem;
    size_t run[128]; /* run starts; more runs are merged early */
    size_t np = 0;
    for (size_t j = 0; j < n_demand; j++) {
        double px = dx[j], py = dy[j];
        out->ptr[j] = np;
        double fx0 = (px - reach - x0) * inv, fx1 = (px + reach - x0) * inv;
        double fy0 = (py - reach - y0) * inv, fy1 = (py + reach - y0) * inv;
        if (fx1 < 0 || fy1 < 0 || fx0 >= (double)nx || fy0 >= (double)ny)
            continue;
        size_t cx0 = fx0 > 0 ? (size_t)fx0 : 0, cy0 = fy0 > 0 ? (size_t)fy0 : 0;
        size_t cx1 = fx1 < (double)(nx - 1) ? (size_t)fx1 : nx - 1;
        size_t cy1 = fy1 < (double)(ny - 1) ? (size_t)fy1 : ny - 1;
        size_t nb = 0;
        int nrun = 0;
        for (size_t cy = cy0; cy <= cy1; cy++) {
            size_t rowc = cy * nx;
            for (size_t cx = cx0; cx <= cx1; cx++) {
                size_t a = cell_ptr[rowc + cx], b = cell_ptr[rowc + cx + 1];
                if (a == b)
                    continue;
                if (nb + (b - a) > buf_cap) {
                    size_t c = buf_cap;
                    while (c < nb + (b - a))
                        c *= 2;
                    pair_tmp *q = realloc(buf, c * sizeof *q);
                    if (!q)
                        goto nomem;
                    buf = q;
                    q = realloc(tmp, c * sizeof *q);
                    if (!q)
                        goto nomem;
                    tmp = q;
                    buf_cap = c;
                }
                size_t start = nb;
                for (size_t k = a; k < b; k++) {
                    double ex = px - gx[k], ey = py - gy[k];
                    double d2 = ex * ex + ey * ey;
                    if (d2 <= gr2[k]) {
                        double d = sqrt(d2);
                        if (d <= gr[k]) {
                            buf[nb].site = gid[k];
                            buf[nb].dist = (float)d;
                            nb++;
                        }
                    }
                }
                if (nb > start) {
                    if (nrun == 126) { /* keep the run table bounded */
                        run[nrun] = start;
                        pair_tmp *m = merge_runs(buf, tmp, run, nrun);
                        if (m != buf)
                            memcpy(buf, m, start * sizeof *buf);
                        nrun = 1;
                        run[0] = 0;
                    }
                    run[nrun++] = start;
                }
            }
        }
        if (nb == 0)
            continue;
        run[nrun] = nb;
        pair_tmp *m = nrun > 1 ? merge_runs(buf, tmp, run, nrun) : buf;
        if (np + nb > pair_cap) {
            size_t c = pair_cap;
            while (c < np + nb)
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
        for (size_t k = 0; k < nb; k++) {
            out->site[np + k] = m[k].site;
            out->dist[np + k] = m[k].dist;
        }
        np += nb;
    }
    out->ptr[n_demand] = np;
    out->n_pairs = np;
    goto done;

nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "pairs: out of memory (%zu sites, %zu demand points)",
                     n_sites, n_demand);
done:
    free(cell_ptr);
    free(gx);
    free(gy);
    free(gr);
    free(gr2);
    free(gid);
    free(buf);
    free(tmp);
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
