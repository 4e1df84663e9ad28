/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-metrics"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cin-server-entity.h"
#include "cin-server-notes.h"

/* The numbers a creator's data centre shows, made up believably: the
 * reference server has no readers, so a seeded simulator stands in for
 * them. Every number is a pure function of the note's id, its kind, the
 * day it was published and the day asked for, so the same question always
 * gets the same answer, days fill in as the server's clock moves on, and
 * nothing needs storing. A note reaches most people in its first days and
 * then a long tail, as feeds do; each note gets its own appeal.
 *
 *   GET /v1/notes/{id}/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD   (owner only)
 *   GET /v1/account/metrics?from=…&to=…
 *
 * Both default to the 30 days up to today and take at most 366 days. */

#define USEC_PER_DAY (G_GINT64_CONSTANT (86400) * 1000000)
#define DEFAULT_DAYS 30
#define MAX_DAYS 366

typedef struct {
  gint64 impressions;
  gint64 views;
  gint64 cover_clicks;
  gint64 watch_seconds;
  gint64 completions;
  gint64 likes;
  gint64 collects;
  gint64 comments;
  gint64 shares;
  gint64 follower_gain;
} NoteDay;

/* A number in [0, 1) drawn from @seed and @salt, the same every time. */
static double
draw (const char *seed,
      gint64      salt)
{
  g_autofree char *text = g_strdup_printf ("%s/%" G_GINT64_FORMAT, seed, salt);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  guint64 bits = 0;

  g_checksum_update (checksum, (const guchar *)text, -1);
  g_checksum_get_digest (checksum, digest, &length);
  for (guint i = 0; i < 7; i++)
    bits = (bits << 8) | digest[i];
  return (double)bits / (double)(G_GUINT64_CONSTANT (1) << 56);
}

static void
simulate_note_day (const char *note_id,
                   gboolean    video,
                   gint64      age_days,
                   NoteDay    *day)
{
  /* Per note: how well it does, how often a card is opened, how long a
   * video holds people. */
  double appeal = 0.3 + 2.2 * pow (draw (note_id, -1), 2.0);
  double click_rate = 0.05 + 0.10 * draw (note_id, -2);
  double watch = 6.0 + 40.0 * draw (note_id, -3);
  double completion = 0.15 + 0.45 * draw (note_id, -4);
  double engagement = 0.04 + 0.08 * draw (note_id, -5);
  /* Per day: the feed's decay and some noise. */
  double reach = 1500.0 * appeal * (exp (-(double)age_days / 3.0) + 0.04);
  double noise = 0.75 + 0.5 * draw (note_id, age_days);

  memset (day, 0, sizeof *day);
  day->impressions = (gint64)round (reach * noise);
  day->cover_clicks = (gint64)round (day->impressions * click_rate);
  day->views = day->cover_clicks + (gint64)round (day->impressions * 0.01);
  if (video)
    {
      day->watch_seconds = (gint64)round (day->views * watch);
      day->completions = (gint64)round (day->views * completion);
    }
  day->likes = (gint64)round (day->views * engagement);
  day->collects = (gint64)round (day->likes * (0.3 + 0.4 * draw (note_id, age_days + 100000)));
  day->comments = (gint64)round (day->likes * 0.12);
  day->shares = (gint64)round (day->likes * 0.06);
  day->follower_gain = (gint64)round (day->likes * 0.04 * appeal);
}

static gint64
day_number (gint64 unix_usec)
{
  return unix_usec / USEC_PER_DAY;
}

static char *
format_day (gint64 day)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (day * 86400);

  return g_date_time_format (time, "%Y-%m-%d");
}

static gboolean
parse_day (const char *text,
           gint64     *day)
{
  g_autoptr(GDateTime) time = NULL;
  int year, month, mday;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &mday, &tail) != 3 || strlen (text) != 10)
    return FALSE;
  time = g_date_time_new_utc (year, month, mday, 0, 0, 0);
  if (time == NULL)
    return FALSE;
  *day = g_date_time_to_unix (time) / 86400;
  return TRUE;
}

/* The [from, to] days asked for, today's date at most; FALSE after 400. */
static gboolean
read_range (CinRequest *request,
            gint64     *from,
            gint64     *to)
{
  const char *from_text = cin_request_query (request, "from");
  const char *to_text = cin_request_query (request, "to");
  gint64 today = day_number (request->now);

  *to = today;
  if (to_text != NULL && !parse_day (to_text, to))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-date", "to",
                           "“to” must be a date such as 2026-01-31.");
      return FALSE;
    }
  *to = MIN (*to, today);
  *from = *to - (DEFAULT_DAYS - 1);
  if (from_text != NULL && !parse_day (from_text, from))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-date", "from",
                           "“from” must be a date such as 2026-01-01.");
      return FALSE;
    }
  if (*from > *to || *to - *from >= MAX_DAYS)
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-range", "from",
                           "“from” must come before “to”, at most %d days apart, and not "
                           "after today.", MAX_DAYS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
note_is_video (const CinEntity *entity)
{
  g_autoptr(CinNote) note = cin_server_note_from_entity (entity);

  return note != NULL && cin_note_get_kind (note) == CIN_NOTE_KIND_VIDEO;
}

#define SET(object, day, member) json_object_set_int_member (object, #member, (day)->member)

void
_cin_route_note_metrics (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(CinEntity) entity = NULL;
  g_autoptr(JsonArray) days = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  const char *id = cin_request_param (request, 0);
  gint64 from, to, published;
  gboolean video;

  if (!g_uuid_string_is_valid (id))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-id", "id", "“%s” is not a UUID.", id);
      return;
    }
  entity = storage->ops->entity_get (storage, "note", id, NULL);
  /* The numbers are the owner's business, even for a public note. */
  if (entity == NULL || entity->deleted || entity->account_id != request->account_id)
    {
      cin_request_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL, "There is no note with this id.");
      return;
    }
  if (!read_range (request, &from, &to))
    return;

  video = note_is_video (entity);
  published = entity->published_at != 0 ? day_number (entity->published_at) : G_MAXINT64;
  for (gint64 d = MAX (from, published); d <= to; d++)
    {
      g_autoptr(JsonObject) day_object = json_object_new ();
      g_autofree char *date = format_day (d);
      NoteDay day;

      simulate_note_day (id, video, d - published, &day);
      json_object_set_string_member (day_object, "date", date);
      SET (day_object, &day, impressions);
      SET (day_object, &day, views);
      SET (day_object, &day, cover_clicks);
      SET (day_object, &day, watch_seconds);
      SET (day_object, &day, completions);
      SET (day_object, &day, likes);
      SET (day_object, &day, collects);
      SET (day_object, &day, comments);
      SET (day_object, &day, shares);
      SET (day_object, &day, follower_gain);
      json_array_add_object_element (days, g_steal_pointer (&day_object));
    }

  json_object_set_string_member (object, "note_id", id);
  json_object_set_array_member (object, "days", g_steal_pointer (&days));
  json_node_set_object (node, object);
  cin_request_respond_json (request, SOUP_STATUS_OK, node);
}

/* Followers: a starting audience drawn from the handle, plus every
 * follower the account's published notes have brought in so far. */
void
_cin_route_account_metrics (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) days = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *handle = cin_server_account_handle (request->server, request->account_id);
  g_autofree gboolean *videos = NULL;
  gint64 from, to, followers;

  if (!read_range (request, &from, &to))
    return;
  notes = storage->ops->entity_list (storage, request->account_id, "note", &error);
  if (notes == NULL)
    {
      cin_request_internal_error (request, error);
      return;
    }
  videos = g_new0 (gboolean, notes->len + 1);
  for (guint i = 0; i < notes->len; i++)
    videos[i] = note_is_video (g_ptr_array_index (notes, i));

  followers = 200 + (gint64)(3000 * draw (handle, -9));
  /* Everything gained before the window. */
  for (guint i = 0; i < notes->len; i++)
    {
      CinEntity *note = g_ptr_array_index (notes, i);
      gint64 published = day_number (note->published_at);

      if (note->published_at == 0)
        continue;
      for (gint64 d = published; d < from; d++)
        {
          NoteDay day;

          simulate_note_day (note->id, videos[i], d - published, &day);
          followers += day.follower_gain;
        }
    }

  for (gint64 d = from; d <= to; d++)
    {
      g_autoptr(JsonObject) day_object = json_object_new ();
      g_autofree char *date = format_day (d);
      gint64 gain = 0;

      for (guint i = 0; i < notes->len; i++)
        {
          CinEntity *note = g_ptr_array_index (notes, i);
          gint64 published = day_number (note->published_at);
          NoteDay day;

          if (note->published_at == 0 || d < published)
            continue;
          simulate_note_day (note->id, videos[i], d - published, &day);
          gain += day.follower_gain;
        }
      followers += gain;
      json_object_set_string_member (day_object, "date", date);
      json_object_set_int_member (day_object, "followers", followers);
      json_object_set_int_member (day_object, "follower_gain", gain);
      json_array_add_object_element (days, g_steal_pointer (&day_object));
    }

  json_object_set_array_member (object, "days", g_steal_pointer (&days));
  json_node_set_object (node, object);
  cin_request_respond_json (request, SOUP_STATUS_OK, node);
}
