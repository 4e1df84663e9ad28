// SPDX-License-Identifier: GPL-3.0-or-later
//
// The tus 1.0 core, creation and termination behaviour every conforming
// server shows, written once and run against each server under test.
// Only what the tus specification requires is checked here; Cinnabar's
// own additions are tested in test-tus-cinnabar.mjs.
//
// Where a server is known to answer differently from the specification,
// the caller names the difference in @deviations (key → { status, why }
// or { missing, why }): the test then holds that server to what it is
// known to do, says so in a TAP comment, and still fails if it changes.

import assert from 'node:assert/strict';
import http from 'node:http';

import { request, sleep, streamingRequest } from './http.mjs';
import { png } from './media.mjs';
import { Tap } from './tap.mjs';
import { OFFSET_OCTET_STREAM, TusClient, metadataFor } from './tus-client.mjs';

export function addProtocolTests(tap, name, server, { headers = {}, deviations = {} } = {}) {
  const client = () => new TusClient(server.endpoint, headers);
  const test = (title, fn) => tap.test(`[${name}] ${title}`, fn);
  const expected = (key, specStatus) => {
    if (!deviations[key])
      return specStatus;
    Tap.comment(`${name} differs from tus 1.0 (which says ${specStatus}): ${deviations[key].why}`);
    return deviations[key].status ?? specStatus;
  };
  let seed = 100;
  const photo = (width = 64, height = 64) => png(width, height, seed++);

  test('OPTIONS advertises tus 1.0.0 with creation and termination, and a maximum size', async () => {
    const response = await request(server.endpoint, { method: 'OPTIONS' });
    assert.ok([200, 204].includes(response.status), `status ${response.status}`);
    assert.ok(response.headers['tus-version'].split(',').map((v) => v.trim()).includes('1.0.0'));
    const extensions = response.headers['tus-extension'].split(',').map((v) => v.trim());
    assert.ok(extensions.includes('creation'), `extensions: ${extensions}`);
    assert.ok(extensions.includes('termination'), `extensions: ${extensions}`);
    assert.match(response.headers['tus-max-size'], /^[1-9][0-9]*$/);
  });

  test('POST creates an upload; HEAD gives offset 0, the length and the metadata', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    const response = await client().head(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers['upload-offset'], '0');
    assert.equal(response.headers['upload-length'], String(bytes.length));
    assert.equal(response.headers['tus-resumable'], '1.0.0');
    assert.match(response.headers['cache-control'] || '', /no-store/);
    const sent = metadataFor(bytes).split(',').sort();
    assert.deepEqual(response.headers['upload-metadata'].split(',').sort(), sent);
  });

  test('PATCH in several chunks moves the offset; GET returns the same bytes', async () => {
    const bytes = photo(200, 150);
    const url = await client().createFor(bytes);
    const cuts = [0, 1000, 30000, 70000, bytes.length];
    for (let i = 1; i < cuts.length; i++) {
      const response = await client().patch(url, cuts[i - 1], bytes.subarray(cuts[i - 1], cuts[i]));
      assert.equal(response.status, 204, `PATCH ${i}: ${response.status} ${response.body}`);
      assert.equal(response.headers['upload-offset'], String(cuts[i]));
      assert.equal(response.headers['tus-resumable'], '1.0.0');
      assert.equal(await client().offset(url), cuts[i]);
    }
    const download = await client().get(url);
    assert.equal(download.status, 200);
    assert.ok(download.body.equals(bytes), 'the downloaded bytes differ');
  });

  test('a PATCH cut off mid-body resumes from the offset HEAD gives', async () => {
    const bytes = photo(300, 300);
    const url = await client().createFor(bytes);
    const first = 100_000;
    assert.equal((await client().patch(url, 0, bytes.subarray(0, first))).status, 204);

    const broken = streamingRequest(url, {
      headers: { ...client().headers, 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': String(first) },
      contentLength: bytes.length - first,
    });
    await broken.write(bytes.subarray(first, first + 60_000));
    await sleep(300);
    broken.destroy();

    const { offset, response } = await client().resume(url, bytes);
    assert.ok(offset >= first && offset <= first + 60_000, `resumed at ${offset}`);
    assert.equal(response.status, 204, `PATCH: ${response.status} ${response.body}`);
    assert.equal(response.headers['upload-offset'], String(bytes.length));
    const download = await client().get(url);
    assert.ok(download.body.equals(bytes), 'the downloaded bytes differ');
  });

  test('a client that keeps its connection open gets every answer', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const keepAlive = new TusClient(server.endpoint, headers, { agent });
      const bytes = photo(100, 100);
      const url = await keepAlive.createFor(bytes);
      const cuts = [0, 10_000, 20_000, bytes.length];
      for (let i = 1; i < cuts.length; i++) {
        assert.equal(await keepAlive.offset(url), cuts[i - 1]);
        const response = await keepAlive.patch(url, cuts[i - 1], bytes.subarray(cuts[i - 1], cuts[i]));
        assert.equal(response.status, 204, `PATCH ${i}: ${response.status}`);
      }
      assert.ok((await keepAlive.get(url)).body.equals(bytes));
    } finally {
      agent.destroy();
    }
  });

  test('PATCH at the wrong offset: 409, and the upload keeps its offset', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    assert.equal((await client().patch(url, 0, bytes.subarray(0, 100))).status, 204);
    const response = await client().patch(url, 50, bytes.subarray(50, 150));
    assert.equal(response.status, 409);
    assert.equal(await client().offset(url), 100);
  });

  test('PATCH without Content-Type application/offset+octet-stream: 415', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    const response = await client().patch(url, 0, bytes.subarray(0, 100),
                                          { 'Content-Type': 'application/octet-stream' });
    assert.equal(response.status, expected('wrongContentType', 415));
    assert.equal(await client().offset(url), 0);
  });

  test('PATCH past Upload-Length: 413, and the upload keeps its offset', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    const response = await client().patch(url, 0, Buffer.concat([bytes, Buffer.from('more')]));
    assert.equal(response.status, 413);
    assert.equal(await client().offset(url), 0);
  });

  test('DELETE terminates: 204, then HEAD and PATCH answer 404 or 410', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    assert.equal((await client().patch(url, 0, bytes.subarray(0, 100))).status, 204);
    const response = await client().delete(url);
    assert.equal(response.status, 204);
    assert.ok([404, 410].includes((await client().head(url)).status));
    assert.ok([404, 410].includes((await client().patch(url, 100, bytes.subarray(100))).status));
  });

  test('Upload-Length over Tus-Max-Size: 413', async () => {
    const options = await request(server.endpoint, { method: 'OPTIONS' });
    const max = BigInt(options.headers['tus-max-size']);
    const response = await client().create(String(max + 1n), metadataFor(photo()));
    assert.equal(response.status, 413);
  });

  test('POST without Upload-Length: 400', async () => {
    const response = await client().create(undefined, metadataFor(photo()));
    assert.equal(response.status, 400);
  });

  test('a request without Tus-Resumable: 412 with Tus-Version', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    const tusless = new TusClient(server.endpoint, headers);
    delete tusless.headers['Tus-Resumable'];
    const response = await tusless.patch(url, 0, bytes.subarray(0, 10));
    assert.equal(response.status, 412);
    if (!deviations.tusVersionOn412)
      assert.match(response.headers['tus-version'], /1\.0\.0/);
    else
      assert.equal(response.headers['tus-version'], undefined, expected('tusVersionOn412', 'Tus-Version'));
    assert.equal(await client().offset(url), 0);
  });

  test('a request for another tus version: 412 with Tus-Version', async () => {
    const bytes = photo();
    const url = await client().createFor(bytes);
    const response = await client().patch(url, 0, bytes.subarray(0, 10), { 'Tus-Resumable': '0.2.2' });
    assert.equal(response.status, expected('otherVersion', 412));
    if (response.status === 412)
      assert.match(response.headers['tus-version'], /1\.0\.0/);
    assert.equal(await client().offset(url), 0);
  });

  test('HEAD of an upload that never existed: 404', async () => {
    const response = await client().head(`${server.endpoint}/0123456789abcdef0123456789abcdef`);
    assert.equal(response.status, 404);
  });
}
