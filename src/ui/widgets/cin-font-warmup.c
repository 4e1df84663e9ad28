/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-font-warmup"

#include "cin-font-warmup-private.h"

#include <fcntl.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <string.h>
#include <unistd.h>

/* What the worker needs of the widget's Pango context: plain copies, as
 * the context and its font map belong to the main thread. */
typedef struct {
  PangoFontDescription *font;
  PangoLanguage        *language;   /* static: Pango never frees languages */
  cairo_font_options_t *options;    /* (nullable) */
  double                resolution;
  char                 *sample;
} Warmup;

static void
warmup_free (Warmup *warmup)
{
  pango_font_description_free (warmup->font);
  g_clear_pointer (&warmup->options, cairo_font_options_destroy);
  g_free (warmup->sample);
  g_free (warmup);
}

/* Asks the kernel to read the whole file into the page cache, in the
 * background: no later character's glyph waits on the disk. */
static void
read_ahead (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return;
  posix_fadvise (fd, 0, 0, POSIX_FADV_WILLNEED);
  close (fd);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The files of the fonts @layout is drawn with, sorted. */
char **
_cin_font_warmup_list_files (PangoLayout *layout)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      FcChar8 *file = NULL;

      if (run == NULL || !PANGO_IS_FC_FONT (run->item->analysis.font))
        continue;
      if (FcPatternGetString (pango_fc_font_get_pattern (PANGO_FC_FONT (run->item->analysis.font)),
                              FC_FILE, 0, &file) != FcResultMatch)
        continue;
      if (!g_ptr_array_find_with_equal_func (files, file, g_str_equal, NULL))
        g_ptr_array_add (files, g_strdup ((const char *) file));
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);

  g_ptr_array_sort (files, compare_paths);
  g_ptr_array_add (files, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&files), FALSE);
}

static void
warmup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Warmup *warmup = task_data;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(PangoFontMap) font_map = pango_cairo_font_map_new ();
  PangoContext *context = pango_font_map_create_context (font_map);
  g_autoptr(PangoLayout) layout = NULL;
  g_auto(GStrv) files = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  pango_context_set_font_description (context, warmup->font);
  pango_context_set_language (context, warmup->language);
  pango_cairo_context_set_font_options (context, warmup->options);
  pango_cairo_context_set_resolution (context, warmup->resolution);

  layout = pango_layout_new (context);
  pango_layout_set_text (layout, warmup->sample, -1);
  files = _cin_font_warmup_list_files (layout);
  for (guint i = 0; files[i] != NULL; i++)
    read_ahead (files[i]);

  /* Drawing makes FreeType open each font and load its outlines or
   * bitmaps; cairo keeps one FreeType face per font file for the whole
   * process, so the main thread's fonts find them open. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (context);

  g_debug ("Fonts for “%s” loaded in %.1f ms", warmup->sample,
           (g_get_monotonic_time () - start) / 1000.0);
  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_strfreev);
}

void
cin_font_warmup_async (GtkWidget           *widget,
                       const char          *sample,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  PangoContext *context;
  const cairo_font_options_t *options;
  g_autoptr(GTask) task = NULL;
  Warmup *warmup;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (sample != NULL);

  context = gtk_widget_get_pango_context (widget);
  options = pango_cairo_context_get_font_options (context);
  warmup = g_new0 (Warmup, 1);
  warmup->font = pango_font_description_copy (pango_context_get_font_description (context));
  warmup->language = pango_context_get_language (context);
  warmup->options = options != NULL ? cairo_font_options_copy (options) : NULL;
  warmup->resolution = pango_cairo_context_get_resolution (context);
  warmup->sample = g_strdup (sample);

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, cin_font_warmup_async);
  g_task_set_name (task, "[cinnabar] font warm-up");
  g_task_set_task_data (task, warmup, (GDestroyNotify) warmup_free);
  g_task_run_in_thread (task, warmup_thread);
}

char **
cin_font_warmup_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_font_warmup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
