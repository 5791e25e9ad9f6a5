// A code-server profile: user data, extensions and XDG dirs all inside one folder, so a run never
// writes ~/.config/code-server or ~/.local/share/code-server (docs/code-server.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VIEW_TYPE } from './config.mjs';

/** Settings that keep the workbench quiet and deterministic, and open *.onnx in ONNX Lens. */
export function baseSettings(theme = 'Default Dark Modern') {
  return {
    'workbench.editorAssociations': { '*.onnx': VIEW_TYPE },
    'workbench.colorTheme': theme,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
  };
}

/**
 * Workspace Trust on, the opened folder left untrusted and no start-up prompt: Restricted Mode
 * (the server must then start without --disable-workspace-trust: startServer({ trust: true })).
 */
export const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

/**
 * Creates (or reuses) a profile folder. `root` defaults to a fresh temp dir.
 * Returns the paths plus `env`/`args` that EVERY code-server call must get.
 */
export function createProfile({ root, theme, settings = {} } = {}) {
  const dir = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-vscode-'));
  const p = {
    root: dir,
    dataDir: path.join(dir, 'data'),
    extensionsDir: path.join(dir, 'exts'),
    configFile: path.join(dir, 'config.yaml'),
    settingsFile: path.join(dir, 'data', 'User', 'settings.json'),
    logFile: path.join(dir, 'server.log'),
  };
  for (const sub of ['data/User', 'exts', 'xdg-config', 'xdg-data', 'xdg-cache']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  // bind-addr here is only a default; the server is always started with an explicit --bind-addr.
  fs.writeFileSync(p.configFile, 'auth: none\nbind-addr: 127.0.0.1:8950\ncert: false\n');
  p.env = {
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'), // code-server's deviceid goes here
  };
  p.args = ['--config', p.configFile, '--user-data-dir', p.dataDir, '--extensions-dir', p.extensionsDir];
  /** Merges keys into the user settings.json (write BEFORE a page load: live edits are unreliable). */
  p.writeSettings = (extra) => {
    fs.writeFileSync(p.settingsFile, JSON.stringify({ ...readJson(p.settingsFile), ...extra }, null, 2) + '\n');
  };
  // Settings already in a kept profile (the `npm start` demo) win over the defaults, not over `settings`.
  p.writeSettings({ ...baseSettings(theme), ...readJson(p.settingsFile), ...settings });
  p.remove = () => fs.rmSync(dir, { recursive: true, force: true });
  return p;
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; }
}
