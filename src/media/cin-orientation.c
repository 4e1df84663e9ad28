/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-orientation"

#include "cin-orientation.h"

gboolean
cin_orientation_swaps_axes (guint orientation)
{
  return orientation >= 5 && orientation <= 8;
}

/* GdkPixbufRotation counts degrees anticlockwise, so its CLOCKWISE is a
 * quarter turn to the right. */
GdkPixbuf *
cin_orientation_apply (GdkPixbuf *pixbuf,
                       guint      orientation)
{
  g_autoptr(GdkPixbuf) turned = NULL;
  GdkPixbuf *result;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  switch (orientation)
    {
    case 2: /* mirrored left to right */
      result = gdk_pixbuf_flip (pixbuf, TRUE);
      break;
    case 3:
      result = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_UPSIDEDOWN);
      break;
    case 4: /* mirrored top to bottom */
      result = gdk_pixbuf_flip (pixbuf, FALSE);
      break;
    case 5: /* transposed: a right turn, then mirrored */
      turned = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_CLOCKWISE);
      result = gdk_pixbuf_flip (turned, TRUE);
      break;
    case 6:
      result = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_CLOCKWISE);
      break;
    case 7: /* transversed: a left turn, then mirrored */
      turned = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
      result = gdk_pixbuf_flip (turned, TRUE);
      break;
    case 8:
      result = gdk_pixbuf_rotate_simple (pixbuf, GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE);
      break;
    default:
      return g_object_ref (pixbuf);
    }

  if (result != NULL)
    gdk_pixbuf_copy_options (pixbuf, result);
  return result;
}
