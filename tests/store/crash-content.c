/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crash-content"

#include <stdio.h>

#include "crash-content.h"

#define TITLE_FORMAT "笔记%u·第%u轮·第%u步 ✨"

/* Multi-byte text of every width: CJK, Hangul, accents, emoji with skin
 * tones, ZWJ sequences and flags, so a torn write of any of them shows. */
static const char * const fragments[] = {
  "小红书", "今日穿搭", "🌸", "👩‍🎨", "🇨🇳", " café ", "\n", "plain ASCII words ",
  "한국어 ", "✨✨", "👍🏽", "第一", "naïve ", "👨‍👩‍👧‍👦", "😀", "，", "。\n",
};

char *
crash_content_note_id (guint index)
{
  return g_strdup_printf ("crash-note-%02u", index);
}

char *
crash_content_title (guint index,
                     guint run,
                     guint step)
{
  return g_strdup_printf (TITLE_FORMAT, index, run, step);
}

char *
crash_content_body (guint index,
                    guint run,
                    guint step)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (index * 1000003u + run * 7919u + step);
  GString *body = g_string_new (NULL);
  /* Grows and shrinks from step to step, empty now and then, up to ~4 KB. */
  guint target = (step * 337u + run * 17u + index * 29u) % 4096u;

  if (step % 11 == 0)
    target = 0;

  while (body->len < target)
    g_string_append (body, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);

  g_string_append_printf (body, "#%u/%u/%u", index, run, step);
  return g_string_free (body, FALSE);
}

gboolean
crash_content_parse_title (const char *title,
                           guint      *index,
                           guint      *run,
                           guint      *step)
{
  g_autofree char *again = NULL;

  if (sscanf (title, "笔记%u·第%u轮·第%u步", index, run, step) != 3)
    return FALSE;

  /* Exactly what the child wrote, nothing more or less. */
  again = crash_content_title (*index, *run, *step);
  return g_str_equal (again, title);
}
