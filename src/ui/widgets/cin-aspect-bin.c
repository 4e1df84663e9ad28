/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-aspect-bin"

#include <math.h>

#include "cin-aspect-bin.h"

struct _CinAspectBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;   /* (nullable) */
  double     ratio;   /* width / height */
};

static void cin_aspect_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CinAspectBin, cin_aspect_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, cin_aspect_bin_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  PROP_RATIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static GtkSizeRequestMode
cin_aspect_bin_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cin_aspect_bin_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CinAspectBin *self = CIN_ASPECT_BIN (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Any width will do; the height follows from it. */
      *minimum = 0;
      *natural = for_size >= 0 ? (int)ceil (for_size * self->ratio) : 0;
      if (self->child != NULL && gtk_widget_get_visible (self->child))
        {
          int child_min, child_nat;

          /* The child's minimum counts; its natural size does not: a
           * photo's own pixel size must not widen the place it is shown. */
          gtk_widget_measure (self->child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = child_min;
          *natural = MAX (*natural, child_min);
        }
      return;
    }

  *minimum = *natural = for_size >= 0 ? (int)ceil (for_size / self->ratio) : 0;
}

static void
cin_aspect_bin_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  CinAspectBin *self = CIN_ASPECT_BIN (widget);

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
cin_aspect_bin_dispose (GObject *object)
{
  CinAspectBin *self = CIN_ASPECT_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (cin_aspect_bin_parent_class)->dispose (object);
}

static void
cin_aspect_bin_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CinAspectBin *self = CIN_ASPECT_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD: g_value_set_object (value, self->child); break;
    case PROP_RATIO: g_value_set_double (value, self->ratio); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_aspect_bin_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CinAspectBin *self = CIN_ASPECT_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD: cin_aspect_bin_set_child (self, g_value_get_object (value)); break;
    case PROP_RATIO: cin_aspect_bin_set_ratio (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_aspect_bin_add_child (GtkBuildable *buildable,
                          GtkBuilder   *builder,
                          GObject      *child,
                          const char   *type)
{
  if (GTK_IS_WIDGET (child))
    cin_aspect_bin_set_child (CIN_ASPECT_BIN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
cin_aspect_bin_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = cin_aspect_bin_add_child;
}

static void
cin_aspect_bin_class_init (CinAspectBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_aspect_bin_dispose;
  object_class->get_property = cin_aspect_bin_get_property;
  object_class->set_property = cin_aspect_bin_set_property;
  widget_class->get_request_mode = cin_aspect_bin_get_request_mode;
  widget_class->measure = cin_aspect_bin_measure;
  widget_class->size_allocate = cin_aspect_bin_size_allocate;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RATIO] =
    g_param_spec_double ("ratio", NULL, NULL, 0.05, 20.0, 0.75,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "aspectbin");
}

static void
cin_aspect_bin_init (CinAspectBin *self)
{
  self->ratio = 0.75;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
cin_aspect_bin_new (double ratio)
{
  return g_object_new (CIN_TYPE_ASPECT_BIN, "ratio", ratio, NULL);
}

void
cin_aspect_bin_set_child (CinAspectBin *self,
                          GtkWidget    *child)
{
  g_return_if_fail (CIN_IS_ASPECT_BIN (self));
  g_return_if_fail (!child || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

GtkWidget *
cin_aspect_bin_get_child (CinAspectBin *self)
{
  g_return_val_if_fail (CIN_IS_ASPECT_BIN (self), NULL);
  return self->child;
}

void
cin_aspect_bin_set_ratio (CinAspectBin *self,
                          double        ratio)
{
  g_return_if_fail (CIN_IS_ASPECT_BIN (self));
  g_return_if_fail (ratio > 0);

  if (self->ratio == ratio)
    return;

  self->ratio = ratio;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATIO]);
}

double
cin_aspect_bin_get_ratio (CinAspectBin *self)
{
  g_return_val_if_fail (CIN_IS_ASPECT_BIN (self), 1.0);
  return self->ratio;
}
