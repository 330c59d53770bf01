/* Deterministic synthetic scenarios: a Yangtze River Delta industrial district
 * (or city) around the Suzhou Industrial Park, written as GeoJSON/CSV text and
 * a commented scenario.yaml.
 *
 * Reproducibility rules (the same preset and seed give the same bytes on any
 * machine):
 *  - one PRNG, xoshiro256** seeded by splitmix64 from the seed; one stream per
 *    part of the world, so the regions do not shift when the demand changes;
 *  - only +, -, *, / and sqrt on doubles (all correctly rounded in IEEE 754):
 *    no log/exp/sin/cos, whose last bits differ between libm versions; normal
 *    deviates are Irwin-Hall sums, directions come from rejection sampling;
 *  - coordinates leave as integer micro-degrees computed with integer
 *    arithmetic from integer millimetres, money as integer CNY, and nothing
 *    depends on the locale, the clock or libc rand(). */
#include "planner/synth/synth.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- presets ------------------------------------------------------------ */

typedef struct synth_preset_ext {
    pl_synth_preset p;
    int regions_x, regions_y; /* sub-district grid; a province: its grid of cities */
    int province;             /* 1: one city per region, rural land between them */
} synth_preset_ext;

static const synth_preset_ext presets[] = {
    {{"tiny", 20, 200, 3, 3000.0, 0}, 2, 2, 0},
    {{"district", 300, 3000, 5, 12000.0, 0}, 3, 2, 0},
    {{"district-xl", 2000, 20000, 5, 25000.0, 0}, 4, 3, 0},
    {{"city", 20000, 200000, 6, 60000.0, 0}, 8, 6, 0},
    {{"province", 100000, 1000000, 8, 200000.0, 0}, 4, 3, 1},
};
#define N_PRESETS ((int)(sizeof presets / sizeof presets[0]))

const pl_synth_preset *pl_synth_preset_find(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < N_PRESETS; i++)
        if (strcmp(presets[i].p.name, name) == 0)
            return &presets[i].p;
    return NULL;
}

const char *pl_synth_preset_names(void)
{
    return "tiny, district, district-xl, city, province";
}

static int scaled_count(int n, double scale)
{
    double v = (double)n * scale + 0.5;
    return v < 1 ? 1 : v > 2e9 ? 2000000000 : (int)v;
}

int pl_synth_preset_scale(pl_synth_preset *out, const pl_synth_preset *p, double scale, r5g_err *err)
{
    if (!(scale > 0 && scale <= 10))
        return r5g_err_set(err, R5G_EINPUT, "--scale %g: expected a number above 0 and at most 10", scale);
    *out = *p;
    out->n_candidates = scaled_count(p->n_candidates, scale);
    out->n_demand = scaled_count(p->n_demand, scale);
    out->extent_m = p->extent_m * sqrt(scale);
    out->scale = scale;
    return 0;
}

/* ---- PRNG ----------------------------------------------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The seed of an independent part (a city of a province) of seed `seed`. */
static void rng_seed_mix(uint64_t *out, uint64_t seed, uint64_t part)
{
    uint64_t x = seed ^ (part * 0xD1B54A32D192ED03ULL);
    *out = splitmix64(&x);
}

/* Independent stream `stream` of seed `seed`. */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, 1), exactly representable. */
static double rng_u01(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static double rng_uniform(rng *r, double a, double b)
{
    return a + (b - a) * rng_u01(r);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* Approximately standard normal (Irwin-Hall of 4, bounded at +-3.46). */
static double rng_normal(rng *r)
{
    double s = rng_u01(r) + rng_u01(r) + rng_u01(r) + rng_u01(r) - 2.0;
    return s * 1.7320508075688772;
}

/* Index drawn with probability proportional to w[i] >= 0 (sum > 0). */
static int rng_pick(rng *r, const double *w, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    double u = rng_u01(r) * total;
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

static void rng_direction(rng *r, double *c, double *s)
{
    double a, b, q;
    do {
        a = rng_uniform(r, -1, 1);
        b = rng_uniform(r, -1, 1);
        q = a * a + b * b;
    } while (q > 1.0 || q < 1e-4);
    double n = sqrt(q);
    *c = a / n;
    *s = b / n;
}

/* ---- the world -------------------------------------------------------------- */

enum {
    S_IC, S_AUTO, S_EQUIP, S_PHARMA, S_ENERGY, S_PORT, S_EDU, S_HEALTH, S_LOGI, S_RESID, S_N
};
static const char *const sector_name[S_N] = {
    "ic", "auto", "equipment", "pharma", "energy", "port",
    "education", "healthcare", "logistics", "residential"};
/* Weight multiplier, traffic per unit of weight, P(whitelist), P(indoor). */
static const double sector_weight_mult[S_N] = {1.5, 1.3, 1.0, 1.2, 1.5, 2.0, 1.0, 1.0, 0.8, 0.6};
static const double sector_traffic[S_N] = {20, 20, 15, 15, 10, 40, 15, 10, 8, 5};
static const double sector_p_whitelist[S_N] = {0.26, 0.26, 0.20, 0.26, 0.08, 0.08, 0.0, 0.02, 0.01, 0.0};
static const double sector_p_indoor[S_N] = {0.9, 0.85, 0.85, 0.9, 0.3, 0.1, 0.6, 0.9, 0.5, 0.5};

enum { C_PARK, C_NEWPARK, C_PORT, C_CAMPUS, C_HOSPITAL, C_RESID, C_KINDS };

typedef struct cluster {
    int kind;
    double x, y;       /* centre, local metres */
    double sa, sb;     /* spread along the two axes */
    double c, s;       /* orientation */
    int dominant;      /* main sector of a park */
    int open;          /* first period index (0-based) of a new park */
    double share;      /* relative number of points */
    int count;         /* points allotted */
    char name[128];
} cluster;

typedef struct dpoint {
    double x, y;
    int sector, year_idx, weight, traffic, whitelist, indoor;
    int cluster; /* -1 for scattered points */
    int num;     /* running number within the cluster, for the name */
} dpoint;

typedef struct site {
    double x, y;
    int upgrade, capex, n28, height;
} site;

typedef struct region {
    double ring[17][2];
    int population;
    char name[64];
} region;

typedef struct world {
    const pl_synth_preset *p;
    uint64_t seed;
    double E;        /* extent, metres */
    double radius_m; /* fixed_radius of the scenario */
    int T;
    cluster *cl;
    int n_cl;
    dpoint *d;
    int n_d;
    site *c;
    int n_c, n_up;
    site *ex;
    int n_ex;
    region *rg;
    int n_rg;
    /* budget */
    int greedy_sites;
    int64_t full_cost;
    int n_uncoverable;
    int64_t *capex; /* [T] */
    int64_t capex_total;
    int max_new_sites;
    int n_whitelist;
    int province; /* cities as regions (make_province), demand as CSV */
} world;

static const char *const park_names[] = {
    "星海集成电路产业园", "金鸡湖汽车零部件园", "唯亭装备制造园", "生物医药产业园",
    "胜浦精密制造园", "娄葑电子信息园", "斜塘纳米技术园", "青剑湖新材料园",
    "阳澄湖智能制造园", "东沙湖数字产业园"};
static const char *const newpark_names[] = {
    "第三代半导体产业园", "新能源汽车创新园", "高端医疗器械园", "人工智能产业园",
    "机器人产业园", "氢能装备产业园"};
static const char *const campus_names[] = {
    "独墅湖高教区", "西交利物浦大学", "苏州大学独墅湖校区", "中国科大苏州研究院",
    "南京大学苏州校区", "中国人民大学苏州校区"};
static const char *const hospital_names[] = {
    "苏大附一院独墅湖院区", "九龙医院", "星海医院", "星湖医院",
    "苏大附儿院园区院区", "园区中医院"};
static const char *const resid_names[] = {
    "湖西社区", "湖东社区", "月亮湾社区", "玲珑湾社区", "星港社区",
    "青剑湖社区", "东沙湖社区", "奥体社区"};

static const char *const region_names[] = {
    "娄葑街道", "斜塘街道", "唯亭街道", "胜浦街道", "湖西街道", "湖东街道",
    "金鸡湖街道", "东沙湖街道", "郭巷街道", "甪直镇", "阳澄湖镇", "车坊街道",
    "越溪街道", "横泾街道", "木渎镇", "胥口镇", "东渚街道", "通安镇",
    "浒墅关镇", "望亭镇", "黄桥街道", "北桥街道", "渭塘镇", "黄埭镇",
    "太平街道", "元和街道", "周庄镇", "锦溪镇", "千灯镇", "淀山湖镇",
    "张浦镇", "陆家镇", "花桥街道", "巴城镇", "周市镇", "玉山镇",
    "沙溪镇", "浏河镇", "璜泾镇", "双凤镇", "城厢镇", "平望镇",
    "盛泽镇", "震泽镇", "七都镇", "同里镇", "松陵街道", "黎里镇"};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void name_from_list(char *out, size_t size, const char *const *list, int n, int i)
{
    if (i < n)
        snprintf(out, size, "%s", list[i]);
    else
        snprintf(out, size, "%s%d区", list[i % n], i / n + 1);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int round_to(double v, int unit)
{
    return (int)(v / unit + 0.5) * unit;
}

static void clamp_into_area(const world *w, double *x, double *y)
{
    double h = w->E / 2 - 10.0;
    *x = clampd(*x, -h, h);
    *y = clampd(*y, -h, h);
}

static int inside_area(const world *w, double x, double y)
{
    double h = w->E / 2 - 10.0;
    return x >= -h && x <= h && y >= -h && y <= h;
}

static void make_clusters(world *w)
{
    rng r;
    rng_seed(&r, w->seed, 1);
    double E = w->E, a = (E / 12000.0) * (E / 12000.0);
    double sf = E < 12000.0 ? sqrt(E / 12000.0) : 1.0;
    static const double base[C_KINDS] = {5, 2, 1, 2, 3, 4};
    static const double share[C_KINDS] = {10, 8, 6, 3, 1.5, 8};
    int count[C_KINDS], total = 0;
    for (int k = 0; k < C_KINDS; k++) {
        count[k] = (int)(base[k] * a + 0.5);
        if (count[k] < 1)
            count[k] = 1;
        if (k == C_PORT && E < 8000.0)
            count[k] = 0; /* no port on a small patch */
        total += count[k];
    }
    w->n_cl = total;
    int n_big = count[C_PARK] + count[C_NEWPARK] + count[C_RESID];
    double sep = 0.5 * E / sqrt(n_big + 1.0);
    int idx = 0;
    for (int k = 0; k < C_KINDS; k++) {
        for (int i = 0; i < count[k]; i++, idx++) {
            cluster *c = &w->cl[idx];
            c->kind = k;
            int big = k == C_PARK || k == C_NEWPARK || k == C_RESID;
            double sigma = 0;
            if (k == C_PORT) {
                /* along the Yangtze bank, north edge of the area */
                c->x = rng_uniform(&r, -0.4 * E, 0.4 * E);
                c->y = 0.45 * E + rng_uniform(&r, -0.03 * E, 0.02 * E);
                c->sa = rng_uniform(&r, 1000, 1600) * sf;
                c->sb = rng_uniform(&r, 200, 300) * sf;
                c->c = 1;
                c->s = 0;
            } else {
                for (int tries = 0; tries < 50; tries++) {
                    c->x = rng_uniform(&r, -0.4 * E, 0.4 * E);
                    c->y = rng_uniform(&r, -0.4 * E, 0.4 * E);
                    if (!big)
                        break;
                    int ok = 1;
                    for (int j = 0; j < idx && ok; j++) {
                        const cluster *o = &w->cl[j];
                        int obig = o->kind == C_PARK || o->kind == C_NEWPARK || o->kind == C_RESID;
                        double dx = o->x - c->x, dy = o->y - c->y;
                        if (obig && dx * dx + dy * dy < sep * sep)
                            ok = 0;
                    }
                    if (ok)
                        break;
                }
                switch (k) {
                case C_PARK: sigma = rng_uniform(&r, 400, 900); break;
                case C_NEWPARK: sigma = rng_uniform(&r, 400, 800); break;
                case C_CAMPUS: sigma = rng_uniform(&r, 200, 400); break;
                case C_HOSPITAL: sigma = rng_uniform(&r, 80, 150); break;
                default: sigma = rng_uniform(&r, 500, 1000); break;
                }
                sigma *= sf;
                c->sa = sigma * rng_uniform(&r, 1.0, 1.6);
                c->sb = sigma * rng_uniform(&r, 0.6, 1.0);
                rng_direction(&r, &c->c, &c->s);
            }
            c->share = share[k] * rng_uniform(&r, 0.6, 1.4);
            c->dominant = -1;
            c->open = 0;
            switch (k) {
            case C_PARK:
                c->dominant = rng_int(&r, S_IC, S_PHARMA);
                name_from_list(c->name, sizeof c->name, park_names, NELEM(park_names), i);
                break;
            case C_NEWPARK: {
                static const double dw[4] = {3, 2, 1, 2}; /* ic, auto, equipment, pharma */
                c->dominant = rng_pick(&r, dw, 4);
                c->open = w->T > 1 ? rng_int(&r, 1, w->T - 1) : 0;
                name_from_list(c->name, sizeof c->name, newpark_names, NELEM(newpark_names), i);
                break;
            }
            case C_PORT:
                snprintf(c->name, sizeof c->name, "苏州港%d号作业区", i + 1);
                break;
            case C_CAMPUS:
                name_from_list(c->name, sizeof c->name, campus_names, NELEM(campus_names), i);
                break;
            case C_HOSPITAL:
                name_from_list(c->name, sizeof c->name, hospital_names, NELEM(hospital_names), i);
                break;
            default:
                name_from_list(c->name, sizeof c->name, resid_names, NELEM(resid_names), i);
                break;
            }
        }
    }
}

static int pick_sector(rng *r, const cluster *c)
{
    switch (c ? c->kind : -1) {
    case C_PARK:
    case C_NEWPARK: {
        double u = rng_u01(r);
        if (u < 0.55)
            return c->dominant;
        if (u < 0.75)
            return rng_int(r, S_IC, S_PHARMA);
        if (u < 0.90)
            return S_LOGI;
        if (u < 0.95)
            return S_ENERGY;
        return S_RESID; /* dormitories */
    }
    case C_PORT: {
        static const double w[S_N] = {0, 0, 0, 0, 15, 55, 0, 0, 30, 0};
        return rng_pick(r, w, S_N);
    }
    case C_CAMPUS: {
        static const double w[S_N] = {0, 0, 0, 0, 0, 0, 85, 0, 0, 15};
        return rng_pick(r, w, S_N);
    }
    case C_HOSPITAL: {
        static const double w[S_N] = {0, 0, 0, 0, 0, 0, 0, 85, 0, 15};
        return rng_pick(r, w, S_N);
    }
    case C_RESID: {
        static const double w[S_N] = {0, 0, 0, 0, 0, 0, 8, 7, 5, 80};
        return rng_pick(r, w, S_N);
    }
    default: {
        static const double w[S_N] = {0, 5, 15, 5, 10, 0, 0, 0, 20, 45};
        return rng_pick(r, w, S_N);
    }
    }
}

static int pick_year(rng *r, const world *w, const cluster *c)
{
    double wt[64];
    int T = w->T, first = 0;
    if (!c) { /* scattered: any period */
        return rng_int(r, 0, T - 1);
    }
    if (c->kind == C_NEWPARK)
        first = c->open;
    /* existing industry mostly early; a new park mostly when it opens */
    for (int k = 0; k < T; k++)
        wt[k] = k < first ? 0.0 : (double)(T - k);
    return rng_pick(r, wt, T);
}

static void fill_point(rng *r, const world *w, dpoint *d, const cluster *c)
{
    d->sector = pick_sector(r, c);
    d->year_idx = pick_year(r, w, c);
    double b = 1.0 / (1.0 - rng_u01(r)); /* Pareto(1): P(b >= k) = 1/k */
    if (b > 50)
        b = 50;
    int wt = (int)((double)(int)b * sector_weight_mult[d->sector] + 0.5);
    d->weight = wt < 1 ? 1 : wt > 50 ? 50 : wt;
    d->traffic = (int)(sector_traffic[d->sector] * (0.5 + d->weight / 10.0) + 0.5);
    d->whitelist = rng_u01(r) < sector_p_whitelist[d->sector];
    d->indoor = rng_u01(r) < sector_p_indoor[d->sector];
}

static void make_demand(world *w)
{
    rng r;
    rng_seed(&r, w->seed, 2);
    int n = w->p->n_demand;
    int n_scatter = (int)(0.15 * n + 0.5);
    int remaining = n - n_scatter;
    double share_left = 0;
    for (int i = 0; i < w->n_cl; i++)
        share_left += w->cl[i].share;
    for (int i = 0; i < w->n_cl; i++) {
        cluster *c = &w->cl[i];
        int k = i == w->n_cl - 1 ? remaining : (int)(remaining * c->share / share_left + 0.5);
        if (k > remaining)
            k = remaining;
        c->count = k;
        remaining -= k;
        share_left -= c->share;
    }
    int j = 0;
    for (int i = 0; i < w->n_cl; i++) {
        const cluster *c = &w->cl[i];
        for (int k = 0; k < c->count; k++, j++) {
            dpoint *d = &w->d[j];
            double x = 0, y = 0;
            for (int tries = 0; tries < 20; tries++) {
                double dx = rng_normal(&r) * c->sa, dy = rng_normal(&r) * c->sb;
                x = c->x + c->c * dx - c->s * dy;
                y = c->y + c->s * dx + c->c * dy;
                if (inside_area(w, x, y))
                    break;
            }
            clamp_into_area(w, &x, &y);
            d->x = x;
            d->y = y;
            d->cluster = i;
            d->num = k + 1;
            fill_point(&r, w, d, c);
        }
    }
    for (int k = 0; j < n; j++, k++) {
        dpoint *d = &w->d[j];
        d->x = rng_uniform(&r, -w->E / 2 + 10, w->E / 2 - 10);
        d->y = rng_uniform(&r, -w->E / 2 + 10, w->E / 2 - 10);
        d->cluster = -1;
        d->num = k + 1;
        fill_point(&r, w, d, NULL);
    }
    w->n_d = n;
    w->n_whitelist = 0;
    for (int i = 0; i < n; i++)
        w->n_whitelist += w->d[i].whitelist;
}

/* A bucket grid over the square area, for spacing checks and radius queries. */
typedef struct grid {
    double x0, cell;
    int n;      /* cells per side */
    int *head;  /* [n*n] first item or -1 */
    int *next;  /* [capacity] */
} grid;

static int grid_init(grid *g, double E, double cell, int capacity)
{
    g->x0 = -E / 2;
    g->cell = cell;
    g->n = (int)(E / cell) + 1;
    g->head = malloc((size_t)g->n * (size_t)g->n * sizeof *g->head);
    g->next = malloc((size_t)(capacity > 0 ? capacity : 1) * sizeof *g->next);
    if (!g->head || !g->next)
        return -1;
    for (int i = 0; i < g->n * g->n; i++)
        g->head[i] = -1;
    return 0;
}

static void grid_free(grid *g)
{
    free(g->head);
    free(g->next);
}

static int grid_coord(const grid *g, double v)
{
    int i = (int)((v - g->x0) / g->cell);
    return i < 0 ? 0 : i >= g->n ? g->n - 1 : i;
}

static void grid_add(grid *g, int item, double x, double y)
{
    int cell = grid_coord(g, y) * g->n + grid_coord(g, x);
    g->next[item] = g->head[cell];
    g->head[cell] = item;
}

static int far_from_sites(const grid *g, const site *s, double x, double y, double sep)
{
    int cx = grid_coord(g, x), cy = grid_coord(g, y);
    for (int j = cy - 1; j <= cy + 1; j++)
        for (int i = cx - 1; i <= cx + 1; i++) {
            if (i < 0 || j < 0 || i >= g->n || j >= g->n)
                continue;
            for (int k = g->head[j * g->n + i]; k >= 0; k = g->next[k]) {
                double dx = s[k].x - x, dy = s[k].y - y;
                if (dx * dx + dy * dy < sep * sep)
                    return 0;
            }
        }
    return 1;
}

static int make_sites(world *w)
{
    rng r;
    rng_seed(&r, w->seed, 3);
    double E = w->E;
    double sf = E < 12000.0 ? sqrt(E / 12000.0) : 1.0;
    int n = w->p->n_candidates;
    w->n_up = (int)(0.3 * n + 0.5);
    w->n_c = n;
    double sep = clampd(0.35 * E / sqrt((double)n), 80.0, 250.0);
    int *early = malloc((size_t)w->n_d * sizeof *early);
    grid g = {0};
    int rc = -1;
    if (!early || grid_init(&g, E, sep, n) < 0)
        goto out;
    int n_early = 0;
    for (int i = 0; i < w->n_d; i++)
        if (w->d[i].year_idx == 0)
            early[n_early++] = i;
    for (int i = 0; i < n; i++) {
        site *s = &w->c[i];
        int upgrade = i < w->n_up;
        double x = 0, y = 0;
        for (int tries = 0; tries < 30; tries++) {
            /* 4G towers stand where the demand already was; new candidates
             * follow all demand, future parks included; the rest spread out */
            if (upgrade && n_early > 0 && rng_u01(&r) < 0.6) {
                const dpoint *d = &w->d[early[rng_int(&r, 0, n_early - 1)]];
                x = d->x + rng_normal(&r) * 300 * sf;
                y = d->y + rng_normal(&r) * 300 * sf;
            } else if (!upgrade && rng_u01(&r) < 0.55) {
                const dpoint *d = &w->d[rng_int(&r, 0, w->n_d - 1)];
                x = d->x + rng_normal(&r) * 250 * sf;
                y = d->y + rng_normal(&r) * 250 * sf;
            } else {
                x = rng_uniform(&r, -E / 2, E / 2);
                y = rng_uniform(&r, -E / 2, E / 2);
            }
            clamp_into_area(w, &x, &y);
            if (far_from_sites(&g, w->c, x, y, sep))
                break;
        }
        s->x = x;
        s->y = y;
        s->upgrade = upgrade;
        grid_add(&g, i, x, y);
    }
    /* intermix the kinds so that ids say nothing about the position */
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(&r, 0, i);
        site t = w->c[i];
        w->c[i] = w->c[j];
        w->c[j] = t;
    }
    for (int i = 0; i < n; i++) {
        site *s = &w->c[i];
        double rad = sqrt(s->x * s->x + s->y * s->y);
        double core = clampd(1.0 - rad / (0.5 * E), 0.0, 1.0);
        s->n28 = rad > 0.45 * E && rng_u01(&r) < 0.4;
        if (s->upgrade) {
            s->capex = round_to(80000 + 40000 * core + rng_uniform(&r, 0, 20000), 1000);
            s->height = s->n28 ? rng_int(&r, 35, 40) : rng_int(&r, 25, 40);
        } else {
            s->capex = round_to(450000 + 150000 * core + rng_uniform(&r, 0, 50000), 1000);
            s->height = s->n28 ? rng_int(&r, 30, 40) : rng_int(&r, 20, 35);
        }
    }
    /* 5G sites already on air: in the core of the existing industry */
    w->n_ex = (n + 20) / 40;
    if (w->n_ex < 2)
        w->n_ex = 2;
    for (int i = 0; i < w->n_ex; i++) {
        site *s = &w->ex[i];
        const dpoint *d = &w->d[n_early > 0 ? early[rng_int(&r, 0, n_early - 1)]
                                            : rng_int(&r, 0, w->n_d - 1)];
        s->x = d->x + rng_normal(&r) * 150 * sf;
        s->y = d->y + rng_normal(&r) * 150 * sf;
        clamp_into_area(w, &s->x, &s->y);
        double rad = sqrt(s->x * s->x + s->y * s->y);
        s->n28 = rad > 0.45 * E;
        s->upgrade = 0;
        s->capex = 0;
        s->height = 30;
    }
    rc = 0;
out:
    free(early);
    grid_free(&g);
    return rc;
}

/* ---- budget: cost of full coverage by lazy greedy set cover ----------------- */

typedef struct heap_item {
    double key;
    int idx;
} heap_item;

static int heap_before(heap_item a, heap_item b)
{
    return a.key > b.key || (a.key == b.key && a.idx < b.idx);
}

static void heap_push(heap_item *h, int *n, heap_item it)
{
    int i = (*n)++;
    h[i] = it;
    while (i > 0 && heap_before(h[i], h[(i - 1) / 2])) {
        heap_item t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static heap_item heap_pop(heap_item *h, int *n)
{
    heap_item top = h[0];
    h[0] = h[--*n];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, rr = l + 1, m = i;
        if (l < *n && heap_before(h[l], h[m]))
            m = l;
        if (rr < *n && heap_before(h[rr], h[m]))
            m = rr;
        if (m == i)
            break;
        heap_item t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

/* Sum of the weights of uncovered points within the radius; marks them when mark. */
static int64_t cover_gain(const grid *g, const world *w, char *covered, double x, double y, int mark)
{
    double r2 = w->radius_m * w->radius_m;
    int cx = grid_coord(g, x), cy = grid_coord(g, y);
    int64_t gain = 0;
    for (int j = cy - 1; j <= cy + 1; j++)
        for (int i = cx - 1; i <= cx + 1; i++) {
            if (i < 0 || j < 0 || i >= g->n || j >= g->n)
                continue;
            for (int k = g->head[j * g->n + i]; k >= 0; k = g->next[k]) {
                if (covered[k])
                    continue;
                double dx = w->d[k].x - x, dy = w->d[k].y - y;
                if (dx * dx + dy * dy <= r2) {
                    gain += w->d[k].weight;
                    if (mark)
                        covered[k] = 1;
                }
            }
        }
    return gain;
}

static int plan_budget(world *w)
{
    grid g = {0};
    char *covered = calloc((size_t)w->n_d, 1);
    heap_item *h = malloc((size_t)w->n_c * sizeof *h);
    int rc = -1, nh = 0;
    if (!covered || !h || grid_init(&g, w->E, w->radius_m, w->n_d) < 0)
        goto out;
    for (int i = w->n_d - 1; i >= 0; i--)
        grid_add(&g, i, w->d[i].x, w->d[i].y);
    for (int i = 0; i < w->n_ex; i++)
        cover_gain(&g, w, covered, w->ex[i].x, w->ex[i].y, 1);
    for (int i = 0; i < w->n_c; i++) {
        int64_t gain = cover_gain(&g, w, covered, w->c[i].x, w->c[i].y, 0);
        if (gain > 0)
            heap_push(h, &nh, (heap_item){(double)gain / w->c[i].capex, i});
    }
    w->greedy_sites = 0;
    w->full_cost = 0;
    while (nh > 0) {
        heap_item top = heap_pop(h, &nh);
        const site *s = &w->c[top.idx];
        int64_t gain = cover_gain(&g, w, covered, s->x, s->y, 0);
        if (gain <= 0)
            continue;
        double key = (double)gain / s->capex;
        if (nh > 0 && heap_before(h[0], (heap_item){key, top.idx})) {
            heap_push(h, &nh, (heap_item){key, top.idx}); /* stale: try again later */
            continue;
        }
        cover_gain(&g, w, covered, s->x, s->y, 1);
        w->greedy_sites++;
        w->full_cost += s->capex;
    }
    w->n_uncoverable = 0;
    for (int i = 0; i < w->n_d; i++)
        w->n_uncoverable += !covered[i];

    /* half of full coverage in all; the first periods get the smallest shares */
    int T = w->T;
    double wsum = 0, wk[64];
    for (int k = 0; k < T; k++) {
        wk[k] = 2.0 + (k < 2 ? k : 2);
        wsum += wk[k];
    }
    w->capex_total = 0;
    for (int k = 0; k < T; k++) {
        int64_t v = (int64_t)(0.5 * (double)w->full_cost * wk[k] / wsum / 100000.0 + 0.5) * 100000;
        if (v < 100000)
            v = 100000;
        w->capex[k] = v;
        w->capex_total += v;
    }
    int m = (w->greedy_sites + T - 1) / T;
    if (m >= 10)
        m = (m + 4) / 5 * 5;
    w->max_new_sites = m < 2 ? 2 : m;
    rc = 0;
out:
    grid_free(&g);
    free(covered);
    free(h);
    return rc;
}

/* ---- regions: a jittered grid whose shared edges wiggle ------------------ */

/* Regions named from names[] with people_per_km2 people on an average
 * cell (more where the residential demand is). */
static int make_regions(world *w, int nx, int ny, const char *const *names, int n_names,
                        double people_per_km2)
{
    rng r;
    rng_seed(&r, w->seed, 4);
    double E = w->E, cw = E / nx, ch = E / ny;
    int rc = -1;
    double *nodes = malloc((size_t)(nx + 1) * (size_t)(ny + 1) * 2 * sizeof *nodes);
    /* 3 inner points per edge: horizontal edges first, then vertical ones */
    int n_h = nx * (ny + 1), n_v = (nx + 1) * ny;
    double *edges = malloc((size_t)(n_h + n_v) * 6 * sizeof *edges);
    int *resid = calloc((size_t)nx * (size_t)ny, sizeof *resid);
    if (!nodes || !edges || !resid)
        goto out;
    for (int j = 0; j <= ny; j++)
        for (int i = 0; i <= nx; i++) {
            double x = -E / 2 + i * cw, y = -E / 2 + j * ch;
            if (i > 0 && i < nx)
                x += rng_uniform(&r, -0.1, 0.1) * cw;
            if (j > 0 && j < ny)
                y += rng_uniform(&r, -0.1, 0.1) * ch;
            nodes[2 * (j * (nx + 1) + i)] = x;
            nodes[2 * (j * (nx + 1) + i) + 1] = y;
        }
    double amp = 0.06 * (cw < ch ? cw : ch);
    for (int e = 0; e < n_h + n_v; e++) {
        int horiz = e < n_h, i, j, a, b;
        if (horiz) {
            i = e % nx;
            j = e / nx;
            a = j * (nx + 1) + i;
            b = a + 1;
        } else {
            i = (e - n_h) % (nx + 1);
            j = (e - n_h) / (nx + 1);
            a = j * (nx + 1) + i;
            b = a + nx + 1;
        }
        int border = horiz ? (j == 0 || j == ny) : (i == 0 || i == nx);
        for (int q = 0; q < 3; q++) {
            double t = 0.25 * (q + 1);
            double x = nodes[2 * a] + t * (nodes[2 * b] - nodes[2 * a]);
            double y = nodes[2 * a + 1] + t * (nodes[2 * b + 1] - nodes[2 * a + 1]);
            double off = border ? 0.0 : rng_uniform(&r, -amp, amp);
            if (horiz)
                y += off;
            else
                x += off;
            edges[6 * e + 2 * q] = x;
            edges[6 * e + 2 * q + 1] = y;
        }
    }
    /* population follows the residential demand of the (unjittered) cell */
    int64_t resid_total = 0;
    for (int k = 0; k < w->n_d; k++) {
        if (w->d[k].sector != S_RESID)
            continue;
        int i = (int)((w->d[k].x + E / 2) / cw), j = (int)((w->d[k].y + E / 2) / ch);
        i = i < 0 ? 0 : i >= nx ? nx - 1 : i;
        j = j < 0 ? 0 : j >= ny ? ny - 1 : j;
        resid[j * nx + i] += w->d[k].weight;
        resid_total += w->d[k].weight;
    }
    w->n_rg = nx * ny;
    double area_km2 = cw * ch / 1e6;
    /* north row first, west to east, like reading a map */
    for (int jj = 0; jj < ny; jj++)
        for (int i = 0; i < nx; i++) {
            int j = ny - 1 - jj, idx = jj * nx + i;
            region *g = &w->rg[idx];
            int a = j * (nx + 1) + i;
            int p = 0;
#define PUT(xx, yy) (g->ring[p][0] = (xx), g->ring[p][1] = (yy), p++)
#define NODE(n) PUT(nodes[2 * (n)], nodes[2 * (n) + 1])
            int eh0 = j * nx + i, eh1 = (j + 1) * nx + i;
            int ev0 = n_h + j * (nx + 1) + i, ev1 = ev0 + 1;
            NODE(a);
            for (int q = 0; q < 3; q++)
                PUT(edges[6 * eh0 + 2 * q], edges[6 * eh0 + 2 * q + 1]);
            NODE(a + 1);
            for (int q = 0; q < 3; q++)
                PUT(edges[6 * ev1 + 2 * q], edges[6 * ev1 + 2 * q + 1]);
            NODE(a + nx + 2);
            for (int q = 2; q >= 0; q--)
                PUT(edges[6 * eh1 + 2 * q], edges[6 * eh1 + 2 * q + 1]);
            NODE(a + nx + 1);
            for (int q = 2; q >= 0; q--)
                PUT(edges[6 * ev0 + 2 * q], edges[6 * ev0 + 2 * q + 1]);
            NODE(a);
#undef NODE
#undef PUT
            double f = resid_total > 0 ? (double)resid[j * nx + i] * (nx * ny) / (double)resid_total : 1.0;
            g->population = round_to(area_km2 * people_per_km2 * (0.5 + 0.5 * f) + rng_uniform(&r, 0, 5000), 100);
            name_from_list(g->name, sizeof g->name, names, n_names, idx);
        }
    rc = 0;
out:
    free(nodes);
    free(edges);
    free(resid);
    return rc;
}

/* ---- a province: cities on a grid, rural land between them ---------------- */

/* Prefecture-level cities of the Yangtze River Delta, north row first, west
 * to east, with their administrative codes (the region ids). */
static const char *const city_names[] = {
    "南京市", "扬州市", "泰州市", "南通市",
    "镇江市", "常州市", "无锡市", "苏州市",
    "杭州市", "湖州市", "嘉兴市", "绍兴市"};
static const int city_adcodes[] = {320100, 321000, 321200, 320600, 321100, 320400,
                                   320200, 320500, 330100, 330500, 330400, 330600};

enum { PROVINCE_URBAN_PCT = 80 }; /* share of the demand and candidates in the cities */
/* demand points per square metre of a city, as in the city preset */
#define CITY_DENSITY (200000.0 / (60000.0 * 60000.0))

/* Sizes of the parts: n split by the shares (the remainder to the last). */
static void split_count(int *out, const double *share, int k, int n)
{
    double left = 0;
    for (int i = 0; i < k; i++)
        left += share[i];
    for (int i = 0; i < k; i++) {
        int c = i == k - 1 ? n : (int)(n * share[i] / left + 0.5);
        if (c > n)
            c = n;
        out[i] = c;
        n -= c;
        left -= share[i];
    }
}

/* One city as its own world (the district/city generator on a square of
 * side E), moved to (cx, cy) and appended to the province. */
static int add_city(world *w, int city, double cx, double cy, double E, int n_d, int n_c)
{
    pl_synth_preset sp = {NULL, n_c, n_d, w->T, E, 0};
    world c = {0};
    c.p = &sp;
    rng_seed_mix(&c.seed, w->seed, 100 + (uint64_t)city);
    c.E = E;
    c.T = w->T;
    c.radius_m = w->radius_m;
    c.cl = calloc(64 + (size_t)(E / 1000 * E / 1000), sizeof *c.cl);
    c.d = calloc((size_t)(n_d > 0 ? n_d : 1), sizeof *c.d);
    c.c = calloc((size_t)(n_c > 0 ? n_c : 1), sizeof *c.c);
    c.ex = calloc((size_t)n_c / 40 + 2, sizeof *c.ex);
    int rc = -1;
    if (!c.cl || !c.d || !c.c || !c.ex)
        goto out;
    make_clusters(&c);
    make_demand(&c);
    if (make_sites(&c) < 0)
        goto out;
    for (int i = 0; i < c.n_cl; i++) {
        cluster *k = &w->cl[w->n_cl + i];
        *k = c.cl[i];
        k->x += cx;
        k->y += cy;
        snprintf(k->name, sizeof k->name, "%s%s", city_names[city % NELEM(city_names)], c.cl[i].name);
    }
    for (int i = 0; i < c.n_d; i++) {
        dpoint *d = &w->d[w->n_d + i];
        *d = c.d[i];
        d->x += cx;
        d->y += cy;
        if (d->cluster >= 0)
            d->cluster += w->n_cl;
    }
    for (int i = 0; i < c.n_c; i++) {
        site *t = &w->c[w->n_c + i];
        *t = c.c[i];
        t->x += cx;
        t->y += cy;
    }
    for (int i = 0; i < c.n_ex; i++) {
        site *t = &w->ex[w->n_ex + i];
        *t = c.ex[i];
        t->x += cx;
        t->y += cy;
    }
    w->n_cl += c.n_cl;
    w->n_d += c.n_d;
    w->n_c += c.n_c;
    w->n_up += c.n_up;
    w->n_ex += c.n_ex;
    rc = 0;
out:
    free(c.cl);
    free(c.d);
    free(c.c);
    free(c.ex);
    return rc;
}

/* The land between the cities: scattered villages' demand, and candidates
 * near it or anywhere (a third of them 4G towers), mostly n28 in the
 * countryside. */
static void add_rural(world *w, int n_d, int n_c)
{
    rng r;
    rng_seed(&r, w->seed, 6);
    double h = w->E / 2 - 10;
    int d0 = w->n_d;
    for (int k = 0; k < n_d; k++) {
        dpoint *d = &w->d[w->n_d++];
        d->x = rng_uniform(&r, -h, h);
        d->y = rng_uniform(&r, -h, h);
        d->cluster = -1;
        d->num = k + 1;
        fill_point(&r, w, d, NULL);
    }
    int n_up = (int)(0.3 * n_c + 0.5);
    for (int i = 0; i < n_c; i++) {
        site *s = &w->c[w->n_c++];
        double x, y;
        if (n_d > 0 && rng_u01(&r) < 0.6) {
            const dpoint *d = &w->d[d0 + rng_int(&r, 0, n_d - 1)];
            x = d->x + rng_normal(&r) * 300;
            y = d->y + rng_normal(&r) * 300;
        } else {
            x = rng_uniform(&r, -h, h);
            y = rng_uniform(&r, -h, h);
        }
        clamp_into_area(w, &x, &y);
        s->x = x;
        s->y = y;
        s->upgrade = i < n_up;
        s->n28 = rng_u01(&r) < 0.5;
        if (s->upgrade) {
            s->capex = round_to(80000 + rng_uniform(&r, 0, 20000), 1000);
            s->height = s->n28 ? rng_int(&r, 35, 40) : rng_int(&r, 25, 40);
        } else {
            s->capex = round_to(450000 + rng_uniform(&r, 0, 50000), 1000);
            s->height = s->n28 ? rng_int(&r, 30, 40) : rng_int(&r, 20, 35);
        }
    }
    w->n_up += n_up;
}

/* nx x ny cities, one in each cell of the province's grid, of random sizes
 * (as dense as the city preset), with PROVINCE_URBAN_PCT % of the demand and
 * candidates; the rest is rural. The candidates are shuffled at the end, so
 * ids say nothing about the city. */
static int make_province(world *w, int nx, int ny)
{
    rng r;
    rng_seed(&r, w->seed, 5);
    int nc = nx * ny;
    double share[64] = {0}, cw = w->E / nx, ch = w->E / ny;
    int dn[64] = {0}, cn[64] = {0};
    if (nc > 64)
        return -1;
    for (int i = 0; i < nc; i++)
        share[i] = 0.5 + rng_u01(&r);
    int n_d = (int)((int64_t)w->p->n_demand * PROVINCE_URBAN_PCT / 100);
    int n_c = (int)((int64_t)w->p->n_candidates * PROVINCE_URBAN_PCT / 100);
    split_count(dn, share, nc, n_d);
    split_count(cn, share, nc, n_c);
    w->n_cl = w->n_d = w->n_c = w->n_up = w->n_ex = 0;
    for (int i = 0; i < nc; i++) {
        int col = i % nx, row = i / nx; /* north row first */
        double side = sqrt(dn[i] / CITY_DENSITY), lim = 0.6 * (cw < ch ? cw : ch);
        if (side > lim)
            side = lim;
        if (side < 1000)
            side = 1000;
        double cx = -w->E / 2 + (col + 0.5) * cw + rng_uniform(&r, -0.03, 0.03) * cw;
        double cy = w->E / 2 - (row + 0.5) * ch + rng_uniform(&r, -0.03, 0.03) * ch;
        if (add_city(w, i, cx, cy, side, dn[i], cn[i]) < 0)
            return -1;
    }
    add_rural(w, w->p->n_demand - n_d, w->p->n_candidates - n_c);
    for (int i = w->n_c - 1; i > 0; i--) {
        int j = rng_int(&r, 0, i);
        site t = w->c[i];
        w->c[i] = w->c[j];
        w->c[j] = t;
    }
    w->n_whitelist = 0;
    for (int i = 0; i < w->n_d; i++)
        w->n_whitelist += w->d[i].whitelist;
    return 0;
}

/* ---- text output ---------------------------------------------------------- */

#define LON0_UDEG 120720000LL
#define LAT0_UDEG 31320000LL
/* Millimetres per degree on a sphere of radius 6,371,008.8 m; the longitude
 * figure is scaled by cos(31.32 deg) (equirectangular projection around the
 * centre). */
#define MM_PER_DEG_LAT 111195080LL
#define MM_PER_DEG_LON 94991447LL

static int64_t div_round(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

static int64_t to_mm(double m)
{
    return (int64_t)(m * 1000.0 + (m >= 0 ? 0.5 : -0.5));
}

static void fmt_udeg(char *out, size_t size, int64_t u)
{
    const char *sign = u < 0 ? "-" : "";
    if (u < 0)
        u = -u;
    snprintf(out, size, "%s%" PRId64 ".%06" PRId64, sign, u / 1000000, u % 1000000);
}

/* "lon,lat" with 6 decimals (about 0.1 m). */
static void fmt_lonlat(char *out, size_t size, double x, double y)
{
    char a[32], b[32];
    fmt_udeg(a, sizeof a, LON0_UDEG + div_round(to_mm(x) * 1000000, MM_PER_DEG_LON));
    fmt_udeg(b, sizeof b, LAT0_UDEG + div_round(to_mm(y) * 1000000, MM_PER_DEG_LAT));
    snprintf(out, size, "%s,%s", a, b);
}

static void write_demand(FILE *f, const world *w)
{
    char ll[80];
    fputs("{\"type\":\"FeatureCollection\",\"name\":\"demand\",\"features\":[\n", f);
    for (int i = 0; i < w->n_d; i++) {
        const dpoint *d = &w->d[i];
        fmt_lonlat(ll, sizeof ll, d->x, d->y);
        fprintf(f,
                "{\"type\":\"Feature\",\"properties\":{\"id\":\"D%06d\",\"name\":\"%s %03d\","
                "\"sector\":\"%s\",\"weight\":%d,\"year\":%d,\"whitelist\":%d,\"indoor\":%d,"
                "\"traffic_mbps\":%d},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%s]}}%s\n",
                i + 1, d->cluster >= 0 ? w->cl[d->cluster].name : "散点", d->num,
                sector_name[d->sector], d->weight, 2026 + d->year_idx, d->whitelist, d->indoor,
                d->traffic, ll, i + 1 < w->n_d ? "," : "");
    }
    fputs("]}\n", f);
}

/* The province's demand: a million points read much faster from CSV than
 * from GeoJSON (GDAL streams a CSV, it parses a GeoJSON whole). */
static void write_demand_csv(FILE *f, const world *w)
{
    char ll[80];
    fputs("id,name,sector,weight,year,whitelist,indoor,traffic_mbps,lon,lat\n", f);
    for (int i = 0; i < w->n_d; i++) {
        const dpoint *d = &w->d[i];
        fmt_lonlat(ll, sizeof ll, d->x, d->y);
        fprintf(f, "D%07d,%s %03d,%s,%d,%d,%d,%d,%d,%s\n", i + 1,
                d->cluster >= 0 ? w->cl[d->cluster].name : "散点", d->num, sector_name[d->sector],
                d->weight, 2026 + d->year_idx, d->whitelist, d->indoor, d->traffic, ll);
    }
}

static void write_candidates(FILE *f, const world *w)
{
    char ll[80];
    fputs("site_id,lon,lat,kind,capex,band,height_m\n", f);
    for (int i = 0; i < w->n_c; i++) {
        const site *s = &w->c[i];
        fmt_lonlat(ll, sizeof ll, s->x, s->y);
        fprintf(f, "%c%05d,%s,%s,%d,%s,%d\n", s->upgrade ? 'U' : 'N', i + 1, ll,
                s->upgrade ? "upgrade" : "new", s->capex, s->n28 ? "n28" : "n78", s->height);
    }
}

static void write_existing(FILE *f, const world *w)
{
    char ll[80];
    fputs("{\"type\":\"FeatureCollection\",\"name\":\"existing\",\"features\":[\n", f);
    for (int i = 0; i < w->n_ex; i++) {
        fmt_lonlat(ll, sizeof ll, w->ex[i].x, w->ex[i].y);
        fprintf(f,
                "{\"type\":\"Feature\",\"properties\":{\"site_id\":\"E%04d\",\"band\":\"%s\"},"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%s]}}%s\n",
                i + 1, w->ex[i].n28 ? "n28" : "n78", ll, i + 1 < w->n_ex ? "," : "");
    }
    fputs("]}\n", f);
}

static void write_regions(FILE *f, const world *w)
{
    char ll[80];
    fputs("{\"type\":\"FeatureCollection\",\"name\":\"regions\",\"features\":[\n", f);
    for (int i = 0; i < w->n_rg; i++) {
        const region *g = &w->rg[i];
        fprintf(f,
                "{\"type\":\"Feature\",\"properties\":{\"adcode\":\"%d\",\"name\":\"%s\","
                "\"population\":%d},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[",
                w->province ? city_adcodes[i % NELEM(city_adcodes)] : 320571001 + i, g->name, g->population);
        for (int k = 0; k < 17; k++) {
            fmt_lonlat(ll, sizeof ll, g->ring[k][0], g->ring[k][1]);
            fprintf(f, "%s[%s]", k ? "," : "", ll);
        }
        fprintf(f, "]]}}%s\n", i + 1 < w->n_rg ? "," : "");
    }
    fputs("]}\n", f);
}

static void fmt_cny(char *out, size_t size, int64_t v)
{
    /* 12300000 -> "12,300,000" for comments */
    char digits[32], tmp[48];
    snprintf(digits, sizeof digits, "%" PRId64, v);
    int n = (int)strlen(digits), o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0 && digits[0] != '-')
            tmp[o++] = ',';
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    snprintf(out, size, "%s", tmp);
}

/* " --scale X" when the preset was scaled, X the shortest text that reads
 * back as the same number (so the command in the comment regenerates these
 * bytes); "" otherwise. */
static void fmt_scale(char *out, size_t size, double scale)
{
    out[0] = '\0';
    if (scale == 0 || scale == 1)
        return;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, " --scale %.*g", prec, scale);
        if (strtod(out + 9, NULL) == scale)
            return;
    }
}


/* 1 when some cluster is a port (its demand has the sector "port"). */
static int has_port(const world *w)
{
    for (int i = 0; i < w->n_cl; i++)
        if (w->cl[i].kind == C_PORT)
            return 1;
    return 0;
}

static void write_yaml(FILE *f, const world *w)
{
    const char *name = w->p->name ? w->p->name : "(unnamed)";
    int T = w->T;
    char a[48], b[48], sc[40];
    fmt_scale(sc, sizeof sc, w->p->scale);
    if (w->province)
        fprintf(f,
                "# Synthetic 5G rollout scenario: a Yangtze River Delta province of %d cities\n"
                "# under one budget (centre 120.72 E, 31.32 N).\n"
                "# Generated by `rollout5g synth --preset %s --seed %" PRIu64 "%s`: the same preset,\n"
                "# seed and scale always give these exact bytes, so regenerate rather than edit\n"
                "# in place (copy the folder to make your own variant).\n"
                "#\n"
                "# The area is a %.0f km x %.0f km square. Each city is a core of industrial\n"
                "# parks, river ports, campuses, hospitals and housing (the district\n"
                "# generator at the density of the city preset); the cities hold %d%% of the\n"
                "# %d demand points and of the candidates, the rural land between them the\n"
                "# rest. %d candidate sites (%d existing 4G towers that can get 5G, %d new\n"
                "# builds), %d sites already on air with 5G.\n",
                w->n_rg, name, w->seed, sc, w->E / 1000.0, w->E / 1000.0, PROVINCE_URBAN_PCT, w->n_d,
                w->n_c, w->n_up, w->n_c - w->n_up, w->n_ex);
    else
        fprintf(f,
                "# Synthetic 5G rollout scenario: a Yangtze River Delta industrial %s around\n"
                "# the Suzhou Industrial Park (centre 120.72 E, 31.32 N).\n"
                "# Generated by `rollout5g synth --preset %s --seed %" PRIu64 "%s`: the same preset and\n"
                "# seed always give these exact bytes, so regenerate rather than edit in place\n"
                "# (copy the folder to make your own variant).\n"
                "#\n"
                "# The area is a %.0f km x %.0f km square with %d demand points in clusters\n"
                "# (industrial parks, %s, campuses, hospitals, housing) plus scattered\n"
                "# points, %d candidate sites (%d existing 4G towers that can get 5G, %d new\n"
                "# builds), %d sites already on air with 5G and %d sub-districts.\n",
                w->E >= 40000.0 ? "city" : "district", name, w->seed, sc,
                w->E / 1000.0, w->E / 1000.0, w->n_d, w->E >= 8000.0 ? "a river port" : "no port",
                w->n_c, w->n_up, w->n_c - w->n_up, w->n_ex, w->n_rg);
    fprintf(f, "version: 1\n");
    if (w->province)
        fprintf(f, "name: \"Yangtze River Delta province (synthetic, %s%s%s, seed %" PRIu64 ") - 5G for "
                "industry %d-%d\"\n", name, sc[0] ? ", scale " : "", sc[0] ? sc + 9 : "", w->seed, 2026,
                2026 + T - 1);
    else
        fprintf(f, "name: \"Suzhou Industrial Park (synthetic, %s, seed %" PRIu64 ") - 5G for industry %d-%d\"\n",
                name, w->seed, 2026, 2026 + T - 1);
    fprintf(f, "crs: auto            # distances in metres in the UTM zone of the inputs (51N here)\n\n");
    fprintf(f,
            "periods:             # one period per year, %d-%d; demand `year` values fall in them\n"
            "  start: 2026\n"
            "  count: %d\n\n",
            2026, 2026 + T - 1, T);
    fmt_cny(a, sizeof a, w->full_cost);
    fmt_cny(b, sizeof b, w->capex_total);
    fprintf(f,
            "budget:\n"
            "  # Capital expenditure per period in CNY. A new site costs 450,000-650,000\n"
            "  # (more in the dense core), adding 5G to a 4G tower 80,000-140,000 (about 18%%\n"
            "  # of a new build). A greedy set cover needs %d sites and %s CNY to\n"
            "  # cover every demand point that some candidate reaches (%d points are out of\n"
            "  # reach of all candidates and existing sites). These budgets add up to\n"
            "  # %s CNY, about half of that, so the plan has to choose; the first\n"
            "  # periods get the smallest shares, so early building must be selective.\n"
            "  capex: [",
            w->greedy_sites, a, w->n_uncoverable, b);
    for (int k = 0; k < T; k++)
        fprintf(f, "%s%" PRId64, k ? ", " : "", w->capex[k]);
    fprintf(f,
            "]\n"
            "  carry_over: true    # unspent capex rolls into the next period\n"
            "  max_new_sites: %d   # crew limit: sites built or upgraded per period\n\n",
            w->max_new_sites);
    fprintf(f,
            "demand:\n"
            "  # Enterprises, port terminals, campuses, hospitals and housing as points.\n"
            "  # weight 1-50 (heavy tailed) is the demand volume; year is when the demand\n"
            "  # appears (existing industry early, new parks later); whitelist = 1 marks\n"
            "  # key enterprises on the MIIT white list (%d of %d points); indoor = 1 for\n"
            "  # factory halls and other indoor users.\n"
            "%s"
            "  fields:\n"
            "    id: id\n"
            "    weight: weight\n"
            "    sector: sector\n"
            "    period: year\n"
            "    whitelist: whitelist\n"
            "    indoor: indoor\n"
            "    traffic: traffic_mbps\n\n",
            w->n_whitelist, w->n_d,
            w->province ? "  source: demand.csv\n"
                          "  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]\n"
                          "  crs: EPSG:4326\n"
                        : "  source: demand.geojson\n");
    fprintf(f,
            "candidates:\n"
            "  # kind upgrade = an existing 4G tower that gets 5G (ids U...), new = a new\n"
            "  # site (ids N...); capex in CNY; band n78 (3.5 GHz) mostly, n28 (700 MHz)\n"
            "  # on some rural edge sites; height_m is the antenna height.\n"
            "  source: candidates.csv\n"
            "  open_options: [X_POSSIBLE_NAMES=lon, Y_POSSIBLE_NAMES=lat]\n"
            "  crs: EPSG:4326\n"
            "  fields:\n"
            "    id: site_id\n"
            "    capex: capex\n"
            "    kind: kind\n"
            "    band: band\n"
            "    height: height_m\n\n");
    fprintf(f,
            "existing:             # 5G sites on air before the first period (cost 0, always on)\n"
            "  source: existing.geojson\n"
            "  fields: {id: site_id, band: band}\n\n");
    if (w->province)
        fprintf(f,
                "regions:              # the cities (prefecture level) with their population:\n"
                "  source: regions.geojson   # region_kpi per city, and density targets\n"
                "  fields: {id: adcode, name: name, population: population}\n\n");
    else
        fprintf(f,
                "regions:              # sub-districts (streets and towns) with their population\n"
                "  source: regions.geojson\n"
                "  fields: {id: adcode, name: name, population: population}\n\n");
    fprintf(f,
            "radio:\n"
            "  model: fixed_radius  # a site covers every demand point within radius_m\n"
            "  radius_m: %.0f        # a dense-urban n78 macro cell\n"
            "  indoor_loss_db: 15   # extra path loss for indoor demand (tr38901 model)\n"
            "  bands:\n"
            "    n78: {frequency_ghz: 3.5, max_path_loss_db: 128, height_m: 25, capacity_mbps: 1000}\n"
            "    n28: {frequency_ghz: 0.7, max_path_loss_db: 135, height_m: 35, capacity_mbps: 300}\n\n",
            w->radius_m);
    fprintf(f,
            "sectors:              # priority multipliers on weight; unlisted sectors\n"
            "  ic: 2.0             # (logistics, residential) count 1\n"
            "  auto: 1.8\n"
            "  equipment: 1.5\n"
            "  pharma: 1.6\n"
            "  energy: 1.5\n"
            "%s"
            "  education: 1.2\n"
            "  healthcare: 1.3\n"
            "whitelist_multiplier: 3.0   # white-list enterprises count three times\n\n",
            /* a sector the data lacks is an error: small patches (and a
             * scaled-down province's small cities) have no port */
            has_port(w) ? "  port: 1.4\n" : "");
    fprintf(f,
            "ahead_of_demand:      # \"moderately ahead of demand\" (适度超前)\n"
            "  lead_periods: 1       # on time = covered one period before the demand appears\n"
            "  max_lead_periods: 2   # coverage more than 2 periods early earns nothing\n"
            "  on_time_required: none\n\n"
            "objective: max_coverage   # most weighted, on-time coverage within the budgets\n\n");
    if (w->province)
        fprintf(f,
                "# A density goal per city (sites on air per 10,000 people, MIIT style) is a\n"
                "# target; targets make the model larger than the plain budgeted one:\n"
                "# targets:\n"
                "#   sites_per_10k_people: {%d: 5}\n\n", 2026 + T - 1);
    fprintf(f,
            "solver:\n"
            "  time_limit_s: %d\n"
            "  mip_gap: 0.005       # stop once the plan is proven within 0.5%% of the best bound\n\n"
            "output:\n"
            "  path: plan.gpkg\n"
            "  format: GPKG\n",
            w->province ? 1800 : w->n_c <= 500 ? 60 : 300);
}

/* ---- files ------------------------------------------------------------------ */

enum { F_YAML, F_DEMAND, F_CAND, F_EXIST, F_REGIONS, F_COUNT };
static const char *const file_names[F_COUNT] = {
    "scenario.yaml", "demand.geojson", "candidates.csv", "existing.geojson", "regions.geojson"};

static int ensure_dir(const char *dir, r5g_err *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return r5g_err_set(err, R5G_EIO, "%s: exists and is not a directory", dir);
        return 0;
    }
    if (errno != ENOENT)
        return r5g_err_set(err, R5G_EIO, "%s: %s", dir, strerror(errno));
    if (mkdir(dir, 0777) != 0)
        return r5g_err_set(err, R5G_EIO, "cannot create directory %s: %s", dir, strerror(errno));
    return 0;
}

static int write_files(const world *w, const char *dir, int overwrite, r5g_err *err)
{
    char *final[F_COUNT] = {0}, *tmp[F_COUNT] = {0};
    int rc = 0, i;
    for (i = 0; i < F_COUNT; i++) {
        const char *name = i == F_DEMAND && w->province ? "demand.csv" : file_names[i];
        final[i] = r5g_asprintf("%s/%s", dir, name);
        tmp[i] = r5g_asprintf("%s/.%s.tmp%ld", dir, name, (long)getpid());
        if (!final[i] || !tmp[i]) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            goto out;
        }
        struct stat st;
        if (!overwrite && lstat(final[i], &st) == 0) {
            rc = r5g_err_set(err, R5G_EINPUT, "%s: file exists (overwrite to replace it)", final[i]);
            goto out;
        }
    }
    for (i = 0; i < F_COUNT; i++) {
        FILE *f = fopen(tmp[i], "w");
        if (!f) {
            rc = r5g_err_set(err, R5G_EIO, "cannot create %s: %s", tmp[i], strerror(errno));
            goto out;
        }
        switch (i) {
        case F_YAML: write_yaml(f, w); break;
        case F_DEMAND: w->province ? write_demand_csv(f, w) : write_demand(f, w); break;
        case F_CAND: write_candidates(f, w); break;
        case F_EXIST: write_existing(f, w); break;
        default: write_regions(f, w); break;
        }
        int bad = ferror(f);
        int saved = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            saved = errno;
        }
        if (bad) {
            rc = r5g_err_set(err, R5G_EIO, "cannot write %s: %s", tmp[i], strerror(saved));
            unlink(tmp[i]);
            goto out;
        }
    }
    for (i = 0; i < F_COUNT; i++) {
        if (rename(tmp[i], final[i]) != 0) {
            rc = r5g_err_set(err, R5G_EIO, "cannot rename %s to %s: %s", tmp[i], final[i],
                             strerror(errno));
            goto out;
        }
        free(tmp[i]);
        tmp[i] = NULL;
    }
out:
    for (int k = 0; k < F_COUNT; k++) {
        if (tmp[k] && rc != 0)
            unlink(tmp[k]); /* ENOENT for files not yet created: harmless */
        free(final[k]);
        free(tmp[k]);
    }
    return rc;
}

int pl_synth_write(const pl_synth_preset *p, uint64_t seed, const char *dir, int overwrite,
                   r5g_err *err)
{
    if (!p)
        return r5g_err_set(err, R5G_EINPUT, "synth: no preset (valid: %s)", pl_synth_preset_names());
    const char *pname = p->name ? p->name : "(unnamed)";
    if (!dir || !*dir)
        return r5g_err_set(err, R5G_EINPUT, "synth: no output directory");
    if (p->n_candidates < 1 || p->n_candidates > 1000000)
        return r5g_err_set(err, R5G_EINPUT, "preset %s: n_candidates %d is outside 1..1000000",
                           pname, p->n_candidates);
    if (p->n_demand < 1 || p->n_demand > 10000000)
        return r5g_err_set(err, R5G_EINPUT, "preset %s: n_demand %d is outside 1..10000000",
                           pname, p->n_demand);
    if (p->n_periods < 1 || p->n_periods > 50)
        return r5g_err_set(err, R5G_EINPUT, "preset %s: n_periods %d is outside 1..50", pname,
                           p->n_periods);
    if (!(p->extent_m >= 1000.0 && p->extent_m <= 200000.0))
        return r5g_err_set(err, R5G_EINPUT, "preset %s: extent_m %g is outside 1000..200000",
                           pname, p->extent_m);

    int nx = 0, ny = 0, province = 0;
    for (int i = 0; i < N_PRESETS; i++)
        if (p == &presets[i].p || strcmp(pname, presets[i].p.name) == 0) {
            nx = presets[i].regions_x;
            ny = presets[i].regions_y;
            province = presets[i].province;
        }
    if (nx == 0) { /* a custom preset: about one sub-district per 25 km2 */
        nx = (int)(p->extent_m / 5000.0 + 0.5);
        nx = nx < 2 ? 2 : nx > 20 ? 20 : nx;
        ny = nx;
    }

    world w = {0};
    w.p = p;
    w.seed = seed;
    w.E = p->extent_m;
    w.T = p->n_periods;
    w.radius_m = 600.0;
    w.province = province;
    int rc;
    /* a province's cities: each has at most 6 + (side/1000 m)^2 clusters and
     * (n/40 + 2) existing sites, and their squares do not overlap */
    size_t more = province ? 8 * (size_t)nx * (size_t)ny : 0;
    w.cl = calloc(64 + more + (size_t)(p->extent_m / 1000 * p->extent_m / 1000), sizeof *w.cl);
    w.d = calloc((size_t)p->n_demand, sizeof *w.d);
    w.c = calloc((size_t)p->n_candidates, sizeof *w.c);
    w.ex = calloc((size_t)p->n_candidates / 40 + 2 + more, sizeof *w.ex);
    w.rg = calloc((size_t)nx * (size_t)ny, sizeof *w.rg);
    w.capex = calloc((size_t)w.T, sizeof *w.capex);
    if (!w.cl || !w.d || !w.c || !w.ex || !w.rg || !w.capex) {
        rc = r5g_err_set(err, R5G_ENOMEM, "synth: out of memory for preset %s", pname);
        goto out;
    }
    if (province) {
        rc = make_province(&w, nx, ny);
    } else {
        make_clusters(&w);
        make_demand(&w);
        rc = make_sites(&w);
    }
    if (rc < 0 || plan_budget(&w) < 0 ||
        (province ? make_regions(&w, nx, ny, city_names, NELEM(city_names), 1000.0)
                  : make_regions(&w, nx, ny, region_names, NELEM(region_names), 2500.0)) < 0) {
        rc = r5g_err_set(err, R5G_ENOMEM, "synth: out of memory for preset %s", pname);
        goto out;
    }
    rc = ensure_dir(dir, err);
    if (rc == 0)
        rc = write_files(&w, dir, overwrite, err);
out:
    free(w.cl);
    free(w.d);
    free(w.c);
    free(w.ex);
    free(w.rg);
    free(w.capex);
    return rc;
}
