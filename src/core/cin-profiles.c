/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-profiles"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cin-profiles.h"

/* A profile folder is made under a hidden name and renamed into place,
 * and removed by renaming it to a hidden name first, so the set only ever
 * sees whole profiles; whatever such a hidden folder still holds after a
 * crash is swept on the next open. */
#define CREATING_PREFIX  ".creating-"
#define REMOVING_PREFIX  ".removing-"
#define ACTIVE_FILE      "active-profile"
/* In characters: CJK takes 3 bytes of the 255 a file name may have. */
#define MAX_HANDLE_CHARS 40
#define MAX_HOST_CHARS   60

struct _CinProfiles
{
  GObject     parent_instance;

  /* Owned */
  char       *data_dir;
  char       *profiles_dir;

  GMutex      lock;
  /* The fields below are guarded by lock */
  GPtrArray  *profiles;      /* CinProfile, the local one first */
  GPtrArray  *errors;        /* GError */
  char       *active_id;
};

G_DEFINE_FINAL_TYPE (CinProfiles, cin_profiles, G_TYPE_OBJECT)

static void
cin_profiles_finalize (GObject *object)
{
  CinProfiles *self = CIN_PROFILES (object);

  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->profiles_dir, g_free);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->active_id, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cin_profiles_parent_class)->finalize (object);
}

static void
cin_profiles_class_init (CinProfilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cin_profiles_finalize;
}

static void
cin_profiles_init (CinProfiles *self)
{
  g_mutex_init (&self->lock);
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);
}

static void
rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      if (g_rmdir (path) != 0)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    g_debug ("Could not remove %s: %s", path, g_strerror (errno));
}

static void
set_io_error (GError     **error,
              const char  *path,
              int          saved_errno)
{
  g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
               _("The profile folder “%s” could not be changed (%s). Check that there is free space and the folder can be written."),
               path, g_strerror (saved_errno));
}

static int
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  CinProfile *pa = *(CinProfile **)a;
  CinProfile *pb = *(CinProfile **)b;
  int order;

  /* The local profile stays first. */
  if (cin_profile_get_kind (pa) != cin_profile_get_kind (pb))
    return cin_profile_get_kind (pa) == CIN_PROFILE_KIND_LOCAL ? -1 : 1;
  order = g_utf8_collate (cin_profile_get_display_name (pa), cin_profile_get_display_name (pb));
  return order != 0 ? order : strcmp (cin_profile_get_id (pa), cin_profile_get_id (pb));
}

static CinProfile *
find_locked (CinProfiles *self,
             const char  *id)
{
  for (guint i = 0; i < self->profiles->len; i++)
    {
      CinProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (cin_profile_get_id (profile), id) == 0)
        return profile;
    }
  return NULL;
}

static CinProfile *
find_account_locked (CinProfiles *self,
                     const char  *server,
                     const char  *handle)
{
  for (guint i = 0; i < self->profiles->len; i++)
    {
      CinProfile *profile = g_ptr_array_index (self->profiles, i);

      if (cin_profile_get_kind (profile) == CIN_PROFILE_KIND_ACCOUNT &&
          strcmp (cin_profile_get_server (profile), server) == 0 &&
          strcmp (cin_profile_get_handle (profile), handle) == 0)
        return profile;
    }
  return NULL;
}

/* Before profiles, Cinnabar kept its one store and its media in
 * profiles/local already (cin_paths_get_store_path ("local"),
 * cin_media_library_new_for_profile ("local")), so the local profile
 * adopts that folder where it is: nothing is moved or copied, the folder
 * only gains its profile.json. */
static CinProfile *
open_local (CinProfiles  *self,
            GError      **error)
{
  g_autofree char *dir = g_build_filename (self->profiles_dir, CIN_PROFILE_LOCAL_ID, NULL);
  g_autoptr(CinProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_io_error (error, dir, errno);
      return NULL;
    }

  profile = cin_profile_load (dir, &local_error);
  if (profile != NULL && cin_profile_get_kind (profile) == CIN_PROFILE_KIND_LOCAL)
    return g_steal_pointer (&profile);

  if (g_error_matches (local_error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND))
    {
      profile = cin_profile_new_local (dir);
      if (!cin_profile_save (profile, dir, error))
        return NULL;
      return g_steal_pointer (&profile);
    }

  /* A damaged profile.json is kept for the user to look at; the local
   * profile still opens, its drafts being where they always are. */
  if (local_error == NULL)
    set_io_error (&local_error, dir, EINVAL);
  g_message ("%s", local_error->message);
  g_ptr_array_add (self->errors, g_steal_pointer (&local_error));
  return cin_profile_new_local (dir);
}

CinProfiles *
cin_profiles_open_sync (const char  *data_dir,
                        GError     **error)
{
  g_autoptr(CinProfiles) self = g_object_new (CIN_TYPE_PROFILES, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *active_path = NULL;
  g_autofree char *active = NULL;
  CinProfile *local;
  const char *name;

  if (data_dir != NULL)
    self->data_dir = g_canonicalize_filename (data_dir, NULL);
  else
    /* The dir cin_paths_get_profile_dir() builds on. */
    self->data_dir = g_build_filename (g_get_user_data_dir (), "cinnabar", NULL);
  self->profiles_dir = g_build_filename (self->data_dir, "profiles", NULL);

  if (g_mkdir_with_parents (self->profiles_dir, 0700) != 0)
    {
      set_io_error (error, self->profiles_dir, errno);
      return NULL;
    }

  local = open_local (self, error);
  if (local == NULL)
    return NULL;
  g_ptr_array_add (self->profiles, local);

  dir = g_dir_open (self->profiles_dir, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                   _("The profiles in “%s” can’t be read (%s). Check that the folder can be read."),
                   self->profiles_dir, local_error->message);
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->profiles_dir, name, NULL);
      g_autoptr(CinProfile) profile = NULL;
      g_autoptr(GError) profile_error = NULL;

      if (g_str_has_prefix (name, CREATING_PREFIX) || g_str_has_prefix (name, REMOVING_PREFIX))
        {
          rm_rf (path);
          continue;
        }
      if (*name == '.' || strcmp (name, CIN_PROFILE_LOCAL_ID) == 0 ||
          !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;

      profile = cin_profile_load (path, &profile_error);
      if (profile != NULL && cin_profile_get_kind (profile) != CIN_PROFILE_KIND_ACCOUNT)
        {
          g_clear_object (&profile);
          g_set_error (&profile_error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT,
                       _("The folder “%s” says it is the local profile, but only “%s” is. Remove or rename the folder."),
                       path, CIN_PROFILE_LOCAL_ID);
        }
      else if (profile != NULL &&
               find_account_locked (self, cin_profile_get_server (profile), cin_profile_get_handle (profile)) != NULL)
        {
          g_clear_object (&profile);
          g_set_error (&profile_error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT,
                       _("The folder “%s” is a second profile for an account that has one. Move what you need out of it, then remove it."),
                       path);
        }

      if (profile == NULL)
        {
          g_message ("%s", profile_error->message);
          g_ptr_array_add (self->errors, g_steal_pointer (&profile_error));
          continue;
        }
      g_ptr_array_add (self->profiles, g_steal_pointer (&profile));
    }
  g_ptr_array_sort (self->profiles, compare_accounts);

  active_path = g_build_filename (self->data_dir, ACTIVE_FILE, NULL);
  if (g_file_get_contents (active_path, &active, NULL, NULL))
    g_strstrip (active);
  if (active != NULL && find_locked (self, active) != NULL)
    self->active_id = g_steal_pointer (&active);
  else
    self->active_id = g_strdup (CIN_PROFILE_LOCAL_ID);

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CinProfiles *self = cin_profiles_open_sync (task_data, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
cin_profiles_open_async (const char          *data_dir,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_profiles_open_async);
  g_task_set_task_data (task, g_strdup (data_dir), g_free);
  g_task_run_in_thread (task, open_thread);
}

CinProfiles *
cin_profiles_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_profiles_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cin_profiles_get_data_dir (CinProfiles *self)
{
  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);
  return self->data_dir;
}

static gpointer
copy_ref (gconstpointer src,
          gpointer      user_data)
{
  return g_object_ref ((gpointer)src);
}

GPtrArray *
cin_profiles_list (CinProfiles *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  return g_ptr_array_copy (self->profiles, copy_ref, NULL);
}

static gpointer
copy_error (gconstpointer src,
            gpointer      user_data)
{
  return g_error_copy (src);
}

GPtrArray *
cin_profiles_list_errors (CinProfiles *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  return g_ptr_array_copy (self->errors, copy_error, NULL);
}

CinProfile *
cin_profiles_get_local (CinProfiles *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  return g_object_ref (g_ptr_array_index (self->profiles, 0));
}

CinProfile *
cin_profiles_find (CinProfiles *self,
                   const char  *id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  CinProfile *profile;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  profile = find_locked (self, id);
  return profile != NULL ? g_object_ref (profile) : NULL;
}

CinProfile *
cin_profiles_find_account (CinProfiles *self,
                           const char  *server,
                           const char  *handle)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *normal_server = NULL;
  g_autofree char *normal_handle = NULL;
  CinProfile *profile;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (handle != NULL, NULL);

  normal_server = cin_profile_normalize_server (server, NULL);
  normal_handle = cin_profile_normalize_handle (handle, NULL);
  if (normal_server == NULL || normal_handle == NULL)
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  profile = find_account_locked (self, normal_server, normal_handle);
  return profile != NULL ? g_object_ref (profile) : NULL;
}

/* Letters and digits of any script, '-', '_' and '.'; anything else
 * (separators, controls, quotes) becomes '-'. Never starts with '.'. */
static void
append_slug (GString    *name,
             const char *text,
             guint       max_chars)
{
  guint n = 0;

  for (const char *p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 0 && c == '.')
        g_string_append_c (name, '_');
      else if (g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.')
        g_string_append_unichar (name, c);
      else
        g_string_append_c (name, '-');
    }
}

static char *
account_folder_name (const char *server,
                     const char *handle)
{
  g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  GString *name = g_string_new (NULL);

  g_assert (uri != NULL);

  append_slug (name, handle, MAX_HANDLE_CHARS);
  g_string_append_c (name, '@');
  append_slug (name, g_uri_get_host (uri), MAX_HOST_CHARS);
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (name, "-%d", g_uri_get_port (uri));

  return g_string_free (name, FALSE);
}

CinProfile *
cin_profiles_create_account_sync (CinProfiles  *self,
                                  const char   *server,
                                  const char   *handle,
                                  const char   *display_name,
                                  GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *normal_server = NULL;
  g_autofree char *normal_handle = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(CinProfile) draft = NULL;
  CinProfile *existing;
  CinProfile *profile;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (handle != NULL, NULL);

  normal_server = cin_profile_normalize_server (server, error);
  if (normal_server == NULL)
    return NULL;
  normal_handle = cin_profile_normalize_handle (handle, error);
  if (normal_handle == NULL)
    return NULL;

  /* Held across the disk work, so one account never gets two folders. */
  locker = g_mutex_locker_new (&self->lock);
  existing = find_account_locked (self, normal_server, normal_handle);
  if (existing != NULL)
    return g_object_ref (existing);

  temp_dir = g_build_filename (self->profiles_dir, CREATING_PREFIX "XXXXXX", NULL);
  if (g_mkdtemp_full (temp_dir, 0700) == NULL)
    {
      set_io_error (error, self->profiles_dir, errno);
      return NULL;
    }
  draft = cin_profile_new_account (temp_dir, normal_server, normal_handle, display_name);
  if (!cin_profile_save (draft, temp_dir, error))
    {
      rm_rf (temp_dir);
      return NULL;
    }

  base = account_folder_name (normal_server, normal_handle);
  for (guint n = 1; dir == NULL; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);
      g_autofree char *path = g_build_filename (self->profiles_dir, name, NULL);

      /* Claims the name; the rename below then replaces the empty folder
       * with the whole profile at once. */
      if (g_mkdir (path, 0700) == 0)
        dir = g_steal_pointer (&path);
      else if (errno != EEXIST)
        {
          set_io_error (error, path, errno);
          rm_rf (temp_dir);
          return NULL;
        }
    }

  if (g_rename (temp_dir, dir) != 0)
    {
      int saved_errno = errno;

      g_rmdir (dir);
      rm_rf (temp_dir);
      set_io_error (error, dir, saved_errno);
      return NULL;
    }

  profile = cin_profile_new_account (dir, normal_server, normal_handle, display_name);
  g_ptr_array_add (self->profiles, profile);
  g_ptr_array_sort (self->profiles, compare_accounts);
  return g_object_ref (profile);
}

typedef struct {
  char *server;
  char *handle;
  char *display_name;
} ProfilesJob;

static void
profiles_job_free (ProfilesJob *job)
{
  g_free (job->server);
  g_free (job->handle);
  g_free (job->display_name);
  g_free (job);
}

static void
create_account_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  ProfilesJob *job = task_data;
  GError *error = NULL;
  CinProfile *profile = cin_profiles_create_account_sync (source_object, job->server, job->handle,
                                                          job->display_name, &error);

  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

void
cin_profiles_create_account_async (CinProfiles         *self,
                                   const char          *server,
                                   const char          *handle,
                                   const char          *display_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProfilesJob *job;

  g_return_if_fail (CIN_IS_PROFILES (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail (handle != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ProfilesJob, 1);
  job->server = g_strdup (server);
  job->handle = g_strdup (handle);
  job->display_name = g_strdup (display_name);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_profiles_create_account_async);
  g_task_set_task_data (task, job, (GDestroyNotify)profiles_job_free);
  g_task_run_in_thread (task, create_account_thread);
}

CinProfile *
cin_profiles_create_account_finish (CinProfiles   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_profiles_create_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The calls that take just a profile id: their _sync function, run in a
 * thread. */
typedef gboolean (*IdFunc) (CinProfiles  *self,
                            const char   *id,
                            GError      **error);

typedef struct {
  char   *id;
  IdFunc  func;
} IdCall;

static void
id_call_free (IdCall *call)
{
  g_free (call->id);
  g_free (call);
}

static void
id_call_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  IdCall *call = task_data;
  GError *error = NULL;

  if (call->func (source_object, call->id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_with_id (CinProfiles         *self,
             const char          *id,
             gpointer             source_tag,
             IdFunc               func,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  IdCall *call = g_new0 (IdCall, 1);

  call->id = g_strdup (id);
  call->func = func;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify)id_call_free);
  g_task_run_in_thread (task, id_call_thread);
}

static gboolean
finish_with_id (CinProfiles   *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
write_active_locked (CinProfiles  *self,
                     const char   *id,
                     GError      **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, ACTIVE_FILE, NULL);
  g_autofree char *line = g_strconcat (id, "\n", NULL);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents (path, line, -1, &local_error))
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                   _("The profile in use could not be remembered (%s). Check that there is free space and “%s” can be written."),
                   local_error->message, self->data_dir);
      return FALSE;
    }
  g_free (self->active_id);
  self->active_id = g_strdup (id);
  return TRUE;
}

gboolean
cin_profiles_remove_sync (CinProfiles  *self,
                          const char   *id,
                          GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *grave = NULL;
  CinProfile *profile;
  gboolean found;
  guint index;

  g_return_val_if_fail (CIN_IS_PROFILES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  profile = find_locked (self, id);
  if (profile == NULL)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND,
                   _("There is no profile “%s” to remove. It may have been removed already."), id);
      return FALSE;
    }
  if (cin_profile_get_kind (profile) == CIN_PROFILE_KIND_LOCAL)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_LOCAL,
                   _("The profile for work on this computer can’t be removed. Delete its drafts instead."));
      return FALSE;
    }

  grave = g_build_filename (self->profiles_dir, REMOVING_PREFIX "XXXXXX", NULL);
  if (g_mkdtemp_full (grave, 0700) == NULL)
    {
      set_io_error (error, self->profiles_dir, errno);
      return FALSE;
    }
  /* Replaces the empty grave: the profile is gone in one step. */
  if (g_rename (cin_profile_get_dir (profile), grave) != 0)
    {
      int saved_errno = errno;

      g_rmdir (grave);
      set_io_error (error, cin_profile_get_dir (profile), saved_errno);
      return FALSE;
    }

  if (strcmp (self->active_id, id) == 0 &&
      !write_active_locked (self, CIN_PROFILE_LOCAL_ID, NULL))
    {
      /* The file names a profile that is gone: opening falls back to the
       * local one all the same. */
      g_free (self->active_id);
      self->active_id = g_strdup (CIN_PROFILE_LOCAL_ID);
    }

  found = g_ptr_array_find (self->profiles, profile, &index);
  g_assert (found);
  g_ptr_array_remove_index (self->profiles, index);
  g_clear_pointer (&locker, g_mutex_locker_free);

  rm_rf (grave);
  return TRUE;
}

void
cin_profiles_remove_async (CinProfiles         *self,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CIN_IS_PROFILES (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_with_id (self, id, cin_profiles_remove_async, cin_profiles_remove_sync,
               cancellable, callback, user_data);
}

gboolean
cin_profiles_remove_finish (CinProfiles   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_with_id (self, result, cin_profiles_remove_async, error);
}

CinProfile *
cin_profiles_get_active (CinProfiles *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  CinProfile *profile;

  g_return_val_if_fail (CIN_IS_PROFILES (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  profile = find_locked (self, self->active_id);
  if (profile == NULL)
    profile = g_ptr_array_index (self->profiles, 0);
  return g_object_ref (profile);
}

gboolean
cin_profiles_set_active_sync (CinProfiles  *self,
                              const char   *id,
                              GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CIN_IS_PROFILES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (find_locked (self, id) == NULL)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND,
                   _("There is no profile “%s” to switch to. It may have been removed."), id);
      return FALSE;
    }
  return write_active_locked (self, id, error);
}

void
cin_profiles_set_active_async (CinProfiles         *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CIN_IS_PROFILES (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_with_id (self, id, cin_profiles_set_active_async, cin_profiles_set_active_sync,
               cancellable, callback, user_data);
}

gboolean
cin_profiles_set_active_finish (CinProfiles   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_with_id (self, result, cin_profiles_set_active_async, error);
}
