/**
 * The state a collapsed group of the diff graph shows (pure: no DOM, so the unit tests import it).
 */
import { NodeState } from '../../src/shared/diffView';

/** A collapsed group shows the most telling state inside it: only-this-side (added or, in the overlay, removed), then changed, then same. */
export function groupStates(nodeGroup: Uint32Array, parent: Int32Array, states: Uint8Array, groupCount: number): Uint8Array {
  const out = new Uint8Array(Math.max(1, groupCount));
  const rank = (s: number) => (s === NodeState.Only || s === NodeState.Removed ? 2 : s === NodeState.Changed ? 1 : 0);
  for (let n = 0; n < states.length; n++) {
    for (let g = nodeGroup[n] ?? 0; g >= 0; g = parent[g]) {
      if (rank(states[n]) <= rank(out[g])) break;
      out[g] = states[n];
    }
  }
  return out;
}
