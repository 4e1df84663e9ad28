/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cin-note-json.h"
#include "cin-store-private.h"
#include "cin-text.h"

/* The store is a thin front: every public call makes a GTask on the
 * caller's thread-default context and hands a job to the writer thread
 * (cin-store-writer.c), so the main thread never waits on SQLite.
 *
 * Saving is an UPSERT of every field CinNote has. The store writes the
 * note's own updated_at and never invents one: the caller (CinAutosave, the
 * sync engine applying a server change) knows when the edit happened. The
 * columns CinNote does not carry (cover, base, trashed_at) are left as they
 * are, so saving a note that sits in the trash keeps it there. */

struct _CinStore
{
  GObject          parent_instance;

  char            *path;    /* (owned) */
  CinStoreWriter  *writer;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (CinStore, cin_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cin-store-error-quark, cin_store_error)

#define NOTE_COLUMNS \
  "id, kind, title, body, topics, mentions, location, visibility, original, " \
  "state, scheduled_at, created_at, updated_at, rev, sync_state"

enum {
  COL_ID,
  COL_KIND,
  COL_TITLE,
  COL_BODY,
  COL_TOPICS,
  COL_MENTIONS,
  COL_LOCATION,
  COL_VISIBILITY,
  COL_ORIGINAL,
  COL_STATE,
  COL_SCHEDULED_AT,
  COL_CREATED_AT,
  COL_UPDATED_AT,
  COL_REV,
  COL_SYNC_STATE,
};

/* Errors */

static const char *
db_path (sqlite3 *db)
{
  const char *path = db ? sqlite3_db_filename (db, "main") : NULL;

  return path != NULL && *path != '\0' ? path : _("(temporary database)");
}

static void
set_read_only_error (GError     **error,
                     const char  *path)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_READ_ONLY,
               _("Drafts can't be saved: Cinnabar isn't allowed to write to “%s”. "
                 "Make the file and its folder writable for your user; your text "
                 "stays open and is saved as soon as it can be."),
               path);
}

static void
set_disk_full_error (GError **error)
{
  g_set_error_literal (error, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL,
                       _("Drafts can't be saved: the disk is full. Free some space; "
                         "your text stays open and is saved as soon as there is room."));
}

static gboolean
errno_is_read_only (int err)
{
  return err == EACCES || err == EPERM || err == EROFS;
}

static gboolean
errno_is_disk_full (int err)
{
#ifdef EDQUOT
  if (err == EDQUOT)
    return TRUE;
#endif
  return err == ENOSPC;
}

/* Whether the folder that would hold @path's journal can't be written. */
static gboolean
folder_is_read_only (const char *path)
{
  g_autofree char *dir = NULL;

  if (path == NULL || *path == '\0')
    return FALSE;

  dir = g_path_get_dirname (path);
  return access (dir, W_OK) != 0 && errno_is_read_only (errno);
}

static void
set_sqlite_error_for_path (GError     **error,
                           sqlite3     *db,
                           int          rc,
                           const char  *path)
{
  int sys_errno = db ? sqlite3_system_errno (db) : 0;
  const char *detail;

  /* sqlite3_errmsg() describes the connection's latest error, which is only
   * this one if the codes agree. */
  if (db != NULL && sqlite3_extended_errcode (db) == rc)
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      set_disk_full_error (error);
      return;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      set_read_only_error (error, path);
      return;

    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      /* After EACCES on a file it may not create, SQLite tries a read-only
       * open, and the errno it keeps is that attempt's ENOENT. */
      if (errno_is_read_only (sys_errno) ||
          ((rc & 0xff) == SQLITE_CANTOPEN && folder_is_read_only (path)))
        set_read_only_error (error, path);
      else if (errno_is_disk_full (sys_errno))
        set_disk_full_error (error);
      else
        g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                     _("Cinnabar could not read or write the draft database “%s” (%s). "
                       "Check that the disk is connected and healthy, then try again."),
                     path, sys_errno ? g_strerror (sys_errno) : detail);
      return;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT,
                   _("The draft database “%s” is damaged (%s). Quit Cinnabar, keep a "
                     "copy of the file and restore the profile folder from a backup."),
                   path, detail);
      return;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                   _("The draft database “%s” is in use by another program (%s). "
                     "Close other copies of Cinnabar and try again."),
                   path, detail);
      return;

    default:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                   _("Something went wrong with the draft database “%s” (%s). "
                     "Try again; if it keeps happening, restart Cinnabar."),
                   path, detail);
      return;
    }
}

void
_cin_store_set_sqlite_error (GError  **error,
                             sqlite3  *db,
                             int       rc)
{
  set_sqlite_error_for_path (error, db, rc, db_path (db));
}

void
_cin_store_set_newer_schema_error (GError     **error,
                                   const char  *path,
                                   int          found)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA,
               _("The draft database “%s” was written by a newer version of Cinnabar "
                 "(schema %d; this version reads up to %d). Update Cinnabar to open "
                 "it. Nothing has been changed."),
               path, found, CIN_STORE_SCHEMA_VERSION);
}

static void
set_unreadable_row_error (GError     **error,
                          sqlite3     *db,
                          const char  *what)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT,
               _("The draft database “%s” holds a draft this version of Cinnabar "
                 "can't read (%s). Update Cinnabar, or restore the profile folder "
                 "from a backup."),
               db_path (db), what);
}

static void
set_not_found_error (GError **error)
{
  g_set_error_literal (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND,
                       _("This draft no longer exists; it may have been deleted for "
                         "good. Refresh the draft box."));
}

gboolean
_cin_store_exec (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Opening, on the writer thread */

static gboolean
make_parent_dir (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int saved_errno;

  /* 0700: drafts are private until published. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  if (errno_is_read_only (saved_errno))
    set_read_only_error (error, dir);
  else if (errno_is_disk_full (saved_errno))
    set_disk_full_error (error);
  else
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                 _("Cinnabar could not create the folder “%s” for its drafts (%s). "
                   "Check that the path exists and that you may write there."),
                 dir, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
query_text (sqlite3     *db,
            const char  *sql,
            char       **out_text,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out_text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

static sqlite3 *
open_database (const char  *path,
               GError     **error)
{
  g_autofree char *journal_mode = NULL;
  sqlite3 *db = NULL;
  int version;
  int rc;

  if (!make_parent_dir (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      /* A handle that failed to open has no file name to report. */
      set_sqlite_error_for_path (error, db, rc, path);
      goto fail;
    }

  sqlite3_busy_timeout (db, 5000);

  /* Nothing may be written before the version is known: a file from a
   * newer Cinnabar must come out of this byte for byte as it went in, so
   * even the journal mode waits, and closing must not checkpoint a WAL
   * that version left behind into the main file. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (!_cin_store_schema_read_version (db, &version, error))
    goto fail;
  if (version > CIN_STORE_SCHEMA_VERSION)
    {
      _cin_store_set_newer_schema_error (error, path, version);
      goto fail;
    }
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  /* SQLite quietly opens a file it may not write read-only; without this
   * the first sign would be a failed autosave. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      set_read_only_error (error, path);
      goto fail;
    }

  if (!query_text (db, "PRAGMA journal_mode = WAL", &journal_mode, error))
    goto fail;
  if (g_strcmp0 (journal_mode, "wal") != 0)
    g_debug ("%s stays in journal mode %s", path, journal_mode);

  /* In WAL mode FULL syncs the log on every commit: a save reported done
   * survives a power cut, not only a crash. */
  if (!_cin_store_exec (db, "PRAGMA synchronous = FULL", error) ||
      !_cin_store_exec (db, "PRAGMA foreign_keys = ON", error))
    goto fail;

  if (!_cin_store_schema_migrate (db, CIN_STORE_SCHEMA_VERSION, error))
    goto fail;

  return db;

fail:
  sqlite3_close (db);
  return NULL;
}

static void
open_job (CinStoreWriter *writer,
          GTask          *task)
{
  CinStore *self = g_task_get_source_object (task);
  GError *error = NULL;
  sqlite3 *db;

  db = open_database (self->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  _cin_store_writer_set_db (writer, db);
  g_task_return_boolean (task, TRUE);
}

/* Notes and rows */

static gboolean
validate_field (const char  *text,
                const char  *label,
                GError     **error)
{
  g_autoptr(GError) text_error = NULL;

  if (text == NULL || cin_text_validate (text, -1, &text_error))
    return TRUE;

  if (g_error_matches (text_error, CIN_TEXT_ERROR, CIN_TEXT_ERROR_CONTAINS_NUL))
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT,
                 _("The draft can't be saved: text in its %s contains a NUL character. "
                   "Delete it or paste the text again; the last saved version is kept."),
                 label);
  else
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT,
                 _("The draft can't be saved: text in its %s isn't valid UTF-8. Paste "
                   "that text again from its source; the last saved version is kept."),
                 label);
  return FALSE;
}

static gboolean
validate_strv (const char * const  *strv,
               const char          *label,
               GError             **error)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (!validate_field (strv[i], label, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_note (CinNote  *note,
               GError  **error)
{
  return validate_field (cin_note_get_id (note), C_("note field", "identifier"), error) &&
         validate_field (cin_note_get_title (note), C_("note field", "title"), error) &&
         validate_field (cin_note_get_body (note), C_("note field", "body"), error) &&
         validate_strv (cin_note_get_topics (note), C_("note field", "topics"), error) &&
         validate_strv (cin_note_get_mentions (note), C_("note field", "mentions"), error) &&
         validate_field (cin_note_get_location (note), C_("note field", "location"), error) &&
         validate_field (cin_note_get_rev (note), C_("note field", "revision"), error);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static GStrv
strv_column (sqlite3_stmt  *stmt,
             int            column,
             GError       **error)
{
  const char *json = column_text (stmt, column);

  return cin_strv_from_json_string (json ? json : "[]", error);
}

static CinNote *
note_from_row (sqlite3       *db,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GError) json_error = NULL;
  g_auto(GStrv) topics = NULL;
  g_auto(GStrv) mentions = NULL;
  CinNoteKind kind;
  CinVisibility visibility;
  CinNoteState state;
  CinSyncState sync_state;
  const char *id = column_text (stmt, COL_ID);

  if (id == NULL || !cin_note_kind_from_string (column_text (stmt, COL_KIND), &kind))
    {
      set_unreadable_row_error (error, db, "kind");
      return NULL;
    }
  if (!cin_visibility_from_string (column_text (stmt, COL_VISIBILITY), &visibility))
    {
      set_unreadable_row_error (error, db, "visibility");
      return NULL;
    }
  if (!cin_note_state_from_string (column_text (stmt, COL_STATE), &state))
    {
      set_unreadable_row_error (error, db, "state");
      return NULL;
    }
  if (!cin_sync_state_from_string (column_text (stmt, COL_SYNC_STATE), &sync_state))
    {
      set_unreadable_row_error (error, db, "sync_state");
      return NULL;
    }
  if (!(topics = strv_column (stmt, COL_TOPICS, &json_error)) ||
      !(mentions = strv_column (stmt, COL_MENTIONS, &json_error)))
    {
      set_unreadable_row_error (error, db, json_error->message);
      return NULL;
    }

  note = cin_note_new_with_id (id, kind);
  cin_note_set_title (note, column_text (stmt, COL_TITLE));
  cin_note_set_body (note, column_text (stmt, COL_BODY));
  cin_note_set_topics (note, (const char * const *)topics);
  cin_note_set_mentions (note, (const char * const *)mentions);
  cin_note_set_location (note, column_text (stmt, COL_LOCATION));
  cin_note_set_visibility (note, visibility);
  cin_note_set_original (note, sqlite3_column_int (stmt, COL_ORIGINAL) != 0);
  cin_note_set_state (note, state);
  cin_note_set_scheduled_at (note, sqlite3_column_int64 (stmt, COL_SCHEDULED_AT));
  cin_note_set_created_at (note, sqlite3_column_int64 (stmt, COL_CREATED_AT));
  cin_note_set_updated_at (note, sqlite3_column_int64 (stmt, COL_UPDATED_AT));
  cin_note_set_rev (note, column_text (stmt, COL_REV));
  cin_note_set_sync_state (note, sync_state);

  return g_steal_pointer (&note);
}

/* Jobs, on the writer thread */

static void
save_job (CinStoreWriter *writer,
          GTask          *task)
{
  CinNote *note = g_task_get_task_data (task);
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autofree char *topics = NULL;
  g_autofree char *mentions = NULL;
  GError *error = NULL;
  gint64 scheduled_at;
  int rc;

  if (!validate_note (note, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  stmt = _cin_store_writer_prepare (writer,
    "INSERT INTO notes (" NOTE_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
    "ON CONFLICT (id) DO UPDATE SET "
    "  kind = excluded.kind, title = excluded.title, body = excluded.body, "
    "  topics = excluded.topics, mentions = excluded.mentions, "
    "  location = excluded.location, visibility = excluded.visibility, "
    "  original = excluded.original, state = excluded.state, "
    "  scheduled_at = excluded.scheduled_at, created_at = excluded.created_at, "
    "  updated_at = excluded.updated_at, rev = excluded.rev, "
    "  sync_state = excluded.sync_state",
    &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  topics = cin_strv_to_json_string (cin_note_get_topics (note));
  mentions = cin_strv_to_json_string (cin_note_get_mentions (note));
  scheduled_at = cin_note_get_scheduled_at (note);

  sqlite3_bind_text (stmt, 1 + COL_ID, cin_note_get_id (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_KIND, cin_note_kind_to_string (cin_note_get_kind (note)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_TITLE, cin_note_get_title (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_BODY, cin_note_get_body (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_TOPICS, topics, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_MENTIONS, mentions, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_LOCATION, cin_note_get_location (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_VISIBILITY, cin_visibility_to_string (cin_note_get_visibility (note)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 1 + COL_ORIGINAL, cin_note_get_original (note) ? 1 : 0);
  sqlite3_bind_text (stmt, 1 + COL_STATE, cin_note_state_to_string (cin_note_get_state (note)), -1, SQLITE_STATIC);
  if (scheduled_at != 0)
    sqlite3_bind_int64 (stmt, 1 + COL_SCHEDULED_AT, scheduled_at);
  sqlite3_bind_int64 (stmt, 1 + COL_CREATED_AT, cin_note_get_created_at (note));
  sqlite3_bind_int64 (stmt, 1 + COL_UPDATED_AT, cin_note_get_updated_at (note));
  sqlite3_bind_text (stmt, 1 + COL_REV, cin_note_get_rev (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_SYNC_STATE, cin_sync_state_to_string (cin_note_get_sync_state (note)), -1, SQLITE_STATIC);

  /* One statement in autocommit mode is one transaction: the row is either
   * the old version or the new one, never a mix. */
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, db, rc);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
load_job (CinStoreWriter *writer,
          GTask          *task)
{
  const char *id = g_task_get_task_data (task);
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  CinNote *note;
  int rc;

  stmt = _cin_store_writer_prepare (writer,
    "SELECT " NOTE_COLUMNS " FROM notes WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      set_not_found_error (&error);
      g_task_return_error (task, error);
      return;
    }
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (&error, db, rc);
      g_task_return_error (task, error);
      return;
    }

  note = note_from_row (db, stmt, &error);
  if (note == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, note, g_object_unref);
}

typedef struct {
  CinNote *note;       /* (unowned) */
  char    *title_key;  /* (owned) (nullable): NULL for an untitled draft */
} TitleSortEntry;

static int
compare_by_title (gconstpointer a,
                  gconstpointer b)
{
  const TitleSortEntry *ea = a;
  const TitleSortEntry *eb = b;
  gint64 ua;
  gint64 ub;
  int cmp;

  /* Untitled drafts go last rather than crowding the top of the list. */
  if ((ea->title_key == NULL) != (eb->title_key == NULL))
    return ea->title_key == NULL ? 1 : -1;
  if (ea->title_key != NULL && (cmp = strcmp (ea->title_key, eb->title_key)) != 0)
    return cmp;

  ua = cin_note_get_updated_at (ea->note);
  ub = cin_note_get_updated_at (eb->note);
  if (ua != ub)
    return ua > ub ? -1 : 1;

  return strcmp (cin_note_get_id (ea->note), cin_note_get_id (eb->note));
}

/* g_utf8_collate_key() once per title beats g_utf8_collate() once per
 * comparison: collation normalizes the strings every time it is called. */
static void
sort_by_title (GPtrArray *notes)
{
  g_autofree TitleSortEntry *entries = g_new0 (TitleSortEntry, notes->len + 1);

  for (guint i = 0; i < notes->len; i++)
    {
      const char *title = cin_note_get_title (g_ptr_array_index (notes, i));

      entries[i].note = g_ptr_array_index (notes, i);
      entries[i].title_key = *title ? g_utf8_collate_key (title, -1) : NULL;
    }

  qsort (entries, notes->len, sizeof *entries, compare_by_title);

  for (guint i = 0; i < notes->len; i++)
    {
      notes->pdata[i] = entries[i].note;
      g_free (entries[i].title_key);
    }
}

static void
list_job (CinStoreWriter *writer,
          GTask          *task)
{
  CinNoteSort sort = GPOINTER_TO_INT (g_task_get_task_data (task));
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  const char *sql;
  int rc;

  switch (sort)
    {
    case CIN_NOTE_SORT_CREATED:
      sql = "SELECT " NOTE_COLUMNS " FROM notes WHERE trashed_at IS NULL "
            "ORDER BY created_at DESC, id";
      break;
    case CIN_NOTE_SORT_TITLE:
      sql = "SELECT " NOTE_COLUMNS " FROM notes WHERE trashed_at IS NULL";
      break;
    case CIN_NOTE_SORT_UPDATED:
    default:
      sql = "SELECT " NOTE_COLUMNS " FROM notes WHERE trashed_at IS NULL "
            "ORDER BY updated_at DESC, id";
      break;
    }

  stmt = _cin_store_writer_prepare (writer, sql, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinNote *note = note_from_row (db, stmt, &error);

      if (note == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (notes, note);
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, db, rc);
      g_task_return_error (task, error);
      return;
    }

  if (sort == CIN_NOTE_SORT_TITLE)
    sort_by_title (notes);

  g_task_return_pointer (task, g_steal_pointer (&notes), (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
step_done (CinStoreWriter  *writer,
           sqlite3_stmt    *stmt,
           GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }

  return TRUE;
}

static gboolean
note_exists (CinStoreWriter  *writer,
             const char      *id,
             gboolean        *exists,
             GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, "SELECT 1 FROM notes WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }

  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static void
trash_job (CinStoreWriter *writer,
           GTask          *task)
{
  const char *id = g_task_get_task_data (task);
  sqlite3 *db = _cin_store_writer_get_db (writer);
  GError *error = NULL;
  gboolean exists = TRUE;

  {
    g_autoptr(CinCachedStmt) stmt = NULL;

    stmt = _cin_store_writer_prepare (writer,
      "UPDATE notes SET trashed_at = ?2 WHERE id = ?1 AND trashed_at IS NULL", &error);
    if (stmt == NULL)
      {
        g_task_return_error (task, error);
        return;
      }

    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
    if (!step_done (writer, stmt, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  }

  /* Trashing what is already in the trash is not an error: a double
   * click must not show one. */
  if (sqlite3_changes (db) == 0 && !note_exists (writer, id, &exists, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!exists)
    {
      set_not_found_error (&error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
restore_job (CinStoreWriter *writer,
             GTask          *task)
{
  const char *id = g_task_get_task_data (task);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE notes SET trashed_at = NULL WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (writer, stmt, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (sqlite3_changes (_cin_store_writer_get_db (writer)) == 0)
    {
      set_not_found_error (&error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
purge_job (CinStoreWriter *writer,
           GTask          *task)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "DELETE FROM notes WHERE trashed_at IS NOT NULL", &error);
  if (stmt == NULL || !step_done (writer, stmt, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
max_page_count_job (CinStoreWriter *writer,
                    GTask          *task)
{
  gint64 max_pages = *(gint64 *)g_task_get_task_data (task);
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, max_pages);
  g_autofree char *result = NULL;
  sqlite3 *db = _cin_store_writer_get_db (writer);
  GError *error = NULL;

  if (!query_text (db, sql, &result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, g_ascii_strtoll (result, NULL, 10));
}

/* GObject */

static void
cin_store_finalize (GObject *object)
{
  CinStore *self = (CinStore *)object;

  /* Every queued job holds a reference to the store, so the queue is
   * empty by now and this only closes the connection. */
  g_clear_pointer (&self->writer, _cin_store_writer_shutdown);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cin_store_parent_class)->finalize (object);
}

static void
cin_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CinStore *self = CIN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CinStore *self = CIN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_store_class_init (CinStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cin_store_finalize;
  object_class->get_property = cin_store_get_property;
  object_class->set_property = cin_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_store_init (CinStore *self)
{
  self->writer = _cin_store_writer_new ();
}

/* Public API */

static GTask *
store_task_new (CinStore            *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
cin_store_open_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(CinStore) self = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self = g_object_new (CIN_TYPE_STORE, "path", path, NULL);
  task = store_task_new (self, cin_store_open_async, cancellable, callback, user_data);
  _cin_store_writer_push (self->writer, task, open_job);
}

CinStore *
cin_store_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  GTask *task = G_TASK (result);

  /* The store being opened is the task's source object, so there is no
   * object to hand g_task_is_valid() beforehand. */
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_is_valid (result, g_task_get_source_object (task)), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == cin_store_open_async, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  return g_object_ref (g_task_get_source_object (task));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

/* The usual GLib way to wait for an async call: run it on a private main
 * context, so nothing else dispatches while this thread waits. */
static GAsyncResult *
wait_for_result (GMainContext  *context,
                 GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);

  return *result;
}

CinStore *
cin_store_open_sync (const char  *path,
                     GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  g_main_context_push_thread_default (context);
  cin_store_open_async (path, NULL, store_result_cb, &result);
  wait_for_result (context, &result);
  g_main_context_pop_thread_default (context);

  return cin_store_open_finish (result, error);
}

const char *
cin_store_get_path (CinStore *self)
{
  g_return_val_if_fail (CIN_IS_STORE (self), NULL);

  return self->path;
}

void
cin_store_save_note_async (CinStore            *self,
                           CinNote             *note,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = store_task_new (self, cin_store_save_note_async, cancellable, callback, user_data);
  g_task_set_task_data (task, cin_note_copy (note), g_object_unref);
  _cin_store_writer_push (self->writer, task, save_job);
}

static gboolean
propagate_boolean (CinStore      *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (CIN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cin_store_save_note_finish (CinStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return propagate_boolean (self, result, cin_store_save_note_async, error);
}

static void
push_with_id (CinStore            *self,
              const char          *id,
              gpointer             source_tag,
              CinStoreJobFunc      func,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = store_task_new (self, source_tag, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (id), g_free);
  _cin_store_writer_push (self->writer, task, func);
}

void
cin_store_load_note_async (CinStore            *self,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_load_note_async, load_job,
                cancellable, callback, user_data);
}

CinNote *
cin_store_load_note_finish (CinStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CIN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_store_load_note_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cin_store_list_notes_async (CinStore            *self,
                            CinNoteSort          sort,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (sort <= CIN_NOTE_SORT_TITLE);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = store_task_new (self, cin_store_list_notes_async, cancellable, callback, user_data);
  g_task_set_task_data (task, GINT_TO_POINTER (sort), NULL);
  _cin_store_writer_push (self->writer, task, list_job);
}

GPtrArray *
cin_store_list_notes_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CIN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_store_list_notes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cin_store_trash_note_async (CinStore            *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_trash_note_async, trash_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_trash_note_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return propagate_boolean (self, result, cin_store_trash_note_async, error);
}

void
cin_store_restore_note_async (CinStore            *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_restore_note_async, restore_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_restore_note_finish (CinStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return propagate_boolean (self, result, cin_store_restore_note_async, error);
}

void
cin_store_purge_trash_async (CinStore            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = store_task_new (self, cin_store_purge_trash_async, cancellable, callback, user_data);
  _cin_store_writer_push (self->writer, task, purge_job);
}

gboolean
cin_store_purge_trash_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return propagate_boolean (self, result, cin_store_purge_trash_async, error);
}

void
cin_store_close_async (CinStore            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* Closing is not cancellable: the writer finishes what was queued. */
  task = store_task_new (self, cin_store_close_async, NULL, callback, user_data);
  _cin_store_writer_push_close (self->writer, task);
}

gboolean
cin_store_close_finish (CinStore      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return propagate_boolean (self, result, cin_store_close_async, error);
}

gint64
_cin_store_set_max_page_count (CinStore  *self,
                               gint64     max_pages,
                               GError   **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (CIN_IS_STORE (self), -1);
  g_return_val_if_fail (max_pages > 0, -1);

  g_main_context_push_thread_default (context);
  task = store_task_new (self, _cin_store_set_max_page_count, NULL, store_result_cb, &result);
  g_task_set_task_data (task, g_memdup2 (&max_pages, sizeof max_pages), g_free);
  _cin_store_writer_push (self->writer, task, max_page_count_job);
  g_clear_object (&task);
  wait_for_result (context, &result);
  g_main_context_pop_thread_default (context);

  return g_task_propagate_int (G_TASK (result), error);
}
