// SPDX-License-Identifier: GPL-3.0-or-later
//
// Plain HTTP for the black-box tests: every request on its own connection,
// so a test that breaks one off leaves the others alone.

import http from 'node:http';

function collect(response) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      const body = Buffer.concat(chunks);
      const result = { status: response.statusCode, headers: response.headers, body };
      // HEAD answers carry the type of a body they leave out.
      if ((response.headers['content-type'] || '').startsWith('application/problem+json') &&
          body.length > 0) {
        try {
          result.problem = JSON.parse(body.toString('utf8'));
        } catch (error) {
          reject(new Error(`the problem+json body is not JSON: ${body}`));
          return;
        }
      }
      resolve(result);
    });
  });
}

// Sends one request and reads the whole answer:
// { status, headers, body: Buffer, problem?: parsed problem+json }.
// @agent: an http.Agent to share connections (keep-alive); by default
// each request has its own.
export function request(url, { method = 'GET', headers = {}, body, agent = false } = {}) {
  return new Promise((resolve, reject) => {
    const allHeaders = { ...headers };
    if (body !== undefined)
      allHeaders['Content-Length'] = String(body.length);
    const req = http.request(url, { method, headers: allHeaders, agent }, (response) => {
      collect(response).then(resolve, reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A request whose body the test writes piece by piece and may cut off:
// { write(bytes), end(), destroy(), response: Promise }.
export function streamingRequest(url, { method = 'PATCH', headers = {}, contentLength }) {
  const req = http.request(url, {
    method,
    headers: { ...headers, 'Content-Length': String(contentLength) },
    agent: false,
  });
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => collect(res).then(resolve, reject));
    req.on('error', reject);
  });
  // A test that destroys the request on purpose expects no answer.
  response.catch(() => {});
  return {
    write: (bytes) => new Promise((resolve) => {
      if (req.write(bytes))
        resolve();
      else
        req.once('drain', resolve);
    }),
    end: () => req.end(),
    destroy: () => req.destroy(),
    response,
  };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
