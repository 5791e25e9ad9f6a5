/**
 * Text-line images for PP-OCRv4 recognition, rendered by code (SVG text through sharp, with the
 * system's fonts): black text on white, cropped to the ink with a small margin and then prepared as
 * PaddleOCR's recognizer prepares a detected box (resize_norm_img): scaled to 48 px high keeping the
 * aspect ratio, squeezed only when wider than 320 px, normalised ((x/255 − 0.5) / 0.5, NCHW) and
 * padded on the right with zeros. So a line is never cut off, whatever the font's width.
 *
 * Fonts: the DejaVu families in Debian's fonts-dejavu-core (installed by .ci/run), in regular, bold
 * and oblique. A family the system lacks would silently fall back to another font, so the
 * list holds only these: the same pixels on every machine with that package. (Lines rendered
 * with fonts that were missing here — Liberation — once fell back to DejaVu Sans and ran past
 * 320 px: the recognizer then read cut-off digits, and its quantized copy misread them differently.)
 * The same lines every time (seeded word choice).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { rowArgmax } from '../../../src/core/diff/pairedRuns';

const WORDS = ['invoice', 'total', 'amount', 'date', 'street', 'London', 'Berlin', 'ONNX', 'model', 'quantize', 'runtime', 'Lens',
  'order', 'number', 'price', 'tax', 'receipt', 'hello', 'world', 'market', 'coffee', 'paper', 'station', 'window', 'garden', 'river'];
const FONTS: { family: string; weight: 'normal' | 'bold'; style: 'normal' | 'oblique' }[] = [
  { family: 'DejaVu Sans', weight: 'normal', style: 'normal' },
  { family: 'DejaVu Serif', weight: 'normal', style: 'normal' },
  { family: 'DejaVu Sans Mono', weight: 'normal', style: 'normal' },
  { family: 'DejaVu Sans', weight: 'bold', style: 'normal' },
  { family: 'DejaVu Serif', weight: 'bold', style: 'normal' },
  { family: 'DejaVu Sans', weight: 'normal', style: 'oblique' },
];

export const REC_HEIGHT = 48;
export const REC_WIDTH = 320;
/** The canvas a line is drawn on before cropping: wide enough for any line of WORDS. */
const CANVAS = { width: 1400, height: 80 };
/** White kept around the ink, in canvas pixels (detected boxes are not tight either). */
const MARGIN = 4;

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

/** One line drawn on the canvas and cropped to its ink plus MARGIN: RGB bytes and the crop's size. */
async function drawLine(text: string, i: number): Promise<{ data: Buffer; width: number; height: number }> {
  const font = FONTS[i % FONTS.length];
  const size = 24 + (i % 4) * 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS.width}" height="${CANVAS.height}"><rect width="100%" height="100%" fill="white"/>` +
    `<text x="${MARGIN + 8}" y="${48 + (i % 3)}" font-size="${size}" font-family="${font.family}" font-weight="${font.weight}" font-style="${font.style}" fill="black">${escapeXml(text)}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [info.width, info.height, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * 3] >= 128) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) throw new Error(`the text line '${text}' rendered no ink (no usable font?)`);
  if (x1 >= info.width - 1) throw new Error(`the text line '${text}' is wider than the ${info.width} px canvas`);
  const left = Math.max(0, x0 - MARGIN);
  const top = Math.max(0, y0 - MARGIN);
  const width = Math.min(info.width, x1 + MARGIN + 1) - left;
  const height = Math.min(info.height, y1 + MARGIN + 1) - top;
  const crop = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).extract({ left, top, width, height }).raw().toBuffer();
  return { data: crop, width, height };
}

export async function renderTextLines(count: number, seed = 1): Promise<TextLines> {
  const texts = lineTexts(count, seed);
  const plane = REC_HEIGHT * REC_WIDTH;
  const x = new Float32Array(count * 3 * plane); // zeros: PaddleOCR's padding
  for (const [i, text] of texts.entries()) {
    const line = await drawLine(text, i);
    const width = Math.min(REC_WIDTH, Math.ceil((REC_HEIGHT * line.width) / line.height));
    const data = await sharp(line.data, { raw: { width: line.width, height: line.height, channels: 3 } })
      .resize(width, REC_HEIGHT, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    for (let c = 0; c < 3; c++) {
      for (let row = 0; row < REC_HEIGHT; row++) {
        for (let col = 0; col < width; col++) x[(i * 3 + c) * plane + row * REC_WIDTH + col] = (data[(row * width + col) * 3 + c] / 255 - 0.5) / 0.5;
      }
    }
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
