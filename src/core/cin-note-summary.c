/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-summary"

#include <string.h>

#include "cin-note.h"
#include "cin-note-summary.h"

struct _CinNoteSummary
{
  GObject  parent_instance;

  char    *id;
  char    *title;
  char    *title_key;  /* (nullable) made when first asked for */
  char    *excerpt;
  gint64   created_at;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (CinNoteSummary, cin_note_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_EXCERPT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_excerpt (const char *body)
{
  const char *p = body;
  const char *eol;
  const char *cut;
  glong n;

  while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
    p++;
  eol = strpbrk (p, "\r\n");
  if (eol == NULL)
    eol = p + strlen (p);

  n = g_utf8_strlen (p, eol - p);
  if (n <= CIN_NOTE_EXCERPT_CHARS)
    return g_strndup (p, eol - p);

  cut = g_utf8_offset_to_pointer (p, CIN_NOTE_EXCERPT_CHARS);
  return g_strdup_printf ("%.*s…", (int)(cut - p), p);
}

static void
cin_note_summary_finalize (GObject *object)
{
  CinNoteSummary *self = CIN_NOTE_SUMMARY (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->title_key);
  g_free (self->excerpt);

  G_OBJECT_CLASS (cin_note_summary_parent_class)->finalize (object);
}

static void
cin_note_summary_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CinNoteSummary *self = CIN_NOTE_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_EXCERPT: g_value_set_string (value, self->excerpt); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, self->updated_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_note_summary_class_init (CinNoteSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cin_note_summary_finalize;
  object_class->get_property = cin_note_summary_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXCERPT] =
    g_param_spec_string ("excerpt", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_note_summary_init (CinNoteSummary *self)
{
}

CinNoteSummary *
cin_note_summary_new (const char *id,
                      const char *title,
                      const char *body_start,
                      gint64      created_at,
                      gint64      updated_at)
{
  CinNoteSummary *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (CIN_TYPE_NOTE_SUMMARY, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (title ? title : "");
  self->excerpt = dup_excerpt (body_start ? body_start : "");
  self->created_at = created_at;
  self->updated_at = updated_at;

  return self;
}

CinNoteSummary *
cin_note_summary_new_from_note (CinNote *note)
{
  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  return cin_note_summary_new (cin_note_get_id (note),
                               cin_note_get_title (note),
                               cin_note_get_body (note),
                               cin_note_get_created_at (note),
                               cin_note_get_updated_at (note));
}

void
cin_note_summary_update (CinNoteSummary *self,
                         CinNote        *note)
{
  g_autofree char *excerpt = NULL;

  g_return_if_fail (CIN_IS_NOTE_SUMMARY (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (g_str_equal (self->id, cin_note_get_id (note)));

  if (!g_str_equal (self->title, cin_note_get_title (note)))
    {
      g_free (self->title);
      g_clear_pointer (&self->title_key, g_free);
      self->title = g_strdup (cin_note_get_title (note));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }

  excerpt = dup_excerpt (cin_note_get_body (note));
  if (!g_str_equal (self->excerpt, excerpt))
    {
      g_free (self->excerpt);
      self->excerpt = g_steal_pointer (&excerpt);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCERPT]);
    }

  self->created_at = cin_note_get_created_at (note);
  if (self->updated_at != cin_note_get_updated_at (note))
    {
      self->updated_at = cin_note_get_updated_at (note);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
    }
}

const char *
cin_note_summary_get_id (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return self->id;
}

const char *
cin_note_summary_get_title (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return self->title;
}

const char *
cin_note_summary_get_excerpt (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return self->excerpt;
}

gint64
cin_note_summary_get_created_at (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), 0);
  return self->created_at;
}

gint64
cin_note_summary_get_updated_at (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), 0);
  return self->updated_at;
}

const char *
cin_note_summary_get_title_key (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);

  /* Only a title sort needs it: made then, not for every draft listed. */
  if (self->title_key == NULL && *self->title != '\0')
    self->title_key = g_utf8_collate_key (self->title, -1);
  return self->title_key;
}

static int
newest_first (gint64 a,
              gint64 b)
{
  return a > b ? -1 : a < b ? 1 : 0;
}

int
cin_note_summary_compare (CinNoteSummary *a,
                          CinNoteSummary *b,
                          CinNoteSort     sort)
{
  int result = 0;

  switch (sort)
    {
    case CIN_NOTE_SORT_UPDATED:
      result = newest_first (a->updated_at, b->updated_at);
      break;
    case CIN_NOTE_SORT_CREATED:
      result = newest_first (a->created_at, b->created_at);
      break;
    case CIN_NOTE_SORT_TITLE:
      {
        const char *ka = cin_note_summary_get_title_key (a);
        const char *kb = cin_note_summary_get_title_key (b);

        /* Untitled drafts go last rather than crowding the top. */
        if ((ka == NULL) != (kb == NULL))
          result = ka == NULL ? 1 : -1;
        else if (ka != NULL)
          result = strcmp (ka, kb);
      }
      break;
    default:
      g_return_val_if_reached (0);
    }

  if (result == 0)
    result = newest_first (a->updated_at, b->updated_at);
  if (result == 0)
    result = strcmp (a->id, b->id);

  return result;
}
