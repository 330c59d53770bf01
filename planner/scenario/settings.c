/* Settings JSON (planner/scenario/settings.h): a pl_scenario written in the
 * keys of the scenario file with json-c, and read back by building a YAML
 * document from the parsed JSON and handing it to the scenario parser, so
 * the text a plan records passes the same checks as the file it came from. */
#include "config.h"

#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "planner/scenario/settings.h"

/* ---- writing -------------------------------------------------------------- */

/* The environments in the order of the scenario parser's enum values
 * (clutter classes keep the index). */
static const char *const env_names[] = {"uma", "umi", "rma"};

/* A JSON number that reads back as exactly v: the shortest of %.15g..%.17g
 * that round-trips; unlimited (+inf) is the YAML text ".inf". */
static json_object *jnum(double v)
{
    if (isinf(v) && v > 0)
        return json_object_new_string(".inf");
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return json_object_new_double_s(v, buf);
}

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

/* Adds key: value when value is not NULL (a NULL value is "not given"). */
static void put(json_object *o, const char *key, json_object *v)
{
    if (v)
        json_object_object_add(o, key, v);
}

/* An absolute form of a path from the scenario: paths starting with '/'
 * (also /vsi...) and anything holding ':' (connection strings, URLs) stay as
 * they are, as the scenario parser keeps them. */
static json_object *jpath(const char *p)
{
    if (!p)
        return NULL;
    if (p[0] == '/' || strchr(p, ':'))
        return json_object_new_string(p);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return json_object_new_string(p);
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    char *abs = r5g_asprintf("%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", strcmp(p, ".") ? p : "");
    json_object *o = abs ? json_object_new_string(abs) : NULL;
    free(abs);
    return o;
}

static json_object *layer_json(const pl_layer *L)
{
    json_object *o = json_object_new_object();
    put(o, "source", jpath(L->source));
    put(o, "layer", jstr(L->layer));
    put(o, "where", jstr(L->where));
    put(o, "crs", jstr(L->crs));
    if (L->open_options) {
        json_object *a = json_object_new_array();
        for (char **opt = L->open_options; *opt; opt++)
            json_object_array_add(a, json_object_new_string(*opt));
        put(o, "open_options", a);
    }
    json_object *f = NULL;
    for (int k = 0; k < PL_F_COUNT; k++) {
        if (!L->field[k])
            continue;
        if (!f)
            f = json_object_new_object();
        put(f, pl_field_key((pl_field)k), json_object_new_string(L->field[k]));
    }
    put(o, "fields", f);
    if (L->keep_all)
        put(o, "keep_fields", json_object_new_string("all"));
    else if (L->n_keep) {
        json_object *a = json_object_new_array();
        for (int k = 0; k < L->n_keep; k++)
            json_object_array_add(a, json_object_new_string(L->keep[k]));
        put(o, "keep_fields", a);
    }
    if (L->skip_invalid)
        put(o, "on_invalid", json_object_new_string("skip"));
    put(o, "sector", jstr(L->sector));
    put(o, "id_prefix", jstr(L->id_prefix));
    return o;
}

/* {period label: value} of targets without a sector (or of one sector). */
static json_object *targets_json(const pl_scenario *sc, const pl_target *t, int n, const char *sector)
{
    json_object *o = json_object_new_object();
    for (int i = 0; i < n; i++)
        if (!sector || (t[i].sector && strcmp(t[i].sector, sector) == 0))
            put(o, sc->period_label[t[i].period - 1], jnum(t[i].value));
    return o;
}

static json_object *per_period(const pl_scenario *sc, const double *v)
{
    json_object *a = json_object_new_array();
    for (int t = 0; t < sc->n_periods; t++)
        json_object_array_add(a, jnum(v[t]));
    return a;
}

static json_object *settings_object(const pl_scenario *sc, const pl_settings_output *o)
{
    json_object *root = json_object_new_object(), *x, *y;
    put(root, "version", json_object_new_int(sc->version > 0 ? sc->version : 1));
    put(root, "name", jstr(sc->name));
    put(root, "crs", jstr(sc->crs));

    x = json_object_new_object();
    if (sc->period_step > 0) {
        put(x, "start", json_object_new_int(sc->period_start));
        put(x, "count", json_object_new_int(sc->n_periods));
        put(x, "step", json_object_new_int(sc->period_step));
    } else {
        json_object *l = json_object_new_array(), *d = json_object_new_array();
        for (int t = 0; t < sc->n_periods; t++) {
            json_object_array_add(l, json_object_new_string(sc->period_label[t]));
            json_object_array_add(d, json_object_new_string(sc->period_date[t]));
        }
        put(x, "labels", l);
        put(x, "dates", d);
    }
    put(root, "periods", x);

    x = json_object_new_object();
    put(x, "capex", per_period(sc, sc->budget));
    put(x, "carry_over", json_object_new_boolean(sc->carry_over));
    y = json_object_new_array();
    for (int t = 0; t < sc->n_periods; t++) {
        int m = sc->max_new_sites ? sc->max_new_sites[t] : -1;
        json_object_array_add(y, m < 0 ? json_object_new_string(".inf") : json_object_new_int(m));
    }
    put(x, "max_new_sites", y);
    put(root, "budget", x);

    if (pl_scenario_demand_count(sc) > 1) { /* a demand: list */
        json_object *a = json_object_new_array();
        for (int k = 0; k < pl_scenario_demand_count(sc); k++)
            json_object_array_add(a, layer_json(pl_scenario_demand_layer(sc, k)));
        put(root, "demand", a);
    } else {
        put(root, "demand", layer_json(&sc->demand));
    }
    put(root, "candidates", layer_json(&sc->candidates));
    if (sc->existing.present)
        put(root, "existing", layer_json(&sc->existing));
    if (sc->regions.present)
        put(root, "regions", layer_json(&sc->regions));
    if (sc->committed.present)
        put(root, "committed", layer_json(&sc->committed));

    x = json_object_new_object();
    put(x, "model", json_object_new_string(sc->radio_model == PL_RADIO_TR38901 ? "tr38901" : "fixed_radius"));
    put(x, "radius_m", jnum(sc->radius_m));
    put(x, "environment", jstr(sc->environment));
    put(x, "shadow_margin_db", jnum(sc->shadow_margin_db));
    put(x, "indoor_loss_db", jnum(sc->indoor_loss_db));
    y = json_object_new_object();
    for (int b = 0; b < sc->n_bands; b++) {
        const pl_band *band = &sc->bands[b];
        json_object *z = json_object_new_object();
        put(z, "frequency_ghz", jnum(band->frequency_ghz));
        put(z, "max_path_loss_db", jnum(band->max_path_loss_db));
        put(z, "height_m", jnum(band->height_m));
        put(z, "capacity_mbps", jnum(band->capacity_mbps));
        put(y, band->name, z);
    }
    put(x, "bands", y);
    put(x, "dem", jpath(sc->dem));
    if (sc->clutter) {
        json_object *z = json_object_new_object(), *cl = json_object_new_object();
        put(z, "source", jpath(sc->clutter));
        for (int k = 0; k < sc->n_clutter_classes; k++) {
            int e = (int)sc->clutter_classes[k].value;
            put(cl, sc->clutter_classes[k].name, json_object_new_string(env_names[e >= 0 && e < 3 ? e : 0]));
        }
        put(z, "classes", cl);
        put(x, "clutter", z);
    }
    put(x, "ut_height_m", jnum(sc->ut_height_m));
    put(x, "nlos", json_object_new_string(sc->nlos_drop ? "drop" : "model"));
    put(root, "radio", x);

    x = json_object_new_object();
    for (int k = 0; k < sc->n_sectors; k++)
        put(x, sc->sectors[k].name, jnum(sc->sectors[k].value));
    put(root, "sectors", x);
    put(root, "whitelist_multiplier", jnum(sc->whitelist_multiplier));

    x = json_object_new_object();
    put(x, "lead_periods", json_object_new_int(sc->lead_periods));
    put(x, "max_lead_periods", json_object_new_int(sc->max_lead_periods));
    put(x, "on_time_required", json_object_new_string(sc->on_time_required == PL_ONTIME_ALL ? "all"
                                                      : sc->on_time_required == PL_ONTIME_WHITELIST
                                                          ? "whitelist"
                                                          : "none"));
    put(root, "ahead_of_demand", x);
    put(root, "objective", json_object_new_string(sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage"));
    put(root, "discount_rate", jnum(sc->discount_rate));

    x = json_object_new_object();
    if (sc->n_coverage_targets)
        put(x, "coverage_share", targets_json(sc, sc->coverage_targets, sc->n_coverage_targets, NULL));
    if (sc->n_sector_targets) {
        y = json_object_new_object();
        for (int k = 0; k < sc->n_sector_targets; k++) {
            const char *s = sc->sector_targets[k].sector;
            if (s && !json_object_object_get_ex(y, s, NULL))
                put(y, s, targets_json(sc, sc->sector_targets, sc->n_sector_targets, s));
        }
        put(x, "sector_share", y);
    }
    if (sc->n_density_targets)
        put(x, "sites_per_10k_people", targets_json(sc, sc->density_targets, sc->n_density_targets, NULL));
    put(root, "targets", x);

    x = json_object_new_object();
    put(x, "capacity", json_object_new_boolean(sc->capacity));
    put(root, "model", x);

    x = json_object_new_object();
    put(x, "time_limit_s", jnum(sc->time_limit_s));
    put(x, "mip_gap", jnum(sc->mip_gap));
    put(x, "presolve", sc->presolve < 0 ? json_object_new_string("auto") : json_object_new_boolean(sc->presolve));
    put(x, "decompose", sc->decompose < 0 ? json_object_new_string("auto") : json_object_new_boolean(sc->decompose));
    put(x, "cuts", json_object_new_boolean(sc->cuts));
    put(x, "heuristics", json_object_new_boolean(sc->heuristics));
    put(x, "feasibility_pump", json_object_new_boolean(sc->feasibility_pump));
    put(x, "proximity_search", json_object_new_boolean(sc->proximity_search));
    put(root, "solver", x);

    x = json_object_new_object();
    put(x, "path", jpath(o && o->path ? o->path : sc->output_path));
    put(x, "format", jstr(o && o->format ? o->format : sc->output_format));
    put(x, "crs", jstr(o && o->crs ? o->crs : sc->output_crs ? sc->output_crs : "EPSG:4326"));
    put(x, "links", json_object_new_boolean(o && o->links > 0 ? 1 : sc->output_links));
    put(root, "output", x);
    return root;
}

int pl_settings_json(char **out, const pl_scenario *sc, const pl_settings_output *o, r5g_err *err)
{
    *out = NULL;
    json_object *root = settings_object(sc, o);
    const char *text = root ? json_object_to_json_string_ext(root, JSON_C_TO_STRING_SPACED |
                                                                       JSON_C_TO_STRING_NOSLASHESCAPE)
                            : NULL;
    *out = text ? r5g_strdup(text) : NULL;
    json_object_put(root);
    return *out ? 0 : r5g_err_set(err, R5G_ENOMEM, "out of memory writing the settings");
}

/* ---- reading ---------------------------------------------------------------- */

/* Adds JSON value v to the document: objects become mappings, arrays
 * sequences, strings quoted scalars (so "null" stays a text), numbers and
 * booleans plain scalars, null an empty plain scalar (which the scenario
 * checks reject as an empty value). Returns the node id, 0 on failure. */
static int add_node(yaml_document_t *doc, json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_object: {
        int map = yaml_document_add_mapping(doc, NULL, YAML_BLOCK_MAPPING_STYLE);
        json_object_object_foreach(v, key, val) {
            int k = map ? yaml_document_add_scalar(doc, NULL, (yaml_char_t *)key, (int)strlen(key),
                                                   YAML_PLAIN_SCALAR_STYLE)
                        : 0;
            int nv = k ? add_node(doc, val) : 0;
            if (!nv || !yaml_document_append_mapping_pair(doc, map, k, nv))
                return 0;
        }
        return map;
    }
    case json_type_array: {
        int seq = yaml_document_add_sequence(doc, NULL, YAML_BLOCK_SEQUENCE_STYLE);
        size_t n = json_object_array_length(v);
        for (size_t i = 0; seq && i < n; i++) {
            int item = add_node(doc, json_object_array_get_idx(v, i));
            if (!item || !yaml_document_append_sequence_item(doc, seq, item))
                return 0;
        }
        return seq;
    }
    case json_type_string:
        return yaml_document_add_scalar(doc, NULL, (yaml_char_t *)json_object_get_string(v),
                                        json_object_get_string_len(v), YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    case json_type_null:
        return yaml_document_add_scalar(doc, NULL, (yaml_char_t *)"", 0, YAML_PLAIN_SCALAR_STYLE);
    default: { /* number or boolean: its JSON text */
        const char *t = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
        return yaml_document_add_scalar(doc, NULL, (yaml_char_t *)t, (int)strlen(t), YAML_PLAIN_SCALAR_STYLE);
    }
    }
}

int pl_scenario_from_settings_json(pl_scenario **out, const char *json, const char *origin, r5g_err *err)
{
    *out = NULL;
    int rc = 0, doc_ok = 0;
    yaml_document_t doc;
    json_object *root = NULL;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    size_t len = strlen(json);
    root = json_tokener_parse_ex(tok, json, (int)(len < INT_MAX ? len : INT_MAX));
    enum json_tokener_error je = json_tokener_get_error(tok);
    if (!root || je != json_tokener_success) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: not valid JSON at byte %zu: %s", origin,
                         json_tokener_get_parse_end(tok) + 1,
                         json_tokener_error_desc(je == json_tokener_success ? json_tokener_continue : je));
        goto out;
    }
    if (json_tokener_get_parse_end(tok) < len) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: text after the JSON object at byte %zu", origin,
                         json_tokener_get_parse_end(tok) + 1);
        goto out;
    }
    if (!json_object_is_type(root, json_type_object)) {
        rc = r5g_err_set(err, R5G_EINPUT, "%s: expected a JSON object of scenario keys, got %s", origin,
                         json_type_to_name(json_object_get_type(root)));
        goto out;
    }
    if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1)) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    doc_ok = 1;
    if (add_node(&doc, root) != 1) { /* the root mapping must be node 1 */
        rc = r5g_err_set(err, R5G_ENOMEM, "%s: out of memory building the scenario", origin);
        goto out;
    }
    rc = pl_scenario_from_document(out, &doc, origin, err);
out:
    if (doc_ok)
        yaml_document_delete(&doc);
    json_object_put(root);
    json_tokener_free(tok);
    return rc;
}
