// SPDX-License-Identifier: GPL-3.0-or-later
//
// The servers under test, each a child process that prints
// "listening on http://127.0.0.1:PORT/" when it is ready (cinnabar-server,
// the tus test host and reference-server.mjs all do), then any other
// lines the tests may wait for.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { request } from './http.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const children = new Set();
const cinnabarProcesses = [];

// No server outlives the test program, however it ends.
process.on('exit', () => {
  for (const child of children)
    child.kill('SIGKILL');
});

export const TUS_PREFIX = '/v1/uploads';

class ServerProcess {
  constructor(name, child) {
    this.name = name;
    this.child = child;
    this.lines = [];
    this.stderr = '';
    this.waiters = [];
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }));
    child.stderr.on('data', (data) => { this.stderr += data; });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiters])
        if (waiter.pattern.test(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(line.match(waiter.pattern));
        }
    });
  }

  // The first line (already printed or still to come) matching @pattern.
  waitForLine(pattern, timeoutMs = 20_000) {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen)
      return Promise.resolve(seen.match(pattern));
    return new Promise((resolve, reject) => {
      const waiter = { pattern, resolve };
      this.waiters.push(waiter);
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no line like ${pattern} in ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before printing ${pattern}; stderr: ${this.stderr}`));
      });
      const resolveOnce = waiter.resolve;
      waiter.resolve = (match) => {
        clearTimeout(timer);
        resolveOnce(match);
      };
    });
  }

  async ready() {
    const [, url] = await this.waitForLine(/^listening on (http:\/\/\S+\/)$/);
    this.url = url;
    this.endpoint = new URL(TUS_PREFIX, url).href;
    return this;
  }

  // Asks the server to quit, as an administrator would.
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGTERM');
    return this.exited;
  }

  // Kills the server the hard way: no chance to flush or tidy anything.
  async kill9() {
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

function start(name, command, args, env = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  return new ServerProcess(name, child).ready();
}

// Cinnabar's tus, mounted by the test host (CIN_TUS_HOST).
export async function startCinnabar({ uploadsDir, mediaDir, args = [] }) {
  const host = process.env.CIN_TUS_HOST;
  if (!host)
    throw new Error('CIN_TUS_HOST is not set: run the tests with meson test');
  const server = await start('cinnabar', host, ['--uploads', uploadsDir, '--media', mediaDir, ...args]);
  cinnabarProcesses.push(server);
  return server;
}

// The real cinnabar-server (CIN_SERVER), which mounts the same tus at
// /v1/uploads behind its own accounts: a fresh data dir, one account, and
// a signed-in token in @headers for every request.
export async function startCinnabarServer({ dataDir }) {
  const binary = process.env.CIN_SERVER;
  if (!binary)
    throw new Error('CIN_SERVER is not set: run the tests with meson test');
  const password = 'tus test password';
  const created = spawnSync(binary, ['--data-dir', dataDir, '--create-account', 'tus'],
                            { input: `${password}\n`, encoding: 'utf8' });
  if (created.status !== 0)
    throw new Error(`cinnabar-server --create-account failed: ${created.stderr}`);

  const server = await start('cinnabar-server', binary, ['--data-dir', dataDir, '--port', '0']);
  cinnabarProcesses.push(server);
  const body = Buffer.from(JSON.stringify({ handle: 'tus', password }));
  const session = await request(new URL('/v1/session', server.url).href, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
  });
  if (session.status !== 201)
    throw new Error(`signing in to cinnabar-server answered ${session.status}: ${session.body}`);
  server.headers = { Authorization: `Bearer ${JSON.parse(session.body).token}` };
  return server;
}

// The same cinnabar-server started again on its data dir after it was
// stopped or killed; the token it gave is still good.
export async function restartCinnabarServer(previous, { dataDir }) {
  const server = await start('cinnabar-server', process.env.CIN_SERVER, ['--data-dir', dataDir, '--port', '0']);
  cinnabarProcesses.push(server);
  server.headers = previous.headers;
  return server;
}

// A test that every Cinnabar server this program started, killed ones
// included, kept its stderr free of GLib warnings and criticals and of
// sanitizer reports: none of the tests should cause one.
export function addQuietServerTest(tap) {
  tap.test('[cinnabar] the server logged no warning, critical or sanitizer report', async () => {
    for (const server of cinnabarProcesses)
      if (/WARNING|CRITICAL|runtime error|Sanitizer/.test(server.stderr))
        throw new Error(`the server wrote:\n${server.stderr}`);
  });
}

// The reference implementation: @tus/server with its FileStore.
export function startReference({ dir, maxSize }) {
  return start('@tus/server', process.execPath,
    [path.join(here, '..', 'reference-server.mjs'), '--dir', dir, '--max-size', String(maxSize)]);
}
