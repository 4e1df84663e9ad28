/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-publish"

#include "cin-server-json.h"
#include "cin-server-notes.h"
#include "cin-tus.h"

/* POST /v1/notes/{id}/publish, /schedule and /unpublish move a note
 * between draft, scheduled and published; the housekeeping tick publishes
 * scheduled notes when their time comes. Each is a change like a PUT:
 * If-Match, Idempotency-Key, a new revision, an entry in the feed. A note
 * counts as published only once the server has stored it so, and GET
 * reads that back.
 *
 * A photo note goes out only with its pictures: it needs the rules'
 * fewest photos, and each photo's file must be an upload its author has
 * completed (tus, /v1/uploads), found by its SHA-256. */

typedef enum {
  ACTION_PUBLISH,
  ACTION_SCHEDULE,
  ACTION_UNPUBLISH,
} Action;

/* The time a schedule request asks for, or 0 after answering 422. */
static gint64
read_schedule_time (CinRequest *request)
{
  CinRules *rules = request->server->rules;
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (request->body) ? json_node_get_object (request->body) : NULL;
  JsonNode *member = object ? json_object_get_member (object, "at") : NULL;
  gint64 min_ahead = cin_rules_get_schedule_min_seconds (rules) * CIN_USEC_PER_SEC;
  gint64 max_ahead = cin_rules_get_schedule_max_seconds (rules) * CIN_USEC_PER_SEC;
  gint64 at;

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !cin_parse_time (json_node_get_string (member), &at))
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", "at",
                           "“at” must be an RFC 3339 time with a zone, such as "
                           "“2026-02-01T08:00:00Z”.");
      return 0;
    }
  if (at < request->now + min_ahead || at > request->now + max_ahead)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "schedule-out-of-range", "at",
                           "A note can be scheduled from %u hour(s) to %u days ahead.",
                           cin_rules_get_schedule_min_seconds (rules) / 3600,
                           cin_rules_get_schedule_max_seconds (rules) / 86400);
      return 0;
    }
  return at;
}

/* Answers 422 naming "photos" unless @note's photos can be published:
 * enough of them, and every one uploaded by @entity's account. */
static gboolean
check_photos (CinRequest      *request,
              const CinEntity *entity,
              CinNote         *note)
{
  CinServer *server = request->server;
  GPtrArray *photos = cin_note_get_photos (note);
  guint min = cin_rules_get_photos_min (server->rules);
  g_autofree char *owner = NULL;

  if (cin_note_get_kind (note) != CIN_NOTE_KIND_PHOTO)
    return TRUE;

  if (photos->len < min)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "too-few-photos", "photos",
                           "A photo note needs at least %u photo(s) to be published; it has %u.",
                           min, photos->len);
      return FALSE;
    }

  owner = g_strdup_printf ("%" G_GINT64_FORMAT, entity->account_id);
  for (guint i = 0; i < photos->len; i++)
    {
      const CinPhoto *photo = g_ptr_array_index (photos, i);

      if (!cin_tus_has_complete (CIN_TUS (server->tus), owner, cin_photo_get_sha256 (photo)))
        {
          cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "photo-not-uploaded", "photos",
                               "Photo %u (id “%s”, sha256 %s) has not been uploaded: finish its upload "
                               "to %s, then publish again.",
                               i + 1, cin_photo_get_id (photo), cin_photo_get_sha256 (photo),
                               CIN_SERVER_UPLOADS_PATH);
          return FALSE;
        }
    }
  return TRUE;
}

/* Moves @entity's note to @state; @at is when it was (or will be)
 * published. */
static void
apply_state (CinServer    *server,
             CinEntity    *entity,
             CinNote      *note,
             CinNoteState  state,
             gint64        at,
             gint64        now)
{
  cin_note_set_state (note, state);
  cin_note_set_scheduled_at (note, state == CIN_NOTE_STATE_SCHEDULED ? at : 0);
  if (state == CIN_NOTE_STATE_PUBLISHED && entity->published_at == 0)
    entity->published_at = at;
  if (state != CIN_NOTE_STATE_PUBLISHED)
    entity->published_at = 0;

  entity->rev++;
  entity->updated_at = now;
  cin_server_note_store (server, note, entity);
}

static void
run_action (CinRequest *request,
            Action      action)
{
  g_autoptr(CinEntity) entity = NULL;
  g_autoptr(CinNote) note = NULL;
  gint64 at = request->now;

  if (action == ACTION_SCHEDULE && (at = read_schedule_time (request)) == 0)
    return;

  entity = cin_entity_load_for_change (request, &cin_server_note_type);
  if (entity == NULL)
    return;
  note = cin_server_note_from_entity (entity);
  if (note == NULL)
    {
      cin_request_internal_error (request, NULL);
      return;
    }

  if (action == ACTION_PUBLISH || action == ACTION_SCHEDULE)
    {
      CinServer *server = request->server;
      g_autoptr(GPtrArray) findings = cin_rules_check_note (server->rules, NULL, note);

      /* The rules file may have changed since the note was stored. */
      for (guint i = 0; i < findings->len; i++)
        {
          CinFinding *finding = g_ptr_array_index (findings, i);

          if (finding->severity == CIN_SEVERITY_ERROR)
            {
              cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "rule-violation",
                                   cin_server_note_field_name (finding->field),
                                   "%s", finding->message);
              return;
            }
        }

      if (!check_photos (request, entity, note))
        return;
    }

  switch (action)
    {
    case ACTION_PUBLISH:
      apply_state (request->server, entity, note, CIN_NOTE_STATE_PUBLISHED, request->now, request->now);
      break;
    case ACTION_SCHEDULE:
      apply_state (request->server, entity, note, CIN_NOTE_STATE_SCHEDULED, at, request->now);
      break;
    case ACTION_UNPUBLISH:
      apply_state (request->server, entity, note, CIN_NOTE_STATE_DRAFT, 0, request->now);
      break;
    default:
      g_assert_not_reached ();
    }

  cin_entity_save_and_respond (request, entity, SOUP_STATUS_OK);
}

void
_cin_route_note_publish (CinRequest *request)
{
  run_action (request, ACTION_PUBLISH);
}

void
_cin_route_note_schedule (CinRequest *request)
{
  run_action (request, ACTION_SCHEDULE);
}

void
_cin_route_note_unpublish (CinRequest *request)
{
  run_action (request, ACTION_UNPUBLISH);
}

static void
publish_one (CinServer *server,
             CinEntity *due,
             gint64     now)
{
  CinStorage *storage = server->storage;
  g_autoptr(CinEntity) entity = NULL;
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GError) error = NULL;

  if (!storage->ops->begin (storage, &error))
    goto failed;
  /* Read again inside the transaction: a request may have changed it. */
  entity = storage->ops->entity_get (storage, due->kind, due->id, &error);
  if (entity == NULL)
    goto failed;
  if (entity->deleted || entity->publish_due_at == 0 || entity->publish_due_at > now ||
      (note = cin_server_note_from_entity (entity)) == NULL)
    {
      storage->ops->rollback (storage);
      return;
    }

  apply_state (server, entity, note, CIN_NOTE_STATE_PUBLISHED, entity->publish_due_at, now);
  if (!storage->ops->entity_put (storage, entity, &error) || !storage->ops->commit (storage, &error))
    goto failed;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "MESSAGE", "published a scheduled note",
                    "NOTE", entity->id);
  return;

failed:
  storage->ops->rollback (storage);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                    "MESSAGE", "Could not publish a scheduled note: %s",
                    error ? error->message : "unreadable note");
}

void
cin_server_publish_due_notes (CinServer *server,
                              gint64     now)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;

  due = server->storage->ops->notes_due (server->storage, now, &error);
  if (due == NULL)
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                        "MESSAGE", "Could not read the scheduled notes: %s", error->message);
      return;
    }
  for (guint i = 0; i < due->len; i++)
    publish_one (server, g_ptr_array_index (due, i), now);
}
