/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-notes"

#include <string.h>

#include "cin-note-json.h"
#include "cin-server-entity.h"
#include "cin-server-json.h"
#include "cin-server-notes.h"

/* Notes: decoded with the client's own codec (cin-note-json) and checked
 * with the composer's own rules (cin-rules, cin-ad-check), so a note the
 * composer shows as fine is one the server takes, and the other way round.
 *
 * The server owns a note's state, scheduled_at, rev and times: PUT changes
 * what the creator writes; publishing goes through its own routes. The
 * stored JSON adds "author" and "published_at" to the codec's members. */

const char *
cin_server_note_field_name (CinField field)
{
  switch (field)
    {
    case CIN_FIELD_TITLE:
      return "title";
    case CIN_FIELD_BODY:
      return "body";
    case CIN_FIELD_TOPICS:
      return "topics";
    case CIN_FIELD_PHOTOS:
      return "photos";
    default:
      g_return_val_if_reached ("note");
    }
}

static const char *
finding_kind_name (CinFindingKind kind)
{
  switch (kind)
    {
    case CIN_FINDING_TITLE_TOO_LONG:
      return "title-too-long";
    case CIN_FINDING_BODY_TOO_LONG:
      return "body-too-long";
    case CIN_FINDING_TYPED_TOPIC:
      return "typed-topic";
    case CIN_FINDING_TOO_MANY_TOPICS:
      return "too-many-topics";
    case CIN_FINDING_AD_ABSOLUTE_CLAIM:
      return "ad-absolute-claim";
    case CIN_FINDING_AD_EXTERNAL_LINK:
      return "ad-external-link";
    case CIN_FINDING_AD_QR_HINT:
      return "ad-qr-hint";
    case CIN_FINDING_TOO_FEW_PHOTOS:
      return "too-few-photos";
    case CIN_FINDING_TOO_MANY_PHOTOS:
      return "too-many-photos";
    case CIN_FINDING_PHOTO_SMALL:
      return "photo-small";
    case CIN_FINDING_COVER_SHAPE:
      return "cover-shape";
    case CIN_FINDING_PHOTO_NO_ALT_TEXT:
      return "photo-no-alt-text";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/* The smallest note the codec takes, plus @name: @value. */
static gboolean
member_decodes (const char *id,
                const char *name,
                JsonNode   *value)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(CinNote) note = NULL;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "kind", "photo");
  json_object_set_string_member (object, "created_at", "2025-01-01T00:00:00.000000Z");
  json_object_set_string_member (object, "updated_at", "2025-01-01T00:00:00.000000Z");
  json_object_set_member (object, name, json_node_copy (value));
  json_node_set_object (node, object);
  note = cin_note_from_json (node, NULL);
  return note != NULL;
}

/* The codec says what is wrong in words; a client needs the member's
 * name, so each member is tried alone to find the one it refused. */
static const char *
find_refused_member (JsonObject *object,
                     const char *id)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (!member_decodes (id, name, value))
      return name;
  return NULL;
}

static char *
note_search_text (CinNote *note)
{
  g_autofree char *topics = g_strjoinv (" ", (char **)cin_note_get_topics (note));

  return g_strjoin ("\n", cin_note_get_title (note) ? cin_note_get_title (note) : "",
                    cin_note_get_body (note) ? cin_note_get_body (note) : "",
                    topics ? topics : "", NULL);
}

/* Answers 422 with every error-level finding, when there is one. */
static gboolean
check_rules (CinRequest *request,
             CinNote    *note)
{
  CinServer *server = request->server;
  g_autoptr(GPtrArray) findings = cin_rules_check_note (server->rules, server->ad_check, note);
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  const CinFinding *first = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      const CinFinding *finding = g_ptr_array_index (findings, i);
      g_autoptr(JsonObject) error = NULL;

      if (finding->severity != CIN_SEVERITY_ERROR)
        continue;
      if (first == NULL)
        first = finding;
      error = json_object_new ();
      json_object_set_string_member (error, "field", cin_server_note_field_name (finding->field));
      json_object_set_string_member (error, "kind", finding_kind_name (finding->kind));
      json_object_set_string_member (error, "message", finding->message);
      json_object_set_int_member (error, "start", finding->start);
      json_object_set_int_member (error, "end", finding->end);
      json_array_add_object_element (errors, g_steal_pointer (&error));
    }

  if (first == NULL)
    return TRUE;

  json_object_set_array_member (extra, "errors", g_steal_pointer (&errors));
  cin_request_problem_with (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "rule-violation",
                            cin_server_note_field_name (first->field), extra, first->message);
  return FALSE;
}

char *
cin_server_account_handle (CinServer *server,
                           gint64     account_id)
{
  CinStorage *storage = server->storage;
  g_autoptr(CinAccount) account = storage->ops->account_get (storage, account_id, NULL);

  return account != NULL ? g_strdup (account->handle) : g_strdup ("");
}

void
cin_server_note_store (CinServer *server,
                       CinNote   *note,
                       CinEntity *entity)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *author = cin_server_account_handle (server, entity->account_id);
  g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, entity->rev);
  JsonObject *object;
  CinNoteState state = cin_note_get_state (note);

  cin_note_set_rev (note, rev);
  cin_note_set_created_at (note, entity->created_at);
  cin_note_set_updated_at (note, entity->updated_at);
  if (state != CIN_NOTE_STATE_PUBLISHED)
    entity->published_at = 0;
  entity->publish_due_at = state == CIN_NOTE_STATE_SCHEDULED ? cin_note_get_scheduled_at (note) : 0;
  entity->listed = state == CIN_NOTE_STATE_PUBLISHED &&
                   cin_note_get_visibility (note) == CIN_VISIBILITY_PUBLIC;
  g_free (entity->search_text);
  entity->search_text = note_search_text (note);

  node = cin_note_to_json (note);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "author", author);
  if (entity->published_at != 0)
    {
      g_autofree char *published = cin_format_time (entity->published_at);

      json_object_set_string_member (object, "published_at", published);
    }
  else
    json_object_set_null_member (object, "published_at");

  g_free (entity->json);
  entity->json = cin_server_json_to_string (node);
}

CinNote *
cin_server_note_from_entity (const CinEntity *entity)
{
  return cin_note_from_json_string (entity->json, NULL);
}

static gboolean
prepare_note (CinRequest      *request,
              const CinEntity *existing,
              CinEntity       *entity)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(CinNote) note = NULL;
  g_autoptr(CinNote) before = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonNode *id;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (request->body))
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-note", NULL,
                           "The body must be a note, a JSON object.");
      return FALSE;
    }
  body = json_node_get_object (request->body);

  id = json_object_get_member (body, "id");
  if (id != NULL && (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
                     strcmp (json_node_get_string (id), entity->id) != 0))
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-note", "id",
                           "“id” must be the id in the path, or left out.");
      return FALSE;
    }

  /* The members the server owns are not the client's to get wrong. */
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (object, name, json_node_copy (value));
  json_object_set_string_member (object, "id", entity->id);
  json_object_set_string_member (object, "created_at", "2025-01-01T00:00:00.000000Z");
  json_object_set_string_member (object, "updated_at", "2025-01-01T00:00:00.000000Z");
  json_object_remove_member (object, "state");
  json_object_remove_member (object, "scheduled_at");
  json_object_remove_member (object, "rev");
  json_node_set_object (node, g_steal_pointer (&object));

  note = cin_note_from_json (node, &error);
  if (note == NULL)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-note",
                           find_refused_member (json_node_get_object (node), entity->id),
                           "%s", error->message);
      return FALSE;
    }

  if (existing != NULL && (before = cin_server_note_from_entity (existing)) != NULL)
    {
      cin_note_set_state (note, cin_note_get_state (before));
      cin_note_set_scheduled_at (note, cin_note_get_scheduled_at (before));
      entity->published_at = existing->published_at;
    }

  if (!check_rules (request, note))
    return FALSE;

  cin_server_note_store (request->server, note, entity);
  return TRUE;
}

const CinEntityType cin_server_note_type = {
  .kind = "note",
  .collection = "/v1/notes/",
  .prepare = prepare_note,
};

void
_cin_route_note_put (CinRequest *request)
{
  cin_entity_route_put (request, &cin_server_note_type);
}

void
_cin_route_note_get (CinRequest *request)
{
  cin_entity_route_get (request, &cin_server_note_type);
}

void
_cin_route_note_delete (CinRequest *request)
{
  cin_entity_route_delete (request, &cin_server_note_type);
}

void
_cin_route_notes_list (CinRequest *request)
{
  cin_entity_route_list (request, &cin_server_note_type);
}
