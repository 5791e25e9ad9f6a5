/**
 * Graph overlays as data: per-node values keyed by node name, with a label, a unit and a colour
 * scale (docs/overlay-format.md). The profile's time and the quantization error are built in this
 * shape, and a user loads their own from a JSON file — either this format or Model Explorer's
 * "node data" JSON (`{"results": {"<node>": {"value": 1.5}}}`, optionally under a graph id).
 *
 * Pure: no I/O. Errors are one sentence naming the file.
 */
import { OnnxLensError } from './errors';

export const OVERLAY_FORMAT = 'onnx-lens.overlay/1';

export type OverlayScale = 'log' | 'linear';

export interface OverlayData {
  label: string;
  /** 'µs', 'ms', '%', 'B', '' (a plain number), or any short unit text. */
  unit: string;
  scale: OverlayScale;
  /** A collapsed group's value: the sum of its nodes' (times, sizes) or the largest (errors, scores). */
  aggregate: 'sum' | 'max';
  /** Node name → value. Non-finite values are dropped. */
  values: Map<string, number>;
  /** Node name → a short note shown on hover (e.g. "fused into conv1"); nodes may have a note and no value. */
  notes: Map<string, string>;
}

/** Limits that keep a hostile file from costing more than a large model would. */
const MAX_LABEL = 120;
const MAX_UNIT = 16;
const MAX_NOTE = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortText(v: unknown, max: number): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

/** The JSON text of an overlay in this project's format (what `parseOverlay` reads back). */
export function overlayToJson(data: OverlayData): string {
  return `${JSON.stringify({
    format: OVERLAY_FORMAT,
    label: data.label,
    unit: data.unit,
    scale: data.scale,
    aggregate: data.aggregate,
    values: Object.fromEntries(data.values),
    ...(data.notes.size ? { notes: Object.fromEntries(data.notes) } : {}),
  }, null, 2)}\n`;
}

/** Reads an overlay from JSON text; `file` names it in errors and gives the default label. */
export function parseOverlay(text: string, file: string): OverlayData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OnnxLensError(file, `is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(json)) throw new OnnxLensError(file, 'is not an overlay: expected a JSON object with "values" (node name → number).');
  const fallbackLabel = file.split(/[\\/]/).pop()!.replace(/\.json$/i, '');
  if ('values' in json) return ownFormat(json, file, fallbackLabel);
  const explorer = modelExplorerResults(json);
  if (explorer) return fromModelExplorer(explorer, file, fallbackLabel);
  throw new OnnxLensError(file, 'is not an overlay: it has neither "values" (node name → number) nor Model Explorer\'s "results".');
}

function ownFormat(json: Record<string, unknown>, file: string, fallbackLabel: string): OverlayData {
  if (json.format !== undefined && json.format !== OVERLAY_FORMAT) {
    throw new OnnxLensError(file, `has format '${String(json.format).slice(0, 40)}'; this version reads '${OVERLAY_FORMAT}'.`);
  }
  if (!isRecord(json.values)) throw new OnnxLensError(file, 'has "values" that is not an object of node name → number.');
  const scale = json.scale ?? 'log';
  if (scale !== 'log' && scale !== 'linear') throw new OnnxLensError(file, `has scale '${String(scale).slice(0, 20)}'; use "log" or "linear".`);
  const aggregate = json.aggregate ?? 'max';
  if (aggregate !== 'sum' && aggregate !== 'max') throw new OnnxLensError(file, `has aggregate '${String(aggregate).slice(0, 20)}'; use "sum" or "max".`);
  const values = new Map<string, number>();
  for (const [name, v] of Object.entries(json.values)) {
    if (typeof v !== 'number' && v !== null) throw new OnnxLensError(file, `has a value for node '${name.slice(0, 80)}' that is not a number.`);
    if (typeof v === 'number' && Number.isFinite(v)) values.set(name, v);
  }
  const notes = new Map<string, string>();
  if (isRecord(json.notes)) for (const [name, note] of Object.entries(json.notes)) {
    const text = shortText(note, MAX_NOTE);
    if (text) notes.set(name, text);
  }
  return { label: shortText(json.label, MAX_LABEL) || fallbackLabel, unit: shortText(json.unit, MAX_UNIT) ?? '', scale, aggregate, values, notes };
}

/** Model Explorer node data: `{results}` or `{<graphId>: {results}}` (the first graph's). */
function modelExplorerResults(json: Record<string, unknown>): Record<string, unknown> | null {
  if (isRecord(json.results)) return json.results;
  for (const v of Object.values(json)) if (isRecord(v) && isRecord(v.results)) return v.results;
  return null;
}

function fromModelExplorer(results: Record<string, unknown>, file: string, label: string): OverlayData {
  const values = new Map<string, number>();
  for (const [name, entry] of Object.entries(results)) {
    const v = isRecord(entry) ? entry.value : entry;
    if (typeof v === 'number' && Number.isFinite(v)) values.set(name, v);
  }
  if (values.size === 0) throw new OnnxLensError(file, 'has Model Explorer "results" but no numeric "value" in them.');
  // Model Explorer's values are often signed or linear (differences, ranks): colour them linearly.
  return { label, unit: '', scale: 'linear', aggregate: 'max', values, notes: new Map() };
}
