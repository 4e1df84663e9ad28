/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-strip"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cin-aspect-bin.h"
#include "cin-photo-strip.h"

#define TILE_PIXELS 240

struct _CinPhotoStrip
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkLabel        *counter;
  GtkFlowBox      *tiles;
  GtkLabel        *hint;
  GtkRevealer     *editor_revealer;
  GtkToggleButton *crop_none;
  GtkToggleButton *crop_3_4;
  GtkToggleButton *crop_1_1;
  GtkToggleButton *crop_4_3;
  AdwEntryRow     *alt_row;
  GtkWidget       *move_earlier;
  GtkWidget       *move_later;

  /* Owned */
  GSignalGroup          *note_signals;
  GPtrArray             *shown;        /* CinPhoto of each tile, in order */
  GtkWidget             *add_tile;
  CinPhotoSource         photos;

  guint            max_photos;
  int              selected;           /* -1: none */
  gboolean         syncing;            /* the editor is being set from the note */
};

G_DEFINE_FINAL_TYPE (CinPhotoStrip, cin_photo_strip, GTK_TYPE_WIDGET)

enum {
  ADD_PHOTOS,
  IMPORT_FILES,
  IMPORT_TEXTURE,
  PHOTO_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CinNote *
dup_note (CinPhotoStrip *self)
{
  return g_signal_group_dup_target (self->note_signals);
}

static void
update_counter (CinPhotoStrip *self,
                guint          n)
{
  g_autofree char *text = NULL;

  if (self->max_photos == 0)
    {
      gtk_label_set_text (self->counter, "");
      return;
    }

  /* Translators: photos in the note / photos allowed, such as "3 / 18". */
  text = g_strdup_printf (_("%u / %u"), n, self->max_photos);
  gtk_label_set_text (self->counter, text);
  gtk_widget_set_sensitive (self->add_tile, n < self->max_photos);
  gtk_widget_set_tooltip_text (self->add_tile, n < self->max_photos
                               ? _("Add photos from files (or drop them here)")
                               : _("This note has as many photos as the platform allows"));
}

/* Tiles */

static GtkWidget *
new_photo_tile (CinPhotoStrip *self,
                CinPhoto      *photo,
                guint          position)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkWidget *bin = cin_aspect_bin_new (1.0);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  const char *alt = cin_photo_get_alt_text (photo);
  g_autofree char *name = NULL;

  paintable = cin_photo_source_paint (&self->photos, photo, TILE_PIXELS);
  gtk_picture_set_paintable (GTK_PICTURE (picture), paintable);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_add_css_class (picture, "photo");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  if (position == 0)
    {
      GtkWidget *cover = gtk_label_new (_("Cover"));

      gtk_widget_set_halign (cover, GTK_ALIGN_START);
      gtk_widget_set_valign (cover, GTK_ALIGN_START);
      gtk_widget_add_css_class (cover, "cover-badge");
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), cover);
    }
  if (*alt == '\0')
    {
      GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_set_halign (warning, GTK_ALIGN_END);
      gtk_widget_set_valign (warning, GTK_ALIGN_END);
      gtk_widget_set_tooltip_text (warning, _("No description yet: people using a screen reader won’t know what this photo shows"));
      gtk_widget_add_css_class (warning, "no-alt-badge");
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), warning);
    }

  cin_aspect_bin_set_child (CIN_ASPECT_BIN (bin), overlay);
  gtk_widget_add_css_class (bin, "photo-tile");

  if (*alt != '\0')
    /* Translators: a photo's accessible name; %u is its place, %s its description. */
    name = g_strdup_printf (_("Photo %u: %s"), position + 1, alt);
  else
    /* Translators: a photo's accessible name; %u is its place. */
    name = g_strdup_printf (_("Photo %u, no description"), position + 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bin), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  return bin;
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    CinPhotoStrip *self)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  guint position = (guint)gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (child));

  return gdk_content_provider_new_typed (G_TYPE_UINT, position);
}

static gboolean
on_tile_drop_cb (GtkDropTarget *target,
                 const GValue  *value,
                 double         x,
                 double         y,
                 CinPhotoStrip *self)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  g_autoptr(CinNote) note = dup_note (self);
  guint from = g_value_get_uint (value);
  guint to = (guint)gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (child));

  if (note == NULL || from >= cin_note_get_n_photos (note) || to >= cin_note_get_n_photos (note))
    return FALSE;

  cin_note_move_photo (note, from, to);
  cin_photo_strip_select (self, (int)to);
  return TRUE;
}

static void
add_tile_controllers (CinPhotoStrip *self,
                      GtkWidget     *child)
{
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (on_drag_prepare_cb), self, 0);
  gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (source));
  g_signal_connect_object (target, "drop", G_CALLBACK (on_tile_drop_cb), self, 0);
  gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (target));
}

static void
on_add_clicked_cb (CinPhotoStrip *self)
{
  g_signal_emit (self, signals[ADD_PHOTOS], 0);
}

static GtkWidget *
new_add_tile (CinPhotoStrip *self)
{
  GtkWidget *bin = cin_aspect_bin_new (1.0);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("list-add-symbolic");
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Add Photos"));

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
  gtk_widget_set_valign (content, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (content), icon);
  gtk_box_append (GTK_BOX (content), label);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "add-photos");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_add_clicked_cb), self, G_CONNECT_SWAPPED);
  cin_aspect_bin_set_child (CIN_ASPECT_BIN (bin), button);
  return bin;
}

static gboolean
same_tiles (GPtrArray *shown,
            GPtrArray *photos)
{
  if (shown->len != photos->len)
    return FALSE;

  for (guint i = 0; i < photos->len; i++)
    {
      CinPhoto *a = g_ptr_array_index (shown, i);
      CinPhoto *b = g_ptr_array_index (photos, i);

      /* What a tile draws: the file, its crop, and whether it has alt text. */
      if (!g_str_equal (cin_photo_get_id (a), cin_photo_get_id (b)) ||
          !g_str_equal (cin_photo_get_sha256 (a), cin_photo_get_sha256 (b)) ||
          cin_photo_get_crop (a) != cin_photo_get_crop (b) ||
          cin_photo_get_crop_x (a) != cin_photo_get_crop_x (b) ||
          cin_photo_get_crop_y (a) != cin_photo_get_crop_y (b) ||
          (*cin_photo_get_alt_text (a) == '\0') != (*cin_photo_get_alt_text (b) == '\0'))
        return FALSE;
    }

  return TRUE;
}

static void sync_editor (CinPhotoStrip *self);

static void
rebuild_tiles (CinPhotoStrip *self,
               gboolean       force)
{
  g_autoptr(CinNote) note = dup_note (self);
  GPtrArray *photos = note ? cin_note_get_photos (note) : NULL;
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  /* Removing the tiles unselects them: keep what was selected. */
  int keep = self->selected;
  GtkWidget *child;

  if (photos == NULL)
    photos = empty;

  if (!force && same_tiles (self->shown, photos))
    {
      g_ptr_array_set_size (self->shown, 0);
      for (guint i = 0; i < photos->len; i++)
        g_ptr_array_add (self->shown, cin_photo_ref (g_ptr_array_index (photos, i)));
      sync_editor (self);
      return;
    }

  g_ptr_array_set_size (self->shown, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles))) != NULL)
    gtk_flow_box_remove (self->tiles, child);

  for (guint i = 0; i < photos->len; i++)
    {
      CinPhoto *photo = g_ptr_array_index (photos, i);

      gtk_flow_box_append (self->tiles, new_photo_tile (self, photo, i));
      add_tile_controllers (self, GTK_WIDGET (gtk_flow_box_get_child_at_index (self->tiles, (int)i)));
      g_ptr_array_add (self->shown, cin_photo_ref (photo));
    }

  /* The add tile is the last child; it takes no part in selection. */
  self->add_tile = new_add_tile (self);
  gtk_flow_box_append (self->tiles, self->add_tile);
  self->add_tile = gtk_widget_get_parent (self->add_tile);
  gtk_widget_set_focusable (self->add_tile, FALSE);

  update_counter (self, photos->len);
  cin_photo_strip_select (self, MIN (keep, (int)photos->len - 1));
}

/* The editor */

static CinPhoto *
selected_photo (CinPhotoStrip *self)
{
  if (self->selected < 0 || (guint)self->selected >= self->shown->len)
    return NULL;
  return g_ptr_array_index (self->shown, self->selected);
}

static void
sync_editor (CinPhotoStrip *self)
{
  CinPhoto *photo = selected_photo (self);
  GtkToggleButton *crop_buttons[] = { self->crop_none, self->crop_3_4, self->crop_1_1, self->crop_4_3 };

  gtk_revealer_set_reveal_child (self->editor_revealer, photo != NULL);
  if (photo == NULL)
    return;

  self->syncing = TRUE;
  gtk_toggle_button_set_active (crop_buttons[cin_photo_get_crop (photo)], TRUE);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->alt_row)), cin_photo_get_alt_text (photo)) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->alt_row), cin_photo_get_alt_text (photo));
  gtk_widget_set_sensitive (self->move_earlier, self->selected > 0);
  gtk_widget_set_sensitive (self->move_later, (guint)self->selected + 1 < self->shown->len);
  self->syncing = FALSE;
}

static void
replace_selected (CinPhotoStrip *self,
                  CinPhoto      *photo)
{
  g_autoptr(CinNote) note = dup_note (self);

  if (note == NULL || self->selected < 0 || (guint)self->selected >= cin_note_get_n_photos (note))
    return;

  cin_note_replace_photo (note, (guint)self->selected, photo);
}

static void
on_crop_toggled_cb (CinPhotoStrip   *self,
                    GtkToggleButton *button)
{
  CinPhoto *photo = selected_photo (self);
  CinCropAspect crop;
  g_autoptr(CinPhoto) cropped = NULL;

  if (self->syncing || photo == NULL || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->crop_3_4)
    crop = CIN_CROP_3_4;
  else if (button == self->crop_1_1)
    crop = CIN_CROP_1_1;
  else if (button == self->crop_4_3)
    crop = CIN_CROP_4_3;
  else
    crop = CIN_CROP_NONE;

  if (crop == cin_photo_get_crop (photo))
    return;

  /* A new crop starts centred; the original file is never touched. */
  cropped = cin_photo_with_crop (photo, crop, 0.5, 0.5);
  replace_selected (self, cropped);
}

static void
on_alt_changed_cb (CinPhotoStrip *self,
                   GtkEditable   *row)
{
  CinPhoto *photo = selected_photo (self);
  g_autoptr(CinPhoto) described = NULL;

  if (self->syncing || photo == NULL)
    return;

  described = cin_photo_with_alt_text (photo, gtk_editable_get_text (row));
  replace_selected (self, described);
}

static void
on_move_earlier_cb (CinPhotoStrip *self)
{
  cin_photo_strip_move_selected (self, -1);
}

static void
on_move_later_cb (CinPhotoStrip *self)
{
  cin_photo_strip_move_selected (self, 1);
}

static void
on_remove_clicked_cb (CinPhotoStrip *self)
{
  cin_photo_strip_remove_selected (self);
}

static void
on_selection_changed_cb (CinPhotoStrip *self,
                         GtkFlowBox    *tiles)
{
  GList *selected = gtk_flow_box_get_selected_children (tiles);
  int position = -1;

  if (selected != NULL && selected->data != self->add_tile)
    position = gtk_flow_box_child_get_index (selected->data);
  g_list_free (selected);

  if (position != self->selected)
    {
      self->selected = position;
      sync_editor (self);
    }
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   CinPhotoStrip         *self)
{
  gboolean alt = (state & GDK_ALT_MASK) != 0;

  if (alt && (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left))
    cin_photo_strip_move_selected (self, gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? 1 : -1);
  else if (alt && (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right))
    cin_photo_strip_move_selected (self, gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? -1 : 1);
  else if (keyval == GDK_KEY_Delete && selected_photo (self) != NULL)
    cin_photo_strip_remove_selected (self);
  else
    return GDK_EVENT_PROPAGATE;

  return GDK_EVENT_STOP;
}

/* Files dropped from a file manager or another app */

static gboolean
on_files_dropped_cb (GtkDropTarget *target,
                     const GValue  *value,
                     double         x,
                     double         y,
                     CinPhotoStrip *self)
{
  /* An image dragged from a browser or an editor comes without a file. */
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      GdkTexture *texture = g_value_get_object (value);

      if (texture == NULL)
        return FALSE;
      g_signal_emit (self, signals[IMPORT_TEXTURE], 0, texture);
      return TRUE;
    }

  if (g_value_get_boxed (value) == NULL)
    return FALSE;
  g_signal_emit (self, signals[IMPORT_FILES], 0, g_value_get_boxed (value));
  return TRUE;
}

static void
on_note_photos_changed_cb (CinPhotoStrip *self,
                           GParamSpec    *pspec,
                           CinNote       *note)
{
  rebuild_tiles (self, FALSE);
}

/* GObject */

static void
cin_photo_strip_dispose (GObject *object)
{
  CinPhotoStrip *self = CIN_PHOTO_STRIP (object);
  GtkWidget *child;

  if (self->note_signals != NULL)
    g_signal_group_set_target (self->note_signals, NULL);
  g_clear_object (&self->note_signals);
  cin_photo_source_clear (&self->photos);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_PHOTO_STRIP);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (cin_photo_strip_parent_class)->dispose (object);
}

static void
cin_photo_strip_class_init (CinPhotoStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_photo_strip_dispose;

  /* The creator asked to add photos (the Add Photos tile). */
  signals[ADD_PHOTOS] =
    g_signal_new ("add-photos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Files were dropped on the strip (a GSList of GFile). */
  signals[IMPORT_FILES] =
    g_signal_new ("import-files", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* An image without a file was dropped on the strip (a GdkTexture). */
  signals[IMPORT_TEXTURE] =
    g_signal_new ("import-texture", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GDK_TYPE_TEXTURE);
  /* A photo was removed from @position, for the window to offer undo. */
  signals[PHOTO_REMOVED] =
    g_signal_new ("photo-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CIN_TYPE_PHOTO, G_TYPE_UINT);

  g_type_ensure (CIN_TYPE_ASPECT_BIN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/composer/cin-photo-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, counter);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, tiles);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, hint);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, editor_revealer);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, crop_none);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, crop_3_4);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, crop_1_1);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, crop_4_3);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, alt_row);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, move_earlier);
  gtk_widget_class_bind_template_child (widget_class, CinPhotoStrip, move_later);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_crop_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_alt_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_move_earlier_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_move_later_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "photostrip");
}

static void
cin_photo_strip_init (CinPhotoStrip *self)
{
  GtkEventController *keys;
  GtkDropTarget *files;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selected = -1;
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->tiles), keys);

  files = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (files, (GType[]) { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE }, 2);
  g_signal_connect_object (files, "drop", G_CALLBACK (on_files_dropped_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (files));

  self->note_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->note_signals, "notify::photos",
                                 G_CALLBACK (on_note_photos_changed_cb), self, G_CONNECT_SWAPPED);

  rebuild_tiles (self, TRUE);
}

GtkWidget *
cin_photo_strip_new (void)
{
  return g_object_new (CIN_TYPE_PHOTO_STRIP, NULL);
}

void
cin_photo_strip_set_note (CinPhotoStrip *self,
                          CinNote       *note)
{
  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  g_signal_group_set_target (self->note_signals, note);
  self->selected = -1;
  rebuild_tiles (self, TRUE);
}

void
cin_photo_strip_set_max_photos (CinPhotoStrip *self,
                                guint          max_photos)
{
  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));

  self->max_photos = max_photos;
  update_counter (self, self->shown->len);
}

void
cin_photo_strip_set_photo_func (CinPhotoStrip         *self,
                                CinPhotoPaintableFunc  func,
                                gpointer               user_data,
                                GDestroyNotify         destroy)
{
  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));

  cin_photo_source_set (&self->photos, func, user_data, destroy);
  rebuild_tiles (self, TRUE);
}

int
cin_photo_strip_get_selected (CinPhotoStrip *self)
{
  g_return_val_if_fail (CIN_IS_PHOTO_STRIP (self), -1);
  return self->selected;
}

void
cin_photo_strip_select (CinPhotoStrip *self,
                        int            position)
{
  GtkFlowBoxChild *child;

  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));

  child = position >= 0 && (guint)position < self->shown->len
          ? gtk_flow_box_get_child_at_index (self->tiles, position) : NULL;
  self->selected = child != NULL ? position : -1;
  if (child != NULL)
    gtk_flow_box_select_child (self->tiles, child);
  else
    gtk_flow_box_unselect_all (self->tiles);
  sync_editor (self);
}

void
cin_photo_strip_move_selected (CinPhotoStrip *self,
                               int            delta)
{
  g_autoptr(CinNote) note = NULL;
  int to;

  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));

  note = dup_note (self);
  to = self->selected + delta;
  if (note == NULL || self->selected < 0 || to < 0 || (guint)to >= cin_note_get_n_photos (note))
    return;

  cin_note_move_photo (note, (guint)self->selected, (guint)to);
  cin_photo_strip_select (self, to);
  gtk_widget_grab_focus (GTK_WIDGET (gtk_flow_box_get_child_at_index (self->tiles, to)));
}

void
cin_photo_strip_remove_selected (CinPhotoStrip *self)
{
  g_autoptr(CinNote) note = NULL;
  g_autoptr(CinPhoto) photo = NULL;
  guint position;

  g_return_if_fail (CIN_IS_PHOTO_STRIP (self));

  note = dup_note (self);
  if (note == NULL || self->selected < 0 || (guint)self->selected >= cin_note_get_n_photos (note))
    return;

  position = (guint)self->selected;
  photo = cin_photo_ref (cin_note_get_photo (note, position));
  cin_note_remove_photo (note, position);
  g_signal_emit (self, signals[PHOTO_REMOVED], 0, photo, position);
}
