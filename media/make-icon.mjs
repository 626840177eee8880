// Draws media/icon.png (128x128): code lines on a dark tile, with the "hole" in the middle line filled
// in a bright accent colour and a cursor bar after it. No image libraries: raw RGBA rows, zlib, PNG chunks.
// usage: node media/make-icon.mjs
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { fileURLToPath } from 'url';

const SIZE = 128;
const px = new Uint8Array(SIZE * SIZE * 4);

function blend(x, y, [r, g, b], a = 1) {
  if (x < 0 || y < 0 || x >= SIZE || y >= SIZE || a <= 0) return;
  const i = (y * SIZE + x) * 4;
  const da = px[i + 3] / 255, oa = a + da * (1 - a);
  for (const [k, c] of [[0, r], [1, g], [2, b]]) px[i + k] = Math.round((c * a + px[i + k] * da * (1 - a)) / (oa || 1));
  px[i + 3] = Math.round(oa * 255);
}

// Anti-aliased rounded rectangle (coverage by 4x4 supersampling).
function roundRect(x0, y0, x1, y1, radius, color) {
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
        const fx = x + (sx + 0.5) / 4, fy = y + (sy + 0.5) / 4;
        if (fx < x0 || fx > x1 || fy < y0 || fy > y1) continue;
        const cx = Math.min(Math.max(fx, x0 + radius), x1 - radius), cy = Math.min(Math.max(fy, y0 + radius), y1 - radius);
        if ((fx - cx) ** 2 + (fy - cy) ** 2 <= radius ** 2) hits++;
      }
      blend(x, y, color, hits / 16);
    }
  }
}

const tile = [24, 30, 48], code = [122, 138, 170], fill = [94, 234, 212], cursor = [255, 255, 255];
roundRect(4, 4, 124, 124, 22, tile);
const bar = (x0, x1, y, color) => roundRect(x0, y, x1, y + 10, 5, color);
bar(20, 72, 24, code); bar(80, 104, 24, code);
bar(32, 60, 44, code); bar(68, 108, 44, code);
bar(32, 52, 64, code); bar(58, 96, 64, fill); roundRect(99, 58, 104, 80, 2, cursor);   // the filled-in middle
bar(32, 84, 84, code);
bar(20, 44, 104, code);

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0); header.writeUInt32BE(SIZE, 4);
header[8] = 8; header[9] = 6; // 8-bit RGBA
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) Buffer.from(px.buffer, y * SIZE * 4, SIZE * 4).copy(raw, y * (SIZE * 4 + 1) + 1);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
