/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-finding.h"
#include "cin-types.h"

G_BEGIN_DECLS

/* The advertising-law check: absolute claims (最, 第一, 100% …), external
 * links and QR-code hints. The word list is data (data/adlaw/words.txt);
 * a creator extends it with $XDG_CONFIG_HOME/cinnabar/ad-words.txt. */

#define CIN_AD_CHECK_ERROR (cin_ad_check_error_quark ())

typedef enum {
  CIN_AD_CHECK_ERROR_INVALID,
} CinAdCheckError;

#define CIN_TYPE_AD_CHECK (cin_ad_check_get_type ())

GType        cin_ad_check_get_type      (void) G_GNUC_CONST;
GQuark       cin_ad_check_error_quark   (void);

CinAdCheck  *cin_ad_check_new           (void);
/* The shipped list plus the creator's own, when there is one. */
CinAdCheck  *cin_ad_check_load_default  (GError      **error);
gboolean     cin_ad_check_add_from_file (CinAdCheck   *self,
                                         const char   *path,
                                         GError      **error);
gboolean     cin_ad_check_add_from_data (CinAdCheck   *self,
                                         const char   *data,
                                         gssize        len,
                                         const char   *origin,
                                         GError      **error);
guint        cin_ad_check_get_n_words   (CinAdCheck   *self);
CinAdCheck  *cin_ad_check_ref           (CinAdCheck   *self);
void         cin_ad_check_unref         (CinAdCheck   *self);

/* Appends a CinFinding for every match in @text to @findings. */
void         cin_ad_check_scan          (CinAdCheck   *self,
                                         CinField      field,
                                         const char   *text,
                                         GPtrArray    *findings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinAdCheck, cin_ad_check_unref)

G_END_DECLS
