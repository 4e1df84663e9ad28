/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-store.h"

G_BEGIN_DECLS

/* Saves watched notes at most @debounce_ms after their first unsaved edit
 * (not after the last one: a creator who types without pause still has
 * her text on disk within the window), one save in flight per note. */

#define CIN_AUTOSAVE_DEFAULT_DEBOUNCE_MS 300

#define CIN_TYPE_AUTOSAVE (cin_autosave_get_type ())
G_DECLARE_FINAL_TYPE (CinAutosave, cin_autosave, CIN, AUTOSAVE, GObject)

CinAutosave *cin_autosave_new            (CinStore            *store,
                                          guint                debounce_ms);
CinStore    *cin_autosave_get_store      (CinAutosave         *self);
void         cin_autosave_watch          (CinAutosave         *self,
                                          CinNote             *note);
void         cin_autosave_unwatch        (CinAutosave         *self,
                                          CinNote             *note);
/* The edit counter of @note: bumped on every change while watched. */
guint64      cin_autosave_get_generation (CinAutosave         *self,
                                          CinNote             *note);
gboolean     cin_autosave_get_pending    (CinAutosave         *self);
/* The last save error, or NULL once a later save succeeded. */
const GError *cin_autosave_get_error     (CinAutosave         *self);

/* Saves everything pending now and completes when it is on disk. */
void         cin_autosave_flush_async    (CinAutosave         *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     cin_autosave_flush_finish   (CinAutosave         *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Signals:
 *   "saved"  (CinNote *note, guint64 generation): every edit up to
 *            @generation is durable.
 *   "failed" (CinNote *note, GError *error): the edit is still in memory
 *            and is tried again on the next change or flush.
 * Properties: "pending" (boolean), "error" (boxed GError, nullable). */

G_END_DECLS
