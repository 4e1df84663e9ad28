/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cin-storage.h"

G_BEGIN_DECLS

typedef struct {
  CinStorage  parent;
  sqlite3    *db;
} CinStorageSqlite;

#define CIN_STORAGE_SQLITE_SCHEMA_VERSION 1

gboolean  _cin_sqlite_migrate      (sqlite3       *db,
                                    GError       **error);

gboolean  _cin_sqlite_exec         (sqlite3       *db,
                                    const char    *sql,
                                    GError       **error);
sqlite3_stmt *_cin_sqlite_prepare  (sqlite3       *db,
                                    const char    *sql,
                                    GError       **error);
/* Steps a statement that returns no row, and finalizes it. */
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
