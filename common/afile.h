/* Atomic outputs: a file or folder is built under a hidden temporary name
 * beside its target, made durable (fsync) and moved into place with one
 * rename that never replaces a path that appeared meanwhile, unless asked to.
 *
 * Names: DIR/.STEM.tmp-PID-SEQ-TOKEN[.EXT] for the temporary (EXT: the
 * target's extension, none for folders), DIR/.STEM.tmp-PID-SEQ-TOKEN.lock
 * beside it. SEQ counts the temporaries of this process and TOKEN is random,
 * so two jobs of one worker process never share a name. The lock file is
 * created and locked before the temporary exists and removed after it is
 * gone; the kernel drops the lock when its process dies, however it dies
 * (kill -9 included). So anything named .STEM.tmp-PID-SEQ-TOKEN* whose lock
 * can be taken belongs to a dead run, and r5g_afile_sweep removes it; a
 * temporary without a lock file, or with a held lock, is left alone.
 * libc only (Linux: renameat2, open file description locks). */
#ifndef R5G_AFILE_H
#define R5G_AFILE_H

#include "common/r5g.h"

typedef struct r5g_afile r5g_afile;

/* Reserves a temporary name beside target, sweeps the target's folder of
 * dead runs' debris, takes the lock and registers both for removal on
 * SIGINT/SIGTERM (common/cleanup.h). Creates nothing at the temporary name:
 * the caller creates it there (fopen, mkdir, GDALCreate). */
int r5g_afile_new(r5g_afile **out, const char *target, int is_dir, r5g_err *err);
/* The temporary path ("DIR/.plan.tmp-4711-1-k2m9x0qa.gpkg"). */
const char *r5g_afile_tmp(const r5g_afile *a);
const char *r5g_afile_target(const r5g_afile *a);
/* Moves the finished temporary (closed by the caller) to the target after an
 * fsync of its data (every file of a folder) and before one of the folder.
 * Without overwrite an existing target is never replaced: when one appeared
 * while this run was writing, fails with "TARGET: appeared while this run was
 * writing; not replaced (use --overwrite)". With overwrite a file replaces
 * the target in one rename; a folder is swapped with it in one step
 * (RENAME_EXCHANGE) and the earlier one removed. */
int r5g_afile_commit(r5g_afile *a, int overwrite, r5g_err *err);
/* Removes the temporary (and anything else under its name) unless
 * committed, then the lock. Accepts NULL. */
void r5g_afile_free(r5g_afile *a);

/* Removes the debris of dead runs in folder dir (see above); returns how
 * many names were removed. Never fails: what cannot be removed stays. */
int r5g_afile_sweep(const char *dir);

/* Test hook (docs/output.md): when the environment variable
 * R5G_TEST_PAUSE_AT is `stage`, prints "rollout5g: test pause at STAGE (pid
 * N)" on stderr and waits for a signal; `stage:SECONDS` sleeps that long
 * instead. Stages: read, solve (plan.c), write (temporary created), commit
 * (before the rename). */
void r5g_test_pause_at(const char *stage);

#endif
