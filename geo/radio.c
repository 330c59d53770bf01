/* 3GPP TR 38.901 Table 7.4.1-1 path loss and the range it implies.
 * See radio.h and docs/radio.md. */
#include "geo/radio.h"

#include <math.h>
#include <strings.h>

#include "common/r5g.h"

#define C_LIGHT 3.0e8          /* m/s, as in TR 38.901 */
#define RANGE_TOL_M 0.01       /* geo_range_m precision */

typedef struct loss_args {
    geo_env env;
    int los;
    double fc;   /* GHz */
    double h_bs, h_ut;
    double w, h; /* RMa street width, building height */
} loss_args;

static int args_ok(const loss_args *a)
{
    if (!(isfinite(a->fc) && a->fc > 0.0 && isfinite(a->h_bs) && isfinite(a->h_ut)))
        return 0;
    switch (a->env) {
    case GEO_ENV_UMA:
    case GEO_ENV_UMI:
        return a->h_bs > GEO_RADIO_H_E_M && a->h_ut > GEO_RADIO_H_E_M;
    case GEO_ENV_RMA:
        return a->h_bs > 0.0 && a->h_ut > 0.0 && isfinite(a->w) && a->w > 0.0 &&
               isfinite(a->h) && a->h > 0.0;
    }
    return 0;
}

static double breakpoint(const loss_args *a)
{
    double fc_hz = a->fc * 1e9;
    if (a->env == GEO_ENV_RMA)
        return 2.0 * M_PI * a->h_bs * a->h_ut * fc_hz / C_LIGHT;
    return 4.0 * (a->h_bs - GEO_RADIO_H_E_M) * (a->h_ut - GEO_RADIO_H_E_M) * fc_hz / C_LIGHT;
}

/* RMa PL1 at 3D distance d. */
static double rma_pl1(const loss_args *a, double d3)
{
    double hp = pow(a->h, 1.72);
    return 20.0 * log10(40.0 * M_PI * d3 * a->fc / 3.0) + fmin(0.03 * hp, 10.0) * log10(d3) -
           fmin(0.044 * hp, 14.77) + 0.002 * log10(a->h) * d3;
}

static double pl_los(const loss_args *a, double d2, double d3)
{
    double dbp = breakpoint(a);
    double lf = 20.0 * log10(a->fc);
    double dh = a->h_bs - a->h_ut;
    switch (a->env) {
    case GEO_ENV_UMA:
        if (d2 <= dbp)
            return 28.0 + 22.0 * log10(d3) + lf;
        return 28.0 + 40.0 * log10(d3) + lf - 9.0 * log10(dbp * dbp + dh * dh);
    case GEO_ENV_UMI:
        if (d2 <= dbp)
            return 32.4 + 21.0 * log10(d3) + lf;
        return 32.4 + 40.0 * log10(d3) + lf - 9.5 * log10(dbp * dbp + dh * dh);
    case GEO_ENV_RMA:
        if (d2 <= dbp)
            return rma_pl1(a, d3);
        return rma_pl1(a, dbp) + 40.0 * log10(d3 / dbp);
    }
    return NAN;
}

static double pl_nlos_prime(const loss_args *a, double d3)
{
    switch (a->env) {
    case GEO_ENV_UMA:
        return 13.54 + 39.08 * log10(d3) + 20.0 * log10(a->fc) - 0.6 * (a->h_ut - 1.5);
    case GEO_ENV_UMI:
        return 22.4 + 35.3 * log10(d3) + 21.3 * log10(a->fc) - 0.3 * (a->h_ut - 1.5);
    case GEO_ENV_RMA: {
        double lh = log10(a->h_bs);
        double r = a->h / a->h_bs;
        double lu = log10(11.75 * a->h_ut);
        return 161.04 - 7.1 * log10(a->w) + 7.5 * log10(a->h) - (24.37 - 3.7 * r * r) * lh +
               (43.42 - 3.1 * lh) * (log10(d3) - 3.0) + 20.0 * log10(a->fc) -
               (3.2 * lu * lu - 4.97);
    }
    }
    return NAN;
}

/* Assumes args_ok(a) and a finite d2 >= 0. */
static double loss_eval(const loss_args *a, double d2)
{
    if (d2 < GEO_RADIO_D2D_MIN_M)
        d2 = GEO_RADIO_D2D_MIN_M;
    double dh = a->h_bs - a->h_ut;
    double d3 = sqrt(d2 * d2 + dh * dh);
    double los = pl_los(a, d2, d3);
    if (a->los)
        return los;
    return fmax(los, pl_nlos_prime(a, d3));
}

static double pl_checked(const loss_args *a, double d2)
{
    if (!args_ok(a) || !isfinite(d2) || d2 < 0.0)
        return NAN;
    return loss_eval(a, d2);
}

double geo_pathloss_db(geo_env env, int los, double fc_ghz, double d2d_m, double h_bs,
                       double h_ut)
{
    loss_args a = {env, los, fc_ghz, h_bs, h_ut, GEO_RADIO_RMA_W_M, GEO_RADIO_RMA_H_M};
    return pl_checked(&a, d2d_m);
}

double geo_pathloss_rma_db(int los, double fc_ghz, double d2d_m, double h_bs, double h_ut,
                           double w_m, double h_m)
{
    loss_args a = {GEO_ENV_RMA, los, fc_ghz, h_bs, h_ut, w_m, h_m};
    return pl_checked(&a, d2d_m);
}

double geo_breakpoint_m(geo_env env, double fc_ghz, double h_bs, double h_ut)
{
    loss_args a = {env, 1, fc_ghz, h_bs, h_ut, GEO_RADIO_RMA_W_M, GEO_RADIO_RMA_H_M};
    if (!args_ok(&a))
        return NAN;
    return breakpoint(&a);
}

double geo_range_max_m(geo_env env, int los)
{
    return (env == GEO_ENV_RMA && los) ? 10000.0 : 5000.0;
}

double geo_range_m(geo_env env, int los, double fc_ghz, double mapl_db, double h_bs,
                   double h_ut)
{
    loss_args a = {env, los, fc_ghz, h_bs, h_ut, GEO_RADIO_RMA_W_M, GEO_RADIO_RMA_H_M};
    if (!args_ok(&a) || !isfinite(mapl_db))
        return NAN;
    double lo = GEO_RADIO_D2D_MIN_M, hi = geo_range_max_m(env, los);
    if (loss_eval(&a, lo) > mapl_db)
        return 0.0;
    if (loss_eval(&a, hi) <= mapl_db)
        return hi;
    /* Invariant: pl(lo) <= mapl < pl(hi); the loss is non-decreasing in d2D
     * (a max of increasing pieces, continuous or jumping up at the
     * breakpoint), so the boundary lies in [lo, hi). */
    while (hi - lo > RANGE_TOL_M) {
        double mid = 0.5 * (lo + hi);
        if (loss_eval(&a, mid) <= mapl_db)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int geo_env_parse(const char *s, geo_env *out)
{
    static const struct {
        const char *name;
        geo_env env;
    } names[] = {
        {"uma", GEO_ENV_UMA},       {"umi", GEO_ENV_UMI},
        {"umi-sc", GEO_ENV_UMI},    {"umi-street-canyon", GEO_ENV_UMI},
        {"rma", GEO_ENV_RMA},
    };
    if (s == NULL)
        return R5G_EINPUT;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].env;
            return 0;
        }
    }
    return R5G_EINPUT;
}

const char *geo_env_name(geo_env env)
{
    switch (env) {
    case GEO_ENV_UMA:
        return "uma";
    case GEO_ENV_UMI:
        return "umi";
    case GEO_ENV_RMA:
        return "rma";
    }
    return "?";
}
