/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CinAdCheck  CinAdCheck;
typedef struct _CinAutosave CinAutosave;
typedef struct _CinFinding  CinFinding;
typedef struct _CinNote     CinNote;
typedef struct _CinProfile  CinProfile;
typedef struct _CinProfiles CinProfiles;
typedef struct _CinRules    CinRules;
typedef struct _CinStore    CinStore;

G_END_DECLS
