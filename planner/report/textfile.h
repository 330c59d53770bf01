/* A text document (an HTML report, a JSON file) built in memory and written
 * as every output is (common/afile.h): under a hidden temporary name beside
 * its target, removed on SIGINT/SIGTERM, moved into place by
 * pl_textfile_commit once everything else of the run is in place, never
 * replacing a file that appeared meanwhile unless overwrite. "-" stands for
 * standard output. */
#ifndef PL_TEXTFILE_H
#define PL_TEXTFILE_H

#include "common/afile.h"
#include "common/r5g.h"

typedef struct pl_textfile {
    const char *what;   /* the option, for messages ("--html") */
    r5g_afile *af;      /* the temporary file, NULL when none */
    int overwrite;
    char *doc;          /* standard output: the document until commit */
} pl_textfile;
#define PL_TEXTFILE_INIT {NULL, NULL, 0, NULL}

/* Fails early, before any work, when path exists and overwrite is 0, or is
 * a folder ("-" always passes). For commands without a scenario; `plan`
 * checks its outputs with pl_paths_check. */
int pl_textfile_check(const char *what, const char *path, int overwrite, r5g_err *err);
/* Writes doc (taken: freed here in every case; NULL reports out of memory)
 * to the temporary file. */
int pl_textfile_prepare(pl_textfile *f, const char *what, const char *path, int overwrite, char *doc,
                        r5g_err *err);
/* Moves it into place (or prints it on standard output). */
int pl_textfile_commit(pl_textfile *f, r5g_err *err);
/* Removes the temporary file, if any, and frees. Accepts a committed or empty f. */
void pl_textfile_discard(pl_textfile *f);

#endif
