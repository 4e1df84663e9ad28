/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-feed-preview"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cin-aspect-bin.h"
#include "cin-columns.h"
#include "cin-feed-preview.h"
#include "cin-rules.h"

/* Topics and @mentions read as links on the platform: a blue that holds up
 * on light and dark backgrounds alike. */
#define LINK_COLOR "#3584e4"
/* About the pixel size of a card's cover and an opened photo. */
#define CARD_COVER_SIZE   360
#define OPENED_PHOTO_SIZE 720

struct _CinFeedPreview
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkPicture    *card_cover;
  GtkWidget     *card_no_cover;
  GtkLabel      *card_title;
  AdwAvatar     *card_avatar;
  GtkLabel      *card_author;
  AdwCarousel   *carousel;
  GtkWidget     *opened_no_photos;
  GtkLabel      *opened_title;
  GtkLabel      *opened_body;
  GtkLabel      *opened_meta;

  /* Owned */
  GSignalGroup          *note_signals;
  CinPhotoSource         photos;
  char                  *author;
};

G_DEFINE_FINAL_TYPE (CinFeedPreview, cin_feed_preview, GTK_TYPE_WIDGET)

char *
cin_feed_preview_format_body (CinNote *note)
{
  const char *body = cin_note_get_body (note);
  const char * const *topics = cin_note_get_topics (note);
  GString *markup = g_string_new (NULL);

  /* @name becomes a link, found as the rules find mentions; everything
   * else is text, escaped. */
  g_autoptr(GArray) mentions = cin_rules_find_mentions (body);
  gsize done = 0;

  for (guint i = 0; i < mentions->len; i++)
    {
      const CinTextRange *range = &g_array_index (mentions, CinTextRange, i);
      g_autofree char *before = g_markup_escape_text (body + done, range->start - done);
      g_autofree char *name = g_markup_escape_text (body + range->start, range->end - range->start);

      g_string_append (markup, before);
      g_string_append_printf (markup, "<span foreground=\"" LINK_COLOR "\">%s</span>", name);
      done = range->end;
    }
  {
    g_autofree char *rest = g_markup_escape_text (body + done, -1);
    g_string_append (markup, rest);
  }

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      g_autofree char *topic = g_markup_escape_text (topics[i], -1);

      g_string_append_printf (markup, "%s<span foreground=\"" LINK_COLOR "\">#%s</span>",
                              i == 0 ? (markup->len > 0 ? "\n" : "") : " ", topic);
    }

  return g_string_free (markup, FALSE);
}

static void
update_photos (CinFeedPreview *self,
               CinNote        *note)
{
  guint n = note ? cin_note_get_n_photos (note) : 0;
  g_autoptr(GdkPaintable) cover = n > 0 ? cin_photo_source_paint (&self->photos, cin_note_get_photo (note, 0), CARD_COVER_SIZE) : NULL;

  gtk_picture_set_paintable (self->card_cover, cover);
  gtk_widget_set_visible (self->card_no_cover, cover == NULL);

  while (adw_carousel_get_n_pages (self->carousel) > 0)
    adw_carousel_remove (self->carousel, adw_carousel_get_nth_page (self->carousel, 0));

  for (guint i = 0; i < n; i++)
    {
      CinPhoto *photo = cin_note_get_photo (note, i);
      g_autoptr(GdkPaintable) paintable = cin_photo_source_paint (&self->photos, photo, OPENED_PHOTO_SIZE);
      GtkWidget *picture = gtk_picture_new_for_paintable (paintable);
      const char *alt = cin_photo_get_alt_text (photo);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_hexpand (picture, TRUE);
      gtk_widget_set_vexpand (picture, TRUE);
      if (*alt != '\0')
        gtk_picture_set_alternative_text (GTK_PICTURE (picture), alt);
      adw_carousel_append (self->carousel, picture);
    }

  gtk_widget_set_visible (self->opened_no_photos, n == 0);
}

static char *
format_meta (CinNote *note)
{
  g_autoptr(GDateTime) edited = g_date_time_new_from_unix_local (cin_note_get_updated_at (note) / G_USEC_PER_SEC);
  /* Translators: when the note was last edited; see g_date_time_format(). */
  g_autofree char *date = edited ? g_date_time_format (edited, _("%m-%d")) : g_strdup ("");
  const char *location = cin_note_get_location (note);
  GString *meta = g_string_new (date);

  if (location != NULL && *location != '\0')
    g_string_append_printf (meta, " · %s", location);

  switch (cin_note_get_visibility (note))
    {
    case CIN_VISIBILITY_ONLY_ME:
      g_string_append_printf (meta, " · %s", _("Only you can see this note"));
      break;
    case CIN_VISIBILITY_MUTUAL:
      g_string_append_printf (meta, " · %s", _("Only mutual followers can see this note"));
      break;
    case CIN_VISIBILITY_PUBLIC:
    default:
      break;
    }
  if (cin_note_get_original (note))
    g_string_append_printf (meta, " · %s", _("Original content"));

  return g_string_free (meta, FALSE);
}

static void
update_text (CinFeedPreview *self,
             CinNote        *note)
{
  const char *title = note ? cin_note_get_title (note) : "";
  g_autofree char *body = note ? cin_feed_preview_format_body (note) : g_strdup ("");
  g_autofree char *meta = note ? format_meta (note) : g_strdup ("");

  /* An untitled note shows the start of its text in the feed, as the
   * platform does. */
  if (*title == '\0' && note != NULL)
    title = cin_note_get_body (note);
  gtk_label_set_text (self->card_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->card_title), *title != '\0');
  gtk_label_set_text (self->opened_title, note ? cin_note_get_title (note) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->opened_title),
                          note != NULL && *cin_note_get_title (note) != '\0');
  gtk_label_set_markup (self->opened_body, body);
  gtk_label_set_text (self->opened_meta, meta);
}

/* What update_text() shows; the rest (revision, sync state, mentions,
 * which the body shows as it is) changes nothing here. */
static const char * const text_properties[] = {
  "title", "body", "topics", "updated-at", "location", "visibility", "original", NULL,
};

static void
on_note_notify_cb (CinFeedPreview *self,
                   GParamSpec     *pspec,
                   CinNote        *note)
{
  if (g_str_equal (pspec->name, "photos"))
    update_photos (self, note);
  else if (g_strv_contains (text_properties, pspec->name))
    update_text (self, note);
}

static void
cin_feed_preview_dispose (GObject *object)
{
  CinFeedPreview *self = CIN_FEED_PREVIEW (object);
  GtkWidget *child;

  if (self->note_signals != NULL)
    g_signal_group_set_target (self->note_signals, NULL);
  g_clear_object (&self->note_signals);
  cin_photo_source_clear (&self->photos);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_FEED_PREVIEW);
  /* dispose_template() leaves the children that are not bound. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->author, g_free);

  G_OBJECT_CLASS (cin_feed_preview_parent_class)->dispose (object);
}

static void
cin_feed_preview_class_init (CinFeedPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_feed_preview_dispose;

  g_type_ensure (CIN_TYPE_ASPECT_BIN);
  g_type_ensure (CIN_TYPE_COLUMNS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/preview/cin-feed-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, card_cover);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, card_no_cover);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, card_title);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, card_avatar);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, card_author);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, carousel);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, opened_no_photos);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, opened_title);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, opened_body);
  gtk_widget_class_bind_template_child (widget_class, CinFeedPreview, opened_meta);
  gtk_widget_class_set_css_name (widget_class, "feedpreview");
}

static void
cin_feed_preview_init (CinFeedPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->note_signals, "notify", G_CALLBACK (on_note_notify_cb),
                                 self, G_CONNECT_SWAPPED);
  cin_feed_preview_set_author (self, NULL);
  update_text (self, NULL);
  update_photos (self, NULL);
}

GtkWidget *
cin_feed_preview_new (void)
{
  return g_object_new (CIN_TYPE_FEED_PREVIEW, NULL);
}

void
cin_feed_preview_set_note (CinFeedPreview *self,
                           CinNote        *note)
{
  g_return_if_fail (CIN_IS_FEED_PREVIEW (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  g_signal_group_set_target (self->note_signals, note);
  update_text (self, note);
  update_photos (self, note);
}

void
cin_feed_preview_set_author (CinFeedPreview *self,
                             const char     *name)
{
  g_return_if_fail (CIN_IS_FEED_PREVIEW (self));

  g_free (self->author);
  /* Translators: the author shown on the preview card when no account is signed in. */
  self->author = g_strdup (name != NULL ? name : _("You"));
  gtk_label_set_text (self->card_author, self->author);
  adw_avatar_set_text (self->card_avatar, self->author);
}

void
cin_feed_preview_set_photo_func (CinFeedPreview        *self,
                                 CinPhotoPaintableFunc  func,
                                 gpointer               user_data,
                                 GDestroyNotify         destroy)
{
  g_autoptr(CinNote) note = NULL;

  g_return_if_fail (CIN_IS_FEED_PREVIEW (self));

  cin_photo_source_set (&self->photos, func, user_data, destroy);

  note = g_signal_group_dup_target (self->note_signals);
  update_photos (self, note);
}

GtkLabel *
cin_feed_preview_get_card_title (CinFeedPreview *self)
{
  g_return_val_if_fail (CIN_IS_FEED_PREVIEW (self), NULL);
  return self->card_title;
}

GtkLabel *
cin_feed_preview_get_body (CinFeedPreview *self)
{
  g_return_val_if_fail (CIN_IS_FEED_PREVIEW (self), NULL);
  return self->opened_body;
}
