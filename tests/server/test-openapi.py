#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The OpenAPI document against the real server:
#  1. the routes `cinnabar-server --list-routes` prints and the operations
#     docs/api/openapi.yaml documents are the same set;
#  2. a walk through every documented operation against a server on port 0,
#     each response's status, content type and body checked against the
#     document (JSON Schema 2020-12, as OpenAPI 3.1 uses).
#
#   test-openapi.py SERVER-BINARY OPENAPI-YAML
#
# Prints TAP. Uses Debian's python3-yaml and python3-jsonschema.

import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import urllib.parse
import uuid
import zlib

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, name, func):
        self.n += 1
        try:
            func()
            print(f"ok {self.n} - {name}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported as TAP
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)

    def finish(self):
        print(f"1..{self.n}", flush=True)
        return 1 if self.failed else 0


def documented_routes(doc):
    routes = set()
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                routes.add(f"{method.upper()} {path}")
    return routes


def server_routes(binary):
    out = subprocess.run([binary, "--list-routes"], check=True, capture_output=True, text=True).stdout
    return {line.strip() for line in out.splitlines() if line.strip()}


class Server:
    def __init__(self, binary, args=()):
        self.dir = tempfile.mkdtemp(prefix="cin-openapi-")
        self.log = open(os.path.join(self.dir, "server.log"), "wb")
        self.process = subprocess.Popen(
            [binary, "--port=0", f"--data-dir={self.dir}/data", *args],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.process.stdout.readline().decode()
        match = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/\n", line)
        if not match:
            raise RuntimeError(f"unexpected first line {line!r}")
        self.port = int(match.group(1))

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        if code != 0:
            raise RuntimeError(f"server exited {code}")


class Checker:
    """Sends requests and checks every response against the document."""

    def __init__(self, doc, server):
        self.doc = doc
        self.server = server
        self.resolver = jsonschema.RefResolver.from_schema(doc)
        self.exercised = set()
        self.statuses = set()

    def schema_for(self, schema):
        return jsonschema.Draft202012Validator(schema, resolver=self.resolver)

    def resolve(self, obj):
        while isinstance(obj, dict) and "$ref" in obj:
            _, obj = self.resolver.resolve(obj["$ref"])
        return obj

    def request(self, method, template, path=None, token=None, body=None,
                headers=None, content_type="application/json"):
        path = path or template
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        send_headers = dict(headers or {})
        if token:
            send_headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            if content_type is not None:
                send_headers["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=send_headers)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        self.validate(method, template, response, raw)
        parsed = json.loads(raw) if raw and response.getheader("Content-Type", "").endswith("json") else raw
        return response.status, response, parsed

    def validate(self, method, template, response, raw):
        operation = self.doc["paths"][template][method.lower()]
        status = str(response.status)
        documented = operation["responses"]
        assert status in documented, \
            f"{method} {template} answered {status}, which the document does not list"
        self.exercised.add((method, template))
        self.statuses.add(response.status)
        spec = self.resolve(documented[status])
        content = spec.get("content")
        media = (response.getheader("Content-Type") or "").split(";")[0].strip() or None
        if not content:
            assert not raw, f"{method} {template} {status}: documented without a body, got {raw[:80]!r}"
            return
        if media not in content and "*/*" in content:
            return
        assert media in content, \
            f"{method} {template} {status}: Content-Type {media}, documented {list(content)}"
        schema = content[media]["schema"]
        self.schema_for(schema).validate(json.loads(raw))
        for name in spec.get("headers", {}):
            assert response.getheader(name) is not None, \
                f"{method} {template} {status}: documented header {name} is missing"


def walk(check, tap):
    """Calls every operation, with the answers the protocol documents."""
    c = check
    key = lambda: str(uuid.uuid4())  # noqa: E731
    creds = {"handle": "walker", "password": "walk the walk"}

    status, _, _ = c.request("POST", "/v1/accounts", body=creds)
    assert status == 201
    assert c.request("POST", "/v1/accounts", body=creds)[0] == 409
    assert c.request("POST", "/v1/accounts", body={"handle": "x"})[0] == 422
    assert c.request("POST", "/v1/accounts", body=b"{", content_type="application/json")[0] == 400
    assert c.request("POST", "/v1/accounts", body=b"a=b", content_type="text/plain")[0] == 415
    status, _, session = c.request("POST", "/v1/session", body=creds)
    assert status == 201
    token = session["token"]
    assert c.request("POST", "/v1/session", body={**creds, "password": "wrong password"})[0] == 401
    assert c.request("GET", "/v1/session", token=token)[0] == 200
    assert c.request("GET", "/v1/session")[0] == 401

    note_id = str(uuid.uuid4())
    note_path = f"/v1/notes/{note_id}"
    tmpl = "/v1/notes/{id}"
    note = {"id": note_id, "kind": "video", "title": "咖啡笔记", "body": "今天的咖啡",
            "topics": ["咖啡"], "visibility": "public"}
    status, response, created = c.request("PUT", tmpl, note_path, token, note,
                                          {"If-None-Match": "*", "Idempotency-Key": key()})
    assert status == 201, created
    etag = response.getheader("ETag")
    assert c.request("PUT", tmpl, note_path, token, note, {"Idempotency-Key": key()})[0] == 428
    assert c.request("PUT", tmpl, note_path, token, note,
                     {"If-None-Match": "*", "Idempotency-Key": key()})[0] == 412
    assert c.request("PUT", tmpl, note_path, token, {**note, "title": "太长" * 20},
                     {"If-Match": etag, "Idempotency-Key": key()})[0] == 422
    assert c.request("PUT", tmpl, "/v1/notes/nope", token, note,
                     {"If-None-Match": "*", "Idempotency-Key": key()})[0] == 400
    same = key()
    status, response, _ = c.request("PUT", tmpl, note_path, token, {**note, "title": "改了"},
                                    {"If-Match": etag, "Idempotency-Key": same})
    assert status == 200
    etag = response.getheader("ETag")
    assert c.request("PUT", tmpl, note_path, token, {**note, "title": "又改了"},
                     {"If-Match": etag, "Idempotency-Key": same})[0] == 409
    assert c.request("GET", tmpl, note_path, token)[0] == 200
    assert c.request("GET", tmpl, note_path, token, headers={"If-None-Match": etag})[0] == 304
    assert c.request("GET", tmpl, f"/v1/notes/{uuid.uuid4()}", token)[0] == 404
    assert c.request("GET", "/v1/notes", token=token)[0] == 200

    status, _, page = c.request("GET", "/v1/changes", "/v1/changes?limit=10", token)
    assert status == 200 and len(page["changes"]) == 1

    act = lambda action, body=None, etag=None: c.request(  # noqa: E731
        "POST", "/v1/notes/{id}/" + action, f"{note_path}/{action}", token, body,
        {"If-Match": etag, "Idempotency-Key": key()} if etag else {"Idempotency-Key": key()})
    assert act("publish")[0] == 428
    status, response, published = act("publish", etag=etag)
    assert status == 200 and published["state"] == "published"
    etag = response.getheader("ETag")
    assert c.request("GET", tmpl, note_path)[0] == 200
    status, response, _ = act("unpublish", etag=etag)
    assert status == 200
    etag = response.getheader("ETag")
    assert act("schedule", {"at": "2000-01-01T00:00:00Z"}, etag)[0] == 422
    import datetime
    at = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, response, scheduled = act("schedule", {"at": at}, etag)
    assert status == 200 and scheduled["state"] == "scheduled"
    etag = response.getheader("ETag")
    assert c.request("GET", "/v1/changes", "/v1/changes?since=abc", token)[0] == 400

    assert c.request("DELETE", tmpl, note_path, token, headers={"Idempotency-Key": key()})[0] == 428
    assert c.request("DELETE", tmpl, note_path, token,
                     headers={"If-Match": '"99"', "Idempotency-Key": key()})[0] == 412
    assert c.request("DELETE", tmpl, note_path, token,
                     headers={"If-Match": etag, "Idempotency-Key": key()})[0] == 204
    status, _, page = c.request("GET", "/v1/changes", token=token)
    assert status == 200 and page["changes"][0]["deleted"] is True

    published_id = collections(c, token, key)

    status, _, page = c.request("GET", "/v1/explore", "/v1/explore?limit=1")
    assert status == 200 and len(page["items"]) == 1
    if page["cursor"] is not None:
        assert c.request("GET", "/v1/explore", f"/v1/explore?limit=1&cursor={page['cursor']}")[0] == 200
    assert c.request("GET", "/v1/explore", "/v1/explore?cursor=bad")[0] == 400
    status, _, found = c.request("GET", "/v1/search", "/v1/search?q=" + urllib.parse.quote("收藏"))
    assert status == 200 and len(found["items"]) == 1, found
    status, _, found = c.request("GET", "/v1/search", "/v1/search?q=" + urllib.parse.quote("收藏的笔记"))
    assert status == 200 and len(found["items"]) == 1, found
    assert c.request("GET", "/v1/search")[0] == 400

    people(c, token, key)

    status, _, days = c.request("GET", "/v1/notes/{id}/metrics", f"/v1/notes/{published_id}/metrics", token)
    assert status == 200 and len(days["days"]) == 1, days
    assert c.request("GET", "/v1/notes/{id}/metrics", f"/v1/notes/{published_id}/metrics?from=x", token)[0] == 400
    assert c.request("GET", "/v1/notes/{id}/metrics", f"/v1/notes/{uuid.uuid4()}/metrics", token)[0] == 404
    status, _, days = c.request("GET", "/v1/account/metrics", "/v1/account/metrics?from=2026-01-01&to=2026-01-07",
                                token)
    assert status == 200 and len(days["days"]) == 7, days
    assert c.request("GET", "/v1/account/metrics")[0] == 401

    uploads(c, token)

    assert c.request("DELETE", "/v1/session", token=token)[0] == 204


def people(c, token, key):
    """Following and the topics in use."""
    assert c.request("POST", "/v1/accounts", body={"handle": "followed", "password": "walk the walk"})[0] == 201
    tmpl = "/v1/following/{handle}"
    change = lambda method, handle, token=token: c.request(  # noqa: E731
        method, tmpl, f"/v1/following/{handle}", token, headers={"Idempotency-Key": key()})[0]
    assert change("PUT", "followed") == 204
    assert change("PUT", "followed") == 204
    assert change("PUT", "walker") == 422
    assert change("PUT", "nobody") == 404
    assert change("PUT", "followed", None) == 401
    status, _, page = c.request("GET", "/v1/following", token=token)
    assert status == 200 and [item["handle"] for item in page["items"]] == ["followed"], page
    assert page["cursor"] is None
    assert c.request("GET", "/v1/following", "/v1/following?cursor=bad", token)[0] == 400
    assert c.request("GET", "/v1/following")[0] == 401
    assert change("DELETE", "followed") == 204
    assert change("DELETE", "nobody") == 404
    assert change("DELETE", "followed", None) == 401
    status, _, page = c.request("GET", "/v1/following", "/v1/following?limit=1", token)
    assert status == 200 and page["items"] == [], page

    note_id = str(uuid.uuid4())
    status, response, _ = c.request("PUT", "/v1/notes/{id}", f"/v1/notes/{note_id}", token,
                                    {"kind": "video", "title": "话题", "topics": ["手冲咖啡", "Coffee"],
                                     "visibility": "public"},
                                    {"If-None-Match": "*", "Idempotency-Key": key()})
    assert status == 201
    assert c.request("POST", "/v1/notes/{id}/publish", f"/v1/notes/{note_id}/publish", token, None,
                     {"If-Match": response.getheader("ETag"), "Idempotency-Key": key()})[0] == 200
    status, _, found = c.request("GET", "/v1/topics", "/v1/topics?limit=5&q=" + urllib.parse.quote("冲咖"))
    assert status == 200 and found["items"] == [{"name": "手冲咖啡", "notes": 1}], found
    status, _, found = c.request("GET", "/v1/topics", "/v1/topics?q=COFFEE")
    assert status == 200 and found["items"] == [{"name": "Coffee", "notes": 1}], found
    assert c.request("GET", "/v1/topics")[0] == 400
    assert c.request("GET", "/v1/topics", "/v1/topics?q=a&limit=101")[0] == 400


def tiny_png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc0\x40\x20" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def uploads(c, token):
    """The tus handler mounted at /v1/uploads, one call of each kind."""
    data = tiny_png()
    digest = base64.b64encode(hashlib.sha256(data).hexdigest().encode()).decode()
    tus = {"Tus-Resumable": "1.0.0"}
    assert c.request("OPTIONS", "/v1/uploads")[0] == 204
    assert c.request("POST", "/v1/uploads", headers={**tus, "Upload-Length": "4"})[0] == 401
    status, response, _ = c.request("POST", "/v1/uploads", token=token, headers={
        **tus, "Upload-Length": str(len(data)), "Upload-Metadata": f"sha256 {digest}"})
    assert status == 201
    path = response.getheader("Location")
    tmpl = "/v1/uploads/{id}"
    assert c.request("PATCH", tmpl, path, token, data[:10], {**tus, "Upload-Offset": "5"},
                     content_type="application/offset+octet-stream")[0] == 409
    assert c.request("PATCH", tmpl, path, token, data, {**tus, "Upload-Offset": "0"},
                     content_type="application/offset+octet-stream")[0] == 204
    status, response, _ = c.request("HEAD", tmpl, path, token, headers=tus)
    assert status == 200 and response.getheader("Upload-Offset") == str(len(data))
    status, response, body = c.request("GET", tmpl, path, token)
    assert status == 200 and body == data
    assert c.request("GET", tmpl, "/v1/uploads/0123456789abcdef0123456789abcdef", token)[0] == 404
    assert c.request("DELETE", tmpl, path, token, headers=tus)[0] == 204
    assert c.request("HEAD", tmpl, path, token, headers=tus)[0] == 404


def collections(c, token, key):
    """Boards, bookmarks and products: create, read, list, update, delete."""
    board_id, product_id, bookmark_id, note_id = (str(uuid.uuid4()) for _ in range(4))
    note = {"kind": "video", "title": "收藏的笔记", "visibility": "public"}
    status, response, _ = c.request("PUT", "/v1/notes/{id}", f"/v1/notes/{note_id}", token, note,
                                    {"If-None-Match": "*", "Idempotency-Key": key()})
    assert status == 201
    status, _, _ = c.request("POST", "/v1/notes/{id}/publish", f"/v1/notes/{note_id}/publish", token, None,
                             {"If-Match": response.getheader("ETag"), "Idempotency-Key": key()})
    assert status == 200
    bodies = {
        "boards": (board_id, {"name": "咖啡地图", "visibility": "public", "note_ids": [note_id]},
                   {"name": "这个名字真的太长了超过十二个字"}),
        "products": (product_id, {"title": "手冲壶", "price_cents": 12900, "currency": "CNY",
                                  "url": "https://shop.example/kettle", "sku": "K-1"},
                     {"title": "手冲壶", "price_cents": -1, "currency": "CNY", "url": "https://x.example"}),
        "bookmarks": (bookmark_id, {"note_id": note_id, "board_id": board_id},
                      {"note_id": str(uuid.uuid4())}),
    }
    for collection in ("boards", "products", "bookmarks"):
        entity_id, body, bad = bodies[collection]
        tmpl = f"/v1/{collection}/{{id}}"
        path = f"/v1/{collection}/{entity_id}"
        assert c.request("PUT", tmpl, path, token, bad,
                         {"If-None-Match": "*", "Idempotency-Key": key()})[0] == 422
        status, response, created = c.request("PUT", tmpl, path, token, body,
                                              {"If-None-Match": "*", "Idempotency-Key": key()})
        assert status == 201, created
        etag = response.getheader("ETag")
        assert c.request("PUT", tmpl, path, token, body,
                         {"If-Match": '"42"', "Idempotency-Key": key()})[0] == 412
        status, response, _ = c.request("PUT", tmpl, path, token, body,
                                        {"If-Match": etag, "Idempotency-Key": key()})
        assert status == 200
        etag = response.getheader("ETag")
        assert c.request("GET", tmpl, path, token)[0] == 200
        assert c.request("GET", tmpl, path, token, headers={"If-None-Match": etag})[0] == 304
        status, _, listing = c.request("GET", f"/v1/{collection}", token=token)
        assert status == 200 and [item["id"] for item in listing["items"]] == [entity_id]
        bodies[collection] = (tmpl, path, etag)
    # A board's deletion leaves its notes and bookmarks alone.
    for collection in ("boards", "bookmarks", "products"):
        tmpl, path, etag = bodies[collection]
        assert c.request("DELETE", tmpl, path, token,
                         headers={"If-Match": etag, "Idempotency-Key": key()})[0] == 204
    assert c.request("GET", "/v1/notes/{id}", f"/v1/notes/{note_id}", token)[0] == 200
    return note_id


def main():
    binary, document = sys.argv[1], sys.argv[2]
    with open(document, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    tap = Tap()

    def routes_match():
        served = server_routes(binary)
        documented = documented_routes(doc)
        missing = sorted(served - documented)
        extra = sorted(documented - served)
        assert not missing and not extra, \
            f"served but not documented: {missing}; documented but not served: {extra}"

    tap.check("the routes served are the routes documented", routes_match)

    def document_is_valid():
        for name, schema in doc["components"]["schemas"].items():
            jsonschema.Draft202012Validator.check_schema(schema)

    tap.check("every schema in the document is valid JSON Schema", document_is_valid)

    server = Server(binary)
    checker = Checker(doc, server)
    try:
        tap.check("every response of a walk through the API matches the document",
                  lambda: walk(checker, tap))

        def every_operation_exercised():
            documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in METHODS if m in item}
            missed = sorted(documented - checker.exercised)
            assert not missed, f"operations the walk never called: {missed}"

        tap.check("the walk called every documented operation", every_operation_exercised)
    finally:
        server.stop()
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
