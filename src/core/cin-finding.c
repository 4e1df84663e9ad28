/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-finding"

#include "cin-finding.h"

G_DEFINE_BOXED_TYPE (CinFinding, cin_finding, cin_finding_copy, cin_finding_free)

CinFinding *
cin_finding_new (CinFindingKind  kind,
                 CinSeverity     severity,
                 CinField        field,
                 guint           start,
                 guint           end,
                 const char     *match,
                 const char     *message,
                 const char     *suggestion)
{
  CinFinding *self;

  g_return_val_if_fail (start <= end, NULL);
  g_return_val_if_fail (match != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_new0 (CinFinding, 1);
  self->kind = kind;
  self->severity = severity;
  self->field = field;
  self->start = start;
  self->end = end;
  self->match = g_strdup (match);
  self->message = g_strdup (message);
  self->suggestion = g_strdup (suggestion);

  return self;
}

CinFinding *
cin_finding_copy (const CinFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cin_finding_new (self->kind, self->severity, self->field,
                          self->start, self->end,
                          self->match, self->message, self->suggestion);
}

void
cin_finding_free (CinFinding *self)
{
  if (self == NULL)
    return;

  g_free (self->match);
  g_free (self->message);
  g_free (self->suggestion);
  g_free (self);
}

/* Field, then position, then kind, as the findings list shows them; end
 * and match only make the order total, so that sorting is deterministic. */
int
cin_finding_compare (const CinFinding *a,
                     const CinFinding *b)
{
  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  if (a->field != b->field)
    return a->field < b->field ? -1 : 1;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  return g_strcmp0 (a->match, b->match);
}
