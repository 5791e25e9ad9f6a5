/**
 * The `onnxLens.*` settings that reach the runtime process, read from VS Code's configuration for a
 * model (its folder's settings win) and turned into session options by src/host/sessionSettings.ts;
 * onnxruntime's log level follows the "ONNX Lens" log's level.
 */
import * as vscode from 'vscode';
import { sessionSettings as fromValues, type RuntimeSettingValues } from '../../host/sessionSettings';
import type { SessionSettings } from '../../host/ports';
import { ortLogLevel } from '../log';

function read(scope?: vscode.Uri): RuntimeSettingValues {
  const c = vscode.workspace.getConfiguration('onnxLens', scope);
  return {
    intraOpThreads: c.get('intraOpThreads'),
    interOpThreads: c.get('interOpThreads'),
    graphOptimizationLevel: c.get('graphOptimizationLevel'),
    executionProvider: c.get('executionProvider'),
    useLabelsFile: c.get('useLabelsFile', true),
  };
}

/** The session settings of a model (`scope`), read fresh on every use. */
export function sessionSettings(scope?: vscode.Uri): SessionSettings {
  return fromValues(() => read(scope), ortLogLevel);
}
