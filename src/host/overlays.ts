/**
 * Graph overlays for the webview: OverlayData (node name → value, src/core/overlayFile.ts) turned
 * into per-node arrays in payload order. Built-in overlays (profile time, quantization error) and
 * overlays loaded from a JSON file all go through here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxLensError } from '../core/errors';
import { parseOverlay, type OverlayData } from '../core/overlayFile';
import type { QuantReport } from '../shared/quantReport';
import type { ProfileResult } from '../shared/runtimeTypes';
import type { GraphPayload } from '../shared/graphPayload';
import type { HostPushMessage, OverlayMessage } from '../shared/protocol';

/** Per-node values for a graph overlay, from values keyed by node name (NaN where a node has none). */
export function valuesByNode(payload: GraphPayload, byName: Iterable<readonly [string, number]>): Float64Array {
  return overlayArrays(payload, byName, []).values;
}

function overlayArrays(payload: GraphPayload, byName: Iterable<readonly [string, number]>, notesByName: Iterable<readonly [string, string]>) {
  const values = new Float64Array(payload.nodeCount).fill(NaN);
  const index = new Map(payload.nodeNames.map((name, i) => [name, i]));
  let matched = 0;
  const unmatched: string[] = [];
  for (const [name, value] of byName) {
    const i = index.get(name);
    if (i === undefined) unmatched.push(name);
    else {
      values[i] = value;
      matched++;
    }
  }
  const notes: Record<number, string> = {};
  for (const [name, note] of notesByName) {
    const i = index.get(name);
    if (i !== undefined) notes[i] = note;
  }
  return { values, notes, matched, unmatched };
}

export interface BuiltOverlay {
  message: OverlayMessage;
  /** Values that landed on a node. */
  matched: number;
  /** Names in the data that no node of the model has (first few, for the message). */
  unmatched: string[];
}

export function overlayMessage(payload: GraphPayload, channel: string, data: OverlayData): BuiltOverlay {
  const { values, notes, matched, unmatched } = overlayArrays(payload, data.values, data.notes);
  return { message: { type: 'overlay', channel, label: data.label, unit: data.unit, scale: data.scale, aggregate: data.aggregate, values, notes }, matched, unmatched };
}

/** The profile as the graph's 'time' overlay: µs per node, and a note on nodes folded into another's kernel. */
export function timeOverlay(profile: ProfileResult, payload: GraphPayload): OverlayMessage {
  const notes = new Map(Object.entries(profile.fusedInto).map(([node, into]) => [node, `fused into ${into} by onnxruntime: the time is there`]));
  return overlayMessage(payload, 'time', { label: 'Time per node (ORT profile)', unit: 'µs', scale: 'log', aggregate: 'sum', values: new Map(Object.entries(profile.nodeUs)), notes }).message;
}

/**
 * The per-node error as a graph overlay on the ORIGINAL model (the quantized nodes keep their
 * names): the relative RMS error 100·10^(−SQNR/20) in percent, so hotter means worse on the overlay's log scale
 * (SQNR itself would colour the best nodes hottest). Exact nodes and nodes left alone have none.
 */
export function quantErrorOverlay(report: QuantReport, payload: GraphPayload): OverlayMessage {
  // JSON stores an exact node's +Infinity SQNR as null.
  const errors = (report.comparison?.nodes ?? []).flatMap((n) => (typeof n.sqnrDb === 'number' && Number.isFinite(n.sqnrDb) ? [[n.node, 100 * 10 ** (-n.sqnrDb / 20)] as const] : []));
  return overlayMessage(payload, 'quant-error', { label: 'Quantization error (relative RMS)', unit: '%', scale: 'log', aggregate: 'max', values: new Map(errors), notes: new Map() }).message;
}

/** A node-name → value file bigger than this is not an overlay of any model we can draw. */
const MAX_OVERLAY_BYTES = 64 << 20;

export interface LoadedOverlay {
  label: string;
  matched: number;
  unmatched: number;
  /** A few names in the file that the model has no node for. */
  unmatchedNames: string[];
}

/**
 * Reads, parses and pushes one overlay file (docs/overlay-format.md, or Model Explorer's node data)
 * onto a graph. Bad files end in one sentence naming the file; nothing is written.
 */
export async function loadOverlayFile(file: string, payload: GraphPayload, push: (m: HostPushMessage) => unknown): Promise<LoadedOverlay> {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (err) {
    throw new OnnxLensError(name, `cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!stat.isFile()) throw new OnnxLensError(name, 'is not a file.');
  if (stat.size > MAX_OVERLAY_BYTES) throw new OnnxLensError(name, `is ${Math.round(stat.size / 2 ** 20)} MiB; an overlay file is at most ${MAX_OVERLAY_BYTES / 2 ** 20} MiB.`);
  const data = parseOverlay(await fs.promises.readFile(file, 'utf8'), name);
  const channel = `file:${data.label}`;
  const built = overlayMessage(payload, channel, data);
  if (built.matched === 0) {
    throw new OnnxLensError(name, `names no node of ${payload.fileName} (for example '${(built.unmatched[0] ?? '').slice(0, 60)}'); overlay keys are node names.`);
  }
  push({ ...built.message, select: true });
  return { label: data.label, matched: built.matched, unmatched: built.unmatched.length, unmatchedNames: built.unmatched.slice(0, 3) };
}

/** The notification after an overlay file was loaded: what coloured the graph and what matched nothing. */
export function describeLoaded(loaded: LoadedOverlay, file: string): string {
  const missing = loaded.unmatched
    ? ` ${loaded.unmatched} name${loaded.unmatched === 1 ? '' : 's'} matched no node (e.g. ${loaded.unmatchedNames.map((n) => `'${n}'`).join(', ')}).`
    : '';
  return `ONNX Lens: coloured the graph by '${loaded.label}' from ${path.basename(file)}: ${loaded.matched} node${loaded.matched === 1 ? '' : 's'} have a value.${missing}`;
}
