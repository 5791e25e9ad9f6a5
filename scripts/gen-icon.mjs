#!/usr/bin/env node
// Draws the extension's icon (media/icon.png, 256×256, the Marketplace's size) from the SVG below:
// a small model graph seen through a lens. Rendered with sharp (librsvg inside libvips), so the PNG
// is reproducible: `node scripts/gen-icon.mjs`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'media', 'icon.png');

const node = (x, y, fill) => `<rect x="${x - 26}" y="${y - 13}" width="52" height="26" rx="7" fill="${fill}"/>`;
const edge = (x1, y1, x2, y2) => `<path d="M${x1} ${y1} C ${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}" stroke="#9fd3ff" stroke-width="6" fill="none" stroke-linecap="round"/>`;

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#0b3d66"/>
      <stop offset="1" stop-color="#0a1f3a"/>
    </linearGradient>
    <radialGradient id="glass" cx="0.4" cy="0.35" r="0.75">
      <stop offset="0" stop-color="#ffffff" stop-opacity="0.28"/>
      <stop offset="1" stop-color="#ffffff" stop-opacity="0.06"/>
    </radialGradient>
    <clipPath id="lens"><circle cx="176" cy="168" r="42"/></clipPath>
  </defs>
  <rect width="256" height="256" rx="52" fill="url(#bg)"/>
  ${edge(76, 56, 46, 116)}${edge(76, 56, 106, 116)}${edge(46, 116, 76, 176)}${edge(106, 116, 76, 176)}
  ${node(76, 52, '#4fb3ff')}${node(46, 116, '#7ee0c3')}${node(106, 116, '#ffb454')}${node(76, 180, '#4fb3ff')}
  <circle cx="176" cy="168" r="48" fill="url(#glass)"/>
  <g clip-path="url(#lens)">
    <path d="M176 110 V 150 M176 186 V 226" stroke="#9fd3ff" stroke-width="9"/>
    <rect x="145" y="151" width="62" height="34" rx="9" fill="#ffb454"/>
  </g>
  <circle cx="176" cy="168" r="48" fill="none" stroke="#ffffff" stroke-width="13"/>
  <line x1="211" y1="203" x2="234" y2="226" stroke="#ffffff" stroke-width="20" stroke-linecap="round"/>
</svg>`;

await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(out);
console.log(`wrote ${path.relative(root, out)}`);
