/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @size bytes read as strict JSON into a sealed tree, the one
 * json_parser_new_immutable() would give; NULL for anything it leaves
 * to json-glib (text that is not UTF-8 or holds a NUL among it), which
 * says what is wrong when something is. */
JsonNode *_cin_api_json_read (const char *data,
                              gsize       size);

G_END_DECLS
