/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cin-application.h"
#include "cin-composer.h"
#include "cin-draft-box.h"
#include "cin-feed-preview.h"

G_BEGIN_DECLS

#define CIN_TYPE_WINDOW (cin_window_get_type ())
G_DECLARE_FINAL_TYPE (CinWindow, cin_window, CIN, WINDOW, AdwApplicationWindow)

CinWindow   *cin_window_new            (CinApplication *application,
                                        gboolean        bench_startup);
CinComposer *cin_window_get_composer   (CinWindow      *self);
CinDraftBox *cin_window_get_draft_box  (CinWindow      *self);
/* NULL until the preview is first shown (win.preview). */
CinFeedPreview *cin_window_get_feed_preview (CinWindow   *self);
/* The draft open in the composer, or NULL. */
CinNote     *cin_window_get_current    (CinWindow      *self);
void         cin_window_open_note      (CinWindow      *self,
                                        CinNote        *note);
/* Opens the draft with @id, loading it from the store unless it was open
 * before; cin_window_get_current() has it once it is loaded. */
void         cin_window_open_draft     (CinWindow      *self,
                                        const char     *id);

G_END_DECLS
