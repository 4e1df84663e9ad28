/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-window.h"

G_BEGIN_DECLS

/* For tests: what the window tells a creator about saving. The banner's
 * text while it is shown, else NULL; and the composer's subtitle
 * ("Saved", "Saving…", "Not saved"). */
const char *_cin_window_get_save_error   (CinWindow *self);
const char *_cin_window_get_save_status  (CinWindow *self);

G_END_DECLS
