// Draws media/icon.png (128×128 RGBA): a heatmap grid like the extension's embedding view — rows are
// tokens, columns are embedding dimensions, coloured with a blue–white–red diverging scale — on a
// rounded dark tile. Deterministic, no dependencies: PNG chunks are written by hand through zlib.
// Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Diverging scale: -1 → blue, 0 → near white, +1 → red (like the heatmaps). */
function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  const lerp = (a, b, f) => Math.round(a + (b - a) * f);
  const white = [240, 240, 236];
  const blue = [38, 99, 196];
  const red = [214, 54, 48];
  const end = t < 0 ? blue : red;
  const f = Math.abs(t);
  return [lerp(white[0], end[0], f), lerp(white[1], end[1], f), lerp(white[2], end[2], f)];
}

/** Smooth-ish pseudo-embedding values: a few sinusoids, so neighbouring cells relate like real rows. */
function value(row, col) {
  return 0.6 * Math.sin(1.7 * row + 0.9 * col) + 0.35 * Math.cos(0.55 * row * col + 1.3) + 0.25 * Math.sin(2.9 * col - 0.4 * row);
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
const set = (x, y, [r, g, b], a = 255) => {
  const i = (y * SIZE + x) * 4;
  rgba[i] = r;
  rgba[i + 1] = g;
  rgba[i + 2] = b;
  rgba[i + 3] = a;
};

// Rounded tile with 1-px anti-aliased corners.
const radius = 22;
const inTile = (x, y) => {
  const cx = Math.min(Math.max(x + 0.5, radius), SIZE - radius);
  const cy = Math.min(Math.max(y + 0.5, radius), SIZE - radius);
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
  return Math.max(0, Math.min(1, radius - d + 0.5));
};
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const cover = inTile(x, y);
    set(x, y, [30, 32, 40], Math.round(255 * cover));
  }
}

// 6 token rows × 8 dimension columns; the first column is a brighter "token id" strip.
const rows = 6;
const cols = 8;
const margin = 16;
const gap = 3;
const cell = Math.floor((SIZE - 2 * margin - (cols - 1) * gap) / cols);
const gridW = cols * cell + (cols - 1) * gap;
const gridH = rows * cell + (rows - 1) * gap;
const x0 = Math.floor((SIZE - gridW) / 2);
const y0 = Math.floor((SIZE - gridH) / 2);
for (let r = 0; r < rows; r++) {
  for (let c = 0; c < cols; c++) {
    const color = c === 0 ? [250, 204, 72] : diverging(value(r, c));
    const px = x0 + c * (cell + gap);
    const py = y0 + r * (cell + gap);
    for (let y = py; y < py + cell; y++) for (let x = px; x < px + cell; x++) set(x, y, color);
  }
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
