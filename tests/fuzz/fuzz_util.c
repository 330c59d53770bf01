/* Helpers shared by the fuzz harnesses: see fuzz.h. */
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int strict = -1;           /* -1: not read from the environment yet */
static int verbose;
static const char *findings;      /* folder for contract findings, or NULL */
static const uint8_t *cur_data;   /* the input being run */
static size_t cur_size;

void fuzz_abort(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fuzz: %s:%d: assertion '%s' failed: ", file, line, cond);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void fuzz_setup(void)
{
    if (strict < 0) {
        const char *s = getenv("R5G_FUZZ_STRICT");
        strict = s && *s && strcmp(s, "0") != 0;
    }
    const char *v = getenv("R5G_FUZZ_VERBOSE");
    verbose = v && *v && strcmp(v, "0") != 0;
    const char *f = getenv("R5G_FUZZ_FINDINGS");
    findings = f && *f ? f : NULL;
    const char *lv = getenv("R5G_FUZZ_LOG");
    r5g_log_set_level(lv && *lv ? atoi(lv) : R5G_LOG_DEBUG);
}

void fuzz_set_strict(int on) { strict = on; }
int fuzz_verbose(void) { return verbose; }

void fuzz_begin(const uint8_t *data, size_t size)
{
    cur_data = data;
    cur_size = size;
}

/* Keeps the smallest input that broke contract `id`. */
static void save_finding(const char *id)
{
    char path[4096];
    struct stat st;
    if (!findings || snprintf(path, sizeof path, "%s/contract-%s", findings, id) >= (int)sizeof path)
        return;
    if (stat(path, &st) == 0 && (size_t)st.st_size <= cur_size)
        return;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return;
    int ok = fwrite(cur_data, 1, cur_size, f) == cur_size;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
}

void fuzz_contract_broken(const char *id, const char *fmt, ...)
{
    char what[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (strict) {
        fprintf(stderr, "fuzz: contract %s broken: %s\n", id, what);
        abort();
    }
    save_finding(id);
}

void fuzz_check_error(int rc, const r5g_err *err, const char *prefix)
{
    if (verbose)
        fprintf(stderr, "fuzz: error %d: %s\n", rc, err->msg);
    FUZZ_ASSERT(rc < 0, "an error return must be negative, got %d", rc);
    FUZZ_CONTRACT(err->code == rc, "err-code", "returned %d but err->code is %d (%s)", rc,
                  err->code, err->msg);
    size_t n = strnlen(err->msg, sizeof err->msg);
    FUZZ_ASSERT(n < sizeof err->msg, "err->msg is not NUL-terminated");
    FUZZ_CONTRACT(n > 0, "msg-empty", "error %d without a message", rc);
    FUZZ_CONTRACT(!strpbrk(err->msg, "\n\r\v\f"), "msg-lines",
                  "the message is not one line: \"%s\"", err->msg);
    if (prefix)
        FUZZ_CONTRACT(strncmp(err->msg, prefix, strlen(prefix)) == 0, "msg-file",
                      "the message does not start with '%s': \"%s\"", prefix, err->msg);
}

const char *fuzz_input_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("r5g-fuzz-input", MFD_CLOEXEC);
        if (fd < 0) {
            const char *tmp = getenv("TMPDIR");
            fd = open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        }
        if (fd < 0)
            return NULL;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (access(path, R_OK) != 0) {
            close(fd);
            fd = -1;
            return NULL;
        }
    }
    if (ftruncate(fd, 0) != 0)
        return NULL;
    for (size_t done = 0; done < size;) {
        ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return NULL;
        done += (size_t)w;
    }
    return path;
}
