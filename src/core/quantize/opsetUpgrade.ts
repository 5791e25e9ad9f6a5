/**
 * Raising a model's default-domain opset (to 21, for blocked int4/int8 DequantizeLinear) without
 * changing what it computes. From opset 13 on, most op revisions only add types; the ones below
 * change meaning, and are either rewritten to their new spelling (main graph) or make the raise
 * unsafe (inside subgraphs and functions, which the writer copies as they are).
 * Revisions: https://github.com/onnx/onnx/blob/main/docs/Changelog.md
 */
import { ElemType } from '../onnx/elemTypes';
import type { GraphInfo, NodeInfo } from '../onnx/types';
import type { GraphEditor } from './editor';

/** op → first opset whose revision changes meaning (since 13). */
const MEANING_CHANGED: Record<string, number> = {
  // axes moved from attribute to input (ReduceSum did at 13).
  ReduceL1: 18, ReduceL2: 18, ReduceLogSum: 18, ReduceLogSumExp: 18, ReduceMax: 18, ReduceMean: 18, ReduceMin: 18, ReduceProd: 18, ReduceSumSquare: 18,
  // without a split input, 18 needs num_outputs.
  Split: 18,
  // the default coordinate_transformation_mode changed.
  RoiAlign: 16,
  // dft_length/axis became inputs; mode names changed; scale and bias became per channel.
  DFT: 20, GridSample: 20, GroupNormalization: 21,
};

const REDUCE = /^Reduce(L1|L2|LogSum|LogSumExp|Max|Mean|Min|Prod|SumSquare)$/;

export const OPSET_UPGRADE_MIN = 13;

/** Why the opset cannot be raised to `target`, or null when it can (after `applyOpsetUpgrade`). */
export function opsetUpgradeBlocker(ed: GraphEditor, target: number): string | null {
  const from = ed.opset;
  if (from >= target) return null;
  if (from < OPSET_UPGRADE_MIN) return `its opset ${from} is older than ${OPSET_UPGRADE_MIN}`;
  const changed = (n: NodeInfo) => (n.domain === '' || n.domain === 'ai.onnx') && MEANING_CHANGED[n.opType] !== undefined && MEANING_CHANGED[n.opType] > from && MEANING_CHANGED[n.opType] <= target;
  const inSubgraph = (g: GraphInfo): NodeInfo | undefined => {
    for (const n of g.nodes) {
      if (changed(n)) return n;
      for (const a of n.attributes) for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
        const hit = inSubgraph(sg);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  for (const n of ed.info.nodes) {
    for (const a of n.attributes) for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
      const hit = inSubgraph(sg);
      if (hit) return `a subgraph uses ${hit.opType}, whose meaning changes by opset ${target}`;
    }
    if (changed(n) && !REDUCE.test(n.opType) && n.opType !== 'Split' && n.opType !== 'RoiAlign') return `it uses ${n.opType}, whose meaning changes by opset ${target}`;
  }
  if (ed.model.info.functions.some((f) => f.opsets.some((o) => o.domain === '' || o.domain === 'ai.onnx'))) return 'it has model-local functions on the default domain';
  return null;
}

/** Rewrites main-graph nodes whose spelling changes, then raises the opset (and IR version 10). Call only when `opsetUpgradeBlocker` is null. */
export function applyOpsetUpgrade(ed: GraphEditor, target: number): void {
  const from = ed.opset;
  if (from >= target) return;
  ed.info.nodes.forEach((n, index) => {
    if (n.domain !== '' && n.domain !== 'ai.onnx') return;
    if (REDUCE.test(n.opType) && from < 18) {
      const axes = n.attributes.find((a) => a.name === 'axes')?.ints;
      if (!axes) return; // no axes: reduce over all, the same in 18
      const data = new BigInt64Array(axes.map((x) => BigInt(x)));
      const name = ed.addInitializer({ name: `${n.name || n.opType}_axes`, elemType: ElemType.INT64, dims: [axes.length], data: new Uint8Array(data.buffer) });
      ed.editSource(index, { inputs: [n.inputs[0], name], removeAttributes: ['axes'] });
    } else if (n.opType === 'Split' && from < 18 && (n.inputs.length < 2 || n.inputs[1] === '')) {
      ed.editSource(index, { setAttributes: [{ name: 'num_outputs', type: 'int', value: n.outputs.length }] });
    } else if (n.opType === 'RoiAlign' && from < 16 && !n.attributes.some((a) => a.name === 'coordinate_transformation_mode')) {
      ed.editSource(index, { setAttributes: [{ name: 'coordinate_transformation_mode', type: 'string', value: 'output_half_pixel' }] });
    }
  });
  ed.raiseDefaultOpset(target, 10);
}
