/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Types into a few notes through CinAutosave as fast as the main loop
 * goes, until test-crash kills it with SIGKILL.
 *
 *   store-crash-child DB RUN N_NOTES DEBOUNCE_MS
 *
 * Prints "ready" once the store is open, then "saved <note-id> <step>" for
 * every "saved" signal: the note's content at <step> (see crash-content.c)
 * or a later one is on disk. Each line is flushed before anything else
 * happens, so whatever the parent reads was reported before the kill. */
#define G_LOG_DOMAIN "store-crash-child"

#include <stdio.h>
#include <stdlib.h>

#include "cin-autosave.h"
#include "crash-content.h"

typedef struct {
  CinNote *note;
  guint    index;
  guint    step;
  GArray  *generations;   /* of guint64: the generation after each step */
} TypedNote;

static guint run;
static guint n_notes;
static TypedNote *notes;
static CinAutosave *autosave;

static void
type_step (TypedNote *typed)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  guint64 generation;

  typed->step++;
  title = crash_content_title (typed->index, run, typed->step);
  body = crash_content_body (typed->index, run, typed->step);
  cin_note_set_title (typed->note, title);
  cin_note_set_body (typed->note, body);

  generation = cin_autosave_get_generation (autosave, typed->note);
  g_array_append_val (typed->generations, generation);
}

/* The step a saved generation stands for: snapshots are taken between
 * steps, so it is the last step whose generation is not past it. */
static guint
step_for_generation (TypedNote *typed,
                     guint64    generation)
{
  guint lo = 0;
  guint hi = typed->generations->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (typed->generations, guint64, mid) <= generation)
        lo = mid + 1;
      else
        hi = mid;
    }

  /* generations[i] is the generation after step i + 1. */
  return lo;
}

static void
on_saved_cb (CinAutosave *self,
             CinNote     *note,
             guint64      generation,
             gpointer     user_data)
{
  for (guint i = 0; i < n_notes; i++)
    {
      if (notes[i].note == note)
        {
          printf ("saved %s %u\n", cin_note_get_id (note),
                  step_for_generation (&notes[i], generation));
          fflush (stdout);
          return;
        }
    }
}

static void
on_failed_cb (CinAutosave *self,
              CinNote     *note,
              GError      *error,
              gpointer     user_data)
{
  g_printerr ("save of %s failed: %s\n", cin_note_get_id (note), error->message);
  exit (1);
}

static gboolean
on_keystroke_cb (gpointer user_data)
{
  guint32 which = g_random_int_range (0, n_notes);

  type_step (&notes[which]);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint debounce_ms;

  if (argc != 5)
    {
      g_printerr ("Usage: %s DB RUN N_NOTES DEBOUNCE_MS\n", argv[0]);
      return 2;
    }

  run = atoi (argv[2]);
  n_notes = atoi (argv[3]);
  debounce_ms = atoi (argv[4]);

  store = cin_store_open_sync (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  autosave = cin_autosave_new (store, debounce_ms);
  g_signal_connect (autosave, "saved", G_CALLBACK (on_saved_cb), NULL);
  g_signal_connect (autosave, "failed", G_CALLBACK (on_failed_cb), NULL);

  notes = g_new0 (TypedNote, n_notes);
  for (guint i = 0; i < n_notes; i++)
    {
      g_autofree char *id = crash_content_note_id (i);

      notes[i].note = cin_note_new_with_id (id, CIN_NOTE_KIND_PHOTO);
      notes[i].index = i;
      notes[i].generations = g_array_new (FALSE, FALSE, sizeof (guint64));
      cin_autosave_watch (autosave, notes[i].note);
    }

  printf ("ready\n");
  fflush (stdout);

  g_timeout_add (1, on_keystroke_cb, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  return 0;
}
