/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-schedule-popover"

#include <glib/gi18n.h>

#include "cin-schedule-popover.h"

#define DEFAULT_MIN_SECONDS (60 * 60)
#define DEFAULT_MAX_SECONDS (14 * 24 * 60 * 60)
#define ROUND_SECONDS       (5 * 60)

struct _CinSchedulePopover
{
  GtkPopover     parent_instance;

  /* Template widgets */
  GtkCalendar   *calendar;
  GtkSpinButton *hour_spin;
  GtkSpinButton *minute_spin;
  GtkLabel      *hint_label;
  GtkLabel      *error_label;

  guint          min_seconds;
  guint          max_seconds;
};

G_DEFINE_FINAL_TYPE (CinSchedulePopover, cin_schedule_popover, GTK_TYPE_POPOVER)

enum {
  SCHEDULE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gint64
cin_schedule_popover_get_time (CinSchedulePopover *self)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) at = NULL;

  g_return_val_if_fail (CIN_IS_SCHEDULE_POPOVER (self), 0);

  day = gtk_calendar_get_date (self->calendar);
  at = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                              g_date_time_get_day_of_month (day),
                              gtk_spin_button_get_value_as_int (self->hour_spin),
                              gtk_spin_button_get_value_as_int (self->minute_spin), 0);
  return at != NULL ? g_date_time_to_unix (at) * G_USEC_PER_SEC : 0;
}

static void
update_hint (CinSchedulePopover *self)
{
  guint hours = MAX (self->min_seconds / 3600, 1);
  guint days = MAX (self->max_seconds / 86400, 1);
  /* Translators: the nearest a note can be scheduled. */
  g_autofree char *from = g_strdup_printf (g_dngettext (NULL, "%u hour", "%u hours", hours), hours);
  /* Translators: the farthest a note can be scheduled. */
  g_autofree char *to = g_strdup_printf (g_dngettext (NULL, "%u day", "%u days", days), days);
  /* Translators: "Between 1 hour and 14 days from now." */
  g_autofree char *hint = g_strdup_printf (_("Between %s and %s from now."), from, to);

  gtk_label_set_text (self->hint_label, hint);
}

void
cin_schedule_popover_set_limits (CinSchedulePopover *self,
                                 guint               min_seconds,
                                 guint               max_seconds)
{
  g_autoptr(GDateTime) earliest = NULL;
  gint64 now;
  gint64 at;

  g_return_if_fail (CIN_IS_SCHEDULE_POPOVER (self));
  g_return_if_fail (min_seconds <= max_seconds);

  self->min_seconds = min_seconds;
  self->max_seconds = max_seconds;
  update_hint (self);

  /* A minute of slack, so the time picked is still allowed when the
   * creator clicks a little later. */
  now = g_get_real_time () / G_USEC_PER_SEC;
  at = now + min_seconds + 60;
  at = (at + ROUND_SECONDS - 1) / ROUND_SECONDS * ROUND_SECONDS;
  earliest = g_date_time_new_from_unix_local (at);
  gtk_calendar_select_day (self->calendar, earliest);
  gtk_spin_button_set_value (self->hour_spin, g_date_time_get_hour (earliest));
  gtk_spin_button_set_value (self->minute_spin, g_date_time_get_minute (earliest));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_time_changed_cb (CinSchedulePopover *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  CinSchedulePopover *self = CIN_SCHEDULE_POPOVER (widget);
  gint64 at = cin_schedule_popover_get_time (self);
  gint64 now = g_get_real_time ();

  if (at < now + (gint64)self->min_seconds * G_USEC_PER_SEC ||
      at > now + (gint64)self->max_seconds * G_USEC_PER_SEC)
    {
      gtk_label_set_text (self->error_label, _("Pick a time within these limits."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SCHEDULE], 0, at);
}

static void
cin_schedule_popover_class_init (CinSchedulePopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SCHEDULE] =
    g_signal_new ("schedule", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/composer/cin-schedule-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, CinSchedulePopover, calendar);
  gtk_widget_class_bind_template_child (widget_class, CinSchedulePopover, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, CinSchedulePopover, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, CinSchedulePopover, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CinSchedulePopover, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_time_changed_cb);
  gtk_widget_class_install_action (widget_class, "schedule.schedule", NULL, schedule_action);
}

static void
cin_schedule_popover_init (CinSchedulePopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cin_schedule_popover_set_limits (self, DEFAULT_MIN_SECONDS, DEFAULT_MAX_SECONDS);
}

GtkWidget *
cin_schedule_popover_new (void)
{
  return g_object_new (CIN_TYPE_SCHEDULE_POPOVER, NULL);
}
