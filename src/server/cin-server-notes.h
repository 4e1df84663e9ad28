/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-note.h"
#include "cin-server-entity.h"

G_BEGIN_DECLS

extern const CinEntityType cin_server_note_type;

CinNote    *cin_server_note_from_entity  (const CinEntity *entity);
/* Writes @note into @entity as its stored JSON, with the entity's rev and
 * times, and derives what explore and the scheduler read from its state. */
void        cin_server_note_store        (CinRequest      *request,
                                          CinNote         *note,
                                          CinEntity       *entity);
char       *cin_server_account_handle    (CinRequest      *request,
                                          gint64           account_id);

G_END_DECLS
