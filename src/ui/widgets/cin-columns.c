/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-columns"

#include "cin-columns.h"

struct _CinColumns
{
  GtkWidget parent_instance;

  int side_width;
  int wide_width;
  int spacing;
};

G_DEFINE_FINAL_TYPE (CinColumns, cin_columns, GTK_TYPE_WIDGET)

/* The composer's: the checks beside the text from 760 px, where the text
 * still has 436. */
#define DEFAULT_SIDE_WIDTH 300
#define DEFAULT_WIDE_WIDTH 760
#define DEFAULT_SPACING    24

enum {
  PROP_0,
  PROP_SIDE_WIDTH,
  PROP_WIDE_WIDTH,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_wide (CinColumns *self,
         int         width)
{
  return width >= self->wide_width;
}

/* The first child shown is the main column, the next the side one. */
static void
get_columns (CinColumns  *self,
             GtkWidget  **main_column,
             GtkWidget  **side_column)
{
  *main_column = *side_column = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_should_layout (child))
        continue;
      if (*main_column == NULL)
        *main_column = child;
      else if (*side_column == NULL)
        *side_column = child;
    }
}

static void
measure_child (GtkWidget      *child,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural)
{
  *minimum = *natural = 0;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static GtkSizeRequestMode
cin_columns_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cin_columns_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  CinColumns *self = CIN_COLUMNS (widget);
  GtkWidget *main_column, *side_column;
  int main_min, main_nat, side_min, side_nat;

  get_columns (self, &main_column, &side_column);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Stacked, the narrowest; side by side, as wide as both want. */
      measure_child (main_column, orientation, -1, &main_min, &main_nat);
      measure_child (side_column, orientation, -1, &side_min, &side_nat);
      *minimum = MAX (main_min, side_min);
      *natural = main_nat;
      if (side_column != NULL)
        *natural += self->spacing + MAX (side_nat, self->side_width);
      *natural = MAX (*natural, *minimum);
      return;
    }

  if (side_column != NULL && for_size >= 0 && is_wide (self, for_size))
    {
      measure_child (main_column, orientation, MAX (0, for_size - self->spacing - self->side_width),
                     &main_min, &main_nat);
      measure_child (side_column, orientation, self->side_width, &side_min, &side_nat);
      *minimum = MAX (main_min, side_min);
      *natural = MAX (main_nat, side_nat);
      return;
    }

  measure_child (main_column, orientation, for_size, &main_min, &main_nat);
  measure_child (side_column, orientation, for_size, &side_min, &side_nat);
  *minimum = main_min + (side_column != NULL ? self->spacing + side_min : 0);
  *natural = main_nat + (side_column != NULL ? self->spacing + side_nat : 0);
}

static void
cin_columns_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  CinColumns *self = CIN_COLUMNS (widget);
  GtkWidget *main_column, *side_column;
  int main_min, main_nat;

  get_columns (self, &main_column, &side_column);
  if (main_column == NULL)
    return;
  if (side_column == NULL)
    {
      gtk_widget_allocate (main_column, width, height, -1, NULL);
      return;
    }

  if (is_wide (self, width))
    {
      int main_width = MAX (0, width - self->spacing - self->side_width);
      gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
      int main_x = rtl ? self->side_width + self->spacing : 0;
      int side_x = rtl ? 0 : main_width + self->spacing;

      gtk_widget_size_allocate (main_column, &(GtkAllocation) { main_x, 0, main_width, height }, -1);
      gtk_widget_size_allocate (side_column, &(GtkAllocation) { side_x, 0, self->side_width, height }, -1);
      return;
    }

  /* Stacked: the main column as tall as it wants, within what there is. */
  measure_child (main_column, GTK_ORIENTATION_VERTICAL, width, &main_min, &main_nat);
  main_nat = CLAMP (main_nat, main_min, MAX (main_min, height - self->spacing));
  gtk_widget_size_allocate (main_column, &(GtkAllocation) { 0, 0, width, main_nat }, -1);
  gtk_widget_size_allocate (side_column,
                            &(GtkAllocation) { 0, main_nat + self->spacing, width,
                                               MAX (0, height - main_nat - self->spacing) },
                            -1);
}

static void
cin_columns_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cin_columns_parent_class)->dispose (object);
}

static void
cin_columns_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CinColumns *self = CIN_COLUMNS (object);

  switch (prop_id)
    {
    case PROP_SIDE_WIDTH:
      g_value_set_int (value, self->side_width);
      break;
    case PROP_WIDE_WIDTH:
      g_value_set_int (value, self->wide_width);
      break;
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_columns_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CinColumns *self = CIN_COLUMNS (object);
  int *field;

  switch (prop_id)
    {
    case PROP_SIDE_WIDTH:
      field = &self->side_width;
      break;
    case PROP_WIDE_WIDTH:
      field = &self->wide_width;
      break;
    case PROP_SPACING:
      field = &self->spacing;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (*field == g_value_get_int (value))
    return;
  *field = g_value_get_int (value);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
cin_columns_class_init (CinColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_columns_dispose;
  object_class->get_property = cin_columns_get_property;
  object_class->set_property = cin_columns_set_property;
  widget_class->get_request_mode = cin_columns_get_request_mode;
  widget_class->measure = cin_columns_measure;
  widget_class->size_allocate = cin_columns_size_allocate;

  properties[PROP_SIDE_WIDTH] =
    g_param_spec_int ("side-width", NULL, NULL, 0, G_MAXINT, DEFAULT_SIDE_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WIDE_WIDTH] =
    g_param_spec_int ("wide-width", NULL, NULL, 0, G_MAXINT, DEFAULT_WIDE_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, DEFAULT_SPACING,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "columns");
}

static void
cin_columns_init (CinColumns *self)
{
  self->side_width = DEFAULT_SIDE_WIDTH;
  self->wide_width = DEFAULT_WIDE_WIDTH;
  self->spacing = DEFAULT_SPACING;
}

GtkWidget *
cin_columns_new (void)
{
  return g_object_new (CIN_TYPE_COLUMNS, NULL);
}
