/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-finding.h"

G_BEGIN_DECLS

/* The list of rule and advertising-law findings beside the text. Emits
 * "activated" (CinFinding *) when one is chosen and "apply-suggestion"
 * (CinFinding *) when its suggested replacement is taken. */

#define CIN_TYPE_FINDINGS_VIEW (cin_findings_view_get_type ())
G_DECLARE_FINAL_TYPE (CinFindingsView, cin_findings_view, CIN, FINDINGS_VIEW, GtkWidget)

GtkWidget *cin_findings_view_new          (void);
/* @findings: (element-type CinFinding) (transfer none) */
void       cin_findings_view_set_findings (CinFindingsView *self,
                                           GPtrArray       *findings);

G_END_DECLS
