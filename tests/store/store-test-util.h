/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cin-autosave.h"
#include "cin-note.h"
#include "cin-store.h"

G_BEGIN_DECLS

/* A fresh folder under the temporary dir; store_test_rm_rf() removes it. */
char       *store_test_make_tmp_dir   (void);
void        store_test_rm_rf          (const char *path);

/* Async calls made synchronous by iterating the thread-default context. */
void        store_test_result_cb      (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data);
GAsyncResult *store_test_wait         (GAsyncResult **result);

CinStore   *store_test_open           (const char   *path,
                                       GError      **error);
gboolean    store_test_save           (CinStore     *store,
                                       CinNote      *note,
                                       GError      **error);
CinNote    *store_test_load           (CinStore     *store,
                                       const char   *id,
                                       GError      **error);
/* Summaries (CinNoteSummary), in the order of @sort. */
GPtrArray  *store_test_list           (CinStore     *store,
                                       CinNoteSort   sort,
                                       GError      **error);
GPtrArray  *store_test_list_first     (CinStore     *store,
                                       CinNoteSort   sort,
                                       guint         limit,
                                       GError      **error);
GStrv       store_test_topics         (CinStore     *store,
                                       GError      **error);
GStrv       store_test_mentions       (CinStore     *store,
                                       GError      **error);
/* The ids the search finds, as a set. */
GHashTable *store_test_search         (CinStore     *store,
                                       const char   *text,
                                       GError      **error);
gboolean    store_test_trash          (CinStore     *store,
                                       const char   *id,
                                       GError      **error);
gboolean    store_test_restore        (CinStore     *store,
                                       const char   *id,
                                       GError      **error);
gboolean    store_test_purge          (CinStore     *store,
                                       GError      **error);
void        store_test_close          (CinStore     *store);
gboolean    store_test_flush          (CinAutosave  *autosave,
                                       GError      **error);

/* Runs the default context until @condition is TRUE or @timeout_ms pass. */
gboolean    store_test_run_until      (gboolean    (*condition) (gpointer),
                                       gpointer      data,
                                       guint         timeout_ms);

char       *store_test_file_sha256    (const char   *path);

/* A note with every field set, CJK and emoji included. */
CinNote    *store_test_make_note      (const char   *id,
                                       guint         variant);
void        store_test_assert_notes_equal (CinNote  *a,
                                           CinNote  *b);

/* Plain SQLite, for checking what is really in the file. */
sqlite3    *store_test_sqlite_open    (const char   *path);
sqlite3    *store_test_sqlite_open_create (const char *path);
void        store_test_sqlite_exec    (sqlite3      *db,
                                       const char   *sql);
gint64      store_test_sqlite_int     (sqlite3      *db,
                                       const char   *sql);
char       *store_test_sqlite_text    (sqlite3      *db,
                                       const char   *sql);
/* Every row of @table, one line each, for comparing before and after. */
char       *store_test_sqlite_dump    (sqlite3      *db,
                                       const char   *table);

G_END_DECLS
