/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-store"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cin-tus-store.h"

#define ID_LENGTH 32

struct _CinTusStore
{
  /* Owned */
  char       *uploads_dir;
  char       *media_dir;
  GHashTable *uploads;  /* id → CinTusUpload, the ones being received */
  /* "owner/sha256" → id of a complete upload: every GET of a photo by its
   * content looks here rather than reading every record. */
  GHashTable *complete;
};

CinTusUpload *
cin_tus_upload_ref (CinTusUpload *upload)
{
  g_return_val_if_fail (upload != NULL, NULL);
  g_atomic_ref_count_inc (&upload->ref_count);
  return upload;
}

void
cin_tus_upload_unref (CinTusUpload *upload)
{
  g_return_if_fail (upload != NULL);

  if (!g_atomic_ref_count_dec (&upload->ref_count))
    return;
  g_free (upload->id);
  g_free (upload->owner);
  g_free (upload->metadata);
  g_free (upload->sha256);
  g_free (upload->media_path);
  if (upload->hasher != NULL)
    cin_tus_hasher_cancel (upload->hasher);
  g_clear_pointer (&upload->hasher, cin_tus_hasher_unref);
  g_clear_pointer (&upload->head, g_byte_array_unref);
  g_free (upload);
}

static CinTusUpload *
upload_new (void)
{
  CinTusUpload *upload = g_new0 (CinTusUpload, 1);

  g_atomic_ref_count_init (&upload->ref_count);
  return upload;
}

/* @length lower-case hexadecimal digits, and nothing else. */
static gboolean
is_lower_hex (const char *text,
              gsize       length)
{
  gsize i;

  if (text == NULL)
    return FALSE;
  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return i == length;
}

gboolean
cin_tus_store_is_valid_id (const char *id)
{
  return is_lower_hex (id, ID_LENGTH);
}

gboolean
cin_tus_store_is_valid_sha256 (const char *text)
{
  return is_lower_hex (text, 64);
}

/* Upload URLs are capabilities within an owner's account: unguessable. */
static char *
new_upload_id (void)
{
  guint8 bytes[ID_LENGTH / 2];
  GString *id = g_string_sized_new (ID_LENGTH);
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      gssize n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert (n > 0);
      filled += (gsize) n;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (id, "%02x", bytes[i]);
  return g_string_free (id, FALSE);
}

static char *
record_path (CinTusStore *store,
             const char  *id)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  return g_build_filename (store->uploads_dir, name, NULL);
}

static char *
part_path (CinTusStore *store,
           const char  *id)
{
  g_autofree char *name = g_strconcat (id, ".part", NULL);
  return g_build_filename (store->uploads_dir, name, NULL);
}

char *
cin_tus_store_dup_part_path (CinTusStore  *store,
                             CinTusUpload *upload)
{
  return part_path (store, upload->id);
}

char *
cin_tus_store_dup_media_path (CinTusStore    *store,
                              CinTusUpload   *upload,
                              CinMediaFormat  format)
{
  g_autofree char *name = g_strconcat (upload->id, ".",
                                       cin_media_format_get_extension (format), NULL);
  return g_build_filename (store->media_dir, name, NULL);
}

static char *
content_key (const char *owner,
             const char *sha256)
{
  return g_strconcat (owner, "/", sha256, NULL);
}

static void
index_complete (CinTusStore  *store,
                CinTusUpload *upload)
{
  g_hash_table_replace (store->complete, content_key (upload->owner, upload->sha256),
                        g_strdup (upload->id));
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Could not %s “%s”: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* A new or removed directory entry is only durable once the directory
 * itself is synced. */
static gboolean
sync_directory (const char  *path,
                GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0)
    return set_errno_error (error, errno, "open the folder", path);
  if (fsync (fd) == 0)
    return g_close (fd, error);
  saved_errno = errno;
  g_close (fd, NULL);
  return set_errno_error (error, saved_errno, "sync the folder", path);
}

static char *
record_to_json (CinTusUpload      *upload,
                CinTusUploadState  state,
                CinMediaFormat     format,
                const char        *media_path,
                gboolean           announced)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, upload->id);
  json_builder_set_member_name (builder, "owner");
  json_builder_add_string_value (builder, upload->owner);
  json_builder_set_member_name (builder, "length");
  json_builder_add_int_value (builder, (gint64) upload->length);
  if (upload->metadata != NULL)
    {
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_string_value (builder, upload->metadata);
    }
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, upload->sha256);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, upload->created);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state == CIN_TUS_UPLOAD_COMPLETE ? "complete" : "receiving");
  if (state == CIN_TUS_UPLOAD_COMPLETE)
    {
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, cin_media_format_get_name (format));
      json_builder_set_member_name (builder, "media_path");
      json_builder_add_string_value (builder, media_path);
      json_builder_set_member_name (builder, "announced");
      json_builder_add_boolean_value (builder, announced);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
write_record (CinTusStore  *store,
              const char   *id,
              const char   *json,
              GError      **error)
{
  g_autofree char *path = record_path (store, id);

  return g_file_set_contents_full (path, json, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static CinTusUpload *
record_from_json (const char  *path,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CinTusUpload) upload = upload_new ();
  JsonObject *object;
  const char *state;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  object = json_node_get_object (json_parser_get_root (parser));

  upload->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  upload->owner = g_strdup (json_object_get_string_member_with_default (object, "owner", NULL));
  upload->sha256 = g_strdup (json_object_get_string_member_with_default (object, "sha256", NULL));
  upload->metadata = g_strdup (json_object_get_string_member_with_default (object, "metadata", NULL));
  upload->length = (guint64) json_object_get_int_member_with_default (object, "length", 0);
  upload->created = json_object_get_int_member_with_default (object, "created", 0);
  state = json_object_get_string_member_with_default (object, "state", "");
  if (!cin_tus_store_is_valid_id (upload->id) || upload->owner == NULL ||
      upload->sha256 == NULL || upload->length == 0)
    goto invalid;

  if (g_str_equal (state, "complete"))
    {
      upload->state = CIN_TUS_UPLOAD_COMPLETE;
      upload->format = cin_media_format_from_name (
          json_object_get_string_member_with_default (object, "format", ""));
      upload->sniffed = TRUE;
      upload->media_path = g_strdup (json_object_get_string_member_with_default (object, "media_path", NULL));
      upload->announced = json_object_get_boolean_member_with_default (object, "announced", FALSE);
      upload->offset = upload->length;
      if (upload->format == CIN_MEDIA_FORMAT_UNKNOWN || upload->media_path == NULL)
        goto invalid;
    }
  else if (!g_str_equal (state, "receiving"))
    goto invalid;

  return g_steal_pointer (&upload);

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "“%s” is not an upload record", path);
  return NULL;
}

CinTusUpload *
cin_tus_store_create (CinTusStore  *store,
                      const char   *owner,
                      guint64       length,
                      const char   *metadata,
                      const char   *sha256,
                      GError      **error)
{
  g_autoptr(CinTusUpload) upload = upload_new ();
  g_autofree char *part = NULL;
  g_autofree char *json = NULL;
  int fd;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (owner != NULL && sha256 != NULL, NULL);

  upload->id = new_upload_id ();
  upload->owner = g_strdup (owner);
  upload->length = length;
  upload->metadata = g_strdup (metadata);
  upload->sha256 = g_strdup (sha256);
  upload->created = g_get_real_time () / G_USEC_PER_SEC;
  upload->state = CIN_TUS_UPLOAD_RECEIVING;

  /* The .part first: a record never points at a missing .part. */
  part = part_path (store, upload->id);
  fd = g_open (part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "create", part);
      return NULL;
    }
  if (!g_close (fd, error) || !sync_directory (store->uploads_dir, error))
    {
      g_unlink (part);
      return NULL;
    }

  json = record_to_json (upload, CIN_TUS_UPLOAD_RECEIVING, CIN_MEDIA_FORMAT_UNKNOWN, NULL, FALSE);
  if (!write_record (store, upload->id, json, error))
    {
      g_unlink (part);
      return NULL;
    }

  g_hash_table_insert (store->uploads, upload->id, cin_tus_upload_ref (upload));
  return g_steal_pointer (&upload);
}

/* The offset is whatever reached the .part: a PATCH cut off by a crash
 * keeps the bytes that made it to disk, as tus allows. */
static gboolean
read_offset (CinTusStore   *store,
             CinTusUpload  *upload,
             GError       **error)
{
  g_autofree char *part = part_path (store, upload->id);
  GStatBuf info;

  if (g_stat (part, &info) != 0)
    return set_errno_error (error, errno, "read", part);
  if ((guint64) info.st_size > upload->length && truncate (part, (off_t) upload->length) != 0)
    return set_errno_error (error, errno, "shorten", part);
  upload->offset = MIN ((guint64) info.st_size, upload->length);
  return TRUE;
}

gboolean
cin_tus_store_owner_has_complete (CinTusStore *store,
                                  const char  *owner)
{
  g_autofree char *prefix = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);

  prefix = g_strconcat (owner, "/", NULL);
  g_hash_table_iter_init (&iter, store->complete);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_str_has_prefix (key, prefix))
        return TRUE;
    }
  return FALSE;
}

CinTusUpload *
cin_tus_store_find_complete (CinTusStore *store,
                             const char  *owner,
                             const char  *sha256)
{
  g_autofree char *key = NULL;
  g_autoptr(CinTusUpload) upload = NULL;
  const char *id;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (owner != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  key = content_key (owner, sha256);
  id = g_hash_table_lookup (store->complete, key);
  if (id == NULL)
    return NULL;
  upload = cin_tus_store_lookup (store, id, NULL);
  if (upload == NULL || upload->state != CIN_TUS_UPLOAD_COMPLETE ||
      !g_file_test (upload->media_path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&upload);
}

CinTusUpload *
cin_tus_store_lookup (CinTusStore  *store,
                      const char   *id,
                      GError      **error)
{
  g_autofree char *path = NULL;
  g_autoptr(CinTusUpload) upload = NULL;
  CinTusUpload *cached;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (cin_tus_store_is_valid_id (id), NULL);

  cached = g_hash_table_lookup (store->uploads, id);
  if (cached != NULL)
    return cin_tus_upload_ref (cached);

  path = record_path (store, id);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  upload = record_from_json (path, error);
  if (upload == NULL)
    return NULL;
  if (upload->state == CIN_TUS_UPLOAD_COMPLETE)
    return g_steal_pointer (&upload);

  if (!read_offset (store, upload, error))
    return NULL;
  g_hash_table_insert (store->uploads, upload->id, cin_tus_upload_ref (upload));
  return g_steal_pointer (&upload);
}

gboolean
cin_tus_store_save (CinTusStore   *store,
                    CinTusUpload  *upload,
                    GError       **error)
{
  g_autofree char *json = record_to_json (upload, upload->state, upload->format,
                                          upload->media_path, upload->announced);

  return write_record (store, upload->id, json, error);
}

static void
unlink_quietly (const char *path)
{
  if (path != NULL && g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove “%s”: %s", path, g_strerror (errno));
}

void
cin_tus_store_delete (CinTusStore  *store,
                      CinTusUpload *upload)
{
  g_autofree char *part = part_path (store, upload->id);
  g_autofree char *record = record_path (store, upload->id);
  g_autoptr(GError) error = NULL;

  if (upload->hasher != NULL)
    cin_tus_hasher_cancel (upload->hasher);
  unlink_quietly (part);
  unlink_quietly (upload->media_path);
  unlink_quietly (record);
  if (!sync_directory (store->uploads_dir, &error))
    g_warning ("%s", error->message);
  g_hash_table_remove (store->uploads, upload->id);
  if (upload->owner != NULL && upload->sha256 != NULL)
    {
      g_autofree char *key = content_key (upload->owner, upload->sha256);

      if (g_strcmp0 (g_hash_table_lookup (store->complete, key), upload->id) == 0)
        g_hash_table_remove (store->complete, key);
    }
}

void
cin_tus_store_forget (CinTusStore  *store,
                      CinTusUpload *upload)
{
  g_hash_table_remove (store->uploads, upload->id);
  if (upload->state == CIN_TUS_UPLOAD_COMPLETE)
    index_complete (store, upload);
}

gboolean
cin_tus_store_commit_media (CinTusStore    *store,
                            CinTusUpload   *upload,
                            CinMediaFormat  format,
                            GError        **error)
{
  g_autofree char *media = cin_tus_store_dup_media_path (store, upload, format);
  g_autofree char *part = part_path (store, upload->id);
  g_autofree char *json = record_to_json (upload, CIN_TUS_UPLOAD_COMPLETE, format, media, FALSE);

  /* The record first: after a crash, a complete record with its .part
   * still in place is finished by cin_tus_store_new(). */
  if (!write_record (store, upload->id, json, error))
    return FALSE;
  if (g_rename (part, media) != 0)
    return set_errno_error (error, errno, "move the upload to", media);
  return sync_directory (store->media_dir, error) &&
         sync_directory (store->uploads_dir, error);
}

/* After a crash: a .part without a record was never created, a complete
 * record whose .part is still there was never moved, and a record without
 * any data was half deleted. */
static void
recover_upload (CinTusStore *store,
                const char  *id,
                GPtrArray   *unannounced)
{
  g_autofree char *record = record_path (store, id);
  g_autofree char *part = part_path (store, id);
  g_autoptr(CinTusUpload) upload = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_part = g_file_test (part, G_FILE_TEST_EXISTS);

  if (!g_file_test (record, G_FILE_TEST_EXISTS))
    {
      unlink_quietly (part);
      return;
    }

  upload = record_from_json (record, &error);
  if (upload == NULL)
    {
      g_warning ("Leaving %s alone: %s", record, error->message);
      return;
    }

  if (upload->state == CIN_TUS_UPLOAD_RECEIVING)
    {
      if (!has_part)
        cin_tus_store_delete (store, upload);
      return;
    }

  if (!g_file_test (upload->media_path, G_FILE_TEST_EXISTS))
    {
      if (!has_part || g_rename (part, upload->media_path) != 0)
        {
          cin_tus_store_delete (store, upload);
          return;
        }
    }
  else
    unlink_quietly (part);

  index_complete (store, upload);
  if (!upload->announced && unannounced != NULL)
    g_ptr_array_add (unannounced, g_steal_pointer (&upload));
}

static gboolean
recover (CinTusStore  *store,
         GPtrArray    *unannounced,
         GError      **error)
{
  g_autoptr(GDir) dir = g_dir_open (store->uploads_dir, 0, error);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  const char *name;
  gpointer id;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id_part = g_strndup (name, ID_LENGTH);
      const char *suffix = name + MIN (strlen (name), ID_LENGTH);

      if (!cin_tus_store_is_valid_id (id_part))
        continue;
      if (g_str_equal (suffix, ".json") || g_str_equal (suffix, ".part"))
        g_hash_table_add (ids, g_steal_pointer (&id_part));
      else if (g_str_has_prefix (suffix, ".json."))
        {
          /* g_file_set_contents()'s temporary file, left by a crash */
          g_autofree char *path = g_build_filename (store->uploads_dir, name, NULL);
          unlink_quietly (path);
        }
    }

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    recover_upload (store, id, unannounced);
  return TRUE;
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;
  return set_errno_error (error, errno, "create the folder", path);
}

CinTusStore *
cin_tus_store_new (const char  *uploads_dir,
                   const char  *media_dir,
                   GPtrArray   *unannounced,
                   GError     **error)
{
  CinTusStore *store;

  g_return_val_if_fail (uploads_dir != NULL && media_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_folder (uploads_dir, error) || !ensure_folder (media_dir, error))
    return NULL;

  store = g_new0 (CinTusStore, 1);
  store->uploads_dir = g_canonicalize_filename (uploads_dir, NULL);
  store->media_dir = g_canonicalize_filename (media_dir, NULL);
  store->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) cin_tus_upload_unref);
  store->complete = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!recover (store, unannounced, error))
    {
      cin_tus_store_free (store);
      return NULL;
    }
  return store;
}

void
cin_tus_store_free (CinTusStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->uploads, g_hash_table_unref);
  g_clear_pointer (&store->complete, g_hash_table_unref);
  g_free (store->uploads_dir);
  g_free (store->media_dir);
  g_free (store);
}
