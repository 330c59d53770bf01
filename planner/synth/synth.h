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
    double scale;          /* 0 or 1: the preset as it is; else what pl_synth_preset_scale applied */
} pl_synth_preset;

/* Presets by name: tiny, district (default scenario), district-xl, city,
 * province. NULL if unknown. */
const pl_synth_preset *pl_synth_preset_find(const char *name);
/* Comma-separated list of preset names, for help and errors. */
const char *pl_synth_preset_names(void);
/* *out = p with scale times the candidates and demand points (rounded, at
 * least 1) on sqrt(scale) times the side, so the density stays; the same
 * world in the small (or the large), deterministic like the preset itself.
 * R5G_EINPUT unless 0 < scale <= 10 (the sizes are checked when writing). */
int pl_synth_preset_scale(pl_synth_preset *out, const pl_synth_preset *p, double scale, r5g_err *err);
/* Writes scenario.yaml, demand.geojson (province: demand.csv), candidates.csv,
 * existing.geojson and regions.geojson into dir (created if missing;
 * existing files are an error unless overwrite). Written under temporary
 * names and renamed when complete. */
int pl_synth_write(const pl_synth_preset *p, uint64_t seed, const char *dir, int overwrite,
                   r5g_err *err);

#endif
