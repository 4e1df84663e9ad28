/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-heif"

#include "cin-heif.h"
#include "cin-image-reader.h"
#include "cin-media-error-private.h"

#ifdef HAVE_LIBHEIF

#include <gmodule.h>
#include <libheif/heif.h>

/* libheif is opened on first use, not linked: it brings its codecs (x265,
 * aom, dav1d, de265), whose loading cost every start of the app a tenth
 * of a second for the rare iPhone photo. Only its header is used at build
 * time; the functions come from the library found at run time. */

#define HEIF_FUNCTIONS(X) \
  X (heif_init) \
  X (heif_context_alloc) \
  X (heif_context_free) \
  X (heif_context_read_from_file) \
  X (heif_context_get_primary_image_handle) \
  X (heif_image_handle_release) \
  X (heif_image_handle_get_width) \
  X (heif_image_handle_get_height) \
  X (heif_image_handle_has_alpha_channel) \
  X (heif_image_handle_get_color_profile_type) \
  X (heif_image_handle_get_raw_color_profile_size) \
  X (heif_image_handle_get_raw_color_profile) \
  X (heif_decoding_options_alloc) \
  X (heif_decoding_options_free) \
  X (heif_decode_image) \
  X (heif_image_release) \
  X (heif_image_get_plane_readonly) \
  X (heif_image_get_width) \
  X (heif_image_get_height)

#define DECLARE_POINTER(name) __typeof__ (name) *name;
static struct {
  HEIF_FUNCTIONS (DECLARE_POINTER)
} heif;
#undef DECLARE_POINTER

/* Opens libheif and initializes it, once; FALSE when it is not there. */
static gboolean
load_libheif (void)
{
  static gsize loaded = 0;
  static gboolean available = FALSE;

  if (g_once_init_enter (&loaded))
    {
      /* Never closed: libheif's plugins stay loaded for the process. */
      GModule *module = g_module_open ("libheif.so.1", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

      available = module != NULL;
#define LOOK_UP(name) \
      available = available && g_module_symbol (module, #name, (gpointer *)&heif.name);
      HEIF_FUNCTIONS (LOOK_UP)
#undef LOOK_UP
      if (available)
        heif.heif_init (NULL);
      else
        g_debug ("libheif could not be opened: %s", g_module_error ());
      g_once_init_leave (&loaded, 1);
    }

  return available;
}

/* From here on, heif_x (...) calls the function found at run time. */
#define heif_init (heif.heif_init)
#define heif_context_alloc (heif.heif_context_alloc)
#define heif_context_free (heif.heif_context_free)
#define heif_context_read_from_file (heif.heif_context_read_from_file)
#define heif_context_get_primary_image_handle (heif.heif_context_get_primary_image_handle)
#define heif_image_handle_release (heif.heif_image_handle_release)
#define heif_image_handle_get_width (heif.heif_image_handle_get_width)
#define heif_image_handle_get_height (heif.heif_image_handle_get_height)
#define heif_image_handle_has_alpha_channel (heif.heif_image_handle_has_alpha_channel)
#define heif_image_handle_get_color_profile_type (heif.heif_image_handle_get_color_profile_type)
#define heif_image_handle_get_raw_color_profile_size (heif.heif_image_handle_get_raw_color_profile_size)
#define heif_image_handle_get_raw_color_profile (heif.heif_image_handle_get_raw_color_profile)
#define heif_decoding_options_alloc (heif.heif_decoding_options_alloc)
#define heif_decoding_options_free (heif.heif_decoding_options_free)
#define heif_decode_image (heif.heif_decode_image)
#define heif_image_release (heif.heif_image_release)
#define heif_image_get_plane_readonly (heif.heif_image_get_plane_readonly)
#define heif_image_get_width (heif.heif_image_get_width)
#define heif_image_get_height (heif.heif_image_get_height)

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
  return load_libheif ();
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

  if (!load_libheif ())
    {
      _cin_media_error_no_decoder (error, name, CIN_IMAGE_FORMAT_HEIF);
      return NULL;
    }
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
