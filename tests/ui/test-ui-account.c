/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-account"
/* memmem() */
#define _GNU_SOURCE

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "cin-composer-private.h"
#include "cin-paths.h"
#include "cin-photo-importer.h"
#include "cin-photo-paintable.h"
#include "cin-photo-strip.h"
#include "cin-schedule-popover.h"
#include "cin-secret.h"
#include "cin-sign-in-page.h"
#include "cin-sync-status-button.h"
#include "cin-tus-client.h"
#include "cin-window-private.h"
#include "server-test-util.h"
#include "ui-test-utils.h"

/* The real window against the real cinnabar-server, with the token in a
 * real gnome-keyring-daemon started here on the session bus meson gives
 * this test alone (dbus-run-session, see meson.build), in private HOME
 * and XDG dirs: it never reaches a developer's keyring. A creator signs
 * in through the page's own widgets, writes a note, publishes it and sees
 * "Published" once the server says so; then signs out. A change the
 * server refuses waits in the sync status's popover with the server's
 * reason until the note is fixed or retried; a session the server forgot
 * turns the window signed out until the creator signs in again; a photo
 * note written on another device comes with its photo; an account that is
 * not open goes on syncing; topics and @mentions complete from the server's
 * topics and the people the account follows. */

#define HANDLE             "mei"
#define KEYRING_PASSWORD   "cinnabar ui test keyring"
#define KEYRING_BUS_NAME   "org.freedesktop.secrets"
#define KEYRING_START_WAIT (20 * G_TIME_SPAN_SECOND)
#define TITLE              "Autumn tea"

/* Each of the later tests signs up an account of its own. */
#define RETRY_HANDLE       "lin"
#define SESSION_HANDLE     "tao"
#define ELSEWHERE_HANDLE   "yun"
/* Two accounts of one agency: one open, the other synced meanwhile. */
#define AWAY_HANDLE        "kai"
#define OPEN_HANDLE        "lan"
#define AWAY_TITLE         "不在前台也能同步"
/* A creator who follows two people, one of whom posts about coffee. */
#define COMPLETING_HANDLE  "wen"
#define AUTHOR_HANDLE      "ning"
#define FRIEND_HANDLE      "mochi"
/* ASCII counts half against the title's limit of 20: 50 characters are
 * 25, refused; without ", then iced" 39 are 20, taken. */
#define LONG_TITLE         "Osmanthus oolong, cold brewed overnight, then iced"
#define SHORTENED_TITLE    "Osmanthus oolong, cold brewed overnight"
/* 46 characters, 23: refused at 20, taken once the server allows 40. */
#define RETRIED_TITLE      "Jasmine pearls, three infusions, then a fourth"
#define RAISED_TITLE_MAX   40
#define SERVER_POLL_US     (100 * 1000)

static TestServer *server;
static GSubprocess *keyring;
static char *test_home;

static void
keyring_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
bus_name_has_owner (GDBusConnection *bus,
                    const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* HOME, XDG_RUNTIME_DIR and the XDG dirs cin_test_ui_init() chose: the
 * keyring's files and the app's all land under test_home. */
static void
set_up_private_home (void)
{
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;

  test_home = g_strdup (g_getenv ("CIN_TEST_HOME"));
  g_assert_nonnull (test_home);
  home = g_build_filename (test_home, "home", NULL);
  runtime = g_build_filename (test_home, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
}

static void
start_keyring (void)
{
  static const char *names[] = {
    "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
  };
  g_autofree char *log_path = g_build_filename (test_home, "gnome-keyring.log", NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GVariantBuilder) env = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *input;
  gint64 deadline;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  if (bus_name_has_owner (bus, KEYRING_BUS_NAME))
    g_error ("A Secret Service already runs on this bus; run the test through meson, "
             "which gives it a bus of its own");

  /* Whatever the bus starts by activation sees the private dirs too. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_variant_builder_add (env, "{ss}", names[i], g_getenv (names[i]));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* Not on our stderr: meson waits for every holder of it to go. */
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, keyring_child_setup, NULL, NULL);
  /* --unlock makes the login keyring with the password from stdin. */
  keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                         "--foreground", "--unlock", "--components=secrets",
                                         NULL);
  g_assert_no_error (error);

  input = g_subprocess_get_stdin_pipe (keyring);
  g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + KEYRING_START_WAIT;
  while (!bus_name_has_owner (bus, KEYRING_BUS_NAME))
    {
      if (g_subprocess_get_identifier (keyring) == NULL)
        g_error ("gnome-keyring-daemon exited before it took %s", KEYRING_BUS_NAME);
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not take %s in time", KEYRING_BUS_NAME);
      g_usleep (20 * 1000);
    }
}

static void
stop_keyring (void)
{
  if (keyring == NULL)
    return;
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, NULL);
  g_clear_object (&keyring);
}

/* The keyring, read as another program would. */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static char *
lookup_token (const char *handle)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = cin_profile_normalize_server (server->base_url, NULL);
  char *token;

  cin_secret_lookup_token_async (normalized, handle, NULL, store_result_cb, &result);
  cin_test_wait_until (result_arrived, &result, "the keyring to answer");
  token = cin_secret_lookup_token_finish (result, &error);
  g_assert_no_error (error);
  return token;
}

/* Fails if @needle is in any file under @dir. */
static void
assert_in_no_file (const char *dir,
                   const char *needle)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_in_no_file (path, needle);
          continue;
        }
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("The token is written in %s", path);
    }
}

/* Widgets */

static void
collect_entry_rows (GtkWidget *root,
                    GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ENTRY_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_entry_rows (child, rows);
    }
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = find_action_button (child, action)) != NULL)
        return found;
    }
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
sign_in_settled (gpointer data)
{
  return !cin_sign_in_page_get_busy (data);
}

static gboolean
account_is_syncing (gpointer data)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinProfile *profile = cin_application_get_profile (app);

  return cin_application_get_ready (app) && profile != NULL &&
         cin_profile_get_kind (profile) == CIN_PROFILE_KIND_ACCOUNT &&
         cin_application_get_engine (app) != NULL;
}

static gboolean
account_is_signed_out (gpointer data)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinProfile *profile = cin_application_get_profile (app);

  return cin_application_get_ready (app) && profile != NULL &&
         cin_profile_get_kind (profile) == CIN_PROFILE_KIND_ACCOUNT &&
         cin_application_get_signed_out (app) &&
         cin_draft_box_get_loaded (cin_window_get_draft_box (data));
}

static gboolean
page_is_hidden (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
local_is_open (gpointer data)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinProfile *profile = cin_application_get_profile (app);

  return cin_application_get_ready (app) && profile != NULL &&
         cin_profile_get_kind (profile) == CIN_PROFILE_KIND_LOCAL &&
         cin_draft_box_get_loaded (cin_window_get_draft_box (data));
}

static gboolean
note_is_saved (gpointer data)
{
  return g_strcmp0 (_cin_window_get_save_status (data), "Saved") == 0;
}

static gboolean
importer_idle (gpointer data)
{
  return cin_photo_importer_get_pending (data) == 0;
}

static gboolean
shows_no_status (gpointer data)
{
  return _cin_window_get_publish_status (data) == NULL;
}

static gboolean
has_a_photo (gpointer data)
{
  CinNote *current = cin_window_get_current (data);

  return current != NULL && cin_note_get_n_photos (current) == 1;
}

static gboolean
shows_published (gpointer data)
{
  return g_strcmp0 (_cin_window_get_publish_status (data), "Published") == 0;
}

typedef struct {
  CinWindow         *window;
  const char        *id;
  CinNoteSyncStatus  sync;   /* the row's sync mark waited for */
} RowWait;

static gboolean
row_sync_is (gpointer data)
{
  RowWait *wait = data;
  CinNoteSummary *summary = cin_draft_box_find (cin_window_get_draft_box (wait->window), wait->id);

  return summary != NULL && cin_note_summary_get_sync_status (summary) == wait->sync;
}

static gboolean
row_says_published (gpointer data)
{
  RowWait *wait = data;
  CinNoteSummary *summary = cin_draft_box_find (cin_window_get_draft_box (wait->window), wait->id);

  return row_sync_is (data) && cin_note_summary_get_state (summary) == CIN_NOTE_STATE_PUBLISHED;
}

static gboolean
shows_scheduled (gpointer data)
{
  return g_str_has_prefix (_cin_window_get_publish_status (data) ?: "", "Scheduled for ");
}

static gboolean
shows_refusal (gpointer data)
{
  return g_str_has_prefix (_cin_window_get_publish_status (data) ?: "", "Not published: ");
}

static gboolean
status_needs_attention (gpointer data)
{
  return g_strcmp0 (cin_sync_status_button_get_label (data), "Needs attention") == 0 &&
         cin_sync_status_button_get_n_waiting (data) == 1;
}

static gboolean
copies_done (gpointer data)
{
  return _cin_window_get_n_copying (data) == 0;
}

typedef struct {
  CinWindow  *window;
  const char *title;
} TitleWait;

static gboolean
draft_box_has_title (gpointer data)
{
  TitleWait *wait = data;
  GListModel *drafts = cin_draft_box_get_drafts (cin_window_get_draft_box (wait->window));

  for (guint i = 0; i < g_list_model_get_n_items (drafts); i++)
    {
      g_autoptr(CinNoteSummary) summary = g_list_model_get_item (drafts, i);

      if (g_str_equal (cin_note_summary_get_title (summary), wait->title))
        return TRUE;
    }
  return FALSE;
}

/* A new draft with @title, and a photo when @photo. Returns its id. */
static char *
write_draft (CinWindow  *window,
             const char *title,
             gboolean    photo)
{
  CinComposer *composer = cin_window_get_composer (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL));
  g_assert_nonnull (cin_window_get_current (window));
  cin_test_type (cin_composer_get_title_buffer (composer), title);
  cin_test_type (cin_composer_get_body_buffer (composer), "Osmanthus oolong, cold brewed overnight.");
  if (photo)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 720, 960);
      g_autoptr(GdkTexture) texture = NULL;

      gdk_pixbuf_fill (pixbuf, 0xc0603aff);
      texture = gdk_texture_new_for_pixbuf (pixbuf);
      cin_photo_importer_import_texture (cin_composer_get_photo_importer (composer),
                                         cin_window_get_current (window), texture);
      cin_test_wait_until (has_a_photo, window, "the photo to be added");
      cin_test_wait_until (importer_idle, cin_composer_get_photo_importer (composer), "the photo import");
    }
  cin_test_wait_until (note_is_saved, window, "the draft to be saved");
  return g_strdup (cin_note_get_id (cin_window_get_current (window)));
}

static gboolean
status_says_synced (gpointer data)
{
  return g_strcmp0 (cin_sync_status_button_get_label (data), "Synced") == 0;
}

/* The AdwWindowTitle titled @title under @root, or NULL. */
static GtkWidget *
find_window_title (GtkWidget  *root,
                   const char *title)
{
  if (ADW_IS_WINDOW_TITLE (root) && g_strcmp0 (adw_window_title_get_title (ADW_WINDOW_TITLE (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_window_title (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
record_label_cb (GtkLabel   *label,
                 GParamSpec *pspec,
                 GPtrArray  *texts)
{
  g_ptr_array_add (texts, g_strdup (gtk_label_get_label (label)));
}

static gboolean
saw_upload (gpointer data)
{
  GPtrArray *texts = data;

  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), "Uploading photo 1 of 1 ("))
      return TRUE;
  return FALSE;
}

static void
sign_in_and_publish_script (CinWindow *window)
{
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  CinSignInPage *page;
  CinSyncStatusButton *status;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(TestResponse) response = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  GtkWidget *publish;
  RowWait row_wait;

  /* The local profile: no account, nothing to publish to. */
  status = CIN_SYNC_STATUS_BUTTON (cin_test_find_widget (GTK_WIDGET (window), CIN_TYPE_SYNC_STATUS_BUTTON, NULL));
  g_assert_nonnull (status);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));
  publish = cin_test_find_widget (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON, NULL);
  g_assert_nonnull (publish);
  g_assert_false (gtk_widget_get_visible (publish));

  /* "Add Account…" in the profile menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.add", NULL));
  page = CIN_SIGN_IN_PAGE (cin_test_find_widget (GTK_WIDGET (window), CIN_TYPE_SIGN_IN_PAGE, NULL));
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (page)));
  collect_entry_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, ==, 3);
  /* The default server is filled in; this test's server replaces it. */
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 0)), ==, "http://127.0.0.1:8080");
  gtk_editable_set_text (g_ptr_array_index (rows, 0), server->base_url);
  gtk_editable_set_text (g_ptr_array_index (rows, 1), "@" HANDLE);

  /* A wrong password: the server's reason, inline, and no profile. */
  gtk_editable_set_text (g_ptr_array_index (rows, 2), "not the password");
  click (find_action_button (GTK_WIDGET (page), "sign-in.sign-in"));
  g_assert_true (cin_sign_in_page_get_busy (page));
  cin_test_wait_until (sign_in_settled, page, "the refused sign-in");
  g_assert_nonnull (cin_sign_in_page_get_error (page));
  g_assert_cmpstr (cin_sign_in_page_get_error (page), !=, "");
  g_assert_null (cin_profiles_find_account (cin_application_get_profiles (CIN_APPLICATION (g_application_get_default ())),
                                            server->base_url, HANDLE));

  gtk_editable_set_text (g_ptr_array_index (rows, 2), TEST_PASSWORD);
  g_assert_null (cin_sign_in_page_get_error (page));
  click (find_action_button (GTK_WIDGET (page), "sign-in.sign-in"));
  cin_test_wait_until (account_is_syncing, NULL, "the account profile to open and sync");
  cin_test_wait_until (page_is_hidden, page, "the sign-in page to go");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_true (gtk_widget_get_visible (publish));

  /* The token is in the keyring and in no file. */
  token = lookup_token (HANDLE);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >, 8);
  assert_in_no_file (test_home, token);

  /* A photo note: a title, a body, a photo, which goes up as soon as
   * the note is saved, and says so. */
  g_signal_connect (_cin_window_get_publish_label (window), "notify::label",
                    G_CALLBACK (record_label_cb), statuses);
  id = write_draft (window, TITLE, TRUE);
  cin_test_wait_until (saw_upload, statuses, "the composer to say the photo is uploading");
  g_signal_handlers_disconnect_by_func (_cin_window_get_publish_label (window), record_label_cb, statuses);

  click (find_action_button (publish, "win.publish"));
  g_assert_cmpstr (_cin_window_get_publish_status (window), ==, "Publishing…");
  cin_test_wait_until (shows_published, window, "the note to show Published");
  /* Out is out: publishing again is not offered. */
  g_assert_false (gtk_widget_is_sensitive (publish));

  /* Published is what the server says. */
  path = g_strdup_printf ("/v1/notes/%s", id);
  response = test_server_request (server, "GET", path, token, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (test_response_string (response, "state"), ==, "published");

  /* The row says so too, and nothing waits. */
  row_wait.window = window;
  row_wait.id = id;
  row_wait.sync = CIN_NOTE_SYNC_SYNCED;
  cin_test_wait_until (row_says_published, &row_wait, "the draft's row to say published");
  cin_test_wait_until (status_says_synced, status, "the sync status to say Synced");
  /* The header says it too, after whose drafts these are. */
  {
    GtkWidget *title = find_window_title (GTK_WIDGET (window), "Drafts");

    g_assert_nonnull (title);
    g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "@" HANDLE " · Synced");
  }

  /* Back to a draft (the draft menu), then out again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.unpublish", NULL));
  g_assert_cmpstr (_cin_window_get_publish_status (window), ==, "Taking the note down…");
  cin_test_wait_until (shows_no_status, window, "the note to be a draft again");
  {
    g_autoptr(TestResponse) back = test_server_request (server, "GET", path, token, NULL, NULL);

    g_assert_cmpstr (test_response_string (back, "state"), ==, "draft");
  }
  click (find_action_button (publish, "win.publish"));
  cin_test_wait_until (shows_published, window, "the note to show Published again");
  cin_test_wait_until (row_says_published, &row_wait, "the draft's row to say published again");
  assert_in_no_file (test_home, token);

  /* Scheduled through the split button's popover, at the earliest time
   * the rules allow. */
  {
    g_autofree char *scheduled_id = write_draft (window, "Winter soup", TRUE);
    g_autofree char *scheduled_path = g_strdup_printf ("/v1/notes/%s", scheduled_id);
    g_autoptr(TestResponse) scheduled = NULL;
    GtkPopover *popover = adw_split_button_get_popover (ADW_SPLIT_BUTTON (publish));

    g_assert_true (CIN_IS_SCHEDULE_POPOVER (popover));
    gtk_popover_popup (popover);
    cin_schedule_popover_set_limits (CIN_SCHEDULE_POPOVER (popover), 3600, 14 * 24 * 3600);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popover), "schedule.schedule", NULL));
    cin_test_wait_until (shows_scheduled, window, "the note to show Scheduled");
    scheduled = test_server_request (server, "GET", scheduled_path, token, NULL, NULL);
    g_assert_cmpuint (scheduled->status, ==, 200);
    g_assert_cmpstr (test_response_string (scheduled, "state"), ==, "scheduled");
  }

  /* A photo note without a photo is refused: the server's reason on the
   * note and in the sync status, the row marked. */
  {
    g_autofree char *refused_id = write_draft (window, "No photo yet", FALSE);
    RowWait refused_wait = { window, refused_id, CIN_NOTE_SYNC_REFUSED };

    click (find_action_button (publish, "win.publish"));
    cin_test_wait_until (shows_refusal, window, "the refusal to show on the note");
    cin_test_wait_until (row_sync_is, &refused_wait, "the row to say refused");
    cin_test_wait_until (status_needs_attention, status, "the sync status to need attention");
  }

  /* Copied to the local profile, found there after signing out. */
  cin_test_open_draft (window, id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.copy-to", "s", "local"));
  g_assert_cmpuint (_cin_window_get_n_copying (window), ==, 1);
  cin_test_wait_until (copies_done, window, "the copy to the local profile");

  /* Sign out: back to the local profile, the token gone from the keyring
   * and the session from the server. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.sign-out", NULL));
  cin_test_wait_until (local_is_open, window, "the local profile to open again");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_false (gtk_widget_get_visible (publish));
  g_assert_null (cin_draft_box_find (cin_window_get_draft_box (window), id));
  {
    TitleWait copied = { window, TITLE };

    cin_test_wait_until (draft_box_has_title, &copied, "the copy in the local profile");
  }
  {
    g_autofree char *gone = lookup_token (HANDLE);
    g_autoptr(TestResponse) after = test_server_request (server, "GET", path, token, NULL, NULL);

    g_assert_null (gone);
    g_assert_cmpuint (after->status, ==, 401);
  }
  assert_in_no_file (test_home, token);

  /* The account's profile stays, drafts and all; opened again it says it
   * is signed out, and signing in again asks only for the password. */
  {
    CinApplication *app = CIN_APPLICATION (g_application_get_default ());
    g_autoptr(CinProfile) account = NULL;
    g_autoptr(GPtrArray) again_rows = g_ptr_array_new ();
    g_autofree char *normalized = cin_profile_normalize_server (server->base_url, NULL);

    account = cin_profiles_find_account (cin_application_get_profiles (app), server->base_url, HANDLE);
    g_assert_nonnull (account);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.profile", "s",
                                               cin_profile_get_id (account)));
    cin_test_wait_until (account_is_signed_out, window, "the signed-out account to open");
    g_assert_cmpstr (cin_sync_status_button_get_label (status), ==, "Signed out");
    g_assert_nonnull (cin_draft_box_find (cin_window_get_draft_box (window), id));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.sign-in", NULL));
    collect_entry_rows (GTK_WIDGET (page), again_rows);
    g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (again_rows, 0)), ==, normalized);
    g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (again_rows, 1)), ==, HANDLE);
    g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (again_rows, 2)), ==, "");
    gtk_editable_set_text (g_ptr_array_index (again_rows, 2), TEST_PASSWORD);
    click (find_action_button (GTK_WIDGET (page), "sign-in.sign-in"));
    cin_test_wait_until (account_is_syncing, NULL, "the account to sync again");
    cin_test_wait_until (status_says_synced, status, "the sync status to say Synced again");
  }

  cin_test_quit (window);
}

static void
test_sign_in_and_publish (void)
{
  cin_test_ui_run_app (sign_in_and_publish_script);
}

/* A refused change, and a forgotten session */

typedef struct {
  const char *path;
  const char *token;
  const char *member;
  const char *value;
  gint64      next_check;
} ServerWait;

/* Whether the server's copy of a note has @value in @member. Asked at
 * most every SERVER_POLL_US, as each request blocks the main loop. */
static gboolean
server_note_says (gpointer data)
{
  ServerWait *wait = data;
  g_autoptr(TestResponse) response = NULL;
  gint64 now = g_get_monotonic_time ();

  if (now < wait->next_check)
    return FALSE;
  wait->next_check = now + SERVER_POLL_US;
  response = test_server_request (server, "GET", wait->path, wait->token, NULL, NULL);
  return response->status == 200 &&
         g_strcmp0 (test_response_string (response, wait->member), wait->value) == 0;
}

static void
wait_for_server_note (const char *id,
                      const char *token,
                      const char *member,
                      const char *value,
                      const char *what)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes/%s", id);
  ServerWait wait = { path, token, member, value, 0 };

  cin_test_wait_until (server_note_says, &wait, what);
}

static char *
get_server_title (const char *id,
                  const char *token)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes/%s", id);
  g_autoptr(TestResponse) response = test_server_request (server, "GET", path, token, NULL, NULL);

  if (response->status != 200)
    return NULL;
  return g_strdup (test_response_string (response, "title"));
}

static gboolean
account_syncs_as (gpointer data)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinProfile *profile = cin_application_get_profile (app);
  CinWindow *window = CIN_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  return account_is_syncing (NULL) && g_str_equal (cin_profile_get_handle (profile), data) &&
         cin_draft_box_get_loaded (cin_window_get_draft_box (window));
}

/* Adds @handle's account through the sign-in page, as a creator does. */
static void
sign_in_as (CinWindow  *window,
            const char *handle)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  CinSignInPage *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.add", NULL));
  page = CIN_SIGN_IN_PAGE (cin_test_find_widget (GTK_WIDGET (window), CIN_TYPE_SIGN_IN_PAGE, NULL));
  g_assert_nonnull (page);
  collect_entry_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, ==, 3);
  gtk_editable_set_text (g_ptr_array_index (rows, 0), server->base_url);
  gtk_editable_set_text (g_ptr_array_index (rows, 1), handle);
  gtk_editable_set_text (g_ptr_array_index (rows, 2), TEST_PASSWORD);
  click (find_action_button (GTK_WIDGET (page), "sign-in.sign-in"));
  cin_test_wait_until (account_syncs_as, (gpointer)handle, "the new account to open and sync");
  cin_test_wait_until (page_is_hidden, page, "the sign-in page to go");
}

static CinSyncStatusButton *
find_sync_status (CinWindow *window)
{
  GtkWidget *status = cin_test_find_widget (GTK_WIDGET (window), CIN_TYPE_SYNC_STATUS_BUTTON, NULL);

  g_assert_nonnull (status);
  return CIN_SYNC_STATUS_BUTTON (status);
}

/* The icon beside the status's word: the first image, before the popover's. */
static const char *
get_status_icon (CinSyncStatusButton *status)
{
  GtkWidget *image = cin_test_find_widget (GTK_WIDGET (status), GTK_TYPE_IMAGE, NULL);

  g_assert_nonnull (image);
  return gtk_image_get_icon_name (GTK_IMAGE (image));
}

static gboolean
button_pressed_once (gpointer data)
{
  GtkWidget *button = *(GtkWidget **)data;

  return button != NULL && !gtk_widget_get_sensitive (button);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Opens the status's popover as a click on the status does. */
static GtkWidget *
open_status_popover (CinSyncStatusButton *status)
{
  GtkWidget *button = cin_test_find_widget (GTK_WIDGET (status), GTK_TYPE_MENU_BUTTON, NULL);
  GtkPopover *popover;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  cin_test_wait_until (widget_is_mapped, popover, "the sync status popover to open");
  return GTK_WIDGET (popover);
}

typedef struct {
  GtkWidget  *popover;
  const char *title;
  GtkWidget  *row;      /* out */
} RefusalWait;

/* The popover lists the outbox anew on every "outbox-changed", a listing
 * on the store's thread replacing every row: rows shown when the signal
 * came are marked, so a test waits for the rows listed after it. */
static void
on_outbox_changed_mark_rows_cb (CinSyncEngine *engine,
                                GtkWidget     *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_object_set_data (G_OBJECT (child), "listed-before-change", GINT_TO_POINTER (TRUE));
}

static void
mark_rows_on_outbox_change (CinSyncStatusButton *status,
                            CinSyncEngine       *engine)
{
  GtkWidget *list = cin_test_find_widget (GTK_WIDGET (status), GTK_TYPE_LIST_BOX, NULL);

  g_assert_nonnull (list);
  g_assert_nonnull (engine);
  g_signal_connect_object (engine, "outbox-changed", G_CALLBACK (on_outbox_changed_mark_rows_cb),
                           list, G_CONNECT_AFTER);
}

/* The popover's row for the note titled @title, listed since the last
 * change to the outbox, saying its changes were refused. */
static gboolean
popover_lists_refusal (gpointer data)
{
  RefusalWait *wait = data;
  GtkWidget *list = cin_test_find_widget (wait->popover, GTK_TYPE_LIST_BOX, NULL);

  g_assert_nonnull (list);
  wait->row = NULL;
  if (!gtk_widget_get_visible (list))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) &&
          g_object_get_data (G_OBJECT (child), "listed-before-change") == NULL &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), wait->title) == 0 &&
          g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (child)) ?: "", "Changes refused: "))
        {
          wait->row = child;
          return TRUE;
        }
    }
  return FALSE;
}

/* "Synced", nothing waiting, and the popover saying so. */
static gboolean
status_all_sent (gpointer data)
{
  CinSyncStatusButton *status = data;

  return status_says_synced (status) && cin_sync_status_button_get_n_waiting (status) == 0 &&
         cin_test_find_widget (GTK_WIDGET (status), GTK_TYPE_LABEL, "Every change is on the server.") != NULL &&
         !gtk_widget_get_visible (cin_test_find_widget (GTK_WIDGET (status), GTK_TYPE_LIST_BOX, NULL));
}

/* Typing saves as it goes, so a draft is sent several times: only once
 * the engine is done is the last save's answer the one shown. */
static gboolean
engine_waits_with_refusal (gpointer data)
{
  CinSyncEngine *engine = data;

  return !cin_sync_engine_get_busy (engine) &&
         cin_sync_engine_get_status (engine) == CIN_SYNC_STATUS_NEEDS_ATTENTION;
}

/* Refused: the row, the status and the status's popover say so, the
 * popover with the server's reason. Returns the popover's row, the
 * popover left open. */
static GtkWidget *
assert_refused (CinWindow           *window,
                CinSyncStatusButton *status,
                const char          *id,
                const char          *title,
                guint                count,
                GtkWidget          **popover)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  RowWait row_wait = { window, id, CIN_NOTE_SYNC_REFUSED };
  RefusalWait refusal = { NULL, title, NULL };
  g_autofree char *reason = NULL;
  const char *subtitle;

  g_assert_nonnull (cin_application_get_engine (app));
  cin_test_wait_until (engine_waits_with_refusal, cin_application_get_engine (app),
                       "the sync engine to be done with the refused draft");
  cin_test_wait_until (row_sync_is, &row_wait, "the draft's row to say refused");
  cin_test_wait_until (status_needs_attention, status, "the sync status to need attention");
  g_assert_cmpstr (get_status_icon (status), ==, "dialog-warning-symbolic");

  *popover = open_status_popover (status);
  refusal.popover = *popover;
  cin_test_wait_until (popover_lists_refusal, &refusal, "the popover to list the refused change");
  /* The server's own words, from its rules. */
  reason = g_strdup_printf ("The title is %u characters; the platform allows 20.", count);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (refusal.row));
  if (strstr (subtitle, reason) == NULL)
    g_error ("The refused change says “%s”, not the server's reason “%s”", subtitle, reason);
  return refusal.row;
}

/* The shipped rules with a longer title allowed, put where the server
 * reads a newer rules file, and the server started again to read it, as
 * when the platform raises a limit. Returns the file. */
static char *
raise_server_title_limit (guint max)
{
  g_autofree char *shipped = cin_paths_build_data_file ("rules", "rules.json", NULL);
  g_autofree char *config_dir = cin_paths_get_config_dir ();
  g_autofree char *dir = g_build_filename (config_dir, "rules", NULL);
  g_autofree char *path = g_build_filename (dir, "raised-title.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *rules;

  json_parser_load_from_file (parser, shipped, &error);
  g_assert_no_error (error);
  rules = json_node_get_object (json_parser_get_root (parser));
  json_object_set_int_member (rules, "version", json_object_get_int_member (rules, "version") + 1);
  json_object_set_int_member (json_object_get_object_member (rules, "title"), "max", max);
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);

  test_server_restart (server);
  return g_steal_pointer (&path);
}

/* The rules file raise_server_title_limit() wrote, taken away after. */
static char *raised_rules;

static void
refused_change_retry_script (CinWindow *window)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinComposer *composer = cin_window_get_composer (window);
  CinSyncStatusButton *status = find_sync_status (window);
  g_autofree char *token = NULL;
  g_autofree char *shortened_id = NULL;
  g_autofree char *retried_id = NULL;
  g_autofree char *title = NULL;
  GtkWidget *popover;
  GtkWidget *row;
  GtkWidget *retry;
  RowWait row_wait;

  sign_in_as (window, RETRY_HANDLE);
  mark_rows_on_outbox_change (status, cin_application_get_engine (app));
  token = lookup_token (RETRY_HANDLE);
  g_assert_nonnull (token);
  cin_test_wait_until (status_all_sent, status, "the new account to be synced");
  g_assert_cmpstr (get_status_icon (status), ==, "emblem-ok-symbolic");

  /* A title over the platform's limit: the server answers 422, and the
   * change is parked with its reason, not sent again and again. */
  shortened_id = write_draft (window, LONG_TITLE, FALSE);
  row = assert_refused (window, status, shortened_id, LONG_TITLE, 25, &popover);
  g_assert_nonnull (cin_test_find_widget (row, GTK_TYPE_BUTTON, "_Retry"));
  title = get_server_title (shortened_id, token);
  g_assert_cmpstr (title, !=, LONG_TITLE);
  g_clear_pointer (&title, g_free);
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Shortened in the composer, as the reason asks: the edit sends the
   * note again, and nothing waits any more. */
  g_assert_cmpstr (cin_note_get_id (cin_window_get_current (window)), ==, shortened_id);
  {
    GtkTextBuffer *buffer = GTK_TEXT_BUFFER (cin_composer_get_title_buffer (composer));
    guint n = strlen (LONG_TITLE) - strlen (SHORTENED_TITLE);

    for (guint i = 0; i < n; i++)
      {
        GtkTextIter end;

        gtk_text_buffer_get_end_iter (buffer, &end);
        g_assert_true (gtk_text_buffer_backspace (buffer, &end, TRUE, TRUE));
        cin_test_wait_ms (2);
      }
  }
  wait_for_server_note (shortened_id, token, "title", SHORTENED_TITLE,
                        "the shortened title on the server");
  cin_test_wait_until (status_all_sent, status, "the sync status to say Synced after the fix");
  g_assert_cmpstr (get_status_icon (status), ==, "emblem-ok-symbolic");
  row_wait.window = window;
  row_wait.id = shortened_id;
  row_wait.sync = CIN_NOTE_SYNC_SYNCED;
  cin_test_wait_until (row_sync_is, &row_wait, "the fixed draft's row to say synced");

  /* Refused again, and then the platform raises the limit: the note is
   * right as it is, and the popover's Retry sends it unchanged. */
  retried_id = write_draft (window, RETRIED_TITLE, FALSE);
  row = assert_refused (window, status, retried_id, RETRIED_TITLE, 23, &popover);
  g_assert_nonnull (cin_test_find_widget (row, GTK_TYPE_BUTTON, "_Retry"));

  raised_rules = raise_server_title_limit (RAISED_TITLE_MAX);

  /* A sync run leaves a parked change alone: only Retry or an edit sends
   * it. */
  {
    CinSyncEngine *engine = cin_application_get_engine (app);
    RefusalWait refusal = { popover, RETRIED_TITLE, NULL };

    cin_sync_engine_sync_now (engine);
    cin_test_wait_until (engine_waits_with_refusal, engine, "a sync run with the change still parked");
    title = get_server_title (retried_id, token);
    g_assert_cmpstr (title, !=, RETRIED_TITLE);
    g_clear_pointer (&title, g_free);
    g_assert_cmpstr (cin_sync_status_button_get_label (status), ==, "Needs attention");
    cin_test_wait_until (popover_lists_refusal, &refusal, "the popover to list the change still refused");
    row = refusal.row;
  }

  retry = cin_test_find_widget (row, GTK_TYPE_BUTTON, "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_get_mapped (retry));
  g_assert_true (gtk_widget_is_sensitive (retry));
  /* Activated as the keyboard does: "clicked" comes a moment later, and
   * the button goes insensitive, not to be pressed twice. The weak
   * pointer is for the row being listed anew before that, which would
   * fail the wait rather than read a freed button. */
  g_object_add_weak_pointer (G_OBJECT (retry), (gpointer *)&retry);
  g_assert_true (gtk_widget_activate (retry));
  cin_test_wait_until (button_pressed_once, &retry, "the Retry button to take the press");
  g_object_remove_weak_pointer (G_OBJECT (retry), (gpointer *)&retry);
  wait_for_server_note (retried_id, token, "title", RETRIED_TITLE, "the retried note on the server");
  cin_test_wait_until (status_all_sent, status, "the sync status to say Synced after Retry");
  g_assert_cmpstr (get_status_icon (status), ==, "emblem-ok-symbolic");
  row_wait.id = retried_id;
  cin_test_wait_until (row_sync_is, &row_wait, "the retried draft's row to say synced");
  gtk_popover_popdown (GTK_POPOVER (popover));

  cin_test_quit (window);
}

static void
test_refused_change_retry (void)
{
  g_autofree char *sign_up_token = test_server_sign_up (server, RETRY_HANDLE);

  cin_test_ui_run_app (refused_change_retry_script);

  /* The shipped rules again for the tests after. */
  g_assert_nonnull (raised_rules);
  g_assert_cmpint (g_unlink (raised_rules), ==, 0);
  g_clear_pointer (&raised_rules, g_free);
  test_server_restart (server);
}

static void
session_lost_script (CinWindow *window)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinComposer *composer = cin_window_get_composer (window);
  CinSyncStatusButton *status = find_sync_status (window);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *normalized = cin_profile_normalize_server (server->base_url, NULL);
  g_autofree char *token = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  CinSignInPage *page;
  GtkWidget *publish;
  GtkWidget *popover;
  GtkWidget *sign_in;

  sign_in_as (window, SESSION_HANDLE);
  token = lookup_token (SESSION_HANDLE);
  g_assert_nonnull (token);
  publish = cin_test_find_widget (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON, NULL);
  g_assert_nonnull (publish);

  id = write_draft (window, "Chrysanthemum tea", FALSE);
  path = g_strdup_printf ("/v1/notes/%s", id);
  wait_for_server_note (id, token, "title", "Chrysanthemum tea", "the draft on the server");
  cin_test_wait_until (status_all_sent, status, "the sync status to say Synced");
  g_assert_true (gtk_widget_is_sensitive (publish));

  /* The server forgets the session, as when it expires or is signed out
   * from elsewhere. */
  {
    g_autoptr(TestResponse) deleted = test_server_request (server, "DELETE", "/v1/session", token, NULL, NULL);
    g_autoptr(TestResponse) refused = test_server_request (server, "GET", path, token, NULL, NULL);

    g_assert_cmpuint (deleted->status, ==, 204);
    g_assert_cmpuint (refused->status, ==, 401);
  }

  /* The next change meets 401: the window says it is signed out, keeps
   * the change here and offers to sign in again. */
  cin_test_type (cin_composer_get_body_buffer (composer), " With honey.");
  cin_test_wait_until (account_is_signed_out, window, "the window to say it is signed out");
  g_assert_null (cin_application_get_engine (app));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpstr (cin_sync_status_button_get_label (status), ==, "Signed out");
  g_assert_cmpstr (get_status_icon (status), ==, "dialog-password-symbolic");
  g_assert_false (gtk_widget_is_sensitive (publish));
  g_assert_nonnull (cin_draft_box_find (cin_window_get_draft_box (window), id));
  cin_test_wait_until (note_is_saved, window, "the change to be saved here");

  popover = open_status_popover (status);
  g_assert_nonnull (cin_test_find_widget (popover, GTK_TYPE_LABEL,
                                          "Sign in again to sync and publish. Your drafts stay on this computer meanwhile."));
  sign_in = cin_test_find_widget (popover, GTK_TYPE_BUTTON, "_Sign In Again…");
  click (sign_in);
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Only the password is asked for. */
  page = CIN_SIGN_IN_PAGE (cin_test_find_widget (GTK_WIDGET (window), CIN_TYPE_SIGN_IN_PAGE, NULL));
  g_assert_nonnull (page);
  cin_test_wait_until (widget_is_mapped, page, "the sign-in page to show");
  collect_entry_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 0)), ==, normalized);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 1)), ==, SESSION_HANDLE);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 2)), ==, "");
  gtk_editable_set_text (g_ptr_array_index (rows, 2), TEST_PASSWORD);
  click (find_action_button (GTK_WIDGET (page), "sign-in.sign-in"));
  cin_test_wait_until (account_syncs_as, SESSION_HANDLE, "the account to sync again");
  cin_test_wait_until (page_is_hidden, page, "the sign-in page to go");

  /* A new session, and the change made meanwhile reaches the server. */
  new_token = lookup_token (SESSION_HANDLE);
  g_assert_nonnull (new_token);
  g_assert_cmpstr (new_token, !=, token);
  wait_for_server_note (id, new_token, "body", "Osmanthus oolong, cold brewed overnight. With honey.",
                        "the change made while signed out on the server");
  cin_test_wait_until (status_all_sent, status, "the sync status to say Synced again");
  g_assert_cmpstr (get_status_icon (status), ==, "emblem-ok-symbolic");
  g_assert_false (cin_application_get_signed_out (app));
  g_assert_true (gtk_widget_is_sensitive (publish));

  cin_test_quit (window);
}

static void
test_session_lost (void)
{
  g_autofree char *sign_up_token = test_server_sign_up (server, SESSION_HANDLE);

  cin_test_ui_run_app (session_lost_script);
}

/* A photo note from another device of the account */

typedef struct {
  char *note_id;
  char *sha256;
} Elsewhere;

static Elsewhere elsewhere;

static void
wait_for_result (GAsyncResult **result)
{
  cin_test_wait_until (result_arrived, result, "the other device's request");
}

/* What another device does: uploads a photo and sends a note naming it,
 * through the same API. */
static void
write_photo_note_elsewhere (const char *token)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 600, 800);
  g_autofree char *path = g_build_filename (test_home, "elsewhere.jpg", NULL);
  g_autoptr(CinApiClient) api = cin_api_client_new (server->base_url);
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinPhoto) photo = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinNote) sent = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  gsize length;

  gdk_pixbuf_fill (pixbuf, 0xc8553dff);
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  elsewhere.sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);

  cin_api_client_set_token (api, token);
  cin_tus_client_upload_async (api, path, elsewhere.sha256, "image/jpeg", NULL, 0, NULL, NULL, NULL,
                               NULL, store_result_cb, &result);
  wait_for_result (&result);
  url = cin_tus_client_upload_finish (result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  photo = cin_photo_new (elsewhere.sha256, "image/jpeg", 600, 800);
  cin_note_set_title (note, "山里的秋天");
  cin_note_insert_photo (note, 0, photo);
  cin_api_client_put_note_async (api, note, NULL, key, NULL, store_result_cb, &result);
  wait_for_result (&result);
  sent = cin_api_client_put_note_finish (api, result, NULL, NULL, &error);
  g_assert_no_error (error);
  elsewhere.note_id = g_strdup (cin_note_get_id (note));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* The composer's photo is drawn from the fetched file, not a placeholder
 * or an error. */
static gboolean
strip_shows_photo (gpointer data)
{
  GtkWidget *strip = cin_test_find_widget (GTK_WIDGET (data), CIN_TYPE_PHOTO_STRIP, NULL);
  GtkWidget *picture;
  GdkPaintable *paintable;

  if (strip == NULL)
    return FALSE;
  picture = cin_test_find_widget (strip, GTK_TYPE_PICTURE, NULL);
  if (picture == NULL)
    return FALSE;
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  if (!CIN_IS_PHOTO_PAINTABLE (paintable))
    return FALSE;
  g_assert_null (cin_photo_paintable_get_error (CIN_PHOTO_PAINTABLE (paintable)));
  return cin_photo_paintable_is_loaded (CIN_PHOTO_PAINTABLE (paintable));
}

static void
photo_from_elsewhere_script (CinWindow *window)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  g_autofree char *basename = g_strconcat (elsewhere.sha256, ".jpg", NULL);
  g_autofree char *path = NULL;

  sign_in_as (window, ELSEWHERE_HANDLE);
  path = g_build_filename (cin_profile_get_media_dir (cin_application_get_profile (app)), basename, NULL);
  cin_test_wait_until (file_exists, path, "the other device's photo to arrive");
  cin_test_open_draft (window, elsewhere.note_id);
  g_assert_cmpuint (cin_note_get_n_photos (cin_window_get_current (window)), ==, 1);
  cin_test_wait_until (strip_shows_photo, window, "the composer to show the photo");
  cin_test_quit (window);
}

static void
test_photo_from_elsewhere (void)
{
  g_autofree char *token = test_server_sign_up (server, ELSEWHERE_HANDLE);

  write_photo_note_elsewhere (token);
  cin_test_ui_run_app (photo_from_elsewhere_script);
  g_clear_pointer (&elsewhere.note_id, g_free);
  g_clear_pointer (&elsewhere.sha256, g_free);
}

/* Another account, not open, syncs in the background */

static gboolean
background_idle (gpointer data)
{
  return !cin_background_sync_get_busy (data);
}

static void
on_background_synced_cb (CinBackgroundSync *background,
                         const char        *profile_id,
                         GPtrArray         *synced)
{
  g_ptr_array_add (synced, g_strdup (profile_id));
}

static gboolean
profile_synced (gpointer data)
{
  GPtrArray *synced = ((gpointer *)data)[0];
  const char *id = ((gpointer *)data)[1];

  for (guint i = 0; i < synced->len; i++)
    if (g_str_equal (g_ptr_array_index (synced, i), id))
      return TRUE;
  return FALSE;
}

/* What an edit left in a profile looks like: a note and its outbox row,
 * written to the profile's store while nothing else has it open. */
static char *
save_note_in_closed_profile (CinProfile *profile)
{
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_VIDEO);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GError) error = NULL;

  cin_store_open_async (cin_profile_get_store_path (profile), NULL, store_result_cb, &result);
  cin_test_wait_until (result_arrived, &result, "the closed profile's store to open");
  store = cin_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  cin_note_set_title (note, AWAY_TITLE);
  cin_store_save_note_async (store, note, NULL, store_result_cb, &result);
  cin_test_wait_until (result_arrived, &result, "the note to be saved");
  g_assert_true (cin_store_save_note_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  cin_store_close_async (store, NULL, store_result_cb, &result);
  cin_test_wait_until (result_arrived, &result, "the closed profile's store to close");
  g_assert_true (cin_store_close_finish (store, result, &error));
  g_assert_no_error (error);
  return g_strdup (cin_note_get_id (note));
}

static void
background_script (CinWindow *window)
{
  CinApplication *app = CIN_APPLICATION (g_application_get_default ());
  CinBackgroundSync *background = cin_application_get_background_sync (app);
  g_autoptr(GPtrArray) synced = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CinProfile) away = NULL;
  g_autofree char *away_id = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  gpointer wait[2];
  TitleWait title_wait = { window, AWAY_TITLE };

  sign_in_as (window, AWAY_HANDLE);
  away = g_object_ref (cin_application_get_profile (app));
  away_id = g_strdup (cin_profile_get_id (away));
  sign_in_as (window, OPEN_HANDLE);
  g_assert_cmpstr (cin_profile_get_id (cin_application_get_profile (app)), !=, away_id);

  /* The account left behind has an edit its own engine never sent. */
  cin_test_wait_until (background_idle, background, "the background round after the switch to end");
  note_id = save_note_in_closed_profile (away);
  token = lookup_token (AWAY_HANDLE);
  path = g_strdup_printf ("/v1/notes/%s", note_id);
  {
    g_autoptr(TestResponse) before = test_server_request (server, "GET", path, token, NULL, NULL);

    g_assert_cmpuint (before->status, ==, 404);
  }

  /* A round (as every five minutes) sends it while the other is open. */
  g_signal_connect (background, "synced", G_CALLBACK (on_background_synced_cb), synced);
  cin_background_sync_start (background);
  wait[0] = synced;
  wait[1] = away_id;
  cin_test_wait_until (profile_synced, wait, "the account not open to be synced");
  g_signal_handlers_disconnect_by_func (background, on_background_synced_cb, synced);
  wait_for_server_note (note_id, token, "title", AWAY_TITLE, "the server to have the note");
  g_assert_cmpstr (cin_profile_get_id (cin_application_get_profile (app)), !=, away_id);

  /* Opening it in the middle of another round: the round lets go of its
   * store first, and the drafts are there. */
  cin_background_sync_start (background);
  cin_application_switch_profile (app, away_id);
  cin_test_wait_until (account_syncs_as, AWAY_HANDLE, "the account to open");
  cin_test_wait_until (draft_box_has_title, &title_wait, "the note in its draft box");
  cin_test_quit (window);
}

static void
test_background (void)
{
  g_autofree char *away = test_server_sign_up (server, AWAY_HANDLE);
  g_autofree char *open = test_server_sign_up (server, OPEN_HANDLE);

  cin_test_ui_run_app (background_script);
}

/* Completion from the server */

/* A published public video note by whoever @token is, with @topics. */
static void
publish_note_with_topics (const char         *token,
                          const char * const *topics)
{
  g_autofree char *topics_json = g_strjoinv ("\",\"", (char **)topics);
  g_autofree char *json = g_strdup_printf ("{\"kind\":\"video\",\"title\":\"手冲日记\",\"body\":\"\","
                                           "\"topics\":[\"%s\"],\"visibility\":\"public\"}", topics_json);

  g_free (test_server_put_note (server, token, json, TRUE, NULL));
}

static void
follow_as (const char *token,
           const char *handle)
{
  g_autofree char *path = g_strconcat ("/v1/following/", handle, NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = test_server_request (server, "PUT", path, token, NULL,
                                                          "Idempotency-Key", key, NULL);

  g_assert_cmpuint (response->status / 100, ==, 2);
}

typedef struct {
  CinMentionBar *bar;
  const char    *name;
} OfferWait;

static gboolean
mention_offered (gpointer data)
{
  OfferWait *wait = data;
  g_auto(GStrv) offered = cin_mention_bar_dup_offered (wait->bar);

  return g_strv_contains ((const char * const *)offered, wait->name);
}

static gboolean
server_topics_shown (gpointer data)
{
  g_autofree char *shown = cin_test_dup_button_labels (data, "topic-suggestion");

  return g_str_equal (shown, "#手冲咖啡 #咖啡探店");
}

static void
completes_from_server_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  OfferWait offer = { _cin_composer_get_mention_bar (composer), FRIEND_HANDLE };
  GtkWidget *details = GTK_WIDGET (_cin_composer_get_details (composer));
  GtkWidget *entry = cin_test_find_widget (details, GTK_TYPE_ENTRY, NULL);

  sign_in_as (window, COMPLETING_HANDLE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL));

  /* Nobody was ever mentioned in this account: the name comes from the
   * follow list sync brought down. */
  cin_test_type (cin_composer_get_body_buffer (composer), "今天和 @mo");
  cin_test_wait_until (mention_offered, &offer, "the person followed to be offered");
  offer.name = AUTHOR_HANDLE;
  g_assert_false (mention_offered (&offer));

  /* No topic of its own either: the platform's, most used first. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "咖啡");
  cin_test_wait_until (server_topics_shown, details, "the server's topics to be offered");
  cin_test_quit (window);
}

static void
test_completes_from_server (void)
{
  g_autofree char *author = test_server_sign_up (server, AUTHOR_HANDLE);
  g_autofree char *friend = test_server_sign_up (server, FRIEND_HANDLE);
  g_autofree char *own = test_server_sign_up (server, COMPLETING_HANDLE);

  publish_note_with_topics (author, (const char * const []) { "手冲咖啡", "咖啡探店", NULL });
  publish_note_with_topics (author, (const char * const []) { "手冲咖啡", "乌龙", NULL });
  follow_as (own, AUTHOR_HANDLE);
  follow_as (own, FRIEND_HANDLE);
  cin_test_ui_run_app (completes_from_server_script);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sign_up_token = NULL;
  int status;

  cin_test_ui_init (&argc, &argv);
  set_up_private_home ();
  start_keyring ();
  server = test_server_start (NULL);
  sign_up_token = test_server_sign_up (server, HANDLE);

  g_test_add_func ("/ui/account/sign-in-publish-sign-out", test_sign_in_and_publish);
  g_test_add_func ("/ui/account/refused-change-retry", test_refused_change_retry);
  g_test_add_func ("/ui/account/session-lost-sign-in-again", test_session_lost);
  g_test_add_func ("/ui/account/photo-from-another-device", test_photo_from_elsewhere);
  g_test_add_func ("/ui/account/other-account-syncs-in-background", test_background);
  g_test_add_func ("/ui/account/completes-from-server", test_completes_from_server);
  status = g_test_run ();

  test_server_stop (server);
  stop_keyring ();
  return status;
}
