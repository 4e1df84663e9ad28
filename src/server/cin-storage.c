/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage"

#include "cin-storage.h"

G_DEFINE_QUARK (cin-storage-error-quark, cin_storage_error)

void
cin_storage_close (CinStorage *self)
{
  if (self != NULL)
    self->ops->close (self);
}

char *
cin_storage_fold_topic (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normal != NULL ? normal : text, -1);
}

void
cin_account_free (CinAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->handle);
  g_free (account->password_hash);
  g_free (account);
}

CinEntity *
cin_entity_new (const char *kind,
                const char *id,
                gint64      account_id)
{
  CinEntity *entity = g_new0 (CinEntity, 1);

  entity->kind = g_strdup (kind);
  entity->id = g_strdup (id);
  entity->account_id = account_id;
  return entity;
}

void
cin_entity_free (CinEntity *entity)
{
  if (entity == NULL)
    return;
  g_free (entity->kind);
  g_free (entity->id);
  g_free (entity->json);
  g_free (entity->search_text);
  g_free (entity);
}

void
cin_stored_response_free (CinStoredResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->request_hash);
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->etag);
  g_free (response->location);
  g_free (response);
}
