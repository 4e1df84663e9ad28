/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-heif"

#include "cin-heif.h"
#include "cin-image-reader.h"
#include "cin-media-error-private.h"

#ifdef HAVE_LIBHEIF

#include <libheif/heif.h>

typedef struct heif_context HeifContext;
typedef struct heif_image_handle HeifImageHandle;
typedef struct heif_image HeifImage;
typedef struct heif_decoding_options HeifDecodingOptions;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeifContext, heif_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeifImageHandle, heif_image_handle_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeifImage, heif_image_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeifDecodingOptions, heif_decoding_options_free)

gboolean
cin_heif_is_available (void)
{
  return TRUE;
}

static void
ensure_initialized (void)
{
  static gsize initialized = 0;

  /* Never undone: libheif's plugins stay loaded for the process. */
  if (g_once_init_enter (&initialized))
    {
      heif_init (NULL);
      g_once_init_leave (&initialized, 1);
    }
}

static gboolean
check (struct heif_error   result,
       const char         *name,
       GError            **error)
{
  if (result.code == heif_error_Ok)
    return TRUE;

  g_debug ("%s: libheif: %s (%d.%d)", name, result.message, result.code, result.subcode);
  if (result.code == heif_error_Invalid_input && result.subcode == heif_suberror_End_of_data)
    _cin_media_error_truncated (error, name);
  else
    _cin_media_error_corrupt (error, name);
  return FALSE;
}

static void
release_image (guchar   *pixels,
               gpointer  image)
{
  heif_image_release (image);
}

static void
attach_color_profile (const struct heif_image_handle *handle,
                      GdkPixbuf                      *pixbuf)
{
  enum heif_color_profile_type type = heif_image_handle_get_color_profile_type (handle);
  g_autofree guint8 *profile = NULL;
  g_autofree char *encoded = NULL;
  gsize len;

  if (type != heif_color_profile_type_prof && type != heif_color_profile_type_rICC)
    return;
  len = heif_image_handle_get_raw_color_profile_size (handle);
  if (len == 0)
    return;
  profile = g_malloc (len);
  if (heif_image_handle_get_raw_color_profile (handle, profile).code != heif_error_Ok)
    return;
  encoded = g_base64_encode (profile, len);
  gdk_pixbuf_set_option (pixbuf, "icc-profile", encoded);
}

GdkPixbuf *
cin_heif_decode (const char  *path,
                 const char  *name,
                 guint        size,
                 guint64      max_pixels,
                 guint       *width,
                 guint       *height,
                 GError     **error)
{
  g_autoptr(HeifContext) context = NULL;
  g_autoptr(HeifImageHandle) handle = NULL;
  g_autoptr(HeifImage) image = NULL;
  g_autoptr(HeifDecodingOptions) options = NULL;
  g_autoptr(GdkPixbuf) full = NULL;
  GdkPixbuf *scaled;
  const guint8 *pixels;
  gboolean has_alpha;
  guint full_width, full_height, fit_width, fit_height;
  int stride;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  ensure_initialized ();
  context = heif_context_alloc ();

  /* Reading parses the boxes only: the size is known before any pixel
   * is decoded or allocated. */
  if (!check (heif_context_read_from_file (context, path, NULL), name, error) ||
      !check (heif_context_get_primary_image_handle (context, &handle), name, error))
    return NULL;

  full_width = (guint)MAX (heif_image_handle_get_width (handle), 0);
  full_height = (guint)MAX (heif_image_handle_get_height (handle), 0);
  if (full_width == 0 || full_height == 0)
    {
      _cin_media_error_corrupt (error, name);
      return NULL;
    }
  if ((guint64)full_width * full_height > max_pixels)
    {
      _cin_media_error_too_many_pixels (error, name, full_width, full_height, max_pixels);
      return NULL;
    }

  has_alpha = heif_image_handle_has_alpha_channel (handle);
  options = heif_decoding_options_alloc ();
  options->convert_hdr_to_8bit = TRUE;
  if (!check (heif_decode_image (handle, &image, heif_colorspace_RGB,
                                 has_alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                                 options),
              name, error))
    return NULL;

  pixels = heif_image_get_plane_readonly (image, heif_channel_interleaved, &stride);
  if (pixels == NULL || heif_image_get_width (image, heif_channel_interleaved) != (int)full_width ||
      heif_image_get_height (image, heif_channel_interleaved) != (int)full_height)
    {
      _cin_media_error_corrupt (error, name);
      return NULL;
    }

  /* The pixbuf borrows libheif's pixels, and releases the image with them. */
  full = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, has_alpha, 8,
                                   (int)full_width, (int)full_height, stride,
                                   release_image, g_steal_pointer (&image));

  *width = full_width;
  *height = full_height;

  cin_image_fit_size (full_width, full_height, size, &fit_width, &fit_height);
  if (fit_width == full_width && fit_height == full_height)
    {
      attach_color_profile (handle, full);
      return g_steal_pointer (&full);
    }

  scaled = gdk_pixbuf_scale_simple (full, (int)fit_width, (int)fit_height, GDK_INTERP_BILINEAR);
  if (scaled == NULL)
    _cin_media_error_corrupt (error, name);
  return scaled;
}

#else /* !HAVE_LIBHEIF */

gboolean
cin_heif_is_available (void)
{
  return FALSE;
}

GdkPixbuf *
cin_heif_decode (const char  *path,
                 const char  *name,
                 guint        size,
                 guint64      max_pixels,
                 guint       *width,
                 guint       *height,
                 GError     **error)
{
  _cin_media_error_no_decoder (error, name, CIN_IMAGE_FORMAT_HEIF);
  return NULL;
}

#endif
