/**
 * Session options (collapsed by default): intra-op and inter-op threads, graph optimisation level,
 * execution mode, execution provider (those this platform's onnxruntime offers). The header's
 * description sums up the current choice.
 */
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { PROVIDER_NAMES, type ExecutionProvider, type SessionOptionsSpec } from '../../src/shared/runtimeTypes';
import { h } from '../ui/dom';
import { field, numberInput, Select } from '../ui/controls';

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
  const provider = o.executionProvider && o.executionProvider !== 'cpu' ? ` · ${PROVIDER_NAMES[o.executionProvider]}` : '';
  return `threads ${threads(o.intraOpThreads)}${o.executionMode === 'parallel' ? ` / ${threads(o.interOpThreads)}` : ''} · optimisation ${o.graphOptimization} · ${o.executionMode}${provider}`;
}

/** Edits `options` in place; the header's description follows. `providers`: what this onnxruntime offers. */
export function sessionOptionsEditor(options: SessionOptionsSpec, providers: readonly ExecutionProvider[] = ['cpu']): HTMLElement {
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
  const choose = <K extends 'graphOptimization' | 'executionMode' | 'executionProvider'>(label: string, key: K, choices: { value: NonNullable<SessionOptionsSpec[K]>; label: string }[]) => {
    const select = new Select(choices, options[key] ?? choices[0].value);
    select.onChange((value) => {
      options[key] = value;
      refresh();
    });
    return field(label, select.element);
  };
  box.append(h('div', { class: 'run-options-body' },
    count('intra-op threads', 'intraOpThreads', 'Threads inside one operator; 0 lets onnxruntime choose (one per physical core)'),
    count('inter-op threads', 'interOpThreads', 'Threads across operators, used in parallel mode; 0 lets onnxruntime choose'),
    choose('graph optimisation', 'graphOptimization', OPTIMISATION),
    choose('execution mode', 'executionMode', MODES),
    choose('execution provider', 'executionProvider', providers.map((p) => ({ value: p, label: PROVIDER_NAMES[p] }))),
    h('p', { class: 'muted run-hint' }, '0 threads = automatic. A provider that cannot start falls back to the CPU, saying so. Options are part of the session cache key: a change creates a new session.')));
  refresh();
  return box;
}
