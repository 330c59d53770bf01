/* A main() for the fuzz harnesses without a fuzzer: runs
 * LLVMFuzzerTestOneInput once on each file named on the command line (a
 * folder: on each file in it, in name order), in strict mode (a broken
 * contract aborts, see fuzz.h; R5G_FUZZ_STRICT=0 turns that off). Built with
 * the normal compiler for `make check` (tests/e2e_fuzz_regress.sh) and used
 * to replay a crash: `tests/fuzz/regress_layer crash-1234`.
 * `--sanitizers` prints which sanitizers it was built with, as far as the
 * compiler tells: "asan", "ubsan" (clang's -fsanitize=undefined, which has
 * the float-cast-overflow check GCC's lacks; GCC's UBSan cannot be seen), or
 * "none": some findings only show with one of them. */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "%s: cannot read%s\n", path, buf ? "" : ": out of memory");
        free(buf);
        return 1;
    }
    /* an exact-size copy, so ASan sees a read past the end of the input */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        fprintf(stderr, "%s: out of memory\n", path);
        return 1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int only_files(const struct dirent *e) { return e->d_name[0] != '.'; }

#if defined(__SANITIZE_ADDRESS__)
#define WITH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WITH_ASAN 1
#endif
#endif
#ifndef WITH_ASAN
#define WITH_ASAN 0
#endif
#if defined(__clang__) && defined(__has_feature)
#if __has_feature(undefined_behavior_sanitizer)
#define WITH_UBSAN 1
#endif
#endif
#ifndef WITH_UBSAN
#define WITH_UBSAN 0
#endif

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--sanitizers") == 0) {
        printf("%s%s%s\n", WITH_ASAN ? "asan" : "", WITH_ASAN && WITH_UBSAN ? " " : "",
               WITH_UBSAN ? "ubsan" : WITH_ASAN ? "" : "none");
        return 0;
    }
    const char *s = getenv("R5G_FUZZ_STRICT");
    fuzz_set_strict(!(s && strcmp(s, "0") == 0));
    LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **names;
            int n = scandir(argv[i], &names, only_files, alphasort);
            if (n < 0) {
                fprintf(stderr, "%s: cannot list: %s\n", argv[i], strerror(errno));
                bad = 1;
                continue;
            }
            for (int k = 0; k < n; k++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
                bad |= run_file(path);
                free(names[k]);
            }
            free(names);
        } else {
            bad |= run_file(argv[i]);
        }
    }
    return bad;
}
