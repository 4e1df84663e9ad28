/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where Cinnabar reads its shipped data (rules, word lists): the
 * $CINNABAR_DATADIR override, else the installed data dir, else the source
 * tree's data/ when run from a build dir. */
const char *cin_paths_get_data_dir      (void);
char       *cin_paths_build_data_file   (const char *first_element,
                                         ...) G_GNUC_NULL_TERMINATED;
/* $XDG_CONFIG_HOME/cinnabar */
char       *cin_paths_get_config_dir    (void);
/* $XDG_DATA_HOME/cinnabar/profiles/<name>: one folder per account. */
char       *cin_paths_get_profile_dir   (const char *profile);
/* The draft database of a profile. */
char       *cin_paths_get_store_path    (const char *profile);

G_END_DECLS
