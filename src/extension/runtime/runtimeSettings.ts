/**
 * The settings that reach the runtime process (package.json `onnxLens.*`): threads, graph
 * optimisation and execution provider as the defaults of every session (a model's saved Run tab
 * setup wins for the Run tab), whether a labels.txt beside a model may name its classes, and
 * onnxruntime's log level, which follows the "ONNX Lens" log's level.
 */
import * as vscode from 'vscode';
import { DEFAULT_SESSION_OPTIONS, EXECUTION_PROVIDERS, type ExecutionProvider, type SessionOptionsSpec } from '../../shared/runtimeTypes';
import { ortLogLevel } from '../log';

const LEVELS: SessionOptionsSpec['graphOptimization'][] = ['disabled', 'basic', 'extended', 'all'];

function threads(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 256 ? value : 0;
}

/** Session options from the settings for a model (`scope`): what a model without a saved setup runs with. */
export function settingsSessionOptions(scope?: vscode.Uri): SessionOptionsSpec {
  const c = vscode.workspace.getConfiguration('onnxLens', scope);
  const level = c.get<string>('graphOptimizationLevel');
  const provider = c.get<string>('executionProvider');
  return {
    ...DEFAULT_SESSION_OPTIONS,
    intraOpThreads: threads(c.get('intraOpThreads')),
    interOpThreads: threads(c.get('interOpThreads')),
    graphOptimization: LEVELS.includes(level as never) ? (level as SessionOptionsSpec['graphOptimization']) : 'all',
    executionProvider: (EXECUTION_PROVIDERS as readonly string[]).includes(provider ?? '') ? (provider as ExecutionProvider) : 'cpu',
  };
}

/**
 * `options` as sent to the runtime process: the provider from the settings unless the Run tab chose
 * one, the labels-file setting, and onnxruntime's log level from the log's.
 */
export function runtimeOptions(options: SessionOptionsSpec, scope?: vscode.Uri): SessionOptionsSpec {
  const c = vscode.workspace.getConfiguration('onnxLens', scope);
  return {
    ...options,
    executionProvider: options.executionProvider ?? settingsSessionOptions(scope).executionProvider,
    labelsFile: c.get<boolean>('useLabelsFile', true),
    ortLogLevel: ortLogLevel(),
  };
}
