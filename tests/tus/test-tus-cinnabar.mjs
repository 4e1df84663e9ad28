// SPDX-License-Identifier: GPL-3.0-or-later
//
// What Cinnabar's tus adds to the protocol, black-box against the test
// host (small limits: photos 1 MiB, videos 8 MiB): the SHA-256 it checks,
// files told by content and held to the platform's limits, refusals as
// problem+json that leave nothing on disk, accounts that cannot see each
// other's uploads, downloads with Range, and an upload that survives the
// server being killed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { request, sleep, streamingRequest } from './lib/http.mjs';
import { jpeg, mp4, png, randomBytes, sha256Hex } from './lib/media.mjs';
import { addQuietServerTest, startCinnabar } from './lib/servers.mjs';
import { runTap } from './lib/tap.mjs';
import { OFFSET_OCTET_STREAM, TusClient, metadataFor } from './lib/tus-client.mjs';

const MiB = 1024 * 1024;
const PHOTO_MAX = 1 * MiB;
const VIDEO_MAX = 8 * MiB;

await runTap(async (tap) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cin-tus-cinnabar-'));
  const uploadsDir = path.join(root, 'uploads');
  const mediaDir = path.join(root, 'media');
  const start = () => startCinnabar({
    uploadsDir,
    mediaDir,
    args: ['--photo-max-bytes', String(PHOTO_MAX), '--video-max-bytes', String(VIDEO_MAX),
           '--token', 'alice-token=alice', '--token', 'bob-token=bob'],
  });
  let server = await start();
  const alice = () => new TusClient(server.endpoint, { Authorization: 'Bearer alice-token' });
  const bob = () => new TusClient(server.endpoint, { Authorization: 'Bearer bob-token' });
  let seed = 1000;

  const idOf = (url) => url.split('/').pop();
  const filesOf = (url) => [uploadsDir, mediaDir]
    .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []))
    .filter((name) => name.includes(idOf(url)));

  // The refusal every rejected file gets: its status, a problem+json body
  // of that type, and nothing of the upload left anywhere.
  async function assertRefused(response, url, status, type) {
    assert.equal(response.status, status, `${response.status} ${response.body}`);
    assert.match(response.headers['content-type'], /^application\/problem\+json/);
    assert.equal(response.problem.type, `urn:cinnabar:problem:${type}`);
    assert.equal(response.problem.status, status);
    assert.ok(response.problem.detail.length > 20, 'a detail a person can act on');
    assert.equal((await alice().head(url)).status, 404);
    assert.deepEqual(filesOf(url), []);
    assert.ok(!server.lines.some((line) => line.includes(idOf(url)) && line.startsWith('upload-completed')));
  }

  tap.test('a file whose SHA-256 is not the declared one: 460, nothing kept', async () => {
    const bytes = png(60, 60, seed++);
    const url = await alice().createFor(bytes, { sha256: sha256Hex(Buffer.from('something else')) });
    await assertRefused(await alice().patch(url, 0, bytes), url, 460, 'checksum-mismatch');
  });

  tap.test('a PNG cut short (its own checksum matching): 422, nothing kept', async () => {
    const bytes = png(60, 60, seed++).subarray(0, -20);
    const url = await alice().createFor(bytes);
    await assertRefused(await alice().patch(url, 0, bytes), url, 422, 'truncated');
  });

  tap.test('an MP4 cut inside its media data: 422, nothing kept', async () => {
    const bytes = mp4(200_000, { seed: seed++ }).subarray(0, 150_000);
    const url = await alice().createFor(bytes, { name: 'clip.mp4' });
    await assertRefused(await alice().patch(url, 0, bytes), url, 422, 'truncated');
  });

  tap.test('an upload that never reaches its declared length is never served', async () => {
    const bytes = jpeg(50_000, seed++);
    const url = await alice().createFor(bytes, { name: 'photo.jpg' });
    assert.equal((await alice().patch(url, 0, bytes.subarray(0, 30_000))).status, 204);
    const download = await alice().get(url);
    assert.equal(download.status, 404);
    assert.match(download.problem.detail, /not complete/);
    assert.equal(await alice().offset(url), 30_000);
    assert.deepEqual(fs.readdirSync(mediaDir).filter((name) => name.includes(idOf(url))), []);
    assert.equal((await alice().delete(url)).status, 204);
    assert.deepEqual(filesOf(url), []);
  });

  tap.test('bytes that are no photo or video: 415 from the first bytes, nothing kept', async () => {
    const bytes = randomBytes(200_000, seed++);
    const url = await alice().createFor(bytes, { name: 'holiday.jpg' });
    // Only the start is sent: the refusal does not wait for the rest.
    await assertRefused(await alice().patch(url, 0, bytes.subarray(0, 10_000)), url, 415, 'not-media');
  });

  tap.test('a tiny file that is no photo or video: 415, nothing kept', async () => {
    const bytes = Buffer.from('<!doctype html><title>cat.png</title>');
    const url = await alice().createFor(bytes, { name: 'cat.png' });
    await assertRefused(await alice().patch(url, 0, bytes), url, 415, 'not-media');
  });

  tap.test('a HEIC photo: 415 format-not-accepted, nothing kept', async () => {
    const bytes = mp4(5000, { brand: 'heic', seed: seed++ });
    const url = await alice().createFor(bytes, { name: 'IMG_0001.HEIC' });
    const response = await alice().patch(url, 0, bytes);
    await assertRefused(response, url, 415, 'format-not-accepted');
    assert.match(response.problem.detail, /jpeg/);
  });

  tap.test('a photo over the photo limit (but not the video one): 413 from its first bytes', async () => {
    const bytes = png(700, 700, seed++);
    assert.ok(bytes.length > PHOTO_MAX && bytes.length < VIDEO_MAX);
    const url = await alice().createFor(bytes);
    await assertRefused(await alice().patch(url, 0, bytes.subarray(0, 64 * 1024)), url, 413, 'too-large');
  });

  tap.test('a video of the same size is taken and announced', async () => {
    const bytes = mp4(3 * MiB, { seed: seed++ });
    const url = await alice().createFor(bytes, { name: 'clip.mp4' });
    assert.equal((await alice().patch(url, 0, bytes)).status, 204);
    const { input: line } = await server.waitForLine(new RegExp(`^upload-completed owner=alice id=${idOf(url)} `));
    assert.match(line, new RegExp(`sha256=${sha256Hex(bytes)} mime=video/mp4 size=${bytes.length} `));
    const [, mediaPath] = line.match(/ path=(.*)$/);
    assert.ok(fs.readFileSync(mediaPath).equals(bytes));
    assert.deepEqual(fs.readdirSync(uploadsDir).filter((name) => name.includes(idOf(url))),
                     [`${idOf(url)}.json`]);
  });

  tap.test('creation without a usable sha256 in Upload-Metadata: 400', async () => {
    const bytes = png(10, 10, seed++);
    for (const metadata of [undefined, 'filename cGhvdG8ucG5n', `sha256 ${Buffer.from('abc').toString('base64')}`,
                            'sha256 not-base64!']) {
      const response = await alice().create(bytes.length, metadata);
      assert.equal(response.status, 400, `metadata ${metadata}`);
      assert.equal(response.problem.type, 'urn:cinnabar:problem:bad-request');
    }
  });

  tap.test('no token: 401 with a Bearer challenge; another account sees 404', async () => {
    const bytes = png(20, 20, seed++);
    const anonymous = await request(server.endpoint, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(bytes.length), 'Upload-Metadata': metadataFor(bytes) },
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer');
    assert.equal(anonymous.problem.type, 'urn:cinnabar:problem:unauthorized');

    const url = await alice().createFor(bytes);
    assert.equal((await alice().patch(url, 0, bytes.subarray(0, 10))).status, 204);
    assert.equal((await bob().head(url)).status, 404);
    assert.equal((await bob().patch(url, 10, bytes.subarray(10))).status, 404);
    assert.equal((await bob().delete(url)).status, 404);
    assert.equal((await alice().patch(url, 10, bytes.subarray(10))).status, 204);
    assert.equal((await bob().get(url)).status, 404);
    assert.ok((await alice().get(url)).body.equals(bytes));
  });

  tap.test('a second PATCH while one is running: 423; DELETE too', async () => {
    const bytes = png(100, 100, seed++);
    const url = await alice().createFor(bytes);
    const running = streamingRequest(url, {
      headers: { ...alice().headers, 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': '0' },
      contentLength: bytes.length,
    });
    await running.write(bytes.subarray(0, 5000));
    await sleep(100);
    assert.equal((await alice().patch(url, 0, bytes)).status, 423);
    assert.equal((await alice().delete(url)).status, 423);
    await running.write(bytes.subarray(5000));
    running.end();
    assert.equal((await running.response).status, 204);
    assert.ok((await alice().get(url)).body.equals(bytes));
  });

  tap.test('PATCH sent as POST with X-HTTP-Method-Override', async () => {
    const bytes = png(20, 20, seed++);
    const url = await alice().createFor(bytes);
    const response = await request(url, {
      method: 'POST',
      headers: { ...alice().headers, 'X-HTTP-Method-Override': 'PATCH',
                 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': '0' },
      body: bytes,
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers['upload-offset'], String(bytes.length));
  });

  tap.test('GET with Range: 206 for a range, 416 past the end, If-Range by ETag', async () => {
    const bytes = jpeg(80_000, seed++);
    const url = await alice().createFor(bytes, { name: 'photo.jpg' });
    assert.equal((await alice().patch(url, 0, bytes)).status, 204);

    const whole = await alice().get(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers['content-type'], 'image/jpeg');
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    const etag = whole.headers.etag;
    assert.equal(etag, `"${sha256Hex(bytes)}"`);

    const middle = await alice().get(url, { Range: 'bytes=100-1099' });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers['content-range'], `bytes 100-1099/${bytes.length}`);
    assert.ok(middle.body.equals(bytes.subarray(100, 1100)));

    const tail = await alice().get(url, { Range: 'bytes=-500' });
    assert.equal(tail.status, 206);
    assert.ok(tail.body.equals(bytes.subarray(-500)));

    const past = await alice().get(url, { Range: `bytes=${bytes.length}-` });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${bytes.length}`);

    const current = await alice().get(url, { Range: 'bytes=10-19', 'If-Range': etag });
    assert.equal(current.status, 206);
    const stale = await alice().get(url, { Range: 'bytes=10-19', 'If-Range': '"an-older-version"' });
    assert.equal(stale.status, 200);
    assert.ok(stale.body.equals(bytes));
  });

  tap.test('GET and HEAD by SHA-256: the caller\'s finished upload; nothing else', async () => {
    const bytes = jpeg(60_000, seed++);
    const digest = sha256Hex(bytes);
    const byContent = `${server.endpoint}/${digest}`;
    assert.equal((await alice().get(byContent)).status, 404, 'nothing uploaded yet');

    const url = await alice().createFor(bytes, { name: 'photo.jpg' });
    assert.equal((await alice().patch(url, 0, bytes.subarray(0, 1000))).status, 204);
    assert.equal((await alice().get(byContent)).status, 404, 'an unfinished upload is not served');
    assert.equal((await alice().patch(url, 1000, bytes.subarray(1000))).status, 204);

    const whole = await alice().get(byContent);
    assert.equal(whole.status, 200);
    assert.ok(whole.body.equals(bytes));
    assert.equal(whole.headers.etag, `"${digest}"`);
    const tail = await alice().get(byContent, { Range: 'bytes=59000-' });
    assert.equal(tail.status, 206);
    assert.ok(tail.body.equals(bytes.subarray(59000)));
    const head = await alice().head(byContent);
    assert.equal(head.status, 200);
    assert.equal(head.headers['upload-length'], String(bytes.length));

    assert.equal((await bob().get(byContent)).status, 404, 'another account sees nothing');
    assert.equal((await alice().patch(byContent, 0, bytes)).status, 405);
    assert.equal((await alice().delete(byContent)).status, 405);
    assert.ok((await alice().get(url)).body.equals(bytes), 'the upload itself is untouched');
    assert.equal((await alice().get(`${server.endpoint}/${digest.toUpperCase()}`)).status, 404);

    assert.equal((await alice().delete(url)).status, 204);
    assert.equal((await alice().get(byContent)).status, 404, 'a deleted upload is not served by its content');
  });

  tap.test('killed with SIGKILL mid-PATCH, restarted: the upload resumes from the offset on disk', async () => {
    const finished = png(30, 30, seed++);
    let finishedUrl = await alice().createFor(finished);
    assert.equal((await alice().patch(finishedUrl, 0, finished)).status, 204);

    const bytes = mp4(6 * MiB, { seed: seed++ });
    let url = await alice().createFor(bytes, { name: 'long.mp4' });
    assert.equal((await alice().patch(url, 0, bytes.subarray(0, MiB))).status, 204);

    const running = streamingRequest(url, {
      headers: { ...alice().headers, 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': String(MiB) },
      contentLength: bytes.length - MiB,
    });
    await running.write(bytes.subarray(MiB, 4 * MiB));
    const part = path.join(uploadsDir, `${idOf(url)}.part`);
    for (let i = 0; fs.statSync(part).size < 2 * MiB; i++) {
      assert.ok(i < 200, `the .part stayed at ${fs.statSync(part).size} bytes`);
      await sleep(25);
    }
    await server.kill9();
    running.destroy();

    const onDisk = fs.statSync(part).size;
    server = await start();
    // The restarted server listens on another port; the paths stay.
    const moved = (oldUrl) => new URL(new URL(oldUrl).pathname, server.url).href;
    url = moved(url);
    finishedUrl = moved(finishedUrl);
    const offset = await alice().offset(url);
    assert.equal(offset, onDisk);
    assert.ok(offset >= 2 * MiB && offset <= 4 * MiB, `offset ${offset}`);

    const response = await alice().patch(url, offset, bytes.subarray(offset));
    assert.equal(response.status, 204, `${response.status} ${response.body}`);
    await server.waitForLine(new RegExp(`^upload-completed owner=alice id=${idOf(url)} sha256=${sha256Hex(bytes)} `));
    const pieces = [];
    for (let at = 0; at < bytes.length; at += 2 * MiB) {
      const piece = await alice().get(url, { Range: `bytes=${at}-${Math.min(at + 2 * MiB, bytes.length) - 1}` });
      assert.equal(piece.status, 206);
      pieces.push(piece.body);
    }
    assert.ok(Buffer.concat(pieces).equals(bytes), 'the served bytes differ from the source');

    // The upload finished before the kill is still served, and was not
    // announced a second time.
    assert.ok((await alice().get(finishedUrl)).body.equals(finished));
    assert.ok(!server.lines.some((line) => line.includes(idOf(finishedUrl))));
  });

  // A crash between writing the complete record and moving the file into
  // the media folder (or before the server heard of it): the next start
  // moves it, announces it, and serves it.
  tap.test('a completion a crash interrupted is finished and announced at the next start', async () => {
    const crashRoot = fs.mkdtempSync(path.join(root, 'crash-'));
    const crashUploads = path.join(crashRoot, 'uploads');
    const crashMedia = path.join(crashRoot, 'media');
    const bytes = png(40, 40, seed++);
    const id = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const mediaPath = path.join(crashMedia, `${id}.png`);
    fs.mkdirSync(crashUploads, { recursive: true });
    fs.mkdirSync(crashMedia, { recursive: true });
    fs.writeFileSync(path.join(crashUploads, `${id}.part`), bytes);
    fs.writeFileSync(path.join(crashUploads, `${id}.json`), JSON.stringify({
      id, owner: 'alice', length: bytes.length, sha256: sha256Hex(bytes), created: 0,
      state: 'complete', format: 'png', media_path: mediaPath, announced: false,
    }));

    const restarted = await startCinnabar({
      uploadsDir: crashUploads,
      mediaDir: crashMedia,
      args: ['--token', 'alice-token=alice'],
    });
    try {
      const { input: line } = await restarted.waitForLine(/^upload-completed /);
      assert.equal(line, `upload-completed owner=alice id=${id} sha256=${sha256Hex(bytes)} ` +
                         `mime=image/png size=${bytes.length} path=${mediaPath}`);
      assert.ok(fs.readFileSync(mediaPath).equals(bytes));
      assert.ok(!fs.existsSync(path.join(crashUploads, `${id}.part`)));
      const client = new TusClient(restarted.endpoint, { Authorization: 'Bearer alice-token' });
      assert.ok((await client.get(`${restarted.endpoint}/${id}`)).body.equals(bytes));
      assert.ok((await client.get(`${restarted.endpoint}/${sha256Hex(bytes)}`)).body.equals(bytes),
                'served by its content after the restart');
      assert.equal(JSON.parse(fs.readFileSync(path.join(crashUploads, `${id}.json`), 'utf8')).announced, true);
    } finally {
      await restarted.stop();
    }
  });

  addQuietServerTest(tap);

  return async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
});
