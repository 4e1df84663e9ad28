/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-changes-reader-private.h"

G_BEGIN_DECLS

/* The page @data holds, decoded through json-glib as every answer can
 * be: what the fast reader's page must equal. NULL when json-glib's
 * decoding refuses it. */
CinApiChangesPage *changes_decode_slowly (const char        *data,
                                          gsize              size);
/* Whether two pages hold the same changes, notes compared by their JSON. */
gboolean           changes_pages_equal   (CinApiChangesPage *a,
                                          CinApiChangesPage *b);

G_END_DECLS
