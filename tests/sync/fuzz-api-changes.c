/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the change feed's fast reader (cin-api-changes-reader.c)
 * against the json-glib path every answer can take. Whatever page it reads
 * must be the very page json-glib's decoding gives; it may leave any text
 * to json-glib, but never take one json-glib's decoding refuses. Built and
 * run by build-aux/fuzz.sh. */

#include <stdint.h>
#include <stdlib.h>

#include "changes-compare.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CinApiChangesPage) fast = _cin_api_changes_read ((const char *)data, size);
  g_autoptr(CinApiChangesPage) slow = NULL;

  if (fast == NULL)
    return 0;
  slow = changes_decode_slowly ((const char *)data, size);
  if (slow == NULL || !changes_pages_equal (fast, slow))
    abort ();
  return 0;
}
