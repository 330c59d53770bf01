/* Atomic outputs (common/afile) and the output path check (planner/pipeline
 * paths): names unique per job, no-clobber commits, --overwrite replaces,
 * the sweep removes a dead writer's debris and never a live one's; outputs
 * that are, hold or sit inside an input are refused with their message. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/afile.h"
#include "planner/pipeline/paths.h"

static char g_dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/r5g-afile-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh empty folder below g_dir. */
static void fresh(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
    assert_int_equal(mkdir(out, 0755), 0);
}

static int count_names(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    fclose(f);
    return buf;
}

static void test_names_unique_per_job(void **state)
{
    (void)state;
    char dir[300], target[400], lock[500];
    fresh(dir, sizeof dir, "names");
    snprintf(target, sizeof target, "%s/plan.gpkg", dir);
    r5g_afile *a = NULL, *b = NULL;
    r5g_err err = {0};
    assert_int_equal(r5g_afile_new(&a, target, 0, &err), 0);
    assert_int_equal(r5g_afile_new(&b, target, 0, &err), 0);
    /* DIR/.plan.tmp-PID-SEQ-TOKEN.gpkg: hidden, beside, the extension kept */
    char want[64];
    snprintf(want, sizeof want, "/.plan.tmp-%ld-", (long)getpid());
    assert_non_null(strstr(r5g_afile_tmp(a), want));
    size_t n = strlen(r5g_afile_tmp(a));
    assert_string_equal(r5g_afile_tmp(a) + n - 5, ".gpkg");
    assert_string_not_equal(r5g_afile_tmp(a), r5g_afile_tmp(b)); /* two jobs of one process */
    assert_int_equal(access(r5g_afile_tmp(a), F_OK), -1);       /* nothing created for the caller */
    assert_int_equal(count_names(dir), 2);                      /* the two locks */
    snprintf(lock, sizeof lock, "%.*s.lock", (int)(n - 5), r5g_afile_tmp(a));
    assert_int_equal(access(lock, F_OK), 0);
    r5g_afile_free(a);
    r5g_afile_free(b);
    assert_int_equal(count_names(dir), 0);
}

static void test_commit_never_clobbers(void **state)
{
    (void)state;
    char dir[300], target[400], buf[64];
    fresh(dir, sizeof dir, "noclobber");
    snprintf(target, sizeof target, "%s/k.json", dir);
    r5g_afile *a = NULL;
    r5g_err err = {0};
    assert_int_equal(r5g_afile_new(&a, target, 0, &err), 0);
    write_file(r5g_afile_tmp(a), "ours");
    write_file(target, "theirs"); /* another run finished first */
    assert_int_equal(r5g_afile_commit(a, 0, &err), R5G_EIO);
    char msg[600];
    snprintf(msg, sizeof msg, "%s: appeared while this run was writing; not replaced (use --overwrite)",
             target);
    assert_string_equal(err.msg, msg);
    r5g_afile_free(a);
    assert_string_equal(read_file(target, buf, sizeof buf), "theirs");
    assert_int_equal(count_names(dir), 1); /* our temporary and lock are gone */

    /* a new name: committed; with overwrite: replaced */
    snprintf(target, sizeof target, "%s/new.json", dir);
    assert_int_equal(r5g_afile_new(&a, target, 0, &err), 0);
    write_file(r5g_afile_tmp(a), "first");
    assert_int_equal(r5g_afile_commit(a, 0, &err), 0);
    r5g_afile_free(a);
    assert_string_equal(read_file(target, buf, sizeof buf), "first");
    assert_int_equal(r5g_afile_new(&a, target, 0, &err), 0);
    write_file(r5g_afile_tmp(a), "second");
    assert_int_equal(r5g_afile_commit(a, 1, &err), 0);
    r5g_afile_free(a);
    assert_string_equal(read_file(target, buf, sizeof buf), "second");
    assert_int_equal(count_names(dir), 2);
}

static void test_folder_commit(void **state)
{
    (void)state;
    char dir[300], target[400], p[500], buf[64];
    fresh(dir, sizeof dir, "folders");
    snprintf(target, sizeof target, "%s/plan", dir);
    /* an earlier plan folder, replaced as a whole with overwrite */
    assert_int_equal(mkdir(target, 0755), 0);
    snprintf(p, sizeof p, "%s/old.geojson", target);
    write_file(p, "old");
    r5g_afile *a = NULL;
    r5g_err err = {0};
    assert_int_equal(r5g_afile_new(&a, target, 1, &err), 0);
    assert_null(strstr(r5g_afile_tmp(a) + strlen(dir), ".geojson")); /* a folder: no extension */
    assert_int_equal(mkdir(r5g_afile_tmp(a), 0755), 0);
    snprintf(p, sizeof p, "%s/new.geojson", r5g_afile_tmp(a));
    write_file(p, "new");
    assert_int_equal(r5g_afile_commit(a, 0, &err), R5G_EIO); /* not without overwrite */
    assert_non_null(strstr(err.msg, "appeared while this run was writing"));
    assert_int_equal(r5g_afile_commit(a, 1, &err), 0);
    r5g_afile_free(a);
    snprintf(p, sizeof p, "%s/new.geojson", target);
    assert_string_equal(read_file(p, buf, sizeof buf), "new");
    snprintf(p, sizeof p, "%s/old.geojson", target);
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(count_names(dir), 1); /* the earlier folder removed, no lock */
}

/* A child makes a temporary (with a journal, as SQLite would) and dies
 * without cleaning up: the sweep removes all of it. While the writer lives,
 * neither another process nor another job of the same process removes it. */
static void test_sweep_dead_only(void **state)
{
    (void)state;
    char dir[300], target[400], p[600];
    fresh(dir, sizeof dir, "sweep");
    snprintf(target, sizeof target, "%s/plan.gpkg", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        r5g_afile *a = NULL;
        r5g_err err = {0};
        if (r5g_afile_new(&a, target, 0, &err))
            _exit(2);
        write_file(r5g_afile_tmp(a), "half");
        snprintf(p, sizeof p, "%s-journal", r5g_afile_tmp(a));
        write_file(p, "j");
        _exit(0); /* as kill -9: no cleanup */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(count_names(dir), 3); /* temporary, journal, lock */
    assert_int_equal(r5g_afile_sweep(dir), 3);
    assert_int_equal(count_names(dir), 0);

    /* alive: this process holds the lock */
    r5g_afile *a = NULL;
    r5g_err err = {0};
    assert_int_equal(r5g_afile_new(&a, target, 0, &err), 0);
    write_file(r5g_afile_tmp(a), "writing");
    assert_int_equal(r5g_afile_sweep(dir), 0); /* another job of the same process */
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(r5g_afile_sweep(dir)); /* another process */
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(count_names(dir), 2);
    /* a new job in the same folder (its own sweep) leaves it too */
    r5g_afile *b = NULL;
    snprintf(p, sizeof p, "%s/other.gpkg", dir);
    assert_int_equal(r5g_afile_new(&b, p, 0, &err), 0);
    assert_int_equal(access(r5g_afile_tmp(a), F_OK), 0);
    r5g_afile_free(b);
    r5g_afile_free(a);
    assert_int_equal(count_names(dir), 0);

    /* names it cannot prove dead stay: no lock file (an older version's
     * .plan.tmp-PID.gpkg, or a stranger's) */
    snprintf(p, sizeof p, "%s/.plan.tmp-99999.gpkg", dir);
    write_file(p, "old style");
    snprintf(p, sizeof p, "%s/.plan.tmp-1-1-abcdefgh.gpkg", dir);
    write_file(p, "no lock");
    assert_int_equal(r5g_afile_sweep(dir), 0);
    assert_int_equal(count_names(dir), 2);
}

/* ---- pl_paths_check on a scenario built by hand ---------------------------- */

typedef struct paths_fx {
    char dir[300];
    char file[400], demand[400], cand[400];
    pl_scenario sc;
} paths_fx;

static void make_paths_fx(paths_fx *f, const char *name)
{
    memset(f, 0, sizeof *f);
    fresh(f->dir, sizeof f->dir, name);
    snprintf(f->file, sizeof f->file, "%s/scenario.yaml", f->dir);
    snprintf(f->demand, sizeof f->demand, "%s/demand.shp", f->dir);
    snprintf(f->cand, sizeof f->cand, "%s/cand.csv", f->dir);
    write_file(f->file, "version: 1\n");
    write_file(f->demand, "shp");
    write_file(f->cand, "id\n");
    f->sc.file = f->file;
    f->sc.demand = (pl_layer){.present = 1, .source = f->demand};
    f->sc.candidates = (pl_layer){.present = 1, .source = f->cand};
}

static int check_one(paths_fx *f, const char *what, const char *path, int is_plan, r5g_err *err)
{
    pl_out_path o = {what, path, is_plan};
    return pl_paths_check(&f->sc, &o, 1, 1, err);
}

static void test_paths_refuse_inputs(void **state)
{
    (void)state;
    paths_fx f;
    make_paths_fx(&f, "paths");
    char p[600], want[1400];
    r5g_err err = {0};

    assert_int_equal(check_one(&f, "-o", f.cand, 1, &err), R5G_EINPUT);
    snprintf(want, sizeof want, "-o %s: is an input of the run (candidates.source); refusing to write it",
             f.cand);
    assert_string_equal(err.msg, want);

    snprintf(p, sizeof p, "%s/demand.prj", f.dir); /* absent, but GDAL would read it */
    assert_int_equal(check_one(&f, "--json", p, 0, &err), R5G_EINPUT);
    snprintf(want, sizeof want, "--json %s: is beside an input of the run and read with it "
             "(demand.source: %s); refusing to write it", p, f.demand);
    assert_string_equal(err.msg, want);

    assert_int_equal(check_one(&f, "-o", f.dir, 1, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, ": contains an input of the run ("));

    snprintf(p, sizeof p, "%s/../%s/./scenario.yaml", f.dir, strrchr(f.dir, '/') + 1);
    assert_int_equal(check_one(&f, "-o", p, 1, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "is an input of the run (the scenario file)"));

    snprintf(p, sizeof p, "%s/alias.csv", f.dir); /* a hard link */
    assert_int_equal(link(f.cand, p), 0);
    assert_int_equal(check_one(&f, "-o", p, 1, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "(candidates.source)"));

    /* fine: a new name beside the inputs, and a .dbf of another stem */
    snprintf(p, sizeof p, "%s/plan.gpkg", f.dir);
    assert_int_equal(check_one(&f, "-o", p, 1, &err), 0);
    snprintf(p, sizeof p, "%s/cand.dbf", f.dir); /* cand is a CSV: its .dbf is nothing to it */
    assert_int_equal(check_one(&f, "-o", p, 1, &err), 0);
    /* a connection string is no local file */
    f.sc.regions = (pl_layer){.present = 1, .source = "PG:dbname=gis"};
    snprintf(p, sizeof p, "%s/plan.gpkg", f.dir);
    assert_int_equal(check_one(&f, "-o", p, 1, &err), 0);
}

static void test_paths_outputs_apart(void **state)
{
    (void)state;
    paths_fx f;
    make_paths_fx(&f, "outs");
    char plan[600], json[700];
    snprintf(plan, sizeof plan, "%s/out", f.dir);
    snprintf(json, sizeof json, "%s/out/k.json", f.dir); /* inside a folder plan not made yet */
    pl_out_path o[2] = {{"-o", plan, 1}, {"--json", json, 0}};
    r5g_err err = {0};
    assert_int_equal(pl_paths_check(&f.sc, o, 2, 0, &err), R5G_EINPUT);
    char want[1600];
    snprintf(want, sizeof want, "--json %s: is inside the output of -o (%s); choose another path",
             json, plan);
    assert_string_equal(err.msg, want);
    o[1].path = plan;
    assert_int_equal(pl_paths_check(&f.sc, o, 2, 0, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, ": is also the output of -o; choose another path"));
    /* "-" is standard output, and NULL none: skipped */
    o[1].path = "-";
    assert_int_equal(pl_paths_check(&f.sc, o, 2, 0, &err), 0);
    /* a side output must be new without overwrite; the plan's check is geo's */
    snprintf(json, sizeof json, "%s/k.json", f.dir);
    write_file(json, "{}");
    o[1].path = json;
    assert_int_equal(pl_paths_check(&f.sc, o, 2, 0, &err), R5G_EINPUT);
    assert_non_null(strstr(err.msg, "k.json: exists: use --overwrite or choose another path"));
    assert_int_equal(pl_paths_check(&f.sc, o, 2, 1, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_unique_per_job),
        cmocka_unit_test(test_commit_never_clobbers),
        cmocka_unit_test(test_folder_commit),
        cmocka_unit_test(test_sweep_dead_only),
        cmocka_unit_test(test_paths_refuse_inputs),
        cmocka_unit_test(test_paths_outputs_apart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
