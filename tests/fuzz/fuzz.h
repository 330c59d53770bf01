/* Shared by the fuzz harnesses (tests/fuzz/fuzz_*.c, docs/fuzzing.md).
 *
 * Every harness defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize), so
 * the same file builds as a libFuzzer target (clang -fsanitize=fuzzer), an
 * AFL++ target (afl-clang-fast -fsanitize=fuzzer) and, with regress_main.c,
 * as a plain program run by `make check` over the seeds and regressions.
 *
 * Two kinds of checks:
 *  - FUZZ_ASSERT: the code broke its own interface (a NULL where the header
 *    promises a value, out != NULL after an error): always aborts, like a crash.
 *  - FUZZ_CONTRACT: the input got past a documented promise to the user
 *    (one-line error naming the file, a value the docs reject accepted). In
 *    strict mode (the regression runner, or R5G_FUZZ_STRICT=1) it aborts;
 *    while fuzzing it only records the smallest input per check in
 *    $R5G_FUZZ_FINDINGS/contract-ID, so the search goes on. */
#ifndef R5G_FUZZ_H
#define R5G_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "common/r5g.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, ...)                                                  \
    do {                                                                        \
        if (!(cond))                                                            \
            fuzz_abort(__FILE__, __LINE__, #cond, __VA_ARGS__);                 \
    } while (0)

void fuzz_abort(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));

/* Once per process: reads R5G_FUZZ_STRICT and R5G_FUZZ_FINDINGS, quiets or
 * keeps the log (R5G_FUZZ_LOG: a level 0-3, default 3 so that every message
 * is formatted even when nobody reads it). */
void fuzz_setup(void);
/* R5G_FUZZ_VERBOSE=1: harnesses print each outcome ("error: ...") to stderr. */
int fuzz_verbose(void);
/* Strict mode on (the regression runner calls this before the harness runs). */
void fuzz_set_strict(int on);

/* The input being run, for FUZZ_CONTRACT to save. */
void fuzz_begin(const uint8_t *data, size_t size);

/* A documented promise: when !ok, the finding `id` (a short [a-z0-9-] name);
 * the message arguments are evaluated only then. */
#define FUZZ_CONTRACT(ok, id, ...)                                              \
    do {                                                                        \
        if (!(ok))                                                              \
            fuzz_contract_broken(id, __VA_ARGS__);                              \
    } while (0)
void fuzz_contract_broken(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Checks an error return against the error contract of common/r5g.h and
 * CONVENTIONS.md: a negative code that err->code repeats, a non-empty message
 * on one line (no line break in it), starting with `prefix` when prefix is not NULL. */
void fuzz_check_error(int rc, const r5g_err *err, const char *prefix);

/* A path whose file holds exactly data[0..size): an anonymous in-memory file
 * (memfd, /proc/self/fd/N), rewritten on each call, so a crash leaves nothing
 * on disk. NULL if no such file can be made. */
const char *fuzz_input_file(const uint8_t *data, size_t size);

#endif
