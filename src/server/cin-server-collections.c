/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-collections"

#include <string.h>

#include "cin-server-entity.h"
#include "cin-server-json.h"
#include "cin-text.h"

/* Boards, bookmarks and products: plain entities, each checked here
 * against PLATFORM.md's limits and stored as the JSON GET answers.
 *
 *   board     { name (rules: board_name.max characters), visibility
 *               "public" | "private", note_ids [UUID, …] in order }
 *   bookmark  { note_id, board_id | null, note: the note as it was when
 *               collected, so it shows offline }
 *   product   { title, price_cents, currency "CNY", url, image_url | null,
 *               sku | null }
 *
 * Deleting a board never touches the notes in it. A public board is
 * readable by anyone; bookmarks and products only by their owner. */

#define BOARD_MAX_NOTES 1000
#define PRODUCT_TITLE_MAX 60
#define PRODUCT_SKU_MAX 64
#define URL_MAX 2048
#define PRICE_CENTS_MAX G_GINT64_CONSTANT (100000000000)

/* Reading members: each answers 422 naming the member when it is wrong. */

static JsonObject *
body_object (CinRequest *request,
             const char *what)
{
  if (JSON_NODE_HOLDS_OBJECT (request->body))
    return json_node_get_object (request->body);
  cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", NULL,
                       "The body must be a %s, a JSON object.", what);
  return NULL;
}

static gboolean
invalid (CinRequest *request,
         const char *member,
         const char *detail)
{
  cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", member, "%s", detail);
  return FALSE;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A string of 1 to @max characters (graphemes); NULL allowed when
 * @nullable (and *@value left NULL). */
static gboolean
read_text (CinRequest  *request,
           JsonObject  *object,
           const char  *member,
           guint        max,
           gboolean     nullable,
           const char **value)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *detail = NULL;
  guint count;

  *value = NULL;
  if (nullable && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  if (!is_string (node) ||
      !cin_text_count (json_node_get_string (node), -1, CIN_COUNT_GRAPHEMES, &count, NULL) ||
      count == 0 || count > max)
    {
      detail = g_strdup_printf ("“%s” must be text of 1 to %u characters.", member, max);
      return invalid (request, member, detail);
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_url (CinRequest  *request,
          JsonObject  *object,
          const char  *member,
          gboolean     nullable,
          const char **value)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (!read_text (request, object, member, URL_MAX, nullable, value))
    return FALSE;
  if (*value == NULL)
    return TRUE;
  uri = g_uri_parse (*value, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    return invalid (request, member, "Give an http or https address.");
  return TRUE;
}

static void
set_common_members (JsonObject      *object,
                    const CinEntity *entity)
{
  g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, entity->rev);
  g_autofree char *created = cin_format_time (entity->created_at);
  g_autofree char *updated = cin_format_time (entity->updated_at);

  json_object_set_string_member (object, "id", entity->id);
  json_object_set_string_member (object, "rev", rev);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "updated_at", updated);
}

static void
store_object (CinEntity  *entity,
              JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  set_common_members (object, entity);
  json_node_set_object (node, object);
  g_free (entity->json);
  entity->json = cin_server_json_to_string (node);
}

static gboolean
check_body_id (CinRequest *request,
               JsonObject *body,
               CinEntity  *entity)
{
  JsonNode *id = json_object_get_member (body, "id");

  if (id == NULL || (is_string (id) && strcmp (json_node_get_string (id), entity->id) == 0))
    return TRUE;
  return invalid (request, "id", "“id” must be the id in the path, or left out.");
}

/* Boards */

static gboolean
prepare_board (CinRequest      *request,
               const CinEntity *existing,
               CinEntity       *entity)
{
  g_autoptr(JsonObject) stored = json_object_new ();
  g_autoptr(JsonArray) note_ids = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *body = body_object (request, "board");
  JsonNode *visibility, *notes;
  const char *name;
  gboolean public = FALSE;

  if (body == NULL || !check_body_id (request, body, entity) ||
      !read_text (request, body, "name", cin_rules_get_board_name_max (request->server->rules), FALSE, &name))
    return FALSE;

  visibility = json_object_get_member (body, "visibility");
  if (visibility != NULL)
    {
      if (!is_string (visibility) ||
          (strcmp (json_node_get_string (visibility), "public") != 0 &&
           strcmp (json_node_get_string (visibility), "private") != 0))
        return invalid (request, "visibility", "“visibility” is “public” or “private”.");
      public = strcmp (json_node_get_string (visibility), "public") == 0;
    }

  notes = json_object_get_member (body, "note_ids");
  if (notes != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (notes) ? json_node_get_array (notes) : NULL;

      if (array == NULL || json_array_get_length (array) > BOARD_MAX_NOTES)
        return invalid (request, "note_ids", "“note_ids” must be an array of at most 1000 note ids.");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!is_string (element) || !g_uuid_string_is_valid (json_node_get_string (element)) ||
              !g_hash_table_add (seen, (gpointer)json_node_get_string (element)))
            return invalid (request, "note_ids", "“note_ids” must hold note ids (UUIDs), each once.");
          json_array_add_string_element (note_ids, json_node_get_string (element));
        }
    }

  json_object_set_string_member (stored, "name", name);
  json_object_set_string_member (stored, "visibility", public ? "public" : "private");
  json_object_set_array_member (stored, "note_ids", g_steal_pointer (&note_ids));
  entity->listed = public;
  store_object (entity, stored);
  return TRUE;
}

static const CinEntityType board_type = {
  .kind = "board",
  .collection = "/v1/boards/",
  .prepare = prepare_board,
};

/* Bookmarks */

/* The note a bookmark points at, when the caller may read it. */
static CinEntity *
readable_note (CinRequest *request,
               const char *note_id)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(CinEntity) note = storage->ops->entity_get (storage, "note", note_id, NULL);

  if (note == NULL || note->deleted || (note->account_id != request->account_id && !note->listed))
    return NULL;
  return g_steal_pointer (&note);
}

static gboolean
prepare_bookmark (CinRequest      *request,
                  const CinEntity *existing,
                  CinEntity       *entity)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(JsonObject) stored = json_object_new ();
  g_autoptr(CinEntity) note = NULL;
  JsonObject *body = body_object (request, "bookmark");
  JsonNode *note_id, *board_id;

  if (body == NULL || !check_body_id (request, body, entity))
    return FALSE;

  note_id = json_object_get_member (body, "note_id");
  if (!is_string (note_id) || !g_uuid_string_is_valid (json_node_get_string (note_id)) ||
      (note = readable_note (request, json_node_get_string (note_id))) == NULL)
    return invalid (request, "note_id", "“note_id” must name a note you can read.");

  board_id = json_object_get_member (body, "board_id");
  if (board_id != NULL && !JSON_NODE_HOLDS_NULL (board_id))
    {
      g_autoptr(CinEntity) board = NULL;

      if (is_string (board_id) && g_uuid_string_is_valid (json_node_get_string (board_id)))
        board = storage->ops->entity_get (storage, "board", json_node_get_string (board_id), NULL);
      if (board == NULL || board->deleted || board->account_id != request->account_id)
        return invalid (request, "board_id", "“board_id” must name one of your boards, or be null.");
      json_object_set_string_member (stored, "board_id", board->id);
    }
  else
    json_object_set_null_member (stored, "board_id");

  json_object_set_string_member (stored, "note_id", note->id);
  json_object_set_member (stored, "note", cin_entity_to_json (note));
  store_object (entity, stored);
  return TRUE;
}

static const CinEntityType bookmark_type = {
  .kind = "bookmark",
  .collection = "/v1/bookmarks/",
  .prepare = prepare_bookmark,
};

/* Products */

static gboolean
prepare_product (CinRequest      *request,
                 const CinEntity *existing,
                 CinEntity       *entity)
{
  g_autoptr(JsonObject) stored = json_object_new ();
  JsonObject *body = body_object (request, "product");
  JsonNode *price, *currency;
  const char *title, *url, *image_url, *sku;
  const char *code;

  if (body == NULL || !check_body_id (request, body, entity) ||
      !read_text (request, body, "title", PRODUCT_TITLE_MAX, FALSE, &title))
    return FALSE;

  price = json_object_get_member (body, "price_cents");
  if (price == NULL || !JSON_NODE_HOLDS_VALUE (price) || json_node_get_value_type (price) != G_TYPE_INT64 ||
      json_node_get_int (price) < 0 || json_node_get_int (price) > PRICE_CENTS_MAX)
    return invalid (request, "price_cents", "“price_cents” must be a whole number of cents, 0 or more.");

  currency = json_object_get_member (body, "currency");
  code = is_string (currency) ? json_node_get_string (currency) : "";
  if (strlen (code) != 3 || !g_ascii_isupper (code[0]) || !g_ascii_isupper (code[1]) ||
      !g_ascii_isupper (code[2]))
    return invalid (request, "currency", "“currency” must be an ISO 4217 code such as “CNY”.");

  if (!read_url (request, body, "url", FALSE, &url) ||
      !read_url (request, body, "image_url", TRUE, &image_url) ||
      !read_text (request, body, "sku", PRODUCT_SKU_MAX, TRUE, &sku))
    return FALSE;

  json_object_set_string_member (stored, "title", title);
  json_object_set_int_member (stored, "price_cents", json_node_get_int (price));
  json_object_set_string_member (stored, "currency", code);
  json_object_set_string_member (stored, "url", url);
  if (image_url != NULL)
    json_object_set_string_member (stored, "image_url", image_url);
  else
    json_object_set_null_member (stored, "image_url");
  if (sku != NULL)
    json_object_set_string_member (stored, "sku", sku);
  else
    json_object_set_null_member (stored, "sku");
  store_object (entity, stored);
  return TRUE;
}

static const CinEntityType product_type = {
  .kind = "product",
  .collection = "/v1/products/",
  .prepare = prepare_product,
};

#define DEFINE_ROUTES(name, type) \
  void _cin_route_##name##_put (CinRequest *request) { cin_entity_route_put (request, &type); } \
  void _cin_route_##name##_get (CinRequest *request) { cin_entity_route_get (request, &type); } \
  void _cin_route_##name##_delete (CinRequest *request) { cin_entity_route_delete (request, &type); } \
  void _cin_route_##name##_list (CinRequest *request) { cin_entity_route_list (request, &type); }

DEFINE_ROUTES (board, board_type)
DEFINE_ROUTES (bookmark, bookmark_type)
DEFINE_ROUTES (product, product_type)
