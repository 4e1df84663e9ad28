/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-summary"

#include <string.h>

#include "cin-note.h"
#include "cin-note-summary.h"

struct _CinNoteSummary
{
  GObject  parent_instance;

  /* Owned: "id\0title\0excerpt\0" in one block. A draft box lists
   * thousands of these, and one allocation each rather than three keeps
   * both the bytes and the heap's bookkeeping down. The id never moves:
   * callers key tables by it. */
  char    *strings;
  char    *changed;    /* (nullable) "title\0excerpt\0" once either changed */
  char    *title_key;  /* (nullable) made when first asked for */
  guint32  title_at;   /* in changed, or else in strings */
  guint32  excerpt_at;
  gint64   created_at;
  gint64   updated_at;

  guint8   state;        /* CinNoteState */
  guint8   sync_status;  /* CinNoteSyncStatus */
};

G_DEFINE_FINAL_TYPE (CinNoteSummary, cin_note_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_EXCERPT,
  PROP_UPDATED_AT,
  PROP_STATE,
  PROP_SYNC_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_state       (CinNoteSummary    *self,
                             CinNoteState       state);
static void set_sync_status (CinNoteSummary    *self,
                             CinNoteSyncStatus  status);

/* Where the excerpt of @body lies: its first line after any leading
 * blank lines, cut at CIN_NOTE_EXCERPT_CHARS. Returns whether it was cut
 * (and so ends with "…"). */
static gboolean
find_excerpt (const char  *body,
              const char **start,
              gsize       *len)
{
  const char *p = body;
  const char *eol;
  const char *cut;

  while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
    p++;
  eol = strpbrk (p, "\r\n");
  if (eol == NULL)
    eol = p + strlen (p);

  *start = p;
  if (g_utf8_strlen (p, eol - p) <= CIN_NOTE_EXCERPT_CHARS)
    {
      *len = eol - p;
      return FALSE;
    }

  cut = g_utf8_offset_to_pointer (p, CIN_NOTE_EXCERPT_CHARS);
  *len = cut - p;
  return TRUE;
}

#define ELLIPSIS "\xe2\x80\xa6"  /* … */

/* A new block of @id (if any), @title and the excerpt of @body. */
static char *
pack_strings (const char *id,
              const char *title,
              const char *body,
              guint32    *title_at,
              guint32    *excerpt_at)
{
  gsize id_len = id != NULL ? strlen (id) + 1 : 0;
  gsize title_len = strlen (title);
  const char *excerpt;
  gsize excerpt_len;
  gboolean cut = find_excerpt (body, &excerpt, &excerpt_len);
  gsize size = id_len + title_len + 1 + excerpt_len + (cut ? strlen (ELLIPSIS) : 0) + 1;
  char *strings = g_malloc (size);
  char *p = strings;

  g_assert (size <= G_MAXUINT32);

  if (id != NULL)
    memcpy (p, id, id_len);
  p += id_len;
  *title_at = p - strings;
  memcpy (p, title, title_len + 1);
  p += title_len + 1;
  *excerpt_at = p - strings;
  memcpy (p, excerpt, excerpt_len);
  p += excerpt_len;
  if (cut)
    {
      memcpy (p, ELLIPSIS, strlen (ELLIPSIS));
      p += strlen (ELLIPSIS);
    }
  *p = '\0';

  return strings;
}

static inline const char *
get_id (CinNoteSummary *self)
{
  return self->strings;
}

static inline const char *
get_title (CinNoteSummary *self)
{
  return (self->changed ? self->changed : self->strings) + self->title_at;
}

static inline const char *
get_excerpt (CinNoteSummary *self)
{
  return (self->changed ? self->changed : self->strings) + self->excerpt_at;
}

static void
cin_note_summary_finalize (GObject *object)
{
  CinNoteSummary *self = CIN_NOTE_SUMMARY (object);

  g_free (self->strings);
  g_free (self->changed);
  g_free (self->title_key);

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
    case PROP_TITLE: g_value_set_string (value, get_title (self)); break;
    case PROP_EXCERPT: g_value_set_string (value, get_excerpt (self)); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, self->updated_at); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_SYNC_STATUS: g_value_set_int (value, self->sync_status); break;
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
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, CIN_NOTE_STATE_DRAFT, CIN_NOTE_STATE_FAILED,
                      CIN_NOTE_STATE_DRAFT,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_STATUS] =
    g_param_spec_int ("sync-status", NULL, NULL, CIN_NOTE_SYNC_LOCAL, CIN_NOTE_SYNC_CONFLICT,
                      CIN_NOTE_SYNC_LOCAL,
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
  self->strings = pack_strings (id, title ? title : "", body_start ? body_start : "",
                                &self->title_at, &self->excerpt_at);
  self->created_at = created_at;
  self->updated_at = updated_at;

  return self;
}

CinNoteSummary *
cin_note_summary_new_from_note (CinNote *note)
{
  CinNoteSummary *self;

  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  self = cin_note_summary_new (cin_note_get_id (note),
                               cin_note_get_title (note),
                               cin_note_get_body (note),
                               cin_note_get_created_at (note),
                               cin_note_get_updated_at (note));
  cin_note_summary_set_sync (self, cin_note_get_state (note), cin_note_get_sync_state (note),
                             FALSE, FALSE);
  return self;
}

static void
set_state (CinNoteSummary *self,
           CinNoteState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_sync_status (CinNoteSummary    *self,
                 CinNoteSyncStatus  status)
{
  if (self->sync_status == status)
    return;
  self->sync_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATUS]);
}

void
cin_note_summary_set_sync (CinNoteSummary *self,
                           int             state,
                           int             sync_state,
                           gboolean        refused,
                           gboolean        conflict_copy)
{
  CinNoteSyncStatus status;

  g_return_if_fail (CIN_IS_NOTE_SUMMARY (self));

  /* A refusal matters most: the note waits for the creator. A conflict
   * copy is marked until it is synced as a note of its own. */
  if (refused)
    status = CIN_NOTE_SYNC_REFUSED;
  else if (conflict_copy && sync_state == CIN_SYNC_STATE_CREATED)
    status = CIN_NOTE_SYNC_CONFLICT;
  else if (sync_state == CIN_SYNC_STATE_SYNCED)
    status = CIN_NOTE_SYNC_SYNCED;
  else if (sync_state == CIN_SYNC_STATE_MODIFIED)
    status = CIN_NOTE_SYNC_CHANGED;
  else
    status = CIN_NOTE_SYNC_LOCAL;

  set_state (self, state);
  set_sync_status (self, status);
}

/* Brings title and excerpt up to date, notifying only what changed. */
static void
set_text (CinNoteSummary *self,
          const char     *title,
          const char     *body)
{
  guint32 title_at, excerpt_at;
  g_autofree char *changed = pack_strings (NULL, title, body, &title_at, &excerpt_at);
  gboolean title_changed = !g_str_equal (get_title (self), changed + title_at);
  gboolean excerpt_changed = !g_str_equal (get_excerpt (self), changed + excerpt_at);

  if (!title_changed && !excerpt_changed)
    return;

  /* The first block keeps the id where it is; its old texts stay unused
   * there, which only the few drafts edited since the listing pay for. */
  g_free (self->changed);
  self->changed = g_steal_pointer (&changed);
  self->title_at = title_at;
  self->excerpt_at = excerpt_at;
  if (title_changed)
    {
      g_clear_pointer (&self->title_key, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (excerpt_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCERPT]);
}

static void
set_updated_at (CinNoteSummary *self,
                gint64          updated_at)
{
  if (self->updated_at == updated_at)
    return;
  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

void
cin_note_summary_update (CinNoteSummary *self,
                         CinNote        *note)
{
  g_return_if_fail (CIN_IS_NOTE_SUMMARY (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (g_str_equal (get_id (self), cin_note_get_id (note)));

  set_text (self, cin_note_get_title (note), cin_note_get_body (note));
  self->created_at = cin_note_get_created_at (note);
  /* An edit in the composer is not on the server yet; the store's next
   * listing says more. */
  if (self->updated_at != cin_note_get_updated_at (note) &&
      self->sync_status == CIN_NOTE_SYNC_SYNCED)
    set_sync_status (self, CIN_NOTE_SYNC_CHANGED);
  set_updated_at (self, cin_note_get_updated_at (note));
  set_state (self, cin_note_get_state (note));
}

void
cin_note_summary_assign (CinNoteSummary *self,
                         CinNoteSummary *other)
{
  g_return_if_fail (CIN_IS_NOTE_SUMMARY (self));
  g_return_if_fail (CIN_IS_NOTE_SUMMARY (other));
  g_return_if_fail (g_str_equal (get_id (self), get_id (other)));

  /* The excerpt of an excerpt is itself: it is one line, and cut (with
   * "…") only when longer than CIN_NOTE_EXCERPT_CHARS. */
  set_text (self, get_title (other), get_excerpt (other));
  self->created_at = other->created_at;
  set_updated_at (self, other->updated_at);
  set_state (self, other->state);
  set_sync_status (self, other->sync_status);
}

const char *
cin_note_summary_get_id (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return get_id (self);
}

const char *
cin_note_summary_get_title (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return get_title (self);
}

const char *
cin_note_summary_get_excerpt (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);
  return get_excerpt (self);
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

int
cin_note_summary_get_state (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), CIN_NOTE_STATE_DRAFT);
  return self->state;
}

CinNoteSyncStatus
cin_note_summary_get_sync_status (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), CIN_NOTE_SYNC_LOCAL);
  return self->sync_status;
}

const char *
cin_note_summary_get_title_key (CinNoteSummary *self)
{
  g_return_val_if_fail (CIN_IS_NOTE_SUMMARY (self), NULL);

  /* Only a title sort needs it: made then, not for every draft listed. */
  if (self->title_key == NULL && *get_title (self) != '\0')
    self->title_key = g_utf8_collate_key (get_title (self), -1);
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
    result = strcmp (get_id (a), get_id (b));

  return result;
}
