/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cinnabar"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "cin-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CinApplication) app = NULL;
  /* `meson devenv` points this at the build tree's compiled catalogues. */
  const char *localedir = g_getenv ("CINNABAR_LOCALEDIR");

#ifdef HAVE_MALLOC_TRIM
  /* glibc (the allocator with malloc_trim) raises its mmap threshold to
   * the largest block freed, up to 32 MiB: once a window-sized paint
   * buffer (3 to 4 MiB with the cairo renderer) has been freed, every
   * later one comes from the heap and stays resident after its frame,
   * some 10 MB held for nothing. A fixed threshold, which also stops the
   * dynamic one, sends blocks of 1 MiB and more to mmap and back. */
  mallopt (M_MMAP_THRESHOLD, 1024 * 1024);
#endif

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : CIN_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cin_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
