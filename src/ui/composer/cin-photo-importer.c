/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-importer"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cin-photo-importer.h"

struct _CinPhotoImporter
{
  GObject          parent_instance;

  CinMediaLibrary *library;
  GCancellable    *cancellable;
  GQueue           batches;       /* of Batch, oldest first */
  guint            max_photos;    /* 0: no limit */
  guint            pending;
};

G_DEFINE_FINAL_TYPE (CinPhotoImporter, cin_photo_importer, G_TYPE_OBJECT)

enum {
  REFUSED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_PENDING,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

/* The files given together: imported side by side on the library's pool,
 * added to the note in the order they were given. */
typedef struct {
  CinNote           *note;
  guint              n;
  guint              done;
  CinImportedPhoto **photos;      /* (nullable) each, in order */
  GError           **errors;      /* their messages name the file */
  GFile            **files;
  gboolean           temporary;   /* the files are ours to remove once read */
} Batch;

typedef struct {
  CinPhotoImporter *self;
  Batch            *batch;
  guint             index;
} Slot;

static void
batch_free (Batch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    {
      g_clear_pointer (&batch->photos[i], cin_imported_photo_unref);
      g_clear_error (&batch->errors[i]);
      g_clear_object (&batch->files[i]);
    }
  g_free (batch->photos);
  g_free (batch->errors);
  g_free (batch->files);
  g_clear_object (&batch->note);
  g_free (batch);
}

static void
set_pending (CinPhotoImporter *self,
             guint             pending)
{
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
refuse (CinPhotoImporter *self,
        const char       *message)
{
  g_signal_emit (self, signals[REFUSED], 0, message);
}

static void
add_to_note (CinPhotoImporter *self,
             Batch            *batch,
             guint             i)
{
  CinImportedPhoto *imported = batch->photos[i];
  guint n = cin_note_get_n_photos (batch->note);
  g_autoptr(CinPhoto) photo = NULL;

  if (imported == NULL)
    {
      if (!g_error_matches (batch->errors[i], G_IO_ERROR, G_IO_ERROR_CANCELLED))
        refuse (self, batch->errors[i]->message);
      return;
    }

  if (cin_note_find_photo (batch->note, cin_imported_photo_get_sha256 (imported)) >= 0)
    {
      /* Translators: %s is a photo's file name. */
      g_autofree char *message = g_strdup_printf (_("“%s” is already in this note."),
                                                  cin_imported_photo_get_name (imported));
      refuse (self, message);
      return;
    }

  if (self->max_photos > 0 && n >= self->max_photos)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("“%s” was not added: a note can have at most %u photo.",
                                   "“%s” was not added: a note can have at most %u photos.",
                                   self->max_photos),
                         cin_imported_photo_get_name (imported), self->max_photos);
      refuse (self, message);
      return;
    }

  photo = cin_imported_photo_to_photo (imported);
  cin_note_insert_photo (batch->note, n, photo);
}

/* Batches finish in the order they were started, so photos land in the
 * order the creator gave them even when a later file is quicker. */
static void
flush_finished_batches (CinPhotoImporter *self)
{
  Batch *batch;

  while ((batch = g_queue_peek_head (&self->batches)) != NULL && batch->done == batch->n)
    {
      g_queue_pop_head (&self->batches);
      for (guint i = 0; i < batch->n; i++)
        add_to_note (self, batch, i);
      batch_free (batch);
    }
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Slot *slot = user_data;
  CinPhotoImporter *self = slot->self;
  Batch *batch = slot->batch;

  batch->photos[slot->index] = cin_media_library_import_finish (CIN_MEDIA_LIBRARY (object), result,
                                                                &batch->errors[slot->index]);
  if (batch->temporary)
    g_file_delete (batch->files[slot->index], NULL, NULL);
  batch->done++;
  g_free (slot);

  set_pending (self, self->pending - 1);
  flush_finished_batches (self);
  g_object_unref (self);
}

static void
import_batch (CinPhotoImporter *self,
              CinNote          *note,
              GList            *files,
              gboolean          temporary)
{
  Batch *batch;
  guint n;

  n = g_list_length (files);
  if (n == 0)
    return;

  batch = g_new0 (Batch, 1);
  batch->note = g_object_ref (note);
  batch->n = n;
  batch->photos = g_new0 (CinImportedPhoto *, n);
  batch->errors = g_new0 (GError *, n);
  batch->files = g_new0 (GFile *, n);
  batch->temporary = temporary;
  g_queue_push_tail (&self->batches, batch);
  set_pending (self, self->pending + n);

  for (guint i = 0; files != NULL; files = files->next, i++)
    {
      Slot *slot = g_new0 (Slot, 1);

      slot->self = g_object_ref (self);
      slot->batch = batch;
      slot->index = i;
      batch->files[i] = g_object_ref (files->data);
      cin_media_library_import_async (self->library, files->data, self->cancellable,
                                      imported_cb, slot);
    }
}

/* A pasted or dropped image has no file: it is written as a PNG to a
 * file in the cache, off the main thread, and imported from there like
 * any other (the import keeps its own copy, so the file is removed). */
static void
write_texture_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "cinnabar", "pasted", NULL);
  g_autofree char *name = g_strdup_printf ("%s.png", g_uuid_string_random ());
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize)g_bytes_get_size (png), &error))
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno),
                             _("The pasted image could not be kept: %s"), g_strerror (errno));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_file_new_for_path (path), g_object_unref);
}

typedef struct {
  CinPhotoImporter *self;
  CinNote          *note;
} TextureImport;

static void
texture_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TextureImport *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_task_propagate_pointer (G_TASK (result), &error);

  if (file != NULL)
    {
      GList files = { file, NULL, NULL };

      import_batch (data->self, data->note, &files, TRUE);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    refuse (data->self, error->message);

  g_object_unref (data->self);
  g_object_unref (data->note);
  g_free (data);
}

void
cin_photo_importer_import_texture (CinPhotoImporter *self,
                                   CinNote          *note,
                                   GdkTexture       *texture)
{
  g_autoptr(GTask) task = NULL;
  TextureImport *data;

  g_return_if_fail (CIN_IS_PHOTO_IMPORTER (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  data = g_new0 (TextureImport, 1);
  data->self = g_object_ref (self);
  data->note = g_object_ref (note);
  task = g_task_new (NULL, self->cancellable, texture_written_cb, data);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, write_texture_thread);
}

void
cin_photo_importer_import (CinPhotoImporter *self,
                           CinNote          *note,
                           GList            *files)
{
  g_return_if_fail (CIN_IS_PHOTO_IMPORTER (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  import_batch (self, note, files, FALSE);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  CinPhotoImporter *self = CIN_PHOTO_IMPORTER (user_data);
  CinNote *note = g_object_get_data (G_OBJECT (dialog), "note");
  g_autoptr(GListModel) chosen = NULL;
  GList *files = NULL;

  if (response == GTK_RESPONSE_ACCEPT && note != NULL)
    {
      chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = g_list_model_get_n_items (chosen); i > 0; i--)
        files = g_list_prepend (files, g_list_model_get_item (chosen, i - 1));
      cin_photo_importer_import (self, note, files);
      g_list_free_full (files, g_object_unref);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
cin_photo_importer_choose (CinPhotoImporter *self,
                           GtkWindow        *parent,
                           CinNote          *note)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  g_return_if_fail (CIN_IS_PHOTO_IMPORTER (self));
  g_return_if_fail (CIN_IS_NOTE (note));

  chooser = gtk_file_chooser_native_new (_("Add Photos"), parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Photos (JPEG, PNG, WebP, HEIC)"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/heic");
  gtk_file_filter_add_mime_type (filter, "image/heif");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  g_object_set_data_full (G_OBJECT (chooser), "note", g_object_ref (note), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cin_photo_importer_dispose (GObject *object)
{
  CinPhotoImporter *self = CIN_PHOTO_IMPORTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cin_photo_importer_parent_class)->dispose (object);
}

static void
cin_photo_importer_finalize (GObject *object)
{
  CinPhotoImporter *self = CIN_PHOTO_IMPORTER (object);

  g_queue_clear_full (&self->batches, (GDestroyNotify)batch_free);

  G_OBJECT_CLASS (cin_photo_importer_parent_class)->finalize (object);
}

static void
cin_photo_importer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CinPhotoImporter *self = CIN_PHOTO_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_PENDING: g_value_set_uint (value, self->pending); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_photo_importer_class_init (CinPhotoImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cin_photo_importer_dispose;
  object_class->finalize = cin_photo_importer_finalize;
  object_class->get_property = cin_photo_importer_get_property;

  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A file was not added; the message says which and why. */
  signals[REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cin_photo_importer_init (CinPhotoImporter *self)
{
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->batches);
}

CinPhotoImporter *
cin_photo_importer_new (CinMediaLibrary *library)
{
  CinPhotoImporter *self;

  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (library), NULL);

  self = g_object_new (CIN_TYPE_PHOTO_IMPORTER, NULL);
  self->library = g_object_ref (library);
  return self;
}

void
cin_photo_importer_set_max_photos (CinPhotoImporter *self,
                                   guint             max_photos)
{
  g_return_if_fail (CIN_IS_PHOTO_IMPORTER (self));
  self->max_photos = max_photos;
}

guint
cin_photo_importer_get_pending (CinPhotoImporter *self)
{
  g_return_val_if_fail (CIN_IS_PHOTO_IMPORTER (self), 0);
  return self->pending;
}
