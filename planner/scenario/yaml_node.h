/* Reading libyaml document nodes the way the scenario and batch file
 * parsers both report them: the scalar text, YAML's null, and a node
 * described for an error line ("a mapping", "'abc'"). */
#ifndef PL_YAML_NODE_H
#define PL_YAML_NODE_H

#include <stddef.h>
#include <yaml.h>

#include "common/r5g.h"

/* 1-based line of the node in its file. */
int pl_yaml_line(const yaml_node_t *n);
/* Sets err to "FILE:LINE: KEY: what" (R5G_EINPUT) and returns R5G_EINPUT;
 * n == NULL drops the line, an empty or NULL key drops the key. */
int pl_yaml_error(r5g_err *err, const char *file, const yaml_node_t *n, const char *key, const char *what);
/* The text of a scalar node. */
const char *pl_yaml_text(const yaml_node_t *n);
/* 1 for a plain scalar that YAML reads as null ("", ~, null, Null, NULL). */
int pl_yaml_is_null(const yaml_node_t *n);
/* "a mapping", "a list", "an empty value" or the quoted text (60 bytes at most). */
void pl_yaml_describe(const yaml_node_t *n, char *buf, size_t size);
/* 0 when n is of type (a scalar that is not null), else 1. */
int pl_yaml_mismatch(const yaml_node_t *n, yaml_node_type_t type);
/* What an error line says was expected: "a mapping (key: value)", "a list", "a value". */
const char *pl_yaml_expected(yaml_node_type_t type);

#endif
