/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"

G_BEGIN_DECLS

/* A page of the change feed read from its text straight into
 * CinApiChanges and CinNotes, without a json-glib tree: what a pull of
 * thousands of notes spends most of its decoding time building. Only the
 * common case is read: strict JSON (cin-json-lexer-private.h), every
 * change a note's, every note valid, no member twice. For anything else
 * it returns NULL and the caller decodes through json-glib, which gives
 * the same page or words the error. */
CinApiChangesPage *_cin_api_changes_read (const char *data,
                                          gsize       size);

/* (cin-api-client.c) */
void               _cin_api_change_free         (CinApiChange  *change);
/* The same page from json-glib's tree, which any page can take. */
CinApiChangesPage *_cin_api_decode_changes_page (JsonObject    *object,
                                                 GError       **error);

G_END_DECLS
