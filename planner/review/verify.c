/* `rollout5g verify` (verify.h, docs/review.md): the plan's build periods
 * (its sites layer, or any layer of site ids and build periods or dates)
 * are evaluated on the scenario's inputs with the pipeline's own code
 * (pl_plan_evaluate), and every rule and every figure the plan states is
 * checked against that recomputation. One function per aspect appends its
 * checks to one report; the report is rendered as lines or as JSON. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/afile.h"
#include "common/sha256.h"
#include "common/strbuf.h"
#include "geo/geo.h"
#include "planner/pipeline/evaluate.h"
#include "planner/pipeline/paths.h"
#include "planner/plan_result.h"
#include "planner/report/report.h"
#include "planner/review/verify.h"
#include "planner/scenario/scenario.h"
#include "planner/scenario/settings.h"

enum { MAX_NAMED = 10 }; /* ids named in a line; the rest are counted */

/* ---- the report ------------------------------------------------------------ */

/* Offending ids, each with an optional detail ("D0042 (2 in the plan, 3 recomputed)"). */
typedef struct idlist {
    char **id, **detail;
    size_t n, cap;
    int oom;
} idlist;

static void idl_add(idlist *l, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void idl_add(idlist *l, const char *id, const char *fmt, ...)
{
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 16;
        char **a = realloc(l->id, nc * sizeof *a);
        if (a)
            l->id = a;
        char **b = realloc(l->detail, nc * sizeof *b);
        if (b)
            l->detail = b;
        if (!a || !b) {
            l->oom = 1;
            return;
        }
        l->cap = nc;
    }
    char *d = NULL;
    if (fmt) {
        r5g_str s = R5G_STR_INIT;
        va_list ap;
        va_start(ap, fmt);
        r5g_str_vappendf(&s, fmt, ap);
        va_end(ap);
        d = r5g_str_finish(&s);
    }
    l->id[l->n] = r5g_strdup(id ? id : "(no id)");
    l->detail[l->n] = d;
    if (!l->id[l->n] || (fmt && !d)) {
        free(l->id[l->n]);
        free(d);
        l->oom = 1;
        return;
    }
    l->n++;
}

static void idl_dispose(idlist *l)
{
    for (size_t k = 0; k < l->n; k++) {
        free(l->id[k]);
        free(l->detail[k]);
    }
    free(l->id);
    free(l->detail);
    memset(l, 0, sizeof *l);
}

/* "A (d), B (d), ... and 3 more": the first MAX_NAMED. */
static void idl_text(r5g_str *b, const idlist *l)
{
    for (size_t k = 0; k < l->n && k < MAX_NAMED; k++) {
        r5g_str_appendf(b, "%s%s", k ? ", " : "", l->id[k]);
        if (l->detail[k])
            r5g_str_appendf(b, " (%s)", l->detail[k]);
    }
    if (l->n > MAX_NAMED)
        r5g_str_appendf(b, " and %zu more", l->n - MAX_NAMED);
}

typedef enum { ST_PASS, ST_WARN, ST_FAIL } check_status;
static const char *const status_name[] = {"PASS", "WARN", "FAIL"};

typedef struct check {
    check_status st;
    char *name;
    char *period; /* the period the line is about; for `inputs`, the input ("demand") */
    char *text;
    idlist ids;
} check;

typedef struct report {
    check *c;
    size_t n, cap;
    int oom;
} report;

/* Appends a check: the text in b (finished here), the ids (taken, may be NULL). */
static void check_add(report *R, check_status st, const char *name, const char *period, idlist *ids, r5g_str *b)
{
    char *text = r5g_str_finish(b);
    idlist none = {0};
    if (!ids)
        ids = &none;
    if (!R->oom && R->n == R->cap) {
        size_t nc = R->cap ? 2 * R->cap : 32;
        check *c = realloc(R->c, nc * sizeof *c);
        if (c) {
            R->c = c;
            R->cap = nc;
        } else {
            R->oom = 1;
        }
    }
    char *nm = r5g_strdup(name), *pd = period ? r5g_strdup(period) : NULL;
    if (R->oom || !text || ids->oom || !nm || (period && !pd)) {
        R->oom = 1;
        free(text);
        free(nm);
        free(pd);
        idl_dispose(ids);
        return;
    }
    R->c[R->n++] = (check){st, nm, pd, text, *ids};
    memset(ids, 0, sizeof *ids);
}

/* A check with a formatted text and no ids. */
static void check_addf(report *R, check_status st, const char *name, const char *period, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void check_addf(report *R, check_status st, const char *name, const char *period, const char *fmt, ...)
{
    r5g_str b = R5G_STR_INIT;
    va_list ap;
    va_start(ap, fmt);
    r5g_str_vappendf(&b, fmt, ap);
    va_end(ap);
    check_add(R, st, name, period, NULL, &b);
}

static void report_dispose(report *R)
{
    for (size_t k = 0; k < R->n; k++) {
        free(R->c[k].name);
        free(R->c[k].period);
        free(R->c[k].text);
        idl_dispose(&R->c[k].ids);
    }
    free(R->c);
    memset(R, 0, sizeof *R);
}

/* ---- the verification context ------------------------------------------------ */

/* The stored rows of one layer of the plan, each field under its name or
 * its Shapefile short name. */
typedef struct srows {
    geo_rows *rows;
} srows;

typedef struct vctx {
    const pl_verify_opts *o;
    geo_ctx *geo;
    report R;

    int own;             /* a plan written by rollout5g (plan_meta) */
    pl_plan *stored;     /* it, read back (own plans) */
    char *against;       /* what the plan is checked against, for the header and JSON */
    char *scenario_file; /* the scenario file used, NULL when rebuilt from the settings */

    /* the plan as given: site ids and build periods */
    size_t n;
    char **ids, **raw;   /* raw: the period or date text of a foreign plan */
    int *bp;
    idlist bad_period;   /* foreign: values that are no period of the scenario */

    double *stated;      /* own plans: [ns of the recomputation] capex in the plan's sites layer, NAN none */
    pl_eval *ev;         /* the recomputation */
    const pl_plan *p;    /* ev->plan */
    int L, M;            /* the lead and credit window the rules are judged under */
} vctx;

static int clamp1(int v) { return v < 1 ? 1 : v; }

static const char *plabel(const pl_plan *p, int t)
{
    return t >= 1 && t <= p->sc->n_periods ? p->sc->period_label[t - 1] : "never";
}

static const char *meta(const vctx *v, const char *key)
{
    return v->stored ? pl_plan_meta(v->stored, key) : NULL;
}

/* A number from a stored text; NAN for NULL, empty or not a number. */
static double num_of(const char *s)
{
    if (!s || !*s)
        return NAN;
    char *e;
    double d = strtod(s, &e);
    while (*e && isspace((unsigned char)*e))
        e++;
    return *e ? NAN : d;
}

/* A stored value (text, NULL = null) against a recomputed number (NAN = null). */
static int same_num(const char *got, double want)
{
    double g = num_of(got);
    if (isnan(g) || isnan(want))
        return isnan(g) && isnan(want) && (!got || !*got || isnan(num_of(got)));
    return fabs(g - want) <= 1e-9 * fmax(1.0, fabs(want));
}

/* A stored text for messages: "NULL" for none, a number with the 10
 * digits the recomputed ones are shown with (in buf), else the text. */
static const char *shown(char buf[32], const char *s)
{
    if (!s || !*s)
        return "NULL";
    double d = num_of(s);
    if (isnan(d))
        return s;
    snprintf(buf, 32, "%.10g", d);
    return buf;
}

/* A recomputed number for messages: NULL for NAN. */
static const char *want_text(char buf[32], double d)
{
    if (isnan(d))
        return "NULL";
    snprintf(buf, 32, "%.10g", d);
    return buf;
}

/* "8.42 M CNY" and "8.00 M" (or exact amounts when those would read the same). */
static void money_pair(char *a, char *b, size_t n, double x, double y)
{
    snprintf(a, n, "%.2f M CNY", x / 1e6);
    snprintf(b, n, "%.2f M", y / 1e6);
    if (strncmp(a, b, strlen(b)) == 0) {
        snprintf(a, n, "%.0f CNY", x);
        snprintf(b, n, "%.0f CNY", y);
    }
}

static int srows_read(srows *sr, vctx *v, const char *layer, const char *const *fields, int nf, r5g_err *err)
{
    int folder = 0;
    sr->rows = NULL;
    char *src = pl_plan_layer_source(v->o->plan_path, layer, &folder);
    if (!src)
        return 0;
    const char **req = malloc((size_t)(2 * nf) * sizeof *req);
    if (!req) {
        free(src);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    for (int k = 0; k < nf; k++) {
        const char *s = pl_short_field_name(fields[k]);
        req[2 * k] = fields[k];
        req[2 * k + 1] = s ? s : fields[k];
    }
    r5g_err e = {0};
    int rc = geo_rows_read(&sr->rows, v->geo, src, layer, req, 2 * nf, &e);
    free(req);
    free(src);
    if (rc == R5G_EINPUT) /* no such layer (a plan without regions has no region_kpi) */
        return 0;
    if (rc)
        *err = e;
    return rc;
}

static const char *sv(const srows *sr, int k, size_t i)
{
    return geo_rows_has_field(sr->rows, 2 * k) ? geo_rows_value(sr->rows, 2 * k, i)
                                               : geo_rows_value(sr->rows, 2 * k + 1, i);
}

static size_t srows_count(const srows *sr) { return sr->rows ? geo_rows_count(sr->rows) : 0; }

/* Offending ids per period (index 0: rows of no period). */
typedef struct per_period {
    idlist *l;
    int T;
} per_period;

static int pp_init(per_period *pp, int T)
{
    pp->T = T;
    pp->l = calloc((size_t)T + 1, sizeof *pp->l);
    return pp->l ? 0 : R5G_ENOMEM;
}

/* One FAIL line per period that has ids: "N WHATs differ from THAN: ...";
 * returns the number of lines. */
static int pp_fail(vctx *v, per_period *pp, const char *name, const char *what, const char *than)
{
    int lines = 0;
    for (int t = 0; t <= pp->T; t++) {
        idlist *l = &pp->l[t];
        if (!l->n)
            continue;
        lines++;
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu %s%s differ%s from %s: ", l->n, what, l->n == 1 ? "" : "s", l->n == 1 ? "s" : "", than);
        idl_text(&b, l);
        check_add(&v->R, ST_FAIL, name, t ? plabel(v->p, t) : NULL, l, &b);
    }
    return lines;
}

static void pp_dispose(per_period *pp)
{
    for (int t = 0; pp->l && t <= pp->T; t++)
        idl_dispose(&pp->l[t]);
    free(pp->l);
    pp->l = NULL;
}

/* A stored layer matched row by row to the recomputation: its rows, the
 * recomputed ids, which of them were seen, the offending ids per period. */
typedef struct rowcheck {
    srows sr;
    pl_id_index ix;
    unsigned char *seen; /* [n_seen] */
    per_period pp;
} rowcheck;

/* 0 with c->sr.rows NULL when the plan has no such layer. */
static int rowcheck_open(rowcheck *c, vctx *v, const char *layer, const char *const *f, int nf,
                         const char *const *ids, size_t n_ids, size_t n_seen, r5g_err *err)
{
    memset(c, 0, sizeof *c);
    int rc = srows_read(&c->sr, v, layer, f, nf, err);
    if (rc || !c->sr.rows)
        return rc;
    c->seen = calloc(n_seen + 1, 1);
    if (pl_id_index_init(&c->ix, ids, n_ids) || !c->seen || pp_init(&c->pp, v->p->sc->n_periods))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    return 0;
}

static void rowcheck_close(rowcheck *c)
{
    pp_dispose(&c->pp);
    free(c->seen);
    pl_id_index_dispose(&c->ix);
    geo_rows_free(c->sr.rows);
}

/* ---- inputs: the files the plan was made from --------------------------------- */

#define MAX_INPUTS 64

/* The files of a manifest that differ from another: changed, gone, new. */
static void manifest_diff(idlist *out, const char *was, const char *now)
{
    const char *lists[2] = {was, now};
    for (int side = 0; side < 2; side++) {
        for (const char *l = lists[side]; l && *l;) {
            const char *eol = strchr(l, '\n');
            size_t len = eol ? (size_t)(eol - l) : strlen(l);
            if (len > 66) {
                char name[512];
                snprintf(name, sizeof name, "%.*s", (int)(len - 66), l + 66);
                const char *other = lists[1 - side], *hit = NULL;
                for (const char *o = other; o && *o;) {
                    const char *oe = strchr(o, '\n');
                    size_t ol = oe ? (size_t)(oe - o) : strlen(o);
                    if (ol == len && memcmp(o + 66, l + 66, len - 66) == 0)
                        hit = o;
                    o = oe ? oe + 1 : o + ol;
                }
                if (!hit)
                    idl_add(out, name, side == 0 ? "gone" : "new");
                else if (side == 0 && memcmp(hit, l, 64) != 0)
                    idl_add(out, name, "changed");
            }
            l = eol ? eol + 1 : l + len;
        }
    }
}

/* The scenario's inputs, then the further demand layers that plan_meta
 * records and the scenario no longer has (reported as missing). */
static int input_slots(pl_input *out, const pl_scenario *sc, const vctx *v)
{
    int n = pl_scenario_inputs(sc, out, MAX_INPUTS);
    for (int k = pl_scenario_demand_count(sc); n < MAX_INPUTS; k++, n++) {
        char key[48];
        snprintf(out[n].key, sizeof out[n].key, "demand[%d]", k);
        snprintf(key, sizeof key, "input_%s", out[n].key);
        out[n].source = NULL;
        if (!meta(v, key))
            break;
    }
    return n;
}

static void check_inputs(vctx *v)
{
    const pl_scenario *sc = v->p->sc;
    pl_input slots[MAX_INPUTS];
    int n_slots = input_slots(slots, sc, v);
    const char *ok[MAX_INPUTS + 1];
    int fails = 0, n_ok = 0, any = 0;
    char sha[65], key[64];
    if (v->scenario_file && meta(v, "scenario_sha256")) {
        const char *rec = meta(v, "scenario_sha256");
        r5g_err e = {0};
        any = 1;
        if (r5g_sha256_file(sha, v->scenario_file, &e) == 0 && strcmp(sha, rec) == 0) {
            ok[n_ok++] = "scenario";
        } else {
            fails++;
            check_addf(&v->R, ST_FAIL, "inputs", "scenario",
                       "%s differs from the scenario file the plan was made from (sha256 %.12s in plan_meta, %.12s now)",
                       v->scenario_file, rec, sha[0] ? sha : "unreadable");
        }
    }
    for (int k = 0; k < n_slots; k++) {
        const char *keys_k = slots[k].key;
        snprintf(key, sizeof key, "input_%.23s", keys_k);
        const char *rec_src = meta(v, key), *cur = slots[k].source;
        snprintf(key, sizeof key, "input_%.23s_sha256", keys_k);
        const char *rec = meta(v, key);
        snprintf(key, sizeof key, "input_%.23s_files", keys_k);
        const char *rec_files = meta(v, key);
        if (!rec_src && !cur)
            continue;
        any = 1;
        if (!cur || !rec_src) {
            fails++;
            if (!cur)
                check_addf(&v->R, ST_FAIL, "inputs", keys_k, "the plan was made with a %s input (%s), the scenario has none",
                           keys_k, rec_src);
            else
                check_addf(&v->R, ST_FAIL, "inputs", keys_k, "the scenario reads %s, the plan was made without a %s input",
                           cur, keys_k);
            continue;
        }
        char *manifest = NULL;
        r5g_err e = {0};
        if (pl_input_sha256(sha, &manifest, v->geo, cur, &e))
            sha[0] = '\0';
        if (!rec || !sha[0]) {
            if (!rec && !sha[0])
                check_addf(&v->R, ST_WARN, "inputs", keys_k, "%s is not a local file: its contents are not checked", cur);
            else if (!rec)
                check_addf(&v->R, ST_WARN, "inputs", keys_k, "plan_meta has no checksum of %s: its contents are not checked",
                           rec_src);
            else {
                fails++;
                check_addf(&v->R, ST_FAIL, "inputs", keys_k, "%s cannot be read to compare it with its checksum in plan_meta%s%s",
                           cur, e.msg[0] ? ": " : "", e.msg);
            }
            free(manifest);
            continue;
        }
        if (strcmp(sha, rec) == 0) {
            ok[n_ok++] = keys_k;
            free(manifest);
            continue;
        }
        char main_sha[65];
        if (manifest && !rec_files && r5g_sha256_file(main_sha, cur, &e) == 0 && strcmp(main_sha, rec) == 0) {
            check_addf(&v->R, ST_WARN, "inputs", keys_k,
                       "the checksum in plan_meta covers %s alone (a plan from before checksums covered every file "
                       "of a layer): the other files of the layer are not checked", cur);
            free(manifest);
            continue;
        }
        fails++;
        idlist files = {0};
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%s differs from the input the plan was made from", cur);
        if (manifest && rec_files) {
            manifest_diff(&files, rec_files, manifest);
            if (files.n) {
                r5g_str_append(&b, ": ");
                idl_text(&b, &files);
            }
        }
        r5g_str_appendf(&b, " (sha256 %.12s in plan_meta, %.12s now)", rec, sha);
        check_add(&v->R, ST_FAIL, "inputs", keys_k, &files, &b);
        free(manifest);
    }
    if (any && !fails && n_ok) {
        r5g_str b = R5G_STR_INIT;
        for (int k = 0; k < n_ok; k++)
            r5g_str_appendf(&b, "%s%s", k == 0 ? "" : k == n_ok - 1 ? " and " : ", ", ok[k]);
        r5g_str_appendf(&b, "%s the checksums in plan_meta%s", n_ok == 1 ? " matches" : " match",
                        v->scenario_file ? "" : " (the scenario file itself is not used: checked against the settings "
                                                "in plan_meta)");
        check_add(&v->R, ST_PASS, "inputs", NULL, NULL, &b);
    }
}

/* ---- settings: the scenario used against the settings the plan records ------- */

/* Dotted key path -> each leaf value (arrays are leaves). */
static void flatten(json_object *o, const char *prefix, json_object *out)
{
    if (!json_object_is_type(o, json_type_object)) {
        json_object_object_add(out, prefix, json_object_get(o));
        return;
    }
    json_object_object_foreach(o, key, val) {
        char *path = prefix[0] ? r5g_asprintf("%s.%s", prefix, key) : r5g_strdup(key);
        if (path)
            flatten(val, path, out);
        free(path);
    }
}

/* The same value, numbers compared as numbers (the settings of a GeoJSON
 * plan come back re-serialised by GDAL, with its own number text). */
static int json_same(json_object *a, json_object *b)
{
    json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
    int na = ta == json_type_int || ta == json_type_double, nb = tb == json_type_int || tb == json_type_double;
    if (na && nb)
        return json_object_get_double(a) == json_object_get_double(b);
    if (ta != tb)
        return 0;
    switch (ta) {
    case json_type_null:
        return 1;
    case json_type_boolean:
        return json_object_get_boolean(a) == json_object_get_boolean(b);
    case json_type_string:
        return strcmp(json_object_get_string(a), json_object_get_string(b)) == 0;
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!json_same(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return 0;
        return 1;
    }
    default: { /* objects: the same keys with the same values */
        if (json_object_object_length(a) != json_object_object_length(b))
            return 0;
        json_object_object_foreach(a, k, va) {
            json_object *vb = NULL;
            if (!json_object_object_get_ex(b, k, &vb) || !json_same(va, vb))
                return 0;
        }
        return 1;
    }
    }
}

static const char *jtext(json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Paths and the output are where the plan was made and written, not what it is. */
static int ignored_key(const char *k)
{
    size_t n = strlen(k);
    return strncmp(k, "output.", 7) == 0 || strcmp(k, "radio.dem") == 0 ||
           (n >= 7 && strcmp(k + n - 7, ".source") == 0);
}

static void check_settings(vctx *v)
{
    const char *rec = meta(v, "settings");
    if (!rec || !v->scenario_file)
        return; /* no settings recorded, or the settings are what is used */
    char *now = NULL;
    r5g_err e = {0};
    if (pl_settings_json(&now, v->p->sc, NULL, &e)) {
        v->R.oom = 1;
        return;
    }
    json_object *a = json_tokener_parse(rec), *b = json_tokener_parse(now);
    json_object *fa = json_object_new_object(), *fb = json_object_new_object();
    if (a && b) {
        flatten(a, "", fa);
        flatten(b, "", fb);
    }
    idlist keys = {0};
    json_object_object_foreach(fa, ka, va) {
        json_object *vb = NULL;
        if (ignored_key(ka))
            continue;
        if (!json_object_object_get_ex(fb, ka, &vb))
            idl_add(&keys, ka, "%s in the plan, not set now", jtext(va));
        else if (!json_same(va, vb))
            idl_add(&keys, ka, "%s in the plan, %s now", jtext(va), jtext(vb));
    }
    json_object_object_foreach(fb, kb, vb2) {
        if (!ignored_key(kb) && !json_object_object_get_ex(fa, kb, NULL))
            idl_add(&keys, kb, "not set in the plan, %s now", jtext(vb2));
    }
    r5g_str t = R5G_STR_INIT;
    if (!a || !b) {
        r5g_str_append(&t, "the settings recorded in plan_meta are not valid JSON");
        check_add(&v->R, ST_FAIL, "settings", NULL, &keys, &t);
    } else if (keys.n) {
        r5g_str_appendf(&t, "%zu key%s of %s differ%s from the settings the plan was made with: ", keys.n,
                        keys.n == 1 ? "" : "s", v->scenario_file, keys.n == 1 ? "s" : "");
        idl_text(&t, &keys);
        check_add(&v->R, ST_FAIL, "settings", NULL, &keys, &t);
    } else {
        r5g_str_appendf(&t, "%s resolves to the settings recorded in plan_meta (paths and output aside)",
                        v->scenario_file);
        check_add(&v->R, ST_PASS, "settings", NULL, NULL, &t);
    }
    idl_dispose(&keys);
    json_object_put(a);
    json_object_put(b);
    json_object_put(fa);
    json_object_put(fb);
    free(now);
}

/* ---- sites: every id a site of the scenario, and as the scenario says --------- */

static int check_sites(vctx *v, r5g_err *err)
{
    int rc = 0;
    const pl_plan *p = v->p;
    const pl_eval *ev = v->ev;
    int fails = 0, built = 0;
    for (size_t s = 0; s < p->ns; s++)
        built += p->s_kind[s] != PL_KIND_EXISTING && p->s_on_air[s] > 0;
    if (ev->n_unknown) {
        idlist l = {0};
        for (size_t k = 0; k < ev->n_unknown; k++)
            idl_add(&l, v->ids[ev->unknown[k]], NULL);
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu site%s of the plan %s no candidate or existing site of the scenario: ", l.n,
                        l.n == 1 ? "" : "s", l.n == 1 ? "is" : "are");
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "sites", NULL, &l, &b);
        fails++;
    }
    if (ev->n_dup) {
        idlist l = {0};
        for (size_t k = 0; k < ev->n_dup; k++)
            idl_add(&l, v->ids[ev->dup[k]], NULL);
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu site%s listed more than once (the first row counts): ", l.n, l.n == 1 ? " is" : "s are");
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "sites", NULL, &l, &b);
        fails++;
    }
    if (v->bad_period.n) {
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu site%s a build %s that is no period of the scenario (%s to %s), taken as not built: ",
                        v->bad_period.n, v->bad_period.n == 1 ? " has" : "s have", v->o->date_field ? "date" : "period",
                        plabel(p, 1), plabel(p, p->sc->n_periods));
        idl_text(&b, &v->bad_period);
        check_add(&v->R, ST_FAIL, "sites", NULL, &v->bad_period, &b);
        fails++;
    }
    if (v->own) { /* the sites layer against the scenario */
        static const char *const f[] = {"site_id", "kind", "status", "capex"};
        rowcheck c;
        if ((rc = rowcheck_open(&c, v, "sites", f, 4, p->s_id, p->ns, p->ns, err)))
            goto sites_out;
        if ((v->stated = malloc((p->ns ? p->ns : 1) * sizeof *v->stated)) == NULL) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            goto sites_out;
        }
        for (size_t s = 0; s < p->ns; s++)
            v->stated[s] = NAN;
        for (size_t i = 0; i < srows_count(&c.sr); i++) {
            int s = pl_id_index_find(&c.ix, sv(&c.sr, 0, i));
            if (s < 0)
                continue; /* named above */
            c.seen[s] = 1;
            if (v->stated)
                v->stated[s] = num_of(sv(&c.sr, 3, i));
            int ex = p->s_kind[s] == PL_KIND_EXISTING, t = ex ? 0 : p->s_on_air[s];
            const char *kind = sv(&c.sr, 1, i), *status = sv(&c.sr, 2, i), *capex = sv(&c.sr, 3, i);
            const char *want_status = ex ? "existing" : t ? "built" : "not_built";
            char nb[32];
            idlist *l = &c.pp.l[t];
            if (!kind || strcmp(kind, pl_kind_name(p->s_kind[s])) != 0)
                idl_add(l, p->s_id[s], "kind %s in the plan, %s in the scenario", shown(nb, kind), pl_kind_name(p->s_kind[s]));
            else if (!status || strcmp(status, want_status) != 0)
                idl_add(l, p->s_id[s], "status %s in the plan, %s by its build period", shown(nb, status), want_status);
            else if (!same_num(capex, ex ? 0 : p->s_capex[s]))
                idl_add(l, p->s_id[s], "capex %s in the plan, %.10g in the scenario", shown(nb, capex), ex ? 0 : p->s_capex[s]);
        }
        fails += pp_fail(v, &c.pp, "sites", "site", "the scenario");
        idlist missing = {0};
        for (size_t s = 0; s < p->ns; s++)
            if (!c.seen[s])
                idl_add(&missing, p->s_id[s], NULL);
        if (missing.n) {
            fails++;
            r5g_str b = R5G_STR_INIT;
            r5g_str_appendf(&b, "the plan's sites layer lacks %zu site%s of the scenario: ", missing.n,
                            missing.n == 1 ? "" : "s");
            idl_text(&b, &missing);
            check_add(&v->R, ST_FAIL, "sites", NULL, &missing, &b);
        }
    sites_out:
        rowcheck_close(&c);
        if (rc)
            return rc;
    }
    if (!fails)
        check_addf(&v->R, ST_PASS, "sites", NULL, "%zu sites, each a candidate or existing site of the scenario (%d built)%s",
                   v->n, built, v->own ? "; kind, status and capex as the scenario says" : "");
    return 0;
}

/* ---- budget, build limit ---------------------------------------------------------- */

/* The sites built (or upgraded) in period t. */
static void built_in(idlist *l, const pl_plan *p, int t)
{
    for (size_t s = 0; s < p->ns; s++)
        if (p->s_kind[s] != PL_KIND_EXISTING && p->s_on_air[s] == t)
            idl_add(l, p->s_id[s], NULL);
}

/* Spent in period t by the capex of the plan's own sites layer (own plans;
 * a site without a capex there counts the scenario's). */
static double stated_spend(const vctx *v, int t)
{
    const pl_plan *p = v->p;
    double x = 0;
    for (size_t s = 0; s < p->ns; s++)
        if (p->s_kind[s] != PL_KIND_EXISTING && p->s_on_air[s] == t)
            x += isnan(v->stated[s]) ? p->s_capex[s] : v->stated[s];
    return x;
}

/* The budget per period, with carry-over, by the scenario's capex and (own
 * plans) by the capex the plan's sites layer states. */
static void check_budget(vctx *v)
{
    const pl_plan *p = v->p;
    const pl_scenario *sc = p->sc;
    int fails = 0, limited = 0, unlimited = 0;
    double cum_b = 0, cum_s = 0, cum_p = 0; /* budget, spent by the scenario's and by the plan's capex */
    for (int t = 1; t <= sc->n_periods; t++) {
        const pl_period_kpi *k = &p->pk[t - 1];
        double spend = k->capex, said = v->stated ? stated_spend(v, t) : spend;
        if (!isfinite(k->budget))
            unlimited = 1; /* with carry-over, all later periods are unlimited too (the solver's rule) */
        if (!isfinite(k->budget) || (unlimited && sc->carry_over))
            continue;
        limited = 1;
        double avail = sc->carry_over ? cum_b - cum_s + k->budget : k->budget;
        double avail_p = sc->carry_over ? cum_b - cum_p + k->budget : k->budget;
        cum_b += k->budget;
        cum_s += spend;
        cum_p += said;
        int over = spend > avail + 1e-6 * (1 + fabs(spend)), over_p = said > avail_p + 1e-6 * (1 + fabs(said));
        if (!over && !over_p)
            continue;
        fails++;
        char a[64], b2[64], c2[64], d2[64];
        idlist l = {0};
        built_in(&l, p, t);
        r5g_str b = R5G_STR_INIT;
        if (over) {
            money_pair(a, b2, sizeof a, spend, avail);
            r5g_str_appendf(&b, "spends %s, %s available (sites ", a, b2);
        } else {
            money_pair(a, b2, sizeof a, said, avail_p);
            money_pair(c2, d2, sizeof c2, spend, said);
            r5g_str_appendf(&b, "spends %s by the capex in the plan's sites layer (%s by the scenario's), %s "
                            "available (sites ", a, c2, b2);
        }
        idl_text(&b, &l);
        r5g_str_appendf(&b, " built in %s)", plabel(p, t));
        check_add(&v->R, ST_FAIL, "budget", plabel(p, t), &l, &b);
    }
    if (!fails)
        check_addf(&v->R, ST_PASS, "budget", NULL, "%s (carry-over %s)",
                   limited ? "every period within budget" : "no period has a budget limit", sc->carry_over ? "on" : "off");
}

static void check_build_limit(vctx *v)
{
    const pl_plan *p = v->p;
    const pl_scenario *sc = p->sc;
    int fails = 0, limited = 0;
    for (int t = 1; sc->max_new_sites && t <= sc->n_periods; t++) {
        int m = sc->max_new_sites[t - 1], n = p->pk[t - 1].new_sites + p->pk[t - 1].upgrades;
        if (m < 0)
            continue;
        limited = 1;
        if (n <= m)
            continue;
        fails++;
        idlist l = {0};
        built_in(&l, p, t);
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%d sites built, max_new_sites %d (", n, m);
        idl_text(&b, &l);
        r5g_str_append(&b, ")");
        check_add(&v->R, ST_FAIL, "build_limit", plabel(p, t), &l, &b);
    }
    if (!fails)
        check_addf(&v->R, ST_PASS, "build_limit", NULL, "%s",
                   limited ? "every period within budget.max_new_sites" : "no build limit (budget.max_new_sites not set)");
}

/* ---- re-planning: every committed site built in its committed period ----------- */

static void check_committed(vctx *v)
{
    const pl_plan *p = v->p;
    int n = 0;
    idlist l = {0};
    for (size_t s = 0; p->s_committed && s < p->ns; s++) {
        int c = p->s_committed[s], b = p->s_on_air[s];
        if (c <= 0)
            continue;
        n++;
        if (b == c)
            continue;
        if (b == 0)
            idl_add(&l, p->s_id[s], "committed to %s, not built", plabel(p, c));
        else
            idl_add(&l, p->s_id[s], "committed to %s, built in %s", plabel(p, c), plabel(p, b));
    }
    if (n == 0)
        return; /* the scenario commits nothing: no check */
    if (l.n) {
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu of %d committed site%s not built in %s committed period: ", l.n, n,
                        n == 1 ? " is" : "s are", n == 1 ? "its" : "their");
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "committed", NULL, &l, &b);
        return;
    }
    check_addf(&v->R, ST_PASS, "committed", NULL, "every committed site (%d) is built in its committed period", n);
}

/* ---- ahead of demand: over-early sites, the on-time rule ------------------------ */

static void check_over_early(vctx *v)
{
    const pl_plan *p = v->p;
    int T = p->sc->n_periods, fails = 0;
    for (int t = 1; t <= T; t++) {
        idlist l = {0};
        for (size_t s = 0; s < p->ns; s++) {
            if (p->s_kind[s] == PL_KIND_EXISTING || p->s_on_air[s] != t ||
                (p->s_committed && p->s_committed[s] == t)) /* a commitment overrides the rule */
                continue;
            int a = v->ev->s_min_appear[s];
            if (a == 0)
                idl_add(&l, p->s_id[s], "covers no demand");
            else if (t < clamp1(a - v->M))
                idl_add(&l, p->s_id[s], "its first demand appears in %s, credit from %s", plabel(p, a),
                        plabel(p, clamp1(a - v->M)));
        }
        if (!l.n)
            continue;
        fails++;
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu site%s built before any demand %s earns credit (M=%d): ", l.n,
                        l.n == 1 ? "" : "s", l.n == 1 ? "it covers" : "they cover", v->M);
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "over_early", plabel(p, t), &l, &b);
    }
    if (!fails)
        check_addf(&v->R, ST_PASS, "over_early",
                   NULL, "no site is built before any demand it covers earns credit (credit from M=%d period%s before "
                         "the demand appears)", v->M, v->M == 1 ? "" : "s");
}

static void check_on_time(vctx *v)
{
    const pl_plan *p = v->p;
    const pl_scenario *sc = p->sc;
    int T = sc->n_periods;
    pl_period_kpi *pk = calloc((size_t)T, sizeof *pk);
    if (!pk) {
        v->R.oom = 1;
        return;
    }
    pl_kpi_view view = pl_plan_view(p); /* the on-time share under the lead judged by */
    view.lead_periods = v->L;
    view.max_lead_periods = v->M;
    double obj;
    pl_kpi_periods(pk, &obj, &view);
    double share = pk[T - 1].on_time_share;
    free(pk);
    if (sc->on_time_required == PL_ONTIME_NONE) {
        check_addf(&v->R, ST_PASS, "on_time", NULL,
                   "no hard rule (ahead_of_demand.on_time_required: none); on-time share %.1f%% by %s (L=%d)",
                   100 * share, plabel(p, T), v->L);
        return;
    }
    const char *who = sc->on_time_required == PL_ONTIME_ALL ? "demand" : "white-listed";
    int fails = 0;
    size_t required = 0;
    for (int due = 1; due <= T; due++) {
        idlist l = {0};
        for (size_t j = 0; j < p->nd; j++) {
            if (sc->on_time_required == PL_ONTIME_WHITELIST && !p->d_white[j])
                continue;
            if (clamp1(p->d_period[j] - v->L) != due)
                continue;
            required++;
            int c = v->ev->d_first[j];
            if (c == 0 || c > due)
                idl_add(&l, p->d_id[j], "appears %s, covered %s", plabel(p, p->d_period[j]), plabel(p, c));
        }
        if (!l.n)
            continue;
        fails++;
        r5g_str b = R5G_STR_INIT;
        r5g_str_appendf(&b, "%zu %s point%s due by %s (L=%d, on_time_required: %s) %s covered later or never: ", l.n, who,
                        l.n == 1 ? "" : "s", plabel(p, due), v->L,
                        sc->on_time_required == PL_ONTIME_ALL ? "all" : "whitelist", l.n == 1 ? "is" : "are");
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "on_time", plabel(p, due), &l, &b);
    }
    if (!fails)
        check_addf(&v->R, ST_PASS, "on_time", NULL, "every %s point (%zu) covered by its on-time period (L=%d, "
                   "on_time_required: %s); on-time share %.1f%% by %s", who, required, v->L,
                   sc->on_time_required == PL_ONTIME_ALL ? "all" : "whitelist", 100 * share, plabel(p, T));
}

/* ---- targets ---------------------------------------------------------------------- */

static int target_met(const pl_eval_target *g) { return g->lhs >= g->rhs - 1e-6 * (1 + fabs(g->rhs)); }

static void check_targets(vctx *v)
{
    const pl_plan *p = v->p;
    const pl_eval *ev = v->ev;
    if (ev->n_tg == 0) {
        check_addf(&v->R, ST_PASS, "targets", NULL, "the scenario sets none");
        return;
    }
    for (int k = 0; k < ev->n_tg; k++) {
        const pl_eval_target *g = &ev->tg[k];
        if (g->type == 2) { /* one line per density target: all its regions together */
            if (k > 0 && ev->tg[k - 1].type == 2 && ev->tg[k - 1].period == g->period && ev->tg[k - 1].value == g->value)
                continue;
            idlist l = {0};
            int n = 0;
            for (int q = k; q < ev->n_tg && ev->tg[q].type == 2; q++) {
                const pl_eval_target *h = &ev->tg[q];
                if (h->period != g->period || h->value != g->value)
                    continue;
                n++;
                if (!target_met(h))
                    idl_add(&l, pl_plan_region_id(p, h->region), "%.1f per 10k, %.0f of %.1f sites",
                            h->total > 0 ? h->lhs * 1e4 / h->total : 0, h->lhs, h->rhs);
            }
            r5g_str b = R5G_STR_INIT;
            if (l.n) {
                r5g_str_appendf(&b, "sites_per_10k_people %g: %zu of %d regions below: ", g->value, l.n, n);
                idl_text(&b, &l);
                check_add(&v->R, ST_FAIL, "targets", plabel(p, g->period), &l, &b);
            } else {
                r5g_str_appendf(&b, "sites_per_10k_people %g met in all %d regions with a population", g->value, n);
                check_add(&v->R, ST_PASS, "targets", plabel(p, g->period), NULL, &b);
            }
            continue;
        }
        double got = g->total > 0 ? g->lhs / g->total : 1;
        char what[128];
        if (g->type == 1)
            snprintf(what, sizeof what, "sector_share %s", g->sector ? g->sector : "");
        else
            snprintf(what, sizeof what, "coverage_share");
        if (target_met(g))
            check_addf(&v->R, ST_PASS, "targets", plabel(p, g->period), "%s %.1f%% reached, %.1f%% required", what,
                       100 * got, 100 * g->value);
        else
            check_addf(&v->R, ST_FAIL, "targets", plabel(p, g->period),
                       "%s %.1f%% reached, %.1f%% required (%.6g of %.6g weighted demand short)", what, 100 * got,
                       100 * g->value, g->rhs - g->lhs, g->total);
    }
}

/* ---- objective, bound, gap -------------------------------------------------------- */

static void check_objective(vctx *v)
{
    const pl_plan *p = v->p;
    const char *rec = meta(v, "objective");
    if (!rec)
        return;
    double obj = p->objective;
    if (!same_num(rec, obj)) { /* written with 10 digits: within same_num's 1e-9 */
        check_addf(&v->R, ST_FAIL, "objective", NULL, "plan_meta objective %s, recomputed %.10g", rec, obj);
        return;
    }
    double bound = num_of(meta(v, "bound")), gap = num_of(meta(v, "gap"));
    const char *kind = meta(v, "bound_kind");
    if (!isnan(bound) && !isnan(gap)) {
        int min = p->sc->objective == PL_OBJ_MIN_COST;
        double want = obj > 0 ? (min ? obj - bound : bound - obj) / obj : 0;
        if (want < 0)
            want = 0;
        if (fabs(gap - want) > 1e-5 * (1 + want)) {
            check_addf(&v->R, ST_FAIL, "objective", NULL,
                       "plan_meta gap %s, but bound %s and the recomputed objective %.10g give %.6g",
                       meta(v, "gap"), meta(v, "bound"), obj, want);
            return;
        }
        check_addf(&v->R, ST_PASS, "objective", NULL, "%.10g recomputed, as plan_meta says; bound %.10g%s%s%s, gap %.3f%%",
                   obj, bound, kind ? " (" : "", kind ? kind : "", kind ? ")" : "", 100 * gap);
        return;
    }
    check_addf(&v->R, ST_PASS, "objective", NULL, "%.10g recomputed, as plan_meta says", obj);
}

/* ---- the KPI layers ---------------------------------------------------------------- */

/* Appends "field X in the plan, Y recomputed" to d when the stored text
 * differs from the recomputed number; returns 1 then. */
static int field_diff(r5g_str *d, const char *field, const char *got, double want)
{
    if (same_num(got, want))
        return 0;
    char nb[32];
    char wb[32];
    r5g_str_appendf(d, "%s%s %s in the plan, %s recomputed", r5g_str_text(d) && r5g_str_text(d)[0] ? "; " : "", field,
                    shown(nb, got), want_text(wb, want));
    return 1;
}

static int check_period_kpi(vctx *v, r5g_err *err)
{
    static const char *const f[] = {"period_index", "budget", "carry_in", "capex", "new_sites", "upgrades",
                                    "sites_on_air", "demand_weight", "covered_share", "on_time_share",
                                    "appearing_demand", "mean_lead_periods", "over_early_sites"};
    enum { NF = sizeof f / sizeof *f };
    const pl_plan *p = v->p;
    int T = p->sc->n_periods, fails = 0;
    srows sr;
    int rc = srows_read(&sr, v, "period_kpi", f, NF, err);
    if (rc || !sr.rows)
        return rc;
    unsigned char *seen = calloc((size_t)T + 1, 1);
    if (!seen) {
        geo_rows_free(sr.rows);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < srows_count(&sr); i++) {
        char nb[32];
        double ti = num_of(sv(&sr, 0, i));
        int t = ti == floor(ti) && ti >= 1 && ti <= T ? (int)ti : 0;
        if (!t || seen[t]) {
            fails++;
            check_addf(&v->R, ST_FAIL, "period_kpi", NULL, "row %zu: period_index %s is no period 1..%d or repeats", i + 1,
                       shown(nb, sv(&sr, 0, i)), T);
            continue;
        }
        seen[t] = 1;
        const pl_period_kpi *k = &p->pk[t - 1];
        double want[NF] = {t, isfinite(k->budget) ? k->budget : NAN, k->carry_in, k->capex, k->new_sites,
                           k->upgrades, k->sites_on_air, k->demand_weight, k->covered_share, k->on_time_share,
                           k->appearing, k->mean_lead, k->over_early_sites};
        idlist l = {0};
        char wb[32];
        for (int q = 1; q < NF; q++)
            if (!same_num(sv(&sr, q, i), want[q]))
                idl_add(&l, f[q], "%s in the plan, %s recomputed", shown(nb, sv(&sr, q, i)), want_text(wb, want[q]));
        if (!l.n)
            continue;
        fails++;
        r5g_str b = R5G_STR_INIT;
        idl_text(&b, &l);
        check_add(&v->R, ST_FAIL, "period_kpi", plabel(p, t), &l, &b);
    }
    for (int t = 1; t <= T; t++)
        if (!seen[t]) {
            fails++;
            check_addf(&v->R, ST_FAIL, "period_kpi", plabel(p, t), "the plan has no row for this period");
        }
    if (!fails)
        check_addf(&v->R, ST_PASS, "period_kpi", NULL, "%d period%s, every field as recomputed", T, T == 1 ? "" : "s");
    free(seen);
    geo_rows_free(sr.rows);
    return 0;
}

/* region_kpi and sector_kpi: rows of (group, period) against pl_group_kpi. */
typedef struct group_layer {
    const char *layer, *what; /* "region_kpi", "region" */
    const char *const *f;     /* group id field, period_index, then the KPI fields */
    int nf;
    size_t ng;                /* groups */
    const char **gid;         /* [ng] their ids */
    pl_group_kpi *k;          /* [ng * T] */
    const double *pop;        /* regions: [ng] population (sites_per_10k); NULL for sectors */
} group_layer;

static double group_field(const group_layer *gl, size_t g, const pl_group_kpi *k, const char *field)
{
    if (strcmp(field, "sites_on_air") == 0)
        return k->sites_on_air;
    if (strcmp(field, "new_sites") == 0)
        return k->new_sites;
    if (strcmp(field, "capex") == 0)
        return k->capex;
    if (strcmp(field, "n_demand") == 0)
        return (double)k->n_demand;
    if (strcmp(field, "demand_weight") == 0)
        return k->demand_weight;
    if (strcmp(field, "covered_share") == 0)
        return k->covered_share;
    if (strcmp(field, "on_time_share") == 0)
        return k->on_time_share;
    /* sites_per_10k */
    double pop = gl->pop ? gl->pop[g] : NAN;
    return isfinite(pop) && pop > 0 ? k->sites_on_air * 1e4 / pop : NAN;
}

static int check_group_layer(vctx *v, const group_layer *gl, r5g_err *err)
{
    const pl_plan *p = v->p;
    int T = p->sc->n_periods;
    rowcheck c;
    int rc = rowcheck_open(&c, v, gl->layer, gl->f, gl->nf, gl->gid, gl->ng, gl->ng * (size_t)T, err);
    if (rc || !c.sr.rows)
        goto out;
    for (size_t i = 0; i < srows_count(&c.sr); i++) {
        const char *id = sv(&c.sr, 0, i);
        double ti = num_of(sv(&c.sr, 1, i));
        int t = ti == floor(ti) && ti >= 1 && ti <= T ? (int)ti : 0, g = pl_id_index_find(&c.ix, id);
        if (g < 0 || !t) {
            char nb[32];
            idl_add(&c.pp.l[0], id, "period_index %s: no such %s or period in the recomputation", shown(nb, sv(&c.sr, 1, i)),
                    gl->what);
            continue;
        }
        c.seen[(size_t)g * (size_t)T + (size_t)(t - 1)] = 1;
        const pl_group_kpi *k = &gl->k[(size_t)g * (size_t)T + (size_t)(t - 1)];
        r5g_str d = R5G_STR_INIT;
        for (int q = 2; q < gl->nf; q++)
            field_diff(&d, gl->f[q], sv(&c.sr, q, i), group_field(gl, (size_t)g, k, gl->f[q]));
        if (r5g_str_text(&d) && r5g_str_text(&d)[0])
            idl_add(&c.pp.l[t], id, "%s", r5g_str_text(&d));
        r5g_str_dispose(&d);
    }
    for (size_t g = 0; g < gl->ng; g++)
        for (int t = 1; t <= T; t++)
            if (!c.seen[g * (size_t)T + (size_t)(t - 1)])
                idl_add(&c.pp.l[t], gl->gid[g], "no row in the plan");
    if (!pp_fail(v, &c.pp, gl->layer, gl->what, "the recomputation"))
        check_addf(&v->R, ST_PASS, gl->layer, NULL, "%zu %s%s x %d period%s, every field as recomputed", gl->ng, gl->what,
                   gl->ng == 1 ? "" : "s", T, T == 1 ? "" : "s");
out:
    rowcheck_close(&c);
    return rc;
}

static int check_region_sector_kpi(vctx *v, r5g_err *err)
{
    static const char *const rf[] = {"region_id", "period_index", "sites_on_air", "new_sites", "capex",
                                     "sites_per_10k", "demand_weight", "covered_share", "on_time_share"};
    static const char *const sf[] = {"sector", "period_index", "n_demand", "demand_weight", "covered_share",
                                     "on_time_share"};
    const pl_plan *p = v->p;
    int T = p->sc->n_periods, rc = 0;
    pl_group_kpi *k = NULL;
    const char **sec = NULL;
    size_t nsec = 0;
    if (p->regions && p->nr) {
        if (!(k = calloc(p->nr * (size_t)T, sizeof *k)))
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        pl_group_kpi *row = calloc(p->nr, sizeof *row);
        if (!row) {
            free(k);
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        }
        for (int t = 1; t <= T; t++) {
            pl_plan_region_kpi(row, p, t);
            for (size_t g = 0; g < p->nr; g++)
                k[g * (size_t)T + (size_t)(t - 1)] = row[g];
        }
        free(row);
        group_layer gl = {"region_kpi", "region", rf, 9, p->nr, p->r_id, k, p->r_pop};
        rc = check_group_layer(v, &gl, err);
        free(k);
        k = NULL;
        if (rc)
            return rc;
    }
    if ((rc = pl_plan_sectors(&sec, &nsec, p, err)))
        return rc;
    if (!(k = calloc(nsec * (size_t)T + 1, sizeof *k))) {
        free(sec);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    for (size_t g = 0; g < nsec; g++)
        for (int t = 1; t <= T; t++)
            k[g * (size_t)T + (size_t)(t - 1)] = pl_plan_sector_kpi(p, sec[g], t);
    group_layer gl = {"sector_kpi", "sector", sf, 6, nsec, sec, k, NULL};
    rc = check_group_layer(v, &gl, err);
    free(k);
    free(sec);
    return rc;
}

static int check_demand(vctx *v, r5g_err *err)
{
    static const char *const f[] = {"demand_id", "demand_index", "covered_index", "on_time", "serving_site_id"};
    const pl_plan *p = v->p;
    int rc = 0;
    rowcheck c;
    if ((rc = rowcheck_open(&c, v, "demand", f, 5, p->d_id, p->nd, p->nd, err)) || !c.sr.rows)
        goto out;
    for (size_t i = 0; i < srows_count(&c.sr); i++) {
        const char *id = sv(&c.sr, 0, i);
        int j = pl_id_index_find(&c.ix, id);
        if (j < 0) {
            idl_add(&c.pp.l[0], id, "not a demand point of the scenario");
            continue;
        }
        c.seen[j] = 1;
        int a = p->d_period[j], cov = p->d_cov[j], srv = p->d_serving[j];
        int on_time = cov > 0 && cov <= clamp1(a - p->sc->lead_periods);
        const char *got_srv = sv(&c.sr, 4, i), *want_srv = srv >= 0 ? p->s_id[srv] : NULL;
        r5g_str d = R5G_STR_INIT;
        field_diff(&d, "demand_index", sv(&c.sr, 1, i), a);
        field_diff(&d, "covered_index", sv(&c.sr, 2, i), cov ? cov : NAN);
        field_diff(&d, "on_time", sv(&c.sr, 3, i), on_time);
        if (!((!got_srv || !*got_srv) && !want_srv) && !(got_srv && want_srv && strcmp(got_srv, want_srv) == 0))
            r5g_str_appendf(&d, "%sserving_site_id %s in the plan, %s recomputed",
                            r5g_str_text(&d) && r5g_str_text(&d)[0] ? "; " : "", got_srv && *got_srv ? got_srv : "NULL",
                            want_srv ? want_srv : "NULL");
        if (r5g_str_text(&d) && r5g_str_text(&d)[0])
            idl_add(&c.pp.l[a], id, "%s", r5g_str_text(&d));
        r5g_str_dispose(&d);
    }
    for (size_t j = 0; j < p->nd; j++)
        if (!c.seen[j])
            idl_add(&c.pp.l[0], p->d_id[j], "missing from the plan's demand layer");
    if (!pp_fail(v, &c.pp, "demand", "point", "the recomputation"))
        check_addf(&v->R, ST_PASS, "demand", NULL, "%zu points: demand_index, covered_index, on_time and serving_site_id "
                   "as recomputed from the geometry and the radio model", p->nd);
out:
    rowcheck_close(&c);
    return rc;
}

/* ---- reading the plan and the scenario ----------------------------------------------- */

/* 1 when PLAN is a plan written by rollout5g (it has plan_meta), 0 when it
 * is some other layer of sites, a negative code when it cannot be opened. */
static int is_own_plan(vctx *v, r5g_err *err)
{
    int folder = 0;
    char *src = pl_plan_layer_source(v->o->plan_path, "plan_meta", &folder);
    if (!src)
        return 0;
    geo_rows *rows = NULL;
    r5g_err e = {0};
    int rc = geo_rows_read(&rows, v->geo, src, "plan_meta", NULL, 0, &e);
    geo_rows_free(rows);
    free(src);
    if (rc == 0)
        return 1;
    if (rc == R5G_EINPUT)
        return 0;
    *err = e;
    return rc;
}

static int take_given(vctx *v, size_t n, r5g_err *err)
{
    v->n = n;
    v->ids = calloc(n + 1, sizeof *v->ids);
    v->raw = calloc(n + 1, sizeof *v->raw);
    v->bp = calloc(n + 1, sizeof *v->bp);
    return v->ids && v->raw && v->bp ? 0 : r5g_err_set(err, R5G_ENOMEM, "out of memory for %zu sites", n);
}

static int read_own(vctx *v, r5g_err *err)
{
    int rc = pl_plan_read(&v->stored, v->geo, v->o->plan_path, err);
    if (rc || (rc = take_given(v, v->stored->ns, err)))
        return rc;
    for (size_t s = 0; s < v->stored->ns; s++) {
        if (!(v->ids[s] = r5g_strdup(v->stored->s_id[s])))
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        v->bp[s] = v->stored->s_kind[s] == PL_KIND_EXISTING ? 0 : v->stored->s_on_air[s];
    }
    return 0;
}

static int read_foreign(vctx *v, r5g_err *err)
{
    const pl_verify_opts *o = v->o;
    const char *f[2] = {o->id_field ? o->id_field : "site_id",
                        o->date_field ? o->date_field : o->period_field ? o->period_field : "build_period"};
    geo_rows *rows = NULL;
    int rc = geo_rows_read(&rows, v->geo, o->plan_path, o->sites_layer, f, 2, err);
    if (rc)
        return rc;
    for (int k = 0; k < 2 && rc == 0; k++)
        if (!geo_rows_has_field(rows, k))
            rc = r5g_err_set(err, R5G_EINPUT, "%s%s%s: no field '%s' (name the %s field with %s)", o->plan_path,
                             o->sites_layer ? " layer " : "", o->sites_layer ? o->sites_layer : "", f[k],
                             k ? (o->date_field ? "build date" : "build period") : "site id",
                             k ? (o->date_field ? "--date-field" : "--period-field or --date-field") : "--id-field");
    size_t n = rc ? 0 : geo_rows_count(rows);
    if (rc == 0)
        rc = take_given(v, n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *id = geo_rows_value(rows, 0, i), *raw = geo_rows_value(rows, 1, i);
        if ((id && !(v->ids[i] = r5g_strdup(id))) || (raw && !(v->raw[i] = r5g_strdup(raw))))
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    geo_rows_free(rows);
    return rc;
}

/* "YYYY-MM-DD" from a date text (GDAL writes dates as YYYY/MM/DD). */
static int date_of(const char *s, char out[11])
{
    if (strlen(s) < 10)
        return 0;
    for (int i = 0; i < 10; i++) {
        char c = s[i];
        if (i == 4 || i == 7) {
            if (c != '-' && c != '/')
                return 0;
            out[i] = '-';
        } else if (!isdigit((unsigned char)c)) {
            return 0;
        } else {
            out[i] = c;
        }
    }
    out[10] = '\0';
    return s[10] == '\0' || s[10] == ' ' || s[10] == 'T';
}

/* Period of a build period or date text: 1..T, 0 for none (not built), -1
 * when it is no period of the scenario. */
static int period_of(const pl_scenario *sc, const char *raw)
{
    while (raw && isspace((unsigned char)*raw))
        raw++;
    if (!raw || !*raw)
        return 0;
    int T = sc->n_periods;
    for (int t = 0; t < T; t++)
        if (strcmp(sc->period_label[t], raw) == 0)
            return t + 1;
    char d[11], end[11];
    if (date_of(raw, d)) {
        pl_scenario_period_end(sc, T, end);
        if (strcmp(d, sc->period_date[0]) < 0 || strcmp(d, end) >= 0)
            return -1;
        int t = T;
        while (t > 1 && strcmp(d, sc->period_date[t - 1]) < 0)
            t--;
        return t;
    }
    double y = num_of(raw);
    if (sc->period_step > 0 && isfinite(y) && y == floor(y) && y >= sc->period_start &&
        y < sc->period_start + (double)T * sc->period_step)
        return (int)((y - sc->period_start) / sc->period_step) + 1;
    return -1;
}

static int load_scenario(pl_scenario **sc, vctx *v, r5g_err *err)
{
    const pl_verify_opts *o = v->o;
    int rc;
    if (o->scenario_path) {
        v->scenario_file = r5g_strdup(o->scenario_path);
        v->against = r5g_asprintf("the scenario %s", o->scenario_path);
        return v->scenario_file && v->against ? pl_scenario_load(sc, o->scenario_path, err)
                                              : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    const char *json = meta(v, "settings");
    if (json) {
        char *origin = r5g_asprintf("%s: plan_meta settings", o->plan_path);
        v->against = r5g_strdup("the settings recorded in plan_meta");
        rc = origin && v->against ? pl_scenario_from_settings_json(sc, json, origin, err)
                                  : r5g_err_set(err, R5G_ENOMEM, "out of memory");
        free(origin);
        return rc;
    }
    const char *file = meta(v, "scenario_file");
    if (!file)
        return r5g_err_set(err, R5G_EINPUT, "%s: plan_meta records neither settings nor a scenario_file: give the "
                           "scenario with --scenario", o->plan_path);
    v->scenario_file = r5g_strdup(file);
    v->against = r5g_asprintf("the scenario %s (plan_meta scenario_file)", file);
    if (!v->scenario_file || !v->against)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if ((rc = pl_scenario_load(sc, file, err)))
        r5g_err_prefix(err, "%s: its scenario_file (give the scenario with --scenario)", o->plan_path);
    return rc;
}

/* ---- rendering ------------------------------------------------------------------------- */

static void print_lines(const report *R, FILE *f)
{
    for (size_t k = 0; k < R->n; k++) {
        const check *c = &R->c[k];
        fprintf(f, "%s %s%s%s: %s\n", status_name[c->st], c->name, c->period ? " " : "", c->period ? c->period : "", c->text);
    }
}

static char *render_json(const vctx *v, int n_fail, int n_warn)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    json_object_object_add(root, "plan", json_object_new_string(v->o->plan_path));
    json_object_object_add(root, "plan_kind", json_object_new_string(v->own ? "rollout5g" : "sites layer"));
    json_object_object_add(root, "checked_against", json_object_new_string(v->against ? v->against : ""));
    json_object_object_add(root, "scenario", v->p->sc->name ? json_object_new_string(v->p->sc->name) : NULL);
    json_object_object_add(root, "lead_periods", json_object_new_int(v->L));
    json_object_object_add(root, "max_lead_periods", json_object_new_int(v->M));
    json_object_object_add(root, "passed", json_object_new_boolean(n_fail == 0));
    json_object_object_add(root, "n_checks", json_object_new_int((int)v->R.n));
    json_object_object_add(root, "n_failed", json_object_new_int(n_fail));
    json_object_object_add(root, "n_warnings", json_object_new_int(n_warn));
    for (size_t k = 0; k < v->R.n; k++) {
        const check *c = &v->R.c[k];
        json_object *o = json_object_new_object(), *ids = json_object_new_array();
        char *line = r5g_asprintf("%s %s%s%s: %s", status_name[c->st], c->name, c->period ? " " : "",
                                  c->period ? c->period : "", c->text);
        json_object_object_add(o, "check", json_object_new_string(c->name));
        json_object_object_add(o, "status", json_object_new_string(status_name[c->st]));
        int input = strcmp(c->name, "inputs") == 0;
        json_object_object_add(o, "period", c->period && !input ? json_object_new_string(c->period) : NULL);
        if (input)
            json_object_object_add(o, "input", c->period ? json_object_new_string(c->period) : NULL);
        json_object_object_add(o, "message", json_object_new_string(c->text));
        json_object_object_add(o, "line", line ? json_object_new_string(line) : NULL);
        for (size_t i = 0; i < c->ids.n; i++)
            json_object_array_add(ids, json_object_new_string(c->ids.id[i]));
        json_object_object_add(o, "ids", ids);
        json_object_array_add(arr, o);
        free(line);
    }
    json_object_object_add(root, "checks", arr);
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    char *out = text ? r5g_asprintf("%s\n", text) : NULL;
    json_object_put(root);
    return out;
}

/* The JSON written as every output is (common/afile.h): under a temporary
 * name beside path, moved into place when complete. */
static int write_json_file(const char *path, const char *text, int overwrite, r5g_err *err)
{
    r5g_afile *af = NULL;
    int rc = r5g_afile_new(&af, path, 0, err);
    if (rc)
        return rc;
    FILE *f = fopen(r5g_afile_tmp(af), "w");
    if (!f) {
        rc = r5g_err_set(err, R5G_EIO, "--json %s: cannot write: %s", path, strerror(errno));
    } else {
        int bad = fputs(text, f) < 0;
        bad |= fclose(f) != 0;
        rc = bad ? r5g_err_set(err, R5G_EIO, "--json %s: cannot write: %s", path, strerror(errno))
                 : r5g_afile_commit(af, overwrite, err);
    }
    r5g_afile_free(af);
    return rc;
}

/* The real path of a file that may not exist yet: its folder's, plus its name. */
static char *real_target(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? r5g_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : r5g_strdup(".");
    char *rd = dir ? realpath(dir, NULL) : NULL;
    char *out = rd ? r5g_asprintf("%s/%s", strcmp(rd, "/") ? rd : "", slash ? slash + 1 : path) : NULL;
    free(dir);
    free(rd);
    return out;
}

/* --json must not touch an input of the scenario (pl_paths_check), nor the
 * plan being verified or a file of a folder plan. */
static int check_json_path(const vctx *v, const pl_scenario *sc, r5g_err *err)
{
    const pl_verify_opts *o = v->o;
    if (!o->json_path || strcmp(o->json_path, "-") == 0)
        return 0;
    int rc = 0;
    char *j = real_target(o->json_path), *p = realpath(o->plan_path, NULL);
    size_t n = p ? strlen(p) : 0;
    if (j && p && (strcmp(j, p) == 0 || (strncmp(j, p, n) == 0 && j[n] == '/')))
        rc = r5g_err_set(err, R5G_EINPUT, "--json %s: is %sthe plan being verified (%s); refusing to write over it",
                         o->json_path, strcmp(j, p) == 0 ? "" : "inside ", o->plan_path);
    free(j);
    free(p);
    const pl_out_path out = {"--json", o->json_path, 0};
    return rc ? rc : pl_paths_check(sc, &out, 1, o->overwrite, err);
}

/* ---- the command --------------------------------------------------------------------------- */

static int run_checks(vctx *v, r5g_err *err)
{
    int rc = 0;
    if (v->own) {
        check_inputs(v);
        check_settings(v);
    }
    if ((rc = check_sites(v, err)))
        return rc;
    check_committed(v);
    check_budget(v);
    check_build_limit(v);
    check_over_early(v);
    check_on_time(v);
    check_targets(v);
    if (v->own) {
        check_objective(v);
        if ((rc = check_period_kpi(v, err)) || (rc = check_region_sector_kpi(v, err)) || (rc = check_demand(v, err)))
            return rc;
    }
    return v->R.oom ? r5g_err_set(err, R5G_ENOMEM, "out of memory writing the checks") : 0;
}

int pl_verify_run(const pl_verify_opts *o, int *n_failed, r5g_err *err)
{
    vctx vc = {.o = o}, *v = &vc;
    pl_scenario *sc = NULL;
    char *json = NULL;
    int rc;
    *n_failed = 0;
    struct stat st;
    if (stat(o->plan_path, &st) != 0 && !strchr(o->plan_path, ':') && strncmp(o->plan_path, "/vsi", 4) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot read the plan: %s", o->plan_path, strerror(errno));
        goto out;
    }
    if ((rc = geo_ctx_new(&v->geo, err)))
        goto out;
    if (!o->foreign) {
        if ((rc = is_own_plan(v, err)) < 0)
            goto out;
        v->own = rc;
    }
    if (!v->own && !o->scenario_path) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: not a plan written by rollout5g (no plan_meta): give its scenario "
                         "with --scenario", o->plan_path);
        goto out;
    }
    if ((rc = v->own ? read_own(v, err) : read_foreign(v, err)) || (rc = load_scenario(&sc, v, err)))
        goto out;
    for (size_t i = 0; i < v->n; i++) {
        if (!v->own && (v->bp[i] = period_of(sc, v->raw[i])) < 0) {
            idl_add(&v->bad_period, v->ids[i], "'%s'", v->raw[i]);
            v->bp[i] = 0;
        } else if (v->own && v->bp[i] > sc->n_periods) { /* --scenario with a shorter horizon */
            idl_add(&v->bad_period, v->ids[i], "build_index %d", v->bp[i]);
            v->bp[i] = 0;
        }
    }
    if ((rc = check_json_path(v, sc, err)))
        goto out;
    v->L = o->lead >= 0 ? o->lead : sc->lead_periods;
    v->M = sc->max_lead_periods > v->L ? sc->max_lead_periods : v->L;
    r5g_log(R5G_LOG_INFO, "verify: %s (%s, %zu sites) against %s", o->plan_path,
            v->own ? "a plan written by rollout5g" : "a layer of sites", v->n, v->against);
    if ((rc = pl_plan_evaluate(&v->ev, &sc, v->geo, (const char *const *)v->ids, v->bp, v->n, err)))
        goto out;
    v->p = v->ev->plan;
    if ((rc = run_checks(v, err)))
        goto out;
    int n_warn = 0;
    for (size_t k = 0; k < v->R.n; k++) {
        *n_failed += v->R.c[k].st == ST_FAIL;
        n_warn += v->R.c[k].st == ST_WARN;
    }
    if (o->json_path && !(json = render_json(v, *n_failed, n_warn))) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory writing JSON");
        goto out;
    }
    if (o->json_path && strcmp(o->json_path, "-") == 0) {
        fputs(json, stdout); /* the lines go to stderr then, as plan's table (silenced by -q) */
        if (r5g_log_level() >= R5G_LOG_WARN)
            print_lines(&v->R, stderr);
    } else {
        print_lines(&v->R, stdout);
        if (o->json_path && (rc = write_json_file(o->json_path, json, o->overwrite, err)))
            goto out;
    }
    fflush(stdout);
    r5g_log(R5G_LOG_INFO, "verify: %zu checks, %d failed, %d warning%s", v->R.n, *n_failed, n_warn,
            n_warn == 1 ? "" : "s");
out:
    free(json);
    report_dispose(&v->R);
    idl_dispose(&v->bad_period);
    for (size_t i = 0; i < v->n; i++) {
        free(v->ids ? v->ids[i] : NULL);
        free(v->raw ? v->raw[i] : NULL);
    }
    free(v->ids);
    free(v->raw);
    free(v->bp);
    free(v->against);
    free(v->scenario_file);
    free(v->stated);
    pl_eval_free(v->ev);
    pl_plan_free(v->stored);
    pl_scenario_free(sc);
    geo_ctx_free(v->geo);
    return rc;
}
