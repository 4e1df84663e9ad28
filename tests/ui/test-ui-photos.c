/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-photos"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cin-autosave.h"
#include "cin-composer-private.h"
#include "ui-test-utils.h"

#define N_PHOTOS 18

/* 19 different real JPEGs, 3:4, each a solid colour. */
static GList *
make_photos (guint n)
{
  const char *home = g_getenv ("CIN_TEST_HOME");
  GList *files = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 720, 960);
      g_autofree char *path = g_strdup_printf ("%s/photo-%02u.jpg", home, i);
      g_autoptr(GError) error = NULL;

      gdk_pixbuf_fill (pixbuf, 0x10000000u * (i % 16) + 0x00100000u * (i / 16) + 0x00008000u + 0xffu);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL));
      g_assert_no_error (error);
      files = g_list_append (files, g_file_new_for_path (path));
    }

  return files;
}

typedef struct {
  CinNote *note;
  guint    n;
} PhotoCount;

static gboolean
has_photos (gpointer data)
{
  PhotoCount *count = data;

  return cin_note_get_n_photos (count->note) == count->n;
}

static gboolean
importer_idle (gpointer data)
{
  return cin_photo_importer_get_pending (data) == 0;
}

static void
on_refused_cb (CinComposer *composer,
               const char  *message,
               char       **last)
{
  g_free (*last);
  *last = g_strdup (message);
}

/* What a drag that ends on another tile does: the tile's drop target gets
 * the dragged photo's place. */
static void
drop_on_tile (CinPhotoStrip *strip,
              guint          from,
              guint          to)
{
  GtkFlowBox *tiles = GTK_FLOW_BOX (cin_test_find_widget (GTK_WIDGET (strip), GTK_TYPE_FLOW_BOX, NULL));
  GtkWidget *target_tile = GTK_WIDGET (gtk_flow_box_get_child_at_index (tiles, (int)to));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (target_tile);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, from);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &accepted);
    }
  g_assert_true (accepted);
}

static char *first_id;
static char *moved_id;

static void
add_arrange_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  CinPhotoStrip *strip = cin_composer_get_photo_strip (composer);
  CinPhotoImporter *importer = cin_composer_get_photo_importer (composer);
  GList *files = make_photos (N_PHOTOS + 1);
  GList *nineteenth = g_list_last (files);
  g_autofree char *refused = NULL;
  PhotoCount count;
  CinNote *note;

  g_signal_connect (composer, "photo-refused", G_CALLBACK (on_refused_cb), &refused);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  note = cin_window_get_current (window);
  cin_test_type (cin_composer_get_title_buffer (composer), "十八张图");

  /* 18 photos, in the order given. */
  files = g_list_remove_link (files, nineteenth);
  cin_photo_importer_import (importer, note, files);
  count = (PhotoCount) { note, N_PHOTOS };
  cin_test_wait_until (has_photos, &count, "18 photos to be imported");
  cin_test_wait_until (importer_idle, importer, "the imports to finish");
  g_assert_null (refused);

  /* The 19th is refused with a message naming it; the note keeps 18. */
  cin_photo_importer_import (importer, note, nineteenth);
  cin_test_wait_until (importer_idle, importer, "the 19th import");
  g_assert_cmpuint (cin_note_get_n_photos (note), ==, N_PHOTOS);
  g_assert_nonnull (refused);
  g_assert_nonnull (strstr (refused, "photo-18.jpg"));
  g_clear_pointer (&refused, g_free);

  /* The same photo again is refused too. */
  {
    GList *again = g_list_append (NULL, files->data);
    cin_photo_importer_import (importer, note, again);
    g_list_free (again);
  }
  cin_test_wait_until (importer_idle, importer, "the repeated import");
  g_assert_nonnull (refused);
  g_assert_cmpuint (cin_note_get_n_photos (note), ==, N_PHOTOS);

  /* Drag the last photo onto the first: it becomes the cover. */
  moved_id = g_strdup (cin_photo_get_id (cin_note_get_photo (note, N_PHOTOS - 1)));
  first_id = g_strdup (cin_photo_get_id (cin_note_get_photo (note, 0)));
  drop_on_tile (strip, N_PHOTOS - 1, 0);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 0)), ==, moved_id);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 1)), ==, first_id);

  /* Alt+→ style move from the keyboard, then back. */
  cin_photo_strip_select (strip, 1);
  cin_photo_strip_move_selected (strip, 1);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 2)), ==, first_id);
  cin_photo_strip_move_selected (strip, -1);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 1)), ==, first_id);

  /* Crop the cover to 1:1 and describe it, through the editor's widgets. */
  cin_photo_strip_select (strip, 0);
  {
    GtkWidget *square = cin_test_find_widget (GTK_WIDGET (strip), GTK_TYPE_TOGGLE_BUTTON, "1:1");
    GtkWidget *alt = cin_test_find_widget (GTK_WIDGET (strip), ADW_TYPE_ENTRY_ROW, NULL);

    g_assert_nonnull (square);
    g_assert_nonnull (alt);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (square), TRUE);
    gtk_editable_set_text (GTK_EDITABLE (alt), "一杯拿铁的特写");
  }
  g_assert_cmpint (cin_photo_get_crop (cin_note_get_photo (note, 0)), ==, CIN_CROP_1_1);
  g_assert_cmpstr (cin_photo_get_alt_text (cin_note_get_photo (note, 0)), ==, "一杯拿铁的特写");
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 0)), ==, moved_id);

  cin_test_wait_saved ("the photos to be saved");
  g_list_free_full (files, g_object_unref);
  g_list_free_full (nineteenth, g_object_unref);
  cin_test_quit (window);
}

static void
find_after_restart_script (CinWindow *window)
{
  g_autoptr(CinNoteSummary) summary = g_list_model_get_item (cin_draft_box_get_shown (cin_window_get_draft_box (window)), 0);
  CinNote *note;
  CinPhoto *cover;

  g_assert_nonnull (summary);
  cin_test_open_draft (window, cin_note_summary_get_id (summary));
  note = cin_window_get_current (window);

  g_assert_cmpuint (cin_note_get_n_photos (note), ==, N_PHOTOS);
  cover = cin_note_get_photo (note, 0);
  g_assert_cmpstr (cin_photo_get_id (cover), ==, moved_id);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (note, 1)), ==, first_id);
  g_assert_cmpint (cin_photo_get_crop (cover), ==, CIN_CROP_1_1);
  g_assert_cmpstr (cin_photo_get_alt_text (cover), ==, "一杯拿铁的特写");
  g_assert_cmpuint (cin_photo_get_width (cover), ==, 720);
  g_assert_cmpuint (cin_photo_get_height (cover), ==, 960);

  /* Removing one makes room; an image with no file (pasted, or dropped
   * from another app) takes it, as a PNG, and leaves no file behind. */
  {
    CinComposer *composer = cin_window_get_composer (window);
    CinPhotoStrip *strip = cin_composer_get_photo_strip (composer);
    CinPhotoImporter *importer = cin_composer_get_photo_importer (composer);
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 600, 800);
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *pasted = g_build_filename (g_get_user_cache_dir (), "cinnabar", "pasted", NULL);
    g_autoptr(GDir) dir = NULL;
    PhotoCount count = { note, N_PHOTOS };

    cin_photo_strip_select (strip, 5);
    cin_photo_strip_remove_selected (strip);
    g_assert_cmpuint (cin_note_get_n_photos (note), ==, N_PHOTOS - 1);

    gdk_pixbuf_fill (pixbuf, 0x336699ff);
    texture = gdk_texture_new_for_pixbuf (pixbuf);
    cin_photo_importer_import_texture (importer, note, texture);
    cin_test_wait_until (has_photos, &count, "the image to be added");
    cin_test_wait_until (importer_idle, importer, "the image import to finish");
    g_assert_cmpstr (cin_photo_get_mime (cin_note_get_photo (note, N_PHOTOS - 1)), ==, "image/png");
    g_assert_cmpuint (cin_photo_get_width (cin_note_get_photo (note, N_PHOTOS - 1)), ==, 600);
    dir = g_dir_open (pasted, 0, NULL);
    g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);
  }

  cin_test_quit (window);
}

static void
test_photos_run (void)
{
  cin_test_ui_run_app (add_arrange_script);
  g_assert_true (g_file_set_contents (g_build_filename (g_getenv ("CIN_TEST_HOME"), "ids", NULL),
                                      g_strconcat (first_id, "\n", moved_id, NULL), -1, NULL));
}

static void
test_photos_restart (void)
{
  g_autofree char *ids = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (g_build_filename (g_getenv ("CIN_TEST_HOME"), "ids", NULL),
                                      &ids, NULL, NULL));
  lines = g_strsplit (ids, "\n", 2);
  first_id = g_strdup (lines[0]);
  moved_id = g_strdup (lines[1]);
  cin_test_ui_run_app (find_after_restart_script);
}

static void
test_photos (void)
{
  cin_test_run_then_restart ("/ui/photos/subprocess/add", "/ui/photos/subprocess/restart");
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/photos", test_photos);
  g_test_add_func ("/ui/photos/subprocess/add", test_photos_run);
  g_test_add_func ("/ui/photos/subprocess/restart", test_photos_restart);

  return g_test_run ();
}
