// SPDX-License-Identifier: GPL-3.0-or-later
//
// tus 1.0 requests spelled out, for tests that check each status code
// (tus-js-client hides them).

import assert from 'node:assert/strict';

import { request, sleep } from './http.mjs';
import { sha256Hex } from './media.mjs';

export const TUS_HEADERS = { 'Tus-Resumable': '1.0.0' };
export const OFFSET_OCTET_STREAM = 'application/offset+octet-stream';

function b64(text) {
  return Buffer.from(text, 'utf8').toString('base64');
}

// Upload-Metadata with the file's SHA-256 (Cinnabar's "sha256" key: the
// hex digest, base64-encoded like every tus value) and a file name.
export function metadataFor(bytes, { name = 'photo.png', sha256 = sha256Hex(bytes) } = {}) {
  return `filename ${b64(name)},sha256 ${b64(sha256)}`;
}

export class TusClient {
  // @agent: see request() in http.mjs.
  constructor(endpoint, headers = {}, { agent = false } = {}) {
    this.endpoint = endpoint;
    this.headers = { ...TUS_HEADERS, ...headers };
    this.agent = agent;
  }

  // POST; returns the response with .url, the upload's absolute URL.
  async create(length, metadata, extraHeaders = {}) {
    const headers = { ...this.headers, ...extraHeaders };
    if (length !== undefined)
      headers['Upload-Length'] = String(length);
    if (metadata !== undefined)
      headers['Upload-Metadata'] = metadata;
    const response = await request(this.endpoint, { method: 'POST', headers, agent: this.agent });
    if (response.headers.location)
      response.url = new URL(response.headers.location, this.endpoint).href;
    return response;
  }

  async createFor(bytes, options = {}) {
    const response = await this.create(bytes.length, metadataFor(bytes, options));
    assert.equal(response.status, 201, `POST: ${response.status} ${response.body}`);
    assert.ok(response.url, 'POST: no Location');
    return response.url;
  }

  head(url, headers = {}) {
    return request(url, { method: 'HEAD', headers: { ...this.headers, ...headers }, agent: this.agent });
  }

  async offset(url) {
    const response = await this.head(url);
    assert.equal(response.status, 200, `HEAD: ${response.status}`);
    return Number(response.headers['upload-offset']);
  }

  patch(url, offset, body, extraHeaders = {}) {
    return request(url, {
      method: 'PATCH',
      headers: {
        ...this.headers,
        'Content-Type': OFFSET_OCTET_STREAM,
        'Upload-Offset': String(offset),
        ...extraHeaders,
      },
      body,
      agent: this.agent,
    });
  }

  delete(url) {
    return request(url, { method: 'DELETE', headers: this.headers, agent: this.agent });
  }

  get(url, headers = {}) {
    return request(url, { headers: { ...this.headers, ...headers }, agent: this.agent });
  }

  // Sends bytes[from…] as a client resuming after a failure would: asks
  // the offset, and tries again while the server still winds up the
  // request that broke (423, or 409 when the offset moved meanwhile).
  async resume(url, bytes) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const offset = await this.offset(url);
      const response = await this.patch(url, offset, bytes.subarray(offset));
      if (response.status !== 423 && response.status !== 409)
        return { offset, response };
      await sleep(100);
    }
    throw new Error('the upload stayed locked');
  }
}
