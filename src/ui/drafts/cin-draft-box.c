/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-draft-box"

#include <glib/gi18n.h>
#include <string.h>

#include "cin-draft-box.h"
#include "cin-draft-row.h"

struct _CinDraftBox
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkSpinner          *spinner;
  GtkListView         *list_view;

  /* Owned: selection holds the chain drafts → filtered → sorted */
  GtkSingleSelection  *selection;
  GListStore          *drafts;     /* (unowned) */
  GtkCustomFilter     *filter;     /* (unowned) */
  GtkFilterListModel  *filtered;   /* (unowned) */
  GtkCustomSorter     *sorter;     /* (unowned) */
  GtkSortListModel    *sorted;     /* (unowned) */
  GSignalGroup        *selected_signals;
  GCancellable        *cancellable;
  char                *search;          /* (nullable) ASCII-lowered */

  CinNoteSort          sort;
  gboolean             loaded;
};

G_DEFINE_FINAL_TYPE (CinDraftBox, cin_draft_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  DRAFT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Case-insensitive for ASCII and exact for everything else, without
 * allocating: it runs over every draft on each keystroke. */
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

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CinDraftBox *self = user_data;
  CinNote *note = item;

  if (self->search == NULL)
    return TRUE;

  return contains_folded (cin_note_get_title (note), self->search) ||
         contains_folded (cin_note_get_body (note), self->search);
}

static int
compare_times (gint64 a,
               gint64 b)
{
  return a > b ? -1 : a < b ? 1 : 0;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  CinDraftBox *self = user_data;
  CinNote *na = (CinNote *)a;
  CinNote *nb = (CinNote *)b;
  int result = 0;

  switch (self->sort)
    {
    case CIN_NOTE_SORT_UPDATED:
      result = compare_times (cin_note_get_updated_at (na), cin_note_get_updated_at (nb));
      break;
    case CIN_NOTE_SORT_CREATED:
      result = compare_times (cin_note_get_created_at (na), cin_note_get_created_at (nb));
      break;
    case CIN_NOTE_SORT_TITLE:
      {
        const char *ta = cin_note_get_title (na);
        const char *tb = cin_note_get_title (nb);

        /* Untitled drafts go last rather than first. */
        if ((*ta == '\0') != (*tb == '\0'))
          result = *ta == '\0' ? 1 : -1;
        else
          result = g_utf8_collate (ta, tb);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (result == 0)
    result = compare_times (cin_note_get_updated_at (na), cin_note_get_updated_at (nb));
  if (result == 0)
    result = strcmp (cin_note_get_id (na), cin_note_get_id (nb));

  return result;
}

static void
update_page (CinDraftBox *self)
{
  const char *page;

  if (!self->loaded)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->drafts)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 0 &&
           gtk_filter_list_model_get_pending (self->filtered) == 0)
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

static void
on_selected_note_changed_cb (CinDraftBox *self,
                             GParamSpec  *pspec,
                             CinNote     *note)
{
  gboolean moves = (self->sort == CIN_NOTE_SORT_UPDATED && g_str_equal (pspec->name, "updated-at")) ||
                   (self->sort == CIN_NOTE_SORT_TITLE && g_str_equal (pspec->name, "title"));

  /* Only the draft being edited changes, so only it can move. */
  if (moves)
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
  gtk_list_item_set_child (item, cin_draft_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CinDraftBox              *self)
{
  cin_draft_row_set_note (CIN_DRAFT_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CinDraftBox              *self)
{
  cin_draft_row_set_note (CIN_DRAFT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_activate_cb (CinDraftBox *self,
                guint        position,
                GtkListView *list_view)
{
  g_autoptr(CinNote) note = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (note != NULL)
    g_signal_emit (self, signals[DRAFT_ACTIVATED], 0, note);
}

static void
list_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CinDraftBox *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = cin_store_list_notes_finish (CIN_STORE (object), result, &error);

  if (notes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CIN_DRAFT_BOX (user_data);
  if (notes == NULL)
    {
      g_warning ("Could not list the drafts: %s", error->message);
      notes = g_ptr_array_new ();
    }

  /* One splice: a single items-changed for thousands of drafts. */
  g_list_store_splice (self->drafts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->drafts)),
                       notes->pdata, notes->len);
  self->loaded = TRUE;
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
cin_draft_box_dispose (GObject *object)
{
  CinDraftBox *self = CIN_DRAFT_BOX (object);

  g_cancellable_cancel (self->cancellable);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  g_clear_object (&self->selected_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_DRAFT_BOX);
  g_clear_object (&self->selection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->search, g_free);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DRAFT_ACTIVATED] =
    g_signal_new ("draft-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CIN_TYPE_NOTE);

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
  self->drafts = g_list_store_new (CIN_TYPE_NOTE);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->drafts), GTK_FILTER (self->filter));
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered), GTK_SORTER (self->sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "notify::pending", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->selected_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->selected_signals, "notify::updated-at",
                                 G_CALLBACK (on_selected_note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->selected_signals, "notify::title",
                                 G_CALLBACK (on_selected_note_changed_cb), self, G_CONNECT_SWAPPED);

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
  self->cancellable = g_cancellable_new ();

  self->loaded = FALSE;
  update_page (self);
  cin_store_list_notes_async (store, self->sort, self->cancellable, list_ready_cb, self);
}

gboolean
cin_draft_box_get_loaded (CinDraftBox *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), FALSE);
  return self->loaded;
}

void
cin_draft_box_set_sort (CinDraftBox *self,
                        CinNoteSort  sort)
{
  g_autoptr(CinNote) selected = NULL;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  if (self->sort == sort)
    return;

  selected = g_signal_group_dup_target (self->selected_signals);
  self->sort = sort;
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  if (selected != NULL)
    cin_draft_box_select (self, selected);
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
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  if (text != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped != '\0')
        search = g_ascii_strdown (stripped, -1);
    }

  if (g_strcmp0 (search, self->search) == 0)
    return;

  /* Typing on narrows the list, so only the shown drafts need a look. */
  if (self->search != NULL && search != NULL && strstr (search, self->search) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search != NULL && search != NULL && strstr (self->search, search) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->search);
  self->search = g_steal_pointer (&search);
  /* Searching thousands of drafts spreads over frames; with no search
   * everything matches at once, so the list is complete when shown. */
  gtk_filter_list_model_set_incremental (self->filtered, self->search != NULL);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_page (self);
}

void
cin_draft_box_add (CinDraftBox *self,
                   CinNote     *note)
{
  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  if (cin_draft_box_find (self, cin_note_get_id (note)) != NULL)
    return;

  g_list_store_insert (self->drafts, 0, note);
}

void
cin_draft_box_remove (CinDraftBox *self,
                      CinNote     *note)
{
  guint position;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  if (g_list_store_find (self->drafts, note, &position))
    g_list_store_remove (self->drafts, position);
}

CinNote *
cin_draft_box_find (CinDraftBox *self,
                    const char  *id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (CIN_IS_DRAFT_BOX (self), NULL);

  if (id == NULL || *id == '\0')
    return NULL;

  model = G_LIST_MODEL (self->drafts);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CinNote) note = g_list_model_get_item (model, i);

      if (g_str_equal (cin_note_get_id (note), id))
        return note;  /* the store keeps its reference */
    }

  return NULL;
}

void
cin_draft_box_select (CinDraftBox *self,
                      CinNote     *note)
{
  GListModel *model;
  guint n;

  g_return_if_fail (CIN_IS_DRAFT_BOX (self));

  g_signal_group_set_target (self->selected_signals, note);
  if (note == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  model = G_LIST_MODEL (self->sorted);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CinNote) item = g_list_model_get_item (model, i);

      if (item == note)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
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
