/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-watch"

#include "cin-api-watch-private.h"
#include "cin-deadline.h"

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

  watch->timed_out = TRUE;
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_CONTINUE;
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
  if (seconds == 0)
    {
      if (watch->timer != NULL)
        g_source_set_ready_time (watch->timer, -1);
      return;
    }
  if (watch->timer == NULL)
    {
      watch->timer = cin_deadline_source_new ("[cin-api-watch]", on_timer_cb, watch);
      g_source_attach (watch->timer, NULL);
    }
  g_source_set_ready_time (watch->timer, g_get_monotonic_time () + seconds * G_USEC_PER_SEC);
}

void
_cin_api_watch_clear (CinApiWatch *watch)
{
  if (watch->timer != NULL)
    g_source_destroy (watch->timer);
  g_clear_pointer (&watch->timer, g_source_unref);
  if (watch->caller != NULL)
    g_cancellable_disconnect (watch->caller, watch->caller_handler);
  g_clear_object (&watch->caller);
  g_clear_object (&watch->cancellable);
}
