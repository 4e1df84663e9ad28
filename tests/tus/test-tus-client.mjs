// SPDX-License-Identifier: GPL-3.0-or-later
//
// Uploads with tus-js-client, the tus project's own client, against
// Cinnabar's tus and, to show the tests ask nothing unusual, against the
// reference @tus/server: in chunks, resumed after an abort, and (Cinnabar
// only) refused with a reason the client can show.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { request, sleep, streamingRequest } from './lib/http.mjs';
import { mp4, png, sha256Hex } from './lib/media.mjs';
import { loadNodeDeps } from './lib/node-deps.mjs';
import { addQuietServerTest, restartCinnabarServer, startCinnabar, startCinnabarServer, startReference } from './lib/servers.mjs';
import { runTap } from './lib/tap.mjs';
import { OFFSET_OCTET_STREAM, TusClient } from './lib/tus-client.mjs';

await runTap(async (tap) => {
  const require = await loadNodeDeps();
  const tus = require('tus-js-client');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cin-tus-client-'));
  const cinnabar = await startCinnabar({
    uploadsDir: path.join(root, 'uploads'),
    mediaDir: path.join(root, 'media'),
  });
  let realServer = await startCinnabarServer({ dataDir: path.join(root, 'server') });
  const reference = await startReference({ dir: path.join(root, 'reference'), maxSize: 20 * 1024 * 1024 });
  let seed = 500;

  // Runs one tus-js-client upload to its end: { url, patchOffsets }, or
  // the client's error. @stopAfter(upload, bytesAccepted) may abort it.
  function upload(server, bytes, { sha256 = sha256Hex(bytes), uploadUrl, chunkSize, stopAfter } = {}) {
    const patchOffsets = [];
    return new Promise((resolve, reject) => {
      // Options left undefined would replace tus-js-client's defaults.
      const options = {
        endpoint: server.endpoint,
        ...(uploadUrl ? { uploadUrl } : {}),
        ...(chunkSize ? { chunkSize } : {}),
        ...(server.headers ? { headers: server.headers } : {}),
        retryDelays: [0, 200, 500],
        storeFingerprintForResuming: false,
        metadata: { filename: 'photo.png', sha256 },
        onBeforeRequest(req) {
          if (req.getMethod() === 'PATCH')
            patchOffsets.push(Number(req.getHeader('Upload-Offset')));
        },
        onChunkComplete(chunk, accepted) {
          if (stopAfter && stopAfter(accepted)) {
            instance.abort().then(() => resolve({ url: instance.url, patchOffsets, aborted: true }));
          }
        },
        onSuccess: () => resolve({ url: instance.url, patchOffsets }),
        onError: reject,
      };
      const instance = new tus.Upload(bytes, options);
      instance.start();
    });
  }

  for (const [name, server] of [['cinnabar', cinnabar], ['cinnabar-server', realServer], ['@tus/server', reference]]) {
    tap.test(`[${name}] tus-js-client uploads a photo in chunks`, async () => {
      const bytes = png(250, 200, seed++);
      const { url, patchOffsets } = await upload(server, bytes, { chunkSize: 64 * 1024 });
      assert.ok(patchOffsets.length >= 3, `${patchOffsets.length} PATCH requests`);
      const download = await request(url, { headers: server.headers });
      assert.equal(download.status, 200);
      assert.ok(download.body.equals(bytes), 'the downloaded bytes differ');
      if (server === cinnabar) {
        const { input: line } = await cinnabar.waitForLine(new RegExp(`^upload-completed .*sha256=${sha256Hex(bytes)} `));
        assert.match(line, /mime=image\/png/);
        assert.match(line, new RegExp(`size=${bytes.length} `));
      }
    });

    tap.test(`[${name}] tus-js-client resumes an aborted upload from the server's offset`, async () => {
      const bytes = png(300, 250, seed++);
      const first = await upload(server, bytes, { chunkSize: 32 * 1024, stopAfter: (accepted) => accepted >= 64 * 1024 });
      assert.ok(first.aborted, 'the first upload ran to its end');
      const second = await upload(server, bytes, { chunkSize: 64 * 1024, uploadUrl: first.url });
      assert.equal(second.url, first.url);
      assert.ok(second.patchOffsets[0] >= 64 * 1024, `resumed at ${second.patchOffsets[0]}`);
      const download = await request(second.url, { headers: server.headers });
      assert.ok(download.body.equals(bytes), 'the downloaded bytes differ');
    });
  }

  tap.test('[cinnabar] tus-js-client gets the reason for a checksum mismatch', async () => {
    const bytes = png(50, 50, seed++);
    const error = await upload(cinnabar, bytes, { sha256: sha256Hex(Buffer.from('another file')) })
      .then(() => null, (failure) => failure);
    assert.ok(error, 'the upload succeeded');
    assert.equal(error.originalResponse.getStatus(), 460);
    const problem = JSON.parse(error.originalResponse.getBody());
    assert.equal(problem.type, 'urn:cinnabar:problem:checksum-mismatch');
    assert.match(problem.detail, /Upload it again/);
  });

  // The real server, killed in the middle of a PATCH and started again on
  // the same data dir: the upload goes on from the offset that reached the
  // disk, with the same token, and ends as the same file.
  tap.test('[cinnabar-server] killed with SIGKILL mid-upload, restarted: the upload resumes', async () => {
    const MiB = 1024 * 1024;
    const bytes = mp4(5 * MiB, { seed: seed++ });
    const client = () => new TusClient(realServer.endpoint, realServer.headers);
    let url = await client().createFor(bytes, { name: 'long.mp4' });
    const id = new URL(url).pathname.split('/').pop();
    const part = path.join(root, 'server', 'uploads', `${id}.part`);

    const running = streamingRequest(url, {
      headers: { ...realServer.headers, 'Tus-Resumable': '1.0.0', 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': '0' },
      contentLength: bytes.length,
    });
    await running.write(bytes.subarray(0, 3 * MiB));
    for (let i = 0; !fs.existsSync(part) || fs.statSync(part).size < MiB; i++) {
      assert.ok(i < 200, 'nothing reached the disk');
      await sleep(25);
    }
    await realServer.kill9();
    running.destroy();
    const onDisk = fs.statSync(part).size;

    realServer = await restartCinnabarServer(realServer, { dataDir: path.join(root, 'server') });
    url = new URL(new URL(url).pathname, realServer.url).href;
    const offset = await client().offset(url);
    assert.equal(offset, onDisk);
    const response = await client().patch(url, offset, bytes.subarray(offset));
    assert.equal(response.status, 204, `${response.status} ${response.body}`);
    const download = await request(url, { headers: realServer.headers });
    assert.ok(download.body.equals(bytes), 'the served bytes differ from the source');
  });

  addQuietServerTest(tap);

  return async () => {
    await Promise.all([cinnabar.stop(), realServer.stop(), reference.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  };
});
