/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-media"

#include <json-glib/json-glib.h>

#include "cin-store-private.h"
#include "cin-text.h"

/* The media table: a photo note's photos as rows, written in the same
 * transaction as the note, so a note and its photos are always saved
 * together. Rows are updated in place by id rather than replaced, so what
 * sync keeps on them (upload_state, remote_id) survives every autosave. */

static char *
photo_ids_json (GPtrArray *photos)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < photos->len; i++)
    json_builder_add_string_value (builder, cin_photo_get_id (g_ptr_array_index (photos, i)));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

#define MEDIA_INSERT \
  "INSERT INTO media (id, note_id, position, kind, sha256, mime, width, height," \
  "                   crop, crop_x, crop_y, alt_text) " \
  "VALUES (?1, ?2, ?3, 'photo', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"

static void
bind_photo (sqlite3_stmt *stmt,
            CinNote      *note,
            CinPhoto     *photo,
            guint         position)
{
  sqlite3_bind_text (stmt, 1, cin_photo_get_id (photo), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cin_note_get_id (note), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int)position);
  sqlite3_bind_text (stmt, 4, cin_photo_get_sha256 (photo), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, cin_photo_get_mime (photo), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, cin_photo_get_width (photo));
  sqlite3_bind_int64 (stmt, 7, cin_photo_get_height (photo));
  sqlite3_bind_text (stmt, 8, cin_crop_aspect_to_string (cin_photo_get_crop (photo)), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 9, cin_photo_get_crop_x (photo));
  sqlite3_bind_double (stmt, 10, cin_photo_get_crop_y (photo));
  sqlite3_bind_text (stmt, 11, cin_photo_get_alt_text (photo), -1, SQLITE_STATIC);
}

/* A photo of a note new to the store is almost always new too. A plain
 * INSERT fails, if at all, before it writes anything, so unlike the
 * UPSERT it needs no statement journal: no copy of every page it touches
 * (a pull writes tens of thousands of these). The rare row whose id is
 * already stored (a photo moved from a note not pulled yet) takes the
 * UPSERT all the same. */
static gboolean
save_photo (CinStoreWriter  *writer,
            CinNote         *note,
            CinPhoto        *photo,
            guint            position,
            gboolean         likely_new,
            GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;

  if (likely_new)
    {
      g_autoptr(CinCachedStmt) insert = _cin_store_writer_prepare (writer, MEDIA_INSERT, error);
      int rc;

      if (insert == NULL)
        return FALSE;
      bind_photo (insert, note, photo, position);
      rc = sqlite3_step (insert);
      if (rc == SQLITE_DONE)
        return TRUE;
      if (rc != SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
          return FALSE;
        }
    }

  stmt = _cin_store_writer_prepare (writer,
    MEDIA_INSERT " "
    "ON CONFLICT (id) DO UPDATE SET "
    "  note_id = excluded.note_id, position = excluded.position, "
    "  sha256 = excluded.sha256, mime = excluded.mime, "
    "  width = excluded.width, height = excluded.height, crop = excluded.crop, "
    "  crop_x = excluded.crop_x, crop_y = excluded.crop_y, alt_text = excluded.alt_text",
    error);
  if (stmt == NULL)
    return FALSE;
  bind_photo (stmt, note, photo, position);
  return _cin_store_writer_step (writer, stmt, error);
}

gboolean
_cin_store_save_photos (CinStoreWriter  *writer,
                        CinNote         *note,
                        gboolean         replace,
                        GError         **error)
{
  GPtrArray *photos = cin_note_get_photos (note);
  g_autofree char *ids = NULL;

  /* A note new to the store has no rows to take away. */
  if (replace)
    {
      g_autoptr(CinCachedStmt) stmt = NULL;

      ids = photo_ids_json (photos);
      stmt = _cin_store_writer_prepare (writer,
        "DELETE FROM media WHERE note_id = ?1 AND id NOT IN (SELECT value FROM json_each (?2))",
        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, cin_note_get_id (note), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, ids, -1, SQLITE_STATIC);
      if (!_cin_store_writer_step (writer, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < photos->len; i++)
    {
      if (!save_photo (writer, note, g_ptr_array_index (photos, i), i, !replace, error))
        return FALSE;
    }

  return TRUE;
}

enum {
  COL_ID,
  COL_SHA256,
  COL_MIME,
  COL_WIDTH,
  COL_HEIGHT,
  COL_CROP,
  COL_CROP_X,
  COL_CROP_Y,
  COL_ALT_TEXT,
};

gboolean
_cin_store_load_photos (CinStoreWriter  *writer,
                        CinNote         *note,
                        GError         **error)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);
  g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
    "SELECT id, sha256, mime, width, height, crop, crop_x, crop_y, alt_text "
    "FROM media WHERE note_id = ?1 AND kind = 'photo' ORDER BY position",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, cin_note_get_id (note), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *)sqlite3_column_text (stmt, COL_ID);
      const char *sha256 = (const char *)sqlite3_column_text (stmt, COL_SHA256);
      const char *mime = (const char *)sqlite3_column_text (stmt, COL_MIME);
      const char *alt_text = (const char *)sqlite3_column_text (stmt, COL_ALT_TEXT);
      CinCropAspect crop;

      if (id == NULL || sha256 == NULL || mime == NULL ||
          !cin_crop_aspect_from_string ((const char *)sqlite3_column_text (stmt, COL_CROP), &crop))
        {
          _cin_store_set_unreadable_row_error (error, db, "media");
          return FALSE;
        }

      g_ptr_array_add (photos,
                       cin_photo_new_full (id, sha256, mime,
                                           (guint)CLAMP (sqlite3_column_int64 (stmt, COL_WIDTH), 0, G_MAXUINT),
                                           (guint)CLAMP (sqlite3_column_int64 (stmt, COL_HEIGHT), 0, G_MAXUINT),
                                           crop,
                                           sqlite3_column_double (stmt, COL_CROP_X),
                                           sqlite3_column_double (stmt, COL_CROP_Y),
                                           alt_text));
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return FALSE;
    }

  cin_note_set_photos (note, photos);
  return TRUE;
}
