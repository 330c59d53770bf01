/* The field tables of the layer sections (see schema.h): the one place that
 * says which attributes a layer may map, of what type, with which default. */
#include "planner/scenario/schema.h"

#include <math.h>
#include <string.h>

#include "common/strbuf.h"

#define SEC(s) (1u << (s))
#define SITES (SEC(PL_SEC_CANDIDATES) | SEC(PL_SEC_EXISTING))

static const char *const key_names[PL_F_COUNT] = {
    [PL_F_ID] = "id",         [PL_F_WEIGHT] = "weight",   [PL_F_SECTOR] = "sector",
    [PL_F_PERIOD] = "period", [PL_F_WHITELIST] = "whitelist", [PL_F_INDOOR] = "indoor",
    [PL_F_TRAFFIC] = "traffic", [PL_F_CAPEX] = "capex",   [PL_F_KIND] = "kind",
    [PL_F_BAND] = "band",     [PL_F_HEIGHT] = "height",   [PL_F_ENVIRONMENT] = "environment",
    [PL_F_NAME] = "name",     [PL_F_POPULATION] = "population",
    [PL_F_COMMITTED] = "committed",
};

static const pl_field_spec demand_layout[PL_DEMAND_NCOL] = {
    [PL_DEMAND_ID] = {PL_F_ID, PL_FT_ID, 1, 1, NAN, "-", NULL,
                      "unique id of the point, across all demand layers", SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_WEIGHT] = {PL_F_WEIGHT, PL_FT_NUMBER, 0, 0, 1, "1", NULL,
                          "demand volume or importance", SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_SECTOR] = {PL_F_SECTOR, PL_FT_TEXT, 0, 0, NAN, "the layer's `sector`, else none",
                          NULL, "priority class (see `sectors`, `targets.sector_share`)",
                          SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_PERIOD] = {PL_F_PERIOD, PL_FT_PERIOD, 0, 0, 1, "the first period", NULL,
                          "the period in which the demand appears", SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_WHITELIST] = {PL_F_WHITELIST, PL_FT_FLAG, 0, 0, 0, "0", NULL,
                             "key enterprise on the white list (`whitelist_multiplier`, "
                             "`on_time_required: whitelist`)", SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_INDOOR] = {PL_F_INDOOR, PL_FT_FLAG, 0, 0, 0, "0", NULL,
                          "the point is indoors: adds `radio.indoor_loss_db` (tr38901)",
                          SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_TRAFFIC] = {PL_F_TRAFFIC, PL_FT_NUMBER, 0, 0, 0, "0", "Mbps",
                           "traffic to serve, against the band's `capacity_mbps` when "
                           "`model.capacity` is on", SEC(PL_SEC_DEMAND)},
    [PL_DEMAND_NAME] = {PL_F_NAME, PL_FT_TEXT, 0, 0, NAN, "none", NULL,
                        "name of the place (a plant, port, campus): kept in the plan's `demand` "
                        "layer and its labels", SEC(PL_SEC_DEMAND)},
};

static const pl_field_spec site_layout[PL_SITE_NCOL] = {
    [PL_SITE_ID] = {PL_F_ID, PL_FT_ID, 1, 1, NAN, "-", NULL,
                    "unique id of the site, across candidates and existing", SITES},
    [PL_SITE_CAPEX] = {PL_F_CAPEX, PL_FT_NUMBER, 0, 1, 0,
                       "0 when the layer has no capex field (with a warning); an empty value "
                       "is an error",
                       "currency of `budget.capex`", "cost to build (or upgrade) the site",
                       SEC(PL_SEC_CANDIDATES)},
    [PL_SITE_KIND] = {PL_F_KIND, PL_FT_KIND, 0, 0, NAN, "`new`", NULL,
                      "`upgrade`: an existing 4G tower that gets 5G", SEC(PL_SEC_CANDIDATES)},
    [PL_SITE_BAND] = {PL_F_BAND, PL_FT_BAND, 0, 0, NAN, "the first band", NULL,
                      "the band the site uses", SITES},
    [PL_SITE_HEIGHT] = {PL_F_HEIGHT, PL_FT_NUMBER, 0, 0, NAN, "the band's `height_m`", "m",
                        "antenna height above ground", SITES},
    [PL_SITE_ENV] = {PL_F_ENVIRONMENT, PL_FT_ENV, 0, 0, NAN,
                     "the clutter class at the site, else `radio.environment`", NULL,
                     "TR 38.901 environment of the site (tr38901)", SITES},
    [PL_SITE_NAME] = {PL_F_NAME, PL_FT_TEXT, 0, 0, NAN, "none", NULL,
                      "name of the site (a tower, a building): kept in the plan's `sites` layer "
                      "and its labels", SITES},
    [PL_SITE_COMMITTED] = {PL_F_COMMITTED, PL_FT_BUILD, 0, 0, 0, "none: free", NULL,
                           "the period the site is committed to (built, under construction or "
                           "decided): built then in every plan (re-planning)",
                           SEC(PL_SEC_CANDIDATES)},
};

static const pl_field_spec region_layout[PL_REGION_NCOL] = {
    [PL_REGION_ID] = {PL_F_ID, PL_FT_ID, 1, 1, NAN, "-", NULL,
                      "unique id of the region (an adcode)", SEC(PL_SEC_REGIONS)},
    [PL_REGION_NAME] = {PL_F_NAME, PL_FT_TEXT, 0, 0, NAN, "none", NULL,
                        "name shown in the region layers", SEC(PL_SEC_REGIONS)},
    [PL_REGION_POPULATION] = {PL_F_POPULATION, PL_FT_NUMBER, 0, 0, NAN, "unknown", "people",
                              "for `targets.sites_per_10k_people` and the region KPIs",
                              SEC(PL_SEC_REGIONS)},
};

static const pl_field_spec commit_layout[PL_COMMIT_NCOL] = {
    [PL_COMMIT_ID] = {PL_F_ID, PL_FT_TEXT, 1, 1, NAN, "-", NULL,
                      "id of a candidate (the same id twice only with the same period)",
                      SEC(PL_SEC_COMMITTED)},
    [PL_COMMIT_PERIOD] = {PL_F_PERIOD, PL_FT_BUILD, 1, 1, 0, "-", NULL,
                          "the period the candidate is committed to: built then in every plan",
                          SEC(PL_SEC_COMMITTED)},
};

const char *pl_field_key(pl_field f)
{
    return (int)f >= 0 && f < PL_F_COUNT ? key_names[f] : NULL;
}

pl_field pl_field_of(const char *name)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        if (strcmp(key_names[f], name) == 0)
            return (pl_field)f;
    return PL_F_COUNT;
}

const char *pl_section_name(pl_section s)
{
    static const char *const names[PL_SEC_COUNT] = {"demand", "candidates", "existing",
                                                     "regions", "committed"};
    return (int)s >= 0 && s < PL_SEC_COUNT ? names[s] : NULL;
}

const pl_field_spec *pl_schema_layout(pl_section s, int *ncol)
{
    switch (s) {
    case PL_SEC_DEMAND: *ncol = PL_DEMAND_NCOL; return demand_layout;
    case PL_SEC_CANDIDATES:
    case PL_SEC_EXISTING: *ncol = PL_SITE_NCOL; return site_layout;
    case PL_SEC_REGIONS: *ncol = PL_REGION_NCOL; return region_layout;
    case PL_SEC_COMMITTED: *ncol = PL_COMMIT_NCOL; return commit_layout;
    default: *ncol = 0; return NULL;
    }
}

int pl_schema_reads(pl_section s, int col)
{
    int n;
    const pl_field_spec *L = pl_schema_layout(s, &n);
    return col >= 0 && col < n && (L[col].sections & SEC(s)) != 0;
}

int pl_schema_col(pl_section s, pl_field key)
{
    int n;
    const pl_field_spec *L = pl_schema_layout(s, &n);
    for (int k = 0; k < n; k++)
        if (L[k].key == key && pl_schema_reads(s, k))
            return k;
    return -1;
}

const char **pl_schema_keys(pl_section s, const char **keys)
{
    int n, m = 0;
    const pl_field_spec *L = pl_schema_layout(s, &n);
    for (int k = 0; k < n; k++)
        if (pl_schema_reads(s, k))
            keys[m++] = pl_field_key(L[k].key);
    keys[m] = NULL;
    return keys;
}

const char *const *pl_schema_plan_columns(pl_section s)
{
#define GEOMETRY_NAMES "fid", "geom", "geometry", "wkt", "x", "y"
    static const char *const demand[] = {
        "demand_id", "sector", "whitelist", "weight", "effective_weight", "region_id",
        "demand_period", "demand_index", "demand_date", "covered_period", "covered_index",
        "covered_date", "lead_periods", "on_time", "serving_site_id", "serving_distance_m",
        "serving_path_loss_db", "name", GEOMETRY_NAMES, NULL};
    static const char *const sites[] = {
        "site_id", "kind", "band", "region_id", "status", "build_period", "build_index",
        "build_date", "capex", "radius_m", "covered_weight", "served_demand", "environment",
        "name", "committed", GEOMETRY_NAMES, NULL};
#undef GEOMETRY_NAMES
    switch (s) {
    case PL_SEC_DEMAND: return demand;
    case PL_SEC_CANDIDATES:
    case PL_SEC_EXISTING: return sites;
    default: return NULL;
    }
}

const char *pl_ftype_doc(pl_ftype t)
{
    switch (t) {
    case PL_FT_ID: return "text, unique";
    case PL_FT_TEXT: return "text";
    case PL_FT_NUMBER: return "number >= 0";
    case PL_FT_FLAG: return "flag: 1/0, true/false, yes/no";
    case PL_FT_PERIOD: return "period label, or a year";
    case PL_FT_KIND: return "`new` or `upgrade`";
    case PL_FT_BAND: return "a key of `radio.bands`";
    case PL_FT_ENV: return "`uma`, `umi` or `rma`";
    case PL_FT_BUILD: return "period label, index 1..T, year or date";
    }
    return "?";
}

char *pl_schema_doc_table(pl_section s)
{
    int n;
    const pl_field_spec *L = pl_schema_layout(s, &n);
    r5g_str b = R5G_STR_INIT;
    r5g_str_append(&b, "| key | type | required | default | unit | meaning |\n"
                       "|---|---|---|---|---|---|\n");
    for (int k = 0; k < n; k++) {
        if (!pl_schema_reads(s, k))
            continue;
        const pl_field_spec *f = &L[k];
        r5g_str_appendf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", pl_field_key(f->key),
                        pl_ftype_doc(f->type), f->required ? "yes" : "no", f->def,
                        f->unit ? f->unit : "-", f->doc);
    }
    return r5g_str_finish(&b);
}

/* the reader names features by column 0 of every layout (GEO_READ_ID_FIRST) */
_Static_assert(PL_DEMAND_ID == 0 && PL_SITE_ID == 0 && PL_REGION_ID == 0 && PL_COMMIT_ID == 0,
               "every layout starts with the id");
