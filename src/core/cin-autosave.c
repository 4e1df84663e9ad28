/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-autosave"

#include "cin-autosave.h"
#include "cin-deadline.h"

/* How a watched note moves:
 *
 * Every "notify" of the note is an edit and bumps its generation, except
 * notify::updated-at: the autosave itself sets updated-at when it takes a
 * snapshot, and counting that would make every save schedule another.
 *
 * The first edit after a snapshot fixes the deadline, first edit + debounce;
 * later edits do not move it, so text typed without a pause still reaches
 * the disk within the window. Only one save per note is in flight: edits
 * made meanwhile wait for it, and when it completes the next save fires at
 * the deadline their first edit set, or at once if that has passed.
 *
 * A failed save leaves the note dirty. It is tried again on the next edit
 * (after the debounce), on flush, and on a backoff timer (2 s, 4 s, … 30 s)
 * so a disk that gets space back catches up on its own. Invalid text is the
 * exception: only an edit can fix it, so the timer does not retry it.
 *
 * updated_at: when the snapshot is taken the autosave sets the live note's
 * updated-at to the wall-clock time of the newest edit the snapshot holds,
 * and the store saves that value. So the draft box sorts by when the
 * creator last typed, not by when the disk caught up.
 *
 * Unwatching a note with unsaved edits saves them at once. The autosave
 * keeps the note until that save (and any retry) succeeds, and still emits
 * "saved" or "failed" for it; flush waits for it like any other. So closing
 * a composer never drops text, and nobody has to remember a flush first.
 * Dropping the last reference to the autosave is different: edits not yet
 * handed to the store are lost, so flush before that. */

#define RETRY_FIRST_MS 2000
#define RETRY_MAX_MS   30000

struct _CinAutosave
{
  GObject       parent_instance;

  /* Owned */
  CinStore     *store;
  GMainContext *context;   /* where the timers run */
  GHashTable   *entries;   /* CinNote → Entry */
  GError       *error;     /* (nullable) */

  guint         debounce_ms;
  gboolean      pending;
};

typedef struct {
  CinAutosave *self;               /* (unowned) */
  CinNote     *note;               /* (owned) */
  gulong       notify_handler;     /* 0 once unwatched */

  guint64      generation;         /* edits seen while watched */
  guint64      saved_generation;   /* every edit up to this one is on disk */
  guint64      saving_generation;  /* what the save in flight holds */
  gboolean     saving;

  gint64       first_dirty_usec;   /* monotonic; 0: no edit since the snapshot */
  gint64       last_edit_usec;     /* wall clock, for updated_at */

  GSource     *debounce_source;    /* (owned) (nullable) */
  GSource     *retry_source;       /* (owned) (nullable) */
  guint        failures;           /* in a row */
  gboolean     retry_can_help;

  GSList      *flushes;            /* (owned) of FlushWaiter */
} Entry;

typedef struct {
  guint    remaining;   /* notes not yet saved up to their target */
  gboolean returned;
} FlushData;

typedef struct {
  GTask   *task;        /* (owned) */
  guint64  target;      /* the generation that must reach the disk */
} FlushWaiter;

typedef struct {
  CinAutosave *self;    /* (owned) keeps the autosave alive while in flight */
  CinNote     *note;    /* (owned) */
  guint64      generation;
} SaveOp;

G_DEFINE_FINAL_TYPE (CinAutosave, cin_autosave, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DEBOUNCE_MS,
  PROP_PENDING,
  PROP_ERROR,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_save (Entry *entry);

static gboolean
entry_is_dirty (Entry *entry)
{
  return entry->generation > entry->saved_generation;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
flush_waiter_free (FlushWaiter *waiter)
{
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
entry_free (Entry *entry)
{
  clear_source (&entry->debounce_source);
  clear_source (&entry->retry_source);
  g_clear_signal_handler (&entry->notify_handler, entry->note);
  g_clear_object (&entry->note);
  g_slist_free_full (entry->flushes, (GDestroyNotify)flush_waiter_free);
  g_free (entry);
}

static void
update_pending (CinAutosave *self)
{
  GHashTableIter iter;
  gpointer value;
  gboolean pending = FALSE;

  g_hash_table_iter_init (&iter, self->entries);
  while (!pending && g_hash_table_iter_next (&iter, NULL, &value))
    pending = entry_is_dirty (value);

  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
}

static void
set_error (CinAutosave  *self,
           const GError *error)
{
  if (error == NULL && self->error == NULL)
    return;

  g_clear_error (&self->error);
  self->error = error ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
any_entry_failing (CinAutosave *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (((Entry *)value)->failures > 0)
        return TRUE;
    }

  return FALSE;
}

/* A one-shot source due at @ready_time (monotonic µs): exact, where
 * g_timeout_add() could add a millisecond to a debounce that promises an
 * upper bound. */
static GSource *
add_deadline (CinAutosave *self,
              gint64       ready_time,
              GSourceFunc  func,
              Entry       *entry)
{
  GSource *source = cin_deadline_source_new ("[cin-autosave]", func, entry);

  g_source_set_ready_time (source, ready_time);
  g_source_attach (source, self->context);
  return source;
}

static gboolean
on_debounce_timeout_cb (gpointer user_data)
{
  Entry *entry = user_data;

  g_clear_pointer (&entry->debounce_source, g_source_unref);
  start_save (entry);

  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_timeout_cb (gpointer user_data)
{
  Entry *entry = user_data;

  g_clear_pointer (&entry->retry_source, g_source_unref);
  if (!entry->saving && entry_is_dirty (entry))
    start_save (entry);

  return G_SOURCE_REMOVE;
}

/* Arms the debounce timer for the deadline the first unsaved edit set. It
 * is aimed a millisecond early: GLib rounds the wait in poll() up to whole
 * milliseconds, so aiming at the deadline itself would start the save up
 * to a millisecond after the promised bound. A deadline already past
 * fires at the next iteration. */
static void
schedule_save (Entry *entry)
{
  gint64 deadline;

  if (entry->saving || entry->debounce_source != NULL ||
      entry->first_dirty_usec == 0 || !entry_is_dirty (entry))
    return;

  deadline = entry->first_dirty_usec + (gint64)entry->self->debounce_ms * 1000;
  entry->debounce_source = add_deadline (entry->self, MAX (deadline - 1000, 0),
                                         on_debounce_timeout_cb, entry);
}

static void
schedule_retry (Entry *entry)
{
  guint delay_ms = MIN (RETRY_FIRST_MS << MIN (entry->failures - 1, 8), RETRY_MAX_MS);

  clear_source (&entry->retry_source);
  entry->retry_source = add_deadline (entry->self,
                                      g_get_monotonic_time () + (gint64)delay_ms * 1000,
                                      on_retry_timeout_cb, entry);
}

static void
complete_flush (GTask  *task,
                GError *error)
{
  FlushData *data = g_task_get_task_data (task);

  if (data->returned)
    return;

  if (error != NULL)
    {
      data->returned = TRUE;
      g_task_return_error (task, g_error_copy (error));
    }
  else if (--data->remaining == 0)
    {
      data->returned = TRUE;
      g_task_return_boolean (task, TRUE);
    }
}

/* Takes the flushes @entry has satisfied (all of them on @error) out of
 * its list, to be completed once the entry's state is settled. */
static GSList *
take_finished_flushes (Entry        *entry,
                       const GError *error)
{
  GSList *finished = NULL;
  GSList *waiting = NULL;

  for (GSList *l = entry->flushes; l != NULL; l = l->next)
    {
      FlushWaiter *waiter = l->data;

      if (error != NULL || waiter->target <= entry->saved_generation)
        finished = g_slist_prepend (finished, waiter);
      else
        waiting = g_slist_prepend (waiting, waiter);
    }

  g_slist_free (entry->flushes);
  entry->flushes = g_slist_reverse (waiting);
  return g_slist_reverse (finished);
}

static void
on_save_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveOp *op = user_data;
  g_autoptr(CinAutosave) self = g_steal_pointer (&op->self);
  g_autoptr(CinNote) note = g_steal_pointer (&op->note);
  guint64 generation = op->generation;
  g_autoptr(GError) error = NULL;
  GSList *finished;
  Entry *entry;

  g_free (op);

  cin_store_save_note_finish (CIN_STORE (object), result, &error);

  entry = g_hash_table_lookup (self->entries, note);
  if (entry == NULL)
    return;  /* the autosave was disposed */

  entry->saving = FALSE;

  if (error == NULL)
    {
      entry->saved_generation = MAX (entry->saved_generation, generation);
      entry->failures = 0;
      entry->retry_can_help = TRUE;
      clear_source (&entry->retry_source);
      if (self->error != NULL && !any_entry_failing (self))
        set_error (self, NULL);
    }
  else
    {
      g_debug ("Saving %s failed: %s", cin_note_get_id (note), error->message);
      entry->failures++;
      entry->retry_can_help = !g_error_matches (error, CIN_STORE_ERROR,
                                                CIN_STORE_ERROR_INVALID_TEXT);
      set_error (self, error);
    }

  finished = take_finished_flushes (entry, error);

  if (entry_is_dirty (entry))
    {
      if (error != NULL)
        {
          schedule_save (entry);
          if (entry->retry_can_help)
            schedule_retry (entry);
        }
      else if (entry->flushes != NULL || entry->notify_handler == 0)
        start_save (entry);  /* someone is waiting, or the note was let go */
      else
        schedule_save (entry);
    }

  /* An unwatched note stays until its last edits are on disk, or until it
   * is clear that no retry can get them there. */
  if (entry->notify_handler == 0 && !entry->saving &&
      (!entry_is_dirty (entry) || !entry->retry_can_help))
    g_hash_table_remove (self->entries, note);

  update_pending (self);

  if (error == NULL)
    g_signal_emit (self, signals[SIGNAL_SAVED], 0, note, generation);
  else
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, note, error);

  for (GSList *l = finished; l != NULL; l = l->next)
    {
      FlushWaiter *waiter = l->data;

      complete_flush (waiter->task, error);
    }
  g_slist_free_full (finished, (GDestroyNotify)flush_waiter_free);
}

static void
start_save (Entry *entry)
{
  CinAutosave *self = entry->self;
  SaveOp *op;

  g_assert (!entry->saving);

  clear_source (&entry->debounce_source);
  clear_source (&entry->retry_source);

  /* Our own notify handler ignores updated-at, so this is no new edit; a
   * handler elsewhere that edits in response bumps the generation before
   * it is read below, and its edit is in the snapshot either way. */
  if (entry->last_edit_usec != 0)
    cin_note_set_updated_at (entry->note, entry->last_edit_usec);

  entry->saving = TRUE;
  entry->saving_generation = entry->generation;
  entry->first_dirty_usec = 0;

  op = g_new0 (SaveOp, 1);
  op->self = g_object_ref (self);
  op->note = g_object_ref (entry->note);
  op->generation = entry->saving_generation;

  /* The store copies the note before this returns. */
  cin_store_save_note_async (self->store, entry->note, NULL, on_save_done_cb, op);
}

static void
on_note_notify_cb (CinNote    *note,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Entry *entry = user_data;

  if (g_str_equal (pspec->name, "updated-at"))
    return;

  entry->generation++;
  entry->last_edit_usec = g_get_real_time ();
  if (entry->first_dirty_usec == 0)
    entry->first_dirty_usec = g_get_monotonic_time ();

  schedule_save (entry);
  update_pending (entry->self);
}

static void
cin_autosave_dispose (GObject *object)
{
  CinAutosave *self = (CinAutosave *)object;

  /* Saves in flight hold a reference, so none is left by now. */
  g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (cin_autosave_parent_class)->dispose (object);
}

static void
cin_autosave_finalize (GObject *object)
{
  CinAutosave *self = (CinAutosave *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cin_autosave_parent_class)->finalize (object);
}

static void
cin_autosave_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CinAutosave *self = CIN_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DEBOUNCE_MS:
      g_value_set_uint (value, self->debounce_ms);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_autosave_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CinAutosave *self = CIN_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DEBOUNCE_MS:
      self->debounce_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_autosave_class_init (CinAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cin_autosave_dispose;
  object_class->finalize = cin_autosave_finalize;
  object_class->get_property = cin_autosave_get_property;
  object_class->set_property = cin_autosave_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CIN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEBOUNCE_MS] =
    g_param_spec_uint ("debounce-ms", NULL, NULL, 0, G_MAXUINT / 1000,
                       CIN_AUTOSAVE_DEFAULT_DEBOUNCE_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CIN_TYPE_NOTE, G_TYPE_UINT64);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CIN_TYPE_NOTE, G_TYPE_ERROR);
}

static void
cin_autosave_init (CinAutosave *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)entry_free);
}

CinAutosave *
cin_autosave_new (CinStore *store,
                  guint     debounce_ms)
{
  g_return_val_if_fail (CIN_IS_STORE (store), NULL);
  g_return_val_if_fail (debounce_ms <= G_MAXUINT / 1000, NULL);

  return g_object_new (CIN_TYPE_AUTOSAVE,
                       "store", store,
                       "debounce-ms", debounce_ms,
                       NULL);
}

CinStore *
cin_autosave_get_store (CinAutosave *self)
{
  g_return_val_if_fail (CIN_IS_AUTOSAVE (self), NULL);

  return self->store;
}

/* A note is taken to be on disk as it is when watching starts: the
 * composer watches a note it just loaded or created. */
void
cin_autosave_watch (CinAutosave *self,
                    CinNote     *note)
{
  Entry *entry;

  g_return_if_fail (CIN_IS_AUTOSAVE (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  entry = g_hash_table_lookup (self->entries, note);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->self = self;
      entry->note = g_object_ref (note);
      entry->retry_can_help = TRUE;
      g_hash_table_insert (self->entries, note, entry);
    }

  if (entry->notify_handler == 0)
    entry->notify_handler = g_signal_connect (note, "notify",
                                              G_CALLBACK (on_note_notify_cb), entry);
}

void
cin_autosave_unwatch (CinAutosave *self,
                      CinNote     *note)
{
  Entry *entry;

  g_return_if_fail (CIN_IS_AUTOSAVE (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  entry = g_hash_table_lookup (self->entries, note);
  if (entry == NULL || entry->notify_handler == 0)
    return;

  g_clear_signal_handler (&entry->notify_handler, note);

  if (entry->saving)
    return;  /* on_save_done_cb() decides */

  if (entry_is_dirty (entry))
    start_save (entry);
  else
    g_hash_table_remove (self->entries, note);
}

guint64
cin_autosave_get_generation (CinAutosave *self,
                             CinNote     *note)
{
  Entry *entry;

  g_return_val_if_fail (CIN_IS_AUTOSAVE (self), 0);
  g_return_val_if_fail (CIN_IS_NOTE (note), 0);

  entry = g_hash_table_lookup (self->entries, note);
  return entry ? entry->generation : 0;
}

gboolean
cin_autosave_get_pending (CinAutosave *self)
{
  g_return_val_if_fail (CIN_IS_AUTOSAVE (self), FALSE);

  return self->pending;
}

/* Set while any note's last save failed; cleared once each of them has
 * been saved since. */
const GError *
cin_autosave_get_error (CinAutosave *self)
{
  g_return_val_if_fail (CIN_IS_AUTOSAVE (self), NULL);

  return self->error;
}

void
cin_autosave_flush_async (CinAutosave         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) to_start = g_ptr_array_new ();
  GHashTableIter iter;
  FlushData *data;
  gpointer value;

  g_return_if_fail (CIN_IS_AUTOSAVE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_autosave_flush_async);
  data = g_new0 (FlushData, 1);
  g_task_set_task_data (task, data, g_free);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      FlushWaiter *waiter;

      if (!entry_is_dirty (entry))
        continue;

      waiter = g_new0 (FlushWaiter, 1);
      waiter->task = g_object_ref (task);
      waiter->target = entry->generation;
      entry->flushes = g_slist_append (entry->flushes, waiter);
      data->remaining++;

      /* One in flight already: its completion starts the next at once,
       * because a flush is waiting. */
      if (!entry->saving)
        g_ptr_array_add (to_start, entry);
    }

  if (data->remaining == 0)
    {
      data->returned = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; i < to_start->len; i++)
    start_save (g_ptr_array_index (to_start, i));
}

gboolean
cin_autosave_flush_finish (CinAutosave   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CIN_IS_AUTOSAVE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_autosave_flush_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
