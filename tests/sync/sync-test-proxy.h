/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real TCP proxy between the client under test and the real
 * cinnabar-server, which breaks chosen requests the way networks, load
 * balancers and captive portals do, so the sync tests can prove the client
 * survives faults without mocking HTTP.
 *
 * It listens on 127.0.0.1 and serves each connection in a thread of its
 * own with blocking I/O, so the test's main loop is never held up by it.
 * Every connection carries one HTTP/1.1 request (with a Content-Length
 * body, or none): it goes upstream on a fresh connection with
 * "Connection: close", and the whole response comes back to the client
 * with "Connection: close". When the upstream refuses the connection, the
 * client's connection is closed without an answer, as a dead network
 * would. */

typedef enum {
  /* The request went upstream and its response came back. */
  SYNC_TEST_FAULT_NONE,
  /* Forwarded (so the server commits it), then the client's connection is
   * closed with nothing sent: the response was lost. */
  SYNC_TEST_FAULT_LOSE_RESPONSE,
  /* Answered by the proxy with the armed status, a problem+json body and,
   * when armed with one, a Retry-After header; not forwarded. */
  SYNC_TEST_FAULT_STATUS,
  /* 200 application/json whose body is not JSON; not forwarded. */
  SYNC_TEST_FAULT_GARBAGE_JSON,
  /* 200 text/html with an HTML error page, as a captive portal answers;
   * not forwarded. */
  SYNC_TEST_FAULT_HTML,
  /* Never answered: the connection stays open until the client gives up
   * or the proxy is freed; not forwarded. */
  SYNC_TEST_FAULT_STALL,
  /* The connection is reset (TCP RST) once the request is read; not
   * forwarded. */
  SYNC_TEST_FAULT_RESET,
  /* Forwarded; the response's head and the first half of its body come
   * back, then the connection is closed: a download cut off. */
  SYNC_TEST_FAULT_CUT_BODY,
} SyncTestFault;

typedef struct _SyncTestProxy SyncTestProxy;

/* One request the proxy read, in the order they arrived. */
typedef struct {
  char          *method;
  char          *path;    /* the request target: path and query */
  SyncTestFault  fault;   /* SYNC_TEST_FAULT_NONE when plainly forwarded */
  /* The status the client was sent (the upstream's, or the proxy's own);
   * the upstream's for SYNC_TEST_FAULT_LOSE_RESPONSE; 0 when there was
   * none: a stall, a reset, a refused upstream, or one still in flight. */
  guint          status;
  gsize          body_bytes;  /* of the response's body sent to the client */
} SyncTestProxyEntry;

/* @upstream_base_url: http://HOST:PORT of the server. */
SyncTestProxy *sync_test_proxy_new           (const char     *upstream_base_url);
/* Stops listening, ends stalled and in-flight connections and joins the
 * proxy's threads. */
void           sync_test_proxy_free          (SyncTestProxy  *proxy);
/* http://127.0.0.1:PORT */
const char    *sync_test_proxy_get_base_url  (SyncTestProxy  *proxy);

/* Applies @fault to the next @times requests whose method is @method and
 * whose target starts with @path_prefix (either NULL matches any).
 * @status and @retry_after (seconds, 0 for no header) are for
 * SYNC_TEST_FAULT_STATUS and ignored otherwise. Faults armed earlier are
 * matched first. Safe to call from any thread. */
void           sync_test_proxy_arm           (SyncTestProxy  *proxy,
                                              SyncTestFault   fault,
                                              const char     *method,
                                              const char     *path_prefix,
                                              guint           times,
                                              guint           status,
                                              guint           retry_after);
/* How many armed fault uses are left, for checking they all happened. */
guint          sync_test_proxy_get_armed     (SyncTestProxy  *proxy);

/* How many requests with @method and a target starting with @path_prefix
 * (either NULL matches any) the proxy has read, faulted or not. */
guint          sync_test_proxy_count         (SyncTestProxy  *proxy,
                                              const char     *method,
                                              const char     *path_prefix);
/* A copy of the log: SyncTestProxyEntry, oldest first. */
GPtrArray     *sync_test_proxy_dup_log       (SyncTestProxy  *proxy);
/* Empties the log, and so the counts. */
void           sync_test_proxy_clear_log     (SyncTestProxy  *proxy);

void           sync_test_proxy_entry_free    (SyncTestProxyEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestProxyEntry, sync_test_proxy_entry_free)

G_END_DECLS
