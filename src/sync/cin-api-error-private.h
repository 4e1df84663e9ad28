/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "cin-api-error.h"

G_BEGIN_DECLS

/* A transport error (from libsoup or GIO) as a CIN_API_ERROR; a
 * cancellation stays G_IO_ERROR_CANCELLED. */
GError *_cin_api_error_from_transport (const GError  *error);

/* An HTTP error answer as a CIN_API_ERROR, filling @failure from the
 * status, Retry-After and the problem+json body when there is one. */
GError *_cin_api_error_from_response  (SoupMessage   *msg,
                                       GBytes        *body,
                                       CinApiFailure *failure);

/* Whether @msg's answer is JSON (application/json or, with
 * @problem, application/problem+json). */
gboolean _cin_api_response_is_json    (SoupMessage   *msg,
                                       gboolean       problem);

/* The body as JSON, or a CIN_API_ERROR_INVALID_RESPONSE. */
JsonNode *_cin_api_parse_json         (GBytes        *body,
                                       GError       **error);

GError *_cin_api_error_invalid_response (const char  *why);

G_END_DECLS
