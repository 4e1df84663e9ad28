/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A file written under a temporary name beside where it belongs, then
 * synced and renamed into place: a crash leaves either the whole file or
 * none under its real name. Discarded (closed and removed) unless
 * committed. Functions that fail leave errno set. */

typedef struct {
  int   fd;
  char *path;
} CinTempFile;

#define CIN_TEMP_FILE_INIT { -1, NULL }

/* In @dir (made if missing), named @prefix followed by six random
 * characters. */
gboolean cin_temp_file_open    (CinTempFile  *self,
                                const char   *dir,
                                const char   *prefix);
gboolean cin_temp_file_write   (CinTempFile  *self,
                                const guint8 *data,
                                gsize         len);
/* fsync, close, rename to @path, fsync the folder. */
gboolean cin_temp_file_commit  (CinTempFile  *self,
                                const char   *path);
void     cin_temp_file_discard (CinTempFile  *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CinTempFile, cin_temp_file_discard)

G_END_DECLS
