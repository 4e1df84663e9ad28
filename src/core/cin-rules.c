/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-rules"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-ad-check.h"
#include "cin-note.h"
#include "cin-rules-private.h"

/* The rules as loaded (cin-rules-file.c reads them): their values, and
 * the pure functions that count and check a note's text against them. */

G_DEFINE_BOXED_TYPE (CinRules, cin_rules, cin_rules_ref, cin_rules_unref)
G_DEFINE_QUARK (cin-rules-error-quark, cin_rules_error)

CinRules *
cin_rules_ref (CinRules *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_rules_unref (CinRules *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->path);
  g_free (self->updated);
  g_strfreev (self->photo_formats);
  g_free (self);
}
/* Getters */

#define DEFINE_GETTER(type, name, fallback)             \
  type                                                  \
  cin_rules_get_##name (CinRules *self)                 \
  {                                                     \
    g_return_val_if_fail (self != NULL, fallback);      \
    return self->name;                                  \
  }

DEFINE_GETTER (guint, version, 0)
DEFINE_GETTER (const char *, path, NULL)
DEFINE_GETTER (const char *, updated, NULL)
DEFINE_GETTER (guint, title_max, 0)
DEFINE_GETTER (CinCountMethod, title_count, CIN_COUNT_HALF_ASCII)
DEFINE_GETTER (guint, body_max, 0)
DEFINE_GETTER (CinCountMethod, body_count, CIN_COUNT_GRAPHEMES)
DEFINE_GETTER (guint, topics_max, 0)
DEFINE_GETTER (guint, photos_min, 0)
DEFINE_GETTER (guint, photos_max, 0)
DEFINE_GETTER (guint64, photo_max_bytes, 0)
DEFINE_GETTER (guint, photo_recommended_width, 0)
DEFINE_GETTER (guint, photo_recommended_height, 0)
DEFINE_GETTER (guint64, video_max_bytes, 0)
DEFINE_GETTER (guint, video_max_seconds, 0)
DEFINE_GETTER (guint, board_name_max, 0)
DEFINE_GETTER (guint, schedule_min_seconds, 0)
DEFINE_GETTER (guint, schedule_max_seconds, 0)

const char * const *
cin_rules_get_photo_formats (CinRules *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *)self->photo_formats;
}

/* Counting and checking */

static gboolean
field_limits (CinRules       *self,
              CinField        field,
              guint          *max,
              CinCountMethod *method)
{
  switch (field)
    {
    case CIN_FIELD_TITLE:
      *max = self->title_max;
      *method = self->title_count;
      return TRUE;
    case CIN_FIELD_BODY:
      *max = self->body_max;
      *method = self->body_count;
      return TRUE;
    case CIN_FIELD_TOPICS:
    default:
      return FALSE;
    }
}

gboolean
cin_rules_count_field (CinRules    *self,
                       CinField     field,
                       const char  *text,
                       guint       *count,
                       GError     **error)
{
  CinCountMethod method;
  guint max;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!field_limits (self, field, &max, &method))
    g_return_val_if_reached (FALSE);

  return cin_text_count (text, -1, method, count, error);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  return cin_finding_compare (*(const CinFinding * const *)a,
                              *(const CinFinding * const *)b);
}

static void
check_length (CinRules   *self,
              CinField    field,
              const char *text,
              GPtrArray  *findings)
{
  g_autofree char *message = NULL;
  g_autofree char *excess_text = NULL;
  CinCountMethod method;
  guint max, count, excess;
  glong start, end;

  if (!field_limits (self, field, &max, &method))
    g_assert_not_reached ();
  if (!cin_text_count (text, -1, method, &count, NULL) || count <= max)
    return;

  excess = count - max;
  start = cin_text_overflow_offset (text, method, max);
  end = g_utf8_strlen (text, -1);
  g_assert (start >= 0 && start < end);
  excess_text = g_utf8_substring (text, start, end);

  if (field == CIN_FIELD_TITLE)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: the first %u is the title's
                                             * length, always more than the second, the
                                             * platform's limit; the third is the
                                             * difference, which picks the plural form. */
                                            "The title is %u characters; the platform allows %u. "
                                            "Shorten it by %u character.",
                                            "The title is %u characters; the platform allows %u. "
                                            "Shorten it by %u characters.",
                                            excess),
                               count, max, excess);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: about the note's body text:
                                             * its length, always more than the second
                                             * number, the platform's limit; the third is
                                             * the difference, which picks the plural form. */
                                            "The text is %u characters; the platform allows %u. "
                                            "Shorten it by %u character.",
                                            "The text is %u characters; the platform allows %u. "
                                            "Shorten it by %u characters.",
                                            excess),
                               count, max, excess);

  g_ptr_array_add (findings,
                   cin_finding_new (field == CIN_FIELD_TITLE ? CIN_FINDING_TITLE_TOO_LONG
                                                             : CIN_FINDING_BODY_TOO_LONG,
                                    CIN_SEVERITY_ERROR, field, start, end,
                                    excess_text, message, NULL));
}

static void
check_typed_topics (CinField    field,
                    const char *text,
                    GPtrArray  *findings)
{
  g_autoptr(GArray) tags = _cin_rules_scan_hashtags (text);

  for (guint i = 0; i < tags->len; i++)
    {
      const CinHashtag *tag = &g_array_index (tags, CinHashtag, i);
      g_autofree char *match = g_utf8_substring (text, tag->start, tag->end);
      g_autofree char *message = NULL;

      /* Translators: %s is the word after the '#', such as 护肤. */
      message = g_strdup_printf (_("“#%s” is plain text on the platform, not a topic. "
                                   "Add it as a topic instead so it links."),
                                 tag->word);
      g_ptr_array_add (findings,
                       cin_finding_new (CIN_FINDING_TYPED_TOPIC, CIN_SEVERITY_WARNING,
                                        field, tag->start, tag->end, match, message, NULL));
    }
}

static void
check_field_into (CinRules   *self,
                  CinAdCheck *ad_check,
                  CinField    field,
                  const char *text,
                  GPtrArray  *findings)
{
  /* Offsets into text that is not text would point at nothing. */
  if (!cin_text_validate (text, -1, NULL))
    return;

  check_length (self, field, text, findings);
  check_typed_topics (field, text, findings);
  if (ad_check != NULL)
    cin_ad_check_scan (ad_check, field, text, findings);
}

GPtrArray *
cin_rules_check_field (CinRules   *self,
                       CinAdCheck *ad_check,
                       CinField    field,
                       const char *text)
{
  g_autoptr(GPtrArray) findings = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field == CIN_FIELD_TITLE || field == CIN_FIELD_BODY, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);
  check_field_into (self, ad_check, field, text, findings);
  g_ptr_array_sort (findings, compare_findings);

  return g_steal_pointer (&findings);
}

GPtrArray *
cin_rules_check_note (CinRules   *self,
                      CinAdCheck *ad_check,
                      CinNote    *note)
{
  g_autoptr(GPtrArray) findings = NULL;
  const char * const *topics;
  const char *title;
  const char *body;
  guint n_topics;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);

  title = cin_note_get_title (note);
  body = cin_note_get_body (note);
  check_field_into (self, ad_check, CIN_FIELD_TITLE, title ? title : "", findings);
  check_field_into (self, ad_check, CIN_FIELD_BODY, body ? body : "", findings);

  if (cin_note_get_kind (note) == CIN_NOTE_KIND_PHOTO)
    _cin_rules_check_photos (self, note, findings);

  topics = cin_note_get_topics (note);
  n_topics = topics ? g_strv_length ((char **)topics) : 0;
  if (n_topics > self->topics_max)
    {
      guint excess = n_topics - self->topics_max;
      g_autofree char *message = NULL;
      g_autofree char *match = g_strjoinv (" ", (char **)topics + self->topics_max);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: the first %u is how many
                                               * topics the note has, always more than the
                                               * second, the platform's limit; the third is
                                               * the difference, which picks the plural form. */
                                              "The note has %u topics; the platform allows %u. "
                                              "Remove %u topic.",
                                              "The note has %u topics; the platform allows %u. "
                                              "Remove %u topics.",
                                              excess),
                                 n_topics, self->topics_max, excess);
      g_ptr_array_add (findings,
                       cin_finding_new (CIN_FINDING_TOO_MANY_TOPICS, CIN_SEVERITY_ERROR,
                                        CIN_FIELD_TOPICS, self->topics_max, n_topics,
                                        match, message, NULL));
    }

  g_ptr_array_sort (findings, compare_findings);
  return g_steal_pointer (&findings);
}
