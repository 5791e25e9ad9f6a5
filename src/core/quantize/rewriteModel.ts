/**
 * One entry point for the graph rewrites that need no run of the model: settings in, a
 * ModelRewrite (for the writer) and per-node changes out. Calibrated modes (static, mixed with a
 * sensitivity scan) compute their inputs first and call the same passes (see quantize.ts).
 */
import type { OnnxModel } from '../onnx/reader';
import type { ModelRewrite } from '../onnx/write/rewrite';
import { dynamicQuantize } from './dynamic';
import { GraphRewriter } from './graphRewriter';
import { QuantizeError } from './errors';
import { fp16Convert } from './fp16';
import { magnitudePrune } from './prune';
import { weightOnlyQuantize } from './weightOnly';
import { selectWeightOps } from './select';
import type { SkippedNode } from '../../shared/quantReport';
import type { NodeChange, QuantizeSettings } from '../../shared/quantizeSettings';
import { pushAll } from '../lists';

export interface RewriteResult {
  rewrite: ModelRewrite;
  changes: NodeChange[];
  skipped: SkippedNode[];
  warnings: string[];
}

export const DEFAULT_OPS: Record<string, string[]> = {
  dynamic: ['MatMul', 'Gemm'],
  static: ['Conv', 'MatMul', 'Gemm'],
  'weight-only': ['MatMul', 'Gemm'],
  prune: ['MatMul', 'Gemm', 'Conv'],
  mixed: ['MatMul', 'Gemm', 'Conv'],
};

export function rewriteModel(model: OnnxModel, s: QuantizeSettings): RewriteResult {
  const ed = new GraphRewriter(model);
  const warnings: string[] = [];
  let changes: NodeChange[];
  let skipped: SkippedNode[];
  switch (s.mode) {
    case 'dynamic': {
      const sel = selectWeightOps(ed, { ops: new Set(s.ops ?? DEFAULT_OPS.dynamic), excludeOps: s.excludeOps, excludeNodes: s.excludeNodes, skipDepthwise: !s.depthwise });
      skipped = sel.skipped;
      requireSome(model, sel.ops.length, skipped, s);
      const weightType = s.weightType ?? 'int8';
      changes = dynamicQuantize(ed, sel.ops, {
        format: s.format ?? 'integer', perChannel: s.perChannel ?? false, perChannelConv: s.perChannel ?? true,
        weightType, symmetric: s.symmetric ?? weightType === 'int8', reduceRange: s.reduceRange ?? false,
      });
      break;
    }
    case 'weight-only': {
      const sel = selectWeightOps(ed, { ops: new Set(s.ops ?? DEFAULT_OPS['weight-only']), excludeOps: s.excludeOps, excludeNodes: s.excludeNodes });
      skipped = sel.skipped.concat(sel.ops.filter((o) => o.opType === 'Conv').map((o) => ({ node: o.node.name, opType: o.opType, reason: 'weight-only quantization covers MatMul and Gemm' })));
      const ops = sel.ops.filter((o) => o.opType !== 'Conv');
      requireSome(model, ops.length, skipped, s);
      const r = weightOnlyQuantize(ed, ops, { bits: s.bits ?? 4, blockSize: s.blockSize ?? 32, symmetric: s.symmetric ?? true, format: s.weightOnlyFormat ?? 'auto', accuracyLevel: s.accuracyLevel ?? 4 });
      changes = r.changes;
      pushAll(warnings, r.warnings);
      break;
    }
    case 'prune': {
      const sparsity = s.sparsity ?? 0.5;
      if (!(sparsity >= 0 && sparsity < 1)) throw new QuantizeError(model.file, `cannot be pruned to a sparsity of ${sparsity}: give a share between 0 and 1, e.g. 0.5`);
      const sel = selectWeightOps(ed, { ops: new Set(s.ops ?? DEFAULT_OPS.prune), excludeOps: s.excludeOps, excludeNodes: s.excludeNodes });
      skipped = sel.skipped;
      requireSome(model, sel.ops.length, skipped, s);
      changes = magnitudePrune(ed, sel.ops, { sparsity, scope: s.pruneScope ?? 'layer' });
      break;
    }
    case 'fp16': {
      const r = fp16Convert(ed, { keepIoTypes: s.keepIoTypes ?? true, blockOps: [...(s.fp16BlockOps ?? []), ...(s.excludeOps ?? [])], excludeNodes: s.excludeNodes });
      changes = r.changes;
      skipped = [];
      pushAll(warnings, r.warnings);
      if (changes.length === 0) throw new QuantizeError(model.file, 'has no float32 computation that can run in float16');
      break;
    }
    default:
      throw new QuantizeError(model.file, `mode '${s.mode}' is not available yet`);
  }
  ed.setMetadata('onnx_lens.quantization', JSON.stringify({ mode: s.mode, nodes: changes.length }));
  return { rewrite: ed.finish(), changes, skipped, warnings };
}

function requireSome(model: OnnxModel, count: number, skipped: SkippedNode[], s: QuantizeSettings): void {
  if (count > 0) return;
  const ops = (s.ops ?? DEFAULT_OPS[s.mode] ?? []).join('/');
  const why = skipped.length ? ` (${skipped.length} candidate${skipped.length === 1 ? '' : 's'} skipped: ${skipped[0].node} ${skipped[0].reason})` : '';
  throw new QuantizeError(model.file, `has no quantizable ops for ${s.mode} quantization: no ${ops} node with a constant float32 weight${why}`);
}
