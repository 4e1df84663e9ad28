// SPDX-License-Identifier: GPL-3.0-or-later
//
// Test media built in code, never committed: each has the structure the
// server checks. Pixels and samples are pseudo-random, from a seed, so a
// failure can be replayed.

import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export function sha256Hex(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

// xorshift32: the same bytes for the same seed, on every Node version.
export function randomBytes(length, seed = 1) {
  const out = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++)
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes)
    crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u32(value) {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function pngChunk(type, data) {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  return Buffer.concat([u32(data.length), typed, u32(crc32(typed))]);
}

// A decodable RGB PNG of noise (noise does not compress, so the file size
// follows width × height).
export function png(width, height, seed = 1) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  const noise = randomBytes(width * 3 * height, seed);
  for (let y = 0; y < height; y++)
    rows.push(Buffer.from([0]), noise.subarray(y * width * 3, (y + 1) * width * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// JPEG segments around entropy-coded data with its 0xFF bytes stuffed.
export function jpeg(scanBytes, seed = 2) {
  const segment = (marker, length) => Buffer.concat([
    Buffer.from([0xff, marker, (length + 2) >> 8, (length + 2) & 0xff]),
    randomBytes(length, seed + marker),
  ]);
  const scan = [];
  for (const byte of randomBytes(scanBytes, seed))
    scan.push(byte, ...(byte === 0xff ? [0x00] : []));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    Buffer.from([0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'ascii'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, 65), segment(0xc0, 15), segment(0xc4, 29), segment(0xda, 10),
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function box(type, payload) {
  return Buffer.concat([u32(payload.length + 8), Buffer.from(type, 'ascii'), payload]);
}

// ISO base media: ftyp (with @brand), moov, and an mdat of @mdatBytes.
export function mp4(mdatBytes, { brand = 'isom', seed = 3 } = {}) {
  return Buffer.concat([
    box('ftyp', Buffer.concat([Buffer.from(brand, 'ascii'), u32(0x200),
                               Buffer.from(`${brand}isom`, 'ascii')])),
    box('moov', randomBytes(100, seed + 1)),
    box('mdat', randomBytes(mdatBytes, seed)),
  ]);
}
