/* Scenario files: YAML (libyaml document API) -> pl_scenario. Every key, type
 * and value is checked; the first problem becomes one line
 * "FILE:LINE: KEY.PATH: message (value)". See docs/scenario.md. */
#include "planner/scenario/scenario.h"
#include "planner/scenario/yaml_node.h"
#include "planner/scenario/schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_PERIODS 100
#define PATH_MAX_KEY 256

static const char *const environments[] = {"uma", "umi", "rma", NULL};

/* ---- parse context and error reporting ---------------------------------- */

typedef struct ctx {
    const char *file;       /* path as given, for messages */
    yaml_document_t *doc;
    pl_scenario *sc;
    r5g_err *err;
    const pl_override *ov;  /* overrides applied to doc; their nodes carry OV_MARK + k */
    int n_ov;
    int no_lines;           /* doc was built elsewhere (settings JSON): messages name no line */
} ctx;

/* start_mark.index of the nodes an override put into the document: errors
 * on them name the override's origin instead of a line of the file */
#define OV_MARK ((size_t)1 << (sizeof(size_t) * 8 - 2))

/* "FILE:LINE: PATH: what"; n == NULL drops the line, an empty path drops the key. */
static int fail(ctx *c, const yaml_node_t *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(ctx *c, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (n && n->start_mark.index >= OV_MARK && n->start_mark.index - OV_MARK < (size_t)c->n_ov) {
        const pl_override *o = &c->ov[n->start_mark.index - OV_MARK];
        return r5g_err_set(c->err, R5G_EINPUT, "%s: %s: %s (override of %s)", o->origin ? o->origin : "override",
                           path && *path ? path : o->path, what, c->file);
    }
    return pl_yaml_error(c->err, c->file, c->no_lines ? NULL : n, path, what);
}

/* Where node n was given, for checks after loading (pl_scenario_error): its
 * line, or -(k + 1) for a node override k put into the document. */
static int at_of(ctx *c, const yaml_node_t *n)
{
    if (n->start_mark.index >= OV_MARK && n->start_mark.index - OV_MARK < (size_t)c->n_ov)
        return -(int)(n->start_mark.index - OV_MARK) - 1;
    return pl_yaml_line(n);
}

int pl_scenario_error(const pl_scenario *sc, int at, const char *path, r5g_err *err,
                      const char *fmt, ...)
{
    char what[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (at < 0 && -at - 1 < sc->n_ov)
        r5g_err_set(err, R5G_EINPUT, "%s: %s: %s (override of %s)", sc->ov_origin[-at - 1], path,
                    what, sc->file);
    else if (at > 0)
        r5g_err_set(err, R5G_EINPUT, "%s:%d: %s: %s", sc->file, at, path, what);
    else
        r5g_err_set(err, R5G_EINPUT, "%s: %s: %s", sc->file, path, what);
    r5g_err_one_line(err);
    return R5G_EINPUT;
}

static int oom(ctx *c)
{
    return r5g_err_set(c->err, R5G_ENOMEM, "%s: out of memory", c->file);
}

/* out = "parent.key" (or "key"), truncated to size. */
static void join(char *out, size_t size, const char *parent, const char *key)
{
    size_t n = 0;
    for (const char *s = parent ? parent : ""; *s && n + 1 < size; s++)
        out[n++] = *s;
    if (n && n + 1 < size)
        out[n++] = '.';
    for (const char *s = key; *s && n + 1 < size; s++)
        out[n++] = *s;
    out[n] = '\0';
}

/* ---- nodes -------------------------------------------------------------- */

static yaml_node_t *node_at(ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static int want(ctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *path)
{
    if (!pl_yaml_mismatch(n, type))
        return 0;
    char got[96];
    pl_yaml_describe(n, got, sizeof got);
    return fail(c, n, path, "expected %s, got %s", pl_yaml_expected(type), got);
}

static int seq_len(const yaml_node_t *n)
{
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(ctx *c, const yaml_node_t *n, int i)
{
    return node_at(c, n->data.sequence.items.start[i]);
}

#define FOR_PAIRS(p, map) \
    for (yaml_node_pair_t *p = (map)->data.mapping.pairs.start; p < (map)->data.mapping.pairs.top; p++)

/* "did you mean 'x'?" when a candidate is close, else "<label>: a, b, c". */
static void suggest(const char *word, const char *const *cands, const char *label, char *buf,
                    size_t size)
{
    char low[65];
    size_t n = strlen(word);
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)word[i]);
    low[n] = '\0';
    int best = -1, best_d = 1000;
    for (int i = 0; cands[i]; i++) {
        int d = r5g_edit_distance(low, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (best >= 0 && best_d <= 2 && best_d < (int)strlen(cands[best]) - 1) {
        snprintf(buf, size, "did you mean '%s'?", cands[best]);
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "%s: ", label);
    for (int i = 0; cands[i] && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", cands[i]);
}

/* Checks that n is a mapping with scalar keys, no duplicate keys and (when keys
 * is not NULL) only the listed keys. */
static int check_map(ctx *c, const yaml_node_t *n, const char *path, const char *const *keys)
{
    int rc = want(c, n, YAML_MAPPING_NODE, path);
    if (rc)
        return rc;
    char kp[PATH_MAX_KEY];
    FOR_PAIRS(p, n) {
        yaml_node_t *k = node_at(c, p->key);
        if (k->type != YAML_SCALAR_NODE) {
            char got[96];
            pl_yaml_describe(k, got, sizeof got);
            return fail(c, k, path, "expected a plain key, got %s", got);
        }
        join(kp, sizeof kp, path, pl_yaml_text(k));
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k0 = node_at(c, q->key);
            if (k0->type == YAML_SCALAR_NODE && !strcmp(pl_yaml_text(k0), pl_yaml_text(k)))
                return fail(c, k, kp, "duplicate key (first given on line %d)", pl_yaml_line(k0));
        }
        if (!keys)
            continue;
        int known = 0;
        for (int i = 0; keys[i] && !known; i++)
            known = !strcmp(keys[i], pl_yaml_text(k));
        if (!known) {
            char hint[512];
            suggest(pl_yaml_text(k), keys, "valid keys", hint, sizeof hint);
            return fail(c, k, kp, "unknown key (%s)", hint);
        }
    }
    return 0;
}

/* Value of key in a checked mapping (NULL when absent); *key_node gets the key. */
static yaml_node_t *get(ctx *c, const yaml_node_t *map, const char *key, yaml_node_t **key_node)
{
    FOR_PAIRS(p, map) {
        yaml_node_t *k = node_at(c, p->key);
        if (!strcmp(pl_yaml_text(k), key)) {
            if (key_node)
                *key_node = k;
            return node_at(c, p->value);
        }
    }
    return NULL;
}

/* ---- scalar values -------------------------------------------------------- */

/* A YAML number: decimal or exponent form, YAML 1.1 '_' separators, .inf, .nan. */
static int number_text(const char *s, double *out)
{
    char buf[128];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == '_')
            continue;
        if (n + 1 >= sizeof buf || isspace((unsigned char)*s))
            return -1;
        buf[n++] = *s;
    }
    buf[n] = '\0';
    if (!n)
        return -1;
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
        *out = buf[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return 0;
    }
    if (!strcmp(buf, ".nan") || !strcmp(buf, ".NaN") || !strcmp(buf, ".NAN")) {
        *out = NAN;
        return 0;
    }
    char *end;
    double v = strtod(buf, &end);
    if (end == buf || *end)
        return -1;
    *out = v;
    return 0;
}

enum { R_ANY, R_GE0, R_GT0, R_SHARE, R_RATE };

/* Number with a range rule; +.inf only when allow_inf. note: appended to messages. */
static int get_number(ctx *c, const yaml_node_t *n, const char *path, int rule, int allow_inf,
                      const char *note, double *out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, path);
    if (rc)
        return rc;
    const char *t = pl_yaml_text(n);
    double v;
    if (number_text(t, &v))
        return fail(c, n, path, "expected a number, got '%s'%s", t, note);
    if (isnan(v))
        return fail(c, n, path, "%s is not a number%s", t, note);
    if (isinf(v) && v < 0 && rule != R_ANY)
        return fail(c, n, path, "%s is negative%s", t, note);
    if (isinf(v) && !allow_inf)
        return fail(c, n, path, "%s is not allowed here, give a finite number%s", t, note);
    switch (rule) {
    case R_GE0:
        if (v < 0)
            return fail(c, n, path, "%s is negative%s", t, note);
        break;
    case R_GT0:
        if (!(v > 0))
            return fail(c, n, path, "%s must be greater than 0%s", t, note);
        break;
    case R_SHARE:
        if (v < 0 || v > 1)
            return fail(c, n, path, "%s is not a share between 0 and 1%s", t, note);
        break;
    case R_RATE:
        if (v < 0 || v >= 1)
            return fail(c, n, path, "%s is out of range (0 to less than 1)%s", t, note);
        break;
    default:
        break;
    }
    *out = v;
    return 0;
}

/* Integer in [lo, hi]; with allow_inf, .inf gives -1 ("no limit"). */
static int get_int(ctx *c, const yaml_node_t *n, const char *path, int lo, int hi, int allow_inf,
                   const char *note, int *out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, path);
    if (rc)
        return rc;
    const char *t = pl_yaml_text(n);
    double v;
    if (number_text(t, &v) || isnan(v) || (isinf(v) && !allow_inf) || v != floor(v))
        return fail(c, n, path, "expected an integer, got '%s'%s", t, note);
    if (v < lo)
        return lo == 0 ? fail(c, n, path, "%s is negative%s", t, note)
                       : fail(c, n, path, "%s is out of range (%d to %d)%s", t, lo, hi, note);
    if (isinf(v)) {
        *out = -1;
        return 0;
    }
    if (v > hi)
        return fail(c, n, path, "%s is out of range (%d to %d)%s", t, lo, hi, note);
    *out = (int)v;
    return 0;
}

static int get_bool(ctx *c, const yaml_node_t *n, const char *path, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1", NULL};
    static const char *const no[] = {"false", "no", "off", "0", NULL};
    int rc = want(c, n, YAML_SCALAR_NODE, path);
    if (rc)
        return rc;
    for (int i = 0; yes[i]; i++) {
        if (!strcasecmp(pl_yaml_text(n), yes[i])) {
            *out = 1;
            return 0;
        }
        if (!strcasecmp(pl_yaml_text(n), no[i])) {
            *out = 0;
            return 0;
        }
    }
    return fail(c, n, path, "expected true or false, got '%s'", pl_yaml_text(n));
}

/* Non-empty text; replaces (frees) *out. */
static int get_str(ctx *c, const yaml_node_t *n, const char *path, char **out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, path);
    if (rc)
        return rc;
    if (!*pl_yaml_text(n))
        return fail(c, n, path, "the value is empty");
    char *s = r5g_strdup(pl_yaml_text(n));
    if (!s)
        return oom(c);
    free(*out);
    *out = s;
    return 0;
}

static int get_enum(ctx *c, const yaml_node_t *n, const char *path, const char *const *names,
                    int *out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, path);
    if (rc)
        return rc;
    for (int i = 0; names[i]; i++) {
        if (!strcmp(pl_yaml_text(n), names[i])) {
            *out = i;
            return 0;
        }
    }
    char hint[256];
    suggest(pl_yaml_text(n), names, "expected one of", hint, sizeof hint);
    return fail(c, n, path, "unknown value '%s' (%s)", pl_yaml_text(n), hint);
}

/* A path from the file, resolved against the scenario folder. Absolute paths,
 * GDAL connection strings ("PG:...", URLs) and /vsi paths stay as given. */
static int get_path(ctx *c, const yaml_node_t *n, const char *path, char **out)
{
    char *s = NULL;
    int rc = get_str(c, n, path, &s);
    if (rc)
        return rc;
    const char *dir = c->sc->dir;
    if (s[0] == '/' || strchr(s, ':') || !strcmp(dir, ".")) {
        free(*out);
        *out = s;
        return 0;
    }
    size_t dl = strlen(dir);
    char *r = r5g_asprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", s);
    free(s);
    if (!r)
        return oom(c);
    free(*out);
    *out = r;
    return 0;
}

/* ---- periods ---------------------------------------------------------------- */

static int valid_date(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static int alloc_periods(ctx *c, int n)
{
    pl_scenario *sc = c->sc;
    sc->period_label = calloc((size_t)n, sizeof *sc->period_label);
    sc->period_date = calloc((size_t)n, sizeof *sc->period_date);
    if (!sc->period_label || !sc->period_date)
        return oom(c);
    sc->n_periods = n;
    return 0;
}

static int parse_periods_labels(ctx *c, yaml_node_t *labels, yaml_node_t *dates)
{
    pl_scenario *sc = c->sc;
    int rc = want(c, labels, YAML_SEQUENCE_NODE, "periods.labels");
    if (rc)
        return rc;
    int n = seq_len(labels);
    if (n < 1 || n > MAX_PERIODS)
        return fail(c, labels, "periods.labels", "expected 1 to %d labels, got %d", MAX_PERIODS, n);
    if (!dates)
        return fail(c, labels, "periods.dates",
                    "required with periods.labels (one date per label)");
    if ((rc = want(c, dates, YAML_SEQUENCE_NODE, "periods.dates")))
        return rc;
    if (seq_len(dates) != n)
        return fail(c, dates, "periods.dates", "expected %d dates (one per label), got %d", n,
                    seq_len(dates));
    if ((rc = alloc_periods(c, n)))
        return rc;
    for (int i = 0; i < n; i++) {
        yaml_node_t *l = seq_item(c, labels, i), *d = seq_item(c, dates, i);
        if ((rc = get_str(c, l, "periods.labels", &sc->period_label[i])))
            return rc;
        const char *lb = sc->period_label[i];
        if (isspace((unsigned char)lb[0]) || isspace((unsigned char)lb[strlen(lb) - 1]))
            return fail(c, l, "periods.labels", "label '%s' begins or ends with a space (demand "
                        "periods are matched without them)", lb);
        for (int j = 0; j < i; j++)
            if (!strcmp(sc->period_label[j], sc->period_label[i]))
                return fail(c, l, "periods.labels", "label '%s' is given twice",
                            sc->period_label[i]);
        if ((rc = get_str(c, d, "periods.dates", &sc->period_date[i])))
            return rc;
        if (!valid_date(sc->period_date[i]))
            return fail(c, d, "periods.dates", "expected a date YYYY-MM-DD, got '%s'",
                        sc->period_date[i]);
        if (i && strcmp(sc->period_date[i], sc->period_date[i - 1]) <= 0)
            return fail(c, d, "periods.dates", "%s is not after the previous date %s",
                        sc->period_date[i], sc->period_date[i - 1]);
    }
    sc->period_start = 0;
    sc->period_step = 0;
    return 0;
}

static int parse_periods(ctx *c, yaml_node_t *key, yaml_node_t *n)
{
    static const char *const keys[] = {"start", "count", "step", "labels", "dates", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "periods", keys);
    if (rc)
        return rc;
    yaml_node_t *kstart = NULL, *kcount = NULL, *kstep = NULL, *kdates = NULL;
    yaml_node_t *start = get(c, n, "start", &kstart), *count = get(c, n, "count", &kcount);
    yaml_node_t *step = get(c, n, "step", &kstep), *labels = get(c, n, "labels", NULL);
    yaml_node_t *dates = get(c, n, "dates", &kdates);
    if (labels) {
        yaml_node_t *other = kstart ? kstart : kcount ? kcount : kstep;
        if (other)
            return fail(c, other, "periods",
                        "give either start + count (+ step) or labels + dates, not both");
        return parse_periods_labels(c, labels, dates);
    }
    if (dates)
        return fail(c, kdates, "periods.dates", "only allowed together with periods.labels");
    if (!start && !count)
        return fail(c, key, "periods", "expected start + count (+ step) or labels + dates");
    if (!start)
        return fail(c, key, "periods.start", "required key is missing");
    if (!count)
        return fail(c, key, "periods.count", "required key is missing");
    int y0, cnt, st = 1;
    if ((rc = get_int(c, start, "periods.start", 1, 9999, 0, "", &y0)) ||
        (rc = get_int(c, count, "periods.count", 1, MAX_PERIODS, 0, "", &cnt)) ||
        (step && (rc = get_int(c, step, "periods.step", 1, 100, 0, "", &st))))
        return rc;
    if (y0 + (cnt - 1) * st > 9999)
        return fail(c, count, "periods.count", "the last period would start after year 9999");
    if ((rc = alloc_periods(c, cnt)))
        return rc;
    for (int i = 0; i < cnt; i++) {
        sc->period_label[i] = r5g_asprintf("%d", y0 + i * st);
        sc->period_date[i] = r5g_asprintf("%04d-01-01", y0 + i * st);
        if (!sc->period_label[i] || !sc->period_date[i])
            return oom(c);
    }
    sc->period_start = y0;
    sc->period_step = st;
    return 0;
}

/* Period of a target key: a label, or a year inside the horizon (start form). */
static int target_period(ctx *c, yaml_node_t *k, const char *path, int *out)
{
    const pl_scenario *sc = c->sc;
    const char *t = pl_yaml_text(k);
    for (int i = 0; i < sc->n_periods; i++) {
        if (!strcmp(sc->period_label[i], t)) {
            *out = i + 1;
            return 0;
        }
    }
    double y;
    if (sc->period_start > 0 && !number_text(t, &y) && y == floor(y) && y >= sc->period_start &&
        y < (double)sc->period_start + (double)sc->n_periods * sc->period_step) {
        *out = (int)((y - sc->period_start) / sc->period_step) + 1;
        return 0;
    }
    if (sc->period_start > 0)
        return fail(c, k, path, "period '%s' is not in the horizon (%s to %s)", t,
                    sc->period_label[0], sc->period_label[sc->n_periods - 1]);
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (int i = 0; i < sc->n_periods && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 sc->period_label[i]);
    return fail(c, k, path, "period '%s' is not one of the period labels (%s)", t, list);
}

/* ---- budget --------------------------------------------------------------- */

static int parse_budget(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"capex", "carry_over", "max_new_sites", NULL};
    pl_scenario *sc = c->sc;
    int T = sc->n_periods, rc = check_map(c, n, "budget", keys);
    if (rc)
        return rc;
    yaml_node_t *v;
    char note[64];
    if ((v = get(c, n, "capex", NULL))) {
        if (v->type == YAML_SEQUENCE_NODE) {
            if (seq_len(v) != T)
                return fail(c, v, "budget.capex", "expected %d values (one per period), got %d",
                            T, seq_len(v));
            for (int i = 0; i < T; i++) {
                snprintf(note, sizeof note, " (period %s)", sc->period_label[i]);
                if ((rc = get_number(c, seq_item(c, v, i), "budget.capex", R_GE0, 1, note,
                                     &sc->budget[i])))
                    return rc;
            }
        } else {
            double b;
            if ((rc = get_number(c, v, "budget.capex", R_GE0, 1, "", &b)))
                return rc;
            for (int i = 0; i < T; i++)
                sc->budget[i] = b;
        }
    }
    if ((v = get(c, n, "carry_over", NULL)) &&
        (rc = get_bool(c, v, "budget.carry_over", &sc->carry_over)))
        return rc;
    if ((v = get(c, n, "max_new_sites", NULL))) {
        if (!(sc->max_new_sites = calloc((size_t)T, sizeof *sc->max_new_sites)))
            return oom(c);
        if (v->type == YAML_SEQUENCE_NODE) {
            if (seq_len(v) != T)
                return fail(c, v, "budget.max_new_sites",
                            "expected %d values (one per period), got %d", T, seq_len(v));
            for (int i = 0; i < T; i++) {
                snprintf(note, sizeof note, " (period %s)", sc->period_label[i]);
                if ((rc = get_int(c, seq_item(c, v, i), "budget.max_new_sites", 0, 1000000000, 1,
                                  note, &sc->max_new_sites[i])))
                    return rc;
            }
        } else {
            int m;
            if ((rc = get_int(c, v, "budget.max_new_sites", 0, 1000000000, 1, "", &m)))
                return rc;
            for (int i = 0; i < T; i++)
                sc->max_new_sites[i] = m;
        }
    }
    return 0;
}

/* ---- layers ----------------------------------------------------------------- */

static int parse_open_options(ctx *c, yaml_node_t *n, const char *path, pl_layer *L)
{
    int rc, count;
    if (n->type == YAML_MAPPING_NODE) {
        if ((rc = check_map(c, n, path, NULL)))
            return rc;
        count = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    } else {
        if ((rc = want(c, n, YAML_SEQUENCE_NODE, path)))
            return rc;
        count = seq_len(n);
    }
    if (!(L->open_options = calloc((size_t)count + 1, sizeof *L->open_options)))
        return oom(c);
    if (n->type == YAML_MAPPING_NODE) {
        int i = 0;
        FOR_PAIRS(p, n) {
            yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
            char kp[PATH_MAX_KEY];
            join(kp, sizeof kp, path, pl_yaml_text(k));
            if ((rc = want(c, v, YAML_SCALAR_NODE, kp)))
                return rc;
            if (!*pl_yaml_text(k))
                return fail(c, k, path, "expected KEY=VALUE, got '=%s'", pl_yaml_text(v));
            if (!(L->open_options[i++] = r5g_asprintf("%s=%s", pl_yaml_text(k), pl_yaml_text(v))))
                return oom(c);
        }
        return 0;
    }
    for (int i = 0; i < count; i++) {
        yaml_node_t *it = seq_item(c, n, i);
        if ((rc = get_str(c, it, path, &L->open_options[i])))
            return rc;
        const char *eq = strchr(L->open_options[i], '=');
        if (!eq || eq == L->open_options[i])
            return fail(c, it, path, "expected KEY=VALUE, got '%s'", L->open_options[i]);
    }
    return 0;
}

/* keep_fields: `all`, or a list of field names (not empty, each once). */
static int parse_keep_fields(ctx *c, yaml_node_t *n, const char *path, pl_layer *L)
{
    int rc;
    if (n->type == YAML_SCALAR_NODE && strcmp(pl_yaml_text(n), "all") == 0) {
        L->keep_all = 1;
        L->keep_all_at = at_of(c, n);
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        char got[96];
        pl_yaml_describe(n, got, sizeof got);
        return fail(c, n, path, "expected a list of field names or all, got %s", got);
    }
    int count = seq_len(n);
    if (count < 1)
        return fail(c, n, path, "the list is empty (give field names, or all)");
    if (!(L->keep = calloc((size_t)count, sizeof *L->keep)) ||
        !(L->keep_at = calloc((size_t)count, sizeof *L->keep_at)))
        return oom(c);
    for (int i = 0; i < count; i++) {
        yaml_node_t *it = seq_item(c, n, i);
        char ip[PATH_MAX_KEY + 16];
        snprintf(ip, sizeof ip, "%.*s[%d]", PATH_MAX_KEY - 1, path, i);
        if ((rc = get_str(c, it, ip, &L->keep[i])))
            return rc;
        L->n_keep = i + 1;
        L->keep_at[i] = at_of(c, it);
        for (int k = 0; k < i; k++)
            if (strcasecmp(L->keep[k], L->keep[i]) == 0)
                return fail(c, it, ip, "field '%s' is listed twice", L->keep[i]);
    }
    return 0;
}

/* A layer section (name: its key path, "demand" or "demand[1]"); the valid
 * `fields:` keys come from the section's field table (schema.c). */
static int parse_layer(ctx *c, yaml_node_t *key, yaml_node_t *n, pl_section sec, const char *name,
                       pl_layer *L)
{
    static const char *const keys[] = {"source", "layer", "where", "crs", "open_options",
                                       "fields", "on_invalid", "keep_fields", NULL};
    static const char *const region_keys[] = {"source", "layer", "where", "crs", "open_options",
                                              "fields", "on_invalid", NULL};
    static const char *const demand_keys[] = {"source", "layer", "where", "crs", "open_options",
                                              "fields", "on_invalid", "sector", "id_prefix",
                                              "keep_fields", NULL};
    static const char *const on_invalid[] = {"error", "skip", NULL};
    char kp[PATH_MAX_KEY];
    int is_demand = sec == PL_SEC_DEMAND;
    int rc = check_map(c, n, name, is_demand ? demand_keys : sec == PL_SEC_REGIONS ? region_keys : keys);
    if (rc)
        return rc;
    L->present = 1;
    L->line = pl_yaml_line(key);
    if (!(L->label = r5g_strdup(name)))
        return oom(c);
    yaml_node_t *v;
    if (!(v = get(c, n, "source", NULL))) {
        join(kp, sizeof kp, name, "source");
        return fail(c, key, kp, "required key is missing");
    }
    join(kp, sizeof kp, name, "source");
    if ((rc = get_path(c, v, kp, &L->source)))
        return rc;
    if ((v = get(c, n, "layer", NULL))) {
        join(kp, sizeof kp, name, "layer");
        if ((rc = get_str(c, v, kp, &L->layer)))
            return rc;
    }
    if ((v = get(c, n, "where", NULL))) {
        join(kp, sizeof kp, name, "where");
        if ((rc = get_str(c, v, kp, &L->where)))
            return rc;
    }
    if ((v = get(c, n, "crs", NULL))) {
        join(kp, sizeof kp, name, "crs");
        if ((rc = get_str(c, v, kp, &L->crs)))
            return rc;
        L->crs_at = at_of(c, v);
    }
    if (is_demand && (v = get(c, n, "sector", NULL))) {
        join(kp, sizeof kp, name, "sector");
        if ((rc = get_str(c, v, kp, &L->sector)))
            return rc;
    }
    if (is_demand && (v = get(c, n, "id_prefix", NULL))) {
        join(kp, sizeof kp, name, "id_prefix");
        if ((rc = get_str(c, v, kp, &L->id_prefix)))
            return rc;
    }
    if ((v = get(c, n, "on_invalid", NULL))) {
        join(kp, sizeof kp, name, "on_invalid");
        if ((rc = get_enum(c, v, kp, on_invalid, &L->skip_invalid)))
            return rc;
    }
    if ((v = get(c, n, "open_options", NULL))) {
        join(kp, sizeof kp, name, "open_options");
        if ((rc = parse_open_options(c, v, kp, L)))
            return rc;
    }
    if ((v = get(c, n, "keep_fields", NULL))) {
        join(kp, sizeof kp, name, "keep_fields");
        if ((rc = parse_keep_fields(c, v, kp, L)))
            return rc;
    }
    if ((v = get(c, n, "fields", NULL))) {
        char fp[PATH_MAX_KEY];
        join(fp, sizeof fp, name, "fields");
        const char *fields[PL_F_COUNT + 1];
        if ((rc = check_map(c, v, fp, pl_schema_keys(sec, fields))))
            return rc;
        FOR_PAIRS(p, v) {
            yaml_node_t *k = node_at(c, p->key);
            pl_field f = pl_field_of(pl_yaml_text(k)); /* a valid key: check_map said so */
            join(kp, sizeof kp, fp, pl_yaml_text(k));
            if ((rc = get_str(c, node_at(c, p->value), kp, &L->field[f])))
                return rc;
            L->field_line[f] = pl_yaml_line(k);
        }
    }
    return 0;
}

/* `demand`: one layer (a mapping), or a list of them ("demand[0]", ...). */
static int parse_demand(ctx *c, yaml_node_t *key, yaml_node_t *n)
{
    pl_scenario *sc = c->sc;
    if (n->type != YAML_SEQUENCE_NODE) {
        if (n->type != YAML_MAPPING_NODE) {
            char got[96];
            pl_yaml_describe(n, got, sizeof got);
            return fail(c, n, "demand", "expected a layer (a mapping: source, fields, ...) or a "
                        "list of layers, got %s", got);
        }
        return parse_layer(c, key, n, PL_SEC_DEMAND, "demand", &sc->demand);
    }
    int count = seq_len(n);
    if (count < 1)
        return fail(c, n, "demand", "the list of demand layers is empty");
    if (count > 1 && !(sc->demand_more = calloc((size_t)count - 1, sizeof *sc->demand_more)))
        return oom(c);
    for (int i = 0; i < count; i++) {
        yaml_node_t *item = seq_item(c, n, i);
        char name[32];
        snprintf(name, sizeof name, "demand[%d]", i);
        pl_layer *L = i == 0 ? &sc->demand : &sc->demand_more[i - 1];
        int rc = parse_layer(c, item, item, PL_SEC_DEMAND, name, L);
        sc->n_demand_more = i; /* the items begun so far, for pl_scenario_free */
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- radio ---------------------------------------------------------------------- */

static int parse_bands(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"frequency_ghz", "max_path_loss_db", "height_m",
                                       "capacity_mbps", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "radio.bands", NULL);
    if (rc)
        return rc;
    int count = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count < 1)
        return fail(c, n, "radio.bands", "at least one band is required");
    for (int i = 0; i < sc->n_bands; i++)
        free(sc->bands[i].name);
    free(sc->bands);
    sc->n_bands = 0;
    if (!(sc->bands = calloc((size_t)count, sizeof *sc->bands)))
        return oom(c);
    FOR_PAIRS(p, n) {
        yaml_node_t *k = node_at(c, p->key), *b = node_at(c, p->value), *v;
        char bp[PATH_MAX_KEY], kp[PATH_MAX_KEY];
        join(bp, sizeof bp, "radio.bands", pl_yaml_text(k));
        if (!*pl_yaml_text(k))
            return fail(c, k, "radio.bands", "a band name is empty");
        if ((rc = check_map(c, b, bp, keys)))
            return rc;
        pl_band *band = &sc->bands[sc->n_bands++];
        if (!(band->name = r5g_strdup(pl_yaml_text(k))))
            return oom(c);
        band->height_m = 25;
        band->capacity_mbps = 1000;
        double *dst[] = {&band->frequency_ghz, &band->max_path_loss_db, &band->height_m,
                         &band->capacity_mbps};
        for (int j = 0; keys[j]; j++) {
            join(kp, sizeof kp, bp, keys[j]);
            if (!(v = get(c, b, keys[j], NULL))) {
                if (j < 2)
                    return fail(c, k, kp, "required key is missing");
                continue;
            }
            if ((rc = get_number(c, v, kp, R_GT0, 0, "", dst[j])))
                return rc;
        }
    }
    return 0;
}

static int parse_clutter(ctx *c, yaml_node_t *key, yaml_node_t *n)
{
    static const char *const keys[] = {"source", "classes", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "radio.clutter", keys);
    if (rc)
        return rc;
    yaml_node_t *v, *classes;
    if (!(v = get(c, n, "source", NULL)))
        return fail(c, key, "radio.clutter.source", "required key is missing");
    if ((rc = get_path(c, v, "radio.clutter.source", &sc->clutter)))
        return rc;
    sc->clutter_at = at_of(c, v);
    if (!(classes = get(c, n, "classes", NULL)))
        return fail(c, key, "radio.clutter.classes", "required key is missing");
    if ((rc = check_map(c, classes, "radio.clutter.classes", NULL)))
        return rc;
    int count = (int)(classes->data.mapping.pairs.top - classes->data.mapping.pairs.start);
    if (count < 1)
        return fail(c, classes, "radio.clutter.classes", "at least one class is required");
    if (!(sc->clutter_classes = calloc((size_t)count, sizeof *sc->clutter_classes)))
        return oom(c);
    FOR_PAIRS(p, classes) {
        yaml_node_t *k = node_at(c, p->key);
        char kp[PATH_MAX_KEY];
        join(kp, sizeof kp, "radio.clutter.classes", pl_yaml_text(k));
        double cv;
        if (number_text(pl_yaml_text(k), &cv) || cv != floor(cv) || fabs(cv) > 1e15)
            return fail(c, k, "radio.clutter.classes", "class '%s' is not an integer raster value",
                        pl_yaml_text(k));
        int env;
        if ((rc = get_enum(c, node_at(c, p->value), kp, environments, &env)))
            return rc;
        char name[32];
        snprintf(name, sizeof name, "%.0f", cv);
        for (int j = 0; j < sc->n_clutter_classes; j++) /* 1 and 1.0 are one raster value */
            if (!strcmp(sc->clutter_classes[j].name, name))
                return fail(c, k, "radio.clutter.classes", "raster value %s is given twice (as "
                            "'%s', first on line %d)", name, pl_yaml_text(k), sc->clutter_classes[j].at);
        pl_weight *w = &sc->clutter_classes[sc->n_clutter_classes++];
        w->value = env;
        w->at = pl_yaml_line(k);
        if (!(w->name = r5g_strdup(name)))
            return oom(c);
    }
    return 0;
}

static int parse_radio(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"model", "radius_m", "environment", "shadow_margin_db",
                                       "indoor_loss_db", "bands", "dem", "clutter",
                                       "ut_height_m", "nlos", NULL};
    static const char *const nlos_modes[] = {"model", "drop", NULL};
    static const char *const models[] = {"fixed_radius", "tr38901", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "radio", keys), iv;
    if (rc)
        return rc;
    yaml_node_t *v, *k;
    if ((v = get(c, n, "model", NULL))) {
        if ((rc = get_enum(c, v, "radio.model", models, &iv)))
            return rc;
        sc->radio_model = iv ? PL_RADIO_TR38901 : PL_RADIO_FIXED_RADIUS;
    }
    if ((v = get(c, n, "radius_m", NULL)) &&
        (rc = get_number(c, v, "radio.radius_m", R_GT0, 0, "", &sc->radius_m)))
        return rc;
    if ((v = get(c, n, "environment", NULL))) {
        if ((rc = get_enum(c, v, "radio.environment", environments, &iv)))
            return rc;
        char *e = r5g_strdup(environments[iv]);
        if (!e)
            return oom(c);
        free(sc->environment);
        sc->environment = e;
    }
    if ((v = get(c, n, "shadow_margin_db", NULL)) &&
        (rc = get_number(c, v, "radio.shadow_margin_db", R_GE0, 0, "", &sc->shadow_margin_db)))
        return rc;
    if ((v = get(c, n, "indoor_loss_db", NULL)) &&
        (rc = get_number(c, v, "radio.indoor_loss_db", R_GE0, 0, "", &sc->indoor_loss_db)))
        return rc;
    if ((v = get(c, n, "bands", NULL)) && (rc = parse_bands(c, v)))
        return rc;
    if ((v = get(c, n, "dem", NULL))) {
        if ((rc = get_path(c, v, "radio.dem", &sc->dem)))
            return rc;
        sc->dem_at = at_of(c, v);
    }
    if ((v = get(c, n, "clutter", &k)) && (rc = parse_clutter(c, k, v)))
        return rc;
    if ((v = get(c, n, "ut_height_m", NULL)) &&
        (rc = get_number(c, v, "radio.ut_height_m", R_GT0, 0, "", &sc->ut_height_m)))
        return rc;
    if ((v = get(c, n, "nlos", NULL))) {
        if ((rc = get_enum(c, v, "radio.nlos", nlos_modes, &iv)))
            return rc;
        sc->nlos_drop = iv;
    }
    return 0;
}

/* ---- sectors, lead, targets, model, solver, output ----------------------------- */

static int parse_sectors(ctx *c, yaml_node_t *n)
{
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "sectors", NULL);
    if (rc)
        return rc;
    int count = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count && !(sc->sectors = calloc((size_t)count, sizeof *sc->sectors)))
        return oom(c);
    FOR_PAIRS(p, n) {
        yaml_node_t *k = node_at(c, p->key);
        char kp[PATH_MAX_KEY];
        join(kp, sizeof kp, "sectors", pl_yaml_text(k));
        if (!*pl_yaml_text(k))
            return fail(c, k, "sectors", "a sector name is empty");
        pl_weight *w = &sc->sectors[sc->n_sectors];
        if ((rc = get_number(c, node_at(c, p->value), kp, R_GE0, 0, "", &w->value)))
            return rc;
        w->at = at_of(c, k);
        if (!(w->name = r5g_strdup(pl_yaml_text(k))))
            return oom(c);
        sc->n_sectors++;
    }
    return 0;
}

static int parse_lead(ctx *c, yaml_node_t *n, yaml_node_t **max_node)
{
    static const char *const keys[] = {"lead_periods", "max_lead_periods", "on_time_required",
                                       NULL};
    static const char *const ontime[] = {"none", "whitelist", "all", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "ahead_of_demand", keys), iv;
    if (rc)
        return rc;
    yaml_node_t *v;
    if ((v = get(c, n, "lead_periods", NULL)) &&
        (rc = get_int(c, v, "ahead_of_demand.lead_periods", 0, MAX_PERIODS, 0, "",
                      &sc->lead_periods)))
        return rc;
    if ((v = get(c, n, "max_lead_periods", NULL))) {
        if ((rc = get_int(c, v, "ahead_of_demand.max_lead_periods", 0, MAX_PERIODS, 0, "",
                          &sc->max_lead_periods)))
            return rc;
        *max_node = v;
    }
    if ((v = get(c, n, "on_time_required", NULL))) {
        if ((rc = get_enum(c, v, "ahead_of_demand.on_time_required", ontime, &iv)))
            return rc;
        sc->on_time_required = iv == 0 ? PL_ONTIME_NONE : iv == 1 ? PL_ONTIME_WHITELIST
                                                                  : PL_ONTIME_ALL;
    }
    return 0;
}

/* {period: value} -> targets appended to *arr. */
static int parse_period_map(ctx *c, yaml_node_t *n, const char *path, int rule,
                            const yaml_node_t *sector, pl_target **arr, int *count)
{
    int rc = check_map(c, n, path, NULL);
    if (rc)
        return rc;
    int add = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    pl_target *grown = realloc(*arr, (size_t)(*count + add + 1) * sizeof *grown);
    if (!grown)
        return oom(c);
    *arr = grown;
    int first = *count;
    FOR_PAIRS(p, n) {
        yaml_node_t *k = node_at(c, p->key);
        pl_target t = {0};
        char kp[PATH_MAX_KEY];
        join(kp, sizeof kp, path, pl_yaml_text(k));
        if ((rc = target_period(c, k, path, &t.period)))
            return rc;
        for (int i = first; i < *count; i++)
            if ((*arr)[i].period == t.period)
                return fail(c, k, path, "'%s' falls in period %s, already given on line %d",
                            pl_yaml_text(k), c->sc->period_label[t.period - 1], (*arr)[i].line);
        if ((rc = get_number(c, node_at(c, p->value), kp, rule, 0, "", &t.value)))
            return rc;
        t.line = pl_yaml_line(k);
        if (sector) {
            if (!(t.sector = r5g_strdup(pl_yaml_text(sector))))
                return oom(c);
            t.sector_at = at_of(c, sector);
        }
        (*arr)[(*count)++] = t;
    }
    return 0;
}

static int parse_targets(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"coverage_share", "sector_share", "sites_per_10k_people",
                                       NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "targets", keys);
    if (rc)
        return rc;
    yaml_node_t *v;
    if ((v = get(c, n, "coverage_share", NULL)) &&
        (rc = parse_period_map(c, v, "targets.coverage_share", R_SHARE, NULL,
                               &sc->coverage_targets, &sc->n_coverage_targets)))
        return rc;
    yaml_node_t *kd;
    if ((v = get(c, n, "sites_per_10k_people", &kd))) {
        if (!sc->regions.present)
            return fail(c, kd, "targets.sites_per_10k_people",
                        "needs a regions layer with a population (regions: with "
                        "fields.population)");
        if ((rc = parse_period_map(c, v, "targets.sites_per_10k_people", R_GE0, NULL,
                                   &sc->density_targets, &sc->n_density_targets)))
            return rc;
    }
    if ((v = get(c, n, "sector_share", NULL))) {
        if ((rc = check_map(c, v, "targets.sector_share", NULL)))
            return rc;
        FOR_PAIRS(p, v) {
            yaml_node_t *k = node_at(c, p->key);
            char kp[PATH_MAX_KEY];
            if (!*pl_yaml_text(k))
                return fail(c, k, "targets.sector_share", "a sector name is empty");
            join(kp, sizeof kp, "targets.sector_share", pl_yaml_text(k));
            if ((rc = parse_period_map(c, node_at(c, p->value), kp, R_SHARE, k,
                                       &sc->sector_targets, &sc->n_sector_targets)))
                return rc;
        }
    }
    return 0;
}

static int parse_solver(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"time_limit_s", "mip_gap", "presolve", "cuts",
                                       "heuristics", "feasibility_pump", "proximity_search",
                                       "decompose", "workers", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "solver", keys);
    if (rc)
        return rc;
    yaml_node_t *v;
    if ((v = get(c, n, "time_limit_s", NULL)) &&
        (rc = get_number(c, v, "solver.time_limit_s", R_GT0, 0, "", &sc->time_limit_s)))
        return rc;
    if ((v = get(c, n, "mip_gap", NULL)) &&
        (rc = get_number(c, v, "solver.mip_gap", R_RATE, 0, "", &sc->mip_gap)))
        return rc;
    if ((v = get(c, n, "presolve", NULL)) && v->type == YAML_SCALAR_NODE && !strcasecmp(pl_yaml_text(v), "auto"))
        sc->presolve = -1;
    else if (v && (rc = get_bool(c, v, "solver.presolve", &sc->presolve)))
        return rc;
    if ((v = get(c, n, "decompose", NULL)) && v->type == YAML_SCALAR_NODE && !strcasecmp(pl_yaml_text(v), "auto"))
        sc->decompose = -1;
    else if (v && (rc = get_bool(c, v, "solver.decompose", &sc->decompose)))
        return rc;
    if ((v = get(c, n, "workers", NULL)) && v->type == YAML_SCALAR_NODE && !strcasecmp(pl_yaml_text(v), "auto"))
        sc->workers = 0;
    else if (v && (rc = get_int(c, v, "solver.workers", 1, 64, 0, "", &sc->workers)))
        return rc;
    if ((v = get(c, n, "cuts", NULL)) && (rc = get_bool(c, v, "solver.cuts", &sc->cuts)))
        return rc;
    if ((v = get(c, n, "heuristics", NULL)) &&
        (rc = get_bool(c, v, "solver.heuristics", &sc->heuristics)))
        return rc;
    if ((v = get(c, n, "feasibility_pump", NULL)) &&
        (rc = get_bool(c, v, "solver.feasibility_pump", &sc->feasibility_pump)))
        return rc;
    if ((v = get(c, n, "proximity_search", NULL)) &&
        (rc = get_bool(c, v, "solver.proximity_search", &sc->proximity_search)))
        return rc;
    return 0;
}

static int parse_output(ctx *c, yaml_node_t *n)
{
    static const char *const keys[] = {"path", "format", "crs", "links", NULL};
    pl_scenario *sc = c->sc;
    int rc = check_map(c, n, "output", keys);
    if (rc)
        return rc;
    yaml_node_t *v;
    if ((v = get(c, n, "path", NULL)) && (rc = get_path(c, v, "output.path", &sc->output_path)))
        return rc;
    if ((v = get(c, n, "format", NULL))) {
        if ((rc = get_str(c, v, "output.format", &sc->output_format)))
            return rc;
        sc->output_format_at = at_of(c, v);
    }
    if ((v = get(c, n, "crs", NULL))) {
        if ((rc = get_str(c, v, "output.crs", &sc->output_crs)))
            return rc;
        sc->output_crs_at = at_of(c, v);
    }
    if ((v = get(c, n, "links", NULL)) && (rc = get_bool(c, v, "output.links", &sc->output_links)))
        return rc;
    return 0;
}

/* ---- the whole file ---------------------------------------------------------------- */

static int set_defaults(ctx *c)
{
    pl_scenario *sc = c->sc;
    sc->carry_over = 1;
    sc->radio_model = PL_RADIO_FIXED_RADIUS;
    sc->radius_m = 800;
    sc->shadow_margin_db = 0;
    sc->indoor_loss_db = 15;
    sc->ut_height_m = 1.5;
    sc->whitelist_multiplier = 1;
    sc->max_lead_periods = -1; /* set to lead_periods after parsing unless given */
    sc->on_time_required = PL_ONTIME_NONE;
    sc->objective = PL_OBJ_MAX_COVERAGE;
    sc->time_limit_s = 300;
    sc->mip_gap = 0.005;
    sc->presolve = -1; /* auto */
    sc->decompose = -1; /* auto */
    sc->workers = 0;    /* the online processors */
    sc->cuts = sc->heuristics = 1;
    sc->feasibility_pump = 0; /* measured: 2-10x slower on SJC (docs/model.md) */
    sc->proximity_search = 1;
    sc->environment = r5g_strdup("uma");
    sc->crs = r5g_strdup("auto");
    sc->output_format = r5g_strdup("GPKG");
    sc->output_path = !strcmp(sc->dir, ".") ? r5g_strdup("plan.gpkg")
                      : r5g_asprintf("%s%splan.gpkg", sc->dir,
                                     sc->dir[strlen(sc->dir) - 1] == '/' ? "" : "/");
    sc->bands = calloc(1, sizeof *sc->bands);
    if (!sc->environment || !sc->crs || !sc->output_format || !sc->output_path || !sc->bands)
        return oom(c);
    sc->n_bands = 1;
    sc->bands[0] = (pl_band){r5g_strdup("n78"), 3.5, 128, 25, 1000};
    return sc->bands[0].name ? 0 : oom(c);
}

static int parse_root(ctx *c, yaml_node_t *root)
{
    static const char *const keys[] = {
        "version", "name", "crs", "periods", "budget", "demand", "candidates", "existing",
        "regions", "radio", "sectors", "whitelist_multiplier", "ahead_of_demand", "objective",
        "discount_rate", "targets", "model", "solver", "output", "committed", NULL};
    static const char *const objectives[] = {"max_coverage", "min_cost", NULL};
    pl_scenario *sc = c->sc;
    yaml_node_t *v, *k, *max_node = NULL, *obj_node = NULL;
    int rc, iv;

    if (root->type != YAML_MAPPING_NODE) {
        char got[96];
        pl_yaml_describe(root, got, sizeof got);
        return fail(c, root, "", "expected a mapping of scenario keys (version, name, ...), got %s",
                    got);
    }
    if ((rc = check_map(c, root, "", keys)))
        return rc;
    static const char *const required[] = {"version", "name", "periods", "demand", "candidates",
                                           NULL};
    for (int i = 0; required[i]; i++)
        if (!get(c, root, required[i], NULL))
            return fail(c, NULL, required[i], "required key is missing");

    v = get(c, root, "version", NULL);
    if ((rc = get_int(c, v, "version", 0, 1000000, 0, "", &sc->version)))
        return rc;
    if (sc->version != 1)
        return fail(c, v, "version",
                    "unsupported scenario format version %d (this rollout5g reads version 1)",
                    sc->version);
    if ((rc = get_str(c, get(c, root, "name", NULL), "name", &sc->name)))
        return rc;
    if ((v = get(c, root, "crs", NULL))) {
        if ((rc = get_str(c, v, "crs", &sc->crs)))
            return rc;
        sc->crs_at = at_of(c, v);
    }
    v = get(c, root, "periods", &k);
    if ((rc = parse_periods(c, k, v)))
        return rc;
    if (!(sc->budget = malloc((size_t)sc->n_periods * sizeof *sc->budget)))
        return oom(c);
    for (int i = 0; i < sc->n_periods; i++)
        sc->budget[i] = HUGE_VAL;
    if ((v = get(c, root, "budget", NULL)) && (rc = parse_budget(c, v)))
        return rc;

    v = get(c, root, "demand", &k);
    if ((rc = parse_demand(c, k, v)))
        return rc;
    v = get(c, root, "candidates", &k);
    if ((rc = parse_layer(c, k, v, PL_SEC_CANDIDATES, "candidates", &sc->candidates)))
        return rc;
    if ((v = get(c, root, "existing", &k)) &&
        (rc = parse_layer(c, k, v, PL_SEC_EXISTING, "existing", &sc->existing)))
        return rc;
    if ((v = get(c, root, "regions", &k)) &&
        (rc = parse_layer(c, k, v, PL_SEC_REGIONS, "regions", &sc->regions)))
        return rc;
    if ((v = get(c, root, "committed", &k)) &&
        (rc = parse_layer(c, k, v, PL_SEC_COMMITTED, "committed", &sc->committed)))
        return rc;

    if ((v = get(c, root, "radio", NULL)) && (rc = parse_radio(c, v)))
        return rc;
    if ((v = get(c, root, "sectors", NULL)) && (rc = parse_sectors(c, v)))
        return rc;
    if ((v = get(c, root, "whitelist_multiplier", NULL)) &&
        (rc = get_number(c, v, "whitelist_multiplier", R_GE0, 0, "", &sc->whitelist_multiplier)))
        return rc;
    if ((v = get(c, root, "ahead_of_demand", NULL)) && (rc = parse_lead(c, v, &max_node)))
        return rc;
    if (max_node && sc->max_lead_periods < sc->lead_periods)
        return fail(c, max_node, "ahead_of_demand.max_lead_periods",
                    "%d is less than lead_periods (%d)", sc->max_lead_periods, sc->lead_periods);
    /* Without max_lead_periods the window is tight: coverage earns credit
     * from (appearance - lead_periods) on, and no earlier. */
    if (!max_node)
        sc->max_lead_periods = sc->lead_periods;
    if ((obj_node = get(c, root, "objective", NULL))) {
        if ((rc = get_enum(c, obj_node, "objective", objectives, &iv)))
            return rc;
        sc->objective = iv ? PL_OBJ_MIN_COST : PL_OBJ_MAX_COVERAGE;
    }
    if ((v = get(c, root, "discount_rate", NULL)) &&
        (rc = get_number(c, v, "discount_rate", R_RATE, 0, "", &sc->discount_rate)))
        return rc;
    if ((v = get(c, root, "targets", NULL)) && (rc = parse_targets(c, v)))
        return rc;
    if (sc->objective == PL_OBJ_MIN_COST &&
        sc->n_coverage_targets + sc->n_sector_targets + sc->n_density_targets == 0)
        return fail(c, obj_node, "objective",
                    "min_cost requires targets (coverage_share, sector_share or "
                    "sites_per_10k_people)");
    if ((v = get(c, root, "model", NULL))) {
        static const char *const mkeys[] = {"capacity", NULL};
        yaml_node_t *cap;
        if ((rc = check_map(c, v, "model", mkeys)))
            return rc;
        if ((cap = get(c, v, "capacity", NULL)) &&
            (rc = get_bool(c, cap, "model.capacity", &sc->capacity)))
            return rc;
    }
    if ((v = get(c, root, "solver", NULL)) && (rc = parse_solver(c, v)))
        return rc;
    if ((v = get(c, root, "output", NULL)) && (rc = parse_output(c, v)))
        return rc;
    return 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return r5g_strdup(".");
    if (slash == path)
        return r5g_strdup("/");
    return r5g_strndup(path, (size_t)(slash - path));
}

/* Copies node `id` of src (and everything below it) into dst, every new
 * node marked with `mark`; returns the new node id, 0 on out of memory. */
static int copy_node(yaml_document_t *dst, yaml_document_t *src, int id, size_t mark)
{
    yaml_node_t *n = yaml_document_get_node(src, id);
    int nid = 0;
    if (!n)
        return 0;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        nid = yaml_document_add_scalar(dst, n->tag, n->data.scalar.value, (int)n->data.scalar.length,
                                       n->data.scalar.style);
        break;
    case YAML_SEQUENCE_NODE:
        nid = yaml_document_add_sequence(dst, n->tag, n->data.sequence.style);
        for (yaml_node_item_t *it = n->data.sequence.items.start; nid && it < n->data.sequence.items.top; it++) {
            int child = copy_node(dst, src, *it, mark);
            if (!child || !yaml_document_append_sequence_item(dst, nid, child))
                return 0;
            n = yaml_document_get_node(src, id); /* src is not touched, but keep it simple */
        }
        break;
    case YAML_MAPPING_NODE:
        nid = yaml_document_add_mapping(dst, n->tag, n->data.mapping.style);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; nid && p < n->data.mapping.pairs.top; p++) {
            int k = copy_node(dst, src, p->key, mark), v = copy_node(dst, src, p->value, mark);
            if (!k || !v || !yaml_document_append_mapping_pair(dst, nid, k, v))
                return 0;
        }
        break;
    default:
        return 0;
    }
    if (nid)
        yaml_document_get_node(dst, nid)->start_mark.index = mark;
    return nid;
}

/* Puts override k into the document: its value (YAML text) at its dotted
 * key path, creating the mappings on the way. */
static int apply_override(ctx *c, int k)
{
    const pl_override *o = &c->ov[k];
    const char *origin = o->origin ? o->origin : "override";
    yaml_parser_t p;
    yaml_document_t vd;
    int rc = 0, p_ok = 0, d_ok = 0;
    char *path = r5g_strdup(o->path ? o->path : "");
    if (!path)
        return oom(c);
    if (!*path) {
        rc = r5g_err_set(c->err, R5G_EINPUT, "%s: empty scenario key path", origin);
        goto out;
    }
    if (!yaml_parser_initialize(&p)) {
        rc = oom(c);
        goto out;
    }
    p_ok = 1;
    const char *text = o->yaml ? o->yaml : "";
    yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&p, &vd)) {
        rc = r5g_err_set(c->err, R5G_EINPUT, "%s: %s: value '%s' is not valid YAML: %s", origin, o->path,
                         text, p.problem ? p.problem : "syntax error");
        goto out;
    }
    d_ok = 1;
    yaml_node_t *vroot = yaml_document_get_root_node(&vd);
    int value = vroot ? copy_node(c->doc, &vd, 1, OV_MARK + (size_t)k)
                      : yaml_document_add_scalar(c->doc, NULL, (yaml_char_t *)"", 0, YAML_PLAIN_SCALAR_STYLE);
    if (!value) {
        rc = oom(c);
        goto out;
    }
    int map = 1; /* the root node */
    yaml_node_t *root = yaml_document_get_node(c->doc, map);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = r5g_err_set(c->err, R5G_EINPUT, "%s: the scenario is not a mapping of keys", c->file);
        goto out;
    }
    for (char *seg = path, *next; seg; seg = next) {
        next = strchr(seg, '.');
        if (next)
            *next++ = '\0';
        if (!*seg) {
            rc = r5g_err_set(c->err, R5G_EINPUT, "%s: '%s' is not a scenario key path (empty part)",
                             origin, o->path);
            goto out;
        }
        yaml_node_t *m = yaml_document_get_node(c->doc, map);
        yaml_node_pair_t *hit = NULL;
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < m->data.mapping.pairs.top; q++) {
            yaml_node_t *kn = yaml_document_get_node(c->doc, q->key);
            if (kn && kn->type == YAML_SCALAR_NODE && strcmp((const char *)kn->data.scalar.value, seg) == 0)
                hit = q;
        }
        if (!next) { /* the last part: set or add the value */
            if (hit) {
                hit->value = value;
            } else {
                int key = yaml_document_add_scalar(c->doc, NULL, (yaml_char_t *)seg, (int)strlen(seg),
                                                   YAML_PLAIN_SCALAR_STYLE);
                if (!key || !yaml_document_append_mapping_pair(c->doc, map, key, value)) {
                    rc = oom(c);
                    goto out;
                }
                yaml_document_get_node(c->doc, key)->start_mark.index = OV_MARK + (size_t)k;
            }
            break;
        }
        if (hit) {
            yaml_node_t *child = yaml_document_get_node(c->doc, hit->value);
            if (!child || child->type != YAML_MAPPING_NODE) {
                if (child && child->type == YAML_SCALAR_NODE && child->data.scalar.length == 0) {
                    int nm = yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
                    if (!nm) {
                        rc = oom(c);
                        goto out;
                    }
                    /* hit may have moved with the node stack: find it again below */
                    yaml_node_t *mm = yaml_document_get_node(c->doc, map);
                    for (yaml_node_pair_t *q = mm->data.mapping.pairs.start; q < mm->data.mapping.pairs.top; q++) {
                        yaml_node_t *kn = yaml_document_get_node(c->doc, q->key);
                        if (kn && kn->type == YAML_SCALAR_NODE &&
                            strcmp((const char *)kn->data.scalar.value, seg) == 0)
                            q->value = nm;
                    }
                    map = nm;
                    continue;
                }
                rc = r5g_err_set(c->err, R5G_EINPUT, "%s: %s: '%s' holds a value in %s, not keys", origin,
                                 o->path, seg, c->file);
                goto out;
            }
            map = hit->value;
        } else {
            int key = yaml_document_add_scalar(c->doc, NULL, (yaml_char_t *)seg, (int)strlen(seg),
                                               YAML_PLAIN_SCALAR_STYLE);
            int nm = key ? yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE) : 0;
            if (!nm || !yaml_document_append_mapping_pair(c->doc, map, key, nm)) {
                rc = oom(c);
                goto out;
            }
            yaml_document_get_node(c->doc, key)->start_mark.index = OV_MARK + (size_t)k;
            yaml_document_get_node(c->doc, nm)->start_mark.index = OV_MARK + (size_t)k;
            map = nm;
        }
    }
out:
    if (d_ok)
        yaml_document_delete(&vd);
    if (p_ok)
        yaml_parser_delete(&p);
    free(path);
    return rc;
}

int pl_scenario_load(pl_scenario **out, const char *path, r5g_err *err)
{
    return pl_scenario_load_ex(out, path, NULL, 0, err);
}

int pl_scenario_load_ex(pl_scenario **out, const char *path, const pl_override *ov, int n_ov,
                        r5g_err *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    int parser_ok = 0, doc_ok = 0, rc = 0;
    ctx c = {path, &doc, NULL, err, ov, n_ov, 0};
    struct stat st;
    FILE *f = NULL;

    *out = NULL;
    if (!(f = fopen(path, "rb")))
        return r5g_err_set(err, R5G_EIO, "%s: cannot read scenario file: %s", path,
                           strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot read scenario file: %s", path,
                         strerror(EISDIR));
        goto out;
    }
    if (!(c.sc = calloc(1, sizeof *c.sc)) || !(c.sc->file = r5g_strdup(path)) ||
        !(c.sc->dir = dir_of(path))) {
        rc = oom(&c);
        goto out;
    }
    if ((rc = set_defaults(&c)))
        goto out;
    if (!yaml_parser_initialize(&parser)) {
        rc = oom(&c);
        goto out;
    }
    parser_ok = 1;
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR)
            rc = oom(&c);
        else if (parser.error == YAML_READER_ERROR && parser.problem &&
                 !strcmp(parser.problem, "input error"))
            rc = r5g_err_set(err, R5G_EIO, "%s: cannot read scenario file: %s", path,
                             strerror(errno));
        else if (parser.error == YAML_READER_ERROR) {
            /* reader errors (bad encoding) carry a byte offset, not a mark */
            int line = 1, ch;
            rewind(f);
            for (size_t i = 0; i < parser.problem_offset && (ch = getc(f)) != EOF; i++)
                line += ch == '\n';
            rc = r5g_err_set(err, R5G_EINPUT, "%s:%d: YAML syntax error: %s (byte %zu of the file)",
                             path, line, parser.problem ? parser.problem : "unreadable text",
                             parser.problem_offset + 1);
        } else if (parser.context && parser.context_mark.line != parser.problem_mark.line)
            rc = r5g_err_set(err, R5G_EINPUT,
                             "%s:%d: YAML syntax error: %s (column %d); %s started on line %d",
                             path, (int)parser.problem_mark.line + 1,
                             parser.problem ? parser.problem : "unknown problem",
                             (int)parser.problem_mark.column + 1, parser.context,
                             (int)parser.context_mark.line + 1);
        else
            rc = r5g_err_set(err, R5G_EINPUT, "%s:%d: YAML syntax error: %s (column %d)", path,
                             (int)parser.problem_mark.line + 1,
                             parser.problem ? parser.problem : "unknown problem",
                             (int)parser.problem_mark.column + 1);
        goto out;
    }
    doc_ok = 1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || pl_yaml_is_null(root)) {
        rc = r5g_err_set(err, R5G_EINPUT,
                         "%s: the scenario file is empty (expected keys such as version, name, "
                         "periods, demand, candidates)",
                         path);
        goto out;
    }
    for (int k = 0; k < n_ov && rc == 0; k++)
        rc = apply_override(&c, k);
    if (rc == 0)
        rc = parse_root(&c, yaml_document_get_root_node(&doc));
    if (rc == 0 && n_ov > 0) {
        if (!(c.sc->ov_origin = calloc((size_t)n_ov, sizeof *c.sc->ov_origin)))
            rc = oom(&c);
        for (int k = 0; k < n_ov && rc == 0; k++, c.sc->n_ov++)
            if (!(c.sc->ov_origin[k] = r5g_strdup(ov[k].origin ? ov[k].origin : "override")))
                rc = oom(&c);
    }

out:
    if (doc_ok)
        yaml_document_delete(&doc);
    if (parser_ok)
        yaml_parser_delete(&parser);
    if (f)
        fclose(f);
    if (rc) {
        r5g_err_one_line(err); /* values are quoted as given, line breaks too */
        pl_scenario_free(c.sc);
        return rc;
    }
    *out = c.sc;
    return 0;
}

int pl_scenario_from_document(pl_scenario **out, struct yaml_document_s *doc, const char *file,
                              r5g_err *err)
{
    ctx c = {file, doc, NULL, err, NULL, 0, 1};
    int rc = 0;
    *out = NULL;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!(c.sc = calloc(1, sizeof *c.sc)) || !(c.sc->file = r5g_strdup(file)) ||
        !(c.sc->dir = dir_of(file)))
        rc = oom(&c);
    else if (!(rc = set_defaults(&c)))
        rc = root ? parse_root(&c, root) : r5g_err_set(err, R5G_EINPUT, "%s: no scenario keys", file);
    if (rc) {
        pl_scenario_free(c.sc);
        return rc;
    }
    *out = c.sc;
    return 0;
}

/* ---- queries ----------------------------------------------------------------------- */

int pl_scenario_period_index(const pl_scenario *sc, const char *value)
{
    if (!sc || !value)
        return 0;
    while (isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    for (int i = 0; i < sc->n_periods; i++)
        if (strlen(sc->period_label[i]) == n && !memcmp(sc->period_label[i], value, n))
            return i + 1;
    if (sc->period_start <= 0 || sc->period_step <= 0 || n == 0 || n >= 64)
        return 0;
    char buf[64];
    memcpy(buf, value, n);
    buf[n] = '\0';
    char *end;
    double y = strtod(buf, &end);
    if (*end || !isfinite(y) || y != floor(y))
        return 0;
    if (y < sc->period_start)
        return 1;
    double k = floor((y - sc->period_start) / sc->period_step);
    return k < sc->n_periods ? (int)k + 1 : 0;
}

int pl_scenario_commit_period(const pl_scenario *sc, const char *value)
{
    if (!sc || !value)
        return 0;
    int k = pl_scenario_period_index(sc, value); /* a label, or a year (before the first: 1) */
    while (isspace((unsigned char)*value))
        value++;
    char *end;
    long v = strtol(value, &end, 10);
    while (*end && isspace((unsigned char)*end))
        end++;
    int integer = end != value && *end == '\0';
    if (integer && v >= 1 && v <= sc->n_periods && !(k > 0 && strcmp(sc->period_label[k - 1], value) == 0))
        return (int)v; /* an index, unless it is a label */
    if (integer && sc->period_start > 0 && v < sc->period_start)
        return 0; /* a year before the horizon: an existing site, not a commitment */
    if (k > 0)
        return k;
    /* a date: the period whose first day is the last one on or before it */
    int y, m, d, n = 0;
    char sep1, sep2;
    if (sscanf(value, "%4d%c%2d%c%2d%n", &y, &sep1, &m, &sep2, &d, &n) != 5 || sep1 != sep2 ||
        (sep1 != '-' && sep1 != '/') || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    if (value[n] && value[n] != 'T' && value[n] != ' ') /* a time of day after it is fine */
        return 0;
    char iso[16], next[11];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    pl_scenario_period_end(sc, sc->n_periods, next);
    if (strcmp(iso, sc->period_date[0]) < 0 || strcmp(iso, next) >= 0)
        return 0;
    int t = 1;
    while (t < sc->n_periods && strcmp(iso, sc->period_date[t]) >= 0)
        t++;
    return t;
}

double pl_scenario_sector_priority(const pl_scenario *sc, const char *sector)
{
    if (!sc || !sector)
        return 1;
    for (int i = 0; i < sc->n_sectors; i++)
        if (!strcmp(sc->sectors[i].name, sector))
            return sc->sectors[i].value;
    return 1;
}

int pl_scenario_demand_count(const pl_scenario *sc)
{
    return 1 + sc->n_demand_more;
}

const pl_layer *pl_scenario_demand_layer(const pl_scenario *sc, int k)
{
    return k == 0 ? &sc->demand : k > 0 && k <= sc->n_demand_more ? &sc->demand_more[k - 1] : NULL;
}

int pl_scenario_inputs(const pl_scenario *sc, pl_input *out, int max)
{
    static const char *const base[] = {"demand", "candidates", "existing", "regions", "dem", "clutter",
                                       "committed"};
    const pl_layer *L[] = {&sc->demand, &sc->candidates, &sc->existing, &sc->regions};
    int n = 0;
    for (int k = 0; k < 7 && n < max; k++, n++) {
        snprintf(out[n].key, sizeof out[n].key, "%s", base[k]);
        out[n].source = k < 4   ? (L[k]->present ? L[k]->source : NULL)
                        : k == 4 ? sc->dem
                        : k == 5 ? sc->clutter
                                 : (sc->committed.present ? sc->committed.source : NULL);
    }
    for (int k = 1; k < pl_scenario_demand_count(sc) && n < max; k++, n++) {
        snprintf(out[n].key, sizeof out[n].key, "demand[%d]", k);
        out[n].source = pl_scenario_demand_layer(sc, k)->source;
    }
    return n;
}

int pl_scenario_band(const pl_scenario *sc, const char *name)
{
    if (!sc || !name)
        return -1;
    for (int i = 0; i < sc->n_bands; i++)
        if (!strcmp(sc->bands[i].name, name))
            return i;
    return -1;
}

static void layer_free(pl_layer *L)
{
    free(L->source);
    free(L->layer);
    free(L->where);
    free(L->crs);
    free(L->sector);
    free(L->id_prefix);
    free(L->label);
    if (L->open_options)
        for (char **o = L->open_options; *o; o++)
            free(*o);
    free(L->open_options);
    for (int i = 0; i < PL_F_COUNT; i++)
        free(L->field[i]);
    for (int i = 0; i < L->n_keep; i++)
        free(L->keep[i]);
    free(L->keep);
    free(L->keep_at);
}

static void targets_free(pl_target *t, int n)
{
    for (int i = 0; i < n; i++)
        free(t[i].sector);
    free(t);
}

void pl_scenario_free(pl_scenario *sc)
{
    if (!sc)
        return;
    free(sc->file);
    free(sc->dir);
    free(sc->name);
    free(sc->crs);
    for (int i = 0; i < sc->n_periods; i++) {
        free(sc->period_label[i]);
        free(sc->period_date[i]);
    }
    free(sc->period_label);
    free(sc->period_date);
    free(sc->budget);
    free(sc->max_new_sites);
    layer_free(&sc->demand);
    for (int k = 0; k < sc->n_demand_more; k++)
        layer_free(&sc->demand_more[k]);
    free(sc->demand_more);
    layer_free(&sc->candidates);
    layer_free(&sc->existing);
    layer_free(&sc->regions);
    layer_free(&sc->committed);
    free(sc->environment);
    for (int i = 0; i < sc->n_bands; i++)
        free(sc->bands[i].name);
    free(sc->bands);
    free(sc->dem);
    free(sc->clutter);
    for (int i = 0; i < sc->n_clutter_classes; i++)
        free(sc->clutter_classes[i].name);
    free(sc->clutter_classes);
    for (int i = 0; i < sc->n_sectors; i++)
        free(sc->sectors[i].name);
    free(sc->sectors);
    targets_free(sc->coverage_targets, sc->n_coverage_targets);
    targets_free(sc->sector_targets, sc->n_sector_targets);
    targets_free(sc->density_targets, sc->n_density_targets);
    free(sc->output_path);
    free(sc->output_format);
    free(sc->output_crs);
    for (int k = 0; k < sc->n_ov; k++)
        free(sc->ov_origin[k]);
    free(sc->ov_origin);
    free(sc);
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

void pl_scenario_period_end(const pl_scenario *sc, int t, char out[11])
{
    int T = sc->n_periods;
    if (t < T) {
        snprintf(out, 11, "%s", sc->period_date[t]);
        return;
    }
    int y0 = 0, m0 = 0, d0 = 0, y1 = 0, m1 = 0, d1 = 0;
    sscanf(sc->period_date[T - 1], "%d-%d-%d", &y1, &m1, &d1);
    int months = 12;
    if (T >= 2 && sscanf(sc->period_date[T - 2], "%d-%d-%d", &y0, &m0, &d0) == 3) {
        months = (y1 - y0) * 12 + (m1 - m0);
        if (months < 1)
            months = 1;
    }
    int m = m1 - 1 + months;
    int y = y1 + m / 12;
    m = m % 12 + 1;
    int d = d1 > days_in_month(y, m) ? days_in_month(y, m) : d1;
    char buf[48];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    snprintf(out, 11, "%.10s", buf);
}

pl_scenario *pl_scenario_new_default(const char *file)
{
    pl_scenario *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    ctx c = {.sc = sc};
    sc->file = r5g_strdup(file ? file : "");
    sc->dir = dir_of(file ? file : ".");
    sc->version = 1;
    if (!sc->file || !sc->dir || set_defaults(&c) != 0) {
        pl_scenario_free(sc);
        return NULL;
    }
    sc->max_lead_periods = 0;
    return sc;
}
