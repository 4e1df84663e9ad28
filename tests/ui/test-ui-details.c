/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-details"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cin-autosave.h"
#include "cin-composer-private.h"
#include "ui-test-utils.h"

static void
type_topic (GtkWidget  *entry,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

static void
edit_details_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  GtkWidget *details = GTK_WIDGET (_cin_composer_get_details (composer));
  GtkWidget *entry = cin_test_find_widget (details, GTK_TYPE_ENTRY, NULL);
  CinNote *note;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  note = cin_window_get_current (window);
  cin_test_type (cin_composer_get_title_buffer (composer), "周末探店");

  /* The people the text mentions become the note's mentions. */
  cin_test_type (cin_composer_get_body_buffer (composer), "和 @小红薯 还有 a@b.cn 一起");
  g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_mentions (note)), ==, 1);
  g_assert_cmpstr (cin_note_get_mentions (note)[0], ==, "小红薯");

  /* A '#' and spaces around the word are dropped. */
  type_topic (entry, " #咖啡 ");
  g_assert_cmpstr (cin_note_get_topics (note)[0], ==, "咖啡");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_nonnull (cin_test_find_widget (details, GTK_TYPE_LABEL, "#咖啡"));

  /* The same topic twice is refused, with the reason, and the text stays. */
  type_topic (entry, "咖啡");
  g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_topics (note)), ==, 1);
  g_assert_nonnull (cin_test_find_widget (details, GTK_TYPE_LABEL, _("“#咖啡” is already a topic of this note.")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "咖啡");

  /* Up to the rules' limit, and not one more. */
  for (guint i = 2; i <= 10; i++)
    {
      g_autofree char *topic = g_strdup_printf ("话题%u", i);
      type_topic (entry, topic);
    }
  g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_topics (note)), ==, 10);
  g_assert_nonnull (cin_test_find_widget (details, GTK_TYPE_LABEL, "10 / 10"));
  type_topic (entry, "第十一个");
  g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_topics (note)), ==, 10);
  g_assert_nonnull (cin_test_find_widget (details, GTK_TYPE_LABEL, _("A note can have at most 10 topics. Remove one to add another.")));

  /* A chip's × removes that topic. */
  {
    GtkWidget *chip_label = cin_test_find_widget (details, GTK_TYPE_LABEL, "#话题5");
    GtkWidget *remove = gtk_widget_get_next_sibling (chip_label);

    g_assert_true (GTK_IS_BUTTON (remove));
    g_signal_emit_by_name (remove, "clicked");
    g_assert_false (g_strv_contains (cin_note_get_topics (note), "话题5"));
    g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_topics (note)), ==, 9);
  }

  /* Location, visibility and the declaration go to the note. */
  gtk_editable_set_text (GTK_EDITABLE (cin_test_find_widget (details, ADW_TYPE_ENTRY_ROW, NULL)), "  成都·太古里 ");
  adw_combo_row_set_selected (ADW_COMBO_ROW (cin_test_find_widget (details, ADW_TYPE_COMBO_ROW, NULL)),
                              CIN_VISIBILITY_MUTUAL);
  gtk_switch_set_active (GTK_SWITCH (cin_test_find_widget (details, GTK_TYPE_SWITCH, NULL)), TRUE);
  g_assert_cmpstr (cin_note_get_location (note), ==, "成都·太古里");
  g_assert_cmpint (cin_note_get_visibility (note), ==, CIN_VISIBILITY_MUTUAL);
  g_assert_true (cin_note_get_original (note));

  cin_test_wait_saved ("the details to be saved");
  cin_test_quit (window);
}

static void
record_search_cb (CinComposer *composer,
                  const char  *typed,
                  GPtrArray   *searched)
{
  g_ptr_array_add (searched, g_strdup (typed));
}

static gboolean
searched_once (gpointer data)
{
  return ((GPtrArray *)data)->len > 0;
}

/* When signed in, the window answers search-topics with the server's
 * topics (test-ui-account checks that against a real server); here the
 * composer's side: asked once typing pauses, shown after the creator's
 * own, each topic once, and an answer for a word since changed dropped. */
static void
check_server_topics (CinComposer *composer,
                     GtkWidget   *details,
                     GtkWidget   *entry)
{
  g_autoptr(GPtrArray) searched = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *shown = NULL;

  g_signal_connect (composer, "search-topics", G_CALLBACK (record_search_cb), searched);
  gtk_editable_set_text (GTK_EDITABLE (entry), "#咖");
  g_assert_cmpuint (searched->len, ==, 0);
  cin_test_wait_until (searched_once, searched, "the composer to ask for the server's topics");
  g_assert_cmpuint (searched->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (searched, 0), ==, "咖");

  cin_composer_offer_topics (composer, "咖", (const char * const []) { "咖啡探店", "咖啡", "手冲咖啡", NULL });
  shown = cin_test_dup_button_labels (details, "topic-suggestion");
  g_assert_cmpstr (shown, ==, "#咖啡 #咖啡探店 #手冲咖啡");
  g_clear_pointer (&shown, g_free);

  /* Typing on narrows the server's answer too, until it answers anew. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "咖啡探");
  shown = cin_test_dup_button_labels (details, "topic-suggestion");
  g_assert_cmpstr (shown, ==, "#咖啡探店");
  g_clear_pointer (&shown, g_free);

  /* An answer that comes after the word changed is not shown. */
  cin_composer_offer_topics (composer, "茶", (const char * const []) { "奶茶", NULL });
  shown = cin_test_dup_button_labels (details, "topic-suggestion");
  g_assert_cmpstr (shown, ==, "#咖啡探店");
  g_clear_pointer (&shown, g_free);

  g_signal_handlers_disconnect_by_func (composer, record_search_cb, searched);
  gtk_editable_set_text (GTK_EDITABLE (entry), "咖");
}

static gboolean
title_listed (gpointer window)
{
  GListModel *shown = cin_draft_box_get_shown (cin_window_get_draft_box (window));

  return g_list_model_get_n_items (shown) == 1;
}

static void
find_details_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  GtkWidget *details = GTK_WIDGET (_cin_composer_get_details (composer));
  g_autoptr(CinNoteSummary) summary = NULL;
  CinNote *note;
  GtkWidget *entry;
  GtkWidget *suggestion;

  cin_test_wait_until (title_listed, window, "the draft to be listed");
  summary = g_list_model_get_item (cin_draft_box_get_shown (cin_window_get_draft_box (window)), 0);
  cin_test_open_draft (window, cin_note_summary_get_id (summary));
  note = cin_window_get_current (window);

  g_assert_cmpuint (g_strv_length ((GStrv)cin_note_get_topics (note)), ==, 9);
  g_assert_cmpstr (cin_note_get_location (note), ==, "成都·太古里");
  g_assert_cmpint (cin_note_get_visibility (note), ==, CIN_VISIBILITY_MUTUAL);
  g_assert_true (cin_note_get_original (note));
  g_assert_nonnull (cin_test_find_widget (details, GTK_TYPE_LABEL, "#咖啡"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (cin_test_find_widget (details, GTK_TYPE_SWITCH, NULL))));

  /* In a new draft, typing part of an earlier topic offers it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  note = cin_window_get_current (window);
  entry = cin_test_find_widget (details, GTK_TYPE_ENTRY, NULL);
  cin_test_wait_ms (100);  /* the store lists the earlier topics */
  check_server_topics (composer, details, entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "咖");
  suggestion = cin_test_find_widget (details, GTK_TYPE_LABEL, "#咖啡");
  g_assert_nonnull (suggestion);
  suggestion = gtk_widget_get_ancestor (suggestion, GTK_TYPE_BUTTON);
  g_assert_nonnull (suggestion);
  g_signal_emit_by_name (suggestion, "clicked");
  g_assert_cmpstr (cin_note_get_topics (note)[0], ==, "咖啡");

  /* Typing an @ and the start of a name offers the people mentioned
   * before; taking one completes the name. */
  {
    CinMentionBar *bar = _cin_composer_get_mention_bar (composer);
    GtkTextBuffer *body = cin_composer_get_body_buffer (composer);
    g_auto(GStrv) offered = NULL;
    g_autofree char *text = NULL;
    GtkTextIter start, end;

    cin_test_type (body, "谢谢 @小");
    offered = cin_mention_bar_dup_offered (bar);
    g_assert_cmpuint (g_strv_length (offered), ==, 1);
    g_assert_cmpstr (offered[0], ==, "小红薯");
    cin_mention_bar_complete (bar, offered[0]);
    gtk_text_buffer_get_bounds (body, &start, &end);
    text = gtk_text_buffer_get_text (body, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "谢谢 @小红薯 ");
    g_assert_cmpstr (cin_note_get_mentions (note)[0], ==, "小红薯");
    g_clear_pointer (&offered, g_strfreev);
    offered = cin_mention_bar_dup_offered (bar);
    g_assert_cmpuint (g_strv_length (offered), ==, 0);
  }

  cin_test_quit (window);
}

static void
test_details_run (void)
{
  cin_test_ui_run_app (edit_details_script);
}

static void
test_details_restart (void)
{
  cin_test_ui_run_app (find_details_script);
}

static void
test_details (void)
{
  cin_test_run_then_restart ("/ui/details/subprocess/edit", "/ui/details/subprocess/restart");
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/details", test_details);
  g_test_add_func ("/ui/details/subprocess/edit", test_details_run);
  g_test_add_func ("/ui/details/subprocess/restart", test_details_restart);

  return g_test_run ();
}
