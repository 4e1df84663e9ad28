/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-preview"

#include <string.h>

#include "ui-test-utils.h"

static void
preview_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  CinFeedPreview *preview;
  const char *markup;
  CinNote *note;
  gboolean previewing;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  note = cin_window_get_current (window);
  cin_test_type (cin_composer_get_title_buffer (composer), "探店 <咖啡> & 甜品");
  cin_test_type (cin_composer_get_body_buffer (composer), "和 @小红薯 一起去的");
  cin_note_set_topics (note, (const char * const []) { "周末", "咖啡", NULL });

  /* Ctrl+Shift+P's action swaps the composer for the preview and back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preview", NULL);
  g_object_get (window, "previewing", &previewing, NULL);
  g_assert_true (previewing);

  preview = cin_window_get_feed_preview (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preview)));

  /* The card shows the title; the opened note marks up the mention and
   * lists the topics as links, with the text escaped. */
  g_assert_cmpstr (gtk_label_get_text (cin_feed_preview_get_card_title (preview)), ==, "探店 <咖啡> & 甜品");
  markup = gtk_label_get_label (cin_feed_preview_get_body (preview));
  g_assert_nonnull (strstr (markup, "和 <span foreground=\"#3584e4\">@小红薯</span> 一起去的"));
  g_assert_nonnull (strstr (markup, "#周末</span>"));
  g_assert_nonnull (strstr (markup, "#咖啡</span>"));

  /* It follows edits made while it shows. */
  cin_note_set_title (note, "新的标题");
  g_assert_cmpstr (gtk_label_get_text (cin_feed_preview_get_card_title (preview)), ==, "新的标题");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.preview", NULL);
  g_object_get (window, "previewing", &previewing, NULL);
  g_assert_false (previewing);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (preview)));

  cin_test_quit (window);
}

static void
test_preview (void)
{
  cin_test_ui_run_app (preview_script);
}

static void
test_format_body (void)
{
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autofree char *plain = NULL;
  g_autofree char *marked = NULL;

  cin_note_set_body (note, "a<b> @ alone, mail@x.cn and @Café_Ami!");
  marked = cin_feed_preview_format_body (note);
  /* A lone @ is text, and so is an e-mail address; a name after an @ is a
   * link; markup is escaped. */
  g_assert_cmpstr (marked, ==,
                   "a&lt;b&gt; @ alone, mail@x.cn and "
                   "<span foreground=\"#3584e4\">@Café_Ami</span>!");
  g_assert_true (pango_parse_markup (marked, -1, 0, NULL, &plain, NULL, NULL));
  g_assert_cmpstr (plain, ==, "a<b> @ alone, mail@x.cn and @Café_Ami!");
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/preview/format-body", test_format_body);
  g_test_add_func ("/ui/preview/follows-the-note", test_preview);

  return g_test_run ();
}
