/* The attribute fields of the layer sections (demand, candidates, existing,
 * regions): one table per layout, each row a key with its type, whether it
 * is required, its default, unit and one line of documentation. The parser
 * takes the valid `fields:` keys from it, the reader its field requests, the
 * columns it reads by name and the check of every value, and the field
 * tables of docs/scenario.md are generated from it (a unit test compares
 * them). */
#ifndef PL_SCHEMA_H
#define PL_SCHEMA_H

#include "planner/scenario/scenario.h"

typedef enum {
    PL_SEC_DEMAND,
    PL_SEC_CANDIDATES,
    PL_SEC_EXISTING,
    PL_SEC_REGIONS,
    PL_SEC_COMMITTED, /* `committed:` ids and periods (attributes only) */
    PL_SEC_COUNT
} pl_section;

/* Columns of a layer read for a section, in request order: geo_table_value(t,
 * PL_DEMAND_TRAFFIC, i). Candidates and existing sites share one layout
 * (existing sites have no capex or kind: those columns read as absent). */
enum { PL_DEMAND_ID, PL_DEMAND_WEIGHT, PL_DEMAND_SECTOR, PL_DEMAND_PERIOD, PL_DEMAND_WHITELIST,
       PL_DEMAND_INDOOR, PL_DEMAND_TRAFFIC, PL_DEMAND_NAME, PL_DEMAND_NCOL };
enum { PL_SITE_ID, PL_SITE_CAPEX, PL_SITE_KIND, PL_SITE_BAND, PL_SITE_HEIGHT, PL_SITE_ENV,
       PL_SITE_NAME, PL_SITE_COMMITTED, PL_SITE_NCOL };
enum { PL_REGION_ID, PL_REGION_NAME, PL_REGION_POPULATION, PL_REGION_NCOL };
enum { PL_COMMIT_ID, PL_COMMIT_PERIOD, PL_COMMIT_NCOL };

/* What a field's values must be (checked by the reader, named in the docs). */
typedef enum {
    PL_FT_ID,     /* text, not empty; unique across the section (and sites across both) */
    PL_FT_TEXT,   /* any UTF-8 text */
    PL_FT_NUMBER, /* a finite number >= 0 */
    PL_FT_FLAG,   /* 1/0, true/false, t/f, yes/no, y/n (any case) */
    PL_FT_PERIOD, /* a period label, or a year with start/count periods */
    PL_FT_KIND,   /* new | upgrade */
    PL_FT_BAND,   /* a key of radio.bands */
    PL_FT_ENV,    /* uma | umi | rma */
    PL_FT_BUILD   /* a period label, an index 1..T, a year or a date (pl_scenario_commit_period) */
} pl_ftype;

typedef struct pl_field_spec {
    pl_field key;        /* the `fields:` key (pl_field_key) */
    pl_ftype type;
    int required;        /* the layer must have the field (mapped or named like the key) */
    int value_required;  /* an empty or NULL value is an error, not the default */
    double num_default;  /* numbers, flags: the value when absent or empty (NAN: set elsewhere) */
    const char *def;     /* the default, for the docs ("1", "the first band") */
    const char *unit;    /* "m", "Mbps", or NULL */
    const char *doc;     /* what it means, one line */
    unsigned sections;   /* the sections that read it: bits 1 << pl_section */
} pl_field_spec;

/* "demand", "candidates", "existing", "regions", "committed". */
const char *pl_section_name(pl_section s);
/* The layout of section s: *ncol columns, column k described by the result[k]. */
const pl_field_spec *pl_schema_layout(pl_section s, int *ncol);
/* 1 when section s reads column col of its layout. */
int pl_schema_reads(pl_section s, int col);
/* The key's column in the layout of s, or -1 when s does not read it. */
int pl_schema_col(pl_section s, pl_field key);
/* The field key named `name` ("weight"), or PL_F_COUNT. */
pl_field pl_field_of(const char *name);
/* The valid `fields:` keys of s in layout order, NULL-terminated, into keys
 * (room for PL_F_COUNT + 1); returns keys. */
const char **pl_schema_keys(pl_section s, const char **keys);
/* The columns a section's kept input fields (`keep_fields`) may not be
 * named like, in any case: the plan's own columns of the layer they go to
 * (demand: the `demand` layer, candidates and existing: `sites`), as
 * docs/output.md lists them (the writer checks its columns against them),
 * and the names formats give the feature id and geometry (fid, geom,
 * geometry, wkt, x, y). NULL-terminated; NULL for regions. */
const char *const *pl_schema_plan_columns(pl_section s);
/* Type as the docs name it ("number >= 0"). */
const char *pl_ftype_doc(pl_ftype t);
/* The markdown table of the `fields:` keys of s as docs/scenario.md holds
 * it (header, separator, one row per key, each line ending in '\n');
 * malloc'd, NULL on out of memory. */
char *pl_schema_doc_table(pl_section s);

#endif
