/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-paths"

#include <stdarg.h>
#include <string.h>

#include "cin-paths.h"

static gboolean
has_rules (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "rules", "rules.json", NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

const char *
cin_paths_get_data_dir (void)
{
  static char *data_dir;

  if (g_once_init_enter (&data_dir))
    {
      const char *env = g_getenv ("CINNABAR_DATADIR");
      const char *dir;

      if (env != NULL && *env != '\0')
        dir = env;
      else if (has_rules (CIN_PKGDATADIR))
        dir = CIN_PKGDATADIR;
      else
        dir = CIN_SOURCE_DATADIR;

      g_once_init_leave (&data_dir, g_strdup (dir));
    }

  return data_dir;
}

char *
cin_paths_build_data_file (const char *first_element,
                           ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (gpointer)cin_paths_get_data_dir ());
  va_start (args, first_element);
  for (const char *e = first_element; e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer)e);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **)parts->pdata);
}

char *
cin_paths_get_config_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "cinnabar", NULL);
}

char *
cin_paths_get_profile_dir (const char *profile)
{
  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);
  g_return_val_if_fail (strchr (profile, G_DIR_SEPARATOR) == NULL, NULL);

  return g_build_filename (g_get_user_data_dir (), "cinnabar", "profiles", profile, NULL);
}

char *
cin_paths_get_store_path (const char *profile)
{
  g_autofree char *dir = cin_paths_get_profile_dir (profile);

  return g_build_filename (dir, "drafts.db", NULL);
}
