#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Server benchmark, in one run: wrk on loopback against cinnabar-server's
GET /v1/changes, PUT /v1/notes/{id} (creates) and GET /v1/explore, each as a
ratio to a SoupServer handler that answers a fixed body (bench-soup-fixed),
the framework's own limit on this machine. Target: >= 0.5 for the reads.

    bench-server.py CINNABAR-SERVER BENCH-SOUP-FIXED [--seconds N]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

THREADS = 2
CONNECTIONS = 16
NOTES = 200          # in the change feed and, published, in explore
PAGE = 20            # items a page, for the feed and explore


def start(argv, **kwargs):
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, **kwargs)
    line = proc.stdout.readline()
    match = re.match(r"listening on (http://\S+/)", line)
    if not match:
        proc.kill()
        sys.exit(f"bench-server: {argv[0]} printed no port line: {line!r}")
    return proc, match.group(1).rstrip("/")


def request(method, url, token=None, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    with urllib.request.urlopen(req) as response:
        payload = response.read()
        return json.loads(payload) if payload else None


def seed(base, token):
    for i in range(NOTES):
        note_id = str(uuid.uuid4())
        note = request("PUT", f"{base}/v1/notes/{note_id}", token,
                       {"kind": "photo", "title": f"第 {i} 篇 春日穿搭",
                        "body": "今天试了这支口红，颜色很显白，适合通勤。" * 3,
                        "topics": ["穿搭", "口红"]},
                       {"If-None-Match": "*", "Idempotency-Key": str(uuid.uuid4())})
        request("POST", f"{base}/v1/notes/{note_id}/publish", token, None,
                {"If-Match": f'"{note["rev"]}"', "Idempotency-Key": str(uuid.uuid4())})


WRK_HEADERS = """
wrk.headers["Authorization"] = "Bearer {token}"
"""

WRK_CREATE = """
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["If-None-Match"] = "*"
wrk.body = '{{"kind":"photo","title":"新品试色","body":"今天试了这支口红，颜色很显白。"}}'
local counter = 0
local thread_tag = tostring(math.random(0, 0xffffff))
request = function()
  counter = counter + 1
  local id = string.format("%08x-0000-4000-8000-%012x", tonumber(thread_tag), counter)
  wrk.headers["Idempotency-Key"] = id
  return wrk.format(nil, "/v1/notes/" .. id)
end
setup = function(thread)
  thread:set("thread_tag", tostring(math.random(0, 0xffffff)))
end
"""

WRK_REPORT = """
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read +
              summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %f %d %d\\n",
           summary.requests / (summary.duration / 1e6), bad, latency:percentile(99)))
end
"""


def wrk(url, seconds, script):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + WRK_REPORT)
        path = f.name
    try:
        out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS),
                              "-d", f"{seconds}s", "-s", path, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    match = re.search(r"RESULT (\S+) (\d+) (\d+)", out)
    if not match:
        sys.exit(f"bench-server: wrk printed no result:\n{out}")
    return float(match.group(1)), int(match.group(2)), int(match.group(3)) / 1000.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("baseline")
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("bench-server: wrk is not installed (apt install wrk)")

    data_dir = tempfile.mkdtemp(prefix="cinnabar-bench-server-")
    try:
        subprocess.run([args.server, "--data-dir", data_dir, "--create-account", "bench"],
                       input="a long enough password\n", text=True, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server, base = start([args.server, "--data-dir", data_dir, "--port", "0"],
                             stderr=subprocess.DEVNULL)
        baseline, baseline_base = start([args.baseline])
        try:
            token = request("POST", f"{base}/v1/session", None,
                            {"handle": "bench", "password": "a long enough password"})["token"]
            seed(base, token)

            fixed, fixed_bad, fixed_p99 = wrk(f"{baseline_base}/", args.seconds, "")
            runs = [
                ("GET /v1/changes", f"{base}/v1/changes?limit={PAGE}",
                 WRK_HEADERS.format(token=token), True),
                ("GET /v1/explore", f"{base}/v1/explore?limit={PAGE}", "", True),
                ("PUT /v1/notes/{id} (create)", base, WRK_CREATE.format(token=token), False),
            ]
            print(f"wrk -t{THREADS} -c{CONNECTIONS}, {args.seconds} s each, loopback; "
                  f"{NOTES} published notes, pages of {PAGE}")
            print(f"  baseline, SoupServer fixed body: {fixed:9.0f} req/s, p99 {fixed_p99:.2f} ms"
                  + (f", {fixed_bad} errors" if fixed_bad else ""))
            for name, url, script, is_read in runs:
                rate, bad, p99 = wrk(url, args.seconds, script)
                target = " (target >= 0.5)" if is_read else ""
                errors = f", {bad} non-2xx or failed" if bad else ""
                print(f"  {name:30} {rate:9.0f} req/s, p99 {p99:.2f} ms, "
                      f"ratio {rate / fixed:.2f}{target}{errors}")
        finally:
            for proc in (server, baseline):
                proc.terminate()
                proc.wait(timeout=15)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
