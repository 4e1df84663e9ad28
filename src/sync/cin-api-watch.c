/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-watch"

#include "cin-api-watch-private.h"

static void
on_caller_cancelled_cb (GCancellable *caller,
                        GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  CinApiWatch *watch = user_data;

  watch->timer_id = 0;
  watch->timed_out = TRUE;
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_REMOVE;
}

void
_cin_api_watch_init (CinApiWatch  *watch,
                     GCancellable *caller)
{
  *watch = (CinApiWatch) { .cancellable = g_cancellable_new () };
  if (caller != NULL)
    {
      watch->caller = g_object_ref (caller);
      watch->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled_cb),
                                                     g_object_ref (watch->cancellable), g_object_unref);
    }
}

void
_cin_api_watch_arm (CinApiWatch *watch,
                    guint        seconds)
{
  g_clear_handle_id (&watch->timer_id, g_source_remove);
  if (seconds > 0)
    watch->timer_id = g_timeout_add_seconds (seconds, on_timer_cb, watch);
}

void
_cin_api_watch_clear (CinApiWatch *watch)
{
  g_clear_handle_id (&watch->timer_id, g_source_remove);
  if (watch->caller != NULL)
    g_cancellable_disconnect (watch->caller, watch->caller_handler);
  g_clear_object (&watch->caller);
  g_clear_object (&watch->cancellable);
}
