// Draws images/icon.png (128x128 RGBA): a rounded navy tile with a gold "await" ring (an open circle
// with an arrow head) around a pause-like pair of bars. Pure Node (zlib), so no image tool is needed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = 128;
const SS = 4; // supersampling per axis for anti-aliased edges
const bg = [30, 58, 95];
const gold = [245, 197, 66];
const white = [255, 255, 255];

function roundedRect(x, y, r) {
  const dx = Math.max(Math.abs(x - 64) - (64 - r), 0);
  const dy = Math.max(Math.abs(y - 64) - (64 - r), 0);
  return Math.hypot(dx, dy) <= r;
}
function ring(x, y) {
  const d = Math.hypot(x - 64, y - 64);
  const a = Math.atan2(y - 64, x - 64); // -pi..pi, 0 = east
  return d >= 36 && d <= 46 && !(a > -Math.PI / 2 && a < -Math.PI / 5);
}
function arrow(x, y) {
  // Triangle pointing clockwise at the open end of the ring (top).
  const [ax, ay, bx, by, cx, cy] = [64, 26, 64, 56, 84, 41].map((v, i) => (i % 2 ? v - 15 : v));
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}
function bars(x, y) {
  return y >= 50 && y <= 78 && ((x >= 52 && x <= 60) || (x >= 68 && x <= 76));
}
function sample(x, y) {
  if (!roundedRect(x, y, 22)) return null;
  if (bars(x, y)) return white;
  if (ring(x, y) || arrow(x, y)) return gold;
  return bg;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
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
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(path.join(root, 'images'), { recursive: true });
writeFileSync(path.join(root, 'images/icon.png'), png);
console.log(`images/icon.png: ${png.length} bytes`);
