/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-draft-box"

#include <glib/gi18n.h>
#include <string.h>

#include "cin-draft-box.h"
#include "cin-draft-row.h"

/* The first query takes only what a window can show, so the list appears
 * without waiting for thousands of drafts; the rest follows. */
#define FIRST_PAGE      50
/* GtkListView (GTK 4.8) keeps up to this many row widgets whatever its
 * height: the rest arrives a few rows a frame until it has them all, so
 * making them never stalls a frame, then in one go. */
#define LIST_VIEW_ROWS  200
#define ROWS_PER_FRAME  25

struct _CinDraftBox
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkSpinner          *spinner;
  GtkListView         *list_view;

  /* Owned: selection holds the chain drafts → filtered → sorted */
  GtkSingleSelection  *selection;
  GListStore          *drafts;     /* (unowned) of CinNoteSummary */
  GtkCustomFilter     *filter;     /* (unowned) */
  GtkFilterListModel  *filtered;   /* (unowned) */
  GtkCustomSorter     *sorter;     /* (unowned) */
  GtkSortListModel    *sorted;     /* (unowned) */
  GHashTable          *by_id;      /* id → CinNoteSummary, refs held by drafts */
  CinStore            *store;      /* (nullable) */
  GSignalGroup        *open_note_signals;  /* on the note open in the composer */
  GCancellable        *cancellable;
  GCancellable        *search_cancellable;
  GCancellable        *refresh_cancellable;
  char                *search;     /* (nullable) ASCII-lowered */
  GHashTable          *matches;    /* (nullable) ids the search found */
  GPtrArray           *arriving;   /* (nullable) summaries not listed yet */
  GHashTable          *removed;    /* ids removed before the list was complete */
  guint                arrive_tick;

  CinNoteSort          sort;
  gboolean             loaded;
  gboolean             complete;
  gboolean             show_sync;
};

G_DEFINE_FINAL_TYPE (CinDraftBox, cin_draft_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_COMPLETE,
  PROP_SHOW_SYNC,
  N_PROPS
};

enum {
  DRAFT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CinDraftBox *self = user_data;

  return self->matches == NULL ||
         g_hash_table_contains (self->matches, cin_note_summary_get_id (item));
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  CinDraftBox *self = user_data;

  return cin_note_summary_compare ((CinNoteSummary *)a, (CinNoteSummary *)b, self->sort);
}

static void
update_page (CinDraftBox *self)
{
  const char *page;

  if (!self->loaded)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->drafts)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 0)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, !self->loaded);
}

static void
on_items_changed_cb (CinDraftBox *self)
{
  update_page (self);
}

static CinNoteSummary *
find_summary (CinDraftBox *self,
              const char  *id)
{
  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

static gboolean
contains_folded (const char *haystack,
                 const char *needle_lowered)
{
  size_t n = strlen (needle_lowered);

  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_tolower (*p) == needle_lowered[0] &&
          g_ascii_strncasecmp (p, needle_lowered, n) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Case-insensitive for ASCII and exact for everything else, as the store's
 * search is, for a draft whose newest text may not be saved yet. */
static gboolean
note_matches (CinNote    *note,
              const char *needle_lowered)
{
  return contains_folded (cin_note_get_title (note), needle_lowered) ||
         contains_folded (cin_note_get_body (note), needle_lowered);
}

/* Returns TRUE when the match changed. */
static gboolean
update_open_note_match (CinDraftBox *self,
                        CinNote     *note)
{
  const char *id = cin_note_get_id (note);
  gboolean was = g_hash_table_contains (self->matches, id);
  gboolean is = note_matches (note, self->search);

  if (is == was)
    return FALSE;

  if (is)
    g_hash_table_add (self->matches, g_strdup (id));
  else
    g_hash_table_remove (self->matches, id);
  return TRUE;
}

/* Brings the row of @note, open in the composer or just left, up to date
 * with it, and its search match. Returns whether the row may have moved. */
static gboolean
update_row_of (CinDraftBox *self,
               CinNote     *note)
{
  CinNoteSummary *summary = find_summary (self, cin_note_get_id (note));
  g_autofree char *title_before = NULL;
  gint64 updated_before;

  if (summary == NULL)
    return FALSE;

  title_before = g_strdup (cin_note_summary_get_title (summary));
  updated_before = cin_note_summary_get_updated_at (summary);
  cin_note_summary_update (summary, note);

  if (self->matches != NULL && update_open_note_match (self, note))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  switch (self->sort)
    {
    case CIN_NOTE_SORT_UPDATED:
      return updated_before != cin_note_summary_get_updated_at (summary);
    case CIN_NOTE_SORT_TITLE:
      return !g_str_equal (title_before, cin_note_summary_get_title (summary));
    case CIN_NOTE_SORT_CREATED:
      break;
    }
  return FALSE;
}

/* The autosave stamps updated-at on a note when it takes it to save, a
 * moment after the creator stops typing: the row, the search and the
 * order follow then, once, rather than at every keystroke. A row changed
 * with each keystroke would be drawn in the same frame as the text,
 * across the window from it, which redraws everything in between. */
static void
on_open_note_saving_cb (CinDraftBox *self,
                        GParamSpec  *pspec,
                        CinNote     *note)
{
  /* Only the draft being edited changes, so only it can move. */
  if (update_row_of (self, note))
    {
      gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
      cin_draft_box_select (self, note);
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CinDraftBox              *self)
{
  GtkWidget *row = cin_draft_row_new ();

  g_object_bind_property (self, "show-sync", row, "show-sync", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CinDraftBox              *self)
{
  cin_draft_row_set_summary (CIN_DRAFT_ROW (gtk_list_item_get_child (item)),
                             gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CinDraftBox              *self)
{
  cin_draft_row_set_summary (CIN_DRAFT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_activate_cb (CinDraftBox *self,
                guint        position,
                GtkListView *list_view)
{
  g_autoptr(CinNoteSummary) summary = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (summary != NULL)
    g_signal_emit (self, signals[DRAFT_ACTIVATED], 0, summary);
}

static void
list_summaries (CinDraftBox  *self,
                GPtrArray    *summaries,
                guint         from,
                guint         n)
{
  for (guint i = from; i < from + n; i++)
    {
      CinNoteSummary *summary = g_ptr_array_index (summaries, i);

      g_hash_table_insert (self->by_id, (char *)cin_note_summary_get_id (summary), summary);
    }

  /* One splice: a single items-changed however many drafts. */
  g_list_store_splice (self->drafts, g_list_model_get_n_items (G_LIST_MODEL (self->drafts)), 0,
                       summaries->pdata + from, n);
}

static void
set_complete (CinDraftBox *self)
{
  g_clear_pointer (&self->arriving, g_ptr_array_unref);
  g_hash_table_remove_all (self->removed);
  self->complete = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static gboolean
arrive_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  CinDraftBox *self = CIN_DRAFT_BOX (widget);
  guint listed = g_list_model_get_n_items (G_LIST_MODEL (self->drafts));
  guint n = self->arriving->len;

  if (listed < LIST_VIEW_ROWS)
    n = MIN (n, ROWS_PER_FRAME);

  list_summaries (self, self->arriving, 0, n);
  g_ptr_array_remove_range (self->arriving, 0, n);
  if (self->arriving->len > 0)
    return G_SOURCE_CONTINUE;

  self->arrive_tick = 0;
  set_complete (self);
  return G_SOURCE_REMOVE;
}

/* The summaries a listing found; none, with a warning, when it failed
 * (the draft box shows what it has rather than an error); NULL when it
 * was cancelled, and the draft box may be gone. */
static GPtrArray *
finish_listing (GObject      *store,
                GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *summaries = cin_store_list_summaries_finish (CIN_STORE (store), result, &error);

  if (summaries != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return summaries;

  g_warning ("Could not list the drafts: %s", error->message);
  return g_ptr_array_new ();
}

static void
rest_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GPtrArray) summaries = finish_listing (object, result);
  CinDraftBox *self;

  if (summaries == NULL)
    return;

  /* The first page is listed already, and drafts made since then too. */
  self = CIN_DRAFT_BOX (user_data);
  self->arriving = g_ptr_array_new_full (summaries->len, g_object_unref);
  for (guint i = 0; i < summaries->len; i++)
    {
      CinNoteSummary *summary = g_ptr_array_index (summaries, i);
      const char *id = cin_note_summary_get_id (summary);

      /* A draft deleted while this query waited its turn stays out. */
      if (find_summary (self, id) == NULL && !g_hash_table_contains (self->removed, id))
        g_ptr_array_add (self->arriving, g_object_ref (summary));
    }

  if (self->arriving->len == 0)
    set_complete (self);
  else
    self->arrive_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), arrive_tick_cb, NULL, NULL);
}

static void
first_page_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GPtrArray) summaries = finish_listing (object, result);
  CinDraftBox *self;

  if (summaries == NULL)
    return;

  self = CIN_DRAFT_BOX (user_data);
  list_summaries (self, summaries, 0, summaries->len);
  self->loaded = TRUE;
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);

  if (summaries->len < FIRST_PAGE)
    set_complete (self);
  else
    cin_store_list_summaries_async (self->store, self->sort, 0, self->cancellable, rest_ready_cb, self);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CinDraftBox *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) matches = cin_store_search_notes_finish (CIN_STORE (object), result, &error);
  g_autoptr(CinNote) open_note = NULL;

  if (matches == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CIN_DRAFT_BOX (user_data);
  g_clear_object (&self->search_cancellable);
  if (matches == NULL)
    {
      /* The list stays as it was; the search is only a view. */
      g_warning ("Could not search the drafts: %s", error->message);
      return;
    }

  g_clear_pointer (&self->matches, g_hash_table_unref);
  self->matches = g_steal_pointer (&matches);
  /* The draft being edited may hold text not saved yet. */
  open_note = g_signal_group_dup_target (self->open_note_signals);
  if (open_note != NULL)
    update_open_note_match (self, open_note);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_page (self);
}

static void
refresh_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) summaries = cin_store_list_summaries_finish (CIN_STORE (object), result, &error);
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(CinNote) open_note = NULL;
  CinDraftBox *self;
  GHashTableIter iter;
  gpointer key, value;

  if (summaries == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CIN_DRAFT_BOX (user_data);
  g_clear_object (&self->refresh_cancellable);
  if (summaries == NULL)
    {
      /* The rows stay as they were: only their sync marks are older. */
      g_warning ("Could not list the drafts again: %s", error->message);
      return;
    }

  open_note = g_signal_group_dup_target (self->open_note_signals);
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  added = g_ptr_array_new ();
  for (guint i = 0; i < summaries->len; i++)
    {
      CinNoteSummary *summary = g_ptr_array_index (summaries, i);
      const char *id = cin_note_summary_get_id (summary);
      CinNoteSummary *known = find_summary (self, id);

      g_hash_table_add (listed, (char *)id);
      if (known != NULL)
        cin_note_summary_assign (known, summary);
      else if (self->complete)
        g_ptr_array_add (added, summary);
    }
  /* A pull may bring hundreds: listed in one splice, as at load. */
  if (added->len > 0)
    list_summaries (self, added, 0, added->len);

  /* Gone from the store (deleted on the server): gone from the list, but
   * a new draft open in the composer may simply not be saved yet. Until
   * the list is complete, a draft not listed yet is not gone. */
  if (self->complete)
    {
      g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

      g_hash_table_iter_init (&iter, self->by_id);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (listed, key) &&
            (open_note == NULL || !g_str_equal (key, cin_note_get_id (open_note))))
          g_ptr_array_add (gone, g_strdup (key));
      for (guint i = 0; i < gone->len; i++)
        cin_draft_box_remove (self, g_ptr_array_index (gone, i));
    }

  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  if (open_note != NULL)
    cin_draft_box_select (self, open_note);
  update_page (self);
}

void
cin_draft_box_refresh (CinDraftBox *self)
{
  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  if (self->store == NULL || !self->loaded)
    return;

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  cin_store_list_summaries_async (self->store, self->sort, 0, self->refresh_cancellable,
                                  refresh_ready_cb, self);
}

void
cin_draft_box_set_show_sync (CinDraftBox *self,
                             gboolean     show_sync)
{
  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  show_sync = !!show_sync;
  if (self->show_sync == show_sync)
    return;
  self->show_sync = show_sync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_SYNC]);
}

static void
cin_draft_box_dispose (GObject *object)
{
  CinDraftBox *self = CIN_DRAFT_BOX (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  if (self->arrive_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->arrive_tick);
  self->arrive_tick = 0;
  g_clear_pointer (&self->arriving, g_ptr_array_unref);
  if (self->open_note_signals != NULL)
    g_signal_group_set_target (self->open_note_signals, NULL);
  g_clear_object (&self->open_note_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_DRAFT_BOX);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->removed, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->matches, g_hash_table_unref);

  G_OBJECT_CLASS (cin_draft_box_parent_class)->dispose (object);
}

static void
cin_draft_box_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CinDraftBox *self = CIN_DRAFT_BOX (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_SHOW_SYNC:
      g_value_set_boolean (value, self->show_sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_draft_box_class_init (CinDraftBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_draft_box_dispose;
  object_class->get_property = cin_draft_box_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Rows bind to it: see cin_draft_box_set_show_sync(). */
  properties[PROP_SHOW_SYNC] =
    g_param_spec_boolean ("show-sync", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DRAFT_ACTIVATED] =
    g_signal_new ("draft-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CIN_TYPE_NOTE_SUMMARY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/drafts/cin-draft-box.ui");
  gtk_widget_class_bind_template_child (widget_class, CinDraftBox, stack);
  gtk_widget_class_bind_template_child (widget_class, CinDraftBox, spinner);
  gtk_widget_class_bind_template_child (widget_class, CinDraftBox, list_view);
  gtk_widget_class_set_css_name (widget_class, "draftbox");
}

static void
cin_draft_box_init (CinDraftBox *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->drafts = g_list_store_new (CIN_TYPE_NOTE_SUMMARY);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->drafts), GTK_FILTER (self->filter));
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered), GTK_SORTER (self->sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->open_note_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->open_note_signals, "notify::updated-at",
                                 G_CALLBACK (on_open_note_saving_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_activate_cb),
                           self, G_CONNECT_SWAPPED);

  update_page (self);
}

GtkWidget *
cin_draft_box_new (void)
{
  return g_object_new (CIN_TYPE_DRAFT_BOX, NULL);
}

void
cin_draft_box_load (CinDraftBox *self,
                    CinStore    *store)
{
  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (CIN_IS_STORE (store));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->store, store);
  if (self->arrive_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->arrive_tick);
  self->arrive_tick = 0;
  g_clear_pointer (&self->arriving, g_ptr_array_unref);
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->removed);
  g_list_store_remove_all (self->drafts);

  self->loaded = FALSE;
  self->complete = FALSE;
  update_page (self);
  cin_store_list_summaries_async (store, self->sort, FIRST_PAGE, self->cancellable,
                                  first_page_ready_cb, self);
}

gboolean
cin_draft_box_get_loaded (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), FALSE);
  return self->loaded;
}

gboolean
cin_draft_box_get_complete (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), FALSE);
  return self->complete;
}

void
cin_draft_box_set_sort (CinDraftBox *self,
                        CinNoteSort  sort)
{
  g_autoptr(CinNote) open_note = NULL;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  if (self->sort == sort)
    return;

  open_note = g_signal_group_dup_target (self->open_note_signals);
  self->sort = sort;
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  if (open_note != NULL)
    cin_draft_box_select (self, open_note);
}

CinNoteSort
cin_draft_box_get_sort (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), CIN_NOTE_SORT_UPDATED);
  return self->sort;
}

void
cin_draft_box_set_search_text (CinDraftBox *self,
                               const char  *text)
{
  g_autofree char *search = NULL;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  if (text != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped != '\0')
        search = g_ascii_strdown (stripped, -1);
    }

  if (g_strcmp0 (search, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&search);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->search == NULL)
    {
      g_clear_pointer (&self->matches, g_hash_table_unref);
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
      update_page (self);
      return;
    }

  /* The search runs in SQLite, off the main thread, over every body; the
   * list keeps showing the last answer until the new one is in. */
  if (self->store != NULL)
    {
      self->search_cancellable = g_cancellable_new ();
      cin_store_search_notes_async (self->store, self->search, self->search_cancellable,
                                    search_done_cb, self);
    }
}

gboolean
cin_draft_box_get_searching (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), FALSE);
  return self->search_cancellable != NULL;
}

void
cin_draft_box_add (CinDraftBox *self,
                   CinNote     *note)
{
  g_autoptr(CinNoteSummary) summary = NULL;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  if (find_summary (self, cin_note_get_id (note)) != NULL)
    return;

  summary = cin_note_summary_new_from_note (note);
  g_hash_table_insert (self->by_id, (char *)cin_note_summary_get_id (summary), summary);
  /* A draft added while searching shows if it matches, as saved ones do. */
  if (self->matches != NULL && note_matches (note, self->search))
    g_hash_table_add (self->matches, g_strdup (cin_note_get_id (note)));
  g_list_store_insert (self->drafts, 0, summary);
}

void
cin_draft_box_remove (CinDraftBox *self,
                      const char  *id)
{
  CinNoteSummary *summary;
  guint position;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (id != NULL);

  if (!self->complete)
    g_hash_table_add (self->removed, g_strdup (id));

  summary = find_summary (self, id);
  if (summary == NULL)
    return;

  if (g_list_store_find (self->drafts, summary, &position))
    {
      /* The store holds the last reference: drop the index entry first. */
      g_hash_table_remove (self->by_id, id);
      g_list_store_remove (self->drafts, position);
    }
}

CinNoteSummary *
cin_draft_box_find (CinDraftBox *self,
                    const char  *id)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), NULL);

  return find_summary (self, id);
}

/* Where @summary shows, or GTK_INVALID_LIST_POSITION. The selection
 * follows its item through a re-sort, so while the open draft is edited
 * (a re-sort each keystroke) this never walks thousands of rows. */
static guint
find_shown_position (CinDraftBox    *self,
                     CinNoteSummary *summary)
{
  GListModel *model = G_LIST_MODEL (self->sorted);
  guint n = g_list_model_get_n_items (model);

  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer)summary)
    return gtk_single_selection_get_selected (self->selection);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CinNoteSummary) item = g_list_model_get_item (model, i);

      if (item == summary)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

void
cin_draft_box_select (CinDraftBox *self,
                      CinNote     *note)
{
  g_autoptr(CinNote) leaving = NULL;
  CinNoteSummary *summary;
  guint position;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  /* The draft left behind shows what it was left with; its save follows
   * when the autosave gets to it, unwatched by this list. */
  leaving = g_signal_group_dup_target (self->open_note_signals);
  if (leaving != NULL && leaving != note && update_row_of (self, leaving))
    gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);

  g_signal_group_set_target (self->open_note_signals, note);
  summary = note != NULL ? find_summary (self, cin_note_get_id (note)) : NULL;
  if (summary == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  position = find_shown_position (self, summary);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

GListModel *
cin_draft_box_get_drafts (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), NULL);
  return G_LIST_MODEL (self->drafts);
}

GListModel *
cin_draft_box_get_shown (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), NULL);
  return G_LIST_MODEL (self->sorted);
}
