/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-application.h"
#include "cin-window.h"

G_BEGIN_DECLS

typedef gboolean (*CinTestCondition) (gpointer data);

/* Sets XDG dirs to one temp home shared by a test and the subprocesses it
 * traps, so a second run of the app finds what the first one saved. */
void       cin_test_ui_init          (int               *argc,
                                      char            ***argv);
/* A new empty home for the next app runs (and the subprocesses after). */
void       cin_test_use_fresh_home   (void);
/* In a fresh home, runs the test paths @first and then @second (each
 * running the app once) as subprocesses, and fails unless both pass: the
 * second run finds what the first left, as after a restart. */
void       cin_test_run_then_restart (const char        *first,
                                      const char        *second);
/* Runs the app until @script returns; @script runs once the window shows
 * its drafts, and quits the app the way a user does (app.quit). Then
 * destroys the window and waits until the application is finalized: a
 * next run in this process is the default application again, with nothing
 * of this one left running. (GTK's warnings being fatal in tests, a
 * widget finalized with children still attached fails the test.) */
void       cin_test_ui_run_app       (void             (*script) (CinWindow *window));
void       cin_test_wait_until       (CinTestCondition   condition,
                                      gpointer           data,
                                      const char        *what);
void       cin_test_wait_ms          (guint              ms);
/* Waits until the application's autosave has nothing left to save. */
void       cin_test_wait_saved       (const char        *what);
/* Inserts @text as typing does, one character at a time, at the cursor. */
void       cin_test_type             (GtkTextBuffer     *buffer,
                                      const char        *text);
void       cin_test_quit             (CinWindow         *window);
/* The first widget under @root (depth first) of @type, and when @label
 * is not NULL, whose label (GtkLabel text or GtkButton label) is @label;
 * or NULL. */
GtkWidget *cin_test_find_widget      (GtkWidget         *root,
                                      GType              type,
                                      const char        *label);
/* The labels of the buttons with @css_class under @root, in order, one
 * space between them ("" when there are none). */
char      *cin_test_dup_button_labels (GtkWidget        *root,
                                       const char       *css_class);
/* Opens the draft with @id as a click in the draft box does, and waits
 * until the composer has it. */
void       cin_test_open_draft       (CinWindow         *window,
                                      const char        *id);

G_END_DECLS
