// Helpers shared by the model editor integration tests (not a test file itself).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelViewReport, OnnxLensApi } from '../../src/extension/api';

export const EXTENSION_ID = 'onnx-lens.onnx-lens';
export const VIEW_TYPE = 'onnxLens.modelEditor';
export const RENDER_TIMEOUT_MS = 30_000;

export async function activateApi(): Promise<{ api: OnnxLensApi; extension: vscode.Extension<OnnxLensApi> }> {
  const extension = vscode.extensions.getExtension<OnnxLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
  const api = await extension.activate();
  assert.strictEqual(typeof api?.waitForModelView, 'function', 'activate() did not return the test API');
  return { api, extension };
}

/** The repo's sample model (media/sample), resolved from the extension's own folder. */
export function sampleModel(extension: vscode.Extension<unknown>): vscode.Uri {
  return vscode.Uri.file(path.join(extension.extensionPath, 'media', 'sample', 'digits-mlp.onnx'));
}

/** One of the ONNX light models (docs/environment.md), whose folder run-integration.mjs passes as ONNX_LENS_FIXTURES. */
export function lightFixture(name: string): vscode.Uri {
  const dir = process.env.ONNX_LENS_FIXTURES;
  assert.ok(dir, 'ONNX_LENS_FIXTURES is not set: run these tests with scripts/vscode/run-integration.mjs');
  const file = path.join(dir, name);
  assert.ok(fs.existsSync(file), `${file} is missing: ONNX_LENS_FIXTURES must name the folder of the ONNX light models (docs/environment.md)`);
  return vscode.Uri.file(file);
}

/** A fresh temp folder for files the test writes (bad models, copies to modify). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-it-'));
}

/**
 * `bad.csv` in a fresh folder: the first rows of `csv` with 'abc' in row 3, column f3 (a cell that
 * is not a number), for the one-sentence error of every command that reads a dataset.
 */
export function csvWithBadCell(csv: string): { dir: string; bad: string } {
  const dir = tempDir();
  const lines = fs.readFileSync(csv, 'utf8').split('\n').slice(0, 5);
  const cells = lines[2].split(',');
  cells[3] = 'abc';
  lines[2] = cells.join(',');
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, `${lines.join('\n')}\n`);
  return { dir, bad };
}

/** Deterministic pseudo-random bytes (an LCG), so a failure reproduces with the same file. */
export function pseudoRandomBytes(length: number, seed = 42): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

export async function openInLens(uri: vscode.Uri, column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { viewColumn: column, preview: false });
}

/** Waits for a view of `uri` to render (again, if `afterRenderCount` is given) and fails clearly if it does not. */
export async function rendered(api: OnnxLensApi, uri: vscode.Uri, afterRenderCount = 0): Promise<ModelViewReport> {
  const report = await api.waitForModelView(uri, RENDER_TIMEOUT_MS, afterRenderCount);
  assert.ok(report.rendered, `no view of ${path.basename(uri.fsPath)} rendered within ${RENDER_TIMEOUT_MS} ms: ${JSON.stringify(report.shown ?? null)}`);
  return report;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Polls until `check` returns true (for state that has no event, such as editor tabs). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A read-only in-memory file system; `sizes` overrides what stat reports (a huge file without the bytes). */
export class MemoryFs implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  constructor(private readonly files: Map<string, Uint8Array>, private readonly sizes: Map<string, number>) {}
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const bytes = this.files.get(uri.path);
    if (!bytes) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: this.sizes.get(uri.path) ?? bytes.byteLength };
  }
  readFile(uri: vscode.Uri): Uint8Array {
    const bytes = this.files.get(uri.path);
    if (!bytes) throw vscode.FileSystemError.FileNotFound(uri);
    return bytes;
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
}

interface GitApi {
  state: string;
  openRepository(root: vscode.Uri): Promise<unknown>;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

/**
 * A git repository (a fresh temp folder) with the sample committed and `working` as its working
 * copy (committed as a second commit when `commitWorking`), opened in VS Code's git extension;
 * returns the model's path, its version at HEAD as the `git:` URI the Source Control view opens,
 * and the `git:` URI of any other ref.
 */
export async function committedSample(extension: vscode.Extension<unknown>, working: Uint8Array, commitWorking = false): Promise<{ model: string; head: vscode.Uri; version(ref: string): vscode.Uri }> {
  const git = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
  assert.ok(git, "VS Code's built-in git extension (vscode.git) is not in this VS Code");
  const repo = tempDir();
  const model = path.join(repo, 'digits-mlp.onnx');
  fs.copyFileSync(sampleModel(extension).fsPath, model);
  const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  run('init', '-q');
  run('add', '.');
  run('commit', '-q', '-m', 'model');
  fs.writeFileSync(model, working);
  if (commitWorking) run('commit', '-q', '-am', 'changed model');
  const gitApi = (await git!.activate()).getAPI(1);
  await eventually(() => gitApi.state === 'initialized', 'the git extension', 30_000);
  await gitApi.openRepository(vscode.Uri.file(repo));
  const head = gitApi.toGitUri(vscode.Uri.file(model), 'HEAD');
  assert.strictEqual(head.scheme, 'git');
  return { model, head, version: (ref) => gitApi.toGitUri(vscode.Uri.file(model), ref) };
}
