/* Text outputs written atomically (see textfile.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "planner/report/textfile.h"

int pl_textfile_check(const char *what, const char *path, int overwrite, r5g_err *err)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return R5G_OK;
    if (S_ISDIR(st.st_mode))
        return r5g_err_set(err, R5G_EINPUT, "%s: '%s' is a folder, not a file", what, path);
    if (!overwrite)
        return r5g_err_set(err, R5G_EINPUT, "%s: '%s' exists (use --overwrite to replace it)", what, path);
    return R5G_OK;
}

int pl_textfile_prepare(pl_textfile *f, const char *what, const char *path, int overwrite, char *doc,
                        r5g_err *err)
{
    int rc = R5G_OK;
    FILE *fp = NULL;
    *f = (pl_textfile)PL_TEXTFILE_INIT;
    f->what = what;
    f->overwrite = overwrite;
    if (!doc)
        return r5g_err_set(err, R5G_ENOMEM, "%s: out of memory building the document", what);
    if (strcmp(path, "-") == 0) {
        f->doc = doc;
        return R5G_OK;
    }
    if ((rc = r5g_afile_new(&f->af, path, 0, err)))
        goto out;
    if (!(fp = fopen(r5g_afile_tmp(f->af), "wbx"))) {
        rc = r5g_err_set(err, R5G_EIO, "%s: cannot write '%s': %s", what, path, strerror(errno));
        goto out;
    }
    size_t n = strlen(doc);
    int bad = fwrite(doc, 1, n, fp) != n;
    bad |= ferror(fp);
    if (fclose(fp) != 0 || bad)
        rc = r5g_err_set(err, R5G_EIO, "%s: writing '%s' failed: %s", what, path, strerror(errno));
out:
    free(doc);
    if (rc)
        pl_textfile_discard(f);
    return rc;
}

int pl_textfile_commit(pl_textfile *f, r5g_err *err)
{
    int rc = R5G_OK;
    if (f->doc) {
        size_t n = strlen(f->doc);
        if (fwrite(f->doc, 1, n, stdout) != n || fflush(stdout) != 0)
            rc = r5g_err_set(err, R5G_EIO, "%s -: cannot write to standard output: %s", f->what,
                             strerror(errno));
    } else if (f->af && (rc = r5g_afile_commit(f->af, f->overwrite, err))) {
        r5g_err_prefix(err, "%s", f->what);
    }
    pl_textfile_discard(f);
    return rc;
}

void pl_textfile_discard(pl_textfile *f)
{
    r5g_afile_free(f->af); /* the temporary, unless moved into place, and its lock */
    free(f->doc);
    *f = (pl_textfile)PL_TEXTFILE_INIT;
}
