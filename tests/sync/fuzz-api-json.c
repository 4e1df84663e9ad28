/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the API client's own JSON reader (cin-api-json.c),
 * which reads server answers before json-glib does, checked against
 * json-glib itself. Whatever it reads must be the very tree json-glib
 * reads; it may leave any text to json-glib, but never take one json-glib
 * refuses. Built and run by build-aux/fuzz.sh. */

#include <stdint.h>
#include <stdlib.h>

#include "cin-api-json-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) ours = _cin_api_json_read ((const char *)data, size);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *theirs;

  if (ours == NULL)
    return 0;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, NULL))
    abort ();
  theirs = json_parser_get_root (parser);
  if (theirs == NULL || !json_node_equal (ours, theirs))
    abort ();
  return 0;
}
