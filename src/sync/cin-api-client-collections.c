/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-private.h"
#include "cin-note-json.h"

/* Boards, bookmarks and products share their four routes; what differs
 * is the collection's path and how an entity reads and writes. */

typedef struct {
  const char       *collection;  /* "/v1/boards" */
  CinApiDecodeFunc  decode;
  CinApiDecodeFunc  decode_page;
  GDestroyNotify    free;
} Kind;

/* id, rev, created_at and updated_at, which every entity has. */
static gboolean
read_common (JsonObject  *object,
             const char  *what,
             char       **out_id,
             char       **out_rev,
             GDateTime  **out_created_at,
             GDateTime  **out_updated_at,
             GError     **error)
{
  const char *id = _cin_api_json_get_string (object, "id");
  const char *rev = _cin_api_json_get_string (object, "rev");
  g_autoptr(GDateTime) created_at = _cin_api_json_dup_time (object, "created_at");
  g_autoptr(GDateTime) updated_at = _cin_api_json_dup_time (object, "updated_at");

  if (id == NULL || rev == NULL || created_at == NULL || updated_at == NULL)
    {
      g_autofree char *why = g_strdup_printf ("not a %s", what);

      g_propagate_error (error, _cin_api_error_invalid_response (why));
      return FALSE;
    }
  *out_id = g_strdup (id);
  *out_rev = g_strdup (rev);
  *out_created_at = g_steal_pointer (&created_at);
  *out_updated_at = g_steal_pointer (&updated_at);
  return TRUE;
}

static void
clear_common (char      **id,
              char      **rev,
              GDateTime **created_at,
              GDateTime **updated_at)
{
  g_clear_pointer (id, g_free);
  g_clear_pointer (rev, g_free);
  g_clear_pointer (created_at, g_date_time_unref);
  g_clear_pointer (updated_at, g_date_time_unref);
}

static JsonObject *
entity_object (JsonNode    *node,
               const char  *what,
               GError     **error)
{
  g_autofree char *why = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  why = g_strdup_printf ("a %s that is not an object", what);
  g_propagate_error (error, _cin_api_error_invalid_response (why));
  return NULL;
}

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* Boards */

CinApiBoard *
cin_api_board_new (const char *id,
                   const char *name)
{
  CinApiBoard *board;

  g_return_val_if_fail (name != NULL, NULL);

  board = g_new0 (CinApiBoard, 1);
  board->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  board->name = g_strdup (name);
  board->note_ids = g_new0 (char *, 1);
  return board;
}

void
cin_api_board_free (CinApiBoard *board)
{
  if (board == NULL)
    return;
  clear_common (&board->id, &board->rev, &board->created_at, &board->updated_at);
  g_free (board->name);
  g_strfreev (board->note_ids);
  g_free (board);
}

CinApiBoard *
cin_api_board_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(CinApiBoard) board = g_new0 (CinApiBoard, 1);
  g_autoptr(GStrvBuilder) note_ids = g_strv_builder_new ();
  JsonObject *object = entity_object (node, "board", error);
  const char *name, *visibility;
  JsonNode *notes;

  if (object == NULL ||
      !read_common (object, "board", &board->id, &board->rev, &board->created_at, &board->updated_at, error))
    return NULL;
  name = _cin_api_json_get_string (object, "name");
  visibility = _cin_api_json_get_string (object, "visibility");
  notes = json_object_get_member (object, "note_ids");
  if (name == NULL || visibility == NULL || notes == NULL || !JSON_NODE_HOLDS_ARRAY (notes))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a board"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (notes)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (notes), i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_propagate_error (error, _cin_api_error_invalid_response ("a board's note id that is not text"));
          return NULL;
        }
      g_strv_builder_add (note_ids, json_node_get_string (element));
    }
  board->name = g_strdup (name);
  board->is_public = g_strcmp0 (visibility, "public") == 0;
  board->note_ids = g_strv_builder_end (note_ids);
  return g_steal_pointer (&board);
}

static char *
board_to_json (const CinApiBoard *board)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) note_ids = json_array_new ();

  for (guint i = 0; board->note_ids != NULL && board->note_ids[i] != NULL; i++)
    json_array_add_string_element (note_ids, board->note_ids[i]);
  json_object_set_string_member (object, "id", board->id);
  json_object_set_string_member (object, "name", board->name);
  json_object_set_string_member (object, "visibility", board->is_public ? "public" : "private");
  json_object_set_array_member (object, "note_ids", g_steal_pointer (&note_ids));
  return object_to_string (object);
}

/* Bookmarks */

CinApiBookmark *
cin_api_bookmark_new (const char *id,
                      const char *note_id,
                      const char *board_id)
{
  CinApiBookmark *bookmark;

  g_return_val_if_fail (note_id != NULL, NULL);

  bookmark = g_new0 (CinApiBookmark, 1);
  bookmark->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  bookmark->note_id = g_strdup (note_id);
  bookmark->board_id = g_strdup (board_id);
  return bookmark;
}

void
cin_api_bookmark_free (CinApiBookmark *bookmark)
{
  if (bookmark == NULL)
    return;
  clear_common (&bookmark->id, &bookmark->rev, &bookmark->created_at, &bookmark->updated_at);
  g_free (bookmark->note_id);
  g_free (bookmark->board_id);
  g_clear_object (&bookmark->note);
  g_free (bookmark);
}

CinApiBookmark *
cin_api_bookmark_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(CinApiBookmark) bookmark = g_new0 (CinApiBookmark, 1);
  JsonObject *object = entity_object (node, "bookmark", error);
  JsonNode *board_id;
  const char *note_id;

  if (object == NULL ||
      !read_common (object, "bookmark", &bookmark->id, &bookmark->rev, &bookmark->created_at, &bookmark->updated_at, error))
    return NULL;
  note_id = _cin_api_json_get_string (object, "note_id");
  board_id = json_object_get_member (object, "board_id");
  if (note_id == NULL || board_id == NULL ||
      (!JSON_NODE_HOLDS_NULL (board_id) && _cin_api_json_get_string (object, "board_id") == NULL))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a bookmark"));
      return NULL;
    }
  bookmark->note = _cin_api_decode_note (json_object_get_member (object, "note"), error);
  if (bookmark->note == NULL)
    return NULL;
  bookmark->note_id = g_strdup (note_id);
  bookmark->board_id = g_strdup (_cin_api_json_get_string (object, "board_id"));
  return g_steal_pointer (&bookmark);
}

static char *
bookmark_to_json (const CinApiBookmark *bookmark)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "id", bookmark->id);
  json_object_set_string_member (object, "note_id", bookmark->note_id);
  set_nullable_string (object, "board_id", bookmark->board_id);
  return object_to_string (object);
}

/* Products */

CinApiProduct *
cin_api_product_new (const char *id,
                     const char *title,
                     gint64      price_cents,
                     const char *currency,
                     const char *url)
{
  CinApiProduct *product;

  g_return_val_if_fail (title != NULL && currency != NULL && url != NULL, NULL);

  product = g_new0 (CinApiProduct, 1);
  product->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  product->title = g_strdup (title);
  product->price_cents = price_cents;
  product->currency = g_strdup (currency);
  product->url = g_strdup (url);
  return product;
}

void
cin_api_product_free (CinApiProduct *product)
{
  if (product == NULL)
    return;
  clear_common (&product->id, &product->rev, &product->created_at, &product->updated_at);
  g_free (product->title);
  g_free (product->currency);
  g_free (product->url);
  g_free (product->image_url);
  g_free (product->sku);
  g_free (product);
}

static gboolean
is_nullable_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && (JSON_NODE_HOLDS_NULL (node) || _cin_api_json_get_string (object, member) != NULL);
}

CinApiProduct *
cin_api_product_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(CinApiProduct) product = g_new0 (CinApiProduct, 1);
  JsonObject *object = entity_object (node, "product", error);
  const char *title, *currency, *url;

  if (object == NULL ||
      !read_common (object, "product", &product->id, &product->rev, &product->created_at, &product->updated_at, error))
    return NULL;
  title = _cin_api_json_get_string (object, "title");
  currency = _cin_api_json_get_string (object, "currency");
  url = _cin_api_json_get_string (object, "url");
  if (title == NULL || currency == NULL || url == NULL ||
      !_cin_api_json_get_int (object, "price_cents", &product->price_cents) ||
      !is_nullable_string (object, "image_url") || !is_nullable_string (object, "sku"))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a product"));
      return NULL;
    }
  product->title = g_strdup (title);
  product->currency = g_strdup (currency);
  product->url = g_strdup (url);
  product->image_url = g_strdup (_cin_api_json_get_string (object, "image_url"));
  product->sku = g_strdup (_cin_api_json_get_string (object, "sku"));
  return g_steal_pointer (&product);
}

static char *
product_to_json (const CinApiProduct *product)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "id", product->id);
  json_object_set_string_member (object, "title", product->title);
  json_object_set_int_member (object, "price_cents", product->price_cents);
  json_object_set_string_member (object, "currency", product->currency);
  json_object_set_string_member (object, "url", product->url);
  set_nullable_string (object, "image_url", product->image_url);
  set_nullable_string (object, "sku", product->sku);
  return object_to_string (object);
}

/* The routes */

static CinApiPage *
decode_board_page (JsonNode  *root,
                   GError   **error)
{
  return _cin_api_decode_page (root, (CinApiDecodeFunc)cin_api_board_new_from_json,
                               (GDestroyNotify)cin_api_board_free, error);
}

static CinApiPage *
decode_bookmark_page (JsonNode  *root,
                      GError   **error)
{
  return _cin_api_decode_page (root, (CinApiDecodeFunc)cin_api_bookmark_new_from_json,
                               (GDestroyNotify)cin_api_bookmark_free, error);
}

static CinApiPage *
decode_product_page (JsonNode  *root,
                     GError   **error)
{
  return _cin_api_decode_page (root, (CinApiDecodeFunc)cin_api_product_new_from_json,
                               (GDestroyNotify)cin_api_product_free, error);
}

static const Kind boards = {
  "/v1/boards",
  (CinApiDecodeFunc)cin_api_board_new_from_json,
  (CinApiDecodeFunc)decode_board_page,
  (GDestroyNotify)cin_api_board_free,
};

static const Kind bookmarks = {
  "/v1/bookmarks",
  (CinApiDecodeFunc)cin_api_bookmark_new_from_json,
  (CinApiDecodeFunc)decode_bookmark_page,
  (GDestroyNotify)cin_api_bookmark_free,
};

static const Kind products = {
  "/v1/products",
  (CinApiDecodeFunc)cin_api_product_new_from_json,
  (CinApiDecodeFunc)decode_product_page,
  (GDestroyNotify)cin_api_product_free,
};

static char *
entity_path (const Kind *kind,
             const char *id)
{
  g_autofree char *escaped = _cin_api_escape_segment (id);

  return g_strdup_printf ("%s/%s", kind->collection, escaped);
}

static void
list_entities (CinApiClient *self,
               const Kind   *kind,
               GTask        *task)
{
  g_autoptr(SoupMessage) msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, kind->collection);

  _cin_api_client_send_json (self, task, msg, kind->decode_page, (GDestroyNotify)cin_api_page_free);
}

/* Takes @json. */
static void
put_entity (CinApiClient *self,
            const Kind   *kind,
            const char   *id,
            char         *json,
            const char   *if_match_rev,
            const char   *idempotency_key,
            GTask        *task)
{
  g_autofree char *path = entity_path (kind, id);
  g_autoptr(SoupMessage) msg = _cin_api_client_new_message (self, SOUP_METHOD_PUT, path);

  _cin_api_set_change_headers (msg, if_match_rev, idempotency_key);
  _cin_api_set_json_body (msg, json);
  _cin_api_client_send_json (self, task, msg, kind->decode, kind->free);
}

static void
get_entity (CinApiClient *self,
            const Kind   *kind,
            const char   *id,
            GTask        *task)
{
  g_autofree char *path = entity_path (kind, id);
  g_autoptr(SoupMessage) msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path);

  _cin_api_client_send_json (self, task, msg, kind->decode, kind->free);
}

static void
delete_entity (CinApiClient *self,
               const Kind   *kind,
               const char   *id,
               const char   *if_match_rev,
               const char   *idempotency_key,
               GTask        *task)
{
  g_autofree char *path = entity_path (kind, id);
  g_autoptr(SoupMessage) msg = _cin_api_client_new_message (self, SOUP_METHOD_DELETE, path);

  _cin_api_set_change_headers (msg, if_match_rev, idempotency_key);
  _cin_api_client_send_call (self, task, msg, CIN_API_ANSWER_NOTHING);
}

/* The public calls of one kind: argument checks around the shared
 * routes, each with its own source tag. */
#define DEFINE_ROUTES(Type, name, names, kind, to_json)                                            \
void                                                                                               \
cin_api_client_list_##names##_async (CinApiClient        *self,                                    \
                                     GCancellable        *cancellable,                             \
                                     GAsyncReadyCallback  callback,                                \
                                     gpointer             user_data)                               \
{                                                                                                  \
  g_return_if_fail (CIN_IS_API_CLIENT (self));                                                     \
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));                        \
                                                                                                   \
  list_entities (self, &kind, _cin_api_client_new_task (self, cin_api_client_list_##names##_async, \
                                                        cancellable, callback, user_data));        \
}                                                                                                  \
                                                                                                   \
CinApiPage *                                                                                       \
cin_api_client_list_##names##_finish (CinApiClient   *self,                                        \
                                      GAsyncResult   *result,                                      \
                                      CinApiFailure **failure,                                     \
                                      GError        **error)                                       \
{                                                                                                  \
  return _cin_api_client_finish_pointer (self, result, cin_api_client_list_##names##_async,        \
                                         failure, error);                                          \
}                                                                                                  \
                                                                                                   \
void                                                                                               \
cin_api_client_put_##name##_async (CinApiClient        *self,                                      \
                                   const Type          *entity,                                    \
                                   const char          *if_match_rev,                              \
                                   const char          *idempotency_key,                           \
                                   GCancellable        *cancellable,                               \
                                   GAsyncReadyCallback  callback,                                  \
                                   gpointer             user_data)                                 \
{                                                                                                  \
  g_return_if_fail (CIN_IS_API_CLIENT (self));                                                     \
  g_return_if_fail (entity != NULL && entity->id != NULL);                                         \
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');                          \
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));                        \
                                                                                                   \
  put_entity (self, &kind, entity->id, to_json (entity), if_match_rev, idempotency_key,            \
              _cin_api_client_new_task (self, cin_api_client_put_##name##_async, cancellable,     \
                                        callback, user_data));                                     \
}                                                                                                  \
                                                                                                   \
Type *                                                                                             \
cin_api_client_put_##name##_finish (CinApiClient   *self,                                          \
                                    GAsyncResult   *result,                                        \
                                    CinApiFailure **failure,                                       \
                                    GError        **error)                                         \
{                                                                                                  \
  return _cin_api_client_finish_pointer (self, result, cin_api_client_put_##name##_async,          \
                                         failure, error);                                          \
}                                                                                                  \
                                                                                                   \
void                                                                                               \
cin_api_client_get_##name##_async (CinApiClient        *self,                                      \
                                   const char          *id,                                        \
                                   GCancellable        *cancellable,                               \
                                   GAsyncReadyCallback  callback,                                  \
                                   gpointer             user_data)                                 \
{                                                                                                  \
  g_return_if_fail (CIN_IS_API_CLIENT (self));                                                     \
  g_return_if_fail (id != NULL);                                                                   \
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));                        \
                                                                                                   \
  get_entity (self, &kind, id,                                                                     \
              _cin_api_client_new_task (self, cin_api_client_get_##name##_async, cancellable,     \
                                        callback, user_data));                                     \
}                                                                                                  \
                                                                                                   \
Type *                                                                                             \
cin_api_client_get_##name##_finish (CinApiClient   *self,                                          \
                                    GAsyncResult   *result,                                        \
                                    CinApiFailure **failure,                                       \
                                    GError        **error)                                         \
{                                                                                                  \
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_##name##_async,          \
                                         failure, error);                                          \
}                                                                                                  \
                                                                                                   \
void                                                                                               \
cin_api_client_delete_##name##_async (CinApiClient        *self,                                   \
                                      const char          *id,                                     \
                                      const char          *if_match_rev,                           \
                                      const char          *idempotency_key,                        \
                                      GCancellable        *cancellable,                            \
                                      GAsyncReadyCallback  callback,                               \
                                      gpointer             user_data)                              \
{                                                                                                  \
  g_return_if_fail (CIN_IS_API_CLIENT (self));                                                     \
  g_return_if_fail (id != NULL);                                                                   \
  g_return_if_fail (if_match_rev != NULL);                                                         \
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');                          \
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));                        \
                                                                                                   \
  delete_entity (self, &kind, id, if_match_rev, idempotency_key,                                   \
                 _cin_api_client_new_task (self, cin_api_client_delete_##name##_async,            \
                                           cancellable, callback, user_data));                     \
}                                                                                                  \
                                                                                                   \
gboolean                                                                                           \
cin_api_client_delete_##name##_finish (CinApiClient   *self,                                       \
                                       GAsyncResult   *result,                                     \
                                       CinApiFailure **failure,                                    \
                                       GError        **error)                                      \
{                                                                                                  \
  return _cin_api_client_finish_boolean (self, result, cin_api_client_delete_##name##_async,       \
                                         failure, error);                                          \
}

DEFINE_ROUTES (CinApiBoard, board, boards, boards, board_to_json)
DEFINE_ROUTES (CinApiBookmark, bookmark, bookmarks, bookmarks, bookmark_to_json)
DEFINE_ROUTES (CinApiProduct, product, products, products, product_to_json)
