/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-check"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cin-media-bytes.h"
#include "cin-media-check.h"

G_DEFINE_QUARK (cin-media-error-quark, cin_media_error)

#define WINDOW_SIZE (64 * 1024)

/* A read-only window over the file, for walking structures that are read
 * front to back (JPEG's entropy-coded data is scanned byte by byte). */
typedef struct {
  int      fd;
  guint64  size;
  guint64  window_start;
  gsize    window_len;
  GError  *error;
  guint8   window[WINDOW_SIZE];
} Reader;

static gboolean
reader_pread (Reader  *reader,
              guint64  offset,
              guint8  *buffer,
              gsize    length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = pread (reader->fd, buffer + done, length - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          if (reader->error == NULL)
            g_set_error (&reader->error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_IO,
                         "Could not read the file: %s", g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* The bytes at [offset, offset + length), or NULL when they are not all in
 * the file (or could not be read: then reader->error is set). */
static const guint8 *
reader_peek (Reader  *reader,
             guint64  offset,
             gsize    length)
{
  g_assert (length <= WINDOW_SIZE);

  if (offset > reader->size || reader->size - offset < length)
    return NULL;
  if (offset < reader->window_start ||
      offset + length > reader->window_start + reader->window_len)
    {
      gsize want = (gsize) MIN ((guint64) WINDOW_SIZE, reader->size - offset);

      if (!reader_pread (reader, offset, reader->window, want))
        return NULL;
      reader->window_start = offset;
      reader->window_len = want;
    }
  return reader->window + (offset - reader->window_start);
}

static gboolean
fail (GError    **error,
      Reader     *reader,
      int         code,
      const char *message)
{
  if (reader->error != NULL)
    g_propagate_error (error, g_steal_pointer (&reader->error));
  else
    g_set_error_literal (error, CIN_MEDIA_ERROR, code, message);
  return FALSE;
}

static gboolean
check_png (Reader  *reader,
           GError **error)
{
  guint64 offset = 8;

  for (;;)
    {
      const guint8 *header = reader_peek (reader, offset, 8);
      guint32 length;

      if (header == NULL)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The PNG file ends before its IEND chunk: it was cut short.");
      length = cin_media_read_be32 (header);
      if (length > G_MAXINT32)
        return fail (error, reader, CIN_MEDIA_ERROR_DAMAGED,
                     "The PNG file has a chunk of impossible length.");
      if (12 + (guint64) length > reader->size - offset)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The PNG file ends inside a chunk: it was cut short.");
      if (memcmp (header + 4, "IEND", 4) == 0)
        return TRUE;
      offset += 12 + (guint64) length;
    }
}

static gboolean
is_standalone_jpeg_marker (guint8 marker)
{
  return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/* Entropy-coded data runs until a 0xFF that is neither a stuffed 0xFF00
 * nor a restart marker. Returns the offset of that marker's 0xFF, or
 * G_MAXUINT64 at the end of the file. */
static guint64
skip_entropy_coded_data (Reader  *reader,
                         guint64  offset)
{
  while (offset < reader->size)
    {
      /* The rest of the window read already, or a fresh one: asking for a
       * whole window from every 0xFF would read the file again and again. */
      gboolean in_window = offset >= reader->window_start &&
                           offset < reader->window_start + reader->window_len;
      gsize span = in_window ? (gsize) (reader->window_start + reader->window_len - offset)
                             : (gsize) MIN ((guint64) WINDOW_SIZE, reader->size - offset);
      const guint8 *bytes = reader_peek (reader, offset, span);
      const guint8 *ff;
      const guint8 *next;

      if (bytes == NULL)
        return G_MAXUINT64;
      ff = memchr (bytes, 0xff, span);
      if (ff == NULL)
        {
          offset += span;
          continue;
        }
      offset += (guint64) (ff - bytes);
      next = reader_peek (reader, offset + 1, 1);
      if (next == NULL)
        return G_MAXUINT64;
      if (*next == 0x00 || *next == 0xff || is_standalone_jpeg_marker (*next))
        {
          offset += *next == 0xff ? 1 : 2;
          continue;
        }
      return offset;
    }
  return G_MAXUINT64;
}

static gboolean
check_jpeg (Reader  *reader,
            GError **error)
{
  guint64 offset = 2;

  for (;;)
    {
      const guint8 *byte = reader_peek (reader, offset, 1);
      guint8 marker;
      guint16 length;

      if (byte == NULL)
        break;
      if (*byte != 0xff)
        return fail (error, reader, CIN_MEDIA_ERROR_DAMAGED,
                     "The JPEG file has bytes where a marker should be.");
      /* A marker may be padded with any number of 0xFF fill bytes. */
      do
        byte = reader_peek (reader, ++offset, 1);
      while (byte != NULL && *byte == 0xff);
      if (byte == NULL)
        break;
      marker = *byte;
      offset++;

      if (marker == 0xd9)
        return TRUE;
      if (is_standalone_jpeg_marker (marker))
        continue;

      byte = reader_peek (reader, offset, 2);
      if (byte == NULL)
        break;
      length = (guint16) (byte[0] << 8 | byte[1]);
      if (length < 2)
        return fail (error, reader, CIN_MEDIA_ERROR_DAMAGED,
                     "The JPEG file has a segment of impossible length.");
      if (length > reader->size - offset)
        break;
      offset += length;

      if (marker == 0xda)
        {
          offset = skip_entropy_coded_data (reader, offset);
          if (offset == G_MAXUINT64)
            break;
        }
    }

  return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
               "The JPEG file ends before its end-of-image marker: it was cut short.");
}

static gboolean
check_webp (Reader  *reader,
            GError **error)
{
  const guint8 *header = reader_peek (reader, 0, 12);

  if (header == NULL || 8 + (guint64) cin_media_read_le32 (header + 4) > reader->size)
    return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                 "The WebP file is shorter than its RIFF header says: it was cut short.");
  return TRUE;
}

/* MP4, M4V and QuickTime: top-level boxes must tile the file, and a
 * recording that stopped before writing its 'moov' box cannot be played. */
static gboolean
check_iso_boxes (Reader  *reader,
                 GError **error)
{
  guint64 offset = 0;
  gboolean has_movie_header = FALSE;

  while (offset < reader->size)
    {
      guint64 left = reader->size - offset;
      const guint8 *header = reader_peek (reader, offset, (gsize) MIN (left, 16));
      guint64 box_size;
      guint header_size = 8;

      if (header == NULL || left < 8)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The video ends inside a box header: it was cut short.");
      box_size = cin_media_read_be32 (header);
      if (box_size == 1)
        {
          if (left < 16)
            return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                         "The video ends inside a box header: it was cut short.");
          box_size = cin_media_read_be64 (header + 8);
          header_size = 16;
        }
      else if (box_size == 0)
        box_size = left;

      if (box_size < header_size)
        return fail (error, reader, CIN_MEDIA_ERROR_DAMAGED,
                     "The video has a box of impossible size.");
      if (memcmp (header + 4, "moov", 4) == 0)
        has_movie_header = TRUE;
      if (box_size > left)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The video ends inside a box: it was cut short.");
      offset += box_size;
    }

  if (!has_movie_header)
    return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                 "The video has no movie header ('moov' box): the recording or copy did not finish.");
  return TRUE;
}

#define EBML_ID_SEGMENT 0x18538067

/* Reads the element header at @offset: its ID, the size of its data and
 * where that data starts. */
static gboolean
read_ebml_element (Reader   *reader,
                   guint64   offset,
                   guint64  *id,
                   guint64  *size,
                   gboolean *unknown_size,
                   guint64  *data_offset)
{
  gsize window = (gsize) MIN ((guint64) 12, reader->size - offset);
  const guint8 *bytes = reader_peek (reader, offset, window);
  gsize at = 0;

  if (bytes == NULL ||
      !cin_media_read_ebml_id (bytes, window, &at, id) ||
      !cin_media_read_ebml_size (bytes, window, &at, size, unknown_size))
    return FALSE;
  *data_offset = offset + at;
  return TRUE;
}

static gboolean
check_matroska (Reader  *reader,
                GError **error)
{
  guint64 id, size, offset;
  gboolean unknown;

  /* Everything after the EBML header lives in one Segment. */
  if (!read_ebml_element (reader, 0, &id, &size, &unknown, &offset) ||
      unknown || size > reader->size - offset)
    return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                 "The video ends inside its EBML header: it was cut short.");
  offset += size;

  if (!read_ebml_element (reader, offset, &id, &size, &unknown, &offset))
    return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                 "The video ends before its Matroska segment: it was cut short.");
  if (id != EBML_ID_SEGMENT)
    return fail (error, reader, CIN_MEDIA_ERROR_DAMAGED,
                 "The video has no Matroska segment after its header.");
  if (!unknown)
    {
      if (size > reader->size - offset)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The video is shorter than its Matroska segment says: it was cut short.");
      return TRUE;
    }

  /* A Segment of unknown size (a live recording): its children still have
   * sizes, up to the first cluster that has none either. */
  while (offset < reader->size)
    {
      if (!read_ebml_element (reader, offset, &id, &size, &unknown, &offset))
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The video ends inside an element header: it was cut short.");
      if (unknown)
        return TRUE;
      if (size > reader->size - offset)
        return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                     "The video ends inside a Matroska element: it was cut short.");
      offset += size;
    }
  return TRUE;
}

static gboolean
check_transport_stream (Reader  *reader,
                        GError **error)
{
  const guint8 *start = reader_peek (reader, 0, (gsize) MIN (reader->size, 189));
  /* The same test as the sniffer: sync bytes 188 apart, else M2TS. */
  guint packet_size = start != NULL && reader->size > 188 &&
                      start[0] == 0x47 && start[188] == 0x47 ? 188 : 192;

  if (reader->size % packet_size != 0)
    return fail (error, reader, CIN_MEDIA_ERROR_TRUNCATED,
                 "The video ends inside a transport-stream packet: it was cut short.");
  return TRUE;
}

gboolean
cin_media_check_complete (int              fd,
                          guint64          size,
                          CinMediaFormat   format,
                          GError         **error)
{
  g_autofree Reader *reader = g_new0 (Reader, 1);

  g_return_val_if_fail (fd >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reader->fd = fd;
  reader->size = size;

  switch (format)
    {
    case CIN_MEDIA_FORMAT_PNG:
      return check_png (reader, error);
    case CIN_MEDIA_FORMAT_JPEG:
      return check_jpeg (reader, error);
    case CIN_MEDIA_FORMAT_WEBP:
      return check_webp (reader, error);
    case CIN_MEDIA_FORMAT_MP4:
    case CIN_MEDIA_FORMAT_M4V:
    case CIN_MEDIA_FORMAT_MOV:
    case CIN_MEDIA_FORMAT_HEIF:
      return check_iso_boxes (reader, error);
    case CIN_MEDIA_FORMAT_MATROSKA:
    case CIN_MEDIA_FORMAT_WEBM:
      return check_matroska (reader, error);
    case CIN_MEDIA_FORMAT_MPEG_TS:
      return check_transport_stream (reader, error);
    case CIN_MEDIA_FORMAT_MPEG_PS:
      /* A program stream has no end marker it must carry. */
      return TRUE;
    case CIN_MEDIA_FORMAT_UNKNOWN:
    default:
      g_set_error_literal (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_DAMAGED,
                           "The file is not a photo or video format the server knows.");
      return FALSE;
    }
}
