/* A file that does everything right; check-i18n.py must find nothing here. */
#define G_LOG_DOMAIN "cin-good"

#include <glib/gi18n.h>
#include <adwaita.h>

static const char *sort_names[] = { N_("Newest First"), NULL };

static void
show (GtkLabel *label, GtkWindow *window, AdwToastOverlay *overlay, guint n, GError **error)
{
  g_autofree char *count = NULL;

  gtk_label_set_text (label, _("Open Draft"));
  gtk_label_set_text (label, "");
  gtk_label_set_text (label, "·");
  gtk_label_set_text (label, "%d / %d");
  gtk_label_set_label (label, g_settings_get_string (settings, "last-page"));
  gtk_window_set_title (window, C_("window title", "Drafts"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), gettext (sort_names[0]));
  count = g_strdup_printf (ngettext ("%u draft", "%u drafts", n), n);
  gtk_label_set_text (label, count);
  adw_toast_overlay_add_toast (overlay, adw_toast_new (_("Draft saved")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Word count"),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  -1);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The draft “%s” could not be saved. Check that the disk is not full."),
               "x");
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s");
  g_message ("Debug output is not translated: %u", n);
}
