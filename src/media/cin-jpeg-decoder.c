/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-jpeg-decoder"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jerror.h>
#include <jpeglib.h>

#include "cin-image-reader.h"
#include "cin-jpeg-decoder.h"

/* Rows asked of libjpeg at once: its largest MCU row, scaled or not. */
#define ROWS_AT_ONCE 16

typedef enum {
  STAGE_HEADER,
  STAGE_START,
  STAGE_ROWS,
  STAGE_FINISH,
  STAGE_DONE,
} Stage;

typedef struct {
  struct jpeg_error_mgr  manager;
  jmp_buf                jump;
  char                   message[JMSG_LENGTH_MAX];
} ErrorManager;

struct _CinJpegDecoder
{
  struct jpeg_decompress_struct  info;
  struct jpeg_source_mgr         source;
  ErrorManager                   error;

  guint                          size;
  Stage                          stage;
  GByteArray                    *pending;     /* bytes libjpeg has not consumed */
  gsize                          skip;        /* bytes to drop from what comes next */
  gboolean                       at_end;      /* no more pieces will come */
  GdkPixbuf                      *pixbuf;
  const char                    *problem;
};

static void
on_error_exit (j_common_ptr info)
{
  ErrorManager *error = (ErrorManager *)info->err;

  error->manager.format_message (info, error->message);
  longjmp (error->jump, 1);
}

/* Warnings that mean pixels were made up: the photo is damaged. Others
 * (stray bytes between segments, say) are common and harmless. */
static void
on_emit_message (j_common_ptr info,
                 int          level)
{
  CinJpegDecoder *self = info->client_data;
  int code = info->err->msg_code;

  if (level < 0 && self->problem == NULL &&
      (code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE || code == JWRN_JPEG_EOF))
    self->problem = "libjpeg found damaged image data";
}

static void
on_init_source (j_decompress_ptr info)
{
}

/* Suspends libjpeg until the next piece, but at the end, where a fake EOI
 * lets it finish (the structure was checked complete before). */
static boolean
on_fill_input_buffer (j_decompress_ptr info)
{
  static const JOCTET end_of_image[2] = { 0xff, JPEG_EOI };
  CinJpegDecoder *self = info->client_data;

  if (!self->at_end)
    return FALSE;

  WARNMS (info, JWRN_JPEG_EOF);
  info->src->next_input_byte = end_of_image;
  info->src->bytes_in_buffer = 2;
  return TRUE;
}

static void
on_skip_input_data (j_decompress_ptr info,
                    long             n)
{
  CinJpegDecoder *self = info->client_data;
  struct jpeg_source_mgr *source = info->src;

  if (n <= 0)
    return;
  if ((gsize)n > source->bytes_in_buffer)
    {
      self->skip += (gsize)n - source->bytes_in_buffer;
      source->next_input_byte += source->bytes_in_buffer;
      source->bytes_in_buffer = 0;
      return;
    }
  source->next_input_byte += n;
  source->bytes_in_buffer -= (gsize)n;
}

static void
on_term_source (j_decompress_ptr info)
{
}

CinJpegDecoder *
cin_jpeg_decoder_new (guint size)
{
  CinJpegDecoder *self = g_new0 (CinJpegDecoder, 1);

  self->size = size;
  self->pending = g_byte_array_new ();

  self->info.err = jpeg_std_error (&self->error.manager);
  self->error.manager.error_exit = on_error_exit;
  self->error.manager.emit_message = on_emit_message;
  jpeg_create_decompress (&self->info);
  self->info.client_data = self;

  self->source.init_source = on_init_source;
  self->source.fill_input_buffer = on_fill_input_buffer;
  self->source.skip_input_data = on_skip_input_data;
  self->source.resync_to_restart = jpeg_resync_to_restart;
  self->source.term_source = on_term_source;
  self->info.src = &self->source;

  if (size == 0)
    jpeg_save_markers (&self->info, JPEG_APP0 + 2, 0xffff);

  return self;
}

void
cin_jpeg_decoder_free (CinJpegDecoder *self)
{
  if (self == NULL)
    return;
  jpeg_destroy_decompress (&self->info);
  g_byte_array_unref (self->pending);
  g_clear_object (&self->pixbuf);
  g_free (self);
}

/* The largest of libjpeg's scalings (1/8, 1/4, 1/2) that still gives at
 * least the size wanted, so the last step is a small shrink. */
static void
choose_scale (CinJpegDecoder *self)
{
  guint width, height;

  cin_image_fit_size (self->info.image_width, self->info.image_height, self->size, &width, &height);
  self->info.scale_num = 1;
  for (guint denom = 8; denom >= 1; denom /= 2)
    {
      self->info.scale_denom = denom;
      jpeg_calc_output_dimensions (&self->info);
      if (self->info.output_width >= width && self->info.output_height >= height)
        return;
    }
}

static void
attach_color_profile (CinJpegDecoder *self)
{
  JOCTET *profile = NULL;
  unsigned int len = 0;

  if (jpeg_read_icc_profile (&self->info, &profile, &len) && profile != NULL)
    {
      g_autofree char *encoded = g_base64_encode (profile, len);

      gdk_pixbuf_set_option (self->pixbuf, "icc-profile", encoded);
    }
  free (profile);
}

/* Adobe's CMYK is stored inverted, as Photoshop writes it. */
static void
cmyk_to_rgb (CinJpegDecoder *self,
             const guint8   *cmyk,
             guint8         *rgb)
{
  gboolean inverted = self->info.saw_Adobe_marker;

  for (guint x = 0; x < self->info.output_width; x++, cmyk += 4, rgb += 3)
    {
      guint c = inverted ? cmyk[0] : 255 - cmyk[0];
      guint m = inverted ? cmyk[1] : 255 - cmyk[1];
      guint y = inverted ? cmyk[2] : 255 - cmyk[2];
      guint k = inverted ? cmyk[3] : 255 - cmyk[3];

      rgb[0] = (guint8)(c * k / 255);
      rgb[1] = (guint8)(m * k / 255);
      rgb[2] = (guint8)(y * k / 255);
    }
}

static gboolean
read_rows (CinJpegDecoder *self)
{
  gboolean cmyk = self->info.out_color_space == JCS_CMYK;
  g_autofree guint8 *cmyk_rows = cmyk ? g_malloc ((gsize)self->info.output_width * 4 * ROWS_AT_ONCE) : NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (self->pixbuf);
  gsize rowstride = (gsize)gdk_pixbuf_get_rowstride (self->pixbuf);

  while (self->info.output_scanline < self->info.output_height)
    {
      JSAMPROW rows[ROWS_AT_ONCE];
      guint first = self->info.output_scanline;
      guint count = MIN (ROWS_AT_ONCE, self->info.output_height - first);
      JDIMENSION read;

      for (guint i = 0; i < count; i++)
        rows[i] = cmyk ? cmyk_rows + (gsize)i * self->info.output_width * 4
                       : pixels + (first + i) * rowstride;
      read = jpeg_read_scanlines (&self->info, rows, count);
      if (read == 0)
        return FALSE;
      for (guint i = 0; cmyk && i < read; i++)
        cmyk_to_rgb (self, rows[i], pixels + (first + i) * rowstride);
    }

  return TRUE;
}

/* As far as the bytes so far allow; libjpeg suspends where they end. */
static void
advance (CinJpegDecoder *self)
{
  switch (self->stage)
    {
    case STAGE_HEADER:
      if (jpeg_read_header (&self->info, TRUE) == JPEG_SUSPENDED)
        return;
      choose_scale (self);
      /* Thumbnails shrink further anyway: plain chroma upsampling does. */
      self->info.do_fancy_upsampling = self->size == 0;
      if (self->info.jpeg_color_space == JCS_CMYK || self->info.jpeg_color_space == JCS_YCCK)
        self->info.out_color_space = JCS_CMYK;
      else
        self->info.out_color_space = JCS_RGB;
      self->stage = STAGE_START;
      G_GNUC_FALLTHROUGH;

    case STAGE_START:
      if (!jpeg_start_decompress (&self->info))
        return;
      self->pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int)self->info.output_width,
                                     (int)self->info.output_height);
      if (self->pixbuf == NULL)
        ERREXIT (&self->info, JERR_OUT_OF_MEMORY);
      if (self->size == 0)
        attach_color_profile (self);
      self->stage = STAGE_ROWS;
      G_GNUC_FALLTHROUGH;

    case STAGE_ROWS:
      if (!read_rows (self))
        return;
      self->stage = STAGE_FINISH;
      G_GNUC_FALLTHROUGH;

    case STAGE_FINISH:
      if (!jpeg_finish_decompress (&self->info))
        return;
      self->stage = STAGE_DONE;
      G_GNUC_FALLTHROUGH;

    case STAGE_DONE:
    default:
      return;
    }
}

/* Nothing here changes after setjmp() but through self, so the jump back
 * leaves no stale locals. */
static gboolean
run (CinJpegDecoder *self)
{
  if (setjmp (self->error.jump) != 0)
    {
      g_debug ("libjpeg: %s", self->error.message);
      self->problem = "libjpeg could not decode the image data";
      return FALSE;
    }

  advance (self);
  return self->problem == NULL;
}

gboolean
cin_jpeg_decoder_feed (CinJpegDecoder *self,
                       const guint8   *data,
                       gsize           len)
{
  gsize consumed, drop;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->problem != NULL)
    return FALSE;
  if (self->stage == STAGE_DONE)
    return TRUE;

  /* What libjpeg left of the last piece comes first. */
  consumed = self->pending->len - self->source.bytes_in_buffer;
  g_byte_array_remove_range (self->pending, 0, (guint)consumed);
  drop = MIN (self->skip, len);
  self->skip -= drop;
  data += drop;
  len -= drop;

  if (self->pending->len > 0)
    {
      g_byte_array_append (self->pending, data, (guint)len);
      self->source.next_input_byte = self->pending->data;
      self->source.bytes_in_buffer = self->pending->len;
      return run (self);
    }

  /* Nothing left over: libjpeg reads the piece where it is, and only
   * what it leaves is kept for the next one. */
  self->source.next_input_byte = data;
  self->source.bytes_in_buffer = len;
  ok = run (self);
  g_byte_array_append (self->pending, self->source.next_input_byte, (guint)self->source.bytes_in_buffer);
  self->source.next_input_byte = self->pending->data;
  return ok;
}

GdkPixbuf *
cin_jpeg_decoder_finish (CinJpegDecoder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->problem == NULL && self->stage != STAGE_DONE)
    {
      self->at_end = TRUE;
      run (self);
    }
  if (self->problem != NULL || self->stage != STAGE_DONE)
    {
      if (self->problem == NULL)
        self->problem = "the image data ended early";
      return NULL;
    }

  return g_steal_pointer (&self->pixbuf);
}

const char *
cin_jpeg_decoder_get_problem (CinJpegDecoder *self)
{
  return self->problem;
}
