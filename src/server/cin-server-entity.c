/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-entity"

#include <string.h>

#include "cin-server-entity.h"
#include "cin-server-json.h"

char *
cin_format_time (gint64 unix_usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = g_date_time_add (seconds, unix_usec % G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

gboolean
cin_parse_time (const char *text,
                gint64     *unix_usec)
{
  g_autoptr(GDateTime) time = NULL;

  /* ISO 8601 as GLib reads it, but only with an explicit zone: a time
   * without one means nothing on a server. */
  if (text == NULL || strlen (text) < 20 ||
      !(g_str_has_suffix (text, "Z") || text[strlen (text) - 6] == '+' || text[strlen (text) - 6] == '-'))
    return FALSE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return FALSE;
  *unix_usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

char *
cin_entity_etag (const CinEntity *entity)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", entity->rev);
}

void
cin_entity_append_json (GString         *out,
                        const CinEntity *entity)
{
  if (entity->json != NULL)
    cin_server_json_append_len (out, entity->json, strlen (entity->json));
  else
    cin_server_json_append_literal (out, "null");
}

static void
respond_with_entity (CinRequest      *request,
                     guint            status,
                     const CinEntity *entity)
{
  GString *text = g_string_sized_new (entity->json != NULL ? strlen (entity->json) + 1 : 8);

  cin_entity_append_json (text, entity);
  cin_request_respond_json_text (request, status, text);
}

JsonNode *
cin_entity_to_json (const CinEntity *entity)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (entity->json == NULL || !json_parser_load_from_data (parser, entity->json, -1, NULL))
    return json_node_new (JSON_NODE_NULL);
  return json_node_ref (json_parser_get_root (parser));
}

/* Whether an If-Match or If-None-Match list names @etag ("*" names any). */
static gboolean
etag_list_matches (const char *list,
                   const char *etag,
                   gboolean    weak)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (strcmp (item, "*") == 0)
        return TRUE;
      if (weak && g_str_has_prefix (item, "W/"))
        item += 2;
      if (etag != NULL && strcmp (item, etag) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_id (CinRequest *request,
          const char *id)
{
  if (g_uuid_string_is_valid (id))
    return TRUE;
  cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-id", "id",
                       "“%s” is not a UUID; entities are named by a UUID the client makes.", id);
  return FALSE;
}

static void
answer_not_found (CinRequest          *request,
                  const CinEntityType *type)
{
  cin_request_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL,
                       "There is no %s with this id.", type->kind);
}

static void
answer_stale (CinRequest      *request,
              const CinEntity *current)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *etag = cin_entity_etag (current);

  json_object_set_member (extra, "current", cin_entity_to_json (current));
  g_free (request->etag);
  request->etag = g_steal_pointer (&etag);
  cin_request_problem_with (request, SOUP_STATUS_PRECONDITION_FAILED, "stale", "If-Match", extra,
                            "The entity changed since the revision you sent. Merge your "
                            "change into “current” and send it with its ETag.");
}

/* Reads the entity of the path, with NULL for none (or on error, after
 * answering). A live entity of someone else's answers here too: 403 when
 * it is listed (anyone may read it, so it can't be hidden), 404 when
 * private. */
static gboolean
load (CinRequest          *request,
      const CinEntityType *type,
      CinEntity          **entity)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;

  *entity = storage->ops->entity_get (storage, type->kind, cin_request_param (request, 0), &error);
  if (*entity == NULL && !g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND))
    {
      cin_request_internal_error (request, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_foreign (CinRequest      *request,
            const CinEntity *entity)
{
  return entity != NULL && entity->account_id != request->account_id;
}

static void
answer_foreign (CinRequest          *request,
                const CinEntityType *type,
                const CinEntity     *entity)
{
  if (entity->listed)
    cin_request_problem (request, SOUP_STATUS_FORBIDDEN, "forbidden", NULL,
                         "This %s belongs to another account; you may read it, not change it.",
                         type->kind);
  else
    answer_not_found (request, type);
}

CinEntity *
cin_entity_load_for_change (CinRequest          *request,
                            const CinEntityType *type)
{
  g_autoptr(CinEntity) entity = NULL;
  g_autofree char *etag = NULL;
  const char *if_match = cin_request_header (request, "If-Match");

  if (!check_id (request, cin_request_param (request, 0)))
    return NULL;
  if (if_match == NULL)
    {
      cin_request_problem (request, CIN_STATUS_PRECONDITION_REQUIRED, "precondition-required",
                           "If-Match",
                           "Send If-Match with the ETag of the revision you are changing.");
      return NULL;
    }
  if (!load (request, type, &entity))
    return NULL;
  if (is_foreign (request, entity) && !entity->deleted)
    {
      answer_foreign (request, type, entity);
      return NULL;
    }
  if (entity == NULL || entity->deleted || is_foreign (request, entity))
    {
      answer_not_found (request, type);
      return NULL;
    }

  etag = cin_entity_etag (entity);
  if (!etag_list_matches (if_match, etag, FALSE))
    {
      answer_stale (request, entity);
      return NULL;
    }
  return g_steal_pointer (&entity);
}

void
cin_entity_save_and_respond (CinRequest *request,
                             CinEntity  *entity,
                             guint       status)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;

  if (!storage->ops->entity_put (storage, entity, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }

  g_free (request->etag);
  request->etag = cin_entity_etag (entity);
  if (entity->deleted)
    {
      cin_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
      return;
    }
  respond_with_entity (request, status, entity);
}

void
cin_entity_route_put (CinRequest          *request,
                      const CinEntityType *type)
{
  g_autoptr(CinEntity) existing = NULL;
  g_autoptr(CinEntity) entity = NULL;
  const char *id = cin_request_param (request, 0);
  const char *if_match = cin_request_header (request, "If-Match");
  const char *if_none_match = cin_request_header (request, "If-None-Match");
  gboolean live;

  if (!check_id (request, id))
    return;
  if (if_match == NULL && if_none_match == NULL)
    {
      cin_request_problem (request, CIN_STATUS_PRECONDITION_REQUIRED, "precondition-required",
                           "If-Match",
                           "Send If-None-Match: * to create, or If-Match with the ETag of the "
                           "revision you are changing.");
      return;
    }

  if (if_match != NULL)
    {
      existing = cin_entity_load_for_change (request, type);
      if (existing == NULL)
        return;
    }
  else
    {
      if (strcmp (g_strstrip ((char *)if_none_match), "*") != 0)
        {
          cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "bad-precondition", "If-None-Match",
                               "To create, send If-None-Match: * (nothing else).");
          return;
        }
      if (!load (request, type, &existing))
        return;
      live = existing != NULL && !existing->deleted;
      if (is_foreign (request, existing) && live && existing->listed)
        {
          answer_foreign (request, type, existing);
          return;
        }
      if (is_foreign (request, existing))
        {
          /* The id is someone else's: taken, and nothing more to say. */
          cin_request_problem (request, SOUP_STATUS_PRECONDITION_FAILED, "id-taken", "id",
                               "This id is taken. Make a new UUID.");
          return;
        }
      if (live)
        {
          answer_stale (request, existing);
          return;
        }
    }

  entity = cin_entity_new (type->kind, id, request->account_id);
  /* After a tombstone the revision goes on counting, so an old ETag can
   * never match the new entity. */
  entity->rev = existing != NULL ? existing->rev + 1 : 1;
  entity->created_at = existing != NULL && !existing->deleted ? existing->created_at : request->now;
  entity->updated_at = request->now;
  if (!type->prepare (request, existing != NULL && !existing->deleted ? existing : NULL, entity))
    return;

  if (existing == NULL || existing->deleted)
    {
      g_free (request->location);
      request->location = g_strconcat (type->collection, id, NULL);
      cin_entity_save_and_respond (request, entity, SOUP_STATUS_CREATED);
    }
  else
    cin_entity_save_and_respond (request, entity, SOUP_STATUS_OK);
}

void
cin_entity_route_get (CinRequest          *request,
                      const CinEntityType *type)
{
  g_autoptr(CinEntity) entity = NULL;
  const char *if_none_match = cin_request_header (request, "If-None-Match");

  if (!check_id (request, cin_request_param (request, 0)) || !load (request, type, &entity))
    return;
  if (entity == NULL || entity->deleted || (is_foreign (request, entity) && !entity->listed))
    {
      answer_not_found (request, type);
      return;
    }

  request->etag = cin_entity_etag (entity);
  if (if_none_match != NULL && etag_list_matches (if_none_match, request->etag, TRUE))
    {
      cin_request_respond_empty (request, SOUP_STATUS_NOT_MODIFIED);
      return;
    }
  respond_with_entity (request, SOUP_STATUS_OK, entity);
}

void
cin_entity_route_delete (CinRequest          *request,
                         const CinEntityType *type)
{
  g_autoptr(CinEntity) entity = cin_entity_load_for_change (request, type);

  if (entity == NULL)
    return;

  entity->rev++;
  entity->deleted = TRUE;
  entity->updated_at = request->now;
  entity->listed = FALSE;
  entity->publish_due_at = 0;
  g_clear_pointer (&entity->json, g_free);
  cin_entity_save_and_respond (request, entity, SOUP_STATUS_NO_CONTENT);
}

void
cin_entity_route_list (CinRequest          *request,
                       const CinEntityType *type)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GPtrArray) entities = NULL;
  g_autoptr(GError) error = NULL;
  GString *page;

  entities = storage->ops->entity_list (storage, request->account_id, type->kind, &error);
  if (entities == NULL)
    {
      cin_request_internal_error (request, error);
      return;
    }

  page = g_string_sized_new (1024);
  g_string_append (page, "{\"items\":[");
  for (guint i = 0; i < entities->len; i++)
    {
      if (i > 0)
        g_string_append_c (page, ',');
      cin_entity_append_json (page, g_ptr_array_index (entities, i));
    }
  g_string_append (page, "]}");
  cin_request_respond_json_text (request, SOUP_STATUS_OK, page);
}
