/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-note.h"
#include "cin-note-summary.h"
#include "cin-types.h"

G_BEGIN_DECLS

/* The local draft database: one SQLite file per profile, WAL,
 * synchronous=FULL. Every statement runs on one writer thread; results come
 * back on the thread-default main context of the caller. */

#define CIN_STORE_ERROR (cin_store_error_quark ())

typedef enum {
  CIN_STORE_ERROR_FAILED,
  CIN_STORE_ERROR_READ_ONLY,     /* the file or its folder can't be written */
  CIN_STORE_ERROR_DISK_FULL,
  CIN_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer Cinnabar */
  CIN_STORE_ERROR_CORRUPT,
  CIN_STORE_ERROR_INVALID_TEXT,  /* not UTF-8, or a NUL inside */
  CIN_STORE_ERROR_NOT_FOUND,
  CIN_STORE_ERROR_CLOSED,
} CinStoreError;

#define CIN_TYPE_STORE (cin_store_get_type ())
G_DECLARE_FINAL_TYPE (CinStore, cin_store, CIN, STORE, GObject)

GQuark      cin_store_error_quark        (void);

/* The schema version this build writes (PRAGMA user_version). */
int         cin_store_schema_version     (void);

void        cin_store_open_async         (const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
CinStore   *cin_store_open_finish        (GAsyncResult        *result,
                                          GError             **error);
/* Blocks the calling thread: for tools, tests and the server only. */
CinStore   *cin_store_open_sync          (const char          *path,
                                          GError             **error);

const char *cin_store_get_path           (CinStore            *self);

/* Saves a snapshot of @note (copied before this returns, so the caller may
 * keep editing). Fails with CIN_STORE_ERROR_INVALID_TEXT and leaves the
 * saved version untouched when a field is not valid text.
 * The note's updated_at is written as it is: the caller knows when the edit
 * happened (CinAutosave sets it to the time of the newest edit it saves).
 * What a CinNote does not hold (cover, sync base) is left alone, and a
 * note in the trash stays there. Statements run in the order they were
 * asked for, so a later snapshot always wins. */
void        cin_store_save_note_async    (CinStore            *self,
                                          CinNote             *note,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cin_store_save_note_finish   (CinStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Finds notes in the trash too; fails with CIN_STORE_ERROR_NOT_FOUND for
 * an id never saved, or purged. */
void        cin_store_load_note_async    (CinStore            *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
CinNote    *cin_store_load_note_finish   (CinStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* A CinNoteSummary of every note not in the trash, as a GPtrArray, in
 * the order of @sort (cin_note_summary_compare()): the first @limit of
 * them, or all when @limit is 0. */
void        cin_store_list_summaries_async  (CinStore            *self,
                                             CinNoteSort          sort,
                                             guint                limit,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray  *cin_store_list_summaries_finish (CinStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* The ids (a GHashTable used as a set) of the notes not in the trash whose
 * title or body holds @text: ASCII letters in any case, everything else
 * exactly as typed. */
void        cin_store_search_notes_async    (CinStore            *self,
                                             const char          *text,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GHashTable *cin_store_search_notes_finish   (CinStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Every topic of the notes not in the trash, most used first (GStrv). */
void        cin_store_list_topics_async     (CinStore            *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GStrv       cin_store_list_topics_finish    (CinStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Every @name mentioned in those notes (without the '@'), most used first. */
void        cin_store_list_mentions_async   (CinStore            *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GStrv       cin_store_list_mentions_finish  (CinStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* The handles the account follows, as sync last heard them from the
 * server, the most recently followed first; none for a local profile. */
void        cin_store_list_following_async  (CinStore            *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GStrv       cin_store_list_following_finish (CinStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Deleting moves a note to the trash, so it can be restored (undo);
 * purging removes what is in the trash for good. */
void        cin_store_trash_note_async   (CinStore            *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cin_store_trash_note_finish  (CinStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void        cin_store_restore_note_async (CinStore            *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cin_store_restore_note_finish (CinStore           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void        cin_store_purge_trash_async  (CinStore            *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cin_store_purge_trash_finish (CinStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Waits for every queued statement and closes the database. Every call
 * after it, a second close included, fails with CIN_STORE_ERROR_CLOSED. */
void        cin_store_close_async        (CinStore            *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    cin_store_close_finish       (CinStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
