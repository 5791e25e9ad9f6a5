/**
 * Pictures of models' first views, kept by the host so that the next page of a model shows its
 * graph with the page's HTML, before the page's script has loaded (docs/opening-a-model.md, step 8).
 * In code-server, VS Code takes 0.3–0.5 s from the click to the page's script, and 0.2–0.3 s to
 * the page's document: a picture in the HTML is painted then.
 *
 * A page without saved state sends the PNG of its graph canvas's first frame (FirstViewMessage);
 * it is kept in a file per model path, with the model file's size and modification time then. A
 * picture is given out only while the file still has them; the page checks the rest (its size,
 * pixel ratio and theme, and, once the structure arrives, the structure's key) and drops the
 * picture otherwise. One JSON file per model, read synchronously: the editor's HTML is made in
 * `resolveCustomEditor`, which VS Code waits for (a 100 KB file is read in well under 1 ms).
 *
 * No `vscode` import: unit tests use it as it is.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FirstViewGeometry, FirstViewPlace } from '../shared/protocol';

/** Bump when what is kept, or what a page does with it, changes. */
const FIRST_VIEW_VERSION = 1;
/** The most recently used pictures kept. */
const MAX_FILES = 48;
/**
 * A larger picture is not kept: the page's HTML carries it as base64 through VS Code's webview
 * channel, and a big canvas of a dense view would cost the page more than it saves.
 */
export const MAX_PICTURE_BYTES = 1024 * 1024;

/** A picture to put into a page: where it goes, and the PNG as base64. */
export interface FirstView extends FirstViewPlace {
  pngBase64: string;
}

interface StoredFirstView extends FirstView {
  version: number;
  /** The extension's version that drew it: another one may lay the graph out or draw it otherwise. */
  drawnBy: string;
  /** The model file when the picture was taken. */
  model: { path: string; size: number; mtimeMs: number };
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isSize = (value: unknown): boolean => isNumber(value) && value > 0 && value < 100_000;
/** Keys, theme ids and the picture go into the page's HTML: only the characters they are made of. */
const PLAIN = /^[\w|.\-: ]{0,200}$/;
/** A theme id is any name a theme has (it goes into the inline script as a JSON string): no markup, no control characters. */
const THEME_ID = /^[^<>\u0000-\u001f]{0,300}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether `value` is a FirstViewPlace with sane values (it comes from a page). */
export function isFirstViewPlace(value: unknown): value is FirstViewPlace {
  if (!isFirstViewGeometry(value)) return false;
  const v = value as Partial<FirstViewPlace>;
  return typeof v.structureKey === 'string' && PLAIN.test(v.structureKey) && typeof v.themeId === 'string' && THEME_ID.test(v.themeId)
    && isNumber(v.devicePixelRatio) && v.devicePixelRatio > 0 && v.devicePixelRatio <= 8;
}

/** Whether `value` has a canvas rect and a page size with sane values. */
function isFirstViewGeometry(value: unknown): value is FirstViewGeometry {
  if (typeof value !== 'object' || value === null) return false;
  const { rect, page } = value as Partial<FirstViewGeometry>;
  return typeof rect === 'object' && rect !== null && isNumber(rect.left) && isNumber(rect.top) && isSize(rect.width) && isSize(rect.height)
    && typeof page === 'object' && page !== null && isSize(page.width) && isSize(page.height);
}

function geometryOf({ rect, page }: FirstViewGeometry): FirstViewGeometry {
  return { rect: { left: rect.left, top: rect.top, width: rect.width, height: rect.height }, page: { width: page.width, height: page.height } };
}

function placeOf(v: FirstViewPlace): FirstViewPlace {
  const { structureKey, devicePixelRatio, themeId } = v;
  return { structureKey, ...geometryOf(v), devicePixelRatio, themeId };
}

/** Writes `text` to a temp file and renames it to `file`: a reader never sees half. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.promises.writeFile(temp, text);
    await fs.promises.rename(temp, file);
  } finally {
    await fs.promises.rm(temp, { force: true });
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Where the last page drew its graph canvas, beside the pictures (not a `.json`: pruning keeps it). */
const GEOMETRY_FILE = 'last-geometry';

export class FirstViewStore {
  /** What `lastGeometry` gives out: read from its file once, then kept by `put`. */
  private geometry: FirstViewGeometry | null | undefined;

  /** `drawnBy`: the extension's version; a picture another version drew is not given out. */
  constructor(
    readonly folder: string,
    private readonly drawnBy: string,
    private readonly maxFiles = MAX_FILES,
  ) {}

  /**
   * Where the last page without saved state drew its graph canvas (of any model), or null: a first
   * open's page draws the view the analysis process laid out there if it has that page's size (a
   * new page of the same editor area lays itself out the same). Synchronous, as `get`.
   */
  lastGeometry(): FirstViewGeometry | null {
    if (this.geometry === undefined) {
      try {
        const stored: unknown = JSON.parse(fs.readFileSync(path.join(this.folder, GEOMETRY_FILE), 'utf8'));
        this.geometry = isFirstViewGeometry(stored) ? geometryOf(stored) : null;
      } catch {
        this.geometry = null;
      }
    }
    return this.geometry;
  }

  /**
   * The picture kept for the model at `modelPath`, if the file has the size and modification time
   * it had then; undefined otherwise (none, another file, a damaged entry). Synchronous (see above).
   */
  get(modelPath: string): FirstView | undefined {
    const file = this.fileFor(modelPath);
    let stored: Partial<StoredFirstView>;
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredFirstView>;
    } catch {
      return undefined;
    }
    const { model, pngBase64 } = stored;
    if (stored.version !== FIRST_VIEW_VERSION || stored.drawnBy !== this.drawnBy || !model || model.path !== modelPath || typeof pngBase64 !== 'string' || !BASE64.test(pngBase64) || !isFirstViewPlace(stored)) return undefined;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(modelPath, { throwIfNoEntry: false });
    } catch {
      return undefined; // unreadable: the editor opens without a picture, and says why as it reads the model
    }
    if (!stat || stat.size !== model.size || stat.mtimeMs !== model.mtimeMs) return undefined;
    // Most recently used: the oldest are the ones `put` drops.
    const now = new Date();
    fs.promises.utimes(file, now, now).catch(() => undefined);
    return { ...placeOf(stored), pngBase64 };
  }

  /**
   * Keeps `png` as the model's first view (replacing the one before), stamped with the model file's
   * size and modification time now. Written to a temp file and renamed: a reader never sees half.
   * Refuses what is not a PNG or is larger than MAX_PICTURE_BYTES.
   */
  async put(modelPath: string, place: FirstViewPlace, png: Uint8Array): Promise<void> {
    if (!isFirstViewPlace(place)) throw new Error('not a first view: its place is malformed');
    this.geometry = geometryOf(place);
    if (png.byteLength > MAX_PICTURE_BYTES) return;
    if (png.byteLength < PNG_SIGNATURE.length || !PNG_SIGNATURE.equals(Buffer.from(png.buffer, png.byteOffset, PNG_SIGNATURE.length))) throw new Error('not a first view: the picture is not a PNG');
    const stat = await fs.promises.stat(modelPath);
    const stored: StoredFirstView = {
      version: FIRST_VIEW_VERSION,
      drawnBy: this.drawnBy,
      model: { path: modelPath, size: stat.size, mtimeMs: stat.mtimeMs },
      ...placeOf(place),
      pngBase64: Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64'),
    };
    await fs.promises.mkdir(this.folder, { recursive: true });
    await writeWhole(this.fileFor(modelPath), JSON.stringify(stored));
    await writeWhole(path.join(this.folder, GEOMETRY_FILE), JSON.stringify(this.geometry));
    await this.prune();
  }

  private fileFor(modelPath: string): string {
    return path.join(this.folder, `${createHash('sha1').update(modelPath).digest('hex')}.json`);
  }

  /** Drops the least recently used pictures beyond the limit (and temp files a crash left). */
  private async prune(): Promise<void> {
    const names = await fs.promises.readdir(this.folder);
    const entries = await Promise.all(names.map(async (name) => {
      const file = path.join(this.folder, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      return { file, name, mtimeMs: stat?.mtimeMs ?? 0 };
    }));
    const stale = Date.now() - 60_000;
    const temps = entries.filter((e) => e.name.endsWith('.tmp') && e.mtimeMs < stale);
    const kept = entries.filter((e) => e.name.endsWith('.json')).sort((a, b) => b.mtimeMs - a.mtimeMs);
    await Promise.all([...temps, ...kept.slice(this.maxFiles)].map((e) => fs.promises.rm(e.file, { force: true })));
  }
}
