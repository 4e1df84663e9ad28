/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"

G_BEGIN_DECLS

/* Boards, bookmarks and products: /v1/boards, /v1/bookmarks and
 * /v1/products, each with list, PUT, GET and DELETE like notes.
 *
 * Each is a small typed struct rather than a JsonNode: they hold a few
 * fixed members the studio shows and edits (a board's name, a product's
 * price), so a struct checks the contract once, here, and a server that
 * breaks it is one CIN_API_ERROR_INVALID_RESPONSE instead of members read
 * wrongly all over the UI; a bookmark's note snapshot decodes into the
 * same CinNote the rest of the studio uses.
 *
 * In a struct handed to a PUT only the id and the content members are
 * read; the server sets rev and the times. On 412 the failure's `current`
 * holds the entity as the server has it: decode it with
 * cin_api_board_new_from_json() and the like. */

typedef struct {
  char       *id;
  char       *rev;         /* (nullable) NULL until the server stored it */
  GDateTime  *created_at;  /* (nullable) as for rev */
  GDateTime  *updated_at;  /* (nullable) as for rev */
  char       *name;
  gboolean    is_public;   /* "visibility": public boards are readable by anyone */
  GStrv       note_ids;    /* in order, each once; never NULL */
} CinApiBoard;

typedef struct {
  char       *id;
  char       *rev;         /* (nullable) */
  GDateTime  *created_at;  /* (nullable) */
  GDateTime  *updated_at;  /* (nullable) */
  char       *note_id;
  char       *board_id;    /* (nullable) */
  CinNote    *note;        /* (nullable) the note as it was when collected; set by the server */
} CinApiBookmark;

typedef struct {
  char       *id;
  char       *rev;         /* (nullable) */
  GDateTime  *created_at;  /* (nullable) */
  GDateTime  *updated_at;  /* (nullable) */
  char       *title;
  gint64      price_cents;
  char       *currency;    /* ISO 4217, "CNY" */
  char       *url;         /* http or https */
  char       *image_url;   /* (nullable) */
  char       *sku;         /* (nullable) */
} CinApiProduct;

/* @id NULL makes a new random UUID. */
CinApiBoard    *cin_api_board_new              (const char    *id,
                                                const char    *name);
CinApiBoard    *cin_api_board_new_from_json    (JsonNode      *node,
                                                GError       **error);
void            cin_api_board_free             (CinApiBoard   *board);

CinApiBookmark *cin_api_bookmark_new           (const char    *id,
                                                const char    *note_id,
                                                const char    *board_id);
CinApiBookmark *cin_api_bookmark_new_from_json (JsonNode      *node,
                                                GError       **error);
void            cin_api_bookmark_free          (CinApiBookmark *bookmark);

CinApiProduct  *cin_api_product_new            (const char    *id,
                                                const char    *title,
                                                gint64         price_cents,
                                                const char    *currency,
                                                const char    *url);
CinApiProduct  *cin_api_product_new_from_json  (JsonNode      *node,
                                                GError       **error);
void            cin_api_product_free           (CinApiProduct *product);

/* GET /v1/boards: the caller's boards (CinApiBoard), oldest first, in one
 * page. */
void            cin_api_client_list_boards_async     (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiPage     *cin_api_client_list_boards_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
/* PUT /v1/boards/{id}: creates when @if_match_rev is NULL (If-None-Match:
 * *), else updates that revision; returns the board as stored. */
void            cin_api_client_put_board_async       (CinApiClient         *self,
                                                      const CinApiBoard    *board,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiBoard    *cin_api_client_put_board_finish      (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
/* GET /v1/boards/{id}: one of the caller's boards, or anyone's public one. */
void            cin_api_client_get_board_async       (CinApiClient         *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiBoard    *cin_api_client_get_board_finish      (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
/* DELETE /v1/boards/{id} at @if_match_rev; the notes in it stay. */
void            cin_api_client_delete_board_async    (CinApiClient         *self,
                                                      const char           *id,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        cin_api_client_delete_board_finish   (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* The same four for /v1/bookmarks (CinApiBookmark). */
void            cin_api_client_list_bookmarks_async  (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiPage     *cin_api_client_list_bookmarks_finish (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_put_bookmark_async    (CinApiClient         *self,
                                                      const CinApiBookmark *bookmark,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiBookmark *cin_api_client_put_bookmark_finish   (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_get_bookmark_async    (CinApiClient         *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiBookmark *cin_api_client_get_bookmark_finish   (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_delete_bookmark_async (CinApiClient         *self,
                                                      const char           *id,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        cin_api_client_delete_bookmark_finish (CinApiClient        *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* The same four for /v1/products (CinApiProduct). */
void            cin_api_client_list_products_async   (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiPage     *cin_api_client_list_products_finish  (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_put_product_async     (CinApiClient         *self,
                                                      const CinApiProduct  *product,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiProduct  *cin_api_client_put_product_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_get_product_async     (CinApiClient         *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiProduct  *cin_api_client_get_product_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);
void            cin_api_client_delete_product_async  (CinApiClient         *self,
                                                      const char           *id,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        cin_api_client_delete_product_finish (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiBoard, cin_api_board_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiBookmark, cin_api_bookmark_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiProduct, cin_api_product_free)

G_END_DECLS
