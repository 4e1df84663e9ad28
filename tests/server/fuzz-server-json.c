/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-server-json"

#include <stdint.h>

#include "cin-ad-check.h"
#include "cin-note-json.h"
#include "cin-rules.h"
#include "cin-server-json.h"

/* libFuzzer target: what PUT /v1/notes/{id} does with a body from a
 * stranger. The bounded JSON reader, then the note codec, then the
 * composer's rules and the advertising-law check. Any crash, hang or
 * sanitizer report is a bug. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static CinRules *rules;
  static CinAdCheck *ad_check;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  if (rules == NULL)
    {
      rules = cin_rules_load_default (NULL);
      ad_check = cin_ad_check_load_default (NULL);
      g_assert (rules != NULL && ad_check != NULL);
    }

  node = cin_server_json_parse ((const char *)data, size, NULL);
  if (node == NULL)
    return 0;
  note = cin_note_from_json (node, NULL);
  if (note == NULL)
    return 0;
  findings = cin_rules_check_note (rules, ad_check, note);
  return 0;
}
