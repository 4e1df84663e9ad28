/* Every line marked "expect-problem" must be reported by check-i18n.py, and no other line. */
#define G_LOG_DOMAIN "cin-bad"

#include <adwaita.h>

static void
show (GtkLabel *label, GtkWidget *widget, AdwStatusPage *page, AdwMessageDialog *dialog,
      GTask *task, guint n, GError **error)
{
  gtk_label_set_text (label, "Open Draft"); /* expect-problem */
  gtk_label_set_label (label,
                       "Saved"); /* expect-problem */
  gtk_label_set_text (label, "");
  gtk_label_set_text (label, "%u / %u");
  gtk_label_set_text (label, g_strdup_printf ("%u drafts", n)); /* expect-problem */
  gtk_label_set_text (label, n > 1 ? "Many" : "One"); /* expect-problem */
  gtk_widget_set_tooltip_text (widget, "New " /* expect-problem */
                                       "draft");
  gtk_widget_set_icon_name (widget, "document-new-symbolic");
  gtk_window_set_title (GTK_WINDOW (widget), "Cinnabar"); /* expect-problem */
  adw_status_page_set_title (page, "No Drafts"); /* expect-problem */
  adw_status_page_set_description (page, "Write one."); /* expect-problem */
  adw_message_dialog_add_response (dialog, "delete", "_Delete"); /* expect-problem */
  adw_toast_new ("Draft saved"); /* expect-problem */
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Word count", /* expect-problem */
                                  -1);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Could not save “%s”", "draft"); /* expect-problem */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The disk is full"); /* expect-problem */
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled by %s", "you"); /* expect-problem */
  g_message ("Debug output is not translated: %u", n);
  g_settings_set_string (settings, "last-page", "drafts");
  /* gtk_label_set_text (label, "A comment is not code"); */
}
