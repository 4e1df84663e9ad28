/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-window-tags"

#include "cin-api-client-people.h"
#include "cin-store-sync.h"
#include "cin-window-private.h"

/* What the composer completes topics and @mentions from: the creator's
 * own earlier topics and mentions, the people the account follows (kept
 * in the store by sync, so this works offline), and, while the creator
 * types a topic on an account profile, the server's topics. */

/* Enough to fill the suggestions after the creator's own have been shown. */
#define SERVER_TOPICS 12

static void
known_topics_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = cin_store_list_topics_finish (CIN_STORE (object), result, &error);

  if (topics != NULL)
    cin_composer_set_known_topics (self->composer, (const char * const *)topics);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not list the topics: %s", error->message);
}

typedef struct {
  CinWindow *window;     /* (owned) */
  GStrv      mentioned;  /* (nullable) */
} PeopleJob;

static void
people_job_free (PeopleJob *job)
{
  g_clear_object (&job->window);
  g_clear_pointer (&job->mentioned, g_strfreev);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeopleJob, people_job_free)

/* Those mentioned before come first, most used first; then those
 * followed, most recently followed first. */
static void
known_following_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PeopleJob) job = user_data;
  g_autoptr(GStrvBuilder) people = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) following = cin_store_list_following_finish (CIN_STORE (object), result, &error);
  g_auto(GStrv) names = NULL;

  if (following == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Could not list the people followed: %s", error->message);
    }
  for (guint i = 0; job->mentioned != NULL && job->mentioned[i] != NULL; i++)
    if (g_hash_table_add (seen, job->mentioned[i]))
      g_strv_builder_add (people, job->mentioned[i]);
  for (guint i = 0; following != NULL && following[i] != NULL; i++)
    if (g_hash_table_add (seen, following[i]))
      g_strv_builder_add (people, following[i]);

  names = g_strv_builder_end (people);
  cin_composer_set_known_mentions (job->window->composer, (const char * const *)names);
}

static void
known_mentions_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PeopleJob) job = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = job->window->cancellable;

  /* Without the mentions, the people followed are still offered. */
  job->mentioned = cin_store_list_mentions_finish (CIN_STORE (object), result, &error);
  if (job->mentioned == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Could not list the mentions: %s", error->message);
    }
  cin_store_list_following_async (CIN_STORE (object), cancellable,
                                  known_following_cb, g_steal_pointer (&job));
}

static void
refresh_known_people (CinWindow *self)
{
  CinStore *store = _cin_window_get_store (self);
  PeopleJob *job;

  if (store == NULL)
    return;
  job = g_new0 (PeopleJob, 1);
  job->window = g_object_ref (self);
  cin_store_list_mentions_async (store, self->cancellable, known_mentions_cb, job);
}

void
_cin_window_refresh_known_tags (CinWindow *self)
{
  CinStore *store = _cin_window_get_store (self);

  if (store == NULL)
    return;
  cin_store_list_topics_async (store, self->cancellable, known_topics_cb, g_object_ref (self));
  refresh_known_people (self);
}

/* The server's topics */

typedef struct {
  CinWindow *window;  /* (owned) */
  char      *typed;
} TopicSearch;

static void
topic_search_free (TopicSearch *search)
{
  g_clear_object (&search->window);
  g_free (search->typed);
  g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopicSearch, topic_search_free)

static void
server_topics_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TopicSearch) search = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = NULL;

  topics = cin_api_client_suggest_topics_finish (CIN_API_CLIENT (object), result, &error);
  /* Offline, or an older server: the creator's own topics still show,
   * and nothing needs doing about it. */
  if (topics == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not ask the server for topics: %s", error->message);
      return;
    }
  cin_composer_offer_topics (search->window->composer, search->typed, (const char * const *)topics);
}

static void
on_search_topics_cb (CinWindow  *self,
                     const char *typed)
{
  g_autoptr(CinSyncEngine) engine = g_signal_group_dup_target (self->engine_signals);
  TopicSearch *search;

  if (engine == NULL)
    return;

  /* Only the answer to the latest word is wanted. */
  g_cancellable_cancel (self->topics_cancellable);
  g_clear_object (&self->topics_cancellable);
  self->topics_cancellable = g_cancellable_new ();

  search = g_new0 (TopicSearch, 1);
  search->window = g_object_ref (self);
  search->typed = g_strdup (typed);
  cin_api_client_suggest_topics_async (cin_sync_engine_get_client (engine), typed, SERVER_TOPICS,
                                       self->topics_cancellable, server_topics_cb, search);
}

void
_cin_window_tags_init (CinWindow *self)
{
  g_signal_connect_object (self->composer, "search-topics",
                           G_CALLBACK (on_search_topics_cb), self, G_CONNECT_SWAPPED);
  /* A new follow list changes who is offered, not the topics. */
  g_signal_group_connect_object (self->engine_signals, "following-changed",
                                 G_CALLBACK (refresh_known_people), self, G_CONNECT_SWAPPED);
}

void
_cin_window_tags_dispose (CinWindow *self)
{
  g_cancellable_cancel (self->topics_cancellable);
  g_clear_object (&self->topics_cancellable);
}
