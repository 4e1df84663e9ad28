/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui"

#include <stdlib.h>

#include "cin-autosave.h"
#include "ui-test-utils.h"

#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

static void
use_home (const char *home)
{
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);

  g_setenv ("CIN_TEST_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
}

void
cin_test_use_fresh_home (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cinnabar-ui-XXXXXX", &error);

  g_assert_no_error (error);
  use_home (dir);
}

void
cin_test_ui_init (int    *argc,
                  char ***argv)
{
  const char *home = g_getenv ("CIN_TEST_HOME");

  if (home != NULL)
    use_home (home);
  else
    cin_test_use_fresh_home ();

  gtk_test_init (argc, argv, NULL);
}

void
cin_test_run_then_restart (const char *first,
                           const char *second)
{
  cin_test_use_fresh_home ();
  g_test_trap_subprocess (first, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_subprocess (second, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

void
cin_test_wait_until (CinTestCondition  condition,
                     gpointer          data,
                     const char       *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
timeout_done_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

void
cin_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_done_cb, &done);
  cin_test_wait_until (flag_is_set, &done, "a pause");
}

static gboolean
nothing_unsaved (gpointer data)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());

  return !cin_autosave_get_pending (cin_application_get_autosave (app));
}

void
cin_test_wait_saved (const char *what)
{
  cin_test_wait_until (nothing_unsaved, NULL, what);
}

void
cin_test_type (GtkTextBuffer *buffer,
               const char    *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);

      gtk_text_buffer_insert_interactive_at_cursor (buffer, p, next - p, TRUE);
      cin_test_wait_ms (2);
    }
}

static gboolean
drafts_loaded (gpointer data)
{
  CinWindow *window = data;

  return cin_draft_box_get_loaded (cin_window_get_draft_box (window));
}

typedef struct
{
  void (*script) (CinWindow *window);
  gboolean ran;
} RunData;

static gboolean
run_script_cb (gpointer user_data)
{
  RunData *run = user_data;
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window == NULL)
    return G_SOURCE_CONTINUE;

  cin_test_wait_until (drafts_loaded, window, "the draft box to load");
  run->script (CIN_WINDOW (window));
  run->ran = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static CinApplication *
run_app (void (*script) (CinWindow *window))
{
  CinApplication *app = cin_application_new (G_APPLICATION_NON_UNIQUE);
  RunData run = { script, FALSE };
  char *argv[] = { (char *)"cinnabar", NULL };

  g_timeout_add (10, run_script_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_true (run.ran);
  return app;
}

void
cin_test_ui_run_app (void (*script) (CinWindow *window))
{
  CinApplication *app = run_app (script);
  GList *windows;

  /* Quitting leaves the window, which holds on to the application: both
   * go, and what they still had under way finishes. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *)&app);
  g_object_unref (app);
  cin_test_wait_until (pointer_is_null, &app, "the application to be finalized");
  g_assert_null (g_application_get_default ());
}

void
cin_test_quit (CinWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "quit", NULL);
}

typedef struct {
  CinWindow  *window;
  const char *id;
} OpenDraft;

static gboolean
draft_is_open (gpointer data)
{
  OpenDraft *open = data;
  CinNote *current = cin_window_get_current (open->window);

  return current != NULL && g_str_equal (cin_note_get_id (current), open->id);
}

void
cin_test_open_draft (CinWindow  *window,
                     const char *id)
{
  OpenDraft open = { window, id };

  cin_window_open_draft (window, id);
  cin_test_wait_until (draft_is_open, &open, "the draft to open");
}

static gboolean
has_label (GtkWidget  *widget,
           const char *label)
{
  if (GTK_IS_LABEL (widget))
    return gtk_widget_get_visible (widget) &&
           g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0;
  if (GTK_IS_BUTTON (widget))
    return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
  return FALSE;
}

static void
collect_button_labels (GtkWidget  *root,
                       const char *css_class,
                       GString    *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_widget_has_css_class (child, css_class))
        g_string_append_printf (labels, "%s%s", labels->len > 0 ? " " : "",
                                gtk_button_get_label (GTK_BUTTON (child)));
      else
        collect_button_labels (child, css_class, labels);
    }
}

char *
cin_test_dup_button_labels (GtkWidget  *root,
                            const char *css_class)
{
  GString *labels = g_string_new (NULL);

  collect_button_labels (root, css_class, labels);
  return g_string_free (labels, FALSE);
}

GtkWidget *
cin_test_find_widget (GtkWidget  *root,
                      GType       type,
                      const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (label == NULL || has_label (child, label)))
        return child;
      if ((found = cin_test_find_widget (child, type, label)) != NULL)
        return found;
    }

  return NULL;
}
