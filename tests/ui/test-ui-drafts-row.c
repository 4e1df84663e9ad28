/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-drafts-row"

#include "cin-draft-row.h"
#include "cin-note.h"
#include "cin-resources.h"
#include "ui-test-utils.h"

static GtkWidget *
sync_image (GtkWidget *row)
{
  return cin_test_find_widget (row, GTK_TYPE_IMAGE, NULL);
}

static void
assert_sync_icon (GtkWidget  *row,
                  const char *icon_name,
                  gboolean    warning)
{
  GtkWidget *image = sync_image (row);

  g_assert_nonnull (image);
  g_assert_true (gtk_widget_get_visible (image));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (image)), ==, icon_name);
  g_assert_true (gtk_widget_has_css_class (image, "warning") == warning);
}

/* A local profile's rows have no sync icon at all; an account's show the
 * mark of each note and follow its changes, also those made while the
 * icon was hidden. */
static void
test_row_sync_marks (void)
{
  GtkWidget *row = g_object_ref_sink (cin_draft_row_new ());
  g_autoptr(CinNoteSummary) summary = cin_note_summary_new ("note-1", "春季穿搭", "\n\n今天试了面霜\n第二行",
                                                            0, g_get_real_time ());

  cin_note_summary_set_sync (summary, CIN_NOTE_STATE_DRAFT, CIN_SYNC_STATE_SYNCED, FALSE, FALSE);
  cin_draft_row_set_summary (CIN_DRAFT_ROW (row), summary);
  /* The title, and the first line with text as the excerpt. */
  g_assert_nonnull (cin_test_find_widget (row, GTK_TYPE_LABEL, "春季穿搭"));
  g_assert_nonnull (cin_test_find_widget (row, GTK_TYPE_LABEL, "今天试了面霜"));
  g_assert_null (sync_image (row));

  g_object_set (row, "show-sync", TRUE, NULL);
  assert_sync_icon (row, "emblem-ok-symbolic", FALSE);
  cin_note_summary_set_sync (summary, CIN_NOTE_STATE_DRAFT, CIN_SYNC_STATE_SYNCED, TRUE, FALSE);
  assert_sync_icon (row, "dialog-warning-symbolic", TRUE);

  g_object_set (row, "show-sync", FALSE, NULL);
  g_assert_false (gtk_widget_get_visible (sync_image (row)));
  cin_note_summary_set_sync (summary, CIN_NOTE_STATE_DRAFT, CIN_SYNC_STATE_CREATED, FALSE, TRUE);
  g_object_set (row, "show-sync", TRUE, NULL);
  assert_sync_icon (row, "edit-copy-symbolic", TRUE);

  /* A row bound to another note shows that note's mark. */
  {
    g_autoptr(CinNoteSummary) other = cin_note_summary_new ("note-2", "", "", 0, 0);

    cin_note_summary_set_sync (other, CIN_NOTE_STATE_PUBLISHED, CIN_SYNC_STATE_SYNCED, FALSE, FALSE);
    cin_draft_row_set_summary (CIN_DRAFT_ROW (row), NULL);
    cin_draft_row_set_summary (CIN_DRAFT_ROW (row), other);
    assert_sync_icon (row, "emblem-shared-symbolic", FALSE);
    g_assert_nonnull (cin_test_find_widget (row, GTK_TYPE_LABEL, "Untitled Draft"));
    cin_draft_row_set_summary (CIN_DRAFT_ROW (row), NULL);
  }

  g_object_unref (row);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Title and excerpt share one block of memory: changing one keeps the
 * other, and only a real change notifies the row. */
static void
test_summary_text (void)
{
  g_autoptr(GString) body = g_string_new ("  ");
  g_autoptr(CinNoteSummary) summary = NULL;
  g_autoptr(CinNoteSummary) again = NULL;
  g_autoptr(CinNote) note = cin_note_new_with_id ("note-1", CIN_NOTE_KIND_PHOTO);
  guint titles = 0, excerpts = 0;
  const char *excerpt;
  const char *id;

  for (guint i = 0; i < 90; i++)
    g_string_append (body, "字");
  summary = cin_note_summary_new ("note-1", "Title", body->str, 1, 2);
  excerpt = cin_note_summary_get_excerpt (summary);
  g_assert_cmpint (g_utf8_strlen (excerpt, -1), ==, CIN_NOTE_EXCERPT_CHARS + 1);
  g_assert_true (g_str_has_suffix (excerpt, "…"));
  id = cin_note_summary_get_id (summary);
  g_assert_cmpstr (id, ==, "note-1");

  g_signal_connect (summary, "notify::title", G_CALLBACK (count_notify_cb), &titles);
  g_signal_connect (summary, "notify::excerpt", G_CALLBACK (count_notify_cb), &excerpts);

  /* Listed again with the same text: nothing to tell. */
  again = cin_note_summary_new ("note-1", "Title", body->str, 1, 2);
  cin_note_summary_assign (summary, again);
  g_assert_cmpuint (titles, ==, 0);
  g_assert_cmpuint (excerpts, ==, 0);

  cin_note_set_title (note, "Title");
  cin_note_set_body (note, "新的一行\n");
  cin_note_summary_update (summary, note);
  g_assert_cmpuint (titles, ==, 0);
  g_assert_cmpuint (excerpts, ==, 1);
  g_assert_cmpstr (cin_note_summary_get_title (summary), ==, "Title");
  g_assert_cmpstr (cin_note_summary_get_excerpt (summary), ==, "新的一行");

  cin_note_set_title (note, "Другой");
  cin_note_summary_update (summary, note);
  g_assert_cmpuint (titles, ==, 1);
  g_assert_cmpuint (excerpts, ==, 1);
  g_assert_cmpstr (cin_note_summary_get_title (summary), ==, "Другой");
  g_assert_cmpstr (cin_note_summary_get_excerpt (summary), ==, "新的一行");
  g_assert_nonnull (cin_note_summary_get_title_key (summary));
  /* The draft box keys its index by the id's address. */
  g_assert_true (cin_note_summary_get_id (summary) == id);
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);
  /* The row's template; the application registers it when it starts. */
  cin_register_resource ();

  g_test_add_func ("/ui/drafts/row/sync-marks", test_row_sync_marks);
  g_test_add_func ("/ui/drafts/row/summary-text", test_summary_text);

  return g_test_run ();
}
