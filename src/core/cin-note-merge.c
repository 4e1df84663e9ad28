/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-merge"

#include "cin-note-merge.h"

/* Field by field, the rule is the same: the side that differs from the
 * base changed the field and wins; when both differ from it and from each
 * other, text conflicts and anything else takes the server's value, so
 * two clients merging the same three versions reach the same note. */

static const char *
pick_string (const char *base,
             const char *local,
             const char *remote,
             gboolean   *conflict)
{
  if (g_strcmp0 (local, remote) == 0 || g_strcmp0 (local, base) == 0)
    return remote;
  if (g_strcmp0 (remote, base) == 0)
    return local;
  *conflict = TRUE;
  return remote;
}

static gboolean
strv_contains (const char * const *strv,
               const char         *item)
{
  return strv != NULL && g_strv_contains (strv, item);
}

/* The server's items, less those the local side removed, then the local
 * side's additions in its own order. */
static GStrv
merge_sets (const char * const *base,
            const char * const *local,
            const char * const *remote)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  for (gsize i = 0; remote != NULL && remote[i] != NULL; i++)
    {
      gboolean removed_locally = strv_contains (base, remote[i]) &&
                                 !strv_contains (local, remote[i]);

      if (!removed_locally)
        g_strv_builder_add (builder, remote[i]);
    }

  for (gsize i = 0; local != NULL && local[i] != NULL; i++)
    {
      if (!strv_contains (base, local[i]) && !strv_contains (remote, local[i]) &&
          !g_ptr_array_find_with_equal_func (added, local[i], g_str_equal, NULL))
        {
          g_ptr_array_add (added, (gpointer)local[i]);
          g_strv_builder_add (builder, local[i]);
        }
    }

  return g_strv_builder_end (builder);
}

static CinPhoto *
find_photo (GPtrArray  *photos,
            const char *id)
{
  for (guint i = 0; photos != NULL && i < photos->len; i++)
    {
      CinPhoto *photo = g_ptr_array_index (photos, i);

      if (g_str_equal (cin_photo_get_id (photo), id))
        return photo;
    }
  return NULL;
}

static gboolean
same_crop (const CinPhoto *a,
           const CinPhoto *b)
{
  return cin_photo_get_crop (a) == cin_photo_get_crop (b) &&
         cin_photo_get_crop_x (a) == cin_photo_get_crop_x (b) &&
         cin_photo_get_crop_y (a) == cin_photo_get_crop_y (b);
}

/* @remote's photo with the local side's changes to alt text and crop. */
static CinPhoto *
merge_photo (CinPhoto *base,
             CinPhoto *local,
             CinPhoto *remote)
{
  g_autoptr(CinPhoto) merged = cin_photo_ref (remote);

  if (local == NULL)
    return g_steal_pointer (&merged);

  if (base != NULL &&
      g_strcmp0 (cin_photo_get_alt_text (remote), cin_photo_get_alt_text (base)) == 0 &&
      g_strcmp0 (cin_photo_get_alt_text (local), cin_photo_get_alt_text (base)) != 0)
    {
      CinPhoto *with_alt = cin_photo_with_alt_text (merged, cin_photo_get_alt_text (local));

      cin_photo_unref (merged);
      merged = with_alt;
    }

  if (base != NULL && same_crop (remote, base) && !same_crop (local, base))
    {
      CinPhoto *with_crop = cin_photo_with_crop (merged, cin_photo_get_crop (local),
                                                 cin_photo_get_crop_x (local),
                                                 cin_photo_get_crop_y (local));

      cin_photo_unref (merged);
      merged = with_crop;
    }

  return g_steal_pointer (&merged);
}

static GPtrArray *
merge_photos (GPtrArray *base,
              GPtrArray *local,
              GPtrArray *remote)
{
  GPtrArray *merged = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);

  for (guint i = 0; i < remote->len; i++)
    {
      CinPhoto *photo = g_ptr_array_index (remote, i);
      const char *id = cin_photo_get_id (photo);
      CinPhoto *in_base = find_photo (base, id);
      CinPhoto *in_local = find_photo (local, id);

      if (in_base != NULL && in_local == NULL)
        continue;  /* removed locally */
      g_ptr_array_add (merged, merge_photo (in_base, in_local, photo));
    }

  for (guint i = 0; i < local->len; i++)
    {
      CinPhoto *photo = g_ptr_array_index (local, i);
      const char *id = cin_photo_get_id (photo);

      if (find_photo (base, id) == NULL && find_photo (remote, id) == NULL)
        g_ptr_array_add (merged, cin_photo_ref (photo));
    }

  return merged;
}

static gboolean
photos_equal (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (!cin_photo_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a != NULL ? a : empty, b != NULL ? b : empty);
}

gboolean
cin_note_same_content (CinNote *a,
                       CinNote *b)
{
  g_return_val_if_fail (CIN_IS_NOTE (a), FALSE);
  g_return_val_if_fail (CIN_IS_NOTE (b), FALSE);

  return g_strcmp0 (cin_note_get_id (a), cin_note_get_id (b)) == 0 &&
         cin_note_get_kind (a) == cin_note_get_kind (b) &&
         g_strcmp0 (cin_note_get_title (a), cin_note_get_title (b)) == 0 &&
         g_strcmp0 (cin_note_get_body (a), cin_note_get_body (b)) == 0 &&
         strv_equal (cin_note_get_topics (a), cin_note_get_topics (b)) &&
         strv_equal (cin_note_get_mentions (a), cin_note_get_mentions (b)) &&
         g_strcmp0 (cin_note_get_location (a), cin_note_get_location (b)) == 0 &&
         cin_note_get_visibility (a) == cin_note_get_visibility (b) &&
         cin_note_get_original (a) == cin_note_get_original (b) &&
         cin_note_get_state (a) == cin_note_get_state (b) &&
         cin_note_get_scheduled_at (a) == cin_note_get_scheduled_at (b) &&
         photos_equal (cin_note_get_photos (a), cin_note_get_photos (b));
}

CinNote *
cin_note_merge (CinNote  *base,
                CinNote  *local,
                CinNote  *remote,
                gboolean *conflict)
{
  g_autoptr(CinNote) empty = NULL;
  g_autoptr(CinNote) merged = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_auto(GStrv) topics = NULL;
  g_auto(GStrv) mentions = NULL;
  gboolean text_conflict = FALSE;

  g_return_val_if_fail (base == NULL || CIN_IS_NOTE (base), NULL);
  g_return_val_if_fail (CIN_IS_NOTE (local), NULL);
  g_return_val_if_fail (CIN_IS_NOTE (remote), NULL);
  g_return_val_if_fail (conflict != NULL, NULL);

  /* Never synced: everything either side holds counts as its change. */
  if (base == NULL)
    base = empty = cin_note_new_with_id (cin_note_get_id (local), cin_note_get_kind (local));

  merged = cin_note_copy (remote);

  cin_note_set_title (merged, pick_string (cin_note_get_title (base), cin_note_get_title (local),
                                           cin_note_get_title (remote), &text_conflict));
  cin_note_set_body (merged, pick_string (cin_note_get_body (base), cin_note_get_body (local),
                                          cin_note_get_body (remote), &text_conflict));
  cin_note_set_location (merged, pick_string (cin_note_get_location (base),
                                              cin_note_get_location (local),
                                              cin_note_get_location (remote), &text_conflict));
  if (text_conflict)
    {
      *conflict = TRUE;
      return cin_note_copy (remote);
    }
  *conflict = FALSE;

  topics = merge_sets (cin_note_get_topics (base), cin_note_get_topics (local), cin_note_get_topics (remote));
  cin_note_set_topics (merged, (const char * const *)topics);
  mentions = merge_sets (cin_note_get_mentions (base), cin_note_get_mentions (local),
                         cin_note_get_mentions (remote));
  cin_note_set_mentions (merged, (const char * const *)mentions);

  photos = merge_photos (cin_note_get_photos (base), cin_note_get_photos (local),
                         cin_note_get_photos (remote));
  cin_note_set_photos (merged, photos);

  if (cin_note_get_visibility (local) != cin_note_get_visibility (base) &&
      cin_note_get_visibility (remote) == cin_note_get_visibility (base))
    cin_note_set_visibility (merged, cin_note_get_visibility (local));
  if (cin_note_get_original (local) != cin_note_get_original (base) &&
      cin_note_get_original (remote) == cin_note_get_original (base))
    cin_note_set_original (merged, cin_note_get_original (local));
  if (cin_note_get_scheduled_at (local) != cin_note_get_scheduled_at (base) &&
      cin_note_get_scheduled_at (remote) == cin_note_get_scheduled_at (base))
    cin_note_set_scheduled_at (merged, cin_note_get_scheduled_at (local));

  cin_note_set_updated_at (merged, MAX (cin_note_get_updated_at (local),
                                        cin_note_get_updated_at (remote)));
  cin_note_set_sync_state (merged, cin_note_get_sync_state (local));

  return g_steal_pointer (&merged);
}
