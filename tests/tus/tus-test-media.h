/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Media files built in code for the tests: each has the structure the
 * server checks (signatures, chunks, boxes, element sizes), filled with
 * pseudo-random bytes from @seed where the pictures would be. */

GBytes  *tus_test_png       (guint     width,
                             guint     height,
                             guint32   seed);
GBytes  *tus_test_jpeg      (gsize     scan_bytes,
                             guint32   seed);
GBytes  *tus_test_webp      (gsize     payload_bytes,
                             guint32   seed);
/* ftyp @brand, moov, then an mdat of @mdat_bytes (a 64-bit size header
 * when @large_size). */
GBytes  *tus_test_mp4       (const char *brand,
                             gsize       mdat_bytes,
                             gboolean    large_size,
                             guint32     seed);
/* EBML header with DocType @doctype ("webm", "matroska"), a Segment of
 * known or unknown size holding one Info and one Cluster. */
GBytes  *tus_test_matroska  (const char *doctype,
                             gsize       cluster_bytes,
                             gboolean    unknown_segment_size,
                             guint32     seed);
/* @packets transport-stream packets of 188 bytes (192 when @m2ts). */
GBytes  *tus_test_ts        (guint       packets,
                             gboolean    m2ts,
                             guint32     seed);
GBytes  *tus_test_random    (gsize       length,
                             guint32     seed);

/* The first @length bytes of @bytes. */
GBytes  *tus_test_cut       (GBytes     *bytes,
                             gsize       length);

G_END_DECLS
