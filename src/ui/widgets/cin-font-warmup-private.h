/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

#include "cin-font-warmup.h"

G_BEGIN_DECLS

char **_cin_font_warmup_list_files (PangoLayout *layout);

G_END_DECLS
