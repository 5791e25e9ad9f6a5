/**
 * Session options (collapsed by default): intra-op and inter-op threads, graph optimisation level,
 * execution mode. The header's description sums up the current choice.
 */
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { SessionOptionsSpec } from '../../src/runtime/types';
import { h } from '../dom';
import { field, numberInput, selectInput } from './controls';

const OPTIMISATION: { value: SessionOptionsSpec['graphOptimization']; label: string }[] = [
  { value: 'all', label: 'all (layout and fusions)' },
  { value: 'extended', label: 'extended' },
  { value: 'basic', label: 'basic' },
  { value: 'disabled', label: 'disabled' },
];

const MODES: { value: SessionOptionsSpec['executionMode']; label: string }[] = [
  { value: 'sequential', label: 'sequential' },
  { value: 'parallel', label: 'parallel' },
];

const threads = (n: number) => (n === 0 ? 'auto' : String(n));

export function describeOptions(o: SessionOptionsSpec): string {
  return `threads ${threads(o.intraOpThreads)}${o.executionMode === 'parallel' ? ` / ${threads(o.interOpThreads)}` : ''} · optimisation ${o.graphOptimization} · ${o.executionMode}`;
}

/** Edits `options` in place; the header's description follows. */
export function sessionOptionsEditor(options: SessionOptionsSpec): HTMLElement {
  const box = h('vscode-collapsible', { class: 'run-options', heading: 'Session options', 'data-testid': 'run-options' });
  const refresh = () => box.setAttribute('description', describeOptions(options));
  const count = (label: string, key: 'intraOpThreads' | 'interOpThreads', hint: string) => {
    const input = numberInput(options[key], { class: 'run-input run-small', min: 0, step: 1, title: hint });
    input.addEventListener('input', () => {
      options[key] = input.value.trim() === '' ? NaN : Number(input.value);
      refresh();
    });
    return field(label, input);
  };
  const choose = <K extends 'graphOptimization' | 'executionMode'>(label: string, key: K, choices: { value: SessionOptionsSpec[K]; label: string }[]) => {
    const select = selectInput(choices, options[key]);
    select.addEventListener('change', () => {
      options[key] = select.value as SessionOptionsSpec[K];
      refresh();
    });
    return field(label, select);
  };
  box.append(h('div', { class: 'run-options-body' },
    count('intra-op threads', 'intraOpThreads', 'Threads inside one operator; 0 lets onnxruntime choose (one per physical core)'),
    count('inter-op threads', 'interOpThreads', 'Threads across operators, used in parallel mode; 0 lets onnxruntime choose'),
    choose('graph optimisation', 'graphOptimization', OPTIMISATION),
    choose('execution mode', 'executionMode', MODES),
    h('p', { class: 'muted run-hint' }, '0 threads = automatic. Options are part of the session cache key: a change creates a new session.')));
  refresh();
  return box;
}
