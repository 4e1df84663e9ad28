/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-finding.h"
#include "cin-note.h"
#include "cin-server-entity.h"

G_BEGIN_DECLS

extern const CinEntityType cin_server_note_type;

/* The member of a note a finding is about, as problem details name it. */
const char *cin_server_note_field_name   (CinField         field);
CinNote    *cin_server_note_from_entity  (const CinEntity *entity);
/* Writes @note into @entity as its stored JSON, with the entity's rev and
 * times, and derives what explore and the scheduler read from its state. */
void        cin_server_note_store        (CinServer       *server,
                                          CinNote         *note,
                                          CinEntity       *entity);
char       *cin_server_account_handle    (CinServer       *server,
                                          gint64           account_id);
/* Publishes the scheduled notes whose time has come (the housekeeping
 * tick calls it). */
void        cin_server_publish_due_notes (CinServer       *server,
                                          gint64           now);

G_END_DECLS
