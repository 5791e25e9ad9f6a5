/**
 * Graph overlays for the webview: OverlayData (node name → value, src/core/overlayFile.ts) turned
 * into per-node arrays in payload order. Built-in overlays (profile time, quantization error) and
 * overlays loaded from a JSON file all go through here.
 */
import type { OverlayData } from '../core/overlayFile';
import type { ProfileResult } from '../shared/runtimeTypes';
import type { GraphPayload } from '../shared/graphPayload';
import type { OverlayMessage } from '../shared/protocol';

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
