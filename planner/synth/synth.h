/* Deterministic synthetic scenarios (`rollout5g synth`): a believable Yangtze
 * River Delta industrial district or city, written as GeoJSON/CSV text plus a
 * scenario.yaml. The same preset and seed give byte-identical files. */
#ifndef PL_SYNTH_H
#define PL_SYNTH_H

#include <stdint.h>

#include "common/r5g.h"

typedef struct pl_synth_preset {
    const char *name;      /* "district" */
    int n_candidates;      /* new-build candidates + upgradeable 4G towers */
    int n_demand;
    int n_periods;
    double extent_m;       /* side of the square area */
} pl_synth_preset;

/* Presets by name: tiny, district (default scenario), district-xl, city. NULL if unknown. */
const pl_synth_preset *pl_synth_preset_find(const char *name);
/* Comma-separated list of preset names, for help and errors. */
const char *pl_synth_preset_names(void);
/* Writes scenario.yaml, demand.geojson, candidates.csv, existing.geojson and
 * regions.geojson into dir (created if missing; existing files are an error
 * unless overwrite). Written under temporary names and renamed when complete. */
int pl_synth_write(const pl_synth_preset *p, uint64_t seed, const char *dir, int overwrite,
                   r5g_err *err);

#endif
