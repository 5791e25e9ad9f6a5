/**
 * What the hover card over the graph says: for a node its op type, name, output types and shapes
 * and the current overlay's value (or "no value", or why: "fused into …"); for a group its path and
 * size; for a graph input or output its name and type. Pure (no DOM): unit tested; tooltip.ts draws it.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import { formatInteger } from '../format';
import { ItemKind } from '../../src/core/graphLayout/scene';

/** What the tooltip and the details panel say about a node under the current overlay. */
export interface OverlayReading {
  label: string;
  /** "2.85 ms", or "no value". */
  text: string;
  note: string | null;
}

export interface TooltipContent {
  title: string;
  subtitle: string;
  rows: [string, string][];
  note: string | null;
}

/** Longest output list shown; the details panel has them all. */
const MAX_OUTPUTS = 4;

export function groupPathName(p: GraphPayload, g: number): string {
  const names: string[] = [];
  for (let at = g; at > 0; at = p.groupParent[at]) names.push(p.groupNames[at]);
  return names.reverse().join('/') || p.fileName;
}

/** What the card says about a scene item (kind, ref as in Scene). */
export function tooltipContent(p: GraphPayload, kind: ItemKind, ref: number, reading: OverlayReading | null): TooltipContent {
  if (kind === ItemKind.Node) {
    const rows: [string, string][] = [];
    const start = p.nodeOutputStart[ref], end = p.nodeOutputStart[ref + 1];
    for (let k = start; k < Math.min(end, start + MAX_OUTPUTS); k++) {
      const v = p.nodeOutputs[k];
      if (v < 0) continue;
      rows.push([end - start === 1 ? 'output' : p.valueNames[v], `${p.valueElemTypes[v]} ${p.valueShapes[v]}`]);
    }
    if (end - start > MAX_OUTPUTS) rows.push(['', `+ ${end - start - MAX_OUTPUTS} more outputs`]);
    if (reading) rows.push([reading.label, reading.text]);
    return { title: p.ops[p.nodeOp[ref]], subtitle: p.nodeNames[ref], rows, note: reading?.note ?? null };
  }
  if (kind === ItemKind.Group || kind === ItemKind.Frame) {
    return {
      title: groupPathName(p, ref),
      subtitle: `group · ${formatInteger(p.groupNodeCount[ref])} nodes`,
      rows: reading ? [[reading.label, reading.text]] : [],
      note: kind === ItemKind.Group ? 'Click to expand.' : null,
    };
  }
  return {
    title: p.valueNames[ref],
    subtitle: kind === ItemKind.Input ? 'graph input' : 'graph output',
    rows: [['type', `${p.valueElemTypes[ref]} ${p.valueShapes[ref]}`]],
    note: null,
  };
}
