/* Where a run may write: no output is, is inside, or contains an input of
 * the run, and no two outputs overlap; the model exports written atomically. */
#ifndef PL_PATHS_H
#define PL_PATHS_H

#include "planner/scenario/scenario.h"
#include "solver/sol.h"

/* One output of a run, as the user named it. */
typedef struct pl_out_path {
    const char *what; /* "-o", "output.path", "--json", "--export-model", ... */
    const char *path; /* NULL (none) or "-" (standard output): not a file, skipped */
    int is_plan;      /* the plan: geo_out_open checks its existence and folder
                       * (a folder format may replace an earlier plan folder) */
} pl_out_path;

/* Refuses (R5G_EINPUT, one line naming the option, the path and the input's
 * scenario key) any output that is an input of the run, a side file of one
 * (a Shapefile's .shp .shx .dbf .prj .cpg .qix .sbn .sbx, a CSV's .csvt, a
 * SQLite/GeoPackage -wal -shm -journal, a raster's .aux.xml .ovr), inside an
 * input folder, or a folder holding an input; and outputs that are, or are
 * inside, one another. Inputs: the scenario file, every layer source, radio.dem,
 * radio.clutter.source. Paths are compared as real paths (symlinks and `..`
 * resolved; an output that does not exist yet as the real path of its folder
 * plus its name) and existing files also by device and inode (hard links).
 * Outputs other than the plan must not exist without overwrite, and their
 * folder must exist and be writable. Nothing is created or changed. */
int pl_paths_check(const pl_scenario *sc, const pl_out_path *outs, int n, int overwrite,
                   r5g_err *err);

/* --export-model / --export-unreduced: the model (sol_export) written under a
 * temporary name and moved into place as every output (common/afile.h). */
int pl_model_export(const sol_input *in, const char *path, int overwrite, r5g_err *err);

#endif
