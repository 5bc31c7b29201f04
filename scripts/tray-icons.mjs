#!/usr/bin/env node
/**
 * Draws the tray icons in static/tray/ (committed; run again only to change the design):
 * a film frame with a play mark, and a busy variant with a progress arc. macOS gets black
 * template images (the menu bar tints them for light and dark); Linux gets one image per
 * theme. PNGs are written by hand with zlib so no image library is needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'static', 'tray');
const buildDir = path.join(root, 'build');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of the glyph at (x, y) in a unit square: frame outline, play triangle, busy arc. */
function covered(x, y, busy) {
  const inRect = (x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const frame = inRect(0.06, 0.16, 0.94, 0.84) && !inRect(0.14, 0.24, 0.86, 0.76);
  const sprockets = [0.3, 0.5, 0.7].some(
    (cx) => inRect(cx - 0.04, 0.08, cx + 0.04, 0.14) || inRect(cx - 0.04, 0.86, cx + 0.04, 0.92),
  );
  // Play triangle pointing right, centred in the frame.
  const play = x >= 0.4 && x <= 0.64 && Math.abs(y - 0.5) <= (0.64 - x) * 0.6;
  if (!busy) return frame || sprockets || play;
  // Busy: the triangle gives way to three quarters of a ring, like a spinner.
  const r = Math.hypot(x - 0.5, y - 0.5);
  const angle = Math.atan2(y - 0.5, x - 0.5);
  const ring = r >= 0.12 && r <= 0.2 && angle > -Math.PI / 2 + 0.35;
  return frame || sprockets || ring;
}

function draw(size, busy, [r, g, b]) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++)
          if (covered((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size, busy)) hits++;
      rgba.set([r, g, b, Math.round((255 * hits) / samples ** 2)], (y * size + x) * 4);
    }
  }
  return png(size, rgba);
}

/** The app icon (build/icon.png, 1024 px; electron-builder makes the .icns from it): the glyph on a rounded tile. */
function drawAppIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const inset = 0.1;
  const radius = 0.18;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // Rounded square tile, 10% margin as macOS icons have.
      const dx = Math.max(inset + radius - u, 0, u - (1 - inset - radius));
      const dy = Math.max(inset + radius - v, 0, v - (1 - inset - radius));
      const inTile = u >= inset && u <= 1 - inset && v >= inset && v <= 1 - inset && Math.hypot(dx, dy) <= radius;
      if (!inTile) continue;
      // The glyph fills the middle 60% of the tile.
      const gu = (u - 0.2) / 0.6;
      const gv = (v - 0.2) / 0.6;
      const onGlyph = gu >= 0 && gu <= 1 && gv >= 0 && gv <= 1 && covered(gu, gv, false);
      const shade = Math.round(40 + 30 * v);
      rgba.set(onGlyph ? [0xf5, 0xc5, 0x18, 255] : [shade, shade, shade + 10, 255], (y * size + x) * 4);
    }
  }
  return png(size, rgba);
}

const black = [0, 0, 0];
const images = {
  'trayTemplate.png': draw(16, false, black),
  'trayTemplate@2x.png': draw(32, false, black),
  'trayBusyTemplate.png': draw(16, true, black),
  'trayBusyTemplate@2x.png': draw(32, true, black),
  // Linux panels: a dark glyph on light themes, a light one on dark themes.
  'tray-light.png': draw(32, false, [0x22, 0x22, 0x22]),
  'tray-dark.png': draw(32, false, [0xee, 0xee, 0xee]),
  'tray-busy-light.png': draw(32, true, [0x22, 0x22, 0x22]),
  'tray-busy-dark.png': draw(32, true, [0xee, 0xee, 0xee]),
};
fs.mkdirSync(outDir, { recursive: true });
for (const [name, image] of Object.entries(images)) fs.writeFileSync(path.join(outDir, name), image);
console.log(`wrote ${Object.keys(images).length} tray icons to ${outDir}`);
fs.writeFileSync(path.join(buildDir, 'icon.png'), drawAppIcon(1024));
console.log(`wrote the app icon to ${path.join(buildDir, 'icon.png')}`);
