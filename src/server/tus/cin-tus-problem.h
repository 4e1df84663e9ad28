/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Every refusal CinTus answers with, as an application/problem+json body
 * (RFC 9457) whose "type" is urn:cinnabar:problem:<slug>. The codes double
 * as the CIN_TUS_ERROR domain, so code that finds a problem deep down can
 * hand it up as a GError. */

#define CIN_TUS_ERROR (cin_tus_error_quark ())

typedef enum {
  CIN_TUS_ERROR_BAD_REQUEST,           /* 400 */
  CIN_TUS_ERROR_UNAUTHORIZED,          /* 401 */
  CIN_TUS_ERROR_NOT_FOUND,             /* 404 */
  CIN_TUS_ERROR_METHOD_NOT_ALLOWED,    /* 405 */
  CIN_TUS_ERROR_OFFSET_MISMATCH,       /* 409 */
  CIN_TUS_ERROR_UNSUPPORTED_VERSION,   /* 412 */
  CIN_TUS_ERROR_BEYOND_UPLOAD_LENGTH,  /* 413 */
  CIN_TUS_ERROR_TOO_LARGE,             /* 413 */
  CIN_TUS_ERROR_WRONG_CONTENT_TYPE,    /* 415 */
  CIN_TUS_ERROR_NOT_MEDIA,             /* 415 */
  CIN_TUS_ERROR_FORMAT_NOT_ACCEPTED,   /* 415 */
  CIN_TUS_ERROR_TRUNCATED,             /* 422 */
  CIN_TUS_ERROR_DAMAGED,               /* 422 */
  CIN_TUS_ERROR_LOCKED,                /* 423 */
  CIN_TUS_ERROR_CHECKSUM_MISMATCH,     /* 460, as tus's checksum extension */
  CIN_TUS_ERROR_STORAGE,               /* 500 */
} CinTusError;

GQuark  cin_tus_error_quark              (void);

/* Sets @msg's status, the problem+json body and Tus-Resumable. */
void    cin_tus_problem_respond          (SoupServerMessage *msg,
                                          CinTusError        problem,
                                          const char        *detail_format,
                                          ...) G_GNUC_PRINTF (3, 4);
/* The same for an error: CIN_TUS_ERROR as is, CIN_MEDIA_ERROR as
 * truncated or damaged, anything else as a storage problem. */
void    cin_tus_problem_respond_error    (SoupServerMessage *msg,
                                          const GError      *error);

G_END_DECLS
