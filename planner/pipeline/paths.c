/* Where a run may write (see paths.h): the inputs of the scenario as real
 * paths with their side files, checked against every output before anything
 * is read, solved or written. */
#include "config.h"

#include "planner/pipeline/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/afile.h"

/* A name the run reads, or would read if it existed (a side file). */
typedef struct guarded {
    const char *key;   /* scenario key: "demand.source" */
    const char *shown; /* the input as the scenario names it */
    char *real;        /* canonical path */
    int side;          /* a side file beside the input, not the input itself */
    int exists, is_dir;
    dev_t dev;
    ino_t ino;
} guarded;

typedef struct guard_list {
    guarded *g;
    int n, cap;
} guard_list;

/* The canonical name of path itself (a symlink stays the link): realpath()
 * of its nearest existing folder, plus the names below it with "." and ".."
 * applied as written. Malloc'd; NULL only when out of memory. */
static char *real_name(const char *path)
{
    char *p = r5g_strdup(path), *tail = NULL, *rd = NULL, *out = NULL;
    if (!p)
        return NULL;
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    /* p is DIR/NAME: move NAME into tail until DIR is an existing folder */
    for (;;) {
        char *slash = strrchr(p, '/');
        const char *name = slash ? slash + 1 : p;
        char *joined = r5g_asprintf("%s%s%s", name, tail ? "/" : "", tail ? tail : "");
        free(tail);
        tail = joined;
        if (!tail)
            goto done;
        if (!slash || slash == p) {
            rd = realpath(slash ? "/" : ".", NULL);
            break;
        }
        *slash = '\0';
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            rd = realpath(p, NULL);
            break;
        }
    }
    if (!rd)
        goto done;
    /* rd + tail, applying "." and ".." */
    out = malloc(strlen(rd) + strlen(tail) + 2);
    if (!out)
        goto done;
    strcpy(out, strcmp(rd, "/") ? rd : "");
    for (char *save = NULL, *c = strtok_r(tail, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, "."))
            continue;
        if (!strcmp(c, "..")) {
            char *s = strrchr(out, '/');
            if (s)
                *s = '\0';
            continue;
        }
        strcat(out, "/");
        strcat(out, c);
    }
    if (!*out)
        strcpy(out, "/");
done:
    free(rd);
    free(tail);
    free(p);
    return out;
}

/* The canonical path of what path points at: realpath() when it exists. */
static char *real_target(const char *path)
{
    char *r = realpath(path, NULL);
    return r ? r : real_name(path);
}

/* The local file behind a layer source: the path itself, the archive of a
 * /vsizip/ (/vsitar/, /vsigzip/, ...) path; NULL for a connection string
 * ("PG:dbname=...") or a URL. Malloc'd. */
static char *local_file(const char *src)
{
    if (!strncmp(src, "/vsi", 4)) {
        const char *rest = strchr(src + 1, '/');
        if (!rest || !rest[1])
            return NULL;
        rest++;
        if (*rest == '{') { /* /vsizip/{/path/a.zip}/inner */
            const char *close = strchr(rest, '}');
            return close ? r5g_strndup(rest + 1, (size_t)(close - rest - 1)) : NULL;
        }
        if (!strncmp(rest, "vsi", 3)) /* /vsizip//vsicurl/...: not local */
            return NULL;
        /* the longest leading part that is a file: the archive */
        char *p = r5g_strdup(rest);
        for (char *cut = p ? p + strlen(p) : NULL; cut && cut > p;) {
            *cut = '\0';
            struct stat st;
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
                return p;
            cut = strrchr(p, '/');
        }
        free(p);
        return NULL;
    }
    if (src[0] != '/' && src[0] != '.' && strchr(src, ':'))
        return NULL;
    return r5g_strdup(src);
}

static int guard_add(guard_list *L, const char *key, const char *shown, char *real, int side)
{
    if (!real)
        return R5G_ENOMEM;
    for (int k = 0; k < L->n; k++)
        if (!strcmp(L->g[k].real, real)) { /* the same name twice (a link to itself) */
            free(real);
            return R5G_OK;
        }
    if (L->n == L->cap) {
        int cap = L->cap ? 2 * L->cap : 32;
        guarded *g = realloc(L->g, (size_t)cap * sizeof *g);
        if (!g) {
            free(real);
            return R5G_ENOMEM;
        }
        L->g = g;
        L->cap = cap;
    }
    guarded *g = &L->g[L->n++];
    memset(g, 0, sizeof *g);
    g->key = key;
    g->shown = shown;
    g->real = real;
    g->side = side;
    struct stat st;
    if (stat(real, &st) == 0) {
        g->exists = 1;
        g->is_dir = S_ISDIR(st.st_mode);
        g->dev = st.st_dev;
        g->ino = st.st_ino;
    }
    return R5G_OK;
}

/* name and the side files GDAL reads with it. */
static int guard_with_sides(guard_list *L, const char *key, const char *shown, const char *name)
{
    static const char *const appended[] = {"-wal", "-shm", "-journal", ".aux.xml", ".ovr"};
    static const char *const shapefile[] = {".shp", ".shx", ".dbf", ".prj", ".cpg",
                                            ".qix", ".sbn", ".sbx"};
    static const char *const csv[] = {".csvt", ".prj"};
    int rc = guard_add(L, key, shown, r5g_strdup(name), 0);
    for (size_t k = 0; rc == R5G_OK && k < sizeof appended / sizeof *appended; k++)
        rc = guard_add(L, key, shown, r5g_asprintf("%s%s", name, appended[k]), 1);
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');
    if (rc || !dot)
        return rc;
    int stem = (int)(dot - name);
    const char *const *sides = NULL;
    size_t n = 0;
    if (!strcasecmp(dot, ".shp") || !strcasecmp(dot, ".shx") || !strcasecmp(dot, ".dbf"))
        sides = shapefile, n = sizeof shapefile / sizeof *shapefile;
    else if (!strcasecmp(dot, ".csv"))
        sides = csv, n = sizeof csv / sizeof *csv;
    for (size_t k = 0; rc == R5G_OK && k < n; k++)
        if (strcasecmp(dot, sides[k]) != 0)
            rc = guard_add(L, key, shown, r5g_asprintf("%.*s%s", stem, name, sides[k]), 1);
    return rc;
}

/* An input: its name as written (a symlink stays the link) and what it
 * points at, each with its side files. */
static int guard_input(guard_list *L, const char *key, const char *source)
{
    if (!source)
        return R5G_OK;
    char *local = local_file(source);
    if (!local)
        return R5G_OK; /* not a local file: nothing the run could overwrite */
    char *as_named = real_name(local), *target = real_target(local);
    int rc = R5G_OK;
    if (as_named)
        rc = guard_with_sides(L, key, source, as_named);
    if (rc == R5G_OK && target && (!as_named || strcmp(as_named, target) != 0))
        rc = guard_with_sides(L, key, source, target);
    free(as_named);
    free(target);
    free(local);
    return rc;
}

/* 1 if inner is below the folder outer ("/a/b" is below "/a", not below "/a/b" or "/ab"). */
static int below(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    if (!strcmp(outer, "/"))
        return inner[0] == '/' && inner[1] != '\0';
    return !strncmp(inner, outer, n) && inner[n] == '/';
}

static int refuse(r5g_err *err, const pl_out_path *o, const guarded *g, const char *how)
{
    if (!strcmp(how, "is")) {
        if (g->side)
            return r5g_err_set(err, R5G_EINPUT, "%s %s: is beside an input of the run and read "
                               "with it (%s: %s); refusing to write it", o->what, o->path,
                               g->key, g->shown);
        return r5g_err_set(err, R5G_EINPUT, "%s %s: is an input of the run (%s); refusing to "
                           "write it", o->what, o->path, g->key);
    }
    if (!strcmp(how, "contains"))
        return r5g_err_set(err, R5G_EINPUT, "%s %s: contains an input of the run (%s: %s); "
                           "refusing to write it", o->what, o->path, g->key, g->shown);
    return r5g_err_set(err, R5G_EINPUT, "%s %s: is inside an input of the run (%s: folder %s); "
                       "refusing to write it", o->what, o->path, g->key, g->shown);
}

/* One output against every guarded name. */
static int check_against_inputs(const guard_list *L, const pl_out_path *o, const char *named,
                                r5g_err *err)
{
    struct stat st;
    int exists = stat(o->path, &st) == 0;
    char *target = exists ? realpath(o->path, NULL) : NULL;
    int rc = R5G_OK;
    for (int k = 0; rc == R5G_OK && k < L->n; k++) {
        const guarded *g = &L->g[k];
        if ((exists && g->exists && g->dev == st.st_dev && g->ino == st.st_ino) ||
            !strcmp(g->real, named) || (target && !strcmp(g->real, target)))
            rc = refuse(err, o, g, "is");
        else if (below(g->real, named) || (target && below(g->real, target)))
            rc = refuse(err, o, g, "contains");
        else if (g->is_dir && !g->side && below(target ? target : named, g->real))
            rc = refuse(err, o, g, "inside");
    }
    free(target);
    return rc;
}

/* A side output (not the plan): new unless overwrite, in a writable folder. */
static int check_side_output(const pl_out_path *o, int overwrite, r5g_err *err)
{
    struct stat st;
    if (!overwrite && lstat(o->path, &st) == 0)
        return r5g_err_set(err, R5G_EINPUT, "%s %s: exists: use --overwrite or choose another "
                           "path", o->what, o->path);
    if (lstat(o->path, &st) == 0 && S_ISDIR(st.st_mode))
        return r5g_err_set(err, R5G_EINPUT, "%s %s: is a folder; not replacing it", o->what,
                           o->path);
    char *dir = r5g_strdup(o->path);
    if (!dir)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    const char *folder = !slash ? "." : slash == dir ? "/" : dir;
    int rc = R5G_OK;
    if (stat(folder, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = r5g_err_set(err, R5G_EINPUT, "%s %s: cannot write: folder '%s' does not exist",
                         o->what, o->path, folder);
    else if (access(folder, W_OK | X_OK) != 0)
        rc = r5g_err_set(err, R5G_EINPUT, "%s %s: cannot write in folder '%s': %s", o->what,
                         o->path, folder, strerror(errno));
    free(dir);
    return rc;
}

int pl_paths_check(const pl_scenario *sc, const pl_out_path *outs, int n, int overwrite,
                   r5g_err *err)
{
    const struct {
        const char *key;
        const char *source;
    } inputs[] = {
        {"the scenario file", sc->file},
        {"demand.source", sc->demand.present ? sc->demand.source : NULL},
        {"candidates.source", sc->candidates.present ? sc->candidates.source : NULL},
        {"existing.source", sc->existing.present ? sc->existing.source : NULL},
        {"regions.source", sc->regions.present ? sc->regions.source : NULL},
        {"radio.dem", sc->dem},
        {"radio.clutter.source", sc->clutter},
        {"committed.source", sc->committed.present ? sc->committed.source : NULL},
    };
    guard_list L = {0};
    char **named = calloc(n > 0 ? (size_t)n : 1, sizeof *named);
    int rc = named ? R5G_OK : R5G_ENOMEM;
    for (size_t k = 0; rc == R5G_OK && k < sizeof inputs / sizeof *inputs; k++)
        rc = guard_input(&L, inputs[k].key, inputs[k].source);
    for (int k = 1; rc == R5G_OK && k < pl_scenario_demand_count(sc); k++) /* a demand: list */
        rc = guard_input(&L, pl_scenario_demand_layer(sc, k)->label,
                         pl_scenario_demand_layer(sc, k)->source);
    if (rc) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; rc == R5G_OK && i < n; i++) {
        const pl_out_path *o = &outs[i];
        if (!o->path || !strcmp(o->path, "-"))
            continue;
        named[i] = real_name(o->path);
        if (!named[i]) {
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
            break;
        }
        if ((rc = check_against_inputs(&L, o, named[i], err)))
            break;
        for (int j = 0; j < i && rc == R5G_OK; j++) {
            if (!named[j])
                continue;
            if (!strcmp(named[i], named[j]))
                rc = r5g_err_set(err, R5G_EINPUT, "%s %s: is also the output of %s; choose "
                                 "another path", o->what, o->path, outs[j].what);
            else if (below(named[i], named[j]))
                rc = r5g_err_set(err, R5G_EINPUT, "%s %s: is inside the output of %s (%s); "
                                 "choose another path", o->what, o->path, outs[j].what,
                                 outs[j].path);
            else if (below(named[j], named[i]))
                rc = r5g_err_set(err, R5G_EINPUT, "%s %s: is inside the output of %s (%s); "
                                 "choose another path", outs[j].what, outs[j].path, o->what,
                                 o->path);
        }
        if (rc == R5G_OK && !o->is_plan)
            rc = check_side_output(o, overwrite, err);
    }
done:
    for (int i = 0; named && i < n; i++)
        free(named[i]);
    free(named);
    for (int k = 0; k < L.n; k++)
        free(L.g[k].real);
    free(L.g);
    return rc;
}

int pl_model_export(const sol_input *in, const char *path, int overwrite, r5g_err *err)
{
    r5g_afile *af = NULL;
    int rc = r5g_afile_new(&af, path, 0, err);
    if (rc == R5G_OK)
        rc = sol_export(in, r5g_afile_tmp(af), err);
    if (rc == R5G_OK)
        rc = r5g_afile_commit(af, overwrite, err);
    r5g_afile_free(af);
    return rc;
}
