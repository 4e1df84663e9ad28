/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-routes"

#include <string.h>

#include "cin-server-private.h"

/* Every route the server answers. docs/api/openapi.yaml documents exactly
 * these (tests/server/test-openapi.py compares `--list-routes` with it). */
static const CinRoute routes[] = {
  { "POST",   "/v1/accounts",  CIN_ROUTE_JSON_BODY, _cin_route_accounts_create },
  { "POST",   "/v1/session",   CIN_ROUTE_JSON_BODY, _cin_route_session_create },
  { "GET",    "/v1/session",   CIN_ROUTE_AUTH,      _cin_route_session_get },
  { "DELETE", "/v1/session",   CIN_ROUTE_AUTH,      _cin_route_session_delete },

  { "GET",    "/v1/notes",      CIN_ROUTE_AUTH,       _cin_route_notes_list },
  { "PUT",    "/v1/notes/{id}", CIN_ROUTE_AUTH | CIN_ROUTE_JSON_BODY | CIN_ROUTE_MUTATION,
                                                      _cin_route_note_put },
  { "GET",    "/v1/notes/{id}", CIN_ROUTE_MAYBE_AUTH, _cin_route_note_get },
  { "DELETE", "/v1/notes/{id}", CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_note_delete },
  { "POST",   "/v1/notes/{id}/publish",   CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_note_publish },
  { "POST",   "/v1/notes/{id}/schedule",  CIN_ROUTE_AUTH | CIN_ROUTE_JSON_BODY | CIN_ROUTE_MUTATION,
                                                      _cin_route_note_schedule },
  { "POST",   "/v1/notes/{id}/unpublish", CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_note_unpublish },
  { "GET",    "/v1/notes/{id}/metrics",   CIN_ROUTE_AUTH, _cin_route_note_metrics },
  { "GET",    "/v1/account/metrics",      CIN_ROUTE_AUTH, _cin_route_account_metrics },

#define ENTITY_ROUTES(collection, name) \
  { "GET",    collection,         CIN_ROUTE_AUTH,       _cin_route_##name##_list }, \
  { "PUT",    collection "/{id}", CIN_ROUTE_AUTH | CIN_ROUTE_JSON_BODY | CIN_ROUTE_MUTATION, \
                                                        _cin_route_##name##_put }, \
  { "GET",    collection "/{id}", CIN_ROUTE_MAYBE_AUTH, _cin_route_##name##_get }, \
  { "DELETE", collection "/{id}", CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_##name##_delete }
  ENTITY_ROUTES ("/v1/boards", board),
  ENTITY_ROUTES ("/v1/bookmarks", bookmark),
  ENTITY_ROUTES ("/v1/products", product),
#undef ENTITY_ROUTES

  { "GET",    "/v1/changes",    CIN_ROUTE_AUTH,       _cin_route_changes_list },

  { "GET",    "/v1/explore",    CIN_ROUTE_ANONYMOUS,  _cin_route_explore },
  { "GET",    "/v1/search",     CIN_ROUTE_ANONYMOUS,  _cin_route_search },
  { "GET",    "/v1/topics",     CIN_ROUTE_ANONYMOUS,  _cin_route_topics },

  { "GET",    "/v1/following",  CIN_ROUTE_AUTH,       _cin_route_following_list },
  { "PUT",    "/v1/following/{handle}", CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_follow_put },
  { "DELETE", "/v1/following/{handle}", CIN_ROUTE_AUTH | CIN_ROUTE_MUTATION, _cin_route_follow_delete },
};

const CinRoute *
_cin_server_get_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

/* Matches "/v1/notes/abc" against "/v1/notes/{id}": literal segments
 * must be equal, a {name} segment takes any non-empty one. Walks both
 * strings in place: routing runs on every request. */
static gboolean
path_matches (const char *template,
              const char *path,
              CinRequest *request)
{
  const char *t = template;
  const char *p = path;
  guint n_params = 0;

  while (*t != '\0' && *p != '\0')
    {
      if (*t == '{')
        {
          const char *end = strchr (p, '/');
          gsize len = end != NULL ? (gsize)(end - p) : strlen (p);

          if (len == 0)
            return FALSE;
          if (request != NULL)
            {
              g_assert (n_params < CIN_REQUEST_MAX_PARAMS);
              request->params[n_params] = g_strndup (p, len);
            }
          n_params++;
          t = strchr (t, '}') + 1;
          p += len;
        }
      else if (*t++ != *p++)
        return FALSE;
    }

  if (*t != '\0' || *p != '\0')
    {
      if (request != NULL)
        for (guint i = 0; i < n_params; i++)
          g_clear_pointer (&request->params[i], g_free);
      return FALSE;
    }
  if (request != NULL)
    request->n_params = n_params;
  return TRUE;
}

const CinRoute *
_cin_server_match_route (const char *method,
                         const char *path,
                         CinRequest *request,
                         gboolean   *path_matched)
{
  *path_matched = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!path_matches (routes[i].path, path, NULL))
        continue;
      *path_matched = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        {
          path_matches (routes[i].path, path, request);
          return &routes[i];
        }
    }

  return NULL;
}

/* What the tus handler (src/server/tus, mounted at /v1/uploads) answers;
 * it routes these itself. */
static const char * const upload_routes[] = {
  "OPTIONS " CIN_SERVER_UPLOADS_PATH,
  "POST " CIN_SERVER_UPLOADS_PATH,
  "HEAD " CIN_SERVER_UPLOADS_PATH "/{id}",
  "PATCH " CIN_SERVER_UPLOADS_PATH "/{id}",
  "DELETE " CIN_SERVER_UPLOADS_PATH "/{id}",
  "GET " CIN_SERVER_UPLOADS_PATH "/{id}",
};

char *
cin_server_dup_route_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    g_string_append_printf (list, "%s %s\n", routes[i].method, routes[i].path);
  for (guint i = 0; i < G_N_ELEMENTS (upload_routes); i++)
    g_string_append_printf (list, "%s\n", upload_routes[i]);
  return g_string_free (list, FALSE);
}
