/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cinnabar"

#include <glib/gi18n.h>
#include <locale.h>

#include "cin-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CinApplication) app = NULL;
  /* `meson devenv` points this at the build tree's compiled catalogues. */
  const char *localedir = g_getenv ("CINNABAR_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : CIN_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cin_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
