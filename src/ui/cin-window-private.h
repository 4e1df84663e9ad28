/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-window.h"
#include "cin-sign-in-page.h"
#include "cin-sync-status-button.h"

G_BEGIN_DECLS

struct _CinWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  AdwViewStack         *places;
  AdwViewSwitcherBar   *places_switcher;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content_box;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  CinDraftBox          *draft_box;
  AdwWindowTitle       *composer_title;
  GtkMenuButton        *draft_menu_button;
  GtkRevealer          *save_error_revealer;
  GtkLabel             *save_error_label;
  GtkStack             *composer_stack;
  CinComposer          *composer;
  CinFeedPreview       *feed_preview;    /* (nullable) made when first shown */
  CinSignInPage        *sign_in_page;
  AdwWindowTitle       *drafts_title;
  CinSyncStatusButton  *sync_status;
  GtkMenuButton        *profile_button;
  AdwSplitButton       *publish_button;  /* its menu schedules */
  GtkRevealer          *publish_revealer;
  GtkWidget            *publish_box;
  GtkSpinner           *publish_spinner;
  GtkImage             *publish_image;
  GtkLabel             *publish_label;
  GMenu                *copy_section;

  /* Owned */
  CinNote              *current;         /* (nullable) open in the composer */
  GSignalGroup         *current_signals; /* on current */
  GSignalGroup         *autosave_signals;
  /* id → CinNote of every draft opened or made since start-up. Opening one
   * again takes this object rather than a copy from the store, which may
   * be older than edits autosave has not written yet. */
  GHashTable           *notes;
  GHashTable           *trashed;         /* id → CinNote, for undo */
  GCancellable         *cancellable;
  GCancellable         *load_cancellable; /* the draft being loaded to open */
  GCancellable         *topics_cancellable; /* the server's topics being asked for */

  /* Account and sync: cin-window-account.c, cin-window-sync.c */
  GSimpleActionGroup   *account_actions;
  GSignalGroup         *engine_signals;  /* on the profile's CinSyncEngine */
  GHashTable           *publishing;      /* id → CinOutboxOp + 1 asked for here, not yet confirmed */
  GHashTable           *waiting;         /* id → CinOutboxOp + 1 of state changes in the outbox */
  GHashTable           *refusals;        /* id → the server's reason, parked */
  GHashTable           *read_back;       /* id → CinNoteState + 1 read from the store */
  GCancellable         *profile_cancellable; /* work for the profile in use */
  guint                 refresh_source;  /* draft box refresh, coalesced */
  guint                 n_copying;       /* drafts being copied to another profile */
  guint                 warm_fonts_source;

  char                 *draft_sort;      /* "updated", "created" or "title" */

  gboolean              previewing;      /* the preview replaces the composer */
  gboolean              bench_startup;
  gboolean              bench_list_shown;
  gboolean              closing;
};

/* cin-window.c, for cin-window-account.c */
CinApplication *_cin_window_get_app         (CinWindow *self);
/* (nullable) The application's store and autosave, while one is open. */
CinStore       *_cin_window_get_store       (CinWindow *self);
CinAutosave    *_cin_window_get_autosave    (CinWindow *self);
void            _cin_window_show_error      (CinWindow    *self,
                                             const GError *error);
void            _cin_window_show_toast      (CinWindow    *self,
                                             AdwToast     *toast);
/* Forgets every note of the profile being closed. */
void            _cin_window_forget_notes    (CinWindow *self);

/* cin-window-account.c: profiles, sign-in, the sync status and copying
 * a draft to another profile. */
void            _cin_window_account_class_init (GtkWidgetClass *widget_class);
void            _cin_window_account_init     (CinWindow *self);
void            _cin_window_account_dispose  (CinWindow *self);
void            _cin_window_account_attach   (CinWindow *self);
gboolean        _cin_window_is_account       (CinWindow *self);

/* cin-window-sync.c: reloading what sync changed, publishing and
 * scheduling the open note. */
void            _cin_window_sync_class_init  (GtkWidgetClass *widget_class);
void            _cin_window_sync_init        (CinWindow     *self);
void            _cin_window_sync_dispose     (CinWindow     *self);
/* The account's engine, or NULL. */
void            _cin_window_sync_set_engine  (CinWindow     *self,
                                              CinSyncEngine *engine);
/* Forgets what was under way for the profile being closed. */
void            _cin_window_sync_forget      (CinWindow     *self);
/* The open note changed: the publish button and status follow. */
void            _cin_window_update_publish   (CinWindow     *self);

/* cin-window-tags.c: what topics and @mentions complete from. */
void            _cin_window_tags_init        (CinWindow     *self);
void            _cin_window_tags_dispose     (CinWindow     *self);
/* Reads the creator's topics and people again (a draft opened, sync
 * brought a new follow list). */
void            _cin_window_refresh_known_tags (CinWindow   *self);

/* For tests: the publishing status shown on the open note ("Publishing…",
 * "Published", or the server's reason), or NULL when none shows. */
const char *_cin_window_get_publish_status (CinWindow *self);
/* The label that line is in, for tests that follow it as it changes. */
GtkLabel   *_cin_window_get_publish_label  (CinWindow *self);
/* For tests: drafts still being copied to another profile. */
guint       _cin_window_get_n_copying      (CinWindow *self);

/* For tests: what the window tells a creator about saving. The banner's
 * text while it is shown, else NULL; and the composer's subtitle
 * ("Saved", "Saving…", "Not saved"). */
const char *_cin_window_get_save_error   (CinWindow *self);
const char *_cin_window_get_save_status  (CinWindow *self);

G_END_DECLS
