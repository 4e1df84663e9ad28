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
/* The note is taken to be on disk as it is when watching starts. */
void         cin_autosave_watch          (CinAutosave         *self,
                                          CinNote             *note);
/* Edits not yet saved are saved at once; the autosave holds on to the note
 * until they are on disk (retrying like any failed save) and still emits
 * "saved" or "failed" for it. */
void         cin_autosave_unwatch        (CinAutosave         *self,
                                          CinNote             *note);
/* The edit counter of @note: bumped on every change while watched. */
guint64      cin_autosave_get_generation (CinAutosave         *self,
                                          CinNote             *note);
gboolean     cin_autosave_get_pending    (CinAutosave         *self);
/* The last save error, or NULL once every note whose save failed has been
 * saved since. */
const GError *cin_autosave_get_error     (CinAutosave         *self);

/* Saves everything pending now and completes when it is on disk, or with
 * the first error. Flush before dropping the last reference: edits not yet
 * handed to the store are lost with the autosave. */
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
 *            and is tried again on the next change, on flush, and after a
 *            backoff (2 s, 4 s, … 30 s) unless the text itself is invalid.
 * Properties: "pending" (boolean), "error" (boxed GError, nullable). */

G_END_DECLS
