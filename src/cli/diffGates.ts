/**
 * `onnx-lens diff --fail-on …`: the conditions that fail a CI job (exit 3, as the other gates).
 *  - structure: a node added or removed, or a matched node whose op, attributes or wiring changed;
 *  - signature: an input, output, opset, IR version, producer or metadata entry differs;
 *  - weights: a weight changed, added or removed;
 *  - outputs=TOL: on the behaviour run, an output's max abs error exceeds TOL (for integer label
 *    outputs, the share of rows whose label differs);
 *  - accuracy-drop=X: on --data, b's accuracy (or R²) is more than X below a's.
 */
import type { DiffReport } from '../shared/diffReport';
import { UsageError } from './inputArgs';

export type DiffGate =
  | { kind: 'structure' | 'signature' | 'weights' }
  | { kind: 'outputs'; tolerance: number }
  | { kind: 'accuracy-drop'; limit: number };

export interface GateResult {
  gate: string;
  passed: boolean;
  /** Why it failed (one phrase), or what was checked. */
  detail: string;
}

const GATE_NAMES = ['structure', 'signature', 'weights', 'outputs=TOL', 'accuracy-drop=X'];

export function parseGate(arg: string): DiffGate {
  const [name, value, ...rest] = arg.split('=');
  const number = Number(value);
  const bad = () => new UsageError(`--fail-on must be one of ${GATE_NAMES.join(', ')}, not '${arg}'`);
  if (rest.length) throw bad();
  if (name === 'structure' || name === 'signature' || name === 'weights') {
    if (value !== undefined) throw bad();
    return { kind: name };
  }
  if ((name === 'outputs' || name === 'accuracy-drop') && value !== undefined && value.trim() !== '' && Number.isFinite(number) && number >= 0) {
    return name === 'outputs' ? { kind: 'outputs', tolerance: number } : { kind: 'accuracy-drop', limit: number };
  }
  throw bad();
}

export function gateName(g: DiffGate): string {
  return g.kind === 'outputs' ? `outputs=${g.tolerance}` : g.kind === 'accuracy-drop' ? `accuracy-drop=${g.limit}` : g.kind;
}

const STRUCTURAL = new Set(['op', 'attribute', 'input']);

export function checkGates(report: DiffReport, gates: readonly DiffGate[]): GateResult[] {
  return gates.map((g) => {
    const gate = gateName(g);
    const result = (passed: boolean, detail: string): GateResult => ({ gate, passed, detail });
    switch (g.kind) {
      case 'structure': {
        const n = report.nodes;
        const rewired = n.changed.filter((c) => c.changes.some((x) => STRUCTURAL.has(x.kind)));
        const passed = n.added.length === 0 && n.removed.length === 0 && rewired.length === 0;
        return result(passed, passed ? 'no node added, removed or rewired' : `${n.added.length} node(s) added, ${n.removed.length} removed, ${rewired.length} changed in op, attributes or inputs`);
      }
      case 'signature':
        return result(report.signature.same, report.signature.same ? 'same inputs, outputs, opsets and metadata' : 'the signature changed');
      case 'weights': {
        const w = report.weights;
        const passed = w.changed === 0 && w.added.length === 0 && w.removed.length === 0;
        return result(passed, passed ? `${w.identical} weights identical` : `${w.changed} weight(s) changed, ${w.added.length} added, ${w.removed.length} removed`);
      }
      case 'outputs': {
        const over = (report.outputs ?? []).map((o) => {
          const error = o.kind === 'top1' && o.top1 !== null && o.maxAbsError === 0 && o.meanAbsError === 0 ? 1 - o.top1 : o.maxAbsError;
          return { name: o.b, error };
        }).filter((o) => o.error > g.tolerance);
        return result(over.length === 0, over.length === 0 ? `every output within ${g.tolerance}` : over.map((o) => `output ${o.name} differs by ${o.error.toPrecision(3)} > ${g.tolerance}`).join('; '));
      }
      case 'accuracy-drop': {
        const m = report.metrics;
        if (!m) return result(false, 'no metrics: the data had no labels the models could be scored on');
        const drop = m.a - m.b;
        return result(drop <= g.limit, `${m.metric} ${m.a.toFixed(4)} → ${m.b.toFixed(4)} (drop ${drop.toFixed(4)}${drop > g.limit ? ` > ${g.limit}` : ` ≤ ${g.limit}`})`);
      }
    }
  });
}
