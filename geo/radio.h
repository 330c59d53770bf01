/* Median path loss of 3GPP TR 38.901 (Table 7.4.1-1) for UMa,
 * UMi-Street Canyon and RMa, LOS and NLOS, and the cell range it implies for
 * a maximum allowed path loss (MAPL). Pure math, no GDAL/PROJ.
 *
 * Units: fc in GHz, distances and heights in metres, losses in dB. No shadow
 * fading and no margins: callers subtract those from the MAPL.
 * Formulas, defaults and validity ranges: docs/radio.md. */
#ifndef GEO_RADIO_H
#define GEO_RADIO_H

typedef enum { GEO_ENV_UMA, GEO_ENV_UMI, GEO_ENV_RMA } geo_env;

#define GEO_RADIO_H_E_M 1.0        /* effective environment height, UMa and UMi */
#define GEO_RADIO_RMA_W_M 20.0     /* RMa average street width */
#define GEO_RADIO_RMA_H_M 5.0      /* RMa average building height */
#define GEO_RADIO_D2D_MIN_M 10.0   /* below this the loss is that at 10 m */

/* Path loss at horizontal distance d2d_m between a base station at h_bs and a
 * user terminal at h_ut (both above ground). los != 0: line of sight;
 * los == 0: NLOS = max(LOS, NLOS'). Distances below 10 m are evaluated at
 * 10 m; beyond the table's maximum (geo_range_max_m) the formula is
 * extrapolated. RMa uses W = 20 m, h = 5 m. Non-decreasing in d2d_m.
 * Returns NAN for unusable input: unknown env, fc_ghz <= 0, d2d_m < 0 or not
 * finite, heights not finite or (UMa/UMi) not above h_E = 1 m, (RMa) <= 0. */
double geo_pathloss_db(geo_env env, int los, double fc_ghz, double d2d_m, double h_bs,
                       double h_ut);

/* RMa with explicit street width w_m and building height h_m (> 0). */
double geo_pathloss_rma_db(int los, double fc_ghz, double d2d_m, double h_bs, double h_ut,
                           double w_m, double h_m);

/* Breakpoint distance (2D, metres): d'_BP = 4 (h_bs - h_E)(h_ut - h_E) fc / c for
 * UMa/UMi, d_BP = 2 pi h_bs h_ut fc / c for RMa (c = 3e8 m/s). NAN if unusable. */
double geo_breakpoint_m(geo_env env, double fc_ghz, double h_bs, double h_ut);

/* Largest d2D in metres with geo_pathloss_db(...) <= mapl_db, to 1 cm (the
 * returned distance itself satisfies the bound). Searched on
 * [10 m, geo_range_max_m]: returns that maximum if even it is within the MAPL,
 * and 0 if the loss at 10 m already exceeds the MAPL. NAN on unusable input
 * (as geo_pathloss_db, or mapl_db not finite). */
double geo_range_m(geo_env env, int los, double fc_ghz, double mapl_db, double h_bs,
                   double h_ut);

/* Upper end of the table's distance range: 5 km for UMa and UMi (LOS and
 * NLOS) and for RMa NLOS, 10 km for RMa LOS. */
double geo_range_max_m(geo_env env, int los);

/* "uma", "umi" (also "umi-sc", "umi-street-canyon"), "rma", any case.
 * Returns 0 and sets *out, or R5G_EINPUT (out untouched). */
int geo_env_parse(const char *s, geo_env *out);
/* "uma", "umi", "rma"; "?" for a value outside the enum. */
const char *geo_env_name(geo_env env);

#endif
