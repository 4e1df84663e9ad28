/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "changes-compare.h"
#include "cin-api-error-private.h"
#include "cin-note-json.h"

CinApiChangesPage *
changes_decode_slowly (const char *data,
                       gsize       size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = _cin_api_parse_json (body, NULL);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return _cin_api_decode_changes_page (json_node_get_object (root), NULL);
}

static gboolean
notes_equal (CinNote *a,
             CinNote *b)
{
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  json_a = cin_note_to_json_string (a);
  json_b = cin_note_to_json_string (b);
  return g_str_equal (json_a, json_b);
}

gboolean
changes_pages_equal (CinApiChangesPage *a,
                     CinApiChangesPage *b)
{
  if (g_strcmp0 (a->cursor, b->cursor) != 0 || a->more != b->more || a->changes->len != b->changes->len)
    return FALSE;
  for (guint i = 0; i < a->changes->len; i++)
    {
      CinApiChange *x = g_ptr_array_index (a->changes, i);
      CinApiChange *y = g_ptr_array_index (b->changes, i);

      if (g_strcmp0 (x->cursor, y->cursor) != 0 || g_strcmp0 (x->kind, y->kind) != 0 ||
          g_strcmp0 (x->id, y->id) != 0 || g_strcmp0 (x->rev, y->rev) != 0 ||
          x->deleted != y->deleted ||
          !notes_equal (x->note, y->note))
        return FALSE;
    }
  return TRUE;
}
