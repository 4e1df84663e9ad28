// SPDX-License-Identifier: GPL-3.0-or-later
//
// The npm packages the tus tests run against (@tus/server, @tus/file-store,
// tus-js-client, pinned by package-lock.json beside this folder) are
// installed with `npm ci` into the build dir, once per build dir and lock
// file: the first test to get here installs while the others wait. npm's
// own cache (~/.npm) serves a second build dir without the network. Only
// when the install is impossible do the tests skip, saying why.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SkipAll } from './tap.mjs';

const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCK_WAIT_MS = 10 * 60_000;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function lockHash() {
  const hash = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json'])
    hash.update(fs.readFileSync(path.join(sourceDir, name)));
  return hash.digest('hex');
}

function readStamp(stampPath) {
  try {
    return fs.readFileSync(stampPath, 'utf8').trim();
  } catch {
    return null;
  }
}

// mkdir is atomic: whoever creates the folder installs. A lock left by a
// killed test run is taken over once its owner is gone.
async function withInstallLock(lockPath, fn) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockPath);
      fs.writeFileSync(path.join(lockPath, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST')
        throw error;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockPath, 'pid'), 'utf8'));
      } catch {}
      let ownerAlive = true;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
        } catch {
          ownerAlive = false;
        }
      }
      if (!ownerAlive)
        fs.rmSync(lockPath, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`waited too long for another npm install (${lockPath})`);
      else
        await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { recursive: true, force: true });
  }
}

function install(installDir) {
  const npm = process.env.CIN_TUS_NPM || 'npm';
  fs.mkdirSync(installDir, { recursive: true });
  for (const name of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(sourceDir, name), path.join(installDir, name));
  const result = spawnSync(npm,
    ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', '--prefer-offline'],
    { cwd: installDir, encoding: 'utf8', timeout: 5 * 60_000 });
  if (result.error)
    throw new SkipAll(`cannot run npm (${result.error.message}): install nodejs and npm`);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-5).join(' | ');
    throw new SkipAll(`npm ci failed, offline with an empty npm cache? ${output}`);
  }
}

// A require() that loads from the installed packages.
export async function loadNodeDeps() {
  const installDir = process.env.CIN_TUS_NODE_DIR;
  if (!installDir)
    throw new Error('CIN_TUS_NODE_DIR is not set: run the tests with meson test');
  const stampPath = path.join(installDir, 'node_modules', '.cinnabar-lock-sha256');
  const wanted = lockHash();

  if (readStamp(stampPath) !== wanted) {
    fs.mkdirSync(path.dirname(installDir), { recursive: true });
    await withInstallLock(path.join(path.dirname(installDir), `${path.basename(installDir)}.lock`), () => {
      if (readStamp(stampPath) === wanted)
        return;
      install(installDir);
      fs.writeFileSync(stampPath, `${wanted}\n`);
    });
  }
  return createRequire(path.join(installDir, 'package.json'));
}
