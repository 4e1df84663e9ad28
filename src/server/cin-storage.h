/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Everything cinnabar-server keeps, behind one interface so that another
 * back end (PostgreSQL, see docs/server-scaling.md) can replace SQLite
 * without touching the request handlers.
 *
 * Entities (notes, boards, products, bookmarks) share one shape: a kind, a
 * client-made id, an owning account, a revision raised on every change,
 * the JSON the API serves, and a tombstone flag. Every put appends the
 * entity to its account's change feed, in the same transaction.
 *
 * All calls run on the server's one thread; a request that changes data
 * wraps its calls in begin() … commit() so that the change, its change-feed
 * entry and its idempotency record land together or not at all. */

#define CIN_STORAGE_ERROR (cin_storage_error_quark ())

typedef enum {
  CIN_STORAGE_ERROR_FAILED,
  CIN_STORAGE_ERROR_NOT_FOUND,
  CIN_STORAGE_ERROR_EXISTS,
} CinStorageError;

typedef struct {
  gint64  id;
  char   *handle;
  char   *password_hash;   /* crypt(3) string; never logged */
  gint64  created_at;      /* µs since the epoch, as every time here */
} CinAccount;

typedef struct {
  char     *kind;          /* "note", "board", "product", "bookmark" */
  char     *id;
  gint64    account_id;
  gint64    rev;
  gboolean  deleted;
  char     *json;          /* (nullable) NULL for a tombstone */
  gint64    created_at;
  gint64    updated_at;
  gint64    seq;           /* its place in the change feed; set by put */

  /* What the explore feed, search and scheduler read (notes only). */
  gboolean  listed;        /* published and public: anyone may read it */
  gint64    published_at;  /* 0 when not published */
  gint64    publish_due_at;/* 0 unless scheduled */
  char     *search_text;   /* (nullable) title, body and topics */
} CinEntity;

/* An account someone follows, as the list of them reads it. */
typedef struct {
  gint64      account_id;
  const char *handle;
  gint64      followed_at;
} CinFollow;

/* A topic and how many listed notes carry it. */
typedef struct {
  const char *name;
  gint64      notes;
} CinTopicUse;

/* A response kept for an Idempotency-Key, answered again on a replay. */
typedef struct {
  char   *request_hash;    /* method, path and body, hashed */
  guint   status;
  char   *content_type;    /* (nullable) */
  GBytes *body;            /* (nullable) */
  char   *etag;            /* (nullable) */
  char   *location;        /* (nullable) */
} CinStoredResponse;

typedef struct _CinStorage CinStorage;

/* Given each entity of a page in turn. @entity is borrowed: its strings
 * point into the storage's current row and last only for the call, which
 * spares copying every row of every page. Only what the page shows is
 * filled in (each call below says what). FALSE stops the reading. */
typedef gboolean (*CinEntityVisitFunc) (const CinEntity *entity,
                                        gpointer         user_data);
/* The same for follows and topics; their strings are borrowed too. */
typedef gboolean (*CinFollowVisitFunc) (const CinFollow *follow,
                                        gpointer         user_data);
typedef gboolean (*CinTopicVisitFunc)  (const CinTopicUse *topic,
                                        gpointer         user_data);

typedef struct {
  void        (*close)              (CinStorage   *self);

  gboolean    (*begin)              (CinStorage   *self,
                                     GError      **error);
  /* A transaction that only reads, ended by commit() or rollback(): the
   * reads in it see one snapshot, and cost one lock rather than one
   * each. */
  gboolean    (*begin_read)         (CinStorage   *self,
                                     GError      **error);
  gboolean    (*commit)             (CinStorage   *self,
                                     GError      **error);
  void        (*rollback)           (CinStorage   *self);

  /* Fails with CIN_STORAGE_ERROR_EXISTS when the handle is taken. */
  gboolean    (*account_create)     (CinStorage   *self,
                                     const char   *handle,
                                     const char   *password_hash,
                                     gint64        now,
                                     gint64       *account_id,
                                     GError      **error);
  /* NULL with CIN_STORAGE_ERROR_NOT_FOUND when there is none. */
  CinAccount *(*account_find)       (CinStorage   *self,
                                     const char   *handle,
                                     GError      **error);
  CinAccount *(*account_get)        (CinStorage   *self,
                                     gint64        account_id,
                                     GError      **error);

  /* Sessions are found by the SHA-256 of their token: the token itself is
   * never stored. */
  gboolean    (*session_create)     (CinStorage   *self,
                                     const char   *token_hash,
                                     gint64        account_id,
                                     gint64        expires_at,
                                     GError      **error);
  /* The account of an unexpired session, and when the session expires. */
  gboolean    (*session_find)       (CinStorage   *self,
                                     const char   *token_hash,
                                     gint64        now,
                                     gint64       *account_id,
                                     gint64       *expires_at,
                                     GError      **error);
  gboolean    (*session_delete)     (CinStorage   *self,
                                     const char   *token_hash,
                                     GError      **error);

  CinStoredResponse *(*idempotency_find) (CinStorage   *self,
                                     gint64        account_id,
                                     const char   *key,
                                     GError      **error);
  gboolean    (*idempotency_save)   (CinStorage   *self,
                                     gint64        account_id,
                                     const char   *key,
                                     const CinStoredResponse *response,
                                     gint64        now,
                                     GError      **error);

  CinEntity  *(*entity_get)         (CinStorage   *self,
                                     const char   *kind,
                                     const char   *id,
                                     GError      **error);
  /* Inserts or replaces the entity and moves it to the end of its
   * account's change feed; sets @entity->seq. */
  gboolean    (*entity_put)         (CinStorage   *self,
                                     CinEntity    *entity,
                                     GError      **error);
  /* An account's live entities of one kind, oldest first. */
  GPtrArray  *(*entity_list)        (CinStorage   *self,
                                     gint64        account_id,
                                     const char   *kind,
                                     GError      **error);

  /* Entities of the account changed after @since, in feed order: kind,
   * id, seq, rev, deleted and json filled in. */
  gboolean    (*changes_list)       (CinStorage   *self,
                                     gint64        account_id,
                                     gint64        since,
                                     guint         limit,
                                     CinEntityVisitFunc visit,
                                     gpointer      user_data,
                                     GError      **error);
  /* The oldest cursor that still sees every tombstone: cursors before it
   * have missed a deletion. */
  gint64      (*changes_horizon)    (CinStorage   *self,
                                     gint64        account_id,
                                     GError      **error);
  /* Forgets tombstones, sessions and idempotency records older than
   * @before, raising the horizon of the accounts that lose a tombstone. */
  gboolean    (*prune)              (CinStorage   *self,
                                     gint64        tombstones_before,
                                     gint64        now,
                                     GError      **error);

  /* Listed notes, newest first, strictly after the (published_at, id)
   * position given, or from the top when @after_published_at is 0: id,
   * json and published_at filled in. */
  gboolean    (*explore_list)       (CinStorage   *self,
                                     gint64        after_published_at,
                                     const char   *after_id,
                                     guint         limit,
                                     CinEntityVisitFunc visit,
                                     gpointer      user_data,
                                     GError      **error);
  /* Listed notes whose text holds @query, best matches first; filled in
   * as explore_list() does. */
  gboolean    (*explore_search)     (CinStorage   *self,
                                     const char   *query,
                                     guint         offset,
                                     guint         limit,
                                     CinEntityVisitFunc visit,
                                     gpointer      user_data,
                                     GError      **error);
  /* Scheduled notes whose time has come. */
  GPtrArray  *(*notes_due)          (CinStorage   *self,
                                     gint64        now,
                                     GError      **error);

  /* @follower follows @followee from @now on; following again keeps the
   * first time. */
  gboolean    (*follow_put)         (CinStorage   *self,
                                     gint64        follower,
                                     gint64        followee,
                                     gint64        now,
                                     GError      **error);
  gboolean    (*follow_delete)      (CinStorage   *self,
                                     gint64        follower,
                                     gint64        followee,
                                     GError      **error);
  /* The accounts @follower follows, most recently followed first,
   * strictly after the (followed_at, account id) position given, or from
   * the top when @after_followed_at is 0. */
  gboolean    (*following_list)     (CinStorage   *self,
                                     gint64        follower,
                                     gint64        after_followed_at,
                                     gint64        after_account_id,
                                     guint         limit,
                                     CinFollowVisitFunc visit,
                                     gpointer      user_data,
                                     GError      **error);
  /* Topics of listed notes whose name holds @query, compared with
   * cin_storage_fold_topic(), most used first, then by name. */
  gboolean    (*topics_suggest)     (CinStorage   *self,
                                     const char   *query,
                                     guint         limit,
                                     CinTopicVisitFunc visit,
                                     gpointer      user_data,
                                     GError      **error);
} CinStorageOps;

struct _CinStorage {
  const CinStorageOps *ops;
};

GQuark       cin_storage_error_quark      (void);

/* The SQLite implementation: @dir/cinnabar-server.db, created and migrated
 * as needed. */
CinStorage  *cin_storage_sqlite_open      (const char   *dir,
                                           GError      **error);

void         cin_storage_close            (CinStorage   *self);

/* @text as topics are compared: NFKC, then Unicode case folding, so that
 * "Coffee", "COFFEE" and full-width "ＣＯＦＦＥＥ" are one. */
char        *cin_storage_fold_topic       (const char   *text);

void         cin_account_free             (CinAccount   *account);
CinEntity   *cin_entity_new               (const char   *kind,
                                           const char   *id,
                                           gint64        account_id);
void         cin_entity_free              (CinEntity    *entity);
void         cin_stored_response_free     (CinStoredResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinAccount, cin_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinEntity, cin_entity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinStoredResponse, cin_stored_response_free)

G_END_DECLS
