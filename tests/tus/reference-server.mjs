// SPDX-License-Identifier: GPL-3.0-or-later
//
// The tus reference server, @tus/server with @tus/file-store, on
// 127.0.0.1 and a free port, mounted where Cinnabar mounts its own, so
// the same black-box tests run against both:
//
//   node reference-server.mjs --dir DIR --max-size BYTES
//
// Prints "listening on http://127.0.0.1:PORT/" when ready.

import http from 'node:http';
import { parseArgs } from 'node:util';

import { loadNodeDeps } from './lib/node-deps.mjs';
import { TUS_PREFIX } from './lib/servers.mjs';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, 'max-size': { type: 'string' } },
});
const require = await loadNodeDeps();
const { Server } = require('@tus/server');
const { FileStore } = require('@tus/file-store');

const tus = new Server({
  path: TUS_PREFIX,
  datastore: new FileStore({ directory: values.dir }),
  maxSize: Number(values['max-size']),
});
const server = http.createServer((req, res) => tus.handle(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
