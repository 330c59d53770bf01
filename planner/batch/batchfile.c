/* Batch files (YAML, version 1; docs/batch.md): the scenarios, the axes of
 * the sweep, the frontier, the Pareto criteria and the Slurm resources, and
 * the jobs they expand to, each with a stable id. Errors read
 * "FILE:LINE: KEY: message (value)", as for scenarios. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "common/sha256.h"
#include "common/strbuf.h"
#include "planner/batch/batch_int.h"
#include "planner/scenario/yaml_node.h"

enum { MAX_JOBS = 100000, MAX_AXES = 32 };

typedef struct bctx {
    const char *file;
    yaml_document_t *doc;
    pl_batch *b;
    r5g_err *err;
} bctx;

static int bfail(bctx *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bfail(bctx *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pl_yaml_error(c->err, c->file, n, key, what);
}

static int boom(bctx *c) { return r5g_err_set(c->err, R5G_ENOMEM, "%s: out of memory", c->file); }

static yaml_node_t *node(bctx *c, int id) { return yaml_document_get_node(c->doc, id); }

static int want(bctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *key)
{
    if (!pl_yaml_mismatch(n, type))
        return 0;
    char got[96];
    pl_yaml_describe(n, got, sizeof got);
    return bfail(c, n, key, "expected %s, got %s", pl_yaml_expected(type), got);
}

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int want_int(bctx *c, const yaml_node_t *n, const char *key, int lo, int hi, int *out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, key);
    if (rc)
        return rc;
    double v;
    if (parse_number(pl_yaml_text(n), &v) || v != floor(v) || v < lo || v > hi)
        return bfail(c, n, key, "expected a whole number in %d..%d, got '%s'", lo, hi, pl_yaml_text(n));
    *out = (int)v;
    return 0;
}

static int want_str(bctx *c, const yaml_node_t *n, const char *key, char **out)
{
    int rc = want(c, n, YAML_SCALAR_NODE, key);
    if (rc)
        return rc;
    free(*out);
    *out = r5g_strdup(pl_yaml_text(n));
    return *out ? 0 : boom(c);
}

/* Unknown key: "did you mean". */
static int unknown_key(bctx *c, const yaml_node_t *k, const char *section, const char *const *known)
{
    const char *best = NULL;
    int bestd = 3;
    for (int i = 0; known[i]; i++) {
        int d = r5g_edit_distance(pl_yaml_text(k), known[i]);
        if (d < bestd)
            bestd = d, best = known[i];
    }
    r5g_str keys = R5G_STR_INIT;
    for (int i = 0; known[i]; i++)
        r5g_str_appendf(&keys, "%s%s", i ? ", " : "", known[i]);
    int rc;
    if (best)
        rc = bfail(c, k, section, "unknown key '%s' (did you mean '%s'?)", pl_yaml_text(k), best);
    else
        rc = bfail(c, k, section, "unknown key '%s' (known: %s)", pl_yaml_text(k),
                   r5g_str_text(&keys) ? r5g_str_text(&keys) : "");
    r5g_str_dispose(&keys);
    return rc;
}

/* ---- a YAML value back to YAML text (what an override takes) ---------- */

static void emit(bctx *c, const yaml_node_t *n, r5g_str *b)
{
    if (n->type == YAML_SCALAR_NODE) {
        const char *t = pl_yaml_text(n);
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            r5g_str_append(b, t);
            return;
        }
        r5g_str_append(b, "\"");
        for (const char *s = t; *s; s++) {
            if (*s == '"' || *s == '\\')
                r5g_str_append(b, "\\");
            if (*s == '\n')
                r5g_str_append(b, "\\n");
            else
                r5g_str_appendn(b, s, 1);
        }
        r5g_str_append(b, "\"");
    } else if (n->type == YAML_SEQUENCE_NODE) {
        r5g_str_append(b, "[");
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
            if (i != n->data.sequence.items.start)
                r5g_str_append(b, ", ");
            emit(c, node(c, *i), b);
        }
        r5g_str_append(b, "]");
    } else if (n->type == YAML_MAPPING_NODE) {
        r5g_str_append(b, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            if (p != n->data.mapping.pairs.start)
                r5g_str_append(b, ", ");
            emit(c, node(c, p->key), b);
            r5g_str_append(b, ": ");
            emit(c, node(c, p->value), b);
        }
        r5g_str_append(b, "}");
    }
}

static int value_of(bctx *c, const yaml_node_t *n, const char *key, pl_bvalue *v)
{
    if (pl_yaml_is_null(n))
        return bfail(c, n, key, "empty value (give the value the scenario key should take)");
    r5g_str b = R5G_STR_INIT;
    emit(c, n, &b);
    v->yaml = r5g_str_finish(&b);
    if (!v->yaml)
        return boom(c);
    v->line = pl_yaml_line(n);
    v->is_num = n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                parse_number(pl_yaml_text(n), &v->num) == 0;
    return 0;
}

/* A scenario key path: dot-separated names. */
static int check_path(bctx *c, const yaml_node_t *k, const char *section)
{
    const char *p = pl_yaml_text(k);
    int ok = *p != '\0', seg = 0;
    for (const char *s = p; *s && ok; s++) {
        if (*s == '.') {
            ok = seg > 0;
            seg = 0;
        } else if (isalnum((unsigned char)*s) || *s == '_' || *s == '-') {
            seg++;
        } else {
            ok = 0;
        }
    }
    if (!ok || seg == 0)
        return bfail(c, k, section, "'%s' is not a scenario key path (names joined by dots, e.g. budget.capex)", p);
    return 0;
}

static int axis_add(bctx *c, const yaml_node_t *k, const yaml_node_t *v, const char *section, int frontier)
{
    pl_batch *b = c->b;
    int rc;
    char key[512];
    snprintf(key, sizeof key, "%s.%s", section, pl_yaml_text(k));
    if ((rc = check_path(c, k, section)))
        return rc;
    if (b->n_axes >= MAX_AXES)
        return bfail(c, k, section, "more than %d axes", MAX_AXES);
    for (int a = 0; a < b->n_axes; a++)
        if (strcmp(b->axes[a].path, pl_yaml_text(k)) == 0)
            return bfail(c, k, key, "the same key is an axis twice (line %d)", b->axes[a].line);
    if ((rc = want(c, v, YAML_SEQUENCE_NODE, key)))
        return rc;
    int n = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n == 0)
        return bfail(c, v, key, "empty list: an axis needs at least one value");
    pl_baxis *ax = &b->axes[b->n_axes];
    memset(ax, 0, sizeof *ax);
    if (!(ax->path = r5g_strdup(pl_yaml_text(k))) || !(ax->v = calloc((size_t)n, sizeof *ax->v)))
        return free(ax->path), boom(c);
    b->n_axes++;
    ax->line = pl_yaml_line(k);
    ax->frontier = frontier;
    int all_num = 1, all_int = 1;
    for (int i = 0; i < n; i++) {
        const yaml_node_t *e = node(c, v->data.sequence.items.start[i]);
        if ((rc = value_of(c, e, key, &ax->v[i])))
            return rc;
        ax->n++;
        all_num &= ax->v[i].is_num;
        all_int &= ax->v[i].is_num && ax->v[i].num == floor(ax->v[i].num) &&
                   !strpbrk(ax->v[i].yaml, ".eE") && fabs(ax->v[i].num) < 1e15;
    }
    if (strcmp(ax->path, "budget.scale") == 0)
        for (int i = 0; i < n; i++)
            if (!ax->v[i].is_num || !(ax->v[i].num > 0))
                return r5g_err_set(c->err, R5G_EINPUT, "%s:%d: %s: expected a factor > 0, got %s", c->file,
                                   ax->v[i].line, key, ax->v[i].yaml);
    ax->col = all_int ? PL_BCOL_INT : all_num ? PL_BCOL_REAL : PL_BCOL_TEXT;
    return 0;
}

/* ---- sections --------------------------------------------------------- */

static int parse_sweep(bctx *c, const yaml_node_t *n)
{
    static const char *const known[] = {"mode", "axes", NULL};
    int rc = want(c, n, YAML_MAPPING_NODE, "sweep");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        if ((rc = want(c, k, YAML_SCALAR_NODE, "sweep")))
            break;
        if (strcmp(pl_yaml_text(k), "mode") == 0) {
            if ((rc = want(c, v, YAML_SCALAR_NODE, "sweep.mode")))
                break;
            if (strcmp(pl_yaml_text(v), "grid") == 0)
                c->b->zip = 0;
            else if (strcmp(pl_yaml_text(v), "zip") == 0)
                c->b->zip = 1;
            else
                rc = bfail(c, v, "sweep.mode", "expected grid (every combination) or zip (the i-th values together), got '%s'",
                           pl_yaml_text(v));
        } else if (strcmp(pl_yaml_text(k), "axes") == 0) {
            if ((rc = want(c, v, YAML_MAPPING_NODE, "sweep.axes")))
                break;
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; rc == 0 && q < v->data.mapping.pairs.top; q++) {
                yaml_node_t *ak = node(c, q->key);
                if (!(rc = want(c, ak, YAML_SCALAR_NODE, "sweep.axes")))
                    rc = axis_add(c, ak, node(c, q->value), "sweep.axes", 0);
            }
        } else {
            rc = unknown_key(c, k, "sweep", known);
        }
    }
    return rc;
}

static int set_add(bctx *c, const char *path, const yaml_node_t *at, const yaml_node_t *v, const char *key)
{
    pl_batch *b = c->b;
    if (b->n_set >= 64)
        return bfail(c, at, key, "more than 64 keys in set:");
    for (int i = 0; i < b->n_set; i++)
        if (strcmp(b->set_path[i], path) == 0)
            return bfail(c, at, key, "'%s' is set twice (line %d)", path, b->set_val[i].line);
    char **np = realloc(b->set_path, (size_t)(b->n_set + 1) * sizeof *np);
    if (!np)
        return boom(c);
    b->set_path = np;
    pl_bvalue *nv = realloc(b->set_val, (size_t)(b->n_set + 1) * sizeof *nv);
    if (!nv)
        return boom(c);
    b->set_val = nv;
    memset(&b->set_val[b->n_set], 0, sizeof *nv);
    if (!(b->set_path[b->n_set] = r5g_strdup(path)))
        return boom(c);
    int rc = value_of(c, v, key, &b->set_val[b->n_set]);
    b->n_set++;
    return rc;
}

static int parse_set(bctx *c, const yaml_node_t *n)
{
    int rc = want(c, n, YAML_MAPPING_NODE, "set");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key);
        char key[512];
        if ((rc = want(c, k, YAML_SCALAR_NODE, "set")) || (rc = check_path(c, k, "set")))
            break;
        if (strcmp(pl_yaml_text(k), "budget.scale") == 0)
            return bfail(c, k, "set", "budget.scale is an axis of the sweep or the frontier, not a fixed value");
        snprintf(key, sizeof key, "set.%s", pl_yaml_text(k));
        rc = set_add(c, pl_yaml_text(k), k, node(c, p->value), key);
    }
    return rc;
}

static int parse_frontier(bctx *c, const yaml_node_t *n)
{
    static const char *const known[] = {"axis", "values", "mip_gap", "coverage", NULL};
    int rc = want(c, n, YAML_MAPPING_NODE, "frontier");
    const yaml_node_t *axis = NULL, *values = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        if ((rc = want(c, k, YAML_SCALAR_NODE, "frontier")))
            break;
        const char *kk = pl_yaml_text(k);
        if (strcmp(kk, "axis") == 0) {
            if ((rc = want(c, v, YAML_SCALAR_NODE, "frontier.axis")))
                break;
            if (strcmp(pl_yaml_text(v), "budget.scale") && strcmp(pl_yaml_text(v), "budget.capex"))
                rc = bfail(c, v, "frontier.axis", "expected budget.scale (a factor on every period's capex) or budget.capex, got '%s'",
                           pl_yaml_text(v));
            axis = v;
        } else if (strcmp(kk, "values") == 0) {
            values = v;
            rc = want(c, v, YAML_SEQUENCE_NODE, "frontier.values");
        } else if (strcmp(kk, "mip_gap") == 0) {
            double g;
            if (!(rc = want(c, v, YAML_SCALAR_NODE, "frontier.mip_gap")) &&
                (parse_number(pl_yaml_text(v), &g) || g < 0 || g >= 1))
                rc = bfail(c, v, "frontier.mip_gap", "expected a relative gap in [0, 1), got '%s'", pl_yaml_text(v));
            if (rc == 0)
                rc = set_add(c, "solver.mip_gap", k, v, "frontier.mip_gap");
        } else if (strcmp(kk, "coverage") == 0) {
            if ((rc = want(c, v, YAML_SCALAR_NODE, "frontier.coverage")))
                break;
            int kpi = pl_bkpi_find(pl_yaml_text(v));
            if (kpi != PL_BKPI_COVERED_WEIGHT && kpi != PL_BKPI_COVERED_SHARE && kpi != PL_BKPI_OBJECTIVE &&
                kpi != PL_BKPI_ON_TIME_SHARE)
                rc = bfail(c, v, "frontier.coverage",
                           "expected covered_weight, covered_share, on_time_share or objective, got '%s'", pl_yaml_text(v));
            c->b->frontier_cov = kpi;
        } else {
            rc = unknown_key(c, k, "frontier", known);
        }
    }
    if (rc)
        return rc;
    if (!values)
        return bfail(c, n, "frontier", "missing key 'values' (the budget points of the curve)");
    yaml_node_t key = {0};
    key.type = YAML_SCALAR_NODE;
    key.data.scalar.value = (yaml_char_t *)(axis ? pl_yaml_text(axis) : "budget.scale");
    key.data.scalar.length = strlen((const char *)key.data.scalar.value);
    key.start_mark = axis ? axis->start_mark : n->start_mark;
    for (int a = 0; a < c->b->n_axes; a++)
        if (strcmp(c->b->axes[a].path, (const char *)key.data.scalar.value) == 0)
            return bfail(c, &key, "frontier", "%s is already an axis of the sweep (line %d)",
                         c->b->axes[a].path, c->b->axes[a].line);
    c->b->has_frontier = 1;
    return axis_add(c, &key, values, "frontier.values", 1);
}

static int parse_pareto(bctx *c, const yaml_node_t *n)
{
    int rc = want(c, n, YAML_MAPPING_NODE, "pareto");
    c->b->n_crit = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        if ((rc = want(c, k, YAML_SCALAR_NODE, "pareto")))
            break;
        int kpi = pl_bkpi_find(pl_yaml_text(k));
        if (kpi < 0 || pl_bkpi_is_timing(kpi)) {
            r5g_str names = R5G_STR_INIT;
            for (int i = 0; i < PL_BKPI_COUNT; i++)
                if (!pl_bkpi_is_timing(i))
                    r5g_str_appendf(&names, "%s%s", names.n ? ", " : "", pl_bkpi_name(i));
            rc = bfail(c, k, "pareto", "unknown criterion '%s' (known: %s)", pl_yaml_text(k),
                       r5g_str_text(&names) ? r5g_str_text(&names) : "");
            r5g_str_dispose(&names);
            break;
        }
        char key[128];
        snprintf(key, sizeof key, "pareto.%s", pl_yaml_text(k));
        if ((rc = want(c, v, YAML_SCALAR_NODE, key)))
            break;
        int max = strcmp(pl_yaml_text(v), "max") == 0 || strcmp(pl_yaml_text(v), "up") == 0;
        if (!max && strcmp(pl_yaml_text(v), "min") && strcmp(pl_yaml_text(v), "down"))
            return bfail(c, v, key, "expected min or max, got '%s'", pl_yaml_text(v));
        if (c->b->n_crit >= (int)(sizeof c->b->crit / sizeof c->b->crit[0]))
            return bfail(c, k, "pareto", "too many criteria");
        for (int i = 0; i < c->b->n_crit; i++)
            if (c->b->crit[i].kpi == kpi)
                return bfail(c, k, "pareto", "'%s' is a criterion twice", pl_yaml_text(k));
        c->b->crit[c->b->n_crit++] = (pl_bcrit){kpi, max};
    }
    if (rc == 0 && c->b->n_crit == 0)
        rc = bfail(c, n, "pareto", "no criteria (e.g. {total_capex: min, covered_weight: max})");
    return rc;
}

static int parse_slurm(bctx *c, const yaml_node_t *n)
{
    static const char *const known[] = {"max_parallel", "cpus_per_task", "mem", "time", "partition",
                                        "account", "job_name", "extra", NULL};
    pl_bslurm *s = &c->b->slurm;
    int rc = want(c, n, YAML_MAPPING_NODE, "slurm");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; rc == 0 && p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        if ((rc = want(c, k, YAML_SCALAR_NODE, "slurm")))
            break;
        const char *kk = pl_yaml_text(k);
        char key[64];
        snprintf(key, sizeof key, "slurm.%.50s", kk);
        if (strcmp(kk, "max_parallel") == 0)
            rc = want_int(c, v, key, 0, 100000, &s->max_parallel);
        else if (strcmp(kk, "cpus_per_task") == 0)
            rc = want_int(c, v, key, 1, 4096, &s->cpus_per_task);
        else if (strcmp(kk, "mem") == 0)
            rc = want_str(c, v, key, &s->mem);
        else if (strcmp(kk, "time") == 0)
            rc = want_str(c, v, key, &s->time);
        else if (strcmp(kk, "partition") == 0)
            rc = want_str(c, v, key, &s->partition);
        else if (strcmp(kk, "account") == 0)
            rc = want_str(c, v, key, &s->account);
        else if (strcmp(kk, "job_name") == 0)
            rc = want_str(c, v, key, &s->job_name);
        else if (strcmp(kk, "extra") == 0) {
            if ((rc = want(c, v, YAML_SEQUENCE_NODE, key)))
                break;
            r5g_str e = R5G_STR_INIT;
            for (yaml_node_item_t *i = v->data.sequence.items.start; rc == 0 && i < v->data.sequence.items.top; i++) {
                yaml_node_t *x = node(c, *i);
                if (!(rc = want(c, x, YAML_SCALAR_NODE, key)))
                    r5g_str_appendf(&e, "#SBATCH %s\n", pl_yaml_text(x));
            }
            free(s->extra);
            s->extra = r5g_str_finish(&e);
            if (rc == 0 && !s->extra)
                rc = boom(c);
        } else
            rc = unknown_key(c, k, "slurm", known);
        /* a value that breaks the script's #SBATCH lines */
        if (rc == 0 && v->type == YAML_SCALAR_NODE && strpbrk(pl_yaml_text(v), "\n\r"))
            rc = bfail(c, v, key, "a line break in the value");
    }
    return rc;
}

static char *stem_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    /* scenario.yaml in a folder: the folder names it (city_a/scenario.yaml -> city_a) */
    if (dot && strncmp(base, "scenario.", 9) == 0 && base != path) {
        const char *end = base - 1, *start = end;
        while (start > path && start[-1] != '/')
            start--;
        if (end > start)
            return r5g_strndup(start, (size_t)(end - start));
    }
    return r5g_strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static int scen_add(bctx *c, const yaml_node_t *v, const char *key)
{
    pl_batch *b = c->b;
    int rc = want(c, v, YAML_SCALAR_NODE, key);
    if (rc)
        return rc;
    pl_bscen *ns = realloc(b->scen, (size_t)(b->n_scen + 1) * sizeof *ns);
    if (!ns)
        return boom(c);
    b->scen = ns;
    pl_bscen *s = &b->scen[b->n_scen];
    memset(s, 0, sizeof *s);
    b->n_scen++;
    s->line = pl_yaml_line(v);
    s->rel = r5g_strdup(pl_yaml_text(v));
    s->path = pl_yaml_text(v)[0] == '/' ? r5g_strdup(pl_yaml_text(v)) : r5g_asprintf("%s/%s", b->dir, pl_yaml_text(v));
    s->stem = stem_of(pl_yaml_text(v));
    if (!s->rel || !s->path || !s->stem)
        return boom(c);
    for (int i = 0; i + 1 < b->n_scen; i++)
        if (strcmp(b->scen[i].path, s->path) == 0)
            return bfail(c, v, key, "'%s' is listed twice (line %d)", s->rel, b->scen[i].line);
    FILE *f = fopen(s->path, "rb");
    if (!f)
        return bfail(c, v, key, "cannot read scenario '%s' (%s): %s", s->rel, s->path, strerror(errno));
    fclose(f);
    r5g_err e = {0};
    if (r5g_sha256_file(s->sha, s->path, &e))
        return bfail(c, v, key, "cannot read scenario '%s': %s", s->rel, e.msg);
    return 0;
}

static int parse_root(bctx *c, const yaml_node_t *root)
{
    static const char *const known[] = {"version", "name", "scenario", "scenarios", "sweep", "set",
                                        "frontier", "pareto", "slurm", NULL};
    pl_batch *b = c->b;
    int rc = want(c, root, YAML_MAPPING_NODE, ""), have_version = 0;
    const yaml_node_t *frontier = NULL, *scen = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; rc == 0 && p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        if ((rc = want(c, k, YAML_SCALAR_NODE, "")))
            break;
        const char *kk = pl_yaml_text(k);
        if (strcmp(kk, "version") == 0) {
            have_version = 1;
            if (!(rc = want(c, v, YAML_SCALAR_NODE, "version")) && strcmp(pl_yaml_text(v), "1") != 0)
                rc = bfail(c, v, "version", "unsupported batch file version '%s' (this rollout5g reads version 1)",
                           pl_yaml_text(v));
        } else if (strcmp(kk, "name") == 0) {
            rc = want_str(c, v, "name", &b->name);
        } else if (strcmp(kk, "scenario") == 0 || strcmp(kk, "scenarios") == 0) {
            if (scen)
                return bfail(c, k, kk, "give either scenario or scenarios, once (also on line %d)", pl_yaml_line(scen));
            scen = k;
            if (strcmp(kk, "scenario") == 0) {
                rc = scen_add(c, v, "scenario");
            } else if (!(rc = want(c, v, YAML_SEQUENCE_NODE, "scenarios"))) {
                for (yaml_node_item_t *i = v->data.sequence.items.start; rc == 0 && i < v->data.sequence.items.top; i++)
                    rc = scen_add(c, node(c, *i), "scenarios");
                if (rc == 0 && b->n_scen == 0)
                    rc = bfail(c, v, "scenarios", "empty list");
            }
        } else if (strcmp(kk, "sweep") == 0) {
            rc = parse_sweep(c, v);
        } else if (strcmp(kk, "set") == 0) {
            rc = parse_set(c, v);
        } else if (strcmp(kk, "frontier") == 0) {
            frontier = v; /* after the sweep, so its axis comes last */
        } else if (strcmp(kk, "pareto") == 0) {
            rc = parse_pareto(c, v);
        } else if (strcmp(kk, "slurm") == 0) {
            rc = parse_slurm(c, v);
        } else {
            rc = unknown_key(c, k, "", known);
        }
    }
    if (rc == 0 && frontier)
        rc = parse_frontier(c, frontier);
    if (rc)
        return rc;
    if (!have_version)
        return bfail(c, NULL, "version", "missing key (write 'version: 1' at the top)");
    if (!scen)
        return bfail(c, NULL, "scenario", "missing key: the scenario file the jobs start from (or scenarios: a list)");
    for (int i = 0; i < b->n_set; i++)
        for (int a = 0; a < b->n_axes; a++)
            if (strcmp(b->set_path[i], b->axes[a].path) == 0)
                return r5g_err_set(c->err, R5G_EINPUT, "%s:%d: set.%s: is also an axis (line %d)", c->file,
                                   b->set_val[i].line, b->set_path[i], b->axes[a].line);
    return 0;
}

/* ---- jobs ------------------------------------------------------------- */

static void slug_add(r5g_str *s, const char *text, size_t max)
{
    int dash = s->n == 0 || (s->s && s->s[s->n - 1] == '-');
    for (const char *t = text; *t && s->n < max; t++) {
        unsigned char ch = (unsigned char)*t;
        if (isalnum(ch) || ch == '.' || ch == '+' || ch == '_') {
            r5g_str_appendn(s, t, 1);
            dash = 0;
        } else if (!dash) {
            r5g_str_append(s, "-");
            dash = 1;
        }
    }
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The canonical text of a job (scenario, its hash, the overrides sorted by
 * path) and its id: a readable slug and the first 10 hex digits of the
 * SHA-256 of that text. */
static int job_name(bctx *c, pl_bjob *j)
{
    const pl_batch *b = c->b;
    const pl_bscen *sc = &b->scen[j->scenario];
    int n = b->n_set + b->n_axes, rc = 0;
    char **lines = calloc((size_t)n + 1, sizeof *lines);
    r5g_str canon = R5G_STR_INIT, slug = R5G_STR_INIT;
    if (!lines)
        return boom(c);
    for (int i = 0; i < b->n_set; i++)
        lines[i] = r5g_asprintf("%s=%s\n", b->set_path[i], b->set_val[i].yaml);
    for (int a = 0; a < b->n_axes; a++)
        lines[b->n_set + a] = r5g_asprintf("%s=%s\n", b->axes[a].path, b->axes[a].v[j->value[a]].yaml);
    for (int i = 0; i < n; i++)
        if (!lines[i])
            rc = boom(c);
    if (rc == 0) {
        qsort(lines, (size_t)n, sizeof *lines, cmp_lines);
        r5g_str_appendf(&canon, "scenario=%s\nscenario_sha256=%s\n", sc->rel, sc->sha);
        for (int i = 0; i < n; i++)
            r5g_str_append(&canon, lines[i]);
        /* at most 64 characters: 16 for the scenario, 12 + 16 per axis (name, value) */
        if (b->n_scen > 1)
            slug_add(&slug, sc->stem, 16);
        for (int a = 0; a < b->n_axes && slug.n < 60; a++) {
            const char *last = strrchr(b->axes[a].path, '.');
            if (slug.n)
                r5g_str_append(&slug, "-");
            slug_add(&slug, last ? last + 1 : b->axes[a].path, slug.n + 12 < 64 ? slug.n + 12 : 64);
            slug_add(&slug, b->axes[a].v[j->value[a]].yaml, slug.n + 16 < 64 ? slug.n + 16 : 64);
        }
        while (slug.n && slug.s[slug.n - 1] == '-')
            slug.s[--slug.n] = '\0';
        const char *ct = r5g_str_text(&canon), *st = r5g_str_text(&slug);
        if (!ct || !st) {
            rc = boom(c);
        } else {
            r5g_sha256 h;
            char hex[65];
            r5g_sha256_init(&h);
            r5g_sha256_update(&h, ct, strlen(ct));
            r5g_sha256_hex(&h, hex);
            snprintf(j->id, sizeof j->id, "%s%s%.10s", st, *st ? "-" : "job-", hex);
            j->canon = r5g_str_finish(&canon);
            if (!j->canon)
                rc = boom(c);
        }
    }
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    r5g_str_dispose(&canon);
    r5g_str_dispose(&slug);
    return rc;
}

static int cmp_job_id(const void *a, const void *b)
{
    return strcmp((*(const pl_bjob *const *)a)->id, (*(const pl_bjob *const *)b)->id);
}

static int expand(bctx *c)
{
    pl_batch *b = c->b;
    /* dimensions of the odometer: one per grid axis; the zipped axes of the
     * sweep share one (at the place of the first); the last moves fastest */
    int dim_of[MAX_AXES], dim_n[MAX_AXES], n_dims = 0, zip_dim = -1, zip_axis = -1;
    long long per = 1;
    for (int a = 0; a < b->n_axes; a++) {
        const pl_baxis *ax = &b->axes[a];
        if (b->zip && !ax->frontier) {
            if (zip_dim < 0) {
                zip_dim = n_dims++, zip_axis = a;
                dim_n[zip_dim] = ax->n;
                per *= ax->n;
            } else if (ax->n != dim_n[zip_dim]) {
                return r5g_err_set(c->err, R5G_EINPUT,
                                   "%s:%d: sweep.axes.%s: %d values, but %s (line %d) has %d: mode zip takes the i-th "
                                   "value of every axis together, so every axis needs the same count",
                                   c->file, ax->line, ax->path, ax->n, b->axes[zip_axis].path,
                                   b->axes[zip_axis].line, dim_n[zip_dim]);
            }
            dim_of[a] = zip_dim;
            continue;
        }
        dim_of[a] = n_dims;
        dim_n[n_dims++] = ax->n;
        per *= ax->n;
        if (per > MAX_JOBS)
            break;
    }
    /* a value twice on a grid axis would make two jobs the same (zipped
     * axes may repeat a value: the combination differs) */
    for (int a = 0; a < b->n_axes; a++) {
        const pl_baxis *ax = &b->axes[a];
        if (b->zip && !ax->frontier)
            continue;
        for (int i = 0; i < ax->n; i++)
            for (int k = 0; k < i; k++)
                if (strcmp(ax->v[k].yaml, ax->v[i].yaml) == 0)
                    return r5g_err_set(c->err, R5G_EINPUT, "%s:%d: %s%s: value %s is listed twice (line %d)", c->file,
                                       ax->v[i].line, ax->frontier ? "frontier.values" : "sweep.axes.",
                                       ax->frontier ? "" : ax->path, ax->v[i].yaml, ax->v[k].line);
    }
    long long total = per * b->n_scen;
    if (total > MAX_JOBS)
        return r5g_err_set(c->err, R5G_EINPUT, "%s: the sweep has more than %d jobs (%lld or more)", c->file,
                           MAX_JOBS, total);
    b->jobs = calloc((size_t)total, sizeof *b->jobs);
    if (!b->jobs)
        return boom(c);
    int rc = 0;
    for (int s = 0; s < b->n_scen && rc == 0; s++) {
        for (long long k = 0; k < per && rc == 0; k++) {
            pl_bjob *j = &b->jobs[b->n_jobs];
            j->idx = b->n_jobs;
            j->scenario = s;
            if (!(j->value = calloc((size_t)b->n_axes + 1, sizeof *j->value))) {
                rc = boom(c);
                break;
            }
            b->n_jobs++;
            int pos[MAX_AXES];
            long long rem = k;
            for (int d = n_dims - 1; d >= 0; d--) {
                pos[d] = (int)(rem % dim_n[d]);
                rem /= dim_n[d];
            }
            for (int a = 0; a < b->n_axes; a++)
                j->value[a] = pos[dim_of[a]];
            rc = job_name(c, j);
        }
    }
    if (rc == 0) { /* ids are unique (a clash of 40-bit hashes would need ~10^6 jobs) */
        const pl_bjob **by_id = malloc(((size_t)b->n_jobs + 1) * sizeof *by_id);
        if (!by_id)
            return boom(c);
        for (int i = 0; i < b->n_jobs; i++)
            by_id[i] = &b->jobs[i];
        qsort(by_id, (size_t)b->n_jobs, sizeof *by_id, cmp_job_id);
        for (int i = 1; i < b->n_jobs && rc == 0; i++)
            if (strcmp(by_id[i]->id, by_id[i - 1]->id) == 0)
                rc = r5g_err_set(c->err, R5G_EINPUT, "%s: jobs %d and %d have the same id %s", c->file,
                                 by_id[i - 1]->idx, by_id[i]->idx, by_id[i]->id);
        free(by_id);
    }
    return rc;
}

/* ---- load / free ------------------------------------------------------ */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return r5g_strdup(".");
    if (slash == path)
        return r5g_strdup("/");
    return r5g_strndup(path, (size_t)(slash - path));
}

static char *absolute(const char *path)
{
    if (path[0] == '/')
        return r5g_strdup(path);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    return r5g_asprintf("%s/%s", cwd, path);
}

int pl_batch_load(pl_batch **out, const char *path, r5g_err *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    int parser_ok = 0, doc_ok = 0, rc = 0;
    FILE *f = NULL;
    pl_batch *b = calloc(1, sizeof *b);
    bctx c = {path, &doc, b, err};
    *out = NULL;
    if (!b || !(b->file = r5g_strdup(path)) || !(b->dir = dir_of(path)) || !(b->abs_file = absolute(path)) ||
        !(b->axes = calloc(MAX_AXES, sizeof *b->axes))) {
        rc = boom(&c);
        goto out;
    }
    b->frontier_cov = PL_BKPI_COVERED_WEIGHT;
    b->slurm.cpus_per_task = 1;
    static const pl_bcrit defaults[] = {{PL_BKPI_TOTAL_CAPEX, 0},
                                        {PL_BKPI_COVERED_WEIGHT, 1},
                                        {PL_BKPI_WHITELIST_ON_TIME_SHARE, 1},
                                        {PL_BKPI_IDLE_SITE_PERIODS, 0}};
    memcpy(b->crit, defaults, sizeof defaults);
    b->n_crit = 4;
    if (!(f = fopen(path, "rb"))) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot read batch file: %s", path, strerror(errno));
        goto out;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot read batch file: %s", path, strerror(EISDIR));
        goto out;
    }
    if ((rc = r5g_sha256_file(b->sha, path, err)))
        goto out;
    if (!yaml_parser_initialize(&parser)) {
        rc = boom(&c);
        goto out;
    }
    parser_ok = 1;
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s:%d: YAML syntax error: %s (column %d)", path,
                         (int)parser.problem_mark.line + 1, parser.problem ? parser.problem : "unknown problem",
                         (int)parser.problem_mark.column + 1);
        goto out;
    }
    doc_ok = 1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || pl_yaml_is_null(root)) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: the batch file is empty (expected version, scenario, sweep)", path);
        goto out;
    }
    if ((rc = parse_root(&c, root)) || (rc = expand(&c)))
        goto out;
    if (!b->name && !(b->name = stem_of(path)))
        rc = boom(&c);
out:
    if (doc_ok)
        yaml_document_delete(&doc);
    if (parser_ok)
        yaml_parser_delete(&parser);
    if (f)
        fclose(f);
    if (rc) {
        pl_batch_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void pl_batch_free(pl_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n_scen; i++) {
        free(b->scen[i].path);
        free(b->scen[i].rel);
        free(b->scen[i].stem);
    }
    free(b->scen);
    for (int a = 0; a < b->n_axes; a++) {
        for (int i = 0; i < b->axes[a].n; i++)
            free(b->axes[a].v[i].yaml);
        free(b->axes[a].v);
        free(b->axes[a].path);
    }
    free(b->axes);
    for (int i = 0; i < b->n_set; i++) {
        free(b->set_path[i]);
        free(b->set_val[i].yaml);
    }
    free(b->set_path);
    free(b->set_val);
    for (int j = 0; j < b->n_jobs; j++) {
        free(b->jobs[j].value);
        free(b->jobs[j].canon);
    }
    free(b->jobs);
    free(b->slurm.mem);
    free(b->slurm.time);
    free(b->slurm.partition);
    free(b->slurm.account);
    free(b->slurm.job_name);
    free(b->slurm.extra);
    free(b->name);
    free(b->file);
    free(b->abs_file);
    free(b->dir);
    free(b);
}

int pl_batch_find(const pl_batch *b, const char *id)
{
    for (int j = 0; j < b->n_jobs; j++)
        if (strcmp(b->jobs[j].id, id) == 0)
            return j;
    return -1;
}

void pl_batch_origin(const pl_batch *b, int line, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%d", b->file, line);
}
