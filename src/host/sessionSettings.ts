/**
 * The settings that reach the runtime process (package.json `onnxLens.*`), read by a front end
 * (the extension: src/extension/runtime/runtimeSettings.ts) and turned into session options here:
 * threads, graph optimisation and execution provider as the defaults of every session (a model's
 * saved Run tab setup wins for the Run tab); what every request carries besides (the provider when
 * the Run tab chose none, whether a labels.txt may name classes, onnxruntime's log level).
 */
import { DEFAULT_SESSION_OPTIONS, EXECUTION_PROVIDERS, type ExecutionProvider, type OrtLogLevel, type SessionOptionsSpec } from '../shared/runtimeTypes';
import type { SessionSettings } from './ports';

const LEVELS: SessionOptionsSpec['graphOptimization'][] = ['disabled', 'basic', 'extended', 'all'];

/** The settings as read (unchecked: a settings.json can hold anything). */
export interface RuntimeSettingValues {
  intraOpThreads?: unknown;
  interOpThreads?: unknown;
  graphOptimizationLevel?: unknown;
  executionProvider?: unknown;
  useLabelsFile?: unknown;
}

function threads(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 256 ? value : 0;
}

/** Session options from the settings: what a model without a saved setup runs with. */
export function sessionOptionsFromSettings(values: RuntimeSettingValues): SessionOptionsSpec {
  const level = values.graphOptimizationLevel;
  const provider = values.executionProvider;
  return {
    ...DEFAULT_SESSION_OPTIONS,
    intraOpThreads: threads(values.intraOpThreads),
    interOpThreads: threads(values.interOpThreads),
    graphOptimization: LEVELS.includes(level as never) ? (level as SessionOptionsSpec['graphOptimization']) : 'all',
    executionProvider: (EXECUTION_PROVIDERS as readonly string[]).includes(String(provider)) ? (provider as ExecutionProvider) : 'cpu',
  };
}

/**
 * SessionSettings over settings read fresh each time (`read`: a change in settings.json applies to
 * the next request), with onnxruntime's log level from `ortLogLevel`.
 */
export function sessionSettings(read: () => RuntimeSettingValues, ortLogLevel: () => OrtLogLevel): SessionSettings {
  const defaults = () => sessionOptionsFromSettings(read());
  return {
    defaults,
    complete: (options) => ({
      ...options,
      executionProvider: options.executionProvider ?? defaults().executionProvider,
      labelsFile: read().useLabelsFile !== false,
      ortLogLevel: ortLogLevel(),
    }),
  };
}
