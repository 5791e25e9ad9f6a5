/**
 * Text-line images for PP-OCRv4 recognition, rendered by code (SVG text through sharp, with the
 * system's fonts): black text on white, 48 px high, 320 px wide, normalised as PaddleOCR does
 * ((x/255 − 0.5) / 0.5, NCHW). The same lines every time (seeded word choice).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { rowArgmax } from '../../../src/core/quantize/compare';

const WORDS = ['invoice', 'total', 'amount', 'date', 'street', 'London', 'Berlin', 'ONNX', 'model', 'quantize', 'runtime', 'Lens',
  'order', 'number', 'price', 'tax', 'receipt', 'hello', 'world', 'market', 'coffee', 'paper', 'station', 'window', 'garden', 'river'];
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'Liberation Serif', 'DejaVu Sans Mono'];

export const REC_HEIGHT = 48;
export const REC_WIDTH = 320;

export interface TextLines {
  texts: string[];
  /** [count, 3, 48, 320] */
  x: Float32Array;
  count: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

export function lineTexts(count: number, seed = 1): string[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 2 + Math.floor(next() * 2) }, () => WORDS[Math.floor(next() * WORDS.length)]);
    if (next() < 0.5) words.push(String(Math.floor(next() * 100000)));
    return words.join(' ');
  });
}

export async function renderTextLines(count: number, seed = 1): Promise<TextLines> {
  const texts = lineTexts(count, seed);
  const plane = REC_HEIGHT * REC_WIDTH;
  const x = new Float32Array(count * 3 * plane);
  for (const [i, text] of texts.entries()) {
    const font = FONTS[i % FONTS.length];
    const size = 24 + (i % 4) * 2;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${REC_WIDTH}" height="${REC_HEIGHT}"><rect width="100%" height="100%" fill="white"/>` +
      `<text x="${4 + (i % 3) * 3}" y="${30 + (i % 3)}" font-size="${size}" font-family="${font}" fill="black">${escapeXml(text)}</text></svg>`;
    const data = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
    for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) x[(i * 3 + c) * plane + p] = (data[p * 3 + c] / 255 - 0.5) / 0.5;
  }
  return { texts, x, count };
}

/** Per step: the arg-max class of [N, T, C] scores. */
export function stepClasses(scores: Float32Array, classes: number): Int32Array {
  return rowArgmax(scores, classes, scores.length / classes);
}

/** CTC greedy decoding with PP-OCR's key file (class 0 is the blank; class k is line k of the keys, k ≥ 1; the last class is a space). */
export function ctcDecode(classes: Int32Array, steps: number, keysFile: string): string[] {
  const keys = fs.readFileSync(keysFile, 'utf8').split('\n');
  const lines: string[] = [];
  for (let s = 0; s < classes.length / steps; s++) {
    let text = '';
    let prev = 0;
    for (let t = 0; t < steps; t++) {
      const k = classes[s * steps + t];
      if (k !== 0 && k !== prev) text += k - 1 < keys.length && keys[k - 1] !== '' ? keys[k - 1] : ' ';
      prev = k;
    }
    lines.push(text.trim());
  }
  return lines;
}

export function keysFileNextTo(model: string): string {
  return path.join(path.dirname(model), 'ppocr_keys_v1.txt');
}
