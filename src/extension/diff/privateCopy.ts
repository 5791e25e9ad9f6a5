/**
 * A side of a diff that is not a file on disk (a `git:` version from Source Control, a virtual
 * file) is still run: onnxruntime needs a path, so its bytes (read through vscode.workspace.fs,
 * capped: src/extension/nonFileModel.ts) are written once to a private temporary folder (0700,
 * the file 0600), which is removed when the diff closes. External data of such a version is not
 * copied: a model that needs it fails with onnxruntime's sentence naming the missing file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { readNonFileModel } from '../nonFileModel';

export class PrivateCopy {
  private copy: Promise<string> | undefined;
  private dir: string | undefined;
  /** Set by remove(): a copy still being written then removes itself (the diff was closed meanwhile). */
  private removed = false;

  constructor(private readonly uri: vscode.Uri) {}

  /** The copy's path, written on first use. */
  file(): Promise<string> {
    this.copy ??= this.write().catch((error) => {
      this.copy = undefined;
      throw error;
    });
    return this.copy;
  }

  remove(): void {
    this.removed = true;
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.copy = undefined;
  }

  private async write(): Promise<string> {
    const bytes = await readNonFileModel(this.uri);
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'onnx-lens-version-'));
    if (this.removed) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${path.posix.basename(this.uri.path)}: the diff was closed.`);
    }
    this.dir = dir;
    const file = path.join(dir, path.posix.basename(this.uri.path) || 'model.onnx');
    await fs.promises.writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
    return file;
  }
}
