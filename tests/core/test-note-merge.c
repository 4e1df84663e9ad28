/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-note-merge"

#include "cin-note-merge.h"

/* The three-way merge a 412 runs: which side wins each field, and when
 * the result is a conflict. */

static CinNote *
base_note (void)
{
  CinNote *note = cin_note_new_with_id ("6a1d4c9e-0000-4000-8000-00000000000a", CIN_NOTE_KIND_PHOTO);
  const char * const topics[] = { "穿搭", "咖啡", NULL };
  g_autoptr(CinPhoto) first = cin_photo_new_full ("6a1d4c9e-0000-4000-8000-0000000000b1", "aa", "image/jpeg",
                                                  1080, 1440, CIN_CROP_NONE, 0.5, 0.5, "");
  g_autoptr(CinPhoto) second = cin_photo_new_full ("6a1d4c9e-0000-4000-8000-0000000000b2", "bb", "image/jpeg",
                                                   1080, 1440, CIN_CROP_NONE, 0.5, 0.5, "窗边");

  cin_note_set_title (note, "标题");
  cin_note_set_body (note, "正文");
  cin_note_set_topics (note, topics);
  cin_note_set_rev (note, "3");
  cin_note_insert_photo (note, 0, first);
  cin_note_insert_photo (note, 1, second);
  return note;
}

static void
test_each_side_keeps_its_fields (void)
{
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) merged = NULL;
  gboolean conflict = TRUE;

  cin_note_set_title (local, "本地标题");
  cin_note_set_visibility (local, CIN_VISIBILITY_ONLY_ME);
  cin_note_set_body (remote, "服务器正文");
  cin_note_set_rev (remote, "4");
  cin_note_set_state (remote, CIN_NOTE_STATE_PUBLISHED);

  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_false (conflict);
  g_assert_cmpstr (cin_note_get_title (merged), ==, "本地标题");
  g_assert_cmpstr (cin_note_get_body (merged), ==, "服务器正文");
  g_assert_cmpint (cin_note_get_visibility (merged), ==, CIN_VISIBILITY_ONLY_ME);
  g_assert_cmpint (cin_note_get_state (merged), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpstr (cin_note_get_rev (merged), ==, "4");
  g_assert_cmpstr (cin_note_get_id (merged), ==, cin_note_get_id (local));
}

static void
test_same_change_is_no_conflict (void)
{
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) merged = NULL;
  gboolean conflict = TRUE;

  cin_note_set_title (local, "一样的改动");
  cin_note_set_title (remote, "一样的改动");
  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_false (conflict);
  g_assert_true (cin_note_same_content (merged, remote));
}

static void
test_both_change_text_conflicts (gconstpointer data)
{
  const char *field = data;
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) merged = NULL;
  gboolean conflict = FALSE;

  if (g_str_equal (field, "title"))
    {
      cin_note_set_title (local, "本地");
      cin_note_set_title (remote, "远端");
    }
  else if (g_str_equal (field, "body"))
    {
      cin_note_set_body (local, "本地");
      cin_note_set_body (remote, "远端");
    }
  else
    {
      cin_note_set_location (local, "上海");
      cin_note_set_location (remote, "北京");
    }
  /* A clean change elsewhere is not taken into the conflict's result:
   * the result is the server's note as it is. */
  cin_note_set_visibility (local, CIN_VISIBILITY_MUTUAL);

  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_true (conflict);
  g_assert_true (cin_note_same_content (merged, remote));
}

static void
test_sets_merge (void)
{
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) merged = NULL;
  const char * const local_topics[] = { "穿搭", "咖啡", "OOTD", NULL };   /* added OOTD */
  const char * const remote_topics[] = { "咖啡", "春日", NULL };          /* removed 穿搭, added 春日 */
  const char * const expected[] = { "咖啡", "春日", "OOTD", NULL };
  gboolean conflict = TRUE;

  cin_note_set_topics (local, local_topics);
  cin_note_set_topics (remote, remote_topics);
  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_false (conflict);
  g_assert_true (g_strv_equal (cin_note_get_topics (merged), expected));
}

static void
test_photos_merge (void)
{
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) merged = NULL;
  g_autoptr(CinPhoto) added_here = cin_photo_new_full ("6a1d4c9e-0000-4000-8000-0000000000b3", "cc", "image/png",
                                                       800, 800, CIN_CROP_NONE, 0.5, 0.5, "");
  g_autoptr(CinPhoto) described = NULL;
  gboolean conflict = TRUE;

  /* Here: a photo added, the first described. There: the photos swapped
   * and the second cropped. */
  described = cin_photo_with_alt_text (cin_note_get_photo (local, 0), "咖啡杯");
  cin_note_replace_photo (local, 0, described);
  cin_note_insert_photo (local, 2, added_here);
  cin_note_move_photo (remote, 1, 0);
  {
    g_autoptr(CinPhoto) cropped = cin_photo_with_crop (cin_note_get_photo (remote, 0), CIN_CROP_3_4, 0.5, 0.2);
    cin_note_replace_photo (remote, 0, cropped);
  }

  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_false (conflict);
  g_assert_cmpuint (cin_note_get_n_photos (merged), ==, 3);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (merged, 0)), ==, "bb");
  g_assert_cmpint (cin_photo_get_crop (cin_note_get_photo (merged, 0)), ==, CIN_CROP_3_4);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (merged, 1)), ==, "aa");
  g_assert_cmpstr (cin_photo_get_alt_text (cin_note_get_photo (merged, 1)), ==, "咖啡杯");
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (merged, 2)), ==, "cc");

  /* A photo removed here stays removed. */
  g_clear_object (&merged);
  cin_note_remove_photo (local, 1);
  merged = cin_note_merge (base, local, remote, &conflict);
  g_assert_cmpuint (cin_note_get_n_photos (merged), ==, 2);
  g_assert_cmpint (cin_note_find_photo (merged, "bb"), ==, -1);
}

static void
test_never_synced (void)
{
  g_autoptr(CinNote) local = base_note ();
  g_autoptr(CinNote) remote = cin_note_copy (local);
  g_autoptr(CinNote) merged = NULL;
  gboolean conflict = FALSE;

  /* Without a base every difference is a change on both sides. */
  merged = cin_note_merge (NULL, local, remote, &conflict);
  g_assert_false (conflict);
  cin_note_set_title (remote, "另一个");
  g_clear_object (&merged);
  merged = cin_note_merge (NULL, local, remote, &conflict);
  g_assert_true (conflict);
}

/* The same three versions merge to the same note on either client. */
static void
test_merge_is_deterministic (void)
{
  g_autoptr(CinNote) base = base_note ();
  g_autoptr(CinNote) local = cin_note_copy (base);
  g_autoptr(CinNote) remote = cin_note_copy (base);
  g_autoptr(CinNote) once = NULL;
  g_autoptr(CinNote) twice = NULL;
  gboolean conflict;

  cin_note_set_original (local, TRUE);
  cin_note_set_original (remote, TRUE);
  cin_note_set_visibility (local, CIN_VISIBILITY_ONLY_ME);
  cin_note_set_visibility (remote, CIN_VISIBILITY_MUTUAL);
  once = cin_note_merge (base, local, remote, &conflict);
  twice = cin_note_merge (base, local, remote, &conflict);
  g_assert_true (cin_note_same_content (once, twice));
  /* Both changed it differently: the server's. */
  g_assert_cmpint (cin_note_get_visibility (once), ==, CIN_VISIBILITY_MUTUAL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/note-merge/each-side-keeps-its-fields", test_each_side_keeps_its_fields);
  g_test_add_func ("/note-merge/same-change", test_same_change_is_no_conflict);
  g_test_add_data_func ("/note-merge/conflict/title", "title", test_both_change_text_conflicts);
  g_test_add_data_func ("/note-merge/conflict/body", "body", test_both_change_text_conflicts);
  g_test_add_data_func ("/note-merge/conflict/location", "location", test_both_change_text_conflicts);
  g_test_add_func ("/note-merge/sets", test_sets_merge);
  g_test_add_func ("/note-merge/photos", test_photos_merge);
  g_test_add_func ("/note-merge/never-synced", test_never_synced);
  g_test_add_func ("/note-merge/deterministic", test_merge_is_deterministic);

  return g_test_run ();
}
