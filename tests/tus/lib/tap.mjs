// SPDX-License-Identifier: GPL-3.0-or-later
//
// A few lines of TAP for meson: tests run one after another, each with a
// time limit, and the plan comes last. Node 18's own test runner prints
// TAP that differs between versions, so it is not used.

import { inspect } from 'node:util';

export class SkipAll extends Error {}

export class Tap {
  #tests = [];

  constructor({ timeoutMs = 60_000 } = {}) {
    this.timeoutMs = timeoutMs;
  }

  test(name, fn) {
    this.#tests.push({ name, fn });
  }

  static comment(text) {
    for (const line of String(text).split('\n'))
      console.log(`# ${line}`);
  }

  // Runs every test added so far; returns how many failed.
  async run() {
    console.log('TAP version 13');
    let failed = 0;
    let number = 0;
    for (const { name, fn } of this.#tests) {
      number++;
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      const started = Date.now();
      try {
        await Promise.race([fn(), timeout]);
        console.log(`ok ${number} - ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`not ok ${number} - ${name}`);
        Tap.comment(error instanceof Error ? error.stack : inspect(error));
      } finally {
        clearTimeout(timer);
      }
    }
    console.log(`1..${number}`);
    return failed;
  }

  static skipAll(reason) {
    console.log(`1..0 # SKIP ${reason}`);
  }
}

// Runs @main(tap), which adds the tests and may return a function that
// cleans up after them; then exits: 0 when every test passed, 1 otherwise.
// @main may throw SkipAll to skip the whole program with its reason.
export async function runTap(main, options) {
  const tap = new Tap(options);
  let cleanup;
  let failed = 0;
  try {
    cleanup = await main(tap);
  } catch (error) {
    if (error instanceof SkipAll) {
      Tap.skipAll(error.message);
      process.exit(0);
    }
    Tap.comment(error instanceof Error ? error.stack : inspect(error));
    console.log('Bail out! the tests could not start');
    process.exit(1);
  }
  failed = await tap.run();
  if (cleanup)
    await cleanup();
  process.exit(failed > 0 ? 1 : 0);
}
