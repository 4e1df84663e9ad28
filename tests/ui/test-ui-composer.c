/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-composer"

#include "cin-columns.h"
#include "cin-composer-private.h"
#include "cin-font-warmup-private.h"
#include "cin-rules.h"
#include <string.h>
#include "ui-test-utils.h"

static const CinFinding *
find_kind (CinComposer    *composer,
           CinFindingKind  kind)
{
  GPtrArray *findings = cin_composer_get_findings (composer);

  for (guint i = 0; i < findings->len; i++)
    {
      const CinFinding *finding = g_ptr_array_index (findings, i);

      if (finding->kind == kind)
        return finding;
    }

  return NULL;
}

static const CinFinding *
require_kind (CinComposer    *composer,
              CinFindingKind  kind)
{
  const CinFinding *finding = find_kind (composer, kind);

  if (finding == NULL)
    g_error ("The composer shows no finding of kind %d", kind);
  return finding;
}

static gboolean
has_tag_at (GtkTextBuffer *buffer,
            const char    *tag_name,
            int            offset)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  return gtk_text_iter_has_tag (&iter, tag);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
counters_and_findings_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  GtkTextBuffer *title = cin_composer_get_title_buffer (composer);
  GtkTextBuffer *body = cin_composer_get_body_buffer (composer);
  GtkLabel *title_counter = _cin_composer_get_counter (composer, CIN_FIELD_TITLE);
  GtkLabel *body_counter = _cin_composer_get_counter (composer, CIN_FIELD_BODY);
  const CinFinding *finding;
  g_autofree char *after_suggestion = NULL;
  g_autofree char *after_undo = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  g_assert_cmpstr (gtk_label_get_text (title_counter), ==, "0 / 20");
  g_assert_cmpstr (gtk_label_get_text (body_counter), ==, "0 / 1000");

  /* 20 CJK characters fit; ASCII counts half. */
  cin_test_type (title, "一二三四五六七八九十一二三四五六七八九十");
  g_assert_cmpstr (gtk_label_get_text (title_counter), ==, "20 / 20");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (title_counter), "error"));
  cin_test_type (title, "ab");
  g_assert_cmpstr (gtk_label_get_text (title_counter), ==, "21 / 20");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (title_counter), "error"));

  cin_composer_check_now (composer);
  finding = require_kind (composer, CIN_FINDING_TITLE_TOO_LONG);
  g_assert_cmpint (finding->field, ==, CIN_FIELD_TITLE);
  g_assert_true (has_tag_at (title, "finding-error", 20));
  g_assert_false (has_tag_at (title, "finding-error", 5));

  /* A line break pasted into the title stays one line. */
  gtk_text_buffer_insert_interactive_at_cursor (title, "\nx", -1, TRUE);
  g_assert_null (strchr (cin_note_get_title (cin_window_get_current (window)), '\n'));

  cin_test_type (body, "这是我用过最好的面霜 #护肤");
  g_assert_cmpstr (gtk_label_get_text (body_counter), ==, "14 / 1000");
  cin_composer_check_now (composer);

  g_assert_nonnull (find_kind (composer, CIN_FINDING_TYPED_TOPIC));
  finding = require_kind (composer, CIN_FINDING_AD_ABSOLUTE_CLAIM);
  g_assert_cmpint (finding->field, ==, CIN_FIELD_BODY);
  g_assert_true (has_tag_at (body, "finding-warning", finding->start));
  g_assert_nonnull (finding->suggestion);

  /* Taking the suggestion replaces the words and clears the finding... */
  g_signal_emit_by_name (_cin_composer_get_findings_view (composer), "apply-suggestion", finding);
  after_suggestion = buffer_text (body);
  g_assert_null (strstr (after_suggestion, "最好"));
  g_assert_null (find_kind (composer, CIN_FINDING_AD_ABSOLUTE_CLAIM));
  g_assert_cmpstr (cin_note_get_body (cin_window_get_current (window)), ==, after_suggestion);

  /* ...and one undo brings them back. */
  gtk_text_buffer_undo (body);
  after_undo = buffer_text (body);
  g_assert_cmpstr (after_undo, ==, "这是我用过最好的面霜 #护肤");

  cin_test_quit (window);
}

static void
test_counters_and_findings (void)
{
  cin_test_ui_run_app (counters_and_findings_script);
}

/* The emoji chooser is made when first opened (made with the composer it
 * would fill itself at start-up, a second of work), and once made it is
 * kept; what it picks goes in at the body's cursor. */
static void
emoji_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  GtkTextBuffer *body = cin_composer_get_body_buffer (composer);
  GtkMenuButton *button;
  GtkPopover *chooser;
  g_autofree char *text = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  button = _cin_composer_get_emoji_button (composer);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Insert Emoji");
  g_assert_null (gtk_menu_button_get_popover (button));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  cin_test_type (body, "春日");
  gtk_menu_button_popup (button);
  chooser = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_EMOJI_CHOOSER (chooser));

  g_signal_emit_by_name (chooser, "emoji-picked", "🌸");
  text = buffer_text (body);
  g_assert_cmpstr (text, ==, "春日🌸");
  g_assert_cmpstr (cin_note_get_body (cin_window_get_current (window)), ==, "春日🌸");

  gtk_menu_button_popdown (button);
  gtk_menu_button_popup (button);
  g_assert_true (gtk_menu_button_get_popover (button) == chooser);
  gtk_menu_button_popdown (button);

  cin_test_quit (window);
}

static void
test_emoji (void)
{
  cin_test_ui_run_app (emoji_script);
}

static void
warmed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  char ***files = user_data;
  g_autoptr(GError) error = NULL;

  *files = cin_font_warmup_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
strv_set (gpointer data)
{
  return *(char ***) data != NULL;
}

/* The worker finds the very fonts the view draws with: a bold title and
 * a regular body each get their own, and the sample's Chinese, Latin
 * and emoji take more than one font file. */
static char **
assert_warms_what_draws (GtkTextView *view,
                         const char  *sample)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (view), sample);
  g_auto(GStrv) drawn = _cin_font_warmup_list_files (layout);
  char **warmed = NULL;

  cin_font_warmup_async (GTK_WIDGET (view), sample, warmed_cb, &warmed);
  cin_test_wait_until (strv_set, &warmed, "the fonts to load");
  g_assert_cmpuint (g_strv_length (drawn), >=, 2);
  g_assert_true (g_strv_equal ((const char * const *) warmed, (const char * const *) drawn));
  return warmed;
}

static void
font_warmup_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  g_auto(GStrv) title_files = NULL;
  g_auto(GStrv) body_files = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  title_files = assert_warms_what_draws (_cin_composer_get_title_view (composer), CIN_COMPOSER_FONT_SAMPLE);
  body_files = assert_warms_what_draws (_cin_composer_get_body_view (composer), CIN_COMPOSER_FONT_SAMPLE);
  g_assert_false (g_strv_equal ((const char * const *) title_files, (const char * const *) body_files));

  cin_test_quit (window);
}

static void
test_font_warmup (void)
{
  cin_test_ui_run_app (font_warmup_script);
}

static GtkWidget *
fixed_size_box (int width,
                int height)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_size_request (box, width, height);
  return box;
}

static void
allocate_columns (GtkWidget *columns,
                  int        width)
{
  int min, nat;

  gtk_widget_measure (columns, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  gtk_widget_allocate (columns, width, nat, -1, NULL);
}

/* The checks sit beside the text from the width set, else below it, and
 * the choice follows the width of each allocation, not an earlier one. */
static void
test_columns (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *columns = cin_columns_new ();
  GtkWidget *text = fixed_size_box (200, 400);
  GtkWidget *checks = fixed_size_box (100, 80);
  graphene_rect_t text_bounds, checks_bounds;
  int min, nat;

  g_object_set (columns, "side-width", 300, "wide-width", 760, "spacing", 24, NULL);
  gtk_widget_set_parent (text, columns);
  gtk_widget_set_parent (checks, columns);
  gtk_window_set_child (GTK_WINDOW (window), columns);

  /* As narrow as the wider column, which is what a 400 px window gives. */
  gtk_widget_measure (columns, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 200);
  g_assert_cmpint (nat, ==, 200 + 24 + 300);

  allocate_columns (columns, 900);
  g_assert_true (gtk_widget_compute_bounds (text, columns, &text_bounds));
  g_assert_true (gtk_widget_compute_bounds (checks, columns, &checks_bounds));
  g_assert_cmpfloat (text_bounds.origin.x, ==, 0);
  g_assert_cmpfloat (text_bounds.size.width, ==, 900 - 24 - 300);
  g_assert_cmpfloat (checks_bounds.origin.x, ==, 900 - 300);
  g_assert_cmpfloat (checks_bounds.origin.y, ==, 0);
  g_assert_cmpfloat (checks_bounds.size.width, ==, 300);

  allocate_columns (columns, 500);
  g_assert_true (gtk_widget_compute_bounds (text, columns, &text_bounds));
  g_assert_true (gtk_widget_compute_bounds (checks, columns, &checks_bounds));
  g_assert_cmpfloat (text_bounds.size.width, ==, 500);
  g_assert_cmpfloat (checks_bounds.origin.x, ==, 0);
  g_assert_cmpfloat (checks_bounds.origin.y, ==, 400 + 24);
  g_assert_cmpfloat (checks_bounds.size.width, ==, 500);

  /* And back, in the very next allocation. */
  allocate_columns (columns, 760);
  g_assert_true (gtk_widget_compute_bounds (checks, columns, &checks_bounds));
  g_assert_cmpfloat (checks_bounds.origin.x, ==, 760 - 300);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/composer/counters-and-findings", test_counters_and_findings);
  g_test_add_func ("/ui/composer/emoji", test_emoji);
  g_test_add_func ("/ui/composer/font-warmup", test_font_warmup);
  g_test_add_func ("/ui/composer/columns", test_columns);

  return g_test_run ();
}
