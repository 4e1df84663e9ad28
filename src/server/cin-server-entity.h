/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-server-private.h"

G_BEGIN_DECLS

/* What notes, boards, products and bookmarks share: a client-made UUID in
 * the path, PUT to create (If-None-Match: *) or update (If-Match: "rev"),
 * GET with an ETag, DELETE leaving a tombstone, and an owner that nobody
 * else may read (unless the entity is listed) or change. */

typedef struct _CinEntityType CinEntityType;

struct _CinEntityType {
  const char *kind;        /* as stored: "note" */
  const char *collection;  /* the path before the id: "/v1/notes/" */
  /* Checks the request body and fills @entity's json (and, for notes,
   * what explore reads) for the new revision. @entity->rev, created_at
   * and updated_at are already set; @existing is the live entity being
   * replaced, or NULL. Returns FALSE after answering a problem. */
  gboolean  (*prepare)     (CinRequest       *request,
                            const CinEntity  *existing,
                            CinEntity        *entity);
};

void        cin_entity_route_put      (CinRequest          *request,
                                       const CinEntityType *type);
void        cin_entity_route_get      (CinRequest          *request,
                                       const CinEntityType *type);
void        cin_entity_route_delete   (CinRequest          *request,
                                       const CinEntityType *type);
/* GET /v1/boards and the like: the caller's live entities of a kind. */
void        cin_entity_route_list     (CinRequest          *request,
                                       const CinEntityType *type);

/* The entity named by the path, when the caller may change it; otherwise
 * NULL after answering 400, 403, 404, 412 or 428 as the HTTP rules and
 * the owner say. For routes that act on an entity (publish …). */
CinEntity  *cin_entity_load_for_change (CinRequest         *request,
                                       const CinEntityType *type);
/* Stores @entity as its next revision and answers 200 with it. */
void        cin_entity_save_and_respond (CinRequest        *request,
                                       CinEntity           *entity,
                                       guint                status);

/* "\"REV\"" */
char       *cin_entity_etag           (const CinEntity     *entity);
/* The stored JSON as a node. */
JsonNode   *cin_entity_to_json        (const CinEntity     *entity);
/* Appends the stored JSON as it is ("null" for a tombstone). It needs no
 * parse: the server wrote it with json-glib's generator, compact, so the
 * text is what generating the parsed node again would give. Pages are
 * written this way, by hand around the stored text. */
void        cin_entity_append_json    (GString             *out,
                                       const CinEntity     *entity);
/* RFC 3339 UTC with microseconds, as the note codec writes times. */
char       *cin_format_time           (gint64               unix_usec);
gboolean    cin_parse_time            (const char          *text,
                                       gint64              *unix_usec);

G_END_DECLS
