/**
 * The diff in one sentence, for the CLI's first line and the editor's header: the same models,
 * what changed, or — when little matched — that the two look like different models.
 */
import type { NodesDiff, SignatureDiff, Side, WeightsDiff } from '../../shared/diffReport';
import { signaturePhrases } from './signature';

/** Below this similarity the models are called different: most of what follows is "added" and "removed". */
export const UNRELATED_BELOW = 0.5;

export interface HeadlineParts {
  nodes: NodesDiff;
  weights: WeightsDiff;
  signature: SignatureDiff;
  similarity: number;
  nodeCount: Side<number>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const percent = (x: number) => `${Math.round(x * 100)}%`;

export function headline(p: HeadlineParts): string {
  const { nodes, weights, signature } = p;
  const totalWeights = weights.identical + weights.changed;
  if (p.similarity < UNRELATED_BELOW && p.nodeCount.a + p.nodeCount.b > 0) {
    return `Only ${nodes.matched} of ${p.nodeCount.a} nodes in a and of ${p.nodeCount.b} in b matched (${percent(p.similarity)} similar): ` +
      'these look like different models, so most nodes are listed as removed and added.';
  }
  const same = nodes.added.length === 0 && nodes.removed.length === 0 && nodes.changed.length === 0 && weights.changed === 0 &&
    weights.added.length === 0 && weights.removed.length === 0 && signature.same;
  if (same) {
    const renamed = nodes.renamed.length ? `, ${plural(nodes.renamed.length, 'node')} renamed` : '';
    return `No change: ${plural(nodes.matched, 'node')} and ${plural(totalWeights, 'weight')} are the same${renamed}.`;
  }
  const parts: string[] = [];
  const byStructure = nodes.matchedByStructure ? ` (${nodes.matchedByStructure} by structure)` : '';
  parts.push(`${plural(nodes.matched, 'node')} matched${byStructure}, ${nodes.added.length} added, ${nodes.removed.length} removed, ${nodes.changed.length} changed`);
  if (totalWeights || weights.added.length || weights.removed.length) {
    const max = weights.maxAbsDiff !== null && weights.changed ? ` (max abs diff ${formatDiff(weights.maxAbsDiff)})` : '';
    const extra = [weights.added.length ? `${weights.added.length} added` : '', weights.removed.length ? `${weights.removed.length} removed` : ''].filter(Boolean).join(', ');
    parts.push(`${weights.changed} of ${plural(totalWeights, 'weight')} changed${max}${extra ? `, ${extra}` : ''}`);
  }
  const sig = signaturePhrases(signature);
  if (sig.length) parts.push(`signature: ${sig.slice(0, 3).join(', ')}${sig.length > 3 ? `, and ${sig.length - 3} more` : ''}`);
  return `${parts.join('; ')}.`;
}

export function formatDiff(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 0.01 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}
