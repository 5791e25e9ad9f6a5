// The e2e tests' workspace, shared by the runner's server (run-e2e.mjs) and the servers of their
// own that some tests start (test/e2e/support.mjs startOwnServer).
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { FIXTURES_LIGHT, REPO_ROOT } from './config.mjs';
import { prepareWorkspace } from './project.mjs';

/** The e2e workspace: the sample, DenseNet-121, bad models, and a Python file naming the sample. */
export function prepareE2eWorkspace(dir) {
  const workspace = prepareWorkspace(dir, {
    files: {
      'light_densenet121.onnx': path.join(FIXTURES_LIGHT, 'light_densenet121.onnx'),
      // Opened only by the open timing test (test/e2e/open-timing.test.mjs): a small model's first open.
      'densenet121-timed.onnx': path.join(FIXTURES_LIGHT, 'light_densenet121.onnx'),
      // Not ONNX at all: random bytes, seeded so a failure can be replayed.
      'broken.onnx': seededBytes('onnx-lens-e2e', 4096),
      // For the hover over a model path in code.
      'load_model.py': Buffer.from('import onnxruntime as ort\n\nsession = ort.InferenceSession("digits-mlp.onnx")\n'),
    },
  });
  // Bad-input models built with the TypeScript fixture builder (0 nodes, a dangling input).
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'test', 'e2e', 'fixtures.ts'), workspace], { stdio: 'inherit' });
  return workspace;
}

function seededBytes(seed, n) {
  const out = Buffer.alloc(n);
  for (let i = 0, block = 0; i < n; block++) {
    const h = crypto.createHash('sha256').update(`${seed}:${block}`).digest();
    i += h.copy(out, i);
  }
  return out;
}

