/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-draft-list"

#include "cin-paths.h"
#include "cin-store.h"
#include "ui-test-utils.h"

/* More than the first page, and more than GtkListView keeps rows for, so
 * the list arrives in all three steps. */
#define N_DRAFTS 260

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cin_store_save_note_finish (CIN_STORE (object), result, &error));
  g_assert_no_error (error);
  (*pending)--;
}

/* Draft i was edited i minutes ago; every seventh mentions a lipstick. */
static void
seed_store (void)
{
  g_autofree char *path = cin_paths_get_store_path ("local");
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = cin_store_open_sync (path, &error);
  gint64 now = g_get_real_time ();
  guint pending = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < N_DRAFTS; i++)
    {
      g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
      g_autofree char *title = g_strdup_printf ("第 %03u 篇", i);
      g_autofree char *body = g_strdup_printf ("正文 %u\n%s", i, i % 7 == 0 ? "今天的 Lipstick 试色" : "通勤穿搭");

      cin_note_set_title (note, title);
      cin_note_set_body (note, body);
      cin_note_set_updated_at (note, now - (gint64)i * 60 * G_USEC_PER_SEC);
      pending++;
      cin_store_save_note_async (store, note, NULL, saved_cb, &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
list_complete (gpointer data)
{
  return cin_draft_box_get_complete (data);
}

static gboolean
search_done (gpointer data)
{
  return !cin_draft_box_get_searching (data);
}

static CinNoteSummary *
shown_at (CinDraftBox *box,
          guint        position)
{
  g_autoptr(CinNoteSummary) summary = g_list_model_get_item (cin_draft_box_get_shown (box), position);

  return summary;  /* the list holds a reference */
}

static gboolean
is_first (gpointer data)
{
  return g_str_equal (cin_note_summary_get_title (shown_at (data, 0)), "第 259 篇");
}

static gboolean
is_first_renamed (gpointer data)
{
  return g_str_equal (cin_note_summary_get_title (shown_at (data, 0)), "A 第 259 篇");
}

static void
search (CinDraftBox *box,
        const char  *text)
{
  cin_draft_box_set_search_text (box, text);
  cin_test_wait_until (search_done, box, "the search to answer");
}

static void
big_list_script (CinWindow *window)
{
  CinDraftBox *box = cin_window_get_draft_box (window);
  GListModel *shown = cin_draft_box_get_shown (box);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  CinComposer *composer = cin_window_get_composer (window);
  CinNoteSummary *last;
  GtkTextBuffer *title_buffer;
  GtkTextBuffer *body;
  GtkTextIter start;

  /* The first page shows before the rest is read. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 1);
  cin_test_wait_until (list_complete, box, "every draft to be listed");

  /* All of them, each once, newest edit first. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_DRAFTS);
  for (guint i = 0; i < N_DRAFTS; i++)
    {
      g_autofree char *title = g_strdup_printf ("第 %03u 篇", i);
      CinNoteSummary *summary = shown_at (box, i);

      g_assert_cmpstr (cin_note_summary_get_title (summary), ==, title);
      g_assert_true (g_hash_table_add (seen, (char *)cin_note_summary_get_id (summary)));
    }

  /* Search runs over the bodies in the store, ASCII in any case. */
  search (box, "lipstick");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, (N_DRAFTS + 6) / 7);
  g_assert_cmpstr (cin_note_summary_get_title (shown_at (box, 1)), ==, "第 007 篇");
  search (box, "第 123 篇");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  search (box, "没有这样的草稿");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  search (box, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, N_DRAFTS);

  /* Title order puts 第 259 篇 last; updated order again on the way back. */
  g_object_set (window, "draft-sort", "title", NULL);
  g_assert_cmpstr (cin_note_summary_get_title (shown_at (box, N_DRAFTS - 1)), ==, "第 259 篇");
  g_object_set (window, "draft-sort", "updated", NULL);

  /* Editing the oldest draft shows in its row when the autosave takes it,
   * not at each keystroke; that moves it to the top, and a search finds
   * the new words. */
  cin_test_open_draft (window, cin_note_summary_get_id (shown_at (box, N_DRAFTS - 1)));
  body = cin_composer_get_body_buffer (composer);
  gtk_text_buffer_get_start_iter (body, &start);
  gtk_text_buffer_place_cursor (body, &start);
  cin_test_type (body, "樱花");
  last = shown_at (box, N_DRAFTS - 1);
  g_assert_cmpstr (cin_note_summary_get_excerpt (last), ==, "正文 259");
  cin_test_wait_until (is_first, box, "the edited draft to move to the top");
  g_assert_true (shown_at (box, 0) == last);
  g_assert_cmpstr (cin_note_summary_get_excerpt (last), ==, "樱花正文 259");
  search (box, "樱花");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  g_assert_true (shown_at (box, 0) == last);
  search (box, NULL);

  /* In title order a new title moves the draft, when it is saved. */
  g_object_set (window, "draft-sort", "title", NULL);
  g_assert_true (shown_at (box, N_DRAFTS - 1) == last);
  title_buffer = cin_composer_get_title_buffer (composer);
  gtk_text_buffer_get_start_iter (title_buffer, &start);
  gtk_text_buffer_place_cursor (title_buffer, &start);
  cin_test_type (title_buffer, "A ");
  g_assert_true (shown_at (box, N_DRAFTS - 1) == last);
  cin_test_wait_until (is_first_renamed, box, "the renamed draft to move to the top");
  g_assert_true (shown_at (box, 0) == last);

  cin_test_quit (window);
}

static void
test_big_list (void)
{
  seed_store ();
  cin_test_ui_run_app (big_list_script);
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/draft-list/big", test_big_list);

  return g_test_run ();
}
