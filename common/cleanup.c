/* Removal of temporary outputs on SIGINT/SIGTERM. This is the one place with
 * mutable process-wide state in the libraries: a signal handler can reach
 * nothing else. Slots are filled before they are marked used, so the handler
 * never sees a half-written path. */
#include "config.h"

#include "common/cleanup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { N_SLOTS = 8, PATH_MAX_LEN = 4096 };

static struct {
    volatile sig_atomic_t used;
    volatile sig_atomic_t done; /* path renamed into place: only the lock is left */
    int is_dir;
    char path[PATH_MAX_LEN];
    char lock[PATH_MAX_LEN]; /* "" when none */
} slots[N_SLOTS];

int r5g_cleanup_add(const char *path, int is_dir, const char *lock)
{
    size_t n = strlen(path), m = lock ? strlen(lock) : 0;
    if (n + sizeof "-journal" >= PATH_MAX_LEN || m >= PATH_MAX_LEN)
        return -1;
    for (int k = 0; k < N_SLOTS; k++) {
        if (slots[k].used)
            continue;
        memcpy(slots[k].path, path, n + 1);
        memcpy(slots[k].lock, lock ? lock : "", m + 1);
        slots[k].is_dir = is_dir;
        slots[k].done = 0;
        slots[k].used = 1;
        return k;
    }
    return -1;
}

void r5g_cleanup_done(int slot)
{
    if (slot >= 0 && slot < N_SLOTS)
        slots[slot].done = 1;
}

void r5g_cleanup_drop(int slot)
{
    if (slot >= 0 && slot < N_SLOTS)
        slots[slot].used = 0;
}

/* Only async-signal-safe calls below: open, close, unlink, unlinkat, rmdir,
 * getdents64 (raw syscall), write, _exit. */
static void unlink_with_suffix(char *buf, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    if (n + m + 1 > PATH_MAX_LEN)
        return;
    memcpy(buf + n, suffix, m + 1);
    unlink(buf);
    buf[n] = '\0';
}

struct r5g_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static void empty_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return;
    char buf[4096] __attribute__((aligned(8)));
    for (int rounds = 0; rounds < 64; rounds++) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            struct r5g_dirent64 *d = (struct r5g_dirent64 *)(buf + off);
            if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
                unlinkat(fd, d->d_name, 0);
            off += d->d_reclen;
        }
    }
    close(fd);
}

static void on_signal(int sig)
{
    static char buf[PATH_MAX_LEN];
    int removed = 0, kept = 0;
    for (int k = 0; k < N_SLOTS; k++) {
        if (!slots[k].used)
            continue;
        if (slots[k].done) {
            /* nothing of ours at path any more */
        } else if (slots[k].is_dir) {
            empty_dir(slots[k].path);
            rmdir(slots[k].path);
        } else {
            size_t n = strlen(slots[k].path);
            memcpy(buf, slots[k].path, n + 1);
            unlink(buf);
            unlink_with_suffix(buf, n, "-journal");
            unlink_with_suffix(buf, n, "-wal");
            unlink_with_suffix(buf, n, "-shm");
        }
        if (slots[k].lock[0]) /* last: a temporary never outlives its lock */
            unlink(slots[k].lock);
        removed += !slots[k].done;
        kept += slots[k].done;
    }
    static const char m1[] = "\nrollout5g: interrupted; temporary output removed, nothing written\n";
    static const char m0[] = "\nrollout5g: interrupted; nothing written\n";
    static const char m2[] = "\nrollout5g: interrupted; outputs already in place are kept, "
                             "temporaries removed\n";
    ssize_t w = kept      ? write(STDERR_FILENO, m2, sizeof m2 - 1)
                : removed ? write(STDERR_FILENO, m1, sizeof m1 - 1)
                          : write(STDERR_FILENO, m0, sizeof m0 - 1);
    (void)w;
    _exit(128 + sig);
}

void r5g_cleanup_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
