/* libyaml node helpers shared by the scenario and batch file parsers (see yaml_node.h). */
#include "planner/scenario/yaml_node.h"

#include <stdio.h>
#include <string.h>

int pl_yaml_line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

int pl_yaml_error(r5g_err *err, const char *file, const yaml_node_t *n, const char *key, const char *what)
{
    char where[32] = "";
    if (n)
        snprintf(where, sizeof where, ":%d", pl_yaml_line(n));
    if (key && *key)
        return r5g_err_set(err, R5G_EINPUT, "%s%s: %s: %s", file, where, key, what);
    return r5g_err_set(err, R5G_EINPUT, "%s%s: %s", file, where, what);
}

const char *pl_yaml_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

int pl_yaml_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = pl_yaml_text(n);
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

void pl_yaml_describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE)
        snprintf(buf, size, "a mapping");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(buf, size, "a list");
    else if (pl_yaml_is_null(n))
        snprintf(buf, size, "an empty value");
    else
        snprintf(buf, size, "'%.60s'", pl_yaml_text(n));
}

int pl_yaml_mismatch(const yaml_node_t *n, yaml_node_type_t type)
{
    return !(n->type == type && !(type == YAML_SCALAR_NODE && pl_yaml_is_null(n)));
}

const char *pl_yaml_expected(yaml_node_type_t type)
{
    return type == YAML_MAPPING_NODE ? "a mapping (key: value)" : type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}
