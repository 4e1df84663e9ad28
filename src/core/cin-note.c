/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note"

#include <string.h>

#include "cin-core-enums.h"
#include "cin-note.h"

struct _CinNote
{
  GObject        parent_instance;

  char          *id;
  CinNoteKind    kind;
  char          *title;
  char          *body;
  GStrv          topics;
  GStrv          mentions;
  char          *location;     /* (nullable) */
  CinVisibility  visibility;
  gboolean       original;
  CinNoteState   state;
  gint64         scheduled_at; /* unix µs, 0 when not scheduled */
  gint64         created_at;   /* unix µs */
  gint64         updated_at;   /* unix µs */
  char          *rev;          /* (nullable) the server's revision */
  CinSyncState   sync_state;
  GPtrArray     *photos;       /* of CinPhoto, in order: the first is the cover */
};

G_DEFINE_FINAL_TYPE (CinNote, cin_note, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_BODY,
  PROP_TOPICS,
  PROP_MENTIONS,
  PROP_LOCATION,
  PROP_VISIBILITY,
  PROP_ORIGINAL,
  PROP_STATE,
  PROP_SCHEDULED_AT,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_REV,
  PROP_SYNC_STATE,
  PROP_PHOTOS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

static void
cin_note_finalize (GObject *object)
{
  CinNote *self = (CinNote *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->topics, g_strfreev);
  g_clear_pointer (&self->mentions, g_strfreev);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->rev, g_free);
  g_clear_pointer (&self->photos, g_ptr_array_unref);

  G_OBJECT_CLASS (cin_note_parent_class)->finalize (object);
}

static void
cin_note_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CinNote *self = CIN_NOTE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_BODY: g_value_set_string (value, self->body); break;
    case PROP_TOPICS: g_value_set_boxed (value, cin_note_get_topics (self)); break;
    case PROP_MENTIONS: g_value_set_boxed (value, cin_note_get_mentions (self)); break;
    case PROP_LOCATION: g_value_set_string (value, self->location); break;
    case PROP_VISIBILITY: g_value_set_enum (value, self->visibility); break;
    case PROP_ORIGINAL: g_value_set_boolean (value, self->original); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_SCHEDULED_AT: g_value_set_int64 (value, self->scheduled_at); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_int64 (value, self->updated_at); break;
    case PROP_REV: g_value_set_string (value, self->rev); break;
    case PROP_SYNC_STATE: g_value_set_enum (value, self->sync_state); break;
    case PROP_PHOTOS: g_value_set_boxed (value, self->photos); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_note_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CinNote *self = CIN_NOTE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROP_KIND: self->kind = g_value_get_enum (value); break;
    case PROP_TITLE: cin_note_set_title (self, g_value_get_string (value)); break;
    case PROP_BODY: cin_note_set_body (self, g_value_get_string (value)); break;
    case PROP_TOPICS: cin_note_set_topics (self, g_value_get_boxed (value)); break;
    case PROP_MENTIONS: cin_note_set_mentions (self, g_value_get_boxed (value)); break;
    case PROP_LOCATION: cin_note_set_location (self, g_value_get_string (value)); break;
    case PROP_VISIBILITY: cin_note_set_visibility (self, g_value_get_enum (value)); break;
    case PROP_ORIGINAL: cin_note_set_original (self, g_value_get_boolean (value)); break;
    case PROP_STATE: cin_note_set_state (self, g_value_get_enum (value)); break;
    case PROP_SCHEDULED_AT: cin_note_set_scheduled_at (self, g_value_get_int64 (value)); break;
    case PROP_CREATED_AT: cin_note_set_created_at (self, g_value_get_int64 (value)); break;
    case PROP_UPDATED_AT: cin_note_set_updated_at (self, g_value_get_int64 (value)); break;
    case PROP_REV: cin_note_set_rev (self, g_value_get_string (value)); break;
    case PROP_SYNC_STATE: cin_note_set_sync_state (self, g_value_get_enum (value)); break;
    case PROP_PHOTOS: cin_note_set_photos (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_note_constructed (GObject *object)
{
  CinNote *self = CIN_NOTE (object);

  G_OBJECT_CLASS (cin_note_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
  if (self->created_at == 0)
    self->created_at = g_get_real_time ();
  if (self->updated_at == 0)
    self->updated_at = self->created_at;
}

static void
cin_note_class_init (CinNoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cin_note_finalize;
  object_class->get_property = cin_note_get_property;
  object_class->set_property = cin_note_set_property;
  object_class->constructed = cin_note_constructed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CIN_TYPE_NOTE_KIND, CIN_NOTE_KIND_PHOTO,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, "", rw);
  properties[PROP_TOPICS] = g_param_spec_boxed ("topics", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_MENTIONS] = g_param_spec_boxed ("mentions", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, rw);
  properties[PROP_VISIBILITY] =
    g_param_spec_enum ("visibility", NULL, NULL, CIN_TYPE_VISIBILITY, CIN_VISIBILITY_PUBLIC, rw);
  properties[PROP_ORIGINAL] = g_param_spec_boolean ("original", NULL, NULL, FALSE, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CIN_TYPE_NOTE_STATE, CIN_NOTE_STATE_DRAFT, rw);
  properties[PROP_SCHEDULED_AT] =
    g_param_spec_int64 ("scheduled-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_REV] = g_param_spec_string ("rev", NULL, NULL, NULL, rw);
  properties[PROP_SYNC_STATE] =
    g_param_spec_enum ("sync-state", NULL, NULL, CIN_TYPE_SYNC_STATE, CIN_SYNC_STATE_CREATED, rw);
  properties[PROP_PHOTOS] = g_param_spec_boxed ("photos", NULL, NULL, G_TYPE_PTR_ARRAY, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_note_init (CinNote *self)
{
  self->title = g_strdup ("");
  self->body = g_strdup ("");
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);
}

/* Photos never change, so a copy of the list shares them. */
static GPtrArray *
copy_photos (GPtrArray *photos,
             gboolean   new_ids)
{
  GPtrArray *copy = g_ptr_array_new_full (photos != NULL ? photos->len : 0,
                                          (GDestroyNotify)cin_photo_unref);

  for (guint i = 0; photos != NULL && i < photos->len; i++)
    {
      CinPhoto *photo = g_ptr_array_index (photos, i);

      g_ptr_array_add (copy, new_ids ? cin_photo_with_new_id (photo) : cin_photo_ref (photo));
    }

  return copy;
}

CinNote *
cin_note_new (CinNoteKind kind)
{
  return g_object_new (CIN_TYPE_NOTE, "kind", kind, NULL);
}

CinNote *
cin_note_new_with_id (const char  *id,
                      CinNoteKind  kind)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (CIN_TYPE_NOTE, "id", id, "kind", kind, NULL);
}

static void
copy_content (CinNote *dest,
              CinNote *src)
{
  g_free (dest->title);
  dest->title = g_strdup (src->title);
  g_free (dest->body);
  dest->body = g_strdup (src->body);
  g_strfreev (dest->topics);
  dest->topics = g_strdupv (src->topics);
  g_strfreev (dest->mentions);
  dest->mentions = g_strdupv (src->mentions);
  g_free (dest->location);
  dest->location = g_strdup (src->location);
  dest->visibility = src->visibility;
  dest->original = src->original;
  g_ptr_array_unref (dest->photos);
  dest->photos = copy_photos (src->photos, FALSE);
}

/* A snapshot with the same identity, for handing to another thread. */
CinNote *
cin_note_copy (CinNote *self)
{
  CinNote *copy;

  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);

  copy = cin_note_new_with_id (self->id, self->kind);
  copy_content (copy, self);
  copy->state = self->state;
  copy->scheduled_at = self->scheduled_at;
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->rev = g_strdup (self->rev);
  copy->sync_state = self->sync_state;

  return copy;
}

/* A new draft with this one's content: a new id, never synced. */
CinNote *
cin_note_duplicate (CinNote *self)
{
  CinNote *dup;

  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);

  dup = cin_note_new (self->kind);
  copy_content (dup, self);
  /* The rows of the new draft's photos are its own; the files are shared. */
  g_ptr_array_unref (dup->photos);
  dup->photos = copy_photos (self->photos, TRUE);

  return dup;
}

#define DEFINE_STRING_PROPERTY(name, NAME, empty_default)                 \
  const char *                                                            \
  cin_note_get_##name (CinNote *self)                                     \
  {                                                                       \
    g_return_val_if_fail (CIN_IS_NOTE (self), NULL);                      \
    return self->name;                                                    \
  }                                                                       \
  void                                                                    \
  cin_note_set_##name (CinNote    *self,                                  \
                       const char *name)                                  \
  {                                                                       \
    g_return_if_fail (CIN_IS_NOTE (self));                                \
    if (empty_default && name == NULL)                                    \
      name = "";                                                          \
    if (g_strcmp0 (self->name, name) == 0)                                \
      return;                                                             \
    g_free (self->name);                                                  \
    self->name = g_strdup (name);                                         \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_##NAME]);  \
  }

DEFINE_STRING_PROPERTY (title, TITLE, TRUE)
DEFINE_STRING_PROPERTY (body, BODY, TRUE)
DEFINE_STRING_PROPERTY (location, LOCATION, FALSE)
DEFINE_STRING_PROPERTY (rev, REV, FALSE)

#define DEFINE_VALUE_PROPERTY(type, name, NAME)                           \
  type                                                                    \
  cin_note_get_##name (CinNote *self)                                     \
  {                                                                       \
    g_return_val_if_fail (CIN_IS_NOTE (self), 0);                         \
    return self->name;                                                    \
  }                                                                       \
  void                                                                    \
  cin_note_set_##name (CinNote *self,                                     \
                       type     name)                                     \
  {                                                                       \
    g_return_if_fail (CIN_IS_NOTE (self));                                \
    if (self->name == name)                                               \
      return;                                                             \
    self->name = name;                                                    \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_##NAME]);  \
  }

DEFINE_VALUE_PROPERTY (CinVisibility, visibility, VISIBILITY)
DEFINE_VALUE_PROPERTY (gboolean, original, ORIGINAL)
DEFINE_VALUE_PROPERTY (CinNoteState, state, STATE)
DEFINE_VALUE_PROPERTY (gint64, scheduled_at, SCHEDULED_AT)
DEFINE_VALUE_PROPERTY (gint64, created_at, CREATED_AT)
DEFINE_VALUE_PROPERTY (gint64, updated_at, UPDATED_AT)
DEFINE_VALUE_PROPERTY (CinSyncState, sync_state, SYNC_STATE)

const char *
cin_note_get_id (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);
  return self->id;
}

CinNoteKind
cin_note_get_kind (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), CIN_NOTE_KIND_PHOTO);
  return self->kind;
}

static gboolean
strv_set (GStrv              *field,
          const char * const *value)
{
  const char * const *old = *field ? (const char * const *)*field : empty_strv;

  if (value == NULL)
    value = empty_strv;
  if (g_strv_equal (old, value))
    return FALSE;

  g_strfreev (*field);
  *field = g_strdupv ((char **)value);
  return TRUE;
}

const char * const *
cin_note_get_topics (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);
  return self->topics ? (const char * const *)self->topics : empty_strv;
}

void
cin_note_set_topics (CinNote            *self,
                     const char * const *topics)
{
  g_return_if_fail (CIN_IS_NOTE (self));
  if (strv_set (&self->topics, topics))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPICS]);
}

const char * const *
cin_note_get_mentions (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);
  return self->mentions ? (const char * const *)self->mentions : empty_strv;
}

void
cin_note_set_mentions (CinNote            *self,
                       const char * const *mentions)
{
  g_return_if_fail (CIN_IS_NOTE (self));
  if (strv_set (&self->mentions, mentions))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MENTIONS]);
}

/* The first non-blank line of the body, cut to @max_chars characters. */
GPtrArray *
cin_note_get_photos (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);
  return self->photos;
}

guint
cin_note_get_n_photos (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), 0);
  return self->photos->len;
}

CinPhoto *
cin_note_get_photo (CinNote *self,
                    guint    position)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), NULL);
  g_return_val_if_fail (position < self->photos->len, NULL);
  return g_ptr_array_index (self->photos, position);
}

void
cin_note_set_photos (CinNote   *self,
                     GPtrArray *photos)
{
  g_return_if_fail (CIN_IS_NOTE (self));

  g_ptr_array_unref (self->photos);
  self->photos = copy_photos (photos, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHOTOS]);
}

/* The edits below make a new list and set it, so "photos" is notified
 * once for each, as any other edit of the note is. */

void
cin_note_insert_photo (CinNote  *self,
                       guint     position,
                       CinPhoto *photo)
{
  g_autoptr(GPtrArray) photos = NULL;

  g_return_if_fail (CIN_IS_NOTE (self));
  g_return_if_fail (photo != NULL);

  photos = copy_photos (self->photos, FALSE);
  g_ptr_array_insert (photos, MIN (position, photos->len), cin_photo_ref (photo));
  cin_note_set_photos (self, photos);
}

void
cin_note_replace_photo (CinNote  *self,
                        guint     position,
                        CinPhoto *photo)
{
  g_autoptr(GPtrArray) photos = NULL;

  g_return_if_fail (CIN_IS_NOTE (self));
  g_return_if_fail (position < self->photos->len);
  g_return_if_fail (photo != NULL);

  photos = copy_photos (self->photos, FALSE);
  cin_photo_unref (g_ptr_array_index (photos, position));
  g_ptr_array_index (photos, position) = cin_photo_ref (photo);
  cin_note_set_photos (self, photos);
}

void
cin_note_remove_photo (CinNote *self,
                       guint    position)
{
  g_autoptr(GPtrArray) photos = NULL;

  g_return_if_fail (CIN_IS_NOTE (self));
  g_return_if_fail (position < self->photos->len);

  photos = copy_photos (self->photos, FALSE);
  g_ptr_array_remove_index (photos, position);
  cin_note_set_photos (self, photos);
}

void
cin_note_move_photo (CinNote *self,
                     guint    from,
                     guint    to)
{
  g_autoptr(GPtrArray) photos = NULL;
  CinPhoto *photo;

  g_return_if_fail (CIN_IS_NOTE (self));
  g_return_if_fail (from < self->photos->len);
  g_return_if_fail (to < self->photos->len);

  if (from == to)
    return;

  photos = copy_photos (self->photos, FALSE);
  photo = g_ptr_array_steal_index (photos, from);
  g_ptr_array_insert (photos, to, photo);
  cin_note_set_photos (self, photos);
}

int
cin_note_find_photo (CinNote    *self,
                     const char *sha256)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), -1);
  g_return_val_if_fail (sha256 != NULL, -1);

  for (guint i = 0; i < self->photos->len; i++)
    {
      if (g_str_equal (cin_photo_get_sha256 (g_ptr_array_index (self->photos, i)), sha256))
        return (int)i;
    }

  return -1;
}

gboolean
cin_note_is_empty (CinNote *self)
{
  g_return_val_if_fail (CIN_IS_NOTE (self), TRUE);

  return self->title[0] == '\0' && self->body[0] == '\0' &&
         (self->topics == NULL || self->topics[0] == NULL) &&
         (self->mentions == NULL || self->mentions[0] == NULL) &&
         (self->location == NULL || self->location[0] == '\0') &&
         self->photos->len == 0;
}

/* Stable names for the store, JSON and the API: never translated. */
#define DEFINE_ENUM_STRINGS(Type, name, ...)                                \
  static const char * const name##_names[] = { __VA_ARGS__ };              \
  const char *                                                              \
  cin_##name##_to_string (Type value)                                       \
  {                                                                         \
    g_return_val_if_fail ((guint)value < G_N_ELEMENTS (name##_names), NULL); \
    return name##_names[value];                                             \
  }                                                                         \
  gboolean                                                                  \
  cin_##name##_from_string (const char *str,                                \
                            Type       *value)                              \
  {                                                                         \
    for (guint i = 0; str != NULL && i < G_N_ELEMENTS (name##_names); i++)  \
      if (g_str_equal (str, name##_names[i]))                               \
        {                                                                   \
          *value = (Type)i;                                                 \
          return TRUE;                                                      \
        }                                                                   \
    return FALSE;                                                           \
  }

DEFINE_ENUM_STRINGS (CinNoteKind, note_kind, "photo", "video")
DEFINE_ENUM_STRINGS (CinVisibility, visibility, "public", "only-me", "mutual")
DEFINE_ENUM_STRINGS (CinNoteState, note_state, "draft", "scheduled", "published", "failed")
DEFINE_ENUM_STRINGS (CinSyncState, sync_state, "created", "modified", "synced", "deleted")
