/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-media-library.h"

G_BEGIN_DECLS

/* Test photos are made here, at test time: a portrait picture with a red
 * block in its top-left corner and a green one in its top-right, which
 * tells every turn and mirror apart by its pixels. */

typedef struct {
  guint8 r, g, b, a;
} MediaTestColour;

extern const MediaTestColour media_test_red;
extern const MediaTestColour media_test_green;
extern const MediaTestColour media_test_grey;

/* A scratch folder, removed with everything in it by the cleanup. */
char       *media_test_make_dir          (const char       *name);
void        media_test_remove_tree       (const char       *path);
/* Every entry in @dir, hidden ones too; 0 when it does not exist. */
guint       media_test_count_entries     (const char       *dir);
char       *media_test_write             (const char       *dir,
                                          const char       *name,
                                          GBytes           *bytes);

/* The picture as it should be displayed; @with_alpha makes its
 * bottom-left block fully transparent. */
GdkPixbuf  *media_test_marked_pixbuf     (guint             width,
                                          guint             height,
                                          gboolean          with_alpha);
/* How a camera holding @display at Exif @orientation stores its pixels. */
GdkPixbuf  *media_test_stored_for        (GdkPixbuf        *display,
                                          guint             orientation);

GBytes     *media_test_encode            (GdkPixbuf        *pixbuf,
                                          const char       *type);
/* @jpeg with an APP1 Exif segment holding @orientation (and a GPS
 * position when @with_gps), in big- or little-endian TIFF. */
GBytes     *media_test_add_exif          (GBytes           *jpeg,
                                          guint             orientation,
                                          gboolean          big_endian,
                                          gboolean          with_gps);
/* A PNG whose header claims @width × @height over one tiny IDAT. */
GBytes     *media_test_png_header        (guint32           width,
                                          guint32           height);
/* A photo shaped like a phone's: a 12-bit-ish gradient with noise. */
GBytes     *media_test_photo_jpeg        (guint             width,
                                          guint             height,
                                          guint             seed);
/* Encoded with libjpeg itself, which GdkPixbuf cannot do: progressive
 * (as many web images are) and/or grayscale. */
GBytes     *media_test_libjpeg           (GdkPixbuf        *pixbuf,
                                          gboolean          progressive,
                                          gboolean          grayscale);
/* NULL (after saying why) when GdkPixbuf cannot save WebP. */
GBytes     *media_test_webp              (GdkPixbuf        *pixbuf);
/* NULL (after saying why) when libheif has no HEVC encoder. @orientation
 * is stored as HEIF transformations. */
GBytes     *media_test_heic              (GdkPixbuf        *pixbuf,
                                          guint             orientation);
GBytes     *media_test_truncate          (GBytes           *bytes,
                                          gsize             len);

/* Thumbnails are cached in the background: waits (running the main
 * context) until @path is there, failing after a few seconds. */
void        media_test_wait_for_file     (const char       *path);

/* Drops @library and waits until its last job has come back (each holds
 * a reference), so no worker writes into a folder the test removes. */
void        media_test_dispose_library   (CinMediaLibrary **library);

/* Run the async call to its end on the thread-default context. */
CinImportedPhoto *media_test_import      (CinMediaLibrary  *library,
                                          const char       *path,
                                          GError          **error);
GdkTexture *media_test_thumbnail         (CinMediaLibrary  *library,
                                          const char       *sha256,
                                          const char       *mime,
                                          guint             size,
                                          GError          **error);

/* Straight (not premultiplied) RGBA at @x, @y. */
MediaTestColour media_test_texture_pixel (GdkTexture       *texture,
                                          guint             x,
                                          guint             y);
MediaTestColour media_test_pixbuf_pixel  (GdkPixbuf        *pixbuf,
                                          guint             x,
                                          guint             y);
/* Asserts the picture made by media_test_marked_pixbuf() is upright in
 * @texture, by its pixels: red top-left, green top-right, grey below. */
void        media_test_assert_upright    (GdkTexture       *texture);
void        media_test_assert_colour     (MediaTestColour   colour,
                                          MediaTestColour   expected,
                                          const char       *where);
/* Asserts a media error with a readable message. */
void        media_test_assert_error      (GError           *error,
                                          CinMediaError     code);

/* A test's folder: the "user's" photos in sources/, a media library on
 * media/ and thumbnails/ that makes thumbnails of @import_thumbnail_size
 * on import (0: none). */
typedef struct {
  char            *root;
  char            *sources;
  char            *media_dir;
  char            *thumbnail_dir;
  CinMediaLibrary *library;
} MediaTestHome;

void              media_test_home_set_up    (MediaTestHome  *home,
                                             const char     *name,
                                             guint           import_thumbnail_size);
void              media_test_home_tear_down (MediaTestHome  *home);
/* Writes @bytes as sources/@name and imports it. */
CinImportedPhoto *media_test_home_import    (MediaTestHome  *home,
                                             const char     *name,
                                             GBytes         *bytes,
                                             GError        **error);

G_END_DECLS
