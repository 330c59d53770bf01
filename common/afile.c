/* Atomic outputs with a lock per temporary (see afile.h). The one piece of
 * process-wide state is the temporary counter SEQ (atomic), which keeps the
 * names of one process's temporaries apart. */
#include "config.h"

#include "common/afile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"

enum { TOKEN_LEN = 8, MAX_TRIES = 8 };

struct r5g_afile {
    char *target;
    char *dir;    /* folder of target and temporary ("." when target has none) */
    char *key;    /* ".STEM.tmp-PID-SEQ-TOKEN": the name shared by the temporary and its lock */
    char *tmp;    /* DIR/KEY[.EXT] */
    char *lock;   /* DIR/KEY.lock */
    int is_dir;
    int lock_fd;
    int slot;     /* r5g_cleanup slot, -1 none */
    int committed;
};

static atomic_uint seq_counter;

/* ---- names ----------------------------------------------------------------- */

/* Length of the KEY prefix of a temporary's name (".STEM.tmp-PID-SEQ-TOKEN",
 * followed by the end, '.' or '-'), or 0 when name is not one. The last
 * ".tmp-" that parses wins, so a STEM may itself contain ".tmp-". */
static size_t key_length(const char *name)
{
    if (name[0] != '.')
        return 0;
    size_t best = 0;
    for (const char *p = strstr(name + 1, ".tmp-"); p; p = strstr(p + 1, ".tmp-")) {
        const char *q = p + 5;
        int part_ok = 1;
        for (int part = 0; part < 2 && part_ok; part++) { /* PID-, SEQ- */
            const char *start = q;
            while (*q >= '0' && *q <= '9')
                q++;
            part_ok = q > start && *q == '-';
            q++;
        }
        if (!part_ok)
            continue;
        int n = 0;
        while (n < TOKEN_LEN && ((q[n] >= '0' && q[n] <= '9') || (q[n] >= 'a' && q[n] <= 'z')))
            n++;
        if (n != TOKEN_LEN)
            continue;
        char after = q[TOKEN_LEN];
        if (after == '\0' || after == '.' || after == '-')
            best = (size_t)(q + TOKEN_LEN - name);
    }
    return best;
}

static void make_token(char out[TOKEN_LEN + 1], unsigned seq)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = ((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^
            ((uint64_t)getpid() << 32) ^ ((uint64_t)seq * 0x9E3779B97F4A7C15u);
    }
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int k = 0; k < TOKEN_LEN; k++) {
        out[k] = digits[v % 36];
        v /= 36;
    }
    out[TOKEN_LEN] = '\0';
}

/* ---- locks ----------------------------------------------------------------- */

/* An exclusive lock on the open file description (not the process: another
 * descriptor of the same process conflicts, and closing an unrelated
 * descriptor never drops it); flock where the kernel has no OFD locks. */
static int lock_fd(int fd)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
        return 0;
    if (errno != EINVAL)
        return -1;
    return flock(fd, LOCK_EX | LOCK_NB);
}

/* 1 if path still names the file open as fd. */
static int same_file(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* ---- removal --------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode))
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    else
        unlink(path);
}

/* Removes every name in dir that starts with key (followed by the end, '.'
 * or '-'), except key.lock. Returns how many. */
static int remove_group(const char *dir, const char *key)
{
    size_t n = strlen(key);
    int removed = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (strncmp(name, key, n) != 0 || (name[n] && name[n] != '.' && name[n] != '-') ||
            strcmp(name + n, ".lock") == 0)
            continue;
        char *p = r5g_asprintf("%s/%s", dir, name);
        if (p) {
            remove_tree(p);
            removed++;
        }
        free(p);
    }
    closedir(d);
    return removed;
}

int r5g_afile_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = key_length(e->d_name);
        if (!n || strcmp(e->d_name + n, ".lock") != 0)
            continue;
        char *lock = r5g_asprintf("%s/%s", dir, e->d_name);
        char *key = r5g_strndup(e->d_name, n);
        int fd = lock && key ? open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1;
        /* the lock taken and still under its name: its writer is dead */
        if (fd >= 0 && lock_fd(fd) == 0 && same_file(fd, lock)) {
            int k = remove_group(dir, key);
            unlink(lock);
            removed += k + 1;
            r5g_log(R5G_LOG_DEBUG, "removed %d temporaries of a dead run (%s/%s*)", k, dir, key);
        }
        if (fd >= 0)
            close(fd);
        free(lock);
        free(key);
    }
    closedir(d);
    return removed;
}

/* ---- the atomic file ------------------------------------------------------- */

static int take_lock(r5g_afile *a, const char *stem, const char *ext, r5g_err *err)
{
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        unsigned seq = atomic_fetch_add(&seq_counter, 1) + 1;
        char token[TOKEN_LEN + 1];
        make_token(token, seq);
        free(a->key);
        free(a->tmp);
        free(a->lock);
        a->key = r5g_asprintf(".%s.tmp-%ld-%u-%s", stem, (long)getpid(), seq, token);
        a->tmp = a->key ? r5g_asprintf("%s/%s%s", a->dir, a->key, ext) : NULL;
        a->lock = a->key ? r5g_asprintf("%s/%s.lock", a->dir, a->key) : NULL;
        if (!a->tmp || !a->lock)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        struct stat st;
        if (lstat(a->tmp, &st) == 0)
            continue; /* never reuse a name, however unlikely */
        int fd = open(a->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return r5g_err_set(err, R5G_EIO, "cannot write '%s': cannot create files in "
                               "folder '%s': %s", a->target, a->dir, strerror(errno));
        }
        /* a sweeper may have taken and removed the new file before our lock */
        if (lock_fd(fd) != 0 || !same_file(fd, a->lock)) {
            close(fd);
            continue;
        }
        char line[32];
        int len = snprintf(line, sizeof line, "%ld\n", (long)getpid());
        if (write(fd, line, (size_t)len) != len) {
            /* the pid is for people reading the folder; the lock does the work */
        }
        a->lock_fd = fd;
        return R5G_OK;
    }
    return r5g_err_set(err, R5G_EIO, "cannot write '%s': no free temporary name in '%s'",
                       a->target, a->dir);
}

int r5g_afile_new(r5g_afile **out, const char *target, int is_dir, r5g_err *err)
{
    int rc = R5G_OK;
    char *stem = NULL;
    *out = NULL;
    r5g_afile *a = calloc(1, sizeof *a);
    if (!a)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    a->lock_fd = -1;
    a->slot = -1;
    a->is_dir = is_dir;
    size_t len = strlen(target);
    while (len > 1 && target[len - 1] == '/') /* "out/" names the folder out */
        len--;
    a->target = r5g_strndup(target, len);
    if (!a->target)
        goto nomem;
    const char *slash = strrchr(a->target, '/');
    const char *base = slash ? slash + 1 : a->target;
    a->dir = slash ? r5g_strndup(a->target, slash == a->target ? 1 : (size_t)(slash - a->target))
                   : r5g_strdup(".");
    if (!a->dir)
        goto nomem;
    if (!*base) {
        rc = r5g_err_set(err, R5G_EINPUT, "'%s' names no file", target);
        goto done;
    }
    const char *dot = is_dir ? NULL : strrchr(base, '.');
    if (dot == base)
        dot = NULL;
    stem = dot ? r5g_strndup(base, (size_t)(dot - base)) : r5g_strdup(base);
    if (!stem)
        goto nomem;
    r5g_afile_sweep(a->dir);
    if ((rc = take_lock(a, stem, dot ? dot : "", err)))
        goto done;
    a->slot = r5g_cleanup_add(a->tmp, is_dir, a->lock);
    *out = a;
    a = NULL;
    goto done;
nomem:
    rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
done:
    free(stem);
    r5g_afile_free(a);
    return rc;
}

const char *r5g_afile_tmp(const r5g_afile *a) { return a->tmp; }
const char *r5g_afile_target(const r5g_afile *a) { return a->target; }

/* fsync of one path; folders and file systems that cannot sync (EINVAL) pass. */
static int sync_path(const char *path, int flags, r5g_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0)
        return r5g_err_set(err, R5G_EIO, "cannot open '%s' to sync it: %s", path, strerror(errno));
    int rc = R5G_OK;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        rc = r5g_err_set(err, R5G_EIO, "cannot sync '%s' to disk: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static int sync_tmp(const r5g_afile *a, r5g_err *err)
{
    if (!a->is_dir)
        return sync_path(a->tmp, 0, err);
    DIR *d = opendir(a->tmp);
    if (!d)
        return r5g_err_set(err, R5G_EIO, "cannot read folder '%s': %s", a->tmp, strerror(errno));
    int rc = R5G_OK;
    struct dirent *e;
    while (rc == R5G_OK && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = r5g_asprintf("%s/%s", a->tmp, e->d_name);
        struct stat st;
        if (!p)
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
            rc = sync_path(p, 0, err);
        free(p);
    }
    closedir(d);
    return rc ? rc : sync_path(a->tmp, O_DIRECTORY, err);
}

static int appeared(const r5g_afile *a, r5g_err *err)
{
    return r5g_err_set(err, R5G_EIO, "%s: appeared while this run was writing; not replaced "
                       "(use --overwrite)", a->target);
}

static int cannot_rename(const r5g_afile *a, int e, r5g_err *err)
{
    return r5g_err_set(err, R5G_EIO, "cannot rename '%s' to '%s': %s", a->tmp, a->target,
                       strerror(e));
}

/* The kernel or file system has no renameat2 flag for this. */
static int unsupported(int e) { return e == EINVAL || e == ENOSYS || e == ENOTSUP; }

static int commit_noreplace(r5g_afile *a, r5g_err *err)
{
    if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->target, RENAME_NOREPLACE) == 0)
        return R5G_OK;
    int e = errno;
    if (e == EEXIST)
        return appeared(a, err);
    if (!unsupported(e))
        return cannot_rename(a, e, err);
    if (!a->is_dir) { /* a hard link fails when the name exists, as RENAME_NOREPLACE */
        if (link(a->tmp, a->target) == 0) {
            unlink(a->tmp);
            return R5G_OK;
        }
        if (errno == EEXIST)
            return appeared(a, err);
        return r5g_err_set(err, R5G_EIO, "cannot move '%s' into place without risking to replace "
                           "another file: the file system refuses RENAME_NOREPLACE and hard links "
                           "(%s); use --overwrite", a->target, strerror(errno));
    }
    /* a folder: claim the name with mkdir (fails when it exists), then
     * replace that empty folder of ours */
    if (mkdir(a->target, 0700) != 0)
        return errno == EEXIST ? appeared(a, err) : cannot_rename(a, errno, err);
    if (rename(a->tmp, a->target) != 0) {
        e = errno;
        rmdir(a->target);
        return cannot_rename(a, e, err);
    }
    return R5G_OK;
}

/* --overwrite of a folder output: swap it with the target in one step and
 * remove the earlier one (now under the temporary name), so concurrent runs
 * each leave a complete plan in place; where the kernel cannot swap, the
 * earlier one is moved aside first. */
static int commit_exchange(r5g_afile *a, r5g_err *err)
{
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->target, RENAME_EXCHANGE) == 0) {
            remove_tree(a->tmp);
            return R5G_OK;
        }
        int e = errno;
        if (e == ENOENT) { /* no earlier output: a plain no-replace move */
            if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->target, RENAME_NOREPLACE) == 0)
                return R5G_OK;
            e = errno;
            if (e == EEXIST)
                continue; /* another run got there first: swap with it */
        }
        if (unsupported(e))
            break;
        return cannot_rename(a, e, err);
    }
    char *aside = r5g_asprintf("%s/%s.old", a->dir, a->key);
    if (!aside)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    int moved = rename(a->target, aside) == 0;
    if (!moved && errno != ENOENT) {
        int e = errno;
        free(aside);
        return r5g_err_set(err, R5G_EIO, "cannot move the earlier '%s' aside: %s", a->target,
                           strerror(e));
    }
    if (rename(a->tmp, a->target) != 0) {
        int e = errno;
        if (moved)
            (void)rename(aside, a->target);
        free(aside);
        return cannot_rename(a, e, err);
    }
    remove_tree(aside);
    free(aside);
    return R5G_OK;
}

int r5g_afile_commit(r5g_afile *a, int overwrite, r5g_err *err)
{
    int rc;
    if (a->committed)
        return r5g_err_set(err, R5G_EINTERNAL, "%s: committed twice", a->target);
    r5g_test_pause_at("commit");
    if ((rc = sync_tmp(a, err)))
        return rc;
    if (!overwrite)
        rc = commit_noreplace(a, err);
    else if (a->is_dir)
        rc = commit_exchange(a, err);
    else if (rename(a->tmp, a->target) != 0)
        rc = cannot_rename(a, errno, err);
    if (rc)
        return rc;
    a->committed = 1;
    r5g_cleanup_done(a->slot);
    r5g_err e = {0};
    (void)sync_path(a->dir, O_DIRECTORY, &e); /* the rename itself; the data is in place */
    return R5G_OK;
}

void r5g_afile_free(r5g_afile *a)
{
    if (!a)
        return;
    if (a->lock_fd >= 0) { /* the name is ours only while we hold its lock */
        remove_group(a->dir, a->key); /* the temporary unless committed, and its side files */
        unlink(a->lock); /* last: a temporary never outlives its lock */
        close(a->lock_fd);
    }
    r5g_cleanup_drop(a->slot);
    free(a->target);
    free(a->dir);
    free(a->key);
    free(a->tmp);
    free(a->lock);
    free(a);
}

/* ---- test hook --------------------------------------------------------------- */

void r5g_test_pause_at(const char *stage)
{
    const char *want = getenv("R5G_TEST_PAUSE_AT");
    size_t n = strlen(stage);
    if (!want || strncmp(want, stage, n) != 0 || (want[n] && want[n] != ':'))
        return;
    fprintf(stderr, "rollout5g: test pause at %s (pid %ld)\n", stage, (long)getpid());
    fflush(stderr);
    if (want[n] == ':') {
        double s = strtod(want + n + 1, NULL);
        struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
        while (s > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        return;
    }
    for (;;)
        pause(); /* until a signal ends the process */
}
