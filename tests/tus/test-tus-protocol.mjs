// SPDX-License-Identifier: GPL-3.0-or-later
//
// One black-box tus 1.0 suite (lib/protocol-suite.mjs), run in the same
// program against Cinnabar's tus (in its test host, and mounted in the
// real cinnabar-server behind its accounts) and against the reference
// server, @tus/server with its FileStore: a test that passes on one and
// fails on another points at a difference from the protocol.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadNodeDeps } from './lib/node-deps.mjs';
import { addProtocolTests } from './lib/protocol-suite.mjs';
import { addQuietServerTest, startCinnabar, startCinnabarServer, startReference } from './lib/servers.mjs';
import { runTap } from './lib/tap.mjs';

await runTap(async (tap) => {
  await loadNodeDeps();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cin-tus-protocol-'));
  const cinnabar = await startCinnabar({
    uploadsDir: path.join(root, 'uploads'),
    mediaDir: path.join(root, 'media'),
    args: ['--token', 'protocol-token=protocol'],
  });
  const server = await startCinnabarServer({ dataDir: path.join(root, 'server') });
  const reference = await startReference({ dir: path.join(root, 'reference'), maxSize: 20 * 1024 * 1024 });

  addProtocolTests(tap, 'cinnabar', cinnabar, { headers: { Authorization: 'Bearer protocol-token' } });
  addProtocolTests(tap, 'cinnabar-server', server, { headers: server.headers });
  addProtocolTests(tap, '@tus/server', reference, {
    deviations: {
      wrongContentType: { status: 400, why: 'it answers a wrong Content-Type with 400, as any invalid header' },
      otherVersion: { status: 400, why: 'it answers an unknown Tus-Resumable with 400, as any invalid header' },
      tusVersionOn412: { why: 'its 412 for a missing Tus-Resumable has no Tus-Version header' },
    },
  });

  addQuietServerTest(tap);

  return async () => {
    await Promise.all([cinnabar.stop(), server.stop(), reference.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  };
});
