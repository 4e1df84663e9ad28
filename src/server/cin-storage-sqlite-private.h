/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cin-storage.h"

G_BEGIN_DECLS

typedef struct {
  CinStorage  parent;
  sqlite3    *db;
  /* Prepared statements by their SQL text: preparing costs more than
   * running most of them, so each is prepared once and reset after use. */
  GHashTable *statements;
} CinStorageSqlite;

#define CIN_STORAGE_SQLITE_SCHEMA_VERSION 1

gboolean  _cin_sqlite_migrate      (sqlite3       *db,
                                    GError       **error);

gboolean  _cin_sqlite_exec         (sqlite3       *db,
                                    const char    *sql,
                                    GError       **error);
/* The statement for @sql, prepared on its first use and kept. The caller
 * binds and steps it, then hands it back with _cin_sqlite_done(), which
 * every path must reach: a statement left mid-way holds its read
 * transaction open. @sql must be a string literal, never built text. */
sqlite3_stmt *_cin_sqlite_prepare  (CinStorage    *storage,
                                    const char    *sql,
                                    GError       **error);
/* Resets @stmt and clears its bindings, for its next use. */
void      _cin_sqlite_done         (sqlite3_stmt  *stmt);
/* Steps a statement that returns no row, then _cin_sqlite_done(). */
gboolean  _cin_sqlite_run          (sqlite3       *db,
                                    sqlite3_stmt  *stmt,
                                    GError       **error);
void      _cin_sqlite_set_error    (sqlite3       *db,
                                    GError       **error);
char     *_cin_sqlite_dup_text     (sqlite3_stmt  *stmt,
                                    int            column);

/* Entities, the change feed and explore (cin-storage-sqlite-entities.c). */
CinEntity *_cin_sqlite_entity_get  (CinStorage    *storage,
                                    const char    *kind,
                                    const char    *id,
                                    GError       **error);
gboolean  _cin_sqlite_entity_put   (CinStorage    *storage,
                                    CinEntity     *entity,
                                    GError       **error);
GPtrArray *_cin_sqlite_entity_list (CinStorage    *storage,
                                    gint64         account_id,
                                    const char    *kind,
                                    GError       **error);
GPtrArray *_cin_sqlite_changes_list (CinStorage   *storage,
                                    gint64         account_id,
                                    gint64         since,
                                    guint          limit,
                                    GError       **error);
gint64    _cin_sqlite_changes_horizon (CinStorage *storage,
                                    gint64         account_id,
                                    GError       **error);
gboolean  _cin_sqlite_prune_tombstones (CinStorage *storage,
                                    gint64         before,
                                    GError       **error);
GPtrArray *_cin_sqlite_explore_list (CinStorage   *storage,
                                    gint64         after_published_at,
                                    const char    *after_id,
                                    guint          limit,
                                    GError       **error);
GPtrArray *_cin_sqlite_explore_search (CinStorage *storage,
                                    const char    *query,
                                    guint          offset,
                                    guint          limit,
                                    GError       **error);
GPtrArray *_cin_sqlite_notes_due   (CinStorage    *storage,
                                    gint64         now,
                                    GError       **error);

G_END_DECLS
