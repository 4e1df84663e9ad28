/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cin-store.h"

G_BEGIN_DECLS

/* The newest schema; cin_store_schema_version() returns it. */
#define CIN_STORE_SCHEMA_VERSION 5

/* Schema (cin-store-schema.c) */

/* Brings @db from its PRAGMA user_version up to @target_version, one
 * transaction per step, so a crash leaves it at some whole version. A
 * database already at or past @target_version is left alone; one newer than
 * this build fails with CIN_STORE_ERROR_NEWER_SCHEMA. Tests use a
 * @target_version below the newest to build databases as older releases
 * left them. */
gboolean  _cin_store_schema_migrate        (sqlite3      *db,
                                            int           target_version,
                                            GError      **error);
gboolean  _cin_store_schema_read_version   (sqlite3      *db,
                                            int          *version,
                                            GError      **error);

/* Errors (cin-store-writer.c) */

/* Sets @error from a failed SQLite call: a full disk, a read-only file or
 * folder and a damaged file get their own codes and messages. */
void      _cin_store_set_sqlite_error      (GError      **error,
                                            sqlite3      *db,
                                            int           rc);
gboolean  _cin_store_exec                  (sqlite3      *db,
                                            const char   *sql,
                                            GError      **error);
/* The first column of the first row of @sql, as text. */
gboolean  _cin_store_query_text            (sqlite3      *db,
                                            const char   *sql,
                                            char        **out_text,
                                            GError      **error);
void      _cin_store_set_newer_schema_error (GError     **error,
                                            const char   *path,
                                            int           found);
/* A row with a value this build does not know (@what names it). */
void      _cin_store_set_unreadable_row_error (GError  **error,
                                            sqlite3      *db,
                                            const char   *what);

/* Errors about notes (cin-store.c) */

typedef enum {
  CIN_NOTE_FIELD_ID,
  CIN_NOTE_FIELD_TITLE,
  CIN_NOTE_FIELD_BODY,
  CIN_NOTE_FIELD_TOPICS,
  CIN_NOTE_FIELD_MENTIONS,
  CIN_NOTE_FIELD_LOCATION,
  CIN_NOTE_FIELD_REV,
  CIN_NOTE_FIELD_PHOTOS,
} CinNoteField;

/* @text_error is what cin_text_validate() said about @field. */
void      _cin_store_set_invalid_text_error (GError       **error,
                                             CinNoteField   field,
                                             const GError  *text_error);
void      _cin_store_set_not_found_error   (GError      **error);

/* Writer thread (cin-store-writer.c) */

typedef struct _CinStoreWriter CinStoreWriter;

/* Runs on the writer thread and finishes @task with g_task_return_*(). */
typedef void (*CinStoreJobFunc) (CinStoreWriter *writer,
                                 GTask          *task);

CinStoreWriter *_cin_store_writer_new      (void);
/* Lets the thread finish what is queued, close the database and exit.
 * Waits for it unless called on the writer thread itself. */
void      _cin_store_writer_shutdown       (CinStoreWriter *writer);
/* Queues @func for @task in FIFO order, or answers CIN_STORE_ERROR_CLOSED
 * once the store is closing. */
void      _cin_store_writer_push           (CinStoreWriter *writer,
                                            GTask          *task,
                                            CinStoreJobFunc func);
/* Queues the close: later pushes answer CIN_STORE_ERROR_CLOSED. */
void      _cin_store_writer_push_close     (CinStoreWriter *writer,
                                            GTask          *task);

/* These are for job functions, on the writer thread only. */

/* Creates the folder (0700), opens @path and brings it to the current
 * schema. A file from a newer Cinnabar is left byte for byte as it was. */
gboolean  _cin_store_writer_open           (CinStoreWriter *writer,
                                            const char     *path,
                                            GError        **error);
sqlite3  *_cin_store_writer_get_db         (CinStoreWriter *writer);
/* A cached prepared statement for @sql (a string literal); hold it in a
 * g_autoptr(CinCachedStmt) so it is reset, and its read transaction ended,
 * when it goes out of scope. */
sqlite3_stmt *_cin_store_writer_prepare    (CinStoreWriter *writer,
                                            const char     *sql,
                                            GError        **error);

/* Runs @body between BEGIN IMMEDIATE and COMMIT, rolling back when it
 * fails: every job that writes more than one row is one transaction. */
typedef gboolean (*CinStoreTransactionFunc) (CinStoreWriter  *writer,
                                             gpointer         data,
                                             GError         **error);

gboolean      _cin_store_writer_transaction (CinStoreWriter          *writer,
                                            CinStoreTransactionFunc  body,
                                            gpointer                 data,
                                            GError                 **error);

/* Runs the cached statement @sql once with ?1 bound to @text. */
gboolean      _cin_store_writer_run_with_text (CinStoreWriter *writer,
                                              const char     *sql,
                                              const char     *text,
                                              GError        **error);

/* Sets *@result to whether the cached statement @sql, with ?1 bound to
 * @text (when not NULL), gives a row whose first column is not 0
 * (SELECT 1 … or a condition). */
gboolean      _cin_store_writer_query_bool (CinStoreWriter *writer,
                                            const char     *sql,
                                            const char     *text,
                                            gboolean       *result,
                                            GError        **error);

/* Runs @stmt once; a row or the end is success, anything else an error. */
gboolean      _cin_store_writer_step       (CinStoreWriter *writer,
                                            sqlite3_stmt   *stmt,
                                            GError        **error);

typedef sqlite3_stmt CinCachedStmt;

static inline void
_cin_cached_stmt_release (CinCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinCachedStmt, _cin_cached_stmt_release)

/* Jobs on notes (cin-store-notes.c), each with the task data the public
 * call in cin-store.c sets: the note's copy or its id. */

void      _cin_store_save_job              (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_load_job              (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_trash_job             (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_restore_job           (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_purge_job             (CinStoreWriter *writer,
                                            GTask          *task);

/* For the sync jobs, in their transaction (cin-store-notes.c). */

/* Writes the server's version of a note (photos too), synced. */
gboolean  _cin_store_write_server_note     (CinStoreWriter *writer,
                                            CinNote        *remote,
                                            GError        **error);
/* The same, for the change feed: @is_new says the store has no such
 * note, so it has no photo rows to clear. */
gboolean  _cin_store_write_server_note_full (CinStoreWriter *writer,
                                            CinNote        *remote,
                                            gboolean        is_new,
                                            GError        **error);
/* Saves @note as the creator's edit (photos and outbox row too). Its
 * text is valid: the save job checks it first, and a merge or conflict
 * copy is made of notes the store or the codec checked already. */
gboolean  _cin_store_save_note             (CinStoreWriter *writer,
                                            CinNote        *note,
                                            GError        **error);
gboolean  _cin_store_untrash               (CinStoreWriter *writer,
                                            const char     *id,
                                            GError        **error);
/* Whether a note with @id is in the store, in the trash or not. */
gboolean  _cin_store_note_exists           (CinStoreWriter *writer,
                                            const char     *id,
                                            gboolean       *exists,
                                            GError        **error);
/* Sets *@out_note to the note, or NULL when there is none with @id. */
gboolean  _cin_store_read_note             (CinStoreWriter *writer,
                                            const char     *id,
                                            CinNote       **out_note,
                                            GError        **error);

/* The outbox side of an edit (cin-store-outbox.c), in its transaction. */

/* The note was saved: makes sure a put row waits for it. */
gboolean  _cin_store_outbox_note_edited    (CinStoreWriter *writer,
                                            const char     *note_id,
                                            GError        **error);
gboolean  _cin_store_outbox_note_trashed   (CinStoreWriter *writer,
                                            const char     *note_id,
                                            GError        **error);
gboolean  _cin_store_outbox_note_restored  (CinStoreWriter *writer,
                                            const char     *note_id,
                                            GError        **error);

/* A note's photos (cin-store-media.c), in the save's transaction. */

/* @replace: the note may have rows already, and those not in it go. */
gboolean  _cin_store_save_photos           (CinStoreWriter *writer,
                                            CinNote        *note,
                                            gboolean        replace,
                                            GError        **error);
/* Sets the photos of @note from its rows. */
gboolean  _cin_store_load_photos           (CinStoreWriter *writer,
                                            CinNote        *note,
                                            GError        **error);

/* The draft box's queries (cin-store-list.c): the task data is a
 * CinListQuery, or the ASCII-lowered search text. */

typedef struct {
  CinNoteSort sort;
  guint       limit;  /* 0: all */
} CinListQuery;

void      _cin_store_list_job              (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_search_job            (CinStoreWriter *writer,
                                            GTask          *task);
void      _cin_store_tags_job              (CinStoreWriter *writer,
                                            GTask          *task);

/* The front's plumbing (cin-store.c), for the other public parts of
 * the store (cin-store-sync.c). */

GTask    *_cin_store_task_new              (CinStore            *self,
                                            gpointer             source_tag,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void      _cin_store_push                  (CinStore            *self,
                                            GTask               *task,
                                            CinStoreJobFunc      func);
gboolean  _cin_store_propagate_boolean     (CinStore            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            GError             **error);
gpointer  _cin_store_propagate_pointer     (CinStore            *self,
                                            GAsyncResult        *result,
                                            gpointer             source_tag,
                                            GError             **error);

/* Test hooks (cin-store.c) */

/* Sets PRAGMA max_page_count on the store's connection and returns the
 * value SQLite settled on (never below the current size, so 1 means "no
 * room to grow"): a deterministic full disk. Blocks like
 * cin_store_open_sync(). Returns -1 on error. */
gint64    _cin_store_set_max_page_count    (CinStore     *self,
                                            gint64        max_pages,
                                            GError      **error);

G_END_DECLS
