/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sync-status-button"

#include <glib/gi18n.h>

#include "cin-store-sync.h"
#include "cin-sync-status-button.h"

/* The popover lists this many rows, and says how many more wait: a
 * scrolled list in a popover clips wrapped rows in GTK 4.8, and after an
 * offline week the outbox may hold hundreds. */
#define MAX_ROWS 6

struct _CinSyncStatusButton
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkMenuButton *menu_button;
  GtkImage      *status_image;
  GtkLabel      *status_label;
  GtkLabel      *problem_label;
  GtkListBox    *outbox_list;
  GtkLabel      *empty_label;
  GtkLabel      *more_label;
  GtkButton     *sign_in_button;

  /* Owned */
  GSignalGroup  *engine_signals;
  GCancellable  *list_cancellable; /* (nullable) the outbox being listed */
  GCancellable  *cancellable;
  guint          n_waiting;
  gboolean       signed_out;
};

G_DEFINE_FINAL_TYPE (CinSyncStatusButton, cin_sync_status_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_label (CinSyncStatusButton *self,
           const char          *label)
{
  if (g_strcmp0 (gtk_label_get_text (self->status_label), label) == 0)
    return;
  gtk_label_set_text (self->status_label, label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

static CinSyncEngine *
dup_engine (CinSyncStatusButton *self)
{
  return g_signal_group_dup_target (self->engine_signals);
}

static void
update_status (CinSyncStatusButton *self)
{
  g_autoptr(CinSyncEngine) engine = dup_engine (self);
  g_autofree char *label = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *problem = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), self->signed_out);
  if (self->signed_out)
    {
      gtk_image_set_from_icon_name (self->status_image, "dialog-password-symbolic");
      set_label (self, _("Signed out"));
      gtk_label_set_text (self->problem_label, _("Sign in again to sync and publish. Your drafts stay on this computer meanwhile."));
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->outbox_list), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);
      return;
    }
  if (engine == NULL)
    return;

  switch (cin_sync_engine_get_status (engine))
    {
    case CIN_SYNC_STATUS_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      if (cin_sync_engine_get_n_total (engine) > 0)
        /* Translators: the sync status: changes sent so far of all there are. */
        label = g_strdup_printf (_("Syncing %u of %u"),
                                 MIN (cin_sync_engine_get_n_done (engine) + 1,
                                      cin_sync_engine_get_n_total (engine)),
                                 cin_sync_engine_get_n_total (engine));
      else
        label = g_strdup (_("Syncing…"));
      break;
    case CIN_SYNC_STATUS_OFFLINE:
      icon = "network-offline-symbolic";
      label = g_strdup (_("Offline"));
      problem = cin_sync_engine_get_problem (engine);
      break;
    case CIN_SYNC_STATUS_NEEDS_ATTENTION:
      icon = "dialog-warning-symbolic";
      label = g_strdup (_("Needs attention"));
      problem = cin_sync_engine_get_problem (engine);
      break;
    case CIN_SYNC_STATUS_IDLE:
    default:
      label = g_strdup (_("Synced"));
      break;
    }

  gtk_image_set_from_icon_name (self->status_image, icon);
  set_label (self, label);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
}

static void
unparked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CinSyncStatusButton) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinSyncEngine) engine = NULL;

  if (!cin_store_outbox_unpark_finish (CIN_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->problem_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
        }
      return;
    }

  engine = dup_engine (self);
  if (engine != NULL)
    cin_sync_engine_sync_now (engine);
}

static void
on_retry_clicked_cb (GtkButton           *button,
                     CinSyncStatusButton *self)
{
  g_autoptr(CinSyncEngine) engine = dup_engine (self);
  const char *note_id = g_object_get_data (G_OBJECT (button), "note-id");

  if (engine == NULL || note_id == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  cin_store_outbox_unpark_async (cin_sync_engine_get_store (engine), note_id, self->cancellable,
                                 unparked_cb, g_object_ref (self));
}

static const char *
describe_op (CinOutboxOp op)
{
  switch (op)
    {
    case CIN_OUTBOX_PUT:
      return _("Changes");
    case CIN_OUTBOX_DELETE:
      return _("Deletion");
    case CIN_OUTBOX_PUBLISH:
      return _("Publishing");
    case CIN_OUTBOX_SCHEDULE:
      return _("Scheduling");
    case CIN_OUTBOX_UNPUBLISH:
      return _("Unpublishing");
    default:
      return "";
    }
}

static GtkWidget *
make_row (CinSyncStatusButton *self,
          CinOutboxEntry      *entry)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;
  const char *title = *entry->title ? entry->title : _("Untitled Draft");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (entry->parked)
    /* Translators: an outbox row refused by the server: what, then why. */
    subtitle = g_strdup_printf (_("%s refused: %s"), describe_op (entry->op),
                                entry->last_error ? entry->last_error : _("no reason given"));
  else if (entry->last_error != NULL)
    /* Translators: an outbox row that will be tried again: what, then why it failed. */
    subtitle = g_strdup_printf (_("%s waiting: %s"), describe_op (entry->op), entry->last_error);
  else
    /* Translators: an outbox row not sent yet; %s is what it does. */
    subtitle = g_strdup_printf (_("%s waiting"), describe_op (entry->op));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (entry->parked)
    {
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (retry), "note-id", g_strdup (entry->note_id), g_free);
      g_signal_connect_object (retry, "clicked", G_CALLBACK (on_retry_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
    }

  return row;
}

static void
outbox_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CinSyncStatusButton *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = cin_store_list_outbox_finish (CIN_STORE (object), result, &error);
  GtkWidget *child;

  if (entries == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CIN_SYNC_STATUS_BUTTON (user_data);
  g_clear_object (&self->list_cancellable);
  if (entries == NULL)
    {
      g_warning ("Could not list the changes waiting for the server: %s", error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->outbox_list))) != NULL)
    gtk_list_box_remove (self->outbox_list, child);
  /* Refused rows first: they wait for the creator, the rest only for
   * the network. */
  for (guint pass = 0, shown = 0; pass < 2; pass++)
    for (guint i = 0; i < entries->len && shown < MAX_ROWS; i++)
      {
        CinOutboxEntry *entry = g_ptr_array_index (entries, i);

        if (entry->parked == (pass == 0))
          {
            gtk_list_box_append (self->outbox_list, make_row (self, entry));
            shown++;
          }
      }
  if (entries->len > MAX_ROWS)
    {
      guint more = entries->len - MAX_ROWS;
      /* Translators: under the list of changes waiting for the server. */
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u more change waiting",
                                                            "%u more changes waiting", more), more);

      gtk_label_set_text (self->more_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), entries->len > MAX_ROWS);

  self->n_waiting = entries->len;
  gtk_widget_set_visible (GTK_WIDGET (self->outbox_list), entries->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), entries->len == 0);
}

static void
list_outbox (CinSyncStatusButton *self)
{
  g_autoptr(CinSyncEngine) engine = dup_engine (self);

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (engine == NULL)
    return;

  self->list_cancellable = g_cancellable_new ();
  cin_store_list_outbox_async (cin_sync_engine_get_store (engine), self->list_cancellable,
                               outbox_listed_cb, self);
}

static void
on_engine_notify_cb (CinSyncStatusButton *self)
{
  update_status (self);
}

static void
on_outbox_changed_cb (CinSyncStatusButton *self)
{
  list_outbox (self);
}

static void
cin_sync_status_button_dispose (GObject *object)
{
  CinSyncStatusButton *self = CIN_SYNC_STATUS_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine_signals != NULL)
    g_signal_group_set_target (self->engine_signals, NULL);
  g_clear_object (&self->engine_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_SYNC_STATUS_BUTTON);

  G_OBJECT_CLASS (cin_sync_status_button_parent_class)->dispose (object);
}

static void
cin_sync_status_button_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CinSyncStatusButton *self = CIN_SYNC_STATUS_BUTTON (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, cin_sync_status_button_get_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_sync_status_button_class_init (CinSyncStatusButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_sync_status_button_dispose;
  object_class->get_property = cin_sync_status_button_get_property;

  /* The word shown ("Synced", "Syncing 2 of 5"…), which the window also
   * puts in its header. */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/account/cin-sync-status-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, status_image);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, status_label);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, outbox_list);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, more_label);
  gtk_widget_class_bind_template_child (widget_class, CinSyncStatusButton, sign_in_button);
}

static void
cin_sync_status_button_init (CinSyncStatusButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->engine_signals = g_signal_group_new (CIN_TYPE_SYNC_ENGINE);
  g_signal_group_connect_object (self->engine_signals, "notify::status",
                                 G_CALLBACK (on_engine_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "notify::n-done",
                                 G_CALLBACK (on_engine_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "notify::n-total",
                                 G_CALLBACK (on_engine_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "notify::problem",
                                 G_CALLBACK (on_engine_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "outbox-changed",
                                 G_CALLBACK (on_outbox_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cin_sync_status_button_new (void)
{
  return g_object_new (CIN_TYPE_SYNC_STATUS_BUTTON, NULL);
}

void
cin_sync_status_button_set_engine (CinSyncStatusButton *self,
                                   CinSyncEngine       *engine)
{
  g_return_if_fail (CIN_IS_SYNC_STATUS_BUTTON (self));
  g_return_if_fail (!engine || CIN_IS_SYNC_ENGINE (engine));

  g_signal_group_set_target (self->engine_signals, engine);
  update_status (self);
  list_outbox (self);
}

void
cin_sync_status_button_set_signed_out (CinSyncStatusButton *self,
                                       gboolean             signed_out)
{
  g_return_if_fail (CIN_IS_SYNC_STATUS_BUTTON (self));

  self->signed_out = !!signed_out;
  update_status (self);
}

const char *
cin_sync_status_button_get_label (CinSyncStatusButton *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_STATUS_BUTTON (self), NULL);
  return gtk_label_get_text (self->status_label);
}

guint
cin_sync_status_button_get_n_waiting (CinSyncStatusButton *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_STATUS_BUTTON (self), 0);
  return self->n_waiting;
}
