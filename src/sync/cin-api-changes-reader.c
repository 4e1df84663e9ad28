/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-changes-reader"

#include "cin-api-changes-reader-private.h"
#include "cin-json-lexer-private.h"
#include "cin-note-fields.h"
#include "cin-note-json.h"

/* The page:  { "changes": [ change… ], "cursor": "…", "more": bool }
 * a change:  { "cursor", "kind": "note", "id", "rev", "deleted": bool,
 *              "entity": note | null }
 * and a note as cin-note-json.c writes it. Members may come in any order;
 * members this does not know are read past, as json-glib's decoders
 * ignore them. Every "return NULL" below hands the page to json-glib. */

typedef struct {
  CinJsonLexer  lexer;
  GStringChunk *strings;  /* the current note's, until it is made */
} Reader;

/* Which of @names (NULL-terminated, at most 32) the member just named
 * is, or -1 for one this does not know. A known member seen before sets
 * *@twice: that is left to json-glib, which keeps the last. */
static int
known_member (Reader             *reader,
              const char * const *names,
              guint              *seen,
              gboolean           *twice)
{
  const char *name = reader->lexer.text->str;

  *twice = FALSE;
  for (int i = 0; names[i] != NULL; i++)
    {
      if (!g_str_equal (name, names[i]))
        continue;
      *twice = (*seen & (1u << i)) != 0;
      *seen |= 1u << i;
      return i;
    }
  return -1;
}

/* Reads an object's members, calling @read_member for each known one
 * (by its index in @names) and reading past the others. */
typedef gboolean (*ReadMember) (Reader   *reader,
                                int       member,
                                gpointer  data);

typedef struct {
  Reader             *reader;
  const char * const *names;
  guint               seen;
  ReadMember          read_member;
  gpointer            data;
} ObjectRead;

static gboolean
read_object_member (CinJsonLexer *lexer,
                    gpointer      user_data)
{
  ObjectRead *read = user_data;
  gboolean twice;
  int member;

  if (!_cin_json_lexer_read_name (lexer))
    return FALSE;
  member = known_member (read->reader, read->names, &read->seen, &twice);
  if (twice)
    return FALSE;
  return member >= 0 ? read->read_member (read->reader, member, read->data)
                     : _cin_json_lexer_skip_value (lexer);
}

static gboolean
read_object (Reader             *reader,
             const char * const *names,
             ReadMember          read_member,
             gpointer            data)
{
  ObjectRead read = { reader, names, 0, read_member, data };

  return _cin_json_lexer_read_list (&reader->lexer, '}', read_object_member, &read);
}

/* Reads an array's elements, each with @read_element. */
typedef gboolean (*ReadElement) (Reader   *reader,
                                 gpointer  data);

typedef struct {
  Reader      *reader;
  ReadElement  read_element;
  gpointer     data;
} ArrayRead;

static gboolean
read_array_element (CinJsonLexer *lexer,
                    gpointer      user_data)
{
  ArrayRead *read = user_data;

  return read->read_element (read->reader, read->data);
}

static gboolean
read_array (Reader      *reader,
            ReadElement  read_element,
            gpointer     data)
{
  ArrayRead read = { reader, read_element, data };

  return _cin_json_lexer_read_list (&reader->lexer, ']', read_array_element, &read);
}

static gboolean
read_kept_string (Reader      *reader,
                  const char **value)
{
  if (!_cin_json_lexer_read_string (&reader->lexer))
    return FALSE;
  *value = g_string_chunk_insert_len (reader->strings, reader->lexer.text->str,
                                      reader->lexer.text->len);
  return TRUE;
}

/* A string, or null where @nullable. */
static gboolean
read_text (Reader      *reader,
           gboolean     nullable,
           const char **value)
{
  *value = NULL;
  if (nullable && reader->lexer.p < reader->lexer.end && *reader->lexer.p == 'n')
    return _cin_json_lexer_read_literal (&reader->lexer, "null");
  return read_kept_string (reader, value);
}

static gboolean
read_boolean (Reader   *reader,
              gboolean *value)
{
  if (_cin_json_lexer_read_literal (&reader->lexer, "true"))
    *value = TRUE;
  else if (_cin_json_lexer_read_literal (&reader->lexer, "false"))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
read_string_element (Reader   *reader,
                     gpointer  data)
{
  const char *text;

  if (!read_kept_string (reader, &text))
    return FALSE;
  g_ptr_array_add (data, (gpointer)text);
  return TRUE;
}

static gboolean
read_strings (Reader        *reader,
              const char  ***strings)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  if (!read_array (reader, read_string_element, list))
    return FALSE;
  g_ptr_array_add (list, NULL);
  *strings = (const char **)g_ptr_array_free (g_steal_pointer (&list), FALSE);
  return TRUE;
}

/* A whole number where one belongs; anything else is left to json-glib. */
static gboolean
read_integer (Reader *reader,
              gint64 *value)
{
  gboolean integral;
  double real;

  return _cin_json_lexer_read_number (&reader->lexer, &integral, value, &real) && integral;
}

static gboolean
read_fraction (Reader *reader,
               double *value)
{
  gboolean integral;
  gint64 integer;

  if (!_cin_json_lexer_read_number (&reader->lexer, &integral, &integer, value))
    return FALSE;
  if (integral)
    *value = (double)integer;
  return TRUE;
}

/* In the order of their names below. */
enum {
  PHOTO_ID, PHOTO_SHA256, PHOTO_MIME, PHOTO_CROP, PHOTO_ALT_TEXT,
  PHOTO_WIDTH, PHOTO_HEIGHT, PHOTO_CROP_X, PHOTO_CROP_Y,
};

static const char * const photo_members[] = {
  "id", "sha256", "mime", "crop", "alt_text", "width", "height", "crop_x", "crop_y", NULL,
};

static gboolean
read_photo_member (Reader   *reader,
                   int       member,
                   gpointer  data)
{
  CinPhotoFields *photo = data;

  switch (member)
    {
    case PHOTO_ID: return read_text (reader, FALSE, &photo->id);
    case PHOTO_SHA256: return read_text (reader, FALSE, &photo->sha256);
    case PHOTO_MIME: return read_text (reader, FALSE, &photo->mime);
    case PHOTO_CROP: return read_text (reader, FALSE, &photo->crop);
    case PHOTO_ALT_TEXT: return read_text (reader, TRUE, &photo->alt_text);
    case PHOTO_WIDTH: return read_integer (reader, &photo->width);
    case PHOTO_HEIGHT: return read_integer (reader, &photo->height);
    case PHOTO_CROP_X: return read_fraction (reader, &photo->crop_x);
    case PHOTO_CROP_Y: return read_fraction (reader, &photo->crop_y);
    default: g_assert_not_reached ();
    }
}

static gboolean
read_photo_element (Reader   *reader,
                    gpointer  data)
{
  GArray *photos = data;
  CinPhotoFields photo = { NULL, NULL, NULL, NULL, NULL, -1, -1, 0.5, 0.5 };

  /* Past the most a note may have, json-glib words the refusal. */
  if (photos->len == CIN_NOTE_JSON_MAX_PHOTOS ||
      !read_object (reader, photo_members, read_photo_member, &photo))
    return FALSE;
  g_array_append_val (photos, photo);
  return TRUE;
}

/* The note being read. */
typedef struct {
  CinNoteFields  fields;
  const char   **topics;
  const char   **mentions;
  GArray        *photos;   /* CinPhotoFields */
} NoteRead;

enum {
  NOTE_ID, NOTE_KIND, NOTE_TITLE, NOTE_BODY, NOTE_TOPICS, NOTE_MENTIONS, NOTE_LOCATION,
  NOTE_VISIBILITY, NOTE_STATE, NOTE_SCHEDULED_AT, NOTE_CREATED_AT, NOTE_UPDATED_AT, NOTE_REV,
  NOTE_ORIGINAL, NOTE_PHOTOS,
};

static const char * const note_members[] = {
  "id", "kind", "title", "body", "topics", "mentions", "location", "visibility", "state",
  "scheduled_at", "created_at", "updated_at", "rev", "original", "photos", NULL,
};

static gboolean
read_note_member (Reader   *reader,
                  int       member,
                  gpointer  data)
{
  NoteRead *note = data;
  CinNoteFields *fields = &note->fields;

  switch (member)
    {
    case NOTE_ID: return read_text (reader, FALSE, &fields->id);
    case NOTE_KIND: return read_text (reader, FALSE, &fields->kind);
    case NOTE_TITLE: return read_text (reader, FALSE, &fields->title);
    case NOTE_BODY: return read_text (reader, FALSE, &fields->body);
    case NOTE_TOPICS: return read_strings (reader, &note->topics);
    case NOTE_MENTIONS: return read_strings (reader, &note->mentions);
    case NOTE_LOCATION: return read_text (reader, TRUE, &fields->location);
    case NOTE_VISIBILITY: return read_text (reader, FALSE, &fields->visibility);
    case NOTE_STATE: return read_text (reader, FALSE, &fields->state);
    case NOTE_SCHEDULED_AT: return read_text (reader, TRUE, &fields->scheduled_at);
    case NOTE_CREATED_AT: return read_text (reader, FALSE, &fields->created_at);
    case NOTE_UPDATED_AT: return read_text (reader, FALSE, &fields->updated_at);
    case NOTE_REV: return read_text (reader, TRUE, &fields->rev);
    case NOTE_ORIGINAL: return read_boolean (reader, &fields->original);
    case NOTE_PHOTOS: return read_array (reader, read_photo_element, note->photos);
    default: g_assert_not_reached ();
    }
}

/* A note the codec takes; NULL for anything else, its reasons left to
 * cin_note_from_json(). */
static CinNote *
read_note (Reader *reader)
{
  g_autoptr(GArray) photos = g_array_new (FALSE, TRUE, sizeof (CinPhotoFields));
  NoteRead note = { { NULL, }, NULL, NULL, photos };
  CinNote *made = NULL;

  if (read_object (reader, note_members, read_note_member, &note))
    {
      note.fields.topics = note.topics;
      note.fields.mentions = note.mentions;
      note.fields.photos = (const CinPhotoFields *)(gpointer)photos->data;
      note.fields.n_photos = photos->len;
      made = cin_note_from_fields (&note.fields, NULL);
    }
  g_free (note.topics);
  g_free (note.mentions);
  g_string_chunk_clear (reader->strings);
  return made;
}

/* The change being read. */
typedef struct {
  CinApiChange *change;
  gboolean      has_deleted;
  gboolean      has_entity;
  gboolean      entity_null;
} ChangeRead;

enum { CHANGE_CURSOR, CHANGE_KIND, CHANGE_ID, CHANGE_REV, CHANGE_DELETED, CHANGE_ENTITY };

static const char * const change_members[] = {
  "cursor", "kind", "id", "rev", "deleted", "entity", NULL,
};

static gboolean
read_copied_string (Reader  *reader,
                    char   **value)
{
  if (!_cin_json_lexer_read_string (&reader->lexer))
    return FALSE;
  *value = g_strndup (reader->lexer.text->str, reader->lexer.text->len);
  return TRUE;
}

static gboolean
read_change_member (Reader   *reader,
                    int       member,
                    gpointer  data)
{
  ChangeRead *read = data;
  CinApiChange *change = read->change;

  switch (member)
    {
    case CHANGE_CURSOR: return read_copied_string (reader, &change->cursor);
    case CHANGE_KIND: return read_copied_string (reader, &change->kind);
    case CHANGE_ID: return read_copied_string (reader, &change->id);
    case CHANGE_REV: return read_copied_string (reader, &change->rev);
    case CHANGE_DELETED:
      read->has_deleted = TRUE;
      return read_boolean (reader, &change->deleted);
    case CHANGE_ENTITY:
      read->has_entity = TRUE;
      if (_cin_json_lexer_read_literal (&reader->lexer, "null"))
        {
          read->entity_null = TRUE;
          return TRUE;
        }
      /* What the entity is must be known first: a note's is read, any
       * other kind's (kept by nobody yet) only checked to be an object. */
      if (change->kind == NULL)
        return FALSE;
      if (!g_str_equal (change->kind, "note"))
        return reader->lexer.p < reader->lexer.end && *reader->lexer.p == '{' &&
               _cin_json_lexer_skip_value (&reader->lexer);
      change->note = read_note (reader);
      return change->note != NULL;
    default:
      g_assert_not_reached ();
    }
}

static CinApiChange *
read_change (Reader *reader)
{
  ChangeRead read = { g_new0 (CinApiChange, 1), FALSE, FALSE, FALSE };
  CinApiChange *change = read.change;

  /* As decode_change() in cin-api-client.c wants it. */
  if (!read_object (reader, change_members, read_change_member, &read) ||
      change->cursor == NULL || change->kind == NULL || change->id == NULL || change->rev == NULL ||
      !read.has_deleted || !read.has_entity ||
      (read.entity_null && !change->deleted))
    {
      _cin_api_change_free (change);
      return NULL;
    }
  return change;
}

/* The page being read. */
typedef struct {
  CinApiChangesPage *page;
  gboolean           has_more;
} PageRead;

enum { PAGE_CHANGES, PAGE_CURSOR, PAGE_MORE };

static const char * const page_members[] = { "changes", "cursor", "more", NULL };

static gboolean
read_change_element (Reader   *reader,
                     gpointer  data)
{
  CinApiChange *change = read_change (reader);

  if (change == NULL)
    return FALSE;
  g_ptr_array_add (data, change);
  return TRUE;
}

static gboolean
read_page_member (Reader   *reader,
                  int       member,
                  gpointer  data)
{
  PageRead *read = data;

  switch (member)
    {
    case PAGE_CHANGES:
      read->page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)_cin_api_change_free);
      return read_array (reader, read_change_element, read->page->changes);
    case PAGE_CURSOR:
      return read_copied_string (reader, &read->page->cursor);
    case PAGE_MORE:
      read->has_more = TRUE;
      return read_boolean (reader, &read->page->more);
    default:
      g_assert_not_reached ();
    }
}

CinApiChangesPage *
_cin_api_changes_read (const char *data,
                       gsize       size)
{
  g_autoptr(GString) text = g_string_sized_new (256);
  g_autoptr(CinApiChangesPage) page = g_new0 (CinApiChangesPage, 1);
  PageRead read = { page, FALSE };
  Reader reader;
  gboolean complete;

  if (!_cin_json_lexer_init (&reader.lexer, data, size, text))
    return NULL;
  reader.strings = g_string_chunk_new (1024);
  _cin_json_lexer_skip_space (&reader.lexer);
  complete = read_object (&reader, page_members, read_page_member, &read) &&
             _cin_json_lexer_at_end (&reader.lexer);
  g_string_chunk_free (reader.strings);

  if (!complete || page->changes == NULL || page->cursor == NULL || !read.has_more)
    return NULL;
  return g_steal_pointer (&page);
}
