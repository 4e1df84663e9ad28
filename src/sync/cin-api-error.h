/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cin-note.h"

G_BEGIN_DECLS

/* Why a call to the Cinnabar API failed. The GError's message is the
 * server's own reason (the problem's `detail`) when it sent one, else a
 * translated sentence that says what happens next. */

#define CIN_API_ERROR (cin_api_error_quark ())

typedef enum {
  CIN_API_ERROR_NETWORK,             /* no connection, refused, reset */
  CIN_API_ERROR_TIMEOUT,             /* the server did not answer in time */
  CIN_API_ERROR_UNAUTHORIZED,        /* 401: sign in again */
  CIN_API_ERROR_NOT_FOUND,           /* 404 */
  CIN_API_ERROR_CONFLICT,            /* 409 */
  CIN_API_ERROR_PRECONDITION_FAILED, /* 412: the failure holds the current entity */
  CIN_API_ERROR_GONE,                /* 410: the cursor expired, resync */
  CIN_API_ERROR_TOO_MANY_REQUESTS,   /* 429: the failure holds Retry-After */
  CIN_API_ERROR_SERVER,              /* 5xx */
  CIN_API_ERROR_INVALID_RESPONSE,    /* not HTTP, not JSON, not the contract */
  CIN_API_ERROR_PROBLEM,             /* any other 4xx */
} CinApiError;

GQuark cin_api_error_quark (void);

/* What the sync engine needs beyond the GError to decide between backing
 * off, parking the operation and merging. */
typedef struct {
  guint     status;        /* the HTTP status, 0 when none arrived */
  gint64    retry_after;   /* seconds from Retry-After, -1 when absent */
  char     *type;          /* (nullable) the problem's type URN */
  char     *detail;        /* (nullable) the problem's detail */
  char     *field;         /* (nullable) the member or header at fault */
  JsonNode *current;       /* (nullable) 412: the entity as the server has it */
  CinNote  *current_note;  /* (nullable) 412 on a note: `current` decoded */
} CinApiFailure;

#define CIN_TYPE_API_FAILURE (cin_api_failure_get_type ())

GType          cin_api_failure_get_type  (void) G_GNUC_CONST;
CinApiFailure *cin_api_failure_new       (void);
CinApiFailure *cin_api_failure_copy      (const CinApiFailure *failure);
void           cin_api_failure_free      (CinApiFailure       *failure);

/* Whether the engine should try again later (network, timeout, 408, 429,
 * 5xx) rather than park the operation and show the reason. */
gboolean       cin_api_error_is_transient (const GError       *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiFailure, cin_api_failure_free)

G_END_DECLS
